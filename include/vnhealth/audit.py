"""For auditors and operators: trace a figure to its sentence, record dbt results, summarise a run."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import psycopg

from vnhealth.text import normalize
from vnhealth.warehouse import warehouse_url


def evidence_in_archive(archive_path: str, start: int, end: int, evidence: str) -> bool:
    """True when the archived report's normalised text holds the evidence at its offsets."""
    from vnhealth.documents import read_document

    text = read_document(Path(archive_path).read_bytes(), with_metadata=False).text
    return text[start:end] == evidence


_TRACE_FROM_MARTS = """
    select f.indicator_id, i.indicator_name_en, f.observed_value, f.unit, f.value_kind, f.qualifier,
           p.period_start_date, p.period_end_date, fa.facility_name, f.dimension, f.facility_name,
           f.report_id, f.evidence, f.evidence_start, f.evidence_end, f.facility_id, f.period_id
    from marts.fct_indicator_observation f
    join marts.dim_indicator i using (indicator_id)
    join marts.dim_period p using (period_id)
    join marts.dim_facility fa using (facility_id)
    where f.observation_id = %s"""

_TRACE_QUARANTINED = """
    select row_data, array_agg(expectation order by expectation), array_agg(coalesce(reason, '') order by expectation)
    from audit.quarantined_observations where observation_id = %s and released_at is null group by row_data"""

_REPORT = """
    select report_title, document_number, issuing_body, issue_date, source_location, archive_path, report_sha256,
           text_source
    from marts.dim_report where report_id = %s"""


def trace(observation_id: str, role: str = "auditor") -> dict:
    """Everything an auditor asks of one figure: what it says, the report and sentence it comes from
    (the figure marked in it), whether it passed validation or was quarantined (by which rule) or
    flagged, and whether it is the value the marts give or lost to another report's. Read as the
    auditor role, which reads marts and audit and nothing else."""
    with psycopg.connect(warehouse_url(role)) as conn:
        row = conn.execute(_TRACE_FROM_MARTS, (observation_id,)).fetchone()
        quarantine = conn.execute(_TRACE_QUARANTINED, (observation_id,)).fetchone()
        if row is not None:
            (
                code,
                name,
                value,
                unit,
                kind,
                qualifier,
                p_start,
                p_end,
                area,
                dimension,
                facility,
                report_id,
                evidence,
                start,
                end,
                facility_id,
                period_id,
            ) = row
        elif quarantine is not None:
            o = quarantine[0]
            code, value, unit, kind, qualifier = o["indicator"], o["value"], o["unit"], o["kind"], o["qualifier"]
            p_start, p_end, area, dimension, facility = (
                o.get("period_start"),
                o.get("period_end"),
                o.get("area"),
                o.get("dimension"),
                o.get("facility"),
            )
            report_id, evidence, start, end = o["report_id"], o["evidence"], o["evidence_start"], o["evidence_end"]
            name = (
                conn.execute(
                    "select indicator_name_en from marts.dim_indicator where indicator_id = %s", (code,)
                ).fetchone()
                or [None]
            )[0]
            facility_id = period_id = None
        else:
            raise LookupError(
                f"no observation {observation_id!r} in marts.fct_indicator_observation "
                "or audit.quarantined_observations"
            )
        report = conn.execute(_REPORT, (report_id,)).fetchone()
        flag = conn.execute(
            """select outlier_score, median_value, mad_value, group_size from audit.outlier_flags
                               where observation_id = %s and cleared_at is null""",
            (observation_id,),
        ).fetchone()
        winner = None
        if facility_id is not None:
            winner = conn.execute(
                """select latest_observation_id, latest_report_id, report_count, has_conflict
                   from marts.fct_indicator_value where indicator_id = %s and facility_id = %s and period_id = %s
                     and value_kind = %s and dimension is not distinct from %s""",
                (code, facility_id, period_id, kind, dimension),
            ).fetchone()
    title, number, issuer, issue_date, location, archive, sha, text_source = report or (None,) * 8
    status = "quarantined" if quarantine else "passed"
    flags = (
        []
        if flag is None
        else [
            f"outlier (robust z-score {flag[0]:.1f} against a median of {flag[1]:g} and a MAD "
            f"of {flag[2]:g} over {flag[3]} peers)"
        ]
    )
    if winner is None:
        in_marts = "not in the marts (quarantined)" if quarantine else "not in marts.fct_indicator_value"
    elif winner[0] == observation_id:
        in_marts = "the value marts.fct_indicator_value gives" + (
            f" (of {winner[2]} reports; they disagree)" if winner[3] else ""
        )
    else:
        in_marts = f"lost to observation {winner[0]} of report {winner[1]}" + (" (they disagree)" if winner[3] else "")
    result = {
        "observation_id": observation_id,
        "indicator": code,
        "indicator_name": name,
        "value": float(value),
        "unit": unit,
        "kind": kind,
        "qualifier": qualifier,
        "dimension": dimension,
        "period_start": str(p_start) if p_start else None,
        "period_end": str(p_end) if p_end else None,
        "area": area,
        "facility": facility if facility != area else None,
        "report": {
            "report_id": report_id,
            "title": title,
            "document_number": number,
            "issuing_body": issuer,
            "issue_date": str(issue_date) if issue_date else None,
            "source": location,
            "archive_path": archive,
            "sha256": sha,
            "text_source": text_source,
        },
        "validation": {
            "status": status,
            "flags": flags,
            "failed_rules": [{"expectation": e, "reason": r} for e, r in zip(quarantine[1], quarantine[2])]
            if quarantine
            else [],
        },
        "in_marts": in_marts,
        "evidence": {"text": evidence, "start": start, "end": end},
    }
    result["evidence"].update(_locate(archive, evidence, start, end, float(value)))
    return result


