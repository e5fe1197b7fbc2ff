"""Where validated graphs and snapshots are cached: one folder per user *and* per install.

``$HORMONE_KG_CACHE`` when set (tests and CI use a fresh one), else the user cache folder platformdirs
names (``~/.cache/hormone-kg`` on Linux) with a sub-folder per install (the package's version and
location), so two checkouts never read each other's cache.

:func:`file_digests` remembers the SHA-256 of an input file there, by its stat (as git's index does): a file
whose size, modification time (ns), inode and device are those recorded is not read again. A digest is only
recorded for a file last modified :data:`SETTLED_NS` before it was read (a write in the same instant could
leave the stat unchanged: git's "racy" rule) and unchanged while it was read.

>>> cache_dir().name.startswith(__version__) or "HORMONE_KG_CACHE" in os.environ
True
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import platformdirs

from kg.version import __version__

__all__ = ["SETTLED_NS", "cache_dir", "code_key", "file_digests", "remember_digests"]

#: how long before it is read a file must have last changed for its digest to be remembered by its stat
SETTLED_NS = 2_000_000_000
_MEMO_ENTRIES = 1000  # digests remembered (the oldest recorded are forgotten first)


def cache_dir() -> Path:
    """The cache folder of this user and install (``$HORMONE_KG_CACHE`` overrides it)."""
    configured = os.environ.get("HORMONE_KG_CACHE")
    if configured:
        return Path(configured)
    install = hashlib.sha256(str(Path(__file__).resolve().parents[1]).encode()).hexdigest()[:12]
    return Path(platformdirs.user_cache_dir("hormone-kg")) / f"{__version__}-{install}"


@cache
def code_key() -> str:
    """SHA-256 over this package's Python files (each one's name and SHA-256, :func:`file_digests`), once per process.

    Part of every cache key (a cached graph is valid only for the code that validated it). Once per process is
    enough: the code a process runs is the code it imported, whatever happens to the files later.
    """
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(__version__.encode())
    found = [Path(folder, name).relative_to(root).as_posix() for folder, _, names in os.walk(root) for name in names]
    names = sorted(n for n in found if n.endswith(".py"))
    for name, file in zip(names, file_digests([root / name for name in names]), strict=True):
        digest.update(name.encode() + b"\0" + file.encode())
    return digest.hexdigest()


def file_digests(paths: Sequence[Path]) -> list[str]:
    """The SHA-256 (hex) of each file's bytes; remembered by the file's stat (see the module's docstring).

    A cache folder that cannot be read or written only costs the reading.
    """
    folder = cache_dir()
    with _lock:  # (loads in several threads share the memo)
        return _digests(folder, paths)


def _digests(folder: Path, paths: Sequence[Path]) -> list[str]:
    memo = _memo(folder)
    out, recorded = [], {}
    for path in paths:
        before = path.stat()
        stamp, name = _stamp(before), _name(path)
        hit = memo.get(name)
        if isinstance(hit, list) and hit[:4] == stamp:
            out.append(str(hit[4]))
            continue
        with path.open("rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
        out.append(digest)
        if time.time_ns() - before.st_mtime_ns > SETTLED_NS and stamp == _stamp(path.stat()):
            recorded[name] = [*stamp, digest]
    if recorded:
        _record(folder, memo, recorded)
    return out


def remember_digests(digests: Mapping[Path, str]) -> None:
    """Remember the SHA-256 of files this process has just written whole (and never writes in place again).

    Recorded by each file's stat now, without the wait :data:`SETTLED_NS` asks of a file someone else may be
    writing: a snapshot's files are written in a fresh temporary folder, then renamed into place.
    """
    folder = cache_dir()
    with _lock:
        _record(folder, _memo(folder), {_name(p): [*_stamp(p.stat()), digest] for p, digest in digests.items()})


def _stamp(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_dev]


def _name(path: Path) -> str:
    return os.path.abspath(path)  # noqa: PTH100 - the stamp's inode and device name the file: no link resolved


def _memo(folder: Path) -> dict[str, Any]:
    memo = _memos.get(folder)
    if memo is None:
        memo = _memos[folder] = _read(folder)
    return memo


def _record(folder: Path, memo: dict[str, Any], entries: Mapping[str, list[Any]]) -> None:
    """``entries`` into ``memo`` (each as the newest), the oldest forgotten beyond :data:`_MEMO_ENTRIES`; saved."""
    for name, entry in entries.items():
        memo.pop(name, None)
        memo[name] = entry
    while len(memo) > _MEMO_ENTRIES:
        memo.pop(next(iter(memo)))
    _write(folder, memo)


_memos: dict[Path, dict[str, Any]] = {}  # per cache folder, read once per process
_lock = threading.Lock()


def _read(folder: Path) -> dict[str, Any]:
    try:
        loaded = json.loads((folder / "digests.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _write(folder: Path, memo: dict[str, Any]) -> None:
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".tmp", encoding="utf-8") as f:
            tmp = Path(f.name)
            json.dump(memo, f)
        tmp.replace(folder / "digests.json")  # whole or not at all; the last writer wins
    except OSError:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
