"""Opening hours as staff write them, one reader for every file (staff.yaml's ``hours:``,
crisis.yaml's hotline ``hours``), so a form accepted in one file is accepted in the other.

``"10:00-22:00"``, ``"9:00〜18:00"``, ``"９：００～１８：００"`` (full-width, as a Japanese
keyboard types it), ``"9時-18時"``, ``"10-24"``. Which weekday a key names (``mon``, ``月``,
``月曜日``) is read here too, and which days are Japan's public holidays (``jpholiday``,
loaded on first use: 祝日, 振替休日, 国民の休日).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from helpbot.knowledge.entries import Problem
from helpbot.knowledge.yaml_files import LineDict, key_line

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS_JA = "月火水木金土日"  # the same days, as Japanese writes them (月曜日, （火）)

_TIME = r"(\d{1,2})(?:(?::|時)(\d{2})?分?)?"
# NFKC turns ～ (full-width tilde) into ~ and － into -; 〜 (wave dash), dashes, the long-vowel
# mark and から are what Japanese keyboards and habits give for "until".
_RANGE = re.compile(rf"^{_TIME}\s*(?:[-~〜–—―‐−ー]|から)\s*{_TIME}(?:まで)?$")


def parse_hours(value: str) -> tuple[dt.time, dt.time] | None:
    """``"10:00-22:00"`` -> (10:00, 22:00); ``"22:00-06:00"``, ``"10-24"`` and ``"0:00-24:00"``
    (the whole day) are read too: a closing time of 24 is 00:00. None when it is not written
    that way, or is empty (10-10)."""
    text = unicodedata.normalize("NFKC", value).strip()  # ８：３０～ -> 8:30~
    match = _RANGE.match(text)
    if match is None:
        return None
    h1, m1, h2, m2 = (int(g or 0) for g in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
        return None
    opens, closes = dt.time(h1, m1), dt.time(h2 % 24, m2)
    return None if opens == closes and (h1, h2) != (0, 24) else (opens, closes)


def weekday(word: object) -> int | None:
    """0 for ``mon``/``Monday``/``月``/``月曜日``/``（月）``, … 6 for Sunday; None otherwise."""
    text = unicodedata.normalize("NFKC", str(word)).strip().strip("()").lower()
    if text[:3] in WEEKDAYS:
        return WEEKDAYS.index(text[:3])
    if text and text[0] in WEEKDAYS_JA and text[1:] in ("", "曜", "曜日"):
        return WEEKDAYS_JA.index(text[0])
    return None


def read_public_holidays(data: LineDict, file: str, problems: list[Problem], *,
                         hotline: str | None = None) -> bool | None:
    """``public_holidays:`` (staff.yaml, or a ``hotline`` of crisis.yaml): True for ``closed``
    (休み), False for ``open`` (営業), None when not written; anything else is a problem with
    file and line (and None)."""
    raw = data.get("public_holidays")
    if raw is None:
        return None
    word = unicodedata.normalize("NFKC", str(raw)).strip().lower()
    if word in ("closed", "休み", "お休み"):
        return True
    if word in ("open", "営業", "開く", "あいている", "開いている"):
        return False
    message = (f"cannot read public_holidays {raw!r}" if hotline is None else
               f"hotline '{hotline}' has public_holidays that cannot be read: {raw!r}")
    problems.append(Problem(file, key_line(data, "public_holidays"), message,
                            "write closed (休み) or open (営業)"))
    return None


@lru_cache(maxsize=512)
def public_holiday(day: dt.date) -> bool:
    """Whether ``day`` is a public holiday in Japan (祝日, 振替休日 and 国民の休日)."""
    import jpholiday  # lazily: only a process that checks opening hours needs the calendar

    return bool(jpholiday.is_holiday(day))


def year_end(day: dt.date) -> bool:
    """December 29 to January 3, when public offices and their lines close (年末年始)."""
    return (day.month, day.day) >= (12, 29) or (day.month, day.day) <= (1, 3)
