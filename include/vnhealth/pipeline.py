"""The nightly job's steps as plain functions with small inputs and outputs.

The Airflow DAG wraps each in a TaskFlow task; they pass only references (locations, report ids,
batch file paths, run ids), read settings from the environment, and are idempotent.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import psycopg

from vnhealth import landing, loading
from vnhealth.documents import DocumentError, read_document
from vnhealth.extraction import EXTRACTOR_VERSION, extract_text
from vnhealth.settings import get_settings
from vnhealth.sources import Candidate, discover, load_sources
from vnhealth.warehouse import warehouse_url


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def discover_batches(batch_size: int = 20) -> list[list[dict]]:
    """Every location the configured sources offer, in batches that tasks can be mapped over."""
    settings = get_settings()
    candidates = [asdict(c) for s in load_sources(settings.sources_file) for c in discover(s)]
    return _chunks(candidates, batch_size) or [[]]


def land_batch(batch: list[dict], run_id: str) -> dict:
    """Archive and register each candidate; returns the ids of reports new in this run."""
    settings = get_settings()
    sources = {s.name: s for s in load_sources(settings.sources_file)}
    new, failed, known = [], [], []
    with psycopg.connect(warehouse_url(), autocommit=True) as conn:
        for item in batch:
            cand = Candidate(**item)
            source = sources[cand.source]
            fetched = _fetch(source, cand, conn)
            if fetched.failure == "not_modified":
                # The server says the report we hold is current: a sighting, not a new version.
                known.append(landing.touch_sighting(conn, cand.source, cand.location))
                continue
            result = landing.land(conn, settings.archive_root, cand.source, cand.location, fetched.data, run_id,
                                  failure=fetched.failure, defaults=source.defaults, etag=fetched.etag,
                                  last_modified=fetched.last_modified,
                                  max_bytes=source.settings.get("max_bytes"))
            {"new": new, "failed": failed, "known": known}[result.status].append(result.report_id)
    return {"new": new, "failed": failed, "known": known}


def _fetch(source, cand: Candidate, conn: psycopg.Connection):
    from vnhealth.fetching import Fetched, fetch

    if source.type == "directory":
        path = Path(cand.location)
        root = Path(source.settings["path"]).resolve()
        if not path.resolve().is_relative_to(root):
            return Fetched(None, failure=f"unsafe_path: {cand.location} is outside {root}")
        return Fetched(path.read_bytes())
    etag, last_modified = landing.validators(conn, cand.source, cand.location)
    return fetch(source, cand.location, etag=etag, last_modified=last_modified)


def extract_batch(report_ids: list[str], run_id: str) -> str | None:
    """Extract the given reports into one JSON Lines batch file; returns its path."""
    if not report_ids:
        return None
    settings = get_settings()
    out_dir = settings.work_dir / run_id
    out_dir.mkdir(parents=True, exist_ok=True)
    out_path = out_dir / f"batch-{report_ids[0][:16]}.jsonl"
    with psycopg.connect(warehouse_url(), autocommit=True) as conn, open(out_path, "w", encoding="utf-8") as fh:
        for report_id in report_ids:
            archive_path, location, province = conn.execute(
                "select archive_path, location, province from raw.reports where report_id = %s", (report_id,)).fetchone()
            try:
                doc = read_document(Path(archive_path).read_bytes(), with_metadata=False)
            except DocumentError as exc:  # the archive changed under us, or the reader did
                conn.execute("update raw.reports set status = 'failed', failure_reason = %s, updated_at = now() "
                             "where report_id = %s", (str(exc), report_id))
                continue
            for obs in extract_text(doc.text, Path(location).name, default_area=province, normalized=True):
                row = obs.contract()
                row.update(report_id=report_id, observation_id=obs.observation_id, extractor_version=EXTRACTOR_VERSION)
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return str(out_path)


def load_batch(batch_file: str | None, run_id: str) -> int:
    if not batch_file:
        return 0
    with psycopg.connect(warehouse_url()) as conn:
        n = loading.load_batch(conn, Path(batch_file), run_id)
        conn.execute(
            """update raw.reports r set status = 'extracted', updated_at = now(),
                   observation_count = (select count(*) from raw.observations o where o.report_id = r.report_id)
               where r.status = 'new' and r.first_run_id = %s
                 and r.report_id in (select distinct report_id from raw.observations where run_id = %s)""",
            (run_id, run_id),
        )
        conn.commit()
    return n


def mark_extracted(report_ids: list[str]) -> None:
    """Reports that were read but stated nothing still move on from `new`."""
    if not report_ids:
        return
    with psycopg.connect(warehouse_url(), autocommit=True) as conn:
        conn.execute(
            """update raw.reports r set status = 'extracted', updated_at = now(),
                   observation_count = (select count(*) from raw.observations o where o.report_id = r.report_id)
               where r.report_id = any(%s) and r.status = 'new'""", (report_ids,))


def record_run(run_id: str, landed: list[dict], loaded: list[int], quarantined: int, docs_path: str | None) -> dict:
    summary = {
        "run_id": run_id,
        "reports_seen": sum(len(b["new"]) + len(b["failed"]) + len(b["known"]) for b in landed),
        "reports_new": sum(len(b["new"]) for b in landed),
        "reports_failed": sum(len(b["failed"]) for b in landed),
        "observations_loaded": sum(loaded),
        "observations_quarantined": quarantined,
        "data_docs_path": docs_path,
    }
    with psycopg.connect(warehouse_url(), autocommit=True) as conn:
        conn.execute(
            """insert into audit.pipeline_runs (run_id, finished_at, reports_seen, reports_new, reports_failed,
                   observations_loaded, observations_quarantined, data_docs_path)
               values (%(run_id)s, now(), %(reports_seen)s, %(reports_new)s, %(reports_failed)s,
                       %(observations_loaded)s, %(observations_quarantined)s, %(data_docs_path)s)
               on conflict (run_id) do update set finished_at = now(), reports_seen = excluded.reports_seen,
                   reports_new = excluded.reports_new, reports_failed = excluded.reports_failed,
                   observations_loaded = excluded.observations_loaded,
                   observations_quarantined = excluded.observations_quarantined,
                   data_docs_path = excluded.data_docs_path""", summary)
    return summary
