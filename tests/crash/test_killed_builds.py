"""A killed build leaves the old output or the new one, never a mix; the next build cleans up.

Two ways to stop a build half-way: SIGKILL to the whole process group of a real
`python -m sitegen build` after a random delay (fixed seed), and, to reach every step
deterministically, an in-process build made to stop at its N-th change to the file system
(a rename, a link or a replace), for N across the whole run.
"""

from __future__ import annotations

import os
import pathlib
import random
import time
from pathlib import Path

import pytest

from sitegen import write
from sitegen.pipeline import BuildOptions, build
from tests.crash.conftest import (
    articles,
    clean_output,
    kill_group,
    make_project,
    timed_build,
)

ARTICLES = 400
ROUNDS = 8
VERSIONS = ("", " (bản sửa)")


def test_sigkill_at_random_moments_leaves_old_or_new_output(tmp_path):
    """Each round changes every article (so every page), starts a build and kills it."""
    project = make_project(tmp_path / "site", articles(ARTICLES, VERSIONS[0]))
    expected = []
    for number, version in enumerate(VERSIONS):
        project.write(articles(ARTICLES, version))
        expected.append(clean_output(project, tmp_path / f"clean-{number}"))
    assert expected[0] != expected[1]
    project.write(articles(ARTICLES, VERSIONS[0]))
    timed_build(project)
    assert project.files() == expected[0]
    project.write(articles(ARTICLES, VERSIONS[1]))
    full = timed_build(project)  # a rebuild changing every page: what each round starts
    assert project.files() == expected[1]

    shown, content = 1, 1  # the version the output shows, the one the content holds
    rng = random.Random(20260615)
    outcomes = []
    for _ in range(ROUNDS):
        content = 1 - shown  # every build has every page to change
        project.write(articles(ARTICLES, VERSIONS[content]))
        process = project.start()
        time.sleep(rng.uniform(0.05, full * 1.15))
        kill_group(process)
        files = project.files()
        assert files in (expected[shown], expected[content]), "the output mixes two builds"
        shown = 0 if files == expected[0] else 1
        outcomes.append((process.returncode, "new" if shown == content else "old"))
    # The next build needs no clean-up, and so does the one after it.
    for _ in range(2):
        result = project.build()
        assert result.returncode == 0, result.stderr
        assert project.files() == expected[content]
    print(f"full build {full:.2f} s; (exit status, output shown) per round: {outcomes}")
    assert any(code != 0 for code, _ in outcomes), f"no build was killed: {outcomes}"


class Crash(BaseException):
    """Stands for the process dying: nothing catches it, no clean-up code runs."""


def crash_after(monkeypatch: pytest.MonkeyPatch, limit: int | None) -> list[int]:
    """Make the N-th file system change (rename, replace, link, exchange) of a build raise Crash."""
    count = [0]

    def counted(function):
        def wrapper(*args, **kwargs):
            count[0] += 1
            if limit is not None and count[0] > limit:
                raise Crash(count[0])
            return function(*args, **kwargs)

        return wrapper

    # Python 3.10's Path methods call the os functions through an object that kept its own
    # references to them: count those calls too.
    accessor = getattr(pathlib, "_normal_accessor", None)
    for name in ("replace", "rename", "link", "unlink", "rmdir"):
        wrapped = counted(getattr(os, name))
        monkeypatch.setattr(os, name, wrapped)
        if hasattr(accessor, name):
            monkeypatch.setattr(accessor, name, wrapped)
    monkeypatch.setattr(write, "_exchange", counted(write._exchange))
    return count


def build_in_process(root: Path) -> None:
    build(BuildOptions(config_path=root / "config.yaml", jobs=1))


