"""Photos -> variants: every JPEG, PNG and WebP of content/, and each one of static/ that an
article or a banner shows, is published as resized variants (imaging.py) instead of itself.

A photo is made once per content and settings: `.sitegen-cache/photos/` keeps the variants
of each under a key, and a stat stamp per file tells whether it changed without reading it.
Variants are named after the original, their width and that key, so hosts may cache them
forever.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import posixpath
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .config import CONFIG_NAME, SiteConfig
from .discover import Asset, shown_path
from .errors import ConfigError, ContentError, ErrorLog
from .imageconfig import ImageSettings
from .imaging import (
    EXTENSION,
    Made,
    PhotoProblem,
    make_variants,
    settings_fingerprint,
    writable_formats,
)
from .model import Photo, PhotoSet, Variant
from .parallel import ordered_map
from .parse import Document
from .render import Rendered
from .urls import RASTER_SUFFIXES, resolve_relative

_FOLDER = "photos"
REMOVED = "was removed while the site was being built: build again"
_INDEX = "index.json"


@dataclass(frozen=True)
class PhotoUse:
    """Where a photo is shown: the file and line that errors about it name."""

    origin: str  # "content/tin/a.md", "config.yaml"
    line: int | None = None


@dataclass(frozen=True)
class _Job:
    source: Path
    folder: Path
    cards: bool


def is_photo(output_path: str) -> bool:
    return output_path.lower().endswith(RASTER_SUFFIXES)


@dataclass(frozen=True)
class Wanted:
    """Which photos are made: every one of content/ (`content_outputs`, output paths of its
    files), and those of static/ that `uses` names (site path -> where it is shown).
    `cards`: site paths of the photos that cards and social networks show as well."""

    content_outputs: frozenset[str]
    uses: Mapping[str, list[PhotoUse]]
    cards: frozenset[str]


def publish_photos(
    assets: Sequence[Asset],
    wanted: Wanted,
    settings: ImageSettings,
    cache_folder: Path,
    jobs: int,
    log: ErrorLog,
) -> tuple[PhotoSet, list[Asset]]:
    """The photos, and the assets to publish: each photo's variants instead of it."""
    if not settings.enabled:
        return PhotoSet(), list(assets)
    settings = _writable(settings, log)
    folder = cache_folder / _FOLDER
    index = _load_index(folder)
    new_index: dict[str, list] = {}
    chosen = [
        a
        for a in assets
        if is_photo(a.output_path)
        and (a.output_path in wanted.content_outputs or "/" + a.output_path in wanted.uses)
    ]
    keys: dict[str, str] = {}
    for asset in chosen:
        site_path = "/" + asset.output_path
        try:
            digest = _content_digest(asset.source, index, new_index)
        except FileNotFoundError:  # between discovery and now
            _report(site_path, REMOVED, wanted.uses.get(site_path, []), log)
            continue
        keys[site_path] = _photo_key(digest, settings, site_path in wanted.cards)
    chosen = [asset for asset in chosen if "/" + asset.output_path in keys]
    made = _make_missing(chosen, keys, wanted, folder, settings, jobs, log)
    photos = PhotoSet()
    published: list[Asset] = []
    replaced: set[str] = set()
    for asset in chosen:
        site_path = "/" + asset.output_path
        result = made.get(site_path)
        if result is None or result.copied:
            continue
        photo = _photo(site_path, keys[site_path], result)
        photos.by_path[site_path] = photo
        published += [Asset(folder / photo.key / v.name, path) for path, v in photo.variants]
        replaced.add(asset.output_path)
    photos.site_wide = tuple(
        sorted(p for p in photos.by_path if p[1:] not in wanted.content_outputs)
    )
    if not settings.keep_originals:
        assets = [a for a in assets if a.output_path not in replaced]
    _save_index(folder, new_index, {p.key for p in photos.by_path.values()})
    return photos, [*assets, *published]


