"""The prefix map that turns CURIEs into IRIs and back: plain strings, no RDF library.

(:mod:`kg.namespaces` adds the RDF terms; this module is what a load and a question need, so a process that
only asks questions does not import rdflib.)

>>> expand("CHEBI:2704")
'http://purl.obolibrary.org/obo/CHEBI_2704'
>>> compress("http://purl.obolibrary.org/obo/CHEBI_2704")
'CHEBI:2704'
"""

from __future__ import annotations

import re
from functools import cache

from kg.errors import KGError

__all__ = ["PREFIXES", "PROJECT_PREFIXES", "CurieError", "compress", "expand", "is_curie", "prefix_of"]

BASE = "https://w3id.org/hormone-kg/"

#: Every prefix the graph may use. A CURIE with any other prefix is rejected.
PREFIXES: dict[str, str] = {
    "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_",
    "HGNC": "http://identifiers.org/hgnc/",
    "UniProtKB": "http://purl.uniprot.org/uniprot/",
    "NCBIGene": "http://identifiers.org/ncbigene/",
    "CL": "http://purl.obolibrary.org/obo/CL_",
    "GO": "http://purl.obolibrary.org/obo/GO_",
    "UBERON": "http://purl.obolibrary.org/obo/UBERON_",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "EFO": "http://www.ebi.ac.uk/efo/EFO_",
    "OBA": "http://purl.obolibrary.org/obo/OBA_",
    "VT": "http://purl.obolibrary.org/obo/VT_",
    "NCBITaxon": "http://purl.obolibrary.org/obo/NCBITaxon_",
    "ECO": "http://purl.obolibrary.org/obo/ECO_",
    "RO": "http://purl.obolibrary.org/obo/RO_",
    "BFO": "http://purl.obolibrary.org/obo/BFO_",
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "PMID": "http://identifiers.org/pubmed/",
    "PMC": "http://identifiers.org/pmc/",
    "DOI": "https://doi.org/",
    "biolink": "https://w3id.org/biolink/vocab/",
    "HKG": BASE + "entity/",
    "stmt": BASE + "statement/",
    "finding": BASE + "finding/",
    "pop": BASE + "population/",
    "regimen": BASE + "regimen/",
    "src": BASE + "source/",
    "hkg": BASE + "vocab#",
}

#: Prefixes of the project's own namespace (used only where no standard term exists).
PROJECT_PREFIXES = frozenset({"HKG", "stmt", "finding", "pop", "regimen", "src", "hkg"})

_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_]*):(\S+)$")


class CurieError(KGError, ValueError):
    """A string that is not a CURIE, or whose prefix is not registered."""


def is_curie(value: str) -> bool:
    """Whether ``value`` looks like ``PREFIX:local`` with a registered prefix.

    >>> is_curie("HGNC:2594"), is_curie("FOO:1"), is_curie("aromatase")
    (True, False, False)
    """
    match = _CURIE.match(value)
    return match is not None and match.group(1) in PREFIXES


def prefix_of(curie: str) -> str:
    """The prefix of a CURIE; raises :class:`CurieError` if ``curie`` has none.

    >>> prefix_of("CL:0000092")
    'CL'
    """
    match = _CURIE.match(curie)
    if not match:
        raise CurieError(f"{curie!r} is not a CURIE (expected PREFIX:local)")
    return match.group(1)


def expand(curie: str) -> str:
    """The IRI of a CURIE; raises :class:`CurieError` for an unregistered prefix.

    >>> expand("PMID:18309940")
    'http://identifiers.org/pubmed/18309940'
    """
    prefix = prefix_of(curie)
    if prefix not in PREFIXES:
        raise CurieError(f"{curie!r} has the unregistered prefix {prefix!r}")
    return PREFIXES[prefix] + curie[len(prefix) + 1 :]


def compress(uri: str) -> str:
    """The CURIE of an IRI; raises :class:`CurieError` if no registered prefix covers it.

    >>> compress("https://doi.org/10.1200/JCO.2007.11.0726")
    'DOI:10.1200/JCO.2007.11.0726'
    """
    result = _compress_cached(str(uri))
    if result is None:
        raise CurieError(f"no registered prefix covers the IRI {uri!r}")
    return result


@cache
def _compress_cached(uri: str) -> str | None:
    best: tuple[int, str] | None = None
    for prefix, base in PREFIXES.items():
        if uri.startswith(base) and len(uri) > len(base) and (best is None or len(base) > best[0]):
            best = (len(base), prefix)
    if best is None:
        return None
    return f"{best[1]}:{uri[best[0] :]}"
