"""The reach search's per-level structures (kg.search.expand) against their plain definitions.

:class:`Seen` answers "seen, or seen with a broader person" per (node, parity) and person; with more than 64
persons it keeps one person per (node, parity) and a row only for those seen with several. :meth:`Seen.settle`
picks the first candidate of each state (the simple walks first) and marks it; :func:`next_frontier` picks the
states a level expands; :func:`extend` makes a level's walks. They are checked here against sets, dicts and the
definitions written out, for every layout the engine uses (one word per (node, parity) or rows), because a wrong
answer from one can leave the search's results unchanged on small graphs (a state chosen twice is only extra work)
while costing correctness or time on large ones. The loops are compiled (kg/search/_level.c): a build from
another version of that source is refused. And the one state that looks like a dead end but is not (an enzyme in
transit, walked backward) is still expanded. The path searches' compiled parts are here too: the signed distances
(grown as deep as asked, or until a state is reached) against a plain breadth-first search, and the first pass of
a depth (``near``) against a plain loop over the edges. And the sort the view is compiled with
(``order_by``) against ``np.lexsort``.
"""

from __future__ import annotations

import itertools
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import BuildError, QueryError
from kg.graph import KnowledgeGraph
from kg.model import Evidence, Statement
from kg.questions.scope import scope_of
from kg.search import SearchIndex, expand, native
from kg.search.expand import Buffers, Candidates, Edges, Keys, Seen, extend, next_frontier, walk_of
from kg.search.hops import EVERYTHING
from kg.search.persons import ALTS, Persons, persons_of
from kg.search.tree import Tree
from kg.search.view import KEPT_BOUNDS, UNREACHED, bound_to, signed_distances
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


