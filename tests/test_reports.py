from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.issues.model import Issue, Resolution, Severity, Status
from bot.issues.reports import Period, build_report, percentile

LONDON = ZoneInfo("Europe/London")
T0 = datetime(2027, 1, 18, 8, 0, tzinfo=UTC)
WEEK = Period(date(2027, 1, 18), date(2027, 1, 24), LONDON)


def issue(
    n: int,
    created: datetime = T0,
    severity: Severity = Severity.P3,
    ack_after: timedelta | None = None,
    resolve_after: timedelta | None = None,
    status: Status | None = None,
    area: str = "Login and access",
    location: str = "Ward 3",
) -> Issue:
    resolved = created + resolve_after if resolve_after is not None else None
    return Issue(
        id=n,
        summary=f"issue {n}",
        details="details",
        location=location,
        area=area,
        severity=severity,
        patient_safety=False,
        contact="bleep 1234",
        reporter_id="U1",
        status=status or (Status.RESOLVED if resolved else Status.ACKNOWLEDGED if ack_after else Status.NEW),
        created_at=created,
        updated_at=created,
        acknowledged_at=created + ack_after if ack_after is not None else None,
        resolved_at=resolved,
        resolution=Resolution.FIXED if resolved else None,
    )


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def test_nearest_rank_percentile_is_a_value_that_happened() -> None:
    values = [minutes(m) for m in range(1, 11)]
    assert percentile(values, 0.9) == minutes(9)
    assert percentile(values[:3], 0.9) == minutes(3)
    assert percentile([minutes(7)], 0.9) == minutes(7)
    assert percentile([], 0.9) is None


def test_times_to_acknowledge_and_resolve_with_p1s_separately() -> None:
    issues = [
        issue(1, severity=Severity.P1, ack_after=minutes(4), resolve_after=minutes(60)),
        issue(2, severity=Severity.P1, ack_after=minutes(10)),
        issue(3, severity=Severity.P1),
        issue(4, ack_after=minutes(30), resolve_after=minutes(240)),
        issue(5, ack_after=minutes(50), resolve_after=minutes(120)),
        issue(6, ack_after=minutes(90)),
    ]
    report = build_report(issues, WEEK)
    assert report.to_acknowledge.median == minutes(30)
    assert report.to_acknowledge.p90 == minutes(90)
    assert (report.to_acknowledge.measured, report.to_acknowledge.waiting) == (5, 1)
    assert report.to_resolve.median == minutes(120)
    assert report.to_resolve.p90 == minutes(240)
    assert report.p1_to_acknowledge.median == minutes(7)
    assert report.p1_to_acknowledge.p90 == minutes(10)
    assert (report.p1_to_resolve.median, report.p1_to_resolve.waiting) == (minutes(60), 2)


def test_a_reopened_issue_is_not_counted_as_resolved() -> None:
    reopened = issue(1, ack_after=minutes(5), resolve_after=minutes(20), status=Status.REOPENED)
    report = build_report([reopened], WEEK)
    assert report.to_resolve.measured == 0 and report.to_resolve.waiting == 1
    assert sum(d.resolved for d in report.per_day) == 0


def test_breakdowns_count_issues_opened_in_the_period() -> None:
    issues = [
        issue(1, severity=Severity.P1, area="Prescribing", location="Pharmacy"),
        issue(2, area="Prescribing", location="Ward 3"),
        issue(3, ack_after=minutes(5), location="Pharmacy"),
        issue(4, created=T0 - timedelta(days=3), area="Old"),
    ]
    report = build_report(issues, WEEK)
    assert report.opened == 3
    assert report.by_severity == {"P1": 1, "P2": 0, "P3": 2, "P4": 0}
    assert report.by_status == {"new": 2, "acknowledged": 1, "assigned": 0, "resolved": 0, "reopened": 0}
    assert report.by_area == {"Prescribing": 2, "Login and access": 1}
    assert report.by_location == {"Pharmacy": 2, "Ward 3": 1}


def test_per_day_counts_use_local_days_across_the_clock_change() -> None:
    # Clocks go forward at 01:00 UTC on 28 March 2027: 23:30 UTC on the 28th is 00:30 BST on the 29th.
    period = Period(date(2027, 3, 27), date(2027, 3, 29), LONDON)
    issues = [
        issue(1, created=datetime(2027, 3, 27, 23, 30, tzinfo=UTC)),  # 23:30 GMT, the 27th
        issue(2, created=datetime(2027, 3, 28, 23, 30, tzinfo=UTC), resolve_after=minutes(20)),  # the 29th
        issue(3, created=datetime(2027, 3, 26, 12, 0, tzinfo=UTC), resolve_after=timedelta(days=2)),
        issue(4, created=datetime(2027, 3, 29, 23, 30, tzinfo=UTC)),  # 00:30 BST on the 30th: outside
    ]
    report = build_report(issues, period)
    assert [(d.day.day, d.opened, d.resolved) for d in report.per_day] == [(27, 1, 0), (28, 0, 1), (29, 1, 1)]
    assert report.opened == 2


def test_the_default_period_is_the_last_seven_local_days() -> None:
    late_evening_bst = datetime(2027, 6, 30, 23, 30, tzinfo=UTC)  # already 1 July in London
    period = Period.ending(late_evening_bst, 7, LONDON)
    assert (period.first, period.last) == (date(2027, 6, 25), date(2027, 7, 1))
    assert period.start == datetime(2027, 6, 24, 23, 0, tzinfo=UTC)
    assert period.end == datetime(2027, 7, 1, 23, 0, tzinfo=UTC)
