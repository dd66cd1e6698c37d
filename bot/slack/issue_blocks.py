"""Block Kit for issues: the report form, the triage and safety posts, notices, lists and App Home.

Every piece of user text goes through `escape`; user and group ids are only turned into mentions
when they have the shape of an id, so a hostile payload cannot make the bot post `<!channel>`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bot.config import OrgConfig
from bot.issues.duplicates import Likely
from bot.issues.filters import WORDS_HELP
from bot.issues.model import (
    AREA_MAX,
    CONTACT_MAX,
    DETAILS_MAX,
    LOCATION_MAX,
    NOTE_MAX,
    REASON_MAX,
    SUMMARY_MAX,
    Action,
    Draft,
    Issue,
    Rating,
    Resolution,
    Severity,
    Status,
)
from bot.issues.notices import safety_channel
from bot.privacy import Redaction
from bot.slack import ids
from bot.slack.blocks import (
    OPTION_LIMIT,
    SECTION_LIMIT,
    Block,
    actions,
    button,
    context,
    escape,
    notice_view,
    option,
    plain,
    sections,
    shorten,
    text_section,
)
from bot.slack.shape import json_object, state_values

FORM = "golive_issue_form"
RESOLVE_FORM = "golive_issue_resolve"
SEVERITY_FORM = "golive_issue_severity"
ACKNOWLEDGE = "issue_acknowledge"
ASSIGN = "issue_assign"
RESOLVE = "issue_resolve"
REOPEN = "issue_reopen"
SEVERITY = "issue_severity"
CONFIRM = "issue_confirm"
PLUS_ONE = "issue_plus_one"
OPEN_FORM = "issue_open_form"
_V = "v"  # the action id of every input, so state reads the same way for each field
_GROUP = re.compile(r"^S[A-Z0-9]{2,}$")
_PERMALINK = re.compile(
    r"https://[a-z0-9-]+(\.[a-z0-9-]+)*\.slack\.com/archives/[A-Z0-9]{2,64}/p[0-9]{6,32}"
    r"(\?thread_ts=[0-9.]{1,32}(&cid=[A-Z0-9]{2,64})?)?"
)
_SEVERITY_ICON = {
    Severity.P1: ":red_circle:",
    Severity.P2: ":large_orange_circle:",
    Severity.P3: ":large_yellow_circle:",
    Severity.P4: ":white_circle:",
}
_OPTIONS_PER_LIST = 100  # Slack's limit on a select's options, and on each group's
# Sections enough for the longest text a form takes once escaped ('&' becomes '&amp;'): each section but
# the last is cut in its second half, so holds about 1,500 characters or more. With the details and the
# resolution note at their longest, the triage post stays well within Slack's 50 blocks.
_SECTIONS_FOR_LONGEST = 2 * 5 * DETAILS_MAX // SECTION_LIMIT + 2


def who(user_id: str | None) -> str:
    return f"<@{user_id}>" if ids.user_id(user_id) else "someone"


def channel_link(channel: str | None) -> str:
    if not channel:
        return "the triage channel"
    return f"<#{channel}>" if re.match(r"^[CG][A-Z0-9]{2,}$", channel) else escape(channel)


# -- the report form ------------------------------------------------------------------------------


def form_view(
    org: OrgConfig,
    draft: Draft | None = None,
    link: str | None = None,
    likely: Iterable[Likely] = (),
    notice: str = "",
    held: str = "",
) -> dict[str, Any]:
    """The modal; with `likely` duplicates it offers '+1' buttons and submitting logs a new issue.
    A `notice` (why a '+1' could not be added) heads the form, and submitting then logs it at once.
    `held`: what the message it was opened from holds that the guard left out (`Redaction.what`)."""
    likely = list(likely)
    head = [text_section(f":information_source: {escape(notice)}")] if notice else []
    blocks = [*head, *_duplicate_offer(likely), *_fields(org, draft)]
    if link:
        blocks.append(context(f"From <{escape(link)}|this message>"))
    if held:
        blocks.append(context(f":lock: {HELD.format(what=escape(held))}"))
    return {
        "type": "modal",
        "callback_id": FORM,
        "title": plain("Log a go-live issue"),
        "submit": plain("Log as a new issue" if likely else "Log issue"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps(
            {"link": link or "", "by": draft.raised_by if draft else "", "checked": bool(likely or notice)}
        ),
        "blocks": blocks,
    }


# Beside a form opened from a message that holds a patient identifier: the guard kept it out of the issue,
# but the message is still there for the channel to read, and only its author or an admin can delete it.
HELD = (
    "That message holds {what}: I left it out of this form. It is still in the channel, so ask whoever"
    " wrote it to delete it, and tell your information governance lead if it should not have been posted."
)


def _duplicate_offer(likely: list[Likely]) -> list[Block]:
    if not likely:
        return []
    blocks = [
        text_section(
            "*This may already be logged.* If it is the same problem, press *Same problem: add me*, so the"
            " team sees how widespread it is; if not, log it as a new issue below."
        )
    ]
    for found in likely:
        issue = found.issue
        line = (
            f"*{issue.reference}* {issue.severity.value} · {escape(issue.location)}\n{escape(issue.summary)}"
        )
        block = text_section(line)
        block["accessory"] = button("Same problem: add me", PLUS_ONE, issue.reference, "primary")
        blocks.append(block)
    blocks.append({"type": "divider"})
    return blocks


def _fields(org: OrgConfig, draft: Draft | None) -> list[Block]:
    d = draft or Draft("", "", "", "", "", "")
    blocks = [
        _text_input(
            "summary",
            "Summary (one line)",
            d.summary,
            SUMMARY_MAX,
            "e.g. Wristband printer prints blank labels",
        ),
        _text_input(
            "details",
            "What happened?",
            d.details,
            DETAILS_MAX,
            "What you did, expected and saw. Say the bed or ward, never a patient's name or NHS number",
            multiline=True,
        ),
    ]
    if org.locations:
        chosen = d.location if d.location in org.locations else None
        blocks.append(_select("location", "Ward, department or site", org.locations, chosen, optional=True))
        other = "" if chosen else d.location
        blocks.append(
            _text_input(
                "location_other", "Other location (if not in the list)", other, LOCATION_MAX, optional=True
            )
        )
    else:
        blocks.append(_text_input("location", "Ward, department or site", d.location, LOCATION_MAX))
    if org.system_areas:
        blocks.append(_select("area", "Part of the system", org.system_areas, d.area or None))
    else:
        blocks.append(_text_input("area", "Part of the system", d.area, AREA_MAX))
    blocks.append(_severity(d.severity))
    blocks.append(_safety(d.patient_safety))
    blocks.append(
        _text_input("contact", "Your bleep or extension", d.contact, CONTACT_MAX, "e.g. bleep 1234")
    )
    return blocks


def _text_input(
    block_id: str,
    label: str,
    initial: str,
    limit: int,
    hint: str = "",
    *,
    multiline: bool = False,
    optional: bool = False,
) -> Block:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": _V,
        "max_length": limit,
        "multiline": multiline,
    }
    if initial:
        element["initial_value"] = initial[:limit]
    if hint:
        element["placeholder"] = plain(hint)
    return _input(block_id, label, element, optional)


def _input(block_id: str, label: str, element: dict[str, Any], optional: bool = False) -> Block:
    return {"type": "input", "block_id": block_id, "label": plain(label), "element": element,
            "optional": optional}  # fmt: skip


def _select(
    block_id: str, label: str, choices: tuple[str, ...], initial: str | None, *, optional: bool = False
) -> Block:
    element: dict[str, Any] = {"type": "static_select", "action_id": _V, "placeholder": plain("Choose")}
    # Once each: a ward listed twice in the config would give two options of one value.
    options = list({c[:150]: option(c, c[:150]) for c in choices}.values())
    if len(options) <= _OPTIONS_PER_LIST:
        element["options"] = options
    else:  # Slack lists 100 options at most: a trust's 101st ward must still be there to pick
        element["option_groups"] = _groups(options)
    if initial in choices:
        element["initial_option"] = option(initial, initial[:150])
    return _input(block_id, label, element, optional)


def _groups(options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Options in groups of 100, each labelled by its first and last choice."""
    groups = []
    for start in range(0, len(options), _OPTIONS_PER_LIST):
        chunk = options[start : start + _OPTIONS_PER_LIST]
        first, last = chunk[0]["text"]["text"], chunk[-1]["text"]["text"]
        groups.append(
            {"label": plain(shorten(f"{first[:35]} – {last[:35]}", OPTION_LIMIT)), "options": chunk}
        )
    return groups


