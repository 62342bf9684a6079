from __future__ import annotations

import random
import re
import unicodedata

import pytest

from sitegen.text import ascii_fold, collation_key, fold, nfc, slugify

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Đảng bộ tỉnh lần thứ XIX", "dang-bo-tinh-lan-thu-xix"),
        ("Đảng", "dang"),
        ("Hội nghị   tổng kết, năm 2026!", "hoi-nghi-tong-ket-nam-2026"),
        ("  --Ban Tổ chức--  ", "ban-to-chuc"),
        ("Ưu tiên ứng dụng", "uu-tien-ung-dung"),
        ("Straße & Œuvre", "strasse-oeuvre"),
    ],
)
def test_slugify_makes_vietnamese_aware_ascii(text, slug):
    assert slugify(text) == slug


def test_slugify_is_the_same_for_nfc_and_nfd_input():
    title = "Đảng bộ tỉnh lần thứ XIX"
    assert slugify(unicodedata.normalize("NFD", title)) == slugify(title)


@pytest.mark.parametrize("text", ["", "!!!", "— · —", "中文标题", "🙂"])
def test_slugify_gives_a_stable_url_safe_slug_to_text_without_latin_letters(text):
    slug = slugify(text)
    assert SLUG.match(slug)
    assert slugify(text) == slug


def test_slugify_keeps_distinct_chinese_titles_distinct():
    assert slugify("中文标题") != slugify("中国新闻")


def test_ascii_fold_drops_marks_and_maps_d_stroke():
    assert ascii_fold("Đảng bộ") == "Dang bo"


def test_nfc_composes():
    assert nfc(unicodedata.normalize("NFD", "Đảng")) == "Đảng"
    assert len(nfc(unicodedata.normalize("NFD", "ả"))) == 1


@pytest.mark.parametrize(
    "variant",
    ["ĐẢNG BỘ", "đảng bộ", unicodedata.normalize("NFD", "Đảng bộ"), "  Đảng   bộ "],
)
def test_fold_makes_case_nfd_and_space_variants_equal(variant):
    assert fold(variant) == fold("Đảng bộ")


def test_fold_keeps_different_letters_apart():
    assert fold("Ăn") != fold("Ân")
    assert fold("ma") != fold("má")


VIETNAMESE_ALPHABET = [
    "a",
    "ă",
    "â",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "ê",
    "g",
    "h",
    "i",
    "k",
    "l",
    "m",
    "n",
    "o",
    "ô",
    "ơ",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "ư",
    "v",
    "x",
    "y",
]


def test_collation_key_sorts_the_vietnamese_alphabet():
    shuffled = VIETNAMESE_ALPHABET[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=collation_key) == VIETNAMESE_ALPHABET
    assert sorted(reversed(VIETNAMESE_ALPHABET), key=collation_key) == VIETNAMESE_ALPHABET


def test_collation_key_sorts_upper_case_letters_like_lower_case():
    upper = [letter.upper() for letter in VIETNAMESE_ALPHABET]
    assert sorted(reversed(upper), key=collation_key) == upper


def test_collation_key_orders_tones_ngang_huyen_hoi_nga_sac_nang():
    tones = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(reversed(tones), key=collation_key) == tones
    shuffled = tones[:]
    random.Random(3).shuffle(shuffled)
    assert sorted(shuffled, key=collation_key) == tones


def test_collation_key_tones_work_for_nfd_input():
    tones = [unicodedata.normalize("NFD", w) for w in ["ma", "mà", "mả", "mã", "má", "mạ"]]
    assert sorted(reversed(tones), key=collation_key) == tones


def test_collation_key_orders_words_by_letters_before_tones():
    words = ["an", "ăn", "ân", "bàn", "đá"]
    assert sorted(reversed(words), key=collation_key) == words
    # letters decide first: "bàn" (b) comes after "ăn"/"ân" whatever the tones
    assert sorted(["bàn", "ấn", "ăn"], key=collation_key) == ["ăn", "ấn", "bàn"]


def test_collation_key_puts_d_stroke_after_d_not_at_the_end():
    names = ["Đỗ Văn Hùng", "Zhang Wei", "Dương Thị Lan", "Hoàng Minh"]
    assert sorted(names, key=collation_key) == [
        "Dương Thị Lan",
        "Đỗ Văn Hùng",
        "Hoàng Minh",
        "Zhang Wei",
    ]


def test_collation_key_breaks_ties_deterministically():
    assert collation_key("an") != collation_key("An")
    assert sorted(["An", "an"], key=collation_key) == sorted(["an", "An"], key=collation_key)


def test_ascii_fold_drops_exactly_the_combining_marks():
    """The quick way (the marks of U+0300-U+036F) and the general one agree; the grapheme
    joiner U+034F, in that block but no combining mark, is kept, like other symbols."""
    assert ascii_fold("Đổi mới phương thức lãnh đạo") == "Doi moi phuong thuc lanh dao"
    assert ascii_fold("a\u034fb") == "a\u034fb"
    assert ascii_fold("x\u20d7 日本") == "x 日本"  # a combining mark outside the block
