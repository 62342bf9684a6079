"""The dev server's rebuild after a body edit, timed in one process, for sites too large to
serve for a benchmark run (100,000 articles: serve_latency.py would build it cold first).

    python benchmarks/rebuild_in_process.py SITE [--edits 6] [--article content/....md] [--verify]

Builds SITE once with a kept `CacheMemory`, as `sitegen serve` does, then per edit appends a
new last paragraph to one article and calls `build()` told that file changed, as the
server's watcher tells it, printing the rebuild's seconds and its stages (`--timings`). The
article is restored at the end. Add the server's quiet period (0.02-0.1 s) for save-to-served.
`--verify`: then edit the title of another article (its URL moves), rebuild told so, build
the same sources from scratch elsewhere (`--no-cache`) and compare the two outputs file by file.
"""

from __future__ import annotations

import argparse
import gc
import re
import shutil
import statistics
import time
from pathlib import Path

from run import tree_differences

from sitegen.cache import CacheMemory
from sitegen.pipeline import BuildOptions, build


def first_article(site: Path) -> str:
    return min(p for p in (site / "content").rglob("*.md")).relative_to(site).as_posix()


def last_article(site: Path) -> str:
    return max(p for p in (site / "content").rglob("*.md")).relative_to(site).as_posix()


def verify(options: BuildOptions, memory: CacheMemory, site: Path) -> None:
    """A title edit told to the kept build, then its output against a clean build's."""
    name = last_article(site)
    source = site / name
    original = source.read_text(encoding="utf-8")
    try:
        time.sleep(2.1)
        source.write_text(re.sub(r"(?m)^title: .*$", "title: Tiêu đề mới để kiểm tra", original,
                                 count=1), encoding="utf-8")  # fmt: skip
        result = build(options, memory, [name])
        print(f"title edit: {result.seconds:.2f} s, {result.rendered} rendered", flush=True)
        clean = site.parent / f"{site.name}-verify"
        shutil.rmtree(clean, ignore_errors=True)
        started = time.perf_counter()
        build(BuildOptions(config_path=options.config_path, output=clean, use_cache=False))
        seconds = time.perf_counter() - started
        differences = tree_differences(result.output, clean)
        files = sum(1 for path in clean.rglob("*") if path.is_file())
        verdict = f"{len(differences)} differ: {differences[:5]}" if differences else "identical"
        print(f"clean build {seconds:.1f} s; of {files} files: {verdict}")
        shutil.rmtree(clean, ignore_errors=True)
    finally:
        source.write_text(original, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--edits", type=int, default=6)
    parser.add_argument("--article", help="the file to edit, relative to SITE")
    parser.add_argument("--verify", action="store_true", help="compare with a clean build")
    args = parser.parse_args()
    site = args.site.resolve()
    name = args.article or first_article(site)
    source = site / name
    original = source.read_text(encoding="utf-8")
    options = BuildOptions(config_path=site / "config.yaml")
    memory = CacheMemory()

    def edit(number: int) -> None:
        source.write_text(original + f"\nMột đoạn mới, lần sửa {number}.\n", encoding="utf-8")

    seconds = []
    try:
        edit(0)  # so that the first build assembles the site and keeps its model
        gc.disable()  # as the server does (serve.py)
        started = time.perf_counter()
        build(options, memory)
        print(f"first build {time.perf_counter() - started:.2f} s", flush=True)
        gc.freeze()
        for number in range(1, args.edits + 1):
            time.sleep(2.1)  # a file touched within 2 s of a build is never taken as unchanged
            edit(number)
            started = time.perf_counter()
            result = build(options, memory, [name])
            seconds.append(time.perf_counter() - started)
            stages = ", ".join(f"{k} {v:.3f}" for k, v in result.timings.items())
            print(f"edit {number}: {seconds[-1]:.2f} s, {result.rendered} rendered; {stages}",
                  flush=True)  # fmt: skip
        if args.verify:
            verify(options, memory, site)
    finally:
        source.write_text(original, encoding="utf-8")
    if seconds:
        print(f"median {statistics.median(seconds):.2f} s, {min(seconds):.2f}-{max(seconds):.2f} s")


if __name__ == "__main__":
    main()
