"""Issue 14: the semantics of an answer (here, rule 7: say what is known).

Directions are increase / decrease / mixed / none (measured: no change) / unknown (no path, no finding), and a
magnitude comes only from findings, never from a step of the mechanism.
"""

from __future__ import annotations

from dataclasses import replace

import kg
from kg.model import Evidence, Population, Statement
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
    answer = bundled.explain("finasteride", "bone mineral density", context="men").split("\nLegend:\n")[0]
    assert "magnitude" not in answer  # (the legend under it may explain a step's "(strong)")
    # where a finding measured the target, its magnitude is the answer's
    trial = "postmenopausal women with hormone-receptor-positive breast cancer"  # the findings' population
    aromatase = bundled.effect("anastrozole", "17β-estradiol", context=trial)
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
    # the route also counts a summary twice ("anastrozole increases testosterone" happens via aromatase,
    # rule 5), so it is not even a candidate; the cut routes are listed where they exist (next test)
    assert all(aromatase in p.nodes[2:] for p in e.cut)
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
    assert "Blocked by the drug's own action (D blocks E" in g.explain("HKG:D", "HKG:T")
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


def test_feedback_attenuates_it_does_not_reverse() -> None:
    """Issue 14, rule 6, on the shape of hCG and testosterone (hCG in men with hypogonadotropic hypogonadism, J Clin
    Endocrinol Metab 1988, PMID:3372679: "All men attained normal serum testosterone levels"): hCG raises
    testosterone and estradiol; estradiol lowers LH, which drives testosterone. The path hCG → estradiol ⊣ LH →
    testosterone runs through testosterone's own negative loop (testosterone → estradiol ⊣ LH → testosterone): it
    attenuates, it does not make the effect mixed. (In the bundled graph "hCG increases estradiol" is a summary
    via testosterone, so rule 5 already keeps it off that path: see the next test.)"""
    g = tiny([
        ("HKG:hcg", "increases", "HKG:t"), ("HKG:hcg", "increases", "HKG:e2"), ("HKG:e2", "decreases", "HKG:lh"),
        ("HKG:lh", "increases", "HKG:t"), ("HKG:t", "increases", "HKG:e2"),
    ])  # fmt: skip
    e = g.effect("HKG:hcg", "HKG:t")
    assert e.predicted == "increase" and [p.nodes for p in e.paths] == [("HKG:hcg", "HKG:t")]
    assert [p.nodes for p in e.feedback] == [("HKG:hcg", "HKG:e2", "HKG:lh", "HKG:t")] and e.loop_nodes == ("HKG:e2",)
    head = g.explain("HKG:hcg", "HKG:t").splitlines()[0]
    assert "increase, attenuated by negative feedback via" in head


def test_a_summary_is_not_chained_through_its_own_mediators(bundled: kg.KnowledgeGraph) -> None:
    """Issue 14, rule 5. Each drug raises the hormone; the summaries that would oppose it pass through their own
    mediators and are not chained:
    - clomiphene raises LH in men: "clomiphene stimulates gonadotropin secretion" (DOI:10.3390/ph17091233); the
      summary "clomiphene increases testosterone" happens via LH, so clomiphene → testosterone ⊣ LH is not a path;
    - tamoxifen raises LH in men: "caused a sharp increase in LH and FSH levels" (PMID:6785950); likewise;
    - hCG raises testosterone (PMID:3372679); "hCG increases estradiol" happens via testosterone and aromatase."""
    cases = [("hCG", "testosterone", None), ("clomiphene", "LH", "men"), ("tamoxifen", "LH", "men")]
    for src, dst, ctx in cases:
        e = bundled.effect(src, dst, context=ctx)
        assert e.predicted == "increase" and e.paths and all(p.sign == 1 for p in e.paths), (src, dst)
        assert not e.feedback, (src, dst)
    clomiphene = bundled.causal_paths("clomiphene", "LH", context="men", limit=100)
    assert all(p.nodes[1] != "CHEBI:17347" for p in clomiphene)
    # the summary itself stays, as a path of its own and where its mediators are not on the path; it is about
    # men with hypogonadism (the review's patients), so it answers for them, and for all men only as a subgroup
    hypogonadal = {"sex": "male", "condition": "HP:0000026"}
    assert [p.compact() for p in bundled.causal_paths("clomiphene", "testosterone", context=hypogonadal)][:1] == [
        "clomifene → testosterone"
    ]
    men = bundled.effect("clomiphene", "testosterone", context="men")
    assert "clomifene → testosterone" not in [p.compact() for p in men.paths]
    assert any(p.compact() == "clomifene → testosterone" for s in men.subgroups for p in s.paths)
    # hCG's own action on the LH receptor is its mechanism
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


