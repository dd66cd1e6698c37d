"""Hostile and identifier-laden issue payloads end to end: stored and answered, never a 500.

Run on SQLite and, with TEST_DATABASE_URL, on PostgreSQL, whose column widths SQLite does not enforce.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_harness import RunningBot, org_config
from test_slack_issues import FORM_VIEW, NURSE, ORG, START, form, log_issue, submit

from bot.clock import ManualClock
from bot.slack import issue_blocks as ib
from bot.slack.issues import MESSAGE_SHORTCUT
from bot.store import issues as store

NUMBER = "999 000 0018"  # from the range kept for testing


@pytest.fixture
def bot(slack_bot, database_url: str) -> RunningBot:
    return slack_bot(org=ORG, database_url=database_url, clock=ManualClock(START))


def test_a_contact_and_location_full_of_nhs_numbers_are_stored_redacted_within_their_columns(bot) -> None:
    contact = "9990000018 9999999999 9990000018 9999999999 9990000018"  # 54 of the 60 characters allowed
    location = ("bay 9990000018 " * 7)[:100]
    ref = log_issue(bot, location=location, contact=contact, safety=False)
    (issue,) = store.listing(bot.services.db)
    assert issue.reference == ref and "0018" not in issue.contact + issue.location
    assert "NHS number removed" in issue.contact


def test_a_plus_one_with_an_endless_location_is_recorded_shortened_not_crashed(bot) -> None:
    ref = log_issue(bot)
    state = {"values": form(location="Emergency Department")}
    state["values"]["location_other"] = {"v": {"type": "plain_text_input", "value": "x" * 5000}}
    bot.action(ib.PLUS_ONE, ref, user="U0OTHER", view={"id": "V2", **FORM_VIEW, "state": state})
    done = bot.fake.wait_for("views.update")[0]
    assert ref in done.text
    (extra,) = store.listing(bot.services.db)[0].extra_reporters
    assert 0 < len(extra.location) <= 100


def test_a_submission_from_a_user_id_that_is_not_one_is_refused_with_a_message(bot) -> None:
    answer = bot.view_submission({"id": "V1", **FORM_VIEW}, user="U" + "X" * 300, values=form())
    assert answer.status == 200
    assert answer.json()["response_action"] == "errors"
    assert store.listing(bot.services.db) == []


def test_a_view_id_that_is_not_one_is_refused_with_a_message_not_a_500(bot) -> None:
    answer = bot.view_submission({**FORM_VIEW, "id": "V" + "9" * 400}, user=NURSE, values=form())
    assert answer.status == 200 and answer.json()["response_action"] == "errors"
    assert store.listing(bot.services.db) == []


def test_a_link_smuggled_into_private_metadata_is_not_kept_or_posted(bot) -> None:
    metadata = json.dumps({"link": "https://evil.example/login|Trust guidance", "checked": False})
    view: dict[str, Any] = {"id": "V1", "callback_id": ib.FORM, "private_metadata": metadata}
    answer = bot.view_submission(view, user=NURSE, values=form())
    assert "Logged as" in answer.body.decode()
    assert store.listing(bot.services.db)[0].source_link is None
    post = bot.fake.wait_for("chat.postMessage")[0]
    assert "evil.example" not in post.text


def test_a_slack_permalink_in_private_metadata_is_kept(bot) -> None:
    link = "https://test-trust.slack.com/archives/C0WARD3/p1700000000000100"
    view = {"id": "V1", "callback_id": ib.FORM, "private_metadata": json.dumps({"link": link})}
    bot.view_submission(view, user=NURSE, values=form())
    assert store.listing(bot.services.db)[0].source_link == link


def test_the_issues_filter_is_not_echoed_with_an_nhs_number(bot) -> None:
    bot.command(f"issues ward 3 {NUMBER}", user=NURSE)
    reply = bot.fake.wait_for("response_url")[0]
    assert "0018" not in reply.text and "No open issues" in reply.text


def test_text_slack_sent_escaped_is_prefilled_as_typed_so_the_post_is_not_escaped_twice(bot) -> None:
    bot.message_action(MESSAGE_SHORTCUT, {"text": "Dose &lt; 5mg &amp; rising", "ts": "1.2"})
    bot.command("issue pump &lt;ward 3&gt; alarms", user=NURSE)
    views = [c.params["view"] for c in bot.fake.wait_for("views.open", count=2)]
    prefilled = {b["block_id"]: b["element"].get("initial_value") for v in views for b in v["blocks"]
                 if b.get("type") == "input" and b["element"].get("initial_value")}  # fmt: skip
    assert prefilled["details"] == "Dose < 5mg & rising"
    assert "pump <ward 3> alarms" in {v["blocks"][0]["element"].get("initial_value") for v in views}


def test_the_issues_filter_is_echoed_as_typed_not_escaped_twice(bot) -> None:
    bot.command("issues ward &lt;3&gt; &amp; more", user=NURSE)
    reply = bot.fake.wait_for("response_url")[0]
    assert "ward &lt;3&gt; &amp; more" in reply.text and "&amp;lt;" not in reply.text


@pytest.fixture
def free_area_bot(slack_bot, database_url: str) -> RunningBot:
    """An organisation that lists no system areas, so the area is typed, not picked."""
    org = org_config(maintenance_team=ORG.maintenance_team, locations=ORG.locations)
    return slack_bot(org=org, database_url=database_url, clock=ManualClock(START))


def test_a_typed_system_area_is_cleaned_like_every_other_field(free_area_bot) -> None:
    log_issue(free_area_bot, area=f"pharmacy for {NUMBER}")
    post = free_area_bot.fake.wait_for("chat.postMessage")[0]
    (issue,) = store.listing(free_area_bot.services.db)
    assert "0018" not in issue.area + post.text and "NHS number removed" in issue.area


def test_a_typed_system_area_longer_than_its_column_is_refused_next_to_the_field(free_area_bot) -> None:
    answer = submit(free_area_bot, area="x" * 500)
    assert answer["response_action"] == "errors" and "area" in answer["errors"]
    assert store.listing(free_area_bot.services.db) == []
