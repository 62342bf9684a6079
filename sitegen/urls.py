"""Every URL and output path of the site is made here; templates never glue paths."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

# Paths below are site-relative ("/tin-hoat-dong/hoi-nghi/"); `Urls` turns them into the
# links of a site served from its base URL, which may have a sub-path ("/tinh-uy/").
HOME = "/"
NOT_FOUND = "/404.html"
FEED = "/feed.xml"
SITEMAP = "/sitemap.xml"
ROBOTS = "/robots.txt"
ASSETS = "/assets/"
TAGS_INDEX = "/tags/"
AUTHORS_INDEX = "/authors/"
# Photos that are published as resized variants (photos.py); GIF and SVG are copied as they are.
RASTER_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def under(scope: str, path: str) -> str:
    """A path of the sub-site `scope` ("" for a site of its own): "/" -> "/ban-to-chuc/"."""
    return f"/{scope}{path}" if scope else path


def section_path(key: str) -> str:
    return f"/{key}/"


def section_feed_path(key: str) -> str:
    return f"/{key}/feed.xml"


def article_path(section_key: str, slug: str) -> str:
    return f"/{section_key}/{slug}/"


def tag_path(slug: str) -> str:
    return f"/tags/{slug}/"


def author_path(slug: str) -> str:
    return f"/authors/{slug}/"


def page_path(first_page: str, number: int) -> str:
    """Page N of a listing: the listing itself for page 1, then `<listing>page/N/`."""
    return first_page if number == 1 else f"{first_page}page/{number}/"


def sitemap_part(number: int) -> str:
    """The number-th sitemap of a site too large for one (the sitemap is then their index)."""
    return f"/sitemap-{number}.xml"


def asset_path(relative: str) -> str:
    return ASSETS + relative


def output_path(path: str) -> str:
    """File under the output folder for a site path: "/a/b/" -> "a/b/index.html"."""
    relative = path.lstrip("/")
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    return relative


def is_safe_output_path(relative: str) -> bool:
    """True when the posix path stays inside the output folder."""
    if not relative or relative.startswith("/") or "\\" in relative or "\x00" in relative:
        return False
    normal = posixpath.normpath(relative)
    return normal == relative and not normal.startswith("..")


def resolve_relative(source_dir: str, reference: str) -> str | None:
    """Site path of a link written relative to a content file, None if it leaves content/.

    A trailing slash (a link to a page folder) and any ?query or #fragment are kept.
    """
    parts = urlsplit(reference)
    joined = posixpath.normpath(posixpath.join(source_dir, parts.path))
    if joined == ".." or joined.startswith("../"):
        return None
    path = "/" if joined == "." else "/" + joined
    if parts.path.endswith("/") and not path.endswith("/"):
        path += "/"
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return path + query + fragment


_PLAIN_PATH = re.compile(r"[A-Za-z0-9/._~-]*")


def _encoded(path: str) -> str:
    # Slugs are plain ASCII already: skip the (slow) quoting for them.
    return path if _PLAIN_PATH.fullmatch(path) else quote(path, safe="/#?=&%~:@!$'()*+,;")


@dataclass(frozen=True)
class Urls:
    """Links for a site published at `base_url` (which ends with "/")."""

    base_url: str
    base_path: str
    # A sub-site published at an address of its own: the absolute URLs of the paths under
    # `scope` ("/ban-to-chuc/") are made from `scope_url` instead of `base_url`.
    scope: str = ""
    scope_url: str = ""

    def href(self, path: str) -> str:
        """The link used inside pages: site path under the base path, percent-encoded."""
        return self.base_path + _encoded(path.lstrip("/"))

    def absolute(self, path: str) -> str:
        """The full address, for feeds, sitemaps, canonical links and social metadata."""
        if self.scope_url and path.startswith(self.scope):
            return self.scope_url + _encoded(path[len(self.scope) :])
        return self.base_url + _encoded(path.lstrip("/"))

    def link(self, reference: str) -> str:
        """A link from front matter: site paths get the base path, other addresses stay."""
        if reference.startswith("/") and not reference.startswith("//"):
            return self.href(reference)
        return reference


def find_conflicts(
    entries: Iterable[tuple[str, str]], owners: dict[str, str] | None = None
) -> list[tuple[str, str, str]]:
    """(output path, first origin, second origin) for every output path claimed twice;
    `owners`: the paths claimed before these entries, by origin (filled in with them)."""
    owners = {} if owners is None else owners
    conflicts = []
    for output, origin in entries:
        first = owners.setdefault(output, origin)
        if first is not origin and first != origin:
            conflicts.append((output, first, origin))
    return conflicts
