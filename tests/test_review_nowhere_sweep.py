"""Review sweep: no log line, database row or Slack post may carry a valid NHS number.

One bot, every input surface fed text carrying valid NHS numbers in every shape staff type them,
then every sink dumped whole: each column of each table, each call the fake Slack received, and
each line the configured (redacting) log handler wrote at DEBUG.
"""

from __future__ import annotations

import io
import json
import logging
import re
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from slack_harness import RunningBot, org_config
from sqlalchemy import inspect, text

from bot.cli.console import Console
from bot.clock import ManualClock
from bot.config import Channels, Contact, GoLive, Group
from bot.privacy import is_valid_nhs_number
from bot.runtime import configure_logging
from bot.slack import blocks as ab
from bot.slack import issue_blocks as ib
from bot.slack.blocks import encode_value
from bot.slack.issues import MESSAGE_SHORTCUT
from tests.test_comms_setup import local

LEAD, TEAM, CSO, NURSE, OTHER = "U0COMMS", "U0TEAM", "U0CSO", "U0NURSE", "U0OTHER"
ORG = org_config(
    comms_leads=Group(frozenset({LEAD})),
    maintenance_team=Group(frozenset({TEAM})),
    clinical_safety_group=Group(frozenset({CSO})),
    channels=Channels(triage="C0TRIAGE", safety="C0SAFETY", announcements="C0ANNOUNCE"),
    golive=GoLive(local(2027, 1, 18, 7, 0), local(2027, 2, 12, 17, 0)),
    locations=("Ward 3 (Elderly Care)", "Emergency Department"),
    system_areas=("Printing and wristbands", "Login and access", "Other"),
    contacts=(Contact("Maternity desk", "ext 7", sites=("Maternity",)),),
)


def _valid_test_numbers(count: int) -> list[str]:
    """Valid NHS numbers from the 999 range kept for testing."""
    found = (f"999{n:07d}" for n in range(10_000_000))
    return [next(d for d in found if is_valid_nhs_number(d)) for _ in range(count)]


NUMBERS = _valid_test_numbers(10)
_FULL_WIDTH = str.maketrans("0123456789", "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19")


def carrying(label: str) -> str:
    """Text with a valid number at the start, spaced, dashed, run together, with no-break spaces,
    inside a word, with a thin space and at the end."""
    a, b, c, d, e, f, g, h, i, j = NUMBERS
    return (
        f"{a} {label}: patient {b[:3]} {b[3:6]} {b[6:]}, also {c[:3]}-{c[3:6]}-{c[6:]} and {d} then "
        f"{e[:3]}\u00a0{e[3:6]}\u00a0{e[6:]} in ward{f}bay, {g[:3]}\u2009{g[3:6]}\u2009{g[6:]}, "
        f"{i[:3]}\n{i[3:6]}\n{i[6:]} typed wide {j.translate(_FULL_WIDTH)} and {h}"
    )


def short(label: str) -> str:
    """Under 60 characters, for the contact and location fields: start, dashed, no-break spaced, end."""
    a, c, e, h = NUMBERS[0], NUMBERS[2], NUMBERS[4], NUMBERS[7]
    return f"{a} {label[:6]} {c[:3]}-{c[3:6]}-{c[6:]} {e[:3]}\u00a0{e[3:6]}\u00a0{e[6:]} {h}"[:60]


def one_line(label: str, most: int) -> str:
    """For a one-line field: the same numbers, the line break a space, cut to the field's length."""
    return carrying(label).replace("\n", " ")[:most]


_NOISE = re.compile(r"[\s\u00a0\u2009\-]|\\+(?:u00a0|u2009|n)")
_WIDE = re.compile(r"\\+uff1([0-9])")


def leaks(where: str, blob: str) -> list[str]:
    """The injected numbers found in `blob`, whatever spacing or escaping they came back in."""
    squashed = _NOISE.sub("", _WIDE.sub(r"\1", blob)).translate({0xFF10 + d: str(d) for d in range(10)})
    return [f"{where}: {n}" for n in NUMBERS if n in squashed]


