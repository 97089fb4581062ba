"""Blocks → observations: the stages after the layout, each run once and handing its result on.

1. layout (`blocks.read_blocks`): tables (flattened or aligned) and lines with heading level, bullet
   and sentences, in reading order; tables go to `_table_observations`;
2. section state (`_DocumentState.on_heading`): the period, target or results section and topics a
   heading sets, and what a line ending in `:` carries to the bullets under it;
3. per sentence, numbers (`numbers.scan_numbers`), then per number: binding (`_bind`: named by the
   words after it, else the nearest fitting mention before it, else the heading's topic); parts that
   are no figure (`parts`); kind (`_kind_of`); dimension (`_dimension_of`); period (`_period_of`);
   area (`_area_of`); facility; evidence.
A number the binder leaves is recorded with its reason when the caller asks (`dropped`), which is
what `vnhealth extract --explain` shows.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from datetime import date

from vnhealth.extraction import areas, blocks, lexicon, parts, periods, tables
from vnhealth.extraction.catalogue import Indicator, candidates_in, load_catalogue
from vnhealth.extraction.numbers import CASE_DEATH_CUE, PER_10K_BASE, SCALES, NumberToken, scan_numbers
from vnhealth.text import fold, fold_document, nfc_modern, normalize

# 1.1.0: unwrapped PDF lines, measure tables, same-period and plan rules; 1.2.0: mắc/chết pairs, `ước cả năm`,
# date ranges, the issuer's header for the province, parts and other services that are no figure
# 1.3.0: plans of reports shorter than a year are the year's, counts spelled out after their digits, counts after
# `năm`, figure-first phrasings, `Chỉ tiêu 1:` labels, `từ đầu năm 2024 đến nay`, week ranges
EXTRACTOR_VERSION = "1.4.0"
MAX_EVIDENCE = 400


@dataclass
class Observation:
    source: str
    indicator: str
    value: float
    unit: str
    kind: str
    qualifier: str
    period_start: str | None
    period_end: str | None
    area: str | None
    dimension: str | None
    facility: str | None
    evidence: str
    evidence_start: int
    evidence_end: int

    def contract(self) -> dict[str, object]:
        """The fields of ../shared/contract/OBSERVATIONS.md, in order, plus the evidence offsets."""
        # a shallow copy: every field is a scalar, and `asdict`'s deep copy was a fifth of extraction's time
        out = {name: getattr(self, name) for name in _OBSERVATION_FIELDS}
        if float(self.value).is_integer() and self.unit in ("count", "vnd"):
            out["value"] = int(self.value)
        return out


_OBSERVATION_FIELDS = tuple(f.name for f in fields(Observation))

# --- cues -----------------------------------------------------------------------------------------
_TARGET_CUE = re.compile(r"(?<![\w])(?:" + lexicon.alternation("target_cues") + r")(?![\w])")
# `(kế hoạch năm: 95%)` in a monthly report: the target is the whole year's.
_YEAR_PLAN = re.compile(r"(?<![\w])(?:kế hoạch|kh|chỉ tiêu|mục tiêu)(?: giao)?(?: cả)? năm(?!\s*\d)")
# `Phấn đấu ...`, `Năm 2025 phấn đấu ...`, `Đến năm 2030, mục tiêu năm ...`: a target cue opening the sentence.
# `Năm 2026, ngành y tế phấn đấu ...`: a short subject may stand before the cue.
_LEAD_TARGET = re.compile(
    r"\s*[-+•*]*\s*(?:(?:trong |đến |đến hết )?năm \d{4},?\s+)?(?:[^\W\d]+\s+){0,4}?"
    r"(?:phấn đấu|mục tiêu năm|kế hoạch năm|định hướng|dự kiến|đề ra (?:mục tiêu|chỉ tiêu))(?![\w])"
)
_LEAD_GOAL = re.compile(r"\s*[-+•*]*\s*(?:các )?(?:chỉ tiêu|mục tiêu)(?![\w])(?!\s*\d)")  # not `Chỉ tiêu 2:`
_TARGET_ANNOUNCE = re.compile(r"(?<![\w])(?:mục tiêu|chỉ tiêu)(?![\w])")
_LIST_GOES_ON = re.compile(r"\s*(?:trong đó|cụ thể|bao gồm)\s*[,:]")
# A list that a target cue introduces (`các mục tiêu khác như:`, `chỉ tiêu gồm:`): its items are targets.
_TARGET_LIST = re.compile(r"(?<![\w])(?:mục tiêu|chỉ tiêu)(?![\w])[^.;:\d]{0,30}(?:như|gồm|sau)\s*:")
# `Ước tính dân số năm 2023 ... là 326.504 người`: an estimate of a later year is no target.
_ESTIMATE_CUE = re.compile(r"(?<![\w])(?:" + lexicon.alternation("estimate_cues") + r")(?![\w])")
_ACHIEVED_CUE = re.compile(r"(?<![\w])(?:" + lexicon.alternation("achieved_cues") + r")(?![\w])")
_ACTUAL_CUE = re.compile(r"(?<![\w])(?:" + lexicon.alternation("actual_cues") + r")(?![\w])")
_DIMENSIONS = [
    ("inpatient", re.compile(r"nội trú|(?:vào|nhập) viện")),
    ("outpatient", re.compile(r"ngoại trú")),
    ("urban", re.compile(r"thành thị")),
    ("rural", re.compile(r"nông thôn")),
    (
        "public",
        re.compile(
            r"(?:bệnh viện|cơ sở|y tế|giường bệnh|giường) công(?: lập)?(?![\w])|"
            r"(?<![\w])(?<!ngoài )công lập(?![\w])"
        ),
    ),
    ("private", re.compile(r"(?:bệnh viện|cơ sở|y tế|giường bệnh|giường) tư(?: nhân)?(?![\w])|ngoài công lập")),
    (
        "insured",
        re.compile(r"(?:kcb|khám,? chữa bệnh|khám bệnh) (?:bhyt|bảo hiểm y tế)|có (?:thẻ )?(?:bhyt|bảo hiểm y tế)"),
    ),
]
_FACILITY = re.compile(
    r"^\s*[-+•–*]*\s*(?P<name>(?:thanh tra )?sở(?: y tế)?|bệnh viện [^:,.;]{2,60}|trung tâm [^:,.;]{2,60}|chi "
    r"cục [^:,.;]{2,60})\s*:"
)
# `Sở Y tế đã thực hiện 32 cuộc thanh tra`, `Bệnh viện Đa khoa tỉnh khám cho 234.567 lượt`: an organisation as
# the subject of the activity a sentence counts.
# A sentence's opening before its subject: a bullet, and a period (`Năm 2024, Bệnh viện ... đã khám cho`).
_SUBJECT_OPENING = r"\s*[-+•*]*\s*(?:(?:trong|năm|tháng|quí|tính đến|từ đầu năm|hiện nay)(?![\w])[^,:;.\n]{0,30},\s*)?"
_HOSPITAL = r"bệnh viện [^:,.;\d]{2,60}?|trung tâm y tế [^:,.;\d]{2,60}?"
_SUBJECT_FACILITY = re.compile(
    _SUBJECT_OPENING + r"(?:thanh tra )?(?P<name>sở y tế|sở(?= )|" + _HOSPITAL + r"|"
    r"trung tâm [^:,.;\d]{2,60}?|chi cục [^:,.;\d]{2,60}?)\s+(?:đã\s+|cũng\s+|tiếp tục\s+)*"
    r"(?:thực hiện|tiến hành|tổ chức|khám|tiếp nhận|điều trị|thanh tra|kiểm tra|xử phạt|phát hiện|cấp cứu)(?![\w])"
)
# `Bệnh viện Đa khoa tỉnh hiện có 350 bác sĩ, 800 giường bệnh`: what a hospital or health centre has is its own
# (not `Sở Y tế ... hiện có 64 đơn vị trực thuộc`, which is the province's).
_SUBJECT_HAS = re.compile(_SUBJECT_OPENING + r"(?P<name>" + _HOSPITAL + r")\s+(?:hiện\s+|đã\s+)?có(?![\w])")
# `Tại Bệnh viện Nhi, tỷ lệ hài lòng ... đạt 98%`: every figure of the sentence is that organisation's.
_AT_FACILITY = re.compile(r"\s*[-+•*]*\s*tại (?P<name>" + _HOSPITAL + r"),")
# Activities the department does itself; rates and cases in a sentence whose subject is `Sở Y tế` stay the
# province's (a hospital's or health centre's are all its own).
_FACILITY_DOMAINS = frozenset({"inspection", "services", "food_safety"})
_TARGET_HEADING = re.compile(r"mục tiêu|chỉ tiêu|nhiệm vụ|giải pháp|phương hướng|kế hoạch|đề xuất|kiến nghị")
_ACTUAL_HEADING = re.compile(r"thực hiện|kết quả|tình hình|đánh giá|ước")
_COUNTED_LINK = re.compile(r"\s*(?:mắc\s+|tử vong\s+)?(?:do\s+)?(?:bệnh\s+)?")
_CLAUSE_BREAK = re.compile(r"[;,]")
_MENTION_REACH = 1000
_PER_10K_BASE = re.compile(PER_10K_BASE)
# `98% trẻ em dưới 1 tuổi được ...`; `100% xã, phường, thị trấn đã đạt ...` (a list of place kinds)
_PCT_GAP = re.compile(r"[^;,.:()\d]*(?:(?:\d+ tuổi|, (?=(?:phường|thị trấn|thị xã|xã|huyện)(?![\w])))[^;,.:()\d]*)*")
_SHORT_GAP = re.compile(r"(?:\s+[^\W\d]+){1,3}")
_SCALE_PREFIX = re.compile(r"\s*(?:" + "|".join(SCALES) + r")?\s*")


@dataclass
class _Heading:
    level: int
    period: periods.Period | None
    is_target: bool
    is_actual: bool = False
    topics: tuple[Indicator, ...] = ()  # indicators the heading names (`1. Bệnh sốt xuất huyết`)
    case_death_pairs: bool = False  # `(số mắc/chết)`: `123/0` under it is cases/deaths


@dataclass
class _Carry:
    bullet: str | None
    period: periods.Period | None = None
    facility: str | None = None
    month: periods.Period | None = None  # `tháng 12` named by a sibling bullet, for the siblings after it


def _mentions(folded: str, start: int, end: int, catalogue: tuple[Indicator, ...]) -> list[tuple[int, int, Indicator]]:
    possible = candidates_in(folded, start, end)
    found = []
    for ind in catalogue:
        if ind.code not in possible:
            continue
        for m in ind.phrasings.finditer(folded, start, end):
            found.append((m.start(), m.end(), ind))
    return found


def _fits(tok: NumberToken, ind: Indicator) -> bool:
    return (
        tok.compatible_with(ind.unit, ind.nouns)
        and (tok.is_death == ind.needs_death_cue or ind.names_death)
        and ind.plausible(tok.value)
    )


_UNIT_PHRASED: dict[int, tuple[tuple[Indicator, ...], re.Pattern[str]]] = {}


def _unit_phrased(catalogue: tuple[Indicator, ...]) -> tuple[tuple[Indicator, ...], re.Pattern[str]]:
    """The indicators with unit phrasings, and one regex any of them matches (most numbers match none)."""
    # keyed by identity: hashing 49 frozen dataclasses on every number would cost more than it saves
    found = _UNIT_PHRASED.get(id(catalogue))
    if found is None:
        phrased = tuple(ind for ind in catalogue if ind.unit_phrasings is not None)
        any_of = re.compile("|".join(f"(?:{ind.unit_phrasings.pattern})" for ind in phrased))
        found = _UNIT_PHRASED[id(catalogue)] = (phrased, any_of)
    return found


def _direct(folded: str, tok: NumberToken, catalogue: tuple[Indicator, ...], end: int) -> Indicator | None:
    """An indicator named by the words right after a number."""
    if tok.value == 0 and tok.noun == "ca mắc" and tok.is_integer:
        # `không phát hiện ca bệnh nào mắc cúm A/H5N1, sởi, ...`: the first disease the clause lists
        clause_end = min(
            (i for i in (folded.find(";", tok.end, end), folded.find(".", tok.end, end)) if i >= 0), default=end
        )
        listed = sorted(_mentions(folded, tok.end, clause_end, catalogue), key=lambda m: m[0])
        found = next(
            (
                ind
                for _, _, ind in listed
                if ind.domain == "disease" and ind.unit == "count" and not ind.needs_death_cue
            ),
            None,
        )
        if found is not None:
            return found
    if tok.unit == "per_10k" and tok.per_noun:
        for ind in catalogue:
            if ind.unit == "per_10k" and ind.phrasings and ind.phrasings.search(tok.per_noun + " / 10.000 dân"):
                if _fits(tok, ind):
                    return ind
    pos = _SCALE_PREFIX.match(folded, tok.end, end).end()
    phrased, any_unit_phrasing = _unit_phrased(catalogue)
    if any_unit_phrasing.match(folded, pos, end):
        for ind in phrased:
            if ind.unit_phrasings.match(folded, pos, end) and _fits(tok, ind):
                return ind
    if tok.unit == "pct":
        # `100% trạm y tế xã có bác sĩ`, `95% dân số tham gia BHYT`: a share, then what it is a share of.
        stop = _PCT_GAP.match(folded, tok.unit_end, min(end, tok.unit_end + 60)).end()
        possible = candidates_in(folded, tok.unit_end, stop) if stop > tok.unit_end else frozenset()
        for ind in catalogue:
            if ind.unit == "pct" and ind.code in possible and _fits(tok, ind):
                m = ind.phrasings.search(folded, tok.unit_end, stop)
                if m and m.start() - tok.unit_end <= 30:
                    return ind
    if tok.unit == "count" and tok.noun:
        # `817 ca mắc sốt xuất huyết`: a counted noun, then the indicator it counts.
        pos = _COUNTED_LINK.match(folded, tok.unit_end, end).end()
        for ind in catalogue:
            if ind.phrasings and tok.noun in ind.nouns and ind.phrasings.match(folded, pos, end) and _fits(tok, ind):
                return ind
        # `1.234 trẻ sinh là con thứ 3 trở lên`: a few words, then the phrasing.
        gap = _SHORT_GAP.match(folded, tok.unit_end, min(end, tok.unit_end + 24))
        if gap:
            for ind in catalogue:
                if ind.phrasings and tok.noun in ind.nouns and _fits(tok, ind):
                    m = ind.phrasings.search(folded, tok.unit_end, min(end, gap.end() + 40))
                    between = folded[tok.unit_end : m.start()] if m else ""
                    if m and len(between.split()) <= 3 and not re.search(r"[\d,;.()]", between):
                        return ind
    return None


class _Provinces:
    """Province mentions of the whole document, found once (for its metadata too), looked up by span."""

    def __init__(self, text: str):
        self.found = areas.document_mentions(text)
        self.starts = [offset for offset, _ in self.found]

    def last_in(self, start: int, end: int) -> str | None:
        i = bisect_right(self.starts, end - 1) - 1
        return self.found[i][1] if i >= 0 and self.starts[i] >= start else None


class _DocumentState:
    def __init__(self, text: str, folded: str, default_area: str | None):
        self.doc_period = periods.document_period(text) or _lead_period(folded)
        self.provinces = _Provinces(text)
        self.doc_area = areas.document_area(text) or default_area
        self.headings: list[_Heading] = []
        self.carry: _Carry | None = None
        self.targets_announced = False  # the sentence before announced targets and stated none

    def section_period(self) -> periods.Period | None:
        for h in reversed(self.headings):
            if h.period:
                return h.period
        # A target with no period of its own is for the document's period (`KẾ HOẠCH ... năm 2025`).
        return self.doc_period

    def case_death_pairs(self) -> bool:
        return any(h.case_death_pairs for h in self.headings)

    def section_is_actual(self) -> bool:
        return any(h.is_actual for h in self.headings)

    def section_is_target(self) -> bool:
        return any(h.is_target for h in self.headings)

    def topics(self) -> Iterator[Indicator]:
        """Indicators named by the headings in force, innermost first."""
        for h in reversed(self.headings):
            yield from h.topics

    def on_heading(self, level: int, folded_line: str, topics: tuple[Indicator, ...] = ()) -> None:
        while self.headings and self.headings[-1].level >= level:
            self.headings.pop()
        found = [p for _, _, p in periods.find_periods(folded_line) if not p.year_only]
        is_actual = bool(_ACTUAL_HEADING.search(folded_line))
        under_actual = any(h.is_actual for h in self.headings)
        is_target = bool(_TARGET_HEADING.search(folded_line)) and not is_actual and not under_actual
        base = self.doc_period.year if self.doc_period else None
        if found and base and found[0].year and found[0].year > base and _TARGET_HEADING.search(folded_line):
            is_target = True
        pairs = bool(CASE_DEATH_CUE.search(folded_line))
        self.headings.append(_Heading(level, found[0] if found else None, is_target, is_actual, topics, pairs))
        self.carry = None


def extract_text(
    text: str,
    source: str,
    default_area: str | None = None,
    *,
    normalized: bool = False,
    dropped: list[tuple[int, str]] | None = None,
) -> list[Observation]:
    """All observations a report's text states, in reading order; `normalized=True` for text that
    `read_document` returned (normalising again costs a pass over the text and changes nothing).
    `dropped`, if given, receives (offset, reason) for each number the binder read and left."""
    if not normalized:
        text = normalize(text)
    folded = fold_document(text)  # as the report's metadata folded it
    catalogue = load_catalogue()
    state = _DocumentState(text, folded, default_area)
    out: list[Observation] = []
    seen: set[tuple] = set()
    for block in blocks.read_blocks(text, folded):
        if isinstance(block, blocks.TableBlock):
            out.extend(
                _table_observations(text, folded, block.cells, source, state, catalogue, seen, whole_table=block.whole)
            )
            continue
        line_start, line_end = block.start, block.end
        line = text[line_start:line_end]
        fline = folded[line_start:line_end]
        level = block.level
        if level is not None:
            state.on_heading(
                level, fline, tuple(ind for _, _, ind in _mentions(folded, line_start, line_end, catalogue))
            )
        bullet = block.bullet
        if state.carry and (bullet is None or bullet == state.carry.bullet) and level is None:
            state.carry = None
        fac = _FACILITY.match(fline)
        carry_here = None
        if fline.rstrip().endswith(":") or fac:
            found = [p for _, _, p in periods.find_periods(fline)]
            if found or fac:
                carry_here = _Carry(bullet, found[-1] if found else None, _facility_name(line, fac) if fac else None)
        for s_start, s_end in block.sentences:
            found = _sentence_observations(
                text, folded, s_start, s_end, source, state, catalogue, seen, carry_here or state.carry, dropped
            )
            out.extend(found)
            # `UBND tỉnh còn đưa ra một số mục tiêu cụ thể ... . Trong đó, ...`: a sentence that announces
            # targets and states no figure opens a list the next sentence (`Trong đó, ...`) continues.
            state.targets_announced = not found and (
                folded.find("tiêu", s_start, s_end) >= 0 and bool(_TARGET_ANNOUNCE.search(folded, s_start, s_end))
            )
        if carry_here:
            state.carry = carry_here
        elif state.carry and state.carry.period and bullet is not None:
            # `Kết quả ... đến 23/12/2024:` / `+ Tổng số lượt KCB BHYT tháng 12: ...` / `+ Tổng chi phí KCB
            # BHYT: ...`: a month a bullet names holds for the sibling bullets after it that name none.
            month = next((p for _, _, p in periods.find_periods(fline) if p.month), None)
            if month:
                state.carry.month = month
    if _is_about_one_district(folded):
        # A district's bulletin: its figures are the district's, no province's.
        return []
    return _without_restatements(out)


_DISTRICT = re.compile(r"(?<![\w])(?:huyện|thị xã|quận) ([^\W\d]+ [^\W\d]+)")
_PROVINCE_WIDE = re.compile(r"(?<![\w])(?:" + lexicon.alternation("province_wide") + r")(?![\w])")


def _is_about_one_district(folded: str) -> bool:
    """Nothing said of the whole province or country, and one district named again and again."""
    if _PROVINCE_WIDE.search(folded):
        return False
    names = [m.group(1) for m in _DISTRICT.finditer(folded)]
    return bool(names) and max(names.count(n) for n in set(names)) >= 2


def _without_restatements(observations: list[Observation]) -> list[Observation]:
    """The same figure stated again later in a report (same indicator, kind, dimension, facility, value,
    period and area) is one observation, evidenced by its first statement."""
    seen: set[tuple] = set()
    out = []
    for o in observations:
        key = (o.indicator, o.kind, o.qualifier, o.dimension, o.facility, o.value, o.period_start, o.period_end, o.area)
        if key not in seen:
            seen.add(key)
            out.append(o)
    return out


def _table_observations(
    text: str,
    folded: str,
    cells: list[tables.TableCell],
    source: str,
    state: _DocumentState,
    catalogue: tuple[Indicator, ...],
    seen: set[tuple],
    whole_table: bool = False,
) -> list[Observation]:
    """A table row's cells, each for the row's indicator and its column's period. Given a whole table,
    the first row that names an indicator gives its value in each column: a later row that names it
    again is a breakdown under another row (`Giường bệnh` / `Bệnh viện` / `Trạm y tế xã`)."""
    out = []
    named: set[tuple] = set()
    for cell in cells:
        label_start = cell.row_start
        flabel = fold(cell.label)
        unit = tables.label_unit(flabel)
        value = cell.value * tables.label_scale(flabel)
        candidates = sorted(
            ((m.end() - m.start(), ind) for ind in catalogue if ind.phrasings for m in ind.phrasings.finditer(flabel)),
            key=lambda c: -c[0],
        )
        measure = cell.column.measure
        ind = next(
            (cand for _, cand in candidates if tables.fits(cand, unit, value) and _measure_fits(cand, measure)), None
        )
        if ind is None:
            continue
        if whole_table:
            if (ind.code, cell.column) in named and (ind.code, cell.column, cell.row_start) not in named:
                continue
            named.add((ind.code, cell.column))
            named.add((ind.code, cell.column, cell.row_start))
        period_start, period_end = _column_period(cell.column, state)
        kind = "target" if cell.column.kind == "target" or tables.label_is_target(flabel) else "actual"
        if cell.column.dimension:  # a column that names it (`Tổng số` is the total: no dimension)
            dimension = None if cell.column.dimension == "total" else cell.column.dimension
        else:
            dimension = next((name for name, rx in _DIMENSIONS if name in ind.dimensions and rx.search(flabel)), None)
        if dimension is not None and dimension not in ind.dimensions:
            continue
        if areas.NATIONAL.search(flabel):
            area = None
        else:
            found = areas.find_provinces(flabel, text=cell.label)
            area = found[-1][1] if found else state.doc_area
        ev_s, ev_e = _trim(text, label_start, cell.row_end)
        while ev_s < ev_e and text[ev_s] in "| ":
            ev_s += 1
        while ev_e > ev_s and text[ev_e - 1] in "| ":
            ev_e -= 1
        ev_s, ev_e = _evidence_window(text, ev_s, ev_e, ev_s, ev_e)
        key = (ind.code, kind, dimension, value, period_start, ev_s)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            Observation(
                source=source,
                indicator=ind.code,
                value=value,
                unit=ind.unit,
                kind=kind,
                qualifier=cell.qualifier,
                period_start=period_start,
                period_end=period_end,
                area=area,
                dimension=dimension,
                facility=None,
                evidence=text[ev_s:ev_e],
                evidence_start=ev_s,
                evidence_end=ev_e,
            )
        )
    return out


def _lead_period(folded: str) -> periods.Period | None:
    """A news article or portal page with no title period: the first period its opening states
    (`Trong 5 tháng đầu năm 2017, ...`, `Hết quý II năm 2021, ...`) holds for what it reports."""
    for p_start, _, p in periods.find_periods(folded, 0, min(len(folded), _LEAD_CHARS)):
        if p.start and p.end and not p.year_only and not p.same_period_of and (p.end - p.start).days >= 27:
            if _THROUGH_END_OF.search(folded, max(0, p_start - 20), p_start):
                # `Hết quý II năm 2021, ...`: what was reached by the end of it, since the year began
                return periods.Period(date(p.end.year, 1, 1), p.end, p.label)
            return p
    return None


_THROUGH_END_OF = re.compile(r"(?<![\w])(?:(?:tính )?đến )?hết\s*$|(?<![\w])tính đến\s*$")


_LEAD_CHARS = 600


def _list_item_facility(text: str, folded: str, start: int, tok: NumberToken) -> str | None:
    """The facility that an item of a list names before its figure (`; Trung tâm Y tế Lạc Dương 113,1%`)."""
    cut = max(folded.rfind(";", start, tok.start), folded.rfind(":", start, tok.start))
    if cut < 0 or folded.rfind(",", cut, tok.start) >= 0:
        return None
    m = parts.LIST_ITEM_FACILITY.fullmatch(folded, cut + 1, tok.start)
    return nfc_modern(text[m.start("name") : m.end("name")]).strip() if m else None


def _measure_fits(ind: Indicator, measure: str | None) -> bool:
    """A `Mắc | Tử vong | Số vụ` column takes the count of its measure: cases, deaths or outbreaks."""
    if measure is None:
        return True
    if ind.unit != "count" or ind.needs_death_cue != (measure == "deaths"):
        return False
    return ("vụ" in ind.nouns) == (measure == "outbreaks")


def _column_period(column: tables.Column, state: _DocumentState) -> tuple[str | None, str | None]:
    """A column's own period; a month column's months of the year in force; or for a `Mắc | Tử vong`
    column the period in force, narrowed by `trong tháng` (its last month) or widened by `cộng dồn`
    (from 1 January)."""
    if column.start and column.end:
        return column.start.isoformat(), column.end.isoformat()
    context = state.section_period()
    if not (context and context.start and context.end):
        return None, None
    if column.months:
        # `Tháng 1 | Tháng 2 | Cộng` under a report on the first quarter of 2024: months of 2024
        first, last = column.months
        p = periods.Period(None, None, "", year_only=True, months=(first, last)).with_year(context.end.year)
        return (p.start.isoformat(), p.end.isoformat()) if p.start and p.end else (None, None)
    start = context.start
    if column.span == "month":
        start = date(context.end.year, context.end.month, 1)
    elif column.span == "ytd":
        start = date(context.end.year, 1, 1)
    return start.isoformat(), context.end.isoformat()


def _subject_facility(text: str, folded: str, start: int, end: int) -> str | None:
    """The organisation that is the sentence's subject: what it did (`... đã khám cho`) or has (`... hiện có`)."""
    m = _SUBJECT_FACILITY.match(folded, start, end) or _SUBJECT_HAS.match(folded, start, end)
    return _facility_name(text, m) if m else None


