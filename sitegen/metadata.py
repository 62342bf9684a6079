"""What search engines and social networks read from a page: absolute URLs, Open Graph, JSON-LD.

Everything here is derived from the site config and the page's own article, so the page
signatures (layouts.page_signatures) already cover it; nothing depends on the clock.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urljoin

from markupsafe import Markup

from .model import Article, Site
from .picture import social_link

# Inside <script> the HTML parser ends the element at the first "</script", whatever the
# JSON says: these characters are written as JSON escapes, which mean the same string.
# (str.replace per character present: str.translate with such a table is ten times slower.)
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                   ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))  # fmt: skip


def absolute_link(site: Site, link: str) -> str:
    """The full address of a link already made for a page (`/tinh-uy/images/a.jpg` or an
    external `https://...`), for metadata that must not be relative."""
    return urljoin(site.config.base_url, link)


def script_json(data: Any) -> Markup:
    """JSON for `<script type="application/ld+json">`: readable Unicode, no way out of it."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(", ", ": "))
    for character, escape in _SCRIPT_ESCAPES:
        if character in text:
            text = text.replace(character, escape)
    return Markup(text)


def banner_image_url(site: Site) -> str | None:
    image = site.config.banner.image
    return absolute_link(site, social_link(site, site.urls.link(image))) if image else None


def changed(article: Article) -> dt.datetime:
    """When the article last changed: `updated` when it is later than `date`, else `date`."""
    return article.updated if article.updated and article.updated > article.date else article.date


def news_article(site: Site, article: Article, canonical_url: str, image_url: str | None,
                 publisher: dict[str, Any] | None = None) -> Markup:  # fmt: skip
    """schema.org NewsArticle of an article page, as safe script text; `publisher`, the
    site's `publisher_of` when the caller keeps it (it is the same on every page)."""
    config = site.config
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary_text,
        "url": canonical_url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical_url},
        "datePublished": article.date.isoformat(timespec="seconds"),
        "dateModified": changed(article).isoformat(timespec="seconds"),
        "inLanguage": config.language,
        "articleSection": site.sections[article.section_key].title,
        "author": [
            {"@type": "Person", "name": term.name, "url": site.urls.absolute(term.path)}
            for term in (site.authors[key] for key in article.author_keys)
        ],
        "publisher": publisher or publisher_of(site),
    }
    if image_url:
        data["image"] = [image_url]
    if article.tag_keys:
        data["keywords"] = [site.tags[key].name for key in article.tag_keys]
    return script_json(data)


def publisher_of(site: Site) -> dict[str, Any]:
    publisher: dict[str, Any] = {"@type": "Organization", "name": site.config.title,
                                 "url": site.urls.absolute("/")}  # fmt: skip
    logo = banner_image_url(site)
    if logo:
        publisher["logo"] = {"@type": "ImageObject", "url": logo}
    return publisher
