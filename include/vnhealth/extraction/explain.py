"""Why a number gave no observation: what a new province's reports lose, found without gold.

For every sentence that names an indicator's words, each number in it that no observation took is
listed with the reason it was dropped. Numbers the number grammar never reads as values get the
reason its rules give (a year, a date, a change, progress against a plan, a fraction, a code, a rate
over time, a suspected case); numbers it reads but the binder leaves get the binder's own reason, as
the extractor records it (a district's figure, a part after `trong đó`, a unit, count noun, death
or range no named indicator takes); numbers of a table row fall back to what the sentence shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vnhealth.extraction import parts
from vnhealth.extraction.catalogue import load_catalogue
from vnhealth.extraction.blocks import logical_lines, sentences
from vnhealth.extraction.extractor import Observation, _mentions, extract_text
from vnhealth.extraction.numbers import is_year, parse_number, scan_numbers
from vnhealth.text import fold, normalize

_RAW_NUMBER = re.compile(r"(?<![\w.,/])\d[\d.,]*(?:/\d[\d.,]*)*")
# Why the number grammar leaves a number, tried in order on the words around it.
_REASONS = [
    ("a date", re.compile(r"(?:ngày|tháng|quý|tuần)\s*$|^\s*/\s*\d{1,2}(?:/\d{2,4})?")),
    ("a change, not a level", re.compile(r"(?:tăng|giảm|vượt|cao hơn|thấp hơn)(?:\s+\w+){0,2}\s*$")),
    ("progress against a plan", re.compile(r"^\s*%\s*(?:so với\s+)?(?:kế hoạch|kh|chỉ tiêu)")),
    ("a document number or code", re.compile(r"(?:số|quyết định|nghị quyết|kế hoạch|công văn)\s*:?\s*$|^/[\w-]")),
    ("a rate over time", re.compile(r"^\s*\w*\s?/\s?(?:ngày|tuần|tháng|năm)")),
    ("a suspected case", re.compile(r"^\s*\w+\s+nghi")),
    ("a population base", re.compile(r"^\s*(?:dân|người dân)(?![\w])")),
    ("a multiple (lần)", re.compile(r"^\s*lần(?![\w])")),
]


@dataclass(frozen=True)
class Dropped:
    number: str
    start: int
    reason: str
    sentence: str


def explain_text(text: str, source: str, default_area: str | None = None) -> list[Dropped]:
    """Numbers in sentences that name an indicator and that gave no observation, with the reason."""
    text = normalize(text)
    folded = fold(text)
    binder: list[tuple[int, str]] = []
    observations = extract_text(text, source, default_area, normalized=True, dropped=binder)
    binder_reasons = dict(binder)
    catalogue = load_catalogue()
    everywhere = {float(o.value) for o in observations}
    out: list[Dropped] = []
    for line_start, line_end in logical_lines(text, folded):
        for start, end in sentences(text, line_start, line_end):
            mentions = _mentions(folded, start, end, catalogue)
            if not mentions:
                continue
            taken = _taken(observations, start, end)
            tokens = {t.start: t for t in scan_numbers(folded, start, end)}
            for m in _RAW_NUMBER.finditer(folded, start, end):
                raw = m.group(0).rstrip(".,")
                value = _value(raw)
                if value is not None and value in taken:
                    continue
                tok = tokens.get(m.start())
                if tok is not None and tok.start in binder_reasons:
                    reason = binder_reasons[tok.start]
                elif tok is not None and tok.value in everywhere:
                    reason = "the same figure stated again (kept once, where first stated)"
                elif tok is not None:
                    reason = _token_reason(folded, start, tok, mentions)
                else:
                    reason = _grammar_reason(folded, m.start(), m.end(), raw)
                out.append(Dropped(raw, m.start(), reason, text[start:end].strip()[:300]))
    return out


def _value(raw: str) -> float | None:
    try:
        return parse_number(raw)
    except ValueError:
        return None


def _taken(observations: list[Observation], start: int, end: int) -> set[float]:
    """Values that observations evidenced within this sentence took (as written, before any scale)."""
    values: set[float] = set()
    for o in observations:
        if o.evidence_start < end and o.evidence_end > start:
            values.add(float(o.value))
            for scale in (1e3, 1e6, 1e9, 1e12, 10.0):
                values.add(round(float(o.value) / scale, 10))
    return values


def _grammar_reason(folded: str, s: int, e: int, raw: str) -> str:
    if is_year(raw):
        return "a year"
    if "/" in raw:
        return "a fraction or a date"
    before, after = folded[max(0, s - 40) : s], folded[e : e + 40]
    for reason, rx in _REASONS:
        if rx.search(before) if rx.pattern.endswith("$") else rx.search(after):
            return reason
    return "not read as a value (an enumeration, a heading's number, a code)"


_DURATION_NOUNS = frozenset({"tháng", "năm", "ngày", "tuần", "giờ", "phút"})


def _token_reason(folded: str, start: int, tok, mentions) -> str:
    if tok.noun in _DURATION_NOUNS:
        return f"a period or duration ({tok.noun})"
    if parts._SUBSET.search(folded, start, tok.start):
        return "a part after `trong đó` (not the figure itself)"
    if parts._LOCALITY.search(folded, max(start, tok.start - 60), tok.start):
        return "a district's or commune's figure"
    if parts._CARE_STATE.search(folded, max(start, tok.start - 100), tok.start):
        return "patients in care or doses, not new cases"
    named = sorted({ind.code for _, _, ind in mentions})
    units = sorted({ind.unit for _, _, ind in mentions})
    if tok.unit not in units and tok.unit not in ("bare", "scaled"):
        unit = tok.unit + (" " + tok.noun if tok.noun else "")
        return f"its unit ({unit}) fits none of the indicators named: {', '.join(named)}"
    if tok.noun:
        return f"its count noun `{tok.noun}` is none that {', '.join(named)} counts"
    return f"no indicator named before it takes it (named: {', '.join(named)}; out of range, a comparison, or too far)"
