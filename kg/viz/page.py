"""The page of the interactive view: vis-network options, the side column, the details column, and the HTML around them.

:func:`render_page` turns a :class:`~kg.viz.select.View` into one self-contained HTML page: the nodes and
edges (:mod:`kg.viz.items`) at their layered positions (:mod:`kg.viz.layout`), pyvis writes its template with
vis-network inlined, our CSS and script (``kg/_viz_assets/``), the side column (legend, search, paths,
filters), the details column and the page's data (as JSON safe inside ``<script>``) are added, and a final
guard refuses a page that still references anything remote.

>>> text = _json_for_script({"label": "</script><img src=x onerror=alert(1)>"})
>>> "<" in text, json.loads(text)["label"]
(False, '</script><img src=x onerror=alert(1)>')
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

from kg.errors import KGError, QueryError
from kg.viz.forest import effect_forest, inline_svg
from kg.viz.items import (
    FONT_SIZE,
    LABEL_WRAP,
    MIN_SCALE,
    category_of,
    context_groups,
    edge_item,
    level_bands,
    node_item,
    node_size,
    path_items,
    positions,
)
from kg.viz.layout import LAYOUT_SEED, PHYSICS_LIMIT, layer_of
from kg.viz.select import View
from kg.viz.style import CATEGORY_STYLE, FALLBACK_STYLE, glyph_parts, legend_html

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["RESOLVER", "UNRESOLVABLE", "render_page"]

#: Where a CURIE links to (the user clicks; nothing is loaded automatically).
RESOLVER = "https://bioregistry.io/"
#: Prefixes of the project's own records, which no public resolver knows.
UNRESOLVABLE = ("HKG", "src", "stmt", "finding", "pop", "regimen")
#: The widest the page opens at (a small focus view is not blown up).
_MAX_SCALE = 1.5
#: A view with more statements than this draws them lighter until one of their ends is selected.
_DENSE = 150


def _options(big: bool) -> dict[str, Any]:
    """vis-network options: no physics (positions are given), wrapped labels, smooth edges unless the graph is big."""
    smooth: dict[str, Any] = {"enabled": not big, "type": "cubicBezier", "forceDirection": "vertical"}
    smooth["roundness"] = 0.4
    return {
        "autoResize": True,
        "nodes": {
            "font": {"size": FONT_SIZE, "face": "system-ui, sans-serif", "background": "rgba(255,255,255,0.8)"},
            "widthConstraint": {"maximum": LABEL_WRAP},
            "margin": {"top": 6, "right": 8, "bottom": 6, "left": 8},
        },
        "edges": {"smooth": smooth, "selectionWidth": 2, "hoverWidth": 1},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big, "multiselect": False},
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": False},
        "physics": {"enabled": False},
    }


def _json_for_script(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``<``, ``>`` or ``&`` left)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _asset(name: str) -> str:
    return resources.files("kg").joinpath("_viz_assets", name).read_text(encoding="utf-8")


_SIDE = """<aside id="hkg-side">
<h1>hormone-kg</h1>
<p id="hkg-summary"></p>
<div id="hkg-notes"></div>
{legend}<input id="hkg-search" type="search" placeholder="Search: label, synonym or CURIE" aria-label="Search entities"
 autocomplete="off" spellcheck="false">
