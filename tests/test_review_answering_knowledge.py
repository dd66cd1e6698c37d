"""Knowledge bases a trust will really write: odd titles, other scripts, Windows files, big folders."""

from pathlib import Path

import pytest
from answering_helpers import problems, write

from bot.answering.knowledge import KnowledgeBase
from bot.answering.loader import load_knowledge


def test_names_without_latin_words_do_not_clash_with_each_other_but_are_warned_about(tmp_path: Path) -> None:
    """Emoji, punctuation and Greek or Arabic all fold to no words: they are not the same name."""
    path = write(
        tmp_path,
        "kb.yaml",
        "entries:\n"
        "  - {id: nhs, kind: jargon, title: NHS, aliases: [ΕΣΥ], answer: The health service.}\n"
        "  - {id: help, kind: howto, title: '???', aliases: [مساعدة, Getting help], answer: Ask.}\n",
    )
    knowledge = load_knowledge(tmp_path)
    assert [e.id for e in knowledge.entries] == ["nhs", "help"]
    warnings = [str(w) for w in knowledge.warnings]
    assert warnings[0] == (
        f"{path}:2: nhs: warning: alias 'ΕΣΥ' has no letters or digits the bot can match "
        "(it reads A to Z and 0 to 9 only): no question can find the entry by it"
    )
    assert [w.split(": ")[1:3] for w in warnings[1:]] == [["help", "warning"], ["help", "warning"]]
    assert "title '???'" in warnings[1] and "alias 'مساعدة'" in warnings[2]


def test_a_synonym_with_no_words_is_refused_since_it_would_erase_words_from_questions(tmp_path: Path) -> None:
    write(tmp_path, "kb.yaml", "entries:\n  - {id: cpp, kind: jargon, title: Plus plus, answer: Twice.}\n")
    path = write(tmp_path, "synonyms.yaml", "synonyms:\n  - term: '++'\n    also: [plus plus]\n")
    assert problems(tmp_path) == [
        f"{path}:2: ++: '++' has no letters or digits the bot can match "
        "(it reads A to Z and 0 to 9 only): write it in words"
    ]
    path.write_text("synonyms:\n  - term: double plus\n    also: [plus plus, '--']\n", encoding="utf-8")
    assert problems(tmp_path)[0].startswith(f"{path}:2: double plus: '--' has no letters")
    path.write_text("synonyms:\n  - term: double plus\n    also: [plus plus]\n", encoding="utf-8")
    assert len(KnowledgeBase.load(tmp_path)) == 1


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le"])
def test_a_file_saved_as_unicode_by_windows_notepad_loads(tmp_path: Path, encoding: str) -> None:
    """Notepad's 'Unicode' is UTF-16 with a byte order mark, and CRLF line ends."""
    text = "entries:\r\n  - {id: gig, kind: jargon, title: Gwasanaeth Iechyd Gwladol, answer: Y GIG.}\r\n"
    bom = {"utf-16": b"", "utf-16-be": b"\xfe\xff", "utf-16-le": b"\xff\xfe"}[encoding]
    (tmp_path / "kb.yaml").write_bytes(bom + text.encode(encoding))
    assert [e.title for e in load_knowledge(tmp_path).entries] == ["Gwasanaeth Iechyd Gwladol"]


def test_a_broken_utf16_file_is_named_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_bytes(b"\xff\xfee\x00n\x00\x00\xd8")  # a lone surrogate half
    assert problems(tmp_path) == [f"{path}: not valid UTF-16 text: save the file with UTF-8 encoding"]
