"""One breadth-first level of the reach search, as flat integer arrays: its edges, its seen states.

A state of the reach search (:mod:`kg.search.reach`) is ``(2·node + parity) << shift | person`` (person: an
accumulation of :class:`~kg.search.persons.Persons`; ``2**shift`` at least their number). :class:`Walk`
holds the graph a walk moves on, per (edge, parity) and split into the hops about anyone and the others;
:class:`Seen` answers "seen, or seen with a broader person" per candidate; :func:`extend` makes one level's
fresh walks, in the order :meth:`Persons.expand <kg.search.persons.Persons.expand>` gives them;
:meth:`Seen.settle` and :func:`next_frontier` choose among them. The loops over a level's candidates are
compiled (``kg/search/_level.c``, built with the package): each is one pass where NumPy took several, and gives
what the NumPy passes gave, in the same order.

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
>>> owner, code, np_, acc = extend(walk, start, seen, persons, Buffers()).joined()
>>> [(table.nodes[n >> 1], "-" if n & 1 else "+") for n in np_.tolist()]
[('B', '+'), ('C', '-')]
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from kg.errors import QueryError
from kg.search import native
from kg.search.native import level as _level
from kg.search.persons import Persons
from kg.search.view import View, csr_ptr
from kg.table import IntArray

__all__ = [
    "Buffers",
    "Candidates",
    "Covered",
    "Edges",
    "Found",
    "Keys",
    "Seen",
    "Settled",
    "Walk",
    "extend",
    "next_frontier",
    "walk_of",
]

Int32Array = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]

PACKED = 64  # up to this many accumulations, those seen at one (node, parity) are the bits of one word
NONE = -1  # beyond: a (node, parity) seen with no person (-2, kg/search/_level_seen.h's SEVERAL: with several)
ROWS = 1024  # rows a Seen starts with (doubled when more (node, parity) pairs have several persons)


class Candidates(NamedTuple):
    """A level's fresh walks as :func:`extend` leaves them, none moved or copied.

    Up to four runs of two buffers, in walk order: the walks over hops about anyone that each half of the level made,
    then the others.

    >>> walks = Candidates.of(np.array([0, 0]), np.array([64, 128]), np.array([2, 4]), np.array([0, 0]))
    >>> walks.n, [a.tolist() for a in walks.joined()]
    (2, [[0, 0], [64, 128], [2, 4], [0, 0]])
    """

    arrays: tuple[IntArray, ...]  # owner, step code, (node, parity), person: runs 0 and 1
    more: tuple[IntArray, ...]  # the same columns: runs 2 and 3
    runs: IntArray  # per run, (first, count)
    n: int  # walks in all

    @classmethod
    def of(cls, owner: IntArray, code: IntArray, np_: IntArray, acc: IntArray) -> Candidates:
        """Walks in one run."""
        arrays = tuple(np.ascontiguousarray(a, dtype=np.int64) for a in (owner, code, np_, acc))
        return cls(arrays, arrays, np.array([0, len(arrays[0]), 0, 0, 0, 0, 0, 0], dtype=np.int64), len(arrays[0]))

    def args(self) -> tuple[tuple[IntArray, ...], tuple[IntArray, ...], IntArray]:
        """What the compiled level reads (``kg/search/_level_buffers.h``'s ``runs_of``)."""
        return self.arrays, self.more, self.runs

    def joined(self) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        """The walks' columns (owner, step code, (node, parity), person), each in one array."""
        spans = [
            (self.arrays if k < 2 else self.more, int(self.runs[2 * k]), int(self.runs[2 * k + 1])) for k in range(4)
        ]
        owner, code, np_, acc = (np.concatenate([cols[c][a : a + m] for cols, a, m in spans]) for c in range(4))
        return owner, code, np_, acc


class Covered(NamedTuple):
    """The candidates :meth:`Seen.settle` set aside as covered, in the order it met them."""

    at: IntArray  # its position among the candidates
    before: IntArray  # how many states were chosen before it
    parent: IntArray  # its parent's position in the tree (or its owner)
    step: IntArray
    np: IntArray  # 2·node + parity
    acc: IntArray  # person


class Keys(NamedTuple):
    """What a search has met per key, for :meth:`Seen.settle` to note what a level finds.

    A key is a (node, sign): forward a state's (node, parity), backward, with ``real_of``, its real node's. In the
    order settle chooses them, the first state with a simple walk at a key not yet met (``state`` 0) finds it (1); a
    key not yet met that only walks repeating a node reach becomes unresolved (2). With ``in_tree``: each chosen
    state's node (its key's) is given back, and those below ``n_real`` marked in it.
    """

    state: npt.NDArray[np.int8]
    real_of: IntArray | None
    in_tree: BoolArray | None
    n_real: int


class Found(NamedTuple):
    """What :meth:`Seen.settle` found with :class:`Keys` (empty without)."""

    keys: IntArray  # the keys found, in order
    positions: IntArray  # the positions of the states (among those chosen) that found them
    unresolved: IntArray  # the keys met only on walks that repeat a node, each once, in order
    walked: IntArray | None  # per chosen state, its node (with Keys.in_tree)


class Settled(NamedTuple):
    """The states :meth:`Seen.settle` chose (in order), those it set aside, and the keys they found."""

    parent: IntArray
    code: IntArray
    np: IntArray
    acc: IntArray
    ok: BoolArray
    states: IntArray
    covered: Covered
    found: Found


class Seen:
    """Per (node, parity): the persons (accumulations) a breadth-first search has seen there.

    A state is ``np << shift | acc`` (np = 2·node + parity; ``2**shift`` >= the number of accumulations).
    With up to 64 accumulations the persons seen at one (node, parity) are the bits of one machine word; beyond,
    a row of ``2**shift / 64`` words per (node, parity) (a graph with many tissues and kinds of person has
    hundreds of accumulations). Most (node, parity) pairs are seen with one person only, so beyond 64 each keeps
    that one person (a small integer) and only those seen with several get a row (made when that happens; a table
    of rows for every pair, zeroed for each search, cost more than the search at 10^6 statements): most
    candidates are answered by one lookup in a table over pairs of persons.

    >>> from kg.search.persons import Persons
    >>> seen = Seen(3, Persons.none(1))
    >>> seen.mark(np.array([4], dtype=np.intp)); seen.open(np.array([4, 5]), np.array([0, 0])).tolist()
    [False, True]
    """

    def __init__(self, n_nodes: int, persons: Persons, rows: npt.NDArray[np.uint64] | None = None) -> None:
        layout = _layout(persons)
        self.shift, self.width, self._packed = layout.shift, layout.width, layout.packed
        self._masks, self._bit, self._pairs = layout.masks, layout.bit, layout.pairs
        self.narrower = layout.narrower  # per person: whether some person is broader than it
        self._n_rows = 0
        if self._packed:
            self._words = np.zeros(2 * n_nodes, dtype=layout.bit.dtype)
            self._head: npt.NDArray[np.signedinteger[Any]] = np.zeros(0, dtype=np.int16)
            self._row_of = np.zeros(0, dtype=np.int32)
            self._n_words = 0
            self._rows = np.zeros((0, 0), dtype=np.uint64)
        else:  # acc a is bit a % 64 of word a // 64 of its (node, parity)'s row
            self._words = np.zeros(0, dtype=np.uint8)
            self._n_words = layout.masks[0].shape[1]
            # made as needed (most pairs need none); or an earlier search's, all zeros (see :meth:`give_back`)
            if rows is None or rows.shape[1] != self._n_words:
                rows = np.zeros((ROWS, self._n_words), dtype=np.uint64)
            self._rows = rows
            # per (node, parity): the one person seen there, NONE, or SEVERAL (then its row holds them all)
            self._head = np.full(2 * n_nodes, NONE, dtype=np.int16 if self.width < 2**15 else np.int32)
            self._row_of = np.empty(2 * n_nodes, dtype=np.int32)  # read only where the head says SEVERAL

    def give_back(self) -> npt.NDArray[np.uint64]:
        """The rows, zeroed, for another search's :class:`Seen` (this one is done with them)."""
        self._rows[: self._n_rows] = 0
        self._n_rows = 0
        return self._rows

    def _arrays(self) -> tuple[Any, ...]:
        """What the compiled level reads (and :meth:`mark` writes)."""
        words, head = self._words, self._head
        return (
            int(self._packed), words.itemsize, words, head.itemsize, head, self._row_of,
            self._rows.reshape(-1), self._n_words, self.width,
        )  # fmt: skip

    def args(self, which: int) -> tuple[tuple[Any, ...], npt.NDArray[Any], BoolArray]:
        """The arguments the compiled level takes for "no person seen" (``which``: 1 self or broader, 0 broader)."""
        return self._arrays(), self._masks[which], self._pairs[which]

    def mark(self, states: IntArray) -> None:
        """Mark ``states`` seen."""
        states = np.ascontiguousarray(states, dtype=np.int64)
        while True:
            n_rows = _level.mark(states, self.shift, self._arrays(), self._bit, self._n_rows)
            if n_rows >= 0:
                self._n_rows = n_rows
                return
            self._n_rows = -n_rows - 1  # out of rows: double them (marking again changes nothing marked)
            self._grow(len(self._rows) + 1)

    def settle(
        self,
        cand: Candidates,
        ok: BoolArray | None,
        parents: IntArray | None = None,
        keys: Keys | None = None,
    ) -> Settled:
        """The first candidate of each state, in candidate order, each marked seen; none a state before it covers.

        ``cand``: a level's candidates (owner, step code, (node, parity), person), as :func:`extend` leaves them.
        With ``ok``, the candidates where it holds come first (then the others): the first simple walk of each
        state is chosen before any that repeats a node. A candidate is not chosen when a state chosen before it in
        the level has its (node, parity) and a broader person (it would find no key and go no further): its first
        simple one is set aside instead (a repeat of a state may be among them when person 0 is seen at its (node,
        parity), see :meth:`kg.search.tree.Tree.met`). A parent is ``parents[owner]`` (None: the owner). With
        ``keys``, the keys the chosen states find are noted (:class:`Keys`).
        """
        n = cand.n
        parent, code, np_, acc, states = (np.empty(n, dtype=np.int64) for _ in range(5))
        chosen_ok = np.empty(n, dtype=np.bool_)
        covered = tuple(np.empty(n, dtype=np.int64) for _ in range(6))
        found = tuple(np.empty(n if keys is not None else 0, dtype=np.int64) for _ in range(3))
        walked = None if keys is None or keys.in_tree is None else np.empty(n, dtype=np.int64)
        noted = None if keys is None else (*found, keys.state, keys.real_of, walked, keys.in_tree, keys.n_real)
        progress = np.zeros(6, dtype=np.int64)  # (pass, candidate, chosen, set aside, found, unresolved) so far
        while True:
            n_rows = _level.settle(
                (parent, code, np_, acc, states, chosen_ok), cand.args(), ok, covered, parents, noted, self.shift,
                self._arrays(), self._masks[1], self._pairs[1], self._bit, self._n_rows, progress,
            )  # fmt: skip
            if n_rows >= 0:
                break
            self._n_rows = -n_rows - 1  # out of rows: double them, and go on from where it stopped
            self._grow(len(self._rows) + 1)
        self._n_rows = n_rows
        count, n_cov, n_found, n_bad = (int(x) for x in progress[2:])
        return Settled(
            parent[:count], code[:count], np_[:count], acc[:count], chosen_ok[:count], states[:count],
            Covered(*(c[:n_cov] for c in covered)),
            Found(found[0][:n_found], found[1][:n_found], found[2][:n_bad], None if walked is None else walked[:count]),
        )  # fmt: skip

    def _grow(self, rows: int) -> None:
        grown = np.zeros((max(rows, 2 * len(self._rows)), self._n_words), dtype=np.uint64)
        grown[: self._n_rows] = self._rows[: self._n_rows]
        self._rows = grown

    def _none(self, np_: IntArray, acc: IntArray, which: int) -> BoolArray:
        out = np.empty(len(np_), dtype=np.bool_)
        np_, acc = np.ascontiguousarray(np_, dtype=np.int64), np.ascontiguousarray(acc, dtype=np.int64)
        _level.none(out, np_, acc, *self.args(which))
        return out

    def open(self, np_: IntArray, acc: IntArray) -> BoolArray:
        """Neither seen nor covered by a broader person seen at the same (node, parity)."""
        return self._none(np_, acc, 1)

    def uncovered(self, states: IntArray) -> BoolArray:
        """No broader person seen at the same (node, parity)."""
        acc = states & (self.width - 1)
        out = np.ones(len(states), dtype=np.bool_)
        some = np.flatnonzero(self.narrower.take(acc))  # a person with none broader is never covered
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
    narrower: BoolArray  # per acc: whether some person is broader than it
    pairs: tuple[BoolArray, BoolArray]  # [broader only, self or broader], flat over acc * width + other acc
    alternatives: tuple[IntArray, IntArray, int]  # Persons.tables, as the compiled level reads them (_alternatives)


def _layout(persons: Persons) -> _Layout:
    """The bit layout of ``persons``' accumulations, cached on the persons table (for the current ``PACKED``)."""
    cached: dict[int, _Layout] = persons.__dict__.setdefault("_seen_layouts", {})
    if PACKED in cached:
        return cached[PACKED]
    _, _, n_acc = persons.transitions()
    # the compiled level closes a (node, parity) seen with person 0, which is about anyone ({}: broader than all):
    # Persons numbers {} first, and Persons.transitions refuses tables numbered otherwise
    rows = persons.broader()
    shift = max(0, (n_acc - 1).bit_length())
    width = 1 << shift
    masks = np.zeros((2, width, width), dtype=np.bool_)  # [broader only, self or broader] per acc
    for a in range(n_acc):
        masks[:, a, rows[a][rows[a] >= 0]] = True
        masks[1, a, a] = True
    narrower = masks[0].any(axis=1)
    pairs = (masks[0].reshape(-1), masks[1].reshape(-1))
    alternatives = _alternatives(persons)
    if width <= PACKED:
        kind = np.dtype(f"u{max(width, 8) // 8}")
        bit = np.left_shift(np.ones(width, dtype=kind), np.arange(width, dtype=kind))  # per acc
        weights = bit.astype(np.uint64)
        bits = [(m.astype(np.uint64) @ weights).astype(kind) for m in masks]  # each row as one word
        layout = _Layout(shift, width, True, (bits[0], bits[1]), bit, narrower, pairs, alternatives)
    else:
        n_words = -(-n_acc // 64)  # the words a row needs (the state's shift may leave more room)
        bit = np.left_shift(np.uint64(1), (np.arange(width) & 63).astype(np.uint64))
        packed = np.zeros((2, width, n_words), dtype=np.uint64)
        for which in (0, 1):
            for w in range(n_words):
                block = masks[which][:, w * 64 : (w + 1) * 64].astype(np.uint64)
                packed[which, :, w] = block @ bit[: block.shape[1]]
        layout = _Layout(shift, width, False, (packed[0], packed[1]), bit, narrower, pairs, alternatives)
    cached[PACKED] = layout
    return layout


def _alternatives(persons: Persons) -> tuple[IntArray, IntArray, int]:
    """:meth:`Persons.tables` as the compiled level reads them: (table, persons, n_sig).

    ``table[acc * n_sig + sig]`` is ``count | value << 7``: with one alternative, value is the person after the hop;
    with several, where their persons start in the second array. Person-major (a search's states have few
    persons, so the rows it reads stay in cache), and one read per hop.
    """
    start, to, count, first_to, n_acc = persons.tables()
    n_sig = len(count) // max(n_acc, 1)
    value = np.where(count == 1, first_to.astype(np.int64), start.astype(np.int64))
    words = count.astype(np.int64) | (value << 7)
    return np.ascontiguousarray(words.reshape(n_sig, n_acc).T).reshape(-1), to.astype(np.int64), n_sig


class Edges:
    """The edges of a walk graph, per (node, parity): CSR arrays ready for one level's gather.

    Node ``x``'s edges taken from parity ``p`` are rows ``bounds[2x] + p·E`` up to ``bounds[2x + 2] + p·E`` of
    ``entries`` (the (node, parity) the edge leads to, its hop, its hop's person signature: one row, so a state's
    run is one read from memory), those about anyone first (up to ``bounds[2x + 1] + p·E``).
    """

    def __init__(self, n_nodes: int, src: IntArray, step: IntArray, hop: IntArray, sig: IntArray) -> None:
        personal = sig != 0
        order = np.argsort(src * 2 + personal, kind="stable")  # per node: the hops about anyone, then the others
        src, step, hop, sig = src[order], step[order], hop[order], sig[order]
        self.n = len(src)
        ptr = csr_ptr(src, n_nodes)
        self.deg = np.diff(ptr)
        n_plain = np.bincount(src[sig == 0], minlength=n_nodes)
        self.bounds: IntArray = np.empty(2 * n_nodes + 1, dtype=np.int64)
        self.bounds[0::2], self.bounds[1::2] = ptr, ptr[:-1] + n_plain
        steps, hops, sigs = np.concatenate([step, step ^ 1]), np.concatenate([hop, hop]), np.concatenate([sig, sig])
        if len(steps) and max(int(steps.max()), int(hops.max()), int(sigs.max())) >= 2**31:
            raise QueryError("the graph is too large for the compiled search (2**31 nodes or hops)")
        self.entries: Int32Array = np.stack([steps, hops, sigs], axis=1).astype(np.int32)

    def args(self) -> tuple[IntArray, Int32Array, int]:
        """The arguments the compiled level takes for these edges."""
        return self.bounds, self.entries, self.n


class Walk:
    """The graph a breadth-first walk moves on: per node, the hops about anyone, then the others.

    A level takes the hops about anyone of every state first, then the others with their person alternatives:
    the order :meth:`Persons.expand <kg.search.persons.Persons.expand>` gives the walks in. Reverse walks
    add, for an enzyme in transit, the edges of the enzyme itself (after the node's own, as the oracle
    takes them).
    """

    def __init__(self, view: View, reverse: bool, sig: IntArray) -> None:
        way = "b" if reverse else "f"
        self.reverse = reverse
        self.real_of: IntArray = np.ascontiguousarray(view.b_real_of if reverse else view.real_of, dtype=np.int64)
        self.n_real = view.n_real
        ptr, hop, step = getattr(view, f"{way}_ptr"), getattr(view, f"{way}_hop"), view.step(way)
        src = np.repeat(np.arange(len(ptr) - 1, dtype=np.int64), np.diff(ptr))
        self.edges = Edges(len(ptr) - 1, src, step, hop, sig[hop])
        # per expanded node: whether a walk can leave it at all (a state at a dead end is never expanded); a
        # transit node (reverse) also leaves through its enzyme's own hops
        moves = self.edges.deg > 0
        if reverse:
            moves[self.n_real :] |= moves.take(self.real_of[self.n_real :])
        self.moves: BoolArray = moves
        self._spare: list[Buffers] = []  # the working arrays of searches done, for the next ones

    @contextmanager
    def buffers(self) -> Iterator[Buffers]:
        """Working arrays for one search: an earlier search's when one is free (each search has its own).

        They stay with the walk (at 10^6 statements, a few tens of MB touched), sparing every search the allocation
        and the first touch of its pages. A search that raises does not give its arrays back (the next one makes
        its own).
        """
        try:
            made = self._spare.pop()
        except IndexError:  # none free (or another thread took the last)
            made = Buffers()
        yield made
        self._spare.append(made)


def walk_of(view: View, reverse: bool, persons: Persons) -> Walk:
    """The :class:`Walk` of a view, made once per direction and person tables (the view's own, or none)."""
    key = (reverse, persons is view.persons.get(reverse))
    made = view.walks.get(key)
    if made is None:
        made = view.walks[key] = Walk(view, reverse, persons.sig)
    walk: Walk = made
    return walk


class Buffers:
    """A search's working arrays, reused level after level and search after search (see :meth:`Walk.buffers`).

    ``arrays`` and ``more`` are :func:`extend`'s output (``more`` holds a level's walks over hops that are not
    about anyone: :class:`Candidates`), grown when a level needs more room; only the part written is ever touched
    (an unused end costs no memory). ``rows``: the rows of a :class:`Seen` that keeps the persons seen
    in rows, given back zeroed (:meth:`Seen.give_back`), or None.
    """

    def __init__(self, size: int = 1024) -> None:
        self.arrays = tuple(np.empty(size, dtype=np.int64) for _ in range(4))
        self.more = tuple(np.empty(size, dtype=np.int64) for _ in range(4))
        self.rows: npt.NDArray[np.uint64] | None = None  # a Seen's rows, all zeros (Seen.give_back)

    def grow(self, size: int) -> None:
        """Room for at least ``size`` walks (twice as much as before, at least: few levels ask again)."""
        if size > len(self.arrays[0]):
            size = max(size, 2 * len(self.arrays[0]))
            self.arrays = tuple(np.empty(size, dtype=np.int64) for _ in range(4))
            self.more = tuple(np.empty(size, dtype=np.int64) for _ in range(4))


def extend(
    walk: Walk, states: IntArray, seen: Seen, persons: Persons, out: Buffers, split: int | None = None
) -> Candidates:
    """The fresh walks one hop on from ``states``: over the hops about anyone, then the others.

    Returns (owner, step code, (node, parity), person) per walk (:class:`Candidates`): those whose (node, parity) is
    not yet seen with their own person or a broader one (person 0, about anyone, is broader than all: a (node,
    parity) seen with it is closed). They stay in ``out`` where the level wrote them: valid until its next use. From
    ``split`` states on (default :data:`kg.search.native.SPLIT`), the compiled level reads the states in two halves
    at once (the same walks, in the same order).
    """
    states = np.ascontiguousarray(states, dtype=np.int64)
    layout = _layout(persons)
    runs = np.zeros(8, dtype=np.int64)
    while True:  # out of room, the level says how much it needs: grown, it is asked again
        n = _level.extend(
            out.arrays, out.more, runs, states, seen.shift, walk.edges.args(), walk.real_of, walk.reverse,
            walk.n_real, *seen.args(1), layout.alternatives, native.SPLIT if split is None else split,
        )  # fmt: skip
        if n >= 0:
            return Candidates(out.arrays, out.more, runs, n)
        out.grow(-n)


def next_frontier(
    seen: Seen, states: IntArray, moves: BoolArray, split: int | None = None
) -> tuple[IntArray, IntArray]:
    """The states of a level to expand, and their positions: none at a dead end, none covered by a broader person.

    ``moves`` (per expanded node) says where a walk can go on: a state at a dead end is not expanded, nor counted
    as an expansion. A broader person seen at a state's (node, parity) covers it; only another state of the same
    level can have put one there (a person seen at an earlier level that covers a state made it no candidate).
    From ``split`` states on (default :data:`kg.search.native.SPLIT_LIGHT`), read in two halves at once (the same
    answer). Returns (positions, states).
    """
    states = np.ascontiguousarray(states, dtype=np.int64)
    out, chosen = np.empty(len(states), dtype=np.int64), np.empty(len(states), dtype=np.int64)
    split = native.SPLIT_LIGHT if split is None else split
    n = _level.next_frontier(out, chosen, states, seen.shift, moves, *seen.args(0), seen.narrower, split)
    return out[:n], chosen[:n]
