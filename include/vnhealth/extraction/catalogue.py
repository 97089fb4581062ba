"""The indicator catalogue: what each code is (`data/indicator_catalogue.csv`, also dbt's seed for
`dim_indicator`) and how reports name it (`data/phrasings.yml`, plain forms compiled here once)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from vnhealth.extraction import lexicon
from vnhealth.extraction.phrasing import entry_pattern, form_of
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
    names_death: bool  # its own forms say `tử vong`: a death count by name
    dimensions: frozenset[str]
    triggers: tuple[str, ...] | None = None  # one of these occurs in every match; None: no filter
    words: frozenset[str] = frozenset()  # folded words of its name and phrasings (`bao`, `phủ`, ...)

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
def phrasings() -> dict[str, dict]:
    """`data/phrasings.yml` as written: per code, its forms (with examples) and nouns."""
    return yaml.safe_load(resources.files("vnhealth").joinpath("data/phrasings.yml").read_text(encoding="utf-8"))


def _alternation(entries: list) -> str:
    return "|".join(f"(?:{fold_pattern(entry_pattern(e))})" for e in entries)


@lru_cache(maxsize=1)
def load_catalogue() -> tuple[Indicator, ...]:
    text = resources.files("vnhealth").joinpath("data/indicator_catalogue.csv").read_text(encoding="utf-8")
    said = phrasings()
    out = []
    for row in csv.DictReader(text.splitlines()):
        hib = row["higher_is_better"].strip().lower()
        forms = said.get(row["code"]) or {}
        before = _alternation(forms.get("before_number") or [])
        after = _alternation(forms.get("after_number") or [])
        nouns = [str(n) for n in forms.get("nouns") or []]
        plain = " ".join(form_of(e) for key in ("before_number", "after_number") for e in forms.get(key) or [])
        out.append(
            Indicator(
                code=row["code"],
                domain=row["domain"],
                unit=row["unit"],
                name_en=row["name_en"],
                name_vi=row["name_vi"],
                min_value=float(row["min_value"]),
                max_value=float(row["max_value"]),
                higher_is_better=True if hib == "true" else False if hib == "false" else None,
                phrasings=re.compile(r"(?<![\w])(?:" + before + r")(?![\w])") if before else None,
                unit_phrasings=re.compile(r"(?:" + after + r")(?![\w])") if after else None,
                nouns=frozenset(fold_pattern(n.strip()) for n in nouns if n.strip()),
                needs_death_cue=row["requires"].strip() == "death",
                names_death=any(w in fold(plain) for w in lexicon.words("death_words")),
                dimensions=frozenset(d for d in row["dimensions"].split("|") if d),
                triggers=triggers_of(before) if before else None,
                words=frozenset(re.findall(r"[^\W\d_]+", fold(" ".join((row["name_vi"], plain, " ".join(nouns)))))),
            )
        )
    unknown = set(said) - {i.code for i in out}
    if unknown:
        raise ValueError(f"data/phrasings.yml names codes the catalogue does not have: {sorted(unknown)}")
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
