"""How the view draws things: one glyph per entity category, edge styles by sign, and the legend explaining both.

Every category has its own combination of shape, colour and border (:data:`CATEGORY_STYLE`), drawn the
same way in the graph (vis-network node options), in the legend and in the category filter (small SVGs made
here from fixed numbers, never from graph text).

>>> len({(g.shape, g.fill, g.border, g.dashed) for g in CATEGORY_STYLE.values()}) == len(CATEGORY_STYLE)
True
>>> glyph_svg(CATEGORY_STYLE["Drug"]).startswith("<svg")
True
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from kg.questions.results import sign_word
from kg.viz.layout import LAYER_NAMES, layer_of

__all__ = [
    "CATEGORY_STYLE",
    "DASH_NEGATED",
    "DASH_STRUCTURAL",
    "FALLBACK_STYLE",
    "HIGHLIGHT",
    "LABEL_INSIDE",
    "SIGN_STYLE",
    "Glyph",
    "glyph_parts",
    "glyph_svg",
    "legend_html",
    "node_style",
]


class Glyph(NamedTuple):
    """A category's look: vis-network ``shape``, ``fill`` and ``border`` colours, a ``dashed`` border, and words."""

    shape: str
    fill: str
    border: str
    dashed: bool
    words: str


#: Category -> glyph. Shapes with the label inside (box, ellipse, database) use a light fill.
CATEGORY_STYLE: Mapping[str, Glyph] = MappingProxyType(
    {
        "Drug": Glyph("diamond", "#4e79a7", "#2f4b69", False, "blue diamond"),
        "Regimen": Glyph("diamond", "#a0cbe8", "#2f4b69", True, "light-blue diamond, dashed border"),
        "Population": Glyph("database", "#e2dfdc", "#79706e", False, "grey cylinder, label inside"),
        "Gene": Glyph("square", "#499894", "#264f4d", True, "teal square, dashed border"),
        "Hormone": Glyph("dot", "#f28e2b", "#8f4f0e", False, "orange circle"),
        "Chemical": Glyph("dot", "#bab0ac", "#5d5754", True, "grey circle, dashed border"),
        "Enzyme": Glyph("box", "#d3ecc9", "#3f7a38", False, "green box, label inside"),
        "MolecularActivity": Glyph("box", "#f4e1f0", "#9a5d8c", True, "pink box, dashed border, label inside"),
        "Receptor": Glyph("triangleDown", "#76b7b2", "#3b6f6b", False, "sea-green triangle pointing down"),
        "SignallingProtein": Glyph("triangle", "#8cd17d", "#467a3b", False, "light-green triangle"),
        "Protein": Glyph("triangle", "#b6992d", "#6b5a1a", True, "olive triangle, dashed border"),
        "CellType": Glyph("ellipse", "#f9cfd0", "#c0393b", False, "red ellipse, label inside"),
        "Anatomy": Glyph("ellipse", "#ffe9e8", "#d9716d", True, "pale-red ellipse, dashed border, label inside"),
        "BiologicalProcess": Glyph("square", "#b07aa1", "#6a4561", False, "purple square"),
        "ClinicalMeasure": Glyph("star", "#edc948", "#8a7214", False, "yellow star"),
        "Phenotype": Glyph("hexagon", "#9c755f", "#5a4133", False, "brown hexagon"),
        "Disease": Glyph("hexagon", "#d37295", "#8a3457", True, "rose hexagon, dashed border"),
    }
)
FALLBACK_STYLE = Glyph("dot", "#cccccc", "#666666", True, "light-grey circle, dashed border")
#: Shapes that draw the label inside the node (vis-network), not below it.
LABEL_INSIDE = frozenset({"box", "ellipse", "database", "circle", "text"})

#: Sign -> (colour, arrow head).
SIGN_STYLE: Mapping[int, tuple[str, str]] = MappingProxyType(
    {1: ("#1f78b4", "arrow"), -1: ("#d7301f", "bar"), 0: ("#8c8c8c", "arrow")}
)
HIGHLIGHT = "#f0a000"
DASH_STRUCTURAL = [8, 5]
DASH_NEGATED = [2, 5]
_BORDER_DASHES = [4, 3]


