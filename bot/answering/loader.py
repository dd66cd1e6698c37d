"""Reading the knowledge base folder and checking it, reporting every problem with file, line and entry id."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.answering.model import Entry
from bot.answering.text import STOP_WORDS, asks_how, tokens
from bot.nearest import meant
from bot.yamlsource import InvalidFile, Problem, line_of, not_a_folder, read_yaml_file

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KINDS = ("jargon", "howto")
ENTRY_KEYS = ("id", "kind", "title", "aliases", "answer", "tags")
GROUP_KEYS = ("term", "also")
FILE_KEYS = ("entries", "synonyms")
SUFFIXES = (".yaml", ".yml")
# Text that folds to no words (emoji, punctuation, non-Latin scripts) can never be matched, nor clash.
WORDLESS = "has no letters or digits the bot can match (it reads A to Z and 0 to 9 only)"
ASKS_HOW = (
    "warning: kind is jargon but the title asks how to do something: it is answered as a howto; "
    "write kind: howto"
)
# A stub's answer (as `golive-bot gaps` prints it) or title not yet written: staff would be shown it.
_PLACEHOLDER = re.compile(r"[\W_]*(?:todo|tbc|tbd|fixme|xxx|\.\.\.|…)[\W_]*", re.IGNORECASE)
# What YAML makes of unquoted words and numbers that a trust meant as text (title: yes, title: 2020).
_READ_AS = ((bool, "yes/no (true/false)"), (int | float, "a number"), (date, "a date"))


@dataclass(frozen=True)
class Knowledge:
    """A valid knowledge base as read from disk: entries, and the trust's own synonym groups."""

    entries: tuple[Entry, ...]
    synonyms: tuple[tuple[str, ...], ...]
    files: tuple[Path, ...]
    warnings: tuple[Problem, ...] = ()  # keys the bot does not read, kept for a trust's own use


