"""A forest plot of the findings behind an answer: one row per result, its estimate and interval.

Rows (:mod:`kg.viz.forest_rows`) come from an :class:`~kg.questions.results.Effect` (its findings, then its
subgroups' findings, each under the population it was measured in) or from a comparison (one effect per context).
Only findings with a numeric ``value`` are drawn, in panels by measure, site, unit and value type, so a % change
never shares an axis with a ratio; ratios use a log axis with the line of no effect at 1, changes a line at 0.
Whiskers are drawn only for an interval read exactly (:func:`~kg.viz.forest_rows.parse_ci`), never invented.
Drawn with matplotlib's object API (no pyplot, no display): SVG with real ``<text>`` (escaped by matplotlib's XML
writer) and a fixed hash salt, so the same rows give the same bytes; :func:`inline_svg` makes it safe to embed.

>>> import kg
>>> svg = forest_plot(kg.load(), "anastrozole", "BMD", context="postmenopausal women")
>>> svg.startswith(b"<?xml") and "−6.08" in svg.decode() and svg == forest_plot(kg.load(), "anastrozole", "BMD",
...                                                                             context="postmenopausal women")
True
"""

from __future__ import annotations

import io
import math
import os
import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from kg.context import ContextLike
from kg.errors import ExportError, KGError, QueryError
from kg.questions.results import Effect
from kg.viz.files import write_atomically
from kg.viz.forest_rows import Interval, Row, clean, effect_rows, number, parse_ci

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from kg.graph import KnowledgeGraph

__all__ = [
    "FORMATS",
    "Forest",
    "Interval",
    "Row",
    "compare_forest",
    "effect_forest",
    "forest",
    "forest_plot",
    "inline_svg",
    "parse_ci",
    "write_forest",
]

#: The formats a forest plot is written in (``fmt=``, or a file's suffix).
FORMATS = ("svg", "png")
_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "hormone-kg forest",
    "text.parse_math": False,
    "axes.unicode_minus": True,
}
_INK, _MUTED, _NULL, _STRIPE = "#1f3b73", "#555555", "#444444", "#f1f3f7"


# ---------------------------------------------------------------------------------------------- drawing
@dataclass(frozen=True)
class _Layout:
    """Where things go, in inches: the label columns left of the plot, the plot, the estimate column (wide only)."""

    width: float
    font: float
    columns: tuple[tuple[str, float, float], ...]  # (cell, x, width)
    plot: tuple[float, float]  # x, width
    estimate: tuple[float, float] | None  # x, width; None: the estimate is the label's last line

    def chars(self, inches: float, scale: float = 1.0) -> int:
        """How many characters of this layout's font (times ``scale``) fit in ``inches`` (DejaVu Sans)."""
        return max(8, int(inches * 72 / (self.font * scale * 0.58)))


_WIDE = _Layout(
    11.0,
    9.0,
    (("source", 0.25, 2.1), ("comparison", 2.45, 2.5), ("time", 5.05, 1.85), ("n", 7.0, 0.35)),
    (7.4, 2.1),
    (9.65, 1.3),
)
_COMPACT = _Layout(3.5, 10.5, (("label", 0.1, 3.3),), (0.25, 3.0), None)  # label above its row's band
_HEADERS = {"source": "Source", "comparison": "Comparison · statistic", "time": "Time point", "n": "n"}
_BAND = 0.24  # inches: the height of a row's point-and-whiskers band in the compact layout
_FOOT = "Each row is one reported result (no pooled estimate); whiskers only where the source gives an interval."


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) if text else []


