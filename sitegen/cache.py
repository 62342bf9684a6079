"""The build cache between runs, keyed by content hashes, so a rebuild skips what did not change.

Layout of the cache folder (`.sitegen-cache/` in the site, or a temporary one for --no-cache):

    index.pickle   stat manifest and parsed articles of a build
    index.delta.pickle  what changed in them since, to the last build (indexdelta.py)
    html.sqlite    rendered body and table of contents of each article, by key (one file,
                   not one per article: creating and deleting 10,000 files costs seconds)

A cache that cannot be read (truncated, corrupt, from another version) is dropped with a
warning and rebuilt: it only ever saves time, never changes output.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import pickle
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Collection
from dataclasses import dataclass, field, fields
from itertools import compress
from operator import ne
from pathlib import Path
from typing import Any

from . import __version__
from .discover import file_stamp
from .errors import SitegenError
from .indexdelta import IndexDelta
from .parse import Document
from .render import Rendered
from .safepickle import IndexUnpickler
from .store import INDEX_NAME, STORE_NAME, RowStore
from .write import KeptState

_BASE = INDEX_NAME
_DELTA = "index.delta.pickle"  # the changes since the base was written (indexdelta.py)


def _schema() -> str:
    """Field names of everything pickled in the index: a changed dataclass invalidates the cache."""
    return ";".join(",".join(f.name for f in fields(cls)) for cls in (Document, Rendered))


_SCHEMA_HASH = hashlib.blake2b(_schema().encode(), digest_size=8).hexdigest()
_FORMAT = f"sitegen-cache 8 {__version__} {_SCHEMA_HASH}"


@dataclass(frozen=True)
class SourceRecord:
    """What parsing and rendering one source gave: everything but the body HTML."""

    key: str  # hash of the source text and of everything that changes its HTML
    document: Document  # with an empty body
    rendered: Rendered  # with empty content_html and toc_html (those live in html/)
    warnings: tuple[SitegenError, ...] = ()


@dataclass
class CacheIndex:
    format: str = _FORMAT
    settings: str = ""  # render settings the stat manifest was made with
    started_ns: int = 0  # when the build that wrote this index began
    stats: dict[str, tuple[tuple[int, ...], str]] = field(
        default_factory=dict
    )  # path -> (stamp, key)
    records: dict[str, SourceRecord] = field(default_factory=dict)  # by key
    # The link check's scan of each page, valid while the page's signature stays the same and
    # the output paths (which decide what a link can reach) allow it (pages.reusable_scans).
    scanned_outputs: frozenset[str] = frozenset()  # the output paths the scans were made against
    scans: dict[str, tuple[str, Any]] = field(
        default_factory=dict
    )  # output path -> (signature, scan)
    # Stamps of html.sqlite and its WAL when the build that saved this index let go of them:
    # while they are the same, no one has written the store since, and its check is skipped.
    store_stamp: tuple[Any, ...] | None = None


@dataclass
class ScanViews:
    """The index's scans (output path -> (signature, scan)) as two dicts, which a process
    that builds again keeps beside it: the next build finds the scans still true for its
    signatures with a lookup per page instead of a dict made entry by entry (0.25 s at
    100,000 articles)."""

    signatures: dict[str, str]
    scans: dict[str, Any]

    def updated(self, gone: Collection[str], fresh: dict[str, tuple[str, Any]]) -> ScanViews:
        views = ScanViews(dict(self.signatures), dict(self.scans))
        for path in gone:
            del views.signatures[path], views.scans[path]
        for path, (signature, scan) in fresh.items():
            views.signatures[path], views.scans[path] = signature, scan
        return views


@dataclass
class CacheMemory:
    """What a long-running process (the dev server) keeps of the cache between its builds:
    the index it saved last and the stamp of the file it went to. While the file keeps that
    stamp (no other build has saved since), the next build takes the index from here instead
    of reading the file again: a fifth of a rebuild's time at 10,000 articles."""

    index: CacheIndex | None = None
    stamp: tuple[Any, ...] | None = None  # of the base file and of the delta file
    delta: IndexDelta | None = None  # the delta file's content, applied to `index`
    model: Any = None  # reuse.KeptModel: the last build's site model, for a body edit to patch
    look: Any = None  # changes.KeptLook: the last build's look at its inputs, for the next to patch
    stored: frozenset[str] | None = None  # the keys in the HTML store when `index` was saved
    reached: set[int] | None = None  # checksums of the paths the scans of `index` reach, or more
    views: ScanViews | None = None  # of the scans of `index`
    output: KeptState = field(default_factory=KeptState)  # the output folder's state

    def take_model(self) -> Any:
        """The kept model, no longer kept: a build that fails must not leave it half-patched."""
        model, self.model = self.model, None
        return model

    def recall(self, stamp: tuple[Any, ...]) -> CacheIndex | None:
        return self.index if self.index is not None and stamp == self.stamp else None

    def keep(self, index: CacheIndex | None, stamp: tuple[Any, ...] | None,
             delta: IndexDelta | None = None, stored: frozenset[str] | None = None,
             reached: set[int] | None = None, views: ScanViews | None = None) -> None:  # fmt: skip
        self.index, self.stamp, self.delta, self.stored = index, stamp, delta, stored
        self.reached, self.views = reached, views


