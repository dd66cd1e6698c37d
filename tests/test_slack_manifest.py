"""An app created from manifest.yml receives everything the bot listens for, at the path it serves."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.slack.commands import COMMAND
from bot.slack.server import EVENTS_PATH

MANIFEST = yaml.safe_load((Path(__file__).resolve().parent.parent / "manifest.yml").read_text())


def test_every_request_url_is_the_events_path():
    settings, features = MANIFEST["settings"], MANIFEST["features"]
    urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"]]
    urls += [c["url"] for c in features["slash_commands"]]
    assert all(url.endswith(EVENTS_PATH) for url in urls)
    assert settings["interactivity"]["is_enabled"]


def test_the_command_and_shortcuts_are_the_ones_the_app_handles():
    from bot.slack import issues

    features = MANIFEST["features"]
    assert [c["command"] for c in features["slash_commands"]] == [COMMAND]
    shortcuts = {s["type"]: s["callback_id"] for s in features["shortcuts"]}
    assert shortcuts == {"global": issues.SHORTCUT, "message": issues.MESSAGE_SHORTCUT}


def test_events_and_scopes_cover_what_the_bot_listens_for(slack_bot):
    bot = slack_bot()
    events = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    assert events == {"app_mention", "message.im", "app_home_opened"}
    for event in ("app_mention", "app_home_opened"):
        assert bot.send_event({"type": event, "user": "U0A", "channel": "C0A", "tab": "home"}).status == 200
    bot.fake.wait_for("chat.postMessage")  # the mention was answered
    bot.fake.wait_for("views.publish")  # the App Home was drawn
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "commands", "im:history", "usergroups:read"} <= scopes


def test_the_manifest_asks_for_no_scope_the_bot_does_not_use() -> None:
    """Least privilege: each scope is there for a Web API method or event the code uses."""
    used = {
        "app_mentions:read", "chat:write", "commands", "im:history", "im:write",
        "channels:history", "groups:history", "usergroups:read", "users:read",
    }  # fmt: skip
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == used
