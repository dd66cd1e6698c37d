"""Review: a config file or environment with the mistakes people make is refused, or read as they meant."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import run_cli

from bot.config import load_org_config, load_settings
from bot.yamlsource import InvalidFile


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "golive.yaml"
    path.write_text(text)
    return path


MISSPELT = """\
golive:
  start: 2027-01-18 07:00
  intensive_support_end: 2027-02-12 17:00
people:
  maintainance_team:
    users: [U0123ABCD]
  clinical_safety_group:
    user: [U0123ABCD]
escalation:
  p1_ack_minute: 5
schedules:
  grace: 10
contacts:
  - name: Desk
    how: ext 1
    hour: "09:00-17:00"
privacy:
  identifier_pattern:
    - name: hospital number
      pattern: 'A\\d{7}'
"""


def test_a_misspelt_key_inside_a_section_is_a_problem_not_a_lost_setting(tmp_path: Path) -> None:
    path = write(tmp_path, MISSPELT)
    with pytest.raises(InvalidFile) as caught:
        load_org_config(path)
    text = str(caught.value)
    for line, key, meant in [
        (3, "intensive_support_end", "intensive_support_ends"),
        (5, "maintainance_team", "maintenance_team"),
        (8, "user", "users"),
        (10, "p1_ack_minute", "p1_ack_minutes"),
        (16, "hour", "hours"),
        (18, "identifier_pattern", "identifier_patterns"),
    ]:
        assert f"{path}:{line}: {key}: unknown setting; did you mean {meant!r}?" in text
    assert f"{path}:12: grace: unknown setting; the bot reads grace_minutes here" in text


def test_an_identifier_pattern_with_a_misspelt_key_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "privacy:\n  identifier_patterns:\n    - name: mrn\n      pattern: 'A\\d{7}'\n"
                 "      flags: i\n")  # fmt: skip
    with pytest.raises(InvalidFile) as caught:
        load_org_config(path)
    assert f"{path}:5: flags: unknown setting" in str(caught.value)


@pytest.mark.parametrize("zone", ["GMT", "UTC", "Etc/UTC", "Etc/GMT"])
def test_a_time_zone_without_summer_time_is_refused(tmp_path: Path, zone: str) -> None:
    path = write(tmp_path, f"timezone: {zone}\n")
    with pytest.raises(InvalidFile) as caught:
        load_org_config(path)
    assert "never moves to British Summer Time" in str(caught.value)
    assert "write Europe/London" in str(caught.value)


def test_a_time_zone_in_the_wrong_case_is_named_as_it_is_spelt(tmp_path: Path) -> None:
    path = write(tmp_path, "timezone: europe/london\n")
    with pytest.raises(InvalidFile) as caught:
        load_org_config(path)
    assert "unknown time zone 'europe/london' (did you mean Europe/London?)" in str(caught.value)


def test_golive_config_set_to_an_empty_string_still_reads_golive_yaml(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "organisation: A Trust\n")
    settings = load_settings({"GOLIVE_CONFIG": "", "GOLIVE_KNOWLEDGE_DIR": "", "DATABASE_URL": " "})
    assert settings.org.organisation == "A Trust"
    assert settings.knowledge_dir == Path("knowledge") and settings.database_url == "sqlite:///golive.db"


def test_pasted_secrets_lose_their_surrounding_spaces_and_newline(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(
        {"SLACK_BOT_TOKEN": " xoxb-1\n", "SLACK_SIGNING_SECRET": "abc123\n", "SLACK_APP_TOKEN": "\t"}
    )
    assert settings.slack_bot_token == "xoxb-1" and settings.slack_signing_secret == "abc123"
    assert settings.slack_app_token is None


@pytest.mark.parametrize("level", ["verbose", "10", "warn ing"])
def test_a_log_level_the_bot_does_not_know_is_a_usage_error(
    tmp_path: Path, monkeypatch, capsys, level
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOG_LEVEL", level)
    code, _, err = run_cli(capsys, ["validate"])
    assert code == 2 and "Traceback" not in err
    assert f"LOG_LEVEL is {level!r}; set it to one of DEBUG, INFO, WARNING, ERROR, CRITICAL" in err


def test_a_lower_case_log_level_is_fine(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings({"LOG_LEVEL": " debug\n"}).log_level == "DEBUG"


@pytest.mark.parametrize(
    ("pasted", "password", "host"),
    [
        ("postgresql://bot:Pa@ss@db.example:5432/golive", "Pa@ss", "db.example"),
        ("postgresql://bot:p@ss/w#rd?@db.example/golive", "p@ss/w#rd?", "db.example"),
        ("postgres://bot:p%40ss@db.example/golive", "p@ss", "db.example"),
        ("postgresql://bot:pa55word@db.example/golive", "pa55word", "db.example"),
    ],
)
def test_a_password_with_special_characters_is_read_as_typed(
    tmp_path: Path, monkeypatch, pasted, password, host
):
    from sqlalchemy.engine import make_url

    monkeypatch.chdir(tmp_path)
    settings = load_settings({"DATABASE_URL": pasted})
    url = make_url(settings.database_url)
    assert (url.username, url.password, url.host, url.database) == ("bot", password, host, "golive")
    assert password not in repr(settings) and "ss" not in repr(settings).split("@")[0]


def test_repr_hides_a_password_that_holds_a_slash(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings({"DATABASE_URL": "postgresql://bot:se/cret@db.example/golive"})
    assert "se/cret" not in repr(settings) and "db.example/golive" in repr(settings)


def test_a_channel_name_written_without_quotes_is_not_silently_unset(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'channels:\n  triage: "#golive-triage"\n  safety: #golive-patient-safety\n  announcements:\n',
    )
    with pytest.raises(InvalidFile) as caught:
        load_org_config(path)
    [problem] = caught.value.problems
    assert str(problem).startswith(f"{path}:3: safety: is empty: YAML reads a # after the colon as a comment")
    assert 'put the channel name in quotes, e.g. "#golive-triage"' in str(problem)
