"""picture.py: which <img> become <picture>, with which attributes, on any template's HTML."""

from __future__ import annotations

from bs4 import BeautifulSoup

from sitegen.imageconfig import ImageSettings
from sitegen.model import Photo, PhotoSet, Variant
from sitegen.picture import PhotoMarkup
from sitegen.urls import Urls


def photo(site_path: str, key: str = "0123456789abcdef") -> Photo:
    folder, _, name = site_path[1:].rpartition("/")
    stem = name.rpartition(".")[0]
    variants = []
    for width in (480, 960):
        for fmt, ext in (("webp", "webp"), ("jpeg", "jpg")):
            variant = Variant(f"{width}.{ext}", width, width * 3 // 4, fmt, "full")
            variants.append((f"{folder}/{stem}.{width}.{key[:10]}.{ext}", variant))
    for fmt, ext in (("webp", "webp"), ("jpeg", "jpg")):
        variants.append((f"{folder}/{stem}.300x200.{key[:10]}.{ext}",
                         Variant(f"300x200.{ext}", 300, 200, fmt, "card")))  # fmt: skip
    return Photo(site_path, 960, 720, key, tuple(variants))


def markup(base: str = "/") -> PhotoMarkup:
    photos = PhotoSet({"/tin/ảnh hội nghị.jpg": photo("/tin/ảnh hội nghị.jpg"),
                       "/images/b.png": photo("/images/b.png"),
                       "/tin/a&b'c.jpg": photo("/tin/a&b'c.jpg")})  # fmt: skip
    return PhotoMarkup(photos, Urls(f"https://example.org{base}", base), ImageSettings())


def test_first_photo_of_main_is_fetched_first_later_ones_lazily_the_banner_as_usual():
    encoded = "/tin/%E1%BA%A3nh%20h%E1%BB%99i%20ngh%E1%BB%8B.jpg"  # "ảnh hội nghị.jpg" in a page
    page = (
        '<header><img src="/images/b.png" alt="Banner"></header><main>'
        f'<img alt="Một &quot;hai&quot;" loading="lazy" src="{encoded}">'
        '<img class="x" src="/images/b.png" alt=""><img src="/khac.jpg" alt="khác"></main>'
    )  # fmt: skip
    soup = BeautifulSoup(markup().page(page), "html.parser")
    banner, first, second = (p.img for p in soup.select("picture"))
    assert "loading" not in banner.attrs and "fetchpriority" not in banner.attrs
    assert first["fetchpriority"] == "high" and "loading" not in first.attrs
    assert first["alt"] == 'Một "hai"' and (first["width"], first["height"]) == ("960", "720")
    assert first["srcset"].split(", ")[0].startswith("/tin/%E1%BA%A3nh%20h%E1%BB%99i")
    assert second["loading"] == "lazy" and second["class"] == ["x"]
    assert soup.find("img", alt="khác")["src"] == "/khac.jpg"  # no such photo: as it was


def test_a_card_asks_for_the_crop_and_keeps_its_sizes_and_base_path():
    page = '<main><img data-variant="card" sizes="10rem" src="/tinh-uy/images/b.png" alt=""></main>'
    soup = BeautifulSoup(markup("/tinh-uy/").page(page), "html.parser")
    img, source = soup.img, soup.source
    assert "data-variant" not in img.attrs and img["sizes"] == source["sizes"] == "10rem"
    assert img["srcset"] == "/tinh-uy/images/b.300x200.0123456789.jpg 300w"
    assert source["srcset"] == "/tinh-uy/images/b.300x200.0123456789.webp 300w"
    assert (img["width"], img["height"]) == ("300", "200")


def test_a_templates_own_picture_and_links_to_photos():
    page = ('<main><picture><source srcset="/x.webp"><img src="/images/b.png" alt=""></picture>'
            '<a href="/images/b.png">Tải ảnh</a></main>')  # fmt: skip
    soup = BeautifulSoup(markup().page(page), "html.parser")
    assert len(soup.select("picture")) == 1 and soup.img["src"] == "/images/b.png"
    assert soup.a["href"] == "/images/b.960.0123456789.jpg"  # its largest variant


def test_feeds_and_social_networks_get_one_variant():
    feed = markup().feed('<p><img alt="a" src="/images/b.png" loading="lazy"></p>')
    img = BeautifulSoup(feed, "html.parser").img
    assert img["src"] == "/images/b.960.0123456789.jpg" and img["width"] == "960"
    assert "loading" not in img.attrs and "srcset" not in img.attrs
    assert markup().social("/images/b.png") == "/images/b.960.0123456789.jpg"
    assert markup().social("https://cdn.example.net/a.jpg") == "https://cdn.example.net/a.jpg"


def test_a_file_name_with_an_ampersand_or_a_quote_stays_one_attribute_value():
    page = markup().page("<main><img src=\"/tin/a&amp;b'c.jpg\" alt=\"\"></main>")
    img = BeautifulSoup(page, "html.parser").img
    assert img["src"] == "/tin/a&b'c.960.0123456789.jpg"
    assert img["srcset"].split(", ")[0] == "/tin/a&b'c.480.0123456789.jpg 480w"


def test_links_of_any_case_and_kind_point_at_the_largest_variant_other_attributes_kept():
    page = ('<head><LINK rel="preload" as="image" HREF="/images/b.png"></head><main>'
            '<a class="tai" href="/khac.png" data-href="/images/b.png">khác</a>'
            '<area alt="vùng" href="/images/b.png"><A title="Tải" HREF="/images/b.png">Tải</A>'
            '<p>href="/images/b.png"</p></main>')  # fmt: skip
    soup = BeautifulSoup(markup().page(page), "html.parser")
    largest = "/images/b.960.0123456789.jpg"
    assert soup.link["href"] == largest and soup.link["rel"] == ["preload"]
    assert soup.area["href"] == largest and soup.area["alt"] == "vùng"
    other, upper = soup.find_all("a")
    assert other["href"] == "/khac.png" and upper["href"] == largest and upper["title"] == "Tải"
    assert soup.p.string == 'href="/images/b.png"'  # text, no attribute
    assert markup().feed(page).count(largest) == 3


def test_one_card_shown_twice_gets_the_same_sources_and_its_own_loading():
    card = '<img data-variant="card" src="/images/b.png" alt="Thẻ">'
    soup = BeautifulSoup(markup().page(f"<main>{card}{card}</main>"), "html.parser")
    first, second = soup.select("picture")
    assert first.source == second.source
    assert first.img["fetchpriority"] == "high" and second.img["loading"] == "lazy"
