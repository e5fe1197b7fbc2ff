"""The :class:`KnowledgeGraph`: one loaded, validated graph and the questions you can ask it.

>>> import kg
>>> g = kg.load()
>>> g.resolve("E2").id
'CHEBI:16469'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from kg.context import Context, ContextLike
from kg.model import Curation, Entity, Finding, Population, Regimen, Source, Statement
from kg.resolve import NameIndex

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from rdflib import Graph

    from kg.results import Effect, LoopList, PathList, Reach

__all__ = ["KnowledgeGraph"]


class KnowledgeGraph:
    """A validated curation with its RDF master copy (``rdf``) and causal projection (``nx``).

    Build one with :func:`kg.load`; it is read-only by convention (``load`` again to add files).
    """

    def __init__(
        self,
        curation: Curation,
        *,
        rdf: Graph | None = None,
        endpoint: str | None = None,
        index: Any = None,
        names: NameIndex | None = None,
    ) -> None:
        self.curation = curation
        self._rdf = rdf
        #: the SPARQL endpoint this graph was loaded from (``kg.load(endpoint=...)``), else None
        self.endpoint = endpoint
        if index is not None:
            self.__dict__["index"] = index
        self.entities: dict[str, Entity] = {e.id: e for e in curation.entities}
        self.statements: Mapping[str, Statement] = {s.id: s for s in curation.statements}
        self.findings: dict[str, Finding] = {f.id: f for f in curation.findings}
        self.sources: dict[str, Source] = {s.id: s for s in curation.sources}
        self.populations: dict[str, Population] = {p.id: p for p in curation.populations}
        self.regimens: dict[str, Regimen] = {r.id: r for r in curation.regimens}
        self.names = names if names is not None else NameIndex(curation.entities)  # names: built for these entities

    def __repr__(self) -> str:
        return (
            f"<KnowledgeGraph: {len(self.entities)} entities, {len(self.statements)} statements, "
            f"{len(self.findings)} findings, {len(self.sources)} sources>"
        )

    # ------------------------------------------------------------------ the two views
    @property
    def rdf(self) -> Graph:
        """The RDF master copy (rdflib), built on first use."""
        if self._rdf is None:
            from kg.build import build_graph

            self._rdf = build_graph(self.curation)
        return self._rdf

    @cached_property
    def nx(self) -> nx.MultiDiGraph:
        """The causal projection (networkx), built on first use; see :mod:`kg.projection`."""
        from kg.projection import project

        return project(self.curation)

    @cached_property
    def index(self) -> Any:
        """The compiled, read-only index that queries run on (see :mod:`kg.engine`).

        Anything with the same ``paths`` / ``reach`` / ``cycles`` methods may be passed as ``index=``.
        """
        from kg.engine import CausalIndex

        return CausalIndex.build(self.curation.statements)

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
        from kg.errors import QueryError

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
        from kg.ontology import schema

        info = schema().predicates.get(predicate)
        return info.label if info else predicate.replace("_", " ")

    def context(self, context: ContextLike) -> Context:
        """Parse a context (population name/CURIE or qualifier mapping) against this graph."""
        return Context.parse(context, self.populations)

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        """Entity -> the entities that name it as ``broader``."""
        children: dict[str, list[str]] = {}
        for e in self.entities.values():
            for b in e.broader:
                children.setdefault(b, []).append(e.id)
        return children

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

    # ------------------------------------------------------------------ questions (kg.query)
    def causal_paths(
        self,
        src: str,
        dst: str,
        *,
        max_length: int = 6,
        context: ContextLike = None,
        sign: int | None = None,
        limit: int = 50,
    ) -> PathList:
        """Signed simple paths from ``src`` to ``dst``, shortest and best-supported first."""
        from kg.query import causal_paths

        return causal_paths(self, src, dst, max_length=max_length, context=context, sign=sign, limit=limit)

    def effect(self, src: str, dst: str, *, context: ContextLike = None, max_length: int = 6) -> Effect:
        """The predicted and observed effect of ``src`` on ``dst`` in ``context``."""
        from kg.query import effect

        return effect(self, src, dst, context=context, max_length=max_length)

    def downstream(
        self, src: str, *, change: str = "decrease", context: ContextLike = None, max_length: int = 6
    ) -> Reach:
        """Everything reachable from ``src`` when it changes, with its predicted direction."""
        from kg.query import downstream

        return downstream(self, src, change=change, context=context, max_length=max_length)

    def upstream(self, dst: str, *, context: ContextLike = None, max_length: int = 6) -> Reach:
        """Everything that reaches ``dst``, with the direction in which raising it moves ``dst``."""
        from kg.query import upstream

        return upstream(self, dst, context=context, max_length=max_length)

    def feedback_loops(
        self, entity: str | None = None, *, context: ContextLike = None, max_length: int = 8
    ) -> LoopList:
        """Signed cycles (negative or positive feedback), optionally through ``entity``, in ``context``."""
        from kg.query import feedback_loops

        return feedback_loops(self, entity, context=context, max_length=max_length)

    def compare(self, src: str, dst: str, contexts: Sequence[ContextLike]) -> pd.DataFrame:
        """One row per context: predicted and observed direction, magnitude, findings and sources."""
        from kg.query import compare

        return compare(self, src, dst, contexts)

    def explain(self, src: str, dst: str, *, context: ContextLike = None) -> str:
        """The mechanism from ``src`` to ``dst`` as prose, step by step, with citations."""
        from kg.explain import explain

        return explain(self, src, dst, context=context)

    def sparql(self, query: str, **bindings: Any) -> list[dict[str, Any]]:
        """Run a SPARQL query on the RDF master copy; ``bindings`` are bound, never pasted into the text."""
        from kg.sparql import run_query

        return run_query(self, query, bindings)

    def findings_for(
        self, src: str, dst: str, context: ContextLike = None, *, kinds: Iterable[str] = ("measured", "reported")
    ) -> list[Finding]:
        """Findings of intervention ``src`` on measure ``dst`` (or a narrower one) that apply in ``context``."""
        source, target = self.resolve(src), self.resolve(dst)
        ctx = self.context(context)
        measures = self.narrower(target.id)
        wanted = set(kinds)
        out = []
        for f in self.findings.values():
            if f.intervention != source.id or f.measure not in measures or f.kind not in wanted:
                continue
            restriction: Mapping[str, str] = {"population": f.population} if f.population else {}
            if ctx.admits(restriction, self.populations):
                out.append(f)
        return sorted(out, key=lambda f: (f.kind != "measured", f.phase != "on-treatment", f.id))
