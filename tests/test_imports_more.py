"""Importers of issue 16, second part: INDRA Statements JSON, DrugMechDB paths, BEL (PyBEL); filtering by origin.

Samples are in tests/data/imports/ (README.md there says where each statement, path and BEL line comes from):
INDRA statements from INDRA's own documentation and tests plus statements written from
``indra/resources/statements_schema.json``; DrugMechDB paths DB01217_MESH_D001943_1 (anastrozole) and
DB00675_MESH_D018270_1 (tamoxifen) as DrugMechDB publishes them; BEL Framework small-corpus statements plus
statements written in PyBEL's ``namespace:identifier ! name`` syntax. The hormone statements carry this graph's
curated claims (PMID and sentence), so they must land on the curated entities through ids and xrefs. A third
DrugMechDB path, DB00977_MESH_D015663_1 (ethinylestradiol), is written in this file: its MeSH drug has no xref on
the curated drug, so it stays apart and is reported.
"""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli
from kg.errors import ImportFormatError, ValidationError
from kg.imports import FORMATS, import_curation, import_file, origin_of
from kg.imports.drugmechdb import edges_of
from kg.model import Curation, Statement, imported_entity

DATA = Path(__file__).parent / "data" / "imports"
INDRA = DATA / "indra_statements.json"
DRUGMECHDB = DATA / "drugmechdb_paths.yaml"
BEL = DATA / "statements.bel"


@pytest.fixture(scope="module")
def g() -> kg.KnowledgeGraph:
    return kg.load()


def by_pair(cur: Curation) -> dict[tuple[str, str], Statement]:
    return {(s.subject, s.object): s for s in cur.statements}


def test_every_format_is_registered_and_offered_on_the_command_line() -> None:
    assert {"signor", "kgx", "indra", "drugmechdb", "bel"} <= set(FORMATS)
    result = CliRunner().invoke(cli, ["import", "nope", str(INDRA)])
    assert result.exit_code == 2 and all(repr(f) in result.output for f in ("indra", "drugmechdb", "bel"))


# ---------------------------------------------------------------------------------------------- INDRA
@pytest.fixture(scope="module")
def indra(g: kg.KnowledgeGraph) -> tuple[Curation, object]:
    return import_curation("indra", INDRA, curated=g.entities.values(), registered=g.sources)


def test_indra_statements_become_signed_statements_with_context_and_provenance(indra) -> None:  # type: ignore[no-untyped-def]
    cur, report = indra
    sts = by_pair(cur)
    # indra_cogex test statement: a SIGNOR-sourced Activation with direct evidence in species 10030, BTO cell type
    adrb2 = sts[("CHEBI:63082", "HGNC:286")]
    assert (adrb2.predicate, adrb2.sign, adrb2.summary, adrb2.negated) == ("activates", 1, False, False)
    assert dict(adrb2.context) == {"species": "NCBITaxon:10030"} and "BTO:0000457" in (adrb2.note or "")
    (ev,) = adrb2.evidence
    assert ev.source == "PMID:20590599" and ev.text.startswith("Thus, overall, salmeterol is a highly selective β2")
    assert adrb2.evidence_type == "ECO:0000322"  # source_api signor: a curated database (INDRA source_info.json)
    assert "belief 1" in (adrb2.note or "") and "4697a750-f01c-4d06-80b7-416143e33dd1" in (adrb2.note or "")
    # written from the schema: MeSH estradiol and UniProt ESR1 land on the curated entities through xrefs
    esr1 = sts[("CHEBI:16469", "HGNC:3467")]
    assert (esr1.predicate, esr1.sign, dict(esr1.context)) == ("activates", 1, {"tissue": "UBERON:0002481"})
    assert esr1.evidence[0].source == "PMID:33557249" and esr1.evidence_type == "ECO:0000323"  # not a database
    ai = sts[("CHEBI:2704", "HGNC:2594")]
    assert (ai.predicate, ai.sign, dict(ai.context)) == ("inhibits", -1, {"species": "NCBITaxon:9606"})
    assert ai.sources == ("PMID:19820017", "src:import-indra-indra_statements")
    zol = sts[("CHEBI:46557", "MONDO:0005315")]  # only negated evidence: a negated statement, never causal
    assert (zol.predicate, zol.negated, zol.summary, zol.causal) == ("decreases", True, True, False)
    assert report.rows == 6 and report.statements == 4
    assert dict(report.skipped) == {
        "INDRA Phosphorylation: no predicate of the ontology (unsigned or not modelled)": 1,
        "object: no grounding in a registered namespace (db_refs: FPLX, NXPFA, TEXT)": 1,
    }
    assert report.merged == {
        "MESH:D004958 -> CHEBI:16469": 1,
        "UniProtKB:P03372 -> HGNC:3467": 1,
        "MESH:D050723 -> MONDO:0005315": 1,
    }
    new = {e.id: e for e in cur.entities}
    assert set(new) == {"CHEBI:63082", "HGNC:286"} and all(imported_entity(e) for e in new.values())
    assert new["HGNC:286"].xrefs == ("NCBIGene:154", "UniProtKB:P07550")  # HMDB, PUBCHEM, CAS… are dropped