# The severities as the form asks them of staff, in their words rather than the team's ('workaround').
_ASKED = {
    Severity.P1: "P1 – a patient could be harmed",
    Severity.P2: "P2 – I can't do my work and there is no way round it",
    Severity.P3: "P3 – there is a way round it for now",
    Severity.P4: "P4 – a question or an idea",
}


def _severity(initial: str, label: str = "How bad is it?") -> Block:
    options = [option(_ASKED[s], s.value) for s in Severity]
    element: dict[str, Any] = {"type": "radio_buttons", "action_id": _V, "options": options}
    if initial in Severity.__members__:
        element["initial_option"] = option(_ASKED[Severity(initial)], initial)
    return _input("severity", label, element)


_HARM = "This could harm a patient (tick it whatever severity you chose)"


def _safety(initial: bool, tick: str = _HARM) -> Block:
    harm = option(tick, "yes")
    element: dict[str, Any] = {"type": "checkboxes", "action_id": _V, "options": [harm]}
    if initial:
        element["initial_options"] = [harm]
    return _input("patient_safety", "Patient safety", element, optional=True)


def _state_field(values: Any, block_id: str) -> dict[str, Any]:
    """One input's state from view.state.values; {} when absent or of the wrong shape (hostile)."""
    block = values.get(block_id) if isinstance(values, dict) else None
    field = block.get(_V) if isinstance(block, dict) else None
    return field if isinstance(field, dict) else {}


