"""Where an article lands: slug from title or front matter, section from key, title or folder."""

from __future__ import annotations

import pytest

from tests.conftest import article
from tests.e2e.helpers import card_titles, exists, texts


@pytest.fixture(scope="module")
def placed(built_site):
    """Articles that name their place in each of the ways front matter and folders allow."""
    return built_site(
        {
            "content/tin-hoat-dong/a.md": article(title="Đảng bộ tỉnh lần thứ XIX"),
            "content/tin-hoat-dong/ten-tep-khac.md": article(title="Hội nghị cán bộ"),
            "content/tin-hoat-dong/b.md": article(title="Đại hội khóa mới", slug="dai-hoi-xix"),
            "content/xay-dung-dang/2026/thang-3/c.md": article(
                title="Sinh hoạt chi bộ", section=None
            ),
            "content/tin-hoat-dong/d.md": article(
                title="Chuyển chuyên mục", section="xay-dung-dang"
            ),
            "content/e.md": article(title="Bài theo tên chuyên mục", section="Xây dựng Đảng"),
        }
    )


def test_slug_of_vietnamese_title_is_ascii(placed):
    page = placed.html("/tin-hoat-dong/dang-bo-tinh-lan-thu-xix/")
    assert texts(page, "h1") == ["Đảng bộ tỉnh lần thứ XIX"]


def test_slug_ignores_the_file_name(placed):
    assert texts(placed.html("/tin-hoat-dong/hoi-nghi-can-bo/"), "h1") == ["Hội nghị cán bộ"]
    assert not exists(placed, "/tin-hoat-dong/ten-tep-khac/")


def test_front_matter_slug_overrides_the_title_slug(placed):
    assert texts(placed.html("/tin-hoat-dong/dai-hoi-xix/"), "h1") == ["Đại hội khóa mới"]
    assert not exists(placed, "/tin-hoat-dong/dai-hoi-khoa-moi/")


def test_section_is_implied_by_first_folder_under_content(placed):
    page = placed.html("/xay-dung-dang/sinh-hoat-chi-bo/")
    assert texts(page, ".article-header .article-section a") == ["Xây dựng Đảng"]
    assert "Sinh hoạt chi bộ" in card_titles(placed.html("/xay-dung-dang/"))


def test_section_field_wins_over_the_folder(placed):
    assert exists(placed, "/xay-dung-dang/chuyen-chuyen-muc/")
    assert not exists(placed, "/tin-hoat-dong/chuyen-chuyen-muc/")
    assert "Chuyển chuyên mục" not in card_titles(placed.html("/tin-hoat-dong/"))


def test_section_may_be_named_by_its_title(placed):
    page = placed.html("/xay-dung-dang/bai-theo-ten-chuyen-muc/")
    assert texts(page, "nav.breadcrumbs li a") == [
        "Trang chủ",
        "Xây dựng Đảng",
        "Bài theo tên chuyên mục",
    ]


def test_section_page_shows_title_and_description(placed):
    page = placed.html("/tin-hoat-dong/")
    assert texts(page, "h1") == ["Tin hoạt động"]
    assert texts(page, ".list-header .list-description") == ["Hoạt động của Ban"]
    current = page.select("nav.main-nav a[aria-current]")
    assert [(a.get_text(strip=True), a["aria-current"]) for a in current] == [
        ("Tin hoạt động", "page")
    ]


def test_sections_come_from_articles_when_config_lists_none(built_site):
    no_sections = "title: Báo điện tử\nbase_url: https://example.org/\nlanguage: vi\n"
    site = built_site(
        {
            "content/a.md": article(title="Tin thời sự", section="Thời sự"),
            "content/b.md": article(title="Tin thể thao", section="Thể thao"),
            "content/c.md": article(
                title="Tin thời sự nữa", section="thời sự", date="2026-01-16 08:00"
            ),
        },
        no_sections,
    )
    thoi_su = site.html("/thoi-su/")
    assert texts(thoi_su, "main h1") == ["Thời sự"]
    assert card_titles(thoi_su) == ["Tin thời sự nữa", "Tin thời sự"]
    assert card_titles(site.html("/the-thao/")) == ["Tin thể thao"]
    nav = [(a.get_text(strip=True), a["href"]) for a in thoi_su.select("nav.main-nav a")]
    assert sorted(nav[1:]) == [("Thể thao", "/the-thao/"), ("Thời sự", "/thoi-su/")]
