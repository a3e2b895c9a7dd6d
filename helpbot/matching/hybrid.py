"""The hybrid matcher: BM25 over Sudachi words, synonym groups and character n-grams, fused.

Fields of an entry (each a BM25 index): Sudachi words of question + alternates + keywords +
answer; the words of the question and alternates alone; Sudachi synonym groups plus the staff
synonym groups of ``faq/synonyms.yaml``; character bigrams of question + alternates + keywords
(typos, unknown words); and kana-reading bigrams of the same, used only for messages written
without kanji. Each field's scores are divided by the query's best score in that field and the
weighted sum ranks the entries. A sentence-embedding field (:mod:`helpbot.matching.semantic`)
adds meaning that shares no word with the entry (家族が亡くなった -> 葬儀): the lexical sum is
scaled to 1 and the cosine similarity, rescaled per query from the median entry (0) to the best
(1), is added with equal weight.

The reported 0..100 score is the confidence in the top entry: its coverage of the query (the
share of the query's BM25 mass it reaches, per lexical field), discounted when the runner-up is
close on the fused score; the other candidates are scaled by their fused score relative to the
top, so that the band thresholds mean the same thing for every query. A message with no word in
common with any entry is ranked by meaning alone with confidence 0 (it falls back).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from helpbot.knowledge.entries import Entry, KnowledgeBase
from helpbot.matching.base import Bands, Candidate
from helpbot.matching.bm25 import BM25Index
from helpbot.matching.crosslingual import (
    foreign_language,
    rank_across_languages,
    translated_answers,
)
from helpbot.matching.ngrams import BigramIndex
from helpbot.matching.normalize import normalize
from helpbot.matching.semantic import SentenceEncoder, relative_scores
from helpbot.matching.tokenize import Analysis, Analyzer

log = logging.getLogger(__name__)

_KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々]")
_KANA = re.compile(r"[\u3041-\u30ff\uff66-\uff9f]")


@dataclass(frozen=True, slots=True)
class FieldWeights:
    """Weight of each field in the fused score (0 leaves a field out)."""

    words: float = 1.0
    question: float = 0.3
    synonyms: float = 0.3
    bigrams: float = 0.3  # over question, alternates and keywords: typos, unknown words
    reading: float = 1.0  # only for messages without kanji (e.g. all hiragana)
    # sentence embeddings, against the lexical fusion scaled to 1 (equal weight); 0 = off
    # The one knob chosen on aggregate dev metrics (LocalgovFAQ, 499 queries): 1.0 gave
    # P@1 .535 / SR@5 .798 / R@10 .724, 1.5 gave .555 / .808 / .731.
    semantic: float = 1.5
    k1: float = 1.2
    b: float = 0.75


@dataclass(frozen=True, slots=True)
class _Query:
    words: list[str]
    question: list[str]
    synonyms: list[str]
    bigrams: str
    reading: str


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


_ANSWER_CHARS = 128  # answer text embedded with the question: its opening says what it is about


def semantic_texts(entries: Sequence[Entry]) -> tuple[list[str], list[int]]:
    """Texts embedded for the entries: every phrasing and the opening of each translated
    answer (a person writing Vietnamese meets the Vietnamese answer), then each question with
    its answer's opening; and the entry index of each phrasing."""
    texts: list[str] = []
    owners: list[int] = []
    for index, entry in enumerate(entries):
        for phrasing in (*entry.phrasings(), *translated_answers(entry)):
            texts.append(phrasing)
            owners.append(index)
    texts.extend(f"{entry.question}\n{entry.answer[:_ANSWER_CHARS]}".strip() for entry in entries)
    return texts, owners


class _SemanticField:
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
                (phrasings + qa) / 2.0
            )
        else:  # several phrasings per entry: (phrasing vectors, their entries, q+a vectors)
            self._vectors = (phrasings, owners, qa)

    @classmethod
    def build(
        cls, entries: Sequence[Entry], weight: float, encoder: SentenceEncoder | None
    ) -> _SemanticField | None:
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


