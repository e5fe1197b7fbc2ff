"""One breadth-first level of the reach search, as flat integer arrays: its edges, its seen states.

A state of the reach search (:mod:`kg.search.reach`) is ``(2·node + parity) << shift | person`` (person: an
accumulation of :class:`~kg.search.persons.Persons`; ``2**shift`` at least their number). :class:`Walk`
holds the graph a walk moves on, per (edge, parity) and split into the hops about anyone and the others, so
a level gathers its next states without per-level conversions; :class:`Seen` answers "seen, or seen with a
broader person" per candidate; :func:`extend` makes one level's fresh walks, in the order
:meth:`Persons.expand <kg.search.persons.Persons.expand>` gives them.

>>> from kg.model import Evidence, Statement
>>> from kg.search.persons import persons_of
>>> from kg.search.view import compile_view
>>> from kg.table import StatementTable
>>> def st(i, s, p, o, sign):
...     return Statement(i, s, p, o, sign, ("src:x",), (Evidence("src:x", "t"),))
>>> table = StatementTable.from_statements([st("a", "A", "increases", "B", 1), st("b", "A", "decreases", "C", -1)])
>>> view = compile_view(table, table.causal)
>>> persons = persons_of(view, None)
>>> walk = walk_of(view, False, persons)
>>> seen = Seen(view.n_expanded, persons)
>>> start = np.array([0], dtype=np.intp)  # node A (id 0), parity 0, no person
>>> owner, code, np_, acc = extend(walk, walk.plain, start, start, np.ones(6, dtype=np.bool_), seen, persons)
>>> [(table.nodes[n >> 1], "-" if n & 1 else "+") for n in np_.tolist()]
[('B', '+'), ('C', '-')]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from kg.search.persons import ALTS, Persons
from kg.search.view import View, csr_ptr
from kg.table import IntArray

__all__ = ["Edges", "Seen", "Walk", "extend", "first_per_state", "walk_of"]

Int32Array = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]

PACKED = 64  # up to this many accumulations, those seen at one (node, parity) are the bits of one word
ROUNDS = 4  # rounds of one scatter that pick the first candidate per state before sorting picks the rest
NONE, SEVERAL = -1, -2  # beyond: a (node, parity) seen with no person, or with several (else: the one)
ROWS = 1024  # rows a Seen starts with (doubled when more (node, parity) pairs have several persons)


class Seen:
    """Per (node, parity): the persons (accumulations) a breadth-first search has seen there.

    A state is ``np << shift | acc`` (np = 2·node + parity; ``2**shift`` >= the number of accumulations).
    With up to 64 accumulations the persons seen at one (node, parity) are the bits of one machine word,
    so "seen, or seen with a broader person" is one gather and one mask per candidate; beyond, a row of
    ``2**shift / 64`` words per (node, parity) (a graph with many tissues and kinds of person has hundreds of
    accumulations: a row of flags would gather hundreds of bytes per candidate). Most (node, parity) pairs are
    seen with one person only, so beyond 64 each keeps that one person (a small integer) and only those seen
    with several get a row (made when that happens; a table of rows for every pair, zeroed for each search, cost
    more than the search at 10^6 statements): most candidates are answered by one gather and one lookup in a
    table over pairs of persons.

    >>> from kg.search.persons import Persons
    >>> seen = Seen(3, Persons.none(1))
    >>> seen.mark(np.array([4], dtype=np.intp)); seen.open(np.array([4, 5]), np.array([0, 0])).tolist()
    [False, True]
    """

    def __init__(self, n_nodes: int, persons: Persons) -> None:
        layout = _layout(persons)
        self.shift, self.width, self._packed = layout.shift, layout.width, layout.packed
        self._masks, self._bit, self._word = layout.masks, layout.bit, layout.word
        self._narrower, self._pairs = layout.narrower, layout.pairs
        if self._packed:
            self._words = np.zeros(2 * n_nodes, dtype=layout.bit.dtype)
        else:  # acc a is bit a % 64 of word a // 64 of its (node, parity)'s row
            self._n_words = layout.masks[0].shape[1]
            self._rows = np.zeros((ROWS, self._n_words), dtype=np.uint64)  # made as needed: most pairs need none
            self._n_rows = 0
            # per (node, parity): the one person seen there, NONE, or SEVERAL (then its row holds them all)
            self._head: npt.NDArray[np.signedinteger[Any]] = np.full(
                2 * n_nodes, NONE, dtype=np.int16 if self.width < 2**15 else np.int32
            )
            self._row_of = np.empty(2 * n_nodes, dtype=np.int32)  # read only where the head says SEVERAL

    def mark(self, states: IntArray) -> None:
        """Mark ``states`` seen."""
        np_, acc = states >> self.shift, states & (self.width - 1)
        if self._packed:  # a (node, parity) met with several persons gets one bit per pass (one write lands)
            bit = self._bit.take(acc)
            while len(np_):
                self._words[np_] = self._words.take(np_) | bit
                missing = np.flatnonzero((self._words.take(np_) & bit) == 0)
                np_, bit = np_.take(missing), bit.take(missing)
            return
        head = self._head
        new = np.flatnonzero(head.take(np_) == NONE)
        head[np_.take(new)] = acc.take(new)  # one write lands per (node, parity)
        h = head.take(np_)
        more = np.flatnonzero(h != acc)  # a (node, parity) that now has several persons
        if len(more):
            np_, h, acc = np_.take(more), h.take(more), acc.take(more)
            one = np.flatnonzero(h >= 0)
            if len(one):  # a (node, parity) seen with one person so far gets a row, and that person moves into it
                np_one, at = np_.take(one), np.arange(len(one), dtype=np.int32)
                row_of = self._row_of
                row_of[np_one[::-1]] = at[::-1]  # (as scratch: each pair's first entry, one write lands)
                first = np.flatnonzero(row_of.take(np_one) == at)
                rows = self._new_rows(len(first))
                self._set(rows, h.take(one.take(first)).astype(np.intp))
                row_of[np_one.take(first)] = rows
                head[np_one] = SEVERAL
            self._set(self._row_of.take(np_).astype(np.intp), acc)

    def _new_rows(self, n: int) -> IntArray:
        """``n`` fresh (empty) rows."""
        start, end = self._n_rows, self._n_rows + n
        if end > len(self._rows):
            grown = np.zeros((max(end, 2 * len(self._rows)), self._n_words), dtype=np.uint64)
            grown[:start] = self._rows[:start]
            self._rows = grown
        self._n_rows = end
        return np.arange(start, end, dtype=np.intp)

    def _set(self, rows: IntArray, acc: IntArray) -> None:
        """Set the bits of persons ``acc`` in ``rows`` (one bit per pass: one write lands)."""
        at, bit = rows * self._n_words + self._word.take(acc), self._bit.take(acc)
        flat = self._rows.reshape(-1)
        while len(at):
            flat[at] = flat.take(at) | bit
            missing = np.flatnonzero((flat.take(at) & bit) == 0)
            at, bit = at.take(missing), bit.take(missing)

    def _none(self, np_: IntArray, acc: IntArray, which: int) -> BoolArray:
        if self._packed:
            return np.asarray((self._words.take(np_) & self._masks[which].take(acc)) == 0)
        h = self._head.take(np_)
        out: BoolArray = np.asarray(h == NONE)  # a (node, parity) seen with no one is open to all
        one = np.flatnonzero(h >= 0)  # seen with one person: is it this one or broader (one lookup in a table)
        if len(one):
            out[one] = ~self._pairs[which].take(acc.take(one) * self.width + h.take(one))
        some = np.flatnonzero(h == SEVERAL)
        if len(some):
            rows = self._rows.take(self._row_of.take(np_.take(some)), axis=0)
            rows &= self._masks[which].take(acc.take(some), axis=0)
            out[some] = ~rows.any(axis=1)
        return out

    def open(self, np_: IntArray, acc: IntArray) -> BoolArray:
        """Neither seen nor covered by a broader person seen at the same (node, parity)."""
        return self._none(np_, acc, 1)

    def uncovered(self, states: IntArray) -> BoolArray:
        """No broader person seen at the same (node, parity)."""
        acc = states & (self.width - 1)
        some = np.flatnonzero(self._narrower.take(acc))  # a person with none broader is never covered
        out = np.ones(len(states), dtype=np.bool_)
        if len(some):
            out[some] = self._none(states.take(some) >> self.shift, acc.take(some), 0)
        return out


@dataclass(frozen=True)
class _Layout:
    """How :class:`Seen` packs the persons of one :class:`Persons` (made once per persons table, not per search)."""

    shift: int
    width: int
    packed: bool
    masks: tuple[npt.NDArray[Any], npt.NDArray[Any]]  # per acc: [broader only, self or broader], as bits
    bit: npt.NDArray[Any]  # per acc: its bit (in its word)
    word: IntArray  # per acc: its word in a row (multi-word rows only)
    narrower: BoolArray  # per acc: whether some person is broader than it
    pairs: tuple[BoolArray, BoolArray]  # [broader only, self or broader], flat over acc * width + other acc


def _layout(persons: Persons) -> _Layout:
    """The bit layout of ``persons``' accumulations, cached on the persons table (for the current ``PACKED``)."""
    cached: dict[int, _Layout] = persons.__dict__.setdefault("_seen_layouts", {})
    if PACKED in cached:
        return cached[PACKED]
    _, _, n_acc = persons.transitions()
    rows = persons.broader()
    shift = max(0, (n_acc - 1).bit_length())
    width = 1 << shift
    masks = np.zeros((2, width, width), dtype=np.bool_)  # [broader only, self or broader] per acc
    for a in range(n_acc):
        masks[:, a, rows[a][rows[a] >= 0]] = True
        masks[1, a, a] = True
    narrower = masks[0].any(axis=1)
    pairs = (masks[0].reshape(-1), masks[1].reshape(-1))
    if width <= PACKED:
        kind = np.dtype(f"u{max(width, 8) // 8}")
        bit = np.left_shift(np.ones(width, dtype=kind), np.arange(width, dtype=kind))  # per acc
        weights = bit.astype(np.uint64)
        bits = [(m.astype(np.uint64) @ weights).astype(kind) for m in masks]  # each row as one word
        layout = _Layout(shift, width, True, (bits[0], bits[1]), bit, np.zeros(0, dtype=np.intp), narrower, pairs)
    else:
        n_words = -(-n_acc // 64)  # the words a row needs (the state's shift may leave more room)
        bit = np.left_shift(np.uint64(1), (np.arange(width) & 63).astype(np.uint64))
        packed = np.zeros((2, width, n_words), dtype=np.uint64)
        for which in (0, 1):
            for w in range(n_words):
                block = masks[which][:, w * 64 : (w + 1) * 64].astype(np.uint64)
                packed[which, :, w] = block @ bit[: block.shape[1]]
        word = np.arange(width, dtype=np.intp) >> 6
        layout = _Layout(shift, width, False, (packed[0], packed[1]), bit, word, narrower, pairs)
    cached[PACKED] = layout
    return layout


class Edges:
    """Some edges of a walk graph, per (edge, parity): CSR arrays ready for one level's gather.

    Edge ``e`` taken from parity ``p`` is entry ``e + p·E``: ``step`` is the (node, parity) it leads to,
    ``code`` its hop times ``ALTS``, ``sig`` its hop's person signature.
    """

    def __init__(self, n_nodes: int, src: IntArray, step: IntArray, hop: IntArray, sig: IntArray) -> None:
        small = np.int32 if max(2 * len(step), 2 * len(hop) * ALTS + ALTS, 2 * n_nodes + 2) < 2**31 else np.int64
        self.n = len(src)
        self.ptr = csr_ptr(src, n_nodes)
        self.deg = np.diff(self.ptr)
        self.step: IntArray = np.concatenate([step, step ^ 1]).astype(np.intp)  # an index: no conversion per level
        self.code: npt.NDArray[np.signedinteger[Any]] = (np.concatenate([hop, hop]) * ALTS).astype(small)
        self.sig: npt.NDArray[np.signedinteger[Any]] = np.concatenate([sig, sig]).astype(small)

    def gather(self, nodes: IntArray, parity: IntArray) -> tuple[IntArray, IntArray]:
        """The entries out of ``nodes`` (taken from ``parity``) and, for each, which entry of ``nodes`` it leaves.

        Both are running sums: +1 inside a node's run of entries, a jump where the next node's run starts.
        """
        counts = self.deg.take(nodes)
        some = np.flatnonzero(counts != 0)  # (a boolean array: nonzero is several times faster on it)
        if not len(some):
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
        first = self.ptr.take(nodes.take(some)) + parity.take(some) * self.n  # each run's first entry
        runs = counts.take(some)
        at = np.cumsum(runs) - runs  # where each run starts in the output
        pos = np.ones(int(at[-1] + runs[-1]), dtype=np.intp)
        pos[at[1:]] = first[1:] - first[:-1] - runs[:-1] + 1
        pos[0] = first[0]
        owner = np.zeros(len(pos), dtype=np.intp)
        owner[at[1:]] = some[1:] - some[:-1]
        owner[0] = some[0]
        return np.cumsum(pos, out=pos), np.cumsum(owner, out=owner)


class Walk:
    """The graph a breadth-first walk moves on, split into the hops about anyone (``plain``) and the others.

    A level takes the plain edges of every state first, then the others with their person alternatives:
    the order :meth:`Persons.expand <kg.search.persons.Persons.expand>` gives the walks in. Reverse walks
    add, for an enzyme in transit, the edges of the enzyme itself (after the node's own, as the oracle
    takes them).
    """

    def __init__(self, view: View, reverse: bool, sig: IntArray) -> None:
        way = "b" if reverse else "f"
        self.reverse = reverse
        self.real_of: IntArray = view.b_real_of if reverse else view.real_of
        self.n_real = view.n_real
        ptr, hop, step = getattr(view, f"{way}_ptr"), getattr(view, f"{way}_hop"), view.step(way)
        src = np.repeat(np.arange(len(ptr) - 1, dtype=np.int64), np.diff(ptr))
        edge_sig = sig[hop]
        parts = []
        for which in (edge_sig == 0, edge_sig != 0):
            e = np.flatnonzero(which)
            parts.append(Edges(len(ptr) - 1, src[e], step[e], hop[e], edge_sig[e]))
        self.plain, self.personal = parts
        # per expanded node: whether a walk can leave it at all (a state at a dead end is never expanded); a
        # transit node (reverse) also leaves through its enzyme's own hops
        moves = (self.plain.deg + self.personal.deg) > 0
        if reverse:
            moves[self.n_real :] |= moves.take(self.real_of[self.n_real :])
        self.moves: BoolArray = moves

    def gather(self, edges: Edges, np_: IntArray) -> tuple[IntArray, IntArray]:
        """For (node, parity) states ``np_``: their entries in ``edges`` and, for each, which state leaves."""
        x = np_ >> 1
        pos, owner = edges.gather(x, np_ & 1)
        if self.reverse:  # an enzyme in transit also walks back through the hops into the enzyme itself
            transit = np.flatnonzero(x >= self.n_real)
            if len(transit):
                more, more_owner = edges.gather(self.real_of[x[transit]], np_[transit] & 1)
                pos = np.concatenate([pos, more])
                owner = np.concatenate([owner, transit[more_owner]])
        return pos, owner


def walk_of(view: View, reverse: bool, persons: Persons) -> Walk:
    """The :class:`Walk` of a view, made once per direction and person tables (the view's own, or none)."""
    key = (reverse, persons is view.persons.get(reverse))
    made = view.walks.get(key)
    if made is None:
        made = view.walks[key] = Walk(view, reverse, persons.sig)
    walk: Walk = made
    return walk


def extend(
    walk: Walk, edges: Edges, states: IntArray, np_: IntArray, open0: BoolArray, seen: Seen, persons: Persons
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """The fresh walks one hop on from ``states`` (at ``np_``) over ``edges``.

    Returns (owner, step code, (node, parity), person) per walk: those whose (node, parity) is not yet seen
    with no person (``open0``), nor with their own person or a broader one.
    """
    pos, owner = walk.gather(edges, np_)
    nxt_np = edges.step.take(pos)  # 2·target + parity after the hop
    live = np.flatnonzero(open0.take(nxt_np))  # seen with no person: seen for every person
    pos, owner, nxt_np = pos.take(live), owner.take(live), nxt_np.take(live)
    acc = states.take(owner) & (seen.width - 1)
    k: IntArray | None = None  # the person alternative (None: 0, the only one)
    if edges is walk.personal:
        alt_ptr, alt_to, alt_count, first_to, n_acc = persons.tables()
        pair = edges.sig.take(pos) * n_acc + acc
        n = alt_count.take(pair)
        if len(n) and n.max() > 1:
            pick = np.repeat(np.arange(len(n), dtype=np.intp), n)
            k = np.arange(len(pick), dtype=np.intp) - np.repeat(np.cumsum(n, dtype=np.intp) - n, n)
            acc = alt_to.take(alt_ptr.take(pair.take(pick)) + k)
        else:  # one alternative or none per walk (most levels)
            pick = np.flatnonzero(n != 0)
            acc = first_to.take(pair.take(pick))
        owner, pos, nxt_np = owner.take(pick), pos.take(pick), nxt_np.take(pick)
    fresh = np.flatnonzero(seen.open(nxt_np, acc))  # not seen, nor seen with a broader person
    code = edges.code.take(pos.take(fresh)).astype(np.int64, copy=False)
    if k is not None:
        code += k.take(fresh)
    return owner.take(fresh), code, nxt_np.take(fresh), acc.take(fresh).astype(np.intp, copy=False)


def first_per_state(np_: IntArray, acc: IntArray, np_slot: Int32Array, shift: int) -> IntArray:
    """Positions of the first candidate of each state (``np_ << shift | acc``), in candidate order.

    NumPy writes repeated indices in order, so a reversed scatter leaves the first. Per (node, parity) first (a
    small, cache-friendly table, ``np_slot``); only candidates whose (node, parity) came first with another person
    need more: further rounds of the same scatter over the rest (each round settles one more person per (node,
    parity)), then sorting for a (node, parity) reached with many persons in one level. (A table over all
    states instead was slower at every size measured, and at 10^6 statements its page faults cost more than the
    search: docs/benchmarks.md.)
    """
    at = np.arange(len(np_), dtype=np.int32)
    np_slot[np_[::-1]] = at[::-1]
    lead = np_slot.take(np_)
    first = lead == at
    other = np.flatnonzero(~first & (acc != acc.take(lead)))
    for _ in range(ROUNDS):  # a round's first candidate per (node, parity) is the first of its state
        if not len(other):
            break
        np_slot[np_.take(other[::-1])] = other[::-1]
        lead = np_slot.take(np_.take(other))
        first[other] = lead == other
        other = other[(lead != other) & (acc.take(other) != acc.take(lead))]
    if len(other):
        states = (np_.take(other) << shift) | acc.take(other)
        first[other] = False
        first[other.take(np.unique(states, return_index=True)[1])] = True
    return np.flatnonzero(first)
