"""The files of the search index for one build, made in proportion to what changed.

Documents are taken in parts of PART (by id, from the oldest); the cache keeps each part (its
postings and its documents' result files), each chunk, and the state of the last index (its
parts and chunks). A build then
- with no change, makes nothing: every file but the metadata is a `PendingFile`, made only
  if the output lacks it, from the cache;
- after an edit, makes again the parts whose documents changed and patches the chunks of the
  words whose documents changed (`patch.py`);
- otherwise (no cache, many parts changed, ids moved), makes the whole index on every
  core: a large one in a process started afresh, whose memory the build's does not keep.
"""

from __future__ import annotations

import hashlib
import html
import json
import pickle
import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import compress, count
from operator import itemgetter, ne
from typing import Any

import babel

from .. import __version__
from ..apart import run_apart
from ..cache import BuildCache
from ..model import OutputFile, PendingFile
from ..parallel import forked_workers, ordered_map
from ..store import RowStore
from .index import (
    FORMAT,
    ChunkPostings,
    Forms,
    IndexPart,
    IndexScope,
    Listed,
    SearchDoc,
    encode_chunks,
    grouped_postings,
    index_part,
    merge_forms,
    merged_forms,
    meta_bytes,
    meta_fields,
    read_chunk,
)
from .patch import Span, changed_forms, patch_chunks

