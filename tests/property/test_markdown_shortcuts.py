"""sitegen's shortcuts through Python-Markdown (plain paragraphs straight to the paragraph
processor, idle stages skipped, the faster inline pass) give exactly the HTML of Python-Markdown
without them, for any mix of block syntax."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.render import RenderSettings, make_converter

# Blocks and lines that start or nearly start every kind of block, inline syntax, and text.
FRAGMENTS = [
    "Đoạn văn bình thường.", "# Tiêu đề", "## Mục {#muc}", "Tiêu đề\n====", "Tiêu đề\n---",
    "---", "***", "_ _ _", "- mục", "* mục", "+ mục", "1. một", "2) hai", "> trích",
    "   > trích", "    mã thụt", "\tmã sau tab", "| a | b |\n| --- | --- |\n| 1 | 2 |",
    "a | b\n--|--\n1 | 2", "[ref]: http://example.org", "[^1]: chú thích", "chữ[^1] ở đây",
    "*[HTML]: Hyper Text", "HTML ở đây", "Thuật ngữ\n:   định nghĩa", "<div>khối</div>",
    '<div markdown="1">*nghiêng*</div>', "&amp; &copy; AT&T", "chữ {: .lop }", "{: #x }",
    "\\*không nhấn\\*", "`mã` và ``mã``", "```python\nprint(1)\n```", "~~~\nx\n~~~",
    '![ảnh](a.png "chú thích")', "[liên kết](../b.md)", "<http://example.org>", "dòng  \nngắt",
    "  thụt hai", " một dấu cách", "1990 là năm", "!quan trọng", "=bằng", "_gạch_ dưới",
    ":hai chấm", "|ống", "chữ\n- không phải danh sách", "chữ\n# không", "chữ\n> trích",
    "chữ\n    thụt", "chữ\n1. số", "chữ\n===", "**đậm** và *nghiêng*", "   ", "",
    "\u00a0khoảng trắng", "٣ chữ số Ả Rập", "<!-- chú thích -->", "chữ <span>nội</span> tuyến",
    "- a\n\n    tiếp", "1. a\n2. b\n\n   đoạn", "* a\n* b\nlười", "[ref]", "chữ\\\nnữa",
    "dòng một\r\ndòng hai\rba", "a\n   \nb", "cột\tthứ hai\t", "lạ\x02\x03 ký tự",
]  # fmt: skip
SEPARATORS = ["\n\n", "\n", "\n\n\n", "\n\n    "]

DOCUMENTS = st.lists(
    st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS)), min_size=1, max_size=8
).map(lambda parts: "".join(fragment + separator for fragment, separator in parts))

FAST = make_converter(RenderSettings("/", "vi"))
PLAIN = make_converter(RenderSettings("/", "vi"), shortcuts=False)


def convert(converter, text: str) -> str:
    converter.reset()
    converter.sitegen_source_dir = "tin-hoat-dong"
    converter.sitegen_take_lead = True
    converter.sitegen_references = []
    return converter.convert(text)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_shortcuts_give_the_same_html_as_python_markdown(text):
    assert convert(FAST, text) == convert(PLAIN, text)


def test_the_shortcuts_are_taken():
    """The comparison above means something only if the fast converter takes its shortcuts."""
    text = "Một đoạn văn.\n\nĐoạn thứ hai, không có cú pháp nào."
    convert(FAST, text)
    assert FAST.sitegen_marks == frozenset()
    assert FAST.preprocessors["fenced_code_block"].__class__.__name__ == "_Gated"
    assert FAST.parser.parseBlocks.func.__name__ == "_parse_blocks"
