"""The answer's prose (issue 18): whose sentence backs each step, for whom, cut where, and what the symbols mean.

Facts the tests rest on, from the registry and the curated sentences: the ATAC bone substudy (Eastell et al. 2008,
PMID:18309940) measured a median -6.08 % lumbar-spine and -7.24 % total-hip BMD change at 5 years on anastrozole
in postmenopausal women with breast cancer; Burnett-Bowie et al. 2009 (PMID:19820017) studied older men with low
testosterone ("Estradiol levels decreased from 15 +/- 4 pg/ml at baseline to 12 +/- 4 pg/ml at month 3"); the seed
article's sentence on too aggressive anastrozole dosing is about men on testosterone therapy.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kg
from kg.questions.explain import explain_effect
from kg.questions.quotes import LEGEND, clip, legend, step_quotes
from kg.questions.results import explain_path

HEADLINE = ("anastrozole", "bone mineral density")
PMW = "postmenopausal women"
#: The seed article's sentence about men on testosterone therapy (stmt:seed-bone-resorption-decreases-bmd).
TRT_SENTENCE = "If anastrozole dosing is too aggressive and estradiol levels fall below a critical threshold"
QUOTE = re.compile(r"^ {5}(?P<label>.+?): \u201c(?P<text>.*)\u201d$")
STEP = re.compile(r"^ {2}\d+\. ")


def steps(text: str) -> list[list[tuple[str, str]]]:
    """The quotes (label, text) under each step of an explained answer, step by step."""
    out: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        if STEP.match(line):
            out.append([])
        elif (m := QUOTE.match(line)) and out:
            out[-1].append((m["label"], m["text"]))
    return out


def answers(g: kg.KnowledgeGraph) -> dict[str, str]:
    """Several answers, in several contexts, to check every quote of."""
    asked = [
        (*HEADLINE, PMW),
        (*HEADLINE, "older men with low testosterone"),
        (*HEADLINE, None),
        ("testosterone therapy", "luteinizing hormone", "men"),
        ("glucocorticoid", "bone mineral density", None),
        ("letrozole", "17β-estradiol", PMW),
    ]
    return {f"{s} -> {t} [{c}]": g.explain(s, t, context=c) for s, t, c in asked}


def test_the_primary_sentence_comes_first_labelled_then_the_seed_article(bundled: kg.KnowledgeGraph) -> None:
    # the issue's example: under "anastrozole decreases 17β-estradiol" Eastell 2008's own sentence comes first,
    # named, and the seed article's lay sentence after it, named as a secondary source
    path = next(p for p in bundled.causal_paths("anastrozole", "estradiol", max_length=1) if p.length == 1)
    (quotes,) = steps(explain_path(path))
    assert quotes[0] == (
        "Eastell et al. 2008, PMID:18309940",
        "However, anastrozole reduces circulating estrogen, and low estradiol levels are associated with decreased"
        " bone mineral density (BMD) and increased fracture risk.",
    )
    assert quotes[1] == ("seed article (secondary source)", "The result is a systemic decrease in estradiol levels.")


def test_every_step_shows_a_primary_sentence_first_when_it_has_one(bundled: kg.KnowledgeGraph) -> None:
    e = bundled.effect(*HEADLINE)
    checked = 0
    for path in e.paths[:5]:
        for st, quotes in zip(path.statements, steps(explain_path(path)), strict=True):
            labels = [label for label, _ in quotes]
            assert len(labels) == len(set(labels))  # one quote per source at most
            primary = [ev for ev in st.evidence if not ev.source.startswith("src:")]
            if primary:
                assert not labels[0].startswith(("seed article", "curator inference")), (st.id, labels)
                checked += 1
            if "seed article (secondary source)" in labels and primary:
                assert labels.index("seed article (secondary source)") > 0
    assert checked >= 10


def test_curator_inference_is_labelled_as_such(bundled: kg.KnowledgeGraph) -> None:
    # a statement resting on curator inference alone shows the curator's words, labelled as such
    only_curator = [
        st for st in bundled.statements.values() if st.causal and {ev.source for ev in st.evidence} == {"src:curator"}
    ]
    assert only_curator
    quotes = step_quotes(bundled, [only_curator[0]])
    assert [q.source for q in quotes] == ["src:curator"]
    assert quotes[0].line(bundled).startswith("curator inference: \u201c")


def test_a_quote_about_other_people_is_not_shown_as_support_for_postmenopausal_women(
    bundled: kg.KnowledgeGraph,
) -> None:
    text = bundled.explain(*HEADLINE, context=PMW)
    # the seed article's sentence about men on testosterone therapy: the step has a sentence of the ATAC
    # substudy (postmenopausal women with breast cancer) instead
    assert TRT_SENTENCE not in text
    assert "Adjuvant anastrozole was associated with significant BMD loss" in text
    # Burnett-Bowie 2009 studied older men: its sentence is shown only labelled as theirs
    lines = [line for line in text.splitlines() if "In older men, aromatase inhibition" in line]
    assert lines and all("(about older men with low testosterone)" in line for line in lines)
    # asked about men, the same men's sentence is theirs: no label
    men = bundled.explain(*HEADLINE, context="older men with low testosterone")
    assert "PMID:19820017: \u201cIn older men, aromatase inhibition" in men


def test_without_the_context_every_quote_counts_as_the_questions(bundled: kg.KnowledgeGraph) -> None:
    # callers that pass no context (explain_effect(g, e)) get every sentence unlabelled, primary first
    e = bundled.effect(*HEADLINE, context=PMW)
    assert "(about " not in explain_effect(bundled, e)
    assert "(about " in explain_effect(bundled, e, context=bundled.context(PMW))


def test_no_quote_is_cut_inside_a_word(bundled: kg.KnowledgeGraph) -> None:
    sentences = {" ".join(ev.text.split()) for st in bundled.statements.values() for ev in st.evidence}
    cut = whole = 0
    for name, text in answers(bundled).items():
        for quotes in steps(text):
            for _, quote in quotes:
                if quote in sentences:
                    whole += 1
                    continue
                assert quote.endswith("…"), (name, quote)
                kept = quote[:-1].rstrip()
                origin = [s for s in sentences if s.startswith(kept)]
                assert origin, (name, quote)
                assert all(s[len(kept)] in " ,;:" for s in origin), (name, quote)  # the cut falls between words
                cut += 1
    assert cut >= 2 and whole >= 30


def test_clip_cuts_at_a_sentence_or_word_boundary() -> None:
    seed = TRT_SENTENCE + (
        ", the increased bone resorption will overwhelm any anabolic effect from the testosterone, resulting in a"
        " net loss of bone mineral density."
    )
    short = clip(seed, 200)
    assert len(short) <= 200 and short.endswith("…") and "bone min..." not in short
    assert seed.startswith(short[:-1]) and seed[len(short) - 1] == " "
    two = "Estradiol restrains osteoclasts. It also spares osteoblasts from apoptosis in culture."
    assert clip(two, 60) == "Estradiol restrains osteoclasts. …"
    assert clip(seed, len(seed)) == seed


def test_the_answer_ends_with_a_legend_of_its_symbols_and_terms(bundled: kg.KnowledgeGraph) -> None:
    text = bundled.explain(*HEADLINE, context=PMW)
    key = text[text.index("\nLegend:\n") :]
    assert "⊣  decreases or inhibits" in key and "→  increases or activates" in key
    assert "net increase / net decrease" in key
    assert "animal evidence" in key and "secondary source" in key and "(about …)" in key
    # the full legend names every symbol and term an answer may use, magnitude as the data define it
    full = legend()
    for term in ("→", "⊣", "net increase", "magnitude (strong / moderate / slight)", "animal evidence"):
        assert term in full
    assert "secondary source" in full and "curator inference" in full
    assert all(line in full for _, line in LEGEND)
    assert "no fixed numeric threshold" in full  # magnitudes are qualitative grades (docs/curation-format.md)


def test_spine_and_hip_findings_read_apart(bundled: kg.KnowledgeGraph) -> None:
    spine = bundled.findings["seed-atac-5y-lumbar-spine-bmd-anastrozole"].summary(bundled.label)
    hip = bundled.findings["seed-atac-5y-total-hip-bmd-anastrozole"].summary(bundled.label)
    assert spine.startswith("spine bone mineral density at the lumbar spine: -6.08 % at 5 years")
    assert hip.startswith("hip bone mineral density: -7.24 % at 5 years")
    assert "median change from baseline" in spine and spine.endswith("[PMID:18309940]")
    text = bundled.explain(*HEADLINE, context="postmenopausal women with hormone-receptor-positive breast cancer")
    lines = [line for line in text.splitlines() if line.startswith("  - ")]
    assert any("lumbar spine: -6.08 %" in line for line in lines)
    assert any(line.startswith("  - hip bone mineral density: -7.24 %") for line in lines)


def test_a_level_reads_as_a_level_with_its_comparator_time_and_n(bundled: kg.KnowledgeGraph) -> None:
    e2 = bundled.findings["seed-bb2009-estradiol"].summary(bundled.label)
    assert e2.startswith("17β-estradiol: level 12 pg/mL at 3 months")
    assert "lower than at baseline" in e2 and "decrease: 12" not in e2
    # PMID:15001605 (aromatase inhibition in elderly men, 2004): 12 men on anastrozole 1 mg daily, estradiol
    # 17 +/- 6 pg/mL at 12 weeks
    dose = bundled.findings["hpg-jcem2004-estradiol-anastrozole-1mg-daily"].summary(bundled.label)
    assert dose.startswith("17β-estradiol: level 17 pg/mL at 12 weeks") and "(n=12)" in dose
    # a change names what it is compared with when its statistic does not already
    for f in bundled.findings.values():
        if f.comparator and f.comparator not in ("baseline", "placebo"):
            assert bundled.label(f.comparator).casefold() in f.summary(bundled.label).casefold(), f.id


def test_a_citation_names_the_first_author_without_initials_or_suffix(bundled: kg.KnowledgeGraph) -> None:
    # registry authors "Donato J Jr, Frazão R" (PMID:27901187) and "Chesnut Ch, et al." (PROOF, Am J Med 2000)
    assert bundled.sources["PMID:27901187"].short() == "Donato et al. 2016, PMID:27901187"
    chesnut = [s for s in bundled.sources.values() if (s.authors or "").startswith("Chesnut Ch")]
    assert chesnut and all(s.short().startswith("Chesnut et al.") for s in chesnut)


def script() -> Path:
    """The installed ``hormone-kg`` console script."""
    found = Path(sys.executable).parent / "hormone-kg"
    if not found.exists():
        which = shutil.which("hormone-kg")
        assert which, "the hormone-kg console script is not installed"
        found = Path(which)
    return found


def test_cli_explain_prints_the_answer_with_its_headings_and_legend() -> None:
    proc = subprocess.run(
        [str(script()), "explain", *HEADLINE, "--context", PMW],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("How anastrozole changes bone mineral density (postmenopausal women): decrease.")
    assert "In subgroups only (not the answer for postmenopausal women as a whole):" in out
    assert "\nLegend:\n" in out and TRT_SENTENCE not in out
    assert "(about older men with low testosterone)" in out


def test_cli_paths_ends_with_the_legend() -> None:
    proc = subprocess.run(
        [str(script()), "paths", *HEADLINE, "--context", PMW, "--limit", "2"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    key = proc.stdout[proc.stdout.index("Legend:") :]
    assert "⊣  decreases or inhibits" in key and "secondary source" in key


@pytest.fixture()
def example(tmp_path: Path) -> Path:
    """``.ci/example`` in a scratch checkout: its set-up line left out, ``.venv/bin`` pointing at this interpreter's."""
    root = Path(__file__).resolve().parents[1]
    text = (root / ".ci" / "example").read_text(encoding="utf-8")
    assert "bash .ci/setup\n" in text
    (tmp_path / ".ci").mkdir()
    copy = tmp_path / ".ci" / "example"
    copy.write_text(text.replace("bash .ci/setup\n", ""), encoding="utf-8")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "bin").symlink_to(script().parent, target_is_directory=True)
    return copy


def test_the_main_job_prints_one_answer_with_headings_and_writes_the_view_and_plot(example: Path) -> None:
    proc = subprocess.run(
        ["bash", str(example)], capture_output=True, text=True, timeout=600, check=False, env=dict(os.environ)
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    heads = [out.index(h) for h in ("== Answer ==", "== Evidence (findings) ==", "== Interactive view ==")]
    assert heads == sorted(heads)
    assert out.count("How anastrozole changes bone mineral density") == 1 and out.count("Path 1:") == 1
    evidence = out[heads[1] : heads[2]]
    assert "lumbar spine: -6.08 % at 5 years" in evidence and "hip bone mineral density: -7.24 %" in evidence
    assert (example.parents[1] / "anastrozole-bmd.html").stat().st_size > 10_000
    assert "<svg" in (example.parents[1] / "anastrozole-bmd-forest.svg").read_text(encoding="utf-8")
