"""Data quality with Great Expectations 1.x.

The File Data Context lives in `expectations/gx/`: suites, validation definitions and checkpoints
are files under version control (`vnhealth quality init` writes them from `SUITES` below).
Row-level failures on extracted observations are quarantined and the run goes on; structural
failures on the marts raise `StructuralValidationError` and fail the run.
"""

from __future__ import annotations

import csv
import html
import json
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import TypeVar

import psycopg
from psycopg.conninfo import make_conninfo
from psycopg.types.json import Json

from vnhealth.settings import get_settings, safe_run_dir
from vnhealth.warehouse import warehouse_url

DATASOURCE = "warehouse"
URL_VARIABLE = "VNHEALTH_GX_WAREHOUSE_URL"
T = TypeVar("T")
ROW_RULES = [
    "is_indicator_known",
    "is_unit_of_indicator",
    "is_value_plausible",
    "is_count_whole",
    "is_period_ordered",
    "has_value_in_evidence",
]
# Rules between figures (audit.rule_checks), one expectation each, DHIS2-style: left side, operator, right side.
CROSS_RULES = ["is_parts_within_total", "is_deaths_within_cases", "is_target_unit_same"]

# `is_typical` (outliers) is validated and reported like the rules, but flags only: never quarantined.


class StructuralValidationError(RuntimeError):
    """The marts failed a run-level check: the fact shrank beyond the bound."""


def _in_set(column: str, values: list) -> tuple[str, dict]:
    return "expect_column_values_to_be_in_set", {"column": column, "value_set": values}


# Every suite, defined once: `vnhealth quality init` writes them into expectations/gx/ (the committed
# JSON files a checkpoint reads), and a test checks that those files say exactly this.
SUITES: dict[str, list[tuple[str, dict]]] = {
    "observations_rows": [
        *[_in_set(c, [True]) for c in ROW_RULES],
        _in_set("kind", ["actual", "target"]),
        _in_set("qualifier", ["exact", "approx", "more_than", "less_than"]),
        ("expect_column_values_to_not_be_null", {"column": "evidence"}),
    ],
    "cross_figure_rules": [*[_in_set(c, [True]) for c in CROSS_RULES], _in_set("is_typical", [True])],
    # Run-level only: keys, not-nulls and relationships of the marts are dbt's (tests, and the keys the
    # database enforces), the sources' freshness too (`dbt source freshness`); each check lives once.
    "marts_observation_fact": [
        ("expect_table_row_count_to_be_between", {"min_value": {"$PARAMETER": "min_fact_rows"}}),
    ],
}


def _context():
    import great_expectations as gx

    os.environ.setdefault(URL_VARIABLE, warehouse_url())
    os.environ["GX_ANALYTICS_ENABLED"] = "False"
    return gx.get_context(mode="file", project_root_dir=str(get_settings().gx_root))


def init_context() -> None:
    """Write the datasource, suites, validation definitions and checkpoints (idempotent)."""
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = _context()
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.save()
    ds = context.data_sources.add_or_update_postgres(name=DATASOURCE, connection_string="${" + URL_VARIABLE + "}")

    def table_batch(asset_name: str, schema: str, table: str):
        try:
            asset = ds.get_asset(asset_name)
        except LookupError:
            asset = ds.add_table_asset(name=asset_name, schema_name=schema, table_name=table)
        try:
            return asset.get_batch_definition("whole_table")
        except (KeyError, LookupError, ValueError):
            return asset.add_batch_definition_whole_table("whole_table")

    def suite(name: str) -> gx.ExpectationSuite:
        s = gx.ExpectationSuite(name=name)
        for kind, kwargs in SUITES[name]:
            cls = "".join(part.title() for part in kind.split("_"))  # expect_column_... -> ExpectColumn...
            s.add_expectation(getattr(gxe, cls)(**kwargs))
        return context.suites.add_or_update(s)

    rows, rules = suite("observations_rows"), suite("cross_figure_rules")
    facts = suite("marts_observation_fact")

    def definition(name: str, batch, s):
        return context.validation_definitions.add_or_update(gx.ValidationDefinition(name=name, data=batch, suite=s))

    docs = [gx.checkpoint.UpdateDataDocsAction(name="update_data_docs")]
    row_format = {"result_format": "COMPLETE", "unexpected_index_column_names": ["observation_id"]}
    context.checkpoints.add_or_update(
        gx.Checkpoint(
            name="observations_checkpoint",
            validation_definitions=[
                definition("observations_rows", table_batch("observation_checks", "audit", "observation_checks"), rows),
                definition("cross_figure_rules", table_batch("rule_checks", "audit", "rule_checks"), rules),
            ],
            actions=docs,
            result_format=row_format,
        )
    )
    context.checkpoints.add_or_update(
        gx.Checkpoint(
            name="marts_checkpoint",
            validation_definitions=[
                definition(
                    "marts_observation_fact",
                    table_batch("fct_indicator_observation", "marts", "fct_indicator_observation"),
                    facts,
                ),
            ],
            actions=docs,
            result_format={"result_format": "SUMMARY"},
        )
    )


