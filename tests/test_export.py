"""Exports (SPEC §7): every format re-read by an independent reader, lossless round trips, atomic writes,
Biolink vocabulary checked against the schema shipped in `biolink_model`, and exports/ in sync."""

from __future__ import annotations

import csv
import importlib.util
import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from rdflib import Graph

import kg
from kg.errors import ExportError
from kg.exporters import FORMATS, KNOWLEDGE_SOURCE, export
from kg.graph import KnowledgeGraph
from kg.model import Curation, Entity, Evidence, Source, Statement
from kg.namespaces import PREFIXES
from kg.sources.rdf import read_graph
from tests.conftest import Written, same_graph, tiny

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "exports"
RDF_FORMATS = ["turtle", "ntriples", "jsonld"]
NON_HTML = [f for f in FORMATS if f != "html"]
HOSTILE = "a \"quoted\" <b>label</b> & 'single'\twith tab\nand newline; DROP ALL {}"


@pytest.fixture(scope="module")
def exported(bundled: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    export(bundled, out, formats=NON_HTML)
    return out


@pytest.fixture(scope="module")
def biolink() -> dict[str, Any]:
    spec = importlib.util.find_spec("biolink_model")
    assert spec is not None and spec.submodule_search_locations, "the biolink-model package is a test dependency"
    path = Path(next(iter(spec.submodule_search_locations))) / "schema" / "biolink_model.yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as fh:
        schema: dict[str, Any] = yaml.load(fh, Loader=loader)
    return schema


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------------------------------------- pipeline
def test_unknown_format_names_the_known_ones(bundled: KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format 'pdf'; known formats: turtle, ntriples"):
        export(bundled, tmp_path, formats=["turtle", "pdf"])
    assert list(tmp_path.iterdir()) == []


def test_export_error_is_a_kg_error_and_an_os_error() -> None:
    assert issubclass(ExportError, kg.KGError) and issubclass(ExportError, OSError)


def test_file_names_are_fixed(exported: Path) -> None:
    assert sorted(files_under(exported)) == sorted(
        [
            "hormone-kg.ttl",
            "hormone-kg.nt",
            "hormone-kg.jsonld",
            "hormone-kg.graphml",
            "kgx/nodes.tsv",
            "kgx/edges.tsv",
            "hormone-kg.cytoscape.json",
            "statements.csv",
        ]
    )


def test_export_twice_is_byte_identical(exported: Path, exported_all: Written) -> None:
    # two exports of the bundled graph: this module's (export(), every format but HTML) and the session's
    # (`hormone-kg export`, every format; tests/conftest.py)
    first, again = files_under(exported), files_under(exported_all.folder)
    assert first and {name: data for name, data in again.items() if name in first} == first


def test_single_format_as_a_string(bundled: KnowledgeGraph, tmp_path: Path) -> None:
    assert [p.name for p in export(bundled, tmp_path, formats="ntriples")] == ["hormone-kg.nt"]


# ---------------------------------------------------------------------------------------------- RDF
def test_turtle_round_trip_is_isomorphic(bundled: KnowledgeGraph, exported: Path, tmp_path: Path) -> None:
    parsed = Graph().parse(exported / "hormone-kg.ttl", format="turtle")
    assert len(parsed) == len(bundled.rdf)
    assert same_graph(parsed, bundled.rdf)
    again = Graph().parse(data=parsed.serialize(format="longturtle"), format="turtle")
    assert same_graph(again, parsed)
    assert read_graph(parsed) == bundled.curation.canonical()


def test_turtle_uses_the_project_prefixes(exported: Path) -> None:
    text = (exported / "hormone-kg.ttl").read_text(encoding="utf-8")
    for prefix in ("CHEBI", "HGNC", "hkg", "stmt", "PMID"):
        assert f"PREFIX {prefix}: <{PREFIXES[prefix]}>" in text
    assert "ns1:" not in text and "CHEBI:2704" in text


def test_ntriples_sorted_and_isomorphic(bundled: KnowledgeGraph, exported: Path) -> None:
    lines = (exported / "hormone-kg.nt").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == len(set(lines)) == len(bundled.rdf)
    parsed = Graph().parse(exported / "hormone-kg.nt", format="nt")
    assert same_graph(parsed, bundled.rdf)


def test_jsonld_round_trip_and_context(bundled: KnowledgeGraph, exported: Path) -> None:
    parsed = Graph().parse(exported / "hormone-kg.jsonld", format="json-ld")
    assert same_graph(parsed, bundled.rdf)
    assert read_graph(parsed) == bundled.curation.canonical()
    doc = json.loads((exported / "hormone-kg.jsonld").read_text(encoding="utf-8"))
    for prefix, namespace in PREFIXES.items():
        assert doc["@context"][prefix]["@id"] == namespace
    ids = {node["@id"] for node in doc["@graph"]}
    assert {"CHEBI:2704", "HGNC:2594", "stmt:seed-anastrozole-inhibits-aromatase"} <= ids


def test_rdf_exports_include_the_ontology(exported: Path) -> None:
    parsed = Graph().parse(exported / "hormone-kg.ttl", format="turtle")
    rows = parsed.query("ASK { hkg:inhibits hkg:polarity -1 }", initNs={"hkg": PREFIXES["hkg"]})
    assert rows.askAnswer


# ---------------------------------------------------------------------------------------------- GraphML
def test_graphml_read_by_networkx(bundled: KnowledgeGraph, exported: Path) -> None:
    graph = nx.read_graphml(exported / "hormone-kg.graphml", force_multigraph=True)
    assert set(graph.nodes) == set(bundled.entities)
    edges = {key: (u, v, data) for u, v, key, data in graph.edges(keys=True, data=True)}
    assert set(edges) == set(bundled.statements)
    for sid, st in bundled.statements.items():
        u, v, data = edges[sid]
        assert (u, v) == (st.subject, st.object)
        assert data["sign"] == st.sign and isinstance(data["sign"], int)
        assert data["negated"] is st.negated
        assert json.loads(data["sources"]) == list(st.sources)
        assert json.loads(data["context"]) == dict(st.context)
    assert graph.nodes["CHEBI:2704"]["label"] == "anastrozole"


def test_graphml_declares_attribute_types(exported: Path) -> None:
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = ET.parse(exported / "hormone-kg.graphml").getroot().findall("g:key", ns)
    types = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in keys}
    assert types[("edge", "sign")] in ("int", "long")
    assert types[("edge", "negated")] == "boolean"
    assert types[("node", "synonyms")] == "string"
    assert all(t for t in types.values())


# ---------------------------------------------------------------------------------------------- KGX
def test_kgx_round_trip(bundled: KnowledgeGraph, exported: Path) -> None:
    nodes = read_tsv(exported / "kgx" / "nodes.tsv")
    edges = read_tsv(exported / "kgx" / "edges.tsv")
    assert {n["id"]: n["name"] for n in nodes} == {e.id: e.label for e in bundled.entities.values()}
    by_id = {e["id"]: e for e in edges}
    assert set(by_id) == {st.curie for st in bundled.statements.values()}
    for st in bundled.statements.values():
        row = by_id[st.curie]
        assert (row["subject"], row["object"], int(row["sign"])) == (st.subject, st.object, st.sign)
        assert row["sources"].split("|") == list(st.sources)
        assert row["negated"] == ("True" if st.negated else "")  # kgx reads any non-empty text as true
        assert row["original_predicate"] == f"hkg:{st.predicate}"
        assert {k: row[f"context_{k}"] for k in st.context} == dict(st.context)
        assert [ev["text"] for ev in json.loads(row["evidence"])] == [ev.text for ev in st.evidence]
        assert row["primary_knowledge_source"] == KNOWLEDGE_SOURCE


def _slot(name: str) -> str:
    return name.split(":", 1)[1].replace("_", " ")


def _ancestors(schema_part: dict[str, Any], name: str) -> list[str]:
    chain = [name]
    while schema_part.get(chain[-1], {}).get("is_a"):
        chain.append(schema_part[chain[-1]]["is_a"])
    return chain


def test_kgx_categories_and_predicates_exist_in_biolink(exported: Path, biolink: dict[str, Any]) -> None:
    classes = {name.title().replace(" ", ""): name for name in biolink["classes"]}
    for node in read_tsv(exported / "kgx" / "nodes.tsv"):
        prefix, local = node["category"].split(":")
        assert prefix == "biolink" and local in classes, node["category"]
        assert "named thing" in _ancestors(biolink["classes"], classes[local])
    enums = {name: set(e.get("permissible_values") or {}) for name, e in biolink["enums"].items()}
    edges = read_tsv(exported / "kgx" / "edges.tsv")
    for edge in edges:
        for column in ("predicate", "qualified_predicate"):
            if edge[column]:
                slot = _slot(edge[column])
                assert slot in biolink["slots"], edge[column]
                assert "related to" in _ancestors(biolink["slots"], slot), edge[column]
        for column, enum in (
            ("object_aspect_qualifier", "GeneOrGeneProductOrChemicalEntityAspectEnum"),
            ("object_direction_qualifier", "DirectionQualifierEnum"),
            ("causal_mechanism_qualifier", "CausalMechanismQualifierEnum"),
            ("knowledge_level", "KnowledgeLevelEnum"),
            ("agent_type", "AgentTypeEnum"),
        ):
            if edge[column]:
                assert edge[column] in enums[enum], (column, edge[column])
    biolink_columns = [c for c in edges[0] if not c.startswith("context_")]
    own = {"id", "sign", "via", "magnitude", "sources", "evidence"}
    assert all(c in own or c.replace("_", " ") in biolink["slots"] for c in biolink_columns)


def test_kgx_anastrozole_inhibits_aromatase_as_biolink(exported: Path) -> None:
    row = next(
        e for e in read_tsv(exported / "kgx" / "edges.tsv") if e["id"] == "stmt:seed-anastrozole-inhibits-aromatase"
    )
    assert (row["subject"], row["object"]) == ("CHEBI:2704", "HGNC:2594")
    assert row["predicate"] == "biolink:affects" and row["qualified_predicate"] == "biolink:causes"
    assert row["object_direction_qualifier"] == "decreased"
    assert row["causal_mechanism_qualifier"] == "inhibition"


# ---------------------------------------------------------------------------------------------- JSON, CSV
def test_cytoscape_json(bundled: KnowledgeGraph, exported: Path) -> None:
    doc = json.loads((exported / "hormone-kg.cytoscape.json").read_text(encoding="utf-8"))
    nodes, edges = doc["elements"]["nodes"], doc["elements"]["edges"]
    ids = {n["data"]["id"] for n in nodes}
    assert ids == set(bundled.entities)
    assert {e["data"]["id"] for e in edges} == set(bundled.statements)
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)
    signs = {e["data"]["id"]: e["data"]["sign"] for e in edges}
    assert signs == {sid: st.sign for sid, st in bundled.statements.items()}


