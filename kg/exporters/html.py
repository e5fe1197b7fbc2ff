"""The HTML export: the interactive view of the whole graph, and of the paths of :data:`HIGHLIGHT`.

Both pages come from :func:`kg.viz.write_html`, staged like every other export file.

>>> HIGHLIGHT[:2]
('anastrozole', 'bone mineral density')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg import viz
from kg.errors import UnknownEntityError
from kg.exporters.output import Output

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["HIGHLIGHT", "write_html"]

#: The highlighted view written next to the full one: (source, target, context).
HIGHLIGHT = ("anastrozole", "bone mineral density", "postmenopausal women")


def write_html(g: KnowledgeGraph, out: Output) -> None:
    """``hormone-kg.html`` (the whole graph) and ``anastrozole-bmd.html`` (the paths of :data:`HIGHLIGHT`).

    Both come from :func:`kg.viz.write_html`; the highlighted view is written when the graph has both entities.
    """
    with out.staged("hormone-kg.html") as tmp:
        viz.write_html(g, tmp)
    src, dst, context = HIGHLIGHT
    try:
        g.resolve(src)
        g.resolve(dst)
    except UnknownEntityError:
        return
    with out.staged("anastrozole-bmd.html") as tmp:
        viz.write_html(g, tmp, highlight=(src, dst), context=context)
