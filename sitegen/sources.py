"""content/ files -> SourceRecords: read, parse and render what the cache does not have, on
every core. The records of unchanged files come from the cache without reading them."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter

from .cache import BuildCache, SourceRecord, source_key
from .config import SiteConfig
from .discover import SourceRef, read_source, reading_ahead, shown_path
from .errors import ContentError, ErrorLog
from .parallel import MIN_ITEMS_FOR_POOL, batches, forked_workers
from .parse import parse_document
from .portal import split_sources
from .render import RenderSettings, RenderTooSlow, render_within_budget

# Fewer sources than this are read without a thread reading ahead (a rebuild's few edits).
READ_AHEAD_FROM = 256


@dataclass(frozen=True)
class SinceLast:
    """The last build's records (by source path) and the sources that alone can have changed
    since, for a build that knows them (changes.py) and whose cache index is that build's."""

    records: Mapping[str, SourceRecord]
    edited: Collection[str]


def load_all(config: SiteConfig, refs: Sequence[SourceRef], cache: BuildCache, jobs: int,
             log: ErrorLog, only: str | None,
             since: SinceLast | None = None) -> list[SourceRecord]:  # fmt: skip
    """The records of every source; in a portal, each sub-site's with its own settings.
    With `since`, the records of the sources not edited are the last build's, untouched."""
    if since is not None:
        return _load_edited(config, refs, cache, jobs, log, only, since)
    if not config.subsites:
        return load_sources(config, refs, cache, jobs, log)
    # The cache index keeps one settings string: every sub-site's, so that none of them finds
    # its file stamps made with another's settings.
    indexed = " | ".join(source_fingerprint(sub) for sub in config.subsites)
    records: list[SourceRecord] = []
    for key, group in split_sources(config, refs, log).items():
        if only is None or key == only:
            records += load_sources(config.subsite(key), group, cache, jobs, log, indexed)
        else:  # --subsite: the others' entries stay for the next whole build
            cache.carry(indexed, [(ref.source_path, ref.stamp) for ref in group])
    return records


def _load_edited(config: SiteConfig, refs: Sequence[SourceRef], cache: BuildCache, jobs: int,
                 log: ErrorLog, only: str | None,
                 since: SinceLast) -> list[SourceRecord]:  # fmt: skip
    edited, kept = since.edited, since.records
    cache.carry_all_but(edited)
    # Set operations and maps rather than a loop of ours: 100,000 sources at each edit.
    paths = list(map(attrgetter("source_path"), refs))
    places = dict(zip(paths, range(len(paths)), strict=True))
    todo = sorted(places.keys() - (kept.keys() - edited), key=places.__getitem__)
    fresh_log = ErrorLog()  # logged after the kept records' warnings, as load_sources orders them
    loaded = load_all(config, [refs[places[path]] for path in todo], cache, jobs, fresh_log, only)
    fresh = {record.document.source_path: record for record in loaded}
    by_path = dict(kept)
    for path in edited:
        by_path.pop(path, None)
    by_path.update(fresh)
    records = list(filter(None, map(by_path.get, paths)))  # a SourceRecord is never false
    log.warnings.extend(warning for record in records if record.warnings
                        and record.document.source_path not in fresh
                        for warning in record.warnings)  # fmt: skip
    log.extend(fresh_log)
    return records


