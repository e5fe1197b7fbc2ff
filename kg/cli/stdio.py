r"""Standard input and output as files: ``-`` for a curation file, a SPARQL query or an export.

A curation file read from standard input is copied to a temporary file whose suffix is sniffed from its
first lines (Turtle, RDF/XML, JSON-LD, else YAML), loaded like any other file, and named ``<stdin>`` in
every message. A single-file export or view is written to a temporary folder and copied to standard output.

>>> sniff_suffix(b"# my statements\n@prefix hkg: <https://w3id.org/hormone-kg/vocab#> .\n")
'.ttl'
>>> sniff_suffix(b"statements:\n  - id: x\n")
'.yaml'
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import click

from kg.errors import ValidationError, Violation

__all__ = ["DASH", "STDIN_NAME", "copy_to_stdout", "read_stdin_text", "sniff_suffix", "stdin_files"]

#: The file name that means standard input (or output), and how standard input is named in messages.
DASH, STDIN_NAME = "-", "<stdin>"

_SNIFF_BYTES = 64 * 1024
_TURTLE_STARTS = ("@prefix", "@base", "prefix ", "base ", "<")


def sniff_suffix(head: bytes) -> str:
    """The file suffix that fits the first bytes of a curation file: ``.ttl``, ``.rdf``, ``.jsonld`` or ``.yaml``.

    ``#`` comments (YAML and Turtle alike) and blank lines are skipped; N-Triples read as Turtle.

    >>> sniff_suffix(b'<?xml version="1.0"?>'), sniff_suffix(b'{"@context": {}}'), sniff_suffix(b"")
    ('.rdf', '.jsonld', '.yaml')
    """
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = (line.strip() for line in text.splitlines())
    first = next((line for line in lines if line and not line.startswith("#")), "")
    lowered = first.casefold()
    if lowered.startswith(("<?xml", "<rdf:")):
        return ".rdf"
    if lowered.startswith(_TURTLE_STARTS):
        return ".ttl"
    if first.startswith(("{", "[")) and '"@context"' in text:
        return ".jsonld"
    return ".yaml"


@contextmanager
def stdin_files(files: Sequence[str]) -> Iterator[tuple[list[str], str | None]]:
    """``files`` with ``-`` replaced by a temporary copy of standard input, and that copy's path (or None).

    The copy is removed on exit; :class:`~kg.errors.ValidationError` raised inside names it ``<stdin>``.
    Raises :class:`click.UsageError` if ``-`` is given more than once (standard input is read once).
    """
    if DASH not in files:
        yield list(files), None
        return
    if list(files).count(DASH) > 1:
        raise click.UsageError("standard input (-) can be read only once")
    with tempfile.TemporaryDirectory(prefix="hormone-kg-stdin-") as tmp:
        stream = sys.stdin.buffer
        head = stream.read(_SNIFF_BYTES)
        path = Path(tmp) / f"stdin{sniff_suffix(head)}"
        with path.open("wb") as out:
            out.write(head)
            shutil.copyfileobj(stream, out)
        try:
            yield [str(path) if f == DASH else f for f in files], str(path)
        except ValidationError as err:
            raise _renamed(err, str(path)) from None


def _renamed(err: ValidationError, path: str) -> ValidationError:
    """The same error with the temporary copy named ``<stdin>`` (in files, foci, messages and the summary)."""

    def name(text: str | None) -> str | None:
        return None if text is None else text.replace(path, STDIN_NAME).replace(Path(path).name, STDIN_NAME)

    violations = [
        Violation(v.rule, name(v.focus) or "", name(v.message) or "", name(v.file), v.line) for v in err.violations
    ]
    what = (name(str(err).split(" failed validation with ", 1)[0]) or "").strip() or "input"
    return type(err)(violations, what=what)


def read_stdin_text(what: str = "the input") -> str:
    """All of standard input, as UTF-8 text; raises :class:`click.ClickException` (exit 1) if it is not UTF-8."""
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise click.ClickException(f"cannot read {what} from standard input: not UTF-8 text ({err})") from err


def copy_to_stdout(path: Path) -> int:
    """Copy a written file to standard output, byte for byte; the number of bytes."""
    data = path.read_bytes()
    sys.stdout.flush()  # anything printed before comes first
    stream = sys.stdout.buffer
    stream.write(data)
    stream.flush()
    return len(data)
