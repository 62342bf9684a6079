"""A rebuild that reuses the cache and the previous output gives exactly what a clean build does."""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from sitegen.cache import CacheMemory
from sitegen.links import LinkChecker
from sitegen.pipeline import BuildOptions, build
from tests.conftest import Site, article

SECTIONS = ("tin-hoat-dong", "xay-dung-dang")


def many_articles(count: int) -> dict[str, str]:
    """Enough articles for the process pool to start (it does from 64 items up)."""
    files = {}
    for number in range(count):
        section = SECTIONS[number % 2]
        files[f"content/{section}/bai-{number:03d}.md"] = article(
            title=f"Bài viết số {number} về công tác cán bộ",
            date=f"2026-0{1 + number % 9}-{1 + number % 28:02d} 0{number % 10}:{number % 60:02d}",
            author=("Lê Văn Minh", "Nguyễn Thị Hoa", "Trần Quốc Đạt")[number % 3],
            section=section,
            tags=f"[chuyển đổi số, tag {number % 7}]",
            body=f"Đoạn mở đầu của bài {number}.\n\n## Mục một\n\nNội dung *chính* bài {number}.",
        )
    return files


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def clean_build(site: Site, tmp_path: Path, *args: str) -> dict[str, bytes]:
    """Every output file of a fresh copy of the site built without cache or previous output."""
    copy = Site(tmp_path / "clean-copy")
    shutil.rmtree(copy.root, ignore_errors=True)
    shutil.copytree(site.root, copy.root, ignore=shutil.ignore_patterns("public", ".*"))
    assert copy.build("--no-cache", *args) == 0
    return copy.files()


@pytest.fixture
def built(make_site):
    site = make_site(many_articles(80))
    assert site.build() == 0
    return site


def assert_rebuild_equals_clean(site: Site, tmp_path: Path) -> None:
    assert site.build() == 0
    assert site.files() == clean_build(site, tmp_path)


def test_cached_build_and_no_cache_build_are_byte_identical(built, tmp_path):
    cached = built.files()
    assert built.build("--no-cache") == 0
    assert built.files() == cached
    assert cached == clean_build(built, tmp_path)


def test_workers_storing_several_sources_at_once_give_the_one_process_output(make_site):
    """From 256 sources on, each pool item renders and stores four of them at once."""
    site = make_site(many_articles(260))
    assert site.build("--no-cache", "--jobs", "2") == 0
    two_jobs = site.files()
    assert site.build("--no-cache", "--jobs", "1") == 0
    assert site.files() == two_jobs
    assert len([path for path in two_jobs if path.startswith("tin-hoat-dong/bai-")]) == 130


def test_sources_are_read_ahead_by_a_thread_no_worker_is_forked_with(make_site, monkeypatch):
    """The read-ahead thread starts once the workers are forked (a thread running at a fork
    can leave a lock held in the child), and asks for every source."""
    site = make_site(many_articles(260))
    threads_at_forks: list[list[str]] = []
    asked: list[str] = []
    fork, fadvise = os.fork, os.posix_fadvise

    def recording_fork() -> int:
        threads_at_forks.append([thread.name for thread in threading.enumerate()])
        return fork()

    def recording_fadvise(descriptor: int, *args: int) -> None:
        asked.append(os.readlink(f"/proc/self/fd/{descriptor}"))
        fadvise(descriptor, *args)

    monkeypatch.setattr(os, "fork", recording_fork)
    monkeypatch.setattr(os, "posix_fadvise", recording_fadvise)
    assert site.build("--no-cache", "--jobs", "2") == 0
    assert threads_at_forks, "the sources were parsed without forking a worker"
    assert not [names for names in threads_at_forks if "sitegen read-ahead" in names]
    sources = sorted(str(path) for path in (site.root / "content").rglob("*.md"))
    assert sorted(asked) == sources
    assert "sitegen read-ahead" not in [thread.name for thread in threading.enumerate()]


def test_one_job_and_two_jobs_give_identical_output(built, tmp_path):
    two_jobs = built.files()
    assert built.build("--no-cache", "--jobs", "1") == 0
    assert built.files() == two_jobs
    assert built.build("--no-cache", "--jobs", "2") == 0
    assert built.files() == two_jobs


