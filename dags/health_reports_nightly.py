"""Nightly ingestion of provincial health reports into the warehouse.

Parsing this file runs no dbt and touches no database: the dbt task group is rendered from the
manifest built at setup (`vnhealth dbt parse`), and every task body imports its work lazily.
"""
from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import pendulum
from airflow.sdk import dag, get_current_context, task
from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import InvocationMode, LoadMode, TestBehavior
from cosmos.profiles import PostgresUserPasswordProfileMapping

PROJECT_ROOT = Path(os.environ.get("VNHEALTH_HOME", Path(__file__).resolve().parents[1]))
DBT_PROJECT = PROJECT_ROOT / "dbt_project"
DBT_MANIFEST = DBT_PROJECT / "target" / "manifest.json"
if not DBT_MANIFEST.exists():
    raise FileNotFoundError(
        f"dbt manifest missing at {DBT_MANIFEST}: build it at deploy time with `vnhealth dbt parse` "
        "(make run and make airflow do); the DAG is rendered from it without running dbt")
BATCH_SIZE = int(os.environ.get("VNHEALTH_BATCH_SIZE", "20"))
RETRIES = int(os.environ.get("VNHEALTH_TASK_RETRIES", "2"))  # tests set 0 so that a failure fails at once

DOC = """
### health_reports_nightly
Pulls reports from the sources in `sources.yml`, lands them in the content-addressed archive with a
manifest row in `raw.reports`, extracts every stated indicator value (with its evidence sentence),
loads them into `raw.observations`, validates them with Great Expectations (failing rows go to
`audit.quarantined_observations`), builds the dbt star schema (`marts`), validates the marts
(structural failures fail the run) and publishes Data Docs for this run.

Settings come from the environment: the `warehouse` connection (or `WAREHOUSE_URL`),
`VNHEALTH_ARCHIVE_ROOT`, `VNHEALTH_SOURCES`, `VNHEALTH_BATCH_SIZE`.
"""


def _run_id() -> str:
    return str(get_current_context()["run_id"])


@dag(
    dag_id="health_reports_nightly",
    schedule="0 2 * * *",
    start_date=pendulum.datetime(2024, 1, 1, tz="Asia/Ho_Chi_Minh"),
    catchup=False,
    max_active_runs=1,
    default_args={
        "owner": "data-engineering",
        "retries": RETRIES,
        "retry_delay": timedelta(minutes=2),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=30),
    },
    tags=["health", "ingestion", "dbt", "great-expectations"],
    doc_md=DOC,
)
def health_reports_nightly():
    @task
    def discover_reports() -> list[list[dict]]:
        """Locations the sources offer now, in batches for mapping."""
        from vnhealth.pipeline import discover_batches

        return discover_batches(BATCH_SIZE)

    @task
    def land_reports(batch: list[dict]) -> dict:
        """Archive each file by sha256 and record it in raw.reports (failures with their reason)."""
        from vnhealth.pipeline import land_batch

        return land_batch(batch, _run_id())

    @task
    def new_report_ids(landed: dict) -> list[str]:
        return landed["new"]

    @task
    def extract_observations(report_ids: list[str]) -> str | None:
        """Extract one batch of new reports into a JSON Lines file; returns its path."""
        from vnhealth.pipeline import extract_batch

        return extract_batch(report_ids, _run_id())

    @task
    def load_observations(batch_file: str | None) -> int:
        """Upsert one extracted batch into raw.observations."""
        from vnhealth.pipeline import load_batch

        return load_batch(batch_file, _run_id())

    # none_failed: a night with no new report maps over nothing; that is a success, not a skip.
    @task(trigger_rule="none_failed")
    def close_extraction(landed: list[dict], loaded: list[int] | None) -> None:
        from vnhealth.pipeline import mark_extracted

        mark_extracted([rid for batch in landed for rid in batch["new"]])

    @task
    def validate_observations() -> int:
        """Row-level and cross-figure expectations; failing rows are quarantined, the run goes on."""
        from vnhealth.quality import validate_observations as run

        return run(_run_id())

    @task
    def validate_marts() -> dict:
        """Keys, relationships, row-count change and freshness; any failure fails the run."""
        from vnhealth.quality import validate_marts as run

        return run(_run_id())

    @task(trigger_rule="none_failed")
    def publish_run(landed: list[dict], loaded: list[int] | None, quarantined: int, marts: dict) -> dict:
        """Index this run's Data Docs and record the run's summary in audit.pipeline_runs."""
        from vnhealth.pipeline import record_run
        from vnhealth.quality import publish_data_docs

        docs = publish_data_docs(_run_id())
        return record_run(_run_id(), landed, list(loaded or []), quarantined, str(docs))

    dbt_build = DbtTaskGroup(
        group_id="dbt_build",
        project_config=ProjectConfig(dbt_project_path=DBT_PROJECT, manifest_path=DBT_MANIFEST),
        profile_config=ProfileConfig(
            profile_name="vnhealth", target_name="warehouse",
            profile_mapping=PostgresUserPasswordProfileMapping(conn_id="warehouse", profile_args={"schema": "analytics"}),
        ),
        execution_config=ExecutionConfig(
            dbt_executable_path=str(Path(sys.executable).with_name("dbt")), invocation_mode=InvocationMode.DBT_RUNNER),
        # AFTER_EACH: each model's tests run right after it, so a failing test stops everything
        # downstream of that model and nothing else; tests that join two models (relationships)
        # get a task of their own after both parents.
        render_config=RenderConfig(load_method=LoadMode.DBT_MANIFEST, test_behavior=TestBehavior.AFTER_EACH,
                                   should_detach_multiple_parents_tests=True),
        operator_args={"install_deps": False, "callback": "vnhealth.audit.record_dbt_results"},
    )

    batches = discover_reports()
    landed = land_reports.expand(batch=batches)
    extracted = extract_observations.expand(report_ids=new_report_ids.expand(landed=landed))
    loaded = load_observations.expand(batch_file=extracted)
    closed = close_extraction(landed, loaded)
    quarantined = validate_observations()
    marts = validate_marts()
    closed >> quarantined >> dbt_build >> marts
    publish_run(landed, loaded, quarantined, marts)


health_reports_nightly()
