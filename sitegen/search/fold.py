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


def word_set(text: str) -> set[str]:
    """The distinct words of a text, lower case: `set(words(text))`, twice as fast on long
    text, since most of what lies between spaces is a word already."""
    found = set()
    for token in set(text.lower().split()):
        if token.isalnum():
            found.add(token)
        else:
            found.update(WORD.findall(token.replace("_", " ")))
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
