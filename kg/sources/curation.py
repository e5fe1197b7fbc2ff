r"""Curated YAML files -> :class:`~kg.model.Curation` (strict: every problem is reported, nothing guessed).

This module reads the format described in ``docs/curation-format.md``: it checks the *shape* of each block
(known keys, required fields, types) and keeps the line of each block for error messages. Whether the
content makes sense (known predicate, declared entities, registered sources) is :mod:`kg.validation.rules`'s job.

>>> cur = parse_text("statements: []\n", "example.yaml")
>>> cur.statements
()
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import CurationError, Violation
from kg.model import (
    MAGNITUDES,
    Curation,
    Entity,
    Evidence,
    Finding,
    Population,
    Regimen,
    Source,
    Statement,
    UnverifiableCitation,
)
from kg.ontology import schema

if TYPE_CHECKING:
    import yaml

__all__ = ["MAX_FILE_BYTES", "bundled_dir", "bundled_files", "load_bundled", "parse_file", "parse_text", "read_text"]

log = logging.getLogger(__name__)

#: User files larger than this are refused before parsing (the bundled files are far smaller).
MAX_FILE_BYTES = 16 * 1024 * 1024

_LINE = "__line__"


@cache
def _line_loader() -> type[yaml.SafeLoader]:
    """A safe loader that records the line of each mapping (for error messages); PyYAML imported on first use.

    libyaml's parser when available (same results, faster). A warm load reads no YAML: it does not import it.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader: type[yaml.SafeLoader] = type("_LineLoader", (base,), {"__doc__": _line_loader.__doc__})
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    return loader


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    keys = [loader.construct_object(k) for k, _ in node.value]
    duplicates = {k for k in keys if keys.count(k) > 1}
    mapping: dict[Any, Any] = loader.construct_mapping(node)
    if duplicates:
        mapping["__duplicate_keys__"] = sorted(map(str, duplicates))
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


# field name -> (required, kind); kinds: str, int, float, bool, list (of str), dict, evidence
_Spec = Mapping[str, tuple[bool, str]]

ENTITY: _Spec = {
    "id": (True, "str"), "label": (True, "str"), "category": (True, "str"),
    "synonyms": (False, "list"), "abbreviations": (False, "list"), "xrefs": (False, "list"),
    "broader": (False, "list"), "description": (False, "str"), "comment": (False, "str"),
    "verified": (False, "str"),
}  # fmt: skip
STATEMENT: _Spec = {
    "id": (True, "str"), "subject": (True, "str"), "predicate": (True, "str"), "object": (True, "str"),
    "context": (False, "dict"), "magnitude": (False, "str"), "reaction": (False, "str"),
    "negated": (False, "bool"), "sign": (False, "int"), "sources": (True, "list"),
    "evidence": (True, "evidence"), "evidence_type": (False, "str"), "note": (False, "str"),
    "summary": (False, "bool"), "via": (False, "list"),
}  # fmt: skip
FINDING: _Spec = {
    "id": (True, "str"), "intervention": (True, "str"), "comparator": (False, "str"),
    "population": (False, "str"), "regimen": (False, "str"), "duration": (False, "str"),
    "measure": (True, "str"), "site": (False, "str"), "kind": (True, "str"), "phase": (False, "str"),
    "value_type": (False, "str"),
    "direction": (True, "str"), "value": (False, "float"), "unit": (False, "str"),
    "statistic": (False, "str"), "p_value": (False, "str"), "ci": (False, "str"), "n": (False, "int"),
    "magnitude": (False, "str"), "sources": (True, "list"), "evidence": (True, "evidence"),
    "note": (False, "str"),
}  # fmt: skip
SOURCE: _Spec = {
    "id": (True, "str"), "title": (True, "str"), "verified": (True, "str"), "authors": (False, "str"),
    "journal": (False, "str"), "year": (False, "int"), "volume": (False, "str"), "issue": (False, "str"),
    "pages": (False, "str"), "doi": (False, "str"), "pmid": (False, "str"), "pmcid": (False, "str"),
}  # fmt: skip
UNVERIFIABLE: _Spec = {"id": (False, "str"), "cited_as": (True, "str"), "reason": (True, "str")}
POPULATION: _Spec = {
    "id": (True, "str"), "label": (True, "str"), "synonyms": (False, "list"), "broader": (False, "list"),
    "qualifiers": (True, "dict"),
}  # fmt: skip
REGIMEN: _Spec = {
    "id": (True, "str"), "label": (True, "str"), "drug": (True, "str"), "dose": (True, "str"),
    "frequency": (True, "str"), "note": (False, "str"),
}  # fmt: skip

