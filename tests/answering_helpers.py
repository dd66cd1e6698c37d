"""Shared by the answering tests: one entry written as a trust would write it, and how to read a folder."""

from pathlib import Path

import pytest

from bot.answering.loader import load_knowledge
from bot.yamlsource import InvalidFile

SNOMED = """\
entries:
  - id: snomed-ct
    kind: jargon
    title: SNOMED CT
    aliases: [SNOMED]
    answer: The shared clinical vocabulary.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(folder: Path) -> list[str]:
    """Every problem the loader reports for the folder, as a person reads them."""
    with pytest.raises(InvalidFile) as caught:
        load_knowledge(folder)
    return [str(p) for p in caught.value.problems]
