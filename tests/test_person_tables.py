"""The person rule's tables made all at once (kg.search.transitions) equal the rule asked pair by pair.

:meth:`Persons.step` applies :func:`kg.search.hops.kinds_of` to one (signature, accumulation) pair; the
searches use :meth:`Persons.transitions`, which makes every pair's answer with array operations. Both must give
the same accumulations, numbered the same way, in the same order of kinds, for any qualifiers — including the
place that a hop into a circulating entity forgets.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.search.hops import PLACE_KEY
from kg.search.persons import Persons
from kg.search.transitions import DROP, closure

KEYS = ("menopausal_status", "population", "sex", "species", PLACE_KEY)


def pair_by_pair(persons: list[dict[str, str]], sigs: list[tuple[int, ...]]) -> tuple[list[dict], list[list[tuple]]]:
    """The closure as the searches made it before: accumulation by accumulation, signature by signature."""
    p = Persons(persons, sigs, np.zeros(1, dtype=np.int64))
    done = 0
    while done < len(p.accs):
        for acc in range(done, len(p.accs)):
            done = acc + 1
            for sig in range(len(sigs)):
                p.step(sig, acc)
    steps = [[(acc,) if sig == 0 else p.step(sig, acc) for acc in range(len(p.accs))] for sig in range(len(sigs))]
    return p.accs, steps


@st.composite
def person_tables(draw: st.DrawFn) -> tuple[list[dict[str, str]], list[tuple[int, ...]]]:
    values = {k: [f"{k}-{i}" for i in range(draw(st.integers(1, 3)))] for k in KEYS}
    quals = st.dictionaries(st.sampled_from(KEYS), st.integers(0, 2), max_size=3).map(
        lambda d: {k: values[k][v % len(values[k])] for k, v in d.items()}
    )
    persons: list[dict[str, str]] = [{}]
    for q in draw(st.lists(quals, min_size=1, max_size=7)):
        if q not in persons:
            persons.append(q)
    n = len(persons)
    sigs: list[tuple[int, ...]] = [(c,) for c in range(n)]
    sigs += [(c, DROP) for c in range(n) if draw(st.booleans())]
    for group in draw(st.lists(st.lists(st.integers(0, n - 1), min_size=2, max_size=4), max_size=6)):
        sigs.append((*group, DROP) if draw(st.booleans()) else tuple(group))
    return persons, sigs


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(person_tables())
def test_all_at_once_equals_pair_by_pair(tables: tuple[list[dict[str, str]], list[tuple[int, ...]]]) -> None:
    persons, sigs = tables
    accs, steps = pair_by_pair(persons, sigs)
    made = Persons(persons, sigs, np.zeros(1, dtype=np.int64))
    ptr, to, n_acc = made.transitions()
    assert n_acc == len(accs)
    assert made.accs == accs

    def after(s: int, a: int) -> tuple[int, ...]:
        return tuple(to[ptr[s * n_acc + a] : ptr[s * n_acc + a + 1]].tolist())

    assert [[after(s, a) for a in range(n_acc)] for s in range(len(sigs))] == steps
    assert made.step(len(sigs) - 1, n_acc - 1) == steps[-1][-1]  # step() after the tables: the same numbering


def test_men_and_women_branch_and_do_not_mix() -> None:
    """A hop with a statement about men and one about women branches from anyone; after men, only men go on."""
    persons = [{}, {"sex": "male"}, {"sex": "female"}]
    made = Persons(persons, [(0,), (1,), (2,), (1, 2)], np.zeros(1, dtype=np.int64))
    ptr, to, n_acc = made.transitions()
    after = {a: [made.accs[b] for b in to[ptr[3 * n_acc + a] : ptr[3 * n_acc + a + 1]].tolist()] for a in range(n_acc)}
    assert after[0] == [{"sex": "female"}, {"sex": "male"}]
    men = made.accs.index({"sex": "male"})
    assert after[men] == [{"sex": "male"}]
    women_after_men = to[ptr[2 * n_acc + men] : ptr[2 * n_acc + men + 1]]
    assert len(women_after_men) == 0


def test_a_closure_asked_again_is_the_same_and_its_answer_cannot_change_it() -> None:
    """Closures are kept by their input (kg.search.transitions.KEPT): a caller that changes its copy of an answer
    must not change the next caller's, and the arrays shared between callers are read-only."""
    persons, sigs = [{}, {"sex": "male"}, {"sex": "female"}], [(0,), (1,), (2,), (1, 2)]
    accs, ptr, to = closure(persons, sigs, [{}], limit=64)
    accs[1]["sex"] = "changed"
    again = closure(persons, sigs, [{}], limit=64)
    assert again[0] == [{}, {"sex": "male"}, {"sex": "female"}]  # men met first (signature 1), then women
    assert np.array_equal(again[1], ptr) and np.array_equal(again[2], to)
    with pytest.raises(ValueError, match="read-only"):
        again[2][0] = 5