def _facility_name(text: str, m: re.Match[str]) -> str:
    """The organisation a `name` group matched, as the contract spells it; `Thanh tra Sở` is the
    department's own inspectorate, `Sở Y tế`."""
    if m.group("name").startswith(("sở", "thanh tra sở")):
        return "Sở Y tế"
    return nfc_modern(text[m.start("name") : m.end("name")]).strip()


def _sentence_observations(
    text: str,
    folded: str,
    start: int,
    end: int,
    source: str,
    state: _DocumentState,
    catalogue: tuple[Indicator, ...],
    seen: set[tuple],
    carry: _Carry | None,
    dropped: list[tuple[int, str]] | None = None,
) -> list[Observation]:
    pairs = state.case_death_pairs() or (
        folded.find("/", start, end) >= 0 and bool(CASE_DEATH_CUE.search(folded, start, end))
    )
    tokens = scan_numbers(folded, start, end, case_death_pairs=pairs)
    if not tokens:
        return []
    facility = carry.facility if carry else None
    if facility is None and (at := _AT_FACILITY.match(folded, start, end)):
        facility = _facility_name(text, at)
    subject_facility = None if facility else _subject_facility(text, folded, start, end)
    consumed_periods: set[int] = set()  # starts of periods a number before has taken as its own
    last_ind: Indicator | None = None
    last_figure_end = start  # where the last figure taken ends: the parts after `trong đó` follow it
    locality_list_end: int | None = None  # found when first needed
    dimension_of_last: str | None = None
    clause_periods: list[tuple[int, int, periods.Period]] | None = None
    evidence_start, evidence_end = _trim(text, start, end)
    out = []
    prev_end = start
    context = (carry.period if carry and carry.period else None) or state.section_period()
    if carry and carry.month and carry.period:
        context = periods.combine(carry.month, carry.period)
    # `Phấn đấu đến năm 2025 đạt 15 bác sĩ/10.000 dân và 35 giường bệnh/10.000 dân`: a target cue that
    # opens the sentence governs every number in it that no actual cue claims.
    lead_target = bool(_LEAD_TARGET.match(folded, start, tokens[0].start)) or (
        state.targets_announced and bool(_LIST_GOES_ON.match(folded, start, end))
    )
    # ... but not in a results section, whose `Chỉ tiêu` lines report results
    # (matched on the whole text: cut at the first number, `Chỉ tiêu 1:` would lose the digit its lookahead refuses)
    goal = _LEAD_GOAL.match(folded, start, end)
    lead_goal = bool(goal) and goal.end() <= tokens[0].start and not state.section_is_actual()
    mentions = _Mentions(folded, start, end, catalogue)
    for tok in tokens:
        # binding: the indicator the number states, and where the words that name it are
        ind, mention_start, mention_end = _bind(folded, start, end, tok, prev_end, mentions, catalogue, state)
        if ind is None:
            if dropped is not None:
                dropped.append((tok.start, _unbound_reason(folded, start, tok, mentions)))
            prev_end = max(prev_end, tok.unit_end)
            continue
        paren = folded.rfind("(", start, tok.start)
        window_start = max(prev_end, mention_end, paren + 1 if paren >= 0 else start)
        window = folded[window_start : tok.start]
        if paren >= window_start - 1 and paren >= prev_end and not window.strip(" :"):
            window = folded[max(prev_end, paren - 150) : tok.start]  # `so với chỉ tiêu giao (93,5%)`
        if clause_periods is None:
            clause_periods = periods.find_periods(folded, start, end)
        kind = _kind_of(folded, start, tok, window, clause_periods, lead_target, lead_goal, state)
        dimension, dimension_end = _dimension_of(folded, prev_end, tok, ind, end)
        if (
            tok.unit == "bare"
            and last_ind is ind
            and mention_start < prev_end
            and not folded[prev_end : tok.start].strip(" |\t")
        ):
            # `Sốt xuất huyết   1.234   0` with no header: a second column nobody named, not a second figure.
            _drop(dropped, tok, "a second column nobody named")
            prev_end = max(prev_end, tok.unit_end)
            continue
        if locality_list_end is None:
            found_list = parts.LOCALITY_LIST.search(folded, start, end)
            locality_list_end = found_list.end() if found_list else end + 1
        if parts.is_narrowed_count(folded, tok, ind, end):
            _drop(dropped, tok, f"a count of part of {ind.code} (narrowed by the words after it)")
            prev_end = max(prev_end, tok.unit_end)
            continue
        if parts.is_care_state_count(folded, max(start, folded.rfind(";", start, tok.start) + 1), tok, ind):
            _drop(dropped, tok, "patients in care or doses, not new cases")
            prev_end = max(prev_end, tok.unit_end)
            continue
        if parts.is_locality_part(
            text, folded, start, tok, ind is last_ind, prev_end, state.provinces.last_in, locality_list_end
        ):
            # `toàn tỉnh 1.234 ca, tập trung tại TP Vinh 456 ca`: a district's part, not the province's figure.
            _drop(dropped, tok, "a district's or commune's figure")
            prev_end = max(prev_end, tok.unit_end)
            continue
        if (
            dimension is None
            and last_ind is ind
            and dimension_of_last is None
            and (
                parts.is_part_after(folded, last_figure_end, tok.start)
                or (mention_start < prev_end and parts.PASSING.match(folded, tok.unit_end, end))
            )
        ):
            # `Thu hút 12 bác sĩ, trong đó 3 bác sĩ chuyên khoa II`, `Kiểm tra 3.456 cơ sở, 2.987 cơ sở đạt`,
            # `cấp cứu 1.234 trường hợp, trong đó cấp cứu do tai nạn 156 trường hợp` (named again): a part of
            # the figure, not the figure again.
            _drop(dropped, tok, f"a part of the {ind.code} figure before it (after `trong đó` or passing)")
            prev_end = max(prev_end, tok.unit_end)
            continue
        period = _period_of(
            folded, start, tok, kind, window, clause_periods, consumed_periods, prev_end, context, state
        )
        area = _area_of(folded, start, tok, mention_start, prev_end, state)
        value = round(tok.value / 10, 10) if tok.unit == "permille" and ind.unit == "pct" else tok.value
        key = (
            ind.code,
            kind,
            dimension,
            value,
            evidence_start,
            period.start if period else None,
            period.end if period else None,
            area,
        )
        prev_end = max(prev_end, tok.unit_end, dimension_end)
        last_ind, dimension_of_last, last_figure_end = ind, dimension, tok.unit_end
        if key in seen:
            _drop(dropped, tok, "the same figure stated again (kept once, where first stated)")
            continue
        seen.add(key)
        ev_s, ev_e = _evidence_window(text, evidence_start, evidence_end, min(mention_start, tok.start), tok.unit_end)
        out.append(
            Observation(
                source=source,
                indicator=ind.code,
                value=value,
                unit=ind.unit,
                kind=kind,
                qualifier=tok.qualifier,
                period_start=period.start.isoformat() if period and period.start else None,
                period_end=period.end.isoformat() if period and period.end else None,
                area=area,
                dimension=dimension,
                facility=facility
                or (subject_facility if subject_facility != "Sở Y tế" or ind.domain in _FACILITY_DOMAINS else None)
                or _list_item_facility(text, folded, start, tok),
                evidence=text[ev_s:ev_e],
                evidence_start=ev_s,
                evidence_end=ev_e,
            )
        )
        if tok.value == 0 and tok.noun == "ca mắc" and ind.domain == "disease":
            # `không phát hiện ca bệnh nào mắc cúm, sởi, thuỷ đậu`: no case of each disease the list names
            clause_end = min(
                (i for i in (folded.find(";", tok.end, end), folded.find(".", tok.end, end)) if i >= 0), default=end
            )
            for m_start, _, other in sorted(_mentions(folded, tok.end, clause_end, catalogue), key=lambda m: m[0]):
                if (
                    other.code == ind.code
                    or other.domain != "disease"
                    or other.unit != "count"
                    or other.needs_death_cue
                ):
                    continue
                other_key = (other.code, kind, dimension, value, evidence_start, key[5], key[6], area)
                if other_key in seen:
                    continue
                seen.add(other_key)
                out.append(replace(out[-1], indicator=other.code))
    return out


