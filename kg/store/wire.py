"""The small pieces :mod:`kg.store.pushdown` talks to a server with.

:class:`Wire` sends the queries (counted, paged, several at once); the rest reads the answers: CURIEs of
result values, ``VALUES`` blocks, batches, and what a fetched statement names.

>>> iris(["CHEBI:2704"])
'<http://purl.obolibrary.org/obo/CHEBI_2704>'
>>> list(batches(["a", "b", "c"], 2))
[['a', 'b'], ['c']]
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pyoxigraph as ox

from kg.errors import EndpointError
from kg.prefixes import CurieError, compress, expand
from kg.sources.rdf import RdfInput
from kg.store.endpoint import Endpoint
from kg.store.remote import construct_bytes, select
from kg.table import StatementTable

__all__ = [
    "ANSWERS",
    "ANSWER_BYTES",
    "BATCH",
    "FORMATS",
    "WORKERS",
    "Read",
    "Wire",
    "add_curie",
    "batches",
    "curie_of",
    "empty_table",
    "has_triples",
    "iris",
    "string_literal",
]

T = TypeVar("T")
X = TypeVar("X")
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_SOURCE = "http://purl.org/dc/terms/source"
_SUBJECT = _RDF + "subject"
#: an RDF answer's format name -> pyoxigraph's
FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE, "xml": ox.RdfFormat.RDF_XML}
_VOCAB = "https://w3id.org/hormone-kg/vocab#"
#: the properties whose values are entities an answer may name: a statement's ends and the entities its context
#: names, a finding's intervention, measure, site and comparator
_NAMING = frozenset(
    [_RDF + "subject", _RDF + "object"]
    + [_VOCAB + p for p in ("tissue", "condition", "therapy", "species", "intervention", "measure", "site")]
    + [_VOCAB + "comparator"]
)
#: a CONSTRUCT answer's content type -> its format name
_TYPES = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
}
#: Requests sent at once (the batches of one step are independent).
WORKERS = 4
#: Nodes bound per ``VALUES`` block.
BATCH = 200
#: Answers remembered per client (the least recently used go first), and the largest remembered.
ANSWERS, ANSWER_BYTES = 2048, 4 << 20


class Wire:
    """The queries one client sends to one endpoint's graph: counted, paged, several at once.

    ``counts`` holds the queries sent (round trips), the rows received, the statements read in full and the
    microseconds spent waiting for the server (wall clock while at least one request is out: the rest of a
    question's time is the client's own work), for the benchmark and the tests.

    The answers are remembered (up to :data:`ANSWERS`, none over :data:`ANSWER_BYTES`) until :meth:`forget`:
    the same query on the same revision of the graph gets the same answer, and a question deepened level by
    level, or asked after another on the same entities, sends many of the same queries (about half of them, for
    paths then effect between the busiest nodes of a 1,500-statement graph). Whoever holds the wire calls
    :meth:`forget` when the graph's revision changes.
    """

    def __init__(self, endpoint: Endpoint, timeout: float) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self.counts = {"queries": 0, "rows": 0, "statements": 0, "waited_us": 0}
        self._lock = threading.Lock()
        self._out = 0  # requests out now
        self._since = 0.0  # when the first of them left
        self._answers: OrderedDict[tuple[str, str], Any] = OrderedDict()

    def forget(self) -> None:
        """Forget the answers remembered (the graph changed)."""
        with self._lock:
            self._answers.clear()

    def _remembered(self, key: tuple[str, str], ask: Callable[[], T], size: Callable[[T], int]) -> tuple[T, bool]:
        """``ask()``'s answer, remembered under ``key``; and whether it was sent (not remembered)."""
        with self._lock:
            hit = self._answers.get(key)
            if hit is not None:
                self._answers.move_to_end(key)
                return hit, False
        with self._waiting():
            answer = ask()
        if size(answer) <= ANSWER_BYTES:
            with self._lock:
                self._answers[key] = answer
                while len(self._answers) > ANSWERS:
                    self._answers.popitem(last=False)
        return answer, True

    @contextlib.contextmanager
    def _waiting(self) -> Iterator[None]:
        with self._lock:
            if self._out == 0:
                self._since = time.perf_counter()
            self._out += 1
        try:
            yield
        finally:
            with self._lock:
                self._out -= 1
                if self._out == 0:
                    self.counts["waited_us"] += int((time.perf_counter() - self._since) * 1e6)

    def tally(self, key: str, n: int) -> None:
        """Add ``n`` to ``counts[key]``."""
        with self._lock:
            self.counts[key] += n

    def _count(self, rows: int) -> None:
        with self._lock:
            self.counts["queries"] += 1
            self.counts["rows"] += rows

    def select(self, query: str) -> list[dict[str, Any]]:
        """The rows of a SELECT query."""
        answer, sent = self._remembered(
            ("select", query),
            lambda: select(self.endpoint, query, timeout=self.timeout),
            lambda a: 200 * len(a["results"]["bindings"]),  # (about what a row of a few terms takes)
        )
        rows: list[dict[str, Any]] = answer["results"]["bindings"]
        if sent:
            self._count(len(rows))
        return list(rows)

    def paged(self, query: str, order: str) -> list[dict[str, Any]]:
        """Every row of ``query`` (no ``LIMIT`` of its own): whole on a server without a row cap, else in pages.

        With a cap (:attr:`~kg.store.endpoint.Endpoint.row_cap`), a first page shorter than the cap is the
        whole answer, in whatever order; only a full one is asked again ordered by ``order`` (which makes
        ``OFFSET`` paging well defined), page after page.
        """
        cap = self.endpoint.row_cap
        if cap is None:
            return self.select(query)
        rows = self.select(f"{query} LIMIT {cap}")
        if len(rows) < cap:
            return rows
        out: list[dict[str, Any]] = []
        offset = 0
        while True:
            page = self.select(f"{query} ORDER BY {order} LIMIT {cap} OFFSET {offset}")
            out.extend(page)
            if len(page) < cap:
                return out
            offset += cap

    def construct(self, query: str, what: str, read: Read | None = None) -> RdfInput:
        """The RDF a CONSTRUCT query answers, as an input of the reader (``read`` notes what it names)."""
        (ctype, body), sent = self._remembered(
            ("construct", query),
            lambda: construct_bytes(self.endpoint, query, timeout=self.timeout),
            lambda a: len(a[1]),
        )
        if sent:
            self._count(0)
        fmt = _TYPES.get(ctype)
        if fmt is None:
            raise EndpointError(f"{self.endpoint.query} answered {ctype} to a CONSTRUCT query, which is not read here")
        if read is not None:
            read.scan(body, fmt, self.endpoint.query)
        return RdfInput(f"{self.endpoint.query} ({what})", body, fmt)

    def many(self, items: Sequence[X], run: Callable[[X], T]) -> list[T]:
        """``run`` on each item (a query, a batch), :data:`WORKERS` at a time (the server answers them in parallel).

        The answers come in the order of ``items``.
        """
        if len(items) <= 1:
            return [run(q) for q in items]
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            return list(pool.map(run, items))

    def rows(
        self, nodes: Sequence[str], query_of: Callable[[list[str]], str], order: str, size: int = BATCH
    ) -> list[dict[str, Any]]:
        """Every row of ``query_of(batch)`` for the nodes in batches of ``size`` (none ends in ``LIMIT``).

        A batch whose first page is full is split in two and each half asked again, down to one node, whose
        rows are then paged in ``order`` (:meth:`paged`): a hub in a batch costs one more query, not a sort of
        the whole batch's rows per page.
        """
        cap = self.endpoint.row_cap

        def run(batch: list[str]) -> list[dict[str, Any]]:
            if cap is None or len(batch) == 1:
                return self.paged(query_of(batch), order)
            rows = self.select(f"{query_of(batch)} LIMIT {cap}")
            if len(rows) < cap:
                return rows
            half = len(batch) // 2
            return run(batch[:half]) + run(batch[half:])

        return [row for found in self.many(list(batches(list(nodes), size)), run) for row in found]


