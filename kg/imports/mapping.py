"""What every importer shares: prefixes, predicates, contexts, identity through cross-references, provenance.

A format reader (:mod:`kg.imports.signor`, :mod:`kg.imports.kgx`, …) turns each row of its file into an
:class:`Edge` (or a :class:`Skip` naming why the row cannot be used); a :class:`Mapper` turns edges into
:class:`~kg.model.Statement` objects of this graph's model:

- **prefixes** onto the registered ones (:data:`PREFIX_ALIASES`: ``UNIPROT`` → ``UniProtKB``, ``ChEBI`` →
  ``CHEBI``…); an id with a prefix the graph does not register is skipped, with its prefix named in the report;
- **identity**: an id that is a curated entity's id, or one of its ``xrefs``, lands on the curated entity
  (``MESH:D004958`` → ``CHEBI:16469``, reported as merged through the xref); any other node becomes an entity
  marked imported (:data:`kg.model.IMPORTED_ENTITY`), and one whose name is a curated entity's name is reported
  as a conflict (name resolution keeps answering with the curated entity: :class:`kg.store.resolve.NameIndex`);
- **provenance**: every statement cites the import's origin (``src:import-<name>``, the trust tier of
  :func:`kg.model.imported`) and the row's PMIDs; its evidence is the row's sentence where the source has one,
  else a description of the database record (never an invented sentence) with :data:`DATABASE_RECORD`.

>>> m = Mapper(Origin.of("signor", "rows.tsv"), curated=())
>>> m.curie("UNIPROT", "P03372")
'UniProtKB:P03372'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from kg.model import CATEGORIES, IMPORT_PREFIX, IMPORTED_ENTITY, Entity, Evidence, Source, Statement
from kg.ontology import schema
from kg.prefixes import PREFIXES

__all__ = [
    "DATABASE_RECORD",
    "MACHINE_RECORD",
    "PREFIX_ALIASES",
    "Edge",
    "ImportReport",
    "Mapper",
    "Node",
    "Origin",
    "Progress",
    "Skip",
]

#: ECO:0000322 "imported manually asserted information used in automatic assertion": a curated database's
#: record (SIGNOR, DrugMechDB, a KGX file from a curated graph). Label seen in a stored Monarch API response
#: (``"evidence_types":[{"id":"ECO:0000322","label":"imported manually asserted information used in
#: automatic assertion"}]``) and in an ECO label table of a public repository, both found with the search tool.
DATABASE_RECORD = "ECO:0000322"
#: ECO:0000323 "imported automatically asserted information used in automatic assertion": a statement a
#: machine reader extracted (INDRA evidence from REACH, Sparser…); label seen in the same ECO label table.
MACHINE_RECORD = "ECO:0000323"

#: Prefixes as other resources write them -> the registered prefix of :data:`kg.namespaces.PREFIXES`.
PREFIX_ALIASES: Mapping[str, str] = {
    "uniprot": "UniProtKB",
    "uniprotkb": "UniProtKB",
    "up": "UniProtKB",
    "chebi": "CHEBI",
    "mesh": "MESH",
    "hgnc": "HGNC",
    "ncbigene": "NCBIGene",
    "entrez": "NCBIGene",
    "egid": "NCBIGene",
    "go": "GO",
    "cl": "CL",
    "uberon": "UBERON",
    "mondo": "MONDO",
    "doid": "DOID",
    "hp": "HP",
    "efo": "EFO",
    "ncbitaxon": "NCBITaxon",
    "taxonomy": "NCBITaxon",
    "pubmed": "PMID",
    "pmid": "PMID",
    "doi": "DOI",
}
_REGISTERED = {p.casefold(): p for p in PREFIXES if p not in ("stmt", "finding", "pop", "regimen", "src", "hkg")}

#: The category an imported node gets from its prefix when the file says nothing more precise.
_CATEGORY_OF_PREFIX = {
    "UniProtKB": "Protein",
    "HGNC": "Gene",
    "NCBIGene": "Gene",
    "CHEBI": "Chemical",
    "GO": "BiologicalProcess",
    "CL": "CellType",
    "UBERON": "Anatomy",
    "MONDO": "Disease",
    "DOID": "Disease",
    "HP": "Phenotype",
    "EFO": "ClinicalMeasure",
    "OBA": "ClinicalMeasure",
    "MESH": "Chemical",
}

_SLUG_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_.-]*):(\S+)$")

#: A progress callback: rows read so far, bytes read so far.
Progress = Callable[[int, int], None]

_BOUND = 1_000_000  # entries per cache of a Mapper (node ids, PMID lists): what recurs is worked out once
#: Where a node lands (an entity id, or (None, why not)) and what the report counts: ``""`` a curated id, the
#: merge ``"X -> Y"``, or None (nothing).
_Landing = tuple[str | tuple[None, str], str | None]


@dataclass(frozen=True)
class Origin:
    """Where imported statements come from: a source record ``src:import-<name>`` every one of them cites."""

    name: str
    format: str
    file: str

    @classmethod
    def of(cls, fmt: str, path: str | Path, name: str | None = None) -> Origin:
        """The origin of importing ``path`` as ``fmt``; ``name`` (a slug) defaults to ``<format>-<file stem>``.

        >>> Origin.of("signor", "/data/SIGNOR human.tsv").id
        'src:import-signor-SIGNOR-human'
        """
        stem = Path(path).name.split(".")[0]
        slug = _SLUG_CHARS.sub("-", name or f"{fmt}-{stem}").strip("-.") or fmt
        return cls(name=slug, format=fmt, file=Path(path).name)

    @property
    def id(self) -> str:
        """The origin's source id (``src:import-<name>``)."""
        return IMPORT_PREFIX + self.name

    def source(self) -> Source:
        """The origin as a registry record (what the statements cite; says it was not verified by a curator)."""
        return Source(
            id=self.id,
            title=f"{self.format} file {self.file}, imported with hormone-kg import",
            verified=f"not verified by a curator: rows of {self.file} as the {self.format} importer maps them",
        )


