"""Reading the knowledge base folder and checking it, reporting every problem with file, line and entry id."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.answering.model import Entry
from bot.answering.text import tokens
from bot.yamlsource import InvalidFile, Problem, line_of, load_yaml_file

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KINDS = ("jargon", "howto")
ENTRY_KEYS = ("id", "kind", "title", "aliases", "answer", "tags")
GROUP_KEYS = ("term", "also")
FILE_KEYS = ("entries", "synonyms")


@dataclass(frozen=True)
class Knowledge:
    """A valid knowledge base as read from disk: entries, and the trust's own synonym groups."""

    entries: tuple[Entry, ...]
    synonyms: tuple[tuple[str, ...], ...]
    files: tuple[Path, ...]


def knowledge_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml") and p.is_file())


def load_knowledge(folder: Path) -> Knowledge:
    """Read every file; raise InvalidFile listing all problems, in every file, at once."""
    if not folder.is_dir():
        raise InvalidFile([Problem(str(folder), 0, "knowledge base folder not found")])
    files = knowledge_files(folder)
    if not files:
        raise InvalidFile([Problem(str(folder), 0, "no .yaml files in the knowledge base folder")])
    reader = _Reader()
    for path in files:
        reader.file(path)
    reader.check_across_entries()
    if not reader.entries and not reader.problems:
        reader.problems.append(Problem(str(folder), 0, "the knowledge base has no entries"))
    if reader.problems:
        raise InvalidFile(reader.problems)
    return Knowledge(tuple(reader.entries), tuple(reader.groups), tuple(files))


def phrase_key(text: str) -> str:
    """How two names are compared for clashes: case, punctuation and spacing do not count."""
    return " ".join(tokens(text))


class _Reader:
    """Collects entries and problems file by file instead of stopping at the first problem."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.groups: list[tuple[str, ...]] = []
        self.problems: list[Problem] = []
        self._phrases: dict[str, tuple[str, int]] = {}  # synonym phrase -> (file, line) of its group
        # Every entry with an id, valid or not, so clashes across entries show in the same run as
        # an entry's own mistakes rather than only after those are fixed.
        self._named: list[_Named] = []

    def fail(self, path: Path, line: int, message: str, item: str | None = None) -> None:
        self.problems.append(Problem(str(path), line, message, item))

    def file(self, path: Path) -> None:
        try:
            data = load_yaml_file(path)
        except InvalidFile as exc:
            self.problems.extend(exc.problems)
            return
        if not isinstance(data, dict) or not any(k in data for k in FILE_KEYS):
            self.fail(path, line_of(data), "a knowledge file must be a mapping with a list under 'entries'")
            return
        for key in data:
            if key not in FILE_KEYS:
                self.fail(path, line_of(data, str(key)), f"unknown key {key!r} (expected {list(FILE_KEYS)})")
        for key, read in (("entries", self.entry), ("synonyms", self.group)):
            items = data.get(key, [])
            if not isinstance(items, list):
                self.fail(path, line_of(data, key), f"'{key}' must be a list")
                continue
            for number, item in enumerate(items, start=1):
                read(path, item, number, line_of(data, key))

    def entry(self, path: Path, item: Any, number: int, list_line: int) -> None:
        if not isinstance(item, dict):
            self.fail(path, list_line, f"entry #{number} must be a mapping of id, kind, title, answer")
            return
        name = item.get("id") if isinstance(item.get("id"), str) else f"entry #{number}"
        before = len(self.problems)

        def fail(key: str | None, message: str) -> None:
            self.fail(path, line_of(item, key), message, name)

        for key in item:
            if key not in ENTRY_KEYS:
                fail(str(key), f"unknown key {key!r} (expected {', '.join(ENTRY_KEYS)})")
        for key in ("id", "kind", "title", "answer"):
            if key not in item:
                fail(None, f"missing required field '{key}'")
            elif not isinstance(item[key], str) or not item[key].strip():
                fail(key, f"'{key}' must be non-empty text")
        if isinstance(item.get("id"), str) and not _ID.match(item["id"]):
            fail("id", "id must be kebab-case: lower-case letters and digits joined by '-'")
        if isinstance(item.get("kind"), str) and item["kind"] not in KINDS:
            fail("kind", f"unknown kind {item['kind']!r} (expected jargon or howto)")
        lists = {key: self.text_list(item, key, fail) for key in ("aliases", "tags")}
        if isinstance(item.get("id"), str):
            title = (item["title"].strip(),) if isinstance(item.get("title"), str) else ()
            self._named.append(_Named(item["id"], str(path), line_of(item), (*title, *lists["aliases"])))
        if len(self.problems) == before:
            self.entries.append(
                Entry(
                    id=item["id"],
                    kind=item["kind"],
                    title=item["title"].strip(),
                    answer=item["answer"].strip(),
                    aliases=lists["aliases"],
                    tags=lists["tags"],
                    source=str(path),
                    line=line_of(item),
                )
            )

    @staticmethod
    def text_list(item: dict, key: str, fail: Any) -> tuple[str, ...]:
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            fail(key, f"'{key}' must be a list of non-empty text, e.g. [one, two]")
            return ()
        return tuple(v.strip() for v in value)

    def group(self, path: Path, item: Any, number: int, list_line: int) -> None:
        if not isinstance(item, dict) or not isinstance(item.get("term"), str) or not item["term"].strip():
            self.fail(path, line_of(item) or list_line, f"synonym group #{number} needs 'term: <text>'")
            return
        term = item["term"].strip()

        def fail(key: str | None, message: str) -> None:
            self.fail(path, line_of(item, key), message, term)

        for key in item:
            if key not in GROUP_KEYS:
                fail(str(key), f"unknown key {key!r} (expected term, also)")
        also = self.text_list(item, "also", fail)
        if not also:
            fail("also", "'also' must list at least one other way of saying the term")
            return
        here = (str(path), line_of(item))
        for phrase in (term, *also):
            owner = self._phrases.setdefault(phrase_key(phrase), here)
            if owner != here:
                fail(None, f"{phrase!r} is already in another synonym group ({owner[0]}:{owner[1]})")
        self.groups.append((term, *also))

    def check_across_entries(self) -> None:
        """Ids unique across files; no alias may be another entry's title or alias."""
        seen: dict[str, _Named] = {}
        owners: dict[str, _Named] = {}
        for entry in self._named:
            first = seen.setdefault(entry.id, entry)
            if first is not entry:
                where = f"{first.source}:{first.line}"
                self.fail(Path(entry.source), entry.line, f"duplicate id (first used at {where})", entry.id)
            for name in entry.names:
                owner = owners.setdefault(phrase_key(name), entry)
                if owner.id != entry.id:
                    where = f"{owner.id!r} ({owner.source}:{owner.line})"
                    message = f"{name!r} is already the title or an alias of {where}"
                    self.fail(Path(entry.source), entry.line, message, entry.id)


@dataclass(frozen=True)
class _Named:
    """What the checks across entries need of an entry: its id, where it is, and its names."""

    id: str
    source: str
    line: int
    names: tuple[str, ...]
