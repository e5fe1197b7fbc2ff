"""``effect``: the predicted (paths), observed (measured findings) and reported direction of one change.

>>> import kg
>>> g = kg.load()
>>> e = effect(g, "CHEBI:2704", "CHEBI:16469", g.context("postmenopausal women"))
>>> e.predicted
'decrease'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from kg.context import Context
from kg.model import Finding
from kg.questions.paths import causal_paths, to_path
from kg.questions.results import CausalPath, Effect, PathList, Predicted, combine_signs, magnitude_of
from kg.questions.scope import MAX_LENGTH, check_bounds, scope_of
from kg.search import DEFAULT_WORK, Scope
from kg.search.rules import DIRECT_ACTION
from kg.store.store import Store

__all__ = ["EFFECT_PATH_LIMIT", "compensation", "effect", "loop_signs", "observed", "set_apart"]

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


def observed(findings: Sequence[Finding], kind: str = "measured") -> Predicted | None:
    """The direction the on-treatment findings of ``kind`` agree on (None without any)."""
    measured = [f for f in findings if f.kind == kind and f.phase == "on-treatment"]
    if not measured:
        return None
    directions = {f.direction for f in measured if f.direction != "none"}
    if not directions:
        return "none"
    return combine_signs(1 if d == "increase" else -1 for d in directions)


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
    """
    check_bounds(max_length)
    bounds = {"max_length": max_length, "work": work}
    paths = causal_paths(g, source, target, ctx, limit=EFFECT_PATH_LIMIT, timeout=timeout, **bounds)
    truncated, timed_out = paths.truncated, paths.timed_out
    complete = len(paths) < EFFECT_PATH_LIMIT and not truncated  # every path up to max_length is already here
    for sign in (1, -1):  # the best path of a sign missing from the best paths: mixed effects are not cut off
        if not complete and all(p.sign != sign for p in paths):
            more = causal_paths(g, source, target, ctx, sign=sign, limit=1, timeout=timeout, **bounds)
            paths.extend(more)
            truncated, timed_out = truncated or more.truncated, timed_out or more.timed_out
    scope = scope_of(g, ctx)
    blocked = tuple(g.index.blocked(source, scope))
    cut: tuple[CausalPath, ...] = ()
    if blocked:  # the routes the rule cut, to show them as such
        every = g.index.paths(
            source, target, scope, max_length=max_length, limit=CUT_SEARCHED, timeout=timeout,
            fixed=False, work=min(work, EXPLAIN_WORK),
        )  # fmt: skip
        cut = tuple(to_path(g, p) for p in every.paths if set(p.nodes[2:]) & set(blocked))[:CUT_SHOWN]
    feedback, loop_nodes = _feedback(g, source, target, ctx, paths, blocked, timeout=timeout, **bounds)
    if feedback:
        apart = {id(p) for p in feedback}
        paths = PathList([p for p in paths if id(p) not in apart], truncated=paths.truncated, timed_out=timed_out)
    findings = tuple(g.findings_in(source, target, ctx))
    # the size of the change only from what was measured on this target (or a narrower measure of it): a
    # step's magnitude (finasteride lowers DHT strongly) says nothing of the end point
    own = [f.magnitude for f in findings if f.measure == target]
    magnitude = magnitude_of(own) or magnitude_of(f.magnitude for f in findings)
    return Effect(
        source=source,
        target=target,
        context=ctx.label,
        predicted=combine_signs(p.sign for p in paths),
        observed=observed(findings),
        reported=observed(findings, "reported"),
        paths=tuple(paths),
        findings=findings,
        magnitude=magnitude,
        truncated=truncated,
        timed_out=timed_out,
        blocked=blocked,
        cut=cut,
        feedback=feedback,
        loop_nodes=loop_nodes,
    )


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
        every = causal_paths(g, source, target, ctx, sign=sign, limit=CUT_SEARCHED, max_length=max_length, work=work)
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
