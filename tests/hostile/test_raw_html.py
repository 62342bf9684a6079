"""Raw HTML in Markdown: what news content needs comes through, the rest is dropped with a
warning naming the file, the line and what went; config.yaml's `html:` block widens the
allowlist, lists iframe hosts and sets the Content-Security-Policy, and refuses what could
run script."""

from __future__ import annotations

import pytest

from tests.conftest import BASE_CONFIG, article
from tests.hostile.conftest import event_handlers, script_urls
from tests.hostile.conftest import warnings as all_warnings
from tests.invalid.conftest import A, Expected

PAGE = "/tin-hoat-dong/bang/"
HOSTS = "html:\n  iframe_hosts: [www.youtube-nocookie.com, '*.google.com']\n"

NEWS_HTML = """\
Mở đầu.

<table class="bao-cao">
<caption>Kết quả</caption>
<thead><tr><th rowspan="2" scope="col">Đơn vị</th><th colspan="2">Số lượng</th></tr>
<tr><th>2025</th><th>2026</th></tr></thead>
<tbody><tr><td>Xã</td><td style="text-align: right">12</td><td>14</td></tr></tbody>
</table>

<details open><summary>Chi tiết</summary>
<p>H<sub>2</sub>O, x<sup>2</sup>, <abbr title="Ban Tổ chức">BTC</abbr>, <kbd>Ctrl</kbd>,
<mark>đánh dấu</mark>, <span class="ghi-chu">ghi chú</span>.</p>
</details>

<figure><img src="/images/a.jpg" alt="Ảnh" width="640" height="480">
<figcaption>Chú thích</figcaption></figure>

<div class="ban-do"><iframe src="https://www.google.com/maps/embed?pb=1" title="Bản đồ"
width="600" height="450" allowfullscreen></iframe></div>
"""


def warnings(report) -> list[str]:
    """The warnings about raw HTML (not, say, about the made-up image addresses)."""
    return [line for line in all_warnings(report) if ": raw HTML: " in line]


def line_of(source: str, text: str) -> int:
    """The file line that holds `text`."""
    return source[: source.index(text)].count("\n") + 1


def page_of(site) -> object:
    return site.html(PAGE).select_one(".article-body")


def test_news_html_comes_through_intact(probe_site):
    site, report = probe_site({A: article(title="Bảng", slug="bang", body=NEWS_HTML)},
                              config=BASE_CONFIG + HOSTS)  # fmt: skip
    assert warnings(report) == []
    body = page_of(site)
    table = body.select_one("table.bao-cao")
    assert table.caption.get_text() == "Kết quả"
    assert table.select_one("th[rowspan='2'][scope=col]").get_text() == "Đơn vị"
    assert table.select_one("th[colspan='2']").get_text() == "Số lượng"
    assert "text-align" in table.select("td")[1]["style"]
    details = body.select_one("details[open]")
    assert details.summary.get_text() == "Chi tiết"
    assert [t.name for t in details.p.find_all(True)] == [
        "sub",
        "sup",
        "abbr",
        "kbd",
        "mark",
        "span",
    ]
    assert details.select_one("abbr")["title"] == "Ban Tổ chức"
    figure = body.select_one("figure")
    assert figure.img["src"] == "/images/a.jpg" and figure.img["width"] == "640"
    assert figure.figcaption.get_text() == "Chú thích"
    frame = body.select_one("div.ban-do > iframe")
    assert frame["src"] == "https://www.google.com/maps/embed?pb=1" and frame["title"] == "Bản đồ"
    assert frame["loading"] == "lazy" and "allow-scripts" in frame["sandbox"]
    assert frame.has_attr("allowfullscreen")


