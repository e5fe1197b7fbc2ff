"""Biolink KGX (nodes/edges TSV, or JSON lines) -> edges, this graph's own exports included.

The edges file is read one row at a time; the nodes file beside it (``nodes.tsv`` for ``edges.tsv``,
``x_nodes.jsonl`` for ``x_edges.jsonl``) first, for names, categories and xrefs. An edge's predicate is its
``original_predicate`` when that is one of this ontology's (``hkg:inhibits``, as :mod:`kg.exporters.kgx`
writes it), else its Biolink predicate and qualifiers mapped back (:func:`predicate_of`). Columns this graph
exports (``context_*``, ``sign``, ``via``, ``magnitude``, ``sources``, ``evidence``) are read back, so an
export imported again gives the same statements (``tests/test_imports.py``).

>>> predicate_of("biolink:affects", "activity", "decreased", "inhibition")
'inhibits'
>>> predicate_of("biolink:affects", "expression", "increased", "")
'increases'
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from kg.imports.files import fail, read_lines
from kg.imports.mapping import DATABASE_RECORD, Edge, Node, Progress, Skip
from kg.model import CATEGORIES, CONTEXT_KEYS, Evidence
from kg.ontology import schema

__all__ = ["nodes_file", "predicate_of", "read_kgx"]

#: Biolink 2/3 predicates that carry their direction in their name.
_OLD_PREDICATES = {
    "biolink:increases_activity_of": "increases",
    "biolink:increases_abundance_of": "increases",
    "biolink:increases_expression_of": "increases",
    "biolink:increases_amount_or_activity_of": "increases",
    "biolink:decreases_activity_of": "decreases",
    "biolink:decreases_abundance_of": "decreases",
    "biolink:decreases_expression_of": "decreases",
    "biolink:decreases_amount_or_activity_of": "decreases",
    "biolink:positively_regulates": "positively_regulates",
    "biolink:negatively_regulates": "negatively_regulates",
    "biolink:physically_interacts_with": "binds",
    "biolink:interacts_with": "binds",
}
_TRUE = frozenset({"true", "t", "1", "yes"})
_CONTEXT_COLUMNS = tuple((key, f"context_{key}") for key in CONTEXT_KEYS)
_BOUND = 10_000  # predicate and qualifier combinations remembered per file


def predicate_of(biolink: str, aspect: str, direction: str, mechanism: str) -> str | None:
    """This ontology's predicate for a Biolink predicate with its qualifiers (None when none fits)."""
    infos = schema().predicates.values()
    for info in infos:
        if (info.biolink, info.aspect or "", info.direction or "", info.mechanism or "") == (
            biolink, aspect, direction, mechanism
        ):  # fmt: skip
            return info.slug
    if biolink in ("biolink:affects", "biolink:regulates") and direction in ("increased", "upregulated"):
        return "increases"
    if biolink in ("biolink:affects", "biolink:regulates") and direction in ("decreased", "downregulated"):
        return "decreases"
    if biolink in _OLD_PREDICATES:
        return _OLD_PREDICATES[biolink]
    plain = [i.slug for i in infos if i.biolink == biolink and not (i.aspect or i.direction or i.mechanism)]
    return plain[0] if len(plain) == 1 else None


def nodes_file(edges: Path) -> Path | None:
    """The nodes file that goes with an edges file (None when there is none)."""
    name = edges.name
    for a, b in (("edges", "nodes"), ("Edges", "Nodes")):
        if a in name:
            candidate = edges.with_name(name.replace(a, b))
            if candidate.is_file():
                return candidate
    return None


def _records(path: Path, progress: Progress | None) -> Iterator[tuple[int, dict[str, str | list[str]]]]:
    """Rows of a KGX TSV (``|`` between list values) or JSON lines file as mappings."""
    jsonl = path.suffix.lower() in (".jsonl", ".json")
    header: list[str] | None = None
    for number, line in read_lines(path, progress):
        if not line.strip():
            continue
        if jsonl:
            try:
                value = json.loads(line)
            except json.JSONDecodeError as err:
                raise fail(path, "json-syntax", f"malformed JSON line: {err.msg}", number) from err
            if not isinstance(value, dict):
                raise fail(path, "kgx-record", "a KGX JSON line is an object", number)
            yield number, {str(k): v if isinstance(v, list) else str(v) for k, v in value.items() if v is not None}
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            if "id" not in header:
                raise fail(path, "kgx-columns", "the header has no 'id' column (is this a KGX TSV?)", number)
            continue
        if len(cells) != len(header):
            raise fail(path, "kgx-row", f"{len(cells)} fields where the header has {len(header)}", number)
        yield number, dict(zip(header, cells, strict=True))


def _text(record: Mapping[str, str | list[str]], key: str) -> str:
    value = record.get(key, "")
    return "|".join(value) if isinstance(value, list) else value.strip()


def _list(record: Mapping[str, str | list[str]], key: str) -> tuple[str, ...]:
    value = record.get(key, "")
    items = value if isinstance(value, list) else value.split("|")
    return tuple(str(v).strip() for v in items if str(v).strip())


