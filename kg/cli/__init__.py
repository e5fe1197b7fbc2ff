"""``hormone-kg``: the command line (SPEC §5) — thin: parse arguments, call the API, print.

Every query command prints rich tables or short signed paths for people and, with ``--json``, one stable
JSON document for machines (the shapes are documented in ``docs/cli.md``). Text from the graph is never
read as markup. Exit codes: 0 success, 1 invalid input files / failed export / unreachable endpoint,
2 usage errors, unknown entities and impossible contexts or query bounds.

Nothing heavy is imported here at module level, so ``hormone-kg --help`` starts fast; the graph, pandas,
rdflib and the writers are imported inside the commands that need them.

The package: :mod:`kg.cli.app` (state, options, the group, errors, :func:`main`), :mod:`kg.cli.render`
(JSON shapes, rich text and ``--tsv``), :mod:`kg.cli.names` (search, show, contexts),
:mod:`kg.cli.questions` (the query commands), :mod:`kg.cli.files` (view, exports, validation, SPARQL,
push) and :mod:`kg.cli.stdio` (``-`` as standard input or output). The commands are registered on
:data:`cli` here.

>>> import json
>>> from click.testing import CliRunner
>>> result = CliRunner().invoke(cli, ["--json", "search", "anastro"])
>>> result.exit_code, json.loads(result.stdout)["results"][0]["label"]
(0, 'anastrozole')
"""

from __future__ import annotations

from kg.cli import files, imports, names, questions
from kg.cli.app import EXIT_INVALID, EXIT_OK, EXIT_USAGE, State, cli, main
from kg.cli.render import Citations

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "Citations", "State", "cli", "main"]

for _command in (*names.COMMANDS, *questions.COMMANDS, *files.COMMANDS, *imports.COMMANDS):
    cli.add_command(_command)
