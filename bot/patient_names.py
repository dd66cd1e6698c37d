"""Patients named with no title, found by the cue staff write before the name.

Staff name patients without a title all the time: 'patient John Smith in bed 4', "pt Jane Doe's allergy",
'lady called Mary Jones', 'surname Patel, first name Anita', 'baby of Sarah Brown', 'Name: Smith, John'.
A name cannot be told from other words by its shape, so it goes only after a cue that says it is a
patient's (or a relative's, who names the patient as surely): a person ('patient', 'pt', 'lady', 'mum',
'baby of'), a bed and its number before a forename and a surname ('Bed 4 Jane Smith'), a naming verb
after one ('lady in bed 7 is called ...'), or a name's own word ('surname',
'first name', 'name is', 'Name:'). The name is capitalised, since 'patient called the ward' is no name;
it may be in lower case only where the cue says a name follows ('name is jane doe', 'surname: patel').
One form needs no cue: the surname in capitals and the forename, as a wristband prints it ('SMITH, John').

The words after a cue that are no name are kept: the cue's own words, what staff write after 'patient'
(systems, teams, lists: 'Patient Administration System', 'patient Safety team', 'pt Portal'), staff
titles ('called Sister Jones'), acronyms ('pt ID band'), and after a name's own word the common words of
a report ('name is wrong on the band'). A staff member's own name ('my name is ...') and a thing's name
('printer name', 'display name') are kept too. The words a name is set against go with it ('should be
John', 'instead of Smith', 'and Mary Jones'). Every part is bounded, and each regex is tried once from
each place: linear on any text.
"""

from __future__ import annotations

import re

