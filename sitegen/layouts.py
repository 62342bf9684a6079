"""Site -> pages: the Jinja environment, page signatures, one render per page (views.py
makes what templates see)."""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import __version__, urls
from .assemble import HOME_BLOCK_SIZE
from .config import THEME_STATIC, THEME_TEMPLATES, SiteConfig
from .errors import ErrorLog, SitegenError, TemplateError
from .i18n import format_date, format_iso, ui_strings
from .model import Article, Page, Site
from .photos import banner_images, site_path_of
from .picture import PhotoMarkup
from .views import HtmlLoader, ViewBuilder, site_view, term_counts


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


def bytecode_dir(env: jinja2.Environment) -> Path | None:
    """Where `make_environment` keeps the environment's compiled templates, if it does."""
    cache = env.bytecode_cache
    return Path(cache.directory) if isinstance(cache, jinja2.FileSystemBytecodeCache) else None


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
    """Renders pages of one site: forked render workers inherit it, a process apart gets it
    pickled (`__reduce__`)."""

    def __init__(self, site: Site, load_html: HtmlLoader, env: jinja2.Environment | None = None):
        self.site, self.load_html = site, load_html
        self.env = env or make_environment(site)
        self.views = ViewBuilder(site, load_html)
        self.photos = PhotoMarkup(site.photos, site.urls, site.config.images)

    def __reduce__(self) -> tuple[Any, ...]:
        """Sent to a process started afresh: the site and the loader (which must pickle); the
        environment, which does not, is made there again, with the same compiled templates."""
        return PageRenderer.again, (self.site, self.load_html, bytecode_dir(self.env))

    @staticmethod
    def again(site: Site, load_html: HtmlLoader, bytecode: Path | None) -> PageRenderer:
        return PageRenderer(site, load_html, make_environment(site, bytecode))

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
            return self.photos.page(template.render(self.views.context(page)))
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
        site.photos.stamp([*site.photos.site_wide, *_banner_photos(site)]),
    ):
        digest.update(part.encode("utf-8"))
    for folder in (site.config.layouts_dir, THEME_TEMPLATES, THEME_STATIC):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
                digest.update(path.read_bytes())
    digest.update("\0".join(sorted(static_names)).encode("utf-8"))
    return digest.hexdigest()


def _banner_photos(site: Site) -> list[str]:
    banners = banner_images(site.config)
    if site.portal and site.portal.banner.image:
        banners.append(site.portal.banner.image)
    return [path for path in (site_path_of(b, "") for b in banners) if path]


@dataclass
class SignMemo:
    """What each page's signature and each article's print were made of in a build, by
    output path and by source path: the next build of the process, if it assembles the site
    again (a title edit in the dev server), hashes again only those whose parts changed
    (2 s at 100,000 articles)."""

    pages: dict[str, tuple[tuple, str]] = field(default_factory=dict)
    prints: dict[str, tuple[tuple, str]] = field(default_factory=dict)


def page_signatures(site: Site, site_print: str, last: SignMemo | None = None,
                    memo: SignMemo | None = None) -> dict[str, str]:  # fmt: skip
    """A hash per output file of everything its page shows: equal hash, equal bytes.
    `last`: the last build's memo, to take from; `memo`: this build's, to fill (if any)."""
    last = last or SignMemo()
    memo_prints, memo_pages = (memo.prints, memo.pages) if memo is not None else (None, None)
    prints = {
        path: _remembered(last.prints, memo_prints, path, _print_parts(site, article), _print_of)
        for path, article in site.articles.items()
    }
    signatures = {}
    for page in site.pages:
        output_path = urls.output_path(page.path)
        parts = _signature_parts(site, page, site_print, prints)
        signatures[output_path] = _remembered(last.pages, memo_pages, output_path, parts,
                                              _signature_of)  # fmt: skip
    return signatures


def page_signature(site: Site, page: Page, site_print: str) -> tuple[str, str]:
    """(output path, signature) of one page."""
    prints = {path: article_print(site, site.articles[path])
              for path in _shown_articles(site, page)}  # fmt: skip
    parts = _signature_parts(site, page, site_print, prints)
    return urls.output_path(page.path), _signature_of(parts)


def _remembered(last: dict[str, tuple[tuple, str]], memo: dict[str, tuple[tuple, str]] | None,
                key: str, parts: tuple, made: Callable[[tuple], str]) -> str:  # fmt: skip
    """made(parts), or the last build's value when its parts were equal; `memo` keeps it."""
    found = last.get(key)
    value = found[1] if found is not None and found[0] == parts else made(parts)
    if memo is not None:
        memo[key] = (parts, value)
    return value


def _signature_parts(site: Site, page: Page, site_print: str, prints: dict[str, str]) -> tuple:
    """Everything a page's signature is made of."""
    if page.kind in ("tag", "author"):
        extra = (site.tags if page.kind == "tag" else site.authors)[page.key]
    elif page.kind == "terms":
        extra = term_counts(site, page.key)
    else:
        extra = None
    shown = tuple(prints[path] for path in _shown_articles(site, page))
    body = site.articles[page.key].content_key if page.kind == "article" else None
    return site_print, page, extra, shown, body  # its own page shows the body too


def _signature_of(parts: tuple) -> str:
    site_print, page, extra, shown, body = parts
    digest = hashlib.blake2b(site_print.encode("ascii"), digest_size=20)
    digest.update(repr(page).encode("utf-8"))
    if extra is not None:
        digest.update(repr(extra).encode("utf-8"))
    for article_print_ in shown:
        digest.update(article_print_.encode("ascii"))
    if body is not None:
        digest.update(body.encode("ascii"))
    return digest.hexdigest()


def article_print(site: Site, article: Article) -> str:
    """What listings show of an article: the card key covers its front matter and lead (not
    its body, which only its own page shows); the rest comes from assembly."""
    return _print_of(_print_parts(site, article))


def _print_parts(site: Site, article: Article) -> tuple:
    terms = [site.tags[key] for key in article.tag_keys] + [
        site.authors[key] for key in article.author_keys
    ]
    return (article.card_key, article.section_key, article.path,
            site.photos.stamp(article.photos), [(term.name, term.path) for term in terms],
            [site.articles[p].path if p in site.articles else site.linkable.get(p)
             for p in article.linked])  # fmt: skip


def _print_of(parts: tuple) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=20).hexdigest()


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
