"""Hostile input: the helpers of tests/invalid (a good site, broken, built again) and a few more.

Rejected input is checked with `breaker.fails` (exit 1, exact `error: path:line: message`
lines, no traceback, the previous output byte-identical, the same report on a second run).
Accepted input is built with `accepted` and checked on the parsed pages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest
from bs4 import BeautifulSoup

from tests.conftest import BASE_CONFIG, Site
from tests.invalid.conftest import GOOD_FILES, Breaker, Report, breaker, fixed_now  # noqa: F401 - fixtures for tests/hostile


def accepted(
    breaker: Breaker,  # noqa: F811 - the fixture's value, passed on
    changes: Mapping[str, str | bytes],
    config: str = BASE_CONFIG,
    *args: str,
) -> tuple[Site, Report]:
    """The good site with `changes`, built: it must succeed. Returns the site and the report."""
    site = breaker.make_site({**GOOD_FILES, **changes}, config=config)
    breaker.site = site
    report = breaker.run(*args)
    assert report.code == 0, report.stderr
    assert "Traceback" not in report.stderr
    assert not [line for line in report.lines if line.startswith("error")], report.stderr
    return site, report


def warnings(report: Report) -> list[str]:
    return [line for line in report.lines if line.startswith("warning:")]


def scripts_from_content(page: BeautifulSoup) -> list[str]:
    """Every <script> but the theme's JSON-LD block (whose JSON must parse)."""
    found = []
    for script in page.find_all("script"):
        if script.get("type") == "application/ld+json":
            json.loads(script.string)
            continue
        found.append(str(script))
    return found


def event_handlers(page: BeautifulSoup) -> list[str]:
    return [
        f"<{tag.name} {name}>"
        for tag in page.find_all(True)
        for name in tag.attrs
        if name.lower().startswith("on")
    ]


def script_urls(page: BeautifulSoup) -> list[str]:
    """Attribute values a browser would run as script."""
    found = []
    for tag in page.find_all(True):
        for name, value in tag.attrs.items():
            if isinstance(value, str):
                squeezed = "".join(ch for ch in value if ch > " ").lower()
                if squeezed.startswith(("javascript:", "vbscript:", "data:text/html")):
                    found.append(f"<{tag.name} {name}={value!r}>")
    return found


@pytest.fixture
def probe_site(breaker):  # noqa: F811
    """accepted(...) bound to this test's breaker."""

    def make(changes: Mapping[str, str | bytes], *args: str, config: str = BASE_CONFIG):
        return accepted(breaker, changes, config, *args)

    return make
