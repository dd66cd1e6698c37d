"""Issues end to end: signed requests to the real app over HTTP, posts checked at the fake Slack Web API."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import pytest
from slack_harness import RunningBot, org_config
from sqlalchemy import text

from bot.clock import ManualClock
from bot.config import Group
from bot.issues import notices
from bot.issues.model import Action, Severity, Status
from bot.slack import issue_blocks as ib
from bot.slack.issues import MESSAGE_SHORTCUT, SHORTCUT, escalation_tick
from bot.store import issues as store
from bot.store import outbox

TEAM, CSO, NURSE, OTHER = "U0TEAM", "U0CSO", "U0NURSE", "U0OTHER"
START = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)
ORG = org_config(
    maintenance_team=Group(frozenset({TEAM})),
    clinical_safety_group=Group(frozenset({CSO})),
    on_call_usergroup="S0ONCALL",
    locations=("Ward 3 (Elderly Care)", "Emergency Department"),
    system_areas=("Printing and wristbands", "Login and access", "Other"),
)
FORM_VIEW = {"callback_id": ib.FORM, "private_metadata": json.dumps({"link": "", "checked": False})}


def form(**changes: Any) -> dict[str, Any]:
    """view.state.values as Slack sends them for the issue form."""
    fields = {"summary": "Wristband printer prints blank labels", "details": "Every label is blank since 8am",
              "location": "Ward 3 (Elderly Care)", "area": "Printing and wristbands", "severity": "P2",
              "contact": "bleep 1234", "safety": False, **changes}  # fmt: skip
    typed = {
        k: {"v": {"type": "plain_text_input", "value": fields[k]}} for k in ("summary", "details", "contact")
    }
    chosen = {k: {"v": {"type": "static_select", "selected_option": {"value": fields[k]}}}
              for k in ("location", "area", "severity")}  # fmt: skip
    safety = [{"value": "yes"}] if fields["safety"] else []
    return {**typed, **chosen, "patient_safety": {"v": {"type": "checkboxes", "selected_options": safety}}}


@pytest.fixture
def bot(slack_bot, database_url: str) -> RunningBot:
    return slack_bot(org=ORG, database_url=database_url, clock=ManualClock(START))


def submit(bot: RunningBot, view_id: str = "V1", user: str = NURSE, **changes: Any) -> dict[str, Any]:
    response = bot.view_submission({"id": view_id, **FORM_VIEW}, user=user, values=form(**changes))
    assert response.status == 200, response.body
    return response.json() if response.body else {}


def log_issue(bot: RunningBot, view_id: str = "V1", **changes: Any) -> str:
    """Submit the form and return the reference the reporter was shown."""
    answer = submit(bot, view_id, **changes)
    shown = json.dumps(answer["view"])
    return shown.split("Logged as ")[1].split(".")[0]


def triage_posts(bot: RunningBot) -> list[Any]:
    return [c for c in bot.fake.calls_to("chat.postMessage") if c.params["channel"] == "C0TRIAGE"]


def record_trigger_ids(bot: RunningBot) -> list[str]:
    """The trigger id of every request the test sends from now on, in the order sent."""
    sent: list[str] = []
    post = bot.post

    def recording(body: bytes, **kwargs: Any) -> Any:
        fields = dict(parse_qsl(body.decode()))
        sent.append((json.loads(fields["payload"]) if "payload" in fields else fields)["trigger_id"])
        return post(body, **kwargs)

    bot.post = recording  # type: ignore[method-assign]
    return sent


def test_the_command_and_both_shortcuts_open_the_form_with_the_trigger_id(bot) -> None:
    sent = record_trigger_ids(bot)
    bot.command("issue printer on ward 3 broken", user=NURSE)
    bot.shortcut(SHORTCUT, user=NURSE)
    bot.message_action(MESSAGE_SHORTCUT, {"text": "Printer jammed for patient 999 000 0018", "ts": "1.2"})
    # The three are handled concurrently, so the forms may open in any order: match them by trigger id.
    opened = {c.params["trigger_id"]: c.params["view"] for c in bot.fake.wait_for("views.open", count=3)}
    assert len(set(sent)) == 3 and set(opened) == set(sent)
    from_command, _, from_message = (opened[trigger] for trigger in sent)
    assert all(view["callback_id"] == ib.FORM for view in opened.values())
    assert from_command["blocks"][0]["element"]["initial_value"] == "printer on ward 3 broken"
    assert "999 000 0018" not in json.dumps(from_message) and "[NHS number removed]" in json.dumps(
        from_message
    )
    assert json.loads(from_message["private_metadata"])["link"].startswith("https://test-trust.slack.com/")


def test_a_message_holding_a_patient_identifier_is_logged_without_it_and_the_floorwalker_told(bot) -> None:
    """The guard kept the NHS number out of the form, but the message still shows it to the channel, and
    the floorwalker, who can get it deleted, was not told: the form now says so, never what it was."""
    bot.message_action(MESSAGE_SHORTCUT, {"text": "Bed 4 Jane Smith, NHS 999 000 0018, no band", "ts": "1.2"})
    view = bot.fake.wait_for("views.open")[0].params["view"]
    note = view["blocks"][-1]["elements"][0]["text"]
    assert note.startswith(":lock: That message holds 1 NHS number, 1 name: I left it out of this form.")
    assert "ask whoever wrote it to delete it" in note
    assert "0018" not in json.dumps(view) and "Jane" not in json.dumps(view)
    bot.message_action(MESSAGE_SHORTCUT, {"text": "Printer on ward 3 jams", "ts": "1.3"})
    clean = bot.fake.wait_for("views.open", count=2)[1].params["view"]
    assert ":lock:" not in json.dumps(clean)


def test_a_submission_is_stored_posted_to_triage_and_the_reporter_told(bot) -> None:
    ref = log_issue(bot)
    (post,) = bot.fake.wait_for("chat.postMessage", count=2)[:1]
    assert post.params["channel"] == "C0TRIAGE" and ref in post.text
    assert "Ward 3 (Elderly Care)" in post.text and "Printing and wristbands" in post.text
    buttons = [e["action_id"] for b in post.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == [ib.ACKNOWLEDGE, ib.ASSIGN, ib.RESOLVE, ib.SEVERITY]
    dm = [c for c in bot.fake.calls_to("chat.postMessage") if c.params["channel"] == NURSE]
    assert len(dm) == 1 and ref in dm[0].text
    assert [i.reference for i in store.listing(bot.services.db)] == [ref]


def test_a_report_of_symbols_slack_escapes_reaches_triage_with_its_buttons(bot) -> None:
    """'<' and '&' are sent as '&lt;' and '&amp;': a report full of them (a pasted log, or a hostile one)
    ran past the text Slack takes in one message, and the triage post went as plain text, with no
    buttons to acknowledge it from."""
    ref = log_issue(bot, summary="<<<< & >>>> " * 8, details="&<" * 1500)
    (post,) = bot.fake.wait_for("chat.postMessage", count=2)[:1]
    assert post.params["channel"] == "C0TRIAGE" and ref in post.text
    buttons = [e["action_id"] for b in post.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == [ib.ACKNOWLEDGE, ib.ASSIGN, ib.RESOLVE, ib.SEVERITY]
    assert not [c for c in bot.fake.attempts if c not in bot.fake.calls]  # none refused on the way


def test_invalid_fields_are_shown_next_to_the_field(bot) -> None:
    answer = submit(bot, summary=" ", contact="ask for me", area="Canteen")
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"summary", "contact", "area"}
    assert store.listing(bot.services.db) == []


def test_a_retried_submission_makes_one_issue_and_one_post(bot) -> None:
    first = log_issue(bot, "V7")
    again = submit(bot, "V7")
    assert first in json.dumps(again["view"]) and "Already logged" in json.dumps(again["view"])
    bot.fake.wait_for("chat.postMessage", count=2)
    bot.fake.wait_quiet()
    assert len(store.listing(bot.services.db)) == 1 and len(triage_posts(bot)) == 1


def test_a_likely_duplicate_is_offered_and_plus_one_is_recorded_on_it(bot) -> None:
    ref = log_issue(bot, "V1")
    bot.fake.wait_for("chat.postMessage", count=2)
    offer = submit(bot, "V2", user=OTHER, summary="wristband printer printing blank labels",
                   location="Emergency Department")  # fmt: skip
    assert offer["response_action"] == "update"
    view = offer["view"]
    plus_one = [
        b["accessory"] for b in view["blocks"] if b.get("accessory", {}).get("action_id") == ib.PLUS_ONE
    ]
    assert plus_one[0]["value"] == ref
    state = {"values": form(location="Emergency Department", contact="ext 2222")}
    bot.action(ib.PLUS_ONE, ref, user=OTHER, view={**view, "id": "V2", "state": state})
    done = bot.fake.wait_for("views.update")[0]
    assert ref in done.text
    (extra,) = store.listing(bot.services.db)[0].extra_reporters
    assert (extra.user_id, extra.location) == (OTHER, "Emergency Department")
    edit = bot.fake.wait_for("chat.update")[0]
    assert "Emergency Department" in edit.text and len(store.listing(bot.services.db)) == 1


def test_declining_the_duplicate_offer_logs_a_new_issue(bot) -> None:
    log_issue(bot, "V1")
    offer = submit(bot, "V2", user=OTHER, summary="wristband printer printing blank labels")
    checked = {"id": "V2", **offer["view"]}
    answer = bot.view_submission(
        checked, user=OTHER, values=form(summary="wristband printer printing blank labels")
    )
    assert "Logged as GL-0002" in answer.body.decode()


def test_buttons_move_the_status_and_update_the_post_in_place(bot) -> None:
    ref = log_issue(bot)
    post = bot.fake.wait_for("chat.postMessage", count=2)[0]
    bot.action(ib.ACKNOWLEDGE, ref, user=TEAM, channel="C0TRIAGE")
    edit = bot.fake.wait_for("chat.update")[0]
    (triage_row,) = outbox.items_for(bot.services.db, notices.TRIAGE)
    assert (edit.params["channel"], edit.params["ts"]) == (post.params["channel"], triage_row.ts)
    assert f"Acknowledged by <@{TEAM}>" in edit.text
    bot.action(ib.ASSIGN, ref, user=TEAM, channel="C0TRIAGE")
    assert f"Assigned to <@{TEAM}>" in bot.fake.wait_for("chat.update", count=2)[1].text
    told = bot.fake.wait_for("chat.postMessage", count=4)[2:]
    assert [c.params["channel"] for c in told] == [NURSE, NURSE]


def test_resolving_asks_for_a_category_and_note_and_the_reporter_can_confirm(bot) -> None:
    ref = log_issue(bot)
    bot.fake.wait_for("chat.postMessage", count=2)
    bot.action(ib.RESOLVE, ref, user=TEAM, channel="C0TRIAGE")
    modal = bot.fake.wait_for("views.open")[0].params["view"]
    assert modal["callback_id"] == ib.RESOLVE_FORM
    missing = bot.view_submission({"id": "V9", **modal}, user=TEAM, values={}).json()
    assert set(missing["errors"]) == {"category", "note"}
    values = {"category": {"v": {"type": "static_select", "selected_option": {"value": "fixed"}}},
              "note": {"v": {"type": "plain_text_input", "value": "Driver reinstalled"}}}  # fmt: skip
    assert bot.view_submission({"id": "V9", **modal}, user=TEAM, values=values).status == 200
    again = bot.view_submission({"id": "V9", **modal}, user=TEAM, values=values)  # pressed twice
    assert again.status == 200 and "errors" not in (again.json() if again.body else {})
    ask = bot.fake.wait_for("chat.postMessage", count=3)[2]
    assert ask.params["channel"] == NURSE and "Driver reinstalled" in ask.text and ib.CONFIRM in ask.text
    bot.action(ib.CONFIRM, ref, user=NURSE, channel="D0NURSE")
    bot.fake.wait_for("chat.update", count=2)
    issue = bot.services.issues.find(ref)
    assert issue.status is Status.RESOLVED and issue.confirmed_at is not None


def test_a_non_member_click_changes_nothing_and_is_told_why_privately(bot) -> None:
    ref = log_issue(bot)
    bot.fake.wait_for("chat.postMessage", count=2)
    for action_id in (ib.ACKNOWLEDGE, ib.ASSIGN, ib.RESOLVE):
        bot.action(action_id, ref, user=OTHER, channel="C0TRIAGE")
    replies = bot.fake.wait_for("response_url", count=3)
    assert all(r.params["response_type"] == "ephemeral" for r in replies)
    assert all("Only the support team can" in r.text for r in replies)
    bot.fake.wait_quiet()
    assert bot.fake.calls_to("chat.update") == [] and bot.fake.calls_to("views.open") == []
    assert bot.services.issues.find(ref).status is Status.NEW


def test_a_double_click_makes_one_transition(bot) -> None:
    ref = log_issue(bot)
    bot.fake.wait_for("chat.postMessage", count=2)
    bot.action(ib.ACKNOWLEDGE, ref, user=TEAM, channel="C0TRIAGE")
    bot.action(ib.ACKNOWLEDGE, ref, user=TEAM, channel="C0TRIAGE")
    assert "already acknowledged" in bot.fake.wait_for("response_url")[0].text
    bot.fake.wait_quiet()
    acks = [e for e in store.events(bot.services.db) if e.action is Action.ACKNOWLEDGE]
    assert len(acks) == 1 and len(bot.fake.calls_to("chat.update")) == 1


def test_a_failing_then_rate_limiting_slack_still_posts_exactly_once(bot) -> None:
    bot.fake.fail("chat.postMessage", status=500, times=2)
    bot.fake.fail("chat.postMessage", status=429, retry_after=20)
    ref = log_issue(bot)
    assert bot.services.issues.find(ref) is not None  # stored before anything reached Slack
    clock: ManualClock = bot.services.clock  # type: ignore[assignment]
    for _ in range(6):
        bot.fake.wait_quiet()
        clock.advance(seconds=30)
        bot.services.deliver_soon()
    bot.fake.wait_quiet()
    assert len(triage_posts(bot)) == 1 and ref in triage_posts(bot)[0].text


def test_a_restarted_bot_delivers_what_was_pending(slack_bot, database_url, fake_slack) -> None:
    clock = ManualClock(START)
    first = slack_bot(org=ORG, database_url=database_url, clock=clock)
    fake_slack.fail("chat.postMessage", status=500, times=2)  # the triage post and the DM both fail
    ref = log_issue(first)
    fake_slack.wait_quiet()
    assert fake_slack.calls_to("chat.postMessage") == []  # the first bot now stays idle, as if it had died
    second = slack_bot(org=ORG, database_url=database_url, clock=clock)
    clock.advance(minutes=20)
    second.services.deliver_soon()
    post = fake_slack.wait_for("chat.postMessage", count=2)[0]
    assert ref in post.text


def test_an_nhs_number_in_any_field_never_reaches_a_post_or_a_row(bot) -> None:
    ref = log_issue(bot, summary="No wristband for 999 000 0018", details="Patient 9999999999 in bed 3",
                   contact="bleep 1234 / 999-000-0018", safety=True)  # fmt: skip
    answer_note = bot.fake.wait_for("chat.postMessage", count=3)
    assert ref in answer_note[0].text
    everything = bot.fake.everything().replace(" ", "").replace("-", "")
    assert "9990000018" not in everything and "9999999999" not in everything
    with bot.services.db.engine.connect() as conn:
        rows = [str(tuple(r)) for table in ("issues", "issue_events", "outbox")
                for r in conn.execute(text(f"SELECT * FROM {table}"))]  # fmt: skip
    stored = " ".join(rows).replace(" ", "").replace("-", "")
    assert "9990000018" not in stored and "9999999999" not in stored


def test_a_patients_home_address_and_hospital_id_never_reach_a_post_or_a_row(bot) -> None:
    """A floorwalker writes where the patient lives and the ID on the PAS screen: both went to triage."""
    answer = submit(bot, summary="Transport booked to wrong home, pt ID 1234567",
                    details="Patient lives at 12 Acacia Avenue, PAS shows the old one")  # fmt: skip
    assert "1 hospital number, 1 street address" in json.dumps(answer["view"])
    bot.fake.wait_for("chat.postMessage", count=2)
    with bot.services.db.engine.connect() as conn:
        rows = [str(tuple(r)) for table in ("issues", "issue_events", "outbox")
                for r in conn.execute(text(f"SELECT * FROM {table}"))]  # fmt: skip
    for said in (bot.fake.everything(), " ".join(rows)):
        assert "Acacia" not in said and "1234567" not in said
        assert "[street address removed]" in said and "pt ID [hospital number removed]" in said


def test_the_reporter_is_told_privately_what_was_removed(bot) -> None:
    answer = submit(bot, details="Patient 9999999999 in bed 3")
    assert "1 NHS number" in json.dumps(answer["view"])


def test_a_p1_goes_to_the_safety_channel_and_is_escalated_until_acknowledged(bot) -> None:
    ref = log_issue(bot, severity="P1")
    posted = bot.fake.wait_for("chat.postMessage", count=3)
    safety = [c for c in posted if c.params["channel"] == "C0SAFETY"]
    assert len(safety) == 1 and "<!subteam^S0ONCALL>" in safety[0].text
    clock: ManualClock = bot.services.clock  # type: ignore[assignment]
    for expected in (2, 3):
        clock.advance(minutes=15)
        escalation_tick(bot.services)
        escalation_tick(bot.services)  # a second replica's tick: no second post
        bot.fake.wait_for("chat.postMessage", count=2 + expected)
        bot.fake.wait_quiet()
    to_safety = [c for c in bot.fake.calls_to("chat.postMessage") if c.params["channel"] == "C0SAFETY"]
    assert len(to_safety) == 3 and "still not acknowledged" in to_safety[2].text
    bot.action(ib.ACKNOWLEDGE, ref, user=TEAM, channel="C0SAFETY")
    bot.fake.wait_for("chat.update", count=2)  # the triage and safety posts
    clock.advance(hours=1)
    escalation_tick(bot.services)
    bot.fake.wait_quiet()
    assert len([c for c in bot.fake.calls_to("chat.postMessage") if c.params["channel"] == "C0SAFETY"]) == 3


def test_a_p1_calls_the_safety_group_and_the_team_when_the_on_call_group_has_nobody_in_it(bot) -> None:
    """Someone emptied the on-call user group at handover: the call-out mentioned it and paged nobody."""
    bot.fake.usergroups["S0ONCALL"] = []
    ref = log_issue(bot, severity="P1")
    (callout,) = [
        c for c in bot.fake.wait_for("chat.postMessage", count=3) if c.params["channel"] == "C0SAFETY"
    ]
    head = callout.params["blocks"][0]["text"]["text"]
    assert head.startswith(f"<!subteam^S0ONCALL> (nobody is in the on-call group) <@{CSO}> <@{TEAM}> ")
    assert ref in head
    clock: ManualClock = bot.services.clock  # type: ignore[assignment]
    clock.advance(minutes=15)
    escalation_tick(bot.services)
    again = bot.fake.wait_for("chat.postMessage", count=4)[-1]
    assert "still not acknowledged" in again.text and f"<@{CSO}> <@{TEAM}>" in json.dumps(
        again.params["blocks"]
    )


def test_a_p1_calls_only_the_on_call_group_when_someone_is_in_it(bot) -> None:
    bot.fake.usergroups["S0ONCALL"] = ["U0DOC"]
    log_issue(bot, severity="P1")
    (callout,) = [
        c for c in bot.fake.wait_for("chat.postMessage", count=3) if c.params["channel"] == "C0SAFETY"
    ]
    assert callout.params["blocks"][0]["text"]["text"].startswith("<!subteam^S0ONCALL> :rotating_light:")


def test_only_the_clinical_safety_group_can_resolve_a_patient_safety_issue(bot) -> None:
    ref = log_issue(bot, severity="P3", safety=True)
    bot.action(ib.RESOLVE, ref, user=TEAM, channel="C0TRIAGE")
    assert "clinical safety group" in bot.fake.wait_for("response_url")[0].text
    bot.action(ib.RESOLVE, ref, user=CSO, channel="C0TRIAGE")
    assert bot.fake.wait_for("views.open")[0].params["view"]["callback_id"] == ib.RESOLVE_FORM


def test_listing_open_issues_with_filters(bot) -> None:
    log_issue(bot, "V1", severity="P1", location="Emergency Department", summary="Cannot order bloods")
    log_issue(bot, "V2", summary="Labels print blank on every printer in the hospital", area="Other")
    bot.command("issues p1 emergency", user=TEAM)
    reply = bot.fake.wait_for("response_url")[0]
    assert reply.params["response_type"] == "ephemeral"
    assert "GL-0001" in reply.text and "GL-0002" not in reply.text


def test_app_home_shows_my_issues_and_the_open_counts(bot) -> None:
    ref = log_issue(bot, severity="P1")
    bot.send_event({"type": "app_home_opened", "user": NURSE, "channel": "D0NURSE", "tab": "home"})
    published = bot.fake.wait_for("views.publish")[0]
    assert published.params["user_id"] == NURSE
    assert ref in published.text and "Open issues: 1" in published.text


def test_app_home_says_when_it_shows_only_some_of_my_issues(bot) -> None:
    for n in range(22):
        new = store.NewIssue(f"Printer {n} jams", "Labels come out blank", "Ward 3", "Printing",
                             Severity.P3, False, "bleep 1234", NURSE)  # fmt: skip
        store.create(
            bot.services.db, new, f"view:H{n}", datetime(2027, 1, 18, 9, n, tzinfo=UTC), lambda _: []
        )
    bot.send_event({"type": "app_home_opened", "user": NURSE, "channel": "D0NURSE", "tab": "home"})
    published = bot.fake.wait_for("views.publish")[0]
    assert "…and 2 more" in published.text and "/golive issues mine" in published.text


def test_hostile_form_and_button_payloads_get_answers_not_errors(bot) -> None:
    view = {"id": "V1", "callback_id": ib.FORM, "private_metadata": '{"link": 42}'}
    values = {
        "summary": ["x"],
        "details": {"v": "text"},
        "patient_safety": "yes",
        "severity": {"v": {"selected_option": 7}},
    }
    answer = bot.view_submission(view, user=NURSE, values=values)
    assert answer.status == 200 and answer.json()["response_action"] == "errors"
    bot.action(ib.ACKNOWLEDGE, "GL-9999<!channel>", user=TEAM, channel="C0TRIAGE")
    reply = bot.fake.wait_for("response_url")[0]
    assert "There is no issue" in reply.text and "<!channel>" not in reply.text
    assert store.listing(bot.services.db) == []


def test_a_form_slack_would_not_open_is_explained_privately(bot) -> None:
    bot.fake.fail("views.open", error="expired_trigger_id")
    bot.command("issue", user=NURSE)
    reply = bot.fake.wait_for("response_url")[0]
    assert reply.params["response_type"] == "ephemeral" and "try again" in reply.text


def test_when_the_database_fails_the_form_stays_open_and_says_so_then_submits_later(bot, monkeypatch) -> None:
    report = bot.services.issues.report

    def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise OSError("connection refused")

    monkeypatch.setattr(bot.services.issues, "report", unreachable)
    answer = submit(bot)
    assert answer["response_action"] == "errors" and "send it again" in answer["errors"]["summary"]
    assert store.listing(bot.services.db) == []
    monkeypatch.setattr(bot.services.issues, "report", report)
    assert log_issue(bot).startswith("GL-")  # the same form, submitted again, is logged
