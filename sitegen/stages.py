"""The stages of a build that has something to do, in order (pipeline.py runs them when the
last build's output does not answer): (parse + render, cached, on every core: sources.py) ->
assemble (or, in the dev server after a body edit, patch the kept model: reuse.py) -> plan
pages by signature -> render changed pages (on every core) into a staging folder -> swap it
with the output (pages.py, write.py).

Apart from pipeline.py because of what it imports (Jinja, Markdown, Pygments, Pillow): a build
with nothing to do answers without them, a third of a second sooner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from . import urls
from .assemble import LastArticles, assemble_site
from .cache import BuildCache, CacheMemory, SourceRecord
from .changes import Look
from .config import THEME_STATIC, SiteConfig
from .discover import Asset, Discovery, walk_files
from .errors import ErrorLog, OutputConflictError, SitegenError
from .feeds import feed_files, portal_files, sitemap_files
from .layouts import (
    PageRenderer,
    SignMemo,
    check_templates,
    fingerprinted,
    page_origin,
    page_signatures,
    site_fingerprint,
)
from .links import LinkChecker, check_references, unpublished_reasons
from .model import OutputFile, Page, PendingFile, Site
from .pages import PageWork, render_pages, report_links, write_output
from .parallel import default_jobs
from .parse import Document
from .photos import banner_images, photo_uses, publish_photos
from .pipeline import BuildOptions, BuildResult, Scan, Stopwatch, current_time
from .portal import (
    assemble_portal,
    portal_renderer,
    portal_signatures,
    subsite_of,
)
from .render import Rendered
from .reuse import KeptModel, patched_model
from .search import DocsMemo, search_files, search_pages
from .sources import SinceLast, load_all
from .store import CACHE_DIR_NAME
from .unchanged import LastBuild, published_span, remember_build
from .write import served_tree_stamp


def run(config: SiteConfig, target: Path, options: BuildOptions, scan: Scan,
        memory: CacheMemory | None) -> BuildResult:  # fmt: skip
    """The build after discovery, with the cache open."""
    cache = BuildCache(config.root / CACHE_DIR_NAME if options.use_cache else None, memory)
    try:
        return _build(config, target, cache, options, scan, memory)
    finally:
        cache.close()


def _build(config: SiteConfig, target: Path, cache: BuildCache, options: BuildOptions,
           scan: Scan, memory: CacheMemory | None) -> BuildResult:  # fmt: skip
    log, discovery, watch = scan.log, scan.discovery, scan.watch
    if cache.warning:
        log.warn(SitegenError(cache.warning))
    jobs = options.jobs or default_jobs()
    kept = memory.take_model() if memory is not None else None  # a failed build drops it
    since = _since_kept(kept, scan.look, cache)
    records = load_all(config, discovery.sources, cache, jobs, log, options.subsite, since)
    watch.lap("parse and Markdown")
    inputs = scan.inputs
    reused, published = None, None
    if inputs is not None:
        edited = since.edited if since is not None else None
        reused = patched_model(kept, inputs.settings, records, options.now, edited)
    if reused is not None:
        model = Model(reused.built, reused.envs, reused.assets, reused.photo_originals,
                      reused.sitemaps, reused.warnings)  # fmt: skip
        log.warnings.extend(model.warnings)
    else:
        published = select_published([r.document for r in records], options)
        model = _new_model(config, published, records, cache, options, scan, kept)
    built, envs, assets = model.built, model.envs, model.assets
    watch.lap("site model")
    feeds = [f for site, env in zip(built.sites, envs, strict=False)
             for f in feed_files(site, cache.load_html, env, log)]  # fmt: skip
    if built.portal:
        feeds += portal_files(built.portal, built.sites, cache.load_html, envs[-1], log)
    feeds += model.sitemaps
    watch.lap("feeds and signatures")  # the same stage, continued after the search index
    # The last build's search documents: a patched model keeps its articles; a site
    # assembled again makes new ones, most of them equal to the last. A one-shot build
    # keeps none (some 60 MB at 100,000 articles, which every page worker would inherit).
    search_memo = kept.search if kept is not None else (DocsMemo() if memory is not None else None)
    feeds += search_files(built.sites, cache, jobs, search_memo)
    watch.lap("search index")
    feeds = without_overridden(feeds, assets)
    pages = [page for site in built.every for page in site.pages]
    page_owners = reused.page_owners if reused else claimed_by_pages(pages, log)
    report_conflicts(page_owners, feeds, assets, config, log)
    outputs = {*page_owners, *(f.output_path for f in feeds), *(a.output_path for a in assets)}
    files = outputs | model.photo_originals
    if reused is None or not reused.file_targets <= files:
        check_writers_links(config, built, records, files, options, log, published)
    log.raise_if_any()
    site_prints, signatures, signing = _signed(model, reused, kept, memory is not None)
    if built.portal:
        renderer = portal_renderer(built.portal, built.sites, envs, cache.rows.html)
    else:
        renderer = PageRenderer(built.sites[0], cache.rows.html, envs[0])
    work = PageWork(renderer, signatures, jobs, log)
    watch.lap("feeds and signatures")
    if not options.write:
        return _checked(target, work, outputs, watch)
    rendered, written, kept_files = write_output(
        target, work, feeds, assets, cache, options.strict, options.prepare_spare
    )
    watch.lap("templates and writing")
    cache.save()
    if scan.inputs is not None:
        begins, ends = _published_span(reused, records, options)
        output = served_tree_stamp(target)
        last = LastBuild(scan.inputs.digest, scan.inputs.looked_ns, begins, ends, output,
                         len(pages), written + kept_files, tuple(log.warnings))  # fmt: skip
        remember_build(cache.folder, last)
        if memory is not None:
            by_path = reused.records if reused else {r.document.source_path: r for r in records}
            targets = reused.file_targets if reused else file_targets(records)
            memory.model = KeptModel(scan.inputs.settings, scan.inputs.digest, begins, ends,
                                     by_path, built, envs, assets, model.photo_originals,
                                     model.sitemaps, site_prints, signatures, model.warnings,
                                     search_memo, page_owners, targets, signing,
                                     reused.article_pages if reused else None)  # fmt: skip
    watch.lap("cache")
    return BuildResult(target, len(pages), rendered, written, kept_files, 0.0, log.warnings,
                       watch.laps)  # fmt: skip


def _since_kept(kept: KeptModel | None, look: Look, cache: BuildCache) -> SinceLast | None:
    """The sources that alone can have changed since the build of the kept model, when the
    look knows them and the cache index is the one that build saved."""
    if kept is None or look.edited is None or not cache.index_kept:
        return None
    return SinceLast(kept.records, look.edited) if look.patched == kept.digest else None


def _published_span(
    reused: KeptModel | None, records: Sequence[SourceRecord], options: BuildOptions
) -> tuple[dt.datetime | None, dt.datetime | None]:
    if reused is not None:  # the same articles, the same dates
        return reused.published_since, reused.published_until
    documents = [r.document for r in records]
    return published_span(documents, options.now, options.drafts, options.future)


def _checked(target: Path, work: PageWork, outputs: set[str], watch: Stopwatch) -> BuildResult:
    """`sitegen check`: every page rendered and its links checked, nothing written."""
    pages, log = work.pages, work.log
    scans = render_pages(work, list(range(len(pages))), None, LinkChecker(work.renderer.urls,
                                                                           outputs))  # fmt: skip
    report = report_links(pages, scans, log, as_errors=True, external=True)
    log.raise_if_any()
    watch.lap("templates and links")
    return BuildResult(target, len(pages), len(pages), 0, 0, 0.0, log.warnings, watch.laps, report)


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
               cache: BuildCache, options: BuildOptions, scan: Scan,
               kept: KeptModel | None) -> Model:  # fmt: skip
    log, jobs = scan.log, options.jobs or default_jobs()
    warned = len(log.warnings)
    rendered_by_source = {r.document.source_path: r.rendered for r in records}
    built = assemble(config, published, rendered_by_source, log, options.subsite,
                     _last_articles(kept))  # fmt: skip
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


def _last_articles(kept: KeptModel | None) -> LastArticles | None:
    """The kept model's articles and the records they were made from (a dev server's)."""
    if kept is None:
        return None
    sites = kept.built.sites
    articles = sites[0].articles if len(sites) == 1 else {
        path: article for site in sites for path, article in site.articles.items()}  # fmt: skip
    links = {site.config.key: site.urls for site in sites}
    return LastArticles(articles, kept.records, links)


def _signed(model: Model, reused: KeptModel | None, kept: KeptModel | None,
            remember: bool) -> tuple[list[str], dict[str, str], SignMemo | None]:  # fmt: skip
    """The fingerprint of each site and the signature of every page: a patched model's, or
    made (taking from the kept model's memo what did not change). `remember`: the process
    builds again, keep what the signatures were made of (a one-shot build would only hand
    it, a tuple per page, to every page worker)."""
    if reused is not None:
        return reused.site_prints, reused.signatures, reused.signing
    built, memo = model.built, SignMemo() if remember else None
    # What asset() can name: a photo's variants are not (pages showing them sign their keys).
    variants = built.sites[0].photos.variant_paths()
    names = [a.output_path for a in model.assets if a.output_path not in variants]
    site_prints = [site_fingerprint(site, names) for site in built.sites]
    signatures = {}
    last = kept.signing if kept is not None else None
    for site, site_print in zip(built.sites, site_prints, strict=True):
        signatures.update(page_signatures(site, site_print, last, memo))
    if built.portal:
        portal_print = site_fingerprint(built.portal, names)
        signatures.update(portal_signatures(built.portal, built.sites, portal_print))
    return site_prints, signatures, memo


@dataclass
class Assembled:
    """The site model of a build: one site, or each sub-site and the portal's own pages."""

    sites: list[Site]
    portal: Site | None = None

    @property
    def every(self) -> list[Site]:
        return [*self.sites, self.portal] if self.portal else self.sites


def assemble(config: SiteConfig, published: Sequence[Document], rendered: dict[str, Rendered],
             log: ErrorLog, only: str | None = None,
             last: LastArticles | None = None) -> Assembled:  # fmt: skip
    """The site, or with `subsites:` each sub-site (or only the one `only` names) from the
    documents in its folder, and the portal. `last`: articles to take again (LastArticles)."""
    if not config.subsites:
        return Assembled([assemble_site(config, published, rendered, log, last)])
    if only is not None:  # the portal as if it had that sub-site alone
        config = replace(config, subsites=(config.subsite(only),))
    by_subsite: dict[str, list[Document]] = {sub.key: [] for sub in config.subsites}
    for document in published:
        by_subsite[subsite_of(document.source_path)].append(document)
    sites = [assemble_site(sub, by_subsite[sub.key], rendered, log, last)
             for sub in config.subsites]  # fmt: skip
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


def claimed_by_pages(pages: Sequence[Page], log: ErrorLog) -> dict[str, str]:
    """The origin of every page by output path; two pages at one path are an error."""
    owners: dict[str, str] = {}
    entries = ((urls.output_path(page.path), page_origin(page)) for page in pages)
    _log_conflicts(urls.find_conflicts(entries, owners), log)
    return owners


def report_conflicts(page_owners: dict[str, str], feeds: Sequence[OutputFile | PendingFile],
                     assets: Sequence[Asset], config: SiteConfig,
                     log: ErrorLog) -> None:  # fmt: skip
    """Two things at one output path, across the whole build (every sub-site of a portal):
    a page (`claimed_by_pages`), a feed, an asset."""
    entries = [(f.output_path, f.origin) for f in feeds]
    entries += [(a.output_path, _asset_origin(a, config)) for a in assets]
    _log_conflicts(urls.find_conflicts(entries, dict(page_owners)), log)


def _log_conflicts(conflicts: list[tuple[str, str, str]], log: ErrorLog) -> None:
    for output, first, second in conflicts:
        log.error(
            OutputConflictError(
                second, f"would be written to {output}, like {first}: rename one of them"
            )
        )


def check_writers_links(config: SiteConfig, built: Assembled, records: Sequence[SourceRecord],
                        files: set[str], options: BuildOptions, log: ErrorLog,
                        published: Sequence[Document] | None) -> None:  # fmt: skip
    """Every writer's link names a published article (and its anchor) or an output file.
    `published`: `select_published` of the records, when the build made it already."""
    documents = [r.document for r in records]
    if published is None:
        published = select_published(documents, options)
    chosen = {d.source_path for d in published}
    unpublished = unpublished_reasons(documents, chosen, options.drafts)
    rendered_by_source = {r.document.source_path: r.rendered for r in records}
    outside = tuple(f"{s.key}/" for s in config.subsites if s.key != (options.subsite or s.key))
    for site in built.sites:
        check_references(site, rendered_by_source, unpublished, files, log, outside)


def file_targets(records: Sequence[SourceRecord]) -> frozenset[str]:
    """The output files (not articles) that writers' checked links name."""
    return frozenset(reference.target for record in records
                     for reference in record.rendered.references
                     if reference.checked and not reference.is_article)  # fmt: skip


def _asset_origin(asset: Asset, config: SiteConfig) -> str:
    try:
        return asset.source.relative_to(config.root).as_posix()
    except ValueError:
        return f"theme asset {asset.output_path}"
