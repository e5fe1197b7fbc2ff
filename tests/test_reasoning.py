"""Issue 3: paths, effects, contexts, downstream/upstream, loops, tables, explanations and bounds."""

from __future__ import annotations

import math

import pytest

import kg
from kg.search import SearchIndex
from tests.conftest import make_statement, tiny

#: the population of ATAC and of the seed article's table of women (on an aromatase inhibitor for breast cancer)
TRIAL = "postmenopausal women with hormone-receptor-positive breast cancer"
MECHANISM = ("CHEBI:2704", "HGNC:2594", "CHEBI:16469", "HGNC:3467", "CL:0000092", "GO:0045453", "EFO:0003923")


# ---------------------------------------------------------------- the headline question
def test_anastrozole_lowers_bmd_in_postmenopausal_women_with_atac_numbers(bundled: kg.KnowledgeGraph) -> None:
    # ATAC measured postmenopausal women with HR+ breast cancer: for postmenopausal women as a whole its findings
    # are a subgroup result and the mechanism gives the answer (issue 14, rule 1); in the trial's population they
    # are the observed answer
    e = bundled.effect("anastrozole", "bone mineral density", context="postmenopausal women")
    assert e.direction == "decrease" and e.predicted == "decrease" and e.observed is None
    pop = "pop:postmenopausal-women-hr-positive-breast-cancer"
    trial = [s for s in e.subgroups if s.context == {"population": pop}]
    assert trial and trial[0].observed == "decrease" and not e.findings
    e = bundled.effect("anastrozole", "bone mineral density", context=TRIAL)
    assert e.direction == "decrease" and e.predicted == "decrease" and e.observed == "decrease"
    atac = {(f.measure, f.value) for f in e.findings if "PMID:18309940" in f.sources}
    assert ("EFO:0007701", -6.08) in atac  # lumbar spine, median, 5 years
    assert ("EFO:0007702", -7.24) in atac  # total hip
    assert not any(f.population == "pop:older-men-low-testosterone" for f in e.findings)


def test_the_mechanism_path_is_found_with_a_citation_at_every_step(bundled: kg.KnowledgeGraph) -> None:
    paths = bundled.causal_paths("anastrozole", "bone mineral density", context="postmenopausal women")
    mechanism = [p for p in paths if p.nodes == MECHANISM]
    assert mechanism, [p.compact() for p in paths]
    path = mechanism[0]
    assert path.sign == -1
    assert math.prod(st.sign for st in path.statements) == -1
    text = path.explain()
    steps = [line for line in text.splitlines() if line.strip()[:2].rstrip(".").isdigit()]
    assert len(steps) == len(path.statements) == 6
    assert all("[" in step and "]" in step for step in steps)
    for st in path.statements:
        assert st.sources


def test_men_get_a_mixed_prediction_that_the_finding_decides(bundled: kg.KnowledgeGraph) -> None:
    e = bundled.effect("anastrozole", "bone mineral density", context="older men with low testosterone")
    assert e.predicted == "mixed" and e.observed == "decrease" and e.direction == "decrease"
    up = e.paths_with_sign(1)
    assert any("CHEBI:17347" in p.nodes for p in up)  # via the rise in testosterone
    down = e.paths_with_sign(-1)
    assert any("CHEBI:16469" in p.nodes for p in down)  # via the fall in estradiol
    assert {f.id for f in e.findings} >= {"seed-bb2009-pa-spine-bmd", "seed-bb2009-other-sites-bmd"}


def test_contexts_give_different_magnitudes_and_findings(bundled: kg.KnowledgeGraph) -> None:
    women = bundled.effect("anastrozole", "17β-estradiol", context=TRIAL)
    men = bundled.effect("anastrozole", "17β-estradiol", context="men on testosterone therapy")
    assert (women.magnitude, men.magnitude) == ("strong", "moderate")  # seed table 1: drastic vs moderate
    assert {f.id for f in women.findings}.isdisjoint({f.id for f in men.findings})


def test_a_statement_restricted_to_another_context_is_left_out(bundled: kg.KnowledgeGraph) -> None:
    paths = bundled.causal_paths("anastrozole", "testosterone", context="postmenopausal women")
    assert paths == []  # every anastrozole -> testosterone statement is about men
    assert bundled.causal_paths("anastrozole", "testosterone", context={"sex": "male"})


def test_paths_never_mix_men_and_women(bundled: kg.KnowledgeGraph) -> None:
    sexes_seen = 0
    for path in bundled.causal_paths("tamoxifen", "cell population proliferation", limit=200):
        sexes = set()
        for st in path.statements:
            q = kg.context.expand_qualifiers(st.context, bundled.populations)
            if "sex" in q:
                sexes.add(q["sex"])
        assert len(sexes) <= 1, path.compact()
        sexes_seen += bool(sexes)
    assert sexes_seen  # some paths do carry a sex-specific statement


def test_sign_filter(bundled: kg.KnowledgeGraph) -> None:
    neg = bundled.causal_paths("anastrozole", "bone mineral density", context={"sex": "male"}, sign=-1)
    pos = bundled.causal_paths("anastrozole", "bone mineral density", context={"sex": "male"}, sign=1)
    assert neg and pos
    assert all(p.sign == -1 for p in neg) and all(p.sign == 1 for p in pos)


