"""Benchmark photo publishing (issue 15): sitegen against Hugo on camera-sized JPEGs.

    benchmarks/.venv/bin/python benchmarks/photos.py [--photos 1000] [--repeat 2]
                                                     [--tools sitegen,hugo] [--jobs N]
    benchmarks/.venv/bin/python benchmarks/photos.py --generate-only [--photos 1000]
    benchmarks/.venv/bin/python benchmarks/photos.py --profile [--profile-photos 20]
    /tmp/venv311/bin/python benchmarks/photos.py --phone [--before 83130ba] [--after HEAD]

The default run generates (once; cached under benchmarks/work/photos/) PHOTOS distinct
4000×3000 JPEGs (quality 90, 2-4 MB each, smooth colour fields plus grain and a drawn
number; EXIF with a camera serial and a GPS block, Orientation 6 on every tenth), puts
them two per article into PHOTOS/2 articles (one as the front-matter `image:`, one in the
body as `![alt](photo.jpg "caption")`, both relative to the article), writes a sitegen site
and a Hugo site (page bundles, a render-image hook and templates making the same variants:
480/960/1600 wide in WebP q80 and JPEG q82, never upscaled, EXIF-oriented; for covers 3:2
card crops at 320/640/960 in WebP and JPEG and a 1200-wide JPEG for og:image; Lanczos,
centre crops) and measures, alternating the tools within each repetition: a cold build
(no cache, no output), a no-change rebuild and a rebuild after one photo is replaced. Wall
time, CPU time and peak RSS of the process tree (proctree.py); medians over the
repetitions; output bytes. Results: benchmarks/work/photos/results-<PHOTOS>.json.

`--profile` runs sitegen's photo code (sitegen.imaging.make_variants) on the first few
photos in this process under cProfile and prints where the time goes.

`--phone` measures the bytes a phone downloads for the home page of the example site (the
root of this repository) built at two commits: each is checked out with `git worktree`
under /tmp/bench-<name>, built with `python -m sitegen` from that worktree (the running
Python must have sitegen's dependencies and playwright; /tmp/venv311 has both), served with
`python -m http.server` on 127.0.0.1 and loaded in headless Chromium (/usr/bin/chromium,
through playwright; no browser download) at a 375 px wide viewport, device scale factor 2,
scrolled to the bottom so lazy photos load. Response bodies are summed by resource type.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import multiprocessing
import os
import pstats
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
import textbank as tb  # noqa: E402
from proctree import RunResult, measure  # noqa: E402
from run import (  # noqa: E402
    MB,
    clean,
    empty_trash,
    find_hugo,
    find_sitegen,
    folder_size,
    load,
    machine,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work" / "photos"
WIDTH, HEIGHT = 4000, 3000
JPEG_QUALITY = 90
PORTRAIT_EVERY = 10  # every tenth photo is stored sideways with EXIF Orientation 6
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
PHONE = {"width": 375, "height": 812, "scale": 2}

COLD, NOCHANGE, ONE_PHOTO = "cold", "nochange", "one_photo"
LABELS = {COLD: "cold build (no cache, no output)", NOCHANGE: "no-change rebuild",
          ONE_PHOTO: "rebuild after replacing one photo"}


# --------------------------------------------------------------------------- photos


def photo_name(index: int) -> str:
    return f"photo-{index + 1:04d}.jpg"


def make_photo(job: tuple[int, int, str]) -> int:
    """Write photo `index` to `path`: deterministic for (seed, index), different for each."""
    from PIL import Image, ImageChops, ImageDraw, ImageFont

    index, seed, path = job
    rng = random.Random(f"{seed}:photo:{index}")
    portrait = index % PORTRAIT_EVERY == PORTRAIT_EVERY - 1
    width, height = (HEIGHT, WIDTH) if portrait else (WIDTH, HEIGHT)
    corners = Image.new("RGB", (4, 3) if not portrait else (3, 4))
    corners.putdata([tuple(rng.randint(20, 235) for _ in range(3)) for _ in range(12)])
    image = corners.resize((width, height), Image.Resampling.BICUBIC)
    # grain and texture at three scales, as a camera's sensor noise and a scene's detail
    fine = Image.effect_noise((width, height), 7)
    coarse = Image.effect_noise((width // 4, height // 4), 30).resize((width, height))
    broad = Image.effect_noise((width // 16, height // 16), 60).resize(
        (width, height), Image.Resampling.BICUBIC)
    image = ImageChops.add(image, Image.merge("RGB", (coarse, fine, broad)), offset=-110)
    draw = ImageDraw.Draw(image)
    draw.text((width // 2, height // 2), str(index + 1), fill=(255, 255, 255), anchor="mm",
              font=ImageFont.load_default(size=900), stroke_width=12, stroke_fill=(0, 0, 0))
    if portrait:  # stored sideways, as a phone held upright stores it
        image = image.transpose(Image.Transpose.ROTATE_90)
    temporary = f"{path}.tmp"
    image.save(temporary, "JPEG", quality=JPEG_QUALITY, exif=camera_exif(rng, portrait))
    os.replace(temporary, path)
    return index


def camera_exif(rng: random.Random, portrait: bool) -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6 if portrait else 1  # Orientation
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "Canon EOS 5D Mark IV"  # Model
    exif[0x0132] = f"2026:{rng.randint(1, 6):02d}:{rng.randint(1, 28):02d} 09:30:00"
    details = exif.get_ifd(0x8769)  # Exif IFD
    details[0xA431] = f"0{rng.randint(10**9, 10**10 - 1)}"  # BodySerialNumber
    details[0x9003] = exif[0x0132]  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1], gps[3] = "N", "E"
    gps[2] = (20.0 + rng.randint(0, 2), float(rng.randint(0, 59)), rng.randint(0, 5999) / 100)
    gps[4] = (105.0 + rng.randint(0, 1), float(rng.randint(0, 59)), rng.randint(0, 5999) / 100)
    return exif.tobytes()


def ensure_photos(count: int, seed: int, jobs: int) -> list[Path]:
    """The `count` photos of `seed`, made by a pool of `jobs` processes where missing."""
    folder = WORK / f"jpeg-seed{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / photo_name(index) for index in range(count)]
    missing = [(i, seed, str(path)) for i, path in enumerate(paths) if not path.exists()]
    if missing:
        print(f"generating {len(missing)} photos in {folder} ({jobs} processes)", flush=True)
        start = time.perf_counter()
        with multiprocessing.Pool(jobs) as pool:
            for done, _index in enumerate(pool.imap_unordered(make_photo, missing, 4), 1):
                if done % 50 == 0:
                    print(f"  {done}/{len(missing)} ({time.perf_counter() - start:.0f} s)",
                          flush=True)
    return paths


def replacement_photo(seed: int) -> Path:
    """A photo used by no article: it replaces one in the one-photo rebuild."""
    path = WORK / f"jpeg-seed{seed}" / "replacement.jpg"
    if not path.exists():
        make_photo((99_999, seed, str(path)))
    return path


# --------------------------------------------------------------------------- sites


@dataclass
class PhotoArticle:
    article: generate.Article
    cover: str  # photo names, relative to the article
    inline: str


def photo_articles(photos: int, seed: int) -> list[PhotoArticle]:
    """photos/2 generated articles, each with a cover and a body photo (their own)."""
    articles = generate.make_articles(photos // 2, seed, raw_html=0)
    rng = random.Random(f"{seed}:photo-articles")
    made = []
    for number, article in enumerate(articles):
        cover, inline = photo_name(2 * number), photo_name(2 * number + 1)
        blocks = [b for b in article.body.split("\n\n") if not b.startswith("![")]
        alt = rng.choice(tb.IMAGE_ALTS)
        caption = f"{alt} tại {rng.choice(tb.PLACES)}. (Ảnh: {rng.choice(tb.AUTHORS)})"
        blocks.insert(min(2, len(blocks)), f'![{alt}]({inline} "{caption}")')
        article.body = "\n\n".join(blocks)
        article.image = cover
        article.image_caption = generate.nfc(f"{rng.choice(tb.IMAGE_ALTS)}.")
        made.append(PhotoArticle(article, cover, inline))
    return made


def link(source: Path, target: Path) -> None:
    """Hard-link (same bytes, no copy); a replaced photo is a new file, so the cache's own
    copy never changes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    os.link(source, target)