_SP = r"[^\S\n]{1,3}"
# A word as names are written: letters, with an apostrophe or hyphen inside (O'Brien, Smith-Jones, Doe's);
# or an initial and its full stop ('J. Smith').
_WORD = r"[^\W\d_](?:\.(?![^\W\d_])|(?:[^\W\d_]|['\u2019\-](?=[^\W\d_])){0,30}(?!\w))"
# Up to three words, a comma allowed between them ('Smith, John'): what is a name among them is decided
# word by word (see `_name_end`).
_NAMES = rf"(?=(?P<names>{_WORD}(?:,?{_SP}{_WORD}){{0,2}}))"
# Between a cue and the name: spaces, then at most one mark ('patient: ', 'Name - ', 'called (', 'pt, ').
_SEP = r"[^\S\n]{0,3}(?:(?P<mark>[:\-\u2013\u2014=(,'\"\u2018\u2019\u201c\u201d])[^\S\n]{0,3})?"
_PERSON = (
    r"patients?|pts?\.?|lady|ladies|gentleman|gentlemen|gent|man|woman|boy|girl|child|bab(?:y|ies)"
    r"|mum|mother|dad|father|son|daughter|wife|husband|nok|next[ \-]of[ \-]kin|service[ \-]users?"
    r"|twins?|triplets?"
)
# A cue's first letter, looked for first: the engine then skips to one (twice as fast on most texts).
_PERSON_START = r"(?=[bcdfghlmnpstw])"
_NAME_START = r"(?=[bcfglmnprs])"
# A person cue: 'patient John Smith', 'baby of Sarah Brown'.
_PERSON_CUE = re.compile(
    rf"{_PERSON_START}\b(?:{_PERSON})(?![\w'\u2019])(?:{_SP}of)?{_SEP}{_NAMES}", re.IGNORECASE
)
# A bed, named by its number, then a forename and a surname: how handover names a patient ('Bed 4 Jane
# Smith fell', 'bay 2 bed 3 - John Smith', 'side room 2 (Jane Smith)'). Two names at least, as one word
# after a bed is as often a thing's ('Bed 4 Printer offline').
_BED_CUE = re.compile(
    rf"(?=[bcst])\b(?:bed|bay|side[ ]?room|sr|cubicle|trolley|chair)[^\S\n]{{0,2}}\d{{1,3}}[a-z]?(?![\w])"
    rf"{_SEP}{_NAMES}",
    re.IGNORECASE,
)
# A naming verb after a person, a few words on in the same clause ('lady in bed 7 is called Ivy Chen',
# 'a patient on 7B called Jane Doe'), or after 'she's' ('she's called Nora Byrne').
_GAP_WORD = rf"{_SP}[^\s.,;:!?]{{1,20}}"
_CALLED = (
    r"(?:called|named|nicknamed|known[ ]as|goes[ ]by|aka|a\.k\.a\.?|alias|by[ ]the[ ]name[ ]of)"
    r"(?![\w'\u2019])"
)
_CALLED_CUE = re.compile(
    rf"{_PERSON_START}\b(?:(?:{_PERSON}|chap|bloke|fella|lad)(?![\w'\u2019])(?:{_GAP_WORD}){{0,5}}?"
    rf"|(?:s?he|they)(?:['\u2019]s|['\u2019]re|{_SP}(?:is|was|are|were))){_SP}(?P<verb>{_CALLED})"
    rf"{_SEP}{_NAMES}",
    re.IGNORECASE,
)
# A name's own word: 'surname', 'first name', 'name is', "her name's", 'name showing as', 'Name:'.
_KIND = r"(?:sur|fore|first|last|family|given|middle|maiden|christian|full|real|preferred|birth|legal)"
_SAYS = (
    r"(?:is|was|are|were|should[ ]be|should[ ]read|reads?|says|shows?|showing|shown|appears|appearing"
    r"|displays|displayed|displaying|printed|printing|spelt|spelled|listed|recorded|entered|written"
    r"|comes[ ]up|came[ ]up|changed[ ]to|corrected[ ]to|given)(?![\w'\u2019])"
)
_NAME_CUE = re.compile(
    rf"{_NAME_START}\b(?P<kind>{_KIND}[ \-]?)?names?"
    rf"(?P<says>['\u2019]s|(?:{_SP}{_SAYS}){{1,2}}(?:{_SP}as)?)?(?![\w'\u2019]){_SEP}{_NAMES}",
    re.IGNORECASE,
)
# The name's word a few words before what it says ('name on the band reads Jon Smith').
_FAR_NAME_CUE = re.compile(
    rf"{_NAME_START}\b(?P<kind>{_KIND}[ \-]?)?names?(?![\w'\u2019])(?:{_GAP_WORD}){{1,4}}?"
    rf"(?P<says>{_SP}{_SAYS}(?:{_SP}as)?){_SEP}{_NAMES}",
    re.IGNORECASE,
)
# After a name, the words it is set against ('Jon Smith, should be John', 'Smyth instead of Smith').
_MORE = re.compile(
    rf",?{_SP}(?:and|&|or|not|nor|vs\.?|versus|instead[ ]of|rather[ ]than|but|should[ ]be|should[ ]read|/)"
    rf"{_SP}{_NAMES}",
    re.IGNORECASE,
)
_WORDS = re.compile(_WORD)
# Quick looks: nearly every text holds no cue, and the full patterns are slow to find nothing. The words
# of each kind of cue, one of which every cue of that kind holds ('next of kin', 'service user').
_ASCII_WORD = re.compile(r"[a-z]{1,40}")
_PERSON_WORDS = frozenset({
    "patient", "patients", "pt", "pts", "lady", "ladies", "gentleman", "gentlemen", "gent", "man",
    "woman", "boy", "girl", "child", "baby", "babies", "mum", "mother", "dad", "father", "son",
    "daughter", "wife", "husband", "nok", "kin", "user", "users", "twin", "twins", "triplet", "triplets"
})  # fmt: skip
_BED_WORDS = frozenset({"bed", "bay", "side", "room", "sideroom", "sr", "cubicle", "trolley", "chair"})
_CALLED_WORDS = frozenset({"called", "named", "nicknamed", "known", "goes", "aka", "k", "alias", "name"})

