"""Who does it: a category's ``done_by`` (``crisis.yaml``) re-files another category's hit.

「お父さんに毎日殴られる」 fires violence on 殴られ, but a parent is the one hitting: the child
category (189, Child SOS) is what the person needs, not the partner-violence lines. A word of
``done_by: words`` counts as the doer only right beside a sign of an ``instead_of`` category,
within one clause (a clause ends at 、。,.!? and a line break):

- **Japanese**: the word, then a particle of the doer (に が から は も って, にも からは …),
  then the sign within ``JA_WORDS`` words, before a clause word (たら けど ので): 「父に殴られ」
  「親から毎日のように殴られ」; not 「夫に殴られて母に相談した」 (nothing after 母に),
  「母に相談したら夫に殴られた」 (たら ends 母's clause).
- **Latin letters**: the sign within the ``LATIN_WORDS`` words after the word ("my dad hits
  me", "bố đánh tôi", "bapak saya memukul saya"); or the sign within ``LATIN_WORDS`` words
  before a word of ``done_by: by`` that stands just before the doer ("binubugbog ako ng tatay
  ko", "dipukul oleh ayah"). "my husband hits me, my mom doesn't know" has nothing after mom.
  Vietnamese marks must agree where both are written (mà "but" is not má "mum").
- **Other scripts** (Chinese, Korean, Thai, Nepali): the sign within ``OTHER_CHARS`` letters
  after the word, in the same or the next ``LATIN_WORDS`` words (爸爸每天打我, 아빠가 때려요).

A word of ``done_by: others`` (夫, husband, chồng) between the doer's word and the sign ends
the window: 「両親は夫に殴られている」 was done by the husband.

Signs are found by the same word rules (:mod:`helpbot.crisis.lexicon`), so folding, kana
readings and patterns work as everywhere; a word that is a sign only alone does not count.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from helpbot.crisis.lexicon import Lexicon
from helpbot.crisis.text import (
    Morphology,
    fold,
    has_latin,
    latin_words,
    marked_words,
    marks_agree,
    vietnamese_marked,
)
from helpbot.knowledge.crisis_done_by import DoneBy
from helpbot.knowledge.crisis_file import CrisisRules
from helpbot.matching.language import detect as detect_language

JA_WORDS = 6
LATIN_WORDS = 3
OTHER_CHARS = 10
_CLAUSES = re.compile(r"[、。，．,.!?！？;；\n]+")
_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]")
_DOER = frozenset({"に", "が", "から", "は", "も", "つて", "つたら", "とか", "には", "にも",
                   "からは", "からも", "がね", "さえ"})
_TITLES = frozenset({"さん", "ちゃん", "さま", "様"})
_CLAUSE_END = frozenset({"たら", "だら", "けど", "けれど", "けれども", "ので", "のに", "ながら"})


@dataclass(frozen=True, slots=True)
class _Words:
    """One ``done_by``'s words, folded once."""

    latin: tuple[tuple[str, list[str], list[str]], ...]  # word, its words, with marks
    native: tuple[tuple[str, str], ...]  # word, folded; the longest first (继父 before 父)
    readings: dict[str, str]  # the reading of a word with kana (おとうさん) -> the word
    by: frozenset[str]
    other_latin: frozenset[str]
    other_native: frozenset[str]

    @classmethod
    def of(cls, done_by: DoneBy, morphology: Morphology) -> _Words:
        native = sorted(((w, k) for w in done_by.words if not has_latin(w) and (k := fold(w))),
                        key=lambda pair: -len(pair[1]))
        return cls(
            latin=tuple((w, latin_words(w).split(), marked_words(w))
                        for w in done_by.words if has_latin(w)),
            native=tuple(native),
            readings={morphology.reading(w): w for w, _ in native if _KANA.search(w)},
            by=frozenset(latin_words(b).strip() for b in done_by.by),
            other_latin=frozenset(latin_words(w).strip() for w in done_by.others if has_latin(w)),
            other_native=frozenset(k for w in done_by.others if not has_latin(w)
                                   and (k := fold(w))),
        )


