"""The Biolink KGX export: ``kgx/nodes.tsv`` and ``kgx/edges.tsv``, with Biolink predicates and qualifiers.

Every edge carries the Biolink predicate and qualifiers of its statement's predicate (:func:`biolink_edge`,
from the ontology's annotations), :data:`KNOWLEDGE_SOURCE` as its primary knowledge source, and the
statement's sign, context, sources and evidence in the ``original_predicate``, ``sign``, ``context_*``,
``sources`` and ``evidence`` columns. List values are joined with ``|``.

>>> KGX_EDGE_COLUMNS[:4]
('id', 'subject', 'predicate', 'object')
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from kg.exporters.output import Output
from kg.namespaces import CurieError, prefix_of
from kg.ontology import schema

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.model import Statement

__all__ = ["KGX_EDGE_COLUMNS", "KGX_NODE_COLUMNS", "KNOWLEDGE_SOURCE", "biolink_edge", "write_kgx"]

#: The Biolink information resource of every edge this graph exports.
KNOWLEDGE_SOURCE = "infores:hormone-kg"
_PUBLICATION_PREFIXES = frozenset({"PMID", "PMC", "DOI"})


def biolink_edge(st: Statement) -> dict[str, str]:
    """The Biolink predicate and qualifiers of a statement (from its predicate's ontology annotations).

    >>> from kg.model import Statement
    >>> biolink_edge(Statement("x", "CHEBI:2704", "inhibits", "HGNC:2594", -1, (), ()))["causal_mechanism_qualifier"]
    'inhibition'
    """
    info = schema().predicates[st.predicate]
    qualified = "biolink:causes" if info.biolink == "biolink:affects" and (info.aspect or info.direction) else ""
    return {
        "predicate": info.biolink,
        "qualified_predicate": qualified,
        "object_aspect_qualifier": info.aspect or "",
        "object_direction_qualifier": info.direction or "",
        "causal_mechanism_qualifier": info.mechanism or "",
    }


KGX_NODE_COLUMNS: tuple[str, ...] = (
    "id",
    "category",
    "name",
    "synonym",
    "xref",
    "description",
    "provided_by",
    "hkg_category",
    "abbreviation",
    "broader",
)

#: The context keys, exported as ``context_<key>`` columns (and three Biolink context qualifiers).
_CONTEXT_KEYS = (
    "population",
    "sex",
    "menopausal_status",
    "age_group",
    "tissue",
    "regimen",
    "species",
    "condition",
    "therapy",
)

KGX_EDGE_COLUMNS: tuple[str, ...] = (
    "id",
    "subject",
    "predicate",
    "object",
    "qualified_predicate",
    "object_aspect_qualifier",
    "object_direction_qualifier",
    "causal_mechanism_qualifier",
    "population_context_qualifier",
    "anatomical_context_qualifier",
    "species_context_qualifier",
    "negated",
    "publications",
    "has_evidence",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
    "original_predicate",
    "sign",
    *(f"context_{k}" for k in _CONTEXT_KEYS),
    "magnitude",
    "sources",
    "evidence",
)


def _tsv(fh: IO[str]) -> Any:
    return csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)


def _pipe(values: Iterable[str]) -> str:
    return "|".join(values)


def write_kgx(g: KnowledgeGraph, out: Output) -> None:
    """``kgx/nodes.tsv`` and ``kgx/edges.tsv`` in the Biolink KGX exchange format (``|`` between list values)."""
    categories = schema().categories
    with out.text("kgx/nodes.tsv") as fh:
        writer = _tsv(fh)
        writer.writerow(KGX_NODE_COLUMNS)
        for e in sorted(g.entities.values(), key=lambda e: e.id):
            writer.writerow(
                [
                    e.id,
                    categories[e.category],
                    e.label,
                    _pipe(e.synonyms),
                    _pipe(e.xrefs),
                    e.description or "",
                    KNOWLEDGE_SOURCE,
                    e.category,
                    _pipe(e.abbreviations),
                    _pipe(e.broader),
                ]
            )
    with out.text("kgx/edges.tsv") as fh:
        writer = _tsv(fh)
        writer.writerow(KGX_EDGE_COLUMNS)
        for st in sorted(g.statements.values(), key=lambda s: s.id):
            bl = biolink_edge(st)
            ctx = st.context
            writer.writerow(
                [
                    st.curie,
                    st.subject,
                    bl["predicate"],
                    st.object,
                    bl["qualified_predicate"],
                    bl["object_aspect_qualifier"],
                    bl["object_direction_qualifier"],
                    bl["causal_mechanism_qualifier"],
                    ctx.get("population", ""),
                    ctx.get("tissue", ""),
                    ctx.get("species", ""),
                    "True" if st.negated else "False",
                    _pipe(s for s in st.sources if _is_publication(s)),
                    st.evidence_type or "",
                    "knowledge_assertion",
                    "manual_agent",
                    KNOWLEDGE_SOURCE,
                    f"hkg:{st.predicate}",
                    str(st.sign),
                    *(ctx.get(k, "") for k in _CONTEXT_KEYS),
                    st.magnitude or "",
                    _pipe(st.sources),
                    json.dumps([{"source": ev.source, "text": ev.text} for ev in st.evidence], ensure_ascii=False),
                ]
            )


def _is_publication(curie: str) -> bool:
    try:
        return prefix_of(curie) in _PUBLICATION_PREFIXES
    except CurieError:
        return False
