"""The number grammar, the period resolver, the area resolver and text folding, on cases that need more
than a sentence and a table row: whole short reports, properties, normalisation. The tables of
sentences are data files, by concern, in tests/cases/ (read by tests/test_cases.py)."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnhealth.extraction import extract_text
from vnhealth.extraction.areas import document_area, find_provinces
from vnhealth.extraction.catalogue import by_code
from vnhealth.extraction.numbers import scan_numbers
from vnhealth.extraction.periods import Period, combine, find_periods
from vnhealth.text import fold, normalize


def numbers(s):
    f = fold(normalize(s))
    return [(t.value, t.unit, t.qualifier) for t in scan_numbers(f, 0, len(f))]


def test_zero_deaths_is_a_value():
    f = fold("phát hiện 216 ca, không có tử vong")
    toks = scan_numbers(f, 0, len(f))
    assert [(t.value, t.is_death) for t in toks] == [(216, False), (0, True)]


def test_month_takes_its_year_and_end_from_context():
    ((_, _, month),) = find_periods(fold("tháng 12"))
    ((_, _, context),) = find_periods(fold("đến 23/12/2024"))
    p = combine(month, context)
    assert (p.start, p.end) == (date(2024, 12, 1), date(2024, 12, 23))


def test_a_date_is_not_a_period():
    assert find_periods(fold("ngày 16 tháng 12 năm 2024")) == []


def test_peace_and_the_pacific_are_no_provinces():
    text = "Sở Y tế tỉnh Nghệ An tham dự hội nghị của WHO khu vực Tây Thái Bình Dương; giữ vững hòa bình."
    assert [name for _, name in find_provinces(fold(text), text=text)] == ["Nghệ An"]
    assert document_area("Khu vực Tây Thái Bình Dương\nSỞ Y TẾ TỈNH HÒA BÌNH\nBÁO CÁO") == "Hòa Bình"


def test_document_area_prefers_tinh_mentions():
    text = "Sở Y tế tỉnh Ninh Bình báo cáo. Bệnh viện cơ sở Nam Định. Tỉnh Ninh Bình có 64 đơn vị."
    assert document_area(text) == "Ninh Bình"


def test_national_average_has_no_area():
    obs = extract_text(
        "Tỉnh Thái Nguyên: tỷ lệ giường bệnh đạt 51,3 giường/10.000 dân "
        "(Cao hơn bình quân chung cả nước: 34 giường/10.000 dân)",
        "x.txt",
    )
    assert [(o.value, o.area) for o in obs] == [(51.3, "Thái Nguyên"), (34, None)]


def test_nfd_old_tones_and_nbsp_extract_the_same():
    import unicodedata

    plain = "Năm 2024, tỷ lệ bác sĩ đạt 17,0 bác sĩ/10.000 dân tại tỉnh Thanh Hóa.\r\n"
    messy = unicodedata.normalize(
        "NFD",
        plain.replace("Hóa", "Hoá")
        .replace("bác sĩ đạt", "bác\u00a0sỹ\tđ\u00adạt")
        .replace("17,0", "\u200b17,0\u202f")
        .replace("\r\n", "\r"),
    )  # soft hyphen, zero width
    a = [(o.indicator, o.value, o.area, o.period_start) for o in extract_text(plain, "a")]
    b = [(o.indicator, o.value, o.area, o.period_start) for o in extract_text(messy, "a")]
    assert a == b == [("doctors_per_10k", 17.0, "Thanh Hóa", "2024-01-01")]


def test_actual_and_target_in_one_clause():
    obs = extract_text(
        "Tỷ lệ suy dinh dưỡng trẻ em dưới 5 tuổi thể cân nặng/tuổi: 8,5%, đạt chỉ tiêu đề ra (chỉ tiêu năm 2024 < 10%)",
        "x",
    )
    assert [(o.kind, o.value, o.qualifier) for o in obs] == [("actual", 8.5, "exact"), ("target", 10, "less_than")]


def test_evidence_offsets_point_into_normalised_text():
    text = "BÁO CÁO\nNăm 2024, có trên 3,9 triệu lượt khám, chữa bệnh (KCB) tại tỉnh Nghệ An."
    (o,) = extract_text(text, "x")
    assert normalize(text)[o.evidence_start : o.evidence_end] == o.evidence


def test_a_figure_restated_later_is_one_observation():
    text = (
        "BÁO CÁO năm 2024 tỉnh Thái Nguyên\nTỷ lệ xã đạt Bộ tiêu chí quốc gia về y tế đạt 72%.\n"
        "II. NHIỆM VỤ NĂM 2025\n- Thực hiện tốt Bộ tiêu chí quốc gia về y tế đến năm 2030 (đến nay toàn tỉnh "
        "đã có 72% các xã đạt Bộ tiêu chí quốc gia về y tế).\n"
    )
    obs = extract_text(text, "x.txt")
    assert [(o.indicator, o.value, o.kind, o.period_start) for o in obs] == [
        ("communes_national_criteria_pct", 72, "actual", "2024-01-01")
    ]


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
        ("dengue_cases", 412, *month),
        ("dengue_cases", 3105, *ytd),
        ("hfmd_cases", 87, *month),
        ("hfmd_cases", 654, *ytd),
        ("measles_cases", 0, *month),
        ("measles_cases", 5, *ytd),
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
        ("doctors_per_10k", 14, "target", *year, None),
        ("doctors_per_10k", 13.8, "actual", *nine, None),
        ("medical_visits_total", 2_456_000, "actual", *nine, None),
        ("medical_visits_total", 185_000, "actual", *nine, "inpatient"),  # `lượt khám sức khỏe` are no visits
    ]


def test_table_columns_of_part_of_a_year_and_a_plan():
    obs = extract_text(NINE_MONTHS_WITH_PLAN_TABLE, "hcm.txt")
    year, nine = ("2024-01-01", "2024-12-31"), ("2024-01-01", "2024-09-30")
    assert [(o.indicator, o.value, o.kind, o.period_start, o.period_end) for o in obs] == [
        ("doctors_per_10k", 19.0, "target", *year),
        ("doctors_per_10k", 19.5, "actual", *nine),
        ("health_insurance_coverage_pct", 92, "target", *year),
        ("health_insurance_coverage_pct", 90.5, "actual", *nine),
        ("entities_inspected_total", 2345, "actual", *nine),
        ("entities_violating_total", 456, "actual", *nine),
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
        (date(2024, 1, 1), date(2024, 12, 31)),
        (date(2024, 1, 1), date(2024, 11, 30)),
    ]
    assert [p.label for _, _, p in find_periods(fold("đến 10/12 huyện đạt chuẩn"))] == []


def test_a_national_figure_in_a_parenthesis_after_its_cue():
    text = (
        "BÁO CÁO KẾT QUẢ NĂM 2024\nTỷ lệ bao phủ BHYT của tỉnh Bình Dương đạt 92%, cao hơn bình quân chung "
        "cả nước (91%); số bác sĩ/vạn dân đạt 12 (so với toàn quốc là 13).\n"
    )
    assert [(o.indicator, o.value, o.area) for o in extract_text(text, "x.txt")] == [
        ("health_insurance_coverage_pct", 92, "Bình Dương"),
        ("health_insurance_coverage_pct", 91, None),
        ("doctors_per_10k", 12, "Bình Dương"),
        ("doctors_per_10k", 13, None),
    ]


BY_CODE = by_code()
_SOUP = (
    "năm tháng quý ngày 2024 2023 12 9 6 / . , ; : ( ) % ca tử vong không có cùng kỳ lũy tích đến 30/11/2024 "
    "từ xuống trên dưới < > ≥ tỷ lệ bác sĩ/vạn dân giường bệnh sốt xuất huyết tay chân miệng BHYT đạt kế hoạch "
    "chỉ tiêu trong đó nội trú ngoại trú tư nhân công lập cả nước tỉnh Nghệ An | - * ** \n 1. I. A. a) 112/100 "
    "1.234 3,5 triệu tỷ đồng Quý IV/2024 10 tháng 95/100 000 6 tháng cuối năm tháng 2/2024"
).split(" ")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SOUP), min_size=1, max_size=80))
def test_any_mix_of_report_words_extracts_without_error_and_within_the_contract(words):
    text = " ".join(words)
    normalised = normalize(text)
    for o in extract_text(text, "soup.txt"):
        assert normalised[o.evidence_start : o.evidence_end] == o.evidence
        assert BY_CODE[o.indicator].plausible(o.value)
        assert not (o.period_start and o.period_end) or o.period_start <= o.period_end
        assert o.kind in ("actual", "target") and o.qualifier in ("exact", "approx", "more_than", "less_than")


def test_the_same_value_for_the_province_and_the_country_is_two_observations():
    text = (
        "BÁO CÁO KẾT QUẢ NĂM 2024 tỉnh Hà Tĩnh\nTỷ lệ người dân tham gia bảo hiểm y tế của tỉnh đạt 92,7%, "
        "trong khi bình quân chung toàn quốc là 92,7%.\n"
    )
    assert [(o.value, o.area) for o in extract_text(text, "x.txt")] == [(92.7, "Hà Tĩnh"), (92.7, None)]


def test_text_already_normalised_is_not_normalised_again_and_gives_the_same():
    import unicodedata

    raw = unicodedata.normalize("NFD", MERGED_PROVINCE.replace(" ", "\u00a0", 3).replace("\n", "\r\n"))
    assert extract_text(normalize(raw), "pt.txt", normalized=True) == extract_text(raw, "pt.txt")


def test_the_month_quarter_and_year_before_the_one_in_force():
    text = (
        "SỞ Y TẾ TỈNH NGHỆ AN\nBÁO CÁO\nTình hình dịch bệnh tháng 11 năm 2024\n"
        "Sốt xuất huyết: 45 ca (tháng trước: 35 ca; quý trước: 120 ca); năm trước: 1.234 ca.\n"
        "Tay chân miệng: 12 ca, giảm so với cùng kỳ năm trước (20 ca)."
    )
    got = [(o.value, o.period_start, o.period_end) for o in extract_text(text, "m.txt")]
    assert got == [
        (45, "2024-11-01", "2024-11-30"),
        (35, "2024-10-01", "2024-10-31"),
        (120, "2024-07-01", "2024-09-30"),
        (1234, "2023-01-01", "2023-12-31"),
        (12, "2024-11-01", "2024-11-30"),
        (20, "2023-11-01", "2023-11-30"),
    ]


def test_a_weekly_report_and_a_count_after_tu_dau_nam():
    text = (
        "SỞ Y TẾ TỈNH NGHỆ AN\nBÁO CÁO\nTình hình dịch bệnh tuần 47 năm 2024\n"
        "Trong tuần ghi nhận 45 ca sốt xuất huyết; cộng dồn từ đầu năm 1.234 ca."
    )
    got = [(o.value, o.period_start, o.period_end) for o in extract_text(text, "w.txt")]
    assert got == [(45, "2024-11-18", "2024-11-24"), (1234, "2024-01-01", "2024-11-24")]


def test_cases_and_deaths_written_as_pairs_under_a_cases_deaths_heading():
    text = (
        "SỞ Y TẾ TỈNH NGHỆ AN\nBÁO CÁO CÔNG TÁC Y TẾ THÁNG 10 NĂM 2024\n"
        "1. Tình hình dịch bệnh trong tháng (số mắc/chết)\n"
        "- Sốt xuất huyết: 123/0; cộng dồn từ đầu năm 1.456/1.\n"
        "- Bệnh dại: 0/2.\n"  # more deaths than cases: no pair
        "- Liên cầu lợn: 5/1.\n"
        "- Sởi: 0/0 (giám sát đến 15/10).\n"
        "2. Công tác khác\n- Có 15/21 huyện đạt tiêu chí; 12/2 xã triển khai.\n"
    )
    got = [(o.indicator, o.value, o.period_start, o.period_end) for o in extract_text(text, "m.txt")]
    assert got == [
        ("dengue_cases", 123, "2024-10-01", "2024-10-31"),
        ("dengue_cases", 1456, "2024-01-01", "2024-10-31"),
        ("strep_suis_cases", 5, "2024-10-01", "2024-10-31"),
        ("strep_suis_deaths", 1, "2024-10-01", "2024-10-31"),
        ("measles_cases", 0, "2024-10-01", "2024-10-31"),
    ]


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
        ("health_insurance_coverage_pct", 95, "Bình Phước"),
        ("health_insurance_coverage_pct", 93, "Bình Dương"),
        # `TP.` does not end a sentence
        ("health_insurance_coverage_pct", 96.2, "Hồ Chí Minh"),
        # a rank (`xếp thứ 5`) in an earlier clause does not make the national figure the province's
        ("dengue_cases", 2345, "Bình Phước"),
        ("dengue_cases", 145000, None),
        ("medical_visits_total", 456789, "Bình Phước"),  # `khám N lượt`
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
    got = [
        (o.indicator, o.value, o.kind, o.qualifier, o.period_start, o.period_end)
        for o in extract_text(PLAN_WITH_ESTIMATES, "qt.txt")
    ]
    y24, y25 = ("2024-01-01", "2024-12-31"), ("2025-01-01", "2025-12-31")
    assert got == [
        # as the gold of the real reports has it, `Ước thực hiện` heading a list or a sentence leaves its figures
        # exact; only `ước` right before a number makes it approximate
        ("health_insurance_coverage_pct", 93, "actual", "exact", *y24),
        ("doctors_per_10k", 11.8, "actual", "exact", *y24),
        ("medical_visits_total", 1234567, "actual", "exact", "2024-01-01", "2024-10-31"),
        ("medical_visits_total", 1500000, "actual", "approx", *y24),  # `ước cả năm`: the whole year
        ("commune_stations_with_doctor_pct", 100, "actual", "exact", *y24),
        ("doctors_per_10k", 12.5, "target", "exact", *y25),
        # `Hiện nay` before the phrasing claims the figure even in a section of solutions
        ("communes_national_criteria_pct", 92, "actual", "exact", *y25),
        ("communes_national_criteria_pct", 95, "target", "exact", *y25),
    ]


def test_a_month_a_bullet_names_holds_for_the_sibling_bullets_after_it():
    text = (
        "BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024 tỉnh Bắc Ninh\n"
        "- Kết quả khám chữa bệnh BHYT đến 23/12/2024:\n"
        "+ Tổng số lượt KCB BHYT tháng 12: 104.228 lượt.\n"
        "+ Tổng chi phí KCB BHYT: trên 97 tỷ đồng.\n"
        "+ Lũy tích từ đầu năm: 1.234.567 lượt khám bệnh.\n"
        "- Tỷ lệ bao phủ BHYT đạt 94%.\n"
    )
    got = [(o.indicator, o.value, o.period_start, o.period_end) for o in extract_text(text, "bn.txt")]
    assert got == [
        ("medical_visits_total", 104228, "2024-12-01", "2024-12-23"),
        ("insured_treatment_cost_vnd", 97e9, "2024-12-01", "2024-12-23"),
        ("medical_visits_total", 1234567, "2024-01-01", "2024-12-23"),
        ("health_insurance_coverage_pct", 94, "2024-01-01", "2024-12-31"),
    ]  # the list has ended


def test_parts_of_a_report_are_top_headings():
    text = (
        "SỞ Y TẾ TỈNH NGHỆ AN\nBÁO CÁO\nKết quả công tác y tế năm 2024 và nhiệm vụ năm 2025\n"
        "Phần thứ nhất: Kết quả thực hiện nhiệm vụ năm 2024\nTỷ lệ bao phủ BHYT đạt 93%.\n"
        "Phần thứ hai: Phương hướng, nhiệm vụ năm 2025\nTỷ lệ bao phủ BHYT đạt 95%.\n"
    )
    got = [(o.value, o.kind, o.period_start) for o in extract_text(text, "p.txt")]
    assert got == [(93, "actual", "2024-01-01"), (95, "target", "2025-01-01")]


@pytest.mark.parametrize("first,second", [("I-", "II-"), ("I/", "II/"), ("1-", "2-"), ("1/", "2/"), ("1)", "2)")])
def test_heading_markers_with_dashes_slashes_and_parentheses(first, second):
    text = (
        "SỞ Y TẾ TỈNH NGHỆ AN\nBÁO CÁO\nKết quả công tác y tế năm 2024 và nhiệm vụ năm 2025\n"
        f"{first} Kết quả thực hiện năm 2024\nTỷ lệ bao phủ BHYT đạt 93%.\n"
        f"{second} Nhiệm vụ năm 2025\nTỷ lệ bao phủ BHYT đạt 95%.\n"
    )
    got = [(o.value, o.kind, o.period_start) for o in extract_text(text, "h.txt")]
    assert got == [(93, "actual", "2024-01-01"), (95, "target", "2025-01-01")]


def test_a_quarterly_report_its_year_plan_the_first_months_and_the_end_of_the_year():
    text = (
        "SỞ Y TẾ TỈNH QUẢNG TRỊ\nBÁO CÁO\nKết quả hoạt động y tế quý III/2024 và phương hướng quý IV/2024\n"
        "1. Khám chữa bệnh\n"
        "Tổng số người bệnh chuyển tuyến trên là 1.845 người.\n"
        # `kế hoạch năm 95%`: a percentage after `năm` is no year; `đầy đủ 9 tháng` is January to September
        "Tỷ lệ trẻ dưới 1 tuổi được tiêm chủng đầy đủ 9 tháng đạt 71,5% (kế hoạch năm 95%).\n"
        "Trẻ đủ 9 tháng được tiêm vắc xin sởi: tỷ lệ tiêm chủng đầy đủ đạt 70%.\n"
        "II. PHƯƠNG HƯỚNG QUÝ IV/2024\n"
        "Phấn đấu tỷ lệ bao phủ BHYT đạt 95,2% vào cuối năm.\n"
    )
    got = [(o.indicator, o.value, o.kind, o.period_start, o.period_end) for o in extract_text(text, "qt.txt")]
    assert got == [
        ("referrals_total", 1845, "actual", "2024-07-01", "2024-09-30"),
        ("full_immunization_pct", 71.5, "actual", "2024-01-01", "2024-09-30"),
        ("full_immunization_pct", 95, "target", "2024-01-01", "2024-12-31"),
        ("full_immunization_pct", 70, "actual", "2024-07-01", "2024-09-30"),  # `đủ 9 tháng` is an age
        ("health_insurance_coverage_pct", 95.2, "target", "2024-01-01", "2024-12-31"),
    ]


def test_an_event_report_a_part_named_again_after_trong_do_and_referrals_of_people():
    text = (
        "SỞ Y TẾ TỈNH BẮC NINH\nBÁO CÁO\nCông tác y tế phục vụ Tết Nguyên đán Giáp Thìn 2024\n"
        "Trong dịp Tết (từ ngày 08/02 đến ngày 14/02/2024), các cơ sở y tế đã tiếp nhận cấp cứu 1.234 trường hợp, "
        "trong đó cấp cứu do tai nạn giao thông 156 trường hợp.\n"
        "Số người bệnh phải chuyển tuyến là 87 người.\n"
    )
    got = [(o.indicator, o.value, o.period_start, o.period_end) for o in extract_text(text, "bn.txt")]
    assert got == [
        ("emergency_patients_total", 1234, "2024-02-08", "2024-02-14"),
        ("referrals_total", 87, "2024-02-08", "2024-02-14"),
    ]


def test_a_plan_without_a_period_of_its_own_in_a_monthly_report_is_the_years():
    text = (
        "SỞ Y TẾ TỈNH AN GIANG\nBÁO CÁO\nTình hình hoạt động y tế tháng 10 năm 2025\n"
        "Tỷ lệ bao phủ BHYT đạt 90,3%, chỉ tiêu Chính phủ giao 93,5%.\n"
        "Tỷ lệ tiêm chủng đầy đủ đạt 98,5%/KH 95%.\n"
    )
    got = [(o.value, o.kind, o.period_start, o.period_end) for o in extract_text(text, "ag.txt")]
    assert got == [
        (90.3, "actual", "2025-10-01", "2025-10-31"),
        (93.5, "target", "2025-01-01", "2025-12-31"),
        (98.5, "actual", "2025-10-01", "2025-10-31"),
        (95, "target", "2025-01-01", "2025-12-31"),
    ]
