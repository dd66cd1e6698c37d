"""Comms leads schedule announcements from Slack; everyone else is told privately and nothing is stored."""

from __future__ import annotations

import json

from slack_harness import org_config

from bot.cli.main import main
from bot.clock import ManualClock
from bot.config import Channels, GoLive, Group
from bot.store import comms as store
from tests.test_comms_setup import local

LEAD = "U0COMMS"
CHANNELS = Channels(triage="C0TRIAGE", safety="C0SAFETY", announcements="C0ANNOUNCE")
GOLIVE = GoLive(local(2027, 1, 18, 7, 0), local(2027, 2, 12, 17, 0))


def start(slack_bot, **changes):
    config = org_config(comms_leads=Group(frozenset({LEAD})), channels=CHANNELS, golive=GOLIVE, **changes)
    return slack_bot(org=config, clock=ManualClock(local(2027, 1, 4, 8, 0)))


def form(message: str, *, channel: str = "C0ANNOUNCE", repeat: str = "once", at: str = "09:00",
         start: str = "2027-01-05", end: str | None = None) -> dict:  # fmt: skip
    """view.state.values as Slack sends them for the announce form."""
    return {
        "message": {"message": {"type": "plain_text_input", "value": message}},
        "channel": {"channel": {"type": "conversations_select", "selected_conversation": channel}},
        "repeat": {"repeat": {"type": "static_select", "selected_option": {"value": repeat}}},
        "at": {"at": {"type": "timepicker", "selected_time": at}},
        "start": {"start": {"type": "datepicker", "selected_date": start}},
        "end": {"end": {"type": "datepicker", "selected_date": end}},
    }


def test_a_non_comms_lead_is_refused_privately_and_nothing_is_scheduled(slack_bot) -> None:
    bot = start(slack_bot)
    assert bot.command("announce", user="U0NURSE").status == 200
    [reply] = bot.fake.wait_for("response_url")
    assert reply.params["response_type"] == "ephemeral"
    assert "for comms leads" in reply.params["text"]
    submitted = bot.view_submission({"callback_id": "announce_compose"}, user="U0NURSE", values=form("Hi"))
    assert submitted.status == 200 and "for comms leads" in json.dumps(submitted.json())
    bot.fake.wait_quiet()
    assert bot.fake.calls_to("views.open") == []
    assert store.active_announcements(bot.services.db, "slack") == []


def test_a_comms_lead_sees_a_preview_with_figures_then_schedules_it(slack_bot) -> None:
    bot = start(slack_bot)
    bot.command("announce", user=LEAD, channel="C0ANNOUNCE")
    [opened] = bot.fake.wait_for("views.open")
    view = (
        json.loads(opened.params["view"]) if isinstance(opened.params["view"], str) else opened.params["view"]
    )
    assert view["callback_id"] == "announce_compose" and opened.params["trigger_id"].startswith("trigger-")

    preview = bot.view_submission(
        view, user=LEAD, values=form("*{days_to_golive} days to go* <!channel>")
    ).json()
    assert preview["response_action"] == "push"
    shown = json.dumps(preview["view"]["blocks"])  # what the lead sees; private_metadata is never shown
    assert "14 days to go" in shown and "<!channel>" not in shown
    assert store.active_announcements(bot.services.db, "slack") == []  # nothing stored before confirming

    assert bot.view_submission(preview["view"], user=LEAD).json() == {"response_action": "clear"}
    [stored] = store.active_announcements(bot.services.db, "slack")
    assert stored.announcement.at == local(2027, 1, 5, 9, 0)
    assert stored.announcement.channels == ("C0ANNOUNCE",)
    [confirmation] = bot.fake.wait_for("chat.postMessage")
    assert confirmation.params["channel"] == LEAD
    named = "“*{days_to_golive} days to go* &lt;!channel&gt;”"  # by its words, not its id, and inert
    assert named in confirmation.params["text"]


def test_the_form_says_what_is_wrong_next_to_each_field(slack_bot) -> None:
    bot = start(slack_bot)
    values = form("{no_such_thing}", repeat="daily", start="2027-01-10", end="2027-01-05")
    answer = bot.view_submission({"callback_id": "announce_compose"}, user=LEAD, values=values).json()
    assert answer["response_action"] == "errors"
    assert "{no_such_thing}" in answer["errors"]["message"]
    assert "last day" in answer["errors"]["end"]
    past = bot.view_submission(
        {"callback_id": "announce_compose"}, user=LEAD, values=form("Hi", start="2027-01-03")
    )
    assert "passed" in past.json()["errors"]["at"]


def test_a_hostile_submission_is_answered_with_errors_not_a_crash(slack_bot) -> None:
    bot = start(slack_bot)
    odd = {"message": {"message": {"value": ["not", "text"]}}, "repeat": "weekly", "at": {"at": 9}}
    answer = bot.view_submission({"callback_id": "announce_compose"}, user=LEAD, values=odd)
    assert answer.status == 200 and answer.json()["response_action"] == "errors"
    metadata = bot.view_submission(
        {"callback_id": "announce_confirm", "private_metadata": "{nope"}, user=LEAD
    )
    assert metadata.status == 200 and metadata.json()["response_action"] == "update"
    assert store.active_announcements(bot.services.db, "slack") == []


