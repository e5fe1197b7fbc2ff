"""Where a SPARQL server's services are, which graph holds hormone-kg, and how to log in: :class:`Endpoint`.

An endpoint is three URLs (query, update, Graph Store Protocol) plus the named graph the data live in and the
credentials, never guessed from a path when a **preset** or explicit URLs are given (:data:`PRESETS`):

============  =========================================  ===============================================
preset        the URL you give                           query / update / graph store
============  =========================================  ===============================================
oxigraph      the server root ``http://host:7878``       ``/query`` / ``/update`` / ``/store``
fuseki        the dataset ``http://host:3030/ds``        ``/ds/query`` / ``/ds/update`` / ``/ds/data``
virtuoso      the server root ``http://host:8890``       ``/sparql`` / ``/sparql`` / none (SPARQL Update)
graphdb       the repository ``http://host:7200/repositories/r``  itself / ``/statements`` / ``/rdf-graphs/service``
qlever        the server root                            itself / none (read-only) / none
generic       the endpoint URL                           itself / itself / none
============  =========================================  ===============================================

Without a preset, a URL with no path is an Oxigraph root, one ending in ``/query`` an Oxigraph query service;
anything else is ``generic`` (queries and updates both go to it).

Credentials (HTTP basic or a bearer token) come from the environment — ``HORMONE_KG_ENDPOINT_TOKEN``, or
``HORMONE_KG_ENDPOINT_USER`` and ``HORMONE_KG_ENDPOINT_PASSWORD`` — or from a TOML config file
(``HORMONE_KG_ENDPOINT_CONFIG``, default ``~/.config/hormone-kg/endpoints.toml``) with one table per endpoint
URL holding ``preset``, ``graph``, ``query``, ``update``, ``store``, ``user``, ``password``, ``token``,
``token_env`` or ``password_env``. They are never printed: :class:`Auth` has no secret in its ``repr``, and
error messages name URLs without credentials.

>>> ep = Endpoint.of("http://127.0.0.1:8890", preset="virtuoso")
>>> ep.query, ep.update, ep.store
('http://127.0.0.1:8890/sparql', 'http://127.0.0.1:8890/sparql', None)
>>> repr(Auth.bearer("s3cret"))
'Auth(kind=bearer)'
"""

from __future__ import annotations

import base64
import os
import tomllib
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kg.errors import EndpointError

__all__ = ["DEFAULT_GRAPH", "DEFAULT_ROW_CAP", "PRESETS", "ROW_CAPS", "Auth", "Endpoint", "register", "registered"]

#: The named graph ``push`` writes into and questions read from, unless configured otherwise.
DEFAULT_GRAPH = "https://w3id.org/hormone-kg/graph"

#: preset -> (query path, update path or None, graph-store path or None), relative to the URL given ("" = itself)
PRESETS: dict[str, tuple[str, str | None, str | None]] = {
    "oxigraph": ("/query", "/update", "/store"),
    "fuseki": ("/query", "/update", "/data"),
    "virtuoso": ("/sparql", "/sparql", None),
    "graphdb": ("", "/statements", "/rdf-graphs/service"),
    "qlever": ("", None, None),
    "generic": ("", "", None),
}
#: preset -> the most rows one SELECT answer holds (None: no cap, read whole). Oxigraph has none (``oxigraph
#: serve`` has no such option); Virtuoso caps at ``[SPARQL] ResultSetMaxRows`` (10,000 in Debian's virtuoso.ini),
#: silently; any other server is assumed to cap at :data:`DEFAULT_ROW_CAP`. Longer answers are asked in pages.
ROW_CAPS: dict[str, int | None] = {"oxigraph": None}
DEFAULT_ROW_CAP = 10_000
_ENV = "HORMONE_KG_ENDPOINT_"
_KEYS = frozenset(
    {"preset", "graph", "query", "update", "store", "user", "password", "token", "token_env", "password_env"}
)
_registry: dict[str, Endpoint] = {}


