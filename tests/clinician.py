"""The clinician question set (tests/data/clinician_questions/*.yaml): read it, and score the engine on it.

Each question was written from the literature, with its verified source, before the engine was run on it
(issue 14). ``python -m tests.clinician`` prints, per question, the engine's answer beside the literature's and
a score: right, wrong, or not answerable (an entity or population the graph does not have yet, or no path
and no finding: ``unknown``).

>>> questions = load()
>>> len({q["id"] for q in questions}) == len(questions)
True
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

import kg
from kg.errors import KGError

FOLDER = Path(__file__).parent / "data" / "clinician_questions"
DIRECTIONS = ("increase", "decrease", "mixed", "none", "unknown")
FIELDS = ("id", "question", "source", "target", "context", "expected", "answer", "citation", "quote", "verified")


def load(folder: Path = FOLDER) -> list[dict[str, Any]]:
    """Every question of every file, in file then id order."""
    out: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.extend({**q, "file": path.name} for q in data["questions"])
    return out


def answer(g: kg.KnowledgeGraph, q: dict[str, Any]) -> tuple[str, str]:
    """(verdict, what the engine said): ``right``, ``wrong``, or ``unanswerable`` (the graph lacks a name asked
    about, or knows nothing that connects them: ``unknown``)."""
    try:
        e = g.effect(q["source"], q["target"], context=q["context"])
    except KGError as err:
        return "unanswerable", f"{type(err).__name__}: {err}"
    said = e.direction
    if said == q["expected"]:
        return "right", said
    return ("unanswerable" if said == "unknown" else "wrong"), said


def main() -> int:
    g = kg.load()
    counts = {"right": 0, "wrong": 0, "unanswerable": 0}
    for q in load():
        verdict, said = answer(g, q)
        counts[verdict] += 1
        print(f"{q['id']:10} {verdict:12} expected {q['expected']:8} engine {said[:90]}")
    total = sum(counts.values())
    print(f"\n{total} questions: " + ", ".join(f"{k} {v} ({100 * v / total:.0f} %)" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
