"""The interactive view (SPEC §6): the graph as one self-contained, offline HTML file, built on pyvis.

The page shows the entities touched by the chosen statements as nodes (colour and shape by category) and
one edge per statement (colour by sign, dashed when structural, dotted when negated), with a legend,
tooltips, a details panel with evidence and citations, a search box, category and context filters, and
optionally highlighted causal paths and a focus neighbourhood. vis-network's JavaScript and CSS are
inlined from the installed pyvis package; nothing is fetched from the network when the page opens.

Every text that comes from the graph (labels, synonyms, evidence) travels as JSON data and is put into
the page with ``textContent``: a label like ``<img src=x onerror=alert(1)>`` is shown, never run.

>>> import kg, kg.viz
>>> g = kg.load()
>>> page = kg.viz.render_html(g, focus="aromatase", radius=1)
>>> page.startswith("<!DOCTYPE html>"), 'src="http' in page, 'href="http' in page
(True, False, False)
>>> page == kg.viz.render_html(g, focus="aromatase", radius=1)  # deterministic
True
"""

from __future__ import annotations

import html
import importlib
import json
import math
import os
import re
import tempfile
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.context import Context, ContextLike
from kg.errors import ExportError, KGError, QueryError
from kg.explain import cite
from kg.results import CausalPath, sign_word

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.model import Statement

__all__ = [
    "CATEGORY_STYLE",
    "PHYSICS_LIMIT",
    "RESOLVER",
    "HighlightLike",
    "render_html",
    "show",
    "write_html",
]

#: Above this many nodes the browser does no physics: positions are computed here, once.
PHYSICS_LIMIT = 300
#: Seed of every layout (vis-network's ``layout.randomSeed`` and the Python layout).
LAYOUT_SEED = 20240607
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

HighlightLike = CausalPath | tuple[str, str] | Iterable[CausalPath | tuple[str, str]] | None


# ---------------------------------------------------------------------------------------------- selection
@dataclass
class _View:
    """What one page shows: statements (sorted), node CURIEs (sorted), and what is highlighted."""

    statements: list[Statement]
    nodes: list[str]
    context: Context
    focus: str | None = None
    radius: int = 2
    paths: list[CausalPath] = field(default_factory=list)
    hl_nodes: set[str] = field(default_factory=set)
    hl_edges: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


def _paths(g: KnowledgeGraph, highlight: HighlightLike, context: ContextLike, notes: list[str]) -> list[CausalPath]:
    if highlight is None:
        return []
    if isinstance(highlight, CausalPath):
        items: list[Any] = [highlight]
    elif isinstance(highlight, tuple) and len(highlight) == 2 and all(isinstance(x, str) for x in highlight):
        items = [highlight]
    elif isinstance(highlight, Iterable) and not isinstance(highlight, str):
        items = list(highlight)
    else:
        raise QueryError(f"highlight= takes CausalPath objects or a (source, target) pair, not {highlight!r}")
    out: list[CausalPath] = []
    for item in items:
        if isinstance(item, CausalPath):
            out.append(item)
        elif isinstance(item, tuple) and len(item) == 2 and all(isinstance(x, str) for x in item):
            found = g.causal_paths(item[0], item[1], context=context, limit=5)
            if not found:
                src, dst = g.resolve(item[0]), g.resolve(item[1])
                where = g.context(context).label
                notes.append(f"No causal path from {src.label} to {dst.label} ({where}).")
            out.extend(found)
        else:
            raise QueryError(f"highlight= takes CausalPath objects or (source, target) pairs, not {item!r}")
    return out


