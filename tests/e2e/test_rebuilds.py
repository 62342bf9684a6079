"""Building again: identical output for identical input; every kind of change reaches the pages."""

from __future__ import annotations

import os

from PIL import Image

from tests.conftest import BASE_CONFIG, article
from tests.e2e.helpers import (
    attrs,
    exists,
    news_site,
    output_files,
    sitemap_locs,
    summary_counts,
    texts,
)
from tests.pictures import image_bytes, variants_of


def test_building_twice_gives_byte_identical_output(make_site, tmp_path):
    site = make_site(news_site())
    assert site.build() == 0
    first = site.files()
    assert site.build("--output", str(tmp_path / "second")) == 0
    assert output_files(tmp_path / "second") == first
    assert site.build() == 0
    assert site.files() == first


def test_same_site_in_two_folders_gives_identical_output(built_site):
    first = built_site(news_site())
    second = built_site(news_site())
    assert first.root != second.root
    assert first.files() == second.files()


def test_second_build_without_changes_reports_every_file_unchanged(make_site, capsys):
    site = make_site(news_site())
    assert site.build() == 0
    pages, written, kept = summary_counts(capsys.readouterr().out)
    assert pages > 0 and written > 0 and kept == 0
    assert site.build() == 0
    assert summary_counts(capsys.readouterr().out) == (pages, 0, written)


def test_editing_one_article_rewrites_only_what_shows_it(make_site, capsys):
    site = make_site(news_site())
    assert site.build() == 0
    capsys.readouterr()
    site.write(
        "content/xay-dung-dang/chi-bo.md",
        article(
            title="Sinh hoạt chi bộ",
            date="2026-03-03 08:00",
            section="xay-dung-dang",
            body="Nội dung mới.",
        ),
    )
    assert site.build() == 0
    _, written, kept = summary_counts(capsys.readouterr().out)
    assert written > 0 and kept > 0
    assert texts(site.html("/xay-dung-dang/sinh-hoat-chi-bo/"), ".lead") == ["Nội dung mới."]


def test_deleting_an_article_removes_its_page_on_next_build(make_site):
    site = make_site(news_site())
    assert site.build() == 0
    assert exists(site, "/tin-hoat-dong/tap-huan-can-bo/")
    (site.root / "content/tin-hoat-dong/tap-huan.md").unlink()
    assert site.build() == 0
    assert not exists(site, "/tin-hoat-dong/tap-huan-can-bo/")
    assert texts(site.html("/tin-hoat-dong/"), "main .card-title a") == ["Hội nghị tổng kết"]
    assert "https://example.org/tin-hoat-dong/tap-huan-can-bo/" not in sitemap_locs(site)


def test_failed_build_leaves_previous_output_as_it_was(make_site):
    site = make_site(news_site())
    assert site.build() == 0
    before = site.files()
    site.write(
        "content/tin-hoat-dong/hong.md", "---\ntitle: Thiếu ngày\nauthor: A\n---\n\nThân bài.\n"
    )
    assert site.build() == 1
    assert site.files() == before


def test_retitling_an_article_updates_the_pages_that_list_it(make_site):
    site = make_site(news_site())
    assert site.build() == 0
    site.write(
        "content/tin-hoat-dong/tap-huan.md",
        article(
            title="Tập huấn cán bộ",
            date="2026-03-01 08:00",
            slug="tap-huan-can-bo",
            summary="Đổi tóm tắt.",
        ),
    )
    site.write(
        "content/tin-hoat-dong/hoi-nghi.md",
        article(title="Hội nghị đã đổi tên", date="2026-03-02 08:00", slug="hoi-nghi-tong-ket"),
    )
    assert site.build() == 0
    assert texts(site.html("/tin-hoat-dong/tap-huan-can-bo/"), ".related a") == [
        "Hội nghị đã đổi tên"
    ]
    assert texts(site.html("/tin-hoat-dong/tap-huan-can-bo/"), ".prev-next a") == [
        "Bài sau Hội nghị đã đổi tên"
    ]
    assert "Hội nghị đã đổi tên" in texts(site.html("/"), ".home-latest .card-title a")
    assert texts(site.html("/tin-hoat-dong/"), "main .card-summary")[-1] == "Đổi tóm tắt."


