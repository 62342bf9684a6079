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
import operator
from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, chain
from typing import Any

from ..i18n import format_date
from .fold import folded_form, token_forms, tokens

FORMAT = 1
CHUNK_TERMS = 12  # terms per chunk on average; a chunk starts where a term's hash is below 256/12
# gzip levels: 6 for the chunks (level 9 takes 13 times as long on their lists of numbers, for
# 5 % less), 3 for the documents' text (7 % larger than 6, in 60 % of the time).
SHOWN_LEVEL = 3


@dataclass(frozen=True)
class SearchDoc:
    """What the index knows of one published article."""

    source_path: str
    url: str
    title: str
    date: dt.datetime
    language: str  # the site's, for the date as it writes it
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


# Ids as arrays of 4-byte numbers: the postings of 100,000 articles are tens of millions of
# them, 36 bytes each as Python ints in lists, 4 here.
Ids = array  # of typecode "I"
Forms = dict[str, tuple[Ids, Ids]]  # exact form -> (ids: in the title, elsewhere only)


@dataclass(frozen=True)
class IndexPart:
    """What the index takes of consecutive documents, made on any core: the ids that have
    each exact form, and each document's packed `d/<id>.bin`."""

    forms: Forms
    shown: tuple[bytes, ...]


def index_part(docs: Sequence[SearchDoc], first: int, scope: IndexScope) -> IndexPart:
    """The part of `docs`, whose ids count from `first`."""
    in_title: dict[bytes, Ids] = defaultdict(no_ids)
    elsewhere: dict[bytes, Ids] = defaultdict(no_ids)
    for number, doc in enumerate(docs, start=first):
        title = tokens(doc.title)
        for token in title:
            in_title[token].append(number)
        for token in tokens(f"{doc.lead} {doc.body} {doc.other}") - title:
            elsewhere[token].append(number)
    shown = tuple(_pack(_shown(doc, scope), SHOWN_LEVEL) for doc in docs)
    return IndexPart(_by_form(in_title, elsewhere), shown)


def no_ids() -> Ids:
    return array("I")


def _by_form(in_title: dict[bytes, Ids], elsewhere: dict[bytes, Ids]) -> Forms:
    """Token postings as exact-form postings. Where several tokens give one form ("hoà",
    "hòa", "“hòa"), their ids are merged, and those of the title taken out of the others."""
    placed: tuple[dict[str, Ids], dict[str, Ids]] = ({}, {})
    token_of: dict[str, bytes] = {}
    merged: set[str] = set()
    for postings, by_form in zip((in_title, elsewhere), placed, strict=True):
        for token, ids in postings.items():
            for form in token_forms(token):
                if token_of.setdefault(form, token) != token:
                    merged.add(form)
                found = by_form.get(form)
                by_form[form] = ids if found is None else found + ids  # never extended in place
    title_ids, other_ids = placed
    forms = {form: (title_ids.get(form) or no_ids(), other_ids.get(form) or no_ids())
             for form in token_of}  # fmt: skip
    for form in merged:
        title, other = forms[form]
        title = array("I", sorted(set(title)))
        forms[form] = (title, array("I", sorted(set(other).difference(title))))
    return forms


def index_order(doc: SearchDoc) -> tuple[float, str]:
    """Document ids count from the oldest article."""
    return (doc.date.timestamp(), doc.source_path)


def index_files(docs: Sequence[SearchDoc], scope: IndexScope,
                parts: Sequence[IndexPart] | None = None) -> dict[str, bytes]:  # fmt: skip
    """{path under the index folder: bytes}, the same bytes for the same documents.

    `parts`: of `docs` sorted by `index_order`, in order, when they were made elsewhere
    (on every core)."""
    ordered = sorted(docs, key=index_order)
    if parts is None:
        parts = [index_part(ordered, 0, scope)]
    chunks = encode_chunks(collect_postings(parts))
    files = {f"t/{name}.bin": data for _, name, data in chunks}
    shown = [data for part in parts for data in part.shown]
    files.update((f"d/{number}.bin", data) for number, data in enumerate(shown))
    files["meta.bin"] = meta_bytes(ordered, scope, [(first, name) for first, name, _ in chunks])
    return files


Listed = list[tuple[str, str]]  # the chunks of an index: (first term, name), in order


