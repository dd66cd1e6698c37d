"""Every Block Kit builder, fed the longest and most hostile real-world text, stays within Slack's limits.

Slack refuses a whole message or view (`invalid_blocks`) for one part over its limit, so a reply,
triage post or form that breaks one is lost. `problems` checks a payload against the documented
limits; the tests build each surface from extreme inputs and assert it finds nothing.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from fake_slack import BLOCKS_TEXT_LIMIT, text_in

from bot.answering.model import Candidate, Entry
from bot.config import OrgConfig
from bot.issues.duplicates import Likely
from bot.issues.model import (
    AREA_MAX,
    CONTACT_MAX,
    DETAILS_MAX,
    LOCATION_MAX,
    NOTE_MAX,
    SUMMARY_MAX,
    Draft,
    Issue,
    Reporter,
    Resolution,
    Severity,
    Status,
)
from bot.slack import blocks as b
from bot.slack import issue_blocks as ib
from bot.slack.terminal import mrkdwn_to_text, render

LINK = "https://trust.slack.com/archives/C0WARD/p1700000000000100"
LOGGED = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)
HOSTILE = "<!here> <@U0BOSS> *b* _i_ ~s~ `c` > &amp; <https://evil.example|NHS login> 😀 "

# Slack's documented limits.
_MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}


def _plain_len(obj: Any, limit: int, where: str) -> list[str]:
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return [f"{where}: not a text object"]
    n = len(obj["text"])
    return [f"{where}: {n} characters (limit {limit})"] if n > limit or n == 0 else []


def _option_problems(opt: dict[str, Any], where: str) -> list[str]:
    found = _plain_len(opt.get("text"), 75, f"{where} text")
    if not 0 < len(str(opt.get("value", ""))) <= 150:
        found.append(f"{where} value of {len(str(opt.get('value', '')))}")
    return found


def _element_problems(el: dict[str, Any], where: str) -> list[str]:
    found: list[str] = []
    kind = el.get("type")
    if len(el.get("action_id", "")) > 255:
        found.append(f"{where}: action_id too long")
    if kind == "button":
        found += _plain_len(el.get("text"), 75, f"{where} button text")
        if len(str(el.get("value", ""))) > 2000:
            found.append(f"{where}: button value of {len(el['value'])}")
    if kind in ("static_select", "radio_buttons", "checkboxes"):
        options = el.get("options") or []
        groups = el.get("option_groups") or []
        top = 10 if kind != "static_select" else 100
        if len(options) > top or len(groups) > 100:
            found.append(f"{where}: {len(options)} options, {len(groups)} groups")
        for g in groups:
            found += _plain_len(g.get("label"), 75, f"{where} group label")
            if len(g.get("options") or []) > 100:
                found.append(f"{where}: a group of {len(g['options'])}")
        every = options + [o for g in groups for o in g.get("options") or []]
        for o in every:
            found += _option_problems(o, where)
        values = [o.get("value") for o in every]
        if len(values) != len(set(values)):
            found.append(f"{where}: duplicate option values")
        for key in ("initial_option",):
            if key in el and el[key] not in every:
                found.append(f"{where}: initial option is not one of the options")
    if kind == "overflow":  # a menu of two to five options, no more
        options = el.get("options") or []
        if not 2 <= len(options) <= 5:
            found.append(f"{where}: an overflow of {len(options)} options")
        for o in options:
            found += _option_problems(o, where)
    if kind == "plain_text_input":
        limit = el.get("max_length", 3000)
        if limit > 3000 or len(el.get("initial_value", "")) > limit:
            found.append(f"{where}: plain_text_input lengths")
    if "placeholder" in el:
        found += _plain_len(el["placeholder"], 150, f"{where} placeholder")
    return found


def _block_problems(block: dict[str, Any], where: str) -> list[str]:
    found: list[str] = []
    kind = block.get("type")
    if kind == "section":
        if "text" not in block and not block.get("fields"):
            found.append(f"{where}: a section needs text or fields")
        if "text" in block:
            found += _plain_len(block["text"], 3000, f"{where} text")
        fields = block.get("fields") or []
        if len(fields) > 10:
            found.append(f"{where}: {len(fields)} fields")
        for f in fields:
            found += _plain_len(f, 2000, f"{where} field")
        if "accessory" in block:
            found += _element_problems(block["accessory"], f"{where} accessory")
    elif kind == "header":
        found += _plain_len(block.get("text"), 150, f"{where} header")
        if block.get("text", {}).get("type") != "plain_text":
            found.append(f"{where}: a header is plain_text")
    elif kind == "context":
        elements = block.get("elements") or []
        if not 0 < len(elements) <= 10:
            found.append(f"{where}: {len(elements)} context elements")
        for e in elements:
            found += _plain_len(e, 3000, f"{where} context")
    elif kind == "actions":
        elements = block.get("elements") or []
        if not 0 < len(elements) <= 25:
            found.append(f"{where}: {len(elements)} actions")
        ids = [e.get("action_id") for e in elements]
        if len(ids) != len(set(ids)):
            found.append(f"{where}: duplicate action ids")
        for e in elements:
            found += _element_problems(e, where)
    elif kind == "input":
        found += _plain_len(block.get("label"), 2000, f"{where} label")
        if "hint" in block:
            found += _plain_len(block["hint"], 2000, f"{where} hint")
        found += _element_problems(block.get("element") or {}, where)
    elif kind != "divider":
        found.append(f"{where}: unknown block type {kind}")
    return found


def problems(
    blocks: list[dict[str, Any]], surface: str = "message", view: dict[str, Any] | None = None
) -> list[str]:
    """Every part of the blocks (and view) Slack would refuse, described; [] when it would take them."""
    found = [f"{len(blocks)} blocks"] if not 0 < len(blocks) <= _MAX_BLOCKS[surface] else []
    if surface == "message" and (total := text_in(blocks)) > BLOCKS_TEXT_LIMIT:
        found.append(f"{total:,} characters of text in all (msg_blocks_too_long)")
    ids = [blk["block_id"] for blk in blocks if "block_id" in blk]
    if len(ids) != len(set(ids)) or any(len(i) > 255 for i in ids):
        found.append("block ids")
    for n, block in enumerate(blocks):
        found += _block_problems(block, f"block {n}")
    if view is not None:
        for key in ("title", "submit", "close"):
            if key in view:
                found += _plain_len(view[key], 24, f"view {key}")
        if len(view.get("private_metadata", "")) > 3000:
            found.append("private_metadata")
    return found


def check_view(view: dict[str, Any]) -> list[str]:
    return problems(view["blocks"], view["type"], view)


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    """Every mrkdwn string in the blocks."""
    out: list[str] = []
    for block in blocks:
        for t in [block.get("text"), *block.get("fields", []), *block.get("elements", [])]:
            if isinstance(t, dict) and t.get("type") == "mrkdwn":
                out.append(t["text"])
    return out


def pings(blocks: list[dict[str, Any]]) -> list[str]:
    """Mentions and links in the mrkdwn that nobody but the bot should write."""
    return [
        m for t in texts(blocks) for m in re.findall(r"<(?:!here|!channel|!everyone|@U0BOSS|https://evil)", t)
    ]


# -- answers ----------------------------------------------------------------------------------------


def entry(title: str = "EPR", answer: str = "An *electronic patient record*.") -> Entry:
    return Entry(id="epr", kind="jargon", title=title, answer=answer)


def test_hostile_fixture_checks_itself() -> None:
    assert problems([{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}])
    assert problems([b.text_section("")]) and problems([b.text_section("ok")] * 51)
    assert pings([b.text_section(HOSTILE)])


@pytest.mark.parametrize("question", [HOSTILE * 200, "&" * 5000, "x&" * 2000, "😀" * 3000, "\n" * 3000])
def test_every_reply_to_a_question_fits_and_stays_inert(question: str) -> None:
    long = entry(title="T" * 400, answer="word " * 2000)
    candidates = tuple(Candidate(entry(title=f"{i}" * 500), 60.0) for i in range(3))
    built = [
        b.answer_blocks(long, question),
        b.feedback_thanks_blocks(long, True),
        b.suggestion_blocks(candidates, question),
        b.not_known_blocks(12, question),
        b.passed_on_blocks(question, True),
        b.triage_question_blocks(question, "U0ASK", "U0PASS"),
    ]
    for blocks in built:
        assert problems(blocks) == [] and pings(blocks) == [] and whole_entities(blocks)
        render(blocks)


def whole_entities(blocks: list[dict[str, Any]]) -> bool:
    """No entity cut short ('&am…'), which Slack would show as a stray '&'."""
    return not any(re.search(r"&(?!amp;|lt;|gt;)", t) for t in texts(blocks))


# -- issues ----------------------------------------------------------------------------------------


def longest(unit: str, limit: int) -> str:
    return (unit * limit)[:limit]


def issue(unit: str = HOSTILE, n: int = 7, status: Status = Status.RESOLVED) -> Issue:
    reporters = tuple(
        Reporter(f"U0PLUS{i}", longest(unit, LOCATION_MAX), longest(unit, CONTACT_MAX), LOGGED)
        for i in range(40)
    )
    return Issue(
        id=n, summary=longest(unit, SUMMARY_MAX), details=longest(unit, DETAILS_MAX),
        location=longest(unit, LOCATION_MAX), area=longest(unit, AREA_MAX), severity=Severity.P1,
        patient_safety=True, contact=longest(unit, CONTACT_MAX), reporter_id="U0NURSE", status=status,
        created_at=LOGGED, updated_at=LOGGED, resolved_by="U0CSO", resolution=Resolution.FIXED,
        resolution_note=longest(unit, NOTE_MAX), acknowledged_at=LOGGED, acknowledged_by="U0ACK",
        source_link=LINK, extra_reporters=reporters,
    )  # fmt: skip


def _buttons_of(blocks: list[dict]) -> list[str]:
    return [e["action_id"] for blk in blocks if blk["type"] == "actions" for e in blk["elements"]]


ACTIONS = ("reported", "acknowledge", "assign", "resolve", "reopen", "confirm", "odd")
UNITS = [HOSTILE, "&", "<", "\n", "😀", "*_~`>"]
BIG_ORG = OrgConfig(
    on_call_usergroup="S0ONCALL",
    locations=tuple(f"Ward {i} " + "long name " * 30 for i in range(350)),
    system_areas=tuple(f"Area {i} " + HOSTILE * 3 for i in range(120)),
)


@pytest.mark.parametrize("unit", UNITS)
def test_every_issue_post_fits_and_stays_inert(unit: str) -> None:
    worst = issue(unit)
    built = [
        ib.triage_blocks(worst),
        ib.safety_blocks(worst, BIG_ORG),
        ib.reopened_blocks(worst, BIG_ORG, "U0BY"),
        ib.escalation_blocks(worst, BIG_ORG, 30),
        ib.list_blocks([issue(unit, i, Status.NEW) for i in range(500)], HOSTILE * 50),
        *(ib.notice_blocks(worst, action, "U0BY", person) for action in ACTIONS for person in (None, "U0X")),
    ]
    for whole in built:
        blocks = b.within_message_limit(whole)  # as delivery and replies send them
        assert problems(blocks) == [] and pings(blocks) == []
        assert _buttons_of(blocks) == _buttons_of(whole)  # still there to act on
        render(blocks)
    assert len(ib.issue_text(worst)) <= 4000


@pytest.mark.parametrize("unit", UNITS)
def test_every_issue_view_fits(unit: str) -> None:
    worst = issue(unit, n=123456789)
    draft = Draft(worst.summary, worst.details, worst.location, worst.area, "P1", worst.contact, True)
    likely = [Likely(issue(unit, i, Status.NEW), 0.9) for i in range(3)]
    views = [
        ib.form_view(BIG_ORG, draft, LINK, likely, unit * 500),
        ib.form_view(OrgConfig(), draft),
        ib.logged_view(worst, True, None, BIG_ORG),
        ib.resolve_view(worst),
        ib.home_view([issue(unit, i, Status.NEW) for i in range(20)], {s: 10**6 for s in Severity}, 10**6),
    ]
    for view in views:
        assert check_view(view) == [] and pings(view["blocks"]) == []
        render(view["blocks"])


def test_the_console_shows_fields_and_a_sections_button_instead_of_crashing() -> None:
    triage = render(ib.triage_blocks(issue("ward 7 ", status=Status.NEW)))
    assert "Location" in triage.text and "Reported by" in triage.text
    assert [x.label for x in triage.buttons] == ["Acknowledge", "Assign to me", "Resolve", "Change severity"]
    likely = [Likely(issue("x", status=Status.NEW), 90.0)]
    offer = render(ib.form_view(OrgConfig(), None, likely=likely)["blocks"])
    assert [(x.label, x.value) for x in offer.buttons] == [("Same problem: add me", "GL-0007")]
    odd = render([{"type": "section"}, {"type": "context", "elements": [{"type": "image"}]}, {"type": "x"}])
    assert odd.buttons == ()


def test_the_console_shows_a_labelled_email_or_phone_link_as_words_not_markup() -> None:
    shown = mrkdwn_to_text(
        "Email <mailto:sd@nhs.net|the service desk> or ring <tel:01234567890|01234 567890>"
    )
    assert shown == "Email the service desk (sd@nhs.net) or ring 01234 567890 (01234567890)"
    assert mrkdwn_to_text("<mailto:sd@nhs.net|sd@nhs.net>") == "sd@nhs.net"


def test_a_ward_listed_twice_in_the_config_is_offered_once() -> None:
    org = OrgConfig(locations=("Ward 1", "Ward 2", "Ward 1"), system_areas=("Pharmacy", "Pharmacy"))
    view = ib.form_view(org, Draft("", "", "Ward 1", "Pharmacy", "", ""))
    assert check_view(view) == []
    [location] = [blk for blk in view["blocks"] if blk.get("block_id") == "location"]
    assert [o["value"] for o in location["element"]["options"]] == ["Ward 1", "Ward 2"]
