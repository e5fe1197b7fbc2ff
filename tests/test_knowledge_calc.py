"""Calciotropic hormones on bone (issue 15, area 8a): PTH, vitamin D, calcitonin.

Each expectation was written from the cited source before the engine was run.
"""

PMO = "postmenopausal women with osteoporosis"
PHPT = "patients with primary hyperparathyroidism"
VITAL = "men aged 50 or older and women aged 55 or older"


def _top(bundled, src, dst, context=None):
    return bundled.causal_paths(src, dst, context=context, limit=5)[0].nodes


def _in_order(nodes, expected):
    it = iter(nodes)
    return all(any(n == e for n in it) for e in expected)


# ---------------------------------------------------------------- area 1: PTH (continuous vs intermittent)
def test_teriparatide_decreases_vertebral_fracture(bundled):
    # PMID:11346808 (Neer 2001, FPT): "the respective relative risks of fracture in the 20-microg and 40-microg
    # groups, as compared with the placebo group, were 0.35 and 0.31".
    assert bundled.effect("teriparatide", "vertebral fracture", context=PMO).direction == "decrease"
    assert _in_order(
        _top(bundled, "teriparatide", "vertebral fracture", PMO), ["HKG:teriparatide", "HKG:vertebral_fracture"]
    )


def test_teriparatide_increases_bmd_predicted(bundled):
    # PMID:11346808: 20 and 40 microg "increased bone mineral density by 9 and 13 more percentage points in the
    # lumbar spine" (the 40 microg dose lowered radius-shaft BMD by 2 points, hence observed findings are mixed).
    assert bundled.effect("teriparatide", "bone mineral density", context=PMO).predicted == "increase"
    assert _in_order(_top(bundled, "teriparatide", "bone mineral density", PMO), ["HKG:teriparatide", "EFO:0003923"])


def test_abaloparatide_decreases_vertebral_fracture(bundled):
    # PMID:27533157 (ACTIVE): new vertebral fractures 0.58% vs 4.22% with placebo;
    # "relative risk, 0.14 [95% CI, 0.05-0.39]".
    assert bundled.effect("abaloparatide", "vertebral fracture", context=PMO).direction == "decrease"
    assert _in_order(
        _top(bundled, "abaloparatide", "vertebral fracture", PMO), ["HKG:abaloparatide", "HKG:vertebral_fracture"]
    )


def test_primary_hyperparathyroidism_decreases_bmd_through_rankl(bundled):
    # PMID:2763869 (Silverberg 1989): radius BMD "79 +/- 2% of expected"; PMID:25854704: PTH receptor signalling
    # "can increase the RANKL/OPG ratio ... thereby stimulating bone resorption".
    assert bundled.effect("primary hyperparathyroidism", "bone mineral density", context=PHPT).direction == "decrease"
    nodes = _top(bundled, "primary hyperparathyroidism", "bone mineral density", PHPT)
    assert _in_order(nodes, ["HKG:primary_hyperparathyroidism", "HGNC:9606", "HGNC:9608", "HGNC:11926", "EFO:0003923"])


def test_pth_increases_calcitriol_via_cyp27b1(bundled):
    # DOI:10.3389/fphys.2016.00563 (Conigrave 2016): PTH acts by "promoting the production of
    # 1,25-dihydroxyvitamin D3 to drive intestinal calcium absorption";
    # PMID:14966565: PTH controls 1,25(OH)2D production.
    assert bundled.effect("parathyroid hormone", "calcitriol").direction == "increase"
    assert _in_order(_top(bundled, "parathyroid hormone", "calcitriol"), ["HGNC:9606", "HGNC:2606", "CHEBI:17823"])


def test_serum_calcium_suppresses_pth_via_casr(bundled):
    # DOI:10.3389/fphys.2016.00563: a "Ca2+ sensing mechanism that mediates feedback inhibition of PTH secretion".
    assert bundled.effect("serum calcium", "parathyroid hormone").direction == "decrease"
    assert _in_order(
        _top(bundled, "serum calcium", "parathyroid hormone"), ["HKG:serum_calcium", "HGNC:1514", "HGNC:9606"]
    )


