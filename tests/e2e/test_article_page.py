"""The article page, top to bottom: banner, nav, header, lead, body, signature, tags, neighbours."""

from __future__ import annotations

import pytest

from tests.conftest import BASE_CONFIG, article
from tests.e2e.helpers import attrs, texts

BANNER_CONFIG = (
    BASE_CONFIG + "banner: {title: Ban Tổ chức Tỉnh ủy Sơn Hà, image: /images/banner.jpg}\n"
)

FULL_BODY = """\
## Đảng bộ tỉnh lần thứ XIX

Đại hội đã bầu Ban Chấp hành khóa mới[^1].

![Các đại biểu](/images/dai-bieu.jpg "Các đại biểu dự đại hội")

| Chỉ tiêu | Kết quả |
| --- | --- |
| Đảng viên mới | 1.284 |
| Chi bộ | 312 |

```python
def tong(a, b):
    return a + b
```

[^1]: Theo báo cáo của Ban Tổ chức.
"""

FULL_URL = "/tin-hoat-dong/dai-hoi-dang-bo-tinh/"


@pytest.fixture(scope="module")
def full_page(built_site):
    site = built_site(
        {
            "content/tin-hoat-dong/dai-hoi.md": article(
                title="Đại hội Đảng bộ tỉnh",
                date="2026-11-26 08:30",
                author="[Lê Văn Minh, Trần Thị Hoa]",
                updated="2026-11-27 09:15",
                summary="Đại hội diễn ra trong ba ngày.",
                organisation="Ban Tổ chức Tỉnh ủy",
                tags="[Chuyển đổi số, Công tác cán bộ]",
                body=FULL_BODY,
            )
        },
        config=BANNER_CONFIG,
    )
    return site.html(FULL_URL)


def test_banner_shows_configured_title_and_image_linking_home(full_page):
    assert texts(full_page, "header.site-header .banner-title") == ["Ban Tổ chức Tỉnh ủy Sơn Hà"]
    assert attrs(full_page, "header.site-header .banner-title", "href") == ["/"]
    image = full_page.select_one("header.site-header img.banner-image")
    assert (image["src"], image["alt"]) == ("/images/banner.jpg", "Ban Tổ chức Tỉnh ủy Sơn Hà")


def test_nav_lists_home_and_every_section_and_marks_the_current_one(full_page):
    links = full_page.select("nav.main-nav a")
    assert [(a.get_text(strip=True), a["href"]) for a in links] == [
        ("Trang chủ", "/"),
        ("Tin hoạt động", "/tin-hoat-dong/"),
        ("Xây dựng Đảng", "/xay-dung-dang/"),
    ]
    assert [a.get_text(strip=True) for a in links if a.has_attr("aria-current")] == [
        "Tin hoạt động"
    ]


def test_breadcrumb_goes_home_then_section_then_article(full_page):
    crumbs = full_page.select("nav.breadcrumbs li a")
    assert [(a.get_text(strip=True), a["href"]) for a in crumbs] == [
        ("Trang chủ", "/"),
        ("Tin hoạt động", "/tin-hoat-dong/"),
        ("Đại hội Đảng bộ tỉnh", FULL_URL),
    ]
    assert crumbs[-1]["aria-current"] == "page"


def test_title_is_the_only_h1(full_page):
    assert texts(full_page, "h1") == ["Đại hội Đảng bộ tỉnh"]


def test_date_has_rfc3339_datetime_and_vietnamese_long_text(full_page):
    published = full_page.select(".article-header .meta > time")
    assert [(t["datetime"], t.get_text()) for t in published] == [
        ("2026-11-26T08:30:00+07:00", "Thứ Năm, 26/11/2026 08:30")
    ]


def test_updated_date_is_shown_with_its_label(full_page):
    updated = full_page.select_one(".article-header .meta-updated time")
    assert (updated["datetime"], updated.get_text()) == (
        "2026-11-27T09:15:00+07:00",
        "Thứ Sáu, 27/11/2026 09:15",
    )
    assert texts(full_page, ".meta-updated")[0].startswith("Cập nhật:")


