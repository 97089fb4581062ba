"""The overview a manager opens: one HTML page per run, built from the marts as `bi_reader` (what any
BI tool sees), readable offline.

Charts are plotly's; its script is shipped with the plotly package and copied once beside the pages
(`assets/plotly-<version>.min.js`), so a page loads nothing from the network and a night adds a few
kilobytes, not the 4.6 MB script.
"""

from __future__ import annotations

import html
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import psycopg

from vnhealth.warehouse import BI_ROLE, warehouse_url

# Coverage is the headline: the share of people with health insurance, by province, against its target.
COVERAGE_INDICATOR = "health_insurance_coverage_pct"


@dataclass
class Overview:
    coverage: list[tuple]  # province, period label, actual, target (or None)
    series_title: str
    series: list[tuple]  # period label, value, kind
    latest: list[tuple]  # indicator, province, period label, value, unit, target, is_met
    quality: list[tuple]  # suite, expectation, column, success, unexpected count
    run_id: str


def _read(run_id: str) -> Overview:
    with psycopg.connect(warehouse_url(BI_ROLE), autocommit=True) as conn:
        coverage = conn.execute(
            """with province_values as (
                   select f.facility_name, p.period_label_en, p.period_end_date, v.value_kind, v.observed_value,
                          row_number() over (partition by f.facility_id, v.value_kind
                                             order by p.period_end_date desc nulls last) as recency
                   from marts.fct_indicator_value v
                   join marts.dim_facility f using (facility_id)
                   join marts.dim_period p using (period_id)
                   where v.indicator_id = %s and f.facility_type = 'province' and v.is_total
               )
               select a.facility_name, a.period_label_en, a.observed_value, t.observed_value
               from province_values a
               left join province_values t
                      on t.facility_name = a.facility_name and t.value_kind = 'target' and t.recency = 1
               where a.value_kind = 'actual' and a.recency = 1
               order by a.observed_value desc""",
            (COVERAGE_INDICATOR,),
        ).fetchall()
        # the province and indicator with the longest run of whole periods: the chart with most to show
        pick = conn.execute(
            """select v.facility_id, f.facility_name, v.indicator_id, i.indicator_name_en, i.unit
               from marts.fct_indicator_value_full_period_total v
               join marts.dim_facility f using (facility_id)
               join marts.dim_indicator i using (indicator_id)
               where f.facility_type = 'province'
               group by 1, 2, 3, 4, 5
               order by count(distinct v.period_id) desc, 2, 3 limit 1"""
        ).fetchone()
        series, title = [], "No indicator has values yet"
        if pick:
            facility_id, province, indicator, name, unit = pick
            title = f"{name} ({unit}), {province}"
            series = conn.execute(
                """select p.period_label_en, v.observed_value, v.value_kind
                   from marts.fct_indicator_value_full_period_total v join marts.dim_period p using (period_id)
                   where v.facility_id = %s and v.indicator_id = %s
                   order by p.period_start_date, p.period_end_date""",
                (facility_id, indicator),
            ).fetchall()
        latest = conn.execute(
            """with ranked as (
                   select v.*, row_number() over (partition by v.indicator_id, v.facility_id
                                                  order by p.period_end_date desc nulls last, p.period_id) as recency
                   from marts.fct_indicator_value v join marts.dim_period p using (period_id)
                   where v.value_kind = 'actual' and v.is_total
               )
               select i.indicator_name_en, f.facility_name, p.period_label_en, r.observed_value, i.unit,
                      t.target_value, t.is_met
               from ranked r
               join marts.dim_indicator i using (indicator_id)
               join marts.dim_facility f using (facility_id)
               join marts.dim_period p using (period_id)
               left join marts.fct_target_attainment t
                      on t.indicator_id = r.indicator_id and t.facility_id = r.facility_id
                     and t.period_id = r.period_id and t.dimension is null
               where r.recency = 1
               order by i.indicator_name_en, f.facility_name"""
        ).fetchall()
        quality = conn.execute(
            """select suite_name, expectation_type, column_name, is_success, unexpected_count
               from marts.fct_validation_result where run_id = %s
               order by is_success, suite_name, expectation_type, column_name""",
            (run_id,),
        ).fetchall()
    return Overview(coverage, title, series, latest, quality, run_id)


