"""build(): the stages in order. Gather and check everything, then write once.

    discover -> (parse + render, cached, on every core) -> assemble -> plan pages by signature
    -> render changed pages (on every core) into a staging folder -> swap it with the output
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import urls
from .assemble import assemble_site
from .cache import CACHE_DIR_NAME, BuildCache, SourceRecord, source_key, store_html
from .config import CONFIG_NAME, SiteConfig, load_config
from .discover import Asset, SourceRef, discover_content, read_source, shown_path, walk_files
from .errors import (BuildFailed, ContentError, ErrorLog, OutputConflictError, OutputFolderError,
                     SitegenError, TemplateError)  # fmt: skip
from .feeds import feed_files
from .layouts import THEME_STATIC, PageRenderer, page_origin, page_signatures, site_fingerprint
from .model import OutputFile, Site
from .parallel import batches, default_jobs, ordered_map
from .parse import Document, parse_document
from .render import RenderSettings, render_document
from .write import Staging, check_output_folder, output_unchanged, put_file


@dataclass(frozen=True)
class BuildOptions:
    config_path: Path = Path(CONFIG_NAME)
    output: Path | None = None  # --output: overrides output_dir and may lie outside the site
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    write: bool = True  # False for `sitegen check`
    use_cache: bool = True  # False for --no-cache: neither read nor write .sitegen-cache/
    jobs: int | None = None  # worker processes; default: one per core
    now: dt.datetime | None = None  # what counts as the future; default SOURCE_DATE_EPOCH or the clock


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages: int
    rendered: int  # pages rendered this time (the others were unchanged)
    files_written: int
    files_kept: int
    seconds: float
    warnings: list[SitegenError] = field(default_factory=list)


def build(options: BuildOptions) -> BuildResult:
    """Build the site; raise BuildFailed with every error of the run, leaving the output as it was."""
    started = time.perf_counter()
    config = load_config(options.config_path, options.base_url)
    target = output_folder(config, options.output)
    cache = BuildCache(config.root / CACHE_DIR_NAME if options.use_cache else None)
    try:
        result = _build(config, target, cache, options)
    finally:
        cache.close()
    return replace(result, seconds=time.perf_counter() - started)


def _build(config: SiteConfig, target: Path, cache: BuildCache, options: BuildOptions) -> BuildResult:
    log = ErrorLog()
    if cache.warning:
        log.warn(SitegenError(cache.warning))
    jobs = options.jobs or default_jobs()
    discovery = discover_content(config.content_dir, config.root, log)
    records = load_sources(config, discovery.sources, cache, jobs, log)
    published = select_published([r.document for r in records], options)
    site = assemble_site(config, published, {r.document.source_path: r.rendered for r in records}, log)
    assets = static_assets(config, log) + list(discovery.assets)
    feeds = feed_files(site, cache.load_html)
    report_conflicts(site, feeds, assets, log)
    log.raise_if_any()
    signatures = page_signatures(site, site_fingerprint(site, [a.output_path for a in assets]))
    if not options.write:
        rendered = render_changed(site, list(range(len(site.pages))), None, target, cache, jobs, log)
        log.raise_if_any()
        return BuildResult(target, len(site.pages), rendered, 0, 0, 0.0, log.warnings)
    rendered, written, kept = write_output(target, site, signatures, feeds, assets, cache, jobs, log)
    files = frozenset(signatures) | {f.output_path for f in feeds} | {a.output_path for a in assets}
    cache.set_output(target, signatures, files)
    cache.save()
    return BuildResult(target, len(site.pages), rendered, written, kept, 0.0, log.warnings)


# --- sources: read, parse and render what the cache does not have ---------------------


def load_sources(config: SiteConfig, refs: Sequence[SourceRef], cache: BuildCache, jobs: int,
                 log: ErrorLog) -> list[SourceRecord]:  # fmt: skip
    """A record per readable, valid source, in source order; unchanged files come from the cache."""
    settings = RenderSettings(config.base_path, config.language)
    fingerprint = f"{settings.fingerprint()}; {config.timezone}"
    found: dict[str, SourceRecord] = {}
    pending: list[SourceRef] = []
    for ref in refs:
        key = cache.known_key(fingerprint, ref.source_path, ref.mtime_ns, ref.size)
        record = cache.record(key) if key else None
        if record is not None and cache.has_html(record.key):
            found[ref.source_path] = record
            log.warnings.extend(record.warnings)
            cache.remember(fingerprint, ref.source_path, ref.mtime_ns, ref.size, record)
        else:
            pending.append(ref)
    state = (settings, fingerprint, config, cache)
    for ref, record, source_log in ordered_map(_process_source, pending, jobs, _init_source_worker, state):
        log.extend(source_log)
        if record is not None:
            found[ref.source_path] = record
            cache.remember(fingerprint, ref.source_path, ref.mtime_ns, ref.size, record)
    return [found[ref.source_path] for ref in refs if ref.source_path in found]


# Worker processes get their settings once, from the initializer, and keep them here.
_source_worker: dict = {}


def _init_source_worker(settings: RenderSettings, fingerprint: str, config: SiteConfig,
                        cache: BuildCache) -> None:  # fmt: skip
    _source_worker.update(settings=settings, fingerprint=fingerprint, tz=config.tz, cache=cache)


def _process_source(ref: SourceRef) -> tuple[SourceRef, SourceRecord | None, ErrorLog]:
    """Read, parse and render one file, storing its HTML in the cache folder."""
    log = ErrorLog()
    cache: BuildCache = _source_worker["cache"]
    source = read_source(ref, log)
    if source is None:
        return ref, None, log
    key = source_key(_source_worker["fingerprint"], ref.source_path, source.text)
    record = cache.record(key)  # touched but not changed
    if record is not None and cache.has_html(key):
        log.warnings.extend(record.warnings)
        return ref, record, log
    document = parse_document(source, _source_worker["tz"], log)
    if document is None:
        return ref, None, log
    try:
        rendered = render_document(document, _source_worker["settings"])
    except Exception as error:  # noqa: BLE001 - a Markdown crash names its file; the run goes on
        log.error(ContentError(shown_path(ref.source_path), f"Markdown could not be rendered: "
                               f"{type(error).__name__}: {error}", document.body_line))
        return ref, None, log
    store_html(cache.folder, key, rendered.content_html, rendered.toc_html)
    light = replace(rendered, content_html="", toc_html="", content_key=key)
    return ref, SourceRecord(key, replace(document, body=""), light, tuple(log.warnings)), log


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
    site_files = [Asset(p, rel) for p, rel in walk_files(config.static_dir, config.root, log, "static")]
    taken = {asset.output_path for asset in site_files}
    theme_files = [
        Asset(path, urls.output_path(urls.asset_path(relative)))
        for path, relative in walk_files(THEME_STATIC, THEME_STATIC, log, "theme/static")
    ]
    return [a for a in theme_files if a.output_path not in taken] + site_files


def report_conflicts(site: Site, feeds: Sequence[OutputFile], assets: Sequence[Asset], log: ErrorLog) -> None:
    entries = [(urls.output_path(page.path), page_origin(page)) for page in site.pages]
    entries += [(f.output_path, f.origin) for f in feeds]
    entries += [(a.output_path, _asset_origin(a, site.config)) for a in assets]
    for output, first, second in urls.find_conflicts(entries):
        log.error(OutputConflictError(second, f"would be written to {output}, like {first}: "
                                      "rename one of them"))


def _asset_origin(asset: Asset, config: SiteConfig) -> str:
    try:
        return asset.source.relative_to(config.root).as_posix()
    except ValueError:
        return f"theme asset {asset.output_path}"


# --- pages: render what changed, keep the rest, swap the folder in --------------------


def write_output(target: Path, site: Site, signatures: dict[str, str], feeds: Sequence[OutputFile],
                 assets: Sequence[Asset], cache: BuildCache, jobs: int,
                 log: ErrorLog) -> tuple[int, int, int]:  # fmt: skip
    """(pages rendered, files written, files kept); raises BuildFailed before swapping on error."""
    unchanged = [cache.page_signature(target, path) == sig for path, sig in signatures.items()]
    if _nothing_changed(target, unchanged, signatures, feeds, assets, cache):
        return 0, 0, len(signatures) + len(feeds) + len(assets)
    with Staging(target) as staging:
        todo = [
            index for index, (path, same) in enumerate(zip(signatures, unchanged))
            if not (same and staging.keep(path))
        ]  # fmt: skip
        render_changed(site, todo, staging, target, cache, jobs, log)
        for file in feeds:
            staging.put(file.output_path, file.data)
        for asset in assets:
            staging.copy(asset)
        log.raise_if_any()
        staging.commit()
    return len(todo), staging.written, staging.kept


def _nothing_changed(target: Path, unchanged: list[bool], signatures: dict[str, str],
                     feeds: Sequence[OutputFile], assets: Sequence[Asset], cache: BuildCache) -> bool:  # fmt: skip
    """True when the output already holds exactly this build: then nothing is touched."""
    expected = set(signatures) | {f.output_path for f in feeds} | {a.output_path for a in assets}
    return (
        all(unchanged)
        and cache.previous_files(target) == expected
        and all((target / path).is_file() for path in signatures)
        and all(output_unchanged(target, f.output_path, f.data) for f in feeds)
        and all(output_unchanged(target, a.output_path, a.source.read_bytes()) for a in assets)
    )


def render_changed(site: Site, indices: list[int], staging: Staging | None, target: Path,
                   cache: BuildCache, jobs: int, log: ErrorLog) -> int:  # fmt: skip
    """Render the pages at `indices` on every core, into the staging folder when there is one."""
    folder = staging.folder if staging else None
    state = (site, cache, folder, target)
    seen: set[str] = set()
    work = list(batches(indices, 8))
    for written, kept, errors in ordered_map(_render_batch, work, jobs, _init_page_worker, state, chunksize=1):
        if staging:
            staging.add_counts(written, kept)
        for error in errors:
            if str(error) not in seen:  # a broken template fails every page that uses it
                seen.add(str(error))
                log.error(error)
    return len(indices)


_page_worker: dict = {}


def _init_page_worker(site: Site, cache: BuildCache, staging: Path | None, target: Path) -> None:
    _page_worker.update(site=site, renderer=PageRenderer(site, cache.load_html), staging=staging, target=target)


def _render_batch(indices: list[int]) -> tuple[int, int, list[TemplateError]]:
    site: Site = _page_worker["site"]
    renderer: PageRenderer = _page_worker["renderer"]
    staging: Path | None = _page_worker["staging"]
    written = kept = 0
    errors = []
    for index in indices:
        page = site.pages[index]
        try:
            data = renderer.render(page)
        except TemplateError as error:
            errors.append(error)
            continue
        if staging is not None:
            if put_file(staging, _page_worker["target"], urls.output_path(page.path), data=data):
                written += 1
            else:
                kept += 1
    return written, kept, errors


def output_folder(config: SiteConfig, output: Path | None) -> Path:
    """The checked output folder: --output may point anywhere safe, output_dir stays in the site."""
    target = (output if output is not None else config.root / config.output_dir).resolve()
    if output is None and config.root not in target.parents:
        raise BuildFailed([OutputFolderError(
            f"{CONFIG_NAME}: output_dir '{config.output_dir}' lies outside the site folder: "
            "use a folder inside it, or pass --output to name an outside folder")])
    try:
        check_output_folder(target, config.root, [config.content_dir, config.layouts_dir, config.static_dir])
    except OutputFolderError as error:
        raise BuildFailed([error]) from None
    return target
