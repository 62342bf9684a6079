"""Search: an index of the published articles written at build time, searched in the
reader's browser by the theme's script (theme/static/js/search.js), Vietnamese-aware.

The pipeline calls `search_pages` for each site (the search page, /search/ or
/<key>/search/) and `search_files` once per build (the index, under /search/, one for the
whole portal, which each sub-site's page filters to its own articles).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace as View

from .. import urls
from ..cache import BuildCache
from ..model import OutputFile, Page, PendingFile, Site
from .files import index_output
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


def search_files(sites: Sequence[Site], cache: BuildCache,
                 jobs: int = 1) -> list[OutputFile | PendingFile]:  # fmt: skip
    """The index of every article of `sites` (the one site, or each sub-site of a portal)
    whose search is on, under /search/, made on `jobs` cores in proportion to what changed
    since the last build (files.py)."""
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
    return index_output(todo, scope, cache, jobs)


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
