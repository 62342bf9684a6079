"""What a build writes for search: the index of the published articles under /search/, the
search page, the box in the header; none of it with `search: false`."""

from __future__ import annotations

import gzip
import json
from array import array

import pytest

import sitegen.search.files
from tests.conftest import BASE_CONFIG, article


def unpack(data: bytes) -> object:
    return json.loads(gzip.decompress(data))


def indexed_titles(site) -> list[str]:
    folder = site.output / "search"
    count = unpack((folder / "meta.bin").read_bytes())["count"]
    return [unpack((folder / f"d/{n}.bin").read_bytes())["t"] for n in range(count)]


@pytest.fixture
def news(make_site):
    files = {
        f"content/tin-hoat-dong/bai-{n}.md": article(
            f"Hội nghị số {n}", f"2026-{n // 28 + 1:02d}-{n % 28 + 1:02d} 08:00",
            body=f"Đảng viên chi bộ {n} học tập nghị quyết về giao thông, y tế."
        )
        for n in range(40)
    }  # fmt: skip
    files["content/tin-hoat-dong/nhap.md"] = article("Bản nháp", body="Nháp.", draft="true")
    files["content/tin-hoat-dong/sau.md"] = article("Bài sau này", "2099-01-01 08:00")
    site = make_site(files)
    assert site.build() == 0
    return site


def test_the_index_holds_the_published_articles_only(news) -> None:
    titles = indexed_titles(news)
    assert len(titles) == 40 and titles[0] == "Hội nghị số 0" and titles[-1] == "Hội nghị số 39"
    assert "Bản nháp" not in titles and "Bài sau này" not in titles
    page = news.html("/search/")
    assert page.select_one("main ol#search-results") is not None
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.select_one('script[src^="/assets/js/search."]') is not None
    assert news.html("/").select_one('header form[role="search"]')["action"] == "/search/"
    sitemap = (news.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "/search/" not in sitemap


def test_drafts_are_indexed_when_the_build_publishes_them(news) -> None:
    assert news.build("--drafts") == 0
    assert "Bản nháp" in indexed_titles(news)


def test_a_rebuild_with_no_change_reuses_the_index(news, monkeypatch) -> None:
    before = news.files()

    def fail(*args: object) -> None:
        raise AssertionError("the index was made again")

    monkeypatch.setattr(sitegen.search.files, "index_part", fail)
    monkeypatch.setattr(sitegen.search.files, "whole_index", fail)
    monkeypatch.setattr(sitegen.search.files, "patch_chunks", fail)
    assert news.build() == 0
    assert news.files() == before


def test_an_edit_rewrites_only_the_index_files_it_touches(news) -> None:
    folder = news.output / "search"
    before = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.bin")}
    source = news.root / "content/tin-hoat-dong/bai-7.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nThủy lợi.\n", encoding="utf-8")
    assert news.build() == 0
    after = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.bin")}
    changed = {p for p in after if before.get(p) != after[p]}
    assert "d/7.bin" in changed and "meta.bin" in changed
    assert not {p for p in changed if p.startswith("d/")} - {"d/7.bin"}
    chunks = [p for p in after if p.startswith("t/")]
    assert len([p for p in changed if p.startswith("t/")]) <= 2 < len(chunks)  # "thuy", "loi"


def test_search_false_leaves_search_out(make_site) -> None:
    site = make_site({"content/tin-hoat-dong/a.md": article("Hội nghị")},
                     config=BASE_CONFIG + "search: false\n")  # fmt: skip
    assert site.build() == 0
    assert not (site.output / "search").exists()
    assert site.html("/").select_one('form[role="search"]') is None


def test_an_english_site_searches_in_english(make_site) -> None:
    config = BASE_CONFIG.replace("language: vi", "language: en")
    site = make_site({"content/tin-hoat-dong/a.md": article("Meeting")}, config=config)
    assert site.build() == 0
    page = site.html("/search/")
    assert page.select_one("label[for=search-q]").get_text() == "Search articles"
    assert "Search needs JavaScript" in page.select_one("noscript").get_text()
    assert page.select_one("#search-status")["data-results"] == "{count} results for “{query}”"


def test_a_section_may_not_be_called_search(make_site) -> None:
    config = BASE_CONFIG + "  - {key: search, title: Tìm}\n"
    site = make_site({"content/tin-hoat-dong/a.md": article("Hội nghị")}, config=config)
    assert site.build() == 1


