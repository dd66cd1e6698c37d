"""`/golive issues new`, `unassigned`, `resolved`...: the words a triage team uses for where an issue
stands filter by it, in Slack, the console and `golive-bot issues list`, instead of being read as a
place that no issue is at ('No open issues matching new')."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cli_helpers import run_cli
from slack_harness import RunningBot, org_config

from bot.clock import ManualClock
from bot.config import Group, OrgConfig
from bot.issues.filters import parse
from bot.issues.model import Draft, Severity, Status
from bot.issues.service import Changed, IssueService
from bot.roles import ConfiguredMembership
from bot.slack import issue_blocks as ib
from bot.store import issues as store
from bot.store.database import Database
from tests.test_slack_issues import submit

TEAM, TEAM2, NURSE = "U0TEAM", "U0TEAM2", "U0NURSE"
ORG = org_config(
    maintenance_team=Group(frozenset({TEAM, TEAM2})),
    locations=("Ward 3 (Elderly Care)", "Emergency Department", "New Cross Hospital"),
    system_areas=("Printing and wristbands", "Login and access", "Other"),
)
ROLES = ConfiguredMembership()
START = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)


def test_status_words_are_read_as_statuses_and_the_rest_as_place_or_summary() -> None:
    assert parse("new", ORG, NURSE) == store.Filters(statuses=frozenset({Status.NEW}))
    unassigned = parse("p1 unassigned ward 3", ORG, NURSE)
    assert unassigned.statuses == {Status.NEW, Status.ACKNOWLEDGED, Status.REOPENED}
    assert unassigned.words == ("ward", "3") and unassigned.severities
    assert parse("resolved, mine", ORG, TEAM).statuses == {Status.RESOLVED}
    assert parse("resolved, mine", ORG, TEAM).involving == TEAM
    assert parse("new reopened", ORG, NURSE).statuses == {Status.NEW, Status.REOPENED}
    assert parse("unacked", ORG, NURSE) == store.Filters(unacknowledged=True)
    assert parse("Acknowledged Assigned", ORG, NURSE).statuses == {Status.ACKNOWLEDGED, Status.ASSIGNED}
    # A configured place whose name holds a status word is still a place.
    cross = parse("new cross hospital", ORG, NURSE)
    assert cross.statuses is None and cross.words == ("new", "cross", "hospital")


@pytest.fixture
def issues(db: Database) -> IssueService:
    return IssueService(db, ORG, ORG.redactor(), ManualClock(START))


def _log(service: IssueService, summary: str, location: str = "Ward 3 (Elderly Care)") -> str:
    draft = Draft(summary, "Since 8am", location, "Other", "P3", "bleep 1234")
    return service.report(draft, NURSE).issue.reference  # type: ignore[union-attr]


def _refs(service: IssueService, text: str, user: str = NURSE) -> list[str]:
    return [i.reference for i in service.listing(parse(text, ORG, user))]


def test_each_status_word_lists_the_issues_in_that_status(issues: IssueService) -> None:
    new, acked, mine, theirs, back, done = (_log(issues, f"Problem {n}") for n in range(6))
    issues.acknowledge(acked, TEAM, ROLES)
    issues.assign_to(mine, TEAM, ROLES)
    issues.assign_to(theirs, TEAM2, ROLES)
    for ref in (back, done):
        issues.resolve(ref, TEAM, ROLES, "fixed", "Replaced the printer")
    issues.reopen(back, NURSE, ROLES)
    assert _refs(issues, "new") == [new]
    assert _refs(issues, "unassigned") == [new, acked, back]
    assert _refs(issues, "unacknowledged") == [new, back]
    assert _refs(issues, "acknowledged") == [acked]
    assert _refs(issues, "assigned") == [mine, theirs]
    assert _refs(issues, "assigned mine", TEAM) == [mine]
    assert _refs(issues, "reopened") == [back]
    assert _refs(issues, "resolved") == [done]
    assert _refs(issues, "") == [new, acked, mine, theirs, back]


def test_an_assigned_issue_raised_to_patient_safety_is_listed_as_unacknowledged(issues: IssueService) -> None:
    """A raise keeps its assignee and status but needs acknowledging again, and is called out until it
    is: the on-call lead asking what is waiting must see it."""
    new, raised = _log(issues, "Printer down"), _log(issues, "Allergy banner missing")
    issues.assign_to(raised, TEAM, ROLES)
    assert isinstance(
        issues.change_severity(raised, TEAM, ROLES, "P1", True, "Wrong allergies shown"), Changed
    )
    assert issues.find(raised).status is Status.ASSIGNED  # type: ignore[union-attr]
    assert _refs(issues, "unacknowledged") == [raised, new]  # the P1 first
    assert _refs(issues, "unacked new") == [raised, new]
    assert _refs(issues, "assigned") == [raised]
    issues.acknowledge(raised, TEAM, ROLES)
    assert _refs(issues, "unacknowledged") == [new]


def test_free_words_find_the_place_or_the_summary(issues: IssueService) -> None:
    printer = _log(issues, "Wristband printer prints blank labels")
    login = _log(issues, "Cannot log in", location="Emergency Department")
    assert _refs(issues, "printer") == [printer]
    assert _refs(issues, "emergency") == [login]
    assert _refs(issues, "new emergency") == [login]
    assert _refs(issues, "resolved emergency") == []


@pytest.fixture
def bot(slack_bot) -> RunningBot:
    return slack_bot(org=ORG, clock=ManualClock(START))


def _listed(bot: RunningBot, text: str, user: str = TEAM) -> str:
    mark = len(bot.fake.calls)
    assert bot.command(f"issues {text}", user=user).status == 200
    bot.fake.wait_quiet()
    (reply,) = [c for c in bot.fake.calls[mark:] if c.method == "response_url"]
    return reply.text


def test_slash_issues_filters_by_status_over_http(bot: RunningBot) -> None:
    submit(bot, summary="Wristband printer prints blank labels")
    submit(bot, "V2", summary="Cannot log in on ward PCs", area="Login and access")
    bot.action(ib.ASSIGN, "GL-0002", user=TEAM, channel="C0TRIAGE")
    bot.fake.wait_quiet()

    new = _listed(bot, "new")
    assert "GL-0001" in new and "GL-0002" not in new and "No open issues" not in new
    unassigned = _listed(bot, "unassigned")
    assert "GL-0001" in unassigned and "GL-0002" not in unassigned
    mine = _listed(bot, "assigned mine")
    assert "GL-0002" in mine and "GL-0001" not in mine

    bot.action(ib.RESOLVE, "GL-0001", user=TEAM, channel="C0TRIAGE")
    bot.fake.wait_quiet()
    view = bot.fake.calls_to("views.open")[-1].params["view"]
    values = {"category": {"v": {"type": "static_select", "selected_option": {"value": "fixed"}}},
              "note": {"v": {"type": "plain_text_input", "value": "Reloaded the label stock"}}}  # fmt: skip
    bot.view_submission(view, user=TEAM, values=values)
    resolved = _listed(bot, "resolved")
    assert "1 issue matching _resolved_" in resolved and "GL-0001" in resolved
    assert "open issue" not in resolved


def test_a_search_that_finds_nothing_says_how_the_words_are_read(bot: RunningBot) -> None:
    submit(bot)
    said = _listed(bot, "reopened")
    assert "No open issues matching _reopened_" in said
    assert "a status (new, unassigned, unacknowledged, acknowledged, assigned, reopened, resolved)" in said


def test_golive_help_names_the_status_words(bot: RunningBot) -> None:
    mark = len(bot.fake.calls)
    bot.command("help", user=NURSE)
    bot.fake.wait_quiet()
    (reply,) = [c for c in bot.fake.calls[mark:] if c.method == "response_url"]
    assert "new|unassigned|unacknowledged|acknowledged|assigned|reopened|resolved" in reply.text


def test_the_console_reads_status_words_as_slack_does(console) -> None:
    shell, out, services = console
    draft = Draft("Printer jams", "Since 8am", "Ward 3", "Other", "P3", "bleep 1234")
    services.issues.report(draft, NURSE)
    shell.handle("/golive issues resolved")
    shell.handle("/golive issues new")
    shown = out.getvalue()
    assert "No issues matching _resolved_" in shown and "1 open issue matching _new_" in shown
    assert "GL-0001" in shown


@pytest.fixture
def golive(database_url: str, tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("GOLIVE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return lambda *args: run_cli(capsys, list(args))


def test_the_command_line_lists_by_status_too(golive, db: Database) -> None:
    org = OrgConfig(maintenance_team=Group(frozenset({TEAM})))
    service = IssueService(db, org, org.redactor(), ManualClock(START))
    refs = [_log(service, f"Problem {n}") for n in range(3)]
    service.assign_to(refs[1], TEAM, ROLES)
    service.resolve(refs[2], TEAM, ROLES, "fixed", "Done")
    _, unassigned, _ = golive("issues", "list", "--status", "unassigned")
    assert [line.split()[0] for line in unassigned.splitlines()[:-1]] == [refs[0]]
    assert unassigned.splitlines()[-1] == "1 open issue."
    _, resolved, _ = golive("issues", "list", "--status", "resolved", "--status", "assigned")
    assert [line.split()[0] for line in resolved.splitlines()[:-1]] == refs[1:]
    assert resolved.splitlines()[-1] == "2 issues."
    _, none, _ = golive("issues", "list", "--status", "reopened")
    assert "No issues in that status" in none
    code, _, err = golive("issues", "list", "--status", "pending")
    assert code == 2 and "'pending' is not a status; use new, unassigned" in err


def test_the_app_home_says_how_to_list_your_closed_issues() -> None:
    counts = {severity: 0 for severity in Severity}
    assert "`/golive issues resolved mine`" in str(ib.home_view([], counts, more=3))