def _locate(archive: str | None, evidence: str, start: int, end: int, value: float) -> dict:
    """The sentence checked at its offsets in the archived text, its paragraph, and the figure itself
    inside the sentence: the first number there that reads as the value (or the value in thousands,
    millions or billions: `415,5 triệu`)."""
    from vnhealth.documents import read_document

    figure = figure_span(evidence, value)
    out: dict = {
        "figure": [start + figure[0], start + figure[1]] if figure else None,
        "verified": False,
        "paragraph": None,
    }
    if not archive or not Path(archive).exists():
        return out
    text = read_document(Path(archive).read_bytes(), with_metadata=False).text
    out["verified"] = text[start:end] == evidence
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    out["paragraph"] = {
        "start": para_start,
        "end": len(text) if para_end < 0 else para_end,
        "text": text[para_start : len(text) if para_end < 0 else para_end],
    }
    return out


def figure_span(evidence: str, value: float) -> tuple[int, int] | None:
    """Where the figure stands in its sentence: the first number there that reads as the value (or
    as the value in thousands, millions or billions: `415,5 triệu`)."""
    from vnhealth.extraction.numbers import NUMBER_FORMS, parse_number

    for m in re.finditer(NUMBER_FORMS, evidence):
        try:
            number = parse_number(m.group())
        except ValueError:
            continue
        if number and any(abs(number * scale - value) <= 1e-6 * max(1.0, abs(value)) for scale in (1, 1e3, 1e6, 1e9)):
            return m.start(), m.end()
        if number == 0 == value:
            return m.start(), m.end()
    return None


def format_trace(t: dict) -> str:
    """The trace as an auditor reads it: the figure between [[ ]] in its sentence, the sentence
    between >>> <<< in its paragraph."""
    value = t["value"]
    r, v, e = t["report"], t["validation"], t["evidence"]
    status = v["status"] + (
        f" by {', '.join(f['expectation'] for f in v['failed_rules'])}" if v["failed_rules"] else ""
    )
    status += (" · flagged: " + ", ".join(v["flags"])) if v["flags"] else ""
    lines = [
        f"observation  {t['observation_id']}",
        f"indicator    {t['indicator']} ({t['indicator_name']})",
        f"value        {int(value) if value.is_integer() else value} {t['unit']}  [{t['kind']}, {t['qualifier']}]"
        + (f"  dimension={t['dimension']}" if t["dimension"] else ""),
        f"period       {t['period_start'] or '?'} .. {t['period_end'] or '?'}",
        f"area         {t['area']}" + (f"  facility={t['facility']}" if t["facility"] else ""),
        f"validation   {status}",
        f"in the marts {t['in_marts']}",
        f"report       {r['title'] or '(untitled)'}",
        f"number       {r['document_number'] or '-'}   issued by {r['issuing_body'] or '-'}   on "
        f"{r['issue_date'] or '-'}",
        f"source       {r['source']}",
        f"archive      {r['archive_path']}" + ("  (text read by OCR)" if r["text_source"] == "ocr" else ""),
        f"sha256       {r['sha256']}",
        f"evidence at  [{e['start']}:{e['end']}] "
        + ("verified in the archived text" if e["verified"] else "NOT FOUND at these offsets"),
        "",
    ]
    sentence = e["text"]
    if e["figure"]:
        a, b = e["figure"][0] - e["start"], e["figure"][1] - e["start"]
        sentence = sentence[:a] + "[[" + sentence[a:b] + "]]" + sentence[b:]
    if e["paragraph"] and e["verified"]:
        p = e["paragraph"]
        text = p["text"]
        lines.append(text[: e["start"] - p["start"]] + ">>>" + sentence + "<<<" + text[e["end"] - p["start"] :])
    else:
        lines.append(">>>" + sentence + "<<<")
    lines[-1] = normalize(lines[-1]).strip()
    return "\n".join(lines)


