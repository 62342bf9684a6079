from __future__ import annotations

import pytest

from sitegen import urls
from sitegen.urls import (
    Urls,
    find_conflicts,
    is_safe_output_path,
    output_path,
    page_path,
    resolve_relative,
)


@pytest.mark.parametrize(
    ("path", "output"),
    [
        ("/", "index.html"),
        ("/tin-hoat-dong/", "tin-hoat-dong/index.html"),
        ("/tin-hoat-dong/hoi-nghi/", "tin-hoat-dong/hoi-nghi/index.html"),
        ("/tin-hoat-dong/page/2/", "tin-hoat-dong/page/2/index.html"),
        ("/404.html", "404.html"),
        ("/feed.xml", "feed.xml"),
        ("/tin-hoat-dong/feed.xml", "tin-hoat-dong/feed.xml"),
    ],
)
def test_output_path_maps_pretty_urls_to_index_files(path, output):
    assert output_path(path) == output


def test_page_path_first_page_is_the_listing_itself():
    assert page_path("/tin-hoat-dong/", 1) == "/tin-hoat-dong/"
    assert page_path("/tin-hoat-dong/", 2) == "/tin-hoat-dong/page/2/"
    assert page_path("/tags/dang/", 10) == "/tags/dang/page/10/"


def test_path_builders():
    assert urls.section_path("tin") == "/tin/"
    assert urls.section_feed_path("tin") == "/tin/feed.xml"
    assert urls.article_path("tin", "hoi-nghi") == "/tin/hoi-nghi/"
    assert urls.tag_path("dang") == "/tags/dang/"
    assert urls.author_path("le-van-minh") == "/authors/le-van-minh/"
    assert urls.asset_path("css/style.css") == "/assets/css/style.css"


@pytest.mark.parametrize(
    "relative",
    ["index.html", "a/b/index.html", "assets/css/style.css", ".sitegen-output", "a..b/index.html"],
)
def test_is_safe_output_path_accepts_paths_inside(relative):
    assert is_safe_output_path(relative)


@pytest.mark.parametrize(
    "relative",
    [
        "",
        "../x",
        "..",
        "a/../../x",
        "a/../b",
        "/etc/passwd",
        "a\\b",
        "..\\x",
        "a/./b",
        "a//b",
        "a/b/",
        "a\x00b",
    ],
)
def test_is_safe_output_path_rejects_parent_absolute_backslash_and_unnormal_paths(relative):
    assert not is_safe_output_path(relative)


@pytest.mark.parametrize(
    ("source_dir", "reference", "expected"),
    [
        ("tin-hoat-dong", "anh.jpg", "/tin-hoat-dong/anh.jpg"),
        ("tin-hoat-dong/2026", "../anh.jpg", "/tin-hoat-dong/anh.jpg"),
        ("tin-hoat-dong", "./hinh/anh.jpg", "/tin-hoat-dong/hinh/anh.jpg"),
        ("", "anh.jpg", "/anh.jpg"),
        ("tin-hoat-dong", "..", "/"),
        ("tin-hoat-dong", "../..", None),
        ("", "../x.jpg", None),
        ("a/b", "../../../x.jpg", None),
    ],
)
def test_resolve_relative_from_the_files_folder(source_dir, reference, expected):
    assert resolve_relative(source_dir, reference) == expected


ROOT = Urls("https://example.org/", "/")
SUB = Urls("https://example.org/tinh-uy/", "/tinh-uy/")


def test_href_at_the_root():
    assert ROOT.href("/") == "/"
    assert ROOT.href("/tin/hoi-nghi/") == "/tin/hoi-nghi/"


def test_href_under_a_sub_path():
    assert SUB.href("/") == "/tinh-uy/"
    assert SUB.href("/tin/hoi-nghi/") == "/tinh-uy/tin/hoi-nghi/"
    assert SUB.href("/assets/css/style.css") == "/tinh-uy/assets/css/style.css"


def test_href_percent_encodes_non_ascii_and_spaces():
    assert (
        ROOT.href("/images/ảnh hội nghị.jpg")
        == "/images/%E1%BA%A3nh%20h%E1%BB%99i%20ngh%E1%BB%8B.jpg"
    )
    assert ROOT.href("/a/b/#x") == "/a/b/#x"


def test_absolute_uses_the_base_url():
    assert SUB.absolute("/tin/a/") == "https://example.org/tinh-uy/tin/a/"
    assert ROOT.absolute("/feed.xml") == "https://example.org/feed.xml"


def test_link_prefixes_site_paths_and_keeps_addresses():
    assert SUB.link("/images/banner.jpg") == "/tinh-uy/images/banner.jpg"
    assert SUB.link("https://cdn.example.net/a.jpg") == "https://cdn.example.net/a.jpg"
    assert SUB.link("//cdn.example.net/a.jpg") == "//cdn.example.net/a.jpg"


def test_find_conflicts_names_both_origins():
    entries = [
        ("a/index.html", "content/a.md"),
        ("b/index.html", "content/b.md"),
        ("a/index.html", "content/c.md"),
    ]
    assert find_conflicts(entries) == [("a/index.html", "content/a.md", "content/c.md")]


def test_find_conflicts_none_when_paths_differ():
    assert find_conflicts([("a", "x"), ("b", "y")]) == []
