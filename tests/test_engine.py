"""The engine against the oracle (tests/oracle.py), and RDF imports through the one pipeline.

Property tests draw small random graphs (signed, structural and negated statements, enzymatic reactions,
contexts about men / women / mice) and ask both engines the same questions: the answers must be the same.
The synthetic-graph writer is checked against kg.sources.rdfgraph triple for triple.
"""

from __future__ import annotations

import itertools
import pickle
import sys
from collections.abc import Mapping
from pathlib import Path
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic

import kg
import kg.store.bundled
import kg.store.load
from kg.errors import CurationError, ValidationError
from kg.graph import KnowledgeGraph
from kg.model import ANIMAL_WEIGHT, IMPORT_WEIGHT, Curation, Entity, Evidence, Population, Source, Statement
from kg.ontology import schema
from kg.questions.scope import scope_of
from kg.search import SearchIndex, expand, rank, resolve
from kg.search.budget import Budget
from kg.search.hops import EVERYTHING, Hop, RawPath
from kg.search.paths import _enumerate as enumerate_walks
from kg.search.persons import persons_of, raw_path
from kg.search.rank import best_paths
from kg.search.view import bound_to
from kg.sources.rdfgraph import build_graph
from kg.table import StatementTable
from tests import oracle
from tests.conftest import make_statement, tiny

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
    {"tissue": "UBERON:0000310"},
    {"sex": "female", "species": "NCBITaxon:10090"},
    {"population": "pop:pm"},
]
SOURCES = ["src:a", "src:b", "src:curator", "src:seed-article", "src:import-x"]
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
    return curation(statements + places(draw, NODES))


TISSUES = ("UBERON:0002481", "UBERON:0000310")


def places(draw: st.DrawFn, nodes: list[str]) -> list[Statement]:
    """Where some nodes are (``located_in`` a tissue; sometimes two places, which locates nowhere)."""
    ev = (Evidence("src:a", "where"),)
    where = [(draw(st.sampled_from(nodes)), draw(st.sampled_from(TISSUES))) for _ in range(draw(st.integers(0, 4)))]
    return [Statement(f"loc{i}", n, "located_in", t, 0, ("src:a",), ev) for i, (n, t) in enumerate(where)]


def category(node: str) -> str:
    """Half the test nodes circulate (hormones), half do not (receptors); tissues are anatomy."""
    if node.startswith("UBERON:"):
        return "Anatomy"
    digits = node[len(node.rstrip("0123456789")) :]
    return "Hormone" if digits and int(digits) % 2 else "Receptor"


def moving(cur: Curation) -> frozenset[str]:
    """The entities of ``cur`` that circulate (for the oracle)."""
    return frozenset(e.id for e in cur.entities if e.category in schema().circulating)


def curation(statements: list[Statement]) -> Curation:
    """The statements with an entity for every node, the test sources and populations."""
    names = sorted({n for s in statements for n in (s.subject, s.object)})
    return Curation(
        entities=tuple(Entity(n, n.split(":")[1], category(n), comment="test") for n in names),
        statements=tuple(statements),
        sources=tuple(Source(s, s, "test") for s in SOURCES),
        populations=POPULATIONS,
    ).canonical()


def signed_paths(paths: list[kg.CausalPath]) -> list[tuple[tuple[str, ...], int, tuple[str, ...]]]:
    return [(p.nodes, p.sign, tuple(s.id for s in p.statements)) for p in paths]


def raw_signed(paths: list) -> list[tuple[tuple[str, ...], int, tuple[str, ...]]]:
    return [(p.nodes, p.sign, tuple(h.statements[0].id for h in p.hops)) for p in paths]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.sampled_from([None, {"sex": "female"}, "postmenopausal women"]), st.data())
