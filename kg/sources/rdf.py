"""RDF in the compiled shape, of any size -> the records and the :class:`~kg.table.StatementTable`.

One reader for every RDF input (a user's file, a fetched endpoint graph): pyoxigraph's streaming parser
sends statement triples straight into columns, entity triples into :class:`~kg.model.Entity` records, and
the few sources, populations, regimens and findings into a small set of triples read by
:func:`kg.sources.records.read_parsed` (as text: no rdflib). Nothing is validated here: the rules are
:mod:`kg.validation.rules`; parse problems (an IRI under no registered prefix, a statement declared twice) are
returned with the result.

>>> from kg.sources.rdfgraph import build_graph
>>> from kg.model import Curation, Entity
>>> nt = build_graph(Curation(entities=(Entity("CHEBI:2704", "anastrozole", "Drug"),))).serialize(format="nt")
>>> records, table, problems = read_rdf([RdfInput("example.nt", nt.encode(), "nt")])
>>> [e.label for e in records.entities], len(table), problems
(['anastrozole'], 0, [])
"""

from __future__ import annotations

import os
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kg.errors import CurationError, Violation
from kg.model import MAGNITUDES, Curation, Entity, FrozenMap
from kg.ontology import CONTEXT_TERMS, schema
from kg.prefixes import PREFIXES, CurieError, compress
from kg.sources.progress import parse_counted
from kg.table import StatementTable

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["FORMATS", "RdfInput", "read_graph", "read_rdf"]

#: file suffix -> RDF format name (pyoxigraph's)
FORMATS = {
    ".ttl": "TURTLE", ".nt": "N_TRIPLES", ".nq": "N_QUADS", ".trig": "TRIG", ".jsonld": "JSON_LD",
    ".json": "JSON_LD", ".rdf": "RDF_XML", ".owl": "RDF_XML", "nt": "N_TRIPLES", "turtle": "TURTLE",
}  # fmt: skip


_NOTHING_UNDERSTOOD = (
    "nothing in this file is in the compiled shape of hormone-kg (no hkg:Statement node, no entity or record typed "
    "with the hkg: vocabulary), so it would add nothing: RDF from another graph (Biolink, any N-Triples) or a "
    "Cytoscape/other JSON is converted with `hormone-kg import FORMAT FILE` (docs/importers/)"
)


@dataclass(frozen=True)
class RdfInput:
    """RDF held in memory (``data``) in ``format`` (a :data:`FORMATS` key), named for error messages."""

    name: str
    data: bytes
    format: str


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"
_HKG = PREFIXES["hkg"]
_STMT = PREFIXES["stmt"]
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

# statement fields (the code each predicate IRI is dispatched on)
_SUBJECT, _PREDICATE, _OBJECT, _SIGN, _NEGATED, _MAGNITUDE, _REACTION, _ETYPE, _NOTE, _SUMMARY = range(10)
_SOURCE, _EVIDENCE, _VIA = range(10, 13)  # several per statement
_STATEMENT_PROPS = {
    _RDF + "subject": _SUBJECT, _RDF + "predicate": _PREDICATE, _RDF + "object": _OBJECT, _HKG + "sign": _SIGN,
    _HKG + "negated": _NEGATED, _HKG + "magnitude": _MAGNITUDE, _HKG + "reaction": _REACTION,
    _HKG + "evidenceType": _ETYPE, _SKOS + "note": _NOTE, _DCT + "source": _SOURCE, _HKG + "evidence": _EVIDENCE,
    _HKG + "summary": _SUMMARY, _HKG + "via": _VIA,
}  # fmt: skip
_ENTITY_PROPS = {
    _RDFS + "label": "label", _SKOS + "altLabel": "synonyms", _HKG + "abbreviation": "abbreviations",
    _SKOS + "exactMatch": "xrefs", _SKOS + "broader": "broader", _DCT + "description": "description",
    _RDFS + "comment": "comment", _HKG + "verification": "verified",
}  # fmt: skip
_PROP_OF = {attr: prop for prop, attr in _ENTITY_PROPS.items()}


