"""Benchmark sitegen's search index against Pagefind on the same generated site.

    python benchmarks/search.py [--sizes 1000,10000] [--query "dang vien"] [--prefix d]

Run it with a Python that has sitegen and Playwright installed (`pip install -e '.[test]'`);
it uses Debian's /usr/bin/chromium and never downloads a browser. Pagefind (the `pagefind`
and `pagefind-bin` packages of PyPI, a benchmark peer only) is installed into
benchmarks/.venv-search the first time. For each N it generates the site under
benchmarks/work/search-N/ and measures, in the same run:

- sitegen's cold build (no cache) with `search: false` and with the search on, by turns
  (best of two each), and the "search index" stage of `--timings`;
- a rebuild with the cache after no change and after a one-sentence edit of one article,
  each with the search off and on, and which files of the index the edit rewrote;
- Pagefind's index of the same output (its `data-pagefind-body` added to the article pages'
  <main>, so that it indexes the articles and nothing else), and its run time;
- the bytes of each index, and in headless Chromium the bytes downloaded by a two-word query
  and by a one-letter prefix (response sizes, a fresh browser context each), and the time
  from a keystroke to the results shown (sitegen) or from search() to the data of the first
  ten results (Pagefind), once the index is loaded.

Prints a markdown table and writes benchmarks/work/search-results.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
PEER_VENV = HERE / ".venv-search"
CHROMIUM = "/usr/bin/chromium"
EDIT = "\nThủy điện Sông Xanh khánh thành tổ máy mới, nâng công suất lên gấp đôi.\n"
KB = 1024

# --- builds -----------------------------------------------------------------------------


def sitegen(site: Path, output: Path, *args: str) -> tuple[float, str]:
    """(wall seconds, what it printed) of one `sitegen build`."""
    command = [sys.executable, "-m", "sitegen", "build", "--config", str(site / "config.yaml"),
               "--output", str(output), "--timings", *args]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout + done.stderr


def stage_seconds(printed: str, stage: str) -> float:
    found = re.search(rf"{stage} ([0-9.]+) s", printed)
    return float(found.group(1)) if found else 0.0


def with_search(site: Path, on: bool) -> None:
    config = site / "config.yaml"
    text = re.sub(r"\nsearch: \w+\n", "\n", config.read_text(encoding="utf-8"))
    config.write_text(text + ("" if on else "search: false\n"), encoding="utf-8")


def cold_builds(site: Path, rounds: int = 2) -> dict[str, float]:
    """Best wall time of cold builds without and with the search, by turns."""
    best = {"off": float("inf"), "on": float("inf"), "stage": float("inf")}
    for _ in range(rounds):
        for mode in ("off", "on"):
            with_search(site, mode == "on")
            output = site / f"public-{mode}"
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(site / f".public-{mode}.sitegen", ignore_errors=True)
            seconds, printed = sitegen(site, output, "--no-cache")
            best[mode] = min(best[mode], seconds)
            if mode == "on":
                best["stage"] = min(best["stage"], stage_seconds(printed, "search index"))
    return best


def rebuilds(site: Path, article: Path) -> dict[str, object]:
    """No-change and one-edit rebuilds with the cache, search off then on; the index files
    the edit rewrote."""
    figures: dict[str, object] = {}
    original = article.read_text(encoding="utf-8")
    for mode in ("off", "on"):
        with_search(site, mode == "on")
        output = site / f"public-{mode}"
        sitegen(site, output)  # fills the cache
        figures[f"nochange_{mode}"] = sitegen(site, output)[0]
        before = snapshot(output / "search")
        article.write_text(original + EDIT, encoding="utf-8")
        try:
            figures[f"edit_{mode}"] = sitegen(site, output)[0]
        finally:
            article.write_text(original, encoding="utf-8")
        if mode == "on":
            figures["edit_rewrote"] = rewritten(before, snapshot(output / "search"))
    sitegen(site, site / "public-on")  # back to the unedited site, for the browser
    return figures


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """{file: (digest, inode)} of an index folder."""
    return {
        p.relative_to(folder).as_posix(): (
            hashlib.blake2b(p.read_bytes()).hexdigest(),
            p.stat().st_ino,
        )  # fmt: skip
        for p in folder.rglob("*")
        if p.is_file() and p.name != "index.html"
    }


def rewritten(before: dict, after: dict) -> dict[str, object]:
    changed = sorted(p for p in after if before.get(p, ("", 0))[0] != after[p][0])
    return {"files": len(after), "changed": changed, "removed": sorted(set(before) - set(after))}


# --- Pagefind ---------------------------------------------------------------------------


def peer_python() -> Path:
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "pagefind",
                        "pagefind-bin"], check=True)  # fmt: skip
    return python


def pagefind(output: Path, site: Path) -> dict[str, object]:
    """Pagefind's index of the articles of `output` (a copy, with data-pagefind-body)."""
    copy = site / "pagefind-site"
    shutil.rmtree(copy, ignore_errors=True)
    subprocess.run(["cp", "-al", str(output), str(copy)], check=True)
    shutil.rmtree(copy / "search")
    for page in copy.rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        if '<body class="kind-article">' in text:
            page.unlink()  # a new file, not the hard link
            page.write_text(text.replace('<main id="main"', '<main data-pagefind-body id="main"'),
                            encoding="utf-8")  # fmt: skip
    (copy / "bench.html").write_text(PAGEFIND_HARNESS, encoding="utf-8")
    python = peer_python()
    started = time.perf_counter()
    done = subprocess.run([str(python), "-m", "pagefind", "--site", str(copy)],
                          capture_output=True, text=True, check=True)  # fmt: skip
    seconds = time.perf_counter() - started
    version = subprocess.run([str(python), "-m", "pagefind", "--version"], capture_output=True,
                             text=True).stdout.strip()  # fmt: skip
    return {"seconds": seconds, "version": version, "log": done.stdout[-400:], "folder": copy}


