"""Mistakes a trust makes editing knowledge files, each reported with the line to fix and how to fix it."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from answering_helpers import SNOMED, problems, write

from bot.answering.gaps import group_questions, render_stubs, stubs_for
from bot.answering.loader import load_knowledge
from bot.privacy import Redactor
from bot.store.answers import Unanswered
from bot.yamlsource import InvalidFile, load_yaml_file

ENTRY = "entries:\n  - id: pas\n    kind: jargon\n    title: {title}\n    answer: {answer}\n"


@pytest.mark.parametrize(
    "placeholder", ["TODO", "todo.", "TBC", "tbd!", "FixMe", "XXX", "...", "'…'", "'[TODO]'", "TBC?"]
)
def test_an_answer_left_as_a_placeholder_is_a_problem_at_its_line(tmp_path: Path, placeholder: str) -> None:
    path = write(tmp_path, "a.yaml", ENTRY.format(title="PAS", answer=placeholder))
    shown = placeholder.strip("'")
    assert problems(tmp_path) == [
        f"{path}:5: pas: the answer is only a placeholder ({shown!r}): write the answer in place of it"
    ]


def test_a_title_left_as_a_placeholder_is_a_problem_too(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", ENTRY.format(title="TBC", answer="The patient administration system."))
    assert problems(tmp_path) == [
        f"{path}:4: pas: the title is only a placeholder ('TBC'): write the title in place of it"
    ]


def test_an_answer_that_mentions_a_placeholder_word_is_written(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", ENTRY.format(title="To-do list", answer="Your TODO list, in the sidebar..."))
    (entry,) = load_knowledge(tmp_path).entries
    assert entry.answer == "Your TODO list, in the sidebar..."


def test_gaps_stubs_copied_unchanged_fail_validation_at_each_answer(tmp_path: Path) -> None:
    """The README tells a trust to write each answer in place of TODO: validate holds it to that."""
    asked = [
        Unanswered(1, "what is the ops room", datetime(2027, 1, 18, 9, tzinfo=UTC), "slack", "U1", False)
    ]
    text = render_stubs(stubs_for(group_questions(asked, Redactor())), UTC)
    path = write(tmp_path, "stubs.yaml", text)
    line = text.splitlines().index("    answer: TODO") + 1
    (found,) = problems(tmp_path)
    assert found.startswith(f"{path}:{line}: ")
    assert found.endswith("the answer is only a placeholder ('TODO'): write the answer in place of it")


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        ("  - id: pas\n    kind: jargon\n    title: PAS: the system\n", 4, "put the value in quotes"),
        ("  - id: pas\n     kind: jargon\n    title: PAS\n", 3, "check the indentation of this line"),
        ("  - id: pas\n   kind: jargon\n    title: PAS\n", 3, "check the indentation of this line"),
        ("  - id: pas\n    kind: jargon\n - id: ehr\n", 4, "check the indentation of this line"),
        ("  - id: pas\n    answer: *PAS* is the system\n", 3, "a value that starts with * must be in quotes"),
        ("  - id: pas\n    title: 'It's PAS'\n", 3, "text after a closing quote: quote the whole value"),
        ("  - id: pas\n    answer: | The system\n", 3, "after | or >, start the text on the next line"),
        (
            "  - id: pas\n    title: “PAS: the system”\n",
            3,
            "curly quotes (“ ” ‘ ’) are text to YAML, not quotes",
        ),
        ("  - id: pas\n    title PAS\n    answer: The system.\n", 3, "the key on this line needs a colon"),
        ("  - id: pas\n    answer: >-\n    The system\n    kind: jargon\n", 4, "reads as a new key, not as"),
        ("  - id: pas\n    answer: The system\n      that holds\n    admissions\n", 5, "indent it as far as"),
    ],
)
def test_common_syntax_errors_come_with_plain_english_advice(
    tmp_path: Path, text: str, line: int, hint: str
) -> None:
    path = write(tmp_path, "a.yaml", "entries:\n" + text)
    (found,) = problems(tmp_path)
    assert found.startswith(f"{path}:{line}: YAML syntax error: ") and hint in found


def test_an_unclosed_quote_is_reported_where_it_opens_not_at_the_end_of_the_file(tmp_path: Path) -> None:
    text = SNOMED.replace("title: SNOMED CT", 'title: "SNOMED CT') + "\n" * 20
    path = write(tmp_path, "a.yaml", text)
    assert problems(tmp_path) == [
        f"{path}:4: YAML syntax error: found unexpected end of stream on line 27; "
        """the '"' opened on this line is never closed: end the text with '"'"""
    ]


def test_an_unclosed_list_is_reported_where_it_opens(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", SNOMED.replace("aliases: [SNOMED]", "aliases: [SNOMED"))
    (found,) = problems(tmp_path)
    assert found.startswith(f"{path}:5: YAML syntax error: ")
    assert found.endswith("on line 6; the '[' opened on this line is never closed: end the list with ']'")


def test_utf16_without_a_byte_order_mark_is_told_to_save_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(SNOMED.encode("utf-16-le"))
    assert problems(tmp_path) == [
        f"{path}:1: not UTF-8 text (NUL bytes, as in UTF-16): save the file with UTF-8 encoding"
    ]


def test_a_control_character_pasted_in_is_reported_at_its_line(tmp_path: Path) -> None:
    """Word's line break (Shift+Enter) pastes as a vertical tab, which YAML refuses."""
    path = write(tmp_path, "a.yaml", SNOMED.replace("shared clinical", "shared\vclinical"))
    assert problems(tmp_path) == [f"{path}:6: the control character #x0b is not allowed: delete it"]


