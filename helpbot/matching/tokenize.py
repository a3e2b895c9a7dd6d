"""Turning text into matching terms: Sudachi words, synonym groups, readings, character n-grams.

The Sudachi tokenizer is created on first use (loading the dictionary takes a moment), never at
import. Words are Sudachi's ``normalized_form`` in split mode A, so 表記揺れ such as
引越し/引っ越し or ゴミ/ごみ become one term; synonym-group ids from the Sudachi dictionary give
a second, looser field (葬式/葬儀, 亡くなる/死亡).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from helpbot.matching.normalize import fold_kana, nfkc

log = logging.getLogger(__name__)

_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "副詞"})
_SKIP_SUBPOS = frozenset({"非自立可能", "数詞"})
_SYMBOL_POS = frozenset({"補助記号", "空白", "記号"})
_EN_STOP = frozenset(
    (  # noqa: SIM905 - a word list reads better as one string
        "a an the is are was were be been am do does did to of in on at for by with from and or "
        "i you we my your our it this that what how when where who which can could would should "
        "will me there here please about have has get any some"
    ).split()
)
_KIND_OTHER, _KIND_SYMBOL, _KIND_CONTENT, _KIND_NUMBER, _KIND_SUFFIX = range(5)
_PARALLEL_MIN = 2_000  # texts; below this a second thread costs more than it saves


def english_stem(word: str) -> str:
    """A very small stemmer: enough that 'fees' meets 'fee' and 'opening' meets 'open'."""
    for suffix in ("ies", "ing", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            return stem + "y" if suffix == "ies" else stem
    return word


_dictionary: Any = None
_dictionary_lock = threading.Lock()


def sudachi_tokenizer(mode: str) -> Any:
    """A new Sudachi tokenizer in split mode ``mode`` ("A" or "C") over the process's one
    dictionary, loaded on first use. Tokenizers are not thread-safe: keep one per thread."""
    global _dictionary  # noqa: PLW0603 - one lazily loaded dictionary per process
    from sudachipy import Dictionary, SplitMode

    with _dictionary_lock:
        if _dictionary is None:
            _dictionary = Dictionary(dict="core")
            log.debug("sudachi dictionary loaded")
        return _dictionary.tokenizer(mode=getattr(SplitMode, mode))


def sudachi_loaded() -> bool:
    """Whether this process has loaded Sudachi's dictionary (asking never loads it)."""
    return _dictionary is not None


@dataclass(slots=True)
class Analysis:
    """Terms for one text, per field."""

    words: list[str] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)
    reading: str = ""
    # with readings: (hiragana reading, dictionary form, synonym-group terms, surface) of
    # content words, and of pairs of adjacent ones (dictionary forms joined by a space); the
    # other words (particles, endings) with an empty dictionary form
    lexicon: list[tuple[str, str, tuple[str, ...], str]] = field(default_factory=list)


