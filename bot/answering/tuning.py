"""The matcher's knobs, in one place so the benchmark and the decision can state them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tuning:
    """Scoring weights and decision thresholds; see each comment."""

    answer_at: float = 45.0  # score needed to answer
    sparse_answer_at: float = (
        40.0  # the same, in a knowledge base with few aliases: right answers score lower
    )
    sparse_aliases: float = 6.0  # fewer aliases than this per entry, on average, make a knowledge base sparse
    margin: float = 12.0  # and the lead over the runner-up needed to answer
    suggest_at: float = 20.0  # score needed to be offered as "Did you mean"
    text_trust: float = 0.8  # how far an answer-text hit explains a query term, against a name hit
    other_name_trust: float = 0.7  # a term explained by another name of the same entry
    wording_share: float = 0.2  # part that rewards wording the question like the name (breaks ties)
    name_share: float = 0.4  # part of the score that rewards covering a whole title/alias
    unknown_weight: float = 1.0  # weight of a term the knowledge base never uses, relative to the rarest
    evidence: float = 0.4  # query weight an entry must explain for full confidence (x the rarest weight)
    form_penalty: float = 0.8  # "what is" asked of a how-to entry, or "how do I" of a jargon entry
    repair_at: float = 70.0  # similarity at which a stray word is taken for a name's unmatched word
    repair_trust: float = 0.7  # and how far it then explains it
    repair_in_place_at: float = 58.0  # the same, for a word next to the neighbour the name's word has
    rejoin_at: float = 0.7  # likeness at which two words autocorrect split are read as one name's word
    rejoin_filler_at: float = 0.8  # the same, when the first half is a filler word ('off lime')
    sound_alike: float = 65.0  # likeness of words heard alike ('lock'/'log'): enough only in place
    unfit_recall: float = 0.6  # how much of its name a leader of the kind the form argues against must cover
    bare_term_penalty: float = 0.92  # a bare term ("floorwalker") asks what it is more than how to
    solid: float = 0.5  # strength at which an entry counts as explaining a query term, when deciding
    recall_lead: float = 0.15  # how much more of its name a leader must cover to beat an equal runner-up
    named_lead: float = 0.05  # or how much more of the question it must explain
    text_lead: float = 15.0  # lead over the runner-up needed to answer a leader found by its answer text only
    likely_at: float = 0.9  # chance of being right at which to answer a clear leader `sure` turns down
    # the model of that chance (decision.likely_right): one weight per decision.signals, fit by
    # bench/fit_confidence.py on the tune questions
    likely_lead_cap: float = 24.0  # lead over the runner-up beyond which the model sees no more
    likely_bias: float = -3.3754
    likely_weights: tuple[float, ...] = (0.0707, 0.1545, -1.2168, 0.3686, 0.2976, 0.4439)
    shortlist: int = 15  # candidates scored in full, from names and from answer text each
    keep: int = 10  # ranked candidates returned
