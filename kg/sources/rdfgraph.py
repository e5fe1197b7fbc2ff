"""A :class:`~kg.model.Curation` -> the RDF master copy (rdflib.Graph), deterministically.

Each statement is a reified node (``stmt:<id>``, an ``hkg:Statement`` and ``rdf:Statement``) carrying
subject, predicate, object, sign, context qualifiers, magnitude, sources and evidence items; unless it is
negated, the plain triple ``subject predicate object`` is asserted too, so that simple SPARQL works.
No blank nodes: every node has an IRI, so serialisations are stable.

>>> from kg.model import Curation
>>> len(build_graph(Curation(), with_ontology=False))
0
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from kg.model import Curation, Evidence, Finding, Statement
from kg.namespaces import HKG, PREFIXES, iri
from kg.ontology import CONTEXT_TERMS, ontology_graph

__all__ = ["CONTEXT_PROPERTIES", "bind_prefixes", "build_graph"]

#: context key -> RDF property; values that are CURIEs become IRIs, the rest literals.
CONTEXT_PROPERTIES: dict[str, URIRef] = {key: HKG[name] for key, name in CONTEXT_TERMS.items()}
_LITERAL_CONTEXT = frozenset({"sex", "menopausal_status", "age_group"})


def bind_prefixes(graph: Graph) -> Graph:
    """Bind exactly the project's prefixes (and the W3C ones it uses), replacing rdflib's defaults."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    w3c = {"rdf": RDF._NS, "rdfs": RDFS._NS, "skos": SKOS._NS, "dcterms": DCTERMS._NS, "xsd": XSD._NS}
    for prefix, namespace in w3c.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def build_graph(cur: Curation, *, with_ontology: bool = True) -> Graph:
    """The RDF graph of ``cur`` (plus the ontology's triples when ``with_ontology``)."""
    g = bind_prefixes(Graph(bind_namespaces="none"))
    if with_ontology:
        for triple in ontology_graph():
            g.add(triple)
    add = g.add
    for e in cur.entities:
        node = iri(e.id)
        add((node, RDF.type, HKG[e.category]))
        add((node, RDFS.label, Literal(e.label)))
        for s in e.synonyms:
            add((node, SKOS.altLabel, Literal(s)))
        for a in e.abbreviations:
            add((node, HKG.abbreviation, Literal(a)))
        for x in e.xrefs:
            add((node, SKOS.exactMatch, iri(x)))
        for b in e.broader:
            add((node, SKOS.broader, iri(b)))
        if e.description:
            add((node, DCTERMS.description, Literal(e.description)))
        if e.comment:
            add((node, RDFS.comment, Literal(e.comment)))
        if e.verified:
            add((node, HKG.verification, Literal(e.verified)))
    for src in cur.sources:
        node = iri(src.id)
        add((node, RDF.type, HKG.Source))
        add((node, DCTERMS.title, Literal(src.title)))
        add((node, HKG.verification, Literal(src.verified)))
        for prop, value in (
            (HKG.authors, src.authors),
            (HKG.journal, src.journal),
            (HKG.volume, src.volume),
            (HKG.issue, src.issue),
            (HKG.pages, src.pages),
            (HKG.doi, src.doi),
            (HKG.pmid, src.pmid),
            (HKG.pmcid, src.pmcid),
        ):
            if value:
                add((node, prop, Literal(value)))
        if src.year is not None:
            add((node, HKG.year, Literal(src.year, datatype=XSD.integer)))
    for u in cur.unverifiable:
        node = iri(u.id)
        add((node, RDF.type, HKG.UnverifiableCitation))
        add((node, HKG.citedAs, Literal(u.cited_as)))
        add((node, HKG.reason, Literal(u.reason)))
    for p in cur.populations:
        node = iri(p.id)
        add((node, RDF.type, HKG.Population))
        add((node, RDFS.label, Literal(p.label)))
        for s in p.synonyms:
            add((node, SKOS.altLabel, Literal(s)))
        for b in p.broader:
            add((node, SKOS.broader, iri(b)))
        _add_context(g, node, p.qualifiers)
    for r in cur.regimens:
        node = iri(r.id)
        add((node, RDF.type, HKG.Regimen))
        add((node, RDFS.label, Literal(r.label)))
        add((node, HKG.drug, iri(r.drug)))
        add((node, HKG.dose, Literal(r.dose)))
        add((node, HKG.frequency, Literal(r.frequency)))
        if r.note:
            add((node, SKOS.note, Literal(r.note)))
    for st in cur.statements:
        _add_statement(g, st)
    for f in cur.findings:
        _add_finding(g, f)
    return g