def test_the_engine_equals_the_oracle(cur: Curation, context: object, data: st.DataObject) -> None:
    """Paths, reach (both ways) and cycles of the engine equal the depth-first oracle's, with contexts,
    reactions (some without their product) and negated statements."""
    g = KnowledgeGraph(cur, StatementTable.from_statements(cur.statements))
    ctx = g.context(context)
    scope = scope_of(g, ctx)
    ref = oracle.CausalIndex(cur.statements, moving(cur))

    def admits(s: Statement) -> bool:
        return scope.admits(s.context)

    def person(s: Statement) -> Mapping[str, str]:
        assert scope.person is not None
        return scope.person(s.context)

    nodes = sorted(g.entities)
    src, dst = data.draw(st.sampled_from(nodes)), data.draw(st.sampled_from(nodes))
    cut = oracle.blocked(cur.statements, src, admits)  # what src blocks is fixed by it (kg.search.rules)
    for sign in (None, 1, -1):
        expected = ref.paths(src, dst, admits, sign=sign, limit=10_000, person=person, cut=cut)
        got = g.index.paths(src, dst, scope, sign=sign, limit=10_000)
        assert not expected.truncated and not got.truncated
        assert raw_signed(got.paths) == raw_signed(expected.paths)  # same paths, same statements, same order
        few = data.draw(st.integers(1, 4))  # the best few: the first of the oracle's
        best_few = g.index.paths(src, dst, scope, sign=sign, limit=few)
        assert raw_signed(best_few.paths) == raw_signed(expected.paths[:few])
    for reverse in (False, True):
        best, stopped = ref.reach(src, admits, reverse=reverse, person=person, cut=frozenset() if reverse else cut)
        found = g.index.reach(src, scope, reverse=reverse)
        assert found is not None and not stopped and not found.truncated
        keys = {
            (g.table.nodes[k >> 1], -1 if k & 1 else 1): int(n) for k, n in zip(found.keys, found.lengths, strict=True)
        }
        assert keys == {key: len(p.hops) for key, p in best.items()}  # every (node, sign), shortest length
        for i in range(len(found)):  # each path is a real path of its sign
            path = found.path(i)
            assert [(h.source, h.target) for h in path.hops] == list(zip(path.nodes, path.nodes[1:], strict=False))
        order = sorted(
            {n for n, _ in best}, key=lambda n: (min(len(p.hops) for (m, _), p in best.items() if m == n), n)
        )
        assert [g.table.nodes[n] for n in found.node_order()] == order  # nearest first, then by CURIE
    loops, stopped = ref.cycles(admits, person=person)
    got_loops = g.index.cycles(scope)
    assert not stopped and not got_loops.truncated
    assert raw_signed(got_loops.paths) == raw_signed(loops)


DENSE_NODES = [f"HKG:d{i}" for i in range(8)]


@st.composite
def dense_graphs(draw: st.DrawFn) -> Curation:
    """A dense random graph of signed statements (some about men, women or mice), and reactions.

    Many cycles: the breadth-first reach often meets a (node, sign) first on a walk that repeats a node,
    so :mod:`kg.search.resolve` has to find the path (or prove there is none).
    """
    statements = []
    for i in range(draw(st.integers(10, 34))):
        pred = draw(st.sampled_from(["increases", "decreases", "decreases", "inhibits"]))
        s, o = draw(st.sampled_from(DENSE_NODES)), draw(st.sampled_from(DENSE_NODES))
        ctx = draw(st.sampled_from(CONTEXTS))
        statements.append(make_statement(f"s{i:02d}", s, pred, o, context=dict(ctx), source="src:a"))
    for k in range(draw(st.integers(0, 2))):
        a, e, b = (draw(st.sampled_from(DENSE_NODES)) for _ in range(3))
        ev = (Evidence("src:a", "conversion"),)
        statements.append(Statement(f"r{k}a", a, "substrate_of", e, 1, ("src:a",), ev, reaction=f"R{k}"))
        statements.append(Statement(f"r{k}b", e, "produces", b, 1, ("src:a",), ev, reaction=f"R{k}"))
    return curation(statements + places(draw, DENSE_NODES))


@st.composite
def ranked_graphs(draw: st.DrawFn) -> Curation:
    """Six nodes and many statements of every support (sources of each weight, some about mice) and about different
    people: many walks of one length between two nodes, with ties and near ties in rank."""
    nodes, statements = DENSE_NODES[:6], []
    for i in range(draw(st.integers(10, 40))):
        pred = draw(st.sampled_from(["increases", "decreases", "inhibits"]))
        sources = tuple(sorted(set(draw(st.lists(st.sampled_from(SOURCES), min_size=1, max_size=2)))))
        statements.append(Statement(
            f"s{i:02d}", draw(st.sampled_from(nodes)), pred, draw(st.sampled_from(nodes)),
            schema().predicates[pred].polarity, sources, (Evidence(sources[0], f"evidence {i}"),),
            context=draw(st.sampled_from(CONTEXTS)),
        ))  # fmt: skip
    return curation(statements + places(draw, nodes))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ranked_graphs(), st.sampled_from([None, {"sex": "female"}, "postmenopausal women"]), st.integers(0, 2**32 - 1))
