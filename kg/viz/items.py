"""The data of one page: vis-network nodes and edges, the contexts by group, the paths of the answer, positions.

Everything here is plain JSON-ready data; graph text (labels, evidence) stays data and is put into the page
with ``textContent`` by ``kg/_viz_assets/view.js``.

>>> context_groups_text({"species": "NCBITaxon:10090", "sex": "female"}, lambda c: c)
'sex: female; species: mouse'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kg.context import SPECIES
from kg.questions.results import cite, sign_symbol, sign_word
from kg.viz.layout import LAYER_NAMES, layer_of, layered_layout
from kg.viz.select import View
from kg.viz.style import (
    CATEGORY_STYLE,
    DASH_NEGATED,
    DASH_STRUCTURAL,
    FALLBACK_STYLE,
    HIGHLIGHT,
    LABEL_INSIDE,
    SIGN_STYLE,
    Glyph,
    node_style,
)

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.model import Statement

__all__ = [
    "CONTEXT_GROUPS",
    "FONT_SIZE",
    "LABEL_WRAP",
    "MIN_SCALE",
    "category_of",
    "context_groups",
    "context_groups_text",
    "context_key",
    "edge_item",
    "level_bands",
    "node_item",
    "node_size",
    "path_items",
    "positions",
]

#: Node label size (graph units) and the smallest zoom the page opens at: 14 x 0.8 = 11.2 px on screen.
FONT_SIZE = 14
MIN_SCALE = 0.8
#: Labels wrap at this width (graph units).
LABEL_WRAP = 190
_CHAR = 7.6  # average width of a character of the label font, generously (graph units)
_LINE = 17.0

#: Context qualifiers in the order the filter groups them, and each group's title.
CONTEXT_GROUPS: tuple[tuple[str, str], ...] = (
    ("population", "Populations"),
    ("sex", "Sex"),
    ("menopausal_status", "Menopausal status"),
    ("age_group", "Age group"),
    ("condition", "Conditions"),
    ("therapy", "Background therapies"),
    ("regimen", "Regimens"),
    ("tissue", "Tissues and cells"),
    ("species", "Species"),
)


def category_of(g: KnowledgeGraph, curie: str) -> str:
    """The category of an entity, ``Population``/``Regimen`` for those records, else ``Unknown``."""
    if curie in g.entities:
        return g.entities[curie].category
    if curie in g.populations:
        return "Population"
    if curie in g.regimens:
        return "Regimen"
    return "Unknown"


def _value_label(label: Callable[[str], str], value: str) -> str:
    return SPECIES.get(value) or label(value)


def context_groups_text(context: Mapping[str, str], label: Callable[[str], str]) -> str:
    """A statement's context in words, CURIEs shown by their labels (species by their common name)."""
    if not context:
        return "general (no context)"
    return "; ".join(f"{k.replace('_', ' ')}: {_value_label(label, v)}" for k, v in sorted(context.items()))


def context_key(st: Statement) -> str:
    """``key=value|key=value`` (sorted): how the page's context filter names a statement's context.

    >>> from kg.model import Statement
    >>> context_key(Statement("s", "X:a", "increases", "X:b", 1, (), (), context={"sex": "male", "age_group": "older"}))
    'age_group=older|sex=male'
    """
    return "|".join(f"{k}={v}" for k, v in sorted(st.context.items()))


