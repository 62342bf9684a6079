"""A process that builds again and again (the dev server) patches its last site model when
an edit changed bodies only (sitegen/reuse.py), and assembles the site again for any other
edit; either way the output is the clean build's, byte for byte."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from sitegen import stages, write
from sitegen.cache import CacheMemory
from sitegen.errors import BuildFailed
from sitegen.pipeline import BuildOptions, build
from tests.conftest import Site, article
from tests.e2e.test_incremental import append, many_articles
from tests.property.test_incremental_properties import PORTAL

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
EDITED = "content/tin-hoat-dong/bai-004.md"


class Builds:
    """Builds of one site in one process, and how many of them assembled the site."""

    def __init__(self, site: Site, monkeypatch: pytest.MonkeyPatch):
        self.site, self.memory, self.assembled = site, CacheMemory(), 0
        real = stages.assemble

        def counting(*args, **kwargs):
            self.assembled += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(stages, "assemble", counting)

    def run(self, now: dt.datetime = NOW) -> None:
        build(BuildOptions(config_path=self.site.root / "config.yaml", now=now), self.memory)

    def assert_clean(self, tmp_path: Path, now: dt.datetime = NOW) -> None:
        copy = Site(tmp_path / "clean-copy")
        shutil.rmtree(copy.root, ignore_errors=True)
        shutil.copytree(self.site.root, copy.root, ignore=shutil.ignore_patterns("public", ".*"))
        build(BuildOptions(config_path=copy.root / "config.yaml", now=now, use_cache=False))
        assert self.site.files() == copy.files()


@pytest.fixture
def builds(make_site, monkeypatch) -> Builds:
    builds = Builds(make_site(many_articles(70)), monkeypatch)
    builds.run()
    assert builds.assembled == 1
    return builds


def test_a_body_edit_patches_the_kept_model(builds, tmp_path):
    for number in range(2):
        append(builds.site.root / EDITED, f"\nĐoạn thêm số {number} ở cuối bài.\n")
        builds.run()
    assert builds.assembled == 1
    page = builds.site.html("/tin-hoat-dong/bai-viet-so-4-ve-cong-tac-can-bo/")
    assert page.find("p", string="Đoạn thêm số 1 ở cuối bài.") is not None
    builds.assert_clean(tmp_path)


@pytest.mark.parametrize("edit", [
    "title: Một tiêu đề khác\n",  # front matter
    "\n## Một mục mới\n",  # an anchor that links may name
    "\n[Bài khác](bai-006.md)\n",  # a link: what the article links to
])  # fmt: skip
def test_any_other_edit_assembles_the_site_again(builds, tmp_path, edit):
    path = builds.site.root / EDITED
    if edit.startswith("title:"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("title: ", edit.rstrip("\n") + "\nx-old: ", 1), "utf-8")
    else:
        append(path, edit)
    builds.run()
    assert builds.assembled == 2
    builds.assert_clean(tmp_path)


def test_a_new_lead_assembles_the_site_again(builds, tmp_path):
    path = builds.site.root / EDITED
    path.write_text(path.read_text(encoding="utf-8").replace("Đoạn mở đầu", "Lời mở đầu"), "utf-8")
    builds.run()
    assert builds.assembled == 2
    builds.assert_clean(tmp_path)


def test_a_failed_build_leaves_no_half_patched_model(builds, tmp_path):
    append(builds.site.root / EDITED, "\nMột đoạn mới.\n")
    builds.site.write("content/tin-hoat-dong/hong.md", "---\ntitle: [\n---\n")
    with pytest.raises(BuildFailed):
        builds.run()
    assert builds.memory.model is None
    (builds.site.root / "content/tin-hoat-dong/hong.md").unlink()
    builds.run()
    assert builds.assembled == 2  # the failed build patched, this one assembles
    builds.assert_clean(tmp_path)


def test_a_body_edit_after_a_future_articles_time_assembles_the_site_again(builds, tmp_path):
    builds.site.write(
        "content/xay-dung-dang/sap-toi.md",
        article(title="Sắp tới", date="2026-12-02 08:00", section="xay-dung-dang"),
    )
    builds.run()
    assert builds.assembled == 2
    append(builds.site.root / EDITED, "\nMột đoạn mới.\n")
    later = NOW + dt.timedelta(days=2)
    builds.run(later)
    assert builds.assembled == 3
    builds.assert_clean(tmp_path, later)
    assert (builds.site.output / "xay-dung-dang/sap-toi/index.html").is_file()


def test_a_body_edit_in_a_portal_patches_the_kept_model(make_site, monkeypatch, tmp_path):
    files = {
        f"content/ban-{'ab'[n % 2]}/tin-hoat-dong/bai-{n}.md":
            article(title=f"Bài {n}", body=f"Mở đầu {n}.\n\nThân {n}.")
        for n in range(6)
    }  # fmt: skip
    builds = Builds(make_site(files, config=PORTAL), monkeypatch)
    builds.run()
    append(builds.site.root / "content/ban-b/tin-hoat-dong/bai-1.md", "\nĐoạn thêm.\n")
    builds.run()
    assert builds.assembled == 1
    builds.assert_clean(tmp_path)


def test_the_output_state_is_kept_until_another_build_writes_it(builds, monkeypatch, tmp_path):
    reads: list[int] = []
    real = write._read_packed

    def counting(path):
        reads.append(1)
        return real(path)

    monkeypatch.setattr(write, "_read_packed", counting)
    append(builds.site.root / EDITED, "\nĐoạn một.\n")
    builds.run()
    assert reads == []  # the state this process saved last
    append(builds.site.root / EDITED, "\nĐoạn hai.\n")
    build(BuildOptions(config_path=builds.site.root / "config.yaml", now=NOW))  # another build
    append(builds.site.root / EDITED, "\nĐoạn ba.\n")
    builds.run()
    assert len(reads) == 2  # the other build's, then this one's: the other replaced the file
    builds.assert_clean(tmp_path)


def test_a_body_edit_that_removes_a_file_a_writer_links_to_fails_as_a_clean_build(builds):
    """A body edit renames the search index's chunks whose words it changed (they are named
    by content): a writer's link to one of them breaks, and the patched build must say so."""
    chunks = sorted((builds.site.output / "search/t").iterdir())
    links = "\n".join(f"[Nội dung](../search/t/{path.name})" for path in chunks)  # no new word
    append(builds.site.root / "content/xay-dung-dang/bai-001.md", f"\n{links}\n")
    builds.run()  # every link reaches a file
    append(builds.site.root / EDITED, "\nTừ mới: kỳthúvôsong zyxwvu.\n")
    with pytest.raises(BuildFailed) as failed:
        builds.run()
    assert builds.assembled == 2  # the first edit added links: assembled; the second patched
    messages = [str(error) for error in failed.value.errors]
    assert messages and all("/search/t/" in m and "no such file" in m for m in messages)


def test_a_site_assembled_again_signs_again_the_search_documents_that_changed(
    make_site, monkeypatch, tmp_path
):
    """An author's name is the spelling most articles use: editing the newest articles'
    spelling changes the name in every article's search document, in every part of the
    index, though no other article's text changed. (The index folds case, so the output
    stays the same; the kept documents must still be told apart from the new ones.)"""

    def spelled(number: int, author: str) -> str:
        date = (dt.datetime(2026, 1, 1, 8) + dt.timedelta(hours=number)).strftime("%Y-%m-%d %H:%M")
        return article(title=f"Bài {number}", date=date, author=author, body=f"Thân bài {number}.")

    files = {f"content/tin-hoat-dong/bai-{n:03d}.md":
             spelled(n, "Lê Văn Minh" if n < 54 else "lê văn minh")
             for n in range(110)}  # fmt: skip
    builds = Builds(make_site(files), monkeypatch)
    builds.run()
    for number in (107, 108, 109):  # in the index's last part: the oldest documents come first
        builds.site.write(
            f"content/tin-hoat-dong/bai-{number:03d}.md", spelled(number, "Lê Văn Minh")
        )
    builds.run()
    assert builds.assembled == 2
    builds.assert_clean(tmp_path)
