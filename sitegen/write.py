"""OutputFiles + assets -> the output folder, swapped in whole: the only stage that writes.

Two trees take turns. `public/` is what readers see; `.public.sitegen/spare/` holds the build
before it. A build brings the spare tree up to date in place (only the files that differ),
then exchanges the two folders in one rename: readers, and a build killed at any moment,
see the old site or the new one, never a mix. Nothing is copied or deleted wholesale,
which matters where creating and deleting folders is slow.

Each tree's manifest (output path -> digest of what the file holds) is kept in
`.public.sitegen/state.pickle`, by the tree's inode, so that it follows the tree across swaps.
Each manifest is pickled apart (the file is {inode: pickled manifest}, each manifest as its
paths and its digests joined in two strings): a build saves again the bytes it read for the
tree that stays, and a check of the served tree reads its own.
A tree whose manifest is unknown (first build, a killed build) is compared file by file.

A build into a missing output folder has no served tree to fill the spare one from later, so
(when asked: the pipeline does when it keeps a cache, outside CI) it links each file it
writes into a third tree, `.public.sitegen/mirror/`, which becomes the spare tree: the first
rebuild then finds it complete, instead of making 10,000 folders and links itself.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import filecmp
import io
import os
import pickle
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import compress, count
from operator import ne
from pathlib import Path

from .discover import OUTPUT_MARKER, Asset, file_stamp
from .errors import OutputFolderError
from .model import OutputFile
from .urls import is_safe_output_path

MARKER = OUTPUT_MARKER  # says that sitegen made this folder and may replace it
SPARE_CHANGING = "spare-changing"  # in the home folder while a build changes the spare tree
Manifest = dict[str, str]  # output path -> digest
Packed = tuple[Manifest, bytes]  # a manifest and its pickle, as the state file holds it


def check_output_folder(target: Path, shown: str) -> None:
    """Refuse an output folder that is a file, or holds files sitegen did not write.

    `shown` names it in messages, with where it was named ("--output: 'public'"); where it
    lies was checked then (config.output_folder_problem)."""
    if target.exists() and not target.is_dir():
        raise OutputFolderError(f"{shown} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
        raise OutputFolderError(
            f"{shown} holds files that sitegen did not write: empty it or choose "
            "another folder, so nothing of yours is deleted"
        )


def home_folder(target: Path) -> Path:
    """sitegen's own folder beside the output: the spare tree, the lock and the manifests."""
    return target.parent / f".{target.name}.sitegen"


@dataclass
class KeptState:
    """The output state a long-running process (the dev server) saved last, and the stamp of
    its file: while the file keeps that stamp, the next build takes the state from here
    instead of reading and checking it again (0.5 s at 100,000 articles)."""

    stamp: tuple[int, ...] | None = None
    state: dict[int, Manifest] = field(default_factory=dict)
    packed: list[Packed] = field(default_factory=list)  # of the manifests of `state`


