"""Review as a trust admin: config mistakes `golive-bot validate` passed, or blamed on another file,
are caught where they are made, with what to write instead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cli_helpers import run_cli

from bot.cli import validate
from bot.clock import ManualClock
from bot.config import load_settings, read_org_config

CONFIG = r"""organisation: St Elsewhere NHS Trust
timezone: Europe/London
golive:
  start: 2027-01-18 07:00
  intensive_support_ends: 2027-02-12 17:00
channels:
  triage: "#golive-triage"
  announcements: "#golive-news"
people:
  maintenance_team:
    users: [U01AAAAAA]
  clinical_safety_group:
    users: [U01DDDDDD]
  comms_leads:
    users: [U01EEEEEE]
  on_call_usergroup: S01FFFFFF
locations:
  - Delivery Suite
  - Community Midwifery
contacts:
  - name: IT service desk
    how: "ext 5555"
privacy:
  identifier_patterns:
    - name: hospital number
      pattern: '\bSE\d{6}\b'
"""


BEFORE_GOLIVE = datetime(2026, 12, 1, 12, tzinfo=UTC)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "golive.yaml"
    path.write_text(text)
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    return [str(p) for p in read_org_config(write(tmp_path, text))[1]]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A trust's folder with a knowledge base, the config above and an empty schedules folder."""
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "terms.yaml").write_text(
        "entries:\n  - id: pas\n    kind: jargon\n    title: PAS\n    answer: Where admissions are kept.\n"
    )
    write(tmp_path, CONFIG)
    (tmp_path / "schedules").mkdir()
    monkeypatch.chdir(tmp_path)
    for name in ("GOLIVE_CONFIG", "GOLIVE_KNOWLEDGE_DIR", "GOLIVE_SCHEDULES_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    monkeypatch.setattr(validate, "SystemClock", lambda: ManualClock(BEFORE_GOLIVE))  # warnings depend on it
    return tmp_path


def test_the_config_these_tests_start_from_is_valid(site: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, ["validate"])
    assert code == 0 and "warning" not in out, out


# A misspelt top-level key says which it meant, as a nested one does.


@pytest.mark.parametrize(
    ("line", "typed", "meant"),
    [(1, "organization", "organisation"), (2, "time_zone", "timezone"), (20, "contact", "contacts")],
)
def test_a_misspelt_top_level_key_says_which_key_was_meant(
    tmp_path: Path, line: int, typed: str, meant: str
) -> None:
    found = problems(tmp_path, CONFIG.replace(f"{meant}:", f"{typed}:", 1))
    start = f"{tmp_path / 'golive.yaml'}:{line}: {typed}: unknown setting; did you mean {meant!r}?"
    assert any(p.startswith(start) for p in found), found


def test_a_top_level_key_like_none_still_lists_the_keys_the_bot_reads(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, CONFIG + "colour: blue\n")
    assert "colour: unknown setting; the bot reads organisation, system, timezone, golive" in found


# `users:` written as one id rather than a list.


def test_users_given_as_one_id_rather_than_a_list_is_read_as_that_id(tmp_path: Path) -> None:
    org, found = read_org_config(write(tmp_path, CONFIG.replace("users: [U01DDDDDD]", "users: U01DDDDDD")))
    assert found == [] and org.clinical_safety_group.users == {"U01DDDDDD"}


def test_users_given_as_several_ids_in_one_text_are_told_to_be_a_list(tmp_path: Path) -> None:
    text = CONFIG.replace("users: [U01AAAAAA]", "users: U01AAAAAA, U01BBBBBB")
    (found,) = problems(tmp_path, text)
    assert found.endswith("maintenance_team: users must be a list of Slack user ids: write it as "
                          "users: [U01AAAAAA, U01BBBBBB]")  # fmt: skip


def test_a_user_that_is_no_slack_id_is_named(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, CONFIG.replace("[U01AAAAAA]", '[U01AAAAAA, "@jane.smith"]'))
    assert "users must be Slack user ids such as U0123ABCD ('@jane.smith' is not one)" in found


# CLINICAL SAFETY: a trust's identifier pattern that can never match, or matches every number.

PATTERN_LINE = 26  # the line of `pattern:` in CONFIG
SHIPPED_PATTERN = r"pattern: '\bSE\d{6}\b'"


def with_pattern(written: str) -> str:
    assert SHIPPED_PATTERN in CONFIG
    return CONFIG.replace(SHIPPED_PATTERN, f"pattern: {written}")


def test_a_pattern_in_double_quotes_whose_backslash_b_became_a_backspace_is_refused(tmp_path: Path) -> None:
    """YAML reads "\b" as a backspace: the pattern never matched, and hospital numbers went to Slack."""
    (found,) = problems(tmp_path, with_pattern(r'"\bSE[0-9]{6}\b"'))
    assert found.startswith(f"{tmp_path / 'golive.yaml'}:{PATTERN_LINE}: pattern: ")
    assert "backspace" in found and "never match" in found
    assert found.endswith(r"write the pattern in single quotes: '\bSE[0-9]{6}\b'")


@pytest.mark.parametrize(("written", "char"), [(r'"SE\d{6}\a"', r"\a"), (r'"SE\t\d{6}"', r"\t")])
def test_any_control_character_in_a_pattern_is_refused(tmp_path: Path, written: str, char: str) -> None:
    (found,) = problems(tmp_path, with_pattern(written.replace(r"\d", "[0-9]")))
    assert f"({char} in double quotes)" in found and "write the pattern in single quotes" in found


def test_an_escape_yaml_lacks_in_double_quotes_says_to_use_single_quotes(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, with_pattern(r'"\bSE\d{6}\b"'))
    assert found.startswith(f"{tmp_path / 'golive.yaml'}:{PATTERN_LINE}: YAML syntax error")
    assert "single quotes" in found


def test_the_bot_refuses_to_start_with_a_pattern_that_can_never_match(site: Path, capsys) -> None:
    write(site, with_pattern(r'"\bSE[0-9]{6}\b"'))
    code, out, err = run_cli(capsys, ["start"])
    assert code == 1 and f"golive.yaml:{PATTERN_LINE}: pattern: " in err and "single quotes" in err
    code, out, _ = run_cli(capsys, ["validate"])
    assert code == 1 and "single quotes" in out


@pytest.mark.parametrize("written", [r"'\d+'", r"'\b\d{4}\b'", r"'[0-9]{2,}'"])
def test_a_pattern_matching_ordinary_numbers_is_refused_at_the_pattern(tmp_path: Path, written: str) -> None:
    (found,) = problems(tmp_path, with_pattern(written))
    assert found.startswith(f"{tmp_path / 'golive.yaml'}:{PATTERN_LINE}: pattern: matches ")
    assert "bleep" in found or "ext" in found or "ward" in found


@pytest.mark.parametrize("written", ["'.*'", r"'\d*'", r"'(SE\d{6})?'", r"'\b'"])
def test_a_pattern_that_matches_no_text_at_all_is_refused(tmp_path: Path, written: str) -> None:
    (found,) = problems(tmp_path, with_pattern(written))
    assert f":{PATTERN_LINE}: pattern: matches empty text" in found


@pytest.mark.parametrize("written", [r"'\b[A-Z]\d{7}\b'", r"'\b\d{7}\b'", r"SE\d{6}", r"'MRN\s?\d{4}'"])
def test_patterns_for_real_identifiers_are_kept(tmp_path: Path, written: str) -> None:
    org, found = read_org_config(write(tmp_path, with_pattern(written)))
    assert found == [] and len(org.identifier_patterns) == 1


def test_a_pattern_with_a_repeat_too_large_is_refused_not_a_traceback(tmp_path: Path) -> None:
    (found,) = problems(tmp_path, with_pattern(r"'SE\d{99999999999}'"))
    assert f":{PATTERN_LINE}: pattern: not a valid regular expression: the repetition number" in found


def test_a_too_broad_pattern_is_blamed_not_the_plan_its_numbers_are_in(site: Path, capsys) -> None:
    write(site, with_pattern(r"'\d+'"))
    (site / "schedules" / "plan.yaml").write_text(
        "announcements:\n  - id: briefing\n    channels: [announcements]\n    cron: '30 7 * * *'\n"
        "    text: 'Open issues {open_issues} (P1 {open_p1})'\n"
    )
    code, out, _ = run_cli(capsys, ["validate"])
    assert code == 1 and f"golive.yaml:{PATTERN_LINE}: pattern: matches " in out
    assert "plan.yaml" not in out, out


# Local dates and times: a one-digit hour is read, as `hours:` and `at:` read it; another order of day
# and month is refused with the date written the one way that cannot be misread.

START = "start: 2027-01-18 07:00"


def with_start(written: str) -> str:
    return CONFIG.replace(START, f"start: {written}")


@pytest.mark.parametrize(
    "written", ["2027-01-18 7:00", "2027-1-18 07:00", '"2027-01-18 7:00"', "2027-01-18T7:00"]
)
def test_a_config_date_and_time_with_one_digit_hour_or_month_is_read(tmp_path: Path, written: str) -> None:
    org, found = read_org_config(write(tmp_path, with_start(written)))
    assert found == []
    assert org.golive.start is not None and org.golive.start.isoformat() == "2027-01-18T07:00:00+00:00"


def test_a_plan_date_and_time_with_one_digit_hour_is_read(site: Path, capsys) -> None:
    (site / "schedules" / "plan.yaml").write_text(
        "announcements:\n  - id: huddle\n    channels: [announcements]\n    at: 2027-01-19 9:00\n"
        "    text: Huddle\n"
    )
    code, out, _ = run_cli(capsys, ["schedule", "--from", "2027-01-19", "--days", "1"])
    assert code == 0 and "09:00" in out, out


@pytest.mark.parametrize(
    ("written", "advice"),
    [
        ("12/28/2026 07:00", "write the date as YYYY-MM-DD, e.g. 2026-12-28 07:00"),
        ("28/12/2026 7:00", "write the date as YYYY-MM-DD, e.g. 2026-12-28 07:00"),
        ("28.12.2026", "write the date as YYYY-MM-DD, e.g. 2026-12-28"),
        (
            "05/01/2027 07:00",
            "could be 5 January or 1 May 2027: write the date as YYYY-MM-DD, 2027-01-05 or 2027-05-01",
        ),
        ("2026-12-28 7am", "write the time on the 24-hour clock, e.g. 2026-12-28 07:00"),
        ("2026-12-28 7:30 pm", "write the time on the 24-hour clock, e.g. 2026-12-28 19:30"),
        ('"2027-02-30 07:00"', "is not a day of the calendar (day is out of range for month)"),
        ("2027-01-18 25:00", "has no such time of day: write it from 00:00 to 23:59"),
        ("next Monday", "must be a local date and time written YYYY-MM-DD HH:MM, e.g. 2027-03-01 07:00"),
    ],
)
def test_a_config_date_the_bot_cannot_read_says_what_was_wrong(
    tmp_path: Path, written: str, advice: str
) -> None:
    (found,) = problems(tmp_path, with_start(written))  # and no 'intensive_support_ends needs golive.start'
    assert found.startswith(f"{tmp_path / 'golive.yaml'}:4: start: ") and advice in found, found


def test_a_plan_date_the_bot_cannot_read_says_what_was_wrong(site: Path, capsys) -> None:
    (site / "schedules" / "plan.yaml").write_text(
        "announcements:\n  - id: huddle\n    channels: [announcements]\n    at: 29/12/2026 10:00\n"
        "    text: Huddle\n"
    )
    code, out, _ = run_cli(capsys, ["validate"])
    assert code == 1
    assert "plan.yaml:4: at: 29/12/2026 10:00 is not a date the bot reads: write the date as YYYY-MM-DD, " \
           "e.g. 2026-12-29 10:00" in out  # fmt: skip


def test_a_date_alone_still_means_midnight_in_the_config_and_needs_a_time_in_at(site: Path, capsys) -> None:
    org, found = read_org_config(write(site, with_start("2027-01-18")))
    assert found == [] and org.golive.start is not None and org.golive.start.hour == 0
    (site / "schedules" / "plan.yaml").write_text(
        "announcements:\n  - id: huddle\n    channels: [announcements]\n    at: 2027-01-19\n"
        "    text: Huddle\n"
    )
    code, out, _ = run_cli(capsys, ["validate"])
    assert code == 1 and "plan.yaml:4: at: needs a time as well as the date" in out


# A contact's site that is none of the locations: `/golive contact` never lists it for the location.

SITE_CONTACT = """  - name: Community midwifery lead
    how: "07700 900123"
    sites: [{sites}]
"""


def with_site(sites: str) -> str:
    return CONFIG.replace("privacy:\n", SITE_CONTACT.format(sites=sites) + "privacy:\n")


def test_a_contact_site_that_is_no_location_is_warned_about_with_the_locations(site: Path, capsys) -> None:
    write(site, with_site("Community midwives"))
    code, out, _ = run_cli(capsys, ["validate"])
    assert code == 0
    assert (
        "golive.yaml:25: warning: contact 'Community midwifery lead' is for site 'Community midwives', "
        "which is none of the locations, so staff asking `/golive contact` for a location never see it; "
        "did you mean 'Community Midwifery'? (locations: Delivery Suite, Community Midwifery)"
    ) in out


@pytest.mark.parametrize("sites", ["Community Midwifery", "community midwifery", " DELIVERY SUITE "])
def test_a_contact_site_naming_a_location_in_any_case_is_not_warned_about(
    site: Path, capsys, sites: str
) -> None:
    write(site, with_site(sites))
    code, out, _ = run_cli(capsys, ["validate"])
    assert code == 0 and "warning" not in out, out


def test_contact_sites_are_not_checked_when_the_config_lists_no_locations(site: Path, capsys) -> None:
    text = with_site("Community midwives").replace("  - Delivery Suite\n  - Community Midwifery\n", "")
    write(site, text.replace("locations:\n", ""))
    code, out, _ = run_cli(capsys, ["validate"])
    assert code == 0 and "warning" not in out, out


def test_the_contact_is_indeed_never_listed_for_the_location(site: Path) -> None:
    """Why the warning: sites are matched whole, so 'Community midwives' is no 'community midwifery'."""
    from bot.comms.contacts import contacts_now

    org, _ = read_org_config(write(site, with_site("Community midwives")))
    when = datetime(2027, 1, 20, 12, tzinfo=ZoneInfo("Europe/London"))
    assert [c.name for c in contacts_now(org, when, "community midwifery")] == ["IT service desk"]


# A go-live long past: a config copied from an earlier go-live, or dates never updated.


def config_warnings(tmp_path: Path, now: datetime, text: str = CONFIG) -> list[str]:
    settings = load_settings({}, config_file=str(write(tmp_path, text)), strict=False)
    return validate.check_config(settings, now).warnings


def test_a_go_live_a_year_ago_is_warned_about(tmp_path: Path) -> None:
    (found,) = config_warnings(tmp_path, datetime(2028, 1, 18, 12, tzinfo=UTC))
    assert found == (
        f"{tmp_path / 'golive.yaml'}:4: warning: golive.start 2027-01-18 07:00 was 365 days ago, so the bot "
        "is in the maintenance and support phase: if this config is for a new go-live, set its "
        "golive.start and intensive_support_ends"
    )


def test_a_go_live_without_an_end_long_ago_is_warned_about_in_its_phase(tmp_path: Path) -> None:
    text = CONFIG.replace("  intensive_support_ends: 2027-02-12 17:00\n", "")
    (found,) = config_warnings(tmp_path, datetime(2028, 1, 18, 12, tzinfo=UTC), text)
    assert "was 365 days ago, so the bot is in the go-live (intensive support) phase" in found


@pytest.mark.parametrize("days", [0, 30, 89])
def test_a_go_live_this_season_is_not_warned_about(tmp_path: Path, days: int) -> None:
    start = datetime(2027, 1, 18, 7, tzinfo=ZoneInfo("Europe/London"))
    assert config_warnings(tmp_path, start + timedelta(days=days)) == []


def test_validate_warns_of_a_go_live_a_year_ago(site: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(validate, "SystemClock", lambda: ManualClock(datetime(2028, 1, 18, 12, tzinfo=UTC)))
    code, out, _ = run_cli(capsys, ["validate"])
    assert code == 0 and "golive.yaml:4: warning: golive.start 2027-01-18 07:00 was 365 days ago" in out
