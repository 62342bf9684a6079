from __future__ import annotations

import unicodedata

import pytest

from sitegen.discover import decode_source, is_ignored
from sitegen.errors import ErrorLog


def decode(data: bytes):
    log = ErrorLog()
    source = decode_source(data, "tin/a.md", log)
    return source, [str(e) for e in log.errors]


def test_decode_strips_bom_and_normalises_line_endings():
    source, errors = decode(b"\xef\xbb\xbf---\r\ntitle: A\r\n---\rBody\r\n")
    assert errors == []
    assert source.text == "---\ntitle: A\n---\nBody\n"
    assert source.source_path == "tin/a.md"


def test_decode_normalises_to_nfc():
    source, _ = decode(unicodedata.normalize("NFD", "Đảng bộ").encode("utf-8"))
    assert source.text == "Đảng bộ"
    assert unicodedata.is_normalized("NFC", source.text)


def test_decode_reports_non_utf8_with_the_line_of_the_bad_byte():
    data = "---\ntitle: Hội nghị\n".encode() + b"author: L\xea V\xe3n\n---\n"
    source, errors = decode(data)
    assert source is None
    assert errors == ["content/tin/a.md:3: is not UTF-8 text (byte 0xea): save the file as UTF-8"]


def test_decode_refuses_binary():
    source, errors = decode(b"---\x00\x01")
    assert source is None
    assert len(errors) == 1 and "binary" in errors[0]


@pytest.mark.parametrize(
    "name",
    [
        ".hidden.md",
        "#a.md#",
        "~lock.md",
        "a.md~",
        "a.md.swp",
        "a.bak",
        "Thumbs.db",
        "4913",
        "x.tmp",
    ],
)
def test_editor_and_hidden_files_are_ignored(name):
    assert is_ignored(name)


@pytest.mark.parametrize("name", ["a.md", "anh.jpg", "bai-viet.markdown", "a.b.md"])
def test_ordinary_files_are_not_ignored(name):
    assert not is_ignored(name)
