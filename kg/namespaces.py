"""The project vocabulary (closed) as RDF terms, beside the prefix map of :mod:`kg.prefixes` (re-exported).

>>> expand("CHEBI:2704")
'http://purl.obolibrary.org/obo/CHEBI_2704'
>>> compress("http://purl.obolibrary.org/obo/CHEBI_2704")
'CHEBI:2704'
>>> str(HKG.inhibits)
'https://w3id.org/hormone-kg/vocab#inhibits'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg.prefixes import PREFIXES, PROJECT_PREFIXES, CurieError, compress, expand, is_curie, prefix_of

__all__ = [
    "BIOLINK",
    "HKG",
    "PREFIXES",
    "PROJECT_PREFIXES",
    "CurieError",
    "compress",
    "expand",
    "iri",
    "is_curie",
    "prefix_of",
]

BIOLINK = Namespace(PREFIXES["biolink"])


class HKG(DefinedNamespace):
    """The closed project vocabulary: a misspelt term fails where it is written."""

    _NS = Namespace(PREFIXES["hkg"])
    _fail = True

    # classes
    Entity: URIRef
    Hormone: URIRef
    Drug: URIRef
    Chemical: URIRef
    Enzyme: URIRef
    Receptor: URIRef
    SignallingProtein: URIRef
    Protein: URIRef
    Gene: URIRef
    CellType: URIRef
    Anatomy: URIRef
    BiologicalProcess: URIRef
    MolecularActivity: URIRef
    ClinicalMeasure: URIRef
    Phenotype: URIRef
    Disease: URIRef
    Population: URIRef
    Regimen: URIRef
    Statement: URIRef
    Finding: URIRef
    Evidence: URIRef
    Source: URIRef
    UnverifiableCitation: URIRef
    Predicate: URIRef
    # predicates (the causal and structural vocabulary)
    increases: URIRef
    decreases: URIRef
    activates: URIRef
    inhibits: URIRef
    agonist_of: URIRef
    antagonist_of: URIRef
    substrate_of: URIRef
    produces: URIRef
    promotes_apoptosis_of: URIRef
    carries_out: URIRef
    positively_regulates: URIRef
    negatively_regulates: URIRef
    treats: URIRef
    causes: URIRef
    contributes_to: URIRef
    increases_risk_of: URIRef
    binds: URIRef
    expressed_in: URIRef
    located_in: URIRef
    part_of: URIRef
    has_role: URIRef
    develops_from: URIRef
    enables: URIRef
    affects: URIRef
    # properties of predicates (ontology annotations)
    polarity: URIRef
    biolinkPredicate: URIRef
    biolinkAspect: URIRef
    biolinkDirection: URIRef
    biolinkMechanism: URIRef
    biolinkCategory: URIRef
    circulates: URIRef
    # entity properties
    abbreviation: URIRef
    verification: URIRef
    # statement properties
    sign: URIRef
    negated: URIRef
    magnitude: URIRef
    reaction: URIRef
    evidence: URIRef
    evidenceType: URIRef
    summary: URIRef
    via: URIRef
    text: URIRef
    population: URIRef
    sex: URIRef
    menopausalStatus: URIRef
    ageGroup: URIRef
    tissue: URIRef
    regimen: URIRef
    species: URIRef
    condition: URIRef
    therapy: URIRef
    # finding properties
    intervention: URIRef
    comparator: URIRef
    duration: URIRef
    measure: URIRef
    site: URIRef
    findingKind: URIRef
    treatmentPhase: URIRef
    valueType: URIRef
    direction: URIRef
    value: URIRef
    unit: URIRef
    statistic: URIRef
    pValue: URIRef
    confidenceInterval: URIRef
    sampleSize: URIRef
    # regimen properties
    drug: URIRef
    dose: URIRef
    frequency: URIRef
    # source properties
    authors: URIRef
    journal: URIRef
    year: URIRef
    volume: URIRef
    issue: URIRef
    pages: URIRef
    doi: URIRef
    pmid: URIRef
    pmcid: URIRef
    citedAs: URIRef
    reason: URIRef


def iri(curie: str) -> URIRef:
    """:func:`expand` as an rdflib ``URIRef``."""
    return URIRef(expand(curie))
