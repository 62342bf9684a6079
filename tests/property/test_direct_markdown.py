"""The direct path (sitegen.directmd) gives exactly the HTML, table of contents and
references of sitegen's Python-Markdown for every text it accepts, and accepts the common
article."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.directmd import render_direct
from sitegen.links import element_ids
from sitegen.render import RenderSettings, _highlighter, make_converter

# What the direct path handles, mixed with what lies just beyond it.
FRAGMENTS = [
    "Đoạn văn bình thường.", "Hai dòng\nliền nhau.", "a > b và c >", 'chữ "ngoặc kép"',
    "**Hà Nội** – tin đầu dòng", "*nghiêng* đầu dòng", "chữ *nghiêng* và **đậm**.",
    "a*b*c", "“**trích**”", "**a** b **c**", "* a *", "**a*", "*a**", "***a***", "x * y",
    "**a *b* c**", "**hai\ndòng**", "[liên kết](../b.md)", "[bài](/tin/c.md#muc)",
    '[ngoài](https://e.org/a_b?x=1 "Tiêu đề (có ngoặc)")', "[**đậm**](/x.md)",
    "[a *b*](ngoai.html)", '[t](x "")', '[t](x "  ")', "[t](javascript:alert(1))",
    "[t](javascript:x)", "![ảnh](a.png)", '![ảnh](/images/a.png "Chú thích (Ảnh: X)")',
    '![ảnh](a.png "")', '![a "b" > c](x.jpg "t > u")', "Chữ ![ảnh](a.png) giữa",
    '![ảnh](anh.png "chú thích") và chữ', "[^1](x)", "[a] b", "[x]: http://e.org",
    "[t](<x>)", "[t]( x)", "[t](x 'y')", "[a](b)(c)", "[a [b](c)", "1990 là năm",
    "1990. Năm", "٣. số", "+84 số", "-5 độ", "!quan trọng", "=bằng", ":hai chấm",
    "chữ_gạch", "a|b", "a |\nb |", "# Tiêu đề", "## Tiêu đề *nghiêng* ##", "#KhôngCách",
    "####### bảy", "##", "## Trùng", "### [Liên kết](a.md) > b", "- mục", "* mục", "+ mục",
    "- **đậm** mục", "- mục\n- mục hai", "- mục\n* khác", "1. một\n2. hai", "3. ba\n4. bốn",
    "01. không một", "1. một\n- hai", "- - -", "* * *", "---", "***", "- [x](y.md)",
    "- mục\nlười", "> trích", "> trích\n> tiếp", ">không cách", "> # tiêu đề", "> - mục",
    "> trích\nlười", "> > lồng", "| a | b |\n| --- | ---: |\n| 1 | 2 |",
    "| a | b |\n|:-:|:--|\n| | *x* |", "| a |\n| --- |\n| 1 |", "| a | b |\n| --- | --- |\n| 1 |",
    "| a | b |\n| --- | --- |", "| a | b |\n| - | :: |\n| 1 | 2 |", "a | b\n--|--\n1 | 2",
    "chữ\n## tiêu đề\nchữ", "## T\n- a", "## T\n| a | b |\n| --- | --- |\n| 1 | 2 |",
    "| a | b |\n| --- | --- |\n## T", "Tiêu đề\n===", "Tiêu đề\n---", "chữ  ", " thụt",
    "chữ\n    thụt", "\u00a0khoảng", "chữ\u00a0", "chữ\u2028giữa", "&amp; AT&T", "<b>x</b>",
    "`mã`", "\\*", "{: .lop }", "a\tb", "dòng\r\nhai", "", "\n",
    "```python\nprint(1)\n```", "```\nx < y & z\n\n    thụt\n```", "~~~\nmã\n~~~",
    "```{.python}\nx\n```", '```python hl_lines="1"\nx\n```', "```\nchưa đóng",
    "chữ\n```\nx\n```", "```\nx\n```\nchữ", "````\n```\n````", "```bash\n# lệnh\nls\n```",
    "```\na\tb\n```", "```\nx\n    \ny\n```", "```\nx\x02y\n```", "```\r\nx\r\n```",
    "```\n\u00a0\n```", "```\nx  \n```", "```không-có\nx = 1\n```",
    "```yaml\na: [1, 2]\n```", "```python\n\n\nprint('a')\n\n```",
]  # fmt: skip
SEPARATORS = ["\n\n", "\n", "\n\n\n"]

DOCUMENTS = st.lists(
    st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS)), min_size=1, max_size=8
).map(lambda parts: "".join(fragment + separator for fragment, separator in parts))

# Inline pieces for paragraphs, headings, items and cells: where emphasis, links and text
# meet, the direct path's pairing must agree with Python-Markdown's delimiter rules.
INLINE = [
    "chữ", " ", "  ", "*", "**", "***", "_", "[a](b.md)", "![a](c.png)", '[a](d "e")',
    "(", ")", "“", "”", ",", ".", ">", '"', "'", "x", "1.", "#", "|", "!", "[", "]",
    "\u00a0", "Đ", "\x1c",
]  # fmt: skip
INLINE_TEXT = st.lists(st.sampled_from(INLINE), min_size=1, max_size=12).map("".join)
LINE_STARTS = ["", "## ", "- ", "1. ", "> ", "| ", "Chữ "]
INLINE_DOCUMENTS = st.lists(
    st.tuples(st.sampled_from(LINE_STARTS), INLINE_TEXT), min_size=1, max_size=4
).map(lambda lines: "\n\n".join(start + text for start, text in lines))

LABEL = "Bảng"
PLAIN = make_converter(RenderSettings("/", "vi"), shortcuts=False)
UNDER_PATH = make_converter(RenderSettings("/tinh/", "vi"), shortcuts=False)


def python_markdown(converter, text: str, source_dir: str, take_lead: bool):
    converter.reset()
    converter.sitegen_source_dir = source_dir
    converter.sitegen_take_lead = take_lead
    converter.sitegen_references = references = []
    return converter.convert(text), converter.sitegen_toc, references


def direct(text: str, source_dir: str, base_path: str, take_lead: bool):
    references = []
    highlight = _highlighter(RenderSettings(base_path, "vi"))
    result = render_direct(text, source_dir, base_path, take_lead, LABEL, references, highlight)
    if result is None:
        return None
    assert result.ids == element_ids(result.html)  # what render_document would scan for
    return result.html, result.toc_html, references


# Documents of the fragments the direct path accepts alone, so that most are accepted whole.
ACCEPTED_DOCUMENTS = st.lists(
    st.tuples(
        st.sampled_from([f for f in FRAGMENTS if direct(f, "tin", "/", True)]),
        st.sampled_from(SEPARATORS),
    ),
    min_size=1,
    max_size=10,
).map(lambda parts: "".join(fragment + separator for fragment, separator in parts))


def assert_same_as_python_markdown(text, source_dir, base_path, take_lead, converter=PLAIN):
    """Where the direct path takes the text, its result is Python-Markdown's."""
    got = direct(text, source_dir, base_path, take_lead)
    if got is not None:
        assert got == python_markdown(converter, text, source_dir, take_lead)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS, st.sampled_from(["tin-hoat-dong", "", "a/b"]), st.booleans())
