"""Loading against its floor: `loading.load_batch` over a backfill's batch files, against a plain
`COPY` of the same rows into a table like `raw.observations` (same keys and indexes), measured in
one run on this machine, outside Airflow (its task overhead is in bench/pipeline.py).

Synthetic reports from `vnhealth.synth` are landed and read into batch files as the DAG does
(`pipeline.land_batch`, `pipeline.extract_batch`, batches of `--batch` reports); then each batch
file is loaded in its own transaction and timed; then the same rows are copied, from memory, in
the COPY text format, in one COPY, into an empty copy of the table (same keys and indexes), without
and with its foreign key to `raw.extractions` (which loading's COPY checks row by row), and batch by
batch (one COPY of each batch's file, in a transaction each, with the foreign key).
Run: `python bench/loading.py --reports 2000`.
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
from pathlib import Path

from _support import copy_seconds, free_port, observations_as_copy, progress  # noqa: E402  (bench/ is on sys.path when a script runs)

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", type=Path, default=ROOT / ".local" / "bench" / "loading.json")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="vnhealth-bench-load-"))
    base.chmod(0o755)
    local, inbox = base / "local", base / "inbox"
    for d in (local, inbox):
        d.mkdir()
    sources = base / "sources.yml"
    sources.write_text(f"sources:\n  - name: bench\n    type: directory\n    path: {inbox}\n    patterns: ['*.txt']\n")
    os.environ.update(
        {"VNHEALTH_LOCAL_DIR": str(local), "VNHEALTH_PG_PORT": str(free_port()), "VNHEALTH_SOURCES": str(sources)}
    )
    os.environ.pop("WAREHOUSE_URL", None)
    vn = str(BIN / "vnhealth")
    subprocess.run([vn, "warehouse", "start"], check=True, capture_output=True)
    try:
        url = subprocess.run([vn, "warehouse", "url"], capture_output=True, text=True, check=True).stdout.strip()
        os.environ["WAREHOUSE_URL"] = url
        result = measure(url, inbox, args)
    finally:
        subprocess.run([vn, "warehouse", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
    result["machine"] = {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count()}
    print(
        f"{result['reports']} reports, {result['rows']} rows in {result['batches']} batches: load_batch "
        f"{result['load_s']} s; COPY of the same rows {result['copy_s']} s: {result['load_over_copy']}x, with the "
        f"foreign key {result['copy_with_foreign_key_s']} s: {result['load_over_copy_with_foreign_key']}x; the same "
        f"COPYs batch by batch {result['copy_batches_with_foreign_key_s']} s: "
        f"{result['load_over_batched_copy_with_foreign_key']}x"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=1))


def measure(url: str, inbox: Path, args) -> dict:
    import psycopg

    from vnhealth import pipeline
    from vnhealth.loading import OBSERVATION_COLUMNS, observations_file
    from vnhealth.synth import write_corpus

    write_corpus(
        inbox,
        args.reports,
        seed=args.seed,
        gold_directory=inbox.parent / "gold",
        progress=lambda s: progress(s, "writing reports"),
    )
    run_id = "bench-load"
    for batch in pipeline.discover_batches(args.batch, run_id):
        pipeline.land_batch(batch, run_id)
    files = [pipeline.extract_batch(ids, run_id) for ids in pipeline.extraction_batches(args.batch)]
    load_s = 0.0
    for path in files:
        started = time.perf_counter()
        pipeline.load_batch_file(path, run_id)
        load_s += time.perf_counter() - started
    with psycopg.connect(url) as conn:
        rows = conn.execute("select count(*) from raw.observations").fetchone()[0]
        rows_copy = observations_as_copy(conn)
        copy_s = {
            "copy_s": copy_seconds(conn, [rows_copy], foreign_key=False),
            "copy_with_foreign_key_s": copy_seconds(conn, [rows_copy], foreign_key=True),
            # the same COPYs as loading makes, one per batch file and one transaction each: what is left
            # above this is loading's own work (the readings, the statuses, the checks)
            "copy_batches_with_foreign_key_s": copy_seconds(
                conn,
                [observations_file(Path(path)).read_bytes() for path in files],
                foreign_key=True,
                columns=OBSERVATION_COLUMNS,
            ),
        }
    return {
        "reports": args.reports,
        "batches": len(files),
        "rows": rows,
        "load_s": round(load_s, 2),
        **copy_s,
        "load_over_copy": round(load_s / copy_s["copy_s"], 2),
        "load_over_copy_with_foreign_key": round(load_s / copy_s["copy_with_foreign_key_s"], 2),
        "load_over_batched_copy_with_foreign_key": round(load_s / copy_s["copy_batches_with_foreign_key_s"], 2),
    }


if __name__ == "__main__":
    main()
