"""The first minute of a new user (issue 18): contexts that can be found and are forgiving, and a command line
that behaves in a pipe.

Every command runs for real, through ``python -m kg`` in a subprocess (its standard output a pipe, never a
terminal); the Python side through the public API. Expectations come from the issue and the contract
(docs/cli.md): "women", "female", "men", "male" are contexts; ``tissue=bone`` names bone tissue
(UBERON:0002481); ``-`` is standard input or output; a piped table is never cut at 80 columns.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import kg
from kg.context import Context, ContextEntry, list_contexts, resolve_names
from kg.graph import KnowledgeGraph
from kg.sources.curation import parse_text
from kg.sources.rdfgraph import build_graph

BONE = "UBERON:0002481"
#: the seed article's two tables: women on an aromatase inhibitor for breast cancer, men on testosterone therapy
WOMEN = "postmenopausal women with hormone-receptor-positive breast cancer"
WOMEN_VS_MEN = ["--context", WOMEN, "--context", "men on testosterone therapy"]

GOOD_YAML = """\
entities:
  - id: HKG:first_contact_marker
    label: first-contact marker
    category: Chemical
    comment: "test entity read from standard input"
statements:
  - id: first-contact-marker-increases-estradiol
    subject: HKG:first_contact_marker
    predicate: increases
    object: CHEBI:16469
    sources: [src:seed-article]
    evidence:
      - source: src:seed-article
        text: "a sentence"
"""

#: GOOD_YAML in the compiled RDF shape (a file with nothing in that shape is refused: issue 16)
GOOD_TURTLE = "# a comment first, as in many Turtle files\n" + build_graph(
    parse_text(GOOD_YAML, "good.yaml")
).serialize(format="turtle")

BAD_YAML = """\
statements:
  - id: first-contact-bad
    subject: CHEBI:2704
    predicate: increases
    object: CHEBI:16469
"""  # no sources, no evidence


def hkg(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m kg ARGS`` with standard output a pipe (and no ``COLUMNS`` to fall back on)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE")}
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        cwd=cwd,
        env=env,
        check=False,
    )


def ok_json(*args: str, stdin: str | None = None) -> dict:
    proc = hkg("--json", *args, stdin=stdin)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def tsv_rows(*args: str) -> list[list[str]]:
    proc = hkg(*args, "--tsv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.endswith("\n") and "\x1b" not in proc.stdout
    return [line.split("\t") for line in proc.stdout.splitlines()]


def usage_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 2, a message naming the problem, no traceback, nothing on standard output."""
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    for word in words:
        assert word in proc.stderr, (word, proc.stderr)


# ---------------------------------------------------------------------------------------------- contexts: listing
def test_contexts_command_lists_populations_regimens_and_qualifiers() -> None:
    proc = hkg("contexts")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for text in ("Populations", "women", "postmenopausal women", "men on testosterone therapy", "men on TRT"):
        assert text in out, text
    assert "sex=female" in out and "species=human" in out  # what each population means, CURIEs by label
    assert "Regimens" in out and "anastrozole 1 mg daily" in out
    assert "Qualifiers" in out and "tissue=bone" in out  # what a context may set instead

    doc = ok_json("contexts")
    by_id = {c["id"]: c for c in doc["contexts"]}
    assert by_id["pop:women"]["qualifiers"] == {"sex": "female", "species": "NCBITaxon:9606"}
    assert {"female"} <= set(by_id["pop:women"]["synonyms"]) and "male" in by_id["pop:men"]["synonyms"]
    assert by_id["pop:postmenopausal-women"]["broader"] == ["pop:women"]
    assert by_id["regimen:anastrozole-1mg-daily"]["kind"] == "regimen"
    assert by_id["regimen:anastrozole-1mg-daily"]["labels"]["CHEBI:2704"] == "anastrozole"
    assert doc["qualifiers"]["sex"]["values"] == ["female", "male"] and doc["qualifiers"]["tissue"]["values"] is None