def in_runs(columns: tuple[np.ndarray, ...], cuts: list[int], gap: int) -> Candidates:
    """The walks ``columns`` (owner, code, np, acc) as extend may leave them: four runs (cut at the first three of
    ``cuts``), the first two in one buffer and the last two in another, each with ``gap`` junk walks before it."""
    n = len(columns[0])
    cut = sorted(min(c, n) for c in cuts)[:3]
    bounds = [0, *cut, *([n] * (3 - len(cut))), n]
    buffers = [[np.full(2 * (n + gap), -9, dtype=np.int64) for _ in range(4)] for _ in range(2)]
    runs = []
    for k, (lo, hi) in enumerate(itertools.pairwise(bounds)):
        first = gap + (k % 2) * (n + gap)  # a buffer's second run after room for the first
        for c in range(4):
            buffers[k // 2][c][first : first + hi - lo] = columns[c][lo:hi]
        runs += [first, hi - lo]
    return Candidates(tuple(buffers[0]), tuple(buffers[1]), np.array(runs, dtype=np.int64), n)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, 2 * N_NODES - 1), st.integers(0, 5), st.booleans()), max_size=40),
    st.booleans(),
    st.sampled_from([expand.PACKED, 0]),
    st.lists(st.integers(0, 40), max_size=3),
    st.integers(0, 3),
)
def test_settle_picks_each_states_first_candidate_and_marks_it(
    candidates: list[tuple[int, int, bool]], with_ok: bool, packed: int, cuts: list[int], gap: int
) -> None:
    """The candidates kept are exactly each state's first, in candidate order, but for a state whose (node, parity)
    a state kept before it holds with a broader person (covered); given which walks are simple (``ok``), the simple
    ones are taken first, then the others, each in candidate order. Each kept state is then seen, and nothing else
    is (in both layouts of Seen, starting with one row), the candidates read from the four runs extend leaves them
    in. Each kept or set aside candidate comes with its owner's parent. The first simple candidate of each covered
    state is set aside, with the number of states kept before it (repeats of a state may be set aside too: what is
    left of them once repeats are dropped is exactly that)."""
    n_acc = PERSONS.transitions()[2]
    broader = broader_sets(PERSONS)
    candidates = [(np_, a % n_acc, ok) for np_, a, ok in candidates]
    passes = [[True], [False]] if with_ok else [[True, False]]
    expected: list[int] = []
    chosen: set[tuple[int, int]] = set()
    aside: list[tuple[int, int]] = []  # (candidate, states kept before it)
    for wanted in passes:
        for i, (np_, acc, ok) in enumerate(candidates):
            if ok not in wanted or (np_, acc) in chosen:
                continue
            if any((np_, b) in chosen for b in broader[acc]):
                if wanted == passes[0][:1] or not with_ok:  # a simple walk
                    aside.append((i, len(expected)))
                continue
            chosen.add((np_, acc))
            expected.append(i)
    first_aside = [
        a for k, a in enumerate(aside) if all(candidates[b[0]][:2] != candidates[a[0]][:2] for b in aside[:k])
    ]
    with patch.object(expand, "PACKED", packed), patch.object(expand, "ROWS", 1):
        seen = Seen(N_NODES, PERSONS)
    np_ = np.array([c[0] for c in candidates], dtype=np.int64)
    acc = np.array([c[1] for c in candidates], dtype=np.int64)
    ok = np.array([c[2] for c in candidates], dtype=np.bool_)
    cand = in_runs((np.arange(len(candidates), dtype=np.int64), np_ * 10, np_, acc), cuts, gap)  # owner: position
    parents = 1000 + 3 * np.arange(len(candidates), dtype=np.int64)[::-1]  # per owner, its parent's position
    parent, code, got_np, got_acc, got_ok, states, aside, _ = seen.settle(cand, ok if with_ok else None, parents)
    assert parent.tolist() == [parents[i] for i in expected]
    assert code.tolist() == [10 * candidates[i][0] for i in expected]
    assert list(zip(got_np.tolist(), got_acc.tolist(), strict=True)) == [candidates[i][:2] for i in expected]
    assert states.tolist() == [(candidates[i][0] << seen.shift) | candidates[i][1] for i in expected]
    assert got_ok.tolist() == [candidates[i][2] if with_ok else True for i in expected]
    got_aside = list(zip(aside.at.tolist(), aside.before.tolist(), strict=True))
    copied = zip(aside.parent.tolist(), aside.step.tolist(), aside.np.tolist(), aside.acc.tolist(), strict=True)
    assert list(copied) == [(parents[i], 10 * candidates[i][0], *candidates[i][:2]) for i, _ in got_aside]

    def met(j: int) -> tuple[bool, int]:  # when settle meets candidate j: the simple ones first (with ok)
        return (with_ok and not candidates[j][2], j)

    for i, n_before in got_aside:  # a simple candidate not kept, with the states kept before it
        assert i not in expected and (candidates[i][2] or not with_ok)
        assert n_before == sum(1 for j in expected if met(j) < met(i))
    firsts = [
        a for k, a in enumerate(got_aside) if all(candidates[b[0]][:2] != candidates[a[0]][:2] for b in got_aside[:k])
    ]
    assert [a for a in firsts if candidates[a[0]][:2] not in chosen] == first_aside
    for p in range(2 * N_NODES):
        for a in range(n_acc):
            expected_open = not any((p, b) in chosen for b in broader[a] | {a})
            assert seen.open(np.array([p]), np.array([a])).tolist() == [expected_open]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, 2 * N_NODES - 1), st.integers(0, 5)), max_size=12),
    st.lists(st.tuples(st.integers(0, 2 * N_NODES - 1), st.integers(0, 5)), max_size=12),
    st.lists(st.booleans(), min_size=N_NODES, max_size=N_NODES),
    st.sampled_from([expand.PACKED, 0]),
    st.sampled_from([2, 3, native.SPLIT_LIGHT]),
)
def test_next_frontier_keeps_the_states_that_can_go_on(
    earlier: list[tuple[int, int]], level: list[tuple[int, int]], moves: list[bool], packed: int, split: int
) -> None:
    """A level's state (one per state: what :meth:`Seen.settle` keeps of the candidates, all then marked seen) is
    expanded unless its node is a dead end, or a person broader than its own has been seen at its (node, parity)
    (the level's own states included), in both layouts of Seen; the same read by one thread or two (``split``)."""
    n_acc = PERSONS.transitions()[2]
    broader = broader_sets(PERSONS)
    before = {(np_, a % n_acc) for np_, a in earlier}
    # the level's candidates as extend makes them: none covered by a state of an earlier level
    level = [(np_, a % n_acc) for np_, a in level]
    level = [(np_, a) for np_, a in level if not any((np_, b) in before for b in broader[a] | {a})]
    with patch.object(expand, "PACKED", packed), patch.object(expand, "ROWS", 1):
        seen = Seen(N_NODES, PERSONS)
    seen.mark(np.array([(np_ << seen.shift) | a % n_acc for np_, a in earlier], dtype=np.intp))
    states_of_level: list[tuple[int, int]] = []  # each state once, in order, none covered by one before it
    for np_, a in level:
        if not any((np_, b) in states_of_level for b in broader[a] | {a}):
            states_of_level.append((np_, a))
    marked = {(np_, a % n_acc) for np_, a in earlier} | set(states_of_level)
    expected = [
        i
        for i, (np_, a) in enumerate(states_of_level)
        if moves[np_ >> 1] and not any((np_, b) in marked for b in broader[a])
    ]
    np_ = np.array([c[0] for c in level], dtype=np.int64)
    acc = np.array([c[1] for c in level], dtype=np.int64)
    cand = Candidates.of(np.zeros(len(level), dtype=np.int64), np.zeros(len(level), dtype=np.int64), np_, acc)
    states = seen.settle(cand, None).states
    assert states.tolist() == [(p << seen.shift) | a for p, a in states_of_level]
    got, chosen = next_frontier(seen, states, np.array(moves, dtype=np.bool_), split)
    assert got.tolist() == expected
    assert chosen.tolist() == states[expected].tolist()


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


