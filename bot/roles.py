"""Who may do what: membership of a configured group, answered by whichever platform holds the groups.

The domain asks `Membership.is_member`; the Slack layer answers from user group lists, the command
line and tests from the user ids in the config alone.
"""

from __future__ import annotations

from typing import Protocol

from bot.config import Group


class Membership(Protocol):
    def is_member(self, user_id: str, group: Group) -> bool: ...


class ConfiguredMembership:
    """Membership from the config's user ids only; a user group cannot be expanded without Slack."""

    def is_member(self, user_id: str, group: Group) -> bool:
        return user_id in group.users
