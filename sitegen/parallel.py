"""Run a function over many items on every core, results in input order (so output is identical)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items a pool costs more than it saves.
_MIN_ITEMS_FOR_POOL = 64


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
    chunksize: int = 16,
) -> Iterator[Result]:
    """`map(function, items)` in `jobs` forked workers, each set up once by `initializer`.

    With one job (or few items) it runs in this process, calling the same initializer, so a
    one-process build goes through exactly the same code.
    """
    if (
        jobs <= 1
        or len(items) < _MIN_ITEMS_FOR_POOL
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        initializer(*initargs)
        yield from map(function, items)
        return
    # fork: workers inherit the site model instead of receiving it pickled.
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer, initargs) as pool:
        yield from pool.imap(function, items, chunksize)


def batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