def refresh_catalogue_limits(conn: psycopg.Connection) -> None:
    """audit.indicator_catalogue (code, unit, plausible range) from the catalogue file, as the rule views read it."""
    text = resources.files("vnhealth").joinpath("data/indicator_catalogue.csv").read_text(encoding="utf-8")
    rows = [
        (r["code"], r["unit"], float(r["min_value"]), float(r["max_value"])) for r in csv.DictReader(text.splitlines())
    ]
    with conn.cursor() as cur:
        cur.executemany(
            "insert into audit.indicator_catalogue (code, unit, min_value, max_value) values (%s, %s, %s, %s) "
            "on conflict (code) do update set unit = excluded.unit, min_value = excluded.min_value, max_value = "
            "excluded.max_value",
            rows,
        )


def _store_results(conn: psycopg.Connection, run_id: str, checkpoint: str, result) -> list[dict]:
    """Write every expectation result to audit.validation_results; return them as dicts."""
    out = []
    for run_result in result.run_results.values():
        suite = run_result.suite_name
        for r in run_result.results:
            cfg = r.expectation_config
            column = cfg.kwargs.get("column")
            res = r.result or {}
            row = {
                "expectation": cfg.type,
                "column": column,
                "success": bool(r.success),
                "suite": suite,
                "unexpected_count": res.get("unexpected_count"),
                "unexpected_ids": [
                    i.get("observation_id") for i in (res.get("unexpected_index_list") or []) if isinstance(i, dict)
                ],
            }
            # A sample an auditor can look up: failing ids where the result names them, else values.
            sample = (row["unexpected_ids"] or res.get("partial_unexpected_list") or [])[:20]
            conn.execute(
                """insert into audit.validation_results (run_id, checkpoint, suite, expectation, column_name, success,
                       unexpected_count, unexpected_sample)
                   values (%s, %s, %s, %s, %s, %s, %s, %s)
                   on conflict (run_id, suite, expectation, column_name) do update set success = excluded.success,
                       unexpected_count = excluded.unexpected_count, unexpected_sample = excluded.unexpected_sample,
                       validated_at = now()""",
                (
                    run_id,
                    checkpoint,
                    suite,
                    cfg.type,
                    column or "",
                    bool(r.success),
                    row["unexpected_count"],
                    Json(json.loads(json.dumps(sample, default=str))),
                ),
            )
            out.append(row)
    return out


# Every row-level rule, as the SQL that finds the rows breaking it. Great Expectations validates and
# reports the same rules; the rows to quarantine are taken from here, all of them, however many
# (a checkpoint's result lists only a sample of the failing ids).
QUARANTINE_RULES: list[tuple[str, str, str, str, str]] = [
    *[
        ("observations_rows", "expect_column_values_to_be_in_set", c, "audit.observation_checks", f"{c} is not true")
        for c in ROW_RULES
    ],
    (
        "observations_rows",
        "expect_column_values_to_be_in_set",
        "kind",
        "audit.observation_checks",
        "kind is null or kind not in ('actual', 'target')",
    ),
    (
        "observations_rows",
        "expect_column_values_to_be_in_set",
        "qualifier",
        "audit.observation_checks",
        "qualifier is null or qualifier not in ('exact', 'approx', 'more_than', 'less_than')",
    ),
    (
        "observations_rows",
        "expect_column_values_to_not_be_null",
        "evidence",
        "audit.observation_checks",
        "evidence is null",
    ),
    *[
        ("cross_figure_rules", "expect_column_values_to_be_in_set", c, "audit.rule_checks", f"{c} is not true")
        for c in CROSS_RULES
    ],
]


