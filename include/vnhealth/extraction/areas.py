"""Which province a figure is about: the 63 provinces before the 1 July 2025 merger (the 34 after
it are among them), with common aliases, matched in folded text."""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from vnhealth.text import DOCUMENT_CACHE_SIZE, fold, fold_document, trie_pattern

# The one list of provinces (data/provinces.csv, which the dbt project seeds through a link): the 63
# before the merger, the 34 after it among them.
PROVINCES_63 = [
    row["province_name"]
    for row in csv.DictReader(
        (Path(__file__).parents[1] / "data" / "provinces.csv").read_text(encoding="utf-8").splitlines()
    )
]
ALIASES = {
    "TP.HCM": "Hồ Chí Minh",
    "TP. HCM": "Hồ Chí Minh",
    "TPHCM": "Hồ Chí Minh",
    "TP Hồ Chí Minh": "Hồ Chí Minh",
    "Thành phố Hồ Chí Minh": "Hồ Chí Minh",
    "Sài Gòn": "Hồ Chí Minh",
    "Huế": "Thừa Thiên Huế",
    "Bà Rịa Vũng Tàu": "Bà Rịa - Vũng Tàu",
    "Bà Rịa-Vũng Tàu": "Bà Rịa - Vũng Tàu",
    "Bà Rịa – Vũng Tàu": "Bà Rịa - Vũng Tàu",
    "Đắc Lắc": "Đắk Lắk",
    "Daklak": "Đắk Lắk",
    "Đăk Lăk": "Đắk Lắk",
    "Đắk Nông": "Đắk Nông",
    "Đăk Nông": "Đắk Nông",
    "Bắc Cạn": "Bắc Kạn",
    "Kontum": "Kon Tum",
    "TP HCM": "Hồ Chí Minh",
    "Tp.HCM": "Hồ Chí Minh",
    "Bà Rịa–Vũng Tàu": "Bà Rịa - Vũng Tàu",
    "BR-VT": "Bà Rịa - Vũng Tàu",
    "BRVT": "Bà Rịa - Vũng Tàu",
    "Đắc Lắk": "Đắk Lắk",
    "Đắk Lăk": "Đắk Lắk",
    "Đắc Nông": "Đắk Nông",
    "Thừa Thiên-Huế": "Thừa Thiên Huế",
}
NATIONAL = re.compile(r"(?<![\w])(?:cả nước|toàn quốc|bình quân chung|trung bình chung)(?![\w])")
_STRONG_PREFIX = re.compile(r"(?:tỉnh|thành phố|tp\.?|sở y tế|ngành y tế|ubnd tỉnh)\s*$")


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {fold(p): p for p in PROVINCES_63}
    names.update({fold(alias): canonical for alias, canonical in ALIASES.items()})
    alternation = trie_pattern(sorted(names))
    # `Tây Thái Bình Dương` is the Pacific, not a province
    return re.compile(r"(?<![\w])(?<!thái )(?:" + alternation + r")(?![\w])(?! dương)"), names


def find_provinces(
    folded: str, start: int = 0, end: int | None = None, text: str | None = None
) -> list[tuple[int, str]]:
    """(offset, canonical province) for each mention in folded[start:end]; given the unfolded `text`,
    only names written with a capital (`giữ vững hòa bình` is peace, not Hòa Bình)."""
    rx, names = _pattern()
    end = len(folded) if end is None else end
    return [
        (m.start(), names[m.group(0)])
        for m in rx.finditer(folded, start, end)
        if text is None or not text[m.start()].islower()
    ]


def without_provinces(folded: str) -> str:
    """The text with its province names blanked out."""
    return _pattern()[0].sub(" ", folded)


def resolve_name(name: str) -> str | None:
    """A province name or alias as written → its canonical spelling, or None if unknown."""
    rx, names = _pattern()
    key = fold(name.strip())
    if key in names:
        return names[key]
    key = re.sub(r"^(?:tỉnh|thành phố|tp\.?)\s*", "", key)  # `TP. Hồ Chí Minh`, `tỉnh Nghệ An`
    key = re.sub(r"\s*-\s*", " ", key)  # `Thừa Thiên - Huế`
    return names.get(key) or names.get(key.replace(" ", " - ", 1))


@lru_cache(maxsize=DOCUMENT_CACHE_SIZE)
def document_mentions(text: str) -> tuple[tuple[int, str], ...]:
    """Every province mention of a whole report (`find_provinces` over its fold), found once for its
    metadata and its figures."""
    return tuple(find_provinces(fold_document(text), text=text))


def document_area(text: str) -> str | None:
    """The province a whole report is about: the most mentioned, `tỉnh X` counting double and
    `SỞ Y TẾ TỈNH X` in the issuer's header and title (the first lines) five times."""
    folded = fold_document(text)
    head_end = _head_end(folded)
    votes: Counter[str] = Counter()
    for offset, name in document_mentions(text):
        strong = bool(_STRONG_PREFIX.search(folded[max(0, offset - 15) : offset]))
        votes[name] += (5 if offset < head_end else 2) if strong else 1
    if not votes:
        return None
    (best, count), *rest = votes.most_common(2) + [(None, 0)]
    return best


def _head_end(folded: str, lines: int = 6) -> int:
    """Where the issuer's header and the title end: the first lines, up to the first that reads as
    prose (ends in a full stop or runs past 300 characters)."""
    pos = 0
    for _ in range(lines):
        while folded.startswith("\n", pos):
            pos += 1
        nxt = folded.find("\n", pos)
        line = folded[pos : nxt if nxt >= 0 else len(folded)].rstrip()
        if line.endswith(".") or len(line) > 300:
            return pos
        if nxt < 0:
            return len(folded)
        pos = nxt + 1
    return pos