def state_value(values: Any, block_id: str) -> str:
    """A field's text or chosen option, '' when absent or malformed."""
    field = _state_field(values, block_id)
    chosen = field.get("selected_option")
    if isinstance(chosen, dict):
        return str(chosen.get("value") or "")
    value = field.get("value")
    return value if isinstance(value, str) else ""


def _ticked(values: Any) -> bool:
    """Whether the patient-safety box is ticked."""
    chosen = _state_field(values, "patient_safety").get("selected_options")
    return bool(chosen) and isinstance(chosen, list)


def draft_from_view(view: dict[str, Any]) -> Draft:
    values = state_values(view)
    return Draft(
        summary=state_value(values, "summary"),
        details=state_value(values, "details"),
        location=state_value(values, "location_other").strip() or state_value(values, "location"),
        area=state_value(values, "area"),
        severity=state_value(values, "severity"),
        contact=state_value(values, "contact"),
        patient_safety=_ticked(values),
        source_link=permalink(metadata(view).get("link")),
        raised_by=ids.user_id(metadata(view).get("by")) or None,
    )


def permalink(value: object) -> str | None:
    """The link to the message an issue came from, only when it is a Slack message permalink:
    private_metadata comes back in the payload, so anything else could be a disguised link."""
    return value if isinstance(value, str) and _PERMALINK.fullmatch(value) else None


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    return json_object(view.get("private_metadata") or "{}") or {}


_NOTICE = "bot_notice"
_VIEW_FIELDS = ("type", "callback_id", "title", "submit", "close", "private_metadata", "clear_on_close",
                "notify_on_close")  # fmt: skip


def headed(view: dict[str, Any], notice: str) -> dict[str, Any]:
    """The modal as the person has it, headed by `notice` (in place of an earlier one): its inputs keep
    their ids, so Slack keeps what was typed, and its buttons stay, to be pressed again."""
    blocks = view.get("blocks") if isinstance(view.get("blocks"), list) else []
    kept = [b for b in blocks if isinstance(b, dict) and b.get("block_id") != _NOTICE]
    head = {**text_section(f":warning: {escape(notice)}"), "block_id": _NOTICE}
    return {**{k: view[k] for k in _VIEW_FIELDS if k in view}, "blocks": [head, *kept]}


def result_view(title: str, lines: list[str], redaction: Redaction | None = None) -> dict[str, Any]:
    """What the modal turns into once done: the outcome, and privately what the guard removed."""
    blocks = [text_section(line) for line in lines]
    if redaction is not None and redaction.changed:
        blocks.append(context(f":lock: {redaction.explain()}"))
    return notice_view(title, blocks)


def logged_view(issue: Issue, created: bool, redaction: Redaction | None, org: OrgConfig) -> dict[str, Any]:
    lines = [
        f"*Logged as {issue.reference}.* Quote this reference if you chase it up.",
        f"It has gone to the support team in {channel_link(org.channels.triage)}; I'll message you "
        "when its status changes.",
    ]
    if issue.needs_safety_escalation:
        lines.append(
            "As a patient-safety issue it has also gone to the safety channel and the on-call team. This does"
            " not replace your usual clinical escalation: if a patient is at risk, escalate now as you would."
        )
    if not created:
        lines = [f"*Already logged as {issue.reference}.* Nothing was logged twice."]
    return result_view("Issue logged", lines, redaction)


