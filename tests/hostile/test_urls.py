"""Two things at one URL are an error naming both; names that merely slug alike keep their pages."""

from __future__ import annotations

import pytest

from tests.conftest import article
from tests.hostile.conftest import warnings
from tests.invalid.conftest import GOOD_FILES, PNG, A, B, C, Expected
from tests.pictures import variants_of

HOI_NGHI = "/tin-hoat-dong/hoi-nghi-tong-ket-nam-2026/"


def test_slugs_differing_only_in_case_are_one_url(breaker):
    breaker.fails(
        {A: article(title="Một", slug="Hoi-Nghi"), B: article(title="Hai", slug="hoi-nghi")},
        [Expected(B, 6, f"has the same URL /tin-hoat-dong/hoi-nghi/ as {A}")],
    )


def test_different_titles_that_slug_alike_are_one_url(breaker):
    breaker.fails(
        {B: article(title="HỘI NGHỊ — tổng kết năm 2026!", date="2026-01-16 09:00")},
        [Expected(B, 2, f"has the same URL {HOI_NGHI} as {A}")],
    )


@pytest.mark.parametrize("slug", ["/etc/passwd", "C:\\\\Windows\\\\win.ini", "./..", "%2e%2e/x"])
def test_slug_that_is_a_path_is_refused(breaker, slug):
    breaker.fails(
        {A: article(slug=f'"{slug}"')}, [Expected(A, 6, "may not contain '/', '\\' or '..'")]
    )


def test_file_beside_the_articles_at_a_page_url_is_a_conflict(breaker):
    asset = "content/tin-hoat-dong/hoi-nghi-tong-ket-nam-2026/index.html"
    report = breaker.fails(
        {asset: "<p>trang giả</p>"},
        [
            Expected(
                asset,
                None,
                "would be written to tin-hoat-dong/hoi-nghi-tong-ket-nam-2026/index.html",
            )
        ],
    )
    assert A in report.stderr


def test_static_file_at_the_feed_url_is_a_conflict(breaker):
    breaker.fails(
        {"static/feed.xml": "<feed/>"},
        [
            Expected(
                "static/feed.xml", None, "would be written to feed.xml, like the feed /feed.xml"
            )
        ],
    )


def tag_pages(site) -> dict[str, str]:
    """Tag page URL -> the tag name it shows."""
    found = {}
    for page in sorted((site.output / "tags").glob("*/index.html")):
        url = "/tags/" + page.parent.name + "/"
        found[url] = site.html(url).h1.get_text(strip=True).split(": ", 1)[-1]
    return found


def test_tags_that_slug_alike_get_distinct_stable_urls_and_a_warning(probe_site, breaker):
    """ "Ăn" (eating) and "Ân" (grace) both slug to "an": two pages, never one merged page.
    Vietnamese alphabetical order decides who gets the plain slug (ă before â), so the URLs do
    not depend on file names, file order or build history."""
    files = {
        A: article(title="Bài một", tags="[Ăn]"),
        B: article(title="Bài hai", tags="[Ân]", date="2026-01-16"),
    }
    site, report = probe_site(files)
    assert tag_pages(site) == {"/tags/an/": "Ăn", "/tags/an-2/": "Ân"}
    assert warnings(report) == [
        f"warning: {B}:6: tag 'Ân' has the same slug as 'Ăn': its page is /tags/an-2/"
    ]
    listed = site.html("/tags/an-2/").select("main a")
    assert "Bài hai" in [a.get_text(strip=True) for a in listed]
    assert "Bài một" not in [a.get_text(strip=True) for a in listed]
    # The same articles under swapped file names: the same URLs.
    swapped = {A: files[B].replace("Bài hai", "Bài ba"), B: files[A].replace("Bài một", "Bài bốn")}
    site, report = probe_site(swapped)
    assert tag_pages(site) == {"/tags/an/": "Ăn", "/tags/an-2/": "Ân"}


def test_authors_that_slug_alike_get_distinct_pages(probe_site):
    files = {
        A: article(title="Bài một", author="Lê Văn Minh"),
        B: article(title="Bài hai", author="Lê Vân Minh", date="2026-01-16"),
    }
    site, report = probe_site(files)
    assert site.html("/authors/le-van-minh/").h1.get_text(strip=True).endswith("Lê Văn Minh")
    assert site.html("/authors/le-van-minh-2/").h1.get_text(strip=True).endswith("Lê Vân Minh")
    assert any(
        "author 'Lê Vân Minh' has the same slug as 'Lê Văn Minh'" in w for w in warnings(report)
    )


def test_title_too_long_for_a_file_name_is_cut_at_a_word(probe_site):
    title = "Hội nghị tổng kết công tác xây dựng Đảng và hệ thống chính trị " * 6
    site, _ = probe_site({A: article(title=title)})
    folders = [p.name for p in (site.output / "tin-hoat-dong").iterdir() if p.is_dir()]
    long = [name for name in folders if name.startswith("hoi-nghi-tong-ket-cong-tac")]
    assert len(long) == 1 and 150 < len(long[0]) <= 200 and not long[0].endswith("-")
    assert site.html(f"/tin-hoat-dong/{long[0]}/").h1.get_text() == " ".join(title.split())


def test_long_titles_equal_in_their_first_200_characters_are_one_url(breaker):
    start = "Hội nghị tổng kết công tác xây dựng Đảng " * 6
    breaker.fails(
        {A: article(title=start + "lần một"), B: article(title=start + "lần hai")},
        [Expected(B, 2, "has the same URL")],
    )


def test_image_beside_an_article_and_a_page_of_the_same_name_do_not_clash(probe_site):
    site, _ = probe_site(
        {**GOOD_FILES, "content/tin-hoat-dong/hoi-nghi-tong-ket-nam-2026.png": PNG}
    )
    assert variants_of(site.output, "tin-hoat-dong/hoi-nghi-tong-ket-nam-2026.png")
    assert site.html(HOI_NGHI).h1 is not None
    assert C in GOOD_FILES
