"""config.yaml -> SiteConfig: every key checked, every problem reported at once."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from .errors import BuildFailed, ConfigError
from .imageconfig import ImageSettings, read_image_settings
from .sanitize import FORBIDDEN_ATTRIBUTES, FORBIDDEN_ELEMENTS, HtmlPolicy, is_listed_host
from .text import MAX_SLUG_LENGTH, nfc, slugify
from .yamltext import YamlProblem, load_mapping

CONFIG_NAME = "config.yaml"
# sitegen's own theme: its templates come after a site's layouts/, its static files before
# the site's static/
THEME_DIR = Path(__file__).parent / "theme"
THEME_TEMPLATES = THEME_DIR / "templates"
THEME_STATIC = THEME_DIR / "static"
_SECTION_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HTML_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_HOST = re.compile(rf"^(?:\*\.)?{_LABEL}(?:\.{_LABEL})+$")  # www.google.com, *.example.org
HTML_KEYS = ("elements", "attributes", "iframe_hosts", "csp")
# First path segments that sitegen itself uses; a section may not take them.
RESERVED_KEYS = frozenset(
    {"tags", "authors", "assets", "page", "feed.xml", "sitemap.xml", "search"}
)


@dataclass(frozen=True)
class Banner:
    title: str
    image: str | None = None


@dataclass(frozen=True)
class SectionConfig:
    key: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class SiteConfig:
    """Site settings with defaults; a sub-site will override some of them with `replace`."""

    root: Path
    title: str
    base_url: str
    language: str = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    banner: Banner = field(default_factory=lambda: Banner(""))
    sections: tuple[SectionConfig, ...] = ()
    per_page: int = 20
    related_count: int = 8
    home_count: int = 10
    feed_count: int = 20
    output_dir: str = "public"
    params: dict[str, Any] = field(default_factory=dict)
    # A portal lists its sub-sites here (subsites.py); a sub-site's own settings are the
    # portal's with its overrides, its `key` its folder under content/ and its URL prefix.
    subsites: tuple[SiteConfig, ...] = ()
    key: str = ""
    own_url: str = ""  # a sub-site's own base_url: its absolute URLs use it
    html: HtmlPolicy = field(default_factory=HtmlPolicy)  # what raw HTML may hold besides sitegen's
    csp: str | None = None  # the theme's Content-Security-Policy; None: sitegen's, "": none
    images: ImageSettings = field(default_factory=ImageSettings)  # how photos are published
    search: bool = True  # a search page and the index it searches (sitegen/search/)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def layouts_dir(self) -> Path:
        return self.root / "layouts"

    @property
    def static_dir(self) -> Path:
        return self.root / "static"

    @property
    def output_path(self) -> Path:
        return (self.root / self.output_dir).resolve()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path the site is served under: "/" or "/tinh-uy/"."""
        return urlsplit(self.base_url).path or "/"

    def subsite(self, key: str) -> SiteConfig:
        """The settings of the sub-site `key`: the portal's, with the sub-site's own."""
        return next(s for s in self.subsites if s.key == key)


def shown_folder(folder: Path, root: Path) -> str:
    """A folder as messages name it: relative to the site where it lies inside, else whole."""
    if folder == root:
        return "."
    return folder.relative_to(root).as_posix() if root in folder.parents else str(folder)


def output_folder_problem(
    target: Path, root: Path, shown: str, outside_allowed: bool
) -> str | None:
    """Why `target` (resolved; `shown` in messages) cannot be the output folder of the site
    at `root`, or None.

    The output folder is replaced whole by every build: it may not hold the site or its
    sources, nor be a hidden folder (the cache's, git's); only --output may lie outside."""
    if target == root or target in root.parents:
        return f"'{shown}' is the site folder or holds it: use a folder inside it, such as 'public'"
    for name in ("content", "layouts", "static"):
        source = (root / name).resolve()
        if target == source or source in target.parents or target in source.parents:
            return (
                f"'{shown}' overlaps the site's {name}/ folder: use another one, such as 'public'"
            )
    if root not in target.parents:
        if outside_allowed:
            return None
        return (
            f"'{shown}' lies outside the site folder: use a folder inside it, "
            "or pass --output to name an outside folder"
        )
    if any(part.startswith(".") for part in target.relative_to(root).parts):
        return (
            f"'{shown}' is a hidden folder of the site, where sitegen keeps its cache (and "
            "git its history): use one such as 'public'"
        )
    return None


