"""Messages that are not questions for the knowledge base. 'help', '?' or nothing at all asks what the
bot does (the full help); a greeting alone ('hi', 'good morning all', 'morning bot, how's your day?') is
greeted back, briefly, since a wall of help is not how a person answers 'hello'; thanks (a message of
thanks and courtesy alone) want a reply, not an answer. A greeting with a question after it ('hi, what
is SNOMED?') is a question, and is matched.
Adapters check them before matching, so none ends as "I don't know" recorded as unanswered; the
matcher keeps thanks out of its reading of 'you', and answers them with nothing. How each is worded is
the adapters' business: this module only says which it is."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal, TypeAlias

from bot.privacy import INVISIBLE

THANKS_WORDS = frozenset({"thank", "thanks", "thx", "ty", "cheers", "ta", "diolch"})
_PUNCTUATION = re.compile(r"[^\w\s]+")
_REACTION = re.compile(r":[\w+'-]{1,100}:")  # an emoji code, ':+1:' and ':thumbsup:' alike
# Words that may go with thanks and say nothing more ('thanks, you're a star', 'brilliant, cheers for the
# help'): a message of these and thanks is thanks; any other word may be a question, and is matched.
_COURTESY_TEXT = (
    "ok okay great brilliant perfect lovely amazing awesome fab fantastic excellent nice good many oh ah "
    "thats that this so much very really for the your you youre a an star legend help helpful lot loads all "
    "mate guys bot it its was appreciate appreciated kind one job u x xx are ur youve been such again "
    "superstar lifesaver life saver hero gem ace cool super best worked works sorted"
    " yn fawr iawn"  # Welsh: 'diolch yn fawr iawn'
)
_COURTESY = frozenset(_COURTESY_TEXT.split()) | THANKS_WORDS
_FOR_HELP = frozenset(
    {"the", "your", "all", "for"}
)  # 'thanks for the help' is thanks; 'thanks, help me' asks
HELLOS = frozenset({"hi", "hello", "hey", "hiya", "morning", "afternoon", "evening"})  # how a greeting opens
_HAILS = HELLOS | {"bot", "good", "there"}
# A greeting alone is one of these words ('yo', 'good evening') with only the hails and the people
# greeted ('morning all', 'hi there team'): nothing that could be what a question is about.
_HELLO_WORDS = HELLOS | {"heya", "hullo", "hallo", "howdy", "yo", "helo", "shwmae", "shwmai"}
_GREETED = _HAILS | _HELLO_WORDS | {"all", "everyone", "everybody", "team", "folks", "guys", "again", "pawb"}
_CHAT = frozenset(
    {"how are you", "how r u", "how are u", "hows your day", "how is your day", "hows it going",
     "how is it", "how you doing", "how are you doing", "hows you", "you ok", "you alright", "are you ok",
     "whats up", "sup"}
)  # fmt: skip
_IDLE = frozenset({"today", "going", "doing", "mate", "then", "getting", "on", "so", "far"})
# A reply that only acknowledges what the bot said ('ok', 'got it', 'yep, will do', 'lol'): not 'no' or
# 'nope', which may say an answer did not help, and never with 'help' or a question mark.
_ACKNOWLEDGING = frozenset(
    {"ok", "okay", "okey", "okie", "k", "kk", "noted", "lol", "haha", "yes", "yep", "yeah", "yup", "fine",
     "understood", "gotcha", "alright", "np"}
)  # fmt: skip
_ACKNOWLEDGING_PHRASES = re.compile(r"\b(?:got it|will do|no worries|no problem|fair enough)\b")
_FAREWELLS = frozenset(
    {"bye", "bye bye", "goodbye", "see you", "see you later", "see ya", "cya", "laters", "ttyl", "take care",
     "good night", "night night"}
)  # fmt: skip


Talk: TypeAlias = Literal["help", "greeting", "thanks"]


def small_talk(text: str) -> Talk | None:
    """What kind of small talk the message is, or None for a question (to be matched)."""
    text = INVISIBLE.sub("", text)  # zero-width characters alone are as empty as a bare mention
    said = _words(text)
    if said == ["help"] or not text.strip("?!. "):  # or nothing at all, or only "?"
        return "help"
    if _greeting(_words(_REACTION.sub(" ", text))) or _chat(said):
        return "greeting"
    if _reaction_only(text):
        return "thanks"  # '👍', ':+1:': an acknowledgement, which asks nothing
    thanked_for_help = all(
        before in _FOR_HELP for before, w in zip(["", *said], said, strict=False) if w == "help"
    )
    if (
        THANKS_WORDS.intersection(said)
        and _COURTESY.issuperset(said)
        and thanked_for_help
        and "?" not in text
    ):
        return "thanks"
    if _acknowledged(said, text):
        return "thanks"
    return "thanks" if " ".join(said) in _FAREWELLS else None  # a goodbye wants the same polite close


def acknowledges(text: str) -> bool:
    """Whether the message only acknowledges ('ok', 'yes', 'got it'), not thanks: under a post that asks
    something ('Is the problem sorted for you?') it answers that post, and goes where a reply to it goes."""
    text = INVISIBLE.sub("", text)
    said = _words(text)
    return _acknowledged(said, text) and not THANKS_WORDS.intersection(said)


def _words(text: str) -> list[str]:
    return _PUNCTUATION.sub(" ", text.lower().replace("'", "")).split()


def _acknowledged(said: list[str], text: str) -> bool:
    """'ok', 'got it thanks', 'yep will do': it asks nothing, so it is closed politely, as thanks are,
    rather than taken for a question nobody can answer and noted as a gap in the knowledge base."""
    rest = _ACKNOWLEDGING_PHRASES.sub(" ", " ".join(said)).split()
    acknowledging = len(rest) < len(said) or bool(_ACKNOWLEDGING.intersection(rest))
    return (
        acknowledging
        and "?" not in text
        and "help" not in rest
        and (_ACKNOWLEDGING | _COURTESY).issuperset(rest)
    )


def _greeting(said: list[str]) -> bool:
    """A greeting and nothing more: 'hi', 'good morning all', 'hey bot :wave:' (read without its emoji
    codes). One more word may be a question ('hi, what is SNOMED?', 'morning handover'), so it is not."""
    return bool(_HELLO_WORDS.intersection(said)) and _GREETED.issuperset(said)


def _reaction_only(text: str) -> bool:
    """Emoji alone, as pictures or codes, with nothing else to read."""
    rest = _REACTION.sub("", text)
    pictures = rest != text or any(unicodedata.category(c) == "So" for c in rest)
    return pictures and not any(c.isalnum() for c in rest)


def _chat(said: list[str]) -> bool:
    """Passing the time of day with the bot ('morning bot, how's your day going', 'you ok?'): a greeting,
    greeted back, not an answer about the go-live day."""
    rest = [w for w in said if w not in _HAILS]
    while rest and rest[-1] in _IDLE:
        rest.pop()
    return " ".join(rest) in _CHAT
