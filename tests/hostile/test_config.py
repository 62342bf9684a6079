"""config.yaml written to hurt: refused at its line, nothing of the site touched."""

from __future__ import annotations

import os

import pytest

from tests.conftest import BASE_CONFIG
from tests.hostile.test_yaml import BILLION_LAUGHS
from tests.invalid.conftest import Expected, assert_failed, tree

CONFIG = "config.yaml"


def test_config_that_is_a_list(breaker):
    breaker.fails(
        {CONFIG: "- title: A\n- base_url: https://example.org/\n"},
        [Expected(CONFIG, 1, "expected 'key: value' lines, found a list")],
    )


def test_config_in_utf16(breaker):
    breaker.fails(
        {CONFIG: BASE_CONFIG.encode("utf-16")}, [Expected(CONFIG, None, "not UTF-8 text")]
    )


@pytest.mark.parametrize(
    "zone", ["../../../../etc/passwd", "/etc/localtime", "", "[Asia/Ho_Chi_Minh]"]
)
def test_timezone_that_is_a_path_or_no_name(breaker, zone):
    text = BASE_CONFIG.replace("Asia/Ho_Chi_Minh", f"'{zone}'" if zone == "" else zone)
    breaker.fails({CONFIG: text}, [Expected(CONFIG, 4, "unknown timezone")])


def test_language_that_is_a_path(breaker):
    breaker.fails(
        {CONFIG: BASE_CONFIG.replace("language: vi", "language: ../../etc/passwd")},
        [Expected(CONFIG, 3, "unknown language '../../etc/passwd'")],
    )


@pytest.mark.parametrize(
    "base_url", ["javascript:alert(1)//", "file:///etc/passwd", "//example.org/"]
)
def test_base_url_that_is_no_web_address(breaker, base_url):
    breaker.fails(
        {CONFIG: BASE_CONFIG.replace("https://example.org/", f"'{base_url}'")},
        [Expected(CONFIG, 2, "must be an absolute http(s) address")],
    )


def test_billion_laughs_in_params(breaker):
    bomb = "params:\n" + "".join(f"  {line}\n" for line in BILLION_LAUGHS)
    breaker.fails({CONFIG: BASE_CONFIG + bomb}, [Expected(CONFIG, 8, "a 'billion laughs' bomb?")])


def test_control_character_in_config(breaker):
    report = breaker.fails(
        {CONFIG: BASE_CONFIG + "params: {ghi_chu: 'a\x1bb'}\n"},
        [Expected(CONFIG, 8, "control characters are not allowed")],
    )
    assert report.lines[0].startswith("error: config.yaml:8:21: ")


def test_section_key_too_long_for_a_folder_name(breaker):
    key = "a" * 256
    breaker.fails(
        {CONFIG: BASE_CONFIG.replace("key: xay-dung-dang", f"key: {key}")},
        [Expected(CONFIG, 5, "(at most 200)")],
    )


def refused(breaker, config: str, fragment: str, prepare=None) -> None:
    """The good site, then `config`: refused, and no file of the site's folder changed."""
    site = breaker.good()
    site.write(CONFIG, config)
    if prepare is not None:
        prepare(site)
    before = tree(site.root.parent, skip=[".sitegen-cache"])
    report = breaker.run()
    assert_failed(report, [Expected(None, None, fragment)])
    assert tree(site.root.parent, skip=[".sitegen-cache"]) == before


@pytest.mark.parametrize(
    "folder", [".sitegen-cache", ".git", ".public.sitegen/spare", "out/.hidden"]
)
def test_output_dir_in_a_hidden_folder_of_the_site_is_refused(breaker, folder):
    """The cache, git's history and sitegen's own spare tree live in hidden folders."""
    refused(breaker, BASE_CONFIG + f"output_dir: {folder}\n", "is a hidden folder of the site")


def test_output_dir_that_is_a_symlink_to_content_is_refused(breaker):
    def link(site):
        os.symlink(site.root / "content", site.root / "ra")

    refused(breaker, BASE_CONFIG + "output_dir: ra\n", "overlaps", prepare=link)


def test_output_dir_that_is_the_config_file_is_refused(breaker):
    refused(breaker, BASE_CONFIG + "output_dir: config.yaml\n", "is a file, not a folder")
