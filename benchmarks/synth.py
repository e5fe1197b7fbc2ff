"""Synthetic graphs shaped like the curated one, in the project's own input formats.

The generator draws entities by category and statements by predicate in the proportions of the bundled
graph (signs from ``kg.ontology.schema()``), with heavy-tailed degrees (Zipf-like weights inside each
category), enzymatic reactions as ``substrate_of`` / ``produces`` pairs, contexts, sources with evidence
sentences, some negated and structural statements and a few findings. Sizes are counted in *statements*
(reified claims; each is ~15 RDF triples).

Three writers share one stream of records, so they describe the same graph:

- :func:`to_curation` -> :class:`kg.model.Curation` (small sizes; ``kg.sources.rdfgraph.build_graph`` turns it to RDF);
- :func:`write_turtle` -> Turtle in the compiled shape, written line by line (any size), triple for triple
  what ``build_graph(curation, with_ontology=False)`` produces (``tests/test_fast_path.py`` proves it with
  ``rdflib.compare.isomorphic``);
- :func:`write_yaml` -> the curation format (small sizes).

>>> cur = to_curation(generate(200, seed=1))
>>> len(cur.statements)
200
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kg.model import CONTEXT_KEYS, Curation, Entity, Evidence, Finding, Population, Regimen, Source, Statement
from kg.namespaces import PREFIXES, expand
from kg.ontology import schema
from kg.sources.rdfgraph import CONTEXT_PROPERTIES

__all__ = ["Synthetic", "generate", "to_curation", "write_turtle", "write_yaml"]

#: entity categories and their share in the bundled graph (Population/Regimen come from contexts)
CATEGORY_SHARE = {
    "Anatomy": 13, "Hormone": 12, "ClinicalMeasure": 12, "Drug": 11, "CellType": 11, "BiologicalProcess": 11,
    "Receptor": 8, "Enzyme": 6, "Disease": 6, "Phenotype": 5, "Chemical": 4, "SignallingProtein": 3,
    "MolecularActivity": 1, "Protein": 1,
}  # fmt: skip

#: predicate -> (share in the bundled graph, subject categories, object categories); None = any
PREDICATES: dict[str, tuple[int, tuple[str, ...] | None, tuple[str, ...] | None]] = {
    "increases": (33, None, None),
    "decreases": (25, None, None),
    "expressed_in": (21, ("Receptor", "Enzyme", "Protein"), ("CellType", "Anatomy")),
    "positively_regulates": (15, ("Hormone", "Receptor", "SignallingProtein", "CellType"), ("BiologicalProcess",)),
    "produces": (5, ("Enzyme", "CellType"), ("Hormone", "SignallingProtein")),
    "agonist_of": (11, ("Hormone", "Drug"), ("Receptor",)),
    "increases_risk_of": (10, None, ("Disease", "Phenotype")),
    "inhibits": (9, ("Drug", "Hormone", "SignallingProtein"), ("Enzyme", "Receptor", "SignallingProtein")),
    "treats": (7, ("Drug",), ("Disease", "Phenotype")),
    "negatively_regulates": (6, ("Hormone", "Receptor", "SignallingProtein", "CellType"), ("BiologicalProcess",)),
    "binds": (6, ("Hormone", "Drug"), ("Protein", "Receptor")),
    "contributes_to": (5, None, ("Disease", "Phenotype", "ClinicalMeasure")),
    "carries_out": (4, ("CellType",), ("BiologicalProcess",)),
    "antagonist_of": (3, ("Drug",), ("Receptor",)),
    "promotes_apoptosis_of": (3, ("Hormone", "Drug", "SignallingProtein"), ("CellType",)),
    "develops_from": (3, ("CellType",), ("CellType",)),
    "activates": (3, ("Drug", "Hormone", "SignallingProtein"), ("Enzyme", "Receptor", "SignallingProtein")),
    "causes": (1, None, ("Disease", "Phenotype")),
    "part_of": (1, ("CellType", "Anatomy"), ("Anatomy",)),
    "has_role": (1, ("Chemical", "Drug"), ("Chemical",)),
    "enables": (1, ("Protein", "Enzyme"), ("MolecularActivity",)),
    "located_in": (1, ("CellType",), ("Anatomy",)),
}
#: share of statements that are substrate/product pairs of one reaction (the bundled graph: 16 of 187)
REACTION_SHARE = 0.08
NEGATED_SHARE = 0.01
STATEMENTS_PER_ENTITY = 4
ECO = ("ECO:0000304", "ECO:0000269", "ECO:0000305", "ECO:0000303")
MAGNITUDES = ("strong", "moderate", "slight")
TISSUES = ("UBERON:0000310", "UBERON:0001898", "UBERON:0002371", "UBERON:0002481")
SPECIES = ("NCBITaxon:9606", "NCBITaxon:10090")
CONDITIONS = ("HP:0000026", "MONDO:0006512", "MONDO:0700079")
POPULATIONS = (
    ("pop:synth-postmenopausal-women", "synthetic postmenopausal women", {"sex": "female",
                                                                          "menopausal_status": "postmenopausal"}),
    ("pop:synth-older-men", "synthetic older men", {"sex": "male", "age_group": "older"}),
    ("pop:synth-young-women", "synthetic premenopausal women", {"sex": "female",
                                                                 "menopausal_status": "premenopausal"}),
    ("pop:synth-mice", "synthetic female mice", {"sex": "female", "species": "NCBITaxon:10090"}),
)  # fmt: skip


@dataclass
class Synthetic:
    """A synthetic graph as plain records (entities, statements, sources, populations, regimens, findings)."""

    n_statements: int
    seed: int
    entities: list[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    sources: list[tuple[str, str, int]] = field(default_factory=list)
    populations: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    regimens: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: per statement: id, subject, predicate, object, sign, sources, evidence ((source, text), ...),
    #: context, magnitude, reaction, negated, evidence type, note
    statements: list[tuple[Any, ...]] = field(default_factory=list)

    def iter_statements(self) -> Iterator[tuple[Any, ...]]:
        """The statement records in id order."""
        return iter(self.statements)


def _zipf_weights(n: int, rng: np.random.Generator, alpha: float = 0.9) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** alpha
    rng.shuffle(weights)
    return weights


def generate(n_statements: int, seed: int = 0) -> Synthetic:
    """A synthetic graph of ``n_statements`` statements (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    polarity = {slug: info.polarity for slug, info in schema().predicates.items()}
    syn = Synthetic(n_statements, seed)
    n_entities = max(40, n_statements // STATEMENTS_PER_ENTITY)
    cats = list(CATEGORY_SHARE)
    share = np.array([CATEGORY_SHARE[c] for c in cats], dtype=np.float64)
    category_of = rng.choice(len(cats), size=n_entities, p=share / share.sum())
    category_of[: len(cats)] = np.arange(len(cats))  # every category present
    width = len(str(n_entities))
    for i, c in enumerate(category_of.tolist()):
        cat = cats[c]
        eid = f"HKG:synth-{i:0{width}d}"
        label = f"{cat.lower()} {i}"
        syn.entities.append(
            (eid, label, cat, (f"{cat} number {i}",) if i % 3 == 0 else (), (f"S{i}",) if i % 5 == 0 else ())
        )
    pools: dict[str, np.ndarray] = {c: np.flatnonzero(category_of == i) for i, c in enumerate(cats)}
    weights = _zipf_weights(n_entities, rng)

    def pick(categories: tuple[str, ...] | None, size: int) -> np.ndarray:
        pool = np.arange(n_entities) if categories is None else np.concatenate([pools[c] for c in categories])
        w = weights[pool]
        return pool[rng.choice(len(pool), size=size, p=w / w.sum())]

    n_sources = max(20, n_statements // 20)
    syn.sources = [(f"src:synth-{i}", f"Synthetic source {i}", 1990 + i % 35) for i in range(n_sources)]
    syn.populations = [(pid, label, dict(q)) for pid, label, q in POPULATIONS]
    drugs = pools["Drug"]
    syn.regimens = [
        (f"regimen:synth-{k}", f"synthetic regimen {k}", syn.entities[int(drugs[k % len(drugs)])][0], f"{k + 1} mg",
         "daily")
        for k in range(3)
    ]  # fmt: skip

    # the statements: reaction pairs first drawn, then the predicates in their shares
    n_pairs = int(n_statements * REACTION_SHARE / 2)
    n_negated = int(n_statements * NEGATED_SHARE)
    n_plain = n_statements - 2 * n_pairs - n_negated
    preds = list(PREDICATES)
    pshare = np.array([PREDICATES[p][0] for p in preds], dtype=np.float64)
    chosen = rng.choice(len(preds), size=n_plain, p=pshare / pshare.sum())
    triples: list[tuple[int, str, int, str | None, bool]] = []  # subject, predicate, object, reaction, negated
    for k, pred in enumerate(preds):
        count = int((chosen == k).sum())
        if not count:
            continue
        _, subj_cats, obj_cats = PREDICATES[pred]
        subjects, objects = pick(subj_cats, count), pick(obj_cats, count)
        triples.extend((int(s), pred, int(o), None, False) for s, o in zip(subjects, objects, strict=True))
    substrates = pick(("Hormone", "Chemical"), n_pairs)
    enzymes = pick(("Enzyme",), n_pairs)
    products = pick(("Hormone",), n_pairs)
    for k in range(n_pairs):
        reaction = f"synth-reaction-{k}"
        triples.append((int(substrates[k]), "substrate_of", int(enzymes[k]), reaction, False))
        triples.append((int(enzymes[k]), "produces", int(products[k]), reaction, False))
    negs = zip(pick(("Drug",), n_negated), pick(("ClinicalMeasure",), n_negated), strict=True)
    triples.extend((int(s), "affects", int(o), None, True) for s, o in negs)
    order = rng.permutation(len(triples))
    draws = rng.random((len(triples), 6))
    src_draws = rng.integers(0, n_sources, size=(len(triples), 2))
    width = len(str(len(triples)))
    contexts = _context_templates(syn)
    for n, t in enumerate(order.tolist()):
        s, pred, o, reaction, negated = triples[t]
        if s == o:
            o = (o + 1) % n_entities
        d = draws[n]
        sources = tuple(sorted({f"src:synth-{x}" for x in src_draws[n, : 1 + (d[0] < 0.3)].tolist()}))
        evidence = tuple(
            (src, f"Synthetic evidence {n}.{j}: {syn.entities[s][1]} {pred.replace('_', ' ')} {syn.entities[o][1]}.")
            for j, src in enumerate(sources, start=1)
        )
        context = contexts[int(d[1] * len(contexts))] if d[1] < 0.5 else {}
        syn.statements.append(
            (
                f"synth-{n:0{width}d}",
                syn.entities[s][0],
                pred,
                syn.entities[o][0],
                polarity[pred],
                sources,
                evidence,
                context,
                MAGNITUDES[int(d[2] * 30)] if d[2] < 0.1 else None,
                reaction,
                negated,
                ECO[int(d[3] * len(ECO))],
                "synthetic curator note" if d[4] < 0.02 else None,
            )
        )
    measures = pools["ClinicalMeasure"]
    for k in range(max(2, n_statements // 1000)):
        drug = syn.entities[int(drugs[k % len(drugs)])][0]
        measure = syn.entities[int(measures[(k * 7) % len(measures)])][0]
        src = syn.sources[k % n_sources][0]
        syn.findings.append(
            Finding(
                id=f"synth-finding-{k}", intervention=drug, measure=measure,
                direction=("increase", "decrease", "none")[k % 3], sources=(src,),
                evidence=(Evidence(src, f"Synthetic finding {k}."),), comparator="baseline",
                population=POPULATIONS[k % len(POPULATIONS)][0], duration="1 year",
                value=round(-3.5 + k % 7, 2), unit="%", statistic="mean change from baseline", n=100 + k,
            )
        )  # fmt: skip
    return syn


def _context_templates(syn: Synthetic) -> list[dict[str, str]]:
    """Context qualifier sets in the mix the bundled graph shows (sex alone most often)."""
    pops = [p[0] for p in syn.populations]
    regs = [r[0] for r in syn.regimens]
    out: list[dict[str, str]] = []
    out += [{"sex": "female"}, {"sex": "male"}] * 6
    out += [
        {"sex": "female", "menopausal_status": "postmenopausal"},
        {"sex": "female", "menopausal_status": "premenopausal"},
    ] * 2
    out += [{"sex": s, "species": sp} for s in ("female", "male") for sp in SPECIES]
    out += [{"population": p} for p in pops]
    out += [{"population": pops[0], "regimen": regs[0]}, {"population": pops[1], "regimen": regs[1]}]
    out += [{"tissue": t} for t in TISSUES]
    out += [{"condition": CONDITIONS[0], "tissue": TISSUES[0]}, {"species": SPECIES[0]}]
    out += [{"population": pops[1], "therapy": "CHEBI:17347"}, {"sex": "male", "tissue": TISSUES[3]}]
    return out


# ---------------------------------------------------------------------------------------------- writers
def to_curation(syn: Synthetic) -> Curation:
    """The records as a :class:`~kg.model.Curation` (sorted by id, as ``kg`` keeps them)."""
    comment = "synthetic benchmark entity (no standard term)"
    entities = tuple(Entity(e, label, cat, syn_, abbr, comment=comment) for e, label, cat, syn_, abbr in syn.entities)
    statements = tuple(
        Statement(
            id=i, subject=s, predicate=p, object=o, sign=sign, sources=srcs,
            evidence=tuple(Evidence(src, text) for src, text in ev), context=ctx, magnitude=mag, reaction=reaction,
            negated=neg, evidence_type=eco, note=note,
        )
        for i, s, p, o, sign, srcs, ev, ctx, mag, reaction, neg, eco, note in syn.statements
    )  # fmt: skip
    return Curation(
        entities=entities,
        statements=statements,
        findings=tuple(syn.findings),
        sources=tuple(
            Source(sid, title, "synthetic (benchmarks/synth.py)", year=year) for sid, title, year in syn.sources
        ),
        populations=tuple(Population(pid, label, q) for pid, label, q in syn.populations),
        regimens=tuple(Regimen(rid, label, drug, dose, freq) for rid, label, drug, dose, freq in syn.regimens),
    ).canonical()


_PREFIX_LINES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "hkg": PREFIXES["hkg"],
    "HKG": PREFIXES["HKG"],
    "stmt": PREFIXES["stmt"],
    "src": PREFIXES["src"],
    "pop": PREFIXES["pop"],
    "regimen": PREFIXES["regimen"],
    "finding": PREFIXES["finding"],
    "ECO": PREFIXES["ECO"],
}
_SAFE_PREFIXES = ("HKG", "stmt", "src", "pop", "regimen", "finding", "ECO")


def _lit(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _ref(curie: str) -> str:
    """A prefixed name when the local part is plain, else the full IRI."""
    prefix, _, local = curie.partition(":")
    if prefix in _SAFE_PREFIXES and local and local.replace("-", "").replace("_", "").isalnum():
        return curie
    return f"<{expand(curie)}>"


def _context_lines(context: dict[str, str]) -> list[str]:
    out = []
    for key, value in sorted(context.items()):
        prop = "hkg:" + str(CONTEXT_PROPERTIES[key]).rsplit("#", 1)[1]
        out.append(f"{prop} {_lit(value) if CONTEXT_KEYS[key] is not None else _ref(value)}")
    return out


def _evidence_blocks(node_iri: str, evidence: tuple[tuple[str, str], ...]) -> tuple[list[str], list[str]]:
    links, blocks = [], []
    for i, (src, text) in enumerate(evidence, start=1):
        ev = f"<{node_iri}/evidence/{i}>"
        links.append(f"hkg:evidence {ev}")
        blocks.append(f"{ev} a hkg:Evidence ; hkg:text {_lit(text)} ; dcterms:source {_ref(src)} .\n")
    return links, blocks


def _block(subject: str, props: list[str]) -> str:
    return subject + " " + " ;\n    ".join(props) + " .\n"


def turtle_lines(syn: Synthetic) -> Iterator[str]:
    """The graph in Turtle, one block at a time (what :func:`write_turtle` writes)."""
    for prefix, ns in _PREFIX_LINES.items():
        yield f"@prefix {prefix}: <{ns}> .\n"
    yield "\n"
    for eid, label, cat, synonyms, abbreviations in syn.entities:
        props = [f"a hkg:{cat}", f"rdfs:label {_lit(label)}"]
        props += [f"skos:altLabel {_lit(s)}" for s in synonyms]
        props += [f"hkg:abbreviation {_lit(a)}" for a in abbreviations]
        props.append(f"rdfs:comment {_lit('synthetic benchmark entity (no standard term)')}")
        yield _block(_ref(eid), props)
    for sid, title, year in syn.sources:
        yield _block(
            _ref(sid),
            [
                "a hkg:Source",
                f"dcterms:title {_lit(title)}",
                f"hkg:verification {_lit('synthetic (benchmarks/synth.py)')}",
                f"hkg:year {year}",
            ],
        )
    for pid, label, q in syn.populations:
        yield _block(_ref(pid), ["a hkg:Population", f"rdfs:label {_lit(label)}", *_context_lines(q)])
    for rid, label, drug, dose, freq in syn.regimens:
        yield _block(_ref(rid), ["a hkg:Regimen", f"rdfs:label {_lit(label)}", f"hkg:drug {_ref(drug)}",
                                 f"hkg:dose {_lit(dose)}", f"hkg:frequency {_lit(freq)}"])  # fmt: skip
    for f in syn.findings:
        node = f"finding:{f.id}"
        props = [
            "a hkg:Finding", f"hkg:intervention {_ref(f.intervention)}", f"hkg:measure {_ref(f.measure)}",
            f"hkg:direction {_lit(f.direction)}", f"hkg:findingKind {_lit(f.kind)}",
            f"hkg:treatmentPhase {_lit(f.phase)}", f"hkg:comparator {_lit(f.comparator or 'baseline')}",
            f"hkg:population {_ref(f.population or '')}", f"hkg:duration {_lit(f.duration or '')}",
            f"hkg:unit {_lit(f.unit or '')}", f"hkg:statistic {_lit(f.statistic or '')}",
            f'hkg:value "{f.value!r}"^^xsd:decimal', f"hkg:sampleSize {f.n}",
        ]  # fmt: skip
        props += [f"dcterms:source {_ref(s)}" for s in f.sources]
        links, blocks = _evidence_blocks(expand(node), tuple((e.source, e.text) for e in f.evidence))
        yield _block(_ref(node), props + links)
        yield from blocks
    for sid, s, p, o, sign, srcs, ev, ctx, mag, reaction, neg, eco, note in syn.statements:
        node = _ref(f"stmt:{sid}")
        props = [
            "a hkg:Statement, rdf:Statement",
            f"rdf:subject {_ref(s)}",
            f"rdf:predicate hkg:{p}",
            f"rdf:object {_ref(o)}",
            f"hkg:sign {sign}",
        ]
        if neg:
            props.append("hkg:negated true")
        if mag:
            props.append(f"hkg:magnitude {_lit(mag)}")
        if reaction:
            props.append(f"hkg:reaction {_lit(reaction)}")
        if eco:
            props.append(f"hkg:evidenceType {_ref(eco)}")
        if note:
            props.append(f"skos:note {_lit(note)}")
        props += _context_lines(ctx)
        props += [f"dcterms:source {_ref(x)}" for x in srcs]
        links, blocks = _evidence_blocks(expand(f"stmt:{sid}"), ev)
        yield _block(node, props + links)
        yield from blocks
        if not neg:
            yield f"{_ref(s)} hkg:{p} {_ref(o)} .\n"


def write_turtle(syn: Synthetic, path: str | Path) -> Path:
    """Write the graph as Turtle in the compiled shape (streamed; any size)."""
    out = Path(path)
    with out.open("w", encoding="utf-8") as fh:
        buffer: list[str] = []
        for line in turtle_lines(syn):
            buffer.append(line)
            if len(buffer) >= 10_000:
                fh.write("".join(buffer))
                buffer.clear()
        fh.write("".join(buffer))
    return out


def write_yaml(syn: Synthetic, directory: str | Path) -> list[Path]:
    """Write the graph in the curation format (one file per section; for small sizes)."""
    import yaml

    cur = to_curation(syn)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)

    def clean(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if v not in (None, (), [], {}, False)}

    sections: dict[str, list[dict[str, Any]]] = {
        "entities": [clean({"id": e.id, "label": e.label, "category": e.category, "synonyms": list(e.synonyms),
                            "abbreviations": list(e.abbreviations), "comment": e.comment}) for e in cur.entities],
        "sources": [clean({"id": s.id, "title": s.title, "verified": s.verified, "year": s.year}) for s in cur.sources],
        "populations": [clean({"id": p.id, "label": p.label, "qualifiers": dict(p.qualifiers)})
                        for p in cur.populations],
        "regimens": [clean({"id": r.id, "label": r.label, "drug": r.drug, "dose": r.dose, "frequency": r.frequency})
                     for r in cur.regimens],
        "statements": [
            clean({"id": st.id, "subject": st.subject, "predicate": st.predicate, "object": st.object,
                   "context": dict(st.context), "magnitude": st.magnitude, "reaction": st.reaction,
                   "negated": st.negated, "sources": list(st.sources),
                   "evidence": [{"source": e.source, "text": e.text} for e in st.evidence],
                   "evidence_type": st.evidence_type, "note": st.note})
            for st in cur.statements
        ],
        "findings": [
            clean({"id": f.id, "intervention": f.intervention, "comparator": f.comparator, "population": f.population,
                   "duration": f.duration, "measure": f.measure, "kind": f.kind, "direction": f.direction,
                   "value": f.value, "unit": f.unit, "statistic": f.statistic, "n": f.n, "sources": list(f.sources),
                   "evidence": [{"source": e.source, "text": e.text} for e in f.evidence]})
            for f in cur.findings
        ],
    }  # fmt: skip
    paths = []
    for name, items in sections.items():
        path = folder / f"{name}.yaml"
        path.write_text(yaml.safe_dump({name: items}, sort_keys=False, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    return paths


def triples_estimate(n_statements: int) -> int:
    """Roughly how many RDF triples a graph of ``n_statements`` has (for reports)."""
    return math.ceil(n_statements * 15.5)
