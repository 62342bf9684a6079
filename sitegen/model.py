"""The site model: plain, picklable dataclasses passed between the stages."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .config import SiteConfig
from .urls import Urls


@dataclass(frozen=True)
class Image:
    src: str  # link, ready for src=""
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class Variant:
    name: str  # file name in the photo's cache folder: "960.webp", "640x427.jpg"
    width: int
    height: int
    format: str  # key of MIME
    kind: str  # "full" (the photo whole), "card" (cropped to the card's shape) or "social"


@dataclass(frozen=True)
class Photo:
    site_path: str  # "/tin/anh.jpg", decoded: how pages' links are matched to it
    width: int  # upright
    height: int
    key: str  # names its variants; changes with its bytes and the settings
    variants: tuple[tuple[str, Variant], ...] = ()  # (output path, variant), smallest first

    def of_kind(self, kind: str, format_name: str | None = None) -> list[tuple[str, Variant]]:
        return [(path, v) for path, v in self.variants
                if v.kind == kind and (format_name is None or v.format == format_name)]  # fmt: skip


@dataclass
class PhotoSet:
    """Every photo published as variants, by site path; what pages and feeds link to."""

    by_path: dict[str, Photo] = field(default_factory=dict)
    site_wide: tuple[str, ...] = ()  # site paths of the photos of static/: any page may show them

    def get(self, site_path: str) -> Photo | None:
        return self.by_path.get(site_path)

    def variant_paths(self) -> set[str]:
        return {path for photo in self.by_path.values() for path, _ in photo.variants}

    def stamp(self, site_paths: Iterable[str]) -> str:
        """Changes whenever a variant of one of these photos does: for page signatures."""
        return " ".join(p.key for p in map(self.by_path.get, site_paths) if p is not None)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    description: str
    path: str
    feed_path: str


@dataclass(frozen=True)
class Term:
    """A tag or an author: one identity whatever the case or Unicode form it was written in."""

    kind: str  # "tag" or "author"
    key: str  # folded name, the identity
    name: str  # the spelling shown
    slug: str
    path: str


@dataclass(frozen=True)
class Article:
    source_path: str
    title: str
    slug: str
    path: str
    date: dt.datetime
    section_key: str
    author_keys: tuple[str, ...]
    tag_keys: tuple[str, ...]
    summary_html: str
    summary_text: str
    content_key: str  # where the cache keeps the body HTML and table of contents
    card_key: str  # hash of everything a listing can show of the article (not its body)
    updated: dt.datetime | None = None
    organisation: str | None = None
    image: Image | None = None
    params: dict[str, Any] = field(default_factory=dict)
    linked: tuple[str, ...] = ()  # source paths of the articles its Markdown links to (links.py)
    photos: tuple[str, ...] = ()  # site paths of the photos it shows or links to ("/tin/a.jpg")


@dataclass(frozen=True)
class Page:
    """One page to render: which template, at which path, showing which articles."""

    kind: str  # "home", "article", "section", "tag", "author", "404"
    path: str
    template: str
    key: str = ""  # the article's source path, or the section's or term's key
    number: int = 1
    total: int = 1
    items: tuple[str, ...] = ()  # source paths of the articles listed on this page
    first_path: str = ""  # page 1 of the listing
    subsite: str = ""  # key of the sub-site it belongs to; "" for a site's or portal's own


@dataclass(frozen=True)
class OutputFile:
    output_path: str  # posix path under the output folder
    data: bytes
    origin: str  # what made it, for conflict messages
    # A default of sitegen's that the site's own file at the same path replaces (robots.txt),
    # where two pages, feeds or sitemaps at one path are an error.
    overridable: bool = False

    @property
    def signature(self) -> str:
        """What the output manifests keep of it: the digest of its bytes (a PendingFile's
        stands for bytes not made yet)."""
        return hashlib.blake2b(self.data, digest_size=20).hexdigest()


class PendingFile:
    """An output file made only when it is written (a feed): `signature` changes whenever its
    bytes would, and stands for them in the output manifests."""

    overridable = False  # no default that a site's own file replaces
    __slots__ = ("output_path", "origin", "signature", "_make")  # a search index has 100,000

    def __init__(self, output_path: str, origin: str, signature: str,
                 make: Callable[[], bytes]):  # fmt: skip
        self.output_path = output_path
        self.origin = origin
        self.signature = signature
        self._make = make

    @property
    def data(self) -> bytes:
        """Made on each read, which the build does once, to write it: kept, the result files
        of a search index of 100,000 articles would hold 0.3 GB until the build ends."""
        return self._make()


@dataclass
class Site:
    """Everything the pages show, built once per build (or per sub-site)."""

    config: SiteConfig
    urls: Urls
    articles: dict[str, Article]  # by source path, newest first
    sections: dict[str, Section]  # by key, in config order
    tags: dict[str, Term]  # by key, in Vietnamese alphabetical order
    authors: dict[str, Term]
    by_section: dict[str, tuple[str, ...]]  # source paths, newest first
    by_tag: dict[str, tuple[str, ...]]
    by_author: dict[str, tuple[str, ...]]
    related: dict[str, tuple[str, ...]]
    older: dict[str, str | None]  # previous article of the same section
    newer: dict[str, str | None]
    pages: list[Page] = field(default_factory=list)
    # In a portal: its settings (the list of sub-sites, for templates), and the path of each
    # article of the other sub-sites, for the links writers make to them.
    portal: SiteConfig | None = None
    linkable: dict[str, str] = field(default_factory=dict)
    photos: PhotoSet = field(default_factory=PhotoSet)  # set once the photos are made
