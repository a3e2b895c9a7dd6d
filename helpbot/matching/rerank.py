"""Reordering the matcher's top candidates with a small learned model.

The fused score (:mod:`helpbot.matching.hybrid`) adds the fields with fixed weights. Whether a
word match or a meaning match should win depends on the message: a short message that names
an entry's key word, a long one that tells a story. The reranker looks again at the top
:attr:`Reranker.depth` candidates with per-(message, entry) features that mean the same thing
for any knowledge base (:data:`FEATURES`: each field's score relative to the message's best,
ranks, raw cosines, how many of the message's words the entry's question holds, character
bigram overlap, length ratio), scores them with a model fitted by
``python -m benchmarks.fit_rerank`` and stored beside this module as ``rerank.json``, and
reorders them. Entries below the top ``depth`` keep their place and every score keeps its
value: the top ``depth`` fused scores are handed out again in the model's order, so the
calibration and the bands see the same distribution of scores.

Only messages with both word and meaning signals are reordered (a message the encoder does
not read, one with no word in common with any entry, and matching on words alone keep the
fused order).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from helpbot.errors import MatchingConfigError

if TYPE_CHECKING:
    from helpbot.matching.fields import Signals

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
_FILE = "rerank.json"
DEFAULT_DEPTH = 20
_TOP = 10  # candidates some features are measured against (the same for any depth >= 10)


@dataclass(frozen=True, slots=True)
class RerankInput:
    """What the reranker reads for one message (built by the hybrid matcher)."""

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
    have both word and meaning signals (:meth:`Reranker.applies`)."""
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


@dataclass(frozen=True, slots=True)
class Reranker:
    """A linear model over standardised :data:`FEATURES` and, optionally, boosted trees of
    fixed depth over the raw features (summed with the linear part)."""

    depth: int
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # one per feature, on standardised features
    tree_features: np.ndarray  # (trees, 2^levels - 1) feature index per inner node
    tree_thresholds: np.ndarray  # (trees, 2^levels - 1): go right when value > threshold
    tree_leaves: np.ndarray  # (trees, 2^levels)

    def score(self, x: np.ndarray) -> np.ndarray:
        """Model score of each row of ``x`` (higher = better)."""
        out = ((x - self.mean) / self.scale) @ self.weights
        if len(self.tree_leaves):
            trees = np.arange(len(self.tree_leaves))[:, None]
            node = np.zeros((len(self.tree_leaves), len(x)), dtype=np.int64)
            levels = int(math.log2(self.tree_leaves.shape[1]))
            rows = np.arange(len(x))[None, :]
            for _ in range(levels):
                feature = self.tree_features[trees, node]
                right = x[rows, feature] > self.tree_thresholds[trees, node]
                node = 2 * node + 1 + right
            leaves = node - (self.tree_leaves.shape[1] - 1)
            out = out + self.tree_leaves[trees, leaves].sum(axis=0)
        return out

    @staticmethod
    def applies(signals: Signals) -> bool:
        """Whether a message with these signals is reordered: both words and meaning."""
        return signals.semantic is not None and bool(signals.lexical)

    def reorder(self, data: RerankInput) -> tuple[np.ndarray, float, float]:
        """``data.fused`` with its top ``depth`` values handed out again in the model's order,
        the model's score of the new top entry and its margin over the runner-up (both 0 when
        the message is not reordered)."""
        fused = data.fused
        if not self.applies(data.signals) or len(fused) < 2:
            return fused, 0.0, 0.0
        picked = top_candidates(fused, self.depth)
        scores = self.score(candidate_features(data, picked))
        order = np.argsort(-scores, kind="stable")
        out = fused.copy()
        out[picked[order]] = fused[picked]
        best = float(scores[order[0]])
        return out, best, best - float(scores[order[1]])

    def as_dict(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "depth": self.depth,
            "mean": np.round(self.mean, 6).tolist(),
            "scale": np.round(self.scale, 6).tolist(),
            "weights": np.round(self.weights, 6).tolist(),
            "trees": {
                "features": self.tree_features.tolist(),
                "thresholds": np.round(self.tree_thresholds, 6).tolist(),
                "leaves": np.round(self.tree_leaves, 6).tolist(),
            },
        }

    @classmethod
    def from_dict(cls, raw: object, *, source: str = _FILE) -> Reranker:
        hint = "refit it with python -m benchmarks.fit_rerank --write"
        n = len(FEATURES)
        try:
            if not isinstance(raw, dict):
                raise TypeError("expected a JSON object")
            if list(raw["features"]) != list(FEATURES):
                raise MatchingConfigError(
                    f"{source}: the features {raw['features']} are not {list(FEATURES)}; {hint}"
                )
            depth = int(raw["depth"])
            mean = np.asarray(raw["mean"], dtype=np.float64)
            scale = np.asarray(raw["scale"], dtype=np.float64)
            weights = np.asarray(raw["weights"], dtype=np.float64)
            trees = raw.get("trees") or {}
            features = np.asarray(trees.get("features", []), dtype=np.int64)
            thresholds = np.asarray(trees.get("thresholds", []), dtype=np.float64)
            leaves = np.asarray(trees.get("leaves", []), dtype=np.float64)
        except (KeyError, TypeError, ValueError) as exc:
            raise MatchingConfigError(f"{source}: not a reranker file ({exc}); {hint}") from exc
        if mean.shape != (n,) or scale.shape != (n,) or weights.shape != (n,):
            raise MatchingConfigError(f"{source}: wrong number of values for {n} features; {hint}")
        if depth < 2 or (scale <= 0).any():
            raise MatchingConfigError(f"{source}: depth must be >= 2 and scales positive; {hint}")
        if len(leaves):
            inner = leaves.shape[1] - 1 if leaves.ndim == 2 else -1
            if (
                inner < 1
                or (inner + 1) & inner
                or features.shape != (len(leaves), inner)
                or thresholds.shape != features.shape
                or features.min() < 0
                or features.max() >= n
            ):
                raise MatchingConfigError(f"{source}: malformed trees; {hint}")
        else:
            features = np.zeros((0, 1), dtype=np.int64)
            thresholds = np.zeros((0, 1))
            leaves = np.zeros((0, 2))
        return cls(depth, mean, scale, weights, features, thresholds, leaves)


def load_reranker(path: Path) -> Reranker:
    """A reranker file written by ``python -m benchmarks.fit_rerank``."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MatchingConfigError(
            f"{path}: cannot read a reranker file ({exc}); refit it with "
            "python -m benchmarks.fit_rerank --write"
        ) from exc
    return Reranker.from_dict(raw, source=str(path))


_default: list[Reranker | None] = []


def default_reranker() -> Reranker | None:
    """The reranker shipped beside this module as ``rerank.json`` (read once, on first use);
    None when none ships: the fused order is kept. (None ships today: the model fitted on
    LocalgovFAQ lowered P@1 on the sample ``faq/``; docs/benchmarks.md.)"""
    if not _default:
        path = Path(str(resources.files("helpbot.matching").joinpath(_FILE)))
        _default.append(load_reranker(path) if path.is_file() else None)
    return _default[0]
