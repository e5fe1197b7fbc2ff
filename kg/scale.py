"""Big graphs: Turtle / N-Triples in the compiled shape -> a :class:`KnowledgeGraph` on a compiled index.

The path for files of 10^4 statements and more (see :data:`FAST_PATH_BYTES`):

1. **parse** with pyoxigraph's streaming parser (no rdflib graph, no store): statement triples go straight
   into columns (:class:`kg.compiled.StatementTable`); entity triples into :class:`~kg.model.Entity`
   records; the few sources, populations, regimens and findings into a small rdflib graph read by
   :func:`kg.reader.read_graph`, so that they mean exactly what they mean elsewhere;
2. **validate** with the rules of :func:`kg.validate.check_curation` (same rule names and messages): the
   small records by that function itself, the statements by a columnar check of the same rules.
   pyshacl is not run here (it needs minutes and gigabytes at 10^6 statements; SHACL stays for the
   curated files);
3. **compile** the causal projection into :class:`kg.compiled.CompiledIndex` (CSR arrays, signed search).

The result is a :class:`LargeKnowledgeGraph`: a :class:`KnowledgeGraph` whose ``statements`` are made on
access and whose ``curation`` (with every statement) is only built if asked for (``g.nx``, ``g.rdf``).

>>> from kg.scale import use_fast_path
>>> use_fast_path([])
False
"""

from __future__ import annotations

import os
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from kg.compiled import CompiledIndex, StatementMap, StatementTable
from kg.errors import CurationError, ValidationError, Violation
from kg.graph import KnowledgeGraph
from kg.model import MAGNITUDES, Curation, Entity, FrozenMap
from kg.namespaces import PREFIXES, CurieError, compress
from kg.resolve import NameIndex

__all__ = ["FAST_PATH_BYTES", "LargeKnowledgeGraph", "check_table", "load_large", "read_large", "use_fast_path"]

#: Extra files larger than this in total (about 10^4 statements of Turtle) take the fast path.
FAST_PATH_BYTES = 8 * 1024 * 1024

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"
_HKG = PREFIXES["hkg"]
_STMT = PREFIXES["stmt"]
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_FORMATS = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".nq": "N_QUADS", ".trig": "TRIG"}

# statement fields (the code each predicate IRI is dispatched on)
_SUBJECT, _PREDICATE, _OBJECT, _SIGN, _NEGATED, _MAGNITUDE, _REACTION, _ETYPE, _NOTE, _SOURCE, _EVIDENCE = range(11)
_STATEMENT_PROPS = {
    _RDF + "subject": _SUBJECT, _RDF + "predicate": _PREDICATE, _RDF + "object": _OBJECT, _HKG + "sign": _SIGN,
    _HKG + "negated": _NEGATED, _HKG + "magnitude": _MAGNITUDE, _HKG + "reaction": _REACTION,
    _HKG + "evidenceType": _ETYPE, _SKOS + "note": _NOTE, _DCT + "source": _SOURCE, _HKG + "evidence": _EVIDENCE,
}  # fmt: skip
_ENTITY_PROPS = {
    _RDFS + "label": "label", _SKOS + "altLabel": "synonyms", _HKG + "abbreviation": "abbreviations",
    _SKOS + "exactMatch": "xrefs", _SKOS + "broader": "broader", _DCT + "description": "description",
    _RDFS + "comment": "comment", _HKG + "verification": "verified",
}  # fmt: skip


def use_fast_path(paths: Sequence[str | os.PathLike[str]]) -> bool:
    """Whether ``kg.load(extra=paths)`` should take this module's path: RDF files above :data:`FAST_PATH_BYTES`."""
    files = [Path(p) for p in paths]
    if not files or any(f.suffix.lower() not in _FORMATS for f in files):
        return False
    return sum(f.stat().st_size for f in files if f.is_file()) >= FAST_PATH_BYTES


