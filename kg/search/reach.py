"""Everything a change reaches (or everything that reaches a target): a shortest simple path per (node, sign).

One breadth-first search over (node, parity, person so far) states that checks a walk against its
ancestors, so it prefers simple walks and keeps a simple path per (node, sign); a key met only on walks that
repeat a node is settled by :mod:`kg.search.resolve` (a path found, or none proved). The answer
(:class:`Reached`) stays arrays until a path is read.

>>> from kg.model import Evidence, Statement
>>> from kg.search.budget import Budget
>>> from kg.search.view import compile_view
>>> from kg.table import StatementTable
>>> def st(i, s, p, o, sign):
...     return Statement(i, s, p, o, sign, ("src:x",), (Evidence("src:x", "t"),))
>>> table = StatementTable.from_statements([st("a", "A", "increases", "B", 1), st("b", "B", "decreases", "C", -1)])
>>> found = find_reach(compile_view(table, table.causal), None, 0, max_length=6, reverse=False, budget=Budget())
>>> [(table.nodes[k >> 1], -1 if k & 1 else 1) for k in found.keys.tolist()]
[('B', 1), ('C', -1)]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from kg.search.budget import Budget
from kg.search.expand import Buffers, Keys, Seen, Walk, extend, next_frontier, walk_of
from kg.search.hops import Person, RawPath
from kg.search.native import level as _level
from kg.search.persons import Persons, persons_of, raw_path
from kg.search.resolve import resolve
from kg.search.tree import Tree
from kg.search.view import View
from kg.table import BoolArray, IntArray, int_array

__all__ = ["Reached", "find_reach"]


def find_reach(
    view: View,
    person: Person | None,
    s: int,
    *,
    max_length: int,
    reverse: bool,
    budget: Budget,
    cut: BoolArray | None = None,
) -> Reached:
    """The (node, sign) states reachable from node ``s`` (``reverse``: that reach ``s``) in ``max_length`` hops.

    ``cut`` (per real node) marks the nodes a path may enter only by its first hop (see :mod:`kg.search.rules`).
    """
    persons = persons_of(view, person, reverse)
    tree, unresolved = _bfs_tree(view, persons, s, max_length, reverse, budget, cut)
    extra: dict[int, list[int]] = {}
    truncated = budget.exhausted
    if unresolved and not truncated:
        truncated = resolve(view, persons, tree, s, max_length, reverse, extra, unresolved, budget, cut)
    return Reached(view, tree, extra, person, reverse, truncated, budget.timed_out)


class Reached:
    """The (node, sign) states a reach search found, as arrays; a state's path is made only when asked for.

    ``keys`` are ``2 * node + 1`` for a net decrease and ``2 * node`` for a net increase (node = integer id
    in the table, CURIE order), sorted nearest first and then by key; ``lengths`` are their path lengths.
    """

    def __init__(
        self,
        view: View,
        tree: Tree,
        extra: Mapping[int, list[int]],
        person: Person | None,
        reverse: bool,
        truncated: bool,
        timed_out: bool = False,
    ) -> None:
        more = sorted(extra)
        lengths = int_array(len(extra[k]) for k in more)
        self._found = (*tree.keys_found(), (int_array(more), np.full(len(more), -1, dtype=np.int64), lengths))
        n, space = sum(len(keys) for keys, _, _ in self._found), 2 * view.n_real
        # nearest first, then by key; the nodes nearest first, then by id (marked over the key space: no sort)
        self.keys: IntArray = np.empty(n, dtype=np.int64)
        self.lengths: IntArray = np.empty(n, dtype=np.int64)
        nodes, words = np.empty(n, dtype=np.int64), (space + 63) // 64
        bits = np.empty(2 * words + (space // 2 + 63) // 64, dtype=np.uint64)
        parts = tuple((keys, length) for keys, _, length in self._found)
        self._nodes = nodes[: _level.rank(parts, space, bits, self.keys, self.lengths, nodes)]
        self._pos: IntArray | None = None  # per state, its position in its level (-1: resolved); made when asked
        self._by_key: IntArray | None = None  # made when a state is first looked up
        self.truncated = truncated
        self.timed_out = timed_out
        tree.only_walks()  # (its levels' keys found are in self._found)
        self._view, self._tree, self._extra = view, tree, extra
        self._person, self._reverse = person, reverse

    def __len__(self) -> int:
        return len(self.keys)

    def path(self, i: int) -> RawPath:
        """The path of the ``i``-th state."""
        if self._pos is None:  # each key's state in its level, read off the levels on the first path asked for
            at = np.empty(2 * self._view.n_real, dtype=np.int64)
            for keys, positions, _ in self._found:
                at[keys] = positions
            self._pos = at.take(self.keys)
        length, pos = int(self.lengths[i]), int(self._pos[i])
        steps = self._tree.walk(length - 1, pos) if pos >= 0 else self._extra[int(self.keys[i])]
        return raw_path(self._view, steps, self._person, self._reverse)

    def node_order(self) -> IntArray:
        """The nodes found, nearest first, then in CURIE order."""
        return self._nodes

    def states_of(self, node: int) -> list[int]:
        """The positions (in ``keys``) of ``node``'s states: one per net sign it is reached with."""
        if self._by_key is None:  # per key, its state's position (-1: none)
            self._by_key = np.full(2 * self._view.n_real, -1, dtype=np.int64)
            self._by_key[self.keys] = np.arange(len(self.keys), dtype=np.int64)
        return [int(i) for i in self._by_key[2 * node : 2 * node + 2] if i >= 0]


