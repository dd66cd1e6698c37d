"""Reading the knowledge base folder and checking it, reporting every problem with file, line and entry id."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.answering.model import Entry
from bot.answering.text import STOP_WORDS, asks_how, tokens
from bot.markup import MENTION, shorten
from bot.nearest import meant
from bot.yamlsource import (
    InvalidFile,
    Problem,
    line_of,
    not_a_folder,
    read_yaml_file,
    saved_as_text,
    yaml_files,
    yaml_name,
)

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KINDS = ("jargon", "howto")
ENTRY_KEYS = ("id", "kind", "title", "aliases", "answer", "tags")
GROUP_KEYS = ("term", "also")
FILE_KEYS = ("entries", "synonyms")
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
_SHAPE = "a knowledge file must be a mapping with a list under 'entries'"
# A file started, or every entry commented out: like 'entries: []', not a mistake that stops the bot.
NO_ENTRIES_YET = "warning: no entries in this file yet"
# What a chat reply shows of one answer: Slack refuses a message of much more text, so a reply holds
# three sections of 3,000 characters (bot/slack/blocks.py), less what cuts and escaping take; past it the
# end, often the number to ring, is cut off.
LONGEST_ANSWER = 8_500
LIST_THEM = "list them under 'entries:'"
# Windows adds '.txt' to a file saved as a text document, and hides it from the person who saved it.
_NOT_TEXT = (
    "a file whose name ends .yaml.txt or .yml.txt is not read (Notepad adds '.txt' to a text document)"
)
# Other words for what the bot calls aliases: a key named so would silently lose every name under it.
_ALIAS_WORDS = frozenset(("synonyms", "synonym", "keywords", "keyword", "also", "question", "questions"))
_ALIAS_WORDS |= {"alternatives", "alternative"}
# What a title or answer written as a YAML list was meant to be: several wordings of the question, or
# the answer's lines or steps, which '|' keeps as they are written.
_LISTED = {
    "title": ": keep one wording as the title and list the others under 'aliases'",
    "answer": (
        ": to keep each line or step on its own line, write 'answer: |' and the lines under it, indented"
    ),
}
# Other words for the required fields, as FAQ and glossary templates name them: with the field missing,
# the key that holds it is what to rename ('question:' for title, 'definition:' for answer).
_FIELD_WORDS = {
    "id": frozenset(("ref", "reference", "slug")),
    "title": frozenset(("question", "q", "term", "name", "heading", "subject", "topic")),
    "answer": frozenset(("a", "definition", "description", "response", "reply", "body", "text", "content")),
    "kind": frozenset(("type", "category")),
}
_ALIAS_ENDINGS = (
    "synonyms",
    "keywords",
    "questions",
    "alternatives",
)  # 'other keywords' ('contact_names' is not)
# Keys whose plain value a YAML comment can cut short ('title: Ward #5 access' reads as 'Ward'); not an
# id, which holds no spaces, so whatever follows it is a note.
_TEXT_KEYS = ("title", "answer", "aliases", "tags", "term", "also")
# Markdown and HTML, which Slack shows as typed, each with how Slack's mrkdwn writes it: answers are
# often pasted from an intranet page or a Teams or Confluence FAQ.
_FOREIGN_MARKUP = (
    (re.compile(r"\[([^\]\n]+)\]\(((?:https?://|mailto:)[^)\s]+)\)"), r"<\2|\1>"),
    (re.compile(r"<a\s[^<>]*?href=[\"']?([^\"'\s<>]+)[^<>]*>([^<]*)</a>", re.IGNORECASE), r"<\1|\2>"),
    (re.compile(r"\*\*([^*\n]+)\*\*"), r"*\1*"),
    (
        re.compile(r"</?(?:b|strong|i|em|u|br|p|ul|ol|li|div|span|h[1-6])\b[^<>]*>", re.IGNORECASE),
        "Slack's mrkdwn in place of HTML tags: a new line, *bold*, _italic_, '• ' for a list item",
    ),
    (
        re.compile(r"&(?:nbsp|quot|apos|[lr][sd]quo|[nm]dash|pound|hellip|#\d{2,5});", re.IGNORECASE),
        "the character itself (a space, a quote mark, a dash, £)",
    ),
)
# A line of a list: a bullet or a number ('• ', '- ', '* ', '1. ', '2)').
_LIST_LINE = re.compile(r"(?:[•·▪◦‣●○■□►➢*+\-–—]|\d{1,3}[.)])\s+\S")


@dataclass(frozen=True)
class Knowledge:
    """A valid knowledge base as read from disk: entries, and the trust's own synonym groups."""

    entries: tuple[Entry, ...]
    synonyms: tuple[tuple[str, ...], ...]
    files: tuple[Path, ...]
    warnings: tuple[Problem, ...] = ()  # keys the bot does not read, kept for a trust's own use


