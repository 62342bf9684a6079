"""sitegen's additions to Python-Markdown: figures, heading ids, safe links, faster paths."""

from __future__ import annotations

import functools
import hashlib
import html
import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

import markdown
from markdown import util
from markdown.blockparser import BlockParser
from markdown.extensions import Extension
from markdown.extensions.toc import unescape as unescape_backslashes
from markdown.extensions.toc import unique
from markdown.preprocessors import NormalizeWhitespace, Preprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from .sanitize import is_unsafe_url
from .text import slugify
from .urls import RASTER_SUFFIXES, resolve_relative

LEAD_MARK = "sitegen-lead-mark"
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_TOC_LEVELS = range(2, 5)
_STASHED = re.compile(r"\x02wzxhzdk:(\d+)\x03")
# A link to another source file is written with this private scheme at render time (cached
# per source) and swapped for the article's URL when a page is made (links.resolve_placeholders).
SOURCE_LINK_SCHEME = "sitegen-source:"
_SOURCE_SUFFIXES = (".md", ".markdown")  # discover.MARKDOWN_SUFFIXES


@dataclass(frozen=True)
class Reference:
    """A link written in Markdown to a file under content/: an article (.md) or another file."""

    target: str  # posix path under content/, e.g. "tin-hoat-dong/hoi-nghi.md"
    fragment: str = ""  # the #anchor, without "#", as written
    line: int = 0  # line of the source file; 0 until render_document has found it
    written: str = ""  # the link as Markdown gave it, to find its line
    # A photo written as a site path ("/images/a.jpg"): recorded so that it is resized, but
    # not checked, since such a path may name a file published beside the site.
    checked: bool = True

    @property
    def is_article(self) -> bool:
        return self.target.lower().endswith(_SOURCE_SUFFIXES)


class NewsExtension(Extension):
    """Per-document state lives on the Markdown instance, set by render_document before convert:
    `sitegen_source_dir` (folder of the file, for relative links), `sitegen_take_lead`, and
    `sitegen_references` (a list the links to other content files are appended to).
    """

    def __init__(self, base_path: str, table_label: str, shortcuts: bool = True):
        super().__init__()
        self.base_path = base_path
        self.table_label = table_label
        self.shortcuts = shortcuts  # False only to check that they change nothing (tests)

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        if self.shortcuts:
            md.treeprocessors.register(FastInlineProcessor(md), "inline", 20)
            _skip_idle_stages(md)
        # After the inline pass (20), before prettify (10).
        md.treeprocessors.register(
            NewsTreeprocessor(md, self.base_path, self.table_label), "sitegen", 15
        )
        # Raw HTML and attribute lists are not checked here: render_document cleans the
        # whole body HTML (sanitize.clean_body), as the browser will read it.


class NewsTreeprocessor(Treeprocessor):
    """Figures from titled images, the lead marked, tables made scrollable, links made safe,
    heading ids made and the table of contents collected (`md.sitegen_toc`)."""

    def __init__(self, md: markdown.Markdown, base_path: str, table_label: str):
        super().__init__(md)
        self.base_path = base_path
        self.table_label = table_label

    def run(self, root: etree.Element) -> None:
        for index, child in enumerate(list(root)):
            if child.tag == "p" and _lone_titled_image(child) is not None:
                root[index] = _figure(child)
            elif child.tag == "table":
                root[index] = self._scrollable(child)
        if getattr(self.md, "sitegen_take_lead", False) and len(root) and _is_prose(root[0]):
            root[0].set("class", LEAD_MARK)
        used_ids = {element.get("id") for element in root.iter() if element.get("id")}
        headings: list[tuple[int, str, str]] = []
        for element in root.iter():
            if element.attrib:  # most elements (p, li, td) have none
                self._fix_link(element, "href")
                self._fix_link(element, "src")
            if element.tag == "img":
                element.set("loading", "lazy")
            elif element.tag in _HEADINGS:
                headings.append(self._heading(element, used_ids))
        self.md.sitegen_toc = toc_html(headings)  # type: ignore[attr-defined]

    def _scrollable(self, table: etree.Element) -> etree.Element:
        """Wide tables scroll inside a focusable region, so keyboard users can scroll them too."""
        attributes = {"class": "table-scroll", "role": "region", "tabindex": "0",
                      "aria-label": self.table_label}  # fmt: skip
        wrapper = etree.Element("div", attributes)
        wrapper.tail, table.tail = table.tail, None
        wrapper.append(table)
        return wrapper

    def _heading(self, element: etree.Element, used_ids: set[str]) -> tuple[int, str, str]:
        name = self._plain_text(element)
        if "id" not in element.attrib:
            element.set("id", unique(slugify(name), used_ids))
        return _HEADINGS[element.tag], element.get("id", ""), name

    def _plain_text(self, element: etree.Element) -> str:
        text = _STASHED.sub(self._unstash, "".join(_heading_texts(element)))
        return " ".join(html.unescape(unescape_backslashes(text)).split())

    def _unstash(self, match: re.Match[str]) -> str:
        blocks = self.md.htmlStash.rawHtmlBlocks
        index = int(match.group(1))
        raw = str(blocks[index]) if index < len(blocks) else ""
        return re.sub(r"<[^>]+>", "", raw)

    def _fix_link(self, element: etree.Element, attribute: str) -> None:
        value = element.get(attribute)
        if value is not None:
            source_dir = getattr(self.md, "sitegen_source_dir", "")
            references = getattr(self.md, "sitegen_references", None)
            fixed = link_target(value, source_dir, self.base_path, references)
            if fixed is not value:
                element.set(attribute, fixed)


