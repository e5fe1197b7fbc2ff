"""The person rule as integers: which kinds of person a path is about, hop by hop.

A path never joins a statement about men to one about women (or mouse to human). :class:`Persons` encodes
the person-level qualifiers gathered along a walk as *accumulations* (integers) and each hop as a
*signature* (its statements' person codes), and answers, with :func:`kg.search.hops.alternatives` itself,
which accumulations a hop may lead to. The vectorised searches use these tables; :func:`raw_path` turns
their integer steps back into hops by the same rule.

>>> p = Persons([{}, {"sex": "male"}, {"sex": "female"}], [(0,), (1,), (2,), (1, 2)], np.zeros(0, dtype=np.int64))
>>> [p.accs[a] for a in p.step(3, 0)]  # a hop with a statement about men and one about women branches
[{'sex': 'female'}, {'sex': 'male'}]
>>> p.step(2, p.step(1, 0)[0])  # women after men: no way on
()
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from kg.search.hops import PLACE_KEY, Hop, Person, RawPath, alternatives, kinds_of, qualifiers
from kg.search.transitions import DROP, closure
from kg.search.view import View, gather
from kg.table import IntArray, int_array

__all__ = ["ALTS", "Acc", "Persons", "persons_of", "raw_path", "step"]

ALTS = 64  # a path step is encoded as hop * ALTS + person alternative
Acc = tuple[tuple[str, str], ...]  # an accumulation: the person a walk is about so far, as sorted qualifier items


class Persons:
    """Person-level qualifiers along a path, as integers: accumulations (acc ids) and hop signatures.

    A hop's signature is the tuple of its statements' person codes (in the hop's statement order), ending in
    :data:`DROP` when the walk arrives, with the hop, at an entity that circulates (tissue locality);
    :meth:`step` gives the accumulations a hop with that signature may lead to from an accumulation, in the
    order :func:`~kg.search.hops.alternatives` yields them (it is asked, on stand-in statements, once per
    signature and accumulation). Signature 0 is "no person qualifier": the accumulation stays as it is.
    """

    def __init__(self, persons: list[dict[str, str]], sigs: list[tuple[int, ...]], sig: IntArray) -> None:
        self.persons = persons
        self.sigs = sigs
        self.sig = sig
        self.accs: list[dict[str, str]] = [{}]
        self._acc_at: dict[tuple[tuple[str, str], ...], int] = {(): 0}
        self._steps: dict[tuple[int, int], tuple[int, ...]] = {}
        self._by_codes: dict[tuple[frozenset[int], bool, int], tuple[int, ...]] = {}
        self._sig_list: list[int] | None = None
        self._transitions: tuple[IntArray, IntArray, int] | None = None
        self._flat: tuple[IntArray, IntArray, IntArray, IntArray, int] | None = None

    @classmethod
    def none(cls, n_hops: int) -> Persons:
        """No person rule: every hop keeps the (empty) accumulation."""
        return cls([{}], [(0,)], np.zeros(n_hops, dtype=np.int64))

    def sig_list(self) -> list[int]:
        """The hop signatures as a Python list."""
        if self._sig_list is None:
            self._sig_list = self.sig.tolist()
        return self._sig_list

    def _acc(self, merged: Mapping[str, str]) -> int:
        k = tuple(sorted(merged.items()))
        at = self._acc_at.get(k)
        if at is None:
            at = self._acc_at[k] = len(self.accs)
            self.accs.append(dict(k))
        return at

    def step(self, sig: int, acc: int) -> tuple[int, ...]:
        """The accumulations after a hop of signature ``sig`` (none: the hop does not fit)."""
        hit = self._steps.get((sig, acc))
        if hit is None:
            codes = self.sigs[sig]
            drop = bool(codes) and codes[-1] == DROP
            kept = codes[:-1] if drop else codes
            key = (frozenset(kept), drop, acc)  # the order and repeats of codes change no accumulation
            hit = self._by_codes.get(key)
            if hit is None:
                before = self.accs[acc]
                _, kinds = kinds_of([self.persons[c] for c in kept], before)
                merged = [{**before, **dict(kind)} for kind in kinds]
                if drop:
                    for m in merged:
                        m.pop(PLACE_KEY, None)
                hit = self._by_codes[key] = tuple(self._acc(m) for m in merged)
            if len(hit) > ALTS:
                raise RuntimeError(f"more than {ALTS} person alternatives for one hop")
            self._steps[(sig, acc)] = hit
        return hit

    def transitions(self) -> tuple[IntArray, IntArray, int]:
        """Every (signature, accumulation) step as CSR arrays over ``sig * n_acc + acc``, and n_acc.

        The arrays cover every reachable accumulation (:func:`~kg.search.transitions.closure`: the rule of
        :meth:`step` for all pairs at once, numbered as :meth:`step` numbers them).
        """
        if self._transitions is None:
            accs, ptr, to = closure(self.persons, self.sigs, self.accs, ALTS)
            for a, merged in enumerate(accs):
                if self._acc(merged) != a:  # numbered as step() numbers them: cannot differ
                    raise RuntimeError("the person tables disagree with the person rule")
            self._transitions = (ptr, to, len(accs))
        return self._transitions

    def expand(self, hops: IntArray, accs: IntArray) -> tuple[IntArray | None, IntArray, IntArray]:
        """Walks taking ``hops`` (each about the person ``accs`` so far): one per person alternative, or none.

        Returns ``(pick, alternative, person after)``: ``pick`` says which input each output continues (None
        when every hop is about anyone: then the outputs are the inputs, alternative 0, person unchanged).
        """
        trans_ptr, trans_to, n_acc = self.transitions()
        hop_sig = self.sig[hops]
        if not hop_sig.any():
            return None, np.zeros(len(hops), dtype=np.int64), accs
        plain, personal = np.flatnonzero(hop_sig == 0), np.flatnonzero(hop_sig)
        pair = hop_sig[personal] * n_acc + accs[personal]
        alt_pos, alt_owner = gather(trans_ptr, pair)
        pick = np.concatenate([plain, personal[alt_owner]])
        k = np.concatenate([np.zeros(len(plain), dtype=np.int64), alt_pos - trans_ptr[pair[alt_owner]]])
        return pick, k, np.concatenate([accs[plain], trans_to[alt_pos]])

    def tables(self) -> tuple[IntArray, IntArray, IntArray, IntArray, int]:
        """:meth:`transitions` as arrays over ``sig * n_acc + acc``, in small integer types (gathered at random).

        Returns (first alternative, accumulation after, alternatives, the first alternative's accumulation
        after or -1, n_acc).
        """
        if self._flat is None:
            ptr, to, n_acc = self.transitions()
            count = np.diff(ptr)
            small = np.int16 if n_acc < 2**15 else np.int32
            first_to = np.full(len(count), -1, dtype=np.int64)
            first_to[count > 0] = to[ptr[:-1][count > 0]]
            self._flat = (
                ptr[:-1].astype(np.int32 if len(to) < 2**31 else np.int64),
                to.astype(small),
                count.astype(np.int8),  # at most ALTS
                first_to.astype(small),
                n_acc,
            )
        return self._flat

    def broader(self) -> IntArray:
        """Per accumulation, the accumulations strictly broader than it, as a matrix padded with -1.

        Broader = its items are a proper subset. A walk about the broader person may go wherever the narrower
        one may (see :func:`~kg.search.hops.alternatives`).
        """
        _, _, n_acc = self.transitions()
        items = [set(a.items()) for a in self.accs]
        rows = [[b for b in range(n_acc) if b != a and items[b] < items[a]] for a in range(n_acc)]
        width = max((len(r) for r in rows), default=0)
        out = np.full((n_acc, width), -1, dtype=np.int64)
        for a, r in enumerate(rows):
            out[a, : len(r)] = r
        return out


def persons_of(view: View, person: Person | None, reverse: bool = False) -> Persons:
    """The person tables of a view for walks forward (or ``reverse``), made once per view and direction.

    ``person`` None: no person rule. A statement's code is its person and place (:func:`~kg.search.hops.
    qualifiers`); a hop arriving at an entity that circulates (forward its target, backward its source) forgets
    the place, which makes the tables depend on the direction of the walk.
    """
    if person is None:
        return Persons.none(len(view.hop_src))
    made: Persons | None = view.persons.get(reverse)
    if made is not None:
        return made
    t = view.table
    rows = view.hop_rows
    place = view.places.located[t.object[rows]]
    # one code per distinct (context, place of the object) among the view's rows
    pair = t.context[rows] * (len(view.places.names) + 1) + (place + 1)
    _, first_at, inverse = np.unique(pair, return_index=True, return_inverse=True)
    codes: dict[tuple[tuple[str, str], ...], int] = {(): 0}
    code_of_pair = []
    for r in rows[first_at].tolist():
        st = t.statement(r)
        quals = qualifiers(st, person, view.places.by_curie)
        code_of_pair.append(codes.setdefault(tuple(sorted(quals.items())), len(codes)))
    pc_row = np.array(code_of_pair, dtype=np.int64)[inverse.reshape(-1)] if len(rows) else int_array([])
    n_codes = len(codes)
    persons = [dict(k) for k in codes]
    drop = np.zeros(len(view.hop_src), dtype=np.bool_)
    if any(PLACE_KEY in q for q in persons):  # only a walk that can gather a place has one to forget
        drop = view.places.circulating[view.hop_src if reverse else view.hop_dst]
    sizes = np.diff(view.hop_ptr)
    sig = pc_row[view.hop_ptr[:-1]] + n_codes * drop if len(sizes) else int_array([])
    sigs: list[tuple[int, ...]] = [(c,) for c in range(n_codes)]
    if drop.any():  # the signatures of single-statement hops that forget the place
        sigs += [(c, DROP) for c in range(n_codes)]
    sig_at = {x: i for i, x in enumerate(sigs)}
    for h in np.flatnonzero(sizes > 1).tolist():
        group = tuple(pc_row[view.hop_ptr[h] : view.hop_ptr[h + 1]].tolist())
        if drop[h]:
            group = (*group, DROP)
        elif not any(group):
            sig[h] = 0
            continue
        sig[h] = sig_at.setdefault(group, len(sig_at))
        if sig[h] == len(sigs):
            sigs.append(group)
    made = view.persons[reverse] = Persons(persons, sigs, sig)
    return made


def raw_path(view: View, steps: Sequence[int], person: Person | None, reverse: bool = False) -> RawPath:
    """Steps in walk order (``hop * ALTS + alternative``) -> a :class:`RawPath`.

    Each hop is restricted to the path's person by :func:`~kg.search.hops.alternatives` (in walk order: backward for
    a reverse walk).
    """
    chosen: list[Hop] = []
    acc: Acc = ()
    for code in steps:
        hop, acc = step(view, code, acc, person, reverse)
        chosen.append(hop)
    return RawPath(tuple(chosen[::-1] if reverse else chosen))


def step(view: View, code: int, acc: Acc, person: Person | None, reverse: bool) -> tuple[Hop, Acc]:
    """Step ``code`` (``hop * ALTS + alternative``) of a walk about the person ``acc``: its hop and the person after.

    The alternatives of a hop after a person are made once per view (``view.alternatives``).
    """
    h, k = divmod(code, ALTS)
    options = view.alternatives.get((h, acc, person is None, reverse))
    if options is None:
        arrive = view.hop_src if reverse else view.hop_dst
        drop = bool(view.places.circulating[arrive[h]])
        options = view.alternatives[(h, acc, person is None, reverse)] = [
            (hop, tuple(sorted(merged.items())))
            for hop, merged in alternatives(view.hop(h), dict(acc), person, view.places.by_curie, drop)
        ]
    if k >= len(options):  # the integer tables said it fits: cannot happen
        raise RuntimeError("the person tables disagree with the person rule")
    hop, after = options[k]
    return hop, after
