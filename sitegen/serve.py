"""`sitegen serve`: build, serve the output folder, watch the sources, rebuild, reload the browser.

Threads: the main thread builds (the first build, then one rebuild per burst of changes);
watchdog's threads hand changed paths to a `Debouncer`; the HTTP server's threads serve files
and keep one server-sent-events stream per open tab, fed by a `Hub`.

Every build outcome gets a generation number. Served HTML carries the generation it was served
at, and its event stream starts from there, so a tab that loaded just before a rebuild still
hears of it. Generations start from the clock, so tabs left open across a restart reload too.

The output folder is swapped whole by each build (see write.py), so the served path is resolved
on every request, and a failed build leaves the last good site in place.
"""

from __future__ import annotations

import contextlib
import errno
import html
import json
import logging
import mimetypes
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .cache import CacheMemory
from .config import load_config
from .discover import is_ignored
from .errors import BuildFailed, SitegenError
from .layouts import THEME_DIR
from .pipeline import BuildOptions, BuildResult, build, output_folder

logger = logging.getLogger(__name__)

EVENTS_PATH = "/__sitegen/events"
QUIET_PERIOD = 0.1  # seconds without a change before a burst of saves is rebuilt
KEEPALIVE = 15.0  # seconds between comments on an idle event stream
PORT_TRIES = 10  # a taken port: try the next ones, up to this many
SOURCE_FOLDERS = ("content", "layouts", "static")
_SKIPPED_EVENTS = frozenset({"opened", "closed_no_write"})  # reads, such as the build's own


@dataclass(frozen=True)
class ServeOptions:
    build: BuildOptions
    host: str = "127.0.0.1"
    port: int = 8000
    quiet_period: float = QUIET_PERIOD


# --- what is served: the output folder, under the site's base path -------------------


@dataclass(frozen=True)
class Served:
    output: Path  # resolved output folder
    base_path: str  # "/" or "/tinh-uy/": the site's pages live under it


@dataclass(frozen=True)
class Resolved:
    status: HTTPStatus
    file: str | None = None  # the file to send, real path inside the output folder
    location: str | None = None  # for a redirect


def resolve_request(served: Served, target: str) -> Resolved:
    """The file a request target names, or why not: nothing outside the output folder."""
    parts = urlsplit(target)
    path = parts.path
    if target.startswith("//") or not path.startswith("/") or parts.scheme or parts.netloc:
        return Resolved(HTTPStatus.BAD_REQUEST)
    try:
        segments = [unquote(raw, errors="strict") for raw in path.split("/")[1:]]
    except UnicodeDecodeError:
        return Resolved(HTTPStatus.BAD_REQUEST)
    if any("\\" in s or "\x00" in s for s in [path, *segments]):
        return Resolved(HTTPStatus.BAD_REQUEST)
    if any(s in (".", "..") or "/" in s for s in segments):
        return Resolved(HTTPStatus.FORBIDDEN)
    decoded = "/" + "/".join(segments)
    if decoded in ("/", served.base_path.rstrip("/")) and decoded != served.base_path:
        return Resolved(HTTPStatus.MOVED_PERMANENTLY, location=served.base_path)
    if not decoded.startswith(served.base_path):
        return Resolved(HTTPStatus.NOT_FOUND)
    relative = [s for s in decoded[len(served.base_path) :].split("/") if s]
    return _find_file(served.output, relative, path, parts.query)


def _find_file(output: Path, relative: list[str], path: str, query: str) -> Resolved:
    root = os.path.realpath(output)
    real = os.path.realpath(os.path.join(root, *relative))
    if not _inside(real, root):
        return Resolved(HTTPStatus.FORBIDDEN)
    if os.path.isdir(real):
        if not path.endswith("/"):
            return Resolved(
                HTTPStatus.MOVED_PERMANENTLY, location=path + "/" + (f"?{query}" if query else "")
            )
        real = os.path.realpath(os.path.join(real, "index.html"))
        if not _inside(real, root):
            return Resolved(HTTPStatus.FORBIDDEN)
    if not os.path.isfile(real):
        return Resolved(HTTPStatus.NOT_FOUND)
    return Resolved(HTTPStatus.OK, file=real)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def not_found_page(served: Served) -> str | None:
    """The site's 404.html, if the output folder has one inside it."""
    found = _find_file(served.output, ["404.html"], "/404.html", "")
    return found.file


