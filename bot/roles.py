"""Who may do what: membership of a configured group, answered by whichever platform holds the groups.

The domain asks `Membership.is_member`; the Slack layer answers from user group lists, the command
line and tests from the user ids in the config alone. A platform that cannot be asked just now raises
`MembershipUnknown` rather than answer no: a member told they are not one goes chasing a config change
while the issue they pressed for waits, where 'try again in a minute' would have done.
"""

from __future__ import annotations

from typing import Protocol

from bot.config import Group


class MembershipUnknown(Exception):
    """Neither yes nor no: `holder`, which keeps the group's members, could not be asked just now."""

    def __init__(self, holder: str) -> None:
        super().__init__(f"{holder} could not be asked who is in the group")
        self.holder = holder


class Membership(Protocol):
    def is_member(self, user_id: str, group: Group) -> bool:
        """Whether `user_id` is in `group`; raises `MembershipUnknown` when that cannot be told now."""
        ...

    def members_of(self, usergroup: str) -> frozenset[str] | None:
        """Who is in the platform's user group; None when that cannot be told now, or here."""
        ...


class ConfiguredMembership:
    """Membership from the config's user ids only; a user group cannot be expanded without Slack."""

    def is_member(self, user_id: str, group: Group) -> bool:
        return user_id in group.users

    def members_of(self, usergroup: str) -> frozenset[str] | None:
        return None
