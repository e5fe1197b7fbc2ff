"""Everything a change reaches (or everything that reaches a target): a shortest simple path per (node, sign).

One breadth-first search over (node, parity, person so far) states that carries each state's visited
nodes, so it prefers simple walks and keeps a simple path per (node, sign); a key met only on walks that
repeat a node is settled by a search of the walks of each length (shortest first) pruned to the keys still
open, or proved unreachable by a distance bound that avoids the key's own node. The answer
(:class:`Reached`) stays arrays until a path is read.

>>> from kg.model import Evidence, Statement
>>> from kg.search.budget import Budget
>>> from kg.search.view import compile_view
>>> from kg.table import StatementTable
>>> def st(i, s, p, o, sign):
...     return Statement(i, s, p, o, sign, ("src:x",), (Evidence("src:x", "t"),))
>>> table = StatementTable.from_statements([st("a", "A", "increases", "B", 1), st("b", "B", "decreases", "C", -1)])
>>> found = find_reach(compile_view(table, table.causal), None, 0, max_length=6, reverse=False, budget=Budget())
>>> [(table.nodes[k >> 1], -1 if k & 1 else 1) for k in found.keys.tolist()]
[('B', 1), ('C', -1)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from kg.search.budget import Budget
from kg.search.hops import Person, RawPath
from kg.search.persons import ALTS, Persons, persons_of, raw_path
from kg.search.view import UNREACHED, View, gather, walk_graph, width
from kg.table import IntArray, int_array

__all__ = ["Reached", "find_reach"]

_FEW = 64  # up to this many unresolved keys, each gets its own (sharper) distance bound


def find_reach(view: View, person: Person | None, s: int, *, max_length: int, reverse: bool, budget: Budget) -> Reached:
    """The (node, sign) states reachable from node ``s`` (``reverse``: that reach ``s``) in ``max_length`` hops."""
    persons = persons_of(view, person)
    tree, unresolved = _bfs_tree(view, persons, s, max_length, reverse, budget)
    extra: dict[int, list[int]] = {}
    truncated = budget.exhausted
    if unresolved and not truncated:
        truncated = _resolve(view, persons, s, max_length, reverse, extra, unresolved, budget)
    return Reached(view, tree, extra, person, reverse, truncated, budget.timed_out)


class _Tree:
    """A breadth-first tree kept level by level.

    Per level: each state's parent (its position one level up) and its step (``hop * ALTS + alternative``);
    and the (node, parity) keys found, with the state that found each.
    """

    def __init__(self) -> None:
        self.parents: list[IntArray] = []
        self.steps: list[IntArray] = []
        self._keys: list[IntArray] = []
        self._depths: list[IntArray] = []
        self._positions: list[IntArray] = []

    def add(self, parents: IntArray, steps: IntArray) -> None:
        """One more level: its states' parents and steps (the states in the order they were reached)."""
        self.parents.append(parents)
        self.steps.append(steps)

    def found(self, keys: IntArray, depth: int, positions: IntArray) -> None:
        """``keys`` were first found at ``depth`` by the states at ``positions`` of that level."""
        self._keys.append(keys)
        self._depths.append(np.full(len(keys), depth, dtype=np.int64))
        self._positions.append(positions)

    def result(self) -> tuple[IntArray, IntArray, IntArray]:
        """(keys, depth, position) of everything found."""
        if not self._keys:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        return np.concatenate(self._keys), np.concatenate(self._depths), np.concatenate(self._positions)

    def walk(self, depth: int, pos: int) -> list[int]:
        """The steps from the root to the state at ``pos`` of level ``depth``."""
        out: list[int] = []
        while depth >= 0:
            out.append(int(self.steps[depth][pos]))
            pos = int(self.parents[depth][pos])
            depth -= 1
        return out[::-1]


