"""The `subsites:` list of config.yaml -> one SiteConfig per sub-site: the portal's settings
with the sub-site's overrides.

Each item is checked like the top level (the same checker, its messages prefixed with
`subsites[N]`, at the line of the item's key), and every problem is reported at once.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from typing import Any

import yaml

from .config import _SECTION_KEY, RESERVED_KEYS, SiteConfig, _Checker
from .errors import ConfigError
from .text import MAX_SLUG_LENGTH, slugify

# What a sub-site may set; the rest (output_dir) belongs to the whole build.
SUBSITE_KEYS = (
    "key", "title", "banner", "sections", "base_url", "language", "timezone", "per_page",
    "related_count", "home_count", "feed_count", "params",
)  # fmt: skip
# First path segments of the portal that a sub-site key may not take.
PORTAL_RESERVED = RESERVED_KEYS | {"404.html", "robots.txt"}


class _ItemChecker(_Checker):
    """The top-level checker for one item of `subsites:`: messages say which item, and name
    the line of the key at fault (or of the item)."""

    def __init__(self, parent: _Checker, label: str, line: int, key_lines: dict[str, int]):
        super().__init__(parent.shown, key_lines)
        self.errors = parent.errors
        self.label = label
        self.line = line

    def fail(self, key: str, message: str) -> None:
        first = key.split(".")[0]
        line = self.key_lines.get(first, self.line)
        where = f"{self.label}.{first}" if first in self.key_lines else self.label
        self.errors.append(ConfigError(self.shown, f"{where}: {message}", line))


def read_subsites(
    checker: _Checker, portal: SiteConfig, raw: dict[str, Any], text: str
) -> tuple[SiteConfig, ...]:
    """The sub-sites, in config order; problems go to `checker.errors`."""
    value = raw["subsites"]
    top_line = checker.key_lines.get("subsites", 1)
    if not isinstance(value, list) or not value:
        checker.fail("subsites", "'subsites' must be a list of {key, title, banner, sections, ...}")
        return ()
    lines = _item_lines(text, len(value), top_line)
    found: list[SiteConfig] = []
    first_line: dict[str, int] = {}
    for number, item in enumerate(value, start=1):
        line, key_lines = lines[number - 1]
        label = f"subsites[{number}]"
        item_checker = _ItemChecker(checker, label, line, key_lines)
        if not isinstance(item, dict):
            item_checker.fail("", "must be a mapping with at least 'key' and 'title'")
            continue
        subsite = _subsite(item_checker, portal, item)
        if subsite is None:
            continue
        if subsite.key in first_line:
            item_checker.fail(
                "key",
                f"the sub-site key '{subsite.key}' is already used by another sub-site "
                f"(line {first_line[subsite.key]}): give each sub-site its own key",
            )
            continue
        first_line[subsite.key] = key_lines.get("key", line)
        found.append(subsite)
    return tuple(found)


def _subsite(checker: _ItemChecker, portal: SiteConfig, item: dict[str, Any]) -> SiteConfig | None:
    for name in item:
        if name not in SUBSITE_KEYS:
            close = difflib.get_close_matches(str(name), SUBSITE_KEYS, n=1)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else f"a sub-site takes {', '.join(SUBSITE_KEYS)}"
            )
            checker.fail(str(name), f"unknown key '{name}': {hint}")
    key = _key(checker, item.get("key"), portal)
    title = checker.text(item, "title", required=True)
    if key is None or not title:
        return None
    values: dict[str, Any] = {"key": key, "title": title, "subsites": ()}
    values["banner"] = checker.banner(item.get("banner"), title)
    return replace(portal, **values, **_overrides(checker, portal, item))


def _overrides(checker: _ItemChecker, portal: SiteConfig, item: dict[str, Any]) -> dict[str, Any]:
    """The site-level settings the item sets, checked like the top level's."""
    values: dict[str, Any] = {}
    if "sections" in item:
        values["sections"] = checker.sections(item["sections"])
    if "base_url" in item:
        values["own_url"] = checker.base_url(item["base_url"], "base_url")
    if "language" in item:
        values["language"] = checker.language(item["language"])
    if "timezone" in item:
        values["timezone"] = checker.timezone(item["timezone"])
    for name in ("per_page", "related_count", "home_count", "feed_count"):
        if name in item:
            values[name] = checker.count(item, name, getattr(portal, name))
    if "params" in item:
        values["params"] = {**portal.params, **checker.params(item["params"])}
    return values


def _key(checker: _ItemChecker, value: Any, portal: SiteConfig) -> str | None:
    if value is None or isinstance(value, (bool, list, dict)):
        checker.fail("key", "a sub-site needs a 'key': its folder under content/ and its URL")
        return None
    key = str(value).strip()
    if key in PORTAL_RESERVED:
        checker.fail("key", f"sub-site key '{key}' is a URL sitegen uses itself: choose another")
        return None
    if not _SECTION_KEY.match(key) or len(key) > MAX_SLUG_LENGTH:
        checker.fail(
            "key",
            f"sub-site key '{key}' must be lowercase letters, digits and hyphens "
            f"(at most {MAX_SLUG_LENGTH}): try '{slugify(key) or 'ban-mot'}'",
        )
        return None
    if any(section.key == key for section in portal.sections):
        checker.fail(
            "key",
            f"sub-site key '{key}' is also a section key of the portal's 'sections:': "
            "they would share the URL /" + key + "/; rename one of them",
        )
        return None
    return key


def _item_lines(text: str, count: int, top_line: int) -> list[tuple[int, dict[str, int]]]:
    """(line of the item, line of each of its keys) for each item of `subsites:`, from 1.

    The mapping was loaded already; this only composes it again for the positions."""
    fallback = [(top_line, {})] * count
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return fallback
    if not isinstance(node, yaml.MappingNode):
        return fallback
    for key_node, value_node in node.value:
        if key_node.value == "subsites" and isinstance(value_node, yaml.SequenceNode):
            found = []
            for item in value_node.value[:count]:
                keys = {}
                if isinstance(item, yaml.MappingNode):
                    keys = {str(k.value): k.start_mark.line + 1 for k, _ in item.value}
                found.append((item.start_mark.line + 1, keys))
            return found + fallback[len(found) :]
    return fallback
