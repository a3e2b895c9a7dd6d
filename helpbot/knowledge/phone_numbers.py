"""Phone numbers as staff type them: full-width digits and dashes made plain, and the shape
of a number people can dial in Japan.

A number typed with an IME often carries a full-width digit (``0120-27９-338``) or a long
vowel mark for a hyphen (``0120ー279ー338``); sent as is, a phone may not dial it. Where
helpbot reads a number it is made plain (NFKC, dashes to ``-``) before it is checked.
"""

from __future__ import annotations

import re
import unicodedata

# A national number as people dial it: 110, #8008, 189, 0120-279-338, 0570-783-556, 03-5774-0992.
PHONE_NUMBER = re.compile(r"^(?:\d{3}|#\d{4}|0\d{1,4}-\d{1,4}-\d{3,5})$", re.ASCII)
# Also with fewer hyphens (0570-078374, 0312345678): 0, then 9 or 10 more digits, 3 groups at most.
_TEN_OR_ELEVEN = re.compile(r"^0\d*(?:-\d+){0,2}$", re.ASCII)
# Dashes an IME may put between the digits: hyphens, minus, long vowel marks.
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−ー－﹣", "-"))
# The number at the start of a text such as 0120-000-123（ひだまり相談ネット）.
_LEADING_NUMBER = re.compile(r"^[\s\d#＃‐‑‒–—―−ー－﹣-]*\d")


def plain_number(text: str) -> str:
    """``0120-27９-338`` -> ``0120-279-338``; ``＃８００８`` -> ``#8008``."""
    return unicodedata.normalize("NFKC", text).translate(_DASHES).strip()


def plain_leading_number(text: str) -> str:
    """The text with only its leading number made plain, the words after it as written."""
    match = _LEADING_NUMBER.match(text)
    if match is None:
        return text.strip()
    return (plain_number(match.group()) + text[match.end():]).strip()


def is_phone_number(number: str) -> bool:
    """Whether a plain number has the shape of one people can dial in Japan."""
    if PHONE_NUMBER.match(number):
        return True
    return bool(_TEN_OR_ELEVEN.match(number)) and len(number.replace("-", "")) in (10, 11)


def leading_number(text: str) -> str | None:
    """The number a contact text starts with (``0120-000-123（…）`` -> ``0120-000-123``)."""
    match = _LEADING_NUMBER.match(text)
    return match.group().strip() if match else None
