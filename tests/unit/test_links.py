"""links.py: scanning HTML, placeholders of writers' links, resolving the links of the output."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from sitegen.errors import ErrorLog
from sitegen.links import (
    BrokenLinkError,
    LinkChecker,
    LinkReport,
    PageScan,
    packed_ids,
    resolve_placeholders,
    scan_html,
)
from sitegen.mdext import SOURCE_LINK_SCHEME, Reference
from sitegen.parse import Document
from sitegen.render import RenderSettings, render_document
from sitegen.urls import Urls

TRICKY_HTML = """<!DOCTYPE html>
<html><head>
<link rel=stylesheet href=/a.css>
<script src="/app.js">var s = '<a href="/not-a-link/">';</script>
<style>a[href="/nor-this/"] { color: red }</style>
</head><body>
<!-- <a href="/commented-out/"> -->
<p id="muc-mot" title='x href="/inside-a-value/" y'>text href="/in-text/"
&lt;a href="/escaped/"&gt;</p>
<a class="x" HREF="/tin/a/?p=1&amp;q=2#m%E1%BB%A5c">a</a>
<img alt="a > b" src='/anh.jpg' srcset="/anh-2x.jpg 2x, /anh-3x.jpg 3x">
<input disabled id=tim-kiem>
<code>id="not-an-id"</code>
<a href = "/spaced/" >spaced</a>
<br/><a/href="/slash/">
</body></html>
"""


class _Reference(HTMLParser):
    """What html.parser sees: every href/src/id attribute of every start tag."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value.strip())
            elif name == "srcset" and value:
                self.links += [part.split()[0] for part in value.split(",")]
            elif name == "id" and value is not None:
                self.ids.add(value)


def test_scan_finds_the_same_links_and_ids_as_html_parser():
    parser = _Reference()
    parser.feed(TRICKY_HTML)
    scanned = scan_html(TRICKY_HTML)
    assert list(scanned.links) == list(dict.fromkeys(parser.links))
    assert scanned.ids == parser.ids


def test_scan_skips_comments_scripts_text_and_other_attribute_values():
    scanned = scan_html(TRICKY_HTML)
    assert scanned.links == (
        "/a.css", "/app.js", "/tin/a/?p=1&q=2#m%E1%BB%A5c",
        "/anh.jpg", "/anh-2x.jpg", "/anh-3x.jpg",
        "/spaced/", "/slash/",
    )  # fmt: skip
    assert scanned.ids == {"muc-mot", "tim-kiem"}


@pytest.mark.parametrize(
    "markup",
    [
        '<a href=><b class="x">',  # an empty value at the end of a tag
        "<a title href><b =/y id=z>",  # a name at the end, a "=" at the start of the next
    ],
)
def test_each_tags_attributes_end_with_the_tag(markup):
    parser = _Reference()
    parser.feed(markup)
    scanned = scan_html(markup)
    assert list(scanned.links) == list(dict.fromkeys(parser.links))
    assert scanned.ids == parser.ids


def test_scan_keeps_each_link_once_in_document_order():
    assert scan_html('<a href="/b/">1</a><a href="/a/">2</a><a href="/b/">3</a>').links == (
        "/b/",
        "/a/",
    )


# --- placeholders -------------------------------------------------------------------------


def test_placeholders_become_urls_keeping_query_and_fragment_as_escaped():
    fragment = (
        f'<p><a href="{SOURCE_LINK_SCHEME}tin/a.md?x=1&amp;y=2#muc">a</a> '
        f'<img alt="" src="{SOURCE_LINK_SCHEME}tin/b%C3%A0i.md"></p>'
    )
    out = resolve_placeholders(
        fragment, {"tin/a.md": "/tinh-uy/tin/a/", "tin/bài.md": "/tinh-uy/tin/b&c/"}
    )
    assert out == (
        '<p><a href="/tinh-uy/tin/a/?x=1&amp;y=2#muc">a</a> '
        '<img alt="" src="/tinh-uy/tin/b&amp;c/"></p>'
    )


def test_placeholder_text_outside_a_tag_and_unknown_targets_are_left_alone():
    text = (
        f'<p><code>href="{SOURCE_LINK_SCHEME}tin/a.md"</code> '
        f'<a href="{SOURCE_LINK_SCHEME}khac.md">b</a></p>'
    )
    assert resolve_placeholders(text, {"tin/a.md": "/tin/a/"}) == text


