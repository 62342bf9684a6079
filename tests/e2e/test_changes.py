"""A build told which files changed since the last build of its process, as the dev server's
watcher tells it (sitegen/changes.py), looks only at those when they are sources it knew,
and at every file otherwise; either way the output is the clean build's, byte for byte."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from sitegen import pipeline, unchanged
from sitegen.cache import BuildCache, CacheMemory
from sitegen.errors import BuildFailed
from sitegen.pipeline import BuildOptions, build
from tests.conftest import Site, article
from tests.e2e.test_incremental import append, clean_build, many_articles

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
EDITED = "content/tin-hoat-dong/bai-004.md"
PAGE = "/tin-hoat-dong/bai-viet-so-4-ve-cong-tac-can-bo/"


class Watched:
    """Builds of one site in one process, each told what changed; counts the looks at every
    file of content/ and the sources whose stamps were compared with the cache's."""

    def __init__(self, site: Site, monkeypatch: pytest.MonkeyPatch):
        self.site, self.memory = site, CacheMemory()
        self.looks, self.compared = 0, []
        real_discover, real_known = pipeline.discover_content, BuildCache.known_key

        def discover(*args, **kwargs):
            self.looks += 1
            return real_discover(*args, **kwargs)

        def known_key(cache, settings, source_path, stamp):
            self.compared.append(source_path)
            return real_known(cache, settings, source_path, stamp)

        monkeypatch.setattr(pipeline, "discover_content", discover)
        monkeypatch.setattr(BuildCache, "known_key", known_key)

    def first(self) -> None:
        """The first build, which no watcher can tell anything."""
        build(BuildOptions(config_path=self.site.root / "config.yaml", now=NOW), self.memory)

    def run(self, *changes: str) -> None:
        self.compared.clear()
        options = BuildOptions(config_path=self.site.root / "config.yaml", now=NOW)
        build(options, self.memory, list(changes))


@pytest.fixture
def watched(make_site, monkeypatch) -> Watched:
    watched = Watched(make_site(many_articles(70)), monkeypatch)
    watched.first()
    assert watched.looks == 1
    return watched


def test_a_watched_body_edit_looks_at_the_edited_source_alone(watched, tmp_path):
    for number in range(2):
        append(watched.site.root / EDITED, f"\nĐoạn thêm số {number} ở cuối bài.\n")
        watched.run(EDITED)
        assert watched.looks == 1
        assert watched.compared == ["tin-hoat-dong/bai-004.md"]
    assert watched.site.html(PAGE).find("p", string="Đoạn thêm số 1 ở cuối bài.") is not None
    assert watched.site.files() == clean_build(watched.site, tmp_path)


def test_a_watched_title_edit_assembles_the_site_from_the_patched_look(watched, tmp_path):
    path = watched.site.root / EDITED
    path.write_text(path.read_text("utf-8").replace("title: ", "title: Mới - ", 1), "utf-8")
    watched.run(EDITED)
    assert watched.looks == 1
    page = watched.site.html("/tin-hoat-dong/moi-bai-viet-so-4-ve-cong-tac-can-bo/")
    assert page.find("h1").get_text(strip=True).startswith("Mới - ")
    assert watched.site.files() == clean_build(watched.site, tmp_path)


def _new_article(site: Site) -> str:
    site.write("content/tin-hoat-dong/moi.md", article(title="Bài mới", body="Mới."))
    return "content/tin-hoat-dong/moi.md"


def _deleted(site: Site) -> str:
    (site.root / EDITED).unlink()
    return EDITED


def _layout(site: Site) -> str:
    site.write("layouts/partials/footer.html", '<footer class="site-footer">Chân</footer>\n')
    return "layouts/partials/footer.html"


def _config(site: Site) -> str:
    append(site.root / "config.yaml", "per_page: 3\n")
    return "config.yaml"


def _asset(site: Site) -> str:
    site.write("content/tin-hoat-dong/ghi-chu.txt", "Ghi chú")
    return "content/tin-hoat-dong/ghi-chu.txt"


@pytest.mark.parametrize("change", [_new_article, _deleted, _layout, _config, _asset])
def test_any_other_change_looks_at_every_file(watched, tmp_path, change):
    append(watched.site.root / "content/xay-dung-dang/bai-001.md", "\nĐoạn thêm.\n")
    watched.run("content/xay-dung-dang/bai-001.md", change(watched.site))
    assert watched.looks == 2
    assert watched.site.files() == clean_build(watched.site, tmp_path)


def test_a_look_that_met_a_symlink_is_never_patched(make_site, monkeypatch, tmp_path):
    """The target of a link can lie where no watcher looks: edits to it must still show."""
    files = many_articles(8)
    files["chung/bai-chung.md"] = article(title="Bài dùng chung", body="Bản đầu.")
    site = make_site(files)
    os.symlink("../../chung/bai-chung.md", site.root / "content/tin-hoat-dong/bai-chung.md")
    watched = Watched(site, monkeypatch)
    watched.first()
    append(site.root / "chung/bai-chung.md", "\nBản sửa, ngoài content/.\n")
    append(site.root / EDITED, "\nĐoạn thêm.\n")
    watched.run(EDITED)
    assert watched.looks == 2
    assert watched.site.files() == clean_build(watched.site, tmp_path)


def test_a_failed_watched_build_and_its_fix_give_the_clean_build(watched, tmp_path):
    path = watched.site.root / EDITED
    text = path.read_text("utf-8")
    path.write_text(text.replace("title: ", "title: [", 1), "utf-8")
    with pytest.raises(BuildFailed):
        watched.run(EDITED)
    path.write_text(text + "\nĐã sửa.\n", "utf-8")
    watched.run(EDITED)
    assert watched.looks == 1
    assert watched.site.files() == clean_build(watched.site, tmp_path)


def test_another_builds_save_is_not_taken_for_this_processs_own(watched, monkeypatch, tmp_path):
    """A `sitegen build` between two watched builds saved its cache: the next watched build
    must not take the records it kept from before that as the current ones."""
    monkeypatch.setattr(unchanged, "_RACY_NS", 0)  # the next build finds nothing changed
    append(watched.site.root / EDITED, "\nSửa trong lúc dev server chạy.\n")
    build(BuildOptions(config_path=watched.site.root / "config.yaml", now=NOW))
    watched.run(EDITED)
    append(watched.site.root / "content/xay-dung-dang/bai-001.md", "\nĐoạn thêm.\n")
    watched.run("content/xay-dung-dang/bai-001.md")
    assert watched.site.html(PAGE).find("p", string="Sửa trong lúc dev server chạy.") is not None
    assert watched.site.files() == clean_build(watched.site, tmp_path)


def test_a_watched_build_still_reports_the_warnings_of_the_sources_it_did_not_read(
    watched, tmp_path
):
    """The warnings of a build are every source's (the next `sitegen build` with nothing
    changed repeats them), not only the edited ones'."""
    path = watched.site.root / "content/xay-dung-dang/bai-001.md"
    path.write_text(path.read_text("utf-8").replace("title: ", "tieu_de: x\ntitle: ", 1), "utf-8")
    watched.run("content/xay-dung-dang/bai-001.md")
    append(watched.site.root / EDITED, "\nĐoạn thêm.\n")
    options = BuildOptions(config_path=watched.site.root / "config.yaml", now=NOW)
    result = build(options, watched.memory, [EDITED])
    assert watched.looks == 1
    assert [str(w) for w in result.warnings if "tieu_de" in str(w)] == [
        "content/xay-dung-dang/bai-001.md:2: unknown field 'tieu_de': kept as page.params.tieu_de"
    ]
