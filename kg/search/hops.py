"""The search's vocabulary: hops, raw paths, the question's scope, and the person rule.

Statements are grouped into *hops*: one signed step u -> v made by the statements that share subject,
object, sign and reaction role. A search walks hops and returns :class:`RawPath` objects, which
:mod:`kg.questions` turns into :class:`~kg.questions.results.CausalPath`.

>>> from kg.model import Evidence, Statement
>>> st = Statement("a", "X:1", "increases", "X:2", 1, ("PMID:1",), (Evidence("PMID:1", "t"),))
>>> hop = Hop("X:1", "X:2", 1, "plain", None, (st,))
>>> RawPath((hop,)).nodes, RawPath((hop,)).sign, hop.support
(('X:1', 'X:2'), 1, 1.0)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from kg.model import Statement, evidence_weight, imported

if TYPE_CHECKING:
    from kg.table import StatementTable

__all__ = [
    "EVERYTHING", "PERSON_KEYS", "PLACE_KEY", "Hop", "Person", "RawPath", "Scope", "SearchResult", "alternatives",
    "qualifiers", "role_of",
]  # fmt: skip

#: qualifiers that describe the person and so must agree along a path (tissue, regimen... may change)
PERSON_KEYS = ("sex", "menopausal_status", "age_group", "species")
#: the qualifier of where a step happens: it must agree along a path until the path reaches an entity that
#: circulates (issue 14, rule 3, tissue locality)
PLACE_KEY = "tissue"

#: a statement context's person-level qualifiers (population expanded)
Person = Callable[[Mapping[str, str]], Mapping[str, str]]


@dataclass(frozen=True)
class Scope:
    """What a question admits: which statement contexts apply, and the person each one describes.

    ``key`` identifies the scope for caching (equal keys must mean equal ``admits`` and ``person``);
    ``person`` None switches the person rule off.
    """

    key: Hashable
    admits: Callable[[Mapping[str, str]], bool]
    person: Person | None = None


#: every statement, no person rule
EVERYTHING = Scope(("everything",), lambda context: True)


class Hop:
    """One signed step u -> v made by one or more parallel statements (best supported first).

    A view makes its hops from its table's rows (:meth:`of_rows`): their statements are made when first read, and
    a search reads what it needs of them (person and place, support) from the table's columns. Equal when source,
    target, sign, role, reaction and statements are; immutable.
    """

    __slots__ = ("__dict__", "_rows", "_statements", "_table", "reaction", "role", "sign", "source", "target")
    source: str
    target: str
    sign: int
    role: str  # "substrate" | "product" | "plain"
    reaction: str | None
    _statements: tuple[Statement, ...] | None
    _table: StatementTable | None
    _rows: tuple[int, ...]

    def __init__(
        self, source: str, target: str, sign: int, role: str, reaction: str | None, statements: tuple[Statement, ...]
    ) -> None:
        set_ = object.__setattr__
        set_(self, "source", source), set_(self, "target", target), set_(self, "sign", sign)
        set_(self, "role", role), set_(self, "reaction", reaction)
        set_(self, "_statements", statements), set_(self, "_table", None), set_(self, "_rows", ())

    @classmethod
    def of_rows(
        cls, source: str, target: str, sign: int, role: str, reaction: str | None, table: StatementTable,
        rows: Sequence[int],
    ) -> Hop:  # fmt: skip
        """The hop of ``table``'s ``rows`` (in that order), its statements made when first read."""
        hop = cls(source, target, sign, role, reaction, ())
        object.__setattr__(hop, "_statements", None)
        object.__setattr__(hop, "_table", table)
        object.__setattr__(hop, "_rows", tuple(rows))
        return hop

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Hop is immutable: cannot set {name!r}")

    @property
    def statements(self) -> tuple[Statement, ...]:
        """The statements making the step, best supported first."""
        made, t = self._statements, self._table
        if made is None and t is not None:
            made = tuple([t.statement(r) for r in self._rows])
            object.__setattr__(self, "_statements", made)
        return made or ()

    def places(self) -> list[tuple[Mapping[str, str], str]]:
        """Per statement: its context and its object (what :func:`qualifiers` reads), without making a statement."""
        t = self._table
        if self._statements is None and t is not None:
            return [t.context_and_object(r) for r in self._rows]
        return [(st.context, st.object) for st in self.statements]

    def _key(self) -> tuple[object, ...]:
        return (self.source, self.target, self.sign, self.role, self.reaction, self.statements)

    def __eq__(self, other: object) -> bool:
        return self._key() == other._key() if isinstance(other, Hop) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in zip(_FIELDS, self._key(), strict=True))
        return f"Hop({fields})"

    def __reduce__(self) -> tuple[type[Hop], tuple[object, ...]]:
        return (Hop, self._key())

    @cached_property  # (a hop is made once per view and ranked in many paths)
    def support(self) -> float:
        """Distinct sources behind the step, weighted (:func:`kg.model.evidence_weight`: animal evidence less)."""
        t, rows = self._table, self._rows
        if self._statements is None and t is not None and len(rows) == 1 and t.distinct_sources(rows[0]):
            return float(t.support[rows[0]])  # (its sources' weights, added in the order Statement.sources has them)
        best: dict[str, float] = {}
        for st in self.statements:
            tier = imported(st.sources)
            for src in st.sources:
                best[src] = max(best.get(src, 0.0), evidence_weight(src, st.context, tier))
        return sum(best.values())

    @cached_property
    def imported(self) -> bool:
        """Whether every statement making the step was imported (:func:`kg.model.imported`): the trust tier."""
        t = self._table
        if self._statements is None and t is not None:
            return all(imported(t.sources_of(r)) for r in self._rows)
        return all(imported(st.sources) for st in self.statements)


