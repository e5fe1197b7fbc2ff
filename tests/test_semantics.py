"""Issue 14: the semantics of an answer (here, rule 7: say what is known).

Directions are increase / decrease / mixed / none (measured: no change) / unknown (no path, no finding), and a
magnitude comes only from findings, never from a step of the mechanism.
"""

from __future__ import annotations

import kg
from tests.conftest import tiny


def test_a_measured_null_result_is_none(bundled: kg.KnowledgeGraph) -> None:
    """Burnett-Bowie et al. 2009 (PMID:19820017), older men with low testosterone on anastrozole: "Bone turnover
    markers were not affected by anastrozole therapy" — a measured no-change, so the answer is ``none``."""
    e = bundled.effect("anastrozole", "bone turnover markers", context="older men with low testosterone")
    assert e.observed == "none" and e.direction == "none"
    first = bundled.explain("anastrozole", "bone turnover markers", context="older men with low testosterone")
    assert first.splitlines()[0].endswith(": none (measured: no change).")


def test_nothing_known_is_unknown_not_none() -> None:
    """No path and no finding is no evidence of no change: ``unknown``, and explain says why."""
    g = tiny([("HKG:a", "increases", "HKG:b"), ("HKG:c", "increases", "HKG:d")])
    e = g.effect("HKG:a", "HKG:d")
    assert (e.predicted, e.observed, e.direction) == ("unknown", None, "unknown")
    head = g.explain("HKG:a", "HKG:d").splitlines()[0]
    assert head.endswith(": unknown (no causal path and no finding in this context).") and "none" not in head
    down = g.downstream("HKG:a", change="increase")
    assert down["HKG:b"].predicted == "increase" and "HKG:d" not in down


def test_a_magnitude_comes_only_from_findings(bundled: kg.KnowledgeGraph) -> None:
    """Finasteride lowers DHT strongly (70.8 % with 5 mg: Clark et al. 2004, DOI:10.1210/jc.2003-030330), but no
    finding in the graph measured bone mineral density on finasteride: the answer carries no magnitude."""
    e = bundled.effect("finasteride", "bone mineral density", context="men")
    assert e.paths and not [f for f in e.findings if f.measure == e.target]
    assert e.magnitude is None
    assert "magnitude" not in bundled.explain("finasteride", "bone mineral density", context="men")
    # where a finding measured the target, its magnitude is the answer's
    aromatase = bundled.effect("anastrozole", "17β-estradiol", context="postmenopausal women")
    own = {f.magnitude for f in aromatase.findings if f.measure == aromatase.target and f.magnitude}
    assert own and aromatase.magnitude in own


def test_a_drug_fixes_its_target(bundled: kg.KnowledgeGraph) -> None:
    """Issue 14, rule 4. Anastrozole inhibits aromatase (Burnett-Bowie et al. 2009, PMID:19820017, in the graph):
    with aromatase blocked, no route that passes *through* aromatase (anastrozole → testosterone → aromatase →
    17β-estradiol, the issue's example) carries anastrozole's effect; such routes are listed as cut, not
    silently dropped. In postmenopausal women the net effect on BMD is a decrease (Eastell et al. 2008,
    PMID:18309940: BMD fell over 5 years)."""
    aromatase = "HGNC:2594"
    for ctx in (None, "postmenopausal women"):
        paths = bundled.causal_paths("anastrozole", "bone mineral density", context=ctx, limit=500)
        assert paths and not paths.truncated
        assert all(aromatase not in p.nodes[2:] for p in paths)  # only as the first step: anastrozole ⊣ aromatase
        assert any(p.nodes[1] == aromatase for p in paths)
        down = bundled.downstream("anastrozole", change="increase", context=ctx)  # the same rule
        assert all(aromatase not in p.nodes[2:] for node in down for p in down[node].paths)
    e = bundled.effect("anastrozole", "bone mineral density")
    assert e.blocked == (aromatase,)
    assert e.cut and all(aromatase in p.nodes[2:] for p in e.cut)
    assert e.cut[0].compact() == "anastrozole → testosterone → aromatase → 17β-estradiol → bone mineral density"
    text = bundled.explain("anastrozole", "bone mineral density")
    assert "Blocked by the drug's own action (anastrozole blocks aromatase" in text
    women = bundled.effect("anastrozole", "bone mineral density", context="postmenopausal women")
    assert women.direction == "decrease" and women.blocked == (aromatase,)


def test_what_a_drug_blocks_is_entered_only_first() -> None:
    """The rule on a hand-made graph: D inhibits E; D → S → E → T is cut, D ⊣ E → T is kept."""
    g = tiny([
        ("HKG:D", "inhibits", "HKG:E"), ("HKG:D", "increases", "HKG:S"), ("HKG:S", "increases", "HKG:E"),
        ("HKG:E", "increases", "HKG:T"),
    ])  # fmt: skip
    e = g.effect("HKG:D", "HKG:T")
    assert [p.nodes for p in e.paths] == [("HKG:D", "HKG:E", "HKG:T")] and e.predicted == "decrease"
    assert [p.nodes for p in e.cut] == [("HKG:D", "HKG:S", "HKG:E", "HKG:T")]
    assert g.downstream("HKG:D", change="increase")["HKG:T"].predicted == "decrease"
    # without the block, the same graph is mixed: the rule is what decides
    free = tiny([
        ("HKG:D", "decreases", "HKG:E"), ("HKG:D", "increases", "HKG:S"), ("HKG:S", "increases", "HKG:E"),
        ("HKG:E", "increases", "HKG:T"),
    ])  # fmt: skip
    assert free.effect("HKG:D", "HKG:T").predicted == "mixed" and not free.effect("HKG:D", "HKG:T").cut


