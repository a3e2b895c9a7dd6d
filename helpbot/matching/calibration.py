"""How sure the matcher is that its top entry answers the message: a calibrated probability.

A raw score threshold cannot say when to answer directly: a long message that shares many
words with an entry and a short one that matches an entry exactly score alike. A small
logistic model over what the ranking shows says it better:

* ``top``: the fused score of the top entry (words + meaning);
* ``margin``: how far the runner-up is behind it (relative);
* ``coverage``: the share of the message's BM25 mass the top entry reaches;
* ``semantic_top`` / ``lexical_top``: the top entry's score in the meaning field and in the
  word fields alone (1 = that field ranks it first too), and ``agree``: both rank it first;
* ``length``: log of the message's length in characters; ``kana_only``; ``has_semantic``.

The model is fitted by ``python -m benchmarks.fit_calibration`` on the LocalgovFAQ dev queries
(and their kana variant), once with sentence vectors and once on words alone
(``HELPBOT_SEMANTIC=0``), and stored beside this module as ``calibration.json``, with the
probability thresholds for a direct answer (chosen so that at most 5% of direct answers are
wrong on dev) and for "did you mean" suggestions. The matcher reports 100 x the probability
as the top candidate's score, so :class:`helpbot.matching.base.Bands` keeps working on 0..100.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

from helpbot.errors import MatchingConfigError

if TYPE_CHECKING:
    from helpbot.matching.fields import Signals

FEATURES = (
    "top",
    "margin",
    "coverage",
    "semantic_top",
    "lexical_top",
    "agree",
    "length",
    "kana_only",
    "has_semantic",
)
_FILE = "calibration.json"


@dataclass(frozen=True, slots=True)
class Calibration:
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]  # bias first, then one per feature (on standardised features)
    answer: float  # probability at or above which the top entry is answered directly
    suggest: float  # probability at or above which entries are suggested; below: fallback

    def probability(self, features: Sequence[float]) -> float:
        z = self.weights[0]
        for value, mean, scale, weight in zip(
            features, self.mean, self.scale, self.weights[1:], strict=True
        ):
            z += weight * (value - mean) / scale
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))

    def as_dict(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "weights": list(self.weights),
            "answer": self.answer,
            "suggest": self.suggest,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, object], *, source: str = _FILE) -> Calibration:
        try:
            if list(raw["features"]) != list(FEATURES):  # type: ignore[call-overload]
                raise MatchingConfigError(
                    f"{source}: the features {raw['features']} are not {list(FEATURES)}; "
                    "refit it with python -m benchmarks.fit_calibration"
                )
            n = len(FEATURES)
            mean = tuple(float(x) for x in raw["mean"])  # type: ignore[attr-defined]
            scale = tuple(float(x) for x in raw["scale"])  # type: ignore[attr-defined]
            weights = tuple(float(x) for x in raw["weights"])  # type: ignore[attr-defined]
            answer, suggest = float(raw["answer"]), float(raw["suggest"])  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError) as exc:
            raise MatchingConfigError(
                f"{source}: not a calibration file ({exc}); refit it with "
                "python -m benchmarks.fit_calibration"
            ) from exc
        if len(mean) != n or len(scale) != n or len(weights) != n + 1 or min(scale) <= 0:
            raise MatchingConfigError(f"{source}: wrong number of values for {n} features")
        return cls(mean=mean, scale=scale, weights=weights, answer=answer, suggest=suggest)


_defaults: dict[str, Calibration] = {}
MODES = ("semantic", "lexical")  # with sentence vectors, and on words alone


def default_calibration(*, semantic: bool = True) -> Calibration:
    """The calibration shipped with helpbot for matching with sentence vectors or on words
    alone (read once, on first use)."""
    if not _defaults:
        text = resources.files("helpbot.matching").joinpath(_FILE).read_text(encoding="utf-8")
        raw = json.loads(text)
        for mode in MODES:
            if mode not in raw:
                raise MatchingConfigError(
                    f"{_FILE}: no {mode!r} calibration; refit it with "
                    "python -m benchmarks.fit_calibration --write"
                )
            _defaults[mode] = Calibration.from_dict(raw[mode], source=f"{_FILE} ({mode})")
    return _defaults["semantic" if semantic else "lexical"]


def ranking_features(
    signals: Signals, lexical: np.ndarray, fused: np.ndarray, coverage: float
) -> list[float]:
    """The :data:`FEATURES` of one ranking (``fused`` must have a positive entry)."""
    if len(fused) > 1:
        top, second = (int(i) for i in np.argpartition(-fused, 1)[:2])
        if fused[second] > fused[top]:
            top, second = second, top
        runner_up = float(fused[second])
    else:
        top, runner_up = 0, 0.0
    best = float(fused[top])
    semantic = signals.semantic
    semantic_top = float(semantic[top]) if semantic is not None else 0.0
    lexical_first = int(np.argmax(lexical)) if lexical.any() else -1
    agree = semantic is not None and lexical_first == int(np.argmax(semantic))
    return [
        best,
        (best - runner_up) / best if best > 0 else 0.0,
        coverage,
        semantic_top,
        float(lexical[top]),
        1.0 if agree else 0.0,
        math.log1p(signals.length),
        1.0 if signals.kana_only else 0.0,
        1.0 if semantic is not None else 0.0,
    ]
