"""Scale-out (SPEC §7) against a REAL Oxigraph server started on a loopback port; failure modes with fake ones.

Skipped when the `oxigraph` binary is missing, unless HORMONE_KG_REQUIRE_OXIGRAPH=1 (CI), then it fails. The
same matrix on Oxigraph and Virtuoso is tests/test_endpoint.py.
"""

from __future__ import annotations

import http.server
import socket
import socketserver
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import kg
from kg.errors import EndpointError, QueryError
from kg.graph import KnowledgeGraph
from kg.store import remote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from servers import OxigraphServer as Server

CONTEXT = "postmenopausal women"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("oxigraph"))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def pushed(server: Server, bundled: KnowledgeGraph) -> int:
    return remote.push(bundled, server.url)


@pytest.fixture(scope="module")
def remote_graph(server: Server, pushed: int) -> KnowledgeGraph:
    remote.clear_cache()
    return kg.load(endpoint=server.url)


def count_triples(url: str) -> int:
    return remote.count_triples(url)


# ---------------------------------------------------------------------------------------------- push / load
def test_push_sends_every_triple(server: Server, bundled: KnowledgeGraph, pushed: int) -> None:
    assert pushed == len(bundled.rdf)
    assert count_triples(server.url) == len(bundled.rdf)


def test_push_again_adds_nothing_new(server: Server, bundled: KnowledgeGraph, pushed: int) -> None:
    assert remote.push(bundled, server.url) == pushed
    assert count_triples(server.url) == len(bundled.rdf)  # RDF is a set: re-pushing is idempotent


def test_a_local_copy_gives_the_same_curation(remote_graph: Any, bundled: KnowledgeGraph, server: Server) -> None:
    assert remote_graph.endpoint == server.url + "/query"
    assert remote_graph.local().curation == bundled.curation.canonical()


def test_local_copies_are_cached_per_revision(remote_graph: Any, server: Server) -> None:
    again: Any = kg.load(endpoint=server.url + "/query")
    assert again.local().table is remote_graph.local().table


def test_effect_is_the_same_as_embedded(remote_graph: KnowledgeGraph, bundled: KnowledgeGraph) -> None:
    here = bundled.effect("anastrozole", "bone mineral density", context=CONTEXT)
    there = remote_graph.effect("anastrozole", "bone mineral density", context=CONTEXT)
    assert here.direction == there.direction == "decrease"  # ATAC: anastrozole lowers BMD (Eastell 2008)
    assert (there.predicted, there.observed) == (here.predicted, here.observed)
    assert {p.nodes for p in there.paths} == {p.nodes for p in here.paths}
    assert {f.id for f in there.findings} == {f.id for f in here.findings}
    assert remote_graph.resolve("E2").id == "CHEBI:16469"


# ---------------------------------------------------------------------------------------------- sparql
def test_sparql_forms_on_the_endpoint(remote_graph: KnowledgeGraph) -> None:
    assert remote_graph.sparql("ASK { ?x rdfs:label ?n }", n="anastrozole") == [{"ask": True}]
    rows = remote_graph.sparql("CONSTRUCT { ?x rdfs:label ?l } WHERE { ?x rdfs:label ?l }", x="CHEBI:2704")
    assert [r["object"] for r in rows] == ["anastrozole"]
    rows = remote_graph.sparql(
        "SELECT ?sign WHERE { ?st hkg:sign ?sign }", st="stmt:seed-anastrozole-inhibits-aromatase"
    )
    assert rows == [{"sign": -1}]


@pytest.mark.parametrize(
    "value", ["} ; DROP ALL ; {", '" } ; DROP ALL ; { "', '\\" } CLEAR DEFAULT {', "\n}\nDROP ALL\n{", "x\ty"]
)
def test_hostile_bindings_on_the_endpoint(
    remote_graph: KnowledgeGraph, server: Server, bundled: KnowledgeGraph, value: str
) -> None:
    assert remote_graph.sparql("SELECT ?x WHERE { ?x rdfs:label ?name }", name=value) == []
    assert count_triples(server.url) == len(bundled.rdf)


