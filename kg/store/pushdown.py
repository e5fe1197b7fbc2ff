"""Query push-down: each question over an endpoint reads only what lies on its walks, then asks the engine there.

A question from ``source`` to ``target`` (``causal_paths``, ``effect``, ``explain``, ``compare``) only ever
walks causal steps on walks of a few steps from the one to the other. A :class:`Neighbourhood` finds those
steps with node-only frontier queries (:mod:`kg.store.meet` over :mod:`kg.store.frontier`: who is next to
whom, no statement payload, the cheaper side first), and reads in full — with ``CONSTRUCT``, evidence and
context — only the statements of the steps it keeps, for the walks of at most ``level`` steps:

- those statements, and the ``located_in`` statements of their nodes; for each tissue any statement's
  context names, one statement naming it and one about it (the engine's tissue vocabulary is the whole
  graph's: these keep it the same);
- the sources' own first steps (what a source blocks), and the balls a search asked for (:mod:`kg.store.watch`);
- the entities of every node, the entities below the source and target (a class's members, a measure's
  narrower measures), the findings of the sources with their sources, every population and regimen.

The local graph it makes carries a :class:`~kg.store.watch.Watched` index, which says whether an answer
needed more than ``level`` steps, or a ball not read: :mod:`kg.store.served` then asks for the next level
(the search grows one more layer on its cheaper side) and asks again. Most questions stop one or two steps
past the shortest walk. ``downstream`` / ``upstream`` read the whole ball of ``max_length`` around their
entity (:class:`Plan`); ``feedback_loops`` the walks from an entity back to itself. Names are resolved by
server queries. Everything is cached per *revision* of the server's data (:func:`kg.store.remote.revision`):
a new ``push`` invalidates it. Nothing downloads the whole graph; a question that would read more than
:data:`MAX_STATEMENTS` statements raises :class:`~kg.errors.QueryError`.

>>> plan = Plan().add(["CHEBI:2704"], forward=3)
>>> plan.forward
{'CHEBI:2704': 3}
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from kg.errors import QueryError, ValidationError
from kg.model import Curation
from kg.prefixes import expand
from kg.sources.rdf import RdfInput, read_rdf
from kg.store.endpoint import Endpoint
from kg.store.frontier import Frontier
from kg.store.meet import Walks
from kg.store.names import Names
from kg.store.remote import DEFAULT_TIMEOUT, revision
from kg.store.store import Store
from kg.store.watch import Ball, Watched
from kg.store.wire import BATCH, WORKERS, Read, Wire, batches, curie_of, has_triples, iris

__all__ = ["KEPT", "MAX_STATEMENTS", "READ_BATCH", "Neighbourhood", "Neighbourhoods", "Plan"]

#: The most statements one question may read from the server.
MAX_STATEMENTS = 500_000
#: Questions whose neighbourhoods are kept (per revision) for the next question between the same entities.
KEPT = 8
#: The most statements read in full per request (Oxigraph 0.5 read 2,000 in 15 % less time in batches of 1,000
#: than of 200).
READ_BATCH = 1000

S = TypeVar("S", bound=Store)
_VOCAB = "https://w3id.org/hormone-kg/vocab#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"


@dataclass
class Plan:
    """Whole balls to read (node -> depth, forward and backward), and whose findings and members to read."""

    forward: dict[str, int] = field(default_factory=dict)
    backward: dict[str, int] = field(default_factory=dict)
    findings_of: set[str] = field(default_factory=set)

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
        self.wire = Wire(endpoint, timeout)
        self.frontier = Frontier(self.wire)
        self._revision: str | None = None
        self._background: list[RdfInput] | None = None
        self._background_records: Curation | None = None
        self._carriers: list[str] | None = None
        self._tissues: list[str] = []
        #: entities, names and sources, looked up on the server
        self.names = Names(self.wire)
        self._kept: OrderedDict[tuple[Any, ...], Neighbourhood[S]] = OrderedDict()

    def __repr__(self) -> str:
        return f"<Neighbourhoods of {self.endpoint!r}>"

    @property
    def counts(self) -> dict[str, int]:
        """Queries sent, rows received, statements read in full (for the benchmark and the tests)."""
        return self.wire.counts

    # ------------------------------------------------------------------ freshness
    def refresh(self) -> bool:
        """Ask the server for its revision; forget everything cached when the data changed (and say so)."""
        now = revision(self.endpoint, timeout=self.timeout)
        if now == self._revision:
            return False
        self._revision = now
        self.forget()
        return True

    def forget(self) -> None:
        """Drop every cache (names, neighbourhoods, populations, tissues): the next question asks again."""
        self._background, self._background_records, self._carriers = None, None, None
        self.frontier.plain = None
        self.names.forget()
        self.wire.forget()
        self._kept.clear()

    def narrower(self, curie: str) -> list[str]:
        """``curie`` and every entity below it through ``skos:broader`` (a class's members), from the server."""
        rows = self.wire.select(f"SELECT DISTINCT ?e WHERE {{ ?e <{_SKOS}broader>+ <{expand(curie)}> }}")
        return [curie, *sorted({c for row in rows if (c := curie_of(row.get("e"))) is not None} - {curie})]

    def background(self) -> list[RdfInput]:
        """Every population and regimen (read once per revision): contexts are parsed against them."""
        if self._background is None:
            classes = f"<{_VOCAB}Population> <{_VOCAB}Regimen>"
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c ; ?p ?o }}"
            self._background = [self.wire.construct(query, "populations")]
        return self._background

    def background_records(self) -> Curation:
        """The populations and regimens of :meth:`background`, parsed once per revision.

        The handle's own records, and what every question's subgraph is read with.
        """
        if self._background_records is None:
            records, _, problems = read_rdf([i for i in self.background() if has_triples(i)])
            if problems:
                raise ValidationError(problems, what=f"the graph at {self.endpoint.query}")
            self._background_records = Curation(populations=records.populations, regimens=records.regimens)
        return self._background_records

    def holds_data(self) -> bool:
        """Whether the endpoint's graph holds any hormone-kg statement or entity."""
        query = f"SELECT ?s WHERE {{ {{ ?s a <{_VOCAB}Statement> }} UNION {{ ?s <{_RDFS}label> ?l }} }} LIMIT 1"
        return bool(self.wire.select(query))

    def carriers(self) -> list[str]:
        """For each tissue some statement's context names, one such statement and one about the tissue."""
        if self._carriers is None:
            named = (
                f"SELECT ?t (MIN(STR(?st)) AS ?one) WHERE {{ ?st <{_VOCAB}tissue> ?t . ?st <{_RDF}subject> ?s }} "
                "GROUP BY ?t"
            )
            rows = self.wire.select(named)
            self._tissues = sorted({c for row in rows if (c := curie_of(row.get("t")))})
            carriers = {c for row in rows if (c := curie_of(row.get("one")))}
            for batch in batches(self._tissues, BATCH):
                about = (
                    f"SELECT ?x (MIN(STR(?st)) AS ?one) WHERE {{ VALUES ?x {{ {iris(batch)} }} "
                    f"{{ ?st <{_RDF}subject> ?x }} UNION {{ ?st <{_RDF}object> ?x }} }} GROUP BY ?x"
                )
                carriers.update(c for row in self.wire.select(about) if (c := curie_of(row.get("one"))))
            self._carriers = sorted(carriers)
        return self._carriers

    def located(self, nodes: Sequence[str]) -> list[str]:
        """The ``located_in`` statements of those ``nodes`` located in a tissue that some context names.

        Only those places count for tissue locality (:func:`kg.search.rules.places_of`: a node's one place,
        among the tissues contexts name): the nodes are found by their plain ``located_in`` triples, and all
        the ``located_in`` statements of each are read (a node in two places has none).
        """
        self.carriers()
        tissues = set(self._tissues)
        if not tissues or not nodes:
            return []
        if self.frontier.check():
            rows = self.wire.rows(
                nodes,
                lambda b: f"SELECT ?x ?o WHERE {{ VALUES ?x {{ {iris(b)} }} ?x <{_VOCAB}located_in> ?o }}",
                "?x ?o",
            )
            nodes = sorted({x for r in rows if curie_of(r.get("o")) in tissues and (x := curie_of(r.get("x")))})

        def query(batch: list[str]) -> str:
            return (
                f"SELECT ?st WHERE {{ VALUES ?x {{ {iris(batch)} }} ?st <{_RDF}subject> ?x ; "
                f"<{_RDF}predicate> <{_VOCAB}located_in> }}"
            )

        return [c for row in self.wire.rows(nodes, query, "?st") if (c := curie_of(row.get("st")))]

    def finding_ids(self, values: Sequence[str], by: str) -> set[str]:
        """The findings whose ``by`` (``intervention`` or ``source``) is one of ``values``."""
        prop = "<http://purl.org/dc/terms/source>" if by == "source" else f"<{_VOCAB}{by}>"

        def query(batch: list[str]) -> str:
            return f"SELECT DISTINCT ?f WHERE {{ ?f a <{_VOCAB}Finding> ; {prop} ?x . VALUES ?x {{ {iris(batch)} }} }}"

        return {c for row in self.wire.rows(values, query, "?f") if (c := curie_of(row.get("f"))) is not None}

    def findings(self, ids: Sequence[str], read: Read) -> list[RdfInput]:
        """Findings with their evidence (``read`` noting the entities and sources they name)."""
        queries = [
            f"CONSTRUCT {{ ?f ?p ?o . ?ev ?q ?v }} WHERE {{ VALUES ?f {{ {iris(batch)} }} "
            f"{{ ?f ?p ?o }} UNION {{ ?f <{_VOCAB}evidence> ?ev . ?ev ?q ?v }} }}"
            for batch in batches(list(ids), BATCH // 4)
        ]
        return self.wire.many(queries, lambda q: self.wire.construct(q, "findings", read))

    def statements(self, ids: Sequence[str], read: Read, *, causal: bool = False) -> list[RdfInput]:
        """Statements in full (evidence, context), ``read`` noting them, their nodes and sources.

        ``causal``: only those whose sign is not 0 (checked on the server as each is read: a lookup there
        costs nothing more, its statement's triples are next to its sign).
        """
        only = f"?st <{_VOCAB}sign> ?sign . FILTER(?sign != 0) " if causal else ""
        untyped = f"<{_RDF}type>"  # a statement or evidence is known by its IRI: its types are not read (a fifth less)
        size = min(max(-(-len(ids) // WORKERS), BATCH // 2), READ_BATCH)  # every worker busy, few requests
        queries = [
            f"CONSTRUCT {{ ?st ?p ?o . ?ev ?q ?v }} WHERE {{ VALUES ?st {{ {iris(batch)} }} {only}"
            f"{{ ?st ?p ?o FILTER(?p != {untyped}) }} UNION "
            f"{{ ?st <{_VOCAB}evidence> ?ev . ?ev ?q ?v FILTER(?q != {untyped}) }} }}"
            for batch in batches(list(ids), size)
        ]
        before = len(read.statements)
        out = self.wire.many(queries, lambda q: self.wire.construct(q, "statements", read))
        self.wire.tally("statements", len(read.statements) - before)
        return out

    # ------------------------------------------------------------------ subgraphs
    def between(
        self, sources: Sequence[str], targets: Sequence[str], *, findings: bool, quotes: bool = False
    ) -> Neighbourhood[S]:
        """The neighbourhood of the walks from ``sources`` to ``targets`` (kept for the next question on them).

        ``findings``: with the findings of the sources; ``quotes``: with every finding that cites a source of
        a statement read (whom that source studied decides which of its sentences ``explain`` quotes).
        """
        key = (tuple(sources), tuple(targets), findings, quotes)
        hood = self._kept.get(key)
        if hood is None:
            hood = self._kept[key] = Neighbourhood(self, sources, targets, findings=findings, quotes=quotes)
            while len(self._kept) > KEPT:
                self._kept.popitem(last=False)
        self._kept.move_to_end(key)
        return hood

    def subgraph(self, plan: Plan) -> S:
        """The store of the whole balls ``plan`` names (``downstream``, ``upstream``)."""
        hood = Neighbourhood(self, [], [], findings=False)
        hood.findings_of = set(plan.findings_of)
        hood.nodes |= set(plan.forward) | set(plan.backward)
        for depths, forward in ((plan.forward, True), (plan.backward, False)):
            for n, d in depths.items():
                hood.take(self._ball(n, d, forward))
        return hood.store()

    def _ball(self, node: str, depth: int, forward: bool) -> list[str]:
        """Every causal statement within ``depth`` steps of ``node`` (forward or backward)."""
        seen, front, found = {node}, {node}, set[str]()
        for _ in range(depth):
            if not front:
                break
            rows = self.frontier.statements(front, forward)
            found.update(st for st, _, _ in rows)
            if len(found) > MAX_STATEMENTS:
                raise QueryError(
                    f"the neighbourhood of this question exceeds {MAX_STATEMENTS:,} statements on "
                    f"{self.endpoint.query}: lower max_length, or load a local copy (g.local())"
                )
            front = {v if forward else u for _, u, v in rows} - seen
            seen |= front
        return sorted(found)


class Neighbourhood(Generic[S]):
    """What one question has read so far: the walks between its entities, the statements, their surroundings."""

    def __init__(
        self,
        over: Neighbourhoods[S],
        sources: Sequence[str],
        targets: Sequence[str],
        *,
        findings: bool,
        quotes: bool = False,
    ) -> None:
        self.over = over
        self.quotes = quotes
        self.walks = Walks(sources, targets, over.frontier)
        self.findings_of = set(sources) if findings else set()
        self.read: set[str] = set()  # statements read in full
        self.nodes: set[str] = set(sources) | set(targets)
        self.inputs: list[RdfInput] = []
        self._cited: set[str] = set()  # sources named by what was read
        self._quoted: set[str] = set()  # sources named by statements, whose findings were looked for
        self._findings: set[str] = set()  # findings read
        self._described: set[str] = set()
        self._located: set[str] = set()
        self._pairs: set[tuple[str, str]] = set()  # steps whose statements were read
        self._asked: set[str] = set()  # statements asked for as causal steps (those not causal were not read)
        self._counted: dict[tuple[str, bool], int] = {}  # statements of (node, True: as subject / False: object)
        self._balls: dict[tuple[str, bool], list[list[tuple[str, str]]]] = {}  # whole layers of balls
        #: (node, forward, layer) -> the nodes a ball's layer was asked to reach, and the steps found into them
        self._probes: dict[tuple[str, bool, int], tuple[set[str], list[tuple[str, str]]]] = {}
        self._started = False

    def at(self, level: int, balls: Iterable[Ball] = (), near: Iterable[str] | None = None) -> tuple[S, Watched]:
        """:meth:`walked`, its index watching its searches (:class:`~kg.store.watch.Watched`)."""
        balls = set(balls)
        local = self.walked(level, balls, near)
        watch = Watched(local.index, level=level, sources=self.walks.sources, targets=self.walks.targets, balls=balls)
        local.index = watch
        return local, watch

    def walked(self, level: int, balls: Iterable[Ball] = (), near: Iterable[str] | None = None) -> S:
        """The subgraph of the walks of at most ``level`` steps, the sources' first steps and ``balls``.

        A ball holds the steps its reach search spends work on, and its last steps into the nodes ``near``
        (default: every node of the walks).
        """
        self._steps(self._wanted(level, balls, near))
        return self.store()

    def grows(self, level: int, balls: Iterable[Ball] = (), near: Iterable[str] | None = None) -> bool:
        """Whether :meth:`walked` with these arguments would read a step not read yet (else it is the same graph)."""
        return not self._wanted(level, balls, near) <= self._pairs

    def _wanted(self, level: int, balls: Iterable[Ball], near: Iterable[str] | None) -> set[tuple[str, str]]:
        walked = self.walks.steps(level)
        interest = {n for step in walked for n in step} if near is None else set(near)
        interest |= set(self.walks.sources) | set(self.walks.targets)
        pairs = set(walked)
        for node, forward, steps in balls:
            pairs.update(self._ball(node, forward, steps, interest))
        return pairs

    def _steps(self, pairs: set[tuple[str, str]]) -> None:
        if not self._started:  # the sources' own first steps: what they block is part of every answer
            self._started = True
            self.take(st for st, _, _ in self.over.frontier.statements(self.walks.sources, True))
        new = pairs - self._pairs
        self._pairs |= new
        if new:
            self.take(self.over.frontier.steps(new, self._counted), causal=True)

    def _ball(self, node: str, forward: bool, steps: int, interest: set[str]) -> list[tuple[str, str]]:
        """The steps a reach of ``steps`` from ``node`` takes to nodes of ``interest`` (all of its first ones).

        The reach search spends its work on the states of every level but the last, so those levels are read
        whole; the last only where it arrives at a node a walk passes (the only nodes the feedback rule asks
        about): the same work, the same states there. That layer is asked for only into those nodes (the
        server goes through the layer, but sends back only the steps into them).
        """
        layers = self._balls.setdefault((node, forward), [])
        whole = max(steps - 1, 1 if forward else 0)

        def front(k: int) -> list[str]:  # the nodes layer k leaves from
            return [node] if k == 0 else sorted({v if forward else u for u, v in layers[k - 1]} - {node})

        while len(layers) < min(whole, steps):
            got = self.over.frontier.pairs(front(len(layers)), forward)
            layers.append([(x, n) if forward else (n, x) for x, n in got])
        out = [step for layer in layers[:whole] for step in layer]
        if steps > whole:  # the last layer: only its steps into ``interest`` are asked for (a probe)
            if len(layers) > whole:
                out.extend((u, v) for u, v in layers[whole] if (v if forward else u) in interest)
                return out
            asked, found = self._probes.setdefault((node, forward, whole), (set(), []))
            fresh = interest - asked
            if fresh:
                got = self.over.frontier.pairs(front(whole), forward, into=fresh)
                found.extend((x, n) if forward else (n, x) for x, n in got)
                asked |= fresh
            out.extend((u, v) for u, v in found if (v if forward else u) in interest)
        return out

    def take(self, statements: Iterable[str], *, causal: bool = False) -> None:
        """Read these statements in full (those not read yet); ``causal``: only those whose sign is not 0."""
        new = set(statements) - self.read
        if causal:
            new -= self._asked
            self._asked |= new
        if len(self.read) + len(new) > MAX_STATEMENTS:
            raise QueryError(
                f"the neighbourhood of this question exceeds {MAX_STATEMENTS:,} statements on "
                f"{self.over.endpoint.query}: lower max_length, or load a local copy (g.local())"
            )
        read = Read()
        self._add(self.over.statements(sorted(new), read, causal=causal))
        self.read |= read.statements if causal else new
        self.nodes |= read.nodes
        self._cited |= read.sources
        if self.quotes:
            self._quoted |= read.sources

    def _add(self, inputs: Iterable[RdfInput]) -> None:
        self.inputs.extend(i for i in inputs if has_triples(i))  # an empty answer is no input for the reader

    def store(self) -> S:
        """The local graph of everything read so far (with the nodes' surroundings read now)."""
        over = self.over
        for target in self.walks.targets:
            if target not in self._described:
                self.nodes.update(over.narrower(target))
        fresh = sorted(self.nodes - self._located)
        self._located |= set(fresh)
        self.take([*over.located(fresh), *over.carriers()])
        wanted: set[str] = set()
        if self.findings_of:
            wanted |= over.finding_ids(sorted(self.findings_of), "intervention")
            for curie in sorted(self.findings_of):
                self.nodes.update(over.narrower(curie))
            self.findings_of = set()
        if self.quotes and self._quoted:
            wanted |= over.finding_ids(sorted(self._quoted), "source")
            self._quoted = set()
        if wanted - self._findings:
            read = Read()
            self._add(over.findings(sorted(wanted - self._findings), read))
            self._findings |= wanted
            self._cited |= read.sources
            self.nodes |= read.nodes
        entities = sorted(self.nodes - self._described)
        self._described |= set(entities)
        self._add(over.names.describe(entities, "entities"))
        # the populations and regimens, parsed once per revision (no question reads them: nothing names them as
        # a node, kg.store.wire.Read, so they cannot come twice)
        records, table, problems = read_rdf(self.inputs, base=over.background_records())
        if problems:
            raise ValidationError(problems, what=f"the graph at {over.endpoint.query}")
        local = over.make(records, table)
        local.sources = over.names.sources  # a citation is read when shown, not with every statement
        return local
