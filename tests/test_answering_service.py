"""The answering service: unanswered questions recorded without identifiers, feedback, and live reloads."""

import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from answering_helpers import SNOMED
from sqlalchemy import select

from bot.answering.knowledge import KnowledgeBase
from bot.answering.model import Answer, NotKnown
from bot.answering.service import RECORDED_CHARS, AnsweringService
from bot.clock import ManualClock
from bot.privacy import NHS_NUMBER_MARKER, Redactor
from bot.store import answers
from bot.store.database import Base, Database

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
KB = SNOMED
EXTRA = """\
  - id: big-bang
    kind: jargon
    title: Big bang
    answer: Every ward switches on the same day.
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "terms.yaml").write_text(KB)
    return tmp_path


def service_for(folder: Path, db: Database) -> AnsweringService:
    return AnsweringService.from_directory(folder, db=db, redactor=Redactor(), clock=ManualClock(START))


def test_an_unanswered_question_is_recorded_without_the_nhs_number(folder: Path, db: Database) -> None:
    service = service_for(folder, db)
    result = service.ask("what do I do with patient 999 000 0018 on ward 5", source="slack", user_id="U123")
    assert isinstance(result.outcome, NotKnown)
    assert result.redaction.removed == {"NHS number": 1}
    assert "999 000 0018" not in result.outcome.question
    (row,) = answers.unanswered_between(db, START, START + timedelta(minutes=1))
    assert row.id == result.outcome.unanswered_id
    assert row.question == f"what do I do with patient {NHS_NUMBER_MARKER} on ward 5"
    assert (row.source, row.user_id, row.asked_at, row.passed_to_support) == ("slack", "U123", START, False)


def test_a_pasted_document_is_recorded_by_its_start_not_whole(folder: Path, db: Database) -> None:
    service = service_for(folder, db)
    service.ask("why does the ward printer say " + "paper jam " * 4000, source="slack")
    (row,) = answers.unanswered_between(db, START, START + timedelta(minutes=1))
    assert row.question.startswith("why does the ward printer say paper jam")
    assert len(row.question) == RECORDED_CHARS and row.question.endswith("…")


def test_an_answered_question_records_nothing(folder: Path, db: Database) -> None:
    service = service_for(folder, db)
    result = service.ask("what is snomed", source="cli")
    assert isinstance(result.outcome, Answer) and result.outcome.best.entry.id == "snomed-ct"
    assert not result.redaction.changed
    assert answers.unanswered_between(db, START - timedelta(days=1), START + timedelta(days=1)) == []


def test_a_redelivered_message_is_recorded_once_and_keeps_its_row(folder: Path, db: Database) -> None:
    service = service_for(folder, db)
    first = service.ask("how do I bake bread", source="slack", message_key="event:Ev1").outcome
    again = service.ask("how do I bake bread", source="slack", message_key="event:Ev1").outcome
    other = service.ask("how do I bake bread", source="slack", message_key="event:Ev2").outcome
    assert isinstance(first, NotKnown) and isinstance(again, NotKnown) and isinstance(other, NotKnown)
    assert again.unanswered_id == first.unanswered_id != other.unanswered_id
    assert len(answers.unanswered_between(db, START, START + timedelta(minutes=1))) == 2


def test_replicas_recording_one_message_at_once_keep_one_row(folder: Path, db: Database) -> None:
    def record(_: int) -> int:
        return answers.record_unanswered(db, "how do I bake bread", START, "slack", "U1", "event:Ev0RACE")

    with ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(record, range(16)))
    assert len(ids) == 1
    assert len(answers.unanswered_between(db, START, START + timedelta(minutes=1))) == 1


def test_the_orm_models_match_the_migrations(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    mine = [change for change in diff if any(t in repr(change) for t in ("unanswered", "answer_feedback"))]
    assert mine == []


def test_passing_a_question_to_support_marks_it(folder: Path, db: Database) -> None:
    service = service_for(folder, db)
    outcome = service.ask("how do I bake bread", source="slack").outcome
    assert isinstance(outcome, NotKnown) and outcome.unanswered_id is not None
    assert service.pass_to_support(outcome.unanswered_id)
    assert not service.pass_to_support(outcome.unanswered_id + 1000)
    (row,) = answers.unanswered_between(db, START, START + timedelta(minutes=1))
    assert row.passed_to_support


def test_feedback_is_stored_without_identifiers(folder: Path, db: Database) -> None:
    service = service_for(folder, db)
    service.record_feedback("snomed-ct", "snomed for 9999999999?", helpful=False, user_id="U1")
    service.record_feedback("snomed-ct", "snomed", helpful=True, user_id="U2")
    assert answers.feedback_counts(db) == {"snomed-ct": (1, 1)}
    with db.session() as session:
        stored = list(session.scalars(select(answers.FeedbackRow.question)))
    assert sorted(stored) == ["snomed", f"snomed for {NHS_NUMBER_MARKER}?"]


def test_entry_looks_up_by_id(folder: Path, db: Database) -> None:
    service = service_for(folder, db)
    assert service.entry("snomed-ct").title == "SNOMED CT"  # type: ignore[union-attr]
    assert service.entry("nope") is None


def touch_later(path: Path, text: str) -> None:
    """Write, and move the modification time on, so the change shows even on coarse file systems."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


def settled(service: AnsweringService) -> bool:
    """Check twice, as the watcher does two polls apart: a change is applied only once it has stopped."""
    assert not service.reload_if_changed(), "applied before the folder was seen to stop changing"
    return service.reload_if_changed()