def write_sitegen_site(items: list[PhotoArticle], photos: list[Path], site: Path) -> Path:
    """content/<section>/<slug>.md with its photos beside it; returns the replaced photo."""
    generate.prepare(site)
    content = site / "content"
    for item in items:
        article = item.article
        generate.write_text(content / article.section / f"{article.slug}.md",
                            generate.sitegen_file(article))
        for name in (item.cover, item.inline):
            link(photos[int(name[6:10]) - 1], content / article.section / name)
    generate.write_text(site / "config.yaml", generate.sitegen_config())
    generate.write_images(site / "static" / "images")
    last = items[-1]
    return content / last.article.section / last.inline


HUGO_IMAGING = """
[imaging]
  resampleFilter = "Lanczos"
  anchor = "Center"
[imaging.jpeg]
  quality = 82
[imaging.webp]
  quality = 80
  compression = "lossy"
  method = 4  # sitegen (Pillow) uses 4; Hugo defaults to 2

[params.photos]
  widths = [480, 960, 1600]
  cardWidths = [320, 640, 960]
  socialWidth = 1200

# Publish only the variants, as sitegen does (Hugo copies a bundle's photos by default).
[[cascade]]
  [cascade.build]
    publishResources = false
"""

# One <picture> of a page resource: WebP and JPEG at each width no wider than the photo,
# upright (images.AutoOrient first, in the same filter chain: no full-size intermediate).
HUGO_PICTURE = """{{- $img := .img -}}
{{- $widths := slice -}}
{{- range site.Params.photos.widths -}}
  {{- if le . $img.Width }}{{ $widths = $widths | append . }}{{ end -}}
{{- end -}}
{{- $webp := slice }}{{ $jpeg := slice }}{{ $last := false -}}
{{- range $widths -}}
  {{- $w := images.Filter (slice images.AutoOrient
        (images.Process (printf "resize %dx webp q80 Lanczos" .))) $img -}}
  {{- $j := images.Filter (slice images.AutoOrient
        (images.Process (printf "resize %dx jpg q82 Lanczos" .))) $img -}}
  {{- $webp = $webp | append (printf "%s %dw" $w.RelPermalink $w.Width) -}}
  {{- $jpeg = $jpeg | append (printf "%s %dw" $j.RelPermalink $j.Width) -}}
  {{- $last = $j -}}
{{- end -}}
<picture><source type="image/webp" srcset="{{ delimit $webp ", " }}"
  sizes="(min-width: 760px) 720px, 100vw"><img src="{{ $last.RelPermalink }}"
  srcset="{{ delimit $jpeg ", " }}" sizes="(min-width: 760px) 720px, 100vw"
  width="{{ $last.Width }}" height="{{ $last.Height }}" alt="{{ .alt }}" loading="lazy"></picture>
"""

