"""The number grammar, the period resolver, the area resolver and text folding, on hard cases."""
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnhealth.extraction import extract_text
from vnhealth.extraction.areas import document_area, find_provinces, resolve_name
from vnhealth.extraction.catalogue import by_code
from vnhealth.extraction.numbers import scan_numbers
from vnhealth.extraction.periods import Period, combine, find_periods
from vnhealth.text import fold, normalize


def numbers(s):
    f = fold(normalize(s))
    return [(t.value, t.unit, t.qualifier) for t in scan_numbers(f, 0, len(f))]


@pytest.mark.parametrize("text,expected", [
    ("có 2.503 bác sỹ", [(2503, "count", "exact")]),
    ("tổng 2.676.093 lượt", [(2676093, "count", "exact")]),
    ("đạt 51,3 giường/10.000 dân", [(51.3, "per_10k", "exact")]),
    ("chiếm 0,34%", [(0.34, "pct", "exact")]),
    ("có trên 3,9 triệu lượt", [(3.9e6, "count", "more_than")]),
    ("trên 97 tỷ đồng", [(97e9, "vnd", "more_than")]),
    ("762,655 triệu đồng", [(762655000, "vnd", "exact")]),
    ("lũy tích 06 ca", [(6, "count", "exact")]),
    ("gần 60 ca", [(60, "count", "approx")]),
    ("chỉ tiêu < 10%", [(10, "pct", "less_than")]),
    ("đạt từ 95% trở lên", [(95, "pct", "more_than")]),
    ("**2.300 bệnh nhân**", [(2300, "count", "exact")]),
    ("đạt 93.5%", [(93.5, "pct", "exact")]),   # a spreadsheet's decimal point, before a per cent sign
    ("khám cho 1.2 triệu lượt", [(1.2e6, "count", "exact")]),   # or a scale word
    ("khám 1,234,567 lượt", [(1234567, "count", "exact")]),     # English grouping, two or more commas
    ("đạt 1.234 triệu đồng", [(1.234e9, "vnd", "exact")]),     # three digits after the point: thousands
    ("không dưới 90%", [(90, "pct", "more_than")]),
    ("không thấp hơn 95%", [(95, "pct", "more_than")]),   # not a change (`thấp hơn 2%`)
    ("không vượt quá 0,3%", [(0.3, "pct", "less_than")]),
    ("trên dưới 100 ca", [(100, "count", "approx")]), ("gần như 100%", [(100, "pct", "approx")]),
    ("chưa đến 5%", [(5, "pct", "less_than")]), ("ít hơn 5%", [(5, "pct", "less_than")]),
    ("thấp hơn 1.5% so với cùng kỳ", []),
    ("đạt 95% – 98%", [(95, "pct", "more_than"), (98, "pct", "less_than")]),   # a range: its two ends
])
def test_number_formats(text, expected):
    assert numbers(text) == expected


@pytest.mark.parametrize("text", [
    "Nghị định số 73/2024/NĐ-CP", "ngày 20/12/2024", "tại 14/20 cơ sở", "Điện thoại: 0238.3844.123",
    "Công văn số 7445/UBND-KGVX", "dịch COVID-19", "năm 2024", "xếp thứ 8", "tăng 0,39% so với", "trực 24/24",
    "Kế hoạch số 93-KH/TU", "(2) Công tác", "trong quý 3 năm 2024", "Quý 4/2024",
])
def test_distractors_are_never_values(text):
    assert numbers(text) == []


def test_zero_deaths_is_a_value():
    f = fold("phát hiện 216 ca, không có tử vong")
    toks = scan_numbers(f, 0, len(f))
    assert [(t.value, t.is_death) for t in toks] == [(216, False), (0, True)]


