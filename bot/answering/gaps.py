"""Knowledge gaps: unanswered questions grouped when they ask the same thing, and turned into stubs;
and phrasings an existing entry should answer directly, from questions people said it answered.

The support team closes a gap by answering a group once, so phrasings are clustered first: the
question's wrapper ("what is", "how do I", "pls", "??") is stripped by the matcher's own text rules
(bot/answering/text.py), then two questions join when the mean of rapidfuzz's token_set_ratio and
token_sort_ratio over what is left reaches SAME_QUESTION (80). token_set_ratio alone scores any
subset as 100, which would pull every "login ..." question into one group; the sort ratio pays for
the words one side lacks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

import yaml
from rapidfuzz import fuzz

from bot.answering.knowledge import KnowledgeBase
from bot.answering.loader import kebab_case, phrase_key
from bot.answering.model import Answer, Entry, Kind, answered_with
from bot.answering.text import content, question_form, tokens
from bot.plaintext import one_line
from bot.privacy import Redactor, without_markers
from bot.store.answers import Helped, Unanswered

SAME_QUESTION = 80.0
MAX_ALIASES = 8


@dataclass(frozen=True)
class Phrasing:
    text: str
    count: int


@dataclass(frozen=True)
class QuestionGroup:
    """Questions that ask the same thing; phrasings most frequent first."""

    phrasings: tuple[Phrasing, ...]
    first_asked: datetime
    last_asked: datetime
    passed_on: int = 0  # how many of them someone passed to the support team: waiting for an answer

    @property
    def count(self) -> int:
        return sum(p.count for p in self.phrasings)

    @property
    def question(self) -> str:
        return self.phrasings[0].text


@dataclass(frozen=True)
class Stub:
    """A knowledge-base entry waiting for its answer."""

    id: str
    kind: Kind
    title: str
    aliases: tuple[str, ...]
    group: QuestionGroup


@dataclass(frozen=True)
class AliasHint:
    """Phrasings to add to an entry's aliases, most often confirmed first."""

    entry: Entry
    phrasings: tuple[Phrasing, ...]


def normalise(question: str) -> str:
    """What the question is about, without its wrapper: 'Wot's SNOMED??' -> 'snomed'."""
    return " ".join(content(tokens(question)))


def _bare_key(text: str) -> str:
    """The same words, in any script: the matcher's tokens are A to Z and 0 to 9, so '登录怎么办' and a
    question in Arabic both had none and were merged into one group under whichever sorted first."""
    return phrase_key(text) or " ".join(re.findall(r"\w+", text.casefold()))


