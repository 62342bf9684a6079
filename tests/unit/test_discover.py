from __future__ import annotations

import os
import threading
import time
import unicodedata

import pytest

from sitegen.discover import decode_source, is_ignored, reading_ahead
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


def _recording_fadvise(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def fadvise(descriptor: int, *_: int) -> None:
        asked.append(os.readlink(f"/proc/self/fd/{descriptor}"))

    monkeypatch.setattr(os, "posix_fadvise", fadvise)
    return asked


def test_reading_ahead_asks_for_each_file_in_order(tmp_path, monkeypatch):
    paths = [tmp_path / f"{number}.md" for number in range(5)]
    for path in paths:
        path.write_text("x")
    paths.insert(2, tmp_path / "missing.md")  # reading it to parse it says why
    asked = _recording_fadvise(monkeypatch)
    threads = threading.active_count()
    with reading_ahead([str(path) for path in paths]):
        for _ in range(1000):  # the context's end would stop it
            if len(asked) == 5:
                break
            time.sleep(0.01)
    assert asked == [str(path) for path in paths if path.name != "missing.md"]
    assert threading.active_count() == threads


def test_reading_ahead_stops_with_its_context(tmp_path, monkeypatch):
    path = tmp_path / "a.md"
    path.write_text("x")
    asked, go_on = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow_fadvise(descriptor: int, *_: int) -> None:
        calls.append(descriptor)
        asked.set()
        go_on.wait(10)

    monkeypatch.setattr(os, "posix_fadvise", slow_fadvise)
    with reading_ahead([str(path)] * 1000):
        assert asked.wait(10)
        threading.Timer(0.2, go_on.set).start()  # while the context ends, waiting for it
    assert len(calls) == 1