@pytest.mark.parametrize("text,start,end", [
    ("năm 2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("9 tháng đầu năm 2024", date(2024, 1, 1), date(2024, 9, 30)),
    ("6 tháng cuối năm 2025", date(2025, 7, 1), date(2025, 12, 31)),
    ("tính đến 20/12/2024", date(2024, 1, 1), date(2024, 12, 20)),
    ("tính đến tháng 8/2024", date(2024, 1, 1), date(2024, 8, 31)),
    ("đến cuối năm 2021", date(2021, 1, 1), date(2021, 12, 31)),
    ("so với năm 2023", date(2023, 1, 1), date(2023, 12, 31)),
    ("giai đoạn 2021-2025", date(2021, 1, 1), date(2025, 12, 31)),
    ("kế hoạch 5 năm 2021-2025", date(2021, 1, 1), date(2025, 12, 31)),
    ("thời kỳ 2021 – 2025", date(2021, 1, 1), date(2025, 12, 31)),
    ("quý III/2024", date(2024, 7, 1), date(2024, 9, 30)),
    ("từ ngày 01/10/2024 đến ngày 31/10/2024", date(2024, 10, 1), date(2024, 10, 31)),
    ("(từ 18/11 đến 24/11/2024)", date(2024, 11, 18), date(2024, 11, 24)),
    ("từ 15/12/2023 - 14/12/2024", date(2023, 12, 15), date(2024, 12, 14)),
    ("tuần 47 năm 2024", date(2024, 11, 18), date(2024, 11, 24)),   # an ISO week
    ("tuần 1/2025", date(2024, 12, 30), date(2025, 1, 5)),
])
def test_periods(text, start, end):
    (_, _, p), = find_periods(fold(text))
    assert (p.start, p.end) == (start, end)


def test_month_takes_its_year_and_end_from_context():
    (_, _, month), = find_periods(fold("tháng 12"))
    (_, _, context), = find_periods(fold("đến 23/12/2024"))
    p = combine(month, context)
    assert (p.start, p.end) == (date(2024, 12, 1), date(2024, 12, 23))


def test_a_date_is_not_a_period():
    assert find_periods(fold("ngày 16 tháng 12 năm 2024")) == []


@pytest.mark.parametrize("alias,canonical", [
    ("TP.HCM", "Hồ Chí Minh"), ("Thanh Hoá", "Thanh Hóa"), ("Huế", "Thừa Thiên Huế"), ("Khánh Hoà", "Khánh Hòa"),
    ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"), ("Đắc Lắc", "Đắk Lắk"),
    ("TP. Hồ Chí Minh", "Hồ Chí Minh"), ("thành phố Huế", "Thừa Thiên Huế"), ("Thừa Thiên - Huế", "Thừa Thiên Huế"),
    ("tỉnh Nghệ An", "Nghệ An"), ("TP HCM", "Hồ Chí Minh"), ("Bà Rịa–Vũng Tàu", "Bà Rịa - Vũng Tàu"),
    ("BR-VT", "Bà Rịa - Vũng Tàu"), ("Đắc Lắk", "Đắk Lắk"), ("Thừa Thiên-Huế", "Thừa Thiên Huế"),
])
def test_area_aliases(alias, canonical):
    assert resolve_name(alias) == canonical


def test_peace_and_the_pacific_are_no_provinces():
    text = ("Sở Y tế tỉnh Nghệ An tham dự hội nghị của WHO khu vực Tây Thái Bình Dương; giữ vững hòa bình.")
    assert [name for _, name in find_provinces(fold(text), text=text)] == ["Nghệ An"]
    assert document_area("Khu vực Tây Thái Bình Dương\nSỞ Y TẾ TỈNH HÒA BÌNH\nBÁO CÁO") == "Hòa Bình"


def test_document_area_prefers_tinh_mentions():
    text = "Sở Y tế tỉnh Ninh Bình báo cáo. Bệnh viện cơ sở Nam Định. Tỉnh Ninh Bình có 64 đơn vị."
    assert document_area(text) == "Ninh Bình"


def test_national_average_has_no_area():
    obs = extract_text("Tỉnh Thái Nguyên: tỷ lệ giường bệnh đạt 51,3 giường/10.000 dân "
                       "(Cao hơn bình quân chung cả nước: 34 giường/10.000 dân)", "x.txt")
    assert [(o.value, o.area) for o in obs] == [(51.3, "Thái Nguyên"), (34, None)]


def test_nfd_old_tones_and_nbsp_extract_the_same():
    import unicodedata
    plain = "Năm 2024, tỷ lệ bác sĩ đạt 17,0 bác sĩ/10.000 dân tại tỉnh Thanh Hóa.\r\n"
    messy = unicodedata.normalize("NFD", plain.replace("Hóa", "Hoá").replace("bác sĩ đạt", "bác\u00a0sỹ\tđ\u00adạt")
                                  .replace("17,0", "\u200b17,0\u202f").replace("\r\n", "\r"))  # soft hyphen, zero width
    a = [(o.indicator, o.value, o.area, o.period_start) for o in extract_text(plain, "a")]
    b = [(o.indicator, o.value, o.area, o.period_start) for o in extract_text(messy, "a")]
    assert a == b == [("doctors_per_10k", 17.0, "Thanh Hóa", "2024-01-01")]


def test_actual_and_target_in_one_clause():
    obs = extract_text("Tỷ lệ suy dinh dưỡng trẻ em dưới 5 tuổi thể cân nặng/tuổi: 8,5%, đạt chỉ tiêu đề ra "
                       "(chỉ tiêu năm 2024 < 10%)", "x")
    assert [(o.kind, o.value, o.qualifier) for o in obs] == [("actual", 8.5, "exact"), ("target", 10, "less_than")]


def test_evidence_offsets_point_into_normalised_text():
    text = "BÁO CÁO\nNăm 2024, có trên 3,9 triệu lượt khám, chữa bệnh (KCB) tại tỉnh Nghệ An."
    (o,) = extract_text(text, "x")
    assert normalize(text)[o.evidence_start:o.evidence_end] == o.evidence


@pytest.mark.parametrize("sentence,expected", [
    ("Tỷ lệ hộ gia đình nông thôn sử dụng nước sạch đạt 95%.", [("hygienic_water_pct", 95, "actual", "rural")]),
    ("Toàn tỉnh có 45 ca mắc sởi, 12 ca ho gà và 3 ca tử vong do bệnh dại.",
     [("measles_cases", 45, "actual", None), ("pertussis_cases", 12, "actual", None),
      ("rabies_deaths", 3, "actual", None)]),
    ("Tỷ lệ bao phủ BHYT đạt 94,1%, vượt 0,6% so với chỉ tiêu giao (93,5%).",
     [("health_insurance_coverage_pct", 94.1, "actual", None), ("health_insurance_coverage_pct", 93.5, "target", None)]),
    ("Phát hiện 120 cơ sở vi phạm, phạt tiền 350 triệu đồng.",
     [("entities_violating_total", 120, "actual", None), ("administrative_fines_vnd", 350e6, "actual", None)]),
    ("Số trẻ sinh ra trong năm là 12.345 trẻ, trong đó có 1.234 trẻ sinh là con thứ 3 trở lên.",
     [("births_total", 12345, "actual", None), ("third_child_births_total", 1234, "actual", None)]),
    ("Phấn đấu đến năm 2025 đạt 15 bác sĩ/10.000 dân và 35 giường bệnh/10.000 dân.",
     [("doctors_per_10k", 15, "target", None), ("beds_per_10k", 35, "target", None)]),
    ("Chỉ tiêu sàng lọc trước sinh: đạt 36,2% bà mẹ mang thai (vượt KH giao 25%).",
     [("prenatal_screening_pct", 36.2, "actual", None), ("prenatal_screening_pct", 25, "target", None)]),
    ("Ghi nhận 125 ca sốt xuất huyết, giảm 30% so với cùng kỳ.", [("dengue_cases", 125, "actual", None)]),
])
def test_phrasings_of_other_provinces(sentence, expected):
    obs = extract_text("BÁO CÁO năm 2024 của Sở Y tế tỉnh Quảng Bình\n" + sentence, "x.txt")
    assert [(o.indicator, o.value, o.kind, o.dimension) for o in obs] == expected
    assert all(o.area == "Quảng Bình" and o.period_start for o in obs)


@pytest.mark.parametrize("sentence,expected", [
    ("Tỷ lệ xã đạt Bộ tiêu chí quốc gia về y tế giai đoạn 2021-2030 đạt 95,6%.",
     [("communes_national_criteria_pct", 95.6, "2024-01-01", "2024-12-31", None)]),
    ("Số lượt khám bệnh: 1.523.456 lượt, đạt 105% kế hoạch.",
     [("medical_visits_total", 1523456, "2024-01-01", "2024-12-31", None)]),
    ("Trong năm ghi nhận 1.234 ca mắc tay chân miệng, tăng 20% so với năm 2023; 345 ca sốt xuất huyết, giảm 15%.",
     [("hfmd_cases", 1234, "2024-01-01", "2024-12-31", None), ("dengue_cases", 345, "2024-01-01", "2024-12-31", None)]),
    ("Tiêm chủng mở rộng: tỷ lệ trẻ dưới 1 tuổi được tiêm đủ 8 loại vắc xin đạt 97,5%.",
     [("full_immunization_pct", 97.5, "2024-01-01", "2024-12-31", None)]),
    ("Tỷ lệ hài lòng của người bệnh nội trú đạt 96%, ngoại trú đạt 94%.",
     [("patient_satisfaction_pct", 96, "2024-01-01", "2024-12-31", "inpatient"),
      ("patient_satisfaction_pct", 94, "2024-01-01", "2024-12-31", "outpatient")]),
    ("Tổng chi khám chữa bệnh BHYT là 1.250 tỷ đồng.",
     [("insured_treatment_cost_vnd", 1.25e12, "2024-01-01", "2024-12-31", None)]),
    ("Số giường bệnh/vạn dân đạt 32,5 giường (không tính giường trạm y tế xã).",
     [("beds_per_10k", 32.5, "2024-01-01", "2024-12-31", None)]),
    ("Đến nay 100% trạm y tế xã có bác sĩ.", [("commune_stations_with_doctor_pct", 100, "2024-01-01", "2024-12-31", None)]),
    ("Công suất sử dụng giường bệnh đạt 95%. Tỷ lệ tử vong mẹ 18/100.000 trẻ đẻ sống.",
     [("bed_occupancy_pct", 95, "2024-01-01", "2024-12-31", None),
      ("maternal_mortality_per_100k", 18, "2024-01-01", "2024-12-31", None)]),
    ("Tỷ suất chết trẻ em dưới 1 tuổi là 12,5‰; tỷ lệ tăng dân số tự nhiên 5,9‰.",
     [("infant_mortality_per_1000", 12.5, "2024-01-01", "2024-12-31", None),
      ("population_growth_pct", 0.59, "2024-01-01", "2024-12-31", None)]),
    ("Số người nhiễm HIV được phát hiện trên 100.000 dân là 25,3; phát hiện mới 45 người nhiễm HIV.",
     [("hiv_detected_per_100k", 25.3, "2024-01-01", "2024-12-31", None),
      ("hiv_new_cases", 45, "2024-01-01", "2024-12-31", None)]),
])
def test_more_phrasings_periods_and_non_values(sentence, expected):
    obs = extract_text("BÁO CÁO kết quả công tác y tế năm 2024 tỉnh Bình Định\n" + sentence, "x.txt")
    assert [(o.indicator, o.value, o.period_start, o.period_end, o.dimension) for o in obs] == expected


def test_a_figure_restated_later_is_one_observation():
    text = ("BÁO CÁO năm 2024 tỉnh Thái Nguyên\nTỷ lệ xã đạt Bộ tiêu chí quốc gia về y tế đạt 72%.\n"
            "II. NHIỆM VỤ NĂM 2025\n- Thực hiện tốt Bộ tiêu chí quốc gia về y tế đến năm 2030 (đến nay toàn tỉnh "
            "đã có 72% các xã đạt Bộ tiêu chí quốc gia về y tế).\n")
    obs = extract_text(text, "x.txt")
    assert [(o.indicator, o.value, o.kind, o.period_start) for o in obs] == [
        ("communes_national_criteria_pct", 72, "actual", "2024-01-01")]


NEWS_STYLE = """Sáng 15/7, Sở Y tế tỉnh Đồng Nai tổ chức hội nghị sơ kết công tác y tế 6 tháng đầu năm 2025.
Theo báo cáo, 6 tháng đầu năm, toàn tỉnh đã khám, chữa bệnh cho hơn 4,5 triệu lượt người, đạt 52% kế hoạch năm; điều trị nội trú 215.000 lượt.
Toàn tỉnh ghi nhận 2.150 ca sốt xuất huyết, giảm 35% so với cùng kỳ; 980 ca tay chân miệng; 12 ca sởi.
Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ đạt 45,6% kế hoạch năm.
Ngành y tế tỉnh hiện có 3.520 bác sĩ, đạt tỷ lệ 11,2 bác sĩ/vạn dân.
Các đoàn đã kiểm tra, phát hiện 250 cơ sở vi phạm, xử phạt hành chính 1,2 tỷ đồng.
Mục tiêu năm 2025: tỷ lệ bao phủ BHYT đạt 95%; 100% trạm y tế có bác sĩ.
Đề nghị ngành y tế thực hiện có hiệu quả 11 chỉ tiêu cụ thể và hoàn thành 15/15 chỉ tiêu được giao.
"""


def test_a_news_style_report_of_another_province():
    obs = extract_text(NEWS_STYLE, "news.txt")
    got = [(o.indicator, o.value, o.kind, o.qualifier, o.period_start, o.period_end, o.dimension) for o in obs]
    h1, year = ("2025-01-01", "2025-06-30"), ("2025-01-01", "2025-12-31")
    assert got == [
        ("medical_visits_total", 4_500_000, "actual", "more_than", *h1, None),
        ("medical_visits_total", 215_000, "actual", "exact", *h1, "inpatient"),
        ("dengue_cases", 2150, "actual", "exact", *h1, None),
        ("hfmd_cases", 980, "actual", "exact", *h1, None),
        ("measles_cases", 12, "actual", "exact", *h1, None),
        ("doctors_total", 3520, "actual", "exact", *h1, None),
        ("doctors_per_10k", 11.2, "actual", "exact", *h1, None),
        ("entities_violating_total", 250, "actual", "exact", *h1, None),
        ("administrative_fines_vnd", 1.2e9, "actual", "exact", *h1, None),
        ("health_insurance_coverage_pct", 95, "target", "exact", *year, None),
        ("commune_stations_with_doctor_pct", 100, "target", "exact", *year, None),
    ]
    assert {o.area for o in obs} == {"Đồng Nai"}


SURVEILLANCE = """SỞ Y TẾ TỈNH KHÁNH HÒA
TRUNG TÂM KIỂM SOÁT BỆNH TẬT
BÁO CÁO
Tình hình dịch bệnh truyền nhiễm tháng 9 năm 2024
I. TÌNH HÌNH DỊCH BỆNH
1. Bệnh sốt xuất huyết
Trong tháng ghi nhận 412 ca mắc, giảm 18,5% so với tháng trước. Cộng dồn 9 tháng đầu năm 2024: 3.105 ca mắc, 02 ca tử vong.
2. Bệnh tay chân miệng
Trong tháng: 87 ca. Lũy tích từ đầu năm: 654 ca, không có tử vong.
3. Bệnh sởi: Trong tháng không ghi nhận ca mắc. Lũy tích: 05 ca.
4. Bệnh dại: ghi nhận 01 ca tử vong.
"""


def test_a_surveillance_report_whose_headings_name_the_disease():
    obs = extract_text(SURVEILLANCE, "ksbt.txt")
    month, ytd = ("2024-09-01", "2024-09-30"), ("2024-01-01", "2024-09-30")
    assert [(o.indicator, o.value, o.period_start, o.period_end) for o in obs] == [
        ("dengue_cases", 412, *month), ("dengue_cases", 3105, *ytd),
        ("hfmd_cases", 87, *month), ("hfmd_cases", 654, *ytd),
        ("measles_cases", 0, *month), ("measles_cases", 5, *ytd),
        ("rabies_deaths", 1, *month),
    ]
    assert {o.area for o in obs} == {"Khánh Hòa"}


PLAN = """ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN
KẾ HOẠCH
Thực hiện công tác y tế năm 2025
I. MỤC TIÊU
- Tỷ lệ dân số tham gia bảo hiểm y tế đạt ≥ 95%.
- Số bác sĩ/10.000 dân: 13,5.
- Tỷ lệ suy dinh dưỡng thể thấp còi ở trẻ em dưới 5 tuổi: dưới 20%.
- Tỷ số giới tính khi sinh: dưới 112 bé trai/100 bé gái.
- 100% xã đạt Bộ tiêu chí quốc gia về y tế.
II. KẾT QUẢ THỰC HIỆN NĂM 2024
Tỷ lệ dân số tham gia BHYT đạt 94,2%; số bác sĩ đạt 12,8 bác sĩ/vạn dân.
"""


def test_a_plan_whose_targets_take_the_plan_year():
    obs = extract_text(PLAN, "kh.txt")
    y25, y24 = ("2025-01-01", "2025-12-31"), ("2024-01-01", "2024-12-31")
    assert [(o.indicator, o.value, o.kind, o.qualifier, o.period_start, o.period_end) for o in obs] == [
        ("health_insurance_coverage_pct", 95, "target", "more_than", *y25),
        ("doctors_per_10k", 13.5, "target", "exact", *y25),
        ("stunting_under5_pct", 20, "target", "less_than", *y25),
        ("sex_ratio_at_birth", 112, "target", "less_than", *y25),
        ("communes_national_criteria_pct", 100, "target", "exact", *y25),
        ("health_insurance_coverage_pct", 94.2, "actual", "exact", *y24),
        ("doctors_per_10k", 12.8, "actual", "exact", *y24),
    ]


HALF_YEAR = """SỞ Y TẾ TỈNH LONG AN
Số: 1820/BC-SYT                         Long An, ngày 05 tháng 7 năm 2024
BÁO CÁO SƠ KẾT CÔNG TÁC Y TẾ 6 THÁNG ĐẦU NĂM 2024
1. Tình hình dịch bệnh
Trong 6 tháng đầu năm 2024, toàn tỉnh ghi nhận 1.045 ca sốt xuất huyết (cùng kỳ năm 2023: 1.532 ca), 0 ca tử vong; 326 ca tay chân miệng; 02 ca bệnh dại tử vong.
Bệnh ho gà: 8 ca ho gà không có tử vong.
2. Công tác khám, chữa bệnh
Tổng số lần khám bệnh đạt 1.234.567 lượt, bằng 52,3% kế hoạch năm.
Tỷ lệ phụ nữ mang thai được sàng lọc trước sinh đạt 75,2%; tỷ lệ trẻ sơ sinh được sàng lọc đạt 82,1%.
Tỷ lệ dân số tham gia bảo hiểm y tế đạt 91,8%, vượt chỉ tiêu Nghị quyết HĐND tỉnh giao (91,5%).
Cả nước hiện có tỷ lệ bao phủ bảo hiểm y tế 93,35%, trong khi Long An đạt 91,8%.
Thực hiện chỉ đạo của Bộ Y tế trên toàn quốc, tỷ lệ trạm y tế xã có bác sĩ của tỉnh đạt 98%.
"""


def test_same_period_last_year_deaths_named_after_the_disease_and_national_subjects():
    obs = extract_text(HALF_YEAR, "la.txt")
    h1 = ("2024-01-01", "2024-06-30")
    got = [(o.indicator, o.value, o.kind, o.period_start, o.period_end, o.area) for o in obs]
    assert got == [
        ("dengue_cases", 1045, "actual", *h1, "Long An"),
        ("dengue_cases", 1532, "actual", "2023-01-01", "2023-06-30", "Long An"),  # cùng kỳ: the same months
        ("hfmd_cases", 326, "actual", *h1, "Long An"),
        ("rabies_deaths", 2, "actual", *h1, "Long An"),  # `ca bệnh dại tử vong` is a death
        ("pertussis_cases", 8, "actual", *h1, "Long An"),  # `không có tử vong` does not make 8 a death
        ("medical_visits_total", 1234567, "actual", *h1, "Long An"),
        ("prenatal_screening_pct", 75.2, "actual", *h1, "Long An"),
        ("newborn_screening_pct", 82.1, "actual", *h1, "Long An"),
        ("health_insurance_coverage_pct", 91.8, "actual", *h1, "Long An"),
        # `vượt chỉ tiêu ... giao (91,5%)`: the year's target, even in a half-year report
        ("health_insurance_coverage_pct", 91.5, "target", "2024-01-01", "2024-12-31", "Long An"),
        ("health_insurance_coverage_pct", 93.35, "actual", *h1, None),  # `Cả nước` opens the clause
        ("commune_stations_with_doctor_pct", 98, "actual", *h1, "Long An"),  # `toàn quốc` in another clause
    ]


def test_same_period_without_a_year_is_the_year_before():
    found = find_periods(fold("so với cùng kỳ năm trước"))
    context = Period(date(2024, 1, 1), date(2024, 9, 30), "9 tháng")
    p = combine(found[-1][2], context)
    assert (p.start, p.end) == (date(2023, 1, 1), date(2023, 9, 30))


NINE_MONTHS_WITH_PLAN_TABLE = """SỞ Y TẾ THÀNH PHỐ HỒ CHÍ MINH
BÁO CÁO
Tình hình thực hiện nhiệm vụ 9 tháng đầu năm 2024
| Chỉ tiêu | Đơn vị | Kế hoạch 2024 | Thực hiện 9 tháng 2024 |
| Số bác sĩ/10.000 dân | bác sĩ | 19,0 | 19,5 |
| Tỷ lệ dân số tham gia BHYT | % | 92 | 90,5 |
Quý III/2024 | Quý II/2024
Thanh tra, kiểm tra 2.345 tổ chức, cá nhân; phát hiện 456 tổ chức, cá nhân vi phạm.
Khám sức khỏe tiền hôn nhân: 35% cặp nam nữ được tư vấn.
"""


NINE_MONTHS_PROSE = """SỞ Y TẾ QUẢNG NINH
BÁO CÁO
Kết quả công tác y tế 9 tháng đầu năm 2024, nhiệm vụ trọng tâm 3 tháng cuối năm 2024
I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU
- Tỷ lệ bao phủ BHYT: TH 92,5%/KH 93%.
- Bác sĩ/vạn dân: KH 14; TH 13,8.
2. Khám chữa bệnh: 2.456.000 lượt khám (đạt 76,8% KH năm); 185.000 lượt điều trị nội trú; 12.000 lượt khám sức khỏe.
"""


def test_plans_in_a_nine_month_report_are_the_years():
    obs = extract_text(NINE_MONTHS_PROSE, "qn.txt")
    nine, year = ("2024-01-01", "2024-09-30"), ("2024-01-01", "2024-12-31")
    assert [(o.indicator, o.value, o.kind, o.period_start, o.period_end, o.dimension) for o in obs] == [
        ("health_insurance_coverage_pct", 92.5, "actual", *nine, None),
        ("health_insurance_coverage_pct", 93, "target", *year, None),
        ("doctors_per_10k", 14, "target", *year, None), ("doctors_per_10k", 13.8, "actual", *nine, None),
        ("medical_visits_total", 2_456_000, "actual", *nine, None),
        ("medical_visits_total", 185_000, "actual", *nine, "inpatient"),  # `lượt khám sức khỏe` are no visits
    ]


def test_table_columns_of_part_of_a_year_and_a_plan():
    obs = extract_text(NINE_MONTHS_WITH_PLAN_TABLE, "hcm.txt")
    year, nine = ("2024-01-01", "2024-12-31"), ("2024-01-01", "2024-09-30")
    assert [(o.indicator, o.value, o.kind, o.period_start, o.period_end) for o in obs] == [
        ("doctors_per_10k", 19.0, "target", *year), ("doctors_per_10k", 19.5, "actual", *nine),
        ("health_insurance_coverage_pct", 92, "target", *year), ("health_insurance_coverage_pct", 90.5, "actual", *nine),
        ("entities_inspected_total", 2345, "actual", *nine), ("entities_violating_total", 456, "actual", *nine),
        ("premarital_check_pct", 35, "actual", *nine),
    ]
    assert {o.area for o in obs} == {"Hồ Chí Minh"}


MERGED_PROVINCE = """UBND TỈNH PHÚ THỌ
SỞ Y TẾ
BÁO CÁO
Tổng kết công tác y tế năm 2025, nhiệm vụ trọng tâm năm 2026
A. KẾT QUẢ THỰC HIỆN
1. Chỉ tiêu về y tế
Chỉ tiêu 1: Tỷ lệ bao phủ BHYT: kế hoạch 95%, thực hiện 95,2%, đạt.
Chỉ tiêu 2: Số bác sĩ trên 10.000 dân: 14,1 bác sĩ (năm 2024: 13,6).
Toàn tỉnh có 7.215 bác sĩ; 1.200 cơ sở khám, chữa bệnh tư nhân.
Tuổi thọ bình quân 74,8 năm.
Tỷ lệ hộ gia đình có nhà tiêu hợp vệ sinh đạt 92% ở khu vực thành thị và 85% ở khu vực nông thôn.
B. NHIỆM VỤ NĂM 2026
Giảm tỷ lệ chuyển tuyến xuống dưới 2%.
"""


def test_a_capital_letter_section_above_numbered_headings_and_dimensions_after_the_number():
    obs = extract_text(MERGED_PROVINCE, "pt.txt")
    y25, y24, y26 = ("2025-01-01", "2025-12-31"), ("2024-01-01", "2024-12-31"), ("2026-01-01", "2026-12-31")
    assert [(o.indicator, o.value, o.kind, o.qualifier, o.period_start, o.period_end, o.dimension) for o in obs] == [
        ("health_insurance_coverage_pct", 95, "target", "exact", *y25, None),
        ("health_insurance_coverage_pct", 95.2, "actual", "exact", *y25, None),
        # `1. Chỉ tiêu về y tế` under `A. KẾT QUẢ THỰC HIỆN` reports results, not targets
        ("doctors_per_10k", 14.1, "actual", "exact", *y25, None),
        ("doctors_per_10k", 13.6, "actual", "exact", *y24, None),
        ("doctors_total", 7215, "actual", "exact", *y25, None),
        ("health_facilities_total", 1200, "actual", "exact", *y25, "private"),
        ("life_expectancy_years", 74.8, "actual", "exact", *y25, None),
        ("hygienic_latrine_pct", 92, "actual", "exact", *y25, "urban"),
        ("hygienic_latrine_pct", 85, "actual", "exact", *y25, "rural"),
        ("referral_rate_pct", 2, "target", "less_than", *y26, None),
    ]
    assert {o.area for o in obs} == {"Phú Thọ"}


@pytest.mark.parametrize("sentence,expected", [
    ("- Tỷ lệ TYT xã có BS làm việc: 100%.", [("commune_stations_with_doctor_pct", 100)]),
    ("- 8,5 BS/vạn dân; 28,6 GB/vạn dân.", [("doctors_per_10k", 8.5), ("beds_per_10k", 28.6)]),
    ("- Tỷ lệ xã đạt BTCQG về y tế: 100%.", [("communes_national_criteria_pct", 100)]),
    ("- Tỷ số giới tính khi sinh: 112/100.", [("sex_ratio_at_birth", 112)]),
    ("- Tỷ lệ TCMR (tiêm chủng đầy đủ) cho trẻ dưới 1 tuổi đạt 98,2%.", [("full_immunization_pct", 98.2)]),
    ("- Có 95/100 xã triển khai tiêm chủng đầy đủ.", []),  # a fraction, not a value
    ("Sốt xuất huyết                1.234        0", [("dengue_cases", 1234)]),  # an unnamed second column
    ("- Đạt 15 bác sĩ/1 vạn dân.", [("doctors_per_10k", 15)]),
    ("- Tỷ lệ trẻ dưới 1 tuổi được TCĐĐ đạt 97,5%.", [("full_immunization_pct", 97.5)]),
    ("- Tổng số lần khám bệnh: 1.234.567 lần.", [("medical_visits_total", 1234567)]),
    ("- Số cơ sở khám bệnh, chữa bệnh ngoài công lập: 1.234 cơ sở.", [("health_facilities_total", 1234)]),
    ("- Ngành y tế có 5.432 cán bộ, trong đó 1.456 bác sĩ.", [("doctors_total", 1456)]),
    ("- Bệnh viện Đa khoa tỉnh: khám bệnh cho 234.567 lượt người.", [("medical_visits_total", 234567)]),
    ("- Bệnh SXH: 1.234 ca; TCM: 456 ca; liên cầu khuẩn lợn 5 ca, 1 ca tử vong.",
     [("dengue_cases", 1234), ("hfmd_cases", 456), ("strep_suis_cases", 5), ("strep_suis_deaths", 1)]),
    ("- Xảy ra 2 vụ NĐTP với 45 người mắc.", [("food_poisoning_outbreaks", 2), ("food_poisoning_cases", 45)]),
    ("- Tỷ lệ chuyển viện 2,5%; lượt chuyển viện 12.345 lượt.", [("referral_rate_pct", 2.5), ("referrals_total", 12345)]),
    ("- Tỷ lệ hộ gia đình có hố xí hợp vệ sinh 85%.", [("hygienic_latrine_pct", 85)]),
    ("- Chuyển 1.234 lượt người bệnh lên tuyến trung ương.", [("referrals_total", 1234)]),
    ("- Tỷ lệ NCT được khám sức khỏe định kỳ 70%; tỷ lệ người dân có Sổ SKĐT 65%.",
     [("elderly_check_pct", 70), ("ehealth_book_pct", 65)]),
    ("- Phát hiện 456 cơ sở vi phạm, xử phạt 123 cơ sở với số tiền 567 triệu đồng.",
     [("entities_violating_total", 456), ("administrative_fines_vnd", 567e6)]),
    ("- Tổng chi KCB BHYT đạt 1,2 nghìn tỷ đồng.", [("insured_treatment_cost_vnd", 1.2e12)]),
    ("- Số bác sỹ/1 vạn dân: 12,1; số giường bệnh trên một vạn dân: 30,2 giường.",
     [("doctors_per_10k", 12.1), ("beds_per_10k", 30.2)]),
    ("- Tỷ lệ hộ gia đình sử dụng nước hợp vệ sinh: 99%.", [("hygienic_water_pct", 99)]),
    ("- Tổng số trẻ em sinh ra trong năm là 25.000 trẻ.", [("births_total", 25000)]),
    ("- Tỷ lệ suy dinh dưỡng thể chiều cao/tuổi ở trẻ em dưới 5 tuổi: 23,1%.", [("stunting_under5_pct", 23.1)]),
    ("- Tổng số cơ sở khám, chữa bệnh: 1.120 cơ sở, trong đó công lập 180, ngoài công lập 940.",
     [("health_facilities_total", 1120), ("health_facilities_total", 180), ("health_facilities_total", 940)]),
    ("- Tỷ lệ người cao tuổi được khám sức khỏe định kỳ ít nhất 1 lần/năm đạt 70%.", [("elderly_check_pct", 70)]),
])
def test_abbreviations_reports_use(sentence, expected):
    obs = extract_text("BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2023 tỉnh Bắc Giang\n" + sentence, "x.txt")
    assert [(o.indicator, o.value) for o in obs] == expected


MONTHLY_NOTICE = """SỞ Y TẾ TỈNH NGHỆ AN
THÔNG BÁO
Kết luận của Giám đốc Sở Y tế tại Hội nghị giao ban tháng 10 năm 2024
Ngày 05/11/2024, Sở Y tế tổ chức hội nghị giao ban trực tuyến với 21 huyện, thành, thị.
Bệnh tay chân miệng: trong tháng 45 ca, cộng dồn 512 ca.
Tỷ lệ tiêm chủng đầy đủ cho trẻ dưới 1 tuổi 10 tháng đạt 78,5% (kế hoạch năm: 95%).
Trẻ dưới 6 tháng tuổi được bú mẹ hoàn toàn; trong vòng 3 tháng tới hoàn thành tiêm chủng.
Điện thoại đường dây nóng: 0238.3844.567; Quyết định số 1234/QĐ-UBND ngày 12/3/2024.
"""


def test_a_monthly_notice_months_so_far_and_the_year_plan():
    obs = extract_text(MONTHLY_NOTICE, "tb.txt")
    october, ten, year = ("2024-10-01", "2024-10-31"), ("2024-01-01", "2024-10-31"), ("2024-01-01", "2024-12-31")
    assert [(o.indicator, o.value, o.kind, o.period_start, o.period_end) for o in obs] == [
        ("hfmd_cases", 45, "actual", *october),  # `tháng 45` is no month: a count
        ("hfmd_cases", 512, "actual", *ten),
        ("full_immunization_pct", 78.5, "actual", *ten),  # `10 tháng`: January to October
        ("full_immunization_pct", 95, "target", *year),  # `kế hoạch năm`: the whole year
    ]


def test_a_day_and_month_without_a_year_take_the_year_of_their_context():
    context = Period(date(2024, 1, 1), date(2024, 12, 31), "năm 2024")
    found = find_periods(fold("Năm 2024 (số liệu đến 30/11): 456 ca sởi"))
    assert [(p.start, p.end) for p in (combine(f[2], context) for f in found)] == [
        (date(2024, 1, 1), date(2024, 12, 31)), (date(2024, 1, 1), date(2024, 11, 30))]
    assert [p.label for _, _, p in find_periods(fold("đến 10/12 huyện đạt chuẩn"))] == []


@pytest.mark.parametrize("phrase,span", [
    ("10 tháng năm 2024", ((2024, 1, 1), (2024, 10, 31))),
    ("trẻ dưới 6 tháng tuổi", None),
    ("trong vòng 3 tháng", None),
])
def test_first_months_but_not_ages_or_durations(phrase, span):
    found = [p for _, _, p in find_periods(fold(phrase)) if not p.year_only]
    assert [(p.start, p.end) for p in found] == ([(date(*span[0]), date(*span[1]))] if span else [])


@pytest.mark.parametrize("sentence,expected", [
    ("Năm 2025 phấn đấu đạt tỷ lệ bao phủ BHYT 95%.",
     [("health_insurance_coverage_pct", 95, "target", "2025-01-01", "2025-12-31")]),
    ("Đến năm 2030, phấn đấu đạt 15 bác sĩ/vạn dân.", [("doctors_per_10k", 15, "target", "2030-01-01", "2030-12-31")]),
    ("Năm 2024, tỷ lệ bao phủ BHYT đạt 94%.", [("health_insurance_coverage_pct", 94, "actual", "2024-01-01", "2024-12-31")]),
    # a short subject between the year and the cue
    ("Năm 2025, ngành y tế phấn đấu đạt tỷ lệ bao phủ BHYT 95%, 11,5 bác sĩ/vạn dân.",
     [("health_insurance_coverage_pct", 95, "target", "2025-01-01", "2025-12-31"),
      ("doctors_per_10k", 11.5, "target", "2025-01-01", "2025-12-31")]),
    ("Tỷ lệ tiêm chủng đầy đủ so với chỉ tiêu (95%) đạt 97%.",
     [("full_immunization_pct", 95, "target", "2024-01-01", "2024-12-31"),
      ("full_immunization_pct", 97, "actual", "2024-01-01", "2024-12-31")]),
])
def test_a_year_before_the_target_cue_that_opens_a_sentence(sentence, expected):
    obs = extract_text("BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024 tỉnh Hải Dương\n" + sentence, "x.txt")
    assert [(o.indicator, o.value, o.kind, o.period_start, o.period_end) for o in obs] == expected


@pytest.mark.parametrize("sentence,expected", [
    ("Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi giảm từ 22,1% năm 2023 xuống 21,4% năm 2024.",
     [("stunting_under5_pct", 22.1, "exact", "2023-01-01", "2023-12-31", None),
      ("stunting_under5_pct", 21.4, "exact", "2024-01-01", "2024-12-31", None)]),
    ("Quý IV/2024 ghi nhận 45 ca sởi.", [("measles_cases", 45, "exact", "2024-10-01", "2024-12-31", None)]),
    ("Thu hút 12 bác sĩ theo chính sách của tỉnh, trong đó 3 bác sĩ chuyên khoa II.",
     [("doctors_recruited", 12, "exact", "2024-01-01", "2024-12-31", None)]),
    ("Tổng số lượt khám bệnh 2.000.000 lượt, trong đó 150.000 lượt điều trị nội trú.",
     [("medical_visits_total", 2_000_000, "exact", "2024-01-01", "2024-12-31", None),
      ("medical_visits_total", 150_000, "exact", "2024-01-01", "2024-12-31", "inpatient")]),
    ("Tỷ lệ bao phủ BHYT đạt từ 95% trở lên.",
     [("health_insurance_coverage_pct", 95, "more_than", "2024-01-01", "2024-12-31", None)]),
    # In an annual report, `cùng kỳ` is the same months as the clause's own period, a year earlier; the same
    # value for both periods is two observations.
    ("Trong 9 tháng đầu năm 2024, toàn tỉnh ghi nhận 163 ca tay chân miệng (cùng kỳ năm 2023: 163 ca).",
     [("hfmd_cases", 163, "exact", "2024-01-01", "2024-09-30", None),
      ("hfmd_cases", 163, "exact", "2023-01-01", "2023-09-30", None)]),
    # A year in a closed parenthesis is the period of what it holds, not of the clauses after it.
    ("Ghi nhận 4.567 ca sốt xuất huyết (năm 2023: 8.901 ca), 2.345 ca tay chân miệng.",
     [("dengue_cases", 4567, "exact", "2024-01-01", "2024-12-31", None),
      ("dengue_cases", 8901, "exact", "2023-01-01", "2023-12-31", None),
      ("hfmd_cases", 2345, "exact", "2024-01-01", "2024-12-31", None)]),
    # A parenthesis that only states the clause's dates is the clause's period.
    ("Trong tuần (từ 18/11 đến 24/11/2024), ghi nhận 45 ca sốt xuất huyết.",
     [("dengue_cases", 45, "exact", "2024-11-18", "2024-11-24", None)]),
    # Staff of every kind (`công chức, viên chức`) are not doctors; the doctors are the part after `trong đó`.
    ("Toàn ngành có 9.876 công chức, viên chức và người lao động, trong đó có 2.101 bác sĩ.",
     [("doctors_total", 2101, "exact", "2024-01-01", "2024-12-31", None)]),
])
def test_changes_between_years_quarters_and_parts_of_a_figure(sentence, expected):
    obs = extract_text("BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024 tỉnh Hà Tĩnh\n" + sentence, "x.txt")
    assert [(o.indicator, o.value, o.qualifier, o.period_start, o.period_end, o.dimension) for o in obs] == expected


def test_a_national_figure_in_a_parenthesis_after_its_cue():
    text = ("BÁO CÁO KẾT QUẢ NĂM 2024\nTỷ lệ bao phủ BHYT của tỉnh Bình Dương đạt 92%, cao hơn bình quân chung "
            "cả nước (91%); số bác sĩ/vạn dân đạt 12 (so với toàn quốc là 13).\n")
    assert [(o.indicator, o.value, o.area) for o in extract_text(text, "x.txt")] == [
        ("health_insurance_coverage_pct", 92, "Bình Dương"), ("health_insurance_coverage_pct", 91, None),
        ("doctors_per_10k", 12, "Bình Dương"), ("doctors_per_10k", 13, None)]


BY_CODE = by_code()
_SOUP = ("năm tháng quý ngày 2024 2023 12 9 6 / . , ; : ( ) % ca tử vong không có cùng kỳ lũy tích đến 30/11/2024 "
         "từ xuống trên dưới < > ≥ tỷ lệ bác sĩ/vạn dân giường bệnh sốt xuất huyết tay chân miệng BHYT đạt kế hoạch "
         "chỉ tiêu trong đó nội trú ngoại trú tư nhân công lập cả nước tỉnh Nghệ An | - * ** \n 1. I. A. a) 112/100 "
         "1.234 3,5 triệu tỷ đồng Quý IV/2024 10 tháng 95/100 000 6 tháng cuối năm tháng 2/2024").split(" ")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SOUP), min_size=1, max_size=80))
