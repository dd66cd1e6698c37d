"""Block Kit rendered as terminal text, so the local console shows exactly the message Slack would show.

Buttons become numbered choices; what a button does is still decided by its action id and value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.slack.blocks import Block, unescape

_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
_BARE = re.compile(r"<(https?://[^>]+|mailto:[^>]+|tel:[^>]+)>")
_MENTION = re.compile(r"<([@#!])([^|>]+)(?:\|([^>]+))?>")


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    value: str


@dataclass(frozen=True)
class Rendered:
    text: str
    buttons: tuple[Button, ...]


def mrkdwn_to_text(text: str) -> str:
    text = _LINK.sub(lambda m: f"{m[2]} ({m[1]})", text)
    text = _BARE.sub(lambda m: m[1].removeprefix("mailto:").removeprefix("tel:"), text)
    text = _MENTION.sub(lambda m: m[3] or ("@" if m[1] != "#" else "#") + m[2], text)
    return unescape(text)


def render(blocks: list[Block]) -> Rendered:
    lines: list[str] = []
    buttons: list[Button] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = block["text"]["text"]
            lines += [title, "=" * len(title)]
        elif kind == "section":
            lines.append(mrkdwn_to_text(block["text"]["text"]))
        elif kind == "context":
            lines.append("  " + " ".join(mrkdwn_to_text(_element_text(e)) for e in block["elements"]))
        elif kind == "actions":
            start = len(buttons) + 1
            buttons += [_button(e) for e in block["elements"] if e.get("type") == "button"]
            lines.append("   ".join(f"[{n}] {b.label}" for n, b in enumerate(buttons[start - 1 :], start)))
        elif kind == "divider":
            lines.append("-" * 40)
    return Rendered("\n".join(lines), tuple(buttons))


def _element_text(element: dict[str, Any]) -> str:
    return str(element.get("text", ""))


def _button(element: dict[str, Any]) -> Button:
    return Button(element["text"]["text"], element["action_id"], str(element.get("value", "")))
