"""Knowledge bases a reviewer built that lost content without a word, or said what was wrong but not what
to do: each now names the file and line, and says how to fix it. Errors still stop the bot."""

from __future__ import annotations

from pathlib import Path

import pytest
from answering_helpers import SNOMED, problems, write
from test_review_blocks_limits import texts

from bot.answering.knowledge import KnowledgeBase
from bot.answering.loader import LONGEST_ANSWER, load_knowledge
from bot.answering.reach import reach_warnings
from bot.cli.main import main
from bot.slack.blocks import answer_blocks
from bot.yamlsource import InvalidFile

ROOT = Path(__file__).resolve().parent.parent
LOST = 'text after " #" is a YAML comment and is lost'
ENTRY = "  - id: {id}\n    kind: jargon\n    title: {title}\n    answer: {answer}\n"


def entry(id: str = "pas", title: str = "PAS", answer: str = "The patient administration system.") -> str:
    return ENTRY.format(id=id, title=title, answer=answer)


def warnings(folder: Path) -> list[str]:
    """Every warning `golive-bot validate` prints for the knowledge base."""
    knowledge = load_knowledge(folder)
    return [str(w) for w in (*knowledge.warnings, *reach_warnings(knowledge.entries, knowledge.synonyms))]


def validate(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate", "--knowledge", str(folder)])
    return code, capsys.readouterr().out


def refuses_to_start(folder: Path) -> list[str]:
    with pytest.raises(InvalidFile) as caught:
        KnowledgeBase.load(folder)
    return [str(p) for p in caught.value.problems]


# 1. ' #' in a plain value starts a comment: the rest of the value is lost. A warning, since a knowledge
# base that loaded before must still load; a value cut to nothing is an error.


@pytest.mark.parametrize(
    ("text", "line", "lost"),
    [
        (entry(title="Ward #5 access"), 4, "#5 access"),
        (entry(answer="Press 1 then # to get through."), 5, "# to get through."),
        (entry() + "    aliases:\n      - door code #secret\n", 7, "#secret"),
        (entry() + "    tags: [wards, estates, #site, it,\n      x]\n", 6, "#site, it,"),
        (entry(answer="Ring the desk\n      on 4444 # or bleep 2222"), 6, "# or bleep 2222"),
    ],
    ids=["title", "answer", "alias", "tag-in-brackets", "answer-over-lines"],
)
def test_a_comment_after_a_plain_value_is_a_warning_at_its_line(
    tmp_path: Path, text: str, line: int, lost: str
) -> None:
    path = write(tmp_path, "a.yaml", "entries:\n" + text)
    assert f"{path}:{line}: pas: warning: {LOST} ({lost!r}): put the value in quotes" in warnings(tmp_path)


@pytest.mark.parametrize(
    "text",
    [
        entry(id="smartcard-pin # stable id"),  # whatever follows an id is a note: it holds no spaces
        entry() + "    aliases: [PAS, patient system,  # the common ones\n      admin system]\n",
    ],
    ids=["after-an-id", "set-apart-in-brackets"],
)
def test_a_note_after_an_id_or_set_apart_in_a_list_is_fine(tmp_path: Path, text: str) -> None:
    write(tmp_path, "a.yaml", "entries:\n" + text)
    assert warnings(tmp_path) == []


def test_a_value_that_is_only_a_comment_is_reported_as_one_not_as_empty(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "entries:\n" + entry(title="#5 ward"))
    assert problems(tmp_path) == [f"{path}:4: pas: {LOST} ('#5 ward'): put the value in quotes"]


def test_validate_reports_the_cut_title_and_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "entries:\n" + entry(title="Ward #5 access", answer="Press 1 then # to get through.")
    path = write(tmp_path, "a.yaml", text)
    code, out = validate(tmp_path, capsys)
    assert code == 0
    assert f"{path}:4: pas: warning: {LOST} ('#5 access'): put the value in quotes" in out
    assert f"{path}:5: pas: warning: {LOST} ('# to get through.'): put the value in quotes" in out


def test_a_hash_that_is_text_and_a_note_set_apart_as_in_the_readme_are_fine(tmp_path: Path) -> None:
    text = (
        "entries:\n"
        "  - id: csharp          # unique across all files\n"
        "    kind: jargon\n"
        "    title: C# app       # the term\n"
        "    aliases: [C#, 'door #2']   # other names\n"
        '    answer: "Press # then 2"\n'
        "  - id: hash-block\n    kind: howto\n    title: Ward codes\n"
        "    answer: |\n      Ward #5: press # then 2\n"
    )
    write(tmp_path, "a.yaml", text)
    knowledge = load_knowledge(tmp_path)
    assert [(e.title, e.aliases, e.answer) for e in knowledge.entries] == [
        ("C# app", ("C#", "door #2"), "Press # then 2"),
        ("Ward codes", (), "Ward #5: press # then 2"),
    ]
    assert warnings(tmp_path) == []


def test_the_readme_example_entry_validates_clean(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Editing the knowledge base", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    write(tmp_path, "a.yaml", example)
    assert [e.title for e in load_knowledge(tmp_path).entries] == ["SNOMED CT"]
    assert warnings(tmp_path) == []


@pytest.mark.parametrize(
    "aliases",
    ["[door code #secret, x]", "[SNOMED,\n      door code #secret, x]"],
    ids=["one-line", "two-lines"],
)
def test_a_comment_inside_a_list_in_brackets_says_the_hash_hid_the_bracket(
    tmp_path: Path, aliases: str
) -> None:
    path = write(tmp_path, "a.yaml", SNOMED.replace("[SNOMED]", aliases))
    (found,) = problems(tmp_path)
    assert found.startswith(f"{path}:5: YAML syntax error: ")
    assert "the '[' opened on this line is never closed" in found
    assert "a '#' after a space, '[' or ',' starts a YAML comment" in found
    assert "put the item that holds it in quotes" in found


# 2. Entries under a heading other than 'entries:' are not read: said plainly (drafts may be parked so).


def test_entries_under_another_heading_are_said_not_to_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SNOMED + "pharmacy:\n" + entry(id="epma") + entry(id="tto") + "drafts:\n" + entry(id="print")
    path = write(tmp_path, "a.yaml", text)
    code, out = validate(tmp_path, capsys)
    assert code == 0
    move = "move them under 'entries:' to use them (a comment line such as '# {0}' can head a section)"
    assert f"{path}:7: warning: 2 entries under 'pharmacy' are not read: " + move.format("pharmacy") in out
    assert f"{path}:16: warning: 1 entries under 'drafts' are not read: " + move.format("drafts") in out


def test_a_file_of_entries_only_under_another_heading_says_so(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", SNOMED)
    path = write(tmp_path, "a.yaml", "pharmacy:\n" + entry())
    assert warnings(tmp_path) == [
        f"{path}:1: warning: 1 entries under 'pharmacy' are not read: move them under 'entries:' to use"
        " them (a comment line such as '# pharmacy' can head a section)"
    ]


def test_a_heading_that_holds_notes_not_entries_is_still_only_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", SNOMED + "owners:\n  - name: Clinical systems\n")
    assert warnings(tmp_path) == [
        f"{path}:7: warning: unknown key 'owners' is ignored (the bot reads entries, synonyms)"
    ]


# 3. Another word for aliases would lose every name under it.


@pytest.mark.parametrize(
    "key",
    ["synonyms", "keywords", "also", "question", "questions", "alternatives", "other keywords"],
)
def test_another_word_for_aliases_is_an_error_that_says_aliases(tmp_path: Path, key: str) -> None:
    path = write(tmp_path, "a.yaml", SNOMED + f"    {key}: [clinical terms]\n")
    assert problems(tmp_path) == [
        f"{path}:7: snomed-ct: unknown key {key!r}: did you mean 'aliases'? (what it holds would be lost)"
    ]


def test_a_trusts_own_key_is_still_kept_with_a_warning_and_a_synonym_groups_also_is_read(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "a.yaml", SNOMED + "    owner: Clinical systems\n")
    write(tmp_path, "synonyms.yaml", "synonyms:\n  - term: ops room\n    also: [command centre]\n")
    knowledge = load_knowledge(tmp_path)
    assert knowledge.synonyms == (("ops room", "command centre"),)
    assert [str(w) for w in knowledge.warnings] == [
        f"{path}:7: snomed-ct: warning: unknown key 'owner' is ignored"
        " (the bot reads id, kind, title, aliases, answer, tags)"
    ]


# 4. A list in an answer written with '>' is joined into one line.

BULLETS = "    answer: {style}\n      To log in:\n      • Tap your smartcard\n      • Enter your PIN\n"


@pytest.mark.parametrize("style", [">", ">-", ">+"])
def test_a_folded_answer_with_a_list_warns_at_the_answer(tmp_path: Path, style: str) -> None:
    text = "entries:\n  - id: log-in\n    kind: howto\n    title: Logging in\n" + BULLETS.format(style=style)
    path = write(tmp_path, "a.yaml", text)
    assert warnings(tmp_path) == [
        f'{path}:5: log-in: warning: answer uses ">" which joins lines: use "|" to keep the list'
    ]


@pytest.mark.parametrize("item", ["- Choose your role", "* Choose your role", "1. Choose your role", "2) Go"])
def test_each_kind_of_list_line_is_seen(tmp_path: Path, item: str) -> None:
    text = "entries:\n  - id: log-in\n    kind: howto\n    title: Logging in\n"
    write(tmp_path, "a.yaml", text + f"    answer: >-\n      To log in:\n      {item}\n")
    assert [w for w in warnings(tmp_path) if 'answer uses ">"' in w]


@pytest.mark.parametrize(
    "answer",
    [
        BULLETS.format(style="|"),
        "    answer: >\n      To log in:\n\n      • Tap your smartcard\n\n      • Enter your PIN\n",
        "    answer: >\n      To log in:\n        • Tap your smartcard\n        • Enter your PIN\n",
        "    answer: >-\n      Ring 4444 - the\n      desk - any time, 24 hours a day.\n",
    ],
    ids=["literal", "blank-lines-between", "indented-list", "dashes-in-a-sentence"],
)
def test_a_list_that_keeps_its_lines_is_not_warned_about(tmp_path: Path, answer: str) -> None:
    write(tmp_path, "a.yaml", "entries:\n  - id: log-in\n    kind: howto\n    title: Logging in\n" + answer)
    assert warnings(tmp_path) == []


# 5. A name of common words only answers questions that ask nothing.


def test_a_name_of_common_words_only_is_warned_about_like_small_talk(tmp_path: Path) -> None:
    text = (
        "entries:\n" + entry(id="help", title="Help desk") + "    aliases: [what is it, how do i, the, it]\n"
    )
    path = write(tmp_path, "a.yaml", text)
    found = warnings(tmp_path)
    assert len(found) == 4
    assert found[0] == (
        f"{path}:2: help: warning: 'what is it' is common words only (as 'what is it', 'how do I'), so a "
        "question of just these words, which asks about nothing, is answered with this entry: word it as "
        "staff would ask ('Smartcard PIN')"
    )
    assert [w.split("'")[1] for w in found] == ["what is it", "how do i", "the", "it"]


@pytest.mark.parametrize("name", ["IT", "WHO", "one one one", "things I still need to do", "Help desk"])
def test_acronyms_and_phrases_only_meant_for_the_entry_are_not(tmp_path: Path, name: str) -> None:
    write(tmp_path, "a.yaml", "entries:\n" + entry(title="Support") + f"    aliases: [{name}]\n")
    assert warnings(tmp_path) == []


# 6. A file with no entries yet is a warning, as 'entries: []' is accepted; no entries at all is not.


@pytest.mark.parametrize(
    ("text", "line", "why"),
    [
        ("", 1, "(it is empty, or all comments): list them under 'entries:'"),
        (
            "# wards, to come\n# - id: ward-5\n",
            1,
            "(it is empty, or all comments): list them under 'entries:'",
        ),
        (
            "# wards\nentries:\n#  - id: old\n#    kind: jargon\n",
            2,
            "('entries:' lists none, or only commented-out ones)",
        ),
    ],
    ids=["empty", "comments", "entries-commented-out"],
)
def test_a_file_with_no_entries_yet_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int, why: str
) -> None:
    write(tmp_path, "base.yaml", SNOMED)
    path = write(tmp_path, "wards.yaml", text)
    code, out = validate(tmp_path, capsys)
    assert code == 0
    assert f"{path}:{line}: warning: no entries in this file yet {why}" in out
    assert len(KnowledgeBase.load(tmp_path)) == 1


def test_a_knowledge_base_of_files_with_no_entries_still_will_not_start(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "")
    write(tmp_path, "b.yaml", "entries:\n#  - id: old\n")
    assert refuses_to_start(tmp_path) == [f"{tmp_path}: the knowledge base has no entries"]


# 7. Files in subfolders are not read.


def test_files_in_a_subfolder_are_warned_about(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "a.yaml", SNOMED)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "b.yaml", "entries:\n" + entry())
    write(tmp_path / "sub", "notes.txt", "not a knowledge file")
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git", "x.yaml", "")
    code, out = validate(tmp_path, capsys)
    assert code == 0
    assert (
        f"{tmp_path / 'sub'}: warning: knowledge files in subfolders are not read: "
        "move sub/b.yaml up to the knowledge folder"
    ) in out
    assert ".git" not in out


def test_a_knowledge_base_only_in_subfolders_says_where_its_files_are(tmp_path: Path) -> None:
    (tmp_path / "wards").mkdir()
    for name in ("a.yaml", "b.yaml", "c.yml", "d.yaml"):
        write(tmp_path / "wards", name, SNOMED)
    (found,) = refuses_to_start(tmp_path)
    assert found.endswith(
        "files in subfolders are not read: move wards/a.yaml, wards/b.yaml, wards/c.yml and 1 more "
        f"up into {tmp_path}"
    )


# 8. A second document in a file.


@pytest.mark.parametrize(
    ("after", "line"),
    [("---\n" + entry(id="b"), 7), ("---\n", 7), ("\n\n---\nentries:\n" + entry(id="b"), 9)],
    ids=["entries-after", "nothing-after", "a-second-file"],
)
def test_a_document_separator_says_to_remove_it(tmp_path: Path, after: str, line: int) -> None:
    path = write(tmp_path, "a.yaml", SNOMED + after)
    assert refuses_to_start(tmp_path) == [
        f'{path}:{line}: a file holds one document: remove the "---" on line {line} (or split the file)'
    ]


def test_a_separator_that_opens_the_file_is_fine(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "---\n" + SNOMED)
    assert [e.id for e in load_knowledge(tmp_path).entries] == ["snomed-ct"]


# 9. Mentions in an answer do not ping.


def test_mentions_in_an_answer_are_one_warning_for_the_entry(tmp_path: Path) -> None:
    answer = "'<!channel> ring <@U0123ABCD> or <!here|here>; <!here> again, <!everyone>, <@W9>'"
    path = write(tmp_path, "a.yaml", "entries:\n" + entry(id="escalation", title="Escalation", answer=answer))
    assert warnings(tmp_path) == [
        f"{path}:5: escalation: warning: the answer has <!channel>, <@U0123ABCD>, <!here|here> ..., which "
        "will not notify anyone: the bot does not ping from an answer; name the person or team to contact "
        "in words"
    ]


def test_a_link_or_channel_in_an_answer_is_not_a_mention(tmp_path: Path) -> None:
    answer = "'Ask in <#C0123ABCD|golive> or see <https://intranet.nhs.uk|the guide>.'"
    write(tmp_path, "a.yaml", "entries:\n" + entry(answer=answer))
    assert warnings(tmp_path) == []


# The shipped and bench knowledge bases stay clean.


@pytest.mark.parametrize("folder", ["knowledge", "bench/kb2", "bench/kb3", "bench/kb4", "bench/kb5"])
def test_the_shipped_knowledge_bases_have_no_warnings(folder: str) -> None:
    assert warnings(ROOT / folder) == []


def test_an_answer_longer_than_a_reply_shows_is_a_warning_and_one_that_fits_is_shown_whole(
    tmp_path: Path,
) -> None:
    """A whole SOP pasted into an answer loses its end (often the number to ring) in Slack."""
    sop = " ".join(f"Step {n}, check the wristband." for n in range(400))  # about 12,000 characters
    write(
        tmp_path,
        "kb.yaml",
        "entries:\n" + entry(answer=sop) + entry("bau", "BAU", "Work as usual. " * 560 + "Ring 2222."),
    )
    found = [w for w in warnings(tmp_path) if "characters" in w]
    assert len(found) == 1 and "pas" in found[0] and f"{len(sop):,} characters" in found[0]
    ampersands = "A&E and X-ray & CT. " * 400  # 8,000 typed, 9,600 as Slack is sent them: cut
    write(tmp_path, "kb.yaml", "entries:\n" + entry(answer=sop) + entry("bau", "BAU", "Work as usual. " * 560
          + "Ring 2222.") + entry("ae", "A and E", ampersands))  # fmt: skip
    assert len([w for w in warnings(tmp_path) if "characters as Slack is sent it" in w]) == 2
    fits = next(e for e in load_knowledge(tmp_path).entries if e.id == "bau")
    assert len(fits.answer) <= LONGEST_ANSWER and "Ring 2222" in " ".join(texts(answer_blocks(fits, "bau?")))
