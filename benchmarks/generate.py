"""Generate a deterministic news site of N Vietnamese articles for the benchmark.

    python benchmarks/generate.py N OUTDIR [--seed S] [--flavor sitegen|pelican|hugo]
                                  [--subsites K]

The same seed gives the same articles (title, date, author, section, tags, text) in every
flavour; only the file format differs:

- sitegen: OUTDIR/config.yaml, OUTDIR/content/<section>/<slug>.md with YAML front matter
  (the fields of docs/DESIGN), OUTDIR/static/images/*.png.
- pelican: OUTDIR/content/<section>/<slug>.md with Pelican's metadata header,
  OUTDIR/content/images/*.png, plus pelicanconf.py and theme/ from peers/pelican/.
- hugo: OUTDIR/content/<section>/<slug>.md with YAML front matter,
  OUTDIR/content/<section>/_index.md, OUTDIR/static/images/*.png, plus hugo.toml and
  layouts/ from peers/hugo/.

With `--subsites K` (sitegen only) the same articles make a portal of K sub-sites
(`ban-1` ... `ban-K`, each with every section), article i going to sub-site i mod K:
OUTDIR/content/ban-<n>/<section>/<slug>.md.

Standard library only.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import struct
import sys
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import textbank as tb  # noqa: E402

HERE = Path(__file__).resolve().parent
PEERS = HERE / "peers"
MARKER = ".benchmark-site"
FLAVORS = ("sitegen", "pelican", "hugo")
TARGET_BYTES = 10_000
FIRST_DATE = datetime(2019, 1, 1, 0, 0)
LAST_DATE = datetime(2026, 6, 30, 23, 59)
UTC_OFFSET = "+07:00"  # Asia/Ho_Chi_Minh has no daylight saving time
IMAGES = {
    "banner.png": (96, 16, (160, 20, 30)),
    "photo-1.png": (16, 9, (30, 90, 160)),
    "photo-2.png": (16, 9, (40, 140, 70)),
    "photo-3.png": (16, 9, (200, 150, 40)),
    "photo-4.png": (16, 9, (120, 60, 140)),
    "photo-5.png": (16, 9, (90, 90, 90)),
    "photo-6.png": (16, 9, (20, 150, 150)),
}
PHOTOS = sorted(name for name in IMAGES if name.startswith("photo-"))
# Share of articles with raw HTML pasted in (a table from a report, or a video embed), so
# that the benchmark pays for sitegen's HTML cleaning as a real site would.
RAW_HTML_SHARE = 0.04
EMBED_HOST = "www.youtube-nocookie.com"


@dataclass
class Article:
    """One generated article, independent of the output flavour."""

    title: str
    slug: str
    date: datetime
    authors: list[str]
    section: str  # section key
    summary: str
    tags: list[str]
    organisation: str
    body: str
    image: str | None = None
    image_caption: str | None = None


# --------------------------------------------------------------------------- text


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def slugify(text: str) -> str:
    """Vietnamese-aware slug: "Đảng bộ xã" -> "dang-bo-xa"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    out: list[str] = []
    for char in ascii_only.lower():
        if char.isascii() and char.isalnum():
            out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


