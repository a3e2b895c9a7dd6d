"""Okapi BM25 over one field, with postings held in numpy arrays (CSR by term).

``Postings`` is the core, built from integer term ids; ``BM25Index`` maps string terms (Sudachi
words, synonym groups) to ids, and :mod:`helpbot.matching.ngrams` maps character n-grams.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain

import numpy as np

TermCounts = Iterable[tuple[int, int]]  # (term id, count in the query)


class Postings:
    """BM25 weights per (term, document), grouped by term.

    Each posting stores its final weight ``idf * tf * (k1 + 1) / (tf + k1 * norm)``, so a query
    is a handful of ``scores[docs] += weights`` additions.
    """

    def __init__(
        self,
        term_ids: np.ndarray,
        lengths: np.ndarray,
        n_terms: int,
        *,
        k1: float = 1.2,
        b: float = 0.75,
    ) -> None:
        """``term_ids``: every document's term ids concatenated; ``lengths``: terms per doc."""
        self.k1 = k1
        self.n_docs = n_docs = len(lengths)
        stride = max(n_docs, 1)
        owners = np.repeat(np.arange(n_docs, dtype=np.int64), lengths.astype(np.int64))
        keys = term_ids.astype(np.int64) * stride + owners
        unique_keys, tf = np.unique(keys, return_counts=True)  # sorted by term, then doc
        posting_terms = unique_keys // stride
        self.doc_ids = (unique_keys % stride).astype(np.int32)
        df = np.bincount(posting_terms, minlength=n_terms).astype(np.float64)
        self.indptr = np.zeros(n_terms + 1, dtype=np.int64)
        self.indptr[1:] = np.cumsum(df).astype(np.int64)
        self.idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        self.unseen_idf = float(np.log1p((n_docs + 0.5) / 0.5))
        lengths = lengths.astype(np.float64)
        avgdl = float(lengths.mean()) if n_docs and lengths.sum() else 1.0
        norm = 1.0 - b + b * lengths[self.doc_ids] / avgdl
        tf_arr = tf.astype(np.float64)
        weights = self.idf[posting_terms] * tf_arr * (k1 + 1.0) / (tf_arr + k1 * norm)
        self.weights = weights.astype(np.float32)

    def scores(self, terms: TermCounts) -> np.ndarray:
        """BM25 score of every document (float32 array of length ``n_docs``)."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        for term_id, count in terms:
            start, end = self.indptr[term_id], self.indptr[term_id + 1]
            weight = self.weights[start:end]
            out[self.doc_ids[start:end]] += weight if count == 1 else weight * min(count, 3)
        return out

    def mass(self, terms: TermCounts, unseen: int = 0) -> float:
        """The score of an average-length document holding each term once: the query's "mass".

        Terms the index has never seen count with the idf of a term in no document, so a query
        full of unknown words has a large mass and therefore a low coverage.
        """
        total = sum(float(self.idf[term_id]) * min(count, 3) for term_id, count in terms)
        return total + self.unseen_idf * unseen


class BM25Index:
    """BM25 over string terms."""

    def __init__(self, docs: Sequence[Sequence[str]], *, k1: float = 1.2, b: float = 0.75) -> None:
        # ids in order of first appearance, the mapping done in C (map over chained docs)
        vocab = {term: i for i, term in enumerate(dict.fromkeys(chain.from_iterable(docs)))}
        lengths = np.fromiter((len(terms) for terms in docs), dtype=np.int64, count=len(docs))
        flat = np.fromiter(
            map(vocab.__getitem__, chain.from_iterable(docs)),
            dtype=np.int64,
            count=int(lengths.sum()),
        )
        self.vocab = vocab
        self.postings = Postings(flat, lengths, len(vocab), k1=k1, b=b)
        self.n_docs = len(docs)

    def _split(self, terms: Sequence[str]) -> tuple[list[tuple[int, int]], int]:
        known: list[tuple[int, int]] = []
        unseen = 0
        for term, count in Counter(terms).items():
            term_id = self.vocab.get(term)
            if term_id is None:
                unseen += min(count, 3)
            else:
                known.append((term_id, count))
        return known, unseen

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        return self.postings.scores(self._split(terms)[0])

    def max_score(self, terms: Sequence[str]) -> float:
        known, unseen = self._split(terms)
        return self.postings.mass(known, unseen)
