from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sitegen.discover import SourceFile
from sitegen.errors import ErrorLog
from sitegen.parse import parse_date, parse_document, split_front_matter

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PLUS7 = dt.timezone(dt.timedelta(hours=7))


# --- split_front_matter ---------------------------------------------------------------


def test_split_front_matter_separates_yaml_and_body_with_file_lines():
    front = split_front_matter("---\ntitle: A\ndate: 2026-01-01\n---\n\nBody text.\n")
    assert front is not None
    assert front.yaml_text == "title: A\ndate: 2026-01-01"
    assert front.yaml_line == 2
    assert front.body == "\nBody text.\n"
    assert front.body_line == 5


def test_split_front_matter_accepts_dots_as_closing_fence_and_trailing_spaces():
    front = split_front_matter("--- \ntitle: A\n...\t\nBody")
    assert front is not None
    assert front.yaml_text == "title: A"
    assert front.body == "Body"


def test_split_front_matter_empty_block():
    front = split_front_matter("---\n---\nBody")
    assert front is not None
    assert front.yaml_text == ""
    assert front.body_line == 3


@pytest.mark.parametrize(
    "text", ["", "# Title\n\nBody\n", "\n---\ntitle: A\n---\n", "----\ntitle: A\n----\n"]
)
def test_split_front_matter_returns_none_without_opening_fence(text):
    assert split_front_matter(text) is None


def test_split_front_matter_raises_when_never_closed():
    with pytest.raises(ValueError, match="never closed"):
        split_front_matter("---\ntitle: A\ndate: 2026-01-01\n\nBody\n")


def test_split_front_matter_ignores_later_rules_in_body():
    front = split_front_matter("---\ntitle: A\n---\nOne\n\n---\n\nTwo\n")
    assert front is not None
    assert front.yaml_text == "title: A"
    assert "---" in front.body


# --- parse_date -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-15", dt.datetime(2026, 1, 15, tzinfo=TZ)),
        ("2026-01-15 08:30", dt.datetime(2026, 1, 15, 8, 30, tzinfo=TZ)),
        ("2026-01-15T08:30:45", dt.datetime(2026, 1, 15, 8, 30, 45, tzinfo=TZ)),
        ("2026-01-15T08:30:00+07:00", dt.datetime(2026, 1, 15, 8, 30, tzinfo=PLUS7)),
        ("2026-01-15 08:30:00+0700", dt.datetime(2026, 1, 15, 8, 30, tzinfo=PLUS7)),
        ("2026-01-15T01:30:00Z", dt.datetime(2026, 1, 15, 1, 30, tzinfo=dt.UTC)),
        ("2026-01-15T01:30:00z", dt.datetime(2026, 1, 15, 1, 30, tzinfo=dt.UTC)),
        ("15/01/2026", dt.datetime(2026, 1, 15, tzinfo=TZ)),
        ("5/1/2026", dt.datetime(2026, 1, 5, tzinfo=TZ)),
        ("15/01/2026 08:30", dt.datetime(2026, 1, 15, 8, 30, tzinfo=TZ)),
        ("15-01-2026", dt.datetime(2026, 1, 15, tzinfo=TZ)),
        ("15.01.2026", dt.datetime(2026, 1, 15, tzinfo=TZ)),
        ("  2026-01-15  ", dt.datetime(2026, 1, 15, tzinfo=TZ)),
    ],
)
def test_parse_date_accepts_every_spelling(value, expected):
    parsed = parse_date(value, TZ)
    assert parsed == expected  # the same instant
    assert parsed.utcoffset() == dt.timedelta(hours=7)  # told in the site's timezone


def test_parse_date_day_first_means_day_then_month():
    assert parse_date("03/04/2026", TZ).month == 4
    assert parse_date("03/04/2026", TZ).day == 3


def test_parse_date_naive_values_take_the_site_timezone():
    parsed = parse_date("2026-01-15 08:30", TZ)
    assert parsed.tzinfo == TZ
    assert parsed.astimezone(dt.UTC) == dt.datetime(2026, 1, 15, 1, 30, tzinfo=dt.UTC)
    other = parse_date("2026-01-15 08:30", ZoneInfo("Europe/Paris"))
    assert other.astimezone(dt.UTC).hour == 7