def test_any_mix_of_report_words_extracts_without_error_and_within_the_contract(words):
    text = " ".join(words)
    normalised = normalize(text)
    for o in extract_text(text, "soup.txt"):
        assert normalised[o.evidence_start:o.evidence_end] == o.evidence
        assert BY_CODE[o.indicator].plausible(o.value)
        assert not (o.period_start and o.period_end) or o.period_start <= o.period_end
        assert o.kind in ("actual", "target") and o.qualifier in ("exact", "approx", "more_than", "less_than")


def test_the_same_value_for_the_province_and_the_country_is_two_observations():
    text = ("BÁO CÁO KẾT QUẢ NĂM 2024 tỉnh Hà Tĩnh\nTỷ lệ người dân tham gia bảo hiểm y tế của tỉnh đạt 92,7%, "
            "trong khi bình quân chung toàn quốc là 92,7%.\n")
    assert [(o.value, o.area) for o in extract_text(text, "x.txt")] == [(92.7, "Hà Tĩnh"), (92.7, None)]


def test_text_already_normalised_is_not_normalised_again_and_gives_the_same():
    import unicodedata

    raw = unicodedata.normalize("NFD", MERGED_PROVINCE.replace(" ", "\u00a0", 3).replace("\n", "\r\n"))
    assert extract_text(normalize(raw), "pt.txt", normalized=True) == extract_text(raw, "pt.txt")