class _Mentions:
    """The indicators a sentence names, found when first needed: most numbers name none."""

    def __init__(self, folded: str, start: int, end: int, catalogue: tuple[Indicator, ...]):
        self._args = (folded, start, end, catalogue)
        self._found: list[tuple[int, int, Indicator]] | None = None
        self._starts: list[int] = []

    @property
    def end(self) -> int:
        return self._args[2]

    def before(self, at: int, reach: int) -> list[tuple[int, int, Indicator]]:
        if self._found is None:
            self._found = sorted(_mentions(*self._args), key=lambda m: m[0])
            self._starts = [m[0] for m in self._found]
        return self._found[bisect_left(self._starts, reach) : bisect_left(self._starts, at)]


def _bind(
    folded: str,
    start: int,
    end: int,
    tok: NumberToken,
    prev_end: int,
    mentions: _Mentions,
    catalogue: tuple[Indicator, ...],
    state: _DocumentState,
) -> tuple[Indicator | None, int, int]:
    """The indicator a number states: named by the words right after it, else by the nearest earlier
    mention whose unit, noun and range fit, else by the heading's topic; with the mention's span."""
    ind = _direct(folded, tok, catalogue, end)
    # Named after the number: the cues since the previous number or label (`Chỉ tiêu X: ... đạt`) count.
    mention_start, mention_end = tok.start, max(prev_end, folded.rfind(":", start, tok.start) + 1)
    # `12.000 lượt khám sức khỏe` names what it counts, which no mention or heading before is.
    names_other = tok.noun in parts.VISIT_NOUNS and bool(parts.OTHER_SERVICE.match(folded, tok.unit_end, end))
    if ind is not None or names_other:
        return ind, mention_start, mention_end
    # the nearest mentions first; one more than _MENTION_REACH characters back names nothing here
    # (and a sentence of thousands of numbers stays linear)
    nearby = mentions.before(tok.start, tok.start - _MENTION_REACH)
    for m_start, m_end, cand in sorted(nearby, key=lambda m: (min(m[1], tok.start), m[1] - m[0]), reverse=True):
        if tok.end <= m_end:
            continue  # `khám thai ≥ 3 lần trong 3 thời kỳ`: a number inside the indicator's name is no value of it
        if tok.unit == "bare" and cand.unit == "count" and "tỉ lệ" in folded[start:m_start]:
            continue  # `tỷ lệ mắc ngộ độc thực phẩm: < 7` is a rate, not a count
        if cand.unit == "per_10k" and _PER_10K_BASE.search(folded, m_end, tok.start):
            continue  # `bác sĩ/vạn dân đạt 12,1; dược sĩ/vạn dân đạt 3,0`: another rate has its own base
        if parts.names_own_subject(folded, m_end, tok.start, cand):
            break  # `tiêm chủng đầy đủ đạt 98%; tiêm vắc xin viêm gan B sơ sinh đạt 85%`
        if _fits(tok, cand) or _per_10k_by_mention(tok, cand, folded[m_start:m_end]):
            return cand, m_start, min(m_end, tok.start)
    # Under `1. Bệnh sốt xuất huyết`, `Trong tháng ghi nhận 412 ca mắc` counts that disease.
    return next((cand for cand in state.topics() if _fits(tok, cand)), None), mention_start, mention_end


