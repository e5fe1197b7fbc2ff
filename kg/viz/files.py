"""Writing one file of the view (a page, a plot) atomically: all of it, or nothing and an ExportError.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as tmp:
...     out = write_atomically(pathlib.Path(tmp) / "plot.svg", b"<svg/>")
...     out.read_bytes(), oct(out.stat().st_mode & 0o777)
(b'<svg/>', '0o644')
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kg.errors import ExportError

__all__ = ["write_atomically"]


def write_atomically(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` through a temporary file beside it, readable by all (a file to share).

    Raises :class:`~kg.errors.ExportError` when the folder is missing or the write fails; nothing is left
    behind then, and an existing ``target`` is unchanged.
    """
    if not target.parent.is_dir():
        raise ExportError(f"cannot write {target}: folder {target.parent} does not exist")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        Path(tmp_name).chmod(0o644)
        Path(tmp_name).replace(target)
    except OSError as err:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)
        raise ExportError(f"cannot write {target}: {err}") from err
    return target
