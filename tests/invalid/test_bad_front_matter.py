"""One test per bad front matter: the build fails naming the file and the line, the output stays."""

from __future__ import annotations

import pytest

from tests.conftest import article
from tests.invalid.conftest import A, B, C, Expected, lines

pytestmark = pytest.mark.usefixtures("yaml_loader")  # every case with each YAML parser

KEYS = "tin-hoat-dong, xay-dung-dang"  # the section keys of the shared config


def test_broken_yaml_syntax_names_its_line(breaker):
    text = lines(
        "---",
        "title: Hội nghị: tổng kết",
        "date: 2026-01-15",
        "author: Lê Văn Minh",
        "section: tin-hoat-dong",
        "---",
    )
    breaker.fails({A: text}, [Expected(A, 2, "invalid YAML: mapping values are not allowed")])


def test_unclosed_quote_names_the_line_where_it_opens(breaker):
    text = lines(
        "---",
        "title: Hội nghị",
        "date: 2026-01-15",
        'author: "Lê Văn Minh',
        "section: tin-hoat-dong",
        "---",
        "Body",
    )
    breaker.fails({A: text}, [Expected(A, 4, "quoted scalar")])


def test_unclosed_front_matter(breaker):
    text = lines(
        "---",
        "title: Hội nghị",
        "date: 2026-01-15",
        "author: Lê Văn Minh",
        "section: tin-hoat-dong",
        "",
        "Body",
    )
    breaker.fails({A: text}, [Expected(A, 1, "never closed")])


def test_no_front_matter_at_all(breaker):
    breaker.fails({A: "# Hội nghị\n\nChỉ có thân bài.\n"}, [Expected(A, 1, "has no front matter")])


def test_empty_front_matter(breaker):
    breaker.fails({A: "---\n---\nBody\n"}, [Expected(A, 1, "front matter is empty")])


def test_missing_title(breaker):
    text = lines(
        "---",
        "date: 2026-01-15",
        "author: Lê Văn Minh",
        "section: tin-hoat-dong",
        "---",
        "Body",
    )
    breaker.fails({A: text}, [Expected(A, 1, "'title' is missing")])


def test_empty_title(breaker):
    breaker.fails({A: article(title="")}, [Expected(A, 2, "'title' is missing")])


def test_missing_date(breaker):
    text = lines(
        "---",
        "title: Hội nghị",
        "author: Lê Văn Minh",
        "section: tin-hoat-dong",
        "---",
        "Body",
    )
    breaker.fails({A: text}, [Expected(A, 1, "'date' is missing")])


def test_missing_author(breaker):
    text = lines(
        "---",
        "title: Hội nghị",
        "date: 2026-01-15",
        "section: tin-hoat-dong",
        "---",
        "Body",
    )
    breaker.fails({A: text}, [Expected(A, 1, "'author' is missing")])


def test_missing_section_at_content_root(breaker):
    root_file = "content/gioi-thieu.md"
    breaker.fails(
        {root_file: article(title="Giới thiệu", section=None)},
        [Expected(root_file, 1, "'section' is missing")],
    )


@pytest.mark.parametrize(
    "date", ["2026-13-45", "hôm qua", "2026-02-30 08:30", "31/02/2026", "2026-01-15 25:00"]
)
def test_date_that_does_not_parse(breaker, date):
    breaker.fails(
        {A: article(date=date)}, [Expected(A, 3, f"'date': '{date}' is not a valid date")]
    )


def test_bad_updated_date(breaker):
    breaker.fails(
        {A: article(updated="sáng nay")},
        [Expected(A, 6, "'updated': 'sáng nay' is not a valid date")],
    )


def test_unknown_section_lists_the_known_keys(breaker):
    breaker.fails(
        {A: article(section="the-thao")},
        [Expected(A, 5, "unknown section 'the-thao': use one of the keys in config.yaml: " + KEYS)],
    )


def test_folder_naming_no_section_lists_the_known_keys(breaker):
    path = "content/the-thao/d.md"
    breaker.fails(
        {path: article(title="Bóng đá", section=None)},
        [
            Expected(
                path,
                1,
                "the folder 'the-thao' is no section: use one of the keys in config.yaml: " + KEYS,
            )
        ],
    )


def test_duplicate_url_names_both_files(breaker):
    # B keeps its date but takes A's title: both would be /tin-hoat-dong/hoi-nghi-tong-ket-nam-2026/
    report = breaker.fails(
        {B: article(title="Hội nghị tổng kết năm 2026", date="2026-01-16 09:00")},
        [Expected(B, 2, "has the same URL /tin-hoat-dong/hoi-nghi-tong-ket-nam-2026/ as " + A)],
    )
    assert A in report.stderr and B in report.stderr


def test_duplicate_url_from_a_slug_names_the_slug_line(breaker):
    breaker.fails(
        {B: article(title="Khác", slug="hoi-nghi-tong-ket-nam-2026")}, [Expected(B, 6, A)]
    )


@pytest.mark.parametrize("slug", ["a/b", "..", "../../etc", "a\\\\b"])
def test_slug_with_slash_or_dots(breaker, slug):
    breaker.fails(
        {A: article(slug=f'"{slug}"')}, [Expected(A, 6, "may not contain '/', '\\' or '..'")]
    )


def test_duplicate_yaml_keys_name_both_lines(breaker):
    text = lines(
        "---",
        "title: Hội nghị",
        "date: 2026-01-15",
        "author: Lê Văn Minh",
        "title: Khác",
        "section: tin-hoat-dong",
        "---",
    )
    breaker.fails({A: text}, [Expected(A, 5, "key 'title' is given twice (first on line 2)")])


def test_draft_as_a_string(breaker):
    breaker.fails(
        {A: article(draft='"yes"')}, [Expected(A, 6, "'draft' must be true or false, not 'yes'")]
    )


def test_tags_as_one_string(breaker):
    breaker.fails({A: article(tags='"a, b"')}, [Expected(A, 6, "'tags' must be a list")])


def test_python_yaml_tag_is_refused_and_not_run(breaker, tmp_path):
    marker = tmp_path / "pwned"
    evil = f"!!python/object/apply:os.system ['touch {marker}']"
    breaker.fails({A: article(extra=evil)}, [Expected(A, 6, "unsupported YAML tag")])
    assert not marker.exists()


def test_three_bad_files_are_reported_together_sorted_by_path(breaker):
    breaker.fails(
        {
            C: "Không có front matter.\n",
            B: article(title="Tập huấn", section="khong-co"),
            A: article(date="hôm qua"),
        },
        [
            Expected(A, 3, "'date': 'hôm qua' is not a valid date"),
            Expected(B, 5, "unknown section 'khong-co'"),
            Expected(C, 1, "has no front matter"),
        ],
    )


def test_several_problems_in_one_file_are_all_reported(breaker):
    text = lines(
        "---",
        "title: Hội nghị",
        "date: hôm qua",
        "author: Lê Văn Minh",
        "draft: có",
        "tags: a",
        "---",
    )
    breaker.fails(
        {A: text},
        [
            Expected(A, 3, "'date'"),
            Expected(A, 5, "'draft' must be true or false"),
            Expected(A, 6, "'tags' must be a list"),
        ],
    )
