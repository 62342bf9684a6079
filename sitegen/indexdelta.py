"""What changed in the cache index between two builds, so that a rebuild writes only that.

The index is kept as a base file and one delta file: the changes since the base was
written, each new build's folded into it (`then`). While the delta stays small, a build
that changed one article writes a few kilobytes instead of the whole index (a fifth of a
rebuild's time at 10,000 articles); past a share of the base, the base is written whole.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# The dict fields of CacheIndex, kept entry by entry.
_TABLES = ("stats", "records", "scans")
_ABSENT = object()


@dataclass
class IndexDelta:
    base: tuple[Any, ...] | None  # stamp of the base file it applies to
    settings: str = ""
    started_ns: int = 0
    store_stamp: tuple[Any, ...] | None = None
    # The output paths the scans were made against, as a change to the base's: a build that
    # renames a few files (the search index's chunks are named by their content) must not
    # write all of them again.
    outputs_added: frozenset[str] = frozenset()
    outputs_removed: frozenset[str] = frozenset()
    updated: dict[str, dict[str, Any]] = field(default_factory=dict)  # table -> key -> value
    removed: dict[str, set[str]] = field(default_factory=dict)  # table -> keys

    @classmethod
    def between(cls, old: Any, new: Any, base: tuple[Any, ...] | None,
                touched: Mapping[str, Collection[str]] | None = None) -> IndexDelta:  # fmt: skip
        """The changes from the index `old` to `new` (CacheIndex objects). `touched`: for a
        table of `new` made from a copy of `old`'s, the keys that alone can differ."""
        delta = cls(base, new.settings, new.started_ns, new.store_stamp)
        delta.outputs_added = new.scanned_outputs - old.scanned_outputs
        delta.outputs_removed = old.scanned_outputs - new.scanned_outputs
        touched = touched or {}
        for table in _TABLES:
            before, after = getattr(old, table), getattr(new, table)
            keys = touched.get(table)
            if keys is None:
                delta.updated[table] = _updated(before, after, after)
                delta.removed[table] = before.keys() - after.keys()
            else:
                delta.updated[table] = _updated(before, after, keys)
                delta.removed[table] = {k for k in keys if k in before and k not in after}
        return delta

    def then(self, later: IndexDelta) -> IndexDelta:
        """This delta followed by `later` (made against the index this one led to)."""
        added = (self.outputs_added - later.outputs_removed) | later.outputs_added
        removed = (self.outputs_removed | later.outputs_removed) - added
        folded = IndexDelta(self.base, later.settings, later.started_ns, later.store_stamp,
                            added, removed)  # fmt: skip
        for table in _TABLES:
            gone = later.removed.get(table, set())
            updated = {k: v for k, v in self.updated.get(table, {}).items() if k not in gone}
            updated.update(later.updated.get(table, {}))
            folded.updated[table] = updated
            folded.removed[table] = (self.removed.get(table, set()) | gone) - updated.keys()
        return folded

    def apply(self, index: Any) -> None:
        """Bring the base `index` (a CacheIndex) up to date, in place."""
        index.settings, index.started_ns = self.settings, self.started_ns
        index.store_stamp = self.store_stamp
        if self.outputs_added or self.outputs_removed:
            kept = index.scanned_outputs - self.outputs_removed
            index.scanned_outputs = kept | self.outputs_added
        for table in _TABLES:
            entries = getattr(index, table)
            for key in self.removed.get(table, ()):
                entries.pop(key, None)
            entries.update(self.updated.get(table, {}))

    def size(self) -> int:
        changed = sum(len(t) for t in self.updated.values()) + sum(map(len, self.removed.values()))
        return changed + len(self.outputs_added) + len(self.outputs_removed)


def _updated(before: dict[str, Any], after: dict[str, Any],
             keys: Iterable[str]) -> dict[str, Any]:  # fmt: skip
    """The entries of `after` among `keys` that `before` lacks or holds otherwise."""
    updated = {}
    for key in keys:
        value = after.get(key, _ABSENT)
        if value is _ABSENT:
            continue
        # An entry carried over from the last build is the very same object: most are.
        was = before.get(key, _ABSENT)
        if was is not value and (was is _ABSENT or was != value):
            updated[key] = value
    return updated
