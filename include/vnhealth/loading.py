"""Loading extractions into the warehouse: one transaction per batch, nothing overwritten.

A batch file holds one JSON line per report read: its id, the extractor version, and either its
observations or the reason it could not be read. Loading a batch records each reading in
`raw.extractions`, inserts its observations, supersedes (but keeps) the report's previous
reading, records what changed between the two, and sets the report's status: all or nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import psycopg

OBSERVATION_COLUMNS = [
    "observation_id",
    "report_id",
    "source",
    "indicator",
    "value",
    "unit",
    "kind",
    "qualifier",
    "period_start",
    "period_end",
    "area",
    "dimension",
    "facility",
    "evidence",
    "evidence_start",
    "evidence_end",
    "extractor_version",
    "run_id",
]

# What makes two figures different facts. The extractor version is not among them: the same fact
# read by two versions keeps its id, so an auditor's reference survives a re-extraction.
IDENTITY_FIELDS = (
    "indicator",
    "kind",
    "qualifier",
    "dimension",
    "facility",
    "area",
    "period_start",
    "period_end",
    "value",
    "evidence_start",
    "evidence_end",
)


class LoadError(RuntimeError):
    """The warehouse does not hold exactly the rows a batch gave it."""


def observation_id(report_id: str, row: dict) -> str:
    """sha256 of the report's sha256 and every field that makes the figure a different fact."""
    parts = [report_id]
    for name in IDENTITY_FIELDS:
        value = row.get(name)
        parts.append("" if value is None else repr(float(value)) if name == "value" else str(value))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass
class BatchResult:
    reports_read: int  # readings recorded now (a report already read by this version is not counted)
    reports_failed: int
    observations_written: int


DOCUMENT_COLUMNS = [
    "media_type",
    "encoding",
    "text_source",
    "title",
    "document_number",
    "issuing_body",
    "province",
    "issue_date",
    "period_label",
    "period_start",
    "period_end",
]


def write_reading(
    fh,
    report_id: str,
    extractor_version: str,
    observations: list[dict] | None,
    failure: str | None = None,
    document: dict | None = None,
) -> None:
    """One report's line in a batch file: its observations (with ids) and what its text says of it
    (format, title, number, issuer, province, date, period), or why it could not be read."""
    rows = []
    seen: set[str] = set()
    for obs in observations or []:
        row = {**obs, "report_id": report_id, "extractor_version": extractor_version}
        row["observation_id"] = observation_id(report_id, row)
        if row["observation_id"] in seen:
            continue  # the very same fact stated twice at the same place is one fact
        seen.add(row["observation_id"])
        rows.append(row)
    line = {
        "report_id": report_id,
        "extractor_version": extractor_version,
        "status": "failed" if failure else "extracted",
        "reason": failure,
        "observations": rows,
        "document": {k: (document or {}).get(k) for k in DOCUMENT_COLUMNS} if document else None,
    }
    fh.write(json.dumps(line, ensure_ascii=False) + "\n")


