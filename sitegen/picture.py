"""Rendered pages -> pages that show photos by their variants.

Every `<img>` whose src is a photo of the PhotoSet becomes a `<picture>`: a `<source>` per
modern format, and the `<img>` with the JPEG or PNG srcset, `sizes`, `width` and `height`
(no layout shift). It works on any template's HTML, so a site's own layouts need nothing
special; a template asks for the card crop with `data-variant="card"`. The first photo of
`<main>` is fetched first (fetchpriority="high"), later ones lazily; photos before `<main>`
(a banner) load as usual. Links to a photo (`<a href>`) point at its largest variant.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from .imageconfig import ImageSettings
from .imaging import MIME
from .model import Photo, PhotoSet, Site
from .recent import Recent
from .urls import Urls

# An <img> tag, or the link of an <a>, <area> or <link> (group 1; its value, group 2) whose
# value ends in a photo's extension. Each match begins with "<", which the regex engine finds
# fast: a pattern that may match anywhere ("\bhref=...") tries every character of the page.
_PHOTO_MARKUP = re.compile(
    r"<(?:img\s[^>]*>|(?:a|area|link)\s[^>]*?\b(href=\"([^\"]*\.(?:jpe?g|png|webp))\"))",
    re.IGNORECASE,
)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
# Attributes the <picture> sets itself; any others of the <img> (alt, class) are kept.
_SET_HERE = frozenset({"src", "srcset", "sizes", "width", "height", "loading", "fetchpriority",
                       "decoding", "data-variant"})  # fmt: skip
FALLBACKS = ("jpeg", "png")
# How wide photos are shown by the default theme: the article column, or a card.
FULL_SIZES = "(min-width: 46rem) 44rem, 100vw"
CARD_SIZES = "(min-width: 40em) 36rem, 7.5rem"
_DEFAULT_WIDTH = 960  # the src of browsers without srcset: the variant nearest below it
PICTURES_KEPT = 4096  # <picture> elements a PhotoMarkup keeps, or twice as many (recent.py)


class PhotoMarkup:
    """Rewrites the photos of one site's pages and feeds; made once per rendering process."""

    def __init__(self, photos: PhotoSet, urls: Urls, settings: ImageSettings):
        self.photos = photos
        self.urls = urls
        self.settings = settings
        self._base = urls.base_path
        # The <picture> of each <img> tag and priority ("" for none), of those used last:
        # listings show the same cards on page after page.
        self._pictures: Recent[tuple[str, str], str] = Recent(PICTURES_KEPT)

    def page(self, page: str) -> str:
        if not self.photos.by_path:
            return page
        main = page.find("<main")
        own_pictures = "<picture" in page
        seen_in_main = False
        parts: list[str] = []
        last = 0
        for match in _PHOTO_MARKUP.finditer(page):
            start = match.start()
            if match[1] is not None:
                start = match.start(1)
                replacement = self._link(match[2])
            elif own_pictures and _inside_picture(page, start):
                replacement = None  # a template's own <picture>: it chose its sources
            else:
                in_main = main == -1 or start > main
                priority = "lazy" if seen_in_main else "high" if in_main else "eager"
                replacement = self._picture(match[0], priority)
                seen_in_main = seen_in_main or (replacement is not None and in_main)
            if replacement is not None:
                parts += [page[last:start], replacement]
                last = match.end()
        return "".join(parts) + page[last:] if parts else page

    def feed(self, fragment: str) -> str:
        """Photos of an article's HTML for a feed: one variant each, with its size."""
        if not self.photos.by_path:
            return fragment

        def swap(match: re.Match[str]) -> str:
            if match[1] is not None:
                link = self._link(match[2])
                return match[0] if link is None else match[0][: -len(match[1])] + link
            attributes = _attributes(match[0])
            photo = self._photo_at(_value(attributes, "src"))
            if photo is None:
                return match[0]
            path, variant = _default(photo.of_kind("full", _fallback_of(photo)))
            kept = [(n, v) for n, v in attributes if n not in _SET_HERE]
            shown = [("src", self._href(path)), ("width", str(variant.width)),
                     ("height", str(variant.height)), *kept]  # fmt: skip
            return _tag("img", shown)

        return _PHOTO_MARKUP.sub(swap, fragment)

    def social(self, src: str) -> str:
        """The link for og:image of the photo at `src`: its 1200-pixel JPEG or PNG."""
        photo = self._photo_at(src)
        if photo is None:
            return src
        variants = [*photo.of_kind("full", _fallback_of(photo)), *photo.of_kind("social")]
        fitting = [e for e in variants if e[1].width <= self.settings.social_width] or variants
        return self.urls.href(max(fitting, key=lambda entry: entry[1].width)[0])

    def _picture(self, tag: str, priority: str) -> str | None:
        key = (tag, priority)
        picture = self._pictures.recall(key)
        if picture is None:
            picture = self._new_picture(tag, priority) or ""
            self._pictures.keep(key, picture)
        return picture or None

    def _new_picture(self, tag: str, priority: str) -> str | None:
        attributes = _attributes(tag)
        photo = self._photo_at(_value(attributes, "src"))
        if photo is None:
            return None
        wanted = "card" if _value(attributes, "data-variant") == "card" else "full"
        kind = wanted if photo.of_kind(wanted) else "full"
        sizes = _value(attributes, "sizes") or (CARD_SIZES if kind == "card" else FULL_SIZES)
        fallback = photo.of_kind(kind, _fallback_of(photo))
        largest = fallback[-1][1]
        sources = [
            f'<source type="{MIME[name]}" srcset="{self._srcset(photo.of_kind(kind, name))}" '
            f'sizes="{sizes}">'
            for name in self.settings.formats
            if photo.of_kind(kind, name)
        ]
        loading = {"high": [("fetchpriority", "high")], "lazy": [("loading", "lazy")]}
        shown = [("src", self._href(_default(fallback)[0])),
                 ("srcset", self._srcset(fallback)), ("sizes", sizes),
                 ("width", str(largest.width)), ("height", str(largest.height)),
                 *[(n, v) for n, v in attributes if n not in _SET_HERE],
                 *loading.get(priority, []), ("decoding", "async")]  # fmt: skip
        return f"<picture>{''.join(sources)}{_tag('img', shown)}</picture>"

    def _link(self, href: str) -> str | None:
        if self.settings.keep_originals:
            return None
        photo = self._photo_at(href)
        if photo is None:
            return None
        largest = photo.of_kind("full", _fallback_of(photo))[-1][0]
        return f'href="{self._href(largest)}"'

    def _srcset(self, variants) -> str:
        return ", ".join(f"{self._href(path)} {v.width}w" for path, v in variants)

    def _href(self, output_path: str) -> str:
        """A variant's link as an attribute value: a file name may hold "&" or a quote."""
        return html.escape(self.urls.href(output_path))

    def _photo_at(self, src: str | None) -> Photo | None:
        if not src:
            return None
        value = html.unescape(src) if "&" in src else src
        if not value.startswith(self._base):
            return None
        path = "/" + value[len(self._base) :].partition("#")[0].partition("?")[0]
        return self.photos.get(unquote(path))