def _writable(settings: ImageSettings, log: ErrorLog) -> ImageSettings:
    """The settings without the formats this Pillow cannot write (AVIF before Pillow 11.2)."""
    missing = set(settings.formats) - writable_formats()
    if not missing:
        return settings
    missing_names = ", ".join(sorted(missing))
    log.warn(ConfigError(CONFIG_NAME, f"images.formats: this Pillow cannot write {missing_names}: "
                         "left out (pip install -U Pillow)"))  # fmt: skip
    return replace(settings, formats=tuple(f for f in settings.formats if f not in missing))


def _make_missing(chosen: Sequence[Asset], keys: Mapping[str, str], wanted: Wanted,
                  folder: Path, settings: ImageSettings, jobs: int,
                  log: ErrorLog) -> dict[str, Made]:  # fmt: skip
    """What became of each photo: read from the cache, else made on every core."""
    made: dict[str, Made] = {}
    todo: dict[str, _Job] = {}  # by key: a photo at two paths is made once
    waiting: dict[str, list[str]] = {}
    for asset in chosen:
        site_path = "/" + asset.output_path
        key = keys[site_path]
        known = _read_made(folder / key)
        if known is not None:
            made[site_path] = known
            continue
        todo.setdefault(key, _Job(asset.source, folder / key, site_path in wanted.cards))
        waiting.setdefault(key, []).append(site_path)
    outcomes = ordered_map(_make_one, list(todo.values()), jobs, _init_worker, (settings,),
                           smallest_chunk=1, fewest=2)  # fmt: skip
    for key, outcome in zip(todo, outcomes, strict=True):
        for site_path in waiting[key]:
            if isinstance(outcome, Made):
                made[site_path] = outcome
            else:
                _report(site_path, outcome, wanted.uses.get(site_path, []), log)
    return made


_worker_settings: dict[str, ImageSettings] = {}


def _init_worker(settings: ImageSettings) -> None:
    _worker_settings["settings"] = settings


def _make_one(job: _Job) -> Made | str:
    """Make one photo's variants into its folder, with a record of them; or why it cannot be."""
    try:
        partial = job.folder.with_name(f"{job.folder.name}.{os.getpid()}.part")
        shutil.rmtree(partial, ignore_errors=True)
        made = make_variants(job.source, partial, _worker_settings["settings"], job.cards)
    except PhotoProblem as problem:
        shutil.rmtree(partial, ignore_errors=True)
        return str(problem)
    except FileNotFoundError:
        return REMOVED
    except Exception as error:  # noqa: BLE001 - whatever Pillow raises names the photo, no traceback
        shutil.rmtree(partial, ignore_errors=True)
        return f"could not be made smaller ({type(error).__name__}: {error}): save it again"
    partial.mkdir(parents=True, exist_ok=True)
    (partial / "made.json").write_text(json.dumps(_made_as_json(made)), encoding="utf-8")
    shutil.rmtree(job.folder, ignore_errors=True)
    os.replace(partial, job.folder)
    return made


def _report(site_path: str, why: str, shown_at: list[PhotoUse], log: ErrorLog) -> None:
    """One error per place that shows the photo, or one for the photo itself."""
    if not shown_at:
        log.error(ContentError(f"content{site_path}", why))
    for use in shown_at:
        log.error(ContentError(use.origin, f"the photo '{site_path.lstrip('/')}' {why}", use.line))


def _photo(site_path: str, key: str, made: Made) -> Photo:
    folder, _, name = site_path.lstrip("/").rpartition("/")
    stem = name.rpartition(".")[0] or name
    prefix = f"{folder}/" if folder else ""
    variants = tuple(
        (f"{prefix}{stem}.{v.name.rpartition('.')[0]}.{key[:10]}.{EXTENSION[v.format]}", v)
        for v in made.variants
    )
    return Photo(site_path, made.width, made.height, key, variants)


# --- the cache: a stamp per photo file, a folder per made photo --------------------------


def _content_digest(
    source: Path, index: Mapping[str, list], new_index: dict[str, list]
) -> str:  # fmt: skip
    """The digest of a photo's bytes, read again only when its stat changed."""
    stat = source.stat()
    stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
    known = index.get(str(source))
    unchanged = known is not None and known[:4] == stamp
    digest = known[4] if unchanged else _file_digest(source)
    new_index[str(source)] = [*stamp, digest]
    return digest


