"""An index patched after edits (sitegen/search/patch.py) is the index a clean build makes:
the same chunks, byte for byte, in the same order."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from sitegen.search.fold import folded_form
from sitegen.search.index import (
    IndexScope,
    SearchDoc,
    collect_postings,
    encode_chunks,
    index_part,
    read_chunk,
    starts_chunk,
)
from sitegen.search.patch import changed_forms, patch_chunks
from tests.unit.test_search_index import doc

SCOPE = IndexScope((("tin", "Tin hoạt động"), ("dang", "Xây dựng Đảng")))
PART = 5
WORDS = str.split(
    "đảng dạng đăng viên chi bộ hòa hoà bình thủy thuỷ lợi giao thông y tế nông thôn "
    "Hội nghị Tổng kết năm 2026 cán bộ xã phường Đoàn thanh niên “khỏe” mạnh"
)


def text(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def parts_of(docs: list[SearchDoc]) -> list:
    return [index_part(docs[n : n + PART], n, SCOPE) for n in range(0, len(docs), PART)]


def chunks_of(docs: list[SearchDoc]) -> tuple[list, dict[str, bytes]]:
    chunks = encode_chunks(collect_postings(parts_of(docs)))
    return [(first, name) for first, name, _ in chunks], {n: d for _, n, d in chunks}


def patched(before: list[SearchDoc], after: list[SearchDoc]) -> tuple[list, dict[str, bytes]]:
    """The chunks of `after`, patched from those of `before` as a build does."""
    listed, store = chunks_of(before)
    old, new = parts_of(before), parts_of(after)
    changed = [n for n in range(max(len(old), len(new)))
               if n >= len(old) or n >= len(new) or old[n] != new[n]]  # fmt: skip
    forms: set[str] = set()
    for n in changed:
        forms |= changed_forms(old[n].forms if n < len(old) else {},
                               new[n].forms if n < len(new) else {})  # fmt: skip
    fresh = collect_postings([new[n] for n in changed if n < len(new)])
    flat = {form: ids for entries in fresh.values() for form, ids in entries.items()}
    spans = [(n * PART, (n + 1) * PART) for n in changed]
    new_listed, made = patch_chunks(listed, lambda n: read_chunk(store[n]), spans, flat, forms)
    return new_listed, {**store, **made}


def edited(rng: random.Random, docs: list[SearchDoc]) -> list[SearchDoc]:
    """One edit that leaves the other documents their ids: a body or a title changed,
    words taken out, or a new article after the newest."""
    docs = list(docs)
    kind = rng.choice(["body", "title", "shorter", "new", "empty"])
    if kind == "new":
        day = max(d.date for d in docs).day + 1 if docs else 1
        return [*docs, doc(f"n{len(docs)}", text(rng, 4), min(day, 28), text(rng, 12))]
    at = rng.randrange(len(docs))
    if kind == "body":
        docs[at] = replace(docs[at], body=docs[at].body + " " + text(rng, 3))
    elif kind == "title":
        docs[at] = replace(docs[at], title=text(rng, 3))
    elif kind == "shorter":
        docs[at] = replace(docs[at], body=" ".join(docs[at].body.split()[:2]))
    else:
        docs[at] = replace(docs[at], title="x", body="")
    return docs


@pytest.mark.parametrize("seed", range(40))
def test_patched_chunks_are_those_of_a_clean_build(seed: int) -> None:
    rng = random.Random(seed)
    docs = [doc(f"p{n:02d}", text(rng, 4), n + 1, text(rng, rng.randrange(0, 20)))
            for n in range(rng.randrange(1, 24))]  # fmt: skip
    for _ in range(3):
        after = edited(rng, docs)
        listed, store = patched(docs, after)
        clean_listed, clean_store = chunks_of(after)
        assert listed == clean_listed
        assert {name: store[name] for _, name in listed} == clean_store
        docs = after


def test_a_new_word_changes_one_chunk_and_the_others_are_not_read() -> None:
    docs = [doc(f"p{n:02d}", f"Tin số {n}", n + 1, " ".join(WORDS)) for n in range(20)]
    after = list(docs)
    after[7] = replace(docs[7], body=docs[7].body + " xyzzy")
    listed, store = chunks_of(docs)
    read: list[str] = []

    def reader(name: str):
        read.append(name)
        return read_chunk(store[name])

    old, new = parts_of(docs)[1], parts_of(after)[1]
    forms = changed_forms(old.forms, new.forms)
    assert forms == {"xyzzy"}
    fresh = {f: ids for e in collect_postings([new]).values() for f, ids in e.items()}
    new_listed, made = patch_chunks(listed, reader, [(PART, 2 * PART)], fresh, forms)
    assert len(read) <= 2 < len(listed)  # its chunk, and maybe the one before it
    assert len(made) <= 2
    assert new_listed == chunks_of(after)[0]


def test_a_chunk_whose_first_word_is_gone_joins_the_chunk_before() -> None:
    vocabulary = [f"từ{n:03d}" for n in range(300)]
    starters = [w for w in vocabulary[1:] if starts_chunk(folded_form(w))]
    gone = starters[len(starters) // 2]
    docs = [doc(f"p{n:02d}", f"Tin {n}", n + 1, " ".join(w for w in vocabulary if w != gone))
            for n in range(10)]  # fmt: skip
    docs[3] = replace(docs[3], body=docs[3].body + " " + gone)  # its only article
    after = list(docs)
    after[3] = replace(docs[3], body=docs[3].body.replace(gone, ""))
    before_listed = chunks_of(docs)[0]
    assert folded_form(gone) in [first for first, _ in before_listed]
    listed, store = patched(docs, after)
    assert folded_form(gone) not in [first for first, _ in listed]
    assert (listed, {name: store[name] for _, name in listed}) == chunks_of(after)
    added, _ = patched(after, docs)  # and back: the chunk splits again
    assert added == before_listed
