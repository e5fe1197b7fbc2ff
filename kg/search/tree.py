"""The breadth-first tree of a reach search, kept level by level as arrays.

>>> import numpy as np
>>> tree = Tree()
>>> one = np.array([0])
>>> tree.add(one, np.array([7 * 64]), np.array([2 * 3]), one * 0, None)  # level 0: node 3 by hop 7
>>> tree.walked.append(np.array([3]))
>>> tree.add(one, np.array([9 * 64]), np.array([2 * 5 + 1]), one * 0, None)  # level 1: node 5 by hop 9
>>> tree.walk(1, 0), tree.on_walk(np.array([0]), np.array([3]), 1).tolist()
([448, 576], [True])
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from kg.search import native
from kg.search.expand import Candidates
from kg.search.native import level as _level
from kg.table import IntArray, member

__all__ = ["Tree"]


class Tree:
    """A breadth-first tree kept level by level.

    Per level, per state (in the order the states were reached): its parent (its position one level up),
    its step (``hop * ALTS + alternative``), its (2·node + parity) and person, and whether its walk is a
    path (``simple``; None: all are); per level but the last, the node each state visits (``walked``;
    forward, an enzyme in transit matches no real node). And the (node, parity) keys found, with the state
    that found each. Per level, the states it set aside as covered (:meth:`kg.search.expand.Seen.settle`): their
    parents, steps, (2·node + parity), persons and how many states of the level came before each (``covered``).
    """

    def __init__(self) -> None:
        self.parents: list[IntArray] = []
        self.steps: list[IntArray] = []
        self.states: list[IntArray] = []
        self.accs: list[IntArray] = []
        self.simple: list[npt.NDArray[np.bool_] | None] = []
        self.walked: list[IntArray] = []
        self.covered: list[tuple[IntArray, IntArray, IntArray, IntArray, IntArray]] = []
        self._found: list[tuple[IntArray, IntArray, int]] = []  # per level: keys, positions, depth + 1

    def add(
        self, parents: IntArray, steps: IntArray, states: IntArray, accs: IntArray, simple: npt.NDArray[np.bool_] | None
    ) -> None:
        """One more level: its states' parents, steps, (node, parity), persons and simple flags."""
        self.parents.append(parents)
        self.steps.append(steps)
        self.states.append(states)
        self.accs.append(accs)
        self.simple.append(simple)

    def found(self, keys: IntArray, depth: int, positions: IntArray) -> None:
        """``keys`` were first found at ``depth`` by the states at ``positions`` of that level."""
        self._found.append((keys, positions, depth + 1))

    def keys_found(self) -> list[tuple[IntArray, IntArray, int]]:
        """Per level: the keys it found, the positions of the states that found them, and their paths' length."""
        return self._found

    def only_walks(self) -> None:
        """Let go of all but what :meth:`walk` reads (each level's parents and steps), once the search is done.

        An answer keeps its tree to make a state's path when asked; the rest (states, persons, simple flags, the
        nodes walked, the states set aside, the keys found) served the search only.
        """
        self.states, self.accs, self.simple, self.walked, self.covered, self._found = [], [], [], [], [], []

    def walk(self, depth: int, pos: int) -> list[int]:
        """The steps from the root to the state at ``pos`` of level ``depth``."""
        out: list[int] = []
        while depth >= 0:
            out.append(int(self.steps[depth][pos]))
            pos = int(self.parents[depth][pos])
            depth -= 1
        return out[::-1]

    def on_walk(self, pos: IntArray, real: IntArray, depth: int) -> npt.NDArray[np.bool_]:
        """Whether ``real`` is on the walk to the state at ``pos`` of level ``depth - 1`` (its ancestors).

        The compiled pass of :meth:`are_paths`, given positions and real nodes (every node may be on the walk).
        """
        pos, real = np.ascontiguousarray(pos, dtype=np.int64), np.ascontiguousarray(real, dtype=np.int64)
        off = np.empty(len(pos), dtype=np.bool_)
        walked, parents = tuple(self.walked[:depth]), tuple(self.parents[:depth])
        walks = Candidates.of(pos, pos, real << 1, pos).args()
        _level.simple_walks(off, walks, None, None, None, None, walked, parents, native.SPLIT_LIGHT)
        return ~off

    def are_paths(
        self,
        walks: Candidates,
        parent_simple: npt.NDArray[np.bool_] | None,
        in_tree: npt.NDArray[np.bool_],
        real_of: IntArray | None,
        at_level: IntArray,
        split: int | None = None,
    ) -> tuple[npt.NDArray[np.bool_], bool]:
        """Per walk one hop on from the tree's last level: whether it is a path; and whether all are.

        Walk ``i`` (of ``walks``, as :func:`kg.search.expand.extend` leaves them) leaves the state at
        ``at_level[owner[i]]`` of the last level (``parent_simple``: whether that state's walk is a path; None: all
        are) into ``np_[i]`` (2·node + parity; backward, a real node is ``real_of[node]``). It is a path when its
        parent's walk is one and does not visit the node it enters (:meth:`on_walk`); ``in_tree`` marks the nodes
        some walk of the tree visits (no other can be on one). Compiled (``kg/search/_level_walks.h``): one pass,
        where NumPy gathered once per level of the tree; from ``split`` walks on (default
        :data:`kg.search.native.SPLIT_LIGHT`) in two halves at once.
        """
        ok = np.empty(walks.n, dtype=np.bool_)
        walked, parents = tuple(self.walked), tuple(self.parents)
        split = native.SPLIT_LIGHT if split is None else split
        paths = _level.simple_walks(ok, walks.args(), parent_simple, in_tree, real_of, at_level, walked, parents, split)
        return ok, paths == len(ok)

    def met(self, level: int) -> tuple[IntArray, npt.NDArray[np.bool_], IntArray, IntArray]:
        """The simple states of ``level`` in the order the search met them: its states, those it set aside among them.

        Each state set aside comes before the state that followed it; each state once (a repeat of one of the
        level's states, or of one set aside before, is left out). Returns their (2·node + parity), whether their
        walk is simple, persons and index: ``i >= 0`` is the level's ``i``-th state, ``-1 - k`` the ``k``-th set
        aside (see :meth:`step_walk`).
        """
        states, accs, simple = self.states[level], self.accs[level], self.simple[level]
        ok = np.ones(len(states), dtype=np.bool_) if simple is None else simple
        index = np.arange(len(states), dtype=np.int64)
        _, _, aside_np, aside_acc, before = self.covered[level] if level < len(self.covered) else (index[:0],) * 5
        if not len(aside_np):
            return states, ok, accs, index
        width = int(max(accs.max(initial=0), aside_acc.max(initial=0))) + 1
        key = aside_np * width + aside_acc
        by_key = np.argsort(key, kind="stable")
        ordered = key[by_key]
        first = np.sort(by_key[np.concatenate([[True], ordered[1:] != ordered[:-1]])])  # first of each state
        first = first[~member(key[first], states * width + accs)]  # none of the level's own states
        order = np.argsort(np.concatenate([2 * index + 1, 2 * before[first]]), kind="stable")
        return (
            np.concatenate([states, aside_np[first]])[order],
            np.concatenate([ok, np.ones(len(first), dtype=np.bool_)])[order],
            np.concatenate([accs, aside_acc[first]])[order],
            np.concatenate([index, -1 - first])[order],
        )

    def step_walk(self, level: int, index: int) -> list[int]:
        """The steps to a state :meth:`met` lists at ``level`` (``index`` as it gives it)."""
        if index >= 0:
            return self.walk(level, index)
        parents, steps = self.covered[level][0], self.covered[level][1]
        return [*self.walk(level - 1, int(parents[-1 - index])), int(steps[-1 - index])]

    def on_met_walk(self, index: IntArray, own: IntArray, real: IntArray, level: int) -> npt.NDArray[np.bool_]:
        """Whether ``real`` is on the walk to the states :meth:`met` lists at ``level`` (``own``: their real node)."""
        main = index >= 0
        hit = np.zeros(len(index), dtype=np.bool_)
        at = np.flatnonzero(main)
        hit[at] = self.on_walk(index[at], real[at], level + 1)
        at = np.flatnonzero(~main)
        if len(at):
            parents = self.covered[level][0].take(-1 - index[at])
            hit[at] = (own[at] == real[at]) | self.on_walk(parents, real[at], level)
        return hit
