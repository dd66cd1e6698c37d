"""The matcher's behaviour, one lesson at a time, on a small knowledge base written for these tests."""

from dataclasses import replace
from pathlib import Path

import pytest

from bot.answering.decision import Evidence
from bot.answering.knowledge import KnowledgeBase
from bot.answering.model import Answer, Entry, NotKnown, Outcome, Suggestions
from bot.answering.text import stop_word_slip


def entry(id: str, kind: str, title: str, answer: str, *aliases: str) -> Entry:
    return Entry(id=id, kind=kind, title=title, answer=answer, aliases=aliases)  # type: ignore[arg-type]


ENTRIES = [
    entry("snomed-ct", "jargon", "SNOMED CT",
          "The shared clinical vocabulary: every diagnosis and finding has a code.", "SNOMED",
          "snomed clinical terms"),
    entry("pas", "jargon", "Patient administration system (PAS)",
          "The system holding who the patient is, their appointments and admissions.", "PAS"),
    entry("forgotten-password", "howto", "What do I do if I've forgotten my password?",
          "Ring the service desk; they reset it once they have checked who you are.", "reset my password"),
    entry("log-an-issue", "howto", "How do I log an issue?",
          "Type /golive issue and fill in the form; you get a reference.", "report a problem"),
    entry("check-issue", "howto", "How do I check on an issue I've logged?",
          "Type /golive issues to see the ones you reported.", "issue status"),
    entry("floorwalker", "jargon", "Floorwalker",
          "A trained helper who walks the wards during go-live, helping staff at the elbow.",
          "floor walker"),
    entry("find-floorwalker", "howto", "How do I find a floorwalker?",
          "Look for the bright tabards, or ask in the go-live channel.", "where are the floorwalkers"),
    entry("big-bang", "jargon", "Big bang",
          "Every ward switches to the new system on the same day."),
    entry("timetabled", "jargon", "Timetabled roll-out",
          "Wards switch one at a time over weeks: the opposite of a big bang."),
    entry("out-of-hours", "howto", "Who do I contact out of hours?",
          "At night and at weekends ring the on-call support line."),
    entry("discharge-summary", "jargon", "Discharge summary",
          "The letter sent to the patient's GP when they leave hospital, listing diagnoses and medicines."),
    entry("bau", "jargon", "Business as usual (BAU)", "The normal way of working once the project ends."),
    entry("ccio", "jargon", "Chief clinical information officer (CCIO)",
          "The senior clinician who leads the clinical side of digital change.", "CCIO"),
    entry("cnio", "jargon", "Chief nursing information officer (CNIO)",
          "The senior nurse who leads the nursing side of digital change.", "CNIO"),
]  # fmt: skip


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.build(ENTRIES)


def answered(outcome: Outcome) -> str | None:
    return outcome.best.entry.id if isinstance(outcome, Answer) else None


@pytest.mark.parametrize(
    "question",
    [
        "what does BAU stand for??",
        "pls quick q wots BAU",
        "BAU?",
        "whats b.a.u",
        "Business as usual meaning",
        "sorry if this is a daft question but erm what's BAU",
    ],
)
def test_question_wrappers_do_not_get_in_the_way(kb: KnowledgeBase, question: str) -> None:
    assert answered(kb.match(question)) == "bau"


def test_how_do_i_questions_are_decided_by_their_content_words(kb: KnowledgeBase) -> None:
    assert answered(kb.match("how do I log an issue")) == "log-an-issue"
    assert answered(kb.match("how do i check the status of my issue")) == "check-issue"
    assert answered(kb.match("how do I reset my password")) == "forgotten-password"


@pytest.mark.parametrize("question", ["snomed-ct", "S.N.O.M.E.D", "snomedct", "Snomed CT?", "what is snomed"])
def test_acronyms_match_whatever_the_spelling(kb: KnowledgeBase, question: str) -> None:
    assert answered(kb.match(question)) == "snomed-ct"


def test_a_short_acronym_is_not_confused_with_words_that_contain_it(kb: KnowledgeBase) -> None:
    assert answered(kb.match("what is PAS")) == "pas"
    assert answered(kb.match("I forgot my password")) == "forgotten-password"
    assert answered(kb.match("password")) != "pas"
    assert answered(kb.match("what is a pa")) is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("wat is snomd", "snomed-ct"),
        ("floorwlaker", "floorwalker"),
        ("how do i log an isue", "log-an-issue"),
        ("discharge sumary", "discharge-summary"),
        ("chief nursing informaton oficer", "cnio"),
    ],
)
def test_typos_are_forgiven(kb: KnowledgeBase, question: str, expected: str) -> None:
    assert answered(kb.match(question)) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("pleeease where are the floorwalkers", "find-floorwalker"),
        ("how do i log an issssue", "log-an-issue"),
        ("what is snoooomed", "snomed-ct"),
    ],
)
def test_a_letter_held_down_for_emphasis_is_read_once(
    kb: KnowledgeBase, question: str, expected: str
) -> None:
    assert answered(kb.match(question)) == expected


def test_a_short_word_with_its_double_letter_typed_once_is_read_as_the_word() -> None:
    kb = KnowledgeBase.build([*ENTRIES, entry("ring-support", "howto", "Who do I call at night?",
                                              "Ring the on-call support line.")])  # fmt: skip
    assert answered(kb.match("who do i cal at night")) == "ring-support"
    assert (
        kb.matcher.rank("who do i cal at night")[0].score
        == kb.matcher.rank("who do i call at night")[0].score
    )


def test_a_title_with_brackets_inside_a_word_is_found_as_everyone_types_it() -> None:
    irmer = entry("irmer", "jargon", "IR(ME)R", "The regulations on who may request ionising radiation.")
    kb = KnowledgeBase.build([*ENTRIES, irmer])
    for question in ("what is IRMER", "what's irmer", "IR(ME)R?", "iremer what is it"):
        assert answered(kb.match(question)) == "irmer", question


def test_an_acronym_typed_with_a_letter_left_out_is_read_as_the_acronym() -> None:
    camhs = entry("camhs", "jargon", "CAMHS", "Child and adolescent mental health services.")
    rbac = entry("rbac", "jargon", "RBAC", "Role-based access control: what your role lets you do.")
    kb = KnowledgeBase.build([*ENTRIES, camhs, rbac])
    assert answered(kb.match("what is cams")) == answered(kb.match("wots camhs")) == "camhs"
    assert answered(kb.match("what is rbc")) is None  # red blood cells: a word of three is too often another
    twins = [camhs, entry("cahms", "jargon", "CAHMS", "A misnamed twin: 'cams' is short of both.")]
    assert answered(KnowledgeBase.build([*ENTRIES, *twins]).match("what is cams")) is None


def test_two_words_of_a_name_typed_without_a_space_are_read_as_both() -> None:
    kb = KnowledgeBase.build([
        *ENTRIES,
        entry("gp-connect", "howto", "How do I see a patient's GP record?", "Open the GP Connect tab.",
              "access GP records"),
        entry("audit", "jargon", "Audit trail", "A record of who opened which records, and when.",
              "who has accessed the records"),
    ])  # fmt: skip
    assert (
        answered(kb.match("access GPrecords")) == "gp-connect"
    )  # not 'records' with a slip: the audit trail
    assert (
        answered(kb.match("discharge summarys"))
        == answered(kb.match("dischargesummarys"))
        == "discharge-summary"
    )
    assert answered(kb.match("how doI log an issue")) == "log-an-issue"
    assert answered(kb.match("how do I log an isue")) == "log-an-issue"  # a slip, not 'is ue'
    assert answered(kb.match("water")) is None  # not 'wat er'
    voice = entry("voice", "jargon", "Voice recognition", "Dictating notes by speaking.")
    assert answered(KnowledgeBase.build([*ENTRIES, voice]).match("what is invoice")) is None  # no "in voice"


def test_a_word_built_on_a_names_word_is_another_thing_not_a_slip_of_it() -> None:
    """'stillbirth' is no missed space after 'still' nor a mistyped 'birth': answering with how to record
    a live birth would send a midwife down the wrong process."""
    birth = entry("record-birth", "howto", "How do I record a birth?", "Open Birth details on the Labour tab")
    kb = KnowledgeBase.build([*ENTRIES, birth])
    assert answered(kb.match("how do i record a birth")) == "record-birth"
    for question in ("how do i record a stillbirth", "how do i record an afterbirth"):
        assert answered(kb.match(question)) is None, question
    backlog = entry("backlog", "jargon", "Backlog", "Issues waiting for the team.")
    assert answered(KnowledgeBase.build([*ENTRIES, backlog]).match("what is the backlog")) == "backlog"
    assert answered(kb.match("how do i log the backlog")) is None  # no 'back log': a log of what?


