"""DrugMechDB indication paths (YAML) -> edges (docs/importers/drugmechdb.md says what maps to what).

DrugMechDB (SuLab/DrugMechDB, its ``CurationGuide.md``) publishes ``indication_paths.yaml``: a YAML list of
mechanism paths, each a networkx node-link graph with ``graph`` (``_id``, ``drug``, ``drug_mesh``,
``disease``, ``disease_mesh``, ``drugbank``), ``nodes`` (``id`` such as ``MESH:D000077384`` or
``UniProt:P11511``, ``label`` a concept type such as ``Drug``/``Protein``, ``name``, optional ``alt_ids``),
``links`` (``source``, ``target``, ``key`` a Biolink predicate in words: ``decreases activity of``), an optional
``comment`` and ``reference`` (URLs). Every link becomes a statement (its predicate mapped with its polarity),
and so does the indication itself (the drug ``treats`` the disease, a summary). A path quotes no sentence: each
statement's evidence says it is a database record (ECO:0000322) and names the path id. The file is read one
path at a time (each top-level ``-`` item is parsed alone), so the 5,000-path file fits in little memory.

>>> PREDICATES["decreases activity of"], PREDICATES["produced by"]
(('inhibits', False), ('produces', True))
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from kg.imports.files import fail, read_lines
from kg.imports.mapping import DATABASE_RECORD, Edge, Mapper, Node, Origin, Progress, Skip

__all__ = ["CONCEPT_TYPES", "PREDICATES", "edges_of", "read_drugmechdb"]

#: DrugMechDB link ``key`` -> (this ontology's predicate, whether subject and object swap). Each link is one
#: step of the mechanism (not a summary): ``decreases activity of`` is ``inhibits`` and ``increases activity of``
#: ``activates``, as SIGNOR's direct activity changes are; inverse wordings (``produced by``) swap the ends.
#: Correlations, ``participates in``, ``has participant``, ``prevents``, ``disrupts``… have no predicate here.
PREDICATES: Mapping[str, tuple[str, bool]] = {
    "decreases activity of": ("inhibits", False),
    "increases activity of": ("activates", False),
    "decreases abundance of": ("decreases", False),
    "increases abundance of": ("increases", False),
    "decreases expression of": ("decreases", False),
    "increases expression of": ("increases", False),
    "positively regulates": ("positively_regulates", False),
    "negatively regulates": ("negatively_regulates", False),
    "regulates": ("affects", False),
    "affects": ("affects", False),
    "produces": ("produces", False),
    "produced by": ("produces", True),
    "causes": ("causes", False),
    "caused by": ("causes", True),
    "contributes to": ("contributes_to", False),
    "treats": ("treats", False),
    "located in": ("located_in", False),
    "location of": ("located_in", True),
    "expressed in": ("expressed_in", False),
    "expresses": ("expressed_in", True),
    "part of": ("part_of", False),
    "capable of": ("carries_out", False),
    "molecularly interacts with": ("binds", False),
    "physically interacts with": ("binds", False),
}
#: DrugMechDB concept type (``label``) -> this graph's category (Biolink's CellularComponent is an anatomical
#: entity, a Pathway a biological process); other types take the category their id's prefix implies.
CONCEPT_TYPES: Mapping[str, str] = {
    "Drug": "Drug",
    "ChemicalSubstance": "Chemical",
    "SmallMolecule": "Chemical",
    "Protein": "Protein",
    "GeneFamily": "Protein",
    "BiologicalProcess": "BiologicalProcess",
    "Pathway": "BiologicalProcess",
    "MolecularActivity": "MolecularActivity",
    "Disease": "Disease",
    "PhenotypicFeature": "Phenotype",
    "Cell": "CellType",
    "CellularComponent": "Anatomy",
    "GrossAnatomicalStructure": "Anatomy",
}
_PUBMED = re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d{1,9})\b")
_DOI = re.compile(r"doi\.org/(10\.\S+)")
_MAX_PATH_CHARS = 16 * 1024 * 1024
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: same results, faster


@cache
def _mapper() -> Mapper:
    return Mapper(Origin.of("drugmechdb", "indication_paths.yaml"), curated=())


def _key(value: Any) -> str:
    """A link key as written (``decreases activity of``, ``biolink:decreases_activity_of``) in one spelling."""
    text = str(value or "").strip().casefold()
    return " ".join(text.removeprefix("biolink:").replace("_", " ").split())


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, str | int | float) else ""


def _node(ident: str, given: Mapping[str, Any] | None) -> Node:
    given = given or {}
    alt = given.get("alt_ids")
    xrefs = []
    for other in alt if isinstance(alt, list) else ():
        found, _ = _mapper().parse_curie(str(other))
        if found is not None:
            xrefs.append(found)
    return Node(
        id=ident,
        name=_text(given.get("name")),
        category=CONCEPT_TYPES.get(_text(given.get("label"))),
        xrefs=tuple(dict.fromkeys(xrefs)),
    )


def _citations(references: Any) -> tuple[tuple[str, ...], list[str]]:
    """PMID/DOI CURIEs found in a path's reference URLs, and the references as written (for the note)."""
    urls = [_text(r) for r in references if _text(r)] if isinstance(references, list) else []
    cites: list[str] = []
    for url in urls:
        cites.extend(f"PMID:{m}" for m in _PUBMED.findall(url))
        cites.extend(f"DOI:{m.rstrip('.,;')}" for m in _DOI.findall(url))
    return tuple(dict.fromkeys(cites)), urls


