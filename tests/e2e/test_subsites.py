"""A portal of two sub-sites in one build: each with its own banner, sections, pages, feeds,
tags and related lists under /<key>/; the portal's home, sitemap, robots.txt and 404."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import Site, article
from tests.e2e.helpers import (
    ATOM,
    SITEMAP,
    attrs,
    card_titles,
    exists,
    feed_entry_titles,
    sitemap_locs,
    texts,
    xml,
)
from tests.pictures import PNG, is_variant_of

PORTAL_CONFIG = """\
title: Cổng thông tin Tỉnh ủy Sơn Hà
base_url: https://example.org/
language: vi
timezone: Asia/Ho_Chi_Minh
related_count: 5
subsites:
  - key: ban-to-chuc
    title: Ban Tổ chức Tỉnh ủy
    banner: {title: Ban Tổ chức Tỉnh ủy Sơn Hà, image: /images/btc.png}
    sections:
      - {key: tin-hoat-dong, title: Tin hoạt động}
      - {key: van-ban, title: Văn bản}
  - key: ban-tuyen-giao
    title: Ban Tuyên giáo Tỉnh ủy
    banner: {title: Ban Tuyên giáo Tỉnh ủy Sơn Hà}
    base_url: https://tuyengiao.example.org/
    sections:
      - {key: tin-hoat-dong, title: Tin hoạt động}
      - {key: hoc-tap, title: Học tập nghị quyết}
