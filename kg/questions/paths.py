"""``causal_paths``: signed simple paths between two resolved entities in a parsed context.

>>> import kg
>>> g = kg.load()
>>> paths = causal_paths(g, "CHEBI:17347", "CHEBI:16469", g.context("postmenopausal women"), max_length=2)
>>> [p.compact() for p in paths]
['testosterone → aromatase → 17β-estradiol']
"""

from __future__ import annotations

from kg.context import Context
from kg.errors import QueryError
from kg.questions.results import CausalPath, PathList
from kg.questions.scope import LIMIT, MAX_LENGTH, check_bounds, scope_of
from kg.search import DEFAULT_WORK, RawPath
from kg.store.store import Store

__all__ = ["causal_paths", "to_path"]


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
    """Signed simple paths ``source`` -> ``target``: shortest first, then best supported.

    ``sign=-1`` keeps only paths with a net decrease. ``.truncated`` says the search hit its work budget
    (or ``.timed_out``, the opt-in ``timeout``).
    """
    check_bounds(max_length, limit)
    if sign not in (None, 1, -1):
        raise QueryError(f"sign must be +1, -1 or None, not {sign!r}")
    result = g.index.paths(
        source, target, scope_of(g, ctx), max_length=max_length, sign=sign, limit=limit, work=work, timeout=timeout
    )
    return PathList((to_path(g, p) for p in result.paths), truncated=result.truncated, timed_out=result.timed_out)