def _indra_items() -> list[dict[str, object]]:
    items = json.loads(INDRA.read_text())
    assert isinstance(items, list)
    return items


@pytest.mark.parametrize("layout", ["jsonl", "rest", "one-line"])
def test_indra_json_lines_rest_responses_and_one_line_arrays_give_the_same_statements(
    layout: str,
    indra,
    tmp_path: Path,
    g: kg.KnowledgeGraph,  # type: ignore[no-untyped-def]
) -> None:
    items = _indra_items()
    path = tmp_path / f"statements-{layout}.json"
    if layout == "jsonl":  # stmts_to_json_file(..., format='jsonl'): one statement per line
        path.write_text("".join(json.dumps(s) + "\n" for s in items))
    elif layout == "rest":  # the INDRA DB REST API: {"statements": {hash: statement}, ...}
        path.write_text(json.dumps({"statements": {str(i): s for i, s in enumerate(items)}, "offset": None}))
    else:
        path.write_text(json.dumps(items))
    cur, report = import_curation("indra", path, curated=g.entities.values(), registered=g.sources, name="indra")
    expected, _ = indra
    strip = [(s.subject, s.predicate, s.object, s.evidence, dict(s.context), s.negated) for s in expected.statements]
    assert [(s.subject, s.predicate, s.object, s.evidence, dict(s.context), s.negated) for s in cur.statements] == strip
    assert report.rows == 6


def test_indra_indirect_evidence_makes_a_summary_and_negated_evidence_beside_positive_is_named(
    tmp_path: Path, g: kg.KnowledgeGraph
) -> None:
    (ai,) = [s for s in _indra_items() if s.get("type") == "Inhibition"]
    indirect = json.loads(json.dumps(ai))
    indirect["evidence"][0]["epistemics"] = {"direct": False}
    # INDRA's belief engine splits a statement's evidence on epistemics["negated"]: the same sentence marked
    # negated beside the positive one (a shape test) keeps the statement positive and is named in its note
    mixed = json.loads(json.dumps(ai))
    mixed["evidence"].append({**ai["evidence"][0], "epistemics": {"negated": True}, "pmid": "19433387"})  # type: ignore[dict-item]
    path = tmp_path / "two.json"
    path.write_text(json.dumps([indirect, mixed]))
    cur, _ = import_curation("indra", path, curated=g.entities.values(), registered=g.sources)
    first, second = sorted(cur.statements, key=lambda s: s.id)
    assert (first.predicate, first.sign, first.summary) == ("decreases", -1, True)  # Inhibition, not direct
    assert (second.predicate, second.negated) == ("inhibits", False)
    assert "1 negated evidence left out (PMID:19433387)" in (second.note or "")
    assert [e.source for e in second.evidence] == ["PMID:19820017"]


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        ("this is not JSON\n", "indra-json"),
        ('[\n {"type": "Activation",\n', "json-syntax"),
        ("[]\n", "non-empty"),
        ('[{"type": "Activation"}] {"x": 1}\n', "json-syntax"),
        ('[{"type": "Activation", "subj": }]\n', "json-syntax"),
    ],
)
def test_bad_indra_files_give_a_named_error_and_write_nothing(content: str, rule: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ImportFormatError) as err:
        import_file("indra", path, tmp_path / "out.yaml", curated=(), registered=())
    assert err.value.violations[0].rule == rule
    assert not (tmp_path / "out.yaml").exists()


def test_an_indra_file_with_nothing_understood_is_refused_naming_why(tmp_path: Path) -> None:
    path = tmp_path / "unsigned.json"
    path.write_text(json.dumps([s for s in _indra_items() if s["type"] in ("Phosphorylation", "Complex")]))
    with pytest.raises(ImportFormatError, match=r"no row became a statement \(2 rows: .*Phosphorylation.*FPLX"):
        import_file("indra", path, tmp_path / "out.yaml", curated=(), registered=())
    assert not (tmp_path / "out.yaml").exists()


