"""A SPARQL server as the store that answers (issue 17): the same matrix on real Oxigraph and Virtuoso servers.

Each server is started on a loopback port by tests/servers.py; the bundled graph is pushed into it (counted
back), and every question asked over the endpoint must give the local answer on the same graph.
"""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli
from kg.errors import EndpointError, QueryError, UnknownEntityError
from kg.graph import KnowledgeGraph
from kg.questions.effect import LOOP_OUT
from kg.store import remote
from kg.store.endpoint import Endpoint, register
from kg.store.served import FEEDBACK_STEPS
from kg.store.sparql import load_query

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
def test_a_new_push_invalidates_the_cache(server: Server, bundled: KnowledgeGraph, tiny_graph: Any) -> None:
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
    assert remote.count_triples(server.endpoint) == len(bundled.rdf)  # the other graph is untouched


# ---------------------------------------------------------------------------------------------- synthetic
@pytest.fixture(scope="module")
def synthetic() -> KnowledgeGraph:
    return KnowledgeGraph(synth.to_curation(synth.generate(1500, seed=7)))


def test_synthetic_answers_equal_local(server: Server, synthetic: KnowledgeGraph) -> None:
    ep = Endpoint.of(server.url, preset=server.endpoint.preset, graph="https://w3id.org/hormone-kg/test/synthetic")
    assert remote.push(synthetic, ep) == len(synthetic.rdf)
    there = kg.load(endpoint=ep)
    table = synthetic.table
    degree = sorted(set(table.nodes), key=lambda n: -int((table.subject == table.node_index[n]).sum()))
    pairs = [(a, b) for a in degree[:4] for b in degree[4:8]]
    answered = 0
    for a, b in pairs:
        here = synthetic.causal_paths(a, b, max_length=5, limit=10)
        assert there.causal_paths(a, b, max_length=5, limit=10) == here
        assert there.effect(a, b, max_length=4) == synthetic.effect(a, b, max_length=4)
        answered += bool(here)
    assert answered >= 3  # the pairs are connected: the comparison is not vacuous
    hub = degree[0]
    assert dict(there.downstream(hub, max_length=3)) == dict(synthetic.downstream(hub, max_length=3))


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
