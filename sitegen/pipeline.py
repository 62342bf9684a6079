"""build(): the stages in order. Gather and check everything, then write once.

discover -> (parse + render, cached, on every core) -> assemble -> plan pages by signature
-> render changed pages (on every core) into a staging folder -> swap it with the output
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import urls
from .assemble import assemble_site
from .cache import CACHE_DIR_NAME, BuildCache, CacheMemory, SourceRecord, source_key
from .config import CONFIG_NAME, SiteConfig, load_config
from .discover import Asset, SourceRef, discover_content, read_source, shown_path, walk_files
from .errors import (
    BuildFailed,
    ContentError,
    ErrorLog,
    OutputConflictError,
    OutputFolderError,
    SitegenError,  # fmt: skip
    TemplateError,
)
from .feeds import feed_files
from .layouts import (
    THEME_STATIC,
    PageRenderer,
    check_templates,
    fingerprinted,
    page_origin,
    page_signatures,  # fmt: skip
    site_fingerprint,
)
from .links import LinkChecker, LinkReport, PageScan, check_references, unpublished_reasons
from .model import OutputFile, Site
from .parallel import batches, default_jobs, ordered_map
from .parse import Document, parse_document
from .render import RenderSettings, render_document
from .write import OutputTrees, check_output_folder, place_file


@dataclass(frozen=True)
class BuildOptions:
    config_path: Path = Path(CONFIG_NAME)
    output: Path | None = None  # --output: overrides output_dir and may lie outside the site
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    write: bool = True  # False for `sitegen check`
    strict: bool = False  # --strict: broken links in the output are errors, not warnings
    use_cache: bool = True  # False for --no-cache: neither read nor write .sitegen-cache/
    jobs: int | None = None  # worker processes; default: one per core
    now: dt.datetime | None = (
        None  # what counts as the future; default SOURCE_DATE_EPOCH or the clock
    )


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages: int
    rendered: int  # pages rendered this time (the others were unchanged)
    files_written: int
    files_kept: int
    seconds: float
    warnings: list[SitegenError] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    links: LinkReport | None = None  # the link check of `sitegen check`


class Stopwatch:
    """Seconds spent in each stage, for `--timings` and the benchmark's profile."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = self.laps.get(stage, 0.0) + now - self._last
        self._last = now


def build(options: BuildOptions, memory: CacheMemory | None = None) -> BuildResult:
    """Build the site; raise BuildFailed with every error of the run, leaving the output as it was.

    A process that builds again and again (the dev server) passes the same `memory` each
    time, to keep the cache index in memory between builds."""
    with _collection_paused():
        return _timed_build(options, memory)


