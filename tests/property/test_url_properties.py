"""Distinct things keep distinct URLs: articles (or a reported clash), tags and authors (always)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.assemble import assemble_site
from sitegen.config import SectionConfig, SiteConfig
from sitegen.errors import ErrorLog, OutputConflictError
from sitegen.parse import Document
from sitegen.render import Rendered
from sitegen.text import fold, slugify

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CONFIG = SiteConfig(
    root=Path("/site"),
    title="T",
    base_url="https://example.org/",
    sections=(SectionConfig("tin", "Tin"),),
)
QUICK = settings(deadline=None, max_examples=200)
# Names that slug alike or fold alike turn up often: few letters, Vietnamese marks, case.
LETTERS = list("aAăĂâÂdDđĐeEêÊoOôÔơƠ \u0301\u0300\u0323-!1")
NAME = st.text(st.sampled_from(LETTERS), min_size=1, max_size=6).filter(lambda s: s.strip())


def document(
    number: int, title: str, tags: tuple[str, ...] = (), authors: tuple[str, ...] = ("A",)
) -> Document:
    return Document(
        source_path=f"tin/{number:03d}.md",
        title=title,
        slug=slugify(title),
        date=dt.datetime(2026, 1, 1 + number % 28, 8, tzinfo=TZ),
        authors=authors,
        body="",
        body_line=7,
        section="tin",
        tags=tags,
        field_lines={"title": 2, "tags": 6, "author": 4},
    )


def assemble(documents: list[Document]):
    log = ErrorLog()
    rendered = {d.source_path: Rendered(d.source_path, "", "", "", "") for d in documents}
    return assemble_site(CONFIG, documents, rendered, log), log


@QUICK
@given(st.lists(NAME, min_size=1, max_size=12, unique=True))
def test_distinct_titles_get_distinct_urls_or_a_reported_clash(titles):
    documents = [document(number, title) for number, title in enumerate(titles)]
    site, log = assemble(documents)
    clashes = {error.path for error in log.errors if isinstance(error, OutputConflictError)}
    paths = [article.path for article in site.articles.values()]
    assert len(paths) == len(set(paths))
    for doc in documents:
        assert doc.source_path in site.articles or f"content/{doc.source_path}" in clashes
    assert len(site.articles) == len({slugify(title) for title in titles})


@QUICK
@given(st.lists(st.lists(NAME, min_size=1, max_size=4), min_size=1, max_size=8))
def test_tags_keep_distinct_urls_and_one_url_per_identity(tag_lists):
    documents = [
        document(number, f"Bài {number}", tuple(tags)) for number, tags in enumerate(tag_lists)
    ]
    site, log = assemble(documents)
    assert not log.errors
    paths = [term.path for term in site.tags.values()]
    assert len(paths) == len(set(paths))  # never one merged page for different words
    identities = {fold(tag) for tags in tag_lists for tag in tags}
    assert set(site.tags) == identities  # one page per word, whatever its case or form
    again, _ = assemble(list(reversed(documents)))
    assert {k: t.path for k, t in again.tags.items()} == {k: t.path for k, t in site.tags.items()}


@QUICK
@given(st.lists(NAME, min_size=1, max_size=8))
def test_authors_keep_distinct_urls(names):
    documents = [
        document(number, f"Bài {number}", authors=(name,)) for number, name in enumerate(names)
    ]
    site, log = assemble(documents)
    paths = [term.path for term in site.authors.values()]
    assert len(paths) == len(set(paths))
    assert set(site.authors) == {fold(name) for name in names}
