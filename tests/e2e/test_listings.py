"""Section, tag and author listings with pagination; the home page; the 404 page."""

from __future__ import annotations

import pytest

import sitegen.links
import sitegen.views
from tests.conftest import article
from tests.e2e.helpers import attrs, card_titles, config, exists, texts


def five_articles(**fields: object) -> dict[str, str]:
    """Bài 1 (oldest) .. Bài 5 (newest), one day apart, in tin-hoat-dong."""
    return {
        f"content/tin-hoat-dong/bai-{n}.md": article(
            title=f"Bài {n}", date=f"2026-02-0{n} 08:00", **fields
        )
        for n in range(1, 6)
    }


@pytest.fixture(scope="module")
def paged(built_site):
    return built_site(five_articles(tags="[Cải cách]"), config=config("per_page: 2"))


def pagination(page) -> dict[str, str]:
    return {a["rel"][0]: a["href"] for a in page.select("nav.pagination a")}


def test_section_pages_list_articles_newest_first_per_page(paged):
    assert card_titles(paged.html("/tin-hoat-dong/")) == ["Bài 5", "Bài 4"]
    assert card_titles(paged.html("/tin-hoat-dong/page/2/")) == ["Bài 3", "Bài 2"]
    assert card_titles(paged.html("/tin-hoat-dong/page/3/")) == ["Bài 1"]


def test_section_has_no_page_past_the_last(paged):
    assert not exists(paged, "/tin-hoat-dong/page/4/")
    assert not exists(paged, "/tin-hoat-dong/page/1/")


def test_section_pages_link_to_newer_and_older_pages(paged):
    assert pagination(paged.html("/tin-hoat-dong/")) == {"next": "/tin-hoat-dong/page/2/"}
    assert pagination(paged.html("/tin-hoat-dong/page/2/")) == {
        "prev": "/tin-hoat-dong/",
        "next": "/tin-hoat-dong/page/3/",
    }
    assert pagination(paged.html("/tin-hoat-dong/page/3/")) == {"prev": "/tin-hoat-dong/page/2/"}


def test_section_page_shows_its_number_of_total(paged):
    assert texts(paged.html("/tin-hoat-dong/page/2/"), "nav.pagination .pagination-status") == [
        "Trang 2/3"
    ]


def test_listing_cards_link_to_articles_with_date_and_summary(paged):
    page = paged.html("/tin-hoat-dong/page/3/")
    assert attrs(page, "main .card-title a", "href") == ["/tin-hoat-dong/bai-1/"]
    assert [(t["datetime"], t.get_text()) for t in page.select("main .card time")] == [
        ("2026-02-01T08:00:00+07:00", "01/02/2026")
    ]
    assert texts(page, "main .card-summary") == ["Đoạn mở đầu."]


def test_listing_card_has_thumbnail_only_for_article_with_image(make_site):
    site = make_site(
        {
            "content/tin-hoat-dong/a.md": article(
                title="Có ảnh", date="2026-02-02 08:00", image="/images/a.jpg"
            ),
            "content/tin-hoat-dong/b.md": article(title="Không ảnh", date="2026-02-01 08:00"),
        }
    )
    assert site.build() == 0
    cards = site.html("/tin-hoat-dong/").select("main li.card")
    assert [[img["src"] for img in card.select("img")] for card in cards] == [["/images/a.jpg"], []]


def test_section_with_few_articles_has_one_page_and_no_pagination(make_site):
    site = make_site(five_articles(), config=config("per_page: 5"))
    assert site.build() == 0
    page = site.html("/tin-hoat-dong/")
    assert card_titles(page) == ["Bài 5", "Bài 4", "Bài 3", "Bài 2", "Bài 1"]
    assert page.select("nav.pagination") == []
    assert not exists(site, "/tin-hoat-dong/page/2/")


def test_empty_section_page_says_it_has_no_articles(paged):
    page = paged.html("/xay-dung-dang/")
    assert card_titles(page) == []
    assert texts(page, "main p.empty") == ["Chưa có bài viết."]


def test_tag_pages_paginate_newest_first(paged):
    first = paged.html("/tags/cai-cach/")
    assert texts(first, "h1") == ["Từ khóa: Cải cách"]
    assert card_titles(first) == ["Bài 5", "Bài 4"]
    assert card_titles(paged.html("/tags/cai-cach/page/2/")) == ["Bài 3", "Bài 2"]
    assert card_titles(paged.html("/tags/cai-cach/page/3/")) == ["Bài 1"]
    assert pagination(paged.html("/tags/cai-cach/page/2/")) == {
        "prev": "/tags/cai-cach/",
        "next": "/tags/cai-cach/page/3/",
    }
    assert not exists(paged, "/tags/cai-cach/page/4/")


def test_author_pages_paginate_newest_first(paged):
    first = paged.html("/authors/le-van-minh/")
    assert texts(first, "h1") == ["Tác giả: Lê Văn Minh"]
    assert card_titles(first) == ["Bài 5", "Bài 4"]
    assert card_titles(paged.html("/authors/le-van-minh/page/3/")) == ["Bài 1"]
    assert pagination(paged.html("/authors/le-van-minh/page/3/")) == {
        "prev": "/authors/le-van-minh/page/2/"
    }


