"""Issue 15 (curator "gcbone"): glucocorticoids on bone (area 8b), Wnt/sclerostin and romosozumab, and the bone
drugs' outcomes and classes (areas 7 and 9). Each expectation was written from the cited source before the
engine was run; a test that the engine fails while the data is right is kept and reported, not bent."""

from __future__ import annotations

import kg

GC_USERS = "patients on oral glucocorticoids"
GC_MEN = "men on chronic glucocorticoid therapy"
PMW = "postmenopausal women"
PMO = "postmenopausal women with osteoporosis"


def _top(bundled: kg.KnowledgeGraph, src: str, dst: str, context: object = None) -> tuple[str, ...]:
    paths = bundled.causal_paths(src, dst, context=context, limit=5)
    assert paths, f"no causal path {src} -> {dst}"
    return paths[0].nodes


def _in_order(nodes: tuple[str, ...], *ids: str) -> bool:
    it = iter(nodes)
    return all(any(n == i for n in it) for i in ids)


# ------------------------------------------------------------------ area 1: glucocorticoids on bone
def test_glucocorticoid_therapy_lowers_bmd(bundled: kg.KnowledgeGraph) -> None:
    # Compston 2018 (PMID:29691807): "Continuous oral glucocorticoid therapy is associated with rapid bone loss and
    # an increase in fracture risk that is seen within 3-6 months of initiation and is dose-related."
    # Mechanism: the therapy supplies a glucocorticoid, which suppresses bone formation.
    assert bundled.effect("glucocorticoid therapy", "bone mineral density", context=GC_USERS).direction == "decrease"
    nodes = _top(bundled, "glucocorticoid therapy", "bone mineral density", GC_USERS)
    assert _in_order(nodes, "HKG:glucocorticoid_therapy", "CHEBI:24261", "EFO:0003923")


def test_glucocorticoid_suppresses_bone_formation_through_gr(bundled: kg.KnowledgeGraph) -> None:
    # Shi et al. 2012 (DOI:10.5772/53978): "Glucocorticoids bind to the glucocorticoid receptor (GR) and affect ...
    # osteoblast (OB) ... function. The net result is decreased bone formation and increased bone resorption."
    # Canalis 2007 (DOI:10.1007/s00198-007-0394-0): "These effects lead to a suppression of bone formation".
    assert bundled.effect("glucocorticoid", "bone formation").direction == "decrease"
    # the top path is a mechanism through the receptor or through the osteoblast it harms (both in the sources)
    top = _top(bundled, "glucocorticoid", "bone formation")
    assert top[0] == "CHEBI:24261" and top[-1] == "GO:0001503" and {"HGNC:7978", "CL:0000062"} & set(top), top


def test_glucocorticoid_therapy_raises_vertebral_fracture_risk(bundled: kg.KnowledgeGraph) -> None:
    # van Staa 2000 (DOI:10.1359/jbmr.2000.15.6.993): relative rate of vertebral fracture during oral
    # corticosteroid treatment 2.60 (95% CI 2.31-2.92) vs matched controls; 5.18 at >=7.5 mg/d prednisolone.
    assert bundled.effect("glucocorticoid therapy", "vertebral fracture", context=GC_USERS).direction == "increase"
    nodes = _top(bundled, "glucocorticoid therapy", "vertebral fracture", GC_USERS)
    assert nodes[0] == "HKG:glucocorticoid_therapy" and nodes[-1] == "HKG:vertebral_fracture"


def test_glucocorticoid_therapy_lowers_testosterone_in_men(bundled: kg.KnowledgeGraph) -> None:
    # MacAdams 1986 (PMID:3083749): serum testosterone 211 +/- 93 ng/dL on glucocorticoids vs 449 +/- 111 ng/dL in
    # matched controls (p < 0.001); "glucocorticoid therapy commonly reduces serum testosterone levels in older men
    # due to alteration of hypothalamic GnRH secretion."
    assert bundled.effect("glucocorticoid therapy", "testosterone", context=GC_MEN).direction == "decrease"
    nodes = _top(bundled, "glucocorticoid therapy", "testosterone", GC_MEN)
    assert nodes[0] == "HKG:glucocorticoid_therapy" and nodes[-1] == "CHEBI:17347"


def test_prednisolone_lowers_osteoprotegerin(bundled: kg.KnowledgeGraph) -> None:
    # PMID:16298558: "dexamethasone, prednisolone, deflazacort and the dissociated glucocorticoids ...
    # significantly inhibit OPG production in two human osteoblastic cell lines (MG63 and hFOB)."
    assert bundled.effect("prednisolone", "osteoprotegerin").direction == "decrease"
    assert _top(bundled, "prednisolone", "osteoprotegerin")[-1] == "HGNC:11909"


# ------------------------------------------------------------------ area 2: Wnt / sclerostin / romosozumab
def test_sclerostin_suppresses_bone_formation_via_lrp5_and_wnt(bundled: kg.KnowledgeGraph) -> None:
    # Li et al. (PMID:15778503): sclerostin binds LRP5/6 and antagonizes canonical Wnt signaling; the antagonism
    # is reversed by LRP5; "canonical Wnt signaling stimulates osteogenesis". Moester 2010 (PMID:20473488):
    # sclerostin "inhibits bone formation by osteoblasts".
    assert bundled.effect("sclerostin", "bone formation").direction == "decrease"
    nodes = _top(bundled, "sclerostin", "bone formation")
    assert _in_order(nodes, "HGNC:13771", "HGNC:6697", "GO:0060070", "GO:0001503")


