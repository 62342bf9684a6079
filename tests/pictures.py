"""Real image files made with Pillow for test sites: photos as cameras and phones write them."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image


def image_bytes(width: int = 8, height: int = 6, color: tuple[int, ...] = (200, 30, 30),
                format_name: str = "PNG", mode: str = "RGB", **save: object) -> bytes:  # fmt: skip
    """A plain image of one colour, encoded as `format_name`."""
    buffer = io.BytesIO()
    Image.new(mode, (width, height), color).save(buffer, format=format_name, **save)
    return buffer.getvalue()


# A small real PNG and JPEG: assets that sitegen publishes as resized variants.
PNG = image_bytes()
JPEG = image_bytes(format_name="JPEG")


def variants_of(output: Path, original: str) -> list[Path]:
    """The published variants of the photo `original` ("tin/anh.jpg"): tin/anh.<w>.<key>.<ext>."""
    folder, _, name = original.rpartition("/")
    stem = name.rpartition(".")[0]
    pattern = re.compile(rf"{re.escape(stem)}\.\d+(?:x\d+)?\.[0-9a-f]{{10}}\.(?:webp|jpg|png|avif)")
    return sorted(p for p in (output / folder).iterdir() if pattern.fullmatch(p.name))


def is_variant_of(link: str, original: str) -> bool:
    """Whether `link` names a published variant of the photo at `original` (link or path)."""
    stem = original.rpartition(".")[0]
    variant = rf"{re.escape(stem)}\.\d+(?:x\d+)?\.[0-9a-f]{{10}}\.(?:webp|jpg|png|avif)"
    return re.fullmatch(variant, link) is not None