def _select(
    g: KnowledgeGraph,
    focus: str | None,
    radius: int,
    highlight: HighlightLike,
    context: ContextLike,
    max_nodes: int | None = None,
) -> _View:
    if isinstance(radius, bool) or not isinstance(radius, int) or radius < 0:
        raise QueryError(f"radius must be a whole number >= 0, not {radius!r}")
    if max_nodes is not None and (isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1):
        raise QueryError(f"max_nodes must be a whole number >= 1 or None, not {max_nodes!r}")
    if max_nodes is not None and focus is None:
        raise QueryError("max_nodes keeps the entities nearest the focus: give focus= as well")
    ctx = g.context(context)
    notes: list[str] = []
    paths = _paths(g, highlight, context, notes)
    focus_id = None
    table = getattr(g, "table", None)
    if focus is not None:
        focus_id = g.resolve(focus).id
    if focus_id is not None and table is not None:  # a large graph: select on its columns, make few statements
        kept = _table_neighbourhood(g, table, ctx, focus_id, radius, max_nodes)
    else:
        kept = [st for _, st in sorted(g.statements.items()) if ctx.admits(st.context, g.populations)]
        if focus_id is not None:
            ball = _neighbourhood(kept, focus_id, radius, max_nodes)
            kept = [st for st in kept if st.subject in ball and st.object in ball]
    by_id = {st.id: st for st in kept}
    hl_nodes: set[str] = set()
    hl_edges: set[str] = set()
    for path in paths:  # requested paths are shown even when they leave the focus neighbourhood
        hl_nodes.update(path.nodes)
        for st in path.statements:
            hl_edges.add(st.id)
            by_id.setdefault(st.id, st)
    if highlight is not None and isinstance(highlight, tuple) and not paths:
        hl_nodes.update(g.resolve(x).id for x in highlight if isinstance(x, str))
    statements = [by_id[k] for k in sorted(by_id)]
    names = {n for st in statements for n in (st.subject, st.object)} | hl_nodes
    if focus_id is not None:
        names.add(focus_id)
    return _View(statements, sorted(names), ctx, focus_id, radius, paths, hl_nodes, hl_edges, notes)


def _neighbourhood(statements: Sequence[Statement], start: str, radius: int, max_nodes: int | None = None) -> set[str]:
    """Entities within ``radius`` undirected steps of ``start`` over ``statements``: the nearest ``max_nodes``.

    A ring that does not fit whole is cut in CURIE order, so the same graph gives the same selection.
    """
    adjacent: dict[str, set[str]] = {}
    for st in statements:
        adjacent.setdefault(st.subject, set()).add(st.object)
        adjacent.setdefault(st.object, set()).add(st.subject)
    seen, frontier = {start}, {start}
    cap = max_nodes if max_nodes is not None else math.inf
    for _ in range(radius):
        frontier = {m for n in frontier for m in adjacent.get(n, ())} - seen
        if not frontier or len(seen) >= cap:
            break
        if len(seen) + len(frontier) > cap:
            frontier = set(sorted(frontier)[: int(cap) - len(seen)])
        seen |= frontier
    return seen


def _table_neighbourhood(
    g: KnowledgeGraph, table: Any, ctx: Context, start: str, radius: int, max_nodes: int | None
) -> list[Statement]:
    """:func:`_neighbourhood` on a :class:`~kg.compiled.StatementTable`: the same selection, in numpy.

    Only the statements between the selected entities are made (a large graph's statements are made on
    demand); the context is checked once per distinct qualifier set.
    """
    import numpy as np

    n = len(table.nodes)
    codes = np.asarray(table.context)
    first = np.full(len(table.contexts), -1, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(table) - 1, -1, -1, dtype=np.int64)
    admitted = np.array(
        [bool(r >= 0 and ctx.admits(table.contexts[c], g.populations)) for c, r in enumerate(first.tolist())],
        dtype=np.bool_,
    )
    rows = np.flatnonzero(admitted[codes]) if len(codes) else np.zeros(0, dtype=np.int64)
    subj, obj = np.asarray(table.subject)[rows], np.asarray(table.object)[rows]
    ends = np.concatenate([subj, obj])
    other = np.concatenate([obj, subj])
    order = np.argsort(ends, kind="stable")
    ptr = np.searchsorted(ends[order], np.arange(n + 1))
    neighbours = other[order]
    inside = np.zeros(n, dtype=np.bool_)
    s = table.node_index.get(start)
    if s is None:  # an entity no statement mentions
        return []
    inside[s] = True
    frontier = np.array([s], dtype=np.int64)
    count, cap = 1, max_nodes if max_nodes is not None else n
    for _ in range(radius):
        if count >= cap:
            break
        lo, hi = ptr[frontier], ptr[frontier + 1]
        reached = np.concatenate([neighbours[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True)])
        frontier = np.unique(reached[~inside[reached]])  # node ids are in CURIE order: cut like _neighbourhood
        if not len(frontier):
            break
        frontier = frontier[: cap - count]
        inside[frontier] = True
        count += len(frontier)
    both = rows[inside[subj] & inside[obj]]
    return [table.statement(int(r)) for r in both.tolist()]


