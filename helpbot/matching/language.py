"""Which language a message is written in, for the languages helpbot answers in.

``py3langid`` (BSD): a naive Bayes model over byte n-grams that ships inside the package, so
nothing is downloaded; about 0.05 ms per short message, loaded on first use (about a second).
It is restricted to the languages people write to Japanese NPOs in, which makes short messages
far more reliable than an open set. Japanese is decided by script before the model is asked
(kana are unambiguous), and a message too short to say anything returns None.
"""

from __future__ import annotations

import re
import threading
from typing import Any

LANGUAGES = ("ja", "en", "zh", "ko", "vi", "pt", "es", "tl", "ne", "id")
_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_DEVANAGARI = re.compile(r"[\u0900-\u097f]")
_LETTERS = re.compile(r"\w", re.UNICODE)

_identifier: Any = None
_lock = threading.Lock()


def _model() -> Any:
    global _identifier  # noqa: PLW0603 - one lazily loaded model per process
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            identifier.set_languages(list(LANGUAGES))
            # The model keeps all 142 languages' table (28 MB) beside the ten we use, for a
            # later set_languages(None) that helpbot never makes.
            identifier._full_model = (
                identifier.nb_ptc, identifier.nb_pc, identifier.nb_classes
            )
            _identifier = identifier
        return _identifier


def detect(text: str) -> str | None:
    """One of ``LANGUAGES``, or None for a message with too few letters to tell."""
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    if _DEVANAGARI.search(text):
        return "ne"
    if len(_LETTERS.findall(text)) < 2:
        return None
    language, _ = _model().classify(text)
    return str(language)
