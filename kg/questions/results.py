"""Query results: :class:`CausalPath`, :class:`Effect`, :class:`FeedbackLoop` and :class:`PathList`.

They are frozen records with a short ``repr``, a readable ``str`` (``print(effect)``: a few lines with the top
paths) and ``_repr_html_`` for notebooks (labels, sign symbols, sources; :mod:`kg.questions.html`); prose comes
from :mod:`kg.questions.explain`.

>>> sign_word(-1), sign_symbol(-1)
('decrease', '⊣')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from itertools import islice
from typing import TYPE_CHECKING, Literal

from kg.context import SPECIES, Context
from kg.model import Finding, Statement, animal_species
from kg.questions import summary as text
from kg.questions.html import STYLE, Names, effect_html, esc, path_html, paths_list, reach_html, subgroup_html
from kg.questions.quotes import cite, source_populations, step_quotes

if TYPE_CHECKING:
    from kg.store.store import Store

__all__ = [
    "CausalPath",
    "Effect",
    "FeedbackLoop",
    "LoopList",
    "PathList",
    "Reach",
    "Subgroup",
    "cite",
    "combine_signs",
    "explain_path",
    "names_of",
    "sign_symbol",
    "sign_word",
]

#: A direction an answer gives. ``none``: measured, no change; ``unknown``: no path and no finding says.
Predicted = Literal["increase", "decrease", "mixed", "none", "unknown"]
#: How many paths (and rows of a reach) a notebook shows before "… and K more".
SHOWN_PATHS, SHOWN_ROWS = 10, 20


def sign_word(sign: int) -> str:
    """``increase`` for +1, ``decrease`` for -1, ``none`` for 0."""
    return {1: "increase", -1: "decrease"}.get(sign, "none")


def sign_symbol(sign: int) -> str:
    """The arrow drawn for a sign: ``→`` (+1), ``⊣`` (−1), ``—`` (0)."""
    return {1: "→", -1: "⊣"}.get(sign, "—")


def combine_signs(signs: Iterable[int]) -> Predicted:
    """The net prediction from the signs of several paths (``unknown`` without any).

    No path is no evidence of no change: ``none`` is kept for a measured null result.

    >>> combine_signs([-1, -1]), combine_signs([1, -1]), combine_signs([])
    ('decrease', 'mixed', 'unknown')
    """
    found = {s for s in signs if s in (1, -1)}
    if not found:
        return "unknown"
    if len(found) == 2:
        return "mixed"
    return "increase" if found == {1} else "decrease"


def names_of(g: Store | None, question: Context | None = None) -> Names:
    """How a result names things: ``g``'s labels and citations, or CURIEs when there is no graph.

    With the ``question``'s context, the quotes under each step are those ``explain`` shows (whom each is about:
    :mod:`kg.questions.quotes`); without it, every sentence of a step, labelled with its source.
    """
    if g is None:
        return Names(str, lambda p: p.replace("_", " "), partial(cite, None), sign_symbol, sign_word)
    quotes = None
    if question is not None:
        populations = source_populations(g)

        def quotes(support: Sequence[Statement]) -> list[str]:
            return [q.line(g) for q in step_quotes(g, support, question, populations)]

    return Names(g.label, g.rdf_label, partial(cite, g), sign_symbol, sign_word, quotes)


def _graph_of(paths: Iterable[CausalPath]) -> Store | None:
    return next((p.graph for p in paths if p.graph is not None), None)


@dataclass(frozen=True)
class CausalPath:
    """A signed simple path: ``nodes`` (CURIEs) joined by ``statements`` (one per step).

    ``support`` holds, per step, every statement that makes the same signed step (the first is the one
    shown); ``sign`` is the product of the steps' signs.
    """

    nodes: tuple[str, ...]
    statements: tuple[Statement, ...]
    support: tuple[tuple[Statement, ...], ...] = field(default=(), compare=False, repr=False)
    graph: Store | None = field(default=None, compare=False, repr=False)

    @property
    def sign(self) -> int:
        """+1 or -1: the product of the statements' signs."""
        product = 1
        for st in self.statements:
            product *= st.sign
        return product

    @property
    def length(self) -> int:
        """Number of steps."""
        return len(self.statements)

    @property
    def mechanism(self) -> bool:
        """Whether every step is a direct mechanism (some statement of it is not a summary): issue 14, rule 5.

        >>> from kg.model import Evidence
        >>> st = Statement("s", "X:a", "increases", "X:b", 1, ("src:x",), (Evidence("src:x", "t"),), summary=True)
        >>> CausalPath(("X:a", "X:b"), (st,)).mechanism
        False
        """
        steps = self.support or tuple((st,) for st in self.statements)
        return all(any(not st.summary for st in step) for step in steps)

    @property
    def animal(self) -> tuple[str, ...]:
        """The species (CURIEs) of animal evidence that a step rests on alone: issue 14, rule 1 (empty: none).

        >>> from kg.model import Evidence
        >>> st = Statement("s", "X:a", "increases", "X:b", 1, ("PMID:1",), (Evidence("PMID:1", "t"),),
        ...                context={"species": "NCBITaxon:10090"})
        >>> CausalPath(("X:a", "X:b"), (st,)).animal
        ('NCBITaxon:10090',)
        """
        steps = self.support or tuple((st,) for st in self.statements)
        out: list[str] = []
        for step in steps:
            kinds = [animal_species(st.context) for st in step]
            if kinds and kinds[0] is not None and all(kinds):
                out.append(kinds[0])
        return tuple(dict.fromkeys(out))

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source cited along the path (all supporting statements), without repeats."""
        steps = self.support or tuple((st,) for st in self.statements)
        return tuple(dict.fromkeys(src for step in steps for st in step for src in st.sources))

    def labels(self) -> tuple[str, ...]:
        """The nodes' labels (CURIEs when the path has no graph)."""
        if self.graph is None:
            return self.nodes
        return tuple(self.graph.label(n) for n in self.nodes)

    def compact(self) -> str:
        """``anastrozole ⊣ aromatase → 17β-estradiol …``: one line with sign arrows."""
        labels = self.labels()
        parts = [labels[0]]
        for st, label in zip(self.statements, labels[1:], strict=True):
            parts.append(f"{sign_symbol(st.sign)} {label}")
        return " ".join(parts)

    def explain(self) -> str:
        """The path as prose, one step per statement, each with its citation."""
        return explain_path(self)

    def __repr__(self) -> str:
        return f"<CausalPath {sign_word(self.sign)}: {self.compact()}>"

    def __str__(self) -> str:
        return self.explain()

    def _repr_html_(self) -> str:
        return f"<div style='{STYLE}'>{path_html(self, names_of(self.graph), open_=True)}</div>"


