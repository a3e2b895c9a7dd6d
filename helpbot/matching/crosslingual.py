"""Matching a message written in another language than the entries (Japanese).

The lexical fields (Sudachi words, synonym groups, character bigrams, kana readings) are built
from Japanese text; an English or Vietnamese message shares no word with them. A foreign
message is ranked by two signals:

- meaning: the multilingual sentence encoder (:mod:`helpbot.matching.semantic`), cosine with
  each entry, rescaled per query like the Japanese fusion;
- a glossary (``data/glossary.tsv``): everyday words of each language for the things people
  ask a Japanese office about (residence certificate, garbage, welfare, rent, …), each with its
  Japanese word. The Japanese words found in the message go through the Japanese matcher, and
  its scores are added, with more weight for the languages the encoder was not trained on
  (Vietnamese, Tagalog, Nepali, Indonesian), where meaning alone is close to noise.

Its confidence cannot be the lexical coverage the hybrid matcher reports for Japanese, so it is
calibrated on its own and placed on the matcher's bands, so that the same ``Bands`` decide:

- a cosine from ``SUGGEST_COSINE``, or any glossary word found: "did you mean";
- otherwise fallback (the topic buttons and staff);
- a direct answer only from ``ANSWER_COSINE`` *and* a clear margin: a cross-language match is
  rarely sure enough to answer without asking, and a wrong direct answer in a language the
  person cannot check costs more than one tap. Glossary words alone never answer directly.

Calibrated on ``benchmarks/data/queries_dev_multilingual.jsonl`` with
``helpbot bench matching --variant multilingual``; numbers in docs/benchmarks.md.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

from helpbot.knowledge.entries import Entry
from helpbot.matching.accents import nepali_spelling, optional_accents, plain
from helpbot.matching.base import Bands
from helpbot.matching.kana import kana_only
from helpbot.matching.language import detect, is_foreign
from helpbot.matching.semantic import relative_scores
from helpbot.matching.tagalog import roots

if TYPE_CHECKING:  # fields.py imports this module
    from helpbot.matching.fields import Signals

_ASCII_LETTERS = re.compile(r"[A-Za-z]")
SUGGEST_COSINE = 0.30
ANSWER_COSINE = 0.80
ANSWER_MARGIN = 0.08
# Weight of the glossary's Japanese words against meaning (scaled to 1 each).
GLOSSARY_WEIGHT = 1.0
UNKNOWN_TO_ENCODER = frozenset({"vi", "tl", "ne", "id"})
GLOSSARY_WEIGHT_UNKNOWN = 3.0
GLOSSARY_LANGUAGES = ("en", "zh", "ko", "vi", "pt", "es", "tl", "ne")
_TRANSLATION_CHARS = 160  # the opening of a translated answer says what it is about

# The text a message must hold (the term, or without accents when they are optional), whether
# it is looked for in the message without accents, the Japanese word, and the whole-word form.
Term = tuple[str, bool, str, "re.Pattern[str] | None"]
_glossary: dict[str, list[Term]] | None = None
_TAGALOG_ROOTS = "tl:roots"  # the Tagalog terms as roots (tagalog.py)
_lock = threading.Lock()


def translated_answers(entry: Entry) -> tuple[str, ...]:
    """The openings of the entry's translated answers (answer_en, …), embedded as phrasings."""
    return tuple(text[:_TRANSLATION_CHARS] for _, text in entry.translations)


def translated_questions(entry: Entry) -> tuple[str, ...]:
    """The entry's translated questions (question_en, …), embedded as phrasings."""
    return tuple(text for _, text in entry.question_translations)


def foreign_language(text: str) -> str | None:
    """The message's language when it is not Japanese; None for Japanese or unknown.

    A few Latin letters alone (DV, NHK, ATM) are how Japanese writers name things: they stay
    with the lexical fields, which match them in the entries."""
    if text.isascii() and len(_ASCII_LETTERS.findall(text)) < 4:
        return None
    language = detect(text)
    return language if is_foreign(language) else None


def written_in_another_language(text: str) -> bool:
    """True when the message is in a language other than Japanese (as far as it tells)."""
    return foreign_language(text) is not None