# The 3:2 card crops of a cover (listings, related articles): WebP and JPEG.
HUGO_CARD = """{{- with .Resources.Get .Params.image -}}
{{- $img := . }}{{ $webp := slice }}{{ $jpeg := slice }}{{ $last := false -}}
{{- range site.Params.photos.cardWidths -}}
  {{- $spec := printf "fill %dx%d Lanczos Center" . (int (math.Round (div (mul . 2.0) 3))) -}}
  {{- $w := images.Filter (slice images.AutoOrient
        (images.Process (printf "%s webp q80" $spec))) $img -}}
  {{- $j := images.Filter (slice images.AutoOrient
        (images.Process (printf "%s jpg q82" $spec))) $img -}}
  {{- $webp = $webp | append (printf "%s %dw" $w.RelPermalink $w.Width) -}}
  {{- $jpeg = $jpeg | append (printf "%s %dw" $j.RelPermalink $j.Width) -}}
  {{- $last = $j -}}
{{- end -}}
<picture><source type="image/webp" srcset="{{ delimit $webp ", " }}" sizes="320px"><img
  src="{{ $last.RelPermalink }}" srcset="{{ delimit $jpeg ", " }}" sizes="320px"
  width="{{ $last.Width }}" height="{{ $last.Height }}" alt="" loading="lazy"></picture>
{{- end -}}
"""

HUGO_RENDER_IMAGE = """{{- $img := .PageInner.Resources.Get .Destination -}}
{{- if $img -}}
<figure>{{ partial "picture.html" (dict "img" $img "alt" .PlainText) -}}
{{ with .Title }}<figcaption>{{ . }}</figcaption>{{ end }}</figure>
{{- else -}}
<img src="{{ .Destination | safeURL }}" alt="{{ .PlainText }}">
{{- end -}}
"""

