"""The period a number covers, from the words of a clause, a section heading or the document."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from vnhealth.text import DOCUMENT_CACHE_SIZE, fold, fold_pattern

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    label: str
    year_only: bool = False  # a month or span whose year must come from context
    month: int | None = None
    months: tuple[int, int] | None = None
    to_date: bool = False  # `lũy tích`, `cộng dồn từ đầu năm`: 1 January to the context's end
    through: tuple[int, int] | None = None  # `đến 30/11` with no year: 1 January to that (day, month)
    same_period_of: int | None = None  # `cùng kỳ năm 2023`: the context's months in that year (0: the year before)
    whole_year: bool = False  # `cả năm`: all of the context's year, never cut to the context's end
    previous: str | None = None  # `tháng trước`, `năm trước`, `quý trước`: the unit before the context's

    def with_year(self, year: int) -> "Period":
        if self.through:
            day, month = self.through
            return Period(
                date(year, 1, 1), date(year, month, min(day, calendar.monthrange(year, month)[1])), self.label
            )
        if self.month:
            return Period(date(year, self.month, 1), _month_end(year, self.month), self.label)
        if self.months:
            a, b = self.months
            return Period(date(year, a, 1), _month_end(year, b), self.label)
        return self

    @property
    def year(self) -> int | None:
        return self.end.year if self.end else None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(y: str) -> int:
    return int(y)


def _full_year(y: int, label: str) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), label)


_Y = r"((?:19|20)\d\d)"
# Order matters: the most specific phrasing of a span comes first.
_RULES: list[tuple[re.Pattern[str], str]] = [
    # `từ ngày 01/10/2024 đến ngày 31/10/2024`, `(từ 18/11 đến 24/11/2024)`: both ends stated.
    (
        re.compile(
            r"(?<![\w])(?:tính )?từ (?:ngày )?(\d{1,2})/(\d{1,2})(?:/" + _Y + r")?\s?(?:đến|tới|[-–])\s?(?:hết )?"
            r"(?:ngày )?(\d{1,2})/(\d{1,2})/" + _Y
        ),
        "date_range",
    ),
    (re.compile(r"(?:tính )?đến (?:hết )?(?:ngày )?(\d{1,2})/(\d{1,2})/" + _Y), "to_date"),
    (re.compile(r"(?:tính )?đến (?:hết |cuối )?tháng (\d{1,2})(?:/| năm )" + _Y), "to_month"),
    (
        re.compile(
            r"(?:tính )?đến (?:hết )?(?:ngày )?(\d{1,2})/(\d{1,2})(?![/\d])"
            r"(?!\s*(?:huyện|xã|phường|trạm|đơn vị|chỉ tiêu|cơ sở|tỉnh|bệnh viện|trung tâm|nhiệm vụ))"
        ),
        "to_day_month",
    ),
    (re.compile(r"(?<![\w/])(\d{1,2}) tháng (đầu|cuối) năm(?: " + _Y + r")?"), "months_of_year"),
    # `9 tháng`, `10 tháng năm 2024`: the first months of a year; not an age (`trẻ dưới 6 tháng tuổi`) or a span
    # (`trong vòng 3 tháng`, `sau 6 tháng`).
    (
        re.compile(
            r"(?<![\w/])(?<!dưới )(?<!trên )(?<!sau )(?<!từ )(?<!(?<!đầy) đủ )(?<!mỗi )(?<!vòng )(?<!hạn )"
            r"([1-9]|1[0-2]) tháng(?! (?:đầu|cuối|tuổi|trở|một|\d))(?: năm " + _Y + r")?"
        ),
        "first_months",
    ),
    (re.compile(fold_pattern(r"quý (iv|i{1,3}|[1-4])(?![\w])(?:/| năm )?") + _Y + "?"), "quarter"),
    (re.compile(r"(?<!ngày \d)(?<!ngày \d\d)(?<![\d/])tháng (\d{1,2})(?:/| năm )" + _Y), "month_year"),
    # `từ tuần 1 đến tuần 45 năm 2024`: Monday of the first week to Sunday of the last
    (
        re.compile(r"(?<![\w])từ tuần (?:thứ )?(\d{1,2}) (?:đến|tới) (?:hết )?tuần (?:thứ )?(\d{1,2})(?:/| năm )" + _Y),
        "week_range",
    ),
    # `tuần 47/2024`, `tuần 47 năm 2024`: an ISO week, Monday to Sunday
    (re.compile(r"(?<![\w])tuần (?:thứ )?(\d{1,2})(?:/| năm )" + _Y), "week"),
    (re.compile(r"(?<![\d/])tháng (\d{1,2})(?![\d/])(?! năm)"), "month"),
    (re.compile(fold_pattern(r"cùng kỳ(?: năm)?(?: ") + _Y + r"| năm (?:trước|ngoái))?"), "same_period"),
    # `giai đoạn 2021-2025`, `5 năm 2021-2025`, `thời kỳ 2021 - 2025`, `(2021–2025)`: a span of years
    (
        re.compile(r"(?:(?:giai đoạn|thời kỳ|thời kì|năm) )?(?<![\w/.])" + _Y + r"\s?[-–]\s?" + _Y + r"(?![\d/])"),
        "span",
    ),
    (re.compile(r"(?:đến |tính đến )?cuối năm " + _Y), "year"),
    # `từ đầu năm 2024 đến nay`: from January to the end of the period in force, not the whole year
    (
        re.compile(r"(?<![\w])(?:tính )?từ đầu năm " + _Y + r" (?:đến|tới) (?:nay|thời điểm này|thời điểm báo cáo)"),
        "ytd",
    ),
    # `ước cả năm đạt 1.500.000 lượt` in a ten-month report, `phấn đấu đạt 95% vào cuối năm`: the whole
    # year of the context
    (
        re.compile(r"(?<![\w])(?:cả năm|(?:(?:tính )?đến (?:hết )?|vào )?cuối năm)(?! (?:19|20)\d\d)(?![\w])"),
        "whole_year",
    ),
    (re.compile(r"(?<!tháng \d\d )(?<!tháng \d )(?<![\w])năm " + _Y), "year"),
    (
        re.compile(
            fold_pattern(
                r"(?<![\w])(?:(?:lũy|tích lũy|cộng dồn)(?: tích)?(?: từ đầu năm(?: đến nay)?)?|từ đầu năm(?: "
                r"đến nay)?)(?![\w])"
            )
        ),
        "ytd",
    ),
    # `(tháng trước: 35 ca)`, `năm trước`, `quý trước`: the month, year or quarter before the one in force
    (re.compile(r"(?<![\w])(tháng|năm|quí) (?:trước|ngoái)(?![\w])"), "previous"),
]


# Each kind of rule above needs one of these words: a substring test skips most rules on most clauses.
_RULE_WORDS = {
    "date_range": ("từ",),
    "to_date": ("đến",),
    "to_month": ("đến",),
    "to_day_month": ("đến",),
    "months_of_year": ("tháng",),
    "first_months": ("tháng",),
    "quarter": ("quí",),
    "month_year": ("tháng",),
    "week_range": ("tuần",),
    "week": ("tuần",),
    "month": ("tháng",),
    "same_period": ("cùng kì",),
    "span": ("-", "–"),
    "whole_year": ("cả năm", "cuối năm"),
    "year": ("năm",),
    "ytd": ("lũy", "cộng dồn", "từ đầu năm"),
    "previous": ("trước", "ngoái"),
}
assert {kind for _, kind in _RULES} == set(_RULE_WORDS)
_ALL_RULE_WORDS = frozenset(word for words in _RULE_WORDS.values() for word in words)


def _build(kind: str, m: re.Match[str]) -> Period | None:
    g = m.groups()
    label = m.group(0)
    try:
        if kind == "date_range":
            end = date(int(g[5]), int(g[4]), int(g[3]))
            start = date(int(g[2]) if g[2] else end.year, int(g[1]), int(g[0]))
            return Period(start, end, label) if start <= end else None
        if kind == "to_date":
            d = date(int(g[2]), int(g[1]), int(g[0]))
            return Period(date(d.year, 1, 1), d, label)
        if kind == "to_day_month":
            day, month = int(g[0]), int(g[1])
            if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2024, month)[1]):
                return None
            return Period(None, None, label, year_only=True, through=(day, month))
        if kind == "to_month":
            y, mo = int(g[1]), int(g[0])
            return Period(date(y, 1, 1), _month_end(y, mo), label)
        if kind == "months_of_year":
            n, side, y = int(g[0]), g[1], g[2]
            if not 1 <= n <= 12:
                return None
            span = (1, n) if side == "đầu" else (13 - n, 12)
            p = Period(None, None, label, year_only=True, months=span)
            return p.with_year(int(y)) if y else p
        if kind == "first_months":
            n, y = int(g[0]), g[1]
            p = Period(None, None, label, year_only=True, months=(1, n))
            return p.with_year(int(y)) if y else p
        if kind == "quarter":
            q = ROMAN.get(g[0]) or int(g[0])
            p = Period(None, None, label, year_only=True, months=(3 * q - 2, 3 * q))
            return p.with_year(int(g[1])) if g[1] else p
        if kind == "month_year":
            mo, y = int(g[0]), int(g[1])
            return Period(date(y, mo, 1), _month_end(y, mo), label) if 1 <= mo <= 12 else None
        if kind == "week_range":
            first, last, y = int(g[0]), int(g[1]), int(g[2])
            return (
                Period(date.fromisocalendar(y, first, 1), date.fromisocalendar(y, last, 7), label)
                if first <= last
                else None
            )
        if kind == "week":
            week, y = int(g[0]), int(g[1])
            return Period(date.fromisocalendar(y, week, 1), date.fromisocalendar(y, week, 7), label)
        if kind == "month":
            mo = int(g[0])
            return Period(None, None, label, year_only=True, month=mo) if 1 <= mo <= 12 else None
        if kind == "span":
            a, b = int(g[0]), int(g[1])
            return Period(date(a, 1, 1), date(b, 12, 31), label) if a <= b else None
        if kind == "whole_year":
            return Period(None, None, label, year_only=True, months=(1, 12), whole_year=True)
        if kind == "year":
            return _full_year(int(g[0]), label)
        if kind == "same_period":
            return Period(None, None, label, year_only=True, same_period_of=int(g[0]) if g[0] else 0)
        if kind == "ytd":
            return Period(None, None, label, year_only=True, to_date=True)
        if kind == "previous":
            return Period(None, None, label, year_only=True, previous=g[0])
    except ValueError:
        return None
    return None


def find_periods(folded: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, Period]]:
    """Every period expression in folded[start:end] as (start, end, period), leftmost-first, no overlaps."""
    end = len(folded) if end is None else end
    segment = folded[start:end]
    present = {word for word in _ALL_RULE_WORDS if word in segment}
    if not present:
        return []  # every rule needs one of its words: most clauses end here
    found: list[tuple[int, int, Period]] = []
    taken: list[tuple[int, int]] = []
    for rx, kind in _RULES:
        if present.isdisjoint(_RULE_WORDS[kind]):
            continue
        for m in rx.finditer(folded, start, end):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            if kind in ("year", "month_year") and re.search(
                r"ngày \d{1,2}\s*$", folded[max(0, m.start() - 12) : m.start()]
            ):
                continue  # `ngày 16 tháng 12 năm 2024` is a date, not a period
            p = _build(kind, m)
            if p:
                found.append((m.start(), m.end(), p))
                taken.append((m.start(), m.end()))
    found.sort(key=lambda t: t[0])
    return found


_COMPARISON = re.compile(
    fold_pattern(
        r"(?:so với|so cùng kỳ|cùng kỳ)\s*(?:cùng kỳ\s*)?(?:(?:mức )?(?:trung bình|bình quân)\s*)?(?:năm\s*)?$"
    )
)


_SAME_PERIOD = fold("cùng kỳ")


def is_comparison(folded: str, at: int) -> bool:
    """`so với năm 2023`, `(cùng kỳ năm 2023: ...)` name the period of the figures that follow, not of the clause."""
    return folded.startswith(_SAME_PERIOD, at) or bool(_COMPARISON.search(folded[max(0, at - 25) : at]))


def combine(specific: Period | None, context: Period | None, cut_to_context: bool = True) -> Period | None:
    """A clause's period completed by its context: a year for `tháng 12`, an end for `lũy tích`."""
    if specific is None:
        return context
    if specific.previous:
        return _previous(specific, context)
    if specific.same_period_of is not None:
        return _same_period(specific, context)
    if specific.to_date:
        if context and context.end:
            return Period(date(context.end.year, 1, 1), context.end, specific.label)
        return None
    if specific.year_only:
        if context and context.end:
            p = specific.with_year(context.end.year)
            if specific.whole_year:
                return p
            if (
                p.end
                and context.end
                and context.start
                and p.start
                and context.start <= context.end < p.end
                and p.start <= context.end
            ):
                return Period(p.start, context.end, p.label)
            return p
        return None
    if (
        cut_to_context
        and context
        and context.end
        and specific.start
        and specific.end
        and specific.start <= context.end < specific.end
        and context.start
        and context.start <= specific.start
    ):
        return Period(specific.start, context.end, specific.label)  # `tháng 12` of a report `đến 23/12`
    return specific