class Node(NamedTuple):
    """One end of an edge as the file gives it: an id (a CURIE, or a prefix and a local id), a name, a category.

    A named tuple, like :class:`Edge`: immutable, and cheap to make at the rate rows are read.
    """

    id: str
    name: str = ""
    category: str | None = None  # one of kg.model.CATEGORIES, when the file says
    xrefs: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    description: str | None = None


class Edge(NamedTuple):
    """One row as a statement candidate: everything a reader could take from it, in this graph's terms.

    A named tuple: immutable, and several times cheaper to make than a frozen dataclass (one per row).
    """

    row: int
    subject: Node
    object: Node
    predicate: str  # a predicate slug of the ontology
    record: str  # the database record (SIGNOR-241929) or "row N"
    pmids: tuple[str, ...] = ()  # PMID:/DOI: CURIEs
    sentence: str | None = None
    context: Mapping[str, str] = MappingProxyType({})
    negated: bool = False
    summary: bool = False
    via: tuple[str, ...] = ()
    evidence_type: str | None = None
    evidence: tuple[Evidence, ...] = ()  # given as such (KGX of this graph); else made from pmids/sentence
    sources: tuple[str, ...] = ()  # given as such (KGX of this graph)
    note: str | None = None
    magnitude: str | None = None
    reaction: str | None = None
    id: str | None = None  # a statement id to keep (KGX of this graph)
    description: str = ""  # what the record says, for the evidence of a record without a sentence


class Skip(NamedTuple):
    """A row that cannot become a statement, and why (a short reason, grouped in the report)."""

    row: int
    reason: str


