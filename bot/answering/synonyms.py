"""Shorthand staff type (OOH, d/c, pt, obs) mapped to the words entries use, so both meet.

Each group names one thing several ways; the first way is the one both questions and entries are
rewritten to. The NHS shorthand below is built in; a trust adds its own groups in any knowledge file
under `synonyms:` (see knowledge/synonyms.yaml), and a trust's group wins over a built-in one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.answering.text import STOP_WORDS, stem, tokens

_NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


def _night_hours() -> list[str]:
    """Clock times in the small hours and late evening ('3am', '11 pm'): asking for help then is asking
    for help at night, which is how entries put it."""
    hours = [f"{h}am" for h in (12, 1, 2, 3, 4, 5)] + [f"{h}pm" for h in (9, 10, 11)]
    return [form for hour in hours for form in (hour, f"{hour[:-2]} {hour[-2:]}")]


def _day_hours() -> list[str]:
    """Clock times in the working day ('8am', '2 pm'): when something happened, not what it is about.
    From 5pm it is out of hours, which entries do speak of."""
    hours = [f"{h}am" for h in (7, 8, 9, 10, 11)] + [f"{h}pm" for h in (12, 1, 2, 3, 4)]
    return [form for hour in hours for form in (hour, f"{hour[:-2]} {hour[-2:]}")]


BUILT_IN: tuple[tuple[str, ...], ...] = (
    ("out of hours", "ooh", "oohs", "after hours", "out-of-hours", "overnight", "out of hrs", "after hrs"),
    ("hours", "hrs"),  # not "hr": that is human resources
    ("discharge", "d/c", "dc", "dischrg"),
    ("patient", "pt", "pts", "pt's", "service user"),
    ("observations", "obs", "vital signs", "vitals"),
    ("medication", "meds", "medicines", "medicine", "drugs"),
    ("emergency department", "ed", "a&e", "a and e", "accident and emergency", "casualty"),
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
    ("blood pressure", "bp"),
    ("oxygen saturation", "sats", "spo2", "o2 sats"),
    ("electrocardiogram", "ecg", "ekg"),
    ("full blood count", "fbc"),
    ("mental health act", "mha"),
    ("did not attend", "dna", "no show", "no answer at the door", "nobody answers the door", "nobody home"),
    ("date of birth", "dob", "d.o.b"),
    ("next of kin", "nok"),
    ("community psychiatric nurse", "cpn"),
    ("nil by mouth", "nbm"),
    ("do not attempt resuscitation", "dnacpr", "dnar", "dnr"),
    ("xray", "x-ray", "x ray"),  # one word, so a lone 'x' (a kiss at the end of a message) means nothing
    ("ward clerk", "ward receptionist"),
    ("night", "nights", "night shift", "nite", "midnight", *_night_hours()),
    ("weekend", "wkend", "w/e"),
    ("annual leave", "a/l", "holiday", "holidays", "hols", "time off"),
    ("phone", "telephone", "tel", "ring", "call", "mobile"),
    ("password", "pw", "pwd", "passcode", "pswd", "passwd", "pword"),
    ("account", "acct", "a/c"),
    ("message", "msg", "msgs"),
    ("manager", "mgr"),
    ("management", "mgmt", "mgt", "mngmt"),
    ("number", "num", "nbr"),
    ("week", "wk", "wks"),
    ("minutes", "mins"),
    ("login", "log in", "log-in", "logon", "log on", "sign in", "signin", "sign-in", "username"),
    # one word, so 'log off' is never read as logging an issue
    ("logout", "log out", "log-out", "logoff", "log off", "log-off", "sign out", "signout", "sign-out"),
    ("smartcard", "smart card", "smart-card"),
    ("go live", "go-live", "golive", "going live"),
    ("issue", "problem", "fault", "bug", "glitch"),
    ("e-learning", "elearning", "online training", "online course"),
    ("computer", "pc", "desktop", "laptop", "workstation"),
    ("as soon as possible", "asap", "urgently"),
    ("tomorrow", "tmrw", "tmr", "2moro"),
    ("tonight", "2nite", "tonite"),
    ("today", "2day"),
    ("oclock", *_day_hours()),  # a time of the working day says nothing of the topic: a stop word
    ("before", "b4"),
    ("through", "thru"),
    ("request", "req", "reqs"),
    ("training", "trng"),
    ("hospital", "hosp"),
    ("physiotherapy", "physio", "physiotherapist"),
    ("emergency", "emerg"),
    ("required", "reqd"),
    ("investigations", "ix"),
    ("paediatrics", "paeds", "peads", "paediatric", "pediatrics", "pediatric"),
    ("orthopaedics", "ortho", "orthopaedic", "orthopedics"),
    ("until", "till", "til", "untill", "'til"),
    ("what does", "what dose", "wat dose"),  # 'what dose X mean': the slip is a real word
    ("how", "whats the way to", "what is the way to", "best way to", "is there a way to", "any way to"),
    # Welsh question openings, for bilingual trusts: 'beth yw SNOMED', 'ble mae'r ...', 'sut dw i ...'
    ("what is", "beth yw", "beth ydy", "beth ydi", "beth ydyw"),
    ("where is", "ble mae", "lle mae", "ble mae'r", "lle mae'r", "ble", "lle"),
    ("how do i", "sut dw i", "sut ydw i", "sut mae", "sut"),
    ("someone", "sum1", "some1", "any1", "every1", "no1"),
    ("explain", "in plain english", "in simple terms", "in laymans terms"),
    ("any", "any idea"),  # "any idea what PAS is": asking, not having an idea to suggest
    ("no", "no idea"),
    # Numbers typed as words ("ICD ten"); not one, two, four: they are chat ("quick one", "2", "4").
    *((str(n), word) for n, word in enumerate(_NUMBERS) if n not in (1, 2, 4)),
)


@dataclass(frozen=True)
class Synonyms:
    """Phrase (as a tuple of tokens) -> the tokens it is rewritten to."""

    table: dict[tuple[str, ...], tuple[str, ...]]
    longest: int
    starts: frozenset[str]  # first words of known phrases: most words are not, and skip the search
    spellings: frozenset[str]  # the words of phrases as written ('telephone', 'meds', 'english')

    @classmethod
    def build(cls, groups: Iterable[Sequence[str]]) -> Synonyms:
        """Later groups win a phrase that an earlier group also claims."""
        groups = tuple(groups)
        table: dict[tuple[str, ...], tuple[str, ...]] = {}
        for group in groups:
            canonical = tuple(tokens(group[0]))
            for phrase in group:
                key = tuple(_key(w) for w in tokens(phrase))
                if key and key != tuple(_key(w) for w in canonical):
                    table[key] = canonical
                elif key:
                    table.pop(key, None)  # a later group may claim back a phrase as its own term
        spellings = frozenset(w for group in groups for phrase in group for w in tokens(phrase))
        return cls(table, max((len(k) for k in table), default=0), frozenset(k[0] for k in table), spellings)

    def knows(self, word: str) -> bool:
        """Whether the word is, or is part of, a phrase that is rewritten ('tel', 'english' of 'in plain
        English'): a word of its own, not a slip of another."""
        return word in self.spellings or (_key(word),) in self.table

    def words(self, text: str) -> list[str]:
        """The tokens of `text` with shorthand rewritten: the first step for questions and entries alike."""
        return self.rewrite(tokens(text))

    def word_set(self, text: str, known: Keys) -> set[str]:
        """The distinct words of `text` after rewriting, for a knowledge base's answers (see `Keys`).
        Text where no word but a plural of shorthand ('pcs') starts a phrase is left as it is."""
        words = tokens(text)
        keys = list(map(known.__getitem__, words))
        starts = self._starts(keys)
        if not any(_key(words[i]) in self.starts for i in starts):
            return set(words)
        return set(self._rewritten(words, keys, starts))

    def rewrite(self, words: Sequence[str], known: Keys | None = None) -> list[str]:
        """Replace the longest known phrase at each position (plurals and verb forms included), left to
        right. `known`: the keys worked out so far, while a knowledge base loads."""
        keys = list(map(self._key_of if known is None else known.__getitem__, words))
        return self._rewritten(words, keys, self._starts(keys))

    def _starts(self, keys: list[str]) -> list[int]:
        """Where a phrase may start: only there is one looked for (answer texts are long)."""
        return [i for i, key in enumerate(keys) if key in self.starts]

    def _rewritten(self, words: Sequence[str], keys: list[str], starts: list[int]) -> list[str]:
        out: list[str] = []
        done = 0  # words before this are already in `out`
        for i in starts:
            size = self._longest_at(keys, i) if i >= done else 0
            if size:
                out += words[done:i]
                out += self.table[tuple(keys[i : i + size])]
                done = i + size
        out += words[done:]
        return out

    def _key_of(self, word: str) -> str:
        """The word's key; for a short or lettered word that stemming leaves whole ('pcs', 'gps', 'o2s'),
        its singular's when only that starts a phrase: shorthand is pluralised as words are."""
        key = _key(word)
        if key != word or key in self.starts or not _short_plural(word):
            return key
        single = _key(word[:-1])
        return single if single in self.starts else key

    def _longest_at(self, keys: list[str], i: int) -> int:
        for size in range(min(self.longest, len(keys) - i), 0, -1):
            if tuple(keys[i : i + size]) in self.table:
                return size
        return 0


class Keys(dict[str, str]):
    """Each word's key for the synonyms (see `Synonyms.rewrite`), worked out once while a knowledge base
    loads: its names and answers use the same few thousand words over and over. Kept only as long as
    the load: questions bring words without end."""

    def __init__(self, synonyms: Synonyms):
        super().__init__()
        self._key_of = synonyms._key_of

    def __missing__(self, word: str) -> str:
        found = self[word] = self._key_of(word)
        return found


_key = lru_cache(maxsize=200_000)(stem)


def _short_plural(word: str) -> bool:
    return len(word) >= 3 and word.endswith("s") and not word.endswith("ss") and word not in STOP_WORDS
