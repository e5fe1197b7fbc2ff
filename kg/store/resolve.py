"""Names -> entities: CURIE, label, synonym or abbreviation, case-insensitive, with suggestions.

>>> from kg.model import Entity, imported_entity
>>> idx = NameIndex([Entity("HGNC:3467", "estrogen receptor α", "Receptor", abbreviations=("ERα",))])
>>> idx.resolve("era").id, idx.resolve("Estrogen Receptor Alpha").id
('HGNC:3467', 'HGNC:3467')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import get_close_matches

from kg.errors import UnknownEntityError
from kg.model import Entity, imported_entity

__all__ = ["NameIndex", "normalise"]

_GREEK = {"α": "a", "β": "b", "γ": "g", "δ": "d"}
_GREEK_WORDS = {"alpha": "a", "beta": "b", "gamma": "g", "delta": "d"}
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_GREEK_WORD_PATTERNS = {
    word: (re.compile(rf"(?<![a-z]){word}(?![a-z])|(?<=[0-9]){word}"), latin) for word, latin in _GREEK_WORDS.items()
}


def normalise(name: str) -> str:
    """A loose key: case, accents, Greek letters, spaces and punctuation folded.

    >>> normalise("17β-Estradiol") == normalise("17beta estradiol")
    True
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    if not text.isascii():  # Greek letters and accents (ASCII text has neither)
        for letter, latin in _GREEK.items():
            text = text.replace(letter, latin)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for word, (pattern, latin) in _GREEK_WORD_PATTERNS.items():
        if word in text:
            text = pattern.sub(latin, text)
    return _NON_ALNUM.sub("", text)


class NameIndex:
    """Lookup by CURIE, cross-reference or any name; curated entities first, then labels, synonyms, abbreviations.

    An entity made by an import (:func:`kg.model.imported_entity`) never takes a name from a curated one.
    """

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.by_id: dict[str, Entity] = {}
        self._exact: dict[str, Entity] = {}
        self._loose: dict[str, Entity] = {}
        self._display: dict[str, str] = {}  # casefolded name -> name as written
        ranked: list[tuple[int, str, Entity]] = []
        for e in entities:
            self.by_id[e.id] = e
            ranked.append((0, e.label, e))
            ranked.extend((1, s, e) for s in e.synonyms)
            ranked.extend((2, a, e) for a in e.abbreviations)
        # curated entities first: an imported one (kg.model.IMPORTED_ENTITY) never takes a curated name over
        for _, name, e in sorted(ranked, key=lambda r: (imported_entity(r[2]), r[0], r[2].id)):
            self._exact.setdefault(name.casefold(), e)
            self._loose.setdefault(normalise(name), e)
            self._display.setdefault(name.casefold(), name)
        self._id_folded = {k.casefold(): v for k, v in self.by_id.items()}
        #: a cross-reference names its curated entity (UniProtKB:P03372 -> ERα), never one of its own
        self._xref = {
            x.casefold(): e
            for e in sorted(self.by_id.values(), key=lambda e: (imported_entity(e), e.id), reverse=True)
            for x in e.xrefs
            if x not in self.by_id
        }

    def resolve(self, name: str) -> Entity:
        """The entity ``name`` denotes; raises :class:`UnknownEntityError` with close matches."""
        if not isinstance(name, str) or not name.strip():
            raise UnknownEntityError(str(name))
        key = name.strip()
        folded = key.casefold()
        hit = self.by_id.get(key) or self._id_folded.get(folded) or self._xref.get(folded) or self._exact.get(folded)
        if hit is None:
            loose = normalise(key)
            hit = self._loose.get(loose) if loose else None
        if hit is None:
            raise UnknownEntityError(name, self.suggest(name))
        return hit

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Names close to ``name`` (as written in the graph), best first."""
        close = get_close_matches(name.casefold(), list(self._display), n=n, cutoff=0.6)
        return [self._display[c] for c in close]

    def search(self, text: str, limit: int = 20) -> list[Entity]:
        """Entities whose names contain or resemble ``text``: exact, then prefix, then substring, then fuzzy."""
        query = text.strip().casefold()
        if not query:
            return []
        scored: dict[str, tuple[int, int, str]] = {}
        for name, e in self._exact.items():
            if name == query:
                rank = 0
            elif name.startswith(query):
                rank = 1
            elif query in name:
                rank = 2
            else:
                continue
            best = scored.get(e.id)
            candidate = (rank, len(name), e.id)
            if best is None or candidate < best:
                scored[e.id] = candidate
        for name in get_close_matches(query, list(self._exact), n=limit, cutoff=0.7):
            e = self._exact[name]
            scored.setdefault(e.id, (3, len(name), e.id))
        ordered = sorted(scored.values())
        return [self.by_id[eid] for _, _, eid in ordered[:limit]]
