"""Save-to-served time of `sitegen serve`: edit one article, time until its page shows the edit.

    python benchmarks/serve_latency.py [--sizes 1000,10000] [--edits 10] [--edit title|body]
                                       [--work DIR]

For each size: generate a site (benchmarks/generate.py, once, kept in --work), start `python -m
sitegen serve` on a free port and wait for its first build. Then, per edit, do what an open
browser tab does: listen to the server's event stream, write a new title into one article's
Markdown file (or, with --edit body, a new last paragraph), wait for the reload event, fetch
the article's URL over HTTP and check that it holds the new title. Save-to-served is the time
from just before the write to that response; beside it are the server's own "rebuilt in" figure
and the CPU time the server used meanwhile (a figure that a busy machine inflates less). The
first edit is a warm-up, reported apart.
Standard library only; runs the sitegen that `python -m sitegen` finds.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ADDRESS = re.compile(r"^Serving .+ at (?P<url>http://\S+)$")
REBUILT = re.compile(r" changed: rebuilt in (?P<seconds>\d+\.\d+) s")
TITLE = re.compile(r"^title: .*$", re.M)


class Server:
    def __init__(self, config: Path):
        command = [sys.executable, "-m", "sitegen", "serve", "--port", "0", "--config", str(config)]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            cwd=config.parent,  # not this repository: run the sitegen that is installed
        )
        self.lines: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(
        self, pattern: re.Pattern[str], after: int = 0, timeout: float = 900.0
    ) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[after:]:
                if match := pattern.search(line):
                    return match
            if self.process.poll() is not None:
                raise SystemExit("sitegen serve exited:\n" + "\n".join(self.lines))
            time.sleep(0.005)
        raise SystemExit(f"timed out waiting for {pattern.pattern!r}:\n" + "\n".join(self.lines))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def prepare_site(size: int, work: Path) -> tuple[Path, Path, str]:
    """The site folder, the edited article and its URL path; the article gets a fixed slug so
    that a new title keeps its URL."""
    site = (work / f"serve-{size}").resolve()
    if not (site / "config.yaml").is_file():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(size), str(site)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    edited = sorted((site / "content").rglob("*.md"))[0]
    text = edited.read_text(encoding="utf-8")
    if "\nslug: " not in text:
        edited.write_text(
            text.replace("\ntitle: ", f"\nslug: {edited.stem}\ntitle: ", 1), encoding="utf-8"
        )
    return site, edited, f"/{edited.parent.name}/{edited.stem}/"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its waited-for children (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def listen(url: str, page: str) -> http.client.HTTPResponse:
    """The server's event stream, as the page's script opens it."""
    generation = re.search(r'data-generation="(\d+)"', page)
    assert generation, "the served page has no reload script"
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    connection.request("GET", f"/__sitegen/events?since={generation[1]}")
    return connection.getresponse()


def wait_for_reload(events: http.client.HTTPResponse) -> None:
    while line := events.readline():
        if line.startswith(b"event: "):
            assert line == b"event: reload\n", line
            return
    raise SystemExit("the event stream ended")


def edited_text(original: str, kind: str, marker: str) -> str:
    """The article with `marker` as its title, or as a paragraph after its body."""
    if kind == "body":
        return f"{original.rstrip()}\n\n{marker}.\n"
    return TITLE.sub(f"title: {marker}", original, count=1)


def save_to_served(
    server: Server, edited: Path, url: str, text: str, title: str
) -> tuple[float, float, float]:
    """Seconds from the write of `text` to a response that shows `title`, the server's
    rebuild seconds, and the server's CPU seconds meanwhile (about the first on an otherwise
    idle machine).

    Like a browser tab: wait for the server's reload event, then fetch the page once."""
    events = listen(url, fetch(url))
    mark = len(server.lines)
    cpu = cpu_seconds(server.process.pid)
    started = time.perf_counter()
    edited.write_text(text, encoding="utf-8")
    wait_for_reload(events)
    while title not in fetch(url):
        time.sleep(0.02)
    served = time.perf_counter() - started
    used = cpu_seconds(server.process.pid) - cpu
    events.close()
    rebuilt = float(server.wait_for(REBUILT, after=mark, timeout=30)["seconds"])
    return served, rebuilt, used


def measure(size: int, edits: int, work: Path, kind: str = "title") -> dict[str, float]:
    site, edited, path = prepare_site(size, work)
    original = edited.read_text(encoding="utf-8")
    server = Server(site / "config.yaml")
    try:
        url = server.wait_for(ADDRESS)["url"].rstrip("/") + path
        server.wait_for(re.compile("^Watching "))
        results = []
        for number in range(edits + 1):
            marker = f"Đo độ trễ {size} lần {number}"
            text = edited_text(original, kind, marker)
            results.append(save_to_served(server, edited, url, text, marker))
            time.sleep(0.3)  # let the server go idle between edits
    finally:
        server.stop()
        edited.write_text(original, encoding="utf-8")
    served, rebuilds, cpu = zip(*results[1:], strict=True)
    return {
        "articles": size,
        "edits": edits,
        "edit": kind,
        "first_edit": results[0][0],
        "median": statistics.median(served),
        "max": max(served),
        "min": min(served),
        "rebuild_median": statistics.median(rebuilds),
        "cpu_median": statistics.median(cpu),
        "load": os.getloadavg()[0],
        "cores": os.cpu_count() or 1,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000", help="comma-separated article counts (default 1000)"
    )
    parser.add_argument(
        "--edits", type=int, default=10, help="timed edits per size (after a warm-up)"
    )
    parser.add_argument(
        "--edit", choices=("title", "body"), default="title", help="what each edit changes"
    )
    parser.add_argument(
        "--work", type=Path, default=HERE / "work", help="where generated sites are kept"
    )
    parser.add_argument(
        "--max-load",
        type=float,
        help="first wait (up to 30 min) until the 1-minute load average is below this",
    )
    args = parser.parse_args(argv)
    deadline = time.monotonic() + 1800
    while args.max_load and os.getloadavg()[0] >= args.max_load and time.monotonic() < deadline:
        time.sleep(10)
    print("articles  save-to-served (s): median   min   max  first | rebuild  server CPU | load")
    for size in (int(s.replace("_", "")) for s in args.sizes.split(",") if s):
        r = measure(size, args.edits, args.work, args.edit)
        print(
            f"{size:8d}  {r['median']:25.3f} {r['min']:5.3f} {r['max']:5.3f}"
            f" {r['first_edit']:6.3f} |"
            f" {r['rebuild_median']:7.3f} {r['cpu_median']:11.3f} | {r['load']:.1f} on"
            f" {r['cores']} cores",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
