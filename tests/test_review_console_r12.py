"""Review R12: the local console as a new user meets it, piped or typed, on any terminal."""

from __future__ import annotations

import subprocess

import pytest
from slack_harness import GOLIVE_BOT, bot_env
from test_console import talk

from bot.issues.model import Draft
from bot.issues.service import Invalid


def test_a_non_utf8_terminal_gets_answers_not_a_traceback(tmp_path):
    """A server whose locale is C (ASCII): typed accents and answers with them must not crash the console."""
    lines = "Café résumé — où est la cantine?\nwhat is snomed?\n".encode()
    done = subprocess.run([*GOLIVE_BOT, "console"], input=lines, capture_output=True, timeout=60,
                          env=bot_env(tmp_path, PYTHONIOENCODING="ascii"), cwd=tmp_path)  # fmt: skip
    out = done.stdout.decode("ascii")
    assert done.returncode == 0, done.stderr.decode()
    assert "Traceback" not in done.stderr.decode()
    assert "I don't know that one yet" in out and "Caf" in out  # the odd question is answered and echoed
    assert "SNOMED CT\n=========" in out  # and the console carries on to the next line


def test_passing_a_question_on_says_nothing_was_posted_and_where_it_is(console):
    """The reply says 'Passed to the support team', but no team sees anything from a console: say so."""
    out = talk(console, "where is the canteen", "1")
    assert "Passed to the support team" in out
    note = out.split("Passed to the support team", 1)[1]
    assert "Nothing was posted" in note and "Slack is not connected" in note
    assert "golive-bot report" in note  # where the person trying it can see the question now
    assert "#golive-triage" in note or "C0TRIAGE" in note or "triage" in note


@pytest.mark.parametrize("typed", ["²", "9" * 5000, "0" * 30 + "1"])
def test_any_run_of_digits_is_answered_not_a_traceback(console, typed):
    """'²' counts as a digit to str.isdigit but not to int(), and Python refuses int() past 4,300 digits."""
    out = talk(console, "what is snomed?", typed)
    assert "SNOMED CT" in out
    last = out.rsplit("you> ", 1)[1].split("\n", 1)[1]  # the reply, after the echoed line
    assert "no choice" in last or "Did this help" in last or "don't know" in last or "Thanks" in last
    assert len(last) < 2000  # a huge number is not echoed back in full


def test_golive_issues_only_reads_so_the_console_lists_them_as_slack_would(console):
    """`/golive issues` changes nothing, so 'works in Slack only' sent a new user away for no reason."""
    services = console[2]
    draft = Draft("Printer on ward 5 prints blank labels", "Blank", "Ward 5", "Printing", "P2", "ext 1")
    assert not isinstance(services.issues.report(draft, "U0NURSE"), Invalid)
    out = talk(console, "/golive issues", "/golive issues p1", "/golive issues ward 9434765919")
    assert "works in Slack only" not in out
    assert "1 open issue" in out and "Printer on ward 5 prints blank labels" in out
    assert "No open issues matching _p1_" in out
    assert "9434765919" not in out  # filter words are echoed, so an NHS number is removed first


def test_golive_issue_says_nothing_was_logged_and_how_to_try_it(console):
    """A summary typed after `/golive issue` must not look accepted: say nothing was logged."""
    out = talk(console, "/golive issue printer on ward 5 is broken")
    reply = out.rsplit("you> ", 1)[1]
    assert "`/golive issue` works in Slack only" in reply
    assert "nothing was logged" in reply.lower() and "terminal" in reply
    assert "Creating the Slack app" in reply  # the README section that gets the form working
    assert console[2].issues.listing() == []
