"""How fast can any extractor of the observation contract be in CPython? A measured lower bound.

`extract_throughput.py` compares the extractor with a bare regex scan for numbers. This script
asks what part of that gap is the extractor's rules and what part any Python extractor pays. On
the same corpus and in the same run it times a "skeleton" extractor, cumulative stages of the
least work the contract demands, each a strict subset of what `vnhealth.extraction` does:

  1. read each file, decode and normalise it (`read_document`: NFC, modern tone placement);
  2. + fold the text for matching (lower case, one spelling: what makes `hoá`/`hóa` equal);
  3. + split it into sentences and find the numbers in each (one regex each);
  4. + find the indicator phrasings' trigger literals in sentences that hold a number (one regex);
  5. + write one contract row per number of such a sentence (no binding, no period, no area,
     no qualifier, no tables: every stage after this one is the extractor's real work).

and prints each stage's MB/s and its ratio to the scan, then the real extractor's. Run:
`python bench/extraction_floor.py` (the synthetic corpus of `extract_throughput.py`, first
--reports files) or `--corpus ../shared/corpus/reports --repeat 20`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extract_throughput import NUMBER, ensure_corpus, machine  # noqa: E402

from vnhealth.documents import read_document  # noqa: E402
from vnhealth.extraction import extract_text  # noqa: E402
from vnhealth.extraction.catalogue import _trigger_index  # noqa: E402
from vnhealth.text import fold  # noqa: E402

# Cheaper than the extractor's own splitter (no abbreviations, no headings): a lower bound.
SENTENCE = re.compile(r"[^.\n;]+(?:\.(?!\d)|\n|;|$)")

STAGES = ("read and normalise", "+ fold", "+ sentences and numbers", "+ trigger search", "+ one row per number")


def skeleton(datas: list[bytes], stages: int) -> int:
    """Run the first `stages` stages over every report; returns the rows written (stage 5)."""
    triggers, owners, _ = _trigger_index()
    rows = 0
    for data in datas:
        text = read_document(data, with_metadata=False).text
        if stages == 1:
            continue
        folded = fold(text)
        if stages == 2:
            continue
        for sentence in SENTENCE.finditer(folded):
            start, end = sentence.span()
            numbers = list(NUMBER.finditer(folded, start, end))
            if not numbers or stages == 3:
                continue
            codes: set[str] = set()
            for t in triggers.finditer(folded, start, end):
                codes |= owners[t.group(1)]
            if not codes or stages == 4:
                continue
            code = min(codes)
            for n in numbers:
                row = {
                    "source": "report",
                    "indicator": code,
                    "value": float(n.group().replace(".", "").replace(",", ".")),
                    "unit": "count",
                    "kind": "actual",
                    "qualifier": "exact",
                    "period_start": None,
                    "period_end": None,
                    "area": None,
                    "dimension": None,
                    "facility": None,
                    "evidence": text[start:end],
                    "evidence_start": start,
                    "evidence_end": end,
                }
                rows += len(row) > 0
    return rows


def scan(datas: list[bytes]) -> int:
    return sum(sum(1 for _ in NUMBER.finditer(d.decode("utf-8"))) for d in datas)


def extractor(datas: list[bytes]) -> int:
    return sum(len(extract_text(read_document(d, with_metadata=False).text, "report", normalized=True)) for d in datas)


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of `repeat` runs: the machine is shared, the minimum is the least disturbed."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--dir", type=Path, default=Path(".local/bench/corpus"), help="the synthetic corpus (made if missing)"
    )
    ap.add_argument("--mb", type=float, default=50.0, help="size of the synthetic corpus to ensure (default 50)")
    ap.add_argument("--reports", type=int, default=1500, help="measure the first N synthetic reports (default 1500)")
    ap.add_argument(
        "--corpus", type=Path, help="measure these existing reports instead (e.g. ../shared/corpus/reports)"
    )
    ap.add_argument("--repeat", type=int, default=1, help="pass over the corpus this many times (small corpora)")
    ap.add_argument("--runs", type=int, default=3, help="time each stage this many times and keep the best (default 3)")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args()

    paths = sorted(args.corpus.glob("*.txt")) if args.corpus else ensure_corpus(args.dir, args.mb, 0)[: args.reports]
    datas = [p.read_bytes() for p in paths] * args.repeat
    mb = sum(map(len, datas)) / 1e6
    scan_s = best_of(lambda: scan(datas), args.runs)
    stages = [(name, best_of(lambda n=n: skeleton(datas, n), args.runs)) for n, name in enumerate(STAGES, 1)]
    extractor_s = best_of(lambda: extractor(datas), args.runs)
    result = {
        "machine": machine(),
        "reports": len(datas),
        "mb": round(mb, 2),
        "regex_scan_mb_per_s": round(mb / scan_s, 2),
        "stages": [
            {"stage": name, "mb_per_s": round(mb / s, 2), "ratio_to_scan": round(scan_s / s, 4)} for name, s in stages
        ],
        "extractor": {"mb_per_s": round(mb / extractor_s, 2), "ratio_to_scan": round(scan_s / extractor_s, 4)},
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(
        f"machine: {result['machine']['cpu']} ({result['machine']['cores']} cores), Python "
        f"{result['machine']['python']}"
    )
    print(f"corpus: {len(datas)} reports, {mb:.2f} MB; best of {args.runs} runs per line")
    print(f"{'regex scan (the floor)':32} {mb / scan_s:7.2f} MB/s")
    for name, s in stages:
        print(f"{'skeleton ' + name:32} {mb / s:7.2f} MB/s   ratio {scan_s / s:.3f} (1/{s / scan_s:.1f})")
    print(
        f"{'the extractor':32} {mb / extractor_s:7.2f} MB/s   ratio {scan_s / extractor_s:.3f} "
        f"(1/{extractor_s / scan_s:.1f})"
    )


if __name__ == "__main__":
    main()
