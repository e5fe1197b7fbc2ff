"""The graph and table exports: GraphML, Cytoscape.js JSON, and ``statements.csv``.

GraphML keeps scalar attributes only (lists and mappings travel as JSON strings), each key declared with its
GraphML type and booleans written ``true``/``false`` as the GraphML schema (``xs:boolean``) requires, so that
networkx, igraph and rustworkx read the same attributes; every edge also carries its statement id as the
``statement`` attribute (igraph does not keep GraphML edge ids). The Cytoscape.js document keeps attributes as
JSON values, in the ``elements: {nodes, edges}`` shape of ``cy.json()`` plus the ``directed``/``multigraph``
flags, node ``value`` and edge ``key`` that ``networkx.cytoscape_graph`` needs. The CSV file has one row per
statement, with cells a spreadsheet will not run as formulas.

>>> STATEMENT_COLUMNS[:3]
('statement', 'subject', 'subject_label')
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from kg.exporters.output import Output
from kg.ontology import schema
from kg.version import __version__

if TYPE_CHECKING:
    import networkx as nx

    from kg.graph import KnowledgeGraph
    from kg.model import Entity, Statement

__all__ = [
    "STATEMENT_COLUMNS",
    "cytoscape_document",
    "graphml_bytes",
    "graphml_graph",
    "write_csv",
    "write_cytoscape",
    "write_graphml",
]

_GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_GRAPHML_XSD = "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _edge_attributes(st: Statement) -> dict[str, Any]:
    sch = schema()
    attrs: dict[str, Any] = {
        "statement": st.id,
        "predicate": st.predicate,
        "predicate_label": sch.predicates[st.predicate].label,
        "biolink_predicate": sch.predicates[st.predicate].biolink,
        "sign": st.sign,
        "causal": st.causal,
        "negated": st.negated,
        "summary": st.summary,
        "via": _json(list(st.via)),
        "context": _json(dict(st.context)),
        "sources": _json(list(st.sources)),
        "evidence": _json([{"source": ev.source, "text": ev.text} for ev in st.evidence]),
    }
    for key, value in (("magnitude", st.magnitude), ("evidence_type", st.evidence_type), ("note", st.note)):
        if value:
            attrs[key] = value
    return attrs


def graphml_graph(g: KnowledgeGraph) -> nx.MultiDiGraph:
    """The causal projection with scalar attributes only (lists and mappings as JSON strings)."""
    import networkx as nx

    sch = schema()
    out: nx.MultiDiGraph = nx.MultiDiGraph(name="hormone-kg", version=__version__)
    for e in sorted(g.entities.values(), key=lambda e: e.id):
        out.add_node(
            e.id,
            label=e.label,
            category=e.category,
            biolink_category=sch.categories[e.category],
            synonyms=_json(list(e.synonyms)),
            abbreviations=_json(list(e.abbreviations)),
            xrefs=_json(list(e.xrefs)),
        )
    for st in sorted(g.statements.values(), key=lambda s: s.id):
        out.add_edge(st.subject, st.object, key=st.id, **_edge_attributes(st))
    return out


def _graphml_type(value: Any) -> str:
    """The GraphML ``attr.type`` of a Python value (``bool`` before ``int``: it is one).

    >>> _graphml_type(True), _graphml_type(-1), _graphml_type(0.5), _graphml_type("x")
    ('boolean', 'int', 'double', 'string')
    """
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int"
    return "double" if isinstance(value, float) else "string"


def _graphml_text(value: Any) -> str:
    """A value as GraphML data text: booleans ``true``/``false`` (``xs:boolean``), the rest ``str``.

    >>> _graphml_text(False), _graphml_text(-1), _graphml_text("a")
    ('false', '-1', 'a')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _graphml_keys(domains: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[tuple[str, str], tuple[str, str]]:
    """(domain, attribute) -> (key id, GraphML type), ids ``d0``, ``d1``... in a fixed order."""
    types: dict[tuple[str, str], str] = {}
    for domain, records in domains.items():
        for record in records:
            for name, value in record.items():
                types.setdefault((domain, name), _graphml_type(value))
    return {k: (f"d{i}", types[k]) for i, k in enumerate(sorted(types))}


def _add_data(parent: ET.Element, domain: str, record: Mapping[str, Any], keys: Mapping[Any, Any]) -> None:
    for name, value in sorted(record.items()):
        ET.SubElement(parent, "data", key=keys[(domain, name)][0]).text = _graphml_text(value)


def graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    """A directed multigraph as a GraphML document (UTF-8); edge keys become GraphML edge ids."""
    nodes = list(graph.nodes(data=True))
    edges = list(graph.edges(keys=True, data=True))
    keys = _graphml_keys({"graph": [graph.graph], "node": [d for _, d in nodes], "edge": [d for *_, d in edges]})
    root = ET.Element(
        "graphml", {"xmlns": _GRAPHML_NS, "xmlns:xsi": _XSI_NS, "xsi:schemaLocation": f"{_GRAPHML_NS} {_GRAPHML_XSD}"}
    )
    for (domain, name), (key_id, kind) in keys.items():
        ET.SubElement(root, "key", {"id": key_id, "for": domain, "attr.name": name, "attr.type": kind})
    body = ET.SubElement(root, "graph", edgedefault="directed")
    _add_data(body, "graph", graph.graph, keys)
    for node, data in nodes:
        _add_data(ET.SubElement(body, "node", id=str(node)), "node", data, keys)
    for u, v, key, data in edges:
        _add_data(ET.SubElement(body, "edge", id=str(key), source=str(u), target=str(v)), "edge", data, keys)
    ET.indent(root, space="  ")
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def write_graphml(g: KnowledgeGraph, out: Output) -> None:
    """``hormone-kg.graphml``: entities and statements with typed attributes (networkx, igraph, rustworkx)."""
    with out.binary("hormone-kg.graphml") as fh:
        fh.write(graphml_bytes(graphml_graph(g)))


def _sign_class(st: Statement) -> str:
    if st.negated:
        return "negated"
    return {1: "positive", -1: "negative"}.get(st.sign, "structural")


def _cytoscape_node(e: Entity, biolink_category: str) -> dict[str, Any]:
    data = {
        "id": e.id,
        "value": e.id,  # networkx.cytoscape_graph's node key
        "name": e.label,
        "label": e.label,
        "category": e.category,
        "biolink_category": biolink_category,
        "synonyms": list(e.synonyms),
        "abbreviations": list(e.abbreviations),
        "xrefs": list(e.xrefs),
    }
    return {"data": data, "classes": e.category}


def _cytoscape_edge(st: Statement, label: str) -> dict[str, Any]:
    data = {
        "id": st.id,
        "key": st.id,  # networkx.cytoscape_graph's edge key: parallel statements stay apart
        "source": st.subject,
        "target": st.object,
        "predicate": st.predicate,
        "label": label,
        "sign": st.sign,
        "causal": st.causal,
        "negated": st.negated,
        "summary": st.summary,
        "via": list(st.via),
        "context": dict(st.context),
        "magnitude": st.magnitude,
        "sources": list(st.sources),
        "evidence": [{"source": ev.source, "text": ev.text} for ev in st.evidence],
        "evidence_type": st.evidence_type,
    }
    return {"data": data, "classes": _sign_class(st)}


def cytoscape_document(g: KnowledgeGraph) -> dict[str, Any]:
    """The Cytoscape.js document: ``{"data", "directed", "multigraph", "elements": {"nodes", "edges"}}``.

    >>> import kg, networkx as nx
    >>> doc = cytoscape_document(kg.load())
    >>> sorted(doc["elements"]["edges"][0]["data"])[:4]
    ['causal', 'context', 'evidence', 'evidence_type']
    >>> nx.cytoscape_graph(doc).number_of_edges() == len(doc["elements"]["edges"])
    True
    """
    sch = schema()
    nodes = [_cytoscape_node(e, sch.categories[e.category]) for e in sorted(g.entities.values(), key=lambda e: e.id)]
    statements = sorted(g.statements.values(), key=lambda s: s.id)
    edges = [_cytoscape_edge(st, sch.predicates[st.predicate].label) for st in statements]
    return {
        "data": {"name": "hormone-kg", "version": __version__},
        "directed": True,
        "multigraph": True,
        "elements": {"nodes": nodes, "edges": edges},
    }


def write_cytoscape(g: KnowledgeGraph, out: Output) -> None:
    """``hormone-kg.cytoscape.json``: ``{"elements": {"nodes": [...], "edges": [...]}}`` for Cytoscape.js."""
    with out.text("hormone-kg.cytoscape.json") as fh:
        json.dump(cytoscape_document(g), fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")


STATEMENT_COLUMNS: tuple[str, ...] = (
    "statement",
    "subject",
    "subject_label",
    "predicate",
    "object",
    "object_label",
    "sign",
    "negated",
    "context",
    "magnitude",
    "sources",
    "citations",
    "evidence_type",
    "evidence",
    "note",
)


def write_csv(g: KnowledgeGraph, out: Output) -> None:
    """``statements.csv``: one row per statement with its context, sources, citations and evidence.

    UTF-8 with a byte-order mark (so that spreadsheet programs detect the encoding); several evidence
    sentences are separated by a blank line, each prefixed by its source in brackets.
    """
    with out.text("statements.csv", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(STATEMENT_COLUMNS)
        for st in sorted(g.statements.values(), key=lambda s: s.id):
            writer.writerow(
                _inert_cell(cell)
                for cell in [
                    st.id,
                    st.subject,
                    g.label(st.subject),
                    g.rdf_label(st.predicate),
                    st.object,
                    g.label(st.object),
                    str(st.sign),
                    "yes" if st.negated else "no",
                    "; ".join(f"{k}={g.label(v)}" for k, v in sorted(st.context.items())),
                    st.magnitude or "",
                    "; ".join(st.sources),
                    "; ".join(g.sources[s].short() if s in g.sources else s for s in st.sources),
                    st.evidence_type or "",
                    "\n\n".join(f"[{ev.source}] {ev.text}" for ev in st.evidence),
                    st.note or "",
                ]
            )


def _inert_cell(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (``=HYPERLINK(...)`` becomes ``'=HYPERLINK(...)``).

    >>> _inert_cell('=1+1'), _inert_cell('-1'), _inert_cell('estradiol')
    ("'=1+1", '-1', 'estradiol')
    """
    if value[:1] in ("=", "+", "@", "\t", "\r") or (value[:1] == "-" and not value.lstrip("-").isdigit()):
        return "'" + value
    return value