def test_the_best_paths_are_the_first_of_the_ranked_walks(cur: Curation, context: object, seed: int) -> None:
    """kg.search.rank.best_paths against its definition: every walk made a path (raw_path), sorted by RawPath.rank
    (a stable sort: equal ranks keep the walks' order), the first path of each signed node path kept, then the
    first ``limit``. For the walks of 2 and 3 hops between every two nodes, shuffled (the search gives them in an
    order that settles many ties already), ranked on arrays however few they are (:data:`rank.ARRAYS_FROM`)."""
    g = KnowledgeGraph(cur, StatementTable.from_statements(cur.statements))
    scope = scope_of(g, g.context(context))
    view = g.index.view(scope)
    tables, rng = persons_of(view, scope.person), np.random.default_rng(seed)
    for s, d in itertools.permutations(range(len(g.table.nodes)), 2):
        for length in (2, 3):
            near = bound_to(view, d).grow(length).nearest()
            walks = enumerate_walks(view, tables, s, d, length, near, None, Budget(), None)
            if len(walks) < 2:  # nothing to rank
                continue
            walks = walks[rng.permutation(len(walks))]
            first: dict[tuple[tuple[str, ...], tuple[int, ...]], RawPath] = {}
            for raw in sorted((raw_path(view, w, scope.person) for w in walks.tolist()), key=RawPath.rank):
                first.setdefault((raw.nodes, tuple(h.sign for h in raw.hops)), raw)
            for limit in (1, 3, len(walks)):
                expected = [p.hops for p in list(first.values())[:limit]]
                with patch.object(rank, "ARRAYS_FROM", 1):  # on arrays however few the walks
                    assert [p.hops for p in best_paths(view, walks, scope.person, limit)] == expected


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dense_graphs(), st.sampled_from([None, {"sex": "female"}]), st.data())
def test_reach_in_dense_graphs_equals_the_oracle(cur: Curation, context: object, data: st.DataObject) -> None:
    """Reach both ways on graphs full of cycles: every (node, sign) with a simple path, at its shortest length,
    one key at a time and all keys together, in batches of any size; and with the seen persons kept as rows of
    words, starting with one row (the layouts of graphs with over 64 persons)."""
    g = KnowledgeGraph(cur, StatementTable.from_statements(cur.statements))
    scope = scope_of(g, g.context(context))
    ref = oracle.CausalIndex(cur.statements, moving(cur))

    def person(s: Statement) -> Mapping[str, str]:
        assert scope.person is not None
        return scope.person(s.context)

    src = data.draw(st.sampled_from(sorted(g.entities)))
    cut = oracle.blocked(cur.statements, src, lambda s: scope.admits(s.context))
    for reverse in (False, True):
        best, stopped = ref.reach(
            src, lambda s: scope.admits(s.context), reverse=reverse, person=person, cut=frozenset() if reverse else cut
        )
        expected = {key: len(p.hops) for key, p in best.items()}
        layouts = (
            (resolve.FEW, resolve.CHUNK, expand.PACKED, expand.ROWS),
            (0, 1, 0, expand.ROWS),
            (0, 1, 0, 1),
        )
        for few, chunk, packed, rows in layouts:
            with (
                patch.object(resolve, "FEW", few),
                patch.object(resolve, "CHUNK", chunk),
                patch.object(expand, "PACKED", packed),
                patch.object(expand, "ROWS", rows),
            ):
                found = g.index.reach(src, scope, reverse=reverse)
            assert found is not None and not stopped and not found.truncated
            keys = {
                (g.table.nodes[k >> 1], -1 if k & 1 else 1): int(n)
                for k, n in zip(found.keys, found.lengths, strict=True)
            }
            assert keys == expected
            for i in range(len(found)):  # each path is a simple path of its sign and length
                path = found.path(i)
                key = (g.table.nodes[found.keys[i] >> 1], -1 if found.keys[i] & 1 else 1)
                assert path.sign == key[1] and len(path.hops) == keys[key]
                assert [(h.source, h.target) for h in path.hops] == list(zip(path.nodes, path.nodes[1:], strict=False))


