import logging
import re

import pytest

from bot.privacy import (
    NHS_NUMBER_MARKER,
    IdentifierPattern,
    RedactingLogFilter,
    Redactor,
    is_valid_nhs_number,
)

# Numbers from the range kept for testing (999...), never a real patient's.
VALID_TEST_NUMBERS = ["9990000018", "9999999999"]


def valid_test_numbers() -> list[str]:
    """Generate valid 999-range numbers so the test does not depend on a hand-picked list."""
    found = []
    for n in range(9990000000, 9990001000):
        if is_valid_nhs_number(str(n)):
            found.append(str(n))
    return found


def test_check_digit_rules() -> None:
    assert all(is_valid_nhs_number(n) for n in VALID_TEST_NUMBERS)
    assert not is_valid_nhs_number("9990000017")  # wrong check digit
    assert not is_valid_nhs_number("123456789")
    numbers = valid_test_numbers()
    assert 50 < len(numbers) < 150  # about one in eleven candidates is valid


@pytest.mark.parametrize(
    "template",
    ["{a}{b}{c}", "{a} {b} {c}", "{a}-{b}-{c}", "pt NHS no:{a} {b} {c}.", "({a}{b}{c})", "{a}\u200b{b}{c}"],
)
def test_every_valid_number_is_removed_in_every_layout(template: str) -> None:
    redactor = Redactor()
    for number in valid_test_numbers():
        text = template.format(a=number[:3], b=number[3:6], c=number[6:])
        result = redactor.redact(f"Bed 4 patient {text} cannot be found")
        digits = "".join(ch for ch in result.text if ch.isdigit())
        assert number not in digits and NHS_NUMBER_MARKER in result.text
        assert result.removed == {"NHS number": 1}


def test_other_numbers_are_left_alone() -> None:
    redactor = Redactor()
    for text in ["bleep 1234", "ext 4444", "call 01632 960555", "ref GL-0042", "9990000017", "12345678901"]:
        assert redactor.redact(text).text == text


def test_trust_patterns_and_explanation_never_repeat_the_identifier() -> None:
    redactor = Redactor((IdentifierPattern("hospital number", re.compile(r"\b[A-Z]\d{7}\b")),))
    result = redactor.redact("A1234567 and 999 000 0018")
    assert result.text == "[hospital number removed] and [NHS number removed]"
    note = result.explain()
    assert "A1234567" not in note and "0018" not in note and "hospital number" in note


def test_log_lines_never_carry_an_nhs_number(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.privacy")
    logger.addFilter(RedactingLogFilter(Redactor()))
    with caplog.at_level(logging.INFO):
        logger.info("failed to save issue for %s", "999 000 0018")
    assert "0018" not in caplog.text and NHS_NUMBER_MARKER in caplog.text


def test_an_nhs_number_split_by_control_characters_is_still_found() -> None:
    assert Redactor().redact("nhs 943\x00476\x005919 and 943\x7f476\x7f5919").removed == {"NHS number": 2}


def test_a_timestamp_whose_digits_pass_the_check_is_kept() -> None:
    """'2026-01-01 10' has ten digits with a valid check digit; it is a log line's time, not a patient."""
    assert is_valid_nhs_number("2026010110")
    line = "announcement due at 2026-01-01 10:00:00+00:00 and at 2026-01-01T10:00"
    assert Redactor().redact(line).text == line
    assert Redactor().redact("patient 202 601 0110").text == "patient [NHS number removed]"


def test_a_slack_message_timestamp_whose_digits_pass_the_check_is_kept() -> None:
    """Slack's ts (seconds, a full stop, six digits) is in every event id the bot logs; one in eleven
    passes the check, and an operator read 'event:C0A:[NHS number removed].937693'."""
    assert is_valid_nhs_number("1732800006")
    line = "event:C0A:1732800006.937693 answered in thread 1732800006.000100"
    assert Redactor().redact(line).text == line
    assert Redactor().redact("patient 1732800006 bed 4").text == "patient [NHS number removed] bed 4"
    assert Redactor().redact("NHS no 1732800006.937693").removed == {"NHS number": 1}


def test_a_mistyped_nhs_number_written_as_one_is_still_removed() -> None:
    redacted = Redactor().redact("wrong band on 943 476 5918, was 943-476-5918 before")
    assert "5918" not in redacted.text and redacted.removed == {"NHS number": 2}
    assert Redactor().clean("call 0800 123 4567 or 020 7946 0958") == "call 0800 123 4567 or 020 7946 0958"


@pytest.mark.parametrize(
    "said",
    [
        *(
            "the lady in the side room DOB 01/02/1945 fell",
            "d.o.b: 1.2.45",
            "born 3rd March 1950",
            "date of birth 12-11-1960",
        ),
        *("DOB: 01-Feb-1945", "DOB 1945-02-01", "date of birth 1st of March 1950", "born March 3, 1950"),
    ],
)
def test_a_date_of_birth_said_to_be_one_is_removed(said: str) -> None:
    redacted = Redactor().redact(said)
    assert redacted.removed == {"date of birth": 1} and not any(c.isdigit() for c in redacted.text)
    assert "1 date of birth" in redacted.explain()


def test_a_date_that_is_not_a_birth_date_and_talk_of_birth_dates_are_kept() -> None:
    for text in ("go-live is 18/01/2027", "the DOB is wrong on the record", "she was born in 1950"):
        assert Redactor().clean(text) == text
