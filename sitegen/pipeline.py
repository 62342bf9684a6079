"""build(): the stages in order. Gather everything, check everything, then write once."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import urls
from .assemble import assemble_site
from .config import CONFIG_NAME, SiteConfig, load_config
from .discover import Asset, discover_content, shown_path, walk_files
from .errors import BuildFailed, ContentError, ErrorLog, OutputConflictError, OutputFolderError, SitegenError
from .feeds import feed_files
from .layouts import THEME_STATIC, render_pages
from .model import OutputFile, Site
from .parse import Document, parse_document
from .render import Rendered, RenderSettings, render_document
from .write import check_output_folder, write_site


@dataclass(frozen=True)
class BuildOptions:
    config_path: Path = Path(CONFIG_NAME)
    output: Path | None = None  # --output: overrides output_dir and may lie outside the site
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    write: bool = True  # False for `sitegen check`
    now: dt.datetime | None = None  # what counts as the future; default SOURCE_DATE_EPOCH or the clock


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages: int
    files_written: int
    files_kept: int
    seconds: float
    warnings: list[SitegenError] = field(default_factory=list)


def build(options: BuildOptions) -> BuildResult:
    """Build the site; raise BuildFailed with every error of the run, leaving the output as it was."""
    started = time.perf_counter()
    config = load_config(options.config_path, options.base_url)
    target = output_folder(config, options.output)
    log = ErrorLog()
    site, outputs, assets = generate(config, options, log)
    log.raise_if_any()
    written = kept = 0
    if options.write:
        stats = write_site(target, outputs, assets)
        written, kept = stats.written, stats.kept
    return BuildResult(target, len(site.pages), written, kept, time.perf_counter() - started, log.warnings)


def generate(config: SiteConfig, options: BuildOptions, log: ErrorLog) -> tuple[Site, list[OutputFile], list[Asset]]:
    """Every output file of the site, in memory; errors go to `log`."""
    discovery = discover_content(config.content_dir, config.root, log)
    documents = [d for s in discovery.sources if (d := parse_document(s, config.tz, log))]
    published = select_published(documents, options)
    settings = RenderSettings(config.base_path, config.language)
    rendered = render_all(published, settings, log)
    site = assemble_site(config, published, rendered, log)
    outputs = render_pages(site, site.pages, log) + feed_files(site)
    assets = static_assets(config, log) + list(discovery.assets)
    report_conflicts(outputs, assets, log)
    return site, outputs, assets


def select_published(documents: Sequence[Document], options: BuildOptions) -> list[Document]:
    now = options.now or current_time()
    return [
        d for d in documents
        if (options.drafts or not d.draft) and (options.future or d.date <= now)
    ]  # fmt: skip


def current_time() -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(tz=dt.timezone.utc)


def render_all(documents: Sequence[Document], settings: RenderSettings, log: ErrorLog) -> dict[str, Rendered]:
    rendered = {}
    for document in documents:
        try:
            rendered[document.source_path] = render_document(document, settings)
        except Exception as error:  # noqa: BLE001 - a Markdown crash names its file, the run goes on
            log.error(ContentError(shown_path(document.source_path),
                                   f"Markdown could not be rendered: {type(error).__name__}: {error}",
                                   document.body_line))
    return rendered


def static_assets(config: SiteConfig, log: ErrorLog) -> list[Asset]:
    """The theme's assets under /assets/, then the site's static/ (which wins on equal paths)."""
    site_files = [Asset(p, rel) for p, rel in walk_files(config.static_dir, config.root, log, "static")]
    taken = {asset.output_path for asset in site_files}
    theme_files = [
        Asset(path, urls.output_path(urls.asset_path(relative)))
        for path, relative in walk_files(THEME_STATIC, THEME_STATIC, log, "theme/static")
    ]
    return [a for a in theme_files if a.output_path not in taken] + site_files


def report_conflicts(outputs: Sequence[OutputFile], assets: Sequence[Asset], log: ErrorLog) -> None:
    entries = [(f.output_path, f.origin) for f in outputs]
    entries += [(a.output_path, _asset_origin(a)) for a in assets]
    for output, first, second in urls.find_conflicts(entries):
        log.error(OutputConflictError(second, f"would be written to {output}, like {first}: "
                                      "rename one of them"))


def _asset_origin(asset: Asset) -> str:
    parts = asset.source.parts
    if "static" in parts:
        return "static/" + asset.output_path
    return shown_path(asset.output_path)


def output_folder(config: SiteConfig, output: Path | None) -> Path:
    """The checked output folder: --output may point anywhere safe, output_dir stays in the site."""
    target = (output if output is not None else config.root / config.output_dir).resolve()
    if output is None and config.root not in target.parents:
        raise BuildFailed([OutputFolderError(
            f"{CONFIG_NAME}: output_dir '{config.output_dir}' lies outside the site folder: "
            "use a folder inside it, or pass --output to name an outside folder")])
    try:
        check_output_folder(target, config.root, [config.content_dir, config.layouts_dir, config.static_dir])
    except OutputFolderError as error:
        raise BuildFailed([error]) from None
    return target