@st.composite
def trees_and_walks(draw: st.DrawFn) -> tuple[Tree, list[list[int]], list[int], list[int], list[bool] | None, bool]:
    """A random breadth-first tree (nodes 0-5, up to 5 levels), a level's walks out of its last level (their owners
    and the (node, parity) they enter), whether each owner's walk is a path (or None), and whether it is backward."""
    tree, walked, parents = Tree(), [], []
    size = 1
    for _ in range(draw(st.integers(1, 5))):
        width = draw(st.integers(1, 6))
        parents.append(draw(st.lists(st.integers(0, size - 1), min_size=width, max_size=width)))
        walked.append(draw(st.lists(st.integers(0, 5), min_size=width, max_size=width)))
        size = width
    for up, nodes in zip(parents, walked, strict=True):
        tree.add(np.array(up, dtype=np.int64), *(np.zeros(len(up), dtype=np.int64) for _ in range(3)), None)
        tree.walked.append(np.array(nodes, dtype=np.int64))
    owners = draw(st.lists(st.integers(0, size - 1), max_size=12))
    entered = draw(st.lists(st.integers(0, 11), min_size=len(owners), max_size=len(owners)))
    simple = draw(st.one_of(st.none(), st.lists(st.booleans(), min_size=size, max_size=size)))
    return tree, parents, owners, entered, simple, draw(st.booleans())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    trees_and_walks(),
    st.sets(st.integers(0, 5)),
    st.sampled_from([2, 3, native.SPLIT_LIGHT]),
    st.lists(st.integers(0, 12), max_size=3),
)
def test_a_walk_is_a_path_when_its_parents_is_and_it_enters_no_node_of_it(
    drawn: tuple[Tree, list[list[int]], list[int], list[int], list[bool] | None, bool],
    extra: set[int],
    split: int,
    cuts: list[int],
) -> None:
    """Tree.are_paths against the definition written out: up the parents, the nodes of the walk the new hop leaves
    from; a walk is a path when its parent's is and the node it enters is none of them. Backward, the node entered
    is a real node (here expanded node n is real node n % 6). ``in_tree`` holds every node walked, and some more.
    Tree.on_walk (the resolver's check, the same compiled pass) says which entered nodes are on those walks. The same
    read by one thread or two (``split``), from the walks in four runs."""
    tree, parents, owners, entered, simple, reverse = drawn
    depth = len(parents)
    real_of = np.arange(6, dtype=np.int64) % 6 if reverse else None
    expected, on_it = [], []
    for owner, np_ in zip(owners, entered, strict=True):
        node = (np_ >> 1) % 6
        on_walk, pos = set(), owner
        for level in range(depth - 1, -1, -1):
            on_walk.add(int(tree.walked[level][pos]))
            pos = parents[level][pos]
        expected.append((simple is None or simple[owner]) and node not in on_walk)
        on_it.append(node in on_walk)
    in_tree = np.zeros(6, dtype=np.bool_)
    in_tree[[int(n) for nodes in tree.walked for n in nodes] + sorted(extra)] = True
    at_level = np.arange(len(tree.walked[-1]), dtype=np.int64)
    owner, np_ = np.array(owners, dtype=np.int64), np.array(entered, dtype=np.int64)
    ok, all_ok = tree.are_paths(
        in_runs((owner, owner, np_, owner), cuts, 2),
        None if simple is None else np.array(simple, dtype=np.bool_),
        in_tree,
        real_of,
        at_level,
        split,
    )
    assert ok.tolist() == expected and all_ok == all(expected)
    nodes = np.array([(np_ >> 1) % 6 for np_ in entered], dtype=np.int64)  # the same check, for the resolver
    assert tree.on_walk(np.array(owners, dtype=np.int64), nodes, depth).tolist() == on_it
    assert not tree.on_walk(np.zeros(len(owners), dtype=np.int64), nodes, 0).any()  # no level: on no walk


def test_are_paths_refuses_walks_beyond_the_tree() -> None:
    tree = Tree()
    tree.add(np.zeros(2, dtype=np.int64), *(np.zeros(2, dtype=np.int64) for _ in range(3)), None)
    tree.walked.append(np.array([1, 2], dtype=np.int64))
    in_tree, at = np.ones(4, dtype=np.bool_), np.array([0, 1], dtype=np.int64)

    def walks(owner: list[int], np_: list[int]) -> Candidates:
        return Candidates.of(np.array(owner), np.array(owner), np.array(np_), np.array(owner))

    for owner, np_ in (([2], [0]), ([0], [8]), ([-1], [0])):  # no such state of the last level; no such node
        with pytest.raises(ValueError, match="beyond"):
            tree.are_paths(walks(owner, np_), None, in_tree, None, at)
    with pytest.raises(ValueError, match="beyond"):  # a parent position beyond its level
        tree.are_paths(walks([0], [2]), None, in_tree, None, np.array([5, 1], dtype=np.int64))
    for split in (2, native.SPLIT_LIGHT):  # the walk beyond in the second half (read by a thread of its own, or not)
        with pytest.raises(ValueError, match="beyond"):
            tree.are_paths(walks([0, 0, 2], [0, 0, 0]), None, in_tree, None, at, split)
    good = walks([0], [0])
    for runs in ([0, 2, 0, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, -1, 0, 0], [0, 1] * 3):
        with pytest.raises(ValueError, match="runs of walks beyond"):  # a run beyond its buffer, or of fewer than 0
            tree.are_paths(good._replace(runs=np.array(runs, dtype=np.int64)), None, in_tree, None, at)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.sampled_from([1, -1])), min_size=1, max_size=30),
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.lists(st.integers(0, 15), max_size=2)), min_size=1,
             max_size=12),
)  # fmt: skip
def test_kept_bounds_are_the_signed_distances_of_their_target(
    edges: list[tuple[int, int, int]], targets: list[tuple[int, int, list[int]]]
) -> None:
    """A path search's bound (the signed distances to its target) is kept for a view's last few targets: asked in
    any order, more targets than are kept, grown to any depth in any order (or until a state is reached), it is
    always the target's own distances as deep as it was grown (UNREACHED beyond), and no search can write into
    it. Grown until a state, it stops at the first depth that reaches one, or at the depth asked."""
    ev = (Evidence("src:a", "t"),)
    statements = [
        Statement(f"s{i}", f"HKG:n{u}", "increases" if sign > 0 else "decreases", f"HKG:n{v}", sign, ("src:a",), ev)
        for i, (u, v, sign) in enumerate(edges)
    ]
    view = SearchIndex.build(statements).view(EVERYTHING)
    nodes = view.table.node_index
    full = {node: signed_distances(view, node, 16, reverse=True) for node in nodes.values()}  # 16 states: all
    for t, depth, until in targets:
        node = nodes.get(f"HKG:n{t}")
        if node is None:
            continue
        until = [u for u in until if u < 2 * view.n_expanded]
        before = bound_to(view, node).depth
        kept = bound_to(view, node).grow(depth, until=until)
        reach = min((int(full[node][u]) for u in until), default=UNREACHED)  # the first depth reaching a stop state
        if before >= depth:
            assert kept.depth == before  # as deep as asked: nothing grown
        elif reach <= before:  # a stop state already reached: nothing grown (a complete ball is exact at any depth)
            assert kept.depth in (before, depth)
        elif reach <= depth:
            assert kept.depth == reach  # stopped by the first level that reached one
        else:
            assert kept.depth >= depth
        assert np.array_equal(kept.dist, np.where(full[node] <= kept.depth, full[node], UNREACHED))
        assert np.array_equal(kept.nearest(), np.minimum(kept.dist[0::2], kept.dist[1::2]))
        assert not kept.dist.flags.writeable and not kept.nearest().flags.writeable
        assert len(view.bounds) <= KEPT_BOUNDS


