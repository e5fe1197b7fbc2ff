"""Frozen records: what the graph is made of (entities, statements, findings, sources, contexts).

Query results (:class:`CausalPath`, :class:`Effect`) live in :mod:`kg.questions.results`.

>>> e = Entity(id="CHEBI:2704", label="anastrozole", category="Drug")
>>> e.names()
('anastrozole',)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

__all__ = [
    "CATEGORIES",
    "CONTEXT_KEYS",
    "IMPORTED_ENTITY",
    "IMPORT_PREFIX",
    "IMPORT_WEIGHT",
    "VALUE_TYPES",
    "Curation",
    "Entity",
    "Evidence",
    "Finding",
    "Population",
    "Regimen",
    "Source",
    "Statement",
    "UnverifiableCitation",
    "animal_species",
    "evidence_weight",
    "imported",
    "imported_entity",
    "source_weight",
]

Direction = Literal["increase", "decrease", "none"]

#: Entity categories (SPEC §3.1); each is a class in the ontology, mapped to a Biolink class there.
CATEGORIES: tuple[str, ...] = (
    "Hormone",
    "Drug",
    "Chemical",
    "Enzyme",
    "Receptor",
    "SignallingProtein",
    "Protein",
    "Gene",
    "CellType",
    "Anatomy",
    "BiologicalProcess",
    "MolecularActivity",
    "ClinicalMeasure",
    "Phenotype",
    "Disease",
    "Population",
    "Regimen",
)

#: Context qualifiers a statement or a query may set, and the values the closed ones take.
CONTEXT_KEYS: Mapping[str, frozenset[str] | None] = MappingProxyType(
    {
        "population": None,  # pop: CURIE
        "sex": frozenset({"female", "male"}),
        "menopausal_status": frozenset({"premenopausal", "postmenopausal"}),
        "age_group": frozenset({"adult", "older"}),
        "tissue": None,  # UBERON / CL CURIE
        "regimen": None,  # regimen: CURIE
        "species": None,  # NCBITaxon CURIE
        "condition": None,  # MONDO / HP CURIE
        "therapy": None,  # CHEBI CURIE of a background therapy
    }
)

MAGNITUDES: tuple[str, ...] = ("strong", "moderate", "slight")

#: What a finding's ``value`` is: a change from its comparator (the default), the level reached at follow-up, a
#: ratio (hazard, odds, risk ratio), a count (of people, of events) or a correlation coefficient.
VALUE_TYPES: tuple[str, ...] = ("change", "level", "ratio", "count", "correlation")

_SOURCE_WEIGHT = {"src:seed-article": 0.5, "src:curator": 0.25}


def source_weight(source: str) -> float:
    """How much one source counts when ranking: a PMID/DOI 1, the seed article 0.5, curator inference 0.25.

    Primary sources outrank the seed article, which outranks curator inference.

    >>> source_weight("PMID:18309940"), source_weight("src:seed-article"), source_weight("src:curator")
    (1.0, 0.5, 0.25)
    """
    return _SOURCE_WEIGHT.get(source, 1.0)


#: Human (NCBITaxon:9606): the species clinical evidence is about.
HUMAN = "NCBITaxon:9606"
#: What a primary source counts for when its statement rests on animal evidence (issue 14, rules 1 and 8: human
#: primary > animal > the seed article > curator inference).
ANIMAL_WEIGHT = 0.75


def animal_species(context: Mapping[str, str]) -> str | None:
    """The non-human species a statement's context restricts it to (None: human or any).

    >>> animal_species({"species": "NCBITaxon:10090"}), animal_species({"species": "NCBITaxon:9606"})
    ('NCBITaxon:10090', None)
    """
    species = context.get("species")
    return species if species is not None and species != HUMAN else None


#: The source id prefix of an import's origin (``src:import-<name>``): a statement citing one was imported by
#: :mod:`kg.imports`, not curated (the trust tier, issue 16).
IMPORT_PREFIX = "src:import-"
#: What each source of an imported statement counts for: less than curator inference (0.25).
IMPORT_WEIGHT = 0.1


def imported(sources: Iterable[str]) -> bool:
    """Whether a statement with these sources was imported (one of them is an import's origin).

    >>> imported(["PMID:19530226", "src:import-signor-sample"]), imported(["PMID:18309940"])
    (True, False)
    """
    return any(s.startswith(IMPORT_PREFIX) for s in sources)


#: How an entity made by an import (:mod:`kg.imports`) begins its ``verified`` field: it was not verified by a
#: curator. Name resolution prefers curated entities (:class:`kg.store.resolve.NameIndex`).
IMPORTED_ENTITY = "imported, not verified by a curator:"


def imported_entity(entity: Entity) -> bool:
    """Whether ``entity`` was made by an import rather than curated.

    >>> imported_entity(Entity("MESH:D000001", "x", "Chemical", verified=IMPORTED_ENTITY + " kgx file x.tsv"))
    True
    """
    return (entity.verified or "").startswith(IMPORTED_ENTITY)


def evidence_weight(source: str, context: Mapping[str, str], is_imported: bool = False) -> float:
    """How much ``source`` counts for a statement with ``context``.

    That is :func:`source_weight`, except that a primary source of animal evidence counts :data:`ANIMAL_WEIGHT`
    and every source of an imported statement (``is_imported``, see :func:`imported`) :data:`IMPORT_WEIGHT`.

    >>> evidence_weight("PMID:1", {"species": "NCBITaxon:10090"}), evidence_weight("PMID:1", {})
    (0.75, 1.0)
    >>> evidence_weight("PMID:1", {}, is_imported=True)
    0.1
    """
    if is_imported:
        return IMPORT_WEIGHT
    weight = source_weight(source)
    return ANIMAL_WEIGHT if weight == 1.0 and animal_species(context) else weight


class FrozenMap(dict[str, str]):
    """A read-only, picklable, sorted ``dict`` of text qualifiers (sorted when made, so equal maps hash alike).

    >>> list(FrozenMap({"sex": "female", "age_group": "older"}))
    ['age_group', 'sex']
    """

    def __init__(self, *args: Any, **kwargs: str) -> None:
        dict.__init__(self, sorted(dict(*args, **kwargs).items()))

    def _readonly(self, *args: object, **kwargs: object) -> None:
        raise TypeError("context qualifiers are read-only")

    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = _readonly  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type[FrozenMap], tuple[dict[str, str]]]:
        return (FrozenMap, (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self.items()))


def _frozen(mapping: Mapping[str, str] | None) -> FrozenMap:
    return mapping if type(mapping) is FrozenMap else FrozenMap(mapping or {})  # (a FrozenMap is sorted when made)


@dataclass(frozen=True)
class Entity:
    """A node of the graph: hormone, drug, enzyme, receptor, cell type, process, measure..."""

    id: str
    label: str
    category: str
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    description: str | None = None
    comment: str | None = None
    verified: str | None = None

    def names(self) -> tuple[str, ...]:
        """Label, synonyms and abbreviations, in that order, without repeats."""
        return tuple(dict.fromkeys((self.label, *self.synonyms, *self.abbreviations)))

    def _repr_html_(self) -> str:
        import html

        rows = (
            ("id", self.id),
            ("category", self.category),
            ("synonyms", ", ".join(self.synonyms)),
            ("abbreviations", ", ".join(self.abbreviations)),
            ("xrefs", ", ".join(self.xrefs)),
            ("broader", ", ".join(self.broader)),
            ("description", self.description or ""),
        )
        body = "".join(f"<tr><th style='text-align:left'>{k}</th><td>{html.escape(v)}</td></tr>" for k, v in rows if v)
        return f"<div><b>{html.escape(self.label)}</b><table>{body}</table></div>"


@dataclass(frozen=True)
class Evidence:
    """A verbatim or near-verbatim sentence and the source it is quoted from."""

    source: str
    text: str


@dataclass(frozen=True)
class Statement:
    """One reified causal or structural claim with its context and provenance."""

    id: str
    subject: str
    predicate: str
    object: str
    sign: int
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    context: Mapping[str, str] = field(default_factory=lambda: _frozen(None))
    magnitude: str | None = None
    reaction: str | None = None
    negated: bool = False
    evidence_type: str | None = None
    note: str | None = None
    summary: bool = False  # a net effect over intermediate steps, not one direct mechanism (issue 14, rule 5)
    via: tuple[str, ...] = ()  # a summary's mediators, where known

    def __post_init__(self) -> None:
        object.__setattr__(self, "context", _frozen(self.context))

    @property
    def curie(self) -> str:
        """The statement's CURIE (``stmt:<id>``)."""
        return f"stmt:{self.id}"

    @property
    def causal(self) -> bool:
        """Whether path search may traverse it: signed and not negated."""
        return self.sign != 0 and not self.negated

    def __hash__(self) -> int:
        return hash(self.id)


@dataclass(frozen=True)
class Finding:
    """A clinical result: intervention, population, regimen, duration, measure, value, statistic, source."""

    id: str
    intervention: str
    measure: str
    direction: str
    sources: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    kind: str = "measured"
    phase: str = "on-treatment"
    value_type: str = "change"  # what ``value`` is: change (from the comparator), level, ratio, count, correlation
    comparator: str | None = None
    population: str | None = None
    regimen: str | None = None
    duration: str | None = None
    site: str | None = None
    value: float | None = None
    unit: str | None = None
    statistic: str | None = None
    p_value: str | None = None
    ci: str | None = None
    n: int | None = None
    magnitude: str | None = None
    note: str | None = None

    @property
    def curie(self) -> str:
        """The finding's CURIE (``finding:<id>``)."""
        return f"finding:{self.id}"

    def _repr_html_(self) -> str:
        from html import escape as esc

        about = (("intervention", self.intervention), ("population", self.population), ("regimen", self.regimen),
                 ("kind", f"{self.kind}, {self.phase}"), ("magnitude", self.magnitude),
                 ("note", self.note))  # fmt: skip
        body = "".join(f"<tr><th style='text-align:left'>{k}</th><td>{esc(v)}</td></tr>" for k, v in about if v)
        quotes = "".join(f"<li><i>{esc(e.source)}</i>: \u201c{esc(e.text)}\u201d</li>" for e in self.evidence)
        return f"<div><b>{esc(self.measured())}</b>: {esc(self.result())}<table>{body}</table><ul>{quotes}</ul></div>"

    def measured(self, label: Callable[[str], str] | None = None) -> str:
        """What was measured where: the measure, its site unless the measure names it, the phase if off treatment.

        >>> Finding("x", "CHEBI:2704", "EFO:0007701", "decrease", (), (), site="UBERON:0006074").measured()
        'EFO:0007701 at the UBERON:0006074'
        """
        name = label or str
        what, site = name(self.measure), name(self.site) if self.site else ""
        what += f" at the {site}" if site and site.casefold() not in what.casefold() else ""
        return what + (" (after stopping treatment)" if self.phase == "off-treatment" else "")

    def result(self, label: Callable[[str], str] | None = None) -> str:
        """What was found: a level or a change, against what, when, how sure and in how many (no measure, no source).

        A level reached is not a change (``value_type``): it reads "level 12 pg/mL at 3 months, lower than …".

        >>> Finding("y", "CHEBI:2704", "CHEBI:16469", "decrease", (), (), comparator="baseline", value=12,
        ...         unit="pg/mL", value_type="level", duration="3 months", n=69).result()
        'level 12 pg/mL at 3 months, lower than at baseline (n=69)'
        """
        cmp = self.comparator
        against = "" if cmp is None else cmp if cmp in ("baseline", "placebo") else (label or str)(cmp)
        when = _when(self.duration) + (f" ({self.statistic})" if self.statistic else "")
        shown = f"{self.value:g} {self.unit or ''}".rstrip() if self.value is not None else ""
        if shown and self.value_type == "level":
            than = {"increase": "higher than", "decrease": "lower than", "none": "not different from"}
            where = against if self.direction == "none" else ("at " if against == "baseline" else "with ") + against
            head = f"level {shown}{when}" + (f", {than.get(self.direction, self.direction)} {where}" if against else "")
        else:
            said = not against or against.casefold() in f"{self.statistic} {self.unit}".casefold()
            vs = "" if said else " from baseline" if against == "baseline" else f" vs {against}"
            word = {"increase": "an increase", "decrease": "a decrease", "none": "no significant change"}
            change = word.get(self.direction, self.direction)
            head = f"{shown}{vs}{when}, {change}" if shown else f"{change}{vs}{when}"
        extras = "".join(f", {x}" for x in (self.p_value, self.ci) if x)
        return head + extras + (f" (n={self.n})" if self.n is not None else "")

    def summary(self, label: Callable[[str], str] | None = None) -> str:
        """One line: what was measured where, as a level or a change, comparator, time point, n, and the sources.

        ``label`` names the CURIEs (a graph's ``g.label``); without it they show as CURIEs.

        >>> names = {"EFO:0007701": "spine BMD", "UBERON:0006074": "lumbar spine"}
        >>> Finding(id="x", intervention="CHEBI:2704", measure="EFO:0007701", direction="decrease",
        ...         sources=("PMID:18309940",), evidence=(), comparator="baseline", site="UBERON:0006074",
        ...         value=-6.08, unit="%", statistic="median change from baseline", duration="5 years",
        ...         ).summary(lambda c: names.get(c, c))
        'spine BMD at the lumbar spine: -6.08 % at 5 years (median change from baseline), a decrease [PMID:18309940]'
        """
        return f"{self.measured(label)}: {self.result(label)} [{', '.join(self.sources)}]"


def _when(duration: str | None) -> str:
    """`` at 5 years`` for a time point; a phrase that says its own preposition, or anything else, as written.

    >>> _when("5 years"), _when("during treatment"), _when("median 21 months"), _when(None)
    (' at 5 years', ' during treatment', ' (median 21 months)', '')
    """
    if not duration:
        return ""
    first = duration.split()[0].casefold()
    if first[0].isdigit() or first in ("year", "years", "day", "days", "week", "month", "one"):
        return f" at {duration}"
    own = ("after", "during", "until", "up", "over", "within", "immediately", "first", "at", "before")
    return f" {duration}" if first in own else f" ({duration})"


@dataclass(frozen=True)
class Source:
    """A verified bibliographic source (the reference registry)."""

    id: str
    title: str
    verified: str
    authors: str | None = None
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None

    def short(self) -> str:
        """``First author et al. year, id``; a source with no verified author: ``journal year, id``.

        >>> Source(id="PMID:18309940", title="t", verified="v", authors="Eastell R, Adams JE",
        ...        year=2008).short()
        'Eastell et al. 2008, PMID:18309940'
        >>> Source(id="PMID:27901187", title="t", verified="v", authors="Donato J Jr, Frazão R", year=2016).short()
        'Donato et al. 2016, PMID:27901187'
        """
        if not self.authors:
            if self.id.startswith("src:"):
                return f"{self.title} ({self.id})"
            where = " ".join(str(x) for x in (self.journal, self.year) if x)
            return f"{where}, {self.id}" if where else self.id
        first = self.authors.split(";")[0].strip()
        group = "group" in first.casefold()
        if not group:
            words = first.split(",")[0].split()
            while len(words) > 1 and words[-1].rstrip(".") in ("Jr", "Sr", "II", "III", "IV"):
                words = words[:-1]
            if len(words) > 1 and len(words[-1]) <= 3 and words[-1].isalpha() and words[-1][0].isupper():
                words = words[:-1]  # the initials (Eastell R, Chesnut Ch)
            first = " ".join(words)
        many = "," in self.authors or ";" in self.authors
        who = f"{first} et al." if many and not group and not first.endswith("et al.") else first
        year = f" {self.year}" if self.year else ""
        return f"{who}{year}, {self.id}"


@dataclass(frozen=True)
class UnverifiableCitation:
    """A citation seen in a source that could not be verified: recorded, never cited."""

    id: str
    cited_as: str
    reason: str


@dataclass(frozen=True)
class Population:
    """A named population: its qualifiers are what a context built from it means."""

    id: str
    label: str
    qualifiers: Mapping[str, str]
    synonyms: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "qualifiers", _frozen(self.qualifiers))

    def __hash__(self) -> int:
        return hash(self.id)


