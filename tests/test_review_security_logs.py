"""Review: the log filter scrubs every record, and no record can make logging fail or leak."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from slack_harness import BOT_TOKEN, SIGNING_SECRET

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


def test_at_debug_no_secret_reaches_the_log_even_when_slack_fails(slack_bot, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    bot = slack_bot()
    bot.fake.fail("chat.postMessage", times=20, status=500)
    bot.fake.fail("views.open", times=5, error="invalid_auth")
    bot.mention("what is snomed")
    bot.command("issue the printer on ward 3 is broken")
    bot.shortcut("golive_log_issue")
    bot.action("answer_helpful", "{}")
    bot.post(b"{}", sign_with="wrong")
    bot.get("/healthz")
    bot.fake.wait_quiet(quiet=1.0, timeout=20)
    logged = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    assert "refused a request" in logged  # the capture saw the bot's own lines
    for secret in (BOT_TOKEN, SIGNING_SECRET):
        assert secret not in logged


def test_slack_tokens_and_database_passwords_are_scrubbed_from_any_record(logged) -> None:
    logger, out = logged
    logger.error("auth failed for %s", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx")
    logger.error("app token xapp-1-A0123456789-1234567890123-abcdef0123456789 refused")
    logger.error("cannot connect to %s", "postgresql://golive:S3cr/et#pw@db.trust.nhs.uk:5432/golive")
    logger.error("cannot connect to postgresql://golive@db/golive?sslmode=require&password=Qu3ryPw")
    try:
        raise ConnectionError("connect postgresql://golive:An0ther@10.0.0.5/golive failed")
    except ConnectionError:
        logger.exception("database down")
    text = out.getvalue()
    for secret in ("AbCdEfGh", "abcdef0123456789", "S3cr", "et#pw", "An0ther", "Qu3ryPw"):
        assert secret not in text, secret
    assert "db.trust.nhs.uk:5432/golive" in text and "golive:***@10.0.0.5" in text
    logger.info("serving Slack on http://127.0.0.1:3000/slack/events; user@example.com and 10:30")
    # The URL is not read as credentials running on to the address; the address goes, as any would.
    assert "http://127.0.0.1:3000/slack/events; [email address removed] and 10:30" in out.getvalue()
