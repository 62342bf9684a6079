from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sitegen.discover import SourceFile
from sitegen.errors import ErrorLog, SitegenError
from sitegen.newarticle import create_article, front_matter
from sitegen.parse import parse_document

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CONFIG = """\
title: T
base_url: https://example.org/
sections:
  - {key: tin-hoat-dong, title: Tin hoạt động}
"""


def test_front_matter_of_a_new_article_parses_back_without_errors_or_warnings():
    now = dt.datetime(2026, 11, 26, 8, 30, tzinfo=TZ)
    text = front_matter('Hội nghị: "tổng kết" năm 2026', "tin-hoat-dong", "Lê Văn Minh", now)
    log = ErrorLog()
    document = parse_document(SourceFile("tin-hoat-dong/a.md", text), TZ, log)
    assert log.errors == [] and log.warnings == []
    assert document.title == 'Hội nghị: "tổng kết" năm 2026'
    assert document.date == now
    assert document.authors == ("Lê Văn Minh",)
    assert document.section == "tin-hoat-dong"
    assert document.draft is True


def test_create_article_writes_a_vietnamese_aware_file_name(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    path = create_article(config, "Đảng bộ tỉnh lần thứ XIX", "tin-hoat-dong", "Lê Văn Minh")
    assert path == tmp_path.resolve() / "content" / "tin-hoat-dong" / "dang-bo-tinh-lan-thu-xix.md"
    assert "title: Đảng bộ tỉnh lần thứ XIX" in path.read_text(encoding="utf-8")


def test_create_article_never_overwrites(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    path = create_article(config, "Bài", "tin-hoat-dong", "A")
    path.write_text("mine", encoding="utf-8")
    with pytest.raises(SitegenError, match="already exists"):
        create_article(config, "Bài", "tin-hoat-dong", "A")
    assert path.read_text(encoding="utf-8") == "mine"


def test_create_article_refuses_an_unknown_section(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    with pytest.raises(SitegenError, match="tin-hoat-dong"):
        create_article(config, "Bài", "the-thao", "A")
    assert not (tmp_path / "content").exists()
