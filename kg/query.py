"""Questions on a :class:`~kg.graph.KnowledgeGraph`: paths, effects, downstream/upstream, loops, tables.

Signs come from the statements (their predicate's polarity in the ontology); contexts decide which
statements and findings apply; every search is bounded (``max_length``, ``limit``, a time budget) and
reports when it stopped early.

>>> import kg
>>> g = kg.load()
>>> g.effect("anastrozole", "17β-estradiol", context="postmenopausal women").predicted
'decrease'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, overload

from kg.context import Context, ContextLike, expand_qualifiers
from kg.engine import RawPath
from kg.errors import QueryError
from kg.model import Finding, Statement
from kg.results import (
    CausalPath,
    Effect,
    FeedbackLoop,
    LoopList,
    PathList,
    Reach,
    combine_signs,
    magnitude_of,
    sources_of,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

    from kg.compiled import Reached
    from kg.graph import KnowledgeGraph

__all__ = ["causal_paths", "compare", "downstream", "effect", "feedback_loops", "upstream"]

MAX_LENGTH_LIMIT = 12
#: Paths an :func:`effect` keeps (plus the best path of a sign missing from them).
EFFECT_PATH_LIMIT = 20


def _check_bounds(max_length: int, limit: int | None = None) -> None:
    if not isinstance(max_length, int) or isinstance(max_length, bool) or not 1 <= max_length <= MAX_LENGTH_LIMIT:
        raise QueryError(f"max_length must be a whole number from 1 to {MAX_LENGTH_LIMIT}, not {max_length!r}")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise QueryError(f"limit must be a positive whole number, not {limit!r}")


#: qualifiers that describe the person and so must agree along a path (tissue, regimen... may change)
PERSON_KEYS = ("sex", "menopausal_status", "age_group", "species")


def _person(g: KnowledgeGraph) -> Callable[[Statement], Mapping[str, str]]:
    """A statement's person-level qualifiers (population expanded), cached per graph."""
    cache: dict[str, Mapping[str, str]] = g.__dict__.setdefault("_person_cache", {})
    populations = g.populations

    def person(st: Statement) -> Mapping[str, str]:
        hit = cache.get(st.id)
        if hit is None:
            expanded = expand_qualifiers(st.context, populations) if st.context else {}
            hit = cache[st.id] = {k: v for k, v in expanded.items() if k in PERSON_KEYS}
        return hit

    return person


def _admits(g: KnowledgeGraph, ctx: Context) -> tuple[Callable[[Statement], bool], object]:
    populations = g.populations
    cache: dict[str, bool] = {}

    def admits(st: Statement) -> bool:
        hit = cache.get(st.id)
        if hit is None:
            hit = cache[st.id] = ctx.admits(st.context, populations)
        return hit

    return admits, tuple(sorted(ctx.qualifiers.items()))


def _to_path(g: KnowledgeGraph, raw: RawPath) -> CausalPath:
    return CausalPath(
        nodes=raw.nodes,
        statements=tuple(h.statements[0] for h in raw.hops),
        support=tuple(h.statements for h in raw.hops),
        graph=g,
    )


def causal_paths(
    g: KnowledgeGraph,
    src: str,
    dst: str,
    *,
    max_length: int = 6,
    context: ContextLike = None,
    sign: int | None = None,
    limit: int = 50,
) -> PathList:
    """Signed simple paths from ``src`` to ``dst``: shortest first, then best supported.

    ``sign=-1`` keeps only paths with a net decrease. The result is a list with ``.truncated`` set when the
    search hit its time or size budget.

    >>> import kg
    >>> paths = kg.load().causal_paths("testosterone", "E2", max_length=2, context="postmenopausal women")
    >>> [p.compact() for p in paths]
    ['testosterone → aromatase → 17β-estradiol']
    """
    if limit is None:
        raise QueryError("limit must be a positive whole number, not None")
    _check_bounds(max_length, limit)
    if sign not in (None, 1, -1):
        raise QueryError(f"sign must be +1, -1 or None, not {sign!r}")
    source, target = g.resolve(src), g.resolve(dst)
    ctx = g.context(context)
    admits, key = _admits(g, ctx)
    result = g.index.paths(
        source.id, target.id, admits, max_length=max_length, sign=sign, limit=limit, key=key, person=_person(g)
    )
    return PathList((_to_path(g, p) for p in result.paths), truncated=result.truncated)


