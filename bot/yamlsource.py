"""YAML loading that remembers where each mapping came from, so validation errors can name a line."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

SUFFIXES = (".yaml", ".yml")

_NONE: MappingProxyType = MappingProxyType({})


class LineDict(dict):
    """A mapping that knows its own line and the line of each of its keys (1-based).

    `tails` holds, by key, a plain value that a YAML comment follows on its line (`title: Ward #5`
    reads as 'Ward'): the comment's line and the text from the end of the value ('" #5"'); `folded`,
    by key, the source lines of a value written with '>', whose lines YAML joins into one."""

    line: int = 0
    key_lines: dict[str, int]
    tails: MappingProxyType | dict[str, tuple[int, str]] = _NONE
    folded: MappingProxyType | dict[str, tuple[str, ...]] = _NONE

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence that knows its own line and the line of each item (1-based); `tails` and `folded`
    as for LineDict, by item index."""

    line: int = 0
    item_lines: list[int]
    tails: MappingProxyType | dict[int, tuple[int, str]] = _NONE
    folded: MappingProxyType | dict[int, tuple[str, ...]] = _NONE

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml parses ~10x faster
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.repeats: list[tuple[LineDict, str, int, int]] = []  # (mapping, key, its line, first line)
        self.text = stream
        self.hashes = " #" in stream or "\t#" in stream  # no comment can follow a value on its line
        self._lines: list[str] | None = None

    @property
    def lines(self) -> list[str]:
        """The source lines, as the parser counts them (it does not count a byte order mark)."""
        if self._lines is None:
            self._lines = self.text.splitlines()
            if self._lines and self._lines[0].startswith("\ufeff"):
                self._lines[0] = self._lines[0][1:]
        return self._lines


