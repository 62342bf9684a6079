"""Tags and authors: one term per name whatever its case or Unicode form; Vietnamese order."""

from __future__ import annotations

import unicodedata

import pytest

from sitegen.assemble import assemble_site
from sitegen.config import load_config
from sitegen.discover import decode_source
from sitegen.errors import ErrorLog
from sitegen.parse import parse_document
from sitegen.render import RenderSettings, render_document
from tests.conftest import Site, article
from tests.e2e.helpers import attrs, card_titles, exists, texts


def tagged(tags_by_title: dict[str, str]) -> dict[str, str]:
    """One article per title with the given YAML tags value, a day apart (the first oldest)."""
    return {
        f"content/tin-hoat-dong/bai-{n}.md": article(
            title=title, date=f"2026-04-{n + 10} 08:00", tags=tags
        )
        for n, (title, tags) in enumerate(tags_by_title.items())
    }


@pytest.fixture(scope="module")
def spellings(built_site):
    nfd = unicodedata.normalize("NFD", "Chuyển đổi số")
    assert nfd != "Chuyển đổi số"
    return built_site(
        tagged(
            {
                "Bài chữ hoa": "[Chuyển đổi số]",
                "Bài chữ thường": "[chuyển đổi số]",
                "Bài tổ hợp": f"[{nfd}]",
                "Bài không liên quan": "[Khác]",
            }
        )
    )


def test_tags_differing_in_case_or_unicode_form_share_one_page(spellings):
    page = spellings.html("/tags/chuyen-doi-so/")
    assert card_titles(page) == ["Bài tổ hợp", "Bài chữ thường", "Bài chữ hoa"]
    assert not exists(spellings, "/tags/chuyen-doi-so-2/")


def test_shared_tag_is_named_in_its_most_used_spelling(spellings):
    assert texts(spellings.html("/tags/chuyen-doi-so/"), "h1") == ["Từ khóa: Chuyển đổi số"]


def test_every_spelling_links_to_the_one_tag_page(spellings):
    for slug in ("bai-chu-hoa", "bai-chu-thuong", "bai-to-hop"):
        page = spellings.html(f"/tin-hoat-dong/{slug}/")
        assert attrs(page, ".tags a", "href") == ["/tags/chuyen-doi-so/"]


def test_tag_page_has_breadcrumb_and_no_section_marked_current(spellings):
    page = spellings.html("/tags/khac/")
    assert texts(page, "nav.breadcrumbs li a") == ["Trang chủ", "Từ khóa", "Từ khóa: Khác"]
    assert page.select("nav.main-nav a[aria-current]") == []
    assert card_titles(page) == ["Bài không liên quan"]


def test_author_names_differing_in_case_share_one_author_page(built_site):
    site = built_site(
        {
            "content/tin-hoat-dong/a.md": article(
                title="Bài một", author="Lê Văn Minh", date="2026-01-01 08:00"
            ),
            "content/tin-hoat-dong/b.md": article(
                title="Bài hai", author="lê văn minh", date="2026-01-02 08:00"
            ),
        }
    )
    assert card_titles(site.html("/authors/le-van-minh/")) == ["Bài hai", "Bài một"]
    assert not exists(site, "/authors/le-van-minh-2/")


def test_distinct_tags_with_the_same_slug_are_numbered_in_vietnamese_order(built_site):
    # "an", "ăn" and "ân" are different words with one ASCII slug; a < ă < â decides the numbers.
    site = built_site(tagged({"Bài một": "[ân]", "Bài hai": "[ăn]", "Bài ba": "[an]"}))
    assert texts(site.html("/tags/an/"), "h1") == ["Từ khóa: an"]
    assert texts(site.html("/tags/an-2/"), "h1") == ["Từ khóa: ăn"]
    assert texts(site.html("/tags/an-3/"), "h1") == ["Từ khóa: ân"]


def site_model(site: Site):
    """The site model the stages assemble from the fixture's files.

    The theme shows no list of all tags or authors, so their order is read from the model.
    """
    config = load_config(site.root / "config.yaml")
    log = ErrorLog()
    sources = [
        decode_source(path.read_bytes(), path.relative_to(config.content_dir).as_posix(), log)
        for path in sorted(config.content_dir.rglob("*.md"))
    ]
    documents = [parse_document(source, config.tz, log) for source in sources]
    settings = RenderSettings(config.base_path, config.language)
    rendered = {d.source_path: render_document(d, settings) for d in documents}
    model = assemble_site(config, documents, rendered, log)
    assert log.errors == []
    return model


def test_tags_are_ordered_by_vietnamese_alphabet_not_code_points(make_site):
    site = make_site(tagged({"Bài một": "[Đảng, an]", "Bài hai": "[ăn, bàn]", "Bài ba": "[ân]"}))
    assert [term.name for term in site_model(site).tags.values()] == [
        "an",
        "ăn",
        "ân",
        "bàn",
        "Đảng",
    ]


def test_tones_sort_in_dictionary_order(make_site):
    site = make_site(tagged({"Bài một": "[bạ, bá, bã]", "Bài hai": "[bả, bà, ba]"}))
    assert [term.name for term in site_model(site).tags.values()] == [
        "ba",
        "bà",
        "bả",
        "bã",
        "bá",
        "bạ",
    ]


def test_authors_are_ordered_by_vietnamese_alphabet(make_site):
    names = ["Ưng Hòa", "Đỗ Minh", "Uông Hải", "Âu Cường", "Bùi Lan", "An Dũng"]
    site = make_site(
        {
            f"content/tin-hoat-dong/bai-{n}.md": article(title=f"Bài {n}", author=name)
            for n, name in enumerate(names)
        }
    )
    assert [term.name for term in site_model(site).authors.values()] == [
        "An Dũng",
        "Âu Cường",
        "Bùi Lan",
        "Đỗ Minh",
        "Uông Hải",
        "Ưng Hòa",
    ]


def test_tag_index_page_lists_every_tag_in_vietnamese_order_with_counts(make_site):
    site = make_site(
        tagged({"Bài một": "[Đảng, an]", "Bài hai": "[ăn, bàn, an]", "Bài ba": "[ân]"})
    )
    assert site.build() == 0
    page = site.html("/tags/")
    assert page.h1.get_text(strip=True) == "Từ khóa"
    items = [
        (li.a.get_text(), li.a["href"], li.select_one(".term-count").get_text())
        for li in page.select(".term-index li")
    ]
    assert items == [
        ("an", "/tags/an/", "(2)"),
        ("ăn", "/tags/an-2/", "(1)"),
        ("ân", "/tags/an-3/", "(1)"),
        ("bàn", "/tags/ban/", "(1)"),
        ("Đảng", "/tags/dang/", "(1)"),
    ]


def test_author_index_page_lists_every_author_and_tag_pages_link_back_to_their_index(make_site):
    site = make_site(tagged({"Bài một": "[Đảng]"}))
    assert site.build() == 0
    authors = [a.get_text() for a in site.html("/authors/").select(".term-index li a")]
    assert authors == ["Lê Văn Minh"]
    crumbs = [
        a.get_text(strip=True) for a in site.html("/tags/dang/").select("nav[aria-label] ol li")
    ]
    assert crumbs[:2] == ["Trang chủ", "Từ khóa"]
