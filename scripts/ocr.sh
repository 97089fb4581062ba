# Sourced by run.sh and test.sh: OCR for scanned PDFs (Tesseract with Vietnamese, poppler's pdftoppm).
# Installed from Debian when run as root and missing; otherwise one line says OCR is off.
ensure_ocr() {
  if command -v tesseract >/dev/null && command -v pdftoppm >/dev/null \
     && tesseract --list-langs 2>/dev/null | grep -qx vie; then
    return 0
  fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-vie poppler-utils \
         >/dev/null 2>&1; then
      echo "OCR: installed tesseract-ocr, tesseract-ocr-vie and poppler-utils"
      return 0
    fi
  fi
  echo "OCR is off (install Debian's tesseract-ocr, tesseract-ocr-vie and poppler-utils to read scanned PDFs;" \
       "until then they are recorded as pdf_without_text_layer)"
}
