"""Turning text into matching terms: Sudachi words, synonym groups, readings, character n-grams.

The Sudachi tokenizer is created on first use (loading the dictionary takes a moment), never at
import. Words are Sudachi's ``normalized_form`` in split mode A, so 表記揺れ such as
引越し/引っ越し or ゴミ/ごみ become one term; synonym-group ids from the Sudachi dictionary give
a second, looser field (葬式/葬儀, 亡くなる/死亡).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from helpbot.matching.normalize import fold_kana, nfkc, normalize

log = logging.getLogger(__name__)

_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "副詞"})
_SKIP_SUBPOS = frozenset({"非自立可能", "数詞"})
_SYMBOL_POS = frozenset({"補助記号", "空白", "記号"})
_EN_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "do",
        "does",
        "did",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "from",
        "and",
        "or",
        "i",
        "you",
        "we",
        "my",
        "your",
        "our",
        "it",
        "this",
        "that",
        "what",
        "how",
        "when",
        "where",
        "who",
        "which",
        "can",
        "could",
        "would",
        "should",
        "will",
        "me",
        "there",
        "here",
        "please",
        "about",
        "have",
        "has",
        "get",
        "any",
        "some",
    ]
)


def english_stem(word: str) -> str:
    """A very small stemmer: enough that 'fees' meets 'fee' and 'opening' meets 'open'."""
    for suffix in ("ies", "ing", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            return stem + "y" if suffix == "ies" else stem
    return word


@dataclass(slots=True)
class Analysis:
    """Terms for one text, per field."""

    words: list[str] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)
    reading: str = ""


class Analyzer:
    """Thread-safe, lazily initialised Sudachi analysis with a per-text cache."""

    def __init__(self, *, cache_size: int = 20_000) -> None:
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        self._pos_cache: dict[int, tuple[bool, bool]] = {}
        self._cache: dict[tuple[str, bool], Analysis] = {}
        self._cache_size = cache_size

    def _get_tokenizer(self) -> Any:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    from sudachipy import Dictionary, SplitMode

                    dictionary = Dictionary(dict="core")
                    self._tokenizer = dictionary.tokenizer(mode=SplitMode.A)
                    log.debug("sudachi tokenizer loaded")
        return self._tokenizer

    def _pos_flags(self, morpheme: Any) -> tuple[bool, bool]:
        """(is a content word, is a symbol) for the morpheme's part of speech."""
        pos = morpheme.part_of_speech()
        content = pos[0] in _CONTENT_POS and pos[1] not in _SKIP_SUBPOS
        return content, pos[0] in _SYMBOL_POS

    def analyze(self, text: str, *, readings: bool = False) -> Analysis:
        """Terms of ``text``; with ``readings`` also its kana reading (costs a little more)."""
        key = (text, readings)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        result = Analysis()
        clean = nfkc(text)
        if clean:
            tokenizer = self._get_tokenizer()
            with self._lock:
                for line in clean.split("\n"):
                    if line.strip():
                        self._analyze_line(tokenizer, line, result, readings=readings)
        if len(self._cache) < self._cache_size:
            self._cache[key] = result
        return result

    def _analyze_line(self, tokenizer: Any, line: str, result: Analysis, *, readings: bool) -> None:
        kana: list[str] | None = [] if readings else None
        words = result.words
        synonyms = result.synonyms
        pos_cache = self._pos_cache
        for morpheme in tokenizer.tokenize(line):
            pos_id = morpheme.part_of_speech_id()
            flags = pos_cache.get(pos_id)
            if flags is None:
                flags = pos_cache[pos_id] = self._pos_flags(morpheme)
            content, symbol = flags
            if symbol:
                if kana is not None:
                    kana.append(" ")
                continue
            surface = morpheme.surface()
            if surface.isascii() and surface.isalnum():
                if surface not in _EN_STOP:
                    words.append(english_stem(surface))
                if kana is not None:
                    kana.append(surface)
                continue
            if not content:
                if kana is not None:
                    kana.append(morpheme.reading_form())
                continue
            if kana is not None:
                kana.append(morpheme.reading_form())
            words.append(morpheme.normalized_form().lower())
            group_ids = morpheme.synonym_group_ids()
            if group_ids:
                synonyms.extend([f"#{gid}" for gid in group_ids])
        if kana is not None:
            reading = fold_kana("".join(kana))
            result.reading = f"{result.reading} {reading}" if result.reading else reading


def char_ngrams(text: str, n: int = 2) -> list[str]:
    """Overlapping character n-grams of each space-separated chunk of the normalised text."""
    grams: list[str] = []
    for chunk in normalize(text).split(" "):
        if len(chunk) < n:
            if chunk:
                grams.append(chunk)
            continue
        grams.extend(chunk[i : i + n] for i in range(len(chunk) - n + 1))
    return grams


def reading_ngrams(reading: str, n: int = 2) -> list[str]:
    """Character n-grams of a kana reading (for hiragana-only messages)."""
    grams: list[str] = []
    for chunk in reading.split():
        grams.extend(chunk[i : i + n] for i in range(max(len(chunk) - n + 1, 0)))
    return grams