# ---------------------------------------------------------------------------------------------- DrugMechDB
@pytest.fixture(scope="module")
def drugmechdb(g: kg.KnowledgeGraph) -> tuple[Curation, object]:
    return import_curation("drugmechdb", DRUGMECHDB, curated=g.entities.values(), registered=g.sources)


def test_drugmechdb_paths_become_mechanism_steps_on_the_curated_targets(drugmechdb) -> None:  # type: ignore[no-untyped-def]
    cur, report = drugmechdb
    sts = by_pair(cur)
    # the MeSH drugs land on the curated ChEBI drugs through their verified xrefs (anastrozole MESH:D000077384,
    # tamoxifen MESH:D013629, estrogen MESH:D004967); UniProt proteins on the curated genes likewise
    # anastrozole -decreases activity of-> aromatase (UniProt:P11511 is the curated aromatase's xref)
    ai = sts[("CHEBI:2704", "HGNC:2594")]
    assert (ai.predicate, ai.sign, ai.summary) == ("inhibits", -1, False)
    assert (sts[("HGNC:2594", "CHEBI:50114")].predicate, sts[("HGNC:2594", "CHEBI:50114")].sign) == ("produces", 1)
    assert sts[("CHEBI:50114", "GO:0030284")].predicate == "positively_regulates"
    # tamoxifen -decreases activity of-> ERα and ERβ (UniProt P03372, Q92731 -> HGNC:3467, HGNC:3468)
    assert {sts[("CHEBI:41774", h)].predicate for h in ("HGNC:3467", "HGNC:3468")} == {"inhibits"}
    assert sts[("GO:0030284", "GO:0008283")].predicate == "positively_regulates"
    # the indication of each path: the drug treats the disease (a net effect)
    treats = sts[("CHEBI:41774", "MESH:D018270")]
    assert (treats.predicate, treats.sign, treats.summary) == ("treats", -1, True)
    assert "comment: Tamoxifen is a selective estrogen receptor modulator" in (treats.note or "")
    assert sts[("CHEBI:2704", "MESH:D001943")].predicate == "treats"
    assert not [s for s in cur.statements if "MESH:D000077384" in (s.subject, s.object)]
    assert not [s for s in cur.statements if "MESH:D013629" in (s.subject, s.object)]
    # no sentence: the evidence says it is a database record, names the path id, cites the import's origin
    (ev,) = ai.evidence
    assert ev.source == "src:import-drugmechdb-drugmechdb_paths" and ai.evidence_type == "ECO:0000322"
    assert "DB01217_MESH_D001943_1" in ev.text and "quotes no sentence" in ev.text
    assert "https://go.drugbank.com/drugs/DB01217#mechanism-of-action" in (ai.note or "")
    assert report.rows == 12 and report.statements == 8
    assert dict(report.skipped) == {
        "link key 'participates in' has no predicate in the ontology": 2,
        "link key 'correlated with' has no predicate in the ontology": 1,
        "link key 'positively correlated with' has no predicate in the ontology": 1,
    }
    assert report.merged == {  # each count: the links (and the indication) the node is an end of
        "MESH:D000077384 -> CHEBI:2704": 2,
        "MESH:D013629 -> CHEBI:41774": 3,
        "MESH:D004967 -> CHEBI:50114": 2,
        "UniProtKB:P11511 -> HGNC:2594": 2,
        "UniProtKB:P03372 -> HGNC:3467": 1,
        "UniProtKB:Q92731 -> HGNC:3468": 1,
    }
    assert report.conflicts == []  # every drug of the sample has its MeSH id on the curated entity
    assert {e.id for e in cur.entities} == {"GO:0030284", "MESH:D001943", "MESH:D018270"}  # no drug copied


