"""build(): the stages in order. Gather and check everything, then write once.

discover (nothing changed since the last build? its result: unchanged.py) -> (parse +
render, cached, on every core: sources.py) -> assemble (or, in the dev server after a body
edit, patch the kept model: reuse.py) -> plan pages by signature -> render changed pages (on
every core) into a staging folder -> swap it with the output (pages.py, write.py)
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from . import urls
from .assemble import assemble_site
from .cache import CACHE_DIR_NAME, BuildCache, CacheMemory, SourceRecord
from .config import (
    CONFIG_NAME,
    SiteConfig,
    load_config,
    output_folder_problem,
    shown_folder,
)
from .discover import (
    Asset,
    Discovery,
    discover_content,
    walk_files,
)
from .errors import (
    BuildFailed,
    ConfigError,
    ErrorLog,
    OutputConflictError,
    OutputFolderError,
    SitegenError,
)
from .feeds import feed_files, portal_files, sitemap_files
from .layouts import (
    THEME_STATIC,
    PageRenderer,
    check_templates,
    fingerprinted,
    page_origin,
    page_signatures,
    site_fingerprint,
)
from .links import LinkChecker, LinkReport, check_references, unpublished_reasons
from .model import OutputFile, Page, PendingFile, Site
from .pages import PageWork, render_pages, report_links, write_output
from .parallel import default_jobs
from .parse import Document
from .photos import banner_images, photo_uses, publish_photos
from .portal import (
    assemble_portal,
    portal_renderer,
    portal_signatures,
    subsite_of,
)
from .render import Rendered
from .reuse import KeptModel, patched_model
from .search import DocsMemo, search_files, search_pages
from .sources import load_all
from .unchanged import (
    Inputs,
    LastBuild,
    build_inputs,
    published_span,
    remember_build,
    unchanged_build,
)
from .write import check_output_folder, served_tree_stamp


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
    # A build into a missing output folder, with the cache on, also readies the second tree
    # for the next rebuild (write.py); a CI build, which no rebuild follows, need not.
    prepare_spare: bool = True
    now: dt.datetime | None = (
        None  # what counts as the future; default SOURCE_DATE_EPOCH or the clock
    )
    subsite: str | None = None  # --subsite KEY: build that sub-site of a portal only


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
    if options.subsite is not None:
        check_subsite(config, options.subsite)
    target = output_folder(config, options.output)
    options = replace(options, now=options.now or current_time())  # one "now" for the build
    watch, log, looked_ns = Stopwatch(), ErrorLog(), time.time_ns()
    discovery = discover_content(config.content_dir, config.root, log)
    inputs = None
    if options.use_cache and options.write and not log.errors:
        inputs = build_inputs(config, replace(options, now=None), discovery, looked_ns)
        last = unchanged_build(config.root / CACHE_DIR_NAME, inputs, target, options.now)
        if last is not None:
            watch.lap("discover and nothing changed")
            seconds = time.perf_counter() - started
            warnings = list(last.warnings)
            return BuildResult(target, last.pages, 0, 0, last.files, seconds, warnings, watch.laps)
    watch.lap("discover")
    cache = BuildCache(config.root / CACHE_DIR_NAME if options.use_cache else None, memory)
    try:
        scan = Scan(log, discovery, watch, inputs)
        result = _build(config, target, cache, options, scan, memory)
    finally:
        cache.close()
    return replace(result, seconds=time.perf_counter() - started)


@dataclass(frozen=True)
class Scan:
    """What a build found before it opened the cache."""

    log: ErrorLog
    discovery: Discovery
    watch: Stopwatch
    inputs: Inputs | None  # the digest of its inputs, when it may answer the next build


def _build(config: SiteConfig, target: Path, cache: BuildCache, options: BuildOptions,
           scan: Scan, memory: CacheMemory | None) -> BuildResult:  # fmt: skip
    log, discovery, watch = scan.log, scan.discovery, scan.watch
    if cache.warning:
        log.warn(SitegenError(cache.warning))
    jobs = options.jobs or default_jobs()
    records = load_all(config, discovery.sources, cache, jobs, log, options.subsite)
    watch.lap("parse and Markdown")
    published = select_published([r.document for r in records], options)
    rendered_by_source = {r.document.source_path: r.rendered for r in records}
    kept = memory.take_model() if memory is not None else None  # a failed build drops it
    inputs = scan.inputs
    reused = patched_model(kept, inputs.settings, records, options.now) if inputs else None
    if reused is not None:
        model = Model(reused.built, reused.envs, reused.assets, reused.photo_originals,
                      reused.sitemaps, reused.warnings)  # fmt: skip
        log.warnings.extend(model.warnings)
    else:
        model = _new_model(config, published, records, cache, options, scan)
    built, envs, assets = model.built, model.envs, model.assets
    watch.lap("site model")
    feeds = [f for site, env in zip(built.sites, envs, strict=False)
             for f in feed_files(site, cache.load_html, env, log)]  # fmt: skip
    if built.portal:
        feeds += portal_files(built.portal, built.sites, cache.load_html, envs[-1], log)
    feeds += model.sitemaps
    watch.lap("feeds and signatures")  # the same stage, continued after the search index
    search_memo = reused.search if reused is not None else DocsMemo()
    feeds += search_files(built.sites, cache, jobs, search_memo)
    watch.lap("search index")
    feeds = without_overridden(feeds, assets)
    pages = [page for site in built.every for page in site.pages]
    report_conflicts(pages, feeds, assets, config, log)
    outputs = {*(urls.output_path(p.path) for p in pages), *(f.output_path for f in feeds),
               *(a.output_path for a in assets)}  # fmt: skip
    unpublished = unpublished_reasons(
        [r.document for r in records], {d.source_path for d in published}, options.drafts
    )
    outside = tuple(f"{s.key}/" for s in config.subsites if s.key != (options.subsite or s.key))
    for site in built.sites:
        check_references(site, rendered_by_source, unpublished,
                         outputs | model.photo_originals, log, outside)  # fmt: skip
    log.raise_if_any()
    site_prints, signatures = (reused.site_prints, reused.signatures) if reused else _signed(model)
    if built.portal:
        renderer = portal_renderer(built.portal, built.sites, envs, cache.load_html)
    else:
        renderer = PageRenderer(built.sites[0], cache.load_html, envs[0])
    work = PageWork(renderer, signatures, jobs, log)
    watch.lap("feeds and signatures")
    if not options.write:
        every_page = list(range(len(pages)))
        scans = render_pages(work, every_page, None, LinkChecker(renderer.urls, outputs))
        report = report_links(pages, scans, log, as_errors=True)
        log.raise_if_any()
        watch.lap("templates and links")
        return BuildResult(
            target, len(pages), len(pages), 0, 0, 0.0, log.warnings, watch.laps, report
        )
    rendered, written, kept_files = write_output(
        target, work, feeds, assets, cache, options.strict, options.prepare_spare
    )
    watch.lap("templates and writing")
    cache.save()
    if scan.inputs is not None:
        if reused is not None:  # the same articles, the same dates
            since, until = reused.published_since, reused.published_until
        else:
            since, until = published_span([r.document for r in records], options.now,
                                          options.drafts, options.future)  # fmt: skip
        output = served_tree_stamp(target)
        last = LastBuild(scan.inputs.digest, scan.inputs.looked_ns, since, until, output,
                         len(pages), written + kept_files, tuple(log.warnings))  # fmt: skip
        remember_build(cache.folder, last)
        if memory is not None:
            by_path = {r.document.source_path: r for r in records}
            memory.model = KeptModel(scan.inputs.settings, since, until, by_path, built, envs,
                                     assets, model.photo_originals, model.sitemaps, site_prints,
                                     signatures, model.warnings, search_memo)  # fmt: skip
    watch.lap("cache")
    return BuildResult(target, len(pages), rendered, written, kept_files, 0.0, log.warnings,
                       watch.laps)  # fmt: skip


@dataclass(frozen=True)
class Model:
    """The site model and what comes with it: what a body edit leaves as it was (reuse.py)."""

    built: Assembled
    envs: list[jinja2.Environment]  # of each site of `built.every`
    assets: list[Asset]
    photo_originals: set[str]  # output paths of the photos published as variants only
    sitemaps: list[OutputFile]
    warnings: list[SitegenError]  # of assembling the site, its templates and photos


def _new_model(config: SiteConfig, published: Sequence[Document], records: list[SourceRecord],
               cache: BuildCache, options: BuildOptions, scan: Scan) -> Model:  # fmt: skip
    log, jobs = scan.log, options.jobs or default_jobs()
    warned = len(log.warnings)
    rendered_by_source = {r.document.source_path: r.rendered for r in records}
    built = assemble(config, published, rendered_by_source, log, options.subsite)
    for site in built.every:
        site.pages += search_pages(site, built.sites if site is built.portal else [site])
    # Compiled templates; the folder's name changes with how they compile (".txt" templates
    # stopped being HTML-escaped in jinja-2), since Jinja checks only the source.
    bytecode_dir = cache.folder / "jinja-2" if cache.persistent else None
    envs = [check_templates(site, log, bytecode_dir) for site in built.every]
    assets, photo_originals = _with_photos(config, built, records, scan.discovery, cache, jobs,
                                           log)  # fmt: skip
    sitemaps = sitemap_files(built.every)
    return Model(built, envs, assets, photo_originals, sitemaps, log.warnings[warned:])


def _signed(model: Model) -> tuple[list[str], dict[str, str]]:
    """The fingerprint of each site and the signature of every page."""
    built = model.built
    # What asset() can name: a photo's variants are not (pages showing them sign their keys).
    variants = built.sites[0].photos.variant_paths()
    names = [a.output_path for a in model.assets if a.output_path not in variants]
    site_prints = [site_fingerprint(site, names) for site in built.sites]
    signatures = {}
    for site, site_print in zip(built.sites, site_prints, strict=True):
        signatures.update(page_signatures(site, site_print))
    if built.portal:
        portal_print = site_fingerprint(built.portal, names)
        signatures.update(portal_signatures(built.portal, built.sites, portal_print))
    return site_prints, signatures


@dataclass
class Assembled:
    """The site model of a build: one site, or each sub-site and the portal's own pages."""

    sites: list[Site]
    portal: Site | None = None

    @property
    def every(self) -> list[Site]:
        return [*self.sites, self.portal] if self.portal else self.sites