class _Columns:
    """Statement columns filled while parsing (one row per statement IRI, in order of first sight).

    Sources and evidence nodes (several per statement) are kept flat, as (row, value) pairs, and grouped by
    row once parsing is done (:meth:`group`): a list per statement would cost ~200 MB at 10^6 statements.
    """

    def __init__(self) -> None:
        self.row: dict[str, int] = {}
        self.single: list[list[Any]] = [[] for _ in range(9)]  # subject .. note
        self.extra: Counter[tuple[int, int]] = Counter()  # (row, field) seen more than once
        self._flat: dict[int, tuple[array[int], list[str]]] = {_SOURCE: (array("q"), []), _EVIDENCE: (array("q"), [])}
        self._grouped: dict[int, tuple[np.ndarray, np.ndarray, list[str]]] = {}

    def at(self, iri: str) -> int:
        r = self.row.get(iri)
        if r is None:
            r = self.row[iri] = len(self.row)
            for col in self.single:
                col.append(None)
        return r

    def add(self, field: int, r: int, value: str) -> None:
        """One more source (``_SOURCE``) or evidence node (``_EVIDENCE``) of row ``r``."""
        rows, values = self._flat[field]
        rows.append(r)
        values.append(value)

    def group(self) -> None:
        """Group the flat pairs by row (stable: in order of sight within a row)."""
        for field, (rows, values) in self._flat.items():
            r = np.frombuffer(rows, dtype=np.int64) if len(rows) else np.zeros(0, dtype=np.int64)
            order = np.argsort(r, kind="stable")
            ptr = np.concatenate(([0], np.cumsum(np.bincount(r, minlength=len(self.row))))).astype(np.int64)
            self._grouped[field] = (ptr, order, values)
        self._flat.clear()

    def of(self, field: int, r: int) -> list[str]:
        """The sources or evidence nodes of row ``r`` (after :meth:`group`)."""
        ptr, order, values = self._grouped[field]
        return [values[i] for i in order[ptr[r] : ptr[r + 1]].tolist()]


def read_large(
    paths: Iterable[str | os.PathLike[str]], base: Curation | None = None
) -> tuple[Curation, StatementTable, list[Violation]]:
    """Parse ``paths`` (and merge ``base``): the non-statement records, the statement table, parse problems."""
    import pyoxigraph as ox
    from rdflib import Graph, Literal, URIRef

    from kg.reader import read_graph

    cols = _Columns()
    ev_text: dict[str, str] = {}
    ev_source: dict[str, str] = {}
    contexts: dict[int, dict[str, str]] = {}
    context_props = _context_props()
    typed: dict[str, str] = {}
    props: dict[str, list[tuple[str, str]]] = {}
    small = Graph()
    problems: list[Violation] = []
    named, literal = ox.NamedNode, ox.Literal
    slugs = _predicate_slugs()
    pool: dict[str, str] = {}
    share = pool.setdefault  # one string object per distinct IRI / value while parsing
    for path in paths:
        p = Path(path)
        fmt = getattr(ox.RdfFormat, _FORMATS.get(p.suffix.lower(), "TURTLE"))
        try:
            for quad in ox.parse(path=p, format=fmt):
                s, pred, o = quad.subject.value, quad.predicate.value, quad.object
                if s.startswith(_STMT):
                    if "/evidence/" in s:
                        s = share(s, s)
                        if pred == _HKG + "text":
                            ev_text[s] = o.value
                        elif pred == _DCT + "source":
                            value = o.value
                            ev_source[s] = share(value, value)
                        continue
                    field = _STATEMENT_PROPS.get(pred)
                    if field is None:
                        key = context_props.get(pred)
                        if key is not None:
                            contexts.setdefault(cols.at(s), {})[key] = (
                                o.value if isinstance(o, literal) else _curie(o.value, s, problems)
                            )
                        continue
                    r = cols.at(s)
                    value = o.value
                    value = share(value, value)  # IRIs and literals repeat: keep one string of each
                    if field in (_SOURCE, _EVIDENCE):
                        cols.add(field, r, value)
                    else:
                        if cols.single[field][r] is not None:
                            cols.extra[(r, field)] += 1
                        cols.single[field][r] = value
                    continue
                if pred == _RDF + "type":
                    if o.value.startswith(_HKG):
                        typed[s] = o.value[len(_HKG) :]
                    continue
                attr = _ENTITY_PROPS.get(pred)
                if attr is not None:
                    props.setdefault(s, []).append((attr, o.value))
                    continue
                if pred.startswith(_HKG) and isinstance(o, named) and pred[len(_HKG) :] in slugs:
                    continue  # the plain asserted triple of a statement
                small.add((URIRef(s), URIRef(pred), URIRef(o.value) if isinstance(o, named) else _literal(o)))
        except SyntaxError as err:
            raise CurationError([Violation("rdf-syntax", str(p), f"malformed RDF: {str(err)[:300]}", str(p))]) from err
        except OSError as err:
            raise CurationError([Violation("readable-file", str(p), f"cannot read the file: {err}", str(p))]) from err
    entities: list[Entity] = []
    for s, kind in typed.items():
        if kind in _ENTITY_CATEGORIES:
            entities.append(_entity(s, kind, props.get(s, []), problems))
        elif kind not in ("Statement", "Evidence"):
            small.add((URIRef(s), URIRef(_RDF + "type"), URIRef(_HKG + kind)))
            for attr, value in props.get(s, []):
                prop = next(k for k, v in _ENTITY_PROPS.items() if v == attr)
                obj = URIRef(value) if attr in ("xrefs", "broader") else Literal(value)
                small.add((URIRef(s), URIRef(prop), obj))
    rest = read_graph(small, "records")
    cur = Curation(
        entities=tuple(entities),
        findings=rest.findings,
        sources=rest.sources,
        unverifiable=rest.unverifiable,
        populations=rest.populations,
        regimens=rest.regimens,
    )
    if base is not None:
        cur = base.merged(cur)
    del pool, share, props, typed, small  # the strings live on in the columns; the indexes can go
    cols.group()
    table = _table(cols, ev_text, ev_source, contexts, cur, problems, base)
    from dataclasses import replace

    return replace(cur, statements=()).canonical(), table, problems