@pytest.mark.parametrize("sentence,expected", [
    ("Bệnh sốt xuất huyết: toàn tỉnh 1.234 ca, tập trung tại TP Vinh 456 ca, huyện Quỳnh Lưu 123 ca.", [1234]),
    ("Ghi nhận 1.234 ca sốt xuất huyết, trong đó thành phố Vinh 456 ca, huyện Nghi Lộc 123 ca.", [1234]),
    ("Sốt xuất huyết tập trung ở các huyện: Diễn Châu (45 ca), Yên Thành (30 ca).", []),
    ("Tổng số ca sốt xuất huyết toàn thành phố 12.345 ca.", [12345]),  # a city that is a province
    ("Sốt xuất huyết: 345 ca (200 ca tại thành phố Vinh, 145 ca tại huyện Nghi Lộc).", [345]),
    ("Sốt xuất huyết tuần 45 ghi nhận 123 ca; 12 ổ dịch.", [123]),   # a week's number, foci of an outbreak
    # a district as the subject of the clause; a centrally-run city is a province
    ("Sốt xuất huyết: huyện Diễn Châu 45 ca; huyện Yên Thành 30 ca.", []),
    ("Huyện Diễn Châu ghi nhận 45 ca sốt xuất huyết.", []),
    ("Thành phố Hải Phòng ghi nhận 45 ca sốt xuất huyết.", [45]),
    # one event in one place is still the province's only figure (as the gold of the real reports has it)
    ("Xảy ra 01 vụ ngộ độc thực phẩm tại phường Đắc Sơn thành phố Phổ Yên với 09 ca mắc sốt xuất huyết.", [9]),
])
def test_district_parts_are_not_the_provinces_figure(sentence, expected):
    obs = extract_text("BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024 tỉnh Nghệ An\n" + sentence, "x.txt")
    assert [o.value for o in obs if o.indicator == "dengue_cases"] == expected


