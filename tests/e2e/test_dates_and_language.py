"""Dates shown in the site language and timezone; UI strings per language."""

from __future__ import annotations

import pytest

from tests.conftest import BASE_CONFIG, article
from tests.e2e.helpers import texts

EN_CONFIG = BASE_CONFIG.replace("language: vi", "language: en")


def published_time(page) -> tuple[str, str]:
    time = page.select_one(".article-header .meta > time")
    return time["datetime"], time.get_text()


def two_articles(date: str = "2026-11-26 08:30") -> dict[str, str]:
    return {
        "content/tin-hoat-dong/a.md": article(title="Bài chính", date=date, updated="2026-11-28 10:00"),
        "content/tin-hoat-dong/b.md": article(title="Bài cũ hơn", date="2026-11-01 07:05"),
    }


def test_vietnamese_site_shows_long_vietnamese_date(make_site):
    site = make_site(two_articles())
    assert site.build() == 0
    assert published_time(site.html("/tin-hoat-dong/bai-chinh/")) == (
        "2026-11-26T08:30:00+07:00",
        "Thứ Năm, 26/11/2026 08:30",
    )


def test_english_site_shows_long_english_date(make_site):
    site = make_site(two_articles(), config=EN_CONFIG)
    assert site.build() == 0
    page = site.html("/tin-hoat-dong/bai-chinh/")
    assert published_time(page) == ("2026-11-26T08:30:00+07:00", "Thursday, 26 November 2026")
    updated = page.select_one(".meta-updated time")
    assert updated.get_text() == "Saturday, 28 November 2026"


def test_listing_dates_are_short_in_the_site_language(make_site):
    vi = make_site(two_articles())
    assert vi.build() == 0
    assert texts(vi.html("/tin-hoat-dong/"), "main .card time") == ["26/11/2026", "01/11/2026"]
    vi.write("config.yaml", EN_CONFIG)
    assert vi.build() == 0
    assert texts(vi.html("/tin-hoat-dong/"), "main .card time") == ["26 Nov 2026", "1 Nov 2026"]


def test_vietnamese_site_uses_vietnamese_ui_strings(make_site):
    site = make_site(two_articles())
    assert site.build() == 0
    page = site.html("/tin-hoat-dong/bai-cu-hon/")
    assert page.html["lang"] == "vi"
    assert texts(page, ".related h2") == ["Tin cùng chuyên mục"]
    assert texts(page, "nav.breadcrumbs li a")[0] == "Trang chủ"
    assert texts(page, ".prev-next-next .prev-next-label") == ["Bài sau"]
    assert texts(page, ".meta-authors")[0].startswith("Tác giả:")


def test_english_site_uses_english_ui_strings(make_site):
    site = make_site(two_articles(), config=EN_CONFIG)
    assert site.build() == 0
    page = site.html("/tin-hoat-dong/bai-cu-hon/")
    assert page.html["lang"] == "en"
    assert texts(page, ".related h2") == ["More from this section"]
    assert texts(page, "nav.breadcrumbs li a")[0] == "Home"
    assert texts(page, ".prev-next-next .prev-next-label") == ["Next article"]
    assert texts(page, ".meta-authors")[0].startswith("Author:")
    assert texts(site.html("/404.html"), "h1") == ["Page not found"]


def test_date_with_offset_keeps_its_own_offset(make_site):
    site = make_site(two_articles(date="2026-11-26T01:30:00+00:00"))
    assert site.build() == 0
    assert published_time(site.html("/tin-hoat-dong/bai-chinh/")) == (
        "2026-11-26T01:30:00+00:00",
        "Thứ Năm, 26/11/2026 01:30",
    )


def test_date_only_value_is_midnight_in_site_timezone(make_site):
    site = make_site(two_articles(date="2026-11-26"))
    assert site.build() == 0
    assert published_time(site.html("/tin-hoat-dong/bai-chinh/")) == (
        "2026-11-26T00:00:00+07:00",
        "Thứ Năm, 26/11/2026 00:00",
    )


def test_dates_without_offset_are_in_the_configured_timezone(make_site):
    site = make_site(two_articles(), config=BASE_CONFIG.replace("Asia/Ho_Chi_Minh", "Europe/London"))
    assert site.build() == 0
    assert published_time(site.html("/tin-hoat-dong/bai-chinh/"))[0] == "2026-11-26T08:30:00+00:00"


@pytest.mark.parametrize("written", ['"26/11/2026 08:30"', "2026-11-26T08:30"])
def test_other_date_spellings_mean_the_same_time(make_site, written):
    site = make_site(two_articles(date=written))
    assert site.build() == 0
    assert published_time(site.html("/tin-hoat-dong/bai-chinh/")) == (
        "2026-11-26T08:30:00+07:00",
        "Thứ Năm, 26/11/2026 08:30",
    )


def test_offset_dates_sort_by_instant_not_by_wall_clock(make_site):
    # 09:00 in UTC is 16:00 in Hà Nội: later than 10:00 local, though its wall clock reads earlier.
    site = make_site({
        "content/tin-hoat-dong/a.md": article(title="Giờ quốc tế", date="2026-05-01T09:00:00+00:00"),
        "content/tin-hoat-dong/b.md": article(title="Giờ địa phương", date="2026-05-01 10:00"),
    })  # fmt: skip
    assert site.build() == 0
    assert texts(site.html("/tin-hoat-dong/"), "main .card-title a") == ["Giờ quốc tế", "Giờ địa phương"]