def test_a_level_compiled_from_another_source_is_refused() -> None:
    """kg.search._level records the SHA-256 of the source it was built from; a checkout whose
    kg/search/_level.c differs (edited, not rebuilt) gets a BuildError that says what to run, not stale answers."""
    native.check_build()  # the build in use is the sources'
    with patch.object(native.level, "SOURCE_SHA256", "0" * 64), pytest.raises(BuildError, match="pip install -e"):
        native.check_build()


def test_a_graph_beyond_the_compiled_levels_integers_is_refused() -> None:
    """The compiled level keeps an edge's target, hop and signature in 32 bits: a graph beyond that is refused
    with an error that says why, not searched with wrapped-around numbers."""
    one = np.array([0], dtype=np.int64)
    Edges(2, one, one + 3, one, one)  # within range
    with pytest.raises(QueryError, match="too large"):
        Edges(2, one, one + 2**31, one, one)


def test_the_compiled_level_refuses_arrays_of_other_types_or_lengths() -> None:
    """Arrays of the wrong item size, or of lengths that do not match, are refused with an error that names
    them; nothing is written."""
    seen = Seen(N_NODES, PERSONS)
    np_ = np.array([0, 1, 0], dtype=np.int64)
    out = np.full(3, 7, dtype=np.uint8)
    with pytest.raises(TypeError, match="acc is not an array of 8-byte items"):
        native.level.none(out, np_, np.zeros(3, dtype=np.int32), *seen.args(1))
    with pytest.raises(ValueError, match="different lengths"):
        native.level.none(out, np_, np.zeros(2, dtype=np.int64), *seen.args(1))
    assert out.tolist() == [7, 7, 7]
    key_state = np.zeros(2, dtype=np.int8)  # keys 0 and 1 only: (node, parity) 2 is beyond it
    zeros = np.zeros(2, dtype=np.int64)
    with pytest.raises(ValueError, match="beyond key_state"):
        seen.settle(Candidates.of(zeros, zeros, np.array([2, 0]), zeros), None, None, Keys(key_state, None, None, 0))
    assert key_state.tolist() == [0, 0] and seen.open(np.array([2, 0]), zeros).tolist() == [True, True]
    in_tree = np.zeros(1, dtype=np.bool_)
    with pytest.raises(ValueError, match="different lengths"):  # n_real beyond in_tree
        seen.settle(Candidates.of(zeros, zeros, np.array([0, 1]), zeros), None, None, Keys(key_state, None, in_tree, 2))
    assert key_state.tolist() == [0, 0] and in_tree.tolist() == [False]
    # distances over 2 nodes (4 states), node 0 -> node 1: a level that is not in the queue, a stop state or a
    # queued state beyond the states, is refused before anything is written
    ptr, step = np.array([0, 1, 1], dtype=np.int64), np.array([2], dtype=np.int64)
    dist, reached, queue = np.full(4, 9, dtype=np.int64), np.zeros(4, dtype=np.bool_), np.zeros(4, dtype=np.int64)
    for head, tail, depth, stop in [(0, 5, 0, -1), (1, 0, 0, -1), (0, 1, -1, -1), (0, 1, 0, 4), (0, 1, 0, -2)]:
        with pytest.raises(ValueError, match="no such level"):
            native.level.distances(dist, reached, queue, ptr, step, head, tail, depth, 6, stop, -1)
    queue[0] = 4
    with pytest.raises(ValueError, match="out of range"):
        native.level.distances(dist, reached, queue, ptr, step, 0, 1, 0, 6, -1, -1)
    assert dist.tolist() == [9] * 4 and not reached.any()
    queue[0] = 0
    # one level queues node 1 (parity 0); the next reaches nothing: head meets tail
    assert native.level.distances(dist, reached, queue, ptr, step, 0, 1, 0, 6, -1, -1) == (2, 2, 2)
    assert dist.tolist() == [9, 9, 1, 9] and queue[1] == 2


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_extend_makes_the_walks_its_definition_makes(data: st.DataObject) -> None:
    """One level's fresh walks, against the definition written out over the walk graph and the person tables: for
    each state in order its hops about anyone, then for each state its other hops, one walk per person alternative
    (:meth:`Persons.transitions`, in order); backward, an enzyme in transit also through the enzyme's own hops;
    kept when its (node, parity) has not been seen with the walk's person or a broader one. The same walks in the
    same order whether one thread reads the states or two read a half each (``split``), and from buffers too small
    at first (the level says how much it needs)."""
    cur = data.draw(dense_graphs())
    reverse = data.draw(st.booleans())
    g = KnowledgeGraph(cur, StatementTable.from_statements(cur.statements))
    scope = scope_of(g, g.context(data.draw(st.sampled_from([None, {"sex": "female"}]))))
    view = g.index.view(scope)
    persons = persons_of(view, scope.person, reverse)
    assert persons.accs[0] == {}  # person 0 is about anyone: the level closes a (node, parity) seen with it
    walk = walk_of(view, reverse, persons)
    n_np = 2 * len(walk.real_of)
    seen = Seen(len(walk.real_of), persons)
    width = seen.width
    n_acc = persons.transitions()[2]
    state = st.tuples(st.integers(0, n_np - 1), st.integers(0, n_acc - 1))
    seen.mark(np.array([(s << seen.shift) | a for s, a in data.draw(st.lists(state, max_size=10))], dtype=np.intp))
    states = [(s << seen.shift) | a for s, a in data.draw(st.lists(state, min_size=1, max_size=10))]
    ptr_alt, to, _ = persons.transitions()

    way = "b" if reverse else "f"
    ptr, hops = getattr(view, f"{way}_ptr"), getattr(view, f"{way}_hop")
    steps, sigs = view.step(way), persons.sig

    expected = []
    for personal in (False, True):
        runs = [(i, x >> 1, x & 1) for i, x in enumerate(s >> seen.shift for s in states)]
        if reverse:  # then the enzymes in transit, through the enzyme's own hops
            runs += [(i, int(walk.real_of[node]), parity) for i, node, parity in runs if node >= view.n_real]
        for i, node, parity in runs:
            acc = states[i] & (width - 1)
            for e in range(int(ptr[node]), int(ptr[node + 1])):
                hop, step = int(hops[e]), int(steps[e]) ^ parity
                sig = int(sigs[hop])
                if (sig != 0) != personal:
                    continue
                pair = sig * n_acc + acc
                alternatives = [int(a) for a in to[ptr_alt[pair] : ptr_alt[pair + 1]]] if personal else [acc]
                for k, after in enumerate(alternatives):
                    if seen.open(np.array([step]), np.array([after]))[0]:
                        expected.append((i, hop * ALTS + k, step, after))
    split = data.draw(st.sampled_from([2, 3, native.SPLIT]))
    got = extend(walk, np.array(states, dtype=np.intp), seen, persons, Buffers(1), split=split)
    assert list(zip(*(a.tolist() for a in got.joined()), strict=True)) == expected


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, 2 * N_NODES - 1), st.booleans()), max_size=20),
    st.lists(st.sampled_from([0, 0, 1, 2, 3]), min_size=2 * N_NODES, max_size=2 * N_NODES),
    st.booleans(),
    st.booleans(),
    st.integers(0, N_NODES),
)
def test_settle_notes_the_first_simple_state_of_each_new_key(
    level: list[tuple[int, bool]], before: list[int], with_ok: bool, reverse: bool, n_real: int
) -> None:
    """Among the states a level settles on (each state's first candidate, the simple walks first), a key not met
    before (state 0) is found by its first state with a simple walk, in that order; a key not met before that only
    walks repeating a node reach is unresolved once; keys met before are left alone. Backward, the key is the real
    node's (here: expanded node n is real node n // 2). Each chosen state's node (its key's) is given back, and
    marked in the tree's nodes when below ``n_real``; without in_tree, none is."""
    real_of = np.arange(N_NODES, dtype=np.int64) // 2 if reverse else None

    def key(np_: int) -> int:
        return 2 * ((np_ >> 1) // 2) + (np_ & 1) if reverse else np_

    chosen: list[tuple[int, bool]] = []  # the states settle chooses (all about anyone), in its order
    for wanted in ([True], [False]) if with_ok else ([True, False],):
        for np_, ok in level:
            if ok in wanted and np_ not in [c for c, _ in chosen]:
                chosen.append((np_, ok or not with_ok))
    state = list(before)
    expected_found: list[tuple[int, int]] = []
    expected_bad = []
    for i, (np_, ok) in enumerate(chosen):
        if state[key(np_)] == 0 and ok:
            state[key(np_)] = 1
            expected_found.append((key(np_), i))
        elif state[key(np_)] == 0:
            state[key(np_)] = 2
            expected_bad.append(key(np_))
    for with_tree in (True, False):
        seen = Seen(N_NODES, PERSONS)
        key_state = np.array(before, dtype=np.int8)
        ok_array = np.array([ok for _, ok in level], dtype=np.bool_) if with_ok else None
        in_tree = np.zeros(N_NODES, dtype=np.bool_)
        in_tree[n_real:] = True  # (beyond n_real: left as they are)
        np_ = np.array([n for n, _ in level], dtype=np.int64)
        zeros = np.zeros(len(level), dtype=np.int64)
        keys = Keys(key_state, real_of, in_tree if with_tree else None, n_real)
        settled = seen.settle(Candidates.of(zeros, zeros, np_, zeros), ok_array, None, keys)
        assert list(zip(settled.np.tolist(), settled.ok.tolist(), strict=True)) == chosen
        found = settled.found
        assert list(zip(found.keys.tolist(), found.positions.tolist(), strict=True)) == expected_found
        assert found.unresolved.tolist() == expected_bad
        assert key_state.tolist() == state
        if with_tree:
            assert found.walked is not None and found.walked.tolist() == [key(n) >> 1 for n, _ in chosen]
            expected_tree = {key(n) >> 1 for n, _ in chosen} & set(range(n_real)) | set(range(n_real, N_NODES))
        else:
            assert found.walked is None
            expected_tree = set(range(n_real, N_NODES))
        assert set(np.flatnonzero(in_tree).tolist()) == expected_tree


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.sampled_from([1, -1])), min_size=1, max_size=30),
    st.integers(0, 7),
    st.integers(0, 7),
    st.booleans(),
)
def test_signed_distances_are_the_breadth_first_distances(
    edges: list[tuple[int, int, int]], start: int, limit: int, reverse: bool
) -> None:
    """Per (node, sign) state, the fewest hops from the start (forward: the sign of the walk so far; reverse: the
    sign with which the state's node moves the start), up to ``limit``; unreached states stay UNREACHED. The
    definition is a plain breadth-first search over the signed edges of the statements."""
    ev = (Evidence("src:a", "t"),)
    statements = [
        Statement(f"s{i}", f"HKG:n{u}", "increases" if sign > 0 else "decreases", f"HKG:n{v}", sign, ("src:a",), ev)
        for i, (u, v, sign) in enumerate(edges)
    ]
    view = SearchIndex.build(statements).view(EVERYTHING)
    node = view.table.node_index.get(f"HKG:n{start}")
    if node is None:
        return
    signed = {(view.table.node_index[f"HKG:n{u}"], view.table.node_index[f"HKG:n{v}"], sign) for u, v, sign in edges}
    expected = {(node, 0): 0}
    frontier = [(node, 0)]
    for depth in range(1, limit + 1):
        nxt = []
        for x, parity in frontier:
            for u, v, sign in sorted(signed):
                here, there = (v, u) if reverse else (u, v)
                if here == x:
                    state = (there, parity ^ (sign < 0))
                    if state not in expected:
                        expected[state] = depth
                        nxt.append(state)
        frontier = nxt
    got = signed_distances(view, node, limit, reverse=reverse)
    reached = {(i >> 1, i & 1): int(d) for i, d in enumerate(got.tolist()) if d != UNREACHED}
    assert reached == expected


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_near_keeps_the_extensions_that_can_still_arrive(data: st.DataObject) -> None:
    """A path search's first pass of a depth: per walk in order, each edge of its node in order, the state it leads
    to (the edge's state from parity 0, the low bit flipped from parity 1), kept when the hops left to the target
    from there (per (node, parity) when a sign is asked, else per node) are at most ``left``. The definition is a
    plain loop over a random CSR graph, walks and distances."""
    n = data.draw(st.integers(1, 6))  # expanded nodes
    degrees = data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    ptr = np.concatenate([[0], np.cumsum(degrees)]).astype(np.int64)
    step = np.array(data.draw(st.lists(st.integers(0, 2 * n - 1), min_size=int(ptr[-1]), max_size=int(ptr[-1]))),
                    dtype=np.int64)  # fmt: skip
    walks = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, 1)), max_size=8))
    at = np.array([w[0] for w in walks], dtype=np.int64)
    par = np.array([w[1] for w in walks], dtype=np.int64)
    signed, want, left = data.draw(st.booleans()), data.draw(st.integers(0, 1)), data.draw(st.integers(0, 3))
    rem = np.array(data.draw(st.lists(st.sampled_from([0, 1, 2, 3, 4, UNREACHED]), min_size=2 * n if signed else n,
                                      max_size=2 * n if signed else n)), dtype=np.int64)  # fmt: skip
    expected = []
    for i, (x, parity) in enumerate(walks):
        for e in range(int(ptr[x]), int(ptr[x + 1])):
            state = int(step[e]) ^ parity
            if (rem[state ^ want] if signed else rem[state >> 1]) <= left:
                expected.append((e, i, state))
    room = int(sum(degrees[x] for x, _ in walks))
    pos, owner, state = (np.full(room, -7, dtype=np.int64) for _ in range(3))
    kept = native.level.near(pos, owner, state, at, par, ptr, step, rem, left, want, signed)
    assert list(zip(pos[:kept].tolist(), owner[:kept].tolist(), state[:kept].tolist(), strict=True)) == expected


