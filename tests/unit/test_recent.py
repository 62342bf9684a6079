"""Recent: a memo of the values used last."""

from __future__ import annotations

from sitegen.recent import Recent


def test_values_used_again_stay_and_the_others_are_let_go_of() -> None:
    memo: Recent[str, int] = Recent(2)
    for key, value in [("a", 1), ("b", 2)]:
        memo.keep(key, value)
    memo.keep("c", 3)  # the newer half was full: a and b are the older half now
    assert memo.recall("a") == 1  # used again: back to the newer half (c, a)
    memo.keep("d", 4)  # full again: c and a are older, b is let go of
    assert memo.recall("b") is None
    assert [memo.recall(key) for key in "acd"] == [1, 3, 4]


def test_it_never_keeps_more_than_twice_its_size() -> None:
    memo: Recent[int, int] = Recent(100)
    for number in range(10_000):
        if memo.recall(number % 150) is None:
            memo.keep(number % 150, number)
    kept = [n for n in range(150) if memo.recall(n) is not None]
    assert 100 <= len(kept) <= 200
    fresh: Recent[int, int] = Recent(100)
    for number in range(1_000):
        fresh.keep(number, number)
    assert sum(fresh.recall(n) is not None for n in range(1_000)) <= 200
