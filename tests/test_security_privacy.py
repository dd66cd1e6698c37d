"""The privacy guard against the ways staff, phones and attackers actually write an NHS number."""

from __future__ import annotations

import io
import logging
import time

import pytest

from bot.privacy import NHS_NUMBER_MARKER, RedactingLogFilter, Redactor

NUMBER = "9990000018"  # from the range kept for testing


@pytest.mark.parametrize(
    "layout",
    [
        "999  000  0018",  # double spaces
        "999\u2009000\u20090018",  # thin spaces (phones and word processors)
        "999\u202f000\u202f0018",  # narrow no-break spaces
        "999\n000\n0018",  # one group a line
        "999 - 000 - 0018",  # spaced dashes
        "999\u2013000\u20130018",  # en dashes (autocorrect)
        "999\u2212000\u22120018",  # minus signs
        "999_000_0018",
        "999,000,0018",
        "(999) 000 0018",
        "999\u202e000\u202c0018",  # bidirectional controls hide the order
        "999\u2063000\u20630018",  # invisible separator
    ],
)
def test_a_number_split_by_any_separator_is_removed(layout: str) -> None:
    result = Redactor().redact(f"patient {layout} on ward 3")
    digits = "".join(ch for ch in result.text if ch.isdigit())
    assert NUMBER not in digits and "0018" not in result.text
    assert result.removed == {"NHS number": 1} and NHS_NUMBER_MARKER in result.text


@pytest.mark.parametrize(
    "text", ["bed 12 999 000 0018", "bleep 1234 / 999-000-0018", "ext 55, 999 000 0018", "1 2 3 9990000018"]
)
def test_a_number_right_after_other_digits_is_found_inside_a_failed_candidate(text: str) -> None:
    result = Redactor().redact(text)
    assert "0018" not in result.text and result.removed == {"NHS number": 1}


def test_phone_and_bleep_numbers_with_wider_spacing_are_still_left_alone() -> None:
    for text in ["bleep 1234, ext 5678", "call 01632  960555", "ward 3, bed 12, 14:30"]:
        assert Redactor().clean(text) == text


@pytest.mark.parametrize("unit", ["1   ", "1 ,(", "12   ", "1\u2009", NUMBER + " ", "9" * 11 + "-"])
def test_adversarial_text_of_ten_thousand_characters_is_cleaned_quickly(unit: str) -> None:
    text = unit * (10_000 // len(unit))
    started = time.perf_counter()
    Redactor().clean(text)
    assert time.perf_counter() - started < 0.5  # linear: milliseconds; backtracking would take minutes


def test_a_logged_traceback_never_carries_an_nhs_number() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingLogFilter(Redactor()))
    logger = logging.getLogger("test.security.traceback")
    logger.addHandler(handler)
    try:
        raise ValueError(f"could not store details 'patient {NUMBER} fell'")
    except ValueError:
        logger.exception("saving failed")
    finally:
        logger.removeHandler(handler)
    logged = stream.getvalue()
    assert "ValueError" in logged and NHS_NUMBER_MARKER in logged and NUMBER not in logged