def test_a_receptor_step_stays_in_its_tissue(bundled: kg.KnowledgeGraph) -> None:
    """Issue 14, rule 3. Raloxifene is an ERα agonist in bone and an antagonist in breast; in postmenopausal women
    it raises BMD: "raloxifene increased BMD in the spine and femoral neck" (MORE, Ettinger et al. 1999, JAMA
    282:637-645; the MORE 4-year report, PMID:12161484, is in the graph). Its breast antagonism does not continue
    into ERα's action on osteoclasts, which are in bone."""
    e = bundled.effect("raloxifene", "bone mineral density", context="postmenopausal women")
    assert e.predicted == "increase" and e.paths and all(p.sign == 1 for p in e.paths)
    breast = "UBERON:0000310"
    for p in bundled.causal_paths("raloxifene", "bone mineral density", context="postmenopausal women", limit=200):
        assert all(s.context.get("tissue") != breast for s in p.statements)
    # a step's tissue is its context's or where its object is: the osteoclast is located in bone tissue
    assert any(
        s.predicate == "located_in" and s.subject == "CL:0000092" and s.object == "UBERON:0002481"
        for s in bundled.statements.values()
    )


def test_tissue_changes_only_through_what_circulates() -> None:
    """The rule on a hand-made graph: a drug antagonises a receptor in breast (R ⊣ in breast) and agonises it in
    bone; the receptor acts on a bone cell. Only the bone step continues into bone. Through a hormone (which
    circulates) a path may change tissue."""
    g = tiny(
        [
            ("HKG:drug", "antagonist_of", "HKG:rec", {"tissue": "UBERON:0000310"}),
            ("HKG:drug", "agonist_of", "HKG:rec", {"tissue": "UBERON:0002481"}),
            ("HKG:rec", "decreases", "CL:0000092"),
            ("CL:0000092", "located_in", "UBERON:0002481"),
            ("HKG:drug2", "antagonist_of", "HKG:rec2", {"tissue": "UBERON:0000310"}),
            ("HKG:rec2", "increases", "CHEBI:16469"),
            ("CHEBI:16469", "increases", "CL:0000092"),
        ],
        categories={"HKG:rec": "Receptor", "HKG:rec2": "Receptor", "CHEBI:16469": "Hormone", "CL:0000092": "CellType"},
    )
    assert [p.sign for p in g.causal_paths("HKG:drug", "CL:0000092")] == [-1]
    assert [p.nodes for p in g.causal_paths("HKG:drug2", "CL:0000092")] == [
        ("HKG:drug2", "HKG:rec2", "CHEBI:16469", "CL:0000092")
    ]


def test_the_mechanism_ranks_first(bundled: kg.KnowledgeGraph) -> None:
    """Issue 14, rules 5 and 8: for anastrozole and BMD in postmenopausal women the first path is the chain the
    project is about — aromatase, estradiol, ERα, the osteoclast, bone resorption (estradiol restrains osteoclasts
    through ERα: Khosla et al. 2012, PMID:22595550; anastrozole lowered BMD in ATAC: Eastell et al. 2008,
    PMID:18309940) — and no path runs through the aromatase it blocks. ERα's step to the osteoclast is stated two
    ways, from one mouse study ("estrogen regulates the life span of mature osteoclasts", by their apoptosis:
    Nakamura et al. 2007, PMID:17803905): ERα ⊣ the osteoclast, ERα ⊣ its lifespan; either is the chain, and it is
    marked as resting on animal evidence (issue 14, rule 1)."""
    paths = bundled.causal_paths("anastrozole", "bone mineral density", context="postmenopausal women")
    first = paths[0]
    assert first.mechanism and first.nodes[:4] == ("CHEBI:2704", "HGNC:2594", "CHEBI:16469", "HGNC:3467")
    assert first.nodes[4] in ("CL:0000092", "HKG:osteoclast_lifespan") and first.animal == ("NCBITaxon:10090",)
    assert first.nodes[-2:] == ("GO:0045453", "EFO:0003923") and first.sign == -1
    assert "rests in part on animal evidence (mouse)" in first.explain().splitlines()[0]
    # the caller may leave animal evidence out: then no path rests on it
    human = bundled.causal_paths(
        "anastrozole", "bone mineral density", context=bundled.context("postmenopausal women").human_only()
    )
    assert human and not any(p.animal for p in human)
    assert all("HGNC:2594" not in p.nodes[2:] for p in paths)


