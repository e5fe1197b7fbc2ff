"""Every export read by the tools of its own ecosystem (issue 16), with counts that match the graph.

- KGX: the real ``kgx`` command line (``kgx validate``, ``kgx transform``), installed by ``.ci/setup`` in its own
  virtual environment (``.venv/tools/kgx``: its pins, click<8.2, conflict with the project's). It runs offline:
  its Biolink schema and prefix map come from the installed ``biolink-model`` package, and every socket
  connection and name look-up in its process raises (see ``KGX_DRIVER``).
- GraphML: networkx, igraph and rustworkx, which must read the same attributes.
- Cytoscape.js JSON: ``networkx.cytoscape_graph`` and Cytoscape.js itself (headless, under node; the npm
  package is installed by ``.ci/setup`` in ``.venv/tools/cytoscape``).
- RDF (Turtle, N-Triples, JSON-LD): rdflib and pyoxigraph.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import igraph
import networkx as nx
import pyoxigraph as ox
import pytest
import rustworkx as rx
from rdflib import Graph

from kg.exporters import export
from kg.exporters.kgx import biolink_edge, kgx_prefix_map, kgx_text, knowledge_level
from kg.graph import KnowledgeGraph
from kg.model import Curation, Entity, Evidence, Source, Statement
from kg.namespaces import PREFIXES
from tests.conftest import Written

REPO = Path(__file__).resolve().parents[1]
TOOLS = Path(os.environ.get("HORMONE_KG_TOOLS", REPO / ".venv" / "tools"))
KGX_PYTHON = TOOLS / "kgx" / "bin" / "python"
CYTOSCAPE_JS = TOOLS / "cytoscape" / "node_modules" / "cytoscape"
FORMATS = ["turtle", "ntriples", "jsonld", "graphml", "kgx", "cytoscape"]
HOSTILE = "a \"quoted\" <b>label</b> & 'single'\twith tab\nand newline | pipe; DROP ALL {}"

#: Runs the kgx command line (argv: Biolink schema, JSON-LD context, then kgx's own arguments) with no network:
#: bmt.Toolkit() would download biolink-model.yaml and predicate_mapping.yaml, and kgx's config names a remote
#: JSON-LD context; here both come from files, and any connection attempt fails loudly.
NETWORK_GUARD = r"""
import socket
import sys


def _no_network(*args, **kwargs):
    raise OSError("network access is disabled in this kgx run")


socket.getaddrinfo = _no_network
socket.socket.connect = _no_network
socket.socket.connect_ex = _no_network
"""
KGX_DRIVER = (
    NETWORK_GUARD
    + r"""
schema, context = sys.argv[1], sys.argv[2]

import bmt
from linkml_runtime.utils.schemaview import SchemaView


def _offline_toolkit(self, schema=schema, predicate_map=None, **kwargs):
    # kgx validate/transform use the schema view only; the predicate map serves bmt's mapping look-ups
    self.view = SchemaView(schema)
    self.pmap = {"predicate mappings": []}


bmt.Toolkit.__init__ = _offline_toolkit

import kgx.config

kgx.config.get_config()["jsonld-context"]["biolink"] = context

from kgx.cli import cli

sys.argv = ["kgx", *sys.argv[3:]]
cli()
"""
)

CYTOSCAPE_READER = r"""
const cytoscape = require(process.argv[1]);
const doc = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const cy = cytoscape({ headless: true, styleEnabled: false, elements: doc.elements });
const edges = {};
cy.edges().forEach((e) => { edges[e.id()] = [e.source().id(), e.target().id(), e.data("sign"), e.data("negated")]; });
console.log(JSON.stringify({ nodes: cy.nodes().map((n) => n.id()), edges, json: cy.json().elements.edges.length }));
"""


# ---------------------------------------------------------------------------------------------- fixtures
def hostile_graph() -> KnowledgeGraph:
    """Two entities and a statement whose texts carry quotes, markup, tabs, line breaks and ``|``."""
    src = Source("src:hostile", HOSTILE, "made by the test")
    a = Entity("HKG:hostile_a", HOSTILE, "Hormone", synonyms=("x\ty", "p|q"), comment="test", description=HOSTILE)
    b = Entity("HKG:hostile_b", 'b "</script>', "Receptor", comment="test")
    st = Statement(
        "hostile-statement", a.id, "agonist_of", b.id, 1, (src.id,), (Evidence(src.id, HOSTILE),), {"sex": "female"}
    )
    return KnowledgeGraph(Curation(entities=(a, b), statements=(st,), sources=(src,)))


@pytest.fixture(scope="module")
def exported(exported_all: Written) -> Path:
    """The bundled graph's exports (`hormone-kg export`, every format), once per test run (tests/conftest.py)."""
    return exported_all.folder


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeGraph, Path]:
    g = hostile_graph()
    out = tmp_path_factory.mktemp("hostile")
    export(g, out, formats=FORMATS)
    return g, out