KNOWN_KEYS = (
    "title", "base_url", "language", "timezone", "banner", "sections", "per_page",
    "related_count", "home_count", "feed_count", "output_dir", "params", "subsites", "html",
    "images",
    "search",
)  # fmt: skip


def load_config(path: Path, base_url: str | None = None) -> SiteConfig:
    """Read and check config.yaml; raise BuildFailed listing every problem."""
    shown = path.name
    try:
        text = nfc(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise BuildFailed(
            [
                ConfigError(
                    shown,
                    f"no {CONFIG_NAME} in {path.parent}: create one with at least "
                    "'title:' and 'base_url:', or pass --config PATH",
                )
            ]
        ) from None
    except UnicodeDecodeError as error:
        raise BuildFailed(
            [ConfigError(shown, f"not UTF-8 text ({error.reason}): save it as UTF-8")]
        ) from None
    try:
        mapping = load_mapping(text)
    except YamlProblem as problem:
        raise BuildFailed(
            [ConfigError(shown, problem.message, problem.line, problem.column)]
        ) from None
    if mapping is None:
        raise BuildFailed(
            [ConfigError(shown, "is empty: it needs at least 'title:' and 'base_url:'", 1)]
        )
    checker = _Checker(shown, mapping.key_lines)
    config = checker.build(path.parent.resolve(), mapping.values)
    if "subsites" in mapping.values:
        from .subsites import read_subsites  # it builds on this module's checker

        config = replace(config, subsites=read_subsites(checker, config, mapping.values, text))
    if checker.errors:
        raise BuildFailed(checker.errors)
    if base_url is not None:
        config = replace(config, base_url=checker.base_url(base_url, "--base-url"))
        if checker.errors:
            raise BuildFailed(checker.errors)
        # A preview deployment: every sub-site's absolute URLs point at it too.
        config = replace(config, subsites=tuple(
            replace(s, base_url=config.base_url, own_url="") for s in config.subsites
        ))  # fmt: skip
    return config


class _Checker:
    """Turns the raw mapping into typed values, recording a ConfigError per bad value."""

    def __init__(self, shown: str, key_lines: dict[str, int]):
        self.shown = shown
        self.key_lines = key_lines
        self.errors: list[ConfigError] = []

    def fail(self, key: str, message: str) -> None:
        self.errors.append(
            ConfigError(self.shown, message, self.key_lines.get(key.split(".")[0], 1))
        )

    def build(self, root: Path, raw: dict[str, Any]) -> SiteConfig:
        for key in raw:
            if key not in KNOWN_KEYS:
                close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else f"known keys: {', '.join(KNOWN_KEYS)}"
                )
                self.fail(key, f"unknown key '{key}': {hint}")
        title = self.text(raw, "title", required=True)
        defaults = SiteConfig(root=root, title=title, base_url="/")
        values: dict[str, Any] = {
            "title": title,
            "base_url": self.base_url(raw.get("base_url"), "base_url"),
            "language": self.language(raw.get("language", defaults.language)),
            "timezone": self.timezone(raw.get("timezone", defaults.timezone)),
            "banner": self.banner(raw.get("banner"), title),
            "sections": self.sections(raw.get("sections")),
            "output_dir": self.text(raw, "output_dir") or defaults.output_dir,
            "params": self.params(raw.get("params", {})),
            "images": read_image_settings(raw.get("images"), self.fail),
        }
        values["html"], values["csp"] = self.html(raw.get("html", {}))
        values["search"] = self.flag(raw, "search", defaults.search)
        self.own_host_framed(values["html"], values["base_url"])
        for key in ("per_page", "related_count", "home_count", "feed_count"):
            values[key] = self.count(raw, key, getattr(defaults, key))
        config = SiteConfig(root=root, **values)
        problem = output_folder_problem(
            config.output_path, root, config.output_dir, outside_allowed=False
        )
        if problem:
            self.fail("output_dir", f"output_dir: {problem}")
        return config

    def text(self, raw: dict[str, Any], key: str, required: bool = False) -> str:
        value = raw.get(key)
        if value is None:
            if required:
                self.fail(key, f"'{key}' is required: add '{key}: ...'")
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.fail(key, f"'{key}' must be text")
            return ""
        return str(value).strip()

    def flag(self, raw: dict[str, Any], key: str, default: bool) -> bool:
        value = raw.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, f"'{key}' must be true or false")
            return default
        return value

    def count(self, raw: dict[str, Any], key: str, default: int) -> int:
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(key, f"'{key}' must be a whole number of at least 1, not {value!r}")
            return default
        return value

    def base_url(self, value: Any, key: str) -> str:
        if value is None:
            self.fail(
                key,
                "'base_url' is required: the address the site is published at, "
                "e.g. 'base_url: https://example.org/'",
            )
            return "/"
        parts = urlsplit(str(value).strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.fail(
                key,
                f"{key} must be an absolute http(s) address such as "
                f"'https://example.org/', not {value!r}",
            )
            return "/"
        path = parts.path if parts.path.endswith("/") else parts.path + "/"
        return f"{parts.scheme}://{parts.netloc}{path}"

    def language(self, value: Any) -> str:
        try:
            Locale.parse(str(value).replace("-", "_"))
        except (UnknownLocaleError, ValueError, TypeError):
            self.fail("language", f"unknown language {value!r}: use a code such as 'vi' or 'en'")
            return "en"
        return str(value)

    def timezone(self, value: Any) -> str:
        try:
            ZoneInfo(str(value))
        except (ZoneInfoNotFoundError, ValueError):
            self.fail(
                "timezone",
                f"unknown timezone {value!r}: use an IANA name such as 'Asia/Ho_Chi_Minh' or 'UTC'",
            )
            return "UTC"
        return str(value)

    def banner(self, value: Any, title: str) -> Banner:
        if value is None:
            return Banner(title)
        if not isinstance(value, dict) or set(value) - {"title", "image"}:
            self.fail(
                "banner",
                "'banner' takes 'title' and 'image', e.g. "
                "banner: {title: ..., image: /images/banner.jpg}",
            )
            return Banner(title)
        image = value.get("image")
        return Banner(str(value.get("title") or title), str(image) if image else None)

    def sections(self, value: Any) -> tuple[SectionConfig, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail("sections", "'sections' must be a list of {key, title, description}")
            return ()
        sections: list[SectionConfig] = []
        for number, item in enumerate(value, start=1):
            section = self.section(item, number)
            if section is None:
                continue
            if any(s.key == section.key for s in sections):
                self.fail("sections", f"section key '{section.key}' is listed twice")
                continue
            sections.append(section)
        return tuple(sections)

    def section(self, item: Any, number: int) -> SectionConfig | None:
        if isinstance(item, str):
            item = {"title": item}
        if not isinstance(item, dict) or not item.get("title") and not item.get("key"):
            self.fail("sections", f"section {number} must have a 'key' and a 'title'")
            return None
        unknown = set(item) - {"key", "title", "description"}
        if unknown:
            self.fail(
                "sections",
                f"section {number}: unknown field(s) {', '.join(sorted(map(str, unknown)))}"
                " (a section takes key, title, description)",
            )
        title = " ".join(str(item.get("title") or item.get("key")).split())
        key = str(item.get("key") or slugify(title))
        if not _SECTION_KEY.match(key) or key in RESERVED_KEYS or len(key) > MAX_SLUG_LENGTH:
            self.fail(
                "sections",
                f"section key '{key}' must be lowercase letters, digits and "
                f"hyphens (at most {MAX_SLUG_LENGTH}), and not one of "
                f"{', '.join(sorted(RESERVED_KEYS))}: try '{slugify(key)}'",
            )
            return None
        return SectionConfig(key, title, str(item.get("description") or ""))

    def html(self, value: Any) -> tuple[HtmlPolicy, str | None]:
        if not isinstance(value, dict):
            self.fail("html", f"'html' must be a mapping with keys {', '.join(HTML_KEYS)}")
            return HtmlPolicy(), None
        for key in value:
            if key not in HTML_KEYS:
                self.fail("html", f"html: unknown key '{key}': known keys: {', '.join(HTML_KEYS)}")
        elements = self.html_names(value.get("elements", []), "html.elements")
        attributes = self.html_attributes(value.get("attributes", {}))
        hosts = self.iframe_hosts(value.get("iframe_hosts", []))
        csp = value.get("csp")
        if csp is not None and not isinstance(csp, str):
            self.fail("html", "html.csp must be text: the whole policy, or '' for none")
            csp = None
        if isinstance(csp, str) and any(c in csp for c in '\n\r"<>'):
            self.fail("html", "html.csp must be one line without quotes or angle brackets")
            csp = None
        return HtmlPolicy(tuple(elements), attributes, tuple(hosts)), csp

    def own_host_framed(self, policy: HtmlPolicy, base_url: str) -> None:
        """Sandboxed frames with scripts and their origin can undo the sandbox on their own
        origin: the site's own host is never an iframe host."""
        host = urlsplit(base_url).hostname or ""
        if host and is_listed_host(host, policy.iframe_hosts):
            self.fail(
                "html",
                f"html.iframe_hosts lists the site's own host '{host}': remove "
                "it (a page of the site in a sandboxed frame could lift the sandbox)",
            )

    def html_names(self, value: Any, key: str) -> list[str]:
        """Element or attribute names to allow, none of those that can run script."""
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
            self.fail("html", f"{key} must be a list of names, e.g. [video, source]")
            return []
        names = []
        for name in (n.strip().lower() for n in value):
            forbidden = FORBIDDEN_ELEMENTS if key == "html.elements" else FORBIDDEN_ATTRIBUTES
            if not _HTML_NAME.match(name):
                self.fail("html", f"{key}: '{name}' is not an HTML name")
            elif name in forbidden or (name.startswith("on") and key != "html.elements"):
                self.fail(
                    "html",
                    f"{key}: '{name}' can run script or hide markup, so sitegen "
                    "never allows it (embeds: list their hosts in html.iframe_hosts)",
                )
            else:
                names.append(name)
        return names

    def html_attributes(self, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
        if not isinstance(value, dict):
            self.fail(
                "html",
                "html.attributes must map element names (or '*') to lists of "
                "attribute names, e.g. {video: [controls, poster]}",
            )
            return ()
        allowed = []
        for element, names in value.items():
            element = str(element).strip().lower()
            if element != "*" and not _HTML_NAME.match(element):
                self.fail("html", f"html.attributes: '{element}' is not an HTML element name")
                continue
            allowed.append((element, tuple(self.html_names(names, f"html.attributes.{element}"))))
        return tuple(allowed)

    def iframe_hosts(self, value: Any) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(h, str) for h in value):
            self.fail(
                "html",
                "html.iframe_hosts must be a list of host names, e.g. [www.youtube-nocookie.com]",
            )
            return []
        hosts = []
        for host in (h.strip().lower() for h in value):
            if not _HOST.match(host):
                self.fail(
                    "html",
                    f"html.iframe_hosts: '{host}' is not a host name: write only "
                    "the host, e.g. 'www.google.com' (or '*.example.org')",
                )
            else:
                hosts.append(host)
        return hosts

    def params(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail("params", "'params' must be a mapping of names to values")
            return {}
        return value