def test_author_page_lists_only_that_authors_articles(make_site):
    site = make_site(
        {
            "content/tin-hoat-dong/a.md": article(title="Bài của Minh", author="Lê Văn Minh"),
            "content/tin-hoat-dong/b.md": article(title="Bài của Hoa", author="Trần Thị Hoa"),
            "content/xay-dung-dang/c.md": article(
                title="Bài chung",
                author="[Trần Thị Hoa, Lê Văn Minh]",
                section="xay-dung-dang",
                date="2026-01-20 08:00",
            ),
        }
    )
    assert site.build() == 0
    assert card_titles(site.html("/authors/tran-thi-hoa/")) == ["Bài chung", "Bài của Hoa"]
    assert card_titles(site.html("/authors/le-van-minh/")) == ["Bài chung", "Bài của Minh"]


# --- home and 404 ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def home(built_site):
    site = built_site(
        {
            "content/tin-hoat-dong/a.md": article(title="Hoạt động cũ", date="2026-01-01 08:00"),
            "content/tin-hoat-dong/b.md": article(title="Hoạt động mới", date="2026-01-03 08:00"),
            "content/xay-dung-dang/c.md": article(
                title="Xây dựng giữa", date="2026-01-02 08:00", section="xay-dung-dang"
            ),
        }
    )
    return site.html("/")


def test_home_lists_latest_articles_newest_first(home):
    assert card_titles(home, ".home-latest") == ["Hoạt động mới", "Xây dựng giữa", "Hoạt động cũ"]
    assert attrs(home, ".home-latest .card-title a", "href") == [
        "/tin-hoat-dong/hoat-dong-moi/",
        "/xay-dung-dang/xay-dung-giua/",
        "/tin-hoat-dong/hoat-dong-cu/",
    ]


def test_home_has_a_block_per_section_with_its_articles(home):
    blocks = home.select("section.home-block")
    assert [(texts(b, "h2 a"), attrs(b, "h2 a", "href"), card_titles(b, "")) for b in blocks] == [
        (["Tin hoạt động"], ["/tin-hoat-dong/"], ["Hoạt động mới", "Hoạt động cũ"]),
        (["Xây dựng Đảng"], ["/xay-dung-dang/"], ["Xây dựng giữa"]),
    ]


def test_home_has_no_block_for_a_section_without_articles(paged):
    home = paged.html("/")
    assert [texts(b, "h2 a") for b in home.select("section.home-block")] == [["Tin hoạt động"]]


def test_home_has_one_h1_and_marks_home_current(home):
    assert len(home.select("h1")) == 1
    assert [a["href"] for a in home.select("nav.main-nav a[aria-current]")] == ["/"]


def test_home_latest_is_capped_by_home_count(make_site):
    site = make_site(five_articles(), config=config("home_count: 3"))
    assert site.build() == 0
    assert card_titles(site.html("/"), ".home-latest") == ["Bài 5", "Bài 4", "Bài 3"]


def test_not_found_page_has_its_heading_and_a_link_home(make_site):
    site = make_site({"content/tin-hoat-dong/a.md": article()})
    assert site.build() == 0
    page = site.html("/404.html")
    assert texts(page, "h1") == ["Không tìm thấy trang"]
    assert attrs(page, "main a.button", "href") == ["/"]
    assert page.html["lang"] == "vi"


def test_views_and_links_let_go_of_make_the_same_pages(make_site, monkeypatch, capsys):
    """A renderer keeps only the article views used last, a link checker the links: with
    two and one, every listing makes most views again, every page resolves its links again,
    and the pages and the link report come out as with all kept."""
    files = {
        f"content/{section}/bai-{n}.md": article(
            title=f"Bài {n}", date=f"2026-02-{n + 1:02d} 08:00", section=section,
            tags=f"[Chủ đề {n % 3}]", author=f"Tác giả {n % 2}",
            body=f"Xem [bài trước](/{section}/bai-{n - 2}/#muc) và [trang cũ](/khong-co/{n % 4}/).")
        for n in range(24) for section in [("tin-hoat-dong", "xay-dung-dang")[n % 2]]
    }  # fmt: skip
    site = make_site(files, config=config("per_page: 4"))
    assert site.build("--no-cache") == 0
    every_view_kept, report = site.files(), capsys.readouterr().err
    assert "/khong-co/3/" in report and "no id 'muc'" in report
    made = []
    make = sitegen.views.ViewBuilder._article_view
    monkeypatch.setattr(sitegen.views.ViewBuilder, "_article_view",
                        lambda views, article: made.append(article) or make(views, article))
    monkeypatch.setattr(sitegen.views, "VIEWS_KEPT", 2)
    monkeypatch.setattr(sitegen.links, "LINKS_KEPT", 1)
    assert site.build("--no-cache") == 0
    assert site.files() == every_view_kept and capsys.readouterr().err == report
    assert len(made) > 2 * len(files), "views were let go of and made again"
    assert card_titles(site.html("/tin-hoat-dong/")) == ["Bài 22", "Bài 20", "Bài 18", "Bài 16"]
