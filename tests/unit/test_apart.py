"""run_apart: a function run in a new Python process answers as it would here."""

from __future__ import annotations

import math
import os

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
