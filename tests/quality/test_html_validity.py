"""Every HTML page of the example site, and the theme's CSS, pass the Nu Html Checker."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.quality.conftest import html_pages


def run_vnu(command: list[str], files: list[Path], *options: str) -> list[dict]:
    """The checker's error messages for `files`, all checked in one JVM run."""
    arguments = ["--errors-only", "--format", "json", "--stdout", *options, *map(str, files)]
    result = subprocess.run(
        [*command, *arguments], capture_output=True, text=True, timeout=300, check=False
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        output = result.stdout[-2000:] + result.stderr[-2000:]
        raise AssertionError(
            f"vnu gave no JSON report (exit {result.returncode}): {output}"
        ) from None
    return [message for message in messages if message.get("type") != "info"]


def report(messages: list[dict], root: Path) -> str:
    lines = []
    for message in messages:
        url = message.get("url", "")
        shown = url.split(root.as_posix(), 1)[-1] if root.as_posix() in url else url
        where = f"{shown}:{message.get('lastLine', '?')}"
        lines.append(f"{where}: {message.get('message')} [{message.get('extract', '')!r}]")
    return "\n".join(lines)


def test_every_page_of_the_example_site_is_valid_html(example_output, vnu_command):
    pages = html_pages(example_output)
    assert len(pages) > 40, "the example build should have every page kind"
    errors = run_vnu(vnu_command, pages)
    assert errors == [], f"Nu Html Checker errors:\n{report(errors, example_output)}"


def test_theme_stylesheets_are_valid_css(example_output, vnu_command):
    stylesheets = sorted((example_output / "assets").rglob("*.css"))
    assert stylesheets, "the theme's stylesheets are missing from the output"
    errors = run_vnu(vnu_command, stylesheets, "--css")
    assert errors == [], f"CSS errors:\n{report(errors, example_output)}"
