"""Matching a message written in another language than the entries (Japanese).

The lexical fields (Sudachi words, synonym groups, character bigrams, kana readings) are built
from Japanese text; an English or Vietnamese message shares no word with them, so a foreign
message is ranked by the multilingual sentence encoder alone (:mod:`helpbot.matching.semantic`).

Its confidence cannot be the lexical coverage the hybrid matcher reports for Japanese, so it is
calibrated on its own: the raw cosine of the best entry and its margin over the runner-up are
mapped onto the matcher's bands, so that the same ``Bands`` decide for every language.

- below ``SUGGEST_COSINE``: fallback (the person gets the topic buttons and staff);
- from ``SUGGEST_COSINE``: "did you mean" with the best few entries;
- a direct answer only from ``ANSWER_COSINE`` *and* a clear margin: a cross-language match is
  rarely sure enough to answer without asking, and a wrong direct answer in a language the
  person cannot check costs more than one tap.

Calibrated on ``benchmarks/data/queries_dev_multilingual.jsonl`` (150 LocalgovFAQ dev queries
in eight languages) with ``helpbot bench matching --variant multilingual``; the numbers are
in docs/benchmarks.md.
"""

from __future__ import annotations

import re

import numpy as np

from helpbot.knowledge.entries import Entry
from helpbot.matching.base import Bands
from helpbot.matching.language import detect, is_foreign

_ASCII_LETTERS = re.compile(r"[A-Za-z]")
SUGGEST_COSINE = 0.30
ANSWER_COSINE = 0.80
ANSWER_MARGIN = 0.08


_TRANSLATION_CHARS = 160  # the opening of a translated answer says what it is about


def translated_answers(entry: Entry) -> tuple[str, ...]:
    """The openings of the entry's translated answers (answer_en, …), embedded as phrasings."""
    return tuple(text[:_TRANSLATION_CHARS] for _, text in entry.translations)


def written_in_another_language(text: str) -> bool:
    """True when the message is in a language other than Japanese (as far as it tells).

    A few Latin letters alone (DV, NHK, ATM) are how Japanese writers name things: they stay
    with the lexical fields, which match them in the entries."""
    if text.isascii() and len(_ASCII_LETTERS.findall(text)) < 4:
        return False
    return is_foreign(detect(text))


def confidence(top: float, runner_up: float, bands: Bands) -> float:
    """The 0..1 confidence for a top cosine and the runner-up's, placed on ``bands``."""
    suggest, answer = bands.suggest / 100.0, bands.answer / 100.0
    if top < SUGGEST_COSINE:
        return max(top, 0.0) / SUGGEST_COSINE * suggest * 0.99
    if top >= ANSWER_COSINE and top - runner_up >= ANSWER_MARGIN:
        return answer + (1.0 - answer) * min((top - ANSWER_COSINE) / (1 - ANSWER_COSINE), 1.0)
    span = max(ANSWER_COSINE - SUGGEST_COSINE, 1e-6)
    share = min((top - SUGGEST_COSINE) / span, 1.0)
    return suggest + (answer - suggest) * share * 0.99


def rank_by_meaning(similarities: np.ndarray, bands: Bands) -> tuple[np.ndarray, float]:
    """Scores for :meth:`HybridMatcher.scores`: the cosines (floored at 0) and the confidence."""
    scores = np.clip(similarities.astype(np.float32), 0.0, None)
    if len(scores) == 0 or float(scores.max()) <= 0:
        return scores, 0.0
    if len(scores) > 1:
        top, runner_up = np.sort(scores)[-1:-3:-1]
    else:
        top, runner_up = scores[0], 0.0
    return scores, confidence(float(top), float(runner_up), bands)
