"""``downstream`` / ``upstream``: everything a change reaches, or everything that reaches a target.

The answer is a :class:`~kg.questions.results.Reach` over the engine's arrays: nearest entity first, then
by CURIE; an entity's :class:`~kg.questions.results.Effect` (with the shortest supporting path per sign)
is made when it is looked up.

>>> import kg
>>> g = kg.load()
>>> reach(g, "CHEBI:16469", g.context(None), change="decrease")["GO:0045453"].predicted  # bone resorption
'increase'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import overload

import numpy as np

from kg.context import Context
from kg.errors import QueryError
from kg.questions.effect import EXPLAIN_WORK, compensation, loop_signs, set_apart
from kg.questions.paths import to_path
from kg.questions.results import CausalPath, Effect, Reach, combine_signs
from kg.questions.scope import MAX_LENGTH, check_bounds, scope_of
from kg.search import REACH_WORK, RawPath, Reached
from kg.search.rules import without_own_mediators
from kg.store.store import Store
from kg.table import IntArray

__all__ = ["reach"]


def reach(
    g: Store,
    entity: str,
    ctx: Context,
    *,
    change: str = "decrease",
    reverse: bool = False,
    max_length: int = MAX_LENGTH,
    work: int = REACH_WORK,
    timeout: float | None = None,
) -> Reach:
    """Downstream of ``entity`` changing as ``change`` (or, ``reverse``, upstream of it when raised)."""
    check_bounds(max_length)
    if change not in ("increase", "decrease"):
        raise QueryError(f"change must be 'increase' or 'decrease', not {change!r}")
    flip = 1 if change == "increase" else -1

    scope = scope_of(g, ctx if reverse else ctx.about(entity))
    loop: list[Callable[[str], set[int]] | None] = []  # what drives the entity (its own loop), made when needed

    def valid(node: str, raw: RawPath) -> list[RawPath]:
        """``raw``; or, when it chains a summary through its own mediators (rule 5), the best path of its sign.

        The breadth-first search keeps one path per entity and sign, and cannot tell.
        """
        kept = without_own_mediators(raw)
        if kept is not None:
            return [kept]
        src, dst = (node, entity) if reverse else (entity, node)
        again = g.index.paths(src, dst, scope, max_length=max_length, sign=raw.sign, limit=1,
                              work=EXPLAIN_WORK, timeout=timeout, fixed=not reverse)  # fmt: skip
        return list(again.paths)

    def make(node: str, raws: Sequence[RawPath], truncated: bool) -> Effect:
        raws = [p for raw in raws for p in valid(node, raw)]
        paths = tuple(to_path(g, r) for r in sorted(raws, key=RawPath.rank))
        feedback: tuple[CausalPath, ...] = ()
        loop_nodes: tuple[str, ...] = ()
        if not reverse and {p.sign for p in paths} == {1, -1}:  # compensation through the entity's own loop
            if not loop:
                loop.append(loop_signs(g, entity, scope, reverse=True, work=EXPLAIN_WORK, timeout=timeout))
            drives = loop[0]
            if drives is not None:
                feedback, loop_nodes = set_apart(
                    g, entity, node, ctx, paths, lambda p: compensation(p, drives),
                    max_length=max_length, work=EXPLAIN_WORK,
                )  # fmt: skip
        kept = tuple(p for p in paths if p not in feedback)
        return Effect(
            source=node if reverse else entity,
            target=entity if reverse else node,
            context=ctx.label,
            predicted=combine_signs(p.sign * flip for p in kept),
            observed=None,
            paths=kept,
            truncated=truncated,
            change=change,
            feedback=feedback,
            loop_nodes=loop_nodes,
        )

    found = g.index.reach(entity, scope, max_length=max_length, reverse=reverse, work=work, timeout=timeout)
    if found is None:
        return Reach([], lambda entity: None, lambda node: make(node, (), False))
    return _lazy(g, found, make)


def _lazy(g: Store, found: Reached, make: Callable[[str, Sequence[RawPath], bool], Effect]) -> Reach:
    """A :class:`Reach` over the search's arrays: node ids turn into CURIEs only when read."""
    table = g.table
    order = found.node_order()
    index = table.node_index
    made: list[IntArray] = []

    def where(entity: str) -> int | None:
        if not made:  # each node's place in the answer, made on the first look-up
            position = np.full(len(table.nodes), -1, dtype=np.int64)
            position[order] = np.arange(len(order), dtype=np.int64)
            made.append(position)
        i = index.get(entity)
        return None if i is None or made[0][i] < 0 else int(made[0][i])

    def effect_of(entity: str) -> Effect:
        states = found.states_of(index[entity])
        return make(entity, [found.path(i) for i in states], found.truncated)

    return Reach(_Labels(table.nodes, order), where, effect_of, truncated=found.truncated, timed_out=found.timed_out)


class _Labels(Sequence[str]):
    """``nodes[order[i]]``, made one at a time."""

    def __init__(self, nodes: Sequence[str], order: IntArray) -> None:
        self._nodes, self._order = nodes, order

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        if isinstance(i, slice):
            return [self._nodes[int(j)] for j in self._order[i]]
        return self._nodes[int(self._order[i])]

    def __iter__(self) -> Iterator[str]:
        nodes = self._nodes
        for j in self._order:
            yield nodes[int(j)]
