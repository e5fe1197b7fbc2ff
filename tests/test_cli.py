"""The command line (SPEC §5): every subcommand through click's CliRunner, plus real subprocess runs.

Expectations come from the contract (SPEC §1 mechanism, §5 exit codes and did-you-mean) and from the
literature the graph cites (ATAC: anastrozole lowers lumbar-spine BMD by 6.08 % at 5 years, Eastell 2008,
PMID 18309940), never from what the code happens to print.

``viz``, ``export``/``build`` and ``push`` are tested for real (files written into tmp_path; a real Oxigraph
server on a loopback port for ``push``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import kg
from kg.cli import cli, main
from kg.graph import KnowledgeGraph
from tests.conftest import Written

HEADLINE = ["anastrozole", "bone mineral density", "--context", "postmenopausal women"]
HOSTILE = "[bold red]x[/]"
ANSI = re.compile(r"\x1b\[")
COLOUR = re.compile(r"\x1b\[(?:\d+;)*(?:3[0-7]|9[0-7]|38;[25]|38)(?:;\d+)*m")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def run_json(*args: str) -> dict:
    result = run("--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def entry_point() -> Path:
    """The installed ``hormone-kg`` script, next to the interpreter running the tests."""
    script = Path(sys.executable).parent / "hormone-kg"
    if not script.exists():
        found = shutil.which("hormone-kg")
        assert found, "the hormone-kg console script is not installed"
        script = Path(found)
    return script


@pytest.fixture()
def hostile_file(tmp_path: Path) -> Path:
    """A user file whose label and evidence look like rich markup (and HTML)."""
    path = tmp_path / "hostile.yaml"
    path.write_text(
        """\
entities:
  - id: HKG:cli_hostile_label
    label: "[bold red]x[/]"
    category: Chemical
    synonyms: ["[/] closing tag", "<script>alert(1)</script>"]
    comment: "test entity with a label that looks like markup"
