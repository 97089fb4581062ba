"""DAG integrity: the folder imports with no errors and the DAG is configured as documented. (How
long parsing takes is measured by bench/pipeline.py, not asserted by a test.)"""

import os
from pathlib import Path

from conftest import ROOT


def test_dag_folder_imports_without_errors(dbt_manifest):
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags"))
    assert bag.import_errors == {}
    dag = bag.dags.get("health_reports_nightly")
    assert dag is not None
    assert dag.max_active_runs == 1 and dag.catchup is False
    assert str(dag.timezone.name) == "Asia/Ho_Chi_Minh"
    assert dag.doc_md and "health_reports_nightly" in dag.doc_md
    assert set(dag.tags) >= {"health", "dbt"}
    ids = set(dag.task_ids)
    assert {
        "discover_reports",
        "land_reports",
        "extract_observations",
        "load_observations",
        "validate_observations",
        "marts_out_of_date",
        "dbt_build",
        "validate_marts",
        "publish_run",
    } <= ids
    assert dag.get_task("dbt_build").upstream_task_ids == {"marts_out_of_date"}
    land = dag.get_task("land_reports")
    assert land.retries == 2 and land.retry_exponential_backoff
    assert all(t.execution_timeout is not None for t in dag.tasks), "every task has an execution timeout"


def test_reextraction_dag_is_manual_with_params_and_shares_the_nightly_tasks(dbt_manifest):
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags"))
    dag = bag.dags.get("health_reports_reextract")
    assert dag is not None and dag.schedule is None
    assert dag.max_active_runs == 1
    assert set(dag.params.keys()) == {"mode", "report", "since"}
    assert dag.params["mode"] == "stale"
    ids = set(dag.task_ids)
    assert {
        "reports_to_reread",
        "extract_observations",
        "load_observations",
        "validate_observations",
        "marts_out_of_date",
        "dbt_build",
        "validate_marts",
        "publish_run",
    } <= ids
    nightly = bag.dags["health_reports_nightly"]
    assert "reports_to_read" in nightly.task_ids and "close_extraction" not in nightly.task_ids


def test_the_dbt_build_may_be_rendered_a_task_per_model(dbt_manifest, monkeypatch):
    """`VNHEALTH_DBT_TASKS=per_model`: cosmos renders a task per model with its tests after it."""
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("VNHEALTH_DBT_TASKS", "per_model")
    dag = DagBag(dag_folder=str(ROOT / "dags")).dags["health_reports_nightly"]
    per_model = [t for t in dag.task_ids if t.startswith("dbt_build.")]
    assert len(per_model) > 10 and any(t.endswith(".run") for t in per_model)


def test_dbt_runs_with_the_same_threads_under_airflow_as_from_the_cli(monkeypatch, tmp_path):
    """cosmos's PostgreSQL profile would run one model at a time; the DAG's profile and the CLI's
    profiles.yml both read `VNHEALTH_DBT_THREADS`."""
    import importlib
    import subprocess
    import sys

    from vnhealth import orchestration

    monkeypatch.setenv("VNHEALTH_DBT_THREADS", "3")
    monkeypatch.setenv("AIRFLOW_CONN_WAREHOUSE", "postgresql://vnhealth:secret-password@127.0.0.1:5432/vnhealth")
    try:
        profile = importlib.reload(orchestration)._profile_config().profile_mapping.profile
    finally:
        monkeypatch.delenv("VNHEALTH_DBT_THREADS")
        importlib.reload(orchestration)
    assert profile["threads"] == 3
    # the CLI's profile, as dbt itself reads profiles.yml (it says its concurrency before connecting)
    compiled = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "compile", "--select", "stg_seeds__provinces",
         "--profiles-dir", ".", "--target-path", str(tmp_path)],
        cwd=ROOT / "dbt_project", capture_output=True, text=True,
        env={**os.environ, "VNHEALTH_DBT_THREADS": "3", "VNHEALTH_DB_PORT": "1"},
    )  # fmt: skip
    assert "Concurrency: 3 threads" in compiled.stdout, compiled.stdout


def test_mapped_batches_follow_how_many_tasks_the_dag_may_run_at_once():
    """Beyond two batches per slot (`[core] max_active_tasks_per_dag`) a backfill makes larger batches,
    not more task instances; `VNHEALTH_MAX_BATCHES` overrides it."""
    import subprocess
    import sys

    def max_batches(**env: str) -> int:
        base = {k: v for k, v in os.environ.items() if k != "VNHEALTH_MAX_BATCHES"}
        out = subprocess.run(
            [sys.executable, "-c", "from vnhealth import orchestration; print(orchestration.MAX_BATCHES)"],
            env={**base, **env}, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return int(out.stdout)

    assert max_batches(AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG="3") == 6
    assert max_batches(AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG="4") == 8
    assert max_batches(AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG="4", VNHEALTH_MAX_BATCHES="20") == 20
    from vnhealth.pipeline import _chunks

    assert [len(b) for b in _chunks(list(range(10_000)), 100, 8)] == [1250] * 8
