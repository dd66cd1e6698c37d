"""Normalisation: what staff type turns into the same terms as the entry they mean."""

import pytest

from bot.answering.lexicon import related_table
from bot.answering.synonyms import BUILT_IN, Synonyms
from bot.answering.text import (
    content,
    fold,
    question_form,
    sound_key,
    stem,
    stop_word_slip,
    tokens,
    unstretched,
)


def test_case_accents_punctuation_and_links_do_not_matter() -> None:
    assert tokens("Café  SNOMED-CT??") == ["cafe", "snomed", "ct"]
    assert tokens("see <https://example.org/guide|the user guide>") == ["see", "the", "user", "guide"]
    assert tokens("what’s an EPR") == ["whats", "an", "epr"]


def test_dotted_acronyms_close_up_and_ampersands_stay_in_the_word() -> None:
    assert tokens("what is S.N.O.M.E.D") == ["what", "is", "snomed"]
    assert tokens("is B.A.U. a phase") == ["is", "bau", "a", "phase"]
    assert tokens("which A&E") == ["which", "a&e"]
    assert fold("e.g. the ward") == "eg the ward"


@pytest.mark.parametrize(
    ("forms", "expected"),
    [
        (["update", "updates", "updated", "updating"], 1),
        (["log", "logs", "logged", "logging"], 1),
        (["floorwalker", "floorwalkers"], 1),
        (["policy", "policies"], 1),
        (["switch", "switches"], 1),
        (["find", "finds", "finding", "found"], 1),  # irregular past forms meet their verb
        (["write", "wrote", "written"], 1),
        (["ring", "rang", "rung"], 1),
        (["left", "leave"], 2),  # 'left' is as often a side as a past
        (["broken", "break"], 2),  # 'broken' is a fault in its own right
        (["met", "meet"], 2),  # a meeting, and 'froze' a change freeze: other things' names
        (["froze", "freeze"], 2),
    ],
)
def test_forms_of_one_word_share_a_stem(forms: list[str], expected: int) -> None:
    assert len({stem(f) for f in forms}) == expected


@pytest.mark.parametrize("word", ["news", "physics", "diabetes"])
def test_a_word_that_only_looks_plural_keeps_its_s(word: str) -> None:
    assert stem(word) == word  # 'news' is not many of 'new'


def test_acronyms_are_never_stemmed() -> None:
    assert stem("pas") == "pas"
    assert stem("pacs", keep=frozenset({"pacs"})) == "pacs"
    assert stem("pacs") != "pacs"  # without being told, it would be taken for a plural


@pytest.mark.parametrize(
    ("question", "form"),
    [
        ("what is snomed", "jargon"),
        ("wots BAU", "jargon"),
        ("what does CCIO stand for", "jargon"),
        ("who is the CNIO", "jargon"),
        ("how do I log an issue", "howto"),
        ("where are the floorwalkers", "howto"),
        ("my smartcard isn't working", "howto"),
        ("who do I call at night", "howto"),
        ("when does intensive support end", "howto"),
        ("when's go-live", "howto"),  # the apostrophe is dropped: 'whens'
        ("what day do we go live pls", "howto"),  # asks when, as 'when do we go live' does
        ("what time is the huddle", "howto"),
        ("what is a go-live date", "jargon"),
        ("where's the nearest floorwalker", "howto"),
        ("am I allowed leave during go-live", "howto"),
        ("what happens when the system is down", "jargon"),
        ("who are the floor walkers", "jargon"),
        ("when r we going live", "howto"),  # text-speak, as 'when are we'
        ("when r the ward rounds", "howto"),
        ("what's the easiest way to print a wristband", "howto"),  # asks how, in a 'what is' wrapper
        ("what is the process for booking leave", "howto"),
        ("what is the best practice tariff", "jargon"),
        ("why can't I see the results", None),  # a reason: what access is, or how to get it
        ("y wont it let me prescribe", None),
        ("the person who signs off the system as safe", "jargon"),  # a role described
        ("the team who approve new forms", "jargon"),
        ("what are the ward printers and where are they", None),  # asks both: what, then where
        ("snomed", None),
    ],
)
def test_the_question_form_tells_jargon_from_howto(question: str, form: str | None) -> None:
    assert question_form(question) == form


def test_slips_of_stop_words_are_recognised_but_real_words_are_not() -> None:
    slips = {w: stop_word_slip(w) for w in ("hw", "whta", "wher", "teh", "wen")}
    assert slips == {"hw": "how", "whta": "what", "wher": "where", "teh": "the", "wen": "when"}
    assert not any(stop_word_slip(w) for w in ("snomed", "bau", "rota", "bleep", "cnio", "dog", "what"))
    assert stop_word_slip("wens") == "whens"  # "when's", slipped
    assert stop_word_slip("bus") is None  # a word of its own, not 'by' + 's'


def test_non_stays_with_the_word_it_negates() -> None:
    assert tokens("the non-emergency line") == ["the", "nonemergency", "line"]
    assert tokens("Non urgent query about nonsense") == ["nonurgent", "query", "about", "nonsense"]


