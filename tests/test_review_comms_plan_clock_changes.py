"""Review: a plan file's one-off post at a time the clocks skip or repeat is posted at another time than
the comms lead wrote (or at the first of two), and validate now says so before the night comes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_comms_schedules import item
from tests.test_schedule_review_fixes import site, validated  # noqa: F401 (site is a fixture)


def test_a_post_at_a_time_the_clocks_skip_is_warned_of_with_when_it_posts(site: Path, capsys) -> None:  # noqa: F811
    code, out = validated(
        site, item("clocks", "at: 2027-03-28 01:30", "text: Clocks go forward"), capsys=capsys
    )
    assert code == 0
    assert (
        "plan.yaml:2: clocks: warning: 2027-03-28 01:30 does not happen in Europe/London (the clocks go"
        " forward that night): it posts at 02:30 BST"
    ) in out


def test_a_countdown_at_a_time_that_happens_twice_is_warned_of_posting_the_first(site: Path, capsys) -> None:  # noqa: F811
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
def test_a_time_the_clocks_keep_is_not_warned_of(site: Path, capsys, when: str) -> None:  # noqa: F811
    """A daily post keeps its own rule, in the README: only a one-off time is the lead's single moment."""
    code, out = validated(site, item("fine", when, "text: Hi"), capsys=capsys)
    assert code == 0 and "does not happen" not in out and "happens twice" not in out
