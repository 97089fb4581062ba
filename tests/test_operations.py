"""Operating the project: `make stop` stops everything `make airflow` started, however it was started;
the embedded warehouse is started with a cache sized to the machine."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from conftest import ROOT, free_port, processes_of


def test_make_stop_stops_airflow_started_in_the_background(test_env):
    """`make airflow &` (the script, with SIGINT ignored as a background job of a script would have
    it), until the scheduler and API server run; then `make stop`: no process of it is left."""
    # under the session's test directory, which the warehouse's own user can reach (pytest's tmp is 0700)
    tmp_path = Path(test_env["VNHEALTH_LOCAL_DIR"]).parent / "stop-test"
    local = tmp_path / "local"
    local.mkdir(parents=True)
    tmp_path.chmod(0o755)
    local.chmod(0o755)
    env = {
        **os.environ,
        "VNHEALTH_LOCAL_DIR": str(local),
        "VNHEALTH_PG_PORT": str(free_port()),
        "AIRFLOW_HOME": str(local / "airflow"),
        "AIRFLOW__API__PORT": str(free_port()),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{local}/airflow/airflow.db",
        "AIRFLOW__COSMOS__CACHE_DIR": str(local / "cosmos"),
        "AIRFLOW__CORE__PARALLELISM": "2",
    }
    for key in ("WAREHOUSE_URL", "AIRFLOW_CONN_WAREHOUSE", "XDG_RUNTIME_DIR"):
        env.pop(key, None)
    (local / "airflow").mkdir()
    log = (tmp_path / "airflow.log").open("wb")
    started = subprocess.Popen(
        ["bash", "-c", f"{ROOT}/scripts/airflow.sh & wait"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and len(processes_of(local / "airflow", b"airflow")) < 3:
            time.sleep(2)
        running = processes_of(local / "airflow", b"airflow")
        assert len(running) >= 3, (tmp_path / "airflow.log").read_text(errors="replace")[-3000:]
        out = subprocess.run(
            ["bash", f"{ROOT}/scripts/stop.sh"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert "airflow stopped" in out.stdout, out.stdout + out.stderr
        time.sleep(1)
        assert processes_of(local / "airflow", b"airflow") == [], "processes left running after make stop"
    finally:
        for pid in processes_of(local / "airflow", b"airflow"):
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        subprocess.run(["bash", f"{ROOT}/scripts/stop.sh"], env=env, cwd=ROOT, capture_output=True, timeout=120)
        started.wait(timeout=30)


def test_the_embedded_warehouse_caches_a_quarter_of_memory_within_bounds(warehouse, monkeypatch):
    import psycopg

    from vnhealth.warehouse import _memory_bytes, shared_buffers_mb

    with psycopg.connect(warehouse.url("postgres", database="postgres")) as conn:
        pages = conn.execute("select setting::bigint from pg_settings where name = 'shared_buffers'").fetchone()[0]
    assert pages * 8192 // 2**20 == shared_buffers_mb()
    assert shared_buffers_mb() == max(128, min(1024, _memory_bytes() // 4 // 2**20))
    monkeypatch.setenv("VNHEALTH_PG_SHARED_BUFFERS_MB", "256")
    assert shared_buffers_mb() == 256
