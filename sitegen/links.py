"""Links: writers' links to other content files, and the check that every link of the output
resolves.

Two checks, at two moments:

- At assembly (`check_references`): each link written in Markdown to another content file
  (`../tin-hoat-dong/hoi-nghi.md#muc`) names a published article, and an anchor it defines;
  errors point at the line of the source. Those links are written as placeholders when the
  source is rendered (cached per source), and `resolve_placeholders` swaps in the article's URL
  whenever the body HTML is put in a page or a feed, so a retitled article updates its linkers.
- After the pages are rendered (`scan_page` in the render workers, then `LinkReport`): every
  internal href/src of every HTML page names a file of the output, and every #fragment an id
  of that page. External links are counted, never fetched.

HTML is scanned with regular expressions modelled on `html.parser`'s tokenizer (comments,
<script>/<style> bodies skipped; quoted, unquoted and valueless attributes; character
references decoded): the same attributes as `html.parser` at a tenth of its time, which is
what makes checking 12,000 pages take seconds (tests/unit/test_links.py compares the two).
"""

from __future__ import annotations

import difflib
import html
import posixpath
import re
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from .discover import shown_path
from .errors import BrokenLinkError, ContentError, ErrorLog
from .mdext import SOURCE_LINK_SCHEME, Reference
from .model import Article, Site
from .recent import Recent
from .urls import Urls

if TYPE_CHECKING:
    from .parse import Document
    from .render import Rendered

# --- scanning HTML --------------------------------------------------------------------