def _add_context(g: Graph, node: URIRef, context: Mapping[str, str]) -> None:
    for key, value in sorted(context.items()):
        prop = CONTEXT_PROPERTIES[key]
        g.add((node, prop, Literal(value) if key in _LITERAL_CONTEXT else iri(value)))


def _add_evidence(g: Graph, node: URIRef, evidence: tuple[Evidence, ...]) -> None:
    for i, ev in enumerate(evidence, start=1):
        ev_node = URIRef(f"{node}/evidence/{i}")
        g.add((node, HKG.evidence, ev_node))
        g.add((ev_node, RDF.type, HKG.Evidence))
        g.add((ev_node, HKG.text, Literal(ev.text)))
        g.add((ev_node, DCTERMS.source, iri(ev.source)))


def _add_statement(g: Graph, st: Statement) -> None:
    node = iri(st.curie)
    subject, obj, pred = iri(st.subject), iri(st.object), HKG[st.predicate]
    g.add((node, RDF.type, HKG.Statement))
    g.add((node, RDF.type, RDF.Statement))
    g.add((node, RDF.subject, subject))
    g.add((node, RDF.predicate, pred))
    g.add((node, RDF.object, obj))
    g.add((node, HKG.sign, Literal(st.sign, datatype=XSD.integer)))
    if st.negated:
        g.add((node, HKG.negated, Literal(True)))
    else:
        g.add((subject, pred, obj))
    if st.magnitude:
        g.add((node, HKG.magnitude, Literal(st.magnitude)))
    if st.reaction:
        g.add((node, HKG.reaction, Literal(st.reaction)))
    if st.evidence_type:
        g.add((node, HKG.evidenceType, iri(st.evidence_type)))
    if st.note:
        g.add((node, SKOS.note, Literal(st.note)))
    if st.summary:
        g.add((node, HKG.summary, Literal(True)))
    for mediator in st.via:
        g.add((node, HKG.via, iri(mediator)))
    _add_context(g, node, st.context)
    for src in st.sources:
        g.add((node, DCTERMS.source, iri(src)))
    _add_evidence(g, node, st.evidence)


def _add_finding(g: Graph, f: Finding) -> None:
    node = iri(f.curie)
    g.add((node, RDF.type, HKG.Finding))
    g.add((node, HKG.intervention, iri(f.intervention)))
    g.add((node, HKG.measure, iri(f.measure)))
    g.add((node, HKG.direction, Literal(f.direction)))
    g.add((node, HKG.findingKind, Literal(f.kind)))
    g.add((node, HKG.treatmentPhase, Literal(f.phase)))
    if f.value_type != "change":
        g.add((node, HKG.valueType, Literal(f.value_type)))
    if f.comparator in ("baseline", "placebo"):
        g.add((node, HKG.comparator, Literal(f.comparator)))
    elif f.comparator:
        g.add((node, HKG.comparator, iri(f.comparator)))
    for prop, value in ((HKG.population, f.population), (HKG.regimen, f.regimen), (HKG.site, f.site)):
        if value:
            g.add((node, prop, iri(value)))
    for prop, text in (
        (HKG.duration, f.duration),
        (HKG.unit, f.unit),
        (HKG.statistic, f.statistic),
        (HKG.pValue, f.p_value),
        (HKG.confidenceInterval, f.ci),
        (HKG.magnitude, f.magnitude),
        (SKOS.note, f.note),
    ):
        if text:
            g.add((node, prop, Literal(text)))
    if f.value is not None:
        g.add((node, HKG.value, Literal(repr(f.value), datatype=XSD.decimal)))
    if f.n is not None:
        g.add((node, HKG.sampleSize, Literal(f.n, datatype=XSD.integer)))
    for src in f.sources:
        g.add((node, DCTERMS.source, iri(src)))
    _add_evidence(g, node, f.evidence)


def ntriples_lines(graph: Graph) -> list[str]:
    """The graph as sorted, distinct N-Triples lines (without line ends).

    >>> g = Graph()
    >>> _ = g.add((URIRef("http://x/b"), RDF.type, URIRef("http://x/C")))
    >>> _ = g.add((URIRef("http://x/a"), RDF.type, URIRef("http://x/C")))
    >>> ntriples_lines(g)[0]
    '<http://x/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://x/C> .'
    """
    text = graph.serialize(format="nt11")
    return sorted({line for line in text.splitlines() if line.strip()})