# Languages written with spaces between words in Latin letters: a term is found only as whole
# words ("rent" is not in "parent", Tagalog "aso" not in "kaso"), with a plural -s/-es in
# English, Spanish and Portuguese; their accents may be left out (``accents.py``), except in a
# Vietnamese term of one syllable, where dropping them makes another common word: "cống"
# (sewer) is "cong" as "công" (public) is, "đẻ" (give birth) "de" as "để" (in order to),
# "chó" (dog) "cho" (for), "bão" (typhoon) "bao" (how much); measured on the unaccented
# dev questions, dropping them too took Vietnamese SR@5 from 0.487 to 0.433. Chinese, Korean
# (particles attach to the noun: 주민표를) and Nepali (postpositions attach: पेन्सनको) are
# searched as text.
_WORDS_LANGUAGES = frozenset({"en", "vi", "pt", "es", "tl"})
_PLURALS = frozenset({"en", "pt", "es"})
_ACCENTS_KEPT_IN_ONE_SYLLABLE = frozenset({"vi"})
_LETTER = r"[^\W\d_]"
# Apostrophes straightened; hyphens and slashes between words read as spaces (child-care).
_FOLDS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "-": " ", "\u2010": " ",
                        "/": " "})


def _fold(text: str, language: str) -> str:
    """NFKC (full-width letters, composed accents), lower case, apostrophes and hyphens, and
    Nepali spelling variants."""
    folded = unicodedata.normalize("NFKC", text).lower().translate(_FOLDS)
    return nepali_spelling(folded) if language == "ne" else folded


def _load_glossary() -> dict[str, list[Term]]:
    global _glossary  # noqa: PLW0603 - read once per process, on first use
    with _lock:
        if _glossary is None:
            table: dict[str, list[Term]] = {code: [] for code in GLOSSARY_LANGUAGES}
            text = resources.files("helpbot.matching").joinpath("data/glossary.tsv").read_text(
                encoding="utf-8"
            )
            for line in text.splitlines():
                if not line.strip() or line.startswith("#"):
                    continue
                japanese, *cells = line.split("\t")
                for code, cell in zip(GLOSSARY_LANGUAGES, cells, strict=False):
                    for raw in cell.split("/"):
                        term = _fold(raw.strip(), code).strip()
                        if term:
                            table[code].append(_term(term, japanese, code))
            table[_TAGALOG_ROOTS] = [
                _term(roots(term), japanese, "tl") for term, _, japanese, _ in table["tl"]
            ]
            for terms in table.values():
                terms.sort(key=lambda row: -len(row[0]))  # longest first: "large garbage"
            _glossary = table
        return _glossary


def _term(term: str, japanese: str, language: str) -> Term:
    """The term as whole words in a language written with spaces, accents optional where they
    may be (otherwise no pattern: searched as text)."""
    if language not in _WORDS_LANGUAGES:
        return term, False, japanese, None
    plural = "(?:e?s)?" if language in _PLURALS else ""
    unaccented = language not in _ACCENTS_KEPT_IN_ONE_SYLLABLE or " " in term
    body = optional_accents(term) if unaccented else re.escape(term)
    pattern = re.compile(f"(?<!{_LETTER}){body}{plural}(?!{_LETTER})")
    return (plain(term) if unaccented else term), unaccented, japanese, pattern


def glossary_words(text: str, language: str) -> list[str]:
    """The Japanese words of the glossary terms found in a message: the longest terms first,
    each found one taken out of the message, so "national health insurance" is not also read
    as "health insurance"."""
    glossary = _load_glossary()
    found, rest = _find(f" {_fold(text, language)} ", glossary.get(language, ()))
    if language == "tl":  # verb forms: itatapon, nagtapon, tinapon are all "tapon"
        found += _find(roots(rest), glossary[_TAGALOG_ROOTS])[0]
    return list(dict.fromkeys(found))


def encoder_texts(messages: Sequence[str]) -> list[str]:
    """What the sentence encoder reads when these messages are ranked: each message, and a
    foreign one's glossary words in Japanese (``rank_across_languages``). A message of kana
    alone is left out: the encoder reads it in the entries' spelling (``HybridMatcher``)."""
    read = []
    for text in messages:
        if kana_only(text):
            continue
        read.append(text)
        language = foreign_language(text)
        words = glossary_words(text, language) if language is not None else []
        if words:
            read.append(" ".join(words))
    return read