# --- build outcomes, and the event streams that hear of them --------------------------


@dataclass(frozen=True)
class BuildState:
    generation: int
    errors: tuple[str, ...] = ()  # the last build failed with these; the last good site is served
    reload_generation: int = 0  # tabs served before this one must reload (CSS swaps come after)


class Hub:
    """The latest build state, and a condition the event streams wait on."""

    def __init__(self) -> None:
        start = time.time_ns() // 1_000_000
        self._state = BuildState(start, (), start)
        self._condition = threading.Condition()
        self._closed = False
        self._streams = 0

    @property
    def state(self) -> BuildState:
        return self._state

    def publish(self, errors: Sequence[str], css_only: bool = False) -> BuildState:
        """Record a build outcome; `css_only`: only stylesheets changed, swap them in place."""
        with self._condition:
            old = self._state
            generation = old.generation + 1
            keeps_pages = not errors and not old.errors and css_only
            reload = old.reload_generation if errors or keeps_pages else generation
            self._state = BuildState(generation, tuple(errors), reload)
            self._condition.notify_all()
            return self._state

    def close(self, timeout: float = 2.0) -> None:
        """End every event stream, waiting for them a little."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()
            self._condition.wait_for(lambda: self._streams == 0, timeout)

    @contextlib.contextmanager
    def stream(self) -> Iterator[None]:
        with self._condition:
            self._streams += 1
        try:
            yield
        finally:
            with self._condition:
                self._streams -= 1
                self._condition.notify_all()

    def wait(self, seen: int, timeout: float) -> BuildState | None:
        """The state once it differs from generation `seen`; None on timeout; raises when closed."""
        with self._condition:
            self._condition.wait_for(
                lambda: self._closed or self._state.generation != seen, timeout
            )
            if self._closed:
                raise _Closed
            return self._state if self._state.generation != seen else None


class _Closed(Exception):
    """The server is stopping: end the event stream."""


def event_for(state: BuildState, seen: int) -> str:
    """The server-sent event that brings a tab served at generation `seen` up to `state`."""
    if state.errors:
        name, data = "errors", json.dumps(list(state.errors), ensure_ascii=False)
    elif state.reload_generation <= seen < state.generation:
        name, data = "css", "{}"
    else:
        name, data = "reload", "{}"
    return f"id: {state.generation}\nevent: {name}\ndata: {data}\n\n"


# --- what the browser gets besides the site: the reload script and the error overlay --

OVERLAY_STYLE = (
    "position:fixed;top:0;left:0;right:0;z-index:2147483647;max-height:60vh;overflow:auto;"
    "margin:0;padding:12px 16px;background:#fff4f4;color:#5c0000;border-bottom:4px solid #c00;"
    "font:14px/1.45 ui-monospace,monospace;box-shadow:0 4px 16px rgba(0,0,0,.25);text-align:left"
)
OVERLAY_TITLE = (
    "sitegen: the rebuild failed. This page is the last good build; fix the file and save."
)

_CLIENT = """
(() => {
  const script = document.currentScript;
  const events = new EventSource("__EVENTS__?since=" + script.dataset.generation);
  events.addEventListener("reload", () => { events.close(); location.reload(); });
  events.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("sitegen", Date.now());
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.onload = fresh.onerror = () => link.remove();
      link.after(fresh);
    }
  });
  events.addEventListener("errors", (event) => {
    let box = document.getElementById("sitegen-errors");
    if (!box) {
      box = document.createElement("div");
      box.id = "sitegen-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = __STYLE__;
      document.body.append(box);
    }
    const title = document.createElement("strong");
    title.textContent = __TITLE__;
    const list = document.createElement("pre");
    list.style.cssText = "margin:8px 0 0;white-space:pre-wrap";
    list.textContent = JSON.parse(event.data).join("\\n");
    box.replaceChildren(title, list);
  });
})();
"""
CLIENT_SCRIPT = (
    _CLIENT.replace("__EVENTS__", EVENTS_PATH)
    .replace("__STYLE__", json.dumps(OVERLAY_STYLE))
    .replace("__TITLE__", json.dumps(OVERLAY_TITLE))
)


def injection(state: BuildState) -> bytes:
    """What goes before </body> of every served page: the error overlay, then the script."""
    overlay = ""
    if state.errors:
        lines = html.escape("\n".join(state.errors))
        overlay = (
            f'<div id="sitegen-errors" role="alert" style="{OVERLAY_STYLE}">'
            f"<strong>{html.escape(OVERLAY_TITLE)}</strong>"
            f'<pre style="margin:8px 0 0;white-space:pre-wrap">{lines}</pre></div>\n'
        )
    script = f'<script data-generation="{state.generation}">{CLIENT_SCRIPT}</script>\n'
    return (overlay + script).encode("utf-8")


def inject(page: bytes, snippet: bytes) -> bytes:
    index = page.lower().rfind(b"</body>")
    return page + snippet if index < 0 else page[:index] + snippet + page[index:]


NO_SITE_PAGE = b"<!DOCTYPE html>\n<title>Not found</title>\n<body><h1>Not found</h1></body>\n"


# --- the HTTP server ------------------------------------------------------------------


class DevServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], served: Served, hub: Hub):
        self.served = served
        self.hub = hub
        self.ready = threading.Event()
        super().__init__(address, RequestHandler)

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):  # a tab closed: nothing wrong
            logger.exception("serving a request from %s failed", client_address[0])


class DevServer6(DevServer):
    address_family = socket.AF_INET6


class RequestHandler(BaseHTTPRequestHandler):
    server: DevServer
    server_version = "sitegen-serve"

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self.respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        logger.debug("%s " + format, self.address_string(), *args)

    def respond(self, send_body: bool) -> None:
        self.server.ready.wait()
        if urlsplit(self.path).path == EVENTS_PATH:
            self.stream_events(send_body)
            return
        served = self.server.served
        found = resolve_request(served, self.path)
        if found.status == HTTPStatus.OK and found.file:
            self.send_file(found.file, HTTPStatus.OK, send_body)
        elif found.location:
            self.send_response(found.status)
            self.send_header("Location", found.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif found.status == HTTPStatus.NOT_FOUND:
            self.send_not_found(served, send_body)
        else:
            self.send_error(found.status)

    def send_not_found(self, served: Served, send_body: bool) -> None:
        page = not_found_page(served)
        if page is None:
            self.send_html(NO_SITE_PAGE, HTTPStatus.NOT_FOUND, send_body)
        else:
            self.send_file(page, HTTPStatus.NOT_FOUND, send_body)

    def send_file(self, path: str, status: HTTPStatus, send_body: bool) -> None:
        kind = content_type(path)
        try:
            file = open(path, "rb")  # noqa: SIM115 - closed below; open, so a swap cannot move it
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        with file:
            if kind.startswith("text/html"):
                self.send_html(file.read(), status, send_body)
                return
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(os.fstat(file.fileno()).st_size))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if send_body:
                while chunk := file.read(256 * 1024):
                    self.wfile.write(chunk)

    def send_html(self, page: bytes, status: HTTPStatus, send_body: bool) -> None:
        body = inject(page, injection(self.server.hub.state))
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def stream_events(self, send_body: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        if send_body:
            self.wfile.write(b"retry: 500\n\n")
            with (
                contextlib.suppress(_Closed, ConnectionError, TimeoutError),
                self.server.hub.stream(),
            ):
                self.send_events(self.since())

    def send_events(self, seen: int) -> None:
        hub = self.server.hub
        while True:
            state = hub.wait(seen, KEEPALIVE)
            if state is None:
                self.wfile.write(b": keep-alive\n\n")
            else:
                self.wfile.write(event_for(state, seen).encode("utf-8"))
                seen = state.generation

    def since(self) -> int:
        """The generation the tab has: its last event's id, else what its page was served at."""
        query = parse_qs(urlsplit(self.path).query)
        for value in (self.headers.get("Last-Event-ID"), *query.get("since", [])):
            if value and value.strip().isdigit():
                return int(value)
        return 0


