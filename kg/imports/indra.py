"""INDRA Statements JSON -> edges (docs/importers/indra.md says what maps to what, and what is dropped).

INDRA serialises statements (``indra/resources/statements_schema.json``) as a JSON array (``stmts_to_json_file``
writes it with ``indent=1``), as JSON lines (``format='jsonl'``: one statement per line), or wrapped in a REST
response (``{"statements": {hash: statement}}``, the INDRA DB REST API). Each statement has a ``type``, its
agents (``subj``/``obj``; ``enz``/``sub`` for modifications; ``members`` for a complex) with ``name`` and
``db_refs``, and ``evidence`` (``source_api``, ``pmid``, ``text``, ``epistemics``, ``context``). Statements are
read one at a time (:func:`read_indra`), whatever the layout.

>>> e = edge_or_skip({"type": "Phosphorylation", "enz": {"name": "MAP2K1", "db_refs": {"HGNC": "6840"}},
...     "sub": {"name": "MAPK1", "db_refs": {"HGNC": "6871"}}, "evidence": [{"pmid": "22174878"}]}, 1)
>>> e.reason
'INDRA Phosphorylation: no predicate of the ontology (unsigned or not modelled)'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from kg.imports.files import fail, read_lines
from kg.imports.mapping import DATABASE_RECORD, MACHINE_RECORD, Edge, Mapper, Node, Origin, Progress, Skip
from kg.model import Evidence

__all__ = ["DATABASES", "READERS", "STATEMENT_TYPES", "edge_or_skip", "read_indra"]

#: INDRA statement type -> (predicate when an evidence says the relation is direct, predicate otherwise). An
#: indirect activation is a net effect (``increases``, a summary), as for SIGNOR. ``Complex`` (two members) is
#: the unsigned ``binds``; every other type (modifications, translocations, active forms…) has no predicate.
STATEMENT_TYPES: Mapping[str, tuple[str, str]] = {
    "Activation": ("activates", "increases"),
    "Inhibition": ("inhibits", "decreases"),
    "IncreaseAmount": ("increases", "increases"),
    "DecreaseAmount": ("decreases", "decreases"),
    "Complex": ("binds", "binds"),
}
#: ``source_api`` values INDRA's ``indra/resources/source_info.json`` lists with ``"type": "reader"`` (machine
#: reading: evidence type ECO:0000323) and with ``"type": "database"`` (curated databases: ECO:0000322).
READERS = frozenset(
    {"eidos", "cwms", "hume", "sofia", "drum", "reach", "sparser", "tees", "medscan", "rlimsp", "isi", "geneways"}
)
DATABASES = frozenset(
    {"biopax", "pc", "phosphosite", "cbn", "bel", "signor", "biogrid", "tas", "hprd", "trrust", "phosphoelm",
     "virhostnet", "ctd", "drugbank", "omnipath", "minerva", "dgi"}
)  # fmt: skip
#: The db_refs key whose id becomes the entity's id when an agent has several (the others become xrefs).
_PRIMARY = ("HGNC", "UP", "CHEBI", "MESH", "EGID", "GO", "CL", "UBERON", "MONDO", "DOID", "HP", "EFO")
_ROLES = {"Complex": ("members",), "Modification": ("enz", "sub")}
#: BioContext slot -> (context key, the prefixes the context model takes there)
_CONTEXT_SLOTS = (
    ("species", "species", ("NCBITaxon",)),
    ("organ", "tissue", ("UBERON", "CL")),
    ("cell_type", "tissue", ("UBERON", "CL")),
    ("disease", "condition", ("MONDO", "HP", "DOID", "EFO")),
)
_MAX_EVIDENCE = 20  # sentences kept per statement (every PMID is kept as a source)
_MAX_ITEM_CHARS = 64 * 1024 * 1024
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_PMID = re.compile(r"^\d{1,9}$")


@cache
def _mapper() -> Mapper:
    return Mapper(Origin.of("indra", "indra.json"), curated=())


def _curie(prefix: str, local: str) -> str | None:
    """``prefix:local`` with the prefix registered (INDRA's ``UP`` -> ``UniProtKB``…), or None."""
    return _mapper().curie(prefix, local)


def _agents(stmt: Mapping[str, Any]) -> list[Any] | str:
    kind = stmt.get("type")
    if kind == "Complex":
        members = stmt.get("members")
        if not isinstance(members, list) or len(members) != 2:
            n = len(members) if isinstance(members, list) else 0
            return f"INDRA Complex of {n} members: only a pair becomes a statement (binds)"
        return members
    return [stmt.get("subj"), stmt.get("obj")]


def _node(agent: Any) -> Node | str:
    """An agent as a :class:`Node` (its first registered grounding; the others as xrefs), or why it cannot be."""
    if not isinstance(agent, Mapping):
        return "no agent"
    refs = agent.get("db_refs")
    refs = refs if isinstance(refs, Mapping) else {}
    found: list[tuple[int, str]] = []
    for key, value in refs.items():
        if key == "TEXT" or not isinstance(value, str | int):
            continue
        curie = _curie(str(key), str(value))
        if curie is not None:
            rank = _PRIMARY.index(key) if key in _PRIMARY else len(_PRIMARY)
            found.append((rank, curie))
    if not found:
        keys = ", ".join(sorted(str(k) for k in refs)) or "none"
        return f"no grounding in a registered namespace (db_refs: {keys})"
    ids = [c for _, c in sorted(found)]
    name = agent.get("name")
    return Node(id=ids[0], name=name if isinstance(name, str) else "", xrefs=tuple(dict.fromkeys(ids[1:])))


def _conditions(agent: Any) -> list[str]:
    """What an agent carries that this graph does not model (dropped, named in the note)."""
    if not isinstance(agent, Mapping):
        return []
    what = [k for k in ("mods", "mutations", "bound_conditions", "activity", "location") if agent.get(k)]
    return [f"{agent.get('name', '?')}: {', '.join(what)}"] if what else []


def _epistemics(ev: Mapping[str, Any]) -> Mapping[str, Any]:
    value = ev.get("epistemics")
    return value if isinstance(value, Mapping) else {}


def _citation(ev: Mapping[str, Any]) -> str | None:
    refs = ev.get("text_refs")
    refs = refs if isinstance(refs, Mapping) else {}
    pmid = str(ev.get("pmid") or refs.get("PMID") or "").strip()
    if _PMID.match(pmid):
        return f"PMID:{pmid}"
    doi = str(refs.get("DOI") or "").strip()
    return f"DOI:{doi}" if doi.startswith("10.") else None


def _context(ev: Mapping[str, Any], dropped: list[str]) -> dict[str, str]:
    """The context qualifiers one evidence's BioContext gives (what cannot be one goes to ``dropped``)."""
    bio = ev.get("context")
    if not isinstance(bio, Mapping) or bio.get("type", "bio") != "bio":
        return {}
    out: dict[str, str] = {}
    for slot, key, prefixes in _CONTEXT_SLOTS:
        ref = bio.get(slot)
        refs = ref.get("db_refs") if isinstance(ref, Mapping) else None
        if not isinstance(refs, Mapping):
            continue
        curies = [_curie(str(k), str(v)) for k, v in refs.items() if isinstance(v, str | int)]
        fitting = [c for c in curies if c is not None and c.split(":", 1)[0] in prefixes]
        if fitting and key not in out:
            out[key] = fitting[0]
        elif not fitting:
            dropped.append(f"{slot} " + ", ".join(str(v) if ":" in str(v) else f"{k}:{v}" for k, v in refs.items()))
    for slot in ("cell_line", "location"):
        ref = bio.get(slot)
        if isinstance(ref, Mapping) and ref.get("db_refs"):
            dropped.append(f"{slot} {ref.get('name') or ref.get('db_refs')}")
    return out


def _shared(contexts: Sequence[Mapping[str, str]], notes: list[str]) -> dict[str, str]:
    """The qualifiers every evidence gives alike; the others are named in the note and left general."""
    if not contexts:
        return {}
    keys = set().union(*contexts)
    out = {}
    for key in sorted(keys):
        values = {c.get(key) for c in contexts}
        if len(values) == 1:
            out[key] = str(values.pop())
        else:
            notes.append(f"{key} differs across evidence ({', '.join(sorted(str(v) for v in values))}): left general")
    return out


def edge_or_skip(stmt: Mapping[str, Any], number: int) -> Edge | Skip:
    """One INDRA statement as an :class:`Edge`, or a :class:`Skip` naming why it cannot be one."""
    kind = str(stmt.get("type") or "")
    if kind not in STATEMENT_TYPES:
        return Skip(number, f"INDRA {kind or 'statement without a type'}: no predicate of the ontology (unsigned or"
                    " not modelled)")  # fmt: skip
    agents = _agents(stmt)
    if isinstance(agents, str):
        return Skip(number, agents)
    nodes = []
    for role, agent in zip(("subject", "object"), agents, strict=True):
        node = _node(agent)
        if isinstance(node, str):
            return Skip(number, f"{role}: {node}")
        nodes.append(node)
    evidence = [e for e in stmt.get("evidence") or () if isinstance(e, Mapping)]
    if not evidence:
        return Skip(number, "a statement without evidence")
    positive = [e for e in evidence if not _epistemics(e).get("negated")]
    used = positive or evidence
    negated = not positive
    direct = any(_epistemics(e).get("direct") is True for e in used)
    predicate = STATEMENT_TYPES[kind][0 if direct else 1]
    ident = str(stmt.get("id") or stmt.get("matches_hash") or f"statement {number}")
    record = f"INDRA {kind} {ident}"
    notes = [record]
    if isinstance(stmt.get("belief"), int | float):
        notes.append(f"belief {stmt['belief']}")
    apis = sorted({str(e.get("source_api") or "no source_api") for e in used})
    notes.append(f"evidence from {', '.join(apis)}")
    if positive and len(positive) < len(evidence):
        cited = ", ".join(sorted({_citation(e) or "no citation" for e in evidence if e not in positive}))
        notes.append(f"{len(evidence) - len(positive)} negated evidence left out ({cited})")
    dropped: list[str] = []
    contexts = [_context(e, dropped) for e in used]
    context = _shared(contexts, notes)
    if dropped:
        notes.append("context not modelled: " + "; ".join(sorted(set(dropped))))
    conditions = [c for a in agents for c in _conditions(a)]
    if conditions:
        notes.append("agent conditions not modelled: " + "; ".join(conditions))
    pmids = tuple(dict.fromkeys(c for e in used if (c := _citation(e)) is not None))
    quoted = [(c, t.strip()) for e in used if (c := _citation(e)) and isinstance(t := e.get("text"), str) and t.strip()]
    uncited = [t.strip() for e in used if not _citation(e) and isinstance(t := e.get("text"), str) and t.strip()]
    sentences = tuple(Evidence(c, t) for c, t in dict.fromkeys(quoted))
    if len(sentences) > _MAX_EVIDENCE:
        notes.append(f"{len(sentences) - _MAX_EVIDENCE} more sentences not copied (their PMIDs are sources)")
        sentences = sentences[:_MAX_EVIDENCE]
    if sentences and uncited:
        notes.append(f"{len(uncited)} sentences without a PMID or DOI left out")
    machine = any(str(e.get("source_api") or "") not in DATABASES for e in used)
    subject, obj = nodes
    return Edge(
        row=number,
        subject=subject,
        object=obj,
        predicate=predicate,
        record=record,
        pmids=pmids,
        sentence=None if sentences else (uncited[0] if uncited else None),
        evidence=sentences,
        context=context,
        negated=negated,
        summary=predicate in ("increases", "decreases") and not direct,
        evidence_type=MACHINE_RECORD if machine else DATABASE_RECORD,
        note="; ".join(notes),
        description=f"{subject.name or subject.id} {kind} {obj.name or obj.id}",
    )


def _values(path: Path, progress: Progress | None) -> Iterator[tuple[int, str]]:
    """``(line, text)`` of each statement-level JSON value: an array's elements, or each object of a stream.

    Brackets are counted outside strings (a JSON string never spans lines), so a statement of any layout —
    ``indent=1``, one per line, or a whole array on one line — is cut out without parsing the rest.
    """
    mode: str | None = None
    depth = 0
    piece: list[str] = []
    size = 0
    first = 0
    for number, line in read_lines(path, progress):
        if mode is None:
            head = line.lstrip()
            if not head:
                continue
            if head[0] not in "[{":
                raise fail(path, "indra-json", "an INDRA Statements file is a JSON array or JSON lines", number)
            mode = "array" if head[0] == "[" else "stream"
        start = 0
        for match in _TOKEN.finditer(line):
            token = match.group()
            if token[0] == '"':
                continue
            if mode == "done":
                raise fail(path, "json-syntax", "content after the end of the JSON array", number)
            if mode == "array" and depth == 0:
                depth = 1  # the opening bracket of the array
                continue
            base = 1 if mode == "array" else 0
            if token in ("[", "{"):
                if depth == base:
                    start, first, piece, size = match.start(), number, [], 0
                depth += 1
                continue
            depth -= 1
            if depth == base:
                yield first, "".join(piece) + line[start : match.end()]
                piece = []
            elif depth < base and mode == "array":
                mode = "done"
            elif depth < base:
                raise fail(path, "json-syntax", f"an unmatched {token!r}", number)
        if mode != "done" and depth > (1 if mode == "array" else 0):
            piece.append(line[start:] + "\n")
            size += len(line) - start
            if size > _MAX_ITEM_CHARS:
                raise fail(path, "indra-json", f"a statement longer than {_MAX_ITEM_CHARS} characters", first)
    if mode is None:
        raise fail(path, "non-empty", "no JSON value")
    if mode == "array" or depth > 0:
        raise fail(path, "json-syntax", "the file ends inside a JSON value (truncated?)")


def _statements(path: Path, progress: Progress | None) -> Iterator[tuple[int, Mapping[str, Any]]]:
    for line, text in _values(path, progress):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as err:
            raise fail(path, "json-syntax", f"malformed JSON: {err.msg}", line + err.lineno - 1) from err
        if not isinstance(value, dict):
            raise fail(path, "indra-statement", "an INDRA statement is a JSON object", line)
        if "type" not in value and "statements" in value:  # an INDRA DB REST response
            inner = value["statements"]
            items = inner.values() if isinstance(inner, dict) else inner if isinstance(inner, list) else None
            if items is None:
                raise fail(path, "indra-statement", "'statements' is neither an object nor a list", line)
            for item in items:
                if not isinstance(item, dict):
                    raise fail(path, "indra-statement", "an INDRA statement is a JSON object", line)
                yield line, item
            continue
        yield line, value


def read_indra(path: Path, progress: Progress | None = None) -> Iterator[Edge | Skip]:
    """Every statement of an INDRA Statements JSON file as an :class:`Edge` or a :class:`Skip`, one at a time.

    Rows are the statements in file order (1, 2, …). Raises :class:`~kg.errors.ImportFormatError` for a file
    that is not JSON of that shape, or malformed JSON (the line named).
    """
    number = 0
    for _line, stmt in _statements(path, progress):
        number += 1
        yield edge_or_skip(stmt, number)
    if number == 0:
        raise fail(path, "non-empty", "no INDRA statements")
