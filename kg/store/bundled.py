"""The bundled graph: compiled from the package's YAML, validated by every rule, and kept compiled.

A load of the bundled graph takes it from the first of:

1. this process's memory (the pickle's bytes: each load gets objects of its own);
2. the **shipped** compiled graph, ``kg/data/compiled.pickle``, written by ``hormone-kg build`` with the SHA-256
   of everything it was made from: every bundled YAML file, the ontology and the shapes, and every module of this
   package the compile imports (found by reading their imports, :func:`compile_modules`). It is read only while
   each of those files is byte for byte what it was, so a checkout whose data or compiling code changed since the
   build compiles anew (3 and 4); the suite checks that the committed file is current;
3. the user's cache (:func:`~kg.store.cache.cache_dir`), keyed by the data and all of the package's code;
4. the YAML, compiled and validated (about 0.3 s for the 80 files), then kept in the cache.

The answers are the same whichever it came from: the records, statement table and name index of one compile.

>>> records, table, names = bundled_parts()
>>> len(table) == len(bundled_curation().statements) > 0
True
"""

from __future__ import annotations

import ast
import hashlib
import logging
import pickle
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeGuard

from kg.errors import ValidationError, Violation
from kg.model import Curation
from kg.ontology import ontology_dir
from kg.sources.curation import bundled_dir, bundled_files, load_bundled
from kg.store.cache import cache_dir, code_key, file_digests
from kg.store.resolve import NameIndex
from kg.table import StatementTable
from kg.validation.rules import check_curation, check_table
from kg.version import __version__

__all__ = [
    "SHIPPED",
    "bundled_curation",
    "bundled_key",
    "bundled_parts",
    "check_records",
    "compile_modules",
    "read_shipped",
    "with_origins",
    "write_shipped",
]

Parts = tuple[Curation, StatementTable, NameIndex]

PACKAGE = Path(__file__).resolve().parents[1]
#: the compiled bundled graph shipped in the package (``hormone-kg build`` writes it; the suite checks it is current)
SHIPPED = PACKAGE / "data" / "compiled.pickle"
#: the modules whose imports make up the compile (:func:`compile_modules` follows them)
COMPILE_ROOTS = ("kg.store.bundled",)
_FORMAT = 1  # of the shipped file: a header (format, made_from), then the pickle of the parts
_DATA = "{bundled data}"  # what the shipped records' origins say in place of the data folder (it moves on install)

log = logging.getLogger(__name__)
_memo: dict[str, Curation] = {}
_parts_memo: dict[str, bytes] = {}  # bundled_key() -> the pickle of the parts
_shipped_memo: dict[Path, bytes | None] = {}


# ---------------------------------------------------------------------------------------------- compile
def with_origins(violations: Sequence[Violation], cur: Curation) -> list[Violation]:
    """Each violation with the file and line its record was written at, where ``cur`` knows it."""
    out = []
    for v in violations:
        origin = cur.origins.get(v.focus)
        if origin and v.file is None:
            file, _, line = origin.rpartition(":")
            v = Violation(v.rule, v.focus, v.message, file, int(line) if line.isdigit() else None)
        out.append(v)
    return out


def check_records(records: Curation, table: StatementTable, origins: Curation) -> list[Violation]:
    """Every rule of :mod:`kg.validation.rules` on the records and the table, with file and line."""
    return with_origins([*check_curation(records), *check_table(table, records)], origins)


def _compile() -> Curation:
    cur = load_bundled()
    violations = check_records(cur, StatementTable.from_statements(cur.statements), cur)
    if violations:
        raise ValidationError(violations, what="the bundled graph")
    return cur


def _parts_of(cur: Curation) -> Parts:
    records = replace(cur, statements=())
    return records, StatementTable.from_statements(cur.statements), NameIndex(records.entities)


# ---------------------------------------------------------------------------------------------- loads
def bundled_key() -> str:
    """A hash of everything the validated bundled curation depends on (data, ontology, shapes, all the code)."""
    data = _fingerprint([*bundled_files(), ontology_dir() / "hormone-kg.ttl", ontology_dir() / "shapes.ttl"])
    return hashlib.sha256(f"{data} {code_key()}".encode()).hexdigest()[:32]