def _figures(data: Overview) -> list[str]:
    import plotly.graph_objects as go

    figures = []
    if data.coverage:
        provinces = [row[0] for row in data.coverage]
        bars = go.Figure(
            go.Bar(
                x=[row[2] for row in data.coverage],
                y=provinces,
                orientation="h",
                name="actual",
                text=[f"{row[2]:g}% ({row[1]})" for row in data.coverage],
                textposition="auto",
            )
        )
        targets = [(row[3], row[0]) for row in data.coverage if row[3] is not None]
        if targets:
            bars.add_trace(
                go.Scatter(
                    x=[t for t, _ in targets],
                    y=[p for _, p in targets],
                    mode="markers",
                    name="target",
                    marker={"symbol": "line-ns-open", "size": 18, "color": "#b00020"},
                )
            )
        bars.update_layout(
            title="Health insurance coverage by province (latest period, %)",
            height=160 + 40 * len(provinces),
            yaxis={"autorange": "reversed", "type": "category"},
            xaxis={"range": [0, 100]},
            margin={"l": 160, "t": 60, "b": 40},
        )
        figures.append(bars)
    if data.series:
        line = go.Figure()
        for kind in ("actual", "target"):
            points = [(label, value) for label, value, k in data.series if k == kind]
            if points:
                line.add_trace(
                    go.Scatter(x=[p for p, _ in points], y=[v for _, v in points], mode="lines+markers", name=kind)
                )
        line.update_layout(title=data.series_title + " over time", height=380, margin={"t": 60, "b": 40})
        figures.append(line)
    return [figure.to_html(full_html=False, include_plotlyjs=False) for figure in figures]


def _table(headers: list[str], rows: list[tuple]) -> str:
    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "met" if value else "not met"
        if isinstance(value, float):
            return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
        return html.escape(str(value))

    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def plotly_asset(root: Path) -> str:
    """Copy plotly's bundled script into `<root>/assets/` once; its file name."""
    import plotly

    name = f"plotly-{plotly.__version__}.min.js"
    target = root / "assets" / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        source = resources.files("plotly").joinpath("package_data/plotly.min.js")
        with resources.as_file(source) as path:
            shutil.copyfile(path, target)
    return name


def write_overview(run_id: str, run_dir: Path, root: Path) -> Path:
    """`overview.html` in the run's folder, reading the marts as bi_reader."""
    from vnhealth.night import PAGE_STYLE

    data = _read(run_id)
    script = plotly_asset(root)
    failed = [row for row in data.quality if not row[3]]
    quality = (
        f"<p>{len(data.quality) - len(failed)} expectations passed, {len(failed)} failed in this run"
        f" (<a href='night.html'>the night's page</a> shows the failing rows).</p>"
        + (_table(["suite", "expectation", "column", "passed", "failing rows"], failed) if failed else "")
    )
    if not data.quality:
        quality = "<p>Nothing was validated in this run (no new figures); the marts are those of the last build.</p>"
    body = "\n".join(
        [
            f"<h1>Overview of the warehouse after run {html.escape(run_id)}</h1>",
            "<p>Built from the marts as the <code>bi_reader</code> role. Every figure traces to its sentence "
            "(<code>vnhealth trace</code>).</p>",
            *(f"<div class='chart'>{figure}</div>" for figure in _figures(data)),
            "<h2>Latest value of every indicator, with its attainment</h2>",
            _table(["indicator", "province", "period", "value", "unit", "target", "attainment"], data.latest),
            "<h2>Data quality of this run</h2>",
            quality,
        ]
    )
    page = (
        f"<!doctype html><html lang='en'><meta charset='utf-8'><title>Overview {html.escape(run_id)}</title>"
        f"<style>{PAGE_STYLE}</style><script src='../../assets/{script}'></script><body>{body}</body></html>\n"
    )
    run_dir.mkdir(parents=True, exist_ok=True)
    target = run_dir / "overview.html"
    target.write_text(page, encoding="utf-8")
    return target