def test_accepted_text_gets_python_markdowns_html(text, source_dir, take_lead):
    assert_same_as_python_markdown(text, source_dir, "/", take_lead)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ACCEPTED_DOCUMENTS, st.booleans())
def test_documents_of_accepted_blocks_get_python_markdowns_html(text, take_lead):
    assert_same_as_python_markdown(text, "tin-hoat-dong", "/", take_lead)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(INLINE_DOCUMENTS)
def test_inline_markup_gets_python_markdowns_html(text):
    assert_same_as_python_markdown(text, "tin", "/", True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_same_html_under_a_base_path(text):
    assert_same_as_python_markdown(text, "tin", "/tinh/", True, UNDER_PATH)


ARTICLE = """Sáng 26/11, **Ban Tổ chức Tỉnh ủy** tổ chức hội nghị sơ kết.

“Mỗi cán bộ phải là một tấm gương”, *lãnh đạo xã* chia sẻ. Xem [kế hoạch](../ke-hoach.md).

## Số liệu đáng chú ý

![Toàn cảnh hội nghị](/images/hoi-nghi.jpg "Toàn cảnh hội nghị. (Ảnh: Lê Nam)")

| Đơn vị | Chỉ tiêu | Kết quả |
| --- | ---: | ---: |
| Xã Long Hựu | 177 | 198 |

- Phát huy tinh thần trách nhiệm.
- Cập nhật đầy đủ dữ liệu.

1. Một
2. Hai

> Người dân hài lòng là thước đo rõ ràng nhất.

```python
print("Xin chào" if 1 < 2 else "")
```

### Kết quả 2025

2025 là năm bản lề.
"""


def test_the_common_article_takes_the_direct_path():
    """Without this, the comparisons above could pass by refusing everything."""
    got = direct(ARTICLE, "tin-hoat-dong", "/", True)
    assert got is not None
    assert got == python_markdown(PLAIN, ARTICLE, "tin-hoat-dong", True)
    accepted = sum(direct(fragment, "tin", "/", True) is not None for fragment in FRAGMENTS)
    assert accepted > len(FRAGMENTS) // 2


def test_what_it_does_not_reproduce_is_refused():
    for text in ["`mã`", "- mục\n\n    tiếp", "<div>x</div>", "a &amp; b", "[a][b]", "chữ_gạch"]:
        assert direct(text, "tin", "/", True) is None, text


CODE_PIECES = ["x = 1", "    ", " ", "\t", "\r", "\x02", "<b>&amp;", "`", "```", "~~~", "'\"",
               "\\", "\u00a0", "Đ", "\n", "\n\n", "# c"]  # fmt: skip
CODE = st.lists(st.sampled_from(CODE_PIECES), max_size=8).map("".join)
LANGUAGES = st.sampled_from(["", "python", "bash", "không-có", ".yaml", "{.python}"])
BEFORE_CODE = st.sampled_from(["", "Đoạn.\n\n", "Đoạn.\n"])
AFTER_CODE = st.sampled_from(["", "\n\nSau.", "\nSau."])
FENCES = st.sampled_from(["```", "~~~", "````"])


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CODE, LANGUAGES, BEFORE_CODE, AFTER_CODE, FENCES)
def test_code_blocks_get_python_markdowns_html(code, language, before, after, fence):
    text = f"{before}{fence}{language}\n{code}\n{fence}{after}"
    assert_same_as_python_markdown(text, "tin", "/", True)
