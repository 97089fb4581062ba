"""The pipeline's nights against their floors, measured in one run on this machine.

For each corpus size (synthetic reports from `vnhealth.synth`, default 200 and 1,000; add 10,000
with `--sizes 200,1000,10000`), in a warehouse and Airflow home of its own:
  * floor: a trivial three-task DAG under `airflow dags test` plus a plain `vnhealth dbt build`,
    both in this venv (what any night pays for Airflow and dbt at all);
  * backfill: the first night, `airflow dags test health_reports_nightly` reading every report;
  * quiet night: the same DAG again with nothing new (goal: at most 1.5 x the floor);
  * extract alone: `vnhealth extract` over the same reports, just before the backfill and again at
    the end (their mean; the backfill's marginal cost per report is compared with it);
and prints and writes (JSON, `--output`) seconds, ratios, the per-task breakdown read from
Airflow's metadata database, peak memory of the child processes, and the bytes the run left
under the local directory (archive, work files, Data Docs), per quiet night with `--nights 30`.
Run: `make bench-pipeline` or `python bench/pipeline.py --sizes 200 [--nights 30]`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from _support import copy_seconds, free_port, observations_as_copy, progress  # noqa: E402  (bench/ is on sys.path when a script runs)

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

TRIVIAL_DAG = """
import pendulum
from airflow.sdk import dag, task

@dag(dag_id="trivial", schedule=None, start_date=pendulum.datetime(2024, 1, 1), catchup=False)
def trivial():
    @task
    def a() -> int:
        return 1
    @task
    def b(x: int) -> int:
        return x + 1
    @task
    def c(x: int) -> int:
        return x + 1
    c(b(a()))

trivial()
"""


def _run(args: list[str], env: dict, log: Path) -> float:
    started = time.perf_counter()
    with log.open("ab") as fh:
        proc = subprocess.run(args, env=env, stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}); see {log}")
    return elapsed


def _task_breakdown(airflow_home: Path, dag_id: str) -> dict[str, dict]:
    """Seconds per task (mapped instances summed) of the DAG's latest run, from the metadata database."""
    with sqlite3.connect(airflow_home / "airflow.db") as db:
        run = db.execute(
            "select run_id from dag_run where dag_id = ? order by start_date desc limit 1", (dag_id,)
        ).fetchone()
        rows = db.execute(
            """select task_id, count(*), sum((julianday(end_date) - julianday(start_date)) * 86400.0)
               from task_instance where dag_id = ? and run_id = ? and end_date is not null group by task_id""",
            (dag_id, run[0]),
        ).fetchall()
    return {
        task: {"instances": n, "seconds": round(s or 0.0, 2)} for task, n, s in sorted(rows, key=lambda r: -(r[2] or 0))
    }


def _copy_seconds(url: str) -> dict[str, float]:
    """The floor of loading: a plain COPY of the rows the backfill loaded, from memory, into an empty
    table like raw.observations (with its keys and indexes), without and with its foreign key to
    raw.extractions (which loading's COPY checks row by row)."""
    import psycopg

    with psycopg.connect(url) as conn:
        rows = observations_as_copy(conn)
        return {
            "copy_same_rows_s": copy_seconds(conn, [rows], foreign_key=False, analyze=True),
            "copy_same_rows_with_foreign_key_s": copy_seconds(conn, [rows], foreign_key=True, analyze=True),
        }


def _disk(path: Path) -> dict[str, int]:
    out = {}
    for name in ("archive", "work", "data_docs", "runs"):
        p = path / name
        out[name] = sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) if p.exists() else 0
    return out


