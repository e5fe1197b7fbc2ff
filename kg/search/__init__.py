"""The search engine: signed, reaction- and person-aware, bounded searches over the statement table.

:class:`SearchIndex` is its interface (:mod:`kg.search.index`); the rest are its parts, in the order a
search uses them: a question's :class:`Scope` compiles into a :mod:`~kg.search.view`, walked by
:mod:`~kg.search.paths`, :mod:`~kg.search.reach` or :mod:`~kg.search.cycles` under the person rule
(:mod:`~kg.search.persons`) and a work :mod:`~kg.search.budget`.
"""

from kg.search.budget import DEFAULT_WORK, MAX_PATHS, REACH_WORK, Budget
from kg.search.hops import EVERYTHING, PERSON_KEYS, PLACE_KEY, Hop, RawPath, Scope, SearchResult
from kg.search.index import SearchIndex
from kg.search.reach import Reached

__all__ = [
    "DEFAULT_WORK",
    "EVERYTHING",
    "MAX_PATHS",
    "PERSON_KEYS",
    "PLACE_KEY",
    "REACH_WORK",
    "Budget",
    "Hop",
    "RawPath",
    "Reached",
    "Scope",
    "SearchIndex",
    "SearchResult",
]
