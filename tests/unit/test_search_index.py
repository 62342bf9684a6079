"""The search index (sitegen/search/index.py) and the shipped script's ranking of it
(theme/static/js/search.js, run by Node on the index the build writes)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import unicodedata
from dataclasses import replace

import pytest

from sitegen.search.files import html_text
from sitegen.search.index import IndexScope, SearchDoc, collect_postings, index_files, index_part
from tests.unit.test_search_fold import node, run_script  # noqa: F401 - the fixture

SCOPE = IndexScope((("tin", "Tin hoạt động"), ("dang", "Xây dựng Đảng")))
TZ = dt.timezone(dt.timedelta(hours=7))


def doc(path: str, title: str, day: int, body: str = "", section: int = 0,
        year: int = 2026) -> SearchDoc:  # fmt: skip
    date = dt.datetime(year, 1, day, 8, 0, tzinfo=TZ)
    return SearchDoc(path, f"/{path}/", title, date, "vi", section, 0,
                     lead="", body=body)  # fmt: skip


DOCS = [
    doc("a", "Đảng bộ tỉnh tổng kết năm", 1),
    doc("b", "Dạng bài tập mới", 2),
    doc("c", "Tin ngắn", 3, "Thông báo đăng ký dự thi."),
    doc("d", "Hội nghị cán bộ", 4, "Các đảng viên dự hội nghị."),
    doc("e", "Đảng ủy khối họp", 5),
    doc("f", "Giữ gìn hòa bình", 6),
    doc("g", "Tin thời sự", 7, "Bảo vệ hoà bình và thuỷ lợi."),
    doc("h", "Nhiệm kỳ mới của Ban chấp hành", 8, section=1, year=2025),
    doc("i", "Tổ chức cơ sở đảng", 9, "Báo cáo về " + unicodedata.normalize("NFD", "khỏe mạnh")),
]


def unpack(data: bytes) -> object:
    return json.loads(gzip.decompress(data))


@pytest.fixture(scope="module")
def index() -> dict[str, bytes]:
    return index_files(DOCS, SCOPE)


def ranked(node: str, index: dict[str, bytes], queries: list[str]) -> list[list[str]]:  # noqa: F811
    """Titles of the results of each query, best first, as the shipped script ranks them."""
    chunks = [unpack(data) for path, data in sorted(index.items()) if path.startswith("t/")]
    program = ("input.queries.map(q => search.rank(search.parseQuery(q).map("
               "w => search.matchesIn(input.chunks, w)), () => true))")  # fmt: skip
    ids = run_script(node, program, {"chunks": chunks, "queries": queries})
    titles = {i: unpack(index[f"d/{i}.bin"])["t"] for i in range(len(DOCS))}
    return [[titles[i] for i in found] for found in ids]


def test_exact_diacritics_rank_above_folded_matches(node: str, index) -> None:  # noqa: F811
    (found,) = ranked(node, index, ["đảng"])
    assert found[:2] == ["Tổ chức cơ sở đảng", "Đảng ủy khối họp"]  # exact, titles, newest first
    assert found[2:4] == ["Đảng bộ tỉnh tổng kết năm", "Hội nghị cán bộ"]  # exact: title, body
    assert set(found[4:]) == {"Dạng bài tập mới", "Tin ngắn"}  # "dạng", "đăng": folded only
    assert found.index("Dạng bài tập mới") < found.index("Tin ngắn")  # title above body


def test_queries_without_diacritics_find_every_spelling(node: str, index) -> None:  # noqa: F811
    dang, to_chuc = ranked(node, index, ["dang", "to chuc"])
    assert len(dang) == 6
    assert dang[0] == "Tổ chức cơ sở đảng"  # no article has "dang" itself: titles, newest first
    assert to_chuc == ["Tổ chức cơ sở đảng"]


def test_all_words_first_then_title_then_newer(node: str, index) -> None:  # noqa: F811
    (found,) = ranked(node, index, ["dang vien"])
    assert found[0] == "Hội nghị cán bộ"  # the one article with both words
    assert found[1:3] == ["Tổ chức cơ sở đảng", "Đảng ủy khối họp"]


def test_old_and_new_tone_placement_and_nfd_queries_match_alike(node: str, index) -> None:  # noqa: F811
    queries = ["hòa bình", "hoà bình", unicodedata.normalize("NFD", "hoà bình"), "thủy", "khoẻ"]
    hoa_new, hoa_old, hoa_nfd, thuy, khoe = ranked(node, index, queries)
    assert hoa_new == hoa_old == hoa_nfd == ["Giữ gìn hòa bình", "Tin thời sự"]
    assert thuy == ["Tin thời sự"]
    assert khoe == ["Tổ chức cơ sở đảng"]


def test_the_last_word_matches_as_a_prefix_while_typed(node: str, index) -> None:  # noqa: F811
    nhiem, nhi, two = ranked(node, index, ["nhiem", "nhi", "nhiem ky"])
    assert nhiem == nhi == ["Nhiệm kỳ mới của Ban chấp hành"]
    assert two == ["Nhiệm kỳ mới của Ban chấp hành", "Tin ngắn"]  # "ký" alone, after
    (whole,) = ranked(node, index, ["nhi "])  # a space after it: the word is whole
    assert whole == []


def test_postings_keep_exact_forms_apart_under_one_folded_term() -> None:
    ordered = sorted(DOCS, key=_order)
    postings = collect_postings(
        [index_part(ordered[:4], 0, SCOPE), index_part(ordered[4:], 4, SCOPE)]
    )
    assert set(postings["dang"]) == {"đang\u0309", "dang\u0323", "đăng"}
    title, other = postings["dang"]["đang\u0309"]
    assert (list(title), list(other)) == ([1, 5, 8], [4])  # titles of a, e, i; body of d
    assert set(postings["hoa"]) == {"hoa\u0300"}  # "hòa" and "hoà": one form


def test_meta_lists_sections_years_and_chunks(index) -> None:  # noqa: F811
    meta = unpack(index["meta.bin"])
    assert meta["count"] == len(DOCS)
    assert meta["section"][7] == 0 and meta["section"][0] == 1  # ids from the oldest
    assert meta["years"] == [[2025, 0], [2026, 1]]
    names = [f"t/{name}.bin" for _, name in meta["chunks"]]
    assert sorted(names) == sorted(p for p in index if p.startswith("t/"))
    firsts = [first for first, _ in meta["chunks"]]
    assert firsts == sorted(firsts)


def test_same_documents_same_bytes() -> None:
    assert index_files(list(reversed(DOCS)), SCOPE) == index_files(DOCS, SCOPE)


def test_an_edit_changes_only_the_chunks_of_the_words_it_adds_or_removes() -> None:
    topics = ["nông thôn", "giáo dục", "y tế", "giao thông"] * 50
    many = [doc(f"p{n}", f"Bài số {n} về {w}", n % 28 + 1, f"Nội dung {w} {n}")
            for n, w in enumerate(topics)]  # fmt: skip
    before = index_files(many, SCOPE)
    edited = list(many)
    edited[17] = doc("p17", many[17].title, many[17].date.day, many[17].body + " thủy lợi")
    after = index_files(edited, SCOPE)
    changed = {p for p in after if before.get(p) != after[p]}
    chunks_changed = {p for p in changed if p.startswith("t/")}
    assert len(chunks_changed) <= 2  # "thuy", "loi": new terms, in at most two chunks
    assert len([p for p in after if p.startswith("t/")]) > 10
    edited_id = sorted(many, key=_order).index(many[17])
    assert changed - chunks_changed == {"meta.bin", f"d/{edited_id}.bin"}


def test_a_new_article_takes_the_next_id() -> None:
    before = index_files(DOCS, SCOPE)
    after = index_files([*DOCS, doc("z", "Tin mới nhất", 28)], SCOPE)
    assert all(after[f"d/{i}.bin"] == before[f"d/{i}.bin"] for i in range(len(DOCS)))
    assert unpack(after[f"d/{len(DOCS)}.bin"])["t"] == "Tin mới nhất"


def test_a_result_shows_the_date_as_the_site_writes_it(index) -> None:
    assert unpack(index["d/0.bin"])["d"] == "08/01/2025"
    english = index_files([replace(DOCS[0], language="en")], SCOPE)
    assert unpack(english["d/0.bin"])["d"] == "1 Jan 2026"


def test_html_text_drops_tags_scripts_and_entities() -> None:
    fragment = "<p>Hội <b>nghị</b>&nbsp;&amp; <script>x()</script>đại\nbiểu</p>\n<p>Hai</p>"
    assert html_text(fragment.encode()) == "Hội nghị & đại biểu Hai"


def _order(d: SearchDoc) -> tuple:
    return (d.date.timestamp(), d.source_path)


def test_entities_are_read_as_the_characters_they_stand_for() -> None:
    from sitegen.cache import BuildCache
    from sitegen.search import files

    body = "<p>Tom &amp; Jerry&nbsp;và &quot;đảng&quot; &#39;viên&#39;</p>"
    cache = BuildCache(None)  # a build's own store, in a temporary folder
    try:
        cache.store_html("key", body, "")
        cache.flush()
        files._init_worker(cache.rows, SCOPE)
        part = files._index_part(("part", 0, [(doc("a", "Tin", 1), "key")]))
        assert files.unpack_part(cache.rows.row("part")[0]) == part  # stored as made
    finally:
        cache.close()
    assert {"tom", "jerry", "va\u0300", "đang\u0309", "viên"} <= set(part.forms)
    assert not {"amp", "nbsp", "quot", "39"} & set(part.forms)
    assert unpack(part.shown[0])["x"] == "Tom & Jerry và \"đảng\" 'viên'"
