"""The `images:` block of config.yaml -> ImageSettings, every problem named with its key."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

MODERN_FORMATS = ("avif", "webp")
_ASPECT = re.compile(r"^\s*(\d{1,3})\s*[:/x]\s*(\d{1,3})\s*$")
IMAGE_KEYS = ("enabled", "widths", "formats", "quality", "card_widths", "card_aspect",
              "social_width", "max_side", "keep_originals")  # fmt: skip


@dataclass(frozen=True)
class ImageSettings:
    """How photos are published (photos.py, imaging.py)."""

    enabled: bool = True  # false: photos are copied as they are
    widths: tuple[int, ...] = (480, 960, 1600)
    formats: tuple[str, ...] = ("webp",)  # modern formats, best first, each beside JPEG or PNG
    quality: tuple[tuple[str, int], ...] = (("avif", 55), ("jpeg", 82), ("png", 0), ("webp", 80))
    card_widths: tuple[int, ...] = (320, 640, 960)
    card_aspect: tuple[int, int] = (3, 2)  # the theme's .card-image is 3 / 2
    social_width: int = 1200  # og:image
    max_side: int = 16384  # pixels: a larger photo is refused before it is decoded
    keep_originals: bool = False  # also publish each photo as it was given

    def quality_of(self, format_name: str) -> int:
        return dict(self.quality).get(format_name, 80)


def read_image_settings(value: Any, fail: Callable[[str, str], None]) -> ImageSettings:
    """`fail(key, message)` is called for each problem; the defaults stand in for bad values."""
    defaults = ImageSettings()
    if value is None:
        return defaults
    if not isinstance(value, dict):
        fail("images", f"'images' must be a mapping with keys {', '.join(IMAGE_KEYS)}")
        return defaults
    values: dict[str, Any] = {}
    for key, given in value.items():
        if key not in IMAGE_KEYS:
            fail("images", f"images: unknown key '{key}': known keys: {', '.join(IMAGE_KEYS)}")
            continue
        checked = _CHECKS[key](given)
        if isinstance(checked, _Problem):
            fail("images", f"images.{key}: {checked.message}, not {given!r}")
        else:
            values[key] = checked
    if "quality" in values:
        values["quality"] = tuple(sorted({**dict(defaults.quality), **values["quality"]}.items()))
    known = {f.name for f in fields(ImageSettings)}
    return ImageSettings(**{k: v for k, v in values.items() if k in known})


@dataclass(frozen=True)
class _Problem:
    message: str


def _switch(value: Any) -> bool | _Problem:
    return value if isinstance(value, bool) else _Problem("must be true or false")


def _size(value: Any, low: int = 16, high: int = 8192) -> int | _Problem:
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    return _Problem(f"must be a whole number of pixels from {low} to {high}")


def _sizes(value: Any) -> tuple[int, ...] | _Problem:
    if not isinstance(value, list) or not value:
        return _Problem("must be a list of widths in pixels, e.g. [480, 960, 1600]")
    sizes = [_size(v) for v in value]
    problem = next((s for s in sizes if isinstance(s, _Problem)), None)
    return problem or tuple(sorted(set(sizes)))  # type: ignore[arg-type]


def _formats(value: Any) -> tuple[str, ...] | _Problem:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(n in MODERN_FORMATS for n in names):
        return _Problem("must list modern formats among avif and webp, e.g. [webp]")
    return tuple(dict.fromkeys(names))


def _quality(value: Any) -> dict[str, int] | _Problem:
    if not isinstance(value, dict) or not all(
        k in ("avif", "webp", "jpeg") and isinstance(v, int) and not isinstance(v, bool)
        and 1 <= v <= 100 for k, v in value.items()
    ):  # fmt: skip
        return _Problem("must map avif, webp or jpeg to a quality from 1 to 100, e.g. {webp: 80}")
    return value


def _aspect(value: Any) -> tuple[int, int] | _Problem:
    match = _ASPECT.match(str(value))
    if not match or not (int(match[1]) and int(match[2])):
        return _Problem("must be a width-to-height ratio such as '3:2' or '16:9'")
    return int(match[1]), int(match[2])


def _max_side(value: Any) -> int | _Problem:
    return _size(value, 256, 65535)


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "enabled": _switch, "keep_originals": _switch, "widths": _sizes, "card_widths": _sizes,
    "formats": _formats, "quality": _quality, "card_aspect": _aspect, "social_width": _size,
    "max_side": _max_side,
}  # fmt: skip
