"""Turning what hurried staff type into comparable terms, the same way for questions and entries.

The steps are deliberately simple and shared by both sides, so a question and an entry that mean the
same thing end up as the same terms: tokens, synonyms, compounds, stop words, then light stemming.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import OSA

Form = Literal["jargon", "howto"] | None

# A link never holds '<' (Slack escapes it), so no attempt runs past the next one: a message of many
# unclosed '<mailto:' would otherwise cost time growing with the square of its length.
_LINK = re.compile(r"<(?:https?://|mailto:)[^|<>]*\|([^<>]*)>|<(?:https?://|mailto:)[^<>]*>|https?://\S+")
# These two begin with the character they look for and check what stands before it after, so the scan
# skips to each '.' or apostrophe instead of trying every word (twice as fast on answers).
_DOTTED = re.compile(r"\.(?<=\b[a-z]\.)(?:[a-z]\.)+[a-z]?\.?(?![a-z])")  # from the first dot: 's' + '.n.o.'
_APOSTROPHE = re.compile(r"['’`](?<=[a-z]['’`])(?=[a-z])")
_TOKEN = re.compile(r"[a-z0-9]+(?:&[a-z0-9]+)*")
# Folded text is ASCII: all but its letters and digits parts words, when no '&' may join two.
_APART = str.maketrans(
    {c: " " for c in map(chr, range(128)) if c not in string.ascii_lowercase + string.digits}
)
_HELD = re.compile(r"([a-z])\1{2,}")
_NEGATED = re.compile(r"\bnon[\s-]+(?=[a-z])")  # 'non-emergency' is no kind of emergency
_HOURS = re.compile(r"\b(\d{1,3}) ?(?:h|hrs?)\b")  # '4hr', '24h', '48 hrs': hours ('hr' alone is HR)
_A_PLUS_E = re.compile(r"\ba ?\+ ?e\b")  # 'A+E' is A&E; read apart, 'a e' would also be 'a e-learning'

# Question wrappers, chat filler and function words: they say how someone asks, not what about.
_STOP_TEXT = (
    "a about above again all also am an and any anybody anyone anything are as ask asking at be been "
    "being bit but by can cheers could currently did do does doing dont done each else even ever every "
    "exactly explain explained for from get gets getting give going got guys had has have having he hello "
    "her here hey hi hiya how however i id if im in into is it its ive just kind know let like lot me "
    "mean meaning means meant might mine more morning afternoon evening most much must my myself need "
    "needs no not now of off ok okay on one only or our over please plz pls possible q quick quickly "
    "really right said say says should so some someone something sort stand stands still such sure team "
    "tell than thank thanks thanx thx ta that thats the their them then there these they thing things "
    "this those through to too u uh um ur us very wanna want wanted was wat wats we were what whats "
    "whatever when where whereabouts which while who whom whos why will wonder wondering wot wots would "
    "ya yeah yes yet you your youre definition define defined term word acronym abbreviation short r u 2 "
    "4 b n y abt bout hv wht isnt doesnt cant wont dont didnt arent wasnt shouldnt couldnt ive "
    "ah any1 daft dumb er erm folks hmm lol mate oh question silly some1 somebody sorry stupid umm "
    "according regarding concerning today suddenly recently lately anymore always "
    "with havent hasnt hadnt wouldnt werent youve weve theyve oclock gonna gotta dunno coz cuz smth sth "
    "whens wheres hows whys eli5 idk tbh imo fyi btw omg ngl x xx xxx sorts sorted sorting "
)
# Words that colour a question without saying what it is about: unknown to a knowledge base, they are
# no sign that the question is about something else. Real words, so never taken as the word a slip meant.
_FRAMING_TEXT = (
    "able unable better best good great ready remember tried trying seem seems keep keeps kept maybe "
    "perhaps probably actually basically literally anyway though because obtain acquire soon remind "
    "clarify bother moment stuff tho ffs newbie "
    "monday tuesday wednesday thursday friday "  # when, not what: weekends are out of hours
)
_TYPED_STOP_WORDS = frozenset(_STOP_TEXT.split())
STOP_WORDS = _TYPED_STOP_WORDS | frozenset(_FRAMING_TEXT.split())
# Question wrappers first: when a slip is as close to one of them as to another stop word, it was one.
_WRAPPERS = ("how", "what", "where", "when", "who", "why", "which", "does", "the", "can", "you", "about")
_STOP_LIST = [
    *_WRAPPERS,
    *sorted(w for w in _TYPED_STOP_WORDS - set(_WRAPPERS) if len(w) >= 2 and w.isalpha()),
]

_JARGON_FORM = re.compile(
    r"\b(?:what|wot|wat|whats|wots|wats)\b|\bstands? for\b|\bmean(?:s|ing|t)?\b|\bdefin|\bwho (?:is|are)\b|"
    r"\bwhos\b|\bexplain(?:ed)?\b|\beli5\b|\btell me about\b|\bacronym\b|\babbreviation\b|"
    r"\b(?:person|people|team|group) who\b"  # a role described: who that is
)
# How-to questions asked ('how do I', 'who do I call'), then problems told ('my card won't work').
_HOWTO_ASKED = (
    r"\bhow\b|\bwhere\b|\bwho (?:do|can|should|shall|to)\b|\bcan i\b|\bcan we\b|\bneed to\b(?! know)|"
    r"\bi need\b(?! to know)|"
    r"\bwhat do i do\b|\bwhat should i\b|\bwho do i\b|\bhow2\b|\bhowto\b|"
    r"\bwhen (?:is|does|do|will|are|can|should|shall)\b|\bwhens\b|\bwheres\b|\bhows\b|"
    r"\bwhat (?:time|day|date)s?\b|"
    r"\bam i allowed\b|\bis it ok\b|"
    r"\b(?:what|wat|wot)s?(?: is| are)? the (?:\w+ )?(?:way|process|procedure) (?:to|for)\b|"  # best way to
    r"^were (?:is|are|do|does|can)\b"  # 'where' with a letter dropped: no sentence opens 'were is'
)
_HOWTO_TOLD = (
    r"\bcant\b|\bcannot\b|\bnot working\b|\bisnt working\b|\bdoesnt work|\bwont\b|\bbroken\b|"
    r"\bstuck\b|\blocked out\b"
)
# Text-speak for the words the question forms are written in.
_SPELT_OUT = {"r": "are", "u": "you", "ur": "your", "y": "why", "b4": "before", "pls": "please", "cn": "can"}
_HOWTO_FORM = re.compile(f"{_HOWTO_ASKED}|{_HOWTO_TOLD}")
_ASKS_HOW = re.compile(_HOWTO_ASKED)


def fold(text: str) -> str:
    """Lower-case ASCII with links reduced to their label, dotted acronyms (S.N.O.M.E.D) closed up and
    'non-' joined to its word, so 'non-urgent' never meets 'urgent'."""
    if "http" in text or "mailto:" in text:
        text = _LINK.sub(lambda m: m.group(1) or " ", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower()
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text) if "." in text else text
    text = _NEGATED.sub("non", text) if "non" in text else text
    text = _A_PLUS_E.sub("a&e", text) if "+" in text else text
    text = _HOURS.sub(r"\1 hours", text) if "h" in text and _has_digit(text) else text
    return _APOSTROPHE.sub("", text) if "'" in text or "’" in text or "`" in text else text


def _has_digit(text: str) -> bool:
    """Ten substring searches: a regular expression scans long answers, mostly without digits, slower."""
    return any(digit in text for digit in "0123456789")


def tokens(text: str) -> list[str]:
    """Words of folded text; 'a&e' stays one token so shorthand with '&' can be a synonym."""
    folded = fold(text)
    if "&" in folded or len(folded) < 64:
        return _TOKEN.findall(folded)
    return folded.translate(_APART).split()  # the same words, faster over long text such as answers


def question_form(text: str) -> Form:
    """Whether a question asks what something is, or how to do something; None when it does not say,
    as 'why' does not: "why can't I see..." asks for a reason. Text-speak is spelt out first, so 'when
    r we going live' asks when as 'when are we' does."""
    folded = " ".join(_SPELT_OUT.get(token, token) for token in tokens(text))
    if folded.startswith("why "):
        return None  # asks for a reason, which a term's meaning gives as often as a how-to does
    howto = _HOWTO_FORM.search(folded)
    jargon = _JARGON_FORM.search(folded)
    if howto and (not jargon or howto.start() <= jargon.start()):
        return "howto"
    if howto:
        return None  # 'what are the forms and where are they kept' asks what, then how: both
    return "jargon" if jargon else None


