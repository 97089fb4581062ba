"""Measuring extraction on the shared real corpus, per part, with the shared scorer.

The corpus grows by parts (the five seed reports `000`-`004`, then `a*` statistics pages, `b*`
newspaper and portal articles, `c*` bulletins, inspections and plans); each part is scored on its
own, so a rule that helps one kind of text and hurts another shows up.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from vnhealth.extraction import extract_file
from vnhealth.extraction.areas import resolve_name


def part_of(name: str) -> str:
    """`seed` for the reports given with the project (`000_...`), else the name's letter (`a`, `b`, `c`)."""
    return "seed" if name[:1].isdigit() else name[:1]


def extract_corpus(corpus: Path, out: Path) -> None:
    """Every report of the corpus, with the province `areas.tsv` gives for texts that never name it."""
    areas = {}
    if (corpus / "areas.tsv").exists():
        for line in (corpus / "areas.tsv").read_text(encoding="utf-8").splitlines():
            if "\t" in line:
                name, area = line.split("\t", 1)
                areas[name.strip()] = resolve_name(area.strip())
    with open(out, "w", encoding="utf-8") as fh:
        for path in sorted((corpus / "reports").glob("*.txt")):
            for obs in extract_file(path, default_area=areas.get(path.name)):
                fh.write(json.dumps(obs.contract(), ensure_ascii=False) + "\n")


def score(scorer: Path, gold_dir: Path, pred: Path, show: bool = False) -> dict | str:
    args = [sys.executable, str(scorer), "--gold", str(gold_dir), "--pred", str(pred)]
    proc = subprocess.run(args + (["--show"] if show else ["--json"]), capture_output=True, text=True, check=True)
    return proc.stdout if show else json.loads(proc.stdout)


def score_corpus(corpus: Path, scorer: Path) -> dict[str, dict]:
    """Scores of the whole corpus (`all`) and of each part."""
    gold_files = sorted((corpus / "gold").glob("*.jsonl"))
    if not gold_files:
        raise FileNotFoundError(f"no gold files under {corpus / 'gold'}")
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        extract_corpus(corpus, pred)
        results = {"all": score(scorer, corpus / "gold", pred)}
        for part in sorted({part_of(f.name) for f in gold_files}):
            part_dir = Path(tmp) / part
            part_dir.mkdir()
            for f in gold_files:
                if part_of(f.name) == part:
                    (part_dir / f.name).write_bytes(f.read_bytes())
            results[part] = score(scorer, part_dir, pred)
    return results
