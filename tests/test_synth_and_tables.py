"""Generalisation: synthetic reports with known truth (property-based over seeds), and tables in
every shape they arrive in."""

import io
import json
import subprocess
import sys
import unicodedata

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import DEJAVU, SHARED, run_cli
from vnhealth.documents import read_document
from vnhealth.extraction import extract_text
from vnhealth.synth import generate_report


def _score(tmp, report) -> dict:
    gold, pred = tmp / "gold", tmp / "pred.jsonl"
    gold.mkdir(parents=True, exist_ok=True)
    report.write(gold)
    with open(pred, "w", encoding="utf-8") as fh:
        for obs in extract_text(report.text, f"{report.name}.txt"):
            fh.write(json.dumps(obs.contract(), ensure_ascii=False) + "\n")
    proc = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(gold), "--pred", str(pred), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout)


def _ratio(fraction: str) -> float:
    n, d = (int(x) for x in fraction.split("/"))
    return n / d if d else 1.0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=10**9))
def test_synthetic_reports_are_extracted_with_f1_above_099(seed, tmp_path_factory):
    report = generate_report(seed)
    assert report.truth, "a report with nothing to find proves nothing"
    score = _score(tmp_path_factory.mktemp("synth"), report)
    assert score["f1"] >= 0.99, (seed, score)
    assert _ratio(score["period_agreement"]) >= 0.99, (seed, score)
    assert _ratio(score["area_agreement"]) >= 0.99, (seed, score)
    assert _ratio(score["qualifier_agreement"]) >= 0.99, (seed, score)


def test_the_generator_varies_what_the_extractor_must_survive():
    texts = [generate_report(seed).text for seed in range(40)]
    assert any(t != unicodedata.normalize("NFC", t) for t in texts), "some reports are NFD"
    assert any("hoá" in unicodedata.normalize("NFC", t) or "Hoá" in unicodedata.normalize("NFC", t) for t in texts)
    assert any("\r\n" in t for t in texts) and any("\u00a0" in t for t in texts)
    assert any("NĐ-CP" in unicodedata.normalize("NFC", t) for t in texts), "decree numbers as distractors"
    assert any("| " in t for t in texts) and any("          " in t for t in texts), "piped and aligned tables"
    truths = [row for seed in range(40) for row in generate_report(seed).truth]
    assert {r["kind"] for r in truths} == {"actual", "target"}
    assert {r["qualifier"] for r in truths} == {"exact", "approx", "more_than", "less_than"}
    assert len({r["indicator"] for r in truths}) >= 25


def test_same_seed_same_report():
    assert generate_report(7).text == generate_report(7).text


def test_synth_command_writes_reports_and_truth(tmp_path):
    run_cli("vnhealth", "synth", str(tmp_path), "--reports", "3", "--seed", "5")
    assert len(list(tmp_path.glob("*.txt"))) == 3 and len(list(tmp_path.glob("*.jsonl"))) == 3


def _cells(obs):
    return sorted((o.indicator, o.value, o.period_start[:4], o.kind, o.qualifier) for o in obs)


PIPED = """Bảng 2. Chỉ tiêu y tế tỉnh Nghệ An
| Chỉ tiêu | Đơn vị | 2022 | 2023 | KH 2025 |
|---|---|---|---|---|
| Tỷ lệ bác sĩ/10.000 dân | BS/vạn dân | 12,1 |  | 15 |
| Số lượt khám chữa bệnh (nghìn lượt) |  | 2.100 | - | 2.500 |
"""


def test_pipe_table_cells_take_row_indicator_and_column_period():
    obs = extract_text(PIPED, "t.txt")
    assert _cells(obs) == [
        ("doctors_per_10k", 12.1, "2022", "actual", "exact"),
        ("doctors_per_10k", 15.0, "2025", "target", "exact"),
        ("medical_visits_total", 2_100_000.0, "2022", "actual", "exact"),
        ("medical_visits_total", 2_500_000.0, "2025", "target", "exact"),
    ]
    assert all(
        o.area == "Nghệ An" and str(o.value).rstrip("0").rstrip(".")[:2] in o.evidence.replace(".", "") for o in obs
    )