HUGO_HEAD = """{{- if .IsPage }}{{ with .Resources.Get .Params.image -}}
{{- $og := images.Filter (slice images.AutoOrient (images.Process
      (printf "resize %dx jpg q82 Lanczos" site.Params.photos.socialWidth))) . -}}
<meta property="og:image" content="{{ $og.Permalink }}">
{{- end }}{{ end -}}
"""


def write_hugo_site(items: list[PhotoArticle], photos: list[Path], site: Path) -> Path:
    """Page bundles content/<section>/<slug>/index.md + photos, the benchmark's Hugo
    layouts (peers/hugo/) with photos made as sitegen makes them; returns the replaced photo."""
    generate.prepare(site)
    content = site / "content"
    for item in items:
        article = item.article
        bundle = content / article.section / article.slug
        generate.write_text(bundle / "index.md", generate.hugo_file(article))
        for name in (item.cover, item.inline):
            link(photos[int(name[6:10]) - 1], bundle / name)
    for key, title, description in tb.SECTIONS:
        generate.write_text(content / key / "_index.md",
                            f"---\ntitle: {generate.q(title)}\ndescription: "
                            f"{generate.q(description)}\n---\n")
    generate.write_images(site / "static" / "images")
    generate.copy_peer_files("hugo", site)
    layouts = site / "layouts"
    with open(site / "hugo.toml", "a", encoding="utf-8") as handle:
        handle.write(HUGO_IMAGING)
    generate.write_text(layouts / "_partials" / "picture.html", HUGO_PICTURE)
    generate.write_text(layouts / "_partials" / "card.html", HUGO_CARD)
    generate.write_text(layouts / "_markup" / "render-image.html", HUGO_RENDER_IMAGE)
    patch(layouts / "baseof.html", "</title>", "</title>\n  {{ partial \"photo-head.html\" . }}")
    generate.write_text(layouts / "_partials" / "photo-head.html", HUGO_HEAD)
    cover = ('{{ with .Resources.Get .Params.image }}<figure>{{ partial "picture.html" '
             '(dict "img" . "alt" "") }}<figcaption>{{ $.Params.image_caption }}</figcaption>'
             '</figure>{{ end }}')
    single = layouts / "single.html"
    text = single.read_text(encoding="utf-8")
    start = text.index("{{ with .Params.image }}")
    end = text.index("{{ end }}", start) + len("{{ end }}")
    text = text[:start] + cover + text[end:]
    text = text.replace('{{ with .Params.image }}<img src="{{ . }}" alt="">{{ end }}',
                        '{{ partial "card.html" . }}')
    single.write_text(text, encoding="utf-8")
    patch(layouts / "_partials" / "item.html",
          '{{ with .Params.image }}<img src="{{ . }}" alt="">{{ end }}',
          '{{ partial "card.html" . }}')
    last = items[-1]
    return content / last.article.section / last.article.slug / last.inline


def patch(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"photos.py: {path} no longer contains {old!r}: update the patch")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --------------------------------------------------------------------------- measuring


@dataclass
class Sample:
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    peak_pss_mb: float
    code: str = ""  # sitegen's commit when it ran (the venv's sitegen is this tree, editable)

    @classmethod
    def of(cls, result: RunResult, code: str) -> Sample:
        return cls(round(result.seconds, 2), round(result.cpu_seconds, 2),
                   round(result.peak_rss / MB), round(result.peak_pss / MB), code)


@dataclass
class ToolFigures:
    tool: str
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    output_bytes: int = 0
    output_files: int = 0
    published: str = ""  # what the first cold build published (check_output)
    errors: list[str] = field(default_factory=list)

    def median(self, scenario: str, attribute: str) -> float | None:
        values = [getattr(s, attribute) for s in self.samples.get(scenario, [])]
        return statistics.median(values) if values else None


@dataclass
class Bench:
    tool: str
    site: Path
    replaced: Path
    command: list[str]
    env: dict[str, str]
    output: Path
    caches: list[Path]


def run_step(bench: Bench, figures: ToolFigures, scenario: str, round_number: int) -> bool:
    log = bench.site.parent / "logs" / f"{bench.tool}-{scenario}-{round_number}.log"
    code = sitegen_code() if bench.tool == "sitegen" else ""
    result = measure(bench.command, bench.site, log, bench.env)
    print(f"  {bench.tool:8} {LABELS[scenario]:34} {result.seconds:8.2f} s "
          f"(cpu {result.cpu_seconds:7.2f} s) {result.peak_rss / MB:6.0f} MB rss "
          f"{result.peak_pss / MB:6.0f} MB pss  load {load()} {code}"
          + ("" if result.ok else f"  FAILED, see {log}"), flush=True)
    if not result.ok:
        figures.errors.append(f"{LABELS[scenario]} failed (round {round_number}): {log}")
        return False
    figures.samples.setdefault(scenario, []).append(Sample.of(result, code))
    return True


