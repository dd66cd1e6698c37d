"""Who may move an issue from which status: the rules alone, so they can be read and tested in one place."""

from __future__ import annotations

from bot.config import Group, OrgConfig
from bot.issues.model import OPEN_STATUSES, Action, Issue, Rating, Status
from bot.roles import Membership, MembershipUnknown

_FROM: dict[Action, frozenset[Status]] = {
    # An assigned issue raised to patient safety since needs acknowledging afresh (`_acknowledged_already`).
    Action.ACKNOWLEDGE: frozenset({Status.NEW, Status.REOPENED, Status.ASSIGNED}),
    Action.ASSIGN: frozenset({Status.NEW, Status.ACKNOWLEDGED, Status.ASSIGNED, Status.REOPENED}),
    Action.RESOLVE: frozenset({Status.NEW, Status.ACKNOWLEDGED, Status.ASSIGNED, Status.REOPENED}),
    Action.REOPEN: frozenset({Status.RESOLVED}),
    Action.CONFIRM: frozenset({Status.RESOLVED}),
    Action.SEVERITY: OPEN_STATUSES,
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


_MAY_NOT_RATE = (
    "Only the support team can change an issue's severity (the on-call and clinical safety groups may also"
    " raise it to P1 or flag it as a risk to patients), so nothing changed. If you are on the team, ask the"
    " go-live lead to add you to the bot's list of the team."
)


def target(action: Action, issue: Issue) -> Status:
    """The status `action` moves `issue` to: acknowledging an assigned issue keeps it assigned."""
    if action is Action.ACKNOWLEDGE and issue.status is Status.ASSIGNED:
        return Status.ASSIGNED
    return _TO[action]


def refusal(action: Action, issue: Issue, actor: str, membership: Membership, org: OrgConfig) -> str | None:
    """Why `actor` may not do `action` to `issue` now, or None when they may. For SEVERITY, whether they may
    change it at all (to open the form); `rating_refusal` judges the change they ask for."""
    if issue.status not in _FROM[action] or _acknowledged_already(action, issue):
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
    if action is Action.SEVERITY:
        return _unless_in(membership, actor, _raisers(org), "the support team's", _MAY_NOT_RATE)
    return _unless_in(
        membership, actor, _who_may(action, issue, org), "the support team's",
        _TEAM_ONLY.format(verb=action.value),
    )  # fmt: skip


def changed_meanwhile(latest: Rating, seen: Rating | None, asked: Rating) -> bool:
    """Whether a colleague changed the rating since the form showing `seen` was opened, to something
    other than what its user now asks: applied, the choice would undo a change they were never shown
    (a form opened at P3 clearing a patient-safety flag just set). A form with no `seen` predates it."""
    return seen is not None and latest != seen and latest != asked


def rating_refusal(
    issue: Issue, after: Rating, actor: str, membership: Membership, org: OrgConfig
) -> str | None:
    """Why `actor` may not change `issue`'s severity and patient-safety flag to `after`, or None.

    Raising is the support team's, and raising to P1 or flagging a risk to patients also the on-call and
    clinical safety groups', as they may take such an issue on. Lowering a patient-safety issue stops its
    call-outs, so it is for whoever may close one: the clinical safety group."""
    if issue.status not in _FROM[Action.SEVERITY]:
        return _wrong_status(Action.SEVERITY, issue)
    if after == issue.rating:
        return (
            f"{issue.reference} is already {after}, so nothing changed: choose another severity, or tick or"
            " clear the patient-safety flag."
        )
    if issue.needs_safety_escalation and after.lowered_from(issue.rating):
        return _unless_in(
            membership, actor, (org.clinical_safety_group,), "the clinical safety group's",
            f"{issue.reference} is a patient-safety issue: only a member of the clinical safety group can"
            " lower its severity or clear its patient-safety flag, as only they can close it. Ask the"
            " clinical safety officer.",
        )  # fmt: skip
    groups = _raisers(org) if after.needs_safety_escalation else (org.maintenance_team,)
    return _unless_in(membership, actor, groups, "the support team's", _MAY_NOT_RATE)


def _raisers(org: OrgConfig) -> tuple[Group, ...]:
    """Who may raise an issue to patient safety: those who may take such an issue on."""
    return (org.maintenance_team, Group(usergroup=org.on_call_usergroup), org.clinical_safety_group)


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


def _acknowledged_already(action: Action, issue: Issue) -> bool:
    """Acknowledging an assigned issue is only for one raised to patient safety since: otherwise it is
    acknowledged already."""
    return (
        action is Action.ACKNOWLEDGE and issue.status is Status.ASSIGNED and issue.acknowledged_at is not None
    )


def _is_reporter(issue: Issue, actor: str) -> bool:
    return issue.has_the_problem(actor) or any(r.user_id == actor for r in issue.extra_reporters)


def _repeated(action: Action, issue: Issue, actor: str) -> str | None:
    """A repeat that would change nothing yet tell every reporter again: 'Assign to me' by the assignee,
    or a second confirmation of the fix. Another team member may still take an assigned issue over."""
    if action is Action.ASSIGN and issue.status is Status.ASSIGNED and issue.assignee_id == actor:
        if issue.acknowledged_at is None:  # raised to patient safety since it was assigned
            return (
                f"{issue.reference} is already assigned to you: press Acknowledge to take on the raised risk."
            )
        return f"{issue.reference} is already assigned to you."
    if action is Action.CONFIRM and issue.confirmed_at is not None:
        return f"The fix for {issue.reference} is already confirmed; nothing changed."
    return None


def _wrong_status(action: Action, issue: Issue) -> str:
    if action in (Action.REOPEN, Action.CONFIRM):
        return f"{issue.reference} is {issue.status.value}, not resolved: there is nothing to {action.value}."
    if issue.status is Status.RESOLVED:
        if issue.original:
            return _closed_into_original(action, issue)
        if action is Action.SEVERITY:
            return f"{issue.reference} is resolved, so its severity stays. Reopen it first if it is back."
        return f"{issue.reference} is already resolved. Reopen it first if the problem is back."
    return f"{issue.reference} is already {issue.status.value}; nothing changed."


def _closed_into_original(action: Action, issue: Issue) -> str:
    """A closed duplicate is not reopened to act on it (that would split its reporters from the issue the
    team works on): whoever acts on it, say a form opened before the close, is sent to the original."""
    head = f"{issue.reference} was closed as a duplicate of {issue.original}, which its reporters now follow"
    if action is Action.RESOLVE:
        return f"{head}."
    verb = "change the severity of" if action is Action.SEVERITY else action.value
    return f"{head}, so nothing changed: {verb} {issue.original} instead."