def test_a_tiny_work_budget_cuts_at_the_same_place_every_time() -> None:
    """Budgets count work, not seconds: the same query stops at the same point on any machine."""
    n = 30
    edges = [
        make_statement(i * n + j, f"HKG:n{i}", "increases" if (i * 7 + j) % 5 else "decreases", f"HKG:n{j}")
        for i in range(n) for j in range(n) if i != j
    ]  # fmt: skip
    g = tiny(edges)
    runs = [g.causal_paths("HKG:n0", "HKG:n1", max_length=6, limit=10**6, work=5_000) for _ in range(3)]
    assert all(r.truncated and not r.timed_out for r in runs)
    assert len({tuple(signed_paths(r)) for r in runs}) == 1  # identical answers, path for path
    # every edge tried is one expansion: length 1 costs 29, length 2 costs 29 + 28 * 29 = 841, and length 3
    # has 5,000 - 29 - 841 - 841 = 3,289 left for its last step, i.e. the first 113 walks (29 edges each) in
    # depth-first order; then the search stops, truncated
    assert [sum(1 for p in runs[0] if p.length == k) for k in (1, 2, 3)] == [1, 28, 113]
    assert max(p.length for p in runs[0]) == 3
    loops = [g.feedback_loops(max_length=4, work=2_000) for _ in range(3)]
    assert all(r.truncated for r in loops) and len({tuple(x.nodes for x in r) for r in loops}) == 1
    down = g.downstream("HKG:n0", max_length=6, work=1)  # one expansion: the start's own level, no second
    assert down.truncated and len(down) == n - 1 and all(e.predicted != "mixed" for e in down.values())
    full = g.downstream("HKG:n0", max_length=6)
    assert not full.truncated and {e.predicted for e in full.values()} == {"mixed"}


def test_settling_a_key_met_first_on_a_repeating_walk_counts_work_too() -> None:
    """(a, decrease) is met first on s → a → b → a (not a path); its path s → c → d → e → a is one hop longer.

    Every budget gives the same answer on every run; the smallest ones stop before that path is found
    (truncated, a reads as increased only); from some budget on the answer is complete and finds it."""
    g = tiny([
        ("HKG:s", "increases", "HKG:a"), ("HKG:a", "increases", "HKG:b"), ("HKG:b", "decreases", "HKG:a"),
        ("HKG:s", "increases", "HKG:c"), ("HKG:c", "increases", "HKG:d"), ("HKG:d", "decreases", "HKG:e"),
        ("HKG:e", "increases", "HKG:a"),
    ])  # fmt: skip
    full = g.downstream("HKG:s", change="increase", max_length=6)
    assert not full.truncated and full["HKG:a"].predicted == "mixed"
    answers = []
    for work in range(1, 400):
        runs = [g.downstream("HKG:s", change="increase", max_length=6, work=work) for _ in range(2)]
        assert len({(r.truncated, tuple((k, e.predicted) for k, e in r.items())) for r in runs}) == 1
        answers.append(runs[0])
    cut = [r for r in answers if r.truncated]
    assert cut[0]["HKG:a"].predicted == "increase"  # the first budgets: only the direct step
    first_complete = next(i for i, r in enumerate(answers) if not r.truncated)
    assert all(not r.truncated and r["HKG:a"].predicted == "mixed" for r in answers[first_complete:])