def _drop(dropped: list[tuple[int, str]] | None, tok: NumberToken, reason: str) -> None:
    if dropped is not None:
        dropped.append((tok.start, reason))


def _unbound_reason(folded: str, start: int, tok: NumberToken, mentions: _Mentions) -> str:
    """Why no indicator named in the sentence took the number, as the binder's own tests say it."""
    if tok.noun in parts.VISIT_NOUNS and parts.OTHER_SERVICE.match(folded, tok.unit_end, mentions.end):
        return f"it counts another service (`{tok.noun}` ...)"
    nearby = mentions.before(tok.start, tok.start - _MENTION_REACH)
    inside = sorted({cand.code for _, m_end, cand in nearby if tok.end <= m_end})
    if inside:
        return f"a number inside the name of {', '.join(inside)}"
    named = [cand for _, _, cand in nearby]
    if not named:
        return "no indicator is named before it in the sentence"
    codes = ", ".join(sorted({c.code for c in named}))
    if not any(tok.compatible_with(c.unit, c.nouns) for c in named):
        what = f"count noun `{tok.noun}`" if tok.unit == "count" and tok.noun else f"unit ({tok.unit})"
        return f"its {what} fits none of the indicators named: {codes}"
    fitting = [c for c in named if tok.compatible_with(c.unit, c.nouns)]
    if not any(tok.is_death == c.needs_death_cue or c.names_death for c in fitting):
        return f"a death, and {codes} counts no deaths" if tok.is_death else f"no death, and {codes} counts deaths"
    if not any(c.plausible(tok.value) for c in fitting):
        return f"{tok.value:g} is outside the plausible range of {codes}"
    return f"another subject stands between it and {codes}"


