"""A SPARQL server as the store that answers (issue 17): the same matrix on real Oxigraph and Virtuoso servers.

Each server is started on a loopback port by tests/servers.py; the bundled graph is pushed into it (counted
back), and every question asked over the endpoint must give the local answer on the same graph.
"""

from __future__ import annotations

import itertools
import json
import random
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli
from kg.errors import EndpointError, QueryError, UnknownEntityError
from kg.graph import KnowledgeGraph
from kg.questions.effect import LOOP_OUT
from kg.store import frontier, remote
from kg.store.endpoint import ROW_CAPS, Endpoint, register
from kg.store.frontier import cover
from kg.store.meet import Pairs, Walks
from kg.store.pushdown import Neighbourhoods
from kg.store.served import FEEDBACK_STEPS
from kg.store.sparql import load_query
from kg.store.watch import Watched

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the benchmarks package (not installed)
from servers import Server, start

from benchmarks import synth

CONTEXT = "postmenopausal women"
#: (source, target, context) questions of the bundled graph asked both ways
QUESTIONS = [
    ("anastrozole", "bone mineral density", CONTEXT),
    ("anastrozole", "bone mineral density", "men on testosterone therapy"),
    ("testosterone", "17β-estradiol", None),
    ("aromatase inhibitor", "osteoclast lifespan", "women"),
    ("hCG", "LH", None),
    ("estradiol", "bone resorption", {"sex": "female", "tissue": "UBERON:0002481"}),
]


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start(request.param, tmp_path_factory.mktemp(request.param))
    register(srv.endpoint)  # kg.load(endpoint=URL) finds its preset
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def pushed(server: Server, bundled: KnowledgeGraph) -> int:
    return remote.push(bundled, server.endpoint)


@pytest.fixture(scope="module")
def remote_graph(server: Server, pushed: int) -> KnowledgeGraph:
    return kg.load(endpoint=server.url)


def test_feedback_steps_match_the_effect_rule() -> None:
    assert FEEDBACK_STEPS == LOOP_OUT  # the push-down reads the balls the feedback rule looks at


# ---------------------------------------------------------------------------------------------- push
def test_push_stores_exactly_the_triples(server: Server, bundled: KnowledgeGraph, pushed: int) -> None:
    assert pushed == len(bundled.rdf)
    assert remote.count_triples(server.endpoint) == len(bundled.rdf)


def test_push_again_replaces_the_graph(server: Server, bundled: KnowledgeGraph, pushed: int) -> None:
    before = remote.revision(server.endpoint)
    assert remote.push(bundled, server.endpoint) == pushed
    assert remote.count_triples(server.endpoint) == len(bundled.rdf)  # replaced, not added twice
    assert remote.revision(server.endpoint) != before  # every push is a new revision: caches are dropped


# ---------------------------------------------------------------------------------------------- load
def test_load_reads_no_statement(remote_graph: KnowledgeGraph, server: Server) -> None:
    assert remote_graph.endpoint == server.endpoint.query
    assert len(remote_graph.table) == 0  # a handle: no statement downloaded
    assert remote_graph.populations  # contexts are parsed against the populations


def test_local_copy_is_the_whole_curation(remote_graph: Any, bundled: KnowledgeGraph) -> None:
    assert remote_graph.local().curation == bundled.curation.canonical()


def test_resolve_and_search_on_the_server(remote_graph: KnowledgeGraph) -> None:
    assert remote_graph.resolve("E2").id == "CHEBI:16469"
    assert remote_graph.resolve("17beta estradiol").id == "CHEBI:16469"
    assert remote_graph.resolve("CHEBI:2704").label == "anastrozole"
    assert remote_graph.search("anastro")[0].label == "anastrozole"
    with pytest.raises(UnknownEntityError, match="did you mean 'anastrozole'"):
        remote_graph.resolve("anastrozol")


# ---------------------------------------------------------------------------------------------- questions
@pytest.mark.parametrize(("src", "dst", "context"), QUESTIONS)
def test_questions_match_the_local_graph(
    remote_graph: KnowledgeGraph, bundled: KnowledgeGraph, src: str, dst: str, context: Any
) -> None:
    here = bundled.effect(src, dst, context=context)
    there = remote_graph.effect(src, dst, context=context)
    assert there == here
    assert there.paths or there.findings  # each question has an answer to compare
    assert remote_graph.causal_paths(src, dst, context=context) == bundled.causal_paths(src, dst, context=context)
    assert remote_graph.explain(src, dst, context=context) == bundled.explain(src, dst, context=context)


