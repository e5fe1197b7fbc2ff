"""The one load-and-validate pipeline: files of any format and size -> a validated :class:`~kg.store.store.Store`.

1. **read**: the bundled curation (YAML) and the user's YAML files compile into records and statements;
   RDF of any size (Turtle, N-Triples, JSON-LD, RDF/XML) streams through :func:`kg.sources.rdf.read_rdf`
   into the same statement table;
2. **validate**: every rule of :mod:`kg.validation.rules`, once, with file and line where the file has
   them; SHACL (:mod:`kg.validation.shacl`) only when asked (``shacl=True``), never as a hidden cost;
3. **cache**: the validated bundled graph is shipped compiled and cached per content hash
   (:mod:`kg.store.bundled`), and an import of at least :data:`SNAPSHOT_BYTES` is saved as a memory-mapped
   snapshot (:mod:`kg.store.snapshot`) that the next load of the same files reads instead of parsing.
   Answers are the same either way.

A file that fails raises :class:`~kg.errors.ValidationError` with every violation and changes nothing.

>>> store = load_store()
>>> len(store.statements) > 0
True
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kg.errors import CurationError, ValidationError, Violation
from kg.model import IMPORT_PREFIX, Curation
from kg.sources.curation import parse_file
from kg.sources.progress import FilesRead, Progress
from kg.sources.rdf import FORMATS, read_rdf
from kg.store.bundled import bundled_curation, bundled_key, bundled_parts, check_records, with_origins
from kg.store.cache import cache_dir
from kg.store.snapshot import read_snapshot, snapshot_key, write_snapshot
from kg.store.store import Store
from kg.table import StatementTable

if TYPE_CHECKING:
    from kg.store.remote import EndpointLike

__all__ = ["SNAPSHOT_BYTES", "bundled_shacl_violations", "load_store", "only_origins"]

#: RDF imports at least this large (in bytes, all files together) are snapshotted after validation. Reading a
#: snapshot costs ~0.03 s whatever the size; parsing ~0.08 s per MB (a 1.4 MB file: 0.03 s against 0.11 s; 7.3 MB:
#: 0.05 against 0.53; writing it adds ~0.06 s to the first load; docs/benchmarks.md, tenth session).
SNAPSHOT_BYTES = 1024 * 1024

S = TypeVar("S", bound=Store)
log = logging.getLogger(__name__)
_YAML = (".yaml", ".yml")
_shacl_memo: dict[str, list[Violation]] = {}


def bundled_shacl_violations() -> list[Violation]:
    """The SHACL shapes run on the bundled graph (``hormone-kg build`` and CI fail on any); once per process."""
    key = bundled_key()
    if key not in _shacl_memo:
        from kg.sources.rdfgraph import build_graph
        from kg.validation.shacl import shacl_violations  # (rdflib and pyshacl: imported only to run SHACL)

        _shacl_memo[key] = shacl_violations(build_graph(bundled_curation()))
    return list(_shacl_memo[key])


def _paths(extra: object) -> list[Path]:
    if isinstance(extra, str | os.PathLike):
        extra = [extra]
    if not isinstance(extra, Sequence) or not all(isinstance(p, str | os.PathLike) for p in extra):
        raise CurationError([Violation("file-list", repr(extra)[:80], "extra must be a list of file paths")])
    paths = [Path(p) for p in extra]
    for p in paths:
        if not p.exists():
            raise CurationError([Violation("readable-file", str(p), "no such file", str(p))])
        if p.suffix.lower() not in _YAML and p.suffix.lower() not in FORMATS:
            expected = "expected .yaml/.yml or RDF (" + ", ".join(s for s in FORMATS if s.startswith(".")) + ")"
            raise CurationError([Violation("file-format", str(p), expected, str(p))])
    return paths


def load_store(
    extra: Sequence[str | os.PathLike[str]] = (),
    *,
    validate: bool = True,
    shacl: bool = False,
    endpoint: EndpointLike | None = None,
    into: type[S] = Store,  # type: ignore[assignment]
    progress: Progress | None = None,
) -> S:
    """The bundled graph plus the user's ``extra`` files (or the graph at ``endpoint``), validated.

    Raises :class:`~kg.errors.ValidationError` listing every violation (and
    :class:`~kg.errors.CurationError` for an unreadable or malformed file); nothing already loaded changes.
    ``shacl=True`` also runs the SHACL shapes on the RDF of what was loaded. ``progress(bytes read, bytes in
    all)`` is told as the extra files are read (every MiB of an RDF file; :mod:`kg.sources.progress`).
    """
    paths = _paths(extra)
    if endpoint is not None:
        if paths:
            message = (
                "extra files cannot be combined with endpoint=: push them to the endpoint first "
                "(kg.remote.push) or load them without an endpoint"
            )
            raise ValidationError([Violation("load-arguments", "extra", message)], what="kg.load arguments")
        if shacl:
            message = "SHACL needs the whole graph: run it on a local copy (g.local()) or before pushing"
            raise ValidationError([Violation("load-arguments", "shacl", message)], what="kg.load arguments")
        from kg.store.served import over_endpoint  # (the endpoint machinery: imported for an endpoint only)

        return over_endpoint(endpoint, into)  # questions read what they need from the server (kg.store.served)
    if not paths:
        records, table, names = bundled_parts()
        log.info("loading the bundled graph (%d statements) plus 0 file(s)", len(table))
        return _shacl_checked(into(records, table, names=names), shacl, "the bundled graph")
    what = ", ".join(str(p) for p in paths)
    rdf = [p for p in paths if p.suffix.lower() not in _YAML]
    folder = _snapshot_folder(paths) if validate and sum(p.stat().st_size for p in rdf) >= SNAPSHOT_BYTES else None
    hit = read_snapshot(folder) if folder is not None else None
    if folder is not None:
        log.info("snapshot %s for %s (%s)", "miss" if hit is None else "hit", what, folder)
    files = FilesRead(paths, progress) if progress is not None else None
    if hit is not None:
        if files is not None:
            files.finish()
        records, table, names = hit
        return _shacl_checked(into(records, table, names=names), shacl, what)
    base = bundled_curation()  # (a snapshot holds it merged already)
    log.info("loading the bundled graph (%d statements) plus %d file(s)", len(base.statements), len(paths))
    added = Curation()
    for path in paths:
        log.info("reading %s (%d bytes)", path, path.stat().st_size)
        if path.suffix.lower() in _YAML:
            added = added.merged(parse_file(path))
            if files is not None:
                files.whole(path)
    merged = base.merged(added).canonical()
    origins = Curation(origins={**merged.origins, **{f"stmt:{p}": f"{p}:?" for p in rdf}})
    problems: list[Violation] = []
    if rdf:
        records, table, problems = read_rdf(rdf, merged, files)
    else:
        records, table = merged, StatementTable.from_statements(merged.statements)
    if validate:
        violations = [*with_origins(problems, origins), *check_records(records, table, merged)]
        if violations:
            raise ValidationError(violations, what=what)
    elif problems:
        raise CurationError(problems, what=what)
    store = _shacl_checked(into(records, table), shacl, what)
    log.info("loaded %s: %d statements in all, %d entities", what, len(table), len(store.entities))
    if folder is not None:
        written = write_snapshot(folder, store.records, table, store.names)
        log.info("snapshot %s: %s", "written" if written else "not written (folder not writable)", folder)
    return store


def _snapshot_folder(paths: Sequence[Path]) -> Path | None:
    try:
        return cache_dir() / f"snapshot-{snapshot_key(paths, bundled_key())}"
    except OSError:
        return None  # an unreadable file: the reader names the problem


def _shacl_checked(store: S, shacl: bool, what: str) -> S:
    if shacl:
        from kg.validation.shacl import shacl_violations

        violations = shacl_violations(store.rdf)
        if violations:
            raise ValidationError(violations, what=f"{what} (SHACL)")
    return store


def only_origins(store: S, origins: str | Iterable[str], into: type[S]) -> S:
    """``store`` with only the statements of the given origins.

    An origin is ``"curated"``, ``"imported"`` (every import) or an import's name (``signor-mine``: its
    statements cite ``src:import-signor-mine``). Entities, findings and sources stay; a question then sees
    only the chosen statements. Raises :class:`~kg.errors.ValidationError` naming the origins the graph has
    when one is unknown, or for a graph over an endpoint.

    >>> store = only_origins(load_store(), ["curated"], Store)
    >>> len(store.statements) == len(load_store().statements)
    True
    """
    if store.endpoint is not None:
        message = "origins= filters a local graph: an endpoint's statements are read per question"
        raise ValidationError([Violation("load-arguments", "origins", message)], what="kg.load arguments")
    wanted = {origins} if isinstance(origins, str) else set(origins)
    imports = {s[len(IMPORT_PREFIX) :] for s in store.sources if s.startswith(IMPORT_PREFIX)}
    known = {"curated", "imported", *imports}
    unknown = sorted(wanted - known) if wanted else ["(none given)"]
    if unknown:
        message = f"unknown origins {unknown}; this graph has {sorted(known)}"
        raise ValidationError([Violation("load-arguments", "origins", message)], what="kg.load arguments")
    every_import = "imported" in wanted
    from kg.imports import origin_of  # (here: the importers' readers cost every load some 25 ms to import)

    kept = [st for st in store.table if (o := origin_of(st)) in wanted or (every_import and o != "curated")]
    if len(kept) == len(store.table):
        return store
    log.info("origins %s: %d of %d statements kept", sorted(wanted), len(kept), len(store.table))
    return into(store.records, StatementTable.from_statements(kept), names=store.names)
