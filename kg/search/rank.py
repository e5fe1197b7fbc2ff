"""Which walks become paths: the best ``limit`` of one length, one per signed node path, by :meth:`RawPath.rank`.

A path search finds its walks as integer steps (``hop * ALTS + person alternative``); making a walk a path means
making each of its hops (statements and person alternatives: :func:`kg.search.persons.raw_path`), which is most
of a first question's cost. So the walks are first ranked on a **bound** that needs no hop made: per hop, an upper
bound of the support of any of its statements (their supports summed, a little over) and whether every one of
them was imported. A person alternative keeps some of a hop's statements, so its support is at most the bound and
it is imported if the whole hop is: each walk's rank is at least its bound's rank. The walks are made into paths
only where their bound could put them among the first ``limit``: those before the ``limit``-th signed node path in
the bound's order, then every walk whose bound is at most the exact rank that path has among them (the walks
after it in the exact order keep their order, so the first ``limit`` are those of all the walks).

>>> from kg.model import Evidence, Statement
>>> from kg.search.view import compile_view
>>> from kg.table import StatementTable
>>> def st(i, s, o, src):
...     return Statement(i, s, "increases", o, 1, (src,), (Evidence(src, "t"),))
>>> table = StatementTable.from_statements([st("a", "A", "B", "src:curator"), st("b", "B", "C", "PMID:1"),
...                                         st("c", "A", "D", "PMID:2"), st("d", "D", "C", "PMID:3")])
>>> view = compile_view(table, table.causal)
>>> hop = {(view.hop(h).source, view.hop(h).target): h * ALTS for h in range(len(view.hop_src))}
>>> walks = np.array([[hop["A", "B"], hop["B", "C"]], [hop["A", "D"], hop["D", "C"]]])
>>> [p.nodes for p in best_paths(view, walks, None, 5)]  # the walk with curator inference in it ranks last
[('A', 'D', 'C'), ('A', 'B', 'C')]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from kg.model import IMPORT_PREFIX
from kg.search.hops import Hop, Person, RawPath
from kg.search.persons import ALTS, Acc, raw_path, step
from kg.search.view import View
from kg.table import IntArray

__all__ = ["ARRAYS_FROM", "best_paths", "hop_bounds"]

#: from this many walks on, :func:`best_paths` ranks them on arrays (fewer are made into paths and sorted)
ARRAYS_FROM = 64
_OVER = 1e-9  # how much the support bound of a hop of several statements is raised (see hop_bounds)

FloatArray = npt.NDArray[np.float64]
Keys = list[npt.NDArray[Any]]  # a rank as columns: tier, -weakest support, -total support, node ranks


def best_paths(view: View, walks: IntArray, person: Person | None, limit: int) -> list[RawPath]:
    """The first ``limit`` forward walks by :meth:`RawPath.rank`, one per signed node path, as raw paths.

    The same as ``sorted((raw_path(view, w, person) for w in walks), key=RawPath.rank)`` keeping the first path
    of each signed node path, then the first ``limit``; but from :data:`ARRAYS_FROM` walks on only the walks the
    bound (see the module) cannot rule out are made, and they are ranked on arrays: each distinct (person so far,
    step) of a column becomes its hop once, and the rank's terms are summed per row in the order
    :meth:`RawPath.rank` sums them, so equal ranks stay equal. ``walks`` holds one walk per row, all of one length.
    """
    n, length = walks.shape
    if n == 0 or length == 0 or limit <= 0:
        return []
    if n < ARRAYS_FROM:  # the definition
        return [raw for _, raw in _firsts_made(view, walks, person)[:limit]]
    hops = walks // ALTS
    nodes = _node_ranks(view, hops)
    signs = view.hop_sign[hops]
    support, imported = hop_bounds(view)
    bound = _keys(support[hops], imported[hops], nodes)
    order = np.lexsort(bound[::-1])
    firsts = _firsts(nodes, signs, order)
    rows = np.arange(n)
    if len(firsts) > limit:  # only the walks whose bound could rank them among the first `limit`
        before = np.sort(order[: firsts[limit - 1] + 1])  # (in the walks' order: equal ranks keep it)
        if len(before) < ARRAYS_FROM:
            i, raw = _firsts_made(view, walks[before], person)[limit - 1]
            _, tier, weakest, total, _ = raw.rank()
            key = (tier, weakest, total, *nodes[before[i]].tolist())
        else:
            key = _Ranked(view, walks[before], person, nodes[before], signs[before]).key(limit - 1)
        rows = np.union1d(before, np.flatnonzero(_at_most(bound, key)))
    if len(rows) < ARRAYS_FROM:
        return [raw for _, raw in _firsts_made(view, walks[rows], person)[:limit]]
    return _Ranked(view, walks[rows], person, nodes[rows], signs[rows]).paths(limit)


def _firsts_made(view: View, walks: IntArray, person: Person | None) -> list[tuple[int, RawPath]]:
    """The walks made into paths, sorted by :meth:`RawPath.rank` (stable), the first of each signed node path kept.

    Each comes with its row in ``walks``.
    """
    made = sorted(((i, raw_path(view, w, person)) for i, w in enumerate(walks.tolist())), key=lambda x: x[1].rank())
    kept: dict[tuple[tuple[str, ...], tuple[int, ...]], tuple[int, RawPath]] = {}
    for i, raw in made:
        kept.setdefault((raw.nodes, tuple(h.sign for h in raw.hops)), (i, raw))
    return list(kept.values())


def hop_bounds(view: View) -> tuple[FloatArray, IntArray]:
    """Per hop of ``view``: an upper bound of the support of any of its statements, and 1 if all were imported.

    Made once per view. A hop of one statement: its support, summed as :attr:`Hop.support` sums it (source by
    source, in the statement's order; a source listed twice counts twice: at least the support). A hop of several
    (a person alternative may keep some, in another order): their supports summed, raised by a billionth (more than
    any difference the order of the additions makes).
    """
    if not view.rank_bounds:
        t, rows, ptr = view.table, view.hop_rows, view.hop_ptr
        per_row = t.support[rows]  # (added one after another, as Hop.support adds them)
        support = np.add.reduceat(per_row, ptr[:-1]) * (1 + _OVER) if len(rows) else np.zeros(0)  # (no hop is empty)
        single = np.flatnonzero(np.diff(ptr) == 1)
        support[single] = per_row[ptr[single]]
        origin = np.array([s.startswith(IMPORT_PREFIX) for s in t.sources] or [False], dtype=np.int64)
        by_row = np.concatenate(([0], np.cumsum(origin[t.source_idx])))
        row_imported = (by_row[t.source_ptr[1:]] - by_row[t.source_ptr[:-1]] > 0).astype(np.int64)[rows]
        fewer = np.concatenate(([0], np.cumsum(1 - row_imported)))  # statements not imported, per hop
        imported = (fewer[ptr[1:]] - fewer[ptr[:-1]] == 0).astype(np.int64)
        view.rank_bounds = [support, imported]
    return view.rank_bounds[0], view.rank_bounds[1]


def _node_ranks(view: View, hops: IntArray) -> IntArray:
    """Per walk, its nodes (the first hop's source, then each hop's target) as ranks of their CURIEs."""
    ids = np.column_stack([view.hop_src[hops[:, 0]], view.hop_dst[hops]])
    distinct, inverse = np.unique(ids, return_inverse=True)
    names = view.table.nodes
    by_name = sorted(range(len(distinct)), key=lambda i: names[int(distinct[i])])
    rank = np.empty(len(distinct), dtype=np.int64)
    rank[by_name] = np.arange(len(distinct))
    return rank[inverse.reshape(ids.shape)]


def _keys(support: FloatArray, imported: IntArray, nodes: IntArray) -> Keys:
    """:meth:`RawPath.rank` as columns (its length aside: one for all), the total summed in hop order."""
    total = support[:, 0].copy()
    for j in range(1, support.shape[1]):  # in hop order, as RawPath.rank adds them
        total += support[:, j]
    return [imported.sum(axis=1), -support.min(axis=1), -total, *nodes.T]


def _firsts(nodes: IntArray, signs: IntArray, order: IntArray) -> IntArray:
    """The positions in ``order`` of the first walk of each signed node path, ascending."""
    _, first = np.unique(np.column_stack([nodes, signs])[order], axis=0, return_index=True)
    return np.sort(first)


def _at_most(keys: Keys, key: tuple[float, ...]) -> npt.NDArray[np.bool_]:
    """Which rows of ``keys`` (columns) rank at most ``key``, lexicographically."""
    below = np.zeros(len(keys[0]), dtype=np.bool_)
    equal = np.ones(len(keys[0]), dtype=np.bool_)
    for column, value in zip(keys, key, strict=True):
        below |= equal & (column < value)
        equal &= column == value
    return below | equal


class _Ranked:
    """Walks made into hops and ranked exactly (:meth:`RawPath.rank`), in a stable order."""

    def __init__(self, view: View, walks: IntArray, person: Person | None, nodes: IntArray, signs: IntArray) -> None:
        n, length = walks.shape
        self.made: list[Hop] = []  # the hops the walks take, each once
        at: dict[int, int] = {}  # id of a hop in made -> its position
        accs: list[Acc] = [()]
        acc_at: dict[Acc, int] = {(): 0}
        state = np.zeros(n, dtype=np.int64)  # per walk: the person so far (a position in accs)
        self.taken = np.empty((n, length), dtype=np.int64)  # per walk and step: the hop (a position in made)
        span = int(walks.max()) + 1
        for j in range(length):
            distinct_pairs, inverse = np.unique(state * span + walks[:, j], return_inverse=True)
            hop_of = np.empty(len(distinct_pairs), dtype=np.int64)
            after = np.empty(len(distinct_pairs), dtype=np.int64)
            for i, pair in enumerate(distinct_pairs.tolist()):
                before, code = divmod(pair, span)
                hop, acc = step(view, code, accs[before], person, False)
                if id(hop) not in at:
                    at[id(hop)] = len(self.made)
                    self.made.append(hop)
                hop_of[i], after[i] = at[id(hop)], acc_at.setdefault(acc, len(acc_at))
                if after[i] == len(accs):
                    accs.append(acc)
            self.taken[:, j] = hop_of[inverse.reshape(-1)]
            state = after[inverse.reshape(-1)]
        support = np.array([h.support for h in self.made], dtype=np.float64)[self.taken]
        imported = np.array([h.imported for h in self.made], dtype=np.int64)[self.taken]
        self.keys = _keys(support, imported, nodes)
        self.order = np.lexsort(self.keys[::-1])
        self.firsts = _firsts(nodes, signs, self.order)

    def key(self, i: int) -> tuple[float, ...]:
        """The rank of the ``i``-th signed node path's first walk."""
        row = int(self.order[self.firsts[i]])
        return tuple(column[row].item() for column in self.keys)

    def paths(self, limit: int) -> list[RawPath]:
        """The first walk of each of the first ``limit`` signed node paths, as raw paths."""
        return [RawPath(tuple(self.made[i] for i in self.taken[w])) for w in self.order[self.firsts[:limit]].tolist()]
