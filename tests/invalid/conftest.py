"""Invalid-input fixtures: build a good site, break it, build again, check report and output.

Every case asserts: exit status 1, exactly the expected `error: path:line: message` lines (path and
line exact, a key part of the message), no traceback, the previous output byte-identical, and the
same report again on a second run (the build cache must not hide an error).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import BASE_CONFIG, Site, article

# 2030-01-01T00:00:00Z: every fixture article is in the past.
FIXED_NOW_EPOCH = "1893456000"

A = "content/tin-hoat-dong/a.md"
B = "content/tin-hoat-dong/b.md"
C = "content/xay-dung-dang/c.md"

# 1x1 transparent PNG: an asset beside the articles, copied to the output.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)

GOOD_FILES: dict[str, str | bytes] = {
    A: article(title="Hội nghị tổng kết năm 2026", tags="[Đảng, Hội nghị]"),
    B: article(title="Tập huấn nghiệp vụ", date="2026-01-16 09:00", author="Trần Thị Hoa"),
    C: article(title="Kết nạp đảng viên mới", date="2026-01-17 10:00", section="xay-dung-dang"),
    "content/tin-hoat-dong/anh.png": PNG,
    "static/images/banner.png": PNG,
}


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_NOW_EPOCH)


@dataclass
class Expected:
    """One expected error line: its path, its line (None: the error has no line) and a message part.

    A path of None is an error about no file (the output folder): only the message part is checked.
    """

    path: str | None
    line: int | None
    fragment: str

    def matches(self, text: str) -> bool:
        if self.path is None:
            return text.startswith("error: ") and self.fragment in text
        location = (
            f"error: {self.path}:{self.line}:" if self.line is not None else f"error: {self.path}: "
        )
        return text.startswith(location) and self.fragment in text.split(location, 1)[1]


@dataclass
class Report:
    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stderr.splitlines()


def tree(root: Path, skip: Sequence[str] = ()) -> dict[str, bytes]:
    """Every file under root (a whole site or an output folder) by relative path, with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part in skip for part in p.relative_to(root).parts)
    }


def lines(*rows: str) -> str:
    """A file from its lines, so a test shows which line is which."""
    return "\n".join(rows) + "\n"


def windows_1258(text: str) -> bytes:
    """Vietnamese text as Windows-1258 stores it: letters precomposed, tones as separate marks."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    letters: list[list[str]] = []  # [base and its other marks, its tone mark]
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and letters:
            letters[-1][1 if ch in tones else 0] += ch
        else:
            letters.append([ch, ""])
    out = [unicodedata.normalize("NFC", letter) + tone for letter, tone in letters]
    return "".join(out).encode("cp1258")


class Breaker:
    """Builds the good site, applies a change, builds again and checks the failure."""

    def __init__(self, make_site, capsys: pytest.CaptureFixture[str]):
        self.make_site = make_site
        self.capsys = capsys
        self.site: Site | None = None

    def run(self, *args: str) -> Report:
        assert self.site is not None
        self.capsys.readouterr()
        code = self.site.build(*args)
        out = self.capsys.readouterr()
        return Report(code, out.out, out.err)

    def good(
        self, files: Mapping[str, str | bytes] | None = None, config: str = BASE_CONFIG
    ) -> Site:
        self.site = self.make_site(dict(GOOD_FILES if files is None else files), config=config)
        report = self.run()
        assert report.code == 0, report.stderr
        assert "error" not in report.stderr
        return self.site

    def fails(
        self,
        changes: Mapping[str, str | bytes | None],
        expected: Sequence[Expected],
        *args: str,
        files: Mapping[str, str | bytes] | None = None,
        config: str = BASE_CONFIG,
    ) -> Report:
        """Good build, then `changes` (None deletes a file), then a build failing as `expected`."""
        site = self.good(files, config)
        before = site.files()
        assert before, "the good build wrote nothing"
        for relative, text in changes.items():
            if text is None:
                (site.root / relative).unlink()
            else:
                site.write(relative, text)
        report = self.run(*args)
        assert_failed(report, expected)
        after = site.files()
        assert list(after) == list(before), "the failed build changed the list of output files"
        assert after == before, "the failed build changed an output file"
        again = self.run(*args)
        assert (again.code, again.stderr) == (report.code, report.stderr), (
            "a second run reported differently"
        )
        assert site.files() == before
        return report


def assert_failed(report: Report, expected: Sequence[Expected]) -> None:
    assert report.code == 1, report.stderr
    assert "Traceback" not in report.stderr + report.stdout
    assert "unexpectedly" not in report.stderr, report.stderr
    lines = report.lines
    count = len(expected)
    assert lines[-1] == f"{count} error{'s' if count != 1 else ''}: nothing was written", (
        report.stderr
    )
    errors = lines[:-1]
    assert len(errors) == count, report.stderr
    for line, want in zip(errors, expected, strict=True):
        assert want.matches(line), f"expected {want}\n     got {line}"


@pytest.fixture
def breaker(make_site, capsys) -> Breaker:
    return Breaker(make_site, capsys)
