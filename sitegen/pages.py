"""Pages: render what changed on every core, keep the rest, check the links, swap the tree in.

The write stage of the pipeline. Which pages changed is decided by their signatures
(layouts.page_signatures): a page whose signature the spare or served tree already has is
linked, not rendered. Every page's links are checked, an unchanged page's as the tree has it
(or from the scan the cache kept for its signature).
"""

from __future__ import annotations

import pickle
import tempfile
from array import array
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import compress, count
from operator import attrgetter, not_
from pathlib import Path

from . import urls
from .apart import run_apart
from .cache import BuildCache
from .discover import Asset
from .errors import ErrorLog, TemplateError
from .layouts import PageRenderer, page_origin
from .links import LinkChecker, LinkReport, PageScan, path_checksums, reaches_any
from .model import OutputFile, Page, PendingFile
from .parallel import SharedCounter, batches, ordered_map, shared_counter
from .portal import PortalRenderer
from .write import OutputTrees, place_file

_broken = attrgetter("broken")  # of a PageScan


@dataclass(frozen=True)
class PageWork:
    """The pages of one build and what rendering them takes."""

    renderer: PageRenderer | PortalRenderer
    signatures: dict[str, str]  # output path -> signature, in page order
    jobs: int
    log: ErrorLog

    @property
    def pages(self) -> list[Page]:
        return self.renderer.pages


def write_output(target: Path, work: PageWork, feeds: Sequence[OutputFile | PendingFile],
                 assets: Sequence[Asset], cache: BuildCache, strict: bool = False,
                 prepare_spare: bool = True) -> tuple[int, int, int]:  # fmt: skip
    """(pages rendered, files written, files kept); raises BuildFailed before the swap on error.

    The links of every page are checked, of unchanged pages as the tree has them: a broken
    link is a warning, or an error with `strict`."""
    log, signatures = work.log, work.signatures
    # An attribute of each, no call of ours: the search index has 100,000 files.
    feed_digests = dict(map(attrgetter("output_path", "signature"), feeds))
    asset_digests = {a.output_path: _asset_digest(a) for a in assets}
    digests = {**signatures, **feed_digests, **asset_digests}
    outputs = frozenset(digests)
    links = LinkChecker(work.renderer.urls, outputs)
    reached = cache.kept_reached()
    known = reusable_scans(*cache.known_scans(signatures), outputs, reached)
    kept = cache.memory.output if cache.memory is not None else None
    with OutputTrees(target, cache.persistent, prepare_spare and cache.persistent, kept) as trees:
        if trees.is_current(digests):
            scans = render_pages(work, [], None, links, trees.target, known)
            report_links(work.pages, scans, log, as_errors=strict)
            log.raise_if_any()
            _remember_scans(cache, outputs, signatures, scans, known, reached, ())
            return 0, 0, len(digests)
        trees.begin()
        todo = trees.lacking(signatures)
        scans = render_pages(work, todo, trees, links, trees.spare, known)
        report_links(work.pages, scans, log, as_errors=strict)
        paths = list(signatures)  # in page order
        rendered = [paths[index] for index in todo]
        _remember_scans(cache, outputs, signatures, scans, known, reached, rendered)
        for index in trees.lacking(feed_digests):
            trees.put(feeds[index].output_path, feeds[index].data)
        for index in trees.lacking(asset_digests):
            trees.copy(assets[index])
        log.raise_if_any()
        trees.commit(digests)
    return len(todo), trees.written, trees.kept


def reusable_scans(scans: dict[str, PageScan], scanned_against: frozenset[str],
                   outputs: frozenset[str],
                   reached: set[int] | None = None) -> dict[str, PageScan]:  # fmt: skip
    """The kept scans still true for this build's output paths.

    A scan records what each link resolved to among the paths of its build. A path added (a
    new article, its tags, another listing page) leaves every resolved link resolved, but may
    fix a broken one: pages with a broken link are scanned again. A path removed breaks the
    links that reached it: pages that reach it are scanned again (`reached`: the checksums
    of every path that any of `scans` reaches, or more, to skip the search when none does).
    A path added where a folder's index answered before ("/a" for "/a/index.html") could
    change any scan: then every page is scanned again."""
    if scanned_against == outputs:
        return scans
    if not scanned_against:
        return {}
    added, removed = outputs - scanned_against, scanned_against - outputs
    if any(f"{path}/index.html" in outputs for path in added):
        return {}
    gone = set(array("I", path_checksums(removed)))
    if gone and reached is not None and gone.isdisjoint(reached):
        gone = set()  # no page reaches a removed path (search chunks, renamed by content)
    if not gone:  # most often: only the pages with a broken link, and most pages have none
        broken = list(compress(scans, map(_broken, scans.values()))) if added else []
        if not broken:
            return scans
        kept = dict(scans)
        for path in broken:
            del kept[path]
        return kept
    return {
        path: scan
        for path, scan in scans.items()
        if not (added and scan.broken) and not reaches_any(scan, gone)
    }


