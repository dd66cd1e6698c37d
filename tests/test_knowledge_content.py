"""The shipped knowledge base is what a trust sees first: it must parse, be complete and be safe to post."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.privacy import Redactor

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
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


def key(text: str) -> str:
    """Names clash when they differ only in case, punctuation or spacing."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def shipped_files() -> list[Path]:
    return sorted(KNOWLEDGE_DIR.glob("*.yaml"))


def entry_files() -> list[Path]:
    """Files holding entries; a synonyms file (owned by the matcher) holds none."""
    return [p for p in shipped_files() if "entries" in yaml.safe_load(p.read_text(encoding="utf-8"))]


@functools.cache
def entries() -> list[dict[str, Any]]:
    return [e for p in entry_files() for e in yaml.safe_load(p.read_text(encoding="utf-8"))["entries"]]


def names_of(entry: dict[str, Any]) -> list[str]:
    """The title, the title without its bracketed acronym, the acronym itself, and every alias."""
    title = entry["title"]
    names = [title, re.sub(r"\s*\([^)]*\)", "", title), *re.findall(r"\(([^)]*)\)", title)]
    return names + [str(alias) for alias in entry.get("aliases", [])]


@functools.cache
def all_names() -> set[str]:
    return {key(name) for entry in entries() for name in names_of(entry)}


def test_every_file_parses_into_a_list_of_entries_and_says_a_trust_replaces_it() -> None:
    assert len(entry_files()) >= 5
    for path in entry_files():
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        assert isinstance(data, dict) and isinstance(data["entries"], list) and data["entries"], path.name
        header = " ".join(line.lstrip("# ") for line in text.splitlines() if line.startswith("#"))
        assert "trust replaces" in header, f"{path.name} lacks the header saying a trust replaces it"


def test_the_knowledge_base_is_big_enough_to_be_useful() -> None:
    found = entries()
    assert len(found) >= 80
    assert sum(e["kind"] == "howto" for e in found) >= 30


def test_ids_are_unique_stable_kebab_case() -> None:
    ids = [e["id"] for e in entries()]
    assert [i for i in ids if not KEBAB.match(str(i))] == []
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_every_entry_has_the_required_fields_in_the_right_shape() -> None:
    for entry in entries():
        where = entry.get("id", entry)
        assert set(entry) <= {"id", "kind", "title", "aliases", "answer", "tags"}, where
        assert entry["kind"] in ("jargon", "howto"), where
        assert isinstance(entry["title"], str) and entry["title"].strip(), where
        assert isinstance(entry["answer"], str) and len(entry["answer"]) >= 40, where
        assert all(isinstance(a, str) and a.strip() for a in entry.get("aliases", [])), where
        assert all(isinstance(t, str) for t in entry.get("tags", [])), where


def test_howto_titles_are_the_question_staff_ask() -> None:
    not_questions = [e["id"] for e in entries() if e["kind"] == "howto" and not e["title"].endswith("?")]
    assert not_questions == []


@pytest.mark.parametrize("term", JARGON_BUSTER + TOOLKIT_VOCABULARY)
def test_the_toolkit_term_is_explained(term: str) -> None:
    assert key(term) in all_names()


def test_no_name_leads_to_two_entries() -> None:
    owner: dict[str, str] = {}
    clashes = []
    for entry in entries():
        for name in {key(n) for n in [entry["title"], *entry.get("aliases", [])]}:
            if owner.setdefault(name, entry["id"]) != entry["id"]:
                clashes.append((name, owner[name], entry["id"]))
    assert clashes == []


def test_answers_carry_no_patient_identifier_and_invent_no_phone_number() -> None:
    redactor = Redactor()
    for entry in entries():
        assert not redactor.redact(entry["answer"]).changed, entry["id"]
        assert not PHONE_LIKE.search(entry["answer"]), f"{entry['id']}: put contacts in the config instead"


def benchmark_questions() -> list[dict[str, Any]]:
    folder = KNOWLEDGE_DIR.parent / "bench" / "questions"
    return [q for name in ("tune", "holdout") for q in yaml.safe_load((folder / f"{name}.yaml").read_text())]


def test_benchmark_questions_point_at_entries_that_exist() -> None:
    """Renaming an entry id must not silently turn a benchmark question into a wrong answer."""
    ids = {e["id"] for e in entries()}
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