def bench_round(bench: Bench, figures: ToolFigures, round_number: int,
                original: Path, replacement: Path) -> None:
    """Cold build, no-change rebuild, one replaced photo; the photo is put back after."""
    link(original, bench.replaced)
    clean(bench.output, *bench.caches)
    if not run_step(bench, figures, COLD, round_number):
        return
    figures.output_bytes, figures.output_files = folder_size(bench.output)
    figures.published = figures.published or check_output(bench.output)
    if not run_step(bench, figures, NOCHANGE, round_number):
        return
    link(replacement, bench.replaced)
    run_step(bench, figures, ONE_PHOTO, round_number)
    link(original, bench.replaced)


def make_benches(args: argparse.Namespace, items: list[PhotoArticle],
                 photos: list[Path]) -> list[Bench]:
    folder = WORK / str(args.photos)
    benches = []
    venv = args.venv
    if "sitegen" in args.tools:
        site = folder / "sitegen"
        replaced = write_sitegen_site(items, photos, site)
        sitegen = find_sitegen(venv)
        if sitegen is None:
            raise SystemExit("photos.py: sitegen is not installed in the venv: "
                             "run benchmarks/setup.sh")
        command = [*sitegen, "build", "--config", str(site / "config.yaml")]
        if args.jobs:
            command += ["--jobs", str(args.jobs)]
        benches.append(Bench("sitegen", site, replaced, command, {}, site / "public",
                             [site / ".sitegen-cache"]))
    if "hugo" in args.tools:
        site = folder / "hugo"
        replaced = write_hugo_site(items, photos, site)
        hugo = find_hugo(venv)
        if hugo is None:
            raise SystemExit("photos.py: no hugo binary in the venv: run benchmarks/setup.sh")
        cache = site / ".hugo-cache"
        benches.append(Bench("hugo", site, replaced, [str(hugo), "--quiet"],
                             {"HUGO_CACHEDIR": str(cache)}, site / "public",
                             [site / "resources", cache]))
    return benches


def check_output(output: Path) -> str:
    """Count the published photo files (not the site's own images/) and those with EXIF."""
    from PIL import Image

    counts: dict[str, int] = {}
    with_exif = 0
    largest = 0
    for path in output.rglob("*"):
        suffix = path.suffix.lower()
        if suffix not in (".jpg", ".jpeg", ".webp", ".png") or "images" in path.parts:
            continue
        counts[suffix] = counts.get(suffix, 0) + 1
        largest = max(largest, path.stat().st_size)
        with Image.open(path) as image:
            if image.getexif() or "exif" in image.info:
                with_exif += 1
    return (f"{sum(counts.values())} photo files "
            f"({', '.join(f'{n} {s}' for s, n in sorted(counts.items()))}), "
            f"{with_exif} with EXIF, largest {largest / 1024:.0f} KB")


# --------------------------------------------------------------------------- report


def fmt(value: float | None, unit: str, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f} {unit}"


def ratio(mine: float | None, theirs: float | None) -> str:
    return "–" if mine is None or not theirs else f"{mine / theirs:.2f}×"


def table(results: dict[str, ToolFigures]) -> list[str]:
    me, hugo = results.get("sitegen"), results.get("hugo")
    rows = ["| figure (median) | sitegen | Hugo | sitegen / Hugo |", "| --- | ---: | ---: | ---: |"]
    for scenario, label in LABELS.items():
        for attribute, unit, name in (("seconds", "s", "wall"), ("cpu_seconds", "s", "CPU"),
                                      ("peak_rss_mb", "MB", "peak RSS"),
                                      ("peak_pss_mb", "MB", "peak PSS")):
            mine = me.median(scenario, attribute) if me else None
            theirs = hugo.median(scenario, attribute) if hugo else None
            digits = 0 if unit == "MB" else 2
            rows.append(f"| {label}: {name} | {fmt(mine, unit, digits)} | "
                        f"{fmt(theirs, unit, digits)} | {ratio(mine, theirs)} |")
    sizes = {name: (f.output_bytes, f.output_files) for name, f in results.items()}
    cells = [f"{sizes[n][0] / MB:.0f} MB, {sizes[n][1]:,} files" if n in sizes else "–"
             for n in ("sitegen", "hugo")]
    mine_bytes = sizes.get("sitegen", (None,))[0]
    rows.append(f"| output | {cells[0]} | {cells[1]} | "
                f"{ratio(mine_bytes, sizes.get('hugo', (None,))[0])} |")
    runs = {name: " / ".join(f"{s.seconds:.1f}" for s in f.samples.get(COLD, []))
            for name, f in results.items()}
    rows.append(f"| cold builds, each run (s) | {runs.get('sitegen', '–')} | "
                f"{runs.get('hugo', '–')} | |")
    return rows


