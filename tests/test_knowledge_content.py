"""The shipped knowledge base is what a trust sees first: it must load, be complete and be safe to post."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.answering.loader import Knowledge, load_knowledge, phrase_key
from bot.answering.model import Entry
from bot.privacy import Redactor
from bot.yamlsource import InvalidFile

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"
QUESTIONS_DIR = KNOWLEDGE_DIR.parent / "bench" / "questions"
PHONE_LIKE = re.compile(
    r"\b(?:ext\.?|extension|bleep)\s*\d|\b0\d{3,4}[ -]?\d{3}[ -]?\d{3,4}\b", re.IGNORECASE
)

# Every term in the jargon buster of the NHS toolkit the project grew from.
JARGON_BUSTER = [
    "SNOMED CT",
    "Data migration",
    "Interoperability",
    "Business as usual",
    "BAU",
    "Patient administration system",
    "PAS",
    "Software patch",
    "Open source platform",
    "Agile",
    "IoT",
    "Internet of things",
    "cloud",
]

# Roles, acronyms and ideas the toolkit uses without always explaining them.
TOOLKIT_VOCABULARY = [
    "CNIO",
    "CCIO",
    "CMIO",
    "STP",
    "GDE",
    "GDPR",
    "ECDL",
    "SMART objectives",
    "PMO",
    "floorwalker",
    "superuser",
    "champion",
    "big bang",
    "timetabled roll-out",
    "preliminary phase",
    "go-live phase",
    "maintenance and support phase",
    "benefits realisation",
    "change management",
    "digital maturity index",
    "local digital roadmap",
    "Wachter review",
    "Five Year Forward View",
    "clinical governance",
    "data security",
    "information governance",
    "stakeholders",
    "digital competency",
]


@functools.cache
def knowledge() -> Knowledge:
    return load_knowledge(KNOWLEDGE_DIR)


def names_of(entry: Entry) -> list[str]:
    """The title, the title without its bracketed acronym, the acronym itself, and every alias."""
    bare = re.sub(r"\s*\([^)]*\)", "", entry.title)
    return [entry.title, bare, *re.findall(r"\(([^)]*)\)", entry.title), *entry.aliases]


@functools.cache
def all_names() -> frozenset[str]:
    return frozenset(phrase_key(name) for entry in knowledge().entries for name in names_of(entry))


def test_the_shipped_knowledge_base_passes_validation() -> None:
    try:
        load_knowledge(KNOWLEDGE_DIR)
    except InvalidFile as exc:
        pytest.fail("\n".join(str(problem) for problem in exc.problems))


def test_every_file_of_entries_says_a_trust_replaces_it() -> None:
    for path in sorted({Path(e.source) for e in knowledge().entries}):
        text = path.read_text(encoding="utf-8")
        header = " ".join(line.lstrip("# ") for line in text.splitlines() if line.startswith("#"))
        assert "trust replaces" in header, f"{path.name} lacks the header saying a trust replaces it"


def test_the_knowledge_base_is_big_enough_to_be_useful() -> None:
    entries = knowledge().entries
    assert len(entries) >= 80
    assert sum(e.kind == "howto" for e in entries) >= 30
    assert len({e.source for e in entries}) >= 5


def test_ids_are_unique_and_kebab_case() -> None:
    ids = [e.id for e in knowledge().entries]
    assert [i for i in ids if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i)] == []
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_answers_are_short_enough_to_read_on_a_ward() -> None:
    too_long = [e.id for e in knowledge().entries if not 40 <= len(e.answer) <= 600]
    assert too_long == []


def test_howto_titles_are_the_question_staff_ask() -> None:
    entries = knowledge().entries
    assert [e.id for e in entries if e.kind == "howto" and not e.title.endswith("?")] == []


@pytest.mark.parametrize("term", JARGON_BUSTER + TOOLKIT_VOCABULARY)
def test_the_toolkit_term_is_explained(term: str) -> None:
    assert phrase_key(term) in all_names()


def test_no_name_leads_to_two_entries() -> None:
    owner: dict[str, str] = {}
    clashes = []
    for entry in knowledge().entries:
        for name in {phrase_key(n) for n in (entry.title, *entry.aliases)}:
            if owner.setdefault(name, entry.id) != entry.id:
                clashes.append((name, owner[name], entry.id))
    assert clashes == []


def test_answers_carry_no_patient_identifier_and_invent_no_phone_number() -> None:
    redactor = Redactor()
    for entry in knowledge().entries:
        assert not redactor.redact(entry.answer).changed, entry.id
        assert not PHONE_LIKE.search(entry.answer), f"{entry.id}: put contacts in the config instead"


def benchmark_questions() -> list[dict[str, Any]]:
    return [
        q
        for name in ("tune", "holdout")
        for q in yaml.safe_load((QUESTIONS_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    ]


def test_benchmark_questions_point_at_entries_that_exist() -> None:
    """Renaming an entry id must not silently turn a benchmark question into a wrong answer."""
    ids = {e.id for e in knowledge().entries}
    questions = benchmark_questions()
    assert all(set(q) == {"q", "expect"} and isinstance(q["q"], str) for q in questions)
    assert [q["q"] for q in questions if q["expect"] is not None and q["expect"] not in ids] == []
    texts = [q["q"].lower() for q in questions]
    assert sorted({t for t in texts if texts.count(t) > 1}) == []


def test_benchmark_holds_enough_questions_with_a_fifth_out_of_scope() -> None:
    questions = benchmark_questions()
    out_of_scope = sum(q["expect"] is None for q in questions)
    assert len(questions) >= 300
    assert 0.15 <= out_of_scope / len(questions) <= 0.25
