"""hormone-kg: a curated, citable knowledge graph of hormonal mechanisms.

>>> import kg
>>> g = kg.load()
>>> g.resolve("E2").label
'17β-estradiol'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

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
from kg.graph import KnowledgeGraph
from kg.loader import load
from kg.model import Entity, Finding, Source, Statement

if TYPE_CHECKING:
    from kg.results import CausalPath, Effect, FeedbackLoop, Reach

__all__ = [
    "CausalPath",
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
    "load",
    "viz",
]


def __getattr__(name: str) -> Any:
    """Import the result types, ``export`` and ``viz`` lazily, so that ``import kg`` stays light."""
    if name in ("CausalPath", "Effect", "FeedbackLoop", "Reach"):
        from kg import results

        return getattr(results, name)
    if name == "export":
        from kg.exporters import export

        return export
    if name == "viz":
        import importlib

        return importlib.import_module("kg.viz")
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
