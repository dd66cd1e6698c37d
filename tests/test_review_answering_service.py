"""The answering service on what any adapter may hand it: text every database must still take."""

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from answering_helpers import SNOMED

from bot.answering.model import NotKnown
from bot.answering.service import AnsweringService
from bot.cli.main import main
from bot.clock import ManualClock
from bot.privacy import NHS_NUMBER_MARKER, Redactor
from bot.store import answers
from bot.store.database import Database

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def service(tmp_path: Path, db: Database) -> AnsweringService:
    (tmp_path / "terms.yaml").write_text(SNOMED)
    return AnsweringService.from_directory(tmp_path, db=db, redactor=Redactor(), clock=ManualClock(START))


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("zebra\x00crossing", "zebra crossing"),  # PostgreSQL refuses NUL in text
        ("zebra \ud800crossing", "zebra ?crossing"),  # a lone surrogate, as JSON '\ud800' gives: not UTF-8
        ("zebra\x1b[31mcrossing", "zebra [31mcrossing"),
    ],
)
def test_a_question_with_bytes_no_database_takes_is_still_answered_and_recorded(
    service: AnsweringService, db: Database, typed: str, kept: str
) -> None:
    result = service.ask(typed, source="cli")
    assert isinstance(result.outcome, NotKnown) and result.outcome.question == kept
    (row,) = answers.unanswered_between(db, START, START + timedelta(minutes=1))
    assert row.question == kept
    service.record_feedback("snomed-ct", typed, helpful=False, user_id="U1")


def test_a_nul_between_the_digits_of_an_nhs_number_does_not_hide_it(service: AnsweringService) -> None:
    result = service.ask("patient 943\x00476\x005919 bed 4", source="cli")
    assert result.outcome.question == f"patient {NHS_NUMBER_MARKER} bed 4"


def ask_piped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines: bytes, *options: str) -> int:
    """`golive-bot ask` on the SNOMED knowledge base with `lines` piped in, from a folder of its own."""
    (tmp_path / "terms.yaml").write_text(SNOMED)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOLIVE_CONFIG", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(lines)))
    return main(["ask", "--knowledge", str(tmp_path), *options])


def test_ask_json_never_echoes_an_nhs_number_split_by_nuls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--json` matches without the service; it must clean the question the same way."""
    assert ask_piped(tmp_path, monkeypatch, b"patient 943\x00476\x005919 bed 4\n", "--json") == 0
    out = capsys.readouterr().out
    assert json.loads(out)["question"] == f"patient {NHS_NUMBER_MARKER} bed 4"


def test_ask_for_a_person_replies_to_greetings_and_thanks_as_slack_does_and_records_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ask_piped(tmp_path, monkeypatch, b"hi\nthanks!\n???\n") == 0
    out = capsys.readouterr().out
    assert "I don't know" not in out and out.count("e.g. golive-bot ask") == 2 and "You're welcome" in out
    db = Database(f"sqlite:///{tmp_path / 'bot.db'}")
    assert answers.unanswered_between(db, START - timedelta(days=3650), START + timedelta(days=3650)) == []
    db.dispose()
