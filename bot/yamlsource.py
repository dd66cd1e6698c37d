"""YAML loading that remembers where each mapping came from, so validation errors can name a line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class LineDict(dict):
    """A mapping that knows its own line and the line of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml parses ~10x faster
    pass


_STR = "tag:yaml.org,2002:str"  # a plain text key: its value is the key, no constructor needed


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = key_node.value if key_node.tag == _STR else loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be plain values", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, located precisely enough for a person to fix it."""

    path: str
    line: int
    message: str
    item: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.item}: {self.message}" if self.item else f"{where}: {self.message}"


class InvalidFile(Exception):
    """Raised when files cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_yaml_text(text: str, path: str) -> Any:
    """Parse YAML text, turning syntax errors into a located Problem."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise InvalidFile([Problem(path, line, f"YAML syntax error: {exc.problem}")]) from exc
    except yaml.YAMLError as exc:
        raise InvalidFile([Problem(path, 0, f"YAML error: {exc}")]) from exc


def load_yaml_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InvalidFile([Problem(str(path), 0, "file not found: check the path")]) from exc
    except IsADirectoryError as exc:
        raise InvalidFile([Problem(str(path), 0, "is a folder, not a YAML file")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidFile([Problem(str(path), 0, f"cannot read file: {exc}")]) from exc
    return load_yaml_text(text, str(path))


def line_of(node: Any, key: str | None = None) -> int:
    """The line of a mapping (or of one of its keys); 0 when the value carries no position."""
    if isinstance(node, LineDict):
        return node.line_of(key) if key is not None else node.line
    return 0
