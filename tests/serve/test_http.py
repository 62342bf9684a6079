"""`sitegen serve` over HTTP: what it serves, what it refuses, and the injected reload script."""

from __future__ import annotations

import os
import socket

import pytest
from bs4 import BeautifulSoup

from tests.serve.conftest import ARTICLE_URL, Server

SCRIPT_MARK = b"/__sitegen/reload.js"


def test_serves_pages_with_the_reload_script_that_the_built_files_lack(module_server: Server):
    status, headers, body = module_server.get(ARTICLE_URL)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(headers["Content-Length"]) == len(body)
    assert "Hội nghị tổng kết".encode() in body
    assert body.index(SCRIPT_MARK) < body.rindex(b"</body>")
    on_disk = module_server.site.output / "tin-hoat-dong" / "hoi-nghi" / "index.html"
    assert SCRIPT_MARK not in on_disk.read_bytes()
    assert not any(SCRIPT_MARK in p.read_bytes() for p in module_server.site.output.rglob("*.html"))


def test_serves_the_reload_script_as_a_file_the_pages_policy_allows(module_server: Server):
    status, headers, body = module_server.get(SCRIPT_MARK.decode())
    assert status == 200
    assert headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert b"new EventSource(" in body and b"/__sitegen/events" in body
    _, _, page = module_server.get(ARTICLE_URL)
    soup = BeautifulSoup(page, "html.parser")
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "script-src 'self'" in policy
    injected = soup.find_all("script", src=True)[-1]
    assert injected["src"] == SCRIPT_MARK.decode() and injected.get_text() == ""


def test_listens_on_localhost_by_default(module_server: Server):
    assert module_server.host == "127.0.0.1"


def test_serves_other_files_as_they_are(module_server: Server):
    status, headers, body = module_server.get("/css/style.css")
    assert status == 200
    assert headers["Content-Type"] == "text/css; charset=utf-8"
    assert body == (module_server.site.root / "static/css/style.css").read_bytes()


def test_folder_without_slash_redirects_to_the_folder(module_server: Server):
    status, headers, _ = module_server.get("/tin-hoat-dong?page=1")
    assert status == 301
    assert headers["Location"] == "/tin-hoat-dong/?page=1"


def test_missing_page_gets_the_sites_404_page_with_status_404(module_server: Server):
    status, _, body = module_server.get("/khong-co-trang-nay/")
    assert status == 404
    built_404 = (module_server.site.output / "404.html").read_bytes()
    assert body.startswith(built_404[: built_404.rindex(b"</body>")])
    assert SCRIPT_MARK in body


def test_head_gets_headers_only(module_server: Server):
    status, headers, body = module_server.get(ARTICLE_URL, method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


def test_folders_are_never_listed(module_server: Server):
    assert (module_server.site.output / "assets").is_dir()
    status, _, body = module_server.get("/assets/")
    assert status == 404
    built_404 = (module_server.site.output / "404.html").read_bytes()
    assert body.startswith(built_404[: built_404.rindex(b"</body>")])


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/../../secret.txt",
        "/tin-hoat-dong/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/tin-hoat-dong/%2e%2e/%2e%2e/secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/secret.txt%00.html",
        "//secret.txt",
        "/%2f..%2fsecret.txt",
        "http://127.0.0.1/../secret.txt",
        "secret.txt",
    ],
)
def test_refuses_paths_that_leave_the_output_folder(module_server: Server, path: str):
    status, _, body = module_server.get(path)
    assert status in (400, 403, 404)
    assert b"SECRET-TOKEN" not in body


def test_an_absolute_file_system_path_is_only_a_path_inside_the_site(module_server: Server):
    site_secret = (module_server.site.root / "secret.txt").resolve()
    for path in (str(site_secret), "/etc/passwd", "/%2fetc%2fpasswd"):
        status, _, body = module_server.get(path)
        assert status in (403, 404), path
        assert b"SECRET-TOKEN" not in body and b"root:" not in body


def test_refuses_symlinks_in_the_output_that_point_outside_it(module_server: Server):
    output = module_server.site.output
    os.symlink(module_server.site.root / "secret.txt", output / "leak.txt")
    os.symlink(module_server.site.root, output / "leak-folder")
    os.symlink(module_server.site.root / "secret.txt", output / "tin-hoat-dong" / "index.html.bak")
    for path in (
        "/leak.txt",
        "/leak-folder/secret.txt",
        "/leak-folder/",
        "/tin-hoat-dong/index.html.bak",
    ):
        status, _, body = module_server.get(path)
        assert status in (403, 404), path
        assert b"SECRET-TOKEN" not in body


def test_a_symlink_inside_the_output_is_followed(module_server: Server):
    output = module_server.site.output
    os.symlink(output / "css" / "style.css", output / "alias.css")
    status, _, body = module_server.get("/alias.css")
    assert status == 200 and body == (output / "css" / "style.css").read_bytes()


def test_a_taken_port_moves_to_the_next_free_one(serve_site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = serve_site("--port", str(port))  # after the fixture's --port 0: this one wins
        assert server.port != port
        assert f"port {port} is taken: using {server.port}" in server.out
        assert server.get(ARTICLE_URL)[0] == 200
