"""The extractor against the hand-made gold of the five real reports, scored by the shared scorer."""

import json
from pathlib import Path

from conftest import DEJAVU, CORPUS, SHARED, run_cli


RATCHET = Path(__file__).with_name("extraction_ratchet.json")


def test_scores_on_the_real_corpus_never_fall_below_the_last_measured():
    """A ratchet per corpus part: each part's F1 stays at or above the floor last measured
    (`vnhealth score --raise-floors`), and every part of the corpus has a floor. Precision and recall
    are recorded beside it but may trade against each other."""
    from vnhealth.evaluation import score_corpus

    assert (CORPUS / "gold").is_dir(), f"the shared corpus is missing at {CORPUS}"
    floors = {k: v for k, v in json.loads(RATCHET.read_text()).items() if not k.startswith("_") and isinstance(v, dict)}
    scores = score_corpus(CORPUS, SHARED / "eval" / "score.py")
    assert set(scores) == set(floors), f"parts without a floor, or floors without a part: {set(scores) ^ set(floors)}"
    below = {
        f"{part}.{metric}": (scores[part][metric], floor)
        for part, metrics in floors.items()
        for metric, floor in metrics.items()
        if metric == "f1" and scores[part][metric] < floor - 1e-9
    }
    assert not below, f"scores below their floor (measured, floor): {below}"
    assert scores["all"]["matched"] > 0


def test_every_line_follows_the_contract(tmp_path):
    out = tmp_path / "pred.jsonl"
    run_cli("vnhealth", "extract", str(CORPUS / "reports" / "004_65f8aa47b2c67ecc.txt"), "--output", str(out))
    fields = [
        "source",
        "indicator",
        "value",
        "unit",
        "kind",
        "qualifier",
        "period_start",
        "period_end",
        "area",
        "dimension",
        "facility",
        "evidence",
    ]
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) > 50
    for row in rows:
        assert all(f in row for f in fields)
        assert row["kind"] in ("actual", "target")
        assert row["qualifier"] in ("exact", "approx", "more_than", "less_than")
        assert 0 < len(row["evidence"]) <= 400


def test_the_real_reports_as_justified_pdfs_docx_and_html_pages_extract_as_their_text():
    """A report's PDF text layer breaks every line at the margin (before capitals too, `Giám đốc Sở` /
    `Y tế`) and doubles the spaces of justified lines; a web page wraps it in menus and footers; read
    back in any of these formats, it must state what its text states."""
    import html
    import io

    import docx
    import pytest
    from fpdf import FPDF

    from vnhealth.documents import read_document
    from vnhealth.extraction import extract_text

    font = DEJAVU
    if not font.exists():
        pytest.skip("needs the DejaVu font for Vietnamese text in a PDF")
    from vnhealth.extraction.layouts import is_table_layout_text

    # A yearbook table laid out one cell per line or in aligned columns does not survive typesetting:
    # a PDF reflows its cells into paragraphs and HTML collapses the spaces that align its columns, so
    # those texts are compared as DOCX only. A few other texts still read differently as PDF: a ratchet,
    # that list may only shrink.
    pdf_differs = set(json.loads(RATCHET.read_text())["pdf_reads_differently"])
    differs = set()
    for report in sorted((CORPUS / "reports").glob("*.txt")):
        pdf = FPDF()
        pdf.add_page()
        pdf.add_font("dv", "", str(font))
        pdf.set_font("dv", size=10)
        for paragraph in report.read_text(encoding="utf-8").split("\n"):
            if paragraph.strip():
                pdf.multi_cell(0, 5, paragraph.strip().replace("\t", " "), align="J", new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.ln(5)
        paragraphs = report.read_text(encoding="utf-8").split("\n")
        document = docx.Document()
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
        docx_bytes = io.BytesIO()
        document.save(docx_bytes)
        page = (
            "<html><head><title>Báo cáo</title></head><body><nav>Trang chủ | Tin tức</nav><article>"
            + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p.strip())
            + "</article><footer>Điện thoại: 0269.3824.123</footer></body></html>"
        ).encode()

        def observed(data: bytes, name: str = report.name) -> list[tuple]:
            obs = extract_text(read_document(data).text, name, normalized=True)
            return sorted(
                (
                    (o.indicator, o.value, o.kind, o.qualifier, o.period_start, o.period_end, o.area, o.dimension)
                    for o in obs
                ),
                key=str,
            )

        as_text = observed(report.read_bytes())
        survives_typesetting = not is_table_layout_text(report.read_text(encoding="utf-8"))
        if survives_typesetting and observed(bytes(pdf.output())) != as_text:
            differs.add(report.name)
        assert observed(docx_bytes.getvalue()) == as_text, f"{report.name} as DOCX"
        if survives_typesetting:
            assert observed(page) == as_text, f"{report.name} as an HTML page"
    assert differs <= pdf_differs, f"as PDF these now read differently from their text: {differs - pdf_differs}"
    assert not any(name[:1].isdigit() for name in differs), "the seed reports read alike in every format"


