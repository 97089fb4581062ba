"""The indicator catalogue: one CSV, read by the extractor and seeded by dbt as `dim_indicator`."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from vnhealth.text import fold, fold_pattern


@dataclass(frozen=True)
class Indicator:
    code: str
    domain: str
    unit: str
    name_en: str
    name_vi: str
    min_value: float
    max_value: float
    higher_is_better: bool | None
    phrasings: re.Pattern[str] | None
    unit_phrasings: re.Pattern[str] | None
    nouns: frozenset[str]
    needs_death_cue: bool
    dimensions: frozenset[str]

    def plausible(self, value: float) -> bool:
        return self.min_value <= value <= self.max_value


@lru_cache(maxsize=1)
def load_catalogue() -> tuple[Indicator, ...]:
    text = resources.files("vnhealth").joinpath("data/indicator_catalogue.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    out = []
    for row in rows:
        hib = row["higher_is_better"].strip().lower()
        out.append(Indicator(
            code=row["code"], domain=row["domain"], unit=row["unit"], name_en=row["name_en"],
            name_vi=row["name_vi"], min_value=float(row["min_value"]), max_value=float(row["max_value"]),
            higher_is_better=True if hib == "true" else False if hib == "false" else None,
            phrasings=re.compile(r"(?<![\w])(?:" + fold_pattern(row["phrasings"]) + r")(?![\w])") if row["phrasings"] else None,
            unit_phrasings=re.compile(r"(?:" + fold_pattern(row["unit_phrasings"]) + r")(?![\w])") if row["unit_phrasings"] else None,
            nouns=frozenset(fold_pattern(n.strip()) for n in row["nouns"].split("|") if n.strip()),
            needs_death_cue=row["requires"].strip() == "death",
            dimensions=frozenset(d for d in row["dimensions"].split("|") if d),
        ))
    return tuple(out)


def by_code() -> dict[str, Indicator]:
    return {i.code: i for i in load_catalogue()}
