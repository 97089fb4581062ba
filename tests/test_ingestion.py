"""Sources, landing and reading on real parts: a local HTTP server started by the test (no network
beyond loopback), a real PostgreSQL database of its own, files of every format and encoding, and
every kind of bad input. Each bad input must be recorded with its reason, kept in the archive, and
never stop the others."""

from __future__ import annotations

import codecs
import io
import os
import threading
import time
import unicodedata
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest
import yaml

from conftest import DEJAVU, CORPUS
from vnhealth import pipeline
from vnhealth.documents import DocumentError, decode_text, read_document
from vnhealth.legacy_fonts import FONTS, font_tables, from_unicode, to_unicode
from vnhealth.sources import SourceConfigError, load_sources

OFFICE = Path(__file__).parent / "fixtures" / "office"  # .doc and .xls files of my own (make_fixtures.py)
REPORT = (
    "UBND TỈNH NGHỆ AN\nSỞ Y TẾ\nSố: 4071/BC-SYT\nNghệ An, ngày 28 tháng 12 năm 2024\nBÁO CÁO\n"
    "Kết quả công tác y tế năm 2024\n"
    "Năm 2024, tỷ lệ bác sĩ đạt {v} bác sĩ/10.000 dân; tỷ lệ người dân tham gia bảo hiểm y tế đạt 93,5%.\n"
)


def report_text(v: str = "12,4") -> str:
    return REPORT.format(v=v)


# --- a local HTTP server ----------------------------------------------------------------------------
class Site:
    def __init__(self):
        self.routes: dict[str, tuple[int, dict, bytes]] = {}
        self.hits: dict[str, int] = {}
        self.headers_seen: dict[str, list[dict]] = {}
        self.sleep: dict[str, float] = {}


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep pytest output clean
            pass

        def do_GET(self):
            path = self.path
            site.hits[path] = site.hits.get(path, 0) + 1
            site.headers_seen.setdefault(path, []).append(dict(self.headers))
            if path in site.sleep:
                time.sleep(site.sleep[path])
            status, headers, body = site.routes.get(path, (404, {}, b"not found"))
            etag = headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                status, body = 304, b""
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

    return Handler


@pytest.fixture()
def site():
    s = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(s))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield s
    server.shutdown()
    server.server_close()


# --- a database and an archive of the test's own ------------------------------------------------------
@pytest.fixture()
def ingest(scratch_db, warehouse, tmp_path, monkeypatch):
    """A fresh database on the test server, an archive root and a sources file under tmp_path."""
    url = scratch_db
    monkeypatch.setenv("VNHEALTH_ARCHIVE_ROOT", str(tmp_path / "archive"))
    monkeypatch.setenv("VNHEALTH_SOURCES", str(tmp_path / "sources.yml"))
    monkeypatch.setenv("VNHEALTH_LOCAL_DIR", str(warehouse.settings.local_dir))
    ctx = type("Ingest", (), {})()
    ctx.tmp, ctx.url = tmp_path, url

    def write_sources(entries):
        (tmp_path / "sources.yml").write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True))

    def run(run_id):
        batches = pipeline.discover_batches(50)
        landed = [pipeline.land_batch(b, run_id) for b in batches]
        for batch in pipeline.extraction_batches(50):
            pipeline.load_batch_file(pipeline.extract_batch(batch, run_id), run_id)
        return landed

    def rows(sql, params=None):
        with psycopg.connect(url) as conn:
            return conn.execute(sql, params).fetchall()

    ctx.write_sources, ctx.run, ctx.rows = write_sources, run, rows
    return ctx


def _reports(ctx):
    return {
        Path(loc).name if "://" not in loc else loc.rsplit("/", 1)[-1]: (status, reason, path)
        for loc, status, reason, path in ctx.rows(
            "select location, status, failure_reason, archive_path from raw.reports"
        )
    }


# --- files of every format and encoding ---------------------------------------------------------------
def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    font = DEJAVU
    if font.exists():
        pdf.add_font("DejaVu", fname=str(font))
        pdf.set_font("DejaVu", size=11)
    else:  # without a Unicode font, a report in ASCII still proves the text layer is read
        text = "Ghi nhan 120 ca COVID-19 trong nam 2024."
        pdf.set_font("Helvetica", size=11)
    for line in text.splitlines():
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _html(text: str) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines())
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Báo cáo</title></head><body>"
        f"<nav><a href='/'>Trang chủ</a> | <a href='/lien-he'>Liên hệ</a></nav>"
        f"<article>{paragraphs}</article><footer>Bản quyền thuộc Sở Y tế. Điện thoại 0238.3844.123</footer>"
        f"</body></html>"
    ).encode("utf-8")


