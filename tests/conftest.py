"""Shared fixtures: the bundled graph (loaded once), its exports (written once) and a builder of tiny graphs."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph
from rdflib.compare import isomorphic

import kg
from kg.cli import cli
from kg.graph import KnowledgeGraph
from kg.model import Curation, Entity, Evidence, Population, Source, Statement
from kg.ontology import schema


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Caches and snapshots go to a folder of this test session, never to the user's home."""
    before = os.environ.get("HORMONE_KG_CACHE")
    if before is None:
        os.environ["HORMONE_KG_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        os.environ.pop("HORMONE_KG_CACHE", None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium per test process, shared by the browser tests (each opens contexts of its own).

    tests/test_viz.py's launcher: a failure, not a skip, under HORMONE_KG_REQUIRE_BROWSER=1.
    """
    from tests.test_viz import launched

    with launched() as b:
        yield b


@pytest.fixture(scope="session")
def bundled() -> KnowledgeGraph:
    """The real bundled graph, validated."""
    return kg.load()


@dataclass(frozen=True)
class Ran:
    """What a command run through click's CliRunner answered: its exit code, standard output, and all it printed."""

    exit_code: int
    stdout: str
    output: str


@dataclass(frozen=True)
class Written:
    """What one ``hormone-kg --json <command> -o FOLDER`` run wrote: the folder, the files, the command's result."""

    folder: Path
    files: list[Path]
    result: Ran


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


def _run_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder of this test run that every xdist worker sees (a worker's base temp is a folder of the run's)."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name
    shared.mkdir(exist_ok=True)
    return shared


def _written_once(tmp_path_factory: pytest.TempPathFactory, command: str) -> Iterator[Written]:
    """Run ``hormone-kg --json COMMAND -o FOLDER`` (in process); yield what it wrote; fail if a test changed it.

    Once per test run: the first worker that needs it runs it, under a lock; the others wait for it and read
    what it wrote and printed (its exit code and output, kept beside the folder).
    """
    shared = _run_folder(tmp_path_factory, f"hormone-kg-{command}")
    folder, answered = shared / "exports", shared / "result.json"
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not answered.exists():
            result = CliRunner().invoke(cli, ["--json", command, "-o", str(folder)], catch_exceptions=False)
            ran = Ran(result.exit_code, result.stdout, result.output)
            answered.write_text(json.dumps(ran.__dict__), encoding="utf-8")
    ran = Ran(**json.loads(answered.read_text(encoding="utf-8")))
    assert ran.exit_code == 0, ran.output
    doc = json.loads(ran.stdout)
    before = _digest(folder)
    yield Written(folder, [Path(f) for f in doc["files"]], ran)
    assert _digest(folder) == before, f"a test changed the shared `hormone-kg {command}` output in {folder}"


@pytest.fixture(scope="session")
def built_exports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Written]:
    """``hormone-kg build -o DIR`` once per test run (shared by the xdist workers): SHACL, then every format; read-only.

    Shared by tests/test_cli.py (the command) and tests/test_export.py (the files, in sync with exports/).
    """
    yield from _written_once(tmp_path_factory, "build")


@pytest.fixture(scope="session")
def exported_all(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Written]:
    """``hormone-kg export -o DIR`` (every format of the bundled graph) once per test run; read-only.

    Shared by tests/test_cli.py (the command), tests/test_export.py and tests/test_export_readers.py (the files).
    """
    yield from _written_once(tmp_path_factory, "export")


def same_graph(a: Graph, b: Graph) -> bool:
    """rdflib's ``isomorphic(a, b)``, answered from the triples themselves when neither graph has a blank node.

    Without blank nodes two graphs are isomorphic exactly when they hold the same triples; ``isomorphic``
    canonicalises and hashes both graphs whatever they hold (0.33 s for the bundled graph's 26,000 triples, the
    two sets of triples 0.13 s). A graph with a blank node is left to ``isomorphic``.
    """
    triples_a, triples_b = set(a), set(b)
    if any(isinstance(term, BNode) for triples in (triples_a, triples_b) for triple in triples for term in triple):
        return isomorphic(a, b)
    return triples_a == triples_b


TinyEdge = tuple[str, str, str] | tuple[str, str, str, dict[str, str]]


def make_statement(
    i: int | str,
    s: str,
    p: str,
    o: str,
    *,
    context: dict[str, str] | None = None,
    reaction: str | None = None,
    negated: bool = False,
    source: str = "src:tiny",
) -> Statement:
    """One statement with the sign its predicate's polarity gives."""
    return Statement(
        id=f"t{i}",
        subject=s,
        predicate=p,
        object=o,
        sign=schema().predicates[p].polarity,
        sources=(source,),
        evidence=(Evidence(source, f"evidence {i}"),),
        context=context or {},
        reaction=reaction,
        negated=negated,
    )


def tiny(
    edges: Iterable[Statement | TinyEdge],
    populations: Iterable[Population] = (),
    categories: dict[str, str] | None = None,
) -> KnowledgeGraph:
    """A hand-built graph: nodes are HKG:<name> entities; edges are (s, predicate, o[, context]) or Statements.

    Every node is a Chemical (which circulates: no tissue rule) unless ``categories`` says otherwise.
    """
    statements = [
        e if isinstance(e, Statement) else make_statement(i, *e[:3], context=e[3] if len(e) > 3 else None)
        for i, e in enumerate(edges)
    ]
    names = sorted({n for st in statements for n in (st.subject, st.object)})
    kinds = categories or {}
    entities = tuple(Entity(n, n.split(":", 1)[-1], kinds.get(n, "Chemical"), comment="test") for n in names)
    cur = Curation(
        entities=entities,
        statements=tuple(statements),
        sources=(Source("src:tiny", "tiny test source", "made by the test"),),
        populations=tuple(populations),
    )
    return KnowledgeGraph(cur)


@pytest.fixture()
def tiny_graph() -> Callable[..., KnowledgeGraph]:
    """Factory for hand-built graphs (see :func:`tiny`)."""
    return tiny
