"""Crisis triage and requests for a human, matched robustly on normalised text.

Policy (people in danger come first): a false alarm costs a case worker a minute, a miss may
cost a life. So every expression in ``crisis.yaml`` fires wherever it appears, also inside
longer sentences and with small typos; only phrases listed under ``not_crisis`` (clearly
happy hyperbole such as 「死ぬほどおいしい」) are taken out first. 「死ぬほど疲れた」 fires.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from helpbot.knowledge.policies import CrisisRules

# Expressions this long (after normalisation) also match with a small typo.
FUZZY_MIN_LENGTH = 5
FUZZY_THRESHOLD = 85.0

_SMALL_KANA = str.maketrans("ぁぃぅぇぉっゃゅょゎ", "あいうえおつやゆよわ")
_NOISE = re.compile(r"[\s、。,.!?！？…‥・「」『』()（）〜~ー\-_*#＃'\"]+")
_REPEATS = re.compile(r"(.)\1{2,}")


def fold(text: str) -> str:
    """NFKC, lower case, katakana to hiragana, small kana to large, no spaces or marks."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)
    text = text.translate(_SMALL_KANA)
    text = _NOISE.sub("", text)
    return _REPEATS.sub(r"\1\1", text)


@dataclass(frozen=True, slots=True)
class CrisisHit:
    category: str
    expression: str


class CrisisDetector:
    """Finds danger expressions from ``crisis.yaml`` in a message."""

    def __init__(self, rules: CrisisRules) -> None:
        self._not_crisis = sorted(
            (fold(p) for p in rules.not_crisis if fold(p)), key=len, reverse=True
        )
        self._expressions = [
            (category.name, expression, fold(expression))
            for category in rules.categories
            for expression in category.expressions
            if fold(expression)
        ]

    def detect(self, text: str) -> CrisisHit | None:
        folded = fold(text)
        for harmless in self._not_crisis:
            folded = folded.replace(harmless, "|")
        for category, expression, key in self._expressions:
            if key in folded:
                return CrisisHit(category=category, expression=expression)
        for category, expression, key in self._expressions:
            if len(key) >= FUZZY_MIN_LENGTH and fuzz.partial_ratio(key, folded) >= FUZZY_THRESHOLD:
                return CrisisHit(category=category, expression=expression)
        return None


def asks_for_human(text: str, phrases: tuple[str, ...]) -> bool:
    """True when the message asks for a person, in any of the staff-listed phrasings."""
    folded = fold(text)
    return any(fold(phrase) and fold(phrase) in folded for phrase in phrases)