def test_the_month_quarter_and_year_before_the_one_in_force():
    text = ("SỞ Y TẾ TỈNH NGHỆ AN\nBÁO CÁO\nTình hình dịch bệnh tháng 11 năm 2024\n"
            "Sốt xuất huyết: 45 ca (tháng trước: 35 ca; quý trước: 120 ca); năm trước: 1.234 ca.\n"
            "Tay chân miệng: 12 ca, giảm so với cùng kỳ năm trước (20 ca).")
    got = [(o.value, o.period_start, o.period_end) for o in extract_text(text, "m.txt")]
    assert got == [(45, "2024-11-01", "2024-11-30"), (35, "2024-10-01", "2024-10-31"),
                   (120, "2024-07-01", "2024-09-30"), (1234, "2023-01-01", "2023-12-31"),
                   (12, "2024-11-01", "2024-11-30"), (20, "2023-11-01", "2023-11-30")]


def test_a_weekly_report_and_a_count_after_tu_dau_nam():
    text = ("SỞ Y TẾ TỈNH NGHỆ AN\nBÁO CÁO\nTình hình dịch bệnh tuần 47 năm 2024\n"
            "Trong tuần ghi nhận 45 ca sốt xuất huyết; cộng dồn từ đầu năm 1.234 ca.")
    got = [(o.value, o.period_start, o.period_end) for o in extract_text(text, "w.txt")]
    assert got == [(45, "2024-11-18", "2024-11-24"), (1234, "2024-01-01", "2024-11-24")]


def test_cases_and_deaths_written_as_pairs_under_a_cases_deaths_heading():
    text = ("SỞ Y TẾ TỈNH NGHỆ AN\nBÁO CÁO CÔNG TÁC Y TẾ THÁNG 10 NĂM 2024\n"
            "1. Tình hình dịch bệnh trong tháng (số mắc/chết)\n"
            "- Sốt xuất huyết: 123/0; cộng dồn từ đầu năm 1.456/1.\n"
            "- Bệnh dại: 0/2.\n"   # more deaths than cases: no pair
            "- Liên cầu lợn: 5/1.\n"
            "- Sởi: 0/0 (giám sát đến 15/10).\n"
            "2. Công tác khác\n- Có 15/21 huyện đạt tiêu chí; 12/2 xã triển khai.\n")
    got = [(o.indicator, o.value, o.period_start, o.period_end) for o in extract_text(text, "m.txt")]
    assert got == [
        ("dengue_cases", 123, "2024-10-01", "2024-10-31"), ("dengue_cases", 1456, "2024-01-01", "2024-10-31"),
        ("strep_suis_cases", 5, "2024-10-01", "2024-10-31"), ("strep_suis_deaths", 1, "2024-10-01", "2024-10-31"),
        ("measles_cases", 0, "2024-10-01", "2024-10-31"),
    ]


