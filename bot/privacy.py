"""The privacy guard: patient identifiers are removed from any free text before it is stored or posted.

NHS numbers are found by shape and confirmed by their modulus-11 check digit, so a bleep or phone
number is left alone while every valid NHS number (including the 999 test range) is caught,
whatever spacing or dashes staff typed; one written as an NHS number is written (3-3-4, digit by digit)
or said to be one ('NHS no ...') goes whatever its check digit. Dates of birth, hospital numbers and
patients named with an honorific are found by their cue, and so are patients named with none ('patient
John Smith': see `bot.patient_names`), postcodes, street addresses, mobile numbers and email addresses
(but staff's at NHS domains) by their shape. A trust adds its own identifier patterns in the config.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.patient_names import banner_name_spans, cued_name_spans

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
# What staff, their phones and Slack put between digit groups. Spacing: any space (double, thin,
# non-breaking, a line break, an indent) and control characters (a NUL or DEL from a paste or a script).
# Marks: any dash (hyphen, en dash, minus, full-width and small forms), . / _ , and brackets (full-width
# too), Slack's bold, strike-through and code marks (* ~ `), a middle dot or bullet, a bar, and the '>'
# (or '&gt;' as Slack sends it) that starts each line of a quote: '943\n&gt; 476\n&gt; 5919'.
_SPACING = r"[\s\x00-\x1f\x7f]"
_GROUP_MARKS = (
    r"\-\u2010-\u2015\u2043\u2212\ufe58\ufe63\uff0d./\uff0e\uff0f_\uff3f*~`\u00b7\u2022\u2027\u2219\u22c5|>"
)
_GROUP_MARK = rf"(?:[{_GROUP_MARKS}]|&gt;)"
_MARK = rf"(?:[{_GROUP_MARKS},()\uff0c\uff08\uff09]|&gt;)"
# Between two digits: up to six spacing characters, then up to three marks, each followed by up to six
# more ('943  -  476', '943\n    476', '`943` `476`'). Spacing and marks never overlap, so a gap splits
# one way only and every repeat is bounded: linear on any text.
_SEPARATOR = rf"{_SPACING}{{0,6}}(?:{_MARK}{_SPACING}{{0,6}}){{0,3}}"
# Ten digits so separated, not part of a longer run of digits.
_NHS_CANDIDATE = re.compile(rf"(?<![\d])(?:\d{_SEPARATOR}){{9}}\d(?![\d])")
_WEIGHTS = range(10, 1, -1)
# A date and hour as programs write them (2026-01-01 10): an NHS number never starts 19 or 20 and is
# never grouped 4-2-2-2, so a log line's timestamp keeps its digits.
_TIMESTAMP = re.compile(r"(?:19|20)\d\d-[01]\d-[0-3]\d[ T][0-2]\d")
# A Slack message timestamp (1732800000.937693, in every event id and link the bot logs): ten unbroken
# digits, a full stop and six more. One time in eleven its digits pass the check.
_SLACK_TS_TAIL = re.compile(r"\.\d{6}(?!\d)")
# Ten digits written as an NHS number is written are removed even when the check digit is wrong, since a
# number mistyped by one digit still all but names the patient: grouped 3-3-4, split by any spacing or
# group mark (not a comma or bracket), mixed as typed ('943 476-5918'), or digit by digit with one kind
# of separator ('9-4-3-4-7-6-5-9-1-8'). A phone number written 3-3-4 follows a country code or a
# bracketed trunk zero ('+44 161 496 0000', '+44 (0)113 496 0000'). Safety wins where it cannot be
# told: a bare '1 800 555 0199' is removed, since 'bed 1 943 476 5918' must be.
_GROUP_GAP = rf"(?:{_GROUP_MARK}{_SPACING}{{0,6}})"
_GROUP_SEPARATOR = rf"(?:{_SPACING}{{1,6}}{_GROUP_GAP}{{0,3}}|{_GROUP_GAP}{{1,3}})"
_NHS_SHAPED = re.compile(rf"\d{{3}}{_GROUP_SEPARATOR}\d{{3}}{_GROUP_SEPARATOR}\d{{4}}")
_DIALLED = re.compile(r"(?:\+\d{1,3}|\(0\))[ \-]?$")
_DIGIT = re.compile(r"\d")
# Said to be an NHS number ('NHS no', 'nhs#', 'NHS number is'): the digits after the cue go whatever their
# grouping or check digit, ten if there are ten, else a digit short or over (9 or 11). After a bare 'NHS'
# or 'NHS:' they go too, unless they read as a phone number (a leading 0: 'NHS: 0300 303 5035') or as a
# date or list (see `_reads_as_other`): 'escalated to NHS 19/01/2027 10:00' keeps its date. Scotland's
# CHI number is its NHS number, ten digits with the same check digit: after 'CHI' the digits always go, as
# a CHI starts with the day of birth ('CHI 010245 1230') and so often with a 0.
_NHS_CUE = re.compile(
    rf"\b(?:nhs|(?P<chi>chi))(?P<said>[^\S\n]{{0,2}}[._\-]?[^\S\n]{{0,2}}(?:number|num|nbr|no)(?![a-z])|[^\S\n]{{0,2}}#)?\.?"
    rf"(?:[\W_]{{0,4}}(?:is|was)(?![a-z]))?[\W_]{{0,4}}"
    rf"(?P<number>\d(?:{_SEPARATOR}\d){{9}}(?!\d)|\d(?:{_SEPARATOR}\d){{8,10}})(?!\d)",
    re.IGNORECASE,
)
# Ten digits written any other way are an NHS number when the check digit passes, unless they read as
# what go-live chat is full of (a valid check digit is then chance, one time in eleven): a date followed
# by a time or another date ('18/01/2027 10:00', '01/01/2027 - 05/01/2027', '01.01.2027 01.45'), a
# comma-separated list of numbers of one to three digits ('beds 7, 8, 9, 10, 11, 12'), or a number given
# for a phone ('ext 4002 / 123456'). Ten digits unbroken are never read so.
_WHEN = (
    r"(?<!\d)(?:\d{1,2}[./\-]\d{1,2}[./\-](?:\d{4}|\d{2})|\d{4}[./\-]\d{1,2}[./\-]\d{1,2})(?!\d)"
    r"(?:(?:[^\S\n]{1,3}|T|,[^\S\n]{0,2}|[^\S\n]{1,2}(?:at|@|from)[^\S\n]{1,2})"
    r"(?:(?:[01]?\d|2[0-3])[:.][0-5]\d(?::[0-5]\d)?|(?:[01]\d|2[0-3])[0-5]\d)(?!\d))?"
)
_TO = r"[^\S\n]{0,3}(?:[\-\u2013\u2014~]|to|until|till)[^\S\n]{0,3}"
_DATED = re.compile(rf"{_WHEN}(?:{_TO}{_WHEN})?", re.IGNORECASE)
_LISTED = re.compile(r"(?<!\d)\d{1,3}(?!\d)(?:[^\S\n]{0,2},[^\S\n]{0,2}\d{1,3}(?!\d)){3,}")
_PHONE_CUE = re.compile(
    r"\b(?:ext(?:ension)?|x|bleep(?:er)?|pager|tel(?:ephone)?|phone|mob(?:ile)?|call|ring)\.?"
    r"(?:[^\S\n]{0,2}(?:no|number)\.?)?[^\S\n]{0,2}[:#]?[^\S\n]{0,2}$",
    re.IGNORECASE,
)
# Letters typed for digits (O or o for 0, l or I for 1, and a bar for 1 inside a group) are read as
# digits in a run shaped like an NHS number, 3-3-4 or ten long, that is at least half real digits: '943
# 476 59l9', '999 OOO OO18'. No word is shaped so.
_LOOKALIKE = r"[\dOolI]"
_LOOKALIKE_OR_BAR = r"[\dOolI|]"
_LOOKALIKE_RUN = re.compile(
    rf"(?<![^\W_])(?<!\|)(?:(?P<a>{_LOOKALIKE_OR_BAR}{{3}}){_GROUP_SEPARATOR}(?P<b>{_LOOKALIKE_OR_BAR}{{3}})"
    rf"{_GROUP_SEPARATOR}(?P<c>{_LOOKALIKE_OR_BAR}{{4}})|(?P<d>{_LOOKALIKE}{{10}}))(?![^\W_])(?!\|)"
)
_AS_DIGITS = str.maketrans("OolI|", "00111")
# Grouped any other way ('9434 76 59I9', 'NHS no 94 34 76 59 l9'), in two to five groups of two to four,
# ten in all, they are read so when seven or more are real digits: the ten must then pass the check digit
# or follow a cue, as digits do.
_LOOKALIKE_GROUPS = re.compile(
    rf"(?<![^\W_])(?:{_LOOKALIKE}{{2,4}}{_GROUP_SEPARATOR}){{1,4}}{_LOOKALIKE}{{2,4}}(?![^\W_])"
)
_LETTER_FOR_DIGIT = re.compile("[OolI]")
# A date of birth, said to be one: a birth cue ('DOB', "DOB's", 'd.o.b', 'date of birth', 'birthday',
# 'birth', 'born'), a few filler words ('is', 'of', 'was', 'on the', ':'), then a date in any form staff
# type: 'DOB is 01 / 02 / 1950', 'd.o.b 1.2.45', 'DOB 01021945', 'DOB 01/Feb/1945', "DOB 1 Feb '45", 'born
# on the 3rd of March 1950', 'born March 3, 1950'. Or the cue a few words before the date in the same
# clause ('DOB on the wristband printed as 03/04/1956', 'DOB for bed 4 is ...': up to six words, not
# across a line, '.', ',', ';', ':', '!' or '?', nor a word that says when something happened, 'since' or
# 'during'), or just after it ('03/04/1956 (DOB)'), or 'b.' just before it ('b. 3/4/56'). A date with no
# cue ('the outage on 01/02/2027') is kept: go-live chat is full of dates, and an issue report without its
# date is worse. Every part is bounded, and each gap word is a whole word: linear.
_BIRTH_CUE = (
    r"\b(?:d[./]?\s?o[./]?\s?b\.?|date[\s\-]{1,2}of[\s\-]{1,2}birth|birth[\s\-]?(?:date|day)|born|birth)(?![a-z])"
    r"(?:['\u2019]s(?![a-z]))?"
)
# 'birthday' and 'birth' alone name a date only right after them: 'birthday cake on 18/01/2027' is not one.
_FAR_BIRTH_CUE = (
    r"\b(?:d[./]?\s?o[./]?\s?b\.?|date[\s\-]{1,2}of[\s\-]{1,2}birth|birth[\s\-]?date|born)(?![a-z])"
    r"(?:['\u2019]s(?![a-z]))?"
)
_WHEN_WORD = (
    r"(?:since|until|till|after|before|between|during|today|yesterday|tomorrow|outage|go-?live|cut-?over)"
)
_GAP_WORD = rf"[^\S\n]{{1,3}}(?!{_WHEN_WORD}(?![a-z]))[^\s.,;:!?]{{1,20}}(?![^\s.,;:!?])"
_FILLER_WORD = (
    r"(?:is|was|of|on|the|as|be|should|given|reads|says|shows|listed|recorded|entered|written"
    r"|now|changed|corrected|amended|updated|from|to)(?![a-z])"
)
_FILLER = rf"(?:\W{{0,4}}{_FILLER_WORD}){{0,4}}\W{{0,4}}"
# After words between cue and date, the filler stays in the clause: no line break or sentence end.
_CLAUSE_FILLER = rf"(?:[^\w\n.,;!?]{{0,4}}{_FILLER_WORD}){{0,4}}[^\w\n.,;!?]{{0,4}}"
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
# from 01/02/1945 to 02/01/1945', '... should be 02/01/1945', '... but PAS says 02/01/1945') is one too: a
# correction's date is the true one. After 'but', 'not', 'or', 'vs' or 'whereas' a few words may come first.
_OTHER_DATE = (
    rf"(?:\W{{1,4}}(?:(?:not|or|but|vs|versus|whereas)(?:{_GAP_WORD}){{1,4}}?{_CLAUSE_FILLER}"
    rf"|(?:not|or|and|but|vs|to|instead of|rather than|should be|should read|is really"
    rf"|is actually)?\W{{0,4}})"
    rf"{_DATE}(?![0-9])){{0,2}}"
)
# Every birth cue has one of these in it: a quick look first, as most texts have none.
_ANY_BIRTH_CUE = re.compile(r"d[./]?\s?o[./]?\s?b|birth|born|b\.", re.IGNORECASE)
# Right after a cue, a day and month with no year are a birthday too ('DOB 1 Feb', 'dob 01/02', 'born March
# 3rd'): with the age a report gives ('81, DOB 1 Feb') they are the whole date.
_DAY_MONTH = (
    rf"(?:\d{{1,2}}[./\-]\d{{1,2}}(?![./\-]?\d)|{_DAY}{_WORD_SEP}(?:of\s{{1,2}})?{_MONTH}(?![a-z])"
    rf"|{_MONTH}\s{{1,2}}{_DAY}(?![0-9a-z]))"
)
_BIRTH_DATE = re.compile(
    rf"(?:{_BIRTH_CUE}{_FILLER}|{_FAR_BIRTH_CUE}(?:{_GAP_WORD}){{1,6}}?{_CLAUSE_FILLER}"
    rf"|(?<![\w.])(?-i:b)\.[^\S\n]{{0,2}})"
    rf"{_DATE}(?![0-9]){_OTHER_DATE}"
    rf"|(?<![0-9]){_DATE}(?![0-9])[^\S\n]{{0,2}}(?:{_FAR_BIRTH_CUE}|\({_FAR_BIRTH_CUE}\))"
    rf"|{_FAR_BIRTH_CUE}{_FILLER}{_DAY_MONTH}",
    re.IGNORECASE,
)
# Slack's emphasis marks: '_A1234567_' is italic, but '_' is a word character, so a pattern bounded by
# \b would miss it. Patterns are also matched with these marks read as spaces.
_EMPHASIS = re.compile(r"[_*~`]")
DATE_OF_BIRTH = "date of birth"
# A hospital number said to be one ('MRN', 'M.R.N.', 'MRN No', 'hospital number (MRN)', 'hosp no', 'hosp.
# no', 'unit number', 'patient number', 'patient ID', 'pt no', 'hospital ID', 'PAS number', 'case note
# number', then ':', '#', '-', '(' or 'is'): the next token goes when it starts with a digit (after at most
# three letters) and holds five digits or more, letters and all ('RX1234567', 'A123 4567'); 'patient number
# of 12345 patients' keeps its words. Not 'case number': a supplier's ticket is one too. Named as the
# config's pattern is, so the counts merge.
HOSPITAL_NUMBER = "hospital number"
_NUMBER_WORD = r"[^\S\n]{0,2}(?:number|num|no)(?![a-z])\.?"
_NUMBER_OR_ID = rf"(?:{_NUMBER_WORD}|[^\S\n]{{0,2}}id(?![a-z])\.?)"
# In every cue: a quick look first.
_ANY_HOSPITAL_CUE = re.compile(r"m\.?r\.?n|hosp|unit|patient|pt|pas|case", re.IGNORECASE)
_HOSPITAL_NUMBER = re.compile(
    rf"\b(?:m\.?r\.?n\.?(?:{_NUMBER_WORD})?|(?:hosp(?:ital)?\.?|unit|patient|pt|pas|case[^\S\n]?notes?)"
    rf"{_NUMBER_OR_ID}(?:[^\S\n]{{0,2}}\(mrn\))?)"
    r"(?![a-z])[^\S\n]{0,3}[:#=\-(]?[^\S\n]{0,3}(?:(?:is|was)[^\S\n]{1,3})?"
    r"(?P<id>(?=[a-z]{0,3}\d)[a-z0-9]{1,12}(?:[ \-/][0-9]{2,8}){0,2})(?![a-z0-9])",
    re.IGNORECASE,
)
# A full UK postcode written with its space, in any case ('LS1 4AB', 'ls1 4ab'; a lower-case 'b2 1st' is a
# floor, so an ordinal is never an inward code, nor a size or a rate: 'i5 8GB', 'M2 1TB'). Without the
# space one reads as a form or drug code ('FP10SS', 'A10BA' fit the shape), so 'LS14AB' or 'ls14ab' goes
# only after 'postcode' or 'address'.
POSTCODE = "postcode"
_OUTWARD = r"[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?"
_INWARD = r"\d[ABD-HJLNP-UW-Z]{2}"
_POSTCODE = re.compile(
    r"(?<![^\W_])(?P<cue>(?:post[^\S\n]?code|address)(?:[^\w\n]{1,4}(?:is|was)(?![a-z]))?[^\w\n]{0,4})?"
    rf"(?P<code>{_OUTWARD}(?(cue)[^\S\n]{{0,2}}|[^\S\n]{{1,2}}(?!(?:1st|2nd|3rd|\dth)(?![a-z])))"
    rf"(?!\d(?:gb|tb|hr|hz)(?![a-z])){_INWARD})"
    r"(?![^\W_])",
    re.IGNORECASE,
)
# A patient named with an honorific ('Mrs Smith', 'Mr J Smith', "Ms O'Neil", 'MRS JANE SMITH', 'Mr.Smith',
# 'Master Jack Smith', 'Mr van der Berg'), built in:
# a patient's name in chat or the database is a breach, whatever else the text says. The honorific and up
# to three capitalised names or initials go. The honorific must be capitalised and the names too: lower
# case cannot be told from words ('ms teams', 'we miss jane'), nor 'MR'/'MS' in capitals from a scanner or
# Microsoft. Staff titles (Dr, Prof, Sister, Nurse) are kept: staff are named in chat. A surgeon is a 'Mr'
# or 'Ms' too and goes with the patients ("Mr Patel's list" loses the name): a small cost to a report,
# accepted, since the two cannot be told apart; staff write 'the consultant' or the specialty instead.
# Not after '@': a colleague mentioned by their Slack name ('@Mr Ahmed Khan'), as the issue form shows it.
# Each name word is bounded and starts after a space: linear on any text.
NAME = "name"
# 'Ms Teams is down', 'Ms Word keeps crashing': Microsoft's products, not a patient.
_MICROSOFT = (
    r"(?:Teams|Word|Excel|Outlook|Office|Edge|Forms|Access|PowerPoint|OneDrive|SharePoint|Project|Visio)"
)
_CAPITAL = r"[A-Z\u00c0-\u00d6\u00d8-\u00de]"
_NAME_WORD = rf"(?:{_CAPITAL}\.|{_CAPITAL}(?:[^\W\d_]|['\u2019\-](?=[^\W\d_])){{0,30}})(?!\w)"
# 'Master' is a boy's title, as the record prints it; not in the record's own words ('Master Patient Index').
_MASTER = (
    r"(?:Master(?![^\S\n]{1,2}(?:Patient|Index|Data|File|Record|Records|List|Copy|Key|Class|Plan|Rota"
    r"|Sheet|Template|Switch|Account|Password|Reference|Branch|Degree|Of)(?!\w))|Mstr)"
)
# A surname's particle in lower case ('Mr van der Berg', 'Mrs de Souza', 'Mr al-Hassan').
_PARTICLE = (
    r"(?:(?:van|von|de|da|di|du|del|della|der|den|la|le|al|el|bin|ibn|ap|ter|ten)(?:[^\S\n]{1,2}|-)){0,2}"
)
_NAMED = re.compile(
    rf"(?<![\w@])(?:Mrs|Mr|Ms|Miss|Mx|MRS|MISS|{_MASTER})(?:\.[^\S\n]{{0,2}}|[^\S\n]{{1,2}})"
    rf"(?!{_MICROSOFT}(?!\w)){_PARTICLE}{_NAME_WORD}(?:[^\S\n]{{1,2}}{_NAME_WORD}){{0,2}}"
)

# A street address: a house number, one to three capitalised words and the kind of street ('12 Acacia
# Avenue', '4a Privet Drive', 'Flat 3, 12 High St'); after 'address' or 'lives at' in any case ('address
# 12 acacia avenue'). Not a place in the hospital so numbered ('Ward 10 Holly Court', 'Level 2 Jubilee
# Way'), nor 'Dr', which names staff. Each word is bounded and starts after a space: linear on any text.
STREET_ADDRESS = "street address"
_STREET_KIND = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Close|Crescent|Court|Grove|Gardens|Place|Terrace|Way|Mews"
    r"|Square)"
)
_STREET = re.compile(
    r"(?P<place>\b(?i:ward|bay|bed|room|level|floor|block|theatre|unit|clinic|suite|gate|door|desk|pod|wing)"
    r"[^\S\n]{1,2})?"
    r"(?P<cue>\b(?i:address|lives[^\S\n]{1,2}at|living[^\S\n]{1,2}at)"
    r"(?:[^\w\n]{1,4}(?i:is|was)(?![a-z]))?[^\w\n]{0,4})?"
    rf"(?P<address>(?<![\w/.:\-])\d{{1,4}}[A-Za-z]?[^\S\n]{{1,2}}"
    rf"(?(cue)(?i:(?:[a-z][a-z'\u2019\-]{{0,20}}[^\S\n]{{1,2}}){{1,3}}{_STREET_KIND})"
    rf"|(?:[A-Z][A-Za-z'\u2019\-]{{0,20}}[^\S\n]{{1,2}}){{1,3}}{_STREET_KIND})\.?(?!\w))"
)


# A UK mobile number, however grouped: 07 and nine more digits, or 7 and nine after +44 or 0044 (with
# or without the bracketed trunk zero). A mobile is a person's own; a ward's or a desk's number is a
# landline or an extension, and those are kept, as the two kinds of landline cannot be told apart.
MOBILE_NUMBER = "mobile number"
_MOBILE_GAP = (
    r"(?:[^\S\n]{0,3}[\-\u2010-\u2015/.)][^\S\n]{0,3}|[^\S\n]{1,3})?"  # '07700 - 900123', '(07700) 900123'
)
_MOBILE = re.compile(
    rf"(?<![\w+(])\(?(?:0|(?:\+|00)[^\S\n]?44[^\S\n]?(?:\(0\)[^\S\n]?)?)7(?:{_MOBILE_GAP}\d){{9}}(?!\d)"
)
# A landline said to be a patient's or a relative's: a cue naming them ('pt', "patient's", 'NOK', 'next of
# kin', 'daughter'), up to five words with no digit in the same clause, then a UK number starting 01 or 02
# ('call patient at home on 0113 496 0000', "daughter's number (0113) 496 0000"); not an 03 number, which
# is a service's ('patient rang the helpdesk on 0300 ...'). A landline with no such cue is a ward's or a
# desk's and is kept; a reporter's own ('my landline ...') has no cue.
PHONE_NUMBER = "phone number"
_PERSONAL_LANDLINE = re.compile(
    r"\b(?:patient|pt|nok|next[^\S\n]?of[^\S\n]?kin|relative|daughter|son|wife|husband|partner|carer|mum|dad"
    r"|mother|father|family)(?:['\u2019]?s)?(?![a-z])(?P<between>(?:[^\S\n]{1,3}[^\s.;!?\d()]{1,20}){0,5})[^\w\n]{0,4}?"
    r"(?P<number>(?<![\d+])(?:\+44[^\S\n]?(?:\(0\)[^\S\n]?)?|\(?0)[12](?:\)?[ \-]{0,2}\d){8,9})(?!\d)",
    re.IGNORECASE,
)
# The words that make a number the service's, not the person's: 'patient line', 'call transport office',
# 'son rang the ward on', 'Family liaison team on', 'patients can ring PALS on'.
_SERVICE_WORDS = frozenset({
    "line", "lines", "office", "team", "service", "services", "ward", "desk", "pals", "liaison", "helpline",
    "switchboard", "department", "dept", "clinic", "unit", "reception", "hub", "centre", "center",
    "transport", "booking", "bookings", "appointments", "pharmacy", "lab", "advice", "support", "gp",
    "surgery", "practice", "hospital", "trust", "hospice", "ambulance", "helpdesk", "bureau",
})  # fmt: skip
# An email address, alone or as Slack sends one ('<mailto:jo@example.com|jo@example.com>', which goes
# whole). Addresses at the NHS's own domains are staff's work addresses, named in chat as staff are,
# and are kept. Not one inside a URL ('postgresql://bot:pw@db.trust'): a link is not an address.
EMAIL_ADDRESS = "email address"
_ADDRESS = r"[\w.%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,8}(?![\w\-])"
_EMAIL = re.compile(rf"<mailto:[^|>\s]{{1,300}}(?:\|[^>\n]{{0,200}})?>|(?<![\w.%+\-]){_ADDRESS}")
_ANY_ADDRESS = re.compile(_ADDRESS)
# Contact details staff write so that staff can reach them: a reporter's own contact ('my mobile 07700
# 900123'), the trust's support contacts and its plan ('ring the on-call manager on 07700 900456', 'the
# command centre is at 1 Trust Way'). They are kept there alone; anywhere else a mobile number, an email or
# street address is taken to be a patient's, and so is a landline said to be one.
CONTACT_DETAILS = frozenset({MOBILE_NUMBER, PHONE_NUMBER, EMAIL_ADDRESS, STREET_ADDRESS})
_ASCII_WORD = re.compile(r"[a-z]{1,40}")
_LINK = re.compile(r"[a-z][a-z\d+.\-]{0,30}://[^\s|<>]+", re.IGNORECASE)
_NHS_DOMAIN = re.compile(r"@(?:[A-Za-z0-9\-]+\.)*(?:nhs\.net|nhs\.uk|nhs\.scot|hscni\.net)(?![\w.\-])", re.I)


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


def _read_as_digits(text: str) -> str:
    """The text with letters typed for digits read as digits where a run is shaped like an NHS number
    and at least half real digits (see `_LOOKALIKE_RUN`), or grouped otherwise and mostly real digits
    (`_LOOKALIKE_GROUPS`); same length, so places agree with the text."""
    chars = list(text)
    for match in _LOOKALIKE_RUN.finditer(text):
        groups = [name for name in "abcd" if match.group(name)]
        if sum(ch.isdecimal() for name in groups for ch in match.group(name)) < 5:
            continue
        for name in groups:
            start, end = match.span(name)
            chars[start:end] = match.group(name).translate(_AS_DIGITS)
    for match in _LOOKALIKE_GROUPS.finditer(text):
        written = match.group(0)
        real = sum(ch.isdecimal() for ch in written)
        if real >= 7 and real + len(_LETTER_FOR_DIGIT.findall(written)) == 10:
            for letter in _LETTER_FOR_DIGIT.finditer(written):
                chars[match.start() + letter.start()] = letter.group(0).translate(_AS_DIGITS)
    return "".join(chars)


class _Covered:
    """Where a pattern matches, to ask whether a candidate lies wholly inside one match; found when first
    asked, as most texts hold no candidate to ask about."""

    def __init__(self, regex: re.Pattern[str], text: str):
        self._regex, self._text = regex, text
        self._starts: list[int] | None = None
        self._ends: list[int] = []

    def covers(self, start: int, end: int) -> bool:
        if self._starts is None:
            spans = [m.span() for m in self._regex.finditer(self._text)]
            self._starts, self._ends = [s for s, _ in spans], [e for _, e in spans]
        i = bisect_right(self._starts, start) - 1
        return i >= 0 and end <= self._ends[i]


def _written_as_one(text: str, match: re.Match[str]) -> bool:
    """True when ten digits are grouped 3-3-4 (and not dialled) or written digit by digit with one kind
    of separator: so an NHS number is written, whatever its check digit."""
    written = match.group(0)
    if _NHS_SHAPED.fullmatch(written):
        return not _DIALLED.search(text[max(0, match.start() - 8) : match.start()])
    separators = _DIGIT.split(written)[1:-1]
    return all(separators) and len(set(separators)) == 1


def _reads_as_other(text: str, start: int, end: int, dated: _Covered, listed: _Covered) -> bool:
    """True when the digits at text[start:end] read as something else (see `_DATED`)."""
    if text[start:end].isdigit():  # digits unbroken read as nothing but a number
        return False
    return (
        dated.covers(start, end)
        or listed.covers(start, end)
        or bool(_PHONE_CUE.search(text, max(0, start - 30), start))
    )


def _is_nhs_number(text: str, match: re.Match[str], dated: _Covered, listed: _Covered) -> bool:
    """Whether ten digits (a candidate with no NHS cue before it) are an NHS number.

    The principle: digits written as an NHS number is written (3-3-4, digit by digit) are one, whatever
    their check digit. Digits written any other way are one when the check digit passes, unless they
    read as something go-live chat is full of: a date followed by a time or another date, a comma list
    of small numbers, a number given after 'ext' or 'bleep', a log's timestamp. There a passing check
    digit is chance (one time in eleven), and removing the text would wreck the report. Ten digits
    unbroken are never read so, but for a Slack message's timestamp ('1732800006.937693'). A cue ('NHS
    no') outranks all of this: see `_NHS_CUE`.
    """
    written = match.group(0)
    if _written_as_one(text, match):
        return True
    digits = "".join(str(int(ch)) for ch in written if ch.isdigit())
    return (
        is_valid_nhs_number(digits)
        and not _TIMESTAMP.fullmatch(written)
        and not (written.isdigit() and _SLACK_TS_TAIL.match(text, match.end()))
        and not _reads_as_other(text, *match.span(), dated, listed)
    )


def _cued(text: str, cue: re.Match[str], dated: _Covered, listed: _Covered) -> bool:
    """Whether the digits after an NHS cue are the number: always after 'NHS no' or 'NHS #'; after a bare
    'NHS' unless they read as a phone number, a date or a list; always after 'CHI'."""
    if cue.group("said") or cue.group("chi"):
        return True
    return not (
        cue.group("number").startswith("0") or _reads_as_other(text, *cue.span("number"), dated, listed)
    )


def _nhs_number_spans(text: str) -> list[tuple[int, int]]:
    """Where the NHS numbers are: after a cue first, then every other candidate.

    Candidates may overlap: in "bed 12 999 000 0018" the first ten digits "1299900000" fail the
    check, and the number starts inside them. So after a failed candidate the search resumes at its
    next digit rather than after it, which a plain `re.sub` would do, missing the number.
    """
    dated, listed = _Covered(_DATED, text), _Covered(_LISTED, text)
    lower = text.lower()
    cues = _NHS_CUE.finditer(text) if "nhs" in lower or "chi" in lower else ()
    cued = [m.span("number") for m in cues if _cued(text, m, dated, listed)]
    chars = list(text)
    for start, end in cued:  # hidden from the candidates, so a number is found once
        chars[start:end] = "x" * (end - start)
    text = "".join(chars)
    dated, listed = _Covered(_DATED, text), _Covered(_LISTED, text)
    found, pos = [], 0
    while match := _NHS_CANDIDATE.search(text, pos):
        if _is_nhs_number(text, match, dated, listed):
            found.append(match.span())
            pos = match.end()
        else:
            pos = match.start() + 1
    return sorted(cued + found)


def _without_nhs_numbers(text: str) -> tuple[str, int]:
    """The text with every NHS number replaced, and how many there were."""
    spans = _nhs_number_spans(_read_as_digits(text))
    return _substituted(text, spans, NHS_NUMBER_MARKER), len(spans)


def _substituted(text: str, spans: list[tuple[int, int]], marker: str) -> str:
    """The text with each span (in order, not overlapping) replaced by `marker`."""
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], marker]
        last = end
    return "".join([*parts, text[last:]])


def _spans(
    regex: re.Pattern[str], text: str, group: int | str = 0, wanted: Callable[[str], bool] = bool
) -> list[tuple[int, int]]:
    """Where `regex` matches (its `group`, when `wanted`), in the text as written or with Slack's emphasis
    marks read as spaces (same length, so the places agree): a trust's own pattern then finds
    '_A1234567_' with no change to it. Overlapping matches merge; an empty match removes nothing."""
    plain = _EMPHASIS.sub(" ", text)
    return _merged(
        {m.span(group) for t in {text, plain} for m in regex.finditer(t) if wanted(m.group(group) or "")}
    )


def _merged(found: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans in order, those that overlap made one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _replaced(
    regex: re.Pattern[str], marker: str, text: str, group: int | str = 0, wanted: Callable[[str], bool] = bool
) -> tuple[str, int]:
    """The text with every match of `regex` (its `group`, when `wanted`: see `_spans`) replaced by
    `marker`, and how many there were."""
    spans = _spans(regex, text, group, wanted)
    return _substituted(text, spans, marker), len(spans)


def _has_five_digits(token: str) -> bool:
    return sum(ch.isdigit() for ch in token) >= 5


def _without_hospital_numbers(text: str) -> tuple[str, int]:
    """The text with every hospital number said to be one replaced (see `_HOSPITAL_NUMBER`), its cue kept."""
    if not _ANY_HOSPITAL_CUE.search(text):
        return text, 0
    return _replaced(_HOSPITAL_NUMBER, f"[{HOSPITAL_NUMBER} removed]", text, "id", _has_five_digits)


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

    def what(self) -> str:
        """What was removed, counted and never repeated: '1 NHS number, 2 names'."""
        return ", ".join(f"{n} {_plural(name) if n > 1 else name}" for name, n in self.removed.items())

    def explain(self) -> str:
        """A private note to the person who wrote the text; it never repeats what was removed."""
        return (
            f"I removed {self.what()} from what you sent before saving or posting it. Please "
            "describe the patient by bed or ward instead: identifiers belong only in the clinical system."
        )


def _plural(name: str) -> str:
    return f"{name}es" if name.endswith("s") else f"{name}s"


def _without_dates_of_birth(text: str) -> tuple[str, int]:
    if not _ANY_BIRTH_CUE.search(text):  # the full pattern is slow to find nothing
        return text, 0
    return _replaced(_BIRTH_DATE, f"[{DATE_OF_BIRTH} removed]", text)


def _without_postcodes(text: str) -> tuple[str, int]:
    """The text with every postcode replaced (see `_POSTCODE`), a cue before it kept."""
    return _replaced(_POSTCODE, f"[{POSTCODE} removed]", text, "code")


def _without_street_addresses(text: str) -> tuple[str, int]:
    """The text with every street address replaced (see `_STREET`), a cue before it kept."""
    spans = [match.span("address") for match in _STREET.finditer(text) if not match.group("place")]
    return _substituted(text, spans, f"[{STREET_ADDRESS} removed]"), len(spans)


def _without_mobile_numbers(text: str) -> tuple[str, int]:
    """The text with every mobile number replaced; not digits that start a date ('07/12/2026 - 9/12')."""
    dated = _Covered(_DATED, text)
    spans = [span for span in _spans(_MOBILE, text) if not dated.covers(span[0], span[0] + 1)]
    return _substituted(text, spans, f"[{MOBILE_NUMBER} removed]"), len(spans)


def _without_personal_landlines(text: str) -> tuple[str, int]:
    """The text with every landline said to be a patient's or a relative's replaced, its cue kept; not
    one the words between say is a service's (see `_SERVICE_WORDS`). A cue so refused is passed over,
    not the text after it: 'pt transport booked, call daughter on ...' still finds the daughter's."""
    spans, start = [], 0
    while match := _PERSONAL_LANDLINE.search(text, start):
        if _SERVICE_WORDS.isdisjoint(_ASCII_WORD.findall(match["between"].lower())):
            spans.append(match.span("number"))
            start = match.end()
        else:
            start = match.start() + 1
    return _substituted(text, spans, f"[{PHONE_NUMBER} removed]"), len(spans)


