"""content/ -> SourceFiles and assets: the only stage that reads content."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, ErrorLog
from .text import nfc

MARKDOWN_SUFFIXES = (".md", ".markdown")
CONTENT_DIR_NAME = "content"


@dataclass(frozen=True)
class SourceRef:
    """A Markdown file under content/, not yet read: its stat tells the cache if it changed."""

    source_path: str  # posix path under content/, e.g. "tin-hoat-dong/hoi-nghi.md"
    path: str  # the file's (a str: making 100,000 Path objects takes half a second)
    stamp: tuple[int, int, int, int]  # mtime_ns, ctime_ns, size, inode: any edit changes it


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
    linked: bool = False  # a symlink was met: what it points to may lie outside content/


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


def stat_stamp(stat: os.stat_result) -> tuple[int, int, int, int]:
    """mtime, ctime, size and inode: any edit changes one (utime cannot reset ctime)."""
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)


def file_stamp(path: Path) -> tuple[int, int, int, int] | None:
    """`stat_stamp` of a file, None when there is none."""
    try:
        return stat_stamp(path.stat())
    except OSError:
        return None


def discover_content(content_dir: Path, site_root: Path, log: ErrorLog) -> Discovery:
    """Every Markdown file and every other file under content/, in sorted order."""
    sources: list[SourceRef] = []
    assets: list[Asset] = []
    found, linked = _walk(content_dir, site_root, log, CONTENT_DIR_NAME)
    for path, relative, stat in found:
        if relative.lower().endswith(MARKDOWN_SUFFIXES):
            sources.append(SourceRef(relative, path, stat_stamp(stat)))
        else:
            assets.append(Asset(Path(path), relative))
    return Discovery(tuple(sources), tuple(assets), linked)


def read_source(ref: SourceRef, log: ErrorLog) -> SourceFile | None:
    try:
        with open(ref.path, "rb") as file:
            data = file.read()
    except OSError as error:
        log.error(ContentError(shown_path(ref.source_path), f"cannot be read: {error.strerror}"))
        return None
    return decode_source(data, ref.source_path, log)


@contextmanager
def reading_ahead(paths: Sequence[str]) -> Iterator[None]:
    """Ask the kernel, from a thread, to read these files into its cache, in this order,
    ahead of the processes that read them one at a time to parse them. When the disk's cache
    is cold (after a reboot), parsing otherwise waited on each read: at half speed on this
    machine's disk. The thread stops when the context ends.

    Enter it once any worker processes are forked: a thread running at a fork can leave a
    lock held in the child."""
    if not paths or not hasattr(os, "posix_fadvise"):  # not on macOS
        yield
        return
    stop = threading.Event()
    thread = threading.Thread(target=_read_ahead, args=(paths, stop), daemon=True,
                              name="sitegen read-ahead")  # fmt: skip
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _read_ahead(paths: Sequence[str], stop: threading.Event) -> None:
    for path in paths:
        if stop.is_set():
            return
        try:
            descriptor = os.open(path, os.O_RDONLY)
        except OSError:  # reading it to parse it reports why
            continue
        try:
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)
        finally:
            os.close(descriptor)


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
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceFile(source_path, nfc(text))


OUTPUT_MARKER = ".sitegen-output"  # in every folder sitegen writes (see write.py)


def walk_files(
    top: Path, site_root: Path, log: ErrorLog, label: str
) -> list[tuple[str, str, os.stat_result]]:
    """(path, posix path under top, stat) of every file, sorted, never leaving the site root.

    Symlinks are followed only while they stay inside the site. A symlink to a folder that
    holds it (a loop) or to sitegen's output is an error; one to a folder under `top`, which
    is read under its own name anyway, is not followed. Each folder is visited once.
    """
    return _walk(top, site_root, log, label)[0]


def _walk(top: Path, site_root: Path, log: ErrorLog,
          label: str) -> tuple[list[tuple[str, str, os.stat_result]], bool]:  # fmt: skip
    """`walk_files`, and whether it met a symlink."""
    found: list[tuple[str, str, os.stat_result]] = []
    walk = _Walk(found, set(), log, label, os.path.realpath(site_root), os.path.realpath(top))
    if top.is_dir():
        _visit(str(top), "", walk)
    return found, walk.linked


@dataclass
class _Walk:
    found: list[tuple[str, str, os.stat_result]]
    visited: set[str]
    log: ErrorLog
    label: str
    root: str  # real path of the site
    top: str  # real path of the folder walked
    linked: bool = False  # a symlink was met

    def refuse(self, relative: str, why: str) -> None:
        message = f"is a symlink to {why}: it is not used"
        self.log.error(ContentError(f"{self.label}/{relative}", message))


def _visit(folder: str, relative: str, walk: _Walk) -> None:
    real = os.path.realpath(folder)
    if real in walk.visited:
        return
    walk.visited.add(real)
    with os.scandir(folder) as entries:
        ordered = sorted(entries, key=lambda entry: entry.name)
    for entry in ordered:
        if is_ignored(entry.name):
            continue
        child = f"{relative}/{entry.name}" if relative else entry.name
        if entry.is_symlink():
            _follow(entry, child, real, walk)
        elif entry.is_dir():
            _visit(entry.path, child, walk)
        elif entry.is_file():
            walk.found.append((entry.path, child, entry.stat()))


def _follow(entry: os.DirEntry, child: str, holder: str, walk: _Walk) -> None:
    """A symlink found in the real folder `holder`: follow it only where that is safe."""
    walk.linked = True
    target = os.path.realpath(entry.path)
    if not os.path.exists(target):
        walk.log.warn(ContentError(f"{walk.label}/{child}", "is a broken symlink: it is not used"))
    elif not _inside(target, walk.root):
        walk.refuse(child, f"a {'folder' if os.path.isdir(target) else 'file'} outside the site")
    elif os.path.isdir(target):
        if _inside(holder, target):
            walk.refuse(child, "a folder that holds it (a loop)")
        elif os.path.exists(os.path.join(target, OUTPUT_MARKER)):
            walk.refuse(child, "a folder sitegen writes its output to")
        elif _inside(target, walk.top):  # read under its own name anyway
            shown = os.path.relpath(target, walk.top).replace(os.sep, "/")
            message = (
                f"is a symlink to {walk.label}/{shown}, which is read under that name: "
                "it is not followed"
            )
            walk.log.warn(ContentError(f"{walk.label}/{child}", message))
        else:
            _visit(entry.path, child, walk)
    elif os.path.isfile(target):
        walk.found.append((entry.path, child, os.stat(target)))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)
