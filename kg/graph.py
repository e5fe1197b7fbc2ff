"""The :class:`KnowledgeGraph`: a loaded, validated graph and the questions you can ask it; :func:`load`.

>>> import kg
>>> g = kg.load()
>>> g.resolve("E2").id
'CHEBI:16469'
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kg.errors import QueryError
from kg.limits import DEFAULT_WORK, LIMIT, LOOP_LENGTH, MAX_LENGTH, REACH_WORK
from kg.store.load import load_store, only_origins
from kg.store.store import Store

if TYPE_CHECKING:
    import pandas as pd

    from kg.context import ContextLike
    from kg.questions.results import Effect, LoopList, PathList, Reach
    from kg.sources.progress import Progress
    from kg.store.remote import EndpointLike

__all__ = ["KnowledgeGraph", "load"]


class KnowledgeGraph(Store):
    """A validated graph (records, statement table, RDF master copy ``rdf``, projection ``nx``) and its questions.

    Build one with :func:`kg.load`. Every question resolves its names and parses its context once, is
    bounded by ``max_length`` and a work budget (``work``, counted in expansions: the same answer on any
    machine), and says when it stopped early (``truncated``); ``timeout`` (seconds) is an opt-in safety
    for interactive use, and an answer it cut says so (``timed_out``).
    """

    def causal_paths(
        self,
        src: str,
        dst: str,
        *,
        max_length: int = MAX_LENGTH,
        context: ContextLike = None,
        sign: int | None = None,
        limit: int = LIMIT,
        work: int = DEFAULT_WORK,
        timeout: float | None = None,
    ) -> PathList:
        """Signed simple paths from ``src`` to ``dst``, shortest and best-supported first.

        >>> import kg
        >>> paths = kg.load().causal_paths("testosterone", "E2", max_length=2, context="postmenopausal women")
        >>> [p.compact() for p in paths]
        ['testosterone → aromatase → 17β-estradiol']
        """
        from kg.questions.paths import causal_paths  # (each question imports its module: a load needs none)

        if limit is None:
            raise QueryError("limit must be a positive whole number, not None")
        source, target, ctx = self.resolve(src).id, self.resolve(dst).id, self.context(context)
        return causal_paths(
            self, source, target, ctx, max_length=max_length, sign=sign, limit=limit, work=work, timeout=timeout
        )

    def effect(
        self,
        src: str,
        dst: str,
        *,
        context: ContextLike = None,
        max_length: int = MAX_LENGTH,
        work: int = DEFAULT_WORK,
        timeout: float | None = None,
    ) -> Effect:
        """The predicted, observed and reported effect of raising ``src`` on ``dst`` in ``context``.

        >>> import kg
        >>> e = kg.load().effect("anastrozole", "bone mineral density", context="postmenopausal women")
        >>> e.direction, [s.who for s in e.subgroups if any(f.value == -6.08 for f in s.findings)]  # ATAC
        ('decrease', ['postmenopausal women with hormone-receptor-positive breast cancer'])
        """
        from kg.questions.effect import effect

        source, target, ctx = self.resolve(src).id, self.resolve(dst).id, self.context(context)
        return effect(self, source, target, ctx, max_length=max_length, work=work, timeout=timeout)

    def downstream(
        self,
        src: str,
        *,
        change: str = "decrease",
        context: ContextLike = None,
        max_length: int = MAX_LENGTH,
        work: int = REACH_WORK,
        timeout: float | None = None,
    ) -> Reach:
        """Everything reachable from ``src`` when it changes, with its predicted direction, nearest first.

        >>> import kg
        >>> kg.load().downstream("estradiol", change="decrease")["GO:0045453"].predicted  # bone resorption
        'increase'
        """
        from kg.questions.reach import reach

        source, ctx = self.resolve(src).id, self.context(context)
        return reach(self, source, ctx, change=change, max_length=max_length, work=work, timeout=timeout)

    def upstream(
        self,
        dst: str,
        *,
        context: ContextLike = None,
        max_length: int = MAX_LENGTH,
        work: int = REACH_WORK,
        timeout: float | None = None,
    ) -> Reach:
        """Everything with a causal path into ``dst``, with the direction in which raising it moves ``dst``.

        >>> import kg
        >>> kg.load().upstream("17β-estradiol", context="postmenopausal women")["CHEBI:2704"].predicted
        'decrease'
        """
        from kg.questions.reach import reach

        target, ctx = self.resolve(dst).id, self.context(context)
        return reach(
            self, target, ctx, change="increase", reverse=True, max_length=max_length, work=work, timeout=timeout
        )

    def feedback_loops(
        self,
        entity: str | None = None,
        *,
        context: ContextLike = None,
        max_length: int = LOOP_LENGTH,
        work: int = DEFAULT_WORK,
        timeout: float | None = None,
    ) -> LoopList:
        """Signed cycles (negative feedback first), optionally only those through ``entity``, in ``context``.

        >>> import kg
        >>> any(loop.kind == "negative" for loop in kg.load().feedback_loops("LH"))
        True
        """
        from kg.questions.loops import feedback_loops

        wanted = self.resolve(entity).id if entity is not None else None
        return feedback_loops(self, wanted, self.context(context), max_length=max_length, work=work, timeout=timeout)

    def compare(self, src: str, dst: str, contexts: Sequence[ContextLike]) -> pd.DataFrame:
        """One row per context: predicted and observed direction, magnitude, findings and sources (pandas).

        >>> import kg
        >>> women = "postmenopausal women with hormone-receptor-positive breast cancer"  # on an aromatase inhibitor
        >>> table = kg.load().compare("anastrozole", "bone resorption", [women, "men on testosterone therapy"])
        >>> list(table["magnitude"])
        ['strong', 'moderate']
        """
        import pandas as pd  # optional: only this method needs it

        from kg.questions.compare import compare_rows

        if isinstance(contexts, str | dict) or not contexts:
            raise QueryError("contexts must be a non-empty list of contexts")
        source, target = self.resolve(src).id, self.resolve(dst).id
        return pd.DataFrame(compare_rows(self, source, target, [self.context(c) for c in contexts]))

    def explain(self, src: str, dst: str, *, context: ContextLike = None) -> str:
        """The mechanism from ``src`` to ``dst`` as prose, step by step, with citations.

        >>> import kg
        >>> kg.load().explain("anastrozole", "17β-estradiol").splitlines()[0]
        'How anastrozole changes 17β-estradiol (any context): decrease.'
        """
        from kg.questions.explain import explain

        return explain(self, self.resolve(src).id, self.resolve(dst).id, self.context(context))

    def _repr_html_(self) -> str:
        """The counts of entities, statements, findings and sources, each by category (for notebooks).

        >>> import kg
        >>> "<td>Drug</td>" in kg.load()._repr_html_()
        True
        """
        from kg.questions.html import STYLE, counts_table, details, esc

        table, preds = self.table, self.table.predicates
        by_predicate = Counter(self.rdf_label(preds[i]) for i in table.predicate.tolist())
        sections = (
            ("entities", "category", Counter(e.category for e in self.entities.values())),
            ("statements", "predicate", by_predicate),
            ("findings", "kind", Counter(f.kind for f in self.findings.values())),
            ("sources", "identifier", Counter(s.split(":", 1)[0] for s in self.sources)),
        )
        where = f" (over {self.endpoint}: the entities read so far)" if self.endpoint else ""
        head = f"<p><b>{esc(repr(self).strip('<>'))}</b>{esc(where)}</p>"
        body = "".join(
            details(esc(f"{sum(c.values())} {what} by {by}"), counts_table(by, c), open_=what == "entities")
            for what, by, c in sections
        )
        return f"<div style='{STYLE}'>{head}{body}</div>"

    def sparql(self, query: str, **bindings: Any) -> list[dict[str, Any]]:
        """Run a SPARQL query on the RDF master copy (or the endpoint); ``bindings`` are bound, never pasted."""
        from kg.store.sparql import run_query  # (rdflib: imported for SPARQL, not for every question)

        return run_query(self, query, bindings)


def load(
    extra: Sequence[str | os.PathLike[str]] = (),
    *,
    validate: bool = True,
    shacl: bool = False,
    endpoint: EndpointLike | None = None,
    origins: str | Sequence[str] | None = None,
    progress: Progress | None = None,
) -> KnowledgeGraph:
    """The bundled graph plus the user's ``extra`` files (YAML or RDF of any size), validated.

    Raises :class:`~kg.errors.ValidationError` (a :class:`~kg.errors.KGError`) listing every violation if
    an extra file is malformed or breaks a rule; nothing already loaded is changed. ``shacl=True`` also runs
    the SHACL shapes. ``endpoint=URL`` (or a :class:`kg.store.endpoint.Endpoint`: preset, named graph,
    credentials) answers from the graph stored in a SPARQL 1.1 server instead, without downloading it: each
    question reads the neighbourhood it needs (:mod:`kg.store.served`; ``validate`` and ``shacl`` do not apply
    there); ``g.sparql`` runs on the server. Large imports are snapshotted in the cache folder
    (:mod:`kg.store.load`), so that loading the same files again is fast. ``origins`` keeps only the
    statements of those origins — ``"curated"``, ``"imported"``, or an import's name (:func:`kg.imports.origin_of`;
    docs/importers/README.md) — after every file is validated. ``progress(bytes read, bytes in all)`` is told
    as the extra files are read (every MiB of a large RDF file), e.g. to draw a progress bar.

    >>> import kg
    >>> kg.load().resolve("anastrozole").id
    'CHEBI:2704'
    """
    g = load_store(extra, validate=validate, shacl=shacl, endpoint=endpoint, into=KnowledgeGraph, progress=progress)
    return g if origins is None else only_origins(g, origins, KnowledgeGraph)