def test_a_submission_whose_state_is_not_an_object_is_answered_with_errors_not_a_crash(slack_bot) -> None:
    bot = start(slack_bot)
    view = {"id": "V0", "type": "modal", "callback_id": "announce_compose", "state": "forged"}
    answer = bot.interactive(
        {"type": "view_submission", "user": {"id": LEAD}, "trigger_id": "t1", "view": view}
    )
    assert answer.status == 200 and answer.json()["response_action"] == "errors"
    assert store.active_announcements(bot.services.db, "slack") == []


def test_an_nhs_number_in_a_message_is_removed_and_the_lead_is_told(slack_bot) -> None:
    bot = start(slack_bot)
    values = form("Patient 999 000 0018 moved to Ward 3")
    preview = bot.view_submission({"callback_id": "announce_compose"}, user=LEAD, values=values).json()
    shown = json.dumps(preview["view"])
    assert (
        "999 000 0018" not in shown and "[NHS number removed]" in shown and "I removed 1 NHS number" in shown
    )
    bot.view_submission(preview["view"], user=LEAD)
    [stored] = store.active_announcements(bot.services.db, "slack")
    assert "0018" not in stored.announcement.text


def test_announcements_are_listed_and_a_lead_can_cancel_one_made_in_slack(slack_bot) -> None:
    bot = start(slack_bot)
    preview = bot.view_submission({"callback_id": "announce_compose"}, user=LEAD,
                                  values=form("Daily huddle", repeat="daily")).json()  # fmt: skip
    bot.view_submission(preview["view"], user=LEAD)
    [stored] = store.active_announcements(bot.services.db, "slack")
    ident = stored.announcement.id

    bot.command("announcements", user=LEAD)
    [listing] = bot.fake.wait_for("response_url")
    assert "*Daily huddle* → <#C0ANNOUNCE>" in listing.text  # known by its words, not its id
    assert "daily at 09:00" in listing.text and "announcement_cancel" in listing.text

    bot.action("announcement_cancel", ident, user="U0NURSE")
    bot.fake.wait_for("response_url", count=2)
    assert store.active_announcements(bot.services.db, "slack") != []  # a non-lead's click changes nothing

    bot.action("announcement_cancel", ident, user=LEAD)
    replies = bot.fake.wait_for("response_url", count=3)
    assert "Cancelled “Daily huddle”" in replies[-1].params["text"]  # named as the lead knows it
    assert store.active_announcements(bot.services.db, "slack") == []


def schedule_from_slack(bot, message: str, **fields) -> str:
    preview = bot.view_submission(
        {"callback_id": "announce_compose"}, user=LEAD, values=form(message, **fields)
    )
    bot.view_submission(preview.json()["view"], user=LEAD)
    [stored] = store.active_announcements(bot.services.db, "slack")
    return stored.announcement.id


def test_an_announcement_made_in_slack_is_posted_when_due_with_the_figures_of_that_moment(slack_bot) -> None:
    bot = start(slack_bot)
    schedule_from_slack(bot, "*{days_to_golive} days to go*, {open_issues} open issues", start="2027-01-11")
    bot.fake.wait_for("chat.postMessage")  # the confirmation to the lead
    bot.services.clock.set(local(2027, 1, 11, 9, 0, 20))
    assert bot.services.comms.tick().posted == 1
    bot.services.deliver_soon()
    posts = bot.fake.wait_for("chat.postMessage", count=2)
    assert posts[1].params["channel"] == "C0ANNOUNCE"
    assert posts[1].params["text"] == "*7 days to go*, 0 open issues"
    assert bot.services.comms.tick().posted == 0


def test_announcements_made_in_slack_survive_a_restart_and_are_in_the_schedule_listing(
    slack_bot, tmp_path, monkeypatch, capsys
) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    config = org_config(comms_leads=Group(frozenset({LEAD})), channels=CHANNELS, golive=GOLIVE)
    first = slack_bot(org=config, clock=ManualClock(local(2027, 1, 4, 8, 0)), database_url=url)
    ident = schedule_from_slack(first, "Weekly huddle", repeat="weekly", start="2027-01-06")
    first.server.stop()
    first.services.close()

    again = slack_bot(org=config, clock=ManualClock(local(2027, 1, 4, 8, 0)), database_url=url)
    assert [s.announcement.id for s in store.active_announcements(again.services.db, "slack")] == [ident]
    monkeypatch.setenv("DATABASE_URL", url)
    plan = tmp_path / "plan"
    plan.mkdir()
    assert main(["--schedules", str(plan), "schedule", "--from", "2027-01-05", "--days", "14"]) == 0
    listed = [line for line in capsys.readouterr().out.splitlines() if ident in line]
    assert [line[:21] for line in listed] == ["Wed 06 Jan 2027 09:00", "Wed 13 Jan 2027 09:00"]