def test_authors_link_to_their_author_pages(full_page):
    links = full_page.select(".article-header .meta-authors a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("Lê Văn Minh", "/authors/le-van-minh/"),
        ("Trần Thị Hoa", "/authors/tran-thi-hoa/"),
    ]


def test_lead_is_the_front_matter_summary_set_apart_from_the_body(full_page):
    assert texts(full_page, ".article-header .lead") == ["Đại hội diễn ra trong ba ngày."]
    assert "Đại hội diễn ra trong ba ngày." not in texts(full_page, ".article-body p")


def test_body_keeps_its_paragraphs_and_headings(full_page):
    assert texts(full_page, ".article-body h2") == ["Đảng bộ tỉnh lần thứ XIX"]
    assert texts(full_page, ".article-body > p") == ["Đại hội đã bầu Ban Chấp hành khóa mới 1 ."]


def test_heading_id_is_vietnamese_aware_ascii(full_page):
    assert attrs(full_page, ".article-body h2", "id") == ["dang-bo-tinh-lan-thu-xix"]


def test_table_of_contents_links_to_the_heading_ids(full_page):
    links = full_page.select(".article-toc nav a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("Đảng bộ tỉnh lần thứ XIX", "#dang-bo-tinh-lan-thu-xix")
    ]


def test_titled_image_alone_in_paragraph_becomes_figure_with_caption(full_page):
    figures = full_page.select(".article-body figure")
    assert len(figures) == 1
    image = figures[0].select_one("img")
    assert (image["src"], image["alt"], image.get("title")) == (
        "/images/dai-bieu.jpg",
        "Các đại biểu",
        None,
    )
    assert texts(figures[0], "figcaption") == ["Các đại biểu dự đại hội"]
    assert figures[0].find_parent("p") is None


def test_markdown_table_becomes_html_table(full_page):
    table = full_page.select_one(".article-body table")
    assert texts(table, "thead th") == ["Chỉ tiêu", "Kết quả"]
    assert [texts(row, "td") for row in table.select("tbody tr")] == [
        ["Đảng viên mới", "1.284"],
        ["Chi bộ", "312"],
    ]


def test_footnote_reference_links_to_its_note(full_page):
    reference = full_page.select_one(".article-body sup a")
    note_id = reference["href"].lstrip("#")
    note = full_page.find(id=note_id)
    assert note is not None and note.find_parent(class_="footnote") is not None
    assert note.get_text(" ", strip=True).startswith("Theo báo cáo của Ban Tổ chức.")


def test_fenced_code_is_highlighted_by_pygments(full_page):
    code = full_page.select_one(".article-body .codehilite pre")
    assert code.get_text() == "def tong(a, b):\n    return a + b\n"
    keywords = [span.get_text() for span in code.select("span.k")]
    assert keywords == ["def", "return"]
    assert [span.get_text() for span in code.select("span.nf")] == ["tong"]


def test_signature_names_authors_and_organisation(full_page):
    assert texts(full_page, ".signature .signature-authors strong") == [
        "Lê Văn Minh",
        "Trần Thị Hoa",
    ]
    assert texts(full_page, ".signature .signature-organisation") == ["Ban Tổ chức Tỉnh ủy"]


def test_tags_link_to_their_tag_pages(full_page):
    links = full_page.select(".article-footer .tags a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("Chuyển đổi số", "/tags/chuyen-doi-so/"),
        ("Công tác cán bộ", "/tags/cong-tac-can-bo/"),
    ]


