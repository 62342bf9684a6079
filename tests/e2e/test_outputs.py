"""Besides pages: copied files, layout overrides, feeds, sitemap, robots; encodings; escaping."""

from __future__ import annotations

import re
import unicodedata

import pytest

from sitegen import feeds
from tests.conftest import BASE_CONFIG, article
from tests.e2e.helpers import (
    ATOM,
    PNG,
    SITEMAP,
    attrs,
    exists,
    feed_entry_titles,
    news_site,
    sitemap_locs,
    texts,
    xml,
)
from tests.pictures import is_variant_of, variants_of


@pytest.fixture(scope="module")
def news(built_site):
    return built_site(news_site())


# --- copied files ---------------------------------------------------------------------


def test_static_folder_is_copied_to_the_output_root(news):
    assert (news.output / "images/banner.jpg").read_bytes() == PNG + b"banner"
    assert (news.output / "robots-extra/ghi-chu.txt").read_text(encoding="utf-8") == "tệp tĩnh\n"


def test_theme_assets_are_copied_under_assets_and_linked(news):
    page = news.html("/")
    stylesheets = attrs(page, "link[rel=stylesheet]", "href")
    assert len(stylesheets) == 2
    assert re.fullmatch(r"/assets/css/style\.[0-9a-f]{8}\.css", stylesheets[0])  # fingerprinted
    assert re.fullmatch(r"/assets/css/pygments\.[0-9a-f]{8}\.css", stylesheets[1])
    assert all(exists(news, href) for href in stylesheets)
    assert ".codehilite" in (news.output / stylesheets[1].lstrip("/")).read_text(encoding="utf-8")


def test_photo_beside_an_article_is_published_as_variants_in_the_same_place(news):
    assert variants_of(news.output, "tin-hoat-dong/anh.jpg")
    assert not (news.output / "tin-hoat-dong/anh.jpg").exists()  # the original is not copied


def test_relative_image_in_article_resolves_to_the_copied_file(news):
    figure = news.html("/tin-hoat-dong/hoi-nghi-tong-ket/").select_one(".article-body figure")
    assert is_variant_of(figure.img["src"], "/tin-hoat-dong/anh.jpg")
    assert exists(news, figure.img["src"])
    assert texts(figure, "figcaption") == ["Hội trường"]


def test_relative_links_in_nested_folders_resolve_from_the_markdown_file(make_site):
    body = (
        'Mở đầu.\n\n![Sơ đồ](hinh/so-do.png "Sơ đồ tổ chức")\n\n'
        "Xem [chuyên mục khác](../../xay-dung-dang/).\n"
    )
    site = make_site(
        {
            "content/tin-hoat-dong/2026/bai.md": article(
                title="Bài lồng", body=body, image="hinh/so-do.png"
            ),
            "content/tin-hoat-dong/2026/hinh/so-do.png": PNG,
        }
    )
    assert site.build() == 0
    assert variants_of(site.output, "tin-hoat-dong/2026/hinh/so-do.png")
    page = site.html("/tin-hoat-dong/bai-long/")
    for selector in (".article-body figure img", "figure.cover img"):
        [src] = attrs(page, selector, "src")
        assert is_variant_of(src, "/tin-hoat-dong/2026/hinh/so-do.png") and exists(site, src)
    assert attrs(page, ".article-body p a", "href") == ["/xay-dung-dang/"]


def test_site_layout_overrides_the_theme_partial(make_site):
    site = make_site(
        {
            "content/tin-hoat-dong/a.md": article(title="Một bài"),
            "layouts/partials/footer.html": (
                '<footer class="site-footer custom">{{ site.title }} · {{ ui.home }}</footer>\n'
            ),
        }
    )
    assert site.build() == 0
    for path in ("/", "/tin-hoat-dong/mot-bai/", "/404.html"):
        page = site.html(path)
        assert texts(page, "footer.site-footer") == ["Ban Tổ chức Tỉnh ủy · Trang chủ"]
        assert page.select("footer .footer-sections") == []


