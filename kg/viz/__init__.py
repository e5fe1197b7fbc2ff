"""The interactive view (SPEC §6): the graph as one self-contained, offline HTML file, built on pyvis.

The page reads like a pathway diagram: entities in levels from top to bottom by their category (drug,
enzyme/hormone, receptor/signalling protein, cell/tissue, process, clinical measure; :mod:`kg.viz.layout`),
one glyph per category (:mod:`kg.viz.style`), one edge per statement (colour by sign, dashed when
structural, dotted when negated). Around the graph: a legend (collapsed), a search box, the paths of the
answer (the mechanism first; click one to highlight it), category and context filters (contexts by label,
grouped), tooltips, and a details panel with evidence and citations. It opens at a legible zoom on the
selected path (else on the part of the drawing with most nodes). vis-network's JavaScript and CSS are inlined from the
installed pyvis package; nothing is fetched from the network when the page opens.

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
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.context import ContextLike
from kg.errors import KGError
from kg.viz.files import write_atomically
from kg.viz.layout import LAYERS, PHYSICS_LIMIT, layer_of
from kg.viz.page import RESOLVER, render_page
from kg.viz.select import HighlightLike
from kg.viz.select import select_view as _select  # kg.viz._select: benchmarks/run.py times the selection alone
from kg.viz.style import CATEGORY_STYLE

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = [
    "CATEGORY_STYLE",
    "LAYERS",
    "PHYSICS_LIMIT",
    "RESOLVER",
    "HighlightLike",
    "layer_of",
    "render_html",
    "show",
    "write_html",
]


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
    view = _select(g, focus, radius, highlight, context, max_nodes)
    return render_page(g, view)


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
    - ``highlight``: :class:`~kg.questions.results.CausalPath` objects (an effect's ``paths``), or a
      ``(source, target)`` pair resolved with ``g.causal_paths(source, target, context=context)``: every path of
      the answer, in its order, can be highlighted from the page's list; the first (the mechanism, when there is
      one) is drawn selected, the others in full colour, the rest fades.
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
    return write_atomically(target, page.encode("utf-8"))


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
