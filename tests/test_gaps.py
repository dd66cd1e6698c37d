from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import yaml

from bot.answering.gaps import (
    alias_hints,
    group_questions,
    guess_kind,
    normalise,
    render_alias_hints,
    render_stubs,
    stubs_for,
)
from bot.answering.knowledge import KnowledgeBase
from bot.answering.model import Entry
from bot.privacy import Redactor
from bot.store.answers import (
    Helped,
    Unanswered,
    helped_between,
    record_feedback,
    record_unanswered,
    unanswered_between,
)
from bot.store.database import Database

LONDON = ZoneInfo("Europe/London")
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def asked(*questions: str) -> list[Unanswered]:
    return [Unanswered(i, q, T0 + timedelta(hours=i), "slack", "U1", False) for i, q in enumerate(questions)]


def test_the_wrapper_of_a_question_is_not_what_it_asks() -> None:
    assert normalise("Wot's SNOMED??") == "snomed"
    assert normalise("what does BAU stand for") == "bau"
    assert normalise("How do I reset my password pls") == "reset password"
    assert normalise("hi, how can I print a wristband?") == "print wristband"
    assert normalise("hi, how can I print a wristband?") == normalise("How can i print wristband")


def test_the_form_of_a_question_tells_jargon_from_howto() -> None:
    assert guess_kind("what does CNIO stand for?") == "jargon"
    assert guess_kind("wots a floorwalker") == "jargon"
    assert guess_kind("PAS?") == "jargon"
    assert guess_kind("how do I book an interpreter") == "howto"
    assert guess_kind("can't log in on ward 3") == "howto"
    assert guess_kind("printer on ward 3 prints blank wristbands") == "howto"


def test_phrasings_of_one_question_are_grouped_and_others_kept_apart() -> None:
    groups = group_questions(
        asked(
            "what is snomed",
            "Wot's SNOMED??",
            "what does snomed ct mean",
            "how do I reset my password",
            "how can I reset password?",
            "what is snomd",
            "login smartcard reset not working",
            "what is snomed",
        ),
        Redactor(),
    )
    texts = [[p.text for p in g.phrasings] for g in groups]
    assert texts[0] == ["what is snomed", "Wot's SNOMED??", "what does snomed ct mean", "what is snomd"]
    assert groups[0].count == 5
    assert sorted(texts[1:]) == [
        ["how do I reset my password", "how can I reset password?"],
        ["login smartcard reset not working"],
    ]


def test_groups_come_most_frequent_first_and_in_the_same_order_every_time() -> None:
    questions = asked("bleep for pharmacy", "what is bau", "what is bau", "wristband printer broken") * 2
    first = group_questions(questions, Redactor())
    again = group_questions(list(reversed(questions)), Redactor())
    assert [g.question for g in first] == ["what is bau", "bleep for pharmacy", "wristband printer broken"]
    assert [g.question for g in again] == [g.question for g in first]


def test_grouping_never_shows_an_nhs_number_even_if_one_was_stored() -> None:
    groups = group_questions(asked("results for 999 000 0018 missing"), Redactor())
    assert "999 000 0018" not in groups[0].question
    assert "[NHS number removed]" in groups[0].question


def test_control_characters_in_a_question_never_reach_the_terminal() -> None:
    groups = group_questions(asked("what is \x1b[2J\x1b]0;pwned\x07 bau\n"), Redactor())
    assert groups[0].question == "what is [2J ]0;pwned bau"


def test_stubs_take_other_phrasings_as_aliases_and_avoid_existing_ids_and_names() -> None:
    groups = group_questions(
        asked("what does BAU stand for", "wot is bau", "how do i reset my password", "how to reset password"),
        Redactor(),
    )
    existing = Entry(
        "reset-password", "howto", "Resetting a password", "...", aliases=("How to reset password?",)
    )
    text = render_stubs(stubs_for(groups, [existing]), LONDON)
    entries = yaml.safe_load(text)["entries"]
    assert entries == [
        {
            "id": "bau",
            "kind": "jargon",
            "title": "BAU",
            "aliases": ["Wot is bau?"],
            "answer": "TODO",
        },
        {
            "id": "reset-password-2",
            "kind": "howto",
            "title": "How do I reset my password?",
            "answer": "TODO",
        },
    ]
    assert "# asked 2 times on 2026-11-20" in text


def test_stub_comment_gives_the_local_dates_the_question_was_asked() -> None:
    late = Unanswered(1, "what is a superuser", datetime(2026, 6, 30, 23, 30, tzinfo=UTC), "cli", None, False)
    early = Unanswered(2, "what's a superuser", datetime(2026, 6, 1, 8, 0, tzinfo=UTC), "cli", None, False)
    text = render_stubs(stubs_for(group_questions([late, early], Redactor())), LONDON)
    assert "# asked 2 times from 2026-06-01 to 2026-07-01" in text  # 23:30 UTC is 00:30 BST