def _observed(findings: Sequence[Finding], kind: str = "measured") -> str | None:
    """The direction the on-treatment findings of ``kind`` agree on (None without any)."""
    measured = [f for f in findings if f.kind == kind and f.phase == "on-treatment"]
    if not measured:
        return None
    directions = {f.direction for f in measured if f.direction != "none"}
    if not directions:
        return "none"
    return combine_signs(1 if d == "increase" else -1 for d in directions)


def effect(g: KnowledgeGraph, src: str, dst: str, *, context: ContextLike = None, max_length: int = 6) -> Effect:
    """The effect of raising ``src`` on ``dst`` in ``context``.

    ``predicted`` comes from the signs of the causal paths (``mixed`` when paths of both signs exist within
    ``max_length``); ``paths`` holds the best :data:`EFFECT_PATH_LIMIT` paths and, when one sign is missing
    from those, the best path with that sign. ``observed`` comes from measured clinical findings of ``src``
    on ``dst`` or a narrower measure in that context, and ``direction`` is the observed one when known.

    >>> import kg
    >>> e = kg.load().effect("anastrozole", "bone mineral density", context="postmenopausal women")
    >>> e.direction, any(f.value == -6.08 for f in e.findings)
    ('decrease', True)
    """
    _check_bounds(max_length)
    source, target = g.resolve(src), g.resolve(dst)
    ctx = g.context(context)
    paths = causal_paths(g, source.id, target.id, max_length=max_length, context=context, limit=EFFECT_PATH_LIMIT)
    truncated = paths.truncated
    complete = len(paths) < EFFECT_PATH_LIMIT and not truncated  # every path up to max_length is already here
    for sign in (1, -1):  # the best path of a sign missing from the best paths: mixed effects are not cut off
        if not complete and all(p.sign != sign for p in paths):
            more = causal_paths(g, source.id, target.id, max_length=max_length, context=context, sign=sign, limit=1)
            paths.extend(more)
            truncated = truncated or more.truncated
    findings = tuple(g.findings_for(source.id, target.id, context))
    own = [f.magnitude for f in findings if f.measure == target.id]
    magnitude = magnitude_of(own) or magnitude_of(f.magnitude for f in findings)
    if magnitude is None:
        magnitude = magnitude_of(st.magnitude for p in paths for st in p.statements if st.context)
    return Effect(
        source=source.id,
        target=target.id,
        context=ctx.label,
        predicted=combine_signs(p.sign for p in paths),
        observed=_observed(findings),  # type: ignore[arg-type]
        reported=_observed(findings, "reported"),  # type: ignore[arg-type]
        paths=tuple(paths),
        findings=findings,
        magnitude=magnitude,
        truncated=truncated,
    )


def _reach(
    g: KnowledgeGraph, start: str, *, reverse: bool, change: str, context: ContextLike, max_length: int
) -> Reach:
    _check_bounds(max_length)
    if change not in ("increase", "decrease"):
        raise QueryError(f"change must be 'increase' or 'decrease', not {change!r}")
    entity = g.resolve(start)
    ctx = g.context(context)
    admits, key = _admits(g, ctx)
    flip = 1 if change == "increase" else -1

    def make(node: str, raws: Sequence[RawPath], truncated: bool) -> Effect:
        paths = tuple(_to_path(g, r) for r in sorted(raws, key=RawPath.rank))
        return Effect(
            source=node if reverse else entity.id,
            target=entity.id if reverse else node,
            context=ctx.label,
            predicted=combine_signs(p.sign * flip for p in paths),
            observed=None,
            paths=paths,
            truncated=truncated,
            change=change,
        )

    search = getattr(g.index, "reached", None)
    if search is not None:  # the compiled index: arrays, each Effect made when looked up
        found = search(entity.id, admits, max_length=max_length, reverse=reverse, key=key, person=_person(g))
        if found is None:
            return Reach([], lambda entity: None, lambda node: make(node, (), False))
        return _lazy_reach(g, found, make)
    best, truncated = g.index.reach(
        entity.id, admits, max_length=max_length, reverse=reverse, key=key, person=_person(g)
    )
    by_node: dict[str, list[RawPath]] = {}
    for (node, _sign), raw in best.items():
        if node != entity.id:
            by_node.setdefault(node, []).append(raw)
    ids = sorted(by_node, key=lambda n: (min(len(p.hops) for p in by_node[n]), n))
    at = {n: i for i, n in enumerate(ids)}
    return Reach(ids, at.get, lambda node: make(node, by_node[node], truncated), truncated=truncated)