_FIELDS = ("source", "target", "sign", "role", "reaction", "statements")


@dataclass(frozen=True)
class RawPath:
    """A path as hops (the engine's result, before it becomes a ``CausalPath``)."""

    hops: tuple[Hop, ...]

    @property
    def nodes(self) -> tuple[str, ...]:
        """Source of the first hop, then each hop's target."""
        return (self.hops[0].source, *(h.target for h in self.hops)) if self.hops else ()

    @property
    def sign(self) -> int:
        """Product of the hops' signs."""
        product = 1
        for h in self.hops:
            product *= h.sign
        return product

    def rank(self) -> tuple[int, int, float, float, tuple[str, ...]]:
        """Shortest first, then fewest imported steps, then the best-supported weakest step, total support, name.

        A step only imported statements make (:attr:`Hop.imported`) ranks after curated ones: the trust tier.
        """
        supports = [h.support for h in self.hops]
        tier = sum(h.imported for h in self.hops)
        total = 0.0
        for s in supports:  # one addition after another (kg.search.rank.best_paths adds them so too)
            total += s
        return (len(self.hops), tier, -min(supports, default=0), -total, self.nodes)


@dataclass
class SearchResult:
    """Paths found, whether the search stopped early, and whether an opt-in timeout stopped it."""

    paths: list[RawPath] = field(default_factory=list)
    truncated: bool = False
    timed_out: bool = False
    #: the paths (signed node paths) the search found, made or only counted (with ``taking``: of every walk it
    #: found, those it did not make included), up to its limit (kg.search.paths.find_paths)
    counted: int = 0


def role_of(st: Statement) -> str:
    """A statement's reaction role: ``substrate`` (substrate_of), ``product`` (produces) or ``plain``."""
    if st.reaction is None:
        return "plain"
    return "substrate" if st.predicate == "substrate_of" else "product"


