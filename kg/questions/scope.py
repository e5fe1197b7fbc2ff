"""What every question does first, once: check its bounds and turn its context into a search :class:`Scope`.

The defaults are :mod:`kg.limits` (re-exported here for the questions).

>>> import kg
>>> g = kg.load()
>>> scope = scope_of(g, g.context("postmenopausal women"))
>>> from kg.model import FrozenMap
>>> scope.person(FrozenMap(population="pop:postmenopausal-women"))["sex"]
'female'
"""

from __future__ import annotations

from collections.abc import Mapping

from kg.context import Context, expand_qualifiers
from kg.errors import QueryError
from kg.limits import LIMIT, LOOP_LENGTH, MAX_LENGTH, MAX_LENGTH_LIMIT
from kg.model import HUMAN
from kg.search import PERSON_KEYS, PLACE_KEY, Scope
from kg.store.store import Store

__all__ = ["LIMIT", "LOOP_LENGTH", "MAX_LENGTH", "MAX_LENGTH_LIMIT", "check_bounds", "scope_of"]


def check_bounds(max_length: int, limit: int | None = None) -> None:
    """Raise :class:`~kg.errors.QueryError` unless ``max_length`` (and ``limit``) are in range."""
    if not isinstance(max_length, int) or isinstance(max_length, bool) or not 1 <= max_length <= MAX_LENGTH_LIMIT:
        raise QueryError(f"max_length must be a whole number from 1 to {MAX_LENGTH_LIMIT}, not {max_length!r}")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise QueryError(f"limit must be a positive whole number, not {limit!r}")


def scope_of(store: Store, ctx: Context) -> Scope:
    """The search scope of a parsed context: which statement contexts it admits, and whom (and where) each is about."""
    populations = store.populations
    persons: dict[Mapping[str, str], Mapping[str, str]] = {}

    def admits(context: Mapping[str, str]) -> bool:
        return ctx.admits(context, populations)

    # in a question about humans, animal evidence joins human evidence on a path (marked as such): the species is
    # then no part of the person; a question that names no species keeps each path within one species
    human = ctx.animal and ctx.qualifiers.get("species") == HUMAN
    keys = {k for k in PERSON_KEYS if k != "species" or not human} | {PLACE_KEY}

    def person(context: Mapping[str, str]) -> Mapping[str, str]:
        hit = persons.get(context)
        if hit is None:
            expanded = expand_qualifiers(context, populations) if context else {}
            hit = persons[context] = {k: v for k, v in expanded.items() if k in keys}
        return hit

    # the question's source changes what is admitted only where it is some context's therapy: else one view serves
    # every source (a view is compiled once per key)
    source = ctx.source if ctx.source in store.therapies else None
    key = (tuple(sorted(ctx.qualifiers.items())), ctx.population, ctx.subgroups, source, ctx.animal)
    return Scope(key, admits, person)