class PathList(list[CausalPath]):
    """A list of paths that also says whether the search stopped early (``truncated``)."""

    truncated: bool = False
    timed_out: bool = False

    def __init__(self, paths: Iterable[CausalPath] = (), *, truncated: bool = False, timed_out: bool = False) -> None:
        super().__init__(paths)
        self.truncated = truncated
        self.timed_out = timed_out

    def __str__(self) -> str:
        return text.paths_text(self, names_of(_graph_of(self)), truncated=self.truncated, timed_out=self.timed_out)

    def _repr_html_(self) -> str:
        head = f"<b>{text.plural(len(self), 'path')}</b>{esc(text.stopped(self.truncated, self.timed_out))}"
        return f"<div style='{STYLE}'>{head}{paths_list(self, names_of(_graph_of(self)), limit=SHOWN_PATHS)}</div>"


@dataclass(frozen=True)
class Subgroup:
    """What is known in a subgroup of the people a question names (issue 14, rule 1).

    A statement or finding about narrower people (men on testosterone therapy, within men) is reported here, with
    its own predicted and observed direction; it never decides the answer for the whole group.
    """

    who: str  # the subgroup, as a reader names it ("men on testosterone therapy")
    context: Mapping[str, str]  # its qualifiers (a population, or what narrows the question)
    predicted: Predicted
    observed: Predicted | None
    paths: tuple[CausalPath, ...] = ()
    findings: tuple[Finding, ...] = ()
    magnitude: str | None = None  # from the subgroup's findings only
    graph: Store | None = field(default=None, compare=False, repr=False)

    @property
    def direction(self) -> Predicted:
        """Observed if any measured finding says; else predicted from the subgroup's paths."""
        return self.observed if self.observed is not None else self.predicted

    def __repr__(self) -> str:
        return f"<Subgroup {self.who}: {self.direction} ({len(self.paths)} paths, {len(self.findings)} findings)>"

    def _repr_html_(self) -> str:
        return f"<div style='{STYLE}'>{self._html(names_of(self.graph or _graph_of(self.paths)))}</div>"

    def _html(self, names: Names) -> str:
        observed = "not measured" if self.observed is None else f"observed {self.observed}"
        size = f", magnitude {self.magnitude}" if self.magnitude else ""
        paths = f"predicted {self.predicted} from {text.plural(len(self.paths), 'path')}" if self.paths else "no path"
        how = f"({paths}; {observed}{size})"
        return subgroup_html(self.who, self.direction, how, self.paths, self.findings, names, limit=SHOWN_PATHS)


