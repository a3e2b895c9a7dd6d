"""Requests for a human, matched on the same folded text as the danger signs.

A phrase of staff.yaml's ``handoff_phrases`` is found anywhere in the message, with width,
case, spaces, marks and Latin accents ignored ("nói chuyện với nhân viên" = "noi chuyen voi
nhan vien"). A ``*`` in a phrase stands for a few words of any kind ("falar com * atendente":
"falar com um atendente", "falar com a atendente"), so one phrase covers the small words that
differ.

Crisis detection itself lives in :mod:`helpbot.crisis`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from helpbot.crisis.text import fold
from helpbot.matching.accents import plain

# What a ``*`` may stand for, in characters of the folded message (spaces are folded away).
GAP = 16


def _folded(text: str) -> str:
    # Burmese is often typed with the digit ၀ for the letter ဝ (၀န်ထမ်း, "staff"): one letter
    return plain(fold(text)).replace("\u1040", "\u101d")


@lru_cache(maxsize=8)
def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    alternatives = []
    for phrase in phrases:
        parts = [re.escape(_folded(part)) for part in phrase.split("*")]
        if any(parts):
            alternatives.append(f".{{0,{GAP}}}".join(p for p in parts if p))
    return re.compile("|".join(alternatives)) if alternatives else None


def asks_for_human(text: str, phrases: tuple[str, ...]) -> bool:
    """True when the message asks for a person, in any of the staff-listed phrasings."""
    pattern = _pattern(tuple(phrases))
    return pattern is not None and pattern.search(_folded(text)) is not None
