"""``effect``: the predicted (paths), observed (measured findings) and reported direction of one change.

>>> import kg
>>> g = kg.load()
>>> e = effect(g, "CHEBI:2704", "CHEBI:16469", g.context("postmenopausal women"))
>>> e.predicted
'decrease'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import partial

from kg.context import WHOM_KEYS, Context, expand_qualifiers
from kg.model import Finding, Statement, source_weight
from kg.questions.paths import source_paths, to_path
from kg.questions.results import CausalPath, Effect, PathList, Predicted, Subgroup, combine_signs, magnitude_of
from kg.questions.scope import MAX_LENGTH, check_bounds, scope_of
from kg.search import DEFAULT_WORK, Scope
from kg.search.rules import DIRECT_ACTION
from kg.store.store import Store

__all__ = [
    "EFFECT_PATH_LIMIT",
    "compensation",
    "effect",
    "loop_signs",
    "measured_size",
    "observed",
    "roll_up",
    "set_apart",
    "subgroups",
]

#: Paths an :func:`effect` keeps (plus the best path of a sign missing from them).
EFFECT_PATH_LIMIT = 20
#: Routes through what the source blocks that an effect shows as cut, among how many best paths without the rule.
CUT_SHOWN, CUT_SEARCHED = 3, 200
#: The work each of the searches that explain an effect may do (the routes cut, the target's own loops): an
#: explanation that would cost more than this is left out (the answer is then what the paths say).
EXPLAIN_WORK = 50_000
#: How far a target's own loop reaches before it comes back: what the target drives within this many steps
#: (testosterone → aromatase → estradiol; LH → testosterone). Longer loops are not set apart.
LOOP_OUT = 2


def observed(findings: Sequence[Finding], kind: str = "measured", target: str | None = None) -> Predicted | None:
    """The direction the on-treatment findings of ``kind`` agree on (None without any).

    Given the ``target``, the findings that measured it decide when they found a change; those on a narrower
    measure (a site, a subtype of a cancer) decide without them: PCPT's fall in prostate cancer is the answer
    for prostate cancer, its rise in high-grade cancer is listed, not mixed in. A null result on the target
    does not overrule a change at a narrower measure (BMD fell at the spine, not at the other sites).
    """
    if target is not None:
        own = observed([f for f in findings if f.measure == target], kind)
        if own not in (None, "none"):
            return own
    measured = [f for f in findings if f.kind == kind and f.phase == "on-treatment"]
    if not measured:
        return None
    directions = {f.direction for f in measured if f.direction != "none"}
    if not directions:
        return "none"
    return combine_signs(1 if d == "increase" else -1 for d in directions)


def measured_size(findings: Sequence[Finding], target: str) -> str | None:
    """The size of the change: the largest magnitude measured on ``target``, else on a narrower measure of it.

    Only findings say it: a step's magnitude (finasteride lowers DHT strongly) says nothing of the end point.

    >>> f = Finding("f", "CHEBI:2704", "EFO:0007701", "decrease", (), (), magnitude="moderate")
    >>> measured_size([f], "EFO:0003923"), measured_size([], "EFO:0003923")
    ('moderate', None)
    """
    return magnitude_of(f.magnitude for f in findings if f.measure == target) or magnitude_of(
        f.magnitude for f in findings
    )


def effect(
    g: Store,
    source: str,
    target: str,
    ctx: Context,
    *,
    max_length: int = MAX_LENGTH,
    work: int = DEFAULT_WORK,
    timeout: float | None = None,
) -> Effect:
    """The effect of raising ``source`` on ``target`` in ``ctx``.

    ``predicted`` comes from the signs of the causal paths (``mixed`` when paths of both signs exist within
    ``max_length``, ``unknown`` when none does); ``paths`` holds the best :data:`EFFECT_PATH_LIMIT` paths
    and, when one sign is missing from those, the best path with that sign. ``observed`` comes from measured
    clinical findings of ``source`` on ``target`` or a narrower measure in that context (``none``: measured,
    no change); ``direction`` is the observed one when known; ``magnitude`` comes only from the findings.
    What ``source`` blocks is fixed by it (:mod:`kg.search.rules`): ``blocked`` names it and ``cut`` holds the
    best routes through it that the rule removed. Paths through the target's own negative feedback loop are
    set apart in ``feedback`` (see :func:`_feedback`): they attenuate, they do not make the prediction mixed.
    What is known only about narrower people than ``ctx`` names is in ``subgroups`` (:func:`subgroups`).
    """
    check_bounds(max_length)
    ctx = ctx.about(source)  # people on the source as a therapy are whom its effect is measured in
    own = _effect(g, source, target, ctx, max_length=max_length, work=work, timeout=timeout)
    members = [effect(g, m, target, ctx, max_length=max_length, work=work, timeout=timeout) for m in g.members(source)]
    return roll_up(own, [m for m in members if m.paths or m.findings or m.feedback])


def roll_up(own: Effect, members: Sequence[Effect]) -> Effect:
    """A class's effect with its members' (issue 14, rule 7): a drug class answers for its members.

    The members' paths, findings, subgroups and cut routes join the class's own; the prediction and the
    observation are made over all of them, and ``members`` names the members that contributed.
    """
    if not members:
        return own
    paths = [*own.paths, *(p for m in members for p in m.paths)]
    findings = [*own.findings, *(f for m in members for f in m.findings)]
    stated = (*own.stated, *(st for m in members for st in m.stated))
    every = [own, *members]
    return replace(
        own,
        predicted=combine_signs(p.sign for p in paths),
        observed=observed(findings, target=own.target),
        reported=reported(findings, stated, own.target),
        stated=stated,
        paths=tuple(paths),
        findings=tuple(findings),
        magnitude=measured_size(findings, own.target),
        truncated=any(e.truncated for e in every),
        timed_out=any(e.timed_out for e in every),
        blocked=tuple(dict.fromkeys(b for e in every for b in e.blocked)),
        cut=tuple(p for e in every for p in e.cut),
        feedback=tuple(p for e in every for p in e.feedback),
        loop_nodes=tuple(dict.fromkeys(n for e in every for n in e.loop_nodes)),
        subgroup_search=lambda: tuple(s for e in every for s in e.subgroups),
        members=tuple(m.source for m in members),
    )


def _effect(
    g: Store, source: str, target: str, ctx: Context, *, max_length: int, work: int, timeout: float | None
) -> Effect:
    """:func:`effect` of ``source`` itself (without its members)."""
    paths = source_paths(g, source, target, ctx, limit=EFFECT_PATH_LIMIT, timeout=timeout, max_length=max_length,
                         work=work)  # fmt: skip
    truncated, timed_out = paths.truncated, paths.timed_out
    complete = len(paths) < EFFECT_PATH_LIMIT and not truncated  # every path up to max_length is already here
    for sign in (1, -1):  # the best path of a sign missing from the best paths: mixed effects are not cut off
        if not complete and all(p.sign != sign for p in paths):
            more = source_paths(g, source, target, ctx, sign=sign, limit=1, timeout=timeout, max_length=max_length,
                                work=work)  # fmt: skip
            paths.extend(more)
            truncated, timed_out = truncated or more.truncated, timed_out or more.timed_out
    scope = scope_of(g, ctx)
    blocked = tuple(g.index.blocked(source, scope))
    cut: tuple[CausalPath, ...] = ()
    if blocked:  # the routes the rule cut, to show them as such
        every = g.index.paths(
            source, target, scope, max_length=max_length, limit=CUT_SHOWN, timeout=timeout,
            fixed=False, work=min(work, EXPLAIN_WORK), through=blocked, among=CUT_SEARCHED,
        )  # fmt: skip
        cut = tuple(to_path(g, p) for p in every.paths)
    feedback, loop_nodes = _feedback(g, source, target, ctx, paths, blocked, timeout=timeout, max_length=max_length,
                                     work=work)  # fmt: skip
    if feedback:
        apart = {id(p) for p in feedback}
        paths = PathList([p for p in paths if id(p) not in apart], truncated=paths.truncated, timed_out=timed_out)
    findings = tuple(g.findings_in(source, target, ctx))
    stated = net_effects(paths)
    return Effect(
        source=source,
        target=target,
        context=ctx.label,
        predicted=combine_signs(p.sign for p in paths),
        observed=observed(findings, target=target),
        reported=reported(findings, stated, target),
        paths=tuple(paths),
        findings=findings,
        magnitude=measured_size(findings, target),
        stated=stated,
        truncated=truncated,
        timed_out=timed_out,
        blocked=blocked,
        cut=cut,
        feedback=feedback,
        loop_nodes=loop_nodes,
        subgroup_search=partial(subgroups, g, source, target, ctx, max_length=max_length, work=work, timeout=timeout),
        graph=g,
        question=ctx,
    )


def subgroups(
    g: Store, source: str, target: str, ctx: Context, *, max_length: int, work: int, timeout: float | None = None
) -> tuple[Subgroup, ...]:
    """What is known of ``source`` → ``target`` only in subgroups of the people ``ctx`` names (issue 14, rule 1).

    The paths that need a statement about narrower people (searched with them admitted, the best
    :data:`EFFECT_PATH_LIMIT`) and the findings in narrower populations, grouped by whom they are about (a
    path by its narrowest such statement). Empty when ``ctx`` names no group of people.

    >>> import kg
    >>> g = kg.load()
    >>> found = subgroups(g, "CHEBI:2704", "EFO:0003923", g.context("postmenopausal women"), max_length=4, work=10_000)
    >>> [(s.who, s.observed) for s in found if s.findings][:1]
    [('postmenopausal women with hormone-receptor-positive breast cancer', 'decrease')]
    """
    if not ctx.names_whom:
        return ()
    wide, pops = ctx.with_subgroups(), g.populations
    groups: dict[tuple[tuple[str, str], ...], tuple[list[CausalPath], list[Finding]]] = {}

    def narrowing(context: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
        if "population" in context:
            return (("population", context["population"]),)
        whom = expand_qualifiers(context, pops)
        return tuple(sorted((k, v) for k, v in whom.items() if k in WHOM_KEYS and k not in ctx.qualifiers))

    found = source_paths(g, source, target, wide, limit=EFFECT_PATH_LIMIT, max_length=max_length,
                         work=min(work, EXPLAIN_WORK), timeout=timeout)  # fmt: skip
    for p in found:
        narrow = [st.context for st in p.statements if ctx.narrower(st.context, pops)]
        if narrow:
            key = narrowing(max(narrow, key=lambda c: len(expand_qualifiers(c, pops))))
            groups.setdefault(key, ([], []))[0].append(p)
    for f in g.findings_in(source, target, wide):
        if f.population and ctx.narrower({"population": f.population}, pops):
            groups.setdefault(narrowing({"population": f.population}), ([], []))[1].append(f)
    out = []
    for key, (paths, findings) in groups.items():
        who = "; ".join(g.label(v) if k == "population" else f"{k}={g.label(v)}" for k, v in key)
        predicted = combine_signs(p.sign for p in paths)
        seen = observed(findings, target=target)
        size = measured_size(findings, target)
        out.append(Subgroup(who, dict(key), predicted, seen, tuple(paths), tuple(findings), size, graph=g))
    return tuple(sorted(out, key=lambda s: s.who.casefold()))


def reported(findings: Sequence[Finding], stated: Sequence[Statement], target: str) -> Predicted | None:
    """What the sources report of the whole change; None when none says.

    That is the reported findings (the authors' qualitative claims), else the net effects stated
    (:func:`net_effects`).
    """
    said = observed(findings, "reported", target)
    return said if said is not None or not stated else combine_signs(st.sign for st in stated)


def net_effects(paths: Sequence[CausalPath]) -> tuple[Statement, ...]:
    """The statements among ``paths`` that state the net effect of the source on the target.

    They are the one-step summaries resting on a primary source (a paper, not the seed article nor curator
    inference).

    They report what a source found for the whole change ("glucocorticoid therapy decreases BMD"): without a
    finding, they give the answer's direction (``reported``) where the mechanisms alone would be mixed.
    """
    steps = [p.support[0] if p.support else p.statements for p in paths if p.length == 1]
    return tuple(st for step in steps for st in step if st.summary and any(source_weight(s) == 1 for s in st.sources))


def _feedback(
    g: Store,
    source: str,
    target: str,
    ctx: Context,
    paths: Sequence[CausalPath],
    blocked: Sequence[str],
    *,
    max_length: int,
    work: int,
    timeout: float | None,
) -> tuple[tuple[CausalPath, ...], tuple[str, ...]]:
    """The paths that reach ``target`` only through its own negative feedback loop, when they alone oppose.

    Feedback attenuates; it does not reverse: a path that passes a node X which ``target`` itself drives,
    (within :data:`LOOP_OUT` steps) such that target → … → X → … → target is a negative loop, is the
    target's compensation (hCG raises testosterone, which raises estradiol, which lowers LH); so is a path
    that runs into the *source's* own negative loop (:func:`compensation`: a fall of testosterone raises LH).
    The source's direct target (a first step by ``agonist_of``, ``activates``, ``inhibits``,
    ``antagonist_of``) is set by the source, not by the loop.
    Such paths are set apart — and so do not make the prediction mixed — only when paths of both signs exist,
    some path is not of this kind, and every path of the sign that only such paths carry (searched up to
    :data:`CUT_SEARCHED`, not truncated) is of this kind. Genuinely opposing mechanisms stay mixed. Returns
    the paths set apart and the loop nodes they pass.
    """
    if {p.sign for p in paths} != {1, -1}:
        return (), ()
    work = min(work, EXPLAIN_WORK)
    scope = scope_of(g, ctx)
    driven = loop_signs(g, target, scope, work=work, timeout=timeout)  # what the target drives, and how
    drives = loop_signs(g, source, scope, reverse=True, work=work, timeout=timeout)  # what drives the source
    if driven is None or drives is None:
        return (), ()

    def via(p: CausalPath) -> str | None:
        """The first node of ``p`` in a negative loop with the target or the source (its own target aside)."""
        for i, node in enumerate(p.nodes[1:-1], start=1):
            if i == 1 and (node in blocked or p.statements[0].predicate in DIRECT_ACTION):
                continue  # set by the source's own action on it (hCG on the LH receptor): not the target's doing
            rest = math.prod(st.sign for st in p.statements[i:])
            if any(d * rest == -1 for d in driven(node)):
                return node
        return compensation(p, drives)

    return set_apart(g, source, target, ctx, paths, via, max_length=max_length, work=work)


def set_apart(
    g: Store,
    source: str,
    target: str,
    ctx: Context,
    paths: Sequence[CausalPath],
    loop_node: Callable[[CausalPath], str | None],
    *,
    max_length: int,
    work: int,
) -> tuple[tuple[CausalPath, ...], tuple[str, ...]]:
    """The paths ``loop_node`` puts in a feedback loop, and those loop nodes, when they may be set apart.

    Only when some path is outside a loop, and every path of a sign that only loop paths carry (searched up to
    :data:`CUT_SEARCHED`, not truncated) is in a loop too; else nothing (genuinely opposing mechanisms).
    """
    where = [(p, loop_node(p)) for p in paths]
    loop = [p for p, node in where if node is not None]
    if len(loop) in (0, len(where)):
        return (), ()
    kept_signs = {p.sign for p, node in where if node is None}
    for sign in {p.sign for p in loop} - kept_signs:
        every = source_paths(g, source, target, ctx, sign=sign, limit=CUT_SEARCHED, max_length=max_length, work=work,
                             whole=True)  # fmt: skip
        if every.truncated or len(every) >= CUT_SEARCHED or any(loop_node(p) is None for p in every):
            return (), ()  # a path of that sign outside the loop (or not known): genuinely opposing
    return tuple(loop), tuple(dict.fromkeys(node for _, node in where if node is not None))


def loop_signs(
    g: Store, node: str, scope: Scope, *, reverse: bool = False, work: int, timeout: float | None = None
) -> Callable[[str], set[int]] | None:
    """How ``node`` drives each entity within :data:`LOOP_OUT` steps (``reverse``: how each drives ``node``).

    The signs are looked up per entity; None when that search was cut short.
    """
    near = g.index.reach(node, scope, max_length=LOOP_OUT, reverse=reverse, work=work, timeout=timeout)
    if near is None or near.truncated:
        return None
    index, known = g.table.node_index, {}

    def signs(entity: str) -> set[int]:
        if entity not in known:
            i = index.get(entity)
            known[entity] = set() if i is None else {-1 if near.keys[k] & 1 else 1 for k in near.states_of(i)}
        return known[entity]

    return signs


def compensation(p: CausalPath, drives: Callable[[str], set[int]]) -> str | None:
    """The first node X of ``p`` (after the source) where the path runs into the source's own negative loop.

    That is: the source reaches X with the opposite sign to the one X drives the source with (within
    :data:`LOOP_OUT` steps); None when the path never does.

    Such a path is the body's compensation of the change, not a second mechanism: a fall of testosterone raises LH
    (testosterone ⊣ LH → testosterone), which tempers the fall; it does not make spermatogenesis rise. Likewise a
    fall of estradiol in men raises testosterone (estradiol ⊣ LH → testosterone → estradiol), which tempers, but
    does not reverse, the loss of bone. A drug that starts the change has no loop of its own: anastrozole in men
    (estradiol down, testosterone up) stays mixed, and the findings decide.
    """
    sign = 1
    for i, node in enumerate(p.nodes[1:-1], start=1):
        sign *= p.statements[i - 1].sign
        if any(sign * d == -1 for d in drives(node)):
            return node
    return None