def _lazy_reach(g: KnowledgeGraph, found: Reached, make: Callable[[str, Sequence[RawPath], bool], Effect]) -> Reach:
    """A :class:`Reach` over the compiled search's arrays: node ids turn into CURIEs only when read."""
    import numpy as np

    table = g.index.table
    order = found.node_order()
    position = np.full(len(table.nodes), -1, dtype=np.int64)
    position[order] = np.arange(len(order), dtype=np.int64)
    index = table.node_index

    def where(entity: str) -> int | None:
        i = index.get(entity)
        return None if i is None or position[i] < 0 else int(position[i])

    def effect_of(entity: str) -> Effect:
        states = found.states_of(index[entity])
        return make(entity, [found.path(i) for i in states], found.truncated)

    return Reach(_Labels(table.nodes, order), where, effect_of, truncated=found.truncated)


class _Labels(Sequence[str]):
    """``nodes[order[i]]``, made one at a time."""

    def __init__(self, nodes: Sequence[str], order: npt.NDArray[np.int64]) -> None:
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


def downstream(
    g: KnowledgeGraph, src: str, *, change: str = "decrease", context: ContextLike = None, max_length: int = 6
) -> Reach:
    """Every entity reachable from ``src``, with the direction it moves when ``src`` changes as ``change``.

    Each :class:`Effect` holds the shortest supporting path per sign; entities reached with both signs
    are ``mixed``.

    >>> import kg
    >>> down = kg.load().downstream("estradiol", change="decrease")
    >>> down["GO:0045453"].predicted  # bone resorption
    'increase'
    """
    return _reach(g, src, reverse=False, change=change, context=context, max_length=max_length)


def upstream(g: KnowledgeGraph, dst: str, *, context: ContextLike = None, max_length: int = 6) -> Reach:
    """Every entity with a causal path into ``dst``, with the direction in which raising it moves ``dst``.

    >>> import kg
    >>> kg.load().upstream("17β-estradiol", context="postmenopausal women")["CHEBI:2704"].predicted
    'decrease'
    """
    return _reach(g, dst, reverse=True, change="increase", context=context, max_length=max_length)


def feedback_loops(
    g: KnowledgeGraph, entity: str | None = None, *, context: ContextLike = None, max_length: int = 8
) -> LoopList:
    """Signed cycles, negative feedback first; only those through ``entity`` when one is given.

    >>> import kg
    >>> loops = kg.load().feedback_loops("LH")
    >>> any(loop.kind == "negative" for loop in loops)
    True
    """
    _check_bounds(max_length)
    wanted = g.resolve(entity).id if entity is not None else None
    ctx = g.context(context)
    admits, key = _admits(g, ctx)
    raws, truncated = g.index.cycles(admits, max_length=max_length, key=key, person=_person(g))
    loops = [FeedbackLoop(_to_path(g, r)) for r in raws if wanted is None or wanted in r.nodes]
    return LoopList(sorted(loops, key=lambda loop: (loop.sign, loop.path.length, loop.nodes)), truncated=truncated)


def compare(g: KnowledgeGraph, src: str, dst: str, contexts: Sequence[ContextLike]) -> pd.DataFrame:
    """One row per context: predicted, observed and overall direction, magnitude, findings, sources.

    >>> import kg
    >>> table = kg.load().compare("anastrozole", "bone resorption",
    ...                           ["postmenopausal women", "men on testosterone therapy"])
    >>> list(table["magnitude"])
    ['strong', 'moderate']
    """
    import pandas as pd

    if isinstance(contexts, str | dict) or not contexts:
        raise QueryError("contexts must be a non-empty list of contexts")
    rows = []
    for context in contexts:
        e = effect(g, src, dst, context=context)
        rows.append(
            {
                "context": e.context,
                "predicted": e.predicted,
                "observed": e.observed,
                "reported": e.reported,
                "direction": e.direction,
                "magnitude": e.magnitude,
                "paths": len(e.paths),
                "findings": [f"{g.label(f.measure)}: {f.summary()}" for f in e.findings],
                "evidence": [ev.text for f in e.findings for ev in f.evidence],
                "sources": list(sources_of([*e.findings, *(st for p in e.paths[:5] for st in p.statements)])),
            }
        )
    return pd.DataFrame(rows)