def bench_main(args: argparse.Namespace) -> int:
    photos = ensure_photos(args.photos, args.seed, args.generate_jobs)
    replacement = replacement_photo(args.seed)
    total = sum(path.stat().st_size for path in photos)
    print(f"{len(photos)} photos, {total / MB:.0f} MB ({total / len(photos) / MB:.1f} MB each)")
    if args.generate_only:
        return 0
    items = photo_articles(args.photos, args.seed)
    benches = make_benches(args, items, photos)
    info = machine()
    print(f"machine: {info}", flush=True)
    results = {bench.tool: ToolFigures(bench.tool) for bench in benches}
    for round_number in range(1, args.repeat + 1):
        print(f"== round {round_number} of {args.repeat}", flush=True)
        order = benches if round_number % 2 else benches[::-1]
        for bench in order:
            original = photos[args.photos - 1]  # the last article's body photo
            bench_round(bench, results[bench.tool], round_number, original, replacement)
    report = [f"{args.photos} photos ({total / MB:.0f} MB) in {args.photos // 2} articles; "
              f"median of {args.repeat} run(s); sitegen --jobs {args.jobs or 'default'}; "
              f"load average {load()} at the end.", "", *table(results), ""]
    report += [f"- {f.tool} published: {f.published}" for f in results.values()]
    for figures in results.values():
        report += [f"- {figures.tool}: {error}" for error in figures.errors]
    print("\n" + "\n".join(report))
    path = WORK / f"results-{args.photos}.json"
    path.write_text(json.dumps({
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": info,
        "commit": git("rev-parse", "--short", "HEAD"), "options": vars(args) | {"venv": str(
            args.venv)}, "results": {name: asdict(f) for name, f in results.items()},
        "markdown": "\n".join(report)}, indent=2, default=str) + "\n")
    print(f"results written to {path}")
    empty_trash()
    return 1 if any(f.errors for f in results.values()) else 0


def sitegen_code() -> str:
    """HEAD, with "+changes" when sitegen/ has uncommitted changes (the tree is shared)."""
    dirty = git("status", "--porcelain", "--", "sitegen", "pyproject.toml")
    return git("rev-parse", "--short", "HEAD") + ("+changes" if dirty else "")


def git(*arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


# --------------------------------------------------------------------------- profile


def profile_main(args: argparse.Namespace) -> int:
    """sitegen's photo worker (imaging.make_variants) on the first photos, in this process."""
    from sitegen.imageconfig import ImageSettings
    from sitegen.imaging import make_variants

    photos = ensure_photos(args.profile_photos, args.seed, args.generate_jobs)
    settings = ImageSettings()
    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory() as temporary:
        start = time.perf_counter()
        profiler.enable()
        for number, photo in enumerate(photos):
            make_variants(photo, Path(temporary) / str(number), settings, number % 2 == 0)
        profiler.disable()
        seconds = time.perf_counter() - start
    print(f"{len(photos)} photos (every other one with cards and og:image) in {seconds:.2f} s, "
          f"{seconds / len(photos):.3f} s each, one process")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(15)
    return 0


# --------------------------------------------------------------------------- phone


@contextlib.contextmanager
def worktree(commit: str, path: Path) -> Iterator[Path]:
    """A detached checkout of `commit` at `path`, removed afterwards."""
    if path.exists():
        subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=ROOT,
                       capture_output=True)
        shutil.rmtree(path, ignore_errors=True)
    subprocess.run(["git", "worktree", "add", "--detach", str(path), commit], cwd=ROOT,
                   check=True, capture_output=True)
    try:
        yield path
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=ROOT,
                       capture_output=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                               "127.0.0.1", "--directory", str(folder)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait()


