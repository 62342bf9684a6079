"""The dev server's parts without a server: request paths, events, injection, change names."""

from __future__ import annotations

import gc
import threading
import time
from http import HTTPStatus
from pathlib import Path
from types import SimpleNamespace

import pytest

from sitegen.config import THEME_DIR
from sitegen.devserver import BuildState, Hub, Served, event_for, inject, injection, resolve_request
from sitegen.pipeline import BuildOptions, BuildResult
from sitegen.serve import ServeOptions, Session
from sitegen.watch import Debouncer, Sources, Watcher, is_css_only
from tests.conftest import article


@pytest.fixture
def served(tmp_path: Path) -> Served:
    output = tmp_path / "public"
    (output / "tin" / "bai").mkdir(parents=True)
    (output / "tin" / "bai" / "index.html").write_text("<body>bài</body>")
    (output / "index.html").write_text("<body>home</body>")
    return Served(output.resolve(), "/")


def test_resolves_folders_to_their_index_and_refuses_what_leaves(served: Served):
    assert resolve_request(served, "/").file == str(served.output / "index.html")
    assert resolve_request(served, "/tin/bai/?x=1").file == str(
        served.output / "tin/bai/index.html"
    )
    assert resolve_request(served, "/tin/bai").location == "/tin/bai/"
    assert resolve_request(served, "/tin/").status == HTTPStatus.NOT_FOUND  # no listing
    assert resolve_request(served, "/%2e%2e/x").status == HTTPStatus.FORBIDDEN
    assert resolve_request(served, "/tin/./bai/").status == HTTPStatus.FORBIDDEN
    assert resolve_request(served, "/a\\b").status == HTTPStatus.BAD_REQUEST
    assert resolve_request(served, "/%ff").status == HTTPStatus.BAD_REQUEST


def test_a_base_path_is_served_from_the_output_root(served: Served):
    under = Served(served.output, "/tinh-uy/")
    assert resolve_request(under, "/").location == "/tinh-uy/"
    assert resolve_request(under, "/tinh-uy").location == "/tinh-uy/"
    assert resolve_request(under, "/tinh-uy/tin/bai/").file == str(
        served.output / "tin/bai/index.html"
    )
    assert resolve_request(under, "/tin/bai/").status == HTTPStatus.NOT_FOUND


def test_injects_before_the_last_closing_body_tag():
    assert inject(b"<p></body></p></BODY></html>", b"X") == b"<p></body></p>X</BODY></html>"
    assert inject(b"<p>no body", b"X") == b"<p>no bodyX"


def test_overlay_escapes_error_text():
    state = BuildState(5, ("content/a.md:2: bad '<script>alert(1)</script>' & more",), 4)
    snippet = injection(state).decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in snippet and "&amp; more" in snippet
    assert "<script>alert" not in snippet
    assert 'data-generation="5"' in snippet
    assert "sitegen-errors" not in injection(BuildState(6, (), 6)).decode().split("<script")[0]


def test_events_bring_a_tab_up_to_date():
    hub = Hub()
    first = hub.state.generation
    ok = hub.publish(())
    assert "event: reload" in event_for(ok, first)
    css = hub.publish((), css_only=True)
    assert "event: css" in event_for(css, ok.generation)
    assert "event: reload" in event_for(css, first)  # missed a reload before the CSS change
    failed = hub.publish(["content/a.md:1: bad"])
    assert "event: errors" in event_for(failed, css.generation)
    assert 'data: ["content/a.md:1: bad"]' in event_for(failed, css.generation)
    after_failure = hub.publish((), css_only=True)  # the overlay must go: a reload
    assert "event: reload" in event_for(after_failure, failed.generation)
    assert f"id: {after_failure.generation}\n" in event_for(after_failure, failed.generation)


def test_closing_the_hub_ends_waiting_streams():
    hub = Hub()
    ended = threading.Event()

    def stream() -> None:
        with hub.stream():
            try:
                hub.wait(hub.state.generation, timeout=30)
            except Exception:  # noqa: BLE001 - the hub says it is closed
                ended.set()

    thread = threading.Thread(target=stream)
    thread.start()
    time.sleep(0.05)
    hub.close()
    thread.join(5)
    assert ended.is_set()