def _cells(row: Row, lay: _Layout, common: str, mark: str) -> dict[str, list[str]]:
    statistic = "" if row.statistic == common else row.statistic
    estimate = row.estimate() + (f" [{mark}]" if mark else "")
    width = {key: lay.chars(w) for key, _, w in lay.columns}
    if lay.estimate is None:  # compact: the label lines, then the row's band (drawn below them)
        vs = row.comparison if row.finding.comparator not in (None, "baseline") else ""
        n = f"; {row.n}" if row.finding.n is not None else ""
        parts = (f"{row.source.rsplit(', ', 1)[0]} · {row.time}", vs, f"{statistic or 'estimate'}: {estimate}{n}")
        return {"label": [line for part in parts for line in _wrap(part, width["label"])]}
    return {
        "source": _wrap(row.source, width["source"]),
        "comparison": _wrap(row.comparison, width["comparison"]) + _wrap(statistic, width["comparison"]),
        "time": _wrap(row.time, width["time"]),
        "n": [str(row.finding.n) if row.finding.n is not None else "—"],
        "estimate": _wrap(estimate, lay.chars(lay.estimate[1])),
    }


def _limits(values: list[float], log: bool) -> tuple[float, float]:
    if log:
        lo, hi = math.log10(min(values)), math.log10(max(values))
        pad = max((hi - lo) * 0.08, 0.15)
        return 10 ** (lo - pad), 10 ** (hi + pad)
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 or max(abs(hi) * 0.1, 1.0)
    return lo - pad, hi + pad


def _log_ticks(lo: float, hi: float) -> list[float]:
    """Round ticks for a log axis from ``lo`` to ``hi``: the coarsest set that gives at least three."""
    ticks: list[float] = []
    for mantissas in ((1,), (1, 2, 5), (1, 1.5, 2, 3, 5, 7), (1, 1.2, 1.4, 1.6, 1.8, 2, 2.5, 3, 4, 5, 6, 7, 8, 9)):
        decades = range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1)
        ticks = [round(m * 10.0**k, 12) for k in decades for m in mantissas if lo <= m * 10.0**k <= hi]
        if len(ticks) >= 3:
            break
    return ticks


_Text = tuple[float, float, list[str], dict[str, Any]]  # x, y (inches from the top), lines, text properties
_Placed = list[tuple[Row, float]]  # a row and the height of its first line's middle


def _layout(title: str, rows: Sequence[Row], lay: _Layout) -> tuple[list[_Text], list[Any], float]:
    """What goes where (inches from the top): texts, stripes and panels, and the figure's height."""
    lh, x0, full = lay.font * 1.32 / 72, lay.columns[0][1], lay.width - 2 * lay.columns[0][1]
    texts: list[_Text] = [(x0, 0.12, _wrap(title, lay.chars(full, 1.35)), {"fontsize": lay.font + 2, "weight": "bold"})]
    y = 0.22 + len(texts[0][2]) * lh * 1.25
    stripes: list[tuple[float, float]] = []
    panels: list[tuple[float, float, str, _Placed]] = []
    notes: list[str] = []
    grouped: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.panel, []).append(row)
    for (name, axis_label), members in grouped.items():
        stats = {r.statistic for r in members}
        common = stats.pop() if len(stats) == 1 else ""
        texts.append((x0, y, _wrap(name, lay.chars(full, 1.25)), {"fontsize": lay.font + 1, "weight": "bold"}))
        y += len(texts[-1][2]) * lh * 1.15
        texts.append((x0, y, _wrap(f"statistic: {common}" if common else "", lay.chars(full)), {"color": _MUTED}))
        y += len(texts[-1][2]) * lh + 0.08
        if lay.estimate is not None:
            texts += [(x, y, [_HEADERS[key]], {"weight": "bold", "color": _MUTED}) for key, x, _ in lay.columns]
            levels = {r.interval.level for r in members if r.interval is not None}
            level = f"{levels.pop():g}% CI" if len(levels) == 1 and None not in levels else "CI"
            texts.append((lay.estimate[0], y, [f"Estimate [{level}]"], {"weight": "bold", "color": _MUTED}))
            y += lh + 0.06
        top, placed = y, cast(_Placed, [])
        for group in dict.fromkeys(r.group for r in members):
            box = {"facecolor": "white", "edgecolor": "none", "pad": 1.0}  # hides the no-effect line behind it
            wrap = lay.chars(full if lay.estimate is None else lay.plot[0] - x0 - 0.2)
            texts.append((x0, y + 0.04, _wrap(group, wrap), {"style": "italic", "bbox": box}))
            y += len(texts[-1][2]) * lh + 0.1
            for row in (r for r in members if r.group == group):
                mark = ""
                if row.note:
                    notes.append(f"[{len(notes) + 1}] {row.source}, {row.time}: {row.note}.")
                    mark = str(len(notes))
                cells = _cells(row, lay, common, mark)
                band = 0.0 if lay.estimate is not None else _BAND  # compact: the point and whiskers below the label
                height = max(len(c) for c in cells.values()) * lh + 0.12 + band
                if len(placed) % 2 == 0:
                    stripes.append((y, height))
                xs = {key: x for key, x, _ in lay.columns} | {"estimate": lay.estimate[0] if lay.estimate else 0}
                texts += [(xs[key], y + 0.06, lines, {}) for key, lines in cells.items()]
                placed.append((row, y + 0.06 + lh * 0.42 if not band else y + height - 0.06 - band / 2))
                y += height
        panels.append((top, y, axis_label, placed))
        y += 0.45 + len(_wrap(axis_label, lay.chars(lay.plot[1]))) * lh + 0.15
    if lay.estimate is not None and any(r.finding.n is None for r in rows):
        notes.append("n —: no number of participants recorded with the finding.")
    if any(r.finding.phase == "off-treatment" for r in rows):
        notes.append("Open squares: measured after treatment stopped.")
    foot = [line for note in (*notes, _FOOT) for line in _wrap(note, lay.chars(full, 0.9))]
    texts.append((x0, y, foot, {"fontsize": lay.font - 1, "color": _MUTED}))
    return texts, [stripes, panels], y + len(foot) * lh + 0.15