def test_stubs_quote_awkward_text_so_the_yaml_still_parses() -> None:
    awkward = asked("how do I: {print} # labels - now", "- how to: {print} # labels")
    groups = group_questions(awkward, Redactor())
    entries = yaml.safe_load(render_stubs(stubs_for(groups), LONDON))["entries"]
    assert entries[0]["title"] == "How do I: {print} # labels - now?"
    assert entries[0]["aliases"] == ["- how to: {print} # labels?"]


def test_stored_unanswered_questions_are_grouped_from_the_database(db: Database) -> None:
    for i, q in enumerate(["what is PAS", "whats PAS?", "how do I order bloods"]):
        record_unanswered(db, q, T0 + timedelta(minutes=i), "slack", "U1")
    rows = unanswered_between(db, T0, T0 + timedelta(days=1))
    groups = group_questions(rows, Redactor())
    assert [(g.question, g.count) for g in groups] == [("what is PAS", 2), ("how do I order bloods", 1)]
    assert groups[0].first_asked == T0


HINTED = KnowledgeBase.build(
    [
        Entry("bau", "jargon", "Business as usual (BAU)", "Normal running.", source="k.yaml", line=3),
        Entry(
            "snomed-ct",
            "jargon",
            "SNOMED CT",
            "The clinical vocabulary.",
            ("snomed",),
            source="k.yaml",
            line=9,
        ),
    ]
)


def helped(*pairs: tuple[str, str]) -> list[Helped]:
    return [Helped(entry, question, T0) for entry, question in pairs]


def test_a_question_someone_chose_an_entry_for_becomes_an_alias_hint_for_it() -> None:
    hints = alias_hints(
        helped(
            ("bau", "bau snomed"),
            ("bau", "BAU  snomed"),  # the same phrasing: counted together, written as most often
            ("bau", "bau snomed"),
            ("snomed-ct", "bau snomed"),  # chosen less often for this entry: one alias, one entry
            ("snomed-ct", "snomd lookup thingy"),
            ("bau", "what is BAU"),  # answered with it already
        ),
        HINTED,
        Redactor(),
    )
    assert [(h.entry.id, [(p.text, p.count) for p in h.phrasings]) for h in hints] == [
        ("bau", [("bau snomed", 3)]),
        ("snomed-ct", [("snomd lookup thingy", 1)]),
    ]
    assert (
        alias_hints(helped(("bau", "bau pas"), ("snomed-ct", "bau pas")), HINTED, Redactor()) == []
    )  # a tie
    assert alias_hints(helped(("bau", "bau pas"), ("bau", "bau x")), HINTED, Redactor(), 2) == []  # once each


def test_no_hint_for_a_gone_entry_an_existing_name_or_a_question_that_held_identifiers() -> None:
    hints = alias_hints(
        helped(
            ("retired", "bau snomed"),  # the entry is no longer in the knowledge base
            ("bau", "snomed"),  # another entry's name: it would not validate
            ("bau", "bau for [NHS number removed]"),
            ("bau", "bau for 943 476 5919"),  # stored before the guard knew the form
        ),
        HINTED,
        Redactor(),
    )
    assert hints == []


def test_hints_are_comments_so_the_stubs_file_still_parses() -> None:
    hints = alias_hints(
        helped(("bau", "bau: snomed # really"), ("bau", "snomed\u2019s bau")), HINTED, Redactor()
    )
    text = render_stubs([], LONDON) + render_alias_hints(hints)
    assert "#   bau (k.yaml, line 3):" in text and "'bau: snomed # really'  (1x)" in text
    assert "snomed\u2019s bau  (1x)" in text  # a phone's apostrophe, as typed
    assert yaml.safe_load(text) == {"entries": None}


def test_a_phrasing_a_stub_already_uses_is_not_also_offered_as_an_alias() -> None:
    """Someone turned down the suggestions for it and someone else chose BAU: written both ways, the
    knowledge base would fail to validate."""
    [stub] = stubs_for(group_questions(asked("bau snomed"), Redactor()), HINTED.entries.values())
    assert alias_hints(helped(("bau", "bau snomed")), HINTED, Redactor(), stubs=[stub]) == []


def test_only_helpful_feedback_in_the_period_is_read_back(db: Database) -> None:
    record_feedback(db, "bau", "bau snomed", True, "U1", T0)
    record_feedback(db, "bau", "not this", False, "U1", T0)
    record_feedback(db, "bau", "too late", True, "U1", T0 + timedelta(days=2))
    assert helped_between(db, T0, T0 + timedelta(days=1)) == [Helped("bau", "bau snomed", T0)]