class HybridMatcher:
    """Implements :class:`helpbot.matching.base.Matcher` for one knowledge base."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        bands: Bands | None = None,
        weights: FieldWeights | None = None,
        analyzer: Analyzer | None = None,
        encoder: SentenceEncoder | None = None,
    ) -> None:
        from helpbot.matching.bands import DEFAULT_BANDS

        self.bands = bands or DEFAULT_BANDS
        self.weights = weights or FieldWeights()
        self.entries = kb.entries
        self._analyzer = analyzer or Analyzer()
        self._synonyms = SynonymGroups(kb.synonyms)
        docs = self._documents(kb.entries)
        self._indexes: dict[str, BM25Index | BigramIndex] = {}
        k1, b = self.weights.k1, self.weights.b
        for name in ("words", "question", "synonyms", "bigrams", "reading"):
            if getattr(self.weights, name) <= 0:
                continue
            column = [getattr(doc, name) for doc in docs]
            if name in ("bigrams", "reading"):
                self._indexes[name] = BigramIndex(column, k1=k1, b=b)
            else:
                self._indexes[name] = BM25Index(column, k1=k1, b=b)
        self._semantic = _SemanticField.build(kb.entries, self.weights.semantic, encoder)

    def _documents(self, entries: Sequence[Entry]) -> list[_Query]:
        """Fields of every entry: question, alternates, keywords and answer, analysed once."""
        jobs: list[tuple[str, bool]] = []
        spans: list[tuple[int, int, int]] = []  # (first job, phrasings, parts)
        for entry in entries:
            parts = [*entry.phrasings(), *entry.keywords, entry.answer]
            short = len(parts) - 1  # readings of phrasings and keywords, not of the answer
            spans.append((len(jobs), len(entry.phrasings()), len(parts)))
            jobs.extend((part, i < short) for i, part in enumerate(parts))
        analyses = self._analyzer.analyze_many(jobs)
        docs: list[_Query] = []
        for start, n_phrasings, n_parts in spans:
            own = analyses[start : start + n_parts]
            full = Analysis(
                words=[word for a in own for word in a.words],
                synonyms=[syn for a in own for syn in a.synonyms],
                reading=" ".join(a.reading for a in own),
            )
            question = [word for a in own[:n_phrasings] for word in a.words]
            texts = [text for text, _ in jobs[start : start + n_parts]]
            docs.append(self._fields("\n".join(texts), full, question, "\n".join(texts[:-1])))
        return docs

    def _fields(
        self, text: str, analysis: Analysis, question: list[str], short_text: str | None = None
    ) -> _Query:
        """Query-side or entry-side fields; ``short_text`` (no answer) feeds the bigrams."""
        staff_synonyms = self._synonyms.tokens(text) if self.weights.synonyms > 0 else []
        return _Query(
            words=analysis.words,
            question=question,
            synonyms=[*analysis.synonyms, *staff_synonyms],
            bigrams=text if short_text is None else short_text,
            reading=analysis.reading,
        )

    def _query(self, text: str) -> _Query:
        kana_only = _KANJI.search(text) is None
        analysis = self._analyzer.analyze(text, readings=kana_only)
        query = self._fields(text, analysis, analysis.words)
        return query if kana_only else replace(query, reading="")

    def scores(self, text: str) -> tuple[np.ndarray, float]:
        """Fused score of every entry, and the confidence in the top entry (0..1).

        Confidence = coverage x (1 - runner-up / top / 2): how much of the query's BM25 mass the
        top entry reaches, discounted when the runner-up is nearly as good (an ambiguous query).
        """
        language = foreign_language(text) if self._semantic is not None else None
        if self._semantic is not None and language is not None:
            # lexical Japanese fields see nothing in a foreign message: rank by meaning, plus
            # the Japanese words its glossary terms name (helpbot/matching/crosslingual.py)
            return rank_across_languages(
                text, language, meaning=self._semantic.similarities,
                japanese=self._japanese_scores, bands=self.bands,
            )
        return self._japanese_scores(text)

    def _japanese_scores(self, text: str) -> tuple[np.ndarray, float]:
        query = self._query(text)
        fused = np.zeros(len(self.entries), dtype=np.float32)
        parts: list[tuple[float, np.ndarray, float]] = []
        total_weight = 0.0
        for name, index in self._indexes.items():
            weight = getattr(self.weights, name)
            terms = getattr(query, name)
            if not terms:
                continue
            bound = index.max_score(terms)  # type: ignore[arg-type]
            if bound <= 0:
                continue
            field_scores = index.scores(terms)  # type: ignore[arg-type]
            best = float(field_scores.max())
            if best > 0:
                fused += (weight / best) * field_scores
            parts.append((weight, field_scores, bound))
            total_weight += weight
        # Japanese written in kana alone is far from what the encoder learnt (its vectors for
        # まいなんばーかーど are noise); such messages stay with the reading field.
        semantic = self._semantic
        if semantic is not None and not _KANJI.search(text) and _KANA.search(text):
            semantic = None
        if not parts or not fused.any():
            # no word in common with any entry: rank by meaning alone, with no confidence
            # (the coverage is 0), so the message still falls back
            return (fused, 0.0) if semantic is None else (semantic.scores(text), 0.0)
        if semantic is not None:
            fused /= float(fused.max())
            fused += self.weights.semantic * semantic.scores(text)
        top, runner_up = np.argsort(-fused)[:2] if len(fused) > 1 else (0, 0)
        coverage = sum(w * float(s[top]) / bound for w, s, bound in parts) / total_weight
        ratio = float(fused[runner_up] / fused[top]) if len(fused) > 1 else 0.0
        return fused, min(coverage, 1.0) * (1.0 - ratio / 2.0)

    def sentence_space(self) -> tuple[SentenceEncoder, np.ndarray] | None:
        """The encoder and the entries' vectors (None when matching is on words only)."""
        if self._semantic is None:
            return None
        return self._semantic.encoder, self._semantic.entry_vectors

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
