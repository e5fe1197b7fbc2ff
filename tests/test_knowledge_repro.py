"""Issue 15 (area 1 extension): progesterone and progestins, contraception, menopausal hormone therapy, prolactin.

Each expectation was written from the cited source (PMID/DOI and the sentence or number that gives the answer);
sources are registered in kg/data/registry/repro.yaml.
"""

from __future__ import annotations

import kg


def _in_order(nodes: tuple[str, ...], keys: list[str]) -> bool:
    """Whether ``keys`` appear in ``nodes`` in this order (other nodes may lie between them)."""
    rest = iter(nodes)
    return all(any(n == k for n in rest) for k in keys)


# ---------------------------------------------------------------- 1. progesterone, progestins, contraception


def test_progesterone_opposes_endometrial_proliferation_through_pgr(bundled: kg.KnowledgeGraph) -> None:
    # PMID:20104432 (Kim & Chapman-Davis 2010): "Progesterone is a key hormone in the endometrium that opposes
    # estrogen-driven growth." It acts through the progesterone receptor (PMID:21821095).
    endometrium = {"sex": "female", "tissue": "UBERON:0001295"}
    assert bundled.effect("progesterone", "cell population proliferation", context=endometrium).predicted == "decrease"
    top = bundled.causal_paths("progesterone", "cell population proliferation", context=endometrium, limit=5)[0]
    assert _in_order(top.nodes, ["CHEBI:17026", "HGNC:8910", "GO:0008283"])


def test_mpa_added_to_cee_prevents_endometrial_hyperplasia(bundled: kg.KnowledgeGraph) -> None:
    # PMID:8178840 (Woodruff 1994): "endometrial hyperplasia developed in 20% in the conjugated estrogens-treated
    # group and < or = 1% in each of the four conjugated estrogens/medroxyprogesterone acetate-treated groups."
    on_cee = {"population": "pop:postmenopausal-women", "therapy": "HKG:conjugated_equine_estrogens"}
    e = bundled.effect("medroxyprogesterone acetate", "endometrial hyperplasia", context=on_cee)
    assert e.direction == "decrease"
    top = bundled.causal_paths("medroxyprogesterone acetate", "endometrial hyperplasia", context=on_cee, limit=5)[0]
    assert _in_order(top.nodes, ["CHEBI:6716", "HKG:endometrial_hyperplasia"])


def test_levonorgestrel_emergency_contraception_inhibits_ovulation(bundled: kg.KnowledgeGraph) -> None:
    # PMID:20933113 (Contraception 2010): "LNG-EC acts through an effect on follicular development to delay or
    # inhibit ovulation but has no effect once luteinizing hormone has started to increase."
    assert bundled.effect("levonorgestrel", "ovulation", context="premenopausal women").direction == "decrease"
    top = bundled.causal_paths("levonorgestrel", "ovulation", context="premenopausal women", limit=5)[0]
    assert _in_order(top.nodes, ["CHEBI:6443", "GO:0030728"])


def test_combined_oral_contraceptive_inhibits_ovulation(bundled: kg.KnowledgeGraph) -> None:
    # PMID:10561657 (Rivera 1999): "For combined oral contraceptives and progestin-only methods, the main
    # mechanisms are ovulation inhibition and changes in the cervical mucus that inhibit sperm penetration."
    e = bundled.effect("combined oral contraceptive", "ovulation", context="premenopausal women")
    assert e.direction == "decrease"
    top = bundled.causal_paths("combined oral contraceptive", "ovulation", context="premenopausal women", limit=5)[0]
    assert _in_order(top.nodes, ["HKG:combined_oral_contraceptive", "GO:0030728"])


# ---------------------------------------------------------------- 2. menopausal hormone therapy outcomes


def test_menopausal_hormone_therapy_relieves_hot_flushes(bundled: kg.KnowledgeGraph) -> None:
    # PMID:11279791 (Cochrane 2001): weekly hot flush frequency fell with oral HRT vs placebo, "equivalent to a 77%
    # reduction in frequency (95% CI 58.2, 87.5)".
    e = bundled.effect("menopausal hormone therapy", "hot flushes", context="postmenopausal women")
    assert e.direction == "decrease"
    top = bundled.causal_paths("menopausal hormone therapy", "hot flushes", context="postmenopausal women", limit=5)[0]
    assert _in_order(top.nodes, ["HKG:menopausal_hormone_therapy", "HKG:vasomotor_symptoms"])


def test_cee_plus_mpa_raises_breast_cancer(bundled: kg.KnowledgeGraph) -> None:
    # DOI:10.1093/jnci/djt043: "In the Women's Health Initiative (WHI) randomized trial, estrogen plus progestin
    # increased both breast cancer incidence and mortality." (Estrogen alone after hysterectomy did not:
    # PMID:21467283, HR 0.75, 0.51-1.09.)
    ctx = "postmenopausal women with an intact uterus"
    assert bundled.effect("CEE plus MPA", "breast cancer", context=ctx).direction == "increase"
    top = bundled.causal_paths("CEE plus MPA", "breast cancer", context=ctx, limit=5)[0]
    assert _in_order(top.nodes, ["HKG:cee_plus_mpa", "MONDO:0007254"])