def assemble(config: SiteConfig, published: Sequence[Document], rendered: dict[str, Rendered],
             log: ErrorLog, only: str | None = None) -> Assembled:  # fmt: skip
    """The site, or with `subsites:` each sub-site (or only the one `only` names) from the
    documents in its folder, and the portal."""
    if not config.subsites:
        return Assembled([assemble_site(config, published, rendered, log)])
    if only is not None:  # the portal as if it had that sub-site alone
        config = replace(config, subsites=(config.subsite(only),))
    by_subsite: dict[str, list[Document]] = {sub.key: [] for sub in config.subsites}
    for document in published:
        by_subsite[subsite_of(document.source_path)].append(document)
    sites = [assemble_site(sub, by_subsite[sub.key], rendered, log) for sub in config.subsites]
    return Assembled(sites, assemble_portal(config, sites))


def _with_photos(config: SiteConfig, built: Assembled, records: Sequence[SourceRecord],
                 discovery: Discovery, cache: BuildCache, jobs: int,
                 log: ErrorLog) -> tuple[list[Asset], set[str]]:  # fmt: skip
    """The assets to publish (static/, then content/), photos replaced by their variants, and
    the output paths of the photos not published themselves (links to them are checked)."""
    published = {p for site in built.sites for p in site.articles}
    shown = [(r.document, r.rendered) for r in records if r.document.source_path in published]
    banners = banner_images(config)
    content_outputs = frozenset(a.output_path for a in discovery.assets)
    wanted = photo_uses(shown, banners, content_outputs, log)
    every = [*static_assets(config, log), *discovery.assets]
    photos, assets = publish_photos(every, wanted, config.images, cache.folder, jobs, log)
    for site in built.every:
        site.photos = photos
    kept = {a.output_path for a in assets}
    return assets, {p.lstrip("/") for p in photos.by_path} - kept


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
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC)


