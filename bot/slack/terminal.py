"""Block Kit rendered as terminal text, so the local console shows exactly the message Slack would show.

Buttons become numbered choices; what a button does is still decided by its action id and value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.slack.blocks import Block, unescape

_LINK = re.compile(r"<((?:https?://|mailto:|tel:)[^|>]+)\|([^>]+)>")
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
    text = _LINK.sub(lambda m: _labelled(m[2], m[1].removeprefix("mailto:").removeprefix("tel:")), text)
    text = _BARE.sub(lambda m: m[1].removeprefix("mailto:").removeprefix("tel:"), text)
    text = _MENTION.sub(lambda m: m[3] or ("@" if m[1] != "#" else "#") + m[2], text)
    return unescape(text)


def _labelled(label: str, target: str) -> str:
    """A link as a terminal shows it: its label, and where it goes when the label does not say."""
    return label if label == target else f"{label} ({target})"


def render(blocks: list[Block]) -> Rendered:
    """Any block the bot builds reads as text; a part the console cannot show is left out, never a crash."""
    lines: list[str] = []
    buttons: list[Button] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = _text_of(block.get("text"))
            lines += [title, "=" * len(title)]
        elif kind == "section":
            parts = [_text_of(block.get("text")), *(_text_of(f) for f in block.get("fields") or [])]
            lines.append("\n".join(mrkdwn_to_text(p) for p in parts if p))
            lines += _choices(buttons, [block.get("accessory")])
        elif kind == "context":
            shown = (mrkdwn_to_text(_text_of(e)) for e in block.get("elements") or [])
            lines.append("  " + " ".join(t for t in shown if t))
        elif kind == "actions":
            lines += _choices(buttons, block.get("elements") or [])
        elif kind == "input":
            lines.append(_text_of(block.get("label")) + ":")
        elif kind == "divider":
            lines.append("-" * 40)
    return Rendered("\n".join(lines), tuple(buttons))


def _choices(buttons: list[Button], elements: list[Any]) -> list[str]:
    """Number the buttons among `elements` after those already shown; the line listing them, if any."""
    start = len(buttons) + 1
    buttons += [_button(e) for e in elements if isinstance(e, dict) and e.get("type") == "button"]
    shown = buttons[start - 1 :]
    return ["   ".join(f"[{n}] {b.label}" for n, b in enumerate(shown, start))] if shown else []


def _text_of(obj: Any) -> str:
    """The text of a text object (plain_text or mrkdwn); '' for anything else (an image, a gap)."""
    text = obj.get("text") if isinstance(obj, dict) else None
    return text if isinstance(text, str) else ""


def _button(element: dict[str, Any]) -> Button:
    label, action_id = _text_of(element.get("text")), str(element.get("action_id", ""))
    return Button(label, action_id, str(element.get("value", "")))
