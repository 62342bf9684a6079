"""The dev server's HTTP side: files of the output folder, the event stream of build outcomes,
and the reload script and error overlay put into served pages. Used by `sitegen serve`.

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
import socket
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import SitegenError

logger = logging.getLogger(__name__)

EVENTS_PATH = "/__sitegen/events"
# A file, not an inline script: the theme's Content-Security-Policy allows only script files.
CLIENT_PATH = "/__sitegen/reload.js"
KEEPALIVE = 15.0  # seconds between comments on an idle event stream
PORT_TRIES = 10  # a taken port: try the next ones, up to this many


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
    script = f'<script src="{CLIENT_PATH}" data-generation="{state.generation}"></script>\n'
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
        if urlsplit(self.path).path == CLIENT_PATH:
            self.send_client(send_body)
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
        self.send_bytes(body, "text/html; charset=utf-8", status, send_body)

    def send_client(self, send_body: bool) -> None:
        body = CLIENT_SCRIPT.encode("utf-8")
        self.send_bytes(body, "text/javascript; charset=utf-8", HTTPStatus.OK, send_body)

    def send_bytes(self, body: bytes, kind: str, status: HTTPStatus, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
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
