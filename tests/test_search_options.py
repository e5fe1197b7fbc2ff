"""The path search's two ways of making fewer paths, each against its definition in terms of the plain search.

- ``through=T, among=A`` (the routes an effect shows as cut): the first ``limit`` of the plain search's first ``A``
  paths that enter a node of ``T`` after their first step.
- ``whole=True`` (a feedback loop set apart only when every path of a sign is known): the plain search's paths
  when it finished within its work and below ``limit``; else none, and ``truncated``.
- With summaries, the paths after the mechanisms: those a search making every path gives (``taking`` makes only
  those that take a summary).

On random graphs with contexts, reactions, negation and summaries (the search then asks the mechanisms first), with
work budgets small enough to cut searches short.
"""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.graph import KnowledgeGraph
from kg.model import Curation, Evidence, Statement
from kg.questions.scope import scope_of
from kg.search.budget import Budget
from kg.search.hops import Scope, SearchResult
from kg.search.index import passing
from kg.search.paths import find_paths
from kg.search.rules import blocked_by, without_own_mediators
from kg.search.view import View
from kg.table import StatementTable
from tests.test_engine import DENSE_NODES, NODES, curation, dense_graphs, graphs, raw_signed

WORK = [30, 120, 600, 2_000_000]


@st.composite
def with_summaries(draw: st.DrawFn, at_least: int = 0) -> Curation:
    """A random graph (tests/test_engine.py: small, or dense and full of cycles) and, sometimes, summaries: net
    effects via some of its nodes."""
    cur, nodes = draw(st.sampled_from([(graphs(), NODES), (dense_graphs(), DENSE_NODES)]).flatmap(
        lambda pick: st.tuples(pick[0], st.just(pick[1]))
    ))  # fmt: skip
    summaries = [
        Statement(
            f"t{i}", draw(st.sampled_from(nodes)), pred, draw(st.sampled_from(nodes)), 1 if pred == "increases" else -1,
            ("src:a",), (Evidence("src:a", f"net {i}"),), summary=True,
            via=tuple(draw(st.lists(st.sampled_from(nodes), max_size=2, unique=True))),
        )
        for i, pred in enumerate(draw(st.lists(st.sampled_from(["increases", "decreases"]), min_size=at_least,
                                               max_size=4)))
    ]  # fmt: skip
    return curation([*cur.statements, *summaries])


def pairs(nodes: list[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Some (source, target) pairs (most have few paths or none: several per graph)."""
    return st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)), min_size=1, max_size=8, unique=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_summaries(), st.sampled_from([None, {"sex": "female"}]), st.data())
def test_the_paths_through_are_those_of_the_plain_search(cur: Curation, context: object, data: st.DataObject) -> None:
    g = KnowledgeGraph(cur, StatementTable.from_statements(cur.statements))
    scope = scope_of(g, g.context(context))
    nodes = sorted(g.entities)
    through = data.draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=3, unique=True))
    limit, among, work = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 8)), data.draw(st.sampled_from(WORK))
    for src, dst in data.draw(pairs(nodes)):
        for fixed in (False, True):
            plain = g.index.paths(src, dst, scope, limit=among, work=work, fixed=fixed)
            got = g.index.paths(src, dst, scope, limit=limit, work=work, fixed=fixed, through=through, among=among)
            assert raw_signed(got.paths) == raw_signed(passing(plain.paths, through)[:limit])


def asked(
    cur: Curation, context: object, data: st.DataObject
) -> tuple[KnowledgeGraph, Scope, int, int, list[tuple[tuple[str, str], int | None]]]:
    """The graph of ``cur``, the scope of ``context``, a limit, a work budget and some (pair, sign) questions."""
    g = KnowledgeGraph(cur, StatementTable.from_statements(cur.statements))
    limit, work = data.draw(st.integers(1, 12)), data.draw(st.sampled_from(WORK))
    questions = list(itertools.product(data.draw(pairs(sorted(g.entities))), (None, 1, -1)))
    return g, scope_of(g, g.context(context)), limit, work, questions


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_summaries(), st.sampled_from([None, {"sex": "female"}]), st.data())
def test_a_whole_search_gives_every_path_or_none(cur: Curation, context: object, data: st.DataObject) -> None:
    g, scope, limit, work, questions = asked(cur, context, data)
    for (src, dst), sign in questions:
        plain = g.index.paths(src, dst, scope, sign=sign, limit=limit, work=work)
        whole = g.index.paths(src, dst, scope, sign=sign, limit=limit, work=work, whole=True)
        if plain.truncated or len(plain.paths) >= limit:
            assert whole.truncated and not whole.paths
        else:
            assert not whole.truncated and raw_signed(whole.paths) == raw_signed(plain.paths)


def every_path_made(
    g: KnowledgeGraph, scope: Scope, src: str, dst: str, sign: int | None, limit: int, work: int
) -> SearchResult:
    """The definition: the mechanisms' paths, then the paths of a search that makes every path (summaries through
    their own mediators dropped, those of a mechanism's shape too), asking for more until ``limit`` or the end."""
    index = g.table.node_index
    s, d, view, budget = index[src], index[dst], g.index.view(scope), Budget(work)
    cut = blocked_by(view, s)

    def search(v: View, ask: int) -> SearchResult:
        return find_paths(v, scope.person, s, d, max_length=6, sign=sign, limit=ask, budget=budget, cut=cut)

    out = search(g.index.view(scope, direct=True), limit)
    seen = {(p.nodes, tuple(h.sign for h in p.hops)) for p in out.paths}
    ask = limit
    while len(out.paths) < limit and not budget.exhausted:
        more = search(view, ask)
        fresh = [p for p in map(without_own_mediators, more.paths)
                 if p is not None and (p.nodes, tuple(h.sign for h in p.hops)) not in seen]  # fmt: skip
        if len(out.paths) + len(fresh) >= limit or len(more.paths) < ask or more.truncated:
            out.paths.extend(fresh[: limit - len(out.paths)])
            out.truncated = out.truncated or more.truncated
            break
        ask *= 4
    out.truncated = out.truncated or (budget.exhausted and len(out.paths) < limit)
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_summaries(at_least=1), st.sampled_from([None, {"sex": "female"}]), st.data())
def test_the_paths_with_summaries_are_those_every_path_made_gives(
    cur: Curation, context: object, data: st.DataObject
) -> None:
    g, scope, limit, work, questions = asked(cur, context, data)
    for (src, dst), sign in questions:
        got = g.index.paths(src, dst, scope, sign=sign, limit=limit, work=work)
        defined = every_path_made(g, scope, src, dst, sign, limit, work)
        if not defined.truncated:  # (with its work spent, the definition may stop short of what the search finds)
            assert got.paths == defined.paths and not got.truncated
        assert defined.truncated or not got.truncated  # the search never does more work than the definition
