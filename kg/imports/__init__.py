"""Importers: other resources' files -> a curation YAML file of this graph (review it, then ``kg.load(extra=...)``).

One reader per format (:data:`FORMATS`), all through the shared mapping (:mod:`kg.imports.mapping`): predicates
onto the ontology with their polarity, prefixes onto registered ones, identity merged onto curated entities
through their ``xrefs``, contexts onto the context model, provenance kept (the row's PMID and sentence; a
database record's description and an ECO code where it has no sentence). Rows are read one at a time
(``progress(rows, bytes)`` is called as they go) and statements written one at a time, so any size fits in
memory. Every imported statement cites the import's origin ``src:import-<name>`` (:func:`kg.model.imported`):
it ranks after curated statements, and :func:`origin_of` tells them apart.

>>> from pathlib import Path
>>> import tempfile
>>> sample = Path(__file__).parents[2] / "tests" / "data" / "imports" / "signor.tsv"
>>> with tempfile.TemporaryDirectory() as tmp:
...     report = import_file("signor", sample, Path(tmp) / "signor.yaml")
>>> report.statements > 0 and report.rows == report.statements + sum(report.skipped.values())
True
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path

from kg.errors import ImportFormatError, Violation
from kg.imports.bel import read_bel
from kg.imports.drugmechdb import read_drugmechdb
from kg.imports.files import YamlSink, fail
from kg.imports.indra import read_indra
from kg.imports.kgx import read_kgx
from kg.imports.mapping import Edge, ImportReport, Mapper, Node, Origin, Progress, Skip
from kg.imports.signor import read_signor
from kg.imports.table import read_table
from kg.model import IMPORT_PREFIX, Curation, Entity, Statement
from kg.sources.curation import load_bundled

__all__ = ["FORMATS", "ImportReport", "import_file", "import_statements", "origin_of"]

Reader = Callable[[Path, Progress | None], Iterator[Edge | Skip | Node]]
log = logging.getLogger(__name__)

#: format name -> reader (``table`` needs a column map: :func:`import_file` ``columns=``; ``bel`` needs PyBEL)
FORMATS: dict[str, Reader] = {
    "signor": read_signor,
    "kgx": read_kgx,
    "indra": read_indra,
    "drugmechdb": read_drugmechdb,
    "bel": read_bel,
}


def origin_of(statement: Statement) -> str:
    """``"curated"``, or the name of the import a statement came from (its ``src:import-`` source).

    >>> from kg.model import Evidence
    >>> origin = "src:import-signor-x"
    >>> origin_of(Statement("x", "A:1", "increases", "A:2", 1, (origin,), (Evidence(origin, "t"),)))
    'signor-x'
    """
    for s in statement.sources:
        if s.startswith(IMPORT_PREFIX):
            return s[len(IMPORT_PREFIX) :]
    return "curated"


def _reader(fmt: str, columns: Mapping[str, str] | None, predicates: Mapping[str, str] | None) -> Reader:
    if fmt == "table":
        if columns is None:
            raise ImportFormatError([Violation("column-map", "table", "the table format needs a column map")])
        return partial(_table, columns=columns, predicates=predicates)
    if fmt not in FORMATS:
        known = sorted([*FORMATS, "table"])
        raise ImportFormatError([Violation("import-format", fmt, f"unknown import format; expected one of {known}")])
    return FORMATS[fmt]


def _table(
    path: Path, progress: Progress | None, *, columns: Mapping[str, str], predicates: Mapping[str, str] | None
) -> Iterator[Edge | Skip | Node]:
    return read_table(path, columns, predicates, progress)


def import_statements(
    fmt: str,
    path: str | Path,
    *,
    curated: Iterable[Entity] | None = None,
    registered: Iterable[str] | None = None,
    name: str | None = None,
    columns: Mapping[str, str] | None = None,
    predicates: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    keep_ids: bool = False,
) -> tuple[Mapper, Iterator[Statement]]:
    """The mapper (its report, entities and sources fill as rows are read) and the statements, one at a time.

    ``curated`` are the entities imports merge onto (default: the bundled curation's); ``registered`` the
    source ids already in the registry (not declared again). ``keep_ids`` keeps a KGX edge's statement id.
    """
    file = Path(path)
    reader = _reader(fmt, columns, predicates)
    if curated is None or registered is None:
        bundled = load_bundled()
        curated = bundled.entities if curated is None else curated
        registered = [s.id for s in bundled.sources] if registered is None else registered
    mapper = Mapper(Origin.of(fmt, file, name), curated, registered, keep_ids=keep_ids)

    def statements() -> Iterator[Statement]:
        for item in reader(file, progress):
            if isinstance(item, Node):
                mapper.declare(item)
                continue
            if isinstance(item, Skip):
                mapper.report.rows += 1
                mapper.report.skip(item.row, item.reason)
                continue
            st = mapper.statement(item)
            if st is not None:
                yield st

    return mapper, statements()


def _nothing(mapper: Mapper, file: Path) -> ImportFormatError:
    report = mapper.report
    reasons = "; ".join(f"{n} × {r}" for r, n in report.skipped.most_common(5)) or "no rows"
    return fail(file, "no-statements", f"no row became a statement ({report.rows} rows: {reasons})")


def import_file(
    fmt: str,
    path: str | Path,
    out: str | Path,
    *,
    curated: Iterable[Entity] | None = None,
    registered: Iterable[str] | None = None,
    name: str | None = None,
    columns: Mapping[str, str] | None = None,
    predicates: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    keep_ids: bool = False,
) -> ImportReport:
    """Import ``path`` (format ``fmt``) into the curation YAML file ``out``; returns the import report.

    Raises :class:`~kg.errors.ImportFormatError` (nothing written) for an unreadable file, a missing column,
    or a file of which no row becomes a statement (the reasons named). Load the result with
    ``kg.load(extra=[out])``, which validates it like any curation file.
    """
    file = Path(path)
    mapper, statements = import_statements(
        fmt, file, curated=curated, registered=registered, name=name, columns=columns, predicates=predicates,
        progress=progress, keep_ids=keep_ids,
    )  # fmt: skip
    sink = YamlSink(Path(out))
    try:
        for st in statements:
            sink.add(st)
        if sink.count == 0:
            raise _nothing(mapper, file)
        header = f"hormone-kg import {fmt} {file.name}\n" + mapper.report.summary()
        sink.close(mapper.entities.values(), mapper.sources.values(), header)
    except BaseException:
        sink.discard()
        raise
    log.info("imported %s; wrote %s", mapper.report.summary().splitlines()[0], out)
    return mapper.report


def import_curation(
    fmt: str,
    path: str | Path,
    *,
    curated: Iterable[Entity] | None = None,
    registered: Iterable[str] | None = None,
    name: str | None = None,
    columns: Mapping[str, str] | None = None,
    predicates: Mapping[str, str] | None = None,
    keep_ids: bool = False,
) -> tuple[Curation, ImportReport]:
    """Import a (small) file into memory: the :class:`~kg.model.Curation` it makes, and the report.

    Same errors as :func:`import_file`; for files of any size write the YAML with :func:`import_file`.
    """
    file = Path(path)
    mapper, statements = import_statements(
        fmt, file, curated=curated, registered=registered, name=name, columns=columns, predicates=predicates,
        keep_ids=keep_ids,
    )  # fmt: skip
    made = tuple(statements)
    if not made:
        raise _nothing(mapper, file)
    cur = Curation(entities=tuple(mapper.entities.values()), statements=made, sources=tuple(mapper.sources.values()))
    log.info("imported %s", mapper.report.summary().splitlines()[0])
    return cur.canonical(), mapper.report
