"""A 20 MB article builds in reasonable time and memory; hostile Markdown is stopped in time.

Measured on the 2-core test machine (see docs/PERFORMANCE.md, "Scale"): the 20 MB article
builds in about 7-10 s with a peak of about 0.4 GB.
"""

from __future__ import annotations

import os
import random
import resource
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

from sitegen.parse import Document
from sitegen.render import RenderSettings, render_document
from tests.conftest import article
from tests.invalid.conftest import FIXED_NOW_EPOCH, A, Expected

WORDS = [
    "hội",
    "nghị",
    "tổng",
    "kết",
    "công",
    "tác",
    "tổ",
    "chức",
    "xây",
    "dựng",
    "đảng",
    "năm",
    "cán",
    "bộ",
    "đảng",
    "viên",
    "chi",
    "bộ",
    "tỉnh",
    "ủy",
    "ban",
    "thường",
    "vụ",
    "nhân",
    "dân",
    "phát",
    "triển",
    "kinh",
    "tế",
    "xã",
    "hội",
]


def big_body(size: int) -> tuple[str, int]:
    """Paragraphs with emphasis and links, headings, lists and tables: `size` bytes of UTF-8."""
    rng = random.Random(6)
    parts: list[str] = []
    total = headings = 0
    while total < size:
        number = len(parts) + 1
        if number % 50 == 0:
            headings += 1
            part = f"## Mục {headings}"
        elif number % 37 == 0:
            part = (
                "| Đơn vị | Số lượng |\n|---|---|\n| "
                + " ".join(rng.choices(WORDS, k=4))
                + " | 12 |"
            )
        elif number % 23 == 0:
            part = "\n".join("- " + " ".join(rng.choices(WORDS, k=8)) for _ in range(5))
        else:
            part = (
                " ".join(rng.choices(WORDS, k=120))
                + " **đậm** *nghiêng* [liên kết](https://example.org/)."
            )
        parts.append(part)
        total += len(part.encode("utf-8")) + 2
    return "\n\n".join(parts), headings


def test_twenty_megabyte_article_builds(make_site):
    body, headings = big_body(20 * 2**20)
    site = make_site({A: article(title="Bài rất dài", body=body)})
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "--config", str(site.root / "config.yaml")],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "SOURCE_DATE_EPOCH": FIXED_NOW_EPOCH},
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # the largest child so far
    assert result.returncode == 0, result.stderr
    page = site.output / "tin-hoat-dong/bai-rat-dai/index.html"
    assert page.stat().st_size > 20 * 2**20
    html = page.read_text(encoding="utf-8")
    assert f'<h2 id="muc-{headings}">Mục {headings}</h2>' in html
    print(f"20 MB article: {seconds:.1f} s, peak RSS of one process {peak / 2**20:.0f} MiB")
    assert seconds < 120
    assert peak < 3 * 2**30


class TookTooLong(Exception):
    pass


def test_a_line_of_opening_brackets_renders_quickly():
    """Python-Markdown looks for the "]" of every "[" to the end of the text (upstream issue
    #798): 8,000 of them took 45 s. Text without a "]" cannot hold a link and is not searched."""
    document = Document(
        "tin-hoat-dong/a.md", "T", datetime(2026, 1, 15, tzinfo=UTC), ("A",), "[" * 6000, 8
    )

    def alarm(signum, frame):
        raise TookTooLong("6,000 '[' took more than 3 s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, 3)
    try:
        rendered = render_document(document, RenderSettings())
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert (rendered.lead_html + rendered.content_html).count("[") == 6000


def test_markdown_that_would_take_hours_is_stopped_with_an_error_naming_its_file(breaker):
    """With a "]" at the end, every "[" is still searched to the end: 20,000 would take about
    a minute. Rendering has a time budget (5 s for a short text); the file is named."""
    started = time.perf_counter()
    breaker.fails(
        {A: article(body="Mở đầu.\n\n" + "[" * 20_000 + "]\n")},
        [
            Expected(
                A,
                10,  # the line of the brackets
                "Markdown took more than 5 s to render and was stopped: look for a very long run "
                "of '[', '*' or '_' and break it up (or escape it with '\\')",
            )
        ],
    )
    assert time.perf_counter() - started < 40  # two builds (breaker.fails runs it twice)