def test_near_refuses_walks_and_edges_beyond_the_graph() -> None:
    """A walk at a node the graph does not have, a parity other than 0 or 1, too little room, or an edge into a state
    the distances do not cover: a ValueError that says so, not a read or write out of bounds."""
    ptr, step = np.array([0, 1, 1], dtype=np.int64), np.array([2], dtype=np.int64)  # 2 nodes: 0 -> 1
    rem = np.zeros(4, dtype=np.int64)
    out = [np.zeros(1, dtype=np.int64) for _ in range(3)]
    one, zero = np.array([1], dtype=np.int64), np.array([0], dtype=np.int64)
    for at, par in [(np.array([2], dtype=np.int64), zero), (zero, np.array([2], dtype=np.int64)), (zero, zero[:0])]:
        with pytest.raises(ValueError, match="beyond the graph"):
            native.level.near(*out, at, par, ptr, step, rem, 6, 0, True)
    with pytest.raises(ValueError, match="beyond the graph"):  # no room for node 0's edge
        native.level.near(*[a[:0] for a in out], zero, zero, ptr, step, rem, 6, 0, True)
    with pytest.raises(ValueError, match="beyond rem"):  # one node's rem covers states 0 and 1; node 1 is state 2
        native.level.near(*out, zero, zero, ptr, step, rem[:1], 6, 0, False)
    assert native.level.near(*out, zero, one, ptr, step, rem[:2], 6, 0, False) == 1  # from parity 1: state 3
    assert [a.tolist() for a in out] == [[0], [0], [3]]