def test_an_edit_makes_again_only_the_part_of_the_index_it_is_in(make_site, monkeypatch) -> None:
    monkeypatch.setattr(sitegen.search.files, "PART", 12)  # the 40 articles in four parts
    news = make_site({
        f"content/tin-hoat-dong/bai-{n}.md": article(
            f"Hội nghị số {n}", f"2026-01-{n % 28 + 1:02d} 08:{n:02d}", body=f"Chi bộ {n}.")
        for n in range(40)
    })  # fmt: skip
    assert news.build() == 0
    made: list[int] = []
    real = sitegen.search.files.index_part

    def counted(docs, first, scope):
        made.append(len(docs))
        return real(docs, first, scope)

    monkeypatch.setattr(sitegen.search.files, "index_part", counted)
    assert news.build() == 0  # nothing changed: the index is read back whole, its parts kept
    assert made == []
    source = news.root / "content/tin-hoat-dong/bai-30.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nThủy lợi.\n", encoding="utf-8")
    assert news.build() == 0
    assert made == [12]
    edited = news.files()
    assert news.build("--no-cache") == 0
    assert news.files() == edited


def test_parts_kept_in_the_cache_read_back_alike() -> None:
    from sitegen.search.index import IndexPart

    forms = {"đảng\u0309": (array("I", [1, 2]), array("I", [3])),
             "x": (array("I"), array("I", [4]))}  # fmt: skip
    part = IndexPart(forms, (b"\x1f\x8b..", b"", b"\n"))
    assert sitegen.search.files.unpack_part(sitegen.search.files.pack_part(part)) == part


def test_an_edit_after_the_cache_lost_a_part_makes_the_whole_index(news) -> None:
    import sqlite3

    with sqlite3.connect(news.root / ".sitegen-cache" / "html.sqlite") as db:
        assert db.execute("DELETE FROM html WHERE key LIKE 'search-part-%'").rowcount >= 1
    source = news.root / "content/tin-hoat-dong/bai-7.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nThủy lợi.\n", encoding="utf-8")
    assert news.build() == 0
    edited = news.files()
    assert news.build("--no-cache") == 0
    assert news.files() == edited


def test_an_output_folder_deleted_is_written_again_from_the_cache(news, monkeypatch) -> None:
    import shutil

    before = news.files()
    shutil.rmtree(news.output)

    def fail(*args: object) -> None:
        raise AssertionError("the index was made again")

    monkeypatch.setattr(sitegen.search.files, "index_part", fail)
    assert news.build() == 0
    assert news.files() == before


def search_folder(site) -> dict[str, bytes]:
    return {path: data for path, data in site.files().items() if path.startswith("search/")}


def test_a_large_index_is_made_apart_and_reads_as_one_made_in_place(make_site, monkeypatch):
    """From APART_FROM documents the index is made in a process of its own, on every core:
    its files, and a rebuild after an edit that patches them, equal those of one process."""
    files = {
        f"content/tin-hoat-dong/bai-{n}.md": article(
            f"Tin số {n}", f"2026-{n % 12 + 1:02d}-{n % 28 + 1:02d} 08:{n % 60:02d}",
            body=f"Người dân xã {n} góp ý về đường giao thông và trạm y tế số {n % 7}."
        )
        for n in range(300)
    }  # fmt: skip
    site = make_site(files)
    assert site.build("--no-cache") == 0
    in_place = search_folder(site)
    assert len([path for path in in_place if path.startswith("search/d/")]) == 300
    asked = []
    real = sitegen.search.files.run_apart

    def spy(function, work):
        asked.append((len(work.keys), len(work.missing), work.jobs))
        return real(function, work)

    monkeypatch.setattr(sitegen.search.files, "run_apart", spy)
    monkeypatch.setattr(sitegen.search.files, "APART_FROM", 1)
    assert site.build("--no-cache", "--jobs", "2") == 0  # a temporary store
    assert search_folder(site) == in_place and asked == [(4, 4, 2)]
    assert site.build("--jobs", "2") == 0  # the site's cache, for the next build to patch
    assert search_folder(site) == in_place and len(asked) == 2

    site.write("content/tin-hoat-dong/bai-7.md", files["content/tin-hoat-dong/bai-7.md"].replace(
        "góp ý", "kiến nghị mở rộng"))  # fmt: skip
    assert site.build("--jobs", "2") == 0
    patched = search_folder(site)
    assert len(asked) == 2, "an edit patches the index made apart"
    monkeypatch.setattr(sitegen.search.files, "APART_FROM", 10**9)
    assert site.build("--no-cache") == 0
    assert search_folder(site) == patched != in_place
