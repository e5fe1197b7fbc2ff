"""Snapshots of large graphs: a validated :class:`~kg.table.StatementTable` saved once, reloaded fast.

``kg.load`` parses, validates and compiles a large import once, then saves the result here,
keyed by a SHA-256 of everything the answer depends on (each file's name and bytes, whether the bundled
graph was merged and its own key, this package's code). Loading the same files again reads the snapshot
instead of parsing: numpy columns are memory-mapped (off the Python heap, paged in when used), strings
(statement ids, evidence sentences) stay as UTF-8 bytes until a statement is made, and the name index is
read rather than rebuilt. A snapshot is only ever
written for a load that passed validation, so reading one skips validation; each file's SHA-256 is checked
when it is read (remembered by the file's stat, as an input's is: :func:`~kg.store.cache.file_digests`), and a
missing, partial or damaged snapshot is simply rebuilt.

>>> strings = Strings.from_list(["a", "bé", ""])
>>> list(strings), strings[1], len(strings)
(['a', 'bé', ''], 'bé', 3)
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any, overload

import numpy as np
import numpy.typing as npt

import kg.ontology
from kg.model import Curation
from kg.store.cache import code_key, file_digests, remember_digests
from kg.store.resolve import NameIndex
from kg.table import StatementTable

__all__ = ["Strings", "read_snapshot", "snapshot_key", "write_snapshot"]

_FORMAT = "hormone-kg snapshot 4"  # 4: findings carry value_type
_ARRAYS = (
    "subject", "object", "predicate", "sign", "negated", "reaction", "magnitude", "context", "evidence_type",
    "source_ptr", "source_idx", "evidence_ptr", "evidence_source",
)  # fmt: skip
_STRINGS = ("ids", "evidence_text")
_ROW_ARRAYS = ("subject", "object", "predicate", "sign", "negated", "reaction", "magnitude", "context", "evidence_type")


class Strings(Sequence[str]):
    """Strings kept as one UTF-8 buffer plus offsets; each is decoded when read."""

    def __init__(self, data: npt.NDArray[np.uint8] | bytes, offsets: npt.NDArray[np.int64]) -> None:
        self._data = data
        self._offsets = offsets
        self._bytes = memoryview(data) if isinstance(data, bytes) else data.data  # (a slice decodes without a copy)

    @classmethod
    def from_list(cls, items: Sequence[str]) -> Strings:
        """Pack ``items``."""
        encoded = [s.encode("utf-8") for s in items]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        return cls(b"".join(encoded), offsets)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self._offsets) - 1
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        offsets = self._offsets
        return str(self._bytes[offsets.item(i) : offsets.item(i + 1)], "utf-8")

    def __iter__(self) -> Iterator[str]:
        data, offsets = bytes(self._data), self._offsets.tolist()
        for a, b in pairwise(offsets):
            yield data[a:b].decode("utf-8")

    def save(self, folder: Path, name: str) -> None:
        """Write ``name.bin`` (the bytes) and ``name.offsets.npy``."""
        (folder / f"{name}.bin").write_bytes(bytes(self._data))
        np.save(folder / f"{name}.offsets.npy", self._offsets)

    @classmethod
    def load(cls, folder: Path, name: str) -> Strings:
        """Memory-map what :meth:`save` wrote."""
        offsets = _mapped(folder / f"{name}.offsets.npy")
        size = (folder / f"{name}.bin").stat().st_size
        if len(offsets) == 0 or int(offsets[-1]) != size:
            raise ValueError(f"{name}: the offsets do not fit the {size} bytes")
        data = np.memmap(folder / f"{name}.bin", dtype=np.uint8, mode="r") if size else np.zeros(0, np.uint8)
        data = data.view(np.ndarray)  # (as _mapped: no np.memmap methods in the way)
        return cls(data, offsets)


def _mapped(path: Path) -> npt.NDArray[Any]:
    """The array saved at ``path``, memory-mapped, as a plain ndarray over the map.

    The map stays open while the array (or a view of it) lives; a plain ndarray spares every index and slice the
    Python-level ``np.memmap.__getitem__`` and ``__array_finalize__`` (a statement read from a snapshot takes a few
    dozen of them).
    """
    mapped: npt.NDArray[Any] = np.load(path, mmap_mode="r").view(np.ndarray)
    return mapped


def _digest(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def snapshot_key(paths: Sequence[str | os.PathLike[str]], base_key: str | None) -> str:
    """SHA-256 over the files, the bundled graph's key (or none), this package's code and the ontology.

    The files by name and bytes; the ontology because its predicates, polarities and shapes decide what
    validation accepts.
    """
    digest = hashlib.sha256(_FORMAT.encode())
    digest.update(code_key().encode())
    digest.update(f"bundled={base_key}".encode())
    files = [*sorted(kg.ontology.ontology_dir().glob("*.ttl")), *map(Path, paths)]  # the ontology, then the inputs
    for p, file in zip(files, file_digests(files), strict=True):
        digest.update(p.name.encode() + b"\0" + file.encode())
    return digest.hexdigest()[:40]


def write_snapshot(folder: Path, records: Curation, table: StatementTable, names: NameIndex) -> Path | None:
    """Save ``records``, ``table`` and the name index under ``folder`` (a temp folder renamed). None if it fails."""
    tmp: Path | None = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".snapshot-"))
        for name in _ARRAYS:
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(getattr(table, name)))
        for name in _STRINGS:
            values = getattr(table, name)
            (values if isinstance(values, Strings) else Strings.from_list(values)).save(tmp, name)
        small = {
            "format": _FORMAT,
            "records": records,
            "names": names,  # pickled with the records, so its entities are the records' own
            "nodes": table.nodes,
            **{k: getattr(table, k) for k in ("predicates", "reactions", "contexts", "evidence_types", "sources")},
            "notes": table.notes,
            "summaries": table.summaries,
        }
        small["digests"] = {f.name: _digest(f) for f in tmp.iterdir()}  # checked on read: no damaged file
        (tmp / "records.pickle").write_bytes(pickle.dumps(small, protocol=pickle.HIGHEST_PROTOCOL))
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
        tmp.replace(folder)
        remember_digests({folder / name: digest for name, digest in small["digests"].items()})
        return folder
    except OSError:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)  # a full disk or a read-only cache: no half-written folder
        return None


def read_snapshot(folder: Path) -> tuple[Curation, StatementTable, NameIndex] | None:
    """The records, table and name index saved in ``folder``, or None if there is no complete, readable one."""
    try:
        small: dict[str, Any] = pickle.loads((folder / "records.pickle").read_bytes())  # noqa: S301 - our own file
        if small.get("format") != _FORMAT or not isinstance(small.get("records"), Curation):
            return None
        if not isinstance(small.get("names"), NameIndex) or not isinstance(small.get("digests"), dict):
            return None
        names = sorted(small["digests"])  # (a file read before and unchanged since, by its stat, is not read again)
        if file_digests([folder / name for name in names]) != [small["digests"][name] for name in names]:
            return None  # a file changed, cut short or damaged since it was written
        arrays: dict[str, Any] = {name: _mapped(folder / f"{name}.npy") for name in _ARRAYS}
        arrays.update((name, Strings.load(folder, name)) for name in _STRINGS)
        rows = len(arrays["ids"])
        if any(len(arrays[name]) != rows for name in _ROW_ARRAYS) or len(arrays["evidence_text"]) != len(
            arrays["evidence_source"]
        ):
            return None  # columns that do not line up
        table = StatementTable(
            nodes=small["nodes"],
            predicates=small["predicates"],
            reactions=small["reactions"],
            contexts=small["contexts"],
            evidence_types=small["evidence_types"],
            sources=small["sources"],
            notes=small["notes"],
            summaries=small["summaries"],
            **arrays,
        )
        return small["records"], table, small["names"]
    except (OSError, ValueError, EOFError, pickle.UnpicklingError, KeyError, TypeError):
        return None
