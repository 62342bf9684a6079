"""Inputs that look odd but are fine: they build with exit status 0."""

from __future__ import annotations

import unicodedata

from tests.conftest import article
from tests.invalid.conftest import GOOD_FILES, A, lines

ARTICLE_WITH_PARAMS = """\
{% extends "base.html" %}
{% block content %}
<h1>{{ page.title }}</h1>
<p class="nguon">{{ page.params.get("nguon", "") }}</p>
<p class="so-trang">{{ page.params.get("so_trang", "") }}</p>
{% endblock %}
"""


def test_utf8_bom_and_crlf_line_endings_are_accepted(breaker):
    data = (
        b"\xef\xbb\xbf"
        + article(title="Hội nghị tổng kết năm 2026", tags="[Đảng]").replace("\n", "\r\n").encode()
    )
    site = breaker.good({**GOOD_FILES, A: data})
    page = site.html("/tin-hoat-dong/hoi-nghi-tong-ket-nam-2026/")
    assert page.h1.get_text(strip=True) == "Hội nghị tổng kết năm 2026"
    assert "\ufeff" not in page.get_text()
    assert "\r" not in (
        site.output / "tin-hoat-dong/hoi-nghi-tong-ket-nam-2026/index.html"
    ).read_text(encoding="utf-8")


def test_nfd_text_is_normalised_to_nfc(breaker):
    data = unicodedata.normalize("NFD", article(title="Hội nghị tổng kết năm 2026"))
    site = breaker.good({**GOOD_FILES, A: data})
    title = site.html("/tin-hoat-dong/hoi-nghi-tong-ket-nam-2026/").h1.get_text(strip=True)
    assert title == "Hội nghị tổng kết năm 2026"
    assert unicodedata.is_normalized("NFC", title)


def test_unknown_front_matter_field_warns_and_reaches_templates_as_params(breaker):
    files = {
        **GOOD_FILES,
        A: article(nguon="Báo Nhân Dân", so_trang=12),
        "layouts/article.html": ARTICLE_WITH_PARAMS,
    }
    site = breaker.good(files)
    page = site.html("/tin-hoat-dong/bai-viet/")
    assert page.select_one("p.nguon").get_text() == "Báo Nhân Dân"
    assert page.select_one("p.so-trang").get_text() == "12"
    rebuild = breaker.run()
    assert rebuild.code == 0
    warnings = [line for line in rebuild.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: {A}:6: unknown field 'nguon': kept as page.params.nguon",
        f"warning: {A}:7: unknown field 'so_trang': kept as page.params.so_trang",
    ]


def test_unknown_field_warning_on_the_first_build(breaker, make_site, capsys):
    site = make_site({A: article(sumary="Tóm tắt")})
    capsys.readouterr()
    assert site.build() == 0
    err = capsys.readouterr().err
    assert f"warning: {A}:6: unknown field 'sumary' (did you mean 'summary'?)" in err
    assert "error" not in err


def test_dots_close_front_matter_and_dashes_in_the_body_are_text(breaker):
    text = lines(
        "---",
        "title: Bài có gạch",
        "date: 2026-01-15",
        "author: A",
        "section: tin-hoat-dong",
        "...",
        "Một.",
        "",
        "---",
        "",
        "Hai.",
    )
    site = breaker.good({**GOOD_FILES, A: text})
    body = site.html("/tin-hoat-dong/bai-co-gach/").get_text()
    assert "Hai." in body
