"""Review: a comms lead names a channel in the plan the way Slack shows it, or with a slip, and is told
which channel the bot would have read, not only to go and find a channel id."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_comms_schedules import item, problems_in


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("[announcments]", "did you mean announcements?"),
        ("[command-centre]", "did you mean command_centre?"),
        ("[golive-announcements]", """did you mean "#golive-announcements"? A channel's name needs its #"""),
        ('["#Golive-Announcements"]', 'did you mean "#golive-announcements"? Slack'),
    ],
)
def test_a_channel_written_as_slack_shows_it_or_mistyped_is_answered_with_the_one_meant(
    tmp_path: Path, written: str, meant: str
) -> None:
    [problem] = problems_in(
        tmp_path, "announcements:\n" + item("a", 'cron: "0 9 * * *"', "text: Hi", channels=written)
    )
    assert problem.startswith("plan.yaml:3: channels: unknown channel ")
    assert meant in problem
    assert '"#channel-name" in quotes' in problem  # a #name is read, as the config's channels are


def test_a_channel_name_left_unquoted_is_said_to_be_read_as_a_comment(tmp_path: Path) -> None:
    """`channels: #golive-announcements` is a YAML comment: the lead sees no channel, and why."""
    plan = item("a", 'cron: "0 9 * * *"', "text: Hi", channels="#golive-announcements")
    [problem] = problems_in(tmp_path, "announcements:\n" + plan)
    assert problem.startswith("plan.yaml:3: channels: ")
    assert "YAML reads an unquoted # as the start of a comment" in problem
    assert 'in quotes, e.g. channels: ["#golive-announcements"]' in problem


@pytest.mark.parametrize("channels", ["[#golive-announcements]", "[triage,#golive-announcements]"])
def test_a_channel_name_unquoted_in_brackets_says_the_hash_hid_the_bracket(
    tmp_path: Path, channels: str
) -> None:
    """PyYAML reads a '#' just after '[' or ',' as a comment too: the ']' the lead wrote is hidden, so
    'end the list with ]' sent them to add a bracket that was already there."""
    plan = item("a", 'cron: "0 9 * * *"', "text: Hi", channels=channels)
    [problem] = problems_in(tmp_path, "announcements:\n" + plan)
    assert problem.startswith("plan.yaml:3: YAML syntax error: ")
    assert "starts a YAML comment, which hides the rest of the line" in problem
    assert "end the list with" not in problem
