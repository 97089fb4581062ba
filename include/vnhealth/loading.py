"""Loading extractions into the warehouse: one transaction per batch, nothing overwritten.

A batch is two files written by one extraction task. `batch-<id>.jsonl` holds one JSON line per
report read: its id, the extractor version, what its text says of it and how many observations it
gave, or the reason it could not be read. `batch-<id>.observations.tsv` holds the observations in
PostgreSQL's COPY text format, so that loading them is a plain COPY of the file (Python building
each row from JSON cost three times the COPY itself; bench/loading.py). Loading a batch records each
reading in `raw.extractions`, inserts its observations, supersedes (but keeps) the report's previous
reading, records what changed between the two, and sets the report's status: all or nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
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


# COPY's text format: a backslash, tab, newline or carriage return in a value is escaped, a null is \N.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")
_COPY_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}
_NUMERIC = {"value": float, "evidence_start": int, "evidence_end": int}


def observations_file(batch_file: Path) -> Path:
    """The COPY file that goes with a batch's readings."""
    return batch_file.with_suffix(".observations.tsv")


def _copy_field(value: object) -> str:
    if value is None:
        return "\\N"
    if type(value) is str:
        return value.translate(_COPY_ESCAPES) if _NEEDS_ESCAPE.search(value) else value
    return repr(value) if type(value) is float else str(value)


def _copy_line(row: dict) -> str:
    return "\t".join([_copy_field(row.get(c)) for c in OBSERVATION_COLUMNS]) + "\n"


def _parse_copy_field(field: str) -> str | None:
    if field == "\\N":
        return None
    if "\\" not in field:
        return field
    out, chars = [], iter(field)
    for c in chars:
        out.append(_COPY_UNESCAPES.get(next(chars, ""), "") if c == "\\" else c)
    return "".join(out)