def similarity(a: str, b: str) -> float:
    """0-100 over normalised questions; see the module docstring for why two scorers."""
    return (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2


def group_questions(questions: Iterable[Unanswered], redactor: Redactor) -> list[QuestionGroup]:
    """Cluster questions greedily, most frequent phrasing first, so the same input gives the same groups."""
    asked: dict[str, list[datetime]] = {}
    passed: dict[str, int] = {}
    for q in questions:
        text = one_line(redactor.clean(q.question))
        asked.setdefault(text, []).append(q.asked_at)
        passed[text] = passed.get(text, 0) + q.passed_to_support
    phrasings = sorted(asked, key=lambda t: (-len(asked[t]), min(asked[t]), t))
    clusters: list[tuple[str, list[str]]] = []
    bare: dict[str, list[str]] = {}  # questions of wrapper words, symbols or removed identifiers only
    for text in phrasings:
        key = normalise(without_markers(text))  # '[NHS number removed]' says nothing of what was asked
        if not key:  # no similarity to go by: the same words ('how do I?', 'how do i') are one question
            bare.setdefault(_bare_key(without_markers(text)), []).append(text)
            continue
        home = max(clusters, key=lambda c: similarity(key, c[0]), default=None)
        if home is not None and similarity(key, home[0]) >= SAME_QUESTION:
            home[1].append(text)
        else:
            clusters.append((key, [text]))
    clusters += [("", members) for members in bare.values()]
    groups = [
        QuestionGroup(
            phrasings=tuple(Phrasing(t, len(asked[t])) for t in members),
            first_asked=min(min(asked[t]) for t in members),
            last_asked=max(max(asked[t]) for t in members),
            passed_on=sum(passed[t] for t in members),
        )
        for _, members in clusters
    ]
    return sorted(groups, key=lambda g: (-g.count, g.first_asked, g.question))


def guess_kind(question: str) -> Kind:
    """The question's form decides; a bare term ('PAS?') is jargon, a longer statement a how-to."""
    return question_form(question) or ("jargon" if len(normalise(question).split()) <= 2 else "howto")


def _tidy(question: str) -> str:
    """A phrasing as a title: one question mark, a capital letter, and 'I' rather than 'i'."""
    text = re.sub(r"([?!.])\1+", r"\1", " ".join(question.split())).rstrip(" .!")
    text = re.sub(r"\bi\b", "I", text[:1].upper() + text[1:])
    return text if text.endswith("?") else text + "?"


def _term(question: str) -> str:
    """The jargon term as the person typed it, so 'what is SNOMED' gives 'SNOMED', not 'snomed'."""
    typed = {w.lower(): w for w in re.findall(r"[A-Za-z0-9]+", question)}
    content = normalise(question).split()
    return " ".join(typed.get(w, w) for w in content) or _tidy(question)


def _suggest_id(question: str, taken: set[str]) -> str:
    words = " ".join(normalise(question).split()[:6])
    base = kebab_case(words)[:60].strip("-") or "unanswered-question"  # 'r&d' gives 'r-d'
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def still_unanswered(groups: Sequence[QuestionGroup], kb: KnowledgeBase) -> list[QuestionGroup]:
    """Leave out groups the knowledge base answers now: an entry may have been added since they were asked.
    Matched as the bot matches a question, without the privacy guard's markers ('[NHS number removed]'
    is not a question about NHS numbers)."""
    return [g for g in groups if not isinstance(kb.match_redacted(g.question), Answer)]


def stubs_for(groups: Sequence[QuestionGroup], existing: Iterable[Entry] = ()) -> list[Stub]:
    """One stub per group. Ids and aliases avoid the knowledge base's, so the stubs validate once answered."""
    known = list(existing)
    taken = {e.id for e in known}
    names = {phrase_key(n) for e in known for n in (e.title, *e.aliases)}
    stubs = []
    for group in groups:
        # Identifiers make no title or id: the commonest phrasing that says something besides them.
        question = next((b for p in group.phrasings if (b := without_markers(p.text))), "")
        kind = guess_kind(question)
        title = _term(question) if kind == "jargon" else _tidy(question)
        seen = names | {phrase_key(title)}
        aliases = []
        for p in group.phrasings[1:]:
            alias = _tidy(without_markers(p.text))
            if phrase_key(alias) not in seen | {""} and len(aliases) < MAX_ALIASES:
                seen.add(phrase_key(alias))
                aliases.append(alias)
        stubs.append(Stub(_suggest_id(question, taken), kind, title, tuple(aliases), group))
    return stubs


def render_stubs(stubs: Sequence[Stub], tz: tzinfo) -> str:
    """A knowledge file the support team edits: write each answer in place of TODO."""
    lines = [
        "# Knowledge-base stubs for questions the bot could not answer.",
        "# Write each answer in place of TODO, check the kind and title, then add the entries",
        "# to a file in the knowledge folder and run `golive-bot validate`.",
        "entries:",
    ]
    for stub in stubs:
        g = stub.group
        first, last = g.first_asked.astimezone(tz).date(), g.last_asked.astimezone(tz).date()
        when = f"on {first}" if first == last else f"from {first} to {last}"
        lines.append(f"  # asked {g.count} time{'s' if g.count != 1 else ''} {when}")
        entry = {"id": stub.id, "kind": stub.kind, "title": stub.title}
        if stub.aliases:
            entry["aliases"] = list(stub.aliases)
        body = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=1000)
        lines.extend("  " + line for line in body.splitlines())
        lines.append("    answer: TODO")
    return "\n".join(lines) + "\n"


