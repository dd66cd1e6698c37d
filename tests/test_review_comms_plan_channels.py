"""Review: a comms lead names a channel in the plan the way Slack shows it, or with a slip, and is told
which channel the bot would have read, not only to go and find a channel id."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.comms.schedules import read_schedules
from bot.config import load_org_config
from bot.yamlsource import InvalidFile
from tests.test_comms_schedules import item, problems_in
from tests.test_comms_setup import org


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


def test_one_phase_written_without_brackets_is_read_as_channels_are(tmp_path: Path) -> None:
    plan = item("a", "at: 2027-01-19 09:00", "phases: go-live", "text: Hi")
    (tmp_path / "plan.yaml").write_text("announcements:\n" + plan)
    [announcement], problems = read_schedules(tmp_path, org())
    assert problems == [] and announcement.phases == ("go-live",)


def test_a_misspelt_phase_is_answered_with_the_phase_meant(tmp_path: Path) -> None:
    plan = item("a", "at: 2027-01-19 09:00", "phases: [golive, maintenance]", "text: Hi")
    assert problems_in(tmp_path, "announcements:\n" + plan) == [
        "plan.yaml:5: phases: unknown phase 'golive' (did you mean go-live?): phases are a list from"
        " preliminary, go-live, maintenance"
    ]


def test_a_contacts_misspelt_phase_is_answered_as_a_posts_is(tmp_path: Path) -> None:
    """The config's contacts read phases with the plan's rule, so 'go_live' is not refused a second way."""
    config = tmp_path / "golive.yaml"
    config.write_text("contacts:\n  - name: Desk\n    how: ext 5555\n    phases: [go_live]\n")
    with pytest.raises(InvalidFile) as refused:
        load_org_config(config)
    [problem] = refused.value.problems
    assert problem.line == 4 and "unknown phase 'go_live' (did you mean go-live?)" in problem.message


@pytest.mark.parametrize(
    ("relative", "said"),
    [
        ('{days_before: 7, time: "07:30"}', "relative: unknown field 'time': relative takes days_before or"),
        ('{days_befor: 7, at: "07:30"}', "relative: unknown field 'days_befor' (did you mean days_before?)"),
    ],
)
def test_a_misspelt_field_of_a_relative_date_is_refused_not_posted_at_nine(
    tmp_path: Path, relative: str, said: str
) -> None:
    """Before: 'time: 07:30' was passed over and the countdown went out at the default 09:00."""
    problems = problems_in(tmp_path, "announcements:\n" + item("a", f"relative: {relative}", "text: Hi"))
    assert problems[0].startswith(f"plan.yaml:4: {said}")


def test_a_misspelt_field_of_a_post_is_answered_with_the_field_meant(tmp_path: Path) -> None:
    plan = item("a", 'cron: "0 9 * * *"', "untill: 2027-02-12", "text: Hi")
    assert problems_in(tmp_path, "announcements:\n" + plan) == [
        "plan.yaml:5: untill: unknown field (did you mean until?): a post takes at, channels, cron, id,"
        " phases, relative, start, text, until"
    ]


def test_a_weekday_range_written_across_the_weekend_says_how_to_write_it(tmp_path: Path) -> None:
    """'5-1' (Friday to Monday) was told it 'must be within 0-7', which it is."""
    [problem] = problems_in(tmp_path, "announcements:\n" + item("a", 'cron: "0 9 * * 5-1"', "text: Hi"))
    assert problem.startswith("plan.yaml:4: cron: ")
    assert "day of week '5-1' runs backwards: write it as 5-6,0-1 (0 and 7 are Sunday)" in problem


@pytest.mark.parametrize("text", ["{days_to_golive} days to go", "{days_to_golive}"])
def test_a_text_that_starts_with_a_placeholder_unquoted_is_told_to_be_quoted(
    tmp_path: Path, text: str
) -> None:
    """YAML reads '{' at the start of a value as a mapping: the lead was told to check the indentation,
    or that the post had no text at all."""
    [problem] = problems_in(tmp_path, "announcements:\n" + item("a", 'cron: "0 9 * * 1"', f"text: {text}"))
    assert problem.startswith("plan.yaml:5: ")
    assert "a value that starts with { or [ is read by YAML as a mapping or list: put it in quotes" in problem
