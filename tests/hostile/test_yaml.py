"""YAML that is malformed, the wrong shape, the wrong type, or built to hurt: exact errors, fast."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from tests.conftest import article
from tests.invalid.conftest import A, Expected, lines

pytestmark = pytest.mark.usefixtures("yaml_loader")  # every case with each YAML parser

HEAD = [
    "---",
    "title: Hội nghị",
    "date: 2026-01-15",
    "author: Lê Văn Minh",
    "section: tin-hoat-dong",
]


def test_front_matter_that_is_a_list(breaker):
    breaker.fails(
        {A: lines("---", "- title: Hội nghị", "- date: 2026-01-15", "---", "Thân bài.")},
        [Expected(A, 2, "expected 'key: value' lines, found a list")],
    )


def test_front_matter_that_is_one_value(breaker):
    breaker.fails(
        {A: lines("---", "Hội nghị tổng kết", "---", "Thân bài.")},
        [Expected(A, 2, "expected 'key: value' lines, found a single value")],
    )


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("title", "[Hội nghị, tổng kết]", "'title' must be text, not a list"),
        ("title", "{vi: Hội nghị}", "'title' must be text, not a mapping"),
        ("author", "{name: Lê Văn Minh, org: Ban Tổ chức}", "'author' must be a list"),
        ("author", "[[Lê Văn Minh]]", "'author' must list plain names, not a list"),
        ("tags", "{a: b}", "'tags' must be a list"),
        ("tags", "[Đảng, [Hội nghị]]", "'tags' must list plain names, not a list"),
        ("tags", "[Đảng, true]", "'tags' must list plain names, not true"),
        ("summary", "[một, hai]", "'summary' must be text, not a list"),
        ("image", "{src: /a.png}", "'image' must be text, not a mapping"),
        ("image_caption", "[chú thích]", "'image_caption' must be text, not a list"),
        ("organisation", "[Ban Tổ chức]", "'organisation' must be text, not a list"),
        ("slug", "[a, b]", "'slug' must be text, not a list"),
        ("section", "[tin-hoat-dong]", "'section' must be text, not a list"),
        ("draft", "1", "'draft' must be true or false, not 1"),
        ("draft", "'false'", "'draft' must be true or false, not 'false'"),
        ("date", "20260115", "'date': 20260115 is not a date"),
        ("date", "true", "'date': True is not a date"),
        ("date", "[2026, 1, 15]", "'date': [2026, 1, 15] is not a date"),
        ("updated", "{day: 15}", "'updated': {'day': 15} is not a date"),
    ],
)
def test_field_of_the_wrong_type_names_its_line(breaker, field, value, fragment):
    head = [line for line in HEAD if not line.startswith(f"{field}:")]
    text = lines(*head, f"{field}: {value}", "---", "Thân bài.")
    line = len(head) + 1
    breaker.fails({A: text}, [Expected(A, line, fragment)])


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/new:os.system ['true']",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!python/tuple [1, 2]",
        "!!binary aGVsbG8=",  # bytes: no plain value
        "!!set {a, b}",
        "!!omap [{a: 1}]",
    ],
)
def test_tags_for_python_objects_bytes_and_sets_are_refused(breaker, tag):
    breaker.fails({A: article(extra=tag)}, [Expected(A, 6, "unsupported YAML tag")])


BILLION_LAUGHS = [
    "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]",
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]",
    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]",
    "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]",
    "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]",  # 10**9 items
]


def test_billion_laughs_is_refused_quickly_at_the_key_that_explodes(breaker):
    """Refused, not bounded: no template could show 10**9 items anyway. The aliases make the
    10**5 mark at `e:` (line 10 of the file)."""
    text = lines(*HEAD, *BILLION_LAUGHS, "tags: *i", "---", "Thân bài.")
    tracemalloc.start()
    started = time.perf_counter()
    breaker.fails(
        {A: text}, [Expected(A, 10, "aliases (*name) repeat values more than 100,000 times")]
    )
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert seconds < 20, seconds  # three builds of the small site
    assert peak < 200 * 2**20, peak


def test_small_aliases_are_fine(probe_site):
    text = lines(*HEAD, "tags: &t [Đảng, Hội nghị]", "chu_de: *t", "---", "Thân bài.")
    site, report = probe_site({A: text})
    page = site.html("/tin-hoat-dong/hoi-nghi/")
    assert [a.get_text() for a in page.select("a[rel=tag]")] == ["Đảng", "Hội nghị"]


def test_alias_inside_the_value_it_names_is_refused(breaker):
    breaker.fails(
        {A: article(extra="&loop [1, *loop]")},
        [Expected(A, 6, "an alias (*name) stands for a value that holds it")],
    )


def test_nesting_five_thousand_deep_is_refused(breaker):
    breaker.fails(
        {A: article(extra="[" * 5000 + "]" * 5000)},
        [Expected(A, 6, "values nested more than 50 deep")],
    )


def test_number_too_long_for_python_is_kept_as_text(probe_site):
    digits = "7" * 5000
    site, _ = probe_site({A: article(title=digits)})
    page = site.html(f"/tin-hoat-dong/{digits[:200]}/")
    assert page.h1.get_text() == digits


def test_control_character_in_front_matter_names_its_line_and_column(breaker):
    text = lines(*HEAD, "organisation: Ban\x07Tổ chức", "---", "Thân bài.")
    breaker.fails(
        {A: text}, [Expected(A, 6, "control characters are not allowed (character U+0007)")]
    )
    assert breaker.run().lines[0].startswith(f"error: {A}:6:18: ")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_lines_are_counted_in_the_file_though_yaml_breaks_lines_at_more_characters(
    breaker, separator
):
    """YAML ends a line at U+2028, U+2029 and U+0085 too; a file (and an editor) does not."""
    text = lines(
        "---",
        f'title: "Hội nghị{separator}tổng kết"',
        "date: 2026-01-15",
        "author: Lê Văn Minh",
        "section: tin-hoat-dong",
        "draft: có",
        "---",
        "Thân bài.",
    )
    breaker.fails({A: text}, [Expected(A, 6, "'draft' must be true or false")])


def test_unquoted_line_separator_in_a_title_names_the_title_line(breaker):
    text = lines(
        "---",
        "title: Hội nghị\u2028tổng kết",
        "date: 2026-01-15",
        "author: A",
        "section: tin-hoat-dong",
        "---",
        "Thân bài.",
    )
    breaker.fails({A: text}, [Expected(A, 2, "invalid YAML")])


def test_duplicate_key_in_a_nested_mapping_of_an_unknown_field(breaker):
    text = lines(*HEAD, "nguon:", "  ten: Báo Nhân Dân", "  ten: Báo Lao Động", "---", "Thân bài.")
    breaker.fails({A: text}, [Expected(A, 8, "key 'ten' is given twice (first on line 7)")])


def test_tab_indentation_gets_a_hint(breaker):
    text = lines(*HEAD, "tags:", "\t- Đảng", "---", "Thân bài.")
    breaker.fails({A: text}, [Expected(A, 7, "(indent with spaces, not tabs)")])