def glyph_parts(glyph: Glyph) -> tuple[str, dict[str, str]]:
    """The SVG element (tag, attributes) drawing ``glyph`` in an 18 x 18 box.

    >>> glyph_parts(CATEGORY_STYLE["Enzyme"])[0], glyph_parts(CATEGORY_STYLE["Hormone"])[0]
    ('rect', 'polygon')
    """
    paint = {"fill": glyph.fill, "stroke": glyph.border, "stroke-width": "1.3"}
    if glyph.dashed:
        paint["stroke-dasharray"] = "2.5,1.6"
    if glyph.shape == "box":
        return "rect", {"x": "1.5", "y": "4", "width": "15", "height": "10", "rx": "2.5", **paint}
    if glyph.shape == "ellipse":
        return "ellipse", {"cx": "9", "cy": "9", "rx": "8", "ry": "5.2", **paint}
    if glyph.shape == "database":
        d = "M2,5 A7,2.5 0 0 1 16,5 L16,13 A7,2.5 0 0 1 2,13 Z M2,5 A7,2.5 0 0 0 16,5"
        return "path", {"d": d, **paint}
    return "polygon", {"points": _points(glyph.shape), **paint}


def _points(shape: str) -> str:
    """Polygon points (18 x 18 box) of a vis-network shape drawn with the label below it."""

    def ring(k: int, r: float, start: float, inner: float | None = None) -> str:
        out = []
        for i in range(k * (2 if inner else 1)):
            radius = inner if inner and i % 2 else r
            angle = start + i * math.pi / (k if inner else k / 2)
            out.append(f"{9 + radius * math.cos(angle):.1f},{9 + radius * math.sin(angle):.1f}")
        return " ".join(out)

    return {
        "dot": ring(20, 6.5, 0.0),
        "diamond": "9,1.5 16.5,9 9,16.5 1.5,9",
        "square": "3,3 15,3 15,15 3,15",
        "triangle": "9,2 16,15.5 2,15.5",
        "triangleDown": "2,2.5 16,2.5 9,16",
        "star": ring(5, 8, -math.pi / 2, inner=3.4),
        "hexagon": ring(6, 7.5, 0.0),
    }.get(shape, ring(20, 6.5, 0.0))


def glyph_svg(glyph: Glyph, size: int = 16) -> str:
    """``glyph`` as a small inline SVG (fixed markup: colours and numbers from this module only)."""
    tag, attrs = glyph_parts(glyph)
    text = " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 18 18" aria-hidden="true" focusable="false">'
        f"<{tag} {text}/></svg>"
    )


def node_style(glyph: Glyph) -> dict[str, Any]:
    """The vis-network options drawing a node with ``glyph`` (its border dashed when the glyph says so).

    >>> node_style(CATEGORY_STYLE["Regimen"])
    {'shape': 'diamond', 'shapeProperties': {'borderDashes': [4, 3]}}
    """
    style: dict[str, Any] = {"shape": glyph.shape}
    if glyph.dashed:
        style["shapeProperties"] = {"borderDashes": _BORDER_DASHES}
    return style


def _edge_swatch(colour: str, head: str, dashes: Sequence[int] | bool, width: float = 2, halo: bool = False) -> str:
    dash = f' stroke-dasharray="{dashes[0]},{dashes[1]}"' if isinstance(dashes, Sequence) else ""
    tip = (
        f'<line x1="37" y1="1.5" x2="37" y2="12.5" stroke="{colour}" stroke-width="2.5"/>'
        if head == "bar"
        else f'<polygon points="31,2.5 40,7 31,11.5" fill="{colour}"/>'
    )
    glow = f'<line x1="2" y1="7" x2="34" y2="7" stroke="{HIGHLIGHT}" stroke-width="9" opacity="0.5"/>' if halo else ""
    return (
        f'<svg width="42" height="14" viewBox="0 0 42 14" aria-hidden="true">{glow}'
        f'<line x1="2" y1="7" x2="34" y2="7" stroke="{colour}" stroke-width="{width}"{dash}/>{tip}</svg>'
    )