def test_fragment_without_placeholders_is_returned_as_is():
    text = "<p>Không có liên kết.</p>"
    assert resolve_placeholders(text, {"a.md": "/a/"}) is text


# --- references, recorded when rendering --------------------------------------------------


def render(
    body: str, path: str = "tin-hoat-dong/a.md", summary: str | None = None, base: str = "/"
):
    date = dt.datetime(2026, 1, 15, tzinfo=ZoneInfo("UTC"))
    document = Document(path, "Tiêu đề", date, ("A",), body, 6, summary=summary,
                        field_lines={"summary": 3})  # fmt: skip
    return render_document(document, RenderSettings(base, "vi"))


def test_links_to_sources_are_recorded_with_their_lines_and_written_as_placeholders():
    body = (
        "Mở đầu.\n\n"  # file lines 6-7
        "Xem [bài trước](../xay-dung-dang/b.md#muc-hai) và "  # 8
        "[bài khác](/tin-hoat-dong/c.md).\n\n"
        "![Ảnh](anh.jpg)\n\n"  # 10
        "Lại [bài trước](../xay-dung-dang/b.md#muc-hai), [tài liệu](tai-lieu/bao-cao.pdf), "  # 12
        "[trang](/xay-dung-dang/) và [chuyên mục](../xay-dung-dang/).\n"
    )
    out = render(body)
    assert [(r.target, r.fragment, r.line, r.is_article) for r in out.references] == [
        ("xay-dung-dang/b.md", "muc-hai", 8, True),
        ("tin-hoat-dong/c.md", "", 8, True),
        ("tin-hoat-dong/anh.jpg", "", 10, False),
        ("xay-dung-dang/b.md", "muc-hai", 12, True),
        ("tin-hoat-dong/tai-lieu/bao-cao.pdf", "", 12, False),
    ]
    assert f'href="{SOURCE_LINK_SCHEME}xay-dung-dang/b.md#muc-hai"' in out.content_html
    assert 'src="/tin-hoat-dong/anh.jpg"' in out.content_html  # other files keep their real URL


def test_reference_style_links_point_at_their_definition_line():
    out = render("Mở đầu.\n\nXem [bài trước][1].\n\n[1]: ../xay-dung-dang/b.md\n")
    assert [(r.target, r.line) for r in out.references] == [("xay-dung-dang/b.md", 10)]


def test_percent_encoded_and_markdown_suffixes_name_the_source_file():
    out = render("Mở đầu.\n\n[a](b%C3%A0i%20m%E1%BB%9Bi.md) [b](<cũ/bài cũ.markdown>)\n")
    assert [r.target for r in out.references] == [
        "tin-hoat-dong/bài mới.md",
        "tin-hoat-dong/cũ/bài cũ.markdown",
    ]


def test_links_in_the_summary_field_are_placed_on_its_line():
    out = render("Thân bài.\n", summary="Tóm tắt có [liên kết](b.md).")
    assert [(r.target, r.line) for r in out.references] == [("tin-hoat-dong/b.md", 3)]
    assert SOURCE_LINK_SCHEME in out.lead_html


def test_anchors_are_every_id_of_the_body():
    out = render(
        "Mở đầu.[^1]\n\n## Mục một\n\n### Mục hai {#rieng}\n\n"
        '<div id="khoi">x</div>\n\n[^1]: Ghi chú.\n'
    )
    assert out.anchors == ("fn:1", "fnref:1", "khoi", "muc-mot", "rieng")


def test_links_leaving_content_and_external_links_are_no_references():
    out = render(
        "Mở đầu.\n\n[a](../../ngoai.md) [b](https://example.net/a.md) [c](#muc) [d](//cdn/a.md)\n"
    )
    assert out.references == ()


# --- the output's links -------------------------------------------------------------------

OUTPUTS = {"index.html", "tin/a/index.html", "tin/b/index.html", "anh.jpg", "feed.xml", "404.html"}


