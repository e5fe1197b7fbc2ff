"""Type stub of ``kg/search/_level.c``: one breadth-first level of the reach search, compiled.

Arrays are passed as buffers of the exact item sizes kg/search/expand.py gives them; see the C source.
"""

from typing import Any

SOURCE_SHA256: str

def extend(
    out: tuple[Any, ...],
    more: tuple[Any, ...],
    runs: Any,
    states: Any,
    shift: int,
    edges: tuple[Any, Any, int],
    real_of: Any,
    reverse: bool,
    n_real: int,
    seen: tuple[Any, ...],
    mask: Any,
    pairs: Any,
    persons: tuple[Any, Any, int],
    split: int,
) -> int: ...
def settle(
    out: tuple[Any, ...],
    walks: tuple[Any, Any, Any],
    ok: Any | None,
    covered: tuple[Any, ...],
    parents: Any | None,
    keys: tuple[Any, ...] | None,
    shift: int,
    seen: tuple[Any, ...],
    mask: Any,
    pairs: Any,
    bit: Any,
    n_rows: int,
    progress: Any,
) -> int: ...
def mark(states: Any, shift: int, seen: tuple[Any, ...], bit: Any, n_rows: int) -> int: ...
def next_frontier(
    out: Any,
    chosen: Any,
    states: Any,
    shift: int,
    moves: Any,
    seen: tuple[Any, ...],
    mask: Any,
    pairs: Any,
    narrower: Any,
    split: int,
) -> int: ...
def none(out: Any, np_: Any, acc: Any, seen: tuple[Any, ...], mask: Any, pairs: Any) -> None: ...
def near(
    pos: Any,
    owner: Any,
    state: Any,
    at: Any,
    par: Any,
    ptr: Any,
    step: Any,
    rem: Any,
    left: int,
    want: int,
    signed_rem: bool,
) -> int: ...
def distances(
    dist: Any,
    reached: Any,
    queue: Any,
    ptr: Any,
    step: Any,
    head: int,
    tail: int,
    depth: int,
    limit: int,
    stop_a: int,
    stop_b: int,
) -> tuple[int, int, int]: ...
def rank(
    parts: tuple[tuple[Any, Any], ...], space: int, bits: Any, keys_out: Any, lengths_out: Any, nodes: Any
) -> int: ...
def simple_walks(
    ok: Any,
    walks: tuple[Any, Any, Any],
    simple: Any | None,
    in_tree: Any | None,
    real_of: Any | None,
    at_level: Any | None,
    walked: tuple[Any, ...],
    parents: tuple[Any, ...],
    split: int,
) -> int: ...
