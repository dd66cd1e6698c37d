"""The bot's own housekeeping: the table that makes Slack retries harmless does not grow for ever."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from slack_harness import org_config, write_knowledge

from bot.clock import ManualClock
from bot.config import Settings
from bot.runtime import build_services, forget_handled_events
from bot.store import once

START = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)


def test_old_slack_event_ids_are_forgotten_but_never_a_click_or_form_claim(
    tmp_path: Path, database_url: str
) -> None:
    clock = ManualClock(START)
    settings = Settings(
        org=org_config(), knowledge_dir=write_knowledge(tmp_path / "knowledge"),
        schedules_dir=tmp_path / "schedules", database_url=database_url,
    )  # fmt: skip
    services = build_services(settings, clock=clock)
    try:
        for key in ("event:Ev0OLD", "announce:V0CONFIRM", "support:12"):
            assert once.claim(services.db, key, clock.now())
        clock.advance(hours=23)
        assert once.claim(services.db, "event:Ev0RECENT", clock.now())
        clock.advance(hours=2)
        assert forget_handled_events(services) == 1
        assert once.claim(services.db, "event:Ev0OLD", clock.now())  # Slack stopped retrying long ago
        for key in ("event:Ev0RECENT", "announce:V0CONFIRM", "support:12"):
            assert not once.claim(services.db, key, clock.now()), f"{key} must still be refused"
    finally:
        services.close()
