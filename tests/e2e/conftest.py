"""End-to-end fixtures: a fixed "now", and sites built once per test module for read-only tests."""

from __future__ import annotations

import textwrap

import pytest

from tests.conftest import BASE_CONFIG, Site

# 2030-01-01T00:00:00Z: every fixture article dated before it is published.
FIXED_NOW_EPOCH = "1893456000"


@pytest.fixture(scope="package", autouse=True)
def fixed_now():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_NOW_EPOCH)
        yield


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory):
    """built_site(files, config, *args) -> Site built with `args`; for tests that only read it."""

    def make(files: dict[str, str | bytes], config: str = BASE_CONFIG, *args: str) -> Site:
        site = Site(tmp_path_factory.mktemp("site"))
        site.write("config.yaml", textwrap.dedent(config))
        for relative, text in files.items():
            site.write(relative, text)
        assert site.build(*args) == 0
        return site

    return make
