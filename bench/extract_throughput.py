"""Extraction throughput against the floor any extractor pays: a plain regex scan for numbers.

Generates (once, then reuses) a synthetic corpus of at least --mb megabytes with `vnhealth.synth`,
then, in the same run and on one core, measures
  * extraction: read each file, decode and normalise it (`vnhealth.documents.read_document`) and
    extract its observations (`vnhealth.extraction.extract_text`), one report at a time, as the
    DAG's extract task does;
  * the floor: read each file, decode it and count `\\d+(?:[.,]\\d+)*` matches;
and prints MB/s for both and their ratio, with peak memory after 10% and after 100% of the
reports (a streaming pass must not grow with the corpus). Run: `make bench` or
`python bench/extract_throughput.py --mb 50`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from vnhealth.documents import read_document
from vnhealth.extraction import extract_text
from vnhealth.synth import generate_report

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def ensure_corpus(directory: Path, megabytes: float, seed: int) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = sorted(directory.glob("*.txt"))
    size = sum(p.stat().st_size for p in paths)
    i = len(paths)
    while size < megabytes * 1e6:
        report = generate_report(seed + i, statements=40)
        path = directory / f"{report.name}.txt"
        path.write_bytes(report.text.encode("utf-8"))
        size += path.stat().st_size
        paths.append(path)
        i += 1
    return paths


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_extraction(paths: list[Path]) -> dict:
    observations = 0
    nbytes = 0
    rss_at_10pct = None
    started = time.perf_counter()
    for i, path in enumerate(paths):
        data = path.read_bytes()
        nbytes += len(data)
        document = read_document(data, with_metadata=False)  # as the DAG's extract task reads it
        observations += len(extract_text(document.text, path.name, normalized=True))
        if rss_at_10pct is None and i >= len(paths) // 10:
            rss_at_10pct = peak_rss_mb()
    elapsed = time.perf_counter() - started
    return {
        "seconds": elapsed,
        "mb": nbytes / 1e6,
        "mb_per_s": nbytes / 1e6 / elapsed,
        "observations": observations,
        "peak_rss_mb_after_10pct": rss_at_10pct,
        "peak_rss_mb_after_100pct": peak_rss_mb(),
    }


def run_scan(paths: list[Path]) -> dict:
    numbers = 0
    nbytes = 0
    started = time.perf_counter()
    for path in paths:
        data = path.read_bytes()
        nbytes += len(data)
        numbers += sum(1 for _ in NUMBER.finditer(data.decode("utf-8")))
    elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "mb": nbytes / 1e6, "mb_per_s": nbytes / 1e6 / elapsed, "numbers": numbers}


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=50.0, help="corpus size in megabytes (default 50)")
    ap.add_argument("--dir", type=Path, default=Path(".local/bench/corpus"), help="where the corpus is kept")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--corpus", type=Path, help="measure these existing reports instead (e.g. ../shared/corpus/reports)"
    )
    ap.add_argument("--repeat", type=int, default=1, help="pass over the corpus this many times (small corpora)")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args()

    t = time.perf_counter()
    paths = sorted(args.corpus.glob("*.txt")) if args.corpus else ensure_corpus(args.dir, args.mb, args.seed)
    paths = paths * args.repeat
    generated = time.perf_counter() - t
    scan = run_scan(paths)  # also warms the page cache for the extraction pass
    extraction = run_extraction(paths)
    scan = run_scan(paths)  # measured again after extraction, so both read warm files
    result = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "reports": len(paths),
        "corpus_mb": round(extraction["mb"], 2),
        "corpus_seconds_to_generate": round(generated, 1),
        "extraction": {k: round(v, 3) if isinstance(v, float) else v for k, v in extraction.items()},
        "regex_scan": {k: round(v, 3) if isinstance(v, float) else v for k, v in scan.items()},
        "ratio_extraction_to_scan": round(extraction["mb_per_s"] / scan["mb_per_s"], 4),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(
        f"machine: {result['machine']['cpu']} ({result['machine']['cores']} cores), Python "
        f"{result['machine']['python']}"
    )
    print(
        f"corpus: {result['reports']} {'reports from ' + str(args.corpus) if args.corpus else 'synthetic reports'}, "
        f"{result['corpus_mb']} MB"
    )
    print(
        f"extraction: {extraction['mb_per_s']:.2f} MB/s ({extraction['observations']} observations, "
        f"{extraction['seconds']:.1f} s); peak RSS {extraction['peak_rss_mb_after_10pct']:.0f} MB after 10% "
        f"of the reports, {extraction['peak_rss_mb_after_100pct']:.0f} MB after all"
    )
    print(f"regex scan: {scan['mb_per_s']:.2f} MB/s ({scan['numbers']} numbers, {scan['seconds']:.1f} s)")
    ratio = result["ratio_extraction_to_scan"]
    print(
        f"ratio extraction/scan: {ratio:.4f} (1/{1 / ratio:.0f}); target >= 0.1: {'met' if ratio >= 0.1 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
