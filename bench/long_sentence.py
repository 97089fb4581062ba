"""Extraction time of one ever longer sentence (clauses joined by `;`, no full stop): a text layer that
lost its sentence ends must not make extraction quadratic. Prints seconds per size and the growth of
time against the growth of size. Run: `python bench/long_sentence.py`."""

from __future__ import annotations

import time

from vnhealth.extraction import extract_text

CLAUSE = "Tỷ lệ bao phủ BHYT đạt 93,5%, sốt xuất huyết 1.234 ca, tay chân miệng 45 ca; "


def main() -> None:
    previous = None
    for clauses in (200, 800, 3200):
        text = "BÁO CÁO KẾT QUẢ CÔNG TÁC Y TẾ NĂM 2024 tỉnh Nghệ An\n" + CLAUSE * clauses
        started = time.perf_counter()
        extract_text(text, "long.txt")
        seconds = time.perf_counter() - started
        growth = f", x{seconds / previous[1]:.1f} time for x{len(text) / previous[0]:.1f} size" if previous else ""
        print(f"{len(text):>8} characters, {clauses * 3} numbers: {seconds:.2f} s{growth}")
        previous = (len(text), seconds)


if __name__ == "__main__":
    main()
