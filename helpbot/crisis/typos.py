"""The typo layer of crisis detection: a long reading found with one slip in a short message.

Expressions of ``TYPO_MIN`` kana or more also match with one slip (a dropped, doubled or
wrong character) in the message's reading; see ``crisis/lexicon.py`` for the other layers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

TYPO_MIN = 6
TYPO_SCORE = 90.0
TYPO_MAX_MESSAGE = 20  # kana


class TypoIndex:
    """The readings long enough to be looked for with a slip, indexed by their kana pairs."""

    def __init__(self, readings: dict[str, tuple[str, str]]) -> None:
        """``readings``: reading -> (category, expression as staff wrote it)."""
        self._typo_keys = {k: v for k, v in readings.items() if len(k) >= TYPO_MIN}
        self._typo_pairs = _pair_index(self._typo_keys)
        # How many distinct pairs each key has, counted once here rather than per message.
        self._typo_needed = {k: len(set(_pairs(k))) - 3 for k in self._typo_keys}

    def find(self, reading: str) -> tuple[str, str] | None:
        """The (category, expression) ``reading`` holds with at most one slip, if any."""
        # Slips matter in short messages, where nothing else gives the danger away; in a
        # long one the comparison costs milliseconds and other words carry the signal.
        if not TYPO_MIN <= len(reading) <= TYPO_MAX_MESSAGE or not self._typo_keys:
            return None
        shared: Counter[str] = Counter()
        for pair in set(_pairs(reading)):
            shared.update(self._typo_pairs.get(pair, ()))
        needed = self._typo_needed
        # One slip drops at most one character: a key longer than that is not in the message
        # (partial_ratio would also find a short message inside a long key).
        longest = len(reading) + 1
        candidates = [k for k, n in shared.items() if n >= needed[k] and len(k) <= longest]
        if not candidates:
            return None
        from rapidfuzz import fuzz, process

        found = process.extractOne(
            reading, candidates, scorer=fuzz.partial_ratio, score_cutoff=TYPO_SCORE
        )
        if found is not None:
            return self._typo_keys[found[0]]
        return None


def _pair_index(keys: Iterable[str]) -> dict[str, list[str]]:
    """Kana pairs -> keys: a slip spoils two or three of a key's pairs, so only keys with all
    but three of their pairs in the message are compared character by character."""
    index: dict[str, list[str]] = {}
    for key in keys:
        for pair in set(_pairs(key)):
            index.setdefault(pair, []).append(key)
    return index


def _pairs(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)]