def link_target(
    value: str, source_dir: str, base_path: str, references: list[Reference] | None
) -> str:
    """What a link or image address written in Markdown becomes in the page: "#" when unsafe,
    site paths under the base path, paths relative to the source file resolved. A link to
    another content file is appended to `references`; an article's becomes a placeholder.
    Returns `value` itself when it stays as written."""
    if is_unsafe_url(value):
        return "#"
    if value.startswith("/") and not value.startswith("//"):
        return _reference(value, value, False, references) or base_path + value[1:]
    if value and not value.startswith(("#", "?", "//")) and not urlsplit(value).scheme:
        # Relative to the Markdown file, whose page lives one folder deeper than it.
        resolved = resolve_relative(source_dir, value)
        if resolved is not None:
            return _reference(value, resolved, True, references) or base_path + resolved[1:]
    return value


def _reference(
    written: str, site_path: str, relative: bool, references: list[Reference] | None
) -> str | None:
    """Record a link to a content file; for an article, the placeholder to write instead."""
    parts = urlsplit(site_path)
    target = unquote(parts.path.lstrip("/"))
    is_article = target.lower().endswith(_SOURCE_SUFFIXES)
    # Other files are checked only when written relative to the file: a site path may
    # name a file of static/ or one published beside the site.
    checked = is_article or (relative and _has_extension(target))
    if not checked and not target.lower().endswith(RASTER_SUFFIXES):
        return None
    if references is not None:
        references.append(Reference(target, parts.fragment, 0, written, checked))
    if not is_article:
        return None
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"{SOURCE_LINK_SCHEME}{quote(target, safe='/')}{query}{fragment}"


def _has_extension(path: str) -> bool:
    name = posixpath.basename(path)
    return bool(name) and "." in name.strip(".")


def _is_prose(element: etree.Element) -> bool:
    """A real paragraph, not one that only holds a stashed block (fenced code, raw HTML)."""
    if element.tag != "p":
        return False
    return len(element) > 0 or not _STASHED.fullmatch((element.text or "").strip())


def _heading_texts(element: etree.Element):
    """Text of a heading and its inline children, without footnote marks."""
    if element.text:
        yield element.text
    for child in element:
        if not (child.tag == "sup" and str(child.get("id", "")).startswith("fnref")):
            yield from _heading_texts(child)
        if child.tail:
            yield child.tail


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
    figure.tail = paragraph.tail
    figure.append(image)
    caption = etree.SubElement(figure, "figcaption")
    caption.text = caption_text
    return figure


def toc_html(headings: list[tuple[int, str, str]]) -> str:
    """Nested <ul> of the h2-h4 headings; "" when there are none."""
    parts: list[str] = []
    open_levels: list[int] = []  # level of each open <ul>
    for level, anchor, name in headings:
        if level not in _TOC_LEVELS:
            continue
        if not open_levels or level > open_levels[-1]:
            parts.append("<ul>")  # inside the open <li>, if any
            open_levels.append(level)
        else:
            parts.append("</li>")
            while len(open_levels) > 1 and level < open_levels[-1]:
                parts.append("</ul></li>")
                open_levels.pop()
        parts.append(f'<li><a href="#{html.escape(anchor)}">{html.escape(name, quote=False)}</a>')
    if not open_levels:
        return ""
    parts.append("</li></ul>" + "</li></ul>" * (len(open_levels) - 1))
    return "".join(parts)