def test_site_layout_overrides_a_whole_page_template(make_site):
    site = make_site(
        {
            "content/tin-hoat-dong/a.md": article(title="Một bài"),
            "layouts/404.html": (
                '{% extends "base.html" %}{% block content %}<h1>Lạc đường rồi</h1>{% endblock %}\n'
            ),
        }
    )
    assert site.build() == 0
    assert texts(site.html("/404.html"), "h1") == ["Lạc đường rồi"]
    assert texts(site.html("/tin-hoat-dong/mot-bai/"), "h1") == ["Một bài"]


def test_static_file_wins_over_theme_asset_of_the_same_path(make_site):
    site = make_site(
        {"content/tin-hoat-dong/a.md": article(), "static/css/style.css": "body{color:red}\n"}
    )
    assert site.build() == 0
    assert attrs(site.html("/"), "link[rel=stylesheet]", "href")[0] == "/css/style.css"
    assert (site.output / "css/style.css").read_text() == "body{color:red}\n"


# --- feeds, sitemap, robots -----------------------------------------------------------


def test_site_feed_is_atom_with_absolute_urls_newest_first(news):
    feed = xml(news, "/feed.xml")
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == "https://example.org/feed.xml"
    assert feed.findtext(f"{ATOM}title") == "Ban Tổ chức Tỉnh ủy"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.org/feed.xml"
    assert feed_entry_titles(feed) == ["Sinh hoạt chi bộ", "Hội nghị tổng kết", "Tập huấn cán bộ"]
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
    assert ids == [
        "https://example.org/xay-dung-dang/sinh-hoat-chi-bo/",
        "https://example.org/tin-hoat-dong/hoi-nghi-tong-ket/",
        "https://example.org/tin-hoat-dong/tap-huan-can-bo/",
    ]
    links = [
        entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        for entry in feed.findall(f"{ATOM}entry")
    ]
    assert links == ids


def test_feed_updated_is_the_newest_change_of_its_entries(news):
    feed = xml(news, "/feed.xml")
    assert feed.findtext(f"{ATOM}updated") == "2026-03-05T10:00:00+07:00"
    [entry] = [
        e for e in feed.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Hội nghị tổng kết"
    ]
    assert entry.findtext(f"{ATOM}published") == "2026-03-02T08:00:00+07:00"
    assert entry.findtext(f"{ATOM}updated") == "2026-03-05T10:00:00+07:00"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Lê Văn Minh"
    assert entry.findtext(f"{ATOM}summary") == "Tóm tắt hội nghị."


def test_section_feed_has_only_its_sections_articles(news):
    feed = xml(news, "/tin-hoat-dong/feed.xml")
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == "https://example.org/tin-hoat-dong/feed.xml"
    assert (
        feed.find(f"{ATOM}link[@rel='alternate']").get("href")
        == "https://example.org/tin-hoat-dong/"
    )
    assert feed_entry_titles(feed) == ["Hội nghị tổng kết", "Tập huấn cán bộ"]


def test_pages_link_their_feeds(news):
    page = news.html("/tin-hoat-dong/hoi-nghi-tong-ket/")
    assert attrs(page, "link[type='application/atom+xml']", "href") == [
        "/feed.xml",
        "/tin-hoat-dong/feed.xml",
    ]


def test_sitemap_lists_every_article_and_listing(news):
    root = xml(news, "/sitemap.xml")
    assert root.tag == f"{SITEMAP}urlset"
    locs = sitemap_locs(news)
    for path in (
        "",
        "tin-hoat-dong/hoi-nghi-tong-ket/",
        "tin-hoat-dong/tap-huan-can-bo/",
        "xay-dung-dang/sinh-hoat-chi-bo/",
        "tin-hoat-dong/",
        "xay-dung-dang/",
        "authors/le-van-minh/",
    ):
        assert "https://example.org/" + path in locs
    assert "https://example.org/404.html" not in locs
    assert len(locs) == len(set(locs))