def test_paths_with_options_match(remote_graph: KnowledgeGraph, bundled: KnowledgeGraph) -> None:
    for options in ({"max_length": 3}, {"sign": -1, "limit": 3}, {"max_length": 6, "limit": 10}):
        here = bundled.causal_paths("anastrozole", "BMD", context="older men with low testosterone", **options)
        there = remote_graph.causal_paths("anastrozole", "BMD", context="older men with low testosterone", **options)
        assert [p.compact() for p in there] == [p.compact() for p in here]
        assert there == here and there.truncated == here.truncated


def test_downstream_and_upstream_match(remote_graph: KnowledgeGraph, bundled: KnowledgeGraph) -> None:
    here = bundled.downstream("estradiol", change="decrease", context=CONTEXT)
    there = remote_graph.downstream("estradiol", change="decrease", context=CONTEXT)
    assert dict(there) == dict(here) and len(here) > 5
    assert dict(remote_graph.upstream("17β-estradiol")) == dict(bundled.upstream("17β-estradiol"))


def test_compare_matches(remote_graph: KnowledgeGraph, bundled: KnowledgeGraph) -> None:
    contexts = ["postmenopausal women", "men on testosterone therapy"]
    here = bundled.compare("anastrozole", "bone resorption", contexts)
    there = remote_graph.compare("anastrozole", "bone resorption", contexts)
    assert there.to_dict() == here.to_dict()


def test_feedback_loops_through_an_entity(remote_graph: KnowledgeGraph, bundled: KnowledgeGraph) -> None:
    here, there = bundled.feedback_loops("LH"), remote_graph.feedback_loops("LH")
    assert [loop.nodes for loop in there] == [loop.nodes for loop in here] and len(here) > 0
    with pytest.raises(QueryError, match="named entity"):
        remote_graph.feedback_loops()


def test_a_question_reads_only_its_neighbourhood(remote_graph: Any, bundled: KnowledgeGraph) -> None:
    before = remote_graph.over.counts["statements"]
    remote_graph.causal_paths("testosterone", "17β-estradiol", max_length=2)
    read = remote_graph.over.counts["statements"] - before
    assert 0 < read < len(bundled.table) / 5


def test_bad_arguments_are_the_usual_errors(remote_graph: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="max_length"):
        remote_graph.causal_paths("anastrozole", "BMD", max_length=0)
    with pytest.raises(UnknownEntityError):
        remote_graph.effect("no such thing at all", "BMD")


