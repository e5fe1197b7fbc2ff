"""The page of the interactive view: vis-network node and edge data, legend, options, and the HTML around them.

:func:`render_page` turns a :class:`~kg.viz.select.View` into one self-contained HTML page: pyvis writes
its template with vis-network inlined, our CSS and script (``kg/_viz_assets/``), the side panel, the legend
and the page's data (as JSON safe inside ``<script>``) are added, and a final guard refuses a page that
still references anything remote.

>>> text = _json_for_script({"label": "</script><img src=x onerror=alert(1)>"})
>>> "<" in text, json.loads(text)["label"]
(False, '</script><img src=x onerror=alert(1)>')
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

from kg.errors import KGError
from kg.questions.results import cite, sign_word
from kg.viz.layout import LAYOUT_SEED
from kg.viz.select import View

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.model import Statement

__all__ = ["CATEGORY_STYLE", "RESOLVER", "UNRESOLVABLE", "render_page"]

#: Where a CURIE links to (the user clicks; nothing is loaded automatically).
RESOLVER = "https://bioregistry.io/"
#: Prefixes of the project's own records, which no public resolver knows.
UNRESOLVABLE = ("HKG", "src", "stmt", "finding", "pop", "regimen")

#: Category -> (colour, vis-network shape). Categories missing here are drawn grey dots.
CATEGORY_STYLE: Mapping[str, tuple[str, str]] = {
    "Hormone": ("#f28e2b", "dot"),
    "Drug": ("#4e79a7", "diamond"),
    "Chemical": ("#bab0ac", "dot"),
    "Enzyme": ("#59a14f", "triangle"),
    "Receptor": ("#76b7b2", "triangleDown"),
    "SignallingProtein": ("#8cd17d", "triangle"),
    "Protein": ("#b6992d", "triangle"),
    "Gene": ("#499894", "triangleDown"),
    "CellType": ("#e15759", "hexagon"),
    "Anatomy": ("#ff9d9a", "square"),
    "BiologicalProcess": ("#b07aa1", "square"),
    "MolecularActivity": ("#d4a6c8", "square"),
    "ClinicalMeasure": ("#edc948", "star"),
    "Phenotype": ("#9c755f", "star"),
    "Disease": ("#d37295", "star"),
    "Population": ("#79706e", "hexagon"),
    "Regimen": ("#a0cbe8", "diamond"),
}
_FALLBACK_STYLE = ("#cccccc", "dot")

#: Sign -> (colour, arrow head).
_SIGN_STYLE: Mapping[int, tuple[str, str]] = {1: ("#1f78b4", "arrow"), -1: ("#d7301f", "bar"), 0: ("#8c8c8c", "arrow")}
_HIGHLIGHT = "#f0a000"
_DASH_STRUCTURAL = [8, 5]
_DASH_NEGATED = [2, 5]


# ---------------------------------------------------------------------------------------------- data
def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _category(g: KnowledgeGraph, curie: str) -> str:
    if curie in g.entities:
        return g.entities[curie].category
    if curie in g.populations:
        return "Population"
    if curie in g.regimens:
        return "Regimen"
    return "Unknown"


def _context_key(st: Statement) -> str:
    return "|".join(f"{k}={v}" for k, v in sorted(st.context.items()))


def _context_text(g: KnowledgeGraph, st: Statement) -> str:
    if not st.context:
        return "general (no context)"
    return "; ".join(f"{k.replace('_', ' ')}: {g.label(v)}" for k, v in sorted(st.context.items()))


def _node(g: KnowledgeGraph, view: View, curie: str, dim: bool) -> dict[str, Any]:
    entity = g.entities.get(curie)
    category = _category(g, curie)
    colour, shape = CATEGORY_STYLE.get(category, _FALLBACK_STYLE)
    highlighted = curie in view.hl_nodes
    alpha = 0.25 if dim and not highlighted else 1.0
    border = _HIGHLIGHT if highlighted else "#000000" if curie == view.focus else "#555555"
    fill = colour if alpha == 1.0 else _rgba(colour, alpha)
    node: dict[str, Any] = {
        "id": curie,
        "label": g.label(curie),
        "shape": shape,
        "size": 22 if curie == view.focus else 16 if highlighted else 12,
        "borderWidth": 4 if highlighted or curie == view.focus else 1,
        "color": {
            "background": fill,
            "border": border if alpha == 1.0 else _rgba(border, alpha),
            "highlight": {"background": colour, "border": "#000000"},
            "hover": {"background": colour, "border": "#000000"},
        },
        "font": {"color": "#222222" if alpha == 1.0 else "rgba(34,34,34,0.35)"},
        "category": category,
        "curie": curie,
        "synonyms": list(entity.synonyms) if entity else [],
        "abbreviations": list(entity.abbreviations) if entity else [],
        "description": (entity.description or "") if entity else "",
        "highlighted": highlighted,
        "focus": curie == view.focus,
    }
    return node


def _edge(g: KnowledgeGraph, view: View, st: Statement, dim: bool, bend: float) -> dict[str, Any]:
    colour, head = _SIGN_STYLE.get(st.sign, _SIGN_STYLE[0])
    highlighted = st.id in view.hl_edges
    alpha = 0.15 if dim and not highlighted else 1.0
    edge: dict[str, Any] = {
        "id": st.id,
        "from": st.subject,
        "to": st.object,
        "arrows": {"to": {"enabled": True, "type": head, "scaleFactor": 0.7 if st.sign == 0 else 0.9}},
        "color": {"color": colour, "highlight": colour, "hover": colour, "opacity": alpha, "inherit": False},
        "dashes": _DASH_NEGATED if st.negated else _DASH_STRUCTURAL if st.sign == 0 else False,
        "width": 5 if highlighted else 1.5,
        "highlighted": highlighted,
        "statement": st.curie,
        "predicate": st.predicate,
        "predicateLabel": g.rdf_label(st.predicate),
        "sign": st.sign,
        "signWord": sign_word(st.sign) if st.sign else "none (structural)",
        "negated": st.negated,
        "context": _context_text(g, st),
        "contextKey": _context_key(st),
        "magnitude": st.magnitude or "",
        "reaction": st.reaction or "",
        "subjectLabel": g.label(st.subject),
        "objectLabel": g.label(st.object),
        "evidence": [{"source": ev.source, "citation": cite(g, ev.source), "text": ev.text} for ev in st.evidence],
        "sources": list(st.sources),
        "citations": [cite(g, s) for s in st.sources],
        "evidenceType": st.evidence_type or "",
        "note": st.note or "",
    }
    if highlighted:
        edge["shadow"] = {"enabled": True, "color": _HIGHLIGHT, "size": 14, "x": 0, "y": 0}
    if st.negated:
        edge["label"] = "not"
        edge["font"] = {"size": 11, "color": colour, "strokeWidth": 3, "align": "middle"}
    if bend:
        edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": bend}
    return edge


def _options(physics: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "autoResize": True,
        "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif"}},
        "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": not physics, "multiselect": False},
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": physics},
    }
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -80,
                "centralGravity": 0.01,
                "springLength": 120,
                "springConstant": 0.06,
                "avoidOverlap": 0.3,
            },
            "minVelocity": 1.0,
            "stabilization": {"enabled": True, "iterations": 500, "updateInterval": 25, "fit": True},
        }
    else:
        options["physics"] = {"enabled": False}
    return options


# ---------------------------------------------------------------------------------------------- page
def _asset(name: str) -> str:
    return resources.files("kg").joinpath("_viz_assets", name).read_text(encoding="utf-8")


def _points(shape: str) -> str:
    """Polygon points (18 x 18 box) drawing a vis-network shape in the legend."""

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


def _edge_swatch(colour: str, head: str, dashes: Sequence[int] | bool, width: float = 2, halo: bool = False) -> str:
    dash = f' stroke-dasharray="{dashes[0]},{dashes[1]}"' if isinstance(dashes, Sequence) else ""
    tip = (
        f'<line x1="37" y1="1.5" x2="37" y2="12.5" stroke="{colour}" stroke-width="2.5"/>'
        if head == "bar"
        else f'<polygon points="31,2.5 40,7 31,11.5" fill="{colour}"/>'
    )
    glow = f'<line x1="2" y1="7" x2="34" y2="7" stroke="{_HIGHLIGHT}" stroke-width="9" opacity="0.5"/>' if halo else ""
    return (
        f'<svg width="42" height="14" viewBox="0 0 42 14" aria-hidden="true">{glow}'
        f'<line x1="2" y1="7" x2="34" y2="7" stroke="{colour}" stroke-width="{width}"{dash}/>{tip}</svg>'
    )


def _legend(view: View, categories: Sequence[str], dim: bool) -> str:
    node_rows = []
    for category in categories:
        colour, shape = CATEGORY_STYLE.get(category, _FALLBACK_STYLE)
        node_rows.append(
            f'<div class="hkg-legend-row" data-legend="{html.escape(category, quote=True)}">'
            f'<svg width="16" height="16" viewBox="0 0 18 18" aria-hidden="true"><polygon points="{_points(shape)}" '
            f'fill="{colour}" stroke="#555" stroke-width="1"/></svg><span>{html.escape(category)} '
            f"({html.escape(shape)})</span></div>"
        )
    rows: list[str] = []
    kinds = {(st.sign, st.negated) for st in view.statements}
    entries = [
        ((1, False), _edge_swatch(*_SIGN_STYLE[1], False), "increases (sign +1): blue, arrow head"),
        ((-1, False), _edge_swatch(*_SIGN_STYLE[-1], False), "decreases (sign \u22121): red, bar head \u22a3"),
        ((0, False), _edge_swatch(*_SIGN_STYLE[0], _DASH_STRUCTURAL), "structural (sign 0, not causal): grey, dashed"),
    ]
    for key, svg, text in entries:
        if key in kinds:
            rows.append(f'<div class="hkg-legend-row">{svg}<span>{html.escape(text)}</span></div>')
    for sign in sorted({s for s, negated in kinds if negated}, reverse=True):
        svg = _edge_swatch(*_SIGN_STYLE.get(sign, _SIGN_STYLE[0]), _DASH_NEGATED)
        what = "unsigned" if sign == 0 else sign_word(sign)
        text = f"negated ({what}): asserted NOT to hold, dotted, labelled \u201cnot\u201d; never a causal step"
        rows.append(f'<div class="hkg-legend-row">{svg}<span>{html.escape(text)}</span></div>')
    if view.paths or view.hl_nodes:
        svg = _edge_swatch(_SIGN_STYLE[1][0], "arrow", False, width=5, halo=True)
        rows.append(
            f'<div class="hkg-legend-row">{svg}<span>highlighted path: thick edge with an amber glow, '
            f"nodes with an amber outline</span></div>"
        )
    if dim:
        rows.append('<div class="hkg-legend-row"><span>faded: not on a highlighted path</span></div>')
    if view.focus:
        rows.append(
            '<div class="hkg-legend-row"><svg width="16" height="16" viewBox="0 0 18 18" aria-hidden="true">'
            f'<polygon points="{_points("dot")}" fill="#fff" stroke="#000" stroke-width="3"/></svg>'
            "<span>focus entity: large, thick black outline</span></div>"
        )
    return _LEGEND.format(nodes="\n".join(node_rows), edges="\n".join(rows))


def _json_for_script(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``<``, ``>`` or ``&`` left)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_SIDE = """<aside id="hkg-side">
<h1>hormone-kg</h1>
<p id="hkg-summary"></p>
<div id="hkg-notes"></div>
<input id="hkg-search" type="search" placeholder="Search: label, synonym or CURIE" aria-label="Search entities"
 autocomplete="off" spellcheck="false">
