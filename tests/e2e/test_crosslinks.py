"""Links writers put in Markdown to other content files become the URLs of those pages."""

from __future__ import annotations

import pytest

from tests.conftest import article
from tests.e2e.helpers import ATOM, PNG, config, xml
from tests.e2e.test_incremental import clean_build
from tests.pictures import is_variant_of

SUB_PATH = config().replace("https://example.org/", "https://example.org/tinh-uy/")
TARGET = "/tin-hoat-dong/hoi-nghi-tong-ket/"

LINKING_BODY = """Mở đầu có [bài hội nghị](../tin-hoat-dong/hoi-nghi.md).

## Liên kết

- [tương đối có neo](../tin-hoat-dong/hoi-nghi.md#ket-qua)
- [từ content/](/tin-hoat-dong/hoi-nghi.md)
- [từ content/ có neo](/tin-hoat-dong/hoi-nghi.md#ket-qua)
- [cùng thư mục](chi-bo-2.md)

![Ảnh hội trường](../tin-hoat-dong/anh.jpg)

![Ảnh từ content/](/tin-hoat-dong/anh.jpg)
"""


def files(extra: dict[str, str] | None = None) -> dict[str, str | bytes]:
    """Three articles, one linking the others; `extra` adds files by path under content/."""
    return {
        "content/tin-hoat-dong/hoi-nghi.md": article(
            title="Hội nghị tổng kết",
            date="2026-03-02 08:00",
            body="Mở đầu.\n\n## Kết quả\n\nNội dung.\n",
        ),
        "content/tin-hoat-dong/anh.jpg": PNG,
        "content/xay-dung-dang/chi-bo.md": article(
            title="Sinh hoạt chi bộ",
            date="2026-03-03 08:00",
            section="xay-dung-dang",
            body=LINKING_BODY,
        ),
        "content/xay-dung-dang/chi-bo-2.md": article(
            title="Chi bộ kiểu mẫu", date="2026-03-01 08:00", section="xay-dung-dang"
        ),
        **{f"content/{path}": text for path, text in (extra or {}).items()},
    }


def linking(body: str, **fields: str) -> str:
    """An article of xay-dung-dang whose body starts on line 8 of its file."""
    return article(title="Bài liên kết", section="xay-dung-dang", body=body, **fields)


def article_links(site, url_path: str) -> list[str]:
    body = site.html(url_path).select_one("article")
    return [a["href"] for a in body.select("a[href]") if not a["href"].startswith("#")]


@pytest.mark.parametrize(("site_config", "base"), [(config(), "/"), (SUB_PATH, "/tinh-uy/")])
def test_links_to_markdown_files_become_page_urls(make_site, site_config, base):
    site = make_site(files(), config=site_config)
    assert site.build() == 0
    page = site.html("/xay-dung-dang/sinh-hoat-chi-bo/")
    hrefs = [a["href"] for a in page.select("main a[href]")]
    target = base + TARGET[1:]
    for expected in (target, f"{target}#ket-qua", f"{base}xay-dung-dang/chi-bo-kieu-mau/"):
        assert expected in hrefs
    assert hrefs.count(f"{target}#ket-qua") == 2
    assert not [h for h in hrefs if ".md" in h or "sitegen" in h]
    sources = [img["src"] for img in page.select("main img")]
    assert len(sources) == 2
    assert all(is_variant_of(src, f"{base}tin-hoat-dong/anh.jpg") for src in sources)
    assert site.html(TARGET).find(id="ket-qua") is not None


def test_the_lead_link_resolves_on_the_page_and_in_feeds(make_site):
    site = make_site(files())
    assert site.build() == 0
    lead = site.html("/xay-dung-dang/sinh-hoat-chi-bo/").select_one(".lead")
    assert [a["href"] for a in lead.select("a[href]")] == [TARGET]
    entries = xml(site, "/feed.xml").iter(f"{ATOM}entry")
    contents = [e.findtext(f"{ATOM}content") for e in entries]
    content = next(c for c in contents if "bài hội nghị" in c)
    assert f'href="{TARGET}"' in content and ".md" not in content


def test_a_link_in_the_summary_field_resolves(make_site):
    summary = "'Xem [hội nghị](../tin-hoat-dong/hoi-nghi.md).'"
    site = make_site(files({"xay-dung-dang/tom-tat.md": linking("Thân bài.", summary=summary)}))
    assert site.build() == 0
    assert TARGET in article_links(site, "/xay-dung-dang/bai-lien-ket/")


def build_error(site, capsys, *args: str) -> str:
    assert site.build(*args) == 1
    return capsys.readouterr().err


def test_a_link_to_a_missing_file_fails_naming_file_line_and_target(make_site, capsys):
    body = "Mở đầu.\n\nXem [bài](../tin-hoat-dong/khong-co.md).\n"
    site = make_site(files({"xay-dung-dang/sai.md": linking(body)}))
    err = build_error(site, capsys)
    expected = "link to 'tin-hoat-dong/khong-co.md': no such article"
    assert f"error: content/xay-dung-dang/sai.md:10: {expected}" in err
    assert not site.output.exists()


