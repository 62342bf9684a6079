"""`sitegen new`: a new article file with complete front matter, never overwriting one."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import yaml

from .config import SiteConfig, load_config
from .errors import ConfigError, SitegenError
from .pipeline import current_time
from .text import nfc, slugify


def create_article(config_path: Path, title: str, section: str, author: str | None,
                   subsite: str | None = None) -> Path:  # fmt: skip
    """content/<section>/<slug>.md, or content/<subsite>/<section>/<slug>.md in a portal."""
    portal = load_config(config_path)
    config = _subsite_config(portal, subsite, config_path.name)
    title = nfc(" ".join(title.split()))
    if not title:
        raise SitegenError('the title is empty: sitegen new "Tiêu đề bài viết" --section KEY')
    keys = [s.key for s in config.sections]
    if keys and section not in keys:
        raise ConfigError(
            config_path.name, f"unknown section '{section}': use one of {', '.join(keys)}"
        )
    author = author or _git_user_name(config.root)
    if not author:
        raise SitegenError('no author: pass --author "Tên tác giả"')
    folder = config.content_dir / config.key / (section if keys else slugify(section))
    path = folder / f"{slugify(title)}.md"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as file:
            file.write(
                front_matter(title, section, nfc(author), current_time().astimezone(config.tz))
            )
    except FileExistsError:
        raise SitegenError(
            f"{path} already exists: nothing was changed; choose another title"
        ) from None
    return path


def _subsite_config(portal: SiteConfig, key: str | None, shown: str) -> SiteConfig:
    keys = [s.key for s in portal.subsites]
    if key is None and keys:
        raise ConfigError(
            shown, f"this site is a portal: pass --subsite KEY, one of {', '.join(keys)}"
        )
    if key is not None and key not in keys:
        known = f"use one of {', '.join(keys)}" if keys else "config.yaml lists no 'subsites:'"
        raise ConfigError(shown, f"unknown sub-site '{key}': {known}")
    return portal.subsite(key) if key else portal


def front_matter(title: str, section: str, author: str, now: dt.datetime) -> str:
    fields = {
        "title": title,
        "date": now.strftime("%Y-%m-%d %H:%M"),
        "author": author,
        "section": section,
        "summary": "",
        "tags": [],
        "image": "",
        "image_caption": "",
        "organisation": "",
        "draft": True,
    }
    text = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, default_flow_style=None)
    return f"---\n{text}---\n\nViết nội dung bài ở đây. Xóa dòng `draft: true` để đăng bài.\n"


def _git_user_name(root: Path) -> str:
    try:
        result = subprocess.run(["git", "config", "user.name"], cwd=root, capture_output=True,
                                text=True, timeout=5, check=False)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip()
