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