def _previous(specific: Period, context: Period | None) -> Period | None:
    """The month, quarter or year before the one the context ends in."""
    if not (context and context.end):
        return None
    y, m = context.end.year, context.end.month
    if specific.previous == "năm":
        return _full_year(y - 1, specific.label)
    if specific.previous == "tháng":
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
        return Period(date(y, m, 1), _month_end(y, m), specific.label)
    q = (m - 1) // 3  # the quarter before the context's, 0 meaning the last of the year before
    y, q = (y - 1, 4) if q == 0 else (y, q)
    return Period(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), specific.label)


def _same_period(specific: Period, context: Period | None) -> Period | None:
    """`cùng kỳ năm 2023` in a report on the first half of 2024 is the first half of 2023."""
    if not (context and context.start and context.end):
        return _full_year(specific.same_period_of, specific.label) if specific.same_period_of else None
    year = specific.same_period_of or context.end.year - 1
    shift = year - context.end.year

    def moved(d: date) -> date:
        day = min(d.day, calendar.monthrange(d.year + shift, d.month)[1])
        return date(d.year + shift, d.month, day)

    return Period(moved(context.start), moved(context.end), specific.label)


@lru_cache(maxsize=DOCUMENT_CACHE_SIZE)  # read once for a report's metadata and for its figures
def document_period(text: str) -> Period | None:
    """The period a report's title and opening name (`BÁO CÁO ... NĂM 2024`, `date 2024-12`)."""
    # (a title is a short line: the opening paragraph of an article is no title, whatever it names)
    lines = [ln for ln in text.split("\n") if ln.strip()][:8]
    lines = lines[: next((i for i, ln in enumerate(lines) if len(ln) > 300), len(lines))]
    head = fold("\n".join(lines))
    title_start = re.search(r"(?:báo cáo|tổng kết|sơ kết|kế hoạch|thông báo|chương trình|kết quả|tình hình)", head)
    if not title_start:
        return None
    found = [p for _, _, p in find_periods(head, title_start.start())]
    for i, p in enumerate(found):
        if not p.year_only:
            return p
        # `tháng 11 và nhiệm vụ tháng 12 năm 2024`, `quý III và phương hướng quý IV năm 2024`, `9 tháng,
        # phương hướng 3 tháng cuối năm 2024`: the report's own period comes first and takes the year of
        # the next one (the year before, if it would start after it: `tháng 12 và ... tháng 01 năm 2025`).
        later = next((q for q in found[i + 1 :] if not q.year_only and q.start), None)
        if later and later.start and (p.month or p.months):
            own = p.with_year(later.start.year)
            if own.start and own.start > later.start:
                own = p.with_year(later.start.year - 1)
            return own
    return None
