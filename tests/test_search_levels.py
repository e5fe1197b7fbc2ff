"""The reach search's per-level structures (kg.search.expand) against their plain definitions.

:class:`Seen` answers "seen, or seen with a broader person" per (node, parity) and person; with more than 64
persons it keeps one person per (node, parity) and a row only for those seen with several. :func:`first_per_state`
picks the first candidate of each state. Both are checked here against sets and dicts, for every layout the
engine uses (one word per (node, parity) or rows; rounds of scatters, then sorting), because
a wrong answer from either can leave the search's results unchanged on small graphs (a state chosen twice is only
extra work) while costing correctness or time on large ones. And the one state that looks like a dead end but is
not (an enzyme in transit, walked backward) is still expanded.
"""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import BuildError
from kg.graph import KnowledgeGraph
from kg.model import Evidence, Statement
from kg.questions.scope import scope_of
from kg.search import SearchIndex, expand
from kg.search.expand import Buffers, Seen, extend, first_per_state, next_frontier, walk_of
from kg.search.hops import EVERYTHING
from kg.search.persons import ALTS, Persons, persons_of
from kg.search.view import KEPT_BOUNDS, bound_to, signed_distances
from kg.table import StatementTable
from tests import oracle
from tests.test_engine import dense_graphs

#: persons about anyone, men, women, male mice, female mice: {} is broader than all, "male" than "male mouse"
PERSONS = Persons(
    [{}, {"sex": "male"}, {"sex": "female"}, {"sex": "male", "species": "mouse"}, {"species": "mouse"}],
    [(0,), (1,), (2,), (3,), (4,), (1, 2)],
    np.zeros(0, dtype=np.int64),
)
N_NODES = 4


def broader_sets(persons: Persons) -> list[set[int]]:
    """Per accumulation, the accumulations strictly broader (a proper subset of its qualifiers), from the dicts."""
    items = [set(a.items()) for a in persons.accs]
    return [{b for b in range(len(items)) if items[b] < items[a]} for a in range(len(items))]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.tuples(st.integers(0, 2 * N_NODES - 1), st.integers(0, 5)), max_size=8), max_size=6))
def test_seen_answers_as_sets_do_in_every_layout(batches: list[list[tuple[int, int]]]) -> None:
    """After each batch of marks, ``open`` and ``uncovered`` agree with a set of (node-parity, person) pairs."""
    n_acc = PERSONS.transitions()[2]
    assert n_acc >= 5  # the persons above and their mixtures
    broader = broader_sets(PERSONS)
    # one word per (node, parity), or rows beside one person each (starting with the usual number of rows, or one)
    for packed, rows in ((expand.PACKED, expand.ROWS), (0, expand.ROWS), (0, 1)):
        with patch.object(expand, "PACKED", packed), patch.object(expand, "ROWS", rows):
            seen = Seen(N_NODES, PERSONS)
        assert seen._packed == (packed > 0)
        marked: set[tuple[int, int]] = set()
        for batch in batches:
            batch = [(np_, a % n_acc) for np_, a in batch]
            states = np.array([(np_ << seen.shift) | a for np_, a in batch], dtype=np.intp)
            seen.mark(states.reshape(-1))
            marked |= set(batch)
            grid = [(np_, a) for np_ in range(2 * N_NODES) for a in range(n_acc)]
            nps = np.array([g[0] for g in grid], dtype=np.intp)
            accs = np.array([g[1] for g in grid], dtype=np.intp)
            expected_open = [not any((np_, b) in marked for b in broader[a] | {a}) for np_, a in grid]
            expected_uncovered = [not any((np_, b) in marked for b in broader[a]) for np_, a in grid]
            assert seen.open(nps, accs).tolist() == expected_open
            assert seen.uncovered((nps << seen.shift) | accs).tolist() == expected_uncovered


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 7), st.booleans()), max_size=40), st.booleans())
def test_first_per_state_picks_each_states_first_candidate(
    candidates: list[tuple[int, int, bool]], with_ok: bool
) -> None:
    """The positions returned are exactly each state's first candidate, in candidate order; given which walks
    are simple (``ok``), the simple ones are taken first, then the others, each in candidate order."""
    passes = [[True], [False]] if with_ok else [[True, False]]
    expected: list[int] = []
    chosen: set[tuple[int, int]] = set()
    for wanted in passes:
        for i, (np_, acc, ok) in enumerate(candidates):
            if ok in wanted and (np_, acc) not in chosen:
                chosen.add((np_, acc))
                expected.append(i)
    np_ = np.array([c[0] for c in candidates], dtype=np.intp)
    acc = np.array([c[1] for c in candidates], dtype=np.intp)
    ok = np.array([c[2] for c in candidates], dtype=np.bool_) if with_ok else None
    scratch = np.zeros(6, dtype=np.int32)
    assert first_per_state(np_, acc, ok, scratch).tolist() == expected
    assert not scratch.any()  # left as found: all zero, for the next level


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, 2 * N_NODES - 1), st.integers(0, 5)), max_size=12),
    st.lists(st.tuples(st.integers(0, 2 * N_NODES - 1), st.integers(0, 5)), max_size=12),
    st.lists(st.booleans(), min_size=N_NODES, max_size=N_NODES),
)
def test_next_frontier_keeps_the_states_that_can_go_on(
    earlier: list[tuple[int, int]], level: list[tuple[int, int]], moves: list[bool]
) -> None:
    """A level's state is expanded unless its node is a dead end, or its (node, parity) has several states in the
    level and a person broader than its own has been seen there (the level's own states included: all are marked
    before the next frontier is chosen)."""
    n_acc = PERSONS.transitions()[2]
    broader = broader_sets(PERSONS)
    level = [(np_, a % n_acc) for np_, a in level]
    seen = Seen(N_NODES, PERSONS)
    marked = {(np_, a % n_acc) for np_, a in earlier} | set(level)
    seen.mark(np.array([(np_ << seen.shift) | a for np_, a in sorted(marked)], dtype=np.intp))
    per_np = {np_: sum(1 for other, _ in level if other == np_) for np_, _ in level}
    expected = [
        i
        for i, (np_, a) in enumerate(level)
        if moves[np_ >> 1] and not (per_np[np_] > 1 and any((np_, b) in marked for b in broader[a]))
    ]
    states = np.array([(np_ << seen.shift) | a for np_, a in level], dtype=np.intp)
    scratch = np.zeros(2 * N_NODES, dtype=np.int32)
    got = next_frontier(seen, states, np.array(moves, dtype=np.bool_), scratch)
    assert got.tolist() == expected
    assert not scratch.any()


