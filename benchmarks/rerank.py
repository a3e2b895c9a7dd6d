"""The reranker experiment: the matcher's top candidates reordered by a small learned model.

The fused score (:mod:`helpbot.matching.hybrid`) adds the fields with fixed weights. Whether a
word match or a meaning match should win depends on the message: a short message that names
an entry's key word, a long one that tells a story. The reranker looks again at the top
:attr:`Reranker.depth` candidates with the features of :mod:`benchmarks.rerank_features`,
scores them with a model fitted by ``python -m benchmarks.fit_rerank`` (``--write FILE`` stores
it), and reorders them. Entries below the top ``depth`` keep their place and every score keeps
its value: the top ``depth`` fused scores are handed out again in the model's order, so the
calibration and the bands would see the same distribution of scores.

Only messages with both word and meaning signals are reordered (a message the encoder does
not read, one with no word in common with any entry, and matching on words alone keep the
fused order). This lives with the benchmarks, not in the product: the model fitted on
LocalgovFAQ lowered precision on the sample ``faq/`` (docs/benchmarks.md), so the matcher has
no reranker; :func:`reranked` and :func:`ranked_ids` reorder its rankings from the outside.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from benchmarks.rerank_features import (
    FEATURES,
    RerankInput,
    candidate_features,
    rerank_input,
    top_candidates,
)
from helpbot.errors import MatchingConfigError
from helpbot.matching.crosslingual import foreign_language, rank_across_languages

if TYPE_CHECKING:
    from helpbot.matching.fields import Signals
    from helpbot.matching.hybrid import HybridMatcher

_FILE = "rerank.json"


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
        hint = "refit it with python -m benchmarks.fit_rerank --write FILE"
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
    """A reranker file written by ``python -m benchmarks.fit_rerank --write FILE``."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MatchingConfigError(
            f"{path}: cannot read a reranker file ({exc}); refit it with "
            "python -m benchmarks.fit_rerank --write FILE"
        ) from exc
    return Reranker.from_dict(raw, source=str(path))


def reranked(matcher: HybridMatcher, model: Reranker | None, text: str) -> np.ndarray:
    """``matcher``'s fused score of every entry for a Japanese ``text``, with the top
    ``model.depth`` scores handed out again in the model's order (None, or a message without
    both words and meaning: the fused order, which is what the matcher ranks by)."""
    signals = matcher.signals(text)
    lexical, fused = matcher.fuse(signals)
    if model is None or not model.applies(signals) or not fused.any():
        return fused
    return model.reorder(rerank_input(matcher, text, signals, lexical, fused))[0]


def ranked_ids(
    matcher: HybridMatcher, model: Reranker | None, text: str, limit: int
) -> list[str]:
    """The ids of the best ``limit`` entries for ``text``, in :meth:`HybridMatcher.rank`'s
    order with the Japanese rankings reordered by ``model`` (None: the matcher's own order).
    A message in another language is ranked as the matcher ranks it (meaning, plus the
    Japanese ranking of its glossary words, reordered)."""
    if not text.strip() or not matcher.entries:
        return []
    language = foreign_language(text) if matcher.sentence_space() is not None else None
    if language is None:
        scores = reranked(matcher, model, text)
    else:  # a foreign message has no kana: the meaning field reads the message as it is
        scores, _ = rank_across_languages(
            text, language, meaning=lambda t: matcher.signals(t).similarities,
            japanese=lambda t: (reranked(matcher, model, t), 0.0), bands=matcher.bands,
        )
    if float(scores.max()) <= 0:
        return []
    entries = matcher.entries
    return [entries[i].id for i in top_candidates(scores, limit).tolist() if scores[i] > 0]
