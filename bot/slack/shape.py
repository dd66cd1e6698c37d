"""Parses a verified Slack request body and checks it has the shape Bolt and our handlers rely on.

A body can be correctly signed and still hostile or broken (a replayed test payload, a proxy that
mangles it). Anything that is not JSON, nests absurdly deep, or holds the wrong type where Bolt
reads an id is refused here with a reason, so it is answered 400 instead of failing inside Bolt.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from bot.plaintext import storable

MAX_DEPTH = 32
# Top-level keys Bolt reads while building its context, and the type each must have when present.
_OBJECTS = (
    "team", "user", "channel", "enterprise", "container", "view", "message", "previous_message",
    "event", "item", "assistant_thread", "function_data", "state",
)  # fmt: skip
_LISTS_OF_OBJECTS = ("authorizations", "actions")
_STRINGS = (
    "type", "token", "team_id", "user_id", "channel_id", "enterprise_id", "event_id", "api_app_id",
    "trigger_id", "response_url", "callback_id", "thread_ts", "command", "text", "challenge",
    "context_team_id", "context_enterprise_id",
)  # fmt: skip
_EVENT_STRINGS = (
    "type", "text", "ts", "thread_ts", "subtype", "bot_id", "channel_type", "team", "user_team", "user_id",
    "event_ts", "tab",
)  # fmt: skip
# An id, or in events such as user_change, team_join and channel_created the object it names.
_EVENT_IDS_OR_OBJECTS = ("user", "channel")
_EVENT_OBJECTS = ("message", "previous_message", "item", "assistant_thread", "view", "bot_profile")
# Ids and timestamps end up in keys and columns of fixed width; Slack's own are a few dozen characters.
_IDS = (
    "team_id", "user_id", "channel_id", "enterprise_id", "event_id", "api_app_id", "trigger_id",
    "callback_id", "thread_ts", "command", "context_team_id", "context_enterprise_id",
)  # fmt: skip
_EVENT_IDS = ("type", "user", "channel", "ts", "thread_ts", "subtype", "bot_id", "team", "event_ts")
MAX_ID = 255
# C0 controls but tab, newline and carriage return: nobody types them, and PostgreSQL refuses NUL in text.


class BadShape(ValueError):
    """The body cannot be a Slack request; the message says why, for the log and the 400 body."""


# What Bolt raises while it reads a signed payload whose nested fields have the wrong types (a number
# for `authorizations[0].team`, `event.message.user` or `response_urls`): the checks here cover the
# fields the bot reads, Bolt reads more, and such a payload is malformed, not a failure of ours.
BOLT_READ_ERRORS = (TypeError, AttributeError, KeyError, IndexError, ValueError)
UNEXPECTED_FIELDS = "a field of the payload has an unexpected type"


def parse_body(body: str, content_type: str) -> dict[str, Any]:
    """The payload of a Slack request body, or BadShape when it is not one with the expected types."""
    if not body:
        raise BadShape("the body is empty")
    if content_type.split(";")[0].strip().lower() == "application/json" or body.startswith("{"):
        return _check_payload(_parse_json(body, "the body"))
    try:
        form = dict(parse_qsl(body, keep_blank_values=True, max_num_fields=200))
    except ValueError as exc:
        raise BadShape("the form has too many fields") from exc
    if "payload" in form:
        return _check_payload(_parse_json(form["payload"], "the payload field"))
    if "command" not in form and "ssl_check" not in form:
        raise BadShape("neither a JSON event, an interactive payload nor a slash command")
    _check_lengths(form, _IDS, "")
    make_storable(form)
    return form


def check_socket_payload(kind: str, payload: object) -> dict[str, Any]:
    """A Socket Mode envelope's payload, cleaned and checked as `parse_body` checks an HTTP body; it
    arrives already parsed, and a slash command's is the form's fields, with no `type`."""
    if not isinstance(payload, dict):
        raise BadShape("the payload must be a JSON object")
    if _depth(payload) > MAX_DEPTH:
        raise BadShape(f"the payload nests deeper than {MAX_DEPTH} levels")
    make_storable(payload)
    if kind != "slash_commands":
        return _check_payload(payload)
    if not isinstance(payload.get("command"), str):
        raise BadShape("a slash command needs a command")
    _check_types(payload, _STRINGS, str, "")
    _check_lengths(payload, _IDS, "")
    return payload


def _parse_json(text: str, what: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise BadShape(f"{what} is not valid JSON") from exc
    if not isinstance(data, dict):
        raise BadShape(f"{what} must be a JSON object")
    if _depth(data) > MAX_DEPTH:
        raise BadShape(f"{what} nests deeper than {MAX_DEPTH} levels")
    make_storable(data)
    return data


def _depth(value: object) -> int:
    """Nesting depth, iteratively, so a hostile body cannot exhaust the stack here either."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _check_payload(data: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(data.get("type"), str):
        raise BadShape("the payload has no type")
    _check_types(data, _STRINGS, str, "")
    _check_lengths(data, _IDS, "")
    for key in [k for k in _OBJECTS if k in data and data[k] is None]:
        del data[key]  # null is absent ('enterprise': null is common); Bolt reads a 'view' as an object
    _check_types(data, _OBJECTS, dict, "")
    for key in _LISTS_OF_OBJECTS:
        value = data.get(key)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
            raise BadShape(f"{key} must be a list of objects")
    for action in data.get("actions") or ():
        _check_types(action, ("action_id", "block_id", "value", "type"), str, "actions[].")
    if data["type"] == "event_callback":
        _check_event(data)
    _check_required(data)
    return data