def test_cee_plus_mpa_lowers_endometrial_cancer(bundled: kg.KnowledgeGraph) -> None:
    # DOI:10.1093/jnci/djv350 (Chlebowski 2016, WHI): fewer endometrial cancers with CEE+MPA than placebo,
    # "hazard ratio [HR] = 0.65, 95% confidence interval [CI] = 0.48 to 0.89, P = .007".
    ctx = "postmenopausal women with an intact uterus"
    assert bundled.effect("CEE plus MPA", "endometrial cancer", context=ctx).direction == "decrease"
    top = bundled.causal_paths("CEE plus MPA", "endometrial cancer", context=ctx, limit=5)[0]
    assert _in_order(top.nodes, ["HKG:cee_plus_mpa", "MONDO:0011962"])


def test_menopausal_hormone_therapy_raises_venous_thromboembolism(bundled: kg.KnowledgeGraph) -> None:
    # PMID:35013060 (Nurses' Health Study): "Current HT users were at higher risk of VTE than never users (HR: 1.9,
    # 95% CI: 1.5-2.6)"; DOI:10.1001/jama.292.13.1573: hormone therapy is "associated with a 2- to 3-fold increased
    # risk of VT".
    ctx = "postmenopausal women"
    assert bundled.effect("menopausal hormone therapy", "venous thromboembolism", context=ctx).direction == "increase"
    top = bundled.causal_paths("menopausal hormone therapy", "venous thromboembolism", context=ctx, limit=5)[0]
    assert _in_order(top.nodes, ["HKG:menopausal_hormone_therapy", "EFO:0004286"])


# ---------------------------------------------------------------- 3. prolactin


def test_dopamine_inhibits_prolactin_through_d2_receptors(bundled: kg.KnowledgeGraph) -> None:
    # PMID:11739329 (Ben-Jonathan & Hnasko 2001): "Dopamine binds to type-2 dopamine receptors ... and suppresses
    # the high intrinsic secretory activity of the pituitary lactotrophs."
    assert bundled.effect("dopamine", "prolactin").predicted == "decrease"
    top = bundled.causal_paths("dopamine", "prolactin", limit=5)[0]
    assert _in_order(top.nodes, ["CHEBI:18243", "HGNC:3023", "HGNC:9445"])


def test_cabergoline_lowers_prolactin_in_hyperprolactinemic_women(bundled: kg.KnowledgeGraph) -> None:
    # PMID:7915824 (Webster 1994): "Stable normoprolactinemia was achieved in 186 of the 223 women treated with
    # cabergoline (83 percent)"; PMID:7784413: "Cabergoline is a new, long-acting D2 agonist".
    ctx = "women with hyperprolactinemic amenorrhea"
    assert bundled.effect("cabergoline", "prolactin", context=ctx).direction == "decrease"
    top = bundled.causal_paths("cabergoline", "prolactin", context=ctx, limit=5)[0]
    assert _in_order(top.nodes, ["CHEBI:3286", "HGNC:3023", "HGNC:9445"])


def test_cabergoline_restores_ovulation(bundled: kg.KnowledgeGraph) -> None:
    # PMID:7915824: "Seventy-two percent of the women treated with cabergoline ... had ovulatory cycles or became
    # pregnant during treatment".
    ctx = "women with hyperprolactinemic amenorrhea"
    assert bundled.effect("cabergoline", "ovulation", context=ctx).direction == "increase"
    top = bundled.causal_paths("cabergoline", "ovulation", context=ctx, limit=5)[0]
    assert _in_order(top.nodes, ["CHEBI:3286", "GO:0030728"])


def test_risperidone_raises_prolactin_by_d2_blockade(bundled: kg.KnowledgeGraph) -> None:
    # PMID:9934944 (Kleinberg 1999): "Both risperidone and haloperidol produced dose-related increases in plasma
    # prolactin levels in men and women", "presumably because of a dopamine receptor blockade".
    assert bundled.effect("risperidone", "prolactin").direction == "increase"
    top = bundled.causal_paths("risperidone", "prolactin", limit=5)[0]
    assert _in_order(top.nodes, ["CHEBI:8871", "HGNC:3023", "HGNC:9445"])


def test_hyperprolactinemia_lowers_testosterone_in_men(bundled: kg.KnowledgeGraph) -> None:
    # PMID:23006326 (Sonigo 2012): "In men, hyperprolactinemia is also frequently associated with hypogonadotropic
    # hypogonadism", whose hallmark is low serum total testosterone (PMID:25044085).
    assert bundled.effect("prolactin", "testosterone", context="men").predicted == "decrease"
    top = bundled.causal_paths("prolactin", "testosterone", context="men", limit=5)[0]
    assert _in_order(top.nodes, ["HGNC:9445", "HP:0000870", "HP:0000044", "CHEBI:17347"])


def test_prolactin_suppresses_kisspeptin_in_mice(bundled: kg.KnowledgeGraph) -> None:
    # PMID:23006326: "hyperprolactinemia in mice induced anovulation, reduced GnRH and gonadotropin secretion, and
    # diminished kisspeptin expression"; kisspeptin neurons express prolactin receptors.
    mouse = {"species": "NCBITaxon:10090", "sex": "female", "tissue": "UBERON:0001898"}
    assert bundled.effect("prolactin", "kisspeptin", context=mouse).predicted == "decrease"
    top = bundled.causal_paths("prolactin", "kisspeptin", context=mouse, limit=5)[0]
    assert _in_order(top.nodes, ["HGNC:9445", "HGNC:9446", "HGNC:6341"])
