"""`sitegen check`, and the link check of `sitegen build`: every internal link of the output
resolves, external links are listed and never fetched."""

from __future__ import annotations

import socket

import pytest

from sitegen.cli import main
from tests.conftest import article
from tests.e2e.helpers import config, output_files

FOOTER_WITH_BROKEN_LINK = (
    '<footer><a href="{{ site.url }}">Trang chủ</a> <a href="/khong-co/">Liên hệ</a></footer>\n'
)


TARGET = "/tin-hoat-dong/hoi-nghi-tong-ket/"
LINKER = "xay-dung-dang/sinh-hoat-chi-bo/index.html (content/xay-dung-dang/chi-bo.md)"


def files(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Two articles, the second linking the first's heading by its site path."""
    return {
        "content/tin-hoat-dong/hoi-nghi.md": article(
            title="Hội nghị tổng kết",
            date="2026-03-02 08:00",
            body="Mở đầu.\n\n## Kết quả\n\nNội dung.\n",
        ),
        "content/xay-dung-dang/chi-bo.md": article(
            title="Sinh hoạt chi bộ",
            date="2026-03-03 08:00",
            section="xay-dung-dang",
            body=f"Mở đầu.\n\nXem [kết quả]({TARGET}#ket-qua).\n",
        ),
        **(extra or {}),
    }


BROKEN_FOOTER = {"layouts/partials/footer.html": FOOTER_WITH_BROKEN_LINK}


def check(site, *args: str) -> int:
    return main(["check", "--config", str(site.root / "config.yaml"), *args])


@pytest.fixture
def offline(monkeypatch):
    """Fail the test if anything opens a network connection."""

    def refuse(*args, **kwargs):
        raise AssertionError("sitegen check must not fetch external links")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def broken_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if "broken link" in line]


def test_check_passes_a_site_whose_links_all_resolve(make_site, capsys, offline):
    site = make_site(files())
    assert check(site) == 0
    out = capsys.readouterr()
    assert out.out.startswith("Checked ")
    assert not broken_lines(out.err)
    assert not site.output.exists()


def test_check_finds_a_broken_link_in_a_layout(make_site, capsys, offline):
    site = make_site(files(BROKEN_FOOTER))
    assert check(site) == 1
    lines = broken_lines(capsys.readouterr().err)
    # on every page: one line, naming the first page and counting the others
    assert len(lines) == 1
    assert lines[0].startswith("error: 404.html: broken link '/khong-co/' (and on ")
    assert lines[0].endswith("other pages): no page or file /khong-co/ in the output")
    assert not site.output.exists()


def test_check_names_page_source_and_link_of_a_broken_anchor(make_site, capsys, offline):
    body = f"Mở đầu.\n\n[sai]({TARGET}#khong-co) và [tại chỗ](#cung-khong-co)\n"
    anchors = article(title="Neo sai", section="xay-dung-dang", date="2026-03-01", body=body)
    site = make_site(files({"content/xay-dung-dang/neo.md": anchors}))
    assert check(site) == 1
    page = "error: xay-dung-dang/neo-sai/index.html (content/xay-dung-dang/neo.md)"
    assert broken_lines(capsys.readouterr().err) == [
        f"{page}: broken link '#cung-khong-co': no id 'cung-khong-co' in this page",
        f"{page}: broken link '{TARGET}#khong-co': no id 'khong-co' in {TARGET[1:]}index.html",
    ]


def test_check_lists_external_links_without_fetching_them(make_site, capsys, offline):
    urls = ("http://example.com/b", "https://example.net/a", "mailto:ban@example.org")
    body = "Mở đầu.\n\n" + " ".join(f"[{n}]({url})" for n, url in enumerate(urls)) + "\n"
    outside = article(title="Liên kết ngoài", body=body)
    site = make_site(files({"content/tin-hoat-dong/ngoai.md": outside}))
    assert check(site) == 0
    assert "3 external links, not checked (--verbose lists them)" in capsys.readouterr().out
    assert check(site, "--verbose") == 0
    out = capsys.readouterr().out
    for url in urls:
        assert f"  {url} (on 1 page)" in out


def test_check_of_a_sub_path_site_flags_links_without_the_base_path(make_site, capsys, offline):
    sub_path = config().replace("https://example.org/", "https://example.org/tinh-uy/")
    footer = '<footer><a href="{{ site.url }}">Trang chủ</a> <a href="/tin-hoat-dong/">Tin</a>'
    footer += "</footer>\n"
    site = make_site(files(), config=sub_path)
    (site.root / "content/xay-dung-dang/chi-bo.md").unlink()  # its link lacks the base path too
    assert check(site) == 0
    site.write("layouts/partials/footer.html", footer)
    assert check(site) == 1
    [line] = broken_lines(capsys.readouterr().err)
    assert (
        "broken link '/tin-hoat-dong/'" in line
        and "outside the site, which is served from /tinh-uy/" in line
    )


# --- sitegen build ------------------------------------------------------------------------


def test_build_warns_about_broken_links_and_writes(make_site, capsys):
    site = make_site(files(BROKEN_FOOTER))
    assert site.build() == 0
    [line] = broken_lines(capsys.readouterr().err)
    assert line.startswith("warning: 404.html: broken link '/khong-co/' (and on ")
    assert (site.output / "index.html").is_file()


def test_strict_build_fails_on_broken_links_and_leaves_the_output_as_it_was(make_site, capsys):
    site = make_site(files())
    assert site.build("--strict") == 0
    before = output_files(site.output)
    site.write("layouts/partials/footer.html", FOOTER_WITH_BROKEN_LINK)
    assert site.build("--strict") == 1
    err = capsys.readouterr().err
    assert broken_lines(err)[0].startswith("error: 404.html: broken link '/khong-co/'")
    assert err.rstrip().endswith("nothing was written")
    assert output_files(site.output) == before


def test_strict_build_of_an_unchanged_site_still_checks_its_links(make_site, capsys):
    site = make_site(files(BROKEN_FOOTER))
    assert site.build() == 0
    before = output_files(site.output)
    assert site.build("--strict") == 1
    assert broken_lines(capsys.readouterr().err)
    assert output_files(site.output) == before


def test_rebuild_checks_pages_it_did_not_render_again(make_site, capsys):
    """The linking page is unchanged, so kept: its links are checked against the new output."""
    site = make_site(files())
    assert site.build() == 0
    target = site.root / "content/tin-hoat-dong/hoi-nghi.md"
    target.write_text(
        target.read_text(encoding="utf-8").replace("## Kết quả", "## Tóm tắt"), encoding="utf-8"
    )
    capsys.readouterr()
    assert site.build() == 0
    assert broken_lines(capsys.readouterr().err) == [
        f"warning: {LINKER}: broken link '{TARGET}#ket-qua': "
        f"no id 'ket-qua' in {TARGET[1:]}index.html"
    ]
    target.unlink()
    assert site.build() == 0
    assert broken_lines(capsys.readouterr().err) == [
        f"warning: {LINKER}: broken link '{TARGET}#ket-qua': no page or file {TARGET} in the output"
    ]
