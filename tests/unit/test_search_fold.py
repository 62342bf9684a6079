"""Word forms of the search index (sitegen/search/fold.py), and the shipped script's forms
(theme/static/js/search.js, run by Node) agreeing with them word for word."""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata

import pytest

from sitegen.search import THEME_SCRIPT
from sitegen.search.fold import exact_form, folded_form, token_forms, tokens, words

VOWELS = {"a": "a", "ă": "a", "â": "a", "e": "e", "ê": "e", "i": "i", "o": "o", "ô": "o",
          "ơ": "o", "u": "u", "ư": "u", "y": "y"}  # fmt: skip
TONES = ["\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # huyền sắc hỏi ngã nặng
TONED = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES]
PLACEMENTS = [("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("HOÀ", "hòa"),
              ("Hoá", "hóa"), ("loã", "lõa"), ("tuỳ", "tùy"), ("hoạ", "họa")]  # fmt: skip


@pytest.mark.parametrize("letter", VOWELS)
def test_every_vowel_with_every_tone_folds_to_its_base_letter(letter: str) -> None:
    for tone in TONES:
        toned = unicodedata.normalize("NFC", letter + tone)
        for written in (toned, toned.upper(), unicodedata.normalize("NFD", toned.upper())):
            assert folded_form(written) == VOWELS[letter], written
            assert exact_form(written) == exact_form(toned), written


def test_five_tones_of_a_vowel_are_five_exact_forms_and_one_folded_form() -> None:
    for letter in VOWELS:
        toned = [unicodedata.normalize("NFC", letter + tone) for tone in TONES]
        assert len({exact_form(w) for w in [letter, *toned]}) == 6
        assert {folded_form(w) for w in [letter, *toned]} == {VOWELS[letter]}


def test_letters_with_breve_circumflex_or_horn_stay_apart_in_the_exact_form() -> None:
    assert len({exact_form(w) for w in ["dang", "đang", "đăng", "dâng"]}) == 4
    assert exact_form("ơn") != exact_form("ôn") != exact_form("on")


def test_d_with_stroke_folds_to_d_in_both_cases() -> None:
    assert folded_form("đảng") == folded_form("ĐẢNG") == folded_form("Đảng") == "dang"
    assert folded_form("Đ") == folded_form("đ") == "d"
    assert exact_form("ĐẢNG") == exact_form("đảng") != exact_form("dạng")


def test_nfd_text_has_the_forms_of_nfc_text() -> None:
    for word in ["Tổ", "chức", "nhiệm", "kỳ", "Nguyễn", "đảng", "viên", "ưởng"]:
        nfd = unicodedata.normalize("NFD", word)
        assert nfd != word
        assert exact_form(nfd) == exact_form(word)
        assert folded_form(nfd) == folded_form(word)
    assert words(unicodedata.normalize("NFD", "Tổ chức đảng")) == [
        unicodedata.normalize("NFD", "tổ"), unicodedata.normalize("NFD", "chức"),
        unicodedata.normalize("NFD", "đảng")]  # fmt: skip


@pytest.mark.parametrize(("old", "new"), PLACEMENTS)
def test_old_and_new_tone_placement_are_one_word(old: str, new: str) -> None:
    assert old != new
    assert exact_form(old) == exact_form(new)
    assert folded_form(old) == folded_form(new)


def test_the_forms_of_the_tokens_are_those_of_the_words_of_the_text() -> None:
    text = (
        "Hội_nghị (lần 2),năm 2026: “Tổ chức”! e-mail x.y ĐẢNG\u00a0viên—đoàn «thể» "
        "Ω‐3 tab\tline\nend " + unicodedata.normalize("NFD", "Thủy Hoà")
    )
    found = {form for token in tokens(text) for form in token_forms(token)}
    assert found == {exact_form(word) for word in words(text)}
    assert {"đang\u0309", "viên", "thuy\u0309", "hoa\u0300", "ω", "3"} <= found


def test_words_are_letters_and_digits_in_lower_case() -> None:
    assert words("Hội nghị (lần 2), năm 2026: “Tổ chức”!") == [
        "hội", "nghị", "lần", "2", "năm", "2026", "tổ", "chức"]  # fmt: skip


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node") or shutil.which("nodejs")
    if found is None:
        pytest.skip("no Node.js to run the search script with (apt-get install nodejs)")
    return found


def run_script(node: str, program: str, data: object) -> object:
    """Run `program` with the shipped script loaded as `search` and `data` as `input`."""
    code = (f"const search = require({json.dumps(str(THEME_SCRIPT))});"
            "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
            f"process.stdout.write(JSON.stringify({program}));")  # fmt: skip
    done = subprocess.run([node, "-e", code], input=json.dumps(data), capture_output=True,
                          text=True, check=True, timeout=60)  # fmt: skip
    return json.loads(done.stdout)


def test_the_script_makes_the_same_forms_as_the_index(node: str) -> None:
    samples = [*TONED, *(w.upper() for w in TONED), *(p for pair in PLACEMENTS for p in pair),
               "Đảng", "ĐẢNG", "dạng", "đăng", "nhiệm", "kỳ", "Nguyễn", "Ưởng", "2026",
               "café", "naïve", "Straße"]  # fmt: skip
    samples += [unicodedata.normalize("NFD", w) for w in samples]
    program = "input.map(w => [search.exactForm(w), search.foldedForm(w)])"
    assert run_script(node, program, samples) == [[exact_form(w), folded_form(w)] for w in samples]
    text = "Hội nghị tổng kết: “Tổ chức” đảng viên, năm 2026. " + unicodedata.normalize(
        "NFD", "Thủy lợi hoà bình"
    )
    assert run_script(node, "search.words(input)", text) == words(text)