def test_logging_off_is_not_logging_an_issue() -> None:
    kb = KnowledgeBase.build(ENTRIES)  # no entry on logging out
    for question in ("how do i log off", "how do I log out", "log out", "signing out of the system"):
        assert answered(kb.match(question)) is None, question
    assert answered(kb.match("how do i log an issue")) == "log-an-issue"


def test_an_acronym_or_shorthand_in_the_plural_is_read_as_itself() -> None:
    kb = KnowledgeBase.build([
        *ENTRIES,
        entry("ed-board", "jargon", "ED whiteboard", "The emergency department's screen of patients."),
        entry("shared-pc", "howto", "How do I log out of a shared computer?", "Press Switch user."),
    ])  # fmt: skip
    assert answered(kb.match("EDs whiteboard")) == "ed-board"
    assert answered(kb.match("log out of shared PCs")) == "shared-pc"  # 'pc' is shorthand for computer


def test_an_entry_whose_title_asks_how_is_a_howto_whatever_kind_it_was_given() -> None:
    """A trust that marks every entry jargon: 'where are the floorwalkers' still finds the how-to, and
    'what is a floorwalker' the term, as when the kinds are right."""
    right = KnowledgeBase.build(ENTRIES)
    all_jargon = KnowledgeBase.build([replace(e, kind="jargon") for e in ENTRIES])
    for question in ("where are the floorwalkers", "what is a floorwalker", "how do i log an issue"):
        assert answered(all_jargon.match(question)) == answered(right.match(question)) is not None


def test_plurals_and_word_order_do_not_matter(kb: KnowledgeBase) -> None:
    assert answered(kb.match("floorwalkers, where are they?")) == "find-floorwalker"
    assert answered(kb.match("summary of discharge")) == "discharge-summary"


def test_jargon_or_howto_follows_the_form_of_the_question(kb: KnowledgeBase) -> None:
    assert answered(kb.match("what is a floorwalker")) == "floorwalker"
    assert answered(kb.match("how do I find a floorwalker")) == "find-floorwalker"
    assert answered(kb.match("where are the floorwalkers")) == "find-floorwalker"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("where is the floor walker", "find-floorwalker"),
        ("wheres the flooorwalker", "find-floorwalker"),
        ("how do I find a superuser", "find-floorwalker"),
        ("what is a floorwalker", "floorwalker"),
        ("floorwalker", "floorwalker"),
    ],
)
def test_the_form_settles_which_of_two_entries_named_alike_is_meant_without_aliases(
    question: str, expected: str
) -> None:
    """With no alias 'where are the floorwalkers', the how-to covers less of its name than the term's
    entry does; only the form says a 'where' question asks how to find one, not what one is."""
    kb = KnowledgeBase.build(
        [
            entry("floorwalker", "jargon", "Floorwalker", "A helper in a bright vest on the wards."),
            entry(
                "find-floorwalker", "howto", "How do I find a floorwalker or superuser?", "Ask at the hub."
            ),
            entry("superuser", "jargon", "Superuser", "A colleague trained further on the system."),
        ]
    )
    assert answered(kb.match(question)) == expected


def test_a_title_hit_is_trusted_over_a_mention_in_another_answer(kb: KnowledgeBase) -> None:
    assert answered(kb.match("what is a big bang")) == "big-bang"


def test_answer_text_finds_a_paraphrase_that_shares_no_word_with_the_title(kb: KnowledgeBase) -> None:
    ranked = kb.matcher.rank("the letter that goes to the GP")
    assert ranked[0].entry.id == "discharge-summary"


def test_shorthand_meets_the_words_the_entries_use(kb: KnowledgeBase) -> None:
    assert answered(kb.match("who do I ring OOH")) == "out-of-hours"
    assert answered(kb.match("d/c summary")) == "discharge-summary"


def test_nhs_shorthand_for_departments_and_staff_meets_the_words_entries_use() -> None:
    physio = entry("physio", "howto", "How do I refer to physiotherapy?", "Use the referral form.")
    kb = KnowledgeBase.build([*ENTRIES, physio])
    assert answered(kb.match("physio referral thru the system")) == "physio"


def test_hours_written_short_after_a_number_are_hours() -> None:
    target = entry("four-hour", "jargon", "Four hour standard", "Seen within 4 hours in ED.", "4 hour target")
    kb = KnowledgeBase.build([*ENTRIES, target])
    assert answered(kb.match("4hr target")) == answered(kb.match("4h target")) == "four-hour"
    shipped = KnowledgeBase.load(Path(__file__).parent.parent / "knowledge")
    assert answered(shipped.match("what is the 4hr target")) is None  # its 4 is not chat: no entry has it


@pytest.mark.parametrize(
    "question", ["big bang theory in physics", "what is the discharge lounge opening time", "pass the salt"]
)
def test_near_misses_that_ask_about_something_else_are_not_answered(kb: KnowledgeBase, question: str) -> None:
    assert answered(kb.match(question)) is None


def test_a_close_call_offers_up_to_three_candidates_instead_of_guessing(kb: KnowledgeBase) -> None:
    outcome = kb.match("chief information officer")
    assert isinstance(outcome, Suggestions)
    assert {"ccio", "cnio"} <= {c.entry.id for c in outcome.candidates}
    assert len(outcome.candidates) <= 3
    assert [c.score for c in outcome.candidates] == sorted(
        (c.score for c in outcome.candidates), reverse=True
    )


@pytest.mark.parametrize(
    "question",
    ["what's the weather like tomorrow", "tell me a joke", "thanks!", "", "???", "how do I bake bread"],
)
def test_questions_out_of_scope_get_an_honest_not_known(kb: KnowledgeBase, question: str) -> None:
    outcome = kb.match(question)
    assert isinstance(outcome, NotKnown)
    assert outcome.question == question


def test_scores_are_percentages_and_the_best_comes_first(kb: KnowledgeBase) -> None:
    ranked = kb.matcher.rank("how do I find a floorwalker")
    assert ranked and all(0 < c.score <= 100 for c in ranked)
    assert ranked[0].score >= ranked[-1].score


def test_hostile_or_huge_input_is_judged_not_crashed_on(kb: KnowledgeBase) -> None:
    assert answered(kb.match("what is snomed " + "blah " * 20_000)) is None  # mostly unexplained words
    assert answered(kb.match("snomed?" + " " * 50_000)) == "snomed-ct"
    for odd in ("<!channel> \x00\u202e", "🙂" * 1000, "a&b&c&&&", ". . . . ."):
        assert answered(kb.match(odd)) is None


def test_a_mangled_word_is_read_in_the_context_of_a_name_that_otherwise_fits(kb: KnowledgeBase) -> None:
    mangled = kb.matcher.rank("chief nursing information offer")[0]  # autocorrect's real word
    unrelated = kb.matcher.rank("chief nursing information banana")[0]
    assert mangled.entry.id == unrelated.entry.id == "cnio"
    assert mangled.score > unrelated.score + 10
    assert answered(kb.match("an offer for nursing staff")) is None  # the same word with nothing around it


def test_a_leader_that_explains_all_the_runner_up_does_and_more_is_answered_despite_a_close_score(
    kb: KnowledgeBase,
) -> None:
    ranked = kb.matcher.rank("log an ssue")  # 'isse' is now heard as 'issue' beside 'log', no close call
    assert [c.entry.id for c in ranked[:2]] == ["log-an-issue", "check-issue"]
    assert ranked[0].score - ranked[1].score < kb.matcher.tuning.margin  # a close call on scores alone
    assert answered(kb.match("log an ssue")) == "log-an-issue"  # but 'check' is left over in the other


SMARTCARDS = [
    entry("smartcard", "jargon", "NHS smartcard", "The chip card you sign in with.", "smartcard"),
    entry("smartcard-not-working", "howto", "What do I do if my smartcard isn't working?",
          "Try another card reader, then ring the service desk."),
    entry("ask-the-bot", "howto", "How do I ask the bot a question?",
          "Mention it or send it a direct message."),
]  # fmt: skip


def test_a_long_mistyped_word_is_read_as_the_word_it_was_meant_to_be_not_dropped_or_joined() -> None:
    kb = KnowledgeBase.build(SMARTCARDS)
    assert answered(kb.match("smartcard not wrking")) == "smartcard-not-working"
    typed, meant = (
        kb.matcher.rank("how do i ask teh bot somthing"),
        kb.matcher.rank("how do i ask the bot something"),
    )
    assert typed[0].entry.id == "ask-the-bot"
    assert typed[0].score == pytest.approx(meant[0].score, abs=5)  # a slip of a filler word is filler


FEEDBACK = entry(
    "give-feedback", "howto", "How do I give feedback on the system?", "Use the form on the intranet."
)


