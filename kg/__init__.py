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

import importlib
import logging
from typing import TYPE_CHECKING, Any

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
from kg.version import __version__

if TYPE_CHECKING:
    from kg import viz
    from kg.context import ContextEntry, list_contexts
    from kg.exporters import export
    from kg.graph import KnowledgeGraph, load
    from kg.model import Entity, Finding, Source, Statement
    from kg.questions.results import CausalPath, Effect, FeedbackLoop, Reach

#: Where each public name lives: imported when first used, so ``import kg`` (and ``hormone-kg --help``) stays light
_LAZY = {
    "ContextEntry": "kg.context",
    "list_contexts": "kg.context",
    "KnowledgeGraph": "kg.graph",
    "load": "kg.graph",
    "Entity": "kg.model",
    "Finding": "kg.model",
    "Source": "kg.model",
    "Statement": "kg.model",
    "CausalPath": "kg.questions.results",
    "Effect": "kg.questions.results",
    "FeedbackLoop": "kg.questions.results",
    "Reach": "kg.questions.results",
    "export": "kg.exporters",
}

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
    """The public names of :data:`_LAZY` (and the ``viz`` package), imported when first used."""
    if name == "viz":
        return importlib.import_module("kg.viz")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # (looked up here from then on)
    return value


def __dir__() -> list[str]:
    """The module's names and the public ones not imported yet."""
    return sorted({*globals(), *__all__})