@pytest.mark.parametrize("sentence,expected", [
    # the cue in the sentence itself, and `ca mắc/N tử vong`
    ("Liên cầu lợn (mắc/tử vong): 7/2.", [("strep_suis_cases", 7, None), ("strep_suis_deaths", 2, None)]),
    ("Liên cầu khuẩn lợn: 7 ca mắc/2 tử vong.", [("strep_suis_cases", 7, None), ("strep_suis_deaths", 2, None)]),
    # a change in percentage points is no value
    ("Tỷ lệ bao phủ BHYT đạt 91,2%, thấp hơn chỉ tiêu 1,8 điểm phần trăm.",
     [("health_insurance_coverage_pct", 91.2, None)]),
    # `Khám chữa bệnh:` as the label of the visits that follow, each with its dimension before it
    ("Khám chữa bệnh: ngoại trú 1.234.567 lượt; nội trú 123.456 lượt.",
     [("medical_visits_total", 1234567, "outpatient"), ("medical_visits_total", 123456, "inpatient")]),
    ("Cơ sở khám chữa bệnh: 1.234 cơ sở.", [("health_facilities_total", 1234, None)]),
    # the dimension inside a per-10,000 unit
    ("Đạt 3,5 giường bệnh tư nhân/vạn dân và 30,1 giường bệnh công lập/vạn dân.",
     [("beds_per_10k", 3.5, "private"), ("beds_per_10k", 30.1, "public")]),
    # food safety written with slashes, the passing part of an inspected total, fines `với số tiền`
    ("Ngộ độc thực phẩm: 02 vụ/45 người mắc/0 tử vong.",
     [("food_poisoning_outbreaks", 2, None), ("food_poisoning_cases", 45, None), ("food_poisoning_deaths", 0, None)]),
    ("Kiểm tra 3.456 cơ sở sản xuất, kinh doanh thực phẩm, 2.987 cơ sở đạt (86,4%).",
     [("food_establishments_inspected", 3456, None)]),
    ("Đoàn liên ngành kiểm tra 234 cơ sở thực phẩm, xử lý 23 cơ sở vi phạm với số tiền 56 triệu đồng.",
     [("food_establishments_inspected", 234, None), ("entities_violating_total", 23, None),
      ("administrative_fines_vnd", 56e6, None)]),
    ("Toàn tỉnh có 1.234 cơ sở hành nghề khám bệnh, chữa bệnh tư nhân.", [("health_facilities_total", 1234, "private")]),
    ("Tổng số giường bệnh toàn tỉnh là 5.678 giường, trong đó giường bệnh tư nhân 456 giường.",
     [("beds_total", 5678, None), ("beds_total", 456, "private")]),
    ("Tỷ lệ phụ nữ mang thai được sàng lọc ít nhất 4 bệnh tật bẩm sinh phổ biến nhất đạt 50%.",
     [("prenatal_screening_pct", 50, None)]),
    ("Ghi nhận 123 bệnh nhân mắc sốt xuất huyết; bệnh sởi 45 người mắc; 2 bệnh nhân tử vong do bệnh dại.",
     [("dengue_cases", 123, None), ("measles_cases", 45, None), ("rabies_deaths", 2, None)]),
    ("Năm 2024 toàn tỉnh có 12.345 trẻ được sinh ra, 1.234 trẻ sinh ra là con thứ 3 trở lên.",
     [("births_total", 12345, None), ("third_child_births_total", 1234, None)]),
    ("BHYT toàn dân: 93,2%; số giường bệnh kế hoạch/vạn dân: 30,5; giường bệnh thực kê/vạn dân đạt 38.",
     [("health_insurance_coverage_pct", 93.2, None), ("beds_per_10k", 30.5, None), ("beds_per_10k", 38, None)]),
    ("Tỷ lệ trẻ dưới 1 tuổi được tiêm đủ các mũi vắc xin: 97%.", [("full_immunization_pct", 97, None)]),
    ("Bệnh tay - chân - miệng: 56 ca; sốt phát ban nghi sởi: 45 ca.", [("hfmd_cases", 56, None)]),  # suspected
    ("Số lượt người bệnh chuyển tuyến: 12.345 lượt.", [("referrals_total", 12345, None)]),
    ("Số giường bệnh tư nhân/vạn dân: 3,2 giường.", [("beds_per_10k", 3.2, "private")]),
    ("Số cơ sở vi phạm: 345 cơ sở (chiếm 7,5%).", [("entities_violating_total", 345, None)]),
    ("Điều trị nội trú 123.456 lượt; điều trị ngoại trú 45.678 lượt; ngày điều trị nội trú trung bình 6,5 ngày.",
     [("medical_visits_total", 123456, "inpatient"), ("medical_visits_total", 45678, "outpatient")]),
    # other staff per 10,000 people are not doctors
    ("Số bác sĩ/vạn dân đạt 12,1; dược sĩ/vạn dân đạt 3,0; 25 điều dưỡng/vạn dân.",
     [("doctors_per_10k", 12.1, None), ("pharmacists_per_10k", 3.0, None), ("nurses_per_10k", 25, None)]),
])
def test_pairs_points_labels_and_dimensions_in_the_unit(sentence, expected):
    obs = extract_text("BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024 tỉnh Hà Tĩnh\n" + sentence, "x.txt")
    assert [(o.indicator, o.value, o.dimension) for o in obs] == expected


OTHER_PROVINCES_NAMED = """SỞ Y TẾ TỈNH BÌNH PHƯỚC
BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024
Tỷ lệ bao phủ BHYT của tỉnh đạt 95%, cao hơn tỉnh Bình Dương (93%) và thấp hơn TP. Hồ Chí Minh (96,2%).
Tiếp nhận bác sĩ từ Hà Nội và TP.HCM về công tác; chuyển người bệnh lên tuyến trung ương tại TP. Hồ Chí Minh.
Số ca mắc sốt xuất huyết của tỉnh là 2.345 ca, xếp thứ 5 trong khu vực Đông Nam Bộ; toàn quốc ghi nhận 145.000 ca.
Bệnh viện Đa khoa tỉnh Bình Phước: khám 456.789 lượt bệnh nhân.
"""


def test_the_issuers_header_names_the_reports_province_however_often_others_are_named():
    got = [(o.indicator, o.value, o.area) for o in extract_text(OTHER_PROVINCES_NAMED, "bp.txt")]
    assert got == [
        ("health_insurance_coverage_pct", 95, "Bình Phước"), ("health_insurance_coverage_pct", 93, "Bình Dương"),
        # `TP.` does not end a sentence
        ("health_insurance_coverage_pct", 96.2, "Hồ Chí Minh"),
        # a rank (`xếp thứ 5`) in an earlier clause does not make the national figure the province's
        ("dengue_cases", 2345, "Bình Phước"), ("dengue_cases", 145000, None),
        ("medical_visits_total", 456789, "Bình Phước"),   # `khám N lượt`
    ]
    assert document_area(OTHER_PROVINCES_NAMED) == "Bình Phước"


ADMINISTRATIVE_FIGURES = """SỞ Y TẾ TỈNH HÀ TĨNH
BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024
1. Khám chữa bệnh:
- Tổ chức 45 lớp tập huấn cho 2.345 lượt học viên.
- Khám sức khỏe cho 12.345 lượt người cao tuổi.
- Tổng số lượt khám bệnh: 1.456.789 lượt.
2. Công tác hành chính
- Giải quyết 456 hồ sơ thủ tục hành chính, 100% đúng hạn. Tỷ lệ hồ sơ giải quyết đúng hạn đạt 100%.
- Tỷ lệ hài lòng của người dân đối với sự phục vụ của cơ quan hành chính nhà nước đạt 92%.
- Kinh phí thực hiện 12,5 tỷ đồng; cấp 1.234 chứng chỉ hành nghề; tiếp nhận 23 đơn thư.
- Điện thoại đường dây nóng: 0239.3855.123; email: syt@hatinh.gov.vn.
- Ngày 15/3/2024, tổ chức Hội nghị với 300 đại biểu; 05 tập thể và 12 cá nhân được tặng Bằng khen.
3. Dân số
- Quy mô dân số 1.323.000 người; mức sinh 2,1 con/phụ nữ; tỷ suất sinh thô 14,5‰.
"""


def test_trainees_health_checks_and_satisfaction_with_administration_are_no_health_figures():
    got = [(o.indicator, o.value) for o in extract_text(ADMINISTRATIVE_FIGURES, "ht.txt")]
    assert got == [("medical_visits_total", 1456789)]


PLAN_WITH_ESTIMATES = """UBND TỈNH QUẢNG TRỊ
SỞ Y TẾ
KẾ HOẠCH
Phát triển sự nghiệp y tế năm 2025

I. ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NĂM 2024
Ước thực hiện năm 2024: tỷ lệ bao phủ BHYT đạt 93%; số bác sĩ/vạn dân đạt 11,8.
Trong 10 tháng đầu năm 2024, tổng số lượt khám chữa bệnh là 1.234.567 lượt; ước cả năm đạt 1.500.000 lượt.
Ước thực hiện năm 2024:
- Tỷ lệ trạm y tế xã có bác sĩ: 100%.
II. MỤC TIÊU, CHỈ TIÊU NĂM 2025
- Số bác sĩ/vạn dân: 12,5.
III. GIẢI PHÁP
Hiện nay tỷ lệ xã đạt Bộ tiêu chí quốc gia về y tế là 92%; phấn đấu đạt 95%.
"""


def test_estimates_for_the_whole_year_and_actual_cues_before_the_phrasing_in_a_plan():
    got = [(o.indicator, o.value, o.kind, o.qualifier, o.period_start, o.period_end)
           for o in extract_text(PLAN_WITH_ESTIMATES, "qt.txt")]
    y24, y25 = ("2024-01-01", "2024-12-31"), ("2025-01-01", "2025-12-31")
    assert got == [
        # as the gold of the real reports has it, `Ước thực hiện` heading a list or a sentence leaves its figures
        # exact; only `ước` right before a number makes it approximate
        ("health_insurance_coverage_pct", 93, "actual", "exact", *y24),
        ("doctors_per_10k", 11.8, "actual", "exact", *y24),
        ("medical_visits_total", 1234567, "actual", "exact", "2024-01-01", "2024-10-31"),
        ("medical_visits_total", 1500000, "actual", "approx", *y24),   # `ước cả năm`: the whole year
        ("commune_stations_with_doctor_pct", 100, "actual", "exact", *y24),
        ("doctors_per_10k", 12.5, "target", "exact", *y25),
        # `Hiện nay` before the phrasing claims the figure even in a section of solutions
        ("communes_national_criteria_pct", 92, "actual", "exact", *y25),
        ("communes_national_criteria_pct", 95, "target", "exact", *y25),
    ]


@pytest.mark.parametrize("sentence,expected", [
    ("Thanh tra Sở Y tế đã tiến hành 12 cuộc thanh tra, kiểm tra tại 234 cơ sở.",
     [("inspections_total", 12, "Sở Y tế"), ("entities_inspected_total", 234, "Sở Y tế")]),
    ("Thanh tra Sở: thanh tra, kiểm tra 45 cuộc; xử phạt 123 triệu đồng.",
     [("inspections_total", 45, "Sở Y tế"), ("administrative_fines_vnd", 123e6, "Sở Y tế")]),
    ("Bệnh viện Đa khoa tỉnh khám cho 234.567 lượt người bệnh.",
     [("medical_visits_total", 234567, "Bệnh viện Đa khoa tỉnh")]),
    # the province's activity, and a rate, stay the province's
    ("Các cơ sở y tế trong tỉnh đã khám cho 2.345.678 lượt người.", [("medical_visits_total", 2345678, None)]),
    ("Sở Y tế tổ chức tiêm chủng, tỷ lệ tiêm chủng đầy đủ đạt 98%.", [("full_immunization_pct", 98, None)]),
])
def test_an_organisation_as_the_subject_of_an_activity_is_its_facility(sentence, expected):
    obs = extract_text("BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024 tỉnh Nghệ An\n" + sentence, "x.txt")
    assert [(o.indicator, o.value, o.facility) for o in obs] == expected


