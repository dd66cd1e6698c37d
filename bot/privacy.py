"""The privacy guard: patient identifiers are removed from any free text before it is stored or posted.

NHS numbers are found by shape and confirmed by their modulus-11 check digit, so a bleep or phone
number is left alone while every valid NHS number (including the 999 test range) is caught,
whatever spacing or dashes staff typed. A trust adds its own identifier patterns in the config.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

NHS_NUMBER_MARKER = "[NHS number removed]"
# Characters that show nothing but split a number: every Unicode format character (soft hyphen,
# zero-width and joiner characters, bidirectional controls including the Arabic letter mark, invisible
# operators, the byte-order mark, tags), the combining grapheme joiner, variation selectors, and the
# Hangul and Khmer fillers that render as nothing.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff"
    "\uffa0\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)
# Combining marks on a digit (an underline, a keycap) leave the digit readable: drop them there only,
# so accents on letters are kept.
_DIGIT_MARKS = re.compile("(?<=\\d)[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
# Between two digits, up to three separators of any kind staff or their phones type: any space
# (double, thin, non-breaking, a line break), any dash (hyphen, en dash, minus, full-width and small
# forms), . / _ , and brackets (full-width too), Slack's bold and strike-through marks, and control
# characters (a NUL or DEL that came through a paste or a script).
_SEPARATOR = (
    r"[\s\-\u2010-\u2015\u2043\u2212\ufe58\ufe63\uff0d./_,()\uff0e\uff0f\uff3f\uff0c\uff08\uff09*~"
    r"\x00-\x1f\x7f]{0,3}"
)
# Ten digits so separated, not part of a longer run of digits. Bounded repeats: linear on any text.
_NHS_CANDIDATE = re.compile(rf"(?<![\d])(?:\d{_SEPARATOR}){{9}}\d(?![\d])")
_WEIGHTS = range(10, 1, -1)
# A date and hour as programs write them (2026-01-01 10): an NHS number never starts 19 or 20 and is
# never grouped 4-2-2-2, so a log line's timestamp keeps its digits.
_TIMESTAMP = re.compile(r"(?:19|20)\d\d-[01]\d-[0-3]\d[ T][0-2]\d")
# Ten digits grouped 3-3-4, as an NHS number is written: removed even when the check digit is wrong, since
# a number mistyped by one digit still all but names the patient. The groups may be split by any space
# (a run, a no-break space, a line break), dash, '.', '/' or Slack mark, mixed as typed ('943 476-5918');
# ten digits not so grouped are kept unless the check digit passes. A phone number written so follows a
# country code or a bracketed trunk zero ('+44 161 496 0000', '+44 (0)113 496 0000'). Safety wins where
# it cannot be told: a bare '1 800 555 0199' is removed, since 'bed 1 943 476 5918' must be.
_GROUP_SEPARATOR = r"[\s\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d./\uff0e\uff0f_*~]{1,3}"
_NHS_SHAPED = re.compile(rf"\d{{3}}{_GROUP_SEPARATOR}\d{{3}}{_GROUP_SEPARATOR}\d{{4}}")
_DIALLED = re.compile(r"(?:\+\d{1,3}|\(0\))[ \-]?$")
# A date of birth, said to be one: a birth cue ('DOB', 'd.o.b', 'date of birth', 'birthday', 'born'),
# a few filler words ('is', 'of', 'was', 'on the', ':'), then a date in any form staff type: 'DOB is
# 01 / 02 / 1950', 'd.o.b 1.2.45', 'DOB 01021945', 'DOB 01/Feb/1945', "DOB 1 Feb '45", 'born on the 3rd
# of March 1950', 'born March 3, 1950'. A date with no cue ('the outage on 01/02/2027') is kept: go-live
# chat is full of dates, and an issue report without its date is worse. Every part is bounded: linear.
_BIRTH_CUE = (
    r"\b(?:d[./]?\s?o[./]?\s?b\.?|date[\s\-]{1,2}of[\s\-]{1,2}birth|birth[\s\-]?(?:date|day)|born)(?![a-z])"
)
_FILLER = (
    r"(?:\W{0,4}(?:is|was|of|on|the|as|be|should|given|reads|says|shows|listed|recorded|entered|written"
    r"|now|changed|corrected|amended|updated|from|to)(?![a-z])){0,4}\W{0,4}"
)
# A month by name or abbreviation, misspelt too ('Febuary'), as long as it starts as one does.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"['\u2018\u2019]?\d{2}(?:\d{2})?"
_NUMBER_SEP = r"(?:\s{0,2}[./\-\u2010-\u2015\u2212]\s{0,2}|\s{1,2})"
_WORD_SEP = r"(?:\s{0,2}[./\-,]\s{0,2}|\s{1,2})"
_DATE = (
    rf"(?:\d{{1,2}}{_NUMBER_SEP}\d{{1,2}}{_NUMBER_SEP}{_YEAR}|\d{{4}}{_NUMBER_SEP}\d{{1,2}}{_NUMBER_SEP}\d{{1,2}}"
    rf"|\d{{6}}(?:\d{{2}})?|{_DAY}{_WORD_SEP}(?:of\s{{1,2}})?{_MONTH}{_WORD_SEP}{_YEAR}"
    rf"|{_MONTH}\s{{1,2}}{_DAY},?\s{{1,2}}{_YEAR})"
)
# A second date set against the first ('DOB 01/02/1945 not 02/01/1945' on a wrong wristband, 'DOB changed
# from 01/02/1945 to 02/01/1945', '... should be 02/01/1945') is one too: a correction's date is the true one.
_OTHER_DATE = (
    rf"(?:\W{{1,4}}(?:not|or|and|but|vs|to|instead of|rather than|should be|should read|is really"
    rf"|is actually)?\W{{0,4}}{_DATE}(?![0-9])){{0,2}}"
)
_BIRTH_DATE = re.compile(rf"{_BIRTH_CUE}{_FILLER}{_DATE}(?![0-9]){_OTHER_DATE}", re.IGNORECASE)
# Slack's emphasis marks: '_A1234567_' is italic, but '_' is a word character, so a pattern bounded by
# \b would miss it. Patterns are also matched with these marks read as spaces.
_EMPHASIS = re.compile(r"[_*~`]")
DATE_OF_BIRTH = "date of birth"


_MARKER = re.compile(r"\[[^\[\]\n]{1,60} removed\]")


def without_markers(text: str) -> str:
    """The text with removal markers taken out: "[NHS number removed]" says nothing about what
    the person asked, so it must not steer what the text is matched to."""
    return " ".join(_MARKER.sub(" ", text).split())


def is_valid_nhs_number(digits: str) -> bool:
    """True when ten digits carry a correct modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    values = [int(ch) for ch in digits]
    check = 11 - sum(w * v for w, v in zip(_WEIGHTS, values, strict=False)) % 11
    if check == 11:
        check = 0
    return check != 10 and check == values[9]


