from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitegen.assemble import assemble_site, paginate
from sitegen.config import SectionConfig, SiteConfig
from sitegen.errors import ErrorLog
from sitegen.parse import Document
from sitegen.render import Rendered

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SECTIONS = (SectionConfig("tin", "Tin hoạt động"), SectionConfig("dang", "Xây dựng Đảng"))


def config(**overrides) -> SiteConfig:
    values = {
        "root": Path("/site"),
        "title": "T",
        "base_url": "https://example.org/",
        "sections": SECTIONS,
    }
    return SiteConfig(**{**values, **overrides})


def doc(
    path: str,
    day: int,
    title: str | None = None,
    tags: tuple[str, ...] = (),
    authors: tuple[str, ...] = ("Lê Văn Minh",),
    section: str | None = None,
    **fields,
) -> Document:
    lines = {"title": 2, "date": 3, "author": 4, "tags": 5, **fields.pop("field_lines", {})}
    return Document(
        path,
        title or f"Bài {path}",
        dt.datetime(2026, 1, day, 8, tzinfo=TZ),
        authors,
        "x",
        7,
        section=section,
        tags=tags,
        field_lines=lines,
        **fields,
    )


def assemble(documents: list[Document], **overrides):
    log = ErrorLog()
    rendered = {
        d.source_path: Rendered(
            source_path=d.source_path,
            content_html="<p>x</p>",
            lead_html="<p>l</p>",
            summary_text="l",
            toc_html="",
        )
        for d in documents
    }
    site = assemble_site(config(**overrides), documents, rendered, log)
    return site, [str(e) for e in log.errors], [str(w) for w in log.warnings]


def test_articles_are_newest_first_with_a_stable_tie_break():
    docs = [doc("tin/b.md", 1, "B"), doc("tin/c.md", 3), doc("tin/a.md", 1, "A")]
    site, errors, _ = assemble(docs)
    assert errors == []
    assert list(site.articles) == ["tin/c.md", "tin/a.md", "tin/b.md"]


def test_section_comes_from_field_key_field_title_or_folder():
    docs = [
        doc("x/a.md", 1, section="dang"),
        doc("y/b.md", 2, section="Tin Hoạt Động"),
        doc("tin/c.md", 3),
    ]
    site, errors, _ = assemble(docs)
    assert errors == []
    assert {p: a.section_key for p, a in site.articles.items()} == {
        "x/a.md": "dang",
        "y/b.md": "tin",
        "tin/c.md": "tin",
    }


def test_unknown_section_lists_the_known_keys_at_the_field_line():
    docs = [doc("tin/a.md", 1, section="the-thao", field_lines={"section": 6})]
    site, errors, _ = assemble(docs)
    assert errors == [
        "content/tin/a.md:6: unknown section 'the-thao': "
        "use one of the keys in config.yaml: tin, dang"
    ]
    assert site.articles == {}


def test_folder_that_is_no_section_lists_the_known_keys():
    _, errors, _ = assemble([doc("the-thao/a.md", 1)])
    assert errors == [
        "content/the-thao/a.md:1: no 'section:' field, and the folder 'the-thao' is no section: "
        "use one of the keys in config.yaml: tin, dang"
    ]


def test_file_at_content_root_without_section_is_an_error():
    _, errors, _ = assemble([doc("a.md", 1)])
    assert len(errors) == 1 and errors[0].startswith("content/a.md:1: 'section' is missing")


def test_sections_are_made_from_names_when_config_lists_none():
    site, errors, _ = assemble(
        [doc("a.md", 1, section="Thời sự"), doc("thoi-su/b.md", 2)], sections=()
    )
    assert errors == []
    assert list(site.sections) == ["thoi-su"]
    assert site.sections["thoi-su"].title == "Thời sự"
    assert set(site.by_section["thoi-su"]) == {"a.md", "thoi-su/b.md"}


def test_duplicate_url_names_both_files():
    docs = [doc("tin/a.md", 1, "Hội nghị"), doc("tin/b.md", 2, "Hội Nghị")]
    site, errors, _ = assemble(docs)
    assert errors == [
        "content/tin/b.md:2: has the same URL /tin/hoi-nghi/ as content/tin/a.md: "
        "give one of them another 'slug:' or title"
    ]


