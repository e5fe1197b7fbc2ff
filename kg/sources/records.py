"""The small records of an RDF graph (findings, sources, populations, regimens) -> a :class:`~kg.model.Curation`.

Statements and entities are read by :func:`kg.sources.rdf.read_rdf` into the statement table; it hands the
rest, a few hundred triples, to :func:`read_records`. Ontology triples are ignored; anything that is not a
CURIE under a registered prefix is reported, not guessed.

>>> from kg.sources.rdfgraph import build_graph
>>> from kg.model import Curation
>>> read_records(build_graph(Curation())) == Curation()
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Protocol, TypeVar

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.errors import CurationError, Violation
from kg.model import (
    Curation,
    Evidence,
    Finding,
    Population,
    Regimen,
    Source,
    UnverifiableCitation,
)
from kg.namespaces import HKG, PREFIXES, CurieError, compress
from kg.ontology import schema
from kg.sources.rdfgraph import CONTEXT_PROPERTIES

__all__ = ["RecordTriples", "Triples", "read_records"]

T = TypeVar("T")
_VOCAB = PREFIXES["hkg"]


class Triples(Protocol):
    """The three look-ups :func:`read_records` makes (an rdflib ``Graph`` answers them, and :class:`RecordTriples`)."""

    def value(self, subject: Node, predicate: Node, /) -> Node | None:
        """One object of (subject, predicate), or None."""

    def objects(self, subject: Node, predicate: Node, /) -> Iterable[Node]:
        """Every object of (subject, predicate)."""

    def subjects(self, predicate: Node, object: Node, /) -> Iterable[Node]:
        """Every subject of (predicate, object)."""


class RecordTriples:
    """A set of triples indexed for those three look-ups only: what :func:`kg.sources.rdf.read_rdf` gathers.

    Two dictionaries instead of an rdflib ``Graph``, whose store and events cost some 18 µs a triple (a third
    of the time of the questions over an endpoint profiled went into the records read back with their
    neighbourhoods). A triple added twice is one triple; objects and subjects come in the order first added,
    as rdflib's memory store gives them.

    >>> from rdflib.namespace import RDF
    >>> t = RecordTriples()
    >>> for _ in range(2):
    ...     t.add((URIRef("x:a"), RDF.type, URIRef("x:C")))
    >>> list(t.subjects(RDF.type, URIRef("x:C"))), t.value(URIRef("x:a"), RDF.type), t.value(URIRef("x:b"), RDF.type)
    ([rdflib.term.URIRef('x:a')], rdflib.term.URIRef('x:C'), None)
    """

    def __init__(self) -> None:
        self._out: dict[tuple[Node, Node], dict[Node, None]] = {}
        self._in: dict[tuple[Node, Node], dict[Node, None]] = {}

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        """Add one triple."""
        s, p, o = triple
        self._out.setdefault((s, p), {})[o] = None
        self._in.setdefault((p, o), {})[s] = None

    def value(self, subject: Node, predicate: Node, /) -> Node | None:
        """The first object of (subject, predicate), or None."""
        found = self._out.get((subject, predicate))
        return next(iter(found)) if found else None

    def objects(self, subject: Node, predicate: Node, /) -> Iterable[Node]:
        """Every object of (subject, predicate)."""
        return list(self._out.get((subject, predicate), ()))

    def subjects(self, predicate: Node, object: Node, /) -> Iterable[Node]:
        """Every subject of (predicate, object)."""
        return list(self._in.get((predicate, object), ()))


def read_records(graph: Triples, name: str = "graph") -> Curation:
    """Every finding, source, unverifiable citation, population and regimen in ``graph``."""
    problems: list[Violation] = []
    reader = _Reader(graph, name, problems)
    cur = reader.read()
    if problems:
        raise CurationError(problems, what=name)
    return cur


class _Reader:
    def __init__(self, graph: Triples, name: str, problems: list[Violation]) -> None:
        self.g = graph
        self.name = name
        self.problems = problems
        self.categories = set(schema().categories)

    def curie(self, node: Node | None, focus: str) -> str:
        if not isinstance(node, URIRef):
            self.problems.append(Violation("registered-prefix", focus, f"expected an IRI, found {node!r}", self.name))
            return "invalid:" + str(node)
        try:
            return compress(str(node))
        except CurieError:
            self.problems.append(
                Violation("registered-prefix", focus, f"the IRI {node} is under no registered prefix", self.name)
            )
            return "invalid:" + str(node)

    def text(self, node: Node, prop: URIRef) -> str | None:
        value = self.g.value(node, prop)
        return None if value is None else str(value)

    def texts(self, node: Node, prop: URIRef) -> tuple[str, ...]:
        return tuple(sorted(str(v) for v in self.g.objects(node, prop)))

    def curies(self, node: Node, prop: URIRef, focus: str) -> tuple[str, ...]:
        return tuple(sorted(self.curie(v, focus) for v in self.g.objects(node, prop)))

    def typed(self, cls: URIRef, build: Callable[[URIRef, str], T]) -> tuple[T, ...]:
        out = []
        for node in sorted(set(self.g.subjects(RDF.type, cls)), key=str):
            if isinstance(node, URIRef):
                out.append(build(node, self.curie(node, str(node))))
            else:
                self.problems.append(Violation("no-blank-nodes", str(node), "records need IRIs", self.name))
        return tuple(out)

    def read(self) -> Curation:
        cur = Curation(
            findings=self.typed(HKG.Finding, self.finding),
            sources=self.typed(HKG.Source, self.source),
            unverifiable=self.typed(
                HKG.UnverifiableCitation,
                lambda n, c: UnverifiableCitation(c, self.text(n, HKG.citedAs) or "", self.text(n, HKG.reason) or ""),
            ),
            populations=self.typed(HKG.Population, self.population),
            regimens=self.typed(HKG.Regimen, self.regimen),
        )
        return cur.canonical()

    def context(self, node: URIRef, focus: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, prop in CONTEXT_PROPERTIES.items():
            value = self.g.value(node, prop)
            if value is not None:
                out[key] = str(value) if isinstance(value, Literal) else self.curie(value, focus)
        return out

    def evidence(self, node: URIRef, focus: str) -> tuple[Evidence, ...]:
        items = []
        for ev in sorted(self.g.objects(node, HKG.evidence), key=_evidence_order):
            items.append(Evidence(self.curie(self.g.value(ev, DCTERMS.source), focus), self.text(ev, HKG.text) or ""))
        return tuple(items)

    def finding(self, node: URIRef, focus: str) -> Finding:
        comparator = self.g.value(node, HKG.comparator)
        value = self.g.value(node, HKG.value)
        n = self.g.value(node, HKG.sampleSize)
        opt = self.g.value
        return Finding(
            id=focus.split(":", 1)[1] if focus.startswith("finding:") else focus,
            intervention=self.curie(opt(node, HKG.intervention), focus),
            measure=self.curie(opt(node, HKG.measure), focus),
            direction=self.text(node, HKG.direction) or "",
            sources=self.curies(node, DCTERMS.source, focus),
            evidence=self.evidence(node, focus),
            kind=self.text(node, HKG.findingKind) or "measured",
            phase=self.text(node, HKG.treatmentPhase) or "on-treatment",
            value_type=self.text(node, HKG.valueType) or "change",
            comparator=None
            if comparator is None
            else (str(comparator) if isinstance(comparator, Literal) else self.curie(comparator, focus)),
            population=None if opt(node, HKG.population) is None else self.curie(opt(node, HKG.population), focus),
            regimen=None if opt(node, HKG.regimen) is None else self.curie(opt(node, HKG.regimen), focus),
            duration=self.text(node, HKG.duration),
            site=None if opt(node, HKG.site) is None else self.curie(opt(node, HKG.site), focus),
            value=float(Decimal(str(value))) if value is not None else None,
            unit=self.text(node, HKG.unit),
            statistic=self.text(node, HKG.statistic),
            p_value=self.text(node, HKG.pValue),
            ci=self.text(node, HKG.confidenceInterval),
            n=int(n.toPython()) if isinstance(n, Literal) else None,
            magnitude=self.text(node, HKG.magnitude),
            note=self.text(node, SKOS.note),
        )

    def source(self, node: URIRef, focus: str) -> Source:
        year = self.g.value(node, HKG.year)
        return Source(
            id=focus,
            title=self.text(node, DCTERMS.title) or "",
            verified=self.text(node, HKG.verification) or "",
            authors=self.text(node, HKG.authors),
            journal=self.text(node, HKG.journal),
            year=int(year.toPython()) if isinstance(year, Literal) else None,
            volume=self.text(node, HKG.volume),
            issue=self.text(node, HKG.issue),
            pages=self.text(node, HKG.pages),
            doi=self.text(node, HKG.doi),
            pmid=self.text(node, HKG.pmid),
            pmcid=self.text(node, HKG.pmcid),
        )

    def population(self, node: URIRef, focus: str) -> Population:
        return Population(
            id=focus,
            label=self.text(node, RDFS.label) or "",
            qualifiers=self.context(node, focus),
            synonyms=self.texts(node, SKOS.altLabel),
            broader=self.curies(node, SKOS.broader, focus),
        )

    def regimen(self, node: URIRef, focus: str) -> Regimen:
        return Regimen(
            id=focus,
            label=self.text(node, RDFS.label) or "",
            drug=self.curie(self.g.value(node, HKG.drug), focus),
            dose=self.text(node, HKG.dose) or "",
            frequency=self.text(node, HKG.frequency) or "",
            note=self.text(node, SKOS.note),
        )


def _evidence_order(node: Node) -> tuple[int, str]:
    """Evidence nodes are ``<statement>/evidence/<n>``: order them by n, as written."""
    tail = str(node).rsplit("/", 1)[-1]
    return (int(tail), "") if tail.isdigit() else (1 << 30, str(node))