def test_an_edited_knowledge_base_is_picked_up(folder: Path, db: Database) -> None:
    service = service_for(folder, db)
    assert isinstance(service.match("what is a big bang"), NotKnown)
    assert not service.reload_if_changed()
    touch_later(folder / "terms.yaml", KB + EXTRA)
    assert settled(service)
    assert service.match("what is a big bang").best.entry.id == "big-bang"  # type: ignore[union-attr]


def test_an_edit_that_keeps_the_old_time_and_size_is_picked_up(folder: Path, db: Database) -> None:
    """A file restored with `cp -p` or an editor that keeps the time: same size, same modification time."""
    path = folder / "terms.yaml"
    service = service_for(folder, db)
    before = path.stat()
    path.write_text(KB.replace("SNOMED CT", "SNOMEX CT"))  # one letter: the same size
    time.sleep(0.01)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert settled(service)
    assert service.knowledge.entries["snomed-ct"].title == "SNOMEX CT"


def test_an_invalid_edit_keeps_the_last_good_knowledge_base_and_says_why(
    folder: Path, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    service = service_for(folder, db)
    touch_later(folder / "terms.yaml", KB + EXTRA.replace("kind: jargon", "kind: glossary"))
    with caplog.at_level(logging.ERROR, logger="bot.answering.service"):
        assert not settled(service)
    assert isinstance(service.match("what is snomed"), Answer)
    assert "still using the last good version" in caplog.text
    assert "terms.yaml:8: big-bang: unknown kind 'glossary'" in caplog.text
    touch_later(folder / "terms.yaml", KB + EXTRA)
    assert settled(service)  # fixing the file applies it
    assert isinstance(service.match("what is a big bang"), Answer)


def test_a_file_caught_half_written_is_not_served_until_it_stops_changing(folder: Path, db: Database) -> None:
    """A slow copy cut off inside an answer is valid YAML: it must not be served cut short."""
    path = folder / "terms.yaml"
    service = service_for(folder, db)
    whole = KB + EXTRA
    touch_later(path, whole[: whole.index("switches") + 3])  # 'Every ward swi': mid-answer
    assert not service.reload_if_changed()
    touch_later(path, whole)  # the rest arrives before the next check
    assert not service.reload_if_changed()
    assert "big-bang" not in service.knowledge.entries
    assert service.reload_if_changed()
    assert service.knowledge.entries["big-bang"].answer == "Every ward switches on the same day."


def test_a_copy_that_begins_while_the_files_are_read_is_not_served(
    folder: Path, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder looked settled, then a copy began during the read: what was read may be cut short."""
    path = folder / "terms.yaml"
    service = service_for(folder, db)
    touch_later(path, KB + EXTRA.replace("same day", "same"))
    load = KnowledgeBase.load

    def load_while_copying(where: Path) -> KnowledgeBase:
        read = load(where)
        touch_later(path, KB + EXTRA)  # the rest of the copy lands after the read
        return read

    monkeypatch.setattr(KnowledgeBase, "load", load_while_copying)
    assert not service.reload_if_changed()
    assert not service.reload_if_changed()  # read, but the folder changed meanwhile: not swapped in
    monkeypatch.setattr(KnowledgeBase, "load", load)
    assert "big-bang" not in service.knowledge.entries
    assert service.reload_if_changed()  # the folder as it was after the read, unchanged since
    assert service.knowledge.entries["big-bang"].answer == "Every ward switches on the same day."


def test_a_new_file_and_a_removed_file_are_changes_too(folder: Path, db: Database) -> None:
    service = service_for(folder, db)
    extra = folder / "more.yaml"
    extra.write_text("entries:\n" + EXTRA)
    assert settled(service)
    assert isinstance(service.match("what is a big bang"), Answer)
    extra.unlink()
    assert settled(service)
    assert isinstance(service.match("what is a big bang"), NotKnown)


def test_the_watcher_thread_starts_and_stops(folder: Path, db: Database) -> None:
    service = AnsweringService.from_directory(
        folder, db=db, redactor=Redactor(), clock=ManualClock(START), watch=True
    )
    watcher = service._watcher
    assert watcher is not None and watcher._thread.is_alive()
    service.close()
    assert not watcher._thread.is_alive()


def test_the_removal_marker_does_not_steer_the_answer(tmp_path: Path, db: Database) -> None:
    (tmp_path / "terms.yaml").write_text(
        KB
        + """\
  - id: nhs-number
    kind: jargon
    title: NHS number
    answer: The ten-digit number that identifies a patient.
"""
    )
    service = service_for(tmp_path, db)
    result = service.ask("999 000 0018", source="slack")
    assert isinstance(result.outcome, NotKnown)
    assert result.outcome.question == NHS_NUMBER_MARKER
    assert isinstance(service.ask("what is an nhs number", source="slack").outcome, Answer)


def test_a_message_padded_with_spaces_is_answered_at_once(folder: Path, db: Database) -> None:
    """A message of Slack's 40,000 characters, mostly spaces (a paste, or someone testing the bot), kept
    a reply thread busy for seconds while it was looked for a second question, everyone's answers
    waiting behind it: where one question ends is found in one pass."""
    service = service_for(folder, db)
    started = time.monotonic()
    result = service.ask("what is snomed" + " " * 39_000 + "?", source="slack-dm", user_id="U1")
    assert time.monotonic() - started < 1
    assert isinstance(result.outcome, Answer) and result.outcome.best.entry.id == "snomed-ct"
