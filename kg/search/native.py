"""The compiled part of the engine (``kg/search/_level.c``), imported once and checked against its sources.

``level`` is the extension module ``kg.search._level``, built when the package is installed (``hatch_build.py``).
It records the SHA-256 of the sources it was built from; a checkout whose ``_level.c`` or ``_level_*.h`` has
changed since is refused with :class:`~kg.errors.BuildError` (stale code would answer silently otherwise).

>>> from kg.search.native import level
>>> len(level.SOURCE_SHA256)
64
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kg.errors import BuildError

try:
    from kg.search import _level as level
except ImportError as err:  # pragma: no cover - an install without its compiled part
    raise BuildError(
        "kg.search._level (kg/search/_level.c) is not compiled: reinstall hormone-kg (`pip install -e .`, or `bash "
        ".ci/setup` in a checkout) with a C compiler and Python's headers"
    ) from err

__all__ = ["SPLIT", "SPLIT_LIGHT", "check_build", "level"]

#: from this many states on, extend (which reads each state's edges) reads a level in two halves at once, on two
#: threads (the same answer, in the same order, as one thread gives)
SPLIT = 4096
#: the same for the passes that read little per item (simple_walks, next_frontier): below this, one thread was faster
#: (docs/benchmarks.md, fourteenth session)
SPLIT_LIGHT = 65536


def check_build() -> None:
    """Refuse a compiled level built from other sources (a checkout edited after installing).

    The digest is hatch_build.py's: SHA-256 over ``_level.c`` and the ``_level_*.h`` it includes, in name order.
    """
    folder = Path(__file__).parent
    sources = sorted([*folder.glob("_level.c"), *folder.glob("_level_*.h")])
    if not sources:  # an install that ships only the compiled module
        return
    digest = hashlib.sha256()
    for path in sources:
        digest.update(path.read_bytes())
    if digest.hexdigest() != level.SOURCE_SHA256:
        raise BuildError(
            f"{folder / '_level.c'} (or a header) changed since kg.search._level was compiled: "
            "run `pip install -e .` again"
        )


check_build()