def test_an_everyday_word_reaches_the_system_word_an_entry_uses_but_the_entrys_own_word_counts_more() -> None:
    kb = KnowledgeBase.build([*ENTRIES, FEEDBACK])
    assert answered(kb.match("I have a suggestion about the system")) == "give-feedback"
    related = kb.matcher.rank("I have a suggestion about the system")[0].score
    assert kb.matcher.rank("I have some feedback about the system")[0].score > related


@pytest.mark.parametrize(
    ("question", "expected", "outcome"),
    [
        ("what do I check before giving platelets", "transfusion", Suggestions),
        ("it keeps nagging me about the clot risk thing", "vte", Suggestions),
        ("how do I book someone in for an operation", "theatre", Answer),
    ],
)
def test_the_words_staff_use_for_clinical_things_reach_the_terms_entries_use(
    question: str, expected: str, outcome: type
) -> None:
    """Without the relation the first two are 'I don't know' and the last a mere suggestion."""
    kb = KnowledgeBase.build(
        [
            entry(
                "transfusion", "howto", "Blood transfusion checks", "Two staff check the unit at the bedside."
            ),
            entry(
                "vte", "howto", "VTE assessment", "Assess every admission for venous thromboembolism risk."
            ),
            entry("theatre", "howto", "How do I book a theatre slot?", "Add the patient to the list."),
            entry("find-patient", "howto", "How do I find a patient?", "Search by NHS number."),
        ]
    )
    assert isinstance(kb.match(question), outcome)
    assert kb.matcher.rank(question)[0].entry.id == expected


def test_a_real_word_that_stands_where_a_names_word_does_is_read_as_that_word() -> None:
    kb = KnowledgeBase.build(
        [
            entry("cloud", "jargon", "Cloud computing", "Systems run in someone else's data centre."),
            entry("ecdl", "jargon", "European Computer Driving Licence (ECDL)", "A computer skills course."),
        ]
    )
    assert answered(kb.match("clown computing")) == "cloud"  # autocorrect's word, beside 'computing'
    in_place, elsewhere = kb.matcher.rank("clown computing")[0], kb.matcher.rank("computing clown")[0]
    assert in_place.score > elsewhere.score + 10  # the same word, not where the name has its word


def test_a_short_word_a_few_letters_like_a_names_word_is_not_taken_for_it() -> None:
    kb = KnowledgeBase.build([entry("book-training", "howto", "How do I book training?", "On the portal.")])
    assert answered(kb.match("can you book me a taxi")) is None


def test_a_word_heard_like_a_names_word_counts_where_it_stands_in_place() -> None:
    kb = KnowledgeBase.build(
        [
            entry("hazard-log", "jargon", "Hazard log", "The register of clinical risks."),
            entry("account-locked", "howto", "What do I do if my account is locked?", "Ring the desk."),
        ]
    )
    assert answered(kb.match("what is a hazard lock")) == "hazard-log"  # dictation's 'lock' for 'log'
    assert answered(kb.match("what is a lock hazard")) != "hazard-log"


def test_a_word_the_knowledge_base_never_uses_left_unexplained_stops_a_confident_answer() -> None:
    golive = entry("golive-date", "howto", "When is go-live?", "On 1 March.", "how many days until go-live")
    kb = KnowledgeBase.build([*ENTRIES, golive])
    assert answered(kb.match("how many days until go-live")) == "golive-date"
    outcome = kb.match("how many days until christmas")  # the alias fits all but the word it is about
    assert kb.matcher.rank("how many days until christmas")[0].score >= kb.matcher.tuning.answer_at
    assert not isinstance(outcome, Answer)


def test_a_question_that_spells_out_a_whole_name_gets_that_entry_whatever_its_form() -> None:
    kb = KnowledgeBase.build(
        [
            entry("golive-date", "howto", "When is go-live?", "On 1 March.", "go-live date"),
            entry("golive-phase", "jargon", "Go-live phase", "The weeks around the switch-on.", "go-live"),
        ]
    )
    assert answered(kb.match("what is the go live date")) == "golive-date"  # 'what is', of a how-to
    assert answered(kb.match("what is go live")) == "golive-phase"  # both spelled out: the form decides
    assert answered(kb.match("when's go-live")) == "golive-date"  # "when is", apostrophe and all
    assert answered(kb.match("wens go live")) == "golive-date"


def test_the_last_part_of_a_word_written_joined_finds_the_whole_word() -> None:
    kb = KnowledgeBase.build(SMARTCARDS)
    card, pen = kb.matcher.rank("my card is not working")[0], kb.matcher.rank("my pen is not working")[0]
    assert card.entry.id == "smartcard-not-working"
    assert card.score > pen.score + 5  # 'card' is the head of 'smartcard'; 'pen' is nothing here


COMMUNITY = [
    entry("lone-working", "jargon", "Lone working", "Visiting patients on your own.", "lone worker"),
    entry("lone-check-in", "howto", "How do I say I'm safe after a visit?", "Tap Safe on the app.",
          "lone worker check in"),
    entry("phone-contact", "howto", "How do I record a telephone contact?", "Use the contact form.",
          "phone call note"),
    entry("find-patient", "howto", "How do I find a patient?", "Use the search bar.",
          "can't find a service user"),
    entry("request-device", "howto", "How do I get a tablet for community work?", "Ask your manager.",
          "broken tablet replacement"),
    entry("carer-access", "howto", "How do I share the care plan with a parent or carer?", "Print it."),
]  # fmt: skip


def test_the_doer_of_a_task_is_found_from_the_task_work_for_worker() -> None:
    kb = KnowledgeBase.build(COMMUNITY)
    working, worker = kb.matcher.rank("lone working check in")[0], kb.matcher.rank("lone workers check in")[0]
    assert working.entry.id == worker.entry.id == "lone-check-in"
    assert working.score > worker.score - 12  # 'working' explains 'worker' nearly as well as itself


def test_service_user_is_read_as_patient_not_as_two_words_about_users_and_services() -> None:
    kb = KnowledgeBase.build(COMMUNITY)
    assert answered(kb.match("just had a call with a service user, how do i note it")) == "phone-contact"
    assert answered(kb.match("how do I find a service user")) == "find-patient"


RECORDS = [
    *COMMUNITY,
    entry("depot", "jargon", "Depot injection", "A long-acting injectable medicine."),
    entry("wrong-record", "howto", "How do I correct a note written in the wrong record?", "Ask."),
]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("my ipad is smashed", "request-device"),
        ("what is the jab", "depot"),
        ("how do I fix it", "wrong-record"),
    ],
)
def test_everyday_words_reach_the_words_entries_use(question: str, expected: str) -> None:
    kb = KnowledgeBase.build(RECORDS)
    ranked = kb.matcher.rank(question)
    assert ranked and ranked[0].entry.id == expected
    assert not kb.matcher.rank("my banana is squashed")


def test_an_entry_in_a_record_is_read_as_a_note() -> None:
    kb = KnowledgeBase.build(RECORDS)
    entry_note, unrelated = kb.matcher.rank("a wrong entry")[0], kb.matcher.rank("a wrong banana")[0]
    assert entry_note.entry.id == "wrong-record"
    assert entry_note.score > unrelated.score + 5


def test_an_everyday_word_the_entries_relate_to_is_not_mistaken_for_a_slip_of_a_filler_word() -> None:
    kb = KnowledgeBase.build(COMMUNITY)
    assert kb.matcher.rank("can mum see it")[0].entry.id == "carer-access"  # not 'umm'


CLINICAL = [
    entry("record-obs", "howto", "How do I record physical observations?", "Use the obs chart.",
          "record blood pressure and pulse"),
    entry("clozapine", "jargon", "Clozapine monitoring", "Blood tests before each supply."),
    entry("discharge-from-team", "howto", "How do I discharge someone from the team?", "Close the referral.",
          "close a referral"),
]  # fmt: skip


def test_clinical_shorthand_meets_the_words_entries_spell_out() -> None:
    kb = KnowledgeBase.build(CLINICAL)
    assert answered(kb.match("how do I record BP and pulse")) == "record-obs"


def test_a_word_autocorrect_split_into_real_words_is_read_whole() -> None:
    kb = KnowledgeBase.build(CLINICAL)
    assert answered(kb.match("close pine monitoring")) == "clozapine"
    joined, half = kb.matcher.rank("close pine monitoring")[0], kb.matcher.rank("pine monitoring")[0]
    assert joined.score > half.score + 10  # half the word alone is not the word


