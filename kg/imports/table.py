"""A plain CSV/TSV with a column map -> edges (``.csv`` is comma-separated, anything else tab-separated).

The column map names the file's column for each field: ``subject`` and ``object`` (CURIEs; required),
``predicate`` (required, its values this ontology's predicate slugs, or mapped through ``predicates``), and
optionally ``subject_name``, ``object_name``, ``pmid``, ``sentence``, ``species`` (an NCBITaxon id or number),
``tissue``, ``sex``, ``negated`` and ``direct``. docs/importers/table.md shows an example.

>>> COLUMN_FIELDS[:3]
('subject', 'object', 'predicate')
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from kg.imports.files import fail, read_lines
from kg.imports.mapping import DATABASE_RECORD, Edge, Node, Progress, Skip

__all__ = ["COLUMN_FIELDS", "read_table"]

COLUMN_FIELDS: tuple[str, ...] = (
    "subject", "object", "predicate", "subject_name", "object_name", "pmid", "sentence", "species", "tissue",
    "sex", "negated", "direct",
)  # fmt: skip
_TRUE = frozenset({"true", "t", "1", "yes", "y"})


def read_table(
    path: Path,
    columns: Mapping[str, str],
    predicates: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> Iterator[Edge | Skip]:
    """Every row of a CSV/TSV as an :class:`Edge` or a :class:`Skip`, through the column map ``columns``."""
    unknown = sorted(set(columns) - set(COLUMN_FIELDS))
    if unknown:
        raise fail(path, "column-map", f"unknown fields {unknown} in the column map; expected {list(COLUMN_FIELDS)}")
    missing = [f for f in ("subject", "object", "predicate") if f not in columns]
    if missing:
        raise fail(path, "column-map", f"the column map needs {missing}")
    delimiter = "," if path.suffix.lower() == ".csv" else "\t"
    lines = read_lines(path, progress)
    numbers: list[int] = []

    def text() -> Iterator[str]:
        for number, line in lines:
            numbers.append(number)
            yield line

    reader = csv.reader(text(), delimiter=delimiter)
    header: list[str] | None = None
    for cells in reader:
        number = numbers[-1] if numbers else 0
        if header is None:
            header = [c.strip() for c in cells]
            absent = sorted({c for c in columns.values() if c not in header})
            if absent:
                raise fail(path, "table-columns", f"the header lacks the mapped columns {absent}", number)
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise fail(path, "table-row", f"{len(cells)} fields where the header has {len(header)}", number)
        row = dict(zip(header, cells, strict=True))
        yield _edge(row, columns, predicates or {}, number)
    if header is None:
        raise fail(path, "non-empty", "no rows")


def _edge(row: Mapping[str, str], columns: Mapping[str, str], predicates: Mapping[str, str], n: int) -> Edge | Skip:
    def get(field: str) -> str:
        column = columns.get(field)
        return row.get(column, "").strip() if column else ""

    raw = get("predicate")
    predicate = predicates.get(raw, raw)
    if not predicate:
        return Skip(n, "no predicate")
    context = {}
    species = get("species")
    if species:
        context["species"] = f"NCBITaxon:{species}" if species.isdigit() else species
    for key in ("tissue", "sex"):
        if get(key):
            context[key] = get(key)
    pmids = tuple(f"PMID:{p}" if p.isdigit() else p for p in re.split(r"[|;,\s]+", get("pmid")) if p)
    direct = get("direct").casefold()
    return Edge(
        row=n,
        subject=Node(get("subject"), get("subject_name")),
        object=Node(get("object"), get("object_name")),
        predicate=predicate,
        record=f"row {n}",
        pmids=pmids,
        sentence=get("sentence") or None,
        context=context,
        negated=get("negated").casefold() in _TRUE,
        summary=bool(direct) and direct not in _TRUE,
        evidence_type=DATABASE_RECORD,
        description=f"{get('subject')} {raw} {get('object')}",
    )
