from __future__ import annotations

import datetime as dt

import pytest

from sitegen.yamltext import YamlProblem, load_mapping

pytestmark = pytest.mark.usefixtures("yaml_loader")  # every case with each YAML parser


def problem(text: str, first_line: int = 1) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        load_mapping(text, first_line) if first_line != 1 else load_mapping(text)
    return caught.value


def test_load_mapping_returns_values_and_key_lines():
    mapping = load_mapping("title: A\n\n# comment\ntags:\n  - x\n  - y\ndraft: true\n")
    assert mapping.values == {"title": "A", "tags": ["x", "y"], "draft": True}
    assert mapping.key_lines == {"title": 1, "tags": 4, "draft": 7}


def test_load_mapping_counts_lines_from_first_line():
    mapping = load_mapping("title: A\ndate: 2026-01-01\n", first_line=2)
    assert mapping.key_lines == {"title": 2, "date": 3}


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_load_mapping_returns_none_for_an_empty_document(text):
    assert load_mapping(text) is None


def test_duplicate_key_is_refused_with_both_lines():
    error = problem("title: A\ndate: 2026-01-01\ntitle: B\n")
    assert (error.line, error.column) == (3, 1)
    assert "'title' is given twice (first on line 1)" in error.message


def test_duplicate_key_lines_count_from_first_line():
    error = problem("title: A\ntitle: B\n", first_line=2)
    assert error.line == 3
    assert "first on line 2" in error.message


def test_duplicate_key_in_a_nested_mapping_is_refused():
    error = problem("banner:\n  title: A\n  title: B\n")
    assert error.line == 3
    assert "'title' is given twice" in error.message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\nb: !!python/object/apply:os.system ['echo hacked']\n", 2),
        ("a: !!python/name:os.system\n", 1),
        ("a: 1\nb: !custom x\n", 2),
    ],
)
def test_unsafe_or_unknown_tags_are_refused(text, line):
    error = problem(text)
    assert error.line == line
    assert "unsupported YAML tag" in error.message


def test_python_tag_is_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    with pytest.raises(YamlProblem):
        load_mapping(f"a: !!python/object/apply:os.system ['touch {marker}']\n")
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "kind"),
    [("- a\n- b\n", "a list"), ("just text\n", "a single value"), ("42\n", "a single value")],
)
def test_non_mapping_is_refused(text, kind):
    error = problem(text)
    assert error.line == 1
    assert f"expected 'key: value' lines, found {kind}" in error.message


def test_syntax_error_has_line_and_column():
    error = problem("title: A\nauthor: a: b\n")
    assert (error.line, error.column) == (2, 10)
    assert error.message.startswith("invalid YAML: mapping values are not allowed")


def test_unclosed_quote_is_reported_where_it_opens():
    error = problem('title: A\nauthor: "Lê Văn\nsection: tin\n')
    assert error.line == 2
    assert "quoted scalar" in error.message


def test_unclosed_bracket_is_reported_where_it_opens():
    error = problem("title: A\ntags: [a, b\nsection: tin\n")
    assert error.line == 2


def test_two_documents_are_refused():
    error = problem("a: 1\n---\nb: 2\n")
    assert error.line == 2


def test_non_scalar_key_is_refused():
    error = problem("? [a, b]\n: 1\n")
    assert "plain value" in error.message


def test_impossible_timestamp_stays_text_for_the_field_check():
    mapping = load_mapping("date: 2026-13-45\nother: 2026-02-30 08:30:00\n")
    assert mapping.values == {"date": "2026-13-45", "other": "2026-02-30 08:30:00"}


def test_real_timestamps_are_dates():
    mapping = load_mapping("a: 2026-01-15\nb: 2026-01-15 08:30:00+07:00\n")
    assert mapping.values["a"] == dt.date(2026, 1, 15)
    assert mapping.values["b"].utcoffset() == dt.timedelta(hours=7)


def test_keys_become_strings():
    mapping = load_mapping("1: one\n2026: year\n")
    assert mapping.values == {"1": "one", "2026": "year"}
    assert mapping.key_lines == {"1": 1, "2026": 2}


@pytest.mark.parametrize(
    "text",
    ["title: A\n\tauthor: X\n", "title: Hội nghị ở Đà Nẵng\n\tauthor: X\n", "tags:\n\t- a\n"],
)
def test_tab_indentation_gets_a_hint(text):
    error = problem(text)
    assert error.line == 2
    assert error.message.endswith("(indent with spaces, not tabs)")


def test_no_tab_hint_without_a_tab():
    assert "tabs" not in problem("title: Hội nghị ở Đà Nẵng\nauthor: a: b\n").message


@pytest.mark.parametrize(
    "opening, closing",
    [("a:\n", ""), ("- ", ""), ("[", "]"), ("{k: ", "}"), ("? ", "")],
)
def test_nesting_deeper_than_the_limit_is_refused_however_it_is_written(opening, closing):
    levels = 51
    if opening == "a:\n":
        nested = "".join(" " * depth + f"k{depth}:\n" for depth in range(levels))
        nested += " " * levels + "x\n"
    elif opening in ("- ", "? "):
        nested = "".join(" " * (2 * depth) + opening + "\n" for depth in range(levels))
        nested += " " * (2 * levels) + "x\n"
    else:
        nested = opening * levels + "x" + closing * levels + "\n"
    text = "title: A\nvalue:\n" + "".join("  " + line + "\n" for line in nested.splitlines())
    assert "nested more than 50 deep" in problem(text).message


def test_shallow_front_matter_without_aliases_loads_as_usual():
    text = 'title: "Hội nghị: tổng kết"\ndate: 2026-01-15 08:30\ntags: [a-b, c]\nparams: {x: 1}\n'
    assert load_mapping(text).values["params"] == {"x": 1}
