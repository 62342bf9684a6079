"""Properties of the text rules: slugs, identity folding, Vietnamese sort keys, for any text."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.text import MAX_SLUG_LENGTH, collation_key, fold, slugify

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Any text, with the letters of Vietnamese and the characters that matter in URLs and markup
# mixed in more often than chance would bring them.
TRICKY = list("ĐđĂăÂâÊêÔôƠơƯưÁàẢãẠ\u0300\u0301\u0303\u0309\u0323 -_./\\:%?#<>&\"'`{}İıßẞǅﬁ")
ANY_TEXT = st.text(st.one_of(st.characters(), st.sampled_from(TRICKY)), max_size=300)
# Whole surrogate pairs and lone surrogates do not come from files, but must not crash either.
WITH_SURROGATES = st.text(st.characters(blacklist_categories=()), max_size=50)

QUICK = settings(deadline=None, max_examples=300)


@QUICK
@given(ANY_TEXT)
def test_slugify_never_fails_and_gives_a_url_segment(text):
    slug = slugify(text)
    assert SLUG.fullmatch(slug), slug
    assert len(slug) <= MAX_SLUG_LENGTH
    assert slugify(text) == slug


@QUICK
@given(WITH_SURROGATES)
def test_slugify_survives_lone_surrogates(text):
    assert SLUG.fullmatch(slugify(text))


@QUICK
@given(ANY_TEXT)
def test_slugify_does_not_care_about_unicode_form(text):
    assert slugify(unicodedata.normalize("NFD", text)) == slugify(
        unicodedata.normalize("NFC", text)
    )


@QUICK
@given(ANY_TEXT)
def test_a_slug_is_its_own_slug(text):
    slug = slugify(text)
    assert slugify(slug) == slug


@QUICK
@given(ANY_TEXT)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@QUICK
@given(ANY_TEXT)
def test_fold_ignores_unicode_form_and_case(text):
    folded = fold(text)
    assert fold(unicodedata.normalize("NFD", text)) == folded
    assert fold(text.casefold()) == folded
    assert fold(text.lower()) == folded
    if text.upper().lower() == text.lower():  # not for "ı" or "ΐ", whose upper case loses them
        assert fold(text.upper()) == folded


@QUICK
@given(ANY_TEXT)
def test_fold_ignores_runs_of_white_space(text):
    assert fold(f"  {text}\t\n") == fold(" ".join(text.split()))


@QUICK
@given(st.lists(ANY_TEXT, max_size=30))
def test_collation_keys_never_fail_and_always_sort(texts):
    keys = [collation_key(text) for text in texts]
    ordered = sorted(texts, key=collation_key)
    assert sorted(ordered, key=collation_key) == ordered
    assert len(keys) == len(texts)


@QUICK
@given(WITH_SURROGATES)
def test_collation_key_survives_lone_surrogates(text):
    collation_key(text)


def test_vietnamese_letters_sort_in_dictionary_order():
    words = ["Ân", "An", "Ăn", "Bình", "Đảng", "Dân", "Ơn", "Ôn", "On"]
    assert sorted(words, key=collation_key) == [
        "An",
        "Ăn",
        "Ân",
        "Bình",
        "Dân",
        "Đảng",
        "On",
        "Ôn",
        "Ơn",
    ]
