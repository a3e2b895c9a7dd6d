"""BM25 over character bigrams, coded as integers with numpy (no Python string per bigram).

Bigrams are taken inside each space-separated chunk of the normalised text (see
:func:`helpbot.matching.normalize.normalize`): folded width, case and kana, so typos and
unknown words still share most of their bigrams with the entry.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from helpbot.matching.bm25 import Postings
from helpbot.matching.normalize import normalize

_SPACE = ord(" ")


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


class BigramIndex:
    """BM25 over character bigrams of each document's text."""

    def __init__(self, texts: Sequence[str], *, k1: float = 1.2, b: float = 0.75) -> None:
        codes = [bigram_codes(text) for text in texts]
        lengths = np.fromiter((len(c) for c in codes), dtype=np.int64, count=len(texts))
        flat = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64)
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