<ul id="hkg-results"></ul>
{paths}<details open><summary>Categories</summary><div id="hkg-categories"></div></details>
<details open><summary>Contexts</summary><div id="hkg-contexts"></div></details>
</aside>
"""
_PATHS = """<details open id="hkg-paths-box"><summary>Paths of the answer ({count})</summary>
<p class="hkg-hint">In the answer's order, the mechanism first. Click one to highlight it.</p>
<ol id="hkg-paths"></ol>
</details>
"""
_TOOLBAR = """<div id="hkg-toolbar" role="toolbar" aria-label="View">
<button type="button" id="hkg-fit">Fit all</button>
<button type="button" id="hkg-home">Start view</button>
<span id="hkg-zoom" class="hkg-hint"></span>
<span class="hkg-hint">Scroll: zoom \u00b7 drag: pan \u00b7 levels run down, drug to clinical measure</span>
</div>"""

_REMOTE = re.compile(
    r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>|<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>",
    re.IGNORECASE | re.DOTALL,
)
#: a tag that would load something from the network; graph text never matches (its "<" travels as \u003c)
_ANY_REMOTE = re.compile(r"<[a-z][^>]*\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)
_CARD = '<div class="card" style="width: 100%">'
_HOOK = "network = new vis.Network(container, data, options);"


def _findings(g: KnowledgeGraph, view: View) -> str:
    """The findings section of the details column: the place for a forest plot of ``view.pair``'s findings.

    ``view.pair`` is the (source, target) the highlighted paths answer and ``view.context`` their context;
    :mod:`kg.viz.forest` fills this in (an HTML ``<section id="hkg-findings">`` holding an inline SVG, no
    remote reference). Empty when the page answers no question.
    """
    # --- forest plot of the answer's findings (kg.viz.forest; issue 18) ---
    if view.pair is None:
        return ""
    try:
        plot = effect_forest(g, g.effect(*view.pair, context=view.context))
    except QueryError:  # no finding with a value: nothing to plot
        return ""
    svg = inline_svg(plot.render("svg", compact=True))  # checked markup: text escaped, no script, no link out
    return (
        '<section id="hkg-findings" aria-label="Forest plot of the findings">\n<details open><summary>Findings: '
        f"forest plot ({len(plot.rows)})</summary>\n{svg}\n</details>\n</section>\n"
    )
    # --- end of the forest plot ---


def _page(net_html: str, config: Mapping[str, Any], side: str, right: str) -> str:
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
        ("<body>", "<body>\n" + side + right),
        (_CARD, _CARD + "\n" + _TOOLBAR),
        (_HOOK, _HOOK + "\n                  hkgInit(network);"),
    ]
    for old, new in steps:
        if page.count(old) != 1:
            raise KGError(f"unexpected pyvis template: {old!r} found {page.count(old)} times (pyvis 0.3.2 expected)")
        page = page.replace(old, new)
    if _ANY_REMOTE.search(page):
        raise KGError("the page still references a remote resource (src/href to http); refusing to write it")
    return page.rstrip() + "\n"


def _start(view: View) -> dict[str, Any]:
    """Where the page opens: the selected path (or everything) fitted, never below a legible zoom.

    What is fitted: the selected path, else the two entities of a question without a path, else everything.
    When fitting makes labels smaller than ``MIN_SCALE`` allows, the page opens at that zoom instead: on the
    selected path, on the focus entity, or (the script finds it) on the part of the drawing with most nodes.
    """
    return {
        "fit": list(view.paths[0].nodes) if view.paths else sorted(view.hl_nodes),
        "centre": view.focus,
        "minScale": MIN_SCALE,
        "maxScale": _MAX_SCALE,
        "fontSize": FONT_SIZE,
    }


def render_page(g: KnowledgeGraph, view: View) -> str:
    """The page showing ``view``, its nodes at their layered positions (no physics in the browser).

    >>> import kg
    >>> from kg.viz.select import select_view
    >>> g = kg.load()
    >>> page = render_page(g, select_view(g, "aromatase", 1, None, None))
    >>> page.startswith("<!DOCTYPE html>") and '"physics": {"enabled": false}' in page
    True
    """
    from pyvis.network import Network

    big = len(view.nodes) > PHYSICS_LIMIT
    styled = bool(view.hl_edges or view.hl_nodes)
    current = set(view.paths[0].nodes) if view.paths else set(view.hl_nodes)
    current_edges = {st.id for st in view.paths[0].statements} if view.paths else set()

    plain = "faint" if len(view.statements) > _DENSE else "plain"

    def state(on_current: bool, on_any: bool) -> str:
        return plain if not styled else "current" if on_current else "on" if on_any else "off"

    nodes = [node_item(g, view, c, state(c in current, c in view.hl_nodes), styled) for c in view.nodes]
    sizes = []
    for node in nodes:
        glyph = CATEGORY_STYLE.get(str(node["category"]), FALLBACK_STYLE)
        sizes.append(node_size(str(node["label"]), glyph, float(node["size"])))
    for node, (x, y) in zip(nodes, positions(view, nodes, sizes), strict=True):
        node["x"], node["y"] = x, y
    seen: dict[tuple[str, str], int] = {}
    edges = []
    for st in view.statements:
        pair = (min(st.subject, st.object), max(st.subject, st.object))
        rank = seen.get(pair, 0)
        seen[pair] = rank + 1
        look = state(st.id in current_edges, st.id in view.hl_edges)
        edges.append(edge_item(g, st, look, styled, 0.18 * rank, not big))

    net = Network(height="100vh", width="100%", directed=True, heading="", cdn_resources="in_line")
    net.nodes = nodes
    net.edges = edges
    net.node_ids = list(view.nodes)
    net.node_map = {node["id"]: node for node in nodes}
    net.options = _options(big)

    counts: dict[str, int] = {}
    for curie in view.nodes:
        category = category_of(g, curie)
        counts[category] = counts.get(category, 0) + 1
    known = list(CATEGORY_STYLE)
    categories = sorted(counts, key=lambda c: (layer_of(c), known.index(c) if c in known else len(known), c))
    paths = path_items(g, view)
    summary = f"{len(nodes)} entities \u00b7 {len(edges)} statements \u00b7 {view.context.label}"
    if view.focus:
        summary += f" \u00b7 focus: {g.label(view.focus)} (radius {view.radius})"
    if paths:
        summary += f" \u00b7 {len(paths)} path(s) of the answer"
    glyphs = {}
    for c in categories:
        tag, attrs = glyph_parts(CATEGORY_STYLE.get(c, FALLBACK_STYLE))
        glyphs[c] = {"tag": tag, "attrs": attrs}
    config = {
        "big": big,
        "resolver": RESOLVER,
        "unresolvable": list(UNRESOLVABLE),
        "summary": summary,
        "notes": view.notes,
        "glyphs": glyphs,
        "categories": [{"key": c, "text": c, "count": counts[c], "level": layer_of(c) + 1} for c in categories],
        "contextGroups": context_groups(g, view.statements),
        "paths": paths,
        "pair": list(view.pair) if view.pair else None,
        "start": _start(view),
        "levels": level_bands(nodes, sizes),
    }
    kinds = {(st.sign, st.negated) for st in view.statements}
    legend = legend_html(categories, kinds, paths=bool(paths), dim=styled, focus=view.focus is not None)
    side = _SIDE.format(legend=legend, paths=_PATHS.format(count=len(paths)) if paths else "")
    right = f'<aside id="hkg-right">\n<div id="hkg-panel" aria-live="polite"></div>\n{_findings(g, view)}</aside>\n'
    return _page(net.generate_html(), config, side, right)
