"""Contexts: which statements and findings apply to a question about a population or a mapping.

A context is ``None`` (everything applies), a population's label, synonym or CURIE, or a mapping of
qualifiers such as ``{"sex": "male"}``. Both sides are expanded to plain qualifiers (a population becomes
its own qualifiers); a statement applies unless a qualifier that both set disagrees.

>>> from kg.model import Population
>>> pops = {"pop:pm": Population("pop:pm", "postmenopausal women", {"sex": "female"})}
>>> ctx = Context.parse({"sex": "male"}, pops)
>>> ctx.admits({"population": "pop:pm"}, pops), ctx.admits({}, pops)
(False, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from types import MappingProxyType

from kg.errors import UnknownContextError
from kg.model import CONTEXT_KEYS, Population
from kg.namespaces import is_curie

__all__ = ["Context", "ContextLike", "expand_qualifiers"]

ContextLike = str | Mapping[str, str] | None


def expand_qualifiers(context: Mapping[str, str], populations: Mapping[str, Population]) -> dict[str, str]:
    """The context's qualifiers with any ``population`` replaced by that population's own qualifiers.

    Explicit qualifiers win over the population's (a statement may narrow its population).
    """
    out: dict[str, str] = {}
    pop_id = context.get("population")
    if pop_id is not None and pop_id in populations:
        out.update(populations[pop_id].qualifiers)
    out.update({k: v for k, v in context.items() if k != "population"})
    return out


@dataclass(frozen=True)
class Context:
    """A parsed query context: plain qualifiers, and the population it came from (if any)."""

    qualifiers: Mapping[str, str]
    population: str | None = None
    label: str = "any context"

    @classmethod
    def parse(cls, context: ContextLike, populations: Mapping[str, Population]) -> Context:
        """Parse what a user passed; raises :class:`UnknownContextError` naming the problem."""
        if context is None:
            return cls(MappingProxyType({}))
        if isinstance(context, str):
            pop = _find_population(context, populations)
            return cls(MappingProxyType(dict(pop.qualifiers)), pop.id, pop.label)
        if not isinstance(context, Mapping):
            raise UnknownContextError(f"a context is a population name or a mapping, not {type(context).__name__}")
        checked: dict[str, str] = {}
        for key, value in context.items():
            if key not in CONTEXT_KEYS:
                raise UnknownContextError(f"unknown context qualifier {key!r}; expected one of {sorted(CONTEXT_KEYS)}")
            if not isinstance(value, str):
                raise UnknownContextError(f"context qualifier {key!r} must be text, not {type(value).__name__}")
            allowed = CONTEXT_KEYS[key]
            if allowed is not None and value not in allowed:
                raise UnknownContextError(f"context {key}={value!r} is impossible; expected one of {sorted(allowed)}")
            if key == "population":
                value = _find_population(value, populations).id
            elif allowed is None and not is_curie(value):
                raise UnknownContextError(f"context {key}={value!r} must be a CURIE with a registered prefix")
            checked[key] = value
        qualifiers = expand_qualifiers(checked, populations)
        _check_consistent(checked, populations)
        label = ", ".join(f"{k}={v}" for k, v in sorted(checked.items())) or "any context"
        return cls(MappingProxyType(qualifiers), checked.get("population"), label)

    def admits(self, context: Mapping[str, str], populations: Mapping[str, Population]) -> bool:
        """Whether a statement or finding restricted to ``context`` applies here."""
        if not self.qualifiers or not context:
            return True
        theirs = expand_qualifiers(context, populations)
        return all(self.qualifiers[k] == v for k, v in theirs.items() if k in self.qualifiers)


def _find_population(name: str, populations: Mapping[str, Population]) -> Population:
    if name in populations:
        return populations[name]
    wanted = name.strip().casefold()
    for pop in populations.values():
        if wanted in (n.casefold() for n in (pop.label, *pop.synonyms)):
            return pop
    names = [n for pop in populations.values() for n in (pop.label, *pop.synonyms)]
    close = get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise UnknownContextError(f"unknown population {name!r}{hint}")


def _check_consistent(context: Mapping[str, str], populations: Mapping[str, Population]) -> None:
    pop_id = context.get("population")
    if pop_id is None:
        return
    for key, value in populations[pop_id].qualifiers.items():
        if key in context and context[key] != value:
            raise UnknownContextError(
                f"impossible context: {key}={context[key]!r} contradicts population {pop_id} ({key}={value!r})"
            )
