"""What `sitegen serve` watches, and how a burst of saves becomes one rebuild.

watchdog's threads hand changed paths to a `Debouncer`, which the serving loop waits on.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .config import THEME_DIR
from .discover import is_ignored

SOURCE_FOLDERS = ("content", "layouts", "static")
_SKIPPED_EVENTS = frozenset({"opened", "closed_no_write"})  # reads, such as the build's own


@dataclass(frozen=True)
class Sources:
    """What is watched: content/, layouts/, static/, the config file and the theme."""

    root: Path
    config_name: str
    output: Path

    def folders(self) -> list[Path]:
        return [self.root / name for name in SOURCE_FOLDERS] + [THEME_DIR]

    def name_of(self, path: str) -> str | None:
        """How a changed path is shown ("content/a.md", "theme/static/css/style.css"); None if
        it is not a source (output, caches, .git, editor swap files...)."""
        changed = Path(path)
        if changed == self.output or self.output in changed.parents:
            return None
        for top, label in ((THEME_DIR, "theme"), (self.root, "")):
            if top in changed.parents:
                parts = changed.relative_to(top).parts
                if any(is_ignored(part) for part in parts):
                    return None
                if label or parts[0] in SOURCE_FOLDERS or parts == (self.config_name,):
                    return "/".join((label, *parts) if label else parts)
        return None

    def path_of(self, name: str) -> Path:
        top, _, rest = name.partition("/")
        return THEME_DIR / rest if top == "theme" else self.root / name


def is_css_only(changes: Sequence[str]) -> bool:
    """Only the site's own stylesheets changed: their names stay, so a tab can swap them in.
    (The theme's are fingerprinted: a change renames them, so the pages change too.)"""
    return bool(changes) and all(c.startswith("static/") and c.endswith(".css") for c in changes)


class Debouncer:
    """Collects changed names; `wait` returns them once none came for `quiet` seconds, or
    for `settled_quiet` seconds when every one of them is settled: its last event ended a
    write (the file was closed after writing, renamed into place or deleted), as an
    editor's save ends, so the burst is most likely over.

    A file created and then deleted or renamed within one burst (an editor's temporary
    file, sed's) is dropped: the burst is about the file it was renamed to."""

    def __init__(self, quiet: float, settled_quiet: float | None = None):
        self.quiet = quiet
        self.settled_quiet = quiet if settled_quiet is None else min(quiet, settled_quiet)
        self._changes: dict[str, bool] = {}  # name -> created in this burst
        self._settled: set[str] = set()
        self._last = 0.0
        self._condition = threading.Condition()

    def add(self, name: str, created: bool = False, settled: bool = False) -> None:
        with self._condition:
            self._changes.setdefault(name, created)
            if settled:
                self._settled.add(name)
            else:
                self._settled.discard(name)
            self._touch()

    def remove(self, name: str) -> None:
        with self._condition:
            if self._changes.get(name):
                del self._changes[name]
                self._settled.discard(name)
            else:
                self._changes[name] = False
                self._settled.add(name)
            self._touch()

    def _touch(self) -> None:
        self._last = time.monotonic()
        self._condition.notify_all()

    def wait(self, idle: Callable[[], None] | None = None, idle_after: float = 2.0) -> list[str]:
        """The changed names, once none came for `quiet` seconds. `idle`: called once, when
        no change came for `idle_after` seconds (the server tidies up while nobody waits)."""
        idle_at = time.monotonic() + idle_after
        while True:
            with self._condition:
                changes = self._take_or_wait(idle_at if idle is not None else None)
                quiet = not self._changes
            if changes is not None:
                return changes
            if idle is not None and quiet and time.monotonic() >= idle_at:
                idle()
                idle = None

    def _take_or_wait(self, idle_at: float | None) -> list[str] | None:
        """The changes when their quiet period is over; else None, after waiting a while."""
        now = time.monotonic()
        if self._changes:
            settled = self._settled.issuperset(self._changes)
            remaining = self._last + (self.settled_quiet if settled else self.quiet) - now
            if remaining <= 0:
                changes, self._changes, self._settled = list(self._changes), {}, set()
                return changes
        else:
            remaining = 0.5  # wake now and then, so Ctrl-C is never held up
            if idle_at is not None:
                remaining = min(remaining, idle_at - now)
        if remaining > 0:
            self._condition.wait(remaining)
        return None


class _ChangeHandler(FileSystemEventHandler):
    def __init__(self, sources: Callable[[], Sources], debouncer: Debouncer):
        self.sources = sources
        self.debouncer = debouncer

    def on_any_event(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        if kind in _SKIPPED_EVENTS or (event.is_directory and kind == "modified"):
            return
        source = self.sources().name_of(os.fsdecode(event.src_path))
        if kind == "moved":
            destination = self.sources().name_of(os.fsdecode(event.dest_path))
            if destination:
                self.debouncer.add(destination, settled=True)  # a rename is whole at once
        if source and kind in ("moved", "deleted"):
            self.debouncer.remove(source)
        elif source:
            settled = kind == "closed" or event.is_directory  # "closed": after writing
            self.debouncer.add(source, created=kind == "created", settled=settled)


class Watcher:
    """watchdog on the site root (not recursive: the config file) and each source folder."""

    def __init__(self, sources: Callable[[], Sources], debouncer: Debouncer):
        self.sources = sources
        self.handler = _ChangeHandler(sources, debouncer)
        self.observer = Observer()
        self.watches: dict[Path, object] = {}

    def start(self) -> None:
        self.observer.schedule(self.handler, str(self.sources().root), recursive=False)
        self.refresh()
        self.observer.start()

    def refresh(self) -> None:
        """Watch source folders created since, forget deleted ones."""
        for folder in self.sources().folders():
            if folder.is_dir() and folder not in self.watches:
                self.watches[folder] = self.observer.schedule(
                    self.handler, str(folder), recursive=True
                )
            elif not folder.is_dir() and folder in self.watches:
                self.observer.unschedule(self.watches.pop(folder))

    def stop(self) -> None:
        if self.observer.is_alive():
            self.observer.stop()
            self.observer.join(timeout=5)
