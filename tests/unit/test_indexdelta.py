"""The cache index's deltas (sitegen/indexdelta.py): a base with the deltas of several builds
folded into one is the index the last build saved."""

from __future__ import annotations

import copy
import itertools
import random

import pytest

from sitegen.cache import CacheIndex
from sitegen.indexdelta import IndexDelta

PATHS = [f"page-{n}/index.html" for n in range(12)] + [f"search/t/{n:04x}.bin" for n in range(12)]


def random_index(rng: random.Random) -> CacheIndex:
    index = CacheIndex(settings=str(rng.randrange(2)), started_ns=rng.randrange(10**9))
    index.scanned_outputs = frozenset(rng.sample(PATHS, rng.randrange(len(PATHS))))
    for path in rng.sample(PATHS, rng.randrange(len(PATHS))):
        index.stats[path] = ((rng.randrange(3),), f"key-{rng.randrange(3)}")
        index.scans[path] = (f"signature-{rng.randrange(3)}", None)
    return index


def same(a: CacheIndex, b: CacheIndex) -> bool:
    return (a.settings, a.started_ns, a.scanned_outputs, a.stats, a.scans) == (
        b.settings, b.started_ns, b.scanned_outputs, b.stats, b.scans
    )  # fmt: skip


@pytest.mark.parametrize("seed", range(30))
def test_a_base_with_folded_deltas_is_the_last_index(seed):
    rng = random.Random(seed)
    base = random_index(rng)
    builds = [base] + [random_index(rng) for _ in range(rng.randrange(1, 5))]
    folded = None
    for before, after in itertools.pairwise(builds):
        delta = IndexDelta.between(before, after, (1, 2, 3))
        folded = delta if folded is None else folded.then(delta)
    restored = copy.deepcopy(base)
    folded.apply(restored)
    assert same(restored, builds[-1])


def test_a_few_renamed_outputs_make_a_small_delta():
    old = CacheIndex(scanned_outputs=frozenset(PATHS))
    new = CacheIndex(scanned_outputs=(old.scanned_outputs - {PATHS[-1]}) | {"search/t/new.bin"})
    delta = IndexDelta.between(old, new, None)
    assert (delta.outputs_added, delta.outputs_removed) == ({"search/t/new.bin"}, {PATHS[-1]})
    assert delta.size() == 2


@pytest.mark.parametrize("seed", range(30))
def test_told_what_was_touched_the_delta_is_the_same(seed):
    """A build that started its tables as copies of the old index's and says which keys it
    touched gets the delta of a comparison of every entry."""
    rng = random.Random(seed)
    old = random_index(rng)
    new = copy.copy(old)
    new.stats, new.scans = dict(old.stats), dict(old.scans)
    touched = {"stats": set(), "scans": set()}
    for table in touched:
        entries = getattr(new, table)
        for path in rng.sample(PATHS, rng.randrange(6)):
            touched[table].add(path)
            if path in entries and rng.random() < 0.4:
                del entries[path]
            elif rng.random() < 0.7:  # some are written again with what they held
                entries[path] = copy.deepcopy(entries.get(path, ((9,), "key-9")))
            else:
                entries[path] = ((rng.randrange(3),), f"key-{rng.randrange(9)}")
    told = IndexDelta.between(old, new, (1, 2, 3), touched)
    compared = IndexDelta.between(old, new, (1, 2, 3))
    assert (told.updated, told.removed) == (compared.updated, compared.removed)
    restored = copy.deepcopy(old)
    told.apply(restored)
    assert same(restored, new)
