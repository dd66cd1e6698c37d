"""The files a trust edits (knowledge base, config, schedules), mangled at random: each is read or refused
with InvalidFile (file, line and what to do), never a traceback.

Seeded, so a failure names the seed that reproduces it; FUZZ_SEEDS=3000 runs more (this is how a
synonym read as a number and a time zone name too long for a file name were found).
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
import yaml
from fuzzing import mangle

from bot.answering.knowledge import KnowledgeBase
from bot.comms.schedules import read_schedules
from bot.config import load_org_config, read_org_config
from bot.yamlsource import InvalidFile

ROOT = Path(__file__).resolve().parent.parent


def mangled_copy(source: Path, target: Path, rng: random.Random) -> Path:
    """`source` (a file, or a folder of YAML files) copied to `target`, one file of it mangled."""
    if source.is_file():
        chosen = target / source.name
        shutil.copy(source, chosen)
    else:
        shutil.copytree(source, target, dirs_exist_ok=True)
        chosen = rng.choice(sorted(target.glob("*.yaml")))
    data = yaml.safe_load(chosen.read_text(encoding="utf-8"))
    for _ in range(rng.randint(1, 3)):
        mangle(data, rng)
    chosen.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return chosen


@pytest.mark.parametrize("seed", range(int(os.environ.get("FUZZ_SEEDS", "300"))))
def test_a_mangled_file_is_read_or_refused_with_its_problems(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    kind = ("knowledge", "schedules", "config")[seed % 3]
    try:
        if kind == "config":
            read_org_config(mangled_copy(ROOT / "golive.yaml", tmp_path, rng))
        elif kind == "knowledge":
            mangled_copy(ROOT / "knowledge", tmp_path, rng)
            KnowledgeBase.load(tmp_path)
        else:
            mangled_copy(ROOT / "schedules", tmp_path, rng)
            read_schedules(tmp_path, load_org_config(ROOT / "golive.yaml"))
    except InvalidFile as refused:
        assert refused.problems and all(p.path and p.message for p in refused.problems)
