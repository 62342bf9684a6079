"""Missing, empty and oddly encoded files, and file names no editor should make."""

from __future__ import annotations

import os
import unicodedata

from tests.conftest import article
from tests.invalid.conftest import A, B, Expected, windows_1258


def test_zero_byte_markdown_file(breaker):
    breaker.fails({B: b""}, [Expected(B, 1, "has no front matter")])


def test_whitespace_only_markdown_file(breaker):
    breaker.fails({B: " \n\t\n   \n"}, [Expected(B, 1, "has no front matter")])


def test_a_lone_opening_fence(breaker):
    breaker.fails({B: "---\n"}, [Expected(B, 1, "never closed")])


def test_front_matter_after_a_blank_line_is_no_front_matter(breaker):
    breaker.fails({B: "\n" + article()}, [Expected(B, 1, "has no front matter")])


def test_article_of_only_front_matter_is_built_without_lead_or_body(probe_site):
    text = article(title="Chỉ có tiêu đề", body="").rstrip("\n")  # ends at the closing '---'
    site, _ = probe_site({A: text[: text.rindex("---") + 3]})
    page = site.html("/tin-hoat-dong/chi-co-tieu-de/")
    assert page.h1.get_text() == "Chỉ có tiêu đề"
    assert page.select_one(".lead") is None
    assert page.select_one(".article-body").get_text(strip=True) == ""


def test_utf16_file_is_refused_at_line_1(breaker):
    data = article(title="Hội nghị").encode("utf-16")  # with its byte order mark
    breaker.fails({A: data}, [Expected(A, 1, "is not UTF-8 text (byte 0xff)")])


def test_windows_1258_body_after_utf8_front_matter_names_the_body_line(breaker):
    data = article(body="").encode("utf-8") + windows_1258("Đoạn một.\n\nĐoạn hai có dấu.\n")
    breaker.fails({A: data}, [Expected(A, 9, "is not UTF-8 text (byte 0xd0)")])  # Đ on line 9


def test_mixed_line_endings_count_lines_like_an_editor(breaker):
    """CRLF, LF and a lone CR in one file: an error on line 6 is reported on line 6."""
    data = (
        b"---\r\ntitle: H\xe1\xbb\x99i ngh\xe1\xbb\x8b\ndate: 2026-01-15\rauthor: A\r\n"
        b"section: tin-hoat-dong\ndraft: 2\r\n---\n"
    )
    breaker.fails({A: data}, [Expected(A, 6, "'draft' must be true or false, not 2")])


def test_bom_crlf_and_nfd_together_are_read_as_clean_text(probe_site):
    text = unicodedata.normalize("NFD", article(title="Đảng bộ tỉnh", tags="[Đảng, Hội nghị]"))
    data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    site, _ = probe_site({A: data})
    page = site.html("/tin-hoat-dong/dang-bo-tinh/")
    assert page.h1.get_text() == "Đảng bộ tỉnh"
    assert unicodedata.is_normalized("NFC", page.h1.get_text())
    assert [a.get_text() for a in page.select("a[rel=tag]")] == ["Đảng", "Hội nghị"]


def test_file_name_with_a_line_break_is_shown_on_one_line(breaker):
    name = "content/tin-hoat-dong/bai\nmoi.md"
    report = breaker.fails(
        {name: article(draft="có")}, [Expected(None, None, "'draft' must be true or false")]
    )
    assert (
        report.lines[0]
        == r"error: content/tin-hoat-dong/bai\nmoi.md:6: 'draft' must be true or false, not 'có'"
    )


def test_file_name_that_is_not_utf8_is_read_and_shown_with_its_bytes(breaker, make_site):
    site = breaker.good()
    folder = os.fsencode(site.root / "content/tin-hoat-dong")
    with open(os.path.join(folder, b"caf\xe9.md"), "wb") as file:
        file.write(article(title="Cà phê", draft="có").encode("utf-8"))
    report = breaker.run()
    assert report.code == 1
    assert (
        report.lines[0]
        == r"error: content/tin-hoat-dong/caf\xe9.md:6: 'draft' must be true or false, not 'có'"
    )
    os.remove(os.path.join(folder, b"caf\xe9.md"))
    with open(os.path.join(folder, b"caf\xe9.md"), "wb") as file:
        file.write(article(title="Cà phê").encode("utf-8"))
    assert breaker.run().code == 0
    assert site.html("/tin-hoat-dong/ca-phe/").h1.get_text() == "Cà phê"
