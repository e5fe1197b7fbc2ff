"""``feedback_loops``: the signed cycles of a context, negative feedback first.

>>> import kg
>>> g = kg.load()
>>> any(loop.kind == "negative" for loop in feedback_loops(g, g.resolve("LH").id, g.context(None)))
True
"""

from __future__ import annotations

from kg.context import Context
from kg.questions.paths import to_path
from kg.questions.results import FeedbackLoop, LoopList
from kg.questions.scope import LOOP_LENGTH, check_bounds, scope_of
from kg.search import DEFAULT_WORK
from kg.search.rules import without_own_mediators
from kg.store.store import Store

__all__ = ["feedback_loops"]


def feedback_loops(
    g: Store,
    entity: str | None,
    ctx: Context,
    *,
    max_length: int = LOOP_LENGTH,
    work: int = DEFAULT_WORK,
    timeout: float | None = None,
) -> LoopList:
    """Signed cycles in ``ctx`` (only those through ``entity``, a resolved CURIE, when given).

    A cycle that chains a summary through its own mediators is no loop (issue 14, rule 5): it counts one
    mechanism twice ("clomiphene increases testosterone" via LH, back through LH).
    """
    check_bounds(max_length)
    found = g.index.cycles(scope_of(g, ctx), max_length=max_length, work=work, timeout=timeout)
    cycles = [r for r in map(without_own_mediators, found.paths) if r is not None]
    loops = [FeedbackLoop(to_path(g, r)) for r in cycles if entity is None or entity in r.nodes]
    ordered = sorted(loops, key=lambda loop: (loop.sign, loop.path.length, loop.nodes))
    return LoopList(ordered, truncated=found.truncated, timed_out=found.timed_out)
