"""Paths and findings -> readable prose, one step per statement, each with its citation.

>>> import kg
>>> g = kg.load()
>>> text = explain(g, "CHEBI:2704", "CHEBI:16469", g.context(None))
>>> text.splitlines()[0]
'How anastrozole changes 17β-estradiol (any context): decrease.'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.context import Context
from kg.questions.effect import EFFECT_PATH_LIMIT, effect
from kg.questions.quotes import cite, legend
from kg.questions.results import Effect, explain_path
from kg.store.store import Store

if TYPE_CHECKING:
    from kg.model import Finding

__all__ = ["direction_phrase", "explain", "explain_effect", "paths_phrase"]


def _finding_line(g: Store, f: Finding, source: str | None = None) -> str:
    """One finding as a line: what was measured where, the level or change, comparator, time point and n, in whom.

    Its intervention is named when it is not the question's ``source`` (a class member).
    """
    who = g.label(f.population) if f.population else "unspecified population"
    of = f"{g.label(f.intervention)}, " if source is not None and f.intervention != source else ""
    regimen = f", {g.label(f.regimen)}" if f.regimen else ""
    kind = "" if f.kind == "measured" else " — the article's qualitative claim"
    cites = "; ".join(cite(g, s) for s in f.sources)
    return f"  - {of}{f.measured(g.label)}: {f.result(g.label)}; in {who}{regimen}{kind} [{cites}]"


def explain(g: Store, source: str, target: str, ctx: Context, *, paths: int = 3) -> str:
    """The mechanism from ``source`` to ``target`` (resolved CURIEs) as prose with citations, then the findings."""
    return explain_effect(g, effect(g, source, target, ctx), paths=paths, context=ctx)


def direction_phrase(direction: str) -> str:
    """A direction as an answer's first line says it: ``none`` and ``unknown`` are told apart.

    >>> direction_phrase("none"), direction_phrase("unknown"), direction_phrase("decrease")
    ('none (measured: no change)', 'unknown (no causal path and no finding in this context)', 'decrease')
    """
    return {
        "none": "none (measured: no change)",
        "unknown": "unknown (no causal path and no finding in this context)",
    }.get(direction, direction)


def paths_phrase(e: Effect) -> str:
    """``3 signed path(s)``, or ``the best 21 signed paths`` when an effect kept only its best ones.

    >>> from kg.questions.results import Effect
    >>> paths_phrase(Effect("A:1", "A:2", "any context", "unknown", None, ()))
    '0 signed path(s)'
    """
    n = len(e.paths)
    return f"the best {n} signed paths" if n >= EFFECT_PATH_LIMIT else f"{n} signed path(s)"


def explain_effect(g: Store, e: Effect, *, paths: int = 3, context: Context | None = None, key: bool = True) -> str:
    """An :class:`~kg.questions.results.Effect` already computed, as prose (see :func:`explain`).

    ``context`` is the question's parsed context: with it, a quote about other people than the question's is
    passed over or labelled (:mod:`kg.questions.quotes`); without it every quote counts as the question's.
    ``key`` adds the legend of symbols and terms at the end.
    """
    attenuated = ""
    if e.feedback and e.direction in ("increase", "decrease"):
        attenuated = ", attenuated by negative feedback via " + ", ".join(g.label(n) for n in e.loop_nodes)
    answer = direction_phrase(e.direction) + attenuated
    head = f"How {g.label(e.source)} changes {g.label(e.target)} ({e.context}): {answer}."
    lines = [head]
    basis = [f"predicted {e.predicted} from {paths_phrase(e)}"]
    if e.observed is not None:
        basis.append(f"observed {e.observed} in measured findings")
    if e.reported is not None and e.stated and not any(f.kind == "reported" for f in e.findings):
        primary = (s for st in e.stated for s in st.sources if s.startswith(("PMID", "DOI")))
        who = "; ".join(dict.fromkeys(cite(g, s) for s in primary))
        basis.append(f"reported {e.reported}: the net effect stated by {who}")
    elif e.reported is not None:
        basis.append(f"reported {e.reported} by the article")
    if e.magnitude:
        basis.append(f"magnitude {e.magnitude} (the largest change measured)")
    lines.append("Basis: " + "; ".join(basis) + ".")
    if e.members:
        named = ", ".join(g.label(m) for m in e.members)
        lines.append(f"{g.label(e.source)} is a class: it answers for its members ({named}), their paths and findings.")
    if e.truncated:
        lines.append("Note: the path search hit its budget; more paths may exist.")
    if e.predicted == "mixed":
        lines.append("Paths of both signs exist; the strongest of each are shown.")
        shown = [*e.paths_with_sign(-1)[:paths], *e.paths_with_sign(1)[:paths]]
    else:
        shown = list(e.paths[:paths])
    for n, path in enumerate(shown, start=1):
        lines.append("")
        lines.append(f"Path {n}: " + explain_path(path, context=context))
    if not shown:
        lines.append("")
        lines.append("No causal path connects them in this context.")
    if e.feedback:
        lines.append("")
        lines.append(
            f"Feedback, not a reversal: {len(e.feedback)} path(s) reach {g.label(e.target)} only through its own"
            " negative feedback loop; they attenuate the change:"
        )
        lines.extend(f"  - {p.compact()}" for p in e.feedback[:paths])
    if e.cut:
        fixed = ", ".join(g.label(b) for b in e.blocked)
        lines.append("")
        lines.append(
            f"Blocked by the drug's own action ({g.label(e.source)} blocks {fixed}, so routes through it are cut):"
        )
        lines.extend(f"  - {p.compact()}" for p in e.cut)
    if e.findings:
        lines.append("")
        lines.append("Clinical findings:")
        lines.extend(_finding_line(g, f, e.source) for f in e.findings)
    lines.extend(_subgroup_lines(g, e, paths))
    if key:
        lines += ["", legend("\n".join(lines))]
    return "\n".join(lines)


def _subgroup_lines(g: Store, e: Effect, paths: int) -> list[str]:
    """What is known only in subgroups of the people asked about: reported, never the answer (issue 14, rule 1)."""
    if not e.subgroups:
        return []
    lines = ["", f"In subgroups only (not the answer for {e.context} as a whole):"]
    for s in e.subgroups:
        basis = [f"predicted {s.predicted} from {len(s.paths)} path(s)"] if s.paths else []
        if s.observed is not None:
            basis.append(f"observed {s.observed}")
        lines.append(f"- in {s.who}: {direction_phrase(s.direction)} ({'; '.join(basis) or 'findings only'})")
        lines.extend(f"  {p.compact()}" for p in s.paths[:paths])
        lines.extend("  " + _finding_line(g, f) for f in s.findings)
    return lines