GOOD_FILES = {
    "utf8.txt": lambda: report_text("12,1").encode("utf-8"),
    "utf8-bom.txt": lambda: codecs.BOM_UTF8 + report_text("12,2").encode("utf-8"),
    "utf16.txt": lambda: report_text("12,3").encode("utf-16"),
    "cp1258.txt": lambda: to_cp1258(report_text("12,4")),
    "nfd.txt": lambda: unicodedata.normalize("NFD", report_text("12,5").replace("hóa", "hoá")).encode("utf-8"),
    "page.html": lambda: _html(report_text("12,6")),
    "report.docx": lambda: _docx(report_text("12,7")),
    "report.pdf": lambda: _pdf(report_text("12,8")),
    "named-wrongly.pdf": lambda: report_text("12,9").encode("utf-8"),  # sniffed as text, not trusted by name
    # Typed in the legacy font encodings, bytes as the fonts spell the letters (`b¸c sÜ`, `baùc só`).
    "tcvn3.txt": lambda: from_unicode(report_text("13,1"), "tcvn3").encode("latin-1"),
    "vni.txt": lambda: from_unicode(report_text("13,2"), "vni").encode("latin-1"),
}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: base letters precomposed, tone marks combining."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


BAD_FILES = {
    "empty.txt": (b"", "empty_file"),
    "binary.txt": (bytes(range(1, 32)) * 200, "binary_content"),
    "nul-bytes.txt": (b"\x00\x01\x02\x03" * 500 + b"\xff\xfe\xfa" * 100, "binary_content"),
    "undecodable.txt": (bytes(range(128, 256)) * 30, "undecodable_text"),
    "huge.txt": (("Tỷ lệ bác sĩ đạt 12 bác sĩ/10.000 dân. " * 3000).encode("utf-8"), "too_large"),
    "archive.pdf": (b"PK\x03\x04" + b"\x00" * 100, "unsupported_format"),
    "not-office.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "unsupported_format"),
    "corrupt.pdf": (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nthis is not a pdf\n%%EOF", "corrupt_pdf"),
    "corrupt.docx": (None, "corrupt_docx"),
    "menu-only.html": (
        b"<html><body><nav><a href='/'>Home</a></nav><footer>x</footer></body></html>",
        "html_without_article",
    ),
    "broken.xls": (None, "corrupt_xls"),
}


def _corrupt_docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document><not-closed>")
    return buf.getvalue()


def _broken_xls() -> bytes:
    """A real .xls whose workbook stream is overwritten with noise: an Office file, but no workbook."""
    import olefile

    path = Path(f"/tmp/broken-{os.getpid()}.xls")
    path.write_bytes((OFFICE / "workbook.xls").read_bytes())
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        size = len(ole.openstream("Workbook").read())
        ole.write_stream("Workbook", bytes([0x55]) * size)
    data = path.read_bytes()
    path.unlink()
    return data


def test_directory_source_lands_reads_and_extracts_every_format_and_encoding(ingest):
    inbox = ingest.tmp / "inbox"
    inbox.mkdir()
    for name, make in GOOD_FILES.items():
        (inbox / name).write_bytes(make())
    ingest.write_sources(
        [{"name": "inbox", "type": "directory", "path": str(inbox), "patterns": ["*.txt", "*.html", "*.docx", "*.pdf"]}]
    )
    landed = ingest.run("run-formats")
    reports = _reports(ingest)
    assert {n: s for n, (s, _, _) in reports.items()} == {n: "extracted" for n in GOOD_FILES}, reports
    encodings = dict(ingest.rows("select location, encoding from raw.reports"))
    assert any(e == "utf-16" for e in encodings.values()) and any(e == "utf-8-sig" for e in encodings.values())
    assert encodings[str(inbox / "cp1258.txt")] not in ("utf-8", "utf-8-sig", None)
    values = {
        Path(loc).name: v
        for loc, v in ingest.rows(
            """select r.location, o.value from raw.observations o join raw.reports r using (report_id)
           where o.indicator = 'doctors_per_10k'"""
        )
    }
    expected = {
        "utf8.txt": 12.1,
        "utf8-bom.txt": 12.2,
        "utf16.txt": 12.3,
        "cp1258.txt": 12.4,
        "nfd.txt": 12.5,
        "page.html": 12.6,
        "report.docx": 12.7,
        "named-wrongly.pdf": 12.9,
        "tcvn3.txt": 13.1,
        "vni.txt": 13.2,
    }
    assert (encodings[str(inbox / "tcvn3.txt")], encodings[str(inbox / "vni.txt")]) == ("tcvn3", "vni")
    if DEJAVU.exists():
        expected["report.pdf"] = 12.8
    else:
        assert (
            ingest.rows(
                "select count(*) from raw.observations o join raw.reports r using (report_id) "
                "where r.location like '%report.pdf'"
            )[0][0]
            > 0
        )
    assert values == expected
    areas = {
        a for (a,) in ingest.rows("select distinct area from raw.observations where indicator = 'doctors_per_10k'")
    }
    assert areas == {"Nghệ An"}
    # Metadata read from the text, whatever the format.
    meta = ingest.rows(
        "select document_number, issue_date, issuing_body, province, period_label from raw.reports "
        "where location like '%utf16.txt'"
    )[0]
    assert meta[0] == "4071/BC-SYT" and str(meta[1]) == "2024-12-28" and meta[2] == "Sở Y tế" and meta[3] == "Nghệ An"
    assert meta[4] and "2024" in meta[4]
    media = dict(ingest.rows("select location, media_type from raw.reports"))
    assert media[str(inbox / "named-wrongly.pdf")] == "text/plain"
    assert sum(len(b["new"]) for b in landed) == len(GOOD_FILES)


def test_every_bad_input_is_recorded_with_its_reason_and_kept(ingest):
    inbox = ingest.tmp / "inbox"
    inbox.mkdir()
    for name, (data, _) in BAD_FILES.items():
        (inbox / name).write_bytes(
            {"corrupt.docx": _corrupt_docx, "broken.xls": _broken_xls}[name]() if data is None else data
        )
    (inbox / "good.txt").write_text(report_text(), encoding="utf-8")
    outside = ingest.tmp / "secret.txt"
    outside.write_text(report_text("99,9"), encoding="utf-8")
    (inbox / "escape.txt").symlink_to(outside)  # a name inside the folder that leads outside it
    (inbox / "so-lieu.xyz").write_text(report_text(), encoding="utf-8")  # a name no pattern matches
    ingest.write_sources(
        [
            {
                "name": "inbox",
                "type": "directory",
                "path": str(inbox),
                "max_bytes": 50_000,
                "patterns": ["*.txt", "*.html", "*.docx", "*.pdf", "*.doc", "*.xls"],
            }
        ]
    )
    ingest.run("run-bad")
    reports = _reports(ingest)
    for name, (_, reason) in BAD_FILES.items():
        status, recorded, path = reports[name]
        assert status == "failed" and recorded.startswith(reason), (name, recorded)
        assert Path(path).exists(), f"{name} must stay in the archive"
    status, recorded, _ = reports["escape.txt"]
    assert status == "failed" and recorded.startswith("unsafe_path")
    status, recorded, _ = reports["so-lieu.xyz"]
    assert status == "failed" and recorded.startswith("unsupported_format"), "never silently skipped"
    assert reports["good.txt"][0] == "extracted"
    # Archived files are read-only and named by their content.
    _, _, path = reports["corrupt.pdf"]
    assert not os.access(path, os.W_OK) or os.geteuid() == 0
    assert oct(Path(path).stat().st_mode)[-3:] == "444"


def test_http_sources_index_and_list_with_every_failure(ingest, site):
    docx_bytes = _docx(report_text("13,2"))
    site.routes.update(
        {
            "/bao-cao/index.html": (
                200,
                {"Content-Type": "text/html"},
                (
                    "<html><body><a href='a.txt'>A</a> <a href='trang.html'>B</a> <a href='c.docx'>C</a>"
                    "<a href='d.pdf'>D</a> <a href='utf16.txt'>E</a> <a href='cp1258.txt'>F</a> <a href='nfd.txt'>G</a>"
                    "<a href='style.css'>css</a> <a href='../../etc/passwd.txt'>escape</a>"
                    "<a href='mat.txt'>404</a></body></html>"
                ).encode(),
            ),
            "/bao-cao/a.txt": (
                200,
                {"ETag": '"v1"', "Last-Modified": "Mon, 23 Dec 2024 10:00:00 GMT"},
                report_text("13,0").encode("utf-8"),
            ),
            "/bao-cao/trang.html": (200, {"Content-Type": "text/html"}, _html(report_text("13,1"))),
            "/bao-cao/c.docx": (200, {}, docx_bytes),
            "/bao-cao/d.pdf": (200, {"Content-Type": "application/pdf"}, _pdf(report_text("13,3"))),
            "/bao-cao/utf16.txt": (200, {}, report_text("13,4").encode("utf-16")),
            "/bao-cao/cp1258.txt": (200, {}, to_cp1258(report_text("13,5"))),
            "/bao-cao/nfd.txt": (200, {}, unicodedata.normalize("NFD", report_text("13,6")).encode("utf-8")),
            "/loi.txt": (500, {}, b"server error"),
            "/cham.txt": (200, {}, report_text().encode()),
            "/vong.txt": (302, {"Location": "/vong.txt"}, b""),
            "/lon.txt": (200, {}, b"x" * 200_000),
            "/ban-sao.txt": (200, {}, report_text("13,0").encode("utf-8")),  # same bytes as a.txt
        }
    )
    site.sleep["/cham.txt"] = 3.0
    ingest.write_sources(
        [
            {
                "name": "so-y-te-web",
                "type": "http_index",
                "url": f"{site.base}/bao-cao/index.html",
                "link_pattern": r"\.(txt|html|docx|pdf)$",
                "delay_seconds": 0.05,
                "retries": 3,
                "timeout_seconds": 1,
                "defaults": {"province": "Nghệ An"},
                "allow_private_addresses": True,
            },
            {
                "name": "danh-sach",
                "type": "http_list",
                "delay_seconds": 0.05,
                "retries": 2,
                "timeout_seconds": 1,
                "max_bytes": 100_000,
                "allow_private_addresses": True,
                "urls": [
                    f"{site.base}/loi.txt",
                    f"{site.base}/cham.txt",
                    f"{site.base}/vong.txt",
                    f"{site.base}/lon.txt",
                    f"{site.base}/ban-sao.txt",
                    f"{site.base}/x/../../bi-mat.txt",
                ],
            },
        ]
    )
    ingest.run("run-http-1")
    reports = _reports(ingest)
    assert reports["a.txt"][0] == "extracted" and reports["trang.html"][0] == "extracted"
    assert reports["c.docx"][0] == "extracted"
    for name in ("d.pdf", "utf16.txt", "cp1258.txt", "nfd.txt"):
        assert reports[name][0] == "extracted", (name, reports[name])
    values = {
        loc.rsplit("/", 1)[-1]: v
        for loc, v in ingest.rows(
            """select r.location, o.value from raw.observations o join raw.reports r using (report_id)
           where o.indicator = 'doctors_per_10k'"""
        )
    }
    expected = {
        "a.txt": 13.0,
        "trang.html": 13.1,
        "c.docx": 13.2,
        "utf16.txt": 13.4,
        "cp1258.txt": 13.5,
        "nfd.txt": 13.6,
    }
    if DEJAVU.exists():
        expected["d.pdf"] = 13.3
    assert values == expected
    assert "style.css" not in reports
    assert reports["mat.txt"][:2] == ("failed", "http_error: HTTP 404")
    assert reports["loi.txt"][0] == "failed" and reports["loi.txt"][1].startswith("http_error: HTTP 500")
    assert site.hits["/loi.txt"] == 2, "a 5xx is retried, as many times as configured"
    assert reports["cham.txt"][0] == "failed" and reports["cham.txt"][1].startswith("timeout")
    assert reports["vong.txt"][0] == "failed" and reports["vong.txt"][1].startswith("redirect_loop")
    assert reports["lon.txt"][0] == "failed" and reports["lon.txt"][1].startswith("too_large")
    unsafe = [
        loc
        for loc, reason in ingest.rows("select location, failure_reason from raw.reports")
        if reason and reason.startswith("unsafe_path")
    ]
    assert len(unsafe) == 2 and not any(p.startswith("/etc") or p.startswith("/bi-mat") for p in site.hits)
    # Same bytes at two URLs: one report, two sightings.
    sightings = ingest.rows("""select count(*) from raw.report_sightings s join raw.reports r using (report_id)
                               where r.location like '%/a.txt'""")[0][0]
    assert sightings == 2 and "ban-sao.txt" not in reports
    # A clear User-Agent on every request.
    assert all(h.get("User-Agent", "").startswith("vnhealth/") for hs in site.headers_seen.values() for h in hs)
    # Province from the source's defaults when the text never names one? Here the text names it.
    assert ingest.rows("select province from raw.reports where location like '%/a.txt'")[0][0] == "Nghệ An"

    counts = ingest.rows("select count(*), (select count(*) from raw.observations) from raw.reports")[0]
    landed = ingest.run("run-http-2")
    assert ingest.rows("select count(*), (select count(*) from raw.observations) from raw.reports")[0] == counts
    assert sum(len(b["new"]) for b in landed) == 0
    # The second night asked conditionally and the server answered 304 for the unchanged report.
    second = site.headers_seen["/bao-cao/a.txt"][-1]
    assert second.get("If-None-Match") == '"v1"' and second.get("If-Modified-Since")

    # New content at the same URL: a new version that supersedes the old; both are kept.
    site.routes["/bao-cao/a.txt"] = (200, {"ETag": '"v2"'}, report_text("14,0").encode("utf-8"))
    ingest.run("run-http-3")
    versions = ingest.rows("""select report_id, supersedes, status from raw.reports where location like
    '%/bao-cao/a.txt'
                              order by fetched_at""")
    assert len(versions) == 2 and versions[1][1] == versions[0][0]
    assert all(
        Path(p).exists() for (p,) in ingest.rows("select archive_path from raw.reports where location like '%/a.txt'")
    )


def test_links_and_redirects_leave_neither_the_origin_nor_for_a_private_address(ingest, site):
    """An index that links to another host (or to the warehouse's own port), a redirect there, and a
    source without `allow_private_addresses` on a loopback server: each refused and recorded with
    its reason, no request sent where it should not go."""
    other = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Site()))
    threading.Thread(target=other.serve_forever, daemon=True).start()
    elsewhere = f"http://127.0.0.1:{other.server_address[1]}"
    try:
        site.routes.update(
            {
                "/idx.html": (
                    200,
                    {"Content-Type": "text/html"},
                    (
                        f"<a href='ok.txt'>a</a> <a href='{elsewhere}/x.txt'>b</a> <a href='//localhost:1/y.txt'>c</a>"
                        "<a href='di.txt'>d</a>"
                    ).encode(),
                ),
                "/ok.txt": (200, {}, report_text("12,1").encode()),
                "/di.txt": (302, {"Location": f"{elsewhere}/z.txt"}, b""),
            }
        )
        ingest.write_sources(
            [
                {
                    "name": "web",
                    "type": "http_index",
                    "url": f"{site.base}/idx.html",
                    "delay_seconds": 0,
                    "retries": 1,
                    "timeout_seconds": 2,
                    "allow_private_addresses": True,
                },
                {
                    "name": "strict",
                    "type": "http_list",
                    "urls": [f"{site.base}/ok.txt"],
                    "delay_seconds": 0,
                    "retries": 1,
                    "timeout_seconds": 2,
                },
            ]
        )
        ingest.run("run-origins")
        reasons = {
            loc: (status, reason)
            for loc, status, reason in ingest.rows("select location, status, failure_reason from raw.reports")
        }
        by_name = {loc.rsplit("/", 1)[-1]: v for loc, v in reasons.items()}
        assert by_name["x.txt"][1].startswith("off_origin_link")
        assert by_name["y.txt"][1].startswith("off_origin_link")
        assert by_name["di.txt"][1].startswith("off_origin_link"), "a redirect off the origin is refused"
        assert any(v[0] == "extracted" for k, v in reasons.items() if k.endswith("/ok.txt"))
        strict = [r for (r,) in ingest.rows("select failure_reason from raw.reports where source_name = 'strict'")]
        assert strict and strict[0].startswith("private_address")
    finally:
        other.shutdown()
        other.server_close()


