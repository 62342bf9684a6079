"""Markup in content stays text: in every front matter field, in config, in Markdown's own syntax.

The payload closes a double- and a single-quoted attribute, opens an element with an event
handler and a <script>, and carries an entity that must not be decoded twice. Each page is
parsed (BeautifulSoup) and checked: the field's text is the payload exactly, attribute values
are intact, no <script> but the theme's JSON-LD, no on* attribute, no script URL.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as etree

import pytest

from tests.conftest import BASE_CONFIG, article
from tests.hostile.conftest import event_handlers, script_urls, scripts_from_content
from tests.invalid.conftest import A

PAYLOAD = "'\"><img src=x onerror=alert(1)><script>alert(1)</script>&amp; </title>"
QUOTED = "'" + PAYLOAD.replace("'", "''") + "'"  # YAML single-quoted
# A photo of another site: one beside the article would have to exist.
QUOTED_ADDRESS = "'https://cdn.example.net/" + PAYLOAD.replace("'", "''") + "'"
ATOM = "{http://www.w3.org/2005/Atom}"

CONFIG = (
    BASE_CONFIG.replace("title: Ban Tổ chức Tỉnh ủy", f"title: {QUOTED}")
    .replace("title: Tin hoạt động", f"title: {QUOTED}")
    .replace("description: Hoạt động của Ban", f"description: {QUOTED}")
    + f"banner: {{title: {QUOTED}}}\nparams: {{ghi_chu: {QUOTED}}}\n"
)
ARTICLE_LAYOUT = """\
{% extends "base.html" %}
{% block content %}
<h1>{{ page.title }}</h1>
<p class="nguon" title="{{ page.params.get('nguon', '') }}">{{ page.params.get('nguon', '') }}</p>
<p class="ghi-chu" data-x='{{ site.params.ghi_chu }}'>{{ site.params.ghi_chu }}</p>
{{ page.content }}
{% endblock %}
"""
FIELDS = dict(
    author=QUOTED,
    tags=f"[{QUOTED}]",
    image=QUOTED_ADDRESS,
    image_caption=QUOTED,
    organisation=QUOTED,
    nguon=QUOTED,
)


def assert_no_markup_from_content(page) -> None:
    assert scripts_from_content(page) == []
    assert event_handlers(page) == []
    assert script_urls(page) == []


@pytest.fixture
def payload_site(probe_site):
    site, _ = probe_site({A: article(title=QUOTED, **FIELDS)}, config=CONFIG)
    return site


def article_url(site) -> str:
    [folder] = [
        p
        for p in (site.output / "tin-hoat-dong").iterdir()
        if p.is_dir() and p.name.startswith("img-src")
    ]
    return f"/tin-hoat-dong/{folder.name}/"


def test_payload_in_every_field_is_text_on_the_article_page(payload_site):
    page = payload_site.html(article_url(payload_site))
    assert_no_markup_from_content(page)
    assert page.h1.get_text() == PAYLOAD
    assert page.title.get_text() == f"{PAYLOAD} | {PAYLOAD}"
    assert page.select_one('meta[property="og:title"]')["content"] == PAYLOAD
    assert page.select_one("a[rel=author]").get_text() == PAYLOAD
    assert page.select_one(".signature-organisation").get_text() == PAYLOAD
    assert page.select_one("a[rel=tag]").get_text() == PAYLOAD
    assert page.select_one(".cover figcaption").get_text() == PAYLOAD
    assert page.select_one(".cover img")["alt"] == PAYLOAD
    assert page.select_one(".cover img")["src"] == "https://cdn.example.net/" + PAYLOAD
    assert page.select_one(".article-section a").get_text() == PAYLOAD  # the section's title
    assert page.select_one(".banner-title").get_text() == PAYLOAD
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["headline"] == PAYLOAD


def test_payload_in_unknown_fields_and_site_params_is_text_in_a_layout(probe_site):
    files = {A: article(title="Hội nghị", **FIELDS), "layouts/article.html": ARTICLE_LAYOUT}
    site, _ = probe_site(files, config=CONFIG)
    page = site.html("/tin-hoat-dong/hoi-nghi/")
    assert_no_markup_from_content(page)
    assert page.select_one(".nguon").get_text() == PAYLOAD
    assert page.select_one(".nguon")["title"] == PAYLOAD
    assert page.select_one(".ghi-chu").get_text() == PAYLOAD
    assert page.select_one(".ghi-chu")["data-x"] == PAYLOAD


@pytest.mark.parametrize("url", ["/", "/tin-hoat-dong/", "/404.html"])
def test_payload_is_text_on_listing_pages(payload_site, url):
    page = payload_site.html(url)
    assert_no_markup_from_content(page)
    assert PAYLOAD in page.get_text()


def test_payload_is_text_on_tag_and_author_pages(payload_site):
    for folder in ("tags", "authors"):
        [page_folder] = [
            p for p in (payload_site.output / folder).iterdir() if p.name.startswith("img-src")
        ]
        page = payload_site.html(f"/{folder}/{page_folder.name}/")
        assert_no_markup_from_content(page)
        assert page.h1.get_text().endswith(PAYLOAD)


def test_payload_is_text_in_the_feed(payload_site):
    feed = etree.fromstring((payload_site.output / "feed.xml").read_bytes())
    assert feed.find(f"{ATOM}title").text == PAYLOAD
    [entry] = [e for e in feed.findall(f"{ATOM}entry") if e.find(f"{ATOM}title").text == PAYLOAD]
    assert entry.find(f"{ATOM}author/{ATOM}name").text == PAYLOAD
    assert entry.find(f"{ATOM}category").get("term") == PAYLOAD


def test_template_syntax_in_content_is_shown_as_written(probe_site):
    title = "{{ 7*7 }} {% include 'base.html' %} {# chú thích #}"
    body = "Giá trị {{ 7*7 }} và {% for x in range(3) %}{{ x }}{% endfor %}.\n\n`{{ config }}`"
    site, _ = probe_site({A: article(title=f'"{title}"', tags="['{{ 7*7 }}']", body=body)})
    page = site.html("/tin-hoat-dong/7-7-include-base-html-chu-thich/")
    assert page.h1.get_text() == title
    assert page.select_one("a[rel=tag]").get_text() == "{{ 7*7 }}"
    text = page.select_one(".article-body").get_text() + page.select_one(".lead").get_text()
    assert "{{ 7*7 }}" in text and "{% for x in range(3) %}{{ x }}{% endfor %}" in text
    assert "{{ config }}" in text
    assert "49" not in page.get_text() and "012" not in page.get_text()


BODY_LINKS = """\
Mở đầu.

