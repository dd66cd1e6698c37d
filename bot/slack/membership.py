"""Group membership answered from Slack: configured user ids plus the members of a Slack user group.

User group lists are cached for a few minutes, since role checks happen on every button press; when
Slack cannot be asked, the configured ids still work and the failure is logged.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import Clock
from bot.config import Group

log = logging.getLogger(__name__)


class SlackMembership:
    def __init__(self, client: WebClient, clock: Clock, ttl: timedelta = timedelta(minutes=5)):
        self._client = client
        self._clock = clock
        self._ttl = ttl
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[datetime, frozenset[str]]] = {}

    def is_member(self, user_id: str, group: Group) -> bool:
        if user_id in group.users:
            return True
        return bool(group.usergroup) and user_id in self._members(group.usergroup or "")

    def _members(self, usergroup: str) -> frozenset[str]:
        now = self._clock.now()
        with self._lock:
            cached = self._cache.get(usergroup)
        if cached and now - cached[0] < self._ttl:
            return cached[1]
        try:
            response = self._client.usergroups_users_list(usergroup=usergroup)
        except SlackApiError as exc:
            log.error(
                "could not list Slack user group %s (%s); using the configured user ids only",
                usergroup,
                exc.response.get("error", "unknown error"),
            )
            return frozenset()
        except OSError as exc:
            log.error("could not reach Slack to list user group %s (%s)", usergroup, exc)
            return frozenset()
        users = frozenset(u for u in response.get("users", []) if isinstance(u, str))
        with self._lock:
            self._cache[usergroup] = (now, users)
        return users
