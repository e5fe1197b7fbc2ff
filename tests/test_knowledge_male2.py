"""Male hypogonadism, testosterone-therapy outcomes and SHBG regulation (curator "male2").

Each expectation was written from the cited literature before the engine was run.
"""

from __future__ import annotations

import kg

TRT = "HKG:testosterone_therapy"
T = "CHEBI:17347"
EPO = "HGNC:3415"
HEPCIDIN = "HGNC:15598"
ERYTHROPOIESIS = "GO:0030218"
HEMATOCRIT = "EFO:0004348"
LH = "HGNC:6584"
GNRH = "HGNC:4419"
SHBG = "HGNC:10839"
HNF4A = "HGNC:5024"


# ---------------------------------------------------------------- area 1: testosterone-therapy outcomes
def test_trt_raises_hematocrit_through_epo_and_hepcidin(bundled: kg.KnowledgeGraph) -> None:
    # Bachman 2014, PMID:24158761: "The 7%-10% increase in hemoglobin and hematocrit, respectively, with testosterone
    # administration was associated with significantly increased erythropoietin (EPO) levels and decreased ferritin
    # and hepcidin levels at 1 and 3 months."
    ctx = "older men with mobility limitation"
    assert bundled.effect("testosterone therapy", "hematocrit", context=ctx).direction == "increase"
    paths = bundled.causal_paths(TRT, HEMATOCRIT, context=ctx, limit=5)
    assert paths and paths[0].nodes[0] == TRT and paths[0].nodes[-1] == HEMATOCRIT


def test_testosterone_drives_erythropoiesis_via_epo_or_hepcidin(bundled: kg.KnowledgeGraph) -> None:
    # Bachman 2014, PMID:24158761: "We propose that testosterone stimulates erythropoiesis by stimulating EPO ...";
    # Bachman 2010, PMID:20660052: "High levels of testosterone markedly suppressed serum hepcidin within 1 wk."
    ctx = {"sex": "male"}
    assert bundled.effect("testosterone", "erythropoiesis", context=ctx).predicted == "increase"
    top = bundled.causal_paths(T, ERYTHROPOIESIS, context=ctx, limit=5)[0].nodes
    assert top[0] == T and top[-1] == ERYTHROPOIESIS and (EPO in top or HEPCIDIN in top)


def test_trt_lowers_hepcidin(bundled: kg.KnowledgeGraph) -> None:
    # Bachman 2010, PMID:20660052: "Testosterone administration is associated with suppression of serum hepcidin."
    assert bundled.effect("testosterone therapy", "hepcidin", context="men").direction == "decrease"


def test_trt_raises_erythrocytosis_risk(bundled: kg.KnowledgeGraph) -> None:
    # Ponce 2018, PMID:29562341: erythrocytosis relative risk 8.14 (95% CI 1.87, 35.40; n = 1579) vs placebo.
    e = bundled.effect("testosterone therapy", "erythrocytosis", context="men with hypogonadism")
    assert e.direction == "increase"


def test_traverse_mace_noninferior(bundled: kg.KnowledgeGraph) -> None:
    # TRAVERSE, DOI:10.1056/NEJMoa2215025: MACE 7.0% vs 7.3% (hazard ratio, 0.96; 95% CI, 0.78 to 1.17).
    ctx = "middle-aged and older men with hypogonadism and cardiovascular risk"
    e = bundled.effect("testosterone therapy", "major adverse cardiovascular events", context=ctx)
    assert e.direction == "none"


def test_traverse_fractures_higher_on_testosterone(bundled: kg.KnowledgeGraph) -> None:
    # Snyder 2024, PMID:38231621: clinical fracture 3.50% vs 2.46% (hazard ratio, 1.43; 95% CI, 1.04 to 1.97).
    ctx = "middle-aged and older men with hypogonadism and cardiovascular risk"
    assert bundled.effect("testosterone therapy", "bone fracture", context=ctx).direction == "increase"


# ---------------------------------------------------------------- area 2: causes of low testosterone
def test_aging_lowers_free_testosterone(bundled: kg.KnowledgeGraph) -> None:
    # EMAS, PMID:18270261: "1) age: lower free T (FT; -3.12 pmol/liter.yr, P < 0.001) with raised LH".
    assert bundled.effect("aging", "free testosterone", context="men").direction == "decrease"
    assert bundled.effect("aging", "luteinizing hormone", context="men").direction == "increase"