def test_reaction_pairing_and_the_testosterone_example() -> None:
    """T -> aromatase -> E2 is a path; T -> aromatase -> E1 is not (another reaction's product)."""
    ev = (Evidence("src:a", "t"),)
    sts = [Statement("a", "HKG:T", "substrate_of", "HKG:ARO", 1, ("src:a",), ev, reaction="t-e2"),
           Statement("b", "HKG:ARO", "produces", "HKG:E2", 1, ("src:a",), ev, reaction="t-e2"),
           Statement("c", "HKG:A4", "substrate_of", "HKG:ARO", 1, ("src:a",), ev, reaction="a4-e1"),
           Statement("d", "HKG:ARO", "produces", "HKG:E1", 1, ("src:a",), ev, reaction="a4-e1"),
           Statement("e", "HKG:ANA", "inhibits", "HKG:ARO", -1, ("src:a",), ev)]  # fmt: skip
    idx = SearchIndex.build(sts)
    assert [p.nodes for p in idx.paths("HKG:T", "HKG:E2").paths] == [("HKG:T", "HKG:ARO", "HKG:E2")]
    assert idx.paths("HKG:T", "HKG:E1").paths == []
    assert idx.paths("HKG:T", "HKG:ARO").paths == []  # no path ends inside a reaction
    found = idx.reach("HKG:ANA")
    assert found is not None
    reached = {idx.table.nodes[k >> 1]: -1 if k & 1 else 1 for k in found.keys.tolist()}
    assert reached == {"HKG:ARO": -1, "HKG:E2": -1, "HKG:E1": -1}


def test_statement_table_round_trip() -> None:
    cur = synth.to_curation(synth.generate(300, seed=2))
    table = StatementTable.from_statements(cur.statements)
    assert tuple(table) == cur.statements


def test_a_views_hop_reads_from_its_rows_what_its_statements_say() -> None:
    """A view's hops are made of rows; before a statement is made, their support, trust tier and the person and
    place of each statement are read from the table's columns: each must be what the statements themselves give
    (Hop.support's definition: distinct sources, animal evidence and imports weighted), and the hop equal to the
    one made of them."""
    ev = (Evidence("PMID:1", "t"),)
    statements = [
        Statement("a", "X:1", "increases", "X:2", 1, ("PMID:1", "PMID:2"), ev),
        Statement("b", "X:2", "increases", "X:3", 1, ("PMID:1", "PMID:1"), ev),  # a source listed twice
        Statement("c", "X:3", "decreases", "X:4", -1, ("PMID:3",), ev, context={"species": "NCBITaxon:10090"}),
        Statement("d", "X:4", "increases", "X:5", 1, ("PMID:4", "src:import-signor-x"), ev),
        Statement("e", "X:5", "increases", "X:1", 1, ("src:curator",), ev, context={"sex": "female"}),
        Statement("f", "X:5", "increases", "X:1", 1, ("PMID:5",), ev, context={"sex": "male"}),
    ]
    bundled = kg.load()
    tiny_table = StatementTable.from_statements(statements)
    for table in (tiny_table, bundled.table):
        view = SearchIndex(table).view(EVERYTHING)
        for h in range(len(view.hop_src)):
            lazy = view.hop(h)
            rows = view.hop_rows[view.hop_ptr[h] : view.hop_ptr[h + 1]].tolist()
            made = Hop(lazy.source, lazy.target, lazy.sign, lazy.role, lazy.reaction, tuple(map(table.statement, rows)))
            assert (lazy.support, lazy.imported, lazy.places()) == (made.support, made.imported, made.places())
            assert lazy == made and hash(lazy) == hash(made) and pickle.loads(pickle.dumps(lazy)) == made
    view = SearchIndex(tiny_table).view(EVERYTHING)
    support = {view.hop(h).source: view.hop(h).support for h in range(len(view.hop_src))}
    assert support == {"X:1": 2.0, "X:2": 1.0, "X:3": ANIMAL_WEIGHT, "X:4": 2 * IMPORT_WEIGHT, "X:5": 1.25}


def test_generator_writes_what_build_graph_builds(tmp_path: Path) -> None:
    syn = synth.generate(250, seed=7)
    cur = synth.to_curation(syn)
    path = synth.write_turtle(syn, tmp_path / "synthetic.ttl")
    assert isomorphic(Graph().parse(path, format="turtle"), build_graph(cur, with_ontology=False))
    assert kg.validation.rules.check_curation(cur) == []


def test_generator_yaml_reads_back(tmp_path: Path) -> None:
    syn = synth.generate(120, seed=3)
    files = synth.write_yaml(syn, tmp_path / "yaml")
    merged = Curation()
    for f in files:
        merged = merged.merged(kg.sources.curation.parse_file(f))
    assert merged.canonical() == synth.to_curation(syn)


