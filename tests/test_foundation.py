"""Issue 2: the graph itself — ontology, shapes, curation format, load/validate, resolve, projection, round trip."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

import kg
from kg.model import Curation
from kg.namespaces import HKG, PREFIXES, compress, iri
from kg.ontology import ontology_dir, ontology_graph, schema
from kg.sources.rdf import read_graph
from kg.sources.rdfgraph import build_graph
from kg.validation.shacl import shacl_violations
from tests.conftest import same_graph

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad"


# ---------------------------------------------------------------- loading and validation
def test_bundled_graph_is_not_trivial(bundled: kg.KnowledgeGraph) -> None:
    assert len(bundled.entities) >= 100
    assert len(bundled.statements) >= 150
    assert all(st.evidence and st.sources for st in bundled.statements.values())


@pytest.mark.parametrize(
    ("fixture", "rule", "focus"),
    [
        ("no-source.yaml", "statement-has-source", "user-test-hormone-increases-bmd"),
        ("no-evidence.yaml", "statement-has-evidence", "user-test-hormone-increases-bmd"),
        ("unknown-predicate.yaml", "known-predicate", "stmt:user-test-hormone-increases-bmd"),
        ("unregistered-prefix.yaml", "registered-prefix", "stmt:user-test-hormone-increases-bmd"),
        ("entity-no-label.yaml", "entity-has-label", "HKG:test_hormone"),
        ("entity-no-category.yaml", "entity-has-category", "HKG:test_hormone"),
        ("sign-contradicts.yaml", "sign-matches-polarity", "stmt:user-test-hormone-increases-bmd"),
        ("unregistered-source.yaml", "source-is-registered", "stmt:user-test-hormone-increases-bmd"),
    ],
)
def test_bad_user_file_is_rejected_naming_rule_and_statement(fixture: str, rule: str, focus: str) -> None:
    with pytest.raises(kg.ValidationError) as err:
        kg.load(extra=[BAD / fixture])
    hits = [v for v in err.value.violations if v.rule == rule and v.focus == focus]
    assert hits, err.value.violations
    assert hits[0].file is not None and hits[0].file.endswith(fixture)
    assert rule in str(err.value) and focus in str(err.value)


def test_good_user_file_loads_and_bundled_graph_is_unchanged(bundled: kg.KnowledgeGraph) -> None:
    before = len(bundled.statements)
    g = kg.load(extra=[BAD / "_good.yaml"])
    assert "user-test-hormone-increases-bmd" in g.statements
    assert len(bundled.statements) == before
    assert "user-test-hormone-increases-bmd" not in kg.load().statements


def test_failed_load_leaves_later_loads_clean() -> None:
    with pytest.raises(kg.ValidationError):
        kg.load(extra=[BAD / "_good.yaml", BAD / "unknown-predicate.yaml"])
    assert "user-test-hormone-increases-bmd" not in kg.load().statements


def _mutable_graph() -> tuple[Graph, URIRef]:
    """A small valid graph (the good user file with what it refers to), to break one rule at a time."""
    g = kg.load(extra=[BAD / "_good.yaml"])
    small = Curation(
        entities=(g.entities["HKG:test_hormone"], g.entities["EFO:0003923"]),
        statements=(g.statements["user-test-hormone-increases-bmd"],),
        sources=(g.sources["src:seed-article"],),
    )
    return build_graph(small), iri("stmt:user-test-hormone-increases-bmd")


@pytest.mark.parametrize(
    ("rule", "mutate"),
    [
        ("statement-has-source", lambda g, s: g.remove((s, DCTERMS.source, None))),
        ("statement-has-evidence", lambda g, s: g.remove((s, HKG.evidence, None))),
        (
            "known-predicate",
            lambda g, s: (
                g.remove((s, RDF.predicate, None)),
                g.add((s, RDF.predicate, URIRef(PREFIXES["hkg"] + "cures"))),
            ),
        ),
        (
            "registered-prefix",
            lambda g, s: (g.remove((s, RDF.object, None)), g.add((s, RDF.object, URIRef("http://example.org/bmd")))),
        ),
        ("entity-has-label", lambda g, s: g.remove((iri("HKG:test_hormone"), RDFS.label, None))),
        ("entity-has-category", lambda g, s: g.remove((iri("HKG:test_hormone"), RDF.type, None))),
        (
            "sign-matches-polarity",
            lambda g, s: (g.remove((s, HKG.sign, None)), g.add((s, HKG.sign, Literal(-1)))),
        ),
    ],
)
def test_shacl_shapes_reject_each_broken_rule(rule: str, mutate: object) -> None:
    graph, stmt = _mutable_graph()
    assert shacl_violations(graph) == []
    mutate(graph, stmt)  # type: ignore[operator]
    rules = {v.rule for v in shacl_violations(graph)}
    assert rule in rules


def test_shacl_reports_each_statement_that_breaks_the_sparql_rule(tiny_graph: Callable[..., kg.KnowledgeGraph]) -> None:
    # sign-matches-polarity is a SPARQL constraint: one query text, run once per statement with $this bound
    edges = [("HKG:a", "increases", "HKG:b"), ("HKG:b", "decreases", "HKG:c"), ("HKG:c", "increases", "HKG:d")]
    graph = build_graph(tiny_graph([*edges, ("HKG:d", "increases", "HKG:e")]).curation)
    assert shacl_violations(graph) == []
    for name in ("stmt:t1", "stmt:t3"):  # decreases (-1) and increases (+1), each given the other sign
        stmt = iri(name)
        sign = graph.value(stmt, HKG.sign)
        assert isinstance(sign, Literal)
        graph.set((stmt, HKG.sign, Literal(-int(sign))))
    found = [(v.rule, v.focus) for v in shacl_violations(graph)]
    assert found == [("sign-matches-polarity", "stmt:t1"), ("sign-matches-polarity", "stmt:t3")]


def test_shacl_leaves_the_checked_graph_unchanged(tiny_graph: Callable[..., kg.KnowledgeGraph]) -> None:
    graph = build_graph(tiny_graph([("HKG:a", "increases", "HKG:b")]).curation, with_ontology=False)
    before = set(graph)
    shacl_violations(graph)  # the ontology is mixed into pyshacl's copy, not into the caller's graph
    assert set(graph) == before


def test_broken_turtle_file_is_rejected_by_the_loader(tmp_path: Path) -> None:
    graph, stmt = _mutable_graph()
    graph.remove((stmt, RDF.predicate, None))
    graph.add((stmt, RDF.predicate, URIRef(PREFIXES["hkg"] + "cures")))
    path = tmp_path / "mine.ttl"
    graph.serialize(path, format="turtle")
    with pytest.raises(kg.ValidationError) as err:
        kg.load(extra=[path])
    assert any(v.rule == "known-predicate" for v in err.value.violations)


def test_a_record_whose_number_is_not_a_number_is_named_not_guessed(tmp_path: Path) -> None:
    """A source's year (or a finding's value, sample size) that is no number: the loader names the record."""
    graph, _ = _mutable_graph()
    source = iri("src:seed-article")
    graph.remove((source, HKG.year, None))
    graph.add((source, HKG.year, Literal("nineteen ninety")))
    path = tmp_path / "mine.ttl"
    graph.serialize(path, format="turtle")
    with pytest.raises(kg.CurationError) as err:
        kg.load(extra=[path])
    assert [(v.rule, v.focus) for v in err.value.violations] == [("number-value", "src:seed-article")]
    assert "nineteen ninety" in err.value.violations[0].message


def test_a_turtle_file_of_statements_and_records_loads_without_an_rdf_library(tmp_path: Path) -> None:
    """pyoxigraph parses; the records (sources, findings) are read as text: a load never imports rdflib."""
    g = kg.load(extra=[BAD / "_good.yaml"])
    bundled = next(f for f in g.findings.values() if f.n is not None and f.value is not None and f.population)
    finding = replace(bundled, id="test-finding-read-as-text")  # (new records: a file may not declare one again)
    small = Curation(
        entities=(g.entities["HKG:test_hormone"],),
        statements=(g.statements["user-test-hormone-increases-bmd"],),
        sources=(replace(g.sources["src:seed-article"], id="src:test-records-read-as-text"),),
        findings=(finding,),
    )
    path = tmp_path / "mine.ttl"
    build_graph(small).serialize(path, format="turtle")
    code = (
        "import sys, kg; g = kg.load(extra=[sys.argv[1]]); "
        f"f = g.findings[{finding.id!r}]; print(f.n, f.value, len(f.sources), 'rdflib' in sys.modules)"
    )
    env = {**os.environ, "HORMONE_KG_CACHE": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", code, str(path)], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == [str(finding.n), str(finding.value), str(len(finding.sources)), "False"]
    again = kg.load(extra=[path])
    assert again.findings[finding.id] == finding  # read back as it was written
    assert again.sources["src:test-records-read-as-text"] == small.sources[0]


# ---------------------------------------------------------------- ontology and vocabulary
def test_ontology_is_valid_rdf_and_closed_vocabulary_matches_it() -> None:
    graph = ontology_graph()
    declared = {str(s).split("#")[1] for s in graph.subjects() if str(s).startswith(PREFIXES["hkg"])}
    used = {name for name in HKG.__annotations__}
    assert used == declared


def test_every_predicate_declares_polarity_and_biolink_mapping() -> None:
    preds = schema().predicates
    assert {p.polarity for p in preds.values()} == {-1, 0, 1}
    assert preds["inhibits"].polarity == -1 and preds["agonist_of"].polarity == 1
    assert preds["expressed_in"].polarity == 0
    assert all(p.biolink.startswith("biolink:") for p in preds.values())


def test_the_schema_is_what_rdflib_reads_in_the_ontology() -> None:
    """``schema()`` reads the file with pyoxigraph; rdflib's graph of it must say the same, triple for triple."""
    graph = ontology_graph()
    rows = graph.query(
        """SELECT ?p ?label ?polarity ?biolink WHERE {
             ?p a hkg:Predicate ; rdfs:label ?label ; hkg:polarity ?polarity ; hkg:biolinkPredicate ?biolink }""",
        initNs={"hkg": HKG, "rdfs": RDFS},
    )
    expected = {str(p).split("#")[1]: (str(label), int(pol), compress(str(bl))) for p, label, pol, bl in rows}
    got = {slug: (p.label, p.polarity, p.biolink) for slug, p in schema().predicates.items()}
    assert got == expected and len(got) >= 20
    classes = {
        str(c).split("#")[1]: graph.value(c, HKG.biolinkCategory) for c in graph.subjects(RDFS.subClassOf, HKG.Entity)
    }
    assert schema().categories == {slug: compress(str(cat)) for slug, cat in classes.items()}
    circulating = {str(c).split("#")[1] for c in graph.subjects(HKG.circulates, Literal(True))}
    assert schema().circulating == circulating == {"Chemical", "Drug", "Hormone"}  # the ontology's three


