"""hormone-kg: a curated, citable knowledge graph of hormonal mechanisms.

The library logs through :mod:`logging` under the ``kg`` logger (loading, imports, endpoint requests, searches
cut by their budget), at DEBUG and INFO only in a normal run; it prints nothing. Show it with
``logging.basicConfig(level=logging.INFO)``.

>>> import kg
>>> g = kg.load()
>>> g.resolve("E2").label
'17β-estradiol'
"""

from __future__ import annotations

import logging
from typing import Any

from kg.context import ContextEntry, list_contexts
from kg.errors import (
    CurationError,
    EndpointError,
    ExportError,
    KGError,
    QueryError,
    UnknownContextError,
    UnknownEntityError,
    ValidationError,
    Violation,
)
from kg.graph import KnowledgeGraph, load
from kg.model import Entity, Finding, Source, Statement
from kg.questions.results import CausalPath, Effect, FeedbackLoop, Reach
from kg.version import __version__

logging.getLogger("kg").addHandler(logging.NullHandler())  # the application decides what is shown

__all__ = [
    "CausalPath",
    "ContextEntry",
    "CurationError",
    "Effect",
    "EndpointError",
    "Entity",
    "ExportError",
    "FeedbackLoop",
    "Finding",
    "KGError",
    "KnowledgeGraph",
    "QueryError",
    "Reach",
    "Source",
    "Statement",
    "UnknownContextError",
    "UnknownEntityError",
    "ValidationError",
    "Violation",
    "__version__",
    "export",
    "list_contexts",
    "load",
    "viz",
]


def __getattr__(name: str) -> Any:
    """Import ``export`` and ``viz`` (the outputs, with their heavier imports) when first used."""
    if name == "export":
        from kg.exporters import export

        return export
    if name == "viz":
        import importlib

        return importlib.import_module("kg.viz")
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
