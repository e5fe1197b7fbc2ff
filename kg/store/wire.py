"""The small pieces :mod:`kg.store.pushdown` reads a server's answers with.

CURIEs of result values, ``VALUES`` blocks, batches, breadth-first distances over fetched steps, and what a
fetched statement names.

>>> iris(["CHEBI:2704"])
'<http://purl.obolibrary.org/obo/CHEBI_2704>'
>>> list(batches(["a", "b", "c"], 2))
[['a', 'b'], ['c']]
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.errors import EndpointError
from kg.model import Curation
from kg.namespaces import CurieError, compress, expand
from kg.sources.rdf import RdfInput, read_rdf
from kg.table import StatementTable

__all__ = [
    "FORMATS",
    "Read",
    "add_curie",
    "batches",
    "curie_of",
    "distances",
    "empty_records",
    "empty_table",
    "has_triples",
    "iris",
    "string_literal",
]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_SOURCE = "http://purl.org/dc/terms/source"
#: an RDF answer's format name -> pyoxigraph's
FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE, "xml": ox.RdfFormat.RDF_XML}


@dataclass
class Read:
    """The nodes and sources named in statements (or findings) read from the server."""

    nodes: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)

    def scan(self, body: bytes, fmt: str, url: str) -> None:
        """Note the nodes and sources named in ``body`` (RDF in ``fmt``, from ``url``)."""
        wanted = {_RDF + "subject", _RDF + "object"}
        try:
            for triple in ox.parse(body, format=FORMATS[fmt]):
                predicate, obj = triple.predicate.value, triple.object
                if not isinstance(obj, ox.NamedNode):
                    continue
                if predicate in wanted:
                    add_curie(self.nodes, obj.value)
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


def distances(edges: Mapping[str, tuple[str, str]], seeds: Iterable[str], forward: bool) -> dict[str, int]:
    """Steps from the nearest seed to each node (``forward``), or from each node to the nearest seed, over ``edges``.

    >>> distances({"s1": ("A", "B"), "s2": ("B", "C")}, ["C"], forward=False)
    {'C': 0, 'B': 1, 'A': 2}
    """
    nexts: dict[str, list[str]] = {}
    for u, v in edges.values():
        a, b = (u, v) if forward else (v, u)
        nexts.setdefault(a, []).append(b)
    dist = dict.fromkeys(seeds, 0)
    todo = deque(dist)
    while todo:
        node = todo.popleft()
        for other in nexts.get(node, ()):
            if other not in dist:
                dist[other] = dist[node] + 1
                todo.append(other)
    return dist


def batches(items: list[str], size: int) -> Iterator[list[str]]:
    """``items`` in lists of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def empty_records(background: Iterable[RdfInput]) -> Curation:
    """The populations and regimens of ``background`` (a handle's own records)."""
    records, _, _ = read_rdf([i for i in background if has_triples(i)])
    return Curation(populations=records.populations, regimens=records.regimens)


def empty_table() -> StatementTable:
    """A table with no statement (the handle's: questions read their own subgraph)."""
    return StatementTable.from_statements([])
