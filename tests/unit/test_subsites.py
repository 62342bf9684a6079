"""config.yaml `subsites:`: each sub-site's settings are the portal's with its overrides, and
every bad item is reported at once, at its line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sitegen.config import Banner, SectionConfig, load_config
from sitegen.errors import BuildFailed

PORTAL = """\
title: Cổng thông tin Tỉnh ủy
base_url: https://example.org/tinh-uy/
language: vi
per_page: 12
params: {phone: "0200", address: Sơn Hà}
subsites:
  - key: ban-to-chuc
    title: Ban Tổ chức
    banner: {title: Ban Tổ chức Tỉnh ủy, image: /images/btc.png}
    sections:
      - {key: tin-hoat-dong, title: Tin hoạt động}
  - key: ban-tuyen-giao
    title: Ban Tuyên giáo
    language: en
    per_page: 5
    base_url: https://btg.example.org/
    params: {phone: "0300"}
    sections:
      - {key: tin-hoat-dong, title: Tin hoạt động}
      - Học tập
"""


def load(tmp_path: Path, text: str):
    path = tmp_path / "config.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_config(path)


def errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(BuildFailed) as caught:
        load(tmp_path, text)
    return [str(error) for error in caught.value.errors]


def test_a_subsite_overrides_the_portal_settings_it_names(tmp_path):
    config = load(tmp_path, PORTAL)
    first, second = config.subsites
    assert (first.key, first.title, first.language, first.per_page) == (
        "ban-to-chuc", "Ban Tổ chức", "vi", 12,
    )  # fmt: skip
    assert first.banner == Banner("Ban Tổ chức Tỉnh ủy", "/images/btc.png")
    assert first.sections == (SectionConfig("tin-hoat-dong", "Tin hoạt động"),)
    assert first.own_url == ""
    assert (second.language, second.per_page, second.own_url) == (
        "en", 5, "https://btg.example.org/",
    )  # fmt: skip
    assert second.banner == Banner("Ban Tuyên giáo")
    assert [s.key for s in second.sections] == ["tin-hoat-dong", "hoc-tap"]
    assert second.params == {"phone": "0300", "address": "Sơn Hà"}
    # Paths stay the portal's: a sub-site lives under /<key>/ of the portal's base path.
    assert second.base_url == "https://example.org/tinh-uy/"
    assert config.subsite("ban-tuyen-giao") == second


def test_a_site_without_subsites_has_none(tmp_path):
    config = load(tmp_path, "title: A\nbase_url: https://example.org/\n")
    assert config.subsites == () and config.key == ""


def test_base_url_option_moves_every_subsite_to_the_preview(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(PORTAL, encoding="utf-8")
    config = load_config(path, "https://preview.example.net/")
    assert {(s.base_url, s.own_url) for s in config.subsites} == {
        ("https://preview.example.net/", "")
    }


def test_unknown_key_under_subsites_suggests_the_nearest_at_its_line(tmp_path):
    text = PORTAL.replace("    language: en\n", "    langauge: en\n")
    assert errors(tmp_path, text) == [
        "config.yaml:14: subsites[2].langauge: unknown key 'langauge': did you mean 'language'?"
    ]


def test_every_bad_item_is_reported_at_once(tmp_path):
    text = (
        PORTAL.replace("  - key: ban-tuyen-giao", "  - key: ban-to-chuc").replace(
            "    per_page: 5", "    per_page: 0"
        )
        + "  - key: tags\n    title: Từ khóa\n  - title: Không có khóa\n"
    )
    assert errors(tmp_path, text) == [
        "config.yaml:12: subsites[2].key: the sub-site key 'ban-to-chuc' is already used by "
        "another sub-site (line 7): give each sub-site its own key",
        "config.yaml:15: subsites[2].per_page: 'per_page' must be a whole number of at least 1, "
        "not 0",
        "config.yaml:21: subsites[3].key: sub-site key 'tags' is a URL sitegen uses itself: "
        "choose another",
        "config.yaml:23: subsites[4]: a sub-site needs a 'key': its folder under content/ "
        "and its URL",
    ]


def test_bad_section_of_a_subsite_names_the_item(tmp_path):
    text = PORTAL.replace("      - Học tập\n", "      - {key: Học Tập, title: Học tập}\n")
    (message,) = errors(tmp_path, text)
    assert message.startswith("config.yaml:18: subsites[2].sections: section key 'Học Tập'")


def test_subsite_key_may_not_be_a_section_of_the_portal(tmp_path):
    text = PORTAL.replace(
        "subsites:\n", "sections:\n  - {key: ban-to-chuc, title: Ban}\nsubsites:\n"
    )
    (message,) = errors(tmp_path, text)
    assert message.startswith("config.yaml:9: subsites[1].key: sub-site key 'ban-to-chuc' is also")


def test_subsites_must_be_a_list(tmp_path):
    assert errors(
        tmp_path, "title: A\nbase_url: https://example.org/\nsubsites: ban-to-chuc\n"
    ) == ["config.yaml:3: 'subsites' must be a list of {key, title, banner, sections, ...}"]


def test_output_dir_belongs_to_the_whole_build(tmp_path):
    text = PORTAL.replace("    per_page: 5\n", "    output_dir: dist\n")
    (message,) = errors(tmp_path, text)
    assert message.startswith("config.yaml:15: subsites[2].output_dir: unknown key 'output_dir'")
