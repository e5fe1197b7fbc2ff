"""The rules every load applies: the records by :func:`check_curation`, the statements by :func:`check_table`.

One implementation of each rule, whatever format the data came from (curation YAML, RDF of any size, an
endpoint). Each reports :class:`~kg.errors.Violation` objects whose ``rule`` names match the SHACL shapes'
``sh:name`` (:mod:`kg.validation.shacl`, the published contract of the RDF shape, run on request).

>>> from kg.model import Curation
>>> check_curation(Curation())
[]
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import numpy as np

from kg.errors import ValidationError, Violation
from kg.model import CATEGORIES, CONTEXT_KEYS, MAGNITUDES, VALUE_TYPES, Curation, Statement
from kg.ontology import schema
from kg.prefixes import PREFIXES, prefix_of
from kg.table import StatementTable

__all__ = ["check_curation", "check_table", "find_conflicts", "validate_curation"]

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_FINDING_KINDS = frozenset({"measured", "reported"})
_DIRECTIONS = frozenset({"increase", "decrease", "none"})
_ENZYME_PREDICATES = frozenset({"substrate_of", "produces"})


def _curie_problem(value: str) -> str | None:
    if not isinstance(value, str) or ":" not in value:
        return f"{value!r} is not a CURIE (expected PREFIX:local)"
    try:
        prefix = prefix_of(value)
    except ValueError:
        return f"{value!r} is not a CURIE (expected PREFIX:local)"
    if prefix not in PREFIXES:
        return f"{value!r} has the unregistered prefix {prefix!r}"
    return None


def check_curation(cur: Curation) -> list[Violation]:
    """Every rule broken by the records of ``cur`` (entities, findings, sources, populations, regimens).

    Statements are checked in the table by :func:`check_table`, whatever format they came from.
    """
    out: list[Violation] = []
    entity_ids = {e.id for e in cur.entities}
    source_ids = {s.id for s in cur.sources}
    pop_ids = {p.id for p in cur.populations}
    regimen_ids = {r.id for r in cur.regimens}

    def curie(rule_focus: str, value: str, what: str) -> bool:
        problem = _curie_problem(value)
        if problem:
            out.append(Violation("registered-prefix", rule_focus, f"{what}: {problem}"))
            return False
        return True

    for kind, ids in (
        ("entity", [e.id for e in cur.entities]),
        ("finding", [f.id for f in cur.findings]),
        ("source", [s.id for s in cur.sources]),
        ("population", [p.id for p in cur.populations]),
        ("regimen", [r.id for r in cur.regimens]),
    ):
        for dup, count in sorted(Counter(ids).items()):
            if count > 1:
                out.append(Violation("unique-id", dup, f"the {kind} id is declared {count} times"))

    for e in cur.entities:
        if curie(e.id, e.id, "entity id") and prefix_of(e.id) == "HKG" and not e.comment:
            out.append(Violation("project-id-comment", e.id, "a project (HKG:) id needs a comment saying why"))
        if not e.label.strip():
            out.append(Violation("entity-has-label", e.id, "an entity needs a label"))
        if e.category not in CATEGORIES or e.category in ("Population", "Regimen"):
            out.append(Violation("entity-has-category", e.id, f"unknown category {e.category!r}"))
        for ref in (*e.xrefs, *e.broader):
            curie(e.id, ref, "cross-reference")
        for b in e.broader:
            if b not in entity_ids:
                out.append(Violation("declared-entity", e.id, f"broader entity {b} is not declared"))

    out.extend(_alias_problems(cur))

    for s in cur.sources:
        curie(s.id, s.id, "source id")
        if not (s.id.startswith(("PMID:", "DOI:", "src:"))):
            out.append(Violation("source-id", s.id, "a source id is a PMID:, DOI: or src: CURIE"))

    for p in cur.populations:
        curie(p.id, p.id, "population id")
        _check_context(p.id, dict(p.qualifiers), pop_ids, regimen_ids, out, allow_population=False)
    for r in cur.regimens:
        curie(r.id, r.id, "regimen id")
        if r.drug not in entity_ids:
            out.append(Violation("declared-entity", r.id, f"regimen drug {r.drug} is not declared"))

    for f in cur.findings:
        if not _SLUG.match(f.id):
            out.append(Violation("id-syntax", f.id, "a finding id is a slug (letters, digits, . _ -)"))
        for role, value in (("intervention", f.intervention), ("measure", f.measure)):
            if value not in entity_ids:
                out.append(Violation("declared-entity", f.id, f"{role} {value} is not a declared entity"))
        if f.site is not None and f.site not in entity_ids:
            out.append(Violation("declared-entity", f.id, f"site {f.site} is not a declared entity"))
        if f.comparator not in (None, "baseline", "placebo") and f.comparator not in entity_ids:
            out.append(
                Violation("declared-entity", f.id, f"comparator {f.comparator} is not baseline, placebo or an entity")
            )
        if f.population is None:
            out.append(Violation("finding-has-population", f.id, "a finding needs the population it was observed in"))
        elif f.population not in pop_ids:
            out.append(Violation("declared-context", f.id, f"population {f.population} is not declared"))
        if f.regimen is not None and f.regimen not in regimen_ids:
            out.append(Violation("declared-context", f.id, f"regimen {f.regimen} is not declared"))
        if f.direction not in _DIRECTIONS:
            out.append(
                Violation("finding-direction", f.id, f"direction {f.direction!r} is not increase, decrease or none")
            )
        if f.phase not in ("on-treatment", "off-treatment"):
            out.append(Violation("finding-phase", f.id, f"phase {f.phase!r} is not on-treatment or off-treatment"))
        if f.value_type not in VALUE_TYPES:
            wrong = f"value_type {f.value_type!r} is not one of {list(VALUE_TYPES)}"
            out.append(Violation("finding-value-type", f.id, wrong))
        if f.kind not in _FINDING_KINDS:
            out.append(Violation("finding-kind", f.id, f"kind {f.kind!r} is not measured or reported"))
        if f.magnitude is not None and f.magnitude not in MAGNITUDES:
            out.append(
                Violation("known-magnitude", f.id, f"magnitude {f.magnitude!r} is not one of {list(MAGNITUDES)}")
            )
        _check_provenance(f.id, f.sources, f.evidence, source_ids, out)
    return out


def _alias_problems(cur: Curation) -> list[Violation]:
    """Entities declared twice under two ids (one xrefs the other) and cycles of ``broader`` links."""
    out: list[Violation] = []
    ids = {e.id for e in cur.entities}
    for e in cur.entities:
        for x in e.xrefs:
            if x == e.id:
                out.append(Violation("alias-cycle", e.id, "an entity lists itself as a cross-reference"))
            elif x in ids:
                out.append(
                    Violation("alias-cycle", e.id, f"cross-reference {x} is itself a declared entity: merge them")
                )
    broader = {e.id: e.broader for e in cur.entities}
    reported: set[str] = set()
    for start in sorted(broader):
        seen = [start]
        todo = list(broader[start])
        while todo:
            node = todo.pop()
            if node == start:
                if start not in reported:
                    out.append(Violation("alias-cycle", start, "its broader entities lead back to itself"))
                    reported.add(start)
                break
            if node not in seen:
                seen.append(node)
                todo.extend(broader.get(node, ()))
    return out


def _check_provenance(
    focus: str, sources: Sequence[str], evidence: Sequence[object], source_ids: set[str], out: list[Violation]
) -> None:
    if not sources:
        out.append(Violation("statement-has-source", focus, "no source"))
    if not evidence:
        out.append(Violation("statement-has-evidence", focus, "no evidence text"))
    for src in sources:
        if src not in source_ids:
            out.append(Violation("source-is-registered", focus, f"source {src} is not in the reference registry"))
    for ev in evidence:
        source = getattr(ev, "source", None)
        if source not in sources:
            out.append(
                Violation("evidence-source-cited", focus, f"evidence quotes {source}, which is not among the sources")
            )


def _check_context(
    focus: str,
    context: dict[str, str],
    pop_ids: set[str],
    regimen_ids: set[str],
    out: list[Violation],
    *,
    allow_population: bool,
) -> None:
    for key, value in context.items():
        if key not in CONTEXT_KEYS or (key == "population" and not allow_population):
            out.append(Violation("known-context", focus, f"unknown context qualifier {key!r}"))
            continue
        allowed = CONTEXT_KEYS[key]
        if allowed is not None:
            if value not in allowed:
                out.append(
                    Violation("known-context", focus, f"context {key}={value!r}; expected one of {sorted(allowed)}")
                )
            continue
        problem = _curie_problem(value)
        if problem:
            out.append(Violation("registered-prefix", focus, f"context {key}: {problem}"))
        elif key == "population" and value not in pop_ids:
            out.append(Violation("declared-context", focus, f"population {value} is not declared"))
        elif key == "regimen" and value not in regimen_ids:
            out.append(Violation("declared-context", focus, f"regimen {value} is not declared"))


def validate_curation(cur: Curation, what: str = "curation") -> None:
    """Raise :class:`ValidationError` listing every rule ``cur`` breaks."""
    violations = check_curation(cur)
    if violations:
        raise ValidationError(violations, what=what)


def find_conflicts(statements: Iterable[Statement]) -> list[tuple[Statement, Statement]]:
    """Pairs of causal statements on the same subject, object and context with opposite signs."""
    groups: dict[tuple[str, str, tuple[tuple[str, str], ...]], list[Statement]] = defaultdict(list)
    for st in statements:
        if st.causal:
            groups[(st.subject, st.object, tuple(sorted(st.context.items())))].append(st)
    pairs: list[tuple[Statement, Statement]] = []
    for group in groups.values():
        for i, a in enumerate(group):
            pairs.extend((a, b) for b in group[i + 1 :] if a.sign != b.sign)
    return pairs


def check_table(table: StatementTable, cur: Curation) -> list[Violation]:
    """Every rule the statements of ``table`` break, column by column; ``cur`` holds the records they refer to."""
    out: list[Violation] = []
    ids = table.ids
    info = schema().predicates
    entity_ids = {e.id for e in cur.entities}
    source_ids = {s.id for s in cur.sources}
    pop_ids = {p.id for p in cur.populations}
    regimen_ids = {r.id for r in cur.regimens}

    def focus(i: int) -> str:
        return f"stmt:{ids[i]}"

    for dup, count in sorted(Counter(ids).items()) if len(set(ids)) < len(ids) else ():
        if count > 1:
            out.append(Violation("unique-id", f"stmt:{dup}", f"the statement id is declared {count} times"))
    for i in (i for i, x in enumerate(ids) if not _SLUG.match(x)):
        out.append(Violation("id-syntax", focus(i), "a statement id is a slug (letters, digits, . _ -)"))
    polarity = np.array([info[p].polarity if p in info else 9 for p in table.predicates] or [9], dtype=np.int64)
    pol = polarity[table.predicate] if len(table) else np.zeros(0, dtype=np.int64)
    for i in np.flatnonzero(pol == 9).tolist():
        out.append(
            Violation("known-predicate", focus(i), f"unknown predicate {table.predicates[table.predicate[i]]!r}")
        )
    for i in np.flatnonzero((pol != 9) & (pol != table.sign)).tolist():
        p = table.predicates[table.predicate[i]]
        message = f"the sign {int(table.sign[i]):+d} contradicts the polarity {info[p].polarity:+d} of {p!r}"
        out.append(Violation("sign-matches-polarity", focus(i), message))
    node_problem = [_curie_problem(c) for c in table.nodes]
    undeclared = np.array([p is None and c not in entity_ids for c, p in zip(table.nodes, node_problem, strict=True)]
                          or [False], dtype=np.bool_)  # fmt: skip
    bad_prefix = np.array([p is not None for p in node_problem] or [False], dtype=np.bool_)
    for role, column in (("subject", table.subject), ("object", table.object)):
        for i in np.flatnonzero(bad_prefix[column]).tolist():
            out.append(Violation("registered-prefix", focus(i), f"{role}: {node_problem[column[i]]}"))
        for i in np.flatnonzero(undeclared[column]).tolist():
            out.append(
                Violation("declared-entity", focus(i), f"{role} {table.nodes[column[i]]} is not a declared entity")
            )
    enzyme = np.array([p in ("substrate_of", "produces") for p in table.predicates] or [False], dtype=np.bool_)
    is_enzyme = enzyme[table.predicate] if len(table) else np.zeros(0, dtype=np.bool_)
    sub_code = table.predicates.index("substrate_of") if "substrate_of" in table.predicates else -1
    for i in np.flatnonzero((table.reaction >= 0) & ~is_enzyme).tolist():
        out.append(Violation("reaction-pairing", focus(i), "only substrate_of / produces statements carry a reaction"))
    for i in np.flatnonzero((table.predicate == sub_code) & (table.reaction < 0)).tolist():
        out.append(Violation("reaction-pairing", focus(i), "a substrate_of statement needs its reaction"))
    bad_eco = np.array([not re.fullmatch(r"ECO:\d{7}", e) for e in table.evidence_types] or [False], dtype=np.bool_)
    et = table.evidence_type
    for i in np.flatnonzero((et >= 0) & bad_eco[np.maximum(et, 0)]).tolist():
        out.append(Violation("evidence-type-is-eco", focus(i), f"{table.evidence_types[et[i]]!r} is not an ECO CURIE"))
    per_context: list[list[Violation]] = []
    for ctx in table.contexts:
        found: list[Violation] = []
        _check_context("", dict(ctx), pop_ids, regimen_ids, found, allow_population=True)
        per_context.append(found)
    for code in (c for c, found in enumerate(per_context) if found):
        for i in np.flatnonzero(table.context == code).tolist():
            out.extend(Violation(v.rule, focus(i), v.message) for v in per_context[code])
    n_src = np.diff(table.source_ptr)
    n_ev = np.diff(table.evidence_ptr)
    for i in np.flatnonzero(n_src == 0).tolist():
        out.append(Violation("statement-has-source", focus(i), "no source"))
    for i in np.flatnonzero(n_ev == 0).tolist():
        out.append(Violation("statement-has-evidence", focus(i), "no evidence text"))
    unregistered = np.array([s not in source_ids for s in table.sources] or [False], dtype=np.bool_)
    owner = np.repeat(np.arange(len(table), dtype=np.int64), n_src)
    for j in np.flatnonzero(unregistered[table.source_idx]).tolist() if len(table.source_idx) else []:
        message = f"source {table.sources[table.source_idx[j]]} is not in the reference registry"
        out.append(Violation("source-is-registered", focus(int(owner[j])), message))
    ev_owner = np.repeat(np.arange(len(table), dtype=np.int64), n_ev)
    width = len(table.sources) + 1
    cited = np.unique(owner * width + table.source_idx) if len(owner) else np.zeros(0, dtype=np.int64)
    quoted = ev_owner * width + table.evidence_source
    for j in np.flatnonzero(~np.isin(quoted, cited)).tolist() if len(quoted) else []:
        message = f"evidence quotes {table.sources[table.evidence_source[j]]}, which is not among the sources"
        out.append(Violation("evidence-source-cited", focus(int(ev_owner[j])), message))
    order = {s: i for i, s in enumerate(ids)}
    return sorted(out, key=lambda v: (order.get(v.focus[5:], -1), v.rule, v.message))
