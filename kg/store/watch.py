"""A subgraph's search index that knows whether its answers are those of the whole graph: :class:`Watched`.

Over an endpoint a question is asked of a subgraph that holds every step of the walks of at most ``level``
steps between its sources and targets (:mod:`kg.store.meet`), plus whatever else it was given (balls around
some nodes). Each search the question makes is then run with at most ``level`` steps, and watched:

- a path search asked for ``max_length <= level`` is exact (every walk it may take is there);
- a longer one is exact when it *stopped on its own* within ``level`` steps: the engine finds the paths one
  length at a time and stops at the first length where it holds ``limit`` paths, or where a level overflows
  (``truncated``), and the lengths up to ``level`` are the same in the subgraph as in the whole graph. With
  summaries in the graph, the mechanism search (direct steps only) runs first and must itself have filled
  ``limit`` (every path returned is all-direct); otherwise the search is *short*;
- a reach search (the feedback rule's loops) is exact when its ball was read (:attr:`Watched.balls`) — for
  the nodes the paths found pass (:attr:`Watched.on_paths`), the only nodes the rule asks it about —; else
  it is *wanted*; so is the first step of a node whose blocked targets are asked for.

The caller (:mod:`kg.store.served`) reads a deeper subgraph while an answer was short, and the wanted balls
while some were missing, and asks again: the answer it returns is the whole graph's. The work budget is the
one caveat: a search that the budget cuts short in the whole graph (its dead ends count) may not be cut short
in the subgraph.

>>> from kg.model import Evidence, Statement
>>> def st(i, s, o):
...     return Statement(i, s, "increases", o, 1, ("src:x",), (Evidence("src:x", "t"),))
>>> base = SearchIndex.build([st("a", "A", "B"), st("b", "B", "C"), st("c", "A", "C")])
>>> watch = Watched(base, level=1, sources={"A"}, targets={"C"})
>>> [p.nodes for p in watch.paths("A", "C", limit=1).paths], watch.short
([('A', 'C')], False)
>>> [p.nodes for p in watch.paths("A", "C", limit=5).paths], watch.short
([('A', 'C')], True)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from kg.limits import LIMIT, LOOP_LENGTH, MAX_LENGTH
from kg.search import DEFAULT_WORK, EVERYTHING, MAX_PATHS, REACH_WORK, Reached, Scope, SearchIndex, SearchResult
from kg.search.index import passing

__all__ = ["Ball", "Watched"]

#: A ball around a node: (node, forward, steps).
Ball = tuple[str, bool, int]


class Watched(SearchIndex):
    """The search index of a subgraph exact for walks of ``level`` steps between ``sources`` and ``targets``."""

    def __init__(
        self,
        base: SearchIndex,
        *,
        level: int,
        sources: Iterable[str],
        targets: Iterable[str],
        balls: Iterable[Ball] = (),
    ) -> None:
        super().__init__(base.table)
        self.places = base.places  # the subgraph's tissues, worked out once by the index it watches
        self.level = level
        self.sources, self.targets = frozenset(sources), frozenset(targets)
        self.balls = frozenset(balls)
        #: some search could not be answered within ``level`` steps (read deeper, ask again)
        self.short = False
        #: ... and one made before any reach search (so whatever the balls, deeper is needed)
        self.short_early = False
        self._reached = False
        #: balls some search needed that were not read
        self.wants: set[Ball] = set()
        #: a search this subgraph cannot answer at any depth (between other entities, or all cycles)
        self.foreign: list[str] = []
        #: the nodes of every path a search returned (the only nodes the feedback rule asks a ball about)
        self.on_paths: set[str] = set()

    def paths(
        self,
        src: str,
        dst: str,
        scope: Scope = EVERYTHING,
        *,
        max_length: int = MAX_LENGTH,
        sign: int | None = None,
        limit: int = LIMIT,
        work: int = DEFAULT_WORK,
        timeout: float | None = None,
        fixed: bool = True,
        through: Collection[str] = (),
        among: int = MAX_PATHS,
        whole: bool = False,
    ) -> SearchResult:
        """:meth:`SearchIndex.paths` with at most :attr:`level` steps, noting whether that was enough.

        With ``through`` or ``whole``, the search of every path is made (what it needed is noted, as for any search)
        and then the paths through are kept, or all of them or none.
        """
        if src not in self.sources or dst not in self.targets:
            self.foreign.append(f"paths {src} -> {dst}")
        if fixed:
            self._first_steps(src)
        steps = min(max_length, self.level)
        if through:
            limit, shown = among, limit
        found = super().paths(
            src, dst, scope, max_length=steps, sign=sign, limit=limit, work=work, timeout=timeout, fixed=fixed
        )
        if max_length > steps and not self._stopped(found, limit):
            self.short = True
            self.short_early = self.short_early or not self._reached
        self.on_paths.update(n for p in found.paths for n in p.nodes)
        if through:
            found.paths = passing(found.paths, through)[:shown]
        elif whole and (found.truncated or len(found.paths) >= limit):
            found = SearchResult([], True, found.timed_out)
        return found

    def _stopped(self, found: SearchResult, limit: int) -> bool:
        """Whether a search stopped on its own (``limit`` paths, or an overflowing level) within :attr:`level`."""
        if self.table.summaries:  # the mechanism search must have filled the limit by itself
            direct = all(not st.summary for p in found.paths for h in p.hops for st in h.statements)
            return len(found.paths) >= limit and direct
        return len(found.paths) >= limit or found.truncated

    def _first_steps(self, node: str) -> None:
        if node not in self.sources and not any(b[0] == node and b[1] for b in self.balls):
            self.wants.add((node, True, 1))

    def blocked(self, start: str, scope: Scope = EVERYTHING) -> list[str]:
        """:meth:`SearchIndex.blocked`, noting when ``start``'s first steps were not read."""
        self._first_steps(start)
        return super().blocked(start, scope)

    def reach(
        self,
        start: str,
        scope: Scope = EVERYTHING,
        *,
        max_length: int = MAX_LENGTH,
        reverse: bool = False,
        work: int = REACH_WORK,
        timeout: float | None = None,
    ) -> Reached | None:
        """:meth:`SearchIndex.reach`, noting when the ball it walks was not read."""
        self._reached = True  # the searches after this one may depend on what the ball holds
        ball = (start, not reverse, max_length)
        if ball not in self.balls:
            self.wants.add(ball)
        return super().reach(start, scope, max_length=max_length, reverse=reverse, work=work, timeout=timeout)

    def cycles(
        self,
        scope: Scope = EVERYTHING,
        *,
        max_length: int = LOOP_LENGTH,
        work: int = DEFAULT_WORK,
        timeout: float | None = None,
    ) -> SearchResult:
        """:meth:`SearchIndex.cycles`: every cycle of the whole graph is not in a subgraph of walks."""
        self.foreign.append("cycles")
        return super().cycles(scope, max_length=max_length, work=work, timeout=timeout)
