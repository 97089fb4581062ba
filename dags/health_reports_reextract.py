"""Reading archived reports again with the current extractor, mapped over batches like the nightly.

Triggered by hand (or by `vnhealth reextract`'s equivalent in one process) after the extractor's
version changes. Earlier readings are kept, marked superseded; the marts read the current one.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, get_current_context, task

from vnhealth.orchestration import BATCH_SIZE, DEFAULT_ARGS, MAX_BATCHES, read_validate_build_publish, require_manifest

require_manifest()

DOC = """
### health_reports_reextract
Reads archived reports again with the extractor in force. Params: `mode` = `stale` (reports whose
current reading is by another extractor version; the default), `all` (every archived report,
including those that failed to read), `report` (one sha256 or a unique prefix in `report`), or
`since` (reports fetched on or after the date in `since`). Each batch's new readings supersede the
old ones in one transaction; what each report gained, lost or read differently is recorded in
`audit.extraction_changes` and shown on the run's changes page beside its Data Docs.
"""


@dag(
    dag_id="health_reports_reextract",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="Asia/Ho_Chi_Minh"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["health", "re-extraction", "dbt", "great-expectations"],
    doc_md=DOC,
    params={
        "mode": Param("stale", enum=["stale", "all", "report", "since"], description="Which reports to read again."),
        "report": Param("", type="string", description="sha256 (or a unique prefix) for mode=report."),
        "since": Param("", type="string", description="YYYY-MM-DD for mode=since."),
    },
)
def health_reports_reextract():
    @task
    def reports_to_reread() -> list[list[str]]:
        """The archived reports the params select, in batches."""
        from datetime import date

        from vnhealth.pipeline import reextraction_batches

        params = get_current_context()["params"]
        mode = params.get("mode", "stale")
        return reextraction_batches(
            BATCH_SIZE,
            everything=mode == "all",
            report=params.get("report") if mode == "report" else None,
            since=date.fromisoformat(params["since"]) if mode == "since" else None,
            max_batches=MAX_BATCHES,
        )

    read_validate_build_publish(reports_to_reread(), "reextract")


health_reports_reextract()
