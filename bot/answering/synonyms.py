"""Shorthand staff type (OOH, d/c, pt, obs) mapped to the words entries use, so both meet.

Each group names one thing several ways; the first way is the one both questions and entries are
rewritten to. The NHS shorthand below is built in; a trust adds its own groups in any knowledge file
under `synonyms:` (see knowledge/synonyms.yaml), and a trust's group wins over a built-in one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.answering.text import tokens

BUILT_IN: tuple[tuple[str, ...], ...] = (
    ("out of hours", "ooh", "oohs", "after hours", "out-of-hours", "overnight"),
    ("discharge", "d/c", "dc", "dischrg"),
    ("patient", "pt", "pts", "pt's"),
    ("observations", "obs", "vital signs", "vitals"),
    ("medication", "meds", "medicines", "medicine", "drugs"),
    ("emergency department", "ed", "a&e", "a and e", "a+e", "accident and emergency", "casualty"),
    ("outpatient", "opd", "op clinic", "outpatients clinic", "out patient", "out-patient"),
    ("inpatient", "ip", "in patient", "in-patient"),
    ("general practitioner", "gp", "family doctor"),
    ("prescription", "rx", "script"),
    ("prescribe", "prescribing"),
    ("administration", "admin"),
    ("information", "info"),
    ("appointment", "appt", "appts"),
    ("department", "dept", "depts"),
    ("referral", "ref", "referal"),
    ("history", "hx"),
    ("diagnosis", "dx", "diagnoses"),
    ("treatment", "tx"),
    ("nurse", "rn", "staff nurse"),
    ("doctor", "dr", "doc", "medic"),
    ("healthcare assistant", "hca"),
    ("ward clerk", "ward receptionist"),
    ("night", "nights", "night shift", "nite"),
    ("weekend", "wkend", "w/e"),
    ("phone", "telephone", "tel", "ring", "call", "mobile"),
    ("password", "pw", "pwd", "passcode"),
    ("login", "log in", "log-in", "logon", "log on", "sign in", "signin", "sign-in", "username"),
    ("smartcard", "smart card", "smart-card"),
    ("go live", "go-live", "golive", "going live"),
    ("issue", "problem", "fault", "bug", "glitch"),
    ("e-learning", "elearning", "online training", "online course"),
    ("computer", "pc", "desktop", "laptop", "workstation"),
    ("as soon as possible", "asap", "urgently"),
    ("tomorrow", "tmrw", "tmr", "2moro"),
    ("tonight", "2nite", "tonite"),
)


@dataclass(frozen=True)
class Synonyms:
    """Phrase (as a tuple of tokens) -> the tokens it is rewritten to."""

    table: dict[tuple[str, ...], tuple[str, ...]]
    longest: int
    starts: frozenset[str]  # first words of known phrases: most words are not, and skip the search

    @classmethod
    def build(cls, groups: Iterable[Sequence[str]]) -> Synonyms:
        """Later groups win a phrase that an earlier group also claims."""
        table: dict[tuple[str, ...], tuple[str, ...]] = {}
        for group in groups:
            canonical = tuple(tokens(group[0]))
            for phrase in group:
                key = tuple(tokens(phrase))
                if key and key != canonical:
                    table[key] = canonical
                elif key:
                    table.pop(key, None)  # a later group may claim back a phrase as its own term
        return cls(table, max((len(k) for k in table), default=0), frozenset(k[0] for k in table))

    def words(self, text: str) -> list[str]:
        """The tokens of `text` with shorthand rewritten: the first step for questions and entries alike."""
        return self.rewrite(tokens(text))

    def rewrite(self, words: Sequence[str]) -> list[str]:
        """Replace the longest known phrase at each position; everything else passes through."""
        starts = self.starts
        if starts.isdisjoint(words):
            return list(words)
        out: list[str] = []
        i = 0
        while i < len(words):
            if words[i] not in starts:
                out.append(words[i])
                i += 1
                continue
            for size in range(min(self.longest, len(words) - i), 0, -1):
                found = self.table.get(tuple(words[i : i + size]))
                if found is not None:
                    out.extend(found)
                    i += size
                    break
            else:
                out.append(words[i])
                i += 1
        return out