def quarantine(conn: psycopg.Connection, run_id: str) -> int:
    """Hold back every current observation that breaks a rule, release those that no longer do;
    returns how many observations are held back now."""
    conn.execute("create temp table if not exists failing (observation_id text, expectation text, reason text)")
    conn.execute("truncate failing")
    for suite, expectation, column, view, condition in QUARANTINE_RULES:
        conn.execute(
            f"insert into failing select observation_id, %s, %s from {view} where {condition}",
            (f"{expectation}:{column}", f"{suite}: {expectation} on {column}"),
        )
    conn.execute(
        """insert into audit.quarantined_observations (observation_id, run_id, expectation, reason, row_data)
           select distinct on (f.observation_id, f.expectation) f.observation_id, %s, f.expectation, f.reason,
           to_jsonb(o)
           from failing f join audit.current_observations o using (observation_id)
           order by f.observation_id, f.expectation
           on conflict (observation_id, expectation) do update
               set run_id = excluded.run_id, reason = excluded.reason, row_data = excluded.row_data,
                   quarantined_at = now(), released_at = null, released_run_id = null
               where audit.quarantined_observations.released_at is not null""",
        (run_id,),
    )
    conn.execute(
        """update audit.quarantined_observations q set released_at = now(), released_run_id = %s
           where q.released_at is null
             and exists (select 1 from audit.current_observations o where o.observation_id = q.observation_id)
             and not exists (select 1 from failing f where f.observation_id = q.observation_id
                                                      and f.expectation = q.expectation)""",
        (run_id,),
    )
    return conn.execute("select count(distinct observation_id) from failing").fetchone()[0]


def validate_observations(run_id: str, only_if_read: bool = False) -> int:
    """Run the row-level checkpoint (results kept for auditors) and quarantine every failing row;
    returns how many observations are held back. `only_if_read`: when nothing was read since the last
    validation of the observations (by any run, a crashed one included), there is nothing to validate."""
    with psycopg.connect(warehouse_url(), autocommit=True) as conn:
        if only_if_read and not _read_since_last_validation(conn):
            return conn.execute(
                "select count(distinct observation_id) from audit.quarantined_observations where released_at is null"
            ).fetchone()[0]
        # Fresh statistics before the rule views run: without them the planner may nest loops over a
        # table it believes empty (quadratic on a backfill, depending on when autovacuum last ran).
        conn.execute("analyze raw.reports, raw.extractions, raw.observations, audit.quarantined_observations")
        refresh_catalogue_limits(conn)
        context = refresh_checks(conn, meanwhile=_context)
        result = context.checkpoints.get("observations_checkpoint").run(run_id=_gx_run_id(run_id, "observations"))
        _store_results(conn, run_id, "observations_checkpoint", result)
        with conn.transaction():
            held = quarantine(conn, run_id)
            flag_outliers(conn, run_id)
            _store_failing_ids(conn, run_id)
        # the marts join the quarantine and the flags: their plans must not depend on autovacuum's timing
        conn.execute("analyze audit.quarantined_observations, audit.outlier_flags")
    publish_data_docs(run_id)
    return held


CHECK_TABLES = {
    "audit.observation_checks": "audit.observation_check_view",
    "audit.rule_checks": "audit.rule_check_view",
}


