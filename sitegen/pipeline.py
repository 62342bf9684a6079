"""build(): the stages in order. Gather and check everything, then write once.

discover (nothing changed since the last build? its result: unchanged.py) -> (parse +
render, cached, on every core: sources.py) -> assemble (or, in the dev server after a body
edit, patch the kept model: reuse.py) -> plan pages by signature -> render changed pages (on
every core) into a staging folder -> swap it with the output (pages.py, write.py)

This module does the discovery and answers a build with nothing to do; stages.py, imported
only when there is something to do, has the rest.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .changes import Look, kept_look, patched_look
from .config import (
    CONFIG_NAME,
    SiteConfig,
    load_config,
    output_folder_problem,
    shown_folder,
)
from .discover import Discovery, discover_content
from .errors import (
    BuildFailed,
    ConfigError,
    ErrorLog,
    OutputFolderError,
    SitegenError,
)
from .store import CACHE_DIR_NAME
from .unchanged import Inputs, build_inputs, checking_tree, unchanged_build
from .write import check_output_folder

if TYPE_CHECKING:
    from .cache import CacheMemory
    from .links import LinkReport


@dataclass(frozen=True)
class BuildOptions:
    config_path: Path = Path(CONFIG_NAME)
    output: Path | None = None  # --output: overrides output_dir and may lie outside the site
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    write: bool = True  # False for `sitegen check`
    strict: bool = False  # --strict: broken links in the output are errors, not warnings
    use_cache: bool = True  # False for --no-cache: neither read nor write .sitegen-cache/
    jobs: int | None = None  # worker processes; default: one per core
    # A build into a missing output folder, with the cache on, also readies the second tree
    # for the next rebuild (write.py); a CI build, which no rebuild follows, need not.
    prepare_spare: bool = True
    now: dt.datetime | None = (
        None  # what counts as the future; default SOURCE_DATE_EPOCH or the clock
    )
    subsite: str | None = None  # --subsite KEY: build that sub-site of a portal only


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages: int
    rendered: int  # pages rendered this time (the others were unchanged)
    files_written: int
    files_kept: int
    seconds: float
    warnings: list[SitegenError] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    links: LinkReport | None = None  # the link check of `sitegen check`


class Stopwatch:
    """Seconds spent in each stage, for `--timings` and the benchmark's profile."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = self.laps.get(stage, 0.0) + now - self._last
        self._last = now


def build(options: BuildOptions, memory: CacheMemory | None = None,
          changes: Sequence[str] | None = None) -> BuildResult:  # fmt: skip
    """Build the site; raise BuildFailed with every error of the run, leaving the output as it was.

    A process that builds again and again (the dev server) passes the same `memory` each
    time, to keep the cache index and the site model in memory between builds, and may pass
    the names of the files changed since its last build as a watcher saw them
    ("content/tin/bai.md", "layouts/base.html"; changes.py): None when it does not know."""
    with _collection_paused():
        return _timed_build(options, memory, changes)


@contextmanager
def _collection_paused() -> Iterator[None]:
    """A build makes millions of small objects that live until it ends: cyclic garbage
    collection during it finds nothing and costs a fifth of a no-change rebuild."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _timed_build(options: BuildOptions, memory: CacheMemory | None,
                 changes: Sequence[str] | None) -> BuildResult:  # fmt: skip
    started = time.perf_counter()
    config = load_config(options.config_path, options.base_url)
    if options.subsite is not None:
        check_subsite(config, options.subsite)
    target = output_folder(config, options.output)
    options = replace(options, now=options.now or current_time())  # one "now" for the build
    watch, log = Stopwatch(), ErrorLog()
    cache_folder = config.root / CACHE_DIR_NAME
    # Not in the dev server (`memory`): it runs threads, and patches its last look at the
    # inputs in less time than a child would take to start.
    in_child = options.use_cache and options.write and memory is None
    with checking_tree(cache_folder, target, in_child) as check:
        look = look_at_inputs(config, options, memory, changes, log)
        if look.inputs is not None:
            last = unchanged_build(cache_folder, look.inputs, target, options.now, check)
            if last is not None:
                watch.lap("discover and nothing changed")
                seconds = time.perf_counter() - started
                warnings = list(last.warnings)
                return BuildResult(target, last.pages, 0, 0, last.files, seconds, warnings,
                                   watch.laps)  # fmt: skip
    watch.lap("discover")
    from . import stages  # Jinja, Markdown, Pygments, Pillow: only when there is work to do

    result = stages.run(config, target, options, Scan(log, look, watch), memory)
    return replace(result, seconds=time.perf_counter() - started)


def look_at_inputs(config: SiteConfig, options: BuildOptions, memory: CacheMemory | None,
                   changes: Sequence[str] | None, log: ErrorLog) -> Look:  # fmt: skip
    """The sources and assets of content/ and, when this build may answer the next one
    (unchanged.py), the digest of its inputs: the last look patched when `changes` allows
    (changes.py), else a look at every file."""
    looked_ns, kept = time.time_ns(), memory.look if memory is not None else None
    if memory is not None:
        memory.look = None
    look = patched_look(kept, changes, options, looked_ns)
    if look is None:
        discovery = discover_content(config.content_dir, config.root, log)
        inputs = None
        if options.use_cache and options.write and not log.errors:
            inputs = build_inputs(config, replace(options, now=None), discovery, looked_ns)
        look = Look(discovery, inputs)
    if memory is not None and look.inputs is not None:
        memory.look = kept_look(options, look, kept)
    return look


@dataclass(frozen=True)
class Scan:
    """What a build found before it opened the cache."""

    log: ErrorLog
    look: Look
    watch: Stopwatch

    @property
    def discovery(self) -> Discovery:
        return self.look.discovery

    @property
    def inputs(self) -> Inputs | None:  # the digest of its inputs, when it may answer the next
        return self.look.inputs


def current_time() -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC)


def check_subsite(config: SiteConfig, key: str) -> None:
    """`--subsite KEY` names a sub-site of config.yaml."""
    keys = [s.key for s in config.subsites]
    if key not in keys:
        why = f"use one of {', '.join(keys)}" if keys else "config.yaml lists no 'subsites:'"
        raise BuildFailed([ConfigError(CONFIG_NAME, f"--subsite '{key}' is no sub-site: {why}")])


def output_folder(config: SiteConfig, output: Path | None) -> Path:
    """The checked output folder: --output may point anywhere safe, output_dir stays in the
    site (config.yaml's loader checked where it lies)."""
    if output is None:
        target = config.output_path
        shown = f"{CONFIG_NAME}: output_dir: '{config.output_dir}'"
    else:
        target = output.resolve()
        relative = shown_folder(target, config.root)
        problem = output_folder_problem(target, config.root, relative, outside_allowed=True)
        if problem:
            raise BuildFailed([OutputFolderError(f"--output: {problem}")])
        shown = f"--output: '{relative}'"
    try:
        check_output_folder(target, shown)
    except OutputFolderError as error:
        raise BuildFailed([error]) from None
    return target