def test_contexts_filtered_by_text_and_as_tsv() -> None:
    rows = tsv_rows("contexts", "women")
    assert rows[0] == ["kind", "id", "label", "synonyms", "qualifiers", "broader"]
    assert rows[1][1] == "pop:women"  # the exact name first
    assert {r[1] for r in rows[1:]} >= {"pop:postmenopausal-women", "pop:premenopausal-women"}
    # every match is a population of women or one whose name says women ("… men and women …")
    assert all(r[0] == "population" and ("female" in r[4] or "women" in (r[2] + r[3]).casefold()) for r in rows[1:])
    none = hkg("contexts", "martians")
    assert none.returncode == 0 and "No population or regimen matches 'martians'" in none.stdout


def test_python_listing_of_contexts(bundled: KnowledgeGraph) -> None:
    entries = list_contexts(bundled)
    assert all(isinstance(c, ContextEntry) for c in entries)
    assert [c.kind for c in entries] == sorted((c.kind for c in entries), key=lambda k: k != "population")
    assert {c.id for c in entries} >= {
        "pop:women",
        "pop:men",
        "pop:postmenopausal-women",
        "regimen:anastrozole-1mg-daily",
    }
    women = list_contexts(bundled, "female")[0]
    assert women.id == "pop:women" and women.describe() == "sex=female, species=human"
    assert "female" in women.names()
    assert [c.id for c in list_contexts(bundled, "MALE")][:1] == ["pop:men"]
    assert list_contexts(bundled, "no such population") == []
    assert kg.context.list_contexts is list_contexts  # reachable as kg.context after `import kg`


# ---------------------------------------------------------------------------------------------- contexts: forgiving
@pytest.mark.parametrize(
    ("word", "population"), [("women", "pop:women"), ("female", "pop:women"), ("men", "pop:men"), ("male", "pop:men")]
)
def test_women_female_men_male_are_contexts_in_python(bundled: KnowledgeGraph, word: str, population: str) -> None:
    for given in (word, word.upper(), f" {word} "):
        assert bundled.context(given).population == population
    sex = "female" if population == "pop:women" else "male"
    assert dict(bundled.context({"sex": word}).qualifiers) == {"sex": sex}  # as a qualifier value too
    effect = bundled.effect("anastrozole", "bone mineral density", context=word)
    assert effect.context == bundled.context(word).label


def test_women_and_men_are_contexts_on_the_command_line() -> None:
    doc = ok_json("effect", "anastrozole", "BMD", "--context", "women")
    assert doc["context"] == "women" and doc["direction"] == "decrease"  # less estradiol, less bone
    rows = ok_json("compare", "anastrozole", "bone resorption", "--context", "female", "--context", "male")["rows"]
    assert [r["context"] for r in rows] == ["women", "men"]
    for given in ("sex=women", "sex=Female"):
        assert ok_json("paths", "anastrozole", "BMD", "--context", given)["context"] == "sex=female"


def test_a_general_population_reports_its_narrower_ones_as_subgroups_and_never_the_other_sex(
    bundled: KnowledgeGraph,
) -> None:
    """Issue 14, rule 1: what is about postmenopausal women is a subgroup result for a question about women."""
    women, men = bundled.context("women"), bundled.context("men")
    pops = bundled.populations
    assert women.narrower({"population": "pop:postmenopausal-women"}, pops)
    assert not women.admits({"population": "pop:postmenopausal-women"}, pops)
    assert women.with_subgroups().admits({"population": "pop:postmenopausal-women"}, pops)
    assert women.admits({"sex": "female"}, pops) and women.admits({}, pops)
    assert not women.with_subgroups().admits({"population": "pop:men-on-testosterone-therapy"}, pops)
    assert men.narrower({"population": "pop:older-men-low-testosterone"}, pops)
    assert not men.with_subgroups().admits({"population": "pop:postmenopausal-women"}, pops)


def test_unknown_population_still_suggests_and_names_the_listing() -> None:
    proc = hkg("effect", "anastrozole", "BMD", "--context", "wimen")
    usage_error(proc, "unknown population 'wimen'", "'women'", "hormone-kg contexts")


