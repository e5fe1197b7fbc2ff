r"""Reading an import's file one line at a time, and writing its curation YAML one statement at a time.

Lines are read as bytes, a block at a time (so that progress can count them), and decoded; a file that is
missing, empty, binary or not UTF-8 raises :class:`~kg.errors.ImportFormatError` naming the line. A line
longer than :data:`MAX_LINE_BYTES` is refused (reads are bounded). :class:`YamlSink` writes the curation file
(``docs/curation-format.md``) atomically: nothing is left behind when an import fails. Every scalar is
double-quoted (:func:`yaml_text`: JSON's escapes, which YAML reads, and ``\uXXXX`` for what YAML must not see
raw), so any text reads back as itself.

>>> yaml_text('say "hi"\u2028')
'"say \\"hi\\"\\u2028"'
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from kg.errors import ImportFormatError, Violation
from kg.imports.mapping import Progress
from kg.model import Entity, Source, Statement

__all__ = ["MAX_LINE_BYTES", "YamlSink", "fail", "read_lines", "yaml_comment", "yaml_text"]

#: The longest line an importer reads (a SIGNOR or KGX row is a few kB).
MAX_LINE_BYTES = 4 * 1024 * 1024
_EVERY = 4096  # rows between two progress calls
_BLOCK = 1 << 20  # bytes read at a time

_quote = json.encoder.encode_basestring  # what json.dumps(value, ensure_ascii=False) does for a str
#: What a JSON string may hold raw but a YAML file may not: YAML's line breaks (NEL, LS, PS, read as breaks), the
#: byte order mark, and what is not YAML-printable (DEL, C1 controls, U+FFFE/U+FFFF). JSON has escaped C0
#: controls, quotes and backslashes already. (A lone surrogate is no Unicode text: writing it fails.)
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def fail(path: str | Path, rule: str, message: str, line: int | None = None) -> ImportFormatError:
    """The error for a file an importer cannot use (one violation)."""
    return ImportFormatError([Violation(rule, str(path), message, str(path), line)], what=str(path))


def read_lines(path: Path, progress: Progress | None = None) -> Iterator[tuple[int, str]]:
    """``(line number, text without its line break)`` for each line of ``path``; progress every few thousand.

    The file is read a block at a time; a block of whole lines that is valid UTF-8 text is decoded at once, any
    other (a NUL byte, a decoding error, a line that may be too long) line by line, to name the line at fault.
    """
    if not path.exists():
        raise fail(path, "readable-file", "no such file")
    if not path.is_file():
        raise fail(path, "readable-file", "not a regular file")
    if path.stat().st_size == 0:
        raise fail(path, "non-empty", "the file is empty")
    number = done = 0  # lines and bytes read
    rest = b""  # the start of a line whose end is in a later block
    with path.open("rb") as fh:
        while True:
            block = fh.read(_BLOCK)
            data = rest + block if rest else block
            if block:
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    if len(data) > MAX_LINE_BYTES:
                        raise fail(path, "line-length", f"a line longer than {MAX_LINE_BYTES} bytes", number + 1)
                    rest = data
                    continue
                data, rest = data[:cut], data[cut:]
            elif data:
                rest = b""  # the last line, without a line break
            else:
                break
            lines = _lines(data, first=number == 0)
            if lines is None:  # line by line, to name the line at fault
                for line, size in _checked(path, data, number):
                    number += 1
                    done += size
                    if progress is not None and number % _EVERY == 0:
                        progress(number, done)
                    yield number, line
                continue
            at = 0  # lines of this block given so far
            if progress is not None:  # called before the line it counts, as line by line
                ends: list[int] = []
                for due in range(_EVERY - number % _EVERY, len(lines) + 1, _EVERY):
                    yield from enumerate(lines[at : due - 1], number + at + 1)
                    ends = ends or _line_ends(data)
                    progress(number + due, done + ends[due - 1])
                    at = due - 1
            yield from enumerate(lines[at:] if at else lines, number + at + 1)
            number += len(lines)
            done += len(data)
    if progress is not None:
        progress(number, done)


def _lines(data: bytes, *, first: bool) -> list[str] | None:
    """Whole lines of text without their breaks, or None when a line may be at fault (NUL, not UTF-8, long)."""
    if len(data) > MAX_LINE_BYTES or b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8")  # a line break is never inside a UTF-8 sequence: valid iff each line is
    except UnicodeDecodeError:
        return None
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    if "\r" in text:
        lines = [line.rstrip("\r") for line in lines]
    if first:
        lines[0] = lines[0].lstrip("\ufeff")
    return lines


def _line_ends(data: bytes) -> list[int]:
    """The offset just past each line of ``data`` (its line break included, where it has one)."""
    ends, at = [], 0
    for raw in data.split(b"\n"):
        at += len(raw) + 1
        ends.append(min(at, len(data)))
    return ends


def _checked(path: Path, data: bytes, number: int) -> Iterator[tuple[str, int]]:
    """The lines of ``data`` (after line ``number``) one by one, with their sizes; the first fault raises."""
    start = 0
    while start < len(data):
        end = data.find(b"\n", start) + 1 or len(data)
        raw = data[start:end]
        start = end
        number += 1
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
        yield text.rstrip("\r\n"), len(raw)


def yaml_text(value: str) -> str:
    r"""``value`` as a YAML double-quoted scalar: JSON escapes (which YAML reads) and ``\uXXXX`` where needed.

    ``\uXXXX`` is written for what YAML must not see raw: its own line breaks, the BOM, and characters outside
    its printable set.

    >>> yaml_text("DEL\x7f, NEL\x85: yes")
    '"DEL\\u007f, NEL\\u0085: yes"'
    """
    return _printable(_quote(value))


def _printable(text: str) -> str:
    """JSON-quoted scalars (and the ASCII keys and punctuation around them) with what YAML must not see raw escaped.

    One pass over a whole statement block gives the same text as :func:`yaml_text` on each of its scalars.
    """
    if text.isascii() and "\x7f" not in text:
        return text
    return _UNSAFE.sub(_escape, text)


def yaml_comment(text: str) -> str:
    r"""``text`` as YAML comment lines (``# `` before each line; what YAML must not see raw escaped as ``\uXXXX``).

    >>> yaml_comment("one\ntwo\x7f")
    '# one\n# two\\u007f\n'
    """
    return "".join(f"# {_UNSAFE.sub(_escape, line)}\n" for line in text.splitlines())


def _append(path: Path, fd: int) -> None:
    """Append the bytes of ``path`` to the file open at ``fd``: in the kernel where it can (``sendfile``)."""
    with path.open("rb") as fh:
        size, done = os.fstat(fh.fileno()).st_size, 0
        try:
            while done < size:
                sent = os.sendfile(fd, fh.fileno(), done, size - done)
                if sent == 0:
                    break
                done += sent
        except (AttributeError, OSError):  # no sendfile here, or not between these files: copy through memory
            if done:
                raise
        if done < size:
            fh.seek(done)
            with os.fdopen(fd, "wb", closefd=False) as out:
                shutil.copyfileobj(fh, out, 1024 * 1024)


class YamlSink:
    """A curation YAML file written as statements arrive: statements first to a scratch file, then assembled.

    :meth:`close` writes ``sources``, ``entities`` and the statements into ``path`` (atomically);
    :meth:`discard` leaves nothing behind.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tmp: IO[str] = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed by close()/discard()
            "w", buffering=1 << 20, encoding="utf-8", suffix=".statements.yaml", delete=False
        )
        self.count = 0

    def add(self, st: Statement) -> None:
        """Write one statement block."""
        quote = _quote
        block = (
            f"  - id: {quote(st.id)}\n    subject: {quote(st.subject)}\n    predicate: {st.predicate}\n"
            f"    object: {quote(st.object)}\n"
        )
        if st.context:
            block += "    context: {" + ", ".join([f"{k}: {quote(v)}" for k, v in st.context.items()]) + "}\n"
        if st.magnitude:
            block += f"    magnitude: {quote(st.magnitude)}\n"
        if st.reaction:
            block += f"    reaction: {quote(st.reaction)}\n"
        if st.negated:
            block += "    negated: true\n"
        if st.summary:
            block += "    summary: true\n"
        if st.via:
            block += "    via: [" + ", ".join(map(quote, st.via)) + "]\n"
        block += "    sources: [" + ", ".join(map(quote, st.sources)) + "]\n    evidence:\n"
        for ev in st.evidence:
            block += f"      - source: {quote(ev.source)}\n        text: {quote(ev.text)}\n"
        if st.evidence_type:
            block += f"    evidence_type: {quote(st.evidence_type)}\n"
        if st.note:
            block += f"    note: {quote(st.note)}\n"
        self._tmp.write(_printable(block))
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
                out.write(yaml_comment(header))
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
                out.flush()
                _append(Path(self._tmp.name), out.fileno())
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
