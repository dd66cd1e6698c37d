"""Role checks see the maintenance team and comms leads as configured ids plus Slack user groups."""

from __future__ import annotations

from datetime import UTC, datetime

from fake_slack import FakeSlack
from slack_sdk import WebClient

from bot.clock import ManualClock
from bot.config import Group
from bot.slack.membership import SlackMembership


def test_membership_comes_from_config_and_the_slack_user_group(fake_slack: FakeSlack):
    clock = ManualClock(datetime(2027, 1, 18, 9, tzinfo=UTC))
    fake_slack.usergroups["S0SUPPORT"] = ["U0GROUPIE"]
    membership = SlackMembership(WebClient(base_url=fake_slack.url, token="xoxb-t"), clock)
    team = Group(frozenset({"U0LISTED"}), "S0SUPPORT")
    assert membership.is_member("U0LISTED", team)
    assert membership.is_member("U0GROUPIE", team)
    assert not membership.is_member("U0STRANGER", team)
    assert len(fake_slack.calls_to("usergroups.users.list")) == 1  # cached
    fake_slack.usergroups["S0SUPPORT"] = []
    clock.advance(minutes=10)
    assert not membership.is_member("U0GROUPIE", team)  # the cache expired and the group changed


def test_membership_falls_back_to_configured_ids_when_slack_errors(fake_slack: FakeSlack, caplog):
    fake_slack.usergroups["S0SUPPORT"] = ["U0GROUPIE"]
    fake_slack.fail("usergroups.users.list", error="missing_scope")
    membership = SlackMembership(
        WebClient(base_url=fake_slack.url, token="xoxb-t"), ManualClock(datetime.now(UTC))
    )
    team = Group(frozenset({"U0LISTED"}), "S0SUPPORT")
    assert not membership.is_member("U0GROUPIE", team)
    assert membership.is_member("U0LISTED", team)
    assert "missing_scope" in caplog.text
    assert membership.is_member("U0GROUPIE", team)  # the failure was not cached


def test_the_app_gives_surfaces_slack_membership(slack_bot):
    bot = slack_bot()
    assert isinstance(bot.services.membership, SlackMembership)


def test_a_groups_members_are_none_when_it_is_gone_and_unknown_while_slack_is_down(fake_slack: FakeSlack):
    """What an urgent call-out asks before paging a group: 'nobody' and 'cannot tell' differ."""
    membership = SlackMembership(
        WebClient(base_url=fake_slack.url, token="xoxb-t"), ManualClock(datetime.now(UTC))
    )
    fake_slack.fail("usergroups.users.list", status=500)
    assert membership.members_of("S0ONCALL") is None
    fake_slack.fail("usergroups.users.list", error="no_such_subteam")
    assert membership.members_of("S0ONCALL") == frozenset()
    fake_slack.usergroups["S0ONCALL"] = ["U0DOC"]
    assert membership.members_of("S0ONCALL") == {"U0DOC"}