def _file_digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _photo_key(content: str, settings: ImageSettings, cards: bool) -> str:
    made_with = f"{content}; {settings_fingerprint(settings)}; cards={cards}"
    return hashlib.blake2b(made_with.encode("utf-8"), digest_size=16).hexdigest()


def _load_index(folder: Path) -> dict[str, list]:
    try:
        loaded = json.loads((folder / _INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _save_index(folder: Path, index: dict[str, list], used: set[str]) -> None:
    """The new stamps; and the folders of photos this build did not use are removed."""
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{_INDEX}.{os.getpid()}"
    temporary.write_text(json.dumps(index, sort_keys=True), encoding="utf-8")
    os.replace(temporary, folder / _INDEX)
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False) and entry.name not in used:
            shutil.rmtree(entry.path, ignore_errors=True)


def _made_as_json(made: Made) -> dict:
    variants = [[v.name, v.width, v.height, v.format, v.kind] for v in made.variants]
    return {"width": made.width, "height": made.height, "copied": made.copied, "variants": variants}


def _read_made(folder: Path) -> Made | None:
    try:
        data = json.loads((folder / "made.json").read_text(encoding="utf-8"))
        variants = tuple(Variant(*entry) for entry in data["variants"])
        if not all((folder / v.name).is_file() for v in variants):
            return None
        return Made(data["width"], data["height"], variants, data["copied"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


# --- where photos are shown -----------------------------------------------------------


def banner_images(config: SiteConfig) -> list[str]:
    """The banner photos of a site and of each of its sub-sites, as config.yaml gives them."""
    return [b.image for b in (config.banner, *(s.banner for s in config.subsites)) if b.image]


def _is_relative(reference: str) -> bool:
    return not reference.startswith("/") and not urlsplit(reference).scheme


@functools.lru_cache(maxsize=8192)  # covers repeat: a site has a few hundred photos
def site_path_of(reference: str, source_dir: str) -> str | None:
    """The decoded site path of a photo written in front matter or config.yaml, or None for
    an address of another site."""
    if "://" in reference or reference.startswith("//") or urlsplit(reference).scheme:
        return None
    if not reference.startswith("/"):
        reference = resolve_relative(source_dir, reference) or ""
    path = unquote(urlsplit(reference).path)
    return posixpath.normpath(path) if path.startswith("/") else None


def photo_uses(articles: Iterable[tuple[Document, Rendered]], banners: Iterable[str],
               content_outputs: frozenset[str], log: ErrorLog) -> Wanted:  # fmt: skip
    """Where each photo is shown, and which are covers (the articles' `image:`) or banners.
    A cover written relative to its article must exist, like a photo of its body."""
    uses: dict[str, list[PhotoUse]] = {}
    cards: set[str] = set()
    for document, rendered in articles:
        if not document.image and not rendered.references:
            continue
        origin = shown_path(document.source_path)
        source_dir = document.source_path.rpartition("/")[0]
        cover = site_path_of(document.image, source_dir) if document.image else None
        line = document.line_of("image")
        if cover and _is_relative(document.image) and cover[1:] not in content_outputs:
            log.error(ContentError(origin, f"image: '{document.image}': no such file "
                                   f"({shown_path(cover[1:])} does not exist)", line))  # fmt: skip
        elif cover and is_photo(cover):
            uses.setdefault(cover, []).append(PhotoUse(origin, line))
            cards.add(cover)
        for reference in rendered.references:
            if is_photo(reference.target):
                use = PhotoUse(origin, reference.line or None)
                uses.setdefault("/" + reference.target, []).append(use)
    for banner in banners:
        path = site_path_of(banner, "")
        if path and is_photo(path):
            uses.setdefault(path, []).append(PhotoUse(CONFIG_NAME))
            cards.add(path)
    return Wanted(content_outputs, uses, frozenset(cards))
