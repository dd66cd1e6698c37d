"""Knowledge base validation: every problem, in every file, with file, line and entry id."""

from pathlib import Path

import pytest
from answering_helpers import SNOMED, problems, write

from bot.answering.knowledge import KnowledgeBase
from bot.answering.loader import load_knowledge
from bot.yamlsource import InvalidFile

GOOD = SNOMED + "    tags: [terminology]\n"


def test_a_valid_folder_loads_every_entry_with_where_it_came_from(tmp_path: Path) -> None:
    path = write(tmp_path, "terms.yaml", GOOD)
    knowledge = load_knowledge(tmp_path)
    (entry,) = knowledge.entries
    assert (entry.id, entry.kind, entry.aliases, entry.tags) == (
        "snomed-ct",
        "jargon",
        ("SNOMED",),
        ("terminology",),
    )
    assert (entry.source, entry.line) == (str(path), 2)


def test_a_yaml_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", "entries:\n  - id: a\n    title: [unclosed\n    kind: jargon\n")
    (problem,) = problems(tmp_path)
    assert problem.startswith(f"{path}:") and "YAML syntax error" in problem


def test_schema_errors_are_all_reported_with_line_and_entry_id(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        """\
entries:
  - id: no-kind
    title: Missing kind
    answer: Something.
  - id: odd-kind
    kind: glossary
    title: Odd kind
    answer: Something.
  - id: Not_Kebab
    kind: jargon
    title: Bad id
    answer: Something.
  - id: extra-key
    kind: howto
    title: Extra key
    answer: Something.
    colour: blue
  - id: wrong-type
    kind: jargon
    title: 42
    answer: Something.
    aliases: alias-not-a-list
""",
    )
    found = problems(tmp_path)
    assert f"{path}:2: no-kind: missing required field 'kind'" in found
    assert (
        f"{path}:6: odd-kind: unknown kind 'glossary' (expected jargon, for what a term means, or howto,"
        " for how to do something or whom to ask)"
    ) in found
    assert (
        f"{path}:9: Not_Kebab: id must be kebab-case: lower-case letters and digits joined by '-'"
        " (write 'not-kebab')" in found
    )
    assert f"{path}:17: extra-key: unknown key 'colour': did you mean 'kind'?" not in found
    assert f"{path}:20: wrong-type: 'title' is read by YAML as a number, not text: put it in quotes" in found
    assert any(p.startswith(f"{path}:22: wrong-type: 'aliases' must be a list") for p in found)
    assert len(found) == 5  # 'colour' is a trust's own key: a warning (see below), not a problem


def test_ids_must_be_unique_across_files(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", GOOD)
    second = write(tmp_path, "b.yaml", GOOD.replace("SNOMED CT", "Snomed again").replace("[SNOMED]", "[]"))
    (problem,) = problems(tmp_path)
    assert problem == f"{second}:2: snomed-ct: duplicate id (first used at {first}:2)"


def test_an_alias_may_not_be_another_entrys_title_or_alias(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    other = write(
        tmp_path,
        "b.yaml",
        "entries:\n  - id: snomed-codes\n    kind: jargon\n    title: Snomed codes\n"
        "    aliases: [snomed, S.N.O.M.E.D. C.T.]\n    answer: Codes.\n",
    )
    found = problems(tmp_path)
    assert len(found) == 2
    assert all(p.startswith(f"{other}:5: snomed-codes: ") and "'snomed-ct'" in p for p in found)


def test_every_file_is_checked_even_after_a_broken_one(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "entries: [\n")
    write(tmp_path, "b.yaml", "entries:\n  - id: only-id\n")
    write(tmp_path, "c.yaml", "something_else: []\n")
    found = problems(tmp_path)
    assert [p.split(":")[0] for p in found] == [
        str(tmp_path / n) for n in ("a.yaml", "b.yaml", "b.yaml", "b.yaml", "c.yaml")
    ]
    assert "YAML syntax error" in found[0]
    assert [p.rsplit("'", 2)[1] for p in found[1:4]] == ["kind", "title", "answer"]


def test_an_empty_or_missing_folder_is_a_problem_not_an_empty_bot(tmp_path: Path) -> None:
    assert problems(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: knowledge base folder not found"]
    (tmp_path / "notes.txt").write_text("entries: []\n")
    (tmp_path / ".hidden.yaml").write_text(GOOD)
    assert problems(tmp_path) == [
        f"{tmp_path}: no .yaml or .yml files in the knowledge base folder "
        "(hidden and backup files are not read)"
    ]
    terms = write(tmp_path, "terms.yaml", GOOD)
    assert problems(terms) == [
        f"{terms}: is a file, not a folder: give the folder that holds it ({tmp_path})"
    ]


def test_trust_synonym_groups_are_read_and_checked(tmp_path: Path) -> None:
    write(tmp_path, "terms.yaml", GOOD)
    path = write(
        tmp_path,
        "synonyms.yaml",
        "synonyms:\n  - term: SNOMED CT\n    also: [clinical codes, snowmed]\n"
        "  - term: codes\n    also: [clinical codes]\n  - term: lonely\n",
    )
    found = problems(tmp_path)
    assert found[0] == f"{path}:4: codes: 'clinical codes' is already in another synonym group ({path}:2)"
    assert found[1].startswith(f"{path}:6: lonely: 'also' must list")
    path.write_text("synonyms:\n  - term: SNOMED CT\n    also: [clinical codes, snowmed]\n")
    kb = KnowledgeBase.load(tmp_path)
    assert kb.match("what are clinical codes").best.entry.id == "snomed-ct"  # type: ignore[union-attr]


def test_a_synonym_that_yaml_reads_as_a_number_is_reported_with_its_line(tmp_path: Path) -> None:
    write(tmp_path, "terms.yaml", GOOD)
    path = write(
        tmp_path,
        "synonyms.yaml",
        "synonyms:\n  - term: NHS 111\n    also:\n      - one one one\n      - 111\n",
    )
    assert problems(tmp_path) == [
        f"{path}:5: NHS 111: item 2 of 'also' is read by YAML as a number, not text: put it in quotes"
    ]


def test_clashes_across_entries_are_reported_with_an_entrys_own_mistakes(tmp_path) -> None:
    (tmp_path / "kb.yaml").write_text(
        "entries:\n"
        "  - {id: pas, kind: jargon, title: PAS, answer: Patient administration system.}\n"
        "  - {id: pas, kind: glossary, title: PAS, answer: Twice.}\n"
    )
    with pytest.raises(InvalidFile) as caught:
        load_knowledge(tmp_path)
    text = str(caught.value)
    assert "unknown kind 'glossary'" in text and "duplicate id" in text


def test_a_key_given_twice_is_reported_not_silently_dropped(tmp_path: Path) -> None:
    """PyYAML keeps the last of two equal keys: a second 'entries:' would drop every entry above it."""
    path = write(
        tmp_path,
        "terms.yaml",
        GOOD
        + "  - id: pas\n    kind: jargon\n    title: PAS\n    title: Patient administration\n    answer: A.\n"
        + "entries:\n  - id: ward\n    kind: jargon\n    title: Ward\n    answer: W.\n",
    )
    dropped = "only the last would be used: remove one"
    assert problems(tmp_path) == [
        f"{path}:11: pas: 'title' is given twice (first on line 10); {dropped}",
        f"{path}:13: entries: 'entries' is given twice (first on line 1); {dropped}",
    ]


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        ("title: 2020", "'title' is read by YAML as a number, not text: put it in quotes"),
        ("title: yes", "'title' is read by YAML as yes/no (true/false), not text: put it in quotes"),
        ("title: 2027-01-18", "'title' is read by YAML as a date, not text: put it in quotes"),
        ("title: null", "'title' is empty: give it some text"),
        ("title: [a, b]", "'title' must be text, not a list"),
        ("answer: ''", "'answer' is empty: give it some text"),
        ("aliases: [x-ray, no]", "item 2 of 'aliases' is read by YAML as yes/no (true/false)"),
        ("aliases: one alias", "'aliases' must be a list of text: write aliases: [one alias]"),
        ("kind: Jargon", "unknown kind 'Jargon' (write it as jargon)"),
    ],
)
def test_a_value_that_is_not_what_the_trust_meant_says_how_to_fix_it(
    tmp_path: Path, field: str, problem: str
) -> None:
    key, value = field.split(": ", 1)
    fields = {"kind": "jargon", "title": "X", "answer": "A.", key: value}
    write(
        tmp_path,
        "terms.yaml",
        "entries:\n  - id: x\n" + "".join(f"    {k}: {v}\n" for k, v in fields.items()),
    )
    found = problems(tmp_path)
    assert any(p.startswith(f"{tmp_path / 'terms.yaml'}:") and f": x: {problem}" in p for p in found), found


def test_a_file_shaped_wrongly_names_its_line(tmp_path: Path) -> None:
    listed = write(tmp_path, "b-list.yaml", "- id: x\n  kind: jargon\n")
    items = write(tmp_path, "c-items.yaml", "entries:\n  - just a sentence\n\n  - 42\n")
    tabs = write(tmp_path, "d-tabs.yaml", "entries:\n\t- id: x\n")
    latin = tmp_path / "e-latin.yaml"
    latin.write_bytes(b"entries:\n  - id: cafe\n    title: Caf\xe9\n")
    assert problems(tmp_path) == [
        f"{listed}:1: a knowledge file must be a mapping with a list under 'entries': this file is a list"
        " with no 'entries:' above it; add the line 'entries:' at the top (the list may stay as it is)",
        f"{items}:2: entry #1: must be a mapping of id, kind, title, answer",
        f"{items}:4: entry #2: must be a mapping of id, kind, title, answer",
        f"{tabs}:2: YAML syntax error: found character that cannot start any token; "
        "YAML does not allow tabs for indentation: use spaces",
        f"{latin}:3: not UTF-8 text (byte 0xe9): save the file with UTF-8 encoding",
    ]


def test_yml_bom_and_crlf_files_load_and_editor_leftovers_are_ignored(tmp_path: Path) -> None:
    """A backup or an editor's lock file holds the same ids: reading it would report every one twice."""
    write(tmp_path, "terms.yml", GOOD.replace("\n", "\r\n"))
    (tmp_path / "MORE.YAML").write_bytes(b"\xef\xbb\xbf" + KB_PAS.encode())
    for leftover in ("terms.yml~", ".#terms.yml", "._terms.yml", "terms.yml.bak"):
        write(tmp_path, leftover, GOOD)
    knowledge = load_knowledge(tmp_path)
    assert sorted(e.id for e in knowledge.entries) == ["pas", "snomed-ct"]
    assert [p.name for p in knowledge.files] == ["MORE.YAML", "terms.yml"]


KB_PAS = (
    "entries:\n  - id: pas\n    kind: jargon\n    title: PAS\n    answer: Patient administration system.\n"
)


def test_an_alias_that_repeats_its_own_entrys_title_is_harmless_and_loads(tmp_path: Path) -> None:
    """Only another entry's name is a conflict: 'ePMA' beside the title 'EPMA' changes nothing."""
    (tmp_path / "k.yaml").write_text(
        "entries:\n  - {id: epma, kind: jargon, title: EPMA, aliases: [ePMA, e-pma, ePMA], answer: A.}\n"
    )
    assert [e.id for e in load_knowledge(tmp_path).entries] == ["epma"]


def test_a_misspelt_key_is_a_problem_but_a_trusts_own_key_is_kept_with_a_warning(tmp_path: Path) -> None:
    """'alias:' would silently lose every alias under it; 'owner:' is a note the bot has no use for."""
    path = write(
        tmp_path,
        "terms.yaml",
        SNOMED + "    owner: Clinical systems team\n    review_by: next spring\nversion: 3\n",
    )
    knowledge = load_knowledge(tmp_path)
    assert [e.id for e in knowledge.entries] == ["snomed-ct"]
    assert [str(w) for w in knowledge.warnings] == [
        f"{path}:7: snomed-ct: warning: unknown key 'owner' is ignored"
        " (the bot reads id, kind, title, aliases, answer, tags)",
        f"{path}:8: snomed-ct: warning: unknown key 'review_by' is ignored"
        " (the bot reads id, kind, title, aliases, answer, tags)",
        f"{path}:9: warning: unknown key 'version' is ignored (the bot reads entries, synonyms)",
    ]
    write(tmp_path, "terms.yaml", SNOMED.replace("aliases:", "alias:") + "entry:\n  - id: x\n")
    assert sorted(problems(tmp_path)) == [
        f"{path}:5: snomed-ct: unknown key 'alias': did you mean 'aliases'?",
        f"{path}:7: unknown key 'entry': did you mean 'entries'?",
    ]


def test_an_optional_list_left_empty_means_none(tmp_path: Path) -> None:
    write(tmp_path, "terms.yaml", SNOMED.replace("aliases: [SNOMED]", "aliases:\n    tags:"))
    (entry,) = load_knowledge(tmp_path).entries
    assert (entry.aliases, entry.tags) == ((), ())


def test_a_jargon_entry_whose_title_asks_how_is_read_with_a_warning_naming_the_fix(tmp_path: Path) -> None:
    path = write(tmp_path, "howto.yaml", """\
entries:
  - id: log-an-issue
    kind: jargon
    title: How do I log an issue?
    answer: Type /golive issue.
  - id: support-contact
    kind: howto
    title: What is the 24-hour support contact?
    answer: Ring 4444.
  - id: stuck-flag
    kind: jargon
    title: Stuck patient flag (CANT)
    answer: A patient on the board past their expected time.
""")  # fmt: skip
    knowledge = load_knowledge(path.parent)
    assert [e.id for e in knowledge.entries] == ["log-an-issue", "support-contact", "stuck-flag"]
    assert [str(w) for w in knowledge.warnings] == [
        f"{path}:3: log-an-issue: warning: kind is jargon but the title asks how to do something:"
        " it is answered as a howto; write kind: howto"
    ]  # a how-to asked 'what is', or a term with a problem word in it, draws no warning