def test_a_level_compiled_from_another_source_is_refused() -> None:
    """kg.search._level records the SHA-256 of the source it was built from; a checkout whose
    kg/search/_level.c differs (edited, not rebuilt) gets a BuildError that says what to run, not stale answers."""
    expand._check_build()  # the build in use is the source's
    with patch.object(expand._level, "SOURCE_SHA256", "0" * 64), pytest.raises(BuildError, match="pip install -e"):
        expand._check_build()


def test_the_compiled_level_refuses_arrays_of_other_types_or_lengths() -> None:
    """Arrays of the wrong item size, or of lengths that do not match, are refused with an error that names
    them; nothing is written."""
    out, np_ = np.full(3, 7, dtype=np.int64), np.array([0, 1, 0], dtype=np.int64)
    scratch, chain = np.zeros(2, dtype=np.int32), np.zeros(3, dtype=np.int32)
    with pytest.raises(TypeError, match="acc is not an array of 8-byte items"):
        expand._level.first_per_state(out, np_, np.zeros(8, dtype=np.uint8), None, scratch, chain)
    with pytest.raises(ValueError, match="different lengths"):
        expand._level.first_per_state(out, np_, np.zeros(2, dtype=np.int64), None, scratch, chain)
    assert out.tolist() == [7, 7, 7] and not scratch.any()