def _note(loader: _LineLoader, container: LineDict | LineList, key: Any, node: yaml.Node) -> None:
    """Remember on its mapping or list what YAML reads differently from how a value looks: a comment
    after a plain value on its line, or in a list in brackets over several lines, or a value folded
    with '>'."""
    start, end = node.start_mark, node.end_mark
    if isinstance(node, yaml.SequenceNode) and node.flow_style and start.line < end.line and loader.hashes:
        for number in range(start.line, min(end.line, len(loader.lines) - 1) + 1):
            line = loader.lines[number][: end.column if number == end.line else None]
            if (column := _comment_at(line, start.column if number == start.line else 0)) >= 0:
                column = len(line[:column].rstrip(" \t"))  # all the spacing before it: a set-apart note
                vars(container).setdefault("tails", {})[key] = (number + 1, line[column:])
                return
    if not isinstance(node, yaml.ScalarNode):
        return
    if not node.style:  # plain: '' from libyaml, None from PyYAML
        if not loader.hashes:
            return
        rest = loader.lines[end.line][end.column :] if end.line < len(loader.lines) else ""
        if rest[:1] in (" ", "\t") and rest.lstrip(" \t").startswith("#"):
            vars(container).setdefault("tails", {})[key] = (end.line + 1, rest)
    elif node.style == ">":
        vars(container).setdefault("folded", {})[key] = tuple(loader.lines[start.line + 1 : end.line + 1])


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
        if loader.hashes or getattr(value_node, "style", None) == ">":
            _note(loader, result, str(key), value_node)
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
    for index, child in enumerate(node.value):
        if loader.hashes or getattr(child, "style", None) == ">":
            _note(loader, result, index, child)
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _located(construct: Any, what: str) -> Any:
    """PyYAML reads '2027-02-30' as a date and a 5,000-digit number as a number, and fails on either
    with a bare ValueError that names no line (a traceback, to whoever ran the bot): raised again as
    a YAML error at the value, so the person is told where it is and what to do."""

    def construct_value(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except ValueError as exc:
            why = f" ({exc})" if what == "date" else ""  # 'day is out of range for month'
            problem = f"{node.value[:40]!r} is not a {what} that can be read{why}"
            advice = f"{problem}: correct it, or put it in quotes"
            raise yaml.constructor.ConstructorError(None, None, advice, node.start_mark) from exc

    return construct_value


for _tag, _what in (("int", "number"), ("float", "number"), ("timestamp", "date")):
    _name = f"tag:yaml.org,2002:{_tag}"
    _LineLoader.add_constructor(_name, _located(_LineLoader.yaml_constructors[_name], _what))


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


def yaml_files(folder: Path) -> list[Path]:
    """.yaml and .yml files, in any case; not hidden files (editor locks such as .#terms.yaml, macOS's
    ._terms.yaml) nor backups (terms.yaml~), which would otherwise load a stale copy of every entry.
    A link whose file is gone is listed, so reading it says so instead of its entries silently going."""
    return sorted(p for p in folder.iterdir() if yaml_name(p.name) and (p.is_file() or p.is_symlink()))


def saved_as_text(folder: Path) -> list[Path]:
    """YAML files Windows Notepad saved with '.txt' added ('faq.yaml.txt'), which Explorer shows as
    'faq.yaml' while its extensions are hidden: not read, so the person must be told to rename them."""
    return sorted(
        p for p in folder.iterdir() if p.suffix.lower() == ".txt" and yaml_name(p.stem) and p.is_file()
    )


def yaml_name(name: str) -> bool:
    return Path(name).suffix.lower() in SUFFIXES and not name.startswith(".")


def not_a_folder(path: Path) -> Problem:
    """A file given where the folder of such files was wanted: the usual slip is naming one of them."""
    return Problem(str(path), 0, f"is a file, not a folder: give the folder that holds it ({path.parent})")


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
    except yaml.reader.ReaderError as exc:
        raise InvalidFile([_character_problem(exc, text, path)]) from exc
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


_INDENT = (
    "check the indentation of this line against the lines above: "
    "an entry's keys line up under each other, and each '-' under the one before"
)
FLOW_VALUE = "a value that starts with { or [ is read by YAML as a mapping or list: put it in quotes"
_CURLY_QUOTES = ("“", "”", "‘", "’", "„", "«")  # what a word processor or phone types for " and '
_RESERVED = "@`%!*&"  # a value that starts with one of these is read as YAML syntax, not text
_COMMENT = re.compile(r"[ \t]#")  # a '#' after a space starts a comment (unless in quotes)
_FLOW_COMMENT = re.compile(r"[ \t\[{,]#")  # inside [...] or {...}, one after the bracket or a comma too
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
# A no-break space where YAML needs a space (an indent, after a key's ':' or an item's '-'), as Word,
# Outlook and web pages paste them: it looks like a space, but YAML reads it as text, and the line breaks.
_HARD_SPACE = re.compile(r"^[ \t]*\u00a0|^[ \t]*-\u00a0|^[ \t]*(?:-[ \t]+)?[^\s:#'\"][^:#'\"]*:\u00a0")
_PASTED_SPACE = (
    "this line has a no-break space (as Word, Outlook or a web page paste) where YAML needs an ordinary"
    " one, in the indent or after a ':' or '-': delete it and type a space"
)
_OPENERS = {'"': ("text", '"'), "'": ("text", "'"), "[": ("list", "]"), "{": ("mapping", "}")}


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return Problem(path, 0, f"YAML syntax error: {exc.problem}")
    lines = text.splitlines()
    pasted = next((n for n, line in enumerate(lines[: mark.line + 1], 1) if _HARD_SPACE.search(line)), 0)
    if pasted:
        return Problem(path, pasted, f"YAML syntax error: {_PASTED_SPACE}")
    if "another document" in (exc.problem or ""):  # a second '---' (or '...') in the file
        here = lines[mark.line].strip() if mark.line < len(lines) else ""
        marker = f'the "{here[:3]}"' if here.startswith(("---", "...")) else "what starts a second one"
        return Problem(path, mark.line + 1, f"a file holds one document: remove {marker} on line "
                       f"{mark.line + 1} (or split the file)")  # fmt: skip
    if opened := _left_open(exc, lines):
        line = exc.context_mark.line + 1
        if "simple key" in (exc.context or ""):  # PyYAML names the next line, where it gave up: confusing
            return Problem(path, line, f"YAML syntax error: {opened}")
        return Problem(path, line, f"YAML syntax error: {exc.problem} on line {mark.line + 1}; {opened}")
    start = exc.context_mark if exc.context_mark and exc.context_mark.line == mark.line else mark
    here = lines[mark.line] if mark.line < len(lines) else ""
    hint = _hint(exc.problem or "", here, mark.column, _char_at(lines, start))
    return Problem(path, mark.line + 1, f"YAML syntax error: {exc.problem}" + (f"; {hint}" if hint else ""))


def _left_open(exc: yaml.MarkedYAMLError, lines: list[str]) -> str | None:
    """What was opened on an earlier line and never closed, which PyYAML only notices lines later
    (at the end of the file, for a quote): the line to fix is where it opened; None when nothing was."""
    start, end, context = exc.context_mark, exc.problem_mark, exc.context or ""
    if start is None or end is None or start.line >= end.line:
        return None
    if "simple key" in context:
        return _keyless(lines, start.line)
    opener = _char_at(lines, start)
    if opener in _OPENERS and ("quoted" in context or "flow" in context):
        what, closer = _OPENERS[opener]
        if what in ("list", "mapping") and _commented(lines[start.line : end.line], start.column):
            return (
                f"the {opener!r} opened on this line is never closed: a '#' after a space, {opener!r} or ','"
                f" starts a YAML comment, which hides the rest of the line ({closer!r} too): put the item"
                " that holds it in quotes"
            )
        return f"the {opener!r} opened on this line is never closed: end the {what} with {closer!r}"
    return None


def _keyless(lines: list[str], at: int) -> str:
    """Advice for a line YAML read as a key with no colon: a text's next line set too far left reads
    so ('answer: >-' then the text at the keys' indent), as does a key whose colon was left out."""
    line = lines[at]
    above = next((lines[n] for n in range(at - 1, -1, -1) if lines[n].strip()), "")
    indent = len(line) - len(line.lstrip())
    value_above = above.rstrip().endswith(("|", ">", "|-", ">-", "|+", ">+")) or (
        len(above) - len(above.lstrip()) > indent and ": " not in above and not above.lstrip().startswith("-")
    )
    if value_above:
        return (
            "this line reads as a new key, not as more of the text above it: indent it as far as that"
            " text (further than the key the text belongs to)"
        )
    return "the key on this line needs a colon and a space after it (answer: text)"


def _commented(lines: list[str], column: int) -> bool:
    """Whether a comment starts in these lines of a list or mapping in brackets (the first from
    `column`): PyYAML reads '[#general]' as a bracket and a comment."""
    return any(_comment_at(line, column if n == 0 else 0, _FLOW_COMMENT) >= 0 for n, line in enumerate(lines))


def _comment_at(line: str, column: int, comment: re.Pattern[str] = _COMMENT) -> int:
    """Where the character before a comment is in the line, from `column` on and outside quotes; -1 if
    none."""
    if "#" not in line:
        return -1
    unquoted = _QUOTED.sub(lambda quoted: "x" * len(quoted.group()), line)
    found = comment.search(unquoted, column)
    return found.start() if found else -1


def _hint(problem: str, line: str, column: int, start: str) -> str:
    """Plain-English advice for the syntax errors people make most; '' when there is none."""
    before = line[:column]
    if "\t" in line[: column + 1]:
        return "YAML does not allow tabs for indentation: use spaces"
    if "unknown escape" in problem:
        return (
            "inside double quotes a backslash starts an escape (\\n, \\t): write a value that holds "
            "backslashes, such as a pattern, in single quotes, e.g. '\\bSE\\d{6}\\b'"
        )
    if start and start in _RESERVED:
        return f"a value that starts with {start} must be in quotes"
    if "mapping values" in problem:
        if ": " not in before:
            return _INDENT
        if before.split(": ", 1)[1].lstrip().startswith(_CURLY_QUOTES):
            return (
                "curly quotes (“ ” ‘ ’) are text to YAML, not quotes, so the colon inside them breaks the"
                " line: type them again as straight quotes (\" or ')"
            )
        return "a colon inside a value: put the value in quotes"
    if any(words in problem for words in ("expected key", "<block end>", "'-' indicator")):
        if _value_of(line).startswith(("{", "[")):
            return FLOW_VALUE
        if before.rstrip().endswith(("'", '"')):
            return "text after a closing quote: quote the whole value (write '' for a ' inside '...')"
        return _INDENT
    if "comment or" in problem:
        return "after | or >, start the text on the next line"
    return ""


def _value_of(line: str) -> str:
    """What follows the key on a 'key: value' line; '' when it has none."""
    return line.partition(": ")[2].lstrip() if ": " in line else ""


def _char_at(lines: list[str], mark: yaml.Mark) -> str:
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column] if mark.column < len(line) else ""


