"""The privacy guard against the characters a paste, a phone keyboard or an attacker puts inside a number."""

from __future__ import annotations

import pytest

from bot.privacy import NHS_NUMBER_MARKER, Redactor

NUMBER = "9990000018"  # from the range kept for testing


@pytest.mark.parametrize(
    "layout",
    [
        "999\u061c000\u061c0018",  # Arabic letter mark: a bidirectional control like LRM and RLM
        "999\ufe0f000\ufe0f0018",  # variation selectors show nothing after a digit
        "999\U000e0020000\U000e00200018",  # tag characters are invisible
        "999\ufff9000\ufffb0018",  # interlinear annotation controls
        "999\u3164000\u31640018",  # Hangul filler: renders as nothing
        "9\u03329\u03329\u0332 0\u03320\u03320\u0332 0\u03320\u03321\u03328\u0332",  # underlined digits
        "".join(f"{d}\ufe0f\u20e3" for d in NUMBER),  # keycap digits, as phones offer them
        "999\uff0d000\uff0d0018",  # full-width hyphen, typed with full-width digits by some keyboards
        "\uff19\uff19\uff19\uff0d\uff10\uff10\uff10\uff0d\uff10\uff10\uff11\uff18",
        "999\ufe63000\ufe630018",  # small hyphen-minus
        "999\u2043000\u20430018",  # hyphen bullet
        "*999* 000 0018",  # Slack bold around one group
        "~999~ 000 0018",  # Slack strike-through
    ],
)
def test_a_number_hidden_by_any_invisible_or_dash_like_character_is_removed(layout: str) -> None:
    result = Redactor().redact(f"patient {layout} on ward 3")
    digits = "".join(str(int(ch)) for ch in result.text if ch.isdecimal())
    assert NUMBER not in digits and result.removed == {"NHS number": 1}
    assert NHS_NUMBER_MARKER in result.text


def test_text_without_a_number_keeps_its_accents_and_emoji() -> None:
    text = "Cafe\u0301 on ward 3: the \U0001f469\u200d\u2695\ufe0f says bleep 1234"
    assert Redactor().clean(text) == text


def test_accents_elsewhere_survive_when_a_number_is_removed() -> None:
    cleaned = Redactor().clean(f"Rene\u0301e in bay 2, {NUMBER}")
    assert cleaned == f"Rene\u0301e in bay 2, {NHS_NUMBER_MARKER}"
