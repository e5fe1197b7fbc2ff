"""Type stub of ``kg/search/_level.c``: one breadth-first level of the reach search, compiled.

Arrays are passed as buffers of the exact item sizes kg/search/expand.py gives them; see the C source.
"""

from typing import Any

SOURCE_SHA256: str

def extend(
    out: tuple[Any, ...],
    states: Any,
    shift: int,
    plain: tuple[Any, Any, int],
    personal: tuple[Any, Any, int],
    real_of: Any,
    reverse: bool,
    n_real: int,
    open0: Any,
    cut: Any | None,
    seen: tuple[Any, ...],
    mask: Any,
    pairs: Any,
    persons: tuple[Any, Any, int],
) -> int: ...
def first_per_state(out: Any, np_: Any, acc: Any, ok: Any | None, head: Any, chain: Any) -> int: ...
def mark(states: Any, shift: int, seen: tuple[Any, ...], bit: Any, n_rows: int) -> int: ...
def next_frontier(
    out: Any,
    states: Any,
    shift: int,
    moves: Any,
    count: Any,
    seen: tuple[Any, ...],
    mask: Any,
    pairs: Any,
    narrower: Any,
) -> int: ...
def none(out: Any, np_: Any, acc: Any, seen: tuple[Any, ...], mask: Any, pairs: Any) -> None: ...
