"""Document -> Rendered: Markdown to HTML (tables, footnotes, heading ids, figures, Pygments)."""

from __future__ import annotations

import contextlib
import functools
import html
import posixpath
import re
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace

import markdown
import nh3
import pygments
from markdown.extensions.codehilite import CodeHilite, CodeHiliteExtension
from pygments.formatter import Formatter
from pygments.formatters import get_formatter_by_name
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name

from . import __version__
from .directmd import Highlighter, render_direct
from .i18n import ui_strings
from .links import element_ids
from .mdext import LEAD_MARK, NewsExtension, Reference
from .parse import Document
from .sanitize import HtmlPolicy, clean_body, locate_drops, needs_cleaning

_LEAD = re.compile(rf'<p class="{LEAD_MARK}">(.*?)</p>\n?', re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_BREAKS = re.compile(r"<br\s*/?>|</p>|</li>", re.IGNORECASE)
# A summary of plain words and punctuation: no Markdown syntax, nothing to escape.
_PLAIN_TEXT = re.compile(r"[^\W\d_](?:[^\W_]|[ .,;:()'\"“”‘’%/?!…–—-])*")


# Raised whenever a change to sitegen's Markdown pass changes its HTML, so that caches made
# before it (same sitegen version, during development) are not trusted. 2: _emphasis_ fixed.
# 3: the direct path (directmd) for common articles. 4: bodies cleaned by nh3.
# 5: photos written as site paths are recorded among the references.
RENDERER_REVISION = 5


@dataclass(frozen=True)
class Rendered:
    source_path: str
    content_html: str  # the body, without the lead when the lead was its first paragraph
    lead_html: str  # the summary from front matter, or the body's first paragraph; may be ""
    summary_text: str  # the lead as plain text, for listings and meta descriptions
    toc_html: str  # nested list of the headings, "" when there are none
    content_key: str = ""  # set by the pipeline: the cache key of content_html and toc_html
    card_key: str = ""  # set by the pipeline: hash of what a listing can show (front matter, lead)
    references: tuple[Reference, ...] = ()  # links to other content files, in source order
    anchors: tuple[str, ...] = ()  # ids the body and lead define, sorted: targets of #anchors
    warnings: tuple[tuple[int, str], ...] = ()  # (file line, message): what cleaning dropped


@dataclass(frozen=True)
class RenderSettings:
    base_path: str = "/"  # prefixed to site-absolute links ("/images/a.jpg")
    language: str = "en"
    html: HtmlPolicy = HtmlPolicy()  # what raw HTML may hold besides sitegen's allowlist

    def fingerprint(self) -> str:
        """Everything besides the source text that changes the HTML; part of the cache key."""
        return (
            f"sitegen {__version__} r{RENDERER_REVISION}; markdown {markdown.__version__}; "
            f"pygments {pygments.__version__}; nh3 {nh3.__version__}; {self.base_path}; "
            f"{self.language}; {self.html}"
        )


def render_document(document: Document, settings: RenderSettings) -> Rendered:
    source_dir = posixpath.dirname(document.source_path)
    take_lead = document.summary is None
    body_references: list[Reference] = []
    warnings: list[tuple[int, str]] = []
    table_label = ui_strings(settings.language)["table"]
    # Most articles take the direct path; the rest, and any text it refuses, Python-Markdown.
    direct = render_direct(document.body, source_dir, settings.base_path, take_lead,
                           table_label, body_references, _highlighter(settings))  # fmt: skip
    if direct is not None:
        body_html, toc_html, anchors = direct.html, direct.toc_html, direct.ids
    else:
        body_html, toc_html = _convert(document.body, settings, source_dir, take_lead,
                                       body_references)  # fmt: skip
        body_html = _cleaned(body_html, document.body, document.body_line, settings, warnings)
        anchors = element_ids(body_html) if "id=" in body_html else ()
    references = _locate(body_references, document.body, document.body_line)
    if document.summary is None:
        lead_html, body_html = _split_lead(body_html)
    elif _PLAIN_TEXT.fullmatch(document.summary):
        lead_html = f"<p>{document.summary}</p>"  # what Markdown makes of it, without the cost
    else:
        # A front matter field: Markdown emphasis and links, but any HTML in it is text.
        escaped = document.summary.replace("&", "&amp;").replace("<", "&lt;")
        lead_references: list[Reference] = []
        lead = render_direct(escaped, source_dir, settings.base_path, False, table_label,
                             lead_references)  # fmt: skip
        if lead is not None:
            lead_html = lead.html
        else:
            lead_html, _ = _convert(escaped, settings, source_dir, False, lead_references)
            line = document.line_of("summary")
            lead_html = _cleaned(lead_html, escaped, line, settings, warnings)
        line = document.line_of("summary")
        references += tuple(replace(r, line=line) for r in lead_references)
        if "id=" in lead_html:
            anchors = tuple(sorted({*anchors, *element_ids(lead_html)}))
    return Rendered(document.source_path, body_html, lead_html, html_to_text(lead_html), toc_html,
                    references=references, anchors=anchors, warnings=tuple(warnings))  # fmt: skip


def _cleaned(html_text: str, markdown_text: str, first_line: int, settings: RenderSettings,
             warnings: list[tuple[int, str]]) -> str:  # fmt: skip
    """What Python-Markdown made of `markdown_text`, cleaned when the writer could choose
    markup in it (the direct path takes no such text); what was dropped goes to `warnings`."""
    if not needs_cleaning(markdown_text):
        return html_text
    cleaned, dropped = clean_body(html_text, settings.html)
    warnings += locate_drops(dropped, markdown_text, first_line)
    return cleaned


def _convert(
    text: str,
    settings: RenderSettings,
    source_dir: str,
    take_lead: bool,
    references: list[Reference],
) -> tuple[str, str]:
    """HTML and table of contents by Python-Markdown; links to content files appended to
    `references`."""
    md = _markdown(settings)
    md.reset()
    md.sitegen_source_dir = source_dir  # type: ignore[attr-defined]
    md.sitegen_take_lead = take_lead  # type: ignore[attr-defined]
    md.sitegen_references = references  # type: ignore[attr-defined]
    return md.convert(text), md.sitegen_toc  # type: ignore[attr-defined]


class RenderTooSlow(Exception):
    """Rendering one document went over its time budget (see `time_budget`)."""

    def __init__(self, seconds: float):
        super().__init__(f"over {seconds:.0f} s")
        self.seconds = seconds


def render_budget(body: str) -> float:
    """Seconds a body may take: Markdown renders about 2 MB a second here, so this is
    generous to any real article, and stops a hostile one (Python-Markdown is quadratic on
    some runs of brackets and emphasis marks) before it stalls the build for hours."""
    return 5.0 + len(body) / 100_000


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise RenderTooSlow in the block once it has run `seconds`. A timer signal does it, so
    only in a process's main thread (where builds run); elsewhere the block is not limited.
    A timer set by the caller is suspended meanwhile and set again afterwards."""
    in_main_thread = threading.current_thread() is threading.main_thread()
    if not in_main_thread or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise RenderTooSlow(seconds)

    handler = signal.signal(signal.SIGALRM, expire)
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, handler)
        if outer_delay:
            left = max(outer_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)


def render_within_budget(document: Document, settings: RenderSettings) -> Rendered:
    """render_document, stopped by RenderTooSlow after `render_budget` seconds."""
    try:
        with time_budget(render_budget(document.body)):
            return render_document(document, settings)
    except RenderTooSlow:
        _markdown.cache_clear()  # stopped midway: the next document gets a new converter
        raise


def _locate(references: list[Reference], body: str, body_line: int) -> tuple[Reference, ...]:
    """Each reference with the file line it is written on: where its text next appears (or,
    when Markdown changed the text, its file name), else the first line of the body."""
    resume: dict[str, int] = {}  # text -> where to look for its next occurrence
    located = []
    for reference in references:
        text = reference.written
        found = body.find(text, resume.get(text, 0)) if text else -1
        if found >= 0:
            resume[text] = found + len(text)
        else:
            name = posixpath.basename(reference.target)
            found = body.find(name) if name else -1
        line = body_line + body.count("\n", 0, found) if found >= 0 else body_line
        located.append(replace(reference, line=line))
    return tuple(located)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: inline tags vanish, line breaks become spaces."""
    return " ".join(html.unescape(_TAGS.sub("", _BREAKS.sub(" ", fragment))).split())


def _split_lead(body_html: str) -> tuple[str, str]:
    match = _LEAD.search(body_html)
    if match is None:
        return "", body_html
    lead = f"<p>{match.group(1)}</p>"
    return lead, body_html[: match.start()] + body_html[match.end() :]


@functools.lru_cache(maxsize=4)
def _highlighter(settings: RenderSettings) -> Highlighter:
    """What sitegen's Python-Markdown makes of a fenced code block: the fenced code extension
    highlights it with CodeHilite under the codehilite extension's settings, and the HTML is
    passed on as raw HTML (Pygments escapes the code). CodeHilite makes a new Pygments lexer
    and formatter for every block (half its time); here they are made once per language."""
    extensions = _markdown(settings).registeredExtensions
    config = next(e for e in extensions if isinstance(e, CodeHiliteExtension)).getConfigs()
    style = config.pop("pygments_style", "default")
    # The branch of CodeHilite.hilite that sitegen's settings take; any other, it runs whole.
    reusable = config["use_pygments"] and not config["guess_lang"]
    reusable = reusable and config["pygments_formatter"] == "html"
    made: dict[str | None, tuple[Lexer, Formatter]] = {}

    def highlight(code: str, language: str | None) -> str:
        block = CodeHilite(code, lang=language, style=style, **config)
        if not reusable:
            return block.hilite(shebang=False)
        tools = made.get(language)
        if tools is None:
            try:
                lexer = get_lexer_by_name(language, **block.options)
            except ValueError:  # unknown or no language: plain text, as hilite does
                lexer = get_lexer_by_name("text", **block.options)
            tools = made[language] = (lexer, get_formatter_by_name("html", **block.options))
        return pygments.highlight(code.strip("\n"), *tools)

    return highlight


@functools.lru_cache(maxsize=4)
def _markdown(settings: RenderSettings) -> markdown.Markdown:
    """One Markdown converter per process and settings; `reset()` before each use."""
    return make_converter(settings)


def make_converter(settings: RenderSettings, shortcuts: bool = True) -> markdown.Markdown:
    """sitegen's Markdown; without `shortcuts` (sitegen's faster paths through Python-Markdown)
    only to check that they change nothing."""
    ui = ui_strings(settings.language)
    return markdown.Markdown(
        extensions=[
            "extra",
            "codehilite",
            "sane_lists",
            NewsExtension(settings.base_path, ui["table"], shortcuts),
        ],
        extension_configs={
            "extra": {"footnotes": {"BACKLINK_TITLE": ui["footnote_back"]}},
            "codehilite": {"css_class": "codehilite", "guess_lang": False},
        },
        output_format="html",
    )