def load_knowledge(folder: Path) -> Knowledge:
    """Read every file; raise InvalidFile listing all problems, in every file, at once."""
    if folder.is_file():
        raise InvalidFile([not_a_folder(folder)])
    if not folder.is_dir():
        raise InvalidFile([Problem(str(folder), 0, "knowledge base folder not found")])
    files = yaml_files(folder)
    nested = _in_subfolders(folder)
    texts = saved_as_text(folder)
    if not files:
        message = "no .yaml or .yml files in the knowledge base folder (hidden and backup files are not read)"
        if nested:
            message += f"; files in subfolders are not read: move {_named(nested)} up into {folder}"
        if texts:
            message += f"; {_NOT_TEXT}: {_renamed(texts)}"
        raise InvalidFile([Problem(str(folder), 0, message)])
    reader = _Reader()
    reader.warnings += [Problem(str(text), 0, f"warning: {_NOT_TEXT}: {_renamed([text])}") for text in texts]
    for sub, found in _by_subfolder(nested):
        message = "warning: knowledge files in subfolders are not read: "
        message += f"move {_named(found)} up to the knowledge folder"
        reader.warnings.append(Problem(str(folder / sub), 0, message))
    for path in files:
        reader.file(path)
    reader.check_across_entries()
    reader.ignored_keys()
    if not reader.entries and not reader.problems:
        reader.problems.append(Problem(str(folder), 0, "the knowledge base has no entries"))
    if reader.problems:
        raise InvalidFile(sorted(reader.problems, key=lambda p: (p.path, p.line)))
    warnings = tuple(sorted(reader.warnings, key=lambda w: (w.path, w.line)))
    return Knowledge(tuple(reader.entries), tuple(reader.groups), tuple(files), warnings)


def _in_subfolders(folder: Path) -> list[Path]:
    """Knowledge files in folders under the knowledge folder (relative to it), which are not read:
    a trust that sorts its files into folders would otherwise lose them without a word. Hidden
    folders (.git) are not looked into."""
    found = []
    for parent, folders, names in os.walk(folder):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        if parent != str(folder):
            here = Path(parent)
            found += [(here / n).relative_to(folder) for n in sorted(names) if yaml_name(n)]
    return found


def _renamed(texts: list[Path]) -> str:
    """How to rename files saved with '.txt' added: the name the bot reads is the name without it."""
    return "rename " + ", ".join(f"{p.name} to {p.stem}" for p in texts)


def _by_subfolder(nested: list[Path]) -> list[tuple[Path, list[Path]]]:
    groups: dict[Path, list[Path]] = {}
    for path in nested:
        groups.setdefault(path.parent, []).append(path)
    return list(groups.items())