def _without_nhs_numbers(text: str) -> tuple[str, int]:
    """The text with every NHS number (valid, or written 3-3-4) replaced, and how many there were.

    Candidates may overlap: in "bed 12 999 000 0018" the first ten digits "1299900000" fail the
    check, and the number starts inside them. So after a failed candidate the search resumes at its
    next digit rather than after it, which a plain `re.sub` would do, missing the number.
    """
    parts, pos, start, found = [], 0, 0, 0
    while match := _NHS_CANDIDATE.search(text, pos):
        digits = "".join(str(int(ch)) for ch in match.group(0) if ch.isdigit())
        shaped = is_valid_nhs_number(digits) or (
            _NHS_SHAPED.fullmatch(match.group(0))
            and not _DIALLED.search(text[max(0, match.start() - 8) : match.start()])
        )
        if shaped and not _TIMESTAMP.fullmatch(match.group(0)):
            parts += [text[start : match.start()], NHS_NUMBER_MARKER]
            pos = start = match.end()
            found += 1
        else:
            pos = match.start() + 1
    return "".join([*parts, text[start:]]), found


def _spans(regex: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Where `regex` matches, in the text as written or with Slack's emphasis marks read as spaces (same
    length, so the places agree): a trust's own pattern then finds '_A1234567_' with no change to it.
    Overlapping matches merge; an empty match removes nothing."""
    plain = _EMPHASIS.sub(" ", text)
    found = sorted({m.span() for t in {text, plain} for m in regex.finditer(t) if m.end() > m.start()})
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _replaced(regex: re.Pattern[str], marker: str, text: str) -> tuple[str, int]:
    """The text with every match of `regex` (see `_spans`) replaced by `marker`, and how many there were."""
    spans = _spans(regex, text)
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], marker]
        last = end
    return "".join([*parts, text[last:]]), len(spans)


@dataclass(frozen=True)
class IdentifierPattern:
    """A trust-specific identifier format, such as a hospital number."""

    name: str
    regex: re.Pattern[str]

    @property
    def marker(self) -> str:
        return f"[{self.name} removed]"


@dataclass(frozen=True)
class Redaction:
    text: str
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.removed)

    def explain(self) -> str:
        """A private note to the person who wrote the text; it never repeats what was removed."""
        parts = [f"{n} {name}{'s' if n > 1 else ''}" for name, n in self.removed.items()]
        return (
            f"I removed {', '.join(parts)} from what you sent before saving or posting it. Please "
            "describe the patient by bed or ward instead: identifiers belong only in the clinical system."
        )


class Redactor:
    def __init__(self, extra: tuple[IdentifierPattern, ...] = ()):
        self._extra = extra

    def redact(self, text: str) -> Redaction:
        counts: Counter[str] = Counter()
        clean, found = _without_nhs_numbers(_DIGIT_MARKS.sub("", INVISIBLE.sub("", text)))
        if found:
            counts["NHS number"] = found
        clean, n = _replaced(_BIRTH_DATE, f"[{DATE_OF_BIRTH} removed]", clean)
        if n:
            counts[DATE_OF_BIRTH] = n
        for pattern in self._extra:
            clean, n = _replaced(pattern.regex, pattern.marker, clean)
            if n:
                counts[pattern.name] += n
        return Redaction(clean if counts else text, dict(counts))

    def clean(self, text: str) -> str:
        return self.redact(text).text


# Secrets a library's exception or debug line may quote: Slack tokens by their shape, and the password
# of a URL (a database's: user:password@host; a password may hold '/' or '#', never a space or '@').
_SLACK_TOKEN = re.compile(r"\bx(?:ox[a-z]|app)-[A-Za-z0-9-]{6,}")
_URL_PASSWORD = re.compile(r"(://[^\s/:@]{1,100}:)[^\s@]{1,200}@")  # bounded: linear on any text
_QUERY_PASSWORD = re.compile(r"([?&;][a-z_]{0,20}pass(?:word|wd)?=)[^&;#\s]+", re.IGNORECASE)  # libpq's


def without_secrets(text: str) -> str:
    """The text with Slack tokens and URL passwords masked: a log line must not hand out access."""
    text = _URL_PASSWORD.sub(r"\1***@", _SLACK_TOKEN.sub("[Slack token removed]", text))
    return _QUERY_PASSWORD.sub(r"\1***", text)


def url_without_secrets(url: str) -> str:
    """A database address fit to show: who connects is hidden with their password, which may hold
    '/', '#' or '@' (so the last '@' ends it), and so is a password given in the query."""
    scheme, sep, rest = url.partition("://")
    shown = f"{scheme}://***@{rest.rpartition('@')[2]}" if sep and "@" in rest else url
    return _QUERY_PASSWORD.sub(r"\1***", shown)


# A backslash escape as JSON and repr() write one, however many times escaped: a library's debug line
# quotes a request body as JSON, where a no-break space or a line break between digits is \u00a0 or \n
# and a full-width digit \uff19, which hides the number from the guard.
_ESCAPE = re.compile(r"\\+(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|U([0-9a-fA-F]{8})|[nrtfv])")


def _unescaped_char(match: re.Match[str]) -> str:
    code = next((int(g, 16) for g in match.groups() if g), None)
    if code is None or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or chr(code).isspace():
        return " "
    char = chr(code)
    return " " if not char.isprintable() and not INVISIBLE.match(char) else char


def _removed(redaction: Redaction) -> int:
    return sum(redaction.removed.values())


class RedactingLogFilter(logging.Filter):
    """Scrubs identifiers (and secrets) from every log record, so a log line never carries an NHS
    number, a token or a password."""

    def __init__(self, redactor: Redactor, secrets: tuple[str, ...] = ()):
        """`secrets`: values masked wherever they appear; a signing secret has no shape to look for."""
        super().__init__()
        self._redactor = redactor
        self._secrets = tuple(v for v in secrets if len(v) >= 8)

    def _clean(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[secret removed]")
        redaction = self._redactor.redact(text)
        unescaped = _ESCAPE.sub(_unescaped_char, text)
        if unescaped != text:  # a number hidden by escapes: log the unescaped line, number removed
            decoded = self._redactor.redact(unescaped)
            if _removed(decoded) > _removed(redaction):
                redaction = decoded
        return without_secrets(redaction.text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the format: logging would print both raw to stderr
            message = f"{record.msg} (arguments that did not fit the message: {record.args!r})"
            record.msg, record.args = message, None
        cleaned = self._clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        # A traceback is formatted after the filters run, from the exception itself, whose message
        # may quote user text (a database error's parameters): format it here, cleaned, for the handler.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self._clean(record.stack_info)
        return True
