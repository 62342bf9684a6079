"""`sitegen serve` rebuilds: one per burst of saves, what it ignores, failures, events, Ctrl-C."""

from __future__ import annotations

import http.client
import os
import re
import signal
import time

from bs4 import BeautifulSoup

from tests.conftest import article
from tests.pictures import camera_jpeg
from tests.serve.conftest import ARTICLE, ARTICLE_URL, Server

REBUILT = r" changed: rebuilt in \d+\.\d\d s"
FAILED = r" changed: rebuild failed \((\d+) errors?\)"


def edited(title: str) -> str:
    return article(title=title, slug="hoi-nghi", date="2026-01-10 08:00")


def page(server: Server, path: str = ARTICLE_URL) -> tuple[int, str]:
    status, _, body = server.get(path)
    return status, body.decode("utf-8")


def test_a_burst_of_saves_gives_one_rebuild(serve_site):
    server = serve_site()
    path = server.site.root / ARTICLE
    for number in range(3):  # save three times, as some editors do
        path.write_text(edited(f"Lần lưu {number}"), encoding="utf-8")
        time.sleep(0.01)
    temporary = path.with_name("sedX1b2c3")  # sed -i and many editors: write aside, rename over
    temporary.write_text(edited("Tiêu đề cuối cùng"), encoding="utf-8")
    os.replace(temporary, path)
    line = server.wait_for_line(REBUILT)
    time.sleep(0.5)
    assert server.rebuilds() == [line]
    assert f"{ARTICLE} changed:" in line and "sedX1b2c3" not in line
    assert "Tiêu đề cuối cùng" in page(server)[1]


def test_swap_files_git_and_the_output_folder_are_ignored(serve_site):
    server = serve_site()
    root = server.site.root
    for relative in (
        "content/tin-hoat-dong/.hoi-nghi.md.swp",
        "content/tin-hoat-dong/hoi-nghi.md~",
        "content/tin-hoat-dong/4913",
        "content/tin-hoat-dong/#hoi-nghi.md#",
        ".git/index",
        "public/extra.html",
        ".sitegen-cache/x",
        "notes.txt",
    ):
        server.site.write(relative, "x")
    (root / "content/tin-hoat-dong/hoi-nghi.md~").unlink()
    time.sleep(0.6)
    assert server.rebuilds() == []


def test_a_failed_rebuild_keeps_the_last_good_site_and_shows_every_error(serve_site):
    server = serve_site()
    site = server.site
    site.write(ARTICLE, "---\ntitle: [không đóng\ndate: 2026-01-10\n---\nThân bài.\n")
    site.write("content/xay-dung-dang/chi-bo.md", article(title="Chi bộ", section="khong-co"))
    line = server.wait_for_line(FAILED)
    assert "(2 errors)" in line and "still serving the last good site" in line
    server.wait_for(lambda _: sum(x.startswith("error: ") for x in server.err) == 2, 5, "errors")
    assert server.err[-2].startswith(f"error: {ARTICLE}:2:")
    assert server.err[-1].startswith("error: content/xay-dung-dang/chi-bo.md:5: unknown section")
    status, html = page(server)
    assert status == 200 and "Hội nghị tổng kết" in html  # the last good build
    overlay = re.search(r'<div id="sitegen-errors".*?</div>', html, re.S)
    assert overlay and f"{ARTICLE}:2:" in overlay[0] and "chi-bo.md:5:" in overlay[0]
    assert 'id="sitegen-errors"' in page(server, "/khong-co/")[1]  # on the 404 page too

    site.write(ARTICLE, edited("Đã sửa xong"))
    site.write("content/xay-dung-dang/chi-bo.md", article(title="Chi bộ", section="xay-dung-dang"))
    server.wait_for_line(REBUILT)
    status, html = page(server)
    assert (
        status == 200 and "Đã sửa xong" in html and "sitegen-errors" not in html.split("<script")[0]
    )


def test_error_text_from_content_is_escaped_in_the_overlay(serve_site):
    server = serve_site()
    server.site.write(
        ARTICLE, article(title="X", slug="hoi-nghi", section='"<img src=x onerror=alert(1)>"')
    )
    server.wait_for_line(FAILED)
    html = page(server)[1]
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_deleting_an_article_removes_its_page(serve_site):
    server = serve_site()
    assert page(server, "/tin-hoat-dong/tap-huan/")[0] == 200
    (server.site.root / "content/tin-hoat-dong/tap-huan.md").unlink()
    line = server.wait_for_line(REBUILT)
    assert "content/tin-hoat-dong/tap-huan.md (deleted) changed" in line
    assert page(server, "/tin-hoat-dong/tap-huan/")[0] == 404
    assert "Tập huấn nghiệp vụ" not in page(server, "/tin-hoat-dong/")[1]


