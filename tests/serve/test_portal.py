"""`sitegen serve` of a portal: a save in one sub-site is rebuilt and served; `--subsite`
serves that sub-site and the portal home only."""

from __future__ import annotations

import textwrap

from bs4 import BeautifulSoup

from tests.conftest import Site, article
from tests.e2e.test_subsites import PORTAL_CONFIG, portal_files

REBUILT = r" changed: rebuilt in \d+\.\d\d s"
ARTICLE = "content/ban-tuyen-giao/hoc-tap/nghi-quyet.md"
ARTICLE_URL = "/ban-tuyen-giao/hoc-tap/hoc-tap-nghi-quyet-dai-hoi/"


def portal_site(root) -> Site:
    site = Site(root)
    root.mkdir(parents=True)
    site.write("config.yaml", textwrap.dedent(PORTAL_CONFIG))
    for relative, text in portal_files().items():
        site.write(relative, text)
    return site


def titles(server, path: str) -> list[str]:
    status, _, body = server.get(path)
    assert status == 200, path
    page = BeautifulSoup(body.decode("utf-8"), "html.parser")
    return [a.get_text(" ", strip=True) for a in page.select("main .card-title a")]


def edited() -> str:
    return article(
        title="Học tập Nghị quyết Đại hội",
        slug="hoc-tap-nghi-quyet-dai-hoi",
        date="2026-01-09 08:00",
        section="hoc-tap",
        author="Nguyễn Văn An",
        body="Đoạn mở đầu đã sửa.",
    )


def test_a_save_in_one_subsite_is_served_with_the_portal_home(serve_site, tmp_path):
    server = serve_site(site=portal_site(tmp_path / "portal"))
    assert server.get("/ban-to-chuc/")[0] == 200
    (server.site.root / ARTICLE).write_text(edited(), encoding="utf-8")
    server.wait_for_line(REBUILT)
    status, _, body = server.get(ARTICLE_URL)
    assert status == 200
    page = BeautifulSoup(body.decode("utf-8"), "html.parser")
    assert page.select_one(".lead").get_text(strip=True) == "Đoạn mở đầu đã sửa."
    assert "Học tập Nghị quyết Đại hội" in titles(server, "/")


def test_serve_one_subsite(serve_site, tmp_path):
    server = serve_site("--subsite", "ban-tuyen-giao", site=portal_site(tmp_path / "portal"))
    assert server.get(ARTICLE_URL)[0] == 200
    assert server.get("/ban-to-chuc/")[0] == 404
    assert titles(server, "/") == [
        "Hội nghị tổng kết năm 2026",
        "Học tập Nghị quyết Đại hội",
        "Lễ ra quân tuyên truyền",
    ]