def resolve_view(issue: Issue) -> dict[str, Any]:
    options = [option(r.value.capitalize(), r.value) for r in Resolution]
    category = _input(
        "category", "How was it resolved?", {"type": "static_select", "action_id": _V, "options": options}
    )
    note = _text_input(
        "note",
        "Resolution note",
        "",
        NOTE_MAX,
        "What was done, so the reporter and the review know",
        multiline=True,
    )
    original = _text_input(
        "original", "Duplicate of (for a duplicate)", "", 20, "e.g. GL-0042: its reporters will follow it",
        optional=True,
    )  # fmt: skip
    return {
        "type": "modal",
        "callback_id": RESOLVE_FORM,
        "title": plain(f"Resolve {issue.reference}"),
        "submit": plain("Resolve"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps({"ref": issue.reference}),
        "blocks": [text_section(f"*{issue.reference}* {escape(issue.summary)}"), category, original, note],
    }


def severity_view(issue: Issue, org: OrgConfig, changed: str = "") -> dict[str, Any]:
    """The form that changes an issue's severity or patient-safety flag, as it stands now, with a reason;
    it says what a raise and a lowering do, so nobody calls the on-call group by surprise. It keeps the
    rating it shows (`seen_rating`), and `changed` says why it was drawn again: changed meanwhile."""
    what = (
        f"Raising it to P1 or ticking patient safety calls the on-call group in"
        f" {channel_link(safety_channel(org))} now, and again every"
        f" {org.p1_ack_minutes} minutes until someone acknowledges it. Only the clinical safety group can"
        " lower a patient-safety issue or clear its flag."
    )
    example = "e.g. the allergy banner is missing for some patients"
    reason = _text_input("reason", "Why?", "", REASON_MAX, example, multiline=True)
    return {
        "type": "modal",
        "callback_id": SEVERITY_FORM,
        "title": plain(f"Severity of {issue.reference}"),
        "submit": plain("Change"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps({"ref": issue.reference, "seen": str(issue.rating)}),
        "blocks": [
            *([text_section(f":warning: {escape(changed)}")] if changed else []),
            text_section(f"*{issue.reference}* {escape(issue.summary)}\nNow: {rating_text(issue.rating)}"),
            _severity(issue.severity.value, "Severity"),
            _safety(issue.patient_safety, "This could harm a patient"),
            reason,
            context(what),
        ],
    }


def rating_from_view(view: dict[str, Any]) -> tuple[str, bool, str]:
    """The severity, patient-safety flag and reason the severity form was submitted with."""
    values = state_values(view)
    return state_value(values, "severity"), _ticked(values), state_value(values, "reason")


def seen_rating(view: dict[str, Any]) -> Rating | None:
    """The rating the severity form showed when it was opened; None from a form drawn before it kept one."""
    seen = metadata(view).get("seen")
    return Rating.parse(seen) if isinstance(seen, str) else None


def rating_text(rating: Rating) -> str:
    return f"*{rating.severity.value}*{' :warning: patient safety' if rating.patient_safety else ''}"


def rating_change_text(issue: Issue, change: dict[str, Any], org: OrgConfig) -> str:
    """A change of rating as the triage thread tells it: who, from what to what, why, and what it does
    to the call-outs."""
    line, safety = _changed(issue, change), _safety_before_and_after(change)
    if safety == (False, True):
        line += (
            f"\nThe on-call group is called in {channel_link(safety_channel(org))},"
            f" and again every {org.p1_ack_minutes} minutes until someone acknowledges it."
        )
    elif safety == (True, False):
        line += "\nIt is no longer a patient-safety issue: the on-call group is no longer called about it."
    return line


def _ratings(change: dict[str, Any]) -> tuple[Rating, Rating] | None:
    """The ratings a change (an outbox payload: read defensively) was from and to."""
    before, after = Rating.parse(str(change.get("from", ""))), Rating.parse(str(change.get("to", "")))
    return (before, after) if before and after else None


def _safety_before_and_after(change: dict[str, Any]) -> tuple[bool, bool] | None:
    """Whether the issue needed the safety escalation before the change, and after it."""
    ratings = _ratings(change)
    return (ratings[0].needs_safety_escalation, ratings[1].needs_safety_escalation) if ratings else None


def _changed(issue: Issue, change: dict[str, Any]) -> str:
    """'<@U1> raised *GL-0042* from *P3* to *P1*. Reason: ...'"""
    ratings = _ratings(change)
    if ratings is None:
        return f"The severity of *{issue.reference}* was changed."
    before, after = ratings
    verb = "lowered" if after.lowered_from(before) else "raised"
    reason = escape(shorten(str(change.get("reason", "")), REASON_MAX * 2))
    to = f"from {rating_text(before)} to {rating_text(after)}"
    return f"{who(str(change.get('by', '')))} {verb} *{issue.reference}* {to}. Reason: {reason}"


# -- posts ---------------------------------------------------------------------------------------


def issue_text(issue: Issue) -> str:
    return f"{issue.reference} {issue.severity.value}: {escape(shorten(issue.summary, 150))}"


def triage_blocks(issue: Issue) -> list[Block]:
    """The triage post: everything the team needs to act, and the buttons for the current status."""
    flags = f"{_SEVERITY_ICON[issue.severity]} {issue.severity.label}"
    if issue.patient_safety:
        flags += " · :warning: *Patient safety*"
    blocks = [
        text_section(f"*{issue.reference}* · {flags}\n*{escape(issue.summary)}*"),
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*Location*\n{escape(issue.location)}"},
                {"type": "mrkdwn", "text": f"*Area*\n{escape(issue.area)}"},
                {"type": "mrkdwn", "text": f"*Status*\n{status_line(issue)}"},
                {
                    "type": "mrkdwn",
                    "text": f"*Reported by*\n{who(issue.reporter_id)} · {escape(issue.contact)}",
                },
            ],
        },
        *_whole(f">{escape(issue.details)}".replace("\n", "\n>")),
    ]
    if issue.resolution:
        outcome = f"duplicate of {issue.original}" if issue.original else issue.resolution.value
        blocks += _whole(f"*Resolution* ({outcome}): {escape(issue.resolution_note or '')}")
    notes = _context_notes(issue)
    if notes:
        blocks.append(context(" · ".join(notes)))
    buttons = _buttons(issue)
    if buttons:
        blocks.append(actions(*buttons))
    return blocks


