"""Progress bars for management commands that report progress as callbacks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def progress_bar(
    *, label: str, stream, verbosity: int = 1, unit: str = "it"
) -> Iterator[Callable[..., None]]:
    """A ``progress(done, total, *details)`` callback drawing a bar on ``stream``;
    drawn only on a terminal (not into CI logs) and never at verbosity 0."""
    bar = tqdm(
        desc=f"{label:>14}",
        unit=unit,
        disable=True if verbosity == 0 else None,
        file=stream,
        ncols=80,
    )

    def progress(done: int, total: int, *details) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield progress
    finally:
        bar.close()
