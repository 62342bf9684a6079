"""After any sequence of edits, the incremental build (cache, previous output, and the index
kept in memory as the dev server keeps it, told or not which files changed as the server's
watcher tells it) writes exactly what a clean build writes."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.cache import CacheMemory
from sitegen.errors import BuildFailed
from sitegen.pipeline import BuildOptions, build
from tests.conftest import BASE_CONFIG, Site, article
from tests.pictures import image_bytes

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
SECTIONS = ("tin-hoat-dong", "xay-dung-dang")
PORTAL = """\
title: Cổng thông tin
base_url: https://example.org/
subsites:
  - key: ban-a
    title: Ban A
    sections: [{key: tin-hoat-dong, title: Tin hoạt động}, {key: xay-dung-dang, title: Xây dựng}]
  - key: ban-b
    title: Ban B
    sections: [{key: tin-hoat-dong, title: Tin}, {key: xay-dung-dang, title: Đảng}]
"""
OPERATIONS = ("body", "title", "date", "section", "tags", "draft", "delete", "rename", "add",
              "photo", "template", "config")  # fmt: skip


class Workspace:
    """A site on disk, edited step by step; `roots` are the folders articles live in."""

    def __init__(self, root: Path, portal: bool):
        self.root = root
        self.roots = ["ban-a/", "ban-b/"] if portal else [""]
        self.config = PORTAL if portal else BASE_CONFIG
        self.counter = 0
        self._write("config.yaml", textwrap.dedent(self.config))
        for number in range(5):
            self.add(number)
        self._write(f"content/{self.roots[0]}tin-hoat-dong/anh.jpg", image_bytes(40, 30))

    def _write(self, relative: str, data: str | bytes) -> None:
        Site(self.root).write(relative, data)

    def articles(self) -> list[Path]:
        return sorted((self.root / "content").rglob("*.md"))

    def add(self, seed: int) -> None:
        self.counter += 1
        folder = self.roots[seed % len(self.roots)] + SECTIONS[seed % 2]
        body = f"Mở đầu {seed}.\n\n![Ảnh](/{self.roots[0]}tin-hoat-dong/anh.jpg)\n\nHết."
        date = f"2026-0{1 + seed % 5}-1{seed % 9} 08:00"
        text = article(title=f"Bài số {self.counter}", date=date, section=SECTIONS[seed % 2],
                       tags=f"[chủ đề {seed % 3}]", body=body)  # fmt: skip
        self._write(f"content/{folder}/bai-{self.counter}.md", text)

    def edit(self, operation: str, seed: int) -> None:
        files = self.articles()
        path = files[seed % len(files)]
        text = path.read_text(encoding="utf-8")
        head, _, rest = text.partition("\n---\n")
        lines = head.split("\n")
        if operation == "body":
            path.write_text(text + f"\nThêm đoạn {seed}.\n", encoding="utf-8")
        elif operation in ("title", "date", "section", "tags", "draft"):
            changed = {
                "title": f"title: Tiêu đề mới {seed}",
                "date": f"date: 2026-0{1 + seed % 5}-2{seed % 8} 09:00",
                "section": f"section: {SECTIONS[(seed + 1) % 2]}",
                "tags": f"tags: [chủ đề {seed % 4}, khác]",
                "draft": "draft: true",
            }[operation]
            key = changed.split(":")[0]
            kept = [line for line in lines if not line.startswith(f"{key}:")]
            path.write_text("\n".join([*kept, changed]) + "\n---\n" + rest, encoding="utf-8")
        elif operation == "delete" and len(files) > 2:
            path.unlink()
        elif operation == "rename":
            path.rename(path.with_name(f"doi-ten-{seed}-{path.name}"))
        elif operation == "add":
            self.add(seed)
        else:
            self._edit_site(operation, seed)

    def _edit_site(self, operation: str, seed: int) -> None:
        if operation == "photo":
            color = (seed % 256, 100, 200)
            self._write(f"content/{self.roots[0]}tin-hoat-dong/anh.jpg", image_bytes(40, 30, color))
        elif operation == "template":
            footer = f'<footer class="site-footer"><p>Chân trang {seed}</p></footer>\n'
            self._write("layouts/partials/footer.html", footer)
        elif operation == "config":
            self._write("config.yaml", textwrap.dedent(self.config) + f"per_page: {2 + seed % 3}\n")


def build_into(root: Path, output: Path, memory: CacheMemory | None,
               changes: list[str] | None = None) -> dict[str, bytes] | None:  # fmt: skip
    """Every output file by path; None when the build fails (as it must, the same way, for both)."""
    options = BuildOptions(config_path=root / "config.yaml", output=output, now=NOW,
                           use_cache=memory is not None)  # fmt: skip
    try:
        build(options, memory, changes)
    except BuildFailed:
        return None
    return {p.relative_to(output).as_posix(): p.read_bytes()
            for p in sorted(output.rglob("*")) if p.is_file()}  # fmt: skip


def clean(root: Path, scratch: Path) -> dict[str, bytes] | None:
    copy = scratch / "clean"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("public", ".*"))
    return build_into(copy, copy / "public", None)


EDITS = st.lists(st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 1000)),
                 min_size=1, max_size=5)  # fmt: skip


def stamps(root: Path) -> dict[str, tuple[int, ...]]:
    """What a watcher of the site's sources would see change: every file's stat, by name."""
    found = {}
    for path in root.rglob("*"):
        name = path.relative_to(root).as_posix()
        if path.is_file() and name.startswith(("content/", "layouts/", "static/", "config.")):
            info = path.stat()
            found[name] = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
    return found


def changed_names(
    before: dict[str, tuple[int, ...]], after: dict[str, tuple[int, ...]]
) -> list[str]:
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


@pytest.mark.parametrize("watched", [False, True], ids=["unwatched", "watched"])
@pytest.mark.parametrize("portal", [False, True], ids=["site", "portal"])
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(edits=EDITS)
def test_any_edits_give_the_clean_build(portal, watched, edits):
    """`watched`: each build is told the files that changed, as the dev server's watcher tells."""
    with tempfile.TemporaryDirectory() as scratch:
        work = Workspace(Path(scratch) / "site", portal)
        memory = CacheMemory()
        output = work.root / "public"
        assert build_into(work.root, output, memory) == clean(work.root, Path(scratch))
        for operation, seed in edits:
            before = stamps(work.root)
            work.edit(operation, seed)
            changes = changed_names(before, stamps(work.root)) if watched else None
            assert build_into(work.root, output, memory, changes) == clean(
                work.root, Path(scratch)), (operation, seed)  # fmt: skip