#: DrugMechDB path DB00977_MESH_D015663_1 (ethinylestradiol, postmenopausal osteoporosis) as the DrugMechDB page
#: ``db00977-mesh-d015663-1.html`` of SuLab/DrugMechDB shows it (read with read_file): node ids, names and types,
#: links (the page's upper-case predicates written as the lower-case keys of the YAML layout) and references. The
#: curated ethinylestradiol (CHEBI:4903) has no MeSH xref: the drug under MESH:D004997 must stay apart.
ETHINYLESTRADIOL_PATH = """\
-   directed: true
    graph:
        _id: DB00977_MESH_D015663_1
        disease: Postmenopausal osteoporosis
        disease_mesh: MESH:D015663
        drug: Ethinylestradiol
        drug_mesh: MESH:D004997
        drugbank: DB:DB00977
    links:
    -   {key: increases activity of, source: MESH:D004997, target: UniProt:P03372}
    -   {key: participates in, source: UniProt:P03372, target: GO:0043627}
    -   {key: negatively regulates, source: GO:0043627, target: CL:0000092}
    -   {key: negatively regulates, source: GO:0043627, target: GO:0046849}
    -   {key: contributes to, source: CL:0000092, target: GO:0045453}
    -   {key: contributes to, source: GO:0046849, target: MESH:D015663}
    -   {key: causes, source: GO:0045453, target: MESH:D015663}
    multigraph: true
    nodes:
    -   {id: MESH:D004997, label: Drug, name: Ethinylestradiol}
    -   {id: UniProt:P03372, label: Protein, name: Estrogen receptor alpha}
    -   {id: GO:0043627, label: BiologicalProcess, name: Response to estrogen}
    -   {id: CL:0000092, label: Cell, name: Osteoclast}
    -   {id: GO:0046849, label: BiologicalProcess, name: Bone remodeling}
    -   {id: GO:0045453, label: BiologicalProcess, name: Bone resorption}
    -   {id: MESH:D015663, label: Disease, name: Postmenopausal osteoporosis}
    reference:
    - https://go.drugbank.com/drugs/DB00977
    - https://pubmed.ncbi.nlm.nih.gov/22595550/
"""


def test_a_mesh_drug_without_a_curated_xref_stays_apart_and_is_reported(tmp_path: Path, g: kg.KnowledgeGraph) -> None:
    assert not [x for x in g.entities["CHEBI:4903"].xrefs if x.startswith("MESH:")]  # the premise of this test
    path = tmp_path / "ethinylestradiol.yaml"
    path.write_text(ETHINYLESTRADIOL_PATH)
    cur, report = import_curation("drugmechdb", path, curated=g.entities.values(), registered=g.sources)
    sts = by_pair(cur)
    assert sts[("MESH:D004997", "HGNC:3467")].predicate == "activates"  # the protein still merges (UniProt xref)
    assert sts[("MESH:D004997", "MESH:D015663")].predicate == "treats"
    assert not [k for k in report.merged if k.startswith("MESH:D004997")]
    drug = {e.id: e for e in cur.entities}["MESH:D004997"]
    assert (drug.label, drug.category) == ("Ethinylestradiol", "Drug") and imported_entity(drug)
    (conflict,) = [c for c in report.conflicts if c.startswith("MESH:D004997 'Ethinylestradiol'")]
    assert "curated CHEBI:4903 but no cross-reference links them" in conflict
    out = tmp_path / "ethinylestradiol-out.yaml"
    import_file("drugmechdb", path, out)
    g2 = kg.load(extra=[out])
    assert g2.resolve("ethinylestradiol").id == "CHEBI:4903"  # the curated name wins
    assert g2.resolve("MESH:D004997").id == "MESH:D004997"  # the imported drug is its own entity


def test_drugmechdb_import_loads_and_curated_names_still_resolve_to_curated_entities(tmp_path: Path) -> None:
    out = tmp_path / "paths.yaml"
    import_file("drugmechdb", DRUGMECHDB, out)
    g2 = kg.load(extra=[out])
    assert g2.resolve("tamoxifen").id == "CHEBI:41774" and g2.resolve("anastrozole").id == "CHEBI:2704"
    # a MeSH id that is a curated xref resolves to the curated drug; no imported entity holds it
    assert g2.resolve("MESH:D013629").id == "CHEBI:41774" and g2.resolve("MESH:D000077384").id == "CHEBI:2704"
    assert "MESH:D013629" not in g2.entities and "MESH:D000077384" not in g2.entities
    assert len(g2.statements) == len(kg.load().statements) + 8
    imported = [s for s in g2.statements.values() if origin_of(s) == "drugmechdb-drugmechdb_paths"]
    assert {s.subject for s in imported if s.predicate in ("inhibits", "treats")} == {"CHEBI:41774", "CHEBI:2704"}


