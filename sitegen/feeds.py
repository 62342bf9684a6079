"""Site -> Atom feeds, sitemap.xml and robots.txt, with absolute URLs from base_url."""

from __future__ import annotations

import hashlib
import heapq
import itertools
import xml.etree.ElementTree as etree
from collections.abc import Sequence
from xml.sax.saxutils import escape

import jinja2

from . import __version__, urls
from .assemble import newest_first
from .errors import ErrorLog, TemplateError
from .i18n import format_iso
from .layouts import HtmlLoader, article_print, render_text
from .links import with_article_urls
from .model import Article, OutputFile, PendingFile, Site
from .picture import PhotoMarkup

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_LIMIT = 50_000  # URLs in one sitemap file, the protocol's limit
XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>"


def feed_files(site: Site, load_html: HtmlLoader, env: jinja2.Environment,
               log: ErrorLog) -> list[OutputFile | PendingFile]:  # fmt: skip
    """The site's feeds and robots.txt; a sub-site's feeds, and its robots.txt when it has an
    address of its own (else the portal's serves it: see portal_files). The sitemap comes
    from `sitemap_files`."""
    scope = site.config.key
    home = urls.under(scope, urls.HOME)
    files: list[OutputFile | PendingFile] = [
        _feed(site, load_html, urls.under(scope, urls.FEED), site.config.title,
              list(site.articles), home)
    ]  # fmt: skip
    for key, section in site.sections.items():
        title = f"{section.title} – {site.config.title}"
        paths = list(site.by_section[key])
        files.append(_feed(site, load_html, section.feed_path, title, paths, section.path))
    if not scope or site.config.own_url:
        files += _robots_of(site, env, log)
    return files


def portal_files(
    portal: Site, sites: Sequence[Site], load_html: HtmlLoader, env: jinja2.Environment,
    log: ErrorLog,
) -> list[OutputFile | PendingFile]:  # fmt: skip
    """A portal's feed of the newest articles of every sub-site and its robots.txt."""
    newest = heapq.merge(*([(site, a) for a in site.articles.values()] for site in sites),
                         key=lambda entry: newest_first(entry[1]))  # fmt: skip
    entries = list(itertools.islice(newest, portal.config.feed_count))
    feed = _feed(portal, load_html, urls.FEED, portal.config.title, [], entries=entries)
    return [feed, *_robots_of(portal, env, log)]


def _feed(site: Site, load_html: HtmlLoader, path: str, title: str, paths: Sequence[str],
          html_path: str = urls.HOME,
          entries: Sequence[tuple[Site, Article]] = ()) -> PendingFile:  # fmt: skip
    """The feed of the articles at `paths` of `site`, or of `entries` (a portal's, each article
    with its sub-site). Made only if written: its signature tells whether it changed."""
    entries = entries or [(site, site.articles[p]) for p in paths[: site.config.feed_count]]
    digest = hashlib.blake2b(digest_size=20)
    shown = (__version__, site.config.language, repr(site.urls), path, title, html_path)
    digest.update(repr(shown).encode("utf-8"))
    for owner, article in entries:
        section = owner.sections[article.section_key]
        seen = (article_print(owner, article), article.content_key, section.title, owner.urls)
        digest.update(repr(seen).encode("utf-8"))

    def make() -> bytes:
        return _feed_bytes(site, load_html, path, title, html_path, entries)

    return PendingFile(urls.output_path(path), f"the feed {path}", digest.hexdigest(), make)


def _feed_bytes(site: Site, load_html: HtmlLoader, path: str, title: str, html_path: str,
                entries: Sequence[tuple[Site, Article]]) -> bytes:  # fmt: skip
    absolute = site.urls.absolute
    etree.register_namespace("", ATOM)
    feed = etree.Element(
        f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": site.config.language}
    )
    _text(feed, "title", title)
    _text(feed, "id", absolute(path))
    etree.SubElement(
        feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=absolute(path)
    )
    etree.SubElement(
        feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=absolute(html_path)
    )
    # The newest change among the entries: no build timestamp, so output stays reproducible.
    newest = max((_changed(a) for _, a in entries), default=None)
    _text(feed, "updated", format_iso(newest) if newest else "1970-01-01T00:00:00Z")
    _text(feed, "generator", "sitegen")
    for owner, article in entries:
        feed.append(_entry(owner, article, load_html(article.content_key)[0]))
    return etree.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(site: Site, article: Article, content_html: str) -> etree.Element:
    entry = etree.Element(f"{{{ATOM}}}entry")
    _text(entry, "title", article.title)
    _text(entry, "id", site.urls.absolute(article.path))
    etree.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html",
                     href=site.urls.absolute(article.path))  # fmt: skip
    _text(entry, "published", format_iso(article.date))
    _text(entry, "updated", format_iso(_changed(article)))
    for key in article.author_keys:
        author = etree.SubElement(entry, f"{{{ATOM}}}author")
        _text(author, "name", site.authors[key].name)
    etree.SubElement(entry, f"{{{ATOM}}}category", term=site.sections[article.section_key].title)
    if article.summary_text:
        _text(entry, "summary", article.summary_text)
    body = PhotoMarkup(site.photos, site.urls, site.config.images).feed(content_html)
    content = _text(entry, "content", with_article_urls(site, article, article.summary_html + body))
    content.set("type", "html")
    content.set("{http://www.w3.org/XML/1998/namespace}base", site.urls.absolute(article.path))
    return entry


