"""End-to-end fixtures: a fixed "now" so that dated fixtures never drift into the future."""

from __future__ import annotations

import pytest

# 2030-01-01T00:00:00Z: every fixture article dated before it is published.
FIXED_NOW_EPOCH = "1893456000"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_NOW_EPOCH)
