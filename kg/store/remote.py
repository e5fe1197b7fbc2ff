"""A SPARQL 1.1 endpoint as the graph's store: push the graph there, fetch it back, query it.

Works with any SPARQL 1.1 server (Oxigraph, Apache Jena Fuseki, GraphDB, Virtuoso...). An endpoint is named by
one URL, from which the three services are derived (see :meth:`Endpoint.parse`):

- a server root, ``http://host:7878`` (Oxigraph): query ``/query``, update ``/update``, store ``/store``;
- a URL ending in ``/query`` (Oxigraph) or ``/sparql`` (Fuseki): update and store are its siblings
  (``/update``; ``/store`` for Oxigraph, ``/data`` for Fuseki);
- any other URL: queries and updates both go to it, and there is no Graph Store Protocol service.

HTTP uses only the standard library (``urllib.request``) with a timeout; a server that is down, an HTTP error,
or an answer that is not SPARQL results / RDF raises :class:`~kg.errors.EndpointError` naming the URL and the
problem. Only ``http`` and ``https`` URLs are accepted. Loopback URLs bypass any configured proxy.

>>> Endpoint.parse("http://127.0.0.1:7878").store
'http://127.0.0.1:7878/store'
>>> Endpoint.parse("http://localhost:3030/ds/sparql").update
'http://localhost:3030/ds/update'
>>> Endpoint.parse("file:///etc/passwd")
Traceback (most recent call last):
...
kg.errors.EndpointError: 'file:///etc/passwd' is not an http(s) URL of a SPARQL endpoint
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import EndpointError, ValidationError
from kg.model import Curation
from kg.ontology import schema
from kg.sources.rdf import RdfInput, read_rdf
from kg.sources.rdfgraph import ntriples_lines
from kg.table import StatementTable
from kg.validation.rules import check_curation, check_table

if TYPE_CHECKING:
    from kg.store.store import Store

__all__ = [
    "DEFAULT_TIMEOUT",
    "Endpoint",
    "ask",
    "clear_cache",
    "construct",
    "fetch",
    "json_term",
    "push",
    "select",
    "update",
]

#: Seconds to wait for a server before giving up.
DEFAULT_TIMEOUT = 30.0
#: Triples per ``INSERT DATA`` request when the server has no Graph Store Protocol service.
CHUNK = 5000
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
_GSP_UNSUPPORTED = frozenset({400, 404, 405, 406, 415, 501})
_cache: dict[str, tuple[Curation, StatementTable]] = {}


@dataclass(frozen=True)
class Endpoint:
    """The query, update and (optional) Graph Store Protocol URLs of one SPARQL server."""

    query: str
    update: str
    store: str | None

    @classmethod
    def parse(cls, url: str) -> Endpoint:
        """Derive the three services from one URL (see the module docstring)."""
        if not isinstance(url, str):
            raise EndpointError(f"an endpoint is an http(s) URL, not {type(url).__name__}")
        parts = urllib.parse.urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise EndpointError(f"{url!r} is not an http(s) URL of a SPARQL endpoint")
        if parts.query or parts.fragment:
            raise EndpointError(f"{url!r}: give the endpoint's URL without a query string or fragment")
        base = url.strip().rstrip("/")
        path = parts.path.rstrip("/")
        if not path:
            return cls(f"{base}/query", f"{base}/update", f"{base}/store")
        if path.endswith("/query"):
            root = base[: -len("query")]
            return cls(base, root + "update", root + "store")
        if path.endswith("/sparql"):
            root = base[: -len("sparql")]
            return cls(base, root + "update", root + "data")
        return cls(base, base, None)


# ---------------------------------------------------------------------------------------------- HTTP
def _opener(url: str) -> urllib.request.OpenerDirector:
    host = urllib.parse.urlsplit(url).hostname or ""
    loopback = host == "localhost"
    if not loopback:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
    return urllib.request.build_opener(urllib.request.ProxyHandler({})) if loopback else urllib.request.build_opener()


def _http(
    url: str,
    *,
    data: bytes | None = None,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[str, bytes]:
    """One HTTP request: ``(content type, body)``; every failure becomes an EndpointError."""
    parts = urllib.parse.urlsplit(url)  # scheme check: never open file:// or ftp:// here
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EndpointError(f"{url!r} is not an http(s) URL of a SPARQL endpoint")
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))  # noqa: S310
    try:
        with _opener(url).open(request, timeout=timeout) as response:
            body: bytes = response.read()
            ctype = response.headers.get_content_type() or ""
            return ctype, body
    except urllib.error.HTTPError as err:
        try:
            detail = err.read(500).decode("utf-8", "replace").strip()
        except Exception:  # noqa: BLE001 - the detail is a courtesy
            detail = ""
        raise _HTTPStatusError(url, err.code, detail) from None
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise EndpointError(f"{url} did not answer within {timeout:g} s") from None
        raise EndpointError(f"cannot reach the SPARQL endpoint {url}: {reason}") from None
    except TimeoutError:
        raise EndpointError(f"{url} did not answer within {timeout:g} s") from None
    except (http.client.HTTPException, ConnectionError, OSError) as err:
        raise EndpointError(f"{url} gave a broken HTTP answer ({type(err).__name__}: {err})") from None


class _HTTPStatusError(EndpointError):
    def __init__(self, url: str, status: int, detail: str) -> None:
        self.status = status
        more = f": {detail[:300]}" if detail else ""
        super().__init__(f"{url} answered HTTP {status}{more}")


def _form(**fields: str) -> bytes:
    return urllib.parse.urlencode(fields).encode("utf-8")


_FORM = "application/x-www-form-urlencoded; charset=utf-8"


# ---------------------------------------------------------------------------------------------- queries
def select(endpoint: str, query: str, *, timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    """Run a SELECT (or ASK) query; the SPARQL JSON results, checked for shape."""
    url = Endpoint.parse(endpoint).query
    ctype, body = _http(
        url,
        data=_form(query=query),
        method="POST",
        headers={"Accept": _RESULTS_JSON, "Content-Type": _FORM},
        timeout=timeout,
    )
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise EndpointError(
            f"{url} did not answer SPARQL JSON results (content type {ctype or 'none'}): {_preview(body)}"
        ) from None
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


def ask(endpoint: str, query: str, *, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Run an ASK query."""
    answer = select(endpoint, query, timeout=timeout)
    if "boolean" not in answer:
        raise EndpointError(f"{endpoint} answered an ASK query without a boolean")
    return bool(answer["boolean"])


