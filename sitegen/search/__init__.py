"""Search: an index of the published articles written at build time, searched in the
reader's browser by the theme's script (theme/static/js/search.js), Vietnamese-aware.

The pipeline calls `search_pages` for each site (the search page, /search/ or
/<key>/search/) and `search_files` once per build (the index, under /search/, one for the
whole portal, which each sub-site's page filters to its own articles).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace as View

from .. import __version__, urls
from ..cache import BuildCache
from ..model import OutputFile, Page, Site
from ..parallel import ordered_map
from .index import FORMAT, IndexPart, IndexScope, SearchDoc, index_files, index_order, index_part

HtmlLoader = Callable[[str], tuple[str, str]]  # content key -> (body HTML, table of contents)

SEARCH = "/search/"
THEME_SCRIPT = Path(__file__).parents[1] / "theme" / "static" / "js" / "search.js"  # what searches
SEARCH_KIND = "search"
PART = 12  # documents per part of the index that the cache keeps (a thousand make 84 parts)
_TAG = re.compile(r"<[^>]*>")
_SKIPPED = re.compile(r"<(script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)


def search_path(scope: str = "") -> str:
    """The search page of a site or sub-site: "/search/", "/ban-to-chuc/search/"."""
    return urls.under(scope, SEARCH)


def search_pages(site: Site, searched: Sequence[Site]) -> list[Page]:
    """The site's search page, unless config.yaml says `search: false`. `searched`: the sites
    whose sections and years its filters offer (a portal's own page: every sub-site's).

    The page's key names what it shows (its filters' choices), so that its signature
    changes with them."""
    if not site.config.search:
        return []
    scope = site.config.key
    shown = search_view(site, searched)
    choices = [f"{o.value}={o.title}" for group in shown.section_groups for o in group.options]
    key = " ".join(map(str, shown.years)) + " | " + " ".join(choices)
    return [Page(SEARCH_KIND, search_path(scope), "search.html", key=key, subsite=scope)]


def search_files(sites: Sequence[Site], cache: BuildCache, jobs: int = 1) -> list[OutputFile]:
    """The index of every article of `sites` (the one site, or each sub-site of a portal)
    whose search is on, under /search/; each article's part made on `jobs` cores.

    The cache keeps the index of the last build: when no article changed what the index
    takes of it, that is used again instead of reading every article's text."""
    shown = [site for site in sites if site.config.search]
    if not shown:
        return []
    portal = bool(sites[0].config.key)
    subsites = tuple((s.config.key, s.config.title) for s in shown) if portal else (("", ""),)
    sections = tuple(
        (f"{site.config.key}/{key}" if portal else key, section.title)
        for site in shown
        for key, section in site.sections.items()
    )
    scope = IndexScope(sections, subsites)
    numbers = {section_id: number for number, (section_id, _) in enumerate(sections)}
    todo = sorted(
        (entry for number, site in enumerate(shown) for entry in site_docs(site, number, numbers)),
        key=lambda entry: index_order(entry[0]),
    )
    key = "search-index-" + _signature(todo, scope)
    kept = cache.load_bytes(key)
    if kept is not None:
        files = unbundle(kept)
        cache.keep_bytes(_part_keys(_batches(todo), scope))  # for the next edit, unread
    else:
        files = index_files([doc for doc, _ in todo], scope, _parts(todo, scope, cache, jobs))
        if cache.persistent:
            cache.store_bytes(key, bundle(files))
    folder = SEARCH.lstrip("/")
    return [OutputFile(f"{folder}{path}", data, "the search index") for path, data in files.items()]


def _parts(todo: list[tuple[SearchDoc, str]], scope: IndexScope, cache: BuildCache,
           jobs: int) -> list[IndexPart]:  # fmt: skip
    """The index's parts of PART documents each: those the cache has, and the others made
    on `jobs` cores (an edit makes one part again; a new article, the last)."""
    work = _batches(todo)
    keys = _part_keys(work, scope)
    parts: list[IndexPart | None] = []
    for key in keys:
        kept = cache.load_bytes(key)
        parts.append(unpack_part(kept) if kept is not None else None)
    missing = [number for number, part in enumerate(parts) if part is None]
    made = ordered_map(_index_part, [work[n] for n in missing], jobs, _init_worker,
                       (cache.load_html, scope), 1)  # fmt: skip
    for number, part in zip(missing, made, strict=True):
        parts[number] = part
        if cache.persistent:
            cache.store_bytes(keys[number], pack_part(part))
    return [part for part in parts if part is not None]


