"""BEL scripts -> edges, read with PyBEL (docs/importers/bel.md says what maps to what, and what is dropped).

PyBEL (``pybel.from_bel_script``; an optional dependency: ``pip install 'hormone-kg[bel]'``) parses the BEL
script; namespaces and annotations defined by URL are **not** downloaded (``no_identifier_validation``: nothing
reaches the network) and PyBEL's definition cache is an in-memory SQLite database (nothing written). Each
asserted relation becomes an edge: ``increases``/``decreases`` are summaries (net effects), ``directlyIncreases``
/ ``directlyDecreases`` direct steps (``activates``/``inhibits`` when the object is an activity, ``act(…)``),
``causesNoChange`` a negated ``affects``. Its citation (PubMed, DOI) and support text are the provenance; the
``Species`` annotation is the species context, an ``Anatomy``/``Tissue``/``Cell``/``CellType`` annotation
whose value is a UBERON or CL id is the tissue context. PyBEL holds the whole document in memory (BEL
documents are curated by hand: thousands of statements, not millions).

>>> RELATIONS["directlyDecreases"], RELATIONS["causesNoChange"]
(('decreases', False, False), ('affects', False, True))
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, redirect_stdout
from functools import cache
from pathlib import Path
from typing import Any

from kg.errors import ImportFormatError, Violation
from kg.imports.files import fail, read_lines
from kg.imports.mapping import DATABASE_RECORD, Edge, Mapper, Node, Origin, Progress, Skip
from kg.sources.curation import load_bundled

__all__ = ["EXTRA", "NAMESPACES", "RELATIONS", "read_bel"]

#: The optional dependency set that installs PyBEL.
EXTRA = "bel"
#: BEL relation -> (predicate, summary, negated). The direct relations become ``activates``/``inhibits`` when
#: their object is an activity (:func:`_predicate`). PyBEL's causal sets (``CAUSAL_INCREASE_RELATIONS``,
#: ``CAUSAL_DECREASE_RELATIONS``) are exactly the four signed ones; ``regulates`` is causal without a sign.
RELATIONS: Mapping[str, tuple[str, bool, bool]] = {
    "increases": ("increases", True, False),
    "directlyIncreases": ("increases", False, False),
    "decreases": ("decreases", True, False),
    "directlyDecreases": ("decreases", False, False),
    "regulates": ("affects", True, False),
    "causesNoChange": ("affects", False, True),
    "partOf": ("part_of", False, False),
}
#: BEL namespace keyword -> registered prefix (BEL's many MeSH and GO namespaces are one prefix each here).
NAMESPACES: Mapping[str, str] = {
    "HGNC": "HGNC",
    "CHEBI": "CHEBI",
    "CHEBIID": "CHEBI",
    "MESH": "MESH",
    "MESHD": "MESH",
    "MESHPP": "MESH",
    "MESHC": "MESH",
    "MESHCS": "MESH",
    "MESHCL": "MESH",
    "MESHA": "MESH",
    "GO": "GO",
    "GOBP": "GO",
    "GOBPID": "GO",
    "GOCC": "GO",
    "GOCCID": "GO",
    "GOMF": "GO",
    "UP": "UniProtKB",
    "UNIPROT": "UniProtKB",
    "SP": "UniProtKB",
    "SPAC": "UniProtKB",
    "EGID": "NCBIGene",
    "EG": "NCBIGene",
    "NCBIGENE": "NCBIGene",
    "ENTREZ": "NCBIGene",
    "DOID": "DOID",
    "DO": "DOID",
    "HP": "HP",
    "MONDO": "MONDO",
    "CL": "CL",
    "UBERON": "UBERON",
    "EFO": "EFO",
}
#: Namespaces whose BEL *names* are identifiers (ChEBI ids, Swiss-Prot accessions, Entrez ids, GO ids).
_NAME_IS_ID = frozenset({"CHEBIID", "SPAC", "EGID", "EG", "NCBIGENE", "ENTREZ", "GOBPID", "GOCCID"})
_CATEGORY = {
    "Protein": "Protein",
    "Rna": "Gene",
    "MicroRna": "Gene",
    "Gene": "Gene",
    "Abundance": "Chemical",
    "BiologicalProcess": "BiologicalProcess",
    "Pathology": "Disease",
    "Population": "CellType",
}
_TISSUE_ANNOTATIONS = frozenset({"Anatomy", "Tissue", "Cell", "CellType", "Uberon", "Cl"})
_IGNORED_WARNINGS = frozenset({"MissingMetadataException", "VersionFormatWarning", "InvalidMetadataException"})
_SYMBOL = re.compile(r"^[A-Z][A-Z0-9-]*$")


def _pybel() -> Any:
    """The ``pybel`` module, or an error naming the extra that installs it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # PyBEL 0.15 uses pyparsing's old names
            import pybel  # type: ignore[import-untyped,import-not-found,unused-ignore]  # optional: only for BEL
    except ImportError as err:
        message = f"reading BEL needs PyBEL, which is not installed: pip install 'hormone-kg[{EXTRA}]'"
        raise ImportFormatError([Violation("optional-dependency", "pybel", message)], what="the BEL importer") from err
    return pybel


