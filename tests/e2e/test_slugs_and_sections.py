"""Where an article lands: its slug from the title or front matter, its section from a key, title or folder."""

from __future__ import annotations

from tests.conftest import article
from tests.e2e.helpers import card_titles, config, exists, texts


def test_slug_of_vietnamese_title_is_ascii(make_site):
    site = make_site({"content/tin-hoat-dong/a.md": article(title="Đảng bộ tỉnh lần thứ XIX")})
    assert site.build() == 0
    page = site.html("/tin-hoat-dong/dang-bo-tinh-lan-thu-xix/")
    assert texts(page, "h1") == ["Đảng bộ tỉnh lần thứ XIX"]


def test_slug_ignores_the_file_name(make_site):
    site = make_site({"content/tin-hoat-dong/ten-tep-khac.md": article(title="Hội nghị cán bộ")})
    assert site.build() == 0
    assert exists(site, "/tin-hoat-dong/hoi-nghi-can-bo/")
    assert not exists(site, "/tin-hoat-dong/ten-tep-khac/")


def test_front_matter_slug_overrides_the_title_slug(make_site):
    site = make_site({"content/tin-hoat-dong/a.md": article(title="Đảng bộ tỉnh lần thứ XIX",
                                                             slug="dai-hoi-xix")})  # fmt: skip
    assert site.build() == 0
    assert texts(site.html("/tin-hoat-dong/dai-hoi-xix/"), "h1") == ["Đảng bộ tỉnh lần thứ XIX"]
    assert not exists(site, "/tin-hoat-dong/dang-bo-tinh-lan-thu-xix/")


def test_section_is_implied_by_first_folder_under_content(make_site):
    site = make_site({"content/xay-dung-dang/2026/thang-3/a.md": article(title="Sinh hoạt chi bộ", section=None)})
    assert site.build() == 0
    page = site.html("/xay-dung-dang/sinh-hoat-chi-bo/")
    assert texts(page, ".article-header .article-section a") == ["Xây dựng Đảng"]
    assert card_titles(site.html("/xay-dung-dang/")) == ["Sinh hoạt chi bộ"]


def test_section_field_wins_over_the_folder(make_site):
    site = make_site({"content/tin-hoat-dong/a.md": article(title="Chuyển chuyên mục", section="xay-dung-dang")})
    assert site.build() == 0
    assert exists(site, "/xay-dung-dang/chuyen-chuyen-muc/")
    assert not exists(site, "/tin-hoat-dong/chuyen-chuyen-muc/")


def test_section_may_be_named_by_its_title(make_site):
    site = make_site({"content/a.md": article(title="Bài theo tên chuyên mục", section="Xây dựng Đảng")})
    assert site.build() == 0
    page = site.html("/xay-dung-dang/bai-theo-ten-chuyen-muc/")
    assert texts(page, "nav.breadcrumbs li a") == ["Trang chủ", "Xây dựng Đảng", "Bài theo tên chuyên mục"]


def test_sections_come_from_articles_when_config_lists_none(make_site):
    no_sections = "title: Báo điện tử\nbase_url: https://example.org/\nlanguage: vi\n"
    site = make_site(
        {
            "content/a.md": article(title="Tin thời sự", section="Thời sự"),
            "content/b.md": article(title="Tin thể thao", section="Thể thao"),
            "content/c.md": article(title="Tin thời sự nữa", section="thời sự", date="2026-01-16 08:00"),
        },
        config=no_sections,
    )
    assert site.build() == 0
    thoi_su = site.html("/thoi-su/")
    assert texts(thoi_su, "main h1") == ["Thời sự"]
    assert card_titles(thoi_su) == ["Tin thời sự nữa", "Tin thời sự"]
    assert card_titles(site.html("/the-thao/")) == ["Tin thể thao"]
    nav = [(a.get_text(strip=True), a["href"]) for a in thoi_su.select("nav.main-nav a")]
    assert sorted(nav[1:]) == [("Thể thao", "/the-thao/"), ("Thời sự", "/thoi-su/")]


def test_section_page_shows_title_and_description(make_site):
    site = make_site({"content/tin-hoat-dong/a.md": article(title="Một bài")}, config=config())
    assert site.build() == 0
    page = site.html("/tin-hoat-dong/")
    assert texts(page, "h1") == ["Tin hoạt động"]
    assert texts(page, ".list-header .list-description") == ["Hoạt động của Ban"]
    current = page.select("nav.main-nav a[aria-current]")
    assert [(a.get_text(strip=True), a["aria-current"]) for a in current] == [("Tin hoạt động", "page")]
