"""Messages that are not questions for the knowledge base: a greeting, 'help' or nothing at all asks what
the bot does, and thanks (a message that opens with them and asks nothing) want a reply, not an
answer. Adapters check them before matching, so neither ends as "I don't know" recorded as
unanswered; the matcher keeps thanks out of its reading of 'you', and answers them with nothing."""

from __future__ import annotations

import re
from typing import Literal

THANKS_WORDS = frozenset({"thank", "thanks", "thx", "ty", "cheers", "ta"})
_PUNCTUATION = re.compile(r"[^\w\s]+")
_GREETINGS = frozenset({"help", "hi", "hello", "hey", "hiya"})
_PRAISE = frozenset(  # what may come before thanks: 'brilliant, cheers', 'that's great, thanks'
    {
        "ok",
        "okay",
        "great",
        "brilliant",
        "perfect",
        "lovely",
        "amazing",
        "fab",
        "many",
        "oh",
        "ah",
        "thats",
        "so",
    }
)
_ASKING = frozenset({"how", "what", "where", "when", "who", "why", "which"})


def small_talk(text: str) -> Literal["help", "thanks"] | None:
    said = _PUNCTUATION.sub(" ", text.lower().replace("'", "")).split()
    if " ".join(said) in _GREETINGS or not text.strip("?!. "):
        return "help"
    opening = next((w for w in said if w not in _PRAISE), "")
    if opening in THANKS_WORDS and "?" not in text and not _ASKING.intersection(said):
        return "thanks"  # 'thanks, you're a star', 'brilliant, cheers': no question in it
    return None