def test_a_sitemap_past_the_limit_becomes_an_index_of_parts(make_site, monkeypatch):
    """The protocol allows 50,000 URLs a file: a larger site gets parts and their index
    (here the limit is 4, so that a small site is past it)."""
    site = make_site(news_site())
    assert site.build() == 0
    every = sitemap_locs(site)
    monkeypatch.setattr(feeds, "SITEMAP_LIMIT", 4)
    assert site.build() == 0
    index = xml(site, "/sitemap.xml")
    assert index.tag == f"{SITEMAP}sitemapindex"
    parts = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert parts == [f"https://example.org/sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    assert len(parts) == -(-len(every) // 4)
    listed = []
    for url in parts:
        part = xml(site, url.removeprefix("https://example.org"))
        assert part.tag == f"{SITEMAP}urlset"
        locs = [loc.text for loc in part.iter(f"{SITEMAP}loc")]
        assert 0 < len(locs) <= 4
        listed += locs
    assert listed == every  # the same pages, in the same order
    monkeypatch.setattr(feeds, "SITEMAP_LIMIT", 50_000)
    assert site.build() == 0
    assert not (site.output / "sitemap-1.xml").exists()  # parts go when they are not needed


def test_robots_txt_names_the_sitemap(news):
    lines = (news.output / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "Sitemap: https://example.org/sitemap.xml" in lines
    assert "User-agent: *" in lines


# --- input encoding and escaping ------------------------------------------------------


def test_article_with_bom_and_crlf_line_endings_builds(make_site):
    source = article(
        title="Tệp Windows", summary="Tóm tắt.", body="Dòng một\nvẫn đoạn một.\n\nĐoạn hai."
    )
    site = make_site(
        {"content/tin-hoat-dong/win.md": b"\xef\xbb\xbf" + source.replace("\n", "\r\n").encode()}
    )
    assert site.build() == 0
    page = site.html("/tin-hoat-dong/tep-windows/")
    assert texts(page, "h1") == ["Tệp Windows"]
    assert texts(page, ".lead") == ["Tóm tắt."]
    assert [p.get_text() for p in page.select(".article-body p")] == [
        "Dòng một\nvẫn đoạn một.",
        "Đoạn hai.",
    ]


def test_config_with_bom_and_crlf_line_endings_is_read(make_site):
    config = BASE_CONFIG + "banner: {title: Tiêu đề băng rôn}\n"
    site = make_site({"content/tin-hoat-dong/a.md": article(title="Một bài")})
    site.write("config.yaml", b"\xef\xbb\xbf" + config.replace("\n", "\r\n").encode())
    assert site.build() == 0
    assert texts(site.html("/"), ".banner-title") == ["Tiêu đề băng rôn"]


def test_decomposed_unicode_title_is_shown_composed(make_site):
    decomposed = unicodedata.normalize("NFD", "Đảng bộ tỉnh lần thứ XIX")
    site = make_site({"content/tin-hoat-dong/a.md": article(title=decomposed)})
    assert site.build() == 0
    page = site.html("/tin-hoat-dong/dang-bo-tinh-lan-thu-xix/")
    assert texts(page, "h1") == [unicodedata.normalize("NFC", decomposed)]


def test_site_without_articles_builds_an_empty_home_and_valid_feed(make_site):
    site = make_site({})
    assert site.build() == 0
    assert texts(site.html("/"), "main p.empty") == ["Chưa có bài viết."]
    assert feed_entry_titles(xml(site, "/feed.xml")) == []
    assert texts(site.html("/tin-hoat-dong/"), "h1") == ["Tin hoạt động"]


def test_script_in_title_is_shown_as_text_not_run(make_site):
    title = "<script>alert(1)</script> & <b>đậm</b>"
    site = make_site(
        {
            "content/tin-hoat-dong/a.md": article(
                title=f"'{title}'", tags="['<i>thẻ</i>']", author="'<em>Tác giả</em>'"
            ),
        }
    )
    assert site.build() == 0
    [url] = [
        p
        for p in sitemap_locs(site)
        if p.startswith("https://example.org/tin-hoat-dong/") and p.count("/") == 5
    ]
    for path in (url.removeprefix("https://example.org"), "/", "/tin-hoat-dong/"):
        page = site.html(path)
        assert page.select("main script, main b, main i, main em") == [], path
    article_page = site.html(url.removeprefix("https://example.org"))
    assert texts(article_page, "h1") == [title]
    assert article_page.title.get_text().startswith(title)
    assert texts(article_page, ".tags a") == ["<i>thẻ</i>"]
    assert texts(article_page, ".signature-authors strong") == ["<em>Tác giả</em>"]
    assert feed_entry_titles(xml(site, "/feed.xml")) == [title]
