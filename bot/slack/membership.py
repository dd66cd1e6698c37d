"""Group membership answered from Slack: configured user ids plus the members of a Slack user group.

User group lists are cached for a few minutes, since role checks happen on every button press. When
Slack cannot be asked (slow, rate-limited, down), the list last seen within the hour still vouches for
those it names (a member a minute ago is a member now); anyone else, or everyone when no list was
seen, is neither in nor out: `MembershipUnknown`, so a member is asked to press again rather than told
they are not on the team. A group Slack says is gone, or that the token may not read, grants no role.
Role checks run while a person waits (a form's answer must be ready within Slack's 3 s), so Slack is
asked once, briefly: neither a rate limit nor a failure is retried.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import Clock
from bot.config import Group
from bot.roles import MembershipUnknown
from bot.slack.clients import one_try

log = logging.getLogger(__name__)
LOOKUP_TIMEOUT = 2  # seconds
STALE_FOR = timedelta(hours=1)  # the list last seen vouches for its members this long, no longer
_NOBODY: frozenset[str] = frozenset()


class SlackMembership:
    def __init__(self, client: WebClient, clock: Clock, ttl: timedelta = timedelta(minutes=5)):
        self._client = one_try(client, LOOKUP_TIMEOUT)
        self._clock = clock
        self._ttl = ttl
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[datetime, frozenset[str]]] = {}

    def is_member(self, user_id: str, group: Group) -> bool:
        if user_id in group.users:
            return True
        if not group.usergroup:
            return False
        members, answered = self._members(group.usergroup)
        if user_id in members or answered:
            return user_id in members
        raise MembershipUnknown("Slack")

    def members_of(self, usergroup: str) -> frozenset[str] | None:
        """The group's members as Slack last said (none when it is gone or may not be read); None when
        Slack cannot be asked and no list is recent enough to stand in."""
        members, answered = self._members(usergroup)
        return members if answered or members else None

    def _members(self, usergroup: str) -> tuple[frozenset[str], bool]:
        """The group's members, and whether that is Slack's answer (or its refusal); when it is not,
        the members are those of the list last seen, if it is recent enough to vouch for them."""
        now = self._clock.now()
        with self._lock:
            cached = self._cache.get(usergroup)
        if cached and now - cached[0] < self._ttl:
            return cached[1], True
        last_seen = cached[1] if cached and now - cached[0] <= STALE_FOR else _NOBODY
        unknown = "the list last seen vouches for its members" if last_seen else "nobody can be vouched for"
        try:
            response = self._client.usergroups_users_list(usergroup=usergroup)
        except SlackApiError as exc:
            code = exc.response.get("error", "unknown error")
            if not _passing(exc):  # Slack answered: the group is gone, or the token may not ask
                log.error("could not list Slack user group %s (%s); it grants no role", usergroup, code)
                return _NOBODY, True
            log.error("could not list Slack user group %s (%s); %s", usergroup, code, unknown)
            return last_seen, False
        except OSError as exc:
            log.error("could not reach Slack to list user group %s (%s); %s", usergroup, exc, unknown)
            return last_seen, False
        users = frozenset(u for u in response.get("users", []) if isinstance(u, str))
        with self._lock:
            self._cache[usergroup] = (now, users)
        return users, True


_PASSING = frozenset(
    {"ratelimited", "fatal_error", "internal_error", "service_unavailable", "request_timeout"}
)


def _passing(exc: SlackApiError) -> bool:
    """Whether Slack failed for a while (a rate limit, an outage) rather than said no: only then may the
    list last seen stand in. A deleted or disabled group, or a revoked token, grants no role."""
    status = exc.response.status_code
    return status == 429 or status >= 500 or exc.response.get("error") in _PASSING