def test_an_rdf_import_equals_the_curation_it_was_written_from(tmp_path: Path) -> None:
    syn = synth.generate(400, seed=11)
    path = synth.write_turtle(syn, tmp_path / "big.ttl")
    fast = kg.load([path])
    assert isinstance(fast, KnowledgeGraph)
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
    monkeypatch.setattr(kg.store.load, "SNAPSHOT_BYTES", 0)  # snapshot even this small import
    syn = synth.generate(300, seed=5)
    path = synth.write_turtle(syn, tmp_path / "big.ttl")
    first = kg.load([path])
    (folder,) = (tmp_path / "cache").glob("snapshot-*")
    assert (folder / "records.pickle").is_file()
    again = kg.load([path])  # read from the snapshot: columns memory-mapped
    assert isinstance(again.table.subject.base, np.memmap) and first.table.subject.base is None  # over the map
    assert again.curation == first.curation  # every record and statement, evidence sentences included
    some = first.curation.entities[7]
    assert again.resolve(some.label) == again.entities[some.id] == some  # the saved name index, same entities
    assert again.search(some.label)[0].id == some.id
    src, dst = first.table.nodes[int(first.table.subject[0])], first.table.nodes[int(first.table.object[5])]
    assert signed_paths(again.causal_paths(src, dst)) == signed_paths(first.causal_paths(src, dst))
    assert dict(again.downstream(src)) == dict(first.downstream(src))
    # a changed file is a different snapshot; a damaged snapshot is rebuilt, not trusted
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    kg.load([path])
    assert len(list((tmp_path / "cache").glob("snapshot-*"))) == 2
    for f in (tmp_path / "cache").glob("snapshot-*/records.pickle"):
        f.write_bytes(b"not a pickle")
    assert kg.load([path]).curation == first.curation
    # damaged columns (same size, other bytes; or cut short) are noticed and rebuilt, never read as data
    (snap,) = [f for f in (tmp_path / "cache").glob("snapshot-*") if f.name != folder.name]
    text = snap / "evidence_text.bin"
    text.write_bytes(b"X" * text.stat().st_size)
    ids = snap / "ids.bin"
    ids.write_bytes(ids.read_bytes()[:-40])
    assert kg.load([path]).curation == first.curation


def test_snapshot_strings_read_back_as_written(tmp_path: Path) -> None:
    from kg.store.snapshot import Strings

    items = ["stmt-a", "", "é 17β-estradiol ⊣ LH", "x" * 300, "日本語", "tab\there"]
    Strings.from_list(items).save(tmp_path, "s")
    for strings in (Strings.from_list(items), Strings.load(tmp_path, "s")):  # in memory, and memory-mapped
        assert [strings[i] for i in range(len(items))] == items == list(strings) == strings[:]
        assert strings[-1] == items[-1] and strings[2:4] == items[2:4] and strings[::2] == items[::2]
        for out in (len(items), -len(items) - 1):
            with pytest.raises(IndexError):
                strings[out]


def test_the_bundled_graph_is_read_back_from_its_cache_as_it_was_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HORMONE_KG_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(kg.store.bundled, "SHIPPED", tmp_path / "none.pickle")  # as if the shipped one were stale
    monkeypatch.setattr(kg.store.bundled, "_parts_memo", {})
    made = kg.load()  # no cache yet: compiled from the YAML (the curation in memory), then saved
    (cached,) = (tmp_path / "cache").glob("bundled-*.store.pickle")
    monkeypatch.setattr(kg.store.bundled, "_parts_memo", {})
    read = kg.load()  # from the file
    again = kg.load()  # from the bytes kept in memory: objects of its own
    for g in (read, again):
        assert g.curation == made.curation and g.curation.origins == made.curation.origins
        assert g.names.search("E2")[0].id == made.names.search("E2")[0].id == "CHEBI:16469"
        assert g.effect("anastrozole", "BMD", context="postmenopausal women") == made.effect(
            "anastrozole", "BMD", context="postmenopausal women"
        )
    assert read.table is not again.table and read.records is not again.records
    cached.write_bytes(b"not a pickle")  # damaged: made again, and written again
    monkeypatch.setattr(kg.store.bundled, "_parts_memo", {})
    assert kg.load().curation == made.curation
    assert kg.store.bundled._are_parts(pickle.loads(cached.read_bytes()))


