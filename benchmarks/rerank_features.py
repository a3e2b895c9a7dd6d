"""The reranker experiment's features of the matcher's top candidates (read, never changed).

Per-(message, entry) features that mean the same thing for any knowledge base
(:data:`FEATURES`: each field's score relative to the message's best, ranks, raw cosines, how
many of the message's words the entry's question holds, character bigram overlap, length
ratio), computed from the public pieces of :class:`helpbot.matching.hybrid.HybridMatcher`
(``signals``, ``fuse``, ``entries``, ``sentence_space``, ``field_index``). Used by
:mod:`benchmarks.rerank` and ``python -m benchmarks.fit_rerank``; the product has no reranker.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from helpbot.matching.bm25 import BM25Index
from helpbot.matching.ngrams import BigramIndex, bigram_codes

if TYPE_CHECKING:
    from helpbot.matching.fields import Signals
    from helpbot.matching.hybrid import HybridMatcher

FIELDS = ("words", "question", "synonyms", "bigrams", "reading")
FEATURES = (
    "fused",  # fused score / the message's best
    "fused_rank",  # log(1 + rank) in the fused order (0 = first)
    "lexical",  # the word fields' weighted sum / its best
    "lexical_rank",  # log(1 + rank) over all entries by the word fields
    "semantic",  # cosine rescaled from the median entry (0) to the best (1)
    "semantic_rank",  # log(1 + rank) over all entries by meaning
    "cos_gap",  # raw cosine (best phrasing and question + answer) minus the best entry's
    "qa_cos_gap",  # raw cosine with question + answer opening minus the fused top entry's
    *(f"{name}_score" for name in FIELDS),  # each field's score / the field's best (0 if none)
    "question_cover",  # share of the message's distinct words in the entry's question field
    "words_cover",  # share in the entry's question + keywords + answer
    "question_precision",  # share of the question's distinct words found in the message
    "question_mass",  # question field score / the message's BM25 mass there (absolute)
    "words_mass",  # the same for question + keywords + answer
    "phrasing_cos_gap",  # raw cosine with the best phrasing minus the best among the top 10
    "cos_gap_top10",  # raw cosine (as in cos_gap) minus the best among the top 10 candidates
    "bigram_jaccard",  # character bigrams of the message and of the entry's phrasings + keywords
    "bigram_cover",  # share of the message's bigrams in the entry's phrasings + keywords
    "length_ratio",  # log(question length / message length)
    "agree",  # in the top 3 both by words and by meaning
    "centrality",  # mean cosine of the entry's vector with those of the other top 10
    "question_length",  # log(1 + characters of the entry's question)
    "answer_length",  # log(1 + characters of the entry's answer)
    "message_length",  # log(1 + characters of the message)
    "kana_only",
)
_TOP = 10  # candidates some features are measured against (the same for any depth >= 10)


@dataclass(frozen=True, slots=True)
class RerankInput:
    """What the reranker reads for one message (built by :func:`rerank_input`)."""

    text: str
    fused: np.ndarray
    lexical: np.ndarray
    signals: Signals
    question_lengths: np.ndarray  # characters of every entry's question
    answer_lengths: np.ndarray  # characters of every entry's answer
    # field -> (share of the message's words, share of the entry's words), per entry; for
    # "bigrams": (share of the message's bigrams, Jaccard overlap)
    covers: Mapping[str, tuple[np.ndarray, np.ndarray]]
    qa_vectors: np.ndarray  # entries' question + answer vectors
    query_vector: np.ndarray


def word_cover(index: BM25Index, terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """For each document of ``index``: the share of the distinct ``terms`` it holds, and the
    share of its own distinct terms that are among them (both 0..1)."""
    postings = index.postings
    matched = np.zeros(index.n_docs, dtype=np.float32)
    distinct = set(terms)
    for term in distinct:
        term_id = index.vocab.get(term)
        if term_id is not None:
            start, end = postings.indptr[term_id], postings.indptr[term_id + 1]
            matched[postings.doc_ids[start:end]] += 1.0
    own = np.maximum(np.bincount(postings.doc_ids, minlength=index.n_docs), 1)
    return matched / max(len(distinct), 1), matched / own


def bigram_cover(index: BigramIndex, text: str) -> tuple[np.ndarray, np.ndarray]:
    """For each document of ``index``: the share of the text's distinct bigrams it holds, and
    the Jaccard overlap of the two sets of bigrams."""
    codes = np.unique(bigram_codes(text))
    postings, vocab = index.postings, index.vocab
    where = np.searchsorted(vocab, codes)
    found = where < len(vocab)
    found[found] = vocab[where[found]] == codes[found]
    where = where[found]
    starts, ends = postings.indptr[where], postings.indptr[where + 1]
    sizes = ends - starts
    flat = np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(sizes.sum())
    matched = np.bincount(postings.doc_ids[flat], minlength=index.n_docs).astype(np.float32)
    own = np.bincount(postings.doc_ids, minlength=index.n_docs)
    union = np.maximum(len(codes) + own - matched, 1)
    return matched / max(len(codes), 1), matched / union


def rerank_input(
    matcher: HybridMatcher, text: str, signals: Signals, lexical: np.ndarray, fused: np.ndarray
) -> RerankInput:
    """What the reranker reads about ``text``'s ranking by ``matcher`` (``signals`` and
    ``matcher.fuse(signals)``); the message must have words and meaning
    (:meth:`benchmarks.rerank.Reranker.applies`)."""
    space = matcher.sentence_space()
    assert space is not None and signals.query_vector is not None
    covers: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in ("question", "words", "bigrams"):
        index, terms = matcher.field_index(name), signals.terms.get(name)
        if isinstance(index, BigramIndex) and terms:
            covers[name] = bigram_cover(index, terms)  # type: ignore[arg-type]
        elif isinstance(index, BM25Index) and terms:
            covers[name] = word_cover(index, terms)
    entries = matcher.entries
    return RerankInput(
        text, fused, lexical, signals,
        np.asarray([len(entry.question) for entry in entries]),
        np.asarray([len(entry.answer) for entry in entries]),
        covers, space[1], signals.query_vector,
    )


def top_candidates(fused: np.ndarray, depth: int) -> np.ndarray:
    """Indices of the ``depth`` best entries, best first (ties in index order)."""
    depth = min(depth, len(fused))
    picked = np.argpartition(-fused, depth - 1)[:depth] if depth < len(fused) else np.arange(depth)
    return picked[np.argsort(-fused[picked], kind="stable")]


def _ranks(values: np.ndarray, picked: np.ndarray) -> np.ndarray:
    """log(1 + number of entries scoring strictly higher) for each picked entry."""
    higher = (values[None, :] > values[picked][:, None]).sum(axis=1)
    return np.log1p(higher.astype(np.float64))


def _relative(values: np.ndarray, picked: np.ndarray) -> np.ndarray:
    best = float(values.max()) if len(values) else 0.0
    return values[picked] / best if best > 0 else np.zeros(len(picked))


def _meaning_columns(data: RerankInput, picked: np.ndarray) -> dict[str, np.ndarray]:
    signals = data.signals
    assert signals.semantic is not None and signals.similarities is not None
    raw = signals.similarities
    qa = (data.qa_vectors[picked] @ data.query_vector).astype(np.float64)
    phrasing = 2.0 * raw[picked] - qa  # the similarity is the mean of the two
    vectors = data.qa_vectors[picked]
    near = vectors @ vectors[:_TOP].T  # (k, top): an entry with itself counts 1
    own = np.arange(len(picked))[:, None] == np.arange(near.shape[1])[None, :]
    return {
        "semantic": signals.semantic[picked].astype(np.float64),
        "semantic_rank": _ranks(signals.semantic, picked),
        "cos_gap": raw[picked] - float(raw.max()),
        "qa_cos_gap": qa - qa[0],
        "phrasing_cos_gap": phrasing - phrasing[:_TOP].max(),
        "cos_gap_top10": raw[picked] - float(raw[picked[:_TOP]].max()),
        "centrality": np.where(own, 0.0, near).sum(axis=1) / np.maximum((~own).sum(axis=1), 1),
    }


def _word_columns(data: RerankInput, picked: np.ndarray) -> dict[str, np.ndarray]:
    zeros = np.zeros(len(picked))
    columns: dict[str, np.ndarray] = {}
    by_name = {name: (scores, bound) for name, _, scores, bound in data.signals.lexical}
    for name in FIELDS:
        scores, bound = by_name.get(name, (None, 0.0))
        columns[f"{name}_score"] = _relative(scores, picked) if scores is not None else zeros
        if name in ("question", "words"):
            mass = scores[picked] / bound if scores is not None and bound > 0 else zeros
            columns[f"{name}_mass"] = np.minimum(mass, 2.0)
    for name, share, other in (
        ("question", "question_cover", "question_precision"),
        ("words", "words_cover", ""),
        ("bigrams", "bigram_cover", "bigram_jaccard"),
    ):
        found = data.covers.get(name)
        columns[share] = found[0][picked] if found is not None else zeros
        if other:
            columns[other] = found[1][picked] if found is not None else zeros
    return columns


def candidate_features(data: RerankInput, picked: np.ndarray) -> np.ndarray:
    """The :data:`FEATURES` of each picked entry (rows in ``picked`` order); the message must
    have both word and meaning signals (:meth:`benchmarks.rerank.Reranker.applies`)."""
    k = len(picked)
    columns = {
        "fused": _relative(data.fused, picked),
        "fused_rank": np.log1p(np.arange(k, dtype=np.float64)),
        "lexical": _relative(data.lexical, picked),
        "lexical_rank": _ranks(data.lexical, picked),
        **_meaning_columns(data, picked),
        **_word_columns(data, picked),
    }
    length = max(len(data.text.strip()), 1)
    columns["length_ratio"] = np.log(np.maximum(data.question_lengths[picked], 1) / length)
    top3 = math.log1p(3)
    columns["agree"] = (
        (columns["lexical_rank"] < top3) & (columns["semantic_rank"] < top3)
    ).astype(np.float64)
    columns["question_length"] = np.log1p(data.question_lengths[picked])
    columns["answer_length"] = np.log1p(data.answer_lengths[picked])
    columns["message_length"] = np.full(k, math.log1p(data.signals.length))
    columns["kana_only"] = np.full(k, 1.0 if data.signals.kana_only else 0.0)
    return np.column_stack([columns[name] for name in FEATURES])