SHORT_REPORT = """SỞ Y TẾ THÀNH PHỐ HỒ CHÍ MINH
BÁO CÁO SƠ KẾT 6 THÁNG ĐẦU NĂM 2024

Trong 6 tháng đầu năm 2024, toàn Thành phố ghi nhận 5.834 ca sốt xuất huyết, giảm 32,5% so với cùng kỳ năm 2023 (8.642 ca); 8.402 ca tay chân miệng.
Số lượt khám, chữa bệnh tại các cơ sở y tế trên địa bàn Thành phố đạt 23,5 triệu lượt, trong đó khám chữa bệnh ngoại trú 21,3 triệu lượt.
- Số bác sĩ/vạn dân đạt 19,8 (KH: 19); số giường bệnh/vạn dân đạt 42,1 (KH: 42).
- Tỷ lệ suy dinh dưỡng thể thấp còi ở trẻ dưới 5 tuổi: < 20%.
Tỷ lệ bao phủ BHYT toàn Thành phố ước đạt 92,8%, chỉ tiêu năm 93,5%; tỷ lệ tiêm chủng đầy đủ đạt 45,6%.
"""


def test_text_wrapped_at_a_fixed_width_extracts_as_the_unwrapped_text():
    """A report saved from a PDF or an e-mail as .txt is wrapped at a fixed width: mid-phrase (`sốt xuất` /
    `huyết`), before a figure's parenthesis (`đạt 42,1` / `(KH: 42)`), after a comparison sign (`<` /
    `20%`). Long reports are recognised as wrapped; a short one is joined only where a line cannot start
    anything (a lower-case word, a parenthesis after a figure, a figure after a sign or a label)."""
    import textwrap

    from vnhealth.documents import read_document
    from vnhealth.extraction import extract_text

    def observed(text: str) -> list[tuple]:
        obs = extract_text(read_document(text.encode()).text, "r.txt", normalized=True)
        return [
            (o.indicator, o.value, o.kind, o.qualifier, o.period_start, o.period_end, o.area, o.dimension) for o in obs
        ]

    from vnhealth.extraction.layouts import is_table_layout_text

    # (a table in aligned columns wrapped at a fixed width is a table no more: those texts are left out)
    texts = [SHORT_REPORT] + [
        text
        for p in sorted((CORPUS / "reports").glob("*.txt"))
        if not is_table_layout_text(text := p.read_text(encoding="utf-8"))
    ]
    compared = 0
    for text in texts:
        as_text = observed(text)
        compared += len(as_text)
        for width in (60, 72, 90):
            wrapped = "\n".join(textwrap.fill(line, width) if len(line) > width else line for line in text.split("\n"))
            assert observed(wrapped) == as_text, (text[:40], width)
    assert compared >= 100  # the short report's figures and the real reports' 90


def test_a_label_and_its_figure_on_separate_lines_are_one_statement():
    """A table copied out of a PDF as text puts each label and its figure on lines of their own."""
    from vnhealth.documents import read_document
    from vnhealth.extraction import extract_text

    text = (
        "SỞ Y TẾ TỈNH GIA LAI\nBÁO CÁO NĂM 2024\nTỷ lệ bao phủ BHYT\n93,5%\nSố bác sĩ/vạn dân\n12,3\n"
        "Tuổi thọ trung bình\n74,2 tuổi\n"
    )
    obs = extract_text(read_document(text.encode()).text, "gl.txt", normalized=True)
    assert [(o.indicator, o.value, o.period_start) for o in obs] == [
        ("health_insurance_coverage_pct", 93.5, "2024-01-01"),
        ("doctors_per_10k", 12.3, "2024-01-01"),
        ("life_expectancy_years", 74.2, "2024-01-01"),
    ]