def test_a_held_down_letter_gives_the_word_with_it_once_then_twice() -> None:
    assert unstretched("soooo") == ("so", "soo")
    assert unstretched("sooooon") == ("son", "soon")
    assert unstretched("helllp") == ("help", "hellp")
    assert unstretched("floorwalker") == () and unstretched("1000") == () and unstretched("xxxxxx") == ()


def test_synonyms_rewrite_shorthand_phrases_and_their_plurals() -> None:
    synonyms = Synonyms.build(BUILT_IN)
    assert synonyms.words("who do I ring OOH") == synonyms.words("who do I ring out of hours")
    assert synonyms.words("d/c letter") == synonyms.words("discharge letter")
    assert synonyms.words("A&E") == synonyms.words("A + E") == synonyms.words("emergency department")
    assert synonyms.words("a e-learning module") == ["a", "e", "learning", "module"]  # not A&E learning
    assert synonyms.words("logging in") == synonyms.words("log in") == ["login"]
    assert synonyms.words("ICD ten") == ["icd", "10"]
    assert synonyms.words("holidays") == synonyms.words("A/L") == ["annual", "leave"]
    assert synonyms.words("who do I call out of hrs") == synonyms.words("who do I call out of hours")
    assert synonyms.words("24 hrs") == ["24", "hours"] and synonyms.words("HR") == ["hr"]  # not hours
    assert synonyms.words("my acct is locked, got a msg") == synonyms.words(
        "my account is locked, got a message"
    )
    assert synonyms.words("forgot my pswd") == synonyms.words("forgot my password")


def test_a_later_group_overrides_a_built_in_phrase() -> None:
    synonyms = Synonyms.build([*BUILT_IN, ("clinic", "opd")])
    assert synonyms.words("opd") == ["clinic"]
    assert Synonyms.build(BUILT_IN).words("opd") == ["outpatient"]


def test_related_everyday_words_reach_each_other_through_their_stems_never_themselves() -> None:
    table = related_table(stem, [("blocked", "locked", "stuck")])
    assert table[stem("blocked")] == {stem("locked"), "stuck"}
    assert stem("locked") not in table[stem("locked")]


@pytest.mark.parametrize(("heard", "meant"), [("lock", "log"), ("life", "live"), ("bored", "board")])
def test_words_that_sound_alike_share_a_sound_key(heard: str, meant: str) -> None:
    assert sound_key(heard) == sound_key(meant)


def test_words_that_only_look_alike_do_not_share_a_sound_key() -> None:
    assert sound_key("banana") != sound_key("officer")
    assert sound_key("clown") != sound_key("cloud")  # a slip of the keyboard, not of the ear


def test_words_that_frame_a_question_are_not_what_it_is_about() -> None:
    assert content(tokens("engagement according to the Kings Fund")) == ["engagement", "kings", "fund"]
    assert content(tokens("anything regarding smartcards")) == ["smartcards"]
    assert content(tokens("it is suddenly really slow today")) == ["slow"]


def test_greetings_and_thanks_are_told_from_questions() -> None:
    from bot.answering.smalltalk import small_talk

    assert [small_talk(t) for t in ("?", "  ", "help")] == ["help"] * 3
    assert small_talk("Hello!") == "greeting"
    assert [small_talk(t) for t in ("Thank you so much!", "cheers", "thx")] == ["thanks"] * 3
    assert [small_talk(t) for t in ("help me log in", "thanks, but how do I log in?")] == [None, None]
    said = ("thanks, you're a star", "brilliant, cheers", "that's great, thanks!", "cheers for the help")
    assert [small_talk(t) for t in said] == ["thanks"] * 4  # opens with thanks and asks nothing
    praise = ("thanks, you are a star", "cheers, that worked", "thanks again, you've been a lifesaver x")
    assert [small_talk(t) for t in praise] == ["thanks"] * 3
    assert [small_talk(t) for t in ("👍", ":+1:", ":thumbsup: :pray:")] == ["thanks"] * 3  # acknowledged
    assert small_talk("111") is None and small_talk("<&>") is None  # a number may be what is asked about
    assert [small_talk(t) for t in ("thanks but how do i log in", "thanksgiving")] == [None] * 2
    asking = (
        "thanks, can I also book training",
        "ta, my smartcard is broken",
        "thanks, the printer is jammed",
    )
    assert [small_talk(t) for t in asking] == [None] * 3  # thanks with a question after them: matched
    assert [small_talk(t) for t in ("thanks, help me", "thanks, have you sorted it")] == [None] * 2
    chat = ("morning bot, how's your day going?", "you ok?", "how are you getting on")
    assert [small_talk(t) for t in chat] == ["greeting"] * 3  # passing the time of day: greeted back
    assert [small_talk(t) for t in ("how are you meant to log in", "whats up with the system")] == [None] * 2
    assert [small_talk(t) for t in ("bye!", "see you later")] == ["thanks"] * 2


def test_sat_down_is_no_oxygen_saturation() -> None:
    synonyms = Synonyms.build(BUILT_IN)
    assert synonyms.rewrite(["i", "sat", "with", "the", "patient"]) == ["i", "sat", "with", "the", "patient"]
    assert synonyms.rewrite(["low", "sats"]) == ["low", "oxygen", "saturation"]  # the shorthand still is
