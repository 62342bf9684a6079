"""Photos are published as resized variants: the HTML that shows them, the files read back
with Pillow, what is left as it is, the cache, and every bad photo named with its line."""

from __future__ import annotations

import re
import textwrap

import pytest
from PIL import Image

import sitegen.photos as photos
from sitegen.imaging import writable_formats
from tests.conftest import BASE_CONFIG, Site, article
from tests.e2e.helpers import exists
from tests.e2e.test_incremental import clean_build
from tests.pictures import (
    camera_jpeg,
    graphic_png,
    image_bytes,
    is_variant_of,
    png_header_only,
    swapped_profile,
    variants_of,
)

GIF = image_bytes(format_name="GIF", mode="P", color=1, save_all=True,
                  append_images=[Image.new("P", (8, 6), 2)], duration=100, loop=0)  # fmt: skip
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="9"/></svg>'
BODY = """Đoạn mở đầu của bài.

![Ảnh trong suốt](trong-suot.png "Biểu trưng")

![Bản in CMYK](cmyk.jpg)

![Ảnh xám 16 bit](xam-16bit.png)

![Ảnh có hồ sơ màu](ho-so-mau.jpg)

![Ảnh động](dong.gif)

![Sơ đồ](so-do.svg)

![Ảnh nơi khác](https://cdn.example.net/anh.jpg)

[Tải ảnh gốc](anh-may-anh.jpg)
"""


def photo_files() -> dict[str, str | bytes]:
    return {
        "content/tin-hoat-dong/hoi-nghi.md": article(
            title="Hội nghị", image="anh-may-anh.jpg", image_caption="Toàn cảnh hội nghị", body=BODY
        ),
        "content/tin-hoat-dong/tap-huan.md": article(title="Tập huấn", date="2026-01-14 08:00"),
        "content/tin-hoat-dong/anh-may-anh.jpg": camera_jpeg(),
        "content/tin-hoat-dong/trong-suot.png": image_bytes(
            640, 480, (10, 120, 200, 90), mode="RGBA"
        ),
        "content/tin-hoat-dong/cmyk.jpg": image_bytes(600, 400, (255, 0, 0, 0), "JPEG", "CMYK"),
        "content/tin-hoat-dong/xam-16bit.png": image_bytes(300, 200, 32768, mode="I;16"),
        "content/tin-hoat-dong/ho-so-mau.jpg": image_bytes(
            400, 300, (200, 20, 20), "JPEG", icc_profile=swapped_profile()
        ),
        "content/tin-hoat-dong/dong.gif": GIF,
        "content/tin-hoat-dong/so-do.svg": SVG,
        "static/images/banner.png": image_bytes(1200, 200, (160, 20, 20)),
    }


CONFIG = BASE_CONFIG + "banner: {title: Ban Tổ chức, image: /images/banner.png}\n"
PAGE = "/tin-hoat-dong/hoi-nghi/"


def new_site(root, files=None, config=CONFIG) -> Site:
    site = Site(root)
    site.write("config.yaml", textwrap.dedent(config))
    for relative, data in (files or photo_files()).items():
        site.write(relative, data)
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Site:
    site = new_site(tmp_path_factory.mktemp("photos") / "site")
    assert site.build() == 0
    return site


def pictures(page) -> dict[str, object]:
    """Each <picture> of `main` by its <img>'s alt."""
    return {p.img["alt"]: p for p in page.select("main picture")}


def read(site: Site, link: str) -> Image.Image:
    with Image.open(site.output / link.lstrip("/")) as image:
        image.load()
        return image


