"""The cue words of `data/lexicon.yml`, loaded once and compiled into the patterns the stages use."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from vnhealth.text import fold


@lru_cache(maxsize=1)
def lexicon() -> dict:
    return yaml.safe_load(resources.files("vnhealth").joinpath("data/lexicon.yml").read_text(encoding="utf-8"))


def words(concept: str) -> list[str]:
    """A concept's words, folded, longest first (so that `kh giao` is tried before `kh`)."""
    return sorted({fold(w) for w in lexicon()[concept]}, key=len, reverse=True)


def alternation(concept: str | list[str]) -> str:
    """A regex alternation of a concept's words (or of the given words), escaped, longest first."""
    items = words(concept) if isinstance(concept, str) else sorted(concept, key=len, reverse=True)
    return "|".join(re.escape(w) for w in items)


def groups(concept: str) -> dict[str, list[str]]:
    """A concept whose words fall in named groups (`table_columns`, `table_measures`), folded."""
    return {name: sorted({fold(w) for w in ws}, key=len, reverse=True) for name, ws in lexicon()[concept].items()}


def scales() -> dict[str, float]:
    """Scale words and factors, as spelled and as folded (`tỷ` and `tỉ`)."""
    out = {w: float(f) for w, f in lexicon()["scales"].items()}
    return {**out, **{fold(w): f for w, f in out.items()}}