class Reached:
    """The (node, sign) states a reach search found, as arrays; a state's path is made only when asked for.

    ``keys`` are ``2 * node + 1`` for a net decrease and ``2 * node`` for a net increase (node = integer id
    in the table, CURIE order), sorted nearest first and then by key; ``lengths`` are their path lengths.
    """

    def __init__(
        self,
        view: View,
        tree: _Tree,
        extra: Mapping[int, list[int]],
        person: Person | None,
        reverse: bool,
        truncated: bool,
        timed_out: bool = False,
    ) -> None:
        keys, depth, pos = tree.result()
        more = np.array(sorted(extra), dtype=np.int64)
        all_keys = np.concatenate([keys, more])
        lengths = np.concatenate([depth + 1, int_array(len(extra[k]) for k in more.tolist())])
        order = np.lexsort((all_keys, lengths))
        self.keys: IntArray = all_keys[order]
        self.lengths: IntArray = lengths[order]
        self._pos: IntArray = np.concatenate([pos, np.full(len(more), -1, dtype=np.int64)])[order]
        self._by_key: IntArray = np.argsort(self.keys, kind="stable")
        self._sorted_keys: IntArray = self.keys[self._by_key]
        self.truncated = truncated
        self.timed_out = timed_out
        self._view, self._tree, self._extra = view, tree, extra
        self._person, self._reverse = person, reverse

    def __len__(self) -> int:
        return len(self.keys)

    def path(self, i: int) -> RawPath:
        """The path of the ``i``-th state."""
        length, pos = int(self.lengths[i]), int(self._pos[i])
        steps = self._tree.walk(length - 1, pos) if pos >= 0 else self._extra[int(self.keys[i])]
        return raw_path(self._view, steps, self._person, self._reverse)

    def node_order(self) -> IntArray:
        """The nodes found, nearest first, then in CURIE order."""
        nodes = self.keys >> 1
        _, first = np.unique(nodes, return_index=True)
        return np.asarray(nodes[np.sort(first)], dtype=np.int64)

    def states_of(self, node: int) -> list[int]:
        """The positions (in ``keys``) of ``node``'s states: one per net sign it is reached with."""
        lo, hi = np.searchsorted(self._sorted_keys, [2 * node, 2 * node + 2])
        return [int(i) for i in self._by_key[lo:hi]]


