"""Real runs of the nightly DAG (`airflow dags test`) over 300 synthetic reports: a clean run's counts
add up, and a run killed with SIGKILL, or whose warehouse stops, while it loads observations is
recovered by the next run into a warehouse identical, table for table and row for row, to the
clean run's."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
import yaml

from conftest import ROOT, free_port, run_cli
from vnhealth.audit import table_checksums
from vnhealth.loading import observation_id

REPORTS, SEED, BATCH = 300, 7, 50


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("synth300")
    run_cli("vnhealth", "synth", str(inbox / "reports"), "--reports", str(REPORTS), "--seed", str(SEED))
    truth = inbox / "truth"
    truth.mkdir()
    for path in (inbox / "reports").glob("*.jsonl"):
        path.rename(truth / path.name)
    (inbox / "sources.yml").write_text(
        yaml.safe_dump({"sources": [{"name": "synth", "type": "directory", "path": str(inbox / "reports")}]})
    )
    return inbox


class Warehouse:
    """A database the DAG runs against: on the session's server, or on a server of its own that a test can stop."""

    def __init__(self, tmp: Path, session_warehouse=None):
        from vnhealth.settings import get_settings
        from vnhealth.warehouse import EmbeddedWarehouse, migrate

        self.tmp = tmp
        if session_warehouse is not None:
            self.server = None
            name = f"recovery_{time.monotonic_ns() % 10**12}"
            with psycopg.connect(session_warehouse.url("postgres", database="postgres"), autocommit=True) as conn:
                conn.execute(f'create database "{name}" owner vnhealth')
            self.url = session_warehouse.url("vnhealth", database=name)
            migrate(self.url)
        else:
            # The server runs as its own system user: its folder lives where that user can reach it.
            settings = get_settings()
            local = Path(tempfile.mkdtemp(dir=settings.local_dir.parent, prefix="stoppable-"))
            local.chmod(0o755)
            self.server = EmbeddedWarehouse(
                type(settings)(**{**settings.__dict__, "local_dir": local, "pg_port": free_port()})
            )
            self.server.start()
            self.url = self.server.url("vnhealth")

    def env(self, corpus: Path) -> dict[str, str]:
        return {
            "WAREHOUSE_URL": self.url,
            "AIRFLOW_CONN_WAREHOUSE": self.url,
            "VNHEALTH_GX_WAREHOUSE_URL": self.url,
            "VNHEALTH_ARCHIVE_ROOT": str(self.tmp / "archive"),
            "VNHEALTH_SOURCES": str(corpus / "sources.yml"),
            "VNHEALTH_BATCH_SIZE": str(BATCH),
            "VNHEALTH_TASK_RETRIES": "0",
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        }

    def rows(self, sql: str, params=None) -> list[tuple]:
        with psycopg.connect(self.url) as conn:
            return conn.execute(sql, params).fetchall()

    def checksums(self) -> dict:
        with psycopg.connect(self.url) as conn:
            return table_checksums(conn)


def _airflow(env: dict, *args: str, **kw) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("airflow")
    return subprocess.Popen(
        [str(exe), *args],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        **kw,
    )


def _dag_test(env: dict) -> str:
    run_cli("airflow", "db", "migrate", env=env)
    proc = _airflow(env, "dags", "test", "health_reports_nightly")
    out, _ = proc.communicate(timeout=1200)
    runs = run_cli("airflow", "dags", "list-runs", "health_reports_nightly", "-o", "json", env=env).stdout
    latest = max(
        json.loads(next(line for line in runs.splitlines() if line.startswith("["))),
        key=lambda r: r.get("start_date") or "",
    )
    assert latest["state"] == "success", out[-6000:]
    return latest["run_id"]