def test_updates_are_refused_on_the_endpoint_too(
    remote_graph: KnowledgeGraph, server: Server, bundled: KnowledgeGraph
) -> None:
    with pytest.raises(QueryError, match="read-only"):
        remote_graph.sparql("DROP ALL")
    assert count_triples(server.url) == len(bundled.rdf)


def test_sparql_errors_from_the_server_are_endpoint_errors(remote_graph: KnowledgeGraph) -> None:
    with pytest.raises(EndpointError, match=r"answered HTTP \d+: .*not supported"):
        # valid for rdflib's parser, rejected by Oxigraph: an unknown function
        remote_graph.sparql("SELECT ?x WHERE { ?x ?p ?o FILTER(<http://example.org/nofn>(?x)) }")


# ---------------------------------------------------------------------------------------------- failures
def test_stopped_server_gives_endpoint_error(tmp_path: Path, tiny_graph: Callable[..., KnowledgeGraph]) -> None:
    g = tiny_graph([("HKG:a", "inhibits", "HKG:b")])
    srv = Server(tmp_path)
    try:
        assert remote.push(g, srv.url) == len(g.rdf)
        loaded = kg.load(endpoint=srv.url)
        assert [p.compact() for p in loaded.causal_paths("a", "b")] == ["a ⊣ b"]
    finally:
        srv.stop()
    with pytest.raises(EndpointError, match="cannot reach"):
        loaded.sparql("SELECT ?s WHERE { ?s ?p ?o }")
    with pytest.raises(EndpointError, match="cannot reach"):
        remote.fetch(srv.url, refresh=True)
    with pytest.raises(EndpointError, match="cannot reach"):
        remote.push(g, srv.url)


def test_empty_endpoint_is_an_error(tmp_path: Path) -> None:
    srv = Server(tmp_path)
    try:
        with pytest.raises(EndpointError, match="holds no hormone-kg"):
            kg.load(endpoint=srv.url)
    finally:
        srv.stop()


class _Garbage(http.server.BaseHTTPRequestHandler):
    body = b"<html><body>I am not a SPARQL endpoint</body></html>"
    status = 200
    ctype = "text/html"

    def _answer(self) -> None:
        self.send_response(self.status)
        self.send_header("Content-Type", self.ctype)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args: Any) -> None:
        pass


class _NotSparqlJson(_Garbage):
    body = b'{"hello": "world"}'
    ctype = "application/json"


class _ServerError(_Garbage):
    status = 500
    body = b"internal error"
    ctype = "text/plain"


class _RawGarbage(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.recv(65536)
        self.request.sendall(b"\x00\x01garbage that is not HTTP\r\n\r\n")


@pytest.fixture()
def fake(request: pytest.FixtureRequest) -> Iterator[str]:
    handler = request.param
    if issubclass(handler, http.server.BaseHTTPRequestHandler):
        srv: socketserver.TCPServer = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    else:
        srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


@pytest.mark.parametrize(
    ("fake", "message"),
    [
        (_Garbage, "an HTML page"),
        (_NotSparqlJson, "not SPARQL results"),
        (_ServerError, "HTTP 500"),
        (_RawGarbage, "broken HTTP answer|cannot reach"),
    ],
    indirect=["fake"],
)
def test_garbage_server_gives_endpoint_error(fake: str, message: str) -> None:
    with pytest.raises(EndpointError, match=message):
        kg.load(endpoint=fake)
    with pytest.raises(EndpointError):
        remote.select(fake, "SELECT * WHERE { ?s ?p ?o }")


@pytest.mark.parametrize("fake", [_Garbage, _NotSparqlJson], indirect=True)
def test_garbage_select_answer(fake: str) -> None:
    with pytest.raises(EndpointError, match=r"(HTML page|is not SPARQL)"):
        remote.select(fake, "SELECT * WHERE { ?s ?p ?o }")


def test_silent_server_times_out() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        with pytest.raises(EndpointError, match="did not answer within"):
            remote.select(url, "ASK {}", timeout=0.3)


def test_only_http_urls() -> None:
    for url in ("file:///etc/passwd", "ftp://example.org/sparql", "not a url"):
        with pytest.raises(EndpointError, match="not an http"):
            kg.load(endpoint=url)
