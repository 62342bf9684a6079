"""run_apart: a function run in a new Python process answers as it would here."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time

import pytest

from sitegen.apart import ApartFailed, run_apart


def test_the_result_comes_back() -> None:
    assert run_apart(math.sqrt, 16.0) == 4.0
    assert run_apart(sorted, {"b", "a"}) == ["a", "b"]


def test_an_exception_is_raised_again_here() -> None:
    with pytest.raises(ValueError, match="invalid literal"):
        run_apart(int, "không phải số")


def test_a_process_that_dies_says_how() -> None:
    with pytest.raises(ApartFailed, match="status 3"):
        run_apart(os._exit, 3)


def test_what_the_function_prints_is_not_taken_for_its_answer() -> None:
    assert run_apart(print, "in ra") is None


def _process_id(_: object) -> int:
    return os.getpid()


def test_it_runs_in_another_process_or_here_without_an_interpreter(monkeypatch) -> None:
    assert run_apart(_process_id, None) != os.getpid()
    monkeypatch.setattr("sys.executable", "/nonexistent/python")
    assert run_apart(_process_id, None) == os.getpid()


def _children(pid: int) -> list[int]:
    found = []
    for thread in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{thread}/children") as listed:
            found += [int(child) for child in listed.read().split()]
    return found


def _waited(condition, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="reads /proc (Linux)")
def test_a_process_apart_ends_when_its_build_is_killed() -> None:
    """A build killed (kill -9) leaves no process apart working on alone."""
    build = subprocess.Popen(
        [sys.executable, "-c", "import time; from sitegen.apart import run_apart; "
         "run_apart(time.sleep, 600)"],
    )  # fmt: skip
    try:
        assert _waited(lambda: bool(_children(build.pid)))
        (apart,) = _children(build.pid)
        build.kill()
        build.wait()
        assert _waited(lambda: not os.path.exists(f"/proc/{apart}") or _is_zombie(apart))
    finally:
        build.kill()


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"
    except OSError:
        return True
