"""The build cache between runs, keyed by content hashes, so a rebuild skips what did not change.

Layout of the cache folder (`.sitegen-cache/` in the site, or a temporary one for --no-cache):

    index.pickle   stat manifest, parsed articles, page signatures of the last build
    html/ab/<key>  rendered body and table of contents of one article

A cache that cannot be read (truncated, corrupt, from another version) is dropped with a
warning and rebuilt: it only ever saves time, never changes output.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import SitegenError
from .parse import Document
from .render import Rendered

CACHE_DIR_NAME = ".sitegen-cache"
_FORMAT = f"sitegen-cache 2 {__version__}"


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
    stats: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # path -> (mtime_ns, size, key)
    records: dict[str, SourceRecord] = field(default_factory=dict)  # by key
    output: str = ""  # the output folder the page signatures describe
    pages: dict[str, str] = field(default_factory=dict)  # output path -> signature
    files: frozenset[str] = frozenset()  # every output path of the last build


def source_key(settings: str, source_path: str, text: str) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for part in (settings, source_path, text):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class BuildCache:
    """Reads the index once, hands out records and HTML, and saves the new index at the end."""

    def __init__(self, folder: Path | None):
        self.persistent = folder is not None
        self.folder = folder if folder is not None else Path(tempfile.mkdtemp(prefix="sitegen-"))
        self.warning: str | None = None
        self.index = self._load() if self.persistent else CacheIndex()
        self.new_index = CacheIndex()

    def _load(self) -> CacheIndex:
        path = self.folder / "index.pickle"
        if not path.exists():
            return CacheIndex()
        try:
            with open(path, "rb") as file:
                index = pickle.load(file)
            if not isinstance(index, CacheIndex) or index.format != _FORMAT:
                raise ValueError("made by another version")
            return index
        except Exception as error:  # noqa: BLE001 - any damage means: start afresh
            self.warning = f"{path}: cache could not be read ({type(error).__name__}), rebuilding it"
            shutil.rmtree(self.folder / "html", ignore_errors=True)
            return CacheIndex()

    # --- sources --------------------------------------------------------------------

    def known_key(self, settings: str, source_path: str, mtime_ns: int, size: int) -> str | None:
        """The key of a file unchanged since the last build (same stat), without reading it."""
        if self.index.settings != settings:
            return None
        entry = self.index.stats.get(source_path)
        if entry and entry[0] == mtime_ns and entry[1] == size:
            return entry[2]
        return None

    def record(self, key: str) -> SourceRecord | None:
        return self.index.records.get(key)

    def remember(self, settings: str, source_path: str, mtime_ns: int, size: int, record: SourceRecord) -> None:
        self.new_index.settings = settings
        self.new_index.stats[source_path] = (mtime_ns, size, record.key)
        self.new_index.records[record.key] = record

    def html_path(self, key: str) -> Path:
        return self.folder / "html" / key[:2] / key

    def load_html(self, key: str) -> tuple[str, str]:
        """(content_html, toc_html) of a rendered source."""
        with open(self.html_path(key), "rb") as file:
            return pickle.load(file)

    def has_html(self, key: str) -> bool:
        return self.html_path(key).exists()

    # --- pages ----------------------------------------------------------------------

    def page_signature(self, output: Path, output_path: str) -> str | None:
        if self.index.output != str(output):
            return None
        return self.index.pages.get(output_path)

    def previous_files(self, output: Path) -> frozenset[str] | None:
        return self.index.files if self.index.output == str(output) else None

    def set_output(self, output: Path, signatures: dict[str, str], files: frozenset[str]) -> None:
        self.new_index.output = str(output)
        self.new_index.pages = signatures
        self.new_index.files = files

    # --- saving ---------------------------------------------------------------------

    def save(self) -> None:
        """Write the new index atomically and drop HTML no longer referenced."""
        if not self.persistent:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f"index.pickle.{os.getpid()}.tmp"
        with open(temporary, "wb") as file:
            pickle.dump(self.new_index, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / "index.pickle")
        for key in self.index.records.keys() - self.new_index.records.keys():
            self.html_path(key).unlink(missing_ok=True)

    def close(self) -> None:
        if not self.persistent:
            shutil.rmtree(self.folder, ignore_errors=True)


def store_html(folder: Path, key: str, content_html: str, toc_html: str) -> None:
    """Write one article's HTML; called from render workers, so it takes the folder, not the cache."""
    path = folder / "html" / key[:2] / key
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{key}.{os.getpid()}.tmp")
    with open(temporary, "wb") as file:
        pickle.dump((content_html, toc_html), file, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)
