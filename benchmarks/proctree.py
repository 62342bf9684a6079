"""Run a command and measure its wall time and the peak memory of its process tree.

A sampler thread finds the command's process and all its descendants every 100 ms (by
scanning /proc/*/stat for parent ids; /proc/<pid>/task/*/children is not available on every
kernel) and sums their resident set sizes every 20 ms. Every 200 ms it also sums their
proportional set sizes (PSS, from /proc/<pid>/smaps_rollup), which count pages shared
between processes (a forked worker pool) once instead of once per process. CPU time comes
from wait4(): the process's own and that of the descendants it reaped.

Standard library only; Linux only.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
POLL_SECONDS = 0.02  # RSS of the known members of the tree
RESCAN_EVERY = 5  # polls between scans of /proc for new descendants (100 ms)
PSS_EVERY = 10  # polls between PSS readings (200 ms; reading PSS walks page tables)


@dataclass
class RunResult:
    """Wall time, peak memory (bytes) and exit status of one command."""

    seconds: float
    cpu_seconds: float  # user + system time of the process and its reaped descendants
    peak_rss: int
    peak_pss: int
    returncode: int
    log: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def read_ppid(pid: int) -> int | None:
    """The parent's pid, or None if the process is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return int(data[data.rfind(b")") + 2:].split()[1])


def read_rss(pid: int) -> int:
    """Resident set size in bytes, 0 if the process is gone."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError):
        return 0


def read_pss(pid: int) -> int:
    """Proportional set size in bytes, 0 if unreadable."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_pids(root: int) -> set[int]:
    """`root` and all its descendants that are alive."""
    children: dict[int, list[int]] = {}
    alive: set[int] = set()
    for name in os.listdir("/proc"):
        if name.isdigit() and (parent := read_ppid(int(name))) is not None:
            children.setdefault(parent, []).append(int(name))
            alive.add(int(name))
    found: set[int] = set()
    stack = [root]
    while stack:
        pid = stack.pop()
        if pid in alive and pid not in found:
            found.add(pid)
            stack.extend(children.get(pid, []))
    return found


class TreeSampler(threading.Thread):
    """Keeps the peak summed RSS and PSS of a process tree until stopped.

    Cheap enough to leave the measured command its cores (a few % of one core): the
    tree's membership is rescanned every RESCAN_EVERY polls, PSS read every PSS_EVERY.
    """

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.members: list[int] = [root]
        self.peak_rss = 0
        self.peak_pss = 0
        self._stop_event = threading.Event()

    def sample(self, tick: int) -> None:
        if tick % RESCAN_EVERY == 0:
            self.members = list(tree_pids(self.root))
        self.peak_rss = max(self.peak_rss, sum(read_rss(pid) for pid in self.members))
        if tick % PSS_EVERY == 0:
            self.peak_pss = max(self.peak_pss, sum(read_pss(pid) for pid in self.members))

    def run(self) -> None:
        tick = 0
        while not self._stop_event.is_set():
            self.sample(tick)
            tick += 1
            self._stop_event.wait(POLL_SECONDS)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def measure(command: Sequence[str], cwd: Path, log: Path,
            env: Mapping[str, str] | None = None, timeout: float = 3600) -> RunResult:
    """Run `command` in `cwd`, output to `log`; time it and sample its memory.

    Dirty pages are flushed first (untimed), so that writing back the files of the
    previous step does not land in this one's time.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    os.sync()
    full_env = {**os.environ, **(env or {})}
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(command), cwd=cwd, env=full_env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        killer = threading.Timer(timeout, os.killpg, (proc.pid, signal.SIGKILL))
        killer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # interrupted: take the whole tree down with us
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
        finally:
            killer.cancel()
        seconds = time.perf_counter() - start
        sampler.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return RunResult(seconds, usage.ru_utime + usage.ru_stime, sampler.peak_rss,
                     sampler.peak_pss, proc.returncode, log)
