"""Entry fields beside the BM25 indexes: staff synonym groups and sentence vectors."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from helpbot.knowledge.entries import Entry
from helpbot.matching.crosslingual import translated_answers, translated_questions
from helpbot.matching.normalize import normalize
from helpbot.matching.semantic import SentenceEncoder, relative_scores

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FieldWeights:
    """Weight of each field in the fused score (0 leaves a field out)."""

    words: float = 1.0
    question: float = 0.3
    synonyms: float = 0.3
    bigrams: float = 0.3  # over question, alternates and keywords: typos, unknown words
    # only for messages without kanji (e.g. all hiragana); 1.0 before the kana read-back
    # was a segmentation (kana variant SR@5 .689 at 1.0, .711 at 0.3: docs/benchmarks.md)
    reading: float = 0.3
    # sentence embeddings, against the lexical fusion scaled to 1 (equal weight); 0 = off
    # The one knob chosen on aggregate dev metrics (LocalgovFAQ, 499 queries): 1.0 gave
    # P@1 .535 / SR@5 .798 / R@10 .724, 1.5 gave .555 / .808 / .731.
    semantic: float = 1.5
    k1: float = 1.2
    b: float = 0.75


class SynonymGroups:
    """Staff-written synonym groups: any member found in a text adds the group's token."""

    def __init__(self, groups: Sequence[Sequence[str]]) -> None:
        self._members: list[tuple[str, str]] = []
        for index, group in enumerate(groups):
            for member in group:
                folded = normalize(member)
                if folded:
                    self._members.append((folded, f"@{index}"))

    def tokens(self, text: str) -> list[str]:
        if not self._members:
            return []
        folded = normalize(text)
        return sorted({token for member, token in self._members if member in folded})


def word_phrasings(entry: Entry) -> tuple[str, ...]:
    """The phrasings the word fields index: the question, its alternates and the
    やさしい日本語 question (``question_easy``: the hiragana people type). The other languages'
    questions are left to the meaning field: in the word fields they lost Japanese messages
    (``pytest -s tests/test_sample_eval.py``: P@1 0.849 without them, 0.836 with them)."""
    easy = entry.question_in("easy") if entry.language != "easy" else None
    return (*entry.phrasings(), easy) if easy else entry.phrasings()


_ANSWER_CHARS = 128  # answer text embedded with the question: its opening says what it is about


def semantic_texts(entries: Sequence[Entry]) -> tuple[list[str], list[int]]:
    """Texts embedded for the entries: every phrasing and the opening of each translated
    answer (a person writing Vietnamese meets the Vietnamese answer), then each question with
    its answer's opening; and the entry index of each phrasing."""
    texts: list[str] = []
    owners: list[int] = []
    for index, entry in enumerate(entries):
        for phrasing in (*entry.phrasings(), *translated_questions(entry),
                         *translated_answers(entry)):
            texts.append(phrasing)
            owners.append(index)
    texts.extend(f"{entry.question}\n{entry.answer[:_ANSWER_CHARS]}".strip() for entry in entries)
    return texts, owners


class SemanticField:
    """Cosine of the message's sentence vector with each entry's, rescaled per query.

    An entry has a vector per phrasing (question and alternates; the best one counts) and one
    for its question with the opening of its answer; the two similarities are averaged.
    """

    def __init__(
        self, encoder: SentenceEncoder, phrasings: np.ndarray, owners: np.ndarray, qa: np.ndarray
    ) -> None:
        self.encoder = self._encoder = encoder
        self._n = len(qa)
        self.entry_vectors = qa  # question + opening of the answer, one unit vector per entry
        if len(owners) == len(qa):
            # one phrasing per entry: the mean of two cosines is the cosine with the mean
            # vector, so one matrix-vector product serves both (half the memory traffic)
            self._vectors: np.ndarray | tuple[np.ndarray, np.ndarray, np.ndarray] = (
                phrasings + qa
            ) / 2.0
        else:  # several phrasings per entry: (phrasing vectors, their entries, q+a vectors)
            self._vectors = (phrasings, owners, qa)

    @classmethod
    def build(
        cls, entries: Sequence[Entry], weight: float, encoder: SentenceEncoder | None
    ) -> SemanticField | None:
        if weight <= 0 or not entries or encoder is None:
            return None
        texts, owners = semantic_texts(entries)
        n_phrasings = len(owners)
        try:
            vectors = encoder.encode_entries(texts)
            encoder.warm_up()
        except Exception:  # a broken model install must not take matching down: stay lexical
            log.exception("sentence encoder unavailable; matching on words only")
            return None
        return cls(encoder, vectors[:n_phrasings], np.asarray(owners), vectors[n_phrasings:])

    def scores(self, text: str) -> np.ndarray:
        return relative_scores(self.similarities(text))

    def fill(self, signals: Signals, text: str) -> None:
        """Put the meaning field of ``text`` into ``signals``: rescaled and raw cosines, and
        the message's vector (kept by the encoder, so asking again costs nothing)."""
        signals.similarities = self.similarities(text)
        signals.semantic = relative_scores(signals.similarities)
        signals.query_vector = self._encoder.encode_query(text)

    def similarities(self, text: str) -> np.ndarray:
        """Raw cosine of the message with every entry (best phrasing and question + answer)."""
        with self._encoder.single_thread():
            query = self._encoder.encode_query(text)
            if isinstance(self._vectors, np.ndarray):
                return self._vectors @ query
            phrasings, owners, qa_vectors = self._vectors
            per_phrasing = phrasings @ query
            qa = qa_vectors @ query
        best = np.full(self._n, -1.0, dtype=np.float32)
        np.maximum.at(best, owners, per_phrasing)
        return (best + qa) / 2.0


@dataclass(slots=True)
class Signals:
    """Every field's scores for one message, before fusion (see :meth:`HybridMatcher.signals`).

    ``lexical`` holds (weight, scores, the query's BM25 mass in that field) per field that the
    message has terms in; ``semantic`` the rescaled cosines (None without the encoder or for a
    message it cannot read).
    """

    lexical: list[tuple[str, float, np.ndarray, float]] = field(default_factory=list)
    semantic: np.ndarray | None = None
    kana_only: bool = False
    length: int = 0
    similarities: np.ndarray | None = None  # raw cosines behind ``semantic``
    # the message's vector and its words per field: read by the reranker experiment
    # (benchmarks/rerank_features.py), not by the matcher
    query_vector: np.ndarray | None = None
    terms: dict[str, list[str]] = field(default_factory=dict)