def test_a_photo_is_a_picture_with_size_srcset_sizes_and_its_alt(built):
    page = built.html(PAGE)
    shown = pictures(page)
    assert set(shown) == {
        "Toàn cảnh hội nghị", "Ảnh trong suốt", "Bản in CMYK", "Ảnh xám 16 bit", "Ảnh có hồ sơ màu"
    }  # fmt: skip
    cover = shown["Toàn cảnh hội nghị"]
    [webp] = cover.select("source")
    assert webp["type"] == "image/webp"
    img = cover.img
    assert (img["width"], img["height"]) == ("1600", "2133")  # upright: portrait
    widths = [int(w.split()[-1][:-1]) for w in img["srcset"].split(", ")]
    assert widths == [480, 960, 1600]
    assert all(is_variant_of(c.split()[0], "/tin-hoat-dong/anh-may-anh.jpg")
               for c in [*img["srcset"].split(", "), *webp["srcset"].split(", ")])  # fmt: skip
    assert img["src"].endswith(".jpg") and exists(built, img["src"])
    assert img["sizes"] and webp["sizes"] == img["sizes"]
    # The first photo of <main> is fetched first; the later ones when they come near.
    assert img.get("fetchpriority") == "high" and not img.get("loading")
    later = [p.img for alt, p in shown.items() if alt != "Toàn cảnh hội nghị"]
    assert all(i.get("loading") == "lazy" and not i.get("fetchpriority") for i in later)
    assert all(i.get("width") and i.get("height") for i in later)
    banner = page.select_one(".site-header picture img")  # in the header: neither
    assert not banner.get("loading") and not banner.get("fetchpriority")
    # A link to the photo reaches its largest variant: the original is not published.
    [link] = [a["href"] for a in page.select("main a") if "anh-may-anh" in a["href"]]
    assert is_variant_of(link, "/tin-hoat-dong/anh-may-anh.jpg") and exists(built, link)


def test_variants_are_upright_never_upscaled_and_hold_no_metadata(built):
    variants = variants_of(built.output, "tin-hoat-dong/anh-may-anh.jpg")
    assert {p.suffix for p in variants} == {".webp", ".jpg"}
    for path in variants:
        with Image.open(path) as variant:
            if not re.search(r"\.\d+x\d+\.", path.name):  # the card crops are 3:2 by design
                assert variant.height > variant.width  # Orientation 6 applied
                corner = variant.convert("RGB").getpixel((variant.width - 3, 2))
                assert corner[0] > 150 and corner[1] < 110  # the red corner is now top right
            exif = variant.getexif()
            assert not exif and not exif.get_ifd(0x8825) and not exif.get_ifd(0x8769)
            assert not {"exif", "xmp", "icc_profile", "comment", "XML:com.adobe.xmp"} & set(
                variant.info
            )
            assert b"0123456789" not in path.read_bytes() and b"Canon" not in path.read_bytes()
    small = variants_of(built.output, "tin-hoat-dong/cmyk.jpg")  # 600 wide: 480 and 600 only
    assert sorted({Image.open(p).width for p in small}) == [480, 600]


def test_transparent_cmyk_16_bit_and_profiled_photos_are_converted_for_the_web(built):
    alpha = variants_of(built.output, "tin-hoat-dong/trong-suot.png")
    assert {p.suffix for p in alpha} == {".webp", ".png"}  # no JPEG: it has no transparency
    for path in alpha:
        with Image.open(path) as image:
            assert image.mode == "RGBA" and abs(image.getpixel((5, 5))[3] - 90) <= 2
    for path in variants_of(built.output, "tin-hoat-dong/cmyk.jpg"):
        with Image.open(path) as image:
            assert image.mode == "RGB"
            red, green, blue = image.getpixel((5, 5))
            assert red < 60 and green > 180 and blue > 180  # cyan
    for path in variants_of(built.output, "tin-hoat-dong/ho-so-mau.jpg"):
        with Image.open(path) as image:  # converted from its profile to sRGB, then untagged
            red, green, blue = image.convert("RGB").getpixel((5, 5))
            assert blue > 150 and red < 60 and "icc_profile" not in image.info
    for path in variants_of(built.output, "tin-hoat-dong/xam-16bit.png"):
        with Image.open(path) as image:
            assert abs(image.convert("L").getpixel((5, 5)) - 128) <= 2


