"""The schema as the code sees it: predicates with their polarity, categories with their Biolink class.

Everything here is read from ``ontology/hormone-kg.ttl``: the sign of a statement is its predicate's
declared polarity, never a list written in the code.

>>> schema().predicates["inhibits"].polarity
-1
>>> schema().categories["Hormone"]
'biolink:SmallMolecule'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.namespaces import HKG, compress

__all__ = ["PredicateInfo", "Schema", "ontology_dir", "ontology_graph", "schema", "shapes_graph"]


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
    return Graph().parse(ontology_dir() / "hormone-kg.ttl", format="turtle")


@cache
def shapes_graph() -> Graph:
    """The SHACL shapes as an rdflib graph (parsed once per process)."""
    return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


def _opt(graph: Graph, subject: URIRef, prop: URIRef) -> str | None:
    value = graph.value(subject, prop)
    return None if value is None else str(value)


@cache
def schema() -> Schema:
    """Predicates and categories read from the ontology (once per process)."""
    graph = ontology_graph()
    predicates: dict[str, PredicateInfo] = {}
    for pred in graph.subjects(RDF.type, HKG.Predicate):
        if not isinstance(pred, URIRef):
            continue
        slug = str(pred).rsplit("#", 1)[1]
        polarity = graph.value(pred, HKG.polarity)
        biolink = graph.value(pred, HKG.biolinkPredicate)
        ro = graph.value(pred, SKOS.closeMatch) or graph.value(pred, SKOS.relatedMatch)
        if not isinstance(polarity, Literal) or biolink is None:
            raise ValueError(f"ontology: predicate {slug} lacks hkg:polarity or hkg:biolinkPredicate")
        predicates[slug] = PredicateInfo(
            slug=slug,
            label=str(graph.value(pred, RDFS.label)),
            polarity=int(polarity.toPython()),
            biolink=compress(str(biolink)),
            aspect=_opt(graph, pred, HKG.biolinkAspect),
            direction=_opt(graph, pred, HKG.biolinkDirection),
            mechanism=_opt(graph, pred, HKG.biolinkMechanism),
            ro=None if ro is None else compress(str(ro)),
        )
    categories: dict[str, str] = {}
    circulating = set()
    for cls in graph.subjects(RDFS.subClassOf, HKG.Entity):
        if (cls, RDF.type, OWL.Class) in graph:
            slug = str(cls).rsplit("#", 1)[1]
            categories[slug] = compress(str(graph.value(cls, HKG.biolinkCategory)))
            flag = graph.value(cls, HKG.circulates)
            if isinstance(flag, Literal) and flag.toPython() is True:
                circulating.add(slug)
    return Schema(
        predicates=dict(sorted(predicates.items())),
        categories=dict(sorted(categories.items())),
        circulating=frozenset(circulating),
    )