@pytest.mark.parametrize("question", ["what is snow med", "snow med codes"])
def test_a_split_whose_second_half_is_shorthand_or_ends_like_a_past_tense_is_read_whole(
    question: str,
) -> None:
    kb = KnowledgeBase.build(
        [
            *CLINICAL,
            entry(
                "snomed-ct",
                "jargon",
                "SNOMED CT",
                "The clinical vocabulary: every finding has a code.",
                "SNOMED",
            ),
            entry(
                "mfa",
                "jargon",
                "Multi-factor authentication",
                "A code from your phone as well as a password.",
            ),
            entry("epma", "jargon", "ePrescribing", "Prescribing medication on the computer.", "meds chart"),
        ]
    )  # 'med' is shorthand for medication, and 'snowmed' stems to 'snowm'
    assert answered(kb.match(question)) == "snomed-ct"


def test_a_word_split_after_a_filler_word_is_read_whole_when_it_spells_a_name_closely() -> None:
    kb = KnowledgeBase.build(
        [
            *CLINICAL,
            entry("offline", "howto", "How do I record a home visit offline?",
                  "Use the offline app when there is no signal, and it syncs later."),
            entry("record-dna", "howto", "How do I record a DNA at a home visit?", "Record it as a DNA."),
            entry("remote", "howto", "How do I work from home?", "Use remote access on a trust laptop."),
        ]
    )  # fmt: skip
    assert answered(kb.match("how do I record a home visit off lime")) == "offline"


def test_a_word_one_name_repairs_is_no_stray_when_another_name_of_the_entry_fits_better() -> None:
    kb = KnowledgeBase.build(
        [
            *CLINICAL,
            entry(
                "tablet-sync",
                "howto",
                "Tablet won't sync",
                "Connect to wifi and wait.",
                "notes stuck on tablet",
            ),
            entry("request-device", "howto", "How do I get a tablet?", "Ask your manager."),
        ]
    )
    assert answered(kb.match("tablet won't sink, my notes are stuck")) == "tablet-sync"  # 'sink': sync, heard


def test_nobody_at_the_door_of_a_home_visit_is_a_did_not_attend() -> None:
    kb = KnowledgeBase.build(
        [
            *CLINICAL,
            entry("record-dna", "howto", "How do I record a DNA?", "Mark the visit as did not attend."),
        ]
    )
    assert answered(kb.match("how do I record it when nobody answers the door?")) == "record-dna"


@pytest.mark.parametrize(
    ("question", "expected"),
    [("how do u record a telephne contact", "phone-contact"), ("how do i report a probelm", "log-an-issue")],
)
def test_a_typo_of_a_word_shorthand_rewrites_is_mended_before_it_is_rewritten(
    question: str, expected: str
) -> None:
    phone = entry("phone-contact", "howto", "How do I record a telephone contact?", "Add a contact note.")
    assert answered(KnowledgeBase.build([*ENTRIES, phone]).match(question)) == expected  # 'phone', 'issue'


DICTATED = [
    entry("depot", "jargon", "Depot injection", "A long-acting injection given every few weeks."),
    entry("news2", "jargon", "NEWS2", "The early warning score from a patient's observations."),
    entry("deep-vein", "jargon", "Deep vein thrombosis", "A clot in a deep vein."),
    entry("news", "howto", "Where do I find go-live news?", "In the updates channel."),
    entry("caldicott", "jargon", "Caldicott Guardian", "The senior person who protects patient data."),
    entry("meridian", "jargon", "Meridian", "The community system the district nurses use."),
    entry("theatre", "howto", "How do I book a theatre slot?", "Ask the theatre coordinator."),
    entry("clozapine", "jargon", "Clozapine", "An antipsychotic that needs regular blood tests."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what's a deep pot injection", "depot"),
        ("what is news to", "news2"),
    ],
)
def test_two_words_dictation_made_of_one_name_word_are_heard_as_it(question: str, expected: str) -> None:
    assert answered(KnowledgeBase.build(DICTATED).match(question)) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what is merry dean", "meridian"),
        ("who is the cold a cot guardian", "caldicott"),
        ("who is the called a cot guardian", "caldicott"),
        ("what is clothes a pine", "clozapine"),  # 'clothes' is said 'cloze'
    ],
)
def test_words_that_sound_like_one_name_word_are_heard_as_it(question: str, expected: str) -> None:
    assert answered(KnowledgeBase.build(DICTATED).match(question)) == expected


def test_words_that_sound_like_a_name_word_but_for_one_consonant_in_its_place_stay_apart() -> None:
    kb = KnowledgeBase.build(
        [
            entry("workaround", "jargon", "Workaround", "A way round a problem until it is fixed."),
            entry("ward-round", "jargon", "Ward round view", "The screen doctors use on the ward round."),
        ]
    )
    assert answered(kb.match("ward rond view")) != "workaround"


def test_a_known_word_heard_in_place_of_a_name_word_is_read_as_it() -> None:
    kb = KnowledgeBase.build(
        [
            *ENTRIES,
            entry("tap-and-go", "jargon", "Tap and go", "Tap your smartcard on the reader to log in."),
            entry("browser", "howto", "How do I open the portal?", "Open a new tab in the browser."),
        ]
    )
    assert answered(kb.match("how does tab and go work")) == "tap-and-go"  # 'tab' is a word here too


def test_a_word_the_knowledge_base_lacks_heard_in_place_of_a_name_word_is_read_as_it() -> None:
    track = entry("track-board", "jargon", "Track board", "The screen showing every patient in the ward.")
    kb = KnowledgeBase.build([*ENTRIES, track])
    assert answered(kb.match("where's the trak board on the ward")) == "track-board"  # 'trak' beside 'board'


def test_a_close_leader_whose_answer_alone_holds_a_whole_name_the_question_asks_is_not_answered() -> None:
    """'happening' is rare among the entries, so the entry with 'what happened to my issue' leads, its
    answer's `/golive` command standing for 'go live'; but the question names 'When is go-live?' whole."""
    issue = next(e for e in ENTRIES if e.id == "check-issue")
    kb = KnowledgeBase.build(
        [
            *(e for e in ENTRIES if e is not issue),
            replace(issue, aliases=(*issue.aliases, "what happened to my issue")),
            entry("golive-date", "howto", "When is go-live?", "See the go-live channel.", "go-live date"),
            entry("golive-updates", "howto", "Where do I find go-live updates?",
                  "Briefings go to the go-live channel.", "what's happening with the new changeover"),
        ]
    )  # fmt: skip
    outcome = kb.match("when is go live happening")
    assert isinstance(outcome, Suggestions)
    assert "golive-date" in [c.entry.id for c in outcome.candidates]


def test_a_filler_word_and_a_word_that_only_sound_like_a_name_word_stay_apart() -> None:
    assert answered(KnowledgeBase.build(DICTATED).match("what is the water review")) != "theatre"


def test_a_words_first_letter_is_no_letter_read_out() -> None:
    kb = KnowledgeBase.build(
        [
            entry("ice", "jargon", "ICE", "The system for ordering tests."),
            entry("e-learning", "jargon", "E-learning", "Training modules you do online."),
        ]
    )
    assert kb.matcher.rank("can I see e-learning")[0].entry.id == "e-learning"  # not 'I see e': ICE


def test_an_acronym_said_as_a_word_and_written_as_the_words_it_sounds_like_is_read_as_it() -> None:
    kb = KnowledgeBase.build(
        [
            *DICTATED,
            entry("amhp", "jargon", "AMHP", "The professional who arranges assessments."),
        ]
    )
    assert answered(kb.match("what is an am hip")) == "amhp"


def test_a_word_and_to_are_a_number_only_where_the_question_ends() -> None:
    assert answered(KnowledgeBase.build(DICTATED).match("any news to share")) != "news2"


def test_a_word_and_to_are_a_number_before_a_word_of_the_numbered_names_own() -> None:
    scored = entry("news2", "jargon", "NEWS2", "Adds up the obs.", "national early warning score")
    kb = KnowledgeBase.build([*DICTATED[:1], scored, *DICTATED[2:]])
    assert answered(kb.match("what is the news to score")) == "news2"
    assert answered(kb.match("any news to share")) != "news2"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what's an I see bee", "icb"),
        ("what is pee are en", "prn"),
        ("what is pee are in", "prn"),
        ("what is a tea to oh", "tto"),
        ("i see you later", None),
    ],
)
def test_letters_read_out_spell_an_acronym_but_a_sentence_of_everyday_words_does_not(
    question: str, expected: str
) -> None:
    kb = KnowledgeBase.build(
        [
            entry(
                "icb", "jargon", "Integrated care board (ICB)", "The NHS body that plans and pays for care."
            ),
            entry("prn", "jargon", "PRN", "A medicine given when needed."),
            entry("tto", "jargon", "TTO", "The medicines a patient takes home."),
            entry("icu", "jargon", "Intensive care unit (ICU)", "The unit for the sickest patients."),
            entry("ice", "jargon", "ICE", "The system for ordering tests."),
            entry("e-learning", "jargon", "E-learning", "Training modules you do online."),
        ]
    )
    assert answered(kb.match(question)) == expected