def phone_bytes(url: str) -> dict[str, object]:
    """Bytes of the response bodies a phone-sized Chromium loads for `url`, by type."""
    from playwright.sync_api import sync_playwright

    sizes: dict[str, object] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": PHONE["width"], "height": PHONE["height"]},
            device_scale_factor=PHONE["scale"], is_mobile=True, has_touch=True)
        page = context.new_page()
        bodies: list[tuple[str, str, int]] = []

        def finished(request: object) -> None:
            response = request.response()  # type: ignore[attr-defined]
            body = response.body() if response else b""
            bodies.append((request.resource_type, request.url, len(body)))  # type: ignore

        page.on("requestfinished", finished)
        page.goto(url, wait_until="load")
        scroll_to_bottom(page)
        page.wait_for_load_state("networkidle")
        browser.close()
    for kind, _url, length in bodies:
        sizes[kind] = int(sizes.get(kind, 0)) + length  # type: ignore[call-overload]
        sizes["all"] = int(sizes.get("all", 0)) + length  # type: ignore[call-overload]
    sizes["image requests"] = sum(1 for kind, _u, _n in bodies if kind == "image")
    sizes["images"] = {address[len(url) - 1:]: n for kind, address, n in bodies
                       if kind == "image"}
    return sizes


def scroll_to_bottom(page: object) -> None:
    """Scroll a screen at a time, so that every lazy image comes near the viewport."""
    for _ in range(200):
        at_end = page.evaluate(  # type: ignore[attr-defined]
            "() => { window.scrollBy(0, window.innerHeight);"
            " return window.scrollY + window.innerHeight >= document.body.scrollHeight - 2; }")
        page.wait_for_timeout(150)  # type: ignore[attr-defined]
        if at_end:
            break
    page.wait_for_timeout(500)  # type: ignore[attr-defined]


def phone_main(args: argparse.Namespace) -> int:
    figures = {}
    for name, commit in (("before", args.before), ("after", args.after)):
        full = git("rev-parse", "--short", commit)
        with worktree(commit, Path(f"/tmp/bench-{name}")) as tree, \
                tempfile.TemporaryDirectory() as output:
            built = subprocess.run(
                [sys.executable, "-m", "sitegen", "build", "--config", str(tree / "config.yaml"),
                 "--output", output], cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)},
                capture_output=True, text=True)
            if built.returncode != 0:
                print(built.stdout + built.stderr)
                raise SystemExit(f"photos.py: the build at {commit} failed")
            out_bytes, out_files = folder_size(Path(output))
            with served(Path(output)) as url:
                sizes = phone_bytes(url)
        figures[name] = {"commit": full, "output_bytes": out_bytes, "output_files": out_files,
                         **sizes}
        print(f"{name} ({full}): {json.dumps(sizes, indent=1)}; output {out_bytes / MB:.1f} MB, "
              f"{out_files} files", flush=True)
    print(f"\nhome page `/` at {PHONE['width']}×{PHONE['height']} CSS px, device scale factor "
          f"{PHONE['scale']}, scrolled to the bottom:\n")
    print("| | before | after | after / before |\n| --- | ---: | ---: | ---: |")
    for key in ("image", "all"):
        old, new = figures["before"].get(key, 0), figures["after"].get(key, 0)
        print(f"| {key} bytes | {old:,} | {new:,} | {ratio(new, old)} |")
    print(f"| image requests | {figures['before'].get('image requests')} | "
          f"{figures['after'].get('image requests')} | |")
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "phone.json").write_text(json.dumps(figures, indent=2) + "\n")
    return 0


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=1000, help="photos (2 per article)")
    parser.add_argument("--repeat", type=int, default=2, help="rounds; medians are reported")
    parser.add_argument("--tools", default="sitegen,hugo")
    parser.add_argument("--jobs", type=int, default=None, help="sitegen --jobs (default: its own)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--generate-jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-photos", type=int, default=20)
    parser.add_argument("--phone", action="store_true")
    parser.add_argument("--before", default="83130ba")
    parser.add_argument("--after", default="HEAD")
    parser.add_argument("--venv", type=Path, default=HERE / ".venv")
    args = parser.parse_args(argv)
    if args.photos < 2 or args.photos % 2:
        parser.error("--photos must be an even number of at least 2")
    args.tools = [name for name in args.tools.split(",") if name]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.phone:
        return phone_main(args)
    if args.profile:
        return profile_main(args)
    return bench_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
