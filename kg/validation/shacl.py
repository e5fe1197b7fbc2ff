"""SHACL: the published contract of the RDF shape, run by ``hormone-kg build``, in CI and on request.

``kg.load(..., shacl=True)`` and ``hormone-kg validate --shacl`` run the shapes (``ontology/shapes.ttl``, with
the ontology) on the RDF of what was loaded; a plain load applies the rules of :mod:`kg.validation.rules`,
which carry the same rule names, and does not pay for pyshacl.

pyshacl runs a SPARQL-based constraint once per focus node, with the same query text and ``$this`` bound
(``initBindings``); rdflib parses a query string on every call, which was three quarters of the time on the
bundled graph. The data graph given to pyshacl is therefore a copy that parses each query text once and
reuses it (rdflib's prepared queries, ``rdflib.plugins.sparql.prepareQuery``): the same shapes, the same
queries, the same results.

>>> from rdflib import Graph
>>> shacl_violations(Graph())
[]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.query import Processor, Result
from rdflib.term import Identifier, Node

from kg.errors import ValidationError, Violation
from kg.ontology import ontology_graph, shapes_graph
from kg.prefixes import compress

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

__all__ = ["shacl_violations", "validate_graph"]


def shacl_violations(graph: Graph) -> list[Violation]:
    """Run the SHACL shapes (with the ontology) over ``graph``; one :class:`Violation` per result.

    ``graph`` is not changed: pyshacl works on a copy, into which it mixes the ontology.
    """
    from pyshacl import validate  # heavy import, only when validating

    conforms, results, _ = validate(
        _PreparedQueries.copy_of(graph),
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        advanced=True,
        allow_warnings=False,
        inplace=True,  # on our own copy (pyshacl's clone would be a plain Graph, parsing every query again)
    )
    if conforms:
        return []
    if not isinstance(results, Graph):
        raise TypeError("pyshacl returned no results graph")
    return _report_violations(results)


class _PreparedQueries(Graph):
    """A copy of a graph whose :meth:`query` parses each SPARQL text once (per namespace bindings and base).

    rdflib documents this reuse: a query prepared once, run with different ``initBindings``.

    >>> g = _PreparedQueries.copy_of(Graph())
    >>> text = "ASK { ?s ?p ?o }"
    >>> g.query(text).askAnswer, g.query(text).askAnswer, len(g._prepared)
    (False, False, 1)
    """

    def __init__(self) -> None:
        super().__init__(bind_namespaces="core")
        self._prepared: dict[tuple[str, str | None, frozenset[tuple[str, Any]]], Query] = {}

    @classmethod
    def copy_of(cls, graph: Graph) -> _PreparedQueries:
        """A new graph with ``graph``'s triples and namespace bindings (as pyshacl's own clone makes)."""
        copy = cls()
        for prefix, namespace in graph.namespace_manager.namespaces():
            copy.namespace_manager.bind(prefix, namespace, override=True, replace=True)
        copy.addN((s, p, o, copy) for s, p, o in graph)
        return copy

    def query(
        self,
        query_object: str | Query,
        processor: str | Processor = "sparql",
        result: str | type[Result] = "sparql",
        initNs: Mapping[str, Any] | None = None,  # rdflib's parameter names
        initBindings: Mapping[str, Identifier] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        """As :meth:`rdflib.Graph.query`; a query string is parsed on its first use only."""
        if isinstance(query_object, str) and processor == "sparql":
            namespaces = dict(initNs) if initNs else dict(self.namespaces())
            base = kwargs.get("base")
            key = (query_object, base, frozenset(namespaces.items()))
            prepared = self._prepared.get(key)
            if prepared is None:
                from rdflib.plugins.sparql import prepareQuery  # rdflib's SPARQL parser: imported when validating

                prepared = self._prepared[key] = prepareQuery(query_object, initNs=namespaces, base=base)
            query_object = prepared
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


def _report_violations(report: Graph) -> list[Violation]:
    sh = "http://www.w3.org/ns/shacl#"
    out: list[Violation] = []
    for result in report.subjects(RDF.type, URIRef(sh + "ValidationResult")):
        focus = report.value(result, URIRef(sh + "focusNode"))
        message = report.value(result, URIRef(sh + "resultMessage"))
        name = None
        for key in ("sourceConstraint", "sourceShape"):
            node = report.value(result, URIRef(sh + key))
            if node is not None:
                name = report.value(node, URIRef(sh + "name")) or _shape_name(node)
            if name is not None:
                break
        out.append(Violation(str(name or "shacl"), _focus(focus), str(message or "violates a shape")))
    return sorted(out, key=lambda v: (v.focus, v.rule, v.message))


def _shape_name(shape: Node) -> str | None:
    value = shapes_graph().value(shape, URIRef("http://www.w3.org/ns/shacl#name"))
    return None if value is None else str(value)


def _focus(node: object) -> str:
    if isinstance(node, URIRef):
        try:
            return compress(str(node))
        except ValueError:
            return str(node)
    return str(node)


def validate_graph(graph: Graph, what: str = "graph") -> None:
    """Raise :class:`ValidationError` if ``graph`` does not conform to the SHACL shapes."""
    violations = shacl_violations(graph)
    if violations:
        raise ValidationError(violations, what=what)
