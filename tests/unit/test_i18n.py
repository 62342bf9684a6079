from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sitegen.i18n import UI_STRINGS, format_date, format_iso, og_locale, ui_strings

THURSDAY = dt.datetime(2026, 11, 26, 8, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.mark.parametrize(
    ("language", "style", "expected"),
    [
        ("vi", "long", "Thứ Năm, 26/11/2026 08:30"),
        ("vi", "short", "26/11/2026"),
        ("en", "long", "Thursday, 26 November 2026"),
        ("en", "short", "26 Nov 2026"),
        ("vi-VN", "long", "Thứ Năm, 26/11/2026 08:30"),
        ("vi_VN", "short", "26/11/2026"),
        ("en-GB", "long", "Thursday, 26 November 2026"),
    ],
)
def test_format_date_in_the_site_language(language, style, expected):
    assert format_date(THURSDAY, language, style) == expected


def test_format_date_long_is_the_default():
    assert format_date(THURSDAY, "vi") == "Thứ Năm, 26/11/2026 08:30"


def test_format_date_shows_the_dates_own_timezone():
    utc = THURSDAY.astimezone(dt.UTC)
    assert format_date(utc, "vi") == "Thứ Năm, 26/11/2026 01:30"


@pytest.mark.parametrize(
    ("day", "weekday"),
    [
        (23, "Thứ Hai"),
        (24, "Thứ Ba"),
        (25, "Thứ Tư"),
        (27, "Thứ Sáu"),
        (28, "Thứ Bảy"),
        (29, "Chủ Nhật"),
    ],
)
def test_vietnamese_weekday_names(day, weekday):
    assert format_date(THURSDAY.replace(day=day), "vi").startswith(weekday + ", ")


def test_format_date_other_languages_use_cldr_not_the_machine_locale():
    assert format_date(THURSDAY, "fr") == "jeudi 26 novembre 2026"
    assert format_date(THURSDAY, "de", "short") == "26.11.2026"


def test_format_iso_keeps_the_offset():
    assert format_iso(THURSDAY) == "2026-11-26T08:30:00+07:00"


def test_ui_strings_per_language():
    assert ui_strings("vi")["related"] == "Tin cùng chuyên mục"
    assert ui_strings("vi")["author"] == "Tác giả"
    assert ui_strings("en")["related"] == "More from this section"


@pytest.mark.parametrize("language", ["vi-VN", "vi_VN", "VI", "vi-vn"])
def test_ui_strings_use_the_base_language(language):
    assert ui_strings(language) == UI_STRINGS["vi"]


@pytest.mark.parametrize("language", ["fr", "xx", "zh-Hant", ""])
def test_ui_strings_fall_back_to_english(language):
    assert ui_strings(language) == UI_STRINGS["en"]


def test_every_language_has_every_string():
    keys = set(UI_STRINGS["en"])
    for language, table in UI_STRINGS.items():
        assert set(table) == keys, language


def test_og_locale():
    assert og_locale("vi") == "vi_VN"
    assert og_locale("en") == "en_US"
    assert og_locale("en-GB") == "en_GB"