def _whole(mrkdwn: str) -> list[Block]:
    """Escaped text in full over as many sections as it needs: a post cut short would hide what the
    reporter or resolver wrote (a second patient affected, say) with no sign that anything is missing."""
    return sections(mrkdwn, _SECTIONS_FOR_LONGEST)


def status_line(issue: Issue, names: bool = True) -> str:
    """The status and who moved it there; without `names` for a reply others read in a channel, where
    a mention would call that person each time someone asks after the issue."""

    def by(word: str, person: str | None) -> str:
        return f" {word} {who(person)}" if names else ""

    if issue.status is Status.ASSIGNED:
        raised = ", raised since: needs acknowledging" if issue.acknowledged_at is None else ""
        return f"Assigned{by('to', issue.assignee_id)}{raised}"
    if issue.status is Status.ACKNOWLEDGED:
        return f"Acknowledged{by('by', issue.acknowledged_by)}"
    if issue.status is Status.RESOLVED:
        confirmed = ", fix confirmed" if issue.confirmed_at else ""  # by the reporter or the message's author
        duplicate = f" as a duplicate of {issue.original}" if issue.original else ""
        return f"Resolved{by('by', issue.resolved_by)}{duplicate}{confirmed}"
    return issue.status.value.capitalize()


def _context_notes(issue: Issue) -> list[str]:
    notes = []
    if issue.extra_reporters:
        people = ", ".join(f"{who(r.user_id)} ({escape(r.location)})" for r in issue.extra_reporters[:10])
        notes.append(f"+{len(issue.extra_reporters)}: {people}")
    link = f"<{escape(issue.source_link)}|original message>" if issue.source_link else ""
    if issue.raised_by:  # named even when Slack gave no link to the message
        notes.append(f"{link or 'From a message'} by {who(issue.raised_by)}")
    elif link:
        notes.append(link)
    return notes


def _buttons(issue: Issue) -> list[dict[str, Any]]:
    ref = issue.reference
    if issue.status is Status.RESOLVED:
        return [button("Reopen", REOPEN, ref)]
    buttons = []
    if issue.status in (Status.NEW, Status.REOPENED) or issue.acknowledged_at is None:  # or raised since
        buttons.append(button("Acknowledge", ACKNOWLEDGE, ref, "primary"))
    buttons += [
        button("Assign to me", ASSIGN, ref),
        button("Resolve", RESOLVE, ref),
        button("Change severity", SEVERITY, ref),
    ]
    return buttons