@dataclass(frozen=True)
class Effect:
    """How ``source`` changes ``target`` in ``context``: predicted from paths, observed from findings."""

    source: str
    target: str
    context: str
    predicted: Predicted
    observed: Predicted | None
    paths: tuple[CausalPath, ...]
    findings: tuple[Finding, ...] = ()
    magnitude: str | None = None
    truncated: bool = False
    change: str = "increase"
    reported: Predicted | None = None
    timed_out: bool = False
    blocked: tuple[str, ...] = ()  # what the source blocks (its action fixes them: kg.search.rules)
    cut: tuple[CausalPath, ...] = ()  # the best routes that rule cut (through what the source blocks)
    feedback: tuple[CausalPath, ...] = ()  # paths through the target's own negative feedback loop (set apart)
    loop_nodes: tuple[str, ...] = ()  # the nodes of that loop they pass
    #: finds the results about narrower people than the question's (never its answer): run on first reading of
    #: :attr:`subgroups`, so a question that does not look (compare) does not pay for the search
    subgroup_search: Callable[[], tuple[Subgroup, ...]] = field(default=tuple, repr=False, compare=False)
    members: tuple[str, ...] = ()  # a class's members whose paths or findings answer for it (rule 7)
    stated: tuple[Statement, ...] = ()  # one-step summaries from primary sources: net effects a source states
    graph: Store | None = field(default=None, compare=False, repr=False)  # for labels (else its paths' graph)
    question: Context | None = field(default=None, compare=False, repr=False)  # the context asked about

    @cached_property
    def subgroups(self) -> tuple[Subgroup, ...]:
        """What is known only about narrower people than the question's (issue 14, rule 1), never its answer.

        >>> Effect("A:1", "A:2", "any context", "unknown", None, ()).subgroups
        ()
        """
        return self.subgroup_search()

    @property
    def direction(self) -> Predicted:
        """Observed (measured findings) if any; else reported (authors' qualitative claims); else predicted."""
        if self.observed is not None:
            return self.observed
        return self.reported if self.reported is not None else self.predicted

    def paths_with_sign(self, sign: int) -> tuple[CausalPath, ...]:
        """The paths whose net sign is ``sign`` (e.g. both sets of a mixed effect)."""
        return tuple(p for p in self.paths if p.sign == sign)

    def __repr__(self) -> str:
        observed = "" if self.observed is None else f", observed {self.observed}"
        return (
            f"<Effect {self.source} -> {self.target} [{self.context}]: {self.direction} "
            f"(predicted {self.predicted}{observed}; {len(self.paths)} paths, {len(self.findings)} findings)>"
        )

    def _names(self) -> Names:
        return names_of(self.graph or _graph_of((*self.paths, *self.feedback, *self.cut)), self.question)

    def summary(self, top: int = 3) -> str:
        """A few lines of text: the headline, its basis, the ``top`` paths with their signs, findings, subgroups.

        >>> print(Effect("A:1", "A:2", "any context", "unknown", None, ()).summary())
        A:1 → A:2 (any context): unknown
        basis: no causal path; no measured or reported finding
        findings: 0
        subgroups: none
        """
        return text.summary(self, self._names(), top)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        names = self._names()
        apart = (
            ("set apart: through the target's own negative feedback loop", self.feedback),
            ("cut: routes through what the source blocks", self.cut),
        )
        groups = [s._html(names) for s in self.subgroups]
        head, basis = text.headline(self, names), text.basis(self)
        return effect_html(
            head, basis, self.paths, apart, self.findings, self.magnitude, groups, names, limit=SHOWN_PATHS
        )