def test_gif_svg_and_photos_of_other_sites_are_left_as_they_are(built):
    page = built.html(PAGE)
    sources = {img["alt"]: img["src"] for img in page.select("main img")}
    assert sources["Ảnh động"] == "/tin-hoat-dong/dong.gif"
    assert sources["Sơ đồ"] == "/tin-hoat-dong/so-do.svg"
    assert sources["Ảnh nơi khác"] == "https://cdn.example.net/anh.jpg"
    assert (built.output / "tin-hoat-dong/dong.gif").read_bytes() == GIF
    assert (built.output / "tin-hoat-dong/so-do.svg").read_text(encoding="utf-8") == SVG


def test_originals_are_not_published_and_nothing_is_larger_than_the_largest_variant(built):
    for name in ("anh-may-anh.jpg", "trong-suot.png", "cmyk.jpg", "xam-16bit.png"):
        assert not (built.output / "tin-hoat-dong" / name).exists()
    assert not (built.output / "images/banner.png").exists()
    largest = max(
        p.stat().st_size for p in variants_of(built.output, "tin-hoat-dong/anh-may-anh.jpg")
    )
    photos = [p for p in built.output.rglob("*") if p.suffix in (".jpg", ".png", ".webp")]
    assert max(p.stat().st_size for p in photos) <= largest


def test_cards_show_the_cropped_variant_and_social_networks_a_1200_wide_one(built):
    home = built.html("/")
    card = home.select_one(".card picture img")
    assert card["width"] == str(int(card["height"]) * 3 // 2)  # the card's 3:2
    crops = [c.split()[0] for c in card["srcset"].split(", ")]
    assert all(re.search(r"\.\d+x\d+\.[0-9a-f]{10}\.jpg$", c) for c in crops)
    for crop in crops:
        image = read(built, crop)
        assert abs(image.width / image.height - 1.5) < 0.01
    og = built.html(PAGE).find("meta", property="og:image")["content"]
    assert og.startswith("https://example.org/tin-hoat-dong/anh-may-anh.1200.") and og.endswith(
        ".jpg"
    )
    assert read(built, og.removeprefix("https://example.org")).size == (1200, 1600)


def test_feeds_show_one_variant_with_its_size(built):
    feed = (built.output / "feed.xml").read_text(encoding="utf-8")
    assert "anh-may-anh.jpg" not in feed and 'trong-suot.png"' not in feed
    assert re.search(r'trong-suot\.\d+\.[0-9a-f]{10}\.png" width="\d+" height="\d+"', feed)


def test_a_graphic_larger_as_webp_is_offered_as_png_only(tmp_path):
    site = new_site(tmp_path / "site", config=CONFIG)
    site.write("content/tin-hoat-dong/thong-bao.png", graphic_png())
    body = "Mở đầu.\n\n![Thông báo](thong-bao.png)"
    site.write("content/tin-hoat-dong/thong-bao.md", article(title="Thông báo", body=body))
    assert site.build() == 0
    assert {p.suffix for p in variants_of(site.output, "tin-hoat-dong/thong-bao.png")} == {".png"}
    picture = site.html("/tin-hoat-dong/thong-bao/").select_one("main picture")
    assert picture.select("source") == []
    assert picture.img["src"].endswith(".png")
    photo = {p.suffix for p in variants_of(site.output, "tin-hoat-dong/anh-may-anh.jpg")}
    assert photo == {".webp", ".jpg"}  # a camera's photo keeps its smaller WebP


def test_keep_originals_publishes_them_too(tmp_path):
    site = new_site(tmp_path / "site", config=CONFIG + "images: {keep_originals: true}\n")
    assert site.build() == 0
    original = site.output / "tin-hoat-dong/anh-may-anh.jpg"
    assert (
        original.read_bytes() == (site.root / "content/tin-hoat-dong/anh-may-anh.jpg").read_bytes()
    )
    links = [a["href"] for a in site.html(PAGE).select("main a") if "anh-may-anh" in a["href"]]
    assert links == ["/tin-hoat-dong/anh-may-anh.jpg"]


def test_photos_are_made_once_and_a_changed_photo_remakes_only_its_own(
    tmp_path, capsys, monkeypatch
):
    files = {k: v for k, v in photo_files().items() if "anh-may-anh" not in k}
    files["content/tin-hoat-dong/hoi-nghi.md"] = article(
        title="Hội nghị", body=BODY.split("[Tải")[0]
    )
    site = new_site(tmp_path / "site", files)
    assert site.build() == 0
    stamps = {
        p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in site.output.rglob("*") if p.is_file()
    }
    capsys.readouterr()
    assert site.build() == 0  # nothing changed: no photo is made or written again
    assert "0 written" in capsys.readouterr().out.replace(" files written", " written")
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in stamps} == stamps
    cmyk_before = variants_of(site.output, "tin-hoat-dong/cmyk.jpg")
    site.write(
        "content/tin-hoat-dong/trong-suot.png", image_bytes(640, 480, (0, 0, 0, 255), mode="RGBA")
    )
    calls: list[str] = []
    make = photos.make_variants
    monkeypatch.setattr(photos, "make_variants", lambda source, *rest: calls.append(source.name)
                        or make(source, *rest))  # fmt: skip
    assert site.build("--jobs", "1") == 0
    assert calls == ["trong-suot.png"]
    assert variants_of(site.output, "tin-hoat-dong/cmyk.jpg") == cmyk_before
    (site.root / "content/tin-hoat-dong/cmyk.jpg").unlink()
    site.write("content/tin-hoat-dong/hoi-nghi.md", article(title="Hội nghị"))
    assert site.build() == 0
    assert not variants_of(site.output, "tin-hoat-dong/cmyk.jpg")  # gone with the photo


