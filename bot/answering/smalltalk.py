"""Messages that are not questions for the knowledge base: a greeting, 'help' or nothing at all asks what
the bot does, and thanks want a reply, not an answer. Adapters check them before matching, so neither
ends as "I don't know" recorded as unanswered; the matcher keeps thanks out of its reading of 'you'."""

from __future__ import annotations

import re
from typing import Literal

THANKS_WORDS = frozenset({"thank", "thanks", "thx", "ty", "cheers", "ta"})
_PUNCTUATION = re.compile(r"[^\w\s]+")
_GREETINGS = frozenset({"help", "hi", "hello", "hey", "hiya"})
_THANKS = frozenset(
    {"thanks", "thank you", "thank u", "thx", "ty", "ta", "cheers", "many thanks", "thanks a lot",
     "thank you so much", "great thanks", "brilliant thanks", "perfect thanks", "thats great thanks"}
)  # fmt: skip


def small_talk(text: str) -> Literal["help", "thanks"] | None:
    said = " ".join(_PUNCTUATION.sub(" ", text.lower()).split())
    if said in _GREETINGS or not text.strip("?!. "):
        return "help"
    return "thanks" if said in _THANKS else None