def test_a_fall_of_endogenous_testosterone_lowers_spermatogenesis(bundled: kg.KnowledgeGraph) -> None:
    """Issue 14, rules 2 and 6. "Testosterone has a pivotal role in spermatogenesis" (Naelitz et al. 2025,
    PMID:40346275): a fall of the body's own testosterone lowers it. The therapy's suppression of LH/FSH is the
    therapy's (rule 2); the rise of LH that a fall of testosterone causes is testosterone's own negative loop
    (testosterone ⊣ LH → testosterone), which tempers the fall and does not reverse it (rule 6)."""
    down = bundled.downstream("testosterone", change="decrease", context="men")
    sperm = down["GO:0007283"]
    assert sperm.predicted == "decrease"
    assert sperm.feedback and all(p.sign == -1 for p in sperm.feedback)  # raising T: less LH → less sperm
    assert "HGNC:6584" in sperm.loop_nodes or "CHEBI:16469" in sperm.loop_nodes
    # the therapy still suppresses it (Matsumoto 1990, PMID:2104626: sperm counts to 50 % of placebo at 50 mg/week)
    trt = bundled.effect("testosterone therapy", "spermatogenesis", context="men")
    assert trt.direction == "decrease"


def test_an_aromatase_inhibitor_alone_before_menopause_shows_the_ovarian_escape(bundled: kg.KnowledgeGraph) -> None:
    """Issue 14 (with the female axis of issue 15): in premenopausal women an aromatase inhibitor alone lowers the
    estradiol feedback on FSH, and the ovaries make more estradiol — why it is given only with ovarian function
    suppression (SOFT/TEXT, Pagani et al. 2014, DOI:10.1056/NEJMoa1404037, in the graph). The answer is not a plain
    "decrease" of HR+ breast cancer, and the escape is among its paths."""
    e = bundled.effect("anastrozole", "HR+ breast cancer", context="premenopausal women")
    assert e.direction != "decrease"
    escape = [p for p in e.paths if "HKG:ovarian_estradiol" in p.nodes]
    assert escape and all(p.sign == 1 for p in escape) and "HGNC:3964" in escape[0].nodes  # through FSH
    after = bundled.effect("anastrozole", "HR+ breast cancer", context="postmenopausal women")
    assert after.direction == "decrease" and not any("HKG:ovarian_estradiol" in p.nodes for p in after.paths)


def test_a_subgroup_result_is_reported_not_applied_to_the_group(bundled: kg.KnowledgeGraph) -> None:
    """Issue 14, rule 1. Pitteloud et al. 2008 (PMID:18073301): "In IHH men, restoring normal T levels caused no
    suppression of mean LH levels or LH amplitude", while in normal men testosterone add-back lowered LH. The null
    result answers for men with GnRH deficiency; for men as a whole it is a subgroup result, never the answer."""
    ihh = bundled.effect("testosterone", "luteinizing hormone", context="men with hypogonadotropic hypogonadism")
    assert ihh.observed == "none" and ihh.direction == "none"
    men = bundled.effect("testosterone", "luteinizing hormone", context="men")
    assert men.direction == "decrease" and not men.findings
    subgroup = [s for s in men.subgroups if s.context == {"population": "pop:men-hypogonadotropic-hypogonadism"}]
    assert subgroup and subgroup[0].observed == "none"
    text = bundled.explain("testosterone", "luteinizing hormone", context="men")
    assert "In subgroups only" in text and "in men with hypogonadotropic hypogonadism: none" in text
    # a statement about a subgroup is left out of every search for the group, and kept for the subgroup
    g = tiny(
        [("HKG:drug", "increases", "HKG:x", {"population": "pop:sub"}), ("HKG:drug", "decreases", "HKG:x")],
        populations=[
            Population("pop:all", "all", {"sex": "male"}),
            Population("pop:sub", "sub", {"sex": "male", "condition": "HP:0000044"}, broader=("pop:all",)),
        ],
    )
    assert g.effect("HKG:drug", "HKG:x", context="all").predicted == "decrease"
    assert [s.predicted for s in g.effect("HKG:drug", "HKG:x", context="all").subgroups] == ["increase"]
    assert g.effect("HKG:drug", "HKG:x", context="sub").predicted == "mixed"
    assert g.effect("HKG:drug", "HKG:x").predicted == "mixed"  # a question that names no one: all evidence
    assert g.downstream("HKG:drug", change="increase", context="all")["HKG:x"].predicted == "decrease"