# Python-Markdown tries every inline pattern on every text node. Most prose has no markup
# at all, so a pattern whose opening character is absent from the text cannot match and is
# skipped. Same output, about a third less time per article (see docs/PERFORMANCE.md).
# Each entry: the characters a match must start with (any of them), one it must also hold
# (a link's "]": without it, a run of "[" costs time growing with its square), and a hash of
# the regular expression they were read from; a pattern that differs (another Python-Markdown)
# is always tried.
_PATTERN_TRIGGERS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "backtick": (("`",), "", "8405fa6e"), "escape": (("\\",), "", "234be750"),
    "reference": (("[",), "]", "f5cea237"), "link": (("[",), "]", "f5cea237"),
    "image_link": (("!",), "]", "d2c5630d"), "image_reference": (("!",), "]", "d2c5630d"),
    "short_reference": (("[",), "]", "f5cea237"), "short_image_ref": (("!",), "]", "d2c5630d"),
    "autolink": (("<",), ">", "78578f9c"), "automail": (("<",), ">", "0160556b"),
    "linebreak": (("  \n",), "", "f29f16d4"), "html": (("<",), ">", "22fb4f7e"),
    "entity": (("&",), ";", "46f669d1"), "em_strong": (("*", "_"), "", "681d512f"),
    "footnote": (("[",), "]", "e507c9fa"),
}  # fmt: skip
Trigger = tuple[tuple[str, ...], str]  # (any of these, and this too)


def _trigger(name: str, pattern: object) -> Trigger | None:
    """What a match of this pattern must contain; None when it is not known (always tried)."""
    known = _PATTERN_TRIGGERS.get(name)
    regex = getattr(getattr(pattern, "compiled_re", None), "pattern", None)
    if known is None or not isinstance(regex, str):
        return None
    marks, required, checked = known
    if hashlib.blake2b(regex.encode(), digest_size=4).hexdigest() != checked:
        return None
    return marks, required


def _cannot_match(trigger: Trigger | None, data: str) -> bool:
    if trigger is None:
        return False
    (first, *other), required = trigger
    if first not in data and not (other and other[0] in data):  # (one or two marks)
        return True
    return bool(required) and required not in data


class FastInlineProcessor(InlineProcessor):
    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self._triggers: list[Trigger | None] = []
        self._any_trigger: re.Pattern[str] | None = None  # None: some pattern is always tried

    def _pattern_triggers(self) -> list[Trigger | None]:
        if len(self._triggers) != len(self.inlinePatterns):  # first use, or the registry changed
            list(self.inlinePatterns)  # sorts the registry by priority
            names = [item.name for item in self.inlinePatterns._priority]
            # Unknown patterns (abbreviations, other extensions) have no trigger: always tried.
            self._triggers = [_trigger(name, self.inlinePatterns[name]) for name in names]
            marks = [mark for trigger in self._triggers if trigger for mark in trigger[0]]
            known = all(trigger is not None for trigger in self._triggers)
            self._any_trigger = re.compile("|".join(map(re.escape, marks))) if known else None
        return self._triggers

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802 N803
        if isinstance(data, util.AtomicString):
            return data
        triggers = self._pattern_triggers()
        if self._any_trigger is not None and not self._any_trigger.search(data):
            return data  # plain text, the common case: no pattern could match
        start = 0
        count = len(self.inlinePatterns)
        while patternIndex < count:
            if _cannot_match(triggers[patternIndex], data):
                patternIndex += 1
                start = 0
                continue
            data, matched, start = self._InlineProcessor__applyPattern(
                self.inlinePatterns[patternIndex], data, patternIndex, start
            )
            if not matched:
                patternIndex += 1
        return data


# --- stages skipped where they cannot change anything ----------------------------------
# Most articles are plain prose: no HTML, no code fences, no {: attributes}, no backslash
# escapes. The stages below find nothing in such a text but still scan all of it; each is
# skipped when the document lacks every character its syntax starts with. Same output.

_SURVEYED = "<&{\\`~"
_STAGE_MARKS = {
    # (registry, stage name): characters without which the stage finds nothing
    ("preprocessors", "fenced_code_block"): "`~",  # a fence is ``` or ~~~
    ("preprocessors", "html_block"): "<&",  # html.parser acts on tags and references only
    ("treeprocessors", "attr_list"): "{",  # every attribute list is {...}
    ("treeprocessors", "unescape"): "\\",  # only backslash escapes leave what it restores
}