def test_drugmechdb_pubmed_references_become_sources() -> None:
    import yaml

    (path, _) = yaml.safe_load(DRUGMECHDB.read_text())
    path["reference"] = [*path["reference"], "https://pubmed.ncbi.nlm.nih.gov/19820017/"]
    edges = [e for e in edges_of(path, 1) if hasattr(e, "pmids")]
    assert edges and all(e.pmids == ("PMID:19820017",) for e in edges)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        ("graph:\n    _id: X\n", "drugmechdb-shape"),
        ("-   directed: true\n    links: [\n", "yaml-syntax"),
        ("- just a string\n", "drugmechdb-path"),
        ("# only a comment\n", "non-empty"),
    ],
)
def test_bad_drugmechdb_files_give_a_named_error(content: str, rule: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(ImportFormatError) as err:
        import_file("drugmechdb", path, tmp_path / "out.yaml", curated=(), registered=())
    assert err.value.violations[0].rule == rule
    assert not (tmp_path / "out.yaml").exists()


def test_a_drugmechdb_path_of_correlations_only_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "corr.yaml"
    path.write_text(
        "-   graph: {_id: x}\n    links:\n    -   key: correlated with\n        source: GO:0030284\n"
        "        target: MESH:D001943\n    nodes: []\n"
    )
    with pytest.raises(ImportFormatError, match=r"no row became a statement.*correlated with.*no indication"):
        import_file("drugmechdb", path, tmp_path / "out.yaml", curated=(), registered=())


# ---------------------------------------------------------------------------------------------- BEL
@pytest.fixture(scope="module")
def bel(g: kg.KnowledgeGraph) -> tuple[Curation, object]:
    return import_curation("bel", BEL, curated=g.entities.values(), registered=g.sources)


def test_bel_relations_become_statements_with_citation_support_and_annotations(bel) -> None:  # type: ignore[no-untyped-def]
    cur, report = bel
    sts = by_pair(cur)
    e2 = sts[("CHEBI:16469", "HGNC:3467")]  # a(CHEBI:16469) directlyIncreases act(p(HGNC:ESR1))
    assert (e2.predicate, e2.sign, e2.summary) == ("activates", 1, False)
    assert dict(e2.context) == {"tissue": "UBERON:0002481"}  # SET Anatomy = "UBERON:0002481"
    assert e2.evidence[0].source == "PMID:33557249" and e2.evidence[0].text.startswith("Effects of estrogens on bone")
    assert "HGNC:ESR1 read as HGNC:3467" in (e2.note or "")
    ai = sts[("CHEBI:2704", "HGNC:2594")]  # directlyDecreases act(...) in SET Species = "9606"
    assert (ai.predicate, ai.sign, dict(ai.context)) == ("inhibits", -1, {"species": "NCBITaxon:9606"})
    zol = sts[("CHEBI:46557", "MONDO:0005315")]  # causesNoChange: a claim that does not hold
    assert (zol.predicate, zol.negated, zol.causal) == ("affects", True, False)
    assert all(s.evidence_type == "ECO:0000322" for s in cur.statements) and not cur.entities
    assert report.statements == 3 and report.rows == 11
    assert dict(report.skipped) == {
        "subject: a modified or variant form is not an entity of this graph": 2,  # AKT1 pmod(P,T,308)…
        "subject: a HGNC name without an identifier": 1,  # MAPKAP1 (not a curated gene)
        "subject: namespace 'MGI' is not a registered prefix": 2,
        "subject: a GO name without an identifier": 1,
        "BEL relation 'positiveCorrelation' has no predicate in the ontology": 1,
        "BEL BELSyntaxError": 1,
    }
    assert report.examples["BEL BELSyntaxError"] == [97]  # the file's line


def test_bel_reaches_no_network_for_url_namespaces(monkeypatch: pytest.MonkeyPatch, g: kg.KnowledgeGraph) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    cur, _ = import_curation("bel", BEL, curated=g.entities.values(), registered=g.sources)
    assert len(cur.statements) == 3


def test_a_missing_pybel_names_the_extra_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "pybel", None)  # what Python does when the package is absent
    with pytest.raises(ImportFormatError, match=r"pip install 'hormone-kg\[bel\]'"):
        import_file("bel", BEL, tmp_path / "out.yaml", curated=(), registered=())
    assert not (tmp_path / "out.yaml").exists()


