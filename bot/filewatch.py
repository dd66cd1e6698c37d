"""Noticing that a folder of YAML files changed (the knowledge base, the communications plan), by
polling their names, sizes and modification times.

Polling needs no extra dependency, behaves the same on every platform and on network file systems,
and a couple of seconds' delay is fine for people editing YAML.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from bot.yamlsource import yaml_files

log = logging.getLogger(__name__)
Signature = tuple[tuple[str, int, int, int], ...]


def signature(folder: Path) -> Signature:
    """What the folder's YAML files look like now; any edit, addition or removal changes it."""
    found = []
    for path in yaml_files(folder) if folder.is_dir() else []:
        try:
            stat = path.stat()
        except OSError:
            continue
        # ctime too: a copy that keeps the old modification time and size (cp -p) is still an edit
        found.append((path.name, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size))
    return tuple(found)


class PollingWatcher:
    """Runs `check` from a daemon thread every `interval` seconds until stopped."""

    def __init__(self, check: Callable[[], object], interval: float = 2.0):
        self._check = check
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="file-watcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._check()
            except Exception:  # a failed check must never stop the bot answering
                log.exception("checking files for changes failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
