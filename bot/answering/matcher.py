"""Scoring a question against every entry; the decision on the ranking is in decision.py.

A question's content terms are weighted by how specific they are (rare terms say more). An entry scores
by how much of the question it explains (a title or alias hit fully, an answer-text hit only in part),
and by how completely the question covers one of its names. Query terms nothing explains count
against it: that is what keeps near-misses and out-of-scope questions from being answered. Besides its
score, each ranked entry carries what it explains of the question, which the decision weighs.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from itertools import pairwise

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bot.answering.analyzer import CAPITALS, Analyzer, acronyms_in
from bot.answering.boilerplate import without_boilerplate
from bot.answering.decision import Evidence, Scored, better_fit_first, decide
from bot.answering.framing import BOT, unframed
from bot.answering.lexicon import RELATED_STRENGTH, related_table
from bot.answering.model import Answer, Candidate, Entry, Outcome
from bot.answering.smalltalk import THANKS_WORDS, small_talk
from bot.answering.synonyms import Keys, Synonyms
from bot.answering.text import (
    STOP_WORDS,
    Form,
    asks_how,
    question_form,
    sound_key,
    stop_word_slip,
    tokens,
    unstretched,
)
from bot.answering.tuning import Tuning
from bot.answering.vocabulary import Vocabulary
from bot.markup import readable

MAX_WORDS = 60  # a question is a sentence or two; a pasted essay is judged by its start, in bounded time
Found = tuple[tuple[str, float], ...]  # the known terms a query term may mean, with strengths
_PARENS = re.compile(r"\(([^)]*)\)")
# A term in quotes: opened after a space, closed before one or a stop ('kept saying 'hypercare' today').
_QUOTED = re.compile(
    r"(?:^|\s)['\"\u2018\u201c]([^'\"\u2018\u2019\u201c\u201d]{2,40})['\"\u2019\u201d](?=[\s,.?!:;]|$)"
)
_INSIDE_A_WORD = re.compile(r"(?<=\w)\((\w+)\)(?=\w)")
# A question of filler words only that speaks to the bot ('what can you do', 'who are you') is about the
# bot: an entry on using it answers, where the knowledge base has one. Thanks are not a question.
_ADDRESSEE = frozenset({"you", "u", "yourself", "ya"})
_DIGIT_SOUNDS = {
    "to": "2",
    "too": "2",
    "two": "2",
    "for": "4",
    "four": "4",
    "won": "1",
    "one": "1",
    "ate": "8",
}
_LETTER_NAMES = {
    name: letter
    for letter, names in {
        "a": "a ay eh", "b": "b bee be", "c": "c see sea cee", "d": "d dee", "e": "e ee", "f": "f ef eff",
        "g": "g gee", "h": "h aitch haitch", "i": "i eye aye", "j": "j jay", "k": "k kay", "l": "l el elle",
        "m": "m em", "n": "n en in", "o": "o oh owe", "p": "p pee pea", "q": "q queue cue", "r": "r are ar",
        "s": "s es ess", "t": "t tee tea to", "u": "u you", "v": "v vee", "w": "w", "x": "x ex",
        "y": "y why wye", "z": "z zed zee",
    }.items()
    for name in names.split()
}  # fmt: skip
# The small words typed fast enough to lose the space after or before them ('doI', 'Whenis', 'mylogin'):
# pronouns, articles, auxiliaries and question words. Not every stop word: English builds its own words
# with particles and adverbs ('toward', 'onsite', 'income', 'without', 'backlog', and 'stillbirth', which is
# no 'still birth'), and sounds are no words at all ('water' is no 'wat er').
_GLUED = frozenset(
    {"i", "a", "the", "my", "me", "we", "you", "ur", "your", "our", "it", "its", "this", "that", "of", "and",
     "do", "does", "did", "dont", "is", "isnt", "are", "was", "am", "can", "cant", "could", "will", "would",
     "should", "has", "have", "had", "not", "how", "hows", "what", "whats", "wot", "wots", "when", "whens",
     "where", "wheres", "who", "whos", "why", "which", "if", "pls", "please"}
)  # fmt: skip
# Letter names that are everyday words too ('I see you', 'tea to oh'), and the letters typed alone.
_EVERYDAY_LETTERS = frozenset(
    {"a", "i", "o", "u", "r", "c", "b", "y", "be", "see", "sea", "eye", "aye", "oh", "owe", "pea", "queue",
     "cue", "are", "you", "why", "tea", "ay", "eh", "in", "to"}
)  # fmt: skip
# A run of everyday letter names that speaks to someone ('I see you', 'why are you') is a sentence.
_PERSONS = frozenset({"i", "you", "u"})
_NO_VOWELS = str.maketrans("", "", "aeiou")
_VOWELS = frozenset("aeiouy")
WHOLE = 0.99  # recall at which the question covers a name wholly
HEARD_STRENGTH = 0.95  # a word heard in a name's word's place: as sure as a spelling, nearly
_Raw = tuple[float, dict[int, float], dict[int, float], float, bool, int]  # score, evidence (_score), entry


def kind_of(entry: Entry, title: Sequence[str]) -> str:
    """The entry's kind, or how-to when its title (its `tokens`) asks how (see `asks_how`): a trust that
    marks every entry jargon still has its how-tos found by how-to questions."""
    return "howto" if asks_how(" ".join(title)) else entry.kind


def names_of(entry: Entry) -> list[str]:
    """Title, aliases, and the parts of a title like 'Business as usual (BAU)'; a title with brackets
    inside a word ('IR(ME)R') is also the word as everyone types it ('IRMER')."""
    names = [entry.title, *entry.aliases]
    if _PARENS.search(entry.title):
        names += [_PARENS.sub(" ", entry.title), *_PARENS.findall(entry.title)]
    if _INSIDE_A_WORD.search(entry.title):
        names.append(_INSIDE_A_WORD.sub(r"\1", entry.title))
    return names


class Matcher:
    """Everything that can be worked out per knowledge base is worked out here, once."""

    def __init__(self, entries: Sequence[Entry], synonyms: Synonyms, tuning: Tuning | None = None):
        self.entries = tuple(entries)
        self.tuning = _for_aliases(tuning or Tuning(), self.entries)
        written = [names_of(e) for e in self.entries]  # the title first
        spelled = [[tokens(n) for n in ns] for ns in written]  # each name's tokens, worked out once
        self._kinds = [kind_of(e, ts[0]) for e, ts in zip(self.entries, spelled, strict=True)]
        known = Keys(synonyms)
        names = [[synonyms.rewrite(ts, known) for ts in tss] for tss in spelled]
        answers = without_boilerplate([readable(e.answer) for e in self.entries])  # no ':emoji:' codes
        texts = [
            synonyms.word_set(" ".join((a, *e.tags)), known)
            for a, e in zip(answers, self.entries, strict=True)
        ]
        acronyms = acronyms_in(n for ns in written for n in ns)
        self.analyzer = Analyzer(synonyms, acronyms, [w for ws in names for w in ws])
        self._names: list[list[tuple[str, ...]]] = []
        # each name's wordings: the words (stop words too), sorted, of every title or alias read as it
        self._wordings: list[list[tuple[str, ...]]] = []
        self._titled: list[frozenset[int]] = []  # which names come from the title, not an alias
        for e, (entry, ws) in enumerate(zip(self.entries, names, strict=True)):
            distinct: dict[tuple[str, ...], tuple[tuple[str, ...], bool]] = {}  # terms -> (wordings, titled)
            for k, (w, name) in enumerate(zip(ws, written[e], strict=True)):
                wording, of_title = _sorted_words(w), not 0 < k <= len(entry.aliases)
                for terms in self.analyzer.name_readings(w, name):
                    wordings, titled = distinct.get(terms, ((), False))
                    wordings = wordings if wording in wordings else (*wordings, wording)
                    distinct[terms] = (wordings, titled or of_title)
            self._names.append(list(distinct))
            self._wordings.append([wordings for wordings, _ in distinct.values()])
            self._titled.append(frozenset(n for n, (_, titled) in enumerate(distinct.values()) if titled))
        self._texts = [self.analyzer.text_terms_of(words) for words in texts]
        verbatim: dict[str, set[int]] = defaultdict(set)  # a name's every word, stop words too -> entries
        for e, wordings in enumerate(self._wordings):
            for wording in (w for ws in wordings for w in ws):
                verbatim[wording].add(e)
        self._verbatim = {wording: frozenset(es) for wording, es in verbatim.items()}
        self._common_names = frozenset(n for ns in self._names for n in ns if STOP_WORDS.issuperset(n))
        self._related = related_table(self.analyzer.stem)
        self._near: dict[str, tuple[str, ...]] = {}
        self._likeliest = lru_cache(maxsize=50_000)(self._alike)  # the same few words meet the same names
        self._strange = lru_cache(maxsize=50_000)(self._unknown_word)  # asked twice of most words
        self._beside = lru_cache(maxsize=50_000)(self._stands_beside)
        self._run_together, self._initials = _neighbours(spelled)
        self._spoken = _spoken_as_words(acronyms)
        self._acronym_short_of = _short_of(a for a in acronyms if 5 <= len(a) <= 6 and a.isalpha())
        self._spelling = Vocabulary(
            STOP_WORDS.union(synonyms.spellings, *(w for ws in names for w in ws)), ()
        )
        self._index()

    def _index(self) -> None:
        # term -> (entry, the entry's names holding it): an entry's title and aliases often share a term
        self._name_postings: dict[str, list[tuple[int, tuple[int, ...]]]] = {}
        self._text_postings: dict[str, list[int]] = defaultdict(list)
        named_only: dict[str, int] = {}  # term -> entries with it in a name but not in the answer
        for e, (names, text) in enumerate(zip(self._names, self._texts, strict=True)):
            holding: dict[str, tuple[int, ...]] = {}
            for n, name in enumerate(names):
                for term in name:
                    holding[term] = (*holding.get(term, ()), n)
            for term, ns in holding.items():
                self._name_postings.setdefault(term, []).append((e, ns))
                if term not in text:
                    named_only[term] = named_only.get(term, 0) + 1
            for term in text:
                self._text_postings[term].append(e)
        df = {t: len(postings) for t, postings in self._text_postings.items()}
        for term in self._name_postings:
            df[term] = df.get(term, 0) + named_only.get(term, 0)
        total = max(len(self.entries), 1)
        self.idf = {t: math.log(1 + total / n) for t, n in df.items()}
        self._unknown = self.tuning.unknown_weight * math.log(1 + total)
        self._enough = self.tuning.evidence * math.log(1 + total)
        self._rare = max(20, total // 50)  # answer-text postings short enough to shortlist from
        weight = self.idf.__getitem__
        self._name_weight = [[sum(map(weight, name)) for name in names] for names in self._names]
        self.vocabulary = Vocabulary(df, self._name_postings)
        self._long_names: dict[tuple[str, int], list[str]] = defaultdict(list)  # by first letter and length
        self._name_words = [frozenset().union(*names) for names in self._names]
        self._heard: dict[str, set[str]] = defaultdict(set)  # name words by how they sound
        for term in self._name_postings:
            self._heard[sound_key(term)].add(term)
        for term in (t for t in self._name_postings if len(t) >= 5):
            for size in {(len(term) - 2) // 3, len(term) // 3, (len(term) + 2) // 3}:
                self._long_names[term[0], size].append(term)

    def match(self, question: str) -> Outcome:
        """Answer, suggest or say nothing is known (see `decide`); a term the question quotes may be
        answered alone (see `_asked_of_quote`)."""
        outcome = decide(question, self.weigh(question), self.tuning)
        if isinstance(outcome, Answer) or not (quoted := _quoted(question)):
            return outcome
        return self._asked_of_quote(question, quoted) or outcome

    def _asked_of_quote(self, question: str, quoted: str) -> Answer | None:
        """A question that quotes a term and asks what it means ('everyone kept saying 'hypercare' in the
        huddle, what does it mean?') asks about the term: the story around it is detail no entry
        explains, which keeps the whole question from being answered. The term is answered when it
        alone would be, by an entry that says what a thing is."""
        if question_form(question) != "jargon":
            return None
        found = decide(quoted, self.weigh(quoted), self.tuning)
        if isinstance(found, Answer) and found.best.entry.kind == "jargon":
            return Answer(question, found.best)
        return None

    def rank(self, question: str) -> list[Candidate]:
        """Every entry the question touches, best first, scored 0-100."""
        return [s.candidate for s in self.weigh(question)]

    def weigh(self, question: str) -> list[Scored]:
        """Every entry the question touches, best first, with the evidence the decision weighs."""
        if small_talk(question):
            return []  # 'thanks, you're a star', 'morning bot, how's your day' ask nothing of the entries
        framed = unframed(tokens(question)[:MAX_WORDS], question, self.analyzer.numbered)
        typed = self._rejoined(self._apart(self._spelt_in_full(self._lettered(framed), question)))
        words = self.analyzer.synonyms.rewrite([self._unslipped(w) for w in typed])
        kept = self.analyzer.acronyms_written(question) | self.analyzer.numbers_named(words)
        terms, own = self._understood(self.analyzer.terms_of(words, kept))
        if not own and _ADDRESSEE.intersection(words) and not THANKS_WORDS.intersection(words):
            words = [BOT if w in _ADDRESSEE else w for w in words]
            terms, own = self._understood(self.analyzer.terms_of(words, kept))
        if not own and (common := tuple(self.analyzer.name_terms_of(words))) in self._common_names:
            terms, own = self._understood(list(common))  # 'who's who': a name of common words, word for word
        if not own:
            return []
        own = self._heard_in_place(terms, own)
        surface = " ".join(words)
        weights = [self._weight(m) for m in own]  # a word the KB lacks stays as telling, related or not
        matches = [self._with_related(term, found) for term, found in zip(terms, own, strict=True)]
        hits = _Hits(terms, matches, self._texts)
        for i, found in enumerate(matches):
            for known, strength in found:
                hits.names_with(i, known, strength, self._name_postings.get(known, ()))
        wording = _sorted_words(words)
        candidates = self._candidates(hits, matches, weights)
        hits.reach = self._within_reach(hits.terms, candidates)
        scored = [(*self._score(e, hits, weights, wording), e) for e in candidates]
        if all(term.isdigit() for term in terms):
            scored = [s for s in scored if self._numbered(s, terms)]
        form, verbatim = question_form(surface), self._verbatim.get(wording, frozenset())
        scored = self._by_form(scored, form, len(weights), verbatim)
        scored.sort(key=lambda s: (-s[0], s[-1]))
        shares = tuple(w / sum(weights) for w in weights)
        numbers = _identifying_numbers(words)
        strangers = frozenset(i for i, found in enumerate(own) if not found or terms[i] in numbers)
        heads = {i: i - 1 for i in strangers if i and terms[i].isdigit()}  # 'section' of 'section 3'
        solid = self.tuning.solid
        kept = [
            (Evidence.of(anywhere, by_name, recall, shares, strangers, heads, solid), s, headless, e)
            for s, anywhere, by_name, recall, headless, e in scored[: self.tuning.keep]
            if s > 0
        ]
        wholly = [ev.named if ev.recall >= WHOLE else frozenset() for ev, *_ in kept]  # see `_upstaged`
        judged = [
            Scored(
                Candidate(self.entries[e], round(score, 1)),
                evidence,
                form_fits=form in (None, self._kind(e)) or e in verbatim,
                modifier_only=headless and form != "howto" and self._kind(e) == "jargon",
                displaced=self._displaced(e, hits, evidence.strays),
                verbatim=verbatim == {e},
                upstaged=self._upstaged(e, hits, len(weights), [c for j, c in enumerate(wholly) if j != k]),
            )
            for k, (evidence, score, headless, e) in enumerate(kept)
        ]
        judged.sort(key=lambda s: not s.verbatim)  # a name asked word for word leads
        return better_fit_first(judged, self.tuning)

    def _upstaged(self, e: int, hits: _Hits, terms: int, wholly: list[frozenset[int]]) -> bool:
        """Whether query terms none of the entry's names explain (its answer text may) make up part of a
        name of another candidate that the question covers wholly (`wholly`: each other candidate's
        terms, where it has such a name): that entry's subject, which this one only mentions."""
        named = hits.best.get(e, {})
        left = [i for i in range(terms) if named.get(i, 0.0) < self.tuning.solid]
        return bool(left) and any(i in covered for covered in wholly for i in left)

    def _displaced(self, e: int, hits: _Hits, strays: frozenset[int]) -> bool:
        """Whether a word the knowledge base never uses stands where a word of one of the entry's names
        stands that the question leaves out, or is a number: the question names something else in the
        entry's place ('how many days until christmas' of 'how many days until go-live', 'citrix
        password' of 'reset my Aurora password', 'opcs 5' of 'OPCS-4'). Not where a how-to's name has
        its verb: 'penicilin alergy' asks to record an allergy, with detail."""
        if not strays:
            return False
        if any(hits.terms[i].isdigit() for i in strays):
            return True
        for n, (_, found) in hits.names.get(e, {}).items():
            name = self._names[e][n]
            if any(hits.in_place(i, name, k) for i in strays for k in self._swappable(e, name, found)):
                return True
        return False

    def _swappable(self, e: int, name: tuple[str, ...], found: dict[str, float]) -> list[int]:
        """The positions of a name's words the question leaves out, but for the first word of a how-to's
        name: that is what to do, and a stray in its place is detail of what it is done to."""
        howto = self._kind(e) == "howto"
        return [k for k, term in enumerate(name) if term not in found and not (k == 0 and howto)]

    def _candidates(self, hits: _Hits, matches: list[Found], weights: list[float]) -> set[int]:
        """The entries whose names explain most of the question, plus a few found by their answer text."""

        def by_name(e: int) -> float:
            return sum(weights[i] * s for i, s in hits.best[e].items())

        named = heapq.nlargest(self.tuning.shortlist, hits.best, key=by_name)
        return set(named).union(self._text_only(matches, weights))

    def _lettered(self, words: list[str]) -> list[str]:
        """Letters read out, as dictation writes them ('I see bee' for ICB, 'pee are en' for PRN): three
        or more in a row that spell an acronym of this knowledge base are read as it."""
        out: list[str] = []
        i = 0
        while i < len(words):
            run = 0
            while i + run < len(words) and words[i + run] in _LETTER_NAMES:
                run += 1
            size = next((n for n in range(run, 2, -1) if self._letters_spell(words[i : i + n])), 0)
            if size:
                out.append("".join(_LETTER_NAMES[w] for w in words[i : i + size]))
                i += size
            else:
                out.append(words[i])
                i += 1
        return out

    def _letters_spell(self, words: list[str]) -> bool:
        """Whether letter names spell an acronym here, one of them plainly a letter's name ('bee', 'pee'),
        none of them 'I' or 'you' ('tea to oh' for TTO), or each a single letter ('m i u', 'c n i o'):
        'I see you' is a sentence and 'I see e-learning' has a word's first letter, whatever they
        spell, but three letters or more typed apart spell."""
        spelt = "".join(_LETTER_NAMES[w] for w in words)
        return spelt in self.analyzer.acronyms and (
            any(len(w) > 1 and w not in _EVERYDAY_LETTERS for w in words)
            or _PERSONS.isdisjoint(words)
            or all(len(w) == 1 for w in words)
        )

    def _spelt_in_full(self, words: list[str], question: str) -> list[str]:
        """Staff shorten a name's phrase to its initials ('DN' for district nurse, 'VW' for virtual ward)
        where the trust wrote it out: a word this knowledge base does not know, that is the initials of
        one phrase of its names only, is read as that phrase (see `_neighbours`)."""
        if not self._initials.keys().isdisjoint(words):
            capitals = frozenset(w.lower() for w in CAPITALS.findall(question))
            return [part for word in words for part in self._phrase_of(word, capitals)]
        return words

    def _phrase_of(self, word: str, capitals: frozenset[str]) -> tuple[str, ...]:
        """The phrase a word is the initials of, or the word: only initials written in capitals, or
        without a vowel, which no everyday word is ('art' is no 'acute respiratory therapy'), and none a
        slip of a small word ('hw') or shorthand the synonyms know ('GP')."""
        phrase = self._initials.get(word)
        if (
            phrase
            and (word in capitals or _VOWELS.isdisjoint(word))
            and self._strange(word)
            and not self.analyzer.synonyms.knows(word)
            and not stop_word_slip(word)
        ):
            return phrase
        return (word,)

    def _apart(self, words: list[str]) -> list[str]:
        """A missed space runs two words into one strange word ('drugchart', 'GPrecords', 'doI'): it is
        read as the two, before it is taken for a slip of one of them ('records')."""
        return [part for word in words for part in self._parts(word)]

    def _parts(self, word: str) -> tuple[str, ...]:
        """Two words of a name side by side; else, for a word that is no slip of a known one, the one way
        it splits into a small word and a name's word, or two small words ('logn' is a slip of 'login',
        not 'log n'). Two words a name never holds side by side are too often a split by chance."""
        if len(word) < 3 or not word.isalpha() or not self._strange(word):
            return (word,)
        if word in self._run_together:
            return self._run_together[word]
        if self.analyzer.synonyms.knows(word) or self._spelling.closest(word) or self._doubled(word):
            return (word,)
        splits = [(word[:i], word[i:]) for i in range(1, len(word))]
        splits = [s for s in splits if all(map(self._gluable, s)) and any(p in STOP_WORDS for p in s)]
        return splits[0] if len(splits) == 1 else (word,)

    def _gluable(self, part: str) -> bool:
        """A small word typed fast (`_GLUED`), or a name's word of three letters or more."""
        if part in STOP_WORDS:
            return part in _GLUED
        terms = self.analyzer.terms_of([part])
        return len(part) > 2 and bool(terms) and terms[0] in self._name_postings

    def _rejoined(self, words: list[str]) -> list[str]:
        """Autocorrect and dictation split a word they do not know into real words: each word is read
        joined to the one before where together they spell a name's word (see `_joined`), before the
        strange half is taken for a slip of a filler word ('pine' -> 'mine'); or to the two before, where
        a small word between is a syllable dictation heard as one (see `_heard_across`)."""
        out: list[str] = []
        for k, word in enumerate(words):
            if out and (joined := self._joined(out[-1], word, words[k + 1 : k + 2])):
                out[-1] = joined
            elif len(out) > 1 and (joined := self._heard_across(out[-2], out[-1], word)):
                out[-2:] = [joined]
            else:
                out.append(word)
        return out

    def _joined(self, first: str, second: str, after: list[str]) -> str | None:
        """The name word two words make: a word and the number it is heard with ('news to' is NEWS2), a
        word staff write as one written apart (`_compound`), or a word and a strange word that together
        spell it nearly ('close pine' for clozapine, 'off lime' for offline) or roughly, as dictation
        hears it (`_heard_as_one`). A filler word first is joined only on a closer likeness: it is
        usually just itself. Never a join that only spells the first word again ('access gp' is
        'access'): the second was a word of its own, there to be read. `after`: the word after the two,
        if any."""
        if numbered := self._numbered_name(first, second, after):
            return numbered
        if self._compound(first, second):
            return first + second
        if not self._strange(second):
            return None
        if spoken := self._spoken.get(_consonants(first + second)):
            return spoken  # 'am hip': an acronym said as a word
        joined = first + second  # as typed too: stemming 'snowmed' leaves 'snowm', far from 'snomed'
        found = max(
            self.vocabulary.lookup(self.analyzer.stem(joined))[:1],
            self.vocabulary.lookup(joined)[:1],
            key=_best,
        )
        needed = self.tuning.rejoin_filler_at if first in STOP_WORDS else self.tuning.rejoin_at
        word, likeness = found[0] if found else ("", 0.0)
        if word in self._name_postings and likeness >= needed and word != self.analyzer.stem(first):
            return joined
        return self._heard_as_one((first, second), needed)

    def _compound(self, first: str, second: str) -> bool:
        """Whether two real words are written apart that staff also write as one ('hyper care', 'pop up',
        'switch over'), known here or related to words entries use: apart, the first alone reaches other
        things ('switch' the switchboard) and the second is read as a word of its own, or as a stop
        word ('over'). Not where a name of this knowledge base holds the first word: it writes the
        phrase apart itself ('hand over a patient')."""
        return (
            (second in _PARTICLES or second not in STOP_WORDS)
            and first not in STOP_WORDS
            and self.analyzer.stem(first) not in self._name_postings
            and not self._strange(first + second)
        )

    def _numbered_name(self, first: str, second: str, after: list[str]) -> str | None:
        """A word and a number said as a word that make a name's word ('news to' is NEWS2): where the
        question ends, or where the next word is one the names of that word's entries use too ('news to
        score'). 'news to share' is no NEWS2: there 'to' leads on to another word."""
        numbered = first + _DIGIT_SOUNDS.get(second, " ")
        postings = self._name_postings.get(numbered, ())
        if postings and (
            not after or any(self.analyzer.stem(after[0]) in self._name_words[e] for e, _ in postings)
        ):
            return numbered
        return None

    def _heard_across(self, first: str, filler: str, last: str) -> str | None:
        """The one long name word dictation hears as three words, a syllable as a small word between
        ('cold a cot' for Caldicott): as `_heard_as_one`, the first two read as one."""
        if first in STOP_WORDS or filler not in STOP_WORDS or len(filler) > 3 or not self._strange(last):
            return None
        return self._heard_as_one((first, filler, last), self.tuning.rejoin_at)

    def _heard_as_one(self, words: tuple[str, ...], needed: float) -> str | None:
        """The one long name word two or three words spell only roughly ('deep pot' for depot), or sound
        like when spoken ('merry dean' for Meridian): further off than a typo, so it must begin as the
        first word does, be longer than any of the words, and be none of them. Only a word that spells it
        closely joins a filler word first: 'the water' sounds much like 'theatre'."""
        joined = "".join(words)
        near = self._long_names.get((joined[0], len(joined) // 3), ())  # a few, not every name word
        heard = process.extractOne(joined, near, scorer=fuzz.ratio, score_cutoff=100 * needed + 10)
        if not heard and words[0] not in STOP_WORDS:
            key, shorter = sound_key(joined), self._long_names.get((joined[0], len(joined) // 3 - 1), ())
            alike = [w for w in (*near, *shorter) if _heard_alike(key, sound_key(w))]
            heard = process.extractOne(joined, alike, scorer=fuzz.ratio, score_cutoff=self.tuning.sound_alike)
        if not heard or heard[0][0] != joined[0] or len(heard[0]) <= max(map(len, words)):
            return None
        return heard[0] if heard[0] not in map(self.analyzer.stem, words) else None

    def _unknown_word(self, word: str) -> bool:
        """Neither known here nor an everyday word ('mum') related to words entries use ('parent')."""
        terms = self.analyzer.terms_of([word])
        return bool(terms) and terms[0] not in self.vocabulary and not self._with_related(terms[0], ())

    def _unslipped(self, word: str) -> str:
        """A strange word may be a slip of a wrapper word ('hw do i'), a long word mistyped ('wrking'),
        one with a letter held down ('soooo') or a short one with a double letter typed once ('cal'):
        read as the word it was, before stemming shortens it past repair."""
        if not self._strange(word) or self.analyzer.synonyms.knows(word):
            return word
        held = unstretched(word)
        if known := next((w for w in held if not self._strange(w)), None):
            return known
        word = held[-1] if held else word
        repaired = stop_word_slip(word) or self._spelt_as_heard(word) or self._spelling.closest(word)
        return repaired or self._doubled(word) or self._dropped(word) or word

    def _spelt_as_heard(self, word: str) -> str | None:
        """A word with an 'f' written for 'ph' ('fases', 'farmacy', 'fone'): the one known word it spells
        as heard. Two letters from the word meant, it is beyond a typo's reach, and the nearest spelling
        is another word ('fases' is one letter from 'bases')."""
        spelt = {
            ph
            for i, c in enumerate(word)
            if c == "f" and not self._strange(ph := word[:i] + "ph" + word[i + 1 :])
        }
        return spelt.pop() if len(spelt) == 1 else None

    def _doubled(self, word: str) -> str | None:
        """A short word whose double letter was typed once ('cal', 'wil', 'ful'): the one word it makes
        with a letter doubled, if only one is known. Short words get no other slip repair (too many
        are a letter from another word), but a double typed once is the commonest slip and seldom
        makes two known words."""
        if not 3 <= len(word) <= 4 or not word.isalpha():
            return None
        known = {d for i in range(len(word)) if not self._strange(d := word[: i + 1] + word[i:])}
        return known.pop() if len(known) == 1 else None

    def _dropped(self, word: str) -> str | None:
        """A word of four or five letters that is an acronym of this knowledge base with one letter left
        out ('cams' for CAMHS), if only one is. Shorter words are too often another word cut short."""
        found = self._acronym_short_of.get(word, ()) if word.isalpha() else ()
        return next(iter(found)) if len(found) == 1 else None

    def _understood(self, terms: list[str]) -> tuple[list[str], list[Found]]:
        """What each query term may mean; two adjacent words may be one misspelt word ('flour walkers')."""
        found = [self.vocabulary.lookup(term) for term in terms]
        kept: list[str] = []
        out: list[Found] = []
        i = 0
        while i < len(terms):
            weakest = min(_best(found[i]), _best(found[i + 1])) if i + 1 < len(terms) else 1.0
            if weakest < 1.0:
                joined = self.vocabulary.lookup(terms[i] + terms[i + 1])
                if (
                    joined
                    and joined[0][0] in self._name_postings
                    and joined[0][1] > weakest
                    and not _part_finds(joined[0], found[i], found[i + 1])
                ):
                    kept.append(terms[i] + terms[i + 1])
                    out.append(joined)
                    i += 2
                    continue
            kept.append(terms[i])
            out.append(found[i])
            i += 1
        return kept, out

    def _heard_in_place(self, terms: list[str], own: list[Found]) -> list[Found]:
        """A word no name holds, standing where a name's word it sounds like stands (beside the same
        word, on the same side), is also read as that word, nearly as surely: dictation and autocorrect
        write real words for the one meant ('tab and go' for tap and go, 'go love' for go live, 'trak
        board'), and a word is otherwise read only as spelt, or as the nearest spelling, which may be
        another word. Only where one name word fits."""
        heard = list(own)
        for i, term in enumerate(terms):
            if len(term) < 3 or term in self._name_postings:
                continue
            alike = self._heard.get(sound_key(term), set())
            for j in (j for j in (i - 1, i + 1) if alike and 0 <= j < len(terms) and own[j]):
                neighbour, strength = own[j][0]
                fits = [w for w in alike if strength == 1.0 and self._beside(w, neighbour, j - i)]
                if len(fits) == 1:
                    found = [f for f in own[i] if f[0] != fits[0]] + [(fits[0], HEARD_STRENGTH)]
                    heard[i] = tuple(sorted(found, key=lambda f: -f[1]))  # stable: spelt as typed first
                    break
        return heard

    def _stands_beside(self, word: str, neighbour: str, side: int) -> bool:
        """Whether a name holds `word` with `neighbour` next to it, after it (side 1) or before (-1)."""
        for e, ns in self._name_postings.get(word, ()):
            for name in (self._names[e][n] for n in ns):
                k = name.index(word) + side
                if 0 <= k < len(name) and name[k] == neighbour:
                    return True
        return False

    def _with_related(self, term: str, found: Found) -> Found:
        """After what the term itself may mean, the everyday words it is near that entries use."""
        near = self._near.get(term)
        if near is None:
            near = self._near[term] = tuple(
                sorted(t for t in self._related.get(term, ()) if t in self.vocabulary)
            )
        have = {t for t, _ in found}
        return found + tuple((t, RELATED_STRENGTH) for t in near if t not in have)

    def _weight(self, found: Found) -> float:
        """Rare terms say more; a term no entry uses suggests the question is about something else."""
        if not found:
            return self._unknown
        return self.idf[found[0][0]]

    def _text_only(self, matches: list[Found], weights: list[float]) -> list[int]:
        """The few entries whose answer text holds the question's rarer terms."""
        found: dict[int, float] = defaultdict(float)
        for w, terms in zip(weights, matches, strict=True):
            for known, strength in terms[:1]:
                postings = self._text_postings.get(known, ())
                if len(postings) <= self._rare:
                    for e in postings:
                        found[e] += w * strength
        return heapq.nlargest(self.tuning.shortlist, found, key=found.__getitem__)

    def _score(
        self, e: int, hits: _Hits, weights: list[float], wording: str
    ) -> tuple[float, dict[int, float], dict[int, float], float, bool]:
        """The best of the entry's names, each judged with the rest of the entry as context; with what
        the entry as a whole and that name explain, how much of the name the question covers, and
        whether it leaves out the head word of every alias it meets (a title's first word names the
        entry's own subject: 'Caldicott' asks for the Caldicott Guardian; an alias 'sepsis alerts' names
        one thing the entry covers, so 'sepsis' alone is likely asked of something else)."""
        t = self.tuning
        anywhere = hits.by_entry(e, t.other_name_trust, t.text_trust)
        best_explained = base = sum(w * anywhere.get(i, 0.0) for i, w in enumerate(weights))
        score, by_name, recall = base * (1 - t.name_share), {}, 0.0
        headless = bool(hits.names.get(e))
        accounted = dict(anywhere)  # and the words a name of it repairs, which are then no strays
        words = self._name_words[e]
        unexplained = [  # what repairs may fix: weakly explained, and like some word of the entry's names
            i
            for i, near in enumerate(hits.reach)
            if anywhere.get(i, 0.0) < 0.5 and not near.isdisjoint(words)
        ]
        for n, (by_term, found) in hits.names.get(e, {}).items():
            if unexplained and (repaired := self._repaired(e, n, hits, by_term, found, unexplained)):
                by_term, found = repaired
                for i, s in by_term.items():  # unrepaired, a name accounts for no more than `anywhere`
                    _keep_best(accounted, i, t.other_name_trust * s)
            gain = 0.0  # what the name explains beyond the entry as a whole: a loop, the hottest of all
            for i, s in by_term.items():
                if s > (elsewhere := anywhere.get(i, 0.0)):
                    gain += weights[i] * (s - elsewhere)
            explained = base + gain
            covers = self._recall(e, n, found)
            worded = max(fuzz.ratio(wording, w) for w in self._wordings[e][n]) / 100  # as token_sort_ratio
            named_score = explained * (1 - t.name_share + t.name_share * covers)
            named_score *= 1 - t.wording_share + t.wording_share * worded
            if named_score > score:
                score, by_name, recall = named_score, by_term, covers
            headless = (
                headless
                and n not in self._titled[e]
                and _headless(self._names[e][n], found, self.analyzer.acronyms)
            )
            if explained > best_explained:
                best_explained = explained
        score *= 100 / sum(weights)
        if best_explained < self._enough:  # a few common words are thin evidence
            score *= best_explained / self._enough
        headless = headless and all(by_name.get(i, 0.0) >= t.solid for i in range(len(weights)))
        return score, accounted, by_name, recall, headless

    def _by_form(self, scored: list[_Raw], form: Form, terms: int, verbatim: frozenset[int]) -> list[_Raw]:
        """'What is' asks for jargon, 'how do I' for a how-to, and a bare term more for what it is; all the
        more when an entry of the asked kind names the whole question. The form yields to the words
        when they spell out whole names of the other kind only ('what is the go-live date'), and to a
        name asked word for word, its question words too ('how to prescribe', an alias of ePrescribing):
        the person named the entry they want."""
        t = self.tuning
        if not form:
            return [
                (s * t.bare_term_penalty if self._kind(e) == "howto" and e not in verbatim else s, *rest, e)
                for s, *rest, e in scored
            ]
        spelled = {e for _, _, by_name, recall, _, e in scored if self._spelled_out(by_name, recall, terms)}
        waived = (spelled if all(self._kind(e) != form for e in spelled) else set()) | verbatim
        penalty = t.form_penalty ** (2 if self._named_of_kind(scored, form, terms) else 1)
        return [
            (s if self._kind(e) == form or e in waived else s * penalty, *rest, e) for s, *rest, e in scored
        ]

    def _numbered(self, scored: _Raw, numbers: list[str]) -> bool:
        """Whether a question of numbers alone asks for this entry: a number names only what it is the
        number of, in a title ('NHS 111', 'ICD-10') or as a whole name ('111'); elsewhere it counts
        ('top 10 at 10', 'a 10-digit number'), and '10' asks about nothing."""
        _, _, by_name, recall, _, e = scored
        titles = (self._names[e][n] for n in self._titled[e])
        return _whole_name(by_name, recall, len(numbers)) or any(set(numbers) <= set(t) for t in titles)

    def _named_of_kind(self, scored: list[_Raw], form: Form, terms: int) -> bool:
        """Whether an entry of the kind the form asks for names every word of the question: the other
        kind then has nothing but the form to go on, and the form argues against it ('where is the
        floorwalker' of 'How do I find a floorwalker?' and 'Floorwalker')."""
        return any(
            self._kind(e) == form and all(by_name.get(i, 0.0) >= self.tuning.solid for i in range(terms))
            for _, _, by_name, _, _, e in scored
        )

    def _kind(self, e: int) -> str:
        return self._kinds[e]

    @staticmethod
    def _spelled_out(by_name: dict[int, float], recall: float, terms: int) -> bool:
        """Whether the question is a whole name of several words, word for word (one word names a topic,
        not an entry)."""
        return terms >= 2 and _whole_name(by_name, recall, terms)

    def _repaired(
        self,
        e: int,
        n: int,
        hits: _Hits,
        by_term: dict[int, float],
        found: dict[str, float],
        unexplained: list[int],
    ) -> tuple[dict[int, float], dict[str, float]] | None:
        """Within a name that already matches, a query word nothing explains may be a mangled form of
        the name's word that nothing matched ('hazard lock', 'integrated care bored'): autocorrect
        swaps in real words that are too far off to be found alone, but are plain once the rest fits.
        Where the word also stands where the name's word does (next to the same neighbour: 'clown
        computing', 'downtown forms'), the phrase itself vouches for it and less likeness is needed.
        `unexplained`: the query terms the entry as a whole explains weakly, worked out once per entry.
        None when nothing is repaired, as for most names."""
        name = self._names[e][n]
        lacking = len(name) - len(found)  # a name's terms are distinct, and `found` holds only them
        if not lacking or lacking * 2 > len(name):  # the rest of the name must fit first
            return None
        missing = tuple(term for term in name if term not in found)
        repairs: list[tuple[int, str, float]] = []
        for i in (i for i in unexplained if by_term.get(i, 0.0) < 0.5):
            if hits.reach[i].isdisjoint(missing):
                continue  # spares finding the likeliest of the missing words one by one
            term, similarity = self._likeliest(hits.terms[i], missing)
            if similarity >= self.tuning.repair_at or (
                similarity >= self.tuning.repair_in_place_at and hits.in_place(i, name, name.index(term))
            ):
                repairs.append((i, term, self.tuning.repair_trust * similarity / 100))
        if not repairs:
            return None
        by_term, found = dict(by_term), dict(found)
        for i, term, strength in repairs:
            _keep_best(by_term, i, strength)
            _keep_best(found, term, strength)
        return by_term, found

    def _within_reach(self, terms: list[str], candidates: set[int]) -> list[frozenset[str]]:
        """For each query term, the words of the candidates' names it could be repaired into (see
        `_alike`): alike enough to count in place, or heard alike. Worked out once per question; it
        meets a hundred names, and one name in two hundred is repaired."""
        pool = frozenset().union(*(self._name_words[e] for e in candidates))
        return [self._near_words(word, pool) for word in terms]

    def _near_words(self, word: str, pool: frozenset[str]) -> frozenset[str]:
        t = self.tuning
        cutoff = t.repair_in_place_at if len(word) >= 5 else t.repair_at
        alike = process.extract(word, pool, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
        heard = self._heard.get(sound_key(word), set()) if len(word) > 2 else set()
        return frozenset(heard.union(w for w, _, _ in alike))

    def _alike(self, word: str, words: tuple[str, ...]) -> tuple[str, float]:
        """The word most like `word`, and how alike (0-100). Words heard alike get enough to count where
        they stand in place; a short word only a few letters like another is too easily a different word
        ('taxi', 'train')."""
        t = self.tuning
        other, similarity, _ = process.extractOne(word, words, scorer=fuzz.ratio)
        if (len(word) < 5 and similarity < t.repair_at) or _prefixed(word, other):
            similarity = 0.0
        if similarity < t.sound_alike and len(word) > 2:
            heard = sound_key(word)
            other, similarity = next(
                ((w, t.sound_alike) for w in words if sound_key(w) == heard), (other, similarity)
            )
        return other, similarity

    def _recall(self, e: int, n: int, found: dict[str, float]) -> float:
        """How much of one name the question covers (weighted by how specific each of its terms is)."""
        total = self._name_weight[e][n]
        if not total:
            return 0.0
        idf, covered = self.idf, 0.0
        for term, s in found.items():
            covered += idf[term] * s
        return min(1.0, covered / total)


class _Hits:
    """Per question: how strongly each entry (each of its names, and its answer) explains each term."""

    def __init__(self, terms: list[str], matches: list[Found], texts: list[frozenset[str]]):
        self.terms = terms
        self._matches = matches
        self._texts = texts
        # entry -> name -> ({query term index: strength}, {name term: strength})
        self.names: dict[int, dict[int, tuple[dict[int, float], dict[str, float]]]] = {}
        self.best: dict[int, dict[int, float]] = {}  # entry -> query term index -> best name strength
        # per query term: the words of the scored entries' names it may be repaired into
        self.reach: list[frozenset[str]] = []

    def names_with(
        self, i: int, known: str, strength: float, postings: Sequence[tuple[int, tuple[int, ...]]]
    ) -> None:
        """Query term i means `known` this strongly, and these entries' names hold `known`."""
        entries, names = self.best, self.names
        for e, ns in postings:  # the hottest loop of a question: _keep_best and setdefault written out
            best = entries.get(e)
            if best is None:
                best = entries[e] = {}
                names[e] = {}
            if best.get(i, 0.0) < strength:
                best[i] = strength
            own = names[e]
            for n in ns:
                pair = own.get(n)
                if pair is None:
                    pair = own[n] = ({}, {})
                by_term, found = pair
                if by_term.get(i, 0.0) < strength:
                    by_term[i] = strength
                if found.get(known, 0.0) < strength:
                    found[known] = strength

    def in_place(self, i: int, name: tuple[str, ...], k: int) -> bool:
        """Whether query term i has beside it what name term k has beside it, on the same side."""
        return any(
            0 <= i + side < len(self.terms)
            and 0 <= k + side < len(name)
            and any(known == name[k + side] for known, _ in self._matches[i + side])
            for side in (-1, 1)
        )

    def by_entry(self, e: int, name_trust: float, text_trust: float) -> dict[int, float]:
        """How well the entry as a whole (any name, or its answer) explains each query term."""
        text = self._texts[e]
        best = {}
        for i, found in enumerate(self._matches):
            strength = next((s for known, s in found if known in text), 0.0)
            if strength:
                best[i] = text_trust * strength
        for i, s in self.best.get(e, {}).items():  # the best of its names, kept as the names were hit
            _keep_best(best, i, name_trust * s)
        return best


def _for_aliases(tuning: Tuning, entries: Sequence[Entry]) -> Tuning:
    """A knowledge base that names its entries few ways (titles and an alias or two) covers fewer of the
    ways staff put a question, so right answers score lower there and the bar to answer is lower."""
    aliases = sum(len(e.aliases) for e in entries) / max(len(entries), 1)
    return replace(tuning, answer_at=tuning.sparse_answer_at) if aliases < tuning.sparse_aliases else tuning


_PARTICLES = frozenset({"over"})  # stop words that end a word written as one ('switchover', 'handover')


def _quoted(question: str) -> str | None:
    """The one term a question puts in quotes, if it quotes one."""
    found = _QUOTED.findall(question)
    return found[0] if len(found) == 1 else None


def _neighbours(
    spelled: Sequence[Sequence[list[str]]],
) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, ...]]]:
    """Two tables of the neighbouring words of each name (`tokens` of each name of each entry), both of
    words that are no stop words: each two as one word (plural too: 'drugcharts'), for the two words;
    and the initials of each run of two or three that opens and closes with such a word ('just in
    case': JIC), for the run, where the initials spell one run only. A run holds words only ('covid 19'
    is no CN). Written for speed: one walk over a knowledge base's 30,000 names, each word judged once."""
    together: dict[str, tuple[str, str]] = {}
    runs: dict[str, tuple[str, ...]] = {}
    for words in (ws for names in spelled for ws in names if len(ws) > 1):
        ends = [w.isalpha() and w not in STOP_WORDS for w in words]
        letters = "".join(w[0] for w in words)
        for k in (k for k in range(len(words) - 1) if ends[k] and words[k + 1].isalpha()):
            if ends[k + 1]:
                first, second = words[k], words[k + 1]
                together[first + second] = (first, second)
                together.setdefault(first + second + "s", (first, second + "s"))
                _add_run(runs, letters[k : k + 2], (first, second))
            if k + 2 < len(words) and ends[k + 2]:
                _add_run(runs, letters[k : k + 3], tuple(words[k : k + 3]))
    return together, {initials: run for initials, run in runs.items() if run}


def _add_run(runs: dict[str, tuple[str, ...]], initials: str, run: tuple[str, ...]) -> None:
    """The initials of two runs say neither: they are kept as no run, and dropped at the end."""
    if runs.setdefault(initials, run) != run:
        runs[initials] = ()


def _heard_alike(typed: str, name: str) -> bool:
    """Whether words typed are heard as a name's word, by their sound keys (see `sound_key`): the same,
    or, for a name word of five consonants or more, with one more consonant typed. Dictation spells a
    sound as real words, which may spell one the speaker hardly sounded ('clothes a pine' for
    clozapine); one heard in place of another is another word ('ward rond' is no workaround)."""
    return typed == name or (
        len(name) >= 5 and len(typed) == len(name) + 1 and Levenshtein.distance(typed, name) == 1
    )


def _prefixed(word: str, other: str) -> bool:
    """Whether `word` is `other` with a word or a prefix before it ('stillbirth', 'antenatal',
    'nonurgent'): no slip of it but another thing, often its opposite."""
    return len(word) >= len(other) + 2 and word.endswith(other)


def _spoken_as_words(acronyms: Iterable[str]) -> dict[str, str]:
    """Acronyms of four letters or more by their consonants (see `_consonants`), where no other has the
    same: said as a word, an acronym gains vowels ('am hip' for AMHP), and dictation writes it as the
    words it sounds like."""
    spoken: dict[str, set[str]] = defaultdict(set)
    for acronym in (a for a in acronyms if len(a) >= 4 and a.isalpha()):
        spoken[_consonants(acronym)].add(acronym)
    return {key: next(iter(found)) for key, found in spoken.items() if len(found) == 1}


def _consonants(word: str) -> str:
    """A word's first letter and the consonants after it."""
    return word[:1] + word[1:].translate(_NO_VOWELS)


def _short_of(words: Iterable[str]) -> dict[str, set[str]]:
    """Each word with one letter left out -> the words it is short of."""
    short: dict[str, set[str]] = defaultdict(set)
    for word in words:
        for i in range(len(word)):
            short[word[:i] + word[i + 1 :]].add(word)
    return dict(short)


def _part_finds(joined: tuple[str, float], *parts: Found) -> bool:
    """Whether one word alone already finds what the two joined find: the join would lose the other."""
    return any(part and part[0][0] == joined[0] and part[0][1] >= joined[1] for part in parts)


def _identifying_numbers(words: list[str]) -> frozenset[str]:
    """Numbers that name one thing of several ('section 3', 'ICD-11', 'news2'), not ones that count
    ('5 patients', 'like I'm 5'): one an entry leaves unexplained says the question is about another
    thing, as a word the knowledge base never uses does. Joined names are also read joined ('icd11')."""
    named = {w for w in words if not w.isalpha() and not w.isdigit() and any(c.isdigit() for c in w)}
    after_a_name = {w for before, w in pairwise(words) if w.isdigit() and before not in STOP_WORDS}
    return frozenset(named | after_a_name | {b + w for b, w in pairwise(words) if w in after_a_name})


def _whole_name(by_name: dict[int, float], recall: float, terms: int) -> bool:
    """Whether the question's terms are one of the entry's names, word for word."""
    return recall >= 0.99 and all(by_name.get(i, 0.0) >= 0.99 for i in range(terms))


def _headless(name: tuple[str, ...], found: dict[str, float], acronyms: frozenset[str]) -> bool:
    """Whether the question leaves out a name's last word: in English that is the thing named ('sepsis
    alerts' are alerts), so 'what is sepsis' asks about something else. A number names the thing by
    itself ('section 17' is section 17 leave), and a closing acronym is a suffix ('SNOMED CT')."""
    head = name[-1]
    return (
        len(name) > 1
        and not found.get(head)
        and head not in acronyms
        and not any(c.isdigit() for term in found for c in term)
    )


def _sorted_words(words: Sequence[str]) -> str:
    """Words in sorted order, as fuzz.token_sort_ratio compares them: names are sorted once, when the
    knowledge base loads, and the question once, not again for each name it is compared with."""
    return " ".join(sorted(words))


def _best(found: Found) -> float:
    return found[0][1] if found else 0.0


def _keep_best(scores: dict, key: object, strength: float) -> None:
    if scores.get(key, 0.0) < strength:
        scores[key] = strength