# ---------------------------------------------------------------------------------------------- contexts: tissue names
def test_tissue_names_resolve_in_python(bundled: KnowledgeGraph) -> None:
    ctx = Context.parse({"tissue": "bone"}, bundled.populations, names=bundled.resolve)
    assert dict(ctx.qualifiers) == {"tissue": BONE}
    assert resolve_names({"tissue": "Bone Tissue", "sex": "female"}, bundled.resolve) == {
        "tissue": BONE,
        "sex": "female",
    }
    assert resolve_names({"tissue": "osteoclast"}, bundled.resolve) == {"tissue": bundled.resolve("osteoclast").id}
    assert resolve_names({"species": "human"}, bundled.resolve) == {"species": "NCBITaxon:9606"}
    assert resolve_names("postmenopausal women", bundled.resolve) == "postmenopausal women"
    named = bundled.effect("tamoxifen", "osteoclast", context=resolve_names({"tissue": "bone"}, bundled.resolve))
    assert named.context == f"tissue={BONE}" and named.paths


def test_graph_context_resolves_tissue_names_itself(bundled: KnowledgeGraph) -> None:
    assert dict(bundled.context({"tissue": "bone"}).qualifiers) == {"tissue": BONE}


@pytest.mark.parametrize(
    ("tissue", "words"),
    [
        ("bnoe", ["tissue='bnoe'", "names no entity", "'bone'"]),
        ("anastrozole", ["tissue='anastrozole'", "CHEBI:2704", "Drug", "not an anatomy or cell entity"]),
        ("CHEBI:2704", ["tissue='CHEBI:2704'", "not an anatomy or cell entity"]),
        ("CHEBI:999999999", ["tissue='CHEBI:999999999'", "UBERON or CL"]),
    ],
)
def test_bad_tissue_names_are_refused_by_name(bundled: KnowledgeGraph, tissue: str, words: list[str]) -> None:
    with pytest.raises(kg.UnknownContextError) as err:
        Context.parse({"tissue": tissue}, bundled.populations, names=bundled.resolve)
    for word in words:
        assert word in str(err.value)


def test_tissue_names_on_the_command_line() -> None:
    by_name = ok_json("paths", "tamoxifen", "osteoclast", "--context", "tissue=bone")
    by_curie = ok_json("paths", "tamoxifen", "osteoclast", "--context", f"tissue={BONE}")
    assert by_name == by_curie and by_name["context"] == f"tissue={BONE}"
    breast = ok_json("paths", "tamoxifen", "osteoclast", "--context", "tissue=breast")
    assert by_name["paths"] and breast["paths"] != by_name["paths"]  # a SERM acts by tissue: the name counts
    usage_error(hkg("paths", "tamoxifen", "BMD", "--context", "sex=female,tissue=bnoe"), "tissue='bnoe'", "'bone'")
    usage_error(hkg("effect", "tamoxifen", "BMD", "--context", "tissue=anastrozole"), "not an anatomy or cell entity")
    usage_error(hkg("compare", "tamoxifen", "BMD", "-c", "women", "-c", "tissue=estradiol"), "tissue='estradiol'")


# ---------------------------------------------------------------------------------------------- search
def test_search_women_finds_the_populations() -> None:
    proc = hkg("search", "women")
    assert proc.returncode == 0, proc.stderr
    assert "pop:women" in proc.stdout and "pop:postmenopausal-women" in proc.stdout
    assert "No entity" not in proc.stdout and "--context" in proc.stderr  # a hint: how to use them
    doc = ok_json("search", "female")
    assert doc["contexts"][0]["id"] == "pop:women" and doc["contexts"][0]["kind"] == "population"
    rows = tsv_rows("search", "women")
    assert rows[0] == ["id", "label", "category", "also_known_as"]
    assert rows[1][:3] == ["pop:women", "women", "Population"]
    assert "nor any population or regimen" in hkg("search", "zzzzqqq").stdout