_SECTIONS: dict[str, _Spec] = {
    "entities": ENTITY,
    "statements": STATEMENT,
    "findings": FINDING,
    "sources": SOURCE,
    "unverifiable": UNVERIFIABLE,
    "populations": POPULATION,
    "regimens": REGIMEN,
}


#: rule names for missing fields, shared with the SHACL shapes
_REQUIRED_RULES = {
    ("statements", "sources"): "statement-has-source",
    ("statements", "evidence"): "statement-has-evidence",
    ("findings", "sources"): "statement-has-source",
    ("findings", "evidence"): "statement-has-evidence",
    ("entities", "label"): "entity-has-label",
    ("entities", "category"): "entity-has-category",
}


def read_text(path: Path) -> str:
    """The text of a user file, refusing what is too large, binary or not UTF-8."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise CurationError([Violation("readable-file", str(path), f"cannot read the file: {err.strerror}")]) from err
    if size > MAX_FILE_BYTES:
        raise CurationError(
            [Violation("file-size", str(path), f"{size} bytes is more than the {MAX_FILE_BYTES} allowed", str(path))]
        )
    if not path.is_file():
        raise CurationError([Violation("readable-file", str(path), "not a regular file", str(path))])
    try:
        data = path.read_bytes()
    except OSError as err:
        raise CurationError(
            [Violation("readable-file", str(path), f"cannot read the file: {err.strerror}", str(path))]
        ) from err
    if b"\x00" in data:
        raise CurationError(
            [Violation("text-file", str(path), "binary data (NUL bytes) in a curation file", str(path))]
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise CurationError(
            [Violation("utf-8", str(path), f"not UTF-8 text (byte {err.start}: {err.reason})", str(path))]
        ) from err


def parse_file(path: Path) -> Curation:
    """Read one YAML curation file; raises :class:`CurationError` listing every problem in it."""
    cur = parse_text(read_text(path), str(path))
    log.debug("read %s: %d statements, %d entities, %d findings", path, len(cur.statements), len(cur.entities),
              len(cur.findings))  # fmt: skip
    return cur


def parse_text(text: str, name: str) -> Curation:
    """Parse YAML curation text; ``name`` is used in error messages."""
    if not text.strip():
        raise CurationError([Violation("non-empty", name, "the file is empty", name)])
    import yaml

    try:
        doc = yaml.load(text, Loader=_line_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(err, "problem", None) or str(err)
        raise CurationError([Violation("yaml-syntax", name, f"malformed YAML: {problem}", name, line)]) from err
    violations: list[Violation] = []
    if not isinstance(doc, dict):
        raise CurationError([Violation("top-level", name, "expected a mapping of sections", name)])
    blocks: dict[str, list[dict[str, Any]]] = {}
    for section, items in doc.items():
        if section in (_LINE, "__duplicate_keys__"):
            continue
        if section not in _SECTIONS:
            violations.append(
                Violation("known-section", str(section), f"unknown section; expected one of {sorted(_SECTIONS)}", name)
            )
            continue
        if items is None:
            continue
        if not isinstance(items, list):
            violations.append(Violation("section-is-list", section, "a section is a list of blocks", name))
            continue
        blocks[section] = [_check_block(item, _SECTIONS[section], section, name, violations) for item in items]
    if violations:
        raise CurationError(violations, what=name)
    cur = _to_curation(blocks)
    origins = {}
    for section, items in blocks.items():
        prefix = {"statements": "stmt:", "findings": "finding:"}.get(section, "")
        for b in items:
            key = b.get("id") or b.get("cited_as")
            if isinstance(key, str):
                bare = _slug(key, prefix[:-1]) if prefix else key
                origins[prefix + bare] = f"{name}:{b.get(_LINE, '?')}"
    return Curation(**{f: getattr(cur, f) for f in _FIELDS}, origins=origins)


def _check_block(item: object, spec: _Spec, section: str, name: str, out: list[Violation]) -> dict[str, Any]:
    if not isinstance(item, dict):
        out.append(Violation("block-is-mapping", section, f"each {section} block is a mapping", name))
        return {}
    line = item.get(_LINE)
    focus = str(item.get("id") or item.get("cited_as") or f"{section} block")
    for key in item.get("__duplicate_keys__", []):
        out.append(Violation("duplicate-key", focus, f"the key {key!r} appears twice", name, line))
    for key, (required, kind) in spec.items():
        if key not in item or item[key] is None or (kind in ("list", "evidence") and item[key] == []):
            if required:
                rule = _REQUIRED_RULES.get((section, key), f"required-{key}")
                out.append(Violation(rule, focus, f"missing required field {key!r}", name, line))
            continue
        problem = _type_problem(item[key], kind)
        if problem:
            out.append(Violation("field-type", focus, f"field {key!r} {problem}", name, line))
    for key in item:
        if key not in spec and key not in (_LINE, "__duplicate_keys__"):
            out.append(Violation("known-field", focus, f"unknown field {key!r}", name, line))
    magnitude = item.get("magnitude")
    if section == "statements" and isinstance(magnitude, str) and magnitude not in MAGNITUDES:
        # the statement table holds only the closed set (findings keep theirs: kg.validation.rules checks them)
        message = f"magnitude {magnitude!r} is not one of {list(MAGNITUDES)}"
        out.append(Violation("known-magnitude", f"stmt:{focus}", message, name, line))
    return item


def _type_problem(value: object, kind: str) -> str | None:
    checks: dict[str, Callable[[object], bool]] = {
        "str": lambda v: isinstance(v, str) and bool(v.strip()),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "bool": lambda v: isinstance(v, bool),
        "list": lambda v: isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v),
        "dict": lambda v: (
            isinstance(v, dict)
            and all(isinstance(x, str) for k, x in v.items() if k not in (_LINE, "__duplicate_keys__"))
        ),
        "evidence": lambda v: (
            isinstance(v, list)
            and bool(v)
            and all(
                isinstance(x, dict)
                and isinstance(x.get("text"), str)
                and x["text"].strip()
                and isinstance(x.get("source"), str)
                and set(x) <= {"text", "source", _LINE}
                for x in v
            )
        ),
    }
    if checks[kind](value):
        return None
    wanted = {
        "str": "must be non-empty text",
        "int": "must be a whole number",
        "float": "must be a number",
        "bool": "must be true or false",
        "list": "must be a list of non-empty text",
        "dict": "must be a mapping of text values",
        "evidence": "must be a non-empty list of {source, text}",
    }
    return wanted[kind]


def _clean(mapping: Mapping[str, Any] | None) -> dict[str, str]:
    return {k: v for k, v in (mapping or {}).items() if k not in (_LINE, "__duplicate_keys__")}


def _evidence(items: Iterable[Mapping[str, str]]) -> tuple[Evidence, ...]:
    return tuple(Evidence(source=e["source"].strip(), text=e["text"].strip()) for e in items)


def _tuple(value: Iterable[str] | None) -> tuple[str, ...]:
    """Lists are sets in RDF: keep them sorted and unique so that round trips are exact."""
    return tuple(sorted({v.strip() for v in value or ()}))


def _slug(value: str, prefix: str) -> str:
    """Ids may be written bare (``anastrozole-inhibits-aromatase``) or as CURIEs (``stmt:...``)."""
    return value[len(prefix) + 1 :] if value.startswith(prefix + ":") else value


_FIELDS = ("entities", "statements", "findings", "sources", "unverifiable", "populations", "regimens")


def _to_curation(blocks: Mapping[str, list[dict[str, Any]]]) -> Curation:
    predicates = schema().predicates
    statements = []
    for b in blocks.get("statements", []):
        pred = predicates.get(b["predicate"])
        sign = pred.polarity if pred else b.get("sign", 0)
        if pred and "sign" in b and b["sign"] != pred.polarity:
            sign = b["sign"]  # kept so that validation reports the contradiction
        statements.append(
            Statement(
                id=_slug(b["id"], "stmt"),
                subject=b["subject"].strip(),
                predicate=b["predicate"].strip(),
                object=b["object"].strip(),
                sign=int(sign),
                sources=_tuple(b["sources"]),
                evidence=_evidence(b["evidence"]),
                context=_clean(b.get("context")),
                magnitude=b.get("magnitude"),
                reaction=b.get("reaction"),
                negated=bool(b.get("negated", False)),
                evidence_type=b.get("evidence_type"),
                note=b.get("note"),
                summary=bool(b.get("summary", False)),
                via=_tuple(b.get("via")),
            )
        )
    entities = [
        Entity(
            id=b["id"].strip(),
            label=b["label"].strip(),
            category=b["category"].strip(),
            synonyms=_tuple(b.get("synonyms")),
            abbreviations=_tuple(b.get("abbreviations")),
            xrefs=_tuple(b.get("xrefs")),
            broader=_tuple(b.get("broader")),
            description=b.get("description"),
            comment=b.get("comment"),
            verified=b.get("verified"),
        )
        for b in blocks.get("entities", [])
    ]
    findings = [
        Finding(
            id=_slug(b["id"], "finding"),
            intervention=b["intervention"].strip(),
            measure=b["measure"].strip(),
            direction=b["direction"].strip(),
            sources=_tuple(b["sources"]),
            evidence=_evidence(b["evidence"]),
            kind=b.get("kind", "measured"),
            phase=b.get("phase", "on-treatment"),
            value_type=b.get("value_type", "change"),
            comparator=b.get("comparator"),
            population=b.get("population"),
            regimen=b.get("regimen"),
            duration=b.get("duration"),
            site=b.get("site"),
            value=float(b["value"]) if b.get("value") is not None else None,
            unit=b.get("unit"),
            statistic=b.get("statistic"),
            p_value=b.get("p_value"),
            ci=b.get("ci"),
            n=b.get("n"),
            magnitude=b.get("magnitude"),
            note=b.get("note"),
        )
        for b in blocks.get("findings", [])
    ]
    sources = [_source(b) for b in blocks.get("sources", [])]
    unverifiable = [
        UnverifiableCitation(
            id=b.get("id") or _unverifiable_id(b["cited_as"]), cited_as=b["cited_as"], reason=b["reason"]
        )
        for b in blocks.get("unverifiable", [])
    ]
    populations = [
        Population(
            id=b["id"],
            label=b["label"],
            qualifiers=_clean(b["qualifiers"]),
            synonyms=_tuple(b.get("synonyms")),
            broader=_tuple(b.get("broader")),
        )
        for b in blocks.get("populations", [])
    ]
    regimens = [Regimen(**_clean(b)) for b in blocks.get("regimens", [])]
    return Curation(
        entities=tuple(entities),
        statements=tuple(statements),
        findings=tuple(findings),
        sources=tuple(sources),
        unverifiable=tuple(unverifiable),
        populations=tuple(populations),
        regimens=tuple(regimens),
    )


def _source(block: Mapping[str, Any]) -> Source:
    text = {k: str(v).strip() for k, v in _clean(block).items() if v is not None and k != "year"}
    year = block.get("year")
    return Source(
        id=text["id"],
        title=text["title"],
        verified=text["verified"],
        authors=text.get("authors"),
        journal=text.get("journal"),
        year=year if isinstance(year, int) else None,
        volume=text.get("volume"),
        issue=text.get("issue"),
        pages=text.get("pages"),
        doi=text.get("doi"),
        pmid=text.get("pmid"),
        pmcid=text.get("pmcid"),
    )


def _unverifiable_id(cited_as: str) -> str:
    import hashlib

    return "src:unverifiable-" + hashlib.sha1(cited_as.encode("utf-8")).hexdigest()[:10]  # noqa: S324


def bundled_dir() -> Path:
    """The folder of the curated YAML files shipped inside the package."""
    return Path(__file__).resolve().parents[1] / "data"


def bundled_files() -> list[Path]:
    """The curated YAML files shipped inside the package, in a fixed order."""
    root = bundled_dir()
    found = [(Path(folder) / name).relative_to(root).as_posix() for folder, _, names in os.walk(root) for name in names]
    return [root / name for name in sorted(found) if name.endswith(".yaml")]


def load_bundled() -> Curation:
    """Every bundled curation file merged into one :class:`Curation` (raises on the first bad file)."""
    merged = Curation()
    errors: list[Violation] = []
    for path in bundled_files():
        try:
            merged = merged.merged(parse_file(path))
        except CurationError as err:
            errors.extend(err.violations)
    if errors:
        raise CurationError(errors, what="the bundled curation files")
    return merged.canonical()
