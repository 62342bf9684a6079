"""Shared fixtures: write a small site from a dict of files, build it with the CLI, parse HTML."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitegen import yamltext
from sitegen.cli import main

BASE_CONFIG = """\
title: Ban Tổ chức Tỉnh ủy
base_url: https://example.org/
language: vi
timezone: Asia/Ho_Chi_Minh
sections:
  - {key: tin-hoat-dong, title: Tin hoạt động, description: Hoạt động của Ban}
  - {key: xay-dung-dang, title: Xây dựng Đảng}
"""


def article(title: str = "Bài viết", date: str = "2026-01-15 08:30", author: str = "Lê Văn Minh",
            section: str | None = "tin-hoat-dong", body: str = "Đoạn mở đầu.\n\nĐoạn thứ hai.",
            **fields: object) -> str:  # fmt: skip
    """Markdown source of one article; extra fields are written as YAML lines as given."""
    lines = ["---", f"title: {title}", f"date: {date}", f"author: {author}"]
    if section is not None:
        lines.append(f"section: {section}")
    lines += [f"{key}: {value}" for key, value in fields.items()]
    lines += ["---", "", body]
    return "\n".join(lines) + "\n"


@dataclass
class Site:
    root: Path

    @property
    def output(self) -> Path:
        return self.root / "public"

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def build(self, *args: str) -> int:
        return main(["build", "--config", str(self.root / "config.yaml"), *args])

    def html(self, url_path: str) -> BeautifulSoup:
        """Parsed page at a site path such as "/tin-hoat-dong/bai-viet/"."""
        relative = url_path.lstrip("/")
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        return BeautifulSoup((self.output / relative).read_text(encoding="utf-8"), "html.parser")

    def files(self) -> dict[str, bytes]:
        """Every output file by relative path, to compare whole builds."""
        return {
            p.relative_to(self.output).as_posix(): p.read_bytes()
            for p in sorted(self.output.rglob("*"))
            if p.is_file()
        }


@pytest.fixture(params=sorted(yamltext.LOADERS))
def yaml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each of PyYAML's parsers in turn (libyaml's and the pure-Python one, where both are
    installed): what a writer is told about YAML must not depend on which one reads it."""
    monkeypatch.setattr(yamltext, "_StrictLoader", yamltext.LOADERS[request.param])
    return request.param


@pytest.fixture
def make_site(tmp_path: Path):
    """make_site({"content/a.md": "...", ...}, config=...) -> Site, with config.yaml written."""

    def make(files: dict[str, str | bytes] | None = None, config: str = BASE_CONFIG) -> Site:
        site = Site(tmp_path / "site")
        site.root.mkdir(parents=True, exist_ok=True)
        site.write("config.yaml", textwrap.dedent(config))
        for relative, text in (files or {}).items():
            site.write(relative, text)
        return site

    return make
