r"""The Biolink KGX export: ``kgx/nodes.tsv`` and ``kgx/edges.tsv``, with Biolink predicates and qualifiers.

Every edge carries the Biolink predicate and qualifiers of its statement's predicate (:func:`biolink_edge`,
from the ontology's annotations), :data:`KNOWLEDGE_SOURCE` as its primary knowledge source, a Biolink
``knowledge_level`` and ``agent_type`` (:func:`knowledge_level`, :func:`agent_type`), and the statement's sign,
context, mediators, sources and evidence in the ``original_predicate``, ``sign``, ``context_*``, ``via``,
``sources`` and ``evidence`` columns.

The files are written the way the KGX reader reads them (``kgx.source.tsv_source``: pandas with
``quoting=QUOTE_NONE``, ``|`` between the values of a list):

- no cell is quoted; a tab or line break inside a text becomes a space (as KGX itself does on import), and a
  ``|`` inside a text becomes ``¦``, since KGX would split the text there (:func:`kgx_text`); the ``evidence``
  JSON writes ``|`` as ``\u007c``, so it stays lossless;
- ``negated`` is ``True`` or empty: KGX reads any non-empty text as true (``bool("False")``);
- every edge has its statement's CURIE as ``id``, one per statement. KGX keeps them all when it streams
  (``kgx transform --stream``, ``kgx validate``); a transform that first loads the graph in memory keys edges by
  subject–predicate–object (KGX's own merge rule) and so merges statements that differ only in context or
  qualifiers (a ``key`` column, which KGX would honour, makes KGX 2.7 fail instead).

Node ids with the project's own ``HKG`` prefix are not in the Biolink JSON-LD context: a KGX tool has to be
given the prefixes of :func:`kgx_prefix_map` (the namespaces of the RDF exports) where Biolink's context has none.

>>> KGX_EDGE_COLUMNS[:4]
('id', 'subject', 'predicate', 'object')
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING

from kg.exporters.output import Output
from kg.ontology import schema
from kg.prefixes import PREFIXES, CurieError, prefix_of

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.model import Statement

__all__ = [
    "KGX_EDGE_COLUMNS",
    "KGX_NODE_COLUMNS",
    "KNOWLEDGE_SOURCE",
    "agent_type",
    "biolink_edge",
    "kgx_prefix_map",
    "kgx_text",
    "knowledge_level",
    "write_kgx",
]

#: The Biolink information resource of every edge this graph exports.
KNOWLEDGE_SOURCE = "infores:hormone-kg"
_PUBLICATION_PREFIXES = frozenset({"PMID", "PMC", "DOI"})

# Biolink Model 4.4.6 (the `biolink-model` package, schema/biolink_model.yaml), KnowledgeLevelEnum:
# - knowledge_assertion: "A statement of purported fact that is put forth by an agent as true, based on
#   assessment of direct evidence" -- a curated direct mechanism, each backed by its own evidence sentence;
# - logical_entailment: "A statement reporting a conclusion that follows logically from premises representing
#   established facts or knowledge assertions" -- a summary: the net effect that its steps through its mediators
#   (`via`) entail, a shortcut a reasoner should not count as a mechanism of its own (issue 14, rule 5). What the
#   source itself showed (an experiment, an author's statement, a curator's inference) stays in `has_evidence`.
# AgentTypeEnum: manual_agent, "A human agent who is responsible for generating a statement of knowledge ... the
# human is the one who ultimately interprets/reasons with this evidence": every statement here is curated by hand,
# src:curator inferences included (their evidence code, ECO:0000305, is "curator inference used in manual
# assertion").
_DIRECT_LEVEL = "knowledge_assertion"
_SUMMARY_LEVEL = "logical_entailment"
_CURATED_AGENT = "manual_agent"

_CELL = str.maketrans({"\t": " ", "\n": " ", "\r": " ", "|": "¦"})


def knowledge_level(st: Statement) -> str:
    """The Biolink ``knowledge_level`` of a statement: a summary's net effect is entailed by its steps.

    >>> from kg.model import Statement
    >>> direct = Statement("x", "CHEBI:2704", "inhibits", "HGNC:2594", -1, (), ())
    >>> knowledge_level(direct), knowledge_level(Statement("y", "A:1", "increases", "B:1", 1, (), (), summary=True))
    ('knowledge_assertion', 'logical_entailment')
    """
    return _SUMMARY_LEVEL if st.summary else _DIRECT_LEVEL


def agent_type(st: Statement) -> str:
    """The Biolink ``agent_type`` of a statement: ``manual_agent``, curator inferences included.

    >>> from kg.model import Statement
    >>> agent_type(Statement("x", "CHEBI:2704", "inhibits", "HGNC:2594", -1, ("src:curator",), ()))
    'manual_agent'
    """
    return _CURATED_AGENT


def kgx_text(value: str) -> str:
    r"""A text as one KGX TSV cell: tabs and line breaks become spaces, ``|`` (KGX's list separator) ``¦``.

    >>> kgx_text("a\tb\nc | d")
    'a b c ¦ d'
    """
    return value.translate(_CELL)


def kgx_prefix_map(g: KnowledgeGraph) -> dict[str, str]:
    """Every CURIE prefix the node ids of ``g`` use, with the namespace the RDF exports give it.

    Biolink's JSON-LD context declares most of them; a KGX validator or transformer needs the others (the
    project's own ``HKG``, and any standard prefix Biolink lacks) added to it, Biolink's winning where both
    declare one. Then it accepts the ids and expands project ids to the same IRIs as the RDF exports.

    >>> import kg
    >>> prefixes = kgx_prefix_map(kg.load())
    >>> prefixes["HKG"], prefixes["CHEBI"]
    ('https://w3id.org/hormone-kg/entity/', 'http://purl.obolibrary.org/obo/CHEBI_')
    """
    used = {_prefix(e.id) for e in g.entities.values()}
    return {p: PREFIXES[p] for p in sorted(used) if p in PREFIXES}


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
    "via",
    "magnitude",
    "sources",
    "evidence",
)


def _row(fh: IO[str], cells: Sequence[str]) -> None:
    fh.write("\t".join(cells) + "\n")


def _pipe(values: Iterable[str]) -> str:
    return "|".join(kgx_text(v) for v in values)


def _evidence_json(st: Statement) -> str:
    items = [{"source": ev.source, "text": ev.text} for ev in st.evidence]
    return json.dumps(items, ensure_ascii=False).replace("|", "\\u007c")


def _edge_cells(st: Statement) -> list[str]:
    bl = biolink_edge(st)
    ctx = st.context
    return [
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
        "True" if st.negated else "",
        _pipe(s for s in st.sources if _is_publication(s)),
        st.evidence_type or "",
        knowledge_level(st),
        agent_type(st),
        KNOWLEDGE_SOURCE,
        f"hkg:{st.predicate}",
        str(st.sign),
        *(ctx.get(k, "") for k in _CONTEXT_KEYS),
        _pipe(st.via),
        st.magnitude or "",
        _pipe(st.sources),
        _evidence_json(st),
    ]


def write_kgx(g: KnowledgeGraph, out: Output) -> None:
    """``kgx/nodes.tsv`` and ``kgx/edges.tsv`` in the Biolink KGX exchange format (``|`` between list values)."""
    categories = schema().categories
    with out.text("kgx/nodes.tsv") as fh:
        _row(fh, KGX_NODE_COLUMNS)
        for e in sorted(g.entities.values(), key=lambda e: e.id):
            cells = [e.id, categories[e.category], kgx_text(e.label), _pipe(e.synonyms), _pipe(e.xrefs)]
            cells += [kgx_text(e.description or ""), KNOWLEDGE_SOURCE, e.category]
            _row(fh, [*cells, _pipe(e.abbreviations), _pipe(e.broader)])
    with out.text("kgx/edges.tsv") as fh:
        _row(fh, KGX_EDGE_COLUMNS)
        for st in sorted(g.statements.values(), key=lambda s: s.id):
            _row(fh, _edge_cells(st))


def _prefix(curie: str) -> str:
    try:
        return prefix_of(curie)
    except CurieError:
        return ""


def _is_publication(curie: str) -> bool:
    return _prefix(curie) in _PUBLICATION_PREFIXES
