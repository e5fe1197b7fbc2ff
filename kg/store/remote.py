"""A SPARQL 1.1 endpoint as the graph's store: push the graph there (checked), query it, fetch a local copy.

Works with any SPARQL 1.1 server (Oxigraph, Apache Jena Fuseki, Virtuoso, GraphDB, QLever...); where its
services are, which named graph holds the data and the credentials are an :class:`~kg.store.endpoint.Endpoint`
(presets, config file, environment). Every function takes an endpoint or its URL.

HTTP uses only the standard library (``urllib.request``) with a timeout; a server that is down, an HTTP error
(a 401 says the credentials were refused or missing), or an answer that is not SPARQL results / RDF (an HTML
page, say) raises :class:`~kg.errors.EndpointError` naming the URL and the problem, never the credentials.
Only ``http`` and ``https`` URLs are accepted. Loopback URLs bypass any configured proxy.

Queries read the endpoint's named graph (sent as the protocol's ``default-graph-uri``); :func:`push` replaces
that graph, counts what the server stored, and fails when it is less than was sent.

>>> Endpoint.parse("http://127.0.0.1:7878").store
'http://127.0.0.1:7878/store'
>>> Endpoint.parse("file:///etc/passwd")
Traceback (most recent call last):
...
kg.errors.EndpointError: 'file:///etc/passwd' is not an http(s) URL of a SPARQL endpoint
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import urllib.parse
import uuid
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from kg.errors import EndpointError, ValidationError
from kg.model import Curation
from kg.ontology import schema
from kg.sources.rdf import RdfInput, read_rdf
from kg.store.endpoint import Endpoint
from kg.table import StatementTable
from kg.validation.rules import check_curation, check_table

if TYPE_CHECKING:
    import urllib.request

    from rdflib import Graph
    from rdflib.term import Node

    from kg.store.store import Store

log = logging.getLogger(__name__)  # requests at DEBUG: method and URL (no query, no credentials), never headers

__all__ = [
    "DEFAULT_TIMEOUT",
    "Endpoint",
    "EndpointLike",
    "ask",
    "clear_cache",
    "construct",
    "count_triples",
    "fetch",
    "json_term",
    "mark_revision",
    "push",
    "revision",
    "select",
    "update",
]

#: An :class:`Endpoint`, or the URL of one (its settings looked up by :meth:`Endpoint.of`).
EndpointLike = str | Endpoint
#: Seconds to wait for a server before giving up.
DEFAULT_TIMEOUT = 30.0
#: Triples per Graph Store ``POST`` when pushing.
CHUNK = 5000
#: Triples per ``INSERT DATA`` when pushing (Virtuoso's SPARQL compiler runs out of memory on 5,000).
UPDATE_CHUNK = 1000
_RESULTS_JSON = "application/sparql-results+json"
_RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_RDF_TYPES = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
_DCTERMS_IDENTIFIER = "http://purl.org/dc/terms/identifier"
_cache: dict[tuple[str, str | None, str], tuple[Curation, StatementTable]] = {}


def meta_graph(ep: Endpoint) -> str | None:
    """The named graph where :func:`push` records the revision of ``ep``'s graph (None without a named graph).

    >>> meta_graph(Endpoint.of("http://h:7878"))
    'https://w3id.org/hormone-kg/graph/meta'
    """
    return None if ep.graph is None else ep.graph + "/meta"


# ---------------------------------------------------------------------------------------------- HTTP
def _opener(url: str) -> urllib.request.OpenerDirector:
    """The opener for ``url``: no proxy for a loopback host, else the environment's proxies.

    Made once per (loopback, proxies) and shared (an opener keeps no state between requests; building one is
    ten handlers, a quarter of a millisecond per request to a local server).
    """
    import urllib.request  # (the HTTP stack: imported for the first request, not by every load)

    host = urllib.parse.urlsplit(url).hostname or ""
    loopback = host == "localhost"
    if not loopback:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
    proxies = {} if loopback else urllib.request.getproxies()
    key = tuple(sorted(proxies.items()))
    made = _openers.get(key)
    if made is None:
        made = _openers[key] = urllib.request.build_opener(urllib.request.ProxyHandler(proxies))
    return made


_openers: dict[tuple[tuple[str, str], ...], urllib.request.OpenerDirector] = {}


def _http(
    ep: Endpoint,
    url: str,
    *,
    data: bytes | None = None,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[str, bytes]:
    """One HTTP request to ``url`` with ``ep``'s credentials: ``(content type, body)``; failures are EndpointErrors."""
    import http.client
    import urllib.error
    import urllib.request

    parts = urllib.parse.urlsplit(url)  # scheme check: never open file:// or ftp:// here
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EndpointError(f"{url!r} is not an http(s) URL of a SPARQL endpoint")
    shown = url.split("?", 1)[0]
    log.debug("%s %s", method, parts._replace(netloc=parts.netloc.rpartition("@")[2], query="", fragment="").geturl())
    request = urllib.request.Request(url, data=data, method=method, headers={**(headers or {}), **ep.headers()})  # noqa: S310
    try:
        with _opener(url).open(request, timeout=timeout) as response:
            body: bytes = response.read()
            ctype = response.headers.get_content_type() or ""
            return ctype, body
    except urllib.error.HTTPError as err:
        try:
            detail = ep.redact(err.read(500).decode("utf-8", "replace").strip())
        except Exception:  # noqa: BLE001 - the detail is a courtesy
            detail = ""
        raise _HTTPStatusError(shown, err.code, detail, ep.auth is not None) from None
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise EndpointError(f"{shown} did not answer within {timeout:g} s") from None
        raise EndpointError(f"cannot reach the SPARQL endpoint {shown}: {ep.redact(str(reason))}") from None
    except TimeoutError:
        raise EndpointError(f"{shown} did not answer within {timeout:g} s") from None
    except (http.client.HTTPException, ConnectionError, OSError) as err:
        raise EndpointError(
            f"{shown} gave a broken HTTP answer ({type(err).__name__}: {ep.redact(str(err))})"
        ) from None