@dataclass(frozen=True)
class FeedbackLoop:
    """A signed cycle: negative feedback (net sign −1) or positive feedback (+1)."""

    path: CausalPath

    @property
    def sign(self) -> int:
        """The product of the cycle's signs."""
        return self.path.sign

    @property
    def kind(self) -> str:
        """``negative`` or ``positive`` feedback."""
        return "negative" if self.sign < 0 else "positive"

    @property
    def nodes(self) -> tuple[str, ...]:
        """The cycle's nodes, first repeated at the end."""
        return self.path.nodes

    def __repr__(self) -> str:
        return f"<FeedbackLoop {self.kind}: {self.path.compact()}>"

    def _repr_html_(self) -> str:
        body = path_html(self.path, names_of(self.path.graph), open_=True)
        return f"<div style='{STYLE}'><b>{esc(self.kind)} feedback</b>{body}</div>"


class LoopList(list[FeedbackLoop]):
    """A list of feedback loops that also says whether the search stopped early (``truncated``)."""

    truncated: bool = False
    timed_out: bool = False

    def __init__(self, loops: Iterable[FeedbackLoop] = (), *, truncated: bool = False, timed_out: bool = False) -> None:
        super().__init__(loops)
        self.truncated = truncated
        self.timed_out = timed_out

    def _repr_html_(self) -> str:
        names = names_of(_graph_of(loop.path for loop in self))
        head = f"<b>{text.plural(len(self), 'feedback loop')}</b>{esc(text.stopped(self.truncated, self.timed_out))}"
        loops = paths_list([x.path for x in self], names, "loops", limit=SHOWN_ROWS)
        return f"<div style='{STYLE}'>{head}{loops}</div>"