def test_editing_a_body_gives_the_clean_build(built, tmp_path):
    path = built.root / "content/tin-hoat-dong/bai-010.md"
    append(path, "\nMột câu mới.\n")
    assert_rebuild_equals_clean(built, tmp_path)


def test_editing_a_title_gives_the_clean_build(built, tmp_path):
    path = built.root / "content/tin-hoat-dong/bai-010.md"
    text = path.read_text(encoding="utf-8").replace("Bài viết số 10 về", "Tiêu đề mới cho bài", 1)
    path.write_text(text, encoding="utf-8")
    assert_rebuild_equals_clean(built, tmp_path)
    titles = [
        a.get_text() for a in built.html("/tin-hoat-dong/page/2/").select("li.card .card-title a")
    ]
    titles += [a.get_text() for a in built.html("/tin-hoat-dong/").select("li.card .card-title a")]
    assert "Tiêu đề mới cho bài công tác cán bộ" in titles


def test_adding_an_article_gives_the_clean_build(built, tmp_path):
    newest = article(title="Bài mới nhất", date="2026-11-01 09:00", section="xay-dung-dang")
    built.write("content/xay-dung-dang/moi.md", newest)
    assert_rebuild_equals_clean(built, tmp_path)
    assert (built.output / "xay-dung-dang/bai-moi-nhat/index.html").is_file()


def test_deleting_an_article_gives_the_clean_build(built, tmp_path):
    (built.root / "content/tin-hoat-dong/bai-010.md").unlink()
    assert_rebuild_equals_clean(built, tmp_path)
    assert not (built.output / "tin-hoat-dong/bai-viet-so-10-ve-cong-tac-can-bo").exists()


def test_renaming_an_article_file_gives_the_clean_build(built, tmp_path):
    source = built.root / "content/tin-hoat-dong/bai-010.md"
    source.rename(source.with_name("bai-muoi.md"))
    assert_rebuild_equals_clean(built, tmp_path)


def test_changing_a_layout_gives_the_clean_build(built, tmp_path):
    built.write(
        "layouts/partials/footer.html",
        '<footer class="site-footer"><p>Chân trang mới</p></footer>\n',
    )
    assert_rebuild_equals_clean(built, tmp_path)
    assert built.html("/").select_one("footer.site-footer p").get_text() == "Chân trang mới"


def test_changing_config_gives_the_clean_build(built, tmp_path):
    config = built.root / "config.yaml"
    append(config, "related_count: 3\nper_page: 7\n")
    assert_rebuild_equals_clean(built, tmp_path)
    assert len(built.html("/tin-hoat-dong/").select("li.card")) == 7


def test_several_rebuilds_in_a_row_stay_equal_to_clean_builds(built, tmp_path):
    """The two output trees take turns; each turn must be exact."""
    path = built.root / "content/xay-dung-dang/bai-011.md"
    for round_number in range(3):
        append(path, f"\nLần sửa {round_number}.\n")
        assert_rebuild_equals_clean(built, tmp_path)


def test_corrupt_cache_is_rebuilt_with_a_warning(built, tmp_path, capsys):
    index = built.root / ".sitegen-cache/index.pickle"
    index.write_bytes(index.read_bytes()[:100])
    capsys.readouterr()
    assert built.build() == 0
    assert "cache could not be read" in capsys.readouterr().err
    assert built.files() == clean_build(built, tmp_path)


def test_editing_a_body_re_renders_only_that_articles_page(make_site, capsys):
    """Listings and related lists show the lead, not the body: they are not rendered again."""
    files = many_articles(20)
    newest = "content/tin-hoat-dong/moi-nhat.md"
    files[newest] = article(title="Bài mới nhất", date="2026-12-01 08:00", summary="Tóm tắt riêng.",
                            body="Đoạn một.\n\nĐoạn hai.")  # fmt: skip
    site = make_site(files)
    assert site.build() == 0
    path = site.root / newest
    append(path, "\nĐoạn ba mới.\n")
    capsys.readouterr()
    assert site.build() == 0
    assert "(1 rendered)" in capsys.readouterr().out
    body = site.html("/tin-hoat-dong/bai-moi-nhat/").select_one(".article-body").get_text()
    assert "Đoạn ba mới." in body


