"""The bounds kg.search.resolve settles a reach's hard keys under, against their definitions.

A key a breadth-first reach met only on walks that repeat a node is searched depth first, pruned by two relaxed
distances: from the start (``_from_start``) and to the key (``_need``), each over every hop whoever it is about, with
no rule but the sign. Both are written out here as plain breadth-first searches over the same arrays.
"""

from __future__ import annotations

from collections import deque

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.graph import KnowledgeGraph
from kg.model import Curation
from kg.questions.scope import scope_of
from kg.search import resolve
from kg.search.budget import Budget
from kg.search.view import View
from kg.table import IntArray, StatementTable
from tests.test_engine import dense_graphs

FAR = int(resolve._FAR)


def plain_distances(
    ptr: IntArray, tgt: IntArray, hop: IntArray, odd: IntArray, n: int, s: int, limit: int
) -> list[int]:
    """Hops from state 2·s to each of the 2·n (node, parity) states, breadth first; limit + 1: more than ``limit``."""
    dist = [limit + 1] * (2 * n)
    dist[2 * s] = 0
    queue = deque([2 * s])
    while queue:
        state = queue.popleft()
        if dist[state] == limit:
            continue
        for e in range(int(ptr[state >> 1]), int(ptr[(state >> 1) + 1])):
            nxt = 2 * int(tgt[e]) + ((state & 1) ^ int(odd[hop[e]]))
            if dist[nxt] > dist[state] + 1:
                dist[nxt] = dist[state] + 1
                queue.append(nxt)
    return dist


def graph_from_start(view: View, reverse: bool) -> tuple[IntArray, IntArray, IntArray, int]:
    """The graph ``_from_start`` walks: forward over the expanded nodes, backward over the reference's rule."""
    if reverse:
        return view.u_r_ptr, view.u_r_tgt, view.u_r_hop, view.n_real
    return view.f_ptr, view.f_tgt, view.f_hop, view.n_expanded


def about_women(cur: Curation) -> tuple[KnowledgeGraph, View]:
    """The graph and its view about women (the statements about men left out)."""
    g = KnowledgeGraph(cur, StatementTable.from_statements(cur.statements))
    return g, g.index.view(scope_of(g, g.context({"sex": "female"})))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dense_graphs(), st.integers(1, 6), st.data())
def test_hops_from_the_start_are_a_plain_breadth_first_search(cur: Curation, limit: int, data: st.DataObject) -> None:
    """Each state's hops from the start, exact up to ``limit`` (more is "more than limit"), and one expansion charged
    per hop that leaves a state nearer than ``limit`` (the hops tried)."""
    g, view = about_women(cur)
    s = data.draw(st.integers(0, len(g.table.nodes) - 1))
    for reverse in (False, True):
        ptr, tgt, hop, n = graph_from_start(view, reverse)
        expected = plain_distances(ptr, tgt, hop, view.odd_hop, n, s, limit)
        budget = Budget()
        got = resolve._from_start(view, s, limit, reverse, budget)
        assert [min(int(d), limit + 1) for d in got] == expected
        tried = sum(int(ptr[(x >> 1) + 1] - ptr[x >> 1]) for x, d in enumerate(expected) if d < limit)
        assert budget.work - budget.left == tried


def plain_bound(
    view: View, keys: list[int], limit: int, depth: int, avoid: list[int], reverse: bool, s: int, start: IntArray
) -> tuple[list[int], int]:
    """_need's definition: hops back from ``keys`` (``depth``) over every hop, never through ``avoid`` or the start's
    node (a state there gets its hops, as the first of a walk); a state only when the start reaches it within
    ``limit`` minus its hops; FAR: none. And the hops tried: those into each state a level goes on from."""
    real_of, back_ptr, back_tgt, back_hop = resolve._back_graph(view, reverse)
    need = [FAR] * (2 * len(real_of))
    for k in keys:
        need[k] = depth
    level, tried = list(keys), 0
    for d in range(depth + 1, limit + 1):
        nxt = []
        for state in level:
            tried += int(back_ptr[(state >> 1) + 1] - back_ptr[state >> 1])
            for e in range(int(back_ptr[state >> 1]), int(back_ptr[(state >> 1) + 1])):
                prev = 2 * int(back_tgt[e]) + ((state & 1) ^ int(view.odd_hop[back_hop[e]]))
                node = prev >> 1
                if start[prev] + d > limit or need[prev] != FAR or (node in avoid and real_of[node] != s):
                    continue
                need[prev] = d
                if node not in avoid and real_of[node] != s:
                    nxt.append(prev)
        level = nxt
    return need, tried


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dense_graphs(), st.integers(1, 6), st.data())
def test_the_bound_to_the_keys_is_a_plain_backward_search(cur: Curation, limit: int, data: st.DataObject) -> None:
    """Each state's hops to the keys, from keys ``depth`` hops from the end, with nodes left out, and one expansion
    charged per hop tried (the hops into each state of a level that goes on)."""
    g, view = about_women(cur)
    s = data.draw(st.integers(0, len(g.table.nodes) - 1))
    for reverse in (False, True):
        real_of = resolve._back_graph(view, reverse)[0]
        n_states = 2 * len(real_of)
        keys = sorted(data.draw(st.sets(st.integers(0, n_states - 1), min_size=1, max_size=3)))
        keys = [k for k in keys if real_of[k >> 1] != s]
        avoid = sorted(data.draw(st.sets(st.integers(0, len(real_of) - 1), max_size=2)) - {k >> 1 for k in keys})
        depth = data.draw(st.integers(0, limit - 1))
        start = resolve._from_start(view, s, limit, reverse, Budget())
        budget = Budget()
        got = resolve._need(view, keys, limit, reverse, s, start, budget, avoid, depth)
        expected, tried = plain_bound(view, keys, limit, depth, avoid, reverse, s, start)
        assert got.tolist() == expected
        assert budget.work - budget.left == tried
