"""Normalising Vietnamese text, and a same-length folded copy for matching.

Evidence is quoted from the normalised text (NFC, LF line ends, no NBSP or tabs), so offsets are
stable. Matching runs on `fold(text)`, which has exactly the same length: lower case, modern tone
placement (`hoá` → `hóa`, `thuỷ` → `thủy`) and toned `y` read as `i` (`bác sỹ` = `bác sĩ`), so a
pattern written once matches every spelling.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")  # and the soft hyphen Word and PDFs hide in words

# Old-style tone on the second vowel of an open `oa`/`oe`/`uy` → modern style on the first.
_TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}


def normalize(text: str) -> str:
    """The canonical text evidence is quoted from."""
    text = _ZERO_WIDTH.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    return unicodedata.normalize("NFC", text)


# A line that starts a new block: a bullet, `1.`, `1.1)`, `II.`, `a)`, a table row (not `2019.`, a year a wrap
# put first).
_BLOCK_START = re.compile(r"^(?:[-+•*–]|\d{1,2}(?:\.\d+)*[.)\-/](?:\s|$)|[IVXLC]+[.\-/)]\s|[a-zđ]\)\s|\||(?i:phần)\s)")
_ALIGNED = re.compile(r"\S {3,}\S")


def _continues(previous: str, line: str, full_width: float) -> bool:
    """Whether `line` carries on the sentence `previous` broke off (a PDF text layer's line wrap)."""
    prev, nxt = previous.rstrip(), line.strip()
    if not prev or not nxt or prev[-1] in ".!?…" or "|" in prev:
        return False
    if prev[-1] in "<>≤≥=" and nxt[0].isdigit() or prev[-1] == "/":
        return True  # `... dưới 5 tuổi: <` / `20%.`, `7,1 bác sỹ/` / `10.000 dân`
    if prev.count("(") > prev.count(")") and not _BLOCK_START.match(nxt):
        return True  # `(Đạt chỉ tiêu` / `Nghị quyết năm 2025: 68%)`: an open parenthesis carries on
    if _BLOCK_START.match(nxt) or _ALIGNED.search(prev) or _ALIGNED.search(nxt):
        return False
    full = len(prev) >= full_width  # the line ran to the margin, so the text wrapped there
    if prev[-1] == ":":
        # `(Đạt mục tiêu đề ra năm 2024:` / `72%)`: a label's figure on the next line; `từng vấn đề:` / `đề
        # nghị ...`: a lower-case carry-on; a colon at the margin wrapped there
        return nxt[0].isdigit() or nxt[0].islower() or full
    if prev[-1] == ";":
        # a wrapped list of clauses; in text with no margin (full_width infinite) any lower-case carry-on
        return (full or full_width == float("inf")) and nxt[0].islower()
    if nxt[0] == "(" and not _ENUMERATOR.match(nxt) and (prev[-1].isdigit() or prev[-1] == "%" or prev[-1].islower()):
        return True  # `... đạt 33,5` / `(KH: 33).`: a figure's parenthesis
    if nxt[0].islower() or prev[-1] == ",":
        return True
    if full and not (nxt.isupper() and not prev.isupper()):
        return True  # `... Giám đốc Sở` / `Y tế đã báo cáo ...`: a capital after a wrap is a name
    # `ghi nhận` / `2.315 ca`, `Tỷ lệ bao phủ BHYT` / `93,5%`: a figure after a word (not after a heading in capitals)
    return nxt[0].isdigit() and prev[-1].isalpha() and (prev[-1].islower() or not prev.isupper())


_ENUMERATOR = re.compile(r"\((?:\d+|[a-zđ]|[ivx]+)\)")  # `(1)`, `(a)`, `(ii)` start an item
_JUSTIFIED_GAP = re.compile(r"(?<=\S)  (?=\S)")


def _unjustify(line: str) -> str:
    """`Tỉnh  Ninh  Bình  sau  hợp  nhất`: a justified line whose text layer doubled its spaces."""
    gaps = line.strip().count(" ")
    doubled = len(_JUSTIFIED_GAP.findall(line))
    if doubled >= 4 and 2 * doubled >= gaps - doubled and not _ALIGNED.search(line):
        return _JUSTIFIED_GAP.sub(" ", line)
    return line


def unwrap_lines(text: str, hard_wrapped: bool = True, keep: list[tuple[int, int]] | tuple = ()) -> str:
    """Paragraphs out of hard-wrapped lines: `... tỷ lệ bao phủ bảo hiểm y tế\nđạt 93,5%` is one sentence.
    `hard_wrapped=False` (a text file not laid out at a fixed width) joins only the lines that cannot
    start anything (a lower-case word, a figure after a word or a label's colon, after a comma).
    Lines that start inside a `keep` span (a table laid out one cell per line) are left as they are."""
    raw_lines = text.split("\n")
    kept: set[int] = set()
    if keep:
        pos = 0
        for n, line in enumerate(raw_lines):
            if any(a <= pos < b for a, b in keep):
                kept.add(n)
            pos += len(line) + 1
    lines = [_unjustify(line) for line in raw_lines] if hard_wrapped else raw_lines
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    # The page's width: a line at least 85% as long as the longest ordinary lines ran to the margin.
    full_width = 0.85 * lengths[int(0.9 * (len(lengths) - 1))] if hard_wrapped and len(lengths) >= 5 else float("inf")
    out: list[str] = []
    for n, line in enumerate(lines):
        if out and n not in kept and n - 1 not in kept and _continues(out[-1], line, full_width):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(raw_lines[n] if n in kept else line)
    return "\n".join(out)


def join_lowercase_carry_ons(text: str, keep: list[tuple[int, int]] | tuple = ()) -> str:
    """A paragraph of a Word file or a web page that opens in lower case carries on the one before it
    (a line broken by hand inside a sentence); nothing else is joined. Lines inside `keep` stay."""
    out: list[str] = []
    pos = 0
    for line in text.split("\n"):
        kept = any(a <= pos < b for a, b in keep)
        prev = out[-1].rstrip() if out else ""
        nxt = line.strip()
        if prev and nxt and not kept and nxt[0].islower() and prev[-1] not in ".!?…:;" and "|" not in prev:
            out[-1] = prev + " " + nxt
        else:
            out.append(line)
        pos += len(line) + 1
    return "\n".join(out)


def looks_hard_wrapped(text: str) -> bool:
    """Most long lines end mid-sentence: text laid out at a fixed width (a PDF's text saved as .txt)."""
    long_lines = [ln.rstrip() for ln in text.split("\n") if len(ln.strip()) >= 50]
    if len(long_lines) < 5:
        return False
    open_ended = sum(1 for ln in long_lines if ln[-1] not in ".:;!?")
    return open_ended >= 0.6 * len(long_lines)


def _build_tone_map() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in _TONES:
            old = first + unicodedata.normalize("NFC", second + tone)
            new = unicodedata.normalize("NFC", first + tone) + second
            mapping[old] = new
    return mapping


_TONE_MAP = _build_tone_map()
_TONE_MAP.update({k[0].upper() + k[1:]: v[0].upper() + v[1:] for k, v in list(_TONE_MAP.items())})
_TONE_MAP.update({k.upper(): v.upper() for k, v in list(_TONE_MAP.items())})
_TONE_MAP.update({k[0] + k[1:].upper(): v[0] + v[1:].upper() for k, v in list(_TONE_MAP.items()) if k.islower()})
# Character classes instead of a case-insensitive alternation: the same matches, many times faster.
_OLD_TONE = re.compile(
    r"(?<![qQ])(?:[oO]["
    + "".join(
        unicodedata.normalize("NFC", v + t) + unicodedata.normalize("NFC", v + t).upper() for v in "ae" for t in _TONES
    )
    + r"]|[uU]["
    + "".join(unicodedata.normalize("NFC", "y" + t) + unicodedata.normalize("NFC", "y" + t).upper() for t in _TONES)
    + r"])(?![a-zà-ỹđA-ZÀ-ỸĐ])"
)
# Toned y read as i; markdown emphasis read as space.
_Y_TO_I_MAP = {"ý": "í", "ỳ": "ì", "ỷ": "ỉ", "ỹ": "ĩ", "ỵ": "ị", "*": " "}
_Y_TO_I_RX = re.compile("[" + re.escape("".join(_Y_TO_I_MAP)) + "]")


def modern_tones(text: str) -> str:
    """`Thanh Hoá` → `Thanh Hóa`; length-preserving on NFC text."""
    if not _OLD_TONE.search(text):
        return text
    return _OLD_TONE.sub(lambda m: _TONE_MAP[m.group(0)], text)


def fold(text: str) -> str:
    """A same-length matching key of normalised text."""
    folded = modern_tones(text).lower()
    if len(folded) != len(text):  # lower() can change length for a few non-Vietnamese letters
        folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in modern_tones(text))
    # A substitution over the few matching characters: str.translate walks every character in Python's
    # slow path for non-ASCII text, seven times slower here.
    return _Y_TO_I_RX.sub(lambda m: _Y_TO_I_MAP[m.group()], folded)


