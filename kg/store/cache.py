"""Where validated graphs and snapshots are cached: one folder per user *and* per install.

``$HORMONE_KG_CACHE`` when set (tests and CI use a fresh one), else the user cache folder platformdirs
names (``~/.cache/hormone-kg`` on Linux) with a sub-folder per install (the package's version and
location), so two checkouts never read each other's cache.

>>> cache_dir().name.startswith(__version__) or "HORMONE_KG_CACHE" in os.environ
True
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

import platformdirs

from kg.version import __version__

__all__ = ["cache_dir", "code_key"]


def cache_dir() -> Path:
    """The cache folder of this user and install (``$HORMONE_KG_CACHE`` overrides it)."""
    configured = os.environ.get("HORMONE_KG_CACHE")
    if configured:
        return Path(configured)
    install = hashlib.sha256(str(Path(__file__).resolve().parents[1]).encode()).hexdigest()[:12]
    return Path(platformdirs.user_cache_dir("hormone-kg")) / f"{__version__}-{install}"


@cache
def code_key() -> str:
    """SHA-256 over this package's Python files (name and bytes), read once per process.

    Part of every cache key (a cached graph is valid only for the code that validated it). Once per process is
    enough: the code a process runs is the code it imported, whatever happens to the files later.
    """
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(__version__.encode())
    for code in sorted(root.rglob("*.py")):
        digest.update(str(code.relative_to(root)).encode() + b"\0")
        digest.update(code.read_bytes())
    return digest.hexdigest()
