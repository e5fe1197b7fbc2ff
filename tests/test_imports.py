"""Importers (issue 16): SIGNOR, KGX (round trip of our own export), a CSV with a column map; identity through
xrefs (the shadowing case), no silent acceptance, bad files, and the trust tier of imported statements.

Samples are in tests/data/imports/ (README.md there says where each row comes from).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli
from kg.errors import ImportFormatError, KGError, ValidationError
from kg.exporters.kgx import KGX_EDGE_COLUMNS
from kg.imports import import_curation, import_file, origin_of
from kg.model import IMPORT_WEIGHT, Curation, Entity, Evidence, Statement, imported_entity
from kg.search import SearchIndex
from kg.search.hops import Hop, RawPath
from kg.sources.rdfgraph import build_graph
from kg.table import StatementTable
from tests.conftest import same_graph

DATA = Path(__file__).parent / "data" / "imports"


@pytest.fixture(scope="module")
def g() -> kg.KnowledgeGraph:
    return kg.load()


@pytest.fixture(scope="module")
def signor(g: kg.KnowledgeGraph) -> tuple[Curation, object]:
    return import_curation("signor", DATA / "signor.tsv", curated=g.entities.values(), registered=g.sources)


def by_subject(cur: Curation) -> dict[tuple[str, str], Statement]:
    return {(s.subject, s.object): s for s in cur.statements}


# ---------------------------------------------------------------------------------------------- SIGNOR
def test_signor_rows_become_signed_statements_with_their_context_and_provenance(signor) -> None:  # type: ignore[no-untyped-def]
    cur, report = signor
    sts = by_subject(cur)
    met = sts[("UniProtKB:Q04206", "UniProtKB:P08581")]  # SIGNOR-241929: RELA up-regulates quantity MET, mouse
    assert (met.predicate, met.sign, met.summary) == ("increases", 1, False)
    assert dict(met.context) == {"species": "NCBITaxon:10090"}
    assert met.evidence == (Evidence("PMID:19530226", met.evidence[0].text),)
    assert met.evidence[0].text.startswith("Together, these results indicate that the Met gene")
    assert "BTO:0002895" in (met.note or "") and met.evidence_type == "ECO:0000322"
    apob = sts[("UniProtKB:P01308", "UniProtKB:P04114")]  # SIGNOR-252114: indirect, no sentence
    assert (apob.predicate, apob.sign, apob.summary) == ("decreases", -1, True)
    assert apob.sources == ("PMID:23721961", "src:import-signor-signor")
    (ev,) = apob.evidence
    assert ev.source == "src:import-signor-signor" and "quotes no sentence" in ev.text and "SIGNOR-252114" in ev.text
    chek2 = sts[("UniProtKB:O96017", "UniProtKB:O96017")]  # up-regulates activity, direct -> activates
    assert (chek2.predicate, chek2.sign) == ("activates", 1)
    assert sts[("UniProtKB:Q05655", "UniProtKB:Q9Y2R2")].predicate == "decreases"
    assert all(origin_of(s) == "signor-signor" for s in cur.statements)
    assert report.rows == 8 and report.statements == 6
    assert dict(report.skipped) == {
        "subject: unregistered prefix 'PUBCHEM'": 1,
        "object: unregistered prefix 'SIGNOR'": 1,
    }


def test_signor_uniprot_lands_on_the_curated_receptor_and_names_stay_curated(signor) -> None:  # type: ignore[no-untyped-def]
    cur, report = signor
    st = by_subject(cur)[("CHEBI:16469", "HGNC:3467")]  # written with UniProt P03372 (ESR1)
    assert (st.predicate, st.sign) == ("activates", 1)
    assert report.merged == {"UniProtKB:P03372 -> HGNC:3467": 1}
    assert "HGNC:3467" not in {e.id for e in cur.entities} and "UniProtKB:P03372" not in {e.id for e in cur.entities}
    assert all(imported_entity(e) for e in cur.entities)
    assert any("UniProtKB:P01308 'INS'" in c and "HGNC:6081" in c for c in report.conflicts)


def test_signor_import_loads_and_insulin_still_resolves_to_the_curated_entity(tmp_path: Path) -> None:
    out = tmp_path / "signor.yaml"
    import_file("signor", DATA / "signor.tsv", out)
    g2 = kg.load(extra=[out])
    assert g2.resolve("INS").id == "HGNC:6081"  # the imported UniProtKB:P01308 'INS' does not shadow it
    assert g2.resolve("UniProtKB:P01308").label == "INS"
    assert len(g2.statements) == len(kg.load().statements) + 6


# ---------------------------------------------------------------------------------------------- identity
def test_an_estradiol_node_under_mesh_merges_and_changes_no_answer(tmp_path: Path, g: kg.KnowledgeGraph) -> None:
    before = g.effect("estradiol", "BMD")
    out = tmp_path / "mesh.yaml"
    report = import_file("kgx", DATA / "mesh_edges.tsv", out)
    assert report.merged == {"MESH:D004958 -> CHEBI:16469": 1, "UniProtKB:Q92731 -> HGNC:3468": 1}
    assert report.new_entities == 0 and report.statements == 1
    g2 = kg.load(extra=[out])
    assert g2.resolve("estradiol").id == "CHEBI:16469"
    assert g2.resolve("MESH:D004958").id == "CHEBI:16469" and "MESH:D004958" not in g2.entities
    after = g2.effect("estradiol", "BMD")
    assert (after.direction, len(after.paths)) == (before.direction, len(before.paths))
    assert len(before.paths) > 5
    (st,) = [s for s in g2.statements.values() if origin_of(s) != "curated"]
    assert (st.subject, st.predicate, st.object) == ("CHEBI:16469", "agonist_of", "HGNC:3468")


# ---------------------------------------------------------------------------------------------- KGX round trip
def _strip(cur: Curation) -> Curation:
    """Statements and entities as KGX carries them: no origin mark, and without what KGX has no column for
    (a statement's reaction and note; an entity's comment and verified)."""
    sts = tuple(
        dataclasses.replace(
            s, sources=tuple(x for x in s.sources if not x.startswith("src:import-")), reaction=None, note=None
        )
        for s in cur.statements
    )
    ents = tuple(dataclasses.replace(e, comment=None, verified=None) for e in cur.entities)
    return Curation(entities=ents, statements=sts).canonical()


def test_kgx_export_imported_again_gives_an_isomorphic_graph(tmp_path: Path, g: kg.KnowledgeGraph) -> None:
    kg.export(g, tmp_path, formats=["kgx"])
    edges = tmp_path / "kgx" / "edges.tsv"
    cur, report = import_curation("kgx", edges, curated=(), registered=(), keep_ids=True)
    assert report.statements == len(g.statements) and not report.skipped
    assert all(origin_of(s) == "kgx-edges" for s in cur.statements)
    original = Curation(entities=tuple(g.entities.values()), statements=tuple(g.statements.values()))
    a = build_graph(_strip(original), with_ontology=False)
    b = build_graph(_strip(cur), with_ontology=False)
    assert len(a) > 5000 and same_graph(a, b)


def test_kgx_json_lines_are_read_too(tmp_path: Path) -> None:
    header = (DATA / "mesh_edges.tsv").read_text().splitlines()
    cells = dict(zip(header[0].split("\t"), header[1].split("\t"), strict=True))
    (tmp_path / "x_edges.jsonl").write_text(json.dumps({**cells, "publications": ["PMID:33557249"]}) + "\n")
    cur, _ = import_curation("kgx", tmp_path / "x_edges.jsonl", curated=kg.load().entities.values())
    (st,) = cur.statements
    assert (st.subject, st.predicate, st.object) == ("CHEBI:16469", "agonist_of", "HGNC:3468")
    assert "PMID:33557249" in st.sources and "id" in KGX_EDGE_COLUMNS


# ---------------------------------------------------------------------------------------------- CSV with a map
def test_a_csv_with_a_column_map(g: kg.KnowledgeGraph) -> None:
    columns = {"subject": "drug", "object": "target", "predicate": "effect", "subject_name": "drug_name",
               "object_name": "target_name", "pmid": "pmid", "sentence": "sentence", "species": "taxon"}  # fmt: skip
    cur, report = import_curation("table", DATA / "pairs.csv", columns=columns, curated=g.entities.values())
    (st,) = cur.statements
    assert (st.subject, st.predicate, st.object, st.sign) == ("CHEBI:2704", "inhibits", "HGNC:2594", -1)
    assert st.evidence[0].source == "PMID:19820017" and dict(st.context) == {"species": "NCBITaxon:9606"}
    assert report.merged == {"UniProtKB:P11511 -> HGNC:2594": 1}
    assert dict(report.skipped) == {"object: unregistered prefix 'PUBCHEM'": 1}


# ---------------------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("fmt", "content", "rule"),
    [
        ("signor", "", "non-empty"),
        ("signor", "ENTITYA\tIDA\tEFFECT\nx\ty\tz\n", "signor-columns"),
        ("signor", "a\tb\n", "signor-row"),
        ("kgx", "subject\tobject\nA:1\tB:1\n", "kgx-columns"),
        ("kgx", "id\tsubject\n", "non-empty"),
        ("signor", "\xff\xfe garbage", "utf-8"),
    ],
)
def test_bad_files_give_a_named_error_and_write_nothing(fmt: str, content: str, rule: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_bytes(content.encode("latin-1"))
    out = tmp_path / "out.yaml"
    with pytest.raises(ImportFormatError) as err:
        import_file(fmt, path, out, curated=(), registered=())
    assert err.value.violations[0].rule == rule
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["bad.tsv"]


def test_a_file_of_which_no_row_is_usable_is_an_error_naming_why(tmp_path: Path) -> None:
    rows = (DATA / "signor.tsv").read_text().splitlines()
    path = tmp_path / "pubchem.tsv"
    path.write_text("\n".join([rows[0], rows[3], rows[5]]) + "\n")  # the PUBCHEM and SIGNOR-complex rows
    with pytest.raises(ImportFormatError, match=r"no row became a statement \(2 rows: .*PUBCHEM") as err:
        import_file("signor", path, tmp_path / "out.yaml", curated=(), registered=())
    assert isinstance(err.value, KGError) and not (tmp_path / "out.yaml").exists()


def test_unknown_format_and_missing_column_map_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="unknown import format"):
        import_file("bel2", DATA / "signor.tsv", tmp_path / "x.yaml", curated=(), registered=())
    with pytest.raises(ImportFormatError, match="column map"):
        import_file("table", DATA / "pairs.csv", tmp_path / "x.yaml", curated=(), registered=())
    with pytest.raises(ImportFormatError, match="lacks the mapped columns"):
        import_file("table", DATA / "pairs.csv", tmp_path / "x.yaml", columns={"subject": "s", "object": "drug",
                    "predicate": "effect"}, curated=(), registered=())  # fmt: skip


# ---------------------------------------------------------------------------------------------- no silent acceptance
@pytest.mark.parametrize("name", ["random.nt", "biolink.ttl", "cytoscape.json"])
def test_rdf_or_json_not_in_the_compiled_shape_is_refused(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    if name == "random.nt":
        path.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    elif name == "biolink.ttl":  # Biolink-shaped RDF (biolink: classes and predicates, no hkg: statement)
        path.write_text(
            "@prefix biolink: <https://w3id.org/biolink/vocab/> .\n"
            "<http://purl.obolibrary.org/obo/CHEBI_16469> a biolink:SmallMolecule ;\n"
            "    biolink:affects <http://identifiers.org/hgnc/3467> .\n"
        )
    else:
        path.write_text((Path(__file__).parents[1] / "exports" / "hormone-kg.cytoscape.json").read_text())
    with pytest.raises(ValidationError, match="understood-content"):
        kg.load(extra=[path])
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1 and "understood-content" in result.stdout


# ---------------------------------------------------------------------------------------------- trust tier
def test_imported_steps_rank_after_curated_ones_and_count_less() -> None:
    ev = (Evidence("PMID:1", "t"),)
    curated = [
        Statement("a", "X:A", "increases", "X:B", 1, ("src:curator",), (Evidence("src:curator", "t"),)),
        Statement("b", "X:B", "increases", "X:D", 1, ("src:curator",), (Evidence("src:curator", "t"),)),
    ]
    origin = "src:import-x"
    imported = [Statement("c", "X:A", "increases", "X:C", 1, ("PMID:1", "PMID:2", "PMID:3", origin), ev),
                Statement("d", "X:C", "increases", "X:D", 1, ("PMID:1", "PMID:2", "PMID:3", origin), ev)]  # fmt: skip
    table = StatementTable.from_statements([*curated, *imported])
    assert table.support.tolist() == pytest.approx([0.25, 0.25, 4 * IMPORT_WEIGHT, 4 * IMPORT_WEIGHT])
    paths = SearchIndex.build([*curated, *imported]).paths("X:A", "X:D").paths
    assert [p.nodes for p in paths] == [("X:A", "X:B", "X:D"), ("X:A", "X:C", "X:D")]
    hop = Hop("X:A", "X:C", 1, "plain", None, (imported[0],))
    assert hop.imported and RawPath((hop,)).rank()[1] == 1
    both = Hop("X:A", "X:C", 1, "plain", None, (imported[0], dataclasses.replace(curated[0], object="X:C")))
    assert not both.imported  # a curated statement for the same step makes it curated


def test_imported_entities_never_take_a_curated_name() -> None:
    from kg.store.resolve import NameIndex

    curated = Entity("CHEBI:16469", "17β-estradiol", "Hormone", synonyms=("estradiol",))
    other = Entity("MESH:D999", "estradiol", "Chemical", verified="imported, not verified by a curator: kgx x")
    assert NameIndex([other, curated]).resolve("estradiol").id == "CHEBI:16469"


# ---------------------------------------------------------------------------------------------- command line
def test_the_import_command_writes_a_file_that_loads(tmp_path: Path) -> None:
    out = tmp_path / "s.yaml"
    result = CliRunner().invoke(cli, ["--json", "import", "signor", str(DATA / "signor.tsv"), "-o", str(out), "--load"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["statements"] == 6 and doc["loaded_statements"] == len(kg.load().statements) + 6
    bad = CliRunner().invoke(cli, ["import", "kgx", str(DATA / "signor.tsv"), "-o", str(tmp_path / "b.yaml")])
    assert bad.exit_code == 1 and "kgx-columns" in bad.output and not (tmp_path / "b.yaml").exists()
