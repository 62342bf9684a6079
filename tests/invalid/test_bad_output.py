"""Output folders whose replacement would destroy something: refused, nothing deleted or written."""

from __future__ import annotations

import pytest

from tests.conftest import BASE_CONFIG
from tests.invalid.conftest import Expected, Report, assert_failed, tree

CACHE = ".sitegen-cache"  # the build cache may change; every other file must stay byte-identical


def refused(
    breaker, output: str | None, expected: list[Expected], config: str | None = None, prepare=None
) -> Report:
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
    return report


OUTPUT_DIR_LINE = len(BASE_CONFIG.splitlines()) + 1  # output_dir is added after the rest


def test_output_folder_is_the_site_root(breaker):
    refused(breaker, ".", [Expected(None, None, "--output: '.' is the site folder or holds it")])


def test_output_folder_is_the_parent_of_the_site(breaker):
    report = refused(breaker, "..", [Expected(None, None, "is the site folder or holds it")])
    assert report.lines[0].startswith("error: --output: '/")  # outside the site: named whole


@pytest.mark.parametrize(
    ("output", "folder"),
    [("content", "content"), ("content/tin-hoat-dong", "content"), ("static/out", "static"),
     ("layouts", "layouts")],
)  # fmt: skip
def test_output_folder_overlapping_a_source_folder(breaker, output, folder):
    refused(
        breaker,
        output,
        [Expected(None, None, f"--output: '{output}' overlaps the site's {folder}/")],
    )


@pytest.mark.parametrize(
    ("output_dir", "problem"),
    [
        (".", "output_dir: '.' is the site folder or holds it"),
        ("..", "output_dir: '..' is the site folder or holds it"),
        ("content", "output_dir: 'content' overlaps the site's content/ folder"),
        (
            "content/tin-hoat-dong",
            "output_dir: 'content/tin-hoat-dong' overlaps the site's content/",
        ),
        ("layouts", "output_dir: 'layouts' overlaps the site's layouts/ folder"),
        ("static/public", "output_dir: 'static/public' overlaps the site's static/ folder"),
        (".public", "output_dir: '.public' is a hidden folder"),
    ],
)
def test_output_dir_in_the_way_of_the_site_names_config_yaml_and_its_line(
    breaker, output_dir, problem
):
    refused(
        breaker,
        None,
        [Expected("config.yaml", OUTPUT_DIR_LINE, problem)],
        config=BASE_CONFIG + f"output_dir: {output_dir}\n",
    )


@pytest.mark.parametrize("where", ["../elsewhere", "/tmp/sitegen-test-out"])
def test_output_dir_outside_the_site_needs_the_output_option(breaker, where):
    refused(
        breaker,
        None,
        [Expected("config.yaml", OUTPUT_DIR_LINE, f"output_dir: '{where}' lies outside the site")],
        config=BASE_CONFIG + f"output_dir: {where}\n",
    )


def test_output_dir_holding_files_of_the_writer_names_config_yaml(breaker):
    refused(
        breaker,
        None,
        [Expected("config.yaml", None, "output_dir: 'ban-sao' holds files that sitegen did not")],
        config=BASE_CONFIG + "output_dir: ban-sao\n",
        prepare=lambda site: site.write("ban-sao/ghi-chu.txt", "Tài liệu quan trọng"),
    )
    assert (
        breaker.site.root / "ban-sao" / "ghi-chu.txt"
    ).read_bytes() == "Tài liệu quan trọng".encode()


def test_non_empty_folder_not_made_by_sitegen_is_refused(breaker):
    refused(
        breaker,
        "ban-sao",
        [Expected(None, None, "--output: 'ban-sao' holds files that sitegen did not write")],
        prepare=lambda site: site.write("ban-sao/ghi-chu.txt", "Tài liệu quan trọng"),
    )
    assert (breaker.site.root / "ban-sao" / "ghi-chu.txt").read_text(
        encoding="utf-8"
    ) == "Tài liệu quan trọng"
