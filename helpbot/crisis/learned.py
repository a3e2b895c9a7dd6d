"""The learned layer of crisis detection: a small model over the sentence vector.

Word lists and example sentences catch the ways of writing someone thought of. On a set of
messages written after the lists, by a writer who had not seen them (``crisis_fresh.yaml``),
they found 77 % of the people in danger: people say the same danger in too many ways. This
layer is a multinomial logistic regression over the multilingual encoder's vector (the vector
matching has already computed), fitted on labelled messages of every category and on everyday
messages and FAQ questions as negatives (``benchmarks/fit_crisis_model.py``, which says what it
was fitted on). It gives the chance that a message is a sign of danger and the likeliest
category; it fires above the threshold chosen when it was fitted (a stricter one for a message
in another language: ordinary questions in English, Portuguese or Spanish came out more
alarming than Japanese ones), after the word layers and the example sentences, under the same
guards (danger that is over, a named topic, laughter).

The weights ship as ``data/crisis_model.npz`` (about 20 KB, numpy only: nothing to install,
nothing downloaded). They belong to one encoder: a file fitted for another (``MODEL_ID``) is
ignored with a warning, and the other layers go on.
"""

from __future__ import annotations

import functools
import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

MODEL_FILE = Path(__file__).with_name("data") / "crisis_model.npz"
EVERYDAY_FILE = Path(__file__).with_name("data") / "everyday.yaml"
NONE = "none"  # the class of everyday messages


@dataclass(frozen=True, slots=True)
class Likely:
    """The model's view of one message: the chance of danger and the likeliest category."""

    probability: float
    category: str
    threshold: float
    # the message is one of the NPO's own questions or an everyday message
    # (``meaning.EVERYDAY_SAME``): the FAQ answers it
    everyday: bool = False

    @property
    def fires(self) -> bool:
        return self.probability >= self.threshold and not self.everyday


@dataclass(frozen=True, slots=True)
class CrisisModel:
    classes: tuple[str, ...]  # NONE and the categories' ids
    weights: Any  # (classes, DIM) float32
    bias: Any  # (classes,) float32
    threshold: float
    foreign_threshold: float  # for a message in another language than Japanese

    def likely(self, vectors: Any, *, foreign: bool = False) -> Likely:
        """The most alarming of ``vectors`` (the whole message and its sentences)."""
        danger, category = most_alarming(self.classes, self.weights, self.bias, vectors)
        return Likely(danger, category, self.foreign_threshold if foreign else self.threshold)


def most_alarming(classes: tuple[str, ...], weights: Any, bias: Any, vectors: Any
                  ) -> tuple[float, str]:
    """The chance of danger (all but ``NONE``) of the most alarming of ``vectors`` under a
    multinomial logistic model, and its likeliest category."""
    import numpy as np

    logits = np.atleast_2d(vectors) @ weights.T + bias
    logits -= logits.max(axis=1, keepdims=True)
    chances = np.exp(logits)
    chances /= chances.sum(axis=1, keepdims=True)
    none = classes.index(NONE)
    danger = 1.0 - chances[:, none]
    row = int(danger.argmax())
    by_category = chances[row].copy()
    by_category[none] = -1.0
    return float(danger[row]), classes[int(by_category.argmax())]


@functools.cache
def load_model(path: Path = MODEL_FILE) -> CrisisModel | None:
    """The shipped model, or None (with a warning) when it is missing or for another encoder."""
    from helpbot.matching.semantic import DIM, MODEL_ID

    found = read_weights(path, encoder=MODEL_ID, dim=DIM, layer="the learned layer",
                         refit="benchmarks/fit_crisis_model.py")
    if found is None:
        return None
    if "threshold" not in found.extra:
        logger.warning("crisis model %s has no threshold: the learned layer is off; refit it "
                       "with benchmarks/fit_crisis_model.py", path)
        return None
    threshold = float(found.extra["threshold"])
    foreign = float(found.extra.get("foreign_threshold", threshold))
    return CrisisModel(found.classes, found.weights, found.bias, threshold,
                       max(foreign, threshold))


@dataclass(frozen=True, slots=True)
class Weights:
    """A model file's weights, checked, and its other arrays (thresholds)."""

    classes: tuple[str, ...]
    weights: Any  # (classes, dim) float32, read-only
    bias: Any  # (classes,) float32, read-only
    extra: dict[str, Any]


def write_weights(path: Path, *, encoder: str, fitted: Any, **extra: Any) -> None:
    """Write a fitted scikit-learn logistic model as :func:`read_weights` reads it, with the
    encoder it was fitted for and ``extra`` arrays (its thresholds); for the fit scripts."""
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path, encoder=np.array(encoder), classes=np.array(fitted.classes_),
        weights=fitted.coef_.astype(np.float32), bias=fitted.intercept_.astype(np.float32),
        **{key: np.array(value) for key, value in extra.items()},
    )


def read_weights(path: Path, *, encoder: str, dim: int, layer: str, refit: str
                 ) -> Weights | None:
    """The weights in ``path`` (an .npz written by ``refit``), or None with a warning when the
    file is missing, cannot be read or was fitted for another encoder: ``layer`` is then off."""
    import numpy as np

    if not path.is_file():
        logger.warning("crisis model %s not found: %s is off", path, layer)
        return None
    try:
        with path.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
            fitted_for = str(data["encoder"])
            classes = tuple(str(c) for c in data["classes"])
            weights = np.asarray(data["weights"], dtype=np.float32)
            bias = np.asarray(data["bias"], dtype=np.float32)
            extra = {key: np.asarray(data[key]) for key in data.files
                     if key not in ("encoder", "classes", "weights", "bias")}
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        logger.warning("crisis model %s cannot be read (%s): %s is off; refit it with %s",
                       path, type(exc).__name__, layer, refit)
        return None
    if fitted_for != encoder or weights.shape != (len(classes), dim) or NONE not in classes \
            or bias.shape != (len(classes),):
        logger.warning("crisis model %s was fitted for encoder %s, not %s: %s is off; refit it "
                       "with %s", path, fitted_for, encoder, layer, refit)
        return None
    weights.setflags(write=False)
    bias.setflags(write=False)
    return Weights(classes, weights, bias, extra)


@functools.cache
def builtin_everyday(path: Path = EVERYDAY_FILE) -> tuple[str, ...]:
    """Ordinary messages near a danger's topic (moving house, a death in the family, a
    pregnancy, a divorce's papers), shipped with helpbot: negatives for the example sentences
    beside the NPO's own FAQ, and ``none`` when the model is fitted."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        logger.warning("everyday messages %s cannot be read (%s): left out", path,
                       type(exc).__name__)
        return ()
    rows = data.get("everyday") if isinstance(data, dict) else None
    return tuple(str(row["text"]) for row in rows or ()
                 if isinstance(row, dict) and str(row.get("text") or "").strip())
