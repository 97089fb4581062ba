"""Every form of include/vnhealth/data/phrasings.yml against its own example sentence: the example
extracts the indicator with the value it states, and the form is one that matches in it (so an
example cannot pass on another form's strength). Also the syntax of the forms itself."""

from __future__ import annotations

import re

import pytest

from vnhealth.extraction import extract_text
from vnhealth.extraction.catalogue import by_code, phrasings
from vnhealth.extraction.phrasing import PhrasingError, entry_pattern, form_of, form_pattern
from vnhealth.text import fold, fold_pattern, normalize

HEADING = "BÁO CÁO năm 2024 tỉnh Hà Tĩnh\n"
FORMS = [
    (code, where, i, entry)
    for code, said in phrasings().items()
    for where in ("before_number", "after_number")
    for i, entry in enumerate(said.get(where) or [])
]


def test_every_indicator_of_the_catalogue_is_named_somewhere():
    unnamed = [
        code
        for code in by_code()
        if not (phrasings().get(code) or {}).get("before_number")
        and not (phrasings().get(code) or {}).get("after_number")
    ]
    assert unnamed == []


@pytest.mark.parametrize("code,where,i,entry", FORMS, ids=[f"{c}.{w}[{i}]" for c, w, i, _ in FORMS])
def test_each_form_extracts_its_example(code, where, i, entry):
    assert isinstance(entry, dict) and "example" in entry and "value" in entry, (
        f"{code}.{where}[{i}] `{form_of(entry)}` has no example sentence and value"
    )
    text = HEADING + entry["example"]
    assert re.search(fold_pattern(entry_pattern(entry)), fold(normalize(text))), (
        f"the form `{form_of(entry)}` does not occur in its example"
    )
    found = [(o.indicator, o.value) for o in extract_text(text, "example.txt")]
    assert (code, pytest.approx(float(entry["value"]))) in found, found


@pytest.mark.parametrize(
    "form,text,matches",
    [
        ("[tỷ lệ|số] bác sĩ / (10.000|vạn) dân", "số bác sĩ/vạn dân", True),
        ("[tỷ lệ|số] bác sĩ / (10.000|vạn) dân", "bác sĩ / 10.000 dân", True),
        ("khám, chữa bệnh", "khám chữa bệnh", True),
        ("khám, chữa bệnh", "khám, chữa bệnh", True),
        ("chiều cao (theo|/) tuổi", "chiều cao/tuổi", True),
        ("tiêm đủ [#] mũi", "tiêm đủ 2 mũi", True),
        ("xã … đạt chuẩn", "xã trên địa bàn tỉnh đạt chuẩn", True),
        ("xã … đạt chuẩn", "xã; đạt chuẩn", False),
        ("tổng số bác sĩ", "tổng sốbác sĩ", False),
    ],
)
def test_the_marks_of_a_form(form, text, matches):
    assert bool(re.fullmatch(form_pattern(form), text)) is matches


@pytest.mark.parametrize("form", ["bác sĩ [trên", "a|b", "(a|b", "bác sĩ)"])
def test_a_form_that_does_not_parse_names_itself(form):
    with pytest.raises(PhrasingError, match=re.escape(form)):
        form_pattern(form)
