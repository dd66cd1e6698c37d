"""Valid knowledge bases that would still let staff down get a warning with the fix: two entries whose
names read alike once shorthand is rewritten, a name that reads as small talk, a synonym of common words."""

from __future__ import annotations

from pathlib import Path

from answering_helpers import write

from bot.answering.knowledge import KnowledgeBase
from bot.answering.loader import load_knowledge
from bot.answering.model import Answer
from bot.answering.reach import reach_warnings
from bot.cli.main import main

TWO = """\
entries:
  - id: ae
    kind: jargon
    title: A&E
    answer: The emergency department.
  - id: {id}
    kind: jargon
    title: {title}
    answer: Something else.
"""


def _warnings(folder: Path) -> list[str]:
    knowledge = load_knowledge(folder)
    return [str(w) for w in (*knowledge.warnings, *reach_warnings(knowledge.entries, knowledge.synonyms))]


def test_two_entries_whose_names_read_alike_through_the_synonyms_are_warned_about(tmp_path: Path) -> None:
    path = write(tmp_path, "kb.yaml", TWO.format(id="ed", title="ED"))
    [warning] = _warnings(tmp_path)
    assert warning.startswith(f"{path}:6: ed: warning: 'ED' reads the same as 'A&E' of 'ae' ({path}:2)")
    assert "merge them" in warning
    kb = KnowledgeBase.load(tmp_path)
    assert not isinstance(kb.match("ED"), Answer)  # what the warning is about: they cannot be told apart


def test_entries_whose_names_read_differently_get_no_warning(tmp_path: Path) -> None:
    write(tmp_path, "kb.yaml", TWO.format(id="icu", title="ICU"))
    assert _warnings(tmp_path) == []


def test_a_name_that_reads_as_small_talk_is_warned_about(tmp_path: Path) -> None:
    write(tmp_path, "kb.yaml", TWO.format(id="help-desk", title="Help"))
    [warning] = _warnings(tmp_path)
    assert "help-desk: warning: 'Help' reads as small talk" in warning and "'Getting help'" in warning


def test_a_synonym_of_common_words_only_is_warned_about(tmp_path: Path) -> None:
    write(
        tmp_path,
        "kb.yaml",
        TWO.format(id="icu", title="ICU") + "synonyms:\n  - term: print\n    also: [the, a]\n",
    )
    warnings = _warnings(tmp_path)
    assert any("'the' is common words only: any question would be read as 'print'" in w for w in warnings)


def test_the_shipped_knowledge_base_gets_none_of_these_warnings() -> None:
    assert _warnings(Path(__file__).parent.parent / "knowledge") == []


def test_validate_prints_the_warning_and_still_passes(tmp_path: Path, capsys) -> None:
    write(tmp_path, "kb.yaml", TWO.format(id="ed", title="ED"))
    assert main(["--knowledge", str(tmp_path), "validate"]) == 0
    assert "ed: warning: 'ED' reads the same as 'A&E'" in capsys.readouterr().out