# --- bad photos -------------------------------------------------------------------------


def _bad_site(tmp_path, photo: bytes, config: str = CONFIG) -> Site:
    files = {
        "content/tin-hoat-dong/a.md": article(
            title="Bài A", body="Mở đầu.\n\nChữ.\n\n![Ảnh](hong.jpg)\n"
        ),
        "content/tin-hoat-dong/b.md": article(
            title="Bài B", image="hong.jpg", date="2026-01-14 08:00"
        ),
        "content/tin-hoat-dong/hong.jpg": photo,
    }
    return new_site(tmp_path / "site", files, config)


TRUNCATED = camera_jpeg(800, 600, 1)[:6000]


@pytest.mark.parametrize(
    ("photo", "config", "why"),
    [
        (TRUNCATED, CONFIG, "is damaged or cut short"),
        (b"<html>not a photo</html>", CONFIG, "is not an image that can be read"),
        (png_header_only(60000, 60000), CONFIG, "is 60000×60000 pixels, more than images.max_side"),
        (
            image_bytes(1200, 300),
            CONFIG + "images: {max_side: 1000}\n",
            "more than images.max_side (1000)",
        ),
    ],
    ids=["truncated", "not-an-image", "decompression-bomb", "over-the-limit"],
)
def test_a_bad_photo_fails_the_build_at_each_line_that_shows_it(
    tmp_path, capsys, photo, config, why
):
    site = _bad_site(tmp_path, image_bytes(100, 80), config)
    assert site.build() == 0
    before = site.files()
    site.write("content/tin-hoat-dong/hong.jpg", photo)
    capsys.readouterr()
    assert site.build() == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 2, err
    assert lines[0].startswith(
        "error: content/tin-hoat-dong/a.md:12: the photo 'tin-hoat-dong/hong.jpg' "
    )
    assert lines[1].startswith(
        "error: content/tin-hoat-dong/b.md:6: the photo 'tin-hoat-dong/hong.jpg' "
    )
    assert all(why in line for line in lines), err
    assert "Traceback" not in err
    assert site.files() == before  # the previous output is untouched