class DoneByRules:
    """The ``done_by`` rules of one ``crisis.yaml``, over its compiled word rules."""

    def __init__(self, rules: CrisisRules, lexicon: Lexicon, morphology: Morphology) -> None:
        self._lexicon = lexicon
        self._morphology = morphology
        self._alone = {c.key: set(c.alone) for c in rules.categories}
        self._rules = [(c.key, c.done_by) for c in rules.categories if c.done_by is not None]
        self._words: dict[str, _Words] = {}  # by category, on first use (Sudachi reads them)

    def refile(self, text: str, category: str) -> tuple[str, str | None]:
        """The category for a hit of ``category``, and the doer's word when it changed."""
        for key, done_by in self._rules:
            if category in done_by.instead_of:
                words = self._words.get(key) or self._words.setdefault(
                    key, _Words.of(done_by, self._morphology))
                doer = self._doer(text, words, done_by.instead_of)
                if doer is not None:
                    return key, doer
        return category, None

    def _doer(self, text: str, words: _Words, categories: tuple[str, ...]) -> str | None:
        clauses = [c for c in _CLAUSES.split(text) if c.strip()]
        japanese = _KANA.search(text) is not None
        for index, clause in enumerate(clauses):
            following = clauses[index + 1] if index + 1 < len(clauses) else ""
            windows = (self._japanese(clause, following, words) if japanese
                       else _other_scripts(clause, words))
            if has_latin(clause):
                windows = itertools.chain(windows, _latin(clause, words, text))
            for word, window in windows:
                if self._sign_in(window, categories):
                    return word
        return None

    def _sign_in(self, window: str, categories: tuple[str, ...]) -> bool:
        return any(
            hit.category in categories and hit.layer != "emoji"
            and hit.rule not in self._alone.get(hit.category, ())
            for hit in self._lexicon.matches(window)
        ) if window.strip() else False

    def _japanese(self, clause: str, following: str, words: _Words) -> Iterator[tuple[str, str]]:
        found = self._morphology.analyse(clause).words
        spellings = {key: w for w, key in words.native}
        for start in range(len(found)):
            end, word, surface = start, None, ""
            for last in range(start, min(len(found), start + 4)):  # the longest: 母の彼氏
                surface += found[last].surface
                if surface in spellings:
                    end, word = last, spellings[surface]
            if word is None and _KANA.search(found[start].surface):
                word = words.readings.get(found[start].reading)  # in kana, one word: おとうさん
            if word is None:
                continue
            after = end + 1
            while after < len(found) and found[after].surface in _TITLES:
                end = after = after + 1
            while after < len(found) and found[after].surface in _DOER:
                after += 1
            if after == end + 1:
                continue  # 母の, 父と: not the doer
            window = []
            for next_word in found[after : after + JA_WORDS]:
                if next_word.surface in _CLAUSE_END or next_word.surface in words.other_native:
                    break
                window.append(next_word.surface)
            text = "".join(window)
            yield word, text if text or after < len(found) else following


def _latin(clause: str, words: _Words, text: str) -> Iterator[tuple[str, str]]:
    tokens = latin_words(clause).split()
    marked = marked_words(clause)
    aligned = len(marked) == len(tokens)
    vietnamese: list[bool] = []  # told once, when needed
    for word, parts, marks in words.latin:
        size = len(parts)
        for start in range(len(tokens) - size + 1):
            if tokens[start : start + size] != parts:
                continue
            if aligned and not marks_agree(marks, marked, start):
                continue
            if vietnamese_marked(word) and (not aligned or marked[start : start + size] != marks):
                # mẹ typed as me is a mother only in Vietnamese: "mi novio me amenaza con
                # matarme" is Spanish
                if not vietnamese:
                    vietnamese.append(detect_language(text) == "vi")
                if not vietnamese[0]:
                    continue
            after = tokens[start + size : start + size + LATIN_WORDS]
            yield word, " ".join(_until(after, words.other_latin))
            for marker in (start - 1, start - 2):
                if marker >= 0 and tokens[marker] in words.by:
                    before = tokens[max(0, marker - LATIN_WORDS) : marker]
                    yield word, " ".join(reversed(_until(before[::-1], words.other_latin)))
                    break


def _until(tokens: list[str], others: frozenset[str]) -> list[str]:
    """The words before the first of another doer ("husband", "asawa")."""
    for index, token in enumerate(tokens):
        if token in others or " ".join(tokens[index : index + 2]) in others:
            return tokens[:index]
    return tokens


def _other_scripts(clause: str, words: _Words) -> Iterator[tuple[str, str]]:
    tokens = clause.split()
    for index, token in enumerate(tokens):
        folded = fold(token)
        for word, key in words.native:
            at = folded.find(key)
            if at < 0:
                continue
            rest = folded[at + len(key) :][:OTHER_CHARS]  # Chinese and Thai have no spaces
            window = fold(rest + "".join(tokens[index + 1 : index + 1 + LATIN_WORDS]))
            cut = min((i for other in words.other_native if (i := window.find(other)) >= 0),
                      default=len(window))
            yield word, window[:cut]
