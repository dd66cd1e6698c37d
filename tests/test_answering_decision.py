"""The decision between answering, suggesting and not knowing, on evidence built by hand: what makes a
leader the strict rules turn down likely enough right to answer, and what never does; and when a
leader only its answer text recommends is answered all the same."""

from pathlib import Path

import pytest

from bot.answering.decision import Evidence, Scored, decide, likely_right, sure, told_in_answer
from bot.answering.knowledge import KnowledgeBase
from bot.answering.model import Answer, Candidate, Entry, NotKnown, Suggestions
from bot.answering.tuning import Tuning

TUNING = Tuning()


def scored(
    score: float,
    terms: int,
    *,
    strays: int = 0,
    named: bool = True,
    modifier_only: bool = False,
    displaced: bool = False,
    lead: float = 20.0,
) -> list[Scored]:
    """A leader that explains every term but its strays (the last ones), all by its name unless `named`
    is false, against a runner-up `lead` behind."""
    shares = tuple(1 / terms for _ in range(terms))
    explains = {i: 1.0 for i in range(terms - strays)}
    evidence = Evidence.of(
        explains, explains if named else {}, 0.6, shares, frozenset(range(terms - strays, terms)), {}, 0.5
    )
    runner = Evidence.of({0: 1.0}, {0: 1.0}, 0.3, shares, frozenset(), {}, 0.5)
    leader = Candidate(Entry("leader", "howto", "Leader", "..."), score)
    runner_up = Candidate(Entry("runner", "howto", "Runner", "..."), score - lead)
    return [
        Scored(leader, evidence, modifier_only=modifier_only, displaced=displaced),
        Scored(runner_up, runner),
    ]


def test_a_long_question_with_a_clear_leader_is_answered_below_the_bar() -> None:
    """Detail the entry need not explain ('on ward 6 since 7am') lowers the score of the right entry."""
    long = scored(TUNING.answer_at - 10, terms=9)
    assert not sure(long, TUNING)
    assert isinstance(decide("q", long, TUNING), Answer)


def test_the_same_score_on_a_short_question_is_only_a_suggestion() -> None:
    short = scored(TUNING.answer_at - 10, terms=2)
    assert likely_right(short, TUNING) < likely_right(scored(TUNING.answer_at - 10, terms=9), TUNING)
    assert isinstance(decide("q", short, TUNING), Suggestions)


def test_words_the_knowledge_base_never_uses_make_a_leader_less_likely_right() -> None:
    clean, strayed = scored(40, terms=6), scored(40, terms=6, strays=3)
    assert likely_right(strayed, TUNING) < likely_right(clean, TUNING)
    assert isinstance(decide("q", strayed, TUNING), Suggestions)


@pytest.mark.parametrize("leader", [{"named": False}, {"modifier_only": True}, {"displaced": True}])
def test_the_model_never_speaks_for_a_leader_it_cannot_vouch_for(leader: dict) -> None:
    """An answer mentions many things it is not about; 'sepsis' alone names what qualifies a term;
    'how many days until christmas' fills the name 'how many days until go-live' with another thing."""
    assert likely_right(scored(TUNING.answer_at - 5, terms=9, **leader), TUNING) == 0.0


@pytest.mark.parametrize(
    ("question", "displaced"),
    [
        ("how many days until christmas", True),  # another thing where the name has 'go-live'
        ("how many days until go-live on ward 6", False),  # detail beside the whole name
        ("what is opcs 5", True),  # a number names another version of the thing
        ("pt has penicilin alergy where do i add it", False),  # detail where the how-to's verb stands
        ("how do I reset my citrix password", True),  # another system where the name has Aurora
        ("how do I book a dental slot", True),  # another kind of slot where the name has theatre
    ],
)
def test_a_word_the_knowledge_base_lacks_in_place_of_a_name_word_displaces_the_entry(
    question: str, displaced: bool
) -> None:
    kb = KnowledgeBase.build(
        [
            Entry(
                "golive-date", "howto", "When is go-live?", "On 1 March.", ("how many days until go-live",)
            ),
            Entry("opcs-4", "jargon", "OPCS-4", "The NHS classification of procedures.", ("OPCS",)),
            Entry("record-allergy", "howto", "How do I record an allergy?", "Open the allergies tab."),
            Entry(
                "reset-password", "howto", "How do I reset my Aurora password?", "Use the self-service page."
            ),
            Entry("theatre-slot", "howto", "How do I book a theatre slot?", "Add the patient to the list."),
        ]
    )
    assert kb.matcher.weigh(question)[0].displaced is displaced


def test_a_rambling_question_on_the_shipped_knowledge_base_gets_its_answer() -> None:
    kb = KnowledgeBase.load(Path("knowledge"))
    question = (
        "a colleague walked off and left herself logged in at the nurses station, am I allowed to just"
        " keep working on her session, we're really busy"
    )
    assert not sure(kb.matcher.weigh(question), kb.matcher.tuning)
    outcome = kb.match(question)
    assert isinstance(outcome, Answer) and outcome.best.entry.id == "shared-computer-logout"


# A trust that writes no aliases: what staff call things is only in the answers.
NO_ALIASES = KnowledgeBase.build(
    [
        Entry("cutover", "jargon", "Cutover", "The weekend the old system is switched off and records move."),
        Entry("downtime", "howto", "Downtime procedure", "Use the paper forms until the system is back."),
        Entry("training", "howto", "Book training", "Book a classroom session on the learning portal."),
        Entry("legacy", "jargon", "Legacy system", "The system we used before, read only for a year."),
    ]
)


def test_a_question_only_one_answer_explains_is_answered_without_an_alias() -> None:
    question = "the weekend they switch off the old one"
    assert not sure(NO_ALIASES.matcher.weigh(question), NO_ALIASES.matcher.tuning)
    outcome = NO_ALIASES.match(question)
    assert isinstance(outcome, Answer) and outcome.best.entry.id == "cutover"


@pytest.mark.parametrize(
    ("question", "outcome"),
    [
        ("the weekend the paper forms move", Suggestions),  # two answers explain it about as well
        ("weekend", Suggestions),  # what an answer mentions in passing, a word or a phrase
        ("weekend switched off", Suggestions),
        ("the weekend we go to the seaside", NotKnown),  # words no entry uses
    ],
)
def test_answer_text_alone_answers_no_question_it_does_not_single_out(question: str, outcome: type) -> None:
    assert isinstance(NO_ALIASES.match(question), outcome)


def test_a_leader_only_its_answer_recommends_needs_a_wider_lead_than_a_named_one() -> None:
    wide, narrow = (scored(TUNING.answer_at + 2, terms=3, named=False, lead=lead) for lead in (20, 13))
    assert told_in_answer(wide, TUNING) and isinstance(decide("q", wide, TUNING), Answer)
    assert not told_in_answer(narrow, TUNING) and isinstance(decide("q", narrow, TUNING), Suggestions)
    assert not told_in_answer(scored(TUNING.answer_at + 2, terms=3, named=False, strays=1), TUNING)