def test_a_word_that_lost_its_silent_e_to_a_suffix_meets_the_whole_word() -> None:
    kb = KnowledgeBase.build(CLINICAL)
    assert kb.matcher.vocabulary.lookup(kb.matcher.analyzer.stem("closed"))[0] == ("close", 0.95)
    assert kb.matcher.vocabulary.lookup(kb.matcher.analyzer.stem("closing"))[0] == ("close", 0.95)


def evidence(explains: dict[int, float], named: set[int], recall: float) -> Evidence:
    shares = (0.4, 0.4, 0.2)
    return Evidence.of(explains, {i: explains[i] for i in named}, recall, shares, frozenset(), {}, solid=0.5)


def test_a_close_call_goes_to_the_leader_that_also_explains_what_its_rival_leaves_unexplained() -> None:
    rival = evidence({0: 1.0, 1: 1.0}, {0, 1}, recall=0.8)  # the same name hits, one word unexplained
    leader = evidence({0: 1.0, 1: 1.0, 2: 0.8}, {0, 1}, recall=0.7)  # that word is in its answer
    assert leader.outdoes(rival, recall_lead=0.15, named_lead=0.05)
    assert not rival.outdoes(leader, recall_lead=0.15, named_lead=0.05)


def test_a_clock_time_in_the_small_hours_asks_for_help_at_night() -> None:
    kb = KnowledgeBase.build(
        [
            entry("night-help", "howto", "Who do I call out of hours?", "Ring the on-call line.",
                  "help at night"),
            entry("first-login", "howto", "How do I log in for the first time?", "Use the letter.",
                  "access to the EPR"),
        ]
    )  # fmt: skip
    assert answered(kb.match("who can help with the EPR at 3am")) == "night-help"
    assert answered(kb.match("who can help with the EPR at 3 am")) == "night-help"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("I can't remember my password", "forgotten-password"),
        ("I am not able to log an issue", "log-an-issue"),
    ],
)
def test_words_that_only_colour_a_question_do_not_count_against_it(
    kb: KnowledgeBase, question: str, expected: str
) -> None:
    assert answered(kb.match(question)) == expected


def test_a_real_word_one_letter_from_a_colouring_word_is_not_taken_for_it() -> None:
    assert stop_word_slip("rest") is None  # not 'best'
    assert stop_word_slip("kelp") is None  # not 'keep'


def test_swapping_is_switching_and_obtaining_is_getting() -> None:
    kb = KnowledgeBase.build(
        [
            entry("switch-ward", "howto", "How do I switch ward in the system?", "Pick it from the top bar."),
            entry("interop", "jargon", "Interoperability", "Systems that share and exchange data."),
            entry("get-card", "howto", "How do I get a smartcard?", "Book with the registration team."),
        ]
    )
    assert answered(kb.match("how do I swap wards on the system")) == "switch-ward"
    assert answered(kb.match("where can I obtain a smartcard")) == "get-card"


def test_a_word_is_not_found_inside_a_longer_one_that_only_starts_with_a_filler_word() -> None:
    kb = KnowledgeBase.build(
        [
            entry("forward-view", "jargon", "Five year forward view", "The NHS plan of 2014."),
            entry("smartcard", "jargon", "Smartcard", "The chip card you sign in with."),
        ]
    )
    assert kb.matcher.vocabulary.lookup("ward") == ()  # 'for' + 'ward' is no kind of ward
    assert "smartcard" in [term for term, _ in kb.matcher.vocabulary.lookup("card")]


def test_a_word_spelt_right_is_read_as_itself_and_autocorrects_word_by_the_name_around_it() -> None:
    kb = KnowledgeBase.build(
        [
            entry("training", "howto", "How do I book training?", "Courses run at the education centre."),
            entry("mar", "jargon", "Medication administration record", "Where doses are signed for."),
            entry("cso", "jargon", "Clinical safety officer", "Makes sure the system is used safely."),
        ]
    )
    assert kb.matcher.vocabulary.lookup("medication") == (("medication", 1.0),)  # not 'education'
    assert [c.entry.id for c in kb.matcher.rank("medication")] == ["mar"]
    assert answered(kb.match("clinical safely officer")) == "cso"  # repaired in the context of the name


def test_an_entry_of_the_kind_the_question_does_not_ask_for_needs_its_name_mostly_spelled_out() -> None:
    kb = KnowledgeBase.build(
        [
            entry("clozapine", "jargon", "Clozapine monitoring", "Regular blood tests before each supply.",
                  "clozapine blood monitoring"),
            entry("record-obs", "howto", "How do I record observations?", "Use the obs chart."),
        ]
    )  # fmt: skip
    assert answered(kb.match("how do I do a blood test")) is None  # a how-to, half-named by a term
    assert answered(kb.match("how does clozapine blood monitoring work")) == "clozapine"


def test_only_words_that_stand_for_one_another_are_related_not_merely_words_of_one_field() -> None:
    kb = KnowledgeBase.build(
        [
            entry("lims", "jargon", "LIMS", "The laboratory system that holds results.", "lab system"),
            entry("rejected", "howto", "What do I do if the lab rejects a sample?", "Take a new one."),
        ]
    )
    assert kb.matcher.rank("the lab sent my sample back")[0].entry.id == "rejected"  # a sample is no lab


CODES = [
    entry("icd-10", "jargon", "ICD-10", "The WHO classification of diseases, in 5 volumes.", "ICD"),
    entry("opcs-4", "jargon", "OPCS-4", "The NHS classification of procedures.", "OPCS"),
    entry("camhs", "jargon", "CAMHS", "Mental health services in 5 regions for children up to 18."),
    entry("mha", "jargon", "Mental Health Act section", "Detention, such as section 2 or 3, for 5 days."),
]  # fmt: skip


@pytest.mark.parametrize("question", ["what is icd 11", "icd11", "opcs 5", "section 18"])
def test_a_number_that_names_another_thing_is_not_answered_with_its_neighbour(question: str) -> None:
    assert answered(KnowledgeBase.build(CODES).match(question)) is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [("what is icd 10", "icd-10"), ("icd10", "icd-10"), ("explain opcs 4 like I'm 5", "opcs-4")],
)
def test_a_number_that_counts_or_that_the_entry_names_leaves_the_answer(question: str, expected: str) -> None:
    assert answered(KnowledgeBase.build(CODES).match(question)) == expected


NUMBERED = [
    entry("nhs-111", "jargon", "NHS 111", "The urgent advice line, open all day and night."),
    entry("updates", "howto", "Where do I find go-live updates?", "In the channel.", "top 10 at 10"),
    entry("nhs-number", "jargon", "NHS number", "The 10 digit number that identifies each patient."),
    entry("arrest", "howto", "How do I call the arrest team?", "Ring 2222 and say where you are.", "2222"),
]


@pytest.mark.parametrize(
    ("question", "expected"),
    [("10", None), ("what is 10", None), ("10?", None), ("111", "nhs-111"), ("what is 111", "nhs-111"),
     ("2222", "arrest"), ("10 digit number", "nhs-number")],
)  # fmt: skip
def test_a_number_alone_names_only_what_it_is_the_number_of(question: str, expected: str | None) -> None:
    """In a title or as a whole name a number names its entry; elsewhere it counts ('top 10 at 10', 'a
    10 digit number'), and a question of that number alone is about something else."""
    outcome = KnowledgeBase.build(NUMBERED).match(question)
    assert answered(outcome) == expected
    if expected is None:
        assert isinstance(outcome, NotKnown)


@pytest.mark.parametrize("rival", [False, True])
def test_an_entry_only_its_answer_text_recommends_is_answered_only_when_no_other_comes_near(
    rival: bool,
) -> None:
    """An answer mentions many things it is not about: its words alone single out an entry only where
    no other entry's words explain the question about as well."""
    entries = [
        entry("camhs", "jargon", "CAMHS", "Mental health services for children and young people."),
        entry("floorwalker", "jargon", "Floorwalker", "A helper on the wards during go-live."),
    ]
    if rival:
        entries.append(
            entry("eating", "jargon", "ED", "Mental health services for young people who stop eating.")
        )
    outcome = KnowledgeBase.build(entries).match("mental health services for young people")  # answer words
    if rival:
        assert isinstance(outcome, Suggestions) and outcome.candidates[0].entry.id == "camhs"
    else:
        assert answered(outcome) == "camhs"


@pytest.mark.parametrize(
    ("question", "expected"),
    [("discontinue a medication", "stop-med"), ("search for a patient", "find-patient")],
)
def test_a_task_asked_with_another_verb_finds_the_entry_for_it(question: str, expected: str) -> None:
    kb = KnowledgeBase.build(
        [
            entry("stop-med", "howto", "How do I stop a medication?", "End the prescription on the chart."),
            entry("find-patient", "howto", "How do I find a patient?", "Type the name in the top bar."),
            entry("give-med", "howto", "How do I give a medication?", "Sign for it on the chart."),
        ]
    )
    assert answered(kb.match(question)) == expected