_ENTITY_CATEGORIES = frozenset(
    c for c in ("Hormone", "Drug", "Chemical", "Enzyme", "Receptor", "SignallingProtein", "Protein", "Gene", "CellType",
                "Anatomy", "BiologicalProcess", "MolecularActivity", "ClinicalMeasure", "Phenotype", "Disease")
)  # fmt: skip


def _predicate_slugs() -> frozenset[str]:
    from kg.ontology import schema

    return frozenset(schema().predicates)


def _context_props() -> dict[str, str]:
    from kg.build import CONTEXT_PROPERTIES

    return {str(iri): key for key, iri in CONTEXT_PROPERTIES.items()}


def _literal(o: Any) -> Any:
    from rdflib import Literal, URIRef

    datatype = o.datatype.value if o.datatype is not None else None
    if o.language:
        return Literal(o.value, lang=o.language)
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(o.value, datatype=URIRef(datatype))
    return Literal(o.value)


def _curie(iri: str, focus: str, problems: list[Violation]) -> str:
    try:
        return compress(iri)
    except CurieError:
        problems.append(Violation("registered-prefix", _focus(focus), f"the IRI {iri} is under no registered prefix"))
        return "invalid:" + iri


def _focus(iri: str) -> str:
    try:
        return compress(iri)
    except CurieError:
        return iri


def _entity(iri: str, category: str, values: list[tuple[str, str]], problems: list[Violation]) -> Entity:
    focus = _curie(iri, iri, problems)
    grouped: dict[str, list[str]] = {}
    for attr, value in values:
        grouped.setdefault(attr, []).append(value)

    def one(attr: str) -> str | None:
        got = grouped.get(attr)
        return got[0] if got else None

    return Entity(
        id=focus,
        label=one("label") or "",
        category=category,
        synonyms=tuple(sorted(grouped.get("synonyms", []))),
        abbreviations=tuple(sorted(grouped.get("abbreviations", []))),
        xrefs=tuple(sorted(_curie(x, iri, problems) for x in grouped.get("xrefs", []))),
        broader=tuple(sorted(_curie(x, iri, problems) for x in grouped.get("broader", []))),
        description=one("description"),
        comment=one("comment"),
        verified=one("verified"),
    )


def _evidence_order(node: str) -> tuple[int, str]:
    tail = node.rsplit("/", 1)[-1]
    return (int(tail), "") if tail.isdigit() else (1 << 30, node)