def test_parse_date_shows_an_explicit_offset_as_the_same_instant_in_the_site_timezone():
    parsed = parse_date("2026-01-15T08:30:00+02:00", TZ)
    assert parsed == dt.datetime(2026, 1, 15, 6, 30, tzinfo=dt.UTC)
    assert parsed.utcoffset() == dt.timedelta(hours=7)


def test_parse_date_accepts_yaml_date_and_datetime_values():
    assert parse_date(dt.date(2026, 1, 15), TZ) == dt.datetime(2026, 1, 15, tzinfo=TZ)
    assert parse_date(dt.datetime(2026, 1, 15, 8, 30), TZ) == dt.datetime(
        2026, 1, 15, 8, 30, tzinfo=TZ
    )
    aware = dt.datetime(2026, 1, 15, 1, 30, tzinfo=dt.UTC)
    assert parse_date(aware, TZ) == aware
    assert parse_date(aware, TZ).utcoffset() == dt.timedelta(hours=7)


@pytest.mark.parametrize(
    "value",
    [
        "2026-13-45",
        "2026-02-30",
        "31/02/2026",
        "30/13/2026",
        "2026-01-15 25:00",
        "hôm qua",
        "",
        "2026",
        12,
        None,
        ["2026-01-01"],
    ],
)
def test_parse_date_rejects_impossible_or_unparsable_dates(value):
    with pytest.raises(ValueError):
        parse_date(value, TZ)


def test_parse_date_error_quotes_the_value_and_says_why():
    with pytest.raises(
        ValueError, match=r"'2026-13-45' is not a valid date \(month must be in 1\.\.12\)"
    ):
        parse_date("2026-13-45", TZ)


# --- parse_document -------------------------------------------------------------------


def parse(text: str, path: str = "tin/a.md"):
    log = ErrorLog()
    document = parse_document(SourceFile(path, text), TZ, log)
    return document, [str(e) for e in log.errors], [str(w) for w in log.warnings]


GOOD = """---
title: "Hội nghị: tổng kết"
date: 2026-01-15 08:30
author: [Lê Văn Minh, Trần Thị Hoa]
section: tin
tags: [Đảng, Hội nghị]
slug: hoi-nghi
draft: false
image: anh.jpg
image_caption: Toàn cảnh
updated: 2026-01-16
organisation: Ban Tổ chức
summary: |
  Tóm tắt.
---

Thân bài.
"""


def test_parse_document_reads_every_field():
    document, errors, warnings = parse(GOOD)
    assert errors == [] and warnings == []
    assert document.title == "Hội nghị: tổng kết"
    assert document.date == dt.datetime(2026, 1, 15, 8, 30, tzinfo=TZ)
    assert document.authors == ("Lê Văn Minh", "Trần Thị Hoa")
    assert document.section == "tin"
    assert document.tags == ("Đảng", "Hội nghị")
    assert document.slug == "hoi-nghi"
    assert document.draft is False
    assert document.image == "anh.jpg"
    assert document.image_caption == "Toàn cảnh"
    assert document.updated == dt.datetime(2026, 1, 16, tzinfo=TZ)
    assert document.organisation == "Ban Tổ chức"
    assert document.summary == "Tóm tắt."
    assert document.body == "\nThân bài.\n"
    assert document.body_line == 16
    assert document.line_of("title") == 2
    assert document.line_of("organisation") == 12
    assert document.line_of("summary") == 13


def test_parse_document_single_author_becomes_a_tuple():
    document, errors, _ = parse("---\ntitle: A\ndate: 2026-01-01\nauthor: Lê Văn Minh\n---\n")
    assert errors == []
    assert document.authors == ("Lê Văn Minh",)
    assert document.section is None


def test_parse_document_reports_missing_fields_together():
    document, errors, _ = parse("---\nsection: tin\n---\nBody\n")
    assert document is None
    assert len(errors) == 3
    assert any("'title' is missing" in e for e in errors)
    assert any("'date' is missing" in e for e in errors)
    assert any("'author' is missing" in e for e in errors)


