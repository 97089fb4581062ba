"""Vietnamese typed in the legacy font encodings (TCVN3, VNI): recognised and converted to Unicode.

Both are fixed character maps (`data/legacy_fonts.yml`), so conversion is exact; the report keeps
`encoding = 'tcvn3'` or `'vni'` so an auditor knows its text went through one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from vnhealth.text import trie_pattern

DATA = Path(__file__).parent / "data" / "legacy_fonts.yml"
FONTS = ("tcvn3", "vni")

_LETTER = re.compile(r"[^\W\d_]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_VIETNAMESE_ONLY = re.compile(r"[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def font_tables() -> dict[str, dict]:
    """Each font's entry of the data file, with `to_unicode`: its spelling -> the Unicode letter."""
    fonts = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    for font in fonts.values():
        table = {legacy: letter for family in font["letters"].values() for letter, legacy in family.items()}
        if font["capitals"] == "upper":
            table.update({legacy.upper(): letter.upper() for legacy, letter in list(table.items())})
        font["to_unicode"] = table
    return fonts


@lru_cache(maxsize=None)
def _spellings(font: str) -> re.Pattern[str]:
    # Longest spelling first at each position (`ôù` before `ô` in VNI), as one trie-shaped alternation.
    return re.compile(trie_pattern(sorted(font_tables()[font]["to_unicode"], key=len, reverse=True)))


@lru_cache(maxsize=1)
def _tcvn3_codes() -> frozenset[str]:
    return frozenset(font_tables()["tcvn3"]["to_unicode"])


def detect(text: str) -> str | None:
    """`'tcvn3'` or `'vni'` when the text reads as Vietnamese typed in that font, else None."""
    text = text[:20000]  # a sample is enough, and keeps this cheap on large files
    if len(_VIETNAMESE_ONLY.findall(text, 0, 4000)) >= 20:
        return None  # plainly Unicode Vietnamese: the common case, decided on the first lines
    letters = len(_LETTER.findall(text))
    if letters < 40 or len(_ASCII_LETTER.findall(text)) < 0.5 * letters:
        return None  # legacy-font prose is mostly plain ASCII letters; random high bytes are not
    # Vietnamese letters outside Latin-1: text in a legacy font encoding, read as 8-bit, has none.
    if len(_VIETNAMESE_ONLY.findall(text)) >= 0.01 * letters:
        return None
    codes = _tcvn3_codes()
    markers = [i for i, c in enumerate(text) if c in codes]
    if len(markers) <= 0.03 * letters:
        return None
    # VNI spells a toned vowel as the plain vowel plus a Latin-1 letter (`baùc`: one of its two-letter
    # spellings); TCVN3 replaces the vowel itself (`b¸c`) and has no such pairs.
    pairs = len(_vni_pairs().findall(text))
    return "vni" if pairs > 0.3 * len(markers) else "tcvn3"


@lru_cache(maxsize=1)
def _vni_pairs() -> re.Pattern[str]:
    pairs = [s for s in font_tables()["vni"]["to_unicode"] if len(s) > 1]
    return re.compile(trie_pattern(sorted(pairs, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _vietnamese_letters() -> frozenset[str]:
    lower = {letter for letter in font_tables()["tcvn3"]["to_unicode"].values()}
    return frozenset(lower | {c.upper() for c in lower} | {c.lower() for c in lower})


_TYPOGRAPHY = set("\u00a0“”‘’–—…•°±«»²³½¼¾×≤≥")


def stray_share(text: str) -> float:
    """Characters outside ASCII that are neither Vietnamese letters nor common typography, per letter:
    near 0 for Vietnamese in any Unicode form, high for a legacy font read in the wrong code page."""
    sample = text[:20000]
    letters = sum(1 for c in sample if c.isalpha()) or 1
    vietnamese = _vietnamese_letters()
    stray = sum(1 for c in sample if c > "\x7f" and c not in vietnamese and c not in _TYPOGRAPHY)
    return stray / letters


def to_unicode(text: str, font: str) -> str:
    """The text with every spelling of `font` replaced by its Unicode letter."""
    table = font_tables()[font]["to_unicode"]
    if font_tables()[font]["capitals"] == "caps_font":
        return "\n".join(_caps_font_line(line, table, _spellings(font)) for line in text.split("\n"))
    return _spellings(font).sub(lambda m: table[m.group()], text)


def _caps_font_line(line: str, table: dict[str, str], spellings: re.Pattern[str]) -> str:
    """A line or a word typed in the capital font has ASCII capitals and no ASCII lower case: its
    converted letters are capitals too (`B¸O C¸O` -> `BÁO CÁO`, while `Tû lÖ` stays `Tỷ lệ`)."""
    converted = spellings.sub(lambda m: table[m.group()], line)
    ascii_letters = _ASCII_LETTER.findall(line)
    if len(ascii_letters) >= 3 and not any(c.islower() for c in ascii_letters):
        return converted.upper()

    def word(m: re.Match[str]) -> str:
        w = m.group()
        plain = _ASCII_LETTER.findall(w)
        return w.upper() if len(plain) >= 2 and not any(c.islower() for c in plain) else w

    return _WORD.sub(word, converted)


def from_unicode(text: str, font: str) -> str:
    """Unicode text as the font spells it: how test files in these fonts are made."""
    font_entry = font_tables()[font]
    spelling = {letter: code for family in font_entry["letters"].values() for letter, code in family.items()}
    out = []
    for ch in text:
        if ch in spelling:
            out.append(spelling[ch])
        elif ch.lower() in spelling:  # VNI spells capitals in capitals; TCVN3 leaves them to the capital font
            code = spelling[ch.lower()]
            out.append(code.upper() if font_entry["capitals"] == "upper" else code)
        else:
            out.append(ch)
    return "".join(out)
