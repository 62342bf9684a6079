"""The search page in headless Chromium, under the theme's Content-Security-Policy, on a
small built site and a small portal: what readers type, what they find, in which order."""

from __future__ import annotations

import functools
import http.server
import threading
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import BASE_CONFIG, Site, article
from tests.quality.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.skipif(
    not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM} (CI installs it: .ci/run)"
)

ARTICLES = {
    "xay-dung-dang/nhiem-ky.md": article(
        "Đảng bộ xã tổng kết nhiệm kỳ", "2026-03-01 08:00", section="xay-dung-dang",
        body="Hội nghị đánh giá công tác phát triển đảng viên ở cơ sở."),
    "tin-hoat-dong/dang-bai.md": article(
        "Dạng bài thi mới của kỳ thi tuyển", "2026-02-01 08:00",
        body="Các thí sinh làm quen với cấu trúc đề thi."),
    "tin-hoat-dong/dang-ky.md": article(
        "Mở cổng nhận hồ sơ dự tuyển", "2025-05-01 08:00",
        body="Thí sinh đăng ký trực tuyến trước ngày 30."),
    "tin-hoat-dong/hoa-binh.md": article(
        "Giữ gìn hòa bình cho vùng biên", "2025-06-01 08:00",
        body="Công trình thủy lợi mới giúp người dân khỏe mạnh, yên tâm sản xuất."),
    "tin-hoat-dong/to-chuc.md": article(
        "Tổ chức hội nghị cán bộ chủ chốt", "2026-04-01 08:00",
        body="Ban Tổ chức hướng dẫn kiện toàn tổ chức cơ sở đảng."),
    "tin-hoat-dong/nhap.md": article(
        "Bài nháp chưa đăng", "2026-04-02 08:00", body="Bí mật tuyệt đối.", draft="true"),
    "tin-hoat-dong/tuong-lai.md": article(
        "Bài của tương lai", "2099-01-01 08:00", body="Chưa đến ngày đăng."),
}  # fmt: skip
PORTAL_CONFIG = """\
title: Cổng thông tin
base_url: https://example.org/
subsites:
  - {key: ban-a, title: Ban A, sections: [{key: tin, title: Tin A}]}
  - {key: ban-b, title: Ban B, sections: [{key: tin, title: Tin B}]}
"""
FIXED_NOW = "1893456000"  # 2030-01-01: the drafts and the 2099 article stay out
WITHIN = 5000  # ms


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The news site and the portal, built and served: {name: base URL}."""
    root = tmp_path_factory.mktemp("search")
    news, portal = Site(root / "news"), Site(root / "portal")
    news.write("config.yaml", BASE_CONFIG)
    for path, text in ARTICLES.items():
        news.write(f"content/{path}", text)
    portal.write("config.yaml", PORTAL_CONFIG)
    for key in ("ban-a", "ban-b"):
        portal.write(f"content/{key}/tin/a.md", article(f"Hội nghị của {key}", section="tin"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_NOW)
        assert news.build("--no-cache") == 0 and portal.build("--no-cache") == 0
    servers = [_serve(news.output), _serve(portal.output)]
    yield {name: f"http://127.0.0.1:{s.server_address[1]}" for name, s in
           zip(("news", "portal"), servers, strict=True)}  # fmt: skip
    for server in servers:
        server.shutdown()
        server.server_close()


def _serve(folder: Path) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser) -> Iterator[object]:
    """A tab that fails the test on any script error, refused request or missing file."""
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if _is_problem(m) else None)
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if _is_missing(r) else None
    )
    yield page
    page.close()
    assert problems == []


def _is_problem(message) -> bool:
    return message.type == "error" and not message.text.startswith("Failed to load resource")


def _is_missing(response) -> bool:
    return response.status >= 400 and not response.url.endswith("/favicon.ico")


def open_search(tab, base: str, query: str, path: str = "/search/", extra: str = "") -> list[str]:
    tab.goto(f"{base}{path}?q={quote(query)}{extra}")
    return results(tab, 0)


def searches(tab) -> int:
    """How many searches the page has shown so far."""
    return int(tab.evaluate("document.getElementById('search-results').dataset.searches || 0"))


def results(tab, after: int) -> list[str]:
    """Titles of the listed results, once the page has shown more than `after` searches."""
    deadline = time.monotonic() + WITHIN / 1000
    while searches(tab) <= after:
        if time.monotonic() > deadline:
            raise AssertionError(f"no search shown within {WITHIN} ms")
        tab.wait_for_timeout(20)
    return tab.eval_on_selector_all(
        "#search-results > li > a", "links => links.map(a => a.textContent)"
    )


def test_words_typed_without_diacritics_find_vietnamese(tab, sites) -> None:
    found = open_search(tab, sites["news"], "dang vien")
    assert found[0] == "Đảng bộ xã tổng kết nhiệm kỳ"  # both words
    assert tab.text_content("#search-status").startswith(f"{len(found)} kết quả cho “dang vien”")
    marks = tab.eval_on_selector_all(
        "#search-results li:first-child mark", "m => m.map(x => x.textContent)"
    )
    assert "Đảng" in marks and "viên" in marks
    assert open_search(tab, sites["news"], "to chuc")[0] == "Tổ chức hội nghị cán bộ chủ chốt"


def test_exact_diacritics_come_before_folded_matches(tab, sites) -> None:
    found = open_search(tab, sites["news"], "đảng")
    assert found[:2] == ["Đảng bộ xã tổng kết nhiệm kỳ", "Tổ chức hội nghị cán bộ chủ chốt"]
    assert found[2:] == ["Dạng bài thi mới của kỳ thi tuyển", "Mở cổng nhận hồ sơ dự tuyển"]


def test_other_tone_placement_and_nfd_find_the_same(tab, sites) -> None:
    hoa = "Giữ gìn hòa bình cho vùng biên"
    assert open_search(tab, sites["news"], "hoà bình") == [hoa]
    assert open_search(tab, sites["news"], "thuỷ lợi") == [hoa]  # the site writes "thủy"
    assert open_search(tab, sites["news"], "khoẻ") == [hoa]
    nfd = unicodedata.normalize("NFD", "Tổ chức")
    assert open_search(tab, sites["news"], nfd)[0] == "Tổ chức hội nghị cán bộ chủ chốt"


def test_drafts_and_future_articles_are_not_found(tab, sites) -> None:
    assert open_search(tab, sites["news"], "bí mật tuyệt đối") == []
    assert "Không có kết quả" in tab.text_content("#search-status")
    assert open_search(tab, sites["news"], "tương lai") == []


def test_typing_searches_as_you_type_and_the_keyboard_opens_a_result(tab, sites) -> None:
    tab.goto(f"{sites['news']}/search/")
    tab.focus("#search-q")
    tab.keyboard.type("nhiem")  # a prefix of nothing but "nhiệm"
    assert results(tab, 0) == ["Đảng bộ xã tổng kết nhiệm kỳ"]
    assert tab.evaluate("location.search") == "?q=nhiem"  # linkable
    tab.keyboard.type(" ky")  # "ky" as a prefix: "kỳ" and "ký"
    deadline = time.monotonic() + WITHIN / 1000
    while "“nhiem ky”" not in tab.text_content("#search-status"):  # the last keystroke's
        assert time.monotonic() < deadline, tab.text_content("#search-status")
        tab.wait_for_timeout(20)
    found = results(tab, 0)
    assert found[0] == "Đảng bộ xã tổng kết nhiệm kỳ" and len(found) == 3  # both words first
    tab.keyboard.press("ArrowDown")
    assert tab.evaluate("document.activeElement.textContent") == found[0]
    tab.keyboard.press("ArrowDown")
    assert tab.evaluate("document.activeElement.textContent") == found[1]
    tab.keyboard.press("ArrowUp")
    tab.keyboard.press("ArrowUp")
    assert tab.evaluate("document.activeElement.id") == "search-q"
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/xay-dung-dang/**")


def test_the_header_box_submits_to_the_search_page(tab, sites) -> None:
    tab.goto(sites["news"] + "/")
    tab.fill("#site-search-q", "hội nghị")
    tab.press("#site-search-q", "Enter")
    tab.wait_for_url("**/search/?q=*")
    assert "Tổ chức hội nghị cán bộ chủ chốt" in results(tab, 0)
    assert tab.input_value("#search-q") == "hội nghị"


def test_filters_by_section_and_year(tab, sites) -> None:
    every = open_search(tab, sites["news"], "thi")
    assert len(every) == 2
    shown = searches(tab)
    tab.select_option("#search-year", "2025")
    assert results(tab, shown) == ["Mở cổng nhận hồ sơ dự tuyển"]
    assert "year=2025" in tab.evaluate("location.search")
    found = open_search(tab, sites["news"], "dang", extra="&section=xay-dung-dang")
    assert found == ["Đảng bộ xã tổng kết nhiệm kỳ"]
    assert tab.input_value("#search-section") == "xay-dung-dang"


def test_a_sub_site_searches_itself_or_the_whole_portal(tab, sites) -> None:
    assert open_search(tab, sites["portal"], "hoi nghi", "/ban-a/search/") == ["Hội nghị của ban-a"]
    shown = searches(tab)
    tab.check("#search-all")
    found = results(tab, shown)
    assert sorted(found) == ["Hội nghị của ban-a", "Hội nghị của ban-b"]
    assert "all=1" in tab.evaluate("location.search")
    assert len(open_search(tab, sites["portal"], "hoi nghi")) == 2  # the portal's own page


def test_without_javascript_the_page_says_so(browser, sites) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{sites['news']}/search/?q=dang")
    assert "Tìm kiếm cần JavaScript" in page.inner_text("main")
    assert page.get_attribute("#search-form", "action") == "/search/"
    assert page.get_attribute("#search-q", "name") == "q"
    context.close()