def _table(
    cols: _Columns,
    ev_text: Mapping[str, str],
    ev_source: Mapping[str, str],
    contexts: Mapping[int, dict[str, str]],
    cur: Curation,
    problems: list[Violation],
    base: Curation | None,
) -> StatementTable:
    """The parsed columns (plus ``base``'s statements) as a table sorted by statement id."""
    n = len(cols.row)
    iris = list(cols.row)
    cols.row.clear()  # the rows are numbered now: the index of IRIs can go (~100 MB at 10^6 statements)
    subj_iri, pred_iri, obj_iri, sign, negated, magnitude, reaction, etype, note = cols.single
    node_at: dict[str, int] = {}
    node_curies: list[str] = []
    compressed: dict[str, str] = {}

    def node(iri: str | None, focus: str) -> int:
        if iri is None:
            iri = ""
        at = node_at.get(iri)
        if at is None:
            curie = _curie(iri, focus, problems) if iri else "invalid:"
            at = node_at[iri] = len(node_curies)
            node_curies.append(curie)
            compressed[iri] = curie
        return at

    ids = [iri[len(_STMT) :] for iri in iris]
    subj = [node(x, iris[i]) for i, x in enumerate(subj_iri)]
    obj = [node(x, iris[i]) for i, x in enumerate(obj_iri)]
    preds = [x[len(_HKG) :] if x and x.startswith(_HKG) else (x or "") for x in pred_iri]
    for (r, _field), count in sorted(cols.extra.items()):
        problems.append(Violation("unique-id", f"stmt:{ids[r]}", f"the statement id is declared {count + 1} times"))
    for i, m in enumerate(magnitude):
        if m is not None and m not in MAGNITUDES:
            problems.append(
                Violation("known-magnitude", f"stmt:{ids[i]}", f"magnitude {m!r} is not one of {list(MAGNITUDES)}")
            )
    statements_extra = list(base.statements) if base is not None else []
    # order: by id, parsed rows and base statements together
    base_rows = {s.id: s for s in statements_extra}
    order = sorted(range(n + len(statements_extra)), key=lambda k: ids[k] if k < n else statements_extra[k - n].id)
    del base_rows

    contexts_seen: dict[FrozenMap, int] = {FrozenMap(): 0}
    sources: dict[str, int] = {}
    predicates: dict[str, int] = {}
    reactions = sorted({x for x in reaction if x is not None} | {s.reaction for s in statements_extra if s.reaction})
    react_at = {r: i for i, r in enumerate(reactions)}
    etypes: dict[str, int] = {}
    out_ids: list[str] = []
    # machine integers, not Python ints: 8 bytes an entry (about 300 MB less at 10^6 statements)
    cols_out: dict[str, array[int]] = {k: array("q") for k in ("s", "o", "p", "sign", "neg", "r", "m", "c", "e")}
    src_ptr, src_idx, ev_ptr, ev_src = array("q", [0]), array("q"), array("q", [0]), array("q")
    texts: list[str] = []
    notes: dict[int, str] = {}
    mag_at = {m: i for i, m in enumerate(MAGNITUDES)}
    for k in order:
        if k < n:
            out_ids.append(ids[k])
            cols_out["s"].append(subj[k])
            cols_out["o"].append(obj[k])
            cols_out["p"].append(predicates.setdefault(preds[k], len(predicates)))
            cols_out["sign"].append(int(sign[k]) if sign[k] is not None and _is_int(sign[k]) else 0)
            cols_out["neg"].append(1 if negated[k] in ("true", "1") else 0)
            cols_out["r"].append(react_at[reaction[k]] if reaction[k] is not None else -1)
            cols_out["m"].append(mag_at.get(magnitude[k], -1) if magnitude[k] else -1)
            ctx = FrozenMap(sorted(contexts.get(k, {}).items()))
            cols_out["c"].append(contexts_seen.setdefault(ctx, len(contexts_seen)))
            et = _curie(etype[k], iris[k], problems) if etype[k] is not None else None
            cols_out["e"].append(etypes.setdefault(et, len(etypes)) if et is not None else -1)
            for src in sorted(compressed.get(x) or _curie(x, iris[k], problems) for x in cols.of(_SOURCE, k)):
                src_idx.append(sources.setdefault(src, len(sources)))
            for ev in sorted(cols.of(_EVIDENCE, k), key=_evidence_order):
                src_iri = ev_source.get(ev)
                src = _curie(src_iri, iris[k], problems) if src_iri else "invalid:"
                ev_src.append(sources.setdefault(src, len(sources)))
                texts.append(ev_text.get(ev, ""))
            if note[k] is not None:
                notes[len(out_ids) - 1] = note[k]
        else:
            st = statements_extra[k - n]
            out_ids.append(st.id)
            cols_out["s"].append(node_at.setdefault("curie:" + st.subject, _append(node_curies, st.subject)))
            cols_out["o"].append(node_at.setdefault("curie:" + st.object, _append(node_curies, st.object)))
            cols_out["p"].append(predicates.setdefault(st.predicate, len(predicates)))
            cols_out["sign"].append(st.sign)
            cols_out["neg"].append(int(st.negated))
            cols_out["r"].append(react_at[st.reaction] if st.reaction else -1)
            cols_out["m"].append(mag_at.get(st.magnitude or "", -1))
            ctx = st.context if isinstance(st.context, FrozenMap) else FrozenMap(sorted(st.context.items()))
            cols_out["c"].append(contexts_seen.setdefault(ctx, len(contexts_seen)))
            cols_out["e"].append(etypes.setdefault(st.evidence_type, len(etypes)) if st.evidence_type else -1)
            src_idx.extend(sources.setdefault(x, len(sources)) for x in st.sources)
            for e in st.evidence:
                ev_src.append(sources.setdefault(e.source, len(sources)))
                texts.append(e.text)
            if st.note is not None:
                notes[len(out_ids) - 1] = st.note
        src_ptr.append(len(src_idx))
        ev_ptr.append(len(texts))
    # entity CURIEs in sorted order: renumber
    declared = sorted({*node_curies, *(e.id for e in cur.entities)})
    renumber = np.array([0] * len(node_curies), dtype=np.int64)
    at = {c: i for i, c in enumerate(declared)}
    for i, c in enumerate(node_curies):
        renumber[i] = at[c]
    subj_a = renumber[_int_array(cols_out["s"])] if out_ids else np.zeros(0, dtype=np.int64)
    obj_a = renumber[_int_array(cols_out["o"])] if out_ids else np.zeros(0, dtype=np.int64)
    # predicates, sources and evidence types in sorted order as well (a stable, comparable snapshot)
    pred_list, pred_map = _sorted_codes(predicates)
    src_list, src_map = _sorted_codes(sources)
    et_list, et_map = _sorted_codes(etypes)
    ints = _int_array
    e_codes = ints(cols_out["e"])
    return StatementTable(
        ids=out_ids,
        nodes=declared,
        subject=subj_a,
        object=obj_a,
        predicates=pred_list,
        predicate=pred_map[ints(cols_out["p"])] if out_ids else ints([]),
        sign=ints(cols_out["sign"]),
        negated=_int_array(cols_out["neg"]).astype(np.bool_),
        reactions=reactions,
        reaction=ints(cols_out["r"]),
        magnitude=ints(cols_out["m"]),
        contexts=list(contexts_seen),
        context=ints(cols_out["c"]),
        evidence_types=et_list,
        evidence_type=np.where(e_codes >= 0, et_map[np.maximum(e_codes, 0)] if len(et_map) else 0, -1).astype(np.int64),
        sources=src_list,
        source_ptr=ints(src_ptr),
        source_idx=src_map[ints(src_idx)] if src_idx else ints([]),
        evidence_ptr=ints(ev_ptr),
        evidence_source=src_map[ints(ev_src)] if ev_src else ints([]),
        evidence_text=texts,
        notes=notes,
    )