def safety_blocks(issue: Issue, org: OrgConfig, calling: str | None = None) -> list[Block]:
    """The safety-channel post: it calls the on-call group until someone acknowledges the issue, or it is
    lowered out of patient safety."""
    if not issue.needs_safety_escalation:
        head = (
            f":white_check_mark: *{issue.reference} is no longer a patient-safety issue*: lowered to"
            f" {issue.severity.label}. It is in {channel_link(org.channels.triage)}."
        )
    elif issue.acknowledged_at:
        head = f":rotating_light: *Patient-safety issue {issue.reference}*: {status_line(issue)}."
    else:
        head = (
            f"{_calling(org, calling)}:rotating_light: *Patient-safety issue {issue.reference}* needs "
            f"acknowledging. It is also in {channel_link(org.channels.triage)}."
        )
    return [text_section(head), *triage_blocks(issue)]


def reopened_blocks(issue: Issue, org: OrgConfig, by: str, calling: str | None = None) -> list[Block]:
    """A P1 or patient-safety issue is back: the on-call group is called as for a new one."""
    head = (
        f"{_calling(org, calling)}:rotating_light: *Patient-safety issue {issue.reference} was reopened* "
        f"by {who(by)} and needs acknowledging. It is also in {channel_link(org.channels.triage)}."
    )
    return [text_section(head), *triage_blocks(issue)]


def raised_blocks(
    issue: Issue, org: OrgConfig, change: dict[str, Any], calling: str | None = None
) -> list[Block]:
    """An issue raised to P1 or patient safety after logging: the on-call group is called as for a new
    one, with who raised it, from what and why."""
    head = (
        f"{_calling(org, calling)}:rotating_light: *Patient-safety issue {issue.reference} needs "
        f"acknowledging*: {_changed(issue, change)}\nIt is also in {channel_link(org.channels.triage)}."
    )
    return [text_section(head), *triage_blocks(issue)]


# What began the wait an escalation counts from.
_AWAITING_AFTER = {
    Action.REPORTED: "logged",
    Action.REOPEN: "reopened",
    Action.SEVERITY: "raised to patient safety",
}


def escalation_blocks(issue: Issue, org: OrgConfig, minutes: int, calling: str | None = None) -> list[Block]:
    head = (
        f"{_calling(org, calling)}:rotating_light: *{issue.reference} is still not acknowledged* {minutes} "
        f"minutes after it was {_AWAITING_AFTER[issue.awaiting_after]} (escalation {issue.escalations}). "
        "Please acknowledge it now."
    )
    return [text_section(head), *triage_blocks(issue)]


def _calling(org: OrgConfig, calling: str | None) -> str:
    """What opens an urgent post: `calling` when given (see `nobody_on_call`), else the on-call group's
    mention, or nothing when none is set."""
    mention = group_mention(org.on_call_usergroup) if calling is None else calling
    return f"{mention} " if mention else ""


def nobody_on_call(org: OrgConfig) -> str:
    """Whom an urgent post calls when Slack says the on-call group has nobody in it (emptied, deleted,
    or not readable by the bot): the group still, in case someone joins it, and the people of the
    clinical safety group and the maintenance team, or everyone here when none are named, since a
    patient-safety call that pings nobody is a call missed."""
    named = [
        mention
        for group in (org.clinical_safety_group, org.maintenance_team)
        for mention in (
            group_mention(group.usergroup),
            *(f"<@{u}>" for u in sorted(group.users) if ids.user_id(u)),
        )
        if mention
    ]
    instead = " ".join(dict.fromkeys(named)) or "<!here>"
    return f"{group_mention(org.on_call_usergroup)} (nobody is in the on-call group) {instead}"


def group_mention(group: str | None) -> str:
    return f"<!subteam^{group}>" if group and _GROUP.match(group) else ""


