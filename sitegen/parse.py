"""SourceFile -> Document: front matter split off, loaded and checked field by field."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from .discover import SourceFile, shown_path
from .errors import ErrorLog, FrontMatterError
from .sanitize import is_unsafe_url
from .text import nfc, slugify
from .yamltext import YamlProblem, load_mapping

KNOWN_FIELDS = (
    "title", "date", "author", "section", "summary", "tags", "slug", "draft",
    "image", "image_caption", "updated", "organisation",
)  # fmt: skip
_FENCE = re.compile(r"^---[ \t]*$")
_END_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


@dataclass(frozen=True)
class Document:
    source_path: str
    title: str
    date: dt.datetime
    authors: tuple[str, ...]
    body: str
    body_line: int  # line of the file where the body starts, from 1
    section: str | None = None
    summary: str | None = None
    tags: tuple[str, ...] = ()
    slug: str = ""  # the URL segment: the `slug:` field or the title, made a slug
    slug_given: bool = False  # slug came from the `slug:` field (errors then point at it)
    draft: bool = False
    image: str | None = None
    image_caption: str = ""
    updated: dt.datetime | None = None
    organisation: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)  # file line of each field

    def line_of(self, key: str) -> int:
        return self.field_lines.get(key, 1)


@dataclass(frozen=True)
class FrontMatter:
    yaml_text: str
    yaml_line: int  # file line of the first YAML line
    body: str
    body_line: int


def split_front_matter(text: str) -> FrontMatter | None:
    """Split `---` fenced YAML from the body; None when the file does not open with `---`.

    Raises ValueError when the front matter is opened but never closed.
    """
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return None
    for index in range(1, len(lines)):
        if _END_FENCE.match(lines[index]):
            return FrontMatter(
                yaml_text="\n".join(lines[1:index]),
                yaml_line=2,
                body="\n".join(lines[index + 1 :]),
                body_line=index + 2,
            )
    raise ValueError("front matter opened with '---' is never closed: add a line '---' after it")


def parse_document(source: SourceFile, tz: ZoneInfo, log: ErrorLog) -> Document | None:
    """A checked Document, or None with every problem of the file recorded in `log`."""
    path = shown_path(source.source_path)
    try:
        front = split_front_matter(source.text)
    except ValueError as error:
        log.error(FrontMatterError(path, str(error), 1))
        return None
    if front is None:
        log.error(
            FrontMatterError(
                path,
                "has no front matter: start the file with a '---' line, "
                "then 'title:', 'date:', 'author:', 'section:', then '---'",
                1,
            )
        )
        return None
    try:
        mapping = load_mapping(front.yaml_text, front.yaml_line)
    except YamlProblem as problem:
        log.error(FrontMatterError(path, problem.message, problem.line, problem.column))
        return None
    if mapping is None:
        log.error(
            FrontMatterError(
                path,
                "front matter is empty: it needs 'title:', 'date:', 'author:' and 'section:'",
                1,
            )
        )
        return None
    fields = _FieldReader(path, mapping.values, mapping.key_lines, tz, log)
    return fields.document(source.source_path, front)


class _FieldReader:
    """Reads one field at a time, recording a FrontMatterError at the field's line when bad."""

    def __init__(self, path: str, raw: dict[str, Any], lines: dict[str, int], tz: ZoneInfo,
                 log: ErrorLog):  # fmt: skip
        self.path, self.raw, self.lines, self.tz, self.log = path, raw, lines, tz, log
        self.failed = False

    def fail(self, key: str, message: str) -> None:
        self.failed = True
        self.log.error(FrontMatterError(self.path, message, self.lines.get(key, 1)))

    def document(self, source_path: str, front: FrontMatter) -> Document | None:
        title = self.text("title", required=True)
        date = self.date("date", required=True)
        authors = self.names("author", required=True)
        values = {
            "section": self.text("section") or None,
            "summary": self.text("summary") or None,
            "tags": self.names("tags", single_allowed=False),
            "slug": self.slug(),
            "slug_given": "slug" in self.raw and self.raw["slug"] not in (None, ""),
            "draft": self.flag("draft"),
            "image": self.address("image"),
            "image_caption": self.text("image_caption"),
            "updated": self.date("updated"),
            "organisation": self.text("organisation") or None,
            "params": self.unknown_fields(),
            "field_lines": self.lines,
        }
        if self.failed or title is None or date is None:
            return None
        values["slug"] = slugify(values["slug"] or title)
        return Document(source_path, title, date, authors, front.body, front.body_line, **values)

    def text(self, key: str, required: bool = False) -> str | None:
        value = self.raw.get(key)
        if value is None or value == "":
            if required:
                self.fail(key, f"'{key}' is missing: add '{key}: ...' to the front matter")
            return None if required else ""
        if isinstance(value, (dict, list, bool)):
            self.fail(key, f"'{key}' must be text, not {_kind(value)}")
            return None
        return nfc(" ".join(str(value).split())) if key != "summary" else nfc(str(value).strip())

    def address(self, key: str) -> str | None:
        """A path or a web address: a field that goes into src="" and og:image."""
        value = self.text(key) or None
        if value is not None and is_unsafe_url(value):
            self.fail(key, f"'{key}' must be a path or an http(s) address, not {value!r}")
            return None
        return value

    def names(
        self, key: str, required: bool = False, single_allowed: bool = True
    ) -> tuple[str, ...]:
        value = self.raw.get(key)
        if value is None or value == [] or value == "":
            if required:
                self.fail(key, f"'{key}' is missing: add '{key}: Name' (or a list of names)")
            return ()
        if isinstance(value, str) and single_allowed:
            value = [value]
        if not isinstance(value, list):
            self.fail(key, f"'{key}' must be a list, e.g. '{key}: [one, two]', not {_kind(value)}")
            return ()
        names: list[str] = []
        for item in value:
            if (
                not isinstance(item, (str, int, float))
                or isinstance(item, bool)
                or not str(item).strip()
            ):
                self.fail(key, f"'{key}' must list plain names, not {_kind(item)}")
                return ()
            names.append(nfc(" ".join(str(item).split())))
        return tuple(names)

    def date(self, key: str, required: bool = False) -> dt.datetime | None:
        value = self.raw.get(key)
        if value is None or value == "":
            if required:
                self.fail(key, f"'{key}' is missing: add '{key}: YYYY-MM-DD HH:MM'")
            return None
        try:
            return parse_date(value, self.tz)
        except ValueError as error:
            self.fail(key, f"'{key}': {error}")
            return None

    def flag(self, key: str) -> bool:
        value = self.raw.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, f"'{key}' must be true or false, not {value!r}")
            return False
        return value

    def slug(self) -> str | None:
        value = self.text("slug")
        if not value:
            return None
        if "/" in value or "\\" in value or ".." in value:
            self.fail(
                "slug",
                f"slug {value!r} may not contain '/', '\\' or '..': "
                "a slug is one URL segment such as 'hoi-nghi-2026'",
            )
            return None
        return value

    def unknown_fields(self) -> dict[str, Any]:
        params = {}
        for key, value in self.raw.items():
            if key in KNOWN_FIELDS:
                continue
            params[key] = value
            close = difflib.get_close_matches(key, KNOWN_FIELDS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.log.warn(
                FrontMatterError(
                    self.path,
                    f"unknown field '{key}'{hint}: kept as page.params.{key}",
                    self.lines.get(key, 1),
                )
            )
        return params


_DAY_FIRST = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_DATE_HELP = "use YYYY-MM-DD or YYYY-MM-DD HH:MM (optionally with an offset such as +07:00)"


def parse_date(value: Any, tz: ZoneInfo) -> dt.datetime:
    """A datetime in the site's timezone; a value with another offset is the same instant,
    shown as the site's readers tell the time."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        parsed = _parse_date_text(value.strip())
    else:
        raise ValueError(f"{value!r} is not a date: {_DATE_HELP}")
    try:
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=tz)
        parsed = parsed.astimezone(tz)
    except OverflowError:
        raise ValueError(f"{str(value)!r} is out of the range of dates (years 1 to 9999)") from None
    return parsed


def _parse_date_text(text: str) -> dt.datetime:
    day_first = _DAY_FIRST.match(text)
    try:
        if day_first:
            day, month, year, hour, minute, second = (
                int(g) if g else 0 for g in day_first.groups()
            )
            return dt.datetime(year, month, day, hour, minute, second)
        return dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError as error:
        reason = str(error) if "out of range" in str(error) or "must be in" in str(error) else ""
        detail = f" ({reason})" if reason else ""
        raise ValueError(f"{text!r} is not a valid date{detail}: {_DATE_HELP}") from None


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    return repr(value)
