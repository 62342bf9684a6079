"""Bad or missing config.yaml: the build fails naming config.yaml and the line, the output stays."""

from __future__ import annotations

import pytest

from tests.conftest import BASE_CONFIG
from tests.invalid.conftest import Expected

pytestmark = pytest.mark.usefixtures("yaml_loader")  # every case with each YAML parser

CONFIG = "config.yaml"


def replace_line(old: str, new: str) -> str:
    assert old in BASE_CONFIG
    return BASE_CONFIG.replace(old, new, 1)


def test_missing_config_yaml(breaker):
    breaker.fails({CONFIG: None}, [Expected(CONFIG, None, "no config.yaml in ")])


def test_empty_config_yaml(breaker):
    breaker.fails({CONFIG: ""}, [Expected(CONFIG, 1, "is empty")])


def test_broken_yaml_in_config(breaker):
    breaker.fails(
        {CONFIG: replace_line("language: vi", "language: vi: en")},
        [Expected(CONFIG, 3, "invalid YAML")],
    )


def test_unknown_key_suggests_title(breaker):
    breaker.fails(
        {CONFIG: replace_line("title:", "titel:")},
        [
            Expected(CONFIG, 1, "'title' is required"),
            Expected(CONFIG, 1, "unknown key 'titel': did you mean 'title'?"),
        ],
    )


def test_unknown_key_suggests_the_nearest_key_at_its_line(breaker):
    breaker.fails(
        {CONFIG: BASE_CONFIG + "related_cout: 4\n"},
        [Expected(CONFIG, 8, "unknown key 'related_cout': did you mean 'related_count'?")],
    )


def test_bad_timezone(breaker):
    breaker.fails(
        {CONFIG: replace_line("Asia/Ho_Chi_Minh", "Asia/Ha_Noi")},
        [Expected(CONFIG, 4, "unknown timezone 'Asia/Ha_Noi'")],
    )


def test_base_url_missing(breaker):
    breaker.fails(
        {CONFIG: replace_line("base_url: https://example.org/\n", "")},
        [Expected(CONFIG, 1, "'base_url' is required")],
    )


def test_base_url_not_an_address(breaker):
    breaker.fails(
        {CONFIG: replace_line("https://example.org/", "example.org")},
        [Expected(CONFIG, 2, "absolute http(s) address")],
    )


def test_duplicate_key_in_config(breaker):
    breaker.fails(
        {CONFIG: BASE_CONFIG + "language: en\n"},
        [Expected(CONFIG, 8, "key 'language' is given twice (first on line 3)")],
    )


def test_every_bad_config_value_is_reported_in_one_run(breaker):
    bad = (
        replace_line("language: vi", "language: klingon").replace(
            "Asia/Ho_Chi_Minh", "Mars/Olympus"
        )
        + "per_page: 0\n"
    )
    breaker.fails(
        {CONFIG: bad},
        [
            Expected(CONFIG, 3, "unknown language 'klingon'"),
            Expected(CONFIG, 4, "unknown timezone 'Mars/Olympus'"),
            Expected(CONFIG, 8, "'per_page' must be a whole number of at least 1"),
        ],
    )


def test_python_yaml_tag_in_config(breaker, tmp_path):
    marker = tmp_path / "pwned"
    breaker.fails(
        {CONFIG: BASE_CONFIG + f"params: !!python/object/apply:os.system ['touch {marker}']\n"},
        [Expected(CONFIG, 8, "unsupported YAML tag")],
    )
    assert not marker.exists()