def _read_nodes(path: Path) -> dict[str, Node]:
    biolink_to_category: dict[str, str] = {}
    for slug, biolink in schema().categories.items():
        biolink_to_category.setdefault(biolink, slug)
    nodes = {}
    for _, rec in _records(path, None):
        ident = _text(rec, "id")
        hkg = _text(rec, "hkg_category")
        categories = _list(rec, "category")
        category = hkg if hkg in CATEGORIES else next(
            (biolink_to_category[c] for c in categories if c in biolink_to_category), None
        )  # fmt: skip
        nodes[ident] = Node(
            id=ident,
            name=_text(rec, "name"),
            category=category,
            xrefs=_list(rec, "xref"),
            synonyms=_list(rec, "synonym"),
            abbreviations=_list(rec, "abbreviation"),
            broader=_list(rec, "broader"),
            description=_text(rec, "description") or None,
        )
    return nodes


def _evidence(text: str) -> tuple[Evidence, ...] | str:
    try:
        items = json.loads(text)
    except json.JSONDecodeError:
        return "the evidence column is not JSON"
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and isinstance(i.get("source"), str) and isinstance(i.get("text"), str) for i in items
    ):
        return "the evidence column is not a list of {source, text}"
    return tuple(Evidence(i["source"], i["text"]) for i in items)


class _Edges:
    """KGX edge records -> edges, with each predicate and qualifier combination mapped once."""

    def __init__(self, nodes: Mapping[str, Node]) -> None:
        self._nodes = nodes
        self._slugs = schema().predicates
        self._mapped: dict[tuple[str, str, str, str], str | None] = {}

    def edge(self, rec: Mapping[str, str | list[str]], number: int, subject: str, obj: str) -> Edge | Skip:
        """The edge record ``rec`` (its ``subject`` and ``object`` given, as text) as an edge, or a skip."""
        biolink = _text(rec, "predicate")
        original = _text(rec, "original_predicate")
        slug = original[4:] if original.startswith("hkg:") else ""
        if slug not in self._slugs:
            key = (
                biolink,
                _text(rec, "object_aspect_qualifier"),
                _text(rec, "object_direction_qualifier"),
                _text(rec, "causal_mechanism_qualifier"),
            )
            found = self._mapped.get(key, "")
            if found == "":
                found = predicate_of(*key)
                if len(self._mapped) < _BOUND:
                    self._mapped[key] = found
            if found is None:
                return Skip(number, f"predicate {biolink or 'empty'!r} has no equivalent in the ontology")
            slug = found
        context = {}
        columns = False
        for name, column in _CONTEXT_COLUMNS:
            if column in rec:
                columns = True
                value = _text(rec, column)
                if value:
                    context[name] = value
        if not columns:
            for column, name in (("species_context_qualifier", "species"), ("anatomical_context_qualifier", "tissue")):
                value = _text(rec, column)
                if value:
                    context[name] = value
        evidence: tuple[Evidence, ...] = ()
        quoted = _text(rec, "evidence")
        if quoted:
            parsed = _evidence(quoted)
            if isinstance(parsed, str):
                return Skip(number, parsed)
            evidence = parsed
        etype = _text(rec, "has_evidence")
        ident = _text(rec, "id")
        subject_node, object_node = self._nodes.get(subject), self._nodes.get(obj)
        return Edge(
            row=number,
            subject=Node(subject) if subject_node is None else subject_node,
            object=Node(obj) if object_node is None else object_node,
            predicate=slug,
            record=f"KGX edge {ident or f'row {number}'}",
            pmids=_list(rec, "publications"),
            sources=_list(rec, "sources"),
            evidence=evidence,
            context=context,
            negated=_text(rec, "negated").casefold() in _TRUE,
            summary=_text(rec, "knowledge_level") == "logical_entailment",
            via=tuple(sorted(set(_list(rec, "via")))),
            evidence_type=etype if etype.startswith("ECO:") else DATABASE_RECORD,
            magnitude=_text(rec, "magnitude") or None,
            reaction=_text(rec, "reaction") or None,
            note=_text(rec, "note") or None,
            id=ident[5:] if ident.startswith("stmt:") else None,
            description=f"{subject} {biolink} {obj}",
        )


def read_kgx(path: Path, progress: Progress | None = None) -> Iterator[Edge | Skip | Node]:
    """Every edge of a KGX edges file (TSV or JSON lines) as an :class:`Edge` or :class:`Skip`, then its nodes.

    Every node of the nodes file comes last: entities on no edge are entities of the graph too.
    """
    found = nodes_file(path)
    nodes = _read_nodes(found) if found is not None else {}
    any_row = False
    edges = _Edges(nodes)
    for number, rec in _records(path, progress):
        any_row = True
        subject, obj = _text(rec, "subject"), _text(rec, "object")
        if not subject or not obj:
            raise fail(path, "kgx-edge", "an edge needs subject and object (is this the nodes file?)", number)
        yield edges.edge(rec, number, subject, obj)
    if not any_row:
        raise fail(path, "non-empty", "no edges")
    yield from nodes.values()
