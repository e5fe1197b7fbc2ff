"""The clinician question set is well formed: every question has its literature answer and a checked source.

The engine's score on it is issue 14's measure (``python -m tests.clinician``); this file checks the data.
"""

from __future__ import annotations

import re

import pytest

from tests.clinician import DIRECTIONS, FIELDS, load

QUESTIONS = load()
CITATION = re.compile(r"^(PMID:\d+|DOI:10\.\S+)")


def test_there_are_questions_and_ids_are_unique() -> None:
    ids = [q["id"] for q in QUESTIONS]
    assert QUESTIONS and len(ids) == len(set(ids))


@pytest.mark.parametrize("q", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_each_question_has_a_sourced_answer(q: dict) -> None:
    missing = [f for f in FIELDS if f not in q or (q[f] in (None, "") and f != "context")]
    assert not missing, f"{q['id']}: missing {missing}"
    assert q["expected"] in DIRECTIONS
    assert CITATION.match(q["citation"]), q["citation"]
    assert re.match(r"^\d{4}-\d{2}-\d{2}: ", q["verified"]), "verified starts with the date it was checked"
    assert len(q["quote"]) >= 20 and isinstance(q.get("needs", []), list)
