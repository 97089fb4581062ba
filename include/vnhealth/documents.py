"""Reading a landed file into normalised text plus metadata.

The format is sniffed from the bytes, never trusted from the name. Each failure raises
`DocumentError` with a reason an auditor can read in `raw.reports.failure_reason`.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date

from vnhealth import legacy_fonts
from vnhealth.text import join_lowercase_carry_ons, looks_hard_wrapped, normalize, unwrap_lines

MAX_BYTES_DEFAULT = 50 * 1024 * 1024


class DocumentError(ValueError):
    """A file that cannot be read as a report; `reason` is a short machine-friendly code."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass
class Document:
    text: str
    media_type: str
    encoding: str | None
    metadata: dict[str, object] = field(default_factory=dict)
    text_source: str = "text"  # `ocr` when the text was recognised from page images


def sniff_media_type(data: bytes) -> str:
    head = data[:2048]
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "word/document.xml" in zf.namelist():
                    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                if "xl/workbook.xml" in zf.namelist():
                    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        except zipfile.BadZipFile:
            return "application/zip"
        return "application/zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _ole_media_type(data)  # legacy .doc/.xls
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html")) or b"<body" in head.lower():
        return "text/html"
    return "text/plain"


def _ole_media_type(data: bytes) -> str:
    """A legacy Office file is a small file system: its streams say whether it is Word or Excel."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if ole.exists("WordDocument"):
                return "application/msword"
            if ole.exists("Workbook") or ole.exists("Book"):
                return "application/vnd.ms-excel"
    except (OSError, ValueError):  # olefile raises OSError for a damaged structure
        return "application/x-ole-storage"
    return "application/x-ole-storage"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def decode_text(data: bytes) -> tuple[str, str]:
    """Bytes of a text file → (text, encoding); BOMs, UTF-16 and legacy code pages included."""
    from charset_normalizer import from_bytes

    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM has a zero in every other byte; anything else with NULs is binary.
        zeros_even = data[0:4096:2].count(0)
        zeros_odd = data[1:4096:2].count(0)
        if zeros_odd > 0.3 * len(data[1:4096:2]) and zeros_even == 0:
            return data.decode("utf-16-le"), "utf-16-le"
        if zeros_even > 0.3 * len(data[0:4096:2]) and zeros_odd == 0:
            return data.decode("utf-16-be"), "utf-16-be"
        raise DocumentError("binary_content", "the file holds NUL bytes and is not UTF-16 text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:  # Windows-1258: base letters precomposed, tones as combining marks
        vietnamese = unicodedata.normalize("NFC", data.decode("cp1258"))
        letters = [c for c in vietnamese if c.isalpha()]
        special = sum(1 for c in letters if c in "ăđơưĂĐƠƯ" or "\u1ea0" <= c <= "\u1ef9")
        # A legacy font read as Windows-1258 also makes a few Vietnamese letters, among stray symbols.
        if letters and special > 0.03 * len(letters) and legacy_fonts.stray_share(vietnamese) < 0.01:
            return vietnamese, "cp1258"
    except UnicodeDecodeError:
        pass
    latin1 = data.decode("latin-1")
    if legacy := legacy_fonts.detect(latin1):  # before a code-page guess turns it into plausible nonsense
        return legacy_fonts.to_unicode(latin1, legacy), legacy
    best = from_bytes(data, cp_isolation=["cp1258", "cp1252", "latin_1", "utf_8"]).best()
    if best is None:
        raise DocumentError("undecodable_text", "no encoding decodes this file")
    return str(best), best.encoding


def _read_pdf(data: bytes) -> tuple[str, str]:
    """The text layer, or (a scanned PDF, OCR installed) the recognised text; and which it was."""
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings duplicate the reason we record
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # An empty user password (a PDF only protected against editing) opens it; any other does not.
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # an encryption pypdf cannot open (e.g. AES without cryptography)
                raise DocumentError("encrypted_pdf", f"cannot decrypt: {exc}"[:200]) from exc
            if not opened:
                raise DocumentError("encrypted_pdf", "the PDF needs a password to open")
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError("corrupt_pdf", str(exc)[:200]) from exc
    text = "\n".join(pages)
    if not text.strip():
        from vnhealth import ocr

        if not ocr.available():
            raise DocumentError(
                "pdf_without_text_layer",
                "the PDF has no extractable text (scanned?) and OCR (tesseract-ocr-vie) is not installed",
            )
        try:
            text = ocr.recognise_pdf(data)
        except Exception as exc:  # pdftoppm or tesseract failed, or took too long
            raise DocumentError("ocr_failed", str(exc)[:200]) from exc
        if not text.strip():
            raise DocumentError("pdf_without_text_layer", "OCR found no text on the PDF's pages")
        return text, "ocr"
    return text, "text"


MAX_INFLATED_BYTES = 200 * 1024 * 1024


def _check_zip_members(data: bytes, corrupt: str, limit: int | None = None) -> None:
    """The uncompressed size of every member, read from the zip's directory before anything is
    inflated: a 1 GiB document.xml is refused without taking memory for it."""
    limit = limit or MAX_INFLATED_BYTES
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = 0
            for info in zf.infolist():
                total += info.file_size
                if info.file_size > limit or total > limit:
                    raise DocumentError("too_large", f"{info.filename} inflates past {limit} bytes")
    except zipfile.BadZipFile as exc:
        raise DocumentError(corrupt, str(exc)[:200]) from exc


def _read_docx(data: bytes) -> str:
    import docx

    _check_zip_members(data, "corrupt_docx")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for broken packages
        raise DocumentError("corrupt_docx", str(exc)[:200]) from exc
    from docx.table import Table

    # Body order, tables as pipe rows with their empty cells kept (the table reader needs columns).
    parts = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = [" ".join(cell.text.split()) for cell in row.cells]
                parts.append("| " + " | ".join(cells) + " |")
        else:
            parts.append(block.text)
    return "\n".join(parts)


def _cell_text(value: object) -> str:
    """A cell as a report would print it: whole numbers plain, decimals with a comma."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    if isinstance(value, (int,)):
        return str(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def _read_xlsx(data: bytes) -> str:
    """Each sheet: its name, then its rows as pipe rows with empty cells kept, as a DOCX table is
    read (the table reader needs columns); a row of one cell is a line of prose (a title)."""
    import openpyxl

    _check_zip_members(data, "corrupt_xlsx")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for broken packages
        raise DocumentError("corrupt_xlsx", str(exc)[:200]) from exc
    parts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            parts.extend(_sheet_row([_cell_text(v) for v in row]))
        parts.append("")
    workbook.close()
    return "\n".join(parts)


DOC_TIMEOUT_SECONDS = 120


def _read_doc(data: bytes) -> str:
    """A Word 97-2003 file through antiword (Debian's `antiword`): paragraphs one per line (no
    wrapping), tables as pipe rows with their empty cells kept, as a DOCX table is read. antiword
    cannot read a very short text stream; catdoc (Debian's `catdoc`) reads those."""
    import shutil

    if not shutil.which("antiword"):
        raise DocumentError("doc_reader_missing", "reading .doc files needs Debian's antiword, which is not installed")
    done = _run_reader(["antiword", "-w", "0", "-m", "UTF-8.txt"], data)
    message = done.stderr.decode("utf-8", "replace").strip().splitlines()
    if done.returncode != 0 and any("too small" in line for line in message) and shutil.which("catdoc"):
        done = _run_reader(["catdoc", "-w", "-d", "utf-8"], data)
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
    if done.returncode != 0:
        if any("encrypt" in line.lower() or "password" in line.lower() for line in message):
            raise DocumentError("encrypted_doc", "the Word file is protected by a password")
        raise DocumentError("corrupt_doc", (message[-1] if message else f"exit status {done.returncode}")[:200])
    lines = []
    for line in done.stdout.decode("utf-8", "replace").split("\n"):
        if line.startswith("|"):  # antiword pads each cell to its column: `|Chỉ tiêu   |Kế hoạch |`
            line = _pipe_row(line.strip().strip("|").split("|"))
        elif "\t" in line.strip():  # catdoc separates a table row's cells by tabs
            line = _pipe_row(line.split("\t"))
        lines.append(line)
    return "\n".join(lines)


def _pipe_row(cells: list[str]) -> str:
    return "| " + " | ".join(" ".join(c.split()) for c in cells) + " |"


def _run_reader(command: list[str], data: bytes):
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".doc") as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            return subprocess.run([*command, tmp.name], capture_output=True, timeout=DOC_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as exc:
            raise DocumentError("corrupt_doc", f"{command[0]} took more than {DOC_TIMEOUT_SECONDS} s") from exc


def _read_xls(data: bytes) -> str:
    """An Excel 97-2003 workbook through xlrd, each sheet read as `_read_xlsx` reads one."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct errors ... for broken files
        reason = "encrypted_xls" if "encrypt" in str(exc).lower() else "corrupt_xls"
        raise DocumentError(reason, str(exc)[:200]) from exc
    parts = []
    for sheet in book.sheets():
        for r in range(sheet.nrows):
            cells = []
            for cell in sheet.row(r):
                value = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    value = None
                cells.append(_cell_text(value))
            parts.extend(_sheet_row(cells))
        parts.append("")
    book.release_resources()
    return "\n".join(parts)


def _sheet_row(cells: list[str]) -> list[str]:
    """A row as a pipe row with its empty cells kept; a row of one cell is a line of prose (a title)."""
    while cells and not cells[-1]:
        cells.pop()
    filled = [c for c in cells if c]
    if not filled:
        return []
    return [filled[0] if len(filled) == 1 else "| " + " | ".join(cells) + " |"]


def _read_html(data: bytes) -> tuple[str, str]:
    import trafilatura

    raw, encoding = decode_text(data)
    text = trafilatura.extract(raw, include_tables=True, include_comments=False, favor_recall=True)
    if not text or len(text.strip()) < 40:
        raise DocumentError("html_without_article", "no main article text found in the page")
    # A page's `<h1>` outside the article is often the report's title, with the province and year
    # its figures need: kept as the first line when the article does not repeat it.
    headings = [h for h in _page_headings(raw) if " ".join(h.split()).lower() not in " ".join(text.split()).lower()]
    if headings:
        text = "\n".join(headings) + "\n" + text
    return text, encoding


def _page_headings(raw: str) -> list[str]:
    import lxml.html

    try:
        tree = lxml.html.fromstring(raw)
    except (ValueError, lxml.etree.ParserError):
        return []
    return [" ".join(h.text_content().split()) for h in tree.iter("h1") if h.text_content().strip()][:2]


def read_document(data: bytes, max_bytes: int = MAX_BYTES_DEFAULT, with_metadata: bool = True) -> Document:
    """Bytes → normalised text; `with_metadata=False` when the manifest already holds it (extraction)."""
    if not data:
        raise DocumentError("empty_file", "the file has no bytes")
    if len(data) > max_bytes:
        raise DocumentError("too_large", f"{len(data)} bytes exceeds the limit of {max_bytes}")
    media_type = sniff_media_type(data)
    encoding: str | None = None
    text_source = "text"
    if media_type == "application/pdf":
        text, text_source = _read_pdf(data)
    elif media_type.endswith("wordprocessingml.document"):
        text = _read_docx(data)
    elif media_type.endswith("spreadsheetml.sheet"):
        text = _read_xlsx(data)
    elif media_type == "application/msword":
        text = _read_doc(data)
    elif media_type == "application/vnd.ms-excel":
        text = _read_xls(data)
    elif media_type == "text/html":
        text, encoding = _read_html(data)
    elif media_type == "text/plain":
        text, encoding = decode_text(data)
        sample = text[:20000]
        controls = len(_CONTROL.findall(sample))
        if controls > 0.05 * max(1, len(sample)):
            raise DocumentError("binary_content", f"{controls} control characters in the first {len(sample)}: not text")
    else:
        raise DocumentError("unsupported_format", f"{media_type} is not a supported report format")
    if legacy := legacy_fonts.detect(text):  # a Word file or page typed in a TCVN3 or VNI font
        text, encoding = legacy_fonts.to_unicode(text, legacy), legacy
    text = normalize(text)
    from vnhealth.extraction.layouts import table_spans

    if media_type in ("application/pdf", "text/plain"):
        tables = table_spans(text)  # a table laid out one cell per line is no wrapped prose
    if media_type == "application/pdf":
        text = unwrap_lines(text, keep=tables)  # a PDF's text layer breaks sentences at every visual line
    elif media_type == "text/plain":
        # laid out at a fixed width (a PDF's text saved as .txt), or at least wrapped by hand here and there
        text = unwrap_lines(text, hard_wrapped=looks_hard_wrapped(text), keep=tables)
    else:
        # a Word or web paragraph that opens in lower case continues the one before it
        text = join_lowercase_carry_ons(text, keep=table_spans(text))
    if not text.strip():
        raise DocumentError("empty_text", "the file holds no text")
    return Document(
        text=text,
        media_type=media_type,
        encoding=encoding,
        metadata=read_metadata(text) if with_metadata else {},
        text_source=text_source,
    )


_DOC_NUMBER = re.compile(r"Số\s*:\s*([0-9]+\s*/\s*[A-ZĐ0-9][\w\-/Đ]*)", re.IGNORECASE)
_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_DATE_SLASH = re.compile(r"ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})", re.IGNORECASE)
_LEADING_DATE = re.compile(r"^\s*date\s+(\d{4})-(\d{2})(?:-(\d{2}))?", re.IGNORECASE)
# Most specific first: a report headed `UBND TỈNH X / SỞ Y TẾ` is issued by the department.
_ISSUERS = [
    (re.compile(r"sở y tế", re.IGNORECASE), "Sở Y tế"),
    (re.compile(r"bộ y tế", re.IGNORECASE), "Bộ Y tế"),
    (re.compile(r"ubnd tỉnh|[uủ]ỷ? ban nhân dân tỉnh", re.IGNORECASE), "UBND tỉnh"),
]


def _title(text: str) -> str | None:
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for i, line in enumerate(lines[:40]):
        if re.match(r"^(BÁO CÁO|THÔNG BÁO|KẾ HOẠCH|CÔNG VĂN|QUYẾT ĐỊNH)\b", line):
            follow = lines[i + 1] if i + 1 < len(lines) and len(line) < 20 else ""
            return (line + " " + follow).strip()[:300]
    lead = _LEADING_DATE.sub("", lines[0]).strip() if lines else ""
    return lead[:300] or None


def read_metadata(text: str) -> dict[str, object]:
    """Title, number, issuing body, province, issue date and the period the title names."""
    from vnhealth.extraction.areas import document_area
    from vnhealth.extraction.periods import document_period

    meta: dict[str, object] = {"title": _title(text)}
    head = text[:3000]
    if m := _DOC_NUMBER.search(head):
        meta["document_number"] = re.sub(r"\s+", "", m.group(1))
    issue: date | None = None
    if m := _LEADING_DATE.match(text):
        issue = date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    else:
        for rx in (_DATE_WORDS, _DATE_SLASH):
            if m := rx.search(head):
                try:
                    issue = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                    break
                except ValueError:
                    continue
    meta["issue_date"] = issue.isoformat() if issue else None
    head_lines = "\n".join(head.split("\n")[:12])
    for rx, body in _ISSUERS:
        if rx.search(head_lines):
            meta["issuing_body"] = body
            break
    meta["province"] = document_area(text)
    period = document_period(text)
    meta["period_label"] = period.label if period else None
    meta["period_start"] = period.start.isoformat() if period and period.start else None
    meta["period_end"] = period.end.isoformat() if period and period.end else None
    return meta
