"""The nightly job's steps as plain functions with small inputs and outputs.

The Airflow DAG wraps each in a TaskFlow task; they pass only references (locations, report ids,
batch file paths, run ids), read settings from the environment, and are idempotent.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from dataclasses import asdict
from datetime import date
from pathlib import Path

import psycopg

from vnhealth import landing, loading
from vnhealth.documents import MAX_BYTES_DEFAULT, DocumentError, read_document
from vnhealth.extraction import EXTRACTOR_VERSION, extract_text
from vnhealth.settings import get_settings, safe_run_dir
from vnhealth.sources import Candidate, discover, load_sources, matches
from vnhealth.warehouse import WarehouseError, warehouse_url


def _chunks(items: list, size: int, max_batches: int | None = None) -> list[list]:
    """Batches of `size`, or larger ones when there would be more than `max_batches`: each mapped
    task instance costs Airflow a fixed time, so a backfill makes at most `max_batches` of them
    and their cost stops growing with the reports (bench/pipeline.py)."""
    if max_batches and len(items) > size * max_batches:
        size = -(-len(items) // max_batches)
    return [items[i : i + size] for i in range(0, len(items), size)]


def discover_batches(
    batch_size: int = 20, run_id: str | None = None, max_batches: int | None = None
) -> list[list[dict]]:
    """The locations the configured sources offer that may hold something new, in batches that tasks
    can be mapped over. A file whose size and mtime are those of the version already held is not
    read or hashed again: its sighting is recorded here (with `run_id`), as an HTTP 304 would be."""
    settings = get_settings()
    candidates = [c for s in load_sources(settings.sources_file) for c in discover(s)]
    if run_id is not None and any(c.stamp for c in candidates):
        with psycopg.connect(warehouse_url()) as conn:
            seen = landing.touch_unchanged(
                conn, [(c.source, c.location, c.stamp) for c in candidates if c.stamp], run_id
            )
        candidates = [c for c in candidates if (c.source, c.location) not in seen]
    return _chunks([asdict(c) for c in candidates], batch_size, max_batches) or [[]]


def land_batch(batch: list[dict], run_id: str) -> dict:
    """Archive and register each candidate; returns the ids of reports new in this run."""
    settings = get_settings()
    sources = {s.name: s for s in load_sources(settings.sources_file)}
    landing.resolved.cache_clear()  # roots resolved once per batch: a symlink moved since is followed
    new, failed, known = [], [], []
    # One transaction for the batch: a run stopped here leaves none of it behind, and the next run lands it.
    with psycopg.connect(warehouse_url()) as conn:
        stored = []
        for item in batch:
            cand = Candidate(**item)
            source = sources[cand.source]
            fetched = _fetch(source, cand, conn)
            if fetched.failure == "not_modified":
                # The server says the report we hold is current: a sighting, not a new version.
                known.append(landing.touch_sighting(conn, cand.source, cand.location, run_id))
                continue
            stored.append(
                landing.archive(
                    settings.archive_root,
                    cand.source,
                    cand.location,
                    fetched.data,
                    failure=fetched.failure,
                    defaults=source.defaults,
                    etag=fetched.etag,
                    last_modified=fetched.last_modified,
                )
            )
        for result in landing.land(conn, stored, run_id):
            {"new": new, "failed": failed, "known": known}[result.status].append(result.report_id)
    return {"new": new, "failed": failed, "known": known}


def _fetch(source, cand: Candidate, conn: psycopg.Connection):
    from vnhealth.fetching import Fetched, fetch

    if source.type == "directory":
        path = Path(cand.location)
        root = Path(landing.resolved(Path(source.settings["path"])))
        if not path.resolve().is_relative_to(root):
            return Fetched(None, failure=f"unsafe_path: {cand.location} is outside {root}")
        if not matches(source, path.name):
            return Fetched(
                None,
                failure=f"unsupported_format: {path.name} matches none of the source's patterns "
                f"({', '.join(source.settings.get('patterns', []))})",
            )
        max_bytes = int(source.settings.get("max_bytes", 50 * 1024 * 1024))
        try:
            size = path.stat().st_size
            if size > max_bytes:  # before reading: a 4 GiB file never reaches memory or the archive
                return Fetched(None, failure=f"too_large: {size} bytes, over the limit of {max_bytes} bytes")
            # the stamp (size, mtime) is the file's validator, as an ETag is a web page's
            return Fetched(path.read_bytes(), etag=cand.stamp)
        except OSError as exc:  # removed or unreadable since discovery
            return Fetched(None, failure=f"unreadable_file: {exc}")
    etag, last_modified = landing.validators(conn, cand.source, cand.location)
    return fetch(source, cand.location, etag=etag, last_modified=last_modified)


def extraction_batches(batch_size: int = 20, max_batches: int | None = None) -> list[list[str]]:
    """Every report waiting to be read, in batches: those landed now and those an earlier run left
    unread, whatever stopped it (a report is read until it has been read)."""
    with psycopg.connect(warehouse_url(), autocommit=True) as conn:
        ids = [r for (r,) in conn.execute("select report_id from raw.reports where status = 'new' order by report_id")]
    return _chunks(ids, batch_size, max_batches)


def reextraction_batches(
    batch_size: int = 20,
    *,
    everything: bool = False,
    report: str | None = None,
    since: date | None = None,
    max_batches: int | None = None,
) -> list[list[str]]:
    """Archived reports to read again. By default those whose current reading is by another extractor
    version; `everything` adds every readable report (and those that failed to read, which a newer
    reader may read); `report` picks one by sha256 (or a unique prefix); `since` those fetched since."""
    where, params = ["r.size_bytes > 0", "r.status in ('extracted', 'failed', 'new')"], []
    if report:
        where.append("r.report_id like %s")
        params.append(report.lower() + "%")
    if since:
        where.append("r.fetched_at >= %s")
        params.append(since)
    if not (everything or report or since):
        where.append("""r.status = 'extracted' and not exists (select 1 from raw.extractions e where
        e.report_id = r.report_id
                         and e.is_current and e.extractor_version = %s)""")
        params.append(EXTRACTOR_VERSION)
    with psycopg.connect(warehouse_url(), autocommit=True) as conn:
        ids = [
            r
            for (r,) in conn.execute(
                f"select r.report_id from raw.reports r where {' and '.join(where)} order by r.report_id", params
            )
        ]
    if report and len(ids) != 1:
        raise LookupError(f"{len(ids)} reports match {report!r}; give more of the sha256")
    return _chunks(ids, batch_size, max_batches)


def extract_batch(report_ids: list[str], run_id: str) -> str | None:
    """Read the given reports into one batch (observations, or the reason a report cannot be read;
    `loading.BatchWriter`); returns the path of its readings file. Writes nothing to the warehouse:
    loading the batch is one transaction."""
    if not report_ids:
        return None
    settings = get_settings()
    out_dir = settings.work_dir / safe_run_dir(run_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256("\n".join(sorted(report_ids)).encode()).hexdigest()[:16]
    out_path = out_dir / f"batch-{digest}.jsonl"
    with psycopg.connect(warehouse_url(), autocommit=True) as conn:
        reports = {
            r[0]: r[1:]
            for r in conn.execute(
                "select report_id, archive_path, location, province, size_bytes from raw.reports where "
                "report_id = any(%s)",
                (report_ids,),
            )
        }
    with loading.BatchWriter(out_path, run_id) as batch:
        for report_id in report_ids:
            archive_path, location, landed_province, size = reports[report_id]
            try:
                # The one reading of the file: its text, format and metadata. Its size was checked
                # against the source's limit when it was fetched.
                doc = read_document(Path(archive_path).read_bytes(), max_bytes=max(size or 0, MAX_BYTES_DEFAULT))
            except (DocumentError, OSError) as exc:  # unreadable, or the archive changed under us
                batch.write(report_id, EXTRACTOR_VERSION, None, failure=str(exc))
                continue
            document = {
                "media_type": doc.media_type,
                "encoding": doc.encoding,
                "text_source": doc.text_source,
                **doc.metadata,
            }
            province = doc.metadata.get("province") or landed_province  # the text's, else the source's default
            observations = [
                o.contract()
                for o in extract_text(doc.text, Path(location).name, default_area=province, normalized=True)
            ]
            batch.write(report_id, EXTRACTOR_VERSION, observations, document=document)
    return str(out_path)


def load_batch_file(batch_file: str | None, run_id: str) -> int:
    """Load one batch file in one transaction; returns the observations written."""
    if not batch_file:
        return 0
    with psycopg.connect(warehouse_url()) as conn:
        return loading.load_batch(conn, Path(batch_file), run_id).observations_written


def run_counts(conn: psycopg.Connection, run_id: str) -> dict:
    """What a run did, counted from the tables it wrote (never from what its tasks returned)."""
    row = conn.execute(
        """select
             (select count(distinct report_id) from raw.report_sightings where last_run_id = %(r)s),
             (select count(*) from raw.reports where first_run_id = %(r)s),
             (select count(*) from raw.reports where status = 'failed' and status_run_id = %(r)s),
             (select count(*) from raw.extractions where run_id = %(r)s),
             (select count(*) from raw.observations where run_id = %(r)s),
             (select count(distinct observation_id) from audit.quarantined_observations where run_id = %(r)s)""",
        {"r": run_id},
    ).fetchone()
    keys = [
        "reports_seen",
        "reports_new",
        "reports_failed",
        "reports_extracted",
        "observations_loaded",
        "observations_quarantined",
    ]
    return dict(zip(keys, row))


def record_run(
    run_id: str, docs_path: str | None, run_kind: str = "nightly", failed_tasks: list[str] | None = None
) -> dict:
    """Record the run's counts and status in audit.pipeline_runs, write its night page and the index
    of all nights, and drop its work files (all loaded by now)."""
    from vnhealth import lineage, night, overview

    failed_tasks = sorted(failed_tasks or [])
    settings = get_settings()
    run_dir = settings.data_docs_root / "runs" / safe_run_dir(run_id)
    with psycopg.connect(warehouse_url(), autocommit=True) as conn:
        # this run's lineage so far (this task's own end, and the run's, come with the next load)
        lineage.load_events(conn)
        lineage.write_run_events(conn, run_id, run_dir / "lineage.jsonl")
        summary = {
            "run_id": run_id,
            "run_kind": run_kind,
            "data_docs_path": docs_path,
            **run_counts(conn, run_id),
            "status": night.run_status(conn, run_id, failed_tasks),
            "failed_tasks": failed_tasks,
        }
        conn.execute(
            """insert into audit.pipeline_runs (run_id, run_kind, finished_at, reports_seen, reports_new,
            reports_failed,
                   reports_extracted, observations_loaded, observations_quarantined, data_docs_path, status,
                   failed_tasks)
               values (%(run_id)s, %(run_kind)s, now(), %(reports_seen)s, %(reports_new)s, %(reports_failed)s,
                       %(reports_extracted)s, %(observations_loaded)s, %(observations_quarantined)s, %(data_docs_path)s,
                       %(status)s, %(failed_tasks)s)
               on conflict (run_id) do update set run_kind = excluded.run_kind, finished_at = now(),
                   reports_seen = excluded.reports_seen, reports_new = excluded.reports_new,
                   reports_failed = excluded.reports_failed, reports_extracted = excluded.reports_extracted,
                   observations_loaded = excluded.observations_loaded,
                   observations_quarantined = excluded.observations_quarantined,
                   data_docs_path = excluded.data_docs_path, status = excluded.status,
                   failed_tasks = excluded.failed_tasks""",
            summary,
        )
    try:
        overview.write_overview(run_id, run_dir, settings.data_docs_root)
    except (psycopg.Error, WarehouseError) as error:  # e.g. an external warehouse without bi_reader
        logging.getLogger(__name__).warning("no overview page for %s: %s", run_id, error)
    night.write_night_page(run_id, run_dir)
    night.write_index()
    shutil.rmtree(settings.work_dir / safe_run_dir(run_id), ignore_errors=True)
    return summary


def dbt_project_checksum(manifest: Path | None = None) -> str:
    """A checksum of what the dbt project builds: every node's own checksum (models, seeds, tests),
    not the manifest's timestamps, so that parsing again without a change gives the same value."""
    import json

    path = manifest or get_settings().dbt_project_dir / "target" / "manifest.json"
    nodes = json.loads(path.read_text(encoding="utf-8")).get("nodes", {})
    parts = sorted(f"{uid}={(node.get('checksum') or {}).get('checksum', '')}" for uid, node in nodes.items())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def marts_out_of_date(run_id: str) -> tuple[bool, str]:
    """Whether the marts must be built, and why: rows read, reports landed or failed, or quarantine
    moved since the last build that passed validation (by this run or one a crash stopped after its
    loads), a dbt project changed since, or no build yet."""
    with psycopg.connect(warehouse_url(), autocommit=True) as conn:
        last = conn.execute(
            "select project_sha256, built_at from audit.mart_builds order by built_at desc limit 1"
        ).fetchone()
        if last is None:
            return True, "no build of the marts yet"
        if last[0] != dbt_project_checksum():
            return True, "the dbt project changed since the last build"
        changed = conn.execute(
            """select (select count(*) from raw.extractions where extracted_at > %(t)s or superseded_at > %(t)s)
                    + (select count(*) from raw.reports where fetched_at > %(t)s or updated_at > %(t)s)
                    + (select count(*) from audit.quarantined_observations
                       where quarantined_at > %(t)s or released_at > %(t)s)""",
            {"t": last[1]},
        ).fetchone()[0]
    if changed:
        return True, f"{changed} rows changed since the last build"
    return False, f"nothing changed since the last build ({last[1]:%Y-%m-%d %H:%M} UTC)"


def record_mart_build(run_id: str) -> None:
    with psycopg.connect(warehouse_url(), autocommit=True) as conn:
        conn.execute(
            "insert into audit.mart_builds (run_id, project_sha256) values (%s, %s) "
            "on conflict (run_id) do update set project_sha256 = excluded.project_sha256, built_at = now()",
            (run_id, dbt_project_checksum()),
        )
