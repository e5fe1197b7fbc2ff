"""Signed simple paths between two entities: all paths of one length found together, then ranked.

Partial walks of one depth are extended together (numpy), pruned by signed distances to the target so
that only walks that can still arrive, with the requested sign, in the hops left are kept; each level is
then ranked as the oracle ranks paths (shortest first, then best supported), one path per signed node path.
The distances are grown only as deep as the lengths tried need: the ball around the target until the source
is in it, then one level more per length (a path of 3 hops never pays for the graph within 6 of its target).

>>> from kg.model import Evidence, Statement
>>> from kg.search.budget import Budget
>>> from kg.search.view import compile_view
>>> from kg.table import StatementTable
>>> def st(i, s, p, o, sign):
...     return Statement(i, s, p, o, sign, ("src:x",), (Evidence("src:x", "t"),))
>>> table = StatementTable.from_statements([st("a", "A", "increases", "B", 1), st("b", "B", "decreases", "C", -1)])
>>> result = find_paths(compile_view(table, table.causal), None, 0, 2, max_length=3, sign=None, limit=5,
...                     budget=Budget())
>>> [(p.nodes, p.sign) for p in result.paths]
[(('A', 'B', 'C'), -1)]
"""

from __future__ import annotations

import numpy as np

from kg.search.budget import MAX_PATHS, Budget
from kg.search.hops import Person, RawPath, SearchResult
from kg.search.native import level as compiled
from kg.search.persons import ALTS, Persons, persons_of
from kg.search.rank import best_paths
from kg.search.view import View, bound_to
from kg.table import BoolArray, IntArray

__all__ = ["find_paths"]

_SHORT_LEVEL = 200_000  # expansions for finishing the depth-first-first walks once a level is over budget


