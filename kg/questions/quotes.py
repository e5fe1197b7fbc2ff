"""Whose sentence backs a step, and for whom: the quotes under each step of ``explain``, and its legend.

Under each step the primary source's sentence comes first, labelled with its citation; the seed article's
sentence follows as a secondary source; curator inference is shown only when nothing else backs the step, and
says so. One quote per source at most; a long quote is cut at a sentence or word boundary, marked "…".

**Whom a quote is about** (the rule, issue 18). A sentence's population is read from what the graph records,
never guessed from its words: the statement's own context (a path only holds statements the question admits),
else the populations of the findings the graph records for the quoted source. A source whose findings are all
about people the question does not admit (Burnett-Bowie 2009: older men with low testosterone, in a question
about postmenopausal women) is *another population's*: its sentence is passed over for a sentence that fits,
or, when none does, shown labelled "(about <population>)". A source whose findings are about several groups,
only some of them the question's (the seed article: men on testosterone therapy and women with breast cancer),
cannot tell whom each of its sentences is about: its sentence is shown only when no sentence that fits comes
before it. A source with no recorded finding applies generally, as a statement without context does.

>>> clip("Estradiol restrains osteoclasts. It also spares osteoblasts from apoptosis.", 45)
'Estradiol restrains osteoclasts. …'
>>> clip("aromatase converts testosterone into estradiol in fat", 34)
'aromatase converts testosterone…'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kg.context import Context
from kg.model import Evidence, Statement

if TYPE_CHECKING:
    from kg.store.store import Store

__all__ = [
    "CURATOR",
    "LEGEND",
    "QUOTE_LIMIT",
    "SEED",
    "Quote",
    "cite",
    "clip",
    "legend",
    "source_populations",
    "step_quotes",
]

#: The seed article (a secondary source) and curator inference (no published source): the two pseudo-sources.
SEED, CURATOR = "src:seed-article", "src:curator"
_SPECIAL = {SEED: "seed article (secondary source)", CURATOR: "curator inference"}
#: The longest quote shown, in characters (a longer one is cut at a sentence or word boundary).
QUOTE_LIMIT = 240

#: Whom a quote is about, as far as the graph records it: ``fits`` the question (or nothing says otherwise),
#: ``mixed`` (its source is about several groups, not all the question's), or ``other`` people only.
Fit = Literal["fits", "mixed", "other"]
_FIT_RANK = {"fits": 0, "mixed": 1, "other": 2}

#: The legend printed under ``explain`` and ``paths``: (the words that call for it, the line explaining them).
LEGEND: tuple[tuple[tuple[str, ...], str], ...] = (
    (("→", "⊣"), "→  increases or activates (a step of sign +1);  ⊣  decreases or inhibits (sign −1)."),
    (("net ",), "net increase / net decrease: the product of a path's signs (two ⊣ steps make an increase)."),
    (
        ("magnitude", "(strong)", "(moderate)", "(slight)"),
        "magnitude (strong / moderate / slight): a curator's qualitative grade of the size of a step or a finding,"
        " from its source's words or numbers (no fixed numeric threshold); an answer's magnitude is the largest"
        " on a finding that measured the target.",
    ),
    (
        ("animal evidence",),
        "animal evidence: a step that rests only on studies in animals (the species is named); it ranks after"
        " human evidence.",
    ),
    (
        ("secondary source",),
        "secondary source: the seed article (a web article for lay readers), quoted after the primary source it"
        " restates.",
    ),
    (
        ("curator inference",),
        "curator inference: a step no published sentence states; the quote is the curator's reasoning.",
    ),
    (("(about ",), "(about …): the quoted source studied other people than the question's (its recorded findings)."),
)


def legend(text: str | None = None) -> str:
    """The legend: a heading, then a line per symbol or term ``text`` uses (every line without ``text``).

    >>> print(legend("anastrozole ⊣ aromatase  (net decrease)"))
    Legend:
      →  increases or activates (a step of sign +1);  ⊣  decreases or inhibits (sign −1).
      net increase / net decrease: the product of a path's signs (two ⊣ steps make an increase).
    """
    lines = [line for words, line in LEGEND if text is None or any(w in text for w in words)]
    return "\n".join(["Legend:", *(f"  {line}" for line in lines)])


def cite(g: Store | None, source: str) -> str:
    """A short citation: ``Eastell et al. 2008, PMID:18309940``; the CURIE when the source is unknown.

    >>> cite(None, "src:seed-article"), cite(None, "PMID:1")
    ('seed article (secondary source)', 'PMID:1')
    """
    if source in _SPECIAL:
        return _SPECIAL[source]
    if g is not None and source in g.sources:
        return g.sources[source].short()
    return source


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` cut to at most ``limit`` characters at a sentence or word boundary, "…" marking the cut.

    A cut never falls inside a word: it keeps the longest run of whole sentences when that keeps at least half
    of ``limit``, else the longest run of whole words (a word longer than ``limit`` is kept whole).

    >>> clip("short enough", 40)
    'short enough'
    >>> clip("a net loss of bone mineral density", 20)
    'a net loss of bone…'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = text[: limit - 1]
    ends = [i + 1 for i, c in enumerate(room) if c in ".;!?" and i + 1 < len(text) and text[i + 1] == " "]
    if ends and ends[-1] >= limit // 2:
        return text[: ends[-1]] + " …"
    space = room.rfind(" ")
    if space <= 0:
        space = text.find(" ", limit - 1)
        return text if space < 0 else text[:space].rstrip(",;:") + "…"
    return room[:space].rstrip(",;:") + "…"


def source_populations(g: Store | None) -> dict[str, frozenset[str]]:
    """Source id -> the populations of the findings the graph records for it (whom that source studied).

    >>> import kg
    >>> sorted(source_populations(kg.load())["PMID:19820017"])
    ['pop:older-men-low-testosterone']
    """
    found: dict[str, set[str]] = {}
    if g is None:
        return {}
    for f in g.findings.values():
        if f.population:
            for source in f.sources:
                found.setdefault(source, set()).add(f.population)
    return {s: frozenset(p) for s, p in found.items()}


@dataclass(frozen=True)
class Quote:
    """One sentence shown under a step: its source's citation, whom it is about if not the question's people."""

    source: str
    text: str
    fit: Fit = "fits"
    about: tuple[str, ...] = ()  # populations (CURIEs) of an ``other`` quote's source

    def line(self, g: Store | None) -> str:
        """``Eastell et al. 2008, PMID:18309940: “…”``, with "(about …)" for another population's sentence.

        >>> Quote("PMID:1", "Estradiol restrains osteoclasts.", "other", ("pop:m",)).line(None)
        'PMID:1 (about pop:m): “Estradiol restrains osteoclasts.”'
        """
        who = ", ".join(g.label(p) if g is not None else p for p in self.about)
        about = f" (about {who})" if self.about else ""
        return f"{cite(g, self.source)}{about}: \u201c{clip(self.text)}\u201d"


def _fit(
    source: str, ctx: Context | None, g: Store | None, populations: Mapping[str, frozenset[str]]
) -> tuple[Fit, tuple[str, ...]]:
    """Whether ``source``'s recorded populations fit the question, and those that do not (module docstring)."""
    recorded = populations.get(source, frozenset())
    if ctx is None or g is None or not recorded or not ctx.names_whom:
        return "fits", ()
    wide = ctx.with_subgroups()  # a subgroup of the question's people (a trial's patients) is still them
    others = tuple(sorted(p for p in recorded if not wide.admits({"population": p}, g.populations)))
    if not others:
        return "fits", ()
    return ("other", others) if len(others) == len(recorded) else ("mixed", ())


