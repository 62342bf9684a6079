"""`sitegen serve` in a subprocess on a free port, over a small fixture site.

The server is always stopped: each fixture that starts one stops it in its finalizer (SIGINT,
then kill if it does not end).
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import BASE_CONFIG, Site, article

FIXED_NOW_EPOCH = "1893456000"  # 2030-01-01: every fixture article is in the past
ADDRESS = re.compile(r"^Serving .+ at http://(?P<host>[^:/]+):(?P<port>\d+)(?P<base>/\S*)$")
START_TIMEOUT = 60.0

ARTICLE = "content/tin-hoat-dong/hoi-nghi.md"
ARTICLE_URL = "/tin-hoat-dong/hoi-nghi/"
SITE_CSS = "body { color: rgb(10, 20, 30); }\n"


def fixture_files() -> dict[str, str]:
    """Three articles with fixed slugs (a title edit keeps the URL) and a site stylesheet."""
    return {
        ARTICLE: article(title="Hội nghị tổng kết", slug="hoi-nghi", date="2026-01-10 08:00"),
        "content/tin-hoat-dong/tap-huan.md": article(
            title="Tập huấn nghiệp vụ", slug="tap-huan", date="2026-01-12 08:00"
        ),
        "content/xay-dung-dang/chi-bo.md": article(
            title="Sinh hoạt chi bộ",
            slug="chi-bo",
            section="xay-dung-dang",
            date="2026-01-14 08:00",
        ),
        "static/css/style.css": SITE_CSS,
        "secret.txt": "SECRET-TOKEN-7f3a\n",  # in the site folder, outside the output folder
    }


def make_fixture_site(root: Path) -> Site:
    site = Site(root)
    root.mkdir(parents=True, exist_ok=True)
    site.write("config.yaml", textwrap.dedent(BASE_CONFIG))
    for relative, text in fixture_files().items():
        site.write(relative, text)
    return site


@dataclass
class Server:
    """A running `sitegen serve`: its address, and its output as it comes."""

    process: subprocess.Popen
    site: Site
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)
    host: str = ""
    port: int = 0
    base: str = "/"

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{self.base}"

    def wait_for(self, predicate: Callable[[list[str]], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not predicate(self.out):
            if self.process.poll() is not None:
                raise AssertionError(
                    f"server exited ({self.process.returncode}) waiting for {what}:"
                    f"\n{self.transcript()}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} within {timeout} s:\n{self.transcript()}")
            time.sleep(0.01)

    def wait_for_line(self, pattern: str, timeout: float = 10.0, after: int = 0) -> str:
        """The first stdout line from index `after` on that matches `pattern`."""
        regex = re.compile(pattern)
        self.wait_for(lambda lines: any(regex.search(x) for x in lines[after:]), timeout, pattern)
        return next(line for line in self.out[after:] if regex.search(line))

    def rebuilds(self) -> list[str]:
        return [line for line in self.out if " changed: " in line]

    def transcript(self) -> str:
        return "stdout:\n" + "\n".join(self.out) + "\nstderr:\n" + "\n".join(self.err)

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        """A request with `path` sent exactly as given (no normalising)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def stop(self, sig: int = signal.SIGINT, timeout: float = 15.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def _pump(stream, lines: list[str]) -> None:
    for line in stream:
        lines.append(line.rstrip("\n"))


def start_server(site: Site, *args: str, wait: bool = True) -> Server:
    command = [sys.executable, "-m", "sitegen", "serve", "--config", str(site.root / "config.yaml")]
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_NOW_EPOCH, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [*command, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )
    server = Server(process, site)
    for stream, lines in ((process.stdout, server.out), (process.stderr, server.err)):
        threading.Thread(target=_pump, args=(stream, lines), daemon=True).start()
    try:
        match = ADDRESS.match(server.wait_for_line(ADDRESS.pattern, START_TIMEOUT))
        assert match is not None
        server.host, server.port, server.base = match["host"], int(match["port"]), match["base"]
        if wait:
            server.wait_for_line(r"^Watching ", START_TIMEOUT)
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture
def serve_site(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """serve_site(*args) -> a server over a fresh fixture site; stopped after the test."""
    servers: list[Server] = []

    def start(*args: str, site: Site | None = None) -> Server:
        server = start_server(
            site or make_fixture_site(tmp_path / f"site{len(servers)}"), "--port", "0", *args
        )
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def module_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for a module's tests that do not change its site."""
    server = start_server(make_fixture_site(tmp_path_factory.mktemp("served")), "--port", "0")
    yield server
    server.stop()