def test_config_and_layout_changes_are_rebuilt(serve_site):
    server = serve_site()
    config = server.site.root / "config.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("Ban Tổ chức Tỉnh ủy", "Tên mới"),
        encoding="utf-8",
    )
    server.wait_for_line("config.yaml changed: rebuilt")
    assert "Tên mới" in page(server)[1]
    server.site.write("layouts/partials/footer.html", "<footer>Chân trang riêng</footer>\n")
    server.wait_for_line("layouts changed: rebuilt")  # a new folder: it is watched from now on
    assert "Chân trang riêng" in page(server)[1]
    server.site.write("layouts/partials/footer.html", "<footer>Sửa chân trang</footer>\n")
    server.wait_for_line("layouts/partials/footer.html changed: rebuilt")
    assert "Sửa chân trang" in page(server)[1]


class Events:
    """A server-sent-events stream, read one event at a time."""

    def __init__(self, server: Server, since: int):
        self.connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
        self.connection.request("GET", f"/__sitegen/events?since={since}")
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream; charset=utf-8"

    def next(self) -> dict[str, str]:
        fields: dict[str, str] = {}
        while True:
            line = self.response.readline().decode("utf-8")
            if not line:
                return fields  # the stream ended
            if line == "\n" and "event" in fields:
                return fields
            name, _, value = line.rstrip("\n").partition(": ")
            if name in ("id", "event", "data"):
                fields[name] = value

    def close(self) -> None:
        self.connection.close()


def generation(server: Server) -> int:
    match = re.search(r'data-generation="(\d+)"', page(server)[1])
    assert match
    return int(match[1])


def test_events_say_reload_css_or_errors(serve_site):
    server = serve_site()
    events = Events(server, generation(server))
    try:
        server.site.write("static/css/style.css", "body { color: red; }\n")
        assert events.next()["event"] == "css"
        server.site.write("static/css/style.css", "body { color: blue; }\n")
        assert events.next()["event"] == "css"
        server.site.write(ARTICLE, "---\ntitle: [\n---\n")
        failed = events.next()
        assert failed["event"] == "errors" and ARTICLE in failed["data"]
        server.site.write(ARTICLE, edited("Trở lại"))
        assert events.next()["event"] == "reload"
    finally:
        events.close()


def test_a_tab_served_before_a_rebuild_hears_of_it(serve_site):
    server = serve_site()
    stale = generation(server)
    server.site.write(ARTICLE, edited("Mới hơn"))
    server.wait_for_line(REBUILT)
    events = Events(server, stale)
    try:
        assert events.next()["event"] == "reload"
    finally:
        events.close()


def test_ctrl_c_stops_cleanly(serve_site):
    server = serve_site()
    events = Events(server, generation(server))
    returncode = server.stop(signal.SIGINT)
    assert returncode in (0, 130)
    assert events.next() == {}  # the event stream was ended
    events.close()
    assert not any("Traceback" in line for line in server.err), server.transcript()
    assert server.out[-1] == "Stopped."


def test_a_photo_saved_beside_an_article_is_served_as_variants(serve_site):
    """The writer links a photo, the build stops at the missing file; saving the photo (as a
    camera's card reader copies it: written aside, then renamed) shows it."""
    server = serve_site()
    path = server.site.root / ARTICLE
    text = article(title="Hội nghị", slug="hoi-nghi", date="2026-01-10 08:00",
                   body="Mở đầu.\n\n![Toàn cảnh hội nghị](anh.jpg)\n")  # fmt: skip
    path.write_text(text, encoding="utf-8")
    server.wait_for_line(FAILED)
    seen = len(server.out)
    partial = path.with_name("anh.jpg.part")
    partial.write_bytes(camera_jpeg(1200, 900, 6))
    os.replace(partial, path.with_name("anh.jpg"))
    line = server.wait_for_line(REBUILT, after=seen)
    assert "anh.jpg changed:" in line
    shown = BeautifulSoup(page(server)[1], "html.parser").select_one("main picture img")
    assert shown["alt"] == "Toàn cảnh hội nghị"
    assert (shown["width"], shown["height"]) == ("900", "1200")  # turned upright
    status, headers, _ = server.get(shown["src"])
    assert status == 200
    assert {k.lower(): v for k, v in headers.items()}["content-type"] == "image/jpeg"