def _bfs_tree(
    view: View, persons: Persons, s: int, max_length: int, reverse: bool, budget: Budget
) -> tuple[_Tree, set[int]]:
    """Breadth-first over (node, parity, person so far): a shortest allowed path per (node, parity).

    A walk is kept when it is a path the oracle allows (simple but for enzymes in transit); the keys
    met only on walks that repeat a node are returned as unresolved (for :meth:`_resolve`). Vectorised:
    each state carries the real nodes of its walk (a small matrix), so a simple walk is preferred when
    a state is reached several ways; a state whose person-so-far is narrower than that of a state
    already seen for the same (node, parity) is not expanded (every walk on from it is open to the
    broader one). Stops, with ``budget.exhausted`` set, when the work budget runs out.
    """
    real_of, ptr, _, hop = walk_graph(view, reverse)
    step = view.step("b" if reverse else "f")
    _, _, n_acc = persons.transitions()
    broader = persons.broader()  # per accumulation: the broader ones (padded with the "never seen" slot)
    n_real = view.n_real
    blocked = real_of == s  # a walk never comes back to its start
    n_states = 2 * len(real_of) * n_acc
    seen = np.zeros(n_states + 1, dtype=np.bool_)  # the last slot stays False (padding of ``broader``)
    slot = np.zeros(n_states, dtype=np.int64)  # scratch: the chosen candidate per state
    start = 2 * s * n_acc
    seen[start] = True
    frontier = np.array([start], dtype=np.int64)
    at_level = np.zeros(1, dtype=np.int64)  # per frontier state: its position in its tree level
    on_walk = np.array([[s]], dtype=np.int32)  # per frontier state: the real nodes its walk counts
    simple = np.ones(1, dtype=np.bool_)  # per frontier state: whether its walk is an allowed path
    key_state = np.zeros(2 * n_real, dtype=np.int8)  # 0 not met, 1 found, 2 met only on repeating walks
    key_slot = np.zeros(2 * n_real, dtype=np.int64)  # scratch: the chosen state per key
    tree = _Tree()
    unresolved: list[IntArray] = []

    def covered(states: IntArray) -> npt.NDArray[np.bool_]:
        """States for which a broader person at the same (node, parity) is already seen."""
        out = np.zeros(len(states), dtype=np.bool_)
        narrow = np.flatnonzero(states % n_acc) if broader.shape[1] else states[:0]  # acc 0 is the broadest
        if len(narrow):
            out[narrow] = seen[states[narrow] - states[narrow] % n_acc]  # the broadest first
            narrow = narrow[~out[narrow]]
        if len(narrow):
            st = states[narrow]
            row = broader[st % n_acc]
            out[narrow] = seen[np.where(row < 0, n_states, (st - st % n_acc)[:, None] + row)].any(axis=1)
        return out

    for depth in range(max_length):
        if not budget.spend(len(frontier)):  # one expansion per state of the level
            break
        x = frontier // (2 * n_acc)
        edges, owner = gather(ptr, x)
        if reverse:  # an enzyme in transit also walks back through the hops into the enzyme itself
            transit = np.flatnonzero(x >= n_real)
            more, more_owner = gather(ptr, real_of[x[transit]])
            edges, owner = np.concatenate([edges, more]), np.concatenate([owner, transit[more_owner]])
        if not len(edges):
            break
        h, node_parity = hop[edges], step[edges] ^ ((frontier[owner] // n_acc) & 1)
        t = node_parity >> 1
        base = node_parity * n_acc  # the state with no person
        live = np.flatnonzero(~seen[base] & ~blocked[t])  # seen with no person: seen for every person
        edges, owner, h, t, base = edges[live], owner[live], h[live], t[live], base[live]
        pick, k, acc = persons.expand(h, frontier[owner] % n_acc)
        if pick is not None:
            owner, h, t, base = owner[pick], h[pick], t[pick], base[pick]
        nxt = base + acc
        fresh = np.flatnonzero(~seen[nxt])
        if not len(fresh):
            break
        nxt, owner, h, k, t = nxt[fresh], owner[fresh], h[fresh], k[fresh], t[fresh]
        real = real_of[t]
        counts = np.ones(len(nxt), dtype=np.bool_) if reverse else t < n_real  # transit: not a visit
        ok = simple[owner] & ~(counts & (on_walk[owner] == real[:, None]).any(axis=1))
        # one candidate per state: the first with a simple walk, else the first
        order = np.concatenate([np.flatnonzero(ok), np.flatnonzero(~ok)])
        slot[nxt[order[::-1]]] = order[::-1]  # whichever write lands, one per state; NumPy's is the first
        chosen = order[slot[nxt[order]] == order]
        chosen = chosen[~covered(nxt[chosen])]
        if not len(chosen):
            break
        nxt, owner, real, counts, ok = nxt[chosen], owner[chosen], real[chosen], counts[chosen], ok[chosen]
        seen[nxt] = True
        tree.add(at_level[owner], h[chosen] * ALTS + k[chosen])
        key = 2 * real + ((nxt // n_acc) & 1)
        new = counts & (key_state[key] == 0)  # forward, nothing ends inside a reaction
        good = np.flatnonzero(new & ok)
        key_slot[key[good[::-1]]] = good[::-1]  # one simple state per key (NumPy writes in order: the first)
        good = good[key_slot[key[good]] == good]
        key_state[key[good]] = 1
        tree.found(key[good], depth, good)
        met = key[new]
        bad = met[key_state[met] == 0]
        key_state[bad] = 2
        unresolved.append(bad)
        walk = np.hstack([on_walk[owner], np.where(counts, real, -1).astype(np.int32)[:, None]])
        keep = np.flatnonzero(~covered(nxt))  # broader persons found in this same level
        frontier, at_level, on_walk, simple = nxt[keep], keep, walk[keep], ok[keep]
    return tree, set(np.concatenate(unresolved).tolist()) if unresolved else set()


def _need(view: View, keys: Sequence[int], limit: int, reverse: bool, avoid: int | None) -> IntArray:
    """Hops from every (real node, parity) state to the nearest of ``keys``, never through ``avoid``.

    Over every hop: a relaxation (no person, reaction or simple-path rule), so a lower bound.
    """
    back_ptr, back_tgt, back_hop = (
        (view.u_f_ptr, view.u_f_tgt, view.u_f_hop) if reverse else (view.u_r_ptr, view.u_r_tgt, view.u_r_hop)
    )
    odd_hop = (view.hop_sign < 0).astype(np.int64)
    need = np.full(2 * view.n_real, UNREACHED, dtype=np.int64)
    frontier = np.array(keys, dtype=np.int64)
    need[frontier] = 0
    for depth in range(1, limit + 1):
        edges, owner = gather(back_ptr, frontier >> 1)
        if not len(edges):
            break
        prev = 2 * back_tgt[edges] + ((frontier[owner] & 1) ^ odd_hop[back_hop[edges]])
        prev = prev[need[prev] == UNREACHED]
        if avoid is not None:
            prev = prev[prev >> 1 != avoid]
        if not len(prev):
            break
        need[prev] = depth
        fresh = np.zeros(len(need), dtype=np.bool_)
        fresh[prev] = True
        frontier = np.flatnonzero(fresh)
    return need


def _resolve(
    view: View,
    persons: Persons,
    s: int,
    max_length: int,
    reverse: bool,
    found: dict[int, list[int]],
    unresolved: set[int],
    budget: Budget,
) -> bool:
    """Find paths for the (node, parity) keys whose shortest walk was not an allowed path.

    Length by length, every allowed walk of that length, extended a level at a time with numpy and
    pruned to states from which an unresolved key is still within reach. Returns True if the budget ran
    out.
    """
    odd_hop = (view.hop_sign < 0).astype(np.int64)
    if len(unresolved) <= _FEW:
        # one key at a time, a simple path to (N, sign) never passes N before its end: with N taken out of
        # the relaxed graph, a key the start cannot reach has no simple path at all (not a truncation)
        in_transit = set() if reverse else set(view.real_of[view.n_real :].tolist())
        need = np.full(2 * view.n_real, UNREACHED, dtype=np.int64)
        for target in sorted(unresolved):
            if not budget.spend(0):  # an opt-in timeout fired
                return True
            avoid = None if target >> 1 in in_transit else target >> 1  # forward, an enzyme may recur in transit
            one = _need(view, [target], max_length, reverse, avoid)
            if avoid is not None and one[2 * s] > max_length:
                unresolved.discard(target)
            need = np.minimum(need, one)
    else:
        need = _need(view, sorted(unresolved), max_length, reverse, None)
    real_of, ptr, tgt, hop = walk_graph(view, reverse)
    n_real = view.n_real
    wanted = np.zeros(2 * n_real, dtype=np.bool_)
    wanted[list(unresolved)] = True
    for length in range(1, max_length + 1):
        if not unresolved:
            return False
        # every walk of ``length`` hops, extended a level at a time (as _enumerate does): state, parity,
        # person, the real nodes visited, the steps taken
        x = np.array([s], dtype=np.int64)
        par = np.zeros(1, dtype=np.int64)
        acc = np.zeros(1, dtype=np.int64)
        on_walk = np.array([[s]], dtype=np.int64)
        steps = np.zeros((1, 0), dtype=np.int64)
        for depth in range(1, length + 1):
            transit_at = np.flatnonzero(x >= n_real) if reverse else x[:0]
            if not budget.spend(width(ptr, x) + width(ptr, real_of[x[transit_at]])):
                return True
            edges, owner = gather(ptr, x)
            if reverse:  # an enzyme in transit also walks back through the hops into the enzyme itself
                more, more_owner = gather(ptr, real_of[x[transit_at]])
                edges, owner = np.concatenate([edges, more]), np.concatenate([owner, transit_at[more_owner]])
            h, v = hop[edges], tgt[edges]
            real = real_of[v]
            counted = np.ones(len(v), dtype=np.bool_) if reverse else v < n_real
            p = par[owner] ^ odd_hop[h]
            key = 2 * real + p
            fine = (real != s) & ~(counted & (on_walk[owner] == real[:, None]).any(axis=1))
            fine &= need[key] <= length - depth
            if depth == length:
                fine &= counted & wanted[key]
            keep = np.flatnonzero(fine)
            owner, h, v, p, real, key = owner[keep], h[keep], v[keep], p[keep], real[keep], key[keep]
            counted = counted[keep]
            pick, k, nxt_acc = persons.expand(h, acc[owner])
            if pick is not None:
                budget.left -= len(pick) - len(h)  # person alternatives are walks too
                owner, h, v, p, real, key = owner[pick], h[pick], v[pick], p[pick], real[pick], key[pick]
                counted = counted[pick]
            x, par, acc = v, p, nxt_acc
            on_walk = np.hstack([on_walk[owner], np.where(counted, real, -1)[:, None]])
            steps = np.hstack([steps[owner], (h * ALTS + k)[:, None]])
            if not len(x):
                break
        else:
            first = np.unique(key, return_index=True)[1]  # one path per key: the first walk found
            for i in first.tolist():
                found[int(key[i])] = steps[i].tolist()
            wanted[key[first]] = False
            unresolved.difference_update(key[first].tolist())
    return False