def _batches(todo: list[tuple[SearchDoc, str]]) -> list[tuple[int, list[tuple[SearchDoc, str]]]]:
    return [(start, todo[start : start + PART]) for start in range(0, len(todo), PART)]


def _part_keys(work: list[tuple[int, list[tuple[SearchDoc, str]]]], scope: IndexScope) -> list[str]:
    return [f"search-part-{_signature(batch, scope, start)}" for start, batch in work]


def _signature(todo: list[tuple[SearchDoc, str]], scope: IndexScope, start: int = 0) -> str:
    """Changes whenever the index (or its part from `start`) would: with any document, its
    body or the scope."""
    digest = hashlib.blake2b(repr((__version__, FORMAT, scope, start)).encode(), digest_size=20)
    for doc, content_key in todo:
        digest.update(repr(doc).encode("utf-8"))
        digest.update(content_key.encode("utf-8"))
    return digest.hexdigest()


def pack_part(part: IndexPart) -> bytes:
    forms = json.dumps(part.forms, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return bundle({"forms": forms, **{str(n): data for n, data in enumerate(part.shown)}})


def unpack_part(data: bytes) -> IndexPart:
    files = unbundle(data)
    forms = {form: (ids[0], ids[1]) for form, ids in json.loads(files.pop("forms")).items()}
    return IndexPart(forms, tuple(files[str(n)] for n in range(len(files))))


def bundle(files: dict[str, bytes]) -> bytes:
    """Files in one byte string: a JSON list of [path, size], a newline, their bytes."""
    listing = json.dumps([[path, len(data)] for path, data in files.items()])
    return b"".join([listing.encode("utf-8"), b"\n", *files.values()])


def unbundle(data: bytes) -> dict[str, bytes]:
    listing, _, rest = data.partition(b"\n")
    files, offset = {}, 0
    for path, size in json.loads(listing):
        files[path] = rest[offset : offset + size]
        offset += size
    return files


def site_docs(site: Site, subsite: int,
              section_ids: dict[str, int]) -> list[tuple[SearchDoc, str]]:  # fmt: skip
    """Each article as a document without its body, and the key of its body HTML."""
    config = site.config
    prefix = f"{config.key}/" if config.key else ""
    docs = []
    for article in site.articles.values():
        section = site.sections[article.section_key]
        authors = " ".join(site.authors[key].name for key in article.author_keys)
        doc = SearchDoc(
            source_path=article.source_path,
            url=site.urls.href(article.path),
            title=article.title,
            date=article.date,
            language=config.language,
            section=section_ids[prefix + article.section_key],
            subsite=subsite,
            lead=article.summary_text,
            body="",
            other=f"{authors} {section.title}",
        )
        docs.append((doc, article.content_key))
    return docs


# Worker processes get the HTML loader and the index's scope once, and keep them here.
_worker: dict = {}


def _init_worker(load_html: HtmlLoader, scope: IndexScope) -> None:
    _worker.update(load_html=load_html, scope=scope)


def _index_part(work: tuple[int, list[tuple[SearchDoc, str]]]) -> IndexPart:
    """The index's part of a few documents, their text read from the HTML store."""
    first, batch = work
    load_html = _worker["load_html"]
    docs = [replace(doc, body=html_text(load_html(key)[0])) for doc, key in batch]
    return index_part(docs, first, _worker["scope"])


def html_text(fragment: str) -> str:
    """The text of an HTML fragment, on one line."""
    if "<script" in fragment or "<style" in fragment:
        fragment = _SKIPPED.sub(" ", fragment)
    text = _TAG.sub(" ", fragment)
    return " ".join((html.unescape(text) if "&" in text else text).split())


def search_view(site: Site, sites: Sequence[Site]) -> View:
    """What search.html sees as `page.search`: where the index is, the sub-site the page
    searches ("" for all), and the choices of its filters, from the articles of `sites`."""
    portal = site.portal is not None or bool(site.config.subsites)
    groups = [
        View(
            title=other.config.title if portal and len(sites) > 1 else None,
            options=[
                View(value=f"{other.config.key}/{key}" if portal else key, title=section.title)
                for key, section in other.sections.items()
            ],
        )
        for other in sites
    ]
    years = sorted({a.date.year for other in sites for a in other.articles.values()}, reverse=True)
    return View(
        index_url=site.urls.href(SEARCH),
        subsite=site.config.key,
        section_groups=groups,
        years=years,
        whole_portal_choice=bool(site.config.key),
    )
