"""Paths for the (node, sign) keys a breadth-first reach met only on walks that repeat a node.

The reach search (:mod:`kg.search.reach`) keeps one walk per state, so a key can be met first on a walk
that is no path (it repeats a node) although a path of that sign exists. Such a key is settled here, one
key at a time when there are few: a bound that every simple path to it must meet (hops over a relaxed graph:
every hop, whoever it is about, with the key's node and the nodes every path to it must end with left out)
either proves that no path exists, or confines a depth-first search of the walks of each length (which keep
every rule), shortest first, to the states from which the key is still within reach. Everything counts against
the search's work budget.

>>> from kg.model import Evidence, Statement
>>> from kg.search.budget import Budget
>>> from kg.search.persons import persons_of
>>> from kg.search.view import compile_view
>>> from kg.table import StatementTable
>>> def st(i, s, p, o, sign):
...     return Statement(i, s, p, o, sign, ("src:x",), (Evidence("src:x", "t"),))
>>> table = StatementTable.from_statements([st("a", "A", "increases", "B", 1), st("b", "B", "decreases", "A", -1)])
>>> view = compile_view(table, table.causal)
>>> found: dict[int, list[int]] = {}
>>> a, b = table.node_index["A"], table.node_index["B"]
>>> resolve(view, persons_of(view, None), Tree(), a, 6, False, found, {2 * b + 1: 3}, Budget())  # B, decreased
False
>>> found  # no simple path from A decreases B (A → B → A → B repeats both)
{}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from kg.search.budget import Budget
from kg.search.persons import ALTS, Persons
from kg.search.tree import Tree
from kg.search.view import Distances, View, gather, walk_graph, width
from kg.table import BoolArray, IntArray

__all__ = ["resolve"]

FEW = 8  # up to this many keys, each is settled on its own (sharper bound, early stop; each costs a bound)
CHUNK = 4096  # walks extended at once by the depth-first search
_FAR = np.int8(127)  # "no walk within the limit" in a bound (limits are at most 12 hops)
Bound = npt.NDArray[np.int8]  # per (2·node + parity) state: hops to the end (a lower bound), or _FAR


def resolve(
    view: View,
    persons: Persons,
    tree: Tree,
    s: int,
    max_length: int,
    reverse: bool,
    found: dict[int, list[int]],
    keys: Mapping[int, int],
    budget: Budget,
    cut: BoolArray | None = None,
) -> bool:
    """Put in ``found`` a shortest path (as steps) for each of ``keys`` that has one; True if the budget ran out.

    ``keys`` maps each key to the length of its shortest walk (a lower bound of its path's). First the tree's
    own walks one hop short of a key (:func:`_shortcuts`): one that is a path, as short as the key's
    shortest walk, is its path. The others: up to :data:`FEW` keys, one key at a time under its own bound
    (:func:`_key_need`), searching only lengths shorter than the tree's path (which is the answer when no
    shorter one exists); more keys are searched together under a common bound.
    """
    short = _shortcuts(view, persons, tree, keys, s, reverse, budget)  # (no key is a node the start blocks)
    if budget.exhausted:
        return True
    left: dict[int, int] = {}
    for key, length in keys.items():
        steps = short.get(key)
        if steps is not None and len(steps) == length:
            found[key] = steps
        else:
            left[key] = length if steps is None else len(steps) - 1  # the longest path still worth a search
    if not left:
        return False
    start = _from_start(view, s, max_length, reverse, budget)
    if len(left) > FEW:
        need = _need(view, sorted(left), max_length, reverse, s, start, budget)
        if budget.exhausted or _search(view, persons, s, max_length, reverse, found, set(left), budget, need, cut):
            return True
    else:
        for key in sorted(left):
            longest = max_length if key not in short else left[key]
            need = _key_need(view, key, longest, reverse, s, start, budget)
            if budget.exhausted:
                return True
            if need[2 * s] <= longest and _search(view, persons, s, longest, reverse, found, {key}, budget, need, cut):
                return True
    for key, steps in short.items():  # no shorter path found: the tree's is the shortest
        found.setdefault(key, steps)
    return False


def _shortcuts(
    view: View,
    persons: Persons,
    tree: Tree,
    keys: Mapping[int, int],
    s: int,
    reverse: bool,
    budget: Budget,
) -> dict[int, list[int]]:
    """Per key: the first of the shortest paths made of a tree walk that is a path and one hop into the key.

    (The walk must not pass the key's node.) Each hop tried is one expansion of ``budget``.
    """
    real_of, ptr, tgt, hop = walk_graph(view, reverse)
    n_real = view.n_real
    odd_hop = view.odd_hop
    wanted = np.zeros(2 * n_real, dtype=np.bool_)
    wanted[list(keys)] = True
    # the walk hops into a key's node, and the nodes such a hop leaves
    into = np.flatnonzero(np.asarray(wanted.reshape(-1, 2).any(axis=1))[real_of[tgt]])
    mark = np.zeros(len(real_of), dtype=np.bool_)
    mark[np.searchsorted(ptr, into, side="right") - 1] = True
    if reverse:  # an enzyme in transit also walks back through the hops into the enzyme itself
        mark[n_real:] |= mark[real_of[n_real:]]
    out: dict[int, list[int]] = {}
    for level in range(len(tree.walked)):
        states, simple, accs, index = tree.met(level)  # (with the states the level set aside as covered)
        x = states >> 1
        at = np.flatnonzero(np.logical_and(mark[x], simple))
        if not len(at):
            continue
        if not budget.spend(_width(view, x[at], reverse)):
            break
        edges, owner = _hops_from(view, x[at], reverse)
        h, v = hop[edges], tgt[edges]
        real = real_of[v]
        key = 2 * real + ((states[at[owner]] & 1) ^ odd_hop[h])
        fine = wanted[key] & (real != s)
        if not reverse:
            fine &= v < n_real  # no path ends inside a reaction
        keep = np.flatnonzero(fine)
        own = x[at[owner[keep]]]
        keep = keep[~tree.on_met_walk(index[at[owner[keep]]], real_of[own] if reverse else own, real[keep], level)]
        pick, k, _ = persons.expand(h[keep], accs[at[owner[keep]]])
        if pick is not None:
            keep = keep[pick]
        for i, alt in zip(keep.tolist(), np.broadcast_to(k, len(keep)).tolist(), strict=True):
            key_i = int(key[i])
            if key_i not in out:
                out[key_i] = [*tree.step_walk(level, int(index[at[owner[i]]])), int(h[i]) * ALTS + alt]
        wanted[list(out)] = False
        if not wanted.any():
            break
    return out


def _back_graph(view: View, reverse: bool) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """(real_of, ptr, tgt, hop): the hops into each walk state, for the relaxed distances to a key.

    Forward, over the expanded nodes (an enzyme in transit is its own node, so leaving a key's node out
    still lets a walk pass its enzyme in transit, as a path may); reverse, over the real nodes.
    """
    if reverse:
        return view.real_of[: view.n_real], view.u_f_ptr, view.u_f_tgt, view.u_f_hop
    return view.real_of, view.r_ptr, view.r_tgt, view.r_hop


def _from_start(view: View, s: int, limit: int, reverse: bool, budget: Budget) -> IntArray:
    """Hops from ``s`` to every walk state of :func:`_back_graph` (2·node + parity), relaxed as there.

    Each hop tried is one expansion of ``budget``, charged once the distances are made (compiled: one breadth-first
    search of the reach's depth; when the budget has run out, ``budget.exhausted`` says so).
    """
    reached = Distances(view, s, reverse=reverse, way="u_r" if reverse else "f").grow(limit)
    ptr = view.u_r_ptr if reverse else view.f_ptr
    budget.spend(width(ptr, np.flatnonzero(reached.dist < limit) >> 1))  # the states a hop left
    return reached.dist


def _need(
    view: View,
    keys: Sequence[int],
    limit: int,
    reverse: bool,
    s: int,
    start: IntArray,
    budget: Budget,
    avoid: Sequence[int] = (),
    depth: int = 0,
) -> Bound:
    """Hops from every walk state to the end, never through the nodes ``avoid`` or ``s`` (``_FAR``: none).

    ``keys`` are the (2·node + parity) states ``depth`` hops from the end. Over every hop, without the person,
    simple-path or reaction rules: a relaxation, so a lower bound (the walks it prunes keep the rules). ``s`` (the
    start, which no walk comes back to) gets its hops but is never passed through. Only the states ``start`` (hops
    from the start) puts within the limit are followed. Each hop tried is one expansion of ``budget`` (when it runs
    out, the bound is incomplete and ``budget.exhausted`` says so).
    """
    real_of, back_ptr, back_tgt, back_hop = _back_graph(view, reverse)
    odd_hop = view.odd_hop
    need = np.full(2 * len(real_of), _FAR, dtype=np.int8)
    frontier = np.array(keys, dtype=np.int64)
    need[frontier] = depth
    closed = np.zeros(len(real_of), dtype=np.bool_)
    closed[list(avoid)] = True
    closed[real_of == s] = True
    for d in range(depth + 1, limit + 1):
        if not budget.spend(width(back_ptr, frontier >> 1)):
            break
        edges, owner = gather(back_ptr, frontier >> 1)
        prev = 2 * back_tgt[edges] + ((frontier[owner] & 1) ^ odd_hop[back_hop[edges]])
        node = prev >> 1
        prev = prev[(start[prev] + d <= limit) & (need[prev] == _FAR) & (~closed[node] | (real_of[node] == s))]
        if not len(prev):
            break
        need[prev] = d
        prev = np.unique(prev)
        frontier = prev[~closed[prev >> 1]]
    return need


def _key_need(view: View, key: int, limit: int, reverse: bool, s: int, start: IntArray, budget: Budget) -> Bound:
    """:func:`_need` for one key, sharpened by what a simple path to it must pass.

    A simple path to (N, sign) passes N only at its end, so N is left out of the relaxed graph; and while
    the node before the end can be only one node M (not the start, not an enzyme in transit), every path
    ends ``M → N``, so the bound starts from M's states one hop back, with M left out too, and so on up the
    chain. A key the start cannot reach under this bound has no simple path at all (not a truncation).
    """
    real_of, back_ptr, back_tgt, back_hop = _back_graph(view, reverse)
    odd_hop = view.odd_hop
    chain, levels = [key >> 1], [np.array([key], dtype=np.int64)]
    while len(levels) <= limit:
        edges, owner = gather(back_ptr, levels[-1] >> 1)
        nodes = np.unique(back_tgt[edges])
        if len(nodes) != 1 or real_of[nodes[0]] == s or nodes[0] >= view.n_real or int(nodes[0]) in chain:
            break
        chain.append(int(nodes[0]))
        levels.append(np.unique(2 * back_tgt[edges] + ((levels[-1][owner] & 1) ^ odd_hop[back_hop[edges]])))
    need = _need(view, levels[-1].tolist(), limit, reverse, s, start, budget, chain, len(levels) - 1)
    for depth, states in enumerate(levels[:-1]):  # the chain's own states, on the only way to the key
        need[states] = depth
    return need


class _Walks:
    """Walks of one length from the start, as arrays: state, parity, person, real nodes visited, steps."""

    def __init__(self, x: IntArray, par: IntArray, acc: IntArray, on_walk: IntArray, steps: IntArray) -> None:
        self.x, self.par, self.acc, self.on_walk, self.steps = x, par, acc, on_walk, steps

    def __len__(self) -> int:
        return len(self.x)

    def cut(self, n: int) -> tuple[_Walks, _Walks]:
        """The first ``n`` walks, and the rest."""
        head = _Walks(self.x[:n], self.par[:n], self.acc[:n], self.on_walk[:n], self.steps[:n])
        return head, _Walks(self.x[n:], self.par[n:], self.acc[n:], self.on_walk[n:], self.steps[n:])


def _search(
    view: View,
    persons: Persons,
    s: int,
    max_length: int,
    reverse: bool,
    found: dict[int, list[int]],
    keys: set[int],
    budget: Budget,
    need: Bound,
    cut: BoolArray | None = None,
) -> bool:
    """Paths for ``keys``: the allowed walks of each length, shortest first, pruned by the bound ``need``.

    Per length (from the one ``need`` gives the start on), depth first over batches of :data:`CHUNK`
    walks, so the search stops as soon as every key has a path of that length; the first walk found per key
    is its path (in ``found``). Deterministic: the batches and their order depend on the graph alone.
    Returns True if the budget ran out.
    """
    keys = set(keys)
    wanted = np.zeros(2 * view.n_real, dtype=np.bool_)
    wanted[list(keys)] = True
    for length in range(max(1, int(need[2 * s])), max_length + 1):
        one = np.ones(1, dtype=np.int64)
        stack = [(0, _Walks(s * one, 0 * one, 0 * one, s * one[:, None], np.zeros((1, 0), dtype=np.int64)))]
        while stack and keys:
            depth, walks = stack.pop()
            if len(walks) > CHUNK:
                walks, rest = walks.cut(CHUNK)
                stack.append((depth, rest))
            if not budget.spend(_width(view, walks.x, reverse)):
                return True
            longer, key, alternatives = _extend(
                view,
                persons,
                s,
                walks,
                length - depth - 1,
                need,
                wanted,
                reverse,
                None if depth == 0 else cut,
            )
            budget.left -= alternatives  # person alternatives are walks too
            if depth + 1 < length:
                if len(longer):
                    stack.append((depth + 1, longer))
                continue
            first = np.unique(key, return_index=True)[1]  # one path per key: the first walk found
            for i in first.tolist():
                found[int(key[i])] = longer.steps[i].tolist()
            wanted[key[first]] = False
            keys.difference_update(key[first].tolist())
        if not keys:
            break
    return False


def _width(view: View, x: IntArray, reverse: bool) -> int:
    """How many hops walks at the nodes ``x`` try next (one expansion each): :func:`_hops_from`'s count."""
    real_of, ptr, _, _ = walk_graph(view, reverse)
    transit = x[x >= view.n_real] if reverse else x[:0]
    return width(ptr, x) + width(ptr, real_of[transit])


def _hops_from(view: View, x: IntArray, reverse: bool) -> tuple[IntArray, IntArray]:
    """The walk-graph edges out of the nodes ``x``, and which entry of ``x`` each leaves.

    Reverse, an enzyme in transit also walks back through the hops into the enzyme itself.
    """
    real_of, ptr, _, _ = walk_graph(view, reverse)
    edges, owner = gather(ptr, x)
    if reverse:
        transit_at = np.flatnonzero(x >= view.n_real)
        more, more_owner = gather(ptr, real_of[x[transit_at]])
        edges, owner = np.concatenate([edges, more]), np.concatenate([owner, transit_at[more_owner]])
    return edges, owner


def _extend(
    view: View,
    persons: Persons,
    s: int,
    walks: _Walks,
    left: int,
    need: Bound,
    wanted: npt.NDArray[np.bool_],
    reverse: bool,
    cut: BoolArray | None,
) -> tuple[_Walks, IntArray, int]:
    """The allowed walks one hop longer that keep a key within ``left`` more hops, and the key each reaches.

    (When ``left`` is 0, only the walks that end on a wanted key.) Also returns how many more walks the
    person alternatives made.
    """
    real_of, _, tgt, hop = walk_graph(view, reverse)
    n_real = view.n_real
    odd_hop = view.odd_hop
    edges, owner = _hops_from(view, walks.x, reverse)
    h, v = hop[edges], tgt[edges]
    real = real_of[v]
    p = walks.par[owner] ^ odd_hop[h]
    key = 2 * real + p
    state = key if reverse else 2 * v + p  # the bound's (node, parity) state
    fine = (need[state] <= left) & (real != s)  # (the bound first: it keeps few, and the walk is read only for them)
    if cut is not None:  # (past the first hop) not into a node the start blocks
        fine &= ~cut[real]
    counted = np.ones(len(v), dtype=np.bool_) if reverse else v < n_real
    if left == 0:
        fine &= counted & wanted[key]
    keep = np.flatnonzero(fine)
    keep = keep[~(counted[keep] & (walks.on_walk[owner[keep]] == real[keep, None]).any(axis=1))]
    pick, k, acc = persons.expand(h[keep], walks.acc[owner[keep]])
    alternatives = 0
    if pick is not None:
        alternatives = len(pick) - len(keep)
        keep = keep[pick]
    owner = owner[keep]
    on_walk = np.hstack([walks.on_walk[owner], np.where(counted[keep], real[keep], -1)[:, None]])
    steps = np.hstack([walks.steps[owner], (h[keep] * ALTS + k)[:, None]])
    return _Walks(v[keep], p[keep], acc, on_walk, steps), key[keep], alternatives
