"""The indicator catalogue: one CSV, read by the extractor and seeded by dbt as `dim_indicator`."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from vnhealth.text import fold, fold_pattern, trie_pattern


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
    triggers: tuple[str, ...] | None = None   # one of these occurs in every match; None: no filter
    words: frozenset[str] = frozenset()       # folded words of its name and phrasings (`bao`, `phủ`, ...)

    def may_occur_in(self, folded_text: str) -> bool:
        """A cheap substring test that rules out most sentences before the regex runs."""
        return self.triggers is None or any(t in folded_text for t in self.triggers)

    def plausible(self, value: float) -> bool:
        return self.min_value <= value <= self.max_value


def _necessary_literals(items) -> list[str] | None:
    """Literals of which every match of this parsed sequence contains at least one, if any."""
    from re import _constants as c

    best: list[str] | None = None
    run: list[str] = []

    def consider(cands: list[str] | None) -> None:
        nonlocal best
        if cands and min(map(len, cands)) >= 3 and (best is None or min(map(len, cands)) > min(map(len, best))):
            best = cands

    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        consider(["".join(run)] if run else None)
        run = []
        if op is c.SUBPATTERN:
            consider(_necessary_literals(av[-1]))
        elif op is c.BRANCH:
            alternatives = [_necessary_literals(branch) for branch in av[1]]
            if all(alternatives):
                consider(sorted({lit for alt in alternatives for lit in alt}))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            consider(_necessary_literals(av[2]))
    consider(["".join(run)] if run else None)
    return best


def triggers_of(pattern: str) -> tuple[str, ...] | None:
    from re import _parser

    found = _necessary_literals(_parser.parse(pattern))
    return tuple(found) if found else None


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
            triggers=triggers_of(fold_pattern(row["phrasings"])) if row["phrasings"] else None,
            words=frozenset(re.findall(r"[^\W\d_]+", fold(" ".join((row["name_vi"], row["phrasings"], row["unit_phrasings"],
                                                                  row["nouns"]))))),
        ))
    return tuple(out)


@lru_cache(maxsize=1)
def _trigger_index() -> tuple[re.Pattern[str], dict[str, frozenset[str]], frozenset[str]]:
    catalogue = load_catalogue()
    literals = sorted({t for ind in catalogue for t in ind.triggers or ()}, key=len, reverse=True)
    owners = {lit: frozenset(ind.code for ind in catalogue if ind.triggers and lit in ind.triggers) for lit in literals}
    # A literal found at a position implies every literal that is a prefix of it is there too.
    closed = {lit: frozenset().union(*(owners[p] for p in literals if lit.startswith(p))) for lit in literals}
    always = frozenset(ind.code for ind in catalogue if ind.phrasings is not None and ind.triggers is None)
    rx = re.compile("(?=(" + trie_pattern(literals) + "))")
    return rx, closed, always


def candidates_in(folded: str, start: int, end: int) -> frozenset[str]:
    """Codes of the indicators whose phrasings could match in folded[start:end]: one regex pass."""
    rx, closed, always = _trigger_index()
    found = set(always)
    for m in rx.finditer(folded, start, end):
        found |= closed[m.group(1)]
    return frozenset(found)


def by_code() -> dict[str, Indicator]:
    return {i.code: i for i in load_catalogue()}
