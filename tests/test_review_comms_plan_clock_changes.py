"""Review: a plan file's one-off post at a time the clocks skip or repeat is posted at another time than
the comms lead wrote (or at the first of two), and validate now says so before the night comes."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import trust_folder

from tests.test_comms_schedules import item
from tests.test_comms_setup import local
from tests.test_schedule_review_fixes import CONFIG, validated


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A trust's folder with a knowledge base, a go-live in January 2027 and an empty schedules folder."""
    return trust_folder(tmp_path, monkeypatch, CONFIG)


def test_a_post_at_a_time_the_clocks_skip_is_warned_of_with_when_it_posts(site: Path, capsys) -> None:
    code, out = validated(
        site, item("clocks", "at: 2027-03-28 01:30", "text: Clocks go forward"), capsys=capsys
    )
    assert code == 0
    assert (
        "plan.yaml:2: clocks: warning: 2027-03-28 01:30 does not happen in Europe/London (the clocks go"
        " forward that night): it posts at 02:30 BST"
    ) in out


def test_a_countdown_at_a_time_that_happens_twice_is_warned_of_posting_the_first(site: Path, capsys) -> None:
    """A relative post falls on the night the clocks go back as easily as an `at`."""
    site.joinpath("golive.yaml").write_text(
        site.joinpath("golive.yaml").read_text().replace("2027-01-18 07:00", "2027-11-07 07:00")
        .replace("2027-02-12 17:00", "2027-12-10 17:00")
    )  # fmt: skip
    post = item("night-before", 'relative: {days_before: 7, at: "01:30"}', "text: One week")
    code, out = validated(site, post, capsys=capsys)
    assert code == 0
    assert (
        "plan.yaml:2: night-before: warning: 2027-10-31 01:30 happens twice in Europe/London (the clocks go"
        " back that night): it posts at the first, 01:30 BST"
    ) in out


@pytest.mark.parametrize("when", ["at: 2027-03-28 03:30", 'cron: "30 1 * * *"'])
def test_a_time_the_clocks_keep_is_not_warned_of(site: Path, capsys, when: str) -> None:
    """A daily post keeps its own rule, in the README: only a one-off time is the lead's single moment."""
    code, out = validated(site, item("fine", when, "text: Hi"), capsys=capsys)
    assert code == 0 and "does not happen" not in out and "happens twice" not in out


def test_in_go_live_week_the_countdown_posted_last_week_is_not_said_to_be_unposted(
    site: Path, capsys
) -> None:
    """A comms lead adding a briefing on go-live day 3 was told seven times that last week's countdown
    'will not be posted', though it went out, with the one warning that mattered among them."""
    posts = (
        item(
            "countdown-7", 'relative: {days_before: 7, at: "09:00"}', "phases: [preliminary]", "text: A week"
        ),
        item(
            "countdown-1",
            'relative: {days_before: 1, at: "09:00"}',
            "phases: [preliminary]",
            "text: Tomorrow",
        ),
        item("day-two-huddle", "at: 2027-01-19 10:00", "text: Huddle"),  # added today, for yesterday
    )
    code, out = validated(site, *posts, now=local(2027, 1, 20, 9, 0), capsys=capsys)
    assert code == 0, out
    assert "countdown-7: warning" not in out and "countdown-1: warning" not in out
    assert (
        "plan.yaml:2: warning: 2 posts are for the preliminary phase, which is over (countdown-7,"
        " countdown-1): they went out then if the bot was running, and will not be posted again"
    ) in out
    assert (
        "plan.yaml:12: day-two-huddle: warning: at 2027-01-19 10:00 has passed: it will not be posted"
        " from now on" in out
    )


def test_a_placeholder_for_a_date_the_config_does_not_set_is_warned_of(site: Path, capsys) -> None:
    """Before: 'Intensive support runs until (not set).' reached every member of staff, validate silent."""
    config = site / "golive.yaml"
    config.write_text(config.read_text().replace("  intensive_support_ends: 2027-02-12 17:00\n", ""))
    post = item(
        "countdown-7",
        'relative: {days_before: 7, at: "09:00"}',
        "text: Support runs until {support_ends_date}",
    )
    code, out = validated(site, post, capsys=capsys)
    assert code == 0
    assert (
        "plan.yaml:2: countdown-7: warning: {support_ends_date} would read '(not set)':"
        " golive.intensive_support_ends is not set in the config; set it, or take the placeholder out"
    ) in out