def _kind_of(
    folded: str,
    start: int,
    tok: NumberToken,
    window: str,
    clause_periods: list[tuple[int, int, periods.Period]],
    lead_target: bool,
    lead_goal: bool,
    state: _DocumentState,
) -> str:
    """`target` or `actual`: the cues in the window before the number, the sentence's lead, the section."""
    # In a section of tasks or targets, `(đến nay đã có 72% ...)` and `Hiện nay tỷ lệ ... là 92%` still
    # state what happened.
    if _TARGET_CUE.search(window):
        return "target"
    if lead_target:
        return "actual" if _ACTUAL_CUE.search(window) else "target"
    if state.section_is_target():
        clause_start = max(start, folded.rfind(";", start, tok.start) + 1)
        return "actual" if _ACTUAL_CUE.search(folded, clause_start, tok.start) else "target"
    if lead_goal:
        # `Chỉ tiêu HĐND tỉnh giao: tỷ lệ bao phủ BHYT 95%` states the goal; `Chỉ tiêu sàng lọc trước
        # sinh: đạt 36,2%` what was achieved of it, unless `đạt` speaks of a later year.
        achieved = _ACHIEVED_CUE.search(window) and not _names_later_year(clause_periods, tok.start, state)
        return "actual" if achieved else "target"
    if (
        _names_later_year(clause_periods, tok.start, state, entirely=True)
        and not _ACTUAL_CUE.search(window)
        and not _ESTIMATE_CUE.search(folded, max(start, folded.rfind(";", start, tok.start) + 1), tok.start)
    ):
        return "target"  # `Đến năm 2030, tỷ lệ ... đạt trên 95%` in a 2024 report has not happened yet
    if _TARGET_LIST.search(folded, start, tok.start) and not _ACTUAL_CUE.search(window):
        return "target"  # `kế hoạch còn đưa ra các mục tiêu khác như: ...; tỷ lệ ... đạt từ 98%`
    return "actual"