class BatchWriter:
    """Writes a batch's two files under temporary names and renames them when closed, the readings
    last: a batch file that exists is complete."""

    def __init__(self, batch_file: Path, run_id: str):
        self.path, self.run_id = batch_file, run_id
        self._readings = open(batch_file.with_suffix(".part"), "w", encoding="utf-8")
        self._rows = open(observations_file(batch_file).with_suffix(".part"), "w", encoding="utf-8")

    def write(
        self,
        report_id: str,
        extractor_version: str,
        observations: list[dict] | None,
        failure: str | None = None,
        document: dict | None = None,
    ) -> None:
        """One report: its observations (with ids) and what its text says of it (format, title,
        number, issuer, province, date, period), or why it could not be read."""
        seen: set[str] = set()
        lines = []
        for obs in observations or []:
            row = {**obs, "report_id": report_id, "extractor_version": extractor_version, "run_id": self.run_id}
            row["observation_id"] = observation_id(report_id, row)
            if row["observation_id"] in seen:
                continue  # the very same fact stated twice at the same place is one fact
            seen.add(row["observation_id"])
            lines.append(_copy_line(row))
        self._rows.writelines(lines)
        line = {
            "report_id": report_id,
            "extractor_version": extractor_version,
            "status": "failed" if failure else "extracted",
            "reason": failure,
            "observation_count": len(lines),
            "document": {k: (document or {}).get(k) for k in DOCUMENT_COLUMNS} if document else None,
        }
        self._readings.write(json.dumps(line, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self._rows.close()
        self._readings.close()
        observations_file(self.path).with_suffix(".part").replace(observations_file(self.path))
        self.path.with_suffix(".part").replace(self.path)

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.close()
        else:
            self._rows.close()
            self._readings.close()


def read_observations(batch_file: Path) -> list[dict]:
    """The batch's observations as dictionaries (for checks and tests; loading copies the file)."""
    rows = []
    with open(observations_file(batch_file), encoding="utf-8") as fh:
        for line in fh:
            row = dict(zip(OBSERVATION_COLUMNS, map(_parse_copy_field, line.rstrip("\n").split("\t"))))
            for name, kind in _NUMERIC.items():
                if row[name] is not None:
                    row[name] = kind(row[name])
            rows.append(row)
    return rows


def read_batch(batch_file: Path) -> list[dict]:
    """Each reading of a batch with its observations (for checks and tests)."""
    readings = _readings(batch_file)
    by_report: dict[str, list[dict]] = {}
    for row in read_observations(batch_file):
        by_report.setdefault(row["report_id"], []).append(row)
    for r in readings:
        r["observations"] = by_report.get(r["report_id"], []) if r["status"] == "extracted" else []
    return readings


def write_batch(batch_file: Path, readings: list[dict], run_id: str) -> None:
    """Write readings (as `read_batch` gives them) back as a batch, their observations as they are."""
    with open(batch_file, "w", encoding="utf-8") as fh, open(observations_file(batch_file), "w") as rows:
        for r in readings:
            observations = r.get("observations") or []
            rows.writelines(_copy_line({**o, "run_id": run_id}) for o in observations)
            line = {k: v for k, v in r.items() if k != "observations"}
            fh.write(json.dumps({**line, "observation_count": len(observations)}, ensure_ascii=False) + "\n")


def _readings(batch_file: Path) -> list[dict]:
    with open(batch_file, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _copy_rows(batch_file: Path, run_id: str, report_ids: set[str] | None) -> bytes:
    """The batch's COPY rows, stamped with the loading run, only those of `report_ids` if given."""
    data = observations_file(batch_file).read_bytes()
    if report_ids is not None:  # a batch partly loaded before (rare): keep the rows of the others
        column = OBSERVATION_COLUMNS.index("report_id")
        data = b"".join(
            line for line in data.splitlines(keepends=True) if line.split(b"\t")[column].decode() in report_ids
        )
    # the run id is the last column: a run that loads a batch another extracted (a retried task) stamps its own
    stamp = _copy_field(run_id).encode()
    if data and not data[: data.find(b"\n") + 1].endswith(b"\t" + stamp + b"\n"):
        data = b"".join(line[: line.rindex(b"\t") + 1] + stamp + b"\n" for line in data.splitlines())
    return data


def load_batch(conn: psycopg.Connection, batch_file: Path, run_id: str) -> BatchResult:
    """Load one batch in one transaction; raise LoadError (and write nothing) if the result differs."""
    readings = _readings(batch_file)
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
        fresh = _not_yet_read(conn, read, batch_file)
        fresh_ids = {r["report_id"] for r in fresh}
        # (a fresh reading's document is recorded with its status, in one statement for the batch)
        _record_documents(conn, [r for r in read if r.get("document") and r["report_id"] not in fresh_ids])
        if fresh:
            only = None if len(fresh) == len(read) else {r["report_id"] for r in fresh}
            written = _insert_readings(conn, fresh, _copy_rows(batch_file, run_id, only), run_id)
        else:
            written = 0
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


def _not_yet_read(conn: psycopg.Connection, readings: list[dict], batch_file: Path) -> list[dict]:
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
        given_ids: dict[tuple[str, str], set[str]] = {}
        for o in read_observations(batch_file):
            given_ids.setdefault((o["report_id"], o["extractor_version"]), set()).add(o["observation_id"])
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
            given = given_ids.get((reading["report_id"], reading["extractor_version"]), set())
            if before != given:
                raise LoadError(
                    f"report {reading['report_id']} was read by extractor {reading['extractor_version']} before with "
                    f"{len(before)} observations; this reading has {len(given)} ({len(given - before)} new, "
                    f"{len(before - given)} missing): the extractor changed without a new EXTRACTOR_VERSION; "
                    "bump it and re-extract"
                )
    return [r for r in readings if (r["report_id"], r["extractor_version"]) not in held_readings]


def _insert_readings(conn: psycopg.Connection, readings: list[dict], rows: bytes, run_id: str) -> int:
    expected = sum(r["observation_count"] for r in readings)
    ids = [r["report_id"] for r in readings]
    previous = conn.execute(
        """select e.report_id, e.extractor_version, b.extractor_version from raw.extractions e
           join unnest(%s::text[], %s::text[]) as b(report_id, extractor_version) using (report_id)
           where e.is_current""",
        (ids, [r["extractor_version"] for r in readings]),
    ).fetchall()
    if previous:
        # a new reading supersedes an earlier one: what changed is worked out against the rows held
        written = _insert_superseding(conn, readings, rows, expected, previous, run_id)
    else:
        # first readings (every report of a backfill): straight into the table, as a plain COPY would
        with conn.cursor() as cur:
            cur.execute(
                """insert into raw.extractions (report_id, extractor_version, run_id, observation_count, is_current)
                   select report_id, extractor_version, %s, observation_count, true
                   from unnest(%s::text[], %s::text[], %s::int[])
                        as b(report_id, extractor_version, observation_count)""",
                (
                    run_id,
                    [r["report_id"] for r in readings],
                    [r["extractor_version"] for r in readings],
                    [r["observation_count"] for r in readings],
                ),
            )
            with cur.copy(f"copy raw.observations ({', '.join(OBSERVATION_COLUMNS)}) from stdin") as copy:
                copy.write(rows)
            written = cur.rowcount
    if written != expected:
        raise LoadError(f"batch of {expected} observations: wrote {written}")
    _record_readings(conn, readings, run_id)
    return written


# What a report's text says of it, as raw.reports keeps it: (column, SQL type, whether a value the text
# does not give keeps the one landing recorded, e.g. the source's default province).
_DOCUMENT_FIELDS = [
    ("media_type", "text", True),
    ("encoding", "text", False),
    ("text_source", "text", True),
    ("title", "text", False),
    ("document_number", "text", False),
    ("issuing_body", "text", True),
    ("province", "text", True),
    ("issue_date", "date", False),
    ("period_label", "text", False),
    ("period_start", "date", False),
    ("period_end", "date", False),
]


def _record_readings(conn: psycopg.Connection, readings: list[dict], run_id: str) -> None:
    """Each report read: status, observation count and what its text says of it, one statement for
    the batch (a statement per report cost more than the COPY of its rows)."""
    sets = ", ".join(
        f"{c} = case when d.has_document then {f'coalesce(d.{c}, r.{c})' if keep else f'd.{c}'} else r.{c} end"
        for c, _, keep in _DOCUMENT_FIELDS
    )
    columns = ", ".join(c for c, _, _ in _DOCUMENT_FIELDS)
    casts = ", ".join(f"%s::{t}[]" for _, t, _ in _DOCUMENT_FIELDS)
    documents = [r.get("document") or {} for r in readings]
    conn.execute(
        f"""update raw.reports r set status = 'extracted', failure_reason = null, status_run_id = %s,
                observation_count = d.observation_count, updated_at = now(), {sets}
            from unnest(%s::text[], %s::int[], %s::boolean[], {casts})
                 as d(report_id, observation_count, has_document, {columns})
            where r.report_id = d.report_id""",
        [
            run_id,
            [r["report_id"] for r in readings],
            [r["observation_count"] for r in readings],
            [bool(r.get("document")) for r in readings],
            *[[doc.get(c) for doc in documents] for c, _, _ in _DOCUMENT_FIELDS],
        ],
    )


def _insert_superseding(
    conn: psycopg.Connection,
    readings: list[dict],
    rows: bytes,
    expected: int,
    previous: list[tuple[str, str, str]],
    run_id: str,
) -> int:
    conn.execute("create temp table batch_observations (like raw.observations including defaults) on commit drop")
    conn.execute(
        "create temp table batch_readings (report_id text, extractor_version text, observation_count int) "
        "on commit drop"
    )
    with conn.cursor() as cur:
        with cur.copy(f"copy batch_observations ({', '.join(OBSERVATION_COLUMNS)}) from stdin") as copy:
            copy.write(rows)
        with cur.copy("copy batch_readings from stdin") as copy:
            for r in readings:
                copy.write_row((r["report_id"], r["extractor_version"], r["observation_count"]))
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
    if not (written == held == expected):
        raise LoadError(
            f"batch of {expected} observations: wrote {written}, the table holds {held} rows for its readings"
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
