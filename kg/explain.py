"""Paths and findings -> readable prose, one step per statement, each with its citation.

>>> import kg
>>> text = kg.load().explain("anastrozole", "17β-estradiol")
>>> text.splitlines()[0]
'How anastrozole changes 17β-estradiol (any context): decrease.'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.context import ContextLike
from kg.results import CausalPath, Effect, sign_word

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.model import Finding, Statement

__all__ = ["cite", "explain", "explain_effect", "explain_path", "paths_phrase"]

_SPECIAL = {"src:seed-article": "seed article (secondary source)", "src:curator": "curator inference"}


def cite(g: KnowledgeGraph | None, source: str) -> str:
    """A short citation: ``Eastell et al. 2008, PMID:18309940``; the CURIE when the source is unknown."""
    if source in _SPECIAL:
        return _SPECIAL[source]
    if g is not None and source in g.sources:
        return g.sources[source].short()
    return source


def _context_text(g: KnowledgeGraph | None, st: Statement) -> str:
    if not st.context:
        return ""
    parts = [f"{k}={g.label(v) if g else v}" for k, v in st.context.items()]
    return f" [in {', '.join(parts)}]"


def _step(g: KnowledgeGraph | None, index: int, st: Statement, extra: int) -> str:
    label = (lambda c: g.label(c)) if g is not None else (lambda c: c)
    predicate = g.rdf_label(st.predicate) if g is not None else st.predicate.replace("_", " ")
    magnitude = f" ({st.magnitude})" if st.magnitude else ""
    cites = "; ".join(cite(g, s) for s in st.sources)
    more = f" (+{extra} more supporting statement{'s' if extra > 1 else ''})" if extra else ""
    quote = st.evidence[0].text if st.evidence else ""
    if len(quote) > 220:
        quote = quote[:217] + "..."
    return (
        f"  {index}. {label(st.subject)} {predicate} {label(st.object)}{magnitude}{_context_text(g, st)} "
        f"[{cites}]{more}\n     \u201c{quote}\u201d"
    )


def explain_path(path: CausalPath) -> str:
    """One path as prose: the net sign, then each step with its citation and evidence sentence."""
    g = path.graph
    lines = [f"{path.compact()}  (net {sign_word(path.sign)})"]
    support = path.support or tuple((st,) for st in path.statements)
    for i, (st, alternatives) in enumerate(zip(path.statements, support, strict=True), start=1):
        lines.append(_step(g, i, st, len(alternatives) - 1))
    return "\n".join(lines)


def _finding_line(g: KnowledgeGraph, f: Finding) -> str:
    who = g.label(f.population) if f.population else "unspecified population"
    regimen = f", {g.label(f.regimen)}" if f.regimen else ""
    phase = " (after stopping treatment)" if f.phase == "off-treatment" else ""
    kind = "" if f.kind == "measured" else " — the article's qualitative claim"
    cites = "; ".join(cite(g, s) for s in f.sources)
    return f"  - {g.label(f.measure)}{phase}: {f.summary().rsplit(' [', 1)[0]} in {who}{regimen}{kind} [{cites}]"


def explain(g: KnowledgeGraph, src: str, dst: str, *, context: ContextLike = None, paths: int = 3) -> str:
    """The mechanism from ``src`` to ``dst`` as prose, step by step with citations, then the findings."""
    from kg.query import effect

    return explain_effect(g, effect(g, src, dst, context=context), paths=paths)


def paths_phrase(e: Effect) -> str:
    """``3 signed path(s)``, or ``the best 21 signed paths`` when an effect kept only its best ones.

    >>> from kg.results import Effect
    >>> paths_phrase(Effect("A:1", "A:2", "any context", "none", None, ()))
    '0 signed path(s)'
    """
    from kg.query import EFFECT_PATH_LIMIT

    n = len(e.paths)
    return f"the best {n} signed paths" if n >= EFFECT_PATH_LIMIT else f"{n} signed path(s)"


def explain_effect(g: KnowledgeGraph, e: Effect, *, paths: int = 3) -> str:
    """An :class:`~kg.results.Effect` already computed, as prose (see :func:`explain`)."""
    head = f"How {g.label(e.source)} changes {g.label(e.target)} ({e.context}): {e.direction}."
    lines = [head]
    basis = [f"predicted {e.predicted} from {paths_phrase(e)}"]
    if e.observed is not None:
        basis.append(f"observed {e.observed} in measured findings")
    if e.reported is not None:
        basis.append(f"reported {e.reported} by the article")
    if e.magnitude:
        basis.append(f"magnitude {e.magnitude}")
    lines.append("Basis: " + "; ".join(basis) + ".")
    if e.truncated:
        lines.append("Note: the path search hit its budget; more paths may exist.")
    if e.predicted == "mixed":
        lines.append("Paths of both signs exist; the strongest of each are shown.")
        shown = [*e.paths_with_sign(-1)[:paths], *e.paths_with_sign(1)[:paths]]
    else:
        shown = list(e.paths[:paths])
    for n, path in enumerate(shown, start=1):
        lines.append("")
        lines.append(f"Path {n}: " + explain_path(path))
    if not shown:
        lines.append("")
        lines.append("No causal path connects them in this context.")
    if e.findings:
        lines.append("")
        lines.append("Clinical findings:")
        lines.extend(_finding_line(g, f) for f in e.findings)
    return "\n".join(lines)
