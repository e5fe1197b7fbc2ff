"""The graph and table exports: GraphML (networkx), Cytoscape.js JSON, and ``statements.csv``.

GraphML keeps scalar attributes only (lists and mappings travel as JSON strings); the Cytoscape.js document
keeps them as JSON values; the CSV file has one row per statement, with cells a spreadsheet will not run
as formulas.

>>> STATEMENT_COLUMNS[:3]
('statement', 'subject', 'subject_label')
"""

from __future__ import annotations

import csv
import json
from typing import TYPE_CHECKING, Any

from kg.exporters.output import Output
from kg.ontology import schema
from kg.version import __version__

if TYPE_CHECKING:
    import networkx as nx

    from kg.graph import KnowledgeGraph
    from kg.model import Statement

__all__ = ["STATEMENT_COLUMNS", "graphml_graph", "write_csv", "write_cytoscape", "write_graphml"]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


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
        attrs: dict[str, Any] = {
            "predicate": st.predicate,
            "predicate_label": sch.predicates[st.predicate].label,
            "biolink_predicate": sch.predicates[st.predicate].biolink,
            "sign": st.sign,
            "causal": st.causal,
            "negated": st.negated,
            "context": _json(dict(st.context)),
            "sources": _json(list(st.sources)),
            "evidence": _json([{"source": ev.source, "text": ev.text} for ev in st.evidence]),
        }
        for key, value in (("magnitude", st.magnitude), ("evidence_type", st.evidence_type), ("note", st.note)):
            if value:
                attrs[key] = value
        out.add_edge(st.subject, st.object, key=st.id, **attrs)
    return out


def write_graphml(g: KnowledgeGraph, out: Output) -> None:
    """``hormone-kg.graphml``: entities and statements with typed attributes (``networkx.read_graphml``)."""
    import networkx as nx

    graph = graphml_graph(g)
    with out.binary("hormone-kg.graphml") as fh:
        nx.write_graphml(graph, fh, encoding="utf-8", prettyprint=True)


def _sign_class(st: Statement) -> str:
    if st.negated:
        return "negated"
    return {1: "positive", -1: "negative"}.get(st.sign, "structural")


def write_cytoscape(g: KnowledgeGraph, out: Output) -> None:
    """``hormone-kg.cytoscape.json``: ``{"elements": {"nodes": [...], "edges": [...]}}`` for Cytoscape.js."""
    sch = schema()
    nodes = [
        {
            "data": {
                "id": e.id,
                "label": e.label,
                "category": e.category,
                "biolink_category": sch.categories[e.category],
                "synonyms": list(e.synonyms),
                "abbreviations": list(e.abbreviations),
                "xrefs": list(e.xrefs),
            },
            "classes": e.category,
        }
        for e in sorted(g.entities.values(), key=lambda e: e.id)
    ]
    edges = [
        {
            "data": {
                "id": st.id,
                "source": st.subject,
                "target": st.object,
                "predicate": st.predicate,
                "label": sch.predicates[st.predicate].label,
                "sign": st.sign,
                "causal": st.causal,
                "negated": st.negated,
                "context": dict(st.context),
                "magnitude": st.magnitude,
                "sources": list(st.sources),
                "evidence": [{"source": ev.source, "text": ev.text} for ev in st.evidence],
                "evidence_type": st.evidence_type,
            },
            "classes": _sign_class(st),
        }
        for st in sorted(g.statements.values(), key=lambda s: s.id)
    ]
    document = {"data": {"name": "hormone-kg", "version": __version__}, "elements": {"nodes": nodes, "edges": edges}}
    with out.text("hormone-kg.cytoscape.json") as fh:
        json.dump(document, fh, ensure_ascii=False, indent=1, sort_keys=True)
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