# ---------------------------------------------------------------------------------------------- sparql
def sort_rows(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(repr(sorted(r.items())) for r in rows)


@pytest.mark.parametrize(
    ("name", "bindings"),
    [
        ("statements-citing-pmid", {"source": "PMID:18309940"}),
        ("drugs-lowering-estradiol", {}),
        ("findings-by-population", {"population": "pop:older-men-low-testosterone"}),
    ],
)
def test_sparql_with_bindings_matches(
    remote_graph: KnowledgeGraph, bundled: KnowledgeGraph, name: str, bindings: dict[str, str]
) -> None:
    there = remote_graph.sparql(load_query(name), **bindings)
    assert there and sort_rows(there) == sort_rows(bundled.sparql(load_query(name), **bindings))


def test_sparql_binding_of_an_unprojected_variable(remote_graph: KnowledgeGraph, bundled: KnowledgeGraph) -> None:
    query = "SELECT ?drug WHERE { ?drug hkg:inhibits ?enzyme }"
    there = remote_graph.sparql(query, enzyme="HGNC:2594")
    assert sort_rows(there) == sort_rows(bundled.sparql(query, enzyme="HGNC:2594")) and there
    rows = remote_graph.sparql("CONSTRUCT { ?x rdfs:label ?l } WHERE { ?x rdfs:label ?l }", x="CHEBI:2704")
    assert [r["object"] for r in rows] == ["anastrozole"]


@pytest.mark.parametrize("value", ["} ; DROP ALL ; {", '" } ; DROP ALL ; { "', "\n}\nDROP ALL\n{"])
def test_hostile_bindings_change_nothing(
    remote_graph: KnowledgeGraph, server: Server, bundled: KnowledgeGraph, value: str
) -> None:
    assert remote_graph.sparql("SELECT ?x WHERE { ?x rdfs:label ?name }", name=value) == []
    assert remote.count_triples(server.endpoint) == len(bundled.rdf)


# ---------------------------------------------------------------------------------------------- revisions
def test_a_new_push_invalidates_the_cache(
    server: Server, bundled: KnowledgeGraph, pushed: int, tiny_graph: Any
) -> None:
    handle = kg.load(endpoint=server.url)
    assert handle.resolve("anastrozole").id == "CHEBI:2704"
    other = Endpoint.of(server.url, preset=server.endpoint.preset, graph="https://w3id.org/hormone-kg/test/other")
    small = tiny_graph([("HKG:a", "inhibits", "HKG:b"), ("HKG:b", "increases", "HKG:c")])
    assert remote.push(small, other) == len(small.rdf)
    mine = kg.load(endpoint=other)  # an Endpoint is accepted too
    assert [p.compact() for p in mine.causal_paths("a", "c")] == ["a ⊣ b → c"]
    bigger = tiny_graph(
        [("HKG:a", "inhibits", "HKG:b"), ("HKG:b", "increases", "HKG:c"), ("HKG:a", "increases", "HKG:d")]
    )
    remote.push(bigger, other)
    assert mine.resolve("d").id == "HKG:d"  # the new revision was seen: names are looked up again
    assert [p.compact() for p in mine.causal_paths("a", "d")] == ["a → d"]  # and the answers remembered forgotten
    assert remote.count_triples(server.endpoint) == len(bundled.rdf)  # the other graph is untouched


def test_the_same_query_is_sent_once_per_revision(server: Server, tiny_graph: Any) -> None:
    other = Endpoint.of(server.url, preset=server.endpoint.preset, graph="https://w3id.org/hormone-kg/test/memo")
    remote.push(tiny_graph([("HKG:a", "inhibits", "HKG:b")]), other)
    there: Any = kg.load(endpoint=other)
    wire, query = there.over.wire, "SELECT ?s WHERE { ?s ?p ?o }"
    sent = wire.counts["queries"]
    first = wire.select(query)
    first.append({"s": "changed by the caller"})  # a caller's list is its own
    assert wire.select(query) == first[:-1] and wire.counts["queries"] == sent + 1  # asked once, answered twice
    remote.push(tiny_graph([("HKG:a", "inhibits", "HKG:b"), ("HKG:b", "increases", "HKG:c")]), other)
    assert there.over.refresh()  # a new revision: everything remembered is forgotten
    assert len(wire.select(query)) > len(first[:-1]) and wire.counts["queries"] == sent + 2


# ---------------------------------------------------------------------------------------------- synthetic
@pytest.fixture(scope="module")
def synthetic() -> KnowledgeGraph:
    return KnowledgeGraph(synth.to_curation(synth.generate(1500, seed=7)))


@pytest.fixture(scope="module")
def synthetic_pushed(server: Server, synthetic: KnowledgeGraph) -> tuple[Endpoint, int]:
    """The synthetic graph pushed once per server into a graph of its own, and the triples push counted back.

    The tests that read it only ask questions (nothing writes to that graph), each through a handle of its own.
    """
    ep = Endpoint.of(server.url, preset=server.endpoint.preset, graph="https://w3id.org/hormone-kg/test/synthetic")
    return ep, remote.push(synthetic, ep)


@dataclass(frozen=True)
class SyntheticPairs:
    """The synthetic graph's questions between its busiest nodes, answered once on the local graph."""

    degree: list[str]
    pairs: list[tuple[str, str]]
    paths: dict[tuple[str, str], Any]  # causal_paths(a, b, max_length=5, limit=10)
    effects: dict[tuple[str, str], Any]  # effect(a, b, max_length=4)
    downstream: dict[str, Any]  # downstream(hub, max_length=3)


@pytest.fixture(scope="module")
def local_answers(synthetic: KnowledgeGraph) -> SyntheticPairs:
    """The local answers both servers' answers are compared with (the same for each server: asked once)."""
    table = synthetic.table
    degree = sorted(set(table.nodes), key=lambda n: -int((table.subject == table.node_index[n]).sum()))
    pairs = [(a, b) for a in degree[:4] for b in degree[4:8]]
    return SyntheticPairs(
        degree,
        pairs,
        {(a, b): synthetic.causal_paths(a, b, max_length=5, limit=10) for a, b in pairs},
        {(a, b): synthetic.effect(a, b, max_length=4) for a, b in pairs},
        dict(synthetic.downstream(degree[0], max_length=3)),
    )


def test_synthetic_answers_equal_local(
    synthetic: KnowledgeGraph, synthetic_pushed: tuple[Endpoint, int], local_answers: SyntheticPairs
) -> None:
    ep, pushed = synthetic_pushed
    assert pushed == len(synthetic.rdf)
    there = kg.load(endpoint=ep)
    answered = 0
    for a, b in local_answers.pairs:
        here = local_answers.paths[a, b]
        assert there.causal_paths(a, b, max_length=5, limit=10) == here
        assert there.effect(a, b, max_length=4) == local_answers.effects[a, b]
        answered += bool(here)
    assert answered >= 3  # the pairs are connected: the comparison is not vacuous
    hub = local_answers.degree[0]
    assert dict(there.downstream(hub, max_length=3)) == local_answers.downstream


def test_missing_graph_is_an_error(server: Server) -> None:
    empty = Endpoint.of(server.url, preset=server.endpoint.preset, graph="https://w3id.org/hormone-kg/test/none")
    with pytest.raises(EndpointError, match="holds no hormone-kg"):
        kg.load(endpoint=empty)


# ---------------------------------------------------------------------------------------------- CLI
def cli_json(*args: str) -> Any:
    result = CliRunner().invoke(cli, ["--json", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "command",
    [
        ["effect", "anastrozole", "BMD", "--context", CONTEXT],
        ["paths", "anastrozole", "BMD", "--context", "older men with low testosterone", "--max-length", "5"],
        ["downstream", "estradiol", "--decrease", "--context", CONTEXT],
        ["upstream", "17β-estradiol"],
        ["compare", "anastrozole", "bone resorption", "--context", CONTEXT, "--context", "men"],
        ["loops", "LH"],
        ["sparql", "SELECT ?drug WHERE { ?drug hkg:inhibits ?e }", "--bind", "e=HGNC:2594"],
    ],
)
def test_cli_answers_from_the_endpoint(server: Server, pushed: int, command: list[str]) -> None:
    there = cli_json(*command, "--endpoint", server.url, "--preset", server.endpoint.preset)
    here = cli_json(*command)
    if command[0] == "sparql":
        there, here = sort_rows(there["rows"]), sort_rows(here["rows"])
    assert there == here


def test_cli_push_counts_back(server: Server, bundled: KnowledgeGraph) -> None:
    graph = "https://w3id.org/hormone-kg/test/cli"
    doc = cli_json("push", "--endpoint", server.url, "--preset", server.endpoint.preset, "--graph", graph)
    assert doc["triples"] == len(bundled.rdf) and doc["graph"] == graph
    ep = Endpoint.of(server.url, preset=server.endpoint.preset, graph=graph)
    assert remote.count_triples(ep) == len(bundled.rdf)


def test_cli_unreachable_endpoint_exits_1() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    result = CliRunner().invoke(cli, ["effect", "anastrozole", "BMD", "--endpoint", url], catch_exceptions=False)
    assert result.exit_code == 1 and "cannot reach the SPARQL endpoint" in result.output


def test_question_functions_refuse_the_handle(remote_graph: KnowledgeGraph) -> None:
    from kg.questions.paths import causal_paths

    with pytest.raises(QueryError, match="held by a SPARQL endpoint"):
        causal_paths(remote_graph, "CHEBI:2704", "EFO:0003923", remote_graph.context(None))


# ---------------------------------------------------------------------------------------------- the walks read
def brute_steps(
    edges: set[tuple[str, str]], sources: list[str], targets: list[str], level: int
) -> set[tuple[str, str]]:
    """Every step of every walk of at most ``level`` steps from a source to a target, by enumerating the walks."""
    out: dict[str, list[str]] = {}
    for u, v in edges:
        out.setdefault(u, []).append(v)
    found: set[tuple[str, str]] = set()
    walks = [[s] for s in sources]
    for _ in range(level):
        walks = [[*w, n] for w in walks for n in out.get(w[-1], [])]
        found.update(step for w in walks if w[-1] in targets for step in itertools.pairwise(w))
    return found


@pytest.mark.parametrize("seed", range(40))
def test_walks_are_exactly_the_steps_of_short_walks(seed: int) -> None:
    rng = random.Random(seed)
    nodes = [f"N{i}" for i in range(rng.randint(4, 30))]
    edges = {(rng.choice(nodes), rng.choice(nodes)) for _ in range(rng.randint(3, 90))}
    sources, targets = rng.sample(nodes, rng.randint(1, 2)), rng.sample(nodes, rng.randint(1, 2))
    successors: dict[str, list[str]] = {}
    for u, v in edges:
        successors.setdefault(u, []).append(v)
    walks = Walks(sources, targets, Pairs(successors))
    for level in range(1, 7):  # deepening one level at a time reuses what was grown
        assert walks.steps(level) == brute_steps(edges, sources, targets, level)
    fresh = Walks(sources, targets, Pairs(successors))
    first = next((n for n in range(1, 7) if brute_steps(edges, sources, targets, n)), None)
    assert fresh.distance(6) == (first if not set(sources) & set(targets) else 1)


def test_walks_leave_a_hub_on_the_far_side_unexpanded() -> None:
    # A -> B -> C, and C is a hub with 500 successors: walks of 2 steps from A to C never ask for them
    graph: dict[str, list[str]] = {"A": ["B"], "B": ["C"], "C": [f"X{i}" for i in range(500)]}
    adjacency = Pairs(graph)
    walks = Walks(["A"], ["C"], adjacency)
    assert walks.steps(2) == {("A", "B"), ("B", "C")}
    assert walks.received < 10 and adjacency.asked[True] + adjacency.asked[False] <= 3


def test_walks_probe_the_last_layer_between_two_hubs() -> None:
    # A -> M1 -> M2 -> T, and M1 has 300 successors, M2 300 predecessors: the walks of 3 steps are found with
    # the one step from M1 into M2 (a probe between the frontiers), never a hub's whole layer
    graph: dict[str, list[str]] = {"A": ["M1"], "M1": ["M2", *(f"X{i}" for i in range(300))], "M2": ["T"]}
    graph.update({f"Y{i}": ["M2"] for i in range(300)})
    walks = Walks(["A"], ["T"], Pairs(graph))
    assert walks.steps(3) == {("A", "M1"), ("M1", "M2"), ("M2", "T")}
    assert walks.received < 10
    assert walks.steps(4) == walks.steps(3) and walks.distance(6) == 3  # deeper: a whole layer, the same walks


def test_steps_read_every_statement_of_their_pairs(
    server: Server,
    synthetic: KnowledgeGraph,
    synthetic_pushed: tuple[Endpoint, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ep, _ = synthetic_pushed
    table = synthetic.table
    of_pair: dict[tuple[str, str], set[str]] = {}
    causal: set[str] = set()
    for u, v, st, negated, sign in zip(table.subject, table.object, table.ids, table.negated, table.sign, strict=True):
        if not negated:  # a negated statement is no step
            of_pair.setdefault((table.nodes[u], table.nodes[v]), set()).add(f"stmt:{st}")
            causal.update([f"stmt:{st}"] if sign else [])
    hub = max(table.nodes, key=lambda n: sum(1 for u, v in of_pair if n in (u, v)))
    at_hub = [p for p in sorted(of_pair) if hub in p]
    pairs = [*random.Random(3).sample(sorted(of_pair), 40), *at_hub, (hub, hub), (at_hub[0][1], at_hub[0][0])]
    every = {st for p in pairs for st in of_pair.get(p, ())}
    assert len(at_hub) > 20 and len(every & causal) > 60  # a hub's steps, and pairs with several statements

    def found() -> set[str]:
        ids = set(Neighbourhoods(ep, KnowledgeGraph).frontier.steps(pairs, {}))
        assert every & causal <= ids <= every  # every causal statement; maybe others, dropped when read
        return ids

    found()
    monkeypatch.setattr(frontier, "JOIN_RATIO", 10**9)  # every end's range joined with its other ends'
    assert found() == every
    monkeypatch.setitem(ROW_CAPS, server.endpoint.preset, 4)  # as if the server answered 4 rows at most
    assert found() == every
    monkeypatch.setattr(frontier, "JOIN_RATIO", 0)  # every end's statements looked up, the sign checked there
    assert found() == every & causal


def test_cover_reads_each_step_from_a_cheap_end() -> None:
    pairs = [("H", f"x{i}") for i in range(50)] + [("y", "x0")]
    degree = {("H", True): 60, ("y", True): 3, **{(f"x{i}", False): 40 for i in range(50)}}
    chosen = cover(pairs, degree)
    assert sorted({p for steps in chosen.values() for p in steps}) == sorted(pairs)  # every step, once
    assert ("H", True) in chosen  # one hub read (60 statements) rather than 50 ends of 40
    assert sum(degree[end] for end in chosen) <= 60 + 3


def test_a_search_is_short_until_it_stops_on_its_own(tiny_graph: Any) -> None:
    g = tiny_graph([("HKG:a", "increases", "HKG:b"), ("HKG:b", "increases", "HKG:c"), ("HKG:a", "decreases", "HKG:c")])
    watch = Watched(g.index, level=1, sources={"HKG:a"}, targets={"HKG:c"})
    assert len(watch.paths("HKG:a", "HKG:c", limit=1).paths) == 1 and not watch.short  # the limit is met at 1 step
    assert len(watch.paths("HKG:a", "HKG:c", limit=2).paths) == 1 and watch.short  # the 2-step path is not read
    deeper = Watched(g.index, level=2, sources={"HKG:a"}, targets={"HKG:c"})
    assert len(deeper.paths("HKG:a", "HKG:c", limit=2).paths) == 2 and not deeper.short
    assert deeper.reach("HKG:c", max_length=2) is not None and deeper.wants == {("HKG:c", True, 2)}
    deeper.paths("HKG:b", "HKG:c")
    assert deeper.foreign == ["paths HKG:b -> HKG:c"]  # a pair the walks were not read for


def test_synthetic_questions_read_less_than_their_longest_walks(
    synthetic: KnowledgeGraph, synthetic_pushed: tuple[Endpoint, int]
) -> None:
    ep, _ = synthetic_pushed
    there: Any = kg.load(endpoint=ep)
    table = synthetic.table
    degree = sorted(set(table.nodes), key=lambda n: -int((table.subject == table.node_index[n]).sum()))
    stopped_early = 0
    for a, b in [(a, b) for a in degree[:4] for b in degree[4:8]]:
        there.over.forget()
        before = there.over.counts["statements"]
        assert there.causal_paths(a, b, max_length=5, limit=3) == synthetic.causal_paths(a, b, max_length=5, limit=3)
        stopped_early += there.over.counts["statements"] - before < statements_on_walks(table, a, b, 5)
    assert stopped_early >= 3  # the deepening stopped before the walks of max_length steps for most pairs


def statements_on_walks(table: Any, a: str, b: str, level: int) -> int:
    """How many causal statements lie on walks of at most ``level`` steps from ``a`` to ``b`` (by distances)."""
    rows = [
        (table.nodes[u], table.nodes[v]) for u, v, c in zip(table.subject, table.object, table.causal, strict=True) if c
    ]

    nexts: dict[bool, dict[str, list[str]]] = {True: {}, False: {}}
    for u, v in rows:
        nexts[True].setdefault(u, []).append(v)
        nexts[False].setdefault(v, []).append(u)

    def distances(start: str, forward: bool) -> dict[str, int]:
        dist, front = {start: 0}, [start]
        for k in range(1, level + 1):
            front = [y for x in front for y in nexts[forward].get(x, ()) if y not in dist]
            dist.update(dict.fromkeys(front, k))
        return dist

    after, before = distances(a, True), distances(b, False)
    far = level + 1
    return sum(1 for u, v in rows if after.get(u, far) + 1 + before.get(v, far) <= level)


def test_pages_and_split_batches_read_every_row(
    server: Server, remote_graph: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    nodes = ["CHEBI:16469", "CHEBI:17347", "HGNC:2594", "CHEBI:2704"]
    whole = sorted(Neighbourhoods(server.endpoint, KnowledgeGraph).frontier.pairs(nodes, True))
    monkeypatch.setitem(ROW_CAPS, server.endpoint.preset, 3)  # as if the server answered 3 rows at most
    capped = sorted(Neighbourhoods(server.endpoint, KnowledgeGraph).frontier.pairs(nodes, True))
    assert capped == whole and len(whole) > 3  # more rows than one page holds, all read


def test_entities_read_from_the_server_are_the_local_ones(
    remote_graph: KnowledgeGraph, bundled: KnowledgeGraph
) -> None:
    for name in ("anastrozole", "estradiol", "aromatase inhibitor", "spine bone mineral density", "LH"):
        assert remote_graph.resolve(name) == bundled.resolve(name)  # names, synonyms, cross-references, class
