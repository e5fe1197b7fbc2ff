"""The small records of an RDF graph (findings, sources, populations, regimens) -> a :class:`~kg.model.Curation`.

Statements and entities are read by :func:`kg.sources.rdf.read_rdf` into the statement table; it hands the
rest, a few hundred triples as pyoxigraph parses them, to :func:`read_parsed`. Ontology triples are ignored;
anything that is not a CURIE under a registered prefix is reported, not guessed. Terms are plain text
(:class:`Term`): reading records imports no RDF library.

>>> import pyoxigraph as ox
>>> x = "https://w3id.org/hormone-kg/regimen/x"
>>> parsed = [(x, _VOCAB + "drug", ox.NamedNode("http://purl.obolibrary.org/obo/CHEBI_2704")),
...           (x, _VOCAB + "dose", ox.Literal("1 mg"))]
>>> described = [(x, _RDF + "type", _VOCAB + "Regimen", True), (x, _RDFS + "label", "anastrozole 1 mg", False)]
>>> read_parsed(parsed, described).regimens[0]
Regimen(id='regimen:x', label='anastrozole 1 mg', drug='CHEBI:2704', dose='1 mg', frequency='', note=None)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Literal, NamedTuple, TypeVar

import pyoxigraph as ox

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
from kg.ontology import CONTEXT_TERMS, schema
from kg.prefixes import PREFIXES, CurieError, compress

__all__ = ["RecordTriples", "Term", "read_parsed", "read_records"]

T = TypeVar("T")
_VOCAB = PREFIXES["hkg"]
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"
_CONTEXT = {key: _VOCAB + name for key, name in CONTEXT_TERMS.items()}


class Term(NamedTuple):
    """An RDF term as text: an IRI, a literal (with its datatype IRI or language, if any) or a blank node."""

    value: str
    kind: Literal["iri", "literal", "blank"]
    datatype: str | None = None
    language: str | None = None

    @classmethod
    def of(cls, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Term:
        """A term as pyoxigraph parses it."""
        if isinstance(term, ox.NamedNode):
            return cls(term.value, "iri")
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            return cls(term.value, "literal", None if datatype == _XSD_STRING else datatype, term.language)
        return cls(term.value, "blank")

    def __repr__(self) -> str:
        if self.kind == "literal":
            return repr(self.value)
        return f"<{self.value}>" if self.kind == "iri" else "_:" + self.value


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class RecordTriples:
    """A set of triples indexed for the three look-ups :func:`read_records` makes.

    Two dictionaries: a triple added twice is one triple; objects and subjects come in the order first added.
    Subjects and predicates are IRIs (text), objects :class:`Term`.

    >>> t = RecordTriples()
    >>> for _ in range(2):
    ...     t.add(("x:a", _RDF + "type", Term("x:C", "iri")))
    >>> t.subjects(_RDF + "type", Term("x:C", "iri")), t.value("x:a", _RDF + "type"), t.value("x:b", _RDF + "type")
    (['x:a'], <x:C>, None)
    """

    def __init__(self) -> None:
        self._out: dict[tuple[str, str], dict[Term, None]] = {}
        self._in: dict[tuple[str, Term], dict[str, None]] = {}

    def add(self, triple: tuple[str, str, Term]) -> None:
        """Add one triple."""
        s, p, o = triple
        self._out.setdefault((s, p), {})[o] = None
        self._in.setdefault((p, o), {})[s] = None

    def value(self, subject: str, predicate: str, /) -> Term | None:
        """The first object of (subject, predicate), or None."""
        found = self._out.get((subject, predicate))
        return next(iter(found)) if found else None

    def objects(self, subject: str, predicate: str, /) -> list[Term]:
        """Every object of (subject, predicate)."""
        return list(self._out.get((subject, predicate), ()))

    def subjects(self, predicate: str, object: Term, /) -> list[str]:
        """Every subject of (predicate, object)."""
        return list(self._in.get((predicate, object), ()))


def read_parsed(
    parsed: Iterable[tuple[str, str, ox.NamedNode | ox.BlankNode | ox.Literal]],
    described: Iterable[tuple[str, str, str, bool]] = (),
) -> Curation:
    """The records of triples as :func:`kg.sources.rdf.read_rdf` gathers them (see the module's example).

    ``parsed``: pyoxigraph's (subject IRI, predicate IRI, object term); ``described``: (subject IRI, predicate IRI,
    object text, whether the text is an IRI). Raises :class:`~kg.errors.CurationError` listing the problems.
    """
    triples = RecordTriples()
    for s, p, o in parsed:
        triples.add((s, p, Term.of(o)))
    for s, p, text, iri in described:
        triples.add((s, p, Term(text, "iri" if iri else "literal")))
    return read_records(triples, "records")


def read_records(graph: RecordTriples, name: str = "graph") -> Curation:
    """Every finding, source, unverifiable citation, population and regimen in ``graph``."""
    problems: list[Violation] = []
    reader = _Reader(graph, name, problems)
    cur = reader.read()
    if problems:
        raise CurationError(problems, what=name)
    return cur


class _Reader:
    def __init__(self, graph: RecordTriples, name: str, problems: list[Violation]) -> None:
        self.g = graph
        self.name = name
        self.problems = problems
        self.categories = set(schema().categories)

    def iri(self, iri: str, focus: str) -> str:
        try:
            return compress(iri)
        except CurieError:
            self.problems.append(
                Violation("registered-prefix", focus, f"the IRI {iri} is under no registered prefix", self.name)
            )
            return "invalid:" + iri

    def curie(self, node: Term | None, focus: str) -> str:
        if node is None or node.kind != "iri":
            self.problems.append(Violation("registered-prefix", focus, f"expected an IRI, found {node!r}", self.name))
            return "invalid:" + str(None if node is None else node.value)
        return self.iri(node.value, focus)

    def number(self, node: Term | None, focus: str, what: str) -> Decimal | None:
        if node is None:
            return None
        try:
            if node.kind == "literal":
                return Decimal(node.value)
        except InvalidOperation:
            pass
        self.problems.append(Violation("number-value", focus, f"{what}: expected a number, found {node!r}", self.name))
        return None

    def whole(self, node: Term | None, focus: str, what: str) -> int | None:
        number = self.number(node, focus, what)
        return None if number is None else int(number)

    def text(self, node: str, prop: str) -> str | None:
        value = self.g.value(node, prop)
        return None if value is None else value.value

    def texts(self, node: str, prop: str) -> tuple[str, ...]:
        return tuple(sorted(v.value for v in self.g.objects(node, prop)))

    def curies(self, node: str, prop: str, focus: str) -> tuple[str, ...]:
        return tuple(sorted(self.curie(v, focus) for v in self.g.objects(node, prop)))

    def optional(self, node: str, prop: str, focus: str) -> str | None:
        value = self.g.value(node, prop)
        return None if value is None else self.curie(value, focus)

    def typed(self, cls: str, build: Callable[[str, str], T]) -> tuple[T, ...]:
        nodes = sorted(set(self.g.subjects(_RDF + "type", Term(_VOCAB + cls, "iri"))))
        return tuple(build(node, self.iri(node, node)) for node in nodes)

    def read(self) -> Curation:
        cur = Curation(
            findings=self.typed("Finding", self.finding),
            sources=self.typed("Source", self.source),
            unverifiable=self.typed(
                "UnverifiableCitation",
                lambda n, c: UnverifiableCitation(c, self.hkg(n, "citedAs") or "", self.hkg(n, "reason") or ""),
            ),
            populations=self.typed("Population", self.population),
            regimens=self.typed("Regimen", self.regimen),
        )
        return cur.canonical()

    def hkg(self, node: str, name: str) -> str | None:
        """The text of the vocabulary's property ``name`` (``hkg:name``) of ``node``."""
        return self.text(node, _VOCAB + name)

    def context(self, node: str, focus: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, prop in _CONTEXT.items():
            value = self.g.value(node, prop)
            if value is not None:
                out[key] = value.value if value.kind == "literal" else self.curie(value, focus)
        return out

    def evidence(self, node: str, focus: str) -> tuple[Evidence, ...]:
        items = []
        for ev in sorted(self.g.objects(node, _VOCAB + "evidence"), key=lambda t: _evidence_order(t.value)):
            source = self.curie(self.g.value(ev.value, _DCT + "source"), focus)
            items.append(Evidence(source, self.hkg(ev.value, "text") or ""))
        return tuple(items)

    def finding(self, node: str, focus: str) -> Finding:
        comparator = self.g.value(node, _VOCAB + "comparator")
        value = self.number(self.g.value(node, _VOCAB + "value"), focus, "hkg:value")
        hkg = self.hkg
        return Finding(
            id=focus.split(":", 1)[1] if focus.startswith("finding:") else focus,
            intervention=self.curie(self.g.value(node, _VOCAB + "intervention"), focus),
            measure=self.curie(self.g.value(node, _VOCAB + "measure"), focus),
            direction=hkg(node, "direction") or "",
            sources=self.curies(node, _DCT + "source", focus),
            evidence=self.evidence(node, focus),
            kind=hkg(node, "findingKind") or "measured",
            phase=hkg(node, "treatmentPhase") or "on-treatment",
            value_type=hkg(node, "valueType") or "change",
            comparator=None
            if comparator is None
            else (comparator.value if comparator.kind == "literal" else self.curie(comparator, focus)),
            population=self.optional(node, _VOCAB + "population", focus),
            regimen=self.optional(node, _VOCAB + "regimen", focus),
            duration=hkg(node, "duration"),
            site=self.optional(node, _VOCAB + "site", focus),
            value=None if value is None else float(value),
            unit=hkg(node, "unit"),
            statistic=hkg(node, "statistic"),
            p_value=hkg(node, "pValue"),
            ci=hkg(node, "confidenceInterval"),
            n=self.whole(self.g.value(node, _VOCAB + "sampleSize"), focus, "hkg:sampleSize"),
            magnitude=hkg(node, "magnitude"),
            note=self.text(node, _SKOS + "note"),
        )

    def source(self, node: str, focus: str) -> Source:
        hkg = self.hkg
        return Source(
            id=focus,
            title=self.text(node, _DCT + "title") or "",
            verified=hkg(node, "verification") or "",
            authors=hkg(node, "authors"),
            journal=hkg(node, "journal"),
            year=self.whole(self.g.value(node, _VOCAB + "year"), focus, "hkg:year"),
            volume=hkg(node, "volume"),
            issue=hkg(node, "issue"),
            pages=hkg(node, "pages"),
            doi=hkg(node, "doi"),
            pmid=hkg(node, "pmid"),
            pmcid=hkg(node, "pmcid"),
        )

    def population(self, node: str, focus: str) -> Population:
        return Population(
            id=focus,
            label=self.text(node, _RDFS + "label") or "",
            qualifiers=self.context(node, focus),
            synonyms=self.texts(node, _SKOS + "altLabel"),
            broader=self.curies(node, _SKOS + "broader", focus),
        )

    def regimen(self, node: str, focus: str) -> Regimen:
        return Regimen(
            id=focus,
            label=self.text(node, _RDFS + "label") or "",
            drug=self.curie(self.g.value(node, _VOCAB + "drug"), focus),
            dose=self.hkg(node, "dose") or "",
            frequency=self.hkg(node, "frequency") or "",
            note=self.text(node, _SKOS + "note"),
        )


def _evidence_order(node: str) -> tuple[int, str]:
    """Evidence nodes are ``<statement>/evidence/<n>``: order them by n, as written."""
    tail = node.rsplit("/", 1)[-1]
    return (int(tail), "") if tail.isdigit() else (1 << 30, node)