def _check_size(path: Path) -> None:
    """SQLite reads past the end of a cut file as zeros: compare the size with the header's."""
    try:
        with open(path, "rb") as file:
            header = file.read(100)
        size = path.stat().st_size
    except (FileNotFoundError, IsADirectoryError):
        return
    if len(header) < 100 or header[24:28] != header[92:96]:  # no size recorded (SQLite < 3.7)
        return
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if size % page_size or size < page_size * int.from_bytes(header[28:32], "big"):
        raise sqlite3.DatabaseError(f"the file is cut short ({size} bytes)")


def source_key(settings: str, source_path: str, text: str) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for part in (settings, source_path, text):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class BuildCache:
    """Reads the index once, hands out records and HTML, and saves the new index at the end."""

    def __init__(self, folder: Path | None, memory: CacheMemory | None = None):
        self.persistent = folder is not None
        self._memory = memory if self.persistent else None
        self.folder = folder if folder is not None else Path(tempfile.mkdtemp(prefix="sitegen-"))
        self.warning: str | None = None
        self.rows = RowStore(self.folder, self.persistent)
        self._lock = self._take_lock() if self.persistent else -1
        self._base_stamp: tuple[int, ...] | None = None  # of the base file the index came from
        self._delta: IndexDelta | None = None  # what was applied to that base
        self.index_kept = False  # the index is the one this process saved last (no other since)
        self.index = self._load() if self.persistent else CacheIndex()
        self.new_index = CacheIndex(started_ns=time.time_ns())
        self._stored = self._stored_keys()
        self._kept: set[str] = set()  # stored bytes that this build made or used (store_bytes)
        self._reached: set[int] | None = None  # see remember_scans
        self._views: ScanViews | None = None  # see remember_scans
        # Tables of the new index started as copies of the old one's (carry_all_but,
        # remember_scans), with the keys that alone can differ: saving compares only those.
        self._touched: dict[str, set[str]] = {}

    @property
    def memory(self) -> CacheMemory | None:
        """What the process keeps between its builds; None for a one-shot build."""
        return self._memory

    def _take_lock(self) -> int:
        """Builds sharing this cache take turns, from reading the index to saving it: one
        build's clean-up must not drop HTML that another is about to use."""
        self.folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.folder / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        return descriptor

    def _load(self) -> CacheIndex:
        path = self.folder / _BASE
        stamp = self._stamps()
        if stamp[0] is None:
            return CacheIndex()
        kept = self._memory.recall(stamp) if self._memory else None
        if kept is not None:
            self._base_stamp, self._delta = stamp[0], self._memory.delta
            self.index_kept = True
            return kept
        try:
            with open(path, "rb") as file:
                index = IndexUnpickler(file).load()
            if not isinstance(index, CacheIndex):
                raise ValueError("not a cache index")
        except Exception as error:  # noqa: BLE001 - any damage means: start afresh
            self._drop(
                f"{path}: the cache could not be read ({type(error).__name__}); rebuilding it"
            )
            return CacheIndex()
        if index.format != _FORMAT:  # made by another version: expected after an upgrade
            self._drop(None)
            return CacheIndex()
        self._base_stamp, self._delta = stamp[0], self._read_delta(stamp[0])
        if self._delta is not None:
            self._delta.apply(index)
        return index

    def _stamps(self) -> tuple[Any, ...]:
        return (file_stamp(self.folder / _BASE), file_stamp(self.folder / _DELTA))

    def _read_delta(self, base: tuple[int, ...]) -> IndexDelta | None:
        """The changes since the base was written; None when there are none, or when they
        belong to another base or cannot be read (an older index is safe: it only costs
        work that its stamps and keys no longer match)."""
        try:
            with open(self.folder / _DELTA, "rb") as file:
                delta = IndexUnpickler(file).load()
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - a damaged delta is ignored, like a stale one
            return None
        return delta if isinstance(delta, IndexDelta) and delta.base == base else None

    def _drop(self, warning: str | None) -> None:
        self.warning = warning
        self.index_kept = False
        if self._memory:
            self._memory.keep(None, None)
        self.rows.close()
        for name in (_BASE, _DELTA, STORE_NAME, f"{STORE_NAME}-wal", f"{STORE_NAME}-shm"):
            path = self.folder / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)

    # --- sources --------------------------------------------------------------------

    def known_key(self, settings: str, source_path: str, stamp: tuple[int, ...]) -> str | None:
        """The key of a file unchanged since the last build, without reading it.

        Unchanged means the same mtime, ctime, size and inode (utime cannot reset ctime), and
        not touched after the last build began: an edit in the same clock tick as that build's
        look at the file could leave the stamp equal (git calls this "racy clean").
        """
        if self.index.settings != settings:
            return None
        entry = self.index.stats.get(source_path)
        if entry is None or entry[0] != stamp or max(stamp[0], stamp[1]) >= self.index.started_ns:
            return None
        return entry[1]

    def record(self, key: str) -> SourceRecord | None:
        """A record whose HTML is in the store too; None when either is missing."""
        record = self.index.records.get(key)
        return record if record is not None and key in self._stored else None

    def remember(
        self, settings: str, source_path: str, stamp: tuple[int, ...], record: SourceRecord
    ) -> None:
        self.new_index.settings = settings
        self.new_index.stats[source_path] = (stamp, record.key)
        self.new_index.records[record.key] = record
        if "stats" in self._touched:  # the tables were carried over
            self._touched["stats"].add(source_path)
            self._touched["records"].add(record.key)

    def carry_all_but(self, source_paths: Collection[str]) -> None:
        """Start the new index as the old one without the entries of these sources: for a
        build that knows them to be the only ones that can have changed (changes.py)."""
        old, new = self.index, self.new_index
        new.settings, new.stats, new.records = old.settings, dict(old.stats), dict(old.records)
        paths = self._touched.setdefault("stats", set())
        keys = self._touched.setdefault("records", set())
        for source_path in source_paths:
            paths.add(source_path)
            entry = new.stats.pop(source_path, None)
            if entry is not None:  # a key belongs to one path: source_key hashes the path
                new.records.pop(entry[1], None)
                keys.add(entry[1])

    def carry(self, settings: str, stamps: list[tuple[str, tuple[int, ...]]]) -> None:
        """Keep, unread, the entries of these (source path, stamp) that are unchanged since the
        last build: sources that this build leaves out (--subsite) but the next one needs."""
        for source_path, stamp in stamps:
            key = self.known_key(settings, source_path, stamp)
            record = self.record(key) if key else None
            if record is not None:
                self.remember(settings, source_path, stamp, record)

    def store_html(self, key: str, content_html: str, toc_html: str) -> None:
        """Queue a source's HTML for the store; `flush` writes it. Any process may store
        (the render workers do); the main process learns of it by `note_stored`."""
        self.note_stored(*self.rows.queue(key, content_html.encode(), toc_html.encode()))

    def flush(self) -> None:
        self.note_stored(*self.rows.flush())

    def note_stored(self, *keys: str) -> None:
        """These keys' HTML is in the store (written by this process or a worker)."""
        self._stored.update(keys)

    def store_bytes(self, key: str, data: bytes) -> None:
        """Keep a later stage's own data (the search index) for the next build; data that a
        build neither stores nor loads is dropped when it ends."""
        self._kept.add(key)
        self.note_stored(*self.rows.queue(key, data))

    def keep_bytes(self, keys: list[str]) -> None:
        """Keep what `store_bytes` stored under `keys` for the next build, without reading it."""
        self._kept.update(key for key in keys if key in self._stored)

    def has_bytes(self, keys: list[str]) -> bool:
        """`store_bytes` kept data under every one of `keys`."""
        return all(key in self._stored for key in keys)

    def load_bytes(self, key: str) -> bytes | None:
        """Data that `store_bytes` kept under `key`, or None."""
        if key not in self._stored:
            return None
        self._kept.add(key)
        return self.rows.row(key)[0]

    def load_html(self, key: str) -> tuple[str, str]:
        """(content_html, toc_html) of a rendered source; works in forked worker processes."""
        return self.rows.html(key)

    def load_html_bytes(self, key: str) -> bytes:
        """The content HTML of a rendered source as UTF-8, as stored: for who reads it as bytes."""
        return self.rows.row(key)[0]

    def _stored_keys(self) -> set[str]:
        """Keys in the HTML store, after SQLite's own check of the file (a damaged one is
        dropped and the build renders everything again)."""
        try:
            _check_size(self.folder / STORE_NAME)
            # quick_check reads the whole file (seconds at 100,000 articles): only when the
            # store changed since the last build let go of it (a crash, another program).
            unchanged = self.index.store_stamp is not None and (
                self.index.store_stamp == self._store_stamp()
            )
            if unchanged and self.index_kept and self._memory.stored is not None:
                return set(self._memory.stored)  # what this process left there
            if not unchanged:
                check = self.rows.db().execute("PRAGMA quick_check").fetchall()
                if check != [("ok",)]:
                    raise sqlite3.DatabaseError(" ".join(str(check[0][0]).split()[:12]))
            # The key alone: SQLite reads it from the primary key's index, not every row of
            # the store (1.8 GB at 100,000 articles, mostly not in memory after a reboot). A
            # row without its digest is read as damaged (store.py), like any other.
            return {key for (key,) in self.rows.db().execute("SELECT key FROM html")}
        except sqlite3.DatabaseError as error:
            self._drop(
                f"{self.folder / STORE_NAME}: the cache is damaged ({error}); rebuilding it"
            )
            self.index = CacheIndex()
            return {key for (key,) in self.rows.db().execute("SELECT key FROM html")}

    def _store_stamp(self) -> tuple[Any, ...]:
        return tuple(file_stamp(self.folder / name) for name in (STORE_NAME, f"{STORE_NAME}-wal"))

    # --- saving ---------------------------------------------------------------------

    def save(self) -> None:
        """Drop HTML no longer referenced, then write the new index atomically."""
        self.flush()
        if not self.persistent:
            return
        stale = self._stored - self.new_index.records.keys() - self._kept
        if stale:
            with self.rows.db() as db:
                db.executemany("DELETE FROM html WHERE key = ?", ((key,) for key in stale))
        stored = frozenset(self._stored - stale)
        self.rows.close()  # the last writer: SQLite folds the WAL into the file
        self.new_index.store_stamp = self._store_stamp()
        if self._unchanged():
            if self._memory:
                self._memory.keep(self.index, self._stamps(), self._delta, stored, self._reached,
                                  self._views)  # fmt: skip
            return
        delta = None
        if self._base_stamp is not None:
            delta = IndexDelta.between(self.index, self.new_index, self._base_stamp,
                                       self._touched)  # fmt: skip
            delta = self._delta.then(delta) if self._delta is not None else delta
        whole = len(self.new_index.stats) + len(self.new_index.scans)
        if delta is not None and delta.size() <= max(256, whole // 8):
            self._write(_DELTA, delta)
        else:  # the base whole, and no delta: one that is left belongs to the old base
            delta = None
            self._write(_BASE, self.new_index)
            (self.folder / _DELTA).unlink(missing_ok=True)
        if self._memory:
            self._memory.keep(self.new_index, self._stamps(), delta, stored, self._reached,
                              self._views)  # fmt: skip

    def _write(self, name: str, value: object) -> None:
        temporary = self.folder / f"{name}.{os.getpid()}.tmp"
        with open(temporary, "wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / name)

    def known_scans(self, signatures: dict[str, str]) -> tuple[dict[str, Any], frozenset[str]]:
        """Scans of pages whose signature is the one they had when scanned, and the output
        paths they were scanned against."""
        views = self._kept_views()
        if views is not None:
            found = dict(views.scans)
            last = map(views.signatures.get, signatures)  # maps, no loop: 123,000 pages
            for path in list(compress(signatures, map(ne, signatures.values(), last))):
                found.pop(path, None)
            for path in found.keys() - signatures.keys():
                del found[path]
            return found, self.index.scanned_outputs
        old = self.index.scans
        found = {
            path: old[path][1]
            for path, sig in signatures.items()
            if path in old and old[path][0] == sig
        }
        return found, self.index.scanned_outputs

    def _kept_views(self) -> ScanViews | None:
        """The views of the index's scans that this process kept, when the index is its own."""
        return self._memory.views if self.index_kept and self._memory is not None else None

    def remember_scans(self, outputs: frozenset[str], signatures: dict[str, str],
                       scans: dict[str, Any], fresh: Collection[str],
                       reached: set[int] | None = None) -> None:  # fmt: skip
        """The scan of every page (output path -> scan), made with these signatures: those of
        `fresh` by this build, the others taken from `known_scans`. `reached`: the checksums of
        what their links reach (or more), which the process keeps with the index
        (`kept_reached`)."""
        old = self.index.scans
        entries = dict(old)  # an entry taken again stays the same object: saving sees it at once
        gone = old.keys() - scans.keys()
        for path in gone:
            del entries[path]
        for path in fresh:
            entries[path] = (signatures[path], scans[path])
        self._touched["scans"] = {*gone, *fresh}
        self.new_index.scanned_outputs = outputs
        self.new_index.scans = entries
        self._reached = reached
        if self._memory is not None:
            views = self._kept_views()
            if views is None:
                views = ScanViews({p: e[0] for p, e in entries.items()},
                                  {p: e[1] for p, e in entries.items()})  # fmt: skip
            else:
                views = views.updated(gone, {path: entries[path] for path in fresh})
            self._views = views

    def kept_reached(self) -> set[int] | None:
        """`remember_scans`' `reached` of the build that saved the index, when this process
        made it."""
        return self._memory.reached if self.index_kept else None

    def _unchanged(self) -> bool:
        old, new = self.index, self.new_index
        return (
            old.settings == new.settings
            and old.stats == new.stats
            and old.scanned_outputs == new.scanned_outputs
            and old.scans == new.scans
            and old.store_stamp == new.store_stamp
        )

    def close(self) -> None:
        self.rows.close()
        if self._lock >= 0:
            os.close(self._lock)  # and so the lock (forked workers have gone by now)
            self._lock = -1
        if not self.persistent:
            shutil.rmtree(self.folder, ignore_errors=True)
