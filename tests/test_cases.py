"""Test cases kept as data, one file per concern in tests/cases/ (numbers, periods, areas, binding,
layouts), and the example of each concept in the lexicon (include/vnhealth/data/lexicon.yml), each read
by one parametrised runner. A case is a text of my own and what it must give; a group of cases says
what it reads and which fields it compares."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vnhealth.documents import read_document
from vnhealth.extraction import extract_text
from vnhealth.extraction.areas import resolve_name
from vnhealth.extraction.lexicon import lexicon
from vnhealth.extraction.numbers import scan_numbers
from vnhealth.extraction.periods import find_periods
from vnhealth.text import fold, normalize


def _groups(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["groups"]


CASES = [
    (f"{f.stem}: {g['name']}", g, c)
    for f in sorted(Path(__file__).with_name("cases").glob("*.json"))
    for g in _groups(f)
    for c in g["cases"]
]


def _numbers(text: str) -> list[list]:
    folded = fold(normalize(text))
    return [[t.value, t.unit, t.qualifier] for t in scan_numbers(folded, 0, len(folded))]


def _periods(text: str, skip_year_only: bool) -> list[list[str]]:
    return [
        [p.start.isoformat(), p.end.isoformat()]
        for _, _, p in find_periods(fold(text))
        if not (skip_year_only and p.year_only)
    ]


def _observations(group: dict, text: str) -> list[list]:
    if group.get("reads") == "document":
        obs = extract_text(read_document(text.encode("utf-8")).text, "case.txt", normalized=True)
    else:
        obs = extract_text(group.get("template", "{text}").replace("{text}", text), "case.txt")
    only = group.get("only") or {}
    obs = [o for o in obs if all(getattr(o, k) == v for k, v in only.items())]
    return [[getattr(o, f) for f in group["fields"]] for o in obs]


def _read(group: dict, text: str):
    reads = group.get("reads", "extract")
    if reads == "numbers":
        return _numbers(text)
    if reads == "periods":
        return _periods(text, group.get("skip_year_only", False))
    if reads == "area_name":
        return resolve_name(text)
    assert reads in ("extract", "document"), f"unknown reader {reads!r}"
    return _observations(group, text)


@pytest.mark.parametrize(
    "group,case",
    [(g, c) for _, g, c in CASES],
    ids=[f"{name}: {c.get('name') or c['text'][:60]}" for name, _, c in CASES],
)
def test_case(group, case):
    got = _read(group, case["text"])
    expect = case["expect"]
    if group.get("ordered", True) is False:
        got, expect = sorted(got, key=repr), sorted(expect, key=repr)
    assert got == expect, case.get("why", "")


def test_every_case_file_is_one_concern_with_a_reader_per_group():
    files = {f.stem for f in Path(__file__).with_name("cases").glob("*.json")}
    assert files == {"numbers", "periods", "areas", "binding", "layouts"}
    for _, group, _ in CASES:
        assert group.get("reads", "extract") in ("extract", "document", "numbers", "periods", "area_name")
        assert group.get("reads", "extract") not in ("extract", "document") or group["fields"]


EXAMPLES = lexicon()["examples"]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["concept"] for e in EXAMPLES])
def test_lexicon_example(example):
    assert example["concept"] in lexicon(), "an example names a concept of the lexicon"
    obs = extract_text("BÁO CÁO năm 2024 tỉnh Hà Tĩnh\n" + example["text"], "x.txt")
    assert sorted([o.indicator, o.value] for o in obs) == sorted(example["expect"])


def test_every_concept_of_the_lexicon_is_compiled_by_the_code():
    """A word list nobody reads is a trap for whoever adds to it."""
    source = "".join(
        p.read_text(encoding="utf-8")
        for p in (Path(__file__).parents[1] / "include" / "vnhealth" / "extraction").glob("*.py")
    )
    unused = [c for c in lexicon() if c != "examples" and f'"{c}"' not in source]
    assert unused == []
