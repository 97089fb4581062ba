"""What the benchmark scripts share."""

from __future__ import annotations

import socket
import time

from vnhealth.terminal import progress  # noqa: F401  (the benchmarks' progress bar is the CLI's)


def free_port() -> int:
    """A loopback port free now, for a warehouse, broker or API server of the benchmark's own."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def observations_as_copy(conn) -> bytes:
    """raw.observations in COPY's text format, for the floors of loading."""
    out = bytearray()
    with conn.cursor().copy("copy raw.observations to stdout") as copy:
        for block in copy:
            out += block
    return bytes(out)


def copy_seconds(conn, chunks: list[bytes], foreign_key: bool, columns: list[str] | None = None,
                 analyze: bool = False) -> float:  # fmt: skip
    """The floor of loading: seconds to COPY `chunks`, one transaction each, into a new logged table
    like raw.observations (its keys and indexes; a temp table would skip the WAL), with or without
    its foreign key to raw.extractions, which loading's COPY checks row by row."""
    conn.execute("create table raw.bench_copy_floor (like raw.observations including all)")
    if foreign_key:
        conn.execute(
            "alter table raw.bench_copy_floor add foreign key (report_id, extractor_version) "
            "references raw.extractions (report_id, extractor_version)"
        )
    conn.commit()
    into = f"raw.bench_copy_floor ({', '.join(columns)})" if columns else "raw.bench_copy_floor"
    started = time.perf_counter()
    for chunk in chunks:
        with conn.cursor().copy(f"copy {into} from stdin") as copy:
            copy.write(chunk)
        if analyze:
            conn.execute("analyze raw.bench_copy_floor")
        conn.commit()
    elapsed = round(time.perf_counter() - started, 2)
    conn.execute("drop table raw.bench_copy_floor")
    conn.commit()
    return elapsed
