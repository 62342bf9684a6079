"""One photo -> its published variants, with Pillow: checked, upright, sRGB, resized, stripped.

A variant never holds the original's metadata (EXIF with GPS and camera serial, XMP, IPTC,
colour profile): each is a new image made from the pixels alone. Runs in the photo workers.
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, UnidentifiedImageError

from .imageconfig import ImageSettings
from .model import Variant

# What browsers call each format, and the file extension of each.
MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSION = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
# Rotations that put the EXIF Orientation 2..8 upright; 5..8 swap width and height.
_UPRIGHT = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}
_ORIENTATION_TAG = 0x0112
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


_REVISION = 2  # of the way variants are made: 2 drops modern formats that come out larger


def settings_fingerprint(settings: ImageSettings) -> str:
    """Everything that changes the variants' bytes; part of the key that names them."""
    return f"pillow {Image.__version__}; r{_REVISION}; {settings!r}"


@dataclass(frozen=True)
class Made:
    """What became of one photo: its upright size and its variants, or `copied` when it is
    published as it is (an animation, which variants would freeze)."""

    width: int
    height: int
    variants: tuple[Variant, ...] = ()
    copied: bool = False


class PhotoProblem(Exception):
    """Why a photo cannot be published, said for the writer."""


def make_variants(source: Path, folder: Path, settings: ImageSettings, cards: bool) -> Made:
    """Write the variants of the photo `source` into `folder` (made, then renamed into place);
    with `cards`, also the card crops and the social network size. Raises PhotoProblem."""
    # Pillow's own guard against decompression bombs would speak first, in its words:
    # max_side is checked instead, on the size read from the header, before any decoding.
    guard, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with Image.open(source) as image:
            return _from_open(image, folder, settings, cards)
    except UnidentifiedImageError:
        raise PhotoProblem(
            "is not an image that can be read (a JPEG, PNG or WebP): replace it with the photo"
        ) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise PhotoProblem(
            f"is damaged or cut short ({error}): export or copy the photo again"
        ) from None
    finally:
        Image.MAX_IMAGE_PIXELS = guard


def _from_open(image: Image.Image, folder: Path, settings: ImageSettings, cards: bool) -> Made:
    stored_width, stored_height = image.size
    if max(stored_width, stored_height) > settings.max_side:
        raise PhotoProblem(
            f"is {stored_width}×{stored_height} pixels, more than images.max_side "
            f"({settings.max_side}): make it smaller, or raise images.max_side in config.yaml"
        )
    orientation = _orientation(image)
    turned = orientation in (5, 6, 7, 8)
    width, height = (stored_height, stored_width) if turned else (stored_width, stored_height)
    if getattr(image, "n_frames", 1) > 1:
        return Made(width, height, copied=True)
    widest = max((*settings.widths, settings.social_width if cards else 0))
    if image.format == "JPEG" and widest < width:  # decode at 1/2, 1/4 or 1/8 when enough
        need = (widest, max(1, round(widest * height / width)))
        image.draft(None, need[::-1] if turned else need)
    image.load()
    pixels = _in_srgb(image)
    has_alpha = pixels.mode in ("RGBA", "LA")
    fallback = "png" if has_alpha or image.format == "PNG" else "jpeg"  # keeps graphics sharp
    frames = _Frames(pixels, orientation, width)
    variants = []
    folder.mkdir(parents=True, exist_ok=True)
    # Pillow lets go of the interpreter while it encodes and resizes: the next variant is
    # resized while the last ones are written, which brings a saved photo to the dev
    # server's browser sooner. Each save gets its own copy (save() keeps state on the image).
    with ThreadPoolExecutor(max_workers=2) as encoders:
        saves = []
        for kind, size, box in _plan(width, height, settings, cards):
            resized = frames.make(kind, size, box)
            formats = (fallback,) if kind == "social" else (*settings.formats, fallback)
            for format_name in formats:
                label = f"{size[0]}x{size[1]}" if kind == "card" else f"{size[0]}"
                name = f"{label}.{EXTENSION[format_name]}"
                saves.append(encoders.submit(_save, resized.copy(), folder / name, format_name,
                                             settings))  # fmt: skip
                variants.append(Variant(name, size[0], size[1], format_name, kind))
        for save in saves:
            save.result()
    variants = _without_larger(folder, variants, settings.formats, fallback)
    order = {"full": 0, "card": 1, "social": 2}
    variants.sort(key=lambda v: (order[v.kind], v.width))
    return Made(width, height, tuple(variants))


def _without_larger(folder: Path, variants: list[Variant], modern: Sequence[str],
                    fallback: str) -> list[Variant]:  # fmt: skip
    """The variants but those of a modern format that take more bytes, over all the sizes of
    one kind, than the fallback's: graphics (text, flat colours, screenshots of documents)
    often come out larger as lossy WebP than as PNG, and a reader would download more."""
    size = {v.name: (folder / v.name).stat().st_size for v in variants}
    dropped: set[str] = set()
    for kind in {v.kind for v in variants}:
        of_kind = [v for v in variants if v.kind == kind]
        fallback_bytes = sum(size[v.name] for v in of_kind if v.format == fallback)
        for name in modern:
            mine = [v.name for v in of_kind if v.format == name]
            if mine and sum(size[n] for n in mine) >= fallback_bytes:
                dropped.update(mine)
    for name in dropped:
        (folder / name).unlink()
    return [v for v in variants if v.name not in dropped]


