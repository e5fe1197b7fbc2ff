"""g.sparql (SPEC §7): read-only, bindings never pasted into the text, the documented example queries."""

from __future__ import annotations

import re
from collections.abc import Callable

import pyoxigraph
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from kg.errors import KGError, QueryError
from kg.graph import KnowledgeGraph
from kg.store.sparql import example_queries, load_query, sparql_term, to_term
from tests.conftest import same_graph

LABEL_QUERY = "SELECT ?x WHERE { ?x rdfs:label ?name }"
HOSTILE_VALUES = [
    '"',
    "'",
    "{",
    "}",
    "} ; DROP ALL ; {",
    '" } ; DROP ALL ; { "',
    "' } ; DROP ALL ; { '",
    '"""} INSERT DATA { <http://x> <http://y> "z" } #',
    "\\",
    '\\" } DROP ALL {',
    "\n} DROP ALL {\n",
    "<http://evil/> } ; CLEAR DEFAULT ; {",
    "?x",
    "# comment\n}",
]


@pytest.fixture(scope="module")
def snapshot(bundled: KnowledgeGraph) -> Graph:
    copy = Graph()
    for triple in bundled.rdf:
        copy.add(triple)
    return copy


def unchanged(g: KnowledgeGraph, snapshot: Graph) -> bool:
    return len(g.rdf) == len(snapshot) and same_graph(g.rdf, snapshot)


# ---------------------------------------------------------------------------------------------- results
def test_select_with_a_curie_binding(bundled: KnowledgeGraph) -> None:
    rows = bundled.sparql(
        "SELECT ?drug ?label WHERE { ?drug hkg:inhibits ?enzyme ; rdfs:label ?label }", enzyme="HGNC:2594"
    )
    labels = {r["label"] for r in rows}
    assert {"anastrozole", "letrozole", "exemestane"} <= labels  # the aromatase inhibitors
    assert all(set(r) == {"drug", "label"} for r in rows)
    assert "CHEBI:2704" in {r["drug"] for r in rows}


def test_values_become_python_values(bundled: KnowledgeGraph) -> None:
    (row,) = bundled.sparql(
        "SELECT ?sign ?value ?negated ?type WHERE { ?st hkg:sign ?sign ; a ?type . FILTER(?type = hkg:Statement)"
        " OPTIONAL { ?f hkg:value ?value FILTER(?f = ?finding) } OPTIONAL { ?st hkg:negated ?negated } }",
        st="stmt:seed-anastrozole-inhibits-aromatase",
        finding="finding:seed-atac-5y-lumbar-spine-bmd-anastrozole",
    )
    assert row["sign"] == -1 and isinstance(row["sign"], int)
    assert row["value"] == pytest.approx(-6.08)  # SPEC §3.3: ATAC, median change in lumbar-spine BMD
    assert row["negated"] is None
    assert row["type"] == "hkg:Statement"


def test_iri_without_a_registered_prefix_stays_a_full_iri(bundled: KnowledgeGraph) -> None:
    rows = bundled.sparql("SELECT ?t WHERE { hkg:Hormone a ?t }")
    assert {"t": "http://www.w3.org/2002/07/owl#Class"} in rows


def test_ask_and_construct(bundled: KnowledgeGraph) -> None:
    assert bundled.sparql("ASK { ?x rdfs:label ?name }", name="anastrozole") == [{"ask": True}]
    assert bundled.sparql("ASK { ?x rdfs:label ?name }", name="no such thing") == [{"ask": False}]
    rows = bundled.sparql("CONSTRUCT { ?x rdfs:label ?l } WHERE { ?x rdfs:label ?l }", x="CHEBI:2704")
    assert rows == [{"subject": "CHEBI:2704", "predicate": "rdfs:label", "object": "anastrozole"}] or rows == [
        {"subject": "CHEBI:2704", "predicate": "http://www.w3.org/2000/01/rdf-schema#label", "object": "anastrozole"}
    ]


def test_explicit_rdflib_terms_are_bound_as_given(bundled: KnowledgeGraph) -> None:
    as_literal = bundled.sparql(LABEL_QUERY, name=Literal("anastrozole"))
    assert as_literal == [{"x": "CHEBI:2704"}]
    rows = bundled.sparql(
        "SELECT ?label WHERE { ?x rdfs:label ?label }", x=URIRef("http://purl.obolibrary.org/obo/CHEBI_2704")
    )
    assert rows == [{"label": "anastrozole"}]


# ---------------------------------------------------------------------------------------------- refusals
@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "DROP ALL",
        "CLEAR DEFAULT",
        "LOAD <http://example.org/data.ttl>",
        "PREFIX hkg: <https://w3id.org/hormone-kg/vocab#> DELETE { ?s ?p ?o } WHERE { ?s a hkg:Drug ; ?p ?o }",
    ],
)
def test_updates_are_refused(bundled: KnowledgeGraph, snapshot: Graph, update: str) -> None:
    with pytest.raises(QueryError, match="read-only"):
        bundled.sparql(update)
    assert unchanged(bundled, snapshot)


