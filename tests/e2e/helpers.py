"""Small readers of built pages and feeds for the end-to-end tests."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path

from bs4 import BeautifulSoup

from tests.conftest import BASE_CONFIG, Site, article
from tests.pictures import PNG

# The one line a successful `sitegen build` prints; "(N rendered)" when some pages were unchanged.
SUMMARY = re.compile(
    r"^Built (?P<pages>\d+) pages(?: \((?P<rendered>\d+) rendered\))? in \d+\.\d\d s: "
    r"(?P<written>\d+) files written, (?P<kept>\d+) unchanged, in (?P<output>.+)$"
)
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def config(extra: str = "", base: str = BASE_CONFIG) -> str:
    """The shared test config with extra top-level lines, e.g. config("per_page: 2")."""
    return base + extra.strip() + "\n" if extra.strip() else base


def texts(page: BeautifulSoup, selector: str) -> list[str]:
    """Whitespace-normalised text of every element matching a CSS selector, in document order."""
    return [
        " ".join(element.get_text(" ", strip=True).split()) for element in page.select(selector)
    ]


def attrs(page: BeautifulSoup, selector: str, name: str) -> list[str | None]:
    """The attribute `name` of every element matching a CSS selector, in document order."""
    return [element.get(name) for element in page.select(selector)]


def card_titles(page: BeautifulSoup, scope: str = "main") -> list[str]:
    """Titles of the listing cards inside `scope`, in the order the page shows them."""
    return texts(page, f"{scope} .card-title a")


def exists(site: Site, url_path: str) -> bool:
    relative = url_path.lstrip("/")
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    return (site.output / relative).is_file()


def xml(site: Site, url_path: str) -> etree.Element:
    """Parsed XML file of the output (a feed or the sitemap)."""
    return etree.fromstring((site.output / url_path.lstrip("/")).read_bytes())


def feed_entry_titles(feed: etree.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]


def sitemap_locs(site: Site) -> list[str]:
    return [loc.text for loc in xml(site, "/sitemap.xml").iter(f"{SITEMAP}loc")]


def output_files(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in sorted(output.rglob("*"))
        if p.is_file()
    }


def summary_counts(stdout: str) -> tuple[int, int, int]:
    """(pages, files written, files unchanged) from the output of one build."""
    lines = stdout.strip().splitlines()
    match = SUMMARY.match(lines[-1]) if lines else None
    assert match, stdout
    return int(match["pages"]), int(match["written"]), int(match["kept"])




def news_site() -> dict[str, str | bytes]:
    return {
        "content/tin-hoat-dong/hoi-nghi.md": article(
            title="Hội nghị tổng kết",
            date="2026-03-02 08:00",
            updated="2026-03-05 10:00",
            summary="Tóm tắt hội nghị.",
            body='Nội dung.\n\n![Ảnh hội trường](anh.jpg "Hội trường")\n',
        ),
        "content/tin-hoat-dong/anh.jpg": PNG,
        "content/tin-hoat-dong/tap-huan.md": article(
            title="Tập huấn cán bộ", date="2026-03-01 08:00"
        ),
        "content/xay-dung-dang/chi-bo.md": article(
            title="Sinh hoạt chi bộ", date="2026-03-03 08:00", section="xay-dung-dang"
        ),
        "static/images/banner.jpg": PNG + b"banner",
        "static/robots-extra/ghi-chu.txt": "tệp tĩnh\n",
    }
