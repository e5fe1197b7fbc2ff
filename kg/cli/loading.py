"""What standard error shows while the graph loads: a bar for large files, else a spinner; on a terminal only.

Files given with ``--extra`` (or to ``validate``) of at least :data:`BAR_BYTES` together get a progress bar
that follows the bytes read (``kg.load(progress=...)``, :mod:`kg.sources.progress`); smaller loads a
spinner. Nothing is drawn when standard error is not a terminal, nor with ``--json`` or ``--quiet``.

>>> import io
>>> from rich.console import Console
>>> with loading(Console(file=io.StringIO()), [], "Loading", show=True) as progress:
...     progress is None
True
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.text import Text

from kg.sources.progress import Progress

__all__ = ["BAR_BYTES", "loading"]

#: Extra files at least this large (all together, in bytes) get a progress bar rather than a spinner.
BAR_BYTES = 8 * 1024 * 1024


@contextmanager
def loading(console: Console, paths: Sequence[str], message: str, *, show: bool) -> Iterator[Progress | None]:
    """A progress callback that draws a bar on ``console`` for large ``paths``; None (and a spinner) otherwise.

    Draws nothing unless ``show`` and ``console`` is a terminal.
    """
    if not show or not console.is_terminal:
        yield None
        return
    size = sum(Path(p).stat().st_size for p in paths if Path(p).is_file())
    if size < BAR_BYTES:
        with console.status(Text(message), spinner="dots"):
            yield None
        return
    from rich.progress import BarColumn, DownloadColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Bar(*columns, console=console, transient=True) as bar:
        task = bar.add_task(message, total=size)

        def progress(done: int, total: int) -> None:
            checking = "Checking every rule…" if done >= total else message
            bar.update(task, completed=done, total=total, description=checking)

        yield progress
