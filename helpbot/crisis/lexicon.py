"""The word layers of crisis detection: expressions, Japanese patterns, and typos.

An expression written in Latin letters matches whole words, without case or accents
(``toi muon chet`` = ``Tôi muốn chết``; ``suicid*`` any ending); one found inside a longer one
of another category comes after it ("amenaza con matarme", violence, before its "matarme").
Words listed under ``alone`` count only as the whole message, give or take the words a plea
carries (「たすけてください」, "someone help me"; ``crisis/alone.py``). Any other expression matches
inside the folded message (see :func:`helpbot.crisis.text.fold`) and, when it is Japanese,
also inside the message's kana reading, so the reading of 死にたい (しにたい) finds
しにたい, ｼﾆﾀｲ and the conversion slips 氏にたい / 市にたい. A reading must start where a
word starts (and, when it is short, end where a word ends): 蹴られ (けられ) is not in
受けられ (う|けられ), and 死に (しに) is not in 弁護士に.

A pattern (``死ぬ + たい``) is a list of Japanese words in dictionary form that must appear in
that order, each near the one before, in any inflection (死にたい, 死にたかった, 死にたくて;
``crisis/patterns.py``). Expressions of ``TYPO_MIN`` kana or more also match with one slip (a
dropped, doubled or wrong character) in the reading (``crisis/typos.py``), and, from four kana,
with a ゛ or ゜ dropped or swapped (なくられた). A message repeating one phrase (しにたいしにたい)
is read as that phrase. A category's emoji counts beside a sign of distress
(``crisis/emoji.py``), and so does a category's ``weak`` pattern, or two of them together
(``crisis/weak.py``).

Phrases under ``not_crisis`` are cut out of the message first: from the folded text, and the
words they cover are left out of the reading and of patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from helpbot.crisis.alone import LoneWords
from helpbot.crisis.emoji import EmojiSigns
from helpbot.crisis.learned import builtin_everyday
from helpbot.crisis.patterns import Patterns
from helpbot.crisis.text import (
    Analysis,
    Morphology,
    alternation,
    devoiced,
    devoiced_loose,
    fold,
    found_with_marks,
    has_japanese,
    has_latin,
    latin_regex,
    latin_words,
    loose,
    marked_words,
    one_phrase,
    only_latin,
)
from helpbot.crisis.typos import TypoIndex
from helpbot.crisis.weak import WeakSigns
from helpbot.knowledge.crisis_file import CrisisRules

READING_MIN = 3
SHORT_READING = 5  # readings shorter than this must also end where a word ends
# Readings this long also match with a ゛ or ゜ dropped or swapped; three kana without their
# marks are too often another word: 自残 じざん is 資産 しさん, 自殺 じさつ is 視察 しさつ.
DEVOICED_MIN = 4
_BREAK = "|"


@dataclass(frozen=True, slots=True)
class LexicalHit:
    category: str
    rule: str  # as staff wrote it
    layer: str  # "expression", "pattern", "typo", "emoji" or "weak"


class Lexicon:
    """The compiled word rules of one ``crisis.yaml``."""

    def __init__(self, rules: CrisisRules, morphology: Morphology) -> None:
        self._morphology = morphology
        folded: dict[str, tuple[str, str]] = {}
        readings: dict[str, tuple[str, str]] = {}
        latin: list[tuple[re.Pattern[str], str, str]] = []
        for category in rules.categories:
            for expression in category.expressions:
                if only_latin(expression):
                    pattern = re.compile(r"(?<= )" + latin_regex(expression) + r"(?= )")
                    latin.append((pattern, category.key, expression))
                    continue
                key = fold(expression)
                if key:
                    folded.setdefault(key, (category.key, expression))
                if has_japanese(expression):
                    reading = morphology.reading(expression)
                    if len(reading) >= READING_MIN:
                        readings.setdefault(reading, (category.key, expression))
        self._folded = folded
        self._folded_re = alternation(list(folded))
        self._loose = {loose(k): v for k, v in folded.items() if len(loose(k)) >= 4}
        self._loose_re = alternation(list(self._loose))
        self._readings = readings
        self._readings_re = alternation(list(readings))
        self._loose_readings = {
            loose(k): v for k, v in readings.items() if len(loose(k)) >= 4
        }
        self._loose_readings_re = alternation(list(self._loose_readings))
        self._devoiced_readings = {
            devoiced_loose(k): v
            for k, v in readings.items()
            if len(loose(k)) >= DEVOICED_MIN and devoiced(k) != k
        }
        self._devoiced_readings_re = alternation(list(self._devoiced_readings))
        self._latin = latin
        # each Latin expression by its first whole word: only those whose words are all in a
        # message are tried on it ("suicid*": its last word is a beginning, not looked for)
        self._latin_by_word: dict[str, list[int]] = {}
        self._latin_words: list[tuple[str, ...]] = []
        for index, (_, _, expression) in enumerate(latin):
            whole = latin_words(expression.rstrip("*")).split()
            whole = whole[:-1] if expression.endswith("*") else whole
            self._latin_words.append(tuple(whole))
            self._latin_by_word.setdefault(whole[0] if whole else "", []).append(index)
        self._latin_re = (
            re.compile(r"(?<= )(?:" + "|".join(latin_regex(e) for _, _, e in latin) + r")(?= )")
            if latin
            else None
        )
        self._patterns = Patterns(rules, morphology)
        self._refiled = {(c.key, other) for c in rules.categories if c.done_by is not None
                         for other in c.done_by.instead_of}
        self._alone = LoneWords([(c.key, w) for c in rules.categories for w in c.alone],
                                morphology.reading, lambda word: morphology.analyse(word).reading)
        self._emoji = EmojiSigns(rules)
        self._weak = WeakSigns(rules, morphology)
        self._typos = TypoIndex(
            readings, lambda: (*rules.not_crisis, *builtin_everyday()), morphology.reading
        )
        latin_harmless = [p for p in rules.not_crisis if only_latin(p)]
        self._latin_harmless = (
            re.compile(r"(?<= )(?:" + "|".join(latin_regex(p) for p in latin_harmless) + r")")
            if latin_harmless
            else None
        )
        others = [p for p in rules.not_crisis if p not in latin_harmless]
        self._harmless_re = alternation([k for p in others if (k := fold(p))])
        self._harmless_readings_re = alternation(
            [r for p in others if has_japanese(p) and len(r := morphology.reading(p)) >= 4]
        )

    # -- the message, with harmless phrases cut out ------------------------------------------
    def clean(self, text: str) -> tuple[str, str, Analysis | None]:
        """The folded message, its Latin words and its analysis, harmless phrases cut out."""
        folded = fold(text)
        if self._harmless_re is not None:
            folded = self._harmless_re.sub(_BREAK, folded)
        words = latin_words(text) if has_latin(text) else ""
        if words and self._latin_harmless is not None:
            words = self._latin_harmless.sub(_BREAK, words)
        analysis = self._morphology.analyse(text) if has_japanese(text) else None
        return folded, words, analysis

    def _kept_words(self, analysis: Analysis) -> list[bool]:
        """Which words are outside every harmless phrase (by spelling or by reading)."""
        kept = [True] * len(analysis.words)
        for attribute, pattern in (
            ("surface", self._harmless_re),
            ("reading", self._harmless_readings_re),
        ):
            if pattern is None:
                continue
            parts = [getattr(word, attribute) for word in analysis.words]
            starts, position = [], 0
            for part in parts:
                starts.append(position)
                position += len(part)
            for found in pattern.finditer("".join(parts)):
                for index, start in enumerate(starts):
                    if start < found.end() and start + len(parts[index]) > found.start():
                        kept[index] = False
        return kept

    def warm(self) -> None:
        """What the first messages would wait for: the typo layer's ordinary readings."""
        self._typos.read_ordinary()

    # -- matching ----------------------------------------------------------------------------
    def match(self, text: str) -> LexicalHit | None:
        return next(self.matches(text), None)

    def matches(self, text: str) -> Iterator[LexicalHit]:
        """Every hit, strongest evidence first; lazily, so the first one costs the least. A
        message repeating one phrase is read as written, then as that phrase once (the folded
        phrase has no spaces: "toi muon chet toi muon chet" must still match as written)."""
        yield from self._matches(text)
        phrase = one_phrase(text)
        if phrase != text:
            yield from self._matches(phrase)

    def _matches(self, text: str) -> Iterator[LexicalHit]:
        folded, words, analysis = self.clean(text)
        if (lone := self._alone.find(text)) is not None:
            yield LexicalHit(lone[0], lone[1], "expression")
        if words and self._latin_re is not None and self._latin_re.search(words):
            marked = marked_words(text)
            found = [(expression, category, span.span())
                     for pattern, category, expression in self._latin_candidates(words)
                     if found_with_marks(pattern, expression, words, marked)
                     and (span := pattern.search(words)) is not None]
            for expression, category in self._longest_first(found):
                yield LexicalHit(category, expression, "expression")
        if words and self._patterns.has_latin:
            for category, written in self._patterns.in_latin(words.split()):
                yield LexicalHit(category, written, "pattern")
        for regex, table, target in (
            (self._folded_re, self._folded, folded),
            (self._loose_re, self._loose, loose(folded)),
        ):
            for found in regex.finditer(target) if regex is not None else ():
                category, expression = table[found.group()]
                yield LexicalHit(category, expression, "expression")
        kept = self._kept_words(analysis) if analysis is not None else []
        if analysis is not None:
            for layer in (self._match_reading, self._match_patterns, self._match_typo):
                yield from layer(analysis, kept)
        for category, emoji in self._emoji.find(text, fold(text)):
            yield LexicalHit(category, emoji, "emoji")
        for category, why in self._weak.find(analysis, kept, words, folded):
            yield LexicalHit(category, why, "weak")

    def _latin_candidates(self, words: str) -> list[tuple[re.Pattern[str], str, str]]:
        """The Latin expressions whose whole words are all in the message, in list order."""
        tokens = set(words.split())
        indices = [i for token in (*tokens, "") for i in self._latin_by_word.get(token, ())
                   if all(w in tokens for w in self._latin_words[i])]
        return [self._latin[i] for i in sorted(indices)]

    def _longest_first(self, found: list[tuple[str, str, tuple[int, int]]]
                       ) -> list[tuple[str, str]]:
        """Latin-letter hits (expression, category), a hit inside a longer one of another
        category last: "amenaza con matarme" (threatens to kill me: violence) says more than
        the "matarme" (suicide) in it. Hits apart keep the categories' order, and so do two
        categories one ``done_by`` re-files into the other (violence, child): that rule
        decides who does it, as it does for a doer written apart."""
        def inside_longer(hit: tuple[str, str, tuple[int, int]]) -> bool:
            (start, end), category = hit[2], hit[1]
            return any(
                e - s > end - start and s <= start and end <= e and c != category
                and (c, category) not in self._refiled and (category, c) not in self._refiled
                for _, c, (s, e) in found)
        return [(e, c) for e, c, _ in sorted(found, key=inside_longer)]

    def _match_reading(self, analysis: Analysis, kept: list[bool]) -> Iterator[LexicalHit]:
        """Readings from word starts; then without long-vowel marks (しにたーい), for keys of
        four kana or more (ストーカー, read すとか without them, is not looked for so); then
        without ゛ and ゜ in keys of DEVOICED_MIN kana or more (なくられた: a slip of the marks).
        A slip is not read across a space the writer typed: 「ほてる の しゅくはく」 is no
        のじゅく (野宿) with its ゛ dropped."""
        for table, regex, shorten in (
            (self._readings, self._readings_re, str),
            (self._loose_readings, self._loose_readings_re, loose),
            (self._devoiced_readings, self._devoiced_readings_re, devoiced_loose),
        ):
            if regex is None:
                continue
            parts = [shorten(w.reading) if k else _BREAK for w, k in zip(analysis.words, kept,
                                                                          strict=True)]
            boundaries, spaces, position = {0}, set(), 0
            for part, word in zip(parts, analysis.words, strict=True):
                if word.spaced and shorten is not str:
                    spaces.add(position)
                position += len(part)
                boundaries.add(position)
            reading = "".join(parts)
            for start in sorted(boundaries):
                found = regex.match(reading, start)
                if found is None:
                    continue
                key = found.group()
                if (len(key) < SHORT_READING and found.end() not in boundaries) or any(
                        found.start() < at < found.end() for at in spaces):
                    continue
                category, expression = table[key]
                yield LexicalHit(category, expression, "expression")

    def _match_patterns(self, analysis: Analysis, kept: list[bool]) -> Iterator[LexicalHit]:
        for category, written in self._patterns.in_analysis(analysis, kept):
            yield LexicalHit(category, written, "pattern")

    def _match_typo(self, analysis: Analysis, kept: list[bool]) -> Iterator[LexicalHit]:
        found = self._typos.find(_kept_reading(analysis, kept))
        if found is not None:
            category, expression = found
            yield LexicalHit(category, expression, "typo")


def _kept_reading(analysis: Analysis, kept: list[bool]) -> str:
    return "".join(
        word.reading if keep else _BREAK for word, keep in zip(analysis.words, kept, strict=True)
    )
