"""Findings as rows of a forest plot: the strict reading of a ``ci`` text, the panel and the labels of each row.

A row says where it goes (its panel: measure, site, unit and value type, so a % change never shares an axis with a
ratio; its group: the population it was measured in), what to print beside it (source, comparison, statistic, time
point, n) and what to draw (the estimate, and the interval only when the ``ci`` text is read exactly and contains
the estimate: whiskers are never guessed). :mod:`kg.viz.forest` draws them.

>>> parse_ci("95% CI 1.25-1.77")
Interval(low=1.25, high=1.77, level=95.0)
>>> parse_ci("range: -48% to +12%") is None  # a range of individual values is not a confidence interval
True
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.model import Finding
from kg.questions.results import Effect, cite

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["Interval", "Row", "clean", "effect_rows", "number", "parse_ci"]

_NUM = r"[-−+]?\d+(?:[.·]\d+)?"
_CI = re.compile(
    rf"""^\s*(?:(?P<level>\d+(?:\.\d+)?)\s*(?:%|\s*percent)\s*(?:CI|Cl|confidence\s+interval(?:\s*\[CI\])?)\s*[,:=]?\s*)?
    (?P<low>{_NUM})\s*(?P<u1>%?)\s*(?:to|[-–—]|,)\s*(?P<high>{_NUM})\s*(?P<u2>%|[A-Za-zµμ]+(?:/[A-Za-z]+)?)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_RATIO = re.compile(r"\b(?:ratio|relative (?:risk|rate|hazard)|hazard|odds|fold)\b", re.IGNORECASE)
#: units of a proportion or a count of people or events: no line of no effect is drawn for them
_PROPORTION = re.compile(r"^(?:% (?:of|with|incidence|cumulative|no longer)|of |men of|deaths|recurrences)|per 100")


@dataclass(frozen=True)
class Interval:
    """A confidence interval read from a finding's ``ci`` text (``level`` in %, None when the text gives none)."""

    low: float
    high: float
    level: float | None = None
    unit: str | None = None  # "%" or a unit word written after the bounds ("ng/mL"); None when the text has none

    def __repr__(self) -> str:
        return f"Interval(low={self.low:g}, high={self.high:g}, level={self.level})"


def parse_ci(text: str | None) -> Interval | None:
    """The interval a ``ci`` text states, or None when the text is not exactly an interval in a known form.

    Accepted: an optional level (``95% CI``, ``95% Cl``, ``95% confidence interval [CI]``, ``95 percent
    confidence interval``) with an optional ``,``/``:``/``=``, then two bounds joined by ``to``, a hyphen or dash,
    or a comma (``·`` as a decimal point, ``%`` or one unit after the bounds). Anything else (a range, a sentence,
    a second statistic) gives None: whiskers are never guessed.

    >>> parse_ci("95% CI 0·68–0·93"), parse_ci("−1.2 to 3.4")
    (Interval(low=0.68, high=0.93, level=95.0), Interval(low=-1.2, high=3.4, level=None))
    >>> parse_ci("95 percent confidence interval, 0.70 to 0.93").level, parse_ci("95% CI 4.8%-8.7%").unit
    (95.0, '%')
    >>> [parse_ci(t) for t in ("5-95% range: -81% to +20%", "95% CI 18%-58% (for the 41% reduction)", "1.5-0.9")]
    [None, None, None]
    """
    match = _CI.match(text or "")
    if match is None:
        return None
    low, high = (float(match[k].replace("·", ".").replace("−", "-")) for k in ("low", "high"))
    if not (math.isfinite(low) and math.isfinite(high)) or low > high:
        return None
    units = {u for u in (match["u1"], match["u2"]) if u}
    if len(units) > 1:
        return None
    level = float(match["level"]) if match["level"] else None
    return Interval(low, high, level, units.pop() if units else None)


@dataclass(frozen=True)
class Row:
    """One finding as a row of the plot: where it goes (``group``), its labels, estimate and interval.

    ``interval`` is None when the finding gives none, or when its text is not an interval read exactly (then
    ``note`` says why and shows the text): the row is a point without whiskers.
    """

    finding: Finding
    group: str  # the population (and, in a comparison, the context) the row sits under
    source: str
    comparison: str
    statistic: str
    time: str
    n: str
    panel: tuple[str, str]  # (title, axis label): rows with the same panel share an axis
    kind: str  # "ratio" (log axis, no effect at 1), "change" (no effect at 0) or "plain" (no line of no effect)
    interval: Interval | None = None
    note: str = ""

    @property
    def value(self) -> float:
        """The estimate (the finding's value)."""
        return float(self.finding.value if self.finding.value is not None else math.nan)

    def estimate(self) -> str:
        """``1.49 [1.25, 1.77]``, or ``−6.08 (no CI)``: the estimate and its interval, one unbreakable piece."""
        shown = number(self.value)
        if self.interval is not None:
            return f"{shown}\u00a0[{number(self.interval.low)},\u00a0{number(self.interval.high)}]"
        missing = "CI\u00a0not\u00a0drawn" if self.note else "no\u00a0CI"  # no-break spaces: kept on one line
        return f"{shown}\u00a0({missing})"