def test_romosozumab_raises_bmd_by_inhibiting_sclerostin(bundled: kg.KnowledgeGraph) -> None:
    # FRAME (PMID:27641143): "Romosozumab, a monoclonal antibody that binds sclerostin, increases bone formation";
    # Cosman 2024 (PMID:39041711): romosozumab then denosumab raised lumbar spine BMD 9.3% more than denosumab.
    assert bundled.effect("romosozumab", "bone mineral density", context=PMW).direction == "increase"
    nodes = _top(bundled, "romosozumab", "bone mineral density", PMW)
    assert _in_order(nodes, "HKG:romosozumab", "HGNC:13771", "EFO:0003923")


def test_romosozumab_lowers_vertebral_fractures(bundled: kg.KnowledgeGraph) -> None:
    # FRAME (PMID:27641143): new vertebral fractures at 12 months 16 of 3321 (0.5%) vs 59 of 3322 (1.8%) with
    # placebo; ARCH (DOI:10.1056/NEJMoa1708322): 48% lower risk than alendronate over 24 months.
    assert bundled.effect("romosozumab", "vertebral fracture", context=PMO).direction == "decrease"
    nodes = _top(bundled, "romosozumab", "vertebral fracture", PMO)
    assert nodes[0] == "HKG:romosozumab" and nodes[-1] == "HKG:vertebral_fracture"


def test_lrp5_loss_of_function_lowers_bmd(bundled: kg.KnowledgeGraph) -> None:
    # Gong 2001 (DOI:10.1016/s0092-8674(01)00571-2): "Mutations in LRP5 cause ... osteoporosis-pseudoglioma
    # syndrome (OPPG)"; "OPPG carriers have reduced bone mass when compared to age- and gender-matched controls."
    assert bundled.effect("LRP5 loss-of-function mutation", "bone mineral density").direction == "decrease"
    assert bundled.effect("LRP5 loss-of-function mutation", "osteoporosis-pseudoglioma syndrome").direction == (
        "increase"
    )


# ------------------------------------------------------------------ area 3: bone drugs, mechanisms and outcomes
def test_zoledronic_acid_inhibits_resorption_through_fpps(bundled: kg.KnowledgeGraph) -> None:
    # Dunford 2001 (PMID:11160603): nitrogen-containing bisphosphonates (zoledronic acid among them) "inhibit
    # osteoclast-mediated bone resorption ... by inhibiting farnesyl diphosphate synthase".
    assert bundled.effect("zoledronic acid", "bone resorption").direction == "decrease"
    nodes = _top(bundled, "zoledronic acid", "bone resorption")
    assert _in_order(nodes, "CHEBI:46557", "HGNC:3631", "GO:0045453")


def test_risedronate_lowers_vertebral_fractures(bundled: kg.KnowledgeGraph) -> None:
    # VERT (PMID:10527181): risedronate 5 mg/d "decreased the cumulative incidence of new vertebral fractures by
    # 41% (95% CI 18%-58%) over 3 years (11.3% vs 16.3%; P=.003)".
    assert bundled.effect("risedronate", "vertebral fracture", context=PMO).direction == "decrease"
    assert _top(bundled, "risedronate", "vertebral fracture", PMO)[0] == "HKG:risedronate"


def test_ibandronate_lowers_vertebral_fractures(bundled: kg.KnowledgeGraph) -> None:
    # BONE (PMID:15071723): "Daily and intermittent oral ibandronate significantly reduced the risk of vertebral
    # fractures by 62% and 50%, respectively".
    assert bundled.effect("ibandronate", "vertebral fracture", context=PMO).direction == "decrease"


def test_denosumab_lowers_vertebral_fractures(bundled: kg.KnowledgeGraph) -> None:
    # Cummings 2018 (PMID:29105841): "Denosumab reduces bone resorption and vertebral and nonvertebral fracture
    # risk." (FREEDOM, postmenopausal women with osteoporosis)
    assert bundled.effect("denosumab", "vertebral fracture", context=PMO).direction == "decrease"


def test_stopping_denosumab_raises_vertebral_fractures(bundled: kg.KnowledgeGraph) -> None:
    # Cummings 2018 (PMID:29105841): after discontinuation "the vertebral fracture rate increased from 1.2 per 100
    # participant-years during the on-treatment period to 7.1"; multiple fractures in 60.7% vs 38.7% (p = 0.049).
    assert bundled.effect("denosumab discontinuation", "vertebral fracture", context=PMO).direction == "increase"
    assert bundled.effect("denosumab discontinuation", "bone mineral density", context=PMO).direction == "decrease"
    nodes = _top(bundled, "denosumab discontinuation", "vertebral fracture", PMO)
    assert nodes[0] == "HKG:denosumab_discontinuation" and nodes[-1] == "HKG:vertebral_fracture"


def test_bone_drug_classes(bundled: kg.KnowledgeGraph) -> None:
    # Class membership (area 9): risedronate and ibandronate are nitrogen-containing bisphosphonates (Dunford 2001,
    # PMID:11160603; BONE, PMID:15071723); romosozumab is a sclerostin inhibitor (ARCH: "binds to and inhibits
    # sclerostin"); prednisolone is a glucocorticoid.
    assert "HKG:nitrogen_containing_bisphosphonate" in bundled.entities["HKG:risedronate"].broader
    assert "HKG:nitrogen_containing_bisphosphonate" in bundled.entities["HKG:ibandronate"].broader
    assert "HKG:sclerostin_inhibitor" in bundled.entities["HKG:romosozumab"].broader
    assert "CHEBI:24261" in bundled.entities["CHEBI:8378"].broader
