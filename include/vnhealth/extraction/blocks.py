"""The layout stage: a report's text as blocks in reading order, read once and handed forward.

A block is a table (flattened to one cell per line, found by `layouts.find_tables`, or aligned in
columns, read row by row by `tables.TableReader`), or a line with its heading level, its bullet and
its sentences. The extractor interprets the blocks (section state, binding, kind, period, area);
a new layout family is a new reader here, not a new branch in the binder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from vnhealth.extraction import layouts, tables


@dataclass
class TableBlock:
    cells: list[tables.TableCell]
    whole: bool  # a flattened table, read as a whole (its header years and rows all known)


@dataclass
class LineBlock:
    start: int
    end: int
    level: int | None  # heading level (0 a part, 1 `I.` or capitals, 2 `1.`, ...), None for no heading
    bullet: str | None  # `-`, `+`, `•` opening the line
    sentences: list[tuple[int, int]] = field(default_factory=list)


def read_blocks(text: str, folded: str) -> Iterator[TableBlock | LineBlock]:
    """Blocks of a normalised text and its fold, in reading order."""
    table = tables.TableReader()
    flat_tables = layouts.find_tables(text, folded)
    for line_start, line_end in logical_lines(text, folded):
        line = text[line_start:line_end]
        if not line.strip():
            continue
        while flat_tables and line_start >= flat_tables[0].end:
            flat_tables.pop(0)
        if flat_tables and line_start >= flat_tables[0].start:
            if flat_tables[0].cells:
                yield TableBlock(list(flat_tables[0].cells), whole=True)
                flat_tables[0].cells.clear()
            continue
        if table.header(folded, line_start, line_end):
            continue
        cells = table.row(text, folded, line_start, line_end)
        if cells is not None:
            yield TableBlock(cells, whole=False)
            continue
        fline = folded[line_start:line_end]
        bullet = _BULLET.match(fline)
        yield LineBlock(
            line_start,
            line_end,
            heading_level(fline, line),
            bullet.group(1) if bullet else None,
            list(sentences(text, line_start, line_end)),
        )


# `I.`, `I-`, `II/`, `1.`, `1-`, `2/`, `1.1.`, `a)`, `*`: a heading's marker, then text
_HEADING = re.compile(
    r"^\s*(?:(?P<roman>[ivx]+)[.\-/)]|(?P<num>\d+(?:\.\d+)*)[.)\-/]?|(?P<letter>[a-zđ])[.)]|"
    r"(?P<star>\*+\.?))\s+\S"
)
_PART_HEADING = re.compile(r"^\s*phần\s+(?:thứ\s+(?:nhất|hai|ba|tư|năm|sáu|\d+)|[ivx]+|\d+)(?![\w])")
_BULLET = re.compile(r"^\s*([-+•–*]+)\s*")

# Not after `TP.` or a title (`TP. Hồ Chí Minh`, `PGS. TS. Nguyễn Văn A`).
_NOT_SENTENCE_ENDS = ("TP", "Tp", "tp", "TS", "GS", "ThS", "PGS", "BSCKI", "BSCKII")
_SENTENCE_END = re.compile(
    r"(?<=[.!?…])" + "".join(rf"(?<!\W{a}\.)(?<!^{a}\.)" for a in _NOT_SENTENCE_ENDS) + r"\s+(?=[\"“(]?[A-ZĐÀ-Ỹ0-9*+-])"
)


def logical_lines(text: str, folded: str) -> Iterator[tuple[int, int]]:
    """Lines, with a line that stops mid-phrase joined to the short text line that completes it."""
    spans = []
    pos = 0
    for raw in text.split("\n"):
        spans.append((pos, pos + len(raw)))
        pos += len(raw) + 1
    i = 0
    while i < len(spans):
        start, end = spans[i]
        j = i
        while True:
            line = text[start:end].rstrip()
            if not line or line[-1] in ".:;!?)" or _HEADING.match(folded[start:end]):
                break
            k = j + 1
            while k < len(spans) and not text[spans[k][0] : spans[k][1]].strip():
                k += 1
            if k >= len(spans) or k - j > 3:
                break
            nxt = text[spans[k][0] : spans[k][1]].strip()
            if not nxt or not nxt[0].isalpha() or not re.match(r"^\w+\s*:", nxt):
                break
            end, j = spans[k][1], k
        yield start, end
        i = j + 1


def heading_level(folded_line: str, line: str) -> int | None:
    stripped = line.strip()
    if not stripped or len(stripped) > 200:
        return None
    if _PART_HEADING.match(folded_line):
        return 0  # `Phần thứ hai: Phương hướng, nhiệm vụ năm 2025`, `PHẦN II`: a part of the report
    m = _HEADING.match(folded_line)
    if m:
        if m.group("roman"):
            return 1
        if m.group("num"):
            return 2 + m.group("num").count(".")
        if m.group("letter"):
            # `A. KẾT QUẢ THỰC HIỆN` (a capital and a full stop) sits above `I.`; `a)` below `1.`.
            return 0 if stripped[0].isupper() and folded_line.lstrip()[1:2] == "." else 6
        if m.group("star") and not stripped.endswith(".") and ":" not in stripped[:-1]:
            return 7
        return None
    # An all-capitals line is a top heading; `folded_line != line` is a cheap first test (lower case folds to itself).
    if folded_line.rstrip() != line.rstrip() and stripped.isupper() and sum(c.isalpha() for c in stripped) >= 6:
        return 1
    return None


def sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.start() > pos:
            yield pos, m.start()
        pos = m.end()
    if end > pos:
        yield pos, end
