"""The privacy guard against the forms staff actually type: dates of birth however written, NHS numbers
grouped 3-3-4 with any separators, and identifiers wrapped in Slack's emphasis marks."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml

from bot.privacy import NHS_NUMBER_MARKER, IdentifierPattern, Redactor

DOB_MARKER = "[date of birth removed]"
# Text that must pass untouched: dates that are not birth dates, times, wards, beds, extensions.
ORDINARY = [
    "the outage on 01/02/2027 at 14:30",
    "go-live is 18-01-2027, cut-over 17.01.27 from 22:00",
    "since 3rd March 2027 the printer on ward 12 has failed",
    "ward 12, bed 4, ext 4444, bleep 1234",
    "the DOB is wrong on the record since 01/02/2027",
    "she was born in 1950",
    "call 0800 123 4567 or 020 7946 0958",
    "version 1.2.3 went live 2027-01-18",
    "the DOB field on bed 12 shows nothing",
    "baby born 3 weeks early, DOB field blank since 1 Feb",
    "birthday cake for the 1 Feb go-live team",
]


@pytest.mark.parametrize(
    "said",
    [
        "DOB is 01/02/1945",
        "DOB of 01/02/1945",
        "DOB 01021945",
        "DOB 010245",
        "DOB: 01 / 02 / 1950",
        "DOB 01/Feb/1945",
        "DOB 1 Feb '45",
        "born on the 3rd of March 1950",
        "date of birth was 1.2.45",
        "d.o.b 1-2-1945",
        "D.O.B. - 1 February 1945",
        "birthday 3 Febuary 1950",
        "dob should be 01/02/1945",
        "DOB: _01/02/1945_",
        "DOB 1 Feb",
        "dob 01/02",
        "born March 3rd",
        "dob: 3rd of March",
    ],
)
def test_a_date_of_birth_in_any_common_form_is_removed(said: str) -> None:
    redacted = Redactor().redact(f"the lady in the side room {said} got the wrong wristband")
    assert redacted.removed == {"date of birth": 1}
    assert DOB_MARKER in redacted.text and not any(c.isdigit() for c in redacted.text)
    assert redacted.text.startswith("the lady in the side room ")
    assert redacted.text.endswith(" got the wrong wristband")


@pytest.mark.parametrize(
    "said",
    [
        "DOB should be 01/02/1945 not 02/01/1945",
        "DOB changed from 01/02/1945 to 02/01/1945",
        "DOB corrected 01/02/1945 to 02/01/1945",
        "DOB 01/02/1945 should be 02/01/1945",
    ],
)
def test_a_second_date_set_against_a_date_of_birth_goes_too(said: str) -> None:
    """A wrong date of birth is a common go-live report, and its correction is the patient's true one."""
    assert Redactor().clean(f"{said} on bed 4") == f"{DOB_MARKER} on bed 4"


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_dates_times_and_numbers_are_kept(text: str) -> None:
    assert Redactor().clean(text) == text


def test_a_date_after_a_date_of_birth_but_not_set_against_it_is_kept() -> None:
    assert Redactor().clean("DOB 01/02/1945, outage on 01/02/2027") == f"{DOB_MARKER}, outage on 01/02/2027"


@pytest.mark.parametrize(
    "layout",
    [
        "943.476.5918",
        "943/476/5918",
        "943 476-5918",  # mixed separators
        "943 / 476 / 5918",
        "943   476   5918",  # a run of spaces
        "943\u00a0476\u00a05918",  # no-break spaces
        "943\n476\n5918",  # one group a line
        "943\r\n476\r\n5918",
        "943 *476* 5918",  # Slack bold on one group
    ],
)
def test_a_mistyped_number_grouped_3_3_4_with_any_separator_is_removed(layout: str) -> None:
    """9434765918 fails the check digit (9434765919 passes): grouped as an NHS number, it is one."""
    result = Redactor().redact(f"band on bed 4 says {layout}, ext 4444")
    assert "5918" not in result.text and result.removed == {"NHS number": 1}
    assert result.text == f"band on bed 4 says {NHS_NUMBER_MARKER}, ext 4444"


@pytest.mark.parametrize(
    "text", ["ref 9434765918", "call +44 161.496.0000", "+44 (0)113/496/0000", "94 347 65918"]
)
def test_ten_digits_not_grouped_3_3_4_or_dialled_are_kept_when_the_check_fails(text: str) -> None:
    assert Redactor().clean(text) == text


def shipped_patterns() -> tuple[IdentifierPattern, ...]:
    """The example config's patterns, compiled as the config loader compiles them."""
    config = yaml.safe_load((Path(__file__).parent.parent / "golive.yaml").read_text())
    items = config["privacy"]["identifier_patterns"]
    return tuple(IdentifierPattern(i["name"], re.compile(i["pattern"], re.IGNORECASE)) for i in items)


@pytest.mark.parametrize(
    "said",
    ["MRN _A1234567_", "A1234567_", "*A1234567*", "~A1234567~", "`A1234567`", "_mrn a1234567_", "x_A1234567"],
)
def test_a_hospital_number_in_slack_emphasis_is_removed(said: str) -> None:
    result = Redactor(shipped_patterns()).redact(f"{said} on ward 12")
    assert "1234567" not in result.text and result.removed == {"hospital number": 1}
    assert "[hospital number removed]" in result.text and result.text.endswith(" on ward 12")


def test_a_trust_pattern_that_spells_an_underscore_still_matches() -> None:
    redactor = Redactor((IdentifierPattern("lab number", re.compile(r"\bLAB_\d{6}\b")),))
    assert redactor.clean("sample LAB_123456 lost") == "sample [lab number removed] lost"


@pytest.mark.parametrize("text", [*ORDINARY, "see _ward 12_ and *bed 4*", "A12345678 is a batch"])
def test_the_shipped_patterns_keep_ordinary_text(text: str) -> None:
    assert Redactor(shipped_patterns()).clean(text) == text


@pytest.mark.parametrize(
    "unit",
    ["DOB is of was ", "dob 1 / ", "born on the 3rd of ", "d.o.b 01 02 ", "_A123456_ ", "943 . 476 . "],
)
def test_adversarial_birth_and_emphasis_text_is_cleaned_quickly(unit: str) -> None:
    text = unit * (10_000 // len(unit))
    started = time.perf_counter()
    Redactor(shipped_patterns()).clean(text)
    assert time.perf_counter() - started < 0.5