def test_a_trickling_server_meets_the_downloads_deadline(ingest):
    """One byte every half second never trips a per-read timeout; the total deadline ends it."""

    class Trickle(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.5)
            except (BrokenPipeError, ConnectionResetError):
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/cham.txt"
        ingest.write_sources(
            [
                {
                    "name": "slow",
                    "type": "http_list",
                    "urls": [url],
                    "delay_seconds": 0,
                    "retries": 1,
                    "timeout_seconds": 5,
                    "deadline_seconds": 2,
                    "allow_private_addresses": True,
                }
            ]
        )
        started = time.monotonic()
        ingest.run("run-trickle")
        assert time.monotonic() - started < 20
        (reason,) = ingest.rows("select failure_reason from raw.reports")[0]
        assert reason.startswith("timeout: the download took longer than its deadline")
    finally:
        server.shutdown()
        server.server_close()


def test_a_file_too_large_is_refused_before_it_is_read(ingest):
    inbox = ingest.tmp / "inbox"
    inbox.mkdir()
    (inbox / "lon.txt").write_bytes(b"x" * 5000)
    (inbox / "nho.txt").write_text(report_text(), encoding="utf-8")
    ingest.write_sources([{"name": "inbox", "type": "directory", "path": str(inbox), "max_bytes": 1000}])
    ingest.run("run-size")
    reports = _reports(ingest)
    assert reports["lon.txt"][0] == "failed" and reports["lon.txt"][1].startswith("too_large")
    assert reports["nho.txt"][0] == "extracted"