@dataclass(frozen=True)
class Regimen:
    """A drug regimen (dose and frequency)."""

    id: str
    label: str
    drug: str
    dose: str
    frequency: str
    note: str | None = None


@dataclass(frozen=True)
class Curation:
    """Everything the curated files say, before it becomes RDF; ordered by id."""

    entities: tuple[Entity, ...] = ()
    statements: tuple[Statement, ...] = ()
    findings: tuple[Finding, ...] = ()
    sources: tuple[Source, ...] = ()
    unverifiable: tuple[UnverifiableCitation, ...] = ()
    populations: tuple[Population, ...] = ()
    regimens: tuple[Regimen, ...] = ()
    #: record id -> "file:line" where it was written (for error messages; not part of equality)
    origins: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def canonical(self) -> Curation:
        """The same content with every list in a fixed order (by id), as RDF round trips give it."""
        return Curation(
            entities=tuple(sorted(self.entities, key=lambda x: x.id)),
            statements=tuple(sorted(self.statements, key=lambda x: x.id)),
            findings=tuple(sorted(self.findings, key=lambda x: x.id)),
            sources=tuple(sorted(self.sources, key=lambda x: x.id)),
            unverifiable=tuple(sorted(self.unverifiable, key=lambda x: x.id)),
            populations=tuple(sorted(self.populations, key=lambda x: x.id)),
            regimens=tuple(sorted(self.regimens, key=lambda x: x.id)),
            origins=self.origins,
        )

    def merged(self, other: Curation) -> Curation:
        """This curation plus ``other`` (no checks here: :mod:`kg.validation.rules` checks the union)."""
        return Curation(
            entities=self.entities + other.entities,
            statements=self.statements + other.statements,
            findings=self.findings + other.findings,
            sources=self.sources + other.sources,
            unverifiable=self.unverifiable + other.unverifiable,
            populations=self.populations + other.populations,
            regimens=self.regimens + other.regimens,
            origins={**self.origins, **other.origins},
        )