def read_batch(batch_file: Path) -> list[dict]:
    with open(batch_file, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_batch(conn: psycopg.Connection, batch_file: Path, run_id: str) -> BatchResult:
    """Load one batch in one transaction; raise LoadError (and write nothing) if the result differs."""
    readings = read_batch(batch_file)
    with conn.transaction():
        failed = [r for r in readings if r["status"] == "failed"]
        for r in failed:
            # A report that had been read keeps its reading; one never read is marked failed with the reason.
            # (failing again for the same reason changes nothing, and touches nothing)
            conn.execute(
                """update raw.reports set status = 'failed', failure_reason = %s, status_run_id = %s,
                                updated_at = now()
                            where report_id = %s and (status = 'new'
                                                      or (status = 'failed' and failure_reason is distinct from %s))""",
                (r["reason"], run_id, r["report_id"], r["reason"]),
            )
        read = [r for r in readings if r["status"] == "extracted"]
        _record_documents(conn, [r for r in read if r.get("document")])
        fresh = _not_yet_read(conn, read)
        written = _insert_readings(conn, fresh, run_id) if fresh else 0
    return BatchResult(len(fresh), len(failed), written)


def _record_documents(conn: psycopg.Connection, readings: list[dict]) -> None:
    """What each report's text says of it, read in the same pass as its figures. A province or
    issuer the text does not name keeps the source's default that landing recorded."""
    if not readings:
        return
    with conn.cursor() as cur:
        cur.executemany(
            """update raw.reports set media_type = coalesce(%(media_type)s, media_type), encoding = %(encoding)s,
                   text_source = coalesce(%(text_source)s, text_source), title = %(title)s,
                   document_number = %(document_number)s, issuing_body = coalesce(%(issuing_body)s, issuing_body),
                   province = coalesce(%(province)s, province), issue_date = %(issue_date)s,
                   period_label = %(period_label)s, period_start = %(period_start)s, period_end = %(period_end)s
               where report_id = %(report_id)s""",
            [{**r["document"], "report_id": r["report_id"]} for r in readings],
        )


def _not_yet_read(conn: psycopg.Connection, readings: list[dict]) -> list[dict]:
    """The readings no earlier run recorded; a reading recorded before must have read the same facts.
    Two queries for the whole batch, whatever its size."""
    if not readings:
        return []
    ids, versions = [r["report_id"] for r in readings], [r["extractor_version"] for r in readings]
    held_readings = set(
        conn.execute(
            """select e.report_id, e.extractor_version from raw.extractions e
           join unnest(%s::text[], %s::text[]) as b(report_id, extractor_version) using (report_id,
           extractor_version)""",
            (ids, versions),
        ).fetchall()
    )
    again = [r for r in readings if (r["report_id"], r["extractor_version"]) in held_readings]
    if again:
        held: dict[tuple[str, str], set[str]] = {(r["report_id"], r["extractor_version"]): set() for r in again}
        for report_id, version, obs_id in conn.execute(
            """select o.report_id, o.extractor_version, o.observation_id from raw.observations o
                   join unnest(%s::text[], %s::text[]) as b(report_id, extractor_version)
                   using (report_id, extractor_version)""",
            ([r["report_id"] for r in again], [r["extractor_version"] for r in again]),
        ):
            held[(report_id, version)].add(obs_id)
        for reading in again:
            before = held[(reading["report_id"], reading["extractor_version"])]
            given = {o["observation_id"] for o in reading["observations"]}
            if before != given:
                raise LoadError(
                    f"report {reading['report_id']} was read by extractor {reading['extractor_version']} before with "
                    f"{len(before)} observations; this reading has {len(given)} ({len(given - before)} new, "
                    f"{len(before - given)} missing): the extractor changed without a new EXTRACTOR_VERSION; "
                    "bump it and re-extract"
                )
    return [r for r in readings if (r["report_id"], r["extractor_version"]) not in held_readings]


def _insert_readings(conn: psycopg.Connection, readings: list[dict], run_id: str) -> int:
    rows = [o for r in readings for o in r["observations"]]
    ids = [r["report_id"] for r in readings]
    previous = conn.execute(
        """select e.report_id, e.extractor_version, b.extractor_version from raw.extractions e
           join unnest(%s::text[], %s::text[]) as b(report_id, extractor_version) using (report_id)
           where e.is_current""",
        (ids, [r["extractor_version"] for r in readings]),
    ).fetchall()
    if previous:
        # a new reading supersedes an earlier one: what changed is worked out against the rows held
        written = _insert_superseding(conn, readings, rows, previous, run_id)
    else:
        # first readings (every report of a backfill): straight into the table, as a plain COPY would
        with conn.cursor() as cur:
            cur.executemany(
                """insert into raw.extractions (report_id, extractor_version, run_id, observation_count,
                                   is_current) values (%s, %s, %s, %s, true)""",
                [(r["report_id"], r["extractor_version"], run_id, len(r["observations"])) for r in readings],
            )
            with cur.copy(f"copy raw.observations ({', '.join(OBSERVATION_COLUMNS)}) from stdin") as copy:
                for o in rows:
                    copy.write_row([run_id if c == "run_id" else o.get(c) for c in OBSERVATION_COLUMNS])
            written = cur.rowcount
    if written != len(rows):
        raise LoadError(f"batch of {len(rows)} observations: wrote {written}")
    with conn.cursor() as cur:
        cur.executemany(
            """update raw.reports set status = 'extracted', failure_reason = null, status_run_id = %s,
                               observation_count = %s, updated_at = now() where report_id = %s""",
            [(run_id, len(r["observations"]), r["report_id"]) for r in readings],
        )
    return written


def _insert_superseding(
    conn: psycopg.Connection, readings: list[dict], rows: list[dict], previous: list[tuple[str, str, str]], run_id: str
) -> int:
    conn.execute("create temp table batch_observations (like raw.observations including defaults) on commit drop")
    conn.execute(
        "create temp table batch_readings (report_id text, extractor_version text, observation_count int) "
        "on commit drop"
    )
    with conn.cursor() as cur:
        with cur.copy(f"copy batch_observations ({', '.join(OBSERVATION_COLUMNS)}) from stdin") as copy:
            for o in rows:
                copy.write_row([run_id if c == "run_id" else o.get(c) for c in OBSERVATION_COLUMNS])
        with cur.copy("copy batch_readings from stdin") as copy:
            for r in readings:
                copy.write_row((r["report_id"], r["extractor_version"], len(r["observations"])))
    conn.execute("""update raw.extractions e set is_current = false, superseded_at = now(),
                        superseded_by_version = b.extractor_version
                    from batch_readings b where e.report_id = b.report_id and e.is_current""")
    conn.execute(
        """insert into raw.extractions (report_id, extractor_version, run_id, observation_count, is_current)
                    select report_id, extractor_version, %s, observation_count, true from batch_readings""",
        (run_id,),
    )
    written = conn.execute(f"""insert into raw.observations ({", ".join(OBSERVATION_COLUMNS)})
                               select {", ".join(OBSERVATION_COLUMNS)} from batch_observations""").rowcount
    held = conn.execute("""select count(*) from raw.observations o
                           join batch_readings b using (report_id, extractor_version)""").fetchone()[0]
    if not (written == held == len(rows)):
        raise LoadError(
            f"batch of {len(rows)} observations: wrote {written}, the table holds {held} rows for its readings"
        )
    _record_changes(conn, previous, run_id)
    return written


def _record_changes(conn: psycopg.Connection, previous: list[tuple[str, str, str]], run_id: str) -> None:
    """What the new reading added, dropped and changed against the reading it supersedes."""
    conn.execute(
        """
        insert into audit.extraction_changes (change_id, report_id, from_version, to_version, change,
            old_observation_id, new_observation_id, indicator, old_value, new_value, old_period, new_period,
            evidence, run_id)
        with p as (select * from unnest(%s::text[], %s::text[], %s::text[]) as p(report_id, from_version, to_version)),
        old as (select o.* from raw.observations o join p on o.report_id = p.report_id and o.extractor_version
        = p.from_version),
        new as (select b.* from batch_observations b join p using (report_id)),
        old_only as (
            select o.*, row_number() over (partition by o.report_id, o.indicator, o.kind, o.dimension, o.facility,
                                           o.evidence_start order by o.observation_id) as k
            from old o where not exists (select 1 from new n where n.report_id = o.report_id
                                                                and n.observation_id = o.observation_id)),
        new_only as (
            select n.*, row_number() over (partition by n.report_id, n.indicator, n.kind, n.dimension, n.facility,
                                           n.evidence_start order by n.observation_id) as k
            from new n where not exists (select 1 from old o where o.report_id = n.report_id
                                                                and o.observation_id = n.observation_id)),
        paired as (
            select coalesce(o.report_id, n.report_id) as report_id, o.observation_id as old_id,
            n.observation_id as new_id,
                   coalesce(n.indicator, o.indicator) as indicator, o.value as old_value, n.value as new_value,
                   o.period_start || '..' || o.period_end as old_period, n.period_start || '..' || n.period_end
                   as new_period,
                   coalesce(n.evidence, o.evidence) as evidence
            from old_only o
            full join new_only n on n.report_id = o.report_id and n.indicator = o.indicator and n.kind = o.kind
                 and n.dimension is not distinct from o.dimension and n.facility is not distinct from o.facility
                 and n.evidence_start = o.evidence_start and n.k = o.k)
        select md5(x.report_id || p.from_version || p.to_version || coalesce(old_id, '') || coalesce(new_id, '')),
               x.report_id, p.from_version, p.to_version,
               case when old_id is null then 'added' when new_id is null then 'dropped' else 'changed' end,
               old_id, new_id, indicator, old_value, new_value, old_period, new_period, evidence, %s
        from paired x join p using (report_id)
        on conflict (change_id) do nothing
        """,
        ([p[0] for p in previous], [p[1] for p in previous], [p[2] for p in previous], run_id),
    )