[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](  javascript:alert(1))
[d](<javascript:alert(1)>)
[e](vbscript:msgbox(1)) [f](data:text/html;base64,PHNjcmlwdD4=) [g][ref] [h](java\tscript:alert(1))
![i](javascript:alert(1)) [j](&#106;avascript:alert(1)) [k](jav&#x09;ascript:alert(1))

[ref]: javascript:alert(1)
"""


def test_script_links_in_markdown_are_made_harmless(probe_site):
    site, _ = probe_site({A: article(title="Liên kết", body=BODY_LINKS)})
    page = site.html("/tin-hoat-dong/lien-ket/")
    body = page.select_one(".article-body")
    assert len(body.find_all("a")) == 10 and len(body.find_all("img")) == 1
    assert script_urls(page) == []


def test_markup_in_image_and_link_titles_stays_in_its_attribute(probe_site):
    """Markdown decodes entities in titles (&amp; is "&")."""
    title = "'><img src=x onerror=prompt><script>prompt</script>&amp; </title>"
    body = f'Mở đầu.\n\n![Ảnh](/images/banner.png "{title}")\n\n[trang chủ](/ "{title}")\n'

    site, _ = probe_site({A: article(title="Tiêu đề ảnh", body=body)})
    page = site.html("/tin-hoat-dong/tieu-de-anh/")
    assert_no_markup_from_content(page)
    shown = title.replace("&amp;", "&")
    assert page.select_one(".article-body figcaption").get_text() == shown
    assert page.select_one(".article-body a[href='/']")["title"] == shown


def test_fence_info_strings_cannot_add_attributes(probe_site):
    body = (
        'Mở đầu.\n\n```python" onclick="alert(1)\nx = 1\n```\n\n'
        '``` { .python onclick="alert(2)" data-x="1" }\ny = 2\n```\n\n'
        '~~~ {: #id onmouseover="alert(3)" }\nz = 3\n~~~\n'
    )
    site, _ = probe_site({A: article(title="Mã nguồn", body=body)})
    page = site.html("/tin-hoat-dong/ma-nguon/")
    assert event_handlers(page) == []
    assert scripts_from_content(page) == []


# --- Markdown's own ways to carry script: raw HTML, attribute lists, the summary field --------


def test_raw_html_in_the_body_cannot_run_script(probe_site):
    body = (
        'Mở đầu.\n\n<script>alert(1)</script>\n\n<p onclick="alert(2)">Nhấn</p>\n\n'
        '<a href="javascript:alert(3)">liên kết</a>\n'
    )
    site, _ = probe_site({A: article(title="HTML thô", body=body)})
    page = site.html("/tin-hoat-dong/html-tho/")
    assert (
        scripts_from_content(page) == [] and event_handlers(page) == [] and script_urls(page) == []
    )


def test_payload_in_the_summary_field_is_text(probe_site):
    site, _ = probe_site({A: article(title="Tóm tắt", summary=QUOTED)})
    page = site.html("/tin-hoat-dong/tom-tat/")
    assert scripts_from_content(page) == [] and event_handlers(page) == []
    assert page.select_one(".lead").get_text() == PAYLOAD
    home = site.html("/")
    assert scripts_from_content(home) == [] and event_handlers(home) == []


def test_attribute_lists_cannot_add_handlers_or_script_links(probe_site):
    body = (
        'Mở đầu.\n\nĐoạn văn\n{: onclick="alert(1)" }\n\n## Mục {: onmouseover="alert(2)" }\n\n'
        '[trang chủ](/){: href="javascript:alert(3)" }\n'
    )
    site, _ = probe_site({A: article(title="Thuộc tính", body=body)})
    page = site.html("/tin-hoat-dong/thuoc-tinh/")
    assert event_handlers(page) == [] and script_urls(page) == []


def test_script_link_behind_a_control_character_is_made_harmless(probe_site):
    site, _ = probe_site(
        {A: article(title="Ký tự điều khiển", body="Mở đầu.\n\n[a](\x01javascript:alert(1))\n")}
    )
    page = site.html("/tin-hoat-dong/ky-tu-dieu-khien/")
    assert script_urls(page) == []