def _int_array(values: Sequence[int] | array[int]) -> np.ndarray:
    return (
        np.frombuffer(values, dtype=np.int64).copy() if isinstance(values, array) else np.array(values, dtype=np.int64)
    )


def _append(items: list[str], value: str) -> int:
    items.append(value)
    return len(items) - 1


def _is_int(text: str) -> bool:
    return text.lstrip("+-").isdigit()


def _sorted_codes(codes: Mapping[str, int]) -> tuple[list[str], np.ndarray]:
    names = sorted(codes)
    new = {name: i for i, name in enumerate(names)}
    mapping = np.zeros(len(codes), dtype=np.int64)
    for name, old in codes.items():
        mapping[old] = new[name]
    return names, mapping


# ---------------------------------------------------------------------------------------------- validation
def check_table(table: StatementTable, cur: Curation) -> list[Violation]:
    """The statement rules of :func:`kg.validate.check_curation`, column by column (same names, same messages)."""
    from kg.ontology import schema
    from kg.validate import _check_context, _curie_problem

    out: list[Violation] = []
    ids = table.ids
    info = schema().predicates
    entity_ids = {e.id for e in cur.entities}
    source_ids = {s.id for s in cur.sources}
    pop_ids = {p.id for p in cur.populations}
    regimen_ids = {r.id for r in cur.regimens}

    def focus(i: int) -> str:
        return f"stmt:{ids[i]}"

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


