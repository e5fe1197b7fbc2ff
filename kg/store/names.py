"""Entities, names and sources of a graph at an endpoint, looked up on the server: :class:`Names`.

A name is resolved with the rules of :class:`~kg.store.resolve.NameIndex`, over the entities a server query
finds (an entity's own CURIE first, with no scan of the names; else the labels, synonyms and abbreviations
equal to the name or containing its longest word). An entity is described by what the reader reads of it
(:data:`ENTITY_PROPERTIES`: its type, names, cross-references, class, notes), never by its plain triples
(a hub has tens of thousands). Sources are read one by one when an answer shows them (:class:`Sources`).
Everything is kept until :meth:`Names.forget` (a new revision of the server's data).

>>> len(ENTITY_PROPERTIES)
9
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from kg.errors import UnknownEntityError
from kg.model import Entity, Source
from kg.ontology import schema
from kg.prefixes import is_curie
from kg.sources.rdf import RdfInput, read_rdf
from kg.store.resolve import NameIndex
from kg.store.wire import BATCH, Wire, batches, curie_of, has_triples, iris, string_literal

__all__ = ["ENTITY_PROPERTIES", "Names", "RemoteNames", "Sources"]

_VOCAB = "https://w3id.org/hormone-kg/vocab#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_TOKEN = re.compile(r"[a-z0-9]{3,}")
#: the properties of an entity that :mod:`kg.sources.rdf` reads (its type, names, cross-references, class, notes)
ENTITY_PROPERTIES = (
    _RDF + "type",
    _RDFS + "label",
    _SKOS + "altLabel",
    _VOCAB + "abbreviation",
    _SKOS + "exactMatch",
    _SKOS + "broader",
    "http://purl.org/dc/terms/description",
    _RDFS + "comment",
    _VOCAB + "verification",
)
_ENTITY = ", ".join(f"<{p}>" for p in ENTITY_PROPERTIES)


class Sources(dict[str, Source]):
    """Sources, each read from the server the first time it is looked up (``in``, ``[]``, ``get``).

    A question's statements cite thousands of sources on a large graph; only those an answer shows (a quote's
    citation) are needed, so they are read then.
    """

    def __init__(self, read: Callable[[str], Source | None]) -> None:
        super().__init__()
        self._read = read
        self._absent: set[str] = set()

    def _load(self, key: object) -> bool:
        if not isinstance(key, str) or key in self._absent:
            return False
        found = self._read(key)
        if found is None:
            self._absent.add(key)
            return False
        super().__setitem__(key, found)
        return True

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key) or self._load(key)

    def __missing__(self, key: str) -> Source:
        if self._load(key):
            return super().__getitem__(key)
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        """The source ``key`` (read from the server if need be), else ``default``."""
        return self[key] if key in self else default  # noqa: SIM401 - dict.get would not read through


class Names:
    """Entities, names and sources of one endpoint's graph, looked up on the server (see the module docstring)."""

    def __init__(self, wire: Wire) -> None:
        self.wire = wire
        self._names: dict[str, Entity] = {}
        #: the sources read so far, each when first looked up
        self.sources = Sources(self.source)

    def forget(self) -> None:
        """Drop what was looked up (the server's data changed)."""
        self._names.clear()
        self.sources = Sources(self.source)

    def resolve(self, name: str) -> Entity:
        """The entity ``name`` denotes, looked up on the server (same rules as :class:`~kg.store.resolve.NameIndex`)."""
        if not isinstance(name, str) or not name.strip():
            raise UnknownEntityError(str(name))
        key = name.strip()
        if key not in self._names:
            # an entity's own CURIE names it before any label does (NameIndex.resolve): no scan of the names
            own = self.entities([key]) if is_curie(key) else []
            self._names[key] = own[0] if own else NameIndex(self._candidates(key)).resolve(key)
        return self._names[key]

    def search(self, text: str, limit: int = 20) -> list[Entity]:
        """Entities whose names contain ``text`` (exact, prefix, substring), best first, found on the server."""
        return NameIndex(self._candidates(text.strip(), contains=True)).search(text, limit=limit)

    def entities(self, ids: Sequence[str]) -> list[Entity]:
        """The entities among ``ids`` that the server describes."""
        records, _, _ = read_rdf([i for i in self.describe(sorted(ids), "entities") if has_triples(i)])
        return list(records.entities)

    def source(self, curie: str) -> Source | None:
        """The source ``curie`` as the server describes it (None when it does not)."""
        inputs = [i for i in self.describe([curie], "sources") if has_triples(i)]
        if not inputs:
            return None
        records, _, _ = read_rdf(inputs)
        return next((x for x in records.sources if x.id == curie), None)

    def describe(self, curies: Sequence[str], kind: str) -> list[RdfInput]:
        """What the reader reads of ``curies``: an entity's type and names (not its plain triples), all of a source."""
        where = "?s ?p ?o"
        if kind == "entities":  # an entity's own properties; a population or regimen is no entity
            kinds = ", ".join(f"<{_VOCAB}{c}>" for c in schema().categories if c not in ("Population", "Regimen"))
            where = f"?s a ?c . FILTER(?c IN ({kinds})) ?s ?p ?o FILTER(?p IN ({_ENTITY}))"
        queries = [
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {iris(batch)} }} {where} }}"
            for batch in batches(list(curies), BATCH)
        ]
        return self.wire.many(queries, lambda q: self.wire.construct(q, kind))

    def _candidates(self, key: str, *, contains: bool = False) -> list[Entity]:
        folded = key.casefold()
        ids: set[str] = set()
        if is_curie(key):
            ids.add(key)
        tokens = sorted(_TOKEN.findall(folded), key=len, reverse=True)
        probe = folded if contains or not tokens else tokens[0]
        filters = [f"LCASE(STR(?n)) = {string_literal(folded)}"]
        if probe:
            filters.append(f"CONTAINS(LCASE(STR(?n)), {string_literal(probe)})")
        query = (
            f"SELECT DISTINCT ?e WHERE {{ VALUES ?p {{ <{_RDFS}label> <{_SKOS}altLabel> <{_VOCAB}abbreviation> }} "
            f"?e ?p ?n FILTER({' || '.join(filters)}) }} LIMIT 2000"
        )
        ids.update(c for row in self.wire.select(query) if (c := curie_of(row.get("e"))) is not None)
        return self.entities(sorted(ids)) if ids else []


class RemoteNames(NameIndex):
    """A :class:`~kg.store.resolve.NameIndex` whose lookups are server queries (through :class:`Names`)."""

    def __init__(self, names: Names) -> None:
        super().__init__(())
        self._names = names

    def resolve(self, name: str) -> Entity:
        """The entity ``name`` denotes, asked of the server."""
        return self._names.resolve(name)

    def search(self, text: str, limit: int = 20) -> list[Entity]:
        """Entities matching ``text``, asked of the server."""
        return self._names.search(text, limit)