# ---------------------------------------------------------------- area 2: vitamin D
def test_cholecalciferol_to_calcitriol_chain(bundled):
    # PMID:24529992 (Bikle 2014): "CYP2R1 is the most important 25-hydroxylase; CYP27B1 is the key 1-hydroxylase."
    assert bundled.effect("cholecalciferol", "calcitriol").direction == "increase"
    nodes = _top(bundled, "cholecalciferol", "calcitriol")
    assert _in_order(nodes, ["CHEBI:28940", "HGNC:20580", "CHEBI:17933", "HGNC:2606", "CHEBI:17823"])


def test_fgf23_lowers_calcitriol_via_cyp27b1(bundled):
    # PMID:14966565 (Fgf23-null mice): "elevation in serum 1,25(OH)2D that was due to the enhanced expression of
    # renal 25-hydroxyvitamin D-1α-hydroxylase" -> FGF23 suppresses CYP27B1 (mouse evidence).
    assert bundled.effect("fibroblast growth factor 23", "calcitriol").direction == "decrease"
    assert _in_order(
        _top(bundled, "fibroblast growth factor 23", "calcitriol"), ["HGNC:3680", "HGNC:2606", "CHEBI:17823"]
    )


def test_calcitriol_raises_serum_calcium(bundled):
    # DOI:10.3389/fphys.2016.00563: 1,25-dihydroxyvitamin D3 drives intestinal calcium absorption.
    assert bundled.effect("calcitriol", "serum calcium").direction == "increase"
    assert _in_order(_top(bundled, "calcitriol", "serum calcium"), ["CHEBI:17823", "HKG:serum_calcium"])


def test_calcitriol_lowers_pth(bundled):
    # DOI:10.3389/fphys.2016.00563: calcium from 1,25(OH)2D3-driven absorption feeds back on the CaSR to suppress PTH.
    assert bundled.effect("calcitriol", "parathyroid hormone").direction == "decrease"
    assert _in_order(_top(bundled, "calcitriol", "parathyroid hormone"), ["CHEBI:17823", "HGNC:9606"])


def test_vitamin_d3_supplementation_no_effect_on_fracture(bundled):
    # PMID:35939577 (VITAL): vitamin D3 2000 IU/day "did not have a significant effect on total fractures ...
    # hazard ratio, 0.98; 95% confidence interval [CI], 0.89 to 1.08; P = 0.70)".
    assert bundled.effect("vitamin D3 supplementation", "bone fracture", context=VITAL).direction == "none"


# ---------------------------------------------------------------- area 3: calcitonin
def test_calcitonin_inhibits_bone_resorption_via_receptor(bundled):
    # PMID:32963524: calcitonin's hypocalcemic effect is due to "inhibition of bone resorption"; DOI:10.1002/jbmr.1869:
    # calcitonin acts "through its receptor (CTR)", deleted in osteoclasts in mice.
    assert bundled.effect("calcitonin", "bone resorption").direction == "decrease"
    assert _in_order(_top(bundled, "calcitonin", "bone resorption"), ["HGNC:1437", "HGNC:1440", "GO:0045453"])


def test_salmon_calcitonin_decreases_vertebral_fracture(bundled):
    # DOI:10.1016/S0002-9343(00)00490-3 (PROOF): 200 IU "reduced the risk of new vertebral fractures by 33% ...
    # relative risk (RR) = 0.67, 95% confidence interval (CI): 0.47– to 0.97, P = 0.03".
    assert bundled.effect("salmon calcitonin", "vertebral fracture", context=PMO).direction == "decrease"
    assert _in_order(
        _top(bundled, "salmon calcitonin", "vertebral fracture", PMO),
        ["HKG:salmon_calcitonin", "HKG:vertebral_fracture"],
    )
