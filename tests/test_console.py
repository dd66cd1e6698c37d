"""The local console answers exactly as Slack would, for someone with no Slack tokens at all."""

from __future__ import annotations

import io
import os
import subprocess
import time

from slack_harness import GOLIVE_BOT, bot_env
from sqlalchemy import select

from bot.slack.commands import help_blocks
from bot.slack.terminal import render
from bot.store.answers import FeedbackRow, UnansweredRow


def talk(console, *lines: str) -> str:
    bot, out, _ = console
    assert bot.loop(io.StringIO("".join(f"{line}\n" for line in lines))) == 0
    return out.getvalue()


def test_piped_questions_are_answered_and_the_console_exits(tmp_path):
    lines = "what is snomed?\n1\nwhere is the canteen\n"
    done = subprocess.run([*GOLIVE_BOT, "console"], input=lines, env=bot_env(tmp_path), cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "local console" in out and "Ctrl-D" in out  # the banner says what it is and how to leave
    assert "SNOMED CT\n=========" in out
    assert "[1] Yes, it helped   [2] No" in out
    assert "Thanks, glad it helped." in out
    assert "I don't know that one yet" in out and "[1] Pass it to the support team" in out


def test_someone_editing_the_knowledge_base_beside_the_console_sees_it_applied(tmp_path):
    """The console keeps the log to warnings, but an editor must see a fix land, not only errors."""
    env = bot_env(tmp_path)
    console = subprocess.Popen([*GOLIVE_BOT, "console"], stdin=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdout=subprocess.PIPE, env=env, cwd=tmp_path, text=True)  # fmt: skip
    try:
        assert "local console" in console.stdout.readline()  # started: the watcher has read the folder
        entries = tmp_path / "knowledge" / "entries.yaml"
        added = "  - {id: big-bang, kind: jargon, title: Big bang, answer: All at once.}\n"
        entries.write_text(entries.read_text() + added)
        os.utime(entries, ns=(time.time_ns() + 2_000_000_000,) * 2)
        time.sleep(8)  # two checks, 2 s apart, see it stop changing; a loaded machine may be slower
    finally:
        _, err = console.communicate("quit\n", timeout=30)
    assert "knowledge base reloaded" in err, err


def test_choices_press_the_same_buttons_as_slack(console):
    out = talk(console, "bau snomed", "2", "1")
    assert "[1] SNOMED CT   [2] BAU" in out
    assert "Business as usual" in out  # the chosen answer
    with console[2].db.session() as session:
        [feedback] = session.scalars(select(FeedbackRow)).all()
    assert (feedback.entry_id, feedback.helpful) == ("business-as-usual", True)


def test_none_of_these_is_a_choice_too_and_records_the_question(console):
    out = talk(console, "bau snomed", "3")
    assert "[1] SNOMED CT   [2] BAU   [3] None of these" in out
    assert "I don't know that one yet" in out and "[1] Pass it to the support team" in out
    with console[2].db.session() as session:
        assert session.scalars(select(UnansweredRow.question)).all() == ["bau snomed"]


def test_passing_a_question_on_is_recorded_and_shows_the_triage_post(console):
    out = talk(console, "where is the canteen", "1")
    assert "Passed to the support team" in out
    assert "also posted to C0TRIAGE" in out
    with console[2].db.session() as session:
        assert session.scalars(select(UnansweredRow)).one().passed_to_support


def test_help_is_the_same_as_golive_help(console):
    out = talk(console, "help")
    assert render(help_blocks(console[0]._app, console[2])).text in out
    assert "/golive help" in out


def test_greetings_and_thanks_get_what_slack_gives_and_nothing_is_recorded(console):
    out = talk(console, "hello!", "thanks", "/golive cheers", "/golive morning all", "ok", "got it")
    assert "/golive help" not in out  # a greeting is greeted back, not given the whole help
    greeting = "Hi! Ask me what a term means or how to do something on the new system, e.g. `what is BAU?`"
    assert out.count(greeting) == 2 and out.count("Say *help* to see everything I can do.") == 2
    assert out.count("You're welcome") == 4  # 'ok' and 'got it' ask nothing: no gap to record
    with console[2].db.session() as session:
        assert session.scalars(select(UnansweredRow)).all() == []


def test_a_greeting_is_greeted_back_and_a_question_after_one_is_answered(console):
    out = talk(console, "@bot hi", "hi, what is snomed?", "help")
    greeted, answered, helped = out.split("\nyou> ")[1:]
    assert greeted.splitlines()[2:] == [
        "Hi! Ask me what a term means or how to do something on the new system, e.g. `what is BAU?` or"
        " `how do I get a login?`.",
        "Say *help* to see everything I can do.",
    ]
    assert "SNOMED CT\n=========" in answered and "Say *help*" not in answered
    assert render(help_blocks(console[0]._app, console[2])).text in helped


def test_a_number_past_the_only_button_says_to_type_1(console):
    out = talk(console, "where is the canteen", "5")  # "I don't know" offers one button
    assert "There is no choice 5: type 1, or ask another question." in out


def test_a_longer_number_is_asked_as_slack_would_ask_it(console):
    """'111' may name an entry (NHS 111); only a digit or two stands for a button."""
    out = talk(console, "what is BAU", "111")
    assert "no choice" not in out and "You asked: _111_" in out


def test_a_number_without_buttons_or_out_of_range_is_explained(console):
    out = talk(console, "what is BAU", "7", "help", "1", "what is snomed", "0")
    assert "There is no choice 7: type 1 to 2" in out
    assert "There is no choice 0: type 1 to 2" in out
    assert "There is nothing to choose with 1 here: ask a question in words." in out
    with console[2].db.session() as session:
        assert session.scalars(select(UnansweredRow)).all() == []  # '1' is not a question


def test_an_nhs_number_is_removed_and_the_user_told(console):
    out = talk(console, "patient 999 000 0018 not on the ward list")
    assert "999 000 0018" not in out
    assert "only you can see this" in out and "removed 1 NHS number" in out


def test_golive_commands_that_only_read_are_answered_and_the_others_say_where_to_go(console):
    out = talk(console, "/golive status", "/golive contact maternity", "/golive issue", "/golive what is BAU")
    assert "Open issues: 0 (P1 0, P2 0, P3 0, P4 0)." in out
    assert "Who to call now for maternity:" in out and "Maternity desk* (Maternity only): ext 7" in out
    everyone = talk(console, "/golive contact")  # all are listed: one for a site says which
    assert "Maternity desk* (Maternity only): ext 7" in everyone
    elsewhere = talk(console, "/golive contact ward 99")  # no contact of its own: say so, then who covers it
    assert "Who to call now* (none is listed for ward 99 in particular):" in elsewhere
    assert "Maternity desk" not in elsewhere.split("ward 99 in particular")[1]
    assert "`/golive issue` works in Slack only" in out and "golive-bot issues list" in out
    assert "Business as usual" in out  # anything else after /golive is a question, as in Slack
    with console[2].db.session() as session:
        assert session.scalars(select(UnansweredRow)).all() == []


def test_quit_ends_the_conversation(console):
    out = talk(console, "quit", "what is BAU")
    assert "Business as usual" not in out


class Keyboard(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_ctrl_d_at_the_prompt_leaves_on_a_new_line(console):
    bot, out, _ = console
    assert bot.loop(Keyboard("what is BAU\n")) == 0  # then Ctrl-D: end of input
    assert out.getvalue().endswith("\nyou> \n")


def test_the_console_needs_no_slack_tokens(tmp_path):
    env = bot_env(tmp_path)
    assert not any(k.startswith("SLACK_") for k in env)
    done = subprocess.run([*GOLIVE_BOT, "start"], input="help\n", env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0 and "/golive help" in done.stdout
