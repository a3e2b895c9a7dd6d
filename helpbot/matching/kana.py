"""Reading a message written in kana alone back into the knowledge base's own words.

Sudachi cannot split a long run of hiragana reliably (こせきとうほんの… comes out as せき), and
the sentence encoder knows little of kana-only Japanese. But every content word of every entry
has a reading, so the knowledge base itself is the dictionary: 「いりょうひ」 holds いりょう, the
reading of 医療 in the entries, and ひ, that of 費.

:class:`KanaLexicon` maps the readings of the entries' content words to their dictionary forms
(and Sudachi synonym groups). A kana message is searched for those readings, longest first and
without overlap; a reading of four kana or more also matches with one slip (a dropped, doubled
or swapped kana), by symmetric deletion: the lexicon also holds every reading with one kana
deleted, and each window of the message is looked up with one kana deleted too, which covers a
dropped, an added and a swapped kana. :meth:`KanaLexicon.read` returns the words found and the
message with those spans written in the entries' spelling, which the sentence encoder can
read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_MIN_EXACT = 2  # kana; a 1-kana reading (ひ, て) is everywhere
_MIN_FUZZY = 4  # a slip is only forgiven in readings this long
_MAX_READING = 16


@dataclass(frozen=True, slots=True)
class KanaReading:
    words: list[str]  # dictionary forms of the entries' words found in the message
    synonyms: list[str]  # their synonym-group terms
    text: str  # the message with the spans found spelt as in the entries


def _deletions(text: str) -> set[str]:
    return {text[:i] + text[i + 1 :] for i in range(len(text))}


_KANA_ONLY = re.compile(r"[\u3041-\u309fー]+")


class KanaLexicon:
    """Readings of the knowledge base's content words, exact and with one slip."""

    def __init__(self, entries: Iterable[tuple[str, str, tuple[str, ...], str]]) -> None:
        """``entries``: (hiragana reading, dictionary form, synonym terms, surface) of the
        entries' content words."""
        # a reading shared by several words (こうせい: 厚生, 構成) names the most frequent one
        counts = Counter(entries)
        exact: dict[str, tuple[str, tuple[str, ...], str]] = {}
        for (reading, word, groups, surface), _ in counts.most_common():
            if (
                reading not in exact
                and _MIN_EXACT <= len(reading) <= _MAX_READING
                and _KANA_ONLY.fullmatch(reading)
            ):
                exact[reading] = (word, groups, surface)
        fuzzy: dict[str, str] = {}
        for reading in exact:
            if len(reading) >= _MIN_FUZZY:
                for deleted in _deletions(reading):
                    fuzzy.setdefault(deleted, reading)
        self._exact = exact
        self._fuzzy = fuzzy
        self._lengths = sorted({len(r) for r in exact}, reverse=True)
        # one slip leaves the first two or the last two kana of a reading of four or more in
        # place, or (a swap inside a 4-kana reading) its first and last: windows with none of
        # these are not looked up
        self._ends: dict[int, tuple[set[str], set[str], set[str]]] = {}
        for reading in exact:
            heads, tails, outer = self._ends.setdefault(len(reading), (set(), set(), set()))
            heads.add(reading[:2])
            tails.add(reading[-2:])
            outer.add(reading[0] + reading[-1])

    def __len__(self) -> int:
        return len(self._exact)

    def _fuzzy_match(self, window: str) -> str | None:
        """A lexicon reading of four kana or more one slip away from ``window``."""
        found = self._fuzzy.get(window)  # a kana of the reading was dropped
        if found is not None:
            return found
        for deleted in _deletions(window):
            if len(deleted) >= _MIN_FUZZY and deleted in self._exact:
                return deleted  # a kana was doubled or added
            found = self._fuzzy.get(deleted)  # two kana swapped
            if found is not None and len(found) == len(window) and sorted(found) == sorted(window):
                return found
        return None

    def read(self, text: str) -> KanaReading:
        """The entries' words spelt out in ``text`` (kana), longest first, not overlapping."""
        taken = [False] * len(text)
        spans: list[tuple[int, int, str]] = []  # (start, end, reading)

        def claim(start: int, end: int, reading: str) -> None:
            spans.append((start, end, reading))
            for i in range(start, end):
                taken[i] = True

        for length in self._lengths:
            for start in range(len(text) - length + 1):
                window = text[start : start + length]
                if window in self._exact and not any(taken[start : start + length]):
                    claim(start, start + length, window)
            if length < _MIN_FUZZY:
                continue
            heads, tails, outer = self._ends[length]
            for size in (length + 1, length, length - 1):
                for start in range(len(text) - size + 1):
                    window = text[start : start + size]
                    if (
                        window[:2] not in heads
                        and window[-2:] not in tails
                        and (size != length or window[0] + window[-1] not in outer)
                    ):
                        continue
                    if any(taken[start : start + size]):
                        continue
                    reading = self._fuzzy_match(window)
                    if reading is not None and len(reading) == length:
                        claim(start, start + size, reading)
        spans.sort()
        words: list[str] = []
        synonyms: list[str] = []
        pieces: list[str] = []
        cursor = 0
        for start, end, reading in spans:
            word, groups, surface = self._exact[reading]
            words.extend(word.split(" "))
            synonyms.extend(groups)
            pieces.append(text[cursor:start])
            pieces.append(surface)
            cursor = end
        pieces.append(text[cursor:])
        return KanaReading(words=words, synonyms=synonyms, text="".join(pieces))
