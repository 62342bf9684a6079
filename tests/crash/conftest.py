"""Helpers for killed, concurrent and damaged builds: real `python -m sitegen build` processes.

Every test compares whole output folders, file by file (names and bytes, the marker file
included), with what a clean build of the same input gives.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import BASE_CONFIG, article

FIXED_NOW_EPOCH = "1893456000"  # 2030-01-01: every article is in the past
SECTIONS = ("tin-hoat-dong", "xay-dung-dang")
TAGS = ("chuyển đổi số", "công tác cán bộ", "Đại hội Đảng", "an sinh xã hội", "kinh tế")
PARAGRAPH = (
    "Hội nghị đã đánh giá kết quả thực hiện nhiệm vụ chính trị, công tác xây dựng Đảng và hệ "
    "thống chính trị; chỉ ra những hạn chế, nguyên nhân và bài học kinh nghiệm. "
)


def articles(count: int, version: str = "") -> dict[str, str]:
    """`count` articles; a different `version` changes every title and body (so every page)."""
    files = {}
    for number in range(count):
        section = SECTIONS[number % 2]
        body = "\n\n".join(
            [f"Đoạn mở đầu của bài {number}{version}."]
            + [f"## Mục {part}\n\n{PARAGRAPH * 4}" for part in range(1, 4)]
        )
        files[f"content/{section}/bai-{number:04d}.md"] = article(
            title=f"Bài viết số {number} về công tác cán bộ{version}",
            date=f"2026-{1 + number % 12:02d}-{1 + number % 28:02d} {number % 24:02d}:00",
            author=("Lê Văn Minh", "Nguyễn Thị Hoa", "Trần Quốc Đạt")[number % 3],
            section=section,
            tags=f"[{TAGS[number % 5]}, {TAGS[(number + 2) % 5]}]",
            body=body,
        )
    return files


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, hidden ones too."""
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def environment() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": FIXED_NOW_EPOCH, "PYTHONHASHSEED": "0"}


@dataclass
class Project:
    root: Path

    @property
    def output(self) -> Path:
        return self.root / "public"

    @property
    def cache(self) -> Path:
        return self.root / ".sitegen-cache"

    @property
    def home(self) -> Path:
        """sitegen's folder beside the output: spare tree, lock, manifests."""
        return self.root / ".public.sitegen"

    def write(self, files: dict[str, str | bytes]) -> None:
        for relative, text in files.items():
            path = self.root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")

    def command(self, *args: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "sitegen",
            "build",
            "--config",
            str(self.root / "config.yaml"),
            *args,
        ]

    def start(self, *args: str) -> subprocess.Popen:
        """A build in its own process group (its render workers too), so it can be killed whole."""
        return subprocess.Popen(
            self.command(*args),
            cwd=self.root,
            env=environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )

    def start_command(self, command: str, *args: str) -> subprocess.Popen:
        """`sitegen <command>` (check, say) in its own process group."""
        argv = [
            sys.executable,
            "-m",
            "sitegen",
            command,
            "--config",
            str(self.root / "config.yaml"),
            *args,
        ]
        return subprocess.Popen(
            argv,
            cwd=self.root,
            env=environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )

    def build(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.command(*args),
            cwd=self.root,
            env=environment(),
            capture_output=True,
            text=True,
            timeout=300,
        )

    def files(self) -> dict[str, bytes]:
        return snapshot(self.output)


def make_project(root: Path, files: dict[str, str | bytes]) -> Project:
    project = Project(root)
    root.mkdir(parents=True, exist_ok=True)
    project.write({"config.yaml": BASE_CONFIG, **files})
    return project


def clean_output(project: Project, scratch: Path) -> dict[str, bytes]:
    """What a fresh copy of the project's input builds to, without cache or previous output."""
    copy = Project(scratch)
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(project.root, scratch, ignore=shutil.ignore_patterns("public", ".*"))
    result = copy.build("--no-cache")
    assert result.returncode == 0, result.stderr
    return copy.files()


def kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):  # it may have finished
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def timed_build(project: Project) -> float:
    started = time.perf_counter()
    result = project.build()
    assert result.returncode == 0, result.stderr
    return time.perf_counter() - started


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    return tmp_path / "clean-copy"