def _row(svg: str, text: str, key: str | None = None) -> str:
    data = f' data-legend="{html.escape(key, quote=True)}"' if key is not None else ""
    return f'<div class="hkg-legend-row"{data}>{svg}<span>{html.escape(text)}</span></div>'


def legend_html(categories: Sequence[str], kinds: set[tuple[int, bool]], *, paths: bool, dim: bool, focus: bool) -> str:
    """The legend (collapsed ``<details>``): every category shown, by level, and the edge styles used.

    ``kinds`` are the ``(sign, negated)`` pairs of the statements shown; ``paths``, ``dim`` and ``focus``
    add the highlight, fading and focus styles when the page uses them.

    >>> text = legend_html(["Drug", "Enzyme"], {(-1, False)}, paths=False, dim=False, focus=False)
    >>> '<details id="hkg-legend">' in text, 'data-legend="Enzyme"' in text, "increases" in text
    (True, True, False)
    """
    by_level: dict[int, list[str]] = {}
    for category in categories:
        by_level.setdefault(layer_of(category), []).append(category)
    node_rows = []
    for level in sorted(by_level):
        node_rows.append(f'<div class="hkg-legend-level">{html.escape(_level_title(level))}</div>')
        for category in by_level[level]:
            glyph = CATEGORY_STYLE.get(category, FALLBACK_STYLE)
            node_rows.append(_row(glyph_svg(glyph), f"{category}: {glyph.words}", category))
    rows: list[str] = []
    entries = [
        ((1, False), _edge_swatch(*SIGN_STYLE[1], False), "\u2192 increases (sign +1): blue, arrow head"),
        ((-1, False), _edge_swatch(*SIGN_STYLE[-1], False), "\u22a3 decreases (sign \u22121): red, bar head"),
        ((0, False), _edge_swatch(*SIGN_STYLE[0], DASH_STRUCTURAL), "structural (sign 0, not causal): grey, dashed"),
    ]
    for key, svg, text in entries:
        if key in kinds:
            rows.append(_row(svg, text))
    for sign in sorted({s for s, negated in kinds if negated}, reverse=True):
        svg = _edge_swatch(*SIGN_STYLE.get(sign, SIGN_STYLE[0]), DASH_NEGATED)
        what = "unsigned" if sign == 0 else sign_word(sign)
        rows.append(_row(svg, f"negated ({what}): asserted NOT to hold, dotted, labelled \u201cnot\u201d"))
    if paths:
        svg = _edge_swatch(SIGN_STYLE[1][0], "arrow", False, width=5, halo=True)
        rows.append(_row(svg, "selected path: thick edges with an amber glow, nodes outlined in amber"))
        svg = _edge_swatch(SIGN_STYLE[1][0], "arrow", False, width=3)
        rows.append(_row(svg, "another path of the answer: full colour, medium width"))
    if dim:
        rows.append('<div class="hkg-legend-row"><span>faded: on no path of the answer</span></div>')
    if focus:
        ring = '<svg width="16" height="16" viewBox="0 0 18 18" aria-hidden="true">'
        ring += f'<polygon points="{_points("dot")}" fill="#fff" stroke="#000" stroke-width="3"/></svg>'
        rows.append(_row(ring, "focus entity: large, thick black outline"))
    return (
        '<details id="hkg-legend"><summary>Legend <span class="hkg-badge">symbols</span></summary>\n'
        '<p class="hkg-hint">Top to bottom: the biological level of each entity (level 1 first).</p>\n'
        f'<div class="hkg-legend-nodes">\n{chr(10).join(node_rows)}\n</div>\n'
        f'<div class="hkg-legend-edges">\n{chr(10).join(rows)}\n</div>\n</details>\n'
    )


def _level_title(level: int) -> str:
    name = LAYER_NAMES[level] if 0 <= level < len(LAYER_NAMES) else "other"
    return f"Level {level + 1}: {name}"
