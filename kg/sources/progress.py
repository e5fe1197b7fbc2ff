"""Progress while large files are read: the bytes read so far, as the parser pulls them.

:func:`parse_counted` streams an RDF file through pyoxigraph from a reader that counts what it hands over
(:class:`Counting`), so a caller learns how far a parse has got without the parser's help; it is told at
most once per :data:`EVERY` bytes, and once at the end of the file. :class:`FilesRead` adds the files of
one load up into ``progress(bytes read, bytes in all)``, the callback of ``kg.load(progress=...)``.

>>> import io
>>> seen = []
>>> reader = Counting(io.BytesIO(b"x" * 10), seen.append, every=4)
>>> [len(reader.read(4)), len(reader.read(8)), len(reader.read(8))]
[4, 6, 0]
>>> seen
[4, 10]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["EVERY", "Counting", "FilesRead", "Progress", "parse_counted"]

#: Bytes between two reports of a file being read.
EVERY = 1 << 20
#: What ``kg.load(progress=...)`` calls: bytes read so far, bytes in all (of the extra files).
Progress = Callable[[int, int], None]


class Counting:
    """A binary file that reports the bytes read from it so far (every ``every`` bytes, and at the end)."""

    def __init__(self, raw: BinaryIO, report: Callable[[int], None], every: int = EVERY) -> None:
        self._raw, self._report, self._every = raw, report, every
        self.done = self._told = 0

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (all that is left when negative), counted."""
        data = self._raw.read(size)
        self.done += len(data)
        if self.done - self._told >= self._every or (not data and self.done > self._told):
            self._told = self.done
            self._report(self.done)
        return data


def parse_counted(path: Path, fmt: ox.RdfFormat, report: Callable[[int], None]) -> Iterator[ox.Quad]:
    """The quads of the RDF file ``path``, streamed, with ``report(bytes read)`` called as it is read."""
    import pyoxigraph as ox  # (the parser: imported to read RDF)

    with path.open("rb") as raw:
        yield from ox.parse(cast(BinaryIO, Counting(raw, report)), format=fmt)  # the parser only calls read()


class FilesRead:
    """The bytes read over the files of one load, told to ``progress(done, total)`` as each file is read.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     a, b = Path(tmp, "a.ttl"), Path(tmp, "b.yaml")
    ...     _ = a.write_bytes(b"x" * 30), b.write_bytes(b"y" * 10)
    ...     seen = []
    ...     files = FilesRead([a, b], lambda done, total: seen.append((done, total)))
    ...     files(str(a), 12), files.whole(b), files.finish()
    (None, None, None)
    >>> seen
    [(12, 40), (22, 40), (40, 40)]
    """

    def __init__(self, paths: Sequence[Path], progress: Progress) -> None:
        self._sizes = {str(p): p.stat().st_size for p in paths}
        self.total = sum(self._sizes.values())
        self._done: dict[str, int] = {}
        self._progress = progress

    def __call__(self, name: str, done: int) -> None:
        """``done`` bytes of the file ``name`` are read."""
        self._done[name] = done
        self._progress(sum(self._done.values()), self.total)

    def whole(self, path: Path) -> None:
        """The file ``path`` is read (a curation YAML file, read at once)."""
        self(str(path), self._sizes[str(path)])

    def finish(self) -> None:
        """Every file is read (or a snapshot stood in for them)."""
        self._done = dict(self._sizes)
        self._progress(self.total, self.total)
