"""A real headless Chromium on `sitegen serve`: the open page follows the files by itself."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import article
from tests.serve.conftest import ARTICLE, ARTICLE_URL, Server

CHROMIUM = next(
    (p for p in ("/usr/bin/chromium", shutil.which("chromium")) if p and Path(p).exists()), None
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
WITHIN = 2000  # ms: the page must show a saved change this fast, without being reloaded by the test

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium at /usr/bin/chromium or on PATH (CI installs it: .ci/run)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def tab(browser, serve_site) -> Iterator[tuple[object, Server]]:
    """The article open in a tab, under the theme's Content-Security-Policy: the reload script
    and overlay must work without anything the policy blocks."""
    server = serve_site()
    page = browser.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    page.goto(server.url.rstrip("/") + ARTICLE_URL)
    policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    page.evaluate("window.sitegenTestMark = 1")  # gone if anything but the server reloads the page
    yield page, server
    page.close()
    assert refused == []


def wait_until(page: object, expression: str, timeout: int = WITHIN) -> None:
    """Poll `expression` from outside the page: page.wait_for_function evaluates it inside,
    which the policy's script-src (no 'unsafe-eval') refuses."""
    deadline = time.monotonic() + timeout / 1000
    while not _evaluated(page, expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} ms: {expression}")
        page.wait_for_timeout(25)


def _evaluated(page: object, expression: str) -> object:
    try:
        return page.evaluate(expression)
    except Exception as error:  # noqa: BLE001 - playwright's Error, imported only when installed
        if "context was destroyed" in str(error):  # the page is reloading: ask again
            return False
        raise


def edited(title: str) -> str:
    return article(title=title, slug="hoi-nghi", date="2026-01-10 08:00")


def shows_title(title: str) -> str:
    quoted = repr(title)
    in_h1 = f"document.querySelector('h1').textContent.includes({quoted})"
    return f"{in_h1} && document.title.includes({quoted})"


def test_a_saved_title_appears_in_the_open_page(tab):
    page, server = tab
    assert "Hội nghị tổng kết" in page.inner_text("h1")
    server.site.write(ARTICLE, edited("Tiêu đề vừa sửa"))
    wait_until(page, shows_title("Tiêu đề vừa sửa"))
    assert page.evaluate("window.sitegenTestMark") is None  # the server's event reloaded it


def test_broken_front_matter_shows_the_overlay_and_the_fix_removes_it(tab):
    page, server = tab
    server.site.write(ARTICLE, "---\ntitle: [không đóng\ndate: 2026-01-10\n---\nThân bài.\n")
    overlay = page.wait_for_selector("#sitegen-errors", timeout=WITHIN)
    assert f"{ARTICLE}:2" in overlay.inner_text()
    assert page.evaluate("window.sitegenTestMark") == 1  # shown in place: the page did not navigate
    assert "Hội nghị tổng kết" in page.inner_text("h1")  # the last good build stays

    server.site.write(ARTICLE, edited("Đã sửa lỗi"))
    wait_until(page, shows_title("Đã sửa lỗi"))
    assert page.query_selector("#sitegen-errors") is None


def test_a_stylesheet_change_is_swapped_in_without_a_reload(tab):
    page, server = tab
    color = "getComputedStyle(document.body).color"
    assert page.evaluate(color) == "rgb(10, 20, 30)"
    server.site.write("static/css/style.css", "body { color: rgb(200, 0, 100); }\n")
    wait_until(page, f"{color} === 'rgb(200, 0, 100)'")
    assert page.evaluate("window.sitegenTestMark") == 1