def test_encrypted_pdfs_and_inflating_documents(monkeypatch):
    """A PDF locked by a user password is `encrypted_pdf`; one with an empty user password (protected
    against editing only) is read. A DOCX whose members inflate past the limit is refused from the
    zip's directory, before anything is inflated."""
    from pypdf import PdfReader, PdfWriter

    from vnhealth import documents

    def encrypted(user: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf(report_text("12,9")))))
        writer.encrypt(user_password=user, owner_password="chu-so-huu", algorithm="RC4-128")
        buf = io.BytesIO()
        writer.write(buf)
        return buf.getvalue()

    with pytest.raises(DocumentError) as locked:
        read_document(encrypted("mat-khau"))
    assert locked.value.reason == "encrypted_pdf"
    assert "bác sĩ" in read_document(encrypted("")).text.lower() or not DEJAVU.exists()

    monkeypatch.setattr(documents, "MAX_INFLATED_BYTES", 1_000_000)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * 5_000_000)
    with pytest.raises(DocumentError) as inflating:
        read_document(bomb.getvalue())
    assert inflating.value.reason == "too_large" and "word/document.xml" in str(inflating.value)


def _scanned_pdf(lines: list[str]) -> bytes:
    """A PDF of my own with no text layer: one page that is an image of Vietnamese text."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(DEJAVU), 36)
    image = Image.new("L", (2480, 1000), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((120, 80 + i * 70), line, font=font, fill=0)
    png = io.BytesIO()
    image.save(png, format="PNG")
    png.seek(0)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(png, x=0, y=0, w=210)
    return bytes(pdf.output())


def test_a_scanned_pdf_is_read_by_ocr_and_its_figures_marked(ingest):
    from vnhealth import ocr

    if not ocr.available() or not DEJAVU.exists():
        pytest.skip("OCR is off here (tesseract-ocr-vie, poppler-utils) or no Unicode font to draw the page")
    inbox = ingest.tmp / "inbox"
    inbox.mkdir()
    (inbox / "scan.pdf").write_bytes(
        _scanned_pdf(
            [
                "SỞ Y TẾ TỈNH HÀ TĨNH",
                "BÁO CÁO",
                "Kết quả công tác y tế năm 2024",
                "Năm 2024, tỷ lệ bác sĩ đạt 13,6 bác sĩ/10.000 dân.",
                "Tỷ lệ người dân tham gia bảo hiểm y tế đạt 93,5%.",
            ]
        )
    )
    ingest.write_sources([{"name": "inbox", "type": "directory", "path": str(inbox)}])
    ingest.run("run-ocr")
    assert ingest.rows("select status, text_source, province from raw.reports") == [("extracted", "ocr", "Hà Tĩnh")]
    assert sorted(ingest.rows("select indicator, value from raw.observations")) == [
        ("doctors_per_10k", 13.6),
        ("health_insurance_coverage_pct", 93.5),
    ]
    sha = ingest.rows("select report_id from raw.reports")[0][0]
    assert (ingest.tmp / "archive" / "ocr" / f"{sha}.txt").exists(), "the OCR text is kept with the report"


def test_a_pages_title_outside_its_article_keeps_the_province_and_year():
    """An `<h1>` in the page header, outside the article trafilatura keeps, is the report's title."""
    from vnhealth.extraction import extract_text

    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Tin tức</title></head><body>"
        "<header><h1>Sở Y tế tỉnh Quảng Trị: kết quả công tác y tế năm 2024</h1></header>"
        "<nav><a href='/'>Trang chủ</a></nav><article><p>Trong năm qua, ngành y tế đã nỗ lực vượt qua nhiều "
        "khó khăn, hoàn thành các chỉ tiêu được giao.</p><p>Tỷ lệ người dân tham gia bảo hiểm y tế đạt 94,2%."
        "</p></article><footer>Bản quyền</footer></body></html>"
    )
    doc = read_document(page.encode("utf-8"))
    assert doc.metadata["province"] == "Quảng Trị" and doc.metadata["period_start"] == "2024-01-01"
    (o,) = extract_text(doc.text, "page.html", normalized=True)
    assert (o.area, o.period_start, o.value) == ("Quảng Trị", "2024-01-01", 94.2)