# ---------------------------------------------------------------------------------------------- layout
def _layout(
    n: int, pairs: Iterable[tuple[int, int]], *, seed: int = LAYOUT_SEED, iterations: int = 40, spacing: float = 90.0
) -> list[tuple[float, float]]:
    """Deterministic force-directed positions (pixels) for large graphs, in numpy.

    Springs of rest length ``spacing`` along the edges, repulsion cut off at ``2 * spacing`` (close pairs
    found on a grid of cells, so one iteration is linear in nodes + edges), weak gravity, a cooling step
    limit. 5,000 nodes / 10,000 edges take under a second.

    >>> pos = _layout(3, [(0, 1), (1, 2)])
    >>> len(pos), pos == _layout(3, [(0, 1), (1, 2)])
    (3, True)
    """
    import numpy as np

    if n == 0:
        return []
    rng = np.random.default_rng(seed)
    side = math.sqrt(n) * spacing
    pos = rng.uniform(-side / 2, side / 2, size=(n, 2))
    edge_list = sorted({(min(u, v), max(u, v)) for u, v in pairs if u != v})
    edges = np.array(edge_list, dtype=np.int64).reshape(-1, 2)
    temperature = side / 8
    floor = spacing / 10
    cooling = (floor / temperature) ** (1 / max(iterations, 1)) if temperature > floor else 1.0
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        i, j = _close_pairs(pos, 2.0 * spacing)
        if len(i):
            delta = pos[i] - pos[j]
            dist2 = np.maximum((delta**2).sum(axis=1), 1.0)
            force = delta * (16.0 * spacing * spacing / dist2)[:, None]
            for axis in (0, 1):
                disp[:, axis] += np.bincount(i, force[:, axis], n) - np.bincount(j, force[:, axis], n)
        if len(edges):
            u, v = edges[:, 0], edges[:, 1]
            delta = pos[u] - pos[v]
            dist = np.maximum(np.sqrt((delta**2).sum(axis=1)), 1e-9)
            force = delta * (0.3 * (dist - spacing) / dist)[:, None]
            for axis in (0, 1):
                disp[:, axis] += np.bincount(v, force[:, axis], n) - np.bincount(u, force[:, axis], n)
        disp -= pos * 0.01  # weak gravity keeps components together
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature *= cooling
    pos -= pos.mean(axis=0)
    return [(round(float(x), 1), round(float(y), 1)) for x, y in pos]


def _close_pairs(pos: Any, cutoff: float) -> tuple[Any, Any]:
    """Index pairs (i < j in cell order) of points closer than ``cutoff``, found on a grid of cells."""
    import numpy as np

    n = len(pos)
    cells = np.floor((pos - pos.min(axis=0)) / cutoff).astype(np.int64)
    height = int(cells[:, 1].max()) + 3
    keys = cells[:, 0] * height + cells[:, 1] + 1
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    firsts, seconds = [], []
    for dx, dy in ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1)):
        target = sorted_keys + dx * height + dy
        lo = np.searchsorted(sorted_keys, target, side="left")
        hi = np.searchsorted(sorted_keys, target, side="right")
        counts = hi - lo
        total = int(counts.sum())
        if total == 0:
            continue
        src = np.repeat(np.arange(n), counts)
        dst = np.repeat(lo, counts) + (np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts))
        if dx == 0 and dy == 0:
            keep = dst > src
            src, dst = src[keep], dst[keep]
        firsts.append(order[src])
        seconds.append(order[dst])
    if not firsts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    i, j = np.concatenate(firsts), np.concatenate(seconds)
    close = ((pos[i] - pos[j]) ** 2).sum(axis=1) < cutoff * cutoff
    return i[close], j[close]


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


def _node(g: KnowledgeGraph, view: _View, curie: str, dim: bool) -> dict[str, Any]:
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


def _edge(g: KnowledgeGraph, view: _View, st: Statement, dim: bool, bend: float) -> dict[str, Any]:
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