def context_groups(g: KnowledgeGraph, statements: Sequence[Statement]) -> list[dict[str, Any]]:
    """The context filter: "general", then one group per qualifier, each value by its label with a count."""
    general = sum(1 for st in statements if not st.context)
    values: dict[str, dict[str, int]] = {}
    for st in statements:
        for k, v in st.context.items():
            values.setdefault(k, {})
            values[k][v] = values[k].get(v, 0) + 1
    groups: list[dict[str, Any]] = []
    if general:
        item = {"key": "", "text": "general (no context)", "count": general}
        groups.append({"key": "general", "title": "General", "items": [item]})
    known = [k for k, _ in CONTEXT_GROUPS]
    titles = dict(CONTEXT_GROUPS)
    for k in sorted(values, key=lambda k: (known.index(k) if k in known else len(known), k)):
        items = [
            {"key": f"{k}={v}", "text": _value_label(g.label, v), "count": n} for v, n in sorted(values[k].items())
        ]
        items.sort(key=lambda item: (str(item["text"]).casefold(), item["key"]))
        groups.append({"key": k, "title": titles.get(k, k.replace("_", " ").capitalize()), "items": items})
    return groups


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _node_look(glyph: Glyph, state: str, focus: bool) -> dict[str, Any]:
    """Colour, border, size and font of a node in a state: plain, current (selected path), on (a path), off."""
    alpha = 0.25 if state == "off" else 1.0
    border = HIGHLIGHT if state == "current" else "#000000" if focus else glyph.border
    look: dict[str, Any] = {
        "color": {
            "background": glyph.fill if alpha == 1.0 else _rgba(glyph.fill, alpha),
            "border": border if alpha == 1.0 else _rgba(border, alpha),
            "highlight": {"background": glyph.fill, "border": "#000000"},
            "hover": {"background": glyph.fill, "border": "#000000"},
        },
        "borderWidth": 4 if state == "current" or focus else 2 if state == "on" else 1.5,
        "size": 22 if focus else 16 if state == "current" else 12,
        "font": {"color": "#222222" if alpha == 1.0 else "rgba(34,34,34,0.35)"},
    }
    return look


def node_size(label: str, glyph: Glyph, size: float) -> tuple[float, float, float]:
    """Estimated ``(width, above, below)`` of a node with its wrapped label (graph units), for the layout.

    >>> node_size("aromatase", CATEGORY_STYLE["Hormone"], 12)  # a circle, its label below it
    (68.39999999999999, 12, 34.0)
    """
    text = len(label) * _CHAR
    lines = max(1, math.ceil(text / (LABEL_WRAP * 0.8)))
    width = min(text, LABEL_WRAP)
    if glyph.shape in LABEL_INSIDE:
        grow = 1.35 if glyph.shape == "ellipse" else 1.0
        half = (lines * _LINE * grow + (22 if glyph.shape == "database" else 12)) / 2
        return width * grow + 12, half, half
    return max(width, 2 * size), size, size + 5 + lines * _LINE


def node_item(g: KnowledgeGraph, view: View, curie: str, state: str, styled: bool) -> dict[str, Any]:
    """The vis-network node of ``curie``: glyph, look in ``state``, and the data the page's script reads.

    ``styled``: the page highlights paths, so the node carries its looks in every state (``hkgLooks``).
    """
    entity = g.entities.get(curie)
    category = category_of(g, curie)
    glyph = CATEGORY_STYLE.get(category, FALLBACK_STYLE)
    focus = curie == view.focus
    node: dict[str, Any] = {
        "id": curie,
        "label": g.label(curie),
        **node_style(glyph),
        **_node_look(glyph, state, focus),
        "category": category,
        "level": layer_of(category),
        "curie": curie,
        "synonyms": list(entity.synonyms) if entity else [],
        "abbreviations": list(entity.abbreviations) if entity else [],
        "description": (entity.description or "") if entity else "",
        "highlighted": curie in view.hl_nodes,
        "focus": focus,
    }
    if styled:
        node["hkgLooks"] = {s: _node_look(glyph, s, focus) for s in ("current", "on", "off")}
    return node


def _edge_look(st: Statement, state: str) -> dict[str, Any]:
    """Colour, width and glow of an edge in a state: plain, faint (plain in a dense view), current, on, off."""
    colour = SIGN_STYLE.get(st.sign, SIGN_STYLE[0])[0]
    alpha = 0.15 if state == "off" else 0.45 if state == "faint" else 1.0
    look: dict[str, Any] = {
        "color": {"color": colour, "highlight": colour, "hover": colour, "opacity": alpha, "inherit": False},
        "width": 6 if state == "current" else 3 if state == "on" else 1.5,
        "shadow": {"enabled": state == "current", "color": HIGHLIGHT, "size": 14, "x": 0, "y": 0},
    }
    return look


