from __future__ import annotations

import datetime as dt
import signal
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from sitegen.parse import Document
from sitegen.render import (
    RenderSettings,
    RenderTooSlow,
    html_to_text,
    render_document,
    time_budget,
)

ROOT = RenderSettings("/", "vi")


def render(
    body: str,
    summary: str | None = None,
    path: str = "tin-hoat-dong/a.md",
    settings: RenderSettings = ROOT,
):
    document = Document(
        path,
        "Tiêu đề",
        dt.datetime(2026, 1, 15, tzinfo=ZoneInfo("UTC")),
        ("A",),
        body,
        6,
        summary=summary,
    )
    return render_document(document, settings)


def soup(fragment: str) -> BeautifulSoup:
    return BeautifulSoup(fragment, "html.parser")


def test_lone_image_with_title_becomes_a_figure_with_caption():
    out = render('Mở đầu.\n\n![Ảnh hội nghị](anh.jpg "Toàn cảnh hội nghị")\n\nKết.')
    figure = soup(out.content_html).find("figure")
    assert figure is not None
    assert figure.img["alt"] == "Ảnh hội nghị"
    assert not figure.img.has_attr("title")
    assert figure.figcaption.get_text() == "Toàn cảnh hội nghị"
    assert figure.parent.name != "p"


def test_image_without_title_stays_an_img_in_a_paragraph():
    out = render("Mở đầu.\n\n![Ảnh](anh.jpg)\n")
    page = soup(out.content_html)
    assert page.find("figure") is None
    assert page.img.parent.name == "p"


def test_titled_image_inside_text_stays_inline():
    out = render('Mở đầu.\n\nChữ ![Ảnh](anh.jpg "Chú thích") tiếp.\n')
    page = soup(out.content_html)
    assert page.find("figure") is None
    assert page.img["title"] == "Chú thích"


def test_caption_text_is_escaped():
    out = render('Mở đầu.\n\n![a](a.jpg "<script>x</script>")\n')
    assert "<script>" not in out.content_html
    assert soup(out.content_html).figcaption.get_text() == "<script>x</script>"


def test_first_paragraph_becomes_the_lead_and_leaves_the_body():
    out = render("Đoạn **mở đầu**.\n\nĐoạn thứ hai.\n")
    assert out.lead_html == "<p>Đoạn <strong>mở đầu</strong>.</p>"
    assert out.summary_text == "Đoạn mở đầu."
    assert "mở đầu" not in out.content_html
    assert soup(out.content_html).get_text().strip() == "Đoạn thứ hai."
    assert "sitegen-lead-mark" not in out.content_html + out.lead_html


def test_summary_from_front_matter_is_the_lead_and_body_keeps_its_first_paragraph():
    out = render("Đoạn một.\n\nĐoạn hai.\n", summary="Tóm *tắt*.")
    assert out.lead_html == "<p>Tóm <em>tắt</em>.</p>"
    assert out.summary_text == "Tóm tắt."
    assert [p.get_text() for p in soup(out.content_html).find_all("p")] == [
        "Đoạn một.",
        "Đoạn hai.",
    ]


def test_plain_lead_gives_plain_summary_text():
    assert render("Đoạn mở đầu, có dấu phẩy.\n\nHai.\n").summary_text == "Đoạn mở đầu, có dấu phẩy."


def test_summary_text_has_no_space_where_inline_markup_ends():
    assert render("Đoạn **mở đầu**.\n\nHai.\n").summary_text == "Đoạn mở đầu."
    assert render("Một.\n", summary="Tóm *tắt*.").summary_text == "Tóm tắt."


def test_body_starting_with_a_heading_has_no_lead():
    out = render("## Phần một\n\nĐoạn.\n")
    assert out.lead_html == ""
    assert out.summary_text == ""
    assert "Đoạn." in out.content_html


@pytest.mark.parametrize("block", ["```\nx = 1\n```", '<div class="box">Hộp</div>'])
def test_body_starting_with_a_code_or_html_block_does_not_make_it_the_lead(block):
    out = render(f"{block}\n\nĐoạn đầu tiên.\n")
    assert "<p><div" not in out.lead_html + out.content_html
    assert out.lead_html in ("", "<p>Đoạn đầu tiên.</p>")


def test_toc_ids_are_vietnamese_aware_slugs():
    out = render(
        "## Đảng bộ tỉnh lần thứ XIX\n\nChữ.\n\n### Nhiệm vụ\n\n## Đảng bộ tỉnh lần thứ XIX\n"
    )
    ids = [h["id"] for h in soup(out.content_html).find_all(["h2", "h3"])]
    assert ids[:2] == ["dang-bo-tinh-lan-thu-xix", "nhiem-vu"]
    assert ids[2] != ids[0] and ids[2].startswith("dang-bo-tinh-lan-thu-xix")
    toc_links = [a["href"] for a in soup(out.toc_html).find_all("a")]
    assert toc_links == ["#" + i for i in ids]


