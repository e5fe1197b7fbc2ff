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
from kg.questions.effect import CUT_SEARCHED, EXPLAIN_WORK, compensation, loop_signs
from kg.questions.paths import causal_paths, to_path
from kg.questions.results import CausalPath, Effect, Reach, combine_signs
from kg.questions.scope import MAX_LENGTH, check_bounds, scope_of
from kg.search import REACH_WORK, RawPath, Reached
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

    scope = scope_of(g, ctx)
    loop: list[Callable[[str], set[int]] | None] = []  # what drives the entity (its own loop), made when needed

    def make(node: str, raws: Sequence[RawPath], truncated: bool) -> Effect:
        paths = tuple(to_path(g, r) for r in sorted(raws, key=RawPath.rank))
        feedback: tuple[CausalPath, ...] = ()
        if not reverse and {p.sign for p in paths} == {1, -1}:
            if not loop:
                loop.append(loop_signs(g, entity, scope, reverse=True, work=EXPLAIN_WORK, timeout=timeout))
            feedback = _compensating(g, entity, node, ctx, paths, loop[0], max_length)
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
            loop_nodes=tuple(dict.fromkeys(n for p in feedback if loop[0] and (n := compensation(p, loop[0])))),
        )

    found = g.index.reach(entity, scope, max_length=max_length, reverse=reverse, work=work, timeout=timeout)
    if found is None:
        return Reach([], lambda entity: None, lambda node: make(node, (), False))
    return _lazy(g, found, make)


def _compensating(
    g: Store,
    entity: str,
    node: str,
    ctx: Context,
    paths: Sequence[CausalPath],
    drives: Callable[[str], set[int]] | None,
    max_length: int,
) -> tuple[CausalPath, ...]:
    """The paths of one sign when all are the entity's own compensation and the other sign has a path that is not.

    They are set apart, as ``effect`` does (issue 14, rule 6; :func:`~kg.questions.effect.compensation`).
    """
    if drives is None:
        return ()
    loops = [p for p in paths if compensation(p, drives) is not None]
    signs = {p.sign for p in loops}
    if len(signs) != 1 or any(p.sign in signs for p in paths if p not in loops):
        return ()
    (sign,) = signs
    every = causal_paths(g, entity, node, ctx, sign=sign, limit=CUT_SEARCHED, max_length=max_length, work=EXPLAIN_WORK)
    if every.truncated or len(every) >= CUT_SEARCHED or any(compensation(p, drives) is None for p in every):
        return ()  # a path of that sign outside the loop (or not known): genuinely opposing
    return tuple(loops)


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