def edges_of(path: Mapping[str, Any], first: int) -> list[Edge | Skip]:
    """The links of one DrugMechDB path, then its indication, as edges (rows numbered from ``first``)."""
    given_graph = path.get("graph")
    graph: Mapping[str, Any] = given_graph if isinstance(given_graph, Mapping) else {}
    ident = _text(graph.get("_id")) or f"path at row {first}"
    links = path.get("links")
    if not isinstance(links, list) or not links:
        return [Skip(first, "a DrugMechDB path without links")]
    given = {str(n.get("id")): n for n in path.get("nodes") or () if isinstance(n, Mapping) and n.get("id")}
    pmids, urls = _citations(path.get("reference"))
    drug, disease = _text(graph.get("drug")), _text(graph.get("disease"))
    head = f"DrugMechDB path {ident} ({drug or '?'} for {disease or '?'})"
    base = [head]
    if _text(path.get("comment")):
        base.append(f"comment: {_text(path.get('comment'))}")
    if urls:
        base.append("reference: " + " ".join(urls))
    out: list[Edge | Skip] = []
    for i, link in enumerate(links, start=1):
        number = first + i - 1
        if not isinstance(link, Mapping) or not link.get("source") or not link.get("target"):
            out.append(Skip(number, "a DrugMechDB link without source and target"))
            continue
        key = _key(link.get("key"))
        if key not in PREDICATES:
            out.append(Skip(number, f"link key {key or 'empty'!r} has no predicate in the ontology"))
            continue
        predicate, swap = PREDICATES[key]
        source, target = _text(link["source"]), _text(link["target"])
        subject, obj = _node(source, given.get(source)), _node(target, given.get(target))
        if swap:
            subject, obj = obj, subject
        said = f"{subject.name or subject.id} {key} {obj.name or obj.id}"
        if swap:
            said = f"{obj.name or obj.id} {key} {subject.name or subject.id}"
        out.append(
            Edge(
                row=number,
                subject=subject,
                object=obj,
                predicate=predicate,
                record=f"{head}, link {i} of {len(links)}",
                pmids=pmids,
                evidence_type=DATABASE_RECORD,
                note="; ".join([*base, f"link {i}: {key}"]),
                description=said,
            )
        )
    drug_id, disease_id = _text(graph.get("drug_mesh")), _text(graph.get("disease_mesh"))
    number = first + len(links)
    if drug_id and disease_id:
        drug_node = _node(drug_id, given.get(drug_id) or {"name": drug, "label": "Drug"})
        disease_node = _node(disease_id, given.get(disease_id) or {"name": disease, "label": "Disease"})
        out.append(
            Edge(
                row=number,
                subject=drug_node,
                object=disease_node,
                predicate="treats",
                record=f"{head}, the indication",
                pmids=pmids,
                summary=True,
                evidence_type=DATABASE_RECORD,
                note="; ".join([*base, "the indication the path explains"]),
                description=f"{drug or drug_id} is indicated for {disease or disease_id}",
            )
        )
    else:
        out.append(Skip(number, "a path without graph.drug_mesh and graph.disease_mesh (no indication)"))
    return out


def _paths(path: Path, progress: Progress | None) -> Iterator[tuple[int, Any]]:
    """``(line, item)`` for each top-level item of the YAML list, each parsed on its own."""
    chunk: list[str] = []
    start = 0
    size = 0
    for number, line in read_lines(path, progress):
        if line.startswith("-") and (len(line) == 1 or line[1] in " \t") and not line.startswith("---"):
            if chunk:
                yield start, _load(path, chunk, start)
            chunk, start, size = [line], number, 0
        elif chunk:
            chunk.append(line)
            size += len(line)
            if size > _MAX_PATH_CHARS:
                raise fail(path, "drugmechdb-path", f"a path longer than {_MAX_PATH_CHARS} characters", start)
        elif line.strip() and not line.lstrip().startswith("#") and line.strip() not in ("---", "..."):
            message = "a DrugMechDB file is a YAML list of paths, each item starting '- ' at the start of a line"
            raise fail(path, "drugmechdb-shape", message, number)
    if chunk:
        yield start, _load(path, chunk, start)


def _load(path: Path, chunk: list[str], start: int) -> Any:
    try:
        value = yaml.load("\n".join(chunk), Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = start + mark.line if mark is not None else start
        raise fail(path, "yaml-syntax", f"malformed YAML: {getattr(err, 'problem', None) or err}", line) from err
    if not isinstance(value, list) or len(value) != 1 or not isinstance(value[0], Mapping):
        raise fail(path, "drugmechdb-path", "each list item is a path: a mapping with graph, nodes and links", start)
    return value[0]


def read_drugmechdb(path: Path, progress: Progress | None = None) -> Iterator[Edge | Skip]:
    """Every link (and indication) of a DrugMechDB paths file as an :class:`Edge` or :class:`Skip`.

    Rows are numbered over the file's links, each path's indication after its links. Raises
    :class:`~kg.errors.ImportFormatError` for a file that is not a YAML list of paths, or malformed YAML.
    """
    number = 1
    for _line, item in _paths(path, progress):
        made = edges_of(item, number)
        number += len(made)
        yield from made
    if number == 1:
        raise fail(path, "non-empty", "no DrugMechDB paths")
