"""Everyday words and the system words they stand near: staff say 'blocked', entries say 'locked'.

Unlike synonyms (one thing said several ways, rewritten on both sides), these words are only related:
a question's word also reaches the related words an entry uses, at a lower strength than its own
spelling, so an entry that shares the question's very words still wins. Single words only; each group
is read as "any of these may be meant by any other".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

RELATED_STRENGTH = 0.7

EVERYDAY: tuple[tuple[str, ...], ...] = (
    ("blocked", "locked", "stuck", "barred", "denied"),
    ("frozen", "froze", "freeze", "hanging", "hung", "slow", "lagging", "laggy", "ages"),
    ("frozen", "slow", "buffering", "spinning"),
    ("down", "downtime", "outage", "offline", "crashed", "crash", "unavailable", "died"),
    ("broken", "faulty", "failing", "fails", "smashed", "cracked", "damaged"),
    ("letter", "summary", "report"),
    ("twice", "duplicate", "double", "duplicated"),
    ("idea", "suggestion", "feedback", "improvement", "suggest"),
    ("cheat", "crib", "guide", "guides", "manual", "instructions", "handout", "leaflet", "factsheet", "sop"),
    ("tutorial", "walkthrough", "demo", "demonstration", "guide"),
    ("course", "class", "classroom", "lesson", "workshop", "refresher", "training"),
    ("learn", "training"),
    ("trainer", "educator", "facilitator", "training"),
    ("ring", "phone", "call", "number", "contact", "helpline"),
    ("finish", "finishes", "end", "ends", "stop", "over"),
    ("start", "begin", "starts", "begins", "launch"),
    ("mistake", "error", "wrong", "incorrect"),
    ("news", "updates", "announcements", "briefing", "newsletter", "bulletin"),
    ("huddle", "briefing", "standup"),
    ("jobs", "tasks", "worklist", "todo"),
    ("money", "funding", "funded", "investment", "cost", "budget", "finance", "cash"),
    ("worth", "value", "benefit", "saving"),
    ("advantage", "benefit", "upside"),
    ("rules", "policy", "guidance", "principles"),
    ("harm", "safety", "risk", "hazard", "unsafe"),
    ("confidentiality", "confidential", "privacy", "private"),
    ("teach", "train", "training", "show"),
    ("joiner", "starter", "newcomer"),
    ("home", "remote", "remotely", "offsite", "vpn", "citrix"),
    ("old", "legacy", "previous", "former", "before"),
    ("pilot", "trial"),
    ("trial", "practice", "practise", "test", "rehearsal", "dummy", "fake", "pretend", "mock", "sandbox"),
    ("practise", "sandbox", "playground", "training"),
    ("grab", "find", "locate", "search"),
    ("see", "view", "look", "access", "permissions"),
    ("boss", "manager", "lead", "leader"),
    ("normal", "usual", "routine", "everyday"),
    ("allowed", "permitted"),
    ("share", "exchange", "interoperability"),
    ("codes", "coding", "terminology", "vocabulary"),
    ("everyone", "staff", "stakeholders"),
    ("telling", "communications", "comms", "informing"),
    ("stage", "phase", "step"),
    ("turn", "switch", "swap"),
    ("wrote", "write", "written", "documented", "entered", "recorded"),
    ("protect", "protects", "guard", "guardian", "safeguard"),
    # Devices, places and people as staff name them beside the words entries use.
    ("tablet", "ipad", "handheld"),
    ("house", "home", "household"),
    ("signal", "internet", "connection", "wifi", "reception", "network", "4g"),
    ("upload", "sync", "syncing", "synced", "uploading", "uploaded"),
    ("forgot", "forget", "forgotten"),
    ("worried", "worry", "concern", "concerned"),
    ("mum", "mother", "dad", "father", "parent", "carer", "family", "relative"),
    ("woman", "women", "lady", "ladies"),
    ("kid", "kids", "child", "children", "baby", "infant", "toddler"),
    # How-to verbs: the same task asked with another verb.
    ("put", "enter", "add", "input"),
    ("fix", "correct", "repair", "amend"),
    ("help", "support", "assistance", "advice"),
    ("entry", "note"),
    ("book", "arrange", "schedule", "booking"),
    ("change", "amend", "edit", "modify", "alter"),
    ("remove", "delete", "cancel", "discontinue", "cease", "stop"),
    ("request", "order", "apply"),
    ("move", "transfer", "reallocate"),
    ("refused", "refuse", "declined", "decline"),
    ("diary", "calendar", "schedule"),
    # Clinical everyday words beside the terms a clinical system uses.
    ("jab", "injection", "vaccine", "vaccination"),
    ("pills", "tablets", "medication"),
    ("dose", "dosage"),
    ("sick", "unwell", "poorly", "ill"),
    ("scan", "xray", "ultrasound", "imaging"),
    ("radiology", "imaging"),
    ("lab", "labs", "laboratory", "pathology"),
    ("specimen", "sample", "swab"),
    ("pregnant", "pregnancy", "antenatal", "maternity"),
    ("newborn", "neonate", "neonatal", "baby", "infant"),
    ("birth", "delivery", "labour"),
    ("sectioned", "detained", "detention"),
    ("admit", "admission", "admitted"),
    ("letter", "correspondence"),
    ("screen", "page", "display"),
    ("bloods", "pathology", "lab", "results"),
    ("miss", "omit", "skip"),
    ("drip", "infusion"),
    ("pharmacy", "pharmacist", "dispensary"),
    ("tick", "administer", "sign"),
    ("clash", "interaction", "conflict"),
    ("alert", "warning", "popup", "nag", "prompt", "reminder"),
    # Computers, logins and devices as staff name them.
    ("machine", "computer", "terminal"),
    ("sticker", "label"),
    ("zebra", "printer"),
    ("scanner", "barcode"),
    ("app", "application", "software", "program"),
    ("email", "mail", "nhsmail", "outlook", "inbox"),
    ("reset", "unlock"),
    ("rights", "permissions", "privileges"),
    ("restart", "reboot", "refresh", "reload"),
    ("upgrade", "update", "patch", "version"),
    ("hardware", "equipment", "device"),
    ("battery", "charger"),
    ("smartphone", "handset", "phone"),
    ("bleep", "pager"),
    ("switchboard", "operator"),
    ("helpdesk", "desk", "servicedesk"),
    ("intranet", "website", "portal", "sharepoint"),
    ("swipe", "tap"),
    ("fingerprint", "biometric"),
    ("authenticator", "2fa", "otp", "verification"),
    ("expired", "expiry", "renew", "renewal"),
    ("hack", "hacker", "cyber", "malware", "ransomware", "phishing", "scam"),
    ("snoop", "nosy", "breach", "misuse"),
    # Reporting problems and the go-live itself.
    ("ticket", "incident"),
    ("raise", "report", "flag"),
    ("flag", "alert", "warning"),
    ("urgent", "priority"),
    ("paper", "contingency", "backup", "fallback", "continuity"),
    ("switchover", "changeover", "cutover", "transition"),
    ("rollout", "deployment", "implementation"),
    ("staggered", "phased", "gradual", "timetabled"),
    ("mandatory", "compulsory", "obligatory"),
    # Records and lists.
    ("list", "worklist"),
    ("endorse", "acknowledge"),
    ("address", "demographics"),
    ("merge", "duplicate"),
    ("register", "registration", "enrol"),
    ("bracelet", "wristband"),
    ("handoff", "handover"),
    # People and places.
    ("sister", "matron", "manager"),
    ("doctor", "clinician", "consultant", "registrar", "physician", "surgeon"),
    ("locum", "agency", "temporary"),
    ("receptionist", "clerk"),
    ("student", "trainee", "learner"),
    ("client", "patient"),
    ("exec", "executive", "director"),
    ("rota", "roster", "shift"),
    ("physio", "physiotherapist"),
    ("midwife", "midwives", "midwifery"),
    ("clinic", "outpatient"),
    ("bay", "bed"),
)


def related_table(
    stem: Callable[[str], str], groups: Iterable[tuple[str, ...]] = EVERYDAY
) -> dict[str, set[str]]:
    """Each stemmed word -> the stems of the words it is related to (never itself)."""
    table: dict[str, set[str]] = {}
    for group in groups:
        stems = {stem(word) for word in group}
        for one in stems:
            table.setdefault(one, set()).update(stems - {one})
    return table