def test_shapes_prefix_pattern_covers_exactly_the_registered_prefixes() -> None:
    text = (ontology_dir() / "shapes.ttl").read_text(encoding="utf-8")
    pattern = re.search(r'sh:pattern "(\^\(http[^"]+)"', text)
    assert pattern is not None
    regex = re.compile(pattern.group(1).replace("\\\\", "\\"))
    for prefix, base in PREFIXES.items():
        assert regex.match(base + "X1"), prefix
    assert not regex.match("http://example.org/x")


# ---------------------------------------------------------------- names
@pytest.mark.parametrize(
    ("name", "curie"),
    [
        ("E2", "CHEBI:16469"),
        ("aromatase", "HGNC:2594"),
        ("anastrozole", "CHEBI:2704"),
        ("osteoclast", "CL:0000092"),
        ("ERα", "HGNC:3467"),
        ("era", "HGNC:3467"),
        ("estrogen receptor alpha", "HGNC:3467"),
        ("CYP19A1", "HGNC:2594"),
        ("BMD", "EFO:0003923"),
        ("t", "CHEBI:17347"),
        ("dht", "CHEBI:16330"),
        ("RANKL", "HGNC:11926"),
        ("OPG", "HGNC:11909"),
        ("M-CSF", "HGNC:2432"),
        ("AR", "HGNC:644"),
        ("SRD5A2", "HGNC:11285"),
        ("hgnc:2594", "HGNC:2594"),
        ("lumbar spine", "UBERON:0006074"),
    ],
)
def test_resolve(bundled: kg.KnowledgeGraph, name: str, curie: str) -> None:
    assert bundled.resolve(name).id == curie


