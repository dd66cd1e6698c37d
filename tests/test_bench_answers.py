"""The answer benchmark's own reporting: a figure printed under the wrong measure misleads whoever tunes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import bench_answers as ba


def test_a_section_in_one_split_only_is_measured_as_its_questions_are(
    capsys: pytest.CaptureFixture[str],
) -> None:
    typos = [ba.Question("wots snomd", "snomed", "Typos"), ba.Question("snomed", "snomed", "Typos")]
    away = [ba.Question("where is the canteen", None, "Out of scope")]
    splits = {"tune": typos + away, "holdout": away}  # no typos held out
    always, never = (lambda q: ba.Reply("snomed")), (lambda q: ba.Reply(None))
    ba.print_sections({**splits, "all": splits["tune"] + splits["holdout"]}, always, never)
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[1:]}
    assert " right " in rows["Typos"] and "100.0% /   0.0%" in rows["Typos"]
    assert " oos wrong " in rows["Out"] and rows["Out"].count("100.0% /   0.0%") == 2
