"""The house shows the flow: no import cycle, imports point down the layers, no module over ~500 lines.

Every ``import`` counts, at module level, inside functions and under ``TYPE_CHECKING`` alike: a cycle is
a design question, not a syntax one.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1] / "kg"

#: the data flow, lowest first; a module may import its own layer or lower ones only
LAYERS = [
    {"kg.version", "kg.limits", "kg.errors", "kg.prefixes", "kg.namespaces", "kg.ontology", "kg.model", "kg.context"}
    | {"kg.table"},
    {"kg.sources", "kg.imports"},
    {"kg.validation"},
    {"kg.search"},
    {"kg.store"},
    {"kg.questions"},
    {"kg.graph"},
    {"kg.viz", "kg.exporters", "kg.remote"},
    {"kg.cli"},
    {"kg", "kg.__main__"},
]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The kg modules ``path`` imports (``from kg.x import y`` counts kg.x.y when that is a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "kg")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "kg":
            submodules = {f"{node.module}.{a.name}" for a in node.names} & known
            found.update(submodules)
            if len(submodules) < len(node.names):  # some names are the module's own, not its submodules
                found.add(node.module)
    return {m for m in found if m in known}


def layer(module: str) -> int:
    for i, names in enumerate(LAYERS):
        if module in names or any(module.startswith(n + ".") for n in names if n != "kg"):
            return i
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS")


def import_graph() -> nx.DiGraph:
    mods = modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(mods)
    for name, path in mods.items():
        graph.add_edges_from((name, target) for target in imports_of(path, set(mods)) if target != name)
    return graph


def test_the_layout_has_its_layers() -> None:
    graph = import_graph()
    assert len(graph) > 40 and graph.number_of_edges() > 100  # the checks below look at a real graph
    assert graph.has_edge("kg.graph", "kg.questions.effect") and graph.has_edge("kg.questions.effect", "kg.search")


def test_no_import_cycle() -> None:
    graph = import_graph()
    # a package's __init__ re-exporting its own modules is not a cycle of the design
    own = [(a, b) for a, b in graph.edges if b.startswith(a + ".")]
    graph.remove_edges_from(own)
    assert list(nx.simple_cycles(graph)) == []


def test_imports_point_down_the_flow() -> None:
    graph = import_graph()
    upward = [(a, b) for a, b in graph.edges if a != "kg" and layer(b) > layer(a)]
    assert upward == []


def test_no_module_over_500_lines() -> None:
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()}
    assert len(sizes) > 40
    assert {name: n for name, n in sizes.items() if n > 500} == {}


def test_a_question_needs_no_rdf_library() -> None:
    """Loading the graph and asking it questions imports no rdflib (RDF is built when RDF is asked for).

    rdflib's import is about 80 ms of every command-line question; its users (SPARQL, exports, SHACL, the RDF
    master copy, endpoints) import it themselves.
    """
    script = (
        "import sys, kg\n"
        "g = kg.load()\n"
        "g.effect('anastrozole', 'bone mineral density', context={'sex': 'female'})\n"
        "g.causal_paths('testosterone', 'estradiol'); g.downstream('estradiol'); g.explain('letrozole', 'LH')\n"
        "assert 'rdflib' not in sys.modules, 'rdflib was imported'\n"
        "g.rdf\n"
        "assert 'rdflib' in sys.modules  # (the check above can fail)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
