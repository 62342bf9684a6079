"""Damaged build cache and output state: the build warns and rebuilds; the output is a clean one.

The cache (`.sitegen-cache/index.pickle`, `.sitegen-cache/html.sqlite`) and the output state
(`.public.sitegen/state.pickle`, the spare tree) only ever save time. Damage SQLite can see
(and any damage to the pickles) is dropped with a warning at the start and the build renders
everything again. Damage inside a stored page, which SQLite cannot see, is caught by the
page's digest when the page is used: that build fails before writing anything and clears
the cache, and the next one is clean. Planted pickles are refused, never run.

A failed build leaving the output byte-identical is tested for every bad input in
tests/invalid/ (`Breaker.fails`).
"""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from tests.conftest import BASE_CONFIG, Site
from tests.crash.conftest import articles, snapshot

COUNT = 80  # enough for the process pool, and for html.sqlite to span many pages


class Planted:
    """A pickle that would create a file when loaded."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture(scope="module")
def first_clean(tmp_path_factory) -> dict[str, bytes]:
    """The clean build of the untouched site, made once for the module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1893456000")
        site = Site(tmp_path_factory.mktemp("first") / "site")
        site.root.mkdir()
        site.write("config.yaml", BASE_CONFIG)
        for relative, text in articles(COUNT).items():
            site.write(relative, text)
        assert site.build("--no-cache") == 0
        return site.files()


@pytest.fixture
def built(make_site, monkeypatch, first_clean):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")
    site = make_site(articles(COUNT))
    assert site.build() == 0
    assert site.files() == first_clean
    return site, first_clean


def make_clean(site: Site, folder: Path) -> dict[str, bytes]:
    shutil.copytree(site.root, folder, ignore=shutil.ignore_patterns("public", ".*"))
    copy = Site(folder)
    assert copy.build("--no-cache") == 0
    return copy.files()


def touch_every_article(site: Site) -> None:
    """New stamps, same text: the build must look the pages up in the cache."""
    for path in (site.root / "content").rglob("*.md"):
        os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)


def rebuild(site: Site, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = site.build()
    return code, capsys.readouterr().err


def garbage(size: int, seed: int = 7) -> bytes:
    import random

    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(size))


def overwrite(path: Path, offset: int, data: bytes) -> None:
    content = bytearray(path.read_bytes())
    content[offset : offset + len(data)] = data
    path.write_bytes(bytes(content))


INDEX_DAMAGE = {
    "truncated": lambda p, m: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "empty": lambda p, m: p.write_bytes(b""),
    "garbage": lambda p, m: p.write_bytes(garbage(5000)),
    "another object": lambda p, m: p.write_bytes(pickle.dumps({"records": []})),
    "planted code": lambda p, m: p.write_bytes(pickle.dumps(Planted(m))),
    "a folder": lambda p, m: (p.unlink(), p.mkdir(), (p / "x").write_text("x")),
}


@pytest.mark.parametrize("damage", list(INDEX_DAMAGE))
def test_damaged_cache_index_is_dropped_with_a_warning(built, capsys, tmp_path, damage):
    site, clean = built
    marker = tmp_path / "pwned"
    INDEX_DAMAGE[damage](site.root / ".sitegen-cache/index.pickle", marker)
    touch_every_article(site)
    code, err = rebuild(site, capsys)
    assert code == 0, err
    assert "cache could not be read" in err and "rebuilding it" in err
    assert not marker.exists()
    assert site.files() == clean
    code, err = rebuild(site, capsys)
    assert (code, err) == (0, "")


