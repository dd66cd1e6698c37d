"""`/golive status` and `/golive contact` answer privately from the config and the issue log."""

from __future__ import annotations

from datetime import time

from slack_harness import org_config

from bot.clock import ManualClock
from bot.config import Contact, GoLive
from tests.test_comms_setup import local

GOLIVE = GoLive(local(2027, 1, 18, 7, 0), local(2027, 2, 12, 17, 0))
CONTACTS = (
    Contact("Command centre", "ext 4444", ("go-live",), (), time(7), time(21)),
    Contact("Night floorwalker", "bleep 1235", ("go-live",), (), time(21), time(7)),
    Contact("Maternity go-live lead", "bleep 2222", ("go-live",), ("Maternity",)),
    Contact("IT service desk (24 hours)", "ext 5555", ("maintenance",)),
)


def ask(slack_bot, words: str, when) -> str:
    bot = slack_bot(org=org_config(golive=GOLIVE, contacts=CONTACTS), clock=ManualClock(when))
    before = len(bot.fake.calls_to("response_url"))
    bot.command(words, user="U0NURSE")
    reply = bot.fake.wait_for("response_url", count=before + 1)[-1]
    assert reply.params["response_type"] == "ephemeral"
    return reply.params["text"]


def test_status_before_golive_counts_the_days_to_go(slack_bot) -> None:
    text = ask(slack_bot, "status", local(2027, 1, 4, 12, 0))
    assert "preliminary phase" in text and "14 days to go-live" in text and "Open issues: 0" in text


def test_status_during_intensive_support_counts_the_days_in(slack_bot) -> None:
    text = ask(slack_bot, "status", local(2027, 1, 20, 12, 0))
    assert "go-live (intensive support) phase" in text and "Day 3 of go-live" in text


def test_contact_at_night_during_golive_is_the_night_floorwalker(slack_bot) -> None:
    text = ask(slack_bot, "contact", local(2027, 1, 20, 23, 0))
    assert "Night floorwalker" in text and "Command centre" not in text


def test_contact_for_a_site_adds_its_own_lead(slack_bot) -> None:
    assert "Maternity go-live lead" in ask(slack_bot, "contact maternity", local(2027, 1, 20, 10, 0))
    assert "Maternity go-live lead" not in ask(slack_bot, "contact Theatres", local(2027, 1, 20, 10, 0))


def test_contact_after_intensive_support_is_the_24_hour_line(slack_bot) -> None:
    text = ask(slack_bot, "contact", local(2027, 3, 1, 3, 0))
    assert "IT service desk (24 hours)" in text and "floorwalker" not in text
