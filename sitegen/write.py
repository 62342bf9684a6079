"""OutputFiles + assets -> the output folder, swapped in whole: the only stage that writes.

The new site is staged in a folder beside the output, then exchanged with it in one
rename, so readers and a killed build see the old site or the new one, never a mix.
Files whose bytes did not change are hard-linked from the old output instead of written.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import filecmp
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .discover import Asset
from .errors import OutputFolderError
from .model import OutputFile
from .urls import is_safe_output_path

MARKER = ".sitegen-output"  # says that sitegen made this folder and may replace it


@dataclass(frozen=True)
class WriteStats:
    written: int  # files whose bytes are new
    kept: int  # unchanged files linked from the previous output


def check_output_folder(target: Path, site_root: Path, sources: Sequence[Path]) -> None:
    """Refuse an output folder whose replacement would destroy something else."""
    target = target.resolve()
    root = site_root.resolve()
    if target == root or target in root.parents:
        raise OutputFolderError(f"output folder {target} is the site folder or holds it: "
                                "choose a folder inside the site, such as 'public'")
    for source in sources:
        source = source.resolve()
        if target == source or source in target.parents or target in source.parents:
            raise OutputFolderError(f"output folder {target} overlaps {source}: choose another one")
    if target.exists() and not target.is_dir():
        raise OutputFolderError(f"output path {target} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
        raise OutputFolderError(f"output folder {target} holds files that sitegen did not write: "
                                "empty it or choose another --output, so nothing of yours is deleted")


def write_site(target: Path, files: Sequence[OutputFile], assets: Sequence[Asset]) -> WriteStats:
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target):
        staging = target.parent / f".{target.name}.sitegen-staging"
        _remove(staging)  # left by a killed build
        staging.mkdir()
        stats = _fill(staging, target, files, assets)
        _swap(staging, target)
        _remove(staging)  # now the previous output
    return stats


def _fill(staging: Path, previous: Path, files: Sequence[OutputFile], assets: Sequence[Asset]) -> WriteStats:
    written = kept = 0
    (staging / MARKER).write_bytes(b"")
    for asset in assets:
        if _put(staging, previous, asset.output_path, source=asset.source):
            written += 1
        else:
            kept += 1
    for file in files:
        if _put(staging, previous, file.output_path, data=file.data):
            written += 1
        else:
            kept += 1
    return WriteStats(written, kept)


def _put(staging: Path, previous: Path, relative: str, data: bytes | None = None,
         source: Path | None = None) -> bool:  # fmt: skip
    """Place one file; False when it was linked unchanged from the previous output."""
    if not is_safe_output_path(relative):
        raise OutputFolderError(f"refusing to write {relative!r}: it would leave the output folder")
    destination = staging / relative
    destination.parent.mkdir(parents=True, exist_ok=True)
    old = previous / relative
    if old.is_file() and not old.is_symlink() and _same(old, data, source):
        try:
            os.link(old, destination)
            return False
        except OSError:
            pass  # another file system, or links not allowed: write it
    if data is not None:
        destination.write_bytes(data)
    else:
        shutil.copyfile(source, destination)
    return True


def _same(old: Path, data: bytes | None, source: Path | None) -> bool:
    if data is not None:
        return old.stat().st_size == len(data) and old.read_bytes() == data
    return filecmp.cmp(old, source, shallow=False)


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        os.rename(staging, target)
    elif not _exchange(staging, target):
        old = target.parent / f".{target.name}.sitegen-old"
        _remove(old)
        os.rename(target, old)
        os.rename(staging, target)
        os.rename(old, staging)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EPERM):
        return False
    raise OSError(ctypes.get_errno(), f"cannot swap {a} and {b}")


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    """One writer at a time per output folder; a second build waits for the first."""
    lock_path = target.parent / f".{target.name}.sitegen-lock"
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
