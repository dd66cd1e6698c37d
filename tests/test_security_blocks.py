"""Posts built from hostile issue text stay within Slack's Block Kit limits and stay inert.

Slack rejects a whole message when one section is over its limit, so an over-long safety post is a
lost safety post: every text the bot builds from what staff typed must fit, however it is escaped.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.config import OrgConfig
from bot.issues.model import (
    CONTACT_MAX,
    DETAILS_MAX,
    LOCATION_MAX,
    NOTE_MAX,
    SUMMARY_MAX,
    Issue,
    Reporter,
    Resolution,
    Severity,
    Status,
)
from bot.slack import issue_blocks as ib

LOGGED = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)
ORG = OrgConfig(on_call_usergroup="S0ONCALL")
SECTION_TEXT, FIELD_TEXT, CONTEXT_TEXT, BLOCKS = 3000, 2000, 3000, 50


def hostile(unit: str, limit: int) -> str:
    """Text of the longest length the form allows, made of what escaping inflates most."""
    return (unit * limit)[:limit]


def worst_issue(unit: str) -> Issue:
    reporters = tuple(
        Reporter(f"U0PLUS{i}", hostile(unit, LOCATION_MAX), hostile(unit, CONTACT_MAX), LOGGED)
        for i in range(12)
    )
    return Issue(
        id=7, summary=hostile(unit, SUMMARY_MAX), details=hostile(unit, DETAILS_MAX),
        location=hostile(unit, LOCATION_MAX), area="Prescribing", severity=Severity.P1, patient_safety=True,
        contact=hostile(unit, CONTACT_MAX), reporter_id="U0NURSE", status=Status.RESOLVED, created_at=LOGGED,
        updated_at=LOGGED, resolved_by="U0CSO", resolution=Resolution.FIXED,
        resolution_note=hostile(unit, NOTE_MAX),
        source_link="https://trust.slack.com/archives/C0WARD/p1700000000000100", extra_reporters=reporters,
    )  # fmt: skip


def over_limit(blocks: list[dict[str, Any]]) -> list[str]:
    """Every part of the blocks Slack would refuse, described."""
    problems = [f"{len(blocks)} blocks"] if len(blocks) > BLOCKS else []
    for block in blocks:
        text = block.get("text") or {}
        if len(text.get("text", "")) > SECTION_TEXT:
            problems.append(f"section text of {len(text['text'])}")
        problems += [
            f"field of {len(f['text'])}" for f in block.get("fields", []) if len(f["text"]) > FIELD_TEXT
        ]
        problems += [
            f"context of {len(e['text'])}"
            for e in block.get("elements", [])
            if len(e.get("text", "")) > CONTEXT_TEXT
        ]
    return problems


def inert(blocks: list[dict[str, Any]]) -> bool:
    """No broken entity (a cut '&am') and no angle bracket left open by a cut."""
    for text in re.findall(r'"text": "((?:[^"\\]|\\.)*)"', json.dumps(blocks)):
        if re.search(r"&(?!amp;|lt;|gt;)", text) or "<" in re.sub(r"<[^<>]*>", "", text):
            return False
    return True


@pytest.mark.parametrize("unit", ["<", "&", "\n", "<!channel> & \n"])
@pytest.mark.parametrize(
    "build",
    [
        lambda i: ib.triage_blocks(i),
        lambda i: ib.safety_blocks(i, ORG),
        lambda i: ib.escalation_blocks(i, ORG, 30),
        lambda i: ib.notice_blocks(i, "resolve", "U0CSO"),
    ],
    ids=["triage", "safety", "escalation", "notice"],
)
def test_the_longest_hostile_issue_still_fits_every_post(unit: str, build: Any) -> None:
    issue = worst_issue(unit)
    blocks = build(issue)
    assert over_limit(blocks) == []
    assert inert(blocks)
    assert "<!channel>" not in json.dumps(blocks)


def test_every_ward_of_a_large_trust_can_be_picked_in_the_form() -> None:
    wards = tuple(f"Ward {n}" for n in range(1, 251))
    view = ib.form_view(OrgConfig(locations=wards), None)
    (select,) = [b["element"] for b in view["blocks"] if b.get("block_id") == "location"]
    groups = select.get("option_groups") or [{"options": select["options"]}]
    offered = [o["value"] for g in groups for o in g["options"]]
    assert offered == list(wards)
    assert all(len(g["options"]) <= 100 for g in groups) and len(groups) <= 100
    assert all(len(g["label"]["text"]) <= 75 for g in select.get("option_groups", []))