def test_a_kept_index_serves_later_builds_and_yields_to_another_builds_save(built, tmp_path):
    """The dev server keeps the cache index in memory between its builds; a `sitegen build`
    run meanwhile saves a newer index, which the server's next build must read instead."""
    options = BuildOptions(config_path=built.root / "config.yaml")
    memory = CacheMemory()
    build(options, memory)
    kept = memory.index
    assert kept is not None and len(kept.records) == 80
    path = built.root / "content/tin-hoat-dong/bai-010.md"
    append(path, "\nMột câu mới.\n")
    assert build(options, memory).rendered == 1
    assert memory.index is not kept  # the new index, saved and kept
    assert built.files() == clean_build(built, tmp_path)

    other = built.root / "content/xay-dung-dang/bai-011.md"
    append(other, "\nLần sửa.\n")
    assert built.build() == 0  # another process's build: the kept index is now stale
    before = memory.index
    append(path, "\nCâu nữa.\n")
    assert build(options, memory).rendered == 1  # bai-011 came from the saved index
    assert memory.index is not before
    assert built.files() == clean_build(built, tmp_path)


def _tree(folder: Path) -> dict[str, int]:
    """Output path -> inode of every file under `folder` but sitegen's marker."""
    return {
        path.relative_to(folder).as_posix(): path.stat().st_ino
        for path in folder.rglob("*")
        if path.is_file() and path.name != ".sitegen-output"
    }


@pytest.fixture
def outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)


def test_a_first_build_with_the_cache_prepares_the_spare_tree(outside_ci, make_site, tmp_path):
    """Built into a missing output folder, the site's files are linked into the spare tree
    too, so that the first rebuild does not have to make every folder and link itself."""
    built = make_site(many_articles(80))
    assert built.build() == 0
    spare = built.root / ".public.sitegen/spare"
    assert _tree(spare) == _tree(built.output)  # the same files, hard links of one another
    assert not (built.root / ".public.sitegen/mirror").exists()
    path = built.root / "content/tin-hoat-dong/bai-010.md"
    append(path, "\nMột câu mới.\n")
    assert_rebuild_equals_clean(built, tmp_path)


def test_a_first_build_without_the_cache_prepares_no_spare_tree(outside_ci, make_site):
    site = make_site(many_articles(70))
    assert site.build("--no-cache") == 0
    assert _tree(site.root / ".public.sitegen/spare") == {}


def test_a_first_build_in_ci_prepares_no_spare_tree(make_site, monkeypatch):
    """No rebuild follows a CI build: it does not pay for one."""
    monkeypatch.setenv("CI", "true")
    site = make_site(many_articles(70))
    assert site.build() == 0
    assert _tree(site.root / ".public.sitegen/spare") == {}


@pytest.fixture
def scanned_pages(monkeypatch):
    """From its call on, the output paths of the pages the link check scans (an in-process
    build with --jobs 1 scans in this process)."""

    def start() -> list[str]:
        scanned: list[str] = []
        original = LinkChecker.scan_page

        def counting(self, output_path, page_path, data):
            scanned.append(output_path)
            return original(self, output_path, page_path, data)

        monkeypatch.setattr(LinkChecker, "scan_page", counting)
        return scanned

    return start


def _broken_link_warnings(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if "broken link" in line]


def test_a_new_article_fixes_a_link_to_it_without_scanning_every_page_again(
    built, capsys, scanned_pages
):
    """Adding pages keeps the link scans of unchanged pages, but scans again a page whose
    broken link the new page may fix."""
    waiting = built.root / "content/tin-hoat-dong/bai-010.md"
    append(waiting, "\nXem [bài sắp có](/xay-dung-dang/bai-moi-nhat/).\n")
    capsys.readouterr()
    assert built.build() == 0
    assert len(_broken_link_warnings(capsys)) == 1

    scanned = scanned_pages()
    newest = article(title="Bài mới nhất", date="2026-11-01 09:00", section="xay-dung-dang")
    built.write("content/xay-dung-dang/moi.md", newest)
    result = build(BuildOptions(config_path=built.root / "config.yaml", jobs=1))
    assert result.warnings == []
    # The pages rendered again (those listing the new article) and the one with the broken link.
    assert "tin-hoat-dong/bai-viet-so-10-ve-cong-tac-can-bo/index.html" in scanned
    assert len(scanned) == result.rendered + 1 < result.pages  # the others kept their scans