def trace_observation(observation_id: str, role: str = "auditor") -> str:
    return format_trace(trace(observation_id, role))


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
                (
                    run_id,
                    unique_id,
                    unique_id.split(".")[0],
                    r["status"],
                    (r.get("message") or "")[:500],
                    r.get("execution_time"),
                ),
            )


def run_summary(run_id: str | None = None) -> str:
    with psycopg.connect(warehouse_url()) as conn:
        if run_id is None:
            row = conn.execute(
                "select run_id from audit.pipeline_runs where finished_at is not null order by finished_at desc limit 1"
            ).fetchone()
            if row is None:
                return "no finished run yet"
            run_id = row[0]
        run = conn.execute(
            """select reports_seen, reports_new, reports_failed, reports_extracted, observations_loaded,
                      observations_quarantined, data_docs_path from audit.pipeline_runs where run_id = %s""",
            (run_id,),
        ).fetchone()
        dbt = dict(
            conn.execute(
                """select resource_type || ':' || status, count(*) from audit.dbt_results where run_id = %s
                group by 1""",
                (run_id,),
            ).fetchall()
        )
        gx = conn.execute(
            "select count(*) filter (where success), count(*) filter (where not success) "
            "from audit.validation_results where run_id = %s",
            (run_id,),
        ).fetchone()
        totals = conn.execute(
            """select (select count(*) from raw.reports), (select count(*) from raw.observations),
                      (select count(*) from marts.fct_indicator_observation), (select count(*) from
                      marts.fct_indicator_value)"""
        ).fetchone()
    seen, new, failed, extracted, loaded, quarantined, docs = run
    from vnhealth.settings import get_settings, safe_run_dir

    run_dir = get_settings().data_docs_root / "runs" / safe_run_dir(run_id)
    overview, page = run_dir / "overview.html", run_dir / "night.html"
    models = sum(v for k, v in dbt.items() if k.startswith(("model:", "seed:")) and k.endswith(":success"))
    tests_passed = sum(v for k, v in dbt.items() if k.startswith(("test:", "unit_test:")) and k.endswith(":pass"))
    tests_failed = sum(
        v for k, v in dbt.items() if k.startswith(("test:", "unit_test:")) and k.endswith((":fail", ":error"))
    )
    return "\n".join(
        [
            f"run {run_id}",
            f"  reports       seen {seen}, new {new}, read {extracted}, failed {failed}",
            f"  observations  loaded {loaded}, quarantined {quarantined}",
            f"  dbt           {models} models/seeds built, {tests_passed} tests passed, {tests_failed} failed",
            f"  expectations  {gx[0]} passed, {gx[1]} failed",
            f"  warehouse     {totals[0]} reports, {totals[1]} raw observations, {totals[2]} fact rows, "
            f"{totals[3]} values",
            f"  data docs     {docs}",
            *([f"  overview      {overview}"] if overview.exists() else []),
            *([f"  night page    {page}"] if page.exists() else []),
        ]
    )


def extraction_changes(conn: psycopg.Connection, run_id: str) -> list[tuple]:
    """Per report read again in a run: from and to versions, and how many facts it added, dropped, changed."""
    return conn.execute(
        """select e.report_id, coalesce(r.title, r.location), prev.extractor_version, e.extractor_version,
                  count(*) filter (where c.change = 'added'), count(*) filter (where c.change = 'dropped'),
                  count(*) filter (where c.change = 'changed')
           from raw.extractions e
           join raw.reports r using (report_id)
           join raw.extractions prev on prev.report_id = e.report_id and prev.superseded_by_version =
           e.extractor_version
           left join audit.extraction_changes c on c.report_id = e.report_id and c.to_version = e.extractor_version
                                               and c.from_version = prev.extractor_version
           where e.run_id = %s
           group by 1, 2, 3, 4 order by 1""",
        (run_id,),
    ).fetchall()


