"""Site -> pages: the Jinja environment, the plain views templates see, one render per page."""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from types import SimpleNamespace as View
from typing import Any

import jinja2
from markupsafe import Markup

from . import __version__, urls
from .assemble import HOME_BLOCK_SIZE
from .config import SiteConfig
from .errors import ErrorLog, SitegenError, TemplateError
from .i18n import format_date, format_iso, og_locale, ui_strings
from .links import with_article_urls
from .metadata import absolute_link, banner_image_url, changed, news_article, publisher_of
from .model import Article, Page, Site, Term
from .sanitize import content_security_policy

THEME_DIR = Path(__file__).parent / "theme"
THEME_TEMPLATES = THEME_DIR / "templates"
THEME_STATIC = THEME_DIR / "static"

HtmlLoader = Callable[[str], tuple[str, str]]  # content key -> (body HTML, table of contents)


def make_environment(site: Site, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """Site layouts first, then the theme; autoescape on (but in .txt templates); an undefined
    name is an error.

    With `bytecode_dir`, compiled templates are kept there between builds (Jinja checks
    each template's source before reusing its code)."""
    config = site.config
    bytecode_cache = None
    if bytecode_dir is not None:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
        bytecode_cache = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
    env = jinja2.Environment(
        bytecode_cache=bytecode_cache,
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(d) for d in template_dirs(config)]),
        # HTML and XML escaped (and anything else); text files such as robots.txt are not HTML
        autoescape=jinja2.select_autoescape(
            disabled_extensions=("txt",), default=True, default_for_string=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build: no stat per include
    )
    language = config.language
    env.filters["date_long"] = lambda value: format_date(value, language, "long")
    env.filters["date_short"] = lambda value: format_date(value, language, "short")
    env.filters["date_iso"] = format_iso
    env.globals["site"] = site_view(site)
    env.globals["ui"] = ui_strings(language)
    env.globals["asset"] = AssetUrls(site)
    return env


def template_dirs(config: SiteConfig) -> list[Path]:
    """Where templates are looked up, first found wins: a sub-site's own `layouts/<key>/`,
    then the site's `layouts/`, then the theme."""
    own = [config.layouts_dir / config.key] if config.key else []
    return [*own, config.layouts_dir, THEME_TEMPLATES]


def check_templates(
    site: Site, log: ErrorLog, bytecode_dir: Path | None = None
) -> jinja2.Environment:
    """Compile every template, used or not, so a syntax error anywhere fails the build.

    Returns the environment with everything compiled, for the page renderers to reuse
    (forked workers inherit it)."""
    env = make_environment(site, bytecode_dir)
    for name in env.list_templates(extensions=["html", "xml", "txt"]):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            log.error(template_error(error, site.config.root))
    return env


def fingerprinted(relative: str, source: Path) -> str:
    """Output path of the theme asset `relative`, named by its content so hosting can cache it
    forever: "css/style.css" -> "assets/css/style.<8 hex digits of its SHA-256>.css".

    The one naming rule: `asset()` links to this path and the pipeline copies the file to it.
    """
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:8]
    folder, _, name = relative.rpartition("/")
    stem, dot, extension = name.rpartition(".")
    named = f"{stem}.{digest}.{extension}" if dot and stem else f"{name}.{digest}"
    return urls.output_path(urls.asset_path(f"{folder}/{named}" if folder else named))


def asset_url(site: Site, path: str) -> str:
    """URL of `path` from the site's static/ folder (static/<path>, then static/assets/<path>),
    which keeps its name, else of the theme's fingerprinted copy; ValueError if neither has it."""
    relative = path.lstrip("/")
    if not urls.is_safe_output_path(relative):
        raise ValueError(f"asset('{path}'): give a path inside static/, like 'css/style.css'")
    for candidate in (relative, urls.asset_path(relative).lstrip("/")):
        if (site.config.static_dir / candidate).is_file():
            return site.urls.href("/" + candidate)
    theme_file = THEME_STATIC / relative
    if theme_file.is_file():
        return site.urls.href("/" + fingerprinted(relative, theme_file))
    raise ValueError(f"asset('{path}'): no such file in static/ or in the theme's static files")


class AssetUrls:
    """The `asset()` of templates: asset_url, worked out once per path (every page asks)."""

    def __init__(self, site: Site):
        self.site = site
        self._urls: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        url = self._urls.get(path)
        if url is None:
            url = self._urls[path] = asset_url(self.site, path)
        return url


class PageRenderer:
    """Renders pages of one site; made once per process (the render workers make their own)."""

    def __init__(self, site: Site, load_html: HtmlLoader, env: jinja2.Environment | None = None):
        self.site = site
        self.env = env or make_environment(site)
        self.views = ViewBuilder(site, load_html)

    @property
    def pages(self) -> list[Page]:
        return self.site.pages

    @property
    def urls(self) -> urls.Urls:
        return self.site.urls

    def render(self, page: Page) -> str:
        """The page's HTML; raises TemplateError naming the template file and line."""
        try:
            template = self.env.get_template(page.template)
            return template.render(self.views.context(page))
        except SitegenError:
            raise  # sitegen's own (a damaged cache, say): not the layout's fault
        except Exception as error:  # noqa: BLE001 - every template failure becomes a located error
            raise template_error(error, self.site.config.root) from None