def _remember_scans(cache: BuildCache, outputs: frozenset[str], signatures: dict[str, str],
                    scans: dict[str, PageScan], known: dict[str, PageScan],
                    reached: set[int] | None, rendered: Collection[str]) -> None:  # fmt: skip
    """Keep the scans for the next build; a process that builds again (the dev server) also
    keeps what they reach, from what the kept scans reached and the new scans. `rendered`:
    the output paths of the pages rendered (the others' scans are `known`'s, or new)."""
    fresh = (scans.keys() - known.keys()) | (scans.keys() & set(rendered))
    if cache.memory is not None:
        if reached is None:  # once a process (and after another build saved the cache)
            reached, fresh_scans = set(), scans.values()
        else:  # grown in place: more than what the scans reach is still right
            fresh_scans = [scans[path] for path in fresh]
        for scan in fresh_scans:
            reached.update(array("I", scan.reaches))
    cache.remember_scans(outputs, signatures, scans, fresh, reached)


def _asset_digest(asset: Asset) -> str:
    stat = asset.source.stat()
    return f"{stat.st_size}-{stat.st_mtime_ns}"


def render_pages(work: PageWork, indices: list[int], trees: OutputTrees | None,
                 links: LinkChecker | None = None, unchanged_in: Path | None = None,
                 known: dict[str, PageScan] | None = None) -> dict[str, PageScan]:  # fmt: skip
    """Render the pages at `indices` on every core, into the spare tree when there is one.

    With `links`, scan the rendered pages for the link check, and with `unchanged_in` every
    other page too, as that folder has it, unless `known` has its scan: {output path: scan}."""
    folders = trees.folders if trees else None
    seen: set[str] = set()
    scans: dict[str, PageScan] = {}
    every: Iterable[int] = indices
    if links and unchanged_in:
        paths = _output_paths(work)
        scans = dict(known or {})  # every page's but those rendered now
        for index in indices:
            scans.pop(paths[index], None)
        every = list(compress(count(), map(not_, map(scans.__contains__, paths))))
    todo = set(indices)
    batched = list(batches([(index, index in todo) for index in every], 8))
    state = (work.renderer, folders, links, unchanged_in)
    results: Iterable[BatchResult]
    if work.jobs > 1 and len(every) >= APART_FROM:
        results = _rendered_apart(batched, state, work.jobs)
    else:
        results = ordered_map(
            _render_batch, batched, work.jobs, _init_page_worker, state, smallest_chunk=1
        )
    parts: dict = {}  # of the scans kept so far, each part once
    for written, kept, errors, found in results:
        if trees:
            trees.add_counts(written, kept)
        for error in errors:
            if str(error) not in seen:  # a broken template fails every page that uses it
                seen.add(str(error))
                work.log.error(error)
        scans.update((scan.output_path, _sharing_parts(scan, parts)) for scan in found)
    return scans


def _output_paths(work: PageWork) -> list[str]:
    """The output path of every page, in page order: the keys of its signatures."""
    if len(work.signatures) == len(work.pages):  # two pages at one path are an error before
        return list(work.signatures)
    return [urls.output_path(page.path) for page in work.pages]


def _sharing_parts(scan: PageScan, parts: dict) -> PageScan:
    """The scan, its ids and external links one object with every other page's that has the
    same: most pages have only the layout's (a listing's ids, a portal's footer links), and
    every scan stays until the build ends."""
    ids = parts.setdefault(scan.ids, scan.ids)
    external = parts.setdefault(scan.external, scan.external)
    if ids is scan.ids and external is scan.external:
        return scan
    return replace(scan, ids=ids, external=external)


def report_links(pages: Sequence[Page], scans: dict[str, PageScan], log: ErrorLog,
                 as_errors: bool, external: bool = False) -> LinkReport:  # fmt: skip
    """Log the broken links of the scanned pages; with `external`, count the external ones
    (`sitegen check` lists them)."""
    report = LinkReport.collect(scans, _Origins(pages), external)
    report.log_broken(log, as_errors)
    return report