@dataclass(frozen=True)
class Auth:
    """HTTP credentials: ``basic`` (user and password) or ``bearer`` (a token); the secret never shows."""

    kind: str
    user: str = ""
    secret: str = field(default="", repr=False)

    @classmethod
    def basic(cls, user: str, password: str) -> Auth:
        """HTTP basic authentication.

        >>> Auth.basic("ann", "pw").header()
        'Basic YW5uOnB3'
        """
        return cls("basic", user, password)

    @classmethod
    def bearer(cls, token: str) -> Auth:
        """A bearer token (``Authorization: Bearer ...``).

        >>> Auth.bearer("t").header()
        'Bearer t'
        """
        return cls("bearer", "", token)

    def header(self) -> str:
        """The value of the ``Authorization`` header."""
        if self.kind == "bearer":
            return f"Bearer {self.secret}"
        return "Basic " + base64.b64encode(f"{self.user}:{self.secret}".encode()).decode("ascii")

    def __repr__(self) -> str:
        return f"Auth(kind={self.kind})"

    def redact(self, text: str) -> str:
        """``text`` with the secret (and its encoded header) replaced by ``***``.

        >>> Auth.bearer("abc123").redact("token abc123 refused")
        'token *** refused'
        """
        for secret in {self.secret, self.header()} - {""}:
            text = text.replace(secret, "***")
        return text


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL server's query, update and Graph Store URLs, the named graph of hormone-kg, and credentials."""

    query: str
    update: str | None
    store: str | None
    graph: str | None = DEFAULT_GRAPH
    auth: Auth | None = None
    preset: str = "generic"

    def __repr__(self) -> str:
        return f"Endpoint({self.query!r}, preset={self.preset!r}, graph={self.graph!r}, auth={self.auth!r})"

    @property
    def row_cap(self) -> int | None:
        """The most rows one SELECT answer holds on this kind of server (None: no cap); see :data:`ROW_CAPS`.

        >>> Endpoint.of("http://h:7878").row_cap, Endpoint.of("http://h:8890", preset="virtuoso").row_cap
        (None, 10000)
        """
        return ROW_CAPS.get(self.preset, DEFAULT_ROW_CAP)

    @property
    def url(self) -> str:
        """The query URL: how messages and caches name this endpoint."""
        return self.query

    @classmethod
    def parse(cls, url: str) -> Endpoint:
        """:meth:`of` with the preset, graph and credentials configured for ``url`` (or guessed from it)."""
        return cls.of(url)

    @classmethod
    def of(
        cls,
        url: str | Endpoint,
        *,
        preset: str | None = None,
        graph: str | None = None,
        query: str | None = None,
        update: str | None = None,
        store: str | None = None,
        auth: Auth | None = None,
    ) -> Endpoint:
        """The endpoint at ``url``, configured (see the module docstring).

        Explicit arguments come first, then :func:`register`-ed settings, the config file, the environment,
        and last the preset's URLs.

        >>> Endpoint.of("http://h:3030/ds", preset="fuseki").store
        'http://h:3030/ds/data'
        >>> Endpoint.of("http://h/sparql").update
        'http://h/sparql'
        """
        if isinstance(url, Endpoint):
            return url
        base = _checked_url(url)
        known = _registry.get(base)
        if known is not None and auth is None and all(v is None for v in (preset, graph, query, update, store)):
            return known
        settings = {**_file_settings(base), **{k: v for k, v in _explicit(preset, graph, query, update, store).items()}}
        name = settings.get("preset") or _guess(base)
        if name not in PRESETS:
            raise EndpointError(f"unknown endpoint preset {name!r}; known: {', '.join(PRESETS)}")
        root = base[: -len("/query")] if name == "oxigraph" and base.endswith("/query") else base
        q_path, u_path, s_path = PRESETS[name]
        made = cls(
            query=_checked_url(settings.get("query") or root + q_path),
            update=_checked_url(settings["update"])
            if settings.get("update")
            else (None if u_path is None else root + u_path),
            store=_checked_url(settings["store"])
            if settings.get("store")
            else (None if s_path is None else root + s_path),
            graph=settings.get("graph", DEFAULT_GRAPH) or None,
            auth=auth or _auth(settings),
            preset=name,
        )
        if made.graph is not None and not made.graph.startswith(("http://", "https://", "urn:")):
            raise EndpointError(f"the named graph must be an absolute IRI, not {made.graph!r}")
        return made

    def with_graph(self, graph: str | None) -> Endpoint:
        """This endpoint reading and writing named graph ``graph`` (None: the default graph)."""
        return replace(self, graph=graph)

    def headers(self) -> dict[str, str]:
        """The ``Authorization`` header, when there are credentials."""
        return {"Authorization": self.auth.header()} if self.auth else {}

    def redact(self, text: str) -> str:
        """``text`` without the credentials."""
        return self.auth.redact(text) if self.auth else text