def test_stopping_at_every_file_system_step_leaves_old_or_new_output(tmp_path, monkeypatch):
    """Three versions in turn, each changing every page; the third also deletes an article,
    whose page must go. Taking turns, the spare tree always holds a version unlike the next,
    so each build does the whole work: write, link, remove, swap, save the state."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    project = make_project(tmp_path / "site", {})
    versions = [" (một)", " (hai)", " (ba)"]
    deleted = project.root / "content/tin-hoat-dong/bai-0000.md"

    def use(number: int) -> None:
        project.write(articles(24, versions[number % 3]))
        if number % 3 == 2:
            deleted.unlink()

    expected = []
    for number in range(3):
        use(number)
        expected.append(clean_output(project, tmp_path / f"clean-{number}"))
    for number in range(4):  # warm up: both trees and the cache in their usual state
        use(number)
        build_in_process(project.root)
        assert project.files() == expected[number % 3]
    use(4)
    with monkeypatch.context() as patch:
        steps = crash_after(patch, None)
        build_in_process(project.root)
    total = steps[0]
    assert project.files() == expected[4 % 3]

    points = sorted(
        set(range(0, total, max(1, total // 14))) | set(range(max(0, total - 4), total))
    )
    stopped = 0
    for turn, point in enumerate(points, start=5):
        old, new = expected[(turn - 1) % 3], expected[turn % 3]
        use(turn)
        with monkeypatch.context() as patch:
            crash_after(patch, point)
            try:
                build_in_process(project.root)
            except Crash:
                stopped += 1
        files = project.files()
        assert files in (old, new), f"a build stopped at step {point + 1} of {total} left a mix"
        build_in_process(project.root)
        assert project.files() == new, f"the build after a stop at step {point + 1} is not clean"
    assert stopped >= len(points) - 2, f"only {stopped} of {len(points)} builds were stopped"


def test_a_build_after_a_stopped_one_takes_nothing_the_stopped_one_left_in_the_spare_tree(
    tmp_path, monkeypatch
):
    """A build stopped just before its swap leaves the spare tree changed: a new article's
    page, listings that show it. The next build, of other sources, must take none of that
    for the spare tree's last manifest."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    project = make_project(tmp_path / "site", articles(24))
    for _ in range(2):  # both trees hold this version
        build_in_process(project.root)
    added = project.root / "content/tin-hoat-dong/bai-moi.md"
    added.write_text((project.root / "content/tin-hoat-dong/bai-0000.md").read_text("utf-8")
                     .replace("Bài viết số 0", "Bài mới nhất"), "utf-8")  # fmt: skip

    def stop(*args: object) -> bool:
        raise Crash("at the swap")

    with monkeypatch.context() as patch:
        patch.setattr(write, "_exchange", stop)
        with pytest.raises(Crash):
            build_in_process(project.root)
    added.unlink()
    edited = project.root / "content/xay-dung-dang/bai-0001.md"
    edited.write_text(edited.read_text("utf-8") + "\nMột đoạn mới.\n", "utf-8")
    build_in_process(project.root)
    assert project.files() == clean_output(project, tmp_path / "clean")


def test_a_build_stopped_just_after_its_swap_leaves_each_tree_known_for_what_it_holds(
    tmp_path, monkeypatch
):
    """Stopped right after the swap, the served tree holds the new version. If the saved
    state still called that tree by its old contents (two builds back), going back to that
    version would look already served, and the stopped build's pages would stay."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    project = make_project(tmp_path / "site", {})
    versions = [" (một)", " (hai)", " (ba)"]
    project.write(articles(24, versions[0]))
    first = clean_output(project, tmp_path / "clean")
    for version in versions[:2]:  # the spare tree holds the first, the served one the second
        project.write(articles(24, version))
        build_in_process(project.root)
    real_swap = write._swap

    def swap_then_stop(spare: Path, target: Path) -> None:
        real_swap(spare, target)
        raise Crash("just after the swap")

    project.write(articles(24, versions[2]))
    with monkeypatch.context() as patch:
        patch.setattr(write, "_swap", swap_then_stop)
        with pytest.raises(Crash):
            build_in_process(project.root)
    project.write(articles(24, versions[0]))
    build_in_process(project.root)
    assert project.files() == first
