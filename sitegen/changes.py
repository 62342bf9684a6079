"""What the dev server's watcher spares a rebuild: looking at every source again.

The server hands each build the names of the files its watcher saw change since the last
one ("content/tin/bai.md"; watch.py watches content/, layouts/, static/, the config and
the theme). When all of them are Markdown sources that the last look of this process found,
the new look is that one with their stamps read again: one stat per changed file instead
of one per source (a second at 100,000 articles), and the digest of the inputs
(unchanged.py) patched instead of made again. The build then knows which sources can have
changed, and later stages take the others from the last build as they were.

Anything else (a file created or deleted, a photo, a template, the config, different
options) looks at every file as a build without a watcher does. So does a look that
followed a symlink: its target may lie where nothing watches.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .discover import CONTENT_DIR_NAME, Discovery, stat_stamp
from .unchanged import Inputs, inputs_digest, newest_change, source_line

if TYPE_CHECKING:
    from .pipeline import BuildOptions


@dataclass(frozen=True)
class Look:
    """What a build found of its inputs, and which sources it knows to be all that changed."""

    discovery: Discovery
    inputs: Inputs | None
    edited: frozenset[str] | None = None  # source paths; None: any may have changed
    patched: str | None = None  # with `edited`: the digest of the look they changed since


@dataclass(frozen=True)
class KeptLook:
    """The last look of this process (`CacheMemory.look`), for the next to patch."""

    options: BuildOptions  # without `now`
    discovery: Discovery
    inputs: Inputs
    positions: dict[str, int]  # source path -> its place in discovery.sources


def kept_look(options: BuildOptions, look: Look, last: KeptLook | None) -> KeptLook:
    """`look` kept for the next build; `last`: the kept look it patched, if it did."""
    if look.edited is not None and last is not None:  # the same sources in the same places
        positions = last.positions
    else:
        positions = {ref.source_path: n for n, ref in enumerate(look.discovery.sources)}
    return KeptLook(replace(options, now=None), look.discovery, look.inputs, positions)


def patched_look(kept: KeptLook | None, changes: Sequence[str] | None,
                 options: BuildOptions, looked_ns: int) -> Look | None:  # fmt: skip
    """The kept look with the changed sources' stamps read again; None when the changes are
    unknown or not all edits of sources it found."""
    if kept is None or changes is None or replace(options, now=None) != kept.options:
        return None
    if kept.discovery.linked:
        return None
    prefix = f"{CONTENT_DIR_NAME}/"
    edited = frozenset(name[len(prefix) :] for name in changes if name.startswith(prefix))
    if len(edited) != len(changes) or not edited <= kept.positions.keys():
        return None
    sources, lines = list(kept.discovery.sources), list(kept.inputs.source_lines)
    for source_path in edited:
        at = kept.positions[source_path]
        stamp = _file_stamp(sources[at].path)
        if stamp is None:  # gone, or no longer a file
            return None
        sources[at] = replace(sources[at], stamp=stamp)
        lines[at] = source_line(sources[at])
    newest = max(kept.inputs.newest_ns, newest_change(sources[kept.positions[p]].stamp
                                                      for p in edited))  # fmt: skip
    inputs = replace(kept.inputs, digest=inputs_digest(kept.inputs.settings, lines),
                     newest_ns=newest, looked_ns=looked_ns, source_lines=tuple(lines))  # fmt: skip
    discovery = replace(kept.discovery, sources=tuple(sources))
    return Look(discovery, inputs, edited, kept.inputs.digest)


def _file_stamp(path: str) -> tuple[int, int, int, int] | None:
    """The stamp of the regular file at `path`; None when there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return stat_stamp(found) if stat.S_ISREG(found.st_mode) else None
