"""Dates shown in the site language and timezone; UI strings per language."""

from __future__ import annotations

import pytest

from tests.conftest import BASE_CONFIG, article
from tests.e2e.helpers import texts

EN_CONFIG = BASE_CONFIG.replace("language: vi", "language: en")


def published_time(page) -> tuple[str, str]:
    time = page.select_one(".article-header .meta > time")
    return time["datetime"], time.get_text()


def two_articles() -> dict[str, str]:
    return {
        "content/tin-hoat-dong/a.md": article(
            title="Bài chính", date="2026-11-26 08:30", updated="2026-11-28 10:00"
        ),
        "content/tin-hoat-dong/b.md": article(title="Bài cũ hơn", date="2026-11-01 07:05"),
    }


@pytest.fixture(scope="module")
def vi_site(built_site):
    return built_site(two_articles())


@pytest.fixture(scope="module")
def en_site(built_site):
    return built_site(two_articles(), EN_CONFIG)


def test_vietnamese_site_shows_long_vietnamese_date(vi_site):
    assert published_time(vi_site.html("/tin-hoat-dong/bai-chinh/")) == (
        "2026-11-26T08:30:00+07:00",
        "Thứ Năm, 26/11/2026 08:30",
    )


def test_english_site_shows_long_english_date(en_site):
    page = en_site.html("/tin-hoat-dong/bai-chinh/")
    assert published_time(page) == ("2026-11-26T08:30:00+07:00", "Thursday, 26 November 2026")
    updated = page.select_one(".meta-updated time")
    assert updated.get_text() == "Saturday, 28 November 2026"


def test_listing_dates_are_short_in_the_site_language(vi_site, en_site):
    assert texts(vi_site.html("/tin-hoat-dong/"), "main .card time") == ["26/11/2026", "01/11/2026"]
    assert texts(en_site.html("/tin-hoat-dong/"), "main .card time") == [
        "26 Nov 2026",
        "1 Nov 2026",
    ]


def test_vietnamese_site_uses_vietnamese_ui_strings(vi_site):
    page = vi_site.html("/tin-hoat-dong/bai-cu-hon/")
    assert page.html["lang"] == "vi"
    assert texts(page, ".related h2") == ["Tin cùng chuyên mục"]
    assert texts(page, "nav.breadcrumbs li a")[0] == "Trang chủ"
    assert texts(page, ".prev-next-next .prev-next-label") == ["Bài sau"]
    assert texts(page, ".meta-authors")[0].startswith("Tác giả:")


def test_english_site_uses_english_ui_strings(en_site):
    page = en_site.html("/tin-hoat-dong/bai-cu-hon/")
    assert page.html["lang"] == "en"
    assert texts(page, ".related h2") == ["More from this section"]
    assert texts(page, "nav.breadcrumbs li a")[0] == "Home"
    assert texts(page, ".prev-next-next .prev-next-label") == ["Next article"]
    assert texts(page, ".meta-authors")[0].startswith("Author:")
    assert texts(en_site.html("/404.html"), "h1") == ["Page not found"]


@pytest.fixture(scope="module")
def spelled(built_site):
    """One article per way of writing its date."""
    dates = {
        "utc": "2026-11-26T01:30:00+00:00",
        "chi-ngay": "2026-11-26",
        "ngay-truoc": '"26/11/2026 08:30"',
        "iso": "2026-11-26T08:30",
    }
    return built_site(
        {
            f"content/tin-hoat-dong/{slug}.md": article(title=slug, date=date, slug=slug)
            for slug, date in dates.items()
        }
    )


def test_date_with_another_offset_is_shown_in_the_site_timezone(spelled):
    assert published_time(spelled.html("/tin-hoat-dong/utc/")) == (
        "2026-11-26T08:30:00+07:00",
        "Thứ Năm, 26/11/2026 08:30",
    )


def test_date_only_value_is_midnight_in_site_timezone(spelled):
    assert published_time(spelled.html("/tin-hoat-dong/chi-ngay/")) == (
        "2026-11-26T00:00:00+07:00",
        "Thứ Năm, 26/11/2026 00:00",
    )


@pytest.mark.parametrize("slug", ["ngay-truoc", "iso"])
def test_day_first_and_iso_dates_mean_the_same_time(spelled, slug):
    assert published_time(spelled.html(f"/tin-hoat-dong/{slug}/")) == (
        "2026-11-26T08:30:00+07:00",
        "Thứ Năm, 26/11/2026 08:30",
    )


def test_dates_without_offset_are_in_the_configured_timezone(built_site):
    london = BASE_CONFIG.replace("Asia/Ho_Chi_Minh", "Europe/London")
    site = built_site(two_articles(), london)
    datetime, _ = published_time(site.html("/tin-hoat-dong/bai-chinh/"))
    assert datetime == "2026-11-26T08:30:00+00:00"


def test_offset_dates_sort_by_instant_not_by_wall_clock(built_site):
    # 09:00 in UTC is 16:00 in Hà Nội: later than 10:00 local, though its wall clock reads earlier.
    site = built_site(
        {
            "content/tin-hoat-dong/a.md": article(
                title="Giờ quốc tế", date="2026-05-01T09:00:00+00:00"
            ),
            "content/tin-hoat-dong/b.md": article(title="Giờ địa phương", date="2026-05-01 10:00"),
        }
    )
    titles = texts(site.html("/tin-hoat-dong/"), "main .card-title a")
    assert titles == ["Giờ quốc tế", "Giờ địa phương"]