@pytest.fixture(scope="module")
def variants(built_site):
    """One article per variant of the front matter and the body's opening, in one site."""
    article_of = {
        "co-anh": article(title="Có ảnh", image="/images/bia.jpg", image_caption="Ảnh bìa của bài"),
        "anh-khong-chu-thich": article(title="Ảnh không chú thích", image="/images/b.jpg"),
        "khong-co-tom-tat": article(
            title="Không có tóm tắt",
            body="Đoạn đầu tiên là phần mở đầu.\n\nĐoạn thứ hai của thân bài.\n\nĐoạn thứ ba.",
        ),
        "co-tom-tat": article(
            title="Có tóm tắt",
            summary="Phần tóm tắt.",
            body="Đoạn đầu tiên của thân bài.\n\nĐoạn thứ hai.",
        ),
        "tom-tat-markdown": article(
            title="Tóm tắt Markdown",
            summary='"**Hội nghị** bàn về [công tác cán bộ](/xay-dung-dang/)."',
        ),
        "mo-bang-tieu-de": article(
            title="Mở bằng tiêu đề", body="## Phần một\n\nNội dung phần một."
        ),
        "toi-gian": article(title="Tối giản"),
    }
    return built_site(
        {f"content/tin-hoat-dong/{slug}.md": text for slug, text in article_of.items()}
    )


def card(site, url: str):
    """The listing card of the article at `url` on its section page."""
    return site.html("/tin-hoat-dong/").select_one(f'main li.card:has(a[href="{url}"])')


def test_cover_image_is_shown_with_its_caption(variants):
    cover = variants.html("/tin-hoat-dong/co-anh/").select_one("article figure.cover")
    assert cover.img["src"] == "/images/bia.jpg"
    assert cover.img["alt"] == "Ảnh bìa của bài"
    assert texts(cover, "figcaption") == ["Ảnh bìa của bài"]


def test_cover_image_without_caption_uses_the_title_as_alt_text(variants):
    url = "/tin-hoat-dong/anh-khong-chu-thich/"
    cover = variants.html(url).select_one("article figure.cover")
    assert cover.img["alt"] == "Ảnh không chú thích"
    assert cover.select("figcaption") == []
    assert attrs(card(variants, url), "img.card-image", "alt") == ["Ảnh không chú thích"]


def test_without_summary_first_paragraph_is_the_lead_and_not_repeated_in_body(variants):
    page = variants.html("/tin-hoat-dong/khong-co-tom-tat/")
    assert texts(page, ".article-header .lead") == ["Đoạn đầu tiên là phần mở đầu."]
    assert texts(page, ".article-body p") == ["Đoạn thứ hai của thân bài.", "Đoạn thứ ba."]


def test_with_summary_the_first_paragraph_stays_in_the_body(variants):
    page = variants.html("/tin-hoat-dong/co-tom-tat/")
    assert texts(page, ".article-header .lead") == ["Phần tóm tắt."]
    assert texts(page, ".article-body p") == ["Đoạn đầu tiên của thân bài.", "Đoạn thứ hai."]


def test_summary_is_rendered_markdown_and_listings_show_it_as_text(variants):
    url = "/tin-hoat-dong/tom-tat-markdown/"
    lead = variants.html(url).select_one(".article-header .lead")
    assert texts(lead, "strong") == ["Hội nghị"]
    assert attrs(lead, "a", "href") == ["/xay-dung-dang/"]
    assert texts(card(variants, url), ".card-summary") == ["Hội nghị bàn về công tác cán bộ."]


def test_body_opening_with_a_heading_has_no_lead(variants):
    url = "/tin-hoat-dong/mo-bang-tieu-de/"
    page = variants.html(url)
    assert page.select(".lead") == []
    assert texts(page, ".article-body p") == ["Nội dung phần một."]
    assert card(variants, url).select(".card-summary") == []


def test_article_without_tags_updated_or_organisation_omits_those_blocks(variants):
    page = variants.html("/tin-hoat-dong/toi-gian/")
    assert page.select(".tags-block, .meta-updated, .signature-organisation, figure.cover") == []
    assert texts(page, ".signature-authors") == ["Lê Văn Minh"]


# --- previous / next and related ------------------------------------------------------