def test_statements_csv(bundled: KnowledgeGraph, exported: Path) -> None:
    raw = (exported / "statements.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets detect UTF-8
    with (exported / "statements.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["statement"] for r in rows} == set(bundled.statements)
    row = next(r for r in rows if r["statement"] == "seed-anastrozole-inhibits-aromatase")
    assert (row["subject_label"], row["predicate"], row["object_label"]) == ("anastrozole", "inhibits", "aromatase")
    st = bundled.statements["seed-anastrozole-inhibits-aromatase"]
    assert all(ev.text in row["evidence"] for ev in st.evidence)
    assert row["sources"].split("; ") == list(st.sources)


# ---------------------------------------------------------------------------------------------- hostile text
def hostile_graph() -> KnowledgeGraph:
    src = Source("src:hostile", HOSTILE, "made by the test")
    a = Entity("HKG:hostile_a", HOSTILE, "Hormone", synonyms=("x\ty",), comment=HOSTILE, description=HOSTILE)
    b = Entity("HKG:hostile_b", 'b "</script><script>alert(1)</script>', "Receptor", comment="test")
    st = Statement(
        "hostile-statement",
        a.id,
        "agonist_of",
        b.id,
        1,
        (src.id,),
        (Evidence(src.id, HOSTILE),),
        context={"sex": "female"},
        note=HOSTILE,
    )
    return KnowledgeGraph(Curation(entities=(a, b), statements=(st,), sources=(src,)))


def test_hostile_text_survives_every_reader(tmp_path: Path) -> None:
    g = hostile_graph()
    export(g, tmp_path, formats=NON_HTML)
    for name, fmt in (("hormone-kg.ttl", "turtle"), ("hormone-kg.nt", "nt"), ("hormone-kg.jsonld", "json-ld")):
        parsed = Graph().parse(tmp_path / name, format=fmt)
        assert same_graph(parsed, g.rdf), name
        assert read_graph(parsed) == g.curation.canonical(), name
    nodes = {n["id"]: n for n in read_tsv(tmp_path / "kgx" / "nodes.tsv")}
    flat = HOSTILE.replace("\t", " ").replace("\n", " ")  # kgx reads TSV unquoted: tabs and line breaks become spaces
    assert nodes["HKG:hostile_a"]["name"] == flat and nodes["HKG:hostile_a"]["description"] == flat
    (edge,) = read_tsv(tmp_path / "kgx" / "edges.tsv")
    assert json.loads(edge["evidence"])[0]["text"] == HOSTILE
    graph = nx.read_graphml(tmp_path / "hormone-kg.graphml", force_multigraph=True)
    assert graph.nodes["HKG:hostile_a"]["label"] == HOSTILE
    assert graph.nodes["HKG:hostile_b"]["label"] == 'b "</script><script>alert(1)</script>'
    doc = json.loads((tmp_path / "hormone-kg.cytoscape.json").read_text(encoding="utf-8"))
    assert doc["elements"]["nodes"][0]["data"]["label"] == HOSTILE
    with (tmp_path / "statements.csv").open(encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["subject_label"] == HOSTILE and row["note"] == HOSTILE and HOSTILE in row["evidence"]


# ---------------------------------------------------------------------------------------------- atomicity
class ExplodingGraph(Graph):
    """An rdflib graph whose iteration fails part-way (a serialisation that raises midway)."""

    def triples(self, pattern: Any) -> Iterator[Any]:  # type: ignore[override]
        for i, triple in enumerate(super().triples(pattern)):
            if i == 50:
                raise RuntimeError("disk on fire")
            yield triple


class BrokenRDF(KnowledgeGraph):
    def rdf_copy(self) -> Graph:  # the graph the RDF exports serialise
        broken = ExplodingGraph()
        for triple in super().rdf_copy():
            broken.add(triple)
        return broken


class PoisonedText:
    def __format__(self, spec: str) -> str:
        raise RuntimeError("poisoned evidence")


def poisoned_graph(good: KnowledgeGraph) -> KnowledgeGraph:
    last = max(good.statements.values(), key=lambda s: s.id)
    bad = Statement(
        "zzz-poisoned",
        last.subject,
        last.predicate,
        last.object,
        last.sign,
        last.sources,
        (Evidence(last.sources[0], PoisonedText()),),  # type: ignore[arg-type]
    )
    cur = good.curation
    return KnowledgeGraph(
        Curation(
            entities=cur.entities,
            statements=(*cur.statements, bad),
            sources=cur.sources,
            populations=cur.populations,
            regimens=cur.regimens,
        )
    )


def test_the_graph_an_rdf_export_writes_is_rdf_whether_built_before_or_not() -> None:
    g = tiny([("HKG:a", "increases", "HKG:b"), ("HKG:b", "decreases", "HKG:c", {"sex": "female"})])
    fresh = g.rdf_copy()  # made anew: g.rdf is not built yet
    rdf = g.rdf
    copied = g.rdf_copy()  # copied from g.rdf
    assert fresh is not rdf and copied is not rdf and len(rdf) > 0
    assert set(fresh) == set(rdf) == set(copied)
    assert dict(fresh.namespaces()) == dict(copied.namespaces())  # the same prefixes bound either way
    copied.remove((None, None, None))
    assert len(g.rdf) == len(fresh)  # a copy changed leaves g.rdf as it was


def test_failing_serialisation_keeps_the_old_files(bundled: KnowledgeGraph, exported: Path, tmp_path: Path) -> None:
    shutil.copytree(exported, tmp_path, dirs_exist_ok=True)  # the files a first export wrote
    before = files_under(tmp_path)
    broken = BrokenRDF(bundled.curation)
    with pytest.raises(ExportError, match=r"turtle export .* failed: RuntimeError: disk on fire"):
        export(broken, tmp_path, formats=["kgx", "turtle"])
    assert files_under(tmp_path) == before  # kgx was staged, then discarded: all or nothing


def test_writer_failing_midway_leaves_no_partial_file(bundled: KnowledgeGraph, tmp_path: Path) -> None:
    export(bundled, tmp_path, formats=["csv", "cytoscape"])
    before = files_under(tmp_path)
    with pytest.raises(ExportError, match=r"csv export .* poisoned evidence"):
        export(poisoned_graph(bundled), tmp_path, formats=["csv"])
    assert files_under(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hormone-kg.cytoscape.json", "statements.csv"]


def test_refuses_paths_that_escape_the_directory(bundled: KnowledgeGraph, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "exports"
    target.mkdir()
    (target / "kgx").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ExportError, match="outside"):
        export(bundled, target, formats=["ntriples", "kgx"])
    assert list(outside.iterdir()) == []
    assert not (target / "hormone-kg.nt").exists()
    (target / "statements.csv").symlink_to(outside / "stolen.csv")
    with pytest.raises(ExportError, match="outside"):
        export(bundled, target, formats=["csv"])
    assert list(outside.iterdir()) == []


def test_refuses_a_file_as_the_directory(bundled: KnowledgeGraph, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportError, match="export folder"):
        export(bundled, tmp_path / "file", formats=["csv"])


# ---------------------------------------------------------------------------------------------- HTML, build
@pytest.fixture(scope="module")
def built(built_exports: Written) -> tuple[Path, list[Path]]:
    """`hormone-kg build` (SHACL, then every format, HTML included), run once per test run (tests/conftest.py)."""
    return built_exports.folder, built_exports.files


def test_html_writes_the_full_and_the_highlighted_view(built: tuple[Path, list[Path]]) -> None:
    written = [p for p in built[1] if p.suffix == ".html"]
    assert [p.name for p in written] == ["hormone-kg.html", "anastrozole-bmd.html"]
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert "<html" in text.lower() and "anastrozole" in text


def test_build_is_in_sync_with_the_committed_exports(built: tuple[Path, list[Path]]) -> None:
    """exports/ must be regenerated (`hormone-kg build`) whenever the curation or the writers change."""
    out, written = built
    assert written and all(p.is_relative_to(out) for p in written)
    fresh, committed = files_under(out), files_under(COMMITTED)
    assert sorted(fresh) == sorted(committed), "exports/ has different files: run `hormone-kg build`"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"exports/ is out of date ({', '.join(stale)}): run `hormone-kg build`"
