"""What long work shows on a terminal: a progress bar on stderr, nothing when piped or redirected
(the command line's and the benchmarks' one helper)."""

from __future__ import annotations

from collections.abc import Iterable


def progress(items: Iterable, label: str, minimum: int = 2) -> Iterable:
    """`items` with a transient progress bar when stderr is a terminal and there are `minimum` or more."""
    from rich.console import Console
    from rich.progress import track

    items = list(items)
    console = Console(stderr=True)
    return track(
        items,
        description=label,
        total=len(items),
        console=console,
        transient=True,
        disable=not console.is_terminal or len(items) < minimum,
    )
