"""The import's hand-written YAML and its block-wise line reader (kg/imports/files.py).

Every scalar the importer writes is double-quoted: JSON's escapes (which YAML's double-quoted style reads) plus
``\\uXXXX`` for what the YAML 1.2 spec (§5.1, production [1] ``c-printable``: ``#x9 | #xA | #xD | [#x20-#x7E]
| #x85 | [#xA0-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]``) does not allow raw, and for the characters
YAML 1.1 readers take as line breaks (NEL, LS, PS) or a byte order mark. These tests read the text back with
PyYAML — the pure-Python reader and libyaml's, as :mod:`kg.sources.curation` uses it — and compare.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kg.errors import ImportFormatError
from kg.imports.files import MAX_LINE_BYTES, YamlSink, read_lines, yaml_comment, yaml_text
from kg.model import Entity, Evidence, Source, Statement

LOADERS = [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)]

HOSTILE = [
    'say "hi"', "it's", "a: b", "key:", ": value", "x # y", "#start", "line\nbreak", "cr\rlf\r\n", "tab\there",
    "ünïcødé β α", "emoji 😀 and 𝄞", "- leading dash", "-", "---", "...", "? question", "yes", "no", "Yes",
    "NO", "on", "off", "null", "Null", "~", "true", "False", "123", "-1", "0x1F", "0o17", "012", "1e3", "1_000",
    ".inf", "-.INF", ".nan", "2024-01-01", "12:30:00", "'single'", "[list]", "{map}", "a, b", "&anchor",
    "*alias", "!tag", "!!str", "|pipe", ">fold", "%YAML", "@at", "`tick`", " lead space", "trail space ", "",
    " ", "back\\slash", "\\u0041 is no escape", "\\n is no newline", "ctrl \x00\x01\x07\x08\x0b\x0c\x1b\x1f",
    "DEL \x7f", "C1 \x80\x84\x86\x9f", "NEL \x85 inside", "LS \u2028 PS \u2029", "\ufeffBOM first", "mid\ufeffBOM",
    "noncharacters \ufffe\uffff", "private \ue000", "nbsp\u00a0", "<<", "=", "{{ template }}", "a\\\\b\"c'd",
]  # fmt: skip


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
def test_every_hostile_string_reads_back_as_itself_in_each_place_the_importer_writes_one(loader: type) -> None:
    for text in HOSTILE:
        q = yaml_text(text)
        doc = f"plain: {q}\nlisted: [{q}, {q}]\nflow: {{species: {q}}}\nitems:\n  - id: {q}\n    text: {q}\n"
        assert yaml.load(doc, Loader=loader) == {
            "plain": text, "listed": [text, text], "flow": {"species": text}, "items": [{"id": text, "text": text}]
        }, repr(text)  # fmt: skip


def test_what_yaml_must_not_see_raw_is_written_as_an_escape() -> None:
    for ch in ["\x7f", "\x80", "\x85", "\x9f", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff"]:
        assert yaml_text(f"a{ch}b") == f'"a\\u{ord(ch):04x}b"'
    assert yaml_text("é β 😀\u00a0") == '"é β 😀\u00a0"'  # printable: kept as UTF-8 text
    assert yaml_text("a\tb\nc") == '"a\\tb\\nc"'


def test_comment_lines_hide_nothing_and_break_nothing() -> None:
    header = "import of x.tsv\nskipped 2: effect 'up\x7f' (rows 2, 3)\x85next\u2028last"
    doc = yaml_comment(header) + "key: 1\n"
    assert doc.splitlines()[:2] == ["# import of x.tsv", "# skipped 2: effect 'up\\u007f' (rows 2, 3)"]
    for loader in LOADERS:
        assert yaml.load(doc, Loader=loader) == {"key": 1}


def _hostile_statement(i: int, text: str) -> Statement:
    return Statement(
        id=f"s-{i}{text}", subject=f"X:{text}", predicate="increases", object=f"Y:{text}", sign=1,
        sources=(f"PMID:{i}", f"src:{text}"), evidence=(Evidence(f"PMID:{i}", text), Evidence("src:x", f"2 {text}")),
        context={"species": f"NCBITaxon:{text}", "tissue": text}, magnitude=text or None, reaction=text or None,
        negated=i % 2 == 0, evidence_type=f"ECO:{text}", note=text or None, summary=i % 3 == 0, via=(f"Z:{text}",),
    )  # fmt: skip


def test_a_written_curation_file_reads_back_field_for_field(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    sink = YamlSink(out)
    statements = [_hostile_statement(i, text) for i, text in enumerate(HOSTILE)]
    for st in statements:
        sink.add(st)
    entity = Entity("X:1", HOSTILE[7], "Chemical", synonyms=tuple(HOSTILE[:5]), abbreviations=("- a", "yes"),
                    xrefs=("MESH:D1",), broader=("Y:2",), description=HOSTILE[60], comment=HOSTILE[62],
                    verified=HOSTILE[63])  # fmt: skip
    source = Source("PMID:1", title=HOSTILE[64], verified=HOSTILE[67])
    sink.close([entity], [source], header="x.tsv (signor): 3 rows\x85 -> 2 statements\x7f")
    for loader in LOADERS:
        doc = yaml.load(out.read_text(encoding="utf-8"), Loader=loader)
        assert doc["sources"] == [{"id": "PMID:1", "title": HOSTILE[64], "verified": HOSTILE[67]}]
        assert doc["entities"] == [{
            "id": "X:1", "label": HOSTILE[7], "category": "Chemical", "synonyms": HOSTILE[:5],
            "abbreviations": ["- a", "yes"], "xrefs": ["MESH:D1"], "broader": ["Y:2"], "description": HOSTILE[60],
            "comment": HOSTILE[62], "verified": HOSTILE[63],
        }]  # fmt: skip
        assert len(doc["statements"]) == len(statements)
        for got, st in zip(doc["statements"], statements, strict=True):
            want = {
                "id": st.id, "subject": st.subject, "predicate": st.predicate, "object": st.object,
                "context": dict(st.context), "sources": list(st.sources), "via": list(st.via),
                "evidence": [{"source": e.source, "text": e.text} for e in st.evidence],
                "evidence_type": st.evidence_type,
            }  # fmt: skip
            want |= {k: v for k, v in (("magnitude", st.magnitude), ("reaction", st.reaction), ("note", st.note)) if v}
            want |= {k: True for k, v in (("negated", st.negated), ("summary", st.summary)) if v}
            assert got == want, st.id


# ---------------------------------------------------------------------------------------------- reading lines
def _numbered(raw: bytes) -> list[tuple[int, str]]:
    """What reading ``raw`` line by line gives: lines split at LF, CR/LF ends dropped, a leading BOM dropped."""
    parts = raw.split(b"\n")
    if parts[-1] == b"":
        parts.pop()
    lines = [p.decode("utf-8").rstrip("\r") for p in parts]
    lines[0] = lines[0].lstrip("\ufeff")
    return list(enumerate(lines, 1))


def _sample(lines: int) -> bytes:
    """Lines of varied length and script (a few MiB: several read blocks), CRLF on some, no break on the last."""
    words = ["estradiol", "ERα", "β-catenin", "17β-östradiol", "𝄞", "a\tb", "", "x" * 300, "\r"]
    ends = ["\r", "", "", "", ""]
    rows = [f"{i}\t{words[i % len(words)]}\t{'ü' * (i % 7)}{ends[i % len(ends)]}" for i in range(lines)]
    return ("\ufeff" + "\n".join(rows)).encode("utf-8")


def test_lines_across_read_blocks_come_back_numbered_with_their_text(tmp_path: Path) -> None:
    raw = _sample(60_000)
    path = tmp_path / "rows.tsv"
    path.write_bytes(raw)
    assert len(raw) > 3 * 2**20 and not raw.endswith(b"\n")
    assert list(read_lines(path)) == _numbered(raw)


def test_progress_counts_the_rows_read_and_their_exact_bytes(tmp_path: Path) -> None:
    raw = _sample(60_000) + b"\n"
    path = tmp_path / "rows.tsv"
    path.write_bytes(raw)
    calls: list[tuple[int, int]] = []
    seen = [number for number, _ in read_lines(path, lambda rows, done: calls.append((rows, done)))]
    ends = [i + 1 for i, byte in enumerate(raw) if byte == ord("\n")]  # byte offset just past each line
    assert seen == list(range(1, 60_001))
    assert calls[-1] == (60_000, len(raw)) and [rows for rows, _ in calls[:-1]] == list(range(4096, 60_000, 4096))
    assert all(done == ends[rows - 1] for rows, done in calls)


@pytest.mark.parametrize(
    ("bad", "rule", "message"),
    [
        (b"col\x00umn", "text-file", "binary data"),
        (b"caf\xe9", "utf-8", "invalid continuation byte"),
        (b"\xff\xfe", "utf-8", "invalid start byte"),
        (b"x" * (MAX_LINE_BYTES + 1), "line-length", "longer than"),
    ],
)
def test_a_fault_in_a_later_block_names_its_line_after_the_lines_before_it(
    bad: bytes, rule: str, message: str, tmp_path: Path
) -> None:
    good = _sample(30_000) + b"\n"
    path = tmp_path / "rows.tsv"
    path.write_bytes(good + bad + b"\nafter\n")
    got: list[tuple[int, str]] = []
    with pytest.raises(ImportFormatError, match=message) as err:
        got.extend(read_lines(path))
    assert err.value.violations[0].rule == rule and err.value.violations[0].line == 30_001
    assert got == _numbered(good)
