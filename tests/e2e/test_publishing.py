"""Drafts and future-dated articles are left out everywhere unless asked for."""

from __future__ import annotations

import pytest

from tests.conftest import article
from tests.e2e.helpers import ATOM, card_titles, exists, feed_entry_titles, sitemap_locs, texts, xml

# 2026-06-01T00:00:00Z, 07:00 in Hà Nội
NOW_EPOCH = "1780272000"


def hidden_fixture(**hidden_fields: object) -> dict[str, str]:
    """Two published articles and a hidden one that shares their section, tag and author."""
    shared = {"tags": "[Chung, Riêng tư]"}
    return {
        "content/tin-hoat-dong/cu.md": article(
            title="Bài đã đăng", date="2026-05-01 08:00", tags="[Chung]"
        ),
        "content/tin-hoat-dong/moi.md": article(
            title="Bài mới đăng", date="2026-05-20 08:00", tags="[Chung]"
        ),
        "content/tin-hoat-dong/an.md": article(
            title="Bài ẩn", author="Phạm Thị Ẩn", **shared, **hidden_fields
        ),
    }


HIDDEN_URL = "/tin-hoat-dong/bai-an/"


def assert_nowhere(site, title: str = "Bài ẩn") -> None:
    """The hidden article has no page and is named by no listing, related list, feed or sitemap."""
    assert not exists(site, HIDDEN_URL)
    assert title not in card_titles(site.html("/tin-hoat-dong/"))
    assert title not in card_titles(site.html("/"))
    assert title not in card_titles(site.html("/tags/chung/"))
    assert title not in card_titles(site.html("/authors/le-van-minh/"))
    assert title not in texts(site.html("/tin-hoat-dong/bai-da-dang/"), ".related a")
    assert title not in texts(site.html("/tin-hoat-dong/bai-moi-dang/"), ".prev-next a")
    assert title not in feed_entry_titles(xml(site, "/feed.xml"))
    assert title not in feed_entry_titles(xml(site, "/tin-hoat-dong/feed.xml"))
    assert "https://example.org" + HIDDEN_URL not in sitemap_locs(site)
    # terms only the hidden article uses have no page either
    assert not exists(site, "/tags/rieng-tu/")
    assert not exists(site, "/authors/pham-thi-an/")


def assert_everywhere(site, title: str = "Bài ẩn") -> None:
    assert texts(site.html(HIDDEN_URL), "h1") == [title]
    assert title in card_titles(site.html("/tin-hoat-dong/"))
    assert title in feed_entry_titles(xml(site, "/feed.xml"))
    assert "https://example.org" + HIDDEN_URL in sitemap_locs(site)
    assert exists(site, "/tags/rieng-tu/") and exists(site, "/authors/pham-thi-an/")


@pytest.fixture
def now(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW_EPOCH)


def test_draft_is_left_out_everywhere(make_site, now):
    site = make_site(hidden_fixture(date="2026-05-10 08:00", draft="true"))
    assert site.build() == 0
    assert_nowhere(site)


def test_draft_is_built_with_drafts_flag(make_site, now):
    site = make_site(hidden_fixture(date="2026-05-10 08:00", draft="true"))
    assert site.build("--drafts") == 0
    assert_everywhere(site)


def test_draft_false_is_published(make_site, now):
    site = make_site(hidden_fixture(date="2026-05-10 08:00", draft="false"))
    assert site.build() == 0
    assert_everywhere(site)


def test_future_article_is_left_out_everywhere(make_site, now):
    site = make_site(hidden_fixture(date="2026-06-01 07:01"))  # one minute after "now"
    assert site.build() == 0
    assert_nowhere(site)


def test_future_article_is_built_with_future_flag(make_site, now):
    site = make_site(hidden_fixture(date="2026-06-01 07:01"))
    assert site.build("--future") == 0
    assert_everywhere(site)


def test_article_dated_exactly_now_is_published(make_site, now):
    site = make_site(hidden_fixture(date="2026-06-01 07:00"))
    assert site.build() == 0
    assert exists(site, HIDDEN_URL)


def test_future_draft_needs_both_flags(make_site, now):
    site = make_site(hidden_fixture(date="2026-07-01 08:00", draft="true"))
    assert site.build("--future") == 0
    assert not exists(site, HIDDEN_URL)
    assert site.build("--drafts") == 0
    assert not exists(site, HIDDEN_URL)
    assert site.build("--drafts", "--future") == 0
    assert exists(site, HIDDEN_URL)


def test_source_date_epoch_decides_what_is_future(make_site, monkeypatch):
    site = make_site(hidden_fixture(date="2026-06-01 07:01"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW_EPOCH) + 120))
    assert site.build() == 0
    assert exists(site, HIDDEN_URL)


def test_unpublishing_an_article_removes_its_page_on_next_build(make_site, now):
    site = make_site(hidden_fixture(date="2026-05-10 08:00"))
    assert site.build() == 0
    assert exists(site, HIDDEN_URL)
    site.write(
        "content/tin-hoat-dong/an.md",
        article(
            title="Bài ẩn",
            date="2026-05-10 08:00",
            draft="true",
            author="Phạm Thị Ẩn",
            tags="[Chung, Riêng tư]",
        ),
    )
    assert site.build() == 0
    assert_nowhere(site)


def test_feed_of_section_without_published_articles_is_empty_but_valid(make_site, now):
    site = make_site(hidden_fixture(date="2026-05-10 08:00", draft="true", section="xay-dung-dang"))
    assert site.build() == 0
    feed = xml(site, "/xay-dung-dang/feed.xml")
    assert feed.tag == f"{ATOM}feed"
    assert feed_entry_titles(feed) == []
