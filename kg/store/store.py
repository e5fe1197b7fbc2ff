"""The :class:`Store`: one loaded, validated graph's records, statement table, names and search index.

Every load (bundled data, a user's files of any size, a snapshot, an endpoint) ends in a Store; the
questions (:mod:`kg.questions`) read it and :class:`kg.KnowledgeGraph` adds them as methods. Statements
live in the table and become :class:`~kg.model.Statement` objects only when read; ``curation``, ``rdf`` and
``nx`` are made on first use.

>>> from kg.model import Curation, Entity
>>> from kg.table import StatementTable
>>> store = Store(Curation(entities=(Entity("CHEBI:2704", "anastrozole", "Drug"),)), StatementTable.from_statements([]))
>>> store.resolve("Anastrozole").id, store.label("CHEBI:2704")
('CHEBI:2704', 'anastrozole')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING

from kg.context import Context, ContextLike
from kg.errors import QueryError
from kg.model import Curation, Entity, Finding, Population, Regimen, Source, Statement
from kg.ontology import schema
from kg.store.resolve import NameIndex
from kg.table import StatementMap, StatementTable

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

    from kg.search import SearchIndex

__all__ = ["Store"]


class Store:
    """A validated graph: records (entities, findings, sources, populations, regimens) and the statement table.

    Read-only by convention (load again to add files).
    """

    def __init__(
        self,
        records: Curation,
        table: StatementTable | None = None,
        *,
        names: NameIndex | None = None,
        endpoint: str | None = None,
    ) -> None:
        if table is None:  # the statements come with the records
            table = StatementTable.from_statements(records.statements)
        self.records = replace(records, statements=()) if records.statements else records
        self.table = table
        #: the SPARQL endpoint this graph was loaded from (``kg.load(endpoint=...)``), else None
        self.endpoint = endpoint
        self.entities: dict[str, Entity] = {e.id: e for e in records.entities}
        self.statements: Mapping[str, Statement] = StatementMap(table)
        self.findings: dict[str, Finding] = {f.id: f for f in records.findings}
        self.sources: dict[str, Source] = {s.id: s for s in records.sources}
        self.populations: dict[str, Population] = {p.id: p for p in records.populations}
        self.regimens: dict[str, Regimen] = {r.id: r for r in records.regimens}
        self.names = names if names is not None else NameIndex(records.entities)
        self._index: SearchIndex | None = None
        self._rdf: Graph | None = None

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__}: {len(self.entities)} entities, {len(self.table)} statements, "
            f"{len(self.findings)} findings, {len(self.sources)} sources>"
        )

    @property
    def index(self) -> SearchIndex:
        """The search index of the statements (made on first use: the engine is imported for questions only)."""
        if self._index is None:
            from kg.search import SearchIndex  # (the engine: imported for a question, not for a load)

            moving = schema().circulating
            self._index = SearchIndex(self.table, (e.id for e in self.records.entities if e.category in moving))
        return self._index

    @index.setter
    def index(self, index: SearchIndex) -> None:
        self._index = index

    # ------------------------------------------------------------------ the views
    @cached_property
    def curation(self) -> Curation:
        """Every record, statements included (made on first use: costly on a large graph)."""
        return replace(self.records, statements=tuple(self.table))

    @property
    def rdf(self) -> Graph:
        """The RDF master copy (rdflib), built on first use."""
        if self._rdf is None:
            from kg.sources.rdfgraph import build_graph  # (rdflib: imported when the RDF is asked for)

            self._rdf = build_graph(self.curation)
        return self._rdf

    def rdf_copy(self) -> Graph:
        """A graph of its own holding exactly :attr:`rdf`'s triples (changing it leaves ``rdf`` as it is).

        Built anew while ``rdf`` has not been (a build costs less than copying one), else copied from it.
        """
        from kg.sources.rdfgraph import build_graph

        if self._rdf is None:
            return build_graph(self.curation)
        copy = build_graph(Curation(), with_ontology=False)  # the same prefixes bound, no triples
        for triple in self._rdf:
            copy.add(triple)
        return copy

    @cached_property
    def nx(self) -> nx.MultiDiGraph:
        """The causal projection (networkx), built on first use; see :mod:`kg.store.projection`."""
        from kg.store.projection import project  # networkx is imported only when a projection is asked for

        return project(self.curation)

    # ------------------------------------------------------------------ names
    def resolve(self, name: str) -> Entity:
        """The entity for a CURIE, label, synonym or abbreviation (case-insensitive).

        Raises :class:`~kg.errors.UnknownEntityError` (a ``KeyError``) with close matches.

        >>> import kg
        >>> kg.load().resolve("aromatase").id
        'HGNC:2594'
        """
        return self.names.resolve(name)

    def search(self, text: str, limit: int = 20) -> list[Entity]:
        """Entities whose names match ``text``, best first.

        >>> import kg
        >>> kg.load().search("anastro")[0].label
        'anastrozole'
        """
        if not isinstance(text, str):
            raise QueryError(f"search text must be a string, not {type(text).__name__}")
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise QueryError(f"limit must be a positive whole number, not {limit!r}")
        return self.names.search(text, limit=limit)

    def label(self, curie: str) -> str:
        """The label of an entity, population or regimen (the CURIE itself if unknown)."""
        if curie in self.entities:
            return self.entities[curie].label
        if curie in self.populations:
            return self.populations[curie].label
        if curie in self.regimens:
            return self.regimens[curie].label
        return curie

    def rdf_label(self, predicate: str) -> str:
        """The ontology label of a predicate slug (``agonist_of`` -> ``is agonist of``)."""
        info = schema().predicates.get(predicate)
        return info.label if info else predicate.replace("_", " ")

    def context(self, context: ContextLike) -> Context:
        """Parse a context (population name/CURIE or qualifier mapping) against this graph."""
        return Context.parse(context, self.populations, names=self.resolve)

    @cached_property
    def therapies(self) -> frozenset[str]:
        """Every value of a ``therapy`` qualifier in a statement context or a population (what may narrow a scope).

        >>> import kg
        >>> "HKG:testosterone_therapy" in kg.load().therapies
        True
        """
        values = {c.get("therapy") for c in self.table.contexts}
        values |= {p.qualifiers.get("therapy") for p in self.populations.values()}
        return frozenset(v for v in values if v is not None)

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        """Entity -> the entities that name it as ``broader``."""
        children: dict[str, list[str]] = {}
        for e in self.entities.values():
            for b in e.broader:
                children.setdefault(b, []).append(e.id)
        return children

    def members(self, curie: str) -> list[str]:
        """The entities that name ``curie`` as ``broader`` directly (a drug class's members), sorted."""
        return sorted(self._children.get(curie, ()))

    def narrower(self, curie: str) -> set[str]:
        """``curie`` and every entity below it through ``broader`` (lumbar-spine BMD under BMD)."""
        children = self._children
        seen, todo = {curie}, [curie]
        while todo:
            for child in children.get(todo.pop(), []):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        return seen

    def findings_for(
        self, src: str, dst: str, context: ContextLike = None, *, kinds: Iterable[str] = ("measured", "reported")
    ) -> list[Finding]:
        """Findings of intervention ``src`` on measure ``dst`` (or a narrower one) that apply in ``context``."""
        source, target = self.resolve(src), self.resolve(dst)
        return self.findings_in(source.id, target.id, self.context(context), kinds=kinds)

    def findings_in(
        self, source: str, target: str, ctx: Context, *, kinds: Iterable[str] = ("measured", "reported")
    ) -> list[Finding]:
        """:meth:`findings_for` with the entities resolved and the context parsed already."""
        measures, ctx = self.narrower(target), ctx.about(source)
        wanted = set(kinds)
        out = []
        for f in self.findings.values():
            if f.intervention != source or f.measure not in measures or f.kind not in wanted:
                continue
            restriction: Mapping[str, str] = {"population": f.population} if f.population else {}
            if ctx.admits(restriction, self.populations, finding=True):
                out.append(f)
        return sorted(out, key=lambda f: (f.kind != "measured", f.phase != "on-treatment", f.id))