def _dimension_of(folded: str, prev_end: int, tok: NumberToken, ind: Indicator, end: int) -> tuple[str | None, int]:
    """The dimension the words before the number, its unit or the words after it name; and where they end."""
    dim_window = folded[prev_end : tok.start]
    dimension = None
    best = -1
    for name, rx in _DIMENSIONS:
        if name not in ind.dimensions:
            continue
        for m in rx.finditer(dim_window):
            if m.start() > best:
                best, dimension = m.start(), name
    dimension_end = tok.unit_end
    if dimension is None and tok.per_noun and ind.dimensions:
        # `3,5 giường bệnh tư nhân/vạn dân`: the dimension sits in the per-10,000 unit.
        dimension = next((name for name, rx in _DIMENSIONS if name in ind.dimensions and rx.search(tok.per_noun)), None)
    if dimension is None and ind.dimensions:
        # `1.200 cơ sở khám, chữa bệnh tư nhân`, `92% khu vực thành thị`: the dimension follows.
        dimension, dimension_end = _dimension_after(folded, tok, ind, end)
    return dimension, dimension_end


def _period_of(
    folded: str,
    sentence_start: int,
    tok: NumberToken,
    kind: str,
    window: str,
    clause_periods: list[tuple[int, int, periods.Period]],
    consumed_periods: set[int],
    prev_end: int,
    context: periods.Period | None,
    state: _DocumentState,
) -> periods.Period | None:
    """The period a number covers: its own (a year right after it), else its clause's, completed by the
    context (carried line, section, document); `consumed_periods` records the periods numbers have taken."""
    # `giảm từ 22,1% năm 2023 xuống 21,4% năm 2024`: a year right after a number is that number's.
    # (an estimate may speak of a later year than the report's: `Ước tính dân số năm 2024 ...`)
    estimate = (
        folded.find("ước", sentence_start, tok.start) >= 0 or folded.find("dự tính", sentence_start, tok.start) >= 0
    ) and bool(_ESTIMATE_CUE.search(folded, sentence_start, tok.start))
    trailing = next(
        (
            p
            for s, e, p in clause_periods
            if tok.unit_end <= s <= tok.unit_end + 2 and not folded[tok.unit_end : s].strip()
        ),
        None,
    )
    # A comparison (`so với năm 2023`) names the next number only, within its clause; a programme
    # (`Bộ tiêu chí ... giai đoạn 2021-2030`, `đến năm 2030`) reaching past the report's year is not
    # the period of an actual figure.
    clause = [
        p
        for s, e, p in clause_periods
        if e <= tok.start
        and s not in consumed_periods
        and not (periods.is_comparison(folded, s) and (e < prev_end or _CLAUSE_BREAK.search(folded, e, tok.start)))
        and not (kind == "actual" and not estimate and _is_programme_span(p, state.doc_period))
        and not _closed_before(folded, s, e, tok.start, sentence_start)
    ]
    # An actual figure in a section about next year (`(đến nay đã có 72% ...)`) is of the report's period.
    if kind == "actual" and context and _is_programme_span(context, state.doc_period):
        context = state.doc_period
    if trailing is not None:
        consumed_periods.update(s for s, e, p in clause_periods if p is trailing)
    specific = trailing or (clause[-1] if clause else None)
    if specific is not None and specific.same_period_of is not None and specific is not trailing:
        # `Trong 9 tháng đầu năm 2022 ... (cùng kỳ năm 2021: 748 ca)`: the same months as the clause's.
        earlier = next((p for p in reversed(clause[:-1]) if p.same_period_of is None), None)
        context = periods.combine(earlier, context) if earlier else context
    # A target for `năm 2025` is for the whole year, even in a report written at mid-year.
    period = periods.combine(specific, context, cut_to_context=kind == "actual" and not estimate)
    if kind != "target" or not (period and period.start and period.end):
        return period
    if specific is None and period.start.year == period.end.year:
        # `KH 93%` in a nine-month report, `chỉ tiêu giao 93,5%` in a monthly one: a plan the clause gives no
        # period of its own is the year's.
        return periods.Period(date(period.end.year, 1, 1), date(period.end.year, 12, 31), "kế hoạch năm")
    if _YEAR_PLAN.search(window):
        return periods.Period(date(period.end.year, 1, 1), date(period.end.year, 12, 31), "kế hoạch năm")
    return period