def load_sources(config: SiteConfig, refs: Sequence[SourceRef], cache: BuildCache, jobs: int,
                 log: ErrorLog,
                 index_settings: str | None = None) -> list[SourceRecord]:  # fmt: skip
    """A record per readable, valid source, in source order; unchanged files come from the cache.

    `index_settings`: what the cache index records as the settings its file stamps were
    made with (default: this config's fingerprint); a portal gives every sub-site's."""
    settings = render_settings(config)
    fingerprint = source_fingerprint(config)
    indexed = index_settings or fingerprint
    found: dict[str, SourceRecord] = {}
    pending: list[SourceRef] = []
    for ref in refs:
        key = cache.known_key(indexed, ref.source_path, ref.stamp)
        record = cache.record(key) if key else None
        if record is not None:
            found[ref.source_path] = record
            log.warnings.extend(record.warnings)
            cache.remember(indexed, ref.source_path, ref.stamp, record)
        else:
            pending.append(ref)
    state = (settings, fingerprint, config, cache)
    # Up to four sources per item (an item is one transaction of the HTML store), but never
    # so many that there are too few items for the pool to start.
    per_item = max(1, min(4, len(pending) // MIN_ITEMS_FOR_POOL))
    items = list(batches(pending, per_item))
    ahead = [ref.path for ref in pending] if len(pending) >= READ_AHEAD_FROM else []
    pool_jobs = jobs if len(items) >= MIN_ITEMS_FOR_POOL else 1  # as ordered_map decides
    with forked_workers(pool_jobs, _init_source_worker, state) as workers, reading_ahead(ahead):
        for outcomes in workers.map(_process_sources, items, smallest_chunk=4):
            for ref, record, source_log in outcomes:
                log.extend(source_log)
                if record is not None:
                    found[ref.source_path] = record
                    cache.remember(indexed, ref.source_path, ref.stamp, record)
                    cache.note_stored(record.key)
    return [found[ref.source_path] for ref in refs if ref.source_path in found]


def render_settings(config: SiteConfig) -> RenderSettings:
    return RenderSettings(config.base_path, config.language, config.html)


def source_fingerprint(config: SiteConfig) -> str:
    """Every setting that changes what a source parses and renders to."""
    return f"{render_settings(config).fingerprint()}; {config.timezone}"


# Worker processes get their settings once, from the initializer, and keep them here.
_source_worker: dict = {}


def _init_source_worker(settings: RenderSettings, fingerprint: str, config: SiteConfig,
                        cache: BuildCache) -> None:  # fmt: skip
    _source_worker.update(settings=settings, fingerprint=fingerprint, tz=config.tz, cache=cache)


SourceOutcome = tuple[SourceRef, SourceRecord | None, ErrorLog]


def _process_sources(refs: list[SourceRef]) -> list[SourceOutcome]:
    """Read, parse and render a few files; their HTML goes to the store from the process
    that rendered it (one transaction for the few), not through the main process."""
    cache: BuildCache = _source_worker["cache"]
    outcomes = [_process_source(ref, cache) for ref in refs]
    cache.flush()
    return outcomes


def _process_source(ref: SourceRef, cache: BuildCache) -> SourceOutcome:
    """Read, parse and render one file: its record; its HTML is queued for the store."""
    log = ErrorLog()
    source = read_source(ref, log)
    if source is None:
        return ref, None, log
    key = source_key(_source_worker["fingerprint"], ref.source_path, source.text)
    record = cache.record(key)  # touched but not changed
    if record is not None:
        log.warnings.extend(record.warnings)
        return ref, record, log
    document = parse_document(source, _source_worker["tz"], log)
    if document is None:
        return ref, None, log
    try:
        rendered = render_within_budget(document, _source_worker["settings"])
    except RenderTooSlow as slow:
        message = (
            f"Markdown took more than {slow.seconds:.0f} s to render and was stopped: look for a "
            "very long run of '[', '*' or '_' and break it up (or escape it with '\\')"
        )
        line = document.body_line + _most_marked_line(document.body)
        log.error(ContentError(shown_path(ref.source_path), message, line))
        return ref, None, log
    except Exception as error:  # noqa: BLE001 - a Markdown crash names its file; the run goes on
        log.error(
            ContentError(
                shown_path(ref.source_path),
                f"Markdown could not be rendered: {type(error).__name__}: {error}",
                document.body_line,
            )
        )
        return ref, None, log
    for line, message in rendered.warnings:
        log.warn(ContentError(shown_path(ref.source_path), message, line))
    bare = replace(document, body="")
    shown_in_listings = (replace(bare, field_lines={}), rendered.lead_html, rendered.references)
    card_key = hashlib.blake2b(repr(shown_in_listings).encode("utf-8"), digest_size=20).hexdigest()
    light = replace(rendered, content_html="", toc_html="", content_key=key, card_key=card_key)
    record = SourceRecord(key, bare, light, tuple(log.warnings))
    cache.store_html(key, rendered.content_html, rendered.toc_html)
    return ref, record, log


def _most_marked_line(body: str) -> int:
    """Index of the body line with the most of the marks that make Python-Markdown slow."""
    lines = body.split("\n")
    marks = [line.count("[") + line.count("*") + line.count("_") for line in lines]
    return marks.index(max(marks))
