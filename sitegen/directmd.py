"""Markdown straight to HTML for the articles most writers write, without Python-Markdown.

Paragraphs, `#` headings, one-line list items, pipe tables, one-paragraph quotes, photos
with a caption, links, bold and italic, fenced code: the HTML is exactly what sitegen's
Python-Markdown makes of the same text (tests/property/test_direct_markdown.py compares the
two), in about a tenth of the time. A text that uses anything else (raw HTML, entities,
escapes, inline code, footnotes, attribute lists, nested or loose lists, underscores,
indented or lazy lines) gets None, and goes to Python-Markdown whole: nothing here guesses.

Each rule below names the Python-Markdown behaviour it reproduces; when in doubt, a rule
refuses the text rather than imitate more.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.toc import unique

from .mdext import LEAD_MARK, Reference, link_target, toc_html
from .text import slugify


@dataclass(frozen=True)
class DirectHtml:
    html: str
    toc_html: str
    ids: tuple[str, ...]  # the ids of its elements (the headings'), sorted


Highlighter = Callable[[str, "str | None"], str]  # (code, language) -> HTML of the block


class _Unsupported(Exception):
    """The text uses Markdown beyond what this module reproduces."""


@dataclass(frozen=True)
class _Context:
    source_dir: str
    base_path: str
    table_label: str
    references: list[Reference]  # links to content files, in document order
    headings: list[tuple[int, str, str]]  # (level, id, text) of each heading, in order
    used_ids: set[str]


# Characters Python-Markdown rewrites before anything else (tabs, carriage returns, its own
# placeholder marks), in code blocks too; and characters that start syntax handled only by
# Python-Markdown, outside code blocks.
_REFUSED_EVERYWHERE = "\t\r\x02\x03"
_REFUSED_OUTSIDE_CODE = "\\`<&{"

# A line of a paragraph: its first characters start no other block (heading, list, quote,
# table, rule, setext underline, definition, reference, footnote, abbreviation, fence).
_PARAGRAPH_LINE = re.compile(
    r"""(?:
        [^\s\#>\[*+\-:|=_<`~\\\d\x02!&{]   # an ordinary first character
      | \*{1,2}(?![\s*\[])                 # emphasis; not a list item, rule or abbreviation
      | !                                  # an image
      | \[(?![^\]\n]*\]:)                  # a link; not a reference or footnote definition
      | (?!\d+\.[ ])\d                     # a number; not an ordered list item
    )""",
    re.VERBOSE,
)
# Python-Markdown's HashHeaderProcessor pattern, for one line.
_HEADING = re.compile(r"(?P<level>#{1,6})(?P<text>(?:[^\\#]|#+(?=[^#\n]))*?)#*")
_BULLET_ITEM = re.compile(r"[*+-] +(?P<text>.+)")
_NUMBERED_ITEM = re.compile(r"(?P<number>[0-9]+)\. +(?P<text>.+)")
_ANY_NUMBERED_ITEM = re.compile(r"\d+\.[ ]")
_QUOTE_LINE = re.compile(r"> (?P<text>.+)")
_TABLE_ROW = re.compile(r"\|.*\|")
_ALIGNMENT = re.compile(r" *(:?)-+(:?) *")
_MERGING = frozenset({"ul", "ol", "blockquote"})  # join the list or quote just before them
# First characters of every block but a paragraph (digits aside: numbered items).
_BLOCK_MARKS = frozenset("|#>-*+")
_ALIGNMENT_STYLES = {(":", ":"): "center", (":", ""): "left", ("", ":"): "right"}

# Links and images as written in most articles: `[text](url)`, `![alt](src "title")`.
_LINK = re.compile(r'(?P<image>!?)\[(?P<text>[^\[\]\n]+)\]\((?P<url>[^\s()<>"\'\\]+)'
                   r'(?: "(?P<title>[^"\n]*)")?\)')  # fmt: skip
_PLACEHOLDER = re.compile(r"\x02(\d+)\x03")
_STARS = re.compile(r"\*+")
_SPACE = re.compile(r"\s")
_LONE_AMPERSAND = re.compile(r"&(?!(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);)", re.IGNORECASE)


def render_direct(text: str, source_dir: str, base_path: str, take_lead: bool,
                  table_label: str, references: list[Reference],
                  highlight: Highlighter | None = None) -> DirectHtml | None:  # fmt: skip
    """The HTML, table of contents and references (appended) of `text`, exactly as
    sitegen's Python-Markdown makes them; None, with `references` untouched, when the text
    uses Markdown this module does not reproduce. Fenced code blocks are taken only with
    `highlight`, which must give the HTML Python-Markdown's fenced code extension gives."""
    text = text.strip("\n")
    if any(mark in text for mark in _REFUSED_EVERYWHERE):
        return None
    codes: list[str] = []
    if highlight is not None and ("```" in text or "~~~" in text):
        text = _take_out_fences(text, highlight, codes)
    if text is None or any(mark in text for mark in _REFUSED_OUTSIDE_CODE):
        return None
    found: list[Reference] = []
    context = _Context(source_dir, base_path, table_label, found, [], set())
    try:
        parts = _blocks(text, context)
    except _Unsupported:
        return None
    headings = context.headings
    if not parts:
        return None
    if codes:
        parts = [_with_code(part, codes) for part in parts]
        parts[-1] = parts[-1].rstrip("\n")  # Python-Markdown strips the whole output
    if take_lead and parts[0].startswith("<p>"):
        parts[0] = f'<p class="{LEAD_MARK}">' + parts[0][3:]
    references.extend(found)
    ids = tuple(sorted(anchor for _, anchor, _ in headings))
    return DirectHtml("\n".join(parts), toc_html(headings), ids)


# Python-Markdown's fenced code pattern; its code becomes one stashed block of HTML.
_FENCE = FencedBlockPreprocessor.FENCED_BLOCK_RE
_MOST_FENCES = 200
_SPACES_LINE = re.compile(r"^ +$", re.MULTILINE)
_CODE_MARK = re.compile("<p>\x01code([0-9]+)\x01</p>")  # a marker line, out of _blocks


def _take_out_fences(text: str, highlight: Highlighter, codes: list[str]) -> str | None:
    """The text with each fenced code block, highlighted into `codes`, made a marker line
    ("\x01code<n>\x01"); None when a fence is not a block of its own (blank lines around it),
    has attributes or a line of only spaces, or when the text around fences holds the mark."""
    if text.count("\n```") + text.count("\n~~~") > _MOST_FENCES:
        return None  # each unclosed fence is searched to the end: leave such text to one pass
    pieces: list[str] = []
    end = 0
    for fence in _FENCE.finditer(text):
        before = text[end : fence.start()]
        if fence["attrs"] is not None or fence["hl_lines"] is not None:
            return None
        if not (fence.start() == 0 or before.endswith("\n\n")):
            return None
        if not (fence.end() == len(text) or text.startswith("\n\n", fence.end())):
            return None
        if _SPACES_LINE.search(fence["code"]):  # Python-Markdown empties such lines first
            return None
        pieces.append(before)
        pieces.append(f"\x01code{len(codes)}\x01")
        codes.append(highlight(fence["code"], fence["lang"] or None))
        end = fence.end()
    pieces.append(text[end:])
    if any("\x01" in piece for piece in pieces[::2]):
        return None
    return "".join(pieces)


def _with_code(part: str, codes: list[str]) -> str:
    marker = _CODE_MARK.fullmatch(part) if part.startswith("<p>\x01") else None
    return codes[int(marker[1])] if marker else part


def _blocks(text: str, context: _Context) -> list[str]:
    """Python-Markdown's block parser for the common blocks: blank lines part blocks, a
    heading line splits its block, and each block is taken whole by one kind."""
    parts: list[str] = []
    previous = ""  # the tag of the last block: lists and quotes would merge with it
    queue = deque(_block_lines(text))
    while queue:
        made = _block(queue.popleft(), queue, context)
        if made is None:
            continue
        tag, html = made
        if tag == previous and tag in _MERGING:
            raise _Unsupported
        parts.append(html)
        previous = tag
    return parts


def _block(lines: list[str], queue: deque[list[str]], context: _Context) -> tuple[str, str] | None:
    """(tag, HTML) of one block; None when it was split, its parts put back in the queue."""
    first = lines[0]
    if len(lines) == 1 and first[0] not in _BLOCK_MARKS and not first[0].isdecimal():
        return "p", _paragraph(lines, context)  # most blocks: one line of prose
    if first.startswith("|"):  # tables are tried before headings
        return "table", _table(lines, context)
    heading_at = _first_heading(lines)
    if heading_at:  # the lines before the heading are a block of their own
        queue.extendleft((lines[heading_at:], lines[:heading_at]))
        return None
    if heading_at == 0:
        if len(lines) > 1:
            queue.appendleft(lines[1:])
        return "h", _heading(first, context)
    if first.startswith(">"):
        return "blockquote", _quote(lines, context)
    if _BULLET_ITEM.match(first) or _ANY_NUMBERED_ITEM.match(first):
        return _list(lines, context)
    return "p", _paragraph(lines, context)


def _first_heading(lines: list[str]) -> int | None:
    if lines[0].startswith("#"):
        return 0
    for index in range(1, len(lines)):
        if lines[index].startswith("#"):
            return index
    return None


def _block_lines(text: str) -> list[list[str]]:
    """The lines of each block. A line that starts or ends with whitespace (indented code,
    a lazy line, a hard break) is refused."""
    blocks = []
    for block in text.split("\n\n"):
        block = block.lstrip("\n")  # after three or more newlines; one blank line is enough
        if block:
            lines = block.split("\n")
            for line in lines:
                if line[0].isspace() or line[-1].isspace():
                    raise _Unsupported
            blocks.append(lines)
    return blocks


def _paragraph(lines: list[str], context: _Context) -> str:
    if not all(_PARAGRAPH_LINE.match(line) for line in lines):
        raise _Unsupported
    text = "\n".join(lines)
    link = _LINK.fullmatch(text) if text.startswith("![") else None
    if link and link["image"] and link["title"] and link["title"].strip():
        return _figure(link, context)
    return f"<p>{_inline(text, context)[0]}</p>"


def _figure(image: re.Match[str], context: _Context) -> str:
    """A paragraph of one titled image: sitegen's figure, the title as its caption."""
    src = link_target(image["url"], context.source_dir, context.base_path, context.references)
    caption = _clean_title(image["title"])
    image_html = f'<img alt="{_attribute(image["text"])}" loading="lazy" src="{_attribute(src)}">'
    return f"<figure>{image_html}<figcaption>{_text(caption)}</figcaption>\n</figure>"


def _heading(line: str, context: _Context) -> str:
    match = _HEADING.fullmatch(line)
    text = match["text"].strip() if match else ""
    if not text:
        raise _Unsupported
    level = len(match["level"])
    html, plain = _inline(text, context)
    name = " ".join(plain.split())
    anchor = unique(slugify(name), context.used_ids)
    context.headings.append((level, anchor, name))
    return f'<h{level} id="{_attribute(anchor)}">{html}</h{level}>'


def _list(lines: list[str], context: _Context) -> tuple[str, str]:
    """A tight list, one item per line (sane_lists: bullets and numbers do not mix)."""
    numbered = _BULLET_ITEM.match(lines[0]) is None
    pattern = _NUMBERED_ITEM if numbered else _BULLET_ITEM
    items = [pattern.fullmatch(line) for line in lines]
    if not all(item and _PARAGRAPH_LINE.match(item["text"]) for item in items):
        raise _Unsupported
    tag = "ol" if numbered else "ul"
    start = items[0]["number"] if numbered else "1"
    opening = f'<{tag} start="{start}">' if start != "1" else f"<{tag}>"
    body = "\n".join(f"<li>{_inline(item['text'], context)[0]}</li>" for item in items)
    return tag, f"{opening}\n{body}\n</{tag}>"


def _quote(lines: list[str], context: _Context) -> str:
    """A quote of one paragraph, `> ` on every line."""
    quoted = [_QUOTE_LINE.fullmatch(line) for line in lines]
    if not all(line and _PARAGRAPH_LINE.match(line["text"]) for line in quoted):
        raise _Unsupported
    text = "\n".join(line["text"] for line in quoted)
    return f"<blockquote>\n<p>{_inline(text, context)[0]}</p>\n</blockquote>"


def _table(lines: list[str], context: _Context) -> str:
    """A pipe table with a border on both sides of every row, as many cells in every row."""
    if len(lines) < 3 or not all(_TABLE_ROW.fullmatch(line) for line in lines):
        raise _Unsupported
    rows = [line[1:-1].split("|") for line in lines]
    width = len(rows[0])
    if width < 2 or any(len(row) != width for row in rows):
        raise _Unsupported
    alignments = [_ALIGNMENT.fullmatch(cell) for cell in rows[1]]
    if not all(alignments):
        raise _Unsupported
    styles = [_ALIGNMENT_STYLES.get(match.groups()) for match in alignments]

    def row_html(cells: list[str], tag: str) -> str:
        out = []
        for cell, style in zip(cells, styles, strict=True):
            content = _inline(cell.strip(" "), context)[0]
            styled = f' style="text-align: {style};"' if style else ""
            out.append(f"<{tag}{styled}>{content}</{tag}>")
        return "<tr>\n" + "\n".join(out) + "\n</tr>"

    head = row_html(rows[0], "th")
    body = "\n".join(row_html(row, "td") for row in rows[2:])
    label = _attribute(context.table_label)
    return (f'<div aria-label="{label}" class="table-scroll" role="region" '
            f'tabindex="0">\n<table>\n<thead>\n{head}\n</thead>\n<tbody>\n{body}\n</tbody>\n'
            "</table>\n</div>")  # fmt: skip


def _inline(text: str, context: _Context) -> tuple[str, str]:
    """HTML and plain text of inline Markdown. Like Python-Markdown, links and images are
    taken out first (their addresses are not searched for emphasis), then the stars."""
    if "[" not in text and "]" not in text:
        return _emphasis(text)
    pieces: list[tuple[str, str]] = []  # (html, plain) of each link, by placeholder number

    def take_out(match: re.Match[str]) -> str:
        pieces.append(_link(match, context))
        return f"\x02{len(pieces) - 1}\x03"

    rest = _LINK.sub(take_out, text)
    if "[" in rest or "]" in rest:
        raise _Unsupported
    html, plain = _emphasis(rest)
    html = _PLACEHOLDER.sub(lambda m: pieces[int(m[1])][0], html)
    plain = _PLACEHOLDER.sub(lambda m: pieces[int(m[1])][1], plain)
    return html, plain


def _link(match: re.Match[str], context: _Context) -> tuple[str, str]:
    if match["text"].startswith("^"):  # a footnote mark to Python-Markdown
        raise _Unsupported
    url = link_target(match["url"], context.source_dir, context.base_path, context.references)
    title = match["title"]
    title_attribute = "" if title is None else f' title="{_attribute(_clean_title(title))}"'
    if match["image"]:
        alt = _attribute(match["text"])
        return f'<img alt="{alt}" loading="lazy" src="{_attribute(url)}"{title_attribute}>', ""
    html, plain = _inline(match["text"], context)
    return f'<a href="{_attribute(url)}"{title_attribute}>{html}</a>', plain


def _emphasis(text: str) -> tuple[str, str]:
    """`**strong**` and `*em*`, each pair on its own (no nesting, no unpaired star): the
    cases where Python-Markdown's delimiter rules cannot disagree with plain pairing."""
    if "_" in text:  # smart underscores: Python-Markdown's rules only
        raise _Unsupported
    if "*" not in text:
        return _text(text), text
    stars = list(_STARS.finditer(text))
    if len(stars) % 2:
        raise _Unsupported
    html: list[str] = []
    plain: list[str] = []
    end = 0
    for opening, closing in zip(stars[::2], stars[1::2], strict=True):
        size = len(opening[0])
        inner = text[opening.end() : closing.start()]
        if size > 2 or len(closing[0]) != size or inner[0].isspace() or inner[-1].isspace():
            raise _Unsupported
        tag = "strong" if size == 2 else "em"
        html.append(f"{_text(text[end : opening.start()])}<{tag}>{_text(inner)}</{tag}>")
        plain.append(text[end : opening.start()] + inner)
        end = closing.end()
    html.append(_text(text[end:]))
    plain.append(text[end:])
    return "".join(html), "".join(plain)


def _clean_title(title: str) -> str:
    return _SPACE.sub(" ", title.strip())


def _text(text: str) -> str:
    """Escaped as Python-Markdown's serializer escapes text ("&" and "<" never get here)."""
    return text.replace(">", "&gt;") if ">" in text else text


def _attribute(value: str) -> str:
    """Escaped as Python-Markdown's serializer escapes attributes."""
    if "&" in value:
        value = _LONE_AMPERSAND.sub("&amp;", value)
    return value.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
