"""Rendered Markdown may hold HTML, never script: the last word on what a body can contain.

Writers may put raw HTML in Markdown (a pasted table, a map) and attribute lists (`{: .x }`)
may set attributes. A body that can hold either is cleaned as a whole by nh3 (Ammonia, which
parses with html5ever, the HTML5 algorithm browsers use) against an allowlist: elements and
attributes that news content needs, addresses of the schemes in URL_SCHEMES, and iframes
only from the hosts the site lists (sandboxed, lazy). Anything else is dropped and reported,
so that the writer learns what disappeared (`locate_drops`). A blocklist over another parser
keeps missing what a browser reads differently (comments, CDATA, raw text, svg/math).
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

# Schemes a link or image address may have; an address without a scheme is relative. The
# private scheme is sitegen's own placeholder for links to articles (mdext.SOURCE_LINK_SCHEME).
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_PLACEHOLDER_SCHEME = "sitegen-source"

# What news content needs, and everything sitegen's Markdown makes (footnotes, heading ids,
# scrollable tables, highlighted code, figures).
ELEMENTS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})  # fmt: skip
ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"class", "id", "title", "lang", "dir", "style"}),
    "a": frozenset({"href", "hreflang", "rel", "target"}),
    "img": frozenset({"src", "alt", "width", "height", "loading", "decoding"}),
    "div": frozenset({"role", "tabindex", "aria-label"}),  # sitegen's scrollable tables
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "abbr"}),
    "col": frozenset({"span"}), "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}), "li": frozenset({"value"}),
    "details": frozenset({"open"}), "time": frozenset({"datetime"}),
    "blockquote": frozenset({"cite"}), "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}), "ins": frozenset({"cite", "datetime"}),
    "iframe": frozenset({"src", "title", "width", "height", "allow", "allowfullscreen",
                         "referrerpolicy"}),
}  # fmt: skip
# Style attributes keep these properties only (table alignment, sizes); pasted content
# carries many more (Word's mso-*), which are removed without a warning.
STYLE_PROPERTIES = frozenset({"text-align", "vertical-align", "width", "height", "white-space"})
ALLOWLIST_HINT = "allowed HTML, and how a site allows more: docs/templates.md, 'Raw HTML'"
IFRAME_SANDBOX = "allow-scripts allow-same-origin allow-popups allow-presentation"
# Dropped with their content, not just their tags: their text is never meant to be shown.
_DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "object", "applet"})
# Never allowed, whatever config.yaml says: they run script, load other documents, change how
# the page loads, or parse their content in ways that let markup hide (raw text, svg/math).
FORBIDDEN_ELEMENTS = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
    "meta", "link", "template", "noscript", "noembed", "noframes", "xmp", "plaintext",
    "textarea", "title", "svg", "math", "html", "head", "body", "form", "portal",
})  # fmt: skip
FORBIDDEN_ATTRIBUTES = frozenset({"srcdoc", "formaction", "action", "xmlns", "is", "srcset"})

_CENSUS_SCHEMES = URL_SCHEMES | {_PLACEHOLDER_SCHEME, "javascript", "vbscript", "data", "file"}
_URL_ATTRIBUTES = frozenset({"href", "src", "cite"})  # allowed, so dropped only for the scheme
_TAG_NAME = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]*)")
_IFRAME = re.compile(r'<iframe((?:\s+[^\s"=>]+(?:="[^"]*")?)*)\s*>.*?</iframe>', re.DOTALL)
_SRC = re.compile(r'\ssrc="([^"]*)"')
_URL_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_IGNORED_IN_URL = re.compile(r"[\t\n\r]")
_LEADING_IN_URL = "".join(map(chr, range(0x21)))  # controls and space


@dataclass(frozen=True)
class HtmlPolicy:
    """What a site allows besides sitegen's allowlist (config.yaml's `html:` block)."""

    elements: tuple[str, ...] = ()
    attributes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (element or "*", names)
    iframe_hosts: tuple[str, ...] = ()  # "www.youtube-nocookie.com" or "*.example.org"

    def allowed_elements(self) -> frozenset[str]:
        # iframes pass nh3 and are then kept or dropped by their host (_checked_frame)
        return ELEMENTS | set(self.elements) | {"iframe"}

    def allowed_attributes(self) -> dict[str, set[str]]:
        allowed = {tag: set(names) for tag, names in ATTRIBUTES.items()}
        for tag, names in self.attributes:
            allowed.setdefault(tag, set()).update(names)
        return allowed


@dataclass(frozen=True)
class Dropped:
    """What cleaning took out of a body: an element, or an attribute of `element`."""

    name: str
    element: str = ""  # set for an attribute
    count: int = 1
    note: str = ""  # why, when more can be said (an iframe's host)
    host: str = ""  # a dropped iframe's host, to find its line

    def describe(self) -> str:
        if self.element:
            why = " (its address has a scheme that is not allowed)" if self.note else ""
            return f"dropped {self.name} attribute of <{self.element}>{why}"
        if self.note:
            return f"dropped <{self.name}> {self.note}"
        if self.name in _DROPPED_WITH_CONTENT:
            return f"dropped <{self.name}> element and its content"
        return f"dropped <{self.name}> tag (its content is kept)"


def is_unsafe_url(value: str) -> bool:
    """An address whose scheme is not allowed, read as a browser reads it: entities decoded,
    leading controls and spaces skipped, tabs and newlines anywhere ignored."""
    if "&" in value:
        value = html.unescape(value)
    if not value.isprintable() or value.startswith(" "):
        value = _IGNORED_IN_URL.sub("", value.lstrip(_LEADING_IN_URL))
    scheme = _URL_SCHEME.match(value)
    return scheme is not None and scheme[1].lower() not in URL_SCHEMES


def needs_cleaning(markdown_text: str) -> bool:
    """Only raw HTML ("<") and attribute lists ("{") let a writer choose markup; a body without
    both holds nothing but what sitegen's Markdown makes, with its addresses checked."""
    return "<" in markdown_text or "{" in markdown_text


