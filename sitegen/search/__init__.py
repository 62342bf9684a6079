"""Search: an index of the published articles written at build time, searched in the
reader's browser by the theme's script (theme/static/js/search.js), Vietnamese-aware.

The pipeline calls `search_pages` for each site (the search page, /search/ or
/<key>/search/) and `search_files` once per build (the index, under /search/, one for the
whole portal, which each sub-site's page filters to its own articles).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, count
from operator import ne
from pathlib import Path
from types import SimpleNamespace as View

from .. import urls
from ..cache import BuildCache
from ..model import Article, OutputFile, Page, PendingFile, Site
from .files import Digest, Entry, LastOutput, doc_signature, index_output, signature_base
from .index import IndexScope, SearchDoc, index_order

SEARCH = "/search/"
THEME_SCRIPT = Path(__file__).parents[1] / "theme" / "static" / "js" / "search.js"  # what searches
SEARCH_KIND = "search"


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


Signed = tuple[Article, SearchDoc, str]  # an article, its document and the doc's signature


@dataclass
class DocsMemo:
    """Each article's search document and signature, by the article object, and the last
    build's documents in index order. A build that kept its articles (a body edit in the dev
    server, reuse.py) makes documents again only for the articles it replaced (1 s at
    100,000 articles); one that assembled the site again makes every document but signs
    again only those that differ from the last (another second), and sorts them again only
    when one moved."""

    scope: IndexScope | None = None
    by_article: dict[int, Signed] = field(default_factory=dict)
    ordered: list[Signed] = field(default_factory=list)  # in `index_order`
    places: dict[str, int] = field(default_factory=dict)  # source path -> place in `ordered`
    output: LastOutput = field(default_factory=LastOutput)  # the files made last
    todo: list[Entry] = field(default_factory=list)  # (document, body key) of `ordered`
    signatures: list[str] = field(default_factory=list)  # of `ordered`
    article_ids: list[list[int]] = field(default_factory=list)  # of each site, in its order


def search_files(sites: Sequence[Site], cache: BuildCache, jobs: int = 1,
                 memo: DocsMemo | None = None) -> list[OutputFile | PendingFile]:  # fmt: skip
    """The index of every article of `sites` (the one site, or each sub-site of a portal)
    whose search is on, under /search/, made on `jobs` cores in proportion to what changed
    since the last build (files.py). `memo`: the last build's documents, updated for the
    next."""
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
    memo = memo if memo is not None else DocsMemo()
    if memo.scope != scope:  # the sections' numbering and the signatures' base differ
        memo.by_article, memo.ordered, memo.places, memo.output = {}, [], {}, LastOutput()
        memo.todo, memo.signatures, memo.article_ids = [], [], []
    numbers = {section_id: number for number, (section_id, _) in enumerate(sections)}
    base = signature_base(scope)
    signed = dict(memo.by_article)
    remade: list[Signed] = []
    for number, site, article in _new_articles(memo, shown, signed):
        doc = search_doc(site, article, number, numbers)
        signed[id(article)] = (article, doc, _signature(memo, base, doc, article))
        remade.append(signed[id(article)])
    ordered = _in_place(memo, len(signed), remade)
    if ordered is not None:
        todo, signatures = list(memo.todo), list(memo.signatures)
        for article, doc, signature in remade:
            place = memo.places[doc.source_path]
            todo[place], signatures[place] = (doc, article.content_key), signature
    else:
        ordered = sorted(signed.values(), key=lambda entry: index_order(entry[1]))
        memo.places = {entry[1].source_path: place for place, entry in enumerate(ordered)}
        todo = [(doc, article.content_key) for article, doc, _ in ordered]
        signatures = [signature for *_, signature in ordered]
    memo.scope, memo.by_article, memo.ordered = scope, signed, ordered
    memo.todo, memo.signatures = todo, signatures
    return index_output(todo, signatures, scope, cache, jobs, memo.output)


def _new_articles(memo: DocsMemo, shown: Sequence[Site],
                  signed: dict[int, Signed]) -> list[tuple[int, Site, Article]]:  # fmt: skip
    """(sub-site number, site, article) of each article that `signed` (by the article's id)
    has no document for; the entries of articles gone are removed from it.

    The articles the memo has are the very objects it holds (so their ids are theirs): maps
    and set operations find the others, not a loop over 100,000 articles. When each site
    has as many articles as the last build, in the same order but a few replaced (an edit
    in the dev server), the ids are compared place by place, in a fifth of the time."""
    ids = [list(map(id, site.articles.values())) for site in shown]
    before, memo.article_ids = memo.article_ids, ids
    if list(map(len, before)) == list(map(len, ids)):
        new: list[tuple[int, Site, Article]] = []
        for number, (site, now, last) in enumerate(zip(shown, ids, before, strict=True)):
            places = list(compress(count(), map(ne, now, last)))
            for place in places:
                signed.pop(last[place], None)
            articles = list(site.articles.values()) if places else []
            new += [(number, site, articles[place]) for place in places]
        return [entry for entry in new if id(entry[2]) not in signed]
    present = set(chain.from_iterable(ids))
    for key in signed.keys() - present:
        del signed[key]
    new = []
    for number, site in enumerate(shown):
        by_id = dict(zip(map(id, site.articles.values()), site.articles.values(), strict=True))
        new += [(number, site, by_id[key]) for key in by_id.keys() - signed.keys()]
    return new


def _signature(memo: DocsMemo, base: Digest, doc: SearchDoc, article: Article) -> str:
    """The document's signature: the last build's for its article when the document and the
    body are the same (a site assembled again makes new articles, most of them equal)."""
    place = memo.places.get(doc.source_path)
    if place is not None:
        old_article, old_doc, signature = memo.ordered[place]
        if old_doc == doc and old_article.content_key == article.content_key:
            return signature
    return doc_signature(base, doc, article.content_key)


def _in_place(memo: DocsMemo, count: int, remade: list[Signed]) -> list[Signed] | None:
    """The last build's order with the documents made again put in the places of those of
    the same articles, when that is the order: as many documents, each made again for an
    article the last build had, at the same date. Else None (sort them)."""
    if count != len(memo.ordered):
        return None
    ordered = list(memo.ordered)
    for entry in remade:
        place = memo.places.get(entry[1].source_path)
        if place is None or index_order(ordered[place][1]) != index_order(entry[1]):
            return None
        ordered[place] = entry
    return ordered


def search_doc(site: Site, article: Article, subsite: int,
               section_ids: dict[str, int]) -> SearchDoc:  # fmt: skip
    """An article as a document without its body (the index reads that from the cache)."""
    config = site.config
    prefix = f"{config.key}/" if config.key else ""
    section = site.sections[article.section_key]
    authors = " ".join(site.authors[key].name for key in article.author_keys)
    return SearchDoc(
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