PAGEFIND_HARNESS = """<!DOCTYPE html><html lang="vi"><meta charset="utf-8"><title>bench</title>
<script type="module">
const q = new URLSearchParams(location.search).get("q") || "";
const pf = await import("/pagefind/pagefind.js");
await pf.options({});
const first = await pf.search(q);
await Promise.all(first.results.slice(0, 10).map(r => r.data()));
window.benchDone = {count: first.results.length};
window.timeQuery = async (text) => {
  const start = performance.now();
  const found = await pf.search(text);
  await Promise.all(found.results.slice(0, 10).map(r => r.data()));
  return performance.now() - start;
};
</script></html>
"""

# --- sizes ------------------------------------------------------------------------------


def folder_bytes(folder: Path, skip: tuple[str, ...] = ()) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(skip)]
    return sum(p.stat().st_size for p in files), len(files)


def index_sizes(sitegen_index: Path, pagefind_bundle: Path) -> dict[str, object]:
    ours, our_files = folder_bytes(sitegen_index, ("index.html",))
    runtime = (".js", ".css", ".wasm", ".pagefind")
    theirs, their_files = folder_bytes(pagefind_bundle, runtime)
    with_runtime, _ = folder_bytes(pagefind_bundle)
    return {"sitegen": ours, "sitegen_files": our_files, "pagefind": theirs,
            "pagefind_files": their_files, "pagefind_with_runtime": with_runtime}  # fmt: skip


# --- the browser ------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def downloaded(browser, url: str, ready: str, under: str) -> dict[str, int]:
    """Bytes of the responses under `under` (index data) and of every response, for one
    page load in a fresh context, once `ready` is true in the page."""
    context = browser.new_context()
    page = context.new_page()
    sizes: list[tuple[str, int]] = []
    page.on("response", lambda r: sizes.append((r.url, int(r.headers.get("content-length", 0)))))
    page.goto(url)
    wait_for(page, ready)
    context.close()
    index = sum(size for address, size in sizes if under in address and _is_data(address))
    return {"index": index, "all": sum(size for _, size in sizes), "requests": len(sizes)}


def _is_data(address: str) -> bool:
    return not address.split("?")[0].endswith((".js", ".css", ".wasm", ".pagefind", "/"))