def _named(paths: list[Path]) -> str:
    shown = ", ".join(p.as_posix() for p in paths[:3])
    return shown + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


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
        self._ignored: dict[tuple[str, str, tuple[str, ...]], list[tuple[int, str | None]]] = {}

    def fail(self, path: Path, line: int, message: str, item: str | None = None) -> None:
        self.problems.append(Problem(str(path), line, message, item))

    def unknown_key(
        self, key: object, known: tuple[str, ...], path: Path, line: int, item: str | None, value: Any = None
    ) -> None:
        """A misspelt key would silently lose what it holds ('alias:'), and so would another word for
        aliases ('synonyms:', in an entry or a synonym group), so each is a problem; entries listed under
        another heading ('pharmacy:', or 'drafts:' parked on purpose) are not read, with a warning that
        says so; any other key is a trust's own note (an owner, a review date) that the bot leaves alone,
        with a warning."""
        if known in (ENTRY_KEYS, GROUP_KEYS) and _means_aliases(str(key)):
            other = "also" if known == GROUP_KEYS else "aliases"
            message = f"unknown key {key!r}: did you mean {other!r}? (what it holds would be lost)"
            self.fail(path, line, message, item)
        elif near := meant(str(key), known):
            self.fail(path, line, f"unknown key {key!r}: did you mean {near!r}?", item)
        elif known == FILE_KEYS and (count := _entries_in(value)):
            message = (
                f"warning: {count} entries under {key!r} are not read: move them under 'entries:' to use"
                f" them (a comment line such as '# {key}' can head a section)"
            )
            self.warnings.append(Problem(str(path), line, message, item))
        else:
            self._ignored.setdefault((str(path), str(key), known), []).append((line, item))

    def ignored_keys(self) -> None:
        """One warning for each key the bot does not read, in each file: where a trust keeps its own notes
        on every entry ('owner', 'review_date'), one line per entry would bury the warnings that matter,
        here and in the log at every start and reload."""
        for (path, key, known), uses in self._ignored.items():
            (line, item), count = uses[0], len(uses)
            where = f" in {count} entries of this file, the first on this line" if count > 1 else ""
            message = f"warning: unknown key {key!r} is ignored{where} (the bot reads {', '.join(known)})"
            self.warnings.append(Problem(path, line, message, None if count > 1 else item))

    def file(self, path: Path) -> None:
        try:
            data, repeats = read_yaml_file(path)
        except InvalidFile as exc:
            self.problems.extend(exc.problems)
            return
        self.problems.extend(repeats)
        if data is None:  # empty, or comments only: a file started, or every entry commented out
            self.warnings.append(
                Problem(str(path), 1, f"{NO_ENTRIES_YET} (it is empty, or all comments): {LIST_THEM}")
            )
            return
        if not isinstance(data, dict):
            self.fail(path, line_of(data) or 1, _unheaded(data) or _SHAPE)
            return
        for key in data:
            if key not in FILE_KEYS:
                self.unknown_key(key, FILE_KEYS, path, line_of(data, str(key)), None, data[key])
        if not any(k in data for k in FILE_KEYS):
            if not any(_entries_in(value) for value in data.values()):  # entries parked: warned of above
                self.fail(path, line_of(data) or 1, _glossary(data) or _SHAPE)
            return
        if all(data[k] is None for k in FILE_KEYS if k in data):  # 'entries:' with every item commented out
            message = f"{NO_ENTRIES_YET} ('entries:' lists none, or only commented-out ones)"
            self.warnings.append(
                Problem(str(path), line_of(data, "entries" if "entries" in data else "synonyms"), message)
            )
        for key, read in (("entries", self.entry), ("synonyms", self.group)):
            items = data.get(key)
            if items is None:  # 'entries:' left empty is no entries, as 'entries: []' is
                items = []
            if not isinstance(items, list):
                self.fail(path, line_of(data, key), f"'{key}' must be a list{_listed(key, items)}")
                continue
            for number, item in enumerate(items, start=1):
                read(path, item, number, line_of(items, number - 1) or line_of(data, key))

    def entry(self, path: Path, item: Any, number: int, line: int) -> None:
        if not isinstance(item, dict):
            self.fail(path, line, "must be a mapping of id, kind, title, answer", f"entry #{number}")
            return
        if written := _as_entry(item):
            self.fail(path, line, f"a term and its meaning on one line: {written}", f"entry #{number}")
            return
        name = item.get("id") if isinstance(item.get("id"), str) else f"entry #{number}"
        before = len(self.problems)

        def fail(key: str | None, message: str, line: int = 0) -> None:
            self.fail(path, line or line_of(item, key), message, name)

        holders = _holders(item)
        for key in item:
            if key in ENTRY_KEYS or key in holders.values():
                continue
            if cut_at := _cut_at_comma(item, key):
                message = (
                    f"warning: in {{...}} a comma ends the {cut_at!r} value, and the text after it ({key!r})"
                    f" is lost: put the {cut_at} in quotes"
                )
                self.warnings.append(Problem(str(path), line_of(item, str(key)), message, name))
            else:
                self.unknown_key(key, ENTRY_KEYS, path, line_of(item, str(key)), name)
        cut = self.comments_in_values(item, path, name)
        for key in ("id", "kind", "title", "answer"):
            if key in holders:
                fail(holders[key], f"missing required field '{key}': rename {holders[key]!r} to '{key}'")
            elif key not in item:
                fail(None, f"missing required field '{key}'")
            elif key in cut and not item[key]:
                continue  # all of it is in the comment, reported as such
            elif why := not_text(f"'{key}'", item[key]) or placeholder(key, item[key]):
                fail(key, why + _LISTED.get(key, "") if isinstance(item[key], list) else why)
        if isinstance(item.get("id"), str) and not _ID.match(item["id"]):
            written = f" (write {kebab_case(item['id'])!r})" if kebab_case(item["id"]) else ""
            fail("id", f"id must be kebab-case: lower-case letters and digits joined by '-'{written}")
        if isinstance(item.get("kind"), str) and item["kind"] not in KINDS:
            fail("kind", _unknown_kind(item["kind"]))
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
        for listed in (n for n in names if not n.title and "," in n.text):
            parts = ", ".join(part.strip() for part in listed.text.split(",") if part.strip())
            message = (
                f"warning: alias {listed.text!r} is one alias, read as the phrase {listed.key!r}: to give"
                f" several, list each as its own item: [{parts}]"
            )
            self.warnings.append(Problem(str(path), listed.line, message, name))
        if item.get("kind") == "jargon" and title and asks_how(names[0].key):
            self.warnings.append(Problem(str(path), line_of(item, "kind"), ASKS_HOW, name))
        if isinstance(item.get("answer"), str):
            self.answer_warnings(item, path, name)
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

    def comments_in_values(self, item: dict, path: Path, name: str) -> set[str]:
        """Report each plain value of the keys in _TEXT_KEYS (or item of their lists) that a YAML comment
        cuts short on its line: 'Ward #5 access' reads as 'Ward', and the rest is gone without a word. A
        value cut to nothing is a problem; one cut short is a warning (a knowledge base that loaded before
        still loads). A note after two spaces and '# ', as the README's example has, is a comment meant as
        one. The keys whose own value was cut to nothing."""
        found = [(key, tail) for key, tail in getattr(item, "tails", {}).items() if key in _TEXT_KEYS]
        for key in ("aliases", "tags", "also"):
            found += [(key, tail) for tail in getattr(item.get(key), "tails", {}).values()]
        cut, seen = set(), set()
        for key, (line, rest) in found:
            gap = len(rest) - len(rest.lstrip(" \t"))
            comment = rest.strip()
            if (gap >= 2 and comment[1:2] in ("", " ")) or line in seen:  # a note, or told already
                continue
            seen.add(line)
            shown = shorten(comment, 40)
            message = f'text after " #" is a YAML comment and is lost ({shown!r}): put the value in quotes'
            if item.get(key):
                self.warnings.append(Problem(str(path), line, f"warning: {message}", name))
            else:
                self.fail(path, line, message, name)
                cut.add(key)
        return cut

    def answer_warnings(self, item: dict, path: Path, name: str) -> None:
        """An answer that reads differently in Slack from how it looks in the file."""
        line = line_of(item, "answer")
        if (folded := getattr(item, "folded", {}).get("answer")) and _joins_a_list(folded):
            message = 'warning: answer uses ">" which joins lines: use "|" to keep the list'
            self.warnings.append(Problem(str(path), line, message, name))
        if mentions := list(dict.fromkeys(MENTION.findall(item["answer"]))):
            shown = ", ".join(mentions[:3]) + (" ..." if len(mentions) > 3 else "")
            message = (
                f"warning: the answer has {shown}, which will not notify anyone: the bot does not ping"
                " from an answer; name the person or team to contact in words"
            )
            self.warnings.append(Problem(str(path), line, message, name))
        for typed, written in _foreign_markup(item["answer"]):
            message = f"warning: the answer has {typed!r}, which is not Slack's formatting and is not shown"
            message += f" as meant: write {written}"
            self.warnings.append(Problem(str(path), line, message, name))
        if (sent := _as_sent(item["answer"])) > LONGEST_ANSWER:
            message = (
                f"warning: the answer is {sent:,} characters as Slack is sent it ('&' as '&amp;') and a reply"
                f" shows about the first {LONGEST_ANSWER:,}: shorten it, split it into entries, or link to"
                " the full guide"
            )
            self.warnings.append(Problem(str(path), line, message, name))

    @staticmethod
    def text_list(item: dict, key: str, fail: Any) -> tuple[str, ...]:
        value = item.get(key) or []  # 'aliases:' left empty is no aliases, as a trust means it
        if not isinstance(value, list):
            lines = value.splitlines() if isinstance(value, str) else []  # one per line, under '|'
            written = ", ".join(line.strip() for line in lines if line.strip())
            fix = f"write {key}: [{written}]" if 0 < len(written) <= 60 else ""
            fail(key, f"'{key}' must be a list of text: {fix or 'e.g. [one, two], even for one: [one]'}")
            return ()
        whys = [(n, why) for n, v in enumerate(value) if (why := not_text(f"item {n + 1} of '{key}'", v))]
        for n, why in whys:
            fail(key, why, line_of(value, n))
        return () if whys else tuple(v.strip() for v in value)

    def group(self, path: Path, item: Any, number: int, line: int) -> None:
        if not isinstance(item, dict) or not isinstance(item.get("term"), str) or not item["term"].strip():
            hint = _group_written(_group_words(item))
            self.fail(path, line_of(item) or line, f"synonym group #{number} needs 'term: <text>': {hint}")
            return
        term = item["term"].strip()

        def fail(key: str | None, message: str, line: int = 0) -> None:
            self.fail(path, line or line_of(item, key), message, term)

        for key in item:
            if key not in GROUP_KEYS:
                self.unknown_key(key, GROUP_KEYS, path, line_of(item, str(key)), term)
        before = len(self.problems)
        if self.comments_in_values(item, path, term):
            return
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
        repeated: dict[tuple[str, str], list[tuple[_Named, _Named]]] = {}  # by the two files
        for entry in self._named:
            first = seen.setdefault(entry.id, entry)
            if first is not entry:
                repeated.setdefault((first.source, entry.source), []).append((first, entry))
            for name in entry.names:
                if not name.key:
                    continue  # a wordless name is warned about, never a clash
                owner = owners.setdefault(name.key, (entry, name))
                if owner[0].id != entry.id:
                    self.clash((entry, name), owner)
        for pairs in repeated.values():
            self.duplicates(pairs)

    def duplicates(self, pairs: list[tuple[_Named, _Named]]) -> None:
        """Each id used again, at the later use; or one problem for a whole file whose every entry is in
        another file: a copy kept in the folder ('faq - Copy.yaml', 'faq (1).yaml'), read like any other
        file, would otherwise give a problem for every entry, at the original when the copy sorts first."""
        (first, later), count = pairs[0], len(pairs)
        sizes = {
            source: sum(e.source == source for e in self._named) for source in (first.source, later.source)
        }
        if first.source != later.source and count > 1 and count == min(sizes.values()):
            copy = min(sizes, key=lambda source: (sizes[source], -len(source)))
            other = first.source if copy == later.source else later.source
            message = (
                f"all {count} of its entries have the ids of entries in {other}, as a copy of that file"
                " would: every file in the folder is read, so remove the copy or move it out of the folder"
            )
            self.fail(Path(copy), 0, message)
            return
        for first, later in pairs:
            where = f"{first.source}:{first.line}"
            self.fail(Path(later.source), later.line, f"duplicate id (first used at {where})", later.id)

    def clash(self, later: tuple[_Named, _Name], earlier: tuple[_Named, _Name]) -> None:
        """Reported at the name itself, and at the alias when an alias meets a title: the alias is
        what to change, whichever of the two entries comes first."""
        alias_first = not earlier[1].title and later[1].title
        (entry, name), (other, its) = (earlier, later) if alias_first else (later, earlier)
        where = f"{other.id!r} ({other.source}:{its.line})"
        message = f"{name.text!r} is already {'the title' if its.title else 'an alias'} of {where}"
        self.fail(Path(entry.source), name.line, message, entry.id)