def refresh_checks(conn: psycopg.Connection, meanwhile: Callable[[], T] = lambda: None) -> T:
    """Evaluate the rule views once into tables (what this validation saw, for the checkpoint, the
    quarantine, the flags and the auditor alike): a view would be evaluated again for every
    expectation, ten times over the whole table.

    The views are evaluated at once, each on a connection of its own, into new tables that replace
    the last ones in one transaction, so that a reader never sees one table of this validation beside
    the other of the last; `meanwhile` (loading Great Expectations, about 2 s) runs in the meantime
    and its result is returned. An advisory lock keeps two validations (the nightly and the
    re-extraction DAG) from building the same new tables."""
    url = make_conninfo(conn.info.dsn, password=conn.info.password)  # the same server, as the same role
    conn.execute("select pg_advisory_lock(hashtext('audit.refresh_checks'))")
    try:
        with ThreadPoolExecutor(len(CHECK_TABLES)) as pool:
            built = [pool.submit(_evaluate_into_table, url, f"{t}_next", view) for t, view in CHECK_TABLES.items()]
            result = meanwhile()
            for future in built:
                future.result()
        with conn.transaction():
            for table in CHECK_TABLES:
                name = table.split(".", 1)[1]
                conn.execute(f"drop table if exists {table}")
                conn.execute(f"alter table {table}_next rename to {name}")
                conn.execute(f"alter index {table}_next_observation_id_idx rename to {name}_observation_id_idx")
    finally:
        conn.execute("select pg_advisory_unlock(hashtext('audit.refresh_checks'))")
    return result


def _evaluate_into_table(url: str, table: str, view: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"drop table if exists {table}")  # left by a validation that crashed
        conn.execute(f"create table {table} as select * from {view}")
        conn.execute(f"create index {table.split('.', 1)[1]}_observation_id_idx on {table} (observation_id)")
        conn.execute(f"analyze {table}")


def flag_outliers(conn: psycopg.Connection, run_id: str) -> int:
    """Keep each outlier flag with its score, median and MAD (audit.outlier_flags); a value no longer an
    outlier among its peers is cleared, and the clearing kept. Flags never quarantine."""
    conn.execute(
        """insert into audit.outlier_flags (observation_id, run_id, outlier_score, median_value, mad_value, group_size,
                                            period_type)
           select observation_id, %s, outlier_score, median_value, mad_value, group_size, period_type
           from audit.rule_checks where not is_typical
           on conflict (observation_id) do update set run_id = excluded.run_id, outlier_score = excluded.outlier_score,
               median_value = excluded.median_value, mad_value = excluded.mad_value, group_size = excluded.group_size,
               period_type = excluded.period_type, flagged_at = case when audit.outlier_flags.cleared_at is null
                   then audit.outlier_flags.flagged_at else now() end, cleared_at = null""",
        (run_id,),
    )
    conn.execute(
        """update audit.outlier_flags f set cleared_at = now() where cleared_at is null
           and not exists (select 1 from audit.rule_checks c where c.observation_id = f.observation_id and not
           c.is_typical)"""
    )
    return conn.execute("select count(*) from audit.outlier_flags where cleared_at is null").fetchone()[0]


def _store_failing_ids(conn: psycopg.Connection, run_id: str) -> None:
    """Each failed expectation's stored sample is the failing observations' ids (up to 100), taken
    from the rule's own SQL, never a list of the failing column's values (`[false, false]`)."""
    conn.execute(
        """update audit.validation_results v set unexpected_sample = coalesce((
               select jsonb_agg(observation_id order by observation_id) from (
                   select distinct f.observation_id from failing f
                   where f.expectation = v.expectation || ':' || v.column_name order by 1 limit 100) ids), '[]'::jsonb)
           where v.run_id = %s and not v.success and v.checkpoint = 'observations_checkpoint'
             and v.column_name <> 'is_typical'""",
        (run_id,),
    )
    conn.execute(
        """update audit.validation_results v set unexpected_sample = coalesce((
               select jsonb_agg(observation_id order by outlier_score desc) from (
                   select observation_id, outlier_score from audit.outlier_flags where cleared_at is null
                   order by outlier_score desc limit 100) ids), '[]'::jsonb)
           where v.run_id = %s and not v.success and v.column_name = 'is_typical'""",
        (run_id,),
    )


def _read_since_last_validation(conn: psycopg.Connection) -> bool:
    return conn.execute(
        """select exists (select 1 from raw.extractions e
                          where e.extracted_at > coalesce((select max(validated_at) from audit.validation_results
                                                           where checkpoint = 'observations_checkpoint'),
                                                          '-infinity'::timestamptz))"""
    ).fetchone()[0]


