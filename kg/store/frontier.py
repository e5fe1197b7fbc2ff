"""Who is next to whom on a SPARQL server: node pairs for :mod:`kg.store.meet`, and the statements of chosen steps.

A causal statement (``hkg:sign`` ±1, not negated) is reified, and — the compiled shape of
:mod:`kg.sources.rdfgraph` — also asserted as the plain triple ``subject predicate object``. A frontier only
needs to know which nodes are next to which, so :class:`Frontier` asks for the plain triples of the causal
predicates (those whose polarity is ±1: a statement's sign must equal its predicate's): one index lookup per
step on the server, measured 5–8 times faster than joining the reified statements, and no statement payload.
The plain triples may say more than the causal statements (a negated statement's twin that is not negated
asserts the same triple): a frontier that holds more is still exact, since only the steps kept are then read
as statements, and only causal ones. They must not say less: whether the graph asserts them is checked on a
sample of its statements once per revision (:meth:`Frontier.check`), and a graph that does not is walked over
its reified statements instead.

Statement ids of the kept steps (:meth:`Frontier.steps`) are found from one end of each step (servers answer
a ``VALUES`` block of node *pairs* by scanning: Oxigraph 0.5 took 4–80 s for 200 pairs at a hub): the ends
chosen by a greedy cover, each read by looking its statements up, or — at a hub, where that costs most — by
joining its index range with those of its other ends (a statement looked up costs some 30 times one gone
through in a range).

>>> causal_predicates()[:3]
['activates', 'agonist_of', 'antagonist_of']
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Mapping, Sequence
from typing import TypeVar

from kg.errors import EndpointError
from kg.ontology import schema
from kg.prefixes import expand
from kg.store.wire import BATCH, Wire, batches, curie_of, iris

__all__ = [
    "BATCH", "COUNT_BATCH", "JOIN_RATIO", "SAMPLE", "STEP_BATCH", "Frontier", "batched", "causal_predicates", "cover",
    "steps_query",
]  # fmt: skip

#: Nodes bound per ``VALUES`` block of a count (a count sends back one number).
COUNT_BATCH = 1000
#: Ends per query whose statements are joined with their steps' other ends (:meth:`Frontier.steps`).
STEP_BATCH = 32
#: An end's range is joined with its other ends' when they hold fewer than this many times its statements
#: (a statement looked up costs about 30 times one gone through in a range, on Oxigraph 0.5).
JOIN_RATIO = 30
#: Statements whose plain triple is looked for, once per revision.
SAMPLE = 500
_VOCAB = "https://w3id.org/hormone-kg/vocab#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
T = TypeVar("T")


def causal_predicates() -> list[str]:
    """The predicates whose statements are causal steps (polarity ±1), sorted."""
    return sorted(slug for slug, info in schema().predicates.items() if info.polarity != 0)


class Frontier:
    """An :class:`~kg.store.meet.Adjacency` over one endpoint's graph (see the module docstring)."""

    def __init__(self, wire: Wire) -> None:
        self.wire = wire
        #: whether the graph asserts the plain triple of every causal statement (None: not checked yet)
        self.plain: bool | None = None
        self._predicates = ", ".join(f"<{_VOCAB}{p}>" for p in causal_predicates())

    def check(self) -> bool:
        """Whether the plain triples can be walked: each of :data:`SAMPLE` causal statements has its own."""
        if self.plain is None:
            query = (
                f"SELECT ?st WHERE {{ {{ SELECT ?st ?s ?p ?o WHERE {{ ?st <{_RDF}predicate> ?p ; <{_RDF}subject> ?s ; "
                f"<{_RDF}object> ?o . FILTER(?p IN ({self._predicates})) }} LIMIT {SAMPLE} }} "
                f"FILTER NOT EXISTS {{ ?st <{_VOCAB}negated> true }} FILTER NOT EXISTS {{ ?s ?p ?o }} }} LIMIT 1"
            )
            self.plain = not self.wire.select(query)
        return self.plain

    def _pattern(self, forward: bool) -> str:
        if self.check():  # FILTER, not a second VALUES block: Oxigraph 0.5 joins two VALUES blocks slowly (7 s)
            return ("?x ?p ?n ." if forward else "?n ?p ?x .") + f" FILTER(?p IN ({self._predicates}))"
        here, there = ("subject", "object") if forward else ("object", "subject")
        return (
            f"?st <{_RDF}{here}> ?x ; <{_RDF}{there}> ?n ; <{_VOCAB}sign> ?sign . FILTER(?sign != 0) "
            f"FILTER NOT EXISTS {{ ?st <{_VOCAB}negated> true }}"
        )

    def pairs(self, nodes: Sequence[str], forward: bool, into: Collection[str] | None = None) -> list[tuple[str, str]]:
        """``(node, neighbour)`` for every causal step out of (``forward``) or into ``nodes``.

        ``into``: only the steps whose neighbour is one of these, kept on the server (a join with them as a
        sub-query of their own: a second ``VALUES`` block in the group made Oxigraph 0.5 take 80 s, a ``FILTER``
        on the neighbour 25 times longer than the join). The server still goes through the steps of ``nodes``
        (in order, cheaply), but sends back only the few that reach ``into``.
        """
        only = "" if into is None else f"{{ SELECT ?n WHERE {{ VALUES ?n {{ {iris(sorted(into))} }} }} }}"

        def query(batch: list[str]) -> str:
            steps = f"VALUES ?x {{ {iris(batch)} }} {self._pattern(forward)}"
            if into is None:
                return f"SELECT DISTINCT ?x ?n WHERE {{ {steps} }}"
            return f"SELECT DISTINCT ?x ?n WHERE {{ {{ SELECT ?x ?n WHERE {{ {steps} }} }} {only} }}"

        out: list[tuple[str, str]] = []
        for row in self.wire.rows(nodes, query, "?x ?n"):
            x, n = curie_of(row.get("x")), curie_of(row.get("n"))
            if x is not None and n is not None and (into is None or n in into):
                out.append((x, n))
        return out

    def fanout(self, nodes: Sequence[str], forward: bool, cap: int) -> int:
        """How many causal steps leave (``forward``) or enter ``nodes``; at least ``cap`` once there are that many."""
        total = 0
        for batch in batches(list(nodes), COUNT_BATCH):
            left = cap - total
            query = (
                f"SELECT (COUNT(*) AS ?c) WHERE {{ {{ SELECT ?x WHERE {{ VALUES ?x {{ {iris(batch)} }} "
                f"{self._pattern(forward)} }} LIMIT {left} }} }}"
            )
            rows = self.wire.select(query)
            try:
                total += int(rows[0]["c"]["value"])
            except (IndexError, KeyError, TypeError, ValueError):
                raise EndpointError(f"{self.wire.endpoint.query} answered a count that is not a number") from None
            if total >= cap:
                break
        return total

    def statements(
        self, nodes: Collection[str], forward: bool, wanted: Mapping[str, set[str]] | None = None
    ) -> list[tuple[str, str, str]]:
        """``(statement, subject, object)`` of the causal statements out of (``forward``) or into ``nodes``.

        ``wanted`` (node -> the other ends wanted) keeps only the steps to those, filtered on the server (the
        answer holds only them: no paging through a hub's statements).
        """
        here, there = ("subject", "object") if forward else ("object", "subject")

        def query(batch: list[str]) -> str:
            only = ""
            if wanted is not None:
                ends = sorted({n for x in batch for n in wanted.get(x, ())})
                only = f"FILTER(?n IN ({', '.join(f'<{expand(n)}>' for n in ends)}))"
            return (
                f"SELECT ?st ?x ?n WHERE {{ VALUES ?x {{ {iris(batch)} }} ?st <{_RDF}{here}> ?x ; "
                f"<{_RDF}{there}> ?n ; <{_VOCAB}sign> ?sign . FILTER(?sign != 0) {only} "
                f"FILTER NOT EXISTS {{ ?st <{_VOCAB}negated> true }} }}"
            )

        out: list[tuple[str, str, str]] = []
        for row in self.wire.rows(sorted(nodes), query, "?st"):
            st, x, n = curie_of(row.get("st")), curie_of(row.get("x")), curie_of(row.get("n"))
            if st is None or x is None or n is None or (wanted is not None and n not in wanted.get(x, ())):
                continue
            out.append((st, x, n) if forward else (st, n, x))
        return out

    def degrees(self, nodes: Collection[str], forward: bool) -> dict[str, int]:
        """How many statements have each of ``nodes`` as subject (``forward``) or object.

        That is what finding a statement from that end goes through (an index range: counted without a join).
        """
        here = "subject" if forward else "object"
        queries = [
            f"SELECT ?x (COUNT(*) AS ?c) WHERE {{ VALUES ?x {{ {iris(batch)} }} ?st <{_RDF}{here}> ?x }} GROUP BY ?x"
            for batch in batches(sorted(nodes), BATCH)
        ]
        out = dict.fromkeys(nodes, 0)
        for rows in self.wire.many(queries, self.wire.select):
            for row in rows:
                x, count = curie_of(row.get("x")), row.get("c", {}).get("value")
                if x is not None and isinstance(count, str) and count.isdigit():
                    out[x] = int(count)
        return out

    def steps(self, pairs: Collection[tuple[str, str]], degree: dict[tuple[str, bool], int]) -> list[str]:
        """The ids of the causal statements, not negated, that make the steps ``pairs`` (and maybe some not causal).

        Those not causal are dropped when read (:meth:`kg.store.pushdown.Neighbourhoods.statements`).
        A server finds a statement from one of its two ends, going through that end's statements; so the
        ends are chosen greedily by statements gone through per step covered (:func:`cover`). ``degree`` holds
        the statements known to leave ``(node, True)`` or enter ``(node, False)``; the ends it does not know
        are counted first (:meth:`degrees`, added to ``degree``). Then each chosen end is read the cheaper of
        two ways (measured on Oxigraph 0.5: 16 µs a statement looked up, 0.4–0.7 µs a statement in a range):
        its statements looked up one by one for their other end (:meth:`statements`, filtered on the server),
        or, where the other ends hold fewer than :data:`JOIN_RATIO` times its statements, its range and theirs
        gone through and joined (:func:`steps_query`: at a hub 0.9 s against 6.8 s for 10,000 statements).
        """
        for forward in (True, False):
            unknown = {p[0] if forward else p[1] for p in pairs} - {n for n, f in degree if f == forward}
            if unknown:
                degree.update(((n, forward), c) for n, c in self.degrees(unknown, forward).items())
        looked: dict[bool, dict[str, set[str]]] = {True: {}, False: {}}
        joined: list[tuple[str, bool, list[str]]] = []
        for (end, forward), steps in sorted(cover(pairs, degree).items()):
            others = sorted({v if forward else u for u, v in steps})
            if sum(degree.get((o, not forward), 0) for o in others) < JOIN_RATIO * degree[(end, forward)]:
                joined.append((end, forward, others))
            else:
                looked[forward][end] = set(others)
        found = {st for forward, wanted in looked.items() for st, _, _ in self.statements(wanted, forward, wanted)}

        def query(batch: list[tuple[str, bool, list[str]]]) -> str:
            return steps_query([([e], o) if f else (o, [e]) for e, f, o in batch])

        queries = [query(list(b)) for b in batched(joined, STEP_BATCH)]
        for rows in self.wire.many(queries, lambda q: self.wire.paged(q, "?st")):
            found.update(st for row in rows if (st := curie_of(row.get("st"))) is not None)
        return sorted(found)


