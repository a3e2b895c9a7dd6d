"""The hybrid matcher: BM25 over Sudachi words, synonym groups and character n-grams, fused.

Fields of an entry (each a BM25 index): Sudachi words of question + alternates + keywords +
answer; the words of the question and alternates alone; Sudachi synonym groups plus the staff
synonym groups of ``faq/synonyms.yaml``; character bigrams of question + alternates + keywords
(typos, unknown words); and kana-reading bigrams of the same, used only for messages written
without kanji. Each field's scores are divided by the query's best score in that field and the
weighted sum ranks the entries. A sentence-embedding field (:mod:`helpbot.matching.semantic`)
adds meaning that shares no word with the entry (家族が亡くなった -> 葬儀): the lexical sum is
scaled to 1 and the cosine similarity, rescaled per query from the median entry (0) to the best
(1), is added with weight 1.5. A message written in kana alone is first read back into the
entries' own words (:mod:`helpbot.matching.kana`).

The reported 0..100 score is 100 x the calibrated probability that the top entry is right
(:mod:`helpbot.matching.calibration`: margin, coverage, agreement of the word and meaning
rankings, length); the other candidates are scaled by their fused score relative to the top, so
that the band thresholds mean the same thing for every query. A message with no word in common
with any entry is ranked by meaning alone with confidence 0 (it falls back).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from helpbot.knowledge.entries import Entry, KnowledgeBase
from helpbot.matching.analysis_cache import AnalysisCache, paused_gc
from helpbot.matching.base import Bands, Candidate
from helpbot.matching.bm25 import BM25Index
from helpbot.matching.calibration import Calibration, default_calibration, ranking_features
from helpbot.matching.crosslingual import (
    encoder_texts,
    foreign_language,
    rank_across_languages,
    word_cover,
)
from helpbot.matching.fields import (
    FieldWeights,
    SemanticField,
    Signals,
    SynonymGroups,
    semantic_texts,
    word_phrasings,
)
from helpbot.matching.kana import KANA, KanaLexicon, has_kanji
from helpbot.matching.ngrams import BigramIndex
from helpbot.matching.normalize import normalize
from helpbot.matching.semantic import SentenceEncoder
from helpbot.matching.tokenize import Analysis, Analyzer

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Query:
    words: list[str]
    question: list[str]
    synonyms: list[str]
    bigrams: str
    reading: str
    semantic_text: str = ""  # what the encoder reads ("" = the message is not for it)


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
        calibration: Calibration | None = None,
        analysis_cache: AnalysisCache | None = None,
    ) -> None:
        self.weights = weights or FieldWeights()
        self.entries = kb.entries
        self._languages = np.asarray([entry.language for entry in kb.entries])
        self._analyzer = analyzer or Analyzer()
        self._synonyms = SynonymGroups(kb.synonyms)
        with paused_gc():
            docs, lexicon = self._documents(kb.entries, analysis_cache)
            self._kana = KanaLexicon(lexicon)
            self._indexes = self._build_indexes(docs)
        self._semantic = SemanticField.build(kb.entries, self.weights.semantic, encoder)
        self.calibration = calibration or default_calibration(semantic=self._semantic is not None)
        cal = self.calibration
        self.bands = bands or Bands(answer=100.0 * cal.answer, suggest=100.0 * cal.suggest)

    def _build_indexes(self, docs: list[_Query]) -> dict[str, BM25Index | BigramIndex]:
        indexes: dict[str, BM25Index | BigramIndex] = {}
        k1, b = self.weights.k1, self.weights.b
        for name in ("words", "question", "synonyms", "bigrams", "reading"):
            if getattr(self.weights, name) <= 0:
                continue
            column = [getattr(doc, name) for doc in docs]
            if name in ("bigrams", "reading"):
                indexes[name] = BigramIndex(column, k1=k1, b=b)
            else:
                indexes[name] = BM25Index(column, k1=k1, b=b)
        return indexes

    def _documents(
        self, entries: Sequence[Entry], cache: AnalysisCache | None
    ) -> tuple[list[_Query], list[tuple[str, str, tuple[str, ...], str]]]:
        """Fields of every entry (question, alternates, keywords and answer, analysed once,
        or read from ``cache``), and the readings of the content words of their phrasings and
        keywords."""
        jobs: list[tuple[str, bool]] = []
        spans: list[tuple[int, int, int]] = []  # (first job, phrasings, parts)
        for entry in entries:
            phrasings = word_phrasings(entry)
            parts = [*phrasings, *entry.keywords, entry.answer]
            short = len(parts) - 1  # readings of phrasings and keywords, not of the answer
            spans.append((len(jobs), len(phrasings), len(parts)))
            jobs.extend((part, i < short) for i, part in enumerate(parts))
        if cache is None:
            analyses = self._analyzer.analyze_many(jobs)
        else:
            analyses = cache.analyze_many(self._analyzer, jobs)
        docs: list[_Query] = []
        lexicon = [item for analysis in analyses for item in analysis.lexicon]
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
        return docs, lexicon

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
            semantic_text=text,
        )

    def _query(self, text: str) -> _Query:
        if has_kanji(text):
            query = self._fields(text, self._analyzer.analyze(text, remember=False), [])
            return replace(query, question=query.words, reading="")
        analysis = self._analyzer.analyze(text, readings=True, remember=False)
        if KANA.search(text) is None:  # e.g. English: its words, bigrams and meaning
            return self._fields(text, analysis, analysis.words)
        # kana only: the entries' own words spelt out in it (with one slip forgiven) give the
        # message back in the entries' spelling, which Sudachi splits and the encoder reads;
        # the reading field keeps the kana. A message in which none is found stays with
        # Sudachi's split of the kana and the reading field (the encoder's vectors for
        # まいなんばーかーど are noise).
        found = self._kana.read(normalize(text))
        if not found.words:
            return replace(self._fields(text, analysis, analysis.words), semantic_text="")
        spelt = self._analyzer.analyze(found.text, remember=False)
        words = [*spelt.words, *found.words]
        query = self._fields(found.text, replace(spelt, words=words), words)
        synonyms = [*query.synonyms, *found.synonyms]
        return replace(query, synonyms=synonyms, bigrams=text, reading=analysis.reading)

    def signals(self, text: str, *, meaning: bool = True) -> Signals:
        """The scores of every field for ``text``, each divided by its best (0..1); the
        meaning field only with ``meaning``."""
        query = self._query(text)
        out = Signals(kana_only=not has_kanji(text), length=len(text.strip()))
        for name, index in self._indexes.items():
            terms = getattr(query, name)
            if not terms:
                continue
            bound = index.max_score(terms)  # type: ignore[arg-type]
            if bound <= 0:
                continue
            field_scores = index.scores(terms)  # type: ignore[arg-type]
            out.lexical.append((name, getattr(self.weights, name), field_scores, bound))
            out.terms[name] = terms  # type: ignore[assignment]
        if meaning and self._semantic is not None and query.semantic_text:
            self._semantic.fill(out, query.semantic_text)
        return out

    def fuse(self, signals: Signals) -> tuple[np.ndarray, np.ndarray]:
        """The word fields' weighted sum (scaled to 1 at the best entry), and the fused score:
        that plus the weighted meaning field."""
        lexical = np.zeros(len(self.entries), dtype=np.float32)
        for _, weight, field_scores, _ in signals.lexical:
            best = float(field_scores.max())
            if best > 0:
                lexical += (weight / best) * field_scores
        top = float(lexical.max()) if len(lexical) else 0.0
        if top > 0:
            lexical /= top
        if signals.semantic is None:
            return lexical, lexical
        if top <= 0:
            # no word in common with any entry: rank by meaning alone (with no confidence:
            # the coverage is 0, so the message still falls back)
            return lexical, signals.semantic.astype(np.float32)
        return lexical, lexical + self.weights.semantic * signals.semantic

    def field_index(self, name: str) -> BM25Index | BigramIndex | None:
        """The index of the word field ``name`` (None when it is off), to read only: for the
        reranker experiment (``benchmarks/rerank_features.py``), which counts the message's
        terms each entry holds; the entries' analysed terms are kept only in these indexes."""
        return self._indexes.get(name)

    @staticmethod
    def coverage(signals: Signals, top: int) -> float:
        """How much of the query's BM25 mass the entry ``top`` reaches, over the fields."""
        if not signals.lexical:
            return 0.0
        return float(word_cover(signals, len(signals.lexical[0][2]))[top])

    def features(self, text: str) -> tuple[np.ndarray, list[float]]:
        """Fused score of every entry, and the calibration features of the ranking."""
        signals = self.signals(text)
        lexical, fused = self.fuse(signals)
        if not fused.any():
            return fused, []
        coverage = self.coverage(signals, int(np.argmax(fused)))
        return fused, ranking_features(signals, lexical, fused, coverage)

    def scores(self, text: str) -> tuple[np.ndarray, float]:
        """Fused score of every entry, and the calibrated probability that the top entry
        answers the message (0 when it shares no word with the message). A message in another
        language is ranked by meaning and its glossary words (``crosslingual.py``)."""
        language = foreign_language(text) if self._semantic is not None else None
        if self._semantic is not None and language is not None:
            # lexical Japanese fields see nothing in a foreign message: rank by meaning, plus
            # the Japanese words its glossary terms name (helpbot/matching/crosslingual.py)
            return rank_across_languages(
                text, language, meaning=self._semantic.similarities,
                japanese=self._japanese_scores, bands=self.bands,
                own=self._languages == language,
                own_words=lambda t: word_cover(self.signals(t, meaning=False), len(self.entries)),
            )
        return self._japanese_scores(text)

    def _japanese_scores(self, text: str) -> tuple[np.ndarray, float]:
        fused, features = self.features(text)
        if not features or features[2] <= 0:  # no coverage: nothing to answer with
            return fused, 0.0
        return fused, self.calibration.probability(features)

    def sentence_space(self) -> tuple[SentenceEncoder, np.ndarray] | None:
        """The encoder and the entries' vectors (None when matching is on words only)."""
        if self._semantic is None:
            return None
        return self._semantic.encoder, self._semantic.entry_vectors

    def prepare(self, texts: Sequence[str]) -> None:
        """Messages about to be ranked (a worker's backlog): what the encoder will read for
        them, in one pass (``crosslingual.encoder_texts``)."""
        if self._semantic is not None:
            self._semantic.encoder.prefetch(encoder_texts(texts))

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


__all__ = ["FieldWeights", "HybridMatcher", "Signals", "semantic_texts"]
