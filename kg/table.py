"""The statement table: every statement column by column, the one store all loading paths fill.

Rows are in statement-id order; ``nodes`` are the entity CURIEs in sorted order, so integer order is CURIE
order. A :class:`~kg.model.Statement` object is only made when something asks for it. The curation files
(:mod:`kg.sources.curation`) and RDF of any size (:mod:`kg.sources.rdf`) both end here; the rules
(:mod:`kg.validation.rules`) and the search engine (:mod:`kg.search`) read it.

>>> from kg.model import Evidence, Statement
>>> s = Statement("x", "A:1", "increases", "A:2", 1, ("src:s",), (Evidence("src:s", "t"),))
>>> table = StatementTable.from_statements([s])
>>> table.statement(0) == s, len(table), table.nodes
(True, 1, ['A:1', 'A:2'])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from kg.model import (
    ANIMAL_WEIGHT,
    IMPORT_PREFIX,
    IMPORT_WEIGHT,
    MAGNITUDES,
    Evidence,
    FrozenMap,
    Statement,
    animal_species,
    source_weight,
)

__all__ = ["BoolArray", "IntArray", "StatementMap", "StatementTable", "distinct", "int_array", "member"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class StatementTable:
    """Statements column by column; :meth:`statement` makes a :class:`Statement` on demand (cached).

    Rows are in statement-id order. ``nodes`` are the entity CURIEs in sorted order, so integer order is
    CURIE order.
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
        summaries: dict[int, tuple[str, ...]] | None = None,
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
        #: row -> the mediators of a summary statement (issue 14, rule 5); rows absent are direct mechanisms
        self.summaries: dict[int, tuple[str, ...]] = summaries or {}
        self._node_index: dict[str, int] | None = None
        self._row_index: dict[str, int] | None = None
        self._made: dict[int, Statement] = {}
        self._columns: tuple[memoryview, ...] | None = None
        #: per row: its sources' weights summed one after another, in the statement's order (as the definition's
        #: ``sum`` adds them: a sum of sums of earlier rows would round otherwise; each source as often as listed)
        self.support = _row_sums(self._source_weights(), source_ptr)

    def _source_weights(self) -> npt.NDArray[np.float64]:
        sources, source_idx, source_ptr, n = self.sources, self.source_idx, self.source_ptr, len(self.ids)
        weights = np.array([source_weight(s) for s in sources], dtype=np.float64)
        per_source = weights[source_idx] if len(weights) else np.zeros(len(source_idx))
        animal = np.array([animal_species(c) is not None for c in self.contexts], dtype=np.bool_)
        if n and animal.any():  # a primary source of animal evidence counts less (kg.model.evidence_weight)
            row_of = np.repeat(np.arange(n), np.diff(source_ptr))
            per_source = np.where(animal[self.context[row_of]] & (per_source == 1.0), ANIMAL_WEIGHT, per_source)
        if n:  # every source of an imported statement counts IMPORT_WEIGHT (kg.model.evidence_weight)
            origin = np.array([s.startswith(IMPORT_PREFIX) for s in sources] or [False], dtype=np.bool_)
            is_imported = _segment_sum(origin[source_idx].astype(np.float64), source_ptr) > 0
            row_of = np.repeat(np.arange(n), np.diff(source_ptr))
            per_source = np.where(is_imported[row_of], IMPORT_WEIGHT, per_source)
        return np.asarray(per_source, dtype=np.float64)

    def __len__(self) -> int:
        return len(self.ids)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.update(_node_index=None, _row_index=None, _made={}, _columns=None)
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
            subject=int_array([node_at[s.subject] for s in rows]),
            object=int_array([node_at[s.object] for s in rows]),
            predicates=predicates,
            predicate=int_array([pred_at[s.predicate] for s in rows]),
            sign=int_array([s.sign for s in rows]),
            negated=np.array([s.negated for s in rows], dtype=np.bool_),
            reactions=reactions,
            reaction=int_array([-1 if s.reaction is None else react_at[s.reaction] for s in rows]),
            magnitude=int_array([mag_at.get(s.magnitude, -1) if s.magnitude else -1 for s in rows]),
            contexts=list(contexts),
            context=int_array(ctx_codes),
            evidence_types=etypes,
            evidence_type=int_array([-1 if s.evidence_type is None else etype_at[s.evidence_type] for s in rows]),
            sources=sources,
            source_ptr=int_array(src_ptr),
            source_idx=int_array(src_idx),
            evidence_ptr=int_array(ev_ptr),
            evidence_source=int_array(ev_src),
            evidence_text=ev_text,
            notes={i: s.note for i, s in enumerate(rows) if s.note is not None},
            summaries={i: s.via for i, s in enumerate(rows) if s.summary},
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
        subject, object_, predicate, sign, negated, reaction, magnitude, context, etype, s_ptr, s_idx, e_ptr, e_src = (
            self._columns or self._read_columns()
        )
        sources, texts, nodes = self.sources, self.evidence_text, self.nodes
        made = _new(Statement)  # (its fields set as they are: the columns hold checked values, a FrozenMap context)
        made.__dict__.update(
            id=self.ids[i],
            subject=nodes[subject[i]],
            predicate=self.predicates[predicate[i]],
            object=nodes[object_[i]],
            sign=sign[i],
            sources=tuple([sources[s_idx[k]] for k in range(s_ptr[i], s_ptr[i + 1])]),
            evidence=tuple([_evidence(sources[e_src[k]], texts[k]) for k in range(e_ptr[i], e_ptr[i + 1])]),
            context=self.contexts[context[i]],
            magnitude=None if magnitude[i] < 0 else MAGNITUDES[magnitude[i]],
            reaction=None if reaction[i] < 0 else self.reactions[reaction[i]],
            negated=bool(negated[i]),
            evidence_type=None if etype[i] < 0 else self.evidence_types[etype[i]],
            note=self.notes.get(i),
            summary=i in self.summaries,
            via=self.summaries.get(i, ()),
        )
        self._made[i] = made
        return made

    def context_and_object(self, i: int) -> tuple[FrozenMap, str]:
        """Row ``i``'s context and object, as its statement has them (none made)."""
        columns = self._columns or self._read_columns()
        return self.contexts[columns[_CONTEXT][i]], self.nodes[columns[_OBJECT][i]]

    def sources_of(self, i: int) -> list[str]:
        """Row ``i``'s sources, in its statement's order (none made)."""
        columns = self._columns or self._read_columns()
        s_ptr, s_idx, sources = columns[_SOURCE_PTR], columns[_SOURCE_IDX], self.sources
        return [sources[s_idx[k]] for k in range(s_ptr[i], s_ptr[i + 1])]

    def distinct_sources(self, i: int) -> bool:
        """Whether row ``i`` lists no source twice (then its ``support`` is its statement's: each source once)."""
        columns = self._columns or self._read_columns()
        s_ptr, s_idx = columns[_SOURCE_PTR], columns[_SOURCE_IDX]
        listed = s_idx[s_ptr[i] : s_ptr[i + 1]]
        return len(set(listed)) == len(listed)

    def _read_columns(self) -> tuple[memoryview, ...]:
        # (a memoryview reads an element faster than ndarray.item)
        self._columns = tuple(getattr(self, name).data for name in _ROW_COLUMNS)
        return self._columns

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


