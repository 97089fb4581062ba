"""The auditor's page of one night, and the index of all nights: built from the warehouse's own
audit tables, one self-contained HTML file each (no script, no stylesheet from the internet), so it
reads the same on a machine without a network.

A night's page says whether the run passed, what it counted, which reports failed to read and why,
and for every failed expectation the rule in words, its threshold and the rows that broke it, each
with its province, indicator, period, value, report and the sentence it was read from.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path

import psycopg

from vnhealth.lineage import produced_by
from vnhealth.settings import get_settings
from vnhealth.warehouse import warehouse_url

# What each expectation asks, in words; `{min}`/`{max}` are the indicator's plausible range.
RULES = {
    "expect_column_values_to_be_in_set:is_indicator_known": ("the indicator is one of the catalogue's codes", None),
    "expect_column_values_to_be_in_set:is_unit_of_indicator": (
        "the unit is the one the catalogue gives the indicator",
        "unit = catalogue unit",
    ),
    "expect_column_values_to_be_in_set:is_value_plausible": (
        "the value lies in the indicator's plausible range",
        "{min} ≤ value ≤ {max}",
    ),
    "expect_column_values_to_be_in_set:is_count_whole": (
        "a count is a whole number, not negative",
        "value ≥ 0 and whole",
    ),
    "expect_column_values_to_be_in_set:is_period_ordered": (
        "the period starts before it ends",
        "period start ≤ period end",
    ),
    "expect_column_values_to_be_in_set:has_value_in_evidence": (
        "the value is written in its sentence",
        "the figure (or it in thousands, millions, billions)",
    ),
    "expect_column_values_to_be_in_set:kind": ("the figure is an actual or a target", "kind ∈ {actual, target}"),
    "expect_column_values_to_be_in_set:qualifier": (
        "the qualifier is one the contract knows",
        "qualifier ∈ {exact, approx, more_than, less_than}",
    ),
    "expect_column_values_to_not_be_null:evidence": ("every figure has its sentence", "evidence is not null"),
    "expect_column_values_to_be_in_set:is_parts_within_total": (
        "inpatient and outpatient parts do not exceed their total",
        "Σ parts ≤ total",
    ),
    "expect_column_values_to_be_in_set:is_deaths_within_cases": (
        "deaths do not exceed the cases of the same disease",
        "deaths ≤ cases",
    ),
    "expect_column_values_to_be_in_set:is_target_unit_same": (
        "a target is stated in its actual's unit",
        "target unit = actual unit",
    ),
    "expect_column_values_to_be_in_set:is_typical": (
        "the value is not an outlier among its peers (same indicator, unit, kind, dimension and period type)",
        "robust z-score ≤ 5",
    ),
}

PAGE_STYLE = """body{font-family:system-ui,sans-serif;margin:2em;max-width:75em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;
vertical-align:top}th{background:#f3f3f3}.passed{color:#11671d;font-weight:bold}.failed{color:#b00020;font-weight:bold}
.warn{color:#8a5a00;font-weight:bold}mark{background:#ffe27a}.ev{max-width:40em}"""


_REMOTE_ASSETS = re.compile(
    r"""<script\b[^>]*\bsrc=["']https?://[^"']*["'][^>]*>\s*</script>"""
    r"""|<link\b[^>]*\bhref=["']https?://[^"']*["'][^>]*>"""
    r"""|<img\b[^>]*\bsrc=["']https?://[^"']*["'][^>]*>""",
    re.I,
)


def make_offline(folder: Path) -> int:
    """Great Expectations' pages load Bootstrap, jQuery, Vega and fonts from public CDNs and so render
    as bare text, after a wait, on a machine without internet. In this run's copy, drop every remote
    script, stylesheet and image and inline a small style: the pages' tables are plain HTML and read
    well without them (links to GX's documentation stay links). Returns the pages changed."""
    changed = 0
    for page in folder.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        offline = _REMOTE_ASSETS.sub("", text)
        if offline != text:
            offline = offline.replace("</head>", f"<style>{PAGE_STYLE}</style></head>", 1)
            page.write_text(offline, encoding="utf-8")
            changed += 1
    return changed


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html lang='en'><meta charset='utf-8'><title>{_e(title)}</title>"
        f"<style>{PAGE_STYLE}</style><body>{body}</body></html>\n"
    )


def _marked(evidence: str | None, value: float | None) -> str:
    """The sentence with the figure itself marked, as `vnhealth trace` marks it."""
    if not evidence:
        return ""
    from vnhealth.audit import figure_span

    span = figure_span(evidence, value) if value is not None else None
    if not span:
        return _e(evidence)
    a, b = span
    return _e(evidence[:a]) + "<mark>" + _e(evidence[a:b]) + "</mark>" + _e(evidence[b:])


def run_status(conn: psycopg.Connection, run_id: str, failed_tasks: list[str]) -> str:
    """`failed` when a task failed; `passed with quarantine` when rows were held back; else `passed`."""
    if failed_tasks:
        return "failed"
    held = conn.execute(
        "select count(*) from audit.quarantined_observations where run_id = %s and released_at is null", (run_id,)
    ).fetchone()[0]
    return "passed with quarantine" if held else "passed"


def write_night_page(run_id: str, target: Path) -> Path:
    """`night.html` in the run's folder: status, counts, failed reports, failed expectations and their rows."""
    with psycopg.connect(warehouse_url(), autocommit=True) as conn:
        run = conn.execute(
            """select run_kind, status, failed_tasks, started_at, finished_at, reports_seen, reports_new,
                      reports_failed, reports_extracted, observations_loaded, observations_quarantined
               from audit.pipeline_runs where run_id = %s""",
            (run_id,),
        ).fetchone()
        failed_reports = conn.execute(
            """select location, failure_reason from raw.reports where status = 'failed' and status_run_id = %s
               order by location""",
            (run_id,),
        ).fetchall()
        expectations = conn.execute(
            """select checkpoint, suite, expectation, column_name, unexpected_count, unexpected_sample
               from audit.validation_results where run_id = %s and not success
               order by checkpoint, suite, expectation, column_name""",
            (run_id,),
        ).fetchall()
        flagged = conn.execute(
            """select count(*) from audit.outlier_flags where run_id = %s and cleared_at is null""", (run_id,)
        ).fetchone()[0]
        sections = [_rule_section(conn, run_id, *row) for row in expectations]
        produced = produced_by(conn, run_id)
    kind, status, failed_tasks, started, finished, seen, new, failed, extracted, loaded, quarantined = run or (
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    )
    css = "passed" if status == "passed" else "failed" if status == "failed" else "warn"
    body = [
        f"<h1>Night {_e(run_id)}</h1>",
        f"<p>Status: <span class='{css}'>{_e(status or 'unknown')}</span>"
        + (f" (failed tasks: {_e(', '.join(failed_tasks))})" if failed_tasks else "")
        + f" · {_e(kind or '')} run · started {_time(started)} · finished {_time(finished)}</p>",
        (
            "<p>The warehouse after this run, in charts and tables: <a href='overview.html'>overview</a>.</p>"
            if (target / "overview.html").exists()
            else ""
        ),
        "<table><tr><th>reports seen</th><th>new</th><th>failed to read</th><th>read</th>"
        "<th>observations loaded</th><th>quarantined</th><th>flagged as outliers</th></tr>"
        f"<tr><td>{_e(seen)}</td><td>{_e(new)}</td><td>{_e(failed)}</td><td>{_e(extracted)}</td><td>{_e(loaded)}</td>"
        f"<td>{_e(quarantined)}</td><td>{_e(flagged)}</td></tr></table>",
    ]
    if failed_reports:
        body.append(
            "<h2>Reports that could not be read</h2><table><tr><th>location</th><th>reason</th></tr>"
            + "".join(f"<tr><td>{_e(loc)}</td><td>{_e(reason)}</td></tr>" for loc, reason in failed_reports)
            + "</table>"
        )
    body.append("<h2>Failed expectations</h2>" + ("".join(sections) if sections else "<p>None.</p>"))
    if produced:
        body.append(
            "<h2>Lineage: which task wrote each table</h2><p>From the run's OpenLineage events "
            "(<a href='lineage.jsonl'>lineage.jsonl</a>; all runs in <code>audit.lineage_events</code>); "
            "a dbt model writes the table of its name.</p><table><tr><th>table</th><th>task</th>"
            "<th>completed (UTC)</th></tr>"
            + "".join(f"<tr><td>{_e(t)}</td><td>{_e(task)}</td><td>{_e(at)}</td></tr>" for t, task, at in produced)
            + "</table>"
        )
    gx = target / "index.html"
    if gx.exists():
        body.append("<p>Great Expectations' own pages for this run: <a href='index.html'>Data Docs</a>.</p>")
    target.mkdir(parents=True, exist_ok=True)
    page = target / "night.html"
    page.write_text(_page(f"Night {run_id}", "\n".join(body)), encoding="utf-8")
    return page


def _rule_section(conn, run_id, checkpoint, suite, expectation, column, count, sample) -> str:
    key = f"{expectation}:{column}"
    words, threshold = RULES.get(key, (f"{expectation} on {column}", None))
    if column in SIDES:
        return _cross_rule_section(conn, run_id, key, column, words, threshold, suite, checkpoint, expectation, count)
    rows = conn.execute(
        """select q.row_data->>'area', q.row_data->>'indicator', q.row_data->>'period_start',
                  q.row_data->>'period_end', (q.row_data->>'value')::float, q.row_data->>'unit',
                  r.title, r.document_number, q.row_data->>'evidence', q.observation_id,
                  c.min_value, c.max_value
           from audit.quarantined_observations q
           left join raw.reports r on r.report_id = q.row_data->>'report_id'
           left join audit.indicator_catalogue c on c.code = q.row_data->>'indicator'
           where q.run_id = %s and q.expectation = %s and q.released_at is null
           order by 1, 2, 3 limit 500""",
        (run_id, key),
    ).fetchall()
    head = _rule_head(
        suite,
        words,
        checkpoint,
        expectation,
        column,
        count,
        f"threshold: {threshold}" if threshold and "{" not in threshold else None,
    )
    if not rows:
        ids = ", ".join(_e(s) for s in (sample or [])[:20])
        return head + (f"<p>Failing values or ids (sample): {ids}</p>" if ids else "")
    table = [
        "<table><tr><th>province</th><th>indicator</th><th>period</th><th>value</th><th>threshold</th>"
        "<th>report</th><th class='ev'>sentence</th><th>observation</th></tr>"
    ]
    for area, indicator, p_start, p_end, value, unit, title, number, evidence, oid, low, high in rows:
        limit = (
            threshold.format(min=_num(low), max=_num(high))
            if threshold and "{" in threshold and low is not None
            else (threshold or "")
        )
        table.append(
            f"<tr><td>{_e(area)}</td><td>{_e(indicator)}</td><td>{_e(p_start)} .. {_e(p_end)}</td>"
            f"<td>{_e(_num(value))} {_e(unit)}</td><td>{_e(limit)}</td>"
            f"<td>{_e(title)}{' (' + _e(number) + ')' if number else ''}</td>"
            f"<td class='ev'>{_marked(evidence, value)}</td><td><code>{_e(oid[:16])}</code></td></tr>"
        )
    return head + "".join(table) + "</table>"


# A cross-figure rule's two sides, from audit.rule_checks: (left value, operator, right value, the
# observations on the right).
SIDES = {
    "is_parts_within_total": ("c.parts_sum", "≤", "c.total_value", "array[c.total_id]", "c.part_ids"),
    "is_deaths_within_cases": ("c.value", "≤", "c.cases_value", "array[c.cases_id]", "array[c.observation_id]"),
    "is_target_unit_same": ("c.unit", "=", "c.actual_unit", "array[c.actual_id]", "array[c.observation_id]"),
}


def _cross_rule_section(conn, run_id, key, column, words, threshold, suite, checkpoint, expectation, count) -> str:
    left, op, right, right_ids, left_ids = SIDES[column]
    rows = conn.execute(
        f"""select q.row_data->>'area', q.row_data->>'indicator', q.row_data->>'period_start',
                   q.row_data->>'period_end', {left}::text, {right}::text, {left_ids}, {right_ids},
                   r.title, q.row_data->>'evidence', (q.row_data->>'value')::float
            from audit.quarantined_observations q
            join audit.rule_checks c on c.observation_id = q.observation_id
            left join raw.reports r on r.report_id = q.row_data->>'report_id'
            where q.run_id = %s and q.expectation = %s and q.released_at is null
            order by 1, 2, 3 limit 500""",
        (run_id, key),
    ).fetchall()
    head = _rule_head(suite, words, checkpoint, expectation, column, count, f"rule: {threshold}")
    table = [
        "<table><tr><th>province</th><th>indicator</th><th>period</th><th>left side</th><th>operator</th>"
        "<th>right side</th><th>observations left</th><th>observations right</th><th>report</th>"
        "<th class='ev'>sentence</th></tr>"
    ]
    for area, indicator, p_start, p_end, lhs, rhs, lids, rids, title, evidence, value in rows:
        table.append(
            f"<tr><td>{_e(area)}</td><td>{_e(indicator)}</td><td>{_e(p_start)} .. {_e(p_end)}</td>"
            f"<td>{_e(lhs)}</td><td>{_e(op)}</td><td>{_e(rhs)}</td>"
            f"<td>{_e(', '.join(i[:12] for i in (lids or []) if i))}</td>"
            f"<td>{_e(', '.join(i[:12] for i in (rids or []) if i))}</td><td>{_e(title)}</td>"
            f"<td class='ev'>{_marked(evidence, value)}</td></tr>"
        )
    return head + "".join(table) + "</table>"


def _rule_head(suite, words, checkpoint, expectation, column, count, detail: str | None) -> str:
    return (
        f"<h3>{_e(suite)}: {_e(words)}</h3><p>{_e(checkpoint)} · <code>{_e(expectation)}</code> on "
        f"<code>{_e(column)}</code> · {_e(count)} rows failed" + (f" · {_e(detail)}" if detail else "") + "</p>"
    )


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _time(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC" if moment else "-"


def write_index(root: Path | None = None) -> Path:
    """Every run, newest first, with its status and its time as recorded (never a file's mtime)."""
    from vnhealth.settings import safe_run_dir

    root = root or get_settings().data_docs_root
    with psycopg.connect(warehouse_url(), autocommit=True) as conn:
        runs = conn.execute(
            """select run_id, run_kind, status, finished_at, reports_new, reports_failed, observations_loaded,
                      observations_quarantined
               from audit.pipeline_runs order by coalesce(finished_at, started_at) desc, run_id desc"""
        ).fetchall()
    rows = []
    for run_id, kind, status, finished, new, failed, loaded, quarantined in runs:
        folder = root / "runs" / safe_run_dir(run_id)
        css = "passed" if status == "passed" else "failed" if status == "failed" else "warn"
        links = [f"<a href='runs/{_e(folder.name)}/night.html'>night</a>"] if (folder / "night.html").exists() else []
        if (folder / "overview.html").exists():
            links.append(f"<a href='runs/{_e(folder.name)}/overview.html'>overview</a>")
        if (folder / "index.html").exists():
            links.append(f"<a href='runs/{_e(folder.name)}/index.html'>Data Docs</a>")
        rows.append(
            f"<tr><td>{_time(finished)}</td><td>{_e(run_id)}</td><td>{_e(kind)}</td>"
            f"<td class='{css}'>{_e(status or 'unknown')}</td><td>{_e(new)}</td><td>{_e(failed)}</td>"
            f"<td>{_e(loaded)}</td><td>{_e(quarantined)}</td><td>{' · '.join(links)}</td></tr>"
        )
    changes = (
        sorted((root / "changes").glob("*.html"), key=lambda p: p.name, reverse=True)
        if (root / "changes").exists()
        else []
    )
    body = (
        "<h1>Nights</h1><table><tr><th>finished</th><th>run</th><th>kind</th><th>status</th><th>new reports</th>"
        "<th>failed to read</th><th>observations loaded</th><th>quarantined</th><th>pages</th></tr>"
        + "".join(rows)
        + "</table>"
    )
    if changes:
        body += (
            "<h2>Re-extractions: what each changed</h2><ul>"
            + "".join(f"<li><a href='changes/{_e(p.name)}'>{_e(p.stem)}</a></li>" for p in changes)
            + "</ul>"
        )
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(_page("Nights", body), encoding="utf-8")
    return root / "index.html"