def alternatives(
    hop: Hop,
    acc: Mapping[str, str],
    person: Person | None,
    located: Mapping[str, str] | None = None,
    drop: bool = False,
) -> Iterator[tuple[Hop, Mapping[str, str]]]:
    """The ways ``hop`` can extend a path about the kind of person described by ``acc``.

    A path never joins a statement about men to one about women (or mouse to human): a step keeps only the
    statements compatible with the qualifiers gathered so far. When the compatible statements disagree among
    themselves (one about men, one about women, none general) the walk branches, one branch per kind.

    Tissue locality (issue 14, rule 3) is the same rule for the place a step happens: a statement's tissue
    (its context's, else where its object is ``located`` — an osteoclast is in bone) joins the person's
    qualifiers, so a step in breast does not continue into a step in bone. ``drop``: the walk arrives, with this
    hop, at an entity that circulates (a hormone, a drug), which carries the change to every tissue: the tissue
    gathered so far is forgotten.
    """
    if person is None:
        yield hop, acc
        return
    quals = [_qualifiers(context, object_, person, located) for context, object_ in hop.places()]
    if len(quals) == 1:  # one statement: it fits the person or not (the kinds below are for several)
        merged = dict(acc)
        if all(merged.setdefault(k, v) == v for k, v in quals[0].items()):
            if drop:
                merged.pop(PLACE_KEY, None)
            yield hop, merged
        return
    fits, kinds = kinds_of(quals, acc)
    for kind in kinds:
        merged = {**acc, **dict(kind)}
        keep = [i for i in fits if all(merged.get(k, v) == v for k, v in quals[i].items())]
        lead = next(i for i in keep if tuple(sorted(quals[i].items())) == kind)
        ordered = tuple(hop.statements[i] for i in (lead, *(i for i in keep if i != lead)))
        same = ordered == hop.statements
        if drop:
            merged.pop(PLACE_KEY, None)
        yield (hop if same else Hop(hop.source, hop.target, hop.sign, hop.role, hop.reaction, ordered)), merged


def kinds_of(
    quals: Sequence[Mapping[str, str]], acc: Mapping[str, str]
) -> tuple[list[int], list[tuple[tuple[str, str], ...]]]:
    """Which statements (by their qualifiers ``quals``) fit the person ``acc``, and the kinds a step branches into.

    The rule of :func:`alternatives`, on qualifiers alone (so :class:`kg.search.persons.Persons` applies the same
    rule without making statements). A kind is a sorted tuple of qualifier items; a qualifier set that every
    other fitting one contains covers them (one kind).

    >>> kinds_of([{"sex": "male"}, {"sex": "female"}], {})[1]
    [(('sex', 'female'),), (('sex', 'male'),)]
    >>> kinds_of([{}, {"sex": "male"}], {})[1]
    [()]
    """
    fits = [i for i, q in enumerate(quals) if all(acc.get(k, v) == v for k, v in q.items())]
    if not fits:
        return fits, []
    kinds = sorted({tuple(sorted(quals[i].items())) for i in fits}, key=lambda k: (len(k), k))
    if all(set(kinds[0]) <= set(k) for k in kinds):
        kinds = kinds[:1]  # a statement about everyone (so far) covers the narrower ones
    return fits, kinds


def qualifiers(st: Statement, person: Person, located: Mapping[str, str] | None = None) -> Mapping[str, str]:
    """What a statement says of the person and the place.

    That is ``person(context)``, and the tissue where its object is ``located`` when its context names none.

    >>> from kg.model import Evidence
    >>> st = Statement("a", "X:1", "increases", "CL:1", 1, ("PMID:1",), (Evidence("PMID:1", "t"),))
    >>> dict(qualifiers(st, lambda c: dict(c), {"CL:1": "UBERON:2"}))
    {'tissue': 'UBERON:2'}
    """
    return _qualifiers(st.context, st.object, person, located)


def _qualifiers(
    context: Mapping[str, str], object_: str, person: Person, located: Mapping[str, str] | None
) -> Mapping[str, str]:
    q = person(context)
    where = located.get(object_) if located else None
    if where is None or PLACE_KEY in q:
        return q
    return {**q, PLACE_KEY: where}
