"""Output folders whose replacement would destroy something: refused, nothing deleted or written."""

from __future__ import annotations

import pytest

from tests.conftest import BASE_CONFIG, Site
from tests.invalid.conftest import Expected, assert_failed, tree

CACHE = ".sitegen-cache"  # the build cache may change; every other file must stay byte-identical


def refused(
    breaker, output: str | None, expected: list[Expected], config: str | None = None, prepare=None
) -> Site:
    """Good build, then a build with `--output site/output` or with `config`: refused."""
    site = breaker.good()
    if config is not None:
        site.write("config.yaml", config)
    if prepare is not None:
        prepare(site)
    before = tree(site.root.parent, skip=[CACHE])
    report = breaker.run(*(["--output", str(site.root / output)] if output is not None else []))
    assert_failed(report, expected)
    assert tree(site.root.parent, skip=[CACHE]) == before
    return site


def test_output_folder_is_the_site_root(breaker):
    refused(breaker, ".", [Expected(None, None, "is the site folder or holds it")])


def test_output_folder_is_the_parent_of_the_site(breaker):
    refused(breaker, "..", [Expected(None, None, "is the site folder or holds it")])


@pytest.mark.parametrize("output", ["content", "content/tin-hoat-dong", "static/out", "layouts"])
def test_output_folder_overlapping_a_source_folder(breaker, output):
    refused(breaker, output, [Expected(None, None, "overlaps")])


def test_output_dir_dot_in_config_is_refused(breaker):
    refused(
        breaker,
        None,
        [Expected("config.yaml", None, "output_dir '.'")],
        config=BASE_CONFIG + "output_dir: .\n",
    )


@pytest.mark.parametrize("where", ["..", "../elsewhere", "/tmp/sitegen-test-out"])
def test_output_dir_outside_the_site_needs_the_output_option(breaker, where):
    refused(
        breaker,
        None,
        [Expected("config.yaml", None, "lies outside the site folder")],
        config=BASE_CONFIG + f"output_dir: {where}\n",
    )


def test_non_empty_folder_not_made_by_sitegen_is_refused(breaker):
    site = refused(
        breaker,
        "ban-sao",
        [Expected(None, None, "did not write")],
        prepare=lambda site: site.write("ban-sao/ghi-chu.txt", "Tài liệu quan trọng"),
    )
    assert (site.root / "ban-sao" / "ghi-chu.txt").read_text(
        encoding="utf-8"
    ) == "Tài liệu quan trọng"
