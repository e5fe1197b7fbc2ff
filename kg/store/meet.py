"""The steps that lie on short walks between two sets of nodes, found by a bidirectional search over node pairs.

A question from ``sources`` to ``targets`` with at most ``level`` steps only ever walks the steps ``u -> v``
with ``d(sources, u) + 1 + d(v, targets) <= level`` (``d`` counts steps). :class:`Walks` finds exactly those
steps while asking for as little as it can: it grows a ball forward of the sources and one backward of the
targets, one layer at a time, always the side whose frontier has fewer steps to follow (counted first, capped
at the other side's count), until the two depths add up to ``level - 1``; then it asks only for the steps
from one frontier into the other (a *probe*: the last layer, the largest, is never fetched whole). Every step
of such a walk either leaves a node of the forward ball's inside, or enters one of the backward ball's inside,
or goes from the forward frontier to the backward one (if ``d(s, u) >= a`` and ``d(v, t) >= b`` with
``a + b = level - 1``, the walk has at least ``level`` steps, exactly that many only when ``u`` and ``v`` are
on the frontiers), so the steps found hold them all; distances computed over those steps are exact on the
walks (a shortest prefix or suffix of such a walk is itself made of such steps), and the filter keeps exactly
the walks' steps.

The search needs only *node pairs* (who is next to whom), never statements: the caller gives it an
:class:`Adjacency` (``kg.store.frontier`` asks a SPARQL server). Deepening reuses what was found: asking for
``level + 1`` after ``level`` grows one more layer on the cheaper side, and probes between the new frontiers.
A frontier that empties ends its side (nothing more lies that way), which is how a pair with no walk at all is
settled cheaply.

>>> graph = {"A": ["B", "C"], "B": ["D"], "C": ["D"], "D": ["E"], "X": ["D"]}
>>> walks = Walks(["A"], ["D"], Pairs(graph))
>>> sorted(walks.steps(2)), walks.distance(6)
([('A', 'B'), ('A', 'C'), ('B', 'D'), ('C', 'D')], 2)
>>> sorted(walks.steps(1))
[]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Protocol

__all__ = ["FIRST_CAP", "PROBE_NODES", "Adjacency", "Pairs", "Walks", "bfs"]

#: The first cap under which the two frontiers' steps are counted (see :meth:`Walks._cheaper`).
FIRST_CAP = 1024
#: The most nodes a probe names (the far frontier, once per batch of the near one); past that, a whole layer.
PROBE_NODES = 50_000
#: The near frontier's nodes per query of a probe (``kg.store.wire.BATCH``).
PROBE_BATCH = 200


class Adjacency(Protocol):
    """Who is next to whom: the pairs of a batch of nodes, and how many there are (for choosing a side)."""

    def pairs(
        self, nodes: Sequence[str], forward: bool, into: Collection[str] | None = None
    ) -> Iterable[tuple[str, str]]:
        """``(node, neighbour)`` for every step out of (``forward``) or into ``nodes`` (into ``into`` if given)."""
        ...

    def fanout(self, nodes: Sequence[str], forward: bool, cap: int) -> int:
        """How many steps leave (``forward``) or enter ``nodes``; any number ``>= cap`` once there are that many."""
        ...


class Pairs:
    """An :class:`Adjacency` over a plain mapping (node -> successors): for tests and examples.

    >>> Pairs({"A": ["B"]}).fanout(["B"], False, 10), list(Pairs({"A": ["B"]}).pairs(["B"], False))
    (1, [('B', 'A')])
    """

    def __init__(self, successors: Mapping[str, Iterable[str]]) -> None:
        self.out = {u: sorted(set(vs)) for u, vs in successors.items()}
        self.into: dict[str, list[str]] = {}
        for u, vs in self.out.items():
            for v in vs:
                self.into.setdefault(v, []).append(u)
        #: how many nodes were asked about, per direction (the tests count the work)
        self.asked = {True: 0, False: 0}

    def pairs(self, nodes: Sequence[str], forward: bool, into: Collection[str] | None = None) -> list[tuple[str, str]]:
        """The steps out of (``forward``) or into ``nodes`` (to one of ``into``, if given)."""
        self.asked[forward] += len(nodes)
        table = self.out if forward else self.into
        return [(x, n) for x in nodes for n in table.get(x, ()) if into is None or n in into]

    def fanout(self, nodes: Sequence[str], forward: bool, cap: int) -> int:
        """How many steps leave or enter ``nodes`` (exact here)."""
        table = self.out if forward else self.into
        return sum(len(table.get(x, ())) for x in nodes)


def bfs(nexts: Mapping[str, Iterable[str]], seeds: Iterable[str], limit: int) -> dict[str, int]:
    """Steps from the nearest seed to each node over ``nexts``, up to ``limit``.

    >>> bfs({"A": ["B"], "B": ["C"]}, ["A"], 1)
    {'A': 0, 'B': 1}
    """
    dist = dict.fromkeys(seeds, 0)
    todo = deque(dist)
    while todo:
        node = todo.popleft()
        here = dist[node]
        if here >= limit:
            continue
        for other in nexts.get(node, ()):
            if other not in dist:
                dist[other] = here + 1
                todo.append(other)
    return dist


class Walks:
    """The steps of the walks of at most ``level`` steps from ``sources`` to ``targets`` (see the module docstring)."""

    def __init__(self, sources: Iterable[str], targets: Iterable[str], adjacency: Adjacency) -> None:
        self.sources, self.targets = tuple(dict.fromkeys(sources)), tuple(dict.fromkeys(targets))
        self.adjacency = adjacency
        #: per side (True: forward of the sources), the nodes at exactly k steps, for k = 0 .. depth
        self.layers: dict[bool, list[set[str]]] = {True: [set(self.sources)], False: [set(self.targets)]}
        self._seen = {True: set(self.sources), False: set(self.targets)}
        #: every step found so far, both ways: node -> next nodes (forward), node -> previous nodes (backward)
        self.out: dict[str, set[str]] = {}
        self.into: dict[str, set[str]] = {}
        self._cost: dict[bool, int | None] = {True: None, False: None}
        self._probed: set[tuple[int, int]] = set()  # the depths whose frontiers were probed
        #: node pairs received (the work the server did for this search)
        self.received = 0

    def depth(self, forward: bool) -> int:
        """How many layers have been grown on a side."""
        return len(self.layers[forward]) - 1

    def frontier(self, forward: bool) -> set[str]:
        """The outermost layer of a side (empty once that side has nothing more to reach)."""
        return self.layers[forward][-1]

    def steps(self, level: int) -> set[tuple[str, str]]:
        """The steps ``(u, v)`` of every walk of at most ``level`` steps from a source to a target."""
        self._grow(level)
        after = bfs(self.out, self.sources, level)
        before = bfs(self.into, self.targets, level)
        far = level + 1
        return {
            (u, v)
            for u, vs in self.out.items()
            if (du := after.get(u, far)) < level
            for v in vs
            if du + 1 + before.get(v, far) <= level
        }

    def distance(self, upto: int) -> int | None:
        """The fewest steps from a source to a target (None when more than ``upto``), growing as little as needed.

        The distance is the first level whose walks are not empty.
        """
        for level in range(1, upto + 1):
            self._grow(level)
            after = bfs(self.out, self.sources, level)
            if any(t in after for t in self.targets) or set(self.sources) & set(self.targets):
                return level
        return None

    def _grow(self, level: int) -> None:
        while self.depth(True) + self.depth(False) < level - 1:
            if not self.frontier(True) or not self.frontier(False):
                # one side reaches nothing more: every walk lies in what was found (its steps are all known)
                self._stop(not self.frontier(True))
                continue
            self._expand(self._cheaper())
        if self.depth(True) + self.depth(False) == level - 1:
            self._probe()

    def _probe(self) -> None:
        """The steps from the forward frontier into the backward one, asked from the cheaper side.

        A whole layer instead when the far frontier is too large to name in the queries (:data:`PROBE_NODES`).
        """
        depths = (self.depth(True), self.depth(False))
        if depths in self._probed or not self.frontier(True) or not self.frontier(False):
            return
        self._probed.add(depths)
        forward = self._cheaper()
        near, far = self.frontier(forward), self.frontier(not forward)
        if len(far) * -(-len(near) // PROBE_BATCH) > PROBE_NODES:
            self._expand(forward)
            return
        ahead, behind = (self.out, self.into) if forward else (self.into, self.out)
        for x, n in self.adjacency.pairs(sorted(near), forward, into=far):
            self.received += 1
            ahead.setdefault(x, set()).add(n)
            behind.setdefault(n, set()).add(x)

    def _stop(self, forward: bool) -> None:
        self.layers[forward].append(set())

    def _cheaper(self) -> bool:
        """The side whose frontier has fewer steps to follow (forward on a tie).

        Both are counted under a cap that grows eightfold until one count falls below it, so a side with a hub
        is never counted in full when the other is small.
        """
        cap = FIRST_CAP
        while True:
            a, b = self._count(True, cap), self._count(False, cap)
            if a < cap or b < cap:
                return a <= b
            cap *= 8

    def _count(self, forward: bool, cap: int) -> int:
        cached = self._cost[forward]
        if cached is None:
            cached = self.adjacency.fanout(sorted(self.frontier(forward)), forward, cap)
            if cached < cap:  # a capped count says only "at least cap": not kept
                self._cost[forward] = cached
        return cached

    def _expand(self, forward: bool) -> None:
        front = self.frontier(forward)
        seen = self._seen[forward]
        ahead, behind = (self.out, self.into) if forward else (self.into, self.out)
        new: set[str] = set()
        for x, n in self.adjacency.pairs(sorted(front), forward):
            self.received += 1
            ahead.setdefault(x, set()).add(n)
            behind.setdefault(n, set()).add(x)
            if n not in seen:
                seen.add(n)
                new.add(n)
        for x in front:  # a node with no step that way is expanded too (it has none)
            ahead.setdefault(x, set())
        self.layers[forward].append(new)
        self._cost[forward] = None