def test_a_number_explained_without_the_word_it_belongs_to_is_another_things_number() -> None:
    kb = KnowledgeBase.build(
        [
            entry("news2", "jargon", "NEWS2", "The early warning score; news of a sick patient."),
            entry("mha", "jargon", "Mental Health Act section", "Detention.", "section 2", "section 3"),
            *(entry(f"bulletin-{n}", "jargon", f"Bulletin {n}", "The news this week.") for n in "abcd"),
        ]
    )
    assert answered(kb.match("section 3")) == "mha"
    assert answered(kb.match("news 3")) is None  # a 3 of news, not of a section


ALERTS = [
    entry("cds", "jargon", "Clinical decision support (CDS)",
          "Alerts and prompts in the record: allergy warnings, sepsis alerts, order sets.",
          "sepsis alerts", "allergy warnings"),
    entry("s17", "jargon", "Section 17 leave", "Leave from the ward for a detained patient."),
]  # fmt: skip


def test_naming_only_what_qualifies_a_term_asks_about_something_else() -> None:
    kb = KnowledgeBase.build(ALERTS)
    assert answered(kb.match("what is sepsis")) is None  # the clinical condition, not the alert
    assert [c.entry.id for c in kb.match("what is sepsis").candidates] == ["cds"]  # type: ignore[union-attr]
    assert answered(kb.match("what are sepsis alerts")) == "cds"
    assert answered(kb.match("what is section 17")) == "s17"  # a number names the thing by itself


def test_a_past_form_of_an_irregular_verb_meets_the_verb_the_entry_uses() -> None:
    kb = KnowledgeBase.build(
        [
            entry("duplicates", "jargon", "Duplicate patient records",
                  "One patient with two records. If you find one, log an issue so they are merged."),
            entry("not-found", "howto", "How do I register a patient I cannot find?",
                  "Search again, then register them.", "patient not found"),
        ]
    )  # fmt: skip
    assert answered(kb.match("duplicate patient record found, what do I do")) == "duplicates"


@pytest.mark.parametrize(
    "question",
    [
        "any idea what a floorwalker is",
        "tell me about floorwalkers",
        "floorwalker explained",
        "eli5 floorwalker",
        "remind me what a floorwalker is",
        "could someone clarify what a floorwalker is",
    ],
)
def test_chat_ways_of_asking_what_something_is_get_it(question: str) -> None:
    feedback = entry("give-feedback", "howto", "How do I give feedback?", "Use the form.", "I have an idea")
    assert answered(KnowledgeBase.build([*ENTRIES, feedback]).match(question)) == "floorwalker"


@pytest.mark.parametrize("question", ["how do I book training asap", "how do I book training x"])
def test_urgency_and_a_kiss_colour_a_question_without_changing_it(question: str) -> None:
    training = entry("book-training", "howto", "How do I book training?", "Use the learning portal.")
    assert answered(KnowledgeBase.build([*SMARTCARDS, training]).match(question)) == "book-training"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what's a floorwalker in plain English?", "floorwalker"),
        ("how do i find a floorwalker by 10am", "find-floorwalker"),
        ("can sum1 tell me how to log an issue", "log-an-issue"),
        ("whats the best way to log an issue", "log-an-issue"),  # 'the way to' asks how
        ("is there a way to find a floorwalker", "find-floorwalker"),
        ("who do i contact out of hours on ward 7", "out-of-hours"),  # a ward's number, not a section's
        ("how do I find a floorwalker on Monday", "find-floorwalker"),  # a weekday: when, not what
    ],
)
def test_chat_shorthand_and_times_of_the_working_day_say_nothing_of_the_topic(
    question: str, expected: str
) -> None:
    assert answered(KnowledgeBase.build(ENTRIES).match(question)) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("when is go-live? please help", "golive-date"),
        ("help!!! when is go-live", "golive-date"),
        ("how do i get a smartcard please help", "get-a-smartcard"),
        ("phone number for help", "24-hour-contact"),  # a bare 'help' may be the topic
        ("I need urgent help", "get-help-now"),
        ("I need help", "get-help-now"),
        ("please help me", "get-help-now"),
    ],
)
def test_a_cry_for_help_around_a_question_asks_for_its_answer_not_for_help(
    question: str, expected: str
) -> None:
    kb = KnowledgeBase.load(Path(__file__).resolve().parent.parent / "knowledge")  # its help entry is rich
    assert answered(kb.match(question)) == expected


def test_a_slip_that_is_a_real_word_is_read_by_the_phrase_it_stands_in() -> None:
    dose = entry("record-dose", "howto", "How do I record a dose?", "Tick it on the drug chart.")
    assert answered(KnowledgeBase.build([*ENTRIES, dose]).match("what dose BAU mean")) == "bau"


def test_a_knowledge_base_with_few_aliases_answers_at_a_lower_score_than_one_with_many() -> None:
    bare = [entry(e.id, e.kind, e.title, e.answer) for e in ENTRIES]
    rich = [entry(e.id, e.kind, e.title, e.answer, *(f"{e.title} {n}" for n in range(8))) for e in ENTRIES]
    sparse_at, rich_at = (KnowledgeBase.build(es).matcher.tuning.answer_at for es in (bare, rich))
    assert sparse_at < rich_at  # titles alone cover fewer of the ways a question is put


def test_greeting_the_bot_or_saying_ones_pay_band_leaves_the_question_to_what_follows() -> None:
    kb = KnowledgeBase.load(Path(__file__).resolve().parent.parent / "knowledge")  # its bot entry is rich
    assert answered(kb.match("hey bot how do I book training")) == "book-training"
    assert answered(kb.match("how do i book trainig for the new epr, im a band 5")) == "book-training"
    assert isinstance(kb.match("hey bot"), NotKnown)  # greeting it and nothing else: small talk, greeted back
    assert isinstance(kb.match("morning bot how's your day going"), NotKnown)  # not the go-live day


def test_the_first_word_of_an_entrys_title_names_the_entry_where_an_aliass_does_not() -> None:
    kb = KnowledgeBase.build(
        [
            *ALERTS,
            entry(
                "caldicott", "jargon", "Caldicott Guardian", "The senior person who protects patient data."
            ),
            entry("cloud", "jargon", "Cloud computing", "Systems run in a supplier's data centre."),
        ]
    )
    assert answered(kb.match("Caldicott")) == "caldicott"  # a trust that wrote no aliases
    assert answered(kb.match("what is cloud?")) == "cloud"
    assert answered(kb.match("what is sepsis")) is None  # 'sepsis alerts' is only an alias of CDS


def test_a_question_that_speaks_to_the_bot_is_about_the_bot_but_thanks_are_not_a_question() -> None:
    kb = KnowledgeBase.build(SMARTCARDS)
    assert answered(kb.match("what can you do?")) == "ask-the-bot"
    assert answered(kb.match("who are u")) == "ask-the-bot"
    assert isinstance(kb.match("thank you"), NotKnown)
    helped = KnowledgeBase.build([*SMARTCARDS, entry("get-help", "howto", "How do I get help?", "Ask.")])
    thanked = helped.match("thanks so much for the help, you're a star")
    assert isinstance(thanked, NotKnown) and not thanked.near  # no 'Did you mean' for thanks
    assert isinstance(KnowledgeBase.build(ENTRIES[:3]).match("what can you do"), NotKnown)  # no bot entry


def test_a_closing_acronym_is_a_suffix_not_the_thing_named() -> None:
    kb = KnowledgeBase.build([entry("snomed-ct", "jargon", "SNOMED CT", "The shared clinical vocabulary.")])
    assert answered(kb.match("what is snomed")) == "snomed-ct"


def test_a_negated_word_is_not_the_word() -> None:
    """'non-emergency' in a name must not make an emergency question look answered by it."""
    kb = KnowledgeBase.build(
        [
            entry("nhs-111", "jargon", "NHS 111",
                  "For urgent needs that are not emergencies; it may send people to an emergency department.",
                  "the non-emergency phone line"),
            entry("downtime", "howto", "What do I do when the system is down?", "Use the paper forms."),
        ]
    )  # fmt: skip
    assert answered(kb.match("what is the non emergency line")) == "nhs-111"
    assert answered(kb.match("what is an emergency")) is None
    assert answered(kb.match("what is A&E")) is None


