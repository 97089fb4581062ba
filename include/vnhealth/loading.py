"""Loading extracted observations into `raw.observations`: upserts keyed by a stable id, so a
re-run or a backfill of the same report never duplicates a row."""
from __future__ import annotations

import json
from pathlib import Path

import psycopg

from vnhealth.extraction import EXTRACTOR_VERSION

_COLUMNS = ["observation_id", "report_id", "source", "indicator", "value", "unit", "kind", "qualifier",
            "period_start", "period_end", "area", "dimension", "facility", "evidence", "evidence_start",
            "evidence_end", "extractor_version", "run_id"]


def load_batch(conn: psycopg.Connection, batch_file: Path, run_id: str) -> int:
    """Upsert one extracted batch (JSON Lines with report_id and observation_id); returns rows written."""
    rows = []
    with open(batch_file, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                o = json.loads(line)
                o.setdefault("extractor_version", EXTRACTOR_VERSION)
                o["run_id"] = run_id
                rows.append(tuple(o.get(c) for c in _COLUMNS))
    if not rows:
        return 0
    placeholders = ", ".join(["%s"] * len(_COLUMNS))
    updates = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c not in ("observation_id", "run_id"))
    with conn.cursor() as cur:
        cur.executemany(
            f"insert into raw.observations ({', '.join(_COLUMNS)}) values ({placeholders}) "
            f"on conflict (observation_id) do update set {updates}",
            rows,
        )
    return len(rows)