# The words no name after a cue is: a report's own words, in any case ('PATIENT JOHN SMITH BED 4').
_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "nor", "not", "no", "yes", "is", "isn't", "was", "wasn't",
    "are", "aren't", "were", "be", "been", "being", "has", "hasn't", "have", "haven't", "had", "do",
    "does", "did", "doesn't", "don't", "didn't", "can", "cannot", "can't", "could", "couldn't", "won't",
    "would", "wouldn't", "should", "shouldn't", "might", "must", "shall", "in", "on", "at", "to", "for",
    "from", "with", "without", "by", "of", "off", "as", "into", "onto", "up", "down", "out", "over",
    "under", "about", "after", "before", "since", "until", "via", "per", "than", "then", "so", "if",
    "also", "still", "just", "now", "only", "again", "too", "very", "all", "any", "some", "each", "every",
    "both", "either", "neither", "other", "another", "same", "this", "that", "these", "those", "it",
    "its", "it's", "he", "she", "him", "her", "his", "hers", "they", "them", "their", "we", "us", "our",
    "you", "your", "i", "me", "my", "who", "whom", "whose", "which", "what", "when", "where", "why",
    "how", "there", "here", "please", "thanks", "thank", "ok", "okay", "sorry", "etc", "instead",
    "rather", "vs", "versus", "whereas", "though", "i'm", "im", "i've", "ive", "i'd", "i'll", "you're",
    "you've", "we're", "we've", "they're", "they've", "he's", "she's", "he'd", "she'd"
})  # fmt: skip
# What staff write after 'patient' and the like: systems, lists, teams, places, staff, times, acronyms.
_NOT_NAMES = frozenset({
    "patient", "patients", "pt", "pts", "lady", "ladies", "gentleman", "gentlemen", "gent", "man",
    "woman", "boy", "girl", "child", "baby", "babies", "mum", "mother", "dad", "father", "son",
    "daughter", "wife", "husband", "nok", "kin", "twin", "twins", "triplets", "user", "users", "called",
    "named", "known", "name", "names", "surname", "surnames", "forename", "forenames", "first", "last",
    "family", "given", "middle", "maiden", "christian", "full", "real", "preferred", "legal", "birth",
    "administration", "admin", "safety", "portal", "waiting", "flow", "flows", "tracking", "tracker",
    "transport", "transfer", "transfers", "experience", "advice", "liaison", "record", "records",
    "viewer", "details", "detail", "notes", "note", "letters", "letter", "information", "info",
    "identification", "identifier", "identifiers", "identity", "id", "banner", "list", "lists", "listing",
    "search", "status", "board", "boards", "whiteboard", "care", "hub", "app", "apps", "knows", "leaflet",
    "leaflets", "demographics", "demographic", "registration", "access", "services", "service", "group",
    "groups", "forum", "council", "panel", "pathway", "pathways", "journey", "education", "alert",
    "alerts", "label", "labels", "wristband", "wristbands", "band", "bands", "summary", "chart", "charts",
    "centre", "center", "level", "data", "story", "stories", "facing", "held", "led", "centred",
    "centered", "reported", "initiated", "specific", "outcome", "outcomes", "feedback", "choice",
    "choices", "consent", "property", "meal", "meals", "food", "discharge", "discharges", "admission",
    "admissions", "bed", "beds", "bay", "bays", "ward", "wards", "side", "room", "rooms", "theatre",
    "theatres", "clinic", "clinics", "unit", "units", "department", "dept", "team", "teams", "desk",
    "line", "help", "helpdesk", "switchboard", "pharmacy", "estates", "porter", "porters", "portering",
    "radiology", "pathology", "maternity", "outpatients", "outpatient", "inpatients", "inpatient",
    "manager", "management", "matron", "sister", "nurse", "nurses", "doctor", "doctors", "dr", "prof",
    "professor", "consultant", "consultants", "registrar", "sho", "charge", "staff", "support",
    "floorwalker", "floorwalkers", "superuser", "superusers", "trainer", "trainers", "training",
    "digital", "health", "medical", "clinical", "tags", "tag", "tagging", "monitor", "monitoring",
    "protection", "safeguarding", "development", "system", "systems", "screen", "home", "mode", "view",
    "tab", "form", "forms", "number", "numbers", "nhs", "epic", "cerner", "mychart", "millennium",
    "nervecentre", "careflow", "lorenzo", "meditech", "emis", "systmone", "rio", "pkb", "medway",
    "maxims", "trakcare", "sunrise", "dedalus", "oracle", "spine", "pds", "microsoft", "windows",
    "citrix", "outlook", "excel", "datix", "ulysses", "bleep", "ext", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "january", "february", "march", "july", "september",
    "october", "november", "december", "today", "tomorrow", "yesterday", "tonight", "covid", "mrsa",
    "news", "dnacpr", "respect", "snomed", "epma", "obs", "ecg", "sbar", "tto", "ttos", "tta", "ttas",
    "ppe", "escalation", "incident", "incidents", "complaint", "complaints", "survey", "surveys",
    "champion", "champions", "partners", "representative", "rep", "reps", "voice", "participation",
    "involvement", "comms", "communication", "communications", "correspondence", "pack", "packs", "queue",
    "queues", "booking", "bookings", "appointment", "appointments", "referral", "referrals", "result",
    "results", "order", "orders", "request", "requests", "observations", "observation", "medication",
    "medications", "meds", "drug", "drugs", "allergy", "allergies", "weight", "height", "falls", "fall",
    "huddle", "bureau", "bank", "agency", "deducted", "discharged", "deceased", "admitted", "registered",
    "unregistered", "transferred", "arrived", "booked", "cancelled", "confirmed", "expected", "awaiting",
    "pending", "active", "inactive", "deactivated", "merged", "unknown",
    "merge", "lookup", "finder", "picker", "selector", "context", "header", "menu", "wizard", "tool", "tools",
    "overview", "timeline", "contact", "contacts", "movement", "movements", "arrival", "arrivals",
    "attendance", "attendances", "encounter", "encounters", "episode", "episodes", "spell", "spells", "plan",
    "plans", "handover", "census", "acuity", "dependency", "cohort", "profile", "preferences", "reminder",
    "reminders", "message", "messages", "messaging", "friends", "test", "tests", "testing", "dummy", "fake",
    "demo", "fictitious",  # a test patient's name: no one's
    # The record's own parts and screens ('Master Patient Index', 'Patient Worklist', 'patient Flags'):
    "index", "passport", "bedside", "worklist", "worklists", "inquiry", "enquiry", "enquiries", "registry",
    "register", "locator", "scheduler", "scheduling", "entry", "mobility", "handling", "kiosk", "check-in",
    "days", "event", "events", "sticker", "stickers", "matching", "merging", "selection", "task", "tasks",
    "location", "locations", "age", "warning", "warnings", "flag", "flags", "risk", "risks", "assessment",
    "assessments", "questionnaire", "document", "documents", "priority", "priorities", "category",
    "categories", "type", "types", "class", "classification",
    # What else a bed has by it ('Bed 4 Printer offline', 'bed 2 Call Bell'):
    "printer", "printers", "pc", "computer", "laptop", "scanner", "phone", "handset", "tablet", "ipad",
    "cow", "wow", "trolley", "pump", "pumps", "reader", "keyboard", "mouse", "socket", "network", "wifi",
    "light", "bell", "call", "tv", "hoist", "sensor", "alarm", "workstation", "drip", "stand", "oxygen",
    "suction", "mattress", "air", "commode", "locker", "curtain", "curtains", "table",
    # Departments and modalities, listed after an acronym ('CT, Xray and MRI', 'ED, Stroke'):
    "xray", "x-ray", "xrays", "x-rays", "ultrasound", "imaging", "mammography", "fluoroscopy", "endoscopy",
    "dialysis", "renal", "oncology", "haematology", "cardiology", "neurology", "urology", "stroke",
    "orthopaedics", "paediatrics", "neonatal", "neonates", "obstetrics", "gynaecology", "dermatology",
    "ophthalmology", "respiratory", "surgery", "medicine", "physio", "physiotherapy", "therapies",
    "audiology", "biochemistry", "microbiology", "histology", "labs", "lab", "phlebotomy", "endocrinology"
})  # fmt: skip
# After a name's own word, where lower case is read too: the words a report says of the name itself.
_REPORT_WORDS = frozenset({
    "none", "nil", "null", "unknown", "tbc", "tba", "blank", "empty", "missing", "nothing", "something",
    "anything", "everything", "wrong", "right", "correct", "incorrect", "spelt", "spelled", "misspelt",
    "misspelled", "spelling", "showing", "shows", "shown", "show", "displayed", "displaying", "printed",
    "printing", "appears", "appearing", "changed", "updated", "duplicated", "duplicate", "truncated",
    "cut", "swapped", "reversed", "removed", "deleted", "hidden", "greyed", "required", "mandatory",
    "needed", "field", "fields", "box", "tab", "column", "format", "initial", "initials", "title",
    "record", "way", "round", "capitals", "caps", "capital", "lower", "upper", "case", "see", "check",
    "ask", "call", "getting", "coming", "going", "went", "gone", "got", "keeps", "kept", "wants", "needs",
    "asked", "asking", "rang", "phoned", "came", "fine", "different", "same", "correctly", "incorrectly",
    "twice", "once", "badge", "tag", "change", "changes", "issue", "problem", "error", "long", "short",
    "longer", "shorter", "hyphenated", "merged", "linked", "unlinked", "mixed", "mismatched", "matched",
    "matching", "married", "old", "new", "previous", "current", "usual", "legal", "official", "full",
    "partial", "partly", "differently", "properly", "wrongly", "accidentally", "apparently", "definitely",
    "definately", "actually", "already", "listed", "entered", "recorded", "written", "stored", "saved",
    "held", "given", "used", "being", "done", "sent", "known", "visible", "invisible", "available",
    "unavailable", "confidential", "redacted", "anonymised", "protected", "restricted", "sensitive",
    "fake", "test", "dummy", "temporary", "temp", "unidentified", "unnamed", "there", "here", "below",
    "above", "attached"
})  # fmt: skip
# Who calls a name theirs, or whose name is a thing's: the word before a name's own word.
_NOT_A_PATIENTS = frozenset({
    "my", "your", "our", "user", "login", "display", "file", "printer", "host", "computer", "pc",
    "device", "folder", "team", "ward", "drug", "product", "app", "account", "channel", "group", "site",
    "server", "report", "template", "form", "list", "clinic", "location", "contact", "staff", "doctor",
    "nurse", "consultant", "gp", "brand", "generic", "trade", "medication", "medicine", "system",
    "network", "wifi", "document", "database", "screen", "button", "tab", "code", "company", "supplier",
    "test", "domain", "machine", "queue", "service", "project", "icon", "shortcut", "package", "column",
    "table", "field"
})  # fmt: skip
# After a naming verb, what is phoned ('patient in bed 4 who called Pharmacy'), not named.
_PHONED = frozenset(
    {
        "who",
        "that",
        "which",
        "has",
        "had",
        "have",
        "just",
        "already",
        "then",
        "also",
        "i",
        "we",
        "and",
        "never",
        "not",
        "been",
    }
)
# A name as a wristband, a label and the record's banner print it, and as staff copy it from them: the
# surname in capitals, a comma, then the forename ('SMITH, John', "O'BRIEN, Mary J"). No cue is needed:
# a word in capitals before a comma and a capitalised word is seldom anything else, and where it is (an
# acronym before a place: 'ED, Theatres', 'EPR, Pharmacy') the words are ones staff write after 'patient'.
# Not after '@': a mention of a colleague whose Slack name is their NHSmail one ('@SMITH, Jane (LTHT)').
_CAPS = r"[A-Z\u00c0-\u00d6\u00d8-\u00de]"
_BANNER = re.compile(
    rf"(?<![\w'\u2019\-@])(?P<surname>{_CAPS}(?:{_CAPS}|['\u2019\-](?={_CAPS})){{1,30}}),{_SP}"
    rf"(?P<forename>{_CAPS}[^\W\d_A-Z](?:[^\W\d_]|['\u2019\-](?=[^\W\d_])){{0,30}})(?![\w'\u2019])"
    rf"(?P<more>{_SP}{_WORD})?"
)
# A capital inside a word, after a small letter: a product's name ('OrderNet', 'ClearView') when it follows
# an acronym's few capitals ('EPR, OrderNet and Radiance', 'EMIS, SystmOne'), where a wristband prints a
# forename with one capital ('LEE, Jo'); after a longer surname it is read as a name still.
_ACRONYM_LENGTH = 4
_INNER_CAPITAL = re.compile(r"[^\W\d_A-Z\u00c0-\u00de][A-Z\u00c0-\u00d6\u00d8-\u00de]")
# What staff write in capitals before a comma to open a message ('FYI, John is on it'): no surname.
_LEAD_INS = frozenset(
    {"fyi", "nb", "ps", "asap", "urgent", "update", "hi", "hello", "dear", "morning", "evening"}
)
_NUMBER_NEXT = re.compile(r"[^\S\n]{0,3}\d")
_WORD_BEFORE = re.compile(r"([^\W\d_]{1,40})(?:['\u2019]s)?[^\S\n]{1,3}$")