def test_aligned_plain_text_table_with_an_empty_cell_and_a_preliminary_year():
    text = (
        "Chỉ tiêu                          2021    2022    2023    2024 (sơ bộ)\n"
        "Tỷ lệ tiêm chủng đầy đủ (%)       95,1    96,0            97,2\n"
        "Tuổi thọ trung bình (năm)         73,1    73,2    73,4    73,5\n"
    )
    obs = extract_text(text, "t.txt", default_area="Hà Tĩnh")
    assert _cells(obs) == [
        ("full_immunization_pct", 95.1, "2021", "actual", "exact"),
        ("full_immunization_pct", 96.0, "2022", "actual", "exact"),
        ("full_immunization_pct", 97.2, "2024", "actual", "exact"),
        ("life_expectancy_years", 73.1, "2021", "actual", "exact"),
        ("life_expectancy_years", 73.2, "2022", "actual", "exact"),
        ("life_expectancy_years", 73.4, "2023", "actual", "exact"),
        ("life_expectancy_years", 73.5, "2024", "actual", "exact"),
    ]


def test_a_row_whose_cells_cannot_be_placed_gives_nothing():
    text = "Chỉ tiêu 2021 2022 2023\nTỷ lệ tham gia BHYT (%) 90,1 92,0\n"
    assert extract_text(text, "t.txt") == []


def test_docx_table_is_read_in_body_order_with_empty_cells():
    import docx

    document = docx.Document()
    document.add_paragraph("Báo cáo của Sở Y tế tỉnh Quảng Ninh năm 2024.")
    table = document.add_table(rows=3, cols=4)
    for row, values in zip(
        table.rows,
        [
            ["Chỉ tiêu", "2022", "2023", "2024"],
            ["Tỷ lệ giường bệnh/10.000 dân", "30,1", "", "32,4"],
            ["Tỷ lệ hộ có nhà tiêu hợp vệ sinh (%)", "80,5", "81,0", "-"],
        ],
    ):
        for cell, value in zip(row.cells, values):
            cell.text = value
    buf = io.BytesIO()
    document.save(buf)
    doc = read_document(buf.getvalue())
    obs = extract_text(doc.text, "t.docx")
    assert _cells(obs) == [
        ("beds_per_10k", 30.1, "2022", "actual", "exact"),
        ("beds_per_10k", 32.4, "2024", "actual", "exact"),
        ("hygienic_latrine_pct", 80.5, "2022", "actual", "exact"),
        ("hygienic_latrine_pct", 81.0, "2023", "actual", "exact"),
    ]
    assert {o.area for o in obs} == {"Quảng Ninh"}


def test_html_table_is_read():
    html = (
        "<html><body><article><h1>Báo cáo y tế tỉnh Sơn La</h1><p>Kết quả công tác y tế trong năm qua "
        "được tổng hợp trong bảng dưới đây, theo số liệu của các đơn vị.</p><table>"
        "<tr><th>Chỉ tiêu</th><th>2023</th><th>2024*</th></tr>"
        "<tr><td>Tỷ lệ người dân tham gia bảo hiểm y tế (%)</td><td>91,5</td><td>93,0</td></tr>"
        "</table></article></body></html>"
    ).encode()
    obs = extract_text(read_document(html).text, "t.html")
    assert _cells(obs) == [
        ("health_insurance_coverage_pct", 91.5, "2023", "actual", "exact"),
        ("health_insurance_coverage_pct", 93.0, "2024", "actual", "exact"),
    ]


def _vietnamese_pdf(size: int):
    """A one-page PDF with a Unicode font set, or a skip where the machine has no such font."""

    import pytest
    from fpdf import FPDF

    font = DEJAVU
    if not font.exists():
        pytest.skip("needs the DejaVu font for Vietnamese text in a PDF")
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=str(font))
    pdf.set_font("DejaVu", size=size)
    return pdf


def test_pdf_table_rows_are_read_and_a_row_with_a_gap_is_not_guessed():
    from fpdf.fonts import FontFace

    pdf = _vietnamese_pdf(10)
    pdf.multi_cell(0, 6, "Báo cáo của Sở Y tế tỉnh Gia Lai năm 2024.", new_x="LMARGIN", new_y="NEXT")
    rows = [
        ["Chỉ tiêu", "2022", "2023", "2024*"],
        ["Tỷ lệ bác sĩ/10.000 dân", "10,1", "10,8", "11,5"],
        ["Tỷ lệ tham gia BHYT (%)", "91,0", "", "93,4"],
    ]
    with pdf.table(col_widths=(80, 30, 30, 30), headings_style=FontFace(emphasis="")) as table:
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)
    obs = extract_text(read_document(bytes(pdf.output())).text, "t.pdf")
    # The PDF text layer loses the empty cell's place: that row gives nothing rather than a wrong year.
    assert _cells(obs) == [
        ("doctors_per_10k", 10.1, "2022", "actual", "exact"),
        ("doctors_per_10k", 10.8, "2023", "actual", "exact"),
        ("doctors_per_10k", 11.5, "2024", "actual", "exact"),
    ]
    assert {o.area for o in obs} == {"Gia Lai"}