# ---------------------------------------------------------------------------------------------- --help
def test_top_level_help_shows_each_example_on_its_own_line() -> None:
    proc = hkg("--help")
    assert proc.returncode == 0
    out = proc.stdout
    assert "\\b" not in out and "\b" not in out
    lines = out.splitlines()
    examples = [line.strip() for line in lines if line.strip().startswith("hormone-kg ")]
    assert len(examples) >= 4, out  # one example per line, not run into one paragraph
    assert examples[0] == 'hormone-kg explain anastrozole "bone mineral density" --context "postmenopausal women"'
    assert any(line.strip() == "Examples:" for line in lines)
    assert "contexts" in out  # the new command is listed


# ---------------------------------------------------------------------------------------------- standard input
def test_validate_reads_a_good_file_from_stdin() -> None:
    proc = hkg("validate", "-", stdin=GOOD_YAML)
    assert proc.returncode == 0, proc.stderr
    assert "ok: 1 file(s)" in proc.stdout
    turtle = hkg("validate", "-", stdin=GOOD_TURTLE)  # Turtle recognised by its first line
    assert turtle.returncode == 0, turtle.stderr
    doc = ok_json("validate", "-", stdin=GOOD_YAML)
    assert doc["valid"] is True and doc["files"] == ["-"]


def test_validate_names_stdin_in_violations() -> None:
    proc = hkg("validate", "-", stdin=BAD_YAML)
    assert proc.returncode == 1
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert lines and all(line.startswith("<stdin>") for line in lines), proc.stdout
    assert "first-contact-bad" in proc.stdout and "sources" in proc.stdout
    assert "hormone-kg-stdin" not in proc.stdout + proc.stderr  # never the temporary copy's path
    doc = json.loads(hkg("--json", "validate", "-", stdin=BAD_YAML).stdout)
    assert doc["valid"] is False and {v["file"] for v in doc["violations"]} == {"<stdin>"}


def test_stdin_as_extra_and_read_once() -> None:
    doc = ok_json("--extra", "-", "show", "first-contact marker", stdin=GOOD_YAML)
    assert doc["entity"]["id"] == "HKG:first_contact_marker"
    usage_error(hkg("validate", "-", "-", stdin=GOOD_YAML), "standard input (-) can be read only once")


def test_sparql_reads_the_query_from_stdin() -> None:
    query = "SELECT ?label WHERE { ?drug rdfs:label ?label . FILTER(?drug = CHEBI:2704) }"
    doc = ok_json("sparql", "@-", stdin=query)
    assert doc["rows"] == [{"label": "anastrozole"}]
    rows = tsv_rows("sparql", "SELECT ?label WHERE { CHEBI:2704 rdfs:label ?label }")
    assert rows == [["label"], ["anastrozole"]]
    assert hkg("sparql", "@-", stdin="SELEKT nothing").returncode == 2


# ---------------------------------------------------------------------------------------------- standard output
def test_export_one_format_to_stdout(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kg", "export", "--format", "ntriples", "-o", "-"],
        capture_output=True,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "-").exists() and list(tmp_path.iterdir()) == []
    written = hkg("export", "--format", "ntriples", "-o", str(tmp_path / "out"))
    assert written.returncode == 0, written.stderr
    assert proc.stdout == (tmp_path / "out" / "hormone-kg.nt").read_bytes()  # byte for byte the same file


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["export", "-o", "-"], ["-o -", "one --format"]),
        (["export", "-f", "turtle", "-f", "csv", "-o", "-"], ["2 formats"]),
        (["export", "-f", "kgx", "-o", "-"], ["kgx", "2 files", "nodes.tsv"]),
        (["build", "-o", "-"], ["give a directory"]),
        (["--json", "export", "-f", "turtle", "-o", "-"], ["--json"]),
    ],
)
def test_export_to_dash_refuses_what_is_not_one_file(tmp_path: Path, args: list[str], words: list[str]) -> None:
    usage_error(hkg(*args, cwd=tmp_path), *words)
    assert list(tmp_path.iterdir()) == []  # no directory named "-", nothing written


