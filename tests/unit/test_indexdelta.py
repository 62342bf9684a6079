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