def test_a_bel_file_with_nothing_understood_is_refused(tmp_path: Path) -> None:
    prose = tmp_path / "prose.bel"
    prose.write_text("This is a letter, not a BEL script.\nKind regards\n")
    with pytest.raises(ImportFormatError, match="PyBEL cannot read it: MalformedMetadataException") as err:
        import_file("bel", prose, tmp_path / "out.yaml", curated=(), registered=())
    assert (err.value.violations[0].rule, err.value.violations[0].line) == ("bel-syntax", 1)
    lines = BEL.read_text().splitlines()
    unusable = tmp_path / "correlations.bel"  # the sample's header and its small-corpus group 1 only
    unusable.write_text("\n".join([*lines[: lines.index('SET STATEMENT_GROUP = "Group 2"')], *lines[59:73]]) + "\n")
    with pytest.raises(ImportFormatError, match=r"no row became a statement \(2 rows: .*GO name.*positiveCorrelation"):
        import_file("bel", unusable, tmp_path / "out.yaml", curated=(), registered=())
    assert not (tmp_path / "out.yaml").exists()


def test_the_bel_command_prints_only_json_on_stdout(tmp_path: Path) -> None:
    out = tmp_path / "bel.yaml"
    result = CliRunner().invoke(cli, ["--json", "import", "bel", str(BEL), "-o", str(out), "--load"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)  # PyBEL's printed warnings would break this
    assert doc["statements"] == 3 and doc["loaded_statements"] == len(kg.load().statements) + 3


# ---------------------------------------------------------------------------------------------- origins
@pytest.fixture(scope="module")
def with_imports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("imports")
    outs = []
    for fmt, sample in (("indra", INDRA), ("drugmechdb", DRUGMECHDB)):
        out = folder / f"{fmt}.yaml"
        import_file(fmt, sample, out)
        outs.append(out)
    return outs


def test_filtering_to_curated_gives_the_bundled_answers(with_imports: list[Path], g: kg.KnowledgeGraph) -> None:
    everything = kg.load(extra=with_imports)
    curated = kg.load(extra=with_imports, origins=("curated",))
    assert len(everything.statements) == len(g.statements) + 4 + 8
    assert set(curated.statements) == set(g.statements)
    for src, dst in (("aromatase", "GO:0008283"), ("anastrozole", "BMD")):
        assert [p.compact() for p in curated.causal_paths(src, dst)] == [p.compact() for p in g.causal_paths(src, dst)]
    assert curated.effect("anastrozole", "BMD").direction == g.effect("anastrozole", "BMD").direction
    only = kg.load(extra=with_imports, origins="imported")
    assert {origin_of(s) for s in only.statements.values()} == {"indra-indra_statements", "drugmechdb-drugmechdb_paths"}
    one = kg.load(extra=with_imports, origins=["drugmechdb-drugmechdb_paths"])
    assert len(one.statements) == 8


def test_imported_steps_rank_after_the_curated_path_of_the_same_length(with_imports: list[Path]) -> None:
    everything = kg.load(extra=with_imports)
    paths = [
        (p.compact(), [origin_of(s) for s in p.statements]) for p in everything.causal_paths("aromatase", "GO:0008283")
    ]
    curated = "aromatase → 17β-estradiol → estrogen receptor α → cell population proliferation"
    imported = "aromatase → estrogen → esterogne receptor activity → cell population proliferation"  # DrugMechDB
    names = [name for name, _ in paths]
    assert names.index(curated) < names.index(imported)
    assert set(paths[names.index(imported)][1]) == {"drugmechdb-drugmechdb_paths"}


def test_an_unknown_origin_is_an_error_naming_the_known_ones(with_imports: list[Path]) -> None:
    with pytest.raises(ValidationError, match=r"unknown origins \['signor'\]; this graph has .*'drugmechdb-dru"):
        kg.load(extra=with_imports, origins=["signor"])


def test_the_origin_option_on_query_commands(with_imports: list[Path]) -> None:
    args = ["--json", "paths", "aromatase", "GO:0008283"]
    extra = [a for p in with_imports for a in ("--extra", str(p))]
    every = CliRunner().invoke(cli, [*extra, *args])
    curated = CliRunner().invoke(cli, [*extra, "--origin", "curated", *args])
    assert every.exit_code == 0 and curated.exit_code == 0, every.output + curated.output
    assert "esterogne receptor activity" in every.stdout and "esterogne receptor activity" not in curated.stdout
    bad = CliRunner().invoke(cli, [*extra, "--origin", "nope", *args])
    assert bad.exit_code != 0 and "unknown origins" in bad.output