@pytest.fixture
def logged() -> Iterator[io.StringIO]:
    """The product's own log set-up (every record through the privacy guard) at DEBUG, into a buffer."""
    root = logging.getLogger()
    saved, level, stderr = root.handlers[:], root.level, sys.stderr
    buffer = io.StringIO()
    sys.stderr = buffer
    try:
        configure_logging("DEBUG", ORG.redactor())
    finally:
        sys.stderr = stderr
    yield buffer
    root.handlers[:] = saved
    root.setLevel(level)


def _form(location_other: str = "", **changes: Any) -> dict[str, Any]:
    fields = {"summary": "Printer fault", "details": "Blank labels", "location": None,
              "area": "Printing and wristbands", "severity": "P2", "contact": "bleep 1234",
              "safety": True, **changes}  # fmt: skip
    typed = {
        k: {"v": {"type": "plain_text_input", "value": fields[k]}} for k in ("summary", "details", "contact")
    }
    typed["location_other"] = {"v": {"type": "plain_text_input", "value": location_other}}
    selected = {"value": fields["location"]} if fields["location"] else None
    chosen = {"location": {"v": {"type": "static_select", "selected_option": selected}}} | {
        k: {"v": {"type": "static_select", "selected_option": {"value": fields[k]}}}
        for k in ("area", "severity")
    }
    safety = [{"value": "yes"}] if fields["safety"] else []
    return {**typed, **chosen, "patient_safety": {"v": {"type": "checkboxes", "selected_options": safety}}}


def _announce_form(message: str) -> dict[str, Any]:
    return {
        "message": {"message": {"type": "plain_text_input", "value": message}},
        "channel": {"channel": {"type": "conversations_select", "selected_conversation": "C0ANNOUNCE"}},
        "repeat": {"repeat": {"type": "static_select", "selected_option": {"value": "once"}}},
        "at": {"at": {"type": "timepicker", "selected_time": "09:00"}},
        "start": {"start": {"type": "datepicker", "selected_date": "2027-01-05"}},
        "end": {"end": {"type": "datepicker", "selected_date": None}},
    }


def _questions(bot: RunningBot) -> None:
    bot.mention(carrying("mention"))
    bot.mention(carrying("mention what is snomed"))
    bot.dm(carrying("dm"))
    bot.dm(carrying("dm floorwalker"))
    for command in ("", "issues ", "contact "):
        bot.command(command + carrying(f"command {command}"))
    bot.fake.wait_quiet()
    for call in bot.fake.calls_to("chat.postMessage") + bot.fake.calls_to("response_url"):
        for block in call.params.get("blocks") or []:
            for element in block.get("elements") or []:
                if element.get("type") == "button":
                    bot.action(element["action_id"], element["value"], user=OTHER)
    # Forged button values, as a hostile payload would send them: the question rides in the value.
    bot.action(ab.PASS_TO_SUPPORT, encode_value(u=1, q=carrying("forged pass")), user=OTHER)
    bot.action(ab.PASS_TO_SUPPORT, encode_value(u=999, q=carrying("forged gone")), user=OTHER)
    bot.action(ab.HELPFUL, carrying("forged helpful"), user=OTHER)
    bot.action(ab.NOT_HELPFUL, encode_value(e="snomed-ct", q=carrying("forged no")), user=OTHER)