def social_link(site: Site, src: str) -> str:
    """The link for og:image of the photo at `src` of `site`'s pages."""
    return PhotoMarkup(site.photos, site.urls, site.config.images).social(src)


def _inside_picture(page: str, at: int) -> bool:
    return page.rfind("<picture", 0, at) > page.rfind("</picture>", 0, at)


def _fallback_of(photo: Photo) -> str:
    return next((v.format for _, v in photo.variants if v.format in FALLBACKS), "jpeg")


def _default(variants):
    """The variant nearest below the default width, for src."""
    below = [entry for entry in variants if entry[1].width <= _DEFAULT_WIDTH]
    return below[-1] if below else variants[0]


def _attributes(tag: str) -> list[tuple[str, str | None]]:
    """(name, raw value as written, still escaped) of each attribute of a start tag."""
    inner = tag[4:-1].rstrip("/ ")  # after "<img"
    found = []
    for match in _ATTRIBUTE.finditer(inner):
        value = next((v for v in match.groups()[1:] if v is not None), None)
        found.append((match[1].lower(), value))
    return found


def _value(attributes: list[tuple[str, str | None]], name: str) -> str | None:
    return next((v for n, v in attributes if n == name), None)


def _tag(name: str, attributes: list[tuple[str, str | None]]) -> str:
    written = " ".join(n if v is None else f'{n}="{v.replace(chr(34), "&quot;")}"'
                       for n, v in attributes)  # fmt: skip
    return f"<{name} {written}>"
