"""Staged, atomic, all-or-nothing writes: the :class:`Output` every export writer writes through.

Each file is written to a temporary file beside its target; :meth:`Output.commit` moves them all into place
(``os.replace``) once every writer has succeeded, :meth:`Output.discard` removes them otherwise. A name that
would leave the export folder (through ``..`` or a symbolic link) is refused with
:class:`~kg.errors.ExportError`.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     out = Output(tmp)
...     with out.text("notes/a.txt") as fh:
...         _ = fh.write("hello")
...     [p.name for p in out.commit()]
['a.txt']
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import IO, Any

from kg.errors import ExportError

__all__ = ["Output"]


@cache
def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


class Output:
    """The files of one export, staged as temporary files beside their targets and committed together.

    A writer asks for a file by its name relative to the export folder (``"kgx/nodes.tsv"``) through
    :meth:`binary`, :meth:`text` or :meth:`staged`; nothing replaces an existing file before :meth:`commit`.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self.root = self.directory.resolve(strict=True)
        except OSError as err:
            raise ExportError(f"cannot use {self.directory} as the export folder: {err}") from err
        if not self.root.is_dir():
            raise ExportError(f"the export folder {self.directory} is not a directory")
        self._staged: list[tuple[Path, Path]] = []
        self._memo: dict[str, Any] = {}

    def target(self, name: str) -> Path:
        """The final path of ``name``; raises ExportError if it would leave the export folder."""
        resolved = (self.root / name).resolve()
        if not resolved.is_relative_to(self.root) or resolved == self.root:
            raise ExportError(f"refusing to write {name!r}: it resolves to {resolved}, outside {self.root}")
        if resolved.is_dir():
            raise ExportError(f"refusing to write {name!r}: {resolved} is a directory")
        return resolved

    @contextmanager
    def staged(self, name: str) -> Iterator[Path]:
        """A temporary path beside ``name``'s target, for writers that write a file themselves."""
        target = self.target(name)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=f".tmp{target.suffix}")
            os.close(fd)
        except OSError as err:
            raise ExportError(f"cannot write into {target.parent}: {err}") from err
        tmp = Path(tmp_name)
        try:
            yield tmp
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        self._staged.append((tmp, target))

    @contextmanager
    def binary(self, name: str) -> Iterator[IO[bytes]]:
        """A binary file handle for ``name`` (staged)."""
        with self.staged(name) as tmp, tmp.open("wb") as fh:
            yield fh

    @contextmanager
    def text(self, name: str, *, encoding: str = "utf-8") -> Iterator[IO[str]]:
        """A text handle for ``name`` (staged; no newline translation: writers choose their line ends)."""
        with self.staged(name) as tmp, tmp.open("w", encoding=encoding, newline="") as fh:
            yield fh

    def memo(self, key: str, make: Callable[[], Any]) -> Any:
        """A value shared by the writers of one export (e.g. the RDF copy), made once."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def commit(self) -> list[Path]:
        """Move every staged file into place; the targets, in the order they were written."""
        done = []
        for tmp, target in self._staged:
            try:
                mode = target.stat().st_mode & 0o7777 if target.exists() else _file_mode()
                tmp.chmod(mode)
                tmp.replace(target)
            except OSError as err:
                self.discard()
                raise ExportError(f"cannot move the new {target.name} into place: {err}") from err
            done.append(target)
        self._staged.clear()
        return done

    def discard(self) -> None:
        """Remove every staged temporary file (the targets are untouched)."""
        for tmp, _ in self._staged:
            tmp.unlink(missing_ok=True)
        self._staged.clear()