def _fingerprint(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256(__version__.encode())
    for path, file in zip(paths, file_digests(paths), strict=True):
        digest.update(path.name.encode() + b"\0" + file.encode())
    return digest.hexdigest()[:32]


def bundled_curation(*, use_cache: bool = True) -> Curation:
    """The bundled curation, validated by every rule: shipped or cached when current, else compiled."""
    if use_cache and "shipped" in _memo:
        return _memo["shipped"]
    shipped = _parts_from(read_shipped()) if use_cache else None
    if shipped is not None:
        records, table, _ = shipped
        _memo["shipped"] = replace(records, statements=tuple(table))
        return _memo["shipped"]
    key = bundled_key()
    if use_cache and key in _memo:
        log.debug("bundled curation %s: already in memory", key)
        return _memo[key]
    cached = cache_dir() / f"bundled-{key}.pickle"
    if use_cache and cached.is_file():
        try:
            cur = pickle.loads(cached.read_bytes())  # noqa: S301 - our own cache file, keyed by content hash
            if isinstance(cur, Curation):
                log.info("bundled curation: cache hit (%s, %d statements)", cached, len(cur.statements))
                _memo[key] = cur
                return cur
        except Exception:  # noqa: BLE001, S110 - a stale or broken cache is rebuilt below
            pass
    log.info("bundled curation: cache miss, compiling and validating the bundled files")
    cur = _compile()
    _memo[key] = cur
    if use_cache:
        _write_bytes(cached, pickle.dumps(cur, protocol=pickle.HIGHEST_PROTOCOL))
    return cur


def bundled_parts() -> Parts:
    """What a Store of the bundled graph is made of: its records (statements aside), statement table and name index.

    From the shipped compiled graph when it is current, else kept in the cache beside the curation
    (:func:`bundled_curation`), in one pickle, so that a load of the bundled graph makes no statement, table or
    name index anew: the pickle's bytes are read once per process and give every load objects of its own.
    """
    shipped = _parts_from(read_shipped())
    if shipped is not None:
        return shipped
    key = bundled_key()
    cached = cache_dir() / f"bundled-{key}.store.pickle"
    data = _parts_memo.get(key)
    if data is None:
        try:
            data = cached.read_bytes()
        except OSError:
            data = None
    parts = _parts_from(data)
    if parts is not None and data is not None:
        _parts_memo[key] = data
        return parts
    made = _parts_of(bundled_curation())
    data = pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL)
    _parts_memo[key] = data
    _write_bytes(cached, data)
    return made


def _parts_from(data: bytes | None) -> Parts | None:
    if not data:
        return None
    try:
        parts = pickle.loads(data)  # noqa: S301 - our own file (the package's or the cache's), keyed by content
    except Exception:  # noqa: BLE001 - a stale or broken file is made anew by the caller
        return None
    if not _are_parts(parts):
        return None
    records = parts[0]
    if any(o.startswith(_DATA) for o in records.origins.values()):
        where = str(bundled_dir())
        origins = {k: where + o[len(_DATA) :] if o.startswith(_DATA) else o for k, o in records.origins.items()}
        return replace(records, origins=origins), parts[1], parts[2]
    return parts


def _are_parts(parts: object) -> TypeGuard[Parts]:
    return (
        isinstance(parts, tuple)
        and len(parts) == 3
        and isinstance(parts[0], Curation)
        and isinstance(parts[1], StatementTable)
        and isinstance(parts[2], NameIndex)
    )


# ---------------------------------------------------------------------------------------------- shipped
def read_shipped(path: Path | None = None) -> bytes | None:
    """The pickle of the parts in the shipped file (``path``, else :data:`SHIPPED`); None if missing, broken, stale.

    Current: made in this file's format from exactly the bundled YAML files, ontology and shapes there are now,
    and from modules each of which is byte for byte what it was. Looked at once per process.

    >>> read_shipped(Path("no-such-file.pickle")) is None
    True
    """
    path = path or SHIPPED
    if path in _shipped_memo:
        return _shipped_memo[path]
    data: bytes | None = None
    try:
        with path.open("rb") as f:
            header = pickle.load(f)  # noqa: S301 - the package's own file
            if isinstance(header, dict) and header.get("format") == _FORMAT and _current(header.get("made_from")):
                data = f.read()
            else:
                log.info("shipped compiled graph %s: not current (data or code changed since it was built)", path)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError) as err:
        log.info("shipped compiled graph %s: not read (%s)", path, err)
    _shipped_memo[path] = data
    return data