def test_same_title_in_two_sections_is_fine():
    _, errors, _ = assemble([doc("tin/a.md", 1, "Hội nghị"), doc("dang/b.md", 2, "Hội nghị")])
    assert errors == []


def test_slug_field_wins_over_title():
    site, _, _ = assemble([doc("tin/a.md", 1, "Tiêu đề dài", slug="ngan")])
    assert site.articles["tin/a.md"].path == "/tin/ngan/"


def test_related_lists_hold_the_newest_others_of_the_same_section():
    docs = [doc(f"tin/{n}.md", n) for n in range(1, 7)] + [doc("dang/x.md", 30)]
    site, _, _ = assemble(docs, related_count=3)
    assert site.related["tin/6.md"] == ("tin/5.md", "tin/4.md", "tin/3.md")
    assert site.related["tin/5.md"] == ("tin/6.md", "tin/4.md", "tin/3.md")
    assert site.related["tin/1.md"] == ("tin/6.md", "tin/5.md", "tin/4.md")
    assert site.related["dang/x.md"] == ()
    for path, related in site.related.items():
        assert path not in related
        assert all(site.articles[r].section_key == site.articles[path].section_key for r in related)


def test_related_list_is_shorter_when_the_section_is_small():
    site, _, _ = assemble([doc("tin/1.md", 1), doc("tin/2.md", 2)], related_count=8)
    assert site.related["tin/1.md"] == ("tin/2.md",)


def test_previous_and_next_stay_in_the_section():
    docs = [doc("tin/1.md", 1), doc("dang/x.md", 2), doc("tin/2.md", 3), doc("tin/3.md", 5)]
    site, _, _ = assemble(docs)
    assert (site.older["tin/3.md"], site.newer["tin/3.md"]) == ("tin/2.md", None)
    assert (site.older["tin/2.md"], site.newer["tin/2.md"]) == ("tin/1.md", "tin/3.md")
    assert (site.older["tin/1.md"], site.newer["tin/1.md"]) == (None, "tin/2.md")
    assert (site.older["dang/x.md"], site.newer["dang/x.md"]) == (None, None)


@pytest.mark.parametrize(
    ("count", "per_page", "pages"),
    [(0, 2, 1), (1, 2, 1), (2, 2, 1), (3, 2, 2), (5, 2, 3), (20, 20, 1), (21, 20, 2)],
)
def test_paginate_counts_pages(count, per_page, pages):
    paths = [f"p{n}" for n in range(count)]
    result = paginate("section", "tin", "/tin/", paths, per_page)
    assert len(result) == pages
    assert [p.number for p in result] == list(range(1, pages + 1))
    assert all(p.total == pages for p in result)
    assert [item for p in result for item in p.items] == paths
    assert result[0].path == "/tin/"
    if pages > 1:
        assert result[1].path == "/tin/page/2/"
    assert all(len(p.items) <= per_page for p in result)


def test_section_pages_are_planned_with_per_page():
    site, _, _ = assemble([doc(f"tin/{n}.md", n) for n in range(1, 6)], per_page=2)
    section_pages = [p for p in site.pages if p.kind == "section" and p.key == "tin"]
    assert [p.path for p in section_pages] == ["/tin/", "/tin/page/2/", "/tin/page/3/"]
    assert section_pages[0].items == ("tin/5.md", "tin/4.md")
    assert section_pages[2].items == ("tin/1.md",)
    empty = [p for p in site.pages if p.kind == "section" and p.key == "dang"]
    assert len(empty) == 1 and empty[0].items == ()


def test_every_page_path_is_unique():
    docs = [doc(f"tin/{n}.md", n, tags=("Đảng",)) for n in range(1, 6)]
    site, _, _ = assemble(docs, per_page=2)
    paths = [p.path for p in site.pages]
    assert len(paths) == len(set(paths))
    assert {"/", "/404.html", "/tags/dang/", "/tags/dang/page/3/", "/authors/le-van-minh/"} <= set(
        paths
    )


