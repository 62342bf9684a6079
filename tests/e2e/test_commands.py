"""The commands as users run them: sitegen new, build options, python -m sitegen, build.py."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

import sitegen
from sitegen.cli import main
from tests.conftest import article
from tests.e2e.helpers import ATOM, SUMMARY, attrs, exists, sitemap_locs, texts, xml

REPO = Path(__file__).resolve().parents[2]
NEW_TITLE = "Hội nghị tổng kết năm 2026"
NEW_FILE = "content/tin-hoat-dong/hoi-nghi-tong-ket-nam-2026.md"


def run_new(site, *extra: str) -> int:
    command = ["new", NEW_TITLE, "--section", "tin-hoat-dong", "--author", "Lê Văn Minh"]
    return main([*command, "--config", str(site.root / "config.yaml"), *extra])


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    opening, yaml_text, _body = text.split("---\n", 2)
    assert opening == ""
    return yaml.safe_load(yaml_text)


# --- sitegen new ----------------------------------------------------------------------


def test_new_creates_article_with_vietnamese_aware_file_name_and_front_matter(make_site):
    site = make_site()
    assert run_new(site) == 0
    fields = front_matter(site.root / NEW_FILE)
    assert {key: fields[key] for key in ("title", "author", "section", "draft")} == {
        "title": NEW_TITLE,
        "author": "Lê Văn Minh",
        "section": "tin-hoat-dong",
        "draft": True,
    }
    # "now" is SOURCE_DATE_EPOCH (2030-01-01T00:00Z), written in the site's timezone
    assert str(fields["date"]).startswith("2030-01-01 07:00")


def test_new_article_is_a_draft_that_builds_with_drafts(make_site):
    site = make_site()
    assert run_new(site) == 0
    assert site.build() == 0
    assert not exists(site, "/tin-hoat-dong/hoi-nghi-tong-ket-nam-2026/")
    assert site.build("--drafts") == 0
    page = site.html("/tin-hoat-dong/hoi-nghi-tong-ket-nam-2026/")
    assert texts(page, "h1") == [NEW_TITLE]
    assert texts(page, ".meta-authors a") == ["Lê Văn Minh"]


def test_new_never_overwrites_an_existing_article(make_site, capsys):
    site = make_site()
    assert run_new(site) == 0
    path = site.root / NEW_FILE
    path.write_text(path.read_text(encoding="utf-8") + "Nội dung đã viết.\n", encoding="utf-8")
    before = path.read_bytes()
    capsys.readouterr()
    assert run_new(site) == 1
    assert path.read_bytes() == before
    assert "already exists" in capsys.readouterr().err


def test_new_refuses_an_unknown_section_and_creates_nothing(make_site, capsys):
    site = make_site()
    code = main(
        [
            "new",
            NEW_TITLE,
            "--section",
            "khong-co",
            "--author",
            "A",
            "--config",
            str(site.root / "config.yaml"),
        ]
    )
    assert code == 1
    assert "tin-hoat-dong" in capsys.readouterr().err
    assert not (site.root / "content").exists()


# --- build options --------------------------------------------------------------------


def test_output_option_builds_into_the_named_folder_only(make_site, tmp_path):
    site = make_site({"content/tin-hoat-dong/a.md": article(title="Một bài")})
    assert site.build("--output", str(tmp_path / "ra")) == 0
    assert (tmp_path / "ra/tin-hoat-dong/mot-bai/index.html").is_file()
    assert not site.output.exists()


def test_build_prints_one_summary_line(make_site, capsys):
    site = make_site({"content/tin-hoat-dong/a.md": article(title="Một bài")})
    assert site.build() == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    match = SUMMARY.match(lines[0])
    assert match, lines
    assert Path(match["output"]).resolve() == site.output.resolve()


def test_check_writes_nothing(make_site, capsys):
    site = make_site({"content/tin-hoat-dong/a.md": article(title="Một bài")})
    assert main(["check", "--config", str(site.root / "config.yaml")]) == 0
    assert re.match(
        r"^Checked \d+ pages in \d+\.\d\d s: no errors$", capsys.readouterr().out.strip()
    )
    assert not site.output.exists()


@pytest.fixture(scope="module")
def sub_path_site(built_site):
    body = 'Xem [trang chuyên mục](/xay-dung-dang/) và ảnh:\n\n![Ảnh](/images/a.jpg "Chú thích")\n'
    files = {
        "content/tin-hoat-dong/a.md": article(
            title="Bài một",
            date="2026-01-01 08:00",
            body="Mở đầu.\n\n" + body,
            image="/images/bia.jpg",
            tags="[Thẻ]",
        ),
        "content/tin-hoat-dong/b.md": article(title="Bài hai", date="2026-01-02 08:00"),
    }
    config = (
        "title: T\nbase_url: https://example.org/\nbanner: {image: /images/banner.jpg}\n"
        + "sections: [{key: tin-hoat-dong, title: Tin}, {key: xay-dung-dang, title: Đảng}]\n"
    )
    return built_site(files, config, "--base-url", "https://host/tinh-uy/")


def test_base_url_with_sub_path_prefixes_every_link_in_pages(sub_path_site):
    page = sub_path_site.html("/tin-hoat-dong/bai-mot/")
    links = [a["href"] for a in page.select("a[href]") if not a["href"].startswith("#")]
    links += [tag["src"] for tag in page.select("img[src]")]
    links += [tag["href"] for tag in page.select("link[href]:not([rel=canonical])")]
    assert len(links) > 10
    assert [link for link in links if not link.startswith("/tinh-uy/")] == []
    assert "/tinh-uy/xay-dung-dang/" in attrs(page, ".article-body a", "href")
    assert attrs(page, ".article-body figure img", "src") == ["/tinh-uy/images/a.jpg"]
    assert attrs(page, "figure.cover img", "src") == ["/tinh-uy/images/bia.jpg"]
    assert attrs(page, "img.banner-image", "src") == ["/tinh-uy/images/banner.jpg"]
    assert attrs(page, "link[rel=canonical]", "href") == [
        "https://host/tinh-uy/tin-hoat-dong/bai-mot/"
    ]


def test_base_url_with_sub_path_keeps_output_paths(sub_path_site):
    assert exists(sub_path_site, "/tin-hoat-dong/bai-mot/")
    assert not exists(sub_path_site, "/tinh-uy/tin-hoat-dong/bai-mot/")


def test_base_url_with_sub_path_makes_absolute_feed_and_sitemap_urls(sub_path_site):
    feed = xml(sub_path_site, "/feed.xml")
    assert feed.findtext(f"{ATOM}id") == "https://host/tinh-uy/feed.xml"
    assert [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")] == [
        "https://host/tinh-uy/tin-hoat-dong/bai-hai/",
        "https://host/tinh-uy/tin-hoat-dong/bai-mot/",
    ]
    locs = sitemap_locs(sub_path_site)
    assert locs and all(loc.startswith("https://host/tinh-uy/") for loc in locs)
    robots = (sub_path_site.output / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "Sitemap: https://host/tinh-uy/sitemap.xml" in robots


def test_base_url_without_trailing_slash_is_the_same_sub_path(make_site):
    site = make_site({"content/tin-hoat-dong/a.md": article(title="Một bài")})
    assert site.build("--base-url", "https://host/tinh-uy") == 0
    assert attrs(site.html("/tin-hoat-dong/mot-bai/"), "nav.breadcrumbs a", "href") == [
        "/tinh-uy/",
        "/tinh-uy/tin-hoat-dong/",
        "/tinh-uy/tin-hoat-dong/mot-bai/",
    ]


# --- python -m sitegen and build.py ---------------------------------------------------


def test_python_m_sitegen_prints_its_version():
    result = subprocess.run(
        [sys.executable, "-m", "sitegen", "--version"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"sitegen {sitegen.__version__}"


def test_python_m_sitegen_builds_a_site(make_site):
    site = make_site({"content/tin-hoat-dong/a.md": article(title="Một bài")})
    result = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "--config", str(site.root / "config.yaml")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert SUMMARY.match(result.stdout.strip())
    assert texts(site.html("/tin-hoat-dong/mot-bai/"), "h1") == ["Một bài"]


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The repository's example site, built by `python build.py --output <tmp> --no-cache`.

    Nothing is written into the repository: not its public/ folder, nor its .sitegen-cache/.
    """
    output = tmp_path_factory.mktemp("example") / "out"
    result = subprocess.run(
        [sys.executable, "build.py", "--output", str(output), "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result, output


def test_build_py_builds_the_example_site_with_a_summary_line(example):
    result, output = example
    assert result.returncode == 0, result.stderr
    summary = SUMMARY.match(result.stdout.strip().splitlines()[-1])
    assert summary, result.stdout
    assert int(summary["pages"]) >= 16 + 4 + 1
    assert Path(summary["output"]).resolve() == output.resolve()


def test_example_site_has_every_section_and_article_page(example):
    """Every section of the example (of each of its sub-sites, when it is a portal) has its
    page and feed, and every published article its page."""
    _, output = example
    config = yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))
    scopes = [(s["key"] + "/", s["sections"]) for s in config.get("subsites", [])]
    scopes = scopes or [("", config["sections"])]
    sources = [p for p in (REPO / "content").rglob("*.md")]
    articles = []
    for prefix, sections in scopes:
        keys = [s["key"] for s in sections]
        for key in keys:
            assert (output / prefix / key / "index.html").is_file()
            assert (output / prefix / key / "feed.xml").is_file()
        articles += [
            p
            for p in (output / prefix).glob("*/*/index.html")
            if p.parts[-3] in keys and p.parts[-2] != "page"
        ]
    published = [p for p in sources if "draft: true" not in p.read_text(encoding="utf-8")]
    assert len(articles) == len(published) >= 16
    for name in ("index.html", "404.html", "feed.xml", "sitemap.xml", "robots.txt"):
        assert (output / name).is_file()


def internal_targets(page: BeautifulSoup) -> list[str]:
    found = [a["href"] for a in page.select("a[href]")] + [
        i["src"] for i in page.select("img[src]")
    ]
    found += [link["href"] for link in page.select("link[href]")]
    return [url for url in found if url.startswith("/") and not url.startswith("//")]


def test_example_site_pages_have_one_h1_alt_texts_and_no_broken_links(example):
    _, output = example
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 20
    problems = []
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        shown = path.relative_to(output).as_posix()
        if len(page.select("h1")) != 1:
            problems.append(f"{shown}: {len(page.select('h1'))} h1")
        problems += [
            f"{shown}: img without alt {img.get('src')}"
            for img in page.select("img")
            if not img.get("alt")
        ]
        for url in internal_targets(page):
            target = output / unquote(urlsplit(url).path).lstrip("/")
            if not (target / "index.html" if url.split("#")[0].endswith("/") else target).is_file():
                problems.append(f"{shown}: broken link {url}")
    assert problems == []
