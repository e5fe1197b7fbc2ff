"""A graph held by a SPARQL server: ``kg.load(endpoint=URL)`` returns a handle whose questions are pushed down.

The handle is the same class as a local graph (:class:`kg.KnowledgeGraph`), with :class:`OverEndpoint` in
front: each question resolves its names on the server, reads the neighbourhood it needs
(:mod:`kg.store.pushdown`) into a local graph of the same class, and asks it there — the same engine, the
same answers. A question between two entities is asked *deepening*: first on the walks of the fewest steps
that join them, then one step longer while its index (:class:`~kg.store.watch.Watched`) says a search needed
more, or a ball around a node that was not read — so a question that finds its answer in four steps never
reads the walks of six. ``g.sparql`` runs on the server; ``g.local()`` downloads a full local copy (the only
thing that does). The handle holds the populations and regimens, and ``entities`` holds the entities
questions have read so far (for labels); its ``statements`` are empty. Both are dropped when the server's
data change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, NoReturn, TypeVar, cast

from kg.errors import EndpointError, QueryError, UnknownEntityError
from kg.limits import LOOP_LENGTH, MAX_LENGTH, MAX_LENGTH_LIMIT
from kg.model import Curation
from kg.search import SearchIndex
from kg.store.endpoint import Endpoint, register, registered
from kg.store.names import RemoteNames
from kg.store.pushdown import Neighbourhoods, Plan, Questions
from kg.store.remote import DEFAULT_TIMEOUT, EndpointLike, fetch
from kg.store.store import Store
from kg.store.watch import Ball
from kg.store.wire import empty_table

__all__ = ["FEEDBACK_STEPS", "OverEndpoint", "over_endpoint"]

#: How far the feedback rule of ``effect`` looks around the source and target (``kg.questions.effect.LOOP_OUT``).
FEEDBACK_STEPS = 2

S = TypeVar("S", bound=Store)
T = TypeVar("T")
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

    def _between(
        self,
        src: str,
        dst: str,
        max_length: int,
        ask: Callable[[Questions, str, str], T],
        *,
        findings: bool,
        quotes: bool = False,
    ) -> T:
        """``ask(local graph, source, target)`` on the walks from ``src`` to ``dst``, deepened until it is exact.

        The first level is the fewest steps that join them (``max_length`` when none does); the next level is
        read while some search was short, and a level is read again while its searches wanted balls not read
        (or read for fewer nodes than their paths pass).
        ``findings``: the question also reads the findings of the source and its members (``effect``);
        ``quotes``: and those citing the sources of its statements (``explain`` quotes by whom they studied).
        """
        source, seeds = self._seeds(src)
        target = self.resolve(dst).id
        hood = self.over.between(seeds, [target], findings=findings, quotes=quotes)
        level = hood.walks.distance(max_length) or max_length
        balls: set[Ball] = set()
        near: set[str] = set()  # the nodes the balls were read for: those the paths found pass
        while True:
            local, watch = hood.at(level, balls, near)
            self.entities.update(local.entities)  # labels of what the answers name
            answer = ask(cast(Questions, local), source, target)
            if watch.foreign:
                raise QueryError(f"over an endpoint, {watch.foreign[0]} cannot be answered from the walks read")
            if not watch.wants <= balls or (balls and not watch.on_paths <= near):
                balls |= watch.wants  # a ball wanted here is wanted deeper too (the same searches run first)
                near |= watch.on_paths
                if hood.grows(level, balls, near):
                    # a search after a reach may have been short only for want of the ball: ask again at this
                    # level, unless one before any reach was short (then the next level is needed anyway)
                    level += watch.short_early and level < max_length
                    continue
                # the balls hold no step into the paths' new nodes: this graph was already the complete one
            if not (watch.short and level < max_length):
                return answer
            level += 1

    def causal_paths(self, src: str, dst: str, *, max_length: int = MAX_LENGTH, **options: Any) -> Any:
        """:meth:`kg.KnowledgeGraph.causal_paths`, on the walks from ``src`` to ``dst`` read from the server."""
        bad = self._checked(max_length, src, dst)
        if bad is not None:
            return bad.causal_paths(src, dst, max_length=max_length, **options)
        return self._between(
            src, dst, max_length, lambda g, s, t: g.causal_paths(s, t, max_length=max_length, **options), findings=False
        )

    def effect(self, src: str, dst: str, *, max_length: int = MAX_LENGTH, **options: Any) -> Any:
        """:meth:`kg.KnowledgeGraph.effect`, on the neighbourhood it needs, read from the server.

        Its subgroups (read on first use) are found the same way, deepened on their own.
        """
        bad = self._checked(max_length, src, dst)
        if bad is not None:
            return bad.effect(src, dst, max_length=max_length, **options)

        def ask(g: Questions, s: str, t: str) -> Any:
            return g.effect(s, t, max_length=max_length, **options)

        def subgroups() -> Any:
            return self._between(src, dst, max_length, lambda g, s, t: ask(g, s, t).subgroups, findings=True)

        return replace(self._between(src, dst, max_length, ask, findings=True), subgroup_search=subgroups)

    def explain(self, src: str, dst: str, **options: Any) -> str:
        """:meth:`kg.KnowledgeGraph.explain`, on the neighbourhood it needs, read from the server."""
        return self._between(
            src, dst, MAX_LENGTH, lambda g, s, t: g.explain(s, t, **options), findings=True, quotes=True
        )

    def compare(self, src: str, dst: str, contexts: Sequence[Any]) -> Any:
        """:meth:`kg.KnowledgeGraph.compare`: every context answered on one neighbourhood (deepened for all)."""
        return self._between(src, dst, MAX_LENGTH, lambda g, s, t: g.compare(s, t, contexts), findings=True)

    def neighbourhood(self, src: str, dst: str, *, max_length: int = MAX_LENGTH) -> Any:
        """A local graph of the walks of at most ``max_length`` steps from ``src`` to ``dst`` (to ask several things).

        It holds what ``effect`` reads: the findings of ``src`` and its members, and the feedback rule's balls.
        """
        _, seeds = self._seeds(src)
        target = self.resolve(dst).id
        balls = {(target, True, FEEDBACK_STEPS), *((s, False, FEEDBACK_STEPS) for s in seeds)}
        local = self.over.between(seeds, [target], findings=True).walked(max_length, balls)
        self.entities.update(local.entities)
        return local

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
        local = self.over.between([node], [node], findings=False).walked(max_length)  # the cycles through it
        self.entities.update(local.entities)
        return cast(Questions, local).feedback_loops(node, max_length=max_length, **options)

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
    ep = Endpoint.of(endpoint)
    if ep.query not in registered():  # later loads of the bare URL use these settings; never overridden here
        register(ep)
    over: Neighbourhoods[S] = Neighbourhoods(ep, into, timeout=timeout)
    over.refresh()
    if not over.holds_data():
        where = f" in graph <{ep.graph}>" if ep.graph else ""
        raise EndpointError(f"{ep.query} holds no hormone-kg entities or statements{where} (push a graph first)")
    cls = _classes.get(into)
    if cls is None:
        cls = _classes[into] = type(into.__name__, (OverEndpoint, into), {"__module__": into.__module__})
    names = RemoteNames(over.names)
    handle = cast(S, cls(over.background_records(), empty_table(), names=names, endpoint=ep.query))
    cast(OverEndpoint, handle).over = over
    return handle
