"""The example site at the repository root, built once into a temporary folder, and the tools
that check its HTML: the Nu Html Checker (vnu-jar, on the machine's Java) and axe-core (in
headless Chromium through Playwright). CI installs them with `.ci/run`; without them these
tests are skipped, saying what is missing."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.cli import main

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
INSTALL_HINT = "install with .ci/run (npm install --no-save vnu-jar@26 axe-core@4)"

# 2030-01-01T00:00:00Z: every example article is published, whatever the clock says.
FIXED_NOW_EPOCH = "1893456000"


@pytest.fixture(scope="session")
def example_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built with the real CLI; no cache, nothing written into the repository."""
    output = tmp_path_factory.mktemp("example") / "public"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_NOW_EPOCH)
        status = main(
            ["build", "--config", str(REPO / "config.yaml"), "--output", str(output), "--no-cache"]
        )
    assert status == 0, "the example site does not build"
    return output


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.skip("Nu Html Checker: no `java` on PATH (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        pytest.skip(f"Nu Html Checker: {VNU_JAR.relative_to(REPO)} is missing; {INSTALL_HINT}")
    return [java, "-jar", str(VNU_JAR)]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="session")
def served(example_output: Path) -> Iterator[str]:
    """Base URL of the built example site, served from 127.0.0.1 on a free port."""
    handler = functools.partial(_QuietHandler, directory=str(example_output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium of the machine (Playwright never downloads one here). Closed at the
    end of the module: one sync Playwright at a time per thread, other modules start their own."""
    if not AXE_JS.is_file():
        pytest.skip(f"axe-core: {AXE_JS.relative_to(REPO)} is missing; {INSTALL_HINT}")
    if not CHROMIUM.is_file():
        pytest.skip(f"axe-core: no Chromium at {CHROMIUM} (apt-get install chromium)")
    reason = "axe-core: the playwright package is missing (pip install -e '.[test]')"
    sync_api = pytest.importorskip("playwright.sync_api", reason=reason)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
