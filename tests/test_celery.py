"""The same DAG, unchanged, under CeleryExecutor with two workers (`make airflow EXECUTOR=celery
WORKERS=2`: Redis broker, PostgreSQL metadata), backfilling 200 reports; its marts are identical,
row for row, to those of an `airflow dags test` run of the same reports. Then `make stop`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import psycopg
import pytest

from conftest import ROOT, free_port, processes_of, run_cli


def _airflow(env: dict, *args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "airflow"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.skipif(
    shutil.which("redis-server") is None and os.geteuid() != 0,
    reason="needs Debian's redis-server, or root to install it",
)
def test_celery_with_two_workers_builds_the_same_marts_as_dags_test(test_env, warehouse, dbt_manifest):
    from vnhealth.audit import table_checksums
    from vnhealth.synth import write_corpus

    base = Path(test_env["VNHEALTH_LOCAL_DIR"]).parent / "celery"
    local, inbox = base / "local", base / "inbox"
    for d in (base, local, inbox):
        d.mkdir(parents=True, exist_ok=True)
        d.chmod(0o755)
    write_corpus(inbox, 200, seed=11, gold_directory=base / "gold")
    (base / "sources.yml").write_text(
        f"sources:\n  - name: inbox\n    type: directory\n    path: {inbox}\n    patterns: ['*.txt']\n"
    )
    env = {
        **os.environ,
        "VNHEALTH_LOCAL_DIR": str(local),
        "VNHEALTH_PG_PORT": str(free_port()),
        "VNHEALTH_REDIS_PORT": str(free_port()),
        "AIRFLOW__API__PORT": str(free_port()),
        "VNHEALTH_SOURCES": str(base / "sources.yml"),
        "AIRFLOW_HOME": str(local / "airflow"),
        "AIRFLOW__COSMOS__CACHE_DIR": str(local / "cosmos"),
        "VNHEALTH_TASK_RETRIES": "0",
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL": "5",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        "EXECUTOR": "celery",
        "WORKERS": "2",
    }
    for key in (
        "WAREHOUSE_URL",
        "AIRFLOW_CONN_WAREHOUSE",
        "XDG_RUNTIME_DIR",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
        "VNHEALTH_GX_WAREHOUSE_URL",
    ):
        env.pop(key, None)
    log = (base / "airflow.log").open("wb")
    stack = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "airflow.sh")],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not (local / "logs" / "scheduler.log").exists():
            assert stack.poll() is None, (base / "airflow.log").read_text()[-3000:]
            time.sleep(2)
        metadata = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "vnhealth"), "warehouse", "database", "airflow"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        celery_env = {
            **env,
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata.stdout.strip(),
        }
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            listed = _airflow(celery_env, "dags", "list", "-o", "json")
            if "health_reports_nightly" in listed.stdout:
                break
            time.sleep(5)
        else:
            pytest.fail("the DAG processor never listed the DAG:\n" + (base / "airflow.log").read_text()[-3000:])
        assert _airflow(celery_env, "dags", "unpause", "health_reports_nightly").returncode == 0
        started = time.monotonic()
        triggered = _airflow(celery_env, "dags", "trigger", "health_reports_nightly", "-o", "json")
        assert triggered.returncode == 0, triggered.stdout + triggered.stderr
        state = None
        while time.monotonic() - started < 900:
            runs = _airflow(celery_env, "dags", "list-runs", "health_reports_nightly", "-o", "json").stdout
            data = json.loads(next((line for line in runs.splitlines() if line.startswith("[")), "[]"))
            state = data[0]["state"] if data else None
            if state in ("success", "failed"):
                break
            time.sleep(5)
        elapsed = time.monotonic() - started
        logs = "\n".join(
            (local / "logs" / f).read_text(errors="replace")[-1500:] for f in ("scheduler.log", "worker1.log")
        )
        assert state == "success", f"the Celery run ended {state}:\n{logs}"
        # each worker imported the tasks' modules once, before forking a process per task
        for worker in ("worker1.log", "worker2.log"):
            text = (local / "logs" / worker).read_text(errors="replace")
            assert "preloaded for every task: great_expectations" in text, text[-1500:]
        url = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "vnhealth"), "warehouse", "url"], env=env, capture_output=True, text=True
        ).stdout.strip()
        with psycopg.connect(url, autocommit=True) as conn:
            celery_marts = table_checksums(conn, ("marts",))
            hosts = {h for (h,) in conn.execute("select 1")}  # the warehouse answers
        assert hosts and celery_marts["marts.fct_indicator_observation"][0] > 1000
    finally:
        subprocess.run(["bash", str(ROOT / "scripts" / "stop.sh")], env=env, cwd=ROOT, capture_output=True, timeout=180)
        try:
            stack.wait(timeout=60)
        except subprocess.TimeoutExpired:
            stack.kill()
    assert processes_of(local / "airflow") == [], "make stop left processes of the Celery stack running"

    # the same reports under `airflow dags test`, in a database of their own on the session's warehouse
    name = f"celery_ref_{os.getpid()}"
    with psycopg.connect(warehouse.url("postgres", database="postgres"), autocommit=True) as conn:
        conn.execute(f'create database "{name}" owner vnhealth')
    from vnhealth.warehouse import migrate

    ref_url = warehouse.url("vnhealth", database=name)
    migrate(ref_url)
    ref_env = {
        "WAREHOUSE_URL": ref_url,
        "AIRFLOW_CONN_WAREHOUSE": ref_url,
        "VNHEALTH_GX_WAREHOUSE_URL": ref_url,
        "VNHEALTH_SOURCES": str(base / "sources.yml"),
        "VNHEALTH_ARCHIVE_ROOT": str(base / "ref-archive"),
        "AIRFLOW_HOME": str(base / "ref-airflow"),
        "VNHEALTH_TASK_RETRIES": "0",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{base}/ref-airflow/airflow.db",
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
    }
    (base / "ref-airflow").mkdir(exist_ok=True)
    run_cli("airflow", "db", "migrate", env=ref_env)
    run_cli("airflow", "dags", "test", "health_reports_nightly", env=ref_env, timeout=900)
    with psycopg.connect(ref_url, autocommit=True) as conn:
        reference = table_checksums(conn, ("marts",))
    assert celery_marts == reference, {
        t: (celery_marts.get(t), reference.get(t)) for t in reference if celery_marts.get(t) != reference.get(t)
    }
    print(f"CeleryExecutor, 2 workers: 200 reports in {elapsed:.0f} s")