class CleaningFailed(Exception):
    """nh3 stopped on a fragment (a panic in Ammonia): the file is reported, the run goes on."""


def clean_body(fragment: str, policy: HtmlPolicy) -> tuple[str, tuple[Dropped, ...]]:
    """The fragment as the allowlist lets it through, and what was dropped from it."""
    try:
        cleaned = _cleaner(policy).clean(fragment)
        everything = _census(fragment, policy)
    except BaseException as error:  # a Rust panic is a BaseException; nothing else is caught
        if type(error).__name__ != "PanicException":
            raise
        raise CleaningFailed(f"nh3 could not clean its HTML: {error}") from None
    dropped = () if everything == cleaned else _difference(everything, cleaned)
    if "<iframe" in cleaned:
        frames: list[Dropped] = []
        cleaned = _IFRAME.sub(lambda m: _checked_frame(m, policy, frames), cleaned)
        dropped = tuple(frames) + dropped
    return cleaned, dropped


@functools.lru_cache(maxsize=8)
def _cleaner(policy: HtmlPolicy) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(policy.allowed_elements()),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes=policy.allowed_attributes(),
        strip_comments=True,
        link_rel=None,  # rel is the writer's; browsers imply noopener for target=_blank
        url_schemes=set(URL_SCHEMES | {_PLACEHOLDER_SCHEME}),
        filter_style_properties=set(STYLE_PROPERTIES),
    )


def _census(fragment: str, policy: HtmlPolicy) -> str:
    """The fragment as html5ever reads it with nothing taken out (only to see what cleaning
    dropped): every element and attribute, any scheme. Same output as the cleaner's when the
    allowlist let everything through."""
    tags = frozenset(m.lower() for m in _TAG_NAME.findall(fragment)) - policy.allowed_elements()
    schemes = frozenset(m.lower() for m in _URL_SCHEME.findall(fragment)) - _CENSUS_SCHEMES
    return _census_cleaner(policy, tags, schemes).clean(fragment)


@functools.lru_cache(maxsize=256)
def _census_cleaner(
    policy: HtmlPolicy, tags: frozenset[str], schemes: frozenset[str]
) -> nh3.Cleaner:
    """A census for fragments with these elements and schemes besides the allowed ones: most
    fragments have none, so a few cleaners serve a whole build."""
    tags = policy.allowed_elements() | tags
    # Ammonia filters style attributes only while <style> elements are not allowed.
    styles = set(STYLE_PROPERTIES) if "style" not in tags else None
    return nh3.Cleaner(
        tags=set(tags),
        clean_content_tags=set(),
        attributes={},
        generic_attribute_prefixes={""},
        strip_comments=True,
        link_rel=None,
        url_schemes=set(_CENSUS_SCHEMES | schemes),
        filter_style_properties=styles,
    )


