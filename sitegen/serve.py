"""`sitegen serve`: build, serve the output folder, watch the sources, rebuild, reload the browser.

Threads: the main thread builds (the first build, then one rebuild per burst of changes);
watchdog's threads hand changed paths to a `Debouncer` (watch.py); the HTTP server's threads
serve files and keep one server-sent-events stream per open tab, fed by a `Hub` (devserver.py).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from .cache import CacheMemory
from .config import load_config
from .devserver import DevServer, Hub, Served, open_server
from .errors import BuildFailed, SitegenError
from .pipeline import BuildOptions, BuildResult, build, output_folder
from .watch import Debouncer, Sources, Watcher, is_css_only

logger = logging.getLogger(__name__)

QUIET_PERIOD = 0.1  # seconds without a change before a burst of saves is rebuilt
# ... or when every changed file was closed after writing, renamed into place or deleted:
# an editor's save is then over, and a burst of many files (a git checkout) has its files
# come closer together than this.
SETTLED_QUIET = 0.02


@dataclass(frozen=True)
class ServeOptions:
    build: BuildOptions
    host: str = "127.0.0.1"
    port: int = 8000
    quiet_period: float = QUIET_PERIOD
    settled_quiet: float = SETTLED_QUIET


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
        outcome = self.build(changes)
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

    def build(self, changes: Sequence[str] | None = None) -> BuildResult | list[str]:
        """The result, or every error of the build, one line each (also printed). `changes`:
        what the watcher saw change since the last build (None at first).

        What the build leaves (the kept model and cache index: millions of objects at
        100,000 articles) is frozen out of the garbage collector's sight: else a full
        collection, which walks all of it (2 s at 100,000), could come between the rebuild
        and the reload. `tidy` lets the collector see it again once the server is idle."""
        gc.disable()  # and so build() leaves it disabled
        try:
            return self._build(changes)
        finally:
            gc.freeze()
            gc.enable()

    def tidy(self) -> None:
        """Collect what past builds left in cycles (called when no change came for a while)."""
        gc.unfreeze()
        gc.collect()

    def _build(self, changes: Sequence[str] | None) -> BuildResult | list[str]:
        try:
            return build(self.options.build, self.cache_memory, changes)
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
    debouncer = Debouncer(options.quiet_period, options.settled_quiet)
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
                changes = debouncer.wait(idle=session.tidy)
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
