"""Text helpers for Slack-style mrkdwn that any layer may use, the domain included, without importing Slack.

In mrkdwn only `&`, `<` and `>` are control characters: `<!channel>`, `<@U123>` and `<url|label>` are
all written with angle brackets. Escaping those three makes text typed by a person inert, so it can
be echoed in a post without mentioning anyone or hiding a link's target. Text written ahead of time to
be posted as mrkdwn (a knowledge-base answer) keeps its links and formatting through `safe_mrkdwn`, which
escapes the rest and turns mentions into words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import partial

# Slack's markup in a message (`<...>`, every `<` a person types arrives as `&lt;`) or an emoji code
# (`:thinking_face:`, at least one letter, so a time such as 10:30:00 is left alone).
# An emoji code is at most 100 characters: the bound keeps a long word starting with ':' linear.
# Not inside a word either: 'ERR:timeout:db' is an error code.
# Each way begins with its own character, and what may not stand before it is checked after, so the
# scan skips to the next '<' or ':' (three times as fast over a knowledge base's answers).
_MARKUP = re.compile(
    r"<([^<>]*)>|:(?<![A-Za-z0-9]:)(?=[a-z0-9_+'-]{0,99}[a-z])[a-z0-9_+'-]{1,100}:(?![a-z0-9])"
)
_BROADCAST = re.compile(r"<!(?:channel|here|everyone)(?:\|[^<>]*)?>")  # as Slack writes @channel
# Who a question calls to look at it or is for, not what it asks: everyone, a user group
# ('@floorwalkers'), an email address (Slack links one typed: '<mailto:jo@nhs.net|jo@nhs.net>').
_WHO = re.compile(rf"{_BROADCAST.pattern}|<!subteam\^[^<>]*>|<mailto:[^<>]*>")
# What would ping if posted as it is: a broadcast, or a person's id ('<@U123>').
MENTION = re.compile(rf"{_BROADCAST.pattern}|<@[UW][A-Z0-9]+(?:\|[^<>]*)?>")
# Mrkdwn written ahead of time: a `<...>` on one line; what is kept as it is (an entity, a quote mark or
# `>>>` opening a line); or a lone control character. `[^<>\n]*` stops at the next bracket or line end,
# so however many '<' there are, each is looked past once: linear time.
_WRITTEN = re.compile(r"<([^<>\n]*)>|(&(?:lt|gt|amp);|^>+)|[<>&]", re.MULTILINE)
# A `<...>` that calls nobody: a web, mail or phone link, a channel (an id, so not `<#include>`), a date.
_CALLS_NOBODY = re.compile(r"(?i:https?://|mailto:|tel:)[^|]|#[CG][A-Z0-9]+(?:\||$)|!date\^")
_EVERYONE = re.compile(r"!(channel|here|everyone)(?:\||$)")
_LONE_AMP = re.compile(r"&(?!(?:lt|gt|amp);)")
_PERSON = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")  # a person mentioned, by user id
_HANDLE = re.compile(r"@(?<![\w@.]@)[\w][\w.\-]*")  # "@jo.bloggs": a person, as an unescaped command sends it


def escape(text: str) -> str:
    """Make user text inert in mrkdwn: no mentions, no @channel, no links that hide their target."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_mrkdwn(text: str) -> str:
    """Mrkdwn someone wrote ahead of time (a knowledge-base answer) made safe to post, as they meant it.

    Links (`<https://...|label>`, mailto:, tel:), channel links (`<#C123|name>`), dates
    (`<!date^...|fallback>`), entities (`&lt;` `&gt;` `&amp;`) and a quote mark at the start of a line are
    kept, with *bold*, `code` and the rest, which need no `<>&`. A mention pings nobody: `<!channel>`
    becomes '@channel', a person or group their label ('@jo') or '@someone'/'@group'. Every other `<`,
    `>` and `&` is escaped, so 'NEWS2 <5 and >3', '<b>' and 'A&E' show as typed. One pass: linear."""
    return _WRITTEN.sub(_safe, text) if any(c in text for c in "<>&") else text


