"""Vietnamese-aware word forms for search: the same rules as the shipped script
(theme/static/js/search.js), which folds the reader's query with them.

Two forms of a word:
- exact: lower case, the letters without tone marks, then the tone marks in order
  ("Hoà", "hòa", "HÒA" and NFD "ho\u0300a" are all "hoa\u0300"), so that the old and
  the new tone placement are one word and NFC and NFD are one text;
- folded: lower case, no marks at all, đ -> d ("đảng", "dạng", "đăng" -> "dang").
"""

from __future__ import annotations

import functools
import re
import unicodedata

TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng
# A word: letters and digits (\w but "_", which `words` makes a space), with the combining
# marks of NFD text.
WORD = re.compile(r"[\w\u0300-\u036f]+")


def words(text: str) -> list[str]:
    """The words of a text, lower case, in order."""
    return WORD.findall(text.lower().replace("_", " "))


# ASCII bytes that cannot be part of a word ("_" included), as spaces: a token of `tokens`
# is then a word, or a run of words joined by other punctuation ("“đảng”").
_ASCII_GAPS = bytes.maketrans(
    bytes(c for c in range(128) if not chr(c).isalnum()),
    b" " * sum(1 for c in range(128) if not chr(c).isalnum()),
)


def tokens(text: str) -> set[bytes]:
    """The distinct tokens of a text as UTF-8, ASCII letters in lower case: what
    `token_forms` makes words of.

    Bytes split at ASCII gaps, because that takes a third of the time of splitting the text
    itself into words; a site's few thousand distinct tokens ("Đảng", "đảng", "đảng”") are
    each made into words once, by `token_forms`, instead of every word of every article."""
    return set(text.encode("utf-8").lower().translate(_ASCII_GAPS).split())


_FORMS_OF_TOKEN: dict[bytes, tuple[str, ...]] = {}  # a site's distinct tokens: some tens of
# thousands, which a dev server may keep for its life


def token_forms(token: bytes) -> tuple[str, ...]:
    """The exact forms of the words of a token of `tokens`: `exact_form` of each of
    `words(token)`, once each."""
    found = _FORMS_OF_TOKEN.get(token)
    if found is None:
        found = tuple(dict.fromkeys(exact_form(w) for w in words(token.decode("utf-8"))))
        _FORMS_OF_TOKEN[token] = found
    return found


@functools.lru_cache(maxsize=65536)  # a site uses a few thousand distinct words, met many times
def exact_form(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.lower())
    base = "".join(c for c in decomposed if c not in TONE_MARKS)
    tones = "".join(c for c in decomposed if c in TONE_MARKS)
    return unicodedata.normalize("NFC", base) + tones


@functools.lru_cache(maxsize=65536)
def folded_form(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))


def forms(word: str) -> tuple[str, str]:
    """(folded, exact) of a word."""
    return folded_form(word), exact_form(word)