def _means_aliases(key: str) -> bool:
    """Whether an entry's key is another word for aliases ('synonyms', 'keywords', 'other names')."""
    words = re.split(r"[\s_-]+", key.strip().lower())
    return " ".join(words) in _ALIAS_WORDS or (len(words) > 1 and words[-1] in _ALIAS_ENDINGS)


def _holders(item: dict) -> dict[str, str]:
    """The key that holds each missing required field under another name ('Title', 'question', 'type'),
    so one message says what to rename rather than two that leave the author to join them up."""
    found: dict[str, str] = {}
    for key in (k for k in item if isinstance(k, str) and k not in ENTRY_KEYS):
        words = key.strip().lower()
        near = meant(key, ENTRY_KEYS)
        field = near or next((f for f, others in _FIELD_WORDS.items() if words in others), None)
        if field in _FIELD_WORDS and field not in item:
            found.setdefault(field, key)
    return found


def _cut_at_comma(item: dict, key: object) -> str | None:
    """The text key whose value a comma cut short, when `key` is the rest of it: in a mapping written in
    braces on one line ('{title: EPR, answer: The record, used on every ward}') the text after the comma
    reads as a key with no value, right after the value it belongs to. None otherwise."""
    keys = list(item)
    at = keys.index(key)
    before = keys[at - 1] if at else None
    if item[key] is not None or before not in _TEXT_KEYS or not isinstance(item[before], str):
        return None
    return str(before) if line_of(item, str(before)) == line_of(item, str(key)) else None


