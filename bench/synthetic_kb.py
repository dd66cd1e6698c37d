"""A large, plausible, deterministic knowledge base for measuring speed at scale (10,000 entries).

Entries look like the real ones: acronyms with expansions, "How do I ..." questions about system
modules, aliases, and answers of a few sentences over a vocabulary of thousands of words. The same
seed always gives the same entries, so runs compare.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from bot.answering.model import Entry

_ONSETS = "b c d f g h j k l m n p r s t v w br cl dr fl gr pl pr sh st th tr".split()  # noqa: SIM905
_VOWELS = "a e i o u ai ea io ou".split()  # noqa: SIM905
_CODAS = ["", "", "n", "r", "s", "l", "m", "nd", "st", "x", "ck", "ph"]
_COMMON = (  # noqa: SIM905
    "patient ward clinic record system access login results order form request report team shift nurse "
    "doctor theatre bed referral discharge admission appointment list letter note chart screen button "
    "print label device printer update review check open close save sign share find search view edit "
    "add remove book cancel change reset unlock enable request approve escalate track status alert"
).split()
_VERBS = "find open book cancel print record review update request reset share sign check order".split()  # noqa: SIM905


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(rng.randint(1, 3))) + rng.choice(
        _CODAS
    )


def _acronym(rng: random.Random, taken: set[str]) -> str:
    while True:
        candidate = "".join(rng.choice("ABCDEFGHJKLMNPRSTVW") for _ in range(rng.randint(3, 5)))
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def synthetic_entries(count: int, seed: int = 2026, reserved: frozenset[str] = frozenset()) -> list[Entry]:
    """`reserved`: names already used (upper-case), so generated acronyms never clash with them."""
    rng = random.Random(seed)
    vocabulary = sorted({_word(rng) for _ in range(6000)})
    taken = set(reserved)
    entries = []
    for n in range(count):
        words = [rng.choice(vocabulary) for _ in range(3)]
        answer = " ".join(rng.choice(_COMMON if rng.random() < 0.4 else vocabulary) for _ in range(45))
        if n % 2:
            acronym = _acronym(rng, taken)
            title = f"{' '.join(w.capitalize() for w in words)} ({acronym})"
            entries.append(
                Entry(f"syn-{n}", "jargon", title, answer.capitalize() + ".", (acronym,), ("synthetic",))
            )
        else:
            thing = f"{rng.choice(_COMMON)} {words[0]} {words[1]}"
            title = f"How do I {rng.choice(_VERBS)} a {thing}?"
            alias = f"{rng.choice(_VERBS)} {words[0]} {words[2]} {n}"
            entries.append(
                Entry(f"syn-{n}", "howto", title, answer.capitalize() + ".", (alias,), ("synthetic",))
            )
    return entries


def write_knowledge(entries: list[Entry], folder: Path, per_file: int = 500) -> None:
    """Write entries as knowledge files, the way a trust would keep them."""
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(entries), per_file):
        chunk = entries[start : start + per_file]
        data = {
            "entries": [
                {"id": e.id, "kind": e.kind, "title": e.title, "aliases": list(e.aliases), "answer": e.answer}
                for e in chunk
            ]
        }
        (folder / f"part-{start // per_file:03d}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
