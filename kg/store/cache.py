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
from pathlib import Path

import platformdirs

from kg.version import __version__

__all__ = ["cache_dir"]


def cache_dir() -> Path:
    """The cache folder of this user and install (``$HORMONE_KG_CACHE`` overrides it)."""
    configured = os.environ.get("HORMONE_KG_CACHE")
    if configured:
        return Path(configured)
    install = hashlib.sha256(str(Path(__file__).resolve().parents[1]).encode()).hexdigest()[:12]
    return Path(platformdirs.user_cache_dir("hormone-kg")) / f"{__version__}-{install}"