def _unheaded(data: Any) -> str | None:
    """What to add to a file that is a list of entries (or of synonym groups) with no heading above it,
    as one is written by copying an entry out of the README; None for any other shape."""
    if not isinstance(data, list) or not data or not all(isinstance(item, dict) for item in data):
        return None
    heading = "synonyms" if all("term" in item and "id" not in item for item in data) else "entries"
    return (
        f"{_SHAPE}: this file is a list with no '{heading}:' above it; add the line '{heading}:' at the top"
        " (the list may stay as it is)"
    )


def _as_entry(item: Any) -> str | None:
    """How to write as an entry a term and its meaning written as one line ('PAS: The patient
    administration system.'), as a glossary or jargon buster is; None for anything else."""
    if not isinstance(item, dict) or len(item) != 1 or _holders(item):  # 'Question: ...' is a misnamed key
        return None
    ((term, meaning),) = item.items()
    if (
        not isinstance(term, str)
        or term in ENTRY_KEYS
        or not isinstance(meaning, str)
        or not kebab_case(term)
    ):
        return None
    answer = shorten(" ".join(meaning.split()), 40)
    return (
        f"write '- id: {kebab_case(term)}' with 'kind: jargon', 'title: {term}' and 'answer: {answer}'"
        " under it"
    )