def notice_blocks(
    issue: Issue, action: str, by: str, person: str | None = None, change: dict[str, Any] | None = None
) -> list[Block]:
    """A private notice of a change to the reporter, the author of the message it was logged from,
    someone who '+1'd it, or the team member it is assigned to (`person`); on resolve, ask those who
    reported it to confirm or reopen. Only the first two may confirm (the problem was theirs), so
    someone who '+1'd it is offered Reopen alone. A change of severity says from what to what and why
    (`change`), and a raise to patient safety that it is being treated as urgent."""
    ref, summary = issue.reference, escape(shorten(issue.summary, 150))
    lines = {
        Action.REPORTED.value: f"Thanks, your issue *{ref}* is logged: {summary}. I'll tell you of changes.",
        Action.ACKNOWLEDGE.value: f"*{ref}* ({summary}) was acknowledged by {who(by)}.",
        Action.ASSIGN.value: f"*{ref}* ({summary}) is being worked on by {who(by)}.",
        Action.RESOLVE.value: f"*{ref}* ({summary}) was resolved by {who(by)}.",
        Action.REOPEN.value: f"*{ref}* ({summary}) was reopened by {who(by)}.",
        Action.CONFIRM.value: f"*{ref}* ({summary}): the fix was confirmed.",
        Action.SEVERITY.value: _rating_notice(issue, change or {}, summary),
    }
    if action == Action.REPORTED.value and person and person != issue.reporter_id:
        logged = f"{who(by)} logged your message as issue *{ref}*"
        lines[action] = f"{logged}: {summary}. I'll tell you of changes."
    blocks = [text_section(lines.get(action, f"*{ref}* was updated."))]
    if action == Action.RESOLVE.value and issue.status is Status.RESOLVED and not issue.confirmed_at:
        outcome = _AS_TOLD[issue.resolution] if issue.resolution else "Resolved"
        if issue.original:
            outcome = f"The same problem as {issue.original}, which the team is working on"
        blocks += _whole(f"*{outcome}*: {escape(issue.resolution_note or '')}")
        if (person is None or issue.reported_by(person)) and not issue.original:  # not the team member on it
            blocks += _sorted_for_you(issue, person)
    return [*blocks, context(f"Reply in this thread to add to {ref}.")]


def _sorted_for_you(issue: Issue, person: str | None) -> list[Block]:
    """The question a resolve asks of those who reported it."""
    reopen = button(STILL_A_PROBLEM, REOPEN, issue.reference)
    if person is None or issue.has_the_problem(person):
        return [context("Is the problem sorted for you?"),
                actions(button("Yes, sorted", CONFIRM, confirm_value(issue), "primary"), reopen)]  # fmt: skip
    return [context("Is the problem sorted for you?"), actions(reopen)]


def _rating_notice(issue: Issue, change: dict[str, Any], summary: str) -> str:
    line = f"{_changed(issue, change)}\n*{issue.reference}*: {summary}."
    if _safety_before_and_after(change) == (False, True):
        line += "\nIt is now treated as urgent: the on-call team has been called to take it on."
    return line


def following_blocks(original: Issue, closed: Issue | None, closed_ref: str, by: str) -> list[Block]:
    """What someone who reported an issue closed as a duplicate is told: the issue they now follow,
    where it stands, and why; no question whether it is sorted, as the original is still being worked
    on. A reply in its thread adds to the original, where the team works."""
    ref, summary = original.reference, escape(shorten(original.summary, 150))
    theirs = f"*{closed_ref}* ({escape(shorten(closed.summary, 150))})" if closed else f"*{closed_ref}*"
    lines = [
        f"{theirs} is the same problem as *{ref}* ({summary}), so {who(by)} closed it as a duplicate. You"
        f" now follow *{ref}*: I'll message you when it changes, and when it is fixed. Where it stands:"
        f" {status_line(original, names=False)}.",
    ]
    if closed and closed.resolution_note:
        lines.append(f"*Why*: {escape(closed.resolution_note)}")
    return [*(b for line in lines for b in _whole(line)), context(f"Reply in this thread to add to {ref}.")]


def duplicate_note_blocks(closed: Issue, by: str, added: list[tuple[str, str]]) -> list[Block]:
    """For the original's triage thread: which issue was closed into it, who reported that one (now
    following this one, with where they are and how to reach them), what they reported and added."""
    people = [(closed.reporter_id, closed.location, closed.contact)]
    people += [(closed.raised_by, closed.location, "wrote the message")] if closed.raised_by else []
    people += [(r.user_id, r.location, r.contact) for r in closed.extra_reporters]
    named = ", ".join(f"{who(p)} ({escape(' · '.join(filter(None, about)))})" for p, *about in people)
    head = (
        f"{who(by)} closed *{closed.reference}* ({closed.severity.value}{safety_flag(closed)}) as a duplicate"
        f" of this issue: *{escape(closed.summary)}*\nIts reporters now follow this one: {named}."
    )
    said = [f">{escape(closed.details)}".replace("\n", "\n>")]
    said += [f"{who(person)} added: {escape(text)}" for person, text in added]
    return [*_whole(head), *_whole("\n".join(said))]


