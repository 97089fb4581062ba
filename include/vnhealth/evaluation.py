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

from vnhealth.files import extract_file
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


# --- an evaluation report: scores per indicator and per report, and every error in one class ------------

ERROR_CLASSES = (
    "missed",
    "extra",
    "wrong indicator",
    "wrong kind",
    "wrong value",
    "wrong dimension",
    "wrong period",
    "wrong area",
)


def _close(a, b) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= max(1e-9, 1e-4 * max(abs(a), abs(b)))


def _stem(name: str) -> str:
    return Path(str(name)).stem


def classify(
    gold: list[dict], pred: list[dict]
) -> tuple[list[tuple[dict, dict]], list[tuple[str, dict | None, dict | None]]]:
    """Pair predictions with gold as the shared scorer does (report, indicator, kind, dimension, value),
    then explain what is left: a gold figure read with the wrong indicator, kind, dimension or value,
    and matched pairs whose period or area disagree; the rest is missed or extra."""
    gold_left, pred_left = list(gold), []
    pairs: list[tuple[dict, dict]] = []
    for p in pred:
        hit = next(
            (
                g
                for g in gold_left
                if (_stem(g["source"]), g["indicator"], g.get("kind", "actual"), g.get("dimension"))
                == (_stem(p["source"]), p["indicator"], p.get("kind", "actual"), p.get("dimension"))
                and _close(g.get("value"), p.get("value"))
            ),
            None,
        )
        if hit is None:
            pred_left.append(p)
        else:
            gold_left.remove(hit)
            pairs.append((hit, p))
    errors: list[tuple[str, dict | None, dict | None]] = []
    relaxed = [
        (
            "wrong indicator",
            lambda g, p: (
                g.get("kind", "actual") == p.get("kind", "actual")
                and g.get("dimension") == p.get("dimension")
                and _close(g.get("value"), p.get("value"))
            ),
        ),
        (
            "wrong kind",
            lambda g, p: (
                g["indicator"] == p["indicator"]
                and g.get("dimension") == p.get("dimension")
                and _close(g.get("value"), p.get("value"))
            ),
        ),
        (
            "wrong dimension",
            lambda g, p: (
                g["indicator"] == p["indicator"]
                and g.get("kind", "actual") == p.get("kind", "actual")
                and _close(g.get("value"), p.get("value"))
            ),
        ),
        (
            "wrong value",
            lambda g, p: (
                g["indicator"] == p["indicator"]
                and g.get("kind", "actual") == p.get("kind", "actual")
                and g.get("dimension") == p.get("dimension")
            ),
        ),
    ]
    for name, same in relaxed:
        for g in list(gold_left):
            p = next((p for p in pred_left if _stem(p["source"]) == _stem(g["source"]) and same(g, p)), None)
            if p is not None:
                gold_left.remove(g)
                pred_left.remove(p)
                errors.append((name, g, p))
    errors += [("missed", g, None) for g in gold_left] + [("extra", None, p) for p in pred_left]
    for g, p in pairs:
        if g.get("period_end") is not None and (g.get("period_start"), g.get("period_end")) != (
            p.get("period_start"),
            p.get("period_end"),
        ):
            errors.append(("wrong period", g, p))
        if "area" in g and g.get("area") != p.get("area"):
            errors.append(("wrong area", g, p))
    return pairs, errors


def _prf(matched: int, gold: int, predicted: int) -> tuple[float, float, float]:
    p = matched / predicted if predicted else (1.0 if not gold else 0.0)
    r = matched / gold if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluation_report(
    gold_dir: Path, pred: list[dict], codes: set[str] | None = None, reports: set[str] | None = None
) -> str:
    """Markdown: totals, P/R/F1 per report and per indicator, error counts by class, and every error
    (of the given reports' gold only, when `reports` names them by stem)."""
    from collections import Counter

    gold = []
    for f in sorted(gold_dir.glob("*.jsonl")):
        if reports is not None and f.stem not in reports:
            continue
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                gold.append({"source": f.stem, **json.loads(line)})
    docs = {f.stem for f in gold_dir.glob("*.jsonl") if reports is None or f.stem in reports}
    pred = [p for p in pred if _stem(p["source"]) in docs and (codes is None or p["indicator"] in codes)]
    pairs, errors = classify(gold, pred)
    out = [
        f"gold {len(gold)}, predicted {len(pred)}, matched {len(pairs)}; P {{:.3f}} R {{:.3f}} F1 {{:.3f}}".format(
            *_prf(len(pairs), len(gold), len(pred))
        ),
        "",
    ]
    counts = Counter(e[0] for e in errors)
    out += ["| error class | count |", "|---|---|"] + [f"| {c} | {counts.get(c, 0)} |" for c in ERROR_CLASSES] + [""]
    for title, key in (("report", lambda o: _stem(o["source"])), ("indicator", lambda o: o["indicator"])):
        g, p, m = Counter(map(key, gold)), Counter(map(key, pred)), Counter(key(gp[0]) for gp in pairs)
        out += [f"| {title} | gold | predicted | matched | P | R | F1 |", "|---|---|---|---|---|---|---|"]
        for k in sorted(set(g) | set(p)):
            pr, rc, f1 = _prf(m[k], g[k], p[k])
            out.append(f"| {k} | {g[k]} | {p[k]} | {m[k]} | {pr:.2f} | {rc:.2f} | {f1:.2f} |")
        out.append("")
    out += ["| class | report | gold | predicted | evidence |", "|---|---|---|---|---|"]

    def show(o: dict | None) -> str:
        if o is None:
            return ""
        period = f" {o.get('period_start')}..{o.get('period_end')}" if o.get("period_end") else ""
        return (
            f"{o['indicator']} {o.get('kind', 'actual')} {o.get('dimension') or ''} {o.get('value')}{period} "
            f"{o.get('area') or ''}"
        ).replace("|", "/")

    for cls, g, p in sorted(errors, key=lambda e: (ERROR_CLASSES.index(e[0]), _stem((e[1] or e[2])["source"]))):
        ev = ((g or p).get("evidence") or "").replace("\n", " ").replace("|", "/")[:120]
        out.append(f"| {cls} | {_stem((g or p)['source'])} | {show(g)} | {show(p)} | {ev} |")
    return "\n".join(out) + "\n"