def _check_required(data: dict[str, Any]) -> None:
    """What Bolt indexes without looking, by payload type: missing, it would answer 500, not 400."""
    kind = data["type"]
    if kind in ("block_actions", "interactive_message") and not data.get("actions"):
        raise BadShape(f"a {kind} payload needs at least one action")
    if kind == "block_actions" and not all(isinstance(a.get("action_id"), str) for a in data["actions"]):
        raise BadShape("every action needs an action_id")
    view = data.get("view") or {}
    if kind in ("view_submission", "view_closed") and not (
        isinstance(view.get("type"), str) and isinstance(view.get("callback_id"), str)
    ):
        raise BadShape(f"a {kind} payload needs a view with a type and a callback_id")
    if kind in ("shortcut", "message_action") and not isinstance(data.get("callback_id"), str):
        raise BadShape(f"a {kind} payload needs a callback_id")


def _check_event(data: dict[str, Any]) -> None:
    event = data.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        raise BadShape("an event_callback needs an event object with a type")
    if not isinstance(data.get("event_id"), str) or not data["event_id"]:
        raise BadShape("an event_callback needs an event_id")
    _check_types(event, _EVENT_STRINGS, str, "event.")
    _check_lengths(event, _EVENT_IDS, "event.")
    _check_types(event, _EVENT_OBJECTS, dict, "event.")
    for key in _EVENT_IDS_OR_OBJECTS:
        value = event.get(key)
        named = value.get("id") if isinstance(value, dict) else value  # Bolt reads the object's id
        if named is not None and not (isinstance(named, str) and len(named) <= MAX_ID):
            raise BadShape(f"event.{key} must be an id or an object with an id")


def json_object(text: object) -> dict[str, Any] | None:
    """A JSON object carried inside a payload string (a button's value, a form's private_metadata),
    cleaned as the payload itself is, since JSON can spell a NUL as \\u0000; None when it is not one
    (hostile nesting included)."""
    if not isinstance(text, str):
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    make_storable(data)
    return data


def state_values(view: object) -> dict[str, Any]:
    """A submitted view's state.values: {} when it or anything on the way is absent or not an object
    (forged, or from an older version of the form)."""
    state = view.get("state") if isinstance(view, dict) else None
    values = state.get("values") if isinstance(state, dict) else None
    return values if isinstance(values, dict) else {}


def make_storable(data: dict[str, Any] | list[Any]) -> None:
    """Make every string of a payload text any database takes, in place (iteratively: any depth): a
    control character typed or forged (a NUL, an escape) becomes a space, and a lone surrogate (JSON can
    spell one, UTF-8 cannot) a '?', so it is answered, stored and echoed like any other."""
    stack = [data]
    while stack:
        item = stack.pop()
        for key in list(item.keys() if isinstance(item, dict) else range(len(item))):
            value = item[key]
            if isinstance(value, str):
                item[key] = storable(value)
            elif isinstance(value, dict | list):
                stack.append(value)


def _check_lengths(data: dict[str, Any], keys: tuple[str, ...], prefix: str) -> None:
    """Text too long to be an id; a value of another type is for the type checks to refuse."""
    for key in keys:
        if isinstance(value := data.get(key), str) and len(value) > MAX_ID:
            raise BadShape(f"{prefix}{key} is longer than {MAX_ID} characters")


def _check_types(data: dict[str, Any], keys: tuple[str, ...], kind: type, prefix: str) -> None:
    for key in keys:
        if data.get(key) is not None and not isinstance(data[key], kind):
            raise BadShape(f"{prefix}{key} must be {'text' if kind is str else 'an object'}")