def test_paths_are_ordered_mechanism_first_then_shortest(bundled: kg.KnowledgeGraph) -> None:
    """Issue 14, rule 8: paths made only of direct steps (the mechanism) first, then the ones with summaries;
    each group shortest first."""
    paths = bundled.causal_paths("anastrozole", "bone mineral density")
    kinds = [not p.mechanism for p in paths]
    assert kinds == sorted(kinds) and kinds[0] is False and kinds[-1] is True
    for group in (False, True):
        lengths = [p.length for p in paths if (not p.mechanism) is group]
        assert lengths == sorted(lengths)


def test_structural_and_negated_statements_are_never_traversed(bundled: kg.KnowledgeGraph) -> None:
    paths = bundled.causal_paths("anastrozole", "bone mineral density", limit=200)
    assert len(paths) > 20  # the loop below sees real paths
    for path in paths:
        assert all(st.sign != 0 and not st.negated for st in path.statements)
    assert any(st.negated or st.sign == 0 for st in bundled.statements.values())  # there were some to skip


# ---------------------------------------------------------------- downstream, upstream, loops
def test_downstream_of_falling_estradiol(bundled: kg.KnowledgeGraph) -> None:
    down = bundled.downstream("estradiol", change="decrease")
    assert down["GO:0045453"].predicted == "increase"  # bone resorption (seed; Khosla 2012)
    assert down["GO:0045453"].paths[0].length == 1
    bmd = down["EFO:0003923"]
    assert bmd.paths[0].sign * -1 == -1  # the shortest path: less estradiol, lower BMD
    women = bundled.downstream("estradiol", change="decrease", context="postmenopausal women")
    assert women["EFO:0003923"].predicted == "decrease"
    assert women["HGNC:11926"].predicted == "increase"  # RANKL rises (Eghbali-Fatourechi 2003)
    # in men the fall also lifts LH and testosterone (estradiol's own negative loop): that tempers the loss of bone
    # but does not reverse it — "in aging men, E is the dominant sex steroid regulating bone resorption"
    # (Falahati-Nini et al. 2000, PMID:11120762); issue 14, rule 6
    men = bundled.downstream("estradiol", change="decrease", context={"sex": "male"})
    assert men["EFO:0003923"].predicted == "decrease"
    assert men["EFO:0003923"].feedback and "CHEBI:17347" in men["EFO:0003923"].loop_nodes
    assert men["CHEBI:17347"].predicted == "increase"


def test_upstream_of_estradiol(bundled: kg.KnowledgeGraph) -> None:
    up = bundled.upstream("17β-estradiol", context="postmenopausal women")
    assert up["CHEBI:2704"].predicted == "decrease"  # anastrozole
    assert up["CHEBI:6413"].predicted == "decrease"  # letrozole
    assert up["HGNC:2594"].predicted == "increase"  # aromatase


def test_feedback_loops_are_signed(tiny_graph: object) -> None:
    g = tiny(
        [
            ("HKG:H", "increases", "HKG:T"),
            ("HKG:T", "decreases", "HKG:H"),
            ("HKG:A", "increases", "HKG:B"),
            ("HKG:B", "increases", "HKG:A"),
            ("HKG:S", "increases", "HKG:S"),
        ]
    )
    kinds = {(loop.kind, tuple(sorted(set(loop.nodes)))) for loop in g.feedback_loops()}
    assert ("negative", ("HKG:H", "HKG:T")) in kinds
    assert ("positive", ("HKG:A", "HKG:B")) in kinds
    assert ("positive", ("HKG:S",)) in kinds  # a self-loop is reported


def test_self_loops_and_cycles_never_make_path_search_loop() -> None:
    g = tiny(
        [
            ("HKG:A", "increases", "HKG:A"),
            ("HKG:A", "increases", "HKG:B"),
            ("HKG:B", "increases", "HKG:A"),
            ("HKG:B", "decreases", "HKG:C"),
        ]
    )
    paths = g.causal_paths("HKG:A", "HKG:C", max_length=10)
    assert [p.nodes for p in paths] == [("HKG:A", "HKG:B", "HKG:C")]


# ---------------------------------------------------------------- reactions through an enzyme
def test_substrate_and_product_of_one_reaction_are_paired() -> None:
    sts = [
        make_statement(1, "HKG:T", "substrate_of", "HKG:ARO", reaction="t-e2"),
        make_statement(2, "HKG:ARO", "produces", "HKG:E2", reaction="t-e2"),
        make_statement(3, "HKG:A4", "substrate_of", "HKG:ARO", reaction="a4-e1"),
        make_statement(4, "HKG:ARO", "produces", "HKG:E1", reaction="a4-e1"),
        make_statement(5, "HKG:AI", "inhibits", "HKG:ARO"),
    ]
    g = tiny(sts)
    assert [p.nodes for p in g.causal_paths("HKG:T", "HKG:E2")] == [("HKG:T", "HKG:ARO", "HKG:E2")]
    assert g.causal_paths("HKG:T", "HKG:E1") == []
    assert g.causal_paths("HKG:T", "HKG:ARO") == []  # a substrate does not raise its enzyme
    assert {p.nodes[-1] for p in g.causal_paths("HKG:AI", "HKG:E1")} == {"HKG:E1"}
    assert "HKG:E1" not in g.downstream("HKG:T", change="increase")
    assert g.upstream("HKG:E1").keys() == {"HKG:ARO", "HKG:A4", "HKG:AI"}