def shorten(text: str, limit: int) -> str:
    """The text cut to `limit` characters, the last an ellipsis when anything was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def unescape(text: str) -> str:
    """The text as typed, from its escaped form (e.g. to show it in a terminal)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def readable(message: str) -> str:
    """The words a person saw in a Slack message's text, to match, store and echo as they typed them:
    mentions of people and emoji codes go, links and channels become their labels, entities are
    unescaped. `<!channel>` and the like stay as written, so an escaped echo shows them inert. Text with
    none of the characters that start markup is as seen: written for speed, as each of a knowledge
    base's answers is read at each load, and most hold none."""
    if not any(c in message for c in "<:&@"):
        return message
    return _HANDLE.sub(" ", _seen(message, lambda user, label: " "))


def as_seen(message: str, names: Mapping[str, str]) -> str:
    """The words a person saw, for text that says who is affected (an issue's details): as `readable`,
    but each person mentioned stays named, '@' and their name from `names` (else the mention's own
    label, else '@someone'), and an '@handle' typed as text stays too. Plain '@name' calls nobody."""
    return _seen(message, lambda user, label: f"@{names.get(user) or label.strip().lstrip('@') or 'someone'}")


def mentioned(message: str) -> list[str]:
    """The user ids of the people a message mentions, once each and in order."""
    return list(dict.fromkeys(_PERSON.findall(message)))


def _seen(message: str, person: Callable[[str, str], str]) -> str:
    return unescape(_MARKUP.sub(partial(_plain, person), message))


def question_words(message: str) -> str:
    """A message's words as a question: as `readable`, without @channel, @here, @everyone, a user
    group or an email address, which say who should look or who it is for, not what is asked
    ('@floorwalkers what is SNOMED')."""
    return readable(_WHO.sub(" ", message))


def note_words(message: str) -> str:
    """A message's words as a note on something (an issue): as `readable`, without @channel, @here or
    @everyone, but with the groups and addresses it names, which a question leaves out and the team
    reading the note needs."""
    return readable(_BROADCAST.sub(" ", message))


def reactions(message: str) -> str:
    """The emoji codes a message holds (':thumbsup: :pray:'), which `readable` drops: a message of
    them alone is a reaction, for small talk to read as thanks, not an empty one asking for help."""
    return " ".join(found[0] for found in _MARKUP.finditer(message) if found[1] is None)


def _plain(person: Callable[[str, str], str], found: re.Match[str]) -> str:
    """One piece of markup as it reads; a person (the bot included) as `person` says, from the id and
    label of the mention."""
    inner = found[1]
    if inner is None:  # an emoji code
        return " "
    target, _, label = inner.partition("|")
    if target[:1] == "@":
        return person(target[1:], label)
    if target[:1] == "#":
        return f"#{label}" if label else " "
    if target[:1] == "!":
        special = target.startswith(("!subteam^", "!date^"))
        return (label.lstrip("@") or " ") if special else found[0]
    return label or target.removeprefix("mailto:").removeprefix("tel:")


def _safe(found: re.Match[str]) -> str:
    """One piece of written mrkdwn as it may be posted (see `safe_mrkdwn`). Plain '@channel' or '@jo'
    calls nobody: the bot never posts with `link_names`, so only the `<...>` forms notify."""
    inner = found[1]
    if inner is None:  # an entity or a quote mark, kept; or a lone `<`, `>` or `&`
        return found[2] or escape(found[0])
    if _CALLS_NOBODY.match(inner):
        return found[0]
    if everyone := _EVERYONE.match(inner):
        return f"@{everyone[1]}"  # whatever its label says: who was meant stays clear
    target, _, label = inner.partition("|")
    if target[:1] == "@" or target.startswith("!subteam^"):  # a person (or bot), or a user group
        name = _LONE_AMP.sub("&amp;", label.strip().lstrip("@"))
        return f"@{name}" if name else ("@someone" if target[:1] == "@" else "@group")
    return escape(found[0])