def _biolink_file(*parts: str) -> Path:
    spec = importlib.util.find_spec("biolink_model")
    assert spec is not None and spec.submodule_search_locations, "the biolink-model package is a test dependency"
    return Path(next(iter(spec.submodule_search_locations)), *parts)


@pytest.fixture(scope="module")
def biolink_prefixes() -> dict[str, str]:
    """Biolink's prefix map (what its JSON-LD context declares), from the installed biolink-model package."""
    prefixes: dict[str, str] = json.loads(
        _biolink_file("prefixmaps", "biolink-model-prefix-map.json").read_text(encoding="utf-8")
    )
    return prefixes


def _context(folder: Path, name: str, prefixes: Mapping[str, str]) -> Path:
    path = folder / f"{name}.jsonld"
    path.write_text(json.dumps({"@context": dict(prefixes)}), encoding="utf-8")
    return path


KgxRun = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def kgx(tmp_path_factory: pytest.TempPathFactory, biolink_prefixes: dict[str, str]) -> KgxRun:
    """``kgx(*args, prefixes=...)``: the kgx command line, offline, Biolink's context plus the prefixes it lacks."""
    if not KGX_PYTHON.exists():
        pytest.fail(f"kgx is not installed at {KGX_PYTHON.parent.parent}: run `bash .ci/setup`")
    folder = tmp_path_factory.mktemp("kgx-context")
    schema = _biolink_file("schema", "biolink_model.yaml")

    def run(*args: str | Path, prefixes: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        extra = {p: ns for p, ns in (prefixes or {}).items() if p not in biolink_prefixes}  # Biolink's win
        context = _context(folder, "-".join(sorted(extra)) or "biolink", {**biolink_prefixes, **extra})
        command = [str(KGX_PYTHON), "-c", KGX_DRIVER, str(schema), str(context), *map(str, args)]
        return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False, cwd=folder)

    return run


