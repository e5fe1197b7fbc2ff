"""The export pipeline: one writer per format, looked up in :data:`FORMATS`; every file written atomically.

=============  ===========================================  =============================================
format         file(s) in the export folder                 read back with
=============  ===========================================  =============================================
``turtle``     ``hormone-kg.ttl`` (canonical longturtle)    rdflib, any RDF tool
``ntriples``   ``hormone-kg.nt`` (sorted lines)             rdflib, any RDF tool, ``sort``/``diff``
``jsonld``     ``hormone-kg.jsonld`` (compacted, sorted)    rdflib, any JSON-LD 1.1 processor
``graphml``    ``hormone-kg.graphml``                       ``networkx.read_graphml``, Gephi, yEd
``kgx``        ``kgx/nodes.tsv``, ``kgx/edges.tsv``         KGX, pandas, the ``csv`` module
``cytoscape``  ``hormone-kg.cytoscape.json``                Cytoscape.js (``cy.json()``), ``json``
``csv``        ``statements.csv`` (UTF-8 with BOM)          spreadsheets, the ``csv`` module
``html``       ``hormone-kg.html``, ``anastrozole-bmd.html`` a browser (needs :mod:`kg.viz`)
=============  ===========================================  =============================================

The RDF files (Turtle, N-Triples, JSON-LD) hold exactly ``g.rdf``: the data **and** the ontology triples, so
that one file loaded into any triple store answers the same SPARQL as ``g.sparql`` (predicate labels,
polarities and Biolink mappings included). :func:`kg.sources.records.read_graph` ignores the ontology part.

Writes are atomic and all-or-nothing: each file is written to a temporary file beside its target and only
when every requested format has been written are they moved into place (``os.replace``); a failing export
leaves the previous files untouched and no temporary file behind. Paths that would leave the requested
folder (through ``..`` or a symbolic link) are refused with :class:`~kg.errors.ExportError`.

>>> import kg, tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     [p.name for p in export(kg.load(), tmp, formats=["ntriples", "kgx"])]
['hormone-kg.nt', 'nodes.tsv', 'edges.tsv']
>>> export(kg.load(), ".", formats=["pdf"])
Traceback (most recent call last):
...
kg.errors.ExportError: unknown export format 'pdf'; known formats: turtle, ntriples, jsonld, graphml, kgx, ...
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from kg.errors import ExportError, KGError, ValidationError
from kg.exporters.html import HIGHLIGHT, write_html
from kg.exporters.kgx import KGX_EDGE_COLUMNS, KGX_NODE_COLUMNS, KNOWLEDGE_SOURCE, biolink_edge, write_kgx
from kg.exporters.output import Output
from kg.exporters.rdf import rdf_copy, write_jsonld, write_ntriples, write_turtle
from kg.exporters.tables import STATEMENT_COLUMNS, write_csv, write_cytoscape, write_graphml
from kg.graph import KnowledgeGraph, load
from kg.store.load import bundled_shacl_violations

log = logging.getLogger(__name__)

__all__ = [
    "EXPORTS_DIR",
    "FORMATS",
    "HIGHLIGHT",
    "KGX_EDGE_COLUMNS",
    "KGX_NODE_COLUMNS",
    "KNOWLEDGE_SOURCE",
    "STATEMENT_COLUMNS",
    "Output",
    "biolink_edge",
    "build",
    "export",
    "rdf_copy",
]

#: Where ``hormone-kg build`` writes, relative to the current folder (the repository's ``exports/``).
EXPORTS_DIR = "exports"


#: Format name -> writer; a writer stages its files in an :class:`Output` (see :func:`export`).
FORMATS: dict[str, Callable[[KnowledgeGraph, Output], None]] = {
    "turtle": write_turtle,
    "ntriples": write_ntriples,
    "jsonld": write_jsonld,
    "graphml": write_graphml,
    "kgx": write_kgx,
    "cytoscape": write_cytoscape,
    "csv": write_csv,
    "html": write_html,
}


# ---------------------------------------------------------------------------------------------- entry points
def export(
    g: KnowledgeGraph, directory: str | os.PathLike[str], formats: Sequence[str] | str | None = None
) -> list[Path]:
    """Write ``g`` in ``formats`` (default: all of :data:`FORMATS`) into ``directory``; the files written.

    All-or-nothing: if any writer fails, no file in ``directory`` changes and no temporary file remains.
    Raises :class:`~kg.errors.ExportError` naming the known formats for an unknown one, and for unsafe paths
    or I/O failures.
    """
    names = [formats] if isinstance(formats, str) else list(FORMATS) if formats is None else list(formats)
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise ExportError(f"unknown export format {unknown[0]!r}; known formats: {', '.join(FORMATS)}")
    out = Output(directory)
    current = ""
    try:
        for current in dict.fromkeys(names):
            log.info("writing the %s export into %s", current, directory)
            FORMATS[current](g, out)
        return out.commit()
    except KGError:
        out.discard()
        raise
    except Exception as err:
        out.discard()
        raise ExportError(f"the {current} export into {directory} failed: {type(err).__name__}: {err}") from err
    except BaseException:
        out.discard()
        raise


def build(directory: str | os.PathLike[str] = EXPORTS_DIR) -> list[Path]:
    """Check the bundled graph against the SHACL shapes, then regenerate every format in ``directory``.

    Raises :class:`~kg.errors.ValidationError` listing every SHACL violation (nothing is written then).
    Deterministic: byte-identical reruns.
    """
    violations = bundled_shacl_violations()
    if violations:
        raise ValidationError(violations, what="the bundled graph (SHACL)")
    return export(load(), directory)