def test_the_config_and_schedule_files_get_the_same_advice(tmp_path: Path) -> None:
    path = write(tmp_path, "golive.yaml", "escalation:\n  note: ring: 4444\n")
    with pytest.raises(InvalidFile) as caught:
        load_yaml_file(path)
    assert str(caught.value) == (
        f"{path}:2: YAML syntax error: mapping values are not allowed in this context; "
        "a colon inside a value: put the value in quotes"
    )


def test_an_alias_that_is_a_later_entrys_title_is_reported_at_the_alias(tmp_path: Path) -> None:
    """The alias is the name to change, though the entry with the title is the one read second."""
    path = write(
        tmp_path,
        "a.yaml",
        SNOMED.replace("aliases: [SNOMED]", "aliases: [SNOMED, clinical codes]")
        + "  - id: codes\n    kind: jargon\n    title: Clinical codes\n    answer: Codes.\n",
    )
    assert problems(tmp_path) == [
        f"{path}:5: snomed-ct: 'clinical codes' is already the title of 'codes' ({path}:9)"
    ]


def test_an_alias_given_to_two_entries_is_reported_at_the_second_with_the_first(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.yaml",
        SNOMED + "  - id: codes\n    kind: jargon\n    title: Codes\n    aliases:\n      - coding\n"
        "      - snomed\n    answer: Codes.\n",
    )
    assert problems(tmp_path) == [f"{path}:12: codes: 'snomed' is already an alias of 'snomed-ct' ({path}:5)"]


@pytest.mark.parametrize(
    ("value", "told"),
    [
        ("2027-02-30", "'2027-02-30' is not a date that can be read (day is out of range for month)"),
        ("2027-13-01", "'2027-13-01' is not a date that can be read (month must be in 1..12)"),
        ("1" * 5000, f"{'1' * 40!r} is not a number that can be read"),
    ],
)
def test_a_date_that_does_not_exist_or_an_endless_number_is_reported_at_its_line(
    tmp_path: Path, value: str, told: str
) -> None:
    """PyYAML fails on these with a bare ValueError: a traceback, with no line, to whoever ran the bot."""
    path = write(tmp_path, "golive.yaml", f"golive:\n  start: {value}\n")
    with pytest.raises(InvalidFile) as caught:
        load_yaml_file(path)
    assert str(caught.value) == f"{path}:2: YAML syntax error: {told}: correct it, or put it in quotes"


def test_a_knowledge_file_that_links_to_a_missing_file_is_an_error_not_skipped(tmp_path: Path) -> None:
    """Its entries would silently go, and validate would say OK."""
    write(tmp_path, "a.yaml", SNOMED)
    (tmp_path / "b.yaml").symlink_to(tmp_path / "moved-away.yaml")
    assert problems(tmp_path) == [
        f"{tmp_path / 'b.yaml'}: a link to {tmp_path / 'moved-away.yaml'}, which is not there: "
        "restore that file or remove the link"
    ]
