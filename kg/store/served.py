"""A graph held by a SPARQL server: ``kg.load(endpoint=URL)`` returns a handle whose questions are pushed down.

The handle is the same class as a local graph (:class:`kg.KnowledgeGraph`), with :class:`OverEndpoint` in
front: each question resolves its names on the server, reads the bounded neighbourhood it needs
(:mod:`kg.store.pushdown`) into a local graph of the same class, and asks it there — the same engine, the
same answers. ``g.sparql`` runs on the server; ``g.local()`` downloads a full local copy (the only thing that
does). The handle holds the populations and regimens, and ``entities`` holds the entities questions have read
so far (for labels); its ``statements`` are empty. Both are dropped when the server's data change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn, TypeVar, cast

from kg.errors import EndpointError, QueryError, UnknownEntityError
from kg.limits import LOOP_LENGTH, MAX_LENGTH, MAX_LENGTH_LIMIT
from kg.model import Curation
from kg.search import SearchIndex
from kg.store.endpoint import Endpoint, register
from kg.store.pushdown import Neighbourhoods, Plan, Questions, RemoteNames
from kg.store.remote import DEFAULT_TIMEOUT, EndpointLike, fetch
from kg.store.store import Store
from kg.store.wire import empty_records, empty_table

__all__ = ["FEEDBACK_STEPS", "OverEndpoint", "over_endpoint"]

#: How far the feedback rule of ``effect`` looks around the source and target (``kg.questions.effect.LOOP_OUT``).
FEEDBACK_STEPS = 2

S = TypeVar("S", bound=Store)
_classes: dict[type[Any], type[Any]] = {}


class OverEndpoint(Store):
    """The questions of a graph stored at an endpoint, each answered on the neighbourhood it needs."""

    over: Neighbourhoods[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.index = Unanswered(self.table)  # the question functions must get a local graph, never this handle

    def __repr__(self) -> str:
        return f"<{type(self).__name__} over {self.over.endpoint!r}>"

    def _local(self, plan: Plan) -> Questions:
        local = self.over.subgraph(plan)
        self.entities.update(local.entities)  # labels of what the answers name
        return cast(Questions, local)

    def _refresh(self) -> None:
        if self.over.refresh():
            self.entities.clear()

    def label(self, curie: str) -> str:
        """The label of an entity (asked of the server when no question has read it yet), population or regimen."""
        if curie in self.entities or curie in self.populations or curie in self.regimens:
            return super().label(curie)
        try:
            return self.resolve(curie).label
        except UnknownEntityError:
            return curie

    def _seeds(self, name: str) -> tuple[str, list[str]]:
        self._refresh()
        curie = self.resolve(name).id
        return curie, self.over.narrower(curie)

    def _checked(self, max_length: object, *names: str) -> Questions | None:
        """A graph of just the named entities when ``max_length`` is out of range (it raises the usual QueryError)."""
        ok = isinstance(max_length, int) and not isinstance(max_length, bool) and 1 <= max_length <= MAX_LENGTH_LIMIT
        if ok:
            return None
        entities = tuple({e.id: e for e in map(self.resolve, names)}.values())
        return cast(Questions, self.over.make(Curation(entities=entities), empty_table()))

    def _between(self, src: str, dst: str, max_length: int, *, findings: bool) -> tuple[Questions, str, str]:
        source, seeds = self._seeds(src)
        target = self.resolve(dst).id
        plan = Plan.between(seeds, [target], max_length=max_length)
        if findings:  # effect: its findings, and the feedback rule's balls around the source and the target
            plan.findings_of.update(seeds)
            plan.add([target], forward=FEEDBACK_STEPS).add(seeds, backward=FEEDBACK_STEPS)
        return self._local(plan), source, target

    def causal_paths(self, src: str, dst: str, *, max_length: int = MAX_LENGTH, **options: Any) -> Any:
        """:meth:`kg.KnowledgeGraph.causal_paths`, on the neighbourhood of ``src`` and ``dst`` read from the server."""
        bad = self._checked(max_length, src, dst)
        if bad is not None:
            return bad.causal_paths(src, dst, max_length=max_length, **options)
        local, source, target = self._between(src, dst, max_length, findings=False)
        return local.causal_paths(source, target, max_length=max_length, **options)

    def effect(self, src: str, dst: str, *, max_length: int = MAX_LENGTH, **options: Any) -> Any:
        """:meth:`kg.KnowledgeGraph.effect`, on the neighbourhood it needs, read from the server."""
        bad = self._checked(max_length, src, dst)
        if bad is not None:
            return bad.effect(src, dst, max_length=max_length, **options)
        local, source, target = self._between(src, dst, max_length, findings=True)
        return local.effect(source, target, max_length=max_length, **options)

    def explain(self, src: str, dst: str, **options: Any) -> str:
        """:meth:`kg.KnowledgeGraph.explain`, on the neighbourhood it needs, read from the server."""
        local, source, target = self._between(src, dst, MAX_LENGTH, findings=True)
        return local.explain(source, target, **options)

    def compare(self, src: str, dst: str, contexts: Sequence[Any]) -> Any:
        """:meth:`kg.KnowledgeGraph.compare`: one neighbourhood read, every context answered on it."""
        local, source, target = self._between(src, dst, MAX_LENGTH, findings=True)
        return local.compare(source, target, contexts)

    def neighbourhood(self, src: str, dst: str, *, max_length: int = MAX_LENGTH) -> Any:
        """A local graph of what ``effect`` / ``compare`` of ``src`` on ``dst`` read (to ask it several things)."""
        return self._between(src, dst, max_length, findings=True)[0]

    def downstream(self, src: str, *, max_length: int = MAX_LENGTH, **options: Any) -> Any:
        """:meth:`kg.KnowledgeGraph.downstream`, on the ball of ``max_length`` steps forward of ``src``."""
        bad = self._checked(max_length, src)
        if bad is not None:
            return bad.downstream(src, max_length=max_length, **options)
        self._refresh()
        source = self.resolve(src).id
        plan = Plan().add([source], forward=max_length, backward=FEEDBACK_STEPS)  # and what drives it (its loop)
        return self._local(plan).downstream(source, max_length=max_length, **options)

    def upstream(self, dst: str, *, max_length: int = MAX_LENGTH, **options: Any) -> Any:
        """:meth:`kg.KnowledgeGraph.upstream`, on the ball of ``max_length`` steps backward of ``dst``."""
        bad = self._checked(max_length, dst)
        if bad is not None:
            return bad.upstream(dst, max_length=max_length, **options)
        self._refresh()
        target = self.resolve(dst).id
        return self._local(Plan().add([target], backward=max_length)).upstream(target, max_length=max_length, **options)

    def feedback_loops(self, entity: str | None = None, *, max_length: int = LOOP_LENGTH, **options: Any) -> Any:
        """:meth:`kg.KnowledgeGraph.feedback_loops` through ``entity`` (required over an endpoint)."""
        if entity is None:
            raise QueryError(
                "over an endpoint, feedback loops are searched through a named entity (every loop of the whole "
                "graph would need all of it): name one, or ask a local copy (g.local())"
            )
        bad = self._checked(max_length, entity)
        if bad is not None:
            return bad.feedback_loops(entity, max_length=max_length, **options)
        self._refresh()
        node = self.resolve(entity).id
        local = self._local(Plan.between([node], [node], max_length=max_length))
        return local.feedback_loops(node, max_length=max_length, **options)

    def local(self, *, validate: bool = True) -> Any:
        """A full local copy of the endpoint's graph (downloads all of it; validated; cached per revision)."""
        records, table = fetch(self.over.endpoint, timeout=self.over.timeout, validate=validate)
        return self.over.make(records, table)


