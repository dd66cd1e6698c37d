"""A knowledge base written at another trust, in the shapes its own templates and habits give it: each
is read as meant, or refused with the file, the line, the entry and what to change."""

from __future__ import annotations

from pathlib import Path

import pytest
from answering_helpers import problems, write

from bot.answering.loader import load_knowledge


@pytest.mark.parametrize(
    ("other", "field", "line"),
    [
        ("question: How do I reset my password?", "title", 4),
        ("term: EPR", "title", 4),
        ("Title: EPR", "title", 4),
        ("definition: The electronic patient record.", "answer", 5),
        ("type: jargon", "kind", 3),
        ("ref: epr", "id", 2),
    ],
)
def test_a_required_field_under_another_name_says_which_key_to_rename(
    tmp_path: Path, other: str, field: str, line: int
) -> None:
    """A FAQ template says 'question:' and a glossary 'term:' and 'definition:': the author was told the
    title was missing and, apart, that 'question' might mean aliases, and had to work out the rest."""
    fields = {"id": "epr", "kind": "jargon", "title": "EPR", "answer": "The record."}
    lines = [f"{k}: {v}" if k != field else other for k, v in fields.items()]
    path = write(tmp_path, "faq.yaml", "entries:\n  - " + "\n    ".join(lines) + "\n")
    key = other.split(":")[0]
    name = "entry #1" if field == "id" else "epr"
    assert problems(tmp_path) == [
        f"{path}:{line}: {name}: missing required field {field!r}: rename {key!r} to {field!r}"
    ]


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        (
            "id: Badge Access",
            "id must be kebab-case: lower-case letters and digits joined by '-' (write 'badge-access')",
        ),
        ("kind: how-to", "unknown kind 'how-to' (write it as howto)"),
        ("kind: How To", "unknown kind 'How To' (write it as howto)"),
        (
            "kind: faq",
            "unknown kind 'faq' (expected jargon, for what a term means, or howto, for how to do something or"
            " whom to ask)",
        ),
    ],
)
def test_an_id_or_kind_written_another_way_is_refused_with_what_to_write(
    tmp_path: Path, field: str, problem: str
) -> None:
    """'Badge Access', 'how-to' and 'faq' are how people write them; the message said only the rule."""
    key, value = field.split(": ", 1)
    fields = {
        "id": "badge-access",
        "kind": "howto",
        "title": "How do I get a badge?",
        "answer": "Ask.",
        key: value,
    }
    path = write(
        tmp_path, "faq.yaml", "entries:\n  - " + "\n    ".join(f"{k}: {v}" for k, v in fields.items())
    )
    line = 2 if key == "id" else 3
    assert problems(tmp_path) == [f"{path}:{line}: {fields['id'] if key != 'id' else value}: {problem}"]


SMARTCARD = (
    "entries:\n  - id: smartcard\n    kind: howto\n"
    "    title: How do I get a smartcard?\n    answer: '{answer}'\n"
)


def test_markdown_and_html_in_an_answer_are_warned_of_with_how_slack_writes_them(tmp_path: Path) -> None:
    """Answers pasted from an intranet page or a Confluence FAQ came out in Slack with their brackets,
    asterisks and tags showing, and validate said nothing."""
    answer = (
        "Bring **photo ID** to the RA office.<br>See [the smartcard guide](https://intranet.nhs.uk/sc)"
        ' or <a href="https://intranet.nhs.uk/ra">the RA page</a>.&nbsp;Ring 4444.'
    )
    path = write(
        tmp_path,
        "faq.yaml",
        SMARTCARD.format(answer=answer),
    )
    found = [str(w) for w in load_knowledge(tmp_path).warnings]
    start = f"{path}:5: smartcard: warning: the answer has"
    end = "which is not Slack's formatting and is not shown as meant: write"
    assert found == [
        f"{start} '[the smartcard guide](https://intranet.nhs.uk/sc)', {end}"
        " <https://intranet.nhs.uk/sc|the smartcard guide>",
        f"{start} '<a href=\"https://intranet.nhs.uk/ra\">the RA page</a>', {end}"
        " <https://intranet.nhs.uk/ra|the RA page>",
        f"{start} '**photo ID**', {end} *photo ID*",
        f"{start} '<br>', {end} Slack's mrkdwn in place of HTML tags: a new line, *bold*, _italic_,"
        " '• ' for a list item",
        f"{start} '&nbsp;', {end} the character itself (a space, a quote mark, a dash, £)",
    ]


