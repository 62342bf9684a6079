"""The dev server's site model between builds, patched when an edit changed bodies only.

A body edit leaves every listing, tag page and neighbour as it was: only the article's own
page, the feeds that carry its text and the search index change. When every changed source
parses to the same front matter, lead, links, anchors and warnings as before (its record
equal but for the key of its body HTML), and nothing but Markdown sources changed, a build
in the same process takes the last build's model with the new keys put in, instead of
assembling the site, checking the templates, publishing the photos and making the sitemap
again, and signs again only the pages of those articles.

Every other change (a title, a date, a new file, a template, the config, the clock passing
a future article's date) assembles the site as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from itertools import compress
from operator import attrgetter
from typing import Any

from .cache import SourceRecord
from .discover import Asset
from .errors import SitegenError
from .layouts import SignMemo, page_signature
from .model import OutputFile, Page
from .search import DocsMemo

_source_path = attrgetter("document.source_path")


@dataclass
class KeptModel:
    """What a build leaves for the next one in the same process (`CacheMemory.model`)."""

    settings: str  # `Inputs.settings`: everything the build read but the Markdown sources
    digest: str  # `Inputs.digest`: everything the build read
    published_since: dt.datetime | None  # see unchanged.published_span
    published_until: dt.datetime | None
    records: dict[str, SourceRecord]  # by source path
    built: Any  # stages.Assembled
    envs: list[Any]  # the Jinja environment of each site of `built.every`
    assets: list[Asset]
    photo_originals: set[str]
    sitemaps: list[OutputFile]
    site_prints: list[str]  # site_fingerprint of each site of `built.sites`
    signatures: dict[str, str]
    warnings: list[SitegenError]  # those of assembling, the templates and the photos
    search: DocsMemo  # each article's search document
    page_owners: dict[str, str]  # what claims each page's output path (stages.claimed_by_pages)
    file_targets: frozenset[str]  # the output files that writers' links name (all were there)
    signing: SignMemo  # what the signatures were made of (layouts.page_signatures)
    article_pages: dict[str, Page] | None = None  # by source path, once a patch needed them


def patched_model(kept: KeptModel | None, settings: str, records: Sequence[SourceRecord],
                  now: dt.datetime,
                  edited: Collection[str] | None = None) -> KeptModel | None:  # fmt: skip
    """`kept` with the new body keys of `records` put in, or None when anything else
    changed. `edited`: the only sources whose records can differ from the kept ones, when
    the build knows (changes.py). The sites of `kept.built` are changed in place: the caller
    drops `kept` if the build fails."""
    if kept is None or kept.settings != settings or not _same_span(kept, now):
        return None
    if len(records) != len(kept.records):
        return None
    changed = records if edited is None else list(
        compress(records, map(edited.__contains__, map(_source_path, records)))
    )  # maps, no loop of ours: 100,000 records
    new_keys = _new_body_keys(kept.records, changed)
    if new_keys is None:
        return None
    signatures = dict(kept.signatures)
    pages = kept.article_pages
    if pages is None:
        pages = {p.key: p for site in kept.built.sites for p in site.pages if p.kind == "article"}
    for site, site_print in zip(kept.built.sites, kept.site_prints, strict=True):
        for path in new_keys.keys() & site.articles.keys():
            site.articles[path] = replace(site.articles[path], content_key=new_keys[path])
            output_path, signature = page_signature(site, pages[path], site_print)
            signatures[output_path] = signature
    if edited is None:
        records_by_path = {record.document.source_path: record for record in records}
    else:
        records_by_path = {**kept.records, **{r.document.source_path: r for r in changed}}
    return replace(kept, records=records_by_path, signatures=signatures, article_pages=pages)


def _same_span(kept: KeptModel, now: dt.datetime) -> bool:
    """`now` publishes the articles that the kept build's time did."""
    since, until = kept.published_since, kept.published_until
    return (since is None or since <= now) and (until is None or now < until)


def _new_body_keys(old: dict[str, SourceRecord],
                   records: Sequence[SourceRecord]) -> dict[str, str] | None:  # fmt: skip
    """{source path: its new body key} of the records that changed their body alone; None
    when a source came or changed anything else."""
    new_keys = {}
    for record in records:
        before = old.get(record.document.source_path)
        if before is None or (record is not before and not _body_only(before, record)):
            return None
        if record is not before:
            new_keys[record.document.source_path] = record.rendered.content_key
    return new_keys


def _body_only(old: SourceRecord, new: SourceRecord) -> bool:
    """The two records differ in the body HTML alone (which listings never show)."""
    same_key = replace(new.rendered, content_key=old.rendered.content_key)
    return (new.document, same_key, new.warnings) == (old.document, old.rendered, old.warnings)