def asks_how(title: str) -> bool:
    """Whether an entry's title, as its tokens joined by spaces (worked out once by whoever reads the
    title), opens as a how-to question ('How do I log an issue?', 'Who do I call at night?'): such an
    entry is a how-to, whatever kind it was given. A title asking what ('What is the 24-hour
    contact?') says nothing sure, a how-to may well be asked that way; nor does a problem word inside
    a term's title ('Stuck patient flag', an acronym 'CANT')."""
    return bool(_ASKS_HOW.match(title))


# Words that end like plurals but are not ('news' is not many 'new's).
_NOT_PLURALS = frozenset(
    {
        *("news", "series", "species", "lens", "diabetes", "measles", "mumps"),
        *("physics", "politics", "economics", "ethics", "logistics"),
    }
)


# Past forms of irregular verbs, which no suffix rule reaches: 'wrote' is a form of 'write'. Only forms
# that are rarely another word or another thing's name: not 'left' (a side), 'stuck', 'broken', 'lost',
# 'gone', 'met' (a meeting), 'froze' (a change freeze), 'chose', 'heard' or 'led' (a screen).
_IRREGULAR_TEXT = """
find found | write wrote written | send sent | make made | take took taken | come came | bring brought |
buy bought | catch caught | teach taught | think thought | speak spoke spoken | steal stole stolen |
forget forgot forgotten | hide hid hidden | ring rang rung | begin began begun | run ran | spend spent |
build built | pay paid | understand understood | wear wore worn | tear tore torn | draw drew drawn |
throw threw thrown | grow grew grown | deal dealt | learn learnt | spell spelt | burn burnt | spill spilt |
withdraw withdrew withdrawn | override overrode overridden | mistake mistook mistaken |
forgive forgave forgiven | shake shook shaken | sit sat | tell told
"""
_IRREGULAR = {form: forms.split()[0] for forms in _IRREGULAR_TEXT.split("|") for form in forms.split()[1:]}


