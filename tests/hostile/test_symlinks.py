"""Symlinks that leave the site, loop, or point at the output: refused, never followed.

Found while writing these: a symlink to a folder above content/ (or static/) made every build
copy the site (config.yaml included) and the previous output into the output, one level
deeper each time; one to the output folder did the same. Both are errors now.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import article
from tests.hostile.conftest import warnings
from tests.invalid.conftest import Expected, assert_failed
from tests.pictures import variants_of

OUTSIDE = "is a symlink to a file outside the site: it is not used"


def fails_with_link(breaker, link: str, target, expected: list[Expected]):
    """The good site, then a symlink `link` -> `target` (a path, or a callable of the site)."""
    site = breaker.good()
    before = site.files()
    path = site.root / link
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target(site) if callable(target) else target, path)
    report = breaker.run()
    assert_failed(report, expected)
    assert site.files() == before
    return site


def test_markdown_file_linked_to_etc_passwd(breaker):
    link = "content/tin-hoat-dong/mat-khau.md"
    fails_with_link(breaker, link, "/etc/passwd", [Expected(link, None, OUTSIDE)])


def test_static_folder_linked_outside_the_site(breaker):
    link = "static/he-thong"
    fails_with_link(
        breaker, link, "/etc", [Expected(link, None, "is a symlink to a folder outside the site")]
    )


def test_relative_link_climbing_out_of_the_site(breaker):
    link = "content/tin-hoat-dong/anh.jpg"
    fails_with_link(
        breaker, link, "../../../../../../../etc/hostname", [Expected(link, None, OUTSIDE)]
    )


@pytest.mark.parametrize(
    ("link", "target"),
    [
        ("content/tin-hoat-dong/vong", ".."),
        ("content/tin-hoat-dong/vong", "."),
        ("content/goc", ".."),
        ("static/goc", ".."),
    ],
)
def test_folder_linked_to_a_folder_holding_it_is_a_loop(breaker, link, target):
    site = fails_with_link(
        breaker,
        link,
        target,
        [Expected(link, None, "is a symlink to a folder that holds it (a loop)")],
    )
    assert not any(name.endswith("config.yaml") for name in site.files())


def test_static_folder_linked_to_the_output(breaker):
    link = "static/ban-sao"
    fails_with_link(
        breaker,
        link,
        lambda site: site.output,
        [Expected(link, None, "is a symlink to a folder sitegen writes its output to")],
    )


def test_folder_linked_to_a_folder_read_anyway_is_not_read_twice(probe_site, breaker):
    """content/aaa -> tin-hoat-dong: without the rule the link's name (first in order) would win."""
    site, _ = probe_site({})
    os.symlink("tin-hoat-dong", site.root / "content/aaa")
    report = breaker.run()
    assert report.code == 0, report.stderr
    assert warnings(report) == [
        "warning: content/aaa: is a symlink to content/tin-hoat-dong, "
        "which is read under that name: it is not followed"
    ]
    assert variants_of(site.output, "tin-hoat-dong/anh.png")
    assert not (site.output / "aaa").exists()


def test_broken_symlink_is_a_warning(probe_site, breaker):
    site, _ = probe_site({})
    os.symlink("khong-co.md", site.root / "content/tin-hoat-dong/gay.md")
    os.symlink("tu-tro.md", site.root / "content/tin-hoat-dong/tu-tro.md")  # points at itself
    report = breaker.run()
    assert report.code == 0, report.stderr
    assert warnings(report) == [
        "warning: content/tin-hoat-dong/gay.md: is a broken symlink: it is not used",
        "warning: content/tin-hoat-dong/tu-tro.md: is a broken symlink: it is not used",
    ]


def test_symlink_to_a_file_elsewhere_in_the_site_is_followed(probe_site, breaker):
    site, _ = probe_site({"shared/chung.md": article(title="Bài dùng chung")})
    os.symlink("../../shared/chung.md", site.root / "content/tin-hoat-dong/chung.md")
    report = breaker.run()
    assert report.code == 0, report.stderr
    assert site.html("/tin-hoat-dong/bai-dung-chung/").h1.get_text() == "Bài dùng chung"