def _bare(word: str) -> str:
    """The word as looked up: lower case, without a possessive ('Doe's') or an initial's full stop."""
    lower = word.lower().rstrip(".").replace("\u2019", "'")
    return lower[:-2] if lower.endswith(("'s", "\u2019s")) else lower


def _is_name(word: str, lower_case: bool) -> bool:
    """Whether a word after a cue may be a name: not a word a report uses, capitalised unless `lower_case`,
    and not an acronym ('pt ID band', 'Name: TBC')."""
    bare = _bare(word)
    if bare in _FUNCTION_WORDS or bare in _NOT_NAMES or (lower_case and bare in _REPORT_WORDS):
        return False
    if len(bare) == 1:  # an initial: a name only before one, and written as one
        return word[0].isupper()
    if word[0].isupper():
        return not (word.rstrip(".").isupper() and len(bare) <= 3)
    return lower_case


def _is_surname(text: str, word: re.Match[str]) -> bool:
    """Whether a word staff write after 'patient' is a surname after a forename ('Lucy Ward', 'Jo Bank'):
    capitalised, and not a place before its number ('John Smith Ward 4')."""
    return word[0][0].isupper() and _bare(word[0]) in _NOT_NAMES and not _NUMBER_NEXT.match(text, word.end())


def _name_end(text: str, match: re.Match[str], lower_case: bool) -> int | None:
    """Where the name the match's words start with ends: the leading words that may be names, not ending
    on an initial; None when they hold no name."""
    end, named = None, False
    for word in _WORDS.finditer(text, *match.span("names")):
        if not (_is_name(word[0], lower_case) or (named and _is_surname(text, word))):
            break
        if len(_bare(word[0])) > 1:
            end, named = word.end(), True
    return end if named else None


