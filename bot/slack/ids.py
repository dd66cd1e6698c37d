"""Slack ids read from payloads, used only when they have Slack's shape.

An id from a payload ends up in a mention, an API call, a database column of fixed width or an
exactly-once key. Anything else in its place (a 10,000-character string, `!channel`, a lowercase
name) is treated as absent, so the handler answers "try again" instead of failing on a write.
"""

from __future__ import annotations

import re
from typing import Any

_USER = re.compile(r"[UW][A-Z0-9]{1,62}")
_VIEW = re.compile(r"V[A-Z0-9]{1,62}")


def user_id(value: object) -> str:
    """The value when it is a user id, else ''."""
    return value if isinstance(value, str) and _USER.fullmatch(value) else ""


def user_of(body: dict[str, Any]) -> str:
    """The id of the person behind an interactive payload, else ''."""
    user = body.get("user")
    return user_id(user.get("id") if isinstance(user, dict) else None)


def view_id(value: object) -> str:
    """The value when it is a view id, else ''."""
    return value if isinstance(value, str) and _VIEW.fullmatch(value) else ""
