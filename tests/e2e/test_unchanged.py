"""A build with nothing changed answers from the last one without opening the cache or
reading an article (sitegen/unchanged.py); anything that changes what a build would write
makes it build, and its output is then the clean build's."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sitegen import stages, unchanged, write
from sitegen.pipeline import BuildOptions, BuildResult, build
from tests.conftest import Site, article

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
FILES = {
    "content/tin-hoat-dong/hoi-nghi.md": article(title="Hội nghị", date="2026-05-20 08:00",
                                                 body="Xem [bài cũ](/khong-co/)."),
    "content/tin-hoat-dong/sap-toi.md": article(title="Sắp tới", date="2026-06-10 08:00"),
    "content/xay-dung-dang/nhap.md": article(title="Bản nháp", section="xay-dung-dang",
                                             draft="true"),
    "static/logo.txt": "logo",
}  # fmt: skip


@pytest.fixture
def site(make_site, monkeypatch) -> Site:
    # Files written just before a build count as older than it (else, for 2 s, none does).
    monkeypatch.setattr(unchanged, "_RACY_NS", 0)
    site = make_site(FILES)
    assert run(site).rendered > 0
    return site


@pytest.fixture
def opened(monkeypatch) -> list[int]:
    """How many builds opened the cache, which a build with nothing to do never does."""
    calls: list[int] = []
    real = stages.BuildCache

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(stages, "BuildCache", counting)
    return calls


def run(site: Site, now: dt.datetime = NOW, **options: object) -> BuildResult:
    return build(BuildOptions(config_path=site.root / "config.yaml", now=now, **options))


def snapshot(site: Site) -> dict[str, tuple[int, int]]:
    return {p.relative_to(site.output).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in site.output.rglob("*") if p.is_file()}  # fmt: skip


def clean(site: Site, tmp_path: Path) -> dict[str, bytes]:
    """The output of a clean build of a copy of the site, at the same time."""
    copy = Site(tmp_path / "clean-copy")
    shutil.rmtree(copy.root, ignore_errors=True)
    shutil.copytree(site.root, copy.root, ignore=shutil.ignore_patterns("public", ".*"))
    run(copy, use_cache=False)
    return copy.files()


def test_a_build_with_nothing_changed_reads_and_writes_nothing(site, opened, tmp_path):
    before = snapshot(site)
    again = run(site)
    assert opened == []
    full = run(site, use_cache=False, output=tmp_path / "elsewhere")
    assert (again.pages, again.rendered, again.files_written) == (full.pages, 0, 0)
    assert again.files_kept == full.files_written
    assert snapshot(site) == before
    assert [str(w) for w in again.warnings] == [str(w) for w in full.warnings]
    assert any("/khong-co/" in str(w) for w in again.warnings)  # still reported


def test_a_build_with_nothing_to_do_does_not_load_the_renderer(site):
    """Jinja, Markdown, Pygments and Pillow take a third of a second to import: a build that
    answers from the last one needs none of them (stages.py imports them)."""
    code = textwrap.dedent(f"""
        import datetime as dt, sys
        from pathlib import Path
        from sitegen import unchanged
        from sitegen.pipeline import BuildOptions, build
        unchanged._RACY_NS = 0
        options = BuildOptions(config_path=Path({str(site.root / "config.yaml")!r}),
                               now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
        result = build(options)
        heavy = ("jinja2", "markdown", "pygments", "PIL", "sitegen.stages")
        print(result.rendered, result.files_written, *[m for m in heavy if m in sys.modules])
    """)
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True)  # fmt: skip
    assert shown.stdout.split() == ["0", "0"]


def edit_body(site: Site) -> None:
    path = site.root / "content/tin-hoat-dong/hoi-nghi.md"
    path.write_text(path.read_text(encoding="utf-8").replace("cũ", "mớ"), encoding="utf-8")


CHANGES = {
    "a body, same size": edit_body,
    "a new article": lambda site: site.write("content/xay-dung-dang/moi.md",
                                             article(title="Mới", section="xay-dung-dang")),
    "an article deleted": lambda site: (site.root / "content/tin-hoat-dong/hoi-nghi.md").unlink(),
    "a static file": lambda site: site.write("static/logo.txt", "LOGO"),
    "a new layout": lambda site: site.write("layouts/partials/footer.html", "<footer>F</footer>"),
    "the config": lambda site: site.write(
        "config.yaml", (site.root / "config.yaml").read_text().replace("Ban Tổ chức", "Ban")),
}  # fmt: skip


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_changed_input_is_built(site, opened, tmp_path, change):
    CHANGES[change](site)
    run(site)
    assert opened == [1]
    assert site.files() == clean(site, tmp_path)


@pytest.mark.parametrize("option", [{"drafts": True}, {"base_url": "https://other.example/"}])
def test_other_options_are_built(site, opened, option):
    assert run(site, **option).rendered > 0
    assert opened == [1]


def test_a_future_article_is_published_when_its_time_comes(site, opened):
    run(site, now=NOW + dt.timedelta(days=8))
    assert opened == []  # 2026-06-09: still before it
    run(site, now=NOW + dt.timedelta(days=10))
    assert opened == [1]
    assert (site.output / "tin-hoat-dong/sap-toi/index.html").is_file()


def test_a_clock_set_back_before_the_newest_article_is_built(site, opened):
    run(site, now=NOW - dt.timedelta(days=30))
    assert opened == [1]
    assert not (site.output / "tin-hoat-dong/hoi-nghi/index.html").exists()


def test_a_deleted_output_file_is_written_again(site, opened):
    (site.output / "index.html").unlink()
    run(site)
    assert opened == [1]
    assert (site.output / "index.html").is_file()


@pytest.fixture(params=["forked", "in this process"])
def checked(request, monkeypatch) -> list[int]:
    """The served tree checked in a child process (pipeline.py forks one while it looks at
    the inputs), or where it cannot fork (more than one thread), in this one; the children
    forked to check."""
    forks: list[int] = []
    real_fork = os.fork

    def counting_fork() -> int:
        child = real_fork()
        if child:
            forks.append(child)
        return child

    monkeypatch.setattr(unchanged.os, "fork", counting_fork)
    threads = 1 if request.param == "forked" else 2
    monkeypatch.setattr(unchanged.threading, "active_count", lambda: threads)
    return forks


def test_the_served_tree_is_checked_whole(site, opened, checked):
    forked = 1 if unchanged.threading.active_count() == 1 else 0
    assert run(site).files_written == 0
    assert opened == []
    (site.output / "tin-hoat-dong/hoi-nghi/index.html").unlink()
    run(site)
    assert opened == [1]
    assert (site.output / "tin-hoat-dong/hoi-nghi/index.html").is_file()
    assert len(checked) == 2 * forked


def test_a_tree_committed_during_the_check_is_not_trusted(site):
    """The child read the manifest of the tree that another build has since replaced."""
    check = unchanged.TreeCheck(site.output.resolve(), fork=True)
    state = site.root / ".public.sitegen/state.pickle"
    state.write_bytes(state.read_bytes())  # written again, as by a commit: a new stamp
    assert not check.whole()
    assert unchanged.TreeCheck(site.output.resolve(), fork=True).whole()


def test_the_check_of_the_served_tree_writes_nothing(site):
    """A child stopped halfway must leave nothing behind: a spare tree it made again could get
    the deleted one's inode, and with it that tree's manifest."""
    home = site.root / ".public.sitegen"
    shutil.rmtree(home / "spare")
    before = sorted(p.relative_to(home) for p in home.rglob("*"))
    assert write.served_tree_whole(site.output)
    assert sorted(p.relative_to(home) for p in home.rglob("*")) == before
    (site.output / "404.html").unlink()
    assert not write.served_tree_whole(site.output)


def test_a_process_that_ignores_its_children_checks_the_served_tree_itself(site):
    """With SIGCHLD ignored (as some service managers start processes), the child is reaped
    unseen and its answer lost: the build checks the tree in its own process."""
    code = textwrap.dedent(f"""
        import datetime as dt, signal
        from pathlib import Path
        from sitegen import unchanged
        from sitegen.pipeline import BuildOptions, build
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)
        unchanged._RACY_NS = 0
        options = BuildOptions(config_path=Path({str(site.root / "config.yaml")!r}),
                               now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
        print(*build(options).timings)
        (Path({str(site.output)!r}) / "index.html").unlink()
        print(*build(options).timings)
    """)
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True)  # fmt: skip
    answered, built = shown.stdout.splitlines()
    assert answered == "discover and nothing changed"
    assert built.startswith("discover parse")
    assert (site.output / "index.html").is_file()


def test_a_check_not_waited_for_leaves_no_process(site):
    check = unchanged.TreeCheck(site.output.resolve(), fork=True)
    child = check._child
    assert child
    check.close()
    with pytest.raises(ChildProcessError):  # reaped: no zombie left behind
        os.waitpid(child, os.WNOHANG)


def test_an_output_written_by_another_build_is_built_again(site, opened, tmp_path):
    assert site.build("--no-cache", "--base-url", "https://other.example/") == 0
    opened.clear()
    run(site)
    assert opened == [1]
    assert site.files() == clean(site, tmp_path)


def test_a_file_changed_just_before_the_last_build_is_not_trusted(site, opened, monkeypatch):
    """Its stamp could stay the same through a second change in the same clock tick."""
    monkeypatch.setattr(unchanged, "_RACY_NS", 2_000_000_000)
    edit_body(site)
    run(site)
    run(site)
    assert opened == [1, 1]
    os.utime(site.root / "content/tin-hoat-dong/hoi-nghi.md", ns=(0, 0))  # ctime stays new
    run(site)
    assert opened == [1, 1, 1]
