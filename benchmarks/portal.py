"""A portal of K sub-sites against one site of the same articles, built by the same sitegen.

    python benchmarks/portal.py [--articles 10000] [--subsites 10] [--rounds 3] [--work DIR]

Generates the N articles twice (generate.py): one site, and a portal of K sub-sites of N/K
articles each. Each round builds both, in alternating order, from scratch (no cache, no
output: "cold") and then again after appending a paragraph to the same article ("edit":
cache and previous output kept). Reports the median wall time of each and the ratio
portal / site of the round's pair: on a shared, noisy machine only ratios taken side by
side mean much. Standard library only; runs sitegen as `python -m sitegen`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402

EDIT = "\n\nĐoạn văn thêm vào để đo thời gian dựng lại một bài.\n"
SOURCE_DATE_EPOCH = "1893456000"


def build(site: Path) -> float:
    """Seconds of one `sitegen build` of the site (in its own process, as users run it)."""
    env = {"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PATH": "/usr/bin:/bin", "CI": ""}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "--config", str(site / "config.yaml")],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build of {site} failed:\n{result.stderr}")
    return seconds


def clean(site: Path) -> None:
    for name in ("public", ".public.sitegen", ".sitegen-cache"):
        shutil.rmtree(site / name, ignore_errors=True)


def edited_file(site: Path, article: generate.Article, subsites: int) -> Path:
    folder = site / "content"
    if subsites:
        folder = folder / generate.subsite_key(0, subsites)
    return folder / article.section / f"{article.slug}.md"


def one_round(sites: dict[str, tuple[Path, Path]], order: list[str]) -> dict[str, tuple]:
    """(cold seconds, edit seconds) of each site, built in `order`."""
    times: dict[str, list[float]] = {name: [] for name in sites}
    for name in order:
        site, edited = sites[name]
        clean(site)
        times[name].append(build(site))
    for name in order:
        site, edited = sites[name]
        with open(edited, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(EDIT)
        times[name].append(build(site))
    return {name: tuple(values) for name, values in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--subsites", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/sitegen-portal-bench"))
    args = parser.parse_args(argv)
    articles = generate.make_articles(args.articles, 1)
    sites: dict[str, tuple[Path, Path]] = {}
    for name, subsites in (("site", 0), ("portal", args.subsites)):
        folder = args.work / name
        generate.write_site(articles, folder, "sitegen", subsites)
        sites[name] = (folder, edited_file(folder, articles[0], subsites))
    rounds = []
    for number in range(args.rounds):
        order = ["site", "portal"] if number % 2 == 0 else ["portal", "site"]
        result = one_round(sites, order)
        rounds.append(result)
        print(f"round {number + 1}: " + ", ".join(
            f"{name} cold {cold:.2f} s edit {edit:.2f} s" for name, (cold, edit) in result.items()
        ), flush=True)  # fmt: skip
    for index, scenario in enumerate(("cold", "edit")):
        site = statistics.median(r["site"][index] for r in rounds)
        portal = statistics.median(r["portal"][index] for r in rounds)
        ratio = statistics.median(r["portal"][index] / r["site"][index] for r in rounds)
        print(f"{scenario}: site {site:.2f} s, portal {portal:.2f} s, "
              f"portal/site {ratio:.2f} (median of {len(rounds)} rounds' ratios)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
