"""What one page of the interactive view shows: the statements and entities, and what stands out.

:func:`select_view` keeps the statements admitted in the context, cuts them to the neighbourhood of a focus
entity (at most ``max_nodes`` entities, nearest first) and adds the highlighted causal paths, which are
shown even when they leave that neighbourhood. A large graph with a statement table is cut on its columns
(:func:`_table_neighbourhood`), so that only the statements shown are made.

>>> import kg
>>> view = select_view(kg.load(), "aromatase", 1, None, None)
>>> view.focus in view.nodes, view.nodes == sorted(view.nodes)
(True, True)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.context import Context, ContextLike
from kg.errors import QueryError
from kg.questions.results import CausalPath

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.model import Statement

__all__ = ["HighlightLike", "View", "select_view"]

HighlightLike = CausalPath | tuple[str, str] | Iterable[CausalPath | tuple[str, str]] | None


@dataclass
class View:
    """What one page shows: statements (sorted), node CURIEs (sorted), and what is highlighted.

    ``paths`` are the highlighted paths in the answer's own order (the first is drawn selected); ``pair`` is
    the (source, target) CURIEs they answer, when they all answer one question (the page's findings go there).
    """

    statements: list[Statement]
    nodes: list[str]
    context: Context
    focus: str | None = None
    radius: int = 2
    paths: list[CausalPath] = field(default_factory=list)
    hl_nodes: set[str] = field(default_factory=set)
    hl_edges: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    pair: tuple[str, str] | None = None


def _paths(g: KnowledgeGraph, highlight: HighlightLike, context: ContextLike, notes: list[str]) -> list[CausalPath]:
    if highlight is None:
        return []
    if isinstance(highlight, CausalPath):
        items: list[Any] = [highlight]
    elif isinstance(highlight, tuple) and len(highlight) == 2 and all(isinstance(x, str) for x in highlight):
        items = [highlight]
    elif isinstance(highlight, Iterable) and not isinstance(highlight, str):
        items = list(highlight)
    else:
        raise QueryError(f"highlight= takes CausalPath objects or a (source, target) pair, not {highlight!r}")
    out: list[CausalPath] = []
    for item in items:
        if isinstance(item, CausalPath):
            out.append(item)
        elif isinstance(item, tuple) and len(item) == 2 and all(isinstance(x, str) for x in item):
            found = g.causal_paths(item[0], item[1], context=context)  # the whole answer, in its own order
            if not found:
                src, dst = g.resolve(item[0]), g.resolve(item[1])
                where = g.context(context).label
                notes.append(f"No causal path from {src.label} to {dst.label} ({where}).")
            out.extend(found)
        else:
            raise QueryError(f"highlight= takes CausalPath objects or (source, target) pairs, not {item!r}")
    return out


def select_view(
    g: KnowledgeGraph,
    focus: str | None,
    radius: int,
    highlight: HighlightLike,
    context: ContextLike,
    max_nodes: int | None = None,
) -> View:
    """The statements and entities one page shows (see :func:`kg.viz.write_html` for the options)."""
    if isinstance(radius, bool) or not isinstance(radius, int) or radius < 0:
        raise QueryError(f"radius must be a whole number >= 0, not {radius!r}")
    if max_nodes is not None and (isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1):
        raise QueryError(f"max_nodes must be a whole number >= 1 or None, not {max_nodes!r}")
    if max_nodes is not None and focus is None:
        raise QueryError("max_nodes keeps the entities nearest the focus: give focus= as well")
    ctx = g.context(context)
    notes: list[str] = []
    paths = _paths(g, highlight, context, notes)
    focus_id = None
    table = getattr(g, "table", None)
    if focus is not None:
        focus_id = g.resolve(focus).id
    if focus_id is not None and table is not None:  # a large graph: select on its columns, make few statements
        kept = _table_neighbourhood(g, table, ctx, focus_id, radius, max_nodes)
    else:
        kept = [st for _, st in sorted(g.statements.items()) if ctx.admits(st.context, g.populations)]
        if focus_id is not None:
            ball = _neighbourhood(kept, focus_id, radius, max_nodes)
            kept = [st for st in kept if st.subject in ball and st.object in ball]
    by_id = {st.id: st for st in kept}
    hl_nodes: set[str] = set()
    hl_edges: set[str] = set()
    for path in paths:  # requested paths are shown even when they leave the focus neighbourhood
        hl_nodes.update(path.nodes)
        for st in path.statements:
            hl_edges.add(st.id)
            by_id.setdefault(st.id, st)
    pair = None
    if highlight is not None and isinstance(highlight, tuple) and not paths:
        hl_nodes.update(g.resolve(x).id for x in highlight if isinstance(x, str))
    if paths and len({(p.nodes[0], p.nodes[-1]) for p in paths}) == 1:
        pair = (paths[0].nodes[0], paths[0].nodes[-1])
    if isinstance(highlight, tuple) and len(highlight) == 2:
        src, dst = highlight
        if isinstance(src, str) and isinstance(dst, str):  # the question asked, even when it has no path
            pair = (g.resolve(src).id, g.resolve(dst).id)
    statements = [by_id[k] for k in sorted(by_id)]
    names = {n for st in statements for n in (st.subject, st.object)} | hl_nodes
    if focus_id is not None:
        names.add(focus_id)
    return View(statements, sorted(names), ctx, focus_id, radius, paths, hl_nodes, hl_edges, notes, pair)


def _neighbourhood(statements: Sequence[Statement], start: str, radius: int, max_nodes: int | None = None) -> set[str]:
    """Entities within ``radius`` undirected steps of ``start`` over ``statements``: the nearest ``max_nodes``.

    A ring that does not fit whole is cut in CURIE order, so the same graph gives the same selection.
    """
    adjacent: dict[str, set[str]] = {}
    for st in statements:
        adjacent.setdefault(st.subject, set()).add(st.object)
        adjacent.setdefault(st.object, set()).add(st.subject)
    seen, frontier = {start}, {start}
    cap = max_nodes if max_nodes is not None else math.inf
    for _ in range(radius):
        frontier = {m for n in frontier for m in adjacent.get(n, ())} - seen
        if not frontier or len(seen) >= cap:
            break
        if len(seen) + len(frontier) > cap:
            frontier = set(sorted(frontier)[: int(cap) - len(seen)])
        seen |= frontier
    return seen


def _table_neighbourhood(
    g: KnowledgeGraph, table: Any, ctx: Context, start: str, radius: int, max_nodes: int | None
) -> list[Statement]:
    """:func:`_neighbourhood` on a :class:`~kg.table.StatementTable`: the same selection, in numpy.

    Only the statements between the selected entities are made (a large graph's statements are made on
    demand); the context is checked once per distinct qualifier set.
    """
    import numpy as np

    n = len(table.nodes)
    codes = np.asarray(table.context)
    first = np.full(len(table.contexts), -1, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(table) - 1, -1, -1, dtype=np.int64)
    admitted = np.array(
        [bool(r >= 0 and ctx.admits(table.contexts[c], g.populations)) for c, r in enumerate(first.tolist())],
        dtype=np.bool_,
    )
    rows = np.flatnonzero(admitted[codes]) if len(codes) else np.zeros(0, dtype=np.int64)
    subj, obj = np.asarray(table.subject)[rows], np.asarray(table.object)[rows]
    ends = np.concatenate([subj, obj])
    other = np.concatenate([obj, subj])
    order = np.argsort(ends, kind="stable")
    ptr = np.searchsorted(ends[order], np.arange(n + 1))
    neighbours = other[order]
    inside = np.zeros(n, dtype=np.bool_)
    s = table.node_index.get(start)
    if s is None:  # an entity no statement mentions
        return []
    inside[s] = True
    frontier = np.array([s], dtype=np.int64)
    count, cap = 1, max_nodes if max_nodes is not None else n
    for _ in range(radius):
        if count >= cap:
            break
        lo, hi = ptr[frontier], ptr[frontier + 1]
        reached = np.concatenate([neighbours[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True)])
        frontier = np.unique(reached[~inside[reached]])  # node ids are in CURIE order: cut like _neighbourhood
        if not len(frontier):
            break
        frontier = frontier[: cap - count]
        inside[frontier] = True
        count += len(frontier)
    both = rows[inside[subj] & inside[obj]]
    return [table.statement(int(r)) for r in both.tolist()]
