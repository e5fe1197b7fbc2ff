r"""Reading an import's file one line at a time, and writing its curation YAML one statement at a time.

Lines are read as bytes (so that progress can count them) and decoded one by one; a file that is missing,
empty, binary or not UTF-8 raises :class:`~kg.errors.ImportFormatError` naming the line. A line longer than
:data:`MAX_LINE_BYTES` is refused (reads are bounded). :class:`YamlSink` writes the curation file
(``docs/curation-format.md``) atomically: nothing is left behind when an import fails.

>>> yaml_text('say "hi"\u2028')
'"say \\"hi\\"\\u2028"'
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from kg.errors import ImportFormatError, Violation
from kg.imports.mapping import Progress
from kg.model import Entity, Source, Statement

__all__ = ["MAX_LINE_BYTES", "YamlSink", "fail", "read_lines", "yaml_text"]

#: The longest line an importer reads (a SIGNOR or KGX row is a few kB).
MAX_LINE_BYTES = 4 * 1024 * 1024
_EVERY = 4096  # rows between two progress calls

_quote = json.encoder.encode_basestring  # what json.dumps(value, ensure_ascii=False) does for a str
_UNSAFE = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085", "\ufeff": "\\ufeff"}


def fail(path: str | Path, rule: str, message: str, line: int | None = None) -> ImportFormatError:
    """The error for a file an importer cannot use (one violation)."""
    return ImportFormatError([Violation(rule, str(path), message, str(path), line)], what=str(path))


def read_lines(path: Path, progress: Progress | None = None) -> Iterator[tuple[int, str]]:
    """``(line number, text without its line break)`` for each line of ``path``; progress every few thousand."""
    if not path.exists():
        raise fail(path, "readable-file", "no such file")
    if not path.is_file():
        raise fail(path, "readable-file", "not a regular file")
    if path.stat().st_size == 0:
        raise fail(path, "non-empty", "the file is empty")
    done = 0
    number = 0
    with path.open("rb") as fh:
        while True:
            raw = fh.readline(MAX_LINE_BYTES + 1)
            if not raw:
                break
            number += 1
            done += len(raw)
            if len(raw) > MAX_LINE_BYTES:
                raise fail(path, "line-length", f"a line longer than {MAX_LINE_BYTES} bytes", number)
            if b"\x00" in raw:
                raise fail(path, "text-file", "binary data (NUL bytes): not a text file", number)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                raise fail(path, "utf-8", f"not UTF-8 text ({err.reason})", number) from err
            if number == 1:
                text = text.lstrip("\ufeff")
            if progress is not None and number % _EVERY == 0:
                progress(number, done)
            yield number, text.rstrip("\r\n")
    if progress is not None:
        progress(number, done)


def yaml_text(value: str) -> str:
    """``value`` as a YAML double-quoted scalar (JSON escapes, which YAML reads, plus its own line breaks)."""
    text: str = _quote(value)
    if not text.isascii():
        for ch, esc in _UNSAFE.items():
            if ch in text:
                text = text.replace(ch, esc)
    return text


class YamlSink:
    """A curation YAML file written as statements arrive: statements first to a scratch file, then assembled.

    :meth:`close` writes ``sources``, ``entities`` and the statements into ``path`` (atomically);
    :meth:`discard` leaves nothing behind.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tmp: IO[str] = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed by close()/discard()
            "w", encoding="utf-8", suffix=".statements.yaml", delete=False
        )
        self.count = 0

    def add(self, st: Statement) -> None:
        """Write one statement block."""
        q = yaml_text
        lines = [f"  - id: {q(st.id)}", f"    subject: {q(st.subject)}", f"    predicate: {st.predicate}"]
        lines.append(f"    object: {q(st.object)}")
        if st.context:
            lines.append("    context: {" + ", ".join(f"{k}: {q(v)}" for k, v in st.context.items()) + "}")
        for key, value in (("magnitude", st.magnitude), ("reaction", st.reaction)):
            if value:
                lines.append(f"    {key}: {q(value)}")
        if st.negated:
            lines.append("    negated: true")
        if st.summary:
            lines.append("    summary: true")
        if st.via:
            lines.append("    via: [" + ", ".join(map(q, st.via)) + "]")
        lines.append("    sources: [" + ", ".join(map(q, st.sources)) + "]")
        lines.append("    evidence:")
        for ev in st.evidence:
            lines.append(f"      - source: {q(ev.source)}")
            lines.append(f"        text: {q(ev.text)}")
        if st.evidence_type:
            lines.append(f"    evidence_type: {q(st.evidence_type)}")
        if st.note:
            lines.append(f"    note: {q(st.note)}")
        self._tmp.write("\n".join(lines) + "\n")
        self.count += 1

    def close(self, entities: Iterable[Entity], sources: Iterable[Source], header: str = "") -> None:
        """Assemble the curation file at ``path`` (replaced atomically)."""
        self._tmp.close()
        q = yaml_text
        target = self.path.resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write("".join(f"# {line}\n" for line in header.splitlines()))
                out.write("sources:\n")
                for s in sorted(sources, key=lambda s: s.id):
                    out.write(f"  - id: {q(s.id)}\n    title: {q(s.title)}\n    verified: {q(s.verified)}\n")
                out.write("entities:\n")
                for e in sorted(entities, key=lambda e: e.id):
                    out.write(f"  - id: {q(e.id)}\n    label: {q(e.label)}\n    category: {e.category}\n")
                    for key, values in (("synonyms", e.synonyms), ("abbreviations", e.abbreviations)):
                        if values:
                            out.write(f"    {key}: [" + ", ".join(map(q, values)) + "]\n")
                    for key, values in (("xrefs", e.xrefs), ("broader", e.broader)):
                        if values:
                            out.write(f"    {key}: [" + ", ".join(map(q, values)) + "]\n")
                    for key, text in (("description", e.description), ("comment", e.comment)):
                        if text:
                            out.write(f"    {key}: {q(text)}\n")
                    out.write(f"    verified: {q(e.verified or '')}\n")
                out.write("statements:\n")
                with Path(self._tmp.name).open(encoding="utf-8") as fh:
                    shutil.copyfileobj(fh, out, 1024 * 1024)
            Path(name).replace(target)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        finally:
            Path(self._tmp.name).unlink(missing_ok=True)

    def discard(self) -> None:
        """Drop everything written so far."""
        self._tmp.close()
        Path(self._tmp.name).unlink(missing_ok=True)