def int_array(values: Sequence[int] | Iterable[int]) -> IntArray:
    """``values`` as an int64 array."""
    return np.fromiter(values, dtype=np.int64)


def distinct(keys: npt.ArrayLike) -> IntArray:
    """The distinct values of ``keys``, sorted, as int64.

    ``np.unique`` without what its first call costs in NumPy 2 (it imports ``numpy.ma``: 7 ms of a process's
    first load or question).

    >>> distinct([3, 1, 3, 2]).tolist()
    [1, 2, 3]
    """
    out = np.sort(np.asarray(keys, dtype=np.int64))
    return out[np.concatenate([[True], out[1:] != out[:-1]])] if len(out) else out


def member(values: npt.ArrayLike, pool: npt.ArrayLike) -> BoolArray:
    """Per value, whether it is in ``pool`` (``np.isin`` for integers, without importing ``numpy.ma``).

    >>> member([1, 5, 2], [2, 3, 1]).tolist()
    [True, False, True]
    """
    values = np.asarray(values, dtype=np.int64)
    ordered = distinct(pool)
    if not len(ordered):
        return np.zeros(len(values), dtype=np.bool_)
    at = np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
    return np.asarray(ordered[at] == values, dtype=np.bool_)


_new = object.__new__
#: the columns :meth:`StatementTable.statement` reads, in its order
_ROW_COLUMNS = (
    "subject", "object", "predicate", "sign", "negated", "reaction", "magnitude", "context", "evidence_type",
    "source_ptr", "source_idx", "evidence_ptr", "evidence_source",
)  # fmt: skip
_OBJECT, _CONTEXT, _SOURCE_PTR, _SOURCE_IDX = map(_ROW_COLUMNS.index, ("object", "context", "source_ptr", "source_idx"))


def _evidence(source: str, text: str) -> Evidence:
    made = _new(Evidence)
    made.__dict__.update(source=source, text=text)
    return made


def _row_sums(values: npt.NDArray[np.float64], ptr: IntArray) -> npt.NDArray[np.float64]:
    """Sum of ``values[ptr[i]:ptr[i+1]]`` for each i, added one after another from the first (empty: 0).

    >>> _row_sums(np.array([0.1, 0.2, 0.3, 1.0]), np.array([0, 3, 3, 4])).tolist()
    [0.6000000000000001, 0.0, 1.0]
    """
    start, count = ptr[:-1], np.diff(ptr)
    out = np.zeros(len(count), dtype=np.float64)
    rows = np.flatnonzero(count > 0)
    j = 0
    while len(rows):
        out[rows] += values[start[rows] + j]
        j += 1
        rows = rows[count[rows] > j]
    return out


def _segment_sum(values: npt.NDArray[np.float64], ptr: IntArray) -> npt.NDArray[np.float64]:
    """Sum of ``values[ptr[i]:ptr[i+1]]`` for each i (empty segments give 0)."""
    csum = np.concatenate(([0.0], np.cumsum(values)))
    return np.asarray(csum[ptr[1:]] - csum[ptr[:-1]], dtype=np.float64)
