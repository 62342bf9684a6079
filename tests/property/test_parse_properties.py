"""Front matter splitting and parsing never fail on any text: a Document, or located errors."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.discover import decode_source
from sitegen.errors import ErrorLog, SourceError
from sitegen.parse import KNOWN_FIELDS, Document, parse_document, split_front_matter

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
QUICK = settings(deadline=None, max_examples=400)

# Pieces of YAML that go wrong in interesting ways, to mix into generated front matter.
TOKENS = [
    ": ",
    ":",
    "-",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "'",
    '"',
    "&a ",
    "*a",
    "!!python/name:os.system",
    "!!binary",
    "!!set",
    "\t",
    "#",
    "|",
    ">",
    "---",
    "...",
    "2026-01-15",
    "2026-02-30 25:61",
    "9999-12-31 23:59 -12:00",
    "true",
    "null",
    "~",
    "1" * 50,
    "\u2028",
    "\x85",
    "\x07",
    "\ufeff",
    "Đảng",
    "<script>",
    "{{ 7*7 }}",
    " ",
    "\n",
    "\n  ",
    "\r\n",
    "\r",
]
VALUE = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)), max_size=6).map("".join)
LINE = st.tuples(st.sampled_from(KNOWN_FIELDS + ("extra", "title", "date")), VALUE).map(
    lambda pair: f"{pair[0]}: {pair[1]}"
)
FRONT_MATTER = st.tuples(st.lists(LINE, max_size=10), st.text(max_size=50)).map(
    lambda parts: "---\n" + "\n".join(parts[0]) + "\n---\n" + parts[1]
)
MOSTLY_VALID = st.tuples(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40),
    st.lists(LINE, max_size=4),
    st.text(max_size=50),
).map(
    lambda parts: (
        "---\ntitle: "
        + repr(parts[0])[1:-1]
        + "\ndate: 2026-01-15 08:30\nauthor: A\n"
        + "\n".join(parts[1])
        + "\n---\n"
        + parts[2]
    )
)
ANY_SOURCE = st.one_of(
    st.text(), FRONT_MATTER, MOSTLY_VALID, st.binary().map(lambda b: b.decode("utf-8", "replace"))
)


@QUICK
@given(ANY_SOURCE)
def test_split_front_matter_returns_parts_none_or_says_it_is_never_closed(text):
    try:
        front = split_front_matter(text)
    except ValueError as error:
        assert "never closed" in str(error)
        return
    if front is None:
        return
    lines = text.split("\n")
    assert front.yaml_line == 2
    assert "\n".join(lines[front.body_line - 1 :]) == front.body
    assert "\n".join(lines[1 : front.body_line - 2]) == front.yaml_text


@QUICK
@given(ANY_SOURCE)
def test_parse_document_gives_a_document_or_errors_within_the_file(text):
    log = ErrorLog()
    source = decode_source(text.encode("utf-8", "surrogatepass"), "tin-hoat-dong/a.md", log)
    if source is None:  # not UTF-8 text, or binary: one located error
        assert len(log.errors) == 1
        return
    document = parse_document(source, TZ, log)
    line_count = source.text.count("\n") + 1
    for error in log.errors + log.warnings:
        assert isinstance(error, SourceError)
        assert error.path == "content/tin-hoat-dong/a.md"
        assert error.line is None or 1 <= error.line <= line_count, (str(error), line_count)
        assert "\n" not in str(error)
    if document is None:
        assert log.errors
        return
    assert isinstance(document, Document) and not log.errors
    assert document.title and document.authors
    assert SLUG.fullmatch(document.slug)
    assert document.date.tzinfo is not None
    assert 1 <= document.body_line <= line_count + 1


# --- simple front matter, read without the YAML parser -----------------------------------

KEYS = ["title", "tags", "yes", "null", "On", "e1", "tiêu_đề", "a-b", "x" * 1001, "title"]
VALUES = [
    '"Tin mới"', '""', '"a: b # c"', '"có \\" thoát"', "'đơn'", "'it''s'", '["a", "b, c"]', "[]",
    '["a",  "b"]', "[a, b]", "guong-dien-hinh", "2021-03-05 22:17", "2021-03-05", "12", "1_000",
    "12:30", "0x1F", "1e3", ".5", "true", "Yes", "off", "null", "~", "a: b", "a:b", "a #b", "a#b",
    "a:", "- a", "-5", "?x", ":x", "&a", "*a", "!x", "|", ">", "%x", "@x", "`x", "a, b", "a [b]",
    "{a}", "a \"b\" c", "trailing ", " lead", "a\tb", "Đắk Lắk", "x\u2028y", "x\x85y", "\ufeffx",
    "",
]  # fmt: skip
LINES = st.one_of(
    st.tuples(
        st.sampled_from(KEYS), st.sampled_from([": ", ":", ":  "]), st.sampled_from(VALUES)
    ).map("".join),
    st.sampled_from(["", "# ghi chú", "  indented: x", "- item", "key: |", "---"]),
)
FRONT_MATTER = st.lists(LINES, min_size=1, max_size=6).map("\n".join)
# Mostly what the direct reading accepts, so that whole front matters of it are compared.
LIKELY_VALUES = [
    '"Tin mới"', '""', '"a: b # c"', "'đơn'", "''", '["a", "b, c"]', "[]", '[""]',
    "guong-dien-hinh", "2021-03-05 22:17", "a, b", "a [b]", 'a "b" c', "Đắk Lắk", "a:b",
    "x y z", "1 2", "v1.2", "a-", "Tin: mới", "12:30", "yes", "a #b", "a\u2028b",
]  # fmt: skip
LIKELY_LINES = st.one_of(
    st.tuples(
        st.sampled_from(["title", "author", "section", "tags", "summary", "image", "slug", "On"]),
        st.sampled_from(LIKELY_VALUES),
    ).map(": ".join),
    st.just(""),
)
LIKELY_FRONT_MATTER = st.lists(LIKELY_LINES, min_size=1, max_size=5).map("\n".join)


@settings(deadline=None, max_examples=3000)
@given(st.one_of(FRONT_MATTER, LIKELY_FRONT_MATTER))
def test_simple_front_matter_reads_as_the_yaml_parser_reads_it(text):
    from sitegen.yamltext import YamlProblem, _simple_mapping, parse_mapping

    simple = _simple_mapping(text, 3)
    if simple is None:
        return
    try:
        parsed = parse_mapping(text, 3)
    except YamlProblem as problem:
        raise AssertionError(f"read {simple} where YAML finds a problem: {problem}") from None
    assert simple == parsed


def test_common_front_matter_is_read_without_the_parser():
    from sitegen.yamltext import _simple_mapping, parse_mapping

    text = (
        'title: "Hội nghị sơ kết"\ndate: 2026-11-26 08:30\nauthor: "Lê Văn An"\n'
        'section: tin-hoat-dong\ntags: ["chuyển đổi số", "cải cách"]\n'
    )
    assert _simple_mapping(text, 2) is not None
    assert _simple_mapping(text, 2) == parse_mapping(text, 2)