def test_slacks_own_links_and_bold_are_not_warned_of(tmp_path: Path) -> None:
    answer = "Bring *photo ID*. See <https://intranet.nhs.uk/sc|the guide>. NEWS2 <5 and >3 is fine."
    write(
        tmp_path,
        "faq.yaml",
        SMARTCARD.format(answer=answer),
    )
    assert load_knowledge(tmp_path).warnings == ()


def test_a_list_written_as_text_and_an_answer_written_as_a_list_say_what_to_write(tmp_path: Path) -> None:
    """Aliases typed as a sentence with commas, and an answer's steps typed as a YAML list, were refused
    with the rule alone ('must be a list', 'must be text'), not how to write what the author meant."""
    path = write(
        tmp_path,
        "faq.yaml",
        "entries:\n  - id: smartcard\n    kind: howto\n    title: How do I get a smartcard?\n"
        "    aliases: smartcard, badge, card won't work\n    answer:\n      - Go to the RA office\n"
        "      - Bring photo ID\n    tags: access\n",
    )
    assert problems(tmp_path) == [
        f"{path}:5: smartcard: 'aliases' must be a list of text: write aliases:"
        " [smartcard, badge, card won't work]",
        f"{path}:6: smartcard: 'answer' must be text, not a list: to keep each line or step on its own line,"
        " write 'answer: |' and the lines under it, indented",
        f"{path}:9: smartcard: 'tags' must be a list of text: write tags: [access]",
    ]
    written = "    aliases: [smartcard, badge, card won't work]\n    answer: |\n      Go to the RA office\n"
    write(tmp_path, "faq.yaml", SMARTCARD.split("    answer")[0] + written + "    tags: [access]\n")
    (entry,) = load_knowledge(tmp_path).entries
    assert entry.aliases == ("smartcard", "badge", "card won't work")


@pytest.mark.parametrize(
    ("name", "listed", "heading"),
    [
        ("faq.yaml", "- id: epr\n  kind: jargon\n  title: EPR\n  answer: The record.\n", "entries"),
        ("synonyms.yaml", "- term: command centre\n  also: [ops room]\n", "synonyms"),
    ],
)
def test_a_file_that_is_only_a_list_says_which_heading_to_add(
    tmp_path: Path, name: str, listed: str, heading: str
) -> None:
    """An entry copied out of the README with its heading left behind: the file was called 'not a mapping',
    a word an informatics nurse need not know, with nothing said of the one line it lacks."""
    if heading == "synonyms":
        write(tmp_path, "faq.yaml", SMARTCARD.format(answer="At the RA office."))
    path = write(tmp_path, name, listed)
    assert problems(tmp_path) == [
        f"{path}:1: a knowledge file must be a mapping with a list under 'entries': this file is a list with"
        f" no '{heading}:' above it; add the line '{heading}:' at the top (the list may stay as it is)"
    ]
    write(tmp_path, name, f"{heading}:\n{listed}")
    assert load_knowledge(tmp_path)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("entries:\n  - id: epr\n    kind: jargon\n    title:\u00a0EPR\n    answer: The record.\n", 4),
        ("entries:\n  - id: epr\n\u00a0\u00a0\u00a0\u00a0kind: jargon\n    title: EPR\n    answer: A.\n", 3),
        ("entries:\n  -\u00a0id: epr\n    kind: jargon\n    title: EPR\n    answer: A.\n", 2),
        ("entries:\u00a0\n  - id: epr\n    kind: jargon\n    title: EPR\n    answer: A.\n", 1),
    ],
    ids=["after-colon", "indent", "after-dash", "first-line"],
)
def test_a_pasted_no_break_space_is_named_at_its_own_line(tmp_path: Path, text: str, line: int) -> None:
    """A no-break space looks like a space on screen: 'title:\u00a0EPR' was told it needs a colon and a
    space after it, which it appears to have, and an indent of them was blamed on the line below."""
    path = write(tmp_path, "faq.yaml", text)
    assert problems(tmp_path) == [
        f"{path}:{line}: YAML syntax error: this line has a no-break space (as Word, Outlook or a web page"
        " paste) where YAML needs an ordinary one, in the indent or after a ':' or '-': delete it and type"
        " a space"
    ]


