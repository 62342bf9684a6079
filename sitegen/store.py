"""html.sqlite of the build cache: rows of bytes by key (the rendered HTML of each article,
later stages' own data), read and written by any process of a build.

The cache (cache.py) decides which keys a build keeps; this module only moves rows. It is
apart so that a process started afresh, which must not take the cache's lock, can use the
store too (the search index's, search/files.py).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

from .errors import CacheDamagedError

CACHE_DIR_NAME = ".sitegen-cache"  # in the site's folder
STORE_NAME = "html.sqlite"
INDEX_NAME = "index.pickle"  # removed when a row is damaged: the next build starts afresh
FLUSH_EVERY = 256  # rows queued before they are written


def row_digest(content: bytes, toc: bytes) -> bytes:
    digest = hashlib.blake2b(content, digest_size=16)
    digest.update(b"\0")
    digest.update(toc)
    return digest.digest()


class RowStore:
    """The store in `folder`. `persistent`: rows are kept between builds, so each carries a
    digest that reading checks (a build's own temporary store needs none)."""

    def __init__(self, folder: Path, persistent: bool):
        self.folder, self.persistent = folder, persistent
        self._connection: sqlite3.Connection | None = None
        self._connection_pid = 0
        self._pending: list[tuple[str, bytes, bytes, bytes]] = []

    def __getstate__(self) -> dict:
        """A store sent to another process takes neither the connection nor unwritten rows."""
        return {"folder": self.folder, "persistent": self.persistent}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["folder"], state["persistent"])

    def queue(self, key: str, content: bytes, toc: bytes = b"") -> list[str]:
        """Queue a row; the keys written, when the queue was full and so flushed."""
        digest = row_digest(content, toc) if self.persistent else b""
        self._pending.append((key, content, toc, digest))
        return self.flush() if len(self._pending) >= FLUSH_EVERY else []

    def flush(self) -> list[str]:
        """Write the queued rows; their keys."""
        if not self._pending:
            return []
        with self.db() as db:
            db.executemany("INSERT OR REPLACE INTO html VALUES (?, ?, ?, ?)", self._pending)
        keys = [row[0] for row in self._pending]
        self._pending.clear()
        return keys

    def row(self, key: str) -> tuple[bytes, bytes]:
        """(content, toc) under `key`. A row that does not match its digest (the file was
        damaged where SQLite does not look) fails the build before anything is written, and
        clears the cache for the next."""
        try:
            query = "SELECT content, toc, digest FROM html WHERE key = ?"
            row = self.db().execute(query, (key,)).fetchone()
            if row is None:
                raise KeyError(f"no HTML for {key}")
            content, toc, digest = row
            if self.persistent and row_digest(content, toc) != digest:
                raise ValueError(f"the HTML for {key} does not match its digest")
            return content, toc
        except (sqlite3.DatabaseError, KeyError, ValueError, TypeError) as error:
            (self.folder / INDEX_NAME).unlink(missing_ok=True)
            raise CacheDamagedError(
                f"{self.folder / STORE_NAME}: the cache is damaged "
                f"({error}): it was cleared, build again"
            ) from None

    def html(self, key: str) -> tuple[str, str]:
        """(content_html, toc_html) of a rendered source: a loader that pickles (a renderer
        sent to a process apart takes it along)."""
        content, toc = self.row(key)
        return content.decode("utf-8"), toc.decode("utf-8")

    def db(self) -> sqlite3.Connection:
        """One connection per process: a forked worker must not use its parent's."""
        if self._connection is None or self._connection_pid != os.getpid():
            self.folder.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.folder / STORE_NAME, timeout=60)
            # Losing the cache in a crash costs a rebuild, never wrong output: no fsync.
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS html "
                "(key TEXT PRIMARY KEY, content BLOB, toc BLOB, digest BLOB)"
            )
            self._connection, self._connection_pid = connection, os.getpid()
        return self._connection

    def close(self) -> None:
        if self._connection is not None and self._connection_pid == os.getpid():
            self._connection.close()
        self._connection = None
