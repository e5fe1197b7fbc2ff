"""SHACL: the published contract of the RDF shape, run by ``hormone-kg build``, in CI and on request.

``kg.load(..., shacl=True)`` and ``hormone-kg validate --shacl`` run the shapes (``ontology/shapes.ttl``, with
the ontology) on the RDF of what was loaded; a plain load applies the rules of :mod:`kg.validation.rules`,
which carry the same rule names, and does not pay for pyshacl.

>>> from rdflib import Graph
>>> shacl_violations(Graph())
[]
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.errors import ValidationError, Violation
from kg.namespaces import compress
from kg.ontology import ontology_graph, shapes_graph

__all__ = ["shacl_violations", "validate_graph"]


def shacl_violations(graph: Graph) -> list[Violation]:
    """Run the SHACL shapes (with the ontology) over ``graph``; one :class:`Violation` per result."""
    from pyshacl import validate  # heavy import, only when validating

    conforms, results, _ = validate(
        graph,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        advanced=True,
        allow_warnings=False,
    )
    if conforms:
        return []
    if not isinstance(results, Graph):
        raise TypeError("pyshacl returned no results graph")
    return _report_violations(results)


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