def test_an_acronym_that_is_also_a_common_word_counts_where_it_is_written_in_capitals() -> None:
    kb = KnowledgeBase.build(
        [
            entry("it-desk", "howto", "IT service desk", "Ring the IT service desk on 4444."),
            entry("it", "jargon", "IT", "The information technology department."),
            entry("who", "jargon", "WHO", "The World Health Organization."),
            entry("us", "jargon", "US", "An ultrasound scan.", "ultrasound"),
            entry("on-call", "jargon", "On call", "Staff you can ring out of hours."),
            entry("checklist", "jargon", "WHO surgical safety checklist", "Checks before, during and after."),
            entry("nhs-it", "jargon", "NHS IT", "The national bodies for health technology."),
        ]
    )
    assert answered(kb.match("what is NHS IT")) == "nhs-it"  # a name in capitals is a name, not shouting
    assert [answered(kb.match(q)) for q in ("what is IT", "what is WHO", "US")] == ["it", "who", "us"]
    assert answered(kb.match("who do I call in IT")) != "on-call"  # IT is what is asked about
    assert answered(kb.match("the IT service desk number")) == "it-desk"
    assert answered(kb.match("who is on call")) == "on-call"  # a common word in lower case is just that
    assert answered(kb.match("WHO IS ON CALL")) == "on-call"  # capitals throughout only shout
    assert answered(kb.match("WHO is on call?")) == "on-call"  # a question word opening it asks
    assert answered(kb.match("the who surgical safety checklist")) == "checklist"  # WHO in lower case


def test_a_title_made_only_of_common_words_is_answered_when_asked_word_for_word() -> None:
    kb = KnowledgeBase.build(
        [
            entry("whos-who", "jargon", "Who's who", "The programme's roles and who holds them."),
            entry("downtime", "howto", "What do I do if the system is down?", "Use the paper forms."),
        ]
    )
    assert [answered(kb.match(q)) for q in ("whos who", "Who's who?")] == ["whos-who"] * 2
    assert [answered(kb.match(q)) for q in ("what do i do", "what is it")] == [None] * 2  # asks nothing


NUMBERED_PLACES = [
    entry(
        f"{place}-{n}",
        "howto",
        f"{place.capitalize()} {n} {topic}",
        f"The {topic} of {place} {n} is kept here.",
    )
    for place, topic in (("ward", "phone number"), ("bleep", "holder"), ("phase", "go-live date"))
    for n in (1, 2, 3, 4, 7, 12)
]


@pytest.mark.parametrize("numbered", NUMBERED_PLACES, ids=lambda e: e.id)
def test_a_title_that_names_a_place_or_phase_by_number_is_told_from_its_siblings(numbered: Entry) -> None:
    """'on ward 4' is where someone is, and '2' or '4' is usually chat ('how 2', 'password 4 epr'); but
    when entries are named by their number, the number is what the question asks about."""
    numbered_kb = KnowledgeBase.build(NUMBERED_PLACES)
    assert answered(numbered_kb.match(numbered.title)) == numbered.id
    assert answered(numbered_kb.match(f"what is the {numbered.title.lower()}")) == numbered.id


def test_a_ward_number_no_entry_is_named_by_is_still_only_where_someone_is() -> None:
    printer = entry("printer", "howto", "My printer is not working", "Switch it off and on, then ring 4444.")
    wards = KnowledgeBase.build([printer, *NUMBERED_PLACES])
    assert answered(wards.match("my printer on ward 9 is not working")) == "printer"


def test_emoji_codes_and_link_targets_in_an_answer_are_not_searched() -> None:
    """':white_check_mark:' and a link's address are how an answer is shown, not what it is about."""
    done = entry(
        "done",
        "howto",
        "Close a ticket",
        ":white_check_mark: Press <https://itsm.example.nhs.uk/close|Close>.",
    )
    other = entry("other", "jargon", "Superuser", "A colleague with extra training.")
    found = KnowledgeBase.build([done, other])
    for question in ("white check mark", "what is itsm example"):
        outcome = found.match(question)
        assert (
            "done" not in [c.entry.id for c in getattr(outcome, "candidates", ())]
            and answered(outcome) is None
        )


def test_an_alias_asked_word_for_word_wins_whatever_the_questions_form() -> None:
    """'how to prescribe' asks how, but it is, word for word, an alias of the ePrescribing term: the
    person named the entry they want, over a how-to whose alias merely holds 'prescribe'."""
    epma = entry("epma", "jargon", "ePrescribing (EPMA)", "Prescribing on the system.", "how to prescribe")
    access = entry("change-access", "howto", "How do I change my access?", "Ask your manager.",
                   "my profile won't let me prescribe", "cannot prescribe")  # fmt: skip
    both = KnowledgeBase.build([epma, access])
    assert answered(both.match("how to prescribe")) == "epma"


@pytest.mark.parametrize("question", ["how many days till go live", "how many days til go-live"])
def test_till_is_until(question: str) -> None:
    shipped = KnowledgeBase.load(Path(__file__).parent.parent / "knowledge")
    assert answered(shipped.match(question)) == answered(shipped.match("how many days until go live"))


def test_a_name_asked_word_for_word_is_answered_though_other_names_share_its_words() -> None:
    """'how do I get a login' is, word for word, an alias of getting a login; a problem entry's 'can't
    log in' and 'login failed' share its only content word but were written for another thing. Each of
    an entry's aliases that read alike ('I don't have a login', 'how do I get a login') keeps its own
    wording: the later one is not judged by the earlier one's words."""
    login = entry(
        "get-a-login",
        "howto",
        "How do I get a login for the new system?",
        "Your manager asks.",
        "I don't have a login",
        "how do I get a login",
    )
    locked = entry(
        "account-locked",
        "howto",
        "What do I do if my account is locked?",
        "Ring the desk.",
        "can't log in",
        "login failed",
    )
    logout = entry("logout", "howto", "How do I log out on a shared computer?", "Press your name.",
                   "someone else is logged in")  # fmt: skip
    three = KnowledgeBase.build([login, locked, logout])
    assert answered(three.match("How do I get a login?")) == "get-a-login"
    assert answered(three.match("can't log in")) == "account-locked"


def test_shorthand_after_a_word_is_read_as_itself_not_as_part_of_that_word() -> None:
    """'GP' is shorthand the synonyms spell out; written after 'access' it was once glued to it
    ('accessgp', read as 'access'), and the question lost its GP."""
    gp = entry("gp-connect", "jargon", "GP Connect", "Shows the GP record in hospital.", "access GP records")
    audit = entry("audit-trail", "jargon", "Audit trail", "Every look at a record is logged.",
                  "who accessed my records", "record access log")  # fmt: skip
    both = KnowledgeBase.build([gp, audit])
    assert answered(both.match("access GP records")) == "gp-connect"
    assert answered(both.match("can I access the GP records from the ward")) == "gp-connect"


def test_what_day_asks_when_not_what_something_is() -> None:
    """'what day do we go live' asks for the date, as 'when do we go live' does: read as 'what is', the
    go-live phase (a term) beat the how-to on the date once a word was added ('... pls')."""
    shipped = KnowledgeBase.load(Path(__file__).parent.parent / "knowledge")
    for question in ("what day do we go live pls", "quick q - what date do we go live"):
        assert answered(shipped.match(question)) == "golive-date"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # who is asking, said first: not what they ask about ('student' and 'new' are words of logins)
        ("student nurse here, when is go-live?", "golive-date"),
        ("hi all, new here, what is a floorwalker", "floorwalker"),
        # or in a clause of its own, first or last: 'new starter' is a login's words, 'nurse' the CNIO's
        ("I'm a new starter, NHS number?", "nhs-number"),
        ("Cutover? asking for the nurse in charge", "cutover"),
        ("floorwalker? I'm an agency HCA", "floorwalker"),
        ("I'm the nurse in charge today, what is BAU?", "business-as-usual"),
        # ... but only the role: what goes on after it, or what is asked for first, is the question
        ("I'm a new starter and I need a login, where do I go?", "get-a-login"),
        ("asking for a new smartcard, where do I go?", "get-a-smartcard"),
        # courtesy and urgency around the question
        ("downtime thanks in advance", "downtime"),
        ("timetabled roll-out, really need to know today", "timetabled-rollout"),  # not 'to day'
        ("sorry to bother you but what is a floorwalker", "floorwalker"),
        ("not sure if this is the right place but what is BAU", "business-as-usual"),
        ("what is the go-live date at the moment", "golive-date"),
        ("downtime stuff tho", "downtime"),  # chat that colours a question, not a topic
        # help asked with doing something is about the doing, not the entry on getting help
        ("help logging off", "shared-computer-logout"),
        ("struggling with logging an issue", "log-an-issue"),
    ],
)
def test_who_is_asking_and_courtesy_around_a_question_leave_it_to_what_it_asks(
    question: str, expected: str
) -> None:
    shipped = KnowledgeBase.load(Path(__file__).parent.parent / "knowledge")
    assert answered(shipped.match(question)) == expected


