"""Tables flattened to text, one cell per line: the layout statistical yearbooks and web pages give.

A yearbook table copied out of a PDF or a web page loses its grid. What is left is a column header
(the years, `2010 2013 2014 2015` / `2016`, or the columns' names, `Tổng số` / `Total` / `Nhà nước` /
`Ngoài nhà` / `nước`), then per row its label (often wrapped, often followed by an English line) and
its values, one per line or several on one line, `-` or `…` for none. This reader finds such tables
and gives each value as a `TableCell` for its row's label and its column, so the binder that reads
pipe tables reads them too. A row whose values do not fill the columns gives nothing, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from vnhealth.extraction import lexicon
from vnhealth.extraction.numbers import parse_number
from vnhealth.extraction.periods import Period, find_periods
from vnhealth.extraction.tables import Column, TableCell
from vnhealth.text import fold

# A cell of a value line: a number as reports write it (`1.014.825`, `4,46`, `11.2`, `03`), or none.
_VALUE = re.compile(r"^(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)$")
_NONE = re.compile(r"^(?:-|–|—|…+|\.{2,}|x)$")
# A header cell of a period: `2016`, `Sơ bộ 2019`, `Prel. 2019`, `Sơ bộ - Prel. 2019`.
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_PRELIM = re.compile(r"^(?:sơbộ|ước|prel\.?|est\.?|-|–)$")
_PRELIM_WORDS = re.compile(lexicon.alternation("preliminary"))
# The names of columns that are dimensions of the contract (or the total), from the lexicon: the
# group a name is in is its dimension (`skip_*`: a column outside the contract).
_COLUMN_NAMES = [
    (
        re.compile(r"(?<![\w])(?:" + lexicon.alternation(ws) + r")(?![\w])"),
        "skip" if group.startswith("skip") else group,
    )
    for group, ws in sorted(lexicon.groups("table_columns").items(), key=lambda g: -len(g[1][0]))
]
_COLUMN_NAME = re.compile("|".join(f"(?:{rx.pattern})" for rx, _ in _COLUMN_NAMES))
_MAX_LABEL_LINES = 6
_MAX_HEADER_CELL = 40
# A label, then (after two or more spaces) its figures to the end of the line: a table laid out in columns.
_ALIGNED_ROW = re.compile(r"^(?P<label>.*?\S)(?: {2,}|\t)(?P<cells>(?:[\d.,]+|-|–|…)(?:\s+(?:[\d.,]+|-|–|…))*)\s*$")
# The row of a table by place that is the whole province's (the rows after it are its districts').
_PROVINCE_ROW = re.compile(r"^\s*(?:" + lexicon.alternation("province_total_rows") + r")(?![\w])")
_FIGURES_TAIL = re.compile(r"\S {2,}[\d.,]+ {2,}[\d.,]+[ \t]*$", re.MULTILINE)
_VALUE_LINE = re.compile(r"^[ \t]*(?:(?:\d[\d.,]*|[-–—x]|…+|\.{2,})[ \t]*)+$", re.MULTILINE)


@dataclass(frozen=True)
class FlatTable:
    start: int  # offset of the header's first line
    end: int  # offset after the last row
    cells: list[TableCell]


@dataclass
class _Line:
    start: int
    end: int
    text: str
    folded: str

    @property
    def is_english(self) -> bool:
        """A translation line of a bilingual yearbook: letters, all of them plain ASCII."""
        letters = [c for c in self.text if c.isalpha()]
        return bool(letters) and all(c.isascii() for c in letters)


def _values(folded_line: str) -> list[str] | None:
    cells = folded_line.split()
    if cells and all(_VALUE.match(c) or _NONE.match(c) for c in cells):
        return cells
    return None


def _years(folded_line: str) -> list[tuple[int, bool]] | None:
    """`2010 2013 2014`, `sơ bộ - prel. 2019`, `2016`: the years of a header line, each with its
    preliminary mark; None for any other line."""
    out, prelim, marks = [], False, 0
    folded_line = _PRELIM_WORDS.sub(" sơbộ ", folded_line)
    for cell in folded_line.split():
        if _YEAR.match(cell):
            out.append((int(cell), prelim))
            prelim = False
        elif _PRELIM.match(cell):
            prelim, marks = True, marks + 1
        else:
            return None
    if not out and marks and "sơbộ" in folded_line or not out and "prel" in folded_line:
        return []  # `Sơ bộ` above its year, a header line of marks only
    return out or None


def _lines(text: str, folded: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        if raw.strip():
            out.append(_Line(pos, end, raw, folded[pos:end]))
        pos = end + 1
    return out


def _year_column(year: int, prelim: bool) -> Column:
    """A year's column; a preliminary (`Sơ bộ`) figure is still the year's figure."""
    return Column(date(year, 1, 1), date(year, 12, 31), "actual", "exact")


def _table_period(lines: list[_Line]) -> Period | None:
    for line in lines:
        for _, _, p in find_periods(line.folded):
            if p.start and p.end and not p.year_only:
                return p
    return None


def find_tables(text: str, folded: str | None = None) -> list[FlatTable]:
    """Every flattened table in the text, with its cells, in reading order."""
    folded = fold(text) if folded is None else folded
    if len(_VALUE_LINE.findall(folded, 0, len(folded))) + len(_FIGURES_TAIL.findall(folded, 0, len(folded))) < 3:
        return []  # prose: no table laid out in cells (one pass in C, most reports stop here)
    lines = _lines(text, folded)
    tables, i, floor = [], 0, 0
    while i < len(lines):
        found = _table_at(lines, i) or _year_rows_table_at(lines, i, floor)
        if found is None:
            i += 1
            continue
        table, i = found
        floor = i
        tables.append(table)
    return tables


# The header of the year column in a table whose rows are years, and the measures its other columns
# may name (`Số vụ | Số mắc | Số tử vong`).
_YEAR_HEADER = re.compile(r"^(?:" + lexicon.alternation("year_headers") + r")$")
_MEASURES = [
    (re.compile(r"(?<![\w])(?:" + lexicon.alternation(ws) + r")(?![\w])"), measure)
    for measure, ws in lexicon.groups("table_measures").items()
]


def _year_row(lines: list[_Line], j: int) -> tuple[int, list[str], int] | None:
    """A row that opens with its year (`2011`, `Sơ bộ - Prel. 2019`) and continues with values."""
    years = _years(lines[j].folded) if j < len(lines) else None
    if not years or len(years) != 1:
        return None
    year, k, values = years[0][0], j + 1, []
    while k < len(lines) and (cells := _values(lines[k].folded)) is not None and not _is_lone_year(lines[k].folded):
        values.extend(cells)
        k += 1
    return (year, values, k) if values else None


def _is_lone_year(folded_line: str) -> bool:
    cells = folded_line.split()
    return len(cells) == 1 and bool(_YEAR.match(cells[0]))


def _year_rows_table_at(lines: list[_Line], i: int, floor: int) -> tuple[FlatTable, int] | None:
    """A table whose rows are years (`2011` / `5` / `127` / `0`): the columns are named just above the
    first row, as dimensions (`Tổng số`, `Thành thị`, `Nông thôn`) or as measures after a `Năm` header
    (`Số vụ`, `Số mắc`, `Số tử vong`); the title above them names the indicator."""
    rows, j = [], i
    while (row := _year_row(lines, j)) is not None:
        rows.append((row[0], row[1], j, row[2]))
        j = row[2]
    width = len(rows[0][1]) if rows else 0
    if len(rows) < 2 or width < 2 or any(len(values) != width for _, values, _, _ in rows):
        return None
    above = [line for line in lines[floor:i] if _values(line.folded) is None][-20:]
    vietnamese = [line for line in above if not line.is_english]
    columns: list[tuple[str | None, str | None, str]] = []  # (dimension, measure, column label)
    year_header = max((k for k, line in enumerate(vietnamese) if _YEAR_HEADER.match(line.folded.strip())), default=None)
    if year_header is not None and len(vietnamese) - year_header - 1 == width:
        title = vietnamese[:year_header]
        for line in vietnamese[year_header + 1 :]:
            measure = next((m for rx, m in _MEASURES if rx.search(line.folded)), None)
            columns.append((None, measure, line.text.strip()))
    else:
        # (`Nam` is plain ASCII, so column names are looked for among all lines, English ones too)
        named = [(k, line) for k, line in enumerate(above) if _COLUMN_NAME.fullmatch(line.folded.strip())]
        if len(named) != width or named[0][1].folded.strip() not in ("tổng số", "tổng cộng", "tổng"):
            return None
        title = [line for line in above[: named[0][0]] if not line.is_english]
        for _, line in named:
            name = next(dim for rx, dim in _COLUMN_NAMES if rx.fullmatch(line.folded.strip()))
            columns.append((name, None, ""))
        # a unit line under the header (`Người - Person`) belongs to the label
        title = title + [line for line in above[named[-1][0] + 1 :] if not line.is_english]
    if not title:
        return None
    title_text = " ".join(line.text.strip() for line in title[-4:])
    cells = []
    for year, values, first_line, end in rows:
        row_start = lines[first_line].start
        for (dimension, measure, label), raw in zip(columns, values):
            if dimension == "skip" or _NONE.match(raw):
                continue
            column = Column(
                date(year, 1, 1), date(year, 12, 31), "actual", "exact", measure=measure, dimension=dimension
            )
            cells.append(
                TableCell(
                    row_start, lines[end - 1].end, f"{title_text} {label}".strip(), parse_number(raw), "exact", column
                )
            )
    first = min((line.start for line in above), default=lines[i].start)
    return FlatTable(min(first, lines[i].start), lines[j - 1].end, cells), j


def is_table_layout_text(text: str) -> bool:
    """Three or more lines holding nothing but figures, or ending in columns of figures: a table laid out
    one cell per line or in aligned columns, a layout that typesetting, HTML or re-wrapping destroys."""
    folded = fold(text)
    return len(_VALUE_LINE.findall(folded)) + len(_FIGURES_TAIL.findall(folded)) >= 3


def table_spans(text: str) -> list[tuple[int, int]]:
    """Where the flattened tables of a text lie (header to last row), as offsets."""
    return [(t.start, t.end) for t in find_tables(text)]


def _table_at(lines: list[_Line], i: int) -> tuple[FlatTable, int] | None:
    """A table whose header starts at line i: years across, or named columns, then its rows."""
    j, years = i, []
    while j < len(lines) and (found := _years(lines[j].folded)) is not None:
        years.extend(found)
        j += 1
    if len(years) >= 2 and len({y for y, _ in years}) == len(years):
        columns = [_year_column(y, p) for y, p in years]
    elif not years and _COLUMN_NAME.match(lines[i].folded.strip()):
        header = _named_header(lines, i)
        if header is None:
            return None
        names, j = header
        period = _table_period(lines[max(0, i - 8) : i])
        columns = [
            Column(period.start if period else None, period.end if period else None, "actual", "exact", dimension=name)
            for name in names
        ]
    else:
        return None
    cells: list[TableCell] = []
    rows, end = 0, lines[j - 1].end
    by_place = False  # a table by place: the province's row, then its districts'
    title = " ".join(
        line.text.strip() for line in lines[max(0, i - 6) : i] if not line.is_english and _values(line.folded) is None
    )
    while j < len(lines):
        row = _row_at(lines, j, len(columns))
        if row is None:
            break
        label_lines, values, j, complete = row
        end = lines[j - 1].end
        if not complete:
            continue
        rows += 1
        label = " ".join(line.text.strip() for line in label_lines)
        if rows == 1 and _PROVINCE_ROW.match(fold(label)):
            by_place = True
        if by_place:
            if not _PROVINCE_ROW.match(fold(label)):
                continue  # a district's row
            label = f"{title} {label}"
        for column, raw in zip(columns, values):
            if column.dimension == "skip" or _NONE.match(raw):
                continue
            cells.append(TableCell(label_lines[0].start, lines[j - 1].end, label, parse_number(raw), "exact", column))
    if rows < 2:
        return None
    return FlatTable(lines[i].start, end, cells), j


def _named_header(lines: list[_Line], i: int) -> tuple[list[str], int] | None:
    """Column names from line i on (wrapped over lines, each maybe with its English line): the dimension
    of each column, and the line after the header."""
    block, j = [], i
    while j < len(lines) and _values(lines[j].folded) is None and len(block) < 16:
        block.append(lines[j])
        j += 1
    joined, owner = "", []
    for k, line in enumerate(block):
        if line.is_english:
            continue
        joined += line.folded.strip() + " "
        owner.extend([k] * (len(line.folded.strip()) + 1))
    matches = list(_COLUMN_NAME.finditer(joined))
    names = [next(dim for rx, dim in _COLUMN_NAMES if rx.fullmatch(m.group(0))) for m in matches]
    if len(names) < 2 or names[0] != "total":
        return None
    last = owner[matches[-1].end() - 1]
    if any(len(line.text.strip()) > _MAX_HEADER_CELL for line in block[: last + 1]):
        return None  # prose that happens to open with `Tổng số`: a header's cells are short
    while last + 1 < len(block) and block[last + 1].is_english:
        last += 1
    return names, i + last + 1


def _row_at(lines: list[_Line], j: int, width: int):
    """A row at line j: label lines, then values filling the columns. Returns (label lines, values,
    next line, whether the values filled the columns exactly), or None where no row starts."""
    label: list[_Line] = []
    while j < len(lines) and _values(lines[j].folded) is None:
        if len(label) >= _MAX_LABEL_LINES or _years(lines[j].folded):
            return None
        aligned = _ALIGNED_ROW.match(lines[j].text)
        if aligned and len(_values(fold(aligned.group("cells"))) or ()) == width:
            # `WHOLE PROVINCE      71,69      69,81      70,44`: the label's figures on its own line
            line = lines[j]
            label.append(
                _Line(
                    line.start,
                    line.start + aligned.end("label"),
                    aligned.group("label"),
                    line.folded[: aligned.end("label")],
                )
            )
            return label, _values(fold(aligned.group("cells"))), j + 1, True
        label.append(lines[j])
        j += 1
    if not label:
        return None
    values: list[str] = []
    while j < len(lines) and (cells := _values(lines[j].folded)) is not None and len(values) < width:
        values.extend(cells)
        j += 1
    if not values:
        return None
    return label, values, j, len(values) == width
