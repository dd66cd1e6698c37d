"""Fit the model that decides whether to answer a leader the strict rules turn down (decision.likely_right).

It learns from the tune splits that have been read while developing the matcher (our own set and sets 4
to 10), never from a holdout split nor from the blind sets 2, 3 and 11, and prints:
  - the bias and weights to put in bot/answering/tuning.py (likely_bias, likely_weights);
  - for every split, what answering at Tuning.likely_at would add: right answers, wrong answers, and
    out-of-scope questions answered, so the holdouts show whether the model generalises.

Needs scikit-learn: pip install -e '.[fit]'

    python bench/fit_confidence.py [--c C] [--at P]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from bench_answers import HERE, OTHERS, Question, load_run

from bot.answering.decision import clear_lead, modelled, signals, sure
from bot.answering.knowledge import KnowledgeBase
from bot.answering.tuning import Tuning

READ = frozenset(  # the question sets whose tune split has been read (see bench_answers.py)
    (
        "questions",
        "questions4",
        "questions5",
        "questions6",
        "questions7",
        "questions8",
        "questions9",
        "questions10",
    )
)


class Sample(NamedTuple):
    signals: tuple[float, ...]
    clear: bool  # no close rival: the model may answer it
    right: bool  # the leader is the expected entry
    inside: bool  # the question is in scope


def samples(kb: KnowledgeBase, questions: Sequence[Question]) -> list[Sample]:
    """The leaders the strict rules turn down that the model speaks for, with what they really were.
    Close calls are among them (they show how the signals bear on a leader being right) although the
    model never settles one."""
    out = []
    t = kb.matcher.tuning
    for q in questions:
        scored = kb.matcher.weigh(q.text)
        if (
            scored
            and scored[0].candidate.score >= t.suggest_at
            and modelled(scored[0], t)
            and not sure(scored, t)
        ):
            right = scored[0].candidate.entry.id == q.expect
            out.append(Sample(signals(scored, t), clear_lead(scored, t), right, q.expect is not None))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, default=1.0, help="inverse strength of the L2 penalty")
    parser.add_argument("--at", type=float, default=Tuning().likely_at, help="chance needed to answer")
    args = parser.parse_args(argv)
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print("This needs scikit-learn: pip install -e '.[fit]'", file=sys.stderr)
        return 2
    runs = {}
    for _, knowledge, folder in (("", None, HERE / "questions"), *OTHERS):
        kb, splits = load_run(knowledge or Path("knowledge"), folder)
        for split in ("tune", "holdout"):
            runs[folder.name, split] = samples(kb, splits[split])
    train = [s for (name, split), group in runs.items() if split == "tune" and name in READ for s in group]
    model = LogisticRegression(C=args.c, max_iter=10_000)
    model.fit([s.signals for s in train], [s.right for s in train])
    bias, weights = float(model.intercept_[0]), tuple(round(float(w), 4) for w in model.coef_[0])
    print(f"likely_bias: float = {bias:.4f}\nlikely_weights: tuple[float, ...] = {weights}")
    print(f"\nAnswering at a chance of {args.at} adds (fit on: {', '.join(sorted(READ))} tune)")
    print(f"{'questions':14} {'split':8} {'right':>6} {'wrong':>6} {'oos':>4}")
    for (name, split), group in runs.items():
        chosen = [s for s in group if s.clear and model.predict_proba([s.signals])[0, 1] >= args.at]
        right = sum(s.right for s in chosen)
        wrong = sum(not s.right and s.inside for s in chosen)
        print(f"{name:14} {split:8} {right:>6} {wrong:>6} {len(chosen) - right - wrong:>4}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