class OutputTrees:
    """The served tree and the spare one, for one build; use as a context manager (it locks).

    Leaving the context without `commit` (an error, Ctrl-C, a kill) leaves the served tree
    exactly as it was; the spare tree is then of unknown content, which the next build handles.
    """

    def __init__(self, target: Path, trust_manifests: bool = True, prepare_spare: bool = False,
                 memory: KeptState | None = None):  # fmt: skip
        self.target = target.resolve()
        self.memory = memory  # a long-running process's copy of the state file
        self.home = home_folder(self.target)
        self.spare = self.home / "spare"
        self.mirror: Path | None = None  # see begin()
        self.trust = trust_manifests
        self.prepare_spare = prepare_spare
        self.written = 0
        self.kept = 0
        self._lock_file = None
        self._state: dict[int, Manifest] = {}
        self._packed: list[Packed] = []  # manifests read or saved: not pickled again
        self.active_manifest: Manifest | None = None
        self.spare_manifest: Manifest | None = None

    def __enter__(self) -> OutputTrees:
        self.home.mkdir(parents=True, exist_ok=True)
        self._lock_file = open(self.home / "lock", "a")  # noqa: SIM115 - held until __exit__
        fcntl.flock(self._lock_file, fcntl.LOCK_EX)  # a second build waits for this one
        self._state = self._load_state()
        if self.target.is_dir():
            self.active_manifest = self._manifest_of(self.target)
        if not self.spare.is_dir():
            self.spare.mkdir()
            self._state[_inode(self.spare)] = {}
            self.spare_manifest = {}  # made just now: known empty, trusted manifests or not
        elif (self.home / SPARE_CHANGING).exists():  # a build stopped while changing it
            self._state.pop(_inode(self.spare), None)
        else:
            self.spare_manifest = self._manifest_of(self.spare)
        return self

    def __exit__(self, *exc_info: object) -> None:
        assert self._lock_file is not None
        fcntl.flock(self._lock_file, fcntl.LOCK_UN)
        self._lock_file.close()

    # --- deciding ---------------------------------------------------------------------

    def is_current(self, digests: Manifest) -> bool:
        """The served tree already holds exactly these files."""
        return self.active_manifest == digests and _all_there(self.target, digests)

    def in_spare(self, relative: str, digest: str) -> bool:
        return self.spare_manifest is not None and self.spare_manifest.get(relative) == digest

    def in_active(self, relative: str, digest: str) -> bool:
        return self.active_manifest is not None and self.active_manifest.get(relative) == digest

    # --- placing files in the spare tree ----------------------------------------------

    def begin(self) -> None:
        """From here on the spare tree changes: forget its manifest until commit. (A mark
        file says so to a build that comes after a stop: saving the state without the
        manifest took a tenth of a second at 100,000 articles.)"""
        self._state.pop(_inode(self.spare), None)
        (self.home / SPARE_CHANGING).touch()
        (self.spare / MARKER).touch()
        mirror = self.home / "mirror"
        if mirror.exists():  # left by a build that did not finish
            shutil.rmtree(mirror)
        if self.prepare_spare and not self.target.exists():
            mirror.mkdir()
            (mirror / MARKER).touch()
            self.mirror = mirror

    @property
    def folders(self) -> tuple[Path, Path, Path | None]:
        """(spare, served, mirror): where `place_file` puts a file, and what it links."""
        return self.spare, self.target, self.mirror

    def keep(self, relative: str, digest: str) -> bool:
        """True when the spare tree has this file already, or it was linked from the served tree."""
        if self.in_spare(relative, digest):
            if self.mirror is not None:
                _link(self.spare / relative, self.mirror / relative)
            self.kept += 1
            return True
        if self.in_active(relative, digest) and _link(
            self.target / relative, self.spare / relative
        ):
            self.kept += 1
            return True
        return False

    def lacking(self, entries: Manifest) -> list[int]:
        """The places in `entries` (path -> digest, in order) of those that `keep` cannot
        keep: those to make. Those the spare tree has already are counted in one pass."""
        spare = self.spare_manifest
        if spare is None or self.mirror is not None:
            return [n for n, item in enumerate(entries.items()) if not self.keep(*item)]
        # Maps over both, no loop of ours: 223,000 entries at 100,000 articles.
        places = list(compress(count(), map(ne, entries.values(), map(spare.get, entries))))
        self.kept += len(entries) - len(places)
        if not places:
            return []
        paths, digests = list(entries), list(entries.values())
        return [n for n in places if not self.keep(paths[n], digests[n])]

    def put(self, relative: str, data: bytes) -> None:
        self._count(place_file(*self.folders, relative, data))

    def copy(self, asset: Asset) -> None:
        if not is_safe_output_path(asset.output_path):
            raise OutputFolderError(
                f"refusing to write {asset.output_path!r}: it leaves the output folder"
            )
        destination = self.spare / asset.output_path
        served = self.target / asset.output_path
        if (
            served.is_file()
            and filecmp.cmp(served, asset.source, shallow=False)
            and _link(served, destination)
        ):
            self.kept += 1
            return
        _make_parent(destination)
        _replace_with(destination, lambda temporary: shutil.copyfile(asset.source, temporary))
        if self.mirror is not None:
            _link(destination, self.mirror / asset.output_path)
        self.written += 1

    def add_counts(self, written: int, kept: int) -> None:
        """Files placed by worker processes through `place_file`."""
        self.written += written
        self.kept += kept

    def commit(self, digests: Manifest) -> None:
        """Remove what the new build does not have, then swap the spare tree in."""
        self._remove_strays(digests)
        # The state is saved before the swap, keyed by inodes, which move with the folders: a
        # kill on either side of the swap leaves each tree's manifest true.
        built = dict(digests)
        self._state = {_inode(self.spare): built}
        served_before = self.target.exists()
        if served_before and self.active_manifest is not None:
            self._state[_inode(self.target)] = self.active_manifest  # the next spare tree
        elif not served_before and self.mirror is not None:
            self._state[_inode(self.mirror)] = built
        self._save_state()
        _swap(self.spare, self.target)
        if not served_before and self.mirror is not None:
            os.rename(self.mirror, self.spare)
        (self.home / SPARE_CHANGING).unlink(missing_ok=True)

    def _remove_strays(self, keep: Manifest) -> None:
        strays: Iterable[str]
        if self.spare_manifest is not None:
            strays = self.spare_manifest.keys() - keep.keys()
        else:
            strays = [
                path for path in _files_under(self.spare) if path not in keep and path != MARKER
            ]
        for relative in strays:
            (self.spare / relative).unlink(missing_ok=True)
            _remove_empty_parents(self.spare / relative, self.spare)

    # --- state ------------------------------------------------------------------------

    def _manifest_of(self, tree: Path) -> Manifest | None:
        return self._state.get(_inode(tree)) if self.trust else None

    def _load_state(self) -> dict[int, Manifest]:
        path = self.home / "state.pickle"
        if self.memory is not None and self.memory.stamp == file_stamp(path):  # nobody wrote since
            self._packed = list(self.memory.packed)
            return dict(self.memory.state)
        state: dict[int, Manifest] = {}
        for inode, data in _read_packed(path).items():
            manifest = _unpacked(data)
            if manifest is None:  # unknown state only means comparing file by file
                return {}
            state[inode] = manifest
            if type(data) is bytes:
                self._packed.append((manifest, data))
        return state

    def _save_state(self) -> None:
        path = self.home / "state.pickle"
        temporary = self.home / f"state.pickle.{os.getpid()}"
        packed = {inode: self._pickled(manifest) for inode, manifest in self._state.items()}
        with open(temporary, "wb") as file:
            pickle.dump(packed, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        if self.memory is not None:
            self.memory.stamp, self.memory.state = file_stamp(path), dict(self._state)
            saved = set(map(id, self._state.values()))
            self.memory.packed = [(m, d) for m, d in self._packed if id(m) in saved]

    def _pickled(self, manifest: Manifest) -> bytes:
        """The manifest's pickle: the one read or made already when it is the same object
        (manifests are never changed in place), else made now."""
        for known, data in self._packed:
            if known is manifest:
                return data
        data = pickle.dumps(_joined(manifest), protocol=pickle.HIGHEST_PROTOCOL)
        self._packed.append((manifest, data))
        return data

    def _count(self, written: bool) -> None:
        if written:
            self.written += 1
        else:
            self.kept += 1


class _StateUnpickler(pickle.Unpickler):
    """The state is plain dicts and strings: a pickle asking for anything else is damaged (or
    planted), and must not run code."""

    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(f"unexpected {module}.{name} in the output state")


def _is_manifest(manifest: object) -> bool:
    """{output path: digest}, nothing else. (The types of its keys and values are gathered
    by `set(map(type, ...))`, without a Python loop: a tree of 100,000 articles has 223,000.)"""
    return type(manifest) is dict and (
        set(map(type, manifest)) <= {str} and set(map(type, manifest.values())) <= {str}
    )


def served_tree_stamp(target: Path) -> tuple:
    """Changes whenever a build commits a tree to `target` (or anyone swaps or removes it):
    the served tree's inode and the stamp of the state file that every commit replaces."""
    target = target.resolve()
    served, state = file_stamp(target), file_stamp(home_folder(target) / "state.pickle")
    if served is None or state is None:
        return ()
    return (str(target), served[3], *state)  # the served tree's inode, the state file's stamp


def served_tree_whole(target: Path) -> bool:
    """Every file of the served tree's manifest is there (none was deleted by hand).

    It only reads (unlike `OutputTrees`, which makes a missing spare tree): it may run in a
    child process that is stopped at any moment (unchanged.py)."""
    target = target.resolve()
    home = home_folder(target)
    try:
        lock = os.open(home / "lock", os.O_RDONLY)
    except OSError:  # no build has written here
        return False
    try:
        fcntl.flock(lock, fcntl.LOCK_SH)  # while no build changes the trees
        data = _read_packed(home / "state.pickle").get(_inode(target))
        manifest = _unpacked(data) if data is not None else None
        return manifest is not None and _all_there(target, manifest)
    except OSError:
        return False
    finally:
        os.close(lock)


def _read_packed(path: Path) -> dict[int, bytes | Manifest]:
    """{inode: pickled manifest} from the state file (`_joined`, or a dict as sitegen pickled
    it before), or {inode: manifest} from one saved whole, as sitegen did before that
    (unknown, its manifests would cost the first build after an upgrade seven minutes of
    comparing file by file at 100,000 articles); {} when it is missing or damaged."""
    try:
        with open(path, "rb") as file:
            packed = _StateUnpickler(file).load()
    except Exception:  # noqa: BLE001 - unknown state only means comparing file by file
        return {}
    is_packed = type(packed) is dict and all(
        type(inode) is int and type(data) in (bytes, dict) for inode, data in packed.items()
    )
    return packed if is_packed else {}


def _joined(manifest: Manifest) -> tuple[str, str] | Manifest:
    """The manifest as its paths and its digests, each joined by NULs, which no output path
    has: pickled in a quarter of the time of the dict (0.05 s against 0.2 s for 223,000
    files). Empty, or with a NUL after all, it stays a dict."""
    paths, digests = "\0".join(manifest), "\0".join(manifest.values())
    if not manifest or paths.count("\0") + digests.count("\0") != 2 * (len(manifest) - 1):
        return manifest
    return paths, digests


def _unpacked(data: bytes | Manifest) -> Manifest | None:
    """The manifest of `_read_packed`, or None when it is damaged."""
    try:
        manifest = data if type(data) is dict else _StateUnpickler(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 - damaged
        return None
    if type(manifest) is tuple and len(manifest) == 2 and set(map(type, manifest)) == {str}:
        paths, digests = manifest[0].split("\0"), manifest[1].split("\0")
        return dict(zip(paths, digests, strict=True)) if len(paths) == len(digests) else None
    return manifest if _is_manifest(manifest) else None


def _all_there(tree: Path, paths: Iterable[str]) -> bool:
    """Each of these files is in the tree."""
    if os.access not in os.supports_dir_fd:
        return all(os.path.isfile(tree / path) for path in paths)
    # access() relative to the open folder: half the time of isfile() on joined paths
    # (0.4 s for 223,000 files).
    top = os.open(tree, os.O_RDONLY | os.O_DIRECTORY)
    try:
        return all(os.access(path, os.F_OK, dir_fd=top) for path in paths)
    finally:
        os.close(top)


def place_file(spare: Path, served: Path, mirror: Path | None, relative: str, data: bytes) -> bool:
    """Put one file in the spare tree (and link it into the mirror tree, if there is one);
    False when it was linked unchanged from the served tree.

    A plain function, so that render workers in other processes can place their pages.
    """
    if not is_safe_output_path(relative):
        raise OutputFolderError(f"refusing to write {relative!r}: it would leave the output folder")
    destination = spare / relative
    old = served / relative
    if _same_bytes(old, data) and _link(old, destination):
        return False
    if not _create(destination, data):  # one is there, maybe a link of a served file
        _replace_with(destination, lambda temporary: temporary.write_bytes(data))
    if mirror is not None:
        _link(destination, mirror / relative)
    return True


def write_site(
    target: Path, files: Sequence[OutputFile], assets: Sequence[Asset]
) -> tuple[int, int]:
    """Make the output folder hold exactly these files; (written, kept unchanged)."""
    with OutputTrees(target, trust_manifests=False) as trees:
        trees.begin()
        for asset in assets:
            trees.copy(asset)
        for file in files:
            trees.put(file.output_path, file.data)
        paths = [a.output_path for a in assets] + [f.output_path for f in files]
        trees.commit(dict.fromkeys(paths, ""))
    return trees.written, trees.kept


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.is_symlink() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _link(source: Path, destination: Path) -> bool:
    """Make `destination` the same file as `source` (a hard link), replacing what was there."""
    if source.is_symlink():
        return False
    for folder_made in (False, True):
        try:  # the common case, a file the spare tree lacks: one system call
            os.link(source, destination)
            return True
        except FileNotFoundError:  # no such folder yet (each page has its own), or no source
            if folder_made or not source.exists():
                return False
            _make_parent(destination)
        except FileExistsError:
            return _link_over(source, destination)
        except OSError:
            return False
    return False


def _link_over(source: Path, destination: Path) -> bool:
    try:
        if os.path.samefile(source, destination):
            return True
    except OSError:
        pass  # the destination does not exist yet
    try:
        _replace_with(destination, lambda temporary: os.link(source, temporary))
        return True
    except OSError:
        return False


def _create(path: Path, data: bytes) -> bool:
    """Write a file that does not exist yet, making its folders; False if it exists.

    Cheaper than writing a temporary file and renaming it (a cold build writes 12,000), and
    as safe in the spare tree: until commit nobody reads it, and a build killed meanwhile
    leaves it of unknown content, which the next build rewrites."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags, 0o666)
    except FileExistsError:
        return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, flags, 0o666)
    with open(descriptor, "wb") as file:
        file.write(data)
    return True


def _replace_with(destination: Path, make) -> None:
    """Create the file under a temporary name, then rename it over the destination."""
    temporary = destination.with_name(f".{destination.name}.sitegen-tmp")
    temporary.unlink(missing_ok=True)
    make(temporary)
    os.replace(temporary, destination)
    # rename() between two links of one file does nothing and leaves the temporary name.
    temporary.unlink(missing_ok=True)


def _make_parent(path: Path) -> None:
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)


def _files_under(tree: Path) -> Iterable[str]:
    for folder, _, files in os.walk(tree):
        for name in files:
            yield (Path(folder) / name).relative_to(tree).as_posix()


def _remove_empty_parents(path: Path, top: Path) -> None:
    parent = path.parent
    while parent != top:
        try:
            parent.rmdir()
        except OSError:
            return
        parent = parent.parent


def _inode(path: Path) -> int:
    return os.stat(path).st_ino


def _swap(spare: Path, target: Path) -> None:
    if not target.exists():
        os.rename(spare, target)
    elif not _exchange(spare, target):
        # No atomic exchange here: two renames, with a moment between them without output.
        parked = spare.with_name("parked")
        os.rename(target, parked)
        os.rename(spare, target)
        os.rename(parked, spare)


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
