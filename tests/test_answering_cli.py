"""`golive-bot ask` and `golive-bot validate`, run as a person or a script would run them."""

import io
import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from answering_helpers import SNOMED

from bot.cli.main import main
from bot.privacy import NHS_NUMBER_MARKER
from bot.store import answers
from bot.store.database import Database

KB = (
    SNOMED
    + """\
  - id: ccio
    kind: jargon
    title: Chief clinical information officer (CCIO)
    answer: The senior clinician who leads digital change.
  - id: cnio
    kind: jargon
    title: Chief nursing information officer (CNIO)
    answer: The senior nurse who leads digital change.
"""
)


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A knowledge folder, run from a directory with no schedules or config file and a private database."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (tmp_path / "schedules").mkdir()
    (folder / "terms.yaml").write_text(KB)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOLIVE_CONFIG", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    return folder


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_ask_json_answers_one_question(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--knowledge", str(kb), "--json", "wots", "snomed?"]) == 0
    (line,) = json_lines(capsys.readouterr().out)
    assert line["question"] == "wots snomed?"
    assert line["match"]["id"] == "snomed-ct" and 0 < line["match"]["score"] <= 100
    assert line["suggestions"] == []


def test_ask_json_reads_one_question_per_line_from_stdin(
    kb: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        sys, "stdin", io.StringIO("what is snomed\n\nchief information officer\nbake bread\n")
    )
    assert main(["--knowledge", str(kb), "ask", "--json"]) == 0
    snomed, blank, close, unknown = json_lines(capsys.readouterr().out)
    assert snomed["match"]["id"] == "snomed-ct"
    assert blank == {"question": "", "match": None, "suggestions": []}
    assert close["match"] is None and {s["id"] for s in close["suggestions"]} == {"ccio", "cnio"}
    assert unknown == {"question": "bake bread", "match": None, "suggestions": []}
    assert not Path("bot.db").exists()  # --json scripting never touches the database


def test_ask_never_echoes_an_nhs_number(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--knowledge", str(kb), "--json", "snomed for 999 000 0018"]) == 0
    out, err = capsys.readouterr()
    assert json_lines(out)[0]["question"] == f"snomed for {NHS_NUMBER_MARKER}"
    assert "999 000 0018" not in out + err and "I removed 1 NHS number" in err


@pytest.mark.parametrize("mode", [["--json"], ["--no-record"], []])
def test_an_nhs_number_does_not_change_what_the_bot_answers(
    kb: Path, capsys: pytest.CaptureFixture[str], mode: list[str]
) -> None:
    """Scripts and benchmarks must see what Slack gives: the removal marker is not part of the question."""

    def answer(question: str) -> object:
        assert main(["ask", "--knowledge", str(kb), *mode, question]) == 0
        out = capsys.readouterr().out
        return json.loads(out)["match"] if mode == ["--json"] else out

    assert answer("snomed 999-000-0018") == answer("snomed")


def _stdin_bytes(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    """Standard input as a strict ASCII terminal would give it: decoding it is the command's job."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="ascii"))


def test_ask_json_gives_one_line_per_input_line_whatever_the_bytes(
    kb: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    long = b"snomed " * 15_000  # a 100 KB line
    _stdin_bytes(
        monkeypatch, b"\xef\xbb\xbfwhat is snomed\r\n \t \r\nsnomed \xff\xfe\r\n\n" + long + b"\nsnomed"
    )
    assert main(["ask", "--knowledge", str(kb), "--json"]) == 0
    out, err = capsys.readouterr()
    lines = json_lines(out)
    assert [line["question"] for line in lines] == [
        "what is snomed", "", "snomed \ufffd\ufffd", "", long.decode().strip(), "snomed"
    ]  # fmt: skip
    assert [bool(line["match"]) for line in lines] == [True, False, True, False, True, True]
    assert err == "" and "\\udc" not in out  # no lone surrogates, which strict JSON parsers refuse


def test_ask_takes_a_question_argument_that_is_not_utf8(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Arguments in a broken encoding reach Python as lone surrogates; a database would refuse them."""
    assert main(["ask", "--knowledge", str(kb), "--json", "snomed \udcff"]) == 0
    assert json_lines(capsys.readouterr().out)[0]["question"] == "snomed \ufffd"
    assert main(["ask", "--knowledge", str(kb), "bake bread \udcff"]) == 0
    assert "I've recorded the question (#1)" in capsys.readouterr().out


def test_ask_without_its_streams_says_so(
    kb: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", None)  # as after `golive-bot ask <&-`
    assert main(["ask", "--knowledge", str(kb), "--json"]) == 2
    assert "standard input is closed; type the question after ask" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdout", None)  # `>&-`: print() would drop every answer without a word
    assert main(["ask", "--knowledge", str(kb), "--json", "snomed"]) == 2
    assert "standard output is closed" in capsys.readouterr().err


def test_ask_refuses_a_file_given_as_the_knowledge_folder(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "--knowledge", str(kb / "terms.yaml"), "--json", "snomed"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert f"{kb / 'terms.yaml'}: is a file, not a folder: give the folder that holds it ({kb})" in err


def test_ask_for_a_person_prints_the_answer_or_the_choices(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "--knowledge", str(kb), "--no-record", "what is snomed"]) == 0
    assert capsys.readouterr().out.startswith("SNOMED CT\nThe shared clinical vocabulary.")
    assert main(["ask", "--knowledge", str(kb), "--no-record", "chief information officer"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Did you mean:") and "(id: ccio)" in out and "(id: cnio)" in out


def test_ask_greets_a_greeting_back_with_an_example_this_knowledge_base_answers(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "--knowledge", str(kb), "good morning!"]) == 0
    said = "Hi! Ask me what a go-live term means or how to do something, e.g. golive-bot ask"
    assert capsys.readouterr().out == f"{said} 'what is SNOMED CT?'\n\n"
    db = Database(f"sqlite:///{Path('bot.db').resolve()}")
    assert answers.unanswered_between(db, datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC)) == []
    db.dispose()


def test_ask_json_keeps_its_contract_for_greetings_and_answers_a_question_after_one(
    kb: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("hi\ngood morning all\nhey bot\nhi, what is snomed?\n"))
    assert main(["--knowledge", str(kb), "ask", "--json"]) == 0
    *greetings, question = json_lines(capsys.readouterr().out)
    nothing = [
        {"question": q, "match": None, "suggestions": []} for q in ("hi", "good morning all", "hey bot")
    ]
    assert greetings == nothing
    assert question["question"] == "hi, what is snomed?" and question["match"]["id"] == "snomed-ct"


def test_ask_records_what_it_cannot_answer(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = datetime.now(UTC) - timedelta(minutes=1)
    assert main(["ask", "--knowledge", str(kb), "how do I bake bread for 9999999999"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("I don't know that one yet. I've recorded the question (#1)")
    db = Database(f"sqlite:///{Path('bot.db').resolve()}")
    (row,) = answers.unanswered_between(db, before, datetime.now(UTC) + timedelta(minutes=1))
    db.dispose()
    assert (row.question, row.source) == (f"how do I bake bread for {NHS_NUMBER_MARKER}", "cli")


def test_an_empty_question_is_refused_not_recorded(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--knowledge", str(kb), "  "]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert 'the question is empty; type it after ask, e.g. golive-bot ask "what is SNOMED"' in err
    assert not Path("bot.db").exists()


def test_validate_says_ok_with_counts(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--knowledge", str(kb)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 3 entries, 0 synonym groups in 1 knowledge files")
    assert len(out.splitlines()) == 1


def test_validate_lists_every_problem_and_fails(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (kb / "more.yaml").write_text(
        "entries:\n  - id: SNOMED\n    kind: glossary\n    title: x\n    answer: y\n"
    )
    assert main(["validate", "--knowledge", str(kb)]) == 1
    lines = capsys.readouterr().out.splitlines()
    where = f"{kb / 'more.yaml'}:"
    assert lines[0].startswith(f"{where}2: SNOMED: id must be kebab-case")
    assert lines[1].startswith(f"{where}3: SNOMED: unknown kind 'glossary'")
    assert lines[-1].startswith("INVALID: 2 problem(s) in 1 file(s)")


def test_ask_refuses_an_invalid_knowledge_base_with_the_same_messages(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (kb / "terms.yaml").write_text(KB + "  - id: broken\n")
    assert main(["ask", "--knowledge", str(kb), "--json", "snomed"]) == 1
    err = capsys.readouterr().err
    assert f"{kb / 'terms.yaml'}:15: broken: missing required field 'kind'" in err


@pytest.mark.skipif(not (Path(sys.executable).parent / "golive-bot").exists(), reason="script not installed")
def test_the_installed_script_answers_json_lines(kb: Path) -> None:
    script = shutil.which("golive-bot", path=str(Path(sys.executable).parent))
    done = subprocess.run(
        [str(script), "ask", "--knowledge", str(kb), "--json"],
        input="snomed\ncnio\nwhat's for lunch\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    ids = [line["match"] and line["match"]["id"] for line in json_lines(done.stdout)]
    assert ids == ["snomed-ct", "cnio", None]


@pytest.mark.skipif(not (Path(sys.executable).parent / "golive-bot").exists(), reason="script not installed")
def test_a_reader_that_stops_early_gets_no_traceback(kb: Path, tmp_path: Path) -> None:
    """`golive-bot ask --json < questions | head -1`: the closed pipe is the reader's choice, not an error."""
    script = shutil.which("golive-bot", path=str(Path(sys.executable).parent))
    questions = tmp_path / "questions.txt"
    questions.write_text("snomed\n" * 20_000)
    with (
        questions.open("rb") as stdin,
        subprocess.Popen(
            [str(script), "ask", "--knowledge", str(kb), "--json"],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as proc,
    ):
        assert proc.stdout and proc.stderr
        assert json.loads(proc.stdout.readline())["match"]["id"] == "snomed-ct"
        proc.stdout.close()
        assert proc.wait(timeout=60) == 1
        assert proc.stderr.read() == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_named_not_a_traceback(kb: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli.main", "ask", "--knowledge", str(kb), "--json", "snomed"],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode == 1
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr
