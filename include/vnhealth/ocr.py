"""Scanned PDFs read by OCR: Tesseract with its Vietnamese data, pages rendered by poppler's
pdftoppm (Debian's `tesseract-ocr`, `tesseract-ocr-vie`, `poppler-utils`; `make run` and `make test`
install them when run as root). The text is kept with the report, in the archive beside it
(`<archive root>/ocr/<sha256>.txt`), so a report is recognised once, and its figures are marked as
read from OCR (`raw.reports.text_source = 'ocr'`, `dim_report.text_source`)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

MAX_PAGES = 60
PAGE_TIMEOUT_SECONDS = 120


@lru_cache(maxsize=1)
def available() -> bool:
    """Tesseract with Vietnamese, and pdftoppm, are installed."""
    if not (shutil.which("tesseract") and shutil.which("pdftoppm")):
        return False
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    return "vie" in langs.stdout.split()


def _cache_path(data: bytes) -> Path:
    from vnhealth.settings import get_settings

    sha = hashlib.sha256(data).hexdigest()
    return get_settings().archive_root / "ocr" / f"{sha}.txt"


def recognise_pdf(data: bytes) -> str:
    """The text of a PDF's pages as Tesseract reads them (Vietnamese), kept once per content."""
    cached = _cache_path(data)
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="vnhealth-ocr-") as tmp:
        pdf = Path(tmp) / "in.pdf"
        pdf.write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", "300", "-gray", "-png", "-l", str(MAX_PAGES), str(pdf), str(Path(tmp) / "p")],
            check=True,
            capture_output=True,
            timeout=PAGE_TIMEOUT_SECONDS * 2,
        )
        pages = []
        for image in sorted(Path(tmp).glob("p*.png")):
            out = subprocess.run(
                ["tesseract", str(image), "stdout", "-l", "vie", "--psm", "4"],
                check=True,
                capture_output=True,
                text=True,
                timeout=PAGE_TIMEOUT_SECONDS,
            )
            pages.append(out.stdout)
    text = "\n".join(pages)
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp_file = cached.with_suffix(".part")
    tmp_file.write_text(text, encoding="utf-8")
    tmp_file.replace(cached)
    return text