def _draw(title: str, rows: Sequence[Row], compact: bool) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    lay = _COMPACT if compact else _WIDE
    texts, (stripes, panels), height = _layout(title, rows, lay)
    fig = Figure(figsize=(lay.width, height))
    fig.patch.set_facecolor("white")
    for y0, h in stripes:
        rect = Rectangle((0.04 / lay.width, 1 - (y0 + h) / height), 1 - 0.08 / lay.width, h / height)
        rect.set(transform=fig.transFigure, facecolor=_STRIPE, edgecolor="none", zorder=-2)
        fig.add_artist(rect)
    for x, y0, lines, style in texts:
        if lines:
            size = style.get("fontsize", lay.font)
            props = {k: v for k, v in style.items() if k != "fontsize"}
            fig.text(x / lay.width, 1 - y0 / height, "\n".join(lines), va="top", linespacing=1.32, size=size, **props)
    count = 0
    for top, bottom, axis_label, placed in panels:
        ax = fig.add_axes(
            (lay.plot[0] / lay.width, 1 - bottom / height, lay.plot[1] / lay.width, (bottom - top) / height)
        )
        ax.patch.set_alpha(0)
        kinds = {row.kind for row, _ in placed}
        values = [v for r, _ in placed for v in (r.value, *((r.interval.low, r.interval.high) if r.interval else ()))]
        log = kinds == {"ratio"} and min(values) > 0
        null = 1.0 if "ratio" in kinds else 0.0 if "change" in kinds else None
        ax.set_xlim(*_limits(values + ([null] if null is not None else []), log))
        if log:
            ax.set_xscale("log")
            ax.xaxis.set_major_locator(FixedLocator(_log_ticks(*ax.get_xlim())))
            ax.xaxis.set_minor_locator(NullLocator())
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v)))
        ax.set_ylim(bottom, top)
        if null is not None:
            if compact:  # the line of no effect runs through each row's band, not through the labels
                for _, centre in placed:
                    ax.plot([null] * 2, [centre - _BAND / 2, centre + _BAND / 2], color=_NULL, lw=0.9, zorder=1)
            else:
                ax.axvline(null, color=_NULL, linewidth=0.9, zorder=1, gid="forest-no-effect")
        for row, centre in placed:
            count += 1
            gid = f"forest-{count}-{re.sub(r'[^A-Za-z0-9_-]', '_', row.finding.id)}"
            if row.interval is not None:
                ends = [row.interval.low, row.interval.high]
                ax.plot(ends, [centre] * 2, color=_INK, lw=1.5, marker="|", ms=7, zorder=2, gid=f"{gid}-ci")
            face = "white" if row.finding.phase == "off-treatment" else _INK
            ax.plot([row.value], [centre], "s", ms=6.5, color=_INK, mfc=face, mew=1.3, zorder=3, gid=f"{gid}-point")
        ax.set_yticks([])
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="x", labelsize=lay.font - 0.5)
        ax.set_xlabel("\n".join(_wrap(axis_label, lay.chars(lay.plot[1]))), fontsize=lay.font - 0.5, color=_MUTED)
    return fig


