"""The ``hormone-kg`` commands that read or write the graph as data: viz, export, build, validate, sparql and push.

They write the interactive view and the exchange formats, check curation files, run SPARQL on the graph
and load it into a SPARQL endpoint; the writers are imported inside the commands that need them.
``-`` is standard input (``validate -``, ``--extra -``, ``sparql @-``) or standard output (``viz -o -``,
``export -f turtle -o -``: one file, written whole to standard output; several files need a directory).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from kg.cli.app import (
    EXIT_INVALID,
    State,
    common_options,
    context_option,
    current_state,
    endpoint_options,
    finite,
    graph_context,
    parse_context,
    tsv_option,
    violation_json,
)
from kg.cli.render import statement_json, tsv
from kg.cli.stdio import DASH, copy_to_stdout, read_stdin_text
from kg.errors import ValidationError

__all__ = ["COMMANDS", "build", "export", "push", "sparql", "validate", "viz"]


# ---------------------------------------------------------------------------------------------- outputs
@click.command()
@click.option("--focus", "-f", metavar="E", help="Show only the neighbourhood of this entity.")
@click.option("--radius", "-r", type=click.IntRange(min=0), default=2, show_default=True, help="Steps around --focus.")
@click.option(
    "--max-nodes", type=click.IntRange(min=1), default=None, help="At most this many entities around --focus (nearest)."
)
@click.option("--highlight", nargs=2, metavar="SRC DST", help="Highlight the causal paths from SRC to DST.")
@context_option
@click.option(
    "-o", "--output", "output", required=True, type=click.Path(dir_okay=False), help="HTML file to write (- : stdout)."
)
@click.option("--open", "open_browser", is_flag=True, help="Open the file in a web browser afterwards.")
@common_options
def viz(
    focus: str | None,
    radius: int,
    max_nodes: int | None,
    highlight: tuple[str, str] | None,
    context: str | None,
    output: str,
    open_browser: bool,
) -> None:
    """Write the interactive view: one self-contained HTML file that works offline (-o - : to stdout)."""
    state = current_state()
    if output == DASH and (state.json or open_browser):
        raise click.UsageError("-o - writes the page to standard output: it cannot be combined with --json or --open")
    ctx = parse_context(context)
    g = state.graph()
    ctx = graph_context(g, ctx)
    focus_id = g.resolve(focus).id if focus else None
    pair = (g.resolve(highlight[0]).id, g.resolve(highlight[1]).id) if highlight else None
    if ctx is not None:
        g.context(ctx)  # an impossible context fails here, before anything is written
    from kg import viz as viz_module

    if output == DASH:
        with state.busy("Rendering the view…"):
            page = viz_module.render_html(
                g, focus=focus_id, radius=radius, highlight=pair, context=ctx, max_nodes=max_nodes
            )
        click.echo(page, nl=False)
        return
    target = Path(output)
    with state.busy(f"Rendering {target}…"):
        written = viz_module.write_html(
            g, target, focus=focus_id, radius=radius, highlight=pair, context=ctx, max_nodes=max_nodes
        )
    size = written.stat().st_size
    if state.json:
        state.emit_json({"path": str(target), "bytes": size, "focus": focus_id, "highlight": list(pair or [])})
    elif not state.quiet:
        from rich.text import Text

        state.out.print(Text(f"wrote {target} ({size or 0:,} bytes)"), soft_wrap=True)
    if open_browser:
        import webbrowser

        webbrowser.open(target.resolve().as_uri())


def _print_written(state: State, what: str, files: Sequence[str], directory: Path) -> None:
    if state.json:
        state.emit_json({"directory": str(directory), "files": list(files)})
        return
    if state.quiet:
        return
    from rich.text import Text

    state.out.print(Text(f"{what}: {len(files)} file(s) in {directory}"), soft_wrap=True)
    for f in files:
        state.out.print(Text(f"  {f}"), soft_wrap=True)


@click.command()
@click.option(
    "--format",
    "-f",
    "formats",
    multiple=True,
    metavar="F",
    help="turtle, ntriples, jsonld, graphml, kgx, cytoscape, csv or html; repeatable (default: all).",
)
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(file_okay=False),
    help="Directory to write (- : standard output, for one single-file format).",
)
@common_options
def export(formats: tuple[str, ...], output: str) -> None:
    """Write the graph in the exchange formats (Turtle, N-Triples, JSON-LD, GraphML, KGX, Cytoscape…).

    With -o - the one format given (--format turtle, ntriples, jsonld, graphml, cytoscape or csv) is
    written to standard output; formats of several files (kgx, html) need a directory.
    """
    state = current_state()
    if output == DASH:
        _export_to_stdout(state, formats)
        return
    g = state.graph()
    from kg import exporters

    directory = Path(output)
    with state.busy(f"Exporting to {directory}…"):
        written = exporters.export(g, directory, list(formats) or None)
    _print_written(state, "exported", [str(p) for p in written], directory)


def _export_to_stdout(state: State, formats: Sequence[str]) -> None:
    """``export -f F -o -``: write the one file of format F to a temporary folder, then to standard output."""
    import tempfile

    if len(formats) != 1:
        given = f"{len(formats)} formats" if formats else "no --format (that is, every format)"
        raise click.UsageError(
            f"-o - writes one file to standard output, but {given} were asked for: give one --format "
            "(turtle, ntriples, jsonld, graphml, cytoscape or csv), or a directory",
            ctx=click.get_current_context(),
        )
    if state.json:
        raise click.UsageError("-o - writes the export itself to standard output: it cannot be combined with --json")
    g = state.graph()
    from kg import exporters

    with tempfile.TemporaryDirectory(prefix="hormone-kg-export-") as tmp:
        with state.busy(f"Exporting {formats[0]}…"):
            written = exporters.export(g, tmp, list(formats))
        if len(written) != 1:
            names = ", ".join(p.name for p in written)
            raise click.UsageError(
                f"the {formats[0]} export is {len(written)} files ({names}): -o - takes one; give a directory"
            )
        copy_to_stdout(written[0])


@click.command()
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(file_okay=False),
    default=None,
    help="Directory to regenerate (default: the project's exports/).",
)
@common_options
def build(output: str | None) -> None:
    """Regenerate exports/ (every format plus the interactive view) from the curated sources.

    Without ``-o``, also the compiled bundled graph the package ships (``kg/data/compiled.pickle``), when the
    data or the code that compiles it changed since it was written.
    """
    state = current_state()
    if output == DASH:
        raise click.UsageError("build writes many files: give a directory, not - (export -f F -o - writes one)")
    from kg import exporters

    directory = Path(output) if output else Path(exporters.EXPORTS_DIR)
    with state.busy("Building exports…"):
        written = [str(p) for p in exporters.build(directory)]
        if output is None:  # the project's own build: the package's compiled bundled graph too, when not current
            from kg.store.bundled import SHIPPED, write_shipped

            if write_shipped():
                written.append(str(SHIPPED))
    _print_written(state, "built", written, directory)


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--shacl", is_flag=True, help="Also run the SHACL shapes (the published RDF contract; slower).")
@common_options
def validate(files: tuple[str, ...], shacl: bool) -> None:
    """Check the bundled graph plus FILES; print each violation as ``file:line: [rule] focus: message``.

    Every rule is applied; ``--shacl`` also runs the SHACL shapes on the RDF. Also warns about conflicts:
    two statements with opposite signs for the same subject, object and context. Exit 1 on violations,
    0 otherwise (conflicts are warnings). A FILE named - is read from standard input (YAML, or RDF
    recognised by its first line) and called <stdin> in messages.
    """
    from rich.text import Text

    from kg.validation.rules import find_conflicts

    state = current_state()
    names = [*state.extra, *files]
    try:
        g = state.graph(files, shacl=shacl)
    except ValidationError as err:
        if state.json:
            state.emit_json(
                {
                    "files": names,
                    "valid": False,
                    "violations": [violation_json(v) for v in err.violations],
                    "conflicts": [],
                }
            )
        else:
            for violation in err.violations:
                state.out.print(Text(str(violation)), soft_wrap=True)
            if not state.quiet:
                state.err.print(Text(f"{len(err.violations)} violation(s)", style="bold red"))
        raise click.exceptions.Exit(EXIT_INVALID) from None
    conflicts = find_conflicts(g.statements.values())
    if state.json:
        state.emit_json(
            {
                "files": names,
                "valid": True,
                "violations": [],
                "conflicts": [{"a": statement_json(a), "b": statement_json(b)} for a, b in conflicts],
            }
        )
        return
    from kg.questions.results import cite

    for a, b in () if state.quiet else conflicts:  # --quiet: results only, no warnings
        where = state.shown(g.curation.origins.get(a.curie, ""))
        context = ", ".join(f"{k}={v}" for k, v in a.context.items()) or "any context"
        state.out.print(
            Text(
                f"{where + ': ' if where else ''}warning: [conflicting-signs] {g.label(a.subject)} → "
                f"{g.label(a.object)} ({context}):",
                style="yellow",
            ),
            soft_wrap=True,
        )
        for st in (a, b):
            origin = state.shown(g.curation.origins.get(st.curie, "?"))
            sources = "; ".join(cite(g, s) for s in st.sources)
            state.out.print(
                Text(f"    {st.curie} ({st.sign:+d}, {st.predicate}) at {origin}; sources: {sources}"), soft_wrap=True
            )
    if not state.quiet:
        summary = (
            f"ok: {len(names)} file(s) and the bundled graph are valid "
            f"({len(g.entities)} entities, {len(g.statements)} statements, {len(g.findings)} findings)"
        )
        if conflicts:
            summary += f"; {len(conflicts)} conflict warning(s)"
        state.out.print(Text(summary, style="green"), soft_wrap=True)


@click.command()
@click.argument("query")
@click.option("--bind", "binds", multiple=True, metavar="NAME=VALUE", help="Bind ?NAME to VALUE; repeatable.")
@tsv_option
@endpoint_options
@common_options
def sparql(query: str, binds: tuple[str, ...]) -> None:
    """Run a SPARQL query (text, @FILE, or @- for standard input) on the graph; bindings are bound, never pasted."""
    from rich.table import Table
    from rich.text import Text

    state = current_state()
    output = state.table_format()
    bindings: dict[str, str] = {}
    for bind in binds:
        name, sep, value = bind.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name.isidentifier():
            raise click.BadParameter(f"{bind!r}; expected NAME=VALUE", param_hint="'--bind'")
        bindings[name] = value
    if query in (DASH, f"@{DASH}"):
        query = read_stdin_text("the query")
    elif query.startswith("@"):
        path = Path(query[1:])
        try:
            query = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise click.FileError(str(path), hint=str(err)) from err
    g = state.graph()
    rows = g.sparql(query, **bindings)
    if output == "json":
        state.emit_json({"rows": [{k: _sparql_value(v) for k, v in row.items()} for row in rows]})
        return
    columns = list(dict.fromkeys(k for row in rows for k in row))
    if output == "tsv":
        click.echo(tsv(columns, [[_sparql_value(row.get(c)) for c in columns] for row in rows]), nl=False)
        return
    if not rows:
        state.out.print(Text("No results."), soft_wrap=True)
        return
    table = Table(*columns)
    for row in rows:
        table.add_row(*(Text("" if row.get(c) is None else str(row.get(c))) for c in columns))
    state.out.print(table)
    state.note(f"{len(rows)} row(s)")


def _sparql_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return finite(value)
    return str(value)


@click.command()
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds to wait for the server.",
)
@endpoint_options
@common_options
def push(timeout: float) -> None:
    """Replace the endpoint's named graph with the graph (checked: the server's count is read back).

    Then ``--endpoint URL`` on any query command (and kg.load(endpoint=URL)) answers from it.
    """
    state = current_state()
    ep = state.endpoint()
    given = state.remote.pop("endpoint")  # the graph pushed is the local one (bundled plus --extra files)
    g = state.graph()
    from kg.store import remote

    with state.busy(f"Pushing to {ep.query}…"):
        count = remote.push(g, ep, timeout=timeout)
    if state.json:
        state.emit_json({"endpoint": given, "query": ep.query, "graph": ep.graph, "triples": count})
    elif not state.quiet:
        from rich.text import Text

        state.out.print(
            Text(f"pushed {count:,} triples to {ep.query} (graph <{ep.graph}>), counted back"), soft_wrap=True
        )


#: The commands of this module, in the order they are registered on the group.
COMMANDS: tuple[click.Command, ...] = (viz, export, build, validate, sparql, push)