def test_adding_and_removing_a_layout_override_changes_every_page(make_site):
    site = make_site(news_site())
    assert site.build() == 0
    override = site.write(
        "layouts/partials/footer.html", '<footer class="site-footer">Chân trang riêng</footer>\n'
    )
    assert site.build() == 0
    assert texts(site.html("/tin-hoat-dong/tap-huan-can-bo/"), "footer.site-footer") == [
        "Chân trang riêng"
    ]
    override.unlink()
    assert site.build() == 0
    assert site.html("/tin-hoat-dong/tap-huan-can-bo/").select(
        "footer.site-footer .footer-sections"
    )


def test_changing_config_changes_the_pages(make_site):
    site = make_site(news_site())
    assert site.build() == 0
    site.write(
        "config.yaml",
        BASE_CONFIG.replace("Asia/Ho_Chi_Minh", "UTC").replace(
            "title: Ban Tổ chức Tỉnh ủy", "title: Tên mới"
        ),
    )
    assert site.build() == 0
    page = site.html("/tin-hoat-dong/tap-huan-can-bo/")
    assert attrs(page, ".article-header .meta > time", "datetime") == ["2026-03-01T08:00:00+00:00"]
    assert texts(page, ".banner-title") == ["Tên mới"]


def test_changing_base_url_between_builds_changes_links_and_feeds(make_site):
    site = make_site(news_site())
    assert site.build() == 0
    assert site.build("--base-url", "https://host/tinh-uy/") == 0
    assert attrs(site.html("/"), "nav.main-nav a", "href")[0] == "/tinh-uy/"
    assert all(loc.startswith("https://host/tinh-uy/") for loc in sitemap_locs(site))
    assert site.build() == 0
    assert attrs(site.html("/"), "nav.main-nav a", "href")[0] == "/"


def test_changed_and_deleted_files_beside_articles_follow_the_source(make_site):
    site = make_site(news_site())
    assert site.build() == 0
    before = variants_of(site.output, "tin-hoat-dong/anh.jpg")
    site.write("content/tin-hoat-dong/anh.jpg", image_bytes(color=(0, 0, 200)))
    site.write("static/images/banner.jpg", b"new banner")
    assert site.build() == 0
    after = variants_of(site.output, "tin-hoat-dong/anh.jpg")
    assert after and not set(before) & set(after)  # new names: hosts may cache them forever
    with Image.open(after[0]) as variant:
        assert variant.convert("RGB").getpixel((0, 0)) == (0, 0, 200)
    assert (site.output / "images/banner.jpg").read_bytes() == b"new banner"  # no page shows it
    (site.root / "content/tin-hoat-dong/anh.jpg").unlink()
    (site.root / "static/images/banner.jpg").unlink()
    assert site.build() == 1  # the article still shows the photo: a link to a missing file
    article_path = site.root / "content/tin-hoat-dong/hoi-nghi.md"
    text = article_path.read_text(encoding="utf-8").replace(
        '![Ảnh hội trường](anh.jpg "Hội trường")', ""
    )
    article_path.write_text(text, encoding="utf-8")
    assert site.build() == 0
    assert not exists(site, "/tin-hoat-dong/anh.jpg")
    assert not variants_of(site.output, "tin-hoat-dong/anh.jpg")
    assert not exists(site, "/images/banner.jpg")


def test_edit_that_keeps_size_and_timestamp_is_still_rebuilt(make_site):
    site = make_site(
        {"content/tin-hoat-dong/a.md": article(title="Một bài", summary="Số liệu năm 2025.")}
    )
    assert site.build() == 0
    path = site.root / "content/tin-hoat-dong/a.md"
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("2025", "2026"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert site.build() == 0
    assert texts(site.html("/tin-hoat-dong/mot-bai/"), ".lead") == ["Số liệu năm 2026."]