class Reach(Mapping[str, Effect]):
    """The answer of ``downstream`` / ``upstream``: entity CURIE -> :class:`Effect`.

    Nearest entity first, then by CURIE; ``truncated`` says whether the search stopped early.

    Effects (with their paths) are made when first looked up, so a reach over a large graph costs little
    until it is read; ``len``, ``in`` and iteration over the keys make no Effect.

    >>> r = Reach(["A:2"], {"A:2": 0}.get, lambda c: Effect("A:1", c, "any context", "increase", None, ()))
    >>> list(r), r["A:2"].predicted, "A:3" in r
    (['A:2'], 'increase', False)
    """

    def __init__(
        self,
        ids: Sequence[str],
        position: Callable[[str], int | None],
        make: Callable[[str], Effect],
        *,
        truncated: bool = False,
        timed_out: bool = False,
    ) -> None:
        self._ids, self._position, self._make = ids, position, make
        self._made: dict[str, Effect] = {}
        self.truncated = truncated
        self.timed_out = timed_out

    def __getitem__(self, entity: str) -> Effect:
        made = self._made.get(entity)
        if made is None:
            if not isinstance(entity, str) or self._position(entity) is None:
                raise KeyError(entity)
            made = self._made[entity] = self._make(entity)
        return made

    def __contains__(self, entity: object) -> bool:
        return isinstance(entity, str) and self._position(entity) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __repr__(self) -> str:
        more = " (truncated)" if self.truncated else ""
        return f"<Reach: {len(self)} entities{more}>"

    def _repr_html_(self) -> str:
        """The first :data:`SHOWN_ROWS` entities, then how many more: only the rows shown make their Effect."""
        rows, head = [], ""
        for key in islice(self, SHOWN_ROWS):
            e, best = self[key], self[key].paths[:1]
            chain = "".join(f"net {sign_word(p.sign)}: {p.compact()}" for p in best)
            rows.append((e._names().label(key), e.direction, chain, len(e.paths)))
            head = head or text.reach_head(e, e._names(), downstream=key == e.target)
        return reach_html(rows, len(self), head + text.stopped(self.truncated, self.timed_out))


def sources_of(items: Iterable[Statement | Finding]) -> tuple[str, ...]:
    """Every source of ``items`` in order, without repeats."""
    return tuple(dict.fromkeys(src for it in items for src in it.sources))


def magnitude_of(values: Iterable[str | None], order: Mapping[str, int] | None = None) -> str | None:
    """The strongest magnitude among ``values`` (strong > moderate > slight)."""
    rank = order or {"strong": 3, "moderate": 2, "slight": 1}
    present = [v for v in values if v is not None and v in rank]
    return max(present, key=lambda v: rank[v]) if present else None


def _context_text(g: Store | None, st: Statement) -> str:
    if not st.context:
        return ""
    parts = [f"{k}={SPECIES.get(v) or (g.label(v) if g else v)}" for k, v in st.context.items()]
    return f" [in {', '.join(parts)}]"


def _step(
    g: Store | None, index: int, support: Sequence[Statement], ctx: Context | None, pops: Mapping[str, frozenset[str]]
) -> str:
    """Step ``index``: its statement and citations, then the quotes that back it (:mod:`kg.questions.quotes`)."""
    st, extra = support[0], len(support) - 1
    label = (lambda c: g.label(c)) if g is not None else (lambda c: c)
    predicate = g.rdf_label(st.predicate) if g is not None else st.predicate.replace("_", " ")
    magnitude = f" ({st.magnitude})" if st.magnitude else ""
    cites = "; ".join(cite(g, s) for s in st.sources)
    more = f" (+{extra} more supporting statement{'s' if extra > 1 else ''})" if extra else ""
    head = f"  {index}. {label(st.subject)} {predicate} {label(st.object)}{magnitude}{_context_text(g, st)} [{cites}]"
    return "\n".join([head + more, *(f"     {q.line(g)}" for q in step_quotes(g, support, ctx, pops))])


def explain_path(path: CausalPath, *, context: Context | None = None) -> str:
    """One path as prose: the net sign, then each step with its citations and the sentences that back it.

    Under each step the primary source's sentence comes first, labelled with its citation, then the seed article's
    as a secondary source; with the question's ``context``, a sentence about other people than the question's is
    passed over or labelled as such (:mod:`kg.questions.quotes`).
    """
    g = path.graph
    animal = ", ".join(SPECIES.get(s, s) for s in path.animal)
    marked = f"; rests in part on animal evidence ({animal})" if animal else ""
    lines = [f"{path.compact()}  (net {sign_word(path.sign)}{marked})"]
    support = path.support or tuple((st,) for st in path.statements)
    pops = source_populations(g) if context is not None else {}
    for i, (st, alternatives) in enumerate(zip(path.statements, support, strict=True), start=1):
        lines.append(_step(g, i, (st, *(a for a in alternatives if a != st)), context, pops))
    return "\n".join(lines)