@dataclass
class ImportReport:
    """Rows read -> statements made / rows skipped, grouped by reason; entities merged, made and in conflict."""

    format: str
    file: str
    origin: str
    rows: int = 0
    statements: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[int]] = field(default_factory=dict)  # reason -> first rows skipped for it
    merged: Counter[str] = field(default_factory=Counter)  # "MESH:D004958 -> CHEBI:16469 (xref)"
    curated: int = 0  # node ids that are curated entities' own ids
    new_entities: int = 0
    conflicts: list[str] = field(default_factory=list)
    notes: Counter[str] = field(default_factory=Counter)  # kept, with something dropped (e.g. a BTO cell)

    def skip(self, row: int, reason: str) -> None:
        """Count a skipped row."""
        self.skipped[reason] += 1
        first = self.examples.setdefault(reason, [])
        if len(first) < 5:
            first.append(row)

    def summary(self) -> str:
        """The report as lines of text.

        >>> r = ImportReport("signor", "x.tsv", "src:import-x", rows=2, statements=1)
        >>> r.skip(2, "effect 'unknown' has no sign")
        >>> print(r.summary())
        x.tsv (signor): 2 rows -> 1 statement, 1 skipped
          skipped 1: effect 'unknown' has no sign (rows 2)
        """
        skipped = sum(self.skipped.values())
        plural = "" if self.statements == 1 else "s"
        head = f"{self.file} ({self.format}): {self.rows} rows -> {self.statements} statement{plural}"
        lines = [f"{head}, {skipped} skipped"]
        for reason, n in sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0])):
            rows = ", ".join(map(str, self.examples.get(reason, [])))
            lines.append(f"  skipped {n}: {reason} (rows {rows}{', …' if n > 5 else ''})")
        for what, n in sorted(self.merged.items()):
            lines.append(f"  merged through the xref: {what} ({n} rows)")
        if self.curated:
            lines.append(f"  {self.curated} node ids are curated entities")
        if self.new_entities:
            lines.append(f"  {self.new_entities} new entities (marked imported)")
        lines.extend(f"  conflict: {c}" for c in self.conflicts)
        lines.extend(f"  kept, {what}: {n}" for what, n in sorted(self.notes.items()))
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready mapping."""
        return {
            "format": self.format,
            "file": self.file,
            "origin": self.origin,
            "rows": self.rows,
            "statements": self.statements,
            "skipped": dict(sorted(self.skipped.items())),
            "merged": dict(sorted(self.merged.items())),
            "curated_ids": self.curated,
            "new_entities": self.new_entities,
            "conflicts": list(self.conflicts),
            "notes": dict(sorted(self.notes.items())),
        }


def _normal(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", name.casefold())


class Mapper:
    """Edges -> statements of this graph, with identity merged onto ``curated`` entities (see the module doc)."""

    def __init__(
        self, origin: Origin, curated: Iterable[Entity], registered: Iterable[str] = (), keep_ids: bool = False
    ) -> None:
        self.origin = origin
        self._name = origin.name
        self.report = ImportReport(origin.format, origin.file, origin.id)
        self.keep_ids = keep_ids
        self._curated: dict[str, Entity] = {}
        self._via_xref: dict[str, str] = {}
        self._names: dict[str, str] = {}
        for e in curated:
            self._curated[e.id] = e
            for x in e.xrefs:
                self._via_xref.setdefault(x, e.id)
            for n in e.names():
                self._names.setdefault(_normal(n), e.id)
        self._registered = set(registered)
        self.entities: dict[str, Entity] = {}  # the new (imported) entities, by id
        self.sources: dict[str, Source] = {origin.id: origin.source()}
        self._predicates = schema().predicates
        self._ids: set[str] = set()
        self._parsed: dict[str, tuple[str | None, str]] = {}
        self._landed: dict[str | tuple[str, tuple[str, ...]], _Landing] = {}  # node -> where it lands
        self._cited: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[tuple[str, ...], tuple[str, ...]]] = {}

    # ------------------------------------------------------------------ identifiers
    def curie(self, prefix: str, local: str) -> str | None:
        """``prefix:local`` with the prefix registered (aliases mapped), or None when the prefix is not registered.

        >>> m = Mapper(Origin.of("kgx", "x.tsv"), curated=())
        >>> m.curie("ChEBI", "CHEBI:16469"), m.curie("PUBCHEM", "5757")
        ('CHEBI:16469', None)
        """
        key = prefix.strip().casefold()
        registered = PREFIX_ALIASES.get(key) or _REGISTERED.get(key)
        if registered is None:
            return None
        local = local.strip()
        if local.casefold().startswith(key + ":"):  # CHEBI:CHEBI:16469, as some files write it
            local = local[len(key) + 1 :]
        return f"{registered}:{local}" if local else None

    def parse_curie(self, value: str) -> tuple[str | None, str]:
        """A CURIE as written in a file -> (the registered CURIE or None, its prefix as written)."""
        known = self._parsed.get(value)
        if known is not None:
            return known
        match = _CURIE.match(value.strip())
        found = (None, value.strip()) if match is None else (self.curie(match.group(1), match.group(2)), match.group(1))
        if len(self._parsed) < _BOUND:  # ids repeat across rows: parse each once (bounded)
            self._parsed[value] = found
        return found

    # ------------------------------------------------------------------ identity
    def entity(self, node: Node, row: int) -> str | tuple[None, str]:
        """The entity id a node lands on (curated, merged through an xref, or new), or (None, why not).

        Where a node id (with its xrefs) lands is worked out once (bounded); the report counts every row.
        """
        key = (node.id, node.xrefs) if node.xrefs else node.id
        landing = self._landed.get(key)
        if landing is None:
            landing = self._land(node)
            if len(self._landed) < _BOUND:
                self._landed[key] = landing
        target, merged = landing
        if merged is None:
            return target
        if merged:
            self.report.merged[merged] += 1
        else:
            self.report.curated += 1
        return target

    def _land(self, node: Node) -> _Landing:
        """Where ``node`` lands, and what the report counts for it: ``""`` a curated id, else the merge (or None)."""
        curie, prefix = self.parse_curie(node.id)
        if curie is None:
            why = f"unregistered prefix {prefix!r}" if prefix != node.id.strip() else "an id that is no CURIE"
            return (None, why), None
        if curie in self._curated:
            return curie, ""
        for candidate in (curie, *node.xrefs):
            target = self._via_xref.get(candidate) or (candidate if candidate in self._curated else None)
            if target is not None:
                return target, f"{curie} -> {target}"
        if curie not in self.entities:
            self._new_entity(curie, node)
        return curie, None

    def declare(self, node: Node) -> None:
        """A node on no edge (a KGX nodes file lists every entity): declared too, unless curated or unusable."""
        curie, prefix = self.parse_curie(node.id)
        if curie is None:
            self.report.notes[f"nodes left out: unregistered prefix {prefix!r}"] += 1
        elif curie not in self._curated and curie not in self.entities and not self._merges(curie, node):
            self._new_entity(curie, node)

    def _merges(self, curie: str, node: Node) -> bool:
        return any(c in self._via_xref for c in (curie, *node.xrefs))

    def _new_entity(self, curie: str, node: Node) -> None:
        label = " ".join(node.name.split()) or curie
        clash = self._names.get(_normal(label))
        if clash is not None:
            self.report.conflicts.append(
                f"{curie} {label!r} has the name of the curated {clash} but no cross-reference links them: kept "
                f"apart (names still resolve to {clash}); add the xref to {clash} if they are the same"
            )
        prefix = curie.split(":", 1)[0]
        category = node.category if node.category in CATEGORIES else _CATEGORY_OF_PREFIX.get(prefix, "Chemical")
        xrefs = tuple(sorted({x for x in node.xrefs if x != curie and ":" in x and x.split(":")[0] in PREFIXES}))
        self.entities[curie] = Entity(
            id=curie,
            label=label,
            category=category,
            synonyms=tuple(sorted(set(node.synonyms))),
            abbreviations=tuple(sorted(set(node.abbreviations))),
            xrefs=xrefs,
            broader=tuple(sorted(set(node.broader))),
            description=node.description or None,
            comment=f"a project id as {self.origin.file} gives it" if prefix == "HKG" else None,
            verified=f"{IMPORTED_ENTITY} {self.origin.format} file {self.origin.file}",
        )
        self.report.new_entities += 1

    # ------------------------------------------------------------------ statements
    def statement(self, edge: Edge) -> Statement | None:
        """The statement an edge makes (None, counted in the report, when it cannot make one)."""
        report = self.report
        report.rows += 1
        subject = self.entity(edge.subject, edge.row)
        if isinstance(subject, tuple):
            report.skip(edge.row, f"subject: {subject[1]}")
            return None
        obj = self.entity(edge.object, edge.row)
        if isinstance(obj, tuple):
            report.skip(edge.row, f"object: {obj[1]}")
            return None
        info = self._predicates.get(edge.predicate)
        if info is None:
            report.skip(edge.row, f"predicate {edge.predicate!r} is not in the ontology")
            return None
        sid = edge.id if self.keep_ids and edge.id else f"{self._name}.{edge.row}"
        if sid in self._ids:
            report.skip(edge.row, "a statement id already used in this file")
            return None
        self._ids.add(sid)
        sources, evidence = self._provenance(edge, subject, obj)
        report.statements += 1
        return Statement(
            id=sid,
            subject=subject,
            predicate=edge.predicate,
            object=obj,
            sign=info.polarity,
            sources=sources,
            evidence=evidence,
            context=edge.context,  # the statement keeps a sorted, read-only copy
            magnitude=edge.magnitude,
            reaction=edge.reaction,
            negated=edge.negated,
            evidence_type=edge.evidence_type,
            note=edge.note,
            summary=edge.summary,
            via=edge.via,
        )

    def _cites(self, edge: Edge) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """An edge's publications as registered CURIEs, and those with the origin, sorted.

        Each is declared a source the first time it is cited; worked out once per ``(pmids, sources)`` (bounded).
        """
        key = (edge.pmids, edge.sources)
        known = self._cited.get(key)
        if known is not None:  # every one of them is declared already
            return known
        pmids: list[str] = []
        for p in (*edge.pmids, *edge.sources):
            curie, _ = self.parse_curie(p) if not p.startswith("src:") else (p, "src")
            if curie is not None and curie not in pmids:
                pmids.append(curie)
        for p in pmids:
            if p not in self._registered and p not in self.sources and not p.startswith("src:"):
                self.sources[p] = Source(
                    id=p,
                    title=f"{p}, cited by {self.origin.file} (title not imported)",
                    verified=f"not verified by a curator: cited by {edge.record} of {self.origin.file}",
                )
        known = tuple(pmids), tuple(sorted({*pmids, self.origin.id}))
        if len(self._cited) < _BOUND:
            self._cited[key] = known
        return known

    def _provenance(self, edge: Edge, subject: str, obj: str) -> tuple[tuple[str, ...], tuple[Evidence, ...]]:
        pmids, sources = self._cites(edge)
        origin = self.origin.id
        if edge.evidence:
            cited = sorted({*pmids, *(e.source for e in edge.evidence), origin})
            return tuple(cited), edge.evidence
        if edge.sentence and len(pmids) == 1:
            return sources, (Evidence(pmids[0], edge.sentence),)
        if edge.sentence:
            return sources, (Evidence(origin, f"{edge.record} quotes: {edge.sentence}"),)
        what = edge.description or f"{subject} {edge.predicate} {obj}"
        return sources, (Evidence(origin, f"{edge.record} (a database record; it quotes no sentence): {what}"),)
