"""content/ -> SourceFiles and assets: the only stage that reads content."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, ErrorLog
from .text import nfc

MARKDOWN_SUFFIXES = (".md", ".markdown")
CONTENT_DIR_NAME = "content"


@dataclass(frozen=True)
class SourceRef:
    """A Markdown file found under content/, not yet read: its stat tells the cache if it changed."""

    source_path: str  # posix path under content/, e.g. "tin-hoat-dong/hoi-nghi.md"
    path: Path
    mtime_ns: int
    size: int


@dataclass(frozen=True)
class SourceFile:
    source_path: str
    text: str  # NFC, "\n" line endings, no BOM


@dataclass(frozen=True)
class Asset:
    """A file copied as is: from content/ beside the articles, or from static/ or the theme."""

    source: Path  # absolute path on disk
    output_path: str  # posix path under the output folder


@dataclass(frozen=True)
class Discovery:
    sources: tuple[SourceRef, ...]
    assets: tuple[Asset, ...]


def shown_path(source_path: str) -> str:
    """How errors name a content file: relative to the site root."""
    return f"{CONTENT_DIR_NAME}/{source_path}"


def is_ignored(name: str) -> bool:
    """Hidden files, editor swap and backup files are never content."""
    return (
        name.startswith((".", "#", "~"))
        or name.endswith(("~", ".swp", ".swx", ".tmp", ".bak"))
        or name in ("4913", "Thumbs.db", "desktop.ini")
    )


def discover_content(content_dir: Path, site_root: Path, log: ErrorLog) -> Discovery:
    """Every Markdown file and every other file under content/, in sorted order."""
    sources: list[SourceRef] = []
    assets: list[Asset] = []
    for path, relative in walk_files(content_dir, site_root, log, CONTENT_DIR_NAME):
        if path.suffix.lower() in MARKDOWN_SUFFIXES:
            stat = path.stat()
            sources.append(SourceRef(relative, path, stat.st_mtime_ns, stat.st_size))
        else:
            assets.append(Asset(path, relative))
    return Discovery(tuple(sources), tuple(assets))


def read_source(ref: SourceRef, log: ErrorLog) -> SourceFile | None:
    try:
        data = ref.path.read_bytes()
    except OSError as error:
        log.error(ContentError(shown_path(ref.source_path), f"cannot be read: {error.strerror}"))
        return None
    return decode_source(data, ref.source_path, log)


def decode_source(data: bytes, source_path: str, log: ErrorLog) -> SourceFile | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        log.error(
            ContentError(
                shown_path(source_path),
                f"is not UTF-8 text (byte 0x{data[error.start]:02x}): save the file as UTF-8",
                line,
            )
        )
        return None
    if "\x00" in text:
        log.error(ContentError(shown_path(source_path), "is a binary file, not Markdown text", 1))
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceFile(source_path, nfc(text))


def walk_files(top: Path, site_root: Path, log: ErrorLog, label: str) -> list[tuple[Path, str]]:
    """(path, posix path under top) of every file, sorted, never leaving the site root.

    Symlinks are followed only while they stay inside the site, and each folder is visited
    once, so a symlink loop ends.
    """
    if not top.is_dir():
        return []
    root = site_root.resolve()
    found: list[tuple[Path, str]] = []
    visited: set[Path] = set()
    for folder, dirs, files in os.walk(top, followlinks=True):
        real = Path(folder).resolve()
        relative_folder = Path(folder).relative_to(top)
        if real in visited or not _inside(real, root):
            if not _inside(real, root):
                log.error(ContentError(f"{label}/{relative_folder.as_posix()}",
                                       "is a symlink to a folder outside the site: it is not copied"))
            dirs[:] = []
            continue
        visited.add(real)
        dirs[:] = sorted(d for d in dirs if not is_ignored(d))
        for name in sorted(files):
            if is_ignored(name):
                continue
            path = Path(folder) / name
            relative = (relative_folder / name).as_posix()
            if not _inside(path.resolve(), root):
                log.error(ContentError(f"{label}/{relative}",
                                       "is a symlink to a file outside the site: it is not copied"))
                continue
            if path.is_file():
                found.append((path, relative))
    return found


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