def test_a_deleted_article_breaks_a_link_to_it_on_unchanged_pages(built, capsys):
    linking = built.root / "content/tin-hoat-dong/bai-010.md"
    append(linking, "\nXem [bài cũ](/xay-dung-dang/bai-viet-so-11-ve-cong-tac-can-bo/).\n")
    assert built.build() == 0
    capsys.readouterr()
    (built.root / "content/xay-dung-dang/bai-011.md").unlink()
    assert built.build() == 0
    warnings = _broken_link_warnings(capsys)
    assert any("/xay-dung-dang/bai-viet-so-11-ve-cong-tac-can-bo/" in line for line in warnings)


def test_a_cache_from_another_version_is_rebuilt_without_a_warning(built, tmp_path, capsys):
    index_path = built.root / ".sitegen-cache/index.pickle"
    index = pickle.loads(index_path.read_bytes())
    index.format = "sitegen-cache 0 0.0.1 0000"
    index_path.write_bytes(pickle.dumps(index))
    capsys.readouterr()
    assert built.build() == 0
    assert capsys.readouterr().err == ""
    assert built.files() == clean_build(built, tmp_path)
    assert pickle.loads(index_path.read_bytes()).format != "sitegen-cache 0 0.0.1 0000"


def test_a_moved_article_rescans_only_the_pages_that_link_to_its_old_address(
    built, capsys, scanned_pages
):
    """A new title without a `slug:` moves the article: links to the old address break, on
    pages that are not rendered again too; the other pages keep their scans."""
    linking = built.root / "content/tin-hoat-dong/bai-010.md"
    old_url = "/xay-dung-dang/bai-viet-so-11-ve-cong-tac-can-bo/"
    append(linking, f"\nXem [bài cũ]({old_url}).\n")
    assert built.build() == 0
    capsys.readouterr()
    scanned = scanned_pages()
    moved = built.root / "content/xay-dung-dang/bai-011.md"
    moved.write_text(
        moved.read_text(encoding="utf-8").replace("Bài viết số 11 về", "Bài số mười một về", 1),
        encoding="utf-8",
    )
    result = build(BuildOptions(config_path=built.root / "config.yaml", jobs=1))
    assert [w.href for w in result.warnings] == [old_url]
    assert "tin-hoat-dong/bai-viet-so-10-ve-cong-tac-can-bo/index.html" in scanned
    assert result.rendered < len(scanned) < result.pages


def test_an_edit_writes_the_changes_to_the_index_not_the_whole_index(built, tmp_path):
    cache = built.root / ".sitegen-cache"
    base = (cache / "index.pickle").stat()
    for number in range(3):  # each build's changes are folded into the one delta file
        append(built.root / f"content/tin-hoat-dong/bai-00{2 * number}.md", f"\nSửa {number}.\n")
        assert_rebuild_equals_clean(built, tmp_path)
        assert (cache / "index.pickle").stat().st_mtime_ns == base.st_mtime_ns  # not written
        assert (cache / "index.delta.pickle").stat().st_size < base.st_size / 5
    for path in sorted((built.root / "content").rglob("*.md")):  # every article changed:
        append(path, "\nSửa mọi bài.\n")  # the index is written whole, and the delta goes
    assert_rebuild_equals_clean(built, tmp_path)
    assert (cache / "index.pickle").stat().st_mtime_ns != base.st_mtime_ns
    assert not (cache / "index.delta.pickle").exists()


def test_an_edit_that_renames_index_chunks_writes_only_the_new_names(built, tmp_path):
    """The search index names its chunks by their content: an edit that adds a word renames
    a few files, and the cache records those, not every output path again."""
    cache = built.root / ".sitegen-cache"
    chunks = {p.name for p in (built.root / "public/search/t").iterdir()}
    base = (cache / "index.pickle").stat()
    append(built.root / "content/tin-hoat-dong/bai-004.md", "\nMột từ mới: khởi nghiệp.\n")
    assert_rebuild_equals_clean(built, tmp_path)
    renamed = chunks ^ {p.name for p in (built.root / "public/search/t").iterdir()}
    assert 0 < len(renamed) < len(chunks)
    assert (cache / "index.pickle").stat().st_mtime_ns == base.st_mtime_ns
    assert (cache / "index.delta.pickle").stat().st_size < base.st_size / 20