def construct(endpoint: str, query: str, *, timeout: float = DEFAULT_TIMEOUT, into: Graph | None = None) -> Graph:
    """Run a CONSTRUCT query; the triples as an rdflib graph (added to ``into`` if given)."""
    url = Endpoint.parse(endpoint).query
    ctype, body = _http(
        url,
        data=_form(query=query),
        method="POST",
        headers={"Accept": _RDF_ACCEPT, "Content-Type": _FORM},
        timeout=timeout,
    )
    fmt = _RDF_TYPES.get(ctype)
    if fmt is None:
        raise EndpointError(f"{url} answered {ctype or 'no content type'}, not RDF: {_preview(body)}")
    graph = into if into is not None else Graph(bind_namespaces="none")
    try:
        graph.parse(data=body.decode("utf-8"), format=fmt)
    except Exception as err:  # noqa: BLE001 - rdflib parsers raise many unrelated types
        raise EndpointError(f"{url} answered malformed {fmt} RDF: {str(err)[:300]}") from None
    return graph


def update(endpoint: str, text: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Send a SPARQL Update request (used by :func:`push` only; ``g.sparql`` never updates)."""
    url = Endpoint.parse(endpoint).update
    _http(url, data=_form(update=text), method="POST", headers={"Content-Type": _FORM}, timeout=timeout)


def json_term(binding: Any) -> Node | None:
    """One value of SPARQL JSON results as an rdflib term (None when unbound).

    >>> json_term({"type": "uri", "value": "http://purl.obolibrary.org/obo/CHEBI_2704"})
    rdflib.term.URIRef('http://purl.obolibrary.org/obo/CHEBI_2704')
    """
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


# ---------------------------------------------------------------------------------------------- push
def push(g: Store, endpoint: str, *, timeout: float = DEFAULT_TIMEOUT, replace: bool = False) -> int:
    """Load ``g.rdf`` (statements, entities, findings, sources and the ontology) into ``endpoint``'s default graph.

    Uses the Graph Store Protocol (``POST`` of N-Triples to ``<store>?default``; ``PUT`` when ``replace``,
    which first empties the default graph) and falls back to SPARQL Update ``INSERT DATA`` in chunks of
    :data:`CHUNK` triples when the server has no such service. Returns the number of triples sent.
    Raises :class:`~kg.errors.EndpointError` if the server is down or refuses the data.
    """
    ep = Endpoint.parse(endpoint)
    lines = ntriples_lines(g.rdf)
    _cache.pop(ep.query, None)
    if ep.store is not None:
        try:
            _http(
                ep.store + "?default",
                data="".join(line + "\n" for line in lines).encode("utf-8"),
                method="PUT" if replace else "POST",
                headers={"Content-Type": "application/n-triples"},
                timeout=timeout,
            )
            return len(lines)
        except _HTTPStatusError as err:
            if err.status not in _GSP_UNSUPPORTED:
                raise
    if replace:
        update(endpoint, "CLEAR DEFAULT", timeout=timeout)
    for chunk in _chunks(lines, CHUNK):
        update(endpoint, "INSERT DATA {\n" + "\n".join(chunk) + "\n}", timeout=timeout)
    return len(lines)


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
    endpoint: str, *, timeout: float = DEFAULT_TIMEOUT, validate: bool = True, refresh: bool = False
) -> tuple[Curation, StatementTable]:
    """The records and statement table stored at ``endpoint``: read with CONSTRUCT, validated, cached per URL.

    What the server sends goes through the same reader as any RDF file (:func:`kg.sources.rdf.read_rdf`) and
    the same rules. Raises :class:`~kg.errors.EndpointError` if the server is down, answers garbage or holds
    no hormone-kg graph, :class:`~kg.errors.ValidationError` if what it holds breaks the rules.
    """
    ep = Endpoint.parse(endpoint)
    if not refresh and ep.query in _cache:
        return _cache[ep.query]
    graph = Graph(bind_namespaces="none")
    for kind, query in _fetch_queries().items():
        try:
            construct(endpoint, query, timeout=timeout, into=graph)
        except EndpointError as err:
            raise EndpointError(f"fetching {kind}: {err}") from None
    records, table, problems = read_rdf([RdfInput(ep.query, graph.serialize(format="nt11").encode(), "nt")])
    if not records.entities and not len(table):
        raise EndpointError(f"{ep.query} holds no hormone-kg entities or statements (push a graph first)")
    if validate:
        violations = [*problems, *check_curation(records), *check_table(table, records)]
        if violations:
            raise ValidationError(violations, what=f"the graph at {ep.query}")
        _cache[ep.query] = (records, table)  # only a validated graph is reused by later loads
    return records, table


def clear_cache() -> None:
    """Forget every graph fetched so far (the next :func:`fetch` asks the server again)."""
    _cache.clear()
