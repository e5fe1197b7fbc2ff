"""The search core: signed, reaction-aware, bounded path enumeration over a compiled index.

Statements are grouped into *hops* (same subject, object, sign and reaction role); path search walks hops.
Rules, all taken from the data (never from a list of predicates here):

- only causal statements (sign ±1, not negated) that the query context admits are hops;
- a ``substrate_of`` hop leaves the walk *inside* a reaction: the next hop must be the product hop of the
  same reaction (testosterone → aromatase → estradiol, never → estrone), and no path ends inside one;
- paths are simple: no node twice, except an enzyme passed *through* inside a reaction, which may serve two
  conversions (CYP17A1: pregnenolone -> 17-OH-pregnenolone -> DHEA);
- a path never joins statements about different kinds of person (men and women, mouse and human);
- the search stops at ``max_length`` hops, at a node budget and at a time budget, and says so (``truncated``).

>>> from kg.model import Statement, Evidence
>>> def st(i, s, p, o, sign, reaction=None):
...     return Statement(i, s, p, o, sign, ("src:x",), (Evidence("src:x", "t"),), reaction=reaction)
>>> idx = CausalIndex.build([
...     st("a", "T", "substrate_of", "ARO", 1, "t-e2"), st("b", "ARO", "produces", "E2", 1, "t-e2"),
...     st("c", "A4", "substrate_of", "ARO", 1, "a4-e1"), st("d", "ARO", "produces", "E1", 1, "a4-e1")])
>>> [tuple(p.nodes) for p in idx.paths("T", "E1", lambda s: True).paths]
[]
>>> [tuple(p.nodes) for p in idx.paths("T", "E2", lambda s: True).paths]
[('T', 'ARO', 'E2')]
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from kg.model import Statement

__all__ = ["DEFAULT_BUDGET_S", "MAX_NODE_EXPANSIONS", "CausalIndex", "Hop", "RawPath", "SearchResult"]

#: Wall-clock budget of one search, in seconds; past it the search returns what it has, truncated.
DEFAULT_BUDGET_S = 2.0
#: Node expansions allowed per search (a second, machine-independent bound).
MAX_NODE_EXPANSIONS = 2_000_000
#: Paths kept per search before it stops as truncated.
MAX_PATHS = 20_000

_SOURCE_WEIGHT = {"src:seed-article": 0.5, "src:curator": 0.25}


def source_weight(source: str, st: Statement | None = None) -> float:
    """How much one source counts for ranking: a PMID/DOI 1 (0.75 when ``st`` rests on animal evidence: a species
    other than human), the seed article 0.5, curator inference 0.25; every source of an imported statement (one
    citing an import's ``src:import-`` origin) 0.1."""
    if st is not None and any(s.startswith("src:import-") for s in st.sources):
        return 0.1
    weight = _SOURCE_WEIGHT.get(source, 1.0)
    animal = st is not None and st.context.get("species", "NCBITaxon:9606") != "NCBITaxon:9606"
    return 0.75 if animal and weight == 1.0 else weight


@dataclass(frozen=True)
class Hop:
    """One signed step u -> v made by one or more parallel statements."""

    source: str
    target: str
    sign: int
    role: str  # "substrate" | "product" | "plain"
    reaction: str | None
    statements: tuple[Statement, ...]

    @property
    def support(self) -> float:
        """Distinct sources behind the step, weighted (see :func:`source_weight`)."""
        weights: dict[str, float] = {}
        for st in self.statements:
            for src in st.sources:
                weights[src] = max(weights.get(src, 0.0), source_weight(src, st))
        return sum(weights.values())


@dataclass(frozen=True)
class RawPath:
    """A path as hops (the engine's result, before it becomes a :class:`~kg.questions.results.CausalPath`)."""

    hops: tuple[Hop, ...]

    @property
    def nodes(self) -> tuple[str, ...]:
        """Source of the first hop, then each hop's target."""
        return (self.hops[0].source, *(h.target for h in self.hops)) if self.hops else ()

    @property
    def sign(self) -> int:
        """Product of the hops' signs."""
        product = 1
        for h in self.hops:
            product *= h.sign
        return product

    def rank(self) -> tuple[int, int, float, float, tuple[str, ...]]:
        """Shortest first, then fewest steps made only by imported statements, then the best-supported weakest
        step, then total support, then by name."""
        supports = [h.support for h in self.hops]
        tier = sum(all(any(s.startswith("src:import-") for s in st.sources) for st in h.statements) for h in self.hops)
        return (len(self.hops), tier, -min(supports, default=0), -sum(supports), self.nodes)


@dataclass
class SearchResult:
    """Paths found and whether the search stopped early."""

    paths: list[RawPath] = field(default_factory=list)
    truncated: bool = False


class _Budget:
    def __init__(self, seconds: float, expansions: int) -> None:
        self.deadline = time.perf_counter() + seconds
        self.left = expansions
        self.exhausted = False

    def spend(self) -> bool:
        """Count one expansion; False once the budget is gone."""
        self.left -= 1
        if self.left < 0:
            self.exhausted = True
        return not self.exhausted


def _step(adjacency: dict[str, list[Hop]], node: str, pending: str | None, reverse: bool) -> list[Hop]:
    """The hops a walk may take next from ``node``.

    Forward: inside a reaction (after a substrate hop) only that reaction's product hop; else any hop.
    Backward: a substrate hop only right after the product hop of the same reaction; else any other hop.
    """
    hops = adjacency.get(node, [])
    if reverse:
        return [h for h in hops if h.role != "substrate" or (pending is not None and h.reaction == pending)]
    if pending is not None:
        return [h for h in hops if h.role == "product" and h.reaction == pending]
    return hops


def _pending(hop: Hop, reverse: bool) -> str | None:
    """The reaction a walk is inside after taking ``hop`` (forward: after a substrate; backward: after a product)."""
    if reverse:
        return hop.reaction if hop.role == "product" else None
    return hop.reaction if hop.role == "substrate" else None


def _role(st: Statement) -> str:
    if st.reaction is None:
        return "plain"
    return "substrate" if st.predicate == "substrate_of" else "product"


class CausalIndex:
    """Causal statements compiled into forward and reverse hop lists (read-only)."""

    def __init__(self, statements: Iterable[Statement], circulating: Iterable[str] = ()) -> None:
        every = tuple(statements)
        self.statements = tuple(st for st in every if st.causal)
        self.circulating = frozenset(circulating)
        places: dict[str, set[str]] = defaultdict(set)
        for st in every:
            if st.predicate == "located_in" and not st.negated:
                places[st.subject].add(st.object)
        tissues = {st.context["tissue"] for st in every if "tissue" in st.context}
        #: where an entity is, when it is in exactly one place that some statement's context names (tissue locality)
        self.located = {n: next(iter(p)) for n, p in places.items() if len(p) == 1 and p <= tissues}
        self._filtered: dict[object, tuple[dict[str, list[Hop]], dict[str, list[Hop]]]] = {}

    @classmethod
    def build(cls, statements: Iterable[Statement], circulating: Iterable[str] = ()) -> CausalIndex:
        """Index the causal statements among ``statements``."""
        return cls(statements, circulating)

    def _placed(self, person: Person | None) -> Person | None:
        """``person`` plus the place of a step: the statement's tissue, else where its object is located."""
        if person is None:
            return None
        located = self.located

        def placed(st: Statement) -> Mapping[str, str]:
            q = dict(person(st))
            if "tissue" not in q and st.object in located:
                q["tissue"] = located[st.object]
            return q

        return placed

    def adjacency(
        self, admits: Callable[[Statement], bool], key: object = None
    ) -> tuple[dict[str, list[Hop]], dict[str, list[Hop]]]:
        """Forward and reverse hop lists over the statements ``admits`` keeps (cached under ``key``)."""
        if key is not None and key in self._filtered:
            return self._filtered[key]
        groups: dict[tuple[str, str, int, str, str | None], list[Statement]] = defaultdict(list)
        for st in self.statements:
            if admits(st):
                groups[(st.subject, st.object, st.sign, _role(st), st.reaction)].append(st)
        forward: dict[str, list[Hop]] = defaultdict(list)
        reverse: dict[str, list[Hop]] = defaultdict(list)
        for (u, v, sign, role, reaction), sts in sorted(groups.items(), key=lambda kv: (*kv[0][:4], kv[0][4] or "")):
            ordered = tuple(sorted(sts, key=lambda s: (-sum(source_weight(x, s) for x in s.sources), s.id)))
            hop = Hop(u, v, sign, role, reaction, ordered)
            forward[u].append(hop)
            reverse[v].append(hop)
        result = (dict(forward), dict(reverse))
        if key is not None:
            self._filtered[key] = result
        return result

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _distances(reverse: dict[str, list[Hop]], dst: str, limit: int) -> dict[str, int]:
        dist = {dst: 0}
        queue = deque([dst])
        while queue:
            v = queue.popleft()
            if dist[v] >= limit:
                continue
            for hop in reverse.get(v, ()):
                if hop.source not in dist:
                    dist[hop.source] = dist[v] + 1
                    queue.append(hop.source)
        return dist

    # ------------------------------------------------------------------ searches
    def paths(
        self,
        src: str,
        dst: str,
        admits: Callable[[Statement], bool],
        *,
        max_length: int = 6,
        sign: int | None = None,
        limit: int = 50,
        key: object = None,
        budget_s: float = DEFAULT_BUDGET_S,
        person: Person | None = None,
        cut: frozenset[str] = frozenset(),
    ) -> SearchResult:
        """Simple signed paths src -> dst, shortest first; all paths of a length are ranked before cutting.

        A node in ``cut`` (what ``src`` blocks) is entered only by a path's first hop.
        """
        forward, reverse = self.adjacency(admits, key)
        dist = self._distances(reverse, dst, max_length)
        result = SearchResult()
        if src not in dist or src == dst:
            return result
        budget = _Budget(budget_s, MAX_NODE_EXPANSIONS)
        for length in range(max(1, dist[src]), max_length + 1):
            level: list[RawPath] = []

            def visit(
                hops: list[Hop],
                hop: Hop,
                v: str,
                pending: str | None,
                length: int = length,
                level: list[RawPath] = level,
            ) -> bool:
                depth = len(hops) + 1
                if dist.get(v, length + 1) > length - depth:
                    return False
                if v == dst:
                    if depth == length and pending is None:
                        level.append(RawPath((*hops, hop)))
                    return False
                return depth < length and len(level) < MAX_PATHS

            stopped = _walk(forward, src, False, length, budget, self._placed(person), visit, cut, self.circulating)
            unique: dict[tuple[tuple[str, ...], tuple[int, ...]], RawPath] = {}
            for p in sorted(level, key=RawPath.rank):
                unique.setdefault((p.nodes, tuple(h.sign for h in p.hops)), p)
            matched = [p for p in unique.values() if sign is None or p.sign == sign]
            result.paths.extend(matched)
            if stopped or len(level) >= MAX_PATHS:
                result.truncated = True
                break
            if len(result.paths) >= limit:
                break
        result.paths = result.paths[:limit]
        return result

    def reach(
        self,
        start: str,
        admits: Callable[[Statement], bool],
        *,
        max_length: int = 6,
        reverse: bool = False,
        key: object = None,
        budget_s: float = DEFAULT_BUDGET_S,
        person: Person | None = None,
        cut: frozenset[str] = frozenset(),
    ) -> tuple[dict[tuple[str, int], RawPath], bool]:
        """For every (node, sign) reachable by a simple path of at most ``max_length`` hops, its best path.

        Forward from ``start`` (``reverse=False``) or backward into it. Returns the map and a truncated flag.
        A node in ``cut`` (what the start blocks) is entered only by a path's first hop.
        """
        forward, backward = self.adjacency(admits, key)
        best: dict[tuple[str, int], RawPath] = {}

        def visit(hops: list[Hop], hop: Hop, v: str, pending: str | None) -> bool:
            if v == start:
                return False
            if reverse or pending is None:
                candidate = RawPath((hop, *reversed(hops)) if reverse else (*hops, hop))
                known = best.get((v, candidate.sign))
                if known is None or candidate.rank() < known.rank():
                    best[(v, candidate.sign)] = candidate
            return True

        stopped = _walk(
            backward if reverse else forward, start, reverse, max_length, _budget(budget_s), self._placed(person),
            visit, cut, self.circulating,
        )  # fmt: skip
        return best, stopped

    def cycles(
        self,
        admits: Callable[[Statement], bool],
        *,
        max_length: int = 8,
        key: object = None,
        budget_s: float = DEFAULT_BUDGET_S,
        person: Person | None = None,
    ) -> tuple[list[RawPath], bool]:
        """Every simple signed cycle (as a path starting at its smallest node), and a truncated flag."""
        forward, _ = self.adjacency(admits, key)
        found: dict[tuple[tuple[str, ...], tuple[int, ...]], RawPath] = {}
        budget = _budget(budget_s)
        for start in sorted(forward):

            def visit(hops: list[Hop], hop: Hop, v: str, pending: str | None, start: str = start) -> bool:
                if v < start:
                    return False  # each cycle is found from its smallest node
                if v == start:
                    first = hops[0] if hops else hop
                    closes = pending is None or (first.role == "product" and first.reaction == pending and bool(hops))
                    if closes:
                        path = RawPath((*hops, hop))
                        found.setdefault((path.nodes, tuple(h.sign for h in path.hops)), path)
                    return False
                return True

            if _walk(forward, start, False, max_length, budget, self._placed(person), visit, (), self.circulating):
                return sorted(found.values(), key=RawPath.rank), True
        return sorted(found.values(), key=RawPath.rank), False


#: the person-level qualifiers of a statement (sex, menopausal status, age group, species), expanded
Person = Callable[[Statement], Mapping[str, str]]
Visit = Callable[[list[Hop], Hop, str, str | None], bool]


def _budget(seconds: float) -> _Budget:
    return _Budget(seconds, MAX_NODE_EXPANSIONS)


def _alternatives(hop: Hop, acc: Mapping[str, str], person: Person | None) -> Iterator[tuple[Hop, Mapping[str, str]]]:
    """The ways ``hop`` can extend a path about the kind of person described by ``acc``.

    A path never joins a statement about men to one about women (or mouse to human): a step keeps only the
    statements compatible with the qualifiers gathered so far. When the compatible statements disagree among
    themselves (one about men, one about women, none general) the walk branches, one branch per kind.
    """
    if person is None:
        yield hop, acc
        return
    fits = [st for st in hop.statements if all(acc.get(k, v) == v for k, v in person(st).items())]
    if not fits:
        return
    kinds = sorted({tuple(sorted(person(st).items())) for st in fits}, key=lambda k: (len(k), k))
    if all(set(kinds[0]) <= set(k) for k in kinds):
        kinds = kinds[:1]  # a statement about everyone (so far) covers the narrower ones
    for kind in kinds:
        merged = {**acc, **dict(kind)}
        keep = [st for st in fits if all(merged.get(k, v) == v for k, v in person(st).items())]
        lead = next(st for st in keep if tuple(sorted(person(st).items())) == kind)
        ordered = (lead, *(st for st in keep if st is not lead))
        same = ordered == hop.statements
        yield (hop if same else Hop(hop.source, hop.target, hop.sign, hop.role, hop.reaction, ordered)), merged


def blocked(statements: Iterable[Statement], start: str, admits: Callable[[Statement], bool]) -> frozenset[str]:
    """What ``start`` blocks: the objects of its admitted, not negated ``inhibits`` / ``antagonist_of`` statements."""
    return frozenset(
        s.object
        for s in statements
        if s.subject == start and s.predicate in ("inhibits", "antagonist_of") and not s.negated and admits(s)
    )


def _walk(
    adjacency: dict[str, list[Hop]],
    start: str,
    reverse: bool,
    max_depth: int,
    budget: _Budget,
    person: Person | None,
    visit: Visit,
    cut: Iterable[str] = frozenset(),
    circulating: frozenset[str] = frozenset(),
) -> bool:
    """Depth-first over simple, reaction- and person-consistent walks from ``start`` (backward if ``reverse``).

    ``visit(hops_so_far, hop, node, pending)`` sees every extension and returns whether to go deeper.
    Arriving at a node in ``circulating``, a walk forgets the tissue it gathered (tissue locality).
    Returns True when the budget ran out (the walk stopped early).
    """
    cut = frozenset(cut)
    on_path = {start}
    hops: list[Hop] = []
    transits: list[bool] = []

    def candidates(node: str, pending: str | None, acc: Mapping[str, str]) -> Iterator[tuple[Hop, Mapping[str, str]]]:
        for hop in _step(adjacency, node, pending, reverse):
            yield from _alternatives(hop, acc, person)

    stack = [candidates(start, None, {})]
    while stack:
        if not budget.spend():
            return True
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            if hops:
                last = hops.pop()
                if not transits.pop():
                    on_path.discard(last.source if reverse else last.target)
            continue
        step, acc = item
        v = step.source if reverse else step.target
        pending = _pending(step, reverse)
        # forward, an enzyme passed through inside one reaction may recur (CYP17A1 twice); backward, the enzyme
        # reached through its product may also be where the path starts, so it is a node like any other
        transit = pending is not None and not reverse
        if v in on_path and v != start and not transit:
            continue
        if v in cut and hops:  # what the start blocks is entered only by the first hop
            continue
        if not visit(hops, step, v, pending) or (v in on_path and not transit) or len(hops) + 1 >= max_depth:
            continue
        hops.append(step)
        transits.append(transit)
        if not transit:
            on_path.add(v)
        if v in circulating:
            acc = {k: x for k, x in acc.items() if k != "tissue"}
        stack.append(candidates(v, pending, acc))
    return False