def test_a_form_that_slack_could_not_open_is_explained(slack_bot) -> None:
    bot = start(slack_bot)
    bot.fake.fail("views.open", error="expired_trigger_id")
    bot.command("announce", user=LEAD)
    [reply] = bot.fake.wait_for("response_url")
    assert "run `/golive announce` again" in reply.params["text"]


def test_a_double_click_on_schedule_saves_one_announcement(slack_bot) -> None:
    bot = start(slack_bot)
    values = form("Huddle at ten", repeat="daily")
    preview = bot.view_submission({"callback_id": "announce_compose"}, user=LEAD, values=values).json()
    confirm = {**preview["view"], "id": "V0PREVIEW"}
    for _ in range(2):
        assert bot.view_submission(confirm, user=LEAD).json() == {"response_action": "clear"}
    assert len(store.active_announcements(bot.services.db, "slack")) == 1
    bot.fake.wait_quiet()
    assert len(bot.fake.calls_to("chat.postMessage")) == 1  # one confirmation, for the one saved


def test_an_announcement_due_within_seconds_of_being_scheduled_wakes_the_scheduler(slack_bot) -> None:
    bot = start(slack_bot)
    bot.services.clock.set(local(2027, 1, 5, 8, 59, 50))
    schedule_from_slack(bot, "Briefing at nine", start="2027-01-05", at="09:00")
    bot.fake.wait_for("chat.postMessage")  # the lead's confirmation comes after the plan is re-read
    assert bot.services.background.next_wake("comms-schedule") == local(2027, 1, 5, 9, 0)


def previewed(bot, message: str) -> dict:
    """The preview a comms lead is shown for `message`, as Slack sends it back when Schedule is pressed."""
    preview = bot.view_submission({"callback_id": "announce_compose"}, user=LEAD, values=form(message)).json()
    return {**preview["view"], "id": "V0PREVIEW"}


def test_a_database_failure_on_schedule_says_so_keeps_the_message_and_a_new_press_can_store_it(
    slack_bot, monkeypatch
) -> None:
    bot = start(slack_bot)
    confirm = previewed(bot, "Huddle at ten")
    add = bot.services.comms.add
    monkeypatch.setattr(bot.services.comms, "add", lambda a: (_ for _ in ()).throw(OSError("database gone")))
    failed = bot.view_submission(confirm, user=LEAD)
    assert failed.status == 200, "never a 500"
    shown = json.dumps(failed.json()["view"])
    assert "Not scheduled" in shown and "Huddle at ten" in shown
    monkeypatch.setattr(bot.services.comms, "add", add)
    assert bot.view_submission(confirm, user=LEAD).json() == {"response_action": "clear"}
    assert len(store.active_announcements(bot.services.db, "slack")) == 1


def test_a_schedule_slower_than_slack_waits_says_it_is_still_saving_and_is_stored(
    slack_bot, monkeypatch, slow_forms
) -> None:
    bot = start(slack_bot)
    confirm = previewed(bot, "Huddle at ten")
    go, add = slow_forms(), bot.services.comms.add
    monkeypatch.setattr(bot.services.comms, "add", lambda a: (go.wait(5), add(a)))
    answer = bot.view_submission(confirm, user=LEAD).json()
    assert answer["response_action"] == "update" and "Still saving" in json.dumps(answer["view"])
    go.set()
    [confirmation] = bot.fake.wait_for("chat.postMessage")  # the work went on and told the lead
    assert confirmation.params["channel"] == LEAD
    assert len(store.active_announcements(bot.services.db, "slack")) == 1


def test_a_confirmation_that_cannot_reach_the_lead_still_closes_the_form_with_it_scheduled(slack_bot) -> None:
    bot = start(slack_bot)
    confirm = previewed(bot, "Huddle at ten")
    bot.fake.fail("chat.postMessage", error="channel_not_found")
    answer = bot.view_submission(confirm, user=LEAD)
    assert answer.status == 200 and answer.json() == {"response_action": "clear"}
    assert len(store.active_announcements(bot.services.db, "slack")) == 1


def test_a_schedule_that_fails_after_the_form_said_still_saving_is_told_to_the_lead(
    slack_bot, monkeypatch, slow_forms
) -> None:
    bot = start(slack_bot)
    confirm = previewed(bot, "Huddle at ten")
    go = slow_forms()

    def slow_failure(_: object) -> None:
        go.wait(5)
        raise OSError("database gone")

    monkeypatch.setattr(bot.services.comms, "add", slow_failure)
    assert "Still saving" in json.dumps(bot.view_submission(confirm, user=LEAD).json())
    go.set()
    [told] = bot.fake.wait_for("chat.postMessage")
    assert told.params["channel"] == LEAD and "Huddle at ten" in json.dumps(told.params["blocks"])
