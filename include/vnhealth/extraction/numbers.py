"""The number grammar of Vietnamese reports.

`.` groups thousands and `,` marks decimals; scale words multiply; a unit or noun follows. Dates,
fractions (`14/20`), document numbers (`73/2024/NĐ-CP`), codes, phone numbers, ordinals, years and
changes (`tăng 0,39%`) are recognised and never offered as values. All scanning runs on folded text
(see `vnhealth.text.fold`), whose offsets equal the normalised text's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vnhealth.extraction import lexicon

# Longest first: `1,2 nghìn tỷ đồng` is 1.2e12.
SCALES = lexicon.scales()

# Nouns counted by reports; a number followed by one of these is a count of that noun.
COUNT_NOUNS = lexicon.words("count_nouns")

# The ways a number is written: `1,234,567` (two or more comma groups: English grouping, as spreadsheets
# export it), `2.676.093` and `762,655` (points group thousands, a comma marks decimals), `06`.
NUMBER_FORMS = r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
# `273 343 người`, `1 269 thôn`: thousands grouped by spaces, read as one number only before the word it
# counts (in a table row `240 239 1` are three figures), and never after a date word (`tháng 10 150 ca`).
_SPACE_GROUPED = (
    r"(?<!tháng )(?<!ngày )(?<!năm )(?<!tuần )(?<!quí )(?<!số )(?<![\d.,] )"
    r"\d{1,3}(?: \d{3})+(?:,\d+)?(?= ?(?:%|[^\W\d]))(?! ?(?:tháng|năm|ngày|tuổi)(?![\w]))"
)
_NUMBER = re.compile(
    # `5 ca mắc/1 tử vong`, `02 vụ/45 người mắc`: after `mắc/`, `vụ/` or `ca/` a number is the next measure.
    r"(?=\d)(?:(?<![\w.,/\-])|(?<=mắc/)|(?<=mắc /)|(?<=vụ/)|(?<=ca/))"  # a digit first: fails fast
    # `93.5%`, `1.2 triệu`: a decimal point (as spreadsheets write it) only before a per cent sign or a scale
    # word, where one or two digits after a point cannot be a thousands group.
    r"(\d{1,3}\.\d{1,2}(?=\s?(?:%|triệu|tỷ|tỉ|nghìn|ngàn)(?![\w]))|" + _SPACE_GROUPED + "|" + NUMBER_FORMS + ")"
    # `112/100` (a sex ratio, nothing after it) is a value; `14/20`, `95/100 xã` are fractions.
    r"(?![\w]|[.,]\d|-\d|\s?/(?!\s?(?:10\.000|10000|(?:1\s)?vạn|100\.000|1\.000|100(?![\d]|[.,]\d)(?!\s*\w))))"
)
# The per-10,000 base after a noun: `/10.000 dân`, `/ vạn dân`, `trên 10.000 dân`, `trên một vạn dân`.
PER_10K_BASE = r"(?:\s?/\s?|\strên\s)(?:1\s|một\s)?(?:10\.000|10000|vạn)\s?dân"
_AFTER = re.compile(
    r"\s*(?P<scale>(?:nghìn|ngàn) t[ỷỉ]|nghìn|ngàn|triệu|tỷ|tỉ)?(?![\w])\s*"
    r"(?:(?P<pct>%)|(?P<permille>‰)|(?P<money>đồng|vnđ|vnd)(?![\w])|"
    # `18/100.000 trẻ đẻ sống`, `12/1.000 trẻ sinh sống`, `25 người/100.000 dân`: rates on other bases.
    r"(?P<per_live_births>(?:\s?/\s?|\strên\s)(?P<live_base>100\.000|1\.000)\s?(?:trẻ|ca)\s(?:em\s)?(?:đẻ|sinh)\s(?:ra\s)?sống)|"
    r"(?P<per_100k>[^\d/%;:(),]{0,20}?(?:\s?/\s?|\strên\s)100\.000\s?(?:dân|người))|"
    r"(?P<per>(?P<per_noun>[^\d/%;:(),]{0,20}?)" + PER_10K_BASE + r")|"
    r"(?P<ratio>(?:trẻ|bé) (?:trai|nam)\s?/\s?100 (?:trẻ|bé) (?:gái|nữ))|(?P<years>tuổi)(?![\w])|"
    r"(?P<noun>" + "|".join(re.escape(n) for n in COUNT_NOUNS) + r")(?![\w]))?"
)
# `02 (hai) ca`, `12 (mười hai) cơ sở`: official documents spell a count out after its digits.
_SPELLED_OUT = re.compile(
    r"\s?\((?:(?:một|hai|ba|bốn|tư|năm|lăm|sáu|bảy|tám|chín|mười|mươi|mốt|trăm|nghìn|ngàn|"
    r"triệu|tỉ|linh|lẻ|không)\s?)+\)"
)
# `tháng 8`, `năm 2024` are dates; `Trong tháng: 87 ca` is a count, so these take no colon.
_SKIP_BEFORE = re.compile(
    r"(?:(?<![\w])(?:năm|ngày|tháng|quí|tuần)\s*|"
    r"(?<![\w])(?:giai đoạn|thứ|lần thứ|lần|mũi|đợt|khóa|đề án|bão số|số|điều|khoản|cấp|"
    r"nhóm|loại|hạng|lớp|phòng|tầng|km|quốc lộ|tuyến số|mục|chương|phụ lục|covid)\s*:?\s*|[#№])$"
)
_DELTA_BEFORE = re.compile(
    r"(?<![\w])(?<!không )(?:tăng|giảm|vượt|cao hơn|thấp hơn)(?:\s+(?:thêm|được|là|khoảng|gần|hơn|trên))*\s*$"
)
_OF_PLAN = re.compile(r"\s*(?:so với\s+)?(?:kế hoạch|kh|chỉ tiêu)(?:\s+(?:năm|giao|đề ra|được giao))?(?![\w])(?!\s*:)")
# `11 bác sĩ và 33 giường bệnh trên 10.000 dân`: two counts that share one per-10,000 base.
_SHARED_PER_10K = re.compile(r"\s*(?:và|,)\s*\d+(?:,\d+)?\s+[^\W\d]+(?:\s[^\W\d]+)?" + PER_10K_BASE)
# `12 ca nghi mắc`, `5 trường hợp nghi ngờ`: suspected cases are no cases.
_SUSPECTED = re.compile(r"\s*nghi(?: ngờ)?(?![\w])")
_AGE_RANGE_AFTER = re.compile(r"\s*(?:đến|tới|[-–])\s*\d{1,3}\s*tuổi(?![\w])")
_PER_TIME = re.compile(r"\s?/\s?(?:" + lexicon.alternation("per_time") + r")(?![\w])")
# `Tổng số ca tử vong từ trước đến nay là 82 ca`: a label that counts deaths, then its figure.
_DEATH_LABEL = re.compile(
    r"(?<![\w])số (?:"
    + lexicon.alternation("death_label_nouns")
    + r") (?:"
    + lexicon.alternation("death_words")
    + r")(?![\w])[^\d,;.()]{0,40}$"
)
# The rest of a table row after a figure: more figures (space-grouped or not) to the end of the line.
# (a hard-wrapped table's next row may follow on the same line once rejoined: `Xã 87 87 89 Tỷ lệ ...`)
_ROW_TAIL = re.compile(r"(?:[ \t]+[\d.,]+)*?[ \t]*(?:\n|$|(?=[ \t]\d{1,3}[ \t]+[^\W\d]))")
# A unit cell right before a row's figures: `%` after a word, or a counted noun (`Xã`, `Người`, `Trạm`).
_UNIT_CELL_BEFORE = re.compile(
    r"(?<=[^\W\d])\s+(?:(?P<pct>%)|(?P<noun>"
    + "|".join(re.escape(n) for n in COUNT_NOUNS)
    + r"))(?:[ \t]+[\d.,]+)*[ \t]+$"
)
_ROW_NUMBER_AFTER = re.compile(r" (?=[^\W\d]{2,} [^\W\d])")
_PER_ONE_BEFORE = re.compile(r"(?<![\w])bình quân(?: (?:tại|trên|cho|của))?\s+$")
_POPULATION_BASE = re.compile(r"\s*(?:vạn\s+)?(?:dân|người dân)(?![\w])")  # `10.000 dân`, `1 vạn dân`
# `3 ca tử vong`, `02 ca bệnh dại tử vong`: a few words of the disease may sit between noun and `tử vong`.
_DEATH_AFTER = re.compile(
    r"\s*(?:(?:ca|trường hợp|người|bệnh nhân)(?:\s+(?:(?!không|chưa)[^\d,;.:()\n]){1,25}?)?\s+)?(?:tử vong|"
    r"chết(?![\w]))"
)
_DEATH_BEFORE = re.compile(r"(?:tử vong|(?<![\w])chết)\s*:?\s*$")  # `mắc 245, chết 0`
# `1.`, `2.1)`, and in a table the text lost its header for, `2    Số giường bệnh` and `| 2 | ...`.
_ENUMERATOR_AFTER = re.compile(r"(?:\.\d+)*[.)\-/](?:\s|$)|\s{2,}(?=[^\W\d])|\s*\|")
# `Sốt xuất huyết: 123/0` under a `(số mắc/chết)` heading: cases, then deaths.
CASE_DEATH_CUE = re.compile(r"(?<![\w])mắc\s?/\s?(?:chết|tử vong)(?![\w])")
_CASE_DEATH_PAIR = re.compile(
    r"(?<![\w.,/\-])(\d{1,3}(?:\.\d{3})+|\d+)\s?/\s?(\d{1,3}(?:\.\d{3})+|\d+)(?![\w/]|[.,]\d)"
)
_DATE_BEFORE = re.compile(r"(?<![\w])(?:ngày|đến|từ|tháng|số)\s*$")
ZERO_CASES = re.compile(
    r"(?<![\w])không (?:có|ghi nhận|phát hiện)(?: thêm)? (?:ca|trường hợp)(?: bệnh)?(?: nào)? mắc(?![\w])"
)
ZERO_DEATHS = re.compile(
    r"(?<![\w])không (?:có|ghi nhận)(?: thêm)? (?:ca |trường hợp |người |bệnh nhân |người bệnh )?tử vong"
)

_QUALIFIER_BEFORE = re.compile(
    r"(?<![\w])(?P<cue>không (?:dưới|thấp hơn|ít hơn)|không (?:vượt quá|cao hơn|nhiều hơn)|trên dưới|gần như|"
    r"chưa (?:đến|tới)|ít hơn|"
    r"ước (?:tính |thực hiện )?cả năm|ước thực hiện|khoảng|gần|ước tính|ước|xấp xỉ|trên|hơn|>=|>|≥|dưới|<=|<|≤|"
    r"không quá|tối đa|tối thiểu|ít nhất|từ)"
    r"(?:\s*(?:đạt|:|\*+))*\s*$"
)
# The last word before a number that each end-anchored regex above can match with (a cheap filter),
# spelled as folded text spells it (`quý` → `quí`, `khoá` → `khóa`).
_SKIP_LAST = {
    "năm",
    "ngày",
    "tháng",
    "quí",
    "tuần",
    "đoạn",
    "thứ",
    "lần",
    "mũi",
    "đợt",
    "khóa",
    "án",
    "số",
    "điều",
    "khoản",
    "cấp",
    "nhóm",
    "loại",
    "hạng",
    "lớp",
    "phòng",
    "tầng",
    "km",
    "lộ",
    "mục",
    "chương",
    "lục",
    "covid",
    "#",
    "№",
}
_DELTA_LAST = {"tăng", "giảm", "vượt", "hơn", "thêm", "được", "là", "khoảng", "gần", "trên"}
_QUALIFIER_LAST = {
    "năm",
    "hiện",
    "như",
    "đến",
    "tới",
    "khoảng",
    "gần",
    "tính",
    "ước",
    "xỉ",
    "trên",
    "hơn",
    "dưới",
    "quá",
    "đa",
    "thiểu",
    "nhất",
    "từ",
    "đạt",
}
_RANGE_END = re.compile(r"[^,;.()]{0,20}?(?<![\w])(?:xuống|lên|đến|tới)(?:\s+(?:còn|mức))?\s*\d")
_RANGE_DASH_AFTER = re.compile(r"\s?%?\s+[-–]\s+\d")
_RANGE_DASH_BEFORE = re.compile(r"\d\s?%?\s+[-–]\s+$")
_QUALIFIER_AFTER = re.compile(r"^\s*(?:%\s*)?(?:[^\s,.;()]+\s+){0,3}?(?P<cue>trở lên|trở xuống)")
QUALIFIERS = {
    "khoảng": "approx",
    "gần": "approx",
    "ước tính": "approx",
    "ước": "approx",
    "xấp xỉ": "approx",
    "trên": "more_than",
    "hơn": "more_than",
    ">": "more_than",
    ">=": "more_than",
    "≥": "more_than",
    "từ": "more_than",
    "tối thiểu": "more_than",
    "ít nhất": "more_than",
    "dưới": "less_than",
    "<": "less_than",
    "<=": "less_than",
    "≤": "less_than",
    "không quá": "less_than",
    "tối đa": "less_than",
    "trở lên": "more_than",
    "trở xuống": "less_than",
    "ước cả năm": "approx",
    "ước tính cả năm": "approx",
    "ước thực hiện cả năm": "approx",
    "ước thực hiện": "approx",
    "trên dưới": "approx",
    "gần như": "approx",
    "chưa đến": "less_than",
    "chưa tới": "less_than",
    "ít hơn": "less_than",
    "không dưới": "more_than",
    "không thấp hơn": "more_than",
    "không ít hơn": "more_than",
    "không vượt quá": "less_than",
    "không cao hơn": "less_than",
    "không nhiều hơn": "less_than",
}


@dataclass
class NumberToken:
    start: int  # span of the digits
    end: int
    unit_end: int  # end of the scale, unit and noun that follow
    value: float
    unit: str  # pct, permille, per_10k, per_100k, per_1000_live_births, per_100k_live_births, vnd, years,
    # boys_per_100_girls, count, scaled, bare, progress
    noun: str | None
    per_noun: str | None
    qualifier: str
    is_death: bool
    is_integer: bool

    def compatible_with(self, unit: str, nouns: frozenset[str]) -> bool:
        if self.unit == "bare":
            return unit != "count" or self.is_integer
        if self.unit == "scaled":
            return unit in ("vnd", "count") and (unit == "vnd" or self.is_integer)
        if self.unit == "count":
            if unit == "years" and self.noun == "năm":
                return True  # `tuổi thọ bình quân 74,8 năm`
            if unit != "count" or not self.is_integer:
                return False
            return self.noun in nouns
        if self.unit == "permille":
            return unit in ("per_1000_live_births", "pct")  # `5,9‰` of a percentage is 0.59
        return self.unit == unit


def parse_number(raw: str) -> float:
    """`2.676.093` → 2676093, `51,3` → 51.3, `06` → 6, `93.5` (one point, one or two digits after it) → 93.5,
    `1,234,567` → 1234567."""
    if "," not in raw and raw.count(".") == 1 and len(raw) - raw.index(".") <= 3:
        return float(raw)
    if raw.count(",") >= 2:
        return float(raw.replace(",", ""))
    return float(raw.replace(".", "").replace(",", "."))


def _is_code_like(raw: str) -> bool:
    digits = raw.replace(".", "").replace(",", "")
    if "." not in raw and "," not in raw and len(digits) >= 8:
        return True
    return len(digits) >= 4 and digits.startswith("0")


# folded: `quý` reads `quí`; `lần 2`, `mũi 3`, `đợt 1` are ordinals (`trong đợt 1.234 lượt` is a count)
_DATE_PART_MAX = {"tháng": 12, "ngày": 31, "quí": 4, "tuần": 53, "lần": 10, "mũi": 10, "đợt": 10}


# A count after `năm` (`từ đầu năm 05 ca`): a noun no date takes.
_COUNTED_AFTER = re.compile(
    r"\s?(?:" + "|".join(re.escape(n) for n in COUNT_NOUNS if n not in ("ngày", "tháng", "năm")) + r")(?![\w])"
)


def _can_follow(word: str, raw: str, folded: str, at: int) -> bool:
    """`tháng 10` is a month, but `trong tháng 45 ca` is a count: no month has that number; and
    `từ đầu năm 1.234 ca` is a count: no year is written with a thousands point, with a percent sign
    (`kế hoạch năm 95%`), or in fewer than four digits before a noun (`lũy tích từ đầu năm 05 ca`)."""
    if word == "năm":
        return (
            "," not in raw
            and "." not in raw
            and not folded[at : at + 3].lstrip().startswith("%")
            and not (len(raw) < 4 and _COUNTED_AFTER.match(folded, at))
        )
    limit = _DATE_PART_MAX.get(word)
    return limit is None or ("," not in raw and "." not in raw and int(raw) <= limit)


def is_year(raw: str) -> bool:
    return len(raw) == 4 and raw.isdigit() and 1900 <= int(raw) <= 2100


def scan_numbers(folded: str, start: int, end: int, case_death_pairs: bool = False) -> list[NumberToken]:
    """Every value-like number in folded[start:end], with its unit, noun, qualifier and cues;
    `case_death_pairs` where a `mắc/chết` cue makes `123/0` cases and deaths."""
    tokens: list[NumberToken] = _case_death_pairs(folded, start, end) if case_death_pairs else []
    segment = folded[start:end]
    for m in _NUMBER.finditer(segment):
        raw = m.group(1).replace(" ", "")
        s, e = start + m.start(1), start + m.end(1)
        before = folded[max(start, s - 40) : s]
        # The regexes below are anchored at the end of `before`: its last word rules most of them out.
        tail = before.rstrip(" \t:*")
        i = len(tail)
        while i and tail[i - 1].isalnum():
            i -= 1
        last = tail[i:] or tail[-1:]
        if (
            _is_code_like(raw)
            or (last in _SKIP_LAST and _SKIP_BEFORE.search(before) and _can_follow(last, raw, folded, e))
            or (last in _DELTA_LAST and _DELTA_BEFORE.search(before))
        ):
            continue
        if folded[s - 1 : s] == "(" and folded[e : e + 1] == ")":
            continue  # an enumeration marker: (2), (3)
        if _ENUMERATOR_AFTER.match(folded, e) and not folded[folded.rfind("\n", 0, s) + 1 : s].strip(" -+•*|"):
            continue  # a heading's number: `1. Bệnh sốt xuất huyết`, `2.1)`
        spelled = _SPELLED_OUT.match(folded, e, end) if folded[e : e + 2] in (" (", "(") else None
        unit_at = spelled.end() if spelled else e
        after = _AFTER.match(folded, unit_at, end)
        assert after is not None  # every group is optional
        if after.group("pct") is None and after.group("per") is None and _POPULATION_BASE.match(folded, unit_at, end):
            continue  # `10.000 dân` is a population base, not a value
        if after.group("noun") and _SUSPECTED.match(folded, after.end(), end):
            continue
        if _AGE_RANGE_AFTER.match(folded, e, end):
            continue  # `trẻ em từ 5 đến 12 tuổi`: the lower end of an age range
        if after.group("noun") and _PER_TIME.match(folded, after.end(), end):
            continue  # `trung bình 14 ca/ngày`: a rate over time, not a count
        of_plan = _OF_PLAN.match(folded, after.end(), end) if after.group("pct") else None
        value = parse_number(raw)
        scale = after.group("scale")
        if scale:
            value = round(value * SCALES[scale], 6)  # 4,1 triệu is 4100000, not 4099999.999…
        if of_plan:
            unit = "progress"  # `đạt 52% kế hoạch năm`: progress against a plan, never an indicator's value
        elif after.group("pct"):
            unit = "pct"
        elif after.group("permille"):
            unit = "permille"
        elif after.group("per_live_births"):
            unit = "per_100k_live_births" if after.group("live_base") == "100.000" else "per_1000_live_births"
        elif after.group("per_100k"):
            unit = "per_100k"
        elif after.group("per"):
            unit = "per_10k"
        elif after.group("money"):
            unit = "vnd"
        elif after.group("ratio"):
            unit = "boys_per_100_girls"
        elif after.group("years"):
            unit = "years"
        elif after.group("noun") and _SHARED_PER_10K.match(folded, after.end(), end):
            unit = "per_10k"
        elif after.group("noun"):
            unit = "count"
        elif scale:
            unit = "scaled"
        else:
            unit = "bare"
        noun = after.group("noun")
        if unit == "bare" and _ROW_TAIL.match(folded, e):
            # A table row that gives its unit in a cell before the figures (`... % 75,65 75,65`,
            # `... Xã 13 13`): the figures are of that unit.
            cell = _UNIT_CELL_BEFORE.search(folded, max(start, s - 60), s)
            if cell and cell.group("pct"):
                unit = "pct"
            elif cell and cell.group("noun"):
                unit, noun = "count", cell.group("noun")
        if (
            unit == "bare"
            and len(raw) <= 3
            and raw.isdigit()
            and _ROW_NUMBER_AFTER.match(folded, e)
            and not folded[folded.rfind("\n", 0, s) + 1 : s].strip(" -+•*|")
        ):
            continue  # `88 Số xã được công nhận ...`: a table row's number, then its label
        if unit == "count" and raw in ("1", "01") and _PER_ONE_BEFORE.search(folded, max(start, s - 30), s):
            continue  # `bình quân tại 1 trạm y tế`: the base of an average, not a count
        if is_year(raw) and unit in ("bare", "years"):
            continue
        unit_end = of_plan.end() if of_plan else (after.end() if after.end() > e else e)
        qualifier = "exact"
        if last in _QUALIFIER_LAST or last in "<>=≥≤":
            qualifier = _qualifier_before(folded[max(start, s - 30) : s])
        if qualifier == "more_than" and last == "từ" and _RANGE_END.match(folded, unit_end, end):
            qualifier = "exact"  # `giảm từ 22,1% năm 2023 xuống 21,4%`: where a change started
        if q := _QUALIFIER_AFTER.match(folded[unit_end : min(end, unit_end + 30)]):
            qualifier = QUALIFIERS[q.group("cue")]
        elif (
            qualifier in ("exact", "more_than")
            and folded[unit_end + 1 : unit_end + 3].strip() in ("-", "–")
            and _RANGE_DASH_AFTER.match(folded, unit_end, end)
        ):
            qualifier = "more_than"  # `đạt 95 - 98%`: the range's lower end
        elif qualifier == "exact" and last in ("-", "–") and _RANGE_DASH_BEFORE.search(before):
            qualifier = "less_than"  # and its upper end
        is_death = bool(
            _DEATH_AFTER.match(folded, unit_at, end)
            or (last in ("vong", "chết") and _DEATH_BEFORE.search(before))
            or _DEATH_LABEL.search(folded, max(start, s - 80), s)
        )
        tokens.append(
            NumberToken(
                start=s,
                end=e,
                unit_end=unit_end,
                value=value,
                unit=unit,
                noun=noun,
                per_noun=(after.group("per_noun") or (after.group("noun") if unit == "per_10k" else "") or "").strip()
                or None,
                qualifier=qualifier,
                is_death=is_death,
                is_integer=float(value).is_integer(),
            )
        )
    if "không" not in segment:
        tokens.sort(key=lambda t: t.start)
        return tokens
    for m in ZERO_DEATHS.finditer(segment):
        s = start + m.start()
        tokens.append(NumberToken(s, start + m.end(), start + m.end(), 0.0, "count", "ca", None, "exact", True, True))
    for m in ZERO_CASES.finditer(segment):  # `Trong tháng không ghi nhận ca mắc`: a count of zero cases
        s = start + m.start()
        tokens.append(
            NumberToken(s, start + m.end(), start + m.end(), 0.0, "count", "ca mắc", None, "exact", False, True)
        )
    tokens.sort(key=lambda t: t.start)
    return tokens


def _qualifier_before(before: str) -> str:
    """`khoảng`, `trên`, `không dưới`, `<` ending the text before a number."""
    q = _QUALIFIER_BEFORE.search(before)
    return QUALIFIERS[q.group("cue")] if q else "exact"


def _case_death_pairs(folded: str, start: int, end: int) -> list[NumberToken]:
    """`123/0` as 123 cases and 0 deaths; a date (`đến 15/10`) or more deaths than cases is no pair."""
    tokens = []
    for m in _CASE_DEATH_PAIR.finditer(folded, start, end):
        cases, deaths = parse_number(m.group(1)), parse_number(m.group(2))
        if deaths > cases or _DATE_BEFORE.search(folded, max(start, m.start() - 12), m.start()):
            continue
        qualifier = _qualifier_before(folded[max(start, m.start() - 30) : m.start()])
        tokens.append(
            NumberToken(m.start(1), m.end(1), m.end(1), cases, "count", "ca mắc", None, qualifier, False, True)
        )
        tokens.append(NumberToken(m.start(2), m.end(2), m.end(2), deaths, "count", "ca", None, "exact", True, True))
    return tokens
