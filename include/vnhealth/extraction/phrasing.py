"""The small syntax in which `data/phrasings.yml` writes how reports name an indicator.

A form is written as a report spells it, with four marks (see the head of the data file):
`[a|b]` may be left out, `(a|b)` one of these, `…` a few words within the clause, `#` a number, and a comma that
reports may leave out (`khám, chữa bệnh` also reads `khám chữa bệnh`); a space beside an optional
part or a slash may be missing. A form given as a mapping may add `followed_by`, `not_followed_by`,
`not_preceded_by` (lists of forms)
`opens_line: true` (the form opens a line, as a table row's label does) and `label: true` (it opens a
line as a label: `- Bác sĩ: 1.082`). `re:` is an escape hatch
for what these cannot say; the data file keeps it rare.
"""

from __future__ import annotations

import re

GAP = r"[^.;:%\n]{0,40}"
NUMBER = r"\d[\d.,]*"
_LABEL_OPEN = r"(?<![^\n])\s*[-+•*]?\s*"
_LABEL_CLOSE = r"(?= ?[:(-])"


class PhrasingError(ValueError):
    """A form of the data file that does not parse: it names the form, so the fix is one line."""


def _parse(form: str, i: int, closer: str | None) -> tuple[list[list[str]], int]:
    """Alternatives of a sequence up to `closer`: each a list of regex pieces, spaces kept as ' '."""
    alternatives: list[list[str]] = [[]]
    while i < len(form):
        ch = form[i]
        if closer is not None and ch == closer:
            return alternatives, i + 1
        if ch in "[(":
            inner, i = _parse(form, i + 1, "]" if ch == "[" else ")")
            body = "|".join("".join(_spaced(a)) for a in inner)
            # `(theo|/)`: an alternative that is a slash makes the spaces beside the group optional too
            slashed = ch == "(" and any("".join(a).strip() == "/" for a in inner)
            alternatives[-1].append(
                ("\0opt" if ch == "[" or slashed else "\0grp") + body + ("\0req" if slashed else "")
            )
            continue
        if ch in "])":
            raise PhrasingError(f"unbalanced {ch!r} in form {form!r}")
        if ch == "|":
            if closer is None:
                raise PhrasingError(f"`|` outside brackets in form {form!r}: write one form per line")
            alternatives.append([])
        elif ch == "…":
            alternatives[-1].append("\0gap")
        elif ch == "#":
            alternatives[-1].append("\0num")
        else:
            alternatives[-1].append(ch)
        i += 1
    if closer is not None:
        raise PhrasingError(f"missing {closer!r} in form {form!r}")
    return alternatives, i


def _spaced(pieces: list[str]) -> list[str]:
    """Regex of one alternative. A space between two words is a space; one beside an optional part,
    a slash, a gap or a comma may be missing (`bác sĩ/10.000 dân`, `[tỷ lệ] xã` read as `xã`)."""

    def plain(k: int) -> bool:
        return 0 <= k < len(pieces) and not pieces[k].startswith("\0opt") and pieces[k] not in ("/", ",", "\0gap")

    out: list[str] = []
    for k, p in enumerate(pieces):
        if p.endswith("\0req"):
            out.append(f"(?:{p[4:-4]})")
        elif p.startswith("\0opt"):
            out.append(f"(?:{p[4:]})?")
        elif p.startswith("\0grp"):
            out.append(f"(?:{p[4:]})")
        elif p == "\0gap":
            out.append(GAP)
        elif p == "\0num":
            out.append(NUMBER)
        elif p == " ":
            if k == 0 or k == len(pieces) - 1 or pieces[k - 1] == " ":
                continue
            out.append(" " if plain(k - 1) and plain(k + 1) else " ?")
        elif p == ",":
            out.append(",?")
        else:
            out.append(re.escape(p))
    return out


def form_pattern(form: str) -> str:
    """The regex of one plain form (`[tỷ lệ|số] (bác sĩ|bs) / (10.000|vạn) dân`)."""
    text = " ".join(form.split())
    if text.startswith("re:"):
        return text[3:].strip()
    alternatives, _ = _parse(text, 0, None)
    return "".join(_spaced(alternatives[0]))


def entry_pattern(entry: str | dict) -> str:
    """The regex of a form as the data file gives it: a string, or a mapping with its conditions."""
    if isinstance(entry, str):
        return form_pattern(entry)
    unknown = set(entry) - {
        "form",
        "example",
        "value",
        "followed_by",
        "not_followed_by",
        "not_preceded_by",
        "label",
        "opens_line",
    }
    if unknown or "form" not in entry:
        raise PhrasingError(f"form entry {entry!r}: unknown keys {sorted(unknown)} or no `form`")
    body = form_pattern(entry["form"])
    before = "".join(f"(?<!{re.escape(' '.join(p.split()))} )" for p in entry.get("not_preceded_by", ()))
    after = "".join(f"(?! ?{form_pattern(p)})" for p in entry.get("not_followed_by", ()))
    if entry.get("followed_by"):
        after += "(?= ?(?:" + "|".join(form_pattern(p) for p in entry["followed_by"]) + "))"
    if entry.get("label"):
        return _LABEL_OPEN + before + body + after + _LABEL_CLOSE
    if entry.get("opens_line"):
        return _LABEL_OPEN + before + body + after
    return before + body + after


def form_of(entry: str | dict) -> str:
    return entry if isinstance(entry, str) else entry["form"]
