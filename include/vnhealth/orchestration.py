"""The tasks both DAGs share (read, load, validate, build, publish), as TaskFlow tasks.

The nightly DAG lands new reports and reads what is waiting; the re-extraction DAG reads archived
reports again with the current extractor. Task bodies import their work lazily, so parsing a DAG
touches no database and runs no dbt: the dbt task group is rendered from the pre-built manifest.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

from airflow.sdk import get_current_context, task
from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import InvocationMode, LoadMode, TestBehavior
from cosmos.profiles import PostgresUserPasswordProfileMapping

PROJECT_ROOT = Path(os.environ.get("VNHEALTH_HOME", Path(__file__).resolve().parents[2]))
DBT_PROJECT = PROJECT_ROOT / "dbt_project"
DBT_MANIFEST = DBT_PROJECT / "target" / "manifest.json"
# 100 reports per mapped task: each task instance costs Airflow about 0.1 s under `dags test` and more under a
# real executor, so small batches made that overhead a third of a backfill (bench/pipeline.py).
BATCH_SIZE = int(os.environ.get("VNHEALTH_BATCH_SIZE", "100"))


def _default_max_batches() -> int:
    """Two batches per task the DAG may run at once (`[core] max_active_tasks_per_dag`): every slot
    gets work, with a second round so that a slow batch does not leave the others idle."""
    from airflow.sdk.configuration import conf

    return 2 * conf.getint("core", "max_active_tasks_per_dag")


# ... and at most that many of them: beyond it batches grow instead, so that Airflow's cost per task instance
# (about 0.15 s under `dags test`, with the scheduler's gap after it) is a fixed cost of a backfill, not one
# per 100 reports: a batch more than the DAG can run at once buys no speed (bench/pipeline.py).
MAX_BATCHES = int(os.environ.get("VNHEALTH_MAX_BATCHES") or _default_max_batches())
# dbt's threads, the same under Airflow as for the CLI (dbt_project/profiles.yml reads the same variable):
# cosmos's PostgreSQL profile would otherwise run one model at a time, a third slower on a backfill
DBT_THREADS = int(os.environ.get("VNHEALTH_DBT_THREADS", "2"))
RETRIES = int(os.environ.get("VNHEALTH_TASK_RETRIES", "2"))  # tests set 0 so that a failure fails at once

DEFAULT_ARGS = {
    "owner": "data-engineering",
    # no task may hold a night forever (a trickling server, a stuck query): the next nights wait on it
    "execution_timeout": timedelta(minutes=int(os.environ.get("VNHEALTH_TASK_TIMEOUT_MINUTES", "60"))),
    "retries": RETRIES,
    "retry_delay": timedelta(minutes=2),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
}


def require_manifest() -> None:
    if not DBT_MANIFEST.exists():
        raise FileNotFoundError(
            f"dbt manifest missing at {DBT_MANIFEST}: build it at deploy time with `vnhealth dbt parse` "
            "(make run and make airflow do); the DAG is rendered from it without running dbt"
        )


def run_id() -> str:
    return str(get_current_context()["run_id"])


@task
def extract_observations(report_ids: list[str]) -> str | None:
    """Read one batch of reports into a batch file; returns its path (nothing is written to the warehouse)."""
    from vnhealth.pipeline import extract_batch

    return extract_batch(report_ids, run_id())


@task
def load_observations(batch_file: str | None) -> int:
    """Load one batch file in one transaction: readings, observations, statuses, changes."""
    from vnhealth.pipeline import load_batch_file

    return load_batch_file(batch_file, run_id())


# none_failed: a night with nothing to read maps over nothing; that is a success, not a skip.
@task(trigger_rule="none_failed")
def validate_observations() -> int:
    """Row-level and cross-figure expectations; every failing row is quarantined, the run goes on."""
    from vnhealth.quality import validate_observations as run

    return run(run_id(), only_if_read=True)


@task.short_circuit(ignore_downstream_trigger_rules=False)
def marts_out_of_date() -> bool:
    """Build only when something changed: rows read, reports landed or failed, quarantine moved, or the
    dbt project changed since the last good build. A quiet night skips the build and the marts'
    validation (nothing in them changed) and still publishes its page."""
    import logging

    from vnhealth.pipeline import marts_out_of_date as check

    build, why = check(run_id())
    logging.getLogger(__name__).info("marts %s: %s", "out of date" if build else "current", why)
    return build


@task
def validate_marts() -> dict:
    """The run-level check (the fact did not shrink beyond the bound; keys and relationships are dbt's
    tests, run in the build); a failure fails the run. A build that
    passes is recorded, so that a night with nothing new builds nothing."""
    from vnhealth.pipeline import record_mart_build
    from vnhealth.quality import validate_marts as run

    result = run(run_id())
    record_mart_build(run_id())
    return result


def publish_run_task(run_kind: str):
    # all_done: a night whose validation or build failed still gets its page and its place in the
    # index, marked failed; then this task fails too, so the run is failed, as it must be.
    @task(task_id="publish_run", trigger_rule="all_done")
    def publish_run(marts: dict | None) -> dict:
        """This run's Data Docs and night page (and re-extraction changes) indexed with its status; its
        counts, read from the tables, recorded in audit.pipeline_runs."""
        from vnhealth.audit import write_changes_page
        from vnhealth.pipeline import record_run
        from vnhealth.quality import publish_data_docs

        failed = _failed_tasks()
        write_changes_page(run_id())
        docs = publish_data_docs(run_id(), final=True)
        summary = record_run(run_id(), str(docs), run_kind, failed)
        if failed:
            raise RuntimeError(f"the run failed in {', '.join(failed)}; its page says what failed")
        return summary

    return publish_run


def _failed_tasks() -> list[str]:
    """The tasks of this run that failed (or could not run because one upstream failed)."""
    context = get_current_context()
    ti = context["ti"]
    states = ti.get_task_states(dag_id=ti.dag_id, run_ids=[ti.run_id])
    failed = set()
    for task_states in states.values():
        for task_key, state in task_states.items():
            if str(state) in ("failed", "upstream_failed") and not task_key.startswith("publish_run"):
                failed.add(task_key)
    return sorted(failed)


def _profile_config() -> ProfileConfig:
    return ProfileConfig(
        profile_name="vnhealth",
        target_name="warehouse",
        profile_mapping=PostgresUserPasswordProfileMapping(
            conn_id="warehouse", profile_args={"schema": "analytics", "threads": DBT_THREADS}
        ),
    )


def dbt_build_group():
    """The dbt build, rendered as `VNHEALTH_DBT_TASKS` says.

    `once` (the default): one cosmos task runs `dbt build` over the project in one invocation. dbt
    itself runs each model's tests right after it and skips everything downstream of a failing
    test, so a failure stops exactly what depends on it; every node's result is kept in
    audit.dbt_results. Measured by bench/pipeline.py, it costs about what a plain `dbt build` does.
    `per_model`: a task per model with its tests after it (cosmos AFTER_EACH), for whoever wants to
    see and retry each model in Airflow; it costs about one second of Airflow per task."""
    if os.environ.get("VNHEALTH_DBT_TASKS", "once") == "per_model":
        return DbtTaskGroup(
            group_id="dbt_build",
            project_config=ProjectConfig(dbt_project_path=DBT_PROJECT, manifest_path=DBT_MANIFEST),
            profile_config=_profile_config(),
            execution_config=ExecutionConfig(
                dbt_executable_path=str(Path(sys.executable).with_name("dbt")),
                invocation_mode=InvocationMode.DBT_RUNNER,
            ),
            # AFTER_EACH: each model's tests run right after it, so a failing test stops everything
            # downstream of that model and nothing else; tests that join two models (relationships)
            # get a task of their own after both parents.
            render_config=RenderConfig(
                load_method=LoadMode.DBT_MANIFEST,
                test_behavior=TestBehavior.AFTER_EACH,
                should_detach_multiple_parents_tests=True,
            ),
            operator_args={"install_deps": False, "callback": "vnhealth.audit.record_dbt_results"},
        )
    from cosmos import settings as cosmos_settings
    from cosmos.operators.local import DbtBuildLocalOperator

    return DbtBuildLocalOperator(
        task_id="dbt_build",
        # where cosmos keeps dbt's partial_parse.msgpack between runs (a task group gets one itself; a single
        # operator does not, and without it every build parsed the whole project again: about 5 s)
        cache_dir=cosmos_settings.cache_dir / "vnhealth_dbt_build",
        project_dir=str(DBT_PROJECT),
        profile_config=_profile_config(),
        dbt_executable_path=str(Path(sys.executable).with_name("dbt")),
        invocation_mode=InvocationMode.DBT_RUNNER,
        install_deps=False,
        callback="vnhealth.audit.record_dbt_results",
    )


def read_validate_build_publish(report_batches, run_kind: str) -> None:
    """The part both DAGs share, wired: read each batch, load it, validate, build the marts, validate
    them, publish the run."""
    loaded = load_observations.expand(batch_file=extract_observations.expand(report_ids=report_batches))
    quarantined = validate_observations()
    dbt_build = dbt_build_group()
    marts = validate_marts()
    loaded >> quarantined >> marts_out_of_date() >> dbt_build >> marts
    publish_run_task(run_kind)(marts)
