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
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .discover import Asset
from .errors import OutputFolderError
from .model import OutputFile
from .urls import is_safe_output_path

MARKER = ".sitegen-output"  # says that sitegen made this folder and may replace it


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


class Staging:
    """A new output folder being filled beside the old one; `commit` swaps them in one rename.

    Used as a context manager: leaving it without `commit` (an error, Ctrl-C) removes the
    staging folder and leaves the old output exactly as it was.
    """

    def __init__(self, target: Path):
        self.target = target.resolve()
        self.folder = self.target.parent / f".{self.target.name}.sitegen-staging"
        self.written = 0
        self.kept = 0
        self._lock: ExitStack | None = None

    def __enter__(self) -> Staging:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._lock = ExitStack()
        self._lock.enter_context(_locked(self.target))
        _remove(self.folder)  # left by a killed build
        self.folder.mkdir()
        (self.folder / MARKER).write_bytes(b"")
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            _remove(self.folder)  # after a commit this is the previous output
        finally:
            assert self._lock is not None
            self._lock.close()

    def put(self, relative: str, data: bytes) -> None:
        self._count(put_file(self.folder, self.target, relative, data=data))

    def copy(self, asset: Asset) -> None:
        self._count(put_file(self.folder, self.target, asset.output_path, source=asset.source))

    def keep(self, relative: str) -> bool:
        """Link an unchanged file from the old output; False when the old output lacks it."""
        if link_previous(self.folder, self.target, relative):
            self.kept += 1
            return True
        return False

    def add_counts(self, written: int, kept: int) -> None:
        """Files placed by worker processes through `put_file`."""
        self.written += written
        self.kept += kept

    def commit(self) -> None:
        _swap(self.folder, self.target)

    def _count(self, written: bool) -> None:
        if written:
            self.written += 1
        else:
            self.kept += 1


def put_file(staging: Path, previous: Path, relative: str, data: bytes | None = None,
             source: Path | None = None) -> bool:  # fmt: skip
    """Place one file in the staging folder; False when it was linked unchanged from the old output.

    A plain function so that render workers in other processes can write their pages.
    """
    if not is_safe_output_path(relative):
        raise OutputFolderError(f"refusing to write {relative!r}: it would leave the output folder")
    destination = staging / relative
    _make_parent(destination)
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


def link_previous(staging: Path, previous: Path, relative: str) -> bool:
    old = previous / relative
    if not is_safe_output_path(relative) or old.is_symlink():
        return False
    destination = staging / relative
    _make_parent(destination)
    try:
        os.link(old, destination)
    except FileNotFoundError:
        return False
    except OSError:
        try:
            shutil.copyfile(old, destination)
        except OSError:
            return False
    return True


def _make_parent(path: Path) -> None:
    parent = path.parent
    if not parent.is_dir():
        parent.mkdir(parents=True, exist_ok=True)


def output_unchanged(target: Path, relative: str, data: bytes) -> bool:
    old = target / relative
    return old.is_file() and _same(old, data, None)


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


def write_site(target: Path, files: Sequence[OutputFile], assets: Sequence[Asset]) -> tuple[int, int]:
    """Replace the output folder by exactly these files; (written, kept unchanged)."""
    with Staging(target) as staging:
        for asset in assets:
            staging.copy(asset)
        for file in files:
            staging.put(file.output_path, file.data)
        staging.commit()
    return staging.written, staging.kept
