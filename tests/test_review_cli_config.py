"""Review: a config file or environment with the mistakes people make is refused, or read as they meant."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_org_config
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