def test_a_bound_refuses_more_stop_states_than_it_can_check() -> None:
    """The compiled search stops at one of at most two states; a third is refused, not silently ignored."""
    ev = (Evidence("src:a", "t"),)
    view = SearchIndex.build([Statement("s0", "HKG:a", "increases", "HKG:b", 1, ("src:a",), ev)]).view(EVERYTHING)
    bound = bound_to(view, view.table.node_index["HKG:b"])
    with pytest.raises(QueryError, match="at most two states"):
        bound.grow(6, until=[0, 1, 2])
    assert bound.depth == 0  # nothing grown


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 40),
    st.lists(st.sampled_from([1, 2, 3, 7, 1000, 2**20, 2**40, 2**62]), min_size=1, max_size=6),
    st.booleans(),
    st.randoms(use_true_random=False),
)
def test_order_by_is_the_stable_lexicographic_order(n: int, widths: list[int], ties: bool, rng: object) -> None:
    """The view's sort (kg.search.view.order_by) is np.lexsort's order: keys of any width, a float tie-break."""
    from kg.search.view import order_by

    draw = np.random.default_rng(int(rng.random() * 2**32))  # type: ignore[attr-defined]
    keys = [draw.integers(0, w, n, dtype=np.int64) for w in widths]  # widths up to 2**62: packed or not
    then = -draw.integers(0, 3, n).astype(np.float64) if ties else None
    expected = np.lexsort((np.arange(n), *(() if then is None else (then,)), *keys[::-1]))
    assert order_by(keys, then=then).tolist() == expected.tolist()