def test_a_delta_of_another_index_is_not_applied(built, tmp_path):
    cache = built.root / ".sitegen-cache"
    append(built.root / "content/tin-hoat-dong/bai-000.md", "\nSửa.\n")
    assert built.build() == 0
    other = (cache / "index.delta.pickle").read_bytes()
    delta = pickle.loads(other)
    delta.base = (0, 0, 0, 0)  # as if made for an index since replaced
    (cache / "index.delta.pickle").write_bytes(pickle.dumps(delta))
    append(built.root / "content/tin-hoat-dong/bai-002.md", "\nSửa nữa.\n")
    assert_rebuild_equals_clean(built, tmp_path)
    (cache / "index.delta.pickle").write_bytes(other[:50])  # cut short: ignored as well
    append(built.root / "content/tin-hoat-dong/bai-004.md", "\nSửa lần ba.\n")
    assert_rebuild_equals_clean(built, tmp_path)


CONNECT = sqlite3.connect  # as another program opens the store: untraced


def traced_queries(monkeypatch: pytest.MonkeyPatch, needle: str) -> list[str]:
    """The statements holding `needle` that the builds of this test run on the store."""
    seen: list[str] = []

    def traced(*args, **kwargs):
        connection = CONNECT(*args, **kwargs)
        connection.set_trace_callback(lambda sql: needle in sql and seen.append(sql))
        return connection

    monkeypatch.setattr(sqlite3, "connect", traced)
    return seen


def test_the_store_is_checked_again_only_when_it_changed_since_the_last_build(built, monkeypatch):
    """SQLite's quick_check reads the whole HTML store: after a build that let go of it
    cleanly, the next build skips it; a store written since (a crash, another program) is
    checked."""
    checks = traced_queries(monkeypatch, "quick_check")
    append(built.root / "content/tin-hoat-dong/bai-000.md", "\nSửa.\n")
    assert built.build("--jobs", "1") == 0
    assert checks == []
    store = built.root / ".sitegen-cache/html.sqlite"
    with CONNECT(store) as db:  # another program writes the store
        db.execute("INSERT INTO html VALUES ('x', x'00', x'00', NULL)")
    assert built.build("--jobs", "1") == 0
    assert len(checks) == 1


def test_a_process_that_builds_again_takes_the_stores_keys_from_memory(built, monkeypatch,
                                                                       tmp_path):  # fmt: skip
    """Listing the store's keys costs a query over every article: the dev server keeps them
    from its last build while the store keeps that build's stamp."""
    listed = traced_queries(monkeypatch, "SELECT key")
    options, memory = BuildOptions(config_path=built.root / "config.yaml"), CacheMemory()
    build(options, memory)
    append(built.root / "content/tin-hoat-dong/bai-000.md", "\nSửa một.\n")
    listed.clear()
    build(options, memory)
    assert listed == []
    store = built.root / ".sitegen-cache/html.sqlite"
    with CONNECT(store) as db:  # another program drops an unchanged article's HTML
        found = "SELECT key FROM html WHERE instr(content, ?) > 0"
        (key,) = db.execute(found, ("bài 7.</p>".encode(),)).fetchone()
        db.execute("DELETE FROM html WHERE key = ?", (key,))
    append(built.root / "content/tin-hoat-dong/bai-000.md", "\nSửa hai.\n")
    listed.clear()
    build(options, memory)
    assert len(listed) == 1
    assert built.files() == clean_build(built, tmp_path)


def test_a_process_that_builds_again_sees_a_deleted_article_break_an_unchanged_pages_link(built):
    """The dev server keeps the paths that its pages' links reach, to skip looking through
    every page when none reaches a removed path: one that does must be scanned again."""
    linking = built.root / "content/tin-hoat-dong/bai-010.md"
    append(linking, "\nXem [bài cũ](/xay-dung-dang/bai-viet-so-11-ve-cong-tac-can-bo/).\n")
    options, memory = BuildOptions(config_path=built.root / "config.yaml"), CacheMemory()
    build(options, memory)
    append(built.root / "content/tin-hoat-dong/bai-000.md", "\nSửa.\n")
    assert build(options, memory).warnings == []
    (built.root / "content/xay-dung-dang/bai-011.md").unlink()
    warnings = [str(w) for w in build(options, memory).warnings]
    assert any("'/xay-dung-dang/bai-viet-so-11-ve-cong-tac-can-bo/'" in w for w in warnings)
