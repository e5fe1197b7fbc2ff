"""Issue 15 (curator "androgens"): adrenal androgens and CAH, CYP17 inhibition and AR blockade in prostate
cancer, 5alpha-reductase and the prostate. Each expectation was written from the cited source before the engine
was run; a test that the engine fails while the data is right is kept and reported, not bent."""

from __future__ import annotations

import kg

CRPC = "men with castration-resistant prostate cancer"
PCPT = "men aged 55 or older with a normal digital rectal examination and PSA of 3.0 ng/mL or lower"
REDUCE = "men aged 50 to 75 with PSA 2.5-10.0 ng/mL and a prior negative prostate biopsy"


def _top(bundled: kg.KnowledgeGraph, src: str, dst: str, context: object = None) -> tuple[str, ...]:
    paths = bundled.causal_paths(src, dst, context=context, limit=5)
    assert paths, f"no causal path {src} -> {dst}"
    return paths[0].nodes


def _in_order(nodes: tuple[str, ...], *ids: str) -> bool:
    it = iter(nodes)
    return all(any(n == i for n in it) for i in ids)


# ------------------------------------------------------------------ area 1: adrenal androgens, CAH
def test_acth_acts_on_mc2r_to_drive_adrenal_steroidogenesis(bundled: kg.KnowledgeGraph) -> None:
    # Novoselova 2019 (DOI:10.1530/ec-19-0190): "The melanocortin-2-receptor (MC2R), also known as the ACTH
    # receptor, is a critical component of the hypothalamic-pituitary-adrenal axis"; Mc2r knockout mice have
    # adrenal insufficiency (no adrenal steroid output).
    assert bundled.effect("ACTH", "androgen biosynthetic process").predicted == "increase"
    assert _in_order(_top(bundled, "ACTH", "androgen biosynthetic process"), "NCBIGene:5443", "NCBIGene:4158")


def test_acth_to_pregnenolone_runs_through_mc2r_star_cyp11a1(bundled: kg.KnowledgeGraph) -> None:
    # Same review (ACTH -> MC2R) plus the textbook StAR -> CYP11A1 step (curator statements): the first
    # committed step of adrenal steroidogenesis rises with ACTH.
    assert bundled.effect("ACTH", "pregnenolone").predicted == "increase"
    nodes = _top(bundled, "ACTH", "pregnenolone")
    assert _in_order(nodes, "NCBIGene:5443", "NCBIGene:4158", "HGNC:11359", "HGNC:2590", "CHEBI:16581")


def test_cah_raises_17ohp_and_dhea_sulfate(bundled: kg.KnowledgeGraph) -> None:
    # Claahsen-van der Grinten 2022 (DOI:10.1210/endrev/bnab016): "Reduced activity of an enzyme required for
    # cortisol production leads to chronic overstimulation of the adrenal cortex and accumulation of precursors
    # proximal to the blocked enzymatic step" (17-OHP is the 21-hydroxylase substrate).
    assert bundled.effect("congenital adrenal hyperplasia", "17-hydroxyprogesterone").direction == "increase"
    # Iliev 2020 (PMID:32435230): "An increase of serum ... (DHEAS) is observed in ... congenital adrenal hyperplasia."
    assert bundled.effect("CAH", "DHEA sulfate").direction == "increase"
    assert bundled.effect("CAH", "androgen").direction == "increase"  # Endocr Rev: "... as well as androgen excess"


def test_dexamethasone_suppresses_acth(bundled: kg.KnowledgeGraph) -> None:
    # PMID:22170708: "Addition of dexamethasone to abiraterone acetate significantly suppressed ACTH ..."
    # (castrate men with prostate cancer on abiraterone).
    ctx = {"sex": "male", "condition": "MONDO:0008315", "therapy": "CHEBI:68642"}
    assert bundled.effect("dexamethasone", "ACTH", context=ctx).direction == "decrease"
    assert _top(bundled, "dexamethasone", "ACTH", ctx) == ("CHEBI:41879", "NCBIGene:5443")


# ------------------------------------------------------------------ area 2: CYP17 inhibition, AR blockade
def test_abiraterone_lowers_testosterone_through_cyp17a1(bundled: kg.KnowledgeGraph) -> None:
    # PMID:15150570: "Suppression of testosterone levels to <0.14 nmol l(-1) was seen in four out of six castrate
    # males treated with a single dose of 500 mg"; PMID:20159824: abiraterone is "a selective inhibitor of CYP17".
    ctx = "men with prostate cancer"
    assert bundled.effect("abiraterone", "testosterone", context=ctx).direction == "decrease"
    assert _in_order(_top(bundled, "abiraterone", "testosterone", ctx), "CHEBI:68642", "HGNC:2593", "CHEBI:17347")