def validation_report(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The JSON report ``kgx validate`` writes (to stderr, whatever ``-o`` says, in kgx 2.7)."""
    start = result.stderr.find("{")
    assert start >= 0, result.stdout + result.stderr
    report, _ = json.JSONDecoder().raw_decode(result.stderr[start:])
    assert isinstance(report, dict)
    return report


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def kgx_transform(kgx: KgxRun, folder: Path, out: Path, *options: str, g: KnowledgeGraph) -> tuple[list[Any], ...]:
    """``kgx transform`` of the KGX TSV files to JSON Lines; the nodes and edges it wrote."""
    out.mkdir(exist_ok=True)
    files = (folder / "kgx" / "nodes.tsv", folder / "kgx" / "edges.tsv")
    result = kgx("transform", *options, "-i", "tsv", "-f", "jsonl", "-o", out / "g", *files, prefixes=kgx_prefix_map(g))
    assert result.returncode == 0, result.stdout + result.stderr
    return read_jsonl(out / "g_nodes.jsonl"), read_jsonl(out / "g_edges.jsonl")


# ---------------------------------------------------------------------------------------------- KGX
def test_kgx_validate_accepts_the_export_with_the_project_prefix(
    kgx: KgxRun, bundled: KnowledgeGraph, exported: Path, biolink_prefixes: dict[str, str]
) -> None:
    files = (exported / "kgx" / "nodes.tsv", exported / "kgx" / "edges.tsv")
    result = kgx("validate", "-i", "tsv", *files, prefixes=kgx_prefix_map(bundled))
    assert result.returncode == 0, result.stdout + result.stderr
    assert validation_report(result) == {}
    missing = set(kgx_prefix_map(bundled)) - set(biolink_prefixes)
    assert "HKG" in missing and kgx_prefix_map(bundled)["HKG"] == PREFIXES["HKG"]  # the RDF exports' namespace


def test_kgx_validate_with_biolink_alone_flags_only_the_prefixes_it_lacks(
    kgx: KgxRun, bundled: KnowledgeGraph, exported: Path, biolink_prefixes: dict[str, str]
) -> None:
    result = kgx("validate", "-i", "tsv", exported / "kgx" / "nodes.tsv", exported / "kgx" / "edges.tsv")
    assert result.returncode == 1
    report = validation_report(result)
    assert set(report) == {"ERROR"}
    assert set(report["ERROR"]) <= {"INVALID_NODE_PROPERTY_VALUE", "INVALID_EDGE_PROPERTY_VALUE"}
    messages = [m for kind in report["ERROR"].values() for m in kind]
    assert messages and all("with a CURIE prefix" in m for m in messages)
    missing = set(kgx_prefix_map(bundled)) - set(biolink_prefixes)
    flagged = {m.split("'")[3] for m in report["ERROR"]["INVALID_NODE_PROPERTY_VALUE"]}
    assert flagged == {e for e in bundled.entities if e.split(":")[0] in missing}


def test_kgx_transform_streaming_keeps_one_edge_per_statement(
    kgx: KgxRun, bundled: KnowledgeGraph, exported: Path, tmp_path: Path
) -> None:
    nodes, edges = kgx_transform(kgx, exported, tmp_path, "--stream", g=bundled)
    assert len(nodes) == len(bundled.entities) and {n["id"] for n in nodes} == set(bundled.entities)
    assert len(edges) == len(bundled.statements)
    by_id = {e["id"]: e for e in edges}
    assert set(by_id) == {st.curie for st in bundled.statements.values()}
    for st in bundled.statements.values():
        edge = by_id[st.curie]
        assert (edge["subject"], edge["predicate"], edge["object"]) == (
            st.subject, biolink_edge(st)["predicate"], st.object,
        )  # fmt: skip
        assert bool(edge.get("negated")) is st.negated, st.id  # kgx reads any non-empty text as true
        assert int(edge["sign"]) == st.sign
        assert edge["knowledge_level"] == knowledge_level(st) and edge["agent_type"] == "manual_agent"
        assert {k: edge[f"context_{k}"] for k in st.context} == dict(st.context)
        assert [ev["text"] for ev in json.loads(edge["evidence"])] == [ev.text for ev in st.evidence]
        via = edge.get("via", [])  # kgx splits a cell at "|"; one value stays text
        assert sorted([via] if isinstance(via, str) else via) == sorted(st.via)
    assert sum(1 for e in edges if e.get("negated")) == sum(st.negated for st in bundled.statements.values())


def test_kgx_transform_in_memory_merges_by_subject_predicate_object(
    kgx: KgxRun, bundled: KnowledgeGraph, exported: Path, tmp_path: Path
) -> None:
    """KGX's own merge rule (biolink/kgx#413): without --stream, statements that share subject, Biolink predicate
    and object (differing in context or qualifiers) become one edge. Pinned here so the docs' figure stays true."""
    _, edges = kgx_transform(kgx, exported, tmp_path, g=bundled)
    triples = {(st.subject, biolink_edge(st)["predicate"], st.object) for st in bundled.statements.values()}
    assert len(edges) == len(triples) <= len(bundled.statements)


def test_kgx_reads_hostile_text_as_written(kgx: KgxRun, hostile: tuple[KnowledgeGraph, Path], tmp_path: Path) -> None:
    g, folder = hostile
    files = (folder / "kgx" / "nodes.tsv", folder / "kgx" / "edges.tsv")
    result = kgx("validate", "-i", "tsv", *files, prefixes=kgx_prefix_map(g))
    assert result.returncode == 0 and validation_report(result) == {}, result.stderr
    nodes, edges = kgx_transform(kgx, folder, tmp_path, "--stream", g=g)
    node = next(n for n in nodes if n["id"] == "HKG:hostile_a")
    assert node["name"] == node["description"] == kgx_text(HOSTILE)  # one cell, no list split, no quotes
    assert sorted(node["synonym"]) == ["p¦q", "x y"]
    (edge,) = edges
    assert json.loads(edge["evidence"])[0]["text"] == HOSTILE  # the JSON keeps every character
    assert "negated" not in edge and edge["context_sex"] == "female"


# ---------------------------------------------------------------------------------------------- GraphML
def _present(record: Mapping[str, Any], drop: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Attributes with a value (igraph fills absent ones with '' or NaN, rustworkx with None)."""
    return {
        k: v
        for k, v in record.items()
        if k not in drop and v is not None and v != "" and not (isinstance(v, float) and math.isnan(v))
    }


def _read_graphml(
    path: Path,
) -> dict[str, tuple[dict[str, dict[str, Any]], dict[str, tuple[str, str, dict[str, Any]]]]]:
    """Per reader: node id -> attributes, statement id -> (source, target, attributes)."""
    readers: dict[str, Any] = {}
    g = nx.read_graphml(path, force_multigraph=True)
    readers["networkx"] = (
        {n: _present(d) for n, d in g.nodes(data=True)},
        {k: (u, v, _present(d)) for u, v, k, d in g.edges(keys=True, data=True)},
    )
    ig = igraph.Graph.Read_GraphML(str(path))
    ids = ig.vs["id"]
    readers["igraph"] = (
        {v["id"]: _present(v.attributes(), frozenset({"id"})) for v in ig.vs},
        {e["statement"]: (ids[e.source], ids[e.target], _present(e.attributes(), frozenset({"id"}))) for e in ig.es},
    )
    (rg,) = rx.read_graphml(str(path))
    rids = {i: rg[i]["id"] for i in rg.node_indices()}
    readers["rustworkx"] = (
        {rg[i]["id"]: _present(rg[i], frozenset({"id"})) for i in rg.node_indices()},
        {d["statement"]: (rids[s], rids[t], _present(d, frozenset({"id"}))) for s, t, d in rg.weighted_edge_list()},
    )
    return readers


def test_graphml_readers_agree_with_the_graph(bundled: KnowledgeGraph, exported: Path) -> None:
    readers = _read_graphml(exported / "hormone-kg.graphml")
    nodes, edges = readers["networkx"]
    assert len(nodes) == len(bundled.entities) and set(nodes) == set(bundled.entities)
    assert len(edges) == len(bundled.statements) and set(edges) == set(bundled.statements)
    for name in ("igraph", "rustworkx"):
        assert readers[name][0] == nodes, name
        assert readers[name][1] == edges, name
    for sid, st in bundled.statements.items():
        u, v, data = edges[sid]
        assert (u, v, data["statement"]) == (st.subject, st.object, sid)
        assert data["sign"] == st.sign and data["negated"] is st.negated and data["summary"] is st.summary
        assert data["causal"] is st.causal
        assert json.loads(data["via"]) == list(st.via) and json.loads(data["context"]) == dict(st.context)
    for name, (_, reader_edges) in readers.items():
        flags = [(d["negated"], d["causal"], d["summary"]) for *_, d in reader_edges.values()]
        assert all(isinstance(x, bool) for f in flags for x in f), name


def test_graphml_booleans_are_xs_boolean(exported: Path) -> None:
    text = (exported / "hormone-kg.graphml").read_text(encoding="utf-8")
    assert ">true</data>" in text and ">false</data>" in text
    assert ">True</data>" not in text and ">False</data>" not in text


def test_graphml_hostile_text_in_every_reader(hostile: tuple[KnowledgeGraph, Path]) -> None:
    _, folder = hostile
    for name, (nodes, edges) in _read_graphml(folder / "hormone-kg.graphml").items():
        assert nodes["HKG:hostile_a"]["label"] == HOSTILE, name
        assert json.loads(edges["hostile-statement"][2]["evidence"])[0]["text"] == HOSTILE, name


# ---------------------------------------------------------------------------------------------- Cytoscape.js
def test_cytoscape_json_read_by_networkx(bundled: KnowledgeGraph, exported: Path) -> None:
    doc = json.loads((exported / "hormone-kg.cytoscape.json").read_text(encoding="utf-8"))
    g = nx.cytoscape_graph(doc)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_nodes() == len(bundled.entities) and set(g.nodes) == set(bundled.entities)
    assert g.number_of_edges() == len(bundled.statements)
    edges = {k: (u, v, d) for u, v, k, d in g.edges(keys=True, data=True)}
    assert set(edges) == set(bundled.statements)
    for sid, st in bundled.statements.items():
        u, v, data = edges[sid]
        assert (u, v, data["sign"], data["negated"], data["via"]) == (
            st.subject,
            st.object,
            st.sign,
            st.negated,
            list(st.via),
        )
    assert g.nodes["CHEBI:2704"]["label"] == "anastrozole"


def test_cytoscape_json_has_the_documented_shape(exported: Path) -> None:
    doc = json.loads((exported / "hormone-kg.cytoscape.json").read_text(encoding="utf-8"))
    assert set(doc["elements"]) == {"nodes", "edges"}
    ids = {n["data"]["id"] for n in doc["elements"]["nodes"]}
    assert all(isinstance(n["data"]["id"], str) for n in doc["elements"]["nodes"])
    for edge in doc["elements"]["edges"]:
        data = edge["data"]
        assert isinstance(data["id"], str) and data["source"] in ids and data["target"] in ids
    assert len({e["data"]["id"] for e in doc["elements"]["edges"]}) == len(doc["elements"]["edges"])


def _node() -> str:
    node = shutil.which("node")
    if node is None or not CYTOSCAPE_JS.exists():
        pytest.fail(f"node and the cytoscape npm package ({CYTOSCAPE_JS}) are needed: run `bash .ci/setup`")
    return node


def test_cytoscape_json_read_by_cytoscape_js(bundled: KnowledgeGraph, exported: Path) -> None:
    path = exported / "hormone-kg.cytoscape.json"
    command = [_node(), "-e", CYTOSCAPE_READER, str(CYTOSCAPE_JS), str(path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert len(seen["nodes"]) == len(bundled.entities) and set(seen["nodes"]) == set(bundled.entities)
    assert len(seen["edges"]) == seen["json"] == len(bundled.statements)
    assert seen["edges"] == {
        sid: [st.subject, st.object, st.sign, st.negated] for sid, st in bundled.statements.items()
    }


# ---------------------------------------------------------------------------------------------- RDF
RDF_FILES = {
    "hormone-kg.ttl": ("turtle", ox.RdfFormat.TURTLE),
    "hormone-kg.nt": ("nt", ox.RdfFormat.N_TRIPLES),
    "hormone-kg.jsonld": ("json-ld", ox.RdfFormat.JSON_LD),
}


def _counts_query(g: KnowledgeGraph) -> str:
    classes = " ".join(f"hkg:{c}" for c in sorted({e.category for e in g.entities.values()}))
    return f"""PREFIX hkg: <{PREFIXES["hkg"]}>
        SELECT ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {{
          {{ ?x a hkg:Statement . BIND("statements" AS ?kind) }}
          UNION {{ VALUES ?class {{ {classes} }} ?x a ?class . BIND("entities" AS ?kind) }}
        }} GROUP BY ?kind"""


def _expected(g: KnowledgeGraph) -> dict[str, int]:
    return {"statements": len(g.statements), "entities": len(g.entities)}


@pytest.fixture(scope="module", params=sorted(RDF_FILES))
def rdf_file(request: pytest.FixtureRequest, exported: Path) -> tuple[Path, str, ox.RdfFormat]:
    name: str = request.param
    return (exported / name, *RDF_FILES[name])


def test_rdf_read_by_rdflib(bundled: KnowledgeGraph, rdf_file: tuple[Path, str, ox.RdfFormat]) -> None:
    path, fmt, _ = rdf_file
    parsed = Graph().parse(path, format=fmt)
    assert len(parsed) == len(bundled.rdf)
    counts = {str(kind): int(n) for kind, n in parsed.query(_counts_query(bundled))}  # type: ignore[misc]
    assert counts == _expected(bundled)


def test_rdf_read_by_pyoxigraph(bundled: KnowledgeGraph, rdf_file: tuple[Path, str, ox.RdfFormat]) -> None:
    path, _, fmt = rdf_file
    store = ox.Store()
    store.load(path=str(path), format=fmt)
    assert len(store) == len(bundled.rdf)
    counts = {row["kind"].value: int(row["n"].value) for row in store.query(_counts_query(bundled))}
    assert counts == _expected(bundled)


def test_kgx_runs_with_no_network_in_its_process(kgx: KgxRun) -> None:
    """The guard of KGX_DRIVER is live: a download in the kgx interpreter fails before any packet is sent."""
    probe = "import requests; requests.get('https://w3id.org/biolink/biolink-model.yaml', timeout=60)"
    command = [str(KGX_PYTHON), "-c", NETWORK_GUARD + probe]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode != 0 and "network access is disabled" in result.stderr
