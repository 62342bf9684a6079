"""Document -> Rendered: Markdown to HTML with tables, footnotes, heading ids, figures and Pygments."""

from __future__ import annotations

import functools
import html
import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from urllib.parse import urlsplit

import markdown
import pygments
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from . import __version__
from .i18n import ui_strings
from .parse import Document
from .text import slugify
from .urls import resolve_relative

_LEAD_MARK = "sitegen-lead-mark"
_LEAD = re.compile(rf'<p class="{_LEAD_MARK}">(.*?)</p>\n?', re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


@dataclass(frozen=True)
class Rendered:
    source_path: str
    content_html: str  # the body, without the lead when the lead was its first paragraph
    lead_html: str  # the summary from front matter, or the body's first paragraph; may be ""
    summary_text: str  # the lead as plain text, for listings and meta descriptions
    toc_html: str  # nested list of the headings, "" when there are none
    content_key: str = ""  # set by the pipeline: the cache key of content_html and toc_html


@dataclass(frozen=True)
class RenderSettings:
    base_path: str = "/"  # prefixed to site-absolute links ("/images/a.jpg")
    language: str = "en"

    def fingerprint(self) -> str:
        """Everything besides the source text that changes the HTML; part of the cache key."""
        return (
            f"sitegen {__version__}; markdown {markdown.__version__}; "
            f"pygments {pygments.__version__}; {self.base_path}; {self.language}"
        )


def render_document(document: Document, settings: RenderSettings) -> Rendered:
    md = _markdown(settings)
    md.reset()
    md.sitegen_source_dir = posixpath.dirname(document.source_path)  # type: ignore[attr-defined]
    md.sitegen_take_lead = document.summary is None  # type: ignore[attr-defined]
    body_html = md.convert(document.body)
    toc_html = md.toc if getattr(md, "toc_tokens", None) else ""  # type: ignore[attr-defined]
    if document.summary is not None:
        md.reset()
        md.sitegen_take_lead = False  # type: ignore[attr-defined]
        lead_html = md.convert(document.summary)
    else:
        lead_html, body_html = _split_lead(body_html)
    return Rendered(document.source_path, body_html, lead_html, html_to_text(lead_html), toc_html)


def html_to_text(fragment: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", fragment)).split())


def _split_lead(body_html: str) -> tuple[str, str]:
    match = _LEAD.search(body_html)
    if match is None:
        return "", body_html
    lead = f"<p>{match.group(1)}</p>"
    return lead, body_html[: match.start()] + body_html[match.end() :]


@functools.lru_cache(maxsize=4)
def _markdown(settings: RenderSettings) -> markdown.Markdown:
    """One Markdown converter per process and settings; `reset()` before each use."""
    back_title = ui_strings(settings.language)["footnote_back"]
    return markdown.Markdown(
        extensions=["extra", "codehilite", "toc", "sane_lists", _SitegenExtension(settings.base_path)],
        extension_configs={
            "extra": {"footnotes": {"BACKLINK_TITLE": back_title}},
            "codehilite": {"css_class": "codehilite", "guess_lang": False},
            "toc": {"slugify": slugify, "permalink": False, "toc_depth": "2-4"},
        },
        output_format="html",
    )


class _SitegenExtension(Extension):
    def __init__(self, base_path: str):
        super().__init__()
        self.base_path = base_path

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        # After inline patterns (20), before prettify (10).
        md.treeprocessors.register(_NewsTreeprocessor(md, self.base_path), "sitegen", 15)


class _NewsTreeprocessor(Treeprocessor):
    """Figures from titled images, the lead paragraph marked, links made safe and site-relative."""

    def __init__(self, md: markdown.Markdown, base_path: str):
        super().__init__(md)
        self.base_path = base_path

    def run(self, root: etree.Element) -> None:
        for index, child in enumerate(list(root)):
            if child.tag == "p" and _lone_titled_image(child) is not None:
                root[index] = _figure(child)
        if getattr(self.md, "sitegen_take_lead", False) and len(root) and root[0].tag == "p":
            root[0].set("class", _LEAD_MARK)
        for element in root.iter():
            self._fix_link(element, "href")
            self._fix_link(element, "src")
            if element.tag == "img":
                element.set("loading", "lazy")

    def _fix_link(self, element: etree.Element, attribute: str) -> None:
        value = element.get(attribute)
        if value is None:
            return
        squeezed = "".join(value.split()).lower()
        if squeezed.startswith(_UNSAFE_SCHEMES):
            element.set(attribute, "#")
        elif value.startswith("/") and not value.startswith("//"):
            element.set(attribute, self.base_path + value[1:])
        elif value and not value.startswith(("#", "?", "//")) and not urlsplit(value).scheme:
            # Relative to the Markdown file, whose page lives one folder deeper than it.
            source_dir = getattr(self.md, "sitegen_source_dir", "")
            resolved = resolve_relative(source_dir, value)
            if resolved is not None:
                element.set(attribute, self.base_path + resolved[1:])


def _lone_titled_image(paragraph: etree.Element) -> etree.Element | None:
    if len(paragraph) != 1 or (paragraph.text or "").strip():
        return None
    image = paragraph[0]
    if image.tag != "img" or not image.get("title") or (image.tail or "").strip():
        return None
    return image


def _figure(paragraph: etree.Element) -> etree.Element:
    image = paragraph[0]
    caption_text = image.attrib.pop("title")
    image.tail = None
    figure = etree.Element("figure")
    figure.append(image)
    caption = etree.SubElement(figure, "figcaption")
    caption.text = caption_text
    return figure