statements:
  - id: cli-test-hostile-increases-estradiol
    subject: HKG:cli_hostile_label
    predicate: increases
    object: CHEBI:16469
    sources: [src:seed-article]
    evidence:
      - source: src:seed-article
        text: "[italic]not markup[/italic] and [link=http://example.org]no link[/link]"
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture()
def bad_file(tmp_path: Path) -> Path:
    """A user file breaking several rules at once: unknown predicate, undeclared subject, unregistered source."""
    path = tmp_path / "bad.yaml"
    path.write_text(
        """\
statements:
  - id: cli-test-bad-statement
    subject: HKG:not_declared_anywhere
    predicate: frobnicates
    object: CHEBI:16469
    sources: [PMID:1]
    evidence:
      - source: PMID:1
        text: "made up"
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture()
def conflict_file(tmp_path: Path) -> Path:
    """Two statements with opposite signs on the same subject, object and context."""
    path = tmp_path / "conflict.yaml"
    path.write_text(
        """\
entities:
  - id: HKG:cli_conflict_probe
    label: conflict probe
    category: Chemical
    comment: "test entity"
statements:
  - id: cli-test-probe-increases-e2
    subject: HKG:cli_conflict_probe
    predicate: increases
    object: CHEBI:16469
    sources: [src:seed-article]
    evidence:
      - source: src:seed-article
        text: "one claim"
  - id: cli-test-probe-decreases-e2
    subject: HKG:cli_conflict_probe
    predicate: decreases
    object: CHEBI:16469
    sources: [src:curator]
    evidence:
      - source: src:curator
        text: "the opposite claim"
    evidence_type: ECO:0000305
""",
        encoding="utf-8",
    )
    return path


# ---------------------------------------------------------------------------------------------- help, entry
def test_help_lists_every_subcommand() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for name in (
        "search",
        "show",
        "paths",
        "effect",
        "explain",
        "downstream",
        "upstream",
        "compare",
        "loops",
        "viz",
        "export",
        "build",
        "validate",
        "sparql",
        "push",
    ):
        assert re.search(rf"^\s+{name}\s", result.stdout, re.M), name
    for option in ("--extra", "--json", "--quiet", "--debug", "--no-color"):
        assert option in result.stdout


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and kg.__version__ in result.stdout


def test_main_returns_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "anastrozole"]) == 0
    assert main(["effect", "anastrazole", "BMD"]) == 2
    assert main(["no-such-command"]) == 2
    assert main(["--help"]) == 0
    err = capsys.readouterr().err
    assert "anastrozole" in err and "Traceback" not in err


def test_installed_entry_point_answers_the_headline_question() -> None:
    """A real process: the console script, not click's test runner."""
    proc = subprocess.run(
        [str(entry_point()), "paths", *HEADLINE], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "anastrozole ⊣ aromatase → 17β-estradiol → bone mineral density" in proc.stdout
    assert "PMID:18309940" in proc.stdout  # Eastell 2008 (ATAC bone substudy)
    assert not ANSI.search(proc.stdout + proc.stderr)  # not a terminal: no colour, no spinner


def test_installed_entry_point_unknown_entity_exits_2_without_traceback() -> None:
    proc = subprocess.run(
        [str(entry_point()), "effect", "anastrazole", "BMD"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert "did you mean" in proc.stderr and "anastrozole" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_python_dash_m_kg() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kg", "--json", "search", "E2"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["results"][0]["id"] == "CHEBI:16469"


def test_help_imports_no_graph_machinery() -> None:
    """``import kg`` and ``hormone-kg --help`` import the graph (numpy, rdflib, pyoxigraph, pandas) only when a
    command or name needs it; the public names are all there when used."""
    script = (
        "import sys, kg.cli\n"
        "heavy = ('numpy', 'rdflib', 'pyoxigraph', 'pandas', 'kg.graph', 'kg.search')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        "print(all(hasattr(kg, name) for name in kg.__all__), set(kg.__all__) <= set(dir(kg)))\n"
        "print('numpy' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["[]", "True True", "True"]  # asking for the names imported the graph
    help_run = subprocess.run(
        [sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, timeout=120, check=False
    )
    assert help_run.returncode == 0 and "Usage: hormone-kg" in help_run.stdout, help_run.stderr


def test_debug_shows_the_traceback() -> None:
    result = CliRunner().invoke(cli, ["--debug", "effect", "anastrazole", "BMD"])
    assert isinstance(result.exception, kg.UnknownEntityError)
    proc = subprocess.run(
        [str(entry_point()), "--debug", "effect", "anastrazole", "BMD"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode != 0 and "Traceback" in proc.stderr and "UnknownEntityError" in proc.stderr


# ---------------------------------------------------------------------------------------------- paths
def test_paths_prints_signed_paths_with_numbered_citations() -> None:
    result = run("paths", *HEADLINE)
    assert result.exit_code == 0, result.output
    out = result.stdout
    # SPEC §1: anastrozole --inhibits--| aromatase --produces--> 17β-estradiol ... bone mineral density
    assert "anastrozole ⊣ aromatase → 17β-estradiol → bone mineral density" in out
    assert "(net decrease)" in out and "(net increase)" not in out
    assert "anastrozole inhibits aromatase [" in out  # each step with its citation numbers
    sources = out[out.index("Sources") :]
    assert re.search(r"^\s+\[1\] ", sources, re.M)
    assert "Eastell et al. 2008, PMID:18309940" in sources


def test_paths_json_matches_the_python_api(bundled: KnowledgeGraph) -> None:
    doc = run_json("paths", *HEADLINE)
    api = bundled.causal_paths("anastrozole", "bone mineral density", context="postmenopausal women")
    assert doc["src"] == "CHEBI:2704" and doc["dst"] == "EFO:0003923"
    assert doc["context"] == "postmenopausal women"
    assert doc["truncated"] == api.truncated
    assert [tuple(p["nodes"]) for p in doc["paths"]] == [p.nodes for p in api]
    assert [p["sign"] for p in doc["paths"]] == [p.sign for p in api]
    assert all(p["sign"] == -1 for p in doc["paths"])  # estrogen deprivation lowers BMD (Eastell 2008)
    first = doc["paths"][0]
    assert first["labels"][0] == "anastrozole" and first["labels"][-1] == "bone mineral density"
    step = first["statements"][0]
    assert set(step) >= {"id", "subject", "predicate", "object", "sign", "sources", "evidence"}
    assert step["subject"] == "CHEBI:2704" and step["evidence"][0]["text"]
    assert step["sign"] * 1 in (1, -1) and step["id"].startswith("stmt:")


def test_global_options_work_after_the_subcommand_too() -> None:
    before = run("--json", "paths", *HEADLINE, "--limit", "3")
    after = run("paths", *HEADLINE, "--limit", "3", "--json")
    assert before.exit_code == after.exit_code == 0
    assert json.loads(before.stdout) == json.loads(after.stdout)


@pytest.mark.parametrize(("flag", "want"), [("+", 1), ("-", -1), ("increase", 1), ("-1", -1)])
def test_paths_sign_filter(flag: str, want: int) -> None:
    # in older men anastrozole lowers E2 (⊣) but raises testosterone through the HPG axis (→), Burnett-Bowie 2009
    doc = run_json("paths", "anastrozole", "BMD", "--context", "older men with low testosterone", f"--sign={flag}")
    assert doc["paths"], "both signs exist in men"
    assert {p["sign"] for p in doc["paths"]} == {want}


def test_paths_limit_and_bad_arguments() -> None:
    assert len(run_json("paths", "testosterone", "BMD", "--limit", "2")["paths"]) <= 2
    bad_sign = run("paths", "testosterone", "BMD", "--sign", "up")
    assert bad_sign.exit_code == 2 and "--sign" in bad_sign.stderr
    too_long = run("paths", "testosterone", "BMD", "--max-length", "99")
    assert too_long.exit_code == 2 and "max_length" in too_long.stderr and "Traceback" not in too_long.output
    no_int = run("paths", "testosterone", "BMD", "--max-length", "six")
    assert no_int.exit_code == 2


def test_paths_no_path_is_not_an_error() -> None:
    result = run("paths", "bone mineral density", "anastrozole")
    assert result.exit_code == 0
    assert "No causal path" in result.stdout


# ---------------------------------------------------------------------------------------------- errors
def test_unknown_entity_exits_2_and_suggests() -> None:
    result = run("effect", "anastrazole", "BMD")
    assert result.exit_code == 2
    assert "unknown entity 'anastrazole'" in result.stderr
    assert re.search(r"did you mean: anastrozole\b", result.stderr)
    assert result.stdout == "" and "Traceback" not in result.output


def test_unknown_entity_as_json_on_stderr() -> None:
    result = run("--json", "effect", "anastrazole", "BMD")
    assert result.exit_code == 2 and result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["type"] == "UnknownEntityError" and "anastrozole" in error["suggestions"]


@pytest.mark.parametrize(
    "context",
    ["martians", "sex=other", "colour=blue", "tissue=not a curie", "sex=male,population=postmenopausal women"],
)
def test_unknown_or_impossible_context_exits_2(context: str) -> None:
    result = run("effect", "anastrozole", "BMD", "--context", context)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error:") and "Traceback" not in result.output


def test_context_as_qualifiers() -> None:
    doc = run_json("effect", "anastrozole", "BMD", "--context", "sex=female,menopausal_status=postmenopausal")
    assert doc["context"] == "menopausal_status=postmenopausal, sex=female"
    assert doc["direction"] == "decrease"


def test_invalid_extra_file_exits_1_with_each_violation_on_its_own_line(bad_file: Path) -> None:
    result = run("--extra", str(bad_file), "paths", *HEADLINE)
    assert result.exit_code == 1 and result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(bad_file))]
    rules = {re.search(r"\[([\w-]+)\]", line).group(1) for line in lines}  # type: ignore[union-attr]
    assert {"known-predicate", "declared-entity", "source-is-registered"} <= rules
    assert all(re.match(rf"{re.escape(str(bad_file))}:\d+: \[[\w-]+\] \S+: .+", line) for line in lines)
    assert "Traceback" not in result.output


def test_missing_extra_file_exits_1(tmp_path: Path) -> None:
    result = run("--extra", str(tmp_path / "nope.yaml"), "search", "E2")
    assert result.exit_code == 1 and "no such file" in result.stderr


# ---------------------------------------------------------------------------------------------- hostile labels
def test_label_with_markup_is_printed_literally(hostile_file: Path) -> None:
    shown = run("--extra", str(hostile_file), "show", HOSTILE)
    assert shown.exit_code == 0, shown.output
    assert HOSTILE in shown.stdout and "[/] closing tag" in shown.stdout and "<script>" in shown.stdout
    explained = run("--extra", str(hostile_file), "explain", HOSTILE, "E2")
    assert f"{HOSTILE} → 17β-estradiol" in explained.stdout
    assert "[italic]not markup[/italic]" in explained.stdout and "[link=http://example.org]" in explained.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_markup_is_literal_even_on_a_colour_terminal(hostile_file: Path) -> None:
    """On a colour terminal styles are added around the text, but the label's own brackets stay."""
    out = _pty_run(["--extra", str(hostile_file), "paths", HOSTILE, "E2"])
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out)
    assert COLOUR.search(out) and f"{HOSTILE} → 17β-estradiol" in plain
    assert "Loading the graph" in plain  # the spinner while the user file is validated


# ---------------------------------------------------------------------------------------------- questions
def test_search() -> None:
    result = run("search", "anastro")
    assert result.exit_code == 0 and "CHEBI:2704" in result.stdout and "Arimidex" in result.stdout
    doc = run_json("search", "E2")
    assert doc["query"] == "E2" and doc["results"][0]["label"] == "17β-estradiol"
    assert "No entity matches" in run("search", "zzzzqqq").stdout


def test_show_entity_card() -> None:
    result = run("show", "anastrozole")
    assert result.exit_code == 0
    out = result.stdout
    for text in ("CHEBI:2704", "Drug", "Arimidex", "Statements out", "aromatase", "⊣", "Sources"):
        assert text in out, text
    doc = run_json("show", "Arimidex")
    assert doc["entity"]["id"] == "CHEBI:2704"
    inhibits = [s for s in doc["out"] if s["predicate"] == "inhibits" and s["object"] == "HGNC:2594"]
    assert inhibits and inhibits[0]["sign"] == -1  # an inhibitor: negative polarity
    assert all(s["object"] == "CHEBI:2704" for s in doc["in"])
    assert any(f["value"] == -6.08 for f in doc["findings"])


def test_effect_in_postmenopausal_women() -> None:
    result = run("effect", *HEADLINE)
    assert result.exit_code == 0
    assert re.search(r"direction\s+decrease", result.stdout)
    assert "-6.08 %" in result.stdout and "PMID:18309940" in result.stdout  # ATAC, shown as a subgroup result
    assert "In subgroups only" in result.stdout
    doc = run_json("effect", *HEADLINE)
    assert (doc["src"], doc["dst"], doc["direction"]) == ("CHEBI:2704", "EFO:0003923", "decrease")
    trial = "postmenopausal women with hormone-receptor-positive breast cancer"
    atac = [s for s in doc["subgroups"] if s["who"] == trial]
    assert atac and atac[0]["observed"] == "decrease" and not doc["findings"]  # issue 14, rule 1
    assert any(f["value"] == -6.08 and f["sources"] == ["PMID:18309940"] for f in atac[0]["findings"])
    assert doc["paths"] and all(p["sign"] == -1 for p in doc["paths"])


def test_explain_matches_the_api(bundled: KnowledgeGraph) -> None:
    result = run("explain", *HEADLINE)
    assert result.exit_code == 0
    expected = bundled.explain("anastrozole", "bone mineral density", context="postmenopausal women")
    assert result.stdout.strip() == expected.strip()
    doc = run_json("explain", *HEADLINE)
    assert doc["text"] == expected and doc["direction"] == "decrease"


def test_downstream_of_falling_estradiol() -> None:
    doc = run_json("downstream", "E2", "--decrease")
    effects = {e["id"]: e for e in doc["effects"]}
    assert doc["entity"] == "CHEBI:16469" and doc["change"] == "decrease"
    assert effects["GO:0045453"]["predicted"] == "increase"  # estrogen deficiency: more bone resorption
    assert effects["GO:0045453"]["paths"][0]["nodes"][0] == "CHEBI:16469"
    human = run("downstream", "E2", "--decrease")
    assert human.exit_code == 0 and "bone resorption" in human.stdout and "GO:0045453" in human.stdout
    rising = run_json("downstream", "E2", "--increase")
    assert {e["id"]: e for e in rising["effects"]}["GO:0045453"]["predicted"] == "decrease"
    # --limit keeps the nearest (the answer is ordered nearest first): here, entities one step away
    nearest = run_json("downstream", "E2", "--decrease", "--limit", "3")
    assert nearest["count"] == len(doc["effects"]) > 3 and len(nearest["effects"]) == 3
    assert [e["id"] for e in nearest["effects"]] == [e["id"] for e in doc["effects"][:3]]
    assert all(len(e["paths"][0]["nodes"]) == 2 for e in nearest["effects"])
    assert "nearest 3 of" in run("downstream", "E2", "--decrease", "--limit", "3").stderr


def test_downstream_requires_a_direction() -> None:
    result = run("downstream", "E2")
    assert result.exit_code == 2 and "--increase or --decrease" in result.stderr


def test_upstream_of_estradiol() -> None:
    doc = run_json("upstream", "17β-estradiol", "--context", "postmenopausal women")
    effects = {e["id"]: e for e in doc["effects"]}
    assert doc["entity"] == "CHEBI:16469" and doc["context"] == "postmenopausal women"
    assert effects["CHEBI:2704"]["predicted"] == "decrease"  # raising anastrozole lowers E2 (no ovarian source)
    assert effects["HGNC:2594"]["predicted"] == "increase"  # aromatase makes E2
    assert run("upstream", "E2").exit_code == 0


def test_compare_women_and_men() -> None:
    women = "postmenopausal women with hormone-receptor-positive breast cancer"  # the seed table's women (on an AI)
    contexts = ["--context", women, "--context", "men on testosterone therapy"]
    doc = run_json("compare", "anastrozole", "bone resorption", *contexts)
    # the seed's tables: resorption accelerated strongly in women, moderately in men on TRT
    assert [r["magnitude"] for r in doc["rows"]] == ["strong", "moderate"]
    assert [r["context"] for r in doc["rows"]] == [women, "men on testosterone therapy"]
    assert all(isinstance(r["paths"], int) for r in doc["rows"])
    human = run("compare", "anastrozole", "bone resorption", *contexts)
    assert human.exit_code == 0 and "strong" in human.stdout and "moderate" in human.stdout
    assert run("compare", "anastrozole", "BMD").exit_code == 2  # --context is required


def test_loops_hpg_negative_feedback() -> None:
    doc = run_json("loops", "LH")
    negative = [loop for loop in doc["loops"] if loop["kind"] == "negative"]
    assert any("CHEBI:17347" in loop["nodes"] for loop in negative)  # testosterone ⊣ LH → testosterone
    assert all(loop["nodes"][0] == loop["nodes"][-1] for loop in doc["loops"])
    result = run("loops", "LH")
    assert result.exit_code == 0 and "negative" in result.stdout
    assert run("loops").exit_code == 0


# ---------------------------------------------------------------------------------------------- validate
def test_validate_bundled_and_a_good_file(hostile_file: Path) -> None:
    result = run("validate", str(hostile_file))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("ok:")  # after the bundled graph's conflict warnings
    quiet = run("--quiet", "validate")
    assert quiet.exit_code == 0 and quiet.stdout == ""


def test_validate_with_shacl(hostile_file: Path) -> None:
    result = run("validate", "--shacl", str(hostile_file))  # the rules and the SHACL shapes
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("ok:")


def test_an_rdf_entity_without_a_label_is_refused(tmp_path: Path) -> None:
    from kg.namespaces import PREFIXES

    ttl = tmp_path / "unlabelled.ttl"
    ttl.write_text(
        f"<{PREFIXES['HKG']}unlabelled> a <{PREFIXES['hkg']}Chemical> ;"
        ' <http://www.w3.org/2000/01/rdf-schema#comment> "a test entity with no label" .\n',
        encoding="utf-8",
    )
    result = run("validate", str(ttl))
    assert result.exit_code == 1 and "[entity-has-label] HKG:unlabelled" in result.stdout


def test_validate_prints_each_violation_and_exits_1(bad_file: Path) -> None:
    result = run("validate", str(bad_file))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) >= 3
    assert all(
        re.match(rf"{re.escape(str(bad_file))}:\d+: \[[\w-]+\] stmt:cli-test-bad-statement: ", ln) for ln in lines
    )
    doc = json.loads(run("--json", "validate", str(bad_file)).stdout)
    assert doc["valid"] is False and {v["rule"] for v in doc["violations"]} >= {"known-predicate"}


def test_validate_reports_conflicts_as_warnings(conflict_file: Path) -> None:
    result = run("validate", str(conflict_file))
    assert result.exit_code == 0, result.output
    warning = [ln for ln in result.stdout.splitlines() if "[conflicting-signs]" in ln]
    assert warning and "conflict probe" in warning[0] and warning[0].startswith(f"{conflict_file}:")
    assert "stmt:cli-test-probe-increases-e2 (+1" in result.stdout
    assert "stmt:cli-test-probe-decreases-e2 (-1" in result.stdout
    assert "seed article" in result.stdout and "curator inference" in result.stdout  # both statements' sources


# ---------------------------------------------------------------------------------------------- sparql
def test_sparql_with_bindings_and_file(tmp_path: Path) -> None:
    query = "SELECT ?drug WHERE { ?drug hkg:inhibits ?enzyme }"
    doc = run_json("sparql", query, "--bind", "enzyme=HGNC:2594")
    assert "CHEBI:2704" in {row["drug"] for row in doc["rows"]}  # anastrozole inhibits aromatase
    file = tmp_path / "q.rq"
    file.write_text("SELECT ?label WHERE { ?x rdfs:label ?label }", encoding="utf-8")
    human = run("sparql", f"@{file}", "--bind", "x=CHEBI:2704")
    assert human.exit_code == 0 and "anastrozole" in human.stdout


def test_sparql_errors(tmp_path: Path) -> None:
    assert run("sparql", "SELECT * WHERE { ?s ?p ?o }", "--bind", "no-equals").exit_code == 2
    missing = run("sparql", f"@{tmp_path / 'missing.rq'}")
    assert missing.exit_code == 1 and "missing.rq" in missing.stderr
    update = run("sparql", "DELETE WHERE { ?s ?p ?o }")
    assert update.exit_code == 2 and "Traceback" not in update.output  # a refused query is a usage error


# ---------------------------------------------------------------------------------------------- outputs
def test_viz_unknown_focus_fails_before_writing(tmp_path: Path) -> None:
    target = tmp_path / "view.html"
    result = run("viz", "--focus", "anastrazole", "-o", str(target))
    assert result.exit_code == 2 and "anastrozole" in result.stderr
    assert not target.exists()
    bad_context = run("viz", "--context", "martians", "-o", str(target))
    assert bad_context.exit_code == 2 and not target.exists()
    assert run("viz").exit_code == 2  # -o is required


def test_viz_writes_a_self_contained_file(tmp_path: Path) -> None:
    target = tmp_path / "anastrozole-bmd.html"
    result = run(
        "viz",
        "--highlight",
        "anastrozole",
        "bone mineral density",
        "--context",
        "postmenopausal women",
        "-o",
        str(target),
    )
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert "<html" in html.lower() and "anastrozole" in html
    assert str(target) in result.stdout
    doc = run_json("viz", "--focus", "aromatase", "--radius", "1", "-o", str(tmp_path / "focus.html"))
    assert doc["path"] == str(tmp_path / "focus.html") and doc["bytes"] > 0 and doc["focus"] == "HGNC:2594"
    capped = tmp_path / "capped.html"
    assert run("viz", "--focus", "aromatase", "--radius", "3", "--max-nodes", "4", "-o", str(capped)).exit_code == 0
    assert capped.read_text(encoding="utf-8").count('"focus": ') == 4  # one per node drawn
    assert run("viz", "--focus", "aromatase", "--max-nodes", "0", "-o", str(capped)).exit_code == 2
    unfocused = run("viz", "--max-nodes", "4", "-o", str(tmp_path / "unfocused.html"))
    assert unfocused.exit_code == 2 and "focus" in unfocused.stderr and not (tmp_path / "unfocused.html").exists()


def test_export_writes_files(exported_all: Written, tmp_path: Path) -> None:
    # `hormone-kg --json export -o DIR`, run once per test run by the fixture (tests/conftest.py)
    assert exported_all.result.exit_code == 0, exported_all.result.output
    doc = json.loads(exported_all.result.stdout)
    assert doc["files"], "export wrote nothing"
    assert all(Path(f).is_file() and Path(f).stat().st_size > 0 for f in doc["files"])
    assert any(Path(f).suffix == ".ttl" for f in doc["files"])
    assert run("export", "--format", "no-such-format", "-o", str(tmp_path / "x")).exit_code == 1


def test_build_regenerates_into_a_directory(built_exports: Written) -> None:
    # `hormone-kg --json build -o DIR`, run once per test run by the fixture (tests/conftest.py)
    result, out = built_exports.result, built_exports.folder
    assert result.exit_code == 0, result.output
    assert any(p.suffix == ".ttl" for p in out.rglob("*"))


def test_push_to_a_closed_port_exits_1() -> None:
    result = run("push", "--endpoint", f"http://127.0.0.1:{_free_port()}", "--timeout", "5")
    assert result.exit_code == 1 and result.stderr.startswith("error:")
    assert "Traceback" not in result.output


def test_push_into_a_real_oxigraph_server(tmp_path: Path) -> None:
    from kg.namespaces import expand
    from kg.store import remote

    port = _free_port()
    server = Path(sys.executable).parent / "oxigraph"
    proc = subprocess.Popen(
        [str(server), "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "oxigraph server did not start"
                time.sleep(0.1)
        doc = run_json("push", "--endpoint", url)
        assert doc["endpoint"] == url and doc["triples"] > 0
        label = "<http://www.w3.org/2000/01/rdf-schema#label>"
        assert remote.ask(url, f'ASK {{ <{expand("CHEBI:2704")}> {label} "anastrozole" }}')
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:  # a loopback port that nothing listens on (yet)
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------------------------------------- terminals
def _pty_run(args: list[str], env: dict[str, str] | None = None) -> str:
    """Run the console script on a pseudo-terminal (as a person would) and return what it drew."""
    import pty
    import select

    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    environment.update({"TERM": "xterm-256color", "COLUMNS": "200"}, **(env or {}))
    proc = subprocess.Popen(
        [str(entry_point()), *args], stdin=follower, stdout=follower, stderr=follower, env=environment
    )
    os.close(follower)
    chunks = []
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 60)
            if not ready:
                break
            try:
                data = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(leader)
        proc.wait(timeout=60)
    assert proc.returncode == 0, b"".join(chunks).decode(errors="replace")
    return b"".join(chunks).decode("utf-8", errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_colour_on_a_terminal_only_and_never_with_no_color() -> None:
    coloured = _pty_run(["paths", "anastrozole", "E2", "--max-length", "2"])
    assert COLOUR.search(coloured)
    assert not COLOUR.search(_pty_run(["paths", "anastrozole", "E2", "--max-length", "2"], {"NO_COLOR": "1"}))
    assert not COLOUR.search(_pty_run(["--no-color", "paths", "anastrozole", "E2", "--max-length", "2"]))


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_spinner_on_a_terminal_but_not_with_json() -> None:
    drawn = _pty_run(["search", "E2"])
    assert "Loading the graph" in drawn
    as_json = _pty_run(["--json", "search", "E2"])
    assert "Loading the graph" not in as_json and not ANSI.search(as_json)
    assert json.loads(as_json)["results"][0]["id"] == "CHEBI:16469"
    assert "Loading the graph" not in _pty_run(["--quiet", "search", "E2"])