def test_parse_document_bad_field_names_its_file_line():
    _, errors, _ = parse('---\ntitle: A\ndate: 2026-01-01\nauthor: X\ndraft: "yes"\n---\n')
    assert errors == ["content/tin/a.md:5: 'draft' must be true or false, not 'yes'"]


def test_parse_document_yaml_error_line_counts_from_file_start():
    _, errors, _ = parse("---\ntitle: A\ndate: 2026-01-01\nauthor: a: b\n---\n")
    assert len(errors) == 1
    assert errors[0].startswith("content/tin/a.md:4:")


def test_parse_document_duplicate_key_names_both_file_lines():
    _, errors, _ = parse("---\ntitle: A\ndate: 2026-01-01\ntitle: B\nauthor: X\n---\n")
    assert errors == [
        "content/tin/a.md:4:1: key 'title' is given twice (first on line 2): keep one"
    ]


def test_parse_document_impossible_yaml_date_is_a_located_error():
    _, errors, _ = parse("---\ntitle: A\ndate: 2026-13-45\nauthor: X\n---\n")
    assert len(errors) == 1
    assert errors[0].startswith("content/tin/a.md:3: 'date': '2026-13-45' is not a valid date")


def test_parse_document_unknown_field_is_a_warning_and_kept_in_params():
    document, errors, warnings = parse(
        "---\ntitle: A\ndate: 2026-01-01\nauthor: X\nsumary: typo\nmau: đỏ\n---\n"
    )
    assert errors == []
    assert document.params == {"sumary": "typo", "mau": "đỏ"}
    assert warnings == [
        "content/tin/a.md:5: unknown field 'sumary' (did you mean 'summary'?): "
        "kept as page.params.sumary",
        "content/tin/a.md:6: unknown field 'mau': kept as page.params.mau",
    ]


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("slug: a/b", "may not contain"),
        ("slug: ..", "may not contain"),
        ("slug: a\\b", "may not contain"),
        ("tags: a, b", "'tags' must be a list"),
        ("tags: [a, [b]]", "'tags' must list plain names"),
        ("title: [a, b]", "'title' must be text"),
        ("updated: someday", "'updated'"),
    ],
)
def test_parse_document_rejects_bad_values_at_their_line(line, fragment):
    text = "---\ntitle: A\ndate: 2026-01-01\nauthor: X\n" + line + "\n---\n"
    if line.startswith("title:"):
        text = "---\ndate: 2026-01-01\nauthor: X\nsection: s\n" + line + "\n---\n"
    document, errors, _ = parse(text)
    assert document is None
    assert len(errors) == 1
    assert errors[0].startswith("content/tin/a.md:5: ")
    assert fragment in errors[0]


def test_parse_document_without_front_matter_is_an_error_at_line_1():
    document, errors, _ = parse("# Tiêu đề\n\nThân bài.\n")
    assert document is None
    assert errors == [errors[0]] and errors[0].startswith("content/tin/a.md:1: has no front matter")


def test_parse_document_unclosed_front_matter_is_an_error_at_line_1():
    _, errors, _ = parse("---\ntitle: A\n\nBody\n")
    assert len(errors) == 1 and errors[0].startswith("content/tin/a.md:1: ")
    assert "never closed" in errors[0]


def test_parse_document_empty_front_matter_is_an_error():
    _, errors, _ = parse("---\n---\nBody\n")
    assert len(errors) == 1 and "empty" in errors[0]


def test_parse_document_normalises_spaces_and_nfc_in_names():
    import unicodedata

    text = (
        "---\ntitle: '  Đảng   bộ '\ndate: 2026-01-01\nauthor: "
        + unicodedata.normalize("NFD", "Lê Văn")
        + "\n---\n"
    )
    document, errors, _ = parse(text)
    assert errors == []
    assert document.title == "Đảng bộ"
    assert document.authors == ("Lê Văn",)
    assert unicodedata.is_normalized("NFC", document.authors[0])