# How each outcome reads to the person who had the problem: 'training need' reads as 'you did it wrong'.
_AS_TOLD = {
    Resolution.FIXED: "Fixed",
    Resolution.WORKAROUND: "There is a way round it for now",
    Resolution.TRAINING: "Here is how to do it",
    Resolution.ENHANCEMENT: "Logged as an improvement for later",
    Resolution.DUPLICATE: "The same as another issue, which the team is working on",
    Resolution.NO_FAULT: "The team could not find a fault",
}
STILL_A_PROBLEM = "No, still a problem"  # reopens the issue


def confirm_value(issue: Issue) -> str:
    """The confirm button names the fix it asks about (when it was resolved), so a button left in an
    old update cannot confirm a fix made after a reopening, which the reporter never saw."""
    return f"{issue.reference}@{issue.resolved_at.isoformat() if issue.resolved_at else ''}"


def confirmed_fix(value: str) -> tuple[str, datetime | None]:
    """A confirm button's reference and when the fix it asks about was made; None for a button from
    before buttons named it (a bare reference), or a time that cannot be read."""
    reference, _, resolved_at = value.partition("@")
    try:
        return reference, datetime.fromisoformat(resolved_at)
    except ValueError:
        return reference, None


# -- lists and home --------------------------------------------------------------------------------


def issue_line(issue: Issue, names: bool = True) -> str:
    return (
        f"*{issue.reference}* {_SEVERITY_ICON[issue.severity]} {issue.severity.value}{safety_flag(issue)} · "
        f"{escape(shorten(issue.location, 40))} · {escape(issue.area)} — "
        f"{escape(shorten(issue.summary, 100))} _({status_line(issue, names)})_"
    )


def safety_flag(issue: Issue) -> str:
    """Marks a patient-safety issue in a one-line listing, whatever its severity."""
    return " :warning: patient safety" if issue.patient_safety else ""


def named_blocks(named: list[tuple[str, Issue | None]], names: bool = True) -> list[Block]:
    """Issues asked after by reference, whatever their status; a reference no issue has is said so
    (references are made by the bot, so one echoed back holds nothing but digits)."""
    lines = [
        issue_line(issue, names) if issue else f"There is no issue {reference}: check the reference."
        for reference, issue in named
    ]
    return [text_section("\n".join(lines))]


def named_text(named: list[tuple[str, Issue | None]]) -> str:
    """The notification text of `named_blocks`."""
    found = [issue for _, issue in named if issue]
    if not found:
        return f"There is no issue {named[0][0]}" if named else "No issue"
    return issue_text(found[0]) if len(found) == 1 else f"{len(found)} issues"


def list_blocks(issues: list[Issue], asked: str, open_only: bool = True, limit: int = 20) -> list[Block]:
    """`open_only`: whether the filters asked for open issues alone (no 'resolved'), so the heading may
    call them open; a search that found nothing says how the words are read."""
    what = f" matching _{escape(shorten(asked, 100))}_" if asked.strip() else ""
    kind = "open issue" if open_only else "issue"
    if not issues:
        hint = [context(f"Words read: {WORDS_HELP}.")] if asked.strip() else []
        return [text_section(f"No {kind}s{what}."), *hint]
    blocks = [text_section(f"*{len(issues)} {kind}{'s' if len(issues) != 1 else ''}{what}*")]
    blocks += [text_section(issue_line(i)) for i in issues[:limit]]
    if len(issues) > limit:
        narrower = "`/golive issues p1 unassigned ward 3` or `/golive issues mine`"
        blocks.append(context(f"Showing the first {limit}. Narrow it down: {narrower}."))
    return blocks


def home_view(mine: list[Issue], counts: dict[Severity, int], more: int = 0) -> dict[str, Any]:
    """`more`: the user's issues left out for space, so nobody takes the list for all of them."""
    total = sum(counts.values())
    figures = " · ".join(f"{_SEVERITY_ICON[s]} {s.value}: *{n}*" for s, n in counts.items())
    blocks = [
        {"type": "header", "text": plain("Go-live issues")},
        actions(button("Log a go-live issue", OPEN_FORM, "home", "primary")),
        text_section(f"*Open issues: {total}*\n{figures}"),
        {"type": "divider"},
        text_section(
            "*Your issues*" if mine else "*Your issues*\nYou have not reported or been assigned any."
        ),
    ]
    blocks += [text_section(issue_line(i)) for i in mine]
    if more > 0:
        blocks.append(
            context(
                f"…and {more} more, older or closed. List them with `/golive issues mine`, and the closed"
                " ones with `/golive issues resolved mine`."
            )
        )
    return {"type": "home", "blocks": blocks}