def test_unknown_name_suggests_close_matches(bundled: kg.KnowledgeGraph) -> None:
    with pytest.raises(kg.UnknownEntityError, match="anastrozole") as err:
        bundled.resolve("anastrazole")
    assert err.value.suggestions[0] == "anastrozole"
    assert isinstance(err.value, KeyError) and isinstance(err.value, kg.KGError)


def test_search_ranks_prefix_matches_first(bundled: kg.KnowledgeGraph) -> None:
    hits = [e.id for e in bundled.search("estro")]
    assert hits and hits[0] in {"CHEBI:17263", "CHEBI:50114"}  # estrone / estrogen start with "estro"
    assert "HGNC:3467" in hits  # estrogen receptor α


# ---------------------------------------------------------------- projection
@pytest.mark.parametrize(
    ("s", "o", "sign"),
    [
        ("CHEBI:17347", "HGNC:2594", 1),  # testosterone is a substrate of aromatase
        ("HGNC:2594", "CHEBI:16469", 1),  # aromatase produces estradiol
        ("CHEBI:16469", "HGNC:3467", 1),  # estradiol is an agonist of ERα
        ("HGNC:3467", "CL:0000092", -1),  # ERα promotes apoptosis of osteoclasts
        ("CHEBI:2704", "HGNC:2594", -1),  # anastrozole inhibits aromatase
    ],
)
def test_projection_holds_the_mechanism_chain(bundled: kg.KnowledgeGraph, s: str, o: str, sign: int) -> None:
    edges = [d for d in bundled.nx.get_edge_data(s, o).values() if d["causal"]]
    assert any(d["sign"] == sign for d in edges)
    for d in edges:
        assert d["sources"] and all(src in bundled.sources for src in d["sources"])
        assert d["evidence"] and all(ev["text"] for ev in d["evidence"])
        assert d["predicate"] in schema().predicates


