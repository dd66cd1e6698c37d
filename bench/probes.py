"""Every entry's own title asked the ways staff wrap and mistype it: a measure that needs no question set,
so it runs on any knowledge base a trust writes.

Every title and alias is first asked as written: a question that is word for word a name the trust
wrote for an entry must get that entry. Then a probe starts from a title the matcher answers with its
own entry, and wraps it ("any idea what X is", "X please help", "what's the best way to ..."), slips a
key on its longest word (a letter lost, doubled, swapped or hit beside), misses a space between two
of its words, or says who is asking before or after it. The right outcome is the same entry; a wrong
one is another entry.
The wrappers were written while the matcher was developed, and what they showed was fixed: on the two
knowledge bases here they show what holds; a trust's own knowledge base is the real test of them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.answering.model import Entry

JARGON = (
    "what's {}", "whats {}", "what is {}", "wat is {}", "what is a {}", "what does {} mean", "{} meaning",
    "meaning of {}", "define {}", "explain {}", "can someone explain {}", "{}?", "{} - what's that?",
    "what do we mean by {}", "tell me about {}", "what is {} pls", "what's {} again?", "{} explained",
    "what are {}", "what does {} stand for", "any idea what {} is", "sorry what is {}", "eli5 {}",
    "remind me what {} is", "could someone clarify what {} is",
)  # fmt: skip
HOWTO = (
    "{} pls", "{}??", "hi, {}", "quick q - {}", "sorry, {}", "does anyone know {}", "can u tell me {}",
    "{} thanks", "help! {}", "hiya {} cheers", "{} x", "morning all, {}", "{} asap", "um {}", "ok so {}",
    "{} ta", "hey bot {}", "{} :)", "{} please help", "{} - anyone?", "not sure {}",
)  # fmt: skip
INTRODUCED = (  # who is asking, said before or after the question: never its topic
    "porter here, {}?", "hi all, new starter here - {}?", "I'm a bank HCA, {}?", "I am the ward clerk. {}?",
    "{}? asking for a colleague", "{}? I'm an agency nurse", "{}? sorry, I'm a student",
)  # fmt: skip
HOW_DO_I = ("how can i ", "how to ", "how would i ", "hw do i ", "how do we ", "how should i ",
            "whats the way to ", "how do you ")  # fmt: skip
_KEYS_BESIDE = (  # each letter of the alphabet, in order, and the keys beside it on a keyboard
    "wa qes wrd etf ryg tuh yij uok ipl ol qsz awdx sefc drgv fthb gyjn hukm jil kop asx zdsc xfv cgb vhn "
    "bjm nk"
)
_NEIGHBOURS = dict(zip("qwertyuiopasdfghjklzxcvbnm", _KEYS_BESIDE.split(), strict=True))


@dataclass(frozen=True)
class Probe:
    kind: str  # "named", "wrapped", "slipped", "joined" or "introduced"
    question: str
    expect: str


def probes(entries: list[Entry], answers_itself: Callable[[Entry], bool], seed: int = 7) -> Iterator[Probe]:
    """Every entry's names as written; then the wrapped and slipped probes of every entry whose bare title
    `answers_itself` (the others say nothing of wrapping)."""
    rng = random.Random(seed)
    for e in entries:
        for name in (e.title, *e.aliases):
            yield Probe("named", name, e.id)
        if not answers_itself(e):
            continue
        title = e.title.rstrip("?")
        for question in _wrapped(e.kind, title):
            yield Probe("wrapped", question, e.id)
        for _ in range(3):
            yield Probe("slipped", _slipped(title, rng).lower(), e.id)
        for question in _joined(title):
            yield Probe("joined", question, e.id)
        for intro in INTRODUCED:
            yield Probe("introduced", intro.format(title), e.id)


def _wrapped(kind: str, title: str) -> list[str]:
    if kind == "jargon":
        return [w.format(title) for w in JARGON]
    asked = title.lower()
    rest = re.sub(r"^how do i ", "", asked)
    return [w.format(asked) for w in HOWTO] + ([start + rest for start in HOW_DO_I] if rest != asked else [])


def _joined(title: str) -> list[str]:
    """The title with a missed space: each two neighbouring words of letters typed as one."""
    words = title.split()
    return [
        " ".join((*words[:k], words[k] + words[k + 1], *words[k + 2 :]))
        for k in range(len(words) - 1)
        if words[k].isalpha() and words[k + 1].isalpha()
    ]


def _slipped(title: str, rng: random.Random) -> str:
    """One slip on the title's longest word, as a thumb makes it; short words are left alone."""
    words = title.split()
    k = max(range(len(words)), key=lambda n: len(words[n]))
    word = words[k]
    if len(word) >= 5:
        i = rng.randrange(1, len(word) - 1)
        words[k] = {
            "lost": word[:i] + word[i + 1 :],
            "swapped": word[:i] + word[i + 1] + word[i] + word[i + 2 :],
            "doubled": word[:i] + word[i] + word[i:],
            "beside": word[:i] + rng.choice(_NEIGHBOURS.get(word[i].lower(), word[i])) + word[i + 1 :],
        }[rng.choice(("lost", "swapped", "doubled", "beside"))]
    return " ".join(words)