def test_a_surveillance_table_of_cases_and_deaths_columns():
    text = (
        "BÁO CÁO TÌNH HÌNH DỊCH BỆNH THÁNG 9 NĂM 2024 tỉnh Quảng Trị\n"
        "| TT | Bệnh | Số mắc | Số tử vong |\n| 1 | Sốt xuất huyết | 1.234 | 0 |\n| 2 | Liên cầu lợn | 5 | 2 |\n"
        "| 3 | Bệnh dại | 0 | 3 |\n\n"
        "Bệnh                 Mắc trong tháng    Mắc cộng dồn    Tử vong cộng dồn\n"
        "Tay chân miệng              45                456               1\n"
        "COVID-19                    12                300               2\n"
    )
    got = [(o.indicator, o.value, o.period_start, o.period_end) for o in extract_text(text, "ksbt.txt")]
    month, ytd = ("2024-09-01", "2024-09-30"), ("2024-01-01", "2024-09-30")
    # a deaths column never becomes cases; a disease without a deaths code gives nothing there
    assert got == [
        ("dengue_cases", 1234, *month),
        ("strep_suis_cases", 5, *month),
        ("strep_suis_deaths", 2, *month),
        ("rabies_deaths", 3, *month),
        ("hfmd_cases", 45, *month),
        ("hfmd_cases", 456, *ytd),
        ("covid19_cases", 12, *month),
        ("covid19_cases", 300, *ytd),
        ("covid19_deaths", 2, *ytd),
    ]