def test_opioids_lower_testosterone_through_gnrh_and_lh(bundled: kg.KnowledgeGraph) -> None:
    # Daniell 2002, PMID:14622741: "FT, TT, and E(2) levels were subnormal in 56%, 74%, and 74%, respectively, of
    # opioid consumers"; background: opiates inhibit hypothalamic GnRH production; low LH and total testosterone.
    ctx = "men on long-term opioids"
    assert bundled.effect("opioids", "testosterone", context=ctx).direction == "decrease"
    paths = bundled.causal_paths("HKG:opioids", T, context=ctx, limit=5)
    assert paths[0].nodes[0] == "HKG:opioids" and paths[0].nodes[-1] == T
    top = paths[0].nodes
    assert GNRH in top and LH in top and top.index(GNRH) < top.index(LH)  # opioids -| GnRH -> (GnRHR) -> LH -> T


def test_klinefelter_primary_hypogonadism(bundled: kg.KnowledgeGraph) -> None:
    # Aksglaede 2011, DOI:10.1111/j.1651-2227.2011.02246.x: "All patients had smaller testicular volume and elevated
    # luteinizing hormone (LH) and follicle-stimulating hormone levels in adulthood."
    ctx = "men with Klinefelter syndrome"
    assert bundled.effect("Klinefelter syndrome", "luteinizing hormone", context=ctx).direction == "increase"
    assert bundled.effect("Klinefelter syndrome", "testosterone", context=ctx).direction == "decrease"


def test_weight_loss_raises_testosterone_in_obese_men(bundled: kg.KnowledgeGraph) -> None:
    # Corona 2013, PMID:23482592: TT increase 8.73 (6.51-10.95) after bariatric surgery, 2.87 (1.68-4.07) after diet.
    assert bundled.effect("weight loss", "testosterone", context="men with obesity").direction == "increase"


def test_anabolic_steroids_suppress_gonadotropins(bundled: kg.KnowledgeGraph) -> None:
    # Rasmussen 2016, DOI:10.1371/journal.pone.0161208: "Gonadotropins were significantly suppressed ... in current
    # AAS abusers"; former users: total testosterone 14.4 vs 18.8 nmol/l in controls.
    ctx = "men currently using anabolic steroids"
    assert bundled.effect("anabolic steroids", "luteinizing hormone", context=ctx).direction == "decrease"
    former = "former anabolic steroid users"
    assert bundled.effect("anabolic steroids", "testosterone", context=former).direction == "decrease"


# ---------------------------------------------------------------- area 3: SHBG regulation
def test_hepatic_lipogenesis_lowers_shbg_through_hnf4a(bundled: kg.KnowledgeGraph) -> None:
    # Selva 2007, PMID:17992261: "monosaccharide-induced lipogenesis reduced hepatic HNF-4α levels, which in turn
    # attenuated SHBG expression."
    assert bundled.effect("hepatic lipogenesis", "sex hormone-binding globulin").predicted == "decrease"
    paths = bundled.causal_paths("HKG:hepatic_lipogenesis", SHBG, limit=5)
    assert any(p.nodes == ("HKG:hepatic_lipogenesis", HNF4A, SHBG) for p in paths)


def test_insulin_lowers_and_thyroxine_raises_shbg(bundled: kg.KnowledgeGraph) -> None:
    # Plymate 1988, PMID:2842359: insulin decreased HepG2 SHBG production from 65.0 to 46.8 nmol/10(6) cells;
    # PMID:2168012: thyroxine "alone stimulates SHBG production both in vivo and in vitro".
    assert bundled.effect("insulin", "sex hormone-binding globulin").direction == "decrease"
    assert bundled.effect("thyroxine", "sex hormone-binding globulin").direction == "increase"


def test_obesity_lowers_shbg(bundled: kg.KnowledgeGraph) -> None:
    # Selva 2007, PMID:17992261: "Body mass index is a major determinant of ... SHBG concentrations"; low SHBG in
    # overweight adults.
    assert bundled.effect("obesity", "sex hormone-binding globulin", context="men with obesity").direction == (
        "decrease"
    )