def test_tags_differing_in_case_or_unicode_form_are_one_tag_shown_as_most_used():
    import unicodedata

    docs = [
        doc("tin/1.md", 1, tags=("Hội nghị",)),
        doc("tin/2.md", 2, tags=("hội nghị",)),
        doc("tin/3.md", 3, tags=(unicodedata.normalize("NFD", "Hội Nghị"),)),
        doc("tin/4.md", 4, tags=("hội nghị", "HỘI NGHỊ")),
    ]
    site, _, warnings = assemble(docs)
    assert warnings == []
    assert len(site.tags) == 1
    (term,) = site.tags.values()
    assert term.name == "hội nghị"
    assert term.path == "/tags/hoi-nghi/"
    assert site.by_tag[term.key] == ("tin/4.md", "tin/3.md", "tin/2.md", "tin/1.md")
    assert site.articles["tin/4.md"].tag_keys == (term.key,)


def test_authors_merge_like_tags():
    docs = [
        doc("tin/1.md", 1, authors=("Lê Văn Minh",)),
        doc("tin/2.md", 2, authors=("LÊ VĂN MINH", "Trần Hoa")),
    ]
    site, _, _ = assemble(docs)
    assert [t.name for t in site.authors.values()] == ["Lê Văn Minh", "Trần Hoa"]
    assert [t.path for t in site.authors.values()] == [
        "/authors/le-van-minh/",
        "/authors/tran-hoa/",
    ]


def test_terms_are_in_vietnamese_alphabetical_order():
    names = ("Đảng", "ăn", "Zalo", "Dân", "ân", "an", "bàn")
    site, _, _ = assemble([doc("tin/1.md", 1, tags=names)])
    assert [t.name for t in site.tags.values()] == ["an", "ăn", "ân", "bàn", "Dân", "Đảng", "Zalo"]


def test_clashing_tag_slugs_get_numbered_and_a_warning():
    docs = [
        doc("tin/1.md", 1, tags=("Ân",), field_lines={"tags": 5}),
        doc("tin/2.md", 2, tags=("Ăn",)),
    ]
    site, errors, warnings = assemble(docs)
    assert errors == []
    slugs = {t.name: t.slug for t in site.tags.values()}
    assert slugs == {"Ăn": "an", "Ân": "an-2"}  # alphabetical: ă before â
    assert site.tags[[k for k, t in site.tags.items() if t.name == "Ân"][0]].path == "/tags/an-2/"
    assert warnings == [
        "content/tin/1.md:5: tag 'Ân' has the same slug as 'Ăn': its page is /tags/an-2/"
    ]


def test_numbered_slug_skips_a_slug_another_tag_already_has():
    site, _, warnings = assemble([doc("tin/1.md", 1, tags=("Ăn", "Ân", "an 2"))])
    assert {t.name: t.slug for t in site.tags.values()} == {
        "Ăn": "an",
        "Ân": "an-3",
        "an 2": "an-2",
    }
    assert len(warnings) == 1


def test_home_page_holds_home_count_newest():
    site, _, _ = assemble([doc(f"tin/{n}.md", n) for n in range(1, 6)], home_count=3)
    (home,) = [p for p in site.pages if p.kind == "home"]
    assert home.items == ("tin/5.md", "tin/4.md", "tin/3.md")


def test_relative_cover_image_resolves_from_the_files_folder():
    site, _, _ = assemble(
        [doc("tin/2026/a.md", 1, image="anh.jpg"), doc("tin/b.md", 2, image="/images/b.jpg")],
        base_url="https://example.org/tinh-uy/",
    )
    assert site.articles["tin/2026/a.md"].image.src == "/tinh-uy/tin/2026/anh.jpg"
    assert site.articles["tin/b.md"].image.src == "/tinh-uy/images/b.jpg"
    assert site.articles["tin/b.md"].image.alt == "Bài tin/b.md"


def test_same_input_assembles_the_same():
    docs = [doc(f"tin/{n}.md", n % 3 + 1, tags=("Ăn", "Ân")) for n in range(6)]
    first, _, _ = assemble(docs)
    second, _, _ = assemble(list(reversed(docs)))
    assert list(first.articles) == list(second.articles)
    assert first.pages == second.pages
    assert first.tags == second.tags