def test_a_no_break_space_inside_text_is_text(tmp_path: Path) -> None:
    write(
        tmp_path,
        "faq.yaml",
        "entries:\n  - id: epr\n    kind: jargon\n    title: EPR\n    answer: Ring\u00a04444.\n",
    )
    assert [e.answer for e in load_knowledge(tmp_path).entries] == ["Ring\u00a04444."]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "synonyms:\n  command centre: [ops room, control room]\n",
            "1: 'synonyms' must be a list of groups: write '- term: command centre' with"
            " 'also: [ops room, control room]' under it",
        ),
        (
            "synonyms:\n  - [command centre, ops room]\n",
            "2: synonym group #1 needs 'term: <text>': write '- term: command centre' with 'also: [ops room]'"
            " under it",
        ),
        (
            "synonyms:\n  - command centre = ops room, control room\n",
            "2: synonym group #1 needs 'term: <text>': write '- term: command centre' with"
            " 'also: [ops room, control room]' under it",
        ),
        (
            "synonyms:\n  - 42\n",
            "2: synonym group #1 needs 'term: <text>': write '- term: <the words entries use>' with"
            " 'also: [<another way to say them>]' under it",
        ),
        (
            "synonyms:\n  - term: command centre\n    synonyms: [ops room]\n    also: [control room]\n",
            "3: command centre: unknown key 'synonyms': did you mean 'also'? (what it holds would be lost)",
        ),
        (
            "entries:\n  epr:\n    kind: jargon\n    title: EPR\n    answer: The record.\n",
            "1: 'entries' must be a list of entries, each beginning '- id: ...': write '- id: epr' in place"
            " of 'epr:'",
        ),
    ],
    ids=["synonyms-as-mapping", "group-as-list", "group-as-text", "group-as-number", "synonyms-key", "by-id"],
)
def test_synonyms_and_entries_in_another_shape_say_how_to_write_them(
    tmp_path: Path, text: str, problem: str
) -> None:
    """A synonym group written as 'term: [others]' or as a list of words was refused as needing 'term'
    or as not a list; 'synonyms:' inside a group lost its words with only a warning, never shown while
    the group's empty 'also' stopped the load."""
    if not text.startswith("entries"):
        write(tmp_path, "faq.yaml", SMARTCARD.format(answer="At the RA office."))
    path = write(tmp_path, "local.yaml", text)
    assert problems(tmp_path) == [f"{path}:{problem}"]


def test_a_file_notepad_saved_with_txt_added_is_named_with_how_to_rename_it(tmp_path: Path) -> None:
    """Explorer hides extensions, so 'faq.yaml.txt' shows as 'faq.yaml': its entries were left out
    without a word, or the folder was said to hold no .yaml files at all."""
    text = write(tmp_path, "faq.yaml.txt", SMARTCARD.format(answer="At the RA office."))
    not_read = (
        "a file whose name ends .yaml.txt or .yml.txt is not read (Notepad adds '.txt' to a text document)"
    )
    assert problems(tmp_path) == [
        f"{tmp_path}: no .yaml or .yml files in the knowledge base folder (hidden and backup files are not"
        f" read); {not_read}: rename faq.yaml.txt to faq.yaml"
    ]
    write(tmp_path, "terms.yml", "entries:\n  - {id: epr, kind: jargon, title: EPR, answer: The record.}\n")
    write(tmp_path, "notes.txt", "not knowledge")
    assert [str(w) for w in load_knowledge(tmp_path).warnings] == [
        f"{text}: warning: {not_read}: rename faq.yaml.txt to faq.yaml"
    ]