# A comment, a <script> or <style> element (its body is not HTML), or a start tag with its
# attributes (quoted values may hold ">").
_TOKEN = re.compile(
    r"<(?:!--.*?--|(?:script|style)\b([^>]*)>.*?</(?:script|style)\s*"
    r"|[a-zA-Z][^\s/>]*([^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*))>",
    re.DOTALL | re.IGNORECASE,
)
# Every attribute with a value, so that the value of one ("a href=b") is never read as another.
_ATTRIBUTE = re.compile(
    r"""[\s/](?:(href|src|srcset|id)|[^\s=/>"']+)\s*=\s*("[^"]*"|'[^']*'|[^\s>"']*)""",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ScannedHtml:
    links: tuple[str, ...]  # distinct href, src and srcset URLs, decoded, in document order
    ids: frozenset[str]


def scan_html(text: str) -> ScannedHtml:
    """The links and ids of an HTML document or fragment."""
    links: dict[str, None] = {}
    ids: set[str] = set()
    known = _TAG_MEMO
    for script, attributes in _TOKEN.findall(text):
        tag = script or attributes
        if "=" not in tag:
            continue
        found = known.get(tag)
        if found is None:
            found = _tag_attributes(tag)
        for name, value in found:
            if name == "id":
                ids.add(value)
            elif name == "srcset":
                links.update((part.split()[0], None) for part in value.split(",") if part.strip())
            else:
                links[value.strip()] = None
    return ScannedHtml(tuple(links), frozenset(ids))


# Pages repeat most of their tags (navigation, cards, footers): scan_html reads each tag's
# attributes once per process. Kept small: a page's own tags (heading ids) do not repeat.
_TAG_MEMO: dict[str, tuple[tuple[str, str], ...]] = {}
_TAG_MEMO_SIZE = 20_000


def _tag_attributes(attributes: str) -> tuple[tuple[str, str], ...]:
    """(lowercased name, decoded value) of the href, src, srcset and id attributes in the
    attribute text of one tag (what follows its name)."""
    found = tuple(
        (name.lower(), _attribute_value(value))
        for name, value in _ATTRIBUTE.findall(" " + attributes)
        if name
    )
    if len(_TAG_MEMO) >= _TAG_MEMO_SIZE:
        _TAG_MEMO.clear()
    _TAG_MEMO[attributes] = found
    return found


def _attribute_value(value: str) -> str:
    if value[:1] in ("'", '"'):
        value = value[1:-1]
    return html.unescape(value) if "&" in value else value


def element_ids(fragment: str) -> tuple[str, ...]:
    """The ids a rendered body defines (headings, footnotes, {#id}, raw HTML), sorted."""
    return tuple(sorted(scan_html(fragment).ids))


# --- placeholders ---------------------------------------------------------------------

# Only inside a tag: text never holds a raw "<", and attribute values never hold "<" or ">".
_PLACEHOLDER = re.compile(
    r'(<[a-zA-Z][^<>]*?\s(?:href|src)=")' + re.escape(SOURCE_LINK_SCHEME) + r'([^"?#]*)'
)


def resolve_placeholders(fragment: str, urls_by_source: Mapping[str, str]) -> str:
    """Body HTML with each link to a content file made the URL of its article.

    `urls_by_source` maps source paths to links (see `article_links`); a placeholder whose
    source is not in it stays as it is (and the link check reports it). Any ?query or
    #fragment after the placeholder was escaped when rendered and is kept as it is.
    """
    if SOURCE_LINK_SCHEME not in fragment:
        return fragment

    def swap(match: re.Match[str]) -> str:
        url = urls_by_source.get(unquote(match.group(2)))
        return match.group(0) if url is None else match.group(1) + html.escape(url)

    return _PLACEHOLDER.sub(swap, fragment)


def article_links(site: Site, article: Article) -> dict[str, str]:
    """Source path -> link of each published article `article` links to."""
    found = {path: site.articles[path].path for path in article.linked if path in site.articles}
    if site.linkable:  # a portal: articles of the other sub-sites too
        found.update((p, site.linkable[p]) for p in article.linked if p in site.linkable)
    return {source: site.urls.href(path) for source, path in found.items()}


def with_article_urls(site: Site, article: Article, fragment: str) -> str:
    """HTML of `article` (its body or its lead) as a page or feed shows it: with the URLs of
    the articles it links to. Page signatures include those URLs (layouts._article_print)."""
    return (
        resolve_placeholders(fragment, article_links(site, article)) if article.linked else fragment
    )


def linked_articles(rendered: Rendered) -> tuple[str, ...]:
    """Source paths of the articles a rendered source links to, sorted, once each."""
    return tuple(sorted({r.target for r in rendered.references if r.is_article}))


# --- writers' links, checked at assembly ----------------------------------------------


def unpublished_reasons(
    documents: Iterable[Document], published: Collection[str], drafts: bool
) -> dict[str, str]:
    """Why each valid source left out of this build is left out, for messages about links to it."""
    reasons = {}
    for document in documents:
        if document.source_path in published:
            continue
        if document.draft and not drafts:
            reasons[document.source_path] = (
                "is a draft (draft: true): publish it, or build with --drafts"
            )
        else:
            when = document.date.strftime("%Y-%m-%d %H:%M")
            reasons[document.source_path] = f"is dated {when}, in the future: build with --future"
    return reasons


def check_references(site: Site, rendered: Mapping[str, Rendered], unpublished: Mapping[str, str],
                     files: Collection[str], log: ErrorLog,
                     outside: tuple[str, ...] = ()) -> None:  # fmt: skip
    """Every writer's link of a published article names a published article and one of its
    anchors, or a file of the output (`files`: every output path: content and static files,
    pages, feeds). Links to articles under `outside` (folders of sub-sites this build leaves
    out) are not checked."""
    for source_path in site.articles:
        references = rendered[source_path].references if source_path in rendered else ()
        for reference in references:
            if outside and reference.is_article and reference.target.startswith(outside):
                continue
            problem = _reference_problem(reference, site, rendered, unpublished, files)
            if problem:
                shown = reference.target + (f"#{reference.fragment}" if reference.fragment else "")
                log.error(ContentError(shown_path(source_path), f"link to '{shown}': {problem}",
                                       reference.line or None))  # fmt: skip


def _reference_problem(
    reference: Reference,
    site: Site,
    rendered: Mapping[str, Rendered],
    unpublished: Mapping[str, str],
    files: Collection[str],
) -> str | None:
    target = reference.target
    if not reference.checked:
        return None
    if not reference.is_article:
        return None if target in files else f"no such file ({shown_path(target)} does not exist)"
    if target not in site.articles and target not in site.linkable:
        if target in unpublished:
            return f"{shown_path(target)} {unpublished[target]}"
        if target in rendered:
            return f"{shown_path(target)} is not published: see its errors"
        return f"no such article ({shown_path(target)} does not exist)"
    fragment = unquote(reference.fragment)
    anchors = rendered[target].anchors
    if fragment and fragment not in anchors and fragment != "top":
        near = difflib.get_close_matches(fragment, anchors, n=1)
        hint = f": did you mean '#{near[0]}'?" if near else ""
        return f"no anchor '#{reference.fragment}' in {shown_path(target)}{hint}"
    return None


# --- the output: every link resolves ---------------------------------------------------


@dataclass(frozen=True)
class PageScan:
    """What the link check needs of one rendered page, made in the worker that rendered it."""

    output_path: str
    # The page's ids, sorted, each followed by NUL (which no id holds): one string, not a set
    # of strings, as 100,000 pages' scans stay in the main process until the build ends.
    ids: str
    broken: tuple[tuple[str, str], ...] = ()  # (href, why)
    anchored: tuple[tuple[str, str, str], ...] = ()  # (href, target output path, fragment)
    external: tuple[str, ...] = ()
    # Every other output path its links reach, as sorted CRC-32s (`path_checksums`): enough
    # to tell whether removing a path can break one of them, in 4 bytes a path.
    reaches: bytes = b""

    def has_id(self, id_: str) -> bool:
        return id_ in self.ids.split("\0")


_broken_or_anchored = attrgetter("broken", "anchored")  # of a PageScan


def packed_ids(ids: Iterable[str]) -> str:
    """What PageScan.ids holds of a page's ids."""
    return "".join(f"{id_}\0" for id_ in sorted(ids))


def path_checksums(paths: Iterable[str]) -> bytes:
    """Sorted CRC-32s of output paths, packed: what PageScan.reaches holds."""
    checksums = {zlib.crc32(path.encode("utf-8", "surrogatepass")) for path in paths}
    return array("I", sorted(checksums)).tobytes()


def reaches_any(scan: PageScan, checksums: set[int]) -> bool:
    """Whether a link of the page may lead to one of these paths (a checksum can collide:
    then the page is only scanned again for nothing)."""
    return bool(scan.reaches) and not checksums.isdisjoint(array("I", scan.reaches))


LINKS_KEPT = 16_384  # resolved links a LinkChecker keeps, or twice as many (recent.py)


class LinkChecker:
    """Resolves the links of pages against the output paths; made once per worker process."""

    def __init__(self, urls: Urls, outputs: Collection[str]):
        self.urls = urls
        self.outputs = outputs
        base = urlsplit(urls.base_url)
        self.host = base.netloc.lower()
        # absolute href -> (kind, path, detail), of the links seen last: every link of
        # 100,000 articles, kept, would grow each process by tens of megabytes
        self._memo: Recent[str, tuple[str, str, str]] = Recent(LINKS_KEPT)

    def scan_page(self, output_path: str, page_path: str, page: str | bytes) -> PageScan:
        """The links of a page, as rendered (str) or as a file holds it (bytes)."""
        scanned = scan_html(page if isinstance(page, str) else page.decode("utf-8", "replace"))
        broken, anchored, external = [], [], []
        reached: set[str] = set()
        memo = self._memo
        for href in scanned.links:
            kind, target, detail = memo.recall(href) or self.resolve(page_path, href)
            if kind == "external":
                external.append(href)
            elif kind == "broken":
                broken.append((href, detail))
            elif kind == "internal":
                same_page = target in ("", output_path)
                if not same_page:
                    reached.add(target)
                if detail and same_page:
                    if detail not in scanned.ids and detail != "top":
                        broken.append((href, f"no id '{detail}' in this page"))
                elif detail:
                    anchored.append((href, target, detail))
        return PageScan(output_path, packed_ids(scanned.ids), tuple(broken), tuple(anchored),
                        tuple(external), path_checksums(reached))  # fmt: skip

    def resolve(self, page_path: str, href: str) -> tuple[str, str, str]:
        """("internal", output path, fragment), ("external", "", ""), ("broken", "", why),
        or ("other", "", "") for links to neither (tel:, data:, javascript:)."""
        if href.startswith("#"):
            return "internal", "", unquote(href[1:])
        if href.startswith("/") or "://" in href[:8]:  # resolves alike on every page
            known = self._memo.recall(href)
            if known is None:
                known = self._resolve(page_path, href)
                self._memo.keep(href, known)
            return known
        return self._resolve(page_path, href)

    def _resolve(self, page_path: str, href: str) -> tuple[str, str, str]:
        try:
            parts = urlsplit(href)
        except ValueError:
            return "broken", "", "not a valid URL"
        scheme = parts.scheme.lower()
        if scheme in ("http", "https") or (not scheme and href.startswith("//")):
            base_path = self.urls.base_path
            if parts.netloc.lower() != self.host or not (parts.path or "/").startswith(base_path):
                return "external", "", ""
            path = parts.path or "/"
        elif scheme == "mailto":
            return "external", "", ""
        elif href.startswith(SOURCE_LINK_SCHEME):  # a writer's link no page resolved
            return "broken", "", "a link to a content file that is not published"
        elif scheme:
            return "other", "", ""
        elif parts.path.startswith("/"):
            path = parts.path
        elif not parts.path:
            return "internal", "", unquote(parts.fragment)  # "?x" or "": this page
        else:
            folder = posixpath.dirname(self.urls.href(page_path)) if not page_path.endswith("/") \
                else self.urls.href(page_path)  # fmt: skip
            path = posixpath.normpath(posixpath.join(folder, parts.path))
            if parts.path.endswith("/") and not path.endswith("/"):
                path += "/"
        return self._in_output(unquote(path), unquote(parts.fragment))

    def _in_output(self, path: str, fragment: str) -> tuple[str, str, str]:
        base_path = self.urls.base_path
        if not (path + "/").startswith(base_path):
            return "broken", "", f"outside the site, which is served from {base_path}"
        relative = path[len(base_path) :]
        output = relative + "index.html" if relative == "" or relative.endswith("/") else relative
        if output in self.outputs:
            return "internal", output, fragment
        if f"{output}/index.html" in self.outputs:  # hosts redirect "/a" to "/a/"
            return "internal", f"{output}/index.html", fragment
        return "broken", "", f"no page or file {path} in the output"


@dataclass
class LinkReport:
    pages: int = 0
    broken: list[BrokenLinkError] = field(default_factory=list)
    external: Counter[str] = field(default_factory=Counter)  # URL -> pages linking to it

    @classmethod
    def collect(cls, scans: Mapping[str, PageScan], origins: Mapping[str, str],
                external: bool = True) -> LinkReport:  # fmt: skip
        """Broken links (one per page and link) of every scanned page, and with `external`
        the external links of every page.

        `origins` names the source of a page made from one (an article), for the messages:
        it is only read for pages with a broken link.
        """
        report = cls(pages=len(scans))
        # A page with no broken and no anchored link has nothing to report: most of them.
        suspects = list(compress(scans, map(any, map(_broken_or_anchored, scans.values()))))
        for output_path in sorted(suspects):
            scan = scans[output_path]
            problems = list(scan.broken)
            for href, target, fragment in scan.anchored:
                target_scan = scans.get(target)
                if (
                    target_scan is not None
                    and not target_scan.has_id(fragment)
                    and fragment != "top"
                ):
                    problems.append((href, f"no id '{fragment}' in {target}"))
            if problems:
                origin = origins.get(output_path, "")
                report.broken += [
                    BrokenLinkError(output_path, href, why, origin) for href, why in problems
                ]
        for scan in scans.values() if external else ():
            report.external.update(scan.external)
        return report

    def log_broken(self, log: ErrorLog, as_errors: bool, lines_per_link: int = 5) -> None:
        """One line per page and broken link; a link broken on more than `lines_per_link`
        pages (a layout's, most likely) gets one line, naming the first page and the count."""
        by_link: dict[tuple[str, str], list[BrokenLinkError]] = defaultdict(list)
        for error in self.broken:
            by_link[(error.href, error.why)].append(error)
        record = log.error if as_errors else log.warn
        for errors in by_link.values():
            if len(errors) > lines_per_link:
                first = errors[0]
                record(
                    BrokenLinkError(
                        first.page, first.href, first.why, first.origin, len(errors) - 1
                    )
                )
            else:
                for error in errors:
                    record(error)
