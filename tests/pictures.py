"""Real image files made with Pillow for test sites: photos as cameras and phones write them."""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

from PIL import Image, ImageDraw


def image_bytes(width: int = 8, height: int = 6, color: tuple[int, ...] = (200, 30, 30),
                format_name: str = "PNG", mode: str = "RGB", **save: object) -> bytes:  # fmt: skip
    """A plain image of one colour, encoded as `format_name`."""
    buffer = io.BytesIO()
    Image.new(mode, (width, height), color).save(buffer, format=format_name, **save)
    return buffer.getvalue()


# A small real PNG and JPEG: assets that sitegen publishes as resized variants.
PNG = image_bytes()
JPEG = image_bytes(format_name="JPEG")


def graphic_png(width: int = 960, height: int = 540) -> bytes:
    """A graphic (black dots on white, like a chart or a scanned notice): a tenth of the
    bytes as PNG that it takes as lossy WebP (8 KB against 87 KB at 960×540)."""
    rng = random.Random(7)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for y in range(0, height, 6):
        for x in range(0, width, 6):
            if rng.random() < 0.3:
                draw.rectangle([x, y, x + 2, y + 2], fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


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


def camera_jpeg(width: int = 4000, height: int = 3000, orientation: int = 6) -> bytes:
    """A camera's JPEG: stored landscape with EXIF Orientation (6: shown turned to portrait),
    the GPS position, the camera's serial number and its owner, an XMP packet and a comment."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image.paste((220, 40, 40), (0, 0, width // 8, height // 8))  # a red corner: top left as stored
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F], exif[0x0110] = "Canon", "EOS R6"
    exif[0x013B] = "Nguyễn Văn Chụp"  # Artist
    exif.get_ifd(0x8769)[0xA431] = "0123456789"  # BodySerialNumber
    exif.get_ifd(0x8825).update({1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 48.0, 0.0)})
    buffer = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    image.save(buffer, "JPEG", quality=85, exif=exif.tobytes(), comment=b"camera note")
    data = buffer.getvalue()
    # An APP1 XMP segment right after SOI, as cameras and editors write it.
    payload = b"http://ns.adobe.com/xap/1.0/\x00" + xmp
    segment = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
    return data[:2] + segment + data[2:]


def png_header_only(width: int, height: int) -> bytes:
    """The start of a PNG that claims width × height pixels: a decompression bomb's shape."""
    import struct
    import zlib

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    data = zlib.compress(b"\x00" * 64)
    idat = (
        struct.pack(">I", len(data))
        + b"IDAT"
        + data
        + struct.pack(">I", zlib.crc32(b"IDAT" + data))
    )
    return b"\x89PNG\r\n\x1a\n" + ihdr + idat


def swapped_profile() -> bytes:
    """An RGB colour profile that is not sRGB: sRGB's with the red and blue primaries
    exchanged, so that converting its pixels to sRGB shows whether it was applied."""
    import struct

    from PIL import ImageCms

    raw = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    entries = {}
    for number in range(struct.unpack(">I", raw[128:132])[0]):
        at = 132 + 12 * number
        entries[raw[at : at + 4]] = at
    data = bytearray(raw)
    red, blue = entries[b"rXYZ"] + 4, entries[b"bXYZ"] + 4  # where each tag's offset is kept
    data[red : red + 4], data[blue : blue + 4] = raw[blue : blue + 4], raw[red : red + 4]
    return (
        bytes(data)
        .replace(b"sRGB", b"Swap")
        .replace("sRGB".encode("utf-16-be"), "Swap".encode("utf-16-be"))
    )