class _Frames:
    """Resized copies of the whole photo, upright, each made from the smallest one made before
    that is large enough: the largest from the decoded pixels, turned only once it is small,
    and every later one from a copy a few times smaller than the photo (Lanczos costs in
    proportion to the pixels it reads)."""

    def __init__(self, pixels: Image.Image, orientation: int, width: int):
        self.pixels = pixels  # as stored, maybe decoded at 1/2 .. 1/8 (draft)
        self.orientation = orientation
        self.width = width  # of the upright original
        self.made: list[Image.Image] = []
        self._upright: Image.Image | None = None

    def make(self, kind: str, size: tuple[int, int], box: tuple[float, ...] | None) -> Image.Image:
        if kind == "full" and not self.made:
            frame = self._first(size)
        else:
            shown = (box[2] - box[0]) / self.width if box else 1.0  # share of the width shown
            frame = _resized(self._source(size[0] / shown), size, box, self.width)
        if kind == "full":
            self.made.append(frame)
        return frame

    def _first(self, size: tuple[int, int]) -> Image.Image:
        stored = size[::-1] if self.orientation in (5, 6, 7, 8) else size
        if stored == self.pixels.size:
            return _upright(self.pixels, self.orientation)
        frame = self.pixels.resize(stored, Image.Resampling.LANCZOS, reducing_gap=3.0)
        return _upright(frame, self.orientation)

    def _source(self, needed_width: float) -> Image.Image:
        large_enough = [f for f in self.made if f.width >= needed_width - 0.5]
        if large_enough:
            return min(large_enough, key=lambda frame: frame.width)
        if self._upright is None:
            self._upright = _upright(self.pixels, self.orientation)
        return self._upright


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:  # noqa: BLE001 - damaged EXIF: the photo is shown as stored
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _in_srgb(image: Image.Image) -> Image.Image:
    """8-bit RGB, RGBA or L pixels in sRGB, from any mode and colour profile Pillow reads."""
    if image.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):  # 16-bit grey: keep the top byte
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode in ("P", "PA"):
        transparent = "transparency" in image.info or image.mode == "PA"
        image = image.convert("RGBA" if transparent else "RGB")
    elif image.mode == "LA":
        image = image.convert("RGBA")
    elif image.mode not in ("RGB", "RGBA", "L", "CMYK"):
        image = image.convert("RGB")
    profile = image.info.get("icc_profile")
    if profile:
        converted = _profile_to_srgb(image, profile)
        if converted is not None:
            return converted
    return image.convert("RGB") if image.mode == "CMYK" else image


def _profile_to_srgb(image: Image.Image, profile: bytes) -> Image.Image | None:
    """The pixels converted from their embedded profile to sRGB; None when the profile is
    sRGB already, or cannot be read (the pixels are then taken as sRGB)."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        if "srgb" in ImageCms.getProfileDescription(source).lower().replace(" ", ""):
            return None
        mode = "RGBA" if image.mode == "RGBA" else "L" if image.mode == "L" else "RGB"
        if image.mode == "L" and source.profile.xcolor_space.strip() != "GRAY":
            return None
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None


def _upright(image: Image.Image, orientation: int) -> Image.Image:
    for method in _UPRIGHT.get(orientation, ()):
        image = image.transpose(method)
    return image


Plan = list[tuple[str, tuple[int, int], tuple[float, float, float, float] | None]]


def _plan(width: int, height: int, settings: ImageSettings, cards: bool) -> Plan:
    """(kind, size, crop box in upright original pixels) of every variant; never upscaled."""
    widths = sorted({min(w, width) for w in settings.widths}, reverse=True)  # see _Frames
    plan: Plan = [("full", (w, _scaled(height, w, width)), None) for w in widths]
    if not cards:
        return plan
    across, down = settings.card_aspect
    crop_width = min(width, height * across / down)
    crop_height = crop_width * down / across
    left, top = (width - crop_width) / 2, (height - crop_height) / 2
    box = (left, top, left + crop_width, top + crop_height)
    for w in sorted({min(w, int(crop_width)) for w in settings.card_widths}):
        plan.append(("card", (w, max(1, round(w * down / across))), box))
    social = min(settings.social_width, width)
    if all(size[0] != social for kind, size, _ in plan if kind == "full"):
        plan.append(("social", (social, _scaled(height, social, width)), None))
    return plan


def _scaled(height: int, new_width: int, width: int) -> int:
    return max(1, round(height * new_width / width))


def _resized(
    pixels: Image.Image, size: tuple[int, int], box: tuple[float, ...] | None, width: int
) -> Image.Image:
    """`pixels` (maybe decoded smaller than width × height) resized to `size`, cropped to
    `box` given in original pixels; reduce() first where it is much larger, then Lanczos."""
    scale = pixels.width / width
    crop = tuple(v * scale for v in box) if box else (0, 0, pixels.width, pixels.height)
    if size == pixels.size and crop == (0, 0, pixels.width, pixels.height):
        return pixels.copy()
    return pixels.resize(size, Image.Resampling.LANCZOS, box=crop, reducing_gap=3.0)


def _save(image: Image.Image, path: Path, format_name: str, settings: ImageSettings) -> None:
    """Only pixels: the info of the original (EXIF, XMP, ICC, comments) is left behind."""
    image.info = {}
    quality = settings.quality_of(format_name)
    options: dict = {"png": {"optimize": False, "compress_level": 6}}.get(format_name, {})
    if format_name == "jpeg":
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
        options = {"quality": quality, "optimize": True, "progressive": True}
    elif format_name == "webp":
        options = {"quality": quality, "method": 4}
    elif format_name == "avif":
        options = {"quality": quality, "speed": 8}
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    image.save(temporary, format=format_name.upper(), **options)
    os.replace(temporary, path)


def writable_formats() -> set[str]:
    """The modern formats this Pillow can write (AVIF needs Pillow 11.2 or a plugin)."""
    from PIL import features

    found = {"webp"} if features.check_module("webp") else set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if features.check("avif"):
                found.add("avif")
        except ValueError:
            pass
    return found