def knowledge_files(folder: Path) -> list[Path]:
    """.yaml and .yml files, in any case; not hidden files (editor locks such as .#terms.yaml, macOS's
    ._terms.yaml) nor backups (terms.yaml~), which would otherwise load a stale copy of every entry.
    A link whose file is gone is listed, so reading it says so instead of its entries silently going."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in SUFFIXES and not p.name.startswith(".") and (p.is_file() or p.is_symlink())
    )


def load_knowledge(folder: Path) -> Knowledge:
    """Read every file; raise InvalidFile listing all problems, in every file, at once."""
    if folder.is_file():
        raise InvalidFile([not_a_folder(folder)])
    if not folder.is_dir():
        raise InvalidFile([Problem(str(folder), 0, "knowledge base folder not found")])
    files = knowledge_files(folder)
    if not files:
        message = "no .yaml or .yml files in the knowledge base folder (hidden and backup files are not read)"
        raise InvalidFile([Problem(str(folder), 0, message)])
    reader = _Reader()
    for path in files:
        reader.file(path)
    reader.check_across_entries()
    if not reader.entries and not reader.problems:
        reader.problems.append(Problem(str(folder), 0, "the knowledge base has no entries"))
    if reader.problems:
        raise InvalidFile(reader.problems)
    warnings = tuple(sorted(reader.warnings, key=lambda w: (w.path, w.line)))
    return Knowledge(tuple(reader.entries), tuple(reader.groups), tuple(files), warnings)


def phrase_key(text: str) -> str:
    """How two names are compared for clashes: case, punctuation and spacing do not count."""
    return " ".join(tokens(text))


class _Reader:
    """Collects entries and problems file by file instead of stopping at the first problem."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.groups: list[tuple[str, ...]] = []
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self._phrases: dict[str, tuple[str, int]] = {}  # synonym phrase -> (file, line) of its group
        # Every entry with an id, valid or not, so clashes across entries show in the same run as
        # an entry's own mistakes rather than only after those are fixed.
        self._named: list[_Named] = []

    def fail(self, path: Path, line: int, message: str, item: str | None = None) -> None:
        self.problems.append(Problem(str(path), line, message, item))

    def unknown_key(
        self, key: object, known: tuple[str, ...], path: Path, line: int, item: str | None
    ) -> None:
        """A misspelt key would silently lose what it holds ('alias:'), so it is a problem; any other
        key is a trust's own note (an owner, a review date) that the bot leaves alone, with a warning."""
        if near := meant(str(key), known):
            self.fail(path, line, f"unknown key {key!r}: did you mean {near!r}?", item)
        else:
            message = f"warning: unknown key {key!r} is ignored (the bot reads {', '.join(known)})"
            self.warnings.append(Problem(str(path), line, message, item))

    def file(self, path: Path) -> None:
        try:
            data, repeats = read_yaml_file(path)
        except InvalidFile as exc:
            self.problems.extend(exc.problems)
            return
        self.problems.extend(repeats)
        if data is None:
            self.fail(path, 1, "the file is empty: start it with 'entries:' and list the entries under it")
            return
        if not isinstance(data, dict) or not any(k in data for k in FILE_KEYS):
            self.fail(
                path, line_of(data) or 1, "a knowledge file must be a mapping with a list under 'entries'"
            )
            return
        for key in data:
            if key not in FILE_KEYS:
                self.unknown_key(key, FILE_KEYS, path, line_of(data, str(key)), None)
        for key, read in (("entries", self.entry), ("synonyms", self.group)):
            items = data.get(key, [])
            if not isinstance(items, list):
                self.fail(path, line_of(data, key), f"'{key}' must be a list")
                continue
            for number, item in enumerate(items, start=1):
                read(path, item, number, line_of(items, number - 1) or line_of(data, key))

    def entry(self, path: Path, item: Any, number: int, line: int) -> None:
        if not isinstance(item, dict):
            self.fail(path, line, "must be a mapping of id, kind, title, answer", f"entry #{number}")
            return
        name = item.get("id") if isinstance(item.get("id"), str) else f"entry #{number}"
        before = len(self.problems)

        def fail(key: str | None, message: str, line: int = 0) -> None:
            self.fail(path, line or line_of(item, key), message, name)

        for key in item:
            if key not in ENTRY_KEYS:
                self.unknown_key(key, ENTRY_KEYS, path, line_of(item, str(key)), name)
        for key in ("id", "kind", "title", "answer"):
            if key not in item:
                fail(None, f"missing required field '{key}'")
            elif why := not_text(f"'{key}'", item[key]) or placeholder(key, item[key]):
                fail(key, why)
        if isinstance(item.get("id"), str) and not _ID.match(item["id"]):
            fail("id", "id must be kebab-case: lower-case letters and digits joined by '-'")
        if isinstance(item.get("kind"), str) and item["kind"] not in KINDS:
            hint = f"write it in lower case: {item['kind'].lower()}" if item["kind"].lower() in KINDS else ""
            fail("kind", f"unknown kind {item['kind']!r} ({hint or 'expected jargon or howto'})")
        lists = {key: self.text_list(item, key, fail) for key in ("aliases", "tags")}
        title = (item["title"].strip(),) if isinstance(item.get("title"), str) else ()
        names = [_Name(t, phrase_key(t), line_of(item, "title"), True) for t in title] + [
            _Name(a, phrase_key(a), line_of(item["aliases"], n), False)
            for n, a in enumerate(lists["aliases"])
        ]
        for wordless in (n for n in names if not n.key):
            what = "title" if wordless.title else "alias"
            message = f"warning: {what} {wordless.text!r} {WORDLESS}: no question can find the entry by it"
            self.warnings.append(Problem(str(path), wordless.line, message, name))
        if item.get("kind") == "jargon" and title and asks_how(title[0]):
            self.warnings.append(Problem(str(path), line_of(item, "kind"), ASKS_HOW, name))
        if isinstance(item.get("id"), str):
            self._named.append(_Named(item["id"], str(path), line_of(item), tuple(names)))
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
        value = item.get(key) or []  # 'aliases:' left empty is no aliases, as a trust means it
        if not isinstance(value, list):
            fail(key, f"'{key}' must be a list of text, e.g. [one, two], even for one: [one]")
            return ()
        whys = [(n, why) for n, v in enumerate(value) if (why := not_text(f"item {n + 1} of '{key}'", v))]
        for n, why in whys:
            fail(key, why, line_of(value, n))
        return () if whys else tuple(v.strip() for v in value)

    def group(self, path: Path, item: Any, number: int, line: int) -> None:
        if not isinstance(item, dict) or not isinstance(item.get("term"), str) or not item["term"].strip():
            self.fail(path, line_of(item) or line, f"synonym group #{number} needs 'term: <text>'")
            return
        term = item["term"].strip()

        def fail(key: str | None, message: str, line: int = 0) -> None:
            self.fail(path, line or line_of(item, key), message, term)

        for key in item:
            if key not in GROUP_KEYS:
                self.unknown_key(key, GROUP_KEYS, path, line_of(item, str(key)), term)
        before = len(self.problems)
        also = self.text_list(item, "also", fail)
        if not also:  # empty, or with items that are not text, each already reported
            if len(self.problems) == before:
                fail("also", "'also' must list at least one other way of saying the term")
            return
        here = (str(path), line_of(item))
        for phrase in (term, *also):
            if not phrase_key(phrase):  # it would rewrite to nothing, erasing words from questions
                fail(None, f"{phrase!r} {WORDLESS}: write it in words")
                continue
            owner = self._phrases.setdefault(phrase_key(phrase), here)
            if owner != here:
                fail(None, f"{phrase!r} is already in another synonym group ({owner[0]}:{owner[1]})")
            elif phrase != term and STOP_WORDS.issuperset(tokens(phrase)):
                message = f"warning: {phrase!r} is common words only: any question would be read as {term!r}"
                self.warnings.append(Problem(str(path), line_of(item, "also"), message, term))
        self.groups.append((term, *also))

    def check_across_entries(self) -> None:
        """Ids unique across files; no alias may be another entry's title or alias."""
        seen: dict[str, _Named] = {}
        owners: dict[str, tuple[_Named, _Name]] = {}
        for entry in self._named:
            first = seen.setdefault(entry.id, entry)
            if first is not entry:
                where = f"{first.source}:{first.line}"
                self.fail(Path(entry.source), entry.line, f"duplicate id (first used at {where})", entry.id)
            for name in entry.names:
                if not name.key:
                    continue  # a wordless name is warned about, never a clash
                owner = owners.setdefault(name.key, (entry, name))
                if owner[0].id != entry.id:
                    self.clash((entry, name), owner)

    def clash(self, later: tuple[_Named, _Name], earlier: tuple[_Named, _Name]) -> None:
        """Reported at the name itself, and at the alias when an alias meets a title: the alias is
        what to change, whichever of the two entries comes first."""
        alias_first = not earlier[1].title and later[1].title
        (entry, name), (other, its) = (earlier, later) if alias_first else (later, earlier)
        where = f"{other.id!r} ({other.source}:{its.line})"
        message = f"{name.text!r} is already {'the title' if its.title else 'an alias'} of {where}"
        self.fail(Path(entry.source), name.line, message, entry.id)