@dataclass(frozen=True)
class Forest:
    """A forest plot ready to draw: ``_repr_svg_`` shows it in a notebook; :meth:`render` gives SVG or PNG bytes.

    >>> import kg
    >>> plot = forest(kg.load(), "anastrozole", "bone mineral density", context="postmenopausal women")
    >>> [r.value for r in plot.rows if r.time == "5 years"], plot.render("svg").startswith(b"<?xml")
    ([-6.08, -7.24], True)
    """

    title: str
    rows: tuple[Row, ...]

    def render(self, fmt: str = "svg", *, compact: bool = False) -> bytes:
        """The plot as ``svg`` or ``png`` bytes (``compact``: narrow, for a side panel). Same rows, same bytes."""
        if fmt not in FORMATS:
            raise ExportError(f"unknown plot format {fmt!r}: use one of {', '.join(FORMATS)}")
        import matplotlib  # imported when a plot is drawn: kg.viz stays light for the HTML view

        with matplotlib.rc_context(cast(Any, _RC)):  # cast: its keys are typed as a Literal of every name
            fig = _draw(self.title, self.rows, compact)
            out = io.BytesIO()
            if fmt == "svg":
                fig.savefig(out, format="svg", metadata={"Date": None})
            else:
                fig.savefig(out, format="png", dpi=150, metadata={"Software": None})
        return out.getvalue()

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the plot to ``path``, its format from the suffix (``.svg`` or ``.png``), atomically; return the path.

        Raises :class:`~kg.errors.ExportError` for another suffix or a missing folder (nothing is written then).
        """
        out = Path(path)
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise ExportError(f"cannot tell the plot format from {out.name!r}: the name must end in .svg or .png")
        return write_atomically(out, self.render(fmt))

    def _repr_svg_(self) -> str:
        return self.render("svg").decode("utf-8")

    def __repr__(self) -> str:
        return f"<Forest {self.title}: {len(self.rows)} rows>"


def effect_forest(g: KnowledgeGraph, effect: Effect) -> Forest:
    """The forest plot of an :class:`~kg.questions.results.Effect` already answered.

    Raises :class:`~kg.errors.QueryError` when none of its findings (or its subgroups') has a numeric value.
    """
    title = f"{g.label(effect.source)} → {g.label(effect.target)} ({effect.context})"
    rows = effect_rows(g, effect)
    if not rows:
        raise QueryError(f"no numeric findings to plot for {title}: {_counted(effect)}")
    return Forest(clean(title), tuple(rows))


def _counted(effect: Effect) -> str:
    total = len(effect.findings) + sum(len(s.findings) for s in effect.subgroups)
    return f"{total} finding(s), none with a value" if total else "no findings at all"


def forest(g: KnowledgeGraph, source: str, target: str, context: ContextLike = None) -> Forest:
    """The forest plot of the findings for ``g.effect(source, target, context=context)``; see :func:`effect_forest`.

    >>> import kg
    >>> forest(kg.load(), "anastrozole", "bone mineral density").rows[0].panel[0]
    'bone mineral density'
    """
    return effect_forest(g, g.effect(source, target, context=context))


def compare_forest(g: KnowledgeGraph, source: str, target: str, contexts: Sequence[ContextLike]) -> Forest:
    """One forest plot of the findings of ``source`` on ``target`` in each context, grouped by context.

    >>> import kg
    >>> men = "older men with low testosterone"
    >>> plot = compare_forest(kg.load(), "anastrozole", "BMD", ["postmenopausal women", men])
    >>> sorted({r.group.split(":")[0] for r in plot.rows})
    ['older men with low testosterone', 'postmenopausal women']
    """
    if isinstance(contexts, str) or not contexts:
        raise QueryError("compare_forest needs a list of contexts, e.g. ['postmenopausal women', 'older men']")
    rows: list[Row] = []
    for ctx in contexts:
        e = g.effect(source, target, context=ctx)
        rows += effect_rows(g, e, prefix=f"{e.context}: ")
    title = f"{g.label(g.resolve(source).id)} → {g.label(g.resolve(target).id)}, by context"
    if not rows:
        raise QueryError(f"no numeric findings to plot for {title} in any of {len(contexts)} context(s)")
    return Forest(clean(title), tuple(rows))


def forest_plot(g: KnowledgeGraph, source: str, target: str, context: ContextLike = None, *, fmt: str = "svg") -> bytes:
    """The forest plot of ``source`` on ``target`` in ``context`` as SVG or PNG bytes (see :func:`forest`)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown plot format {fmt!r}: use one of {', '.join(FORMATS)}")
    return forest(g, source, target, context).render(fmt)


def write_forest(
    g: KnowledgeGraph, path: str | os.PathLike[str], source: str, target: str, context: ContextLike = None
) -> Path:
    """Write the forest plot of ``source`` on ``target`` to ``path`` (``.svg`` or ``.png``); see :meth:`Forest.save`.

    Raises :class:`~kg.errors.ExportError` for another suffix or a folder that does not exist (nothing is written),
    :class:`~kg.errors.QueryError` when there are no numeric findings.
    """
    return forest(g, source, target, context).save(path)


#: what an embedded plot may contain: SVG drawing elements, never script, foreign content or links elsewhere
_SVG_TAGS = frozenset(
    ("svg", "g", "path", "use", "defs", "style", "text", "tspan", "clipPath", "rect", "line", "polyline", "polygon")
)
_SVG_NS = "{http://www.w3.org/2000/svg}"


def inline_svg(svg: bytes) -> str:
    """The SVG as markup to put inside an HTML page: no XML prolog, metadata or page-wide style; width 100 %.

    The markup is checked before it is returned: only SVG drawing elements, no ``on*`` attribute and no link but
    to an element of the plot itself (``#id``). Text from the graph is escaped by matplotlib's XML writer; the check
    makes sure no label got through as markup, and raises :class:`~kg.errors.KGError` if one did.

    >>> import kg
    >>> html = inline_svg(forest_plot(kg.load(), "anastrozole", "BMD", context="postmenopausal women"))
    >>> html.startswith("<svg") and 'width="100%"' in html and "<?xml" not in html
    True
    """
    text = svg.decode("utf-8")
    text = text[text.index("<svg") :]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.DOTALL)
    page_wide = "*{stroke-linejoin: round; stroke-linecap: butt}"  # matplotlib's: in a page it would style everything
    text = text.replace(page_wide, "#hkg-findings svg *{stroke-linejoin: round}")
    text = re.sub(r'width="[0-9.]+pt" height="[0-9.]+pt"', 'width="100%"', text, count=1)
    root = ET.fromstring(text)  # noqa: S314 -- our own rendering, without a DTD: nothing external to resolve
    for element in root.iter():
        tag = element.tag.removeprefix(_SVG_NS)
        links = [v for k, v in element.attrib.items() if k.endswith("href")]
        events = [k for k in element.attrib if k.rpartition("}")[2].lower().startswith("on")]
        if tag not in _SVG_TAGS or events or any(not v.startswith("#") for v in links):
            raise KGError(f"refusing to embed the plot: it holds <{tag}> {events or links or ''}")
    return text