class Unanswered(SearchIndex):
    """The handle's search index: any search on it is a mistake (it holds no statement), so it says so."""

    def paths(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refuse: ask the handle's own methods, which read the neighbourhood they need first."""
        raise QueryError(
            "this graph is held by a SPARQL endpoint: ask its methods (g.effect, g.causal_paths...) or "
            "g.neighbourhood(src, dst), not the question functions on the handle itself"
        )

    reach = blocked = cycles = view = paths


def over_endpoint(endpoint: EndpointLike, into: type[S], *, timeout: float = DEFAULT_TIMEOUT) -> S:
    """A handle of class ``into`` on the graph stored at ``endpoint`` (see the module docstring).

    Raises :class:`~kg.errors.EndpointError` when the server is down, answers garbage or holds no hormone-kg
    graph. Nothing but the populations and regimens is read here.
    """
    ep = register(Endpoint.of(endpoint))
    over: Neighbourhoods[S] = Neighbourhoods(ep, into, timeout=timeout)
    over.refresh()
    if not over.holds_data():
        where = f" in graph <{ep.graph}>" if ep.graph else ""
        raise EndpointError(f"{ep.query} holds no hormone-kg entities or statements{where} (push a graph first)")
    cls = _classes.get(into)
    if cls is None:
        cls = _classes[into] = type(into.__name__, (OverEndpoint, into), {"__module__": into.__module__})
    names = RemoteNames(over.resolve, over.search)
    handle = cast(S, cls(empty_records(over.background()), empty_table(), names=names, endpoint=ep.query))
    cast(OverEndpoint, handle).over = over
    return handle