def rank_bits(space: int) -> np.ndarray:
    """The scratch kg.search._level.rank takes for a key space: its bitmaps' words."""
    return np.empty(2 * ((space + 63) // 64) + (space // 2 + 63) // 64, np.uint64)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 200).flatmap(
        lambda half: st.tuples(
            st.just(2 * half),
            st.lists(st.tuples(st.integers(0, 2 * half - 1), st.integers(1, 254)), unique_by=lambda kl: kl[0]),
        )
    ),
    st.lists(st.integers(0, 12), max_size=6),
    st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_rank_orders_states_and_nodes_nearest_first(
    case: tuple[int, list[tuple[int, int]]], cuts: list[int], one_length: list[bool]
) -> None:
    """A reach answer's order (the compiled rank): states by (length, key), as np.lexsort orders them; nodes (key //
    2) by the shortest length of their keys, then by id, each once. The keys come in parts (a search's levels), a
    part's lengths as an array or, when all are one, as that one length."""
    space, found = case
    keys = np.array([k for k, _ in found], dtype=np.int64)
    lengths = np.array([n for _, n in found], dtype=np.int64)
    n = len(keys)
    bounds = [0, *sorted(min(c, n) for c in cuts), n]
    parts = []
    for k, (lo, hi) in enumerate(itertools.pairwise(bounds)):
        same = hi > lo and len(set(lengths[lo:hi].tolist())) == 1 and one_length[k]
        parts.append((keys[lo:hi], int(lengths[lo]) if same else lengths[lo:hi]))
    keys_out, lengths_out, nodes = (np.full(n, -7, dtype=np.int64) for _ in range(3))
    n_nodes = native.level.rank(tuple(parts), space, rank_bits(space), keys_out, lengths_out, nodes)
    expected = np.lexsort((keys, lengths))
    assert keys_out.tolist() == keys[expected].tolist() and lengths_out.tolist() == lengths[expected].tolist()
    shortest: dict[int, int] = {}
    for k, length in found:
        shortest[k // 2] = min(length, shortest.get(k // 2, length))
    assert nodes[:n_nodes].tolist() == sorted(shortest, key=lambda x: (shortest[x], x))


def test_rank_refuses_keys_it_cannot_place() -> None:
    """A key beyond the space, a key twice (in one part or two), a length of 0 or 255, an odd space, a part whose
    arrays differ in length, too few bits, bits not of 64: refused."""
    out = [np.empty(4, dtype=np.int64) for _ in range(3)]
    one = np.array([0], dtype=np.int64)
    cases = [
        (((np.array([4]), 1),), 4),
        (((np.array([1, 1]), np.array([1, 2])),), 4),
        (((np.array([1]), 1), (np.array([1]), 2)), 4),
        (((one, 0),), 4),
        (((one, 255),), 4),
        (((one, 1),), 3),
        (((one, np.array([1, 1])),), 4),
    ]
    for parts, space in cases:
        with pytest.raises(ValueError, match="rank"):
            native.level.rank(parts, space, rank_bits(space), *out)
    with pytest.raises(ValueError, match="rank"):
        native.level.rank(((one, 1),), 256, rank_bits(256)[:2], *out)
    with pytest.raises(TypeError, match="bits"):
        native.level.rank(((one, 1),), 4, np.empty(4, np.int32), *out)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dense_graphs(), st.data())
def test_a_level_met_again_is_every_states_first_candidate(cur: object, data: st.DataObject) -> None:
    """The shortcuts of kg.search.resolve read each level's simple states as the search met them (Tree.met): the
    first candidate of every state, in the order settling takes candidates (simple walks first), the states set
    aside as covered included, each with the step that made it: what settling kept before covered states were set
    aside. Reach both ways on dense graphs with persons (men, women, mice), with the persons seen packed in a word
    or kept as rows beside one person (where Seen cannot tell a repeat once person 0 is seen)."""
    g = KnowledgeGraph(cur, StatementTable.from_statements(cur.statements))  # type: ignore[arg-type]
    scope = scope_of(g, g.context(data.draw(st.sampled_from([None, {"sex": "female"}]))))
    src = data.draw(st.sampled_from(sorted(g.entities)))
    levels: list[tuple[list[list[int]], list[bool] | None]] = []
    settle = Seen.settle

    def recording(self: Seen, cand: Candidates, ok: np.ndarray | None, *rest: object) -> object:
        levels.append(([a.tolist() for a in cand.joined()], None if ok is None else ok.tolist()))
        return settle(self, cand, ok, *rest)  # type: ignore[arg-type]

    for reverse, packed in ((False, expand.PACKED), (True, expand.PACKED), (False, 0), (True, 0)):
        levels.clear()
        with (
            patch.object(Seen, "settle", recording),
            patch.object(expand, "PACKED", packed),
            patch.object(Tree, "only_walks", lambda self: None),  # the whole tree, as the search left it
        ):
            found = g.index.reach(src, scope, reverse=reverse)
        assert found is not None
        tree = found._tree
        for level, ((_, code, np_, acc), ok) in enumerate(levels):
            order = sorted(range(len(np_)), key=lambda i: (ok is not None and not ok[i], i))
            states_met: set[tuple[int, int]] = set()
            kept = []
            for i in order:  # each state's first candidate
                if (np_[i], acc[i]) not in states_met:
                    states_met.add((np_[i], acc[i]))
                    kept.append(i)
            expected = [(np_[i], acc[i], code[i]) for i in kept if ok is None or ok[i]]
            states, simple, accs, index = tree.met(level)
            got = [
                (int(states[j]), int(accs[j]), tree.step_walk(level, int(index[j]))[-1])
                for j in range(len(states))
                if simple[j]
            ]
            assert got == expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dense_graphs(), st.data())