def _glossary(data: dict) -> str | None:
    """What to write for a file of 'term: meaning' lines, a glossary as it is kept elsewhere; None when
    the file is not one."""
    first = _as_entry(dict([next(iter(data.items()))])) if data else None
    if not first or not all(isinstance(value, str) for value in data.values()):
        return None
    return f"this file lists terms and their meanings, which the bot does not read: {LIST_THEM}; {first}"


def _listed(key: str, items: Any) -> str:
    """How to write as a list what was written as a mapping under 'entries' (keyed by id) or 'synonyms'
    (each term with its other ways); '' for anything else."""
    if not isinstance(items, dict) or not items:
        return ""
    first, value = next(iter(items.items()))
    if key == "synonyms":
        return f" of groups: {_group_written(_group_words({first: value}))}"
    return f" of entries, each beginning '- id: ...': write '- id: {first}' in place of '{first}:'"


def _group_words(item: Any) -> list[str]:
    """The words of a synonym group written without 'term' and 'also': a list, 'term: others', or
    'term = other, other'; the term first. Empty when they cannot be told."""
    if isinstance(item, str):
        item = re.split(r"\s*[=,]\s*", item.strip())
    elif isinstance(item, dict) and len(item) == 1:
        ((term, others),) = item.items()
        item = [term, *(others if isinstance(others, list) else [others])]
    words = item if isinstance(item, list) and all(isinstance(w, str) and w.strip() for w in item) else []
    return [w.strip() for w in words]