def encode_chunks(postings: Postings) -> list[tuple[str, str, bytes]]:
    """(first term, name, bytes) of each chunk of the postings."""
    made = ((terms, chunk_bytes(terms, postings)) for terms in cut_chunks(sorted(postings)))
    return [(terms[0], chunk_name(data), data) for terms, data in made]


def meta_bytes(ordered: Sequence[SearchDoc], scope: IndexScope, listed: Listed,
               fields: dict[str, Any] | None = None) -> bytes:  # fmt: skip
    """The index's metadata file; `fields`: `meta_fields(ordered, scope)`, when made before."""
    fields = fields if fields is not None else meta_fields(ordered, scope)
    return _pack({**fields, "chunks": [list(entry) for entry in listed]})


Postings = dict[str, Forms]  # folded term -> its exact forms


def collect_postings(parts: Sequence[IndexPart]) -> Postings:
    """{folded term: {exact form: (ids with it in the title, ids with it elsewhere only)}}."""
    return grouped_postings(merged_forms(parts))


def grouped_postings(exact: Forms) -> Postings:
    """Exact forms grouped by their folded term."""
    grouped: Postings = {}
    for form in sorted(exact):
        grouped.setdefault(folded_form(form), {})[form] = exact[form]
    return grouped


def merged_forms(parts: Sequence[IndexPart]) -> Forms:
    """The forms of consecutive parts, their ids in order."""
    exact: Forms = {}
    for part in parts:
        merge_forms(exact, part.forms)
    return exact


def merge_forms(exact: Forms, forms: Forms) -> None:
    """Add to `exact` the forms of the part after those merged into it (its ids follow)."""
    for form, (title, other) in forms.items():
        found = exact.get(form)
        if found is None:
            exact[form] = (array("I", title), array("I", other))
        else:
            found[0].extend(title)
            found[1].extend(other)


def cut_chunks(terms: Sequence[str]) -> list[list[str]]:
    """Sorted terms in chunks; a chunk starts at a term whose hash says so."""
    chunks: list[list[str]] = []
    for term in terms:
        if not chunks or starts_chunk(term):
            chunks.append([])
        chunks[-1].append(term)
    return chunks


def starts_chunk(term: str) -> bool:
    return hashlib.blake2b(term.encode("utf-8"), digest_size=1).digest()[0] < 256 // CHUNK_TERMS


# A term's forms as a chunk holds them, [[form, gaps in the title, gaps elsewhere], ...]: read
# back, a term an edit does not touch is written again as it was, without counting its ids.
Encoded = list
ChunkPostings = dict[str, Forms | Encoded]


def chunk_bytes(terms: list[str], postings: ChunkPostings) -> bytes:
    return _pack({term: encoded(postings[term]) for term in terms})


def encoded(forms: Forms | Encoded) -> Encoded:
    if isinstance(forms, list):
        return forms
    return [[form, _deltas(title), _deltas(other)] for form, (title, other) in forms.items()]


def decoded(forms: Forms | Encoded) -> Forms:
    if isinstance(forms, dict):
        return forms
    return {form: (_ids(title), _ids(other)) for form, title, other in forms}


def chunk_name(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=8).hexdigest()


def read_chunk(data: bytes) -> ChunkPostings:
    """The terms of a chunk of `chunk_bytes`, each as it holds it (`decoded` counts the ids)."""
    return json.loads(gzip.decompress(data))


def _deltas(ids: Ids) -> list[int]:
    """Ascending ids as gaps: small numbers, which compress well."""
    return list(map(operator.sub, ids, chain((-1,), ids)))


def _ids(gaps: list[int]) -> Ids:
    ids = accumulate(gaps, initial=-1)
    next(ids)
    return array("I", ids)


def _shown(doc: SearchDoc, scope: IndexScope) -> dict[str, Any]:
    return {
        "u": doc.url,
        "t": doc.title,
        "d": format_date(doc.date, doc.language, "short"),
        "s": scope.sections[doc.section][1],
        "p": scope.subsites[doc.subsite][1],
        "l": doc.lead,
        "x": doc.body,
    }


def meta_fields(ordered: Sequence[SearchDoc], scope: IndexScope) -> dict[str, Any]:
    """The metadata of the documents: all of it but the list of chunks, which goes last."""
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
    }


def _pack(value: object, level: int = 6) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=level, mtime=0)
