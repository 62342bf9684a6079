"""Text rules shared by every stage: Unicode normal form, slugs and Vietnamese sort order."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

# Letters that Unicode does not decompose into a base letter plus marks.
_TRANSLITERATION = str.maketrans(
    {
        "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O",
        "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "þ": "th", "Þ": "TH",
        "ı": "i",
    }
)  # fmt: skip
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# A slug is a folder name: file systems take 255 bytes. Longer titles are cut at a word.
MAX_SLUG_LENGTH = 200


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@functools.lru_cache(maxsize=16384)  # a site has few distinct tags and authors, met many times
def fold(text: str) -> str:
    """The identity of a name: case and Unicode form do not matter ("Đảng" == "đảng").

    Unicode's canonical caseless match: decompose, case-fold, then compose again, since
    case folding can leave text that is not NFC ("ß́" folds to "ss" and a lone accent)."""
    decomposed = unicodedata.normalize("NFD", " ".join(text.split()))
    return unicodedata.normalize("NFC", decomposed.casefold())


def ascii_fold(text: str) -> str:
    """Drop accents and tone marks: "Đảng bộ" -> "Dang bo"."""
    # Decompose first, so that a letter with a mark ("Ǽ") is found in the table as well.
    letters = unicodedata.normalize("NFKD", text).translate(_TRANSLITERATION)
    decomposed = unicodedata.normalize("NFKD", letters)
    # Vietnamese decomposes into ASCII letters and the marks of U+0300-U+036F: drop those
    # marks at once; anything else left that is not ASCII takes the general way.
    folded = _COMMON_MARKS.sub("", decomposed)
    if folded.isascii():
        return folded
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# The combining marks (as unicodedata.combining counts them) of the Combining Diacritical
# Marks block; U+034F, the grapheme joiner, is in the block but not one of them.
_COMMON_MARKS = re.compile(
    "[" + "".join(chr(c) for c in range(0x300, 0x370) if unicodedata.combining(chr(c))) + "]"
)


def slugify(text: str, separator: str = "-") -> str:
    """A URL-safe ASCII slug matching [a-z0-9-]+:
    "Đảng bộ tỉnh lần thứ XIX" -> "dang-bo-tinh-lan-thu-xix".

    Text with no Latin letters or digits (a title in Chinese, say) gets a short stable hash,
    so that it still has a URL and distinct texts keep distinct slugs.
    """
    slug = _NOT_SLUG.sub(separator, ascii_fold(text).lower()).strip(separator)
    if len(slug) > MAX_SLUG_LENGTH:
        cut = slug[: MAX_SLUG_LENGTH + 1]
        slug = cut[: cut.rfind(separator)] if separator in cut[MAX_SLUG_LENGTH // 2 :] else cut[:-1]
        slug = slug.strip(separator)
    if slug:
        return slug
    return "x" + hashlib.sha1(nfc(text).encode("utf-8", "surrogatepass")).hexdigest()[:10]


# Vietnamese alphabetical order: letters with breve, circumflex or horn are letters of their
# own; tone marks only break ties between words spelt with the same letters.
_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()  # noqa: SIM905
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # ` ̉ ~ ´ .


def _split_letters(text: str) -> list[tuple[str, int]]:
    """(letter, tone) pairs of an NFD string; the letter keeps its breve/circumflex/horn."""
    pairs: list[tuple[str, int]] = []
    for ch in unicodedata.normalize("NFD", text):
        if pairs and unicodedata.combining(ch):
            letter, tone = pairs[-1]
            if ch in _LETTER_MARKS:
                pairs[-1] = (letter + ch, tone)
            else:
                pairs[-1] = (letter, _TONE_RANK.get(ch, 6))
        else:
            pairs.append((ch, 0))
    return [(unicodedata.normalize("NFC", letter), tone) for letter, tone in pairs]


def _primary(letter: str) -> tuple[int, int]:
    lower = letter.lower()
    if lower in _LETTER_RANK:
        return (2, _LETTER_RANK[lower])
    if lower.isdigit():
        return (1, ord(lower))
    if not lower.isalnum():
        return (0, ord(lower[0]))
    return (3, ord(lower[0]))


@functools.lru_cache(maxsize=65536)  # a portal sorts the same tag names in every sub-site
def collation_key(text: str) -> tuple:
    """Sort key in Vietnamese dictionary order: letters first, then tones, then case."""
    pairs = _split_letters(text)
    letters = tuple(_primary(letter) for letter, _ in pairs)
    tones = tuple(tone for _, tone in pairs)
    cases = tuple(letter.islower() is False for letter, _ in pairs)
    return (letters, tones, cases, text)
