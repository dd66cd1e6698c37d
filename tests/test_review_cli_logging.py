"""Review: the production log says what the bot does, not every run of every periodic job."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from slack_harness import BOT_TOKEN, org_config, write_knowledge
from slack_sdk import WebClient

from bot.config import Settings
from bot.privacy import Redactor
from bot.runtime import build_services, configure_logging
from bot.slack.app import build_app


@pytest.fixture
def restored() -> Iterator[None]:
    root, scheduler = logging.getLogger(), logging.getLogger("apscheduler")
    handlers, level, scheduler_level = root.handlers[:], root.level, scheduler.level
    yield
    root.handlers[:], root.level = handlers, level
    scheduler.setLevel(scheduler_level)


def test_at_info_the_scheduler_logs_only_its_warnings(restored) -> None:
    configure_logging("INFO", Redactor(()))
    executor = logging.getLogger("apscheduler.executors.default")
    assert not executor.isEnabledFor(logging.INFO)  # 'Running job ...' every 10 s
    assert executor.isEnabledFor(logging.WARNING)  # 'Run time of job ... was missed'
    assert logging.getLogger("bot.cli.serve").isEnabledFor(logging.INFO)


def test_at_debug_the_scheduler_logs_everything(restored) -> None:
    configure_logging("DEBUG", Redactor(()))
    assert logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.DEBUG)


def test_the_configured_secrets_are_masked_in_every_log_line(restored, capsys) -> None:
    """A signing secret has no shape a pattern could find: it is masked by its value."""
    secret = "8f14e45fceea167a5a36dedd4bea2543"
    configure_logging("INFO", Redactor(()), (secret, "short"))
    try:
        raise ValueError(f"bad request signed with {secret}")
    except ValueError:
        logging.getLogger("slack_bolt.App").exception("verification failed for %s", secret)
    err = capsys.readouterr().err
    assert secret not in err and err.count("[secret removed]") == 2


def test_serving_with_the_token_set_logs_no_warning_that_it_is_unused(
    restored, tmp_path, database_url, fake_slack, monkeypatch, caplog
) -> None:
    """Bolt reads SLACK_BOT_TOKEN itself and warned on every start that it 'will be unused', beside the
    client the bot builds from that same token: an operator took the token for ignored."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    settings = Settings(
        org=org_config(), knowledge_dir=write_knowledge(tmp_path / "knowledge"),
        schedules_dir=tmp_path / "schedules", database_url=database_url, slack_bot_token=BOT_TOKEN,
    )  # fmt: skip
    services = build_services(settings)
    try:
        with caplog.at_level(logging.WARNING):
            build_app(services, client=WebClient(token=BOT_TOKEN, base_url=fake_slack.url))
    finally:
        services.close()
    assert not [r for r in caplog.records if "unused" in r.getMessage()]