def test_no_headings_no_toc():
    assert render("Chỉ một đoạn.\n").toc_html == ""


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java%20script:x",
        " javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<b>x</b>",
    ],
)
def test_script_links_are_neutralised(link):
    out = render(f"Mở đầu.\n\n[bấm]({link}) và ![ảnh]({link})\n")
    page = soup(out.content_html)
    for value in [page.a["href"], page.img["src"]]:
        squeezed = "".join(value.split()).lower()
        assert not squeezed.startswith(("javascript:", "vbscript:", "data:text/html"))


def test_javascript_link_in_markdown_becomes_hash():
    out = render("Mở đầu.\n\n[bấm](javascript:alert(1))\n")
    assert soup(out.content_html).a["href"] == "#"


def test_relative_links_resolve_from_the_files_folder():
    out = render(
        "Mở đầu.\n\n[a](hinh/a.pdf) [b](../khac/b.jpg) ![c](c.jpg)\n",
        path="tin-hoat-dong/2026/bai.md",
    )
    page = soup(out.content_html)
    assert [a["href"] for a in page.find_all("a")] == [
        "/tin-hoat-dong/2026/hinh/a.pdf",
        "/tin-hoat-dong/khac/b.jpg",
    ]
    assert page.img["src"] == "/tin-hoat-dong/2026/c.jpg"


def test_links_get_the_base_path_of_a_sub_path_site():
    settings = RenderSettings("/tinh-uy/", "vi")
    out = render(
        "Mở đầu.\n\n[a](anh.jpg) [b](/gioi-thieu/) [c](https://example.net/x) [d](#muc)"
        " [e](//cdn.net/x)\n",
        settings=settings,
    )
    hrefs = [a["href"] for a in soup(out.content_html).find_all("a")]
    assert hrefs == [
        "/tinh-uy/tin-hoat-dong/anh.jpg",
        "/tinh-uy/gioi-thieu/",
        "https://example.net/x",
        "#muc",
        "//cdn.net/x",
    ]


def test_images_are_lazy_loaded():
    out = render("Mở đầu.\n\n![a](a.jpg)\n")
    assert soup(out.content_html).img["loading"] == "lazy"


def test_code_is_highlighted_with_pygments_classes():
    out = render("Mở đầu.\n\n```python\ndef f():\n    return 1\n```\n")
    page = soup(out.content_html)
    block = page.find("div", class_="codehilite")
    assert block is not None
    assert block.find("span", class_="k").get_text() == "def"
    assert block.find("span", class_="nf").get_text() == "f"


def test_tables_footnotes_and_attribute_lists():
    out = render(
        "Mở đầu.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nChú thích[^1]\n\n[^1]: Ghi chú.\n\n"
        "Đoạn có lớp.\n{: .note }\n"
    )
    page = soup(out.content_html)
    assert [td.get_text() for td in page.find_all("td")] == ["1", "2"]
    assert page.find("div", class_="footnote") is not None
    assert page.find("a", class_="footnote-backref")["title"] == "Quay lại chú thích 1"
    assert page.find("p", class_="note").get_text() == "Đoạn có lớp."


def test_raw_html_in_text_is_not_escaped_but_text_is():
    out = render("A & B < C.\n")
    assert out.lead_html == "<p>A &amp; B &lt; C.</p>"
    assert out.summary_text == "A & B < C."


def test_html_to_text():
    assert html_to_text("<p>Một <b>hai</b>\n ba&amp;</p>") == "Một hai ba&"


def test_same_input_renders_the_same_twice():
    body = 'Mở đầu.\n\n## Phần\n\n![a](a.jpg "b")\n\n[^1]: x\n\nY[^1]\n'
    assert render(body) == render(body)


@pytest.mark.parametrize("marked", ["_nghiêng_", "*nghiêng*"])
def test_emphasis_with_underscores_or_asterisks(marked):
    body = soup(render(f"Mở đầu.\n\nChữ {marked} và __đậm__ ở đây.").content_html)
    assert [e.get_text() for e in body.select("p em")] == ["nghiêng"]
    assert [e.get_text() for e in body.select("p strong")] == ["đậm"]


def _busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_time_budget_stops_a_block_that_runs_too_long():
    with pytest.raises(RenderTooSlow), time_budget(0.05):
        _busy(1)


def test_time_budget_sets_an_outer_timer_again():
    previous = signal.signal(signal.SIGALRM, lambda *_: None)
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        with time_budget(5):
            _busy(0.01)
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 25 < left < 30
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_time_budget_does_not_limit_other_threads():
    outcome = []

    def work():
        with time_budget(0.01):
            _busy(0.1)
        outcome.append("done")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == ["done"]
