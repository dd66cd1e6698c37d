"""Review: the log filter scrubs every record, and no record can make logging fail or leak."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.privacy import RedactingLogFilter, Redactor

NHS = "943 476 5919"


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RedactingLogFilter(Redactor()))
    logger = logging.getLogger("some.library")
    logger.addHandler(handler)
    logger.propagate, logger.level = False, logging.DEBUG
    yield logger, out
    logger.removeHandler(handler)
    logger.propagate = True


def test_a_record_whose_arguments_do_not_fit_its_format_is_logged_cleaned_not_raised(logged) -> None:
    logger, out = logged
    logger.warning("patient %s on ward %s", NHS)  # a library's mistake must not break the caller
    logger.error("%d beds", f"bed 4 {NHS}")
    text = out.getvalue()
    assert "[NHS number removed]" in text and "943" not in text
    assert "patient" in text and "beds" in text


def test_a_record_whose_message_is_an_object_is_cleaned(logged) -> None:
    logger, out = logged
    logger.info({"patient": NHS})
    logger.info(ValueError(f"no such patient {NHS}"))
    assert "943" not in out.getvalue() and out.getvalue().count("[NHS number removed]") == 2