def _names_later_year(
    clause_periods: list[tuple[int, int, periods.Period]], until: int, state: _DocumentState, entirely: bool = False
) -> bool:
    """A period after the report's year stands before `until` in the sentence (`Chỉ tiêu năm 2025: ... đạt
    95%`); `entirely`: one that also starts after it (not `giai đoạn 2021-2030`)."""
    base = state.doc_period.end.year if state.doc_period and state.doc_period.end else None
    return base is not None and any(
        e <= until and p.end and p.end.year > base and (not entirely or (p.start and p.start.year > base))
        for _, e, p in clause_periods
    )


def _closed_before(folded: str, at: int, period_end: int, until: int, sentence_start: int) -> bool:
    """`(năm 2022: 8.901 ca), 2.345 ca tay chân miệng`: a parenthesis closed before the number, holding a
    figure of its own, keeps its period; `Trong tuần (từ 18/11 đến 24/11/2024), ghi nhận 45 ca` does not."""
    opened = folded.rfind("(", sentence_start, at)
    if opened < 0 or folded.rfind(")", opened, at) >= 0:
        return False
    closed = folded.find(")", at, until)
    return closed >= 0 and any(c.isdigit() for c in folded[period_end:closed])


def _area_of(
    folded: str, start: int, tok: NumberToken, mention_start: int, prev_end: int, state: _DocumentState
) -> str | None:
    """The province a number is about, or None for a national figure (`bình quân chung cả nước`)."""
    paren = folded.rfind("(", start, tok.start)
    national_from = max(mention_start if mention_start < tok.start else start, paren if paren >= 0 else start)
    # `Cả nước hiện có tỷ lệ bao phủ BHYT 93,35%`: a national subject opening the clause counts too.
    # `cao hơn bình quân chung cả nước (91%)`: a parenthesis holding only the number hides nothing.
    wraps_number = paren >= 0 and not folded[paren + 1 : tok.start].strip()
    clause_from = max(
        start,
        prev_end,
        paren if paren >= 0 and not wraps_number else start,
        folded.rfind(",", start, paren if wraps_number else national_from) + 1,
        folded.rfind(";", start, paren if wraps_number else national_from) + 1,
    )
    national_from = min(national_from, clause_from)
    national = areas.NATIONAL.search(folded, national_from, tok.start)
    while national and (later := areas.NATIONAL.search(folded, national.end(), tok.start)):
        national = later
    # `xếp thứ 8 trên toàn quốc` ranks the province, it is no national figure
    if national and "xếp" not in folded[max(national_from, national.start() - 30) : national.start()]:
        return None
    return state.provinces.last_in(start, tok.start) or state.doc_area