def test_a_photo_removed_while_the_site_is_built_is_an_error_not_a_traceback(
    tmp_path, capsys, monkeypatch
):
    site = _bad_site(tmp_path, image_bytes(100, 80), CONFIG)
    assert site.build() == 0
    before = site.files()
    site.write("content/tin-hoat-dong/hong.jpg", image_bytes(120, 90))  # changed: read again
    real = photos.publish_photos

    def removed_after_discovery(*args, **kwargs):
        (site.root / "content/tin-hoat-dong/hong.jpg").unlink()
        return real(*args, **kwargs)

    monkeypatch.setattr("sitegen.stages.publish_photos", removed_after_discovery)
    capsys.readouterr()
    assert site.build() == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert lines and all(photos.REMOVED in line for line in lines), err
    assert lines[0].startswith("error: content/tin-hoat-dong/a.md:12: the photo ")
    assert "Traceback" not in err
    assert site.files() == before


def test_a_missing_cover_photo_is_named_with_its_line(tmp_path, capsys):
    site = new_site(
        tmp_path / "site", {"content/tin-hoat-dong/a.md": article(image="khong-co.jpg")}
    )
    assert site.build() == 1
    err = capsys.readouterr().err
    assert "error: content/tin-hoat-dong/a.md:6: image: 'khong-co.jpg': no such file" in err


def test_photo_edits_give_the_clean_build(tmp_path):
    folder = "content/tin-hoat-dong/"
    files: dict[str, str | bytes] = {"static/images/banner.png": image_bytes(900, 150)}
    for n in range(4):
        body = f"Mở đầu {n}.\n\n![Ảnh {n}](anh-{n}.jpg)\n"
        date = f"2026-01-1{n} 08:00"
        files[f"{folder}bai-{n}.md"] = article(title=f"Bài {n}", date=date, image=f"anh-{n}.jpg",
                                               body=body)  # fmt: skip
        files[f"{folder}anh-{n}.jpg"] = image_bytes(700, 500, (n * 50, 90, 90), "JPEG")
    site = new_site(tmp_path / "site", files)
    assert site.build() == 0
    edits = [
        (f"{folder}anh-1.jpg", image_bytes(640, 480, (1, 2, 3), "JPEG")),  # a photo changed
        ("static/images/banner.png", image_bytes(1000, 160, (9, 9, 9))),  # the banner
        (f"{folder}bai-2.md", article(title="Bài 2", image="anh-3.jpg")),  # another cover
        (f"{folder}anh-2.jpg", None),  # a photo no article shows is deleted
        (f"{folder}moi.png", image_bytes(500, 500, (0, 200, 0, 255), mode="RGBA")),  # a new one
    ]
    for path, data in edits:
        if data is None:
            (site.root / path).unlink()
        else:
            site.write(path, data)
        assert site.build() == 0
        assert site.files() == clean_build(site, tmp_path)


def test_avif_is_offered_first_where_pillow_writes_it(tmp_path, capsys):
    site = new_site(tmp_path / "site", config=CONFIG + "images: {formats: [avif, webp]}\n")
    assert site.build() == 0
    types = [s["type"] for s in pictures(site.html(PAGE))["Bản in CMYK"].select("source")]
    if "avif" in writable_formats():
        assert types == ["image/avif", "image/webp"]
        assert {p.suffix for p in variants_of(site.output, "tin-hoat-dong/cmyk.jpg")} >= {".avif"}
    else:  # an older Pillow: said once, and the site still builds with WebP
        assert types == ["image/webp"]
        assert "images.formats: this Pillow cannot write avif" in capsys.readouterr().err


def test_bad_images_settings_are_named_with_their_key(tmp_path, capsys):
    bad = "images: {widths: [0], formats: [gif], quality: {webp: 200}, card_aspect: x, size: 1}\n"
    site = new_site(tmp_path / "site", config=CONFIG + bad)
    assert site.build() == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    line = CONFIG.count("\n") + 1
    for key in ("widths", "formats", "quality", "card_aspect"):
        assert any(e.startswith(f"error: config.yaml:{line}: images.{key}: ") for e in errors)
    assert any("images: unknown key 'size'" in e for e in errors)
    assert len(errors) == 5
