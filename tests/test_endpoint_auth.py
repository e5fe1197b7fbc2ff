"""Endpoint settings, credentials and checked writes (issue 17), against real HTTP servers on loopback.

The servers here are small ``http.server`` programs that behave like a SPARQL endpoint in one respect each: one
demands credentials, one answers HTML, one accepts every update and stores nothing.
"""

from __future__ import annotations

import base64
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

import kg
from kg.errors import EndpointError, ValidationError
from kg.graph import KnowledgeGraph
from kg.store import remote
from kg.store.endpoint import DEFAULT_GRAPH, PRESETS, Auth, Endpoint

SECRET = "s3cret-Token-42"
ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()


def count(n: int) -> bytes:
    return json.dumps(
        {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": str(n)}}]}}
    ).encode()


class Fake(http.server.BaseHTTPRequestHandler):
    """Records what it was sent; answers with :meth:`answer`."""

    seen: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []

    def answer(self, body: bytes) -> tuple[int, str, bytes]:
        return 200, "application/sparql-results+json", count(0)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        type(self).seen.append((self.command, self.path, dict(self.headers), body))
        status, ctype, out = self.answer(body)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def log_message(self, *args: Any) -> None:
        pass


class StoresNothing(Fake):
    """Accepts every update with 200 and stores nothing: its count is always 0."""

    seen: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []


class NeedsToken(Fake):
    """Answers only requests that carry the bearer token; echoes what it got in its error pages."""

    seen: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []

    def answer(self, body: bytes) -> tuple[int, str, bytes]:
        got = self.headers.get("Authorization", "")
        if got != f"Bearer {SECRET}":
            return 401, "text/plain", f"unauthorised: got {got!r}".encode()
        if b"update=" in body:
            return 500, "text/plain", f"update refused for {got}".encode()  # a server echoing the header
        return 200, "application/sparql-results+json", count(3)


class NeedsBasic(Fake):
    """HTTP basic: user ``ann``, password :data:`SECRET`."""

    seen: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []

    def answer(self, body: bytes) -> tuple[int, str, bytes]:
        wanted = "Basic " + base64.b64encode(f"ann:{SECRET}".encode()).decode()
        if self.headers.get("Authorization") != wanted:
            return 401, "text/plain", b"who are you"
        return 200, "application/sparql-results+json", count(7)


class Html(Fake):
    """A web page where the endpoint should be (a wrong URL behind a portal)."""

    seen: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []

    def answer(self, body: bytes) -> tuple[int, str, bytes]:
        return 200, "text/html; charset=utf-8", b"<!DOCTYPE html><html><body>Welcome</body></html>"


@pytest.fixture()
def serve() -> Iterator[Callable[[type[Fake]], str]]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(handler: type[Fake]) -> str:
        handler.seen.clear()
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(srv)
        return f"http://127.0.0.1:{srv.server_address[1]}"

    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


@pytest.fixture(autouse=True)
def _no_ambient_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("TOKEN", "USER", "PASSWORD"):
        monkeypatch.delenv(f"HORMONE_KG_ENDPOINT_{name}", raising=False)
    monkeypatch.setenv("HORMONE_KG_ENDPOINT_CONFIG", str(tmp_path / "none.toml"))


# ---------------------------------------------------------------------------------------------- settings
def test_presets() -> None:
    assert set(PRESETS) == {"oxigraph", "fuseki", "virtuoso", "graphdb", "qlever", "generic"}
    gdb = Endpoint.of("http://h:7200/repositories/kg", preset="graphdb")
    assert (gdb.query, gdb.update, gdb.store) == (
        "http://h:7200/repositories/kg",
        "http://h:7200/repositories/kg/statements",
        "http://h:7200/repositories/kg/rdf-graphs/service",
    )
    fuseki = Endpoint.of("http://h:3030/ds", preset="fuseki")
    assert (fuseki.query, fuseki.update, fuseki.store) == (
        "http://h:3030/ds/query",
        "http://h:3030/ds/update",
        "http://h:3030/ds/data",
    )
    assert Endpoint.of("http://h:7019", preset="qlever").update is None
    virtuoso = Endpoint.of("http://h:8890/", preset="virtuoso")
    assert (virtuoso.query, virtuoso.update, virtuoso.store, virtuoso.graph) == (
        "http://h:8890/sparql",
        "http://h:8890/sparql",
        None,
        DEFAULT_GRAPH,
    )
    explicit = Endpoint.of("http://h/sparql", query="http://h/q", update="http://h/u", store="http://h/s")
    assert (explicit.query, explicit.update, explicit.store) == ("http://h/q", "http://h/u", "http://h/s")
    with pytest.raises(EndpointError, match="unknown endpoint preset 'stardog'"):
        Endpoint.of("http://h", preset="stardog")


def test_a_sparql_url_is_not_guessed_to_be_fuseki() -> None:
    ep = Endpoint.of("http://h:8890/sparql")  # the Virtuoso push bug of issue 17: /update was guessed
    assert ep.update == "http://h:8890/sparql" and ep.store is None


def test_config_file_and_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "endpoints.toml"
    config.write_text(
        '["http://h:8890"]\npreset = "virtuoso"\ngraph = "urn:x:kg"\nuser = "ann"\npassword_env = "MY_PW"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("HORMONE_KG_ENDPOINT_CONFIG", str(config))
    monkeypatch.setenv("MY_PW", SECRET)
    ep = Endpoint.of("http://h:8890")
    assert (ep.preset, ep.graph, ep.query) == ("virtuoso", "urn:x:kg", "http://h:8890/sparql")
    assert ep.auth == Auth.basic("ann", SECRET)
    assert SECRET not in repr(ep) and SECRET not in str(ep) and SECRET not in repr(ep.auth)
    monkeypatch.setenv("HORMONE_KG_ENDPOINT_TOKEN", "tok-" + SECRET)
    other = Endpoint.of("http://elsewhere:7878")
    assert other.auth == Auth.bearer("tok-" + SECRET) and SECRET not in repr(other)
    config.write_text('["http://h:8890"]\nsecret_sauce = "x"\n', encoding="utf-8")
    with pytest.raises(EndpointError, match="unknown setting"):
        Endpoint.of("http://h:8890")


def test_credentials_in_the_url_are_refused_and_not_echoed() -> None:
    with pytest.raises(EndpointError, match="not in the URL") as err:
        Endpoint.of(f"http://ann:{SECRET}@h:7878")
    assert SECRET not in str(err.value)


# ---------------------------------------------------------------------------------------------- auth
def test_bearer_token_is_sent_and_never_shown(serve: Callable[[type[Fake]], str]) -> None:
    url = serve(NeedsToken)
    with pytest.raises(EndpointError, match="HTTP 401: the server needs credentials") as err:
        remote.count_triples(Endpoint.of(url, preset="generic"))
    assert url in str(err.value)
    ep = Endpoint.of(url, preset="generic", auth=Auth.bearer(SECRET))
    assert remote.count_triples(ep) == 3
    assert NeedsToken.seen[-1][2]["Authorization"] == f"Bearer {SECRET}"
    with pytest.raises(EndpointError, match="HTTP 500") as err:
        remote.update(ep, "CLEAR ALL")  # the server echoes the header in its error page
    assert SECRET not in str(err.value) and "***" in str(err.value)
    wrong = Endpoint.of(url, preset="generic", auth=Auth.bearer("wrong-" + SECRET))
    with pytest.raises(EndpointError, match="refused the credentials") as err:
        remote.count_triples(wrong)
    assert SECRET not in str(err.value) and SECRET not in repr(wrong)


def test_basic_auth_from_the_environment(serve: Callable[[type[Fake]], str], monkeypatch: pytest.MonkeyPatch) -> None:
    url = serve(NeedsBasic)
    monkeypatch.setenv("HORMONE_KG_ENDPOINT_USER", "ann")
    monkeypatch.setenv("HORMONE_KG_ENDPOINT_PASSWORD", SECRET)
    assert remote.count_triples(Endpoint.of(url, preset="generic")) == 7
    monkeypatch.setenv("HORMONE_KG_ENDPOINT_PASSWORD", "nope")
    with pytest.raises(EndpointError, match="HTTP 401") as err:
        remote.count_triples(Endpoint.of(url, preset="generic"))
    assert "nope" not in str(err.value)


# ---------------------------------------------------------------------------------------------- failures
def test_push_to_a_server_that_stores_nothing_fails(
    serve: Callable[[type[Fake]], str], tiny_graph: Callable[..., KnowledgeGraph]
) -> None:
    url = serve(StoresNothing)
    g = tiny_graph([("HKG:a", "inhibits", "HKG:b")])
    with pytest.raises(
        EndpointError, match=rf"{url}/sparql stored 0 triples in graph <{DEFAULT_GRAPH}> but {len(g.rdf)} were sent"
    ):
        remote.push(g, Endpoint.of(url, preset="virtuoso"))
    updates = [body for method, _, _, body in StoresNothing.seen if b"update=" in body]
    assert updates  # it was sent (DROP, then INSERT DATA into the named graph), and the count was read back


def test_html_answer_is_an_endpoint_error(serve: Callable[[type[Fake]], str]) -> None:
    url = serve(Html)
    with pytest.raises(EndpointError, match=rf"{url}/query answered an HTML page, not SPARQL JSON results"):
        kg.load(endpoint=url)


def test_wrong_url_gives_a_404_message(tmp_path: Path) -> None:
    handler = type(
        "NotFound", (Fake,), {"seen": [], "answer": lambda self, body: (404, "text/html", b"<html>no</html>")}
    )
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{srv.server_address[1]}/nothing/here"
        with pytest.raises(EndpointError, match=rf"{url} answered HTTP 404: no SPARQL service at this URL"):
            kg.load(endpoint=url)
    finally:
        srv.shutdown()
        srv.server_close()


def test_shacl_over_an_endpoint_is_refused_before_any_request() -> None:
    with pytest.raises(ValidationError, match="SHACL needs the whole graph"):
        kg.load(endpoint="http://127.0.0.1:9", shacl=True)  # port 9 (discard): never contacted
