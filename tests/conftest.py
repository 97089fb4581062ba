"""Session fixtures: a throwaway embedded PostgreSQL, started once, stopped even when tests fail."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
# A font with Vietnamese letters, for tests that draw text into PDFs and images (Debian's fonts-dejavu-core)
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def processes_of(airflow_home: Path, command: bytes | None = None) -> list[int]:
    """Processes whose environment names this AIRFLOW_HOME (and whose command line holds `command`)."""
    found = []
    for env_file in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"AIRFLOW_HOME={airflow_home}".encode() not in env_file.read_bytes().split(b"\0"):
                continue
            if command is not None and command not in (env_file.parent / "cmdline").read_bytes():
                continue
        except OSError:
            continue
        found.append(int(env_file.parent.name))
    return found


# A test that needs a PostgreSQL server, dbt, Great Expectations or Airflow is an integration test:
# `make test` runs everything, `make test-fast` (-m "not integration") the unit tests alone.
INTEGRATION_FIXTURES = {"warehouse", "scratch_db", "db", "dbt_manifest"}
INTEGRATION_MODULES = {
    "test_celery",
    "test_operations",
    "test_recovery",
    "test_pipeline_e2e",
    "test_integrity",
    "test_dag",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if INTEGRATION_FIXTURES & set(getattr(item, "fixturenames", ())) or item.module.__name__ in INTEGRATION_MODULES:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def test_env(tmp_path_factory) -> dict[str, str]:
    base = Path(os.environ.get("VNHEALTH_TEST_DIR") or tmp_path_factory.mktemp("vnhealth"))
    base.chmod(0o755)
    local = base / "local"
    local.mkdir(exist_ok=True)
    local.chmod(0o755)
    env = {
        "VNHEALTH_HOME": str(ROOT),
        "VNHEALTH_LOCAL_DIR": str(local),
        "VNHEALTH_PG_PORT": str(free_port()),
        "VNHEALTH_SOURCES": str(ROOT / "sources.yml"),
        "AIRFLOW_HOME": str(local / "airflow"),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{local}/airflow/airflow.db",
        "AIRFLOW__COSMOS__CACHE_DIR": str(local / "cosmos"),
        "AIRFLOW__OPENLINEAGE__NAMESPACE": "vnhealth",
        "AIRFLOW__OPENLINEAGE__TRANSPORT": json.dumps(
            {"type": "file", "append": True, "log_file_path": str(local / "lineage" / "events.jsonl")}
        ),
    }
    (local / "lineage").mkdir(exist_ok=True)
    os.environ.update(env)
    os.environ.pop("WAREHOUSE_URL", None)
    os.environ.pop("AIRFLOW_CONN_WAREHOUSE", None)
    return env


@pytest.fixture(scope="session")
def warehouse(test_env):
    from vnhealth.warehouse import EmbeddedWarehouse

    wh = EmbeddedWarehouse()
    wh.start()
    os.environ["AIRFLOW_CONN_WAREHOUSE"] = wh.url()
    try:
        yield wh
    finally:
        wh.stop()


@pytest.fixture(scope="session")
def dbt_manifest(warehouse) -> Path:
    """The manifest cosmos parses the DAG from; built at setup, as `make run` does (target/ is not committed)."""
    run_cli("vnhealth", "dbt", "parse", "--quiet")
    manifest = ROOT / "dbt_project" / "target" / "manifest.json"
    assert manifest.exists()
    return manifest


@pytest.fixture()
def scratch_db(warehouse, monkeypatch):
    """A database of its own on the test server, migrated, that the pipeline's code uses via WAREHOUSE_URL;
    the end-to-end tests' warehouse is left untouched."""
    import time

    import psycopg

    from vnhealth.warehouse import migrate

    name = f"scratch_{os.getpid()}_{time.monotonic_ns() % 10**12}"
    admin = warehouse.url("postgres", database="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'create database "{name}" owner vnhealth')
    url = warehouse.url("vnhealth", database=name)
    migrate(url)
    monkeypatch.setenv("WAREHOUSE_URL", url)
    monkeypatch.setenv("VNHEALTH_GX_WAREHOUSE_URL", url)
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')


@pytest.fixture()
def db(warehouse):
    import psycopg

    with psycopg.connect(warehouse.url(), autocommit=True) as conn:
        yield conn


def run_cli(*args: str, env: dict | None = None, check: bool = True, timeout: int = 600) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name(args[0])
    proc = subprocess.run(
        [str(exe), *args[1:]],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        cwd=ROOT,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc
