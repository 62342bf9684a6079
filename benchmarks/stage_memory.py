"""Time and memory of each stage of one sitegen build, in this process.

    python benchmarks/stage_memory.py SITE [--cold]

Builds the site whose config.yaml is in SITE (with `--cold`, after removing its cache,
its output folder `public/` and the second tree `.public.sitegen/`) and prints, for each
stage that `--timings` names: its seconds, the RSS of this (the main) process at its end,
and the peak RSS of this process and of the process tree (this one and every process below
it, a process apart's own workers too, summed) during it, sampled every 20 ms. Linux only
(reads /proc). Needs sitegen importable: run it with the Python that has it installed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import threading
import time
from pathlib import Path

from sitegen import pipeline
from sitegen.pipeline import BuildOptions, build

MB = 1024 * 1024
SAMPLE_SECONDS = 0.02


def rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:  # the process ended
        pass
    return 0


def children(pid: int) -> list[int]:
    """Every process below `pid`: its children, theirs (a process apart's workers), ..."""
    found = []
    try:
        for thread in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{thread}/children") as listed:
                found += [int(child) for child in listed.read().split()]
    except OSError:
        pass
    return found + [grandchild for child in found for grandchild in children(child)]


class Sampler:
    """The highest RSS of this process and of its tree since the last `reset`."""

    def __init__(self) -> None:
        self.main = self.tree = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def reset(self) -> None:
        """Start again from the present (a stage shorter than a sample still gets one)."""
        self.main = self.tree = 0
        self._sample()

    def _sample(self) -> None:
        me = os.getpid()
        main = rss(me)
        self.main = max(self.main, main)
        self.tree = max(self.tree, main + sum(rss(child) for child in children(me)))

    def _run(self) -> None:
        while True:
            self._sample()
            time.sleep(SAMPLE_SECONDS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--cold", action="store_true", help="remove cache and output first")
    args = parser.parse_args()
    site = args.site.resolve()
    if args.cold:
        for name in (".sitegen-cache", "public", ".public.sitegen"):
            shutil.rmtree(site / name, ignore_errors=True)
    sampler = Sampler()
    lap = pipeline.Stopwatch.lap

    def reported_lap(watch: pipeline.Stopwatch, stage: str) -> None:
        lap(watch, stage)
        print(f"{stage:30} {watch.laps[stage]:8.2f} s   main {rss(os.getpid()) / MB:6.0f} MB"
              f"   peak: main {sampler.main / MB:6.0f} MB, tree {sampler.tree / MB:6.0f} MB",
              flush=True)  # fmt: skip
        sampler.reset()

    pipeline.Stopwatch.lap = reported_lap
    sampler.start()
    started = time.perf_counter()
    result = build(BuildOptions(config_path=site / "config.yaml"))
    print(f"{result.pages} pages in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