def test_problems_are_listed_in_the_order_of_the_file(tmp_path: Path) -> None:
    """An author works down the file: an entry's problems came in the order they were checked, so its
    misspelt key (line 6) was listed before its id (line 2)."""
    path = write(
        tmp_path,
        "faq.yaml",
        "entries:\n  - id: Pas\n    kind: glossary\n    title: PAS\n    answer: [a, b]\n    Aliases: [x]\n"
        "  - id: epr\n    kind: jargon\n    title: EPR\n",
    )
    assert [p.removeprefix(f"{path}:").split(":")[0] for p in problems(tmp_path)] == ["2", "3", "5", "6", "7"]


def test_a_glossary_of_term_and_meaning_lines_says_how_to_write_each_as_an_entry(tmp_path: Path) -> None:
    """A jargon buster kept as 'PAS: The patient administration system.' lines: each line under 'entries:'
    got four 'missing required field' problems, and a file of them alone was told it must be a mapping,
    which it is."""
    listed = "  - SNOMED CT: The shared clinical vocabulary.\n  - PAS: The patient administration system.\n"
    path = write(tmp_path, "jargon.yaml", "entries:\n" + listed)
    snomed = (
        "write '- id: snomed-ct' with 'kind: jargon', 'title: SNOMED CT' and 'answer: The shared clinical"
    )
    assert problems(tmp_path) == [
        f"{path}:2: entry #1: a term and its meaning on one line: {snomed} vocabulary.' under it",
        f"{path}:3: entry #2: a term and its meaning on one line: write '- id: pas' with 'kind: jargon',"
        " 'title: PAS' and 'answer: The patient administration system.' under it",
    ]
    write(tmp_path, "jargon.yaml", listed.replace("  - ", ""))
    assert problems(tmp_path) == [
        f"{path}:1: this file lists terms and their meanings, which the bot does not read: list them under"
        f" 'entries:'; {snomed} vocabulary.' under it"
    ]


def test_aliases_written_one_a_line_as_text_are_shown_as_one_list(tmp_path: Path) -> None:
    """'aliases: |' with a name on each line was shown back with its line breaks inside the brackets."""
    path = write(
        tmp_path, "faq.yaml", SMARTCARD.format(answer="A.") + "    aliases: |\n      badge\n      card\n"
    )
    assert problems(tmp_path) == [
        f"{path}:6: smartcard: 'aliases' must be a list of text: write aliases: [badge, card]"
    ]


def test_a_copy_of_a_file_kept_in_the_folder_is_one_problem_that_names_both(tmp_path: Path) -> None:
    """'faq - Copy.yaml', as Explorer names a copy, is read like any file: every entry was a duplicate id,
    each reported at the original (the copy's name sorts first), as if the original were at fault."""
    two = SMARTCARD.format(answer="A.") + "  - {id: epr, kind: jargon, title: EPR, answer: The record.}\n"
    original = write(tmp_path, "faq.yaml", two)
    copy = write(tmp_path, "faq - Copy.yaml", two)
    assert problems(tmp_path) == [
        f"{copy}: all 2 of its entries have the ids of entries in {original}, as a copy of that file would:"
        " every file in the folder is read, so remove the copy or move it out of the folder"
    ]