def test_a_burst_is_one_batch_and_temporary_files_drop_out():
    debouncer = Debouncer(0.05)
    debouncer.add("content/a.md")
    debouncer.add("content/.tmp123", created=True)
    debouncer.remove("content/.tmp123")  # renamed over a.md
    debouncer.add("content/a.md")
    debouncer.remove("content/b.md")  # deleted
    started = time.monotonic()
    assert debouncer.wait() == ["content/a.md", "content/b.md"]
    assert time.monotonic() - started >= 0.04


def test_a_burst_whose_writes_all_ended_is_taken_after_the_short_quiet():
    debouncer = Debouncer(2.0, 0.02)
    debouncer.add("content/a.md")  # modified: the write may go on
    debouncer.add("content/a.md", settled=True)  # closed after writing
    debouncer.add("content/c.md", settled=True)  # renamed into place
    debouncer.remove("content/b.md")  # deleted
    started = time.monotonic()
    assert debouncer.wait() == ["content/a.md", "content/c.md", "content/b.md"]
    assert time.monotonic() - started < 1.0


def test_a_file_still_being_written_keeps_the_whole_quiet():
    debouncer = Debouncer(0.3, 0.02)
    debouncer.add("content/a.md", settled=True)
    debouncer.add("content/b.md", settled=True)
    debouncer.add("content/b.md")  # modified again after its close
    started = time.monotonic()
    assert debouncer.wait() == ["content/a.md", "content/b.md"]
    assert time.monotonic() - started >= 0.25


def test_the_watcher_takes_a_closed_file_as_a_settled_write(tmp_path: Path):
    """Saving a file (open, write, close) is settled once closed: the rebuild need not wait
    the whole quiet period."""
    root = tmp_path.resolve()
    (root / "content").mkdir()
    sources = Sources(root, "config.yaml", root / "public")
    debouncer = Debouncer(5.0, 0.02)
    watcher = Watcher(lambda: sources, debouncer)
    watcher.start()
    try:
        started = time.monotonic()
        (root / "content/a.md").write_text("---\ntitle: A\n---\nBài.\n", encoding="utf-8")
        assert debouncer.wait() == ["content/a.md"]
        assert time.monotonic() - started < 2.5
    finally:
        watcher.stop()


def test_names_only_sources(tmp_path: Path):
    root = tmp_path.resolve()
    sources = Sources(root, "config.yaml", root / "public")
    assert sources.name_of(str(root / "content/tin/a.md")) == "content/tin/a.md"
    assert sources.name_of(str(root / "config.yaml")) == "config.yaml"
    assert sources.name_of(str(THEME_DIR / "templates/base.html")) == "theme/templates/base.html"
    for ignored in (
        "public/index.html",
        ".git/index",
        ".sitegen-cache/x",
        ".public.sitegen/spare/a",
        "content/.a.md.swp",
        "content/a.md~",
        "content/tin/4913",
        "layouts/#x.html#",
        "notes.txt",
        "content/.git/x",
    ):
        assert sources.name_of(str(root / ignored)) is None, ignored


def test_css_only_means_the_sites_own_stylesheets():
    assert is_css_only(["static/css/site.css", "static/print.css"])
    assert not is_css_only(["theme/static/css/style.css"])  # fingerprinted: pages change
    assert not is_css_only(["static/css/site.css", "content/a.md"])
    assert not is_css_only([])


def test_idle_is_called_once_when_no_change_comes():
    debouncer = Debouncer(0.05)
    calls: list[float] = []

    def idle() -> None:
        calls.append(time.monotonic())
        debouncer.add("content/a.md")  # a save while the server tidies up is still rebuilt

    started = time.monotonic()
    assert debouncer.wait(idle=idle, idle_after=0.1) == ["content/a.md"]
    assert len(calls) == 1
    assert calls[0] - started >= 0.09


def test_idle_waits_while_changes_are_pending():
    debouncer = Debouncer(0.2)
    debouncer.add("content/a.md")
    calls: list[int] = []
    assert debouncer.wait(idle=lambda: calls.append(1), idle_after=0.0) == ["content/a.md"]
    assert calls == []


def test_what_a_served_build_keeps_is_frozen_out_of_the_collectors_sight_until_idle(make_site):
    site = make_site({"content/tin-hoat-dong/a.md": article(title="Một bài")})
    options = ServeOptions(BuildOptions(config_path=site.root / "config.yaml"))
    session = Session(options, Sources(site.root, "config.yaml", site.output),
                      SimpleNamespace(hub=Hub()))  # fmt: skip
    gc.unfreeze()
    try:
        assert isinstance(session.build(), BuildResult)
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
        session.tidy()
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