def _not_at_the_nhs(written: str) -> bool:
    """Whether any address written here (a link's target or its label) is not a staff one at the NHS."""
    return any(not _NHS_DOMAIN.search(address) for address in _ANY_ADDRESS.findall(written))


def _without_email_addresses(text: str) -> tuple[str, int]:
    """The text with every address not at the NHS replaced; one in a URL's credentials is not an address."""
    if "@" not in text:
        return text, 0
    outside_links = _LINK.sub(lambda link: " " * len(link[0]), text)  # same length: the places agree
    spans = _spans(_EMAIL, outside_links, wanted=_not_at_the_nhs)
    return _substituted(text, spans, f"[{EMAIL_ADDRESS} removed]"), len(spans)


def _without_names(text: str) -> tuple[str, int]:
    """The text with every patient named with a title, or after a cue (see `cued_name_spans`), replaced."""
    plain = _EMPHASIS.sub(" ", text)
    cued = cued_name_spans(text) + (cued_name_spans(plain) if plain != text else [])
    spans = _merged({*_spans(_NAMED, text), *cued, *banner_name_spans(text)})
    return _substituted(text, spans, f"[{NAME} removed]"), len(spans)


# Run in order, each on what the one before left; a trust's patterns run last, so its 'hospital number'
# adds to the count of those found by cue. Names go after the identifiers found by cue, since a name's
# words may be their cue: in 'Mrs Smith MRN 1234567' or 'Mrs Smith DOB 1/2/45' the number and the date go
# first, and the name after them. Email addresses go first of all: an address made of digits goes whole.
# Each step names the fewest digits it can find anything in (an NHS number's five beside letters typed
# for digits, 'DOB 1 Feb', 'LS1 4AB'): most messages have none, and are read for addresses and names.
_BUILT_IN: tuple[tuple[str, int, Callable[[str], tuple[str, int]]], ...] = (
    (EMAIL_ADDRESS, 0, _without_email_addresses),
    ("NHS number", 5, _without_nhs_numbers),
    (DATE_OF_BIRTH, 1, _without_dates_of_birth),
    (HOSPITAL_NUMBER, 5, _without_hospital_numbers),
    (MOBILE_NUMBER, 10, _without_mobile_numbers),
    (PHONE_NUMBER, 9, _without_personal_landlines),
    (POSTCODE, 2, _without_postcodes),
    (STREET_ADDRESS, 1, _without_street_addresses),
    (NAME, 0, _without_names),
)


class Redactor:
    def __init__(self, extra: tuple[IdentifierPattern, ...] = ()):
        self._extra = extra

    def redact(self, text: str, keep: frozenset[str] = frozenset()) -> Redaction:
        """`keep`: the kinds of identifier this text may hold (staff's contact details: `CONTACT_DETAILS`)."""
        counts: Counter[str] = Counter()
        clean = _DIGIT_MARKS.sub("", INVISIBLE.sub("", text))
        digits = len(_DIGIT.findall(clean))
        for name, fewest, remove in _BUILT_IN:
            if digits >= fewest and name not in keep:
                clean, n = remove(clean)
                if n:
                    counts[name] = n
        for pattern in self._extra:
            clean, n = _replaced(pattern.regex, pattern.marker, clean)
            if n:
                counts[pattern.name] += n
        return Redaction(clean if counts else text, dict(counts))

    def clean(self, text: str, keep: frozenset[str] = frozenset()) -> str:
        return self.redact(text, keep).text


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
