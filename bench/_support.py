"""What the benchmark scripts share."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A loopback port free now, for a warehouse, broker or API server of the benchmark's own."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def progress(items, label: str):
    """A progress bar on a terminal (stderr) for a benchmark's long loops; nothing when piped, so a
    logged run holds only the results. Never wraps a timed loop itself."""
    from rich.console import Console
    from rich.progress import track

    items = list(items)
    console = Console(stderr=True)
    return track(items, description=label, console=console, transient=True, disable=not console.is_terminal)