def register(endpoint: Endpoint) -> Endpoint:
    """Remember ``endpoint`` for its URL, so that ``kg.load(endpoint=URL)`` uses its settings (the CLI does)."""
    _registry[endpoint.query] = endpoint
    for alias in _aliases(endpoint):
        _registry[alias] = endpoint
    return endpoint


def registered() -> dict[str, Endpoint]:
    """The endpoints :func:`register` remembers, by URL."""
    return dict(_registry)


def _aliases(endpoint: Endpoint) -> list[str]:
    q_path = PRESETS[endpoint.preset][0]
    return [endpoint.query[: -len(q_path)]] if q_path and endpoint.query.endswith(q_path) else []


def _explicit(*values: str | None) -> dict[str, str]:
    names = ("preset", "graph", "query", "update", "store")
    return {k: v for k, v in zip(names, values, strict=True) if v is not None}


def _checked_url(url: object) -> str:
    if not isinstance(url, str):
        raise EndpointError(f"an endpoint is an http(s) URL, not {type(url).__name__}")
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EndpointError(f"{_shown(url)!r} is not an http(s) URL of a SPARQL endpoint")
    if parts.username is not None or parts.password is not None:
        raise EndpointError(
            f"{_shown(url)!r}: put credentials in {_ENV}USER / {_ENV}PASSWORD or {_ENV}TOKEN, not in the URL"
        )
    if parts.query or parts.fragment:
        raise EndpointError(f"{_shown(url)!r}: give the endpoint's URL without a query string or fragment")
    return url.strip().rstrip("/")


def _shown(url: str) -> str:
    """``url`` without any ``user:password@`` part (safe to print)."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.username is None and parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, "***@" + host, parts.path, "", ""))


def _guess(url: str) -> str:
    path = urllib.parse.urlsplit(url).path.rstrip("/")
    return "oxigraph" if not path or path.endswith("/query") else "generic"


def config_path() -> Path:
    """The config file: ``$HORMONE_KG_ENDPOINT_CONFIG`` or ``~/.config/hormone-kg/endpoints.toml``."""
    given = os.environ.get(_ENV + "CONFIG")
    return Path(given) if given else Path.home() / ".config" / "hormone-kg" / "endpoints.toml"


def _file_settings(url: str) -> dict[str, str]:
    path = config_path()
    if not path.is_file():
        return {}
    try:
        document: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise EndpointError(f"cannot read the endpoint config {path}: {type(err).__name__}") from None
    table = document.get(url) or document.get(url + "/")
    if table is None:
        return {}
    if not isinstance(table, Mapping) or not all(isinstance(v, str) for v in table.values()):
        raise EndpointError(f"{path}: the settings of {url} must be a table of strings")
    unknown = set(table) - _KEYS
    if unknown:
        raise EndpointError(f"{path}: unknown setting(s) {', '.join(sorted(unknown))} for {url}")
    return dict(table)


def _auth(settings: Mapping[str, str]) -> Auth | None:
    env = os.environ
    token = settings.get("token") or (env.get(settings["token_env"]) if "token_env" in settings else None)
    if token:
        return Auth.bearer(token)
    user = settings.get("user")
    password = settings.get("password") or (env.get(settings["password_env"]) if "password_env" in settings else None)
    if user and password is not None:
        return Auth.basic(user, password)
    if env.get(_ENV + "TOKEN"):
        return Auth.bearer(env[_ENV + "TOKEN"])
    if env.get(_ENV + "USER"):
        return Auth.basic(env[_ENV + "USER"], env.get(_ENV + "PASSWORD", ""))
    return None
