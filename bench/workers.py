"""One Celery worker against two: the same backfill under CeleryExecutor (`make airflow
EXECUTOR=celery WORKERS=N`: Redis, PostgreSQL metadata, workers of one slot each), timed from the
unpause (which schedules the run) to the run's success, with the seconds each task took, when tasks ran in
parallel, and each task instance's timeline (scheduled, queued, started, ended).

For each worker count, a fresh warehouse, Airflow home and archive; the same synthetic corpus.
Run: `python bench/workers.py --reports 1000 --workers 1,2` (about 10 minutes at 1,000 reports).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from _support import free_port, progress  # noqa: E402  (bench/ is on sys.path when a script runs)

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _airflow(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "airflow"), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)


def _run_state(env: dict) -> str | None:
    runs = _airflow(env, "dags", "list-runs", "health_reports_nightly", "-o", "json").stdout
    data = json.loads(next((line for line in runs.splitlines() if line.startswith("[")), "[]"))
    return data[0]["state"] if data else None


def _tasks(metadata_url: str) -> dict:
    """Seconds per task (mapped instances summed), the busy time (the union of the task intervals), and
    each task instance's timeline, from one read of the metadata's task instances."""
    import psycopg

    url = metadata_url.replace("postgresql+psycopg://", "postgresql://").replace(
        "postgresql+psycopg2://", "postgresql://"
    )
    with psycopg.connect(url) as conn:
        instances = conn.execute(
            """select task_id, map_index, scheduled_dttm, queued_dttm, start_date, end_date from task_instance
               where dag_id = 'health_reports_nightly' and start_date is not null and end_date is not null
               order by start_date"""
        ).fetchall()
    per_task: dict[str, dict] = {}
    busy, current = 0.0, None
    for task_id, _, _, _, start, end in instances:
        t = per_task.setdefault(task_id, {"instances": 0, "seconds": 0.0})
        t["instances"] += 1
        t["seconds"] = round(t["seconds"] + (end - start).total_seconds(), 2)
        if current is None or start > current[1]:
            if current:
                busy += (current[1] - current[0]).total_seconds()
            current = [start, end]
        else:
            current[1] = max(current[1], end)
    if current:
        busy += (current[1] - current[0]).total_seconds()
    task_seconds = sum(t["seconds"] for t in per_task.values())
    first = instances[0][2] if instances else None
    return {
        # the time a task waited in the queue for a worker (or for a worker to start its process)
        "queued_to_started_s": round(sum((i[4] - i[3]).total_seconds() for i in instances if i[3]), 2),
        "first_start_to_last_end_s": round((max(i[5] for i in instances) - instances[0][4]).total_seconds(), 2)
        if instances
        else 0.0,
        "tasks": dict(sorted(per_task.items(), key=lambda kv: -kv[1]["seconds"])),
        # each task instance: scheduled, queued, started, ended (seconds after the first to start was scheduled)
        "timeline": [
            [task_id, index, *(round((t - first).total_seconds(), 2) if t and first else None for t in times)]
            for task_id, index, *times in instances
        ],
        "task_seconds": round(task_seconds, 2),
        "busy_seconds": round(busy, 2),
        "parallelism": round(task_seconds / busy, 2) if busy else None,
    }


def measure(workers: int, reports: int, seed: int, workdir: Path) -> dict:
    from vnhealth.synth import write_corpus

    base = workdir / f"w{workers}"
    shutil.rmtree(base, ignore_errors=True)
    local, inbox = base / "local", base / "inbox"
    for d in (base, local, inbox):
        d.mkdir(parents=True, exist_ok=True)
        d.chmod(0o755)
    write_corpus(
        inbox, reports, seed=seed, gold_directory=base / "gold", progress=lambda s: progress(s, "writing reports")
    )
    (base / "sources.yml").write_text(
        f"sources:\n  - name: inbox\n    type: directory\n    path: {inbox}\n    patterns: ['*.txt']\n"
    )
    env = {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
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
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        "AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL": "5",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        "EXECUTOR": "celery",
        "WORKERS": str(workers),
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
            if stack.poll() is not None:
                raise SystemExit((base / "airflow.log").read_text()[-3000:])
            time.sleep(2)
        metadata = subprocess.run(
            [str(BIN / "vnhealth"), "warehouse", "database", "airflow"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout.strip()
        celery_env = {
            **env,
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata,
        }
        while "health_reports_nightly" not in _airflow(celery_env, "dags", "list", "-o", "json").stdout:
            if time.monotonic() > deadline:
                raise SystemExit("the DAG processor never listed the DAG")
            time.sleep(3)
        # Unpausing a daily DAG without catchup schedules its latest interval at once: that run is the
        # backfill measured (a triggered run as well would queue behind it, max_active_runs=1).
        started = time.monotonic()
        _airflow(celery_env, "dags", "unpause", "health_reports_nightly")
        state = None
        while time.monotonic() - started < 3600 and state not in ("success", "failed"):
            time.sleep(3)
            state = _run_state(celery_env)
        elapsed = time.monotonic() - started
        result = {
            "workers": workers,
            "reports": reports,
            "state": state,
            "unpause_to_end_s": round(elapsed, 1),
            **_tasks(metadata),
        }
    finally:
        subprocess.run(["bash", str(ROOT / "scripts" / "stop.sh")], env=env, cwd=ROOT, capture_output=True, timeout=180)
        try:
            stack.wait(timeout=60)
        except subprocess.TimeoutExpired:
            stack.kill()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", type=Path, default=ROOT / ".local" / "bench" / "workers.json")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="vnhealth-bench-workers-"))
    workdir.chmod(0o755)
    results = {
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count()},
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "runs": [],
    }
    for n in (int(w) for w in args.workers.split(",")):
        r = measure(n, args.reports, args.seed, workdir)
        results["runs"].append(r)
        top = ", ".join(f"{t} {v['seconds']}s/{v['instances']}" for t, v in list(r["tasks"].items())[:5])
        print(
            f"{n} worker(s), {args.reports} reports: {r['state']} in {r['unpause_to_end_s']} s from the unpause; "
            f"tasks ran {r['task_seconds']} s in {r['busy_seconds']} s busy (parallelism {r['parallelism']}) of "
            f"{r['first_start_to_last_end_s']} s from the first start to the last end; queued to started "
            f"{r['queued_to_started_s']} s in all; {top}",
            flush=True,
        )
    runs = results["runs"]
    if len(runs) > 1:
        results["speedup"] = round(runs[0]["unpause_to_end_s"] / runs[-1]["unpause_to_end_s"], 2)
        # the same from the metadata, without the polling of `airflow dags list-runs` (a few seconds either way)
        results["speedup_first_start_to_last_end"] = round(
            runs[0]["first_start_to_last_end_s"] / runs[-1]["first_start_to_last_end_s"], 2
        )
        print(
            f"{runs[-1]['workers']} workers against {runs[0]['workers']}: {results['speedup']}x faster "
            f"({results['speedup_first_start_to_last_end']}x from the first task's start to the last one's end)"
        )
    shutil.rmtree(workdir, ignore_errors=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