def _current(made_from: object) -> bool:
    if not isinstance(made_from, dict):
        return False
    files = _data_files()
    if {name for name in made_from if not name.startswith("kg:")} != files.keys():
        return False  # a data file added or removed
    files |= {name: PACKAGE / name[len("kg:") :] for name in made_from if name.startswith("kg:")}
    if not all(path.is_file() for path in files.values()):
        return False  # a module removed
    names = sorted(files)
    return dict(zip(names, file_digests([files[name] for name in names]), strict=True)) == made_from


def _data_files() -> dict[str, Path]:
    root = bundled_dir()
    out = {"data:" + p.relative_to(root).as_posix(): p for p in bundled_files()}
    for name in ("hormone-kg.ttl", "shapes.ttl"):
        out["ontology:" + name] = ontology_dir() / name
    return out


def write_shipped(path: Path | None = None) -> bool:
    """Compile the bundled YAML anew into the shipped file (``path``, else :data:`SHIPPED`), unless it is current.

    Returns whether it wrote. Raises :class:`~kg.errors.ValidationError` when the bundled data breaks a rule.
    """
    path = path or SHIPPED
    _shipped_memo.pop(path, None)
    if read_shipped(path) is not None:
        return False
    records, table, index = _parts_of(_compile())
    where = str(bundled_dir())
    origins = {k: _DATA + o[len(where) :] if o.startswith(where) else o for k, o in records.origins.items()}
    parts = (replace(records, origins=origins), table, index)
    files = {**_data_files(), **{"kg:" + p.relative_to(PACKAGE).as_posix(): p for p in compile_modules()}}
    names = sorted(files)
    made_from = dict(zip(names, file_digests([files[name] for name in names]), strict=True))
    header = pickle.dumps({"format": _FORMAT, "made_from": made_from}, protocol=pickle.HIGHEST_PROTOCOL)
    path.write_bytes(header + pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL))
    _shipped_memo.pop(path, None)
    return True


def compile_modules(roots: Sequence[str] = COMPILE_ROOTS) -> list[Path]:
    """The files of every module of this package that ``roots`` import, directly or not, in name order.

    Read from their source (``import`` statements anywhere, those under ``if TYPE_CHECKING:`` aside), so it holds
    what a compile may run; a new import can only come with an edit to one of these files.

    >>> [p.name for p in compile_modules(["kg.version"])]  # (the package's __init__ imports kg.errors)
    ['__init__.py', 'errors.py', 'version.py']
    """
    seen: dict[str, Path] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        path = _module_file(name)
        if name in seen or path is None:
            continue
        seen[name] = path
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]  # the packages it is in
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        todo += _imports(ast.parse(path.read_bytes()), package)
    return sorted(set(seen.values()))


def _module_file(name: str) -> Path | None:
    if name.split(".")[0] != "kg":
        return None
    base = PACKAGE.joinpath(*name.split(".")[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imports(tree: ast.AST, package: str) -> list[str]:
    """The modules ``tree`` imports (and the names it imports from them, which may be modules too)."""
    out: list[str] = []
    nodes = [tree]
    while nodes:
        node = nodes.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            nodes += node.orelse  # (its body imports for the type checker only)
            continue
        if isinstance(node, ast.Import):
            out += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([module] if module else [])])
            out += [module, *(f"{module}.{alias.name}" for alias in node.names)]
        nodes += ast.iter_child_nodes(node)
    return out


def _write_bytes(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            tmp.write(data)
        Path(tmp.name).replace(path)
    except OSError:
        pass  # a read-only home is fine: we just validate again next time
