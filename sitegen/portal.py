"""A portal: several sub-sites in one build, each a Site of its own under /<key>/, and the
portal's own pages (its home, listing the newest articles of every sub-site, and the 404).

The pipeline assembles each sub-site with `assemble_site` from its own sources; this module
splits the sources, links the sub-sites to each other, plans the portal's pages, works out
their signatures, and renders every page with its own sub-site's templates and views.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace as View
from typing import Any

import jinja2

from . import urls
from .assemble import HOME_BLOCK_SIZE, site_urls
from .config import SiteConfig
from .discover import SourceRef, shown_path
from .errors import ContentError, ErrorLog
from .layouts import (
    HtmlLoader,
    PageRenderer,
    ViewBuilder,
    article_print,
    bytecode_dir,
    make_environment,
)
from .model import Page, Site

PORTAL_KIND = "portal"


def split_sources(
    config: SiteConfig, refs: Sequence[SourceRef], log: ErrorLog
) -> dict[str, list[SourceRef]]:
    """Each sub-site's sources, by key: those under content/<key>/. A Markdown file elsewhere
    is an error (it belongs to no sub-site)."""
    found: dict[str, list[SourceRef]] = {s.key: [] for s in config.subsites}
    keys = ", ".join(found)
    for ref in refs:
        folder, _, rest = ref.source_path.partition("/")
        if rest and folder in found:
            found[folder].append(ref)
        else:
            log.error(
                ContentError(
                    shown_path(ref.source_path),
                    "is in no sub-site's folder: move it to content/<key>/, where <key> is "
                    f"one of the sub-sites of config.yaml: {keys}",
                )
            )
    return found


def subsite_of(source_path: str) -> str:
    return source_path.partition("/")[0]


def assemble_portal(config: SiteConfig, sites: Sequence[Site]) -> Site:
    """The portal's own site (its home and the 404), and each sub-site told of the others:
    the portal's settings, and the path of every other sub-site's article, for writers' links."""
    paths = {path: a.path for site in sites for path, a in site.articles.items()}
    for site in sites:
        site.portal = config
        site.linkable = {p: path for p, path in paths.items() if p not in site.articles}
    shown = tuple(p for site in sites for p in list(site.articles)[:HOME_BLOCK_SIZE])
    portal = Site(config=config, urls=site_urls(config), articles={}, sections={}, tags={},
                  authors={}, by_section={}, by_tag={}, by_author={}, related={}, older={},
                  newer={})  # fmt: skip
    portal.pages = [
        Page(PORTAL_KIND, urls.HOME, "portal.html", items=shown),
        Page("404", urls.NOT_FOUND, "404.html"),
    ]
    return portal


def portal_signatures(portal: Site, sites: Sequence[Site], site_print: str) -> dict[str, str]:
    """Signatures of the portal's pages (layouts.page_signatures does a site's): its settings
    and templates, and what it shows of each sub-site's articles."""
    owner = {path: site for site in sites for path in site.articles}
    signatures = {}
    for page in portal.pages:
        digest = hashlib.blake2b(site_print.encode("ascii"), digest_size=20)
        digest.update(repr(page).encode("utf-8"))
        for path in page.items:
            digest.update(article_print(owner[path], owner[path].articles[path]).encode("ascii"))
        signatures[urls.output_path(page.path)] = digest.hexdigest()
    return signatures


class PortalViews(ViewBuilder):
    """The portal's views: its home shows the articles of every sub-site, each as its own
    sub-site's views make it."""

    def __init__(self, site: Site, load_html: HtmlLoader, others: dict[str, ViewBuilder]):
        super().__init__(site, load_html)
        self.others = others

    def searched_sites(self) -> list[Site]:
        return [views.site for views in self.others.values()]

    def _portal_page(self, page: Page) -> dict[str, Any]:
        config = self.site.config
        blocks = []
        for key, views in self.others.items():
            sub = views.site
            shown = [p for p in page.items if p in sub.articles]
            blocks.append(
                View(
                    key=key,
                    title=sub.config.title,
                    url=self.site.urls.href(urls.under(key, urls.HOME)),
                    banner=View(title=sub.config.banner.title or sub.config.title),
                    articles=[views.article(p) for p in shown],
                )
            )
        base = self._base(page, config.title, config.title, [])
        return {"page": View(**base, blocks=blocks)}


class PortalRenderer:
    """Renders every page of a portal with the renderer of the sub-site it belongs to ("" for
    the portal's own pages); the render workers get it whole."""

    def __init__(self, renderers: dict[str, PageRenderer]):
        self.renderers = renderers
        self.pages = [page for renderer in renderers.values() for page in renderer.pages]
        self.urls = renderers[""].urls
        self.site = renderers[""].site

    def render(self, page: Page) -> str:
        return self.renderers[page.subsite].render(page)

    def __reduce__(self) -> tuple[Any, ...]:
        """Sent to a process started afresh: the sites and the loader; the environments are
        made there again (PageRenderer.__reduce__)."""
        own = self.renderers[""]
        sites = [r.site for key, r in self.renderers.items() if key]
        return PortalRenderer.again, (own.site, sites, own.load_html, bytecode_dir(own.env))

    @staticmethod
    def again(portal: Site, sites: list[Site], load_html: HtmlLoader,
              bytecode: Path | None) -> PortalRenderer:  # fmt: skip
        envs = [make_environment(site, bytecode) for site in [*sites, portal]]
        return portal_renderer(portal, sites, envs, load_html)


def portal_renderer(
    portal: Site, sites: Sequence[Site], envs: Sequence[jinja2.Environment], load_html: HtmlLoader
) -> PortalRenderer:
    """`envs`: the checked environment of each sub-site, then the portal's."""
    renderers = {
        site.config.key: PageRenderer(site, load_html, env)
        for site, env in zip(sites, envs[: len(sites)], strict=True)
    }
    views = {key: renderer.views for key, renderer in renderers.items()}
    own = PageRenderer(portal, load_html, envs[-1])
    own.views = PortalViews(portal, load_html, views)
    return PortalRenderer({**renderers, "": own})
