"""Run a function over many items on every core, results in input order (so output is identical)."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items a pool costs more than it saves.
MIN_ITEMS_FOR_POOL = 64


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def ordered_map(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    jobs: int,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...] = (),
    smallest_chunk: int = 16,
    fewest: int = MIN_ITEMS_FOR_POOL,
) -> Iterator[Result]:
    """`map(function, items)` on `jobs` processes: this one and `jobs - 1` forked workers, each
    set up once by `initializer`. Workers get items in chunks of at least `smallest_chunk`.
    `fewest`: the fewest items worth a pool (fewer for slow items, such as photos).

    With one job (or few items) it runs in this process only, calling the same initializer, so
    a one-process build goes through exactly the same code.
    """
    with forked_workers(jobs if len(items) >= fewest else 1, initializer, initargs) as workers:
        yield from workers.map(function, items, smallest_chunk)


class Workers:
    """This process and the forked workers of `forked_workers`, to map functions with."""

    def __init__(self, pool: Pool | None, count: int):
        self._pool, self._count = pool, count

    def map(self, function: Callable[[Item], Result], items: Sequence[Item],
            smallest_chunk: int = 16) -> Iterator[Result]:  # fmt: skip
        """`map(function, items)`, results in input order; items and results are pickled
        between processes."""
        if self._pool is None or len(items) < 2:
            yield from map(function, items)
        else:
            yield from _shared_map(self._pool, self._count, function, items, smallest_chunk)


@contextmanager
def forked_workers(jobs: int, initializer: Callable[..., None],
                   initargs: tuple[Any, ...] = ()) -> Iterator[Workers]:  # fmt: skip
    """`jobs - 1` worker processes forked now, and this one, each set up by `initializer`, for
    one map or several in turn: forked before this process grows, they do not inherit (and
    count in their memory) what it makes between the maps."""
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        initializer(*initargs)
        yield Workers(None, 0)
        return
    # fork: workers inherit the site model instead of receiving it pickled.
    context = multiprocessing.get_context("fork")
    switch_interval = sys.getswitchinterval()
    # The pool's threads in this process pass results on while it works: let them in often,
    # or a worker waits, blocked on a full pipe, while this process holds the interpreter.
    sys.setswitchinterval(0.0002)
    try:
        with context.Pool(jobs - 1, initializer, initargs) as pool:
            initializer(*initargs)
            yield Workers(pool, jobs - 1)
    finally:
        sys.setswitchinterval(switch_interval)


def _shared_map(
    pool: Pool,
    workers: int,
    function: Callable[[Item], Result],
    items: Sequence[Item],
    smallest: int,
) -> Iterator[Result]:
    """Items in order: the pool gets chunks of them while it has fewer than two per worker
    queued, this process does the next item meanwhile. Working instead of waiting, this
    process replaces a worker: one copy fewer of everything the workers inherit, and no core
    taken by a process that mostly waits. Results are yielded in input order.

    Chunks start large (a share of what is left) and shrink to `smallest` towards the end,
    so that the pool's round trips, each of which wakes this process's helper threads, are
    few, and the last chunks end together with this process's last items. This process
    looks at the queue after every item: a worker whose queue runs dry waits idle."""
    pending: deque[AsyncResult | list[Result]] = deque()
    remaining = deque(items)
    # The chunks sent that were not done when last looked at: a few, where `pending` grows
    # by this process's items while a large first chunk runs (thousands at 100,000 sources).
    queued: list[AsyncResult] = []

    def top_up() -> None:
        queued[:] = [chunk for chunk in queued if not chunk.ready()]
        while remaining and len(queued) < 2 * workers:
            size = max(smallest, len(remaining) // (4 * (workers + 1)))
            chunk = [remaining.popleft() for _ in range(min(size, len(remaining)))]
            queued.append(pool.apply_async(_run_chunk, (function, chunk)))
            pending.append(queued[-1])

    while remaining:
        top_up()
        if remaining:
            pending.append([function(remaining.popleft())])
        while pending and (isinstance(pending[0], list) or pending[0].ready()):
            yield from _results(pending.popleft())
    while pending:
        yield from _results(pending.popleft())


def _run_chunk(function: Callable[[Item], Result], chunk: list[Item]) -> list[Result]:
    return [function(item) for item in chunk]


def _results(entry: AsyncResult | list[Result]) -> list[Result]:
    return entry if isinstance(entry, list) else entry.get()


def batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class SharedCounter:
    """0, 1, 2, ... each handed out once, to whichever process asks first: a queue of work
    for processes started afresh, which share no memory (a file holds the next number, locked
    while it is read and advanced). Made by `shared_counter`; pickles as its file's path."""

    def __init__(self, path: Path):
        self.path = path

    def take(self) -> int:
        with open(self.path, "r+b") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            taken = int.from_bytes(file.read(8), "little")
            file.seek(0)
            file.write((taken + 1).to_bytes(8, "little"))
        return taken

    def end(self) -> None:
        """Hand out no more: every later `take` answers a number beyond any work."""
        with open(self.path, "r+b") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            file.write(_BEYOND.to_bytes(8, "little"))


_BEYOND = 2**62


@contextmanager
def shared_counter() -> Iterator[SharedCounter]:
    """A new SharedCounter at 0, its file removed afterwards."""
    descriptor, name = tempfile.mkstemp(prefix="sitegen-counter-")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(bytes(8))
        yield SharedCounter(Path(name))
    finally:
        os.unlink(name)
