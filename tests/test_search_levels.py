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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.model import Evidence, Statement
from kg.search import SearchIndex, expand
from kg.search.expand import Seen, first_per_state
from kg.search.hops import EVERYTHING
from kg.search.persons import Persons
from kg.search.view import KEPT_BOUNDS, bound_to, signed_distances
from tests import oracle

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
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 7)), max_size=40))
def test_first_per_state_picks_each_states_first_candidate(candidates: list[tuple[int, int]]) -> None:
    """The positions returned are exactly each state's first candidate, in candidate order, in every layout."""
    first: dict[tuple[int, int], int] = {}
    for i, state in enumerate(candidates):
        first.setdefault(state, i)
    expected = sorted(first.values())
    np_ = np.array([c[0] for c in candidates], dtype=np.intp)
    acc = np.array([c[1] for c in candidates], dtype=np.intp)
    shift = 3
    for rounds in (0, 1, expand.ROUNDS):
        np_slot = np.zeros(6, dtype=np.int32)
        with patch.object(expand, "ROUNDS", rounds):
            got = first_per_state(np_, acc, np_slot, shift)
        assert got.tolist() == expected, rounds


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