def test_a_finding_never_crosses_species(bundled: kg.KnowledgeGraph) -> None:
    """Issue 14, rule 1 (in part): every clinical population is human (NCBITaxon:9606, declared in
    kg/data/contexts.yaml), so the ATAC trial's BMD findings in postmenopausal women (Eastell et al. 2008,
    PMID:18309940) answer a human question and never a question about mice; nor do statements restricted to a
    human population join a path about mice."""
    assert all(p.qualifiers.get("species") == "NCBITaxon:9606" for p in bundled.populations.values())
    mouse = bundled.effect("anastrozole", "bone mineral density", context={"species": "NCBITaxon:10090"})
    assert not mouse.findings and mouse.observed is None and mouse.reported is None
    assert all("population" not in s.context for p in mouse.paths for s in p.statements)
    human = bundled.effect("anastrozole", "bone mineral density", context={"species": "NCBITaxon:9606"})
    assert human.findings and human.observed == "decrease"


def test_feedback_attenuates_it_does_not_reverse(bundled: kg.KnowledgeGraph) -> None:
    """Issue 14, rule 6. Each drug raises the hormone; the opposite paths run through the target's own negative
    feedback loop and are reported as such, not as a mixed effect:
    - hCG raises testosterone: "All men attained normal serum testosterone levels" (hCG in men with
      hypogonadotropic hypogonadism, J Clin Endocrinol Metab 1988, PMID:3372679); the path hCG → estradiol ⊣ LH →
      testosterone is testosterone's own loop (testosterone → estradiol ⊣ LH → testosterone);
    - clomiphene raises LH in men: "clomiphene stimulates gonadotropin secretion" (DOI:10.3390/ph17091233);
      clomiphene → testosterone ⊣ LH is LH's own loop (LH → testosterone ⊣ LH);
    - tamoxifen raises LH in men: "caused a sharp increase in LH and FSH levels" (PMID:6785950)."""
    cases = [("hCG", "testosterone", None, "CHEBI:16469"), ("clomiphene", "LH", "men", "CHEBI:17347"),
             ("tamoxifen", "LH", "men", "CHEBI:17347")]  # fmt: skip
    for src, dst, ctx, via in cases:
        e = bundled.effect(src, dst, context=ctx)
        assert e.predicted == "increase" and all(p.sign == 1 for p in e.paths), (src, dst)
        assert e.feedback and all(p.sign == -1 for p in e.feedback) and via in e.loop_nodes, (src, dst)
        head = bundled.explain(src, dst, context=ctx).splitlines()[0]
        assert "increase, attenuated by negative feedback via" in head and bundled.label(via) in head
    # hCG's own action on the LH receptor is its mechanism, not the loop
    hcg = bundled.effect("hCG", "testosterone")
    assert any("HGNC:6585" in p.nodes for p in hcg.paths)


def test_genuinely_opposing_mechanisms_stay_mixed(bundled: kg.KnowledgeGraph) -> None:
    """Anastrozole in men lowers estradiol (releasing osteoclasts) and raises testosterone (supporting bone):
    two mechanisms, not a loop of bone mineral density's own, so the prediction stays mixed and the findings
    decide (Burnett-Bowie et al. 2009, PMID:19820017: spine BMD fell)."""
    e = bundled.effect("anastrozole", "bone mineral density", context="older men with low testosterone")
    assert e.predicted == "mixed" and not e.feedback and e.direction == "decrease"


def test_a_therapy_is_not_the_endogenous_hormone(bundled: kg.KnowledgeGraph) -> None:
    """Issue 14, rule 2. Matsumoto 1990 (PMID:2104626), normal men on weekly testosterone enanthate: "Chronic T
    administration in physiological to moderately supraphysiological dosages resulted in parallel dose-dependent
    suppression of LH, FSH, and sperm production", and "Serum T levels in men who received 100 and 300 mg/week T
    enanthate were 1.5- and 3-fold higher than those in placebo-treated men". Those are effects of the therapy:
    a fall of endogenous testosterone never inherits them."""
    therapy = bundled.resolve("testosterone therapy").id
    assert bundled.effect("testosterone therapy", "testosterone", context="men").direction == "increase"
    for target in ("luteinizing hormone", "follicle-stimulating hormone"):
        assert bundled.effect("testosterone therapy", target, context="men").direction == "decrease"
    trt = "pop:men-on-testosterone-therapy"
    assert not [
        s.id for s in bundled.statements.values() if s.subject == "CHEBI:17347" and s.context.get("population") == trt
    ]
    down = bundled.downstream("testosterone", change="decrease", context="men")
    assert therapy not in down  # the hormone does not cause its own therapy
    assert all(s.subject != therapy for node in down for p in down[node].paths for s in p.statements)