def _start_and_block_a_load(wh: Warehouse, env: dict):
    """Start a run and hold it inside a load_observations transaction: once a first batch is loaded,
    lock raw.observations and wait until the next batch's insert (or copy) waits on the lock."""
    run_cli("airflow", "db", "migrate", env=env)
    proc = _airflow(env, "dags", "test", "health_reports_nightly")
    deadline = time.monotonic() + 600
    while not wh.rows("select count(*) from raw.observations")[0][0]:
        assert proc.poll() is None and time.monotonic() < deadline, "the run ended before it loaded anything"
        time.sleep(0.2)
    blocker = psycopg.connect(wh.url)
    blocker.execute("lock table raw.observations in exclusive mode")
    while not wh.rows("""select count(*) from pg_stat_activity where datname = current_database()
                         and wait_event_type = 'Lock'
                         and (query ilike 'insert into raw.observations%' or query ilike 'copy raw.observations%')""")[
        0
    ][0]:
        assert proc.poll() is None and time.monotonic() < deadline, "the run ended before its next load"
        time.sleep(0.2)
    return proc, blocker


@pytest.fixture(scope="module")
def clean(corpus, warehouse, dbt_manifest, tmp_path_factory):
    wh = Warehouse(tmp_path_factory.mktemp("clean"), warehouse)
    run_id = _dag_test(wh.env(corpus))
    return wh, run_id


def test_a_300_report_run_counts_what_the_tables_hold(clean, corpus):
    wh, run_id = clean
    recorded = wh.rows(
        """select reports_seen, reports_new, reports_extracted, reports_failed, observations_loaded,
                                 observations_quarantined from audit.pipeline_runs where run_id = %s""",
        (run_id,),
    )[0]
    held = wh.rows("""select (select count(*) from raw.report_sightings), (select count(*) from raw.reports),
                             (select count(*) from raw.extractions), (select count(*) from raw.reports where
                             status = 'failed'),
                             (select count(*) from raw.observations),
                             (select count(distinct observation_id) from audit.quarantined_observations)""")[0]
    assert recorded == held
    # Every distinct fact the extractor states in these files is held: none overwrote another.
    from vnhealth.files import extract_file
    import hashlib

    facts = set()
    for path in (corpus / "reports").glob("*.txt"):
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        facts |= {observation_id(sha, o.contract()) for o in extract_file(path)}
    truth = sum(1 for p in (corpus / "truth").glob("*.jsonl") for line in p.read_text().splitlines() if line.strip())
    assert held[4] == len(facts) == truth == 11350
    summary = run_cli("vnhealth", "summary", "--run-id", run_id, env={"WAREHOUSE_URL": wh.url}).stdout
    assert f"seen {held[0]}, new {held[1]}, read {held[2]}, failed {held[3]}" in summary
    assert f"loaded {held[4]}, quarantined {held[5]}" in summary


def test_a_run_killed_while_loading_is_recovered_by_the_next_run(clean, corpus, warehouse, tmp_path):
    reference, _ = clean
    wh = Warehouse(tmp_path, warehouse)
    env = wh.env(corpus)
    proc, blocker = _start_and_block_a_load(wh, env)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    blocker.rollback()
    blocker.close()
    # The killed run's open transaction is rolled back: whole batches loaded, the others left `new`.
    deadline = time.monotonic() + 60
    while wh.rows(
        "select count(*) from pg_stat_activity where datname = current_database() "
        "and pid <> pg_backend_pid() and state <> 'idle'"
    )[0][0]:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    left, loaded = (
        wh.rows("""select count(*) filter (where status = 'new'), count(*) filter (where status = 'extracted')
                              from raw.reports""")[0]
    )
    assert left > 0 and loaded > 0 and loaded % BATCH == 0, (left, loaded)
    assert (
        wh.rows("select count(*) from raw.observations o join raw.reports r using (report_id) where r.status = 'new'")[
            0
        ][0]
        == 0
    )
    _dag_test(env)
    assert wh.checksums() == reference.checksums()


def test_a_run_whose_warehouse_stops_while_loading_is_recovered_by_the_next_run(clean, corpus, tmp_path):
    reference, _ = clean
    wh = Warehouse(tmp_path)
    try:
        env = wh.env(corpus)
        proc, blocker = _start_and_block_a_load(wh, env)
        wh.server.stop()
        out, _ = proc.communicate(timeout=600)
        blocker.close()
        wh.server.start()
        assert wh.rows("select count(*) from raw.reports where status = 'new'")[0][0] > 0
        _dag_test(env)
        assert wh.checksums() == reference.checksums()
    finally:
        wh.server.stop()
