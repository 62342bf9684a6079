"""Documents -> the files of the search index, each gzip-compressed JSON.

- `meta.bin`, read first by every search: the sections and sub-sites, each document's section
  and sub-site, the first document of each year, and the list of term chunks.
- `t/<hash>.bin`, the term chunks: the folded terms in sorted order, cut into chunks where
  a term's own hash says so (content-defined, so that an edit moves no boundary), each
  folded term with its exact forms and, for each, the documents that have it in the title
  and those that have it elsewhere. A query fetches the chunks of its words only; the name
  is the hash of the chunk, so a chunk that did not change keeps its file.
- `d/<id>.bin`, one per document: what a result shows (URL, title, date, section, lead and
  body text for the snippet), fetched for the results on screen only.

Document ids count from the oldest article, so a new article takes the next id and leaves
the others' ids, and every chunk it does not touch, as they were.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .fold import exact_form, folded_form, words

FORMAT = 1
CHUNK_TERMS = 12  # terms per chunk on average; a chunk starts where a term's hash is below 256/12


@dataclass(frozen=True)
class SearchDoc:
    """What the index knows of one published article."""

    source_path: str
    url: str
    title: str
    date: dt.datetime
    shown_date: str  # the date as the site writes it
    section: int  # index into the index's sections
    subsite: int  # index into the index's sub-sites (0 outside portals)
    lead: str
    body: str
    other: str = ""  # authors and section title: searched, not shown in the snippet


@dataclass(frozen=True)
class IndexScope:
    """Sections as (id, title), id "key" or "<sub-site>/key"; sub-sites as (key, title)."""

    sections: tuple[tuple[str, str], ...]
    subsites: tuple[tuple[str, str], ...] = (("", ""),)


def index_files(docs: Sequence[SearchDoc], scope: IndexScope) -> dict[str, bytes]:
    """{path under the index folder: bytes}, the same bytes for the same documents."""
    ordered = sorted(docs, key=lambda d: (d.date.timestamp(), d.source_path))
    postings = collect_postings(ordered)
    chunks = [_chunk_bytes(chunk, postings) for chunk in cut_chunks(sorted(postings))]
    files: dict[str, bytes] = {}
    listed = []
    for first, data in chunks:
        name = hashlib.blake2b(data, digest_size=8).hexdigest()
        files[f"t/{name}.bin"] = data
        listed.append([first, name])
    for number, doc in enumerate(ordered):
        files[f"d/{number}.bin"] = _pack(_shown(doc, scope))
    files["meta.bin"] = _pack(_meta(ordered, scope, listed))
    return files


Postings = dict[str, dict[str, tuple[list[int], list[int]]]]


def collect_postings(ordered: Sequence[SearchDoc]) -> Postings:
    """{folded term: {exact form: (ids with it in the title, ids with it elsewhere only)}}."""
    exact: dict[str, tuple[list[int], list[int]]] = {}
    for number, doc in enumerate(ordered):
        in_title = {exact_form(w) for w in set(words(doc.title))}
        elsewhere = {exact_form(w) for w in set(words(f"{doc.lead} {doc.body} {doc.other}"))}
        for form in in_title:
            exact.setdefault(form, ([], []))[0].append(number)
        for form in elsewhere - in_title:
            exact.setdefault(form, ([], []))[1].append(number)
    grouped: Postings = {}
    for form in sorted(exact):
        grouped.setdefault(folded_form(form), {})[form] = exact[form]
    return grouped


def cut_chunks(terms: Sequence[str]) -> list[list[str]]:
    """Sorted terms in chunks; a chunk starts at a term whose hash says so."""
    chunks: list[list[str]] = []
    for term in terms:
        if not chunks or _starts_chunk(term):
            chunks.append([])
        chunks[-1].append(term)
    return chunks


def _starts_chunk(term: str) -> bool:
    return hashlib.blake2b(term.encode("utf-8"), digest_size=1).digest()[0] < 256 // CHUNK_TERMS


def _chunk_bytes(terms: list[str], postings: Postings) -> tuple[str, bytes]:
    body = {
        term: [[form, _deltas(ids[0]), _deltas(ids[1])] for form, ids in postings[term].items()]
        for term in terms
    }
    return terms[0], _pack(body)


def _deltas(ids: list[int]) -> list[int]:
    """Ascending ids as gaps: small numbers, which compress well."""
    return [b - a for a, b in zip([-1, *ids], ids, strict=False)]


def _shown(doc: SearchDoc, scope: IndexScope) -> dict[str, Any]:
    return {
        "u": doc.url,
        "t": doc.title,
        "d": doc.shown_date,
        "s": scope.sections[doc.section][1],
        "p": scope.subsites[doc.subsite][1],
        "l": doc.lead,
        "x": doc.body,
    }


def _meta(ordered: Sequence[SearchDoc], scope: IndexScope, chunks: list) -> dict[str, Any]:
    years: list[list[int]] = []
    for number, doc in enumerate(ordered):
        if not years or years[-1][0] != doc.date.year:
            years.append([doc.date.year, number])
    return {
        "format": FORMAT,
        "count": len(ordered),
        "sections": [list(s) for s in scope.sections],
        "subsites": [list(s) for s in scope.subsites],
        "section": [d.section for d in ordered],
        "subsite": [d.subsite for d in ordered] if len(scope.subsites) > 1 else [],
        "years": years,
        "chunks": chunks,
    }


def _pack(value: object) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)
