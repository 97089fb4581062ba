"""What the benchmark scripts share."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A loopback port free now, for a warehouse, broker or API server of the benchmark's own."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