def _group_written(words: list[str]) -> str:
    """A synonym group as it must be written, in its own words where they are known."""
    if len(words) < 2:
        words = ["<the words entries use>", "<another way to say them>"]
    return f"write '- term: {words[0]}' with 'also: [{', '.join(words[1:])}]' under it"


def _entries_in(value: Any) -> int:
    """How many entries (mappings with an id) a list under a key the bot does not read holds."""
    return sum(isinstance(v, dict) and "id" in v for v in value) if isinstance(value, list) else 0


def _foreign_markup(answer: str) -> list[tuple[str, str]]:
    """Each kind of Markdown or HTML the answer holds (its first use, shortened) and how mrkdwn writes it;
    a link written in HTML is not also reported as a tag. Each kind opens with '[', '<', '*' or '&': an
    answer with none of them, as most are, is spared the five searches (written for speed)."""
    if not any(c in answer for c in "[<*&"):
        return []
    found = []
    for pattern, written in _FOREIGN_MARKUP:
        if (use := pattern.search(answer)) and not any(use[0] in typed for typed, _ in found):
            found.append((use[0], use.expand(written)))
    return [(shorten(typed, 60), written) for typed, written in found]


def _as_sent(answer: str) -> int:
    """An answer's length once '&', '<' and '>' are written as Slack takes them, at most."""
    return len(answer) + 4 * answer.count("&") + 3 * (answer.count("<") + answer.count(">"))


def _joins_a_list(lines: tuple[str, ...]) -> bool:
    """Whether the source lines of a '>' value hold a line of a list that YAML joins to the line before
    (lines at the value's own indentation are joined; blank and further indented ones are kept)."""
    written = [line for line in lines if line.strip()]
    if not written:
        return False
    indent = len(written[0]) - len(written[0].lstrip(" "))
    previous = ""
    for line in lines:
        joined = previous.strip() and len(line) - len(line.lstrip(" ")) == indent
        if joined and _LIST_LINE.match(line.strip()):
            return True
        previous = line if line.strip() and len(line) - len(line.lstrip(" ")) == indent else ""
    return False


def kebab_case(text: str) -> str:
    """An id as the loader takes it, from any text: 'Badge Access' and 'badge_access' give 'badge-access'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _unknown_kind(kind: str) -> str:
    """What to write instead of a kind the bot does not know: 'how-to' and 'How To' are howto written
    otherwise; anything else ('faq', 'term') gets what each kind is for, so the author can choose."""
    if (squashed := kind.lower().replace(" ", "").replace("-", "").replace("_", "")) in KINDS:
        return f"unknown kind {kind!r} (write it as {squashed})"
    return (
        f"unknown kind {kind!r} (expected jargon, for what a term means, or howto, for how to do"
        " something or whom to ask)"
    )


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
