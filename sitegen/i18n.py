"""Interface strings per language, and dates formatted with Babel's CLDR data (never the
machine's locale)."""

from __future__ import annotations

import datetime as dt
import functools

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime

UI_STRINGS: dict[str, dict[str, str]] = {
    "vi": {
        "home": "Trang chủ",
        "sections": "Chuyên mục",
        "latest": "Tin mới nhất",
        "related": "Tin cùng chuyên mục",
        "author": "Tác giả",
        "authors": "Tác giả",
        "tags": "Từ khóa",
        "tag": "Từ khóa",
        "published": "Đăng ngày",
        "updated": "Cập nhật",
        "previous_article": "Bài trước",
        "next_article": "Bài sau",
        "newer": "Trang trước",
        "older": "Trang sau",
        "page_of": "Trang {number}/{total}",
        "skip_to_content": "Chuyển đến nội dung chính",
        "not_found_title": "Không tìm thấy trang",
        "not_found_text": "Trang bạn tìm không tồn tại hoặc đã được chuyển đi.",
        "back_home": "Về trang chủ",
        "breadcrumb": "Đường dẫn",
        "main_menu": "Menu chính",
        "pagination": "Phân trang",
        "read_more": "Xem thêm",
        "no_articles": "Chưa có bài viết.",
        "feed": "Tin RSS",
        "toc": "Nội dung bài viết",
        "footnote_back": "Quay lại chú thích %d",
        "table": "Bảng",
        "portal_menu": "Các trang thành viên",
        "search": "Tìm kiếm",
        "search_label": "Tìm bài viết",
        "search_button": "Tìm",
        "search_section": "Chuyên mục",
        "search_any_section": "Mọi chuyên mục",
        "search_year": "Năm",
        "search_any_year": "Mọi năm",
        "search_whole_portal": "Tìm trên toàn cổng thông tin",
        "search_noscript": "Tìm kiếm cần JavaScript: hãy bật JavaScript trong trình duyệt, "
        "hoặc xem bài viết theo chuyên mục ở trên.",
        "search_prompt": "Nhập từ cần tìm, có dấu hoặc không dấu.",
        "search_loading": "Đang tìm…",
        "search_results": "{count} kết quả cho “{query}”",
        "search_one_result": "1 kết quả cho “{query}”",
        "search_no_results": "Không có kết quả cho “{query}”",
        "search_more": "Xem thêm kết quả",
        "search_failed": "Không tải được chỉ mục tìm kiếm.",
    },
    "en": {
        "home": "Home",
        "sections": "Sections",
        "latest": "Latest news",
        "related": "More from this section",
        "author": "Author",
        "authors": "Authors",
        "tags": "Tags",
        "tag": "Tag",
        "published": "Published",
        "updated": "Updated",
        "previous_article": "Previous article",
        "next_article": "Next article",
        "newer": "Newer",
        "older": "Older",
        "page_of": "Page {number} of {total}",
        "skip_to_content": "Skip to main content",
        "not_found_title": "Page not found",
        "not_found_text": "The page you are looking for does not exist or has moved.",
        "back_home": "Back to the home page",
        "breadcrumb": "Breadcrumb",
        "main_menu": "Main menu",
        "pagination": "Pagination",
        "read_more": "More",
        "no_articles": "No articles yet.",
        "feed": "Feed",
        "toc": "Contents",
        "footnote_back": "Jump back to footnote %d in the text",
        "table": "Table",
        "portal_menu": "Sites of the portal",
        "search": "Search",
        "search_label": "Search articles",
        "search_button": "Search",
        "search_section": "Section",
        "search_any_section": "All sections",
        "search_year": "Year",
        "search_any_year": "All years",
        "search_whole_portal": "Search the whole portal",
        "search_noscript": "Search needs JavaScript: turn it on in your browser, "
        "or browse the sections above.",
        "search_prompt": "Type the words to search for.",
        "search_loading": "Searching…",
        "search_results": "{count} results for “{query}”",
        "search_one_result": "1 result for “{query}”",
        "search_no_results": "No results for “{query}”",
        "search_more": "More results",
        "search_failed": "The search index could not be loaded.",
    },
}

# CLDR patterns per language; other languages use Babel's own medium/full formats.
_DATE_PATTERNS: dict[str, dict[str, str]] = {
    "vi": {"long": "EEEE, dd/MM/yyyy HH:mm", "short": "dd/MM/yyyy"},
    "en": {"long": "EEEE, d MMMM yyyy", "short": "d MMM yyyy"},
}


def ui_strings(language: str) -> dict[str, str]:
    """The table of the language, or of its base language ("vi-VN" -> "vi"), else English."""
    base = language.replace("_", "-").split("-")[0].lower()
    return UI_STRINGS.get(base, UI_STRINGS["en"])


def format_date(value: dt.datetime, language: str, style: str = "long") -> str:
    if style == "short":  # the day only: one cache entry a day (noon is never skipped by DST)
        value = value.replace(hour=12, minute=0, second=0, microsecond=0)
    # Equal instants in different offsets compare equal: the offset must be part of the key.
    return _format_date(value, value.utcoffset(), language, style)


@functools.lru_cache(maxsize=65536)  # one article's date appears on many pages
def _format_date(value: dt.datetime, offset: dt.timedelta | None, language: str, style: str) -> str:
    base = language.replace("_", "-").split("-")[0].lower()
    locale = language.replace("-", "_")
    patterns = _DATE_PATTERNS.get(base)
    if patterns is None:
        return babel_format_date(
            value.date(), "full" if style == "long" else "medium", locale=locale
        )
    return format_datetime(value, patterns[style], tzinfo=value.tzinfo, locale=locale)


def format_iso(value: dt.datetime) -> str:
    """RFC 3339 with the date's own offset, e.g. 2026-11-26T08:30:00+07:00."""
    return value.isoformat(timespec="seconds")


def og_locale(language: str) -> str:
    """Open Graph locale: vi -> vi_VN, en -> en_US."""
    regions = {
        "vi": "vi_VN",
        "en": "en_US",
        "fr": "fr_FR",
        "de": "de_DE",
        "ja": "ja_JP",
        "zh": "zh_CN",
    }
    base = language.replace("-", "_").split("_")[0].lower()
    return (
        language.replace("-", "_") if "_" in language.replace("-", "_") else regions.get(base, base)
    )
