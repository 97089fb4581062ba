"""Tables flattened to text, one cell per line, as yearbooks and web pages give them: each family of
layout read by the layout reader, checked on tables of my own (never the corpus's text)."""

from __future__ import annotations

import pytest

from vnhealth.documents import read_document
from vnhealth.extraction import extract_text

HEAD = "NIÊN GIÁM THỐNG KÊ TỈNH PHÚ THỌ\n"


def _observed(text: str) -> list[tuple]:
    obs = extract_text(read_document(text.encode("utf-8")).text, "t.txt", normalized=True)
    return sorted((o.indicator, o.value, o.period_start, o.dimension) for o in obs)


CASES = [
    pytest.param(
        # years across, split over two lines; a label wrapped and followed by its English line; values
        # one per line, then all on one line; a row whose values do not fill the columns gives nothing
        HEAD + "Một số chỉ tiêu y tế\nSome health indicators\n2019 2020 2021\n2022\n"
        "Bác sĩ bình quân 1 vạn dân (Người)\nDoctors per 10000\ninhabitants (Person)\n8,10\n8,52\n9,01\n9,44\n"
        "Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ các\nloại vắc xin (%)\nRate of fully vaccinated (%)\n"
        "97,5 98,1 96,0 99,2\n"
        "Số ca mắc sốt rét (Ca)\nMalaria cases\n12\n7\n",
        [
            ("doctors_per_10k", 8.1, "2019-01-01", None),
            ("doctors_per_10k", 8.52, "2020-01-01", None),
            ("doctors_per_10k", 9.01, "2021-01-01", None),
            ("doctors_per_10k", 9.44, "2022-01-01", None),
            ("full_immunization_pct", 96.0, "2021-01-01", None),
            ("full_immunization_pct", 97.5, "2019-01-01", None),
            ("full_immunization_pct", 98.1, "2020-01-01", None),
            ("full_immunization_pct", 99.2, "2022-01-01", None),
        ],
        id="years across, wrapped bilingual labels",
    ),
    pytest.param(
        # named columns (total, state, non-state, foreign), names wrapped over lines, `-` for none
        HEAD + "Số cơ sở y tế và giường bệnh năm 2023\nphân theo loại hình kinh tế\nTổng số\nTotal\nNhà nước\n"
        "Ngoài nhà\nnước\nKhu vực có\nvốn đầu tư\nnước ngoài\nState Non-state Foreign\n"
        "Bệnh viện -\nHospital\n15\n12\n2\n1\nGiường bệnh (Giường) -\nPatient beds (Bed)\n2.950\n2.700\n250\n-\n",
        [
            ("beds_total", 250.0, "2023-01-01", "private"),
            ("beds_total", 2700.0, "2023-01-01", "public"),
            ("beds_total", 2950.0, "2023-01-01", None),
            ("hospitals_total", 2.0, "2023-01-01", "private"),
            ("hospitals_total", 12.0, "2023-01-01", "public"),
            ("hospitals_total", 15.0, "2023-01-01", None),
        ],
        id="named dimension columns",
    ),
    pytest.param(
        # rows that are years, measure columns after a `Năm` header, the title naming the indicator; a
        # rate column per 100,000 that no code of the catalogue takes
        "Số liệu ngộ độc thực phẩm tỉnh Phú Thọ giai đoạn 2021 - 2023\n\nNăm\n\nSố vụ\n\nSố mắc\n\nSố tử vong\n\n"
        "Tỷ lệ mắc/100.000 "
        "dân\n\n2021\n\n2\n\n35\n\n0\n\n2.5\n\n2022\n\n04\n\n61\n\n1\n\n4.3\n\n2023\n\n0\n\n0\n\n0\n\n0\n",
        [
            ("food_poisoning_cases", 0.0, "2023-01-01", None),
            ("food_poisoning_cases", 35.0, "2021-01-01", None),
            ("food_poisoning_cases", 61.0, "2022-01-01", None),
            ("food_poisoning_deaths", 0.0, "2021-01-01", None),
            ("food_poisoning_deaths", 0.0, "2023-01-01", None),
            ("food_poisoning_deaths", 1.0, "2022-01-01", None),
            ("food_poisoning_outbreaks", 0.0, "2023-01-01", None),
            ("food_poisoning_outbreaks", 2.0, "2021-01-01", None),
            ("food_poisoning_outbreaks", 4.0, "2022-01-01", None),
        ],
        id="year rows, measure columns",
    ),
    pytest.param(
        # rows that are years, dimension columns (`Nam`/`Nữ` are no dimension of the contract), a unit
        # line, a preliminary year; a second block in per cent under the same columns gives nothing
        "Dân số trung bình phân theo giới tính\nvà phân theo thành thị, nông thôn\nAverage population\n"
        "Tổng số\nTotal\nNam\nMale\nNữ\nFemale\nThành thị\nUrban\nNông thôn\nRural\nNgười - Person\n"
        "2021\n1.500.100\n740.000\n760.100\n300.100\n1.200.000\nSơ bộ - Prel. 2022\n1.512.000\n746.000\n766.000\n"
        "310.000\n1.202.000\nCơ cấu - Structure (%)\n2021\n100,00\n49,33\n50,67\n20,01\n79,99\n"
        "2022\n100,00\n49,34\n50,66\n20,50\n79,50\n",
        [
            ("population_total", 300100.0, "2021-01-01", "urban"),
            ("population_total", 310000.0, "2022-01-01", "urban"),
            ("population_total", 1200000.0, "2021-01-01", "rural"),
            ("population_total", 1202000.0, "2022-01-01", "rural"),
            ("population_total", 1500100.0, "2021-01-01", None),
            ("population_total", 1512000.0, "2022-01-01", None),
        ],
        id="year rows, dimension columns",
    ),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_a_flattened_table_gives_one_observation_per_cell(text, expected):
    assert _observed(text) == expected


def test_prose_with_figures_on_their_own_lines_is_no_table():
    """A label and its figure on separate lines (no header of years or columns) stay one statement."""
    text = "SỞ Y TẾ TỈNH GIA LAI\nBÁO CÁO NĂM 2024\nTỷ lệ bao phủ BHYT\n93,5%\nSố bác sĩ/vạn dân\n12,3\n"
    assert [
        (o.indicator, o.value) for o in extract_text(read_document(text.encode()).text, "g.txt", normalized=True)
    ] == [("health_insurance_coverage_pct", 93.5), ("doctors_per_10k", 12.3)]


def test_a_row_naming_an_indicator_again_is_a_breakdown_not_the_figure():
    """Beds, then the hospitals and stations they are in: the later `Bệnh viện` row counts beds in
    hospitals, not hospitals; the first row naming an indicator gives its figure."""
    text = (
        HEAD + "Cơ sở y tế và giường bệnh năm 2023\nTổng số\nTotal\nNhà nước\nNgoài nhà\nnước\n"
        "Bệnh viện -\nHospital\n15\n13\n2\nGiường bệnh (Giường) -\nPatient beds\n2.950\n2.700\n250\n"
        "Bệnh viện -\nHospital\n2.400\n2.200\n200\n"
    )
    assert [
        (o.indicator, o.value)
        for o in extract_text(read_document(text.encode()).text, "t.txt", normalized=True)
        if o.dimension is None
    ] == [("hospitals_total", 15), ("beds_total", 2950)]


def test_a_district_bulletin_gives_no_province_figures():
    text = (
        "Huyện Tam Nông tăng cường phòng chống sốt xuất huyết\nTừ đầu năm đến nay, huyện Tam Nông ghi nhận 85 ca "
        "sốt xuất huyết. Ngoài ra, huyện còn ghi nhận 12 ca tay chân miệng.\n"
    )
    assert extract_text(text, "d.txt", default_area="Phú Thọ") == []


def test_prose_that_opens_with_tong_so_is_no_table_header():
    """`Tổng số lượt khám ...` opens a sentence, not a header of named columns: a header's cells are short."""
    text = (
        "BÁO CÁO năm 2024 tỉnh Gia Lai\nTổng số lượt khám, chữa bệnh đạt 2.350.199 lượt.\n"
        "Tỷ lệ người bệnh hài lòng với dịch vụ y tế của tỉnh đạt 92,0%, so với cả nước (86,3%).\n"
        "Toàn tỉnh có trên 1,4 triệu lượt khám chữa bệnh tại cơ sở y tế nhà nước.\n"
    )
    indicators = [o.indicator for o in extract_text(read_document(text.encode()).text, "g.txt", normalized=True)]
    assert indicators.count("medical_visits_total") == 2 and "patient_satisfaction_pct" in indicators