_DIMENSIONS_AFTER = _DIMENSIONS + [
    ("private", re.compile(r"^\s*(?:khu vực\s+)?tư nhân(?![\w])")),
    ("public", re.compile(r"^\s*công lập(?![\w])")),
]
_AFTER_STOP = re.compile(r"[,;.:()\d]|(?<![\w])(?:và|còn|trong đó)(?![\w])")


def _dimension_after(folded: str, tok: NumberToken, ind: Indicator, end: int) -> tuple[str | None, int]:
    """A dimension named between a number (and the indicator's own words after it) and the clause's end."""
    start = tok.unit_end
    if ind.unit_phrasings is not None:
        m = ind.unit_phrasings.match(folded, _SCALE_PREFIX.match(folded, tok.end, end).end(), end)
        if m:
            # `17.000 bệnh nhân được điều trị ngoại trú`: the words naming the indicator may name its dimension
            named = next((name for name, rx in _DIMENSIONS if name in ind.dimensions and rx.search(m.group(0))), None)
            if named:
                return named, m.end()
            start = max(start, m.end())
    stop = _AFTER_STOP.search(folded, start, min(end, start + 40))
    window = folded[start : stop.start() if stop else min(end, start + 40)]
    found = [
        (m.start(), m.end(), name)
        for name, rx in _DIMENSIONS_AFTER
        if name in ind.dimensions
        for m in [rx.search(window)]
        if m
    ]
    if not found:
        return None, tok.unit_end
    at, until, name = min(found)
    return name, start + until


def _is_programme_span(p: periods.Period, doc_period: periods.Period | None) -> bool:
    """A period reaching into a year after the report's cannot be the period of what already happened."""
    return bool(p.end and doc_period and doc_period.end and p.end.year > doc_period.end.year)


def _per_10k_by_mention(tok: NumberToken, ind: Indicator, mention: str) -> bool:
    """`Số giường bệnh/vạn dân đạt 32,5 giường`: the mention carries the per-10,000 base."""
    return (
        ind.unit == "per_10k"
        and tok.unit == "count"
        and tok.noun in ("giường", "bác sĩ", "bs")
        and bool(re.search(r"(?:10\.000|vạn) dân", mention))
        and ind.plausible(tok.value)
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " -+•*\t":
        start += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    return start, end


def _evidence_window(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The sentence; if longer than the contract allows, the `;`-clauses holding mention and number."""
    if end - start <= MAX_EVIDENCE:
        return start, end
    c_start = text.rfind(";", start, lo) + 1 or start
    c_end = text.find(";", hi, end)
    c_end = end if c_end < 0 else c_end
    c_start, c_end = _trim(text, c_start, c_end)
    if c_end - c_start <= MAX_EVIDENCE:
        return c_start, c_end
    lo = max(c_start, min(lo, hi - MAX_EVIDENCE))
    return lo, min(c_end, lo + MAX_EVIDENCE)
