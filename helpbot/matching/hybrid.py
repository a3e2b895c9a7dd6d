"""The hybrid matcher: BM25 over Sudachi words, synonym groups and character n-grams, fused.

Every field is scored with BM25 over question + alternates + keywords + answer, each field's
scores are divided by the query's best score in that field, and the weighted sum ranks the
entries. The reported 0..100 score is the confidence in the top entry (its coverage of the
query, discounted when the runner-up is close), with the other candidates scaled by their fused
score relative to the top, so that the band thresholds mean the same thing for every query.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from helpbot.knowledge.entries import Entry, KnowledgeBase
from helpbot.matching.base import Bands, Candidate
from helpbot.matching.bm25 import BM25Index
from helpbot.matching.normalize import normalize
from helpbot.matching.tokenize import Analysis, Analyzer, char_ngrams, reading_ngrams

log = logging.getLogger(__name__)

_KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々]")


@dataclass(frozen=True, slots=True)
class FieldWeights:
    """Weight of each field in the fused score (0 leaves a field out)."""

    words: float = 1.0
    question: float = 0.3
    synonyms: float = 0.3
    bigrams: float = 0.5
    reading: float = 1.0  # only for messages without kanji (e.g. all hiragana)
    k1: float = 1.2
    b: float = 0.75


@dataclass(frozen=True, slots=True)
class _Query:
    words: list[str]
    question: list[str]
    synonyms: list[str]
    bigrams: list[str]
    reading: list[str]


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


class HybridMatcher:
    """Implements :class:`helpbot.matching.base.Matcher` for one knowledge base."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        bands: Bands | None = None,
        weights: FieldWeights | None = None,
        analyzer: Analyzer | None = None,
    ) -> None:
        from helpbot.matching.bands import DEFAULT_BANDS

        self.bands = bands or DEFAULT_BANDS
        self.weights = weights or FieldWeights()
        self.entries = kb.entries
        self._analyzer = analyzer or Analyzer()
        self._synonyms = SynonymGroups(kb.synonyms)
        docs = [self._document(entry) for entry in kb.entries]
        self._indexes: dict[str, BM25Index] = {}
        for name in ("words", "question", "synonyms", "bigrams", "reading"):
            if getattr(self.weights, name) > 0:
                self._indexes[name] = BM25Index(
                    [getattr(doc, name) for doc in docs], k1=self.weights.k1, b=self.weights.b
                )

    def _document(self, entry: Entry) -> _Query:
        parts = [*entry.phrasings(), *entry.keywords, entry.answer]
        n_phrasings = len(entry.phrasings())
        short = n_phrasings + len(entry.keywords)  # readings of phrasings and keywords only
        analyses = [
            self._analyzer.analyze(part, readings=i < short) for i, part in enumerate(parts)
        ]
        full = Analysis(
            words=[word for a in analyses for word in a.words],
            synonyms=[syn for a in analyses for syn in a.synonyms],
            reading=" ".join(a.reading for a in analyses),
        )
        question = [word for a in analyses[:n_phrasings] for word in a.words]
        return self._fields("\n".join(parts), full, question)

    def _fields(self, text: str, analysis: Analysis, question: list[str]) -> _Query:
        weights = self.weights
        return _Query(
            words=analysis.words,
            question=question,
            synonyms=[*analysis.synonyms, *self._synonyms.tokens(text)]
            if weights.synonyms > 0
            else [],
            bigrams=char_ngrams(text) if weights.bigrams > 0 else [],
            reading=reading_ngrams(analysis.reading) if weights.reading > 0 else [],
        )

    def _query(self, text: str) -> _Query:
        kana_only = _KANJI.search(text) is None
        analysis = self._analyzer.analyze(text, readings=kana_only)
        query = self._fields(text, analysis, analysis.words)
        if not kana_only:
            query.reading.clear()
        return query

    def scores(self, text: str) -> tuple[np.ndarray, float]:
        """Fused score of every entry, and the confidence in the top entry (0..1).

        Confidence = coverage x (1 - runner-up / top / 2): how much of the query's BM25 mass the
        top entry reaches, discounted when the runner-up is nearly as good (an ambiguous query).
        """
        query = self._query(text)
        fused = np.zeros(len(self.entries), dtype=np.float32)
        parts: list[tuple[float, np.ndarray, float]] = []
        total_weight = 0.0
        for name, index in self._indexes.items():
            weight = getattr(self.weights, name)
            terms = getattr(query, name)
            if not terms:
                continue
            bound = index.max_score(terms)
            field_scores = index.scores(terms)
            best = float(field_scores.max())
            if best > 0:
                fused += (weight / best) * field_scores
            parts.append((weight, field_scores, bound))
            total_weight += weight
        if not parts or not fused.any():
            return fused, 0.0
        top, runner_up = np.argsort(-fused)[:2] if len(fused) > 1 else (0, 0)
        coverage = sum(w * float(s[top]) / bound for w, s, bound in parts) / total_weight
        ratio = float(fused[runner_up] / fused[top]) if len(fused) > 1 else 0.0
        return fused, min(coverage, 1.0) * (1.0 - ratio / 2.0)

    def rank(self, text: str, *, limit: int = 10) -> list[Candidate]:
        if not text.strip() or not self.entries:
            return []
        fused, coverage = self.scores(text)
        top_score = float(fused.max())
        if top_score <= 0:
            return []
        limit = min(limit, len(self.entries))
        if limit < len(self.entries):
            picked = np.argpartition(-fused, limit - 1)[:limit]
        else:
            picked = np.arange(len(self.entries))
        order = picked[np.argsort(-fused[picked], kind="stable")]
        order = order[fused[order] > 0]
        scale = 100.0 * coverage / top_score
        scores = np.round(fused[order] * scale, 2).tolist()
        entries = self.entries
        return [
            Candidate(entry=entries[i], score=score)
            for i, score in zip(order.tolist(), scores, strict=True)
        ]
