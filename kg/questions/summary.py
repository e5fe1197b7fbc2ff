"""An effect in a few lines of plain text: what ``print(effect)`` and ``Effect.summary()`` show.

The headline names the change with labels (``anastrozole → bone mineral density (postmenopausal women):
decrease``), the basis says what the direction rests on (measured findings, the sources' reports, or the
signs of the paths), then the top paths with their signs, the findings and the subgroups. It reads an
effect through :class:`EffectView` (a :class:`kg.questions.results.Effect`), so it needs nothing from the
results module.

>>> plural(1, "path"), plural(3, "path")
('1 path', '3 paths')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from kg.model import Finding
from kg.questions.html import Names, PathView

__all__ = [
    "EffectView",
    "SubgroupView",
    "basis",
    "headline",
    "paths_text",
    "plural",
    "reach_head",
    "stopped",
    "summary",
]


class SubgroupView(Protocol):
    """What a summary reads of a subgroup (a :class:`kg.questions.results.Subgroup`)."""

    @property
    def who(self) -> str: ...  # noqa: D102
    @property
    def direction(self) -> str: ...  # noqa: D102
    @property
    def paths(self) -> Sequence[PathView]: ...  # noqa: D102
    @property
    def findings(self) -> Sequence[Finding]: ...  # noqa: D102


class EffectView(Protocol):
    """What a summary reads of an effect (a :class:`kg.questions.results.Effect`)."""

    @property
    def source(self) -> str: ...  # noqa: D102
    @property
    def target(self) -> str: ...  # noqa: D102
    @property
    def context(self) -> str: ...  # noqa: D102
    @property
    def change(self) -> str: ...  # noqa: D102
    @property
    def direction(self) -> str: ...  # noqa: D102
    @property
    def predicted(self) -> str: ...  # noqa: D102
    @property
    def observed(self) -> str | None: ...  # noqa: D102
    @property
    def reported(self) -> str | None: ...  # noqa: D102
    @property
    def paths(self) -> Sequence[PathView]: ...  # noqa: D102
    @property
    def feedback(self) -> Sequence[PathView]: ...  # noqa: D102
    @property
    def findings(self) -> Sequence[Finding]: ...  # noqa: D102
    @property
    def magnitude(self) -> str | None: ...  # noqa: D102
    @property
    def truncated(self) -> bool: ...  # noqa: D102
    @property
    def timed_out(self) -> bool: ...  # noqa: D102
    @property
    def subgroups(self) -> Sequence[SubgroupView]: ...  # noqa: D102


def plural(n: int, word: str) -> str:
    """``n`` and ``word``, with an ``s`` unless ``n`` is 1."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def stopped(truncated: bool, timed_out: bool) -> str:
    """What a result that stopped early says of itself (empty when it is complete).

    >>> stopped(True, False)
    ' (the search stopped early: more may exist)'
    """
    if timed_out:
        return " (stopped by the timeout: more may exist)"
    return " (the search stopped early: more may exist)" if truncated else ""


def paths_text(paths: Sequence[PathView], names: Names, *, truncated: bool, timed_out: bool) -> str:
    """A count of the paths, then one numbered line per path: its net sign and its chain."""
    lines = [f"{i}. net {names.word(p.sign)}: {p.compact()}" for i, p in enumerate(paths, start=1)]
    return "\n".join([plural(len(paths), "path") + stopped(truncated, timed_out), *lines])


def reach_head(e: EffectView, names: Names, *, downstream: bool) -> str:
    """What a reach's directions mean, from one of its effects (``downstream``: the effect's source is asked about).

    Downstream, each direction is that of the entity when the source changes as asked; upstream, that of the
    target when the entity is raised.
    """
    if downstream:
        return f": how each changes when {names.label(e.source)} {e.change}s"
    return f": how raising each changes {names.label(e.target)}"


def headline(e: EffectView, names: Names) -> str:
    """``anastrozole → bone mineral density (postmenopausal women): decrease`` (``lowering X`` for a fall of X)."""
    label = names.label
    source = f"lowering {label(e.source)}" if e.change == "decrease" else label(e.source)
    return f"{source} → {label(e.target)} ({e.context}): {e.direction}"


def basis(e: EffectView) -> str:
    """What the direction rests on: measured findings, else what the sources report, else the paths' signs."""
    paths = f"{plural(len(e.paths), 'causal path')} (predicted {e.predicted})" if e.paths else "no causal path"
    stopped = "; the search stopped early" if e.truncated or e.timed_out else ""
    if e.observed is not None:
        measured = sum(f.kind == "measured" for f in e.findings)
        return f"basis: {plural(measured, 'measured finding')} ({e.observed}); {paths}{stopped}"
    if e.reported is not None:
        return f"basis: what the sources report ({e.reported}), no measured finding; {paths}{stopped}"
    return f"basis: {paths}; no measured or reported finding{stopped}"


def summary(e: EffectView, names: Names, top: int = 3) -> str:
    """The headline, its basis, the ``top`` paths with their signs, the findings and the subgroups, a line each."""
    lines = [headline(e, names), basis(e)]
    if e.paths:
        lines.append(f"top paths ({min(top, len(e.paths))} of {len(e.paths)}):")
        lines += [f"  {i}. net {names.word(p.sign)}: {p.compact()}" for i, p in enumerate(e.paths[:top], start=1)]
    if e.feedback:
        lines.append(f"set apart: {plural(len(e.feedback), 'path')} through the target's own negative feedback loop")
    size = f" (magnitude {e.magnitude})" if e.magnitude else ""
    lines.append(f"findings: {len(e.findings)}{size}")
    groups = [f"{s.who}: {s.direction} ({plural(len(s.findings), 'finding')}, {plural(len(s.paths), 'path')})"
              for s in e.subgroups]  # fmt: skip
    lines.append("subgroups: " + ("; ".join(groups) or "none"))
    return "\n".join(lines)
