"""The compiled bundled graph the package ships (kg/data/compiled.pickle): current, the same as a compile from the
YAML, and read only while everything it was made from is unchanged."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from kg.sources.curation import bundled_dir, bundled_files
from kg.store.bundled import (
    PACKAGE,
    SHIPPED,
    bundled_curation,
    bundled_parts,
    compile_modules,
    read_shipped,
    write_shipped,
)
from kg.store.resolve import NameIndex
from kg.table import StatementTable


def test_the_shipped_compiled_graph_is_current_and_what_the_yaml_compiles_to() -> None:
    assert read_shipped(SHIPPED) is not None, "kg/data/compiled.pickle is out of date: run `hormone-kg build`"
    records, table, names = bundled_parts()
    compiled = bundled_curation(use_cache=False)  # from the YAML, validated, now
    assert replace(records, statements=tuple(table)) == compiled
    assert dict(records.origins) == dict(compiled.origins)  # (not part of equality) file and line, this checkout's
    made = StatementTable.from_statements(compiled.statements)
    assert list(table) == list(made) and table.ids == made.ids
    assert vars(names).keys() == vars(NameIndex(compiled.entities)).keys()
    assert [names.search(q)[0].id for q in ("E2", "anastrozole", "BMD")] == [
        NameIndex(compiled.entities).search(q)[0].id for q in ("E2", "anastrozole", "BMD")
    ]
    origin = records.origins["pop:women"]
    file, _, line = origin.rpartition(":")
    assert Path(file).parent == bundled_dir() and Path(file).is_file() and int(line) > 0


def test_a_fresh_process_with_an_empty_cache_reads_the_shipped_graph_not_the_yaml(tmp_path: Path) -> None:
    code = "import sys, kg; g = kg.load(); print(len(g.table), 'yaml' in sys.modules)"
    env = {**os.environ, "HORMONE_KG_CACHE": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == [str(len(bundled_curation().statements)), "False"]  # PyYAML never imported
    assert not list((tmp_path / "cache").glob("bundled-*"))  # nothing compiled, nothing cached


def test_the_modules_it_records_hold_every_module_a_compile_imports() -> None:
    """Every module of the package a fresh interpreter imports to compile and validate the YAML is among those
    whose digests the shipped file records (what makes "current" mean "made by this code")."""
    code = (
        "import sys; from kg.store.bundled import bundled_curation, _parts_of; _parts_of(bundled_curation("
        "use_cache=False)); print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.split('.')[0] == 'kg'"
        " and getattr(m, '__file__', None)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    imported = {Path(line).resolve() for line in out.split()}
    recorded = set(compile_modules())
    assert imported and imported <= recorded, sorted(str(p) for p in imported - recorded)
    assert {p.relative_to(PACKAGE).as_posix() for p in recorded} >= {
        "model.py", "sources/curation.py", "validation/rules.py", "table.py", "store/resolve.py", "store/bundled.py"
    }  # fmt: skip


def _rewritten(path: Path, to: Path, change: object) -> Path:
    with path.open("rb") as f:
        header = pickle.load(f)  # (the file this test wrote)
        rest = f.read()
    header = change(header)  # type: ignore[operator]
    to.write_bytes(pickle.dumps(header) + rest)
    return to


def test_a_shipped_file_made_from_other_data_or_code_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "compiled.pickle"
    assert write_shipped(path) and not write_shipped(path)  # written, then current: not written again
    assert read_shipped(path) is not None
    made_from = _rewritten(path, tmp_path / "same.pickle", lambda h: h)
    assert read_shipped(made_from) == read_shipped(path)
    data_file = "data:" + bundled_files()[0].relative_to(bundled_dir()).as_posix()
    module = "kg:model.py"

    def digest_changed(name: str) -> object:
        return lambda h: {**h, "made_from": {**h["made_from"], name: "0" * 64}}

    def left_out(name: str) -> object:
        return lambda h: {**h, "made_from": {k: v for k, v in h["made_from"].items() if k != name}}

    changes = {
        "data": digest_changed(data_file),
        "ontology": digest_changed("ontology:shapes.ttl"),
        "code": digest_changed(module),
        "a data file it did not have": left_out(data_file),
        "a data file it had that is gone": lambda h: {**h, "made_from": {**h["made_from"], "data:gone.yaml": "0"}},
        "a module that is gone": lambda h: {**h, "made_from": {**h["made_from"], "kg:gone.py": "0" * 64}},
        "format": lambda h: {**h, "format": -1},
        "not a header": lambda h: ["format", 1],
    }
    for i, (what, change) in enumerate(changes.items()):
        assert read_shipped(_rewritten(path, tmp_path / f"{i}.pickle", change)) is None, what
    (tmp_path / "broken.pickle").write_bytes(path.read_bytes()[:100])
    (tmp_path / "empty.pickle").write_bytes(b"")
    for name in ("broken.pickle", "empty.pickle", "missing.pickle"):
        assert read_shipped(tmp_path / name) is None, name


def test_a_load_falls_back_to_the_yaml_when_the_shipped_file_is_not_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg
    import kg.store.bundled

    stale = _rewritten(SHIPPED, tmp_path / "stale.pickle", lambda h: {**h, "format": -1})
    monkeypatch.setattr(kg.store.bundled, "SHIPPED", stale)
    monkeypatch.setattr(kg.store.bundled, "_memo", {})
    monkeypatch.setattr(kg.store.bundled, "_parts_memo", {})
    monkeypatch.setenv("HORMONE_KG_CACHE", str(tmp_path / "cache"))
    g = kg.load()
    assert g.curation == bundled_curation(use_cache=False)
    assert len(list((tmp_path / "cache").glob("bundled-*.pickle"))) == 2  # compiled, then cached per user