def test_an_id_used_again_in_another_file_is_still_reported_at_each_use(tmp_path: Path) -> None:
    first = write(
        tmp_path,
        "a.yaml",
        SMARTCARD.format(answer="A.") + "  - {id: epr, kind: jargon, title: EPR, answer: B.}\n",
    )
    later = write(
        tmp_path,
        "b.yaml",
        SMARTCARD.format(answer="A.").replace("smartcard?", "card?")
        + "  - {id: pas, kind: jargon, title: PAS, answer: C.}\n",
    )
    assert problems(tmp_path) == [f"{later}:2: smartcard: duplicate id (first used at {first}:2)"]


def test_a_title_written_as_several_wordings_says_to_keep_one_and_alias_the_rest(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "faq.yaml",
        SMARTCARD.format(answer="A.").replace("How do I get a smartcard?", "[Smartcard, Badge]"),
    )
    assert problems(tmp_path) == [
        f"{path}:4: smartcard: 'title' must be text, not a list: keep one wording as the title and list the"
        " others under 'aliases'"
    ]


def test_a_comma_in_text_inside_braces_is_warned_of_as_text_lost(tmp_path: Path) -> None:
    """An entry written on one line in braces: the comma in its answer ended the answer, staff were given
    half of it, and the rest was reported as an unknown key the bot ignores, as if it were a note."""
    path = write(
        tmp_path,
        "faq.yaml",
        "entries:\n  - {id: epr, kind: jargon, title: EPR, answer: The record, used on every ward}\n",
    )
    knowledge = load_knowledge(tmp_path)
    assert [e.answer for e in knowledge.entries] == ["The record"]
    assert [str(w) for w in knowledge.warnings] == [
        f"{path}:2: epr: warning: in {{...}} a comma ends the 'answer' value, and the text after it"
        " ('used on every ward') is lost: put the answer in quotes"
    ]
    write(
        tmp_path,
        "faq.yaml",
        "entries:\n  - {id: epr, kind: jargon, title: EPR, answer: 'The record, on wards'}\n",
    )
    assert load_knowledge(tmp_path).warnings == ()


def test_an_alias_item_holding_commas_is_warned_of_as_one_phrase(tmp_path: Path) -> None:
    """'- smartcard, badge, card' under aliases is one alias, the whole phrase, where the author meant
    three names; nothing said so."""
    path = write(
        tmp_path,
        "faq.yaml",
        SMARTCARD.format(answer="A.") + "    aliases:\n      - smartcard, badge\n      - RA\n",
    )
    assert [str(w) for w in load_knowledge(tmp_path).warnings] == [
        f"{path}:7: smartcard: warning: alias 'smartcard, badge' is one alias, read as the phrase"
        " 'smartcard badge': to give several, list each as its own item: [smartcard, badge]"
    ]


def test_a_trusts_own_key_on_every_entry_is_one_warning_per_file(tmp_path: Path) -> None:
    """An owner and a review date on each of 300 entries gave 600 warnings, in validate and in the log
    at every start and reload, burying the few that said an answer would not show as meant."""
    noted = "    owner: Clinical systems\n    review_date: 2027-01-01\n"
    entries = "".join(
        f"  - id: e{n}\n    kind: jargon\n    title: Term {n} word{n}\n    answer: A.\n{noted}"
        for n in range(300)
    )
    path = write(tmp_path, "terms.yaml", "entries:\n" + entries)
    lone = write(
        tmp_path, "zz.yaml", "entries:\n  - {id: epr, kind: jargon, title: EPR, answer: B., owner: Jo}\n"
    )
    reads = "(the bot reads id, kind, title, aliases, answer, tags)"
    assert [str(w) for w in load_knowledge(tmp_path).warnings] == [
        f"{path}:6: warning: unknown key 'owner' is ignored in 300 entries of this file, the first on this"
        f" line {reads}",
        f"{path}:7: warning: unknown key 'review_date' is ignored in 300 entries of this file, the first on"
        f" this line {reads}",
        f"{lone}:2: epr: warning: unknown key 'owner' is ignored {reads}",
    ]
