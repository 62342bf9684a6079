"""Two builds of one site started together: both succeed, and the output is a clean build's.

The lock in the output's home folder (`.public.sitegen/lock`) makes the second build wait
before it touches the spare tree; the cache (SQLite with a timeout, an index replaced
atomically) is shared safely.
"""

from __future__ import annotations

from tests.crash.conftest import articles, clean_output, make_project


def run_together(project, count: int = 2) -> list:
    processes = [project.start() for _ in range(count)]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        results.append((process.returncode, err.decode("utf-8", "replace")))
    return results


def test_two_first_builds_started_together_both_succeed(tmp_path):
    project = make_project(tmp_path / "site", articles(150))
    for code, err in run_together(project):
        assert code == 0, err
        assert "warning" not in err, err
    assert project.files() == clean_output(project, tmp_path / "clean")


def test_three_rebuilds_after_a_change_started_together_all_succeed(tmp_path):
    project = make_project(tmp_path / "site", articles(150))
    assert project.build().returncode == 0
    project.write(articles(150, " (bản sửa)"))
    (project.root / "content/xay-dung-dang/bai-0001.md").unlink()
    for code, err in run_together(project, 3):
        assert code == 0, err
    assert project.files() == clean_output(project, tmp_path / "clean")
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "0 files written" in result.stdout
    assert project.files() == clean_output(project, tmp_path / "clean")


def test_a_build_and_a_check_started_together_both_succeed(tmp_path):
    project = make_project(tmp_path / "site", articles(150))
    build = project.start()
    check = project.start_command("check")
    for process in (build, check):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
    assert project.files() == clean_output(project, tmp_path / "clean")