def test_a_reach_answer_is_ordered_nearest_first(cur: object, data: st.DataObject) -> None:
    """A reach answer lists its states by (length, key) and its nodes by (shortest length of their states, id),
    each node once; each state's path has the state's length and ends at its node with its sign (forward; backward
    it starts there), the keys found on walks that repeat a node among them."""
    g = KnowledgeGraph(cur, StatementTable.from_statements(cur.statements))  # type: ignore[arg-type]
    scope = scope_of(g, g.context(data.draw(st.sampled_from([None, {"sex": "female"}]))))
    src = data.draw(st.sampled_from(sorted(g.entities)))
    reverse = data.draw(st.booleans())
    found = g.index.reach(src, scope, reverse=reverse)
    assert found is not None
    keys, lengths, nodes = found.keys.tolist(), found.lengths.tolist(), found.node_order().tolist()
    assert sorted(zip(lengths, keys, strict=True)) == list(zip(lengths, keys, strict=True))
    shortest: dict[int, int] = {}
    for key, length in zip(keys, lengths, strict=True):
        shortest[key >> 1] = min(length, shortest.get(key >> 1, length))
    assert nodes == sorted(shortest, key=lambda x: (shortest[x], x))
    for i, (key, length) in enumerate(zip(keys, lengths, strict=True)):
        path = found.path(i)
        end = path.nodes[0] if reverse else path.nodes[-1]
        assert (len(path.hops), end, path.sign) == (length, g.table.nodes[key >> 1], -1 if key & 1 else 1)


def test_searches_at_once_on_two_threads_answer_as_one_at_a_time() -> None:
    """Each search borrows its own working arrays from the walk (Walk.buffers), and the compiled level's second
    thread is its own: reaches asked from four threads at once, every level split in two, answer exactly as the
    same reaches asked one after another (keys, lengths, truncation, every path)."""
    from concurrent.futures import ThreadPoolExecutor

    import kg

    g = kg.load()
    scope = scope_of(g, g.context(None))
    starts = sorted(g.table.node_index)[::7][:24]

    def answer(start: str) -> tuple[object, ...]:
        found = g.index.reach(start, scope, reverse=start < "M")
        assert found is not None
        return found.keys.tolist(), found.lengths.tolist(), found.truncated, [found.path(i) for i in range(len(found))]

    with patch.object(native, "SPLIT", 2), patch.object(native, "SPLIT_LIGHT", 2):
        alone = [answer(s) for s in starts]
        with ThreadPoolExecutor(4) as pool:
            together = list(pool.map(answer, starts * 3))
    assert any(len(a[0]) > 10 for a in alone)  # searches of some size, not only empty ones
    assert together == alone * 3