def test_viz_to_stdout(tmp_path: Path) -> None:
    proc = hkg("viz", "--focus", "anastrozole", "--radius", "1", "-o", "-", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.lstrip().lower().startswith("<!doctype html") and "anastrozole" in proc.stdout
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------- tables in pipes
def test_piped_compare_table_is_not_cut_at_80_columns() -> None:
    proc = hkg("compare", "anastrozole", "bone resorption", *WOMEN_VS_MEN)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert max(len(line) for line in lines) > 80  # the full width, not the 80-column default
    assert "…" not in proc.stdout  # no cell cut short
    rows = [line for line in lines if "men on testosterone therapy" in line and "moderate" in line]
    assert rows, proc.stdout  # a row is one line: the context and its magnitude side by side
    women = [line for line in lines if line.lstrip("│┃ ").startswith(WOMEN) and "strong" in line]
    assert women, proc.stdout


def test_piped_reach_table_keeps_whole_paths() -> None:
    proc = hkg("downstream", "estradiol", "--decrease", "--context", "postmenopausal women", "--limit", "30")
    assert proc.returncode == 0, proc.stderr
    assert "…" not in proc.stdout and max(len(line) for line in proc.stdout.splitlines()) > 80


def test_tsv_for_the_tables_that_have_json() -> None:
    compare = tsv_rows("compare", "anastrozole", "bone resorption", *WOMEN_VS_MEN)
    assert compare[0] == [
        "context",
        "direction",
        "predicted",
        "observed",
        "reported",
        "magnitude",
        "paths",
        "findings",
        "sources",
    ]
    assert [(r[0], r[5]) for r in compare[1:]] == [
        (WOMEN, "strong"),
        ("men on testosterone therapy", "moderate"),
    ]
    assert all(len(r) == len(compare[0]) for r in compare)
    effect = tsv_rows("effect", "anastrozole", "BMD", "--context", "postmenopausal women")
    assert effect[0][:4] == ["src", "dst", "context", "direction"] and len(effect) == 2
    assert effect[1][:4] == ["CHEBI:2704", "EFO:0003923", "postmenopausal women", "decrease"]
    down = tsv_rows("downstream", "E2", "--decrease", "--context", "women", "--limit", "5")
    assert down[0] == ["id", "label", "category", "direction", "shortest_path"] and len(down) == 6
    assert all(r[3] in ("increase", "decrease", "mixed", "unknown", "none") for r in down[1:])
    up = tsv_rows("upstream", "E2", "--limit", "3")
    assert up[0][0] == "id" and len(up) == 4
    loops = tsv_rows("loops", "LH")
    assert loops[0] == ["n", "kind", "steps", "cycle", "nodes"] and "negative" in {r[1] for r in loops[1:]}
    show = tsv_rows("show", "anastrozole")
    assert show[0][:4] == ["direction", "id", "sign", "subject"]
    assert any(r[0] == "out" and r[5] == "inhibits" and r[6] == "HGNC:2594" for r in show[1:])


def test_json_and_tsv_together_is_a_usage_error() -> None:
    usage_error(hkg("--json", "compare", "anastrozole", "BMD", "-c", "women", "--tsv"), "--json and --tsv")


# ---------------------------------------------------------------------------------------------- the README's own file
def test_the_readme_example_file_works_as_written(tmp_path: Path) -> None:
    """Issue 18: the README's "Adding a statement" file validates and loads as written, with its own sources."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert "sources:" in block.split("statements:")[0]  # the file registers its own source
    mine = tmp_path / "mine.yaml"
    mine.write_text(block, encoding="utf-8")
    proc = hkg("validate", str(mine))
    assert proc.returncode == 0, proc.stderr
    g = kg.load(extra=[mine])
    st = g.statements["mylab-estradiol-increases-opg"]
    assert (st.subject, st.object, st.sign) == ("CHEBI:16469", "HGNC:11909", 1)
    assert st.sources == ("src:mylab-2026-osteoblast-opg",)
