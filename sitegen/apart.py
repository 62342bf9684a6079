"""Run one function in a Python process started afresh, for work whose memory should not
stay in the build's process.

A build's main process holds the site model; whatever else it makes on its heap it keeps
(Python's allocator rarely hands freed memory back), and every worker forked later for the
pages starts with a copy of all of it. The search index's postings, made in a process of
their own, leave nothing behind.

The function and its argument go to the new process pickled, on its standard input; the
result, or the exception raised, comes back on its standard output.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

Argument = TypeVar("Argument")
Result = TypeVar("Result")

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])  # the folder holding sitegen/


class ApartFailed(RuntimeError):
    """The process ended without an answer (killed, out of memory)."""


def run_apart(function: Callable[[Argument], Result], argument: Argument) -> Result:
    """`function(argument)` in a new Python process (or in this one when none can be
    started); `function` must be importable by name."""
    environment = dict(os.environ)
    # The new process imports this sitegen, also when it was not installed (build.py).
    paths = [_PACKAGE_ROOT, *filter(None, [environment.get("PYTHONPATH")])]
    environment["PYTHONPATH"] = os.pathsep.join(paths)
    try:
        completed = subprocess.run(
            [sys.executable, "-m", __name__],
            input=pickle.dumps((function, argument), protocol=pickle.HIGHEST_PROTOCOL),
            capture_output=True,
            env=environment,
            check=False,
        )
    except OSError:  # no interpreter to start (an embedded Python): the same work, here
        return function(argument)
    try:
        outcome, value = pickle.loads(completed.stdout)
    except Exception:  # noqa: BLE001 - no answer at all: say how the process ended
        last = completed.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise ApartFailed(
            f"{function.__qualname__} ended with status {completed.returncode}"
            + (f": {last[0]}" if last else "")
        ) from None
    if outcome == "raised":
        raise value
    return value


def _answer() -> None:
    function, argument = pickle.load(sys.stdin.buffer)
    answers, sys.stdout = sys.stdout.buffer, sys.stderr  # what the function prints is no answer
    answer: tuple[str, Any]
    try:
        answer = ("returned", function(argument))
    except Exception as error:  # noqa: BLE001 - raised again in the asking process
        answer = ("raised", error)
    answers.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    _answer()
