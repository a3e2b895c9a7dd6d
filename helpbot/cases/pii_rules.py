"""The patterns behind masking, on NFKC-folded text (see ``cases/masking.py``).

Each pattern matches only the personal data (named group where the match carries context),
never the words around it: 「0120-279-338（24時間）」 stops before the parenthesis.
"""

from __future__ import annotations

import re

# Patterns start only where a run starts, with bounded parts: long input stays linear.
EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+"
)

# A number: digit groups joined by one separator each, or 03(1234)5678, or (03)1234-5678.
_SEP = r"[-‐‑–—−ー .]"
NUMBER = re.compile(
    r"(?<![\dA-Za-z])(?:\+\d{1,3}[ -]?)?(?:\(\d{1,5}\)[ -]?)?\d+"
    rf"(?:{_SEP}\d+|\(\d{{1,5}}\)\d+)*(?!\d)"
)

_PREFECTURES = (
    "北海道|東京都|京都府|大阪府|青森県|岩手県|宮城県|秋田県|山形県|福島県|茨城県|栃木県|群馬県|"
    "埼玉県|千葉県|神奈川県|新潟県|富山県|石川県|福井県|山梨県|長野県|岐阜県|静岡県|愛知県|三重県|"
    "滋賀県|兵庫県|奈良県|和歌山県|鳥取県|島根県|岡山県|広島県|山口県|徳島県|香川県|愛媛県|高知県|"
    "福岡県|佐賀県|長崎県|熊本県|大分県|宮崎県|鹿児島県|沖縄県"
)
# Character ranges for regular-expression classes (cases/names.py uses them too).
KANJI = r"\u4e00-\u9fff\u3005"
KATAKANA = r"\u30a1-\u30fa\u30fc"
HIRAGANA = r"\u3041-\u3096"
_BLOCK = r"(?:\d+|[一二三四五六七八九十]+)"
# Prefecture (optional), a city/ward/town/village whose name starts with kanji or katakana,
# the district, then block numbers (2丁目8番1号, 2-8-1).
ADDRESS = re.compile(
    rf"(?P<place>(?:{_PREFECTURES})?(?:[{KANJI}{KATAKANA}]{{1,8}}?|さいたま|つくば|ひたちなか)"
    rf"(?:市|区|町|村|郡)[{KANJI}{KATAKANA}{HIRAGANA}]{{0,12}}?"
    rf"{_BLOCK}(?:丁目|番地|番|号|-\d+)(?:{_BLOCK}(?:丁目|番地|番|号)|-\d+)*)"
)

# Where an address can end: a block number. The address pattern runs only in a window around
# each (an address starts at most ~30 characters before it), which keeps long text fast.
ADDRESS_ANCHOR = re.compile(r"(?:\d{1,6}|[一二三四五六七八九十]{1,4})(?:丁目|番地|番|号|-\d)")
ADDRESS_REACH = 40

_DATE = (
    r"(?:(?:19|20)\d{2}\s?[年/.-]\s?\d{1,2}\s?[月/.-]\s?\d{1,2}日?"
    r"|(?:昭和|平成|令和|[SHR])\s?(?:\d{1,2}|元)\s?[年./-]\s?\d{1,2}\s?[月./-]\s?\d{1,2}日?"
    r"|\d{1,2}/\d{1,2}/(?:19|20)\d{2})"
)
BIRTHDATE_BEFORE = re.compile(
    r"(?:生年月日|誕生日|たんじょうび|date of birth|birthday|DOB|born(?: on)?)"
    rf"\s?(?:は|が|:|：|is)?\s?(?P<date>{_DATE}|\d{{1,2}}\s?月\s?\d{{1,2}}\s?日)",
    re.IGNORECASE,
)
BIRTHDATE_AFTER = re.compile(rf"(?P<date>{_DATE})\s?(?:生まれ|うまれ|に生まれ)")

_NAME_CHARS = rf"[{KANJI}{KATAKANA}{HIRAGANA}A-Za-z]"
NAME_AFTER_LABEL = re.compile(
    rf"(?:名前|なまえ|氏名|お名前)\s?(?:は|が|:|：)\s?"
    rf"(?P<name>{_NAME_CHARS}+?(?:[ 　・]{_NAME_CHARS}+?)??)"
    r"\s?(?=です|でした|だよ|だ[。、!]|といいます|と言います|と申します|[、。,.!！]|$)"
)
# 「名前は言いたくないです」: not a name.
NOT_A_NAME = re.compile(r"ない|秘密|ひみつ|内緒|ないしょ|わから|分から|まだ")
NAME_BEFORE_MOSHIMASU = re.compile(  # bounded parts: a long kanji run stays fast
    rf"(?P<name>[{KANJI}{KATAKANA}A-Za-z]{{1,12}}(?:[ 　・][{KANJI}{KATAKANA}A-Za-z]{{1,12}})?)"
    r"\s?(?:と申します|と申す|といいます|と言います)"
)

GENERIC_NUMBER = "[番号]"
_ACCOUNT_WORDS = re.compile(r"口座|普通|当座|account|acct", re.IGNORECASE)


def my_number_is_valid(digits: str) -> bool:
    """The check digit of a 12-digit My Number (個人番号), as the ministry defines it."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    body = [int(d) for d in digits[:11]]
    total = 0
    for n in range(1, 12):
        weight = n + 1 if n <= 6 else n - 5
        total += body[11 - n] * weight
    remainder = total % 11
    check = 0 if remainder <= 1 else 11 - remainder
    return check == int(digits[11])


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def classify_number(raw: str, digits: str, *, before: str) -> str | None:
    """The label for a number found in the text, or None for an ordinary number (5万円)."""
    count = len(digits)
    rules = (
        (raw.startswith("+") and count >= 8, "[電話番号]"),
        (
            re.fullmatch(r"\d{3}-\d{4}", raw) is not None
            or (count == 7 and before.rstrip().endswith("〒")),
            "[郵便番号]",
        ),
        (count == 12 and my_number_is_valid(digits), "[マイナンバー]"),
        (13 <= count <= 19 and luhn_is_valid(digits), "[カード番号]"),
        (digits.startswith("0") and count in (10, 11), "[電話番号]"),
        (6 <= count <= 8 and _ACCOUNT_WORDS.search(before) is not None, "[口座番号]"),
        (count >= 10, GENERIC_NUMBER),
    )
    return next((label for applies, label in rules if applies), None)