@pytest.mark.parametrize("title,span", [
    ("Công tác y tế tháng 11 và nhiệm vụ trọng tâm tháng 12 năm 2024", ("2024-11-01", "2024-11-30")),
    ("Kết quả công tác y tế 6 tháng đầu năm và nhiệm vụ 6 tháng cuối năm 2024", ("2024-01-01", "2024-06-30")),
    ("Kết quả thực hiện nhiệm vụ quý III và phương hướng quý IV năm 2024", ("2024-07-01", "2024-09-30")),
    ("Tình hình thực hiện nhiệm vụ 9 tháng, phương hướng nhiệm vụ 3 tháng cuối năm 2024", ("2024-01-01", "2024-09-30")),
    ("Công tác y tế tháng 12 và nhiệm vụ trọng tâm tháng 01 năm 2025", ("2024-12-01", "2024-12-31")),
    ("Tổng kết năm 2024 và kế hoạch năm 2025", ("2024-01-01", "2024-12-31")),
])
def test_a_title_names_the_reports_own_period_first_and_the_next_ones_year_completes_it(title, span):
    obs = extract_text(f"SỞ Y TẾ TỈNH NGHỆ AN\nBÁO CÁO\n{title}\nGhi nhận 45 ca sởi.", "x.txt")
    assert [(o.period_start, o.period_end) for o in obs] == [span]


@pytest.mark.parametrize("sentence,expected", [
    # after a `;`, words that are neither a continuation nor the indicator's own name another subject
    ("Tỷ lệ tiêm chủng đầy đủ đạt 98%; tiêm vắc xin viêm gan B sơ sinh đạt 85%.", [("full_immunization_pct", 98)]),
    ("Tỷ lệ trạm y tế xã có bác sĩ đạt 95%; có nữ hộ sinh đạt 100%.", [("commune_stations_with_doctor_pct", 95)]),
    # after a comma, a clause with its own verb
    ("Tỷ lệ tiêm chủng đầy đủ đạt 98%, tiêm vắc xin viêm gan B sơ sinh đạt 85%.", [("full_immunization_pct", 98)]),
    ("Số người tham gia BHYT là 1.234.567 người, tỷ lệ bao phủ đạt 93,2% dân số.",
     [("health_insurance_coverage_pct", 93.2)]),
    ("Tỷ lệ hài lòng của người bệnh đạt 95%; tỷ lệ người bệnh được khám đúng hẹn 90%.",
     [("patient_satisfaction_pct", 95)]),
    ("Tỷ lệ suy dinh dưỡng thể thấp còi 19,5%; thể gầy còm 5,2%.", [("stunting_under5_pct", 19.5),
                                                                    ("wasting_under5_pct", 5.2)]),
    ("Tỷ lệ nhiễm HIV 0,2%; tỷ lệ mắc lao 0,1%.", [("hiv_prevalence_pct", 0.2)]),
    ("Sốt xuất huyết 123 ca; viêm não 5 ca.", [("dengue_cases", 123)]),
    # ... while periods, dimensions, verbs and the indicator's own words continue it
    ("Tỷ lệ tiêm chủng đầy đủ: năm 2023 đạt 95%; năm 2024 đạt 97%.",
     [("full_immunization_pct", 95), ("full_immunization_pct", 97)]),
    ("Số người tham gia BHYT là 1.234.567 người; tỷ lệ bao phủ đạt 93,2% dân số.",
     [("health_insurance_coverage_pct", 93.2)]),
    ("Khám chữa bệnh: ngoại trú 1.234.567 lượt; nội trú 123.456 lượt.",
     [("medical_visits_total", 1234567), ("medical_visits_total", 123456)]),
    # every number after `trong đó` in the clause is a part
    ("Tỷ lệ bao phủ BHYT đạt 93%, trong đó nhóm hộ nghèo 100%, cận nghèo 85%.", [("health_insurance_coverage_pct", 93)]),
])
def test_a_clause_that_names_its_own_subject_and_parts_after_trong_do(sentence, expected):
    obs = extract_text("BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024 tỉnh Nghệ An\n" + sentence, "x.txt")
    assert [(o.indicator, o.value) for o in obs] == expected


@pytest.mark.parametrize("sentence,expected", [
    # a goal cue opening the sentence: the goal, unless `đạt` reports what was achieved of it
    ("Chỉ tiêu HĐND tỉnh giao: tỷ lệ bao phủ BHYT 95%.", [(95, "target", "2024-01-01")]),
    ("Chỉ tiêu tỷ lệ bao phủ BHYT năm 2024 là 95%, thực hiện đạt 93%.",
     [(95, "target", "2024-01-01"), (93, "actual", "2024-01-01")]),
    ("Chỉ tiêu tỷ lệ bao phủ BHYT: đạt 93%.", [(93, "actual", "2024-01-01")]),   # as the real reports' gold has it
    ("Chỉ tiêu năm 2025: tỷ lệ bao phủ BHYT đạt 95%.", [(95, "target", "2025-01-01")]),
    # a plan announced for a later year, and a figure for a year after the report's, have not happened yet
    ("Năm 2025, ngành y tế đề ra mục tiêu: tỷ lệ bao phủ BHYT đạt 95%.", [(95, "target", "2025-01-01")]),
    ("Dự kiến năm 2025 tỷ lệ bao phủ BHYT đạt 95%.", [(95, "target", "2025-01-01")]),
    ("Đến năm 2030, tỷ lệ bao phủ BHYT đạt trên 95%.", [(95, "target", "2030-01-01")]),
    ("Giai đoạn 2021-2030 tỷ lệ bao phủ BHYT đạt 93%.", [(93, "actual", "2024-01-01")]),
    # `chưa đạt chỉ tiêu` continues the clause
    ("Tỷ lệ bao phủ BHYT đạt 93%, chưa đạt chỉ tiêu đề ra là 95%.",
     [(93, "actual", "2024-01-01"), (95, "target", "2024-01-01")]),
])
def test_a_goal_cue_opening_the_sentence(sentence, expected):
    obs = extract_text("BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024 tỉnh Nghệ An\n" + sentence, "x.txt")
    assert [(o.value, o.kind, o.period_start) for o in obs] == expected


def test_a_month_a_bullet_names_holds_for_the_sibling_bullets_after_it():
    text = ("BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024 tỉnh Bắc Ninh\n"
            "- Kết quả khám chữa bệnh BHYT đến 23/12/2024:\n"
            "+ Tổng số lượt KCB BHYT tháng 12: 104.228 lượt.\n"
            "+ Tổng chi phí KCB BHYT: trên 97 tỷ đồng.\n"
            "+ Lũy tích từ đầu năm: 1.234.567 lượt khám bệnh.\n"
            "- Tỷ lệ bao phủ BHYT đạt 94%.\n")
    got = [(o.indicator, o.value, o.period_start, o.period_end) for o in extract_text(text, "bn.txt")]
    assert got == [("medical_visits_total", 104228, "2024-12-01", "2024-12-23"),
                   ("insured_treatment_cost_vnd", 97e9, "2024-12-01", "2024-12-23"),
                   ("medical_visits_total", 1234567, "2024-01-01", "2024-12-23"),
                   ("health_insurance_coverage_pct", 94, "2024-01-01", "2024-12-31")]   # the list has ended


def test_parts_of_a_report_are_top_headings():
    text = ("SỞ Y TẾ TỈNH NGHỆ AN\nBÁO CÁO\nKết quả công tác y tế năm 2024 và nhiệm vụ năm 2025\n"
            "Phần thứ nhất: Kết quả thực hiện nhiệm vụ năm 2024\nTỷ lệ bao phủ BHYT đạt 93%.\n"
            "Phần thứ hai: Phương hướng, nhiệm vụ năm 2025\nTỷ lệ bao phủ BHYT đạt 95%.\n")
    got = [(o.value, o.kind, o.period_start) for o in extract_text(text, "p.txt")]
    assert got == [(93, "actual", "2024-01-01"), (95, "target", "2025-01-01")]


@pytest.mark.parametrize("first,second", [("I-", "II-"), ("I/", "II/"), ("1-", "2-"), ("1/", "2/"), ("1)", "2)")])
def test_heading_markers_with_dashes_slashes_and_parentheses(first, second):
    text = ("SỞ Y TẾ TỈNH NGHỆ AN\nBÁO CÁO\nKết quả công tác y tế năm 2024 và nhiệm vụ năm 2025\n"
            f"{first} Kết quả thực hiện năm 2024\nTỷ lệ bao phủ BHYT đạt 93%.\n"
            f"{second} Nhiệm vụ năm 2025\nTỷ lệ bao phủ BHYT đạt 95%.\n")
    got = [(o.value, o.kind, o.period_start) for o in extract_text(text, "h.txt")]
    assert got == [(93, "actual", "2024-01-01"), (95, "target", "2025-01-01")]


def test_a_quarterly_report_its_year_plan_the_first_months_and_the_end_of_the_year():
    text = ("SỞ Y TẾ TỈNH QUẢNG TRỊ\nBÁO CÁO\nKết quả hoạt động y tế quý III/2024 và phương hướng quý IV/2024\n"
            "1. Khám chữa bệnh\n"
            "Tổng số người bệnh chuyển tuyến trên là 1.845 người.\n"
            # `kế hoạch năm 95%`: a percentage after `năm` is no year; `đầy đủ 9 tháng` is January to September
            "Tỷ lệ trẻ dưới 1 tuổi được tiêm chủng đầy đủ 9 tháng đạt 71,5% (kế hoạch năm 95%).\n"
            "Trẻ đủ 9 tháng được tiêm vắc xin sởi: tỷ lệ tiêm chủng đầy đủ đạt 70%.\n"
            "II. PHƯƠNG HƯỚNG QUÝ IV/2024\n"
            "Phấn đấu tỷ lệ bao phủ BHYT đạt 95,2% vào cuối năm.\n")
    got = [(o.indicator, o.value, o.kind, o.period_start, o.period_end) for o in extract_text(text, "qt.txt")]
    assert got == [("referrals_total", 1845, "actual", "2024-07-01", "2024-09-30"),
                   ("full_immunization_pct", 71.5, "actual", "2024-01-01", "2024-09-30"),
                   ("full_immunization_pct", 95, "target", "2024-01-01", "2024-12-31"),
                   ("full_immunization_pct", 70, "actual", "2024-07-01", "2024-09-30"),   # `đủ 9 tháng` is an age
                   ("health_insurance_coverage_pct", 95.2, "target", "2024-01-01", "2024-12-31")]


def test_an_event_report_a_part_named_again_after_trong_do_and_referrals_of_people():
    text = ("SỞ Y TẾ TỈNH BẮC NINH\nBÁO CÁO\nCông tác y tế phục vụ Tết Nguyên đán Giáp Thìn 2024\n"
            "Trong dịp Tết (từ ngày 08/02 đến ngày 14/02/2024), các cơ sở y tế đã tiếp nhận cấp cứu 1.234 trường hợp, "
            "trong đó cấp cứu do tai nạn giao thông 156 trường hợp.\n"
            "Số người bệnh phải chuyển tuyến là 87 người.\n")
    got = [(o.indicator, o.value, o.period_start, o.period_end) for o in extract_text(text, "bn.txt")]
    assert got == [("emergency_patients_total", 1234, "2024-02-08", "2024-02-14"),
                   ("referrals_total", 87, "2024-02-08", "2024-02-14")]


