"""Who may move an issue from which status: the rules alone, so they can be read and tested in one place."""

from __future__ import annotations

from bot.config import Group, OrgConfig
from bot.issues.model import Action, Issue, Status
from bot.roles import Membership, MembershipUnknown

_FROM: dict[Action, frozenset[Status]] = {
    Action.ACKNOWLEDGE: frozenset({Status.NEW, Status.REOPENED}),
    Action.ASSIGN: frozenset({Status.NEW, Status.ACKNOWLEDGED, Status.ASSIGNED, Status.REOPENED}),
    Action.RESOLVE: frozenset({Status.NEW, Status.ACKNOWLEDGED, Status.ASSIGNED, Status.REOPENED}),
    Action.REOPEN: frozenset({Status.RESOLVED}),
    Action.CONFIRM: frozenset({Status.RESOLVED}),
}
_TO: dict[Action, Status] = {
    Action.ACKNOWLEDGE: Status.ACKNOWLEDGED,
    Action.ASSIGN: Status.ASSIGNED,
    Action.RESOLVE: Status.RESOLVED,
    Action.REOPEN: Status.REOPENED,
    Action.CONFIRM: Status.RESOLVED,
}
_TAKING_ON = frozenset({Action.ACKNOWLEDGE, Action.ASSIGN})  # what a safety call-out asks for
_TEAM_ONLY = (
    "Only the support team can {verb} issues, so nothing changed. If you are on it, ask the go-live lead"
    " to add you to the bot's list of the team."
)
_UNCHECKED = (
    "I couldn't check {whose} membership with {holder} just now, so nothing changed: press again in a minute."
)


def target(action: Action) -> Status:
    return _TO[action]


def refusal(action: Action, issue: Issue, actor: str, membership: Membership, org: OrgConfig) -> str | None:
    """Why `actor` may not do `action` to `issue` now, or None when they may."""
    if issue.status not in _FROM[action]:
        return _wrong_status(action, issue)
    if repeat := _repeated(action, issue, actor):
        return repeat
    if action is Action.CONFIRM:
        if issue.has_the_problem(actor):
            return None
        return "Only the person who reported it, or whose message was logged, can confirm the fix."
    if action is Action.REOPEN and _is_reporter(issue, actor):
        return None
    if action is Action.RESOLVE and issue.needs_safety_escalation:
        return _unless_in(
            membership, actor, (org.clinical_safety_group,), "the clinical safety group's",
            f"{issue.reference} is a patient-safety issue: it can only be closed with a note from a member "
            "of the clinical safety group. Ask the clinical safety officer to resolve it.",
        )  # fmt: skip
    return _unless_in(
        membership, actor, _who_may(action, issue, org), "the support team's",
        _TEAM_ONLY.format(verb=action.value),
    )  # fmt: skip


def _who_may(action: Action, issue: Issue, org: OrgConfig) -> tuple[Group, ...]:
    """The support team; for a P1 or patient-safety issue, also those its call-outs ask to take it on
    (the on-call group they mention) and the clinical safety group, who close it: pressing Acknowledge
    on the call-out must stop it, whoever it called."""
    if action in _TAKING_ON and issue.needs_safety_escalation:
        on_call = Group(usergroup=org.on_call_usergroup)
        return (org.maintenance_team, on_call, org.clinical_safety_group)
    return (org.maintenance_team,)


def _unless_in(
    membership: Membership, actor: str, groups: tuple[Group, ...], whose: str, refused: str
) -> str | None:
    """`refused` unless `actor` is in one of `groups`; when that cannot be checked just now, says so
    instead of refusing, so a member presses again rather than asks to be added."""
    unknown: MembershipUnknown | None = None
    for group in groups:
        try:
            if membership.is_member(actor, group):
                return None
        except MembershipUnknown as failed:
            unknown = unknown or failed
    return _UNCHECKED.format(whose=whose, holder=unknown.holder) if unknown else refused


def _is_reporter(issue: Issue, actor: str) -> bool:
    return issue.has_the_problem(actor) or any(r.user_id == actor for r in issue.extra_reporters)


def _repeated(action: Action, issue: Issue, actor: str) -> str | None:
    """A repeat that would change nothing yet tell every reporter again: 'Assign to me' by the assignee,
    or a second confirmation of the fix. Another team member may still take an assigned issue over."""
    if action is Action.ASSIGN and issue.status is Status.ASSIGNED and issue.assignee_id == actor:
        return f"{issue.reference} is already assigned to you."
    if action is Action.CONFIRM and issue.confirmed_at is not None:
        return f"The fix for {issue.reference} is already confirmed; nothing changed."
    return None


def _wrong_status(action: Action, issue: Issue) -> str:
    if action in (Action.REOPEN, Action.CONFIRM):
        return f"{issue.reference} is {issue.status.value}, not resolved: there is nothing to {action.value}."
    if issue.status is Status.RESOLVED:
        return f"{issue.reference} is already resolved. Reopen it first if the problem is back."
    return f"{issue.reference} is already {issue.status.value}; nothing changed."