def test_describe_is_refused(bundled: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="only SELECT, ASK and CONSTRUCT"):
        bundled.sparql("DESCRIBE <http://purl.obolibrary.org/obo/CHEBI_2704>")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT ?x WHERE { ?x ?y }", "malformed SPARQL query: Expected"),
        ("SELEKT ?x WHERE { ?x ?y ?z }", "malformed SPARQL query"),
        ("SELECT ?x WHERE { ?x nope:thing ?z }", "Unknown namespace prefix : nope"),
        ("", "empty"),
        ("  # only a comment\n", "empty"),
    ],
)
def test_malformed_queries_give_the_parser_message(bundled: KnowledgeGraph, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        bundled.sparql(query)


def test_nothing_is_fetched_from_the_network(bundled: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="SERVICE"):
        bundled.sparql("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="FROM"):
        bundled.sparql("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }")


def test_binding_mistakes_are_errors(bundled: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match=r"no variable \?nmae"):
        bundled.sparql(LABEL_QUERY, nmae="anastrozole")
    with pytest.raises(QueryError, match="cannot bind"):
        bundled.sparql(LABEL_QUERY, name=object())
    with pytest.raises(QueryError, match="not a valid IRI"):
        bundled.sparql(LABEL_QUERY, x=URIRef("http://x/> } DROP ALL { <y"))
    with pytest.raises(QueryError, match="text"):
        bundled.sparql(None)  # type: ignore[arg-type]


def test_query_errors_are_kg_errors() -> None:
    assert issubclass(QueryError, KGError) and issubclass(QueryError, ValueError)


# ---------------------------------------------------------------------------------------------- hostile
@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_bindings_match_nothing_and_change_nothing(
    bundled: KnowledgeGraph, snapshot: Graph, value: str
) -> None:
    assert bundled.sparql(LABEL_QUERY, name=value) == []
    assert bundled.sparql("ASK { ?x rdfs:label ?name }", name=value) == [{"ask": False}]
    assert unchanged(bundled, snapshot)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
@example("\\U0000")  # a backslash before U: rdflib's parser mis-reads it, Oxigraph must not
def test_a_bound_literal_reads_back_as_exactly_itself(text: str) -> None:
    """The VALUES serialisation used for endpoints: any text parses back to the same single literal."""
    try:
        term = to_term("v", text)
    except QueryError:
        assert ":" in text  # only CURIE-looking text can be refused (it would be an invalid IRI)
        return
    if not isinstance(term, Literal):
        return  # CURIEs and IRIs are bound as IRIs (tested above)
    query = f"SELECT ?v WHERE {{ }} VALUES (?v) {{ ({sparql_term(term)}) }}"
    if not re.search(r"\\[uU]", text):
        # rdflib's parser mis-reads an escaped backslash followed by u/U ("\\U0000" fails to parse) while
        # Oxigraph reads it correctly; this serialisation is only used for endpoints, so Oxigraph is the judge
        assert [str(row[0]) for row in Graph().query(query)] == [text]  # rdflib's parser
    solutions = pyoxigraph.Store().query(query)  # Oxigraph's parser, as on the server
    assert [s["v"].value for s in solutions] == [text]  # type: ignore[union-attr]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_any_text_binding_returns_only_exact_matches(bundled: KnowledgeGraph, text: str) -> None:
    rows = bundled.sparql("SELECT ?x ?name WHERE { ?x rdfs:label ?name }", name=text)
    assert all(r["name"] == text for r in rows)


# ---------------------------------------------------------------------------------------------- examples
def test_every_example_query_runs(bundled: KnowledgeGraph) -> None:
    queries = example_queries()
    assert set(queries) == {"statements-citing-pmid", "drugs-lowering-estradiol", "findings-by-population"}
    for name, text in queries.items():
        assert text.startswith("#"), f"{name}.rq starts with a comment saying what it does"
        assert bundled.sparql(text), name


def test_statements_citing_a_pmid(bundled: KnowledgeGraph) -> None:
    rows = bundled.sparql(load_query("statements-citing-pmid"))
    assert rows and all(r["source"].startswith("PMID:") for r in rows)
    eastell = bundled.sparql(load_query("statements-citing-pmid"), source="PMID:18309940")  # ATAC BMD, 2008
    assert eastell and {r["source"] for r in eastell} == {"PMID:18309940"}
    assert "CHEBI:2704" in {r["subject"] for r in eastell}


def test_drugs_lowering_estradiol(bundled: KnowledgeGraph) -> None:
    rows = bundled.sparql(load_query("drugs-lowering-estradiol"))
    # the three aromatase inhibitors lower estradiol (SPEC §3.4; reference sheet)
    assert {"anastrozole", "letrozole", "exemestane"} <= {r["drugLabel"] for r in rows}
    via = {r["viaLabel"] for r in rows if r["drug"] == "CHEBI:2704"}
    assert "aromatase" in via
    only = bundled.sparql(load_query("drugs-lowering-estradiol"), drug="CHEBI:2704")
    assert {r["drug"] for r in only} == {"CHEBI:2704"}


def test_findings_by_population(bundled: KnowledgeGraph) -> None:
    pop = "pop:postmenopausal-women-hr-positive-breast-cancer"
    rows = bundled.sparql(load_query("findings-by-population"), population=pop)
    assert rows and {r["population"] for r in rows} == {pop}
    # SPEC §3.3: anastrozole 1 mg, 5 years, lumbar-spine BMD -6.08 % (median), Eastell 2008
    assert any(
        r["interventionLabel"] == "anastrozole"
        and r["value"] == pytest.approx(-6.08)
        and r["unit"] == "%"
        and r["source"] == "PMID:18309940"
        for r in rows
    )
    everyone = bundled.sparql(load_query("findings-by-population"))
    assert len({r["population"] for r in everyone}) > 1


def test_unknown_example_query(bundled: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="no example query 'nope'; known: drugs-lowering-estradiol"):
        load_query("nope")


def test_tiny_graph_query(tiny_graph: Callable[..., KnowledgeGraph]) -> None:
    g = tiny_graph([("HKG:a", "inhibits", "HKG:b"), ("HKG:b", "produces", "HKG:c")])
    rows = g.sparql("SELECT ?o WHERE { ?s hkg:inhibits ?o }", s="HKG:a")
    assert rows == [{"o": "HKG:b"}]
