"""A portal of sub-sites with bad input: the build fails naming the file and line, the output
stays as it was."""

from __future__ import annotations

from tests.conftest import article
from tests.invalid.conftest import Expected

CONFIG = """\
title: Cổng thông tin Tỉnh ủy
base_url: https://example.org/
subsites:
  - key: ban-to-chuc
    title: Ban Tổ chức
    sections:
      - {key: tin-hoat-dong, title: Tin hoạt động}
  - key: ban-tuyen-giao
    title: Ban Tuyên giáo
    sections:
      - {key: tin-hoat-dong, title: Tin hoạt động}
      - {key: hoc-tap, title: Học tập}
"""
A = "content/ban-to-chuc/tin-hoat-dong/a.md"
B = "content/ban-tuyen-giao/hoc-tap/b.md"
GOOD = {
    A: article(title="Hội nghị", section=None),
    B: article(title="Học tập nghị quyết", section="hoc-tap"),
}


def test_a_section_of_another_subsite_names_the_file_and_line(breaker):
    breaker.fails(
        {A: article(title="Hội nghị", section="hoc-tap")},
        [
            Expected(
                A, 5, "unknown section 'hoc-tap': use one of the keys of the sub-site "
                "'ban-to-chuc' in config.yaml: tin-hoat-dong",
            )
        ],
        files=GOOD,
        config=CONFIG,
    )  # fmt: skip


def test_a_folder_that_is_a_section_of_another_subsite(breaker):
    path = "content/ban-to-chuc/hoc-tap/c.md"
    breaker.fails(
        {path: article(title="Bài khác", section=None)},
        [Expected(path, 1, "the folder 'hoc-tap' is no section")],
        files=GOOD,
        config=CONFIG,
    )


def test_an_article_outside_every_subsite_folder(breaker):
    path = "content/tin-hoat-dong/c.md"
    breaker.fails(
        {path: article(title="Bài lạc")},
        [Expected(path, None, "is in no sub-site's folder: move it to content/<key>/")],
        files=GOOD,
        config=CONFIG,
    )


def test_a_static_file_at_a_subsite_page_is_a_clash(breaker):
    breaker.fails(
        {"static/ban-tuyen-giao/feed.xml": "<feed/>"},
        [Expected("static/ban-tuyen-giao/feed.xml", None, "would be written to "
                  "ban-tuyen-giao/feed.xml, like the feed /ban-tuyen-giao/feed.xml")],
        files=GOOD,
        config=CONFIG,
    )  # fmt: skip


def test_unknown_key_under_subsites(breaker):
    breaker.fails(
        {"config.yaml": CONFIG.replace("    title: Ban Tuyên giáo", "    titel: Ban Tuyên giáo")},
        [
            Expected("config.yaml", 8, "subsites[2]: 'title' is required"),
            Expected(
                "config.yaml", 9, "subsites[2].titel: unknown key 'titel': did you mean 'title'?"
            ),
        ],
        files=GOOD,
        config=CONFIG,
    )


def test_a_link_to_a_missing_article_of_another_subsite(breaker):
    breaker.fails(
        {A: article(title="Hội nghị", section=None,
                    body="Xem [bài](../../ban-tuyen-giao/hoc-tap/khong-co.md).")},
        [Expected(A, 7, "link to 'ban-tuyen-giao/hoc-tap/khong-co.md': no such article")],
        files=GOOD,
        config=CONFIG,
    )  # fmt: skip


def test_a_template_error_shared_by_every_subsite_is_reported_once(breaker):
    """Each sub-site (and the portal's own pages) compiles the same layouts/ file."""
    breaker.fails(
        {"layouts/partials/footer.html": "<footer>{% if site.params %}</footer>\n"},
        [Expected("layouts/partials/footer.html", 1, "template syntax error: Unexpected end")],
        files=GOOD,
        config=CONFIG,
    )
