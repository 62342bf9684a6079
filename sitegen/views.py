"""Site -> the plain views templates see: `site`, `page` and `paginator` of every page."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace as View
from typing import Any

from markupsafe import Markup

from . import urls
from .assemble import HOME_BLOCK_SIZE
from .config import SiteConfig
from .i18n import og_locale, ui_strings
from .links import with_article_urls
from .metadata import absolute_link, banner_image_url, changed, news_article, publisher_of
from .model import Article, Page, Site, Term
from .picture import PhotoMarkup
from .recent import Recent
from .sanitize import content_security_policy
from .search import search_path, search_view

HtmlLoader = Callable[[str], tuple[str, str]]  # content key -> (body HTML, table of contents)
VIEWS_KEPT = 4096  # article views a renderer keeps, or twice as many (recent.py)


def term_counts(site: Site, kind: str) -> list[tuple[Term, int]]:
    """Every tag (or author) in alphabetical order, with its number of articles."""
    terms, members = (site.tags, site.by_tag) if kind == "tag" else (site.authors, site.by_author)
    return [(term, len(members[key])) for key, term in terms.items()]


# Views are namespaces, not dicts: in Jinja `paginator.items` must be the field, not dict.items.


def site_view(site: Site) -> View:
    """`site` in templates: the site's, or in a portal the sub-site's (or the portal's own)
    settings; `subsite` is the sub-site's key and title (None outside sub-sites), `subsites`
    every sub-site of the portal (empty outside portals), for a portal bar."""
    config = site.config
    banner_image = config.banner.image
    home = site.urls.href(urls.under(config.key, urls.HOME))
    portal = site.portal or (config if config.subsites else None)
    subsites = [subsite_view(site, s) for s in portal.subsites] if portal else []
    csp = content_security_policy(config.html.iframe_hosts) if config.csp is None else config.csp
    return View(
        title=config.title,
        language=config.language,
        locale=og_locale(config.language),
        base_url=config.base_url,
        url=home,
        params=config.params,
        banner=View(
            title=config.banner.title or config.title,
            image=site.urls.link(banner_image) if banner_image else None,
            url=home,
        ),
        sections=[section_view(site, key) for key in site.sections],
        feed_url=site.urls.href(urls.under(config.key, urls.FEED)),
        csp=csp,
        search_url=site.urls.href(search_path(config.key)) if config.search else None,
        subsite=next((s for s in subsites if s.current), None),
        subsites=subsites,
        portal=View(title=portal.title, url=site.urls.href(urls.HOME)) if portal else None,
    )


def subsite_view(site: Site, subsite: SiteConfig) -> View:
    return View(
        key=subsite.key,
        title=subsite.title,
        url=site.urls.href(urls.under(subsite.key, urls.HOME)),
        feed_url=site.urls.href(urls.under(subsite.key, urls.FEED)),
        current=subsite.key == site.config.key,
    )


def section_view(site: Site, key: str) -> View:
    section = site.sections[key]
    return View(
        key=section.key,
        title=section.title,
        description=section.description,
        url=site.urls.href(section.path),
        feed_url=site.urls.href(section.feed_path),
    )


def term_view(site: Site, term: Term) -> View:
    return View(name=term.name, url=site.urls.href(term.path))


class ViewBuilder:
    """Builds the plain dicts templates see; one view per article, shared by every page."""

    def __init__(self, site: Site, load_html: HtmlLoader):
        self.site = site
        self.load_html = load_html
        self.ui = ui_strings(site.config.language)
        # The views used last, by source path: all of them, 2.5 KB each, grew a process
        # rendering 100,000 articles by a quarter of a gigabyte.
        self._articles: Recent[str, View] = Recent(VIEWS_KEPT)
        self._sections = {key: section_view(site, key) for key in site.sections}
        home = urls.under(site.config.key, urls.HOME)
        self._home_crumb = View(title=self.ui["home"], url=site.urls.href(home))
        self._banner_image = banner_image_url(site)
        self._photos = PhotoMarkup(site.photos, site.urls, site.config.images)
        self._publisher = publisher_of(site)  # the same in every article's NewsArticle

    def article(self, source_path: str) -> View:
        view = self._articles.recall(source_path)
        if view is None:
            view = self._article_view(self.site.articles[source_path])
            self._articles.keep(source_path, view)
        return view

    def _article_view(self, article: Article) -> View:
        site = self.site
        image = article.image
        return View(
            title=article.title,
            url=site.urls.href(article.path),
            date=article.date,
            updated=article.updated,
            authors=[term_view(site, site.authors[key]) for key in article.author_keys],
            organisation=article.organisation,
            section=self._sections[article.section_key],
            summary=Markup(with_article_urls(site, article, article.summary_html)),
            summary_text=article.summary_text,
            tags=[term_view(site, site.tags[key]) for key in article.tag_keys],
            image=View(src=image.src, alt=image.alt, caption=image.caption) if image else None,
            params=article.params,
            source_path=article.source_path,
        )

    def context(self, page: Page) -> dict[str, Any]:
        builder = getattr(self, f"_{page.kind}_page".replace("404", "not_found"))
        return builder(page)

    def _base(self, page: Page, title: str, description: str, crumbs: list[View]) -> dict[str, Any]:
        """What every page has, metadata for search engines and social networks included."""
        banner = self.site.config.banner
        return {
            "kind": page.kind,
            "title": title,
            "url": self.site.urls.href(page.path),
            "description": " ".join(description.split()),
            "breadcrumbs": [self._home_crumb, *crumbs],
            "canonical_url": self.site.urls.absolute(page.path),
            "og_type": "website",
            "image_url": self._banner_image,
            "image_alt": (banner.title or self.site.config.title) if self._banner_image else "",
            "jsonld": None,
        }

    def _article_metadata(self, page: Page, base: dict[str, Any]) -> dict[str, Any]:
        """The article's cover image instead of the banner, its dates, and its NewsArticle."""
        article = self.site.articles[page.key]
        if article.image:
            base["image_url"] = absolute_link(self.site, self._photos.social(article.image.src))
            base["image_alt"] = article.image.alt
        jsonld = news_article(
            self.site, article, base["canonical_url"], base["image_url"], self._publisher
        )
        base.update(og_type="article", modified=changed(article), jsonld=jsonld)
        return base

    def _article_page(self, page: Page) -> dict[str, Any]:
        view = self.article(page.key)
        section = view.section
        crumbs = [View(title=section.title, url=section.url), View(title=view.title, url=view.url)]
        older, newer = self.site.older.get(page.key), self.site.newer.get(page.key)
        article = self.site.articles[page.key]
        content, toc = self.load_html(article.content_key)
        content = with_article_urls(self.site, article, content)
        base = self._base(page, view.title, view.summary_text or view.title, crumbs)
        page_view = View(
            **{**vars(view), **self._article_metadata(page, base)},
            content=Markup(content),
            toc=Markup(toc),
            prev=self.article(older) if older else None,
            next=self.article(newer) if newer else None,
            related=[self.article(path) for path in self.site.related.get(page.key, ())],
        )
        return {"page": page_view}

    def _home_page(self, page: Page) -> dict[str, Any]:
        site = self.site
        blocks = [
            View(
                section=self._sections[key],
                articles=[self.article(p) for p in paths[:HOME_BLOCK_SIZE]],
            )
            for key, paths in site.by_section.items()
            if paths
        ]
        page_view = View(
            **self._base(page, site.config.title, site.config.title, []),
            latest=[self.article(path) for path in page.items],
            blocks=blocks,
        )
        return {"page": page_view}

    def _section_page(self, page: Page) -> dict[str, Any]:
        section = self._sections[page.key]
        crumbs = [View(title=section.title, url=section.url)]
        base = self._base(page, section.title, section.description or section.title, crumbs)
        return {"page": View(**base, section=section), "paginator": self._paginator(page)}

    def _tag_page(self, page: Page) -> dict[str, Any]:
        return self._term_page(page, self.site.tags[page.key], self.ui["tag"])

    def _author_page(self, page: Page) -> dict[str, Any]:
        return self._term_page(page, self.site.authors[page.key], self.ui["author"])

    def _term_page(self, page: Page, term: Term, label: str) -> dict[str, Any]:
        view = term_view(self.site, term)
        title = f"{label}: {term.name}"
        index_title = self.ui["tags"] if page.kind == "tag" else self.ui["authors"]
        index = urls.under(
            self.site.config.key, urls.TAGS_INDEX if page.kind == "tag" else urls.AUTHORS_INDEX
        )
        crumbs = [
            View(title=index_title, url=self.site.urls.href(index)),
            View(title=title, url=view.url),
        ]
        base = self._base(page, title, title, crumbs)
        return {"page": View(**base, term=view), "paginator": self._paginator(page)}

    def _terms_page(self, page: Page) -> dict[str, Any]:
        title = self.ui["tags"] if page.key == "tag" else self.ui["authors"]
        crumb = View(title=title, url=self.site.urls.href(page.path))
        terms = [
            View(name=term.name, url=self.site.urls.href(term.path), count=count)
            for term, count in term_counts(self.site, page.key)
        ]
        return {"page": View(**self._base(page, title, title, [crumb]), terms=terms)}

    def _search_page(self, page: Page) -> dict[str, Any]:
        title = self.ui["search"]
        crumb = View(title=title, url=self.site.urls.href(page.path))
        base = self._base(page, title, title, [crumb])
        return {"page": View(**base, search=search_view(self.site, self.searched_sites()))}

    def searched_sites(self) -> list[Site]:
        """The sites whose articles the search page's filters offer: its own."""
        return [self.site]

    def _not_found_page(self, page: Page) -> dict[str, Any]:
        title = self.ui["not_found_title"]
        crumb = View(title=title, url=self.site.urls.href(page.path))
        return {"page": View(**self._base(page, title, title, [crumb]))}

    def _paginator(self, page: Page) -> View:
        href = self.site.urls.href

        def at(number: int) -> str:
            return href(urls.page_path(page.first_path, number))

        return View(
            items=[self.article(path) for path in page.items],
            number=page.number,
            total=page.total,
            prev_url=at(page.number - 1) if page.number > 1 else None,
            next_url=at(page.number + 1) if page.number < page.total else None,
            first_url=at(1),
            last_url=at(page.total),
        )
