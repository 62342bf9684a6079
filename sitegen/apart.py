"""Run one function in a Python process started afresh, for work whose memory should not
stay in the build's process, or that should not start with a copy of it.

A build's main process holds the site model and the records of every source; whatever else
it makes on its heap it keeps (Python's allocator rarely hands freed memory back), and a
process forked from it starts with a copy of all of it. The search index's postings, made
in a process of their own, leave nothing behind; the processes that render pages beside
the main one (pages.py) get only what rendering needs, pickled.

The function and its argument go to the new process pickled, on its standard input (from a
temporary file); the result, or the exception raised, comes back on its standard output.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import threading
import time
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
    # The question goes through a file, pickled into it as it is made: not a copy of the
    # argument kept in this process for as long as the other works.
    with tempfile.TemporaryFile() as question:
        pickle.dump((function, argument), question, protocol=pickle.HIGHEST_PROTOCOL)
        question.seek(0)
        try:
            completed = subprocess.run(
                [sys.executable, "-m", __name__, str(os.getpid())],
                stdin=question,
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


def _end_with_parent(parent: int) -> None:
    """End this process when the one that started it, `parent`, ends (killed), also before
    this one looked: a process apart must not go on alone, writing into an output tree that
    no build will publish."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _answer() -> None:
    _end_with_parent(int(sys.argv[1]))
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