def test_a_plan_without_a_period_of_its_own_in_a_monthly_report_is_the_years():
    text = ("SỞ Y TẾ TỈNH AN GIANG\nBÁO CÁO\nTình hình hoạt động y tế tháng 10 năm 2025\n"
            "Tỷ lệ bao phủ BHYT đạt 90,3%, chỉ tiêu Chính phủ giao 93,5%.\n"
            "Tỷ lệ tiêm chủng đầy đủ đạt 98,5%/KH 95%.\n")
    got = [(o.value, o.kind, o.period_start, o.period_end) for o in extract_text(text, "ag.txt")]
    assert got == [(90.3, "actual", "2025-10-01", "2025-10-31"), (93.5, "target", "2025-01-01", "2025-12-31"),
                   (98.5, "actual", "2025-10-01", "2025-10-31"), (95, "target", "2025-01-01", "2025-12-31")]


@pytest.mark.parametrize("sentence,expected", [
    # a numbered goal label (`Chỉ tiêu 1:`) opens a line of plan and result, not a goal
    ("- Chỉ tiêu 1: Số bác sĩ/vạn dân: KH 13; TH 12,8; đạt 98,5% KH.",
     [(13, "target", "2024-01-01", "2024-12-31"), (12.8, "actual", "2024-01-01", "2024-09-30")]),
    ("Chỉ tiêu 1: Số bác sĩ/vạn dân 12,8.", [(12.8, "actual", "2024-01-01", "2024-09-30")]),
    # `ước cả năm 96%` in a nine-month report: the whole year's estimate
    ("Tỷ lệ tiêm chủng đầy đủ: 9 tháng đạt 72,3%, ước cả năm 96%.",
     [(72.3, "actual", "2024-01-01", "2024-09-30"), (96, "actual", "2024-01-01", "2024-12-31")]),
    ("Tỷ lệ tiêm chủng đầy đủ cả năm 2023 đạt 96%.", [(96, "actual", "2023-01-01", "2023-12-31")]),
])
def test_numbered_goal_labels_and_the_whole_years_estimate(sentence, expected):
    obs = extract_text("BÁO CÁO 9 THÁNG NĂM 2024 tỉnh Gia Lai\n" + sentence, "gl.txt")
    assert [(o.value, o.kind, o.period_start, o.period_end) for o in obs] == expected


@pytest.mark.parametrize("phrase,span", [
    ("Từ đầu năm 2024 đến nay", ("2024-01-01", "2024-11-30")),   # to the end of the report's month
    ("Từ tuần 1 đến tuần 45 năm 2024", ("2024-01-01", "2024-11-10")),   # Monday of week 1 to Sunday of week 45
    ("Từ tháng 01 đến hết tháng 9 năm 2024,", ("2024-01-01", "2024-09-30")),
    ("Trong 11 tháng năm 2024", ("2024-01-01", "2024-11-30")),
])
def test_spans_from_the_start_of_the_year_and_week_ranges(phrase, span):
    obs = extract_text(f"SỞ Y TẾ TỈNH GIA LAI\nBÁO CÁO THÁNG 11 NĂM 2024\n{phrase} ghi nhận 1.234 ca sốt xuất huyết.", "gl.txt")
    assert [(o.period_start, o.period_end) for o in obs] == [span]


@pytest.mark.parametrize("sentence,expected", [
    # official documents spell a count out after its digits
    ("Trong tháng ghi nhận 02 (hai) ca tử vong do bệnh dại.", [("rabies_deaths", 2)]),
    ("Xảy ra 01 (một) vụ ngộ độc thực phẩm với 12 (mười hai) người mắc.",
     [("food_poisoning_outbreaks", 1), ("food_poisoning_cases", 12)]),
    ("Đoàn liên ngành đã kiểm tra 25 (hai mươi lăm) cơ sở thực phẩm.", [("food_establishments_inspected", 25)]),
    # a count after `năm` is no year: fewer than four digits before a noun, or a percentage
    ("Bệnh dại: lũy tích từ đầu năm 05 ca tử vong.", [("rabies_deaths", 5)]),
    ("Tỷ lệ tiêm chủng đầy đủ đạt 68,5% (kế hoạch năm 95%).", [("full_immunization_pct", 68.5), ("full_immunization_pct", 95)]),
    ("Sốt xuất huyết: năm 2024 ghi nhận 12 ca.", [("dengue_cases", 12)]),
    # the figure first, then what it counts or is a share of
    ("98,7% trẻ em dưới 1 tuổi được tiêm chủng đầy đủ.", [("full_immunization_pct", 98.7)]),
    ("Có 93,5% dân số tham gia bảo hiểm y tế.", [("health_insurance_coverage_pct", 93.5)]),
    ("3,2 triệu lượt người được khám, chữa bệnh.", [("medical_visits_total", 3.2e6)]),
    ("Có 12.000 lượt người được khám sức khỏe.", []),
    ("Trên 1.200 bác sĩ đang công tác trong ngành.", [("doctors_total", 1200)]),
    # `trên 10.000 dân` / `trên vạn dân` is the per-10,000 base as `/10.000 dân` is
    ("Toàn tỉnh đạt 11 bác sĩ trên 10.000 dân.", [("doctors_per_10k", 11)]),
    ("Toàn tỉnh đạt 11 bác sĩ trên vạn dân.", [("doctors_per_10k", 11)]),
    # one base shared by two counts
    ("Mục tiêu đến năm 2025: đạt 11 bác sĩ và 33 giường bệnh trên 10.000 dân.",
     [("doctors_per_10k", 11), ("beds_per_10k", 33)]),
    # `trên` after a comma starts another clause: no base of the count before it
    ("Toàn tỉnh có 1.234 bác sĩ, trên 10.000 dân được khám sức khỏe.", [("doctors_total", 1234)]),
    ("Sởi: 12 ca nghi mắc, 3 ca xác định.", [("measles_cases", 3)]),   # suspected cases are no cases
    ("Ghi nhận 5 trường hợp nghi ngờ mắc sởi.", []),
    ("Sốt phát ban nghi sởi: 45 ca.", []),
    ("Bệnh sốt xuất huyết Dengue: 245 trường hợp mắc.", [("dengue_cases", 245)]),
    ("Thủy đậu 34 ca, quai bị 12 ca, ho gà 2 ca.", [("chickenpox_cases", 34), ("mumps_cases", 12), ("pertussis_cases", 2)]),
    # `chết` is a death as `tử vong` is: never a count of cases
    ("Sốt xuất huyết: mắc 245, chết 0.", [("dengue_cases", 245)]),
    ("COVID-19: mắc 245, chết 2.", [("covid19_cases", 245), ("covid19_deaths", 2)]),
    ("Sốt xuất huyết: 245 ca mắc, 1 ca chết.", [("dengue_cases", 245)]),
    ("Bệnh dại: 2 người chết.", [("rabies_deaths", 2)]),
    ("Số BS/vạn dân: 12,3.", [("doctors_per_10k", 12.3)]),
    ("Tuổi thọ TB: 74,2 tuổi.", [("life_expectancy_years", 74.2)]),
    ("Tỷ số GTKS: 110,5 bé trai/100 bé gái.", [("sex_ratio_at_birth", 110.5)]),
    ("Có 45 BS được cử đi đào tạo.", []),
])
def test_what_names_a_figure_and_what_is_none(sentence, expected):
    obs = extract_text("SỞ Y TẾ TỈNH GIA LAI\nBÁO CÁO NĂM 2024\n" + sentence, "gl.txt")
    assert [(o.indicator, o.value) for o in obs] == expected


@pytest.mark.parametrize("sentence,expected", [
    # a period may open the sentence before the organisation that is its subject
    ("Năm 2024, Bệnh viện Đa khoa tỉnh đã khám cho 456.789 lượt người.", [("medical_visits_total", 456789, "Bệnh viện Đa khoa tỉnh")]),
    ("Trong 9 tháng đầu năm, Trung tâm Y tế huyện Chư Sê khám cho 56.789 lượt người.",
     [("medical_visits_total", 56789, "Trung tâm Y tế huyện Chư Sê")]),
    ("Năm 2024, toàn tỉnh đã khám cho 1.234.567 lượt người.", [("medical_visits_total", 1234567, None)]),
    # `Tại Bệnh viện X,` scopes every figure of the sentence, rates too
    ("Tại Bệnh viện Nhi, tỷ lệ hài lòng của người bệnh đạt 98%.", [("patient_satisfaction_pct", 98, "Bệnh viện Nhi")]),
    ("Tại hội nghị, tỷ lệ bao phủ BHYT đạt 93%.", [("health_insurance_coverage_pct", 93, None)]),
    # what a hospital or health centre has, and its rates, are its own; the department's stay the province's
    ("Bệnh viện Đa khoa tỉnh hiện có 350 bác sĩ và 800 giường bệnh.",
     [("doctors_total", 350, "Bệnh viện Đa khoa tỉnh"), ("beds_total", 800, "Bệnh viện Đa khoa tỉnh")]),
    ("Bệnh viện Đa khoa tỉnh khám cho 234.567 lượt, tỷ lệ hài lòng đạt 96%.",
     [("medical_visits_total", 234567, "Bệnh viện Đa khoa tỉnh"), ("patient_satisfaction_pct", 96, "Bệnh viện Đa khoa tỉnh")]),
    ("Sở Y tế đã tổ chức 12 cuộc thanh tra, tỷ lệ bao phủ BHYT đạt 93%.",
     [("inspections_total", 12, "Sở Y tế"), ("health_insurance_coverage_pct", 93, None)]),
    ("Sở Y tế tỉnh Gia Lai hiện có 64 cơ quan, đơn vị trực thuộc.", [("affiliated_units_total", 64, None)]),
    ("Khu vực y tế tư nhân có 1.200 giường bệnh.", [("beds_total", 1200, None)]),
])
def test_the_organisation_a_figure_belongs_to(sentence, expected):
    obs = extract_text("SỞ Y TẾ TỈNH GIA LAI\nBÁO CÁO NĂM 2024\n" + sentence, "gl.txt")
    assert [(o.indicator, o.value, o.facility) for o in obs] == expected
