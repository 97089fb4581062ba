# Sourced by run.sh and test.sh: the Debian programs some report formats need. Installed when run
# as root and missing; otherwise one line says which formats stay unread and how they are recorded.
_apt_install() {
  [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null || return 1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 && return 0
  # a fresh machine may have no package lists yet
  apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

# OCR for scanned PDFs: Tesseract with Vietnamese, pages rendered by poppler's pdftoppm.
ensure_ocr() {
  if command -v tesseract >/dev/null && command -v pdftoppm >/dev/null \
     && tesseract --list-langs 2>/dev/null | grep -qx vie; then
    return 0
  fi
  if _apt_install tesseract-ocr tesseract-ocr-vie poppler-utils; then
    echo "OCR: installed tesseract-ocr, tesseract-ocr-vie and poppler-utils"
    return 0
  fi
  echo "OCR is off (install Debian's tesseract-ocr, tesseract-ocr-vie and poppler-utils to read scanned PDFs;" \
       "until then they are recorded as pdf_without_text_layer)"
}

# Word 97-2003 files: antiword (keeps tables as rows), catdoc for the very short ones antiword refuses.
ensure_doc_readers() {
  if command -v antiword >/dev/null && command -v catdoc >/dev/null; then
    return 0
  fi
  if _apt_install antiword catdoc; then
    echo ".doc files: installed antiword and catdoc"
    return 0
  fi
  echo ".doc files are off (install Debian's antiword and catdoc to read them;" \
       "until then they are recorded as doc_reader_missing)"
}

ensure_readers() {
  ensure_ocr
  ensure_doc_readers
}