@pytest.mark.parametrize(
    ("page", "href", "expected"),
    [
        ("/tin/a/", "/tin/b/", ("internal", "tin/b/index.html", "")),
        ("/tin/a/", "/tin/b/#muc", ("internal", "tin/b/index.html", "muc")),
        ("/tin/a/", "../b/", ("internal", "tin/b/index.html", "")),
        ("/tin/a/", "../../anh.jpg", ("internal", "anh.jpg", "")),
        ("/tin/a/", "/tin/b", ("internal", "tin/b/index.html", "")),  # hosts redirect to /tin/b/
        ("/tin/a/", "#muc", ("internal", "", "muc")),
        ("/tin/a/", "https://example.org/tin/b/", ("internal", "tin/b/index.html", "")),
        ("/tin/a/", "https://example.net/tin/b/", ("external", "", "")),
        ("/tin/a/", "mailto:ban@example.org", ("external", "", "")),
        ("/tin/a/", "tel:+84123", ("other", "", "")),
        ("/404.html", "tin/a/", ("internal", "tin/a/index.html", "")),
        ("/tin/a/", "/khong-co/", ("broken", "", "no page or file /khong-co/ in the output")),
        (
            "/tin/a/",
            f"{SOURCE_LINK_SCHEME}tin/c.md",
            ("broken", "", "a link to a content file that is not published"),
        ),
    ],
)
def test_links_resolve_to_output_files(page, href, expected):
    checker = LinkChecker(Urls("https://example.org/", "/"), OUTPUTS)
    assert checker.resolve(page, href) == expected


def test_links_of_a_sub_path_site_need_its_base_path():
    checker = LinkChecker(Urls("https://example.org/tinh-uy/", "/tinh-uy/"), OUTPUTS)
    assert checker.resolve("/tin/a/", "/tinh-uy/tin/b/") == ("internal", "tin/b/index.html", "")
    assert checker.resolve("/tin/a/", "../b/") == ("internal", "tin/b/index.html", "")
    assert checker.resolve("/tin/a/", "/tin/b/")[0] == "broken"
    assert checker.resolve("/tin/a/", "https://example.org/khac/") == ("external", "", "")


def test_page_scan_checks_its_own_fragments_and_defers_the_others():
    checker = LinkChecker(Urls("https://example.org/", "/"), OUTPUTS)
    html = '<h2 id="co">x</h2><a href="#co">1</a><a href="#khong">2</a><a href="/tin/b/#muc">3</a>'
    scan = checker.scan_page("tin/a/index.html", "/tin/a/", html.encode())
    assert scan.broken == (("#khong", "no id 'khong' in this page"),)
    assert scan.anchored == (("/tin/b/#muc", "tin/b/index.html", "muc"),)


def test_report_checks_fragments_against_the_target_pages_ids():
    a, b = "tin/a/index.html", "tin/b/index.html"
    scans = {
        a: PageScan(
            a,
            packed_ids(()),
            anchored=(
                ("/tin/b/#muc", b, "muc"),
                ("/tin/b/#sai", b, "sai"),
                ("/tin/b/#mu", b, "mu"),
            ),
        ),
        b: PageScan(b, packed_ids({"muc", "muc-2"}), external=("https://x.vn/",)),
    }
    report = LinkReport.collect(scans, {a: "content/tin/a.md"})
    assert [str(e) for e in report.broken] == [
        f"{a} (content/tin/a.md): broken link '/tin/b/#sai': no id 'sai' in {b}",
        f"{a} (content/tin/a.md): broken link '/tin/b/#mu': no id 'mu' in {b}",
    ]
    assert report.external == {"https://x.vn/": 1}


def test_a_link_broken_on_many_pages_is_one_line():
    broken = [BrokenLinkError(f"p{n}/index.html", "/x/", "gone") for n in range(7)]
    report = LinkReport(broken=[*broken, BrokenLinkError("q/index.html", "/y/", "gone")])
    log = ErrorLog()
    report.log_broken(log, as_errors=False)
    assert [str(w) for w in log.warnings] == [
        "p0/index.html: broken link '/x/' (and on 6 other pages): gone",
        "q/index.html: broken link '/y/': gone",
    ]
    assert not log.errors


def test_reference_knows_articles_from_other_files():
    assert Reference("a/B.MD").is_article
    assert not Reference("a/b.pdf").is_article