def step_quotes(
    g: Store | None,
    statements: Sequence[Statement],
    ctx: Context | None = None,
    populations: Mapping[str, frozenset[str]] | None = None,
) -> list[Quote]:
    """The quotes shown under one step: the best primary sentence, then the seed article's, else the curator's.

    ``statements`` are the step's supporting statements, the one shown first; a sentence of a later one counts
    only when that statement has the same context (so a quote never comes from a narrower claim). The primary
    sentence is the first that fits the question (module docstring), the shown statement's before the others'.
    The seed article's sentence follows only when it fits, or when no primary sentence that fits was found.
    Curator inference is shown only when nothing else is.

    >>> from kg.model import Evidence, Statement
    >>> ev = (Evidence("src:seed-article", "lay"), Evidence("PMID:1", "primary"))
    >>> st = Statement("s", "X:a", "increases", "X:b", 1, ("src:seed-article", "PMID:1"), ev)
    >>> [q.source for q in step_quotes(None, [st])]
    ['PMID:1', 'src:seed-article']
    """
    pops = source_populations(g) if populations is None else populations
    first = statements[0]
    pool: dict[str, tuple[int, int, Evidence]] = {}  # source -> (statement rank, order, its first sentence)
    for rank, st in enumerate(statements):
        if rank and st.context != first.context:
            continue
        for order, ev in enumerate(st.evidence):
            if ev.text.strip() and ev.source not in pool:
                pool[ev.source] = (rank, order, ev)
    quotes = {s: Quote(s, ev.text, *_fit(s, ctx, g, pops)) for s, (_, _, ev) in pool.items()}
    primary = sorted((s for s in quotes if s not in _SPECIAL), key=lambda s: (_FIT_RANK[quotes[s].fit], pool[s][:2]))
    shown = [quotes[primary[0]]] if primary else []
    seed = quotes.get(SEED)
    if seed is not None and (seed.fit == "fits" or not shown or shown[0].fit != "fits"):
        shown.append(seed)
    if not shown and CURATOR in quotes:
        shown.append(quotes[CURATOR])
    return shown
