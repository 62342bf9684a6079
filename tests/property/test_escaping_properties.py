"""Any string in any front matter field (and a section title) shows as that text, never as markup.

Each example builds a tiny site in a temporary folder and parses the article page. The string
is written as a YAML double-quoted scalar (JSON quoting is valid YAML), so it reaches sitegen
exactly; sitegen then normalises it (NFC, and but for unknown fields runs of white space made one).
"""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.cli import main
from tests.hostile.conftest import event_handlers, script_urls, scripts_from_content
from tests.pictures import PNG

MARKUP = list("<>&\"'`=/;:{}%#!-") + [
    "<script>",
    "</p>",
    "<img src=x onerror=alert(1)>",
    "&amp;",
    "&#x3C;",
    "{{ 1 }}",
    '"><',
    "'><",
    "]]>",
    "-->",
    "\u2028",
]
TEXT = (
    st.lists(
        st.one_of(
            st.sampled_from(MARKUP),
            st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=5),
        ),
        min_size=1,
        max_size=12,
    )
    .map("".join)
    .filter(lambda s: s.strip())
)

CONFIG = """\
title: Trang thử
base_url: https://example.org/
sections:
  - {{key: tin, title: {section}}}
"""
LAYOUT = """\
{% extends "base.html" %}
{% block content %}
<h1>{{ page.title }}</h1>
<p class="param">{{ page.params.ghi_chu }}</p>
<p class="org">{{ page.organisation }}</p>
<p class="caption">{{ page.image.caption }}</p>
<p class="section">{{ page.section.title }}</p>
{% for a in page.authors %}<p class="author">{{ a.name }}</p>{% endfor %}
{% for t in page.tags %}<p class="tag">{{ t.name }}</p>{% endfor %}
{% endblock %}
"""


def shown(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def build(folder: Path, value: str) -> BeautifulSoup:
    quoted = json.dumps(value, ensure_ascii=False)
    (folder / "layouts").mkdir(parents=True)
    (folder / "layouts/article.html").write_text(LAYOUT, encoding="utf-8")
    (folder / "config.yaml").write_text(CONFIG.format(section=quoted), encoding="utf-8")
    (folder / "content/tin").mkdir(parents=True)
    (folder / "content/tin/a.md").write_text(
        "---\n"
        + "".join(
            f"{key}: {quoted}\n"
            for key in ("title", "author", "organisation", "image_caption", "ghi_chu")
        )
        + f"tags: [{quoted}]\nimage: /anh.png\ndate: 2026-01-15\n---\n\nThân bài.\n",
        encoding="utf-8",
    )
    (folder / "static").mkdir()
    (folder / "static/anh.png").write_bytes(PNG)
    assert main(["build", "--config", str(folder / "config.yaml"), "--jobs", "1"]) == 0
    [page] = [p for p in (folder / "public/tin").glob("*/index.html")]
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_string_in_any_field_is_shown_as_text(value):
    os.environ["SOURCE_DATE_EPOCH"] = "1893456000"
    with tempfile.TemporaryDirectory() as folder:
        page = build(Path(folder), value)
    expected = shown(value)
    for selector in ("h1", ".org", ".caption", ".section", ".author", ".tag"):
        assert page.select_one(selector).get_text() == expected, selector
    # An unknown field is kept as YAML gave it, white space and all.
    raw = unicodedata.normalize("NFC", yaml.safe_load(json.dumps(value, ensure_ascii=False)))
    assert page.select_one(".param").get_text() == raw
    assert page.select_one('meta[property="og:title"]')["content"] == expected
    assert scripts_from_content(page) == []
    assert event_handlers(page) == []
    assert script_urls(page) == []


@pytest.fixture(autouse=True)
def _restore_environment():
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    yield
    if saved is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = saved