def wait_for(page, expression: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(expression)
        page.wait_for_timeout(10)


SHOWN = "() => Number(document.getElementById('search-results').dataset.searches || 0)"
WATCH = """() => {
  window.benchKeys = [];
  const list = document.getElementById('search-results');
  document.addEventListener('keydown', () => { window.benchKey = performance.now(); }, true);
  new MutationObserver(() => window.benchKeys.push(performance.now() - window.benchKey))
    .observe(list, {attributes: true, attributeFilter: ['data-searches']});
}"""


def keystrokes(browser, base: str, query: str) -> list[float]:
    """ms from a keydown to the results shown, for keystrokes that change the last word."""
    page = browser.new_page()
    page.goto(f"{base}/search/?q={quote(query[:-1])}")
    wait_for(page, SHOWN)
    page.evaluate(WATCH)
    page.focus("#search-q")
    page.keyboard.press("End")
    for number, key in enumerate([query[-1], "Backspace"] * 4, start=1):
        page.keyboard.press(key)
        wait_for(page, f"() => window.benchKeys.length >= {number}")
    times = page.evaluate("() => window.benchKeys")
    page.close()
    return times


def pagefind_times(browser, base: str, query: str) -> list[float]:
    page = browser.new_page()
    page.goto(f"{base}/bench.html?q={quote(query[:-1])}")
    wait_for(page, "() => window.benchDone")
    times = [page.evaluate(f"() => window.timeQuery({json.dumps(q)})")
             for q in [query, query[:-1]] * 4]  # fmt: skip
    page.close()
    return times


def browser_figures(ours: Path, theirs: Path, query: str, prefix: str) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    done = "() => window.benchDone"
    with sync_playwright() as playwright, served(ours) as mine, served(theirs) as peer:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        figures = {
            "sitegen_query": downloaded(browser, f"{mine}/search/?q={quote(query)}", SHOWN,
                                        "/search/"),
            "sitegen_prefix": downloaded(browser, f"{mine}/search/?q={quote(prefix)}", SHOWN,
                                         "/search/"),
            "pagefind_query": downloaded(browser, f"{peer}/bench.html?q={quote(query)}", done,
                                         "/pagefind/"),
            "pagefind_prefix": downloaded(browser, f"{peer}/bench.html?q={quote(prefix)}", done,
                                          "/pagefind/"),
            "sitegen_keystroke_ms": keystrokes(browser, mine, query),
            "pagefind_search_ms": pagefind_times(browser, peer, query),
        }  # fmt: skip
        browser.close()
    return figures


# --- one size ---------------------------------------------------------------------------


def measure(count: int, query: str, prefix: str) -> dict[str, object]:
    site = WORK / f"search-{count}" / "site"
    shutil.rmtree(site.parent, ignore_errors=True)
    subprocess.run([sys.executable, str(HERE / "generate.py"), str(count), str(site)],
                   check=True, capture_output=True)  # fmt: skip
    cold = cold_builds(site)
    again = rebuilds(site, sorted((site / "content").rglob("*.md"))[0])
    peer = pagefind(site / "public-on", site)
    sizes = index_sizes(site / "public-on" / "search", Path(peer["folder"]) / "pagefind")
    browser = browser_figures(site / "public-on", Path(peer["folder"]), query, prefix)
    peer["folder"] = str(peer["folder"])
    return {"count": count, "cold": cold, "rebuilds": again, "pagefind": peer, "sizes": sizes,
            "browser": browser}  # fmt: skip


def report(results: list[dict[str, object]], query: str, prefix: str) -> str:
    lines = [f"query {query!r}, prefix {prefix!r}", "",
             "| N | index bytes (files) | Pagefind | two-word query: sitegen / Pagefind | "
             "one-letter prefix | keystroke to results (median) | Pagefind search+data | "
             "index build | cold build off → on | no-change rebuild off → on | "
             "edit rebuild off → on | edit rewrote |",
             "|" + " ---: |" * 12]  # fmt: skip
    for r in results:
        s, b, c, e = r["sizes"], r["browser"], r["cold"], r["rebuilds"]
        rewrote = e["edit_rewrote"]
        lines.append(
            f"| {r['count']:,} | {s['sitegen'] / KB:,.0f} KB ({s['sitegen_files']:,}) | "
            f"{s['pagefind'] / KB:,.0f} KB ({s['pagefind_files']:,}) | "
            f"{_kb(b['sitegen_query'], b['pagefind_query'])} | "
            f"{_kb(b['sitegen_prefix'], b['pagefind_prefix'])} | "
            f"{statistics.median(b['sitegen_keystroke_ms']):.0f} ms | "
            f"{statistics.median(b['pagefind_search_ms']):.0f} ms | "
            f"{c['stage']:.2f} s (Pagefind {r['pagefind']['seconds']:.2f} s) | "
            f"{_turn(c['off'], c['on'])} | {_turn(e['nochange_off'], e['nochange_on'])} | "
            f"{_turn(e['edit_off'], e['edit_on'])} | "
            f"{len(rewrote['changed'])} of {rewrote['files']:,} files |"
        )
    return "\n".join(lines)


def _kb(ours: dict, theirs: dict) -> str:
    return f"{ours['index'] / KB:,.1f} / {theirs['index'] / KB:,.1f} KB"


def _turn(off: float, on: float) -> str:
    return f"{off:.2f} → {on:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--query", default="dang vien")
    parser.add_argument("--prefix", default="d")
    args = parser.parse_args(argv)
    commit = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    results = [measure(int(n), args.query, args.prefix) for n in args.sizes.split(",")]
    WORK.mkdir(exist_ok=True)
    stamp = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"), "commit": commit,
             "load": os.getloadavg()}  # fmt: skip
    (WORK / "search-results.json").write_text(json.dumps({**stamp, "results": results}, indent=1))
    print(f"{stamp['date']} commit {commit}, load {stamp['load'][0]:.2f}")
    print(report(results, args.query, args.prefix))
    return 0


if __name__ == "__main__":
    sys.exit(main())