def test_snapshot_key_covers_files_bundled_data_and_ontology(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import kg.ontology
    from kg.store.snapshot import snapshot_key

    path = synth.write_turtle(synth.generate(50, seed=6), tmp_path / "g.ttl")
    ontology = tmp_path / "ontology"
    shutil.copytree(kg.ontology.ontology_dir(), ontology)
    monkeypatch.setattr(kg.ontology, "ontology_dir", lambda: ontology)
    key = snapshot_key([path], None)
    assert snapshot_key([path], None) == key and snapshot_key([path], "bundled-key") != key
    polarity = ontology / "hormone-kg.ttl"
    polarity.write_text(polarity.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert snapshot_key([path], None) != key  # a changed ontology can change what validation accepts


def test_file_digests_are_remembered_by_stat_once_the_file_settled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rule of kg.store.cache.file_digests: git's index rule (same size, mtime, inode: not read again)."""
    import hashlib
    import os

    from kg.store.cache import SETTLED_NS, file_digests

    monkeypatch.setenv("HORMONE_KG_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "g.ttl"
    path.write_bytes(b"first bytes")
    sha = hashlib.sha256(b"first bytes").hexdigest()
    assert file_digests([path]) == [sha]
    assert not (tmp_path / "cache" / "digests.json").exists()  # just written: not remembered (it may change again)
    old = path.stat().st_mtime_ns - 2 * SETTLED_NS
    os.utime(path, ns=(old, old))
    assert file_digests([path]) == [sha]
    assert (tmp_path / "cache" / "digests.json").is_file()
    with path.open("r+b") as f:  # other bytes, same size, same inode, and the old time put back: the stat is the same
        f.write(b"FIRST")
    os.utime(path, ns=(old, old))
    assert file_digests([path]) == [sha]  # remembered, not read (what the rule trusts: make and git do the same)
    os.utime(path, ns=(old + 1, old + 1))  # any change of the stat: read again
    assert file_digests([path]) == [hashlib.sha256(b"FIRST bytes").hexdigest()]


def test_an_unwritable_cache_only_costs_the_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("HORMONE_KG_CACHE", str(blocker / "cache"))
    monkeypatch.setattr(kg.store.load, "SNAPSHOT_BYTES", 0)
    path = synth.write_turtle(synth.generate(100, seed=4), tmp_path / "g.ttl")
    assert len(kg.load([path]).table) == len(kg.load([path]).table) > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl", "not-a-folder"]


def test_no_snapshot_of_a_graph_that_fails_validation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HORMONE_KG_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(kg.store.load, "SNAPSHOT_BYTES", 0)
    syn = synth.generate(100, seed=2)
    text = synth.write_turtle(syn, tmp_path / "ok.ttl").read_text(encoding="utf-8")
    bad = tmp_path / "bad.ttl"
    bad.write_text(text.replace("dcterms:source src:synth-", "dcterms:source src:unregistered-", 1), encoding="utf-8")
    for _ in range(2):  # the second load validates again: nothing was saved
        with pytest.raises(ValidationError):
            kg.load([bad])
    assert not list((tmp_path / "cache").glob("snapshot-*"))


def test_an_rdf_import_reports_broken_statements(tmp_path: Path) -> None:
    syn = synth.generate(100, seed=1)
    text = synth.write_turtle(syn, tmp_path / "ok.ttl").read_text(encoding="utf-8")
    first = syn.statements[0]
    broken = text.replace(
        f"stmt:{first[0]} a hkg:Statement, rdf:Statement ;",
        f'stmt:{first[0]} a hkg:Statement, rdf:Statement ; hkg:magnitude "huge" ;',
        1,
    )
    at = broken.index(f"stmt:{first[0]} a hkg:Statement")  # break a source of that same statement
    cut = broken.index("dcterms:source src:synth-", at)
    broken = broken[:cut] + broken[cut:].replace("dcterms:source src:synth-", "dcterms:source src:unregistered-", 1)
    bad = tmp_path / "bad.ttl"
    bad.write_text(broken, encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        kg.load([bad])
    found = {(v.rule, v.focus) for v in err.value.violations}
    # both caught on statements (the table's rules), not on a finding that happened to come first
    assert ("known-magnitude", f"stmt:{first[0]}") in found
    assert ("source-is-registered", f"stmt:{first[0]}") in found


def test_an_rdf_import_rejects_malformed_turtle(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(CurationError, match="malformed"):
        kg.load([bad])
