"""The fast path (kg.scale + kg.compiled) against the reference engine (kg.engine via kg.query).

Property tests draw small random graphs (signed, structural and negated statements, enzymatic reactions,
contexts about men / women / mice) and ask both engines the same questions: the answers must be the same.
The synthetic-graph writer is checked against kg.build triple for triple.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic

import kg
from kg.build import build_graph
from kg.compiled import CompiledIndex, StatementTable
from kg.errors import CurationError, ValidationError
from kg.graph import KnowledgeGraph
from kg.model import Curation, Entity, Evidence, Population, Source, Statement
from kg.ontology import schema
from kg.scale import LargeKnowledgeGraph, load_large, use_fast_path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks package (not installed)
from benchmarks import synth

NODES = [f"HKG:n{i}" for i in range(7)]
PREDICATES = ["increases", "decreases", "inhibits", "activates", "binds", "expressed_in"]
CONTEXTS = [
    {},
    {},
    {"sex": "female"},
    {"sex": "male"},
    {"tissue": "UBERON:0002481"},
    {"sex": "female", "species": "NCBITaxon:10090"},
    {"population": "pop:pm"},
]
SOURCES = ["src:a", "src:b", "src:curator", "src:seed-article"]
POPULATIONS = (Population("pop:pm", "postmenopausal women", {"sex": "female", "menopausal_status": "postmenopausal"}),)


@st.composite
def graphs(draw: st.DrawFn) -> Curation:
    """A small random curation: plain statements, a few reactions (substrate/product pairs)."""
    statements = []
    for i in range(draw(st.integers(1, 18))):
        pred = draw(st.sampled_from(PREDICATES))
        sources = tuple(sorted(set(draw(st.lists(st.sampled_from(SOURCES), min_size=1, max_size=2)))))
        statements.append(Statement(
            f"s{i:02d}", draw(st.sampled_from(NODES)), pred, draw(st.sampled_from(NODES)),
            schema().predicates[pred].polarity, sources, (Evidence(sources[0], f"evidence {i}"),),
            context=draw(st.sampled_from(CONTEXTS)), negated=draw(st.booleans()) and pred == "decreases",
        ))  # fmt: skip
    for k in range(draw(st.integers(0, 3))):
        a, e, b = (draw(st.sampled_from(NODES)) for _ in range(3))
        ctx = draw(st.sampled_from(CONTEXTS))
        ev = (Evidence("src:a", "conversion"),)
        statements.append(Statement(f"r{k}a", a, "substrate_of", e, 1, ("src:a",), ev, context=ctx, reaction=f"R{k}"))
        if draw(st.integers(0, 3)):  # sometimes the product is missing: the substrate step then leads nowhere
            product_ctx = draw(st.sampled_from(CONTEXTS))  # and it may be about another kind of person
            statements.append(
                Statement(f"r{k}b", e, "produces", b, 1, ("src:a",), ev, context=product_ctx, reaction=f"R{k}")
            )
    names = sorted({n for s in statements for n in (s.subject, s.object)})
    return Curation(
        entities=tuple(Entity(n, n.split(":")[1], "Chemical", comment="test") for n in names),
        statements=tuple(statements),
        sources=tuple(Source(s, s, "test") for s in SOURCES),
        populations=POPULATIONS,
    ).canonical()


def both(cur: Curation) -> tuple[KnowledgeGraph, KnowledgeGraph]:
    return KnowledgeGraph(cur), KnowledgeGraph(cur, index=CompiledIndex.build(cur.statements))


def signed_paths(paths: list[kg.CausalPath]) -> list[tuple[tuple[str, ...], int, tuple[str, ...]]]:
    return [(p.nodes, p.sign, tuple(s.id for s in p.statements)) for p in paths]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.sampled_from([None, {"sex": "female"}, "postmenopausal women"]), st.data())
def test_same_answers_as_the_reference(cur: Curation, context: object, data: st.DataObject) -> None:
    ref, fast = both(cur)
    nodes = sorted(ref.entities)
    src, dst = data.draw(st.sampled_from(nodes)), data.draw(st.sampled_from(nodes))
    for sign in (None, 1, -1):
        expected = ref.causal_paths(src, dst, context=context, sign=sign, limit=10_000)
        got = fast.causal_paths(src, dst, context=context, sign=sign, limit=10_000)
        assert not expected.truncated and not got.truncated
        assert signed_paths(got) == signed_paths(expected)  # same paths, same statements, same order
    got_effect, expected_effect = fast.effect(src, dst, context=context), ref.effect(src, dst, context=context)
    assert got_effect.predicted == expected_effect.predicted
    assert signed_paths(list(got_effect.paths)) == signed_paths(list(expected_effect.paths))
    for change in ("increase", "decrease"):
        expected_down = ref.downstream(src, change=change, context=context)
        got_down = fast.downstream(src, change=change, context=context)
        assert {k: e.predicted for k, e in got_down.items()} == {k: e.predicted for k, e in expected_down.items()}
        assert {k: min(p.length for p in e.paths) for k, e in got_down.items()} == {
            k: min(p.length for p in e.paths) for k, e in expected_down.items()
        }  # shortest supporting path per node
        assert list(got_down) == list(expected_down)  # the same order: nearest first, then by CURIE
        assert not got_down.truncated and not expected_down.truncated
    got_up, expected_up = fast.upstream(dst, context=context), ref.upstream(dst, context=context)
    assert list(got_up) == list(expected_up)  # the same entities, in the same order
    assert {k: e.predicted for k, e in got_up.items()} == {k: e.predicted for k, e in expected_up.items()}
    assert {k: [p.length for p in e.paths] for k, e in got_up.items()} == {
        k: [p.length for p in e.paths] for k, e in expected_up.items()
    }
    for e in got_up.values():  # every step joins the previous one (a path, not a list of statements)
        for p in e.paths:
            assert [(st.subject, st.object) for st in p.statements] == list(zip(p.nodes, p.nodes[1:], strict=False))
    assert [(loop.nodes, loop.sign) for loop in fast.feedback_loops()] == [
        (loop.nodes, loop.sign) for loop in ref.feedback_loops()
    ]


def test_reaction_pairing_and_the_testosterone_example() -> None:
    """T -> aromatase -> E2 is a path; T -> aromatase -> E1 is not (another reaction's product)."""
    ev = (Evidence("src:a", "t"),)
    sts = [Statement("a", "HKG:T", "substrate_of", "HKG:ARO", 1, ("src:a",), ev, reaction="t-e2"),
           Statement("b", "HKG:ARO", "produces", "HKG:E2", 1, ("src:a",), ev, reaction="t-e2"),
           Statement("c", "HKG:A4", "substrate_of", "HKG:ARO", 1, ("src:a",), ev, reaction="a4-e1"),
           Statement("d", "HKG:ARO", "produces", "HKG:E1", 1, ("src:a",), ev, reaction="a4-e1"),
           Statement("e", "HKG:ANA", "inhibits", "HKG:ARO", -1, ("src:a",), ev)]  # fmt: skip
    idx = CompiledIndex.build(sts)
    assert [p.nodes for p in idx.paths("HKG:T", "HKG:E2", lambda s: True).paths] == [("HKG:T", "HKG:ARO", "HKG:E2")]
    assert idx.paths("HKG:T", "HKG:E1", lambda s: True).paths == []
    assert idx.paths("HKG:T", "HKG:ARO", lambda s: True).paths == []  # no path ends inside a reaction
    best, _ = idx.reach("HKG:ANA", lambda s: True)
    assert {node: sign for node, sign in best} == {"HKG:ARO": -1, "HKG:E2": -1, "HKG:E1": -1}


def test_statement_table_round_trip() -> None:
    cur = synth.to_curation(synth.generate(300, seed=2))
    table = StatementTable.from_statements(cur.statements)
    assert tuple(table) == cur.statements


def test_generator_writes_what_build_graph_builds(tmp_path: Path) -> None:
    syn = synth.generate(250, seed=7)
    cur = synth.to_curation(syn)
    path = synth.write_turtle(syn, tmp_path / "synthetic.ttl")
    assert isomorphic(Graph().parse(path, format="turtle"), build_graph(cur, with_ontology=False))
    assert kg.validate.check_curation(cur) == []


def test_generator_yaml_reads_back(tmp_path: Path) -> None:
    syn = synth.generate(120, seed=3)
    files = synth.write_yaml(syn, tmp_path / "yaml")
    merged = Curation()
    for f in files:
        merged = merged.merged(kg.sources.parse_file(f))
    assert merged.canonical() == synth.to_curation(syn)


def test_load_large_equals_the_reference_load(tmp_path: Path) -> None:
    syn = synth.generate(400, seed=11)
    path = synth.write_turtle(syn, tmp_path / "big.ttl")
    fast = load_large([path])
    assert isinstance(fast, LargeKnowledgeGraph) and isinstance(fast, KnowledgeGraph)
    expected = kg.load().curation.merged(synth.to_curation(syn)).canonical()
    assert fast.curation == expected
    assert len(fast.statements) == len(expected.statements)
    st0 = expected.statements[0]
    assert fast.statements[st0.id] == st0
    # the bundled answers still hold on the merged, compiled graph
    e = fast.effect("anastrozole", "bone mineral density", context="postmenopausal women")
    assert e.direction == "decrease"
    assert "testosterone → aromatase → 17β-estradiol" in [p.compact() for p in fast.causal_paths("testosterone", "E2")]
    bundled = kg.load()
    for src, dst in (("anastrozole", "bone mineral density"), ("letrozole", "LH"), ("estradiol", "bone resorption")):
        assert signed_paths(fast.causal_paths(src, dst)) == signed_paths(bundled.causal_paths(src, dst))


def test_snapshot_is_reused_and_gives_the_same_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HORMONE_KG_CACHE", str(tmp_path / "cache"))
    syn = synth.generate(300, seed=5)
    path = synth.write_turtle(syn, tmp_path / "big.ttl")
    first = load_large([path], bundled=False)
    (folder,) = (tmp_path / "cache").glob("snapshot-*")
    assert (folder / "records.pickle").is_file()
    again = load_large([path], bundled=False)  # read from the snapshot: columns memory-mapped
    assert isinstance(again.table.subject, np.memmap) and not isinstance(first.table.subject, np.memmap)
    assert again.curation == first.curation  # every record and statement, evidence sentences included
    some = first.curation.entities[7]
    assert again.resolve(some.label) == again.entities[some.id] == some  # the saved name index, same entities
    assert again.search(some.label)[0].id == some.id
    src, dst = first.table.nodes[int(first.table.subject[0])], first.table.nodes[int(first.table.object[5])]
    assert signed_paths(again.causal_paths(src, dst)) == signed_paths(first.causal_paths(src, dst))
    assert dict(again.downstream(src)) == dict(first.downstream(src))
    # a changed file is a different snapshot; a damaged snapshot is rebuilt, not trusted
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    load_large([path], bundled=False)
    assert len(list((tmp_path / "cache").glob("snapshot-*"))) == 2
    for f in (tmp_path / "cache").glob("snapshot-*/records.pickle"):
        f.write_bytes(b"not a pickle")
    assert load_large([path], bundled=False).curation == first.curation
    # damaged columns (same size, other bytes; or cut short) are noticed and rebuilt, never read as data
    (snap,) = [f for f in (tmp_path / "cache").glob("snapshot-*") if f.name != folder.name]
    text = snap / "evidence_text.bin"
    text.write_bytes(b"X" * text.stat().st_size)
    ids = snap / "ids.bin"
    ids.write_bytes(ids.read_bytes()[:-40])
    assert load_large([path], bundled=False).curation == first.curation


def test_snapshot_key_covers_files_bundled_data_and_ontology(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import kg.ontology
    from kg.snapshot import snapshot_key

    path = synth.write_turtle(synth.generate(50, seed=6), tmp_path / "g.ttl")
    ontology = tmp_path / "ontology"
    shutil.copytree(kg.ontology.ontology_dir(), ontology)
    monkeypatch.setattr(kg.ontology, "ontology_dir", lambda: ontology)
    key = snapshot_key([path], None)
    assert snapshot_key([path], None) == key and snapshot_key([path], "bundled-key") != key
    polarity = ontology / "hormone-kg.ttl"
    polarity.write_text(polarity.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert snapshot_key([path], None) != key  # a changed ontology can change what validation accepts


def test_an_unwritable_cache_only_costs_the_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("HORMONE_KG_CACHE", str(blocker / "cache"))
    path = synth.write_turtle(synth.generate(100, seed=4), tmp_path / "g.ttl")
    assert len(load_large([path], bundled=False).table) == len(load_large([path], bundled=False).table) > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl", "not-a-folder"]


def test_no_snapshot_of_a_graph_that_fails_validation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HORMONE_KG_CACHE", str(tmp_path / "cache"))
    syn = synth.generate(100, seed=2)
    text = synth.write_turtle(syn, tmp_path / "ok.ttl").read_text(encoding="utf-8")
    bad = tmp_path / "bad.ttl"
    bad.write_text(text.replace("dcterms:source src:synth-", "dcterms:source src:unregistered-", 1), encoding="utf-8")
    for _ in range(2):  # the second load validates again: nothing was saved
        with pytest.raises(ValidationError):
            load_large([bad], bundled=False)
    assert not list((tmp_path / "cache").glob("snapshot-*"))


def test_load_large_reports_broken_rules(tmp_path: Path) -> None:
    syn = synth.generate(100, seed=1)
    text = synth.write_turtle(syn, tmp_path / "ok.ttl").read_text(encoding="utf-8")
    first = syn.statements[0]
    broken = text.replace(
        f"stmt:{first[0]} a hkg:Statement, rdf:Statement ;",
        f'stmt:{first[0]} a hkg:Statement, rdf:Statement ; hkg:magnitude "huge" ;',
        1,
    )
    broken = broken.replace("dcterms:source src:synth-", "dcterms:source src:unregistered-", 1)
    bad = tmp_path / "bad.ttl"
    bad.write_text(broken, encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_large([bad], bundled=False)
    rules = {v.rule for v in err.value.violations}
    assert {"known-magnitude", "source-is-registered"} <= rules


def test_load_large_rejects_malformed_turtle(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(CurationError, match="malformed"):
        load_large([bad], bundled=False)


def test_fast_path_threshold(tmp_path: Path) -> None:
    small = tmp_path / "small.ttl"
    small.write_text("", encoding="utf-8")
    assert not use_fast_path([small])
    assert not use_fast_path([tmp_path / "x.yaml"])