def render_text(env: jinja2.Environment, name: str, root: Path, **context: Any) -> str:
    """A template that is no page (robots.txt): its text, or TemplateError with file and line."""
    try:
        return env.get_template(name).render(context)
    except Exception as error:  # noqa: BLE001 - every template failure becomes a located error
        raise template_error(error, root) from None


def site_fingerprint(site: Site, static_names: Iterable[str]) -> str:
    """Everything every page may show besides its articles: settings, templates, static files
    (their names; and the theme's static files whole, since asset() URLs carry their hash)."""
    digest = hashlib.blake2b(digest_size=20)
    for part in (
        __version__,
        repr(site.config),
        repr(site.sections),
        repr(ui_strings(site.config.language)),
        repr(site.portal) if site.portal else "",
    ):
        digest.update(part.encode("utf-8"))
    for folder in (site.config.layouts_dir, THEME_TEMPLATES, THEME_STATIC):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
                digest.update(path.read_bytes())
    digest.update("\0".join(sorted(static_names)).encode("utf-8"))
    return digest.hexdigest()


def page_signatures(site: Site, site_print: str) -> dict[str, str]:
    """A hash per output file of everything its page shows: equal hash, equal bytes."""
    prints = {path: article_print(site, article) for path, article in site.articles.items()}
    signatures = {}
    for page in site.pages:
        digest = hashlib.blake2b(site_print.encode("ascii"), digest_size=20)
        digest.update(repr(page).encode("utf-8"))
        if page.kind in ("tag", "author"):
            terms = site.tags if page.kind == "tag" else site.authors
            digest.update(repr(terms[page.key]).encode("utf-8"))
        elif page.kind == "terms":
            digest.update(repr(_term_counts(site, page.key)).encode("utf-8"))
        for path in _shown_articles(site, page):
            digest.update(prints[path].encode("ascii"))
        if page.kind == "article":  # its own page shows the body too
            digest.update(site.articles[page.key].content_key.encode("ascii"))
        signatures[urls.output_path(page.path)] = digest.hexdigest()
    return signatures


def _term_counts(site: Site, kind: str) -> list[tuple[Term, int]]:
    """Every tag (or author) in alphabetical order, with its number of articles."""
    terms, members = (site.tags, site.by_tag) if kind == "tag" else (site.authors, site.by_author)
    return [(term, len(members[key])) for key, term in terms.items()]


def article_print(site: Site, article: Article) -> str:
    """What listings show of an article: the card key covers its front matter and lead (not
    its body, which only its own page shows); the rest comes from assembly."""
    terms = [site.tags[key] for key in article.tag_keys] + [
        site.authors[key] for key in article.author_keys
    ]
    shown = (article.card_key, article.section_key, article.path,
             [(term.name, term.path) for term in terms],
             [site.articles[p].path if p in site.articles else site.linkable.get(p)
              for p in article.linked])  # fmt: skip
    return hashlib.blake2b(repr(shown).encode("utf-8"), digest_size=20).hexdigest()


def _shown_articles(site: Site, page: Page) -> Iterable[str]:
    if page.kind == "article":
        neighbours = (site.older.get(page.key), site.newer.get(page.key))
        return [page.key, *(p for p in neighbours if p), *site.related.get(page.key, ())]
    if page.kind == "home":
        blocks = [p for paths in site.by_section.values() for p in paths[:HOME_BLOCK_SIZE]]
        return [*page.items, *blocks]
    return page.items


def page_origin(page: Page) -> str:
    if page.kind == "article":
        return f"content/{page.key}"
    return f"the {page.kind} page {page.path}"


def template_error(error: Exception, root: Path) -> TemplateError:
    """The template file and line at fault, from a syntax error or from the traceback."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        path = _shown_template(error.filename or error.name or "?", root)
        return TemplateError(path, f"template syntax error: {error.message}", error.lineno)
    if isinstance(error, jinja2.TemplateNotFound):
        message = f"template '{error.name}' not found: add it to layouts/ or fix the name"
    elif isinstance(error, jinja2.UndefinedError):
        message = f"{error} (a misspelt name, or a value this page does not have)"
    else:
        message = f"{type(error).__name__}: {error}"
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")) and Path(frame.filename).exists():
            return TemplateError(_shown_template(frame.filename, root), message, frame.lineno)
    return TemplateError("layouts", message)


def _shown_template(filename: str, root: Path) -> str:
    path = Path(filename)
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


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
        self._articles: dict[str, View] = {}
        self._sections = {key: section_view(site, key) for key in site.sections}
        home = urls.under(site.config.key, urls.HOME)
        self._home_crumb = View(title=self.ui["home"], url=site.urls.href(home))
        self._banner_image = banner_image_url(site)
        self._publisher = publisher_of(site)  # the same in every article's NewsArticle

    def article(self, source_path: str) -> View:
        view = self._articles.get(source_path)
        if view is None:
            view = self._articles[source_path] = self._article_view(self.site.articles[source_path])
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
            base["image_url"] = absolute_link(self.site, article.image.src)
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
            for term, count in _term_counts(self.site, page.key)
        ]
        return {"page": View(**self._base(page, title, title, [crumb]), terms=terms)}

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