# ---------------------------------------------------------------- tables and prose
def test_compare_reproduces_the_articles_tables(bundled: kg.KnowledgeGraph) -> None:
    contexts = [TRIAL, "men on testosterone therapy"]
    expected = {  # the seed article's two tables (women on an aromatase inhibitor for breast cancer, men on TRT)
        "17β-estradiol": (("decrease", "strong"), ("decrease", "moderate")),
        "bone mineral density": (("decrease", "strong"), ("decrease", "moderate")),
        "osteoclast lifespan": (("increase", "strong"), ("increase", "moderate")),
        "osteoclast differentiation": (("increase", "strong"), ("increase", "slight")),
        "bone resorption": (("increase", "strong"), ("increase", "moderate")),
    }
    for measure, rows in expected.items():
        table = bundled.compare("anastrozole", measure, contexts)
        got = tuple(zip(table["direction"], table["magnitude"], strict=True))
        assert got == rows, (measure, table.to_dict("records"))
        assert all(table["sources"].map(bool))
        assert all(table["evidence"].map(bool))
    osteoblasts = bundled.compare("anastrozole", "osteoblast activity", contexts)
    assert list(osteoblasts["reported"]) == ["none", "increase"]  # "unable to compensate" / "supported by T"
    assert osteoblasts["predicted"][0] == "decrease"


def test_explain_reads_as_prose_with_citations(bundled: kg.KnowledgeGraph) -> None:
    text = bundled.explain("anastrozole", "bone mineral density", context="postmenopausal women")
    assert text.startswith("How anastrozole changes bone mineral density (postmenopausal women): decrease.")
    assert "Eastell et al. 2008, PMID:18309940" in text
    assert "-6.08 %" in text and "median change from baseline" in text
    mixed = bundled.explain("anastrozole", "bone mineral density", context="older men with low testosterone")
    assert "both signs" in mixed and "Burnett-Bowie et al. 2009, PMID:19820017" in mixed


# ---------------------------------------------------------------- bad queries and bounds
def test_unknown_names_and_contexts_raise_clear_errors(bundled: kg.KnowledgeGraph) -> None:
    with pytest.raises(kg.UnknownEntityError, match="anastrozole"):
        bundled.effect("anastrazole", "BMD")
    with pytest.raises(kg.UnknownContextError, match="unknown population"):
        bundled.effect("anastrozole", "BMD", context="martians")
    with pytest.raises(kg.UnknownContextError, match="impossible"):
        bundled.effect("anastrozole", "BMD", context={"sex": "other"})
    with pytest.raises(kg.UnknownContextError, match="contradicts"):
        bundled.effect("anastrozole", "BMD", context={"population": "postmenopausal women", "sex": "male"})
    with pytest.raises(kg.QueryError, match="max_length"):
        bundled.causal_paths("anastrozole", "BMD", max_length=0)
    with pytest.raises(kg.QueryError, match="sign"):
        bundled.causal_paths("anastrozole", "BMD", sign=2)


def test_dense_graph_search_is_bounded_and_says_so() -> None:
    n = 40
    edges = [
        (f"HKG:n{i}", "increases" if (i + j) % 3 else "decreases", f"HKG:n{j}")
        for i in range(n)
        for j in range(n)
        if i != j
    ]
    g = tiny(edges)
    result = g.index.paths("HKG:n0", "HKG:n1", max_length=10, limit=10**9, work=200_000)
    assert result.truncated  # ~10^13 simple paths exist: the search stops at its budget and says so
    assert result.paths and [len(p.hops) for p in result.paths] == sorted(len(p.hops) for p in result.paths)
    down = g.downstream("HKG:n0", change="increase", max_length=10)
    # a shortest path per (entity, sign) is all downstream needs: found in two levels, nothing cut
    assert not down.truncated and len(down) == n - 1
    assert {e.predicted for e in down.values()} == {"mixed"}
    paths = g.causal_paths("HKG:n0", "HKG:n1", max_length=3, limit=5)
    assert [p.length for p in paths] == [1, 2, 2, 2, 2]


def test_engine_is_the_same_with_and_without_its_cache() -> None:
    sts = [make_statement(i, f"HKG:x{i}", "increases", f"HKG:x{i + 1}") for i in range(5)]
    index = SearchIndex.build(sts)
    first = index.paths("HKG:x0", "HKG:x5")
    again = index.paths("HKG:x0", "HKG:x5")
    assert [p.nodes for p in first.paths] == [p.nodes for p in again.paths] == [tuple(f"HKG:x{i}" for i in range(6))]