@contextmanager
def _collection_paused() -> Iterator[None]:
    """A build makes millions of small objects that live until it ends: cyclic garbage
    collection during it finds nothing and costs a fifth of a no-change rebuild."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _timed_build(options: BuildOptions, memory: CacheMemory | None) -> BuildResult:
    started = time.perf_counter()
    config = load_config(options.config_path, options.base_url)
    target = output_folder(config, options.output)
    cache = BuildCache(config.root / CACHE_DIR_NAME if options.use_cache else None, memory)
    try:
        result = _build(config, target, cache, options)
    finally:
        cache.close()
    return replace(result, seconds=time.perf_counter() - started)


def _build(
    config: SiteConfig, target: Path, cache: BuildCache, options: BuildOptions
) -> BuildResult:
    log = ErrorLog()
    if cache.warning:
        log.warn(SitegenError(cache.warning))
    jobs = options.jobs or default_jobs()
    watch = Stopwatch()
    discovery = discover_content(config.content_dir, config.root, log)
    watch.lap("discover")
    records = load_sources(config, discovery.sources, cache, jobs, log)
    watch.lap("parse and Markdown")
    published = select_published([r.document for r in records], options)
    site = assemble_site(
        config, published, {r.document.source_path: r.rendered for r in records}, log
    )
    watch.lap("site model")
    env = check_templates(site, log, cache.folder / "jinja" if cache.persistent else None)
    assets = static_assets(config, log) + list(discovery.assets)
    feeds = feed_files(site, cache.load_html)
    report_conflicts(site, feeds, assets, log)
    outputs = {*(urls.output_path(p.path) for p in site.pages), *(f.output_path for f in feeds),
               *(a.output_path for a in assets)}  # fmt: skip
    unpublished = unpublished_reasons([r.document for r in records], {d.source_path for d in published},
                                      options.drafts)  # fmt: skip
    rendered_by_source = {r.document.source_path: r.rendered for r in records}
    check_references(site, rendered_by_source, unpublished, outputs, log)
    log.raise_if_any()
    signatures = page_signatures(site, site_fingerprint(site, [a.output_path for a in assets]))
    renderer = PageRenderer(site, cache.load_html, env)
    watch.lap("feeds and signatures")
    if not options.write:
        scans = render_pages(renderer, list(range(len(site.pages))), None, jobs, log,
                             LinkChecker(site.urls, outputs))  # fmt: skip
        report = report_links(site, scans, log, as_errors=True)
        log.raise_if_any()
        watch.lap("templates and links")
        return BuildResult(target, len(site.pages), len(site.pages), 0, 0, 0.0, log.warnings, watch.laps,
                           report)  # fmt: skip
    rendered, written, kept = write_output(target, renderer, signatures, feeds, assets,
                                           cache, jobs, log, options.strict)  # fmt: skip
    watch.lap("templates and writing")
    cache.save()
    watch.lap("cache")
    return BuildResult(
        target, len(site.pages), rendered, written, kept, 0.0, log.warnings, watch.laps
    )


# --- sources: read, parse and render what the cache does not have ---------------------


def load_sources(config: SiteConfig, refs: Sequence[SourceRef], cache: BuildCache, jobs: int,
                 log: ErrorLog) -> list[SourceRecord]:  # fmt: skip
    """A record per readable, valid source, in source order; unchanged files come from the cache."""
    settings = RenderSettings(config.base_path, config.language)
    fingerprint = f"{settings.fingerprint()}; {config.timezone}"
    found: dict[str, SourceRecord] = {}
    pending: list[SourceRef] = []
    for ref in refs:
        key = cache.known_key(fingerprint, ref.source_path, ref.stamp)
        record = cache.record(key) if key else None
        if record is not None:
            found[ref.source_path] = record
            log.warnings.extend(record.warnings)
            cache.remember(fingerprint, ref.source_path, ref.stamp, record)
        else:
            pending.append(ref)
    state = (settings, fingerprint, config, cache)
    for ref, record, html, source_log in ordered_map(
        _process_source, pending, jobs, _init_source_worker, state
    ):
        log.extend(source_log)
        if record is not None:
            found[ref.source_path] = record
            cache.remember(fingerprint, ref.source_path, ref.stamp, record)
        if html is not None:
            cache.store_html(record.key, *html)
    cache.flush()
    return [found[ref.source_path] for ref in refs if ref.source_path in found]


# Worker processes get their settings once, from the initializer, and keep them here.
_source_worker: dict = {}


def _init_source_worker(settings: RenderSettings, fingerprint: str, config: SiteConfig,
                        cache: BuildCache) -> None:  # fmt: skip
    _source_worker.update(settings=settings, fingerprint=fingerprint, tz=config.tz, cache=cache)


SourceOutcome = tuple[SourceRef, SourceRecord | None, tuple[str, str] | None, ErrorLog]


def _process_source(ref: SourceRef) -> SourceOutcome:
    """Read, parse and render one file: its record, and its HTML for the cache to store."""
    log = ErrorLog()
    cache: BuildCache = _source_worker["cache"]
    source = read_source(ref, log)
    if source is None:
        return ref, None, None, log
    key = source_key(_source_worker["fingerprint"], ref.source_path, source.text)
    record = cache.record(key)  # touched but not changed
    if record is not None:
        log.warnings.extend(record.warnings)
        return ref, record, None, log
    document = parse_document(source, _source_worker["tz"], log)
    if document is None:
        return ref, None, None, log
    try:
        rendered = render_document(document, _source_worker["settings"])
    except Exception as error:  # noqa: BLE001 - a Markdown crash names its file; the run goes on
        log.error(
            ContentError(
                shown_path(ref.source_path),
                f"Markdown could not be rendered: {type(error).__name__}: {error}",
                document.body_line,
            )
        )
        return ref, None, None, log
    bare = replace(document, body="")
    card_key = hashlib.blake2b(
        repr((replace(bare, field_lines={}), rendered.lead_html, rendered.references)).encode("utf-8"),
        digest_size=20,
    ).hexdigest()
    light = replace(rendered, content_html="", toc_html="", content_key=key, card_key=card_key)
    record = SourceRecord(key, bare, light, tuple(log.warnings))
    return ref, record, (rendered.content_html, rendered.toc_html), log


def select_published(documents: Sequence[Document], options: BuildOptions) -> list[Document]:
    now = options.now or current_time()
    return [
        d for d in documents
        if (options.drafts or not d.draft) and (options.future or d.date <= now)
    ]  # fmt: skip


def current_time() -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(tz=dt.timezone.utc)


# --- assets and conflicts -------------------------------------------------------------


def static_assets(config: SiteConfig, log: ErrorLog) -> list[Asset]:
    """The theme's assets under /assets/, then the site's static/ (which wins on equal paths)."""
    site_files = [
        Asset(p, rel) for p, rel, _ in walk_files(config.static_dir, config.root, log, "static")
    ]
    taken = {asset.output_path for asset in site_files}
    theme_files = [
        Asset(path, fingerprinted(relative, path))
        for path, relative, _ in walk_files(THEME_STATIC, THEME_STATIC, log, "theme/static")
    ]
    return [a for a in theme_files if a.output_path not in taken] + site_files


def report_conflicts(
    site: Site, feeds: Sequence[OutputFile], assets: Sequence[Asset], log: ErrorLog
) -> None:
    entries = [(urls.output_path(page.path), page_origin(page)) for page in site.pages]
    entries += [(f.output_path, f.origin) for f in feeds]
    entries += [(a.output_path, _asset_origin(a, site.config)) for a in assets]
    for output, first, second in urls.find_conflicts(entries):
        log.error(
            OutputConflictError(
                second, f"would be written to {output}, like {first}: rename one of them"
            )
        )


def _asset_origin(asset: Asset, config: SiteConfig) -> str:
    try:
        return asset.source.relative_to(config.root).as_posix()
    except ValueError:
        return f"theme asset {asset.output_path}"


# --- pages: render what changed, keep the rest, swap the folder in --------------------


def write_output(target: Path, renderer: PageRenderer, signatures: dict[str, str],
                 feeds: Sequence[OutputFile], assets: Sequence[Asset], cache: BuildCache, jobs: int,
                 log: ErrorLog, strict: bool = False) -> tuple[int, int, int]:  # fmt: skip
    """(pages rendered, files written, files kept); raises BuildFailed before the swap on error.

    The links of every page are checked, of unchanged pages as the tree has them: a broken
    link is a warning, or an error with `strict`."""
    digests = dict(signatures)
    digests.update((f.output_path, _digest(f.data)) for f in feeds)
    digests.update((a.output_path, _asset_digest(a)) for a in assets)
    links = LinkChecker(renderer.site.urls, digests.keys())
    outputs_key = _digest("\n".join(sorted(digests)).encode("utf-8"))
    known = cache.known_scans(outputs_key, signatures)
    with OutputTrees(target, trust_manifests=cache.persistent) as trees:
        if trees.is_current(digests):
            scans = render_pages(renderer, [], None, jobs, log, links, trees.target, known)
            report_links(renderer.site, scans, log, as_errors=strict)
            log.raise_if_any()
            cache.remember_scans(
                outputs_key, {p: (signatures[p], scan) for p, scan in scans.items()}
            )
            return 0, 0, len(digests)
        trees.begin()
        todo = [
            index
            for index, (path, sig) in enumerate(signatures.items())
            if not trees.keep(path, sig)
        ]
        scans = render_pages(renderer, todo, trees, jobs, log, links, trees.spare, known)
        report_links(renderer.site, scans, log, as_errors=strict)
        cache.remember_scans(outputs_key, {p: (signatures[p], scan) for p, scan in scans.items()})
        for file in feeds:
            if not trees.keep(file.output_path, digests[file.output_path]):
                trees.put(file.output_path, file.data)
        for asset in assets:
            if not trees.keep(asset.output_path, digests[asset.output_path]):
                trees.copy(asset)
        log.raise_if_any()
        trees.commit(digests)
    return len(todo), trees.written, trees.kept


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def _asset_digest(asset: Asset) -> str:
    stat = asset.source.stat()
    return f"{stat.st_size}-{stat.st_mtime_ns}"


def render_pages(renderer: PageRenderer, indices: list[int], trees: OutputTrees | None, jobs: int,
                 log: ErrorLog, links: LinkChecker | None = None, unchanged_in: Path | None = None,
                 known: dict[str, PageScan] | None = None) -> dict[str, PageScan]:  # fmt: skip
    """Render the pages at `indices` on every core, into the spare tree when there is one.

    With `links`, scan the rendered pages for the link check, and with `unchanged_in` every
    other page too, as that folder has it, unless `known` has its scan: {output path: scan}."""
    folders = (trees.spare, trees.target) if trees else None
    seen: set[str] = set()
    todo = set(indices)
    scans: dict[str, PageScan] = {}
    every: Iterable[int] = indices
    if links and unchanged_in:
        known = known or {}
        paths = [urls.output_path(page.path) for page in renderer.site.pages]
        every = [i for i, path in enumerate(paths) if i in todo or path not in known]
        scans.update(
            (path, known[path]) for i, path in enumerate(paths) if i not in todo and path in known
        )
    work = list(batches([(index, index in todo) for index in every], 8))
    state = (renderer, folders, links, unchanged_in)
    for written, kept, errors, found in ordered_map(_render_batch, work, jobs, _init_page_worker, state,
                                                    chunksize=1):  # fmt: skip
        if trees:
            trees.add_counts(written, kept)
        for error in errors:
            if str(error) not in seen:  # a broken template fails every page that uses it
                seen.add(str(error))
                log.error(error)
        scans.update((scan.output_path, scan) for scan in found)
    return scans


def report_links(
    site: Site, scans: dict[str, PageScan], log: ErrorLog, as_errors: bool
) -> LinkReport:
    origins = {urls.output_path(p.path): page_origin(p) for p in site.pages if p.kind == "article"}
    report = LinkReport.collect(scans, origins)
    report.log_broken(log, as_errors)
    return report


_page_worker: dict = {}


def _init_page_worker(renderer: PageRenderer, folders: tuple[Path, Path] | None,
                      links: LinkChecker | None, unchanged_in: Path | None) -> None:  # fmt: skip
    _page_worker.update(renderer=renderer, folders=folders, links=links, unchanged_in=unchanged_in)


def _render_batch(
    items: list[tuple[int, bool]],
) -> tuple[int, int, list[TemplateError], list[PageScan]]:
    """Render the pages of (page index, render?) items; scan them for the link check if asked."""
    renderer: PageRenderer = _page_worker["renderer"]
    folders: tuple[Path, Path] | None = _page_worker["folders"]
    links: LinkChecker | None = _page_worker["links"]
    written = kept = 0
    errors, scans = [], []
    for index, render in items:
        page = renderer.site.pages[index]
        output = urls.output_path(page.path)
        if not render:  # unchanged: only scanned
            scans.append(
                links.scan_page(
                    output, page.path, (_page_worker["unchanged_in"] / output).read_bytes()
                )
            )
            continue
        try:
            data = renderer.render(page)
        except TemplateError as error:
            errors.append(error)
            continue
        if folders is not None:
            if place_file(*folders, output, data):
                written += 1
            else:
                kept += 1
        if links is not None:
            scans.append(links.scan_page(output, page.path, data))
    return written, kept, errors, scans


def output_folder(config: SiteConfig, output: Path | None) -> Path:
    """The checked output folder: --output may point anywhere safe, output_dir stays in the site."""
    target = (output if output is not None else config.root / config.output_dir).resolve()
    if output is None and config.root not in target.parents:
        raise BuildFailed(
            [
                OutputFolderError(
                    f"{CONFIG_NAME}: output_dir '{config.output_dir}' lies outside the site folder: "
                    "use a folder inside it, or pass --output to name an outside folder"
                )
            ]
        )
    try:
        check_output_folder(
            target, config.root, [config.content_dir, config.layouts_dir, config.static_dir]
        )
    except OutputFolderError as error:
        raise BuildFailed([error]) from None
    return target