class _HTTPStatusError(EndpointError):
    def __init__(self, url: str, status: int, detail: str, with_credentials: bool) -> None:
        self.status = status
        if status in (401, 403):
            why = "refused the credentials" if with_credentials else "needs credentials"
            hint = " (set HORMONE_KG_ENDPOINT_TOKEN, or HORMONE_KG_ENDPOINT_USER and _PASSWORD, or a config file)"
            super().__init__(f"{url} answered HTTP {status}: the server {why}{hint}")
            return
        if status == 404:
            super().__init__(
                f"{url} answered HTTP 404: no SPARQL service at this URL (check the endpoint or its preset)"
            )
            return
        more = f": {detail[:300]}" if detail and not _looks_html(detail.encode()) else ""
        super().__init__(f"{url} answered HTTP {status}{more}")


def _form(**fields: str | None) -> bytes:
    return urllib.parse.urlencode({k.replace("_", "-"): v for k, v in fields.items() if v is not None}).encode()


_FORM = "application/x-www-form-urlencoded; charset=utf-8"


def _looks_html(body: bytes) -> bool:
    start = body[:200].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html"))


def _not_sparql(url: str, ctype: str, body: bytes, wanted: str) -> EndpointError:
    if ctype in ("text/html", "application/xhtml+xml") or _looks_html(body):
        return EndpointError(f"{url} answered an HTML page, not {wanted}: is this the endpoint's URL (or its preset)?")
    return EndpointError(f"{url} did not answer {wanted} (content type {ctype or 'none'}): {_preview(body)}")


# ---------------------------------------------------------------------------------------------- queries
def _query(ep: Endpoint, query: str, accept: str, timeout: float, dataset: bool) -> tuple[str, bytes]:
    graph = ep.graph if dataset else None
    return _http(
        ep,
        ep.query,
        data=_form(query=query, default_graph_uri=graph),
        method="POST",
        headers={"Accept": accept, "Content-Type": _FORM},
        timeout=timeout,
    )


