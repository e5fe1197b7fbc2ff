"""The schema as the code sees it: predicates with their polarity, categories with their Biolink class.

Everything here is read from ``ontology/hormone-kg.ttl``: the sign of a statement is its predicate's
declared polarity, never a list written in the code. :func:`schema` reads the file with pyoxigraph's parser
(2 ms; rdflib's parse took 14 ms of every process's first load, and imported rdflib); :func:`ontology_graph` is
the rdflib graph the exports and SHACL use.

>>> schema().predicates["inhibits"].polarity
-1
>>> schema().categories["Hormone"]
'biolink:SmallMolecule'
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.prefixes import PREFIXES, compress

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

__all__ = ["CONTEXT_TERMS", "PredicateInfo", "Schema", "ontology_dir", "ontology_graph", "schema", "shapes_graph"]

#: context key -> the vocabulary's property for it (``hkg:`` + this name); values that are CURIEs are IRIs there
CONTEXT_TERMS = {
    "population": "population",
    "sex": "sex",
    "menopausal_status": "menopausalStatus",
    "age_group": "ageGroup",
    "tissue": "tissue",
    "regimen": "regimen",
    "species": "species",
    "condition": "condition",
    "therapy": "therapy",
}


def ontology_dir() -> Path:
    """The folder holding ``hormone-kg.ttl`` and ``shapes.ttl`` (inside the wheel, or the checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "ontology", here.parent / "ontology"):
        if (candidate / "hormone-kg.ttl").is_file():
            return candidate
    raise FileNotFoundError("ontology/hormone-kg.ttl not found beside the kg package")


@dataclass(frozen=True)
class PredicateInfo:
    """One predicate of the closed vocabulary."""

    slug: str
    label: str
    polarity: int
    biolink: str
    aspect: str | None = None
    direction: str | None = None
    mechanism: str | None = None
    ro: str | None = None

    @property
    def iri(self) -> URIRef:
        """The predicate's IRI in the project vocabulary."""
        from kg.namespaces import HKG  # (rdflib: imported when an RDF term is asked for)

        return HKG[self.slug]


@dataclass(frozen=True)
class Schema:
    """Predicates by slug and categories (slug -> Biolink CURIE)."""

    predicates: dict[str, PredicateInfo]
    categories: dict[str, str]
    circulating: frozenset[str] = frozenset()  # categories marked hkg:circulates (carry a change between tissues)


@cache
def ontology_graph() -> Graph:
    """The ontology as an rdflib graph (parsed once per process)."""
    from rdflib import Graph

    return Graph().parse(ontology_dir() / "hormone-kg.ttl", format="turtle")


@cache
def shapes_graph() -> Graph:
    """The SHACL shapes as an rdflib graph (parsed once per process)."""
    from rdflib import Graph

    return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_HKG = PREFIXES["hkg"]


def _triples() -> dict[str, dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]]]:
    """Per subject IRI, per predicate IRI, the objects in file order (of the triples whose subject is an IRI)."""
    out: dict[str, dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]]] = defaultdict(lambda: defaultdict(list))
    for quad in ox.parse(path=ontology_dir() / "hormone-kg.ttl", format=ox.RdfFormat.TURTLE):
        if isinstance(quad.subject, ox.NamedNode) and not isinstance(quad.object, ox.Triple):
            out[quad.subject.value][quad.predicate.value].append(quad.object)
    return out


def _value(props: dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]], prop: str) -> str | None:
    """The (first) value of ``prop``: an IRI or a literal's lexical form (None if it has none)."""
    values = props.get(prop)
    return None if not values else values[0].value


@cache
def schema() -> Schema:
    """Predicates and categories read from the ontology (once per process)."""
    triples = _triples()
    predicates: dict[str, PredicateInfo] = {}
    categories: dict[str, str] = {}
    circulating = set()
    for subject, props in triples.items():
        types = {t.value for t in props.get(_RDF + "type", ())}
        slug = subject.rsplit("#", 1)[-1]
        if _HKG + "Predicate" in types:
            polarity = props.get(_HKG + "polarity", [None])[0]
            biolink = _value(props, _HKG + "biolinkPredicate")
            ro = _value(props, _SKOS + "closeMatch") or _value(props, _SKOS + "relatedMatch")
            if not isinstance(polarity, ox.Literal) or biolink is None:
                raise ValueError(f"ontology: predicate {slug} lacks hkg:polarity or hkg:biolinkPredicate")
            predicates[slug] = PredicateInfo(
                slug=slug,
                label=str(_value(props, _RDFS + "label")),
                polarity=int(polarity.value),
                biolink=compress(biolink),
                aspect=_value(props, _HKG + "biolinkAspect"),
                direction=_value(props, _HKG + "biolinkDirection"),
                mechanism=_value(props, _HKG + "biolinkMechanism"),
                ro=None if ro is None else compress(ro),
            )
        parents = {p.value for p in props.get(_RDFS + "subClassOf", ())}
        if _HKG + "Entity" in parents and _OWL + "Class" in types:
            categories[slug] = compress(str(_value(props, _HKG + "biolinkCategory")))
            flag = props.get(_HKG + "circulates", [None])[0]
            if isinstance(flag, ox.Literal) and flag.datatype.value == _XSD_BOOLEAN and flag.value in ("true", "1"):
                circulating.add(slug)
    return Schema(
        predicates=dict(sorted(predicates.items())),
        categories=dict(sorted(categories.items())),
        circulating=frozenset(circulating),
    )
