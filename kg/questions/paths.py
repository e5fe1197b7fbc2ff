"""``causal_paths``: signed simple paths between two resolved entities in a parsed context.

>>> import kg
>>> g = kg.load()
>>> paths = causal_paths(g, "CHEBI:17347", "CHEBI:16469", g.context("postmenopausal women"), max_length=2)
>>> [p.compact() for p in paths]
['testosterone → aromatase → 17β-estradiol']
"""

from __future__ import annotations

from collections.abc import Callable

from kg.context import Context
from kg.errors import QueryError
from kg.questions.results import CausalPath, PathList
from kg.questions.scope import LIMIT, MAX_LENGTH, check_bounds, scope_of
from kg.search import DEFAULT_WORK, RawPath
from kg.store.store import Store

__all__ = ["causal_paths", "source_paths", "to_path"]


def to_path(g: Store, raw: RawPath) -> CausalPath:
    """An engine path as a :class:`CausalPath` (first statement of each step shown, all kept as support)."""
    return CausalPath(
        nodes=raw.nodes,
        statements=tuple(h.statements[0] for h in raw.hops),
        support=tuple(h.statements for h in raw.hops),
        graph=g,
    )


def causal_paths(
    g: Store,
    source: str,
    target: str,
    ctx: Context,
    *,
    max_length: int = MAX_LENGTH,
    sign: int | None = None,
    limit: int = LIMIT,
    work: int = DEFAULT_WORK,
    timeout: float | None = None,
) -> PathList:
    """Signed simple paths ``source`` -> ``target``: mechanism first, then shortest, then best supported.

    ``sign=-1`` keeps only paths with a net decrease. ``.truncated`` says the search hit its work budget
    (or ``.timed_out``, the opt-in ``timeout``). A drug class answers for its members (issue 14, rule 7): their
    paths join the class's own, each starting at its member, ranked together.
    """

    def paths(start: str, of: Callable[..., PathList]) -> PathList:
        return of(g, start, target, ctx, max_length=max_length, sign=sign, limit=limit, work=work, timeout=timeout)

    own = paths(source, source_paths)
    members = [paths(m, causal_paths) for m in g.members(source)]
    if not any(members):
        return own
    every = sorted([*own, *(p for m in members for p in m)], key=lambda p: (not p.mechanism, p.length))
    return PathList(
        every[:limit],
        truncated=own.truncated or any(m.truncated for m in members),
        timed_out=own.timed_out or any(m.timed_out for m in members),
    )


def source_paths(
    g: Store,
    source: str,
    target: str,
    ctx: Context,
    *,
    max_length: int = MAX_LENGTH,
    sign: int | None = None,
    limit: int = LIMIT,
    work: int = DEFAULT_WORK,
    timeout: float | None = None,
    whole: bool = False,
) -> PathList:
    """:func:`causal_paths` from ``source`` itself (a class without its members).

    ``whole``: every path, or none and ``truncated`` (:meth:`kg.search.SearchIndex.paths`).
    """
    check_bounds(max_length, limit)
    if sign not in (None, 1, -1):
        raise QueryError(f"sign must be +1, -1 or None, not {sign!r}")
    ctx = ctx.about(source)
    result = g.index.paths(
        source, target, scope_of(g, ctx), max_length=max_length, sign=sign, limit=limit, work=work, timeout=timeout,
        whole=whole,
    )  # fmt: skip
    return PathList((to_path(g, p) for p in result.paths), truncated=result.truncated, timed_out=result.timed_out)