class _Survey(Preprocessor):
    """Notes which of the characters that start syntax the document holds (`md.sitegen_marks`)."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        self.md.sitegen_marks = frozenset(c for c in _SURVEYED if c in text)  # type: ignore[attr-defined]
        return lines


class _Gated:
    """A stage of Python-Markdown run only when the document holds one of `marks`; anything
    else is asked of the stage itself (other stages read attributes of some, like `RE`)."""

    def __init__(self, md: markdown.Markdown, stage: object, marks: str, is_tree: bool):
        self._md, self._stage, self._marks, self._is_tree = md, stage, frozenset(marks), is_tree

    def __getattr__(self, name: str) -> object:
        return getattr(self._stage, name)

    def run(self, data):  # noqa: ANN001, ANN201 - lines (pre) or a tree (tree), as Markdown gives
        present = getattr(self._md, "sitegen_marks", None)
        if present is not None and not (present & self._marks):
            return None if self._is_tree else data
        return self._stage.run(data)


class _NormalizeWhitespace(NormalizeWhitespace):
    """Python-Markdown's first stage, with its two costly steps taken only where they can
    change the text: expanding tabs, and emptying lines of spaces (a regular expression with
    a lookbehind over the whole text, half of the stage's time)."""

    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        if util.STX in source or util.ETX in source:
            source = source.replace(util.STX, "").replace(util.ETX, "")
        if "\r" in source:
            source = source.replace("\r\n", "\n").replace("\r", "\n")
        source += "\n\n"
        if "\t" in source:
            source = source.expandtabs(self.md.tab_length)
        if " \n" in source:
            source = _SPACES_LINE.sub("\n", source)
        return source.split("\n")


_SPACES_LINE = re.compile(r"(?<=\n) +\n")


def _skip_idle_stages(md: markdown.Markdown) -> None:
    md.preprocessors.register(_Survey(md), "sitegen-survey", 100)
    if type(md.preprocessors["normalize_whitespace"]) is NormalizeWhitespace:
        md.preprocessors.register(_NormalizeWhitespace(md), "normalize_whitespace", 30)
    for (registry_name, name), marks in _STAGE_MARKS.items():
        registry = getattr(md, registry_name)
        if name in registry:
            priority = next(item.priority for item in registry._priority if item.name == name)
            gated = _Gated(md, registry[name], marks, registry_name == "treeprocessors")
            registry.register(gated, name, priority)
    md.parser.parseBlocks = functools.partial(_parse_blocks, md.parser)
    md.is_block_level = functools.partial(_is_block_level, frozenset(md.block_level_elements), {})


def _is_block_level(block_level: frozenset[str], known: dict[object, bool], tag: object) -> bool:
    """Markdown.is_block_level, with a set for its list and the answer kept per tag (asked over
    a hundred times per article, of a dozen tags; nothing in sitegen's configuration changes
    the list)."""
    answer = known.get(tag)
    if answer is None:
        answer = known[tag] = isinstance(tag, str) and tag.lower().rstrip("/") in block_level
    return answer


# A block is a plain paragraph when no line of it can begin any other block: no indent, and
# no first character that a heading, list, quote, table, rule, reference, footnote,
# abbreviation, definition, setext underline, HTML or stash placeholder begins with.
_PLAIN_PARAGRAPH = re.compile(r"(?:[^\s#>\[*+\-:|=_<`~\\\d\x02!&{][^\n]*(?:\n|\Z))+")
# The block processors whose tests the pattern above stands for (sitegen's configuration).
_KNOWN_BLOCK_PROCESSORS = frozenset({
    "markdown_block", "empty", "indent", "defindent", "code", "table", "hashheader",
    "setextheader", "hr", "olist", "ulist", "deflist", "quote", "footnote", "abbr", "reference",
    "paragraph",
})  # fmt: skip


def _parse_blocks(parser: BlockParser, parent: etree.Element, blocks: list[str]) -> None:
    """BlockParser.parseBlocks, with plain paragraphs sent straight to the paragraph processor
    instead of through the tests of every other block processor (half of the parser's time)."""
    processors = parser.blockprocessors
    shortcut = processors["paragraph"] if set(processors._data) == _KNOWN_BLOCK_PROCESSORS else None
    while blocks:
        if shortcut is not None and _PLAIN_PARAGRAPH.fullmatch(blocks[0]):
            shortcut.run(parent, blocks)
            continue
        for processor in processors:
            if processor.test(parent, blocks[0]) and processor.run(parent, blocks) is not False:
                break
