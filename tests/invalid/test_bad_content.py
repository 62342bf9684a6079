"""Files that cannot be read as UTF-8 Markdown."""

from __future__ import annotations

from tests.conftest import article
from tests.invalid.conftest import A, B, Expected, lines, windows_1258


def test_windows_1258_file_names_the_line_of_the_first_bad_byte(breaker):
    data = windows_1258(article(title="Hội nghị tổng kết năm 2026"))
    breaker.fails({A: data}, [Expected(A, 2, "is not UTF-8 text")])


def test_latin_1_file_names_the_line_of_the_first_bad_byte(breaker):
    text = lines(
        "---", "title: Cafe", "date: 2026-01-15", "author: Ren\u00e9 Dupont", "section: x", "---"
    )
    data = text.encode("latin-1")
    breaker.fails({A: data}, [Expected(A, 4, "is not UTF-8 text (byte 0xe9)")])


def test_bad_byte_in_the_body_names_its_line(breaker):
    data = article(body="Đoạn một.\n\nĐoạn hai.").encode("utf-8") + b"Caf\xe9\n"
    breaker.fails({A: data}, [Expected(A, 11, "is not UTF-8 text (byte 0xe9)")])


def test_binary_file_with_markdown_name(breaker):
    breaker.fails({B: b"---\x00\x01\x02"}, [Expected(B, 1, "binary")])


def test_error_lines_count_from_the_first_line_with_bom_and_crlf(breaker):
    data = b"\xef\xbb\xbf" + article(date="hôm qua").replace("\n", "\r\n").encode("utf-8")
    breaker.fails({A: data}, [Expected(A, 3, "'date': 'hôm qua'")])


def test_error_lines_count_with_old_mac_line_endings(breaker):
    data = article(draft="maybe").replace("\n", "\r").encode("utf-8")
    breaker.fails({A: data}, [Expected(A, 6, "'draft' must be true or false")])
