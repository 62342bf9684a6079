from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from sitegen.apart import run_apart
from sitegen.parallel import SharedCounter, ordered_map, shared_counter

_state: dict = {}


def _setup(offset: int) -> None:
    _state["offset"] = offset


def _work(item: int) -> tuple[int, int]:
    sum(range(2000 + item % 7 * 500))  # uneven items, so chunks finish out of order
    return item + _state["offset"], os.getpid()


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_results_come_in_input_order_from_every_process(jobs):
    items = list(range(500))
    results = list(ordered_map(_work, items, jobs, _setup, (1000,), smallest_chunk=4))
    assert [value for value, _ in results] == [item + 1000 for item in items]
    processes = {pid for _, pid in results}
    if jobs == 1:
        assert processes == {os.getpid()}
    else:  # this process works too, beside jobs - 1 workers
        assert os.getpid() in processes and len(processes) >= 2


def test_an_error_in_a_worker_reaches_the_caller():
    with pytest.raises(ZeroDivisionError):
        list(ordered_map(_divide, list(range(200)), 2, _setup, (0,), smallest_chunk=4))


def _divide(item: int) -> float:
    return 1 / (item - 150)


def _take_all(counter: SharedCounter) -> list[int]:
    taken = []
    while (number := counter.take()) < 400:
        taken.append(number)
        time.sleep(0.002)  # let the processes started later take some
    return taken


def test_a_shared_counter_hands_each_number_to_one_process_only():
    with shared_counter() as counter:
        with ThreadPoolExecutor(2) as threads:
            futures = [threads.submit(run_apart, _take_all, counter) for _ in range(2)]
            here = _take_all(counter)
            apart = [future.result() for future in futures]
        taken = here + [number for numbers in apart for number in numbers]
        assert sorted(taken) == list(range(400))
        assert all(numbers == sorted(numbers) for numbers in [here, *apart])
        counter.end()
        assert counter.take() > 10**9
        path = counter.path
    assert not path.exists()