def test_a_drug_class_answers_for_its_members(bundled: kg.KnowledgeGraph) -> None:
    """Issue 14, rule 7. Aromatase inhibitors lower estradiol: anastrozole (Burnett-Bowie et al. 2009,
    PMID:19820017, "It is an aromatase inhibitor"), letrozole and exemestane ("a novel steroidal irreversible
    aromatase inhibitor", Lombardi 2002, DOI:10.1016/S0925-4439(02)00096-0) each block aromatase. The class has
    no statement of its own: it answers through its members, named."""
    e = bundled.effect("aromatase inhibitor", "17β-estradiol", context="postmenopausal women")
    assert e.direction == "decrease"
    assert set(e.members) >= {"CHEBI:2704", "CHEBI:6413", "CHEBI:4953"}
    assert {p.nodes[0] for p in e.paths} >= {"CHEBI:2704", "CHEBI:6413", "CHEBI:4953"}
    text = bundled.explain("aromatase inhibitor", "17β-estradiol", context="postmenopausal women")
    assert "is a class: it answers for its members (anastrozole, exemestane, letrozole" in text
    # members that disagree make the class mixed; the members' findings are rolled up and named
    members = [
        kg.Entity("HKG:cls", "cls", "Drug"),
        kg.Entity("HKG:m1", "m1", "Drug", broader=("HKG:cls",)),
        kg.Entity("HKG:m2", "m2", "Drug", broader=("HKG:cls",)),
    ]
    g = tiny([("HKG:m1", "increases", "HKG:y"), ("HKG:m2", "decreases", "HKG:y")])
    g = kg.KnowledgeGraph(replace(g.curation, entities=(*members, *g.curation.entities[2:])))
    cls = g.effect("HKG:cls", "HKG:y")
    assert cls.predicted == "mixed" and cls.members == ("HKG:m1", "HKG:m2")


def test_a_summary_is_not_chained_through_its_own_mediators_in_reach_and_loops() -> None:
    """Issue 14, rule 5, in the breadth-first questions: "C increases T" is a summary via M (as "clomiphene
    increases testosterone" happens via LH). C → T ⊣ M would count the mechanism twice: downstream of C, M only
    rises (C → M), and C → T → M → C is no feedback loop."""
    summary = Statement("t0", "HKG:C", "increases", "HKG:T", 1, ("src:tiny",), (Evidence("src:tiny", "s"),),
                        summary=True, via=("HKG:M",))  # fmt: skip
    g = tiny([summary, ("HKG:T", "decreases", "HKG:M"), ("HKG:C", "increases", "HKG:M")])
    down = g.downstream("HKG:C", change="increase")
    assert down["HKG:M"].predicted == "increase" and all(p.sign == 1 for p in down["HKG:M"].paths)
    up = g.upstream("HKG:M")
    assert up["HKG:C"].predicted == "increase"
    loop = tiny([summary, ("HKG:T", "increases", "HKG:M"), ("HKG:M", "increases", "HKG:C")])
    assert not loop.feedback_loops("HKG:C")
    plain = tiny([("HKG:C", "increases", "HKG:T"), ("HKG:T", "increases", "HKG:M"), ("HKG:M", "increases", "HKG:C")])
    assert plain.feedback_loops("HKG:C")  # the same cycle of direct steps is a loop


def test_a_net_effect_a_source_states_reports_the_direction(bundled: kg.KnowledgeGraph) -> None:
    """Issue 14, rule 7. "These effects lead to a suppression of bone formation, a central feature in the
    pathogenesis of GIO" (Canalis et al. 2007, DOI:10.1007/s00198-007-0394-0): glucocorticoid therapy lowers BMD.
    The mechanisms alone are mixed (glucocorticoids also kill the osteocytes that make sclerostin); the net effect
    the sources state answers, named, and never a finding's place."""
    ctx = "patients on oral glucocorticoids"
    e = bundled.effect("glucocorticoid therapy", "bone mineral density", context=ctx)
    assert (e.predicted, e.observed, e.reported, e.direction) == ("mixed", None, "decrease", "decrease")
    assert e.stated and all(st.summary and st.object == e.target for st in e.stated)
    assert "reported decrease: the net effect stated by Canalis et al. 2007" in bundled.explain(
        "glucocorticoid therapy", "bone mineral density", context=ctx
    )
    # without a primary source a summary states nothing: a seed-only or curator-only net effect is no report
    g = tiny(
        [
            Statement("n", "HKG:a", "decreases", "HKG:b", -1, ("src:curator",), (Evidence("src:curator", "x"),),
                      summary=True),
            ("HKG:a", "increases", "HKG:c"),
            ("HKG:c", "increases", "HKG:b"),
        ]
    )  # fmt: skip
    assert (g.effect("HKG:a", "HKG:b").reported, g.effect("HKG:a", "HKG:b").direction) == (None, "mixed")


def test_a_finding_on_the_target_itself_decides_before_a_narrower_measure(bundled: kg.KnowledgeGraph) -> None:
    """PCPT long-term (PMID:23944298): finasteride lowered prostate cancer (RR 0.70) and raised high-grade cancer
    (RR 1.17). Asked about prostate cancer, the fall is the answer; the high-grade rise is listed, not mixed in."""
    pcpt = "men aged 55 or older with a normal digital rectal examination and PSA of 3.0 ng/mL or lower"
    e = bundled.effect("finasteride", "prostate cancer", context=pcpt)
    assert e.observed == "decrease" and {f.direction for f in e.findings} == {"decrease", "increase"}
    assert bundled.effect("finasteride", "high-grade prostate cancer", context=pcpt).observed == "increase"