def test_upstream_passes_an_enzyme_whose_reaction_names_no_substrate() -> None:
    """Backward, a walk that reaches an enzyme by the product hop of its reaction goes on through the enzyme's
    own hops, also when no statement names the reaction's substrate (the enzyme in transit then has no hop of
    its own: a dead end only in appearance, so the search must still expand it). The rule is the oracle's."""
    ev = (Evidence("src:a", "t"),)
    statements = [
        Statement("p", "HKG:ENZ", "produces", "HKG:P", 1, ("src:a",), ev, reaction="r"),
        Statement("x", "HKG:X", "increases", "HKG:ENZ", 1, ("src:a",), ev),
        Statement("y", "HKG:Y", "decreases", "HKG:X", -1, ("src:a",), ev),
    ]
    best, stopped = oracle.CausalIndex(statements).reach("HKG:P", lambda s: True, reverse=True)
    assert not stopped and {("HKG:X", 1), ("HKG:Y", -1)} <= set(best)
    index = SearchIndex.build(statements)
    found = index.reach("HKG:P", reverse=True)
    assert found is not None and not found.truncated
    assert {(index.table.nodes[k >> 1], -1 if k & 1 else 1) for k in found.keys.tolist()} == set(best)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.sampled_from([1, -1])), min_size=1, max_size=30),
    st.lists(st.integers(0, 7), min_size=1, max_size=12),
)
def test_kept_bounds_are_the_signed_distances_of_their_target(
    edges: list[tuple[int, int, int]], targets: list[int]
) -> None:
    """A path search's bound (the signed distances to its target) is kept for a view's last few targets: asked in
    any order, more targets than are kept, it is always the target's own, and no search can write into it."""
    ev = (Evidence("src:a", "t"),)
    statements = [
        Statement(f"s{i}", f"HKG:n{u}", "increases" if sign > 0 else "decreases", f"HKG:n{v}", sign, ("src:a",), ev)
        for i, (u, v, sign) in enumerate(edges)
    ]
    view = SearchIndex.build(statements).view(EVERYTHING)
    nodes = view.table.node_index
    for t in targets:
        node = nodes.get(f"HKG:n{t}")
        if node is None:
            continue
        kept = bound_to(view, node, 6)
        assert np.array_equal(kept, signed_distances(view, node, 6, reverse=True))
        assert not kept.flags.writeable
        assert len(view.bounds) <= KEPT_BOUNDS


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_extend_makes_the_walks_its_definition_makes(data: st.DataObject) -> None:
    """One level's fresh walks, against the definition written out over the walk graph and the person tables: for
    each state in order its hops about anyone, then for each state its other hops, one walk per person alternative
    (:meth:`Persons.transitions`, in order); backward, an enzyme in transit also through the enzyme's own hops;
    kept when the (node, parity) is open to everyone so far (``open0``), not cut, and not seen with the walk's
    person or a broader one."""
    cur = data.draw(dense_graphs())
    reverse = data.draw(st.booleans())
    g = KnowledgeGraph(cur, StatementTable.from_statements(cur.statements))
    scope = scope_of(g, g.context(data.draw(st.sampled_from([None, {"sex": "female"}]))))
    view = g.index.view(scope)
    persons = persons_of(view, scope.person, reverse)
    walk = walk_of(view, reverse, persons)
    n_np = 2 * len(walk.real_of)
    seen = Seen(len(walk.real_of), persons)
    width = seen.width
    n_acc = persons.transitions()[2]
    state = st.tuples(st.integers(0, n_np - 1), st.integers(0, n_acc - 1))
    seen.mark(np.array([(s << seen.shift) | a for s, a in data.draw(st.lists(state, max_size=10))], dtype=np.intp))
    states = [(s << seen.shift) | a for s, a in data.draw(st.lists(state, min_size=1, max_size=10))]
    open0 = np.array(data.draw(st.lists(st.booleans(), min_size=n_np, max_size=n_np)), dtype=np.bool_)
    cut = data.draw(st.none() | st.lists(st.booleans(), min_size=view.n_real, max_size=view.n_real))
    ptr, to, _ = persons.transitions()

    expected = []
    for edges, personal in ((walk.plain, False), (walk.personal, True)):
        runs = [(i, x >> 1, x & 1) for i, x in enumerate(s >> seen.shift for s in states)]
        if reverse:  # then the enzymes in transit, through the enzyme's own hops
            runs += [(i, int(walk.real_of[node]), parity) for i, node, parity in runs if node >= view.n_real]
        for i, node, parity in runs:
            acc = states[i] & (width - 1)
            for e in range(int(edges.ptr[node]), int(edges.ptr[node + 1])):
                step, hop, sig = (int(v) for v in edges.entries[e + parity * edges.n])
                if not open0[step] or (cut is not None and cut[int(walk.real_of[step >> 1])]):
                    continue
                pair = sig * n_acc + acc
                alternatives = [int(a) for a in to[ptr[pair] : ptr[pair + 1]]] if personal else [acc]
                for k, after in enumerate(alternatives):
                    if seen.open(np.array([step]), np.array([after]))[0]:
                        expected.append((i, hop * ALTS + k, step, after))
    cut_array = None if cut is None else np.array(cut, dtype=np.bool_)
    got = extend(walk, np.array(states, dtype=np.intp), open0, cut_array, seen, persons, Buffers(1))
    assert list(zip(*(a.tolist() for a in got), strict=True)) == expected