def test_who_one_is_stays_the_topic_when_nothing_else_is_asked() -> None:
    """'superuser here, how do I log an issue' asks about logging; 'floorwalker here' with no more is
    about floorwalkers still (a close call between the term and finding one, offered, not dropped)."""
    shipped = KnowledgeBase.load(Path(__file__).parent.parent / "knowledge")
    assert answered(shipped.match("superuser here, how do I log an issue for someone")) == "log-an-issue"
    outcome = shipped.match("floorwalker here")
    assert isinstance(outcome, Suggestions) and outcome.candidates[0].entry.id == "floorwalker"


def test_a_close_runner_up_that_explains_the_question_better_leads_and_is_answered() -> None:
    """'Hypercare' scores a little higher (its answer says 'ends', and 'when' does not ask how to), but
    the how-to names all the question asks, 'finishes' as strongly as its own 'end'."""
    kb = KnowledgeBase.build(
        [
            entry("hypercare", "jargon", "Hypercare",
                  "The weeks of intensive support after go-live; floorwalkers stay until it ends.",
                  "intensive support"),
            entry("support-ends", "howto", "When does intensive support end?",
                  "It scales back after four weeks.", "end of hypercare"),
            entry("floorwalker", "jargon", "Floorwalker", "A helper on the wards."),
        ]
    )  # fmt: skip
    assert answered(kb.match("does anyone know when intensive support finishes?")) == "support-ends"


THEATRES = [
    entry("theatre-list", "jargon", "Theatre list",
          "The order of operations in a theatre session, and who is doing each.", "operating list"),
    entry("book-slot", "howto", "How do I book a theatre slot?", "Add the case from the waiting list."),
    entry("consent", "howto", "How do I record consent?", "The patient signs the form on the tablet."),
]  # fmt: skip


def test_ops_are_operations() -> None:
    """'Ops' is how theatre staff say operations: the word an entry's answer uses is reached."""
    kb = KnowledgeBase.build(THEATRES)
    assert answered(kb.match("what order are the ops in for the morning session")) == "theatre-list"
    assert answered(kb.match("what order are the bananas in for the morning session")) is None


WARD = [
    entry("duplicates", "howto", "What do I do if a patient has two records?",
          "Report it to the records team."),
    entry("merge", "jargon", "Record merge", "Joining two records of one person into one."),
    entry("transfer", "howto", "How do I move a patient to another ward?", "Use the transfer button."),
]  # fmt: skip


def test_the_gentleman_in_bay_four_is_a_patient() -> None:
    """Staff speak of the person in the bed as the lady, the chap or the gentleman: the patient an
    entry names, not a word the knowledge base lacks that would leave the question unexplained."""
    kb = KnowledgeBase.build(WARD)
    assert answered(kb.match("the gentleman has two separate records, which do I write in")) == "duplicates"
    assert answered(kb.match("the banana has two separate records, which do I write in")) is None


CUTOVER = [
    entry("cutover", "jargon", "Cutover", "The weekend the old system is turned off and the new one on."),
    entry("switchboard", "howto", "How do I ring switchboard?", "Dial 0 from any ward phone."),
    entry("move-ward", "howto", "How do I change ward?", "Pick the ward from the list at the top.",
          "move location"),
]  # fmt: skip


def test_a_verb_and_over_written_apart_are_the_one_word_staff_also_write() -> None:
    """'The switch over' is the switchover, which the lexicon relates to the cutover an entry names;
    read apart, 'switch' reaches the switchboard instead. Not where a name holds the verb: that
    knowledge base writes it apart itself."""
    assert answered(KnowledgeBase.build(CUTOVER).match("what is the switch over")) == "cutover"
    kb = KnowledgeBase.build(
        [*CUTOVER, entry("hand-over", "howto", "How do I hand over a patient?", "Use the list.")]
    )
    assert answered(kb.match("how do I hand over a patient")) == "hand-over"


POPUPS = [
    entry("alerts", "jargon", "Clinical decision support",
          "Warnings the system shows when a prescription may harm.", "drug alerts"),
    entry("drop-in", "howto", "How do I book a drop-in session?", "Pop in to the training room."),
]  # fmt: skip


def test_two_words_staff_also_write_as_one_are_read_as_that_word() -> None:
    """'Pop up' is the popup, an alert; read apart, 'pop' reaches the answer that says 'pop in'."""
    kb = KnowledgeBase.build(POPUPS)
    assert answered(kb.match("what does the pop up mean")) == "alerts"
    assert answered(kb.match("what does the pop in mean")) is None


def test_a_word_with_f_written_for_ph_is_read_as_the_word_heard() -> None:
    kb = KnowledgeBase.build(
        [
            entry("phases", "jargon", "Phases of go-live",
                  "Go-live runs in three phases: preparation, cutover and support."),
            entry("base", "jargon", "Base wards", "The wards each team is based on during go-live."),
            entry("pharmacy", "howto", "How do I contact pharmacy?", "Call the pharmacy on 4321."),
        ]
    )  # fmt: skip
    assert answered(kb.match("explain the fases")) == "phases"  # not 'bases', one letter off
    assert answered(kb.match("how do i contact farmacy")) == "pharmacy"


def test_once_tells_logging_in_once_from_logging_in() -> None:
    kb = KnowledgeBase.build(
        [
            entry("sso", "jargon", "Single sign-on",
                  "Sign in once and the other systems open without a password.", "log in once"),
            entry("login", "howto", "How do I get a login?", "Ask your manager to request a login for you.",
                  "log in to the system"),
        ]
    )  # fmt: skip
    assert answered(kb.match("is there a way to log in once to every system")) == "sso"


def test_told_is_a_form_of_tell_not_a_slip_of_old() -> None:
    kb = KnowledgeBase.build(
        [
            entry("legacy", "jargon", "Old system", "The system we used before, read-only after go-live.",
                  "legacy system"),
            entry("leave", "howto", "Can I take leave during go-live?", "Ask your manager first."),
        ]
    )  # fmt: skip
    assert answered(kb.match("what were we told about go-live")) != "legacy"
    assert answered(kb.match("I was told I can't take leave during go-live")) == "leave"


INITIALS = [
    entry("book-physio", "howto", "How do I book a community physiotherapy appointment?",
          "Open the referrals list and choose the next free slot."),
    entry("bed-manager", "howto", "How do I reach the bed manager?", "Ring the site office."),
    entry("art", "howto", "How do I contact acute respiratory therapy?", "Ring their bleep."),
]  # fmt: skip


def test_initials_in_capitals_or_without_vowels_are_read_as_the_phrase_they_shorten() -> None:
    """'CP' and 'bm' shorten 'community physiotherapy' and 'bed manager', which the trust wrote out; an
    everyday word in lower case that spells a phrase's initials ('art') is the word."""
    kb = KnowledgeBase.build(INITIALS)
    assert answered(kb.match("how do I book a CP appointment")) == "book-physio"
    assert answered(kb.match("how do i reach the bm")) == "bed-manager"
    assert answered(kb.match("how do I contact ART")) == "art"
    assert answered(kb.match("how do I contact art therapy")) is None


def test_a_term_quoted_in_a_rambling_question_of_what_it_means_is_answered(kb: KnowledgeBase) -> None:
    """The story around a quoted term is detail no entry explains; the question asks what the term is.
    Asked how to do something, or with the quoted words meaning nothing here, it stays unanswered."""
    asked = "the matron on our unit keeps mentioning 'big bang' at every single handover, what does she mean?"
    assert answered(kb.match(asked)) == "big-bang"
    assert (
        answered(kb.match("the matron on our unit keeps mentioning 'big bang' at handover, how to stop her"))
        is None
    )
    assert (
        answered(kb.match("the matron keeps mentioning 'blue sky thinking' at handover, what is it?")) is None
    )


def test_a_code_with_its_number_said_as_a_word_is_that_code() -> None:
    """'four' said after OPCS is the 4 of its name, not a word to explain: dictation writes it out."""
    assert answered(KnowledgeBase.build(CODES).match("what is opcs four")) == "opcs-4"


def test_single_letters_typed_apart_spell_an_acronym_with_an_i_or_a_u(kb: KnowledgeBase) -> None:
    """'c n i o' is the CNIO spelt out letter by letter; 'I see you' is still a sentence."""
    assert answered(kb.match("who is the c n i o")) == "cnio"
    assert answered(kb.match("i see you")) is None


def test_were_opening_a_question_is_where_with_a_letter_dropped(kb: KnowledgeBase) -> None:
    """'were are the floorwalkers' asks where to find them, as 'where are' does, not what they are."""
    assert answered(kb.match("were are the floorwalkers today")) == "find-floorwalker"