def test_an_excel_workbook_is_read_as_its_table(ingest):
    """An .xlsx of my own: a title row, a header of years, indicator rows with numeric cells; each
    figure is read for its column's year, as the table reader reads any table."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (
        ["SỞ Y TẾ TỈNH LẠNG SƠN"],
        ["BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024"],
        ["Chỉ tiêu", "Năm 2023", "Năm 2024"],
        ["Tỷ lệ bác sĩ/10.000 dân", 11.2, 12.8],
        ["Số ca mắc sốt xuất huyết", 1234, 987],
    ):
        sheet.append(row)
    inbox = ingest.tmp / "inbox"
    inbox.mkdir()
    workbook.save(inbox / "so-lieu.xlsx")
    ingest.write_sources([{"name": "inbox", "type": "directory", "path": str(inbox)}])
    ingest.run("run-xlsx")
    assert ingest.rows("select status, province from raw.reports") == [("extracted", "Lạng Sơn")]
    assert sorted(ingest.rows("select indicator, value, period_start::text from raw.observations")) == [
        ("dengue_cases", 987, "2024-01-01"),
        ("dengue_cases", 1234, "2023-01-01"),
        ("doctors_per_10k", 11.2, "2023-01-01"),
        ("doctors_per_10k", 12.8, "2024-01-01"),
    ]


def test_word_and_excel_97_files_are_read_with_their_tables(ingest):
    """.doc and .xls files of my own (tests/fixtures/office), found by the default patterns: a Word
    report with a table, one typed in TCVN3, a dispatch too short for antiword (read by catdoc), an
    Excel table and one typed in VNI. Each figure comes out as from the same .docx or .xlsx."""
    inbox = ingest.tmp / "inbox"
    inbox.mkdir()
    for path in OFFICE.glob("*.xls"):
        (inbox / path.name).write_bytes(path.read_bytes())
    for path in OFFICE.glob("*.doc"):
        (inbox / path.name).write_bytes(path.read_bytes())
    ingest.write_sources([{"name": "inbox", "type": "directory", "path": str(inbox)}])  # default patterns
    ingest.run("run-office")
    reports = {
        Path(loc).name: rest
        for loc, *rest in ingest.rows("select location, status, media_type, encoding, province from raw.reports")
    }
    assert reports == {
        "report.doc": ["extracted", "application/msword", None, "Quảng Trị"],
        "report-tcvn3.doc": ["extracted", "application/msword", "tcvn3", "Quảng Bình"],
        "short.doc": ["extracted", "application/msword", None, "Hà Tĩnh"],
        "workbook.xls": ["extracted", "application/vnd.ms-excel", None, "Lạng Sơn"],
        "workbook-vni.xls": ["extracted", "application/vnd.ms-excel", "vni", "Lạng Sơn"],
    }
    values = {}
    for name, indicator, value, start in ingest.rows(
        """select r.location, o.indicator, o.value, o.period_start::text
               from raw.observations o join raw.reports r using (report_id)"""
    ):
        values.setdefault(Path(name).name, set()).add((indicator, value, start))
    table = {
        ("dengue_cases", 987, "2024-01-01"),
        ("dengue_cases", 1234, "2023-01-01"),
        ("doctors_per_10k", 11.2, "2023-01-01"),
        ("doctors_per_10k", 12.8, "2024-01-01"),
    }
    assert values["workbook.xls"] == values["workbook-vni.xls"] == table
    assert {(i, v) for i, v, _ in values["report.doc"]} >= {
        ("doctors_per_10k", 9.8),
        ("health_insurance_coverage_pct", 94.1),
        ("dengue_cases", 214),
    }
    assert ("beds_per_10k", 33.5) in {(i, v) for i, v, _ in values["report.doc"]}, "read from the table's row"
    assert {(i, v) for i, v, _ in values["report-tcvn3.doc"]} >= {
        ("full_immunization_pct", 96.2),
        ("beds_per_10k", 21.5),
        ("dengue_cases", 1204),
    }
    assert {(i, v) for i, v, _ in values["short.doc"]} == {("doctors_per_10k", 10.4)}


def test_a_doc_without_its_reader_or_with_a_broken_body_says_so(tmp_path, monkeypatch):
    data = (OFFICE / "report.doc").read_bytes()
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without antiword
    with pytest.raises(DocumentError) as exc:
        read_document(data)
    assert exc.value.reason == "doc_reader_missing" and "antiword" in str(exc.value)
    monkeypatch.undo()
    with pytest.raises(DocumentError) as exc:
        read_document(_broken_xls())
    assert exc.value.reason == "corrupt_xls"


@pytest.mark.parametrize("font", FONTS)
def test_legacy_fonts_convert_every_letter_and_every_example(font):
    """Both fonts are fixed maps: every Vietnamese letter, small and capital, and each example sentence
    of data/legacy_fonts.yml comes back as written; text in the font is recognised as that font."""
    entry = font_tables()[font]
    letters = [letter for family in entry["letters"].values() for letter in family]
    words = " ".join(f"b{letter}n" for letter in letters if letter.islower())
    assert to_unicode(from_unicode(words, font), font) == words
    capitals = " ".join(f"B{letter.upper()}N" for letter in letters if letter.islower())
    assert to_unicode(from_unicode(capitals, font), font) == capitals, "capitals typed in the capital font"
    for example in entry["examples"]:
        assert to_unicode(example["legacy"], font) == example["unicode"]
        assert from_unicode(example["unicode"], font) == example["legacy"]
        text, encoding = decode_text((example["legacy"] + "\n").encode("latin-1") * 4)
        assert (text, encoding) == ((example["unicode"] + "\n") * 4, font)


def test_no_report_of_the_corpus_is_taken_for_a_legacy_font():
    """The detector must never fire on Unicode Vietnamese: every report of the shared corpus reads
    with its own encoding, none as TCVN3 or VNI."""
    reports = sorted((CORPUS / "reports").glob("*.*"))
    reports = [p for p in reports if p.suffix in (".txt", ".html", ".md", ".pdf", ".docx")]
    assert len(reports) >= 27, "the shared corpus is missing"
    for path in reports:
        doc = read_document(path.read_bytes())
        assert doc.encoding not in FONTS, path.name


def test_an_unchanged_file_is_seen_but_not_read_again(ingest):
    """A file whose size and mtime are those of the version held is recorded as seen by the night
    and mapped over by nothing; a file whose content changed is landed as a new version."""
    inbox = ingest.tmp / "inbox"
    inbox.mkdir()
    ingest.write_sources([{"name": "inbox", "type": "directory", "path": str(inbox)}])
    (inbox / "a.txt").write_text("BÁO CÁO năm 2024 tỉnh Hà Tĩnh\nGhi nhận 12 ca sởi.\n", encoding="utf-8")
    (inbox / "b.txt").write_text("BÁO CÁO năm 2024 tỉnh Hà Tĩnh\nGhi nhận 15 ca sởi.\n", encoding="utf-8")
    first = pipeline.discover_batches(50, "night-1")
    assert sorted(Path(c["location"]).name for c in first[0]) == ["a.txt", "b.txt"]
    pipeline.land_batch(first[0], "night-1")
    assert pipeline.discover_batches(50, "night-2") == [[]], "nothing changed: nothing to land"
    assert sorted(r for (r,) in ingest.rows("select distinct last_run_id from raw.report_sightings")) == ["night-2"]
    (inbox / "b.txt").write_text("BÁO CÁO năm 2024 tỉnh Hà Tĩnh\nGhi nhận 16 ca sởi.\n", encoding="utf-8")
    third = pipeline.discover_batches(50, "night-3")
    assert [Path(c["location"]).name for c in third[0]] == ["b.txt"]
    assert pipeline.land_batch(third[0], "night-3")["new"], "the changed file is a new version"
    assert ingest.rows("select count(*) from raw.reports")[0][0] == 3


def test_source_defaults_give_the_province_when_the_text_never_names_it(ingest):
    inbox = ingest.tmp / "inbox"
    inbox.mkdir()
    (inbox / "r.txt").write_text("BÁO CÁO năm 2024\nTỷ lệ bác sĩ đạt 11,0 bác sĩ/10.000 dân.\n", encoding="utf-8")
    ingest.write_sources([{"name": "hn", "type": "directory", "path": str(inbox), "defaults": {"province": "Hà Nội"}}])
    ingest.run("run-defaults")
    assert ingest.rows("select area from raw.observations") == [("Hà Nội",)]


@pytest.mark.parametrize(
    "entries,message",
    [
        ([{"name": "x", "type": "ftp", "url": "ftp://x"}], "unknown type 'ftp'"),
        ([{"name": "x", "type": "http_index"}], "needs `url`"),
        ([{"name": "x", "type": "http_list", "urls": []}, {"name": "x", "type": "http_list", "urls": []}], "duplicate"),
        ([{"name": "Bad Name", "type": "directory", "path": "."}], "`name` must be"),
        ([{"name": "x", "type": "directory", "path": ".", "defaults": {"colour": "red"}}], "`defaults` may set only"),
        ("not a list", "non-empty list"),
    ],
)
def test_sources_file_errors_are_clear(tmp_path, entries, message):
    path = tmp_path / "sources.yml"
    path.write_text(yaml.safe_dump({"sources": entries}))
    with pytest.raises(SourceConfigError, match=message.replace("(", r"\(").replace("`", "`")):
        load_sources(path)


def test_broken_yaml_and_missing_file(tmp_path):
    with pytest.raises(SourceConfigError, match="not found"):
        load_sources(tmp_path / "nope.yml")
    (tmp_path / "s.yml").write_text("sources: [unclosed")
    with pytest.raises(SourceConfigError, match="not valid YAML"):
        load_sources(tmp_path / "s.yml")


@pytest.mark.parametrize(
    "leading,expected",
    [
        ("date 2024-12\nBÁO CÁO 9 tháng đầu năm 2024\n", ("2024-12-01", "9 tháng")),
        ("Hà Tĩnh, ngày 09/10/2024\nBÁO CÁO 6 tháng đầu năm 2024\n", ("2024-10-09", "6 tháng")),
    ],
)
def test_issue_date_and_period_from_the_text(leading, expected):
    doc = read_document((leading + "Sở Y tế tỉnh Hà Tĩnh báo cáo kết quả công tác y tế trong kỳ.\n").encode())
    assert doc.metadata["issue_date"] == expected[0]
    assert expected[1] in (doc.metadata["period_label"] or "")


def test_reader_errors_name_their_reason():
    with pytest.raises(DocumentError) as exc:
        read_document(b"abc" * 100, max_bytes=10)
    assert exc.value.reason == "too_large"


def test_batches_grow_instead_of_multiplying_beyond_the_cap():
    from vnhealth.pipeline import _chunks

    reports = [f"r{i}" for i in range(10_000)]
    small = _chunks(reports[:950], 100, max_batches=20)
    assert [len(b) for b in small] == [100] * 9 + [50], "under the cap: batches of the given size"
    large = _chunks(reports, 100, max_batches=20)
    assert len(large) == 20 and {len(b) for b in large} == {500}
    assert [r for b in large for r in b] == reports, "every report once, in order"
    assert len(_chunks(reports[:2001], 100, max_batches=20)) == 20
    assert len(_chunks(reports, 100)) == 100, "no cap: as many batches as it takes"


def test_one_batch_lands_a_place_seen_twice_and_one_file_seen_at_two_places(ingest):
    """Landing records a batch in a few statements: a place offered twice in one batch still gets
    the second version superseding the first, and the same bytes at two places are one report with
    two sightings."""
    from vnhealth import landing

    archive = ingest.tmp / "archive"
    v1, v2 = (f"BÁO CÁO năm 2024 tỉnh Hà Tĩnh\nGhi nhận {n} ca sởi.\n".encode() for n in (12, 13))
    stored = [
        landing.archive(archive, "inbox", "/in/a.txt", v1),
        landing.archive(archive, "inbox", "/in/a.txt", v2),
        landing.archive(archive, "inbox", "/in/copy-of-a.txt", v1),
        landing.archive(archive, "inbox", "/in/empty.txt", b""),
    ]
    with psycopg.connect(ingest.url) as conn:
        landed = landing.land(conn, stored, "run-1")
    assert [x.status for x in landed] == ["new", "new", "known", "failed"]
    assert landed[3].reason.startswith("empty_file")
    first, second = landed[0].report_id, landed[1].report_id
    assert ingest.rows("select supersedes from raw.reports where report_id = %s", (second,)) == [(first,)]
    assert ingest.rows("select count(*) from raw.report_sightings where report_id = %s", (first,)) == [(2,)]
    assert ingest.rows("select count(*) from raw.reports") == [(3,)]