def _legend(view: _View, categories: Sequence[str], dim: bool) -> str:
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


def render_html(
    g: KnowledgeGraph,
    *,
    focus: str | None = None,
    radius: int = 2,
    highlight: HighlightLike = None,
    context: ContextLike = None,
    max_nodes: int | None = None,
) -> str:
    """Render the interactive view as one self-contained HTML page (a string); see :func:`write_html`.

    >>> import kg, kg.viz
    >>> page = kg.viz.render_html(kg.load(), highlight=("anastrozole", "bone mineral density"))
    >>> '"highlighted": true' in page and "vis.Network" in page
    True
    """
    from pyvis.network import Network

    view = _select(g, focus, radius, highlight, context, max_nodes)
    dim = bool(view.hl_edges or view.hl_nodes)
    physics = 0 < len(view.nodes) <= PHYSICS_LIMIT
    nodes = [_node(g, view, curie, dim) for curie in view.nodes]
    if not physics and nodes:
        index = {curie: i for i, curie in enumerate(view.nodes)}
        positions = _layout(len(nodes), ((index[st.subject], index[st.object]) for st in view.statements))
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


def write_html(
    g: KnowledgeGraph,
    path: str | os.PathLike[str],
    *,
    focus: str | None = None,
    radius: int = 2,
    highlight: HighlightLike = None,
    context: ContextLike = None,
    max_nodes: int | None = None,
) -> Path:
    """Write the interactive view of ``g`` to ``path`` (one self-contained HTML file) and return the path.

    - ``focus``: an entity name or CURIE; only its neighbourhood within ``radius`` undirected steps is shown,
      at most ``max_nodes`` entities of it (nearest first, a ring that does not fit whole cut in CURIE order).
    - ``highlight``: :class:`~kg.results.CausalPath` objects, or a ``(source, target)`` pair resolved with
      ``g.causal_paths(source, target, context=context, limit=5)``; those paths stand out, the rest fades.
    - ``context``: keep only the statements admitted in that context (population name/CURIE or mapping).

    The same graph and options give a byte-identical file. The file is written atomically (a temporary
    file in the same folder, then renamed). Raises :class:`~kg.errors.UnknownEntityError`,
    :class:`~kg.errors.UnknownContextError`, :class:`~kg.errors.QueryError` for bad options and
    :class:`~kg.errors.ExportError` when the file cannot be written.

    >>> import kg, kg.viz, tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = kg.viz.write_html(kg.load(), pathlib.Path(tmp) / "view.html", focus="ESR1", radius=1)
    ...     out.name, out.stat().st_size > 100_000
    ('view.html', True)
    """
    target = Path(path)
    page = render_html(g, focus=focus, radius=radius, highlight=highlight, context=context, max_nodes=max_nodes)
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(f"cannot write {target}: folder {folder} does not exist")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(page.encode("utf-8"))
        Path(tmp_name).chmod(0o644)  # an HTML page meant to be opened and shared, like any export
        Path(tmp_name).replace(target)
    except OSError as err:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)
        raise ExportError(f"cannot write {target}: {err}") from err
    return target


def show(
    g: KnowledgeGraph,
    *,
    focus: str | None = None,
    radius: int = 2,
    highlight: HighlightLike = None,
    context: ContextLike = None,
    height: int = 720,
    max_nodes: int | None = None,
) -> Any:
    """Show the view in a notebook: an ``IPython.display.HTML`` holding a sandboxed iframe (``srcdoc``).

    Nothing is written to disk and nothing is fetched. Raises :class:`~kg.errors.KGError` when IPython is
    not installed (use :func:`write_html` then).
    """
    try:
        display = importlib.import_module("IPython.display")
    except ImportError as err:
        raise KGError("kg.viz.show needs IPython (a notebook); use kg.viz.write_html(g, path) instead") from err
    page = render_html(g, focus=focus, radius=radius, highlight=highlight, context=context, max_nodes=max_nodes)
    frame = (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" sandbox="allow-scripts allow-popups" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #ddd"></iframe>'
    )
    with warnings.catch_warnings():  # IPython suggests IFrame, which cannot take srcdoc
        warnings.filterwarnings("ignore", message="Consider using IPython.display.IFrame", category=UserWarning)
        return display.HTML(frame)