def _said_of_a_patient(text: str, cue: re.Match[str]) -> bool:
    """Whether a name's own word is a patient's: not 'my name', nor a thing's ('printer name'), nor the
    marker left where one was removed ('[name removed]')."""
    if text[cue.start() - 1 : cue.start()] == "[":
        return False
    before = _WORD_BEFORE.search(text, max(0, cue.start() - 40), cue.start())
    return not (before and before[1].lower() in _NOT_A_PATIENTS)


def _named(text: str, cue: re.Match[str], lower_case: bool) -> list[tuple[int, int]]:
    """The name after a cue and the names set against it ('..., should be John'), as spans."""
    end = _name_end(text, cue, lower_case)
    if end is None:
        return []
    spans = [(cue.start("names"), end)]
    for _ in range(2):  # 'Smyth not Smith or Smithe' at most
        more = _MORE.match(text, spans[-1][1])
        if not more or (end := _name_end(text, more, lower_case)) is None:
            break
        spans.append((more.start("names"), end))
    return spans


def _two_names(text: str, span: tuple[int, int]) -> bool:
    """Whether the name at `span` is written in two words or more ('Jane Smith', 'J Smith')."""
    return len(_WORDS.findall(text, *span)) >= 2


def _lower_case_read(cue: re.Match[str]) -> bool:
    """Whether a name may be in lower case after this name's own word: when what follows says it is one
    ('name is', 'surname spelt', 'Name:'); not after a bare 'surname', where a report goes on ('surname
    followed by', 'surname, hospital number or NHS number')."""
    return bool(cue["says"] or (cue["mark"] and cue["mark"] in ":-=\u2013\u2014"))


