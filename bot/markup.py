"""Text helpers for Slack-style mrkdwn that any layer may use, the domain included, without importing Slack.

In mrkdwn only `&`, `<` and `>` are control characters: `<!channel>`, `<@U123>` and `<url|label>` are
all written with angle brackets. Escaping those three makes text typed by a person inert, so it can
be echoed in a post without mentioning anyone or hiding a link's target.
"""

from __future__ import annotations


def escape(text: str) -> str:
    """Make user text inert in mrkdwn: no mentions, no @channel, no links that hide their target."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """The text as typed, from its escaped form (e.g. to show it in a terminal)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
