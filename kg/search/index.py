"""The search engine's one interface: :class:`SearchIndex` over a :class:`~kg.table.StatementTable`.

Rules, all taken from the data (never from a list of predicates here):

- only causal statements (sign ±1, not negated) that the question's :class:`~kg.search.hops.Scope` admits
  are hops; the compiled hops of a scope are cached under its key;
- a ``substrate_of`` hop leaves the walk *inside* a reaction: the next hop must be the product hop of the
  same reaction (testosterone → aromatase → estradiol, never → estrone), and no path ends inside one;
- paths are simple: no node twice, except an enzyme passed *through* inside a reaction, which may serve two
  conversions (CYP17A1: pregnenolone -> 17-OH-pregnenolone -> DHEA);
- a path never joins statements about different kinds of person (men and women, mouse and human);
- every search is bounded by ``max_length`` hops and a work budget counted in expansions
  (:mod:`kg.search.budget`), and says when it stopped early (``truncated``).

The property tests compare every search with a small, obviously correct depth-first oracle
(``tests/oracle.py``) on random graphs.

>>> from kg.model import Evidence, Statement
>>> def st(i, s, p, o, sign, reaction=None):
...     return Statement(i, s, p, o, sign, ("src:x",), (Evidence("src:x", "t"),), reaction=reaction)
>>> idx = SearchIndex.build([st("a", "T", "substrate_of", "ARO", 1, "t-e2"),
...                          st("b", "ARO", "produces", "E2", 1, "t-e2"),
...                          st("c", "A4", "substrate_of", "ARO", 1, "a4-e1"),
...                          st("d", "ARO", "produces", "E1", 1, "a4-e1")])
>>> [p.nodes for p in idx.paths("T", "E1").paths]
[]
>>> [p.nodes for p in idx.paths("T", "E2").paths]
[('T', 'ARO', 'E2')]
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import numpy as np
import numpy.typing as npt

from kg.limits import LIMIT, LOOP_LENGTH, MAX_LENGTH
from kg.model import Statement
from kg.search.budget import DEFAULT_WORK, MAX_PATHS, REACH_WORK, Budget
from kg.search.cycles import find_cycles
from kg.search.hops import EVERYTHING, RawPath, Scope, SearchResult
from kg.search.paths import find_paths
from kg.search.reach import Reached, find_reach
from kg.search.rules import blocked_by, places_of, without_own_mediators
from kg.search.view import View, compile_view
from kg.table import BoolArray, StatementTable

__all__ = ["SearchIndex", "passing"]


class SearchIndex:
    """Signed, reaction- and person-aware, bounded search over a statement table (read-only)."""

    def __init__(self, table: StatementTable, circulating: Iterable[str] = ()) -> None:
        self.table = table
        self.places = places_of(table, circulating)
        self._views: dict[object, View] = {}

    @classmethod
    def build(cls, statements: Iterable[Statement], circulating: Iterable[str] = ()) -> SearchIndex:
        """The index of ``statements`` (all of them; only causal ones become hops).

        ``circulating``: the entities that carry a change between tissues (:func:`~kg.search.rules.places_of`).
        """
        return cls(StatementTable.from_statements(statements), circulating)

    def mask(self, scope: Scope, direct: bool = False) -> npt.NDArray[np.bool_]:
        """Rows that are causal and admitted by ``scope`` (asked once per distinct context).

        ``direct``: only direct mechanisms, no summaries.
        """
        t = self.table
        ok = np.array([bool(scope.admits(c)) for c in t.contexts], dtype=np.bool_)
        keep = t.causal & ok[t.context] if len(t) else np.zeros(0, dtype=np.bool_)
        if direct and t.summaries:
            keep = keep.copy()
            keep[list(t.summaries)] = False
        return keep

    def view(self, scope: Scope, direct: bool = False) -> View:
        """The compiled hops of ``scope`` (cached under its key); ``direct``: of its direct mechanisms only."""
        key = (scope.key, direct)
        view = self._views.get(key)
        if view is None:
            view = self._views[key] = compile_view(self.table, self.mask(scope, direct), self.places)
        return view

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
        """Simple signed paths ``src`` -> ``dst``, shortest first, then best supported.

        ``fixed``: what ``src`` blocks is fixed by it (:mod:`kg.search.rules`); False gives the paths that rule
        cuts too. ``through``: the first ``limit`` paths that enter one of these entities after their first step,
        of the first ``among`` paths (with ``fixed=False``: the routes the rule cuts). ``whole`` (without
        ``through``): every path, or none and ``truncated`` when the search ran out of work or found ``limit`` paths
        (then none is made).
        """
        index = self.table.node_index
        s, d = index.get(src), index.get(dst)
        if s is None or d is None:
            return SearchResult()
        view, budget = self.view(scope), Budget(work, timeout)
        cut = blocked_by(view, s) if fixed else None
        if through:
            wanted = np.zeros(len(self.table.nodes), dtype=np.bool_)
            wanted[[index[n] for n in through if n in index]] = True
            # mechanism paths come first (below): when `limit` of them pass through, they are the answer
            direct = self.view(scope, direct=True) if self.table.summaries else view
            found = find_paths(direct, scope.person, s, d, max_length=max_length, sign=sign, limit=limit,
                               budget=budget, cut=cut, through=wanted, among=among)  # fmt: skip
            if len(found.paths) < limit and self.table.summaries:  # all the paths below, then those through
                found = SearchIndex.paths(self, src, dst, scope, max_length=max_length, sign=sign, limit=among,
                                          work=work, timeout=timeout, fixed=fixed)  # fmt: skip
                found.paths = passing(found.paths, through)[:limit]
            return found
        if not self.table.summaries:  # every statement is a direct mechanism: one search
            return find_paths(
                view, scope.person, s, d, max_length=max_length, sign=sign, limit=limit, budget=budget, cut=cut,
                whole=whole,
            )  # fmt: skip
        # mechanism first (paths of direct steps only), then the paths with summaries (never through their own
        # mediators): issue 14, rules 5 and 8

        def search(v: View, limit: int, whole: bool = False, taking: BoolArray | None = None) -> SearchResult:
            return find_paths(
                v, scope.person, s, d, max_length=max_length, sign=sign, limit=limit, budget=budget, cut=cut,
                whole=whole, taking=taking,
            )  # fmt: skip

        mechanism = search(self.view(scope, direct=True), limit, whole)
        if mechanism.truncated and whole:  # out of work, or `limit` mechanism paths: not every path
            return mechanism
        seen = {_shape(p) for p in mechanism.paths}
        out = SearchResult(list(mechanism.paths), mechanism.truncated, budget.timed_out)
        # a complete mechanism search found every path of direct steps (their shapes are seen): only the paths that
        # take a summary are made (the search goes as far as when it makes them all)
        taking = None if mechanism.truncated else view.summary_hop
        ask = limit
        while len(out.paths) < limit and not budget.exhausted:
            more = search(view, ask, taking=taking)
            fresh = [p for p in map(without_own_mediators, more.paths) if p is not None and _shape(p) not in seen]
            complete = (len(more.paths) if taking is None else more.counted) < ask or more.truncated
            if len(out.paths) + len(fresh) >= limit or complete:
                out.paths.extend(fresh[: limit - len(out.paths)])
                out.truncated = out.truncated or more.truncated
                break
            ask *= 4  # summaries through their own mediators took places: ask for more
        out.truncated = out.truncated or (budget.exhausted and len(out.paths) < limit)
        out.timed_out = budget.timed_out
        if whole and (out.truncated or len(out.paths) >= limit):
            return SearchResult([], True, out.timed_out)
        return out

    def blocked(self, start: str, scope: Scope = EVERYTHING) -> list[str]:
        """What ``start`` blocks in ``scope`` (its ``inhibits`` / ``antagonist_of`` targets), fixed by it."""
        s = self.table.node_index.get(start)
        if s is None:
            return []
        cut = blocked_by(self.view(scope), s)
        return [] if cut is None else [self.table.nodes[int(n)] for n in np.flatnonzero(cut)]

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
        """Every (node, sign) a simple path from ``start`` reaches (``reverse``: that reach ``start``).

        Forward, what ``start`` blocks is fixed by it (:mod:`kg.search.rules`); reverse, every path has its
        own start, and no node is fixed. None when ``start`` is in no statement.
        """
        s = self.table.node_index.get(start)
        if s is None:
            return None
        view, budget = self.view(scope), Budget(work, timeout)
        cut = None if reverse else blocked_by(view, s)
        return find_reach(view, scope.person, s, max_length=max_length, reverse=reverse, budget=budget, cut=cut)

    def cycles(
        self,
        scope: Scope = EVERYTHING,
        *,
        max_length: int = LOOP_LENGTH,
        work: int = DEFAULT_WORK,
        timeout: float | None = None,
    ) -> SearchResult:
        """Every simple signed cycle (best ranked first), and whether the budget cut the search short."""
        budget = Budget(work, timeout)
        loops, truncated = find_cycles(self.view(scope), scope.person, max_length=max_length, budget=budget)
        return SearchResult(loops, truncated, budget.timed_out)


def passing(paths: Iterable[RawPath], through: Collection[str]) -> list[RawPath]:
    """The paths that enter one of ``through`` after their first step."""
    wanted = set(through)
    return [p for p in paths if not wanted.isdisjoint(p.nodes[2:])]


def _shape(p: RawPath) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """A path's nodes and signs (the same path found with and without summaries)."""
    return p.nodes, tuple(h.sign for h in p.hops)
