"""Rendered Markdown may hold HTML, never script: the last word on what a body can contain.

Writers may put raw HTML in Markdown (an embedded map, a styled table), and attribute lists
(`{: .class }`) may set attributes. Neither may run script in a reader's browser: script-
bearing elements are dropped, `on…` handlers removed, and `javascript:`-like addresses
replaced by "#". Everything else passes byte for byte.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:image/svg")
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "data",
                            "background", "srcset", "cite"})  # fmt: skip
# Elements that run script or change how the whole page loads; their content goes too.
DROPPED_ELEMENTS = frozenset({"script", "style", "object", "embed", "applet", "base", "meta",
                              "link", "frame", "frameset", "noscript", "template"})  # fmt: skip


def is_unsafe_url(value: str) -> bool:
    """Browsers skip whitespace and control characters inside a scheme: so do we."""
    if "&" not in value and " " not in value and value.isprintable():
        squeezed = value.lower()  # the common case: nothing to decode or skip
    else:
        squeezed = "".join(ch for ch in html.unescape(value) if ord(ch) > 0x20).lower()
    return squeezed.startswith(UNSAFE_SCHEMES)


def is_unsafe_attribute(name: str, value: str | None) -> bool:
    name = name.lower()
    return name.startswith("on") or (
        name in URL_ATTRIBUTES and value is not None and is_unsafe_url(value)
    )


def clean_element(element: etree.Element) -> None:
    """Make one element of the Markdown tree harmless (attributes set by attribute lists)."""
    for name in [n for n, value in element.attrib.items() if is_unsafe_attribute(n, value)]:
        if name.lower().startswith("on"):
            del element.attrib[name]
        else:
            element.set(name, "#")


def clean_html(fragment: str) -> str:
    """Raw HTML from Markdown without script; unchanged when it had none."""
    if "<" not in fragment and "&" not in fragment:
        return fragment
    cleaner = _Cleaner()
    cleaner.feed(fragment)
    cleaner.close()
    return "".join(cleaner.parts)


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []
        self.dropping: list[str] = []  # open dropped elements whose content is skipped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, self.get_starttag_text() or "", closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, self.get_starttag_text() or "", closed=True)

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], text: str, closed: bool) -> None:
        if tag in DROPPED_ELEMENTS:
            if not closed and tag not in ("base", "meta", "link", "embed"):
                self.dropping.append(tag)
            return
        if self.dropping:
            return
        if not any(is_unsafe_attribute(name, value) for name, value in attrs):
            self.parts.append(text)
            return
        kept = []
        for name, value in attrs:
            if name.lower().startswith("on"):
                continue
            if is_unsafe_attribute(name, value):
                value = "#"
            kept.append(name if value is None else f'{name}="{html.escape(value)}"')
        self.parts.append(f"<{tag}{''.join(' ' + a for a in kept)}{' /' if closed else ''}>")

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag not in DROPPED_ELEMENTS:
            self.parts.append(f"</{tag}>")

    def _text(self, text: str) -> None:
        if not self.dropping:
            self.parts.append(text)

    def handle_data(self, data: str) -> None:
        self._text(data)

    def handle_entityref(self, name: str) -> None:
        self._text(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._text(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self._text(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._text(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._text(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._text(f"<![{data}]>")