def _character_problem(exc: yaml.reader.ReaderError, text: str, path: str) -> Problem:
    """A control character YAML refuses (a vertical tab pasted from Word, say), with the line it is on:
    PyYAML gives only its offset, counted in bytes by libyaml and in characters by PyYAML."""
    line = text.count("\n", 0, max(text.find(chr(exc.character)), 0)) + 1
    message = f"the control character #x{exc.character:02x} is not allowed: delete it"
    return Problem(path, line, message)


def read_yaml_file(path: Path) -> tuple[Any, list[Problem]]:
    """As `read_yaml_text`, for a UTF-8 file (or UTF-16 with its byte order mark, as Windows Notepad
    saves 'Unicode'); a file that cannot be read raises InvalidFile."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        if path.is_symlink():  # the file it points to was moved or deleted
            missing = f"a link to {path.readlink()}, which is not there: restore that file or remove the link"
            raise InvalidFile([Problem(str(path), 0, missing)]) from exc
        raise InvalidFile([Problem(str(path), 0, "file not found: check the path")]) from exc
    except IsADirectoryError as exc:
        raise InvalidFile([Problem(str(path), 0, "is a folder, not a YAML file")]) from exc
    except OSError as exc:
        raise InvalidFile([Problem(str(path), 0, f"cannot read file: {exc.strerror or exc}")]) from exc
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return read_yaml_text(raw.decode("utf-16"), str(path))
        except UnicodeDecodeError as exc:
            raise _not_utf8(path, 0, "not valid UTF-16 text") from exc
    if (nul := raw.find(b"\0")) >= 0:  # UTF-16 saved without its byte order mark
        raise _not_utf8(path, raw.count(b"\n", 0, nul) + 1, "not UTF-8 text (NUL bytes, as in UTF-16)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise _not_utf8(path, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})") from exc
    return read_yaml_text(text, str(path))


def _not_utf8(path: Path, line: int, why: str) -> InvalidFile:
    """Every encoding mistake has the same fix, worded once."""
    return InvalidFile([Problem(str(path), line, f"{why}: save the file with UTF-8 encoding")])


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
