"""Vietnam's provinces before and after the 1 July 2025 merger, from the `vietnamadminunits` package
(MIT licence; the national list of administrative units with its two-digit codes, and the merger's
province mapping), so that the project's province list (data/provinces.csv, the dbt seed) is checked
against a maintained source rather than typed by hand.

`python -m vnhealth.admin_units` prints the list in the seed's columns; tests compare it with the file.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import sys
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

PROVINCES_FILE = Path(__file__).parent / "data" / "provinces.csv"
COLUMNS = (
    "province_code",
    "province_name",
    "successor_code",
    "successor_name",
    "is_merged_away",
    "valid_from_date",
    "valid_to_date",
    "official_code",
    "official_name",
    "name_ascii",
    "successor_official_code",
    "successor_official_name",
    "successor_short_name",
    "successor_name_ascii",
)
MERGER_DATE = "2025-07-01"


@dataclass(frozen=True)
class Unit:
    key: str  # the package's key, e.g. `tinhnghean`
    code: str  # the two-digit official code, e.g. `40`
    official_name: str  # `Tỉnh Nghệ An`, `Thành phố Huế`
    short_name: str  # `Nghệ An`


def ascii_name(name: str) -> str:
    """`Thừa Thiên Huế` → `Thua Thien Hue` (đ → d, marks dropped)."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def _units(table: str) -> dict[str, Unit]:
    db = resources.files("vietnamadminunits").joinpath("data/dataset.db")
    with resources.as_file(db) as path, sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            f"select distinct provinceKey, provinceCode, province, provinceShort from {table}"
        ).fetchall()
    return {key: Unit(key, code, name, short) for key, code, name, short in rows}


def package_provinces() -> tuple[dict[str, Unit], dict[str, Unit], dict[str, str]]:
    """The 63 units before the merger, the 34 after it, and each old unit's successor (old key → new key)."""
    from vietnamadminunits.converter.converter_2025 import DICT_PROVINCE

    old, new = _units("admin_units_legacy"), _units("admin_units")
    successor = {old_key: new_key for new_key, old_keys in DICT_PROVINCE.items() for old_key in old_keys}
    return old, new, successor


def _slug(name: str) -> str:
    return "_".join(ascii_name(name).lower().replace("-", " ").split())


def expected_rows(current: list[dict[str, str]]) -> list[dict[str, str]]:
    """The seed's rows with every column the package fixes (codes, official names, successors) taken
    from it; the project's own columns (its snake-case key and the name reports use, e.g.
    `Thừa Thiên Huế` for what the list now calls Huế) are kept, matched by their ASCII name."""
    old, new, successor = package_provinces()
    by_slug = {_slug(unit.short_name): unit for unit in old.values()}
    aliases = {"thua_thien_hue": "hue"}  # renamed Thành phố Huế on 1 January 2025
    rows = []
    for row in current:
        unit = by_slug[aliases.get(row["province_code"], row["province_code"])]
        heir = new[successor[unit.key]]
        heir_row = (
            next(r for r in current if by_slug[aliases.get(r["province_code"], r["province_code"])].key == heir.key)
            if heir.key in old
            else None
        )
        successor_code = heir_row["province_code"] if heir_row else _slug(heir.short_name)
        merged_away = unit.key != heir.key
        rows.append(
            {
                "province_code": row["province_code"],
                "province_name": row["province_name"],
                "successor_code": successor_code,
                "successor_name": heir_row["province_name"] if heir_row else heir.short_name,
                "is_merged_away": "true" if merged_away else "false",
                "valid_from_date": "",
                "valid_to_date": "2025-06-30",
                "official_code": unit.code,
                "official_name": unit.official_name,
                "name_ascii": ascii_name(row["province_name"]),
                "successor_official_code": heir.code,
                "successor_official_name": heir.official_name,
                "successor_short_name": heir.short_name,
                "successor_name_ascii": ascii_name(heir.short_name),
            }
        )
    return rows


def read_rows(path: Path = PROVINCES_FILE) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


def render(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


if __name__ == "__main__":
    sys.stdout.write(render(expected_rows(read_rows())))