def number(x: float) -> str:
    """A number as printed on the plot, with a true minus sign: ``number(-6.08)`` is ``'−6.08'``."""
    return f"{x:g}".replace("-", "−")


def clean(text: str) -> str:
    """One line of plain text: control characters become spaces."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _kind(f: Finding) -> str:
    unit = f.unit or ""
    if f.value_type == "ratio" or (f.value_type == "change" and _RATIO.search(unit) and not unit.startswith("%")):
        return "ratio"
    if f.value_type == "correlation" or (f.value_type == "change" and not _PROPORTION.search(unit)):
        return "change"
    return "plain"


def _panel(g: KnowledgeGraph, f: Finding, kind: str) -> tuple[str, str]:
    measure = g.label(f.measure)
    site = g.label(f.site) if f.site else ""
    if site and not set(site.casefold().split()) <= set(measure.casefold().split()):
        measure = f"{measure} ({site})"
    unit = f.unit or "no unit given"
    if kind == "ratio":
        return measure, f"{unit} (log scale; 1 = no difference)"
    if f.value_type == "level":
        return measure, f"level at follow-up ({unit})"
    if kind == "change":
        zero = "0 = no correlation" if f.value_type == "correlation" else "0 = no change"
        return measure, f"{f.value_type} ({unit}; {zero})"
    return measure, f"{f.value_type}: {unit}"


def _row(g: KnowledgeGraph, f: Finding, group: str) -> Row:
    kind = _kind(f)
    interval, note = parse_ci(f.ci), ""
    if f.ci and interval is None:
        note = f"interval text “{clean(f.ci)}” is not a confidence interval in a known form: not drawn"
    elif interval is not None and f.value is not None:
        unit_ok = (
            interval.unit is None or interval.unit == f.unit or (interval.unit == "%" and (f.unit or "")[:1] == "%")
        )
        if not unit_ok:
            interval, note = None, f"interval “{clean(f.ci or '')}” is in another unit than the estimate: not drawn"
        elif kind == "plain" and (f.unit or "")[:1] == "%" and (interval.low < 0 or interval.high > 100):
            interval, note = None, f"interval “{clean(f.ci or '')}” cannot be a share of people (0–100 %): not drawn"
        elif not interval.low <= f.value <= interval.high:
            interval, note = None, f"interval “{clean(f.ci or '')}” does not contain the estimate: not drawn"
    who, regimen = g.label(f.intervention), g.regimens.get(f.regimen or "")
    if regimen is not None:  # "anastrozole 1 mg daily"; a regimen of another drug is named beside the intervention
        who = regimen.label if regimen.drug == f.intervention else f"{who} ({regimen.label})"
    time, (title, axis) = f.duration or "time point not given", _panel(g, f, kind)
    if f.phase == "off-treatment":
        time += ", off treatment"
    return Row(
        finding=f,
        group=clean(group),
        source=clean("; ".join(cite(g, s) for s in f.sources)),
        comparison=clean(f"{who} vs {g.label(f.comparator)}" if f.comparator else who),
        statistic=clean(f.statistic or ""),
        time=clean(time),
        n=f"n = {f.n}" if f.n is not None else "n not given",
        panel=(clean(title), clean(axis)),
        kind=kind,
        interval=interval,
        note=note,
    )


def effect_rows(g: KnowledgeGraph, effect: Effect, prefix: str = "") -> list[Row]:
    """The rows of an effect: its numeric findings, then its subgroups' (each labelled with its population)."""
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()
    found = [(f, "") for f in effect.findings] + [(f, s.who) for s in effect.subgroups for f in s.findings]
    for f, subgroup in found:
        if f.value is None or not math.isfinite(f.value):
            continue
        who = g.label(f.population) if f.population else subgroup or f"{effect.context} (population not stated)"
        if subgroup:
            who += f" — a subgroup of {effect.context}"
        group = f"{prefix}{who}"
        if (f.id, group) not in seen:
            seen.add((f.id, group))
            rows.append(_row(g, f, group))
    return rows