Entry = tuple[SearchDoc, str]  # a document without its body, and the cache key of its body
Digest = Any  # a hashlib.blake2b object
PART = 96  # documents per part of the index that the cache keeps: an edit makes one again
APART_FROM = 4096  # documents from which the whole index is made apart, on every core
FOLDER = "search/"
STATE_KEY = "search-state"
CHUNK_KEY = "search-chunk-"
ORIGIN = "the search index"
_TAG = re.compile(rb"<[^>]*>")
_SKIPPED = re.compile(rb"<(script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class IndexState:
    """What the cache keeps of the last index, for the next build to patch."""

    part_keys: tuple[str, ...]
    chunks: Listed


@dataclass
class LastOutput:
    """What `index_output` gave last in this process (the dev server's), for the next build
    to take again what did not change: at 100,000 articles, making the part keys, the
    metadata and the result files again took half a second of a body edit."""

    signed: Sequence[str] = ()  # each document's signature
    keys: tuple[str, ...] = ()  # of each part
    docs: list[SearchDoc] = field(default_factory=list)
    listed: Listed = ()
    meta: bytes | None = None
    fields: dict[str, Any] | None = None  # search.index.meta_fields of `docs`
    results: list[PendingFile] = field(default_factory=list)  # d/N.bin: N's reads `parts`
    parts: Parts | None = None  # of the last build


def index_output(todo: Sequence[Entry], signed: Sequence[str], scope: IndexScope,
                 cache: BuildCache, jobs: int,
                 last: LastOutput | None = None) -> list[OutputFile | PendingFile]:  # fmt: skip
    """The files of the index of `todo` (sorted by `index_order`) under /search/; `signed`:
    each document's `doc_signature`. `last`: what the last call gave in this process, for
    the same scope; updated for the next."""
    last = last if last is not None else LastOutput()
    work = [(start, list(todo[start : start + PART])) for start in range(0, len(todo), PART)]
    keys = _part_keys(signed, last)
    parts = Parts(work, keys, scope, cache, jobs)
    previous = _load_state(cache)
    if previous is not None and previous.part_keys == keys and parts.cached(keys, previous.chunks):
        listed, made = previous.chunks, {}
    else:
        patched = _patched(previous, parts) if previous is not None else None
        listed, made = patched if patched is not None else _whole(parts, jobs)
    parts.work = []  # documents are done with: result files are read from the cache
    state = IndexState(keys, tuple(listed))
    if cache.persistent:
        _keep(cache, state, previous, made)
    docs = list(map(itemgetter(0), todo))
    fields = last.fields if last.fields is not None and last.docs == docs else None
    if fields is not None and last.meta is not None and last.listed == state.chunks:
        meta = last.meta
    else:
        fields = fields if fields is not None else meta_fields(docs, scope)
        meta = meta_bytes(docs, scope, list(listed), fields)
    files: list[OutputFile | PendingFile] = [OutputFile(f"{FOLDER}meta.bin", meta, ORIGIN)]
    for _, name in listed:
        files.append(PendingFile(f"{FOLDER}t/{name}.bin", ORIGIN, name,
                                 _chunk_maker(name, made, cache)))  # fmt: skip
    last.parts = parts  # what the result files read, those kept from the last build too
    results = _result_files(signed, last)
    files += results
    last.signed, last.keys, last.docs, last.listed = signed, keys, docs, state.chunks
    last.meta, last.fields, last.results = meta, fields, results
    return files


def _part_keys(signed: Sequence[str], last: LastOutput) -> tuple[str, ...]:
    """The key of each part: the last build's for a part whose signatures are the same."""
    keys = []
    for number, start in enumerate(range(0, len(signed), PART)):
        part = signed[start : start + PART]
        same = number < len(last.keys) and last.signed[start : start + PART] == part
        keys.append(last.keys[number] if same else _part_key(start, part))
    return tuple(keys)


def _result_files(signed: Sequence[str], last: LastOutput) -> list[PendingFile]:
    """The result file of each document: the last build's where its signature is the same
    (each reads the document from `last.parts`, this build's)."""
    if len(last.results) == len(signed):
        results = list(last.results)
        differ = list(compress(count(), map(ne, signed, last.signed)))  # no loop of ours
    else:
        results, differ = [], range(len(signed))
    for number in differ:
        result = PendingFile(f"{FOLDER}d/{number}.bin", ORIGIN, signed[number],
                             lambda number=number: last.parts.shown(number))  # fmt: skip
        if number < len(results):
            results[number] = result
        else:
            results.append(result)
    return results


class Parts:
    """The index's parts of this build: made when asked, each stored in the cache by the
    process that made it, or read back from the cache."""

    def __init__(self, work: list[tuple[int, list[Entry]]], keys: tuple[str, ...],
                 scope: IndexScope, cache: BuildCache, jobs: int):  # fmt: skip
        self.work, self.keys, self.scope, self.cache, self.jobs = work, keys, scope, cache, jobs
        self.made: dict[int, IndexPart] = {}  # the parts an edit changed, for the patch
        self._read: tuple[str, dict[str, bytes]] | None = None  # the result files of a part
        # are written one after another: it is read once

    def cached(self, keys: Sequence[str], chunks: Listed) -> bool:
        """The cache has these parts and chunks (a --subsite build may have dropped them)."""
        return self.cache.has_bytes([*keys, *(CHUNK_KEY + name for _, name in chunks)])

    def make(self, numbers: Sequence[int]) -> None:
        """Make these parts, and keep them for the patch."""
        self.made.update(self._making(numbers))

    def _making(self, numbers: Sequence[int]) -> Iterator[tuple[int, IndexPart]]:
        """These parts, in order, made on every core when there are many."""
        work = [(self.keys[n], *self.work[n]) for n in numbers]
        made = ordered_map(_index_part, work, self.jobs, _init_worker,
                           (self.cache.rows, self.scope), 1)  # fmt: skip
        for number, part in zip(numbers, made, strict=True):
            self.cache.note_stored(self.keys[number])
            yield number, part

    def shown(self, number: int) -> bytes:
        """The result file of document `number`."""
        part = self.made.get(number // PART)
        if part is not None:
            return part.shown[number % PART]
        return self._files(self.keys[number // PART])[str(number % PART)]

    def load(self, key: str) -> IndexPart:
        """A part that the cache keeps."""
        return _part_of(self._files(key))

    def _files(self, key: str) -> dict[str, bytes]:
        if self._read is None or self._read[0] != key:
            data = self.cache.load_bytes(key)
            if data is None:  # `cached()` said it was there, or this build stored it
                raise KeyError(f"the search index part {key} left the cache")
            self._read = (key, unbundle(data))
        return self._read[1]


@dataclass(frozen=True)
class WholeWork:
    """What making the whole index takes; sent to a process of its own when it is large."""

    rows: RowStore
    scope: IndexScope
    keys: tuple[str, ...]  # of every part
    missing: dict[int, tuple[int, list[Entry]]]  # the parts not stored: first id, documents
    jobs: int


def _whole(parts: Parts, jobs: int) -> tuple[Listed, dict[str, bytes]]:
    """The whole index (its chunks listed, and their bytes when made here). A large one is
    made in a process started afresh (apart.py): its postings, half a gigabyte at 100,000
    articles, would otherwise stay in this process's heap, and in every page worker's."""
    cache = parts.cache
    missing = {n: parts.work[n] for n, key in enumerate(parts.keys) if not cache.has_bytes([key])}
    large = len(parts.keys) * PART >= APART_FROM
    work = WholeWork(cache.rows, parts.scope, parts.keys, missing, jobs if large else 1)
    if large:
        cache.flush()  # the process apart reads the store
        listed, made = run_apart(stored_whole_index, work), {}
        cache.note_stored(*(CHUNK_KEY + name for _, name in listed))
    else:
        chunks = whole_index(work)
        listed = [(first, name) for first, name, _ in chunks]
        made = {name: data for _, name, data in chunks}
    cache.note_stored(*(parts.keys[number] for number in missing))
    return listed, made


def whole_index(work: WholeWork) -> list[tuple[str, str, bytes]]:
    """(first term, name, bytes) of each chunk of the index: the parts that the store lacks
    made and stored on every core, then every part read back, merged in id order, and the
    chunks encoded, in this process alone: the workers have ended before the postings grow,
    so that no process but this one holds memory then."""
    todo = [(work.keys[n], first, batch) for n, (first, batch) in sorted(work.missing.items())]
    with forked_workers(work.jobs, _init_worker, (work.rows, work.scope)) as workers:
        for _ in workers.map(_stored_part, todo, 1):
            pass
    exact: Forms = {}
    for key in work.keys:
        merge_forms(exact, unpack_part(work.rows.row(key)[0]).forms)
    postings = grouped_postings(exact)
    exact.clear()
    return encode_chunks(postings)


def stored_whole_index(work: WholeWork) -> Listed:
    """`whole_index` with its chunks put in the store, as a process apart answers."""
    chunks = whole_index(work)
    for _, name, data in chunks:
        work.rows.queue(CHUNK_KEY + name, data)
    work.rows.flush()
    return [(first, name) for first, name, _ in chunks]


def _patched(previous: IndexState, parts: Parts) -> tuple[Listed, dict[str, bytes]] | None:
    """The chunks of `previous` patched with the parts that changed since, or None when too
    many did (ids moved) or the cache lacks what the patch reads."""
    old, new = previous.part_keys, parts.keys
    changed = _changed(old, new)
    if len(changed) > max(4, len(new) // 4):
        return None
    unchanged = [key for number, key in enumerate(new) if number not in changed]
    replaced = [old[number] for number in changed if number < len(old)]
    if not parts.cached([*unchanged, *replaced], previous.chunks):
        return None
    parts.make([n for n in changed if n < len(new)])
    forms: set[str] = set()
    spans: list[Span] = []
    for number in changed:
        before = parts.load(old[number]).forms if number < len(old) else {}
        after = parts.made[number].forms if number < len(new) else {}
        forms |= changed_forms(before, after)
        spans.append((number * PART, (number + 1) * PART))
    fresh = merged_forms([parts.made[n] for n in changed if n < len(new)])

    def read(name: str) -> ChunkPostings:
        return read_chunk(_cached_chunk(parts.cache, name))

    return patch_chunks(list(previous.chunks), read, spans, fresh, forms)


def _changed(old: Sequence[str], new: Sequence[str]) -> list[int]:
    """The numbers of the parts that differ (or that only one of the two has)."""
    both = min(len(old), len(new))
    return [n for n in range(both) if old[n] != new[n]] + list(range(both, max(len(old), len(new))))


def _keep(cache: BuildCache, state: IndexState, previous: IndexState | None,
          made: dict[str, bytes]) -> None:  # fmt: skip
    """Store what this build made and keep, unread, what it used of the last."""
    for name, data in made.items():
        cache.store_bytes(CHUNK_KEY + name, data)
    cache.keep_bytes([*state.part_keys, *(CHUNK_KEY + name for _, name in state.chunks)])
    if state != previous:
        cache.store_bytes(STATE_KEY, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    else:
        cache.keep_bytes([STATE_KEY])


def _load_state(cache: BuildCache) -> IndexState | None:
    data = cache.load_bytes(STATE_KEY)
    try:
        state = pickle.loads(data) if data is not None else None
    except (pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        return None
    return state if isinstance(state, IndexState) else None


def _chunk_maker(name: str, made: dict[str, bytes], cache: BuildCache) -> Callable[[], bytes]:
    """What makes a chunk's file when the output lacks it: the bytes this build made, or the
    cache's."""
    data = made.get(name)
    return (lambda: data) if data is not None else (lambda: _cached_chunk(cache, name))


def _cached_chunk(cache: BuildCache, name: str) -> bytes:
    data = cache.load_bytes(CHUNK_KEY + name)
    if data is None:  # `cached()` said it was there
        raise KeyError(f"the search index chunk {name} left the cache")
    return data


# --- signatures: what changes whenever a file of the index would ---------------------------


def signature_base(scope: IndexScope) -> Digest:
    """What every document's signature starts from: the index's format and scope."""
    text = repr((__version__, babel.__version__, FORMAT, scope))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20)


def doc_signature(base: Digest, doc: SearchDoc, content_key: str) -> str:
    """Changes whenever the document's result file, or its share of the postings, would."""
    digest = base.copy()
    digest.update(repr(doc).encode("utf-8"))
    digest.update(content_key.encode("utf-8"))
    return digest.hexdigest()


def _part_key(start: int, signed: Sequence[str]) -> str:
    digest = hashlib.blake2b(str(start).encode(), digest_size=20)
    for signature in signed:
        digest.update(signature.encode())
    return f"search-part-{digest.hexdigest()}"


# --- parts in the cache ------------------------------------------------------------------


def pack_part(part: IndexPart) -> bytes:
    lists = {form: (title.tolist(), other.tolist()) for form, (title, other) in part.forms.items()}
    forms = json.dumps(lists, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return bundle({"forms": forms, **{str(n): data for n, data in enumerate(part.shown)}})


def unpack_part(data: bytes) -> IndexPart:
    return _part_of(unbundle(data))


def _part_of(files: dict[str, bytes]) -> IndexPart:
    files = dict(files)
    forms = {
        form: (array("I", title), array("I", other))
        for form, (title, other) in json.loads(files.pop("forms")).items()
    }
    return IndexPart(forms, tuple(files[str(n)] for n in range(len(files))))


def bundle(files: dict[str, bytes]) -> bytes:
    """Files in one byte string: a JSON list of [path, size], a newline, their bytes."""
    listing = json.dumps([[path, len(data)] for path, data in files.items()])
    return b"".join([listing.encode("utf-8"), b"\n", *files.values()])


def unbundle(data: bytes) -> dict[str, bytes]:
    listing, _, rest = data.partition(b"\n")
    files, offset = {}, 0
    for path, size in json.loads(listing):
        files[path] = rest[offset : offset + size]
        offset += size
    return files


# --- making a part, in worker processes --------------------------------------------------

_worker: dict = {}  # the cache's store and the index's scope, set once per worker


def _init_worker(rows: RowStore, scope: IndexScope) -> None:
    _worker.update(rows=rows, scope=scope)


def _index_part(work: tuple[str, int, list[Entry]]) -> IndexPart:
    """The index's part of a few documents, their text read from the HTML store; stored
    under `key` (for the result files, and the next build) before it is handed on."""
    key, first, batch = work
    rows: RowStore = _worker["rows"]
    docs = [replace(doc, body=html_text(rows.row(body)[0])) for doc, body in batch]
    part = index_part(docs, first, _worker["scope"])
    rows.queue(key, pack_part(part))
    rows.flush()
    return part


def _stored_part(work: tuple[str, int, list[Entry]]) -> None:
    """`_index_part`, stored only: the whole index reads it back when every part is made."""
    _index_part(work)


def html_text(fragment: bytes) -> str:
    """The text of an HTML fragment (UTF-8), on one line. Bytes, because the cache keeps the
    HTML so: the text is made in half the time it takes once decoded."""
    if b"<script" in fragment or b"<style" in fragment:
        fragment = _SKIPPED.sub(b" ", fragment)
    text = b" ".join(_TAG.sub(b" ", fragment).split()).decode("utf-8")
    if "&" in text:
        text = " ".join(html.unescape(text).split())  # &nbsp; is a space too
    return text
