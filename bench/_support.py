"""What the benchmark scripts share."""

from __future__ import annotations

import socket

from vnhealth.terminal import progress  # noqa: F401  (the benchmarks' progress bar is the CLI's)


def free_port() -> int:
    """A loopback port free now, for a warehouse, broker or API server of the benchmark's own."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
