"""sanitize: what clean_body keeps and drops, how drops are located, which addresses pass."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from sitegen.sanitize import (
    Dropped,
    HtmlPolicy,
    clean_body,
    content_security_policy,
    is_unsafe_url,
    locate_drops,
    needs_cleaning,
)

HOSTS = HtmlPolicy(iframe_hosts=("www.youtube-nocookie.com", "*.google.com"))


def soup(fragment: str) -> BeautifulSoup:
    return BeautifulSoup(fragment, "html.parser")


@pytest.mark.parametrize(
    "address",
    ["javascript:alert(1)", "JaVaScRiPt:x", " \x01javascript:x", "java\tscript:x",
     "&#106;avascript:x", "jav&#x09;ascript:x", "vbscript:x", "data:text/html,x", "file:///etc",
     "data:image/svg+xml,x"],
)  # fmt: skip
def test_addresses_with_other_schemes_are_unsafe(address):
    assert is_unsafe_url(address)


@pytest.mark.parametrize(
    "address",
    ["https://example.org/a", "http://x", "mailto:a@b.vn", "tel:+84123", "/a/b.jpg", "a.md",
     "../x/y.pdf#z", "#muc-1", "?page=2", "//cdn.example.org/a.png", "a/b:c"],
)  # fmt: skip
def test_relative_and_web_addresses_are_safe(address):
    assert not is_unsafe_url(address)


def test_only_bodies_with_markup_a_writer_chose_need_cleaning():
    assert needs_cleaning("Chữ <b>đậm</b>") and needs_cleaning("Đoạn\n{: .lon }")
    assert not needs_cleaning("Chữ **đậm** và [liên kết](/a/).")


def test_allowed_markup_is_kept_and_nothing_reported():
    fragment = (
        '<p class="x">a<sup>1</sup></p><table><tbody><tr><td colspan="2" rowspan="3">b</td>'
        "</tr></tbody></table><details open><summary>s</summary>t</details>"
    )
    cleaned, dropped = clean_body(fragment, HtmlPolicy())
    assert dropped == ()
    cell = soup(cleaned).td
    assert cell["colspan"] == "2" and cell["rowspan"] == "3"
    assert soup(cleaned).details.has_attr("open")


def test_a_listed_frame_is_sandboxed_and_loses_srcdoc():
    fragment = '<iframe src="https://maps.google.com/e" srcdoc="<b>x</b>" title="Bản đồ"></iframe>'
    cleaned, dropped = clean_body(fragment, HOSTS)
    frame = soup(cleaned).iframe
    assert frame["src"] == "https://maps.google.com/e" and not frame.has_attr("srcdoc")
    assert frame["loading"] == "lazy" and "allow-scripts" in frame["sandbox"]
    assert dropped == (Dropped("srcdoc", "iframe"),)


@pytest.mark.parametrize(
    "src", ["http://www.youtube-nocookie.com/e", "https://evil.example/e", "javascript:x", ""]
)
def test_a_frame_not_https_on_a_listed_host_is_dropped(src):
    cleaned, dropped = clean_body(f'<p>a</p><iframe src="{src}"></iframe>', HOSTS)
    assert soup(cleaned).iframe is None and soup(cleaned).p.get_text() == "a"
    assert [d.name for d in dropped if not d.element] == ["iframe"]


def test_drops_are_located_at_their_lines():
    source = "Mở đầu.\n\n<p>x</p>\n\n<script>a()</script>\n<img src=x onerror=b()>\n"
    _, dropped = clean_body(source, HtmlPolicy())
    located = locate_drops(dropped, source, 10)
    assert [line for line, _ in located] == [14, 15]
    assert "dropped <script> element and its content" in located[0][1]
    assert "dropped onerror attribute of <img>" in located[1][1]


def test_a_drop_not_found_in_the_source_is_put_at_the_first_line():
    assert [line for line, _ in locate_drops((Dropped("font"),), "không có thẻ", 7)] == [7]


def test_the_policy_frames_only_the_listed_hosts():
    assert "frame-src 'none'" in content_security_policy(())
    assert "frame-src https://a.example https://*.b.example" in content_security_policy(
        ("a.example", "*.b.example")
    )


def test_a_kept_frame_comes_out_the_same_every_time():
    """(nh3 would add attributes in a random order: sitegen adds sandbox and loading itself.)"""
    fragment = '<iframe src="https://www.youtube-nocookie.com/embed/a" title="V"></iframe>'
    outputs = {clean_body(fragment, HOSTS)[0] for _ in range(30)}
    assert len(outputs) == 1