def test_abiraterone_prolongs_survival_in_crpc(bundled: kg.KnowledgeGraph) -> None:
    # COU-AA-301 final analysis (PMID:22995653): median OS 15.8 vs 11.2 months, HR 0.74 (95% CI 0.64-0.86).
    e = bundled.effect("abiraterone", "overall survival", context=CRPC)
    assert e.direction == "increase"
    assert _top(bundled, "abiraterone", "overall survival", CRPC)[0] == "CHEBI:68642"


def test_enzalutamide_blocks_ar_lowers_psa_and_prolongs_survival(bundled: kg.KnowledgeGraph) -> None:
    # AFFIRM (PMID:22894553): PSA reduction >=50% in 54% vs 2%; median OS 18.4 vs 13.6 months, HR 0.63.
    assert bundled.effect("enzalutamide", "androgen receptor").predicted == "decrease"
    assert bundled.effect("enzalutamide", "PSA", context=CRPC).direction == "decrease"
    nodes = _top(bundled, "enzalutamide", "PSA", CRPC)
    assert _in_order(nodes, "CHEBI:68534", "HGNC:644", "HKG:prostate_specific_antigen")
    assert bundled.effect("enzalutamide", "overall survival", context=CRPC).direction == "increase"


def test_bicalutamide_monotherapy_raises_testosterone(bundled: kg.KnowledgeGraph) -> None:
    # PMID:12559282: "Monotherapy with bicalutamide increases serum concentrations of testosterone and estradiol."
    ctx = "men with prostate cancer"
    assert bundled.effect("bicalutamide", "testosterone", context=ctx).direction == "increase"
    assert bundled.effect("bicalutamide", "estradiol", context=ctx).direction == "increase"


# ------------------------------------------------------------------ area 3: 5alpha-reductase and the prostate
def test_finasteride_halves_psa_in_bph(bundled: kg.KnowledgeGraph) -> None:
    # Guess 1993 (PMID:7678930): finasteride 5 mg/day for 12 months, "the median percentage change in PSA was -50%".
    ctx = "men with benign prostatic hyperplasia"
    assert bundled.effect("finasteride", "PSA", context=ctx).direction == "decrease"
    nodes = _top(bundled, "finasteride", "PSA", ctx)
    assert _in_order(nodes, "CHEBI:5062", "HGNC:11285", "CHEBI:16330", "HGNC:644")


def test_finasteride_shrinks_the_prostate(bundled: kg.KnowledgeGraph) -> None:
    # PMID:7678930: finasteride "has been shown to reduce prostate size"; mechanism DHT -> AR in the prostate.
    ctx = "men with benign prostatic hyperplasia"
    assert bundled.effect("finasteride", "prostate volume", context=ctx).direction == "decrease"
    nodes = _top(bundled, "finasteride", "prostate volume", ctx)
    assert _in_order(nodes, "CHEBI:5062", "HGNC:11285", "CHEBI:16330", "HGNC:644", "HKG:prostate_volume")


def test_5ari_prevention_trials(bundled: kg.KnowledgeGraph) -> None:
    # PCPT long-term (PMID:23944298): prostate cancer 10.5% vs 14.9%, RR 0.70; high-grade 3.5% vs 3.0%, RR 1.17.
    assert bundled.effect("finasteride", "prostate cancer", context=PCPT).direction == "decrease"
    assert bundled.effect("finasteride", "high-grade prostate cancer", context=PCPT).direction == "increase"
    # REDUCE (PMID:20357281): 659/3305 vs 858/3424, relative risk reduction 22.8%; Gleason 7-10 P=0.81.
    assert bundled.effect("dutasteride", "prostate cancer", context=REDUCE).direction == "decrease"
    assert bundled.effect("dutasteride", "high-grade prostate cancer", context=REDUCE).direction == "none"


def test_dutasteride_blocks_both_isoenzymes(bundled: kg.KnowledgeGraph) -> None:
    # Clark 2004 (DOI:10.1210/jc.2003-030330): "the dual inhibitor dutasteride" inhibits types 1 and 2.
    paths = bundled.causal_paths("dutasteride", "DHT", context="men", limit=5)
    firsts = {p.nodes[1] for p in paths if len(p.nodes) == 3}
    assert {"HGNC:11285", "HKG:srd5a1"} <= firsts
    assert bundled.effect("dutasteride", "DHT", context="men").direction == "decrease"


def test_finasteride_1mg_treats_male_pattern_hair_loss(bundled: kg.KnowledgeGraph) -> None:
    # Whiting 2003 (PMID:12695131): "Finasteride 1 mg improved scalp hair growth in men aged 41 to 60 years with
    # predominantly vertex male pattern hair loss compared with results seen with placebo."
    ctx = "men with male pattern hair loss"
    assert bundled.effect("finasteride", "androgenetic alopecia", context=ctx).direction == "decrease"
    nodes = _top(bundled, "finasteride", "androgenetic alopecia", ctx)
    assert _in_order(nodes, "CHEBI:5062", "HKG:androgenetic_alopecia")
