"""Every step of the person rule at once: the accumulations each hop signature leads to, as arrays.

:meth:`Persons.transitions <kg.search.persons.Persons.transitions>` needs, for every hop signature and every
accumulation a walk can gather, the accumulations after the hop — the rule of
:func:`~kg.search.hops.kinds_of` (a statement fits when it agrees with every qualifier gathered so far; the
fitting kinds branch, unless the broadest is contained in all the others). Asked pair by pair that is tens of
thousands of calls on the bundled graph (a fifth of a second before a new graph's first question); here it is a
few array operations per signature over all accumulations at once, qualifiers as integer columns (``-1``:
not said). Accumulations are numbered as the pair-by-pair closure numbers them (first met, accumulation by
accumulation, signature by signature, kind by kind), so the tables are the same. The answers are kept for the
last :data:`KEPT` distinct questions (each subgraph a question over an endpoint reads has its own tables, and
the same subgraph is often read for several questions: 28 distinct of 113 for twelve curated questions).

>>> persons = [{}, {"sex": "male"}, {"sex": "female"}]
>>> accs, ptr, to = closure(persons, [(0,), (1,), (2,), (1, 2)], [{}], limit=64)
>>> accs  # numbered as met: men (signature 1 from {}) before women
[{}, {'sex': 'male'}, {'sex': 'female'}]
>>> [to[ptr[3 * 3 + a] : ptr[3 * 3 + a + 1]].tolist() for a in range(3)]  # signature 3 (men, women) from each
[[2, 1], [1], [2]]
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from kg.search.hops import PLACE_KEY
from kg.table import IntArray, member

__all__ = ["DROP", "closure"]

DROP = -1  # last code of a signature whose hop arrives at an entity that circulates: the tissue is forgotten
KEPT = 64  # closures kept, keyed by their whole input (their arrays read-only)
KEPT_SIZE = 1 << 16  # ... when they have at most this many (signature, accumulation) pairs (a large graph's are
# made once per view anyway, and would only hold memory here)

BoolArray = npt.NDArray[np.bool_]


_kept: OrderedDict[Hashable, tuple[list[dict[str, str]], IntArray, IntArray]] = OrderedDict()


def closure(
    persons: Sequence[Mapping[str, str]],
    sigs: Sequence[tuple[int, ...]],
    accs: Sequence[Mapping[str, str]],
    limit: int,
) -> tuple[list[dict[str, str]], IntArray, IntArray]:
    """All accumulations reachable from ``accs`` under the signatures ``sigs``, and the steps as CSR arrays.

    ``persons``: the qualifiers of each person code; ``sigs``: per signature its codes (ending in :data:`DROP`
    when the hop forgets the place); ``accs``: the accumulations already numbered (the first is ``{}``).
    Returns (every accumulation in number order, ``ptr``, ``to``): the accumulations after signature ``s`` from
    accumulation ``a`` are ``to[ptr[s * n_acc + a] : ptr[s * n_acc + a + 1]]``, in the order of the rule's kinds.
    More than ``limit`` alternatives for one step is an error (a step is encoded with room for that many).
    The answers to the last :data:`KEPT` distinct inputs are kept, when small (:data:`KEPT_SIZE`; their arrays
    read-only; the accumulations are fresh dicts on every call).
    """
    key = (
        tuple(tuple(sorted(q.items())) for q in persons),
        tuple(sigs),
        tuple(tuple(sorted(a.items())) for a in accs),
        limit,
    )
    made = _kept.get(key)
    if made is None:
        made = _closure(persons, sigs, accs, limit)
        if len(made[1]) <= KEPT_SIZE:
            for array in made[1:]:
                array.setflags(write=False)
            _kept[key] = made
            if len(_kept) > KEPT:
                _kept.popitem(last=False)
    else:
        _kept.move_to_end(key)
    return [dict(a) for a in made[0]], made[1], made[2]


def _closure(
    persons: Sequence[Mapping[str, str]],
    sigs: Sequence[tuple[int, ...]],
    accs: Sequence[Mapping[str, str]],
    limit: int,
) -> tuple[list[dict[str, str]], IntArray, IntArray]:
    """The work of :func:`closure` (nothing kept)."""
    keys = sorted({k for q in (*persons, *accs) for k in q})
    vocab: list[dict[str, int]] = [{} for _ in keys]
    words: list[list[str]] = [[] for _ in keys]

    def row(q: Mapping[str, str]) -> list[int]:
        out = []
        for j, k in enumerate(keys):
            v = q.get(k)
            if v is None:
                out.append(-1)
                continue
            if v not in vocab[j]:
                vocab[j][v] = len(words[j])
                words[j].append(v)
            out.append(vocab[j][v])
        return out

    width = len(keys)
    codes = np.array([row(q) for q in persons], dtype=np.int64).reshape(len(persons), width)
    rows = np.array([row(a) for a in accs], dtype=np.int64).reshape(len(accs), width)
    radix = np.array([len(w) + 1 for w in words], dtype=np.int64)
    weight = np.concatenate([np.cumprod(radix[::-1])[::-1][1:], [1]]).astype(np.int64) if width else radix
    if width and float(np.prod(radix.astype(np.float64))) >= 2**62:
        raise OverflowError("too many qualifier values to number the accumulations")
    place = keys.index(PLACE_KEY) if PLACE_KEY in keys else -1
    # the order of kinds: fewer qualifiers first, then the sorted items
    items = [tuple(sorted(q.items())) for q in persons]
    rank = np.empty(len(persons), dtype=np.int64)
    rank[sorted(range(len(persons)), key=lambda c: (len(items[c]), items[c]))] = np.arange(len(persons))
    said = codes >= 0
    # subset[c1, c2]: every qualifier of c1 is one of c2
    subset = np.all(~said[:, None, :] | (codes[:, None, :] == codes[None, :, :]), axis=2)
    plan = []
    for codes_of in sigs:
        drop = bool(codes_of) and codes_of[-1] == DROP
        kept = sorted(set(codes_of[:-1] if drop else codes_of), key=lambda c: rank[c])
        plan.append((np.array(kept, dtype=np.int64), drop))

    known = _keys(rows, weight)  # row key of each accumulation, in number order
    done = 0
    found: list[tuple[IntArray, IntArray, IntArray, IntArray]] = []  # (sig, acc, kind position, row key)
    while done < len(rows):
        batch = rows[done:]
        at = np.arange(done, len(rows), dtype=np.int64)
        parts = [_steps(batch, at, s, kept, drop, codes, said, subset, place) for s, (kept, drop) in enumerate(plan)]
        sig_of = np.concatenate([p[0] for p in parts])
        acc_of = np.concatenate([p[1] for p in parts])
        kind_of = np.concatenate([p[2] for p in parts])
        merged = np.concatenate([p[3] for p in parts])
        if np.any(kind_of >= limit):
            raise RuntimeError(f"more than {limit} person alternatives for one hop")
        key = _keys(merged, weight)
        order = np.lexsort((kind_of, sig_of, acc_of))  # the pair-by-pair closure's order
        done = len(rows)
        unique, first = np.unique(key.take(order), return_index=True)
        new = np.flatnonzero(~member(unique, known))
        new = new[np.argsort(first[new], kind="stable")]  # numbered as first met
        rows = np.vstack([rows, merged[order[first[new]]]])
        known = np.concatenate([known, unique[new]])
        found.append((sig_of, acc_of, kind_of, key))

    n_acc = len(rows)
    sig_of, acc_of, kind_of, key = (np.concatenate(x) for x in zip(*found, strict=True))
    by_key = np.argsort(known)
    to = by_key[np.searchsorted(known, key, sorter=by_key)]
    pair = sig_of * n_acc + acc_of
    order = np.lexsort((kind_of, pair))
    ptr = np.concatenate([[0], np.cumsum(np.bincount(pair, minlength=len(sigs) * n_acc))]).astype(np.int64)
    out = [{keys[j]: words[j][v] for j, v in enumerate(r.tolist()) if v >= 0} for r in rows]
    return [dict(sorted(a.items())) for a in out], ptr, to[order]


def _keys(rows: IntArray, weight: IntArray) -> IntArray:
    """One integer per row of qualifier columns (mixed radix over the columns' vocabularies)."""
    return np.asarray((rows + 1) @ weight, dtype=np.int64) if rows.shape[1] else np.zeros(len(rows), dtype=np.int64)


def _steps(
    batch: IntArray,
    at: IntArray,
    sig: int,
    kept: IntArray,
    drop: bool,
    codes: IntArray,
    said: BoolArray,
    subset: BoolArray,
    place: int,
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """The steps of one signature from the accumulations ``batch`` (numbered ``at``): (sig, acc, kind, row)."""
    c = codes[kept]  # (m, width)
    fit = np.all(~said[kept][None, :, :] | (batch[:, None, :] < 0) | (batch[:, None, :] == c[None, :, :]), axis=2)
    has = fit.any(axis=1)
    first = fit.argmax(axis=1)  # the broadest fitting kind (kinds in rank order)
    covers = np.all(~fit | subset[kept[first]][:, kept], axis=1)
    one = has & covers
    many = has & ~covers
    a_one = np.flatnonzero(one)
    a_many, k_many = np.nonzero(fit & many[:, None])  # row-major: by accumulation, then kind
    acc_i = np.concatenate([a_one, a_many])
    kind_c = np.concatenate([first[a_one], k_many])
    position = np.concatenate([np.zeros(len(a_one), dtype=np.int64), _rank_within(a_many)])
    merged = np.where(batch[acc_i] >= 0, batch[acc_i], c[kind_c])
    if drop and place >= 0:
        merged[:, place] = -1
    return np.full(len(acc_i), sig, dtype=np.int64), at[acc_i], position, merged


def _rank_within(groups: IntArray) -> IntArray:
    """For a sorted array of group ids: each entry's position within its group (0, 1, ...)."""
    if not len(groups):
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate([[True], groups[1:] != groups[:-1]]))
    counts = np.diff(np.concatenate([starts, [len(groups)]]))
    return np.arange(len(groups), dtype=np.int64) - np.repeat(starts, counts)