class _Origins(Mapping[str, str]):
    """The source of each article's page, by output path: made once a broken link asks."""

    def __init__(self, pages: Sequence[Page]):
        self._pages, self._origins = pages, None

    def _made(self) -> dict[str, str]:
        if self._origins is None:
            self._origins = {urls.output_path(p.path): page_origin(p)
                             for p in self._pages if p.kind == "article"}  # fmt: skip
        return self._origins

    def __getitem__(self, output_path: str) -> str:
        return self._made()[output_path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())


# From this many pages, the other processes that render them are Python processes started
# afresh, which get the renderer pickled, instead of forks of this process, each of which
# counts all of it: at 100,000 articles 0.5 GB against 1 GB each. Below, a fork costs less
# than the 2 to 3 s a process apart takes to start (measured at 10,000 articles).
APART_FROM = 32_768

BatchResult = tuple[int, int, list[TemplateError], list[PageScan]]  # written, kept, ...
# The renderer, the output folders, the link checker, the folder of unchanged pages
PageWorkerState = tuple[
    PageRenderer | PortalRenderer, tuple[Path, Path, Path | None] | None, LinkChecker | None,
    Path | None,
]  # fmt: skip


def _rendered_apart(batched: list[list[tuple[int, bool]]], state: PageWorkerState,
                    jobs: int) -> list[BatchResult]:  # fmt: skip
    """The result of every batch, in order: this process and `jobs - 1` processes apart take
    the next batch, one at a time, until none is left."""
    with tempfile.TemporaryDirectory(prefix="sitegen-pages-") as folder:
        # Pickled once for every process, and to a file: not another copy in this process
        state_file = Path(folder) / "state.pickle"
        with state_file.open("wb") as file:
            pickle.dump(state, file, protocol=pickle.HIGHEST_PROTOCOL)
        with shared_counter() as counter, ThreadPoolExecutor(jobs - 1) as threads:
            work = (state_file, batched, counter)
            apart = [threads.submit(run_apart, _render_taken, work) for _ in range(jobs - 1)]
            try:
                _init_page_worker(*state)
                done = _taken_batches(batched, counter)
                for future in apart:
                    done.update(future.result())
            except BaseException:
                counter.end()  # the processes apart stop after their batch
                raise
    return [done[n] for n in range(len(batched))]


def _render_taken(
    work: tuple[Path, list[list[tuple[int, bool]]], SharedCounter],
) -> dict[int, BatchResult]:
    """In a process apart: the batches it took, rendered."""
    state_file, batched, counter = work
    with state_file.open("rb") as file:
        _init_page_worker(*pickle.load(file))
    return _taken_batches(batched, counter)


def _taken_batches(batched: list[list[tuple[int, bool]]],
                   counter: SharedCounter) -> dict[int, BatchResult]:  # fmt: skip
    done: dict[int, BatchResult] = {}
    parts: dict = {}
    while (number := counter.take()) < len(batched):
        written, kept, errors, scans = _render_batch(batched[number])
        done[number] = written, kept, errors, [_sharing_parts(scan, parts) for scan in scans]
    return done


_page_worker: dict = {}


def _init_page_worker(renderer: PageRenderer, folders: tuple[Path, Path, Path | None] | None,
                      links: LinkChecker | None, unchanged_in: Path | None) -> None:  # fmt: skip
    _page_worker.update(renderer=renderer, folders=folders, links=links, unchanged_in=unchanged_in)


def _render_batch(items: list[tuple[int, bool]]) -> BatchResult:
    """Render the pages of (page index, render?) items; scan them for the link check if asked."""
    renderer: PageRenderer | PortalRenderer = _page_worker["renderer"]
    folders: tuple[Path, Path, Path | None] | None = _page_worker["folders"]
    links: LinkChecker | None = _page_worker["links"]
    written = kept = 0
    errors, scans = [], []
    for index, render in items:
        page = renderer.pages[index]
        output = urls.output_path(page.path)
        if not render:  # unchanged: only scanned
            scans.append(
                links.scan_page(
                    output, page.path, (_page_worker["unchanged_in"] / output).read_bytes()
                )
            )
            continue
        try:
            text = renderer.render(page)
        except TemplateError as error:
            errors.append(error)
            continue
        if folders is not None:
            if place_file(*folders, output, text.encode("utf-8")):
                written += 1
            else:
                kept += 1
        if links is not None:
            scans.append(links.scan_page(output, page.path, text))
    return written, kept, errors, scans