def _changed(article: Article):
    return article.updated if article.updated and article.updated > article.date else article.date


def _text(parent: etree.Element, tag: str, text: str) -> etree.Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = text
    return element


def sitemap_files(sites: Sequence[Site]) -> list[OutputFile]:
    """The sitemap of every page of `sites` (a site, or a portal's sub-sites and its own
    pages), one per address: a sub-site with a `base_url` of its own gets its own, in its
    folder (a sitemap lists the URLs of one host), the others are the portal's.

    It shows where pages are and when their articles changed, never a body: a body edit
    leaves it as it was (reuse.py)."""
    articles = (
        sites[0].articles
        if len(sites) == 1
        else {path: article for site in sites for path, article in site.articles.items()}
    )  # a portal's pages list the articles of every sub-site
    own = [site for site in sites if site.config.own_url]
    shared = [site for site in sites if not site.config.own_url]
    files = _sitemap(shared, "", articles) if shared else []
    for site in own:
        files += _sitemap([site], site.config.key, articles)
    return files


def _sitemap(sites: Sequence[Site], scope: str,
             articles: dict[str, Article]) -> list[OutputFile]:  # fmt: skip
    """The sitemap of the pages of `sites` at /<scope>/sitemap.xml; past SITEMAP_LIMIT pages,
    parts of that many each and the sitemap as their index (the protocol's limit per file;
    search engines read the rest)."""
    entries = _sitemap_entries(sites, articles)
    sitemap = urls.under(scope, urls.SITEMAP)
    if len(entries) <= SITEMAP_LIMIT:
        return [OutputFile(urls.output_path(sitemap), _urlset(entries), "the sitemap")]
    absolute = sites[-1].urls.absolute  # the portal's, or the one site's
    files, index = [], []
    for number, start in enumerate(range(0, len(entries), SITEMAP_LIMIT), start=1):
        path = urls.under(scope, urls.sitemap_part(number))
        part = _urlset(entries[start : start + SITEMAP_LIMIT])
        files.append(OutputFile(urls.output_path(path), part, f"the sitemap {path}"))
        index.append(f"<sitemap><loc>{escape(absolute(path))}</loc></sitemap>")
    text = "\n".join([XML_DECLARATION, f'<sitemapindex xmlns="{SITEMAP_NS}">', *index,
                      "</sitemapindex>\n"])  # fmt: skip
    return [OutputFile(urls.output_path(sitemap), text.encode("utf-8"), "the sitemap"), *files]


def _urlset(entries: Sequence[str]) -> bytes:
    """Written as text, not through ElementTree: at 12,000 pages that is five times faster."""
    lines = [XML_DECLARATION, f'<urlset xmlns="{SITEMAP_NS}">', *entries, "</urlset>\n"]
    return "\n".join(lines).encode("utf-8")


def _sitemap_entries(sites: Sequence[Site], articles: dict[str, Article]) -> list[str]:
    """A <url> element for every page of `sites` but the 404 and search pages, with when what
    it shows last changed."""
    entries = []
    for site in sites:
        for page in site.pages:
            if page.kind in ("404", "search"):  # no content of its own to find
                continue
            shown = [articles[page.key]] if page.kind == "article" else [
                articles[p] for p in page.items
            ]  # fmt: skip
            entry = f"<url><loc>{escape(site.urls.absolute(page.path))}</loc>"
            if shown:
                entry += f"<lastmod>{format_iso(max(_changed(a) for a in shown))}</lastmod>"
            entries.append(entry + "</url>")
    return entries


def _robots_of(site: Site, env: jinja2.Environment, log: ErrorLog) -> list[OutputFile]:
    try:
        return [_robots(site, env)]
    except TemplateError as error:
        log.error(error)
        return []


def _robots(site: Site, env: jinja2.Environment) -> OutputFile:
    """From the robots.txt template (the site's layouts/robots.txt, else the theme's); the
    site's own static/robots.txt replaces it. A sub-site's (with an address of its own) is in
    its folder, which its host serves as its root."""
    scope = site.config.key
    sitemap_url = site.urls.absolute(urls.under(scope, urls.SITEMAP))
    text = render_text(env, "robots.txt", site.config.root, sitemap_url=sitemap_url)
    path = urls.output_path(urls.under(scope, urls.ROBOTS))
    return OutputFile(path, text.encode("utf-8"), "robots.txt", overridable=True)