def _peak_children_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def measure(size: int, workdir: Path, seed: int, nights: int = 2) -> dict:
    base = workdir / f"n{size}"
    shutil.rmtree(base, ignore_errors=True)
    local, inbox = base / "local", base / "inbox"
    for d in (local, inbox, base / "floor_dags"):
        d.mkdir(parents=True)
    (base / "floor_dags" / "trivial.py").write_text(TRIVIAL_DAG)
    sources = base / "sources.yml"
    sources.write_text(f"sources:\n  - name: bench\n    type: directory\n    path: {inbox}\n    patterns: ['*.txt']\n")
    env = {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "VNHEALTH_HOME": str(ROOT),
        "VNHEALTH_LOCAL_DIR": str(local),
        "VNHEALTH_PG_PORT": str(free_port()),
        "VNHEALTH_SOURCES": str(sources),
        "VNHEALTH_TASK_RETRIES": "0",
        "AIRFLOW_HOME": str(local / "airflow"),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{local}/airflow/airflow.db",
        "AIRFLOW__COSMOS__CACHE_DIR": str(local / "cosmos"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        # lineage as a night writes it, to this warehouse's own file
        "AIRFLOW__OPENLINEAGE__TRANSPORT": json.dumps(
            {"type": "file", "append": True, "log_file_path": str(local / "lineage" / "events.jsonl")}
        ),
    }
    (local / "lineage").mkdir()
    env.pop("WAREHOUSE_URL", None)
    log = base / "bench.log"
    from vnhealth.synth import write_corpus

    paths = write_corpus(
        inbox, size, seed=seed, gold_directory=base / "gold", progress=lambda s: progress(s, "writing reports")
    )
    input_bytes = sum(p.stat().st_size for p in paths)
    vn, af = str(BIN / "vnhealth"), str(BIN / "airflow")
    try:
        _run([vn, "warehouse", "start"], env, log)
        url = subprocess.run(
            [vn, "warehouse", "url"], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        env["AIRFLOW_CONN_WAREHOUSE"] = url
        _run([vn, "dbt", "parse", "--quiet"], env, log)
        (local / "airflow").mkdir(parents=True, exist_ok=True)
        _run([af, "db", "migrate"], env, log)
        result: dict = {"reports": size, "input_bytes": input_bytes}
        # extraction alone just before the backfill and again at the end, their mean the reference: this
        # shared machine's speed drifts by several per cent in minutes, and one run after the backfill
        # once made the extraction tasks look 13% slower than extraction alone when, run side by side,
        # they cost the same (63.5 s against 62.4 s for 10,000 reports)
        extract = [vn, "extract", *map(str, sorted(inbox.glob("*.txt"))), "--output", str(base / "extract.jsonl")]
        alone = [_run(extract, env, log)]
        result["backfill_s"] = round(_run([af, "dags", "test", "health_reports_nightly"], env, log), 2)
        result["backfill_tasks"] = _task_breakdown(local / "airflow", "health_reports_nightly")
        result["disk_after_backfill"] = _disk(local)
        result.update(_copy_seconds(url))
        quiet = []
        for _ in progress(range(max(1, nights - 1)), "quiet nights"):
            time.sleep(1)  # a new logical date for the next run
            quiet.append(round(_run([af, "dags", "test", "health_reports_nightly"], env, log), 2))
        result["quiet_night_s"] = quiet[0]
        result["quiet_nights_s"] = quiet
        result["quiet_night_tasks"] = _task_breakdown(local / "airflow", "health_reports_nightly")
        result["disk_after_quiet_night"] = _disk(local)
        grown = sum(result["disk_after_quiet_night"].values()) - sum(result["disk_after_backfill"].values())
        result["bytes_per_quiet_night"] = round(grown / len(quiet))
        floor_env = {**env, "AIRFLOW__CORE__DAGS_FOLDER": str(base / "floor_dags")}
        result["floor_trivial_dag_s"] = round(_run([af, "dags", "test", "trivial"], floor_env, log), 2)
        result["floor_dbt_build_s"] = round(_run([vn, "dbt", "build", "--quiet"], env, log), 2)
        alone.append(_run(extract, env, log))
        result["extract_alone_runs_s"] = [round(a, 2) for a in alone]
        result["extract_alone_s"] = round(sum(alone) / len(alone), 2)
    finally:
        subprocess.run([vn, "warehouse", "stop"], env=env, capture_output=True)
    floor = result["floor_trivial_dag_s"] + result["floor_dbt_build_s"]
    result["floor_s"] = round(floor, 2)
    result["quiet_night_over_floor"] = round(result["quiet_night_s"] / floor, 2)
    result["backfill_per_report_ms"] = round(1000 * (result["backfill_s"] - result["quiet_night_s"]) / size, 2)
    result["extract_per_report_ms"] = round(1000 * result["extract_alone_s"] / size, 2)
    result["backfill_marginal_over_extract"] = round(
        result["backfill_per_report_ms"] / result["extract_per_report_ms"], 2
    )
    result["peak_child_rss_mb"] = _peak_children_mb()
    load_s = result["backfill_tasks"].get("load_observations", {}).get("seconds", 0.0)
    result["load_over_copy"] = round(load_s / result["copy_same_rows_s"], 2) if result["copy_same_rows_s"] else None
    with_key = result["copy_same_rows_with_foreign_key_s"]
    result["load_over_copy_with_foreign_key"] = round(load_s / with_key, 2) if with_key else None
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,1000", help="Corpus sizes, comma-separated (e.g. 200,1000,10000).")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--nights", type=int, default=2, help="Nights to run: the backfill, then quiet ones (e.g. 30).")
    parser.add_argument(
        "--workdir", type=Path, default=None, help="Where corpora and warehouses go (default: a temp dir)."
    )
    parser.add_argument("--output", type=Path, default=ROOT / ".local" / "bench" / "pipeline.json")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="vnhealth-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    workdir.chmod(0o755)  # the embedded PostgreSQL runs as its own user and must reach its data directory
    results = {
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count()},
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "sizes": [],
    }
    for size in (int(s) for s in args.sizes.split(",")):
        r = measure(size, workdir, args.seed, args.nights)
        results["sizes"].append(r)
        top = ", ".join(f"{t} {v['seconds']}s" for t, v in list(r["quiet_night_tasks"].items())[:5])
        print(
            f"{size:>6} reports: backfill {r['backfill_s']}s ({r['backfill_per_report_ms']} ms/report = "
            f"{r['backfill_marginal_over_extract']}x extract alone), quiet night {r['quiet_night_s']}s = "
            f"{r['quiet_night_over_floor']}x the floor ({r['floor_s']}s: trivial DAG {r['floor_trivial_dag_s']}s + "
            f"dbt build {r['floor_dbt_build_s']}s); slowest quiet-night tasks: {top}; "
            f"peak child RSS {r['peak_child_rss_mb']} MB; {r['bytes_per_quiet_night']} bytes per quiet night; "
            f"loading {r['load_over_copy']}x a plain COPY of the same rows "
            f"({r['load_over_copy_with_foreign_key']}x with the foreign key)",
            flush=True,
        )
    sized = results["sizes"]
    if len(sized) > 1:
        # the marginal cost of a report: the slope of the backfill between the smallest and largest corpus,
        # against the slope of `vnhealth extract` alone over the same reports (fixed costs cancel out)
        a, b = sized[0], sized[-1]
        dn = b["reports"] - a["reports"]
        backfill_ms = 1000 * (b["backfill_s"] - a["backfill_s"]) / dn
        extract_ms = 1000 * (b["extract_alone_s"] - a["extract_alone_s"]) / dn
        results["marginal"] = {
            "between": [a["reports"], b["reports"]],
            "backfill_ms_per_report": round(backfill_ms, 2),
            "extract_ms_per_report": round(extract_ms, 2),
            "backfill_over_extract": round(backfill_ms / extract_ms, 2),
        }
        print(
            f"marginal cost of a report ({a['reports']} -> {b['reports']}): backfill {backfill_ms:.1f} ms, "
            f"extract alone {extract_ms:.1f} ms: {backfill_ms / extract_ms:.2f}x"
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=1))
    print(f"results: {args.output}")


if __name__ == "__main__":
    main()