def batched(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """``items`` in slices of at most ``size``.

    >>> batched([1, 2, 3], 2)
    [[1, 2], [3]]
    """
    return [items[i : i + size] for i in range(0, len(items), size)]


def steps_query(groups: Sequence[tuple[Sequence[str], Sequence[str]]]) -> str:
    """The statements, not negated, from one of the subjects to one of the objects of each ``(subjects, objects)``.

    One side of each group is one node, so every statement found is a step wanted. Each side is its own
    sub-query, so the server reads both index ranges and joins them on the statement: written as one group,
    Oxigraph 0.5 looked every statement of one end up instead; a ``FILTER`` on the sign after the join made it
    do the same, so the sign is checked when the statements are read. The few negated statements are one
    range, subtracted. An answer larger than a server's row cap is paged (:meth:`~kg.store.wire.Wire.paged`).

    >>> "MINUS" in steps_query([(["CHEBI:2704"], ["HGNC:2594"])])
    True
    """
    union = " UNION ".join(
        f"{{ {{ SELECT ?st WHERE {{ VALUES ?x {{ {iris(xs)} }} ?st <{_RDF}subject> ?x }} }} "
        f"{{ SELECT ?st WHERE {{ VALUES ?n {{ {iris(ns)} }} ?st <{_RDF}object> ?n }} }} }}"
        for xs, ns in groups
    )
    return f"SELECT DISTINCT ?st WHERE {{ {{ {union} }} MINUS {{ ?st <{_VOCAB}negated> true }} }}"


def cover(
    pairs: Collection[tuple[str, str]], degree: Mapping[tuple[str, bool], int]
) -> dict[tuple[str, bool], list[tuple[str, str]]]:
    """Ends ``(node, True)`` (a subject) or ``(node, False)`` (an object) covering every pair, and what each covers.

    Greedy weighted set cover: the end whose ``degree`` per pair still uncovered is smallest, again and again
    (the ratios only grow as pairs get covered, so a stale heap entry is pushed back with its new ratio).

    >>> sorted(cover([("H", "a"), ("H", "b"), ("x", "b")], {("H", True): 3, ("a", False): 2,
    ...                                                    ("b", False): 5, ("x", True): 9}))
    [('H', True), ('b', False)]
    """
    ends: dict[tuple[str, bool], list[tuple[str, str]]] = {}
    for u, v in pairs:
        ends.setdefault((u, True), []).append((u, v))
        ends.setdefault((v, False), []).append((u, v))
    left = set(pairs)
    heap = [(degree[end] / len(steps), end) for end, steps in ends.items()]
    heapq.heapify(heap)
    chosen: dict[tuple[str, bool], list[tuple[str, str]]] = {}
    while left and heap:
        ratio, end = heapq.heappop(heap)
        open_ = [p for p in ends[end] if p in left]
        if not open_:
            continue
        now = degree[end] / len(open_)
        if now > ratio:  # some of its pairs were covered since: try it again at its true ratio
            heapq.heappush(heap, (now, end))
            continue
        chosen[end] = open_
        left.difference_update(open_)
    return chosen
