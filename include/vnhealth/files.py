"""A report file on disk, read and extracted in one call: for the command line and the corpus scorer.

Here, not in `extraction`, so that the extractor never depends on the reader of bytes (`documents`
depends on extraction's layout and metadata rules, never the other way round).
"""

from __future__ import annotations

from pathlib import Path

from vnhealth.documents import read_document
from vnhealth.extraction import Observation, extract_text


def extract_file(path: Path, default_area: str | None = None) -> list[Observation]:
    document = read_document(Path(path).read_bytes(), with_metadata=False)
    return extract_text(document.text, Path(path).name, default_area, normalized=True)
