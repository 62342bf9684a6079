"""A memo that keeps the values used last, for memos whose keys grow with the site."""

from __future__ import annotations

from typing import Generic, TypeVar

Key = TypeVar("Key")
Value = TypeVar("Value")


class Recent(Generic[Key, Value]):
    """Between `size` and 2 * `size` values: those used last. A value used again moves to
    the newer half; when that is full, the older half is let go of. Rendering 100,000 pages
    uses most values a few times close together and a few (the newest articles, the
    navigation's links) on every page: those stay."""

    def __init__(self, size: int):
        self.size = size
        self._newer: dict[Key, Value] = {}
        self._older: dict[Key, Value] = {}

    def recall(self, key: Key) -> Value | None:
        value = self._newer.get(key)
        if value is None:
            value = self._older.pop(key, None)
            if value is not None:
                self.keep(key, value)
        return value

    def keep(self, key: Key, value: Value) -> None:
        if len(self._newer) >= self.size:
            self._older, self._newer = self._newer, {}
        self._newer[key] = value
