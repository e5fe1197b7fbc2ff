"""Issue 15, area 3 extension (curator "breast2"): ER signalling to the cell cycle, endocrine resistance, CDK4/6,
PI3K and mTOR inhibitors, adjuvant tamoxifen duration and aromatase-inhibitor arthralgia.

Each expectation was written from the cited source before the engine was run on it.
"""

from __future__ import annotations

import kg

BREAST = {"sex": "female", "tissue": "UBERON:0000310", "condition": "MONDO:0006512"}  # ER+ breast cancer cells
ADVANCED = "postmenopausal women with hormone-receptor-positive advanced breast cancer"


# -------------------------------------------------------------- 1. ER signalling to proliferation, CDK4/6 inhibitors
def test_estradiol_drives_g1_s_through_esr1_and_cyclin_d1(bundled: kg.KnowledgeGraph) -> None:
    # Prall 1998, PMID:9699870: "estrogens regulate the expression and function of c-Myc and cyclin D1 ... rate limiting
    # for progression from G1 to S phase"; inducible cyclin D1 "can mimic the effects of estrogen in ... promoting S
    # phase entry".
    e = bundled.effect("estradiol", "G1/S transition of mitotic cell cycle", context=BREAST)
    assert e.predicted == "increase"
    nodes = bundled.causal_paths("estradiol", "G1/S transition", context=BREAST, limit=5)[0].nodes
    assert nodes[:3] == ("CHEBI:16469", "HGNC:3467", "HGNC:1582")


def test_estradiol_releases_e2f_through_cyclin_d1_cdk4_and_rb(bundled: kg.KnowledgeGraph) -> None:
    # Di Sante 2019, PMID:31219365: cyclin D1 is "the regulatory subunit of a ... kinase", whose substrates include
    # "all three retinoblastoma proteins"; J Hematol Oncol DOI:10.1186/s13045-020-00880-8: CDK4/6 inhibitors act "by
    # interfering with Rb phosphorylation and E2F release". Two inhibitions (CDK4 -| RB -| E2F) give a net increase.
    assert bundled.effect("estradiol", "E2F1", context=BREAST).predicted == "increase"
    nodes = bundled.causal_paths("estradiol", "E2F1", context=BREAST, limit=5)[0].nodes
    assert [n for n in nodes if n in {"HGNC:3467", "HGNC:1582", "HGNC:9884", "HGNC:3113"}] == [
        "HGNC:3467",
        "HGNC:1582",
        "HGNC:9884",
        "HGNC:3113",
    ]


def test_estradiol_induces_progesterone_receptor_in_breast(bundled: kg.KnowledgeGraph) -> None:
    # Li 2022, DOI:10.2147/DDDT.S336643: PR "is an upregulated target gene of ER, and its expression is dependent on
    # estrogen".
    assert bundled.effect("estradiol", "progesterone receptor", context=BREAST).predicted == "increase"
    nodes = bundled.causal_paths("estradiol", "progesterone receptor", context=BREAST, limit=5)[0].nodes
    assert nodes == ("CHEBI:16469", "HGNC:3467", "HGNC:8910")


def test_palbociclib_blocks_proliferation_through_cdk4_rb_e2f(bundled: kg.KnowledgeGraph) -> None:
    # DOI:10.1186/s13045-020-00880-8: CDK4/6 inhibitors "block the transition from the G1 to S phase of the cell
    # cycle by interfering with Rb phosphorylation and E2F release".
    ctx = {"sex": "female", "tissue": "UBERON:0000310", "condition": "MONDO:0700079"}
    assert bundled.effect("palbociclib", "cell population proliferation", context=ctx).predicted == "decrease"
    nodes = bundled.causal_paths("palbociclib", "cell population proliferation", context=ctx, limit=5)[0].nodes
    assert nodes[0] == "CHEBI:85993" and nodes[-1] == "GO:0008283"
    assert [n for n in nodes if n in {"HGNC:1773", "HGNC:1777", "HGNC:9884", "HGNC:3113"}][-2:] == [
        "HGNC:9884",
        "HGNC:3113",
    ]


def test_palbociclib_plus_letrozole_prolongs_pfs_paloma2(bundled: kg.KnowledgeGraph) -> None:
    # Rugo 2019, DOI:10.1007/s10549-018-05125-4 (PALOMA-2): "median PFS was 27.6 months for palbociclib-letrozole
    # (n = 444) and 14.5 months for placebo-letrozole (n = 222) (HR 0.563; 1-sided P < 0.0001)".
    e = bundled.effect("palbociclib plus letrozole", "progression-free survival", context=ADVANCED)
    assert e.direction == "increase"
    nodes = bundled.causal_paths("palbociclib plus letrozole", "PFS", context=ADVANCED, limit=5)[0].nodes
    assert nodes == ("HKG:palbociclib_plus_letrozole", "HKG:progression_free_survival")
    # adding palbociclib to background letrozole (therapy qualifier): the same trial
    on_letrozole = {"population": ADVANCED, "therapy": "CHEBI:6413"}
    assert bundled.effect("palbociclib", "progression-free survival", context=on_letrozole).direction == "increase"


