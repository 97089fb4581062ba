"""`vnhealth extract --explain` and `vnhealth eval`: what a report loses, with and without gold."""

import json

from conftest import run_cli
from vnhealth.evaluation import classify
from vnhealth.extraction.explain import explain_text

TEXT = (
    "BÁO CÁO năm 2024 tỉnh Hà Tĩnh\n"
    "Năm 2024 toàn tỉnh ghi nhận 1.234 ca sốt xuất huyết, tăng 15% so với năm 2023, trung bình 4 ca/ngày.\n"
)


def test_every_number_of_a_sentence_naming_an_indicator_is_taken_or_explained():
    reasons = {d.number: d.reason for d in explain_text(TEXT, "r.txt")}
    assert "1.234" not in reasons, "the figure itself gave an observation"
    assert reasons["2024"] == "a year" and reasons["2023"] == "a year"
    assert reasons["15"] == "a change, not a level"
    assert reasons["4"] == "a rate over time"


def test_explain_on_the_command_line_writes_one_json_line_per_dropped_number(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(TEXT, encoding="utf-8")
    lines = [json.loads(line) for line in run_cli("vnhealth", "extract", "--explain", str(path)).stdout.splitlines()]
    assert {line["number"] for line in lines} == {"2024", "2023", "15", "4"}
    assert all(line["source"] == "r.txt" and line["reason"] and line["sentence"] for line in lines)


def _o(**kw):
    return {
        "source": "r.txt",
        "indicator": "dengue_cases",
        "kind": "actual",
        "dimension": None,
        "value": 10,
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        "area": "Hà Tĩnh",
        **kw,
    }


def test_errors_fall_in_one_class_each():
    gold = [
        _o(),
        _o(indicator="measles_cases", value=5),
        _o(indicator="hfmd_cases", value=7),
        _o(indicator="mumps_cases", value=3),
        _o(indicator="rabies_deaths", value=1),
        _o(indicator="pertussis_cases", value=2),
    ]
    pred = [
        _o(period_start="2024-01-01", period_end="2024-06-30"),  # right figure, wrong period
        _o(indicator="chickenpox_cases", value=5),  # wrong indicator
        _o(indicator="hfmd_cases", value=7, kind="target"),  # wrong kind
        _o(indicator="mumps_cases", value=30),  # wrong value
        _o(indicator="covid19_cases", value=99),
    ]  # extra
    pairs, errors = classify(gold, pred)
    assert len(pairs) == 1
    assert sorted(e[0] for e in errors) == [
        "extra",
        "missed",
        "missed",
        "wrong indicator",
        "wrong kind",
        "wrong period",
        "wrong value",
    ]


def test_the_binders_own_reasons_reach_the_explanation():
    """Numbers the scanner reads and the binder leaves carry the reason the binder recorded."""
    text = (
        "BÁO CÁO năm 2024 tỉnh Nghệ An\n"
        "Tỷ lệ tiêm chủng đầy đủ đạt 120 trẻ.\n"
        "Toàn tỉnh ghi nhận 1.234 ca sốt xuất huyết, tập trung tại huyện Nghi Lộc 456 ca.\n"
        "Tuổi thọ trung bình đạt 250 tuổi.\n"
    )
    reasons = {d.number: d.reason for d in explain_text(text, "r.txt")}
    assert reasons["120"] == "its count noun `trẻ` fits none of the indicators named: full_immunization_pct"
    assert reasons["456"] == "a district's or commune's figure"
    assert reasons["250"] == "250 is outside the plausible range of life_expectancy_years"
