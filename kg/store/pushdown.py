"""Query push-down: each question over an endpoint fetches only the bounded neighbourhood it needs.

A question from ``source`` to ``target`` with ``max_length`` L only ever walks causal statements on walks of
at most L steps from the one to the other. Every node of such a walk lies within ⌈L/2⌉ steps *forward* of the
source or within ⌊L/2⌋ steps *backward* of the target, and every step of it leaves a node of the first ball
or enters a node of the second. So :class:`Neighbourhoods` expands those two frontiers on the server — one
``SELECT`` per batch of :data:`BATCH` nodes, the nodes bound with ``VALUES``, only causal statements (sign
±1, not negated) — and then reads, with ``CONSTRUCT``, exactly what the engine looks at:

- the causal statements found (with evidence and context), and the ``located_in`` statements of their nodes;
- for each tissue any statement's context names, one statement naming it and one about it (the engine's
  tissue vocabulary is the whole graph's: these keep it the same);
- the entities of every node, the entities below the source and target (a class's members, a measure's
  narrower measures), the findings of the source and its members with their sources, every population and
  regimen.

The same engine (:mod:`kg.search`) then answers on that subgraph, so the answers equal those on the whole
graph: on the walks that matter the subgraph has every edge (and the same distances), and nothing else is
added that a walk could use. ``downstream`` / ``upstream`` read the ball of ``max_length`` around their entity;
``effect`` adds the two-step balls its feedback rule looks at; ``feedback_loops`` needs an entity. Names are
resolved by server queries. Everything read is cached per *revision* of the server's data
(:func:`kg.store.remote.revision`): a new ``push`` invalidates it. Nothing downloads the whole graph; a
question whose neighbourhood exceeds :data:`MAX_STATEMENTS` statements raises :class:`~kg.errors.QueryError`.

>>> plan = Plan.between(["CHEBI:2704"], ["EFO:0003923"], max_length=5).add(["EFO:0003923"], forward=2)
>>> plan.walks, plan.forward
([(('CHEBI:2704',), ('EFO:0003923',), 5)], {'EFO:0003923': 2})
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from kg.errors import EndpointError, QueryError, UnknownEntityError, ValidationError
from kg.model import Entity
from kg.namespaces import expand, is_curie
from kg.sources.rdf import RdfInput, read_rdf
from kg.store.endpoint import Endpoint
from kg.store.remote import DEFAULT_TIMEOUT, construct_bytes, revision, select
from kg.store.resolve import NameIndex
from kg.store.store import Store
from kg.store.wire import Read, batches, curie_of, distances, has_triples, iris, string_literal

__all__ = ["BATCH", "MAX_STATEMENTS", "Neighbourhoods", "Plan", "RemoteNames"]

#: Nodes (or statements) bound per ``VALUES`` block.
BATCH = 200
#: Rows per page of a frontier query (servers such as Virtuoso cap a result at their own row limit).
PAGE = 10_000
#: Requests sent at once (the batches of one step are independent).
WORKERS = 4
#: The most statements one question may read from the server.
MAX_STATEMENTS = 500_000

S = TypeVar("S", bound=Store)
T = TypeVar("T")
_VOCAB = "https://w3id.org/hormone-kg/vocab#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_SOURCE = "http://purl.org/dc/terms/source"
_TYPES = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
}
_TOKEN = re.compile(r"[a-z0-9]{3,}")


@dataclass
class Plan:
    """What a question needs: walks between entities, whole balls (node -> depth), whose findings to read."""

    forward: dict[str, int] = field(default_factory=dict)
    backward: dict[str, int] = field(default_factory=dict)
    walks: list[tuple[tuple[str, ...], tuple[str, ...], int]] = field(default_factory=list)
    findings_of: set[str] = field(default_factory=set)
    narrower_of: set[str] = field(default_factory=set)

    @classmethod
    def between(cls, sources: Iterable[str], targets: Iterable[str], *, max_length: int) -> Plan:
        """The walks of at most ``max_length`` steps from any source to any target (and the sources' own steps).

        >>> Plan.between(["A"], ["B"], max_length=6).walks
        [(('A',), ('B',), 6)]
        """
        plan = cls(walks=[(tuple(sources), tuple(targets), max_length)])
        plan.narrower_of.update(targets)
        return plan

    def add(self, nodes: Iterable[str], *, forward: int = 0, backward: int = 0) -> Plan:
        """Read the whole balls of ``forward`` steps forward and ``backward`` steps backward of ``nodes``."""
        for n in nodes:
            self.forward[n] = max(self.forward.get(n, 0), forward)
            self.backward[n] = max(self.backward.get(n, 0), backward)
        return self


class Questions(Protocol):
    """The questions of a loaded graph (what :class:`kg.KnowledgeGraph` offers)."""

    def causal_paths(self, src: str, dst: str, **options: Any) -> Any: ...
    def effect(self, src: str, dst: str, **options: Any) -> Any: ...
    def downstream(self, src: str, **options: Any) -> Any: ...
    def upstream(self, dst: str, **options: Any) -> Any: ...
    def feedback_loops(self, entity: str | None = None, **options: Any) -> Any: ...
    def compare(self, src: str, dst: str, contexts: Sequence[Any]) -> Any: ...
    def explain(self, src: str, dst: str, **options: Any) -> str: ...


class Neighbourhoods(Generic[S]):
    """Reads bounded subgraphs of one endpoint's graph, as stores of type ``make`` (cached per revision)."""

    def __init__(self, endpoint: Endpoint, make: type[S], *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.endpoint = endpoint
        self.make = make
        self.timeout = timeout
        self._revision: str | None = None
        self._background: list[RdfInput] | None = None
        self._carriers: list[str] | None = None
        self._names: dict[str, Entity] = {}
        #: statements read, entities read, queries sent (for the benchmark and tests)
        self.counts = {"queries": 0, "statements": 0}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<Neighbourhoods of {self.endpoint!r}>"

    # ------------------------------------------------------------------ freshness
    def refresh(self) -> bool:
        """Ask the server for its revision; forget everything cached when the data changed (and say so)."""
        now = revision(self.endpoint, timeout=self.timeout)
        if now == self._revision:
            return False
        self._revision, self._background, self._carriers = now, None, None
        self._names.clear()
        return True

    # ------------------------------------------------------------------ names
    def resolve(self, name: str) -> Entity:
        """The entity ``name`` denotes, looked up on the server (same rules as :class:`~kg.store.resolve.NameIndex`)."""
        if not isinstance(name, str) or not name.strip():
            raise UnknownEntityError(str(name))
        key = name.strip()
        if key not in self._names:
            self._names[key] = NameIndex(self._candidates(key)).resolve(key)
        return self._names[key]

    def search(self, text: str, limit: int = 20) -> list[Entity]:
        """Entities whose names contain ``text`` (exact, prefix, substring), best first, found on the server."""
        return NameIndex(self._candidates(text.strip(), contains=True)).search(text, limit=limit)

    def _candidates(self, key: str, *, contains: bool = False) -> list[Entity]:
        folded = key.casefold()
        ids: set[str] = set()
        if is_curie(key):
            ids.add(key)
        tokens = sorted(_TOKEN.findall(folded), key=len, reverse=True)
        probe = folded if contains or not tokens else tokens[0]
        filters = [f"LCASE(STR(?n)) = {string_literal(folded)}"]
        if probe:
            filters.append(f"CONTAINS(LCASE(STR(?n)), {string_literal(probe)})")
        query = (
            f"SELECT DISTINCT ?e WHERE {{ VALUES ?p {{ <{_RDFS}label> <{_SKOS}altLabel> <{_VOCAB}abbreviation> }} "
            f"?e ?p ?n FILTER({' || '.join(filters)}) }} LIMIT 2000"
        )
        for row in self._select(query):
            curie = curie_of(row.get("e"))
            if curie is not None:
                ids.add(curie)
        if not ids:
            return []
        records, _, _ = read_rdf(self._describe(sorted(ids), kind="entities"))
        return list(records.entities)

    # ------------------------------------------------------------------ subgraphs
    def narrower(self, curie: str) -> list[str]:
        """``curie`` and every entity below it through ``skos:broader`` (a class's members), from the server."""
        rows = self._select(f"SELECT DISTINCT ?e WHERE {{ ?e <{_SKOS}broader>+ <{expand(curie)}> }}")
        return [curie, *sorted({c for row in rows if (c := curie_of(row.get("e"))) is not None} - {curie})]

    def subgraph(self, plan: Plan) -> S:
        """The store of what ``plan`` needs (see the module docstring)."""
        statements = self._expand(plan)
        nodes = set(plan.forward) | set(plan.backward) | set(plan.findings_of) | set(plan.narrower_of)
        nodes.update(n for sources, targets, _ in plan.walks for n in (*sources, *targets))
        inputs: list[RdfInput] = []
        found = self._read(sorted(statements), "statements", inputs)
        nodes |= found.nodes
        located = self._located(sorted(nodes))
        carriers = self._tissue_carriers()
        extra = sorted((set(located) | set(carriers)) - statements)
        more = self._read(extra, "statements", inputs)
        nodes |= more.nodes
        for curie in sorted(plan.narrower_of | plan.findings_of):
            nodes.update(self.narrower(curie))
        findings = self._findings(sorted(plan.findings_of), inputs)
        sources = found.sources | more.sources | findings.sources
        inputs.extend(self._describe(sorted(nodes), kind="entities"))
        inputs.extend(self._describe(sorted(sources), kind="sources"))
        inputs.extend(self.background())
        records, table, problems = read_rdf([i for i in inputs if has_triples(i)])
        if problems:
            raise ValidationError(problems, what=f"the graph at {self.endpoint.query}")
        return self.make(records, table)

    def background(self) -> list[RdfInput]:
        """Every population and regimen (read once per revision): contexts are parsed against them."""
        if self._background is None:
            classes = f"<{_VOCAB}Population> <{_VOCAB}Regimen>"
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c ; ?p ?o }}"
            self._background = [self._construct(query, "populations")]
        return self._background

    def holds_data(self) -> bool:
        """Whether the endpoint's graph holds any hormone-kg statement or entity."""
        query = f"SELECT ?s WHERE {{ {{ ?s a <{_VOCAB}Statement> }} UNION {{ ?s <{_RDFS}label> ?l }} }} LIMIT 1"
        return bool(self._select(query))

    def _expand(self, plan: Plan) -> set[str]:
        """The causal statements ``plan`` needs: its whole balls, and the steps of its walks."""
        edges: dict[str, tuple[str, str]] = {}
        self._ball(plan.forward, True, edges)
        self._ball(plan.backward, False, edges)
        statements = set(edges)
        for sources, targets, length in plan.walks:
            found = self._meet(sources, targets, length)
            after, before = distances(found, sources, True), distances(found, targets, False)
            far = length + 1
            # a step u -> v lies on a walk of at most `length` steps iff d(source, u) + 1 + d(v, target) <= length
            # (the distances are exact on such walks: every shortest prefix or suffix of one is in the balls);
            # the sources' own first steps are kept too (what they block is part of the answer)
            statements.update(
                st
                for st, (u, v) in found.items()
                if u in sources or after.get(u, far) + 1 + before.get(v, far) <= length
            )
        self.counts["statements"] += len(statements)
        return statements

    def _meet(self, sources: Sequence[str], targets: Sequence[str], length: int) -> dict[str, tuple[str, str]]:
        """The steps of the balls of ``a`` steps forward of the sources and ``b`` backward of the targets.

        With ``a + b = length``, any split holds every walk of at most ``length`` steps (a step of one either
        leaves a node fewer than ``a`` steps from its start or enters one fewer than ``b`` steps from its end);
        each step expands the side whose frontier has fewer causal statements to follow (counted on the
        server first), so a hub on one side is left to the other.
        """
        edges: dict[str, tuple[str, str]] = {}
        seen = {True: dict.fromkeys(sources, 0), False: dict.fromkeys(targets, 0)}
        fronts = {True: set(sources), False: set(targets)}
        depth = {True: 0, False: 0}
        cost: dict[bool, float | None] = {True: None, False: None}  # None: not counted since the last step
        while depth[True] + depth[False] < length and (fronts[True] or fronts[False]):
            for side in (True, False):
                if cost[side] is None:
                    cost[side] = self._fanout(fronts[side], side) if fronts[side] else math.inf
            side = float(cost[True] or 0) <= float(cost[False] or 0)
            depth[side] += 1
            fronts[side] = self._step(fronts[side], side, seen[side], depth[side], edges)
            cost[side] = None
        return edges

    def _fanout(self, nodes: set[str], forward: bool) -> int:
        """How many causal statements leave (``forward``) or enter ``nodes``, counted on the server."""
        here = "subject" if forward else "object"
        total = 0
        for batch in batches(sorted(nodes), BATCH):
            query = (
                f"SELECT (COUNT(?st) AS ?n) WHERE {{ VALUES ?x {{ {iris(batch)} }} ?st <{_RDF}{here}> ?x ; "
                f"<{_VOCAB}sign> ?sign . FILTER(?sign != 0) }}"
            )
            rows = self._select(query)
            try:
                total += int(rows[0]["n"]["value"])
            except (IndexError, KeyError, TypeError, ValueError):
                raise EndpointError(f"{self.endpoint.query} answered a count that is not a number") from None
        return total

    def _step(
        self, front: set[str], forward: bool, seen: dict[str, int], depth: int, edges: dict[str, tuple[str, str]]
    ) -> set[str]:
        """Add the causal steps out of (``forward``) or into ``front`` to ``edges``; the nodes newly reached."""
        here, there = ("subject", "object") if forward else ("object", "subject")
        reached: set[str] = set()
        queries = [
            f"SELECT ?st ?x ?n WHERE {{ VALUES ?x {{ {iris(batch)} }} ?st <{_RDF}{here}> ?x ; "
            f"<{_RDF}{there}> ?n ; <{_VOCAB}sign> ?sign . FILTER(?sign != 0) "
            f"FILTER NOT EXISTS {{ ?st <{_VOCAB}negated> true }} }} ORDER BY ?st ?n"
            for batch in batches(sorted(front), BATCH)
        ]
        for rows in self._many(queries, lambda q: list(self._paged(q))):
            for row in rows:
                st, x, other = curie_of(row.get("st")), curie_of(row.get("x")), curie_of(row.get("n"))
                if st is None or x is None or other is None:
                    continue
                edges[st] = (x, other) if forward else (other, x)
                if other not in seen:
                    seen[other] = depth
                    reached.add(other)
        if len(edges) > MAX_STATEMENTS:
            raise QueryError(
                f"the neighbourhood of this question exceeds {MAX_STATEMENTS:,} statements on "
                f"{self.endpoint.query}: lower max_length, or load a local copy (g.local())"
            )
        return reached

    def _ball(self, depths: Mapping[str, int], forward: bool, edges: dict[str, tuple[str, str]]) -> None:
        """Add to ``edges`` (statement -> (subject, object)) the causal steps within ``depths`` of their seeds."""
        seen = {n: 0 for n, d in depths.items() if d > 0}
        front, limit = set(seen), max(depths.values(), default=0)
        # expanded while nearer than the deepest seed asks (a superset for shallower seeds: still exact)
        for step in range(1, limit + 1):
            if not front:
                break
            front = self._step(front, forward, seen, step, edges)

    def _located(self, nodes: Sequence[str]) -> list[str]:
        out: list[str] = []
        for batch in batches(list(nodes), BATCH):
            query = (
                f"SELECT ?st WHERE {{ VALUES ?x {{ {iris(batch)} }} ?st <{_RDF}subject> ?x ; "
                f"<{_RDF}predicate> <{_VOCAB}located_in> }}"
            )
            out.extend(c for row in self._paged(query + " ORDER BY ?st") if (c := curie_of(row.get("st"))))
        return out

    def _tissue_carriers(self) -> list[str]:
        if self._carriers is None:
            named = (
                f"SELECT ?t (MIN(STR(?st)) AS ?one) WHERE {{ ?st a <{_VOCAB}Statement> ; <{_VOCAB}tissue> ?t }} "
                "GROUP BY ?t"
            )
            rows = self._select(named)
            tissues = sorted({c for row in rows if (c := curie_of(row.get("t")))})
            carriers = {c for row in rows if (c := curie_of(row.get("one")))}
            for batch in batches(tissues, BATCH):
                about = (
                    f"SELECT ?x (MIN(STR(?st)) AS ?one) WHERE {{ VALUES ?x {{ {iris(batch)} }} "
                    f"{{ ?st <{_RDF}subject> ?x }} UNION {{ ?st <{_RDF}object> ?x }} }} GROUP BY ?x"
                )
                carriers.update(c for row in self._select(about) if (c := curie_of(row.get("one"))))
            self._carriers = sorted(carriers)
        return self._carriers

    def _findings(self, interventions: Sequence[str], inputs: list[RdfInput]) -> Read:
        read = Read()
        for batch in batches(list(interventions), BATCH // 4):
            query = (
                f"CONSTRUCT {{ ?f ?p ?o . ?ev ?q ?v }} WHERE {{ VALUES ?x {{ {iris(batch)} }} "
                f"?f a <{_VOCAB}Finding> ; <{_VOCAB}intervention> ?x . "
                f"{{ ?f ?p ?o }} UNION {{ ?f <{_VOCAB}evidence> ?ev . ?ev ?q ?v }} }}"
            )
            inputs.append(self._construct(query, "findings", read))
        return read

    def _read(self, statements: Sequence[str], what: str, inputs: list[RdfInput]) -> Read:
        read = Read()
        queries = [
            f"CONSTRUCT {{ ?st ?p ?o . ?ev ?q ?v }} WHERE {{ VALUES ?st {{ {iris(batch)} }} "
            f"{{ ?st ?p ?o }} UNION {{ ?st <{_VOCAB}evidence> ?ev . ?ev ?q ?v }} }}"
            for batch in batches(list(statements), BATCH)
        ]
        for item in self._many(queries, lambda q: self._construct(q, what)):
            read.scan(item.data, item.format, self.endpoint.query)
            inputs.append(item)
        return read

    def _describe(self, curies: Sequence[str], *, kind: str) -> list[RdfInput]:
        queries = [
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {iris(batch)} }} ?s ?p ?o }}"
            for batch in batches(list(curies), BATCH)
        ]
        return self._many(queries, lambda q: self._construct(q, kind))

    def _many(self, queries: Sequence[str], run: Callable[[str], T]) -> list[T]:
        """``run`` on each query, :data:`WORKERS` at a time (the server answers them in parallel), in order."""
        if len(queries) <= 1:
            return [run(q) for q in queries]
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            return list(pool.map(run, queries))

    # ------------------------------------------------------------------ the wire
    def _select(self, query: str) -> list[dict[str, Any]]:
        with self._lock:
            self.counts["queries"] += 1
        rows: list[dict[str, Any]] = select(self.endpoint, query, timeout=self.timeout)["results"]["bindings"]
        return rows

    def _paged(self, query: str) -> Iterator[dict[str, Any]]:
        offset = 0
        while True:
            rows = self._select(f"{query} LIMIT {PAGE} OFFSET {offset}")
            yield from rows
            if len(rows) < PAGE:
                return
            offset += PAGE

    def _construct(self, query: str, what: str, read: Read | None = None) -> RdfInput:
        with self._lock:
            self.counts["queries"] += 1
        ctype, body = construct_bytes(self.endpoint, query, timeout=self.timeout)
        fmt = _TYPES.get(ctype)
        if fmt is None:
            raise EndpointError(f"{self.endpoint.query} answered {ctype} to a CONSTRUCT query, which is not read here")
        if read is not None:
            read.scan(body, fmt, self.endpoint.query)
        return RdfInput(f"{self.endpoint.query} ({what})", body, fmt)


class RemoteNames(NameIndex):
    """A :class:`~kg.store.resolve.NameIndex` whose lookups are server queries (through :class:`Neighbourhoods`)."""

    def __init__(self, lookup: Callable[[str], Entity], find: Callable[[str, int], list[Entity]]) -> None:
        super().__init__(())
        self._lookup, self._find = lookup, find

    def resolve(self, name: str) -> Entity:
        """The entity ``name`` denotes, asked of the server."""
        return self._lookup(name)

    def search(self, text: str, limit: int = 20) -> list[Entity]:
        """Entities matching ``text``, asked of the server."""
        return self._find(text, limit)