# --- assets and conflicts -------------------------------------------------------------


def static_assets(config: SiteConfig, log: ErrorLog) -> list[Asset]:
    """The theme's assets under /assets/, then the site's static/ (which wins on equal paths)."""
    site_files = [
        Asset(Path(p), rel)
        for p, rel, _ in walk_files(config.static_dir, config.root, log, "static")
    ]
    taken = {asset.output_path for asset in site_files}
    theme_files = [
        Asset(Path(path), fingerprinted(relative, Path(path)))
        for path, relative, _ in walk_files(THEME_STATIC, THEME_STATIC, log, "theme/static")
    ]
    return [a for a in theme_files if a.output_path not in taken] + site_files


def without_overridden(
    files: Sequence[OutputFile | PendingFile], assets: Sequence[Asset]
) -> list[OutputFile | PendingFile]:
    """A site's own file (static/robots.txt) wins over a default of sitegen's at its path."""
    own = {asset.output_path for asset in assets}
    return [f for f in files if not (f.overridable and f.output_path in own)]


def report_conflicts(pages: Sequence[Page], feeds: Sequence[OutputFile | PendingFile],
                     assets: Sequence[Asset], config: SiteConfig,
                     log: ErrorLog) -> None:  # fmt: skip
    """Two things at one output path, across the whole build (every sub-site of a portal)."""
    entries = [(urls.output_path(page.path), page_origin(page)) for page in pages]
    entries += [(f.output_path, f.origin) for f in feeds]
    entries += [(a.output_path, _asset_origin(a, config)) for a in assets]
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


def check_subsite(config: SiteConfig, key: str) -> None:
    """`--subsite KEY` names a sub-site of config.yaml."""
    keys = [s.key for s in config.subsites]
    if key not in keys:
        why = f"use one of {', '.join(keys)}" if keys else "config.yaml lists no 'subsites:'"
        raise BuildFailed([ConfigError(CONFIG_NAME, f"--subsite '{key}' is no sub-site: {why}")])


def output_folder(config: SiteConfig, output: Path | None) -> Path:
    """The checked output folder: --output may point anywhere safe, output_dir stays in the
    site (config.yaml's loader checked where it lies)."""
    if output is None:
        target = config.output_path
        shown = f"{CONFIG_NAME}: output_dir: '{config.output_dir}'"
    else:
        target = output.resolve()
        relative = shown_folder(target, config.root)
        problem = output_folder_problem(target, config.root, relative, outside_allowed=True)
        if problem:
            raise BuildFailed([OutputFolderError(f"--output: {problem}")])
        shown = f"--output: '{relative}'"
    try:
        check_output_folder(target, shown)
    except OutputFolderError as error:
        raise BuildFailed([error]) from None
    return target