class Analyzer:
    """Lazily initialised Sudachi analysis with a per-text cache; safe to share across threads.

    Each thread gets its own Sudachi tokenizer (they are not thread-safe); Sudachi releases the
    GIL while it tokenizes, so :meth:`analyze_many` uses two threads for large batches.
    """

    def __init__(self, *, cache_size: int = 20_000) -> None:
        self._local = threading.local()
        self._pos_kinds: dict[int, int] = {}
        self._cache: dict[tuple[str, bool], Analysis] = {}
        self._cache_size = cache_size

    def _get_tokenizer(self) -> Any:
        tokenizer = getattr(self._local, "tokenizer", None)
        if tokenizer is None:
            tokenizer = self._local.tokenizer = sudachi_tokenizer("A")
        return tokenizer

    def analyze_many(self, texts: Sequence[tuple[str, bool]]) -> list[Analysis]:
        """``analyze(text, readings=flag)`` for each pair, in two threads for large batches."""
        if len(texts) < _PARALLEL_MIN:
            return [self.analyze(text, readings=flag) for text, flag in texts]
        from concurrent.futures import ThreadPoolExecutor

        half = len(texts) // 2
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="sudachi") as pool:
            parts = pool.map(
                lambda chunk: [self.analyze(text, readings=flag) for text, flag in chunk],
                (texts[:half], texts[half:]),
            )
            return [analysis for part in parts for analysis in part]

    @staticmethod
    def _pos_kind(morpheme: Any) -> int:
        """What the morpheme's part of speech means for matching: one of the ``_KIND_*``."""
        pos = morpheme.part_of_speech()
        if pos[0] in _SYMBOL_POS:
            return _KIND_SYMBOL
        if pos[1] == "数詞":
            return _KIND_NUMBER
        if pos[0] in _CONTENT_POS and pos[1] not in _SKIP_SUBPOS:
            return _KIND_CONTENT
        return _KIND_SUFFIX if pos[0] == "接尾辞" else _KIND_OTHER

    def analyze(self, text: str, *, readings: bool = False, remember: bool = True) -> Analysis:
        """Terms of ``text``; with ``readings`` also its kana reading (costs a little more).

        ``remember=False`` for people's messages: the per-text cache is for the knowledge
        base's texts (analysed once per build); a long-running worker would otherwise keep the
        analyses of up to ``cache_size`` messages, what people wrote, for the snapshot's life."""
        key = (text, readings)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        result = Analysis()
        clean = nfkc(text)
        if clean:
            tokenizer = self._get_tokenizer()
            for line in clean.split("\n"):
                if line.strip():
                    self._analyze_line(tokenizer, line, result, readings=readings)
        if remember and len(self._cache) < self._cache_size:
            self._cache[key] = result
        return result

    def _analyze_line(self, tokenizer: Any, line: str, result: Analysis, *, readings: bool) -> None:
        kana: list[str] | None = [] if readings else None
        words = result.words
        synonyms = result.synonyms
        kinds = self._pos_kinds
        previous: tuple[str, str, tuple[str, ...], str] | None = None  # the last content word
        for morpheme in tokenizer.tokenize(line):
            pos_id = morpheme.part_of_speech_id()
            kind = kinds.get(pos_id)
            kind = kinds.setdefault(pos_id, self._pos_kind(morpheme)) if kind is None else kind
            if kind != _KIND_CONTENT:
                if kind == _KIND_SUFFIX and previous is not None:
                    # 医療+費: the compound's reading names the word before the suffix
                    result.lexicon.append(
                        (
                            previous[0] + fold_kana(morpheme.reading_form()),
                            *previous[1:3],
                            previous[3] + morpheme.surface(),
                        )
                    )
                previous = None
            if kind == _KIND_SYMBOL:
                if kana is not None:
                    kana.append(" ")
                continue
            if kind != _KIND_OTHER:  # content words and numbers: Latin words are nouns too
                surface = morpheme.surface()
                if surface.isascii():
                    if surface.isalnum() and surface not in _EN_STOP:
                        words.append(english_stem(surface))
                    if kana is not None:
                        kana.append(surface)
                    continue
            if kana is not None:
                self._note_reading(result, kana, morpheme, kind)
            if kind != _KIND_CONTENT:
                continue
            word = morpheme.normalized_form()
            words.append(word)
            group_ids = morpheme.synonym_group_ids()
            groups = tuple(f"#{gid}" for gid in group_ids) if group_ids else ()
            synonyms.extend(groups)
            previous = (
                self._add_reading(result, morpheme, word, groups, previous)
                if kana is not None
                else None
            )
        if kana is not None:
            reading = fold_kana("".join(kana))
            result.reading = f"{result.reading} {reading}" if result.reading else reading

    @staticmethod
    def _note_reading(result: Analysis, kana: list[str], morpheme: Any, kind: int) -> None:
        """Add the morpheme's reading to the text's; that of a particle, an ending or a word
        such as する, いる, ください also to the lexicon, with no dictionary form: a kana
        message's ますか is then read as these rather than as 桝 (:mod:`.kana`)."""
        reading = morpheme.reading_form()
        kana.append(reading)
        if kind in (_KIND_OTHER, _KIND_SUFFIX):
            result.lexicon.append((fold_kana(reading), "", (), morpheme.surface()))

    @staticmethod
    def _add_reading(
        result: Analysis,
        morpheme: Any,
        word: str,
        groups: tuple[str, ...],
        previous: tuple[str, str, tuple[str, ...], str] | None,
    ) -> tuple[str, str, tuple[str, ...], str]:
        """Put a content word's reading in the lexicon, and that of the compound it makes
        with the content word just before it (国民+健康); returns the word's entry."""
        item = (fold_kana(morpheme.reading_form()), word, groups, morpheme.surface())
        result.lexicon.append(item)
        if previous is not None:
            result.lexicon.append(
                (
                    previous[0] + item[0],
                    f"{previous[1]} {word}",
                    previous[2] + groups,
                    previous[3] + item[3],
                )
            )
        return item
