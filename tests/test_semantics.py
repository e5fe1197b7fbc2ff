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