def find_paths(
    view: View,
    person: Person | None,
    s: int,
    d: int,
    *,
    max_length: int,
    sign: int | None,
    limit: int,
    budget: Budget,
    cut: BoolArray | None = None,
    through: BoolArray | None = None,
    among: int = MAX_PATHS,
    whole: bool = False,
    taking: BoolArray | None = None,
) -> SearchResult:
    """Simple signed paths from node ``s`` to node ``d``: shortest first, then best supported.

    ``sign`` keeps only paths of that net sign; ``cut`` (per real node) marks the nodes a path may enter only
    by its first hop (see :mod:`kg.search.rules`). Stops as ``truncated`` when a level holds :data:`MAX_PATHS`
    paths or the budget runs out (the paths of the levels finished so far are kept). ``through`` (per real node):
    the first ``limit`` paths that enter one of these nodes after their first hop, of the first ``among`` paths
    (the others are counted, not made: :func:`_through`). ``whole``: every path or none, made once the search
    is over: a search that ran out of budget, or found ``limit`` paths, gives no path and says ``truncated``.
    ``taking`` (per hop): of the paths the plain search gives, those that take one of these hops, and (per length)
    as many more of them as the others' places leave (the search stops where the plain one does;
    ``counted`` says how many paths that one found).
    """
    result = SearchResult()
    if s == d:
        return result
    states = [2 * s, 2 * s + 1] if sign is None else [2 * s + (1 if sign < 0 else 0)]
    bound = bound_to(view, d).grow(max_length, until=states)  # the ball around d, until s is in it
    first = int(bound.dist[states].min())
    if first > max_length:
        return result
    persons = persons_of(view, person)
    taken = 0  # the paths found so far (made or, with `through` or `whole`, counted)
    levels: list[IntArray] = []  # with `whole`: each length's walks, made into paths once the search is over
    for length in range(max(1, first), max_length + 1):
        bound.grow(length - 1)  # a walk of `length` hops is pruned by distances of at most length - 1
        remaining = bound.nearest() if sign is None else bound.dist
        enumerated = _enumerate(view, persons, s, d, length, remaining, sign, budget, cut)
        found = enumerated if taking is None else enumerated[taking[enumerated // ALTS].any(axis=1)]
        if whole:
            levels.append(found)
            taken += min(_count(view, found)[1], limit - taken)
        elif through is None:
            result.paths.extend(best_paths(view, found, person, limit - taken))  # one per signed node path
            taken = len(result.paths) if taking is None else taken + min(_count(view, enumerated)[1], limit - taken)
        else:
            made, counted = _through(view, found, person, among - taken, through, limit - len(result.paths))
            result.paths.extend(made)
            taken += counted
        if budget.exhausted or len(enumerated) >= MAX_PATHS:
            result.truncated = True
            break
        if len(result.paths) >= limit or taken >= (among if through is not None else limit):
            break
    if whole and not result.truncated and taken < limit:
        for found in levels:
            result.paths.extend(best_paths(view, found, person, limit - len(result.paths)))
    result.truncated = result.truncated or (whole and taken >= limit)
    result.paths, result.counted = result.paths[:limit], taken
    result.timed_out = budget.timed_out
    return result


def _enumerate(
    view: View,
    persons: Persons,
    s: int,
    d: int,
    length: int,
    rem: IntArray,
    sign: int | None,
    budget: Budget,
    cut: BoolArray | None = None,
) -> IntArray:
    """Every path of exactly ``length`` hops from s to d (with net ``sign`` when given), as steps (a row per path).

    All partial walks of one depth are extended together (numpy); a walk is dropped as soon as it
    repeats a node, breaks the person rule, or cannot reach d (with the sign asked for) in the hops left.
    The result is in the oracle's depth-first order (hop order, then person alternatives), so equally
    ranked paths come out as the oracle gives them. Every extension tried counts against ``budget``.
    """
    n_real, real_of, f_ptr, f_step, f_hop = view.n_real, view.real_of, view.f_ptr, view.step("f"), view.f_hop
    want = 1 if sign is not None and sign < 0 else 0
    x = np.array([s], dtype=np.int64)  # per walk: where it is (expanded node)
    par = np.zeros(1, dtype=np.int64)  # per walk: 1 if its sign so far is negative
    acc = np.zeros(1, dtype=np.int64)  # per walk: the person so far
    on_walk = np.array([[s]], dtype=np.int64)  # per walk: the real nodes it has visited
    order = np.zeros((1, 0), dtype=np.int64)  # per walk: (edge position, alternative) per step
    steps = np.zeros((1, 0), dtype=np.int64)  # per walk: hop * ALTS + alternative per step
    short = False  # whether the budget made this level keep only the walks a depth-first search takes first
    for depth in range(1, length + 1):
        widths = f_ptr[x + 1] - f_ptr[x]
        need = int(widths.sum())
        if not budget.spend(0):  # an opt-in timeout fired
            return np.zeros((0, length), dtype=np.int64)
        if need > budget.left:  # as a depth-first search would: the first walks in depth-first order, then stop
            # a share of what is left (at most _SHORT_LEVEL) for this level and as much for each to come
            allowance = min(max(budget.left, 0), _SHORT_LEVEL) // (length - depth + 1)
            first = np.lexsort(order.T[::-1]) if order.shape[1] else np.arange(len(x))
            fits = int(np.searchsorted(np.cumsum(widths[first]), allowance, side="right"))
            if fits == 0:
                budget.stop()
                return np.zeros((0, length), dtype=np.int64)
            keep = first[:fits]
            x, par, acc, on_walk, order, steps = (
                x[keep],
                par[keep],
                acc[keep],
                on_walk[keep],
                order[keep],
                steps[keep],
            )
            need, short = int(widths[keep].sum()), True
        budget.left -= need
        # first the extensions that can still arrive in the hops left (most cannot; compiled: kg/search/_level_paths.h),
        # as (edge, walk, 2·target + the walk's parity after the hop), then the other rules on those
        pos, owner, state = (np.empty(need, dtype=np.int64) for _ in range(3))
        kept = compiled.near(pos, owner, state, x, par, f_ptr, f_step, rem, length - depth, want, sign is not None)
        pos, owner, state = pos[:kept], owner[:kept], state[:kept]
        h, v, p = f_hop[pos], state >> 1, state & 1
        transit = v >= n_real
        real = real_of[v]
        fine = transit | ~(on_walk[owner] == real[:, None]).any(axis=1)
        if cut is not None and depth > 1:  # a node the start blocks is entered only by the first hop
            fine &= ~cut[real]
        arrive = real == d
        keep = np.flatnonzero(fine & (~arrive if depth < length else arrive & ~transit))
        pos, owner, h, v, p, real = pos[keep], owner[keep], h[keep], v[keep], p[keep], real[keep]
        transit = transit[keep]
        pick, k, nxt_acc = persons.expand(h, acc[owner])
        if pick is not None:
            budget.left -= len(pick) - len(h)  # person alternatives are walks too
            pos, owner, h, v, p, real = pos[pick], owner[pick], h[pick], v[pick], p[pick], real[pick]
            transit = transit[pick]
        x, par, acc = v, p, nxt_acc
        on_walk = np.hstack([on_walk[owner], np.where(transit, -1, real)[:, None]])
        order = np.hstack([order[owner], (pos * ALTS + k)[:, None]])
        steps = np.hstack([steps[owner], (h * ALTS + k)[:, None]])
        if not len(x):
            return np.zeros((0, length), dtype=np.int64)
    if short:
        budget.stop()
    rank = np.lexsort(order.T[::-1]) if order.shape[1] else np.arange(len(order))
    return steps[rank[:MAX_PATHS]]


def _through(
    view: View, walks: IntArray, person: Person | None, room: int, through: BoolArray, limit: int
) -> tuple[list[RawPath], int]:
    """Of the best ``room`` paths of ``walks``, the first ``limit`` through a ``through`` node; and how many there were.

    Through: entering one after the first hop. The count is of every path in the best ``room``, through or not.
    When ``room`` holds every path (signed node path) the walks make, the paths through are ranked among themselves
    (a path's walks are all through or none, and their order among themselves is their order among all): the other
    walks are never made into paths.
    """
    if not len(walks) or room <= 0:
        return [], 0
    nodes, paths = _count(view, walks)
    if paths <= room:
        return best_paths(view, walks[through[nodes[:, 2:]].any(axis=1)], person, limit), paths
    index = view.table.node_index
    made = best_paths(view, walks, person, room)
    return [p for p in made if any(through[index[n]] for n in p.nodes[2:])][:limit], room


def _count(view: View, walks: IntArray) -> tuple[IntArray, int]:
    """The walks' nodes (real, a row per walk) and how many paths (signed node paths) they make."""
    hops = walks // ALTS
    nodes = np.column_stack([view.hop_src[hops[:, 0]], view.hop_dst[hops]])
    if not len(walks) or not ((walks % ALTS).any() or view.twin_hop[hops].any()):
        return nodes, len(walks)  # (walks differ: when no two take one hop or two hops of one step, their paths do)
    rows = np.ascontiguousarray(np.column_stack([nodes, view.hop_sign[hops]]))
    # each row as one bytes object, counted in a set (np.unique(axis=0) sorts: ten times slower on small levels)
    return nodes, len(set(rows.view(np.dtype((np.void, rows.itemsize * rows.shape[1]))).ravel().tolist()))
