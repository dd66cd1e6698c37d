"""Sentences a knowledge base repeats across many answers: a footer ('If this does not help, ring the
service desk...'), a review date, a reminder about patient details.

Trusts often end every answer the same way. Read as answer text, such a sentence makes every entry seem
to explain the words it uses, and makes those words look common, so the entries really about the
service desk or floorwalkers lose their edge. A sentence written word for word in many answers says
nothing about any one of them, so it is left out of the text the matcher searches; the answer shown
to staff keeps it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

SHARED_BY = 0.1  # the part of all answers a sentence must appear in to be boilerplate
SHARED_AT_LEAST = 5  # and never fewer: a few how-tos may well share a line ("Ring the service desk.")


def without_boilerplate(answers: Sequence[str]) -> list[str]:
    """Each answer without the sentences that many answers repeat word for word."""
    sentences = [_sentences(answer) for answer in answers]
    counts = Counter(s for own in sentences for s in set(own))
    limit = max(SHARED_AT_LEAST, SHARED_BY * len(answers))
    if not counts or max(counts.values()) < limit:
        return list(answers)
    return [" ".join(s for s in own if counts[s] < limit) for own in sentences]


def _sentences(answer: str) -> list[str]:
    """An answer's sentences and lines, in lower case (matching ignores case). Plain string splitting,
    not a regular expression: it runs over every answer of a knowledge base at each load."""
    for end in ".?!;":
        answer = answer.replace(end + " ", end + "\n")
    return [line.strip() for line in answer.lower().splitlines() if line.strip()]