class TextMaker:
    """Sentences, paragraphs and article parts drawn from the text bank."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, items: list[str]) -> str:
        return self.rng.choice(items)

    def number(self) -> int:
        return self.rng.choice([self.rng.randint(3, 95), self.rng.randint(100, 4800)])

    def sentence(self) -> str:
        r, p = self.rng, self.pick
        kind = r.randrange(8)
        if kind == 0:
            text = (f"{p(tb.TIMES)}, {p(tb.SUBJECTS)} đã {p(tb.ACTIONS)} {p(tb.TOPICS)} "
                    f"tại {p(tb.PLACES)}.")
        elif kind == 1:
            verb, unit = r.choice(tb.ACHIEVEMENTS)
            text = (f"Theo {p(tb.SOURCES)}, {p(tb.PLACES)} {verb} {self.number()} {unit}, "
                    f"tăng {r.randint(2, 40)}% so với cùng kỳ.")
        elif kind == 2:
            text = f"{p(tb.SUBJECTS)} yêu cầu các đơn vị {p(tb.DIRECTIVES)}, {p(tb.PURPOSES)}."
        elif kind == 3:
            text = (f"Phát biểu tại {p(tb.EVENTS)}, {p(tb.ROLES)} {p(tb.AUTHORS)} nhấn mạnh "
                    f"{p(tb.EMPHASES)}.")
        elif kind == 4:
            text = f"{p(tb.CONNECTORS)}, các cấp ủy cần {p(tb.DIRECTIVES)} nhằm {p(tb.PURPOSES)}."
        elif kind == 5:
            text = f"“{p(tb.QUOTES)}”, lãnh đạo {p(tb.PLACES)} chia sẻ."
        elif kind == 6:
            text = (f"Năm {r.randint(2019, 2026)}, toàn tỉnh có {self.number()} {p(tb.UNITS)} "
                    f"tham gia các hoạt động về {p(tb.TOPICS)}.")
        else:
            text = (f"{p(tb.CONNECTORS)}, việc {p(tb.ACTIONS)} {p(tb.TOPICS)} đã "
                    f"{p(tb.PURPOSES)}.")
        return capitalise(text)

    def paragraph(self, low: int = 3, high: int = 6) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def title(self) -> str:
        r, p = self.rng, self.pick
        kind = r.randrange(4)
        if kind == 0:
            text = f"{p(tb.SUBJECTS)} {p(tb.ACTIONS)} {p(tb.TOPICS)}"
        elif kind == 1:
            text = f"{p(tb.TITLE_OPENERS)} {p(tb.TOPICS)} ở {p(tb.PLACES)}"
        elif kind == 2:
            text = f"{capitalise(p(tb.PLACES))}: {p(tb.ACTIONS)} {p(tb.TOPICS)}"
        else:
            text = f"{p(tb.TITLE_OPENERS)} {p(tb.TOPICS)} năm {r.randint(2019, 2026)}"
        return capitalise(text)

    def table(self) -> str:
        rows = ["| Đơn vị | Chỉ tiêu | Kết quả | Tỷ lệ (%) |", "| --- | ---: | ---: | ---: |"]
        for place in self.rng.sample(tb.PLACES, self.rng.randint(3, 6)):
            goal = self.rng.randint(20, 400)
            done = self.rng.randint(goal // 2, goal + goal // 5)
            rows.append(f"| {capitalise(place)} | {goal} | {done} | {100 * done / goal:.1f} |")
        return "\n".join(rows)

    def bullet_list(self) -> str:
        items = self.rng.sample(tb.DIRECTIVES, self.rng.randint(3, 6))
        return "\n".join(f"- {capitalise(item)}." for item in items)

    def link_paragraph(self) -> str:
        number = self.rng.randint(10, 999)
        return (f"Toàn văn [kế hoạch số {number}-KH/TU](https://vanban.example.gov.vn/ke-hoach/"
                f"{number}) được đăng tải trên Cổng thông tin điện tử của tỉnh. "
                + self.sentence())

    def figure(self) -> str:
        alt = self.pick(tb.IMAGE_ALTS)
        caption = f"{alt} tại {self.pick(tb.PLACES)}. (Ảnh: {self.pick(tb.AUTHORS)})"
        return f'![{alt}](/images/{self.pick(PHOTOS)} "{caption}")'

    def quote(self) -> str:
        return f"> {self.pick(tb.QUOTES)}. {self.sentence()}"

    def pasted_html(self) -> str:
        """A table pasted from a report (merged cells, a caption), or a video embed."""
        if self.rng.random() < 0.5:
            video = "".join(self.rng.choice("abcdefghijkABCDEFGHIJK0123456789") for _ in range(11))
            return (f'<iframe src="https://{EMBED_HOST}/embed/{video}" title="Video: '
                    f'{self.pick(tb.IMAGE_ALTS)}" width="560" height="315" allowfullscreen>'
                    "</iframe>")
        rows = [f'<tr><td>{capitalise(place)}</td><td style="text-align: right">'
                f"{self.rng.randint(20, 400)}</td><td>{self.rng.randint(20, 400)}</td></tr>"
                for place in self.rng.sample(tb.PLACES, self.rng.randint(3, 6))]
        return ('<table class="bao-cao">\n<caption>Số liệu tổng hợp</caption>\n<thead>\n'
                '<tr><th rowspan="2">Đơn vị</th><th colspan="2">Kết quả</th></tr>\n'
                "<tr><th>Năm trước</th><th>Năm nay</th></tr>\n</thead>\n<tbody>\n"
                + "\n".join(rows) + "\n</tbody>\n</table>")

    def code_block(self) -> str:
        language, code = self.rng.choice(tb.CODE_SNIPPETS)
        return f"```{language}\n{code}```"


def make_body(maker: TextMaker, target: int) -> str:
    """Paragraphs, headings, a figure, a table, a list, a link; ~`target` bytes."""
    rng = maker.rng
    headings = rng.sample(tb.HEADINGS, 4)
    blocks = [maker.paragraph(), maker.paragraph(), f"## {headings[0]}", maker.paragraph(),
              maker.figure(), maker.paragraph(), f"## {headings[1]}", maker.paragraph(),
              maker.table(), maker.link_paragraph(), f"## {headings[2]}", maker.paragraph(2, 3),
              maker.bullet_list()]
    if rng.random() < 0.3:
        blocks.append(maker.quote())
    if rng.random() < 0.08:
        blocks.extend([maker.paragraph(1, 2), maker.code_block()])
    blocks.append(f"## {headings[3]}")
    while len("\n\n".join(blocks).encode()) < target:
        blocks.append(maker.paragraph())
    return nfc("\n\n".join(blocks) + "\n")


# --------------------------------------------------------------------------- model


def make_tags() -> list[str]:
    """About 200 tags: topics, places, and topic-in-place combinations."""
    places = [place.split(" ", 1)[1] for place in tb.PLACES]
    tags = list(tb.TAG_TOPICS) + list(dict.fromkeys(places))
    combos = [f"{topic} {place}" for place in places for topic in tb.TAG_TOPICS[:8]]
    tags += combos[: 200 - len(tags)]
    return [nfc(tag) for tag in tags]


def unique_title(maker: TextMaker, used: set[str]) -> tuple[str, str]:
    title = maker.title()
    slug = slugify(title)
    number = 2
    while slug in used:
        candidate = f"{title} ({number})"
        slug = slugify(candidate)
        number += 1
    if number > 2:
        title = f"{title} ({number - 1})"
    used.add(slug)
    return nfc(title), slug


def random_date(rng: random.Random) -> datetime:
    minutes = int((LAST_DATE - FIRST_DATE).total_seconds() // 60)
    return FIRST_DATE + timedelta(minutes=rng.randrange(minutes + 1))


def make_article(maker: TextMaker, tags: list[str], used: set[str]) -> Article:
    rng = maker.rng
    title, slug = unique_title(maker, used)
    author_count = 2 if rng.random() < 0.1 else 1
    authors = rng.sample(tb.AUTHORS, author_count)
    weights = [1 / (rank + 1) for rank in range(len(tags))]
    chosen = list(dict.fromkeys(rng.choices(tags, weights=weights, k=rng.randint(1, 4))))
    article = Article(
        title=title, slug=slug, date=random_date(rng), authors=authors,
        section=rng.choice(tb.SECTIONS)[0], summary=nfc(maker.paragraph(1, 2)),
        tags=chosen, organisation=tb.ORGANISATIONS[tb.AUTHORS.index(authors[0]) % 8],
        body="",
    )
    if rng.random() < 0.5:
        article.image = f"/images/{rng.choice(PHOTOS)}"
        article.image_caption = nfc(f"{rng.choice(tb.IMAGE_ALTS)} tại {rng.choice(tb.PLACES)}.")
    article.body = make_body(maker, TARGET_BYTES - 900)
    return article


def make_articles(count: int, seed: int, raw_html: float = RAW_HTML_SHARE) -> list[Article]:
    """The same `count` articles for a given seed, in every flavour. A share `raw_html` of
    them get a block of raw HTML after their table; which ones, and the HTML, come from a
    generator of their own, so the rest of every article is the same for any share."""
    maker = TextMaker(random.Random(seed))
    tags = make_tags()
    used: set[str] = set()
    articles = [make_article(maker, tags, used) for _ in range(count)]
    for article in articles:
        pasting = TextMaker(random.Random(f"{seed}:{article.slug}"))
        if pasting.rng.random() < raw_html:
            blocks = article.body.split("\n\n")
            table = next(i for i, block in enumerate(blocks) if block.startswith("| "))
            blocks.insert(table + 1, nfc(pasting.pasted_html()))
            article.body = "\n\n".join(blocks)
    return articles


# --------------------------------------------------------------------------- writers


def q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def q_list(values: list[str]) -> str:
    return "[" + ", ".join(q(v) for v in values) + "]"


def sitegen_file(article: Article) -> str:
    author = q(article.authors[0]) if len(article.authors) == 1 else q_list(article.authors)
    lines = ["---", f"title: {q(article.title)}", f"date: {article.date:%Y-%m-%d %H:%M}",
             f"author: {author}", f"section: {article.section}",
             f"summary: {q(article.summary)}", f"tags: {q_list(article.tags)}"]
    if article.image:
        lines += [f"image: {article.image}", f"image_caption: {q(article.image_caption or '')}"]
    lines += [f"organisation: {q(article.organisation)}", "---", ""]
    return "\n".join(lines) + article.body


def pelican_file(article: Article) -> str:
    key = "Author" if len(article.authors) == 1 else "Authors"
    lines = [f"Title: {article.title}", f"Date: {article.date:%Y-%m-%d %H:%M}",
             f"{key}: {', '.join(article.authors)}", f"Category: {section_title(article.section)}",
             f"Tags: {', '.join(article.tags)}", f"Summary: {article.summary}",
             f"Slug: {article.slug}"]
    if article.image:
        lines += [f"Image: {article.image}", f"Image_caption: {article.image_caption}"]
    lines += [f"Organisation: {article.organisation}", ""]
    return "\n".join(lines) + "\n" + article.body


def hugo_file(article: Article) -> str:
    lines = ["---", f"title: {q(article.title)}",
             f"date: {article.date:%Y-%m-%dT%H:%M:00}{UTC_OFFSET}",
             f"authors: {q_list(article.authors)}", f"summary: {q(article.summary)}",
             f"tags: {q_list(article.tags)}"]
    if article.image:
        lines += [f"image: {article.image}", f"image_caption: {q(article.image_caption or '')}"]
    lines += [f"organisation: {q(article.organisation)}", "---", ""]
    return "\n".join(lines) + article.body


def section_title(key: str) -> str:
    return next(title for k, title, _ in tb.SECTIONS if k == key)


def sitegen_config(subsites: int = 0) -> str:
    lines = ["title: Ban Tổ chức Tỉnh ủy (bản thử nghiệm)", "base_url: https://example.org/",
             "language: vi", "timezone: Asia/Ho_Chi_Minh", "banner:",
             f"  title: {q('Ban Tổ chức Tỉnh ủy')}", "  image: /images/banner.png",
             "sections:"]
    for key, title, description in tb.SECTIONS:
        lines.append(f"  - {{key: {key}, title: {q(title)}, description: {q(description)}}}")
    lines += ["per_page: 20", "related_count: 5", "output_dir: public",
              f"html: {{iframe_hosts: [{EMBED_HOST}]}}", ""]
    if subsites:  # every sub-site inherits the sections above
        lines[-1:] = ["subsites:"]
        for number in range(1, subsites + 1):
            lines += [f"  - key: {subsite_key(number - 1, subsites)}",
                      f"    title: {q(f'Ban số {number} Tỉnh ủy')}"]
        lines.append("")
    return "\n".join(lines)


def subsite_key(index: int, subsites: int) -> str:
    """The sub-site of the article at `index` (or of the sub-site numbered index + 1)."""
    return f"ban-{index % subsites + 1}"


def png_bytes(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A minimal valid PNG of one colour (8-bit RGB, no filter)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def write_images(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (width, height, rgb) in IMAGES.items():
        (folder / name).write_bytes(png_bytes(width, height, rgb))


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def prepare(outdir: Path) -> None:
    """Make `outdir` ready: refuse a folder we did not make, clear what we made."""
    outdir.mkdir(parents=True, exist_ok=True)
    marker = outdir / MARKER
    if not marker.exists() and any(outdir.iterdir()):
        raise SystemExit(f"generate.py: {outdir} is not empty and was not made by generate.py")
    for name in ("content", "static"):
        shutil.rmtree(outdir / name, ignore_errors=True)
    marker.write_text("made by benchmarks/generate.py; its content/ is rewritten\n")


def copy_peer_files(flavor: str, outdir: Path) -> None:
    for item in (PEERS / flavor).iterdir():
        target = outdir / item.name
        if item.is_dir():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(item, target)
        else:
            shutil.copy2(item, target)


def write_site(articles: list[Article], outdir: Path, flavor: str, subsites: int = 0) -> None:
    prepare(outdir)
    content = outdir / "content"
    render = {"sitegen": sitegen_file, "pelican": pelican_file, "hugo": hugo_file}[flavor]
    for index, article in enumerate(articles):
        folder = content / subsite_key(index, subsites) if subsites else content
        write_text(folder / article.section / f"{article.slug}.md", render(article))
    if flavor == "sitegen":
        write_text(outdir / "config.yaml", sitegen_config(subsites))
        write_images(outdir / "static" / "images")
    elif flavor == "pelican":
        write_images(content / "images")
        copy_peer_files(flavor, outdir)
    else:
        for key, title, description in tb.SECTIONS:
            write_text(content / key / "_index.md",
                       f"---\ntitle: {q(title)}\ndescription: {q(description)}\n---\n")
        write_images(outdir / "static" / "images")
        copy_peer_files(flavor, outdir)


def article_path(outdir: Path, article: Article) -> Path:
    return outdir / "content" / article.section / f"{article.slug}.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of articles")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--flavor", choices=FLAVORS, default="sitegen")
    parser.add_argument("--subsites", type=int, default=0, help="a portal of K sub-sites")
    parser.add_argument("--raw-html", type=float, default=RAW_HTML_SHARE, metavar="SHARE",
                        help=f"share of articles with pasted raw HTML (default {RAW_HTML_SHARE})")
    args = parser.parse_args(argv)
    if args.subsites and args.flavor != "sitegen":
        parser.error("--subsites makes a sitegen portal only")
    articles = make_articles(args.count, args.seed, args.raw_html)
    write_site(articles, args.outdir, args.flavor, args.subsites)
    print(f"wrote {len(articles)} {args.flavor} articles to {args.outdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