def test_the_policy_lists_the_iframe_hosts_and_comes_first(probe_site):
    site, _ = probe_site({A: article(title="Bảng", slug="bang", body=NEWS_HTML)},
                         config=BASE_CONFIG + HOSTS)  # fmt: skip
    head = site.html(PAGE).head
    first = head.find_all(True)[:2]
    assert first[0].name == "meta" and first[0].get("charset") == "utf-8"
    assert first[1]["http-equiv"] == "Content-Security-Policy"
    directives = dict(d.strip().split(" ", 1) for d in first[1]["content"].split(";"))
    assert directives["frame-src"].split() == ["https://www.youtube-nocookie.com",
                                              "https://*.google.com"]  # fmt: skip
    assert directives["script-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"


def test_without_iframe_hosts_no_frame_is_kept_or_allowed(probe_site):
    source = article(title="Bảng", slug="bang", body=NEWS_HTML)
    site, report = probe_site({A: source})
    assert page_of(site).find("iframe") is None
    policy = site.html(PAGE).find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert "frame-src 'none'" in policy["content"]
    line = line_of(source, '<div class="ban-do">')
    assert warnings(report) == [
        f"warning: {A}:{line}: raw HTML: dropped <iframe> from www.google.com: add "
        "'www.google.com' to html.iframe_hosts in config.yaml if it is trusted (allowed HTML, "
        "and how a site allows more: docs/templates.md, 'Raw HTML')"
    ]


def test_the_csp_can_be_replaced_or_left_out(probe_site):
    policy = "default-src 'self'; img-src *"
    config = BASE_CONFIG + f'html:\n  csp: "{policy}"\n'
    site, _ = probe_site({}, config=config)
    meta = site.html("/").find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta["content"] == policy
    site, _ = probe_site({}, config=BASE_CONFIG + "html:\n  csp: ''\n")
    assert site.html("/").find("meta", attrs={"http-equiv": "Content-Security-Policy"}) is None


DROPPED = """\
Mở đầu.

Đoạn bình thường.

<p onclick="alert(1)">Nhấn</p>

<script>alert(2)</script>

<iframe src="https://evil.example/x"></iframe> và <font color="red">chữ</font>

<a href="javascript:alert(3)">liên kết</a>
"""


def test_what_is_dropped_is_warned_about_at_its_line(probe_site):
    source = article(title="Bảng", slug="bang", body=DROPPED)
    site, report = probe_site({A: source}, config=BASE_CONFIG + HOSTS)
    hint = " (allowed HTML, and how a site allows more: docs/templates.md, 'Raw HTML')"
    assert warnings(report) == [
        f"warning: {A}:{line_of(source, '<p onclick')}: raw HTML: dropped onclick attribute of "
        f"<p>{hint}",
        f"warning: {A}:{line_of(source, '<script')}: raw HTML: dropped <script> element and its "
        f"content{hint}",
        f"warning: {A}:{line_of(source, '<iframe')}: raw HTML: dropped <iframe> from "
        "evil.example: add 'evil.example' to html.iframe_hosts in config.yaml if it is trusted; "
        f"dropped <font> tag (its content is kept){hint}",
        f"warning: {A}:{line_of(source, '<a href')}: raw HTML: dropped href attribute of <a> "
        f"(its address has a scheme that is not allowed){hint}",
    ]
    body = page_of(site)
    assert event_handlers(site.html(PAGE)) == [] and script_urls(site.html(PAGE)) == []
    assert body.find("script") is None and body.find("iframe") is None
    assert "chữ" in body.get_text() and body.find("font") is None


def test_a_warning_is_repeated_when_the_article_comes_from_the_cache(probe_site):
    files = {A: article(title="Bảng", slug="bang", body=DROPPED)}
    _, first = probe_site(files)
    _, again = probe_site(files)  # same site folder: everything comes from the cache
    assert warnings(first) and warnings(again) == warnings(first)


def test_config_can_allow_more_elements_and_attributes(probe_site):
    body = 'Mở đầu.\n\n<video controls src="/v.mp4" data-note="x"><track kind="captions"></video>\n'
    config = BASE_CONFIG + (
        "html:\n  elements: [video, track]\n"
        "  attributes: {video: [controls, src], track: [kind], '*': [data-note]}\n"
    )
    site, report = probe_site({A: article(title="Bảng", slug="bang", body=body)}, config=config)
    assert warnings(report) == []
    video = page_of(site).video
    assert video.has_attr("controls") and video["src"] == "/v.mp4" and video["data-note"] == "x"
    assert video.track["kind"] == "captions"


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("html: [script]", "'html' must be a mapping"),
        ("html: {element: [video]}", "html: unknown key 'element'"),
        ("html: {elements: [script]}", "html.elements: 'script' can run script"),
        ("html: {elements: [svg]}", "html.elements: 'svg' can run script"),
        ("html: {elements: ['<b>']}", "html.elements: '<b>' is not an HTML name"),
        ("html: {attributes: {img: [onerror]}}", "html.attributes.img: 'onerror' can run"),
        ("html: {attributes: {iframe: [srcdoc]}}", "html.attributes.iframe: 'srcdoc' can run"),
        ("html: {attributes: [a]}", "html.attributes must map element names"),
        ("html: {iframe_hosts: ['https://maps.google.com/']}", "is not a host name"),
        ("html: {iframe_hosts: [example.org]}", "lists the site's own host 'example.org'"),
        ("html: {csp: [a]}", "html.csp must be text"),
        ('html: {csp: "a\\nb"}', "html.csp must be one line"),
    ],
)
def test_bad_html_config_is_refused_at_its_line(breaker, block, message):
    breaker.fails(
        {"config.yaml": BASE_CONFIG + block + "\n"}, [Expected("config.yaml", 8, message)]
    )


def test_a_script_address_as_the_front_matter_image_is_refused(breaker):
    source = article(title="Ảnh", image="'jav&#x61;script:alert(1)'")
    breaker.fails({A: source}, [Expected(A, line_of(source, "image:"), "'image' must be a path")])
