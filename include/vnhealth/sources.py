"""Where reports come from: sources declared in one YAML file, validated on load.

Types: `directory` (a folder and glob patterns), `http_index` (a page whose links point at
reports) and `http_list` (explicit URLs). Each yields `Candidate`s: small references that a
landing task turns into archived bytes.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SOURCE_TYPES = {"directory", "http_index", "http_list"}
# every format the document reader reads
SUPPORTED_PATTERNS = ["*.txt", "*.html", "*.htm", "*.docx", "*.doc", "*.pdf", "*.xlsx", "*.xls"]
# the links of an HTTP index page taken by default: the same formats
DEFAULT_LINK_PATTERN = r"\.(?:" + "|".join(p.removeprefix("*.") for p in SUPPORTED_PATTERNS) + r")$"


def matches(source: "Source", name: str) -> bool:
    return any(
        fnmatch.fnmatch(name.lower(), pat.lower()) for pat in source.settings.get("patterns", SUPPORTED_PATTERNS)
    )


class SourceConfigError(ValueError):
    """The sources file is missing, malformed or names an unknown type or setting."""


@dataclass(frozen=True)
class Source:
    name: str
    type: str
    settings: dict[str, Any]
    defaults: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Candidate:
    source: str
    location: str  # absolute path or URL
    stamp: str | None = None  # a file's size and mtime: unchanged since the version we hold, it is not read again


_REQUIRED = {"directory": ["path"], "http_index": ["url"], "http_list": ["urls"]}


def load_sources(path: Path) -> list[Source]:
    if not path.exists():
        raise SourceConfigError(f"sources file not found: {path}")
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise SourceConfigError(f"{path}: not valid YAML: {exc}") from exc
    entries = doc.get("sources")
    if not isinstance(entries, list) or not entries:
        raise SourceConfigError(f"{path}: expected a non-empty list under `sources:`")
    out, names = [], set()
    for i, entry in enumerate(entries):
        where = f"{path}: sources[{i}]"
        if not isinstance(entry, dict):
            raise SourceConfigError(f"{where}: expected a mapping")
        name, kind = entry.get("name"), entry.get("type")
        if not name or not re.fullmatch(r"[a-z0-9_\-]+", str(name)):
            raise SourceConfigError(f"{where}: `name` must be lower-case letters, digits, - or _")
        if name in names:
            raise SourceConfigError(f"{where}: duplicate source name {name!r}")
        if kind not in SOURCE_TYPES:
            raise SourceConfigError(f"{where} ({name}): unknown type {kind!r}; expected one of {sorted(SOURCE_TYPES)}")
        settings = {k: v for k, v in entry.items() if k not in ("name", "type", "defaults")}
        for key in _REQUIRED[kind]:
            if key not in settings:
                raise SourceConfigError(f"{where} ({name}): type {kind} needs `{key}`")
        defaults = entry.get("defaults") or {}
        if not isinstance(defaults, dict) or set(defaults) - {"province", "issuing_body"}:
            raise SourceConfigError(f"{where} ({name}): `defaults` may set only province and issuing_body")
        if kind == "directory":
            base = Path(settings["path"])
            settings["path"] = str(base if base.is_absolute() else (path.parent / base).resolve())
            settings.setdefault("patterns", SUPPORTED_PATTERNS)
        names.add(name)
        out.append(Source(str(name), kind, settings, {k: str(v) for k, v in defaults.items()}))
    return out


def discover(source: Source) -> list[Candidate]:
    """Every report location the source currently offers, in a stable order."""
    if source.type == "directory":
        root = Path(source.settings["path"])
        if not root.is_dir():
            raise SourceConfigError(f"source {source.name}: folder not found: {root}")
        found = []
        for p in sorted(root.rglob("*")):
            # every file, those matching no pattern too: landing records them as unsupported_format
            if p.is_file():
                st = p.stat()
                # as found; landing rejects links leading out
                found.append(Candidate(source.name, str(p), f"size={st.st_size};mtime_ns={st.st_mtime_ns}"))
        return found
    from vnhealth.fetching import offered_urls  # HTTP only when a source needs it

    return [Candidate(source.name, url) for url in offered_urls(source, DEFAULT_LINK_PATTERN)]
