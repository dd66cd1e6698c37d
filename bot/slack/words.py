"""The words of a Slack message's formatted blocks, for a message whose `text` is empty: Slack sends
what a person typed as rich_text blocks, and a client, a workflow or another app may leave `text` out."""

from __future__ import annotations

from typing import Any

_RICH_LINES = frozenset({"rich_text_section", "rich_text_preformatted", "rich_text_quote"})  # each a line


def block_lines(blocks: object) -> list[str]:
    """Each block's words as a line, as its reader saw them (text, links by their label, as typed:
    not escaped as Slack escapes `text`); empty lines left out."""
    lines = ["".join(_rich_words(block)).strip() for block in dicts(blocks)]
    return [line for line in lines if line]


def _rich_words(element: dict[str, Any], depth: int = 0) -> list[str]:
    if depth > 6:  # Slack nests lists and quotes a few levels; a forged payload is cut short
        return []
    words = [w for w in (element.get("text"), element.get("url")) if isinstance(w, str)][:1]
    for child in dicts(element.get("elements")):
        words += _rich_words(child, depth + 1)
    return [*words, "\n"] if element.get("type") in _RICH_LINES else words


def dicts(value: object) -> list[dict[str, Any]]:
    """The objects in a payload's list, at most 20 (the payload is anyone's)."""
    return [v for v in value if isinstance(v, dict)][:20] if isinstance(value, list) else []
