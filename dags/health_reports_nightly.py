"""Nightly ingestion of provincial health reports into the warehouse.

Parsing this file runs no dbt and touches no database: the dbt task group is rendered from the
manifest built at setup (`vnhealth dbt parse`), and every task body imports its work lazily.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import dag, task

from vnhealth.orchestration import (
    BATCH_SIZE,
    DEFAULT_ARGS,
    MAX_BATCHES,
    read_validate_build_publish,
    require_manifest,
    run_id,
)

require_manifest()

DOC = """
### health_reports_nightly
Pulls reports from the sources in `sources.yml`, lands them in the content-addressed archive with a
manifest row in `raw.reports`, reads every report waiting to be read (those landed now and any an
earlier run left unread, whatever stopped it), loads each batch of readings in one transaction,
validates them with Great Expectations (every failing row goes to `audit.quarantined_observations`),
builds the dbt star schema (`marts`), validates the marts (structural failures fail the run) and
publishes Data Docs for this run. Counts in `audit.pipeline_runs` are read from the tables.

Settings come from the environment: the `warehouse` connection (or `WAREHOUSE_URL`),
`VNHEALTH_ARCHIVE_ROOT`, `VNHEALTH_SOURCES`, `VNHEALTH_BATCH_SIZE`, `VNHEALTH_MAX_BATCHES`,
`VNHEALTH_DBT_THREADS`.
"""


@dag(
    dag_id="health_reports_nightly",
    schedule="0 2 * * *",
    start_date=pendulum.datetime(2024, 1, 1, tz="Asia/Ho_Chi_Minh"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["health", "ingestion", "dbt", "great-expectations"],
    doc_md=DOC,
)
def health_reports_nightly():
    @task
    def discover_reports() -> list[list[dict]]:
        """Locations the sources offer now that may hold something new, in batches for mapping (an
        unchanged file is recorded as seen here and mapped over by nothing)."""
        from vnhealth.pipeline import discover_batches

        return discover_batches(BATCH_SIZE, run_id(), MAX_BATCHES)

    @task
    def land_reports(batch: list[dict]) -> dict:
        """Archive each file by sha256 and record it in raw.reports (failures with their reason)."""
        from vnhealth.pipeline import land_batch

        return land_batch(batch, run_id())

    @task
    def reports_to_read() -> list[list[str]]:
        """Every report with status `new`, landed now or left by an earlier run, in batches."""
        from vnhealth.pipeline import extraction_batches

        return extraction_batches(BATCH_SIZE, MAX_BATCHES)

    landed = land_reports.expand(batch=discover_reports())
    waiting = reports_to_read()
    landed >> waiting
    read_validate_build_publish(waiting, "nightly")


health_reports_nightly()
