"""The pattern layer of crisis detection: words in order, each near the one before.

A pattern (``死ぬ + たい``) is a list of words, each with its alternatives (``死ぬ|自殺``),
that must appear in that order, each within ``PATTERN_GAP`` words of the one before. A
Japanese pattern is matched over the message's words in dictionary form and their readings
(死にたい, 死にたかった, 死にたくて); a pattern written in Latin letters only, over the
message's Latin words. See ``crisis/lexicon.py`` for the other word layers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from helpbot.crisis.text import (
    Analysis,
    Morphology,
    Word,
    fold,
    has_japanese,
    latin_words,
    only_latin,
)
from helpbot.knowledge.crisis_file import CrisisRules

PATTERN_GAP = 3

# first word's form -> [(each word's forms, category, the pattern as staff wrote it)]
_Index = dict[str, list[tuple[tuple[frozenset[str], ...], str, str]]]


class Patterns:
    """The compiled patterns of one ``crisis.yaml``: Japanese ones and Latin-letter ones."""

    def __init__(self, rules: CrisisRules, morphology: Morphology, *, weak: bool = False) -> None:
        """The categories' ``patterns``, or with ``weak`` their ``weak`` ones."""
        self._japanese: _Index = {}
        self._latin: _Index = {}
        for category in rules.categories:
            for words in category.weak if weak else category.patterns:
                written = " + ".join("|".join(word) for word in words)
                if all(only_latin(a) for word in words for a in word):
                    latin = tuple(frozenset(latin_words(a).strip() for a in word)
                                  for word in words)
                    for first in latin[0]:
                        self._latin.setdefault(first, []).append((latin, category.key, written))
                    continue
                compiled = tuple(
                    frozenset(
                        {fold(a) for a in word}
                        | {r for a in word
                           if has_japanese(a) and len(r := morphology.reading(a)) > 1}
                    )
                    for word in words
                )
                for first in compiled[0]:
                    self._japanese.setdefault(first, []).append(
                        (compiled, category.key, written))

    @property
    def has_latin(self) -> bool:
        return bool(self._latin)

    def in_analysis(self, analysis: Analysis, kept: list[bool]) -> Iterator[tuple[str, str]]:
        """(category, pattern) of each Japanese pattern over the message's ``kept`` words."""
        for category, written, _ in self.placed_in_analysis(analysis, kept):
            yield category, written

    def placed_in_analysis(self, analysis: Analysis, kept: list[bool]
                           ) -> Iterator[tuple[str, str, tuple[int, ...]]]:
        """(category, pattern, the words it covers) of each Japanese pattern."""
        words = analysis.words
        for start, word in enumerate(words):
            if not kept[start]:
                continue
            for form in word.forms:
                for pattern, category, written in self._japanese.get(form, ()):
                    if (placed := _rest_in_order(pattern, words, kept, start)) is not None:
                        yield category, written, placed

    def in_latin(self, tokens: list[str]) -> Iterator[tuple[str, str]]:
        """(category, pattern) of each Latin-letter pattern over the message's Latin words."""
        for category, written, _ in self.placed_in_latin(tokens):
            yield category, written

    def placed_in_latin(self, tokens: list[str]) -> Iterator[tuple[str, str, tuple[int, ...]]]:
        """(category, pattern, the words it covers) of each Latin-letter pattern."""
        kept = [True] * len(tokens)
        forms = [frozenset({token}) for token in tokens]
        for start, token in enumerate(tokens):
            for pattern, category, written in self._latin.get(token, ()):
                if (placed := _rest_in_order(pattern, forms, kept, start)) is not None:
                    yield category, written, placed


def _rest_in_order(
    pattern: tuple[frozenset[str], ...],
    words: Sequence[Word] | Sequence[frozenset[str]],
    kept: list[bool],
    start: int,
) -> tuple[int, ...] | None:
    """The positions of the pattern's words when its later words follow the word at
    ``start``, each nearby; None when they do not."""
    forms = [w if isinstance(w, frozenset) else w.forms for w in words]
    placed = [start]
    for wanted in pattern[1:]:
        window = range(placed[-1] + 1, min(len(words), placed[-1] + 1 + PATTERN_GAP))
        position = next((i for i in window if kept[i] and wanted & forms[i]), -1)
        if position < 0:
            return None
        placed.append(position)
    return tuple(placed)
