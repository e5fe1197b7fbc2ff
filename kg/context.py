"""Contexts: which statements and findings apply to a question about a population or a mapping.

A context is ``None`` (everything applies), a population's label, synonym or CURIE, or a mapping of
qualifiers such as ``{"sex": "male"}``. Both sides are expanded to plain qualifiers (a population becomes
its own qualifiers); a statement applies unless a qualifier that both set disagrees, or it is about a
subgroup of the people the question names (issue 14, rule 1: :meth:`Context.narrower`).

Parsing is forgiving where it can be without guessing: closed values ignore case and take everyday words
(``{"sex": "women"}`` is ``{"sex": "female"}``), and given the graph's name resolution (``names=``), a
tissue, condition or therapy may be named (``{"tissue": "bone"}``) instead of written as a CURIE.
:func:`list_contexts` lists the populations and regimens a context may name.

>>> from kg.model import Population
>>> pops = {"pop:pm": Population("pop:pm", "postmenopausal women", {"sex": "female"})}
>>> ctx = Context.parse({"sex": "male"}, pops)
>>> ctx.admits({"population": "pop:pm"}, pops), ctx.admits({}, pops)
(False, True)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from difflib import get_close_matches
from types import MappingProxyType
from typing import Literal, Protocol

from kg.errors import KGError, UnknownContextError
from kg.model import CONTEXT_KEYS, HUMAN, Entity, Population, Regimen
from kg.prefixes import is_curie

__all__ = [
    "NAMED_QUALIFIERS",
    "SPECIES",
    "WHOM_KEYS",
    "Context",
    "ContextEntry",
    "ContextLike",
    "ancestors",
    "expand_qualifiers",
    "lineage",
    "list_contexts",
    "resolve_names",
]


#: Everyday words for the values of closed qualifiers (matched case-insensitively).
VALUE_ALIASES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "sex": MappingProxyType(
            {"women": "female", "woman": "female", "females": "female", "men": "male", "man": "male", "males": "male"}
        ),
        "menopausal_status": MappingProxyType({"pre-menopausal": "premenopausal", "post-menopausal": "postmenopausal"}),
        "age_group": MappingProxyType({"adults": "adult", "old": "older", "elderly": "older"}),
    }
)

#: Open qualifiers whose value may be an entity's name, and the categories that entity must have.
NAMED_QUALIFIERS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "tissue": frozenset({"Anatomy", "CellType"}),
        "condition": frozenset({"Disease", "Phenotype"}),
        "therapy": frozenset({"Drug", "Hormone", "Chemical"}),
    }
)
_WHAT = {"tissue": "an anatomy or cell entity (UBERON/CL)", "condition": "a disease or phenotype (MONDO/HP)"}
#: The prefixes a CURIE the graph has no entity for must have, per named qualifier.
_PREFIXES = {"tissue": ("UBERON", "CL"), "condition": ("MONDO", "HP", "DOID", "EFO"), "therapy": ("CHEBI",)}

#: The species a context may name by its common name (``species=human``), and their labels.
SPECIES: Mapping[str, str] = MappingProxyType(
    {"NCBITaxon:9606": "human", "NCBITaxon:10090": "mouse", "NCBITaxon:10116": "rat"}
)

#: The qualifiers that say whom a statement or finding is about. A question that names one of them (or a
#: population) asks about a group of people; a statement that sets one the question leaves open is about a
#: subgroup of that group (issue 14, rule 1). Species and tissue say what kind and where, not whom.
WHOM_KEYS = ("sex", "menopausal_status", "age_group", "condition", "therapy", "regimen")

#: Resolves a name to an entity (``g.resolve``); raises :class:`~kg.errors.KGError` when nothing matches.
Names = Callable[[str], Entity]


def expand_qualifiers(context: Mapping[str, str], populations: Mapping[str, Population]) -> dict[str, str]:
    """The context's qualifiers with any ``population`` replaced by that population's own qualifiers.

    Explicit qualifiers win over the population's (a statement may narrow its population).

    >>> pops = {"pop:w": Population("pop:w", "women", {"sex": "female", "species": "NCBITaxon:9606"})}
    >>> expand_qualifiers({"population": "pop:w", "tissue": "UBERON:0002481"}, pops)["sex"]
    'female'
    """
    out: dict[str, str] = {}
    pop_id = context.get("population")
    if pop_id is not None and pop_id in populations:
        out.update(populations[pop_id].qualifiers)
    out.update({k: v for k, v in context.items() if k != "population"})
    return out


def resolve_names(context: ContextLike, names: Names) -> ContextLike:
    """``context`` with named tissues, conditions, therapies and species replaced by their CURIEs.

    A population name (a string) and ``None`` come back unchanged; a value of another type is left for
    :meth:`Context.parse` to refuse. Raises :class:`~kg.errors.UnknownContextError` naming the value that
    resolves to nothing, or to an entity of the wrong kind.

    >>> bone = Entity("UBERON:0002481", "bone tissue", "Anatomy", synonyms=("bone",))
    >>> resolve_names({"tissue": "bone", "species": "human"}, lambda name: bone)
    {'tissue': 'UBERON:0002481', 'species': 'NCBITaxon:9606'}
    """
    return context if not isinstance(context, Mapping) else _resolve_mapping(context, names)


def _resolve_mapping(context: Mapping[str, str], names: Names) -> dict[str, str]:
    return {key: _resolved(key, value, names) for key, value in context.items()}


def _resolved(key: str, value: str, names: Names) -> str:
    if not isinstance(value, str):
        return value  # refused by Context.parse, with its type named
    if key == "species":
        return _species(value)
    wanted = NAMED_QUALIFIERS.get(key)
    if wanted is None:
        return value
    try:
        entity = names(value.strip())
    except (KGError, KeyError) as err:
        if is_curie(value):
            return _unknown_curie(key, value)
        close = getattr(err, "suggestions", ())
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else " (try: hormone-kg search TEXT)"
        raise UnknownContextError(f"context {key}={value!r} names no entity of the graph{hint}") from None
    if entity.category not in wanted:
        what = _WHAT.get(key, f"one of {', '.join(sorted(wanted))}")
        raise UnknownContextError(
            f"context {key}={value!r} is {entity.label} ({entity.id}, category {entity.category}), not {what}"
        )
    return entity.id


def _unknown_curie(key: str, value: str) -> str:
    """A CURIE the graph has no entity for: valid if its prefix fits the qualifier (a tissue in UBERON or CL)."""
    prefixes = _PREFIXES.get(key, ())
    if prefixes and value.split(":", 1)[0] not in prefixes:
        raise UnknownContextError(
            f"context {key}={value!r} is not {_WHAT.get(key, 'a ' + '/'.join(prefixes) + ' term')}: "
            f"expected a {' or '.join(prefixes)} CURIE or a name of the graph"
        )
    return value


def _species(value: str) -> str:
    by_name = {name: curie for curie, name in SPECIES.items()}
    return by_name.get(value.strip().casefold(), value)


@dataclass(frozen=True)
class Context:
    """A parsed query context: plain qualifiers, and the population it came from (if any)."""

    qualifiers: Mapping[str, str]
    population: str | None = None
    label: str = "any context"

    @classmethod
    def parse(cls, context: ContextLike, populations: Mapping[str, Population], names: Names | None = None) -> Context:
        """Parse what a user passed; raises :class:`UnknownContextError` naming the problem.

        ``names`` (the graph's ``resolve``) lets a tissue, condition or therapy be given by name.

        >>> pops = {"pop:w": Population("pop:w", "women", {"sex": "female"}, synonyms=("female",))}
        >>> Context.parse("Female", pops).population, dict(Context.parse({"sex": "Women"}, pops).qualifiers)
        ('pop:w', {'sex': 'female'})
        """
        if isinstance(context, Context):
            return context
        if context is None:
            return cls(MappingProxyType({}))
        if isinstance(context, str):
            pop = _find_population(context, populations)
            return cls(MappingProxyType(dict(pop.qualifiers)), pop.id, pop.label)
        if not isinstance(context, Mapping):
            raise UnknownContextError(f"a context is a population name or a mapping, not {type(context).__name__}")
        if names is not None:
            context = _resolve_mapping(context, names)
        checked = {key: _checked(key, value, populations) for key, value in context.items()}
        qualifiers = expand_qualifiers(checked, populations)
        _check_consistent(checked, populations)
        label = ", ".join(f"{k}={v}" for k, v in sorted(checked.items())) or "any context"
        return cls(MappingProxyType(qualifiers), checked.get("population"), label)

    subgroups: bool = False  # also admit what is about a subgroup of the people named (to report it as such)
    source: str | None = None  # what the question changes: people on it as a therapy are not a subgroup
    animal: bool = True  # statements from animal evidence may join a human question's paths (rule 1; marked)

    @property
    def names_whom(self) -> bool:
        """Whether the question names a group of people (a population, a sex, a condition, …).

        Not only a species or a tissue: a question that names no one asks what is known in anyone, and every
        statement applies (each path says whom it is about).

        >>> Context.parse({"sex": "female"}, {}).names_whom, Context.parse({"tissue": "UBERON:0002481"}, {}).names_whom
        (True, False)
        """
        return self.population is not None or any(k in self.qualifiers for k in WHOM_KEYS)

    def admits(
        self, context: Mapping[str, str], populations: Mapping[str, Population], *, finding: bool = False
    ) -> bool:
        """Whether a statement (or, ``finding``, a finding) restricted to ``context`` applies here.

        It does unless a qualifier both set disagrees, or it is about a subgroup of the people this context
        names (:meth:`narrower`; admitted anyway when ``subgroups`` is set), or about another group that its
        qualifiers cannot tell apart from this one's. A statement from animal evidence joins a question about
        humans (``animal``, the default; marked, and weighted below human primary evidence); a finding never
        crosses species.

        >>> pm = Context.parse({"sex": "female", "species": "NCBITaxon:9606"}, {})
        >>> mouse = {"sex": "female", "species": "NCBITaxon:10090"}
        >>> pm.admits(mouse, {}), pm.admits(mouse, {}, finding=True), replace(pm, animal=False).admits(mouse, {})
        (True, False, False)
        """
        if not context:
            return True
        theirs = expand_qualifiers(context, populations)
        species, ours = theirs.get("species"), self.qualifiers.get("species")
        if species is not None and species != HUMAN and species != ours:  # animal evidence not asked about
            if (finding and ours is not None) or not self.animal or ours not in (None, HUMAN):
                return False
            theirs = {k: v for k, v in theirs.items() if k != "species"}  # it joins, marked as such
        if not self.qualifiers:
            return True
        if any(self.qualifiers[k] != v for k, v in theirs.items() if k in self.qualifiers):
            return False
        if self._beside(theirs, context.get("population"), populations):
            return False
        return self.subgroups or not self._narrower(theirs, context.get("population"), populations)

    def _beside(self, theirs: Mapping[str, str], population: str | None, pops: Mapping[str, Population]) -> bool:
        """Whether ``population`` is another group than this one's that the qualifiers cannot tell apart.

        Early and advanced breast cancer in postmenopausal women share every qualifier, but neither population is
        above the other: one's trial results do not answer for the other.
        """
        mine = self.population
        if population is None or mine is None or population == mine:
            return False
        if mine in ancestors(population, pops) or population in ancestors(mine, pops):
            return False
        whom = {k: v for k, v in theirs.items() if k in WHOM_KEYS}
        return whom == {k: v for k, v in self.qualifiers.items() if k in WHOM_KEYS}

    def narrower(self, context: Mapping[str, str], populations: Mapping[str, Population]) -> bool:
        """Whether ``context`` is about a subgroup of the people this context names (issue 14, rule 1).

        It is when it sets a qualifier of :data:`WHOM_KEYS` that this one leaves open (men on testosterone
        therapy, within men), or names a population below this one's in the hierarchy (``broader``). A therapy
        that is the question's own ``source`` does not narrow: the effect of testosterone therapy in men is
        measured in men on testosterone therapy. Such a statement or finding is reported as a subgroup result; it
        never decides the answer for the whole group.

        >>> pops = {"pop:m": Population("pop:m", "men", {"sex": "male"}),
        ...         "pop:t": Population("pop:t", "men on T", {"sex": "male", "therapy": "X:1"}, broader=("pop:m",))}
        >>> men = Context.parse("men", pops)
        >>> men.narrower({"population": "pop:t"}, pops), men.narrower({"sex": "male"}, pops)
        (True, False)
        >>> men.admits({"population": "pop:t"}, pops), men.with_subgroups().admits({"population": "pop:t"}, pops)
        (False, True)
        """
        if not context:
            return False
        return self._narrower(expand_qualifiers(context, populations), context.get("population"), populations)

    def _narrower(self, theirs: Mapping[str, str], population: str | None, pops: Mapping[str, Population]) -> bool:
        if not self.names_whom:
            return False
        if any(k in theirs and k not in self.qualifiers for k in WHOM_KEYS if k != "therapy"):
            return True
        if theirs.get("therapy", self.source) not in (self.source, self.qualifiers.get("therapy")):
            return True  # on a background therapy the question does not name (not the therapy it asks about)
        if self.source is not None and theirs.get("therapy") == self.source:
            return False  # people on the therapy the question asks about: the population that measures it
        return population is not None and self.population is not None and self.population in ancestors(population, pops)

    def with_subgroups(self) -> Context:
        """This context, admitting also what is about a subgroup of its people (to report subgroup results)."""
        return replace(self, subgroups=True)

    def human_only(self) -> Context:
        """This context without animal evidence: no statement restricted to another species joins a path.

        >>> human, mouse = Context.parse({"species": "NCBITaxon:9606"}, {}), {"species": "NCBITaxon:10090"}
        >>> human.admits(mouse, {}), human.human_only().admits(mouse, {})
        (True, False)
        """
        return replace(self, animal=False)

    def about(self, source: str) -> Context:
        """This context for a question that changes ``source`` (people on it as a therapy are no subgroup)."""
        return self if not self.names_whom or self.source == source else replace(self, source=source)


#: What a question's ``context`` may be: a population's name, a mapping of qualifiers, a parsed context, or None.
ContextLike = str | Mapping[str, str] | Context | None


def ancestors(population: str, populations: Mapping[str, Population]) -> set[str]:
    """The populations above ``population`` in the hierarchy (its ``broader``, theirs, …; not itself).

    >>> pops = {"pop:m": Population("pop:m", "men", {}),
    ...         "pop:t": Population("pop:t", "men on T", {}, broader=("pop:m",))}
    >>> ancestors("pop:t", pops), ancestors("pop:m", pops)
    ({'pop:m'}, set())
    """
    seen: set[str] = set()
    todo = list(populations[population].broader) if population in populations else []
    while todo:
        pop = todo.pop()
        if pop not in seen:
            seen.add(pop)
            todo.extend(populations[pop].broader if pop in populations else ())
    return seen


def _checked(key: object, value: object, populations: Mapping[str, Population]) -> str:
    """One qualifier's value, checked (and a closed value or a population name normalised)."""
    if key not in CONTEXT_KEYS:
        raise UnknownContextError(f"unknown context qualifier {key!r}; expected one of {sorted(CONTEXT_KEYS)}")
    if not isinstance(value, str):
        raise UnknownContextError(f"context qualifier {key!r} must be text, not {type(value).__name__}")
    allowed = CONTEXT_KEYS[str(key)]
    if allowed is not None:
        word = value.strip().casefold()
        word = VALUE_ALIASES.get(str(key), {}).get(word, word)
        if word not in allowed:
            raise UnknownContextError(f"context {key}={value!r} is impossible; expected one of {sorted(allowed)}")
        return word
    if key == "population":
        return _find_population(value, populations).id
    if not is_curie(value):
        hint = "; a name is resolved by kg.context.resolve_names(context, g.resolve)" if key in NAMED_QUALIFIERS else ""
        raise UnknownContextError(f"context {key}={value!r} must be a CURIE with a registered prefix{hint}")
    return value


def _find_population(name: str, populations: Mapping[str, Population]) -> Population:
    if name in populations:
        return populations[name]
    wanted = name.strip().casefold()
    for pop in populations.values():
        if wanted in (n.casefold() for n in (pop.label, *pop.synonyms)):
            return pop
    names = [n for pop in populations.values() for n in (pop.label, *pop.synonyms)]
    close = get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise UnknownContextError(f"unknown population {name!r}{hint} (hormone-kg contexts lists them)")


def _check_consistent(context: Mapping[str, str], populations: Mapping[str, Population]) -> None:
    pop_id = context.get("population")
    if pop_id is None:
        return
    for key, value in populations[pop_id].qualifiers.items():
        if key in context and context[key] != value:
            raise UnknownContextError(
                f"impossible context: {key}={context[key]!r} contradicts population {pop_id} ({key}={value!r})"
            )


# ---------------------------------------------------------------------------------------------- listing
class _Graph(Protocol):
    """What :func:`list_contexts` reads of a graph (a :class:`~kg.graph.KnowledgeGraph`)."""

    @property
    def populations(self) -> Mapping[str, Population]: ...

    @property
    def regimens(self) -> Mapping[str, Regimen]: ...

    def label(self, curie: str) -> str: ...


@dataclass(frozen=True)
class ContextEntry:
    """One population or regimen a context may name, with its names and what it means.

    ``qualifiers`` are a population's qualifiers, or a regimen's drug, dose and frequency; ``labels``
    gives the label of each CURIE among their values.
    """

    kind: Literal["population", "regimen"]
    id: str
    label: str
    synonyms: tuple[str, ...] = ()
    qualifiers: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    broader: tuple[str, ...] = ()
    note: str | None = None

    def names(self) -> tuple[str, ...]:
        """The label, then the synonyms: any of them may be given as ``--context``."""
        return (self.label, *self.synonyms)

    def describe(self) -> str:
        """``sex=female, species=human``: the qualifiers, CURIEs shown by their labels.

        >>> ContextEntry("population", "pop:w", "women", qualifiers={"sex": "female"}).describe()
        'sex=female'
        """
        return ", ".join(f"{k}={self.labels.get(v, v)}" for k, v in self.qualifiers.items())


def list_contexts(g: _Graph, text: str | None = None) -> list[ContextEntry]:
    """The populations, then the regimens, of ``g`` (those with a name matching ``text``, best first).

    Populations come as a tree: each general population (no ``broader``) in order of label, followed by the
    populations that narrow it (``women``, ``postmenopausal women``, … ``men``, …).

    A population also matches when one of its qualifiers is ``text`` (``female`` finds all the women's).

    >>> import kg
    >>> found = list_contexts(kg.load(), "female")
    >>> found[0].label, all(c.qualifiers.get("sex") == "female" for c in found)
    ('women', True)
    """
    populations = [_population_entry(g, p) for p in g.populations.values()]
    by_id = {c.id: c for c in populations}
    populations.sort(key=lambda c: lineage(c, by_id))
    regimens = sorted((_regimen_entry(g, r) for r in g.regimens.values()), key=lambda c: c.label.casefold())
    entries = [*populations, *regimens]
    if text is None or not text.strip():
        return entries
    ranked = [(rank, n, c) for n, c in enumerate(entries) if (rank := _match_rank(c, text)) is not None]
    return [c for _, _, c in sorted(ranked, key=lambda r: (r[0], r[1]))]


def lineage(entry: ContextEntry, by_id: Mapping[str, ContextEntry]) -> tuple[str, ...]:
    """The casefolded labels from the most general population down to ``entry`` (through its first ``broader``).

    >>> women = ContextEntry("population", "pop:w", "Women")
    >>> pm = ContextEntry("population", "pop:pm", "postmenopausal women", broader=("pop:w",))
    >>> lineage(pm, {"pop:w": women, "pop:pm": pm})
    ('women', 'postmenopausal women')
    """
    chain = [entry]
    while chain[-1].broader and chain[-1].broader[0] in by_id and len(chain) <= len(by_id):
        chain.append(by_id[chain[-1].broader[0]])
    return tuple(c.label.casefold() for c in reversed(chain))


def _match_rank(entry: ContextEntry, text: str) -> int | None:
    """0 exact name or id, 1 a name starts with ``text``, 2 contains it, 3 a qualifier does; None otherwise."""
    query = text.strip().casefold()
    names = [n.casefold() for n in entry.names()]
    if query in names or query == entry.id.casefold():
        return 0
    if any(n.startswith(query) for n in names):
        return 1
    if any(query in n for n in names):
        return 2
    if any(query == v.casefold() for v in (*entry.qualifiers.values(), *entry.labels.values())):
        return 3
    return None


def _labels(g: _Graph, values: Mapping[str, str]) -> dict[str, str]:
    out = {v: SPECIES.get(v) or g.label(v) for v in values.values() if is_curie(v)}
    return {k: v for k, v in out.items() if v != k}


def _population_entry(g: _Graph, p: Population) -> ContextEntry:
    qualifiers = dict(p.qualifiers)
    return ContextEntry("population", p.id, p.label, p.synonyms, qualifiers, _labels(g, qualifiers), p.broader)


def _regimen_entry(g: _Graph, r: Regimen) -> ContextEntry:
    qualifiers = {"drug": r.drug, "dose": r.dose, "frequency": r.frequency}
    return ContextEntry("regimen", r.id, r.label, (), qualifiers, _labels(g, qualifiers), note=r.note)