def select(
    endpoint: EndpointLike, query: str, *, timeout: float = DEFAULT_TIMEOUT, dataset: bool = True
) -> dict[str, Any]:
    """Run a SELECT (or ASK) query on the endpoint's graph; the SPARQL JSON results, checked for shape.

    ``dataset=False``: the query names its own graphs (``FROM``/``GRAPH``); the endpoint's graph is not sent.
    """
    ep = Endpoint.of(endpoint)
    url = ep.query
    ctype, body = _query(ep, query, _RESULTS_JSON, timeout, dataset)
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _not_sparql(url, ctype, body, "SPARQL JSON results") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("head"), dict):
        raise EndpointError(f"{url} answered JSON that is not SPARQL results (no 'head'): {_preview(body)}")
    if "boolean" in answer:
        if not isinstance(answer["boolean"], bool):
            raise EndpointError(f"{url} answered an ASK result that is not true or false: {_preview(body)}")
        return answer
    results = answer.get("results")
    if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
        raise EndpointError(f"{url} answered JSON that is not SPARQL results (no results.bindings)")
    if not all(isinstance(b, dict) for b in results["bindings"]):
        raise EndpointError(f"{url} answered SPARQL results whose bindings are not objects")
    return answer


def ask(endpoint: EndpointLike, query: str, *, timeout: float = DEFAULT_TIMEOUT, dataset: bool = True) -> bool:
    """Run an ASK query."""
    answer = select(endpoint, query, timeout=timeout, dataset=dataset)
    if "boolean" not in answer:
        raise EndpointError(f"{Endpoint.of(endpoint).query} answered an ASK query without a boolean")
    return bool(answer["boolean"])


def construct(
    endpoint: EndpointLike,
    query: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    into: Graph | None = None,
    dataset: bool = True,
) -> Graph:
    """Run a CONSTRUCT query; the triples as an rdflib graph (added to ``into`` if given)."""
    from rdflib import Graph  # (rdflib: imported when an RDF graph is asked for)

    ctype, body = construct_bytes(endpoint, query, timeout=timeout, dataset=dataset)
    graph = into if into is not None else Graph(bind_namespaces="none")
    try:
        graph.parse(data=body.decode("utf-8"), format=_RDF_TYPES[ctype])
    except Exception as err:  # noqa: BLE001 - rdflib parsers raise many unrelated types
        url = Endpoint.of(endpoint).query
        raise EndpointError(f"{url} answered malformed {_RDF_TYPES[ctype]} RDF: {str(err)[:300]}") from None
    return graph


def construct_bytes(
    endpoint: EndpointLike, query: str, *, timeout: float = DEFAULT_TIMEOUT, dataset: bool = True
) -> tuple[str, bytes]:
    """Run a CONSTRUCT query; ``(content type, body)`` of the RDF the server sent (checked to be RDF)."""
    ep = Endpoint.of(endpoint)
    ctype, body = _query(ep, query, _RDF_ACCEPT, timeout, dataset)
    if ctype not in _RDF_TYPES:
        raise _not_sparql(ep.query, ctype, body, "RDF")
    return ctype, body