def cued_name_spans(text: str) -> list[tuple[int, int]]:
    """Where patients are named after a cue, as (start, end) spans, in no order, maybe overlapping."""
    words = set(_ASCII_WORD.findall(text.lower()))
    spans = []
    if not words.isdisjoint(_PERSON_WORDS):
        for cue in _PERSON_CUE.finditer(text):
            spans += _named(text, cue, lower_case=False)
    if not words.isdisjoint(_CALLED_WORDS):
        for cue in _CALLED_CUE.finditer(text):
            before = _WORD_BEFORE.search(text, max(0, cue.start("verb") - 40), cue.start("verb"))
            if not (before and before[1].lower() in _PHONED):
                spans += _named(text, cue, lower_case=False)
    if not words.isdisjoint(_BED_WORDS):
        for cue in _BED_CUE.finditer(text):
            spans += [span for span in _named(text, cue, lower_case=False) if _two_names(text, span)]
    if any(word.endswith(("name", "names")) for word in words):
        for cue in _NAME_CUE.finditer(text):
            if _said_of_a_patient(text, cue):
                spans += _named(text, cue, lower_case=_lower_case_read(cue))
        for cue in _FAR_NAME_CUE.finditer(text):  # words between: 'name on PAS was merged' is no name
            if _said_of_a_patient(text, cue):
                spans += _named(text, cue, lower_case=False)
    return spans


def banner_name_spans(text: str) -> list[tuple[int, int]]:
    """Where a patient is named as a wristband or the record's banner prints it ('SMITH, John'; see
    `_BANNER`), as (start, end) spans; a middle name or initial after the forename goes with it. A short
    surname in capitals is read as one too ('LEE, Amy'), though a short acronym looks the same."""
    if "," not in text:
        return []
    spans = []
    for match in _BANNER.finditer(text):
        surname = _bare(match["surname"])
        if surname in _FUNCTION_WORDS or surname in _NOT_NAMES or surname in _LEAD_INS:
            continue
        if not _is_name(match["forename"], lower_case=False) or _a_product(surname, match["forename"]):
            continue
        more = match["more"]
        named_more = more and _is_name(more.strip(), lower_case=False)
        spans.append((match.start(), match.end("more") if named_more else match.end("forename")))
    return spans


def _a_product(surname: str, forename: str) -> bool:
    """Whether 'SURNAME, Forename' is an acronym and a product's name (see `_INNER_CAPITAL`)."""
    return len(surname) <= _ACRONYM_LENGTH and bool(_INNER_CAPITAL.search(forename))
