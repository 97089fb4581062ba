"""For auditors and operators: trace a figure to its sentence, record dbt results, summarise a run."""
from __future__ import annotations

import json
from pathlib import Path

import psycopg

from vnhealth.text import normalize
from vnhealth.warehouse import warehouse_url


def evidence_in_archive(archive_path: str, start: int, end: int, evidence: str) -> bool:
    """True when the archived report's normalised text holds the evidence at its offsets."""
    from vnhealth.documents import read_document

    text = read_document(Path(archive_path).read_bytes(), with_metadata=False).text
    return text[start:end] == evidence


def trace_observation(observation_id: str) -> str:
    with psycopg.connect(warehouse_url()) as conn:
        row = conn.execute(
            """select f.indicator_id, i.indicator_name_en, f.observed_value, f.unit, f.value_kind, f.qualifier,
                      p.period_start_date, p.period_end_date, fa.facility_name, f.dimension, f.facility_name,
                      r.report_title, r.source_location, r.archive_path, r.report_sha256,
                      f.evidence, f.evidence_start, f.evidence_end
               from marts.fct_indicator_observation f
               join marts.dim_indicator i using (indicator_id)
               join marts.dim_period p using (period_id)
               join marts.dim_facility fa using (facility_id)
               join marts.dim_report r using (report_id)
               where f.observation_id = %s""", (observation_id,)).fetchone()
    if row is None:
        raise LookupError(f"no observation {observation_id!r} in marts.fct_indicator_observation")
    (code, name, value, unit, kind, qualifier, p_start, p_end, area, dimension, facility, title, location,
     archive, sha, evidence, start, end) = row
    from vnhealth.documents import read_document

    text = read_document(Path(archive).read_bytes(), with_metadata=False).text
    found = text[start:end] == evidence
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    paragraph = text[para_start:start] + ">>>" + text[start:end] + "<<<" + text[end:para_end]
    lines = [
        f"observation  {observation_id}",
        f"indicator    {code} ({name})",
        f"value        {int(value) if float(value).is_integer() else value} {unit}  [{kind}, {qualifier}]" + (f"  dimension={dimension}" if dimension else ""),
        f"period       {p_start or '?'} .. {p_end or '?'}",
        f"area         {area}" + (f"  facility={facility}" if facility else ""),
        f"report       {title or '(untitled)'}",
        f"source       {location}",
        f"archive      {archive}",
        f"sha256       {sha}",
        f"evidence at  [{start}:{end}] " + ("verified in the archived text" if found else "NOT FOUND at these offsets"),
        "",
        normalize(paragraph).strip(),
    ]
    return "\n".join(lines)


def record_dbt_results(project_dir: str, context: dict | None = None, **_: object) -> None:
    """cosmos callback: keep each dbt node's result in audit.dbt_results before the temp dir goes."""
    path = Path(project_dir) / "target" / "run_results.json"
    if not path.exists():
        return
    run_id = str(context["run_id"]) if context and "run_id" in context else "manual"
    results = json.loads(path.read_text())["results"]
    with psycopg.connect(warehouse_url(), autocommit=True) as conn:
        for r in results:
            unique_id = r["unique_id"]
            conn.execute(
                """insert into audit.dbt_results (run_id, unique_id, resource_type, status, message, execution_time)
                   values (%s, %s, %s, %s, %s, %s)
                   on conflict (run_id, unique_id) do update set status = excluded.status, message = excluded.message,
                       execution_time = excluded.execution_time, recorded_at = now()""",
                (run_id, unique_id, unique_id.split(".")[0], r["status"], (r.get("message") or "")[:500],
                 r.get("execution_time")))


def run_summary(run_id: str | None = None) -> str:
    with psycopg.connect(warehouse_url()) as conn:
        if run_id is None:
            row = conn.execute("select run_id from audit.pipeline_runs where finished_at is not null "
                               "order by finished_at desc limit 1").fetchone()
            if row is None:
                return "no finished run yet"
            run_id = row[0]
        run = conn.execute(
            """select reports_seen, reports_new, reports_failed, observations_loaded, observations_quarantined,
                      data_docs_path from audit.pipeline_runs where run_id = %s""", (run_id,)).fetchone()
        dbt = dict(conn.execute(
            """select resource_type || ':' || status, count(*) from audit.dbt_results where run_id = %s group by 1""",
            (run_id,)).fetchall())
        gx = conn.execute(
            "select count(*) filter (where success), count(*) filter (where not success) "
            "from audit.validation_results where run_id = %s", (run_id,)).fetchone()
        totals = conn.execute(
            """select (select count(*) from raw.reports), (select count(*) from raw.observations),
                      (select count(*) from marts.fct_indicator_observation), (select count(*) from marts.fct_indicator_value)"""
        ).fetchone()
    seen, new, failed, loaded, quarantined, docs = run
    models = sum(v for k, v in dbt.items() if k.startswith(("model:", "seed:")) and k.endswith(":success"))
    tests_passed = sum(v for k, v in dbt.items() if k.startswith(("test:", "unit_test:")) and k.endswith(":pass"))
    tests_failed = sum(v for k, v in dbt.items() if k.startswith(("test:", "unit_test:")) and k.endswith((":fail", ":error")))
    return "\n".join([
        f"run {run_id}",
        f"  reports       seen {seen}, new {new}, failed {failed}",
        f"  observations  loaded {loaded}, quarantined {quarantined}",
        f"  dbt           {models} models/seeds built, {tests_passed} tests passed, {tests_failed} failed",
        f"  expectations  {gx[0]} passed, {gx[1]} failed",
        f"  warehouse     {totals[0]} reports, {totals[1]} raw observations, {totals[2]} fact rows, {totals[3]} values",
        f"  data docs     {docs}",
    ])