@cache
def _mapper() -> Mapper:
    return Mapper(Origin.of("bel", "document.bel"), curated=())


def _symbols() -> dict[str, str]:
    """HGNC symbol -> curated gene: each curated HGNC entity's abbreviations written like a symbol (ESR1)."""
    table: dict[str, str] = {}
    for entity in load_bundled().entities:
        if entity.id.startswith("HGNC:"):
            for name in entity.abbreviations:
                if _SYMBOL.match(name):
                    table.setdefault(name, entity.id)
    return table


def _node(entity: Any, symbols: Mapping[str, str], notes: list[str]) -> Node | str:
    """A BEL term as a :class:`Node`, or why it cannot be one (a note says when a symbol was read as an id)."""
    kind = type(entity).__name__
    if kind not in _CATEGORY:
        return f"a {kind} term is not an entity of this graph ({entity})"
    if getattr(entity, "variants", None):
        return f"a modified or variant form is not an entity of this graph ({entity})"
    namespace = str(getattr(entity, "namespace", "") or "")
    prefix = NAMESPACES.get(namespace.upper())
    if prefix is None:
        return f"namespace {namespace!r} is not a registered prefix"
    name = str(getattr(entity, "name", "") or "")
    identifier = str(getattr(entity, "identifier", "") or "")
    if not identifier and namespace.upper() in _NAME_IS_ID:
        identifier = name
    if not identifier and prefix == "HGNC" and name in symbols:
        notes.append(f"HGNC:{name} read as {symbols[name]} (the curated gene with that symbol)")
        return Node(id=symbols[name], name=name, category=_CATEGORY[kind])
    if not identifier:
        return f"a {namespace} name without an identifier (write {namespace}:<id> ! name)"
    curie = _mapper().curie(prefix, identifier)
    if curie is None:  # every NAMESPACES value is registered: kept for a prefix removed from kg.namespaces
        return f"namespace {namespace!r} is not a registered prefix"
    return Node(id=curie, name=name, category=_CATEGORY[kind])


def _predicate(relation: str, data: Mapping[str, Any]) -> tuple[str, bool, bool] | str:
    if relation not in RELATIONS:
        return f"BEL relation {relation!r} has no predicate in the ontology"
    modifier = data.get("target_modifier")
    kind = modifier.get("modifier") if isinstance(modifier, Mapping) else None
    if kind not in (None, "Activity"):
        return f"an object modifier ({kind}) this graph does not model"
    predicate, summary, negated = RELATIONS[relation]
    if kind == "Activity" and not summary and predicate in ("increases", "decreases"):
        predicate = "activates" if predicate == "increases" else "inhibits"
    return predicate, summary, negated


def _annotations(data: Mapping[str, Any], notes: list[str]) -> dict[str, str]:
    """Context qualifiers from the statement's annotations; the others are kept in the note."""
    context: dict[str, str] = {}
    annotations = data.get("annotations")
    for key, values in annotations.items() if isinstance(annotations, Mapping) else ():
        items = [str(v.get("identifier") or v.get("name") or "") if isinstance(v, Mapping) else str(v) for v in values]
        items = [v for v in items if v]
        if key == "Species" and len(items) == 1 and items[0].isdigit():
            context["species"] = f"NCBITaxon:{items[0]}"
            continue
        if key in _TISSUE_ANNOTATIONS and len(items) == 1:
            curie, _ = _mapper().parse_curie(items[0].split("!")[0].strip())
            if curie is not None and curie.split(":")[0] in ("UBERON", "CL") and "tissue" not in context:
                context["tissue"] = curie
                continue
        if key != "TextLocation":
            notes.append(f"annotation {key} = {', '.join(items)} (not a context of this graph)")
    return context