def placeholder(key: str, value: Any) -> str | None:
    """Why a title or answer is a stub's placeholder (TODO, TBC, ...), which staff would be shown as it
    is; None when it is written, or is not a title or answer."""
    if key in ("title", "answer") and isinstance(value, str) and _PLACEHOLDER.fullmatch(value.strip()):
        return f"the {key} is only a placeholder ({value.strip()!r}): write the {key} in place of it"
    return None


def not_text(what: str, value: Any) -> str | None:
    """Why a value that must be text is not, in words that say how to fix the YAML; None when it is text."""
    if isinstance(value, str) and value.strip():
        return None
    if value is None or isinstance(value, str):
        return f"{what} is empty: give it some text"
    for kind, read_as in _READ_AS:
        if isinstance(value, kind):
            return f"{what} is read by YAML as {read_as}, not text: put it in quotes"
    return f"{what} must be text, not a {'list' if isinstance(value, list) else 'mapping'}"


@dataclass(frozen=True)
class _Named:
    """What the checks across entries need of an entry: its id, where it is, and its names."""

    id: str
    source: str
    line: int
    names: tuple[_Name, ...]


@dataclass(frozen=True)
class _Name:
    """A title or alias, with its line, so a clash points at the name to change."""

    text: str
    key: str  # its phrase_key
    line: int
    title: bool