def _find(rest: str, terms: list[Term]) -> tuple[list[str], str]:
    """The Japanese words of the terms found in ``rest``, and what is left of it."""
    unaccented = plain(rest)
    found: list[str] = []
    for needle, in_plain, japanese, whole in terms:
        if needle not in (unaccented if in_plain else rest):  # cheap test: most are not there
            continue
        if whole is None:
            found.append(japanese)
            rest = rest.replace(needle, " ")
        elif whole.search(rest):
            found.append(japanese)
            rest = whole.sub(" ", rest)
        else:
            continue
        unaccented = plain(rest)
    return found, rest


_ABOVE = 1e-4  # 0.01 on the candidates' 0..100 scale


def confidence(top: float, runner_up: float, bands: Bands, *, glossary: bool = False) -> float:
    """The 0..1 confidence for a top cosine and the runner-up's, placed on ``bands``.

    A confidence meant to reach a band sits a hair above its threshold: candidate scores are
    rounded to 0.01 on the 0..100 scale, and 100 * 0.164 is 16.400000000000002 in floating
    point, so a score put exactly on the threshold could round below it."""
    suggest, answer = bands.suggest / 100.0 + _ABOVE, bands.answer / 100.0 + _ABOVE
    if top < SUGGEST_COSINE:
        below = max(top, 0.0) / SUGGEST_COSINE * suggest * 0.99
        return suggest if glossary else below
    if top >= ANSWER_COSINE and top - runner_up >= ANSWER_MARGIN:
        return min(answer + (1.0 - answer) * min((top - ANSWER_COSINE) / (1 - ANSWER_COSINE), 1.0),
                   1.0)
    span = max(ANSWER_COSINE - SUGGEST_COSINE, 1e-6)
    share = min((top - SUGGEST_COSINE) / span, 1.0)
    return suggest + (answer - suggest) * share * 0.99


def word_cover(signals: Signals, size: int) -> np.ndarray:
    """How much of a message's word mass each of ``size`` entries holds (0..1), over the
    word fields of ``signals`` (float64, in the order :meth:`HybridMatcher.coverage` of one
    entry has always summed it)."""
    total = sum(weight for _, weight, _, _ in signals.lexical)
    reached = np.zeros(size, dtype=np.float64)
    if total <= 0:
        return reached
    for _, weight, field_scores, bound in signals.lexical:
        reached += weight * field_scores.astype(np.float64) / bound
    return np.minimum(reached / total, 1.0)


def rank_across_languages(
    text: str,
    language: str,
    *,
    meaning: Callable[[str], np.ndarray],
    japanese: Callable[[str], tuple[np.ndarray, float]],
    bands: Bands,
    own: np.ndarray | None = None,
    own_words: Callable[[str], np.ndarray] | None = None,
) -> tuple[np.ndarray, float]:
    """Scores for :meth:`HybridMatcher.scores` of a foreign message, and its confidence.

    ``own`` marks the entries written in the message's language (an NPO's English entries):
    they also get the share of the message's words they hold (``own_words``: 0..1, not scaled
    to the best, so a word or two in common adds little), as the glossary's Japanese words
    score the Japanese entries, so that the glossary does not rank them below Japanese ones.
    The confidence is that of the entry ranked first."""
    similarities = meaning(text).astype(np.float32)
    if len(similarities) == 0:
        return similarities, 0.0
    fused = relative_scores(similarities)
    words = glossary_words(text, language)
    if words:
        lexical, _ = japanese(" ".join(words))
        best = float(lexical.max()) if len(lexical) else 0.0
        if best > 0:
            weight = GLOSSARY_WEIGHT_UNKNOWN if language in UNKNOWN_TO_ENCODER else GLOSSARY_WEIGHT
            fused = fused + weight * (lexical / best)
    if own is not None and own_words is not None and own.any():
        fused = fused + GLOSSARY_WEIGHT * np.where(own, own_words(text), 0.0).astype(np.float32)
    if float(fused.max()) <= 0:
        return fused, 0.0
    first = int(np.argmax(fused))
    top = float(similarities[first])
    others = np.delete(similarities, first)
    runner_up = float(others.max()) if len(others) else 0.0
    return fused, confidence(top, runner_up, bands, glossary=bool(words))
