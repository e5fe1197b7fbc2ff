"""Issue 4: the endocrine neighbourhood around the article answers its questions, with cited paths."""

from __future__ import annotations

import kg


def test_size_floor(bundled: kg.KnowledgeGraph) -> None:
    assert len(bundled.entities) >= 100
    assert len(bundled.statements) >= 200


def test_anastrozole_raises_testosterone_in_men_through_less_estradiol_feedback(bundled: kg.KnowledgeGraph) -> None:
    paths = bundled.causal_paths("anastrozole", "testosterone", context={"sex": "male"}, limit=200)
    feedback = [
        p for p in paths if p.nodes[:5] == ("CHEBI:2704", "HGNC:2594", "CHEBI:16469", "HGNC:6584", "CHEBI:17347")
    ]
    assert feedback and feedback[0].sign == 1  # anastrozole ⊣ aromatase → E2 ⊣ LH → testosterone
    assert all(st.sources for st in feedback[0].statements)


def test_exogenous_testosterone_suppresses_lh(bundled: kg.KnowledgeGraph) -> None:
    e = bundled.effect("testosterone", "luteinizing hormone", context="men on testosterone therapy")
    assert e.direction == "decrease"  # Matsumoto 1990 PMID:2104626: LH fell on testosterone enanthate


def test_testosterone_to_dht_goes_through_5alpha_reductase(bundled: kg.KnowledgeGraph) -> None:
    # Clark et al. 2004 (DOI:10.1210/jc.2003-030330): "Testosterone is converted to DHT by 5α-reductase, which
    # exists in two isoenzyme forms (types 1 and 2)."
    paths = bundled.causal_paths("testosterone", "DHT", max_length=2)
    expected = {("CHEBI:17347", "HGNC:11285", "CHEBI:16330"), ("CHEBI:17347", "HKG:srd5a1", "CHEBI:16330")}
    assert {p.nodes for p in paths} == expected and len(paths) == 2
    assert all(p.sign == 1 for p in paths)


def test_bone_cytokines_and_drugs(bundled: kg.KnowledgeGraph) -> None:
    assert bundled.effect("estradiol", "OPG").predicted == "increase"
    assert bundled.effect("estradiol", "RANKL", context="postmenopausal women").predicted == "decrease"
    assert bundled.effect("denosumab", "bone resorption").predicted == "decrease"
    assert bundled.effect("finasteride", "DHT", context={"sex": "male"}).direction == "decrease"
    assert bundled.effect("letrozole", "estradiol", context="postmenopausal women").predicted == "decrease"


def test_serms_are_tissue_dependent(bundled: kg.KnowledgeGraph) -> None:
    by_tissue = {
        st.context.get("tissue"): st.predicate
        for st in bundled.statements.values()
        if st.subject == "CHEBI:41774" and st.object == "HGNC:3467"
    }
    # breast antagonist, bone and endometrium agonist (endometrial agonism: NSABP P-1, Fisher et al. 1998,
    # PMID:9747868, endometrial cancer risk raised)
    expected = {"UBERON:0000310": "antagonist_of", "UBERON:0002481": "agonist_of", "UBERON:0001295": "agonist_of"}
    assert by_tissue == expected
    assert bundled.effect("tamoxifen", "bone mineral density", context="postmenopausal women").direction == "increase"
    # the graph's proliferation statements are about ER+ tumour cells: asked of all women's breast tissue, they
    # are a subgroup result (issue 14, rule 1); asked of ER+ breast cancer, they are the answer
    breast = {"sex": "female", "tissue": "UBERON:0000310"}
    women = bundled.effect("tamoxifen", "cell population proliferation", context=breast)
    assert women.predicted == "unknown" and [s.direction for s in women.subgroups] == ["decrease"]
    tumour = {**breast, "condition": "MONDO:0006512"}
    assert bundled.effect("tamoxifen", "cell population proliferation", context=tumour).predicted == "decrease"


def test_hpg_feedback_loops(bundled: kg.KnowledgeGraph) -> None:
    negative = [loop for loop in bundled.feedback_loops() if loop.kind == "negative"]
    through_e2 = [loop for loop in negative if "CHEBI:16469" in loop.nodes and "HGNC:6584" in loop.nodes]
    through_t = [loop for loop in negative if set(loop.nodes) == {"CHEBI:17347", "HGNC:6584"}]
    assert through_e2 and through_t
