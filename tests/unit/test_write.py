from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from sitegen import write
from sitegen.config import output_folder_problem
from sitegen.discover import Asset
from sitegen.errors import OutputFolderError
from sitegen.model import OutputFile
from sitegen.write import (
    MARKER,
    OutputTrees,
    check_output_folder,
    served_tree_whole,
    write_site,
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for folder in ("content", "layouts", "static"):
        (root / folder).mkdir(parents=True)
    (root / "content" / "a.md").write_text("---\n", encoding="utf-8")
    return root


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def pages(files: dict[str, bytes]) -> list[OutputFile]:
    return [OutputFile(name, data, f"test {name}") for name, data in files.items()]


@pytest.mark.parametrize("where", [".", "..", "content", "content/sub", "layouts", "static"])
def test_output_folder_problem_refuses_the_site_its_parents_and_source_folders(site, where):
    target = (site / where).resolve()
    assert output_folder_problem(target, site, where, outside_allowed=True)


def test_output_folder_problem_refuses_a_folder_holding_a_source_folder(site, tmp_path):
    problem = output_folder_problem(tmp_path, site, "..", outside_allowed=True)
    assert (
        problem == "'..' is the site folder or holds it: use a folder inside it, such as 'public'"
    )


def test_output_folder_problem_allows_outside_folders_only_when_asked(site, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    assert output_folder_problem(elsewhere, site, "x", outside_allowed=True) is None
    assert "lies outside the site" in output_folder_problem(elsewhere, site, "x", False)


def test_check_output_folder_refuses_a_folder_with_files_sitegen_did_not_write(site):
    mine = site / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("quan trọng", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="^--output: 'mine' holds files that sitegen did"):
        check_output_folder(mine, "--output: 'mine'")
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "quan trọng"


def test_check_output_folder_refuses_a_file(site):
    (site / "public").write_text("x", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="is a file, not a folder"):
        check_output_folder(site / "public", "public")


def test_check_output_folder_accepts_new_empty_and_own_folders(site, tmp_path):
    check_output_folder(site / "public", "public")
    assert output_folder_problem(site / "public", site, "public", outside_allowed=False) is None
    (site / "empty").mkdir()
    check_output_folder(site / "empty", "empty")
    own = site / "own"
    own.mkdir()
    (own / MARKER).write_bytes(b"")
    (own / "index.html").write_bytes(b"old")
    check_output_folder(own, "own")
    check_output_folder(tmp_path / "elsewhere", "elsewhere")


def test_write_site_writes_files_assets_and_the_marker(site):
    (site / "static" / "logo.svg").write_bytes(b"<svg/>")
    out = site / "public"
    assets = [Asset(site / "static" / "logo.svg", "logo.svg")]
    write_site(out, pages({"index.html": b"home", "tin/index.html": b"tin"}), assets)
    assert tree(out) == {
        MARKER: b"",
        "index.html": b"home",
        "logo.svg": b"<svg/>",
        "tin/index.html": b"tin",
    }


def test_write_site_replaces_the_whole_folder(site):
    out = site / "public"
    write_site(out, pages({"a/index.html": b"A", "old/index.html": b"old"}), [])
    write_site(out, pages({"a/index.html": b"A2", "new/index.html": b"new"}), [])
    assert tree(out) == {MARKER: b"", "a/index.html": b"A2", "new/index.html": b"new"}
    assert not (out / "old").exists()


def test_write_site_keeps_unchanged_files_as_the_same_file(site):
    out = site / "public"
    write_site(out, pages({"same": b"same bytes", "changed": b"v1"}), [])
    before = {name: os.stat(out / name).st_ino for name in ("same", "changed")}
    write_site(out, pages({"same": b"same bytes", "changed": b"v2"}), [])
    assert os.stat(out / "same").st_ino == before["same"]  # linked, not written again
    assert (out / "same").read_bytes() == b"same bytes"
    assert (out / "changed").read_bytes() == b"v2"
    assert os.stat(out / "changed").st_ino != before["changed"]


def test_write_site_never_changes_a_served_file_in_place(site):
    out = site / "public"
    for _ in range(3):  # the same bytes several times: the file may be shared by hard links
        write_site(out, pages({"page": b"v1"}), [])
    handle = (out / "page").open("rb")  # a reader holding the old page keeps seeing the old bytes
    write_site(out, pages({"page": b"v2"}), [])
    write_site(out, pages({"page": b"v3"}), [])
    assert handle.read() == b"v1"
    handle.close()
    assert (out / "page").read_bytes() == b"v3"


@pytest.mark.parametrize("bad", ["../x", "a/../../x", "/etc/x", "a\\b"])
def test_write_site_refuses_paths_leaving_the_output_and_keeps_the_old_output(site, bad):
    out = site / "public"
    for _ in range(2):  # both of sitegen's trees (if it keeps a spare) share the unchanged file
        write_site(out, pages({"index.html": b"old", "a.html": b"a"}), [])
    with pytest.raises(OutputFolderError):
        write_site(out, pages({"index.html": b"new", "b.html": b"b", bad: b"evil"}), [])
    assert tree(out) == {MARKER: b"", "a.html": b"a", "index.html": b"old"}
    assert not (site / "x").exists() and not (site.parent / "x").exists()
    write_site(out, pages({"index.html": b"new"}), [])  # and the next build is fine
    assert tree(out) == {MARKER: b"", "index.html": b"new"}


def test_write_site_touches_nothing_but_the_output_and_its_own_dot_folders(site):
    before = {p.name for p in site.iterdir()}
    out = site / "public"
    write_site(out, pages({"a": b"1"}), [])
    write_site(out, pages({"a": b"2"}), [])
    added = {p.name for p in site.iterdir()} - before
    assert "public" in added
    assert all(name == "public" or name.startswith(".public.") for name in added), added
    assert tree(site / "content") == {"a.md": b"---\n"}


def test_write_site_output_can_be_checked_again(site):
    out = site / "public"
    write_site(out, pages({"a": b"1"}), [])
    check_output_folder(out, "public")


def test_the_output_state_holds_each_trees_manifest_and_is_read_in_the_older_forms(site):
    """Each manifest is pickled apart ({inode: pickled manifest}), as its paths and its
    digests each joined by NULs; the state files of older versions, with each manifest
    pickled as a dict or all of them saved whole ({inode: manifest}), are still read, so that
    the first build after an upgrade need not compare every file."""
    out = site / "public"
    write_site(out, pages({"a": b"1", "b": b"2"}), [])
    write_site(out, pages({"a": b"1", "c": b"3"}), [])
    state = site / ".public.sitegen/state.pickle"
    packed = pickle.loads(state.read_bytes())
    joined = {inode: pickle.loads(data) for inode, data in packed.items()}
    assert joined[os.stat(out).st_ino] == ("a\0c", "\0")  # write_site's digests are ""
    manifests = {inode: dict(zip(paths.split("\0"), digests.split("\0"), strict=True))
                 for inode, (paths, digests) in joined.items()}  # fmt: skip
    served = {"a": "", "c": ""}
    assert manifests[os.stat(out).st_ino] == served
    assert served_tree_whole(out)
    older_forms = [{inode: pickle.dumps(manifest) for inode, manifest in manifests.items()},
                   manifests]  # fmt: skip
    for older in older_forms:
        state.write_bytes(pickle.dumps(older))
        with OutputTrees(out) as trees:
            assert trees.active_manifest == served
        assert served_tree_whole(out)
    (out / "c").unlink()
    assert not served_tree_whole(out)


MANIFESTS = [{}, {"a": ""}, {"a": "1", "b/c.html": "2"}, {"a\0b": "1", "c": "2"}]


@pytest.mark.parametrize("manifest", MANIFESTS)
def test_a_manifest_is_read_back_as_it_was_saved(manifest):
    assert write._unpacked(pickle.dumps(write._joined(manifest))) == manifest
