"""The one error hierarchy of :mod:`kg`.

Every error the package raises on purpose derives from :class:`KGError`, and each also subclasses the
built-in it resembles, so callers can catch either.

>>> from kg.errors import KGError, UnknownEntityError
>>> issubclass(UnknownEntityError, KeyError) and issubclass(UnknownEntityError, KGError)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "BuildError",
    "CurationError",
    "EndpointError",
    "ExportError",
    "ImportFormatError",
    "KGError",
    "QueryError",
    "UnknownContextError",
    "UnknownEntityError",
    "ValidationError",
    "Violation",
]


class KGError(Exception):
    """Base class of every error raised by :mod:`kg` on purpose."""


class BuildError(KGError, ImportError):
    """The compiled part of :mod:`kg` (``kg.search._level``) is missing, or was built from another source."""


class UnknownEntityError(KGError, KeyError):
    """A name, synonym or CURIE that matches no entity; ``suggestions`` holds close matches."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown entity {name!r}{hint}")

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class UnknownContextError(KGError, ValueError):
    """A context that names no population and no valid qualifier."""


class QueryError(KGError, ValueError):
    """A query argument out of range (negative ``max_length``, unknown ``sign``...)."""


class ExportError(KGError, OSError):
    """An export could not be written (unknown format, unsafe path, I/O failure)."""


class EndpointError(KGError, ConnectionError):
    """A SPARQL endpoint that is down, refuses the request, or answers something that is not SPARQL."""


@dataclass(frozen=True)
class Violation:
    """One broken rule: which rule, where (file, block or node), and what is wrong."""

    rule: str
    focus: str
    message: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where += f":{self.line}"
        prefix = f"{where}: " if where else ""
        return f"{prefix}[{self.rule}] {self.focus}: {self.message}"


class ValidationError(KGError, ValueError):
    """Input that breaks one or more rules; ``violations`` lists every one of them."""

    def __init__(self, violations: Sequence[Violation], what: str = "input") -> None:
        self.violations = tuple(violations)
        lines = "\n".join(f"  - {v}" for v in self.violations)
        super().__init__(f"{what} failed validation with {len(self.violations)} violation(s):\n{lines}")


class CurationError(ValidationError):
    """A curation file (YAML or Turtle) that cannot be read or breaks the curation format."""


class ImportFormatError(CurationError):
    """A file given to an importer (:mod:`kg.imports`) that it cannot read, or that yields no statement.

    ``violations`` name every problem (a missing column, malformed JSON, every row skipped and why); nothing is
    written when it is raised.
    """