class _Columns:
    """Statement columns filled while parsing (one row per statement IRI, in order of first sight).

    Sources and evidence nodes (several per statement) are kept flat, as (row, value) pairs, and grouped by
    row once parsing is done (:meth:`group`): a list per statement would cost ~200 MB at 10^6 statements.
    """

    def __init__(self) -> None:
        self.row: dict[str, int] = {}
        self.single: list[list[Any]] = [[] for _ in range(10)]  # subject .. summary
        self.extra: Counter[tuple[int, int]] = Counter()  # (row, field) seen more than once
        self._flat: dict[int, tuple[array[int], list[str]]] = {f: (array("q"), []) for f in (_SOURCE, _EVIDENCE, _VIA)}
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


def read_rdf(
    inputs: Iterable[str | os.PathLike[str] | RdfInput],
    base: Curation | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> tuple[Curation, StatementTable, list[Violation]]:
    """Parse ``inputs`` (files or :class:`RdfInput`; plus ``base``): the records, the statement table, parse problems.

    Raises :class:`~kg.errors.CurationError` for a file that cannot be read or is not well-formed RDF.
    ``progress(file name, bytes read)`` is told as each file is read (:mod:`kg.sources.progress`).
    """
    import pyoxigraph as ox  # (the parser: imported to read RDF, never by a warm load)

    cols = _Columns()
    ev_text: dict[str, str] = {}
    ev_source: dict[str, str] = {}
    contexts: dict[int, dict[str, str]] = {}
    context_props = _context_props()
    typed: dict[str, str] = {}
    props: dict[str, list[tuple[str, str]]] = {}
    small: list[tuple[str, str, Any]] = []  # the triples of records (findings, sources...): read_parsed
    problems: list[Violation] = []
    named, literal = ox.NamedNode, ox.Literal
    slugs = _predicate_slugs()
    pool: dict[str, str] = {}
    share = pool.setdefault  # one string object per distinct IRI / value while parsing
    # (the loop runs once per triple: what it reads is bound to local names)
    rdf_type, hkg_text, dct_source = _RDF + "type", _HKG + "text", _DCT + "source"
    field_of, rows, single = _STATEMENT_PROPS.get, cols.row, cols.single
    for item in inputs:
        name = item.name if isinstance(item, RdfInput) else str(item)
        understood = False  # a file with nothing in the compiled shape is an error, never "valid" (issue 16)
        try:
            for quad in _quads(item, progress):
                s, pred, o = quad.subject.value, quad.predicate.value, quad.object
                if s.startswith(_STMT):
                    understood = True
                    if "/evidence/" in s:
                        s = share(s, s)
                        if pred == hkg_text:
                            ev_text[s] = o.value
                        elif pred == dct_source:
                            value = o.value
                            ev_source[s] = share(value, value)
                        continue
                    field = field_of(pred)
                    if field is None:
                        key = context_props.get(pred)
                        if key is not None:
                            contexts.setdefault(cols.at(s), {})[key] = (
                                o.value if isinstance(o, literal) else _curie(o.value, s, problems)
                            )
                        continue
                    r = rows.get(s)
                    if r is None:
                        r = cols.at(s)
                    value = o.value
                    value = share(value, value)  # IRIs and literals repeat: keep one string of each
                    if field >= _SOURCE:
                        cols.add(field, r, value)
                    else:
                        column = single[field]
                        if column[r] is not None:
                            cols.extra[(r, field)] += 1
                        column[r] = value
                    continue
                if not understood:
                    understood = pred == rdf_type and o.value.startswith(_HKG)
                if pred == rdf_type:
                    if o.value.startswith(_HKG):
                        typed[s] = o.value[len(_HKG) :]
                    continue
                attr = _ENTITY_PROPS.get(pred)
                if attr is not None:
                    props.setdefault(s, []).append((attr, o.value))
                    continue
                if pred.startswith(_HKG) and isinstance(o, named) and pred[len(_HKG) :] in slugs:
                    continue  # the plain asserted triple of a statement
                small.append((s, pred, o))
        except SyntaxError as err:
            raise CurationError([Violation("rdf-syntax", name, f"malformed RDF: {str(err)[:300]}", name)]) from err
        except OSError as err:
            raise CurationError([Violation("readable-file", name, f"cannot read the file: {err}", name)]) from err
        if not understood:
            problems.append(Violation("understood-content", name, _NOTHING_UNDERSTOOD, name))
    entities: list[Entity] = []
    described: list[tuple[str, str, str, bool]] = []  # records of other kinds, typed and labelled
    for s, kind in typed.items():
        if kind in _ENTITY_CATEGORIES:
            entities.append(_entity(s, kind, props.get(s, []), problems))
        elif kind not in ("Statement", "Evidence"):
            described.append((s, _RDF + "type", _HKG + kind, True))
            described += ((s, _PROP_OF[attr], value, attr in ("xrefs", "broader")) for attr, value in props.get(s, []))
    rest = Curation()
    if small or described:  # (kg.sources.records is imported only for a graph with records)
        from kg.sources.records import read_parsed

        rest = read_parsed(small, described)
    cur = Curation(entities=tuple(entities), findings=rest.findings, sources=rest.sources,
                   unverifiable=rest.unverifiable, populations=rest.populations, regimens=rest.regimens)  # fmt: skip
    if base is not None:
        cur = base.merged(cur)
    del pool, share, props, typed, small  # the strings live on in the columns; the indexes can go
    cols.group()
    table = _table(cols, ev_text, ev_source, contexts, cur, problems, base)
    return replace(cur, statements=()).canonical(), table, problems


_ENTITY_CATEGORIES = frozenset(
    c for c in ("Hormone", "Drug", "Chemical", "Enzyme", "Receptor", "SignallingProtein", "Protein", "Gene", "CellType",
                "Anatomy", "BiologicalProcess", "MolecularActivity", "ClinicalMeasure", "Phenotype", "Disease")
)  # fmt: skip


def _predicate_slugs() -> frozenset[str]:
    return frozenset(schema().predicates)


def _context_props() -> dict[str, str]:
    return {_HKG + name: key for key, name in CONTEXT_TERMS.items()}


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
    subj_iri, pred_iri, obj_iri, sign, negated, magnitude, reaction, etype, note, summary = cols.single
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
    summaries: dict[int, tuple[str, ...]] = {}
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
            if summary[k] in ("true", "1"):
                summaries[len(out_ids) - 1] = tuple(sorted(_curie(x, iris[k], problems) for x in cols.of(_VIA, k)))
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
            if st.summary:
                summaries[len(out_ids) - 1] = st.via
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
        summaries=summaries,
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


def _quads(item: str | os.PathLike[str] | RdfInput, progress: Callable[[str, int], None] | None) -> Iterable[Any]:
    """The quads of one input, streamed (a file is never read whole); ``progress`` told of the bytes read."""
    import pyoxigraph as ox

    if isinstance(item, RdfInput):
        return ox.parse(item.data, format=getattr(ox.RdfFormat, FORMATS[item.format]))
    p, fmt = Path(item), getattr(ox.RdfFormat, FORMATS.get(Path(item).suffix.lower(), "TURTLE"))
    return ox.parse(path=p, format=fmt) if progress is None else parse_counted(p, fmt, lambda n: progress(str(p), n))


def read_graph(graph: Graph, name: str = "graph") -> Curation:
    """Every record and statement of an rdflib graph in the compiled shape, through :func:`read_rdf`.

    Raises :class:`~kg.errors.CurationError` listing the parse problems (IRIs under no registered prefix…).
    """
    records, table, problems = read_rdf([RdfInput(name, graph.serialize(format="nt11").encode(), "nt")])
    if problems:
        raise CurationError(problems, what=name)
    return replace(records, statements=tuple(table)).canonical()