def sqlite_damage(name: str, db: Path) -> None:
    size = db.stat().st_size
    if name == "truncated to half":
        os.truncate(db, size // 2)
    elif name == "header overwritten":
        overwrite(db, 0, garbage(100))
    elif name == "a table page overwritten":
        overwrite(db, 4096, garbage(200))
    elif name == "last page cut short":
        os.truncate(db, size - 100)
    elif name == "replaced by garbage":
        db.write_bytes(garbage(size))
    elif name == "replaced by text":
        db.write_text("không phải SQLite", encoding="utf-8")
    elif name == "a folder":
        db.unlink()
        db.mkdir()


@pytest.mark.parametrize(
    "damage",
    [
        "truncated to half",
        "header overwritten",
        "a table page overwritten",
        "last page cut short",
        "replaced by garbage",
        "replaced by text",
        "a folder",
    ],
)
def test_damaged_html_store_is_dropped_with_a_warning(built, capsys, damage):
    site, clean = built
    sqlite_damage(damage, site.root / ".sitegen-cache/html.sqlite")
    touch_every_article(site)
    code, err = rebuild(site, capsys)
    assert code == 0, err
    assert "the cache is damaged" in err and "rebuilding it" in err
    assert site.files() == clean
    code, err = rebuild(site, capsys)
    assert (code, err) == (0, "")


def test_garbage_write_ahead_log_is_ignored(built, capsys):
    site, clean = built
    (site.root / ".sitegen-cache/html.sqlite-wal").write_bytes(garbage(8192))
    touch_every_article(site)
    code, err = rebuild(site, capsys)
    assert code == 0, err
    assert site.files() == clean


def test_page_changed_inside_the_html_store_fails_once_then_builds_clean(built, capsys):
    """A changed byte inside a stored page is valid SQLite and UTF-8: only the digest sees it."""
    site, clean = built
    db = site.root / ".sitegen-cache/html.sqlite"
    data = db.read_bytes()
    offset = data.index("bài học kinh nghiệm".encode())
    overwrite(db, offset, "bài học kinh nghiệp".encode())
    (site.root / "layouts").mkdir(exist_ok=True)
    (site.root / "layouts/footer-note.html").write_text("<p>x</p>\n", encoding="utf-8")
    before = site.files()
    code, err = rebuild(site, capsys)  # a new layout: every page is rendered again
    assert code == 1
    assert "the cache is damaged" in err and "build again" in err
    assert site.files() == before
    code, err = rebuild(site, capsys)
    assert code == 0, err
    assert site.files() == make_clean(site, site.root.parent / "clean-after")
    assert "kinh nghiệp".encode() not in b"".join(site.files().values())


def each_manifest_replaced(state: Path, pickled: bytes) -> None:
    """The state file ({inode: pickled manifest}) with every tree's manifest replaced."""
    inodes = pickle.loads(state.read_bytes()).keys()
    state.write_bytes(pickle.dumps(dict.fromkeys(inodes, pickled)))


STATE_DAMAGE = {
    "truncated": lambda p, m: p.write_bytes(p.read_bytes()[:20]),
    "garbage": lambda p, m: p.write_bytes(garbage(300)),
    "planted code": lambda p, m: p.write_bytes(pickle.dumps(Planted(m))),
    "wrong shape": lambda p, m: p.write_bytes(pickle.dumps({1: "public", "x": [1, 2]})),
    "planted code in a manifest": lambda p, m: each_manifest_replaced(p, pickle.dumps(Planted(m))),
    "a manifest of the wrong shape": lambda p, m: each_manifest_replaced(
        p, pickle.dumps({"index.html": 1})),
    "paths and digests of different counts": lambda p, m: each_manifest_replaced(
        p, pickle.dumps(("index.html\0tin-hoat-dong/index.html", "x" * 40))),
    "a truncated manifest": lambda p, m: each_manifest_replaced(
        p, pickle.dumps({"index.html": "x" * 64})[:-9]),
    "deleted": lambda p, m: p.unlink(),
}  # fmt: skip


@pytest.mark.parametrize("damage", list(STATE_DAMAGE))
def test_damaged_output_state_means_comparing_file_by_file(built, capsys, tmp_path, damage):
    site, clean = built
    marker = tmp_path / "pwned"
    STATE_DAMAGE[damage](site.root / ".public.sitegen/state.pickle", marker)
    site.write(
        "content/tin-hoat-dong/bai-0002.md",
        articles(COUNT, " (sửa)")["content/tin-hoat-dong/bai-0002.md"],
    )
    code, err = rebuild(site, capsys)
    assert code == 0, err
    assert not marker.exists()
    assert site.files() == make_clean(site, tmp_path / "clean-after")


def test_spare_tree_with_stray_and_damaged_files_is_set_right(built, capsys, tmp_path):
    """What a killed build or a hand in the folder may leave: the state forgets the spare tree."""
    site, clean = built
    site.write(
        "content/tin-hoat-dong/bai-0000.md",
        articles(COUNT, " (sửa)")["content/tin-hoat-dong/bai-0000.md"],
    )
    assert site.build() == 0  # now the spare tree holds the first build's pages
    home = site.root / ".public.sitegen"
    spare = home / "spare"
    (home / "state.pickle").unlink()
    pages = sorted(spare.rglob("index.html"))
    pages[0].write_bytes(pages[0].read_bytes()[:100])  # cut short
    pages[1].unlink()  # gone
    pages[2].write_text("<p>sửa tay</p>", encoding="utf-8")  # edited
    (spare / "stray.html").write_text("<p>lạc</p>", encoding="utf-8")
    (spare / "tin-hoat-dong/stray-folder").mkdir()
    (spare / "tin-hoat-dong/stray-folder/index.html").write_text("x", encoding="utf-8")
    (spare / "tin-hoat-dong/.index.html.sitegen-tmp").write_text("half", encoding="utf-8")
    (home / "state.pickle.12345").write_bytes(b"half a state")
    (site.root / ".sitegen-cache/index.pickle.12345.tmp").write_bytes(b"half an index")
    site.write(
        "content/xay-dung-dang/bai-0003.md",
        articles(COUNT, " (sửa)")["content/xay-dung-dang/bai-0003.md"],
    )
    code, err = rebuild(site, capsys)
    assert code == 0, err
    assert site.files() == make_clean(site, tmp_path / "clean-after")
    code, err = rebuild(site, capsys)  # and once more, with the trees swapped back
    assert code == 0, err
    assert site.files() == make_clean(site, tmp_path / "clean-again")


def test_output_folder_deleted_by_hand_is_built_again(built, capsys):
    site, clean = built
    shutil.rmtree(site.output)
    code, err = rebuild(site, capsys)
    assert code == 0, err
    assert site.files() == clean


def test_spare_tree_deleted_by_hand_is_made_again(built, capsys):
    site, clean = built
    assert site.build() == 0
    shutil.rmtree(site.root / ".public.sitegen/spare")
    site.write(
        "content/tin-hoat-dong/bai-0004.md",
        articles(COUNT, " (sửa)")["content/tin-hoat-dong/bai-0004.md"],
    )
    code, err = rebuild(site, capsys)
    assert code == 0, err
    assert site.files() == make_clean(site, site.root.parent / "clean-after")


def test_snapshot_helper_sees_hidden_files(tmp_path):
    (tmp_path / ".hidden").write_text("x")
    assert snapshot(tmp_path) == {".hidden": b"x"}


def test_damaged_page_is_reported_as_the_cache_not_as_a_layout(built, capsys):
    site, _ = built
    db = site.root / ".sitegen-cache/html.sqlite"
    offset = db.read_bytes().index("bài học kinh nghiệm".encode())
    overwrite(db, offset, "bài học kinh nghiệp".encode())
    (site.root / "layouts").mkdir(exist_ok=True)
    (site.root / "layouts/footer-note.html").write_text("<p>x</p>\n", encoding="utf-8")
    code, err = rebuild(site, capsys)
    assert code == 1
    assert err.splitlines()[0].startswith("error: ") and "layouts" not in err.splitlines()[0]