def content_type(path: str) -> str:
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    textual = kind.startswith("text/") or kind.endswith(("+xml", "/xml", "/json", "/javascript"))
    return f"{kind}; charset=utf-8" if textual else kind


def open_server(host: str, port: int, served: Served, hub: Hub) -> tuple[DevServer, str | None]:
    """A listening server on `port`, or the next free one (then a note saying so)."""
    server_class = DevServer6 if ":" in host else DevServer
    candidate = port
    while True:
        try:
            server = server_class((host, candidate), served, hub)
        except OSError as error:
            if error.errno == errno.EADDRINUSE and 0 < candidate < port + PORT_TRIES - 1:
                candidate += 1
                continue
            raise SitegenError(_bind_problem(host, port, candidate, error)) from None
        return server, (f"port {port} is taken: using {candidate}" if candidate != port else None)


def _bind_problem(host: str, port: int, candidate: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"ports {port} to {candidate} on {host} are all taken: pass --port with a free one"
    return f"cannot listen on {host} port {candidate}: {error.strerror or error}"


# --- watching the sources -------------------------------------------------------------


@dataclass(frozen=True)
class Sources:
    """What is watched: content/, layouts/, static/, the config file and the theme."""

    root: Path
    config_name: str
    output: Path

    def folders(self) -> list[Path]:
        return [self.root / name for name in SOURCE_FOLDERS] + [THEME_DIR]

    def name_of(self, path: str) -> str | None:
        """How a changed path is shown ("content/a.md", "theme/static/css/style.css"); None if
        it is not a source (output, caches, .git, editor swap files...)."""
        changed = Path(path)
        if changed == self.output or self.output in changed.parents:
            return None
        for top, label in ((THEME_DIR, "theme"), (self.root, "")):
            if top in changed.parents:
                parts = changed.relative_to(top).parts
                if any(is_ignored(part) for part in parts):
                    return None
                if label or parts[0] in SOURCE_FOLDERS or parts == (self.config_name,):
                    return "/".join((label, *parts) if label else parts)
        return None

    def path_of(self, name: str) -> Path:
        top, _, rest = name.partition("/")
        return THEME_DIR / rest if top == "theme" else self.root / name


def is_css_only(changes: Sequence[str]) -> bool:
    """Only the site's own stylesheets changed: their names stay, so a tab can swap them in.
    (The theme's are fingerprinted: a change renames them, so the pages change too.)"""
    return bool(changes) and all(c.startswith("static/") and c.endswith(".css") for c in changes)


class Debouncer:
    """Collects changed names; `wait` returns them once none came for `quiet` seconds.

    A file created and then deleted or renamed within one burst (an editor's temporary
    file, sed's) is dropped: the burst is about the file it was renamed to."""

    def __init__(self, quiet: float):
        self.quiet = quiet
        self._changes: dict[str, bool] = {}  # name -> created in this burst
        self._last = 0.0
        self._condition = threading.Condition()

    def add(self, name: str, created: bool = False) -> None:
        with self._condition:
            self._changes.setdefault(name, created)
            self._touch()

    def remove(self, name: str) -> None:
        with self._condition:
            if self._changes.get(name):
                del self._changes[name]
            else:
                self._changes[name] = False
            self._touch()

    def _touch(self) -> None:
        self._last = time.monotonic()
        self._condition.notify_all()

    def wait(self) -> list[str]:
        with self._condition:
            while True:
                if self._changes:
                    remaining = self._last + self.quiet - time.monotonic()
                    if remaining <= 0:
                        changes, self._changes = list(self._changes), {}
                        return changes
                else:
                    remaining = 0.5  # wake now and then, so Ctrl-C is never held up
                self._condition.wait(remaining)


class _ChangeHandler(FileSystemEventHandler):
    def __init__(self, sources: Callable[[], Sources], debouncer: Debouncer):
        self.sources = sources
        self.debouncer = debouncer

    def on_any_event(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        if kind in _SKIPPED_EVENTS or (event.is_directory and kind == "modified"):
            return
        source = self.sources().name_of(os.fsdecode(event.src_path))
        if kind == "moved":
            destination = self.sources().name_of(os.fsdecode(event.dest_path))
            if destination:
                self.debouncer.add(destination)
        if source and kind in ("moved", "deleted"):
            self.debouncer.remove(source)
        elif source:
            self.debouncer.add(source, created=kind == "created")


class Watcher:
    """watchdog on the site root (not recursive: the config file) and each source folder."""

    def __init__(self, sources: Callable[[], Sources], debouncer: Debouncer):
        self.sources = sources
        self.handler = _ChangeHandler(sources, debouncer)
        self.observer = Observer()
        self.watches: dict[Path, object] = {}

    def start(self) -> None:
        self.observer.schedule(self.handler, str(self.sources().root), recursive=False)
        self.refresh()
        self.observer.start()

    def refresh(self) -> None:
        """Watch source folders created since, forget deleted ones."""
        for folder in self.sources().folders():
            if folder.is_dir() and folder not in self.watches:
                self.watches[folder] = self.observer.schedule(
                    self.handler, str(folder), recursive=True
                )
            elif not folder.is_dir() and folder in self.watches:
                self.observer.unschedule(self.watches.pop(folder))

    def stop(self) -> None:
        if self.observer.is_alive():
            self.observer.stop()
            self.observer.join(timeout=5)


# --- building and reporting -----------------------------------------------------------


class Session:
    """One `sitegen serve` run: builds, publishes the outcomes, prints one line per rebuild."""

    def __init__(self, options: ServeOptions, sources: Sources, server: DevServer):
        self.options = options
        self.sources = sources
        self.server = server
        self.hub = server.hub
        self.cache_memory = CacheMemory()

    def rebuild(self, changes: Sequence[str]) -> None:
        what = _changed(changes, self.sources)
        outcome = self.build()
        if isinstance(outcome, BuildResult):
            _report(
                f"{what}: rebuilt in {outcome.seconds:.2f} s, {outcome.rendered} of "
                f"{outcome.pages} pages rendered, {outcome.files_written} files written"
            )
            self.print_warnings(outcome, set(changes))
            if self.sources.config_name in changes:
                self.follow_config(outcome)
            self.hub.publish((), css_only=is_css_only(changes))
        else:
            count = f"{len(outcome)} error{'s' if len(outcome) != 1 else ''}"
            _report(f"{what}: rebuild failed ({count}); still serving the last good site")
            self.hub.publish(outcome)

    def build(self) -> BuildResult | list[str]:
        """The result, or every error of the build, one line each (also printed)."""
        try:
            return build(self.options.build, self.cache_memory)
        except BuildFailed as failure:
            errors = [str(error) for error in failure.errors]
        except SitegenError as error:
            errors = [str(error)]
        except Exception as error:  # noqa: BLE001 - a crash must not stop the server; it is shown
            logger.debug("the build crashed", exc_info=True)
            errors = [f"sitegen failed unexpectedly: {type(error).__name__}: {error}"]
        for line in errors:
            print(f"error: {line}", file=sys.stderr, flush=True)
        return errors

    def follow_config(self, result: BuildResult) -> None:
        """config.yaml may have moved the output folder or the base path."""
        config = load_config(self.options.build.config_path, self.options.build.base_url)
        self.sources = replace(self.sources, output=result.output)
        self.server.served = Served(result.output, config.base_path)

    def print_warnings(self, result: BuildResult, changes: set[str]) -> None:
        """Warnings of the changed files only: the others were printed by the first build."""
        for warning in result.warnings:
            if getattr(warning, "path", None) in changes:
                print(f"warning: {warning}", file=sys.stderr, flush=True)


def _changed(changes: Sequence[str], sources: Sources) -> str:
    names = [c if sources.path_of(c).exists() else f"{c} (deleted)" for c in changes[:3]]
    more = f" and {len(changes) - 3} more" if len(changes) > 3 else ""
    return f"{time.strftime('%H:%M:%S')} {', '.join(names)}{more} changed"


def _report(line: str, stream=None) -> None:
    print(line, file=stream or sys.stdout, flush=True)


def first_build(session: Session) -> None:
    outcome = session.build()
    if isinstance(outcome, BuildResult):
        for warning in outcome.warnings:
            print(f"warning: {warning}", file=sys.stderr, flush=True)
        _report(
            f"Built {outcome.pages} pages ({outcome.rendered} rendered) in {outcome.seconds:.2f} s"
        )
        session.hub.publish(())
    else:
        _report("The build failed: the browser shows why; fix the files and save")
        session.hub.publish(outcome)


# --- the command ----------------------------------------------------------------------


def serve(options: ServeOptions) -> int:
    """Serve until Ctrl-C; 0 then. Raises SitegenError/BuildFailed when it cannot start."""
    config = load_config(options.build.config_path, options.build.base_url)
    output = output_folder(config, options.build.output)
    server, note = open_server(options.host, options.port, Served(output, config.base_path), Hub())
    session = Session(options, Sources(config.root, options.build.config_path.name, output), server)
    debouncer = Debouncer(options.quiet_period)
    watcher = Watcher(lambda: session.sources, debouncer)
    if note:
        _report(note)
    host, port = server.server_address[:2]
    _report(f"Serving {config.root} at {address(host, port, config.base_path)}")
    try:
        with _interrupts_main_process_only(), _running(server, watcher):
            first_build(session)
            server.ready.set()
            _report("Watching content/, layouts/, static/, the config and the theme; Ctrl-C stops")
            while True:
                changes = debouncer.wait()
                watcher.refresh()
                session.rebuild(changes)
    except KeyboardInterrupt:
        pass
    _report("Stopped.")
    return 0


def address(host: str, port: int, base_path: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{base_path}"


@contextlib.contextmanager
def _running(server: DevServer, watcher: Watcher) -> Iterator[None]:
    """Serve and watch; on the way out stop the watcher threads, the event streams, the server.

    Requests that come before the first build is done wait for it (`server.ready`)."""
    threading.Thread(
        target=server.serve_forever, args=(0.2,), name="sitegen-http", daemon=True
    ).start()
    try:
        watcher.start()
        yield
    finally:
        watcher.stop()
        server.ready.set()
        server.hub.close()
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def _interrupts_main_process_only() -> Iterator[None]:
    """Ctrl-C (and SIGTERM) stop this process cleanly. Forked render workers ignore Ctrl-C, so
    they print no traceback; their pool is terminated with SIGTERM, which they obey."""
    main_pid = os.getpid()

    def interrupt(signum: int, frame: object) -> None:
        if os.getpid() == main_pid:
            raise KeyboardInterrupt
        if signum == signal.SIGTERM:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)

    previous = {
        number: signal.signal(number, interrupt) for number in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