def validate_marts(run_id: str, max_shrink: float | None = None) -> dict:
    """Run the marts checkpoint (the run-level check: the fact did not shrink beyond the bound); raise
    StructuralValidationError on any failure."""
    max_shrink = float(os.environ.get("VNHEALTH_MAX_ROWCOUNT_SHRINK", 0.1)) if max_shrink is None else max_shrink
    with psycopg.connect(warehouse_url(), autocommit=True) as conn:
        previous = conn.execute(
            "select observations_in_marts from audit.pipeline_runs where run_id <> %s and observations_in_marts "
            "is not null "
            "order by finished_at desc nulls last limit 1",
            (run_id,),
        ).fetchone()
        params = {
            "min_fact_rows": int(previous[0] * (1 - max_shrink)) if previous else 0,
        }
        result = (
            _context()
            .checkpoints.get("marts_checkpoint")
            .run(expectation_parameters=params, run_id=_gx_run_id(run_id, "marts"))
        )
        results = _store_results(conn, run_id, "marts_checkpoint", result)
        rows = conn.execute("select count(*) from marts.fct_indicator_observation").fetchone()[0]
        conn.execute(
            "insert into audit.pipeline_runs (run_id, observations_in_marts) values (%s, %s) "
            "on conflict (run_id) do update set observations_in_marts = excluded.observations_in_marts",
            (run_id, rows),
        )
    publish_data_docs(run_id)
    failed = [r for r in results if not r["success"]]
    if failed:
        names = ", ".join(f"{r['suite']}.{r['expectation']}({r['column'] or ''})" for r in failed)
        raise StructuralValidationError(f"marts failed structural expectations: {names}")
    return {"expectations": len(results), "failed": 0, "fact_rows": rows}


def _gx_run_id(run_id: str, stage: str):
    from great_expectations.core.run_identifier import RunIdentifier

    return RunIdentifier(run_name=f"{run_id}:{stage}", run_time=datetime.now(timezone.utc))


def _site_dir() -> Path:
    return get_settings().gx_root / "gx" / "uncommitted" / "data_docs" / "local_site"


def _validated_checkpoints(run_id: str) -> list[str]:
    with psycopg.connect(warehouse_url(), autocommit=True) as conn:
        return [
            c
            for (c,) in conn.execute(
                "select distinct checkpoint from audit.validation_results where run_id = %s", (run_id,)
            )
        ]


def _write_quiet_page(target: Path, run_id: str) -> None:
    """A run that validated nothing (nothing read, marts unchanged) says so, and where the last
    validations are."""
    with psycopg.connect(warehouse_url(), autocommit=True) as conn:
        last = conn.execute(
            "select run_id, max(validated_at) from audit.validation_results group by run_id order by 2 desc limit 1"
        ).fetchone()
    target.mkdir(parents=True, exist_ok=True)
    link = (
        (
            f'<p>The last validations are those of <a href="../{html.escape(safe_run_dir(last[0]))}/index.html">'
            f"{html.escape(last[0])}</a> ({last[1]:%Y-%m-%d %H:%M} UTC).</p>"
        )
        if last
        else ""
    )
    (target / "index.html").write_text(
        f"<!doctype html><meta charset='utf-8'><title>{html.escape(run_id)}</title><h1>{html.escape(run_id)}</h1>"
        "<p>Nothing was validated in this run: it read no report and the marts did not change, so the "
        f"observations and marts are those validated before.</p>{link}\n",
        encoding="utf-8",
    )


def publish_data_docs(run_id: str, final: bool = False) -> Path:
    """Copy the site the checkpoints built into a folder of its own for this run (`record_run` then
    indexes every run, with its night page). `final` (the run's last publication) then empties GX's own stores
    of validation results and
    their pages, so that the next run's site holds only its own results: each run's folder stays the
    same size, and disk grows with the number of nights, not its square. The results themselves are
    kept in `audit.validation_results`."""
    root = get_settings().data_docs_root
    target = root / "runs" / safe_run_dir(run_id)
    validated = _validated_checkpoints(run_id)
    if validated and _site_dir().exists():
        from vnhealth.night import make_offline

        shutil.copytree(_site_dir(), target, dirs_exist_ok=True)
        make_offline(target)
    elif final:
        _write_quiet_page(target, run_id)
    if final:
        for stale in (_site_dir() / "validations", _site_dir().parents[1] / "validations"):
            shutil.rmtree(stale, ignore_errors=True)
    return root / "index.html"