def test_a_link_to_a_missing_anchor_fails_and_suggests_the_nearest(make_site, capsys):
    body = "Mở đầu.\n\nDòng.\n\nXem [bài](/tin-hoat-dong/hoi-nghi.md#ket-qa).\n"
    site = make_site(files({"xay-dung-dang/sai.md": linking(body)}))
    err = build_error(site, capsys)
    assert (
        "error: content/xay-dung-dang/sai.md:12: link to 'tin-hoat-dong/hoi-nghi.md#ket-qa': "
        "no anchor '#ket-qa' in content/tin-hoat-dong/hoi-nghi.md: did you mean '#ket-qua'?"
    ) in err


def test_a_relative_link_to_a_missing_content_file_fails(make_site, capsys):
    body = "Mở đầu.\n\n![Ảnh](anh-khong-co.jpg)\n"
    site = make_site(files({"xay-dung-dang/sai.md": linking(body)}))
    err = build_error(site, capsys)
    expected = "link to 'xay-dung-dang/anh-khong-co.jpg': no such file (content/xay-dung-dang/anh"
    assert f"error: content/xay-dung-dang/sai.md:10: {expected}" in err


def test_relative_links_to_generated_and_static_files_are_fine(make_site):
    body = "Mở đầu.\n\n[Tin mới](../feed.xml) [Nội quy](../files/noi-quy.pdf)\n"
    site = make_site(files({"xay-dung-dang/ok.md": linking(body)}))
    site.write("static/files/noi-quy.pdf", b"%PDF-1.4")
    assert site.build("--strict") == 0


def test_a_link_to_a_draft_fails_unless_drafts_are_built(make_site, capsys):
    site = make_site(
        files(
            {
                "tin-hoat-dong/nhap.md": article(title="Bản nháp", draft="true"),
                "xay-dung-dang/moi.md": linking("Mở đầu.\n\n[nháp](../tin-hoat-dong/nhap.md)\n"),
            }
        )
    )
    err = build_error(site, capsys)
    assert (
        "error: content/xay-dung-dang/moi.md:10: link to 'tin-hoat-dong/nhap.md': "
        "content/tin-hoat-dong/nhap.md is a draft (draft: true): publish it, or build with --drafts"
    ) in err
    assert site.build("--drafts") == 0
    assert "/tin-hoat-dong/ban-nhap/" in article_links(site, "/xay-dung-dang/bai-lien-ket/")


def test_a_link_to_a_future_article_fails_unless_future_is_built(make_site, capsys):
    site = make_site(
        files(
            {
                "tin-hoat-dong/sap-toi.md": article(title="Sắp tới", date="2031-01-01"),
                "xay-dung-dang/moi.md": linking("Mở đầu.\n\n[sắp](../tin-hoat-dong/sap-toi.md)\n"),
            }
        )
    )
    err = build_error(site, capsys)
    assert (
        "link to 'tin-hoat-dong/sap-toi.md': content/tin-hoat-dong/sap-toi.md is dated "
        "2031-01-01 00:00, in the future: build with --future"
    ) in err
    assert site.build("--future") == 0


def test_a_draft_may_link_to_anything(make_site):
    draft = article(title="Nháp", draft="true", body="Mở đầu.\n\n[chưa viết](chua-viet.md)\n")
    site = make_site(files({"tin-hoat-dong/nhap.md": draft}))
    assert site.build() == 0


def test_every_bad_link_is_reported_in_one_run(make_site, capsys):
    body = "Mở đầu [a](a.md).\n\n[b](b.md)\n\n[c](hoi-nghi.md#x)\n"
    site = make_site(files({"xay-dung-dang/sai.md": linking(body)}))
    err = build_error(site, capsys)
    lines = [line.split(":")[2] for line in err.splitlines() if "sai.md" in line]
    assert lines == ["8", "10", "12"]


# --- incremental builds -------------------------------------------------------------------


def test_retitling_a_linked_article_updates_the_linking_page(make_site, tmp_path):
    site = make_site(files())
    assert site.build() == 0
    path = site.root / "content/tin-hoat-dong/hoi-nghi.md"
    text = path.read_text(encoding="utf-8").replace("Hội nghị tổng kết", "Hội nghị sơ kết")
    path.write_text(text, encoding="utf-8")
    assert site.build() == 0
    hrefs = article_links(site, "/xay-dung-dang/sinh-hoat-chi-bo/")
    assert "/tin-hoat-dong/hoi-nghi-so-ket/" in hrefs
    assert TARGET not in hrefs
    assert site.files() == clean_build(site, tmp_path)


def test_changing_the_base_url_updates_cross_links(make_site, tmp_path):
    site = make_site(files())
    assert site.build() == 0
    preview = "https://example.org/xem-truoc/"
    assert site.build("--base-url", preview) == 0
    hrefs = article_links(site, "/xay-dung-dang/sinh-hoat-chi-bo/")
    assert "/xem-truoc" + TARGET in hrefs
    assert site.files() == clean_build(site, tmp_path, "--base-url", preview)


def test_deleting_a_linked_article_fails_the_next_build(make_site, capsys):
    site = make_site(files())
    assert site.build() == 0
    before = site.files()
    (site.root / "content/tin-hoat-dong/hoi-nghi.md").unlink()
    err = build_error(site, capsys)
    expected = "link to 'tin-hoat-dong/hoi-nghi.md': no such article"
    assert f"error: content/xay-dung-dang/chi-bo.md:8: {expected}" in err
    assert site.files() == before
