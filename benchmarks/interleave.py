"""Cold builds of several variants, interleaved round by round, on a noisy machine.

    python benchmarks/interleave.py ROUNDS LABEL=CODE_DIR:CONFIG [LABEL=CODE_DIR:CONFIG ...]

Each round builds every variant once (`sitegen build --no-cache` into an emptied folder), in
turn, so that a slow spell of the machine touches every variant alike; prints each build's
wall and CPU seconds (user + system, of the build and its workers) and, at the end, each
variant's medians and their ratios to the first variant's. On a shared machine the CPU time
is the steadier figure: waiting for a core counts in wall time only. CODE_DIR
is a checkout of sitegen (put first on PYTHONPATH), CONFIG the config.yaml of a generated
site (benchmarks/generate.py). Standard library only.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build_seconds(code: Path, config: Path, output: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one cold build."""
    shutil.rmtree(output, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [sys.executable, "-m", "sitegen", "build", "--config", str(config), "--no-cache",
               "--output", str(output)]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main(argv: list[str]) -> int:
    rounds, variants = int(argv[0]), []
    for spec in argv[1:]:
        label, _, paths = spec.partition("=")
        code, _, config = paths.partition(":")
        variants.append((label, Path(code).resolve(), Path(config).resolve()))
    seconds: dict[str, list[tuple[float, float]]] = {label: [] for label, _, _ in variants}
    with tempfile.TemporaryDirectory() as scratch:
        for number in range(1, rounds + 1):
            for label, code, config in variants:
                wall, cpu = build_seconds(code, config, Path(scratch) / label)
                seconds[label].append((wall, cpu))
                print(f"round {number} {label}: wall {wall:.2f} s, CPU {cpu:.2f} s", flush=True)
    first = [statistics.median(taken) for taken in zip(*seconds[variants[0][0]], strict=True)]
    for label, _, _ in variants:
        wall, cpu = (statistics.median(taken) for taken in zip(*seconds[label], strict=True))
        print(
            f"{label}: median wall {wall:.2f} s (ratio {wall / first[0]:.3f}), "
            f"CPU {cpu:.2f} s (ratio {cpu / first[1]:.3f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