<ul id="hkg-results"></ul>
<details open><summary>Categories</summary><div id="hkg-categories"></div></details>
<details open><summary>Contexts</summary><div id="hkg-contexts"></div></details>
</aside>
"""

_LEGEND = """<details open id="hkg-legend"><summary>Legend</summary>
<div class="hkg-legend-nodes">
{nodes}
</div>
<div class="hkg-legend-edges">
{edges}
</div>
</details>
"""

_REMOTE = re.compile(
    r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>|<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>",
    re.IGNORECASE | re.DOTALL,
)
#: a tag that would load something from the network; graph text never matches (its "<" travels as \u003c)
_ANY_REMOTE = re.compile(r"<[a-z][^>]*\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)
_CARD = '<div class="card" style="width: 100%">'
_HOOK = "network = new vis.Network(container, data, options);"


def _page(net_html: str, config: Mapping[str, Any], legend: str) -> str:
    page = _REMOTE.sub("", net_html)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    page = re.sub(r"<!--\s*<link[^>]*node_modules.*?-->", "", page, flags=re.DOTALL)
    script = _asset("view.js")
    if "</script" in script.lower():
        raise KGError("kg/_viz_assets/view.js must not contain '</script'")
    head = (
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>hormone-kg: interactive view</title>\n"
        f"<style>\n{_asset('view.css')}</style>\n"
        f'<script type="application/json" id="hkg-config">{_json_for_script(config)}</script>\n'
        f"<script>\n{script}</script>\n</head>"
    )
    steps = [
        ("<html>", '<!DOCTYPE html>\n<html lang="en">'),
        ("</head>", head),
        ("<body>", "<body>\n" + _SIDE + '<aside id="hkg-panel" aria-live="polite"></aside>\n'),
        (_CARD, _CARD + "\n" + legend),
        (_HOOK, _HOOK + "\n                  hkgInit(network);"),
    ]
    for old, new in steps:
        if page.count(old) != 1:
            raise KGError(f"unexpected pyvis template: {old!r} found {page.count(old)} times (pyvis 0.3.2 expected)")
        page = page.replace(old, new)
    if _ANY_REMOTE.search(page):
        raise KGError("the page still references a remote resource (src/href to http); refusing to write it")
    return page.rstrip() + "\n"


def render_page(
    g: KnowledgeGraph, view: View, *, physics: bool, positions: Sequence[tuple[float, float]] | None = None
) -> str:
    """The page showing ``view``: browser physics on or off, and the precomputed ``positions`` of its nodes."""
    from pyvis.network import Network

    dim = bool(view.hl_edges or view.hl_nodes)
    nodes = [_node(g, view, curie, dim) for curie in view.nodes]
    if positions is not None:
        for node, (x, y) in zip(nodes, positions, strict=True):
            node["x"], node["y"] = x, y
    seen: dict[tuple[str, str], int] = {}
    edges = []
    for st in view.statements:
        pair = (min(st.subject, st.object), max(st.subject, st.object))
        rank = seen.get(pair, 0)
        seen[pair] = rank + 1
        edges.append(_edge(g, view, st, dim, 0.18 * rank))

    net = Network(height="100vh", width="100%", directed=True, heading="", cdn_resources="in_line")
    net.nodes = nodes
    net.edges = edges
    net.node_ids = list(view.nodes)
    net.node_map = {node["id"]: node for node in nodes}
    net.options = _options(physics)

    counts: dict[str, int] = {}
    for node in nodes:
        counts[node["category"]] = counts.get(node["category"], 0) + 1
    known = list(CATEGORY_STYLE)
    categories = sorted(counts, key=lambda c: (known.index(c) if c in known else len(known), c))
    contexts: dict[str, tuple[str, int]] = {}
    for st in view.statements:
        key = _context_key(st)
        contexts[key] = (_context_text(g, st), contexts.get(key, ("", 0))[1] + 1)
    summary = f"{len(nodes)} entities \u00b7 {len(edges)} statements \u00b7 {view.context.label}"
    if view.focus:
        summary += f" \u00b7 focus: {g.label(view.focus)} (radius {view.radius})"
    if view.paths:
        summary += f" \u00b7 {len(view.paths)} highlighted path(s)"
    config = {
        "physics": physics,
        "resolver": RESOLVER,
        "unresolvable": list(UNRESOLVABLE),
        "summary": summary,
        "notes": view.notes,
        "shapes": {shape: _points(shape) for _, shape in (*CATEGORY_STYLE.values(), _FALLBACK_STYLE)},
        "categories": [
            {
                "key": c,
                "text": c,
                "count": counts[c],
                "color": CATEGORY_STYLE.get(c, _FALLBACK_STYLE)[0],
                "shape": CATEGORY_STYLE.get(c, _FALLBACK_STYLE)[1],
            }
            for c in categories
        ],
        "contexts": [
            {"key": k, "text": text, "count": n}
            for k, (text, n) in sorted(contexts.items(), key=lambda kv: (kv[0] != "", kv[1][0], kv[0]))
        ],
    }
    return _page(net.generate_html(), config, _legend(view, categories, dim))