def _checked_frame(match: re.Match[str], policy: HtmlPolicy, dropped: list[Dropped]) -> str:
    """An iframe stays when its address is https on a listed host; its content never does."""
    src = _SRC.search(match[1])
    address = html.unescape(src[1]) if src else ""
    parts = urlsplit(address)
    host = (parts.hostname or "") if parts.scheme == "https" else ""
    if host and is_listed_host(host, policy.iframe_hosts):
        # Added here, in this order: nh3's set_tag_attribute_values orders them at random.
        return f'<iframe{match[1]} sandbox="{IFRAME_SANDBOX}" loading="lazy"></iframe>'
    note = (
        f"from {host}: add '{host}' to html.iframe_hosts in config.yaml if it is trusted"
        if host
        else "without an https address on a listed host (html.iframe_hosts in config.yaml)"
    )
    dropped.append(Dropped("iframe", note=note, host=host))
    return ""


def is_listed_host(host: str, hosts: tuple[str, ...]) -> bool:
    host = host.lower()
    for listed in hosts:
        if listed.startswith("*."):
            if host.endswith(listed[1:]):
                return True
        elif host == listed:
            return True
    return False


def _difference(everything: str, cleaned: str) -> tuple[Dropped, ...]:
    """Elements and attributes in `everything` but not in `cleaned`, in the order first seen."""
    before, after = _tags(everything), _tags(cleaned)
    lost = Counter(tag for tag, _ in before) - Counter(tag for tag, _ in after)
    dropped = [Dropped(tag, count=count) for tag, count in lost.items()]
    dropped = [d for d in dropped if d.name != "iframe"]  # reported by _checked_frame
    attributes: Counter[tuple[str, str]] = Counter()
    for tag in dict.fromkeys(tag for tag, _ in before):
        if tag in lost:
            continue  # its elements and their attributes cannot be paired up
        kept = [names for name, names in after if name == tag]
        seen = [names for name, names in before if name == tag]
        for old, new in zip(seen, kept, strict=False):
            attributes.update((tag, name) for name in old if name not in new)
    dropped += [
        Dropped(name, tag, count, "scheme" if name in _URL_ATTRIBUTES else "")
        for (tag, name), count in attributes.items()
    ]
    return tuple(dropped)


def _tags(fragment: str) -> list[tuple[str, tuple[str, ...]]]:
    """(element, attribute names) of each start tag of a fragment serialized by html5ever."""
    reader = _TagReader()
    reader.feed(fragment)
    reader.close()
    return reader.tags


class _TagReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(name for name, _ in attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def locate_drops(
    dropped: tuple[Dropped, ...], source: str, first_line: int
) -> list[tuple[int, str]]:
    """(line, message) per line of `source` (a Markdown body starting at `first_line`) that
    held something dropped: where its tag or attribute is written, else the body's first line."""
    by_line: dict[int, list[str]] = {}
    resume: dict[str, int] = {}
    for item in dropped:
        if item.element:
            pattern = rf"<{re.escape(item.element)}\b[^>]*?[\s\"'/]{re.escape(item.name)}\b"
            fallback = rf"[\s\"'/{{]{re.escape(item.name)}\s*="
        elif item.host:
            pattern = rf"<{re.escape(item.name)}\b[^>]*?{re.escape(item.host)}"
            fallback = rf"<{re.escape(item.name)}\b"
        else:
            pattern = fallback = rf"<{re.escape(item.name)}\b"
        for _ in range(item.count):
            found = _find(pattern, source, resume)
            if found is None:
                found = _find(fallback, source, resume)
            line = first_line + source.count("\n", 0, found) if found is not None else first_line
            messages = by_line.setdefault(line, [])
            if item.describe() not in messages:
                messages.append(item.describe())
    return [
        (line, f"raw HTML: {'; '.join(texts)} ({ALLOWLIST_HINT})")
        for line, texts in sorted(by_line.items())
    ]


def _find(pattern: str, source: str, resume: dict[str, int]) -> int | None:
    """Start of the next match of `pattern` after the last one found (case-insensitive)."""
    match = re.compile(pattern, re.IGNORECASE).search(source, resume.get(pattern, 0))
    if match is None:
        return None
    resume[pattern] = match.end()
    return match.start()


def content_security_policy(hosts: tuple[str, ...]) -> str:
    """The default theme's policy: script only from the site's own files, no plugins, no
    <base>, frames only from the listed hosts, images from anywhere over https. Inline
    style attributes stay allowed: Markdown aligns table columns with them, and CSS cannot
    run script."""
    frames = " ".join(f"https://{host}" for host in hosts) or "'none'"
    return (
        "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; img-src 'self' https:; media-src 'self' https:; "
        f"style-src 'self' 'unsafe-inline'; frame-src {frames}"
    )