def test_projection_has_no_type_or_label_edges(bundled: kg.KnowledgeGraph) -> None:
    assert all(n in bundled.entities for n in bundled.nx.nodes)
    assert bundled.nx.number_of_edges() == len(bundled.statements)


def test_negated_statement_is_kept_but_never_causal(bundled: kg.KnowledgeGraph) -> None:
    st = bundled.statements["seed-testosterone-does-not-decrease-bone-resorption-markers-men"]
    assert st.negated and not st.causal
    subject, obj = iri(st.subject), iri(st.object)
    assert (subject, HKG[st.predicate], obj) not in bundled.rdf  # the plain triple is not asserted


# ---------------------------------------------------------------- provenance
def test_every_cited_source_is_a_verified_registry_entry(bundled: kg.KnowledgeGraph) -> None:
    cited = {s for st in bundled.statements.values() for s in st.sources}
    cited |= {s for f in bundled.findings.values() for s in f.sources}
    for source in cited:
        entry = bundled.sources[source]
        assert re.match(r"^(PMID:\d+|DOI:10\.\S+|src:(seed-article|curator))$", source), source
        assert entry.verified and entry.title
        if not source.startswith("src:"):
            assert "http" in entry.verified, source  # where it was checked


def test_unverifiable_citations_are_recorded_not_cited(bundled: kg.KnowledgeGraph) -> None:
    recorded = " ".join(u.cited_as for u in bundled.curation.unverifiable)
    assert "Frontiers of Hormone Research" in recorded and "Khosla" in recorded
    titles = " ".join(s.title + (s.journal or "") for s in bundled.sources.values())
    assert "Front Horm Res" not in titles
    assert "Frontiers of Hormone Research" not in titles


def test_corrected_citations_carry_the_verified_data(bundled: kg.KnowledgeGraph) -> None:
    lester = bundled.sources["PMID:16100521"]
    assert lester.authors is not None and lester.authors.startswith("Lester")
    assert lester.pages is not None and "16" in lester.pages and "22" in lester.pages
    ijms = bundled.sources["PMID:33557249"]
    assert ijms.authors is not None and ijms.authors.startswith("Noirrit-Esclassan")
    assert ijms.volume == "22" and ijms.issue == "4"


# ---------------------------------------------------------------- round trip and determinism
def test_turtle_round_trip_is_isomorphic_and_lossless(bundled: kg.KnowledgeGraph) -> None:
    text = bundled.rdf.serialize(format="turtle")
    again = Graph().parse(data=text, format="turtle")
    assert same_graph(bundled.rdf, again)
    assert read_graph(again) == bundled.curation


def test_building_twice_gives_byte_identical_turtle(bundled: kg.KnowledgeGraph) -> None:
    first = build_graph(bundled.curation).serialize(format="longturtle")
    second = build_graph(kg.load(validate=False).curation).serialize(format="longturtle")
    assert first == second


def test_the_bundled_graph_conforms_to_the_shacl_shapes() -> None:
    # the published contract of the RDF shape, checked in CI (and by `hormone-kg build`) on the bundled data
    from kg.store.load import bundled_shacl_violations

    assert bundled_shacl_violations() == []