def stem(token: str, keep: frozenset[str] = frozenset()) -> str:
    """Light suffix stripping so plurals and verb forms meet; acronyms in `keep` are never touched.

    It only has to give the same stem to the forms of one word (update, updates, updated, updating),
    not a dictionary word.
    """
    if token in keep or token in _NOT_PLURALS:
        return token
    if token.endswith("s") and not token.endswith("ss") and token[:-1] in keep:
        return token[:-1]  # 'GPs', 'EDs', 'FP10s': an acronym's plural is the acronym
    token = _IRREGULAR.get(token, token)
    if len(token) <= 3 or not token.isalpha():
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith(("ches", "shes", "xes", "sses", "zes")):
        token = token[:-2]
    elif token.endswith("s") and not token.endswith(("ss", "us", "is")):
        token = token[:-1]
    for suffix in ("ing", "ed"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            token = token[: -len(suffix)]
            if len(token) > 3 and token[-1] == token[-2] and token[-1] not in "lsz":
                token = token[:-1]
            break
    return token[:-1] if len(token) >= 6 and token.endswith("e") else token


@lru_cache(maxsize=20_000)
def stop_word_slip(word: str) -> str | None:
    """The stop word that 'hw', 'whta', 'wher', 'wen' or 'teh' was meant to be, if any.

    One edit away, and never by dropping a letter from the typed word ('dog' is not 'do'); a changed
    letter only counts in words of four letters or more ('tv' is not 'to').
    """
    if not 2 <= len(word) <= 6 or word in STOP_WORDS:
        return None
    if word.endswith("s") and (asked := stop_word_slip(word[:-1])) and asked + "s" in STOP_WORDS:
        return asked + "s"  # "when's" typed 'wens'
    if len(word) > 5:
        return None
    for stop, _, _ in process.extract(word, _STOP_LIST, scorer=OSA.distance, score_cutoff=1, limit=None):
        longer = len(stop) > len(word)
        swapped = sorted(stop) == sorted(word)
        if longer or swapped or (len(stop) == len(word) >= 4):
            return stop
    return None


def unstretched(word: str) -> tuple[str, ...]:
    """A letter held down for emphasis ('soooo', 'helllp'): the word with it once, then twice ('soon',
    'cool'); nothing when no letter is held. No English word has one letter three times running."""
    if not _HELD.search(word) or len(set(word)) == 1:  # 'xxxxxx' is a key held down, not a word
        return ()
    return _HELD.sub(r"\1", word), _HELD.sub(r"\1\1", word)


_SOUNDS = str.maketrans("cgqbdzv", "kkkptsf", "aeiouhwy")
_SOUNDS_FIRST = str.maketrans("cgqbdzv", "kkkptsf")


@lru_cache(maxsize=20_000)
def sound_key(word: str) -> str:
    """The consonants a word is heard as, voiced and voiceless alike ('lock'/'log', 'live'/'life'):
    autocorrect and dictation swap in real words that sound like the one meant."""
    word = word.replace("ph", "f").replace("ck", "k")
    key = word[:1].translate(_SOUNDS_FIRST) + word[1:].translate(_SOUNDS)
    return "".join(c for i, c in enumerate(key) if i == 0 or c != key[i - 1])


def content(words: Iterable[str]) -> list[str]:
    """Drop stop words, keeping the order and the words that carry the meaning."""
    return [w for w in words if w not in STOP_WORDS]
