"""The typo layer of crisis detection: a long reading found with one slip in a short message.

Expressions of ``TYPO_MIN`` kana or more also match with one slip (a dropped, doubled or
wrong character) in the message's reading; see ``crisis/lexicon.py`` for the other layers.

A slip is only assumed where the message does not read fine as it is: 「どうしたらいい」 is one
slip from 「死ねたらいい」 (しねたらいい), but its part that would hold the slip, したらいい, is
written in ordinary messages (the everyday messages shipped with helpbot, ``not_crisis``), so
it is what the person meant. A real slip (しねたらいぃ, ころしてやりたぃ) makes a reading that
ordinary text does not have.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable

TYPO_MIN = 6
TYPO_SCORE = 90.0
TYPO_MAX_MESSAGE = 20  # kana


class TypoIndex:
    """The readings long enough to be looked for with a slip, indexed by their kana pairs."""

    def __init__(
        self,
        readings: dict[str, tuple[str, str]],
        ordinary: Callable[[], Iterable[str]] = tuple,
        reading: Callable[[str], str] = str,
    ) -> None:
        """``readings``: reading -> (category, expression as staff wrote it); ``ordinary``:
        messages that are no sign of danger, read with ``reading`` the first time a slip is
        found (about a second for the shipped everyday messages), not at start."""
        self._typo_keys = {k: v for k, v in readings.items() if len(k) >= TYPO_MIN}
        self._typo_pairs = _pair_index(self._typo_keys)
        # How many distinct pairs each key has, counted once here rather than per message.
        self._typo_needed = {k: len(set(_pairs(k))) - 3 for k in self._typo_keys}
        self._ordinary_texts, self._reading = ordinary, reading
        self._ordinary: str | None = None
        self._lock = threading.Lock()

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
        if found is None:
            return None
        key = found[0]
        if len(reading) > len(key):  # the part of the message that would hold the slip
            where = fuzz.partial_ratio_alignment(reading, key)
            reading = reading[where.src_start:where.src_end]
        return None if reading in self._ordinary_readings() else self._typo_keys[key]

    def read_ordinary(self) -> None:
        """Read the ordinary messages now (a worker at start), not on the first slip found."""
        self._ordinary_readings()

    def _ordinary_readings(self) -> str:
        with self._lock:
            if self._ordinary is None:
                self._ordinary = "|".join(self._reading(t) for t in self._ordinary_texts())
            return self._ordinary


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