def test_ribociclib_plus_letrozole_prolongs_overall_survival_monaleesa2(bundled: kg.KnowledgeGraph) -> None:
    # Hortobagyi 2022, PMID:35263519 (MONALEESA-2): median OS 63.9 vs 51.4 months, "hazard ratio for death, 0.76;
    # 95% CI, 0.63 to 0.93; two-sided P = 0.008".
    e = bundled.effect("ribociclib plus letrozole", "overall survival", context=ADVANCED)
    assert e.direction == "increase"
    nodes = bundled.causal_paths("ribociclib plus letrozole", "overall survival", context=ADVANCED, limit=5)[0].nodes
    assert nodes == ("HKG:ribociclib_plus_letrozole", "HKG:overall_survival")


def test_adjuvant_abemaciclib_improves_idfs_monarche(bundled: kg.KnowledgeGraph) -> None:
    # Rastogi 2024, PMID:38194616 (monarchE): "hazard ratios of 0.680 (95% CI, 0.599 to 0.772) for IDFS and 0.675
    # (95% CI, 0.588 to 0.774) for DRFS" at a median follow-up of 54 months.
    ctx = "patients with HR-positive, HER2-negative, node-positive, high-risk early breast cancer"
    e = bundled.effect("abemaciclib plus endocrine therapy", "invasive disease-free survival", context=ctx)
    assert e.direction == "increase"
    nodes = bundled.causal_paths("abemaciclib plus endocrine therapy", "IDFS", context=ctx, limit=5)[0].nodes
    assert nodes == ("HKG:abemaciclib_plus_endocrine_therapy", "HKG:invasive_disease_free_survival")


def test_cdk4_6_inhibitors_do_not_change_overall_survival_in_early_disease(bundled: kg.KnowledgeGraph) -> None:
    # Huang 2023, PMID:36704980: in early HR+/HER2- breast cancer, CDK4/6 inhibitors with endocrine therapy "had no
    # effect on ... OS (hazard ratio = 1.08, p = 0.705)".
    ctx = "patients with hormone-receptor-positive early breast cancer"
    assert bundled.effect("CDK4/6 inhibitor", "overall survival", context=ctx).direction == "none"


# -------------------------------------------------------------- 2. endocrine resistance
def test_esr1_mutation_drives_endocrine_resistance(bundled: kg.KnowledgeGraph) -> None:
    # Toy 2013, DOI:10.1038/ng.2822: "mutant receptors drive ER-dependent transcription and proliferation in the
    # absence of hormone and reduce the efficacy of ER antagonists".
    e = bundled.effect(
        "ESR1 mutation", "endocrine therapy resistance", context="women with ER-positive advanced breast cancer"
    )
    assert e.predicted == "increase"
    nodes = bundled.causal_paths("ESR1 mutation", "endocrine resistance", limit=5)[0].nodes
    assert nodes == ("HKG:esr1_lbd_mutation", "HKG:endocrine_therapy_resistance")


def test_elacestrant_prolongs_pfs_in_esr1_mutated_disease_emerald(bundled: kg.KnowledgeGraph) -> None:
    # Bidard 2022, DOI:10.1200/JCO.22.00338 (EMERALD): PFS prolonged in "patients with ESR1 mutation (hazard ratio =
    # 0.55; 95% CI, 0.39 to 0.77; P = .0005)"; elacestrant is "a novel, oral selective ER degrader".
    ctx = "patients with ESR1-mutated ER-positive advanced breast cancer"
    assert bundled.effect("elacestrant", "progression-free survival", context=ctx).direction == "increase"
    assert bundled.causal_paths("elacestrant", "PFS", context=ctx, limit=5)[0].nodes[0] == "CHEBI:229213"
    assert bundled.effect("elacestrant", "estrogen receptor α").predicted == "decrease"


def test_pik3ca_mutation_drives_endocrine_resistance_through_pi3k(bundled: kg.KnowledgeGraph) -> None:
    # André 2021, DOI:10.1016/j.annonc.2020.11.011: "Activation of the ... (PI3K) pathway via PIK3CA mutations";
    # Drugs review DOI:10.1007/s40265-020-01394-w: "The PI3K/AKT/mTOR pathway is implicated in sustaining endocrine
    # resistance".
    assert bundled.effect("PIK3CA mutation", "endocrine therapy resistance").predicted == "increase"
    nodes = bundled.causal_paths("PIK3CA mutation", "endocrine therapy resistance", limit=5)[0].nodes
    assert nodes[:2] == ("HKG:pik3ca_activating_mutation", "HGNC:8975")