def edge_item(g: KnowledgeGraph, st: Statement, state: str, styled: bool, bend: float, smooth: bool) -> dict[str, Any]:
    """The vis-network edge of a statement: sign colour and head, dashes, look in ``state``, and its data.

    ``state``: ``plain`` or ``faint`` (a dense view without paths: lighter, until an end is selected), or, on a
    page with paths, ``current`` (the selected path), ``on`` (another path of the answer) or ``off``.
    """
    colour, head = SIGN_STYLE.get(st.sign, SIGN_STYLE[0])
    evidence: dict[tuple[str, str], dict[str, str]] = {}
    for ev in st.evidence:  # the same sentence from the same source once
        evidence.setdefault(
            (ev.source, ev.text), {"source": ev.source, "citation": cite(g, ev.source), "text": ev.text}
        )
    edge: dict[str, Any] = {
        "id": st.id,
        "from": st.subject,
        "to": st.object,
        "arrows": {"to": {"enabled": True, "type": head, "scaleFactor": 0.7 if st.sign == 0 else 0.9}},
        "dashes": DASH_NEGATED if st.negated else DASH_STRUCTURAL if st.sign == 0 else False,
        **_edge_look(st, state),
        "highlighted": state in ("current", "on"),
        "statement": st.curie,
        "predicate": st.predicate,
        "predicateLabel": g.rdf_label(st.predicate),
        "sign": st.sign,
        "signSymbol": sign_symbol(st.sign) if st.sign else "",
        "signWord": sign_word(st.sign) if st.sign else "none (structural)",
        "negated": st.negated,
        "context": context_groups_text(st.context, g.label),
        "contextKey": context_key(st),
        "magnitude": st.magnitude or "",
        "reaction": st.reaction or "",
        "subjectLabel": g.label(st.subject),
        "objectLabel": g.label(st.object),
        "evidence": list(evidence.values()),
        "sources": list(dict.fromkeys(st.sources)),
        "citations": [cite(g, s) for s in dict.fromkeys(st.sources)],
        "evidenceType": st.evidence_type or "",
        "note": st.note or "",
    }
    if styled:
        edge["hkgLooks"] = {s: _edge_look(st, s) for s in ("current", "on", "off")}
    if st.negated:
        edge["label"] = "not"
        edge["font"] = {"size": FONT_SIZE, "color": colour, "strokeWidth": 3, "align": "middle"}
    if bend:
        edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": bend}
    elif not smooth:
        edge["smooth"] = False
    return edge


def path_items(g: KnowledgeGraph, view: View) -> list[dict[str, Any]]:
    """The paths of the answer, in the answer's own order: words with sign arrows, nodes and statements."""
    out = []
    for k, path in enumerate(view.paths):
        parts = [g.label(path.nodes[0])]
        for st, node in zip(path.statements, path.nodes[1:], strict=True):
            parts.append(f"{sign_symbol(st.sign)} {g.label(node)}")
        out.append(
            {
                "index": k,
                "text": " ".join(parts),
                "sign": sign_word(path.sign),
                "mechanism": path.mechanism,
                "steps": path.length,
                "nodes": list(path.nodes),
                "edges": [st.id for st in path.statements],
            }
        )
    return out


def positions(
    view: View, nodes: Sequence[Mapping[str, Any]], sizes: Sequence[tuple[float, float, float]]
) -> list[tuple[float, float]]:
    """The layered positions of ``nodes`` (``view.nodes`` order): levels by category, the first path straight down."""
    index = {curie: i for i, curie in enumerate(view.nodes)}
    bands = [int(node["level"]) for node in nodes]
    edges = [
        (index[st.subject], index[st.object], st.sign != 0 and not st.negated)
        for st in view.statements
        if st.subject in index and st.object in index
    ]
    paths = [[index[c] for c in path.nodes if c in index] for path in view.paths]
    return layered_layout(bands, edges, sizes=sizes, paths=paths)


def level_bands(
    nodes: Sequence[Mapping[str, Any]], sizes: Sequence[tuple[float, float, float]]
) -> list[dict[str, Any]]:
    """Each level's band (top and bottom, graph units) and name, for the page to shade behind the nodes."""
    spans: dict[int, tuple[float, float]] = {}
    for node, (_, above, below) in zip(nodes, sizes, strict=True):
        level, y = int(node["level"]), float(node["y"])
        top, bottom = spans.get(level, (y - above, y + below))
        spans[level] = (min(top, y - above), max(bottom, y + below))
    return [
        {
            "level": level + 1,
            "name": LAYER_NAMES[level] if 0 <= level < len(LAYER_NAMES) else "other",
            "top": round(top - 14, 1),
            "bottom": round(bottom + 14, 1),
        }
        for level, (top, bottom) in sorted(spans.items())
    ]