@pytest.fixture(scope="module")
def section_of_four(built_site):
    """Four articles of tin-hoat-dong (one with an image) and a newer one of another section."""
    files = {
        "content/tin-hoat-dong/a1.md": article(title="Bài một", date="2026-03-01 08:00"),
        "content/tin-hoat-dong/a2.md": article(
            title="Bài hai",
            date="2026-03-02 08:00",
            image="/images/hai.jpg",
            image_caption="Ảnh bài hai",
        ),
        "content/tin-hoat-dong/a3.md": article(title="Bài ba", date="2026-03-03 08:00"),
        "content/tin-hoat-dong/a4.md": article(title="Bài bốn", date="2026-03-04 08:00"),
        "content/xay-dung-dang/x.md": article(
            title="Bài khác chuyên mục", date="2026-03-05 08:00", section="xay-dung-dang"
        ),
    }
    return built_site(files, config=BASE_CONFIG + "related_count: 2\n")


def prev_next(page) -> dict[str, str]:
    return {a["rel"][0]: a["href"] for a in page.select("nav.prev-next a")}


def test_prev_is_the_older_and_next_the_newer_article_of_the_section(section_of_four):
    page = section_of_four.html("/tin-hoat-dong/bai-hai/")
    assert prev_next(page) == {"prev": "/tin-hoat-dong/bai-mot/", "next": "/tin-hoat-dong/bai-ba/"}
    assert texts(page, "nav.prev-next .prev-next-prev a") == ["Bài trước Bài một"]
    assert texts(page, "nav.prev-next .prev-next-next a") == ["Bài sau Bài ba"]


def test_oldest_article_has_no_prev_and_newest_of_section_has_no_next(section_of_four):
    assert prev_next(section_of_four.html("/tin-hoat-dong/bai-mot/")) == {
        "next": "/tin-hoat-dong/bai-hai/"
    }
    # the newer article of the other section is not this section's "next"
    assert prev_next(section_of_four.html("/tin-hoat-dong/bai-bon/")) == {
        "prev": "/tin-hoat-dong/bai-ba/"
    }


def test_lone_article_has_no_prev_next_navigation(section_of_four):
    assert section_of_four.html("/xay-dung-dang/bai-khac-chuyen-muc/").select("nav.prev-next") == []


def test_related_list_has_newest_other_articles_of_same_section(section_of_four):
    page = section_of_four.html("/tin-hoat-dong/bai-bon/")
    assert texts(page, ".related h2") == ["Tin cùng chuyên mục"]
    assert texts(page, ".related li a") == ["Bài ba", "Bài hai"]
    assert attrs(page, ".related li a", "href") == [
        "/tin-hoat-dong/bai-ba/",
        "/tin-hoat-dong/bai-hai/",
    ]


def test_related_list_skips_the_article_itself_and_other_sections(section_of_four):
    page = section_of_four.html("/tin-hoat-dong/bai-ba/")
    assert texts(page, ".related li a") == ["Bài bốn", "Bài hai"]


def test_related_items_show_their_date(section_of_four):
    page = section_of_four.html("/tin-hoat-dong/bai-bon/")
    assert [(t["datetime"], t.get_text()) for t in page.select(".related li time")] == [
        ("2026-03-03T08:00:00+07:00", "03/03/2026"),
        ("2026-03-02T08:00:00+07:00", "02/03/2026"),
    ]


def test_related_item_has_thumbnail_only_when_its_article_has_an_image(section_of_four):
    items = section_of_four.html("/tin-hoat-dong/bai-bon/").select(".related li")
    thumbnails = [[(img["src"], img["alt"]) for img in item.select("img")] for item in items]
    assert thumbnails == [[], [("/images/hai.jpg", "Ảnh bài hai")]]


def test_only_article_of_its_section_has_no_related_block(section_of_four):
    assert section_of_four.html("/xay-dung-dang/bai-khac-chuyen-muc/").select(".related") == []
