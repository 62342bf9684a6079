"""Documents + Rendered -> Site: sections, tags, authors, related lists, pagination, URLs.

Everything here is linear in the number of articles: one sort, then grouping passes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from . import urls
from .cache import SourceRecord
from .config import RESERVED_KEYS, SiteConfig
from .discover import shown_path
from .errors import ErrorLog, FrontMatterError, OutputConflictError
from .links import linked_articles
from .model import Article, Image, Page, Section, Site, Term
from .parse import Document
from .photos import is_photo, site_path_of
from .render import Rendered
from .text import collation_key, fold, slugify

HOME_BLOCK_SIZE = 6  # articles per section block on the home page; templates may show fewer


@dataclass(frozen=True)
class LastArticles:
    """The articles of the last build of this process and what each was made from: an
    article whose document and rendering are the very same objects (its source did not
    change: the cache handed out the same record), in the same section, under the same
    URLs, is taken again instead of made again (1.7 s at 100,000 articles)."""

    articles: Mapping[str, Article]  # by source path, of every (sub-)site
    made_from: Mapping[str, SourceRecord]  # source path -> the record it was made from
    links: Mapping[str, urls.Urls]  # each (sub-)site's, by its key ("" for a site)


def assemble_site(config: SiteConfig, documents: Sequence[Document],
                  rendered: dict[str, Rendered], log: ErrorLog,
                  last: LastArticles | None = None) -> Site:  # fmt: skip
    """The whole cross-linked site; problems go to `log` and their articles are left out.

    A sub-site (`config.key`) is assembled alike, from its own documents, with every path
    under /<key>/. `last`: the articles to take again where nothing they come from changed."""
    link = site_urls(config)
    sections, section_of = resolve_sections(config, documents, log)
    if last is not None and last.links.get(config.key) != link:
        last = None
    articles = build_articles(documents, rendered, section_of, link, log, config.key, last)
    ordered = sorted(articles, key=newest_first)
    by_section = group(ordered, lambda a: (a.section_key,))
    tags, by_tag = build_terms("tag", ordered, documents, log, config.key)
    authors, by_author = build_terms("author", ordered, documents, log, config.key)
    site = Site(
        config=config,
        urls=link,
        articles={a.source_path: a for a in ordered},
        sections=sections,
        tags=tags,
        authors=authors,
        by_section={key: tuple(by_section.get(key, ())) for key in sections},
        by_tag={key: tuple(paths) for key, paths in by_tag.items()},
        by_author={key: tuple(paths) for key, paths in by_author.items()},
        related={},
        older={},
        newer={},
    )
    link_neighbours(site)
    site.pages = plan_pages(site)
    return site


def site_urls(config: SiteConfig) -> urls.Urls:
    if config.key and config.own_url:
        return urls.Urls(config.base_url, config.base_path, f"/{config.key}/", config.own_url)
    return urls.Urls(config.base_url, config.base_path)


def newest_first(article: Article) -> tuple:
    """Newest first; equal dates by title, then by file, so every build sorts alike.

    (Not the Vietnamese collation for the title: it costs a second at 10,000 articles and
    only breaks ties.)"""
    return (-article.date.timestamp(), article.title.casefold(), article.source_path)


# --- sections -------------------------------------------------------------------------


def resolve_sections(
    config: SiteConfig, documents: Sequence[Document], log: ErrorLog
) -> tuple[dict[str, Section], dict[str, str]]:
    """Sections by key, and each document's section key.

    A document names its section by key or title, or by the first folder under content/.
    With no sections in config.yaml, sections are made from the names articles give.
    """
    known = {s.key: (s.title, s.description) for s in config.sections}
    lookup = {}
    for key, (title, _) in known.items():
        lookup[fold(title)] = key
        lookup[key] = key
    section_of: dict[str, str] = {}
    for document in documents:
        name = _section_name(document, config.key)
        if name is None:
            log.error(
                FrontMatterError(
                    shown_path(document.source_path),
                    "'section' is missing: add 'section: KEY' or put the file "
                    "in a folder named after its section",
                    1,
                )
            )
            continue
        key = lookup.get(fold(name)) or lookup.get(slugify(name))
        if key is None and not config.sections:
            key = _new_section_key(name, known, document, log)
            if key is not None:
                known[key] = (name, "")
                lookup[fold(name)] = lookup[key] = key  # later files may use the key or folder
        if key is None:
            if config.sections:
                log.error(_unknown_section(document, name, config))
            continue
        section_of[document.source_path] = key
    scope = config.key
    sections = {
        key: Section(key, title, description, urls.under(scope, urls.section_path(key)),
                     urls.under(scope, urls.section_feed_path(key)))
        for key, (title, description) in known.items()
    }  # fmt: skip
    return sections, section_of


def _section_name(document: Document, scope: str = "") -> str | None:
    """Its `section:`, or the first folder under content/ (under the sub-site's folder)."""
    if document.section:
        return document.section
    path = document.source_path
    if scope:
        path = path.removeprefix(f"{scope}/")
    folder, _, rest = path.partition("/")
    return folder if rest else None


def _new_section_key(name: str, known: dict, document: Document, log: ErrorLog) -> str | None:
    key = slugify(name)
    if key in RESERVED_KEYS:
        log.error(
            FrontMatterError(
                shown_path(document.source_path),
                f"section '{name}' would take the URL /{key}/, which sitegen "
                "uses itself: choose another section name",
                document.line_of("section"),
            )
        )
        return None
    return key


def _unknown_section(document: Document, name: str, config: SiteConfig) -> FrontMatterError:
    keys = ", ".join(s.key for s in config.sections)
    if document.section:
        what, line = f"unknown section '{name}'", document.line_of("section")
    else:
        what, line = f"no 'section:' field, and the folder '{name}' is no section", 1
    where = f"of the sub-site '{config.key}' " if config.key else ""
    return FrontMatterError(
        shown_path(document.source_path),
        f"{what}: use one of the keys {where}in config.yaml: {keys}",
        line,
    )


# --- articles -------------------------------------------------------------------------


def build_articles(
    documents: Sequence[Document],
    rendered: dict[str, Rendered],
    section_of: dict[str, str],
    link: urls.Urls,
    log: ErrorLog,
    scope: str = "",
    last: LastArticles | None = None,
) -> list[Article]:
    """One Article per document that has a section; two articles at one URL is an error.
    `last`: made with the same `link` (see LastArticles)."""
    owners: dict[str, Document] = {}
    articles = []
    for document in sorted(documents, key=lambda d: d.source_path):
        key = section_of.get(document.source_path)
        html = rendered.get(document.source_path)
        if key is None or html is None:
            continue
        kept = _kept_article(last, document, html, key)
        slug = kept.slug if kept else document.slug or slugify(document.title)
        path = kept.path if kept else urls.under(scope, urls.article_path(key, slug))
        first = owners.setdefault(path, document)
        if first is not document:
            log.error(
                OutputConflictError(
                    shown_path(document.source_path),
                    f"has the same URL {path} as {shown_path(first.source_path)}: "
                    "give one of them another 'slug:' or title",
                    document.line_of("slug" if document.slug_given else "title"),
                )
            )
            continue
        articles.append(kept or _article(document, html, key, slug, path, link))
    return articles


def _kept_article(last: LastArticles | None, document: Document, html: Rendered,
                  section_key: str) -> Article | None:  # fmt: skip
    """The last build's article of this document, when it was made from these very objects
    into this section (the slug and path follow from them and the sub-site)."""
    if last is None:
        return None
    article = last.articles.get(document.source_path)
    made_from = last.made_from.get(document.source_path)
    if article is None or made_from is None or article.section_key != section_key:
        return None
    return article if made_from.document is document and made_from.rendered is html else None


def _article(document: Document, html: Rendered, section_key: str, slug: str, path: str,
             link: urls.Urls) -> Article:  # fmt: skip
    image = None
    source_dir = document.source_path.rpartition("/")[0]
    if document.image:
        reference = document.image
        if "://" not in reference and not reference.startswith("/"):
            reference = urls.resolve_relative(source_dir, reference) or reference
        image = Image(
            link.link(reference), document.image_caption or document.title, document.image_caption
        )
    shown = [site_path_of(document.image, source_dir)] if document.image else []
    shown += ["/" + r.target for r in html.references if is_photo(r.target)]
    return Article(
        source_path=document.source_path,
        title=document.title,
        slug=slug,
        path=path,
        date=document.date,
        section_key=section_key,
        author_keys=_keys(document.authors),
        tag_keys=_keys(document.tags),
        summary_html=html.lead_html,
        summary_text=html.summary_text,
        content_key=html.content_key,
        card_key=html.card_key or html.content_key,
        updated=document.updated,
        organisation=document.organisation,
        image=image,
        params=document.params,
        linked=linked_articles(html),
        photos=tuple(dict.fromkeys(p for p in shown if p)),
    )


def _keys(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(fold(name) for name in names))


def group(
    ordered: Iterable[Article], keys_of: Callable[[Article], Iterable[str]]
) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for article in ordered:
        for key in dict.fromkeys(keys_of(article)):
            groups[key].append(article.source_path)
    return groups


# --- tags and authors -----------------------------------------------------------------


def build_terms(
    kind: str, ordered: Sequence[Article], documents: Sequence[Document], log: ErrorLog,
    scope: str = "",
) -> tuple[dict[str, Term], dict[str, list[str]]]:  # fmt: skip
    """Terms in alphabetical order, and their articles newest first.

    Names that differ only in case or Unicode form are one term, shown in the spelling most
    articles use. Different names whose slugs clash get `-2`, `-3`... in alphabetical order.
    """
    keys_of = (lambda a: a.tag_keys) if kind == "tag" else (lambda a: a.author_keys)
    published = {a.source_path for a in ordered}
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    first_seen: dict[str, str] = {}
    for document in sorted(documents, key=lambda d: d.source_path):
        if document.source_path not in published:
            continue
        for name in document.tags if kind == "tag" else document.authors:
            key = fold(name)
            spellings[key][name] += 1
            first_seen.setdefault(key, document.source_path)
    names = {key: _most_used(counter) for key, counter in spellings.items()}
    slugs = _distinct_slugs(kind, names, first_seen, documents, log, scope)
    path_of = urls.tag_path if kind == "tag" else urls.author_path
    ordered_keys = sorted(names, key=lambda key: collation_key(names[key]))
    terms = {
        key: Term(kind, key, names[key], slugs[key], urls.under(scope, path_of(slugs[key])))
        for key in ordered_keys
    }
    members = group(ordered, keys_of)
    return terms, {key: members[key] for key in ordered_keys}


def _most_used(counter: Counter[str]) -> str:
    # Counter keeps insertion order for ties, and insertion follows source order.
    return max(counter.items(), key=lambda item: item[1])[0]


def _distinct_slugs(
    kind: str, names: dict[str, str], first_seen: dict[str, str], documents: Sequence[Document],
    log: ErrorLog, scope: str = "",
) -> dict[str, str]:  # fmt: skip
    path_of = urls.tag_path if kind == "tag" else urls.author_path
    by_slug: dict[str, list[str]] = defaultdict(list)
    for key in names:
        by_slug[slugify(names[key])].append(key)
    taken = set(by_slug)
    slugs: dict[str, str] = {}
    for slug, keys in sorted(by_slug.items()):
        keys.sort(key=lambda key: collation_key(names[key]))
        slugs[keys[0]] = slug
        for number, key in enumerate(keys[1:], start=2):
            while f"{slug}-{number}" in taken:
                number += 1
            slugs[key] = f"{slug}-{number}"
            taken.add(slugs[key])
            page = urls.under(scope, path_of(slugs[key]))
            _warn_clash(kind, names[keys[0]], names[key], page, first_seen[key], documents, log)
    return slugs


def _warn_clash(kind: str, first: str, other: str, page: str, source_path: str,
                documents: Sequence[Document], log: ErrorLog) -> None:  # fmt: skip
    field = "tags" if kind == "tag" else "author"
    line = next((d.line_of(field) for d in documents if d.source_path == source_path), 1)
    log.warn(
        FrontMatterError(
            shown_path(source_path),
            f"{kind} '{other}' has the same slug as '{first}': its page is {page}",
            line,
        )
    )


# --- neighbours and pages -------------------------------------------------------------


def link_neighbours(site: Site) -> None:
    """Related lists and previous/next within each section, from the section's sorted list."""
    count = site.config.related_count
    for paths in site.by_section.values():
        for index, path in enumerate(paths):
            site.older[path] = paths[index + 1] if index + 1 < len(paths) else None
            site.newer[path] = paths[index - 1] if index > 0 else None
            site.related[path] = tuple(p for p in paths[: count + 1] if p != path)[:count]


def plan_pages(site: Site) -> list[Page]:
    """Every page of the site; a sub-site's are under /<key>/, and the portal has the 404."""
    config = site.config
    scope = config.key
    home = Page("home", urls.under(scope, urls.HOME), "home.html",
                items=tuple(list(site.articles)[: config.home_count]), subsite=scope)  # fmt: skip
    pages = [home] if scope else [home, Page("404", urls.NOT_FOUND, "404.html")]
    pages += [
        Page("article", a.path, "article.html", key=a.source_path, subsite=scope)
        for a in site.articles.values()
    ]
    per_page = config.per_page
    for key, section in site.sections.items():
        pages += paginate("section", key, section.path, site.by_section[key], per_page, scope)
    for kind, terms, members in (
        ("tag", site.tags, site.by_tag),
        ("author", site.authors, site.by_author),
    ):
        for key, term in terms.items():
            pages += paginate(kind, key, term.path, members[key], per_page, scope)
    # An index of every tag and of every author, in alphabetical order.
    for kind, index, terms in (("tag", urls.TAGS_INDEX, site.tags),
                               ("author", urls.AUTHORS_INDEX, site.authors)):  # fmt: skip
        if terms:
            pages.append(
                Page("terms", urls.under(scope, index), "terms.html", key=kind, subsite=scope)
            )
    return pages


def paginate(
    kind: str, key: str, first_path: str, paths: Sequence[str], per_page: int, subsite: str = ""
) -> list[Page]:
    total = max(1, -(-len(paths) // per_page))
    return [
        Page(
            kind,
            urls.page_path(first_path, number),
            "section.html" if kind == "section" else "taxonomy.html",
            key=key,
            number=number,
            total=total,
            items=tuple(paths[(number - 1) * per_page : number * per_page]),
            first_path=first_path,
            subsite=subsite,
        )
        for number in range(1, total + 1)
    ]
