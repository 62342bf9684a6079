"""Pages rendered by processes started afresh (pages.APART_FROM pages and more) are the pages
that forked workers and the build's own process render: same files, same link report, same
errors."""

from __future__ import annotations

import pytest

import sitegen.pages
from tests.conftest import article
from tests.e2e.test_subsites import PORTAL_CONFIG, portal_files


@pytest.fixture
def apart_calls(monkeypatch) -> list[int]:
    """Every page is rendered apart with two jobs or more; the calls of run_apart, counted."""
    calls: list[int] = []
    real = sitegen.pages.run_apart

    def counted(function, work):
        calls.append(len(work[1]))
        return real(function, work)

    monkeypatch.setattr(sitegen.pages, "run_apart", counted)
    monkeypatch.setattr(sitegen.pages, "APART_FROM", 1)
    return calls


def news_files() -> dict[str, str | bytes]:
    files = {
        f"content/tin-hoat-dong/bai-{n}.md": article(
            f"Tin số {n}", f"2026-{n % 12 + 1:02d}-{n % 28 + 1:02d} 08:{n % 60:02d}",
            tags=f"[Chủ đề {n % 5}]",
            body=f"Mở đầu bài {n}.\n\n## Kết quả {n}\n\nXem [bài trước](bai-{max(n - 1, 0)}.md).",
        )
        for n in range(60)
    }  # fmt: skip
    files["content/tin-hoat-dong/bai-7.md"] = article(
        "Bài có liên kết hỏng", "2026-03-03 09:00",
        body="Xem [kết quả](/tin-hoat-dong/tin-so-3/#ket-qua-3), "
        "[mục không có](/tin-hoat-dong/tin-so-3/#khong-co) và [trang cũ](/trang-cu/).",
    )  # fmt: skip
    return files


def test_pages_rendered_apart_equal_pages_rendered_in_place(make_site, capsys, apart_calls):
    site = make_site(news_files())
    sitegen.pages.APART_FROM = 10**9
    assert site.build("--no-cache", "--jobs", "1") == 0
    in_place, told = site.files(), capsys.readouterr().err
    assert "broken link '/trang-cu/'" in told and "no id 'khong-co'" in told
    assert "ket-qua-3'" not in told
    assert apart_calls == []

    sitegen.pages.APART_FROM = 1
    assert site.build("--no-cache", "--jobs", "3") == 0
    assert site.files() == in_place and capsys.readouterr().err == told
    assert len(apart_calls) == 2, "two processes apart besides this one"

    assert site.build("--jobs", "2") == 0  # into the cache, which the next build reuses
    assert site.files() == in_place and capsys.readouterr().err == told
    edited = news_files()["content/tin-hoat-dong/bai-3.md"].replace("Mở đầu", "Phần mở đầu")
    site.write("content/tin-hoat-dong/bai-3.md", edited)
    calls = len(apart_calls)
    assert site.build("--jobs", "2") == 0
    patched = site.files()
    assert len(apart_calls) == calls + 1, "unchanged pages are scanned apart too"
    assert capsys.readouterr().err == told

    sitegen.pages.APART_FROM = 10**9
    assert site.build("--no-cache", "--jobs", "1") == 0
    assert site.files() == patched != in_place


def test_a_portal_is_rendered_apart_as_in_place(make_site, monkeypatch, apart_calls):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    files = portal_files()
    files["layouts/ban-tuyen-giao/partials/footer.html"] = (
        '<footer class="site-footer"><p class="own">Tuyên giáo: {{ site.title }}</p></footer>\n'
    )
    site = make_site(files, config=PORTAL_CONFIG)
    sitegen.pages.APART_FROM = 10**9
    assert site.build("--no-cache", "--jobs", "1") == 0
    in_place = site.files()
    sitegen.pages.APART_FROM = 1
    assert site.build("--no-cache", "--jobs", "2") == 0
    assert apart_calls and site.files() == in_place
    assert site.html("/ban-tuyen-giao/").select_one(".own").get_text() == (
        "Tuyên giáo: Ban Tuyên giáo Tỉnh ủy"
    )


def test_a_template_error_apart_names_the_template_and_line(make_site, capsys, apart_calls):
    files = news_files()
    files["layouts/article.html"] = "<!DOCTYPE html>\n<p>{{ page.title }}</p>\n{{ page.nope.x }}\n"
    site = make_site(files)
    assert site.build("--no-cache", "--jobs", "1") == 1
    in_place = capsys.readouterr().err
    assert "article.html:3" in in_place
    assert site.build("--no-cache", "--jobs", "2") == 1
    assert apart_calls and capsys.readouterr().err == in_place
    assert not site.output.exists()