# The reports in hand (a report's metadata is read just before its figures): two, so that a huge text's
# copies are not kept long.
DOCUMENT_CACHE_SIZE = 2


@lru_cache(maxsize=DOCUMENT_CACHE_SIZE)
def fold_document(text: str) -> str:
    """`fold` of a whole report, computed once: reading its metadata and extracting its figures fold the
    same text (and find the same provinces and period, cached beside it)."""
    return fold(text)


def nfc_modern(text: str) -> str:
    """Names (provinces, facilities) as the contract spells them: NFC, modern tone placement."""
    return modern_tones(normalize(text))


_Y_ONLY = str.maketrans({"ý": "í", "ỳ": "ì", "ỷ": "ỉ", "ỹ": "ĩ", "ỵ": "ị"})


def fold_pattern(pattern: str) -> str:
    """A regular expression written in natural spelling, folded like the text it will search."""
    return modern_tones(unicodedata.normalize("NFC", pattern)).lower().translate(_Y_ONLY)


def trie_pattern(words: list[str]) -> str:
    """An alternation of literal words as a trie (`hà (?:giang|nam|nội|tĩnh)`): the same matches as
    longest-first `a|b|c`, several times faster, because Python's engine does not factor prefixes."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        if "" in node and len(node) == 1:
            return ""
        alternatives = [re.escape(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return build(trie)
