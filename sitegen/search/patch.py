"""An index patched after an edit: only the chunks holding words whose documents changed are
read, changed and encoded again, so that an edit costs what it touches, not the size of the
site. The result is byte for byte the index a clean build makes (tests/unit/test_search_patch.py).

The documents of each part that changed (files.py) are taken whole, so any change is
patched rightly; it is worth it while few parts changed: an article edited in place (body,
title, section, tags...) or added after the newest. A change that moves the ids of many
articles (one deleted, or dated anew, far from the newest) makes the index anew.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable

from .fold import folded_form
from .index import (
    ChunkPostings,
    Forms,
    Ids,
    Listed,
    chunk_bytes,
    chunk_name,
    cut_chunks,
    decoded,
    no_ids,
    starts_chunk,
)

Span = tuple[int, int]  # ids [first, end) made anew
ChunkReader = Callable[[str], ChunkPostings]  # a chunk's name -> its terms
NOTHING = (no_ids(), no_ids())


def changed_forms(old: Forms, new: Forms) -> set[str]:
    """The forms whose documents differ between two versions of the same ids."""
    return {form for form in old.keys() | new.keys() if old.get(form) != new.get(form)}


def patch_chunks(listed: Listed, read: ChunkReader, spans: list[Span], fresh: Forms,
                 forms: Iterable[str]) -> tuple[Listed, dict[str, bytes]]:  # fmt: skip
    """The chunks after the documents of `spans` (sorted, apart) were made anew.

    `listed`: the previous chunks; `read(name)`: a previous chunk's postings; `fresh`: the
    postings of the documents of `spans`; `forms`: the forms whose documents in `spans`
    changed. Returns the new list of chunks and the bytes of those made."""
    by_term: dict[str, list[str]] = {}
    for form in forms:
        by_term.setdefault(folded_form(form), []).append(form)
    firsts = [first for first, _ in listed]
    home = {term: max(0, bisect_right(firsts, term) - 1) for term in by_term}  # its chunk
    listed = list(listed)
    made: dict[str, bytes] = {}
    for start, end in reversed(_runs(sorted(set(home.values())))):
        # From the last run: the indexes of the chunks before it stay as they were.
        postings: ChunkPostings = {}
        for _, name in listed[start:end]:
            postings.update(read(name))
        for term, forms_of_term in by_term.items():
            if start <= home[term] < end:
                _patch_term(postings, term, forms_of_term, spans, fresh)
        # A chunk starts at a term that says so (or at the first term of all): pull in the
        # chunk before while the run's first term no longer does.
        while start > 0 and not (postings and starts_chunk(min(postings))):
            start -= 1
            postings.update(read(listed[start][1]))
        chunks = []
        for chunk in cut_chunks(sorted(postings)):
            data = chunk_bytes(chunk, postings)
            name = chunk_name(data)
            made[name] = data
            chunks.append((chunk[0], name))
        listed[start:end] = chunks
    return listed, made


def _runs(indexes: list[int]) -> list[Span]:
    """Sorted indexes as runs of consecutive ones, [first, end)."""
    runs: list[Span] = []
    for index in indexes:
        if runs and runs[-1][1] == index:
            runs[-1] = (runs[-1][0], index + 1)
        else:
            runs.append((index, index + 1))
    return runs


def _patch_term(postings: ChunkPostings, term: str, forms: list[str], spans: list[Span],
                fresh: Forms) -> None:  # fmt: skip
    """The term's documents in `spans` replaced by those of `fresh`; forms (and the term)
    with no document left dropped; forms in the order a clean build writes them."""
    entries = dict(decoded(postings.get(term, {})))
    for form in forms:
        old_title, old_other = entries.get(form, NOTHING)
        new_title, new_other = fresh.get(form, NOTHING)
        title = _spliced(old_title, spans, new_title)
        other = _spliced(old_other, spans, new_other)
        if title or other:
            entries[form] = (title, other)
        else:
            entries.pop(form, None)
    if entries:
        postings[term] = {form: entries[form] for form in sorted(entries)}
    else:
        postings.pop(term, None)


def _spliced(ids: Ids, spans: list[Span], new: Ids) -> Ids:
    """Sorted `ids` with those in `spans` replaced by `new` (all of which lie in `spans`)."""
    out = no_ids()
    at = 0
    for first, end in spans:
        cut = bisect_left(ids, first, at)
        out += ids[at:cut]
        out += new[bisect_left(new, first) : bisect_left(new, end)]
        at = bisect_left(ids, end, cut)
    out += ids[at:]
    return out