# ---------------------------------------------------------------------------------------------- the graph
class LargeKnowledgeGraph(KnowledgeGraph):
    """A :class:`KnowledgeGraph` over a compiled snapshot: statements are made when asked for.

    ``curation`` (every statement as an object) is built on first use only: ``g.nx`` and ``g.rdf`` need it.
    """

    def __init__(
        self,
        records: Curation,
        table: StatementTable,
        index: CompiledIndex | None = None,
        names: NameIndex | None = None,
    ) -> None:
        self.table = table
        self._full: Curation | None = None
        super().__init__(records, index=index or CompiledIndex(table), names=names)
        self.statements = StatementMap(table)  # a read-only Mapping, made on access

    @property
    def curation(self) -> Curation:
        """Every record, statements included (built on first use: costly on a large graph)."""
        if self._full is None:
            from dataclasses import replace

            self._full = replace(self._records, statements=tuple(self.table))
        return self._full

    @curation.setter
    def curation(self, value: Curation) -> None:
        self._records = value
        self._full = None if not value.statements else value

    def __repr__(self) -> str:
        return (
            f"<LargeKnowledgeGraph: {len(self.entities)} entities, {len(self.table)} statements, "
            f"{len(self.findings)} findings, {len(self.sources)} sources>"
        )


def load_large(
    paths: Sequence[str | os.PathLike[str]], *, validate: bool = True, bundled: bool = True, snapshot: bool = True
) -> LargeKnowledgeGraph:
    """A large graph from Turtle / N-Triples files in the compiled shape (plus the bundled graph).

    Raises :class:`~kg.errors.ValidationError` listing every broken rule (SHACL is not run; see the module
    docstring) and :class:`~kg.errors.CurationError` for unreadable or malformed files.

    With ``snapshot`` (the default) a load that passed validation is saved in the cache folder
    (:mod:`kg.snapshot`, keyed by the files' SHA-256), and loading the same files again reads that instead
    of parsing them.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    from kg.loader import bundled_curation, bundled_key, cache_dir
    from kg.snapshot import read_snapshot, snapshot_key, write_snapshot

    folder = None
    if snapshot:
        try:
            folder = cache_dir() / f"snapshot-{snapshot_key(paths, bundled_key() if bundled else None)}"
        except OSError:
            folder = None  # an unreadable file: read_large below names the problem
        hit = read_snapshot(folder) if folder is not None else None
        if hit is not None:
            records, table, names = hit
            return LargeKnowledgeGraph(records, table, names=names)
    base = bundled_curation() if bundled else None
    records, table, problems = read_large(paths, base)
    if validate:
        from kg.validate import check_curation

        violations = [*problems, *check_curation(records), *check_table(table, records)]
        if violations:
            raise ValidationError(violations, what=", ".join(str(p) for p in paths))
    elif problems:
        raise CurationError(problems, what=", ".join(str(p) for p in paths))
    graph = LargeKnowledgeGraph(records, table)
    if validate and folder is not None:
        write_snapshot(folder, records, table, graph.names)
    return graph