def _edge(line: int, u: Any, v: Any, data: Mapping[str, Any], symbols: Mapping[str, str]) -> Edge | Skip:
    relation = str(data.get("relation", ""))
    mapped = _predicate(relation, data)
    if isinstance(mapped, str):
        return Skip(line, mapped)
    notes = [f"BEL line {line}: {u} {relation} {v}"]
    subject = _node(u, symbols, notes)
    if isinstance(subject, str):
        return Skip(line, f"subject: {subject.split(' (')[0]}")
    obj = _node(v, symbols, notes)
    if isinstance(obj, str):
        return Skip(line, f"object: {obj.split(' (')[0]}")
    predicate, summary, negated = mapped
    citation = data.get("citation")
    pmids: tuple[str, ...] = ()
    if isinstance(citation, Mapping):
        namespace, ident = str(citation.get("namespace", "")).casefold(), str(citation.get("identifier", ""))
        if namespace == "pubmed" and ident.isdigit():
            pmids = (f"PMID:{ident}",)
        elif namespace == "doi" and ident.startswith("10."):
            pmids = (f"DOI:{ident}",)
        else:
            notes.append(f"citation {namespace}:{ident} (not a PMID or DOI)")
    context = _annotations(data, notes)
    evidence = " ".join(str(data.get("evidence") or "").split())
    return Edge(
        row=line,
        subject=subject,
        object=obj,
        predicate=predicate,
        record=f"BEL statement at line {line}",
        pmids=pmids,
        sentence=evidence or None,
        context=context,
        negated=negated,
        summary=summary,
        evidence_type=DATABASE_RECORD,
        note="; ".join(notes),
        description=f"{u} {relation} {v}",
    )


class _Lines:
    """A BEL file as PyBEL reads it (lines with their breaks, a ``name``), read through :func:`read_lines`."""

    def __init__(self, path: Path, progress: Progress | None) -> None:
        self.name = str(path)
        self._lines = read_lines(path, progress)

    def __iter__(self) -> Iterator[str]:
        return (text + "\n" for _, text in self._lines)


@contextmanager
def _quiet() -> Iterator[None]:
    """Keep PyBEL quiet while it parses: the warnings it logs and prints are in the import report instead.

    PyBEL prints each parse warning on standard output (``tqdm.write``), which would spoil ``--json``.
    """
    logger = logging.getLogger("pybel")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # PyBEL 0.15 uses pyparsing's old names
            yield
    finally:
        logger.setLevel(level)


def read_bel(path: Path, progress: Progress | None = None) -> Iterator[Edge | Skip]:
    """Every asserted relation of a BEL script as an :class:`Edge` or :class:`Skip`, in line order.

    Rows are the BEL lines: each statement's, and each line PyBEL could not use (a skip naming PyBEL's
    warning, e.g. ``BEL BELSyntaxError``). Raises :class:`~kg.errors.ImportFormatError` when PyBEL is not
    installed (naming the extra), or for a file that is missing, empty, binary or not UTF-8.
    """
    pybel = _pybel()
    lines = _Lines(path, progress)
    with _quiet():
        manager = pybel.manager.Manager(connection="sqlite://")
        try:
            graph = pybel.from_bel_script(lines, manager=manager, no_identifier_validation=True, disallow_nested=True)
        except (pybel.exceptions.PyBELWarning, ValueError) as err:  # a definition PyBEL refuses stops the parse
            line = getattr(err, "line_number", None)
            raise fail(path, "bel-syntax", f"PyBEL cannot read it: {type(err).__name__}: {err}", line) from err
    rows: list[tuple[int, Edge | Skip | None, Any]] = []
    for _, exc, _ in graph.warnings:
        name = type(exc).__name__
        line = int(getattr(exc, "line_number", 0) or 0)
        if name not in _IGNORED_WARNINGS and line > 0:
            rows.append((line, Skip(line, f"BEL {name}"), None))
    for u, v, data in graph.edges(data=True):
        if isinstance(data.get("line"), int):  # asserted in the document (PyBEL adds hasVariant, partOf…)
            rows.append((data["line"], None, (u, v, data)))
    if not rows:
        raise fail(path, "bel-statements", "no BEL statement (is this a BEL script?)")
    symbols = _symbols()
    done: set[int] = set()
    for line, skip, found in sorted(rows, key=lambda r: (r[0], r[1] is None)):
        if line in done:  # a symmetric relation PyBEL stores twice, or a warning's line
            continue
        done.add(line)
        if skip is not None:
            yield skip
        else:
            u, v, data = found
            yield _edge(line, u, v, data, symbols)
