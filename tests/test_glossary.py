"""The glossary of foreign everyday words (``helpbot/matching/data/glossary.tsv``) is well formed.

A malformed row fails silently at run time: a missing cell shifts nothing but drops a language,
an empty alternative (``a//b``) is skipped, a term listed in two rows of one language is found
for the first row only (a found term is blanked out of the message), and a cell in decomposed
Unicode never matches what phones send (composed). These checks catch them when the file is
edited."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from importlib import resources

import pytest

from helpbot.matching.crosslingual import GLOSSARY_LANGUAGES, glossary_words


def _rows() -> list[list[str]]:
    text = resources.files("helpbot.matching").joinpath("data/glossary.tsv").read_text("utf-8")
    return [
        line.split("\t")
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    ]


def test_every_row_has_a_japanese_word_and_a_cell_per_language() -> None:
    rows = _rows()
    assert len(rows) >= 250
    for row in rows:
        assert len(row) == 1 + len(GLOSSARY_LANGUAGES), row[0]
        assert all(cell.strip() for cell in row), row[0]
        for cell in row[1:]:
            assert all(term.strip() for term in cell.split("/")), (row[0], cell)


def test_japanese_words_are_unique_and_cells_are_composed_unicode() -> None:
    rows = _rows()
    japanese = [row[0] for row in rows]
    assert len(set(japanese)) == len(japanese)
    for row in rows:
        for cell in row:
            assert unicodedata.normalize("NFC", cell) == cell, (row[0], cell)


def test_no_term_is_listed_in_two_rows_of_one_language() -> None:
    for index, language in enumerate(GLOSSARY_LANGUAGES, start=1):
        rows_of: dict[str, list[str]] = defaultdict(list)
        for row in _rows():
            for term in {term.strip().lower() for term in row[index].split("/")}:
                rows_of[term].append(row[0])
        repeated = {term: where for term, where in rows_of.items() if len(where) > 1}
        assert not repeated, (language, repeated)


@pytest.mark.parametrize(
    ("text", "language", "word"),
    [
        ("Where do I throw out large garbage?", "en", "粗大ごみ"),
        ("Tôi không trả được tiền thuê nhà", "vi", "家賃"),
        ("마이넘버카드를 잃어버렸어요", "ko", "マイナンバーカード"),
        ("Quero pedir o seikatsu hogo", "pt", "生活保護"),
        ("Tôi muốn gia hạn visa", "vi", "在留期間更新"),
        ("Tôi muốn rút nenkin", "vi", "脱退一時金"),
        ("मलाई जाइर्यु कार्ड हरायो", "ne", "在留カード"),
        ("Paano mag-apply ng daycare para sa anak ko?", "tl", "保育園"),
        ("Fui demitido e não recebi o salário", "pt", "給料未払い"),
        ("어린이집 입소 신청은 어떻게 하나요", "ko", "保育園入園"),
        ("What day is garbage collection day?", "en", "ごみの収集日"),
    ],
)
def test_the_glossary_names_the_japanese_word(text: str, language: str, word: str) -> None:
    assert word in glossary_words(text, language)


def test_the_glossary_finds_nothing_in_an_unrelated_message() -> None:
    assert glossary_words("zzqx vvvv", "en") == []


@pytest.mark.parametrize(("text", "language", "absent"), [
    ("My parent is in hospital", "en", "家賃"),  # "rent" inside "parent"
    ("What is my current address?", "en", "家賃"),
    ("Ano ang gagawin ko sa kaso ko?", "tl", "犬の登録"),  # Tagalog "aso" (dog) in "kaso"
])
def test_terms_are_found_as_whole_words_not_inside_other_words(text, language, absent):
    assert absent not in glossary_words(text, language)


@pytest.mark.parametrize(("text", "language", "word"), [
    ("Rents are so high", "en", "家賃"),  # a plural still matches
    ("ＲＥＮＴ", "en", "家賃"),  # full-width letters
    ("I lost my driver’s license", "en", "運転免許"),  # a curly apostrophe
    ("주민표를 받고 싶어요", "ko", "住民票"),  # Korean particles attach: searched as text
])
def test_plurals_width_apostrophes_and_attached_particles_still_match(text, language, word):
    assert word in glossary_words(text, language)


@pytest.mark.parametrize(("text", "language", "word"), [
    ("tro cap nuoi con", "vi", "児童扶養手当"),  # Vietnamese typed without accents
    ("Toi muon gia han visa", "vi", "在留期間更新"),
    ("doi dia chi o dau", "vi", "住所変更"),  # đ typed as d
    ("Tôi muốn đổi dia chi", "vi", "住所変更"),  # accents on some words only
    ("bao hiêm y tê", "vi", "国民健康保険"),  # a circumflex kept, the tone dropped
    ("Quero pedir a pensao", "pt", "国民年金"),  # Portuguese ã typed as a
    ("Preciso do cartao de residencia", "pt", "在留カード"),
    ("Onde faço a renovacao do visto?", "pt", "在留期間更新"),
    ("renovação do visto", "pt", "在留期間更新"),
    ("naturalizacao", "pt", "帰化"),  # ç and ã typed as c and a
    ("Quiero la pension", "es", "国民年金"),  # Spanish ó typed as o
])
def test_accents_may_be_left_out_in_latin_script_languages(text, language, word):
    assert word in glossary_words(text, language)


@pytest.mark.parametrize(("text", "language", "absent"), [
    # a Vietnamese term of one syllable keeps its accents: "cong" is "công" (public) as often
    # as "cống" (sewer), "de" is "để" (in order to) as often as "đẻ" (give birth)
    ("cong ty cua toi khong tra luong", "vi", "下水道"),
    ("toi muon hoi de xin giay to", "vi", "出産"),
    # accents that are written must agree with the term's: "công" is not "cống"
    ("công ty của tôi", "vi", "下水道"),
])
def test_accents_that_would_make_another_word_are_not_dropped(text, language, absent):
    assert absent not in glossary_words(text, language)


def test_a_one_syllable_vietnamese_term_still_matches_with_its_accents() -> None:
    assert "下水道" in glossary_words("cống bị tắc", "vi")


@pytest.mark.parametrize(("text", "word"), [
    ("बिमा गर्नुपर्छ?", "保険"),  # short i for the glossary's बीमा
    ("विपद आयो", "災害"),  # no final virama (विपद्)
    ("फोहर कहिले फाल्ने", "ごみ"),
])
def test_nepali_spelling_variants_match(text: str, word: str) -> None:
    assert word in glossary_words(text, "ne")


def test_no_two_rows_share_a_term_once_accents_and_spellings_are_folded() -> None:
    from helpbot.matching.accents import nepali_spelling, plain

    for index, language in enumerate(GLOSSARY_LANGUAGES, start=1):
        fold = nepali_spelling if language == "ne" else plain
        rows_of: dict[str, set[str]] = defaultdict(set)
        for row in _rows():
            for term in row[index].split("/"):
                rows_of[fold(term.strip().lower())].add(row[0])
        repeated = {term: where for term, where in rows_of.items() if len(where) > 1}
        assert not repeated, (language, repeated)


@pytest.mark.parametrize(("word", "expected"), [
    ("itatapon", "tapon"), ("nagtapon", "tapon"), ("tinapon", "tapon"),  # i-, nag-, -in-
    ("lumipat", "lipat"), ("lilipat", "lipat"),  # -um-, a repeated syllable
    ("nagtatrabaho", "trabaho"), ("magpapabakuna", "bakuna"), ("bakunahan", "bakuna"),
    ("anak", "anak"), ("basura", "basura"),  # short words and words with no affix stay
])
def test_tagalog_roots(word: str, expected: str) -> None:
    from helpbot.matching.tagalog import root

    assert root(word) == expected


@pytest.mark.parametrize(("text", "word"), [
    ("Kailan ko itatapon ang basura?", "ごみ"),
    ("Lilipat kami sa Osaka next month", "引越し"),
    ("Gusto kong magpabakuna ang anak ko", "予防接種"),
])
def test_tagalog_verb_forms_match_the_glossary_verb(text: str, word: str) -> None:
    assert word in glossary_words(text, "tl")


def test_a_tagalog_root_that_is_another_word_is_not_matched() -> None:
    # "manganak" (give birth) without its prefix would be "anak" (child)
    assert "出産" not in glossary_words("Gusto kong magpabakuna ang anak ko", "tl")
