"""Test cases kept as data: the layout families in tests/cases/*.json and the example of each concept
in the lexicon (include/vnhealth/data/lexicon.yml), read by one parametrised runner each."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from vnhealth.documents import read_document
from vnhealth.extraction import extract_text
from vnhealth.extraction.lexicon import lexicon

CASES = [(f.stem, c) for f in sorted(Path(__file__).with_name("cases").glob("*.json"))
         for c in json.loads(f.read_text(encoding="utf-8"))["cases"]]


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[f"{f}: {c['name']}" for f, c in CASES])
def test_case(case):
    obs = extract_text(read_document(case["text"].encode("utf-8")).text, "case.txt", normalized=True)
    got = sorted([o.indicator, o.value, o.period_start, o.dimension] for o in obs)
    assert got == sorted(case["expect"])


EXAMPLES = lexicon()["examples"]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["concept"] for e in EXAMPLES])
def test_lexicon_example(example):
    assert example["concept"] in lexicon(), "an example names a concept of the lexicon"
    obs = extract_text("BÁO CÁO năm 2024 tỉnh Hà Tĩnh\n" + example["text"], "x.txt")
    assert sorted([o.indicator, o.value] for o in obs) == sorted(example["expect"])


def test_every_concept_of_the_lexicon_is_compiled_by_the_code():
    """A word list nobody reads is a trap for whoever adds to it."""
    source = "".join(p.read_text(encoding="utf-8")
                     for p in (Path(__file__).parents[1] / "include" / "vnhealth" / "extraction").glob("*.py"))
    unused = [c for c in lexicon() if c != "examples" and f'"{c}"' not in source]
    assert unused == []
