"""Feedback loops: every simple signed cycle of a context's hops, on the compiled view.

A depth-first search over the view's integer arrays (hop ids in the oracle's order, person alternatives
from :class:`~kg.search.persons.Persons`). Each cycle is found once, from its smallest node; a cycle that
closes inside a reaction (an enzyme's substrate hop back into the enzyme it started from) counts only if it
left the enzyme through the product of that same reaction. Every step of the search is charged to the
budget.

>>> from kg.model import Evidence, Statement
>>> from kg.search.budget import Budget
>>> from kg.search.view import compile_view
>>> from kg.table import StatementTable
>>> def st(i, s, p, o, sign):
...     return Statement(i, s, p, o, sign, ("src:x",), (Evidence("src:x", "t"),))
>>> table = StatementTable.from_statements([st("a", "LH", "increases", "T", 1), st("b", "T", "decreases", "LH", -1)])
>>> loops, truncated = find_cycles(compile_view(table, table.causal), None, max_length=8, budget=Budget())
>>> [(p.nodes, p.sign) for p in loops], truncated
([(('LH', 'T', 'LH'), -1)], False)
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.search.budget import Budget
from kg.search.hops import Person, RawPath
from kg.search.persons import ALTS, persons_of, raw_path
from kg.search.view import View

__all__ = ["find_cycles"]

_PLAIN, _PRODUCT, _SUBSTRATE = 0, 1, 2


def find_cycles(view: View, person: Person | None, *, max_length: int, budget: Budget) -> tuple[list[RawPath], bool]:
    """Every simple signed cycle of at most ``max_length`` hops (best ranked first), and a truncated flag."""
    persons = persons_of(view, person)
    sig = persons.sig_list()
    ptr, out_hops = view.list("u_f_ptr"), view.list("u_f_hop")
    dst, sign = view.list("hop_dst"), view.list("hop_sign")
    role, reaction = view.list("hop_role"), view.list("hop_reaction")

    def candidates(node: int, pending: int, acc: int) -> Iterator[tuple[int, int, int]]:
        """(hop, alternative, person after) for each way on from ``node`` (inside reaction ``pending`` if ≥ 0)."""
        for h in out_hops[ptr[node] : ptr[node + 1]]:
            if pending >= 0 and (role[h] != _PRODUCT or reaction[h] != pending):
                continue
            options = (acc,) if sig[h] == 0 else persons.step(sig[h], acc)
            for k, after in enumerate(options):
                yield h, k, after

    found: dict[tuple[tuple[int, ...], tuple[int, ...]], list[int]] = {}
    for start in (n for n in range(view.n_real) if ptr[n + 1] > ptr[n]):
        on_path = {start}
        steps: list[int] = []  # hop * ALTS + alternative
        transits: list[bool] = []
        stack = [candidates(start, -1, 0)]
        while stack:
            if not budget.spend():
                return _ranked(view, person, found), True
            item = next(stack[-1], None)
            if item is None:
                stack.pop()
                if steps:
                    last = steps.pop() // ALTS
                    if not transits.pop():
                        on_path.discard(dst[last])
                continue
            h, k, acc = item
            v = dst[h]
            pending = reaction[h] if role[h] == _SUBSTRATE else -1
            transit = pending >= 0  # an enzyme passed through inside one reaction may recur (CYP17A1 twice)
            if (v in on_path and v != start and not transit) or v < start:
                continue  # not simple, or found from its smallest node
            if v == start:
                first = steps[0] // ALTS if steps else h
                if pending < 0 or (bool(steps) and role[first] == _PRODUCT and reaction[first] == pending):
                    walk = [*(s // ALTS for s in steps), h]
                    key = (tuple(dst[x] for x in walk), tuple(sign[x] for x in walk))
                    found.setdefault(key, [*steps, h * ALTS + k])
                continue
            if len(steps) + 1 >= max_length:
                continue
            steps.append(h * ALTS + k)
            transits.append(transit)
            if not transit:
                on_path.add(v)
            stack.append(candidates(v, pending, acc))
    return _ranked(view, person, found), False


def _ranked(
    view: View, person: Person | None, found: dict[tuple[tuple[int, ...], tuple[int, ...]], list[int]]
) -> list[RawPath]:
    return sorted((raw_path(view, steps, person) for steps in found.values()), key=RawPath.rank)