def _bfs_tree(
    view: View, persons: Persons, s: int, max_length: int, reverse: bool, budget: Budget, cut: BoolArray | None
) -> tuple[Tree, dict[int, int]]:
    """Breadth-first over (node, parity, person so far): a shortest allowed path per (node, parity).

    A walk is kept when it is a path the oracle allows (simple but for enzymes in transit); the keys
    met only on walks that repeat a node are returned as unresolved (for :func:`kg.search.resolve.resolve`). Vectorised:
    each level is a few passes over flat integer arrays (:mod:`kg.search.expand`). A state is
    ``(2·node + parity) << shift | person``; a simple walk is preferred when a state is reached several
    ways (a walk is checked against its ancestors only when the node it enters is already in the tree);
    a state whose person-so-far is narrower than that of a state already seen for the same (node, parity)
    is not expanded (every walk on from it is open to the broader one), nor is a state at a dead end (no hop
    leaves its node; backward, an enzyme in transit leaves through the enzyme). A node the start blocks (``cut``)
    is closed after the first level, as if seen about anyone. Stops, with ``budget.exhausted`` set, when the work
    budget runs out.
    """
    walk = walk_of(view, reverse, persons)
    with walk.buffers() as buffers:
        return _levels(view, walk, buffers, persons, s, max_length, budget, cut)


def _levels(
    view: View,
    walk: Walk,
    buffers: Buffers,
    persons: Persons,
    s: int,
    max_length: int,
    budget: Budget,
    cut: BoolArray | None,
) -> tuple[Tree, dict[int, int]]:
    """:func:`_bfs_tree`'s levels, in ``buffers``."""
    reverse, real_of, n_real = walk.reverse, walk.real_of, view.n_real
    seen = Seen(len(real_of), persons, buffers.rows)
    shift = seen.shift
    n_np = 2 * len(real_of)  # (expanded node, parity) pairs: 2·node + odd
    key_state = np.zeros(2 * n_real if reverse else n_np, dtype=np.int8)  # 0 not met, 1 found, 2 only repeating
    key_state[2 * n_real :] = 3  # forward, nothing ends inside a reaction (an enzyme in transit is no key)
    in_tree = np.zeros(len(real_of), dtype=np.bool_)  # nodes that some walk of the tree visits
    keys = Keys(key_state, real_of if reverse else None, in_tree, n_real)
    # a walk never comes back: the start's (node, parity) pairs are seen about anyone (person 0, the broadest)
    seen.mark((2 * np.flatnonzero(real_of == s)[:, None] + np.arange(2)).reshape(-1) << shift)
    frontier = np.array([2 * s << shift], dtype=np.intp)
    at_level = np.zeros(1, dtype=np.intp)  # per frontier state: its position in its tree level
    simple: npt.NDArray[np.bool_] | None = None  # per frontier state: whether its walk is allowed (None: all)
    tree = Tree()
    unresolved: dict[int, int] = {}  # key -> the length of its shortest walk (that repeats a node)
    for depth in range(max_length):
        if not budget.spend(len(frontier)):  # one expansion per state of the level
            break
        # the walks one hop longer: over the hops about anyone (the person stays), then over the others
        # (one walk per person alternative), as Persons.expand orders them
        cand = extend(walk, frontier, seen, persons, buffers)
        if not cand.n:
            break
        # which walks are paths: those whose parent's is, and that do not enter a node already on it (forward, an
        # enzyme in transit is on no walk)
        ok, all_ok = tree.are_paths(cand, simple, in_tree, real_of if reverse else None, at_level)
        # one candidate per state, marked seen: the first with a simple walk, else the first; the states whose
        # walks repeat a node come after the others; and the keys they find, and (but at the last level) each
        # state's node, marked in in_tree (forward, an enzyme in transit, >= n_real, matches no real node)
        last = depth == max_length - 1
        level = seen.settle(cand, None if all_ok else ok, at_level,
                            keys._replace(in_tree=None) if last else keys)  # fmt: skip
        ok, aside, found = level.ok, level.covered, level.found
        all_ok = all_ok or bool(ok.all())
        tree.add(level.parent, level.code, level.np, level.acc, None if all_ok else ok)
        tree.covered.append((aside.parent, aside.step, aside.np, aside.acc, aside.before))
        tree.found(found.keys, depth, found.positions)
        if len(found.unresolved):  # keys met only on walks that repeat a node
            unresolved.update(dict.fromkeys(found.unresolved.tolist(), depth + 1))
        if found.walked is None:
            break
        tree.walked.append(found.walked)
        at_level, frontier = next_frontier(seen, level.states, walk.moves)  # not at a dead end, not covered
        if depth == 0 and cut is not None:  # a node the start blocks is entered only by the first hop: closed after
            # it (once the first level's own states there are kept on: person 0 would cover them); an enzyme in
            # transit is closed with its enzyme
            blocked = np.flatnonzero(cut.take(real_of))
            seen.mark((2 * blocked[:, None] + np.arange(2)).reshape(-1) << shift)  # seen about anyone: closed
        simple = None if all_ok else ok.take(at_level)
    buffers.rows = seen.give_back()
    return tree, unresolved
