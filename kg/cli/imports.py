"""``hormone-kg import FORMAT FILE``: another resource's file -> a curation YAML file to review (or load).

The import report (rows -> statements, skipped rows grouped by reason, entities merged through xrefs,
conflicts) goes to standard error, or standard output as JSON with ``--json``. A progress bar follows the
bytes read. ``--load`` then loads the written file with the bundled graph, so that every rule is checked.

>>> import json, tempfile
>>> from pathlib import Path
>>> from click.testing import CliRunner
>>> from kg.cli import cli
>>> sample = Path(__file__).parents[2] / "tests" / "data" / "imports" / "signor.tsv"
>>> with tempfile.TemporaryDirectory() as tmp:
...     out = str(Path(tmp) / "s.yaml")
...     result = CliRunner().invoke(cli, ["--json", "import", "signor", str(sample), "-o", out])
>>> result.exit_code, json.loads(result.stdout)["statements"]
(0, 6)
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.app import EXIT_INVALID, common_options, current_state
from kg.errors import ValidationError

__all__ = ["COMMANDS", "import_command"]


def _pairs(values: tuple[str, ...], what: str) -> dict[str, str]:
    out = {}
    for value in values:
        key, sep, column = value.partition("=")
        if not sep or not key.strip() or not column.strip():
            raise click.BadParameter(f"{value!r}: expected FIELD=VALUE", param_hint=what)
        out[key.strip()] = column.strip()
    return out


@click.command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["signor", "kgx", "indra", "drugmechdb", "bel", "table"]))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="The curation YAML to write (FILE.yaml).")
@click.option("--name", help="The import's name (its origin becomes src:import-NAME); default FORMAT-FILESTEM.")
@click.option("--column", "columns", multiple=True, help="table: FIELD=COLUMN (subject, object, predicate, …).")
@click.option("--predicate", "predicates", multiple=True, help="table: VALUE=PREDICATE (e.g. up=increases).")
@click.option("--keep-ids", is_flag=True, help="kgx: keep the edges' statement ids (stmt:…).")
@click.option("--load", "load_after", is_flag=True, help="Load the written file with the bundled graph (validate).")
@common_options
def import_command(
    fmt: str,
    file: str,
    output: str | None,
    name: str | None,
    columns: tuple[str, ...],
    predicates: tuple[str, ...],
    keep_ids: bool,
    load_after: bool,
) -> None:
    """Import FILE (SIGNOR TSV, KGX TSV/JSONL, INDRA JSON, DrugMechDB YAML, BEL, or a CSV/TSV with --column).

    Exit 1 when the file cannot be read or no row becomes a statement (the reasons are printed) or, with
    --load, when the written file breaks a rule; nothing is written on error.
    """
    from rich.text import Text

    from kg.imports import import_file

    state = current_state()
    path = Path(file)
    out = Path(output) if output else path.with_suffix(".yaml")
    if out.resolve() == path.resolve():
        raise click.BadParameter("the output would overwrite the input", param_hint="--output")
    total = path.stat().st_size if path.is_file() else 0
    show = not (state.json or state.quiet)
    with click.progressbar(length=total, label=f"Importing {path.name}", file=sys.stderr) as bar:
        seen = [0]

        def progress(rows: int, done: int) -> None:
            if show:
                bar.update(done - seen[0])
            seen[0] = done

        report = import_file(
            fmt, path, out, name=name, progress=progress, keep_ids=keep_ids,
            columns=_pairs(columns, "--column") if fmt == "table" else None,
            predicates=_pairs(predicates, "--predicate") if predicates else None,
        )  # fmt: skip
    loaded = None
    if load_after:
        try:
            loaded = len(state.graph([str(out)]).statements)
        except ValidationError as err:
            for violation in err.violations:
                state.out.print(Text(str(violation)), soft_wrap=True)
            raise click.exceptions.Exit(EXIT_INVALID) from None
    if state.json:
        state.emit_json({**report.as_dict(), "output": str(out), "loaded_statements": loaded})
        return
    state.out.print(Text(report.summary()), soft_wrap=True)
    state.out.print(Text(f"wrote {out}" + (f"; loaded: {loaded} statements in the graph" if loaded else "")))


COMMANDS: tuple[click.Command, ...] = (import_command,)