@dataclass
class Read:
    """The entities and sources named in statements (or findings) read from the server."""

    nodes: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    #: the statements read (those with a subject)
    statements: set[str] = field(default_factory=set)

    def scan(self, body: bytes, fmt: str, url: str) -> None:
        """Note the nodes and sources named in ``body`` (RDF in ``fmt``, from ``url``)."""
        wanted = _NAMING
        try:
            for triple in ox.parse(body, format=FORMATS[fmt]):
                predicate, obj = triple.predicate.value, triple.object
                if not isinstance(obj, ox.NamedNode):
                    continue
                if predicate in wanted:
                    add_curie(self.nodes, obj.value)
                    if predicate == _SUBJECT and isinstance(triple.subject, ox.NamedNode):
                        add_curie(self.statements, triple.subject.value)
                elif predicate == _SOURCE:
                    add_curie(self.sources, obj.value)
        except SyntaxError as err:
            raise EndpointError(f"{url} answered malformed RDF: {str(err)[:200]}") from None


def add_curie(into: set[str], iri: str) -> None:
    """Add the CURIE of ``iri`` to ``into`` (nothing for an IRI under no registered prefix)."""
    with contextlib.suppress(CurieError):  # not one of ours (the server may hold other data): never asked for
        into.add(compress(iri))


def has_triples(item: RdfInput) -> bool:
    """Whether ``item`` holds a triple (an empty answer is no input: the reader would call it foreign RDF)."""
    try:
        return next(iter(ox.parse(item.data, format=FORMATS[item.format])), None) is not None
    except SyntaxError as err:
        raise EndpointError(f"{item.name}: malformed RDF: {str(err)[:200]}") from None


def curie_of(binding: Any) -> str | None:
    """The CURIE a SPARQL JSON result value names (None when unbound or under no registered prefix).

    >>> curie_of({"type": "uri", "value": "http://purl.obolibrary.org/obo/CHEBI_2704"})
    'CHEBI:2704'
    """
    if not isinstance(binding, dict) or binding.get("type") not in ("uri", "literal", "typed-literal"):
        return None
    try:
        return compress(str(binding.get("value")))
    except CurieError:
        return None


def iris(curies: Iterable[str]) -> str:
    """The IRIs of ``curies``, written for a ``VALUES`` block."""
    return " ".join(f"<{expand(c)}>" for c in curies)


def string_literal(text: str) -> str:
    r"""``text`` as an escaped SPARQL string literal.

    >>> print(string_literal('say "hi"'))
    "say \"hi\""
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def batches(items: list[str], size: int) -> Iterator[list[str]]:
    """``items`` in lists of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def empty_table() -> StatementTable:
    """A table with no statement (the handle's: questions read their own subgraph)."""
    return StatementTable.from_statements([])
