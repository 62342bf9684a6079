"""What search engines, social networks and feed readers read from a page: canonical address,
description, Open Graph, Twitter card, JSON-LD NewsArticle, feed links; and the fingerprinted
theme assets the pages link to."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitegen.layouts import THEME_STATIC, fingerprinted
from tests.conftest import BASE_CONFIG, article
from tests.e2e.helpers import PNG, attrs, exists
from tests.pictures import is_variant_of

BANNER_CONFIG = (
    BASE_CONFIG + "banner: {title: Ban Tổ chức Tỉnh ủy Sơn Hà, image: /images/banner.jpg}\n"
)
BREAKOUT = "</script><script>alert(1)</script>"

# One page of every kind, by site path.
PAGES = {
    "home": "/",
    "article": "/tin-hoat-dong/hoi-nghi-tong-ket/",
    "article without image": "/tin-hoat-dong/tap-huan-can-bo/",
    "section": "/tin-hoat-dong/",
    "section page 2": "/tin-hoat-dong/page/2/",
    "tag": "/tags/cong-tac-can-bo/",
    "author": "/authors/le-van-minh/",
    "404": "/404.html",
}
ARTICLES = ("article", "article without image")


def metadata_site() -> dict[str, str | bytes]:
    return {
        "content/tin-hoat-dong/hoi-nghi.md": article(
            title="Hội nghị tổng kết",
            date="2026-03-02 08:00",
            updated="2026-03-05 10:00",
            author="[Lê Văn Minh, Trần Thị Hoa]",
            summary=json.dumps('Tóm tắt "hội nghị": 5 < 6 & đủ.', ensure_ascii=False),
            tags="[Công tác cán bộ, Đại hội]",
            image="anh.jpg",
            image_caption="Quang cảnh hội nghị",
        ),
        "content/tin-hoat-dong/anh.jpg": PNG,
        "content/tin-hoat-dong/tap-huan.md": article(
            title="Tập huấn cán bộ", date="2026-03-01 08:00", tags="[Công tác cán bộ]"
        ),
        "content/tin-hoat-dong/cu.md": article(title="Bài cũ", date="2026-02-01 08:00"),
        "content/xay-dung-dang/chi-bo.md": article(
            title="Sinh hoạt chi bộ", date="2026-03-03 08:00", section="xay-dung-dang"
        ),
        "static/images/banner.jpg": PNG + b"banner",
    }


@pytest.fixture(scope="module")
def site(built_site):
    return built_site(metadata_site(), BANNER_CONFIG + "per_page: 2\n")


@pytest.fixture(scope="module")
def plain_site(built_site):
    """No banner image: pages without their own image have no og:image."""
    return built_site({"content/tin-hoat-dong/a.md": article(title="Một bài")})


def meta(page: BeautifulSoup, key: str) -> list[str]:
    """Contents of the <meta> tags named `key` (name= or property=), in document order."""
    return [
        tag["content"] for tag in page.find_all("meta")
        if key in (tag.get("name"), tag.get("property"))
    ]  # fmt: skip


def one_meta(page: BeautifulSoup, key: str) -> str:
    values = meta(page, key)
    assert len(values) == 1, f"{key}: {values}"
    return values[0]


def json_ld(page: BeautifulSoup) -> list[dict]:
    return [
        json.loads(script.string) for script in page.find_all("script", type="application/ld+json")
    ]


# --- every page ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", PAGES)
def test_every_page_has_canonical_description_open_graph_and_twitter_tags(site, kind):
    path = PAGES[kind]
    page = site.html(path)
    canonical = "https://example.org" + path
    assert attrs(page, "link[rel=canonical]", "href") == [canonical]
    assert one_meta(page, "og:url") == canonical
    description = one_meta(page, "description")
    assert description.strip()
    assert one_meta(page, "og:description") == one_meta(page, "twitter:description") == description
    title = one_meta(page, "og:title")
    assert title and one_meta(page, "twitter:title") == title
    assert one_meta(page, "og:site_name") == "Ban Tổ chức Tỉnh ủy"
    assert one_meta(page, "og:locale") == "vi_VN"
    assert one_meta(page, "og:type") == ("article" if kind in ARTICLES else "website")


@pytest.mark.parametrize("kind", PAGES)
def test_every_address_in_the_metadata_is_absolute(site, kind):
    page = site.html(PAGES[kind])
    addresses = attrs(page, "link[rel=canonical]", "href")
    addresses += [
        value for key in ("og:url", "og:image", "twitter:image") for value in meta(page, key)
    ]
    assert addresses and all(a.startswith("https://example.org/") for a in addresses), addresses
    for data in json_ld(page):
        assert all(url.startswith("https://example.org/") for url in _urls_in(data)), data


def _urls_in(data: object) -> list[str]:
    if isinstance(data, dict):
        return [u for key, value in data.items() if key != "@context" for u in _urls_in(value)]
    if isinstance(data, list):
        return [u for value in data for u in _urls_in(value)]
    return [data] if isinstance(data, str) and re.match(r"^[a-z]+://", data) else []


@pytest.mark.parametrize("kind", PAGES)
def test_every_page_links_the_site_feed(site, kind):
    page = site.html(PAGES[kind])
    feeds = attrs(page, "link[rel=alternate][type='application/atom+xml']", "href")
    assert feeds[0] == "/feed.xml"
    assert all(exists(site, href) for href in feeds)


@pytest.mark.parametrize("kind", ["section", "section page 2", *ARTICLES])
def test_section_and_article_pages_link_the_section_feed(site, kind):
    page = site.html(PAGES[kind])
    feeds = attrs(page, "link[rel=alternate][type='application/atom+xml']", "href")
    assert feeds == ["/feed.xml", "/tin-hoat-dong/feed.xml"]


def test_not_found_page_asks_not_to_be_indexed(site):
    assert meta(site.html("/404.html"), "robots") == ["noindex"]
    assert meta(site.html("/"), "robots") == []


def test_description_is_plain_escaped_text(site):
    page = site.html(PAGES["article"])
    assert one_meta(page, "description") == 'Tóm tắt "hội nghị": 5 < 6 & đủ.'
    raw = (site.output / "tin-hoat-dong/hoi-nghi-tong-ket/index.html").read_text(encoding="utf-8")
    assert (
        '<meta name="description" content="Tóm tắt &#34;hội nghị&#34;: 5 &lt; 6 &amp; đủ.">' in raw
    )


def test_section_description_comes_from_config(site):
    assert one_meta(site.html("/tin-hoat-dong/"), "description") == "Hoạt động của Ban"


# --- images ----------------------------------------------------------------------------


def test_article_image_is_its_cover_as_absolute_url(site):
    page = site.html(PAGES["article"])
    assert is_variant_of(one_meta(page, "og:image"), "https://example.org/tin-hoat-dong/anh.jpg")
    assert one_meta(page, "og:image:alt") == "Quang cảnh hội nghị"
    assert one_meta(page, "twitter:card") == "summary_large_image"
    assert is_variant_of(
        one_meta(page, "twitter:image"), "https://example.org/tin-hoat-dong/anh.jpg"
    )


@pytest.mark.parametrize("kind", [k for k in PAGES if k != "article"])
def test_pages_without_their_own_image_show_the_banner(site, kind):
    page = site.html(PAGES[kind])
    assert is_variant_of(one_meta(page, "og:image"), "https://example.org/images/banner.jpg")
    assert is_variant_of(one_meta(page, "twitter:image"), "https://example.org/images/banner.jpg")
    assert one_meta(page, "twitter:card") == "summary_large_image"


def test_without_any_image_the_card_is_a_summary(plain_site):
    for path in ("/", "/tin-hoat-dong/mot-bai/"):
        page = plain_site.html(path)
        assert meta(page, "og:image") == meta(page, "twitter:image") == []
        assert one_meta(page, "twitter:card") == "summary"


# --- article pages -----------------------------------------------------------------------


def test_article_carries_its_dates_section_and_tags(site):
    page = site.html(PAGES["article"])
    assert one_meta(page, "article:published_time") == "2026-03-02T08:00:00+07:00"
    assert one_meta(page, "article:modified_time") == "2026-03-05T10:00:00+07:00"
    assert one_meta(page, "article:section") == "Tin hoạt động"
    assert meta(page, "article:tag") == ["Công tác cán bộ", "Đại hội"]
    without_update = site.html(PAGES["article without image"])
    assert one_meta(without_update, "article:modified_time") == "2026-03-01T08:00:00+07:00"


def test_article_has_a_news_article_json_ld(site):
    [data] = json_ld(site.html(PAGES["article"]))
    canonical = "https://example.org/tin-hoat-dong/hoi-nghi-tong-ket/"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Hội nghị tổng kết"
    assert data["datePublished"] == "2026-03-02T08:00:00+07:00"
    assert data["dateModified"] == "2026-03-05T10:00:00+07:00"
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Lê Văn Minh",
            "url": "https://example.org/authors/le-van-minh/",
        },
        {
            "@type": "Person",
            "name": "Trần Thị Hoa",
            "url": "https://example.org/authors/tran-thi-hoa/",
        },
    ]
    assert len(data["image"]) == 1 and is_variant_of(
        data["image"][0], "https://example.org/tin-hoat-dong/anh.jpg"
    )
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "Ban Tổ chức Tỉnh ủy"
    assert is_variant_of(data["publisher"]["logo"]["url"], "https://example.org/images/banner.jpg")
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": canonical}
    assert data["inLanguage"] == "vi"


def test_json_ld_keeps_vietnamese_readable(site):
    raw = (site.output / "tin-hoat-dong/hoi-nghi-tong-ket/index.html").read_text(encoding="utf-8")
    assert '"headline": "Hội nghị tổng kết"' in raw


@pytest.mark.parametrize("kind", [k for k in PAGES if k not in ARTICLES])
def test_only_article_pages_have_json_ld(site, kind):
    assert json_ld(site.html(PAGES[kind])) == []


def test_title_cannot_break_out_of_the_json_ld_script(make_site):
    site = make_site({
        "content/tin-hoat-dong/a.md": article(
            title=json.dumps(BREAKOUT), summary=json.dumps("Tóm tắt </SCRIPT&gt; & <!-- x")
        ),
    })  # fmt: skip
    assert site.build() == 0
    path = next(site.output.glob("tin-hoat-dong/*/index.html"))
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    scripts = page.find_all("script")
    assert [script.get("type") for script in scripts] == ["application/ld+json"]
    data = json.loads(scripts[0].string)
    assert data["headline"] == BREAKOUT
    assert data["description"] == "Tóm tắt </SCRIPT&gt; & <!-- x"  # a field is text, HTML and all
    assert "<" not in scripts[0].string and ">" not in scripts[0].string
    assert one_meta(page, "og:title") == BREAKOUT


def test_sub_path_site_has_absolute_addresses_under_its_path(make_site):
    site = make_site(metadata_site(), BANNER_CONFIG)
    assert site.build("--base-url", "https://example.org/tinh-uy/") == 0
    page = site.html(PAGES["article"])
    canonical = "https://example.org/tinh-uy/tin-hoat-dong/hoi-nghi-tong-ket/"
    assert attrs(page, "link[rel=canonical]", "href") == [canonical]
    assert is_variant_of(
        one_meta(page, "og:image"), "https://example.org/tinh-uy/tin-hoat-dong/anh.jpg"
    )
    [data] = json_ld(page)
    assert data["mainEntityOfPage"]["@id"] == canonical
    assert is_variant_of(
        data["publisher"]["logo"]["url"], "https://example.org/tinh-uy/images/banner.jpg"
    )
    assert is_variant_of(
        one_meta(site.html("/"), "og:image"), "https://example.org/tinh-uy/images/banner.jpg"
    )


def test_external_image_stays_as_given(make_site):
    site = make_site({"content/tin-hoat-dong/a.md": article(image="https://cdn.example.net/a.jpg")})
    assert site.build() == 0
    page = site.html("/tin-hoat-dong/bai-viet/")
    assert one_meta(page, "og:image") == "https://cdn.example.net/a.jpg"
    assert json_ld(page)[0]["image"] == ["https://cdn.example.net/a.jpg"]


# --- fingerprinted theme assets --------------------------------------------------------------


def test_theme_stylesheets_are_fingerprinted_and_exist(site):
    hrefs = attrs(site.html("/"), "link[rel=stylesheet]", "href")
    assert len(hrefs) == 2
    for href, name in zip(hrefs, ("style", "pygments"), strict=True):
        match = re.fullmatch(rf"/assets/css/{name}\.([0-9a-f]{{8}})\.css", href)
        assert match, href
        data = (site.output / href.lstrip("/")).read_bytes()
        assert data == (THEME_STATIC / f"css/{name}.css").read_bytes()
        assert hashlib.sha256(data).hexdigest()[:8] == match[1]
    assert not exists(site, "/assets/css/style.css")  # only the fingerprinted copy is published


def test_every_page_links_the_same_stylesheets(site):
    expected = attrs(site.html("/"), "link[rel=stylesheet]", "href")
    for path in PAGES.values():
        assert attrs(site.html(path), "link[rel=stylesheet]", "href") == expected


def test_sub_path_site_links_fingerprinted_assets_under_its_path(make_site):
    site = make_site(metadata_site(), BANNER_CONFIG)
    assert site.build("--base-url", "https://example.org/tinh-uy/") == 0
    href = attrs(site.html("/"), "link[rel=stylesheet]", "href")[0]
    assert re.fullmatch(r"/tinh-uy/assets/css/style\.[0-9a-f]{8}\.css", href), href
    assert (site.output / href.removeprefix("/tinh-uy/")).is_file()


def test_static_files_keep_their_names(make_site):
    site = make_site({
        "content/tin-hoat-dong/a.md": article(),
        "static/css/pygments.css": ".codehilite{}\n",
    })  # fmt: skip
    assert site.build() == 0
    hrefs = attrs(site.html("/"), "link[rel=stylesheet]", "href")
    assert hrefs[1] == "/css/pygments.css"
    assert re.fullmatch(r"/assets/css/style\.[0-9a-f]{8}\.css", hrefs[0]), hrefs
    assert all(exists(site, href) for href in hrefs)


def test_asset_of_a_missing_file_fails_the_build_naming_the_template(make_site, capsys):
    template = (
        "{% extends 'base.html' %}{% block head %}"
        "<script src=\"{{ asset('js/missing.js') }}\"></script>{% endblock %}\n"
    )
    site = make_site({"content/tin-hoat-dong/a.md": article(), "layouts/404.html": template})
    assert site.build() == 1
    assert "layouts/404.html:1: ValueError: asset('js/missing.js')" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("css/style.css", "assets/css/style.{}.css"),
        ("app.min.js", "assets/app.min.{}.js"),
        ("fonts/LICENSE", "assets/fonts/LICENSE.{}"),
        ("img/.hidden", "assets/img/.hidden.{}"),
    ],
)
def test_fingerprinted_names_carry_the_content_hash(tmp_path: Path, relative: str, expected: str):
    source = tmp_path / "file"
    source.write_bytes(b"body { color: #1c1c1c }\n")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:8]
    assert fingerprinted(relative, source) == expected.format(digest)