def test_everolimus_counters_mtor_driven_resistance_and_prolongs_pfs_bolero2(bundled: kg.KnowledgeGraph) -> None:
    # Future Oncol 2012, PMID:22764762 (BOLERO-2): "the mTOR inhibitor everolimus"; "aberrant signaling through the
    # mTOR pathway is associated with resistance to endocrine therapies"; median PFS 6.9 vs 2.8 months (HR 0.43).
    assert bundled.effect("everolimus", "endocrine therapy resistance").predicted == "decrease"
    nodes = bundled.causal_paths("everolimus", "endocrine therapy resistance", limit=5)[0].nodes
    assert nodes == ("CHEBI:68478", "HGNC:3942", "HKG:endocrine_therapy_resistance")
    e = bundled.effect("everolimus plus exemestane", "progression-free survival", context=ADVANCED)
    assert e.direction == "increase"


def test_alpelisib_fulvestrant_pfs_benefit_without_significant_os_gain_solar1(bundled: kg.KnowledgeGraph) -> None:
    # André 2021, DOI:10.1016/j.annonc.2020.11.011 (SOLAR-1): PFS benefit "statistically significant and clinically
    # meaningful"; OS 39.3 vs 31.4 months, "HR = 0.86 (95% CI, 0.64-1.15; P = 0.15)", not crossing the boundary.
    ctx = "men and postmenopausal women with PIK3CA-mutated HR-positive advanced breast cancer"
    assert (
        bundled.effect("alpelisib plus fulvestrant", "progression-free survival", context=ctx).direction == "increase"
    )
    nodes = bundled.causal_paths("alpelisib plus fulvestrant", "PFS", context=ctx, limit=5)[0].nodes
    assert nodes == ("HKG:alpelisib_plus_fulvestrant", "HKG:progression_free_survival")
    assert bundled.effect("alpelisib plus fulvestrant", "overall survival", context=ctx).direction == "none"


# -------------------------------------------------------------- 3. adjuvant duration and adverse effects
def test_ten_years_of_tamoxifen_reduces_recurrence_atlas(bundled: kg.KnowledgeGraph) -> None:
    # Davies 2013, PMID:23219286 (ATLAS): "617 recurrences in 3428 women allocated to continue vs 711 in 3418
    # controls, p=0·002".
    ctx = "women with ER-positive early breast cancer"
    assert (
        bundled.effect("10 years of adjuvant tamoxifen", "breast cancer recurrence", context=ctx).direction
        == "decrease"
    )
    nodes = bundled.causal_paths("extended adjuvant tamoxifen", "breast cancer recurrence", context=ctx, limit=5)[
        0
    ].nodes
    assert nodes == ("HKG:extended_adjuvant_tamoxifen", "HKG:breast_cancer_recurrence")


def test_ten_years_of_tamoxifen_reduces_breast_cancer_mortality_atlas(bundled: kg.KnowledgeGraph) -> None:
    # PMID:23219286: "reduced breast cancer mortality (331 deaths vs 397 deaths, p=0·01), and reduced overall
    # mortality (639 deaths vs 722 deaths, p=0·01)".
    ctx = "women with ER-positive early breast cancer"
    assert bundled.effect("tamoxifen for 10 years", "breast cancer mortality", context=ctx).direction == "decrease"
    assert bundled.effect("tamoxifen for 10 years", "overall survival", context=ctx).direction == "increase"
    nodes = bundled.causal_paths("tamoxifen for 10 years", "breast cancer mortality", context=ctx, limit=5)[0].nodes
    assert nodes == ("HKG:extended_adjuvant_tamoxifen", "HKG:breast_cancer_mortality")


def test_aromatase_inhibitors_cause_arthralgia(bundled: kg.KnowledgeGraph) -> None:
    # Crew 2007, PMID:17761973: "Of 200 patients who completed the survey, 94 (47%) reported having AI-related joint
    # pain and 88 (44%) reported AI-related joint stiffness."
    ctx = "postmenopausal women with hormone-receptor-positive breast cancer"
    assert bundled.effect("aromatase inhibitor", "joint pain", context=ctx).direction == "increase"
    e = bundled.effect("anastrozole", "arthralgia", context=ctx)
    assert e.direction == "increase"
    nodes = bundled.causal_paths("anastrozole", "arthralgia", context=ctx, limit=5)[0].nodes
    assert nodes == ("CHEBI:2704", "HP:0002829")
