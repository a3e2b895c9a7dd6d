"""Reading a message written in kana alone back into the knowledge base's own words.

Sudachi cannot split a long run of hiragana reliably (こせきとうほんの… comes out as せき), and
the sentence encoder knows little of kana-only Japanese. But every content word of every entry
has a reading, so the knowledge base itself is the dictionary: 「いりょうひ」 holds いりょう, the
reading of 医療 in the entries, and ひ, that of 費.

:class:`KanaLexicon` maps the readings of the entries' content words to their dictionary forms
(and Sudachi synonym groups), and knows the readings of their particles and endings (ます, か,
でしょう, ください), which name no word. A kana message is split into those readings by dynamic
programming, as a kana-kanji converter does: the most probable split, each reading as likely as
its share of all the readings in the entries, so that ますか is read as ます+か and not as 桝
(ます, a word of one entry) and のでしょうか not as ので+消火 (しょうか). A reading of four kana
or more also matches with one slip (a dropped, doubled or swapped kana), as if 1,000 times
rarer, by symmetric deletion: the lexicon also holds every reading with one kana deleted, and
each window of the message is looked up with one kana deleted too, which covers a dropped, an
added and a swapped kana. :meth:`KanaLexicon.read` returns the words found and the message with
those spans written in the entries' spelling, which Sudachi splits again and the sentence
encoder can read.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_MIN_EXACT = 2  # kana; a 1-kana word (ひ, て) is everywhere (particles may have one: の, か)
_MIN_FUZZY = 4  # a slip is only forgiven in readings this long
_MAX_READING = 16
# the split of a message is the most probable one with each reading as likely as its share of
# the entries' readings; a kana in no reading counts as half an occurrence, a slip as 1/1000
_UNKNOWN_COUNT = 0.5
_SLIP_LOG_P = math.log(1e-3)


@dataclass(frozen=True, slots=True)
class KanaReading:
    words: list[str]  # dictionary forms of the entries' words found in the message
    synonyms: list[str]  # their synonym-group terms
    text: str  # the message with the spans found spelt as in the entries


def _deletions(text: str) -> list[str]:
    """``text`` with one character left out, each once, in the order of the place left out
    (a list, not a set: the first one found decides a slip, the same in every process)."""
    return list(dict.fromkeys(text[:i] + text[i + 1 :] for i in range(len(text))))


_KANA_ONLY = re.compile(r"[\u3041-\u309fー]+")
# Kanji (and 々) and kana (hiragana, katakana, half-width katakana), for telling a message
# written in kana alone; one definition for matching and the crisis detector.
KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々]")
KANA = re.compile(r"[\u3041-\u30ff\uff66-\uff9f]")


def has_kanji(text: str) -> bool:
    return KANJI.search(text) is not None


def kana_only(text: str) -> bool:
    """Written in kana, without a single kanji (「おっとに たたかれた」, 「ｼﾆﾀｲ」)."""
    return KANA.search(text) is not None and KANJI.search(text) is None


class KanaLexicon:
    """Readings of the knowledge base's words, exact and with one slip."""

    def __init__(self, entries: Iterable[tuple[str, str, tuple[str, ...], str]]) -> None:
        """``entries``: (hiragana reading, dictionary form, synonym terms, surface) of the
        entries' words; an empty dictionary form for particles and endings."""
        # a reading shared by several words (こうせい: 厚生, 構成) names the most frequent one
        counts = Counter(entries)
        exact: dict[str, tuple[str, tuple[str, ...], str]] = {}
        totals: Counter[str] = Counter()
        for (reading, *_), count in counts.items():
            totals[reading] += count
        for (reading, word, groups, surface), _ in counts.most_common():
            if (
                reading not in exact
                and (_MIN_EXACT if word else 1) <= len(reading) <= _MAX_READING
                and _KANA_ONLY.fullmatch(reading)
            ):
                exact[reading] = (word, groups, surface)
        fuzzy: dict[str, str] = {}
        for reading in exact:
            if len(reading) >= _MIN_FUZZY:
                for deleted in _deletions(reading):
                    fuzzy.setdefault(deleted, reading)
        self._exact = exact
        n_all = sum(totals[r] for r in exact) or 1
        self._log_p = {r: math.log(totals[r] / n_all) for r in exact}
        self._unknown_log_p = math.log(_UNKNOWN_COUNT / n_all)
        self._fuzzy = fuzzy
        self._lengths = sorted({len(r) for r in exact}, reverse=True)
        # one slip leaves the first two or the last two kana of a reading of four or more in
        # place, or (a swap inside a 4-kana reading) its first and last: windows with none of
        # these are not looked up. Per window size: a window one longer (a doubled kana),
        # as long (a swap) or one shorter (a dropped kana) than the reading.
        self._ends: dict[int, tuple[set[str], set[str], set[str]]] = {}
        for reading in exact:
            if len(reading) < _MIN_FUZZY:
                continue
            for size in (len(reading) - 1, len(reading), len(reading) + 1):
                heads, tails, outer = self._ends.setdefault(size, (set(), set(), set()))
                heads.add(reading[:2])
                tails.add(reading[-2:])
                if size == len(reading):
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

    def _steps(self, text: str, start: int) -> Iterator[tuple[int, float, str]]:
        """Readings that can begin at ``start``: (end, score, reading), exact or with a slip."""
        exact = self._exact
        for length in self._lengths:
            window = text[start : start + length]
            if len(window) == length and window in exact:
                yield start + length, self._log_p[window], window
        for size, (heads, tails, outer) in self._ends.items():
            window = text[start : start + size]
            if len(window) != size or (
                window[:2] not in heads
                and window[-2:] not in tails
                and window[0] + window[-1] not in outer
            ):
                continue
            reading = self._fuzzy_match(window)
            if reading is not None:
                yield start + size, self._log_p[reading] + _SLIP_LOG_P, reading

    def read(self, text: str) -> KanaReading:
        """``text`` split into known readings (the entries' words, particles and endings):
        the most probable split, by dynamic programming over the end of each piece."""
        n = len(text)
        best = [0.0] + [-1e9] * n
        back: list[tuple[int, str]] = [(0, "")] * (n + 1)  # (start, reading or "")
        for start in range(n):
            base = best[start]
            if base + self._unknown_log_p > best[start + 1]:
                best[start + 1], back[start + 1] = base + self._unknown_log_p, (start, "")
            for end, score, reading in self._steps(text, start):
                if base + score > best[end]:
                    best[end], back[end] = base + score, (start, reading)
        spans: list[tuple[int, int, str]] = []
        end = n
        while end > 0:
            start, reading = back[end]
            if reading and self._exact[reading][0]:  # a particle or ending names no word
                spans.append((start, end, reading))
            end = start
        spans.reverse()
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
