"""Pelican settings for the benchmark's generated site (see benchmarks/generate.py).

Roughly the pages sitegen makes: pretty URLs, section (category), tag and author
listings paginated by 20, an Atom feed for the site and per section, Markdown with
extra/codehilite/toc. Build: pelican content -s pelicanconf.py -o output
"""

from __future__ import annotations

import os

AUTHOR = "Ban Tổ chức Tỉnh ủy"
SITENAME = "Ban Tổ chức Tỉnh ủy (bản thử nghiệm)"
SITEURL = "https://example.org"
RELATIVE_URLS = False
PATH = "content"
THEME = "theme"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DEFAULT_DATE_FORMAT = "%d/%m/%Y %H:%M"
BANNER_TITLE = "Ban Tổ chức Tỉnh ủy"
BANNER_IMAGE = "/images/banner.png"

# "more from this section": "section" takes the first items of the category's own list;
# "naive" filters all articles by category on every page (quadratic). The environment
# variable BENCH_RELATED overrides it (run.py --related).
RELATED_MODE = os.environ.get("BENCH_RELATED", "section")
RELATED_COUNT = 5

ARTICLE_PATHS = [""]
PAGE_PATHS: list[str] = []
STATIC_PATHS = ["images"]

ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
AUTHOR_URL = "authors/{slug}/"
AUTHOR_SAVE_AS = "authors/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
ARCHIVES_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAGS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index"]
TEMPLATE_PAGES = {"404.html": "404.html"}

DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"tag": None, "category": None, "author": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feed.xml"
CATEGORY_FEED_ATOM = "{slug}/feed.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 20

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {},
    },
    "output_format": "html5",
}

# The content cache: a cold build writes it, the next build reads it.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