def _issues(bot: RunningBot) -> None:
    meta = {"callback_id": ib.FORM, "private_metadata": json.dumps({"link": "", "checked": False})}
    bot.message_action(MESSAGE_SHORTCUT, {"text": carrying("shortcut"), "ts": "1.2", "user": NURSE})
    bot.command("issue " + carrying("issue command"), user=NURSE)
    values = _form(one_line("other place", 100), summary=one_line("summary", 150),
                   details=carrying("details"), contact=short("contact"))  # fmt: skip
    first = bot.view_submission({"id": "V1", **meta}, user=NURSE, values=values).json()
    assert "Logged as " in json.dumps(first), first
    ref = json.dumps(first).split("Logged as ")[1].split(".")[0]
    offer = bot.view_submission({"id": "V2", **meta}, user=OTHER, values=values).json()
    state = {"values": _form(one_line("plus one place", 100), contact=short("plus"))}
    if offer.get("response_action") == "update":
        bot.action(ib.PLUS_ONE, ref, user=OTHER, view={**offer["view"], "id": "V2", "state": state})
    bot.action(ib.ACKNOWLEDGE, ref, user=CSO, channel="C0SAFETY")
    bot.action(ib.RESOLVE, ref, user=CSO, channel="C0SAFETY")
    modal = bot.fake.wait_for("views.open", count=3)[-1].params["view"]
    note = {"category": {"v": {"type": "static_select", "selected_option": {"value": "fixed"}}},
            "note": {"v": {"type": "plain_text_input", "value": carrying("resolve note")[:500]}}}  # fmt: skip
    bot.view_submission({"id": "V9", **modal}, user=CSO, values=note)
    bot.fake.wait_quiet()
    bot.action(ib.REOPEN, ref, user=NURSE, channel="D0NURSE")
    bot.action(ib.REOPEN, carrying("forged reopen"), user=NURSE, channel="D0NURSE")
    bot.command("issues " + carrying("filters"), user=TEAM)


def _announcement(bot: RunningBot) -> None:
    bot.command("announce", user=LEAD)
    preview = bot.view_submission(
        {"callback_id": "announce_compose"}, user=LEAD, values=_announce_form(carrying("announce"))
    ).json()
    bot.view_submission(preview["view"], user=LEAD)
    bot.fake.wait_quiet()
    bot.services.clock.set(local(2027, 1, 5, 9, 0, 20))
    bot.services.comms.tick()
    bot.services.deliver_soon()


def _console(bot: RunningBot) -> str:
    out = io.StringIO()
    lines = [carrying("console"), "1", "/golive " + carrying("console q"), "/golive issues " + carrying("c"),
             "/golive contact " + carrying("console site"), carrying("snomed"), "1"]  # fmt: skip
    Console(bot.services, out).loop(io.StringIO("".join(f"{line}\n" for line in lines)))
    return out.getvalue()


def _every_row(bot: RunningBot) -> list[str]:
    engine = bot.services.db.engine
    found = []
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                blob = json.dumps([v for v in row], default=str, ensure_ascii=False)
                found += leaks(f"table {table}", blob)
    return found


def test_no_valid_nhs_number_reaches_a_row_a_slack_call_or_a_log_line(
    slack_bot, database_url, logged
) -> None:
    bot = slack_bot(org=ORG, database_url=database_url, clock=ManualClock(local(2027, 1, 4, 8, 0)))
    answered: list[bytes] = []  # what the bot answered Slack's requests with: views, errors, acks
    post = bot.post
    bot.post = lambda *args, **kwargs: answered.append((r := post(*args, **kwargs)).body) or r  # type: ignore
    _questions(bot)
    _issues(bot)
    _announcement(bot)
    shown = _console(bot)
    bot.fake.wait_quiet()
    posted_to = {c.params.get("channel") for c in bot.fake.calls_to("chat.postMessage")}
    assert {"C0TRIAGE", "C0SAFETY", "C0ANNOUNCE", NURSE} <= posted_to  # the sweep reached every sink
    assert "[NHS number removed]" in bot.fake.everything()
    found = _every_row(bot) + leaks("console", shown) + leaks("log", logged.getvalue())
    found += leaks("answer to Slack", "\n".join(body.decode() for body in answered))
    for call in bot.fake.attempts + bot.fake.calls:
        found += leaks(f"slack {call.method}", call.text + call.path)
    assert found == []