def alias_hints(
    helped: Iterable[Helped],
    kb: KnowledgeBase,
    redactor: Redactor,
    min_count: int = 1,
    stubs: Sequence[Stub] = (),
) -> list[AliasHint]:
    """Questions a person said an entry answered that the bot does not answer with it by itself: they
    chose it from 'Did you mean', or the knowledge base changed since. Each is a way staff ask for the
    entry, most often confirmed first; those confirmed fewer than `min_count` times are left out. One
    phrasing (in any case or spacing) is offered to one entry only, the one most often chosen for it, as
    the knowledge base allows an alias to one entry; when people chose two entries equally, to neither;
    and never a phrasing the `stubs` printed with them already use."""
    names = {phrase_key(n) for e in kb.entries.values() for n in (e.title, *e.aliases)}
    names |= {phrase_key(n) for s in stubs for n in (s.title, *s.aliases)}
    chosen: dict[str, Counter[str]] = {}  # phrasing's key -> entry id -> times confirmed
    spellings: dict[str, Counter[str]] = {}  # phrasing's key -> the ways it was written
    for h in helped:
        text = one_line(h.question)
        key = phrase_key(text)
        if key and key not in names and _wants_alias(kb, h.entry_id, text, redactor):
            chosen.setdefault(key, Counter())[h.entry_id] += 1
            spellings.setdefault(key, Counter())[text] += 1
    confirmed = _one_entry_each(chosen, spellings, min_count)
    hints = [
        AliasHint(kb.entries[e], tuple(sorted(p, key=lambda p: (-p.count, p.text))))
        for e, p in confirmed.items()
    ]
    return sorted(hints, key=lambda h: (-sum(p.count for p in h.phrasings), h.entry.id))


def _one_entry_each(
    chosen: dict[str, Counter[str]], spellings: dict[str, Counter[str]], min_count: int
) -> dict[str, list[Phrasing]]:
    """Each phrasing under the entry most often chosen for it, written as it was most often."""
    confirmed: dict[str, list[Phrasing]] = {}
    for key, entries in chosen.items():
        (entry_id, count), *rest = entries.most_common()
        if count >= min_count and not (rest and rest[0][1] == count):
            text = min(spellings[key], key=lambda t: (-spellings[key][t], t))
            confirmed.setdefault(entry_id, []).append(Phrasing(text, count))
    return confirmed


def _wants_alias(kb: KnowledgeBase, entry_id: str, text: str, redactor: Redactor) -> bool:
    """Not for an entry since removed, nor a phrasing that held identifiers the privacy guard removed;
    nor one the entry answers by itself already. (One that is already a name, which would not
    validate, is left out before.)"""
    if entry_id not in kb.entries:
        return False
    if redactor.clean(text) != text or without_markers(text) != text:
        return False
    return answered_with(kb.match_redacted(text)) != entry_id


def render_alias_hints(hints: Sequence[AliasHint]) -> str:
    """Comments, so the stubs above them still parse as one knowledge file."""
    lines = [
        "# Questions people said an existing entry answered, though the bot did not answer them with it",
        "# by itself (they chose it from 'Did you mean'). Add them to the entry's aliases so it does:",
    ]
    for hint in hints:
        place = f"{hint.entry.source}, line {hint.entry.line}" if hint.entry.source else "its file"
        lines.append(f"#   {hint.entry.id} ({place}):")
        lines.extend(
            f"#     - {yaml.safe_dump(p.text, width=1000, allow_unicode=True).splitlines()[0]}  ({p.count}x)"
            for p in hint.phrasings
        )
    return "\n".join(lines) + "\n"