"""

BTC = "content/ban-to-chuc"
BTG = "content/ban-tuyen-giao"


def portal_files() -> dict[str, str | bytes]:
    return {
        f"{BTC}/tin-hoat-dong/hoi-nghi.md": article(
            title="Hội nghị tổng kết năm 2026", date="2026-01-10 08:00", section=None,
            tags="[Hội nghị]",
            body="Đoạn mở đầu.\n\nXem [quy định](../van-ban/quy-dinh.md) và "
            "[bài bên Tuyên giáo](../../ban-tuyen-giao/tin-hoat-dong/hoi-nghi.md).",
        ),
        f"{BTC}/tin-hoat-dong/tap-huan.md": article(
            title="Tập huấn nghiệp vụ", date="2026-01-12 08:00", section=None, tags="[Hội nghị]"
        ),
        f"{BTC}/van-ban/quy-dinh.md": article(
            title="Quy định mới", date="2026-01-05 08:00", section="van-ban", author="Trần Thị Hoa"
        ),
        f"{BTG}/tin-hoat-dong/hoi-nghi.md": article(
            title="Hội nghị tổng kết năm 2026", date="2026-01-11 08:00", section=None,
            author="Nguyễn Văn An", tags="[Hội nghị]",
        ),
        f"{BTG}/tin-hoat-dong/ra-quan.md": article(
            title="Lễ ra quân tuyên truyền", date="2026-01-08 08:00", section=None,
            author="Nguyễn Văn An",
        ),
        f"{BTG}/hoc-tap/nghi-quyet.md": article(
            title="Học tập Nghị quyết Đại hội", date="2026-01-09 08:00",
            section="Học tập nghị quyết",
            author="Nguyễn Văn An",
        ),
        "static/images/btc.png": PNG,
    }  # fmt: skip


@pytest.fixture
def portal(make_site, monkeypatch) -> Site:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    site = make_site(portal_files(), config=PORTAL_CONFIG)
    assert site.build() == 0
    return site


def test_each_subsite_has_its_banner_navigation_and_footer(portal):
    btc = portal.html("/ban-to-chuc/tin-hoat-dong/hoi-nghi-tong-ket-nam-2026/")
    btg = portal.html("/ban-tuyen-giao/tin-hoat-dong/hoi-nghi-tong-ket-nam-2026/")
    assert texts(btc, ".banner-title") == ["Ban Tổ chức Tỉnh ủy Sơn Hà"]
    [banner] = attrs(btc, ".banner-image", "src")
    assert is_variant_of(banner, "/images/btc.png")
    assert texts(btg, ".banner-title") == ["Ban Tuyên giáo Tỉnh ủy Sơn Hà"]
    assert btg.select(".banner-image") == []
    assert texts(btc, 'nav[aria-label="Menu chính"] a') == ["Trang chủ", "Tin hoạt động", "Văn bản"]
    assert attrs(btg, 'nav[aria-label="Menu chính"] a', "href") == [
        "/ban-tuyen-giao/", "/ban-tuyen-giao/tin-hoat-dong/", "/ban-tuyen-giao/hoc-tap/",
    ]  # fmt: skip
    assert texts(btg, ".footer-title") == ["Ban Tuyên giáo Tỉnh ủy"]
    # The portal bar lists every sub-site and marks the page's own.
    bar = btg.select_one('nav[aria-label="Các trang thành viên"]')
    assert [a["href"] for a in bar.select("a")] == ["/", "/ban-to-chuc/", "/ban-tuyen-giao/"]
    assert [a.get_text() for a in bar.select("a[aria-current]")] == ["Ban Tuyên giáo Tỉnh ủy"]


def test_same_section_key_and_title_in_two_subsites_are_two_pages(portal):
    btc = portal.html("/ban-to-chuc/tin-hoat-dong/")
    btg = portal.html("/ban-tuyen-giao/tin-hoat-dong/")
    assert card_titles(btc) == ["Tập huấn nghiệp vụ", "Hội nghị tổng kết năm 2026"]
    assert card_titles(btg) == ["Hội nghị tổng kết năm 2026", "Lễ ra quân tuyên truyền"]
    assert texts(btg, "main h1") == ["Tin hoạt động"]


def test_related_lists_and_prev_next_stay_in_the_subsite(portal):
    page = portal.html("/ban-tuyen-giao/tin-hoat-dong/hoi-nghi-tong-ket-nam-2026/")
    assert attrs(page, ".related a", "href") == [
        "/ban-tuyen-giao/tin-hoat-dong/le-ra-quan-tuyen-truyen/"
    ]
    assert attrs(page, ".prev-next a", "href") == [
        "/ban-tuyen-giao/tin-hoat-dong/le-ra-quan-tuyen-truyen/"
    ]
    assert texts(page, ".breadcrumbs a")[:2] == ["Trang chủ", "Tin hoạt động"]
    assert attrs(page, ".breadcrumbs a", "href")[:2] == [
        "/ban-tuyen-giao/",
        "/ban-tuyen-giao/tin-hoat-dong/",
    ]


def test_tags_and_authors_are_per_subsite(portal):
    btc = portal.html("/ban-to-chuc/tags/hoi-nghi/")
    btg = portal.html("/ban-tuyen-giao/tags/hoi-nghi/")
    assert card_titles(btc) == ["Tập huấn nghiệp vụ", "Hội nghị tổng kết năm 2026"]
    assert card_titles(btg) == ["Hội nghị tổng kết năm 2026"]
    assert card_titles(portal.html("/ban-tuyen-giao/authors/nguyen-van-an/")) == [
        "Hội nghị tổng kết năm 2026", "Học tập Nghị quyết Đại hội", "Lễ ra quân tuyên truyền",
    ]  # fmt: skip
    assert not exists(portal, "/ban-to-chuc/authors/nguyen-van-an/")
    assert not exists(portal, "/tags/hoi-nghi/")


def test_feeds_are_per_subsite_and_the_portal_has_one_of_every_subsite(portal):
    assert feed_entry_titles(xml(portal, "/ban-to-chuc/tin-hoat-dong/feed.xml")) == [
        "Tập huấn nghiệp vụ", "Hội nghị tổng kết năm 2026",
    ]  # fmt: skip
    btg = xml(portal, "/ban-tuyen-giao/feed.xml")
    assert btg.findtext(f"{ATOM}title") == "Ban Tuyên giáo Tỉnh ủy"
    assert len(feed_entry_titles(btg)) == 3
    # A sub-site with its own base_url: its feeds use it.
    assert [link.get("href") for link in btg.findall(f"{ATOM}link")] == [
        "https://tuyengiao.example.org/feed.xml", "https://tuyengiao.example.org/",
    ]  # fmt: skip
    everything = feed_entry_titles(xml(portal, "/feed.xml"))
    assert everything == [
        "Tập huấn nghiệp vụ", "Hội nghị tổng kết năm 2026", "Hội nghị tổng kết năm 2026",
        "Học tập Nghị quyết Đại hội", "Lễ ra quân tuyên truyền", "Quy định mới",
    ]  # fmt: skip


def test_links_by_source_path_reach_other_subsites(portal):
    page = portal.html("/ban-to-chuc/tin-hoat-dong/hoi-nghi-tong-ket-nam-2026/")
    assert attrs(page, ".article-body a", "href") == [
        "/ban-to-chuc/van-ban/quy-dinh-moi/",
        "/ban-tuyen-giao/tin-hoat-dong/hoi-nghi-tong-ket-nam-2026/",
    ]


def test_portal_home_has_a_block_per_subsite(portal):
    home = portal.html("/")
    assert texts(home, ".block-title") == ["Ban Tổ chức Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy"]
    blocks = home.select("section.portal-block")
    assert [[a.get_text() for a in b.select(".card-title a")] for b in blocks] == [
        ["Tập huấn nghiệp vụ", "Hội nghị tổng kết năm 2026", "Quy định mới"],
        ["Hội nghị tổng kết năm 2026", "Học tập Nghị quyết Đại hội", "Lễ ra quân tuyên truyền"],
    ]
    assert attrs(home, ".block-title a", "href") == ["/ban-to-chuc/", "/ban-tuyen-giao/"]
    assert home.html["lang"] == "vi"


def test_a_sitemap_and_robots_txt_per_address_and_one_404_for_the_portal(portal):
    """A sitemap lists the URLs of one host: a sub-site with a base_url of its own has its
    own, in its folder, which its host serves as its root, and a robots.txt naming it."""
    locs = sitemap_locs(portal)
    assert "https://example.org/" in locs
    assert "https://example.org/ban-to-chuc/van-ban/quy-dinh-moi/" in locs
    assert not [loc for loc in locs if not loc.startswith("https://example.org/")]
    own = [loc.text for loc in xml(portal, "/ban-tuyen-giao/sitemap.xml").iter(f"{SITEMAP}loc")]
    assert "https://tuyengiao.example.org/hoc-tap/hoc-tap-nghi-quyet-dai-hoi/" in own
    assert "https://tuyengiao.example.org/" in own
    assert not [loc for loc in own if not loc.startswith("https://tuyengiao.example.org/")]
    pages = sorted(
        p.relative_to(portal.output).as_posix() for p in portal.output.rglob("index.html")
    )
    searches = [p for p in pages if p.endswith("search/index.html")]  # no content: not listed
    assert searches == ["ban-to-chuc/search/index.html", "ban-tuyen-giao/search/index.html",
                        "search/index.html"]  # fmt: skip
    assert len(locs) + len(own) == len(pages) - len(searches) == len(set(locs + own))
    assert not [loc for loc in locs + own if loc.endswith("/search/")]
    robots = (portal.output / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.org/sitemap.xml" in robots.splitlines()
    robots = (portal.output / "ban-tuyen-giao/robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://tuyengiao.example.org/sitemap.xml" in robots.splitlines()
    assert not exists(portal, "/ban-to-chuc/robots.txt")
    assert not exists(portal, "/ban-to-chuc/sitemap.xml")
    assert exists(portal, "/404.html")
    assert not exists(portal, "/ban-to-chuc/404.html")
    canonical = portal.html("/ban-tuyen-giao/hoc-tap/").select_one('link[rel="canonical"]')
    assert canonical["href"] == "https://tuyengiao.example.org/hoc-tap/"


def test_a_subsite_folder_of_layouts_overrides_the_theme_for_it_alone(make_site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    files = portal_files()
    files["layouts/ban-tuyen-giao/partials/footer.html"] = (
        '<footer class="site-footer"><p class="own">Tuyên giáo: {{ site.title }}</p></footer>\n'
    )
    site = make_site(files, config=PORTAL_CONFIG)
    assert site.build() == 0
    assert texts(site.html("/ban-tuyen-giao/"), ".own") == ["Tuyên giáo: Ban Tuyên giáo Tỉnh ủy"]
    assert site.html("/ban-to-chuc/").select(".own") == []
    assert texts(site.html("/ban-to-chuc/"), ".footer-title") == ["Ban Tổ chức Tỉnh ủy"]


def stamps(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_an_edit_in_one_subsite_leaves_the_other_untouched(portal, tmp_path):
    before = stamps(portal.output / "ban-tuyen-giao")
    source = portal.root / BTC / "tin-hoat-dong" / "tap-huan.md"
    source.write_text(
        article(title="Tập huấn nghiệp vụ (sửa)", date="2026-01-12 08:00", section=None),
        encoding="utf-8",
    )
    assert portal.build() == 0
    assert stamps(portal.output / "ban-tuyen-giao") == before
    home = portal.html("/")
    assert "Tập huấn nghiệp vụ (sửa)" in card_titles(home)
    copy = Site(tmp_path / "clean")
    shutil.copytree(portal.root, copy.root, ignore=shutil.ignore_patterns("public", ".*"))
    assert copy.build("--no-cache") == 0
    assert copy.files() == portal.files()


def test_build_of_one_subsite_has_it_and_the_portal_pages(make_site, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    site = make_site(portal_files(), config=PORTAL_CONFIG)
    assert site.build("--subsite", "ban-tuyen-giao") == 0
    assert exists(site, "/ban-tuyen-giao/hoc-tap/hoc-tap-nghi-quyet-dai-hoi/")
    assert not exists(site, "/ban-to-chuc/")
    assert texts(site.html("/"), ".block-title") == ["Ban Tuyên giáo Tỉnh ủy"]
    assert "warning" not in capsys.readouterr().err  # no links to the sub-sites left out
    assert site.build("--subsite", "ban-khac") == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "error: config.yaml: --subsite 'ban-khac' is no sub-site: use one of ban-to-chuc, "
        "ban-tuyen-giao"
    )


def test_a_build_of_one_subsite_keeps_the_others_in_the_cache(make_site, monkeypatch):
    site = make_site(portal_files(), config=PORTAL_CONFIG)
    assert site.build() == 0
    assert site.build("--subsite", "ban-tuyen-giao") == 0
    from sitegen import sources

    read: list[str] = []
    original = sources.read_source
    monkeypatch.setattr(
        sources, "read_source", lambda ref, log: read.append(ref.source_path) or original(ref, log)
    )
    assert site.build() == 0  # the whole portal again: nothing is parsed again
    assert read == []
    assert exists(site, "/ban-to-chuc/")


def test_check_covers_every_subsite(make_site, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    site = make_site(portal_files(), config=PORTAL_CONFIG)
    from sitegen.cli import main

    check = ["check", "--config", str(site.root / "config.yaml")]
    assert main(check) == 0
    checked = re.match(r"Checked (\d+) pages", capsys.readouterr().out)
    assert not site.output.exists()
    assert site.build() == 0
    built = [p for p in site.output.rglob("*.html")]
    assert checked and int(checked[1]) == len(built)  # every page of every sub-site
    # A link by source path to another sub-site's article that does not exist fails the check.
    source = site.root / BTG / "tin-hoat-dong" / "ra-quan.md"
    source.write_text(
        article(title="Lễ ra quân tuyên truyền", date="2026-01-08 08:00", section=None,
                body="Xem [quy định](../../ban-to-chuc/van-ban/khong-co.md)."),
        encoding="utf-8",
    )  # fmt: skip
    capsys.readouterr()
    assert main(check) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"error: {BTG}/tin-hoat-dong/ra-quan.md:7: link to 'ban-to-chuc/van-ban/khong-co.md': "
        "no such article (content/ban-to-chuc/van-ban/khong-co.md does not exist)"
    )


def test_output_file_stamps_helper_sees_a_change(tmp_path):
    """The comparison the incremental test relies on notices a rewritten file."""
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a").write_bytes(b"1")
    before = stamps(folder)
    (folder / "a").unlink()
    (folder / "a").write_bytes(b"1")
    os.utime(folder / "a", ns=(1, 1))
    assert stamps(folder) != before


def test_new_article_in_a_subsite_is_built_in_it(make_site, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    site = make_site(portal_files(), config=PORTAL_CONFIG)
    from sitegen.cli import main

    config = str(site.root / "config.yaml")
    new = ["new", "Học tập chuyên đề năm 2026", "--config", config, "--author", "Lê Thị Lan"]
    assert main([*new, "--subsite", "ban-tuyen-giao", "--section", "hoc-tap"]) == 0
    path = site.root / BTG / "hoc-tap" / "hoc-tap-chuyen-de-nam-2026.md"
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: false"))
    assert site.build() == 0
    page = site.html("/ban-tuyen-giao/hoc-tap/hoc-tap-chuyen-de-nam-2026/")
    assert texts(page, "main h1") == ["Học tập chuyên đề năm 2026"]
    capsys.readouterr()
    # The section must be the sub-site's own, and a portal needs --subsite.
    assert main([*new, "--subsite", "ban-to-chuc", "--section", "hoc-tap"]) == 1
    assert main([*new, "--section", "tin-hoat-dong"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: config.yaml: unknown section 'hoc-tap': use one of tin-hoat-dong, van-ban",
        "error: config.yaml: this site is a portal: pass --subsite KEY, one of ban-to-chuc, "
        "ban-tuyen-giao",
    ]


def test_a_rebuild_reads_no_unchanged_source_of_subsites_in_two_languages(make_site, monkeypatch):
    """Each sub-site parses with its own settings; the cache still knows every unchanged file
    by its stamp, whichever sub-site's settings were used last."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    config = PORTAL_CONFIG.replace(
        "    base_url: https://tuyengiao", "    language: en\n    base_url: https://tuyengiao"
    )
    site = make_site(portal_files(), config=config)
    from sitegen import pipeline, sources

    options = pipeline.BuildOptions(config_path=site.root / "config.yaml", jobs=1)
    pipeline.build(options)
    assert site.html("/ban-tuyen-giao/").html["lang"] == "en"
    read: list[str] = []
    original = sources.read_source
    monkeypatch.setattr(
        sources, "read_source", lambda ref, log: read.append(ref.source_path) or original(ref, log)
    )
    pipeline.build(options)
    assert read == []
    (site.root / BTG / "hoc-tap" / "nghi-quyet.md").write_text(
        article(title="Học tập Nghị quyết", section="hoc-tap"), encoding="utf-8"
    )
    pipeline.build(options)
    assert read == ["ban-tuyen-giao/hoc-tap/nghi-quyet.md"]


def test_a_tag_slug_clash_warning_names_the_subsites_page(make_site, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    files = portal_files()
    files[f"{BTG}/hoc-tap/an.md"] = article(title="Ăn", section="hoc-tap", tags="[Ăn, Ân]")
    site = make_site(files, config=PORTAL_CONFIG)
    assert site.build() == 0
    assert capsys.readouterr().err.splitlines() == [
        f"warning: {BTG}/hoc-tap/an.md:6: tag 'Ân' has the same slug as 'Ăn': its page is "
        "/ban-tuyen-giao/tags/an-2/"
    ]
    assert card_titles(site.html("/ban-tuyen-giao/tags/an-2/")) == ["Ăn"]