def update(endpoint: EndpointLike, text: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Send a SPARQL Update request (used by :func:`push` only; ``g.sparql`` never updates)."""
    ep = Endpoint.of(endpoint)
    if ep.update is None:
        raise EndpointError(f"{ep.query} has no SPARQL Update service (preset {ep.preset!r}): it is read-only here")
    _http(ep, ep.update, data=_form(update=text), method="POST", headers={"Content-Type": _FORM}, timeout=timeout)


def json_term(binding: Any) -> Node | None:
    """One value of SPARQL JSON results as an rdflib term (None when unbound).

    >>> json_term({"type": "uri", "value": "http://purl.obolibrary.org/obo/CHEBI_2704"})
    rdflib.term.URIRef('http://purl.obolibrary.org/obo/CHEBI_2704')
    """
    from rdflib import BNode, Literal, URIRef

    if binding is None:
        return None
    if not isinstance(binding, dict) or not isinstance(binding.get("value"), str):
        raise EndpointError(f"the endpoint answered a malformed result value: {str(binding)[:200]}")
    kind, value = binding.get("type"), binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        lang, datatype = binding.get("xml:lang"), binding.get("datatype")
        if lang:
            return Literal(value, lang=str(lang))
        return Literal(value, datatype=URIRef(datatype) if datatype else None)
    if kind == "triple":
        return Literal(json.dumps(value, sort_keys=True))
    raise EndpointError(f"the endpoint answered a result value of unknown type {kind!r}")


def _preview(body: bytes) -> str:
    text = body[:200].decode("utf-8", "replace").replace("\n", " ").strip()
    return repr(text) if text else "(empty body)"


def count_triples(endpoint: EndpointLike, *, timeout: float = DEFAULT_TIMEOUT) -> int:
    """How many triples the endpoint's graph holds, as the server counts them."""
    ep = Endpoint.of(endpoint)
    where = f"GRAPH <{ep.graph}> {{ ?s ?p ?o }}" if ep.graph else "?s ?p ?o"
    answer = select(ep, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", timeout=timeout, dataset=False)
    rows = answer.get("results", {}).get("bindings", [])
    try:
        return int(rows[0]["n"]["value"])
    except (IndexError, KeyError, TypeError, ValueError):
        raise EndpointError(f"{ep.query} answered a count that is not a number: {str(rows)[:200]}") from None


def revision(endpoint: EndpointLike, *, timeout: float = DEFAULT_TIMEOUT) -> str:
    """What identifies the current data of the endpoint's graph: the id :func:`push` recorded, else the count.

    Caches of what was read from the server are keyed by it, so that a new push invalidates them.
    """
    ep = Endpoint.of(endpoint)
    meta = meta_graph(ep)
    if meta is not None:
        query = f"SELECT ?r WHERE {{ GRAPH <{meta}> {{ <{ep.graph}> <{_DCTERMS_IDENTIFIER}> ?r }} }}"
        rows = select(ep, query, timeout=timeout, dataset=False)["results"]["bindings"]
        if rows and isinstance(rows[0].get("r"), dict):
            return str(rows[0]["r"].get("value"))
    return f"count:{count_triples(ep, timeout=timeout)}"


# ---------------------------------------------------------------------------------------------- push
def push(g: Store, endpoint: EndpointLike, *, timeout: float = DEFAULT_TIMEOUT) -> int:
    """Replace the endpoint's named graph with ``g.rdf`` (data and ontology); the number of triples stored.

    Uses the Graph Store Protocol when the endpoint has one (``DELETE`` then ``POST`` of N-Triples in chunks of
    :data:`CHUNK` triples to ``<store>?graph=<graph>``), else SPARQL Update (``DROP SILENT GRAPH``, then
    ``INSERT DATA { GRAPH <graph> { ... } }``). Then it **counts** the triples the server holds in the graph:
    fewer (or more) than were sent raises :class:`~kg.errors.EndpointError` naming the URL. Last it records a
    new revision id in :func:`meta_graph`, which invalidates the caches of every client.
    Raises :class:`~kg.errors.EndpointError` if the server is down, refuses the data or stores something else.
    """
    ep = Endpoint.of(endpoint)
    if ep.graph is None:
        raise EndpointError(f"{ep.query}: push needs a named graph to replace (configure the endpoint's graph)")
    from kg.sources.rdfgraph import ntriples_lines

    lines = ntriples_lines(g.rdf)
    _forget(ep)
    if ep.store is not None:
        target = f"{ep.store}?graph={urllib.parse.quote(ep.graph, safe='')}"
        try:
            _http(ep, target, method="DELETE", timeout=timeout)
        except _HTTPStatusError as err:
            if err.status != 404:  # 404: there was no such graph yet
                raise
        for chunk in _chunks(lines, CHUNK):
            body = "".join(line + "\n" for line in chunk).encode("utf-8")
            _http(
                ep, target, data=body, method="POST", headers={"Content-Type": "application/n-triples"}, timeout=timeout
            )
    else:
        update(ep, f"DROP SILENT GRAPH <{ep.graph}>", timeout=timeout)
        for chunk in _chunks(lines, UPDATE_CHUNK):
            update(ep, f"INSERT DATA {{ GRAPH <{ep.graph}> {{\n" + "\n".join(chunk) + "\n} }", timeout=timeout)
    stored = count_triples(ep, timeout=timeout)
    if stored != len(lines):
        raise EndpointError(
            f"{ep.store or ep.update} stored {stored:,} triples in graph <{ep.graph}> but {len(lines):,} were sent: "
            "the push failed (the server accepted the request without storing the data)"
        )
    mark_revision(ep, timeout=timeout)
    return stored


def mark_revision(endpoint: EndpointLike, *, timeout: float = DEFAULT_TIMEOUT) -> str:
    """Record a new revision id for the endpoint's graph (:func:`push` does; call it after a bulk load).

    Every client's cache of what it read from the graph is dropped at its next question.
    """
    ep = Endpoint.of(endpoint)
    meta = meta_graph(ep)
    if meta is None:
        raise EndpointError(f"{ep.query}: revisions are recorded for a named graph only (configure the graph)")
    line = f'<{ep.graph}> <{_DCTERMS_IDENTIFIER}> "{uuid.uuid4()}" .'
    if ep.store is not None:
        target = f"{ep.store}?graph={urllib.parse.quote(str(meta), safe='')}"
        _http(
            ep,
            target,
            data=(line + "\n").encode(),
            method="PUT",
            headers={"Content-Type": "application/n-triples"},
            timeout=timeout,
        )
    else:
        update(ep, f"DROP SILENT GRAPH <{meta}> ; INSERT DATA {{ GRAPH <{meta}> {{ {line} }} }}", timeout=timeout)
    return revision(ep, timeout=timeout)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# ---------------------------------------------------------------------------------------------- fetch
def _fetch_queries() -> dict[str, str]:
    categories = [c for c in schema().categories if c not in ("Population", "Regimen")]
    kinds = {
        "entities": categories,
        "statements": ["Statement"],
        "evidence": ["Evidence"],
        "findings": ["Finding"],
        "sources": ["Source", "UnverifiableCitation"],
        "populations": ["Population"],
        "regimens": ["Regimen"],
    }
    vocab = "https://w3id.org/hormone-kg/vocab#"
    return {
        kind: "CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?class { "
        + " ".join(f"<{vocab}{c}>" for c in classes)
        + " } ?s a ?class ; ?p ?o }"
        for kind, classes in kinds.items()
    }


def fetch(
    endpoint: EndpointLike, *, timeout: float = DEFAULT_TIMEOUT, validate: bool = True, refresh: bool = False
) -> tuple[Curation, StatementTable]:
    """A **local copy** of everything stored at ``endpoint``: read with CONSTRUCT, validated, cached per revision.

    This downloads the whole graph (``g.local()``, ``hormone-kg pull``); questions over an endpoint do not
    (:mod:`kg.store.pushdown`). What the server sends goes through the same reader as any RDF file
    (:func:`kg.sources.rdf.read_rdf`) and the same rules. Raises :class:`~kg.errors.EndpointError` if the
    server is down, answers garbage or holds no hormone-kg graph, :class:`~kg.errors.ValidationError` if
    what it holds breaks the rules.
    """
    ep = Endpoint.of(endpoint)
    key = (ep.query, ep.graph, revision(ep, timeout=timeout))
    if not refresh and key in _cache:
        return _cache[key]
    from rdflib import Graph

    graph = Graph(bind_namespaces="none")
    for kind, query in _fetch_queries().items():
        try:
            construct(ep, query, timeout=timeout, into=graph)
        except EndpointError as err:
            raise EndpointError(f"fetching {kind}: {err}") from None
    records, table, problems = read_rdf([RdfInput(ep.query, graph.serialize(format="nt11").encode(), "nt")])
    if not records.entities and not len(table):
        raise EndpointError(f"{ep.query} holds no hormone-kg entities or statements (push a graph first)")
    if validate:
        violations = [*problems, *check_curation(records), *check_table(table, records)]
        if violations:
            raise ValidationError(violations, what=f"the graph at {ep.query}")
        _forget(ep)
        _cache[key] = (records, table)  # only a validated graph is reused by later loads
    return records, table


def _forget(ep: Endpoint) -> None:
    for key in [k for k in _cache if k[:2] == (ep.query, ep.graph)]:
        del _cache[key]


def clear_cache() -> None:
    """Forget every graph fetched so far (the next :func:`fetch` asks the server again)."""
    _cache.clear()
