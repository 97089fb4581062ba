"""OpenLineage events into the warehouse, so that an auditor can see without a lineage server which
task, and which dbt model, produced each table in a given night.

Airflow's OpenLineage provider (with cosmos for dbt's models) appends one JSON event per line to the
file its file transport is configured with (`AIRFLOW__OPENLINEAGE__TRANSPORT`, set by scripts/env.sh).
Each run's publication loads what was appended since the last load into `audit.lineage_events` and
writes that run's events to `runs/<run>/lineage.jsonl` beside its night page.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg.types.json import Jsonb


def lineage_log_path() -> Path | None:
    """The file the OpenLineage file transport appends to, or None when lineage goes elsewhere (an
    HTTP backend, Kafka) or is off."""
    raw = os.environ.get("AIRFLOW__OPENLINEAGE__TRANSPORT", "").strip()
    if not raw:
        return None
    try:
        transport = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValueError(f"AIRFLOW__OPENLINEAGE__TRANSPORT is not JSON: {error}") from error
    if transport.get("type") != "file" or not transport.get("append") or "://" in transport.get("log_file_path", ""):
        return None
    return Path(transport["log_file_path"])


def _complete_lines(path: Path, offset: int) -> tuple[list[bytes], int]:
    """The whole lines written after `offset` (a line being written now waits for the next load)."""
    with path.open("rb") as handle:
        handle.seek(offset)
        data = handle.read()
    end = data.rfind(b"\n") + 1
    return [line for line in data[:end].split(b"\n") if line.strip()], offset + end


def _rows(lines: list[bytes]) -> Iterator[dict]:
    for line in lines:
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line torn by a crash mid-write: it holds no event to keep
        if "eventType" not in event or "job" not in event:
            continue
        facets = (event.get("run") or {}).get("facets") or {}
        airflow = facets.get("airflow") or facets.get("airflowDagRun") or {}
        dag_id = (airflow.get("dag") or {}).get("dag_id")
        job_name = event["job"].get("name", "")
        task_id = job_name[len(dag_id) + 1 :] if dag_id and job_name.startswith(f"{dag_id}.") else None
        yield {
            "event_id": hashlib.sha256(line).hexdigest(),
            "airflow_run_id": (airflow.get("dagRun") or {}).get("run_id"),
            "dag_id": dag_id,
            "task_id": task_id,
            "job_name": job_name,
            "event_type": event["eventType"],
            "event_time": event["eventTime"],
            "openlineage_run_id": (event.get("run") or {}).get("runId", ""),
            "input_names": [d.get("name", "") for d in event.get("inputs") or []],
            "output_names": [d.get("name", "") for d in event.get("outputs") or []],
            "event": Jsonb(event),
        }


def load_events(conn: psycopg.Connection, path: Path | None = None) -> int:
    """Load the events appended since the last load; returns how many were new. Idempotent: an event
    loaded twice (a load that crashed before recording its offset) is kept once."""
    path = path or lineage_log_path()
    if path is None or not path.exists():
        return 0
    key = str(path.resolve())
    with conn.transaction():
        row = conn.execute(
            "select loaded_bytes from audit.lineage_log_offsets where log_path = %s for update", (key,)
        ).fetchone()
        offset = row[0] if row and row[0] <= path.stat().st_size else 0  # a truncated or rotated file starts over
        lines, new_offset = _complete_lines(path, offset)
        rows = list(_rows(lines))
        loaded = 0
        if rows:
            with conn.cursor() as cur:
                cur.executemany(
                    """insert into audit.lineage_events (event_id, airflow_run_id, dag_id, task_id, job_name,
                    event_type,
                           event_time, openlineage_run_id, input_names, output_names, event)
                       values (%(event_id)s, %(airflow_run_id)s, %(dag_id)s, %(task_id)s, %(job_name)s, %(event_type)s,
                               %(event_time)s, %(openlineage_run_id)s, %(input_names)s, %(output_names)s, %(event)s)
                       on conflict (event_id) do nothing""",
                    rows,
                )
                loaded = max(cur.rowcount, 0)
        conn.execute(
            """insert into audit.lineage_log_offsets (log_path, loaded_bytes) values (%s, %s)
               on conflict (log_path) do update set loaded_bytes = excluded.loaded_bytes, loaded_at = now()""",
            (key, new_offset),
        )
    return loaded


def write_run_events(conn: psycopg.Connection, run_id: str, target: Path) -> int:
    """The run's events, in order, as JSON lines (the file an OpenLineage consumer reads)."""
    events = conn.execute(
        "select event from audit.lineage_events where airflow_run_id = %s order by event_time, event_id", (run_id,)
    ).fetchall()
    if not events:
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8") as handle:
        for (event,) in events:
            handle.write(json.dumps(event, ensure_ascii=False) + "\n")
    return len(events)


def produced_by(conn: psycopg.Connection, run_id: str) -> list[tuple[str, str, str]]:
    """(table, task, event time) for each table a task of the run wrote, as its COMPLETE event says."""
    return [
        tuple(r)
        for r in conn.execute(
            """select dataset_name, task_id, to_char(event_time at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS')
           from audit.lineage_datasets
           where airflow_run_id = %s and direction = 'output' and event_type = 'COMPLETE'
           order by dataset_name""",
            (run_id,),
        ).fetchall()
    ]
