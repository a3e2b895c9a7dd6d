"""Masking before Slack and the logs: personal data out, public numbers and the text around kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpbot.cases.masking import (
    KnowledgeMasker,
    mask_personal_data,
    public_numbers,
    texts_the_npo_publishes,
)
from helpbot.cases.pii_rules import luhn_is_valid, my_number_is_valid
from helpbot.knowledge.loader import load_dir

FAQ = Path(__file__).resolve().parent.parent / "faq"


@pytest.fixture(scope="module")
def faq_masker() -> KnowledgeMasker:
    kb, problems = load_dir(FAQ)
    assert not problems
    return KnowledgeMasker(lambda: kb)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("電話は090-1234-5678です", "電話は[電話番号]です"),
        ("でんわ 03 1234 5678 まで", "でんわ [電話番号] まで"),
        ("電話 03(1234)5678 です", "電話 [電話番号] です"),
        ("+81 90 1234 5678", "[電話番号]"),
        ("０９０－１２３４－５６７８に電話して", "[電話番号]に電話して"),
        ("090ー1234ー5678", "[電話番号]"),
        ("090-1234-5678 3日前から", "[電話番号] 3日前から"),
        ("mail: taro.yamada+npo@example.co.jp", "mail: [メール]"),
        ("連絡はtaro@example.comまで", "連絡は[メール]まで"),
        ("〒123-4567 に住んでます", "〒[郵便番号] に住んでます"),
        ("東京都新宿区西新宿2丁目8番1号です", "[住所]です"),
        ("大阪市北区梅田1-2-3", "[住所]"),
        ("わたしは新宿区西新宿2-8-1に住んでいます", "わたしは[住所]に住んでいます"),
        ("住所は東京都新宿区西新宿２－８－１です", "住所は[住所]です"),
        ("マイナンバーは123456789018です", "マイナンバーは[マイナンバー]です"),
        ("1234 5678 9018", "[マイナンバー]"),
        ("カード 4111 1111 1111 1111 です", "カード [カード番号] です"),
        ("4111-1111-1111-1111", "[カード番号]"),
        ("口座番号は1234567です", "口座番号は[口座番号]です"),
        ("普通 7654321", "普通 [口座番号]"),
        ("生年月日は1990年4月1日です", "生年月日は[生年月日]です"),
        ("誕生日：1985/12/03", "誕生日：[生年月日]"),
        ("平成2年4月1日生まれです", "[生年月日]生まれです"),
        ("date of birth: 1990-04-01.", "date of birth: [生年月日]."),
        ("名前は山田花子です。", "名前は[名前]です。"),
        ("名前は山田 花子です", "名前は[名前]です"),
        ("なまえは　たろう　です", "なまえは　[名前]　です"),
        ("こんにちは、山田花子と申します。", "こんにちは、[名前]と申します。"),
        ("はじめまして田中といいます", "はじめまして[名前]といいます"),
        ("my name is Taro Yamada, hello", "my name is [名前], hello"),
        ("誕生日は4月1日です", "誕生日は[生年月日]です"),
    ],
)
def test_personal_data_is_masked_and_the_rest_kept(text: str, expected: str) -> None:
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "3日食べていません。子どもが2人います。家賃は5万円です",
        "2026-12-29に行きます",
        "10:00-18:00に開いています",
        "12月3日に面談があります",  # a date without "birth" is not a birthdate
        "100,000円の借金",
        "名前は言いたくないです",
        "電話 0900-1800 の間",  # hours, not a phone number
        "192.168.0.1 につながらない",
    ],
)
def test_ordinary_text_and_numbers_stay(text: str) -> None:
    assert mask_personal_data(text) == text


def test_a_twelve_digit_my_number_is_not_a_phone_number() -> None:
    assert my_number_is_valid("123456789018")
    assert not my_number_is_valid("123456789012")
    assert mask_personal_data("番号は123456789018") == "番号は[マイナンバー]"
    # a wrong check digit: still masked as a long number, but not called My Number or a phone
    assert mask_personal_data("123456789012") == "[番号]"


def test_luhn() -> None:
    assert luhn_is_valid("4111111111111111")
    assert not luhn_is_valid("4111111111111112")
    # 16 digits that fail Luhn are still masked, as a number, not as a card
    assert mask_personal_data("4111111111111112") == "[番号]"


def test_the_hotline_line_stays_intact(faq_masker: KnowledgeMasker) -> None:
    line = "よりそいホットライン 0120-279-338（24時間・無料）"
    assert faq_masker(line) == line
    # without the NPO's list the number goes, but nothing around it does
    assert mask_personal_data(line) == "よりそいホットライン [電話番号]（24時間・無料）"


@pytest.mark.parametrize(
    "text",
    [
        "いのちの電話 0570-783-556 につながりません",
        "0120-000-123に電話したけど誰も出ない",  # the NPO's own number, from faq/staff.yaml
        "0120-0-78310 は何時まで？",
    ],
)
def test_public_numbers_from_faq_stay_visible(faq_masker: KnowledgeMasker, text: str) -> None:
    assert faq_masker(text) == text


def test_public_numbers_do_not_protect_a_personal_one(faq_masker: KnowledgeMasker) -> None:
    text = "0120-279-338 に電話しました。私の番号は090-1111-2222です"
    assert faq_masker(text) == "0120-279-338 に電話しました。私の番号は[電話番号]です"


def test_public_numbers_come_from_every_faq_source() -> None:
    kb, _ = load_dir(FAQ)
    numbers = public_numbers(texts_the_npo_publishes(kb))
    assert {"0120279338", "0570783556", "0120000123", "0120078310"} <= numbers


# Text that carries no personal data of its own: no digits, no @, no words that introduce a
# name or a birthdate, no kanji that end a city name.
_AROUND = st.text(
    alphabet=st.sampled_from(list("あいうえおかきくけこさしすせそたちつてはひふへほまみむめもやゆよらりるれろわを")
                             + list("、。！？（）「」 　ABCxyz時間無料相談です")),
    max_size=20,
)
_SECRETS = st.sampled_from(
    [
        ("090-1234-5678", "[電話番号]"),
        ("taro@example.com", "[メール]"),
        ("123456789018", "[マイナンバー]"),
        ("4111 1111 1111 1111", "[カード番号]"),
        ("+81 90 1234 5678", "[電話番号]"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(before=_AROUND, secret=_SECRETS, after=_AROUND)
def test_surrounding_text_is_never_eaten(before: str, secret: tuple[str, str], after: str) -> None:
    raw, label = secret
    sep_before = " " if before[-1:].isascii() and before[-1:].isalnum() else ""
    sep_after = " " if after[:1].isascii() and after[:1].isalnum() else ""
    text = before + sep_before + raw + sep_after + after
    # the label rules (random kana can spell a name: test_masking_names.py covers those)
    expected = before + sep_before + label + sep_after + after
    assert mask_personal_data(text, names=False) == expected


@settings(max_examples=300, deadline=None)
@given(text=_AROUND)
def test_text_without_personal_data_is_unchanged(text: str) -> None:
    assert mask_personal_data(text, names=False) == text

