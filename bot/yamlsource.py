"""YAML loading that remembers where each mapping came from, so validation errors can name a line."""

from __future__ import annotations

import codecs
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


class LineList(list):
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml parses ~10x faster
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.repeats: list[tuple[LineDict, str, int, int]] = []  # (mapping, key, its line, first line)


_STR = "tag:yaml.org,2002:str"  # a plain text key: its value is the key, no constructor needed


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    own = node.value
    loader.flatten_mapping(node)
    inherited = len(node.value) - len(own)  # keys merged in with `<<` come first; own keys may override
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    own_lines: dict[Any, int] = {}
    for index, (key_node, value_node) in enumerate(node.value):
        key = key_node.value if key_node.tag == _STR else loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be plain values", key_node.start_mark
            )
        line = key_node.start_mark.line + 1
        if index >= inherited:
            if key in own_lines:  # PyYAML would silently keep only the last
                loader.repeats.append((result, str(key), line, own_lines[key]))
            own_lines[key] = line
        result[key] = _constructed(loader, value_node)
        result.key_lines[str(key)] = line
    return result


def _constructed(loader: _LineLoader, node: yaml.Node) -> Any:
    """A node's value: plain text, most of a knowledge file, taken as it is (as PyYAML's own str
    constructor would take it, without its per-node bookkeeping); anything else built by PyYAML."""
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    return loader.construct_object(node, deep=True)


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(_constructed(loader, child) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


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


def read_yaml_text(text: str, path: str) -> tuple[Any, list[Problem]]:
    """Parse YAML text: the data, and the keys given twice in one mapping (readable, but a mistake).

    PyYAML keeps the last of two equal keys without a word, so an edited entry can lose its title or a
    whole list of entries; the caller reports the repeats with the rest of the file's problems.
    Syntax errors raise InvalidFile with the line.
    """
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        raise InvalidFile([_syntax_problem(exc, text, path)]) from exc
    except yaml.YAMLError as exc:
        raise InvalidFile([Problem(path, 0, f"YAML error: {exc}")]) from exc
    finally:
        loader.dispose()
    return data, [
        Problem(
            path,
            line,
            f"{key!r} is given twice (first on line {first}); only the last would be used: remove one",
            mapping.get("id") if isinstance(mapping.get("id"), str) else key,
        )
        for mapping, key, line, first in loader.repeats
    ]


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return Problem(path, 0, f"YAML syntax error: {exc.problem}")
    lines = text.splitlines()
    here = lines[mark.line] if mark.line < len(lines) else ""
    tab = "\t" in here[: mark.column + 1]
    hint = "; YAML does not allow tabs for indentation: use spaces" if tab else ""
    return Problem(path, mark.line + 1, f"YAML syntax error: {exc.problem}{hint}")


def read_yaml_file(path: Path) -> tuple[Any, list[Problem]]:
    """As `read_yaml_text`, for a UTF-8 file (or UTF-16 with its byte order mark, as Windows Notepad
    saves 'Unicode'); a file that cannot be read raises InvalidFile."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InvalidFile([Problem(str(path), 0, "file not found: check the path")]) from exc
    except IsADirectoryError as exc:
        raise InvalidFile([Problem(str(path), 0, "is a folder, not a YAML file")]) from exc
    except OSError as exc:
        raise InvalidFile([Problem(str(path), 0, f"cannot read file: {exc.strerror or exc}")]) from exc
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return read_yaml_text(raw.decode("utf-16"), str(path))
        except UnicodeDecodeError as exc:
            message = "not valid UTF-16 text: save the file with UTF-8 encoding"
            raise InvalidFile([Problem(str(path), 0, message)]) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}): save the file with UTF-8 encoding"
        raise InvalidFile([Problem(str(path), line, message)]) from exc
    return read_yaml_text(text, str(path))


def load_yaml_file(path: Path) -> Any:
    """The file's data; raises InvalidFile for any problem, keys given twice included."""
    data, problems = read_yaml_file(path)
    if problems:
        raise InvalidFile(problems)
    return data


def line_of(node: Any, key: str | int | None = None) -> int:
    """The line of a mapping or list (or of one of its keys or items); 0 when it carries no position."""
    if key is None:
        return node.line if isinstance(node, LineDict | LineList) else 0
    if isinstance(node, LineDict):
        return node.line_of(str(key))
    if isinstance(node, LineList) and isinstance(key, int):
        return node.line_of(key)
    return 0
