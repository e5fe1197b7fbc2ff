"""Checks: the curation rules in Python (fast, with file-level detail) and the SHACL shapes on the RDF.

Both report :class:`~kg.errors.Violation` objects whose ``rule`` names match the SHACL shapes'
``sh:name``; ``strict=True`` raises :class:`~kg.errors.ValidationError` listing all of them.

>>> from kg.model import Curation
>>> check_curation(Curation())
[]
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.errors import ValidationError, Violation
from kg.model import CATEGORIES, CONTEXT_KEYS, MAGNITUDES, Curation, Statement
from kg.namespaces import PREFIXES, compress, prefix_of
from kg.ontology import ontology_graph, schema, shapes_graph

__all__ = ["check_curation", "find_conflicts", "shacl_violations", "validate_curation", "validate_graph"]

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
    """Every rule broken by ``cur`` (entities, statements, findings, sources, contexts)."""
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
        ("statement", [s.id for s in cur.statements]),
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

    for st in cur.statements:
        _check_statement(st, entity_ids, source_ids, pop_ids, regimen_ids, out)
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


def _check_statement(
    st: Statement,
    entity_ids: set[str],
    source_ids: set[str],
    pop_ids: set[str],
    regimen_ids: set[str],
    out: list[Violation],
) -> None:
    focus = st.curie
    if not _SLUG.match(st.id):
        out.append(Violation("id-syntax", focus, "a statement id is a slug (letters, digits, . _ -)"))
    info = schema().predicates.get(st.predicate)
    if info is None:
        out.append(Violation("known-predicate", focus, f"unknown predicate {st.predicate!r}"))
    elif st.sign != info.polarity:
        out.append(
            Violation(
                "sign-matches-polarity",
                focus,
                f"the sign {st.sign:+d} contradicts the polarity {info.polarity:+d} of {st.predicate!r}",
            )
        )
    for role, value in (("subject", st.subject), ("object", st.object)):
        problem = _curie_problem(value)
        if problem:
            out.append(Violation("registered-prefix", focus, f"{role}: {problem}"))
        elif value not in entity_ids:
            out.append(Violation("declared-entity", focus, f"{role} {value} is not a declared entity"))
    if st.magnitude is not None and st.magnitude not in MAGNITUDES:
        out.append(Violation("known-magnitude", focus, f"magnitude {st.magnitude!r} is not one of {list(MAGNITUDES)}"))
    if st.reaction is not None and st.predicate not in _ENZYME_PREDICATES:
        out.append(Violation("reaction-pairing", focus, "only substrate_of / produces statements carry a reaction"))
    if st.predicate == "substrate_of" and st.reaction is None:
        out.append(Violation("reaction-pairing", focus, "a substrate_of statement needs its reaction"))
    if st.evidence_type is not None and not re.fullmatch(r"ECO:\d{7}", st.evidence_type):
        out.append(Violation("evidence-type-is-eco", focus, f"{st.evidence_type!r} is not an ECO CURIE"))
    _check_context(focus, dict(st.context), pop_ids, regimen_ids, out, allow_population=True)
    _check_provenance(focus, st.sources, st.evidence, source_ids, out)


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


def shacl_violations(graph: Graph) -> list[Violation]:
    """Run the SHACL shapes (with the ontology) over ``graph``; one :class:`Violation` per result."""
    from pyshacl import validate  # heavy import, only when validating

    conforms, results, _ = validate(
        graph,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        advanced=True,
        allow_warnings=False,
    )
    if conforms:
        return []
    if not isinstance(results, Graph):
        raise TypeError("pyshacl returned no results graph")
    return _report_violations(results)


def _report_violations(report: Graph) -> list[Violation]:
    sh = "http://www.w3.org/ns/shacl#"
    out: list[Violation] = []
    for result in report.subjects(RDF.type, URIRef(sh + "ValidationResult")):
        focus = report.value(result, URIRef(sh + "focusNode"))
        message = report.value(result, URIRef(sh + "resultMessage"))
        name = None
        for key in ("sourceConstraint", "sourceShape"):
            node = report.value(result, URIRef(sh + key))
            if node is not None:
                name = report.value(node, URIRef(sh + "name")) or _shape_name(node)
            if name is not None:
                break
        out.append(Violation(str(name or "shacl"), _focus(focus), str(message or "violates a shape")))
    return sorted(out, key=lambda v: (v.focus, v.rule, v.message))


def _shape_name(shape: Node) -> str | None:
    value = shapes_graph().value(shape, URIRef("http://www.w3.org/ns/shacl#name"))
    return None if value is None else str(value)


def _focus(node: object) -> str:
    if isinstance(node, URIRef):
        try:
            return compress(str(node))
        except ValueError:
            return str(node)
    return str(node)


def validate_graph(graph: Graph, what: str = "graph") -> None:
    """Raise :class:`ValidationError` if ``graph`` does not conform to the SHACL shapes."""
    violations = shacl_violations(graph)
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
