"""Cold builds of several variants, interleaved round by round, on a noisy machine.

    python benchmarks/interleave.py ROUNDS LABEL=CODE_DIR:CONFIG [LABEL=CODE_DIR:CONFIG ...]

Each round builds every variant once (`sitegen build --no-cache` into an emptied folder), in
turn, so that a slow spell of the machine touches every variant alike; prints each build's
seconds and, at the end, each variant's median and its ratio to the first variant's. CODE_DIR
is a checkout of sitegen (put first on PYTHONPATH), CONFIG the config.yaml of a generated
site (benchmarks/generate.py). Standard library only.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build_seconds(code: Path, config: Path, output: Path) -> float:
    shutil.rmtree(output, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [sys.executable, "-m", "sitegen", "build", "--config", str(config), "--no-cache",
               "--output", str(output)]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    rounds, variants = int(argv[0]), []
    for spec in argv[1:]:
        label, _, paths = spec.partition("=")
        code, _, config = paths.partition(":")
        variants.append((label, Path(code).resolve(), Path(config).resolve()))
    seconds: dict[str, list[float]] = {label: [] for label, _, _ in variants}
    with tempfile.TemporaryDirectory() as scratch:
        for number in range(1, rounds + 1):
            for label, code, config in variants:
                taken = build_seconds(code, config, Path(scratch) / label)
                seconds[label].append(taken)
                print(f"round {number} {label}: {taken:.2f} s", flush=True)
    first = statistics.median(seconds[variants[0][0]])
    for label, _, _ in variants:
        median = statistics.median(seconds[label])
        print(f"{label}: median {median:.2f} s, ratio {median / first:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