def test_a_pdf_paragraph_wrapped_at_every_line_is_read_as_sentences():
    pdf = _vietnamese_pdf(11)
    pdf.multi_cell(0, 6, "BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024 TỈNH KHÁNH HÒA", new_x="LMARGIN", new_y="NEXT")
    # multi_cell wraps this paragraph at the page width, as a report's PDF does: the text layer has a line
    # break in the middle of phrasings and before numbers.
    pdf.multi_cell(
        0,
        6,
        "Trong năm 2024, ngành y tế tiếp tục triển khai đồng bộ các giải pháp chuyên môn, tỷ lệ bao "
        "phủ bảo hiểm y tế đạt 93,5%, vượt chỉ tiêu giao; số bác sĩ/vạn dân đạt 12,5; toàn tỉnh ghi "
        "nhận 1.234 ca sốt xuất huyết, giảm 20% so với năm 2023; tỷ lệ trẻ em dưới 1 tuổi được tiêm "
        "chủng đầy đủ các loại vắc xin theo quy định đạt 96%.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.multi_cell(0, 6, "1. Công tác phòng chống dịch", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, "- Bệnh tay chân miệng: 45 ca.", new_x="LMARGIN", new_y="NEXT")
    document = read_document(bytes(pdf.output()))
    obs = extract_text(document.text, "wrapped.pdf")
    assert [(o.indicator, o.value) for o in obs] == [
        ("health_insurance_coverage_pct", 93.5),
        ("doctors_per_10k", 12.5),
        ("dengue_cases", 1234),
        ("full_immunization_pct", 96),
        ("hfmd_cases", 45),
    ]
    assert "\n1. Công tác phòng chống dịch\n- Bệnh tay chân miệng" in document.text  # blocks stay apart


def test_an_aligned_table_goes_on_past_a_row_whose_cells_are_all_empty():
    text = (
        "Báo cáo của Sở Y tế tỉnh Khánh Hòa năm 2020\n"
        "Chỉ tiêu                                      2018      2019     2020*\n"
        "Tỷ lệ tham gia bảo hiểm y tế (%)                                      \n"
        "Tuổi thọ trung bình (năm)                        -      72,8      74,1\n"
        "Số giường bệnh/10.000 dân                     25,7      33,3      25,3\n"
    )
    got = [(o.indicator, o.value, o.period_start[:4]) for o in extract_text(text, "t.txt")]
    assert got == [
        ("life_expectancy_years", 72.8, "2019"),
        ("life_expectancy_years", 74.1, "2020"),
        ("beds_per_10k", 25.7, "2018"),
        ("beds_per_10k", 33.3, "2019"),
        ("beds_per_10k", 25.3, "2020"),
    ]


def test_a_piped_table_with_a_single_period_column():
    text = (
        "BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024 TỈNH LẠNG SƠN\n"
        "| TT | Chỉ tiêu | Đơn vị tính | Kế hoạch năm 2025 |\n| 1 | Số bác sĩ/vạn dân | Bác sĩ | 14 |\n"
        "| 2 | Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi | % | < 20 |\n\n"
        "| STT | Các chỉ tiêu | ĐVT | Thực hiện 9 tháng 2024 |\n| 1 | Tỷ lệ dân số tham gia BHYT | % | 91,2 |\n"
    )
    got = [
        (o.indicator, o.value, o.kind, o.qualifier, o.period_start, o.period_end) for o in extract_text(text, "t.txt")
    ]
    assert got == [
        ("doctors_per_10k", 14, "target", "exact", "2025-01-01", "2025-12-31"),
        ("stunting_under5_pct", 20, "target", "less_than", "2025-01-01", "2025-12-31"),
        ("health_insurance_coverage_pct", 91.2, "actual", "exact", "2024-01-01", "2024-09-30"),
    ]


def test_a_docx_table_with_merged_year_cells_over_plan_and_actual_columns():
    import docx

    document = docx.Document()
    document.add_paragraph("BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024 TỈNH NAM ĐỊNH")
    table = document.add_table(rows=4, cols=7)
    for i, v in enumerate(["TT", "Chỉ tiêu", "ĐVT", "Năm 2023", "Năm 2024", "", ""]):
        table.rows[0].cells[i].text = v
    table.cell(0, 4).merge(table.cell(0, 6))  # `Năm 2024` spans KH, TH and TH/KH
    for c in (0, 1, 2, 3):
        table.cell(0, c).merge(table.cell(1, c))
    for i, v in ((4, "KH"), (5, "TH"), (6, "TH/KH (%)")):
        table.cell(1, i).text = v
    for r, values in (
        (2, ["1", "Số bác sĩ/vạn dân", "BS", "11,8", "12", "12,5", "104,2"]),
        (3, ["2", "Tỷ lệ dân số tham gia BHYT", "%", "92,1", "93", "93,4", "100,4"]),
    ):
        for i, v in enumerate(values):
            table.rows[r].cells[i].text = v
    buf = io.BytesIO()
    document.save(buf)
    obs = extract_text(read_document(buf.getvalue()).text, "t.docx")
    # KH is the plan, TH the actual; the TH/KH ratio column is no value of the indicator
    assert [(o.indicator, o.value, o.kind, o.period_start[:4]) for o in obs] == [
        ("doctors_per_10k", 11.8, "actual", "2023"),
        ("doctors_per_10k", 12, "target", "2024"),
        ("doctors_per_10k", 12.5, "actual", "2024"),
        ("health_insurance_coverage_pct", 92.1, "actual", "2023"),
        ("health_insurance_coverage_pct", 93, "target", "2024"),
        ("health_insurance_coverage_pct", 93.4, "actual", "2024"),
    ]


def test_an_html_table_with_a_colspan_year_over_plan_actual_and_ratio():
    html = (
        "<html><body><nav>Trang chủ | Tin tức</nav><article><h1>Báo cáo kết quả công tác y tế năm 2024 tỉnh "
        "Nam Định</h1><p>Sở Y tế tỉnh Nam Định báo cáo kết quả thực hiện các chỉ tiêu y tế năm 2024 như sau. "
        "Ngành y tế đã nỗ lực hoàn thành nhiệm vụ.</p><table>"
        "<tr><td rowspan=2>TT</td><td rowspan=2>Chỉ tiêu</td><td rowspan=2>Năm 2023</td>"
        "<td colspan=3>Năm 2024</td></tr><tr><td>KH</td><td>TH</td><td>TH/KH (%)</td></tr>"
        "<tr><td>1</td><td>Số bác sĩ/vạn dân</td><td>11,8</td><td>12</td><td>12,5</td><td>104,2</td></tr>"
        "</table></article><footer>Bản quyền</footer></body></html>"
    )
    obs = extract_text(read_document(html.encode()).text, "t.html")
    assert [(o.indicator, o.value, o.kind, o.period_start[:4]) for o in obs] == [
        ("doctors_per_10k", 11.8, "actual", "2023"),
        ("doctors_per_10k", 12, "target", "2024"),
        ("doctors_per_10k", 12.5, "actual", "2024"),
    ]


def test_plan_and_estimate_columns_followed_by_ratio_columns_piped_or_aligned():
    head = "SỞ Y TẾ TỈNH AN GIANG\nBÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024\n"
    piped = (
        head + "| TT | Nội dung | ĐVT | KH 2024 | Ước TH 2024 | % so KH | So cùng kỳ (%) |\n"
        "| 1 | Tỷ lệ bao phủ BHYT | % | 93 | 93,6 | 100,6 | 101,2 |\n"
        "| 2 | Số ca mắc sốt xuất huyết | Ca | | 2.345 | | 85 |\n"
    )
    aligned = (
        head + "TT   Nội dung                   ĐVT      KH 2024     TH 2024     % so KH\n"
        "1    Tỷ lệ bao phủ BHYT         %        93          93,6        100,6\n"
        "2    Số giường bệnh/vạn dân     Giường   30          31,2        104\n"
    )
    got = [(o.indicator, o.value, o.kind, o.qualifier) for o in extract_text(piped, "p.txt")]
    assert got == [
        ("health_insurance_coverage_pct", 93, "target", "exact"),
        ("health_insurance_coverage_pct", 93.6, "actual", "approx"),  # `Ước TH`
        ("dengue_cases", 2345, "actual", "approx"),
    ]  # ratios are no values
    got = [(o.indicator, o.value, o.kind) for o in extract_text(aligned, "a.txt")]
    assert got == [
        ("health_insurance_coverage_pct", 93, "target"),
        ("health_insurance_coverage_pct", 93.6, "actual"),
        ("beds_per_10k", 30, "target"),
        ("beds_per_10k", 31.2, "actual"),
    ]


def test_row_numbers_of_a_table_without_a_readable_header_are_no_values():
    text = (
        "BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024 TỈNH AN GIANG\nTT   Nội dung    Kết quả\n"
        "2    Số giường bệnh/vạn dân     31,2\n| 3 | Tổng số lượt khám bệnh | 3.125.000 lượt |\n"
    )
    got = [(o.indicator, o.value) for o in extract_text(text, "t.txt")]
    assert got == [("beds_per_10k", 31.2), ("medical_visits_total", 3125000)]


def test_comparison_cells_that_name_years_are_ratio_columns_and_the_unit_column_scales():
    text = (
        "SỞ Y TẾ TỈNH NINH BÌNH\nBÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024\n"
        "| TT | Chỉ tiêu | ĐVT | TH 2023 | KH 2024 | TH 2024 | TH 2024 so với KH (%) | TH 2024 so với 2023 (%) |\n"
        "| 3 | Số lượt khám chữa bệnh | Nghìn lượt | 2.100 | 2.200 | 2.250 | 102,3 | 107,1 |\n"
    )
    got = [(o.value, o.kind, o.period_start[:4]) for o in extract_text(text, "nb.txt")]
    assert got == [(2_100_000, "actual", "2023"), (2_200_000, "target", "2024"), (2_250_000, "actual", "2024")]


def test_table_cells_grouped_the_english_way():
    text = (
        "BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024 tỉnh Nghệ An\n| Chỉ tiêu | 2023 | 2024 |\n"
        "| Tổng số lượt khám bệnh | 1,234,567 | 1,345,678 |\n"
    )
    got = [(o.value, o.period_start[:4]) for o in extract_text(text, "t.txt")]
    assert got == [(1234567, "2023"), (1345678, "2024")]


def test_month_columns_take_the_year_in_force_and_a_total_spans_them():
    text = (
        "BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ QUÝ I NĂM 2024 tỉnh Nghệ An\n"
        "| Bệnh | T1 | T2 | T3 | Cộng |\n| Sốt xuất huyết | 12 | 15 | 20 | 47 |\n"
        "| Tay chân miệng | 5 | | 9 | 14 |\n"
    )
    got = [(o.indicator, o.value, o.period_start, o.period_end) for o in extract_text(text, "q1.txt")]
    assert got == [
        ("dengue_cases", 12, "2024-01-01", "2024-01-31"),
        ("dengue_cases", 15, "2024-02-01", "2024-02-29"),
        ("dengue_cases", 20, "2024-03-01", "2024-03-31"),
        ("dengue_cases", 47, "2024-01-01", "2024-03-31"),
        ("hfmd_cases", 5, "2024-01-01", "2024-01-31"),
        ("hfmd_cases", 9, "2024-03-01", "2024-03-31"),
        ("hfmd_cases", 14, "2024-01-01", "2024-03-31"),
    ]
