"""The province list (data/provinces.csv, the dbt seed) against a maintained source: the national list
of administrative units and the 2025 merger as the `vietnamadminunits` package carries them."""

from vnhealth.admin_units import PROVINCES_FILE, ascii_name, expected_rows, package_provinces, read_rows, render


def test_the_seed_is_what_the_package_says():
    rows = read_rows()
    assert PROVINCES_FILE.read_text(encoding="utf-8") == render(expected_rows(rows)), (
        "regenerate with `python -m vnhealth.admin_units > include/vnhealth/data/provinces.csv` and review the diff"
    )


def test_63_provinces_merge_into_34_with_official_codes():
    rows = read_rows()
    old, new, successor = package_provinces()
    assert len(rows) == len(old) == 63 and len(new) == 34
    assert len({r["successor_code"] for r in rows}) == 34
    assert len({r["official_code"] for r in rows}) == 63 and all(len(r["official_code"]) == 2 for r in rows)
    continuing = [r for r in rows if r["is_merged_away"] == "false"]
    assert len(continuing) == 34 and all(r["successor_code"] == r["province_code"] for r in continuing)
    by_code = {r["province_code"]: r for r in rows}
    # Lào Cai keeps its name and takes Yên Bái's code; Huế is a city, under its current official name
    assert (by_code["lao_cai"]["official_code"], by_code["lao_cai"]["successor_official_code"]) == ("10", "15")
    assert by_code["yen_bai"]["successor_code"] == "lao_cai"
    assert by_code["thua_thien_hue"]["successor_official_name"] == "Thành phố Huế"
    assert by_code["thua_thien_hue"]["successor_short_name"] == "Huế"


def test_names_without_diacritics():
    assert ascii_name("Thừa Thiên Huế") == "Thua Thien Hue"
    assert ascii_name("Đắk Lắk") == "Dak Lak"
    assert ascii_name("Bà Rịa - Vũng Tàu") == "Ba Ria - Vung Tau"
