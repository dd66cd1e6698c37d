"""Live figures in announcements: counted from the issue log when posted, staff text made safe."""

from __future__ import annotations

from datetime import time

from bot.clock import ManualClock
from bot.config import Contact
from bot.issues.model import Severity
from bot.store import answers
from bot.store import issues as issue_store
from bot.store.database import Database
from tests.test_comms_schedules import item, problems_in
from tests.test_comms_setup import local, org, service


def log_issue(db: Database, summary: str, severity: Severity, when, location: str = "Ward 3") -> None:
    new = issue_store.NewIssue(
        summary, "details", location, "Login and access", severity, False, "bleep 1", "U0R"
    )
    issue_store.create(db, new, None, when, lambda issue: [])


def test_figures_count_open_issues_by_severity_and_yesterdays_new_ones(db: Database) -> None:
    log_issue(db, "Cannot print wristbands", Severity.P2, local(2027, 1, 18, 10, 0))
    log_issue(db, "Drug missing from formulary", Severity.P1, local(2027, 1, 18, 23, 30))
    log_issue(db, "Slow login", Severity.P3, local(2027, 1, 19, 8, 0))  # today: not yesterday
    clock = ManualClock(local(2027, 1, 19, 10, 0))
    text = service(db, clock).render(
        "Day {golive_day}: {open_issues} open, P1 {open_p1}, new {opened_yesterday}"
    )
    assert text == "Day 2: 3 open, P1 1, new 2"


def test_top_10_lists_the_most_severe_first_then_the_oldest(db: Database) -> None:
    log_issue(db, "Old P3", Severity.P3, local(2027, 1, 18, 9, 0))
    log_issue(db, "New P1", Severity.P1, local(2027, 1, 19, 9, 0))
    log_issue(db, "Older P1", Severity.P1, local(2027, 1, 18, 12, 0))
    clock = ManualClock(local(2027, 1, 19, 10, 0))
    lines = service(db, clock).render("{oldest_open_issues}").splitlines()
    assert [line.split(": ", 1)[1].split(" (")[0] for line in lines] == ["Older P1", "New P1", "Old P3"]


def test_unanswered_questions_are_posted_without_identifiers_or_mentions(db: Database) -> None:
    yesterday = local(2027, 1, 18, 15, 0)
    for _ in range(2):
        answers.record_unanswered(db, "where is the <!channel> drug chart", yesterday, "slack", "U1")
    answers.record_unanswered(db, "patient 999 000 0018 has no wristband", yesterday, "slack", "U2")
    clock = ManualClock(local(2027, 1, 19, 7, 30))
    text = service(db, clock).render("{top_unanswered}")
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert "9990000018" not in text.replace(" ", "") and "[NHS number removed]" in text
    assert "(asked 2 times)" in text


def test_contact_now_follows_the_phase_and_the_time_of_day(db: Database) -> None:
    contacts = (
        Contact("Command centre", "ext 4444", ("go-live",), (), time(7), time(21)),
        Contact("Night floorwalker", "bleep 1235", ("go-live",), (), time(21), time(7)),
        Contact("Service desk", "ext 5555", ("maintenance",)),
    )
    config = org(contacts=contacts)
    assert "Night floorwalker" in service(db, ManualClock(local(2027, 1, 19, 3, 0)), config).render(
        "{contact_now}"
    )
    assert "Command centre" in service(db, ManualClock(local(2027, 1, 19, 9, 0)), config).render(
        "{contact_now}"
    )
    assert "Service desk" in service(db, ManualClock(local(2027, 3, 1, 3, 0)), config).render("{contact_now}")


def test_a_post_sent_late_names_who_is_on_call_when_it_is_read_not_when_it_was_due(db: Database) -> None:
    """A 07:30 briefing held up by a Slack outage until 22:00 keeps its day's figures, but tells staff to
    call the night floorwalker, not the command centre that closed at 21:00."""
    contacts = (
        Contact("Command centre", "ext 4444", ("go-live",), (), time(7), time(21)),
        Contact("Night floorwalker", "bleep 1235", ("go-live",), (), time(21), time(7)),
    )
    late = service(db, ManualClock(local(2027, 1, 19, 22, 0)), org(contacts=contacts))
    text = late.render("{today}: call {contact_now}", local(2027, 1, 19, 7, 30))
    assert "Night floorwalker" in text and "Command centre" not in text and "19 January" in text


def test_contact_now_with_nobody_listed_tells_staff_what_to_do_not_what_the_config_lacks(
    db: Database,
) -> None:
    posted = service(db, ManualClock(local(2027, 1, 19, 3, 0)), org(contacts=())).render("{contact_now}")
    assert "/golive issue" in posted and "clinical escalation" in posted and "config" not in posted


def test_the_go_live_day_is_not_counted_before_go_live(db: Database) -> None:
    """A post written with {golive_day} said 'Day 1' weeks before go-live, and a countdown '-2 to go'
    after it; go-live (18 Jan, 07:00) is day 1 from its date, whatever the hour."""
    template = "day {golive_day}, {days_since_golive} since, {days_to_golive} to go"
    said = {
        when: service(db, ManualClock(local(*when))).render(template)
        for when in [(2026, 12, 1, 9, 0), (2027, 1, 17, 23, 59), (2027, 1, 18, 6, 0), (2027, 1, 20, 9, 0)]
    }
    assert list(said.values()) == [
        "day n/a, n/a since, 48 to go",
        "day n/a, n/a since, 1 to go",
        "day 1, 0 since, 0 to go",
        "day 3, 2 since, n/a to go",
    ]


def test_the_trusts_own_contact_numbers_and_addresses_are_posted_as_written(db: Database, tmp_path) -> None:
    """The on-call manager's mobile and the supplier's address are how staff reach help: only a patient's
    are removed. Figures staff typed (an issue's summary) are still cleaned of them."""
    on_call = Contact("On-call manager", "mobile 07700 900123 or oncall@supplier.example", ("go-live",))
    comms = service(db, ManualClock(local(2027, 1, 19, 3, 0)), org(contacts=(on_call,)))
    assert "07700 900123 or oncall@supplier.example" in comms.render("Who to call: {contact_now}")
    plan = "announcements:\n" + item("oncall", "at: 2027-01-19 09:00", "text: Ring 07700 900456 tonight")
    assert problems_in(tmp_path, plan) == []
    log_issue(db, "texts to 07700 900789 bounce", Severity.P2, local(2027, 1, 19, 2, 0))
    assert "900789" not in comms.render("{oldest_open_issues}")
