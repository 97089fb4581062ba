"""Statistical tables: a header row of periods, a row per indicator, one observation per cell.

Tables arrive three ways: as pipe rows (`| Chỉ tiêu | 2023 | 2024* |`, which the HTML and DOCX
readers write, keeping empty cells), as columns aligned with runs of spaces, or as a label followed
by as many numbers as the header has periods (what a PDF text layer or tab-separated text gives
once tabs are normalised). Each cell is read for its row's indicator and its column's period; an
empty cell or a dash gives nothing, and a row whose cells cannot be placed in columns gives nothing
rather than a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from vnhealth.extraction.catalogue import Indicator
from vnhealth.extraction.numbers import NUMBER_FORMS, QUALIFIERS, SCALES, parse_number
from vnhealth.extraction.periods import ROMAN, Period

# A header cell: an optional kind word, a year, an optional preliminary/estimate mark.
_PERIOD_CELL = re.compile(
    r"^(?:năm\s+)?(?P<kind>kế hoạch|kh|chỉ tiêu|mục tiêu|ước thực hiện|ước th|ước tính|ước|sơ bộ|thực hiện|th)?\s*"
    # `Thực hiện 9 tháng 2024`, `6 tháng đầu năm 2025`, `Quý III/2024`, `Tháng 12/2024`: part of a year.
    r"(?:(?P<n>\d{1,2})\s*tháng(?:\s*(?P<side>đầu|cuối))?|qu[ýí]\s*(?P<q>iv|i{1,3}|[1-4])|tháng\s*(?P<mo>\d{1,2}))?\s*"
    r"(?:năm\s+|/\s*)?(?P<year>(?:19|20)\d\d)\s*"
    r"(?P<mark>\(\*\)|\*+|\(sơ bộ\)|sơ bộ|\(ước\)|ước|\(p\)|p|\(e\)|e)?$"
)
# A comparison column after the periods: `% so KH`, `So cùng kỳ (%)`, `TH/KH (%)`, `So sánh`.
_RATIO = (
    r"(?:%\s*)?so(?:\s+với)?\s+(?:kh|kế hoạch|cùng kỳ|ck|năm trước)(?:\s*\(?%\)?)?|so sánh(?:\s*\(?%\)?)?|"
    r"(?:th|thực hiện)\s*/\s*(?:kh|kế hoạch)(?:\s*\(?%\)?)?|tăng\s*/\s*giảm(?:\s*\(?%\)?)?"
)
_RATIO_CELL = re.compile(r"^(?:" + _RATIO + r")$")
# `TH 2024 so với KH (%)`, `So sánh 2024/2023 (%)`: a piped cell that compares, whatever else it names
_COMPARING_CELL = re.compile(
    r"(?<![\w])(?:so với|so sánh|tăng\s*/\s*giảm)(?![\w])|(?:th|thực hiện)\s*/\s*(?:kh|kế hoạch)"
)
_PLAIN_HEADER = re.compile(
    r"(?P<label>.*?)(?P<cells>(?:\s+(?:năm\s+)?(?:kế hoạch\s+|kh\s+|ước\s+|sơ bộ\s+|th\s+|ước th\s+)?(?:19|20)\d\d"
    r"(?:\s*(?:\(\*\)|\*+|\(sơ bộ\)|\(ước\)))?){2,})(?P<ratios>(?:\s{2,}(?:" + _RATIO + r"))*)\s*$"
)
_CELL_TOKEN = re.compile(r"(?:[<>≤≥]\s*)?(?:" + NUMBER_FORMS + r")|[-–—]|\.\.+|x")
_NUMERIC_CELL = re.compile(r"^(?P<cue>[<>≤≥]|khoảng|trên|dưới)?\s*(?P<num>" + NUMBER_FORMS + r")\s*(?P<pct>%)?$")
_SUB_KIND = re.compile(r"^(kh|kế hoạch|chỉ tiêu|mục tiêu|ước thực hiện|ước th|ước|thực hiện|th)(?:\s+(?:năm|giao))?$")
_SUB_RATIO = re.compile(r"(?:th|thực hiện)\s*/\s*(?:kh|kế hoạch)|so sánh|so với|tỷ lệ|tỉ lệ|%|\+/-|tăng|giảm")
_EMPTY_CELL = re.compile(r"^(?:|[-–—]|\.\.+|x|n/a|k/đ)$")
_TWO_YEARS = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d).+?(?<!\d)(?:19|20)\d\d(?!\d)")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}")
_SCALE_IN_LABEL = re.compile(
    r"(?<![\w])((?:nghìn|ngàn) t[ỷỉ]|nghìn|ngàn|triệu|tỷ|tỉ)(?:\s+(?:đồng|lượt|người|ca))?\s*\)?\s*$|"
    r"\(\s*((?:nghìn|ngàn) t[ỷỉ]|nghìn|ngàn|triệu|tỷ|tỉ)[^)]*\)"
)
_TARGET_LABEL = re.compile(r"(?<![\w])(?:chỉ tiêu giao|kế hoạch|mục tiêu)(?![\w])")


@dataclass(frozen=True)
class Column:
    start: date | None  # None: the period in force where the table stands (a measure column)
    end: date | None
    kind: str
    qualifier: str
    center: float | None = None  # character position of the header cell, for aligned text
    measure: str | None = None  # `cases` or `deaths` for a surveillance table's `Số mắc | Tử vong` columns
    span: str | None = None  # with a measure: `month` (`trong tháng`), `ytd` (`cộng dồn`) or None
    months: tuple[int, int] | None = None  # `Tháng 1 | T2 | Cộng`: months of the year in force
    dimension: str | None = None  # a column's dimension (`Nhà nước`: public), `total`, or `skip` (outside the contract)


@dataclass(frozen=True)
class Cell:
    start: int  # offsets into the text
    end: int
    raw: str
    center: float


@dataclass(frozen=True)
class TableCell:
    """One cell read out of a table, ready to become an observation."""

    row_start: int
    row_end: int
    label: str
    value: float
    qualifier: str
    column: Column


def _column(cell: str, center: float | None) -> Column | None:
    m = _PERIOD_CELL.match(cell.strip())
    if not m:
        return None
    year = int(m.group("year"))
    kind_word = (m.group("kind") or "").strip()
    mark = m.group("mark") or ""
    kind = "target" if kind_word in ("kế hoạch", "kh", "chỉ tiêu", "mục tiêu") else "actual"
    qualifier = "approx" if kind_word.startswith("ước") or "ước" in mark or mark in ("(e)", "e") else "exact"
    first, last = 1, 12
    if m.group("n"):
        n = int(m.group("n"))
        first, last = (13 - n, 12) if m.group("side") == "cuối" else (1, n)
    elif m.group("q"):
        q = ROMAN.get(m.group("q")) or int(m.group("q"))
        first, last = 3 * q - 2, 3 * q
    elif m.group("mo"):
        first = last = int(m.group("mo"))
    if not 1 <= first <= last <= 12:
        return None
    span = Period(None, None, cell, year_only=True, months=(first, last)).with_year(year)
    return Column(span.start, span.end, kind, qualifier, center)


def _ratio_column(cell: str, center: float | None) -> Column | None:
    """A comparison column (`% so KH`): it holds ratios, which are no values, but it is a column."""
    cell = cell.strip()
    return (
        Column(None, None, "ratio", "exact", center)
        if _RATIO_CELL.match(cell) or _COMPARING_CELL.search(cell)
        else None
    )


# A surveillance table's header: `| TT | Bệnh | Số mắc | Số tử vong |`, `Bệnh  Mắc trong tháng  Mắc cộng dồn`.
_MEASURE_CELL = re.compile(
    r"^(?:(?P<pre>trong tháng|cộng dồn|lũy tích|từ đầu năm)\s+)?(?:số\s+)?(?:ca\s+|người\s+)?"
    r"(?P<measure>mắc|tử vong|chết)(?:\s+(?P<post>trong tháng|cộng dồn|lũy tích|từ đầu năm))?$"
)
_LABEL_CELL = re.compile(
    r"^(?:|tt|stt|bệnh|tên bệnh|loại bệnh|bệnh truyền nhiễm|chỉ tiêu|các chỉ tiêu|nội dung|"
    r"đơn vị|đơn vị tính|đvt|ghi chú)$"
)
_MEASURE_HINT = re.compile(r"(?<![\w])(?:mắc|tử vong|chết)(?![\w])")


def _measure_column(cell: str, center: float | None) -> Column | None:
    m = _MEASURE_CELL.match(cell.strip())
    if not m:
        return None
    span_word = m.group("pre") or m.group("post")
    span = None if span_word is None else "month" if span_word == "trong tháng" else "ytd"
    return Column(None, None, "actual", "exact", center, "deaths" if m.group("measure") != "mắc" else "cases", span)


def _measure_header(folded: str, start: int, end: int) -> tuple[list[Column | None], bool] | None:
    """The columns of a `cases | deaths` header, or None: every cell a measure or a label word."""
    if not _MEASURE_HINT.search(folded, start, end):
        return None
    cells = _pipe_cells(folded, start, end)
    piped = cells is not None
    if cells is None:
        parts = [(m.start(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", folded[start:end])]
        if len(parts) < 2 or not re.search(r"\S {2,}\S", folded[start:end]):
            return None  # prose, not aligned columns
        raw = [(text, pos + len(text) / 2) for pos, text in parts]
    else:
        raw = [(c.raw, None) for c in cells]
    columns: list[Column | None] = []
    for text, center in raw:
        col = _measure_column(text, center)
        if col is None and not _LABEL_CELL.match(text.strip()):
            return None
        columns.append(col)
    return (columns, piped) if any(columns) else None


_MONTH_CELL = re.compile(r"^(?:tháng|t)\s*(\d{1,2})$")
_TOTAL_CELL = re.compile(r"^(?:cộng|tổng|tổng cộng|tổng số|lũy kế|lũy tích|cộng dồn)$")


def _month_header(folded: str, start: int, end: int) -> tuple[list[Column | None], bool] | None:
    """`| Bệnh | Tháng 1 | Tháng 2 | Tháng 3 | Cộng |`: months with no year (the year in force supplies it)
    and a total over them; every other cell a label word."""
    if "|" not in folded[start:end] or not re.search(r"(?<![\w])(?:tháng|t)\s*\d", folded[start:end]):
        return None
    cells = _pipe_cells(folded, start, end)
    if not cells:
        return None
    columns: list[Column | None] = []
    for cell in cells:
        raw = cell.raw.strip()
        m = _MONTH_CELL.match(raw)
        if m and 1 <= int(m.group(1)) <= 12:
            columns.append(Column(None, None, "actual", "exact", None, months=(int(m.group(1)), int(m.group(1)))))
        elif _TOTAL_CELL.match(raw):
            columns.append(Column(None, None, "actual", "exact", None, span="total"))
        elif _LABEL_CELL.match(raw):
            columns.append(None)
        else:
            return None
    months = [c.months[0] for c in columns if c is not None and c.months]
    if len(months) < 2:
        return None
    first, last = min(months), max(months)
    return [
        Column(None, None, c.kind, c.qualifier, None, months=(first, last))
        if c is not None and c.span == "total"
        else c
        for c in columns
    ], True


_ONE_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _single_period_header(folded: str, start: int, end: int) -> tuple[list[Column | None], bool] | None:
    """`| Chỉ tiêu | ĐVT | Kế hoạch năm 2025 |`: one period column, every other cell a label word."""
    if "|" not in folded[start:end] or not _ONE_YEAR.search(folded, start, end):
        return None
    cells = _pipe_cells(folded, start, end)
    if not cells:
        return None
    columns = [_column(c.raw, None) for c in cells]
    if sum(c is not None for c in columns) != 1:
        return None
    if not all(col is not None or _LABEL_CELL.match(c.raw.strip()) for c, col in zip(cells, columns)):
        return None
    return _with_pending(cells, columns), True


def _kind_header(folded: str, start: int, end: int) -> tuple[list[Column | None], bool] | None:
    """`| Chỉ tiêu | Kế hoạch | Thực hiện | % so KH |`: plan and result columns with no period named
    (the period in force where the table stands supplies it); every other cell a label word."""
    cells = _pipe_cells(folded, start, end)
    if not cells:
        return None
    columns: list[Column | None] = []
    for cell in cells:
        raw = cell.raw.strip()
        if _LABEL_CELL.match(raw) and not any(columns):
            columns.append(None)  # `Chỉ tiêu` before the values is the label column, not a plan
        elif m := _SUB_KIND.match(raw):
            word = m.group(1)
            kind = "target" if word in ("kh", "kế hoạch", "chỉ tiêu", "mục tiêu") else "actual"
            columns.append(Column(None, None, kind, "approx" if word.startswith("ước") else "exact", None))
        elif _RATIO_CELL.match(raw) or _COMPARING_CELL.search(raw):
            columns.append(Column(None, None, "ratio", "exact", None))
        elif _LABEL_CELL.match(raw):
            columns.append(None)
        else:
            return None
    kinds = {c.kind for c in columns if c is not None}
    return (
        (columns, True)
        if kinds & {"target", "actual"}
        and len(kinds - {"ratio"}) >= 1
        and sum(c is not None and c.kind != "ratio" for c in columns) >= 2
        else None
    )


def _with_pending(cells: list[Cell], columns: list[Column | None]) -> list[Column | None]:
    """Empty cells right after a period cell are that period's merged cell (`| Năm 2024 |  |` as an
    HTML colspan comes out): pending columns, which only a second header row (`| KH | TH |`) opens."""
    out = list(columns)
    for i in range(1, len(out)):
        previous = out[i - 1]
        if out[i] is None and not cells[i].raw.strip() and previous is not None and previous.start:
            out[i] = Column(previous.start, previous.end, "pending", previous.qualifier, None)
    return out


def _pipe_cells(text: str, start: int, end: int) -> list[Cell] | None:
    line = text[start:end]
    if "|" not in line:
        return None
    cells = []
    pos = start
    parts = line.split("|")
    if parts and not parts[0].strip():
        pos += len(parts[0]) + 1
        parts = parts[1:]
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    for part in parts:
        lead = len(part) - len(part.lstrip())
        s, e = pos + lead, pos + len(part.rstrip())
        cells.append(Cell(s, max(s, e), text[s : max(s, e)], pos + len(part) / 2))
        pos += len(part) + 1
    return cells if len(cells) >= 2 else None


def _header_columns(folded: str, start: int, end: int) -> tuple[list[Column | None], bool] | None:
    """The columns of a header row, or None; the flag says whether the row used pipes."""
    if not _TWO_YEARS.search(folded, start, end):
        # Most lines are ruled out by these searches; a piped header may have a single period column.
        return (
            _measure_header(folded, start, end)
            or _single_period_header(folded, start, end)
            or _month_header(folded, start, end)
        )
    cells = _pipe_cells(folded, start, end)
    if cells:
        columns = [_column(c.raw, None) or _ratio_column(c.raw, None) for c in cells]
        if sum(c is not None and c.kind != "ratio" for c in columns) < 2:
            return None
        return _with_pending(cells, columns), True
    m = _PLAIN_HEADER.match(folded, start, end)
    if not m or m.end() != end:
        return None
    columns: list[Column | None] = []
    for tok in re.finditer(
        r"(?:năm\s+)?(?:(?:kế hoạch|kh|ước th|ước|sơ bộ|th)\s+)?(?:19|20)\d\d"
        r"(?:\s*(?:\(\*\)|\*+|\(sơ bộ\)|\(ước\)))?",
        folded[m.start("cells") : m.end("cells")],
    ):
        s = m.start("cells") + tok.start()
        columns.append(_column(tok.group(), (s + m.start("cells") + tok.end()) / 2 - start))
    for tok in re.finditer(_RATIO, folded[m.start("ratios") : m.end("ratios")]):
        s = m.start("ratios") + tok.start()
        columns.append(_ratio_column(tok.group(), (s + m.start("ratios") + tok.end()) / 2 - start))
    label = folded[start : m.start("cells")].strip()
    if label and re.search(r"\d", label):
        return None  # prose that ends in years (`giai đoạn 2021 2025`), not a header
    return ([None] + columns, False)


def _plain_row(text: str, folded: str, start: int, end: int) -> tuple[str, list[Cell], bool]:
    """The label and the trailing value cells of a plain-text row; the flag says columns were aligned."""
    tokens = []
    pos = end
    line = folded[start:end]
    while True:
        seg = folded[start:pos].rstrip()
        if not seg:
            break
        m = None
        for cand in _CELL_TOKEN.finditer(seg):
            if cand.end() == len(seg):
                m = cand
        if m is None or (m.start() > 0 and not seg[m.start() - 1].isspace()):
            break
        s, e = start + m.start(), start + m.end()
        tokens.append(Cell(s, e, text[s:e], (s + e) / 2 - start))
        pos = s
    tokens.reverse()
    label = text[start:pos].strip()
    aligned = bool(re.search(r"\S {2,}\S", line))
    return label, tokens, aligned


@dataclass
class TableReader:
    """State across the lines of one document: the header in force, if any."""

    columns: list[Column | None] | None = None
    piped: bool = False
    misses: int = 0

    def header(self, folded: str, start: int, end: int) -> bool:
        found = _header_columns(folded, start, end)
        if found is None and not any(c is not None and c.start for c in self.columns or ()):
            # plan and result columns alone; under a header of years they are its second row (`_sub_header`)
            found = _kind_header(folded, start, end)
        if found is None:
            return False
        self.columns, self.piped = found
        self.misses = 0
        return True

    def row(self, text: str, folded: str, start: int, end: int) -> list[TableCell] | None:
        """Cells of a row under the current header, or None when the line is not a table row."""
        if self.columns is None:
            return None
        if _SEPARATOR.match(folded, start, end):
            return []
        periods = [c for c in self.columns if c is not None]
        if self.piped:
            cells = _pipe_cells(text, start, end)
            if not cells:
                return self._miss()
            if self._sub_header(folded, cells):
                return []
            label = " ".join(c.raw for c, col in zip(cells, self.columns) if col is None and c.raw)
            pairs = [(c, col) for c, col in zip(cells, self.columns) if col is not None and col.kind != "pending"]
        else:
            label, cells, aligned = _plain_row(text, folded, start, end)
            if label and not cells and text[start:end].endswith("   "):
                self.misses = 0
                return []  # a row whose every cell is empty, padded to the table's width: the table goes on
            if not cells or not label:
                return self._miss()
            if len(cells) == len(periods):
                pairs = list(zip(cells, periods))
            elif aligned and len(cells) < len(periods) and all(c.center is not None for c in periods):
                pairs = []
                for cell in cells:
                    col = min(periods, key=lambda c: abs((c.center or 0) - cell.center))
                    pairs.append((cell, col))
                if len({id(col) for _, col in pairs}) != len(pairs):
                    return []  # two cells claim one column: not placeable
            else:
                return []
        self.misses = 0
        out = []
        for cell, col in pairs:
            raw = cell.raw.strip()
            if col.kind == "ratio":
                continue
            if _EMPTY_CELL.match(raw.lower()):
                continue
            m = _NUMERIC_CELL.match(raw.lower())
            if not m:
                continue
            qualifier = QUALIFIERS.get(m.group("cue") or "", col.qualifier)
            out.append(TableCell(start, end, label, parse_number(m.group("num")), qualifier, col))
        return out

    def _sub_header(self, folded: str, cells: list[Cell]) -> bool:
        """A second header row under merged year cells (`| Năm 2024 | Năm 2024 |` over `| KH | TH |`):
        it sets each column's kind; a `TH/KH (%)` or `So sánh` column is a ratio, not a value."""
        assert self.columns is not None
        under = [
            (i, col, folded[cell.start : cell.end].strip())
            for i, (cell, col) in enumerate(zip(cells, self.columns))
            if col is not None
        ]
        if any(_NUMERIC_CELL.match(raw) for _, _, raw in under) or not any(
            _SUB_KIND.match(raw) or _SUB_RATIO.search(raw) for _, _, raw in under
        ):
            return False
        columns = list(self.columns)
        for i, col, raw in under:
            if _SUB_RATIO.search(raw):
                columns[i] = None
            elif m := _SUB_KIND.match(raw):
                word = m.group(1)
                kind = "target" if word in ("kh", "kế hoạch", "chỉ tiêu", "mục tiêu") else "actual"
                qualifier = "approx" if word.startswith("ước") else col.qualifier
                columns[i] = Column(col.start, col.end, kind, qualifier, col.center, col.measure, col.span)
            elif col.kind == "pending":
                columns[i] = None
        self.columns = columns
        self.misses = 0
        return True

    def _miss(self) -> None:
        self.misses += 1
        if self.misses >= 2 or not self.piped:
            self.columns = None
        return None


def label_scale(folded_label: str) -> float:
    m = _SCALE_IN_LABEL.search(folded_label)
    if not m:
        return 1.0
    return SCALES[m.group(1) or m.group(2)]


def label_is_target(folded_label: str) -> bool:
    return bool(_TARGET_LABEL.search(folded_label))


def label_unit(folded_label: str) -> str | None:
    """The unit a row's label states, if it states one."""
    if "%" in folded_label:
        return "pct"
    if re.search(r"/\s?(?:10\.000|vạn)\s?dân", folded_label):
        return "per_10k"
    if re.search(r"/\s?100\.000\s?(?:dân|người)", folded_label):
        return "per_100k"
    if re.search(r"(?<![\w])(?:đồng|vnđ)(?![\w])", folded_label):
        return "vnd"
    if re.search(r"\((?:năm|tuổi)\)", folded_label):
        return "years"
    return None


def fits(indicator: Indicator, unit: str | None, value: float) -> bool:
    if unit is not None and unit != indicator.unit:
        return False
    if indicator.unit == "count" and not float(value).is_integer():
        return False
    return indicator.plausible(value)
