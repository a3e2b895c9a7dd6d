"""BM25 over character bigrams, coded as integers with numpy (no Python string per bigram).

Bigrams are taken inside each space-separated chunk of the normalised text (see
:func:`helpbot.matching.normalize.normalize`): folded width, case and kana, so typos and
unknown words still share most of their bigrams with the entry.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from helpbot.matching.bm25 import Postings
from helpbot.matching.normalize import (
    _BREAK_MARKER as BREAK_MARKER,
)
from helpbot.matching.normalize import (
    _KANA_OFFSET,
    _KATAKANA_END,
    _KATAKANA_START,
    _NOISE,
    _REPEATS,
    _SPACES,
    fold_marks,
    normalize,
)

_SPACE = ord(" ")
_SEPARATOR = " \0 "  # between texts in bigram_codes_many


def bigram_codes(text: str) -> np.ndarray:
    """int64 codes ``first << 21 | second`` of the bigrams of the normalised text.

    A chunk of one character counts as one "bigram" with itself, so 1-character words match.
    """
    folded = normalize(text)
    if not folded:
        return np.zeros(0, dtype=np.int64)
    chars = np.frombuffer(f" {folded} ".encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    first, second = chars[:-1], chars[1:]
    pairs = (first != _SPACE) & (second != _SPACE)
    # single-character chunks: " x " -> code (x, x)
    if len(chars) >= 3:
        lone = np.zeros(len(first), dtype=bool)
        lone[1:] = (chars[:-2] == _SPACE) & (chars[2:] == _SPACE) & (chars[1:-1] != _SPACE)
        singles = first[lone] << 21 | first[lone]
    else:
        singles = np.zeros(0, dtype=np.int64)
    return np.concatenate((first[pairs] << 21 | second[pairs], singles))


def bigram_codes_many(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``bigram_codes`` of many texts at once: (all codes, in text order; codes per text).

    The texts are joined around a NUL separator, normalised and coded in one pass (the
    separator survives normalisation and, like a space, ends every bigram), so the per-text
    regex and numpy overhead, which dominated index builds of thousands of entries, is paid
    once.
    """
    if not texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # normalize(), done on the joined texts: NFKC per text (it returns a text that is already
    # normalised at once, which a long joined text rarely is), the regexes once, and the
    # katakana -> hiragana fold on the code points
    joined = _SEPARATOR.join(
        fold_marks(text.replace(BREAK_MARKER, "\n").replace("\0", "")) for text in texts
    )
    joined = _REPEATS.sub(r"\1", _SPACES.sub(" ", joined).lower())
    joined = _SPACES.sub(" ", _NOISE.sub(" ", joined))
    chars = np.frombuffer(f" {joined} ".encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    katakana = (chars >= _KATAKANA_START) & (chars < _KATAKANA_END - 1)
    chars[katakana] -= _KANA_OFFSET
    chars[chars == _KATAKANA_END - 1] = ord("か")
    chars[chars == _KATAKANA_END] = ord("け")
    separators = chars == 0
    owner = np.cumsum(separators)
    chars[separators] = _SPACE
    first, second = chars[:-1], chars[1:]
    pairs = (first != _SPACE) & (second != _SPACE)
    lone = np.zeros(len(first), dtype=bool)
    if len(chars) >= 3:
        lone[1:] = (chars[:-2] == _SPACE) & (chars[2:] == _SPACE) & (chars[1:-1] != _SPACE)
    keep = pairs | lone
    codes = np.where(lone, first << 21 | first, first << 21 | second)[keep]
    owners = owner[:-1][keep]
    lengths = np.bincount(owners, minlength=len(texts)).astype(np.int64)
    return codes, lengths


class BigramIndex:
    """BM25 over character bigrams of each document's text."""

    def __init__(self, texts: Sequence[str], *, k1: float = 1.2, b: float = 0.75) -> None:
        flat, lengths = bigram_codes_many(texts)
        self.vocab, term_ids = np.unique(flat, return_inverse=True)
        self.postings = Postings(term_ids, lengths, len(self.vocab), k1=k1, b=b)
        self.n_docs = len(texts)

    def _split(self, text: str) -> tuple[list[tuple[int, int]], int]:
        codes, counts = np.unique(bigram_codes(text), return_counts=True)
        if not len(codes) or not len(self.vocab):
            return [], int(np.minimum(counts, 3).sum())
        where = np.searchsorted(self.vocab, codes)
        where[where >= len(self.vocab)] = 0
        found = self.vocab[where] == codes
        known = list(zip(where[found].tolist(), counts[found].tolist(), strict=True))
        return known, int(np.minimum(counts[~found], 3).sum())

    def scores(self, text: str) -> np.ndarray:
        return self.postings.scores(self._split(text)[0])

    def max_score(self, text: str) -> float:
        known, unseen = self._split(text)
        return self.postings.mass(known, unseen)

    def has_terms(self, text: str) -> bool:
        return len(bigram_codes(text)) > 0