def write_changes_page(run_id: str) -> Path | None:
    """An HTML page of what a re-extraction changed, per report and per fact; None when it read nothing again."""
    from vnhealth.settings import safe_run_dir
    from vnhealth.settings import get_settings

    with psycopg.connect(warehouse_url()) as conn:
        reports = extraction_changes(conn, run_id)
        if not reports:
            return None
        facts = conn.execute(
            """select c.report_id, c.change, c.indicator, c.old_value, c.new_value, c.old_period, c.new_period,
                      c.evidence, coalesce(c.new_observation_id, c.old_observation_id)
               from audit.extraction_changes c
               join raw.extractions e on e.report_id = c.report_id and e.extractor_version = c.to_version
               where e.run_id = %s order by c.report_id, c.change, c.indicator""",
            (run_id,),
        ).fetchall()
    esc = lambda v: html.escape("" if v is None else str(v))  # noqa: E731
    summary = "".join(
        f"<tr><td><code>{esc(r[0][:16])}</code></td><td>{esc(r[1])}</td><td>{esc(r[2])} → {esc(r[3])}</td>"
        f"<td>{r[4]}</td><td>{r[5]}</td><td>{r[6]}</td></tr>"
        for r in reports
    )
    detail = "".join(
        f"<tr><td><code>{esc(f[0][:16])}</code></td><td>{esc(f[1])}</td><td>{esc(f[2])}</td><td>{esc(f[3])}</td>"
        f"<td>{esc(f[4])}</td><td>{esc(f[5])}</td><td>{esc(f[6])}</td><td>{esc(f[7])}</td>"
        f"<td><code>{esc(f[8])}</code></td></tr>"
        for f in facts
    )
    page = (
        "<!doctype html><meta charset='utf-8'><title>Re-extraction changes</title>"
        "<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:4px;vertical-align:top}"
        "table{border-collapse:collapse}</style>"
        f"<h1>Re-extraction {esc(run_id)}</h1><p>{len(reports)} reports read again. Earlier readings are kept in "
        "<code>raw.extractions</code> and <code>raw.observations</code>, marked superseded; the marts read the "
        "current one. Facts the two versions read alike are not listed.</p>"
        "<h2>Per report</h2><table><tr><th>report</th><th>title</th><th>versions</th><th>added</th><th>dropped</th>"
        f"<th>changed</th></tr>{summary}</table>"
        "<h2>Per fact</h2><table><tr><th>report</th><th>change</th><th>indicator</th><th>old value</th>"
        "<th>new value</th><th>old period</th><th>new period</th><th>evidence</th><th>observation</th></tr>"
        f"{detail}</table>\n"
    )
    out = get_settings().data_docs_root / "changes" / f"{safe_run_dir(run_id)}.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out


def _is_run_specific(column: str) -> bool:
    """Columns that say when or in which run a row was written (a snapshot's `dbt_valid_from`, ...), or
    where this machine keeps a file."""
    return (
        column.endswith(("_at", "run_id")) or column.startswith("dbt_") or column in ("archive_path", "data_docs_path")
    )


def table_checksums(
    conn: psycopg.Connection, schemas: tuple[str, ...] = ("raw", "marts")
) -> dict[str, tuple[int, str]]:
    """Row count and md5 of every table's content, leaving out when and in which run rows were written:
    two warehouses that hold the same facts give the same checksums, row for row."""
    tables = conn.execute(
        """select table_schema || '.' || table_name from information_schema.tables
           where table_schema = any(%s) and table_type = 'BASE TABLE' order by 1""",
        (list(schemas),),
    ).fetchall()
    out = {}
    for (table,) in tables:
        schema, name = table.split(".")
        columns = [
            c
            for (c,) in conn.execute(
                """select column_name from information_schema.columns where table_schema = %s and table_name = %s
               order by ordinal_position""",
                (schema, name),
            )
            if not _is_run_specific(c)
        ]
        select = ", ".join(f'"{c}"' for c in columns)
        count, digest = conn.execute(
            f"select count(*), coalesce(md5(string_agg(t::text, E'\\n' order by t::text)), '') "
            f"from (select {select} from {schema}.{name}) t"
        ).fetchone()
        out[table] = (count, digest)
    return out
