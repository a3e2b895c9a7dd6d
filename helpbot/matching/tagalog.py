"""Tagalog verb forms read as their root, so a glossary verb matches its inflections.

Tagalog marks aspect and focus with affixes and a repeated first syllable: "tapon" (throw
away) is "itapon", "magtapon", "nagtapon", "tinapon", "itatapon"; "lipat" (move) is
"lumipat", "lilipat", "paglipat". ``root`` takes off up to two prefixes, the infix -um-/-in-,
the repeated syllable and a suffix -an/-in/-han/-hin, leaving at least five letters; shorter
words (sa, ng, ang, ako, mga, anak) are left alone. It is a rough cut, not a
dictionary: two words can share a root that are not related, so it is used only for terms of
the glossary that were not found as written (``crosslingual.glossary_words``).
"""

from __future__ import annotations

import re

_PREFIXES = (
    "nakakapag", "makapag", "nakapag", "nakaka", "pinapa", "ipina", "pinag", "magpa", "nagpa",
    "pina", "ipag", "ipa", "maka", "naka", "mag", "nag", "pag", "mang", "nang", "pang", "ma",
    "na", "pa", "i",
)
_SUFFIXES = ("han", "hin", "an", "in")
_INFIX = re.compile(r"^([^aeiou\W\d_])(?:um|in)(?=[aeiou])")
# A root is at least five letters: shorter ones are too often another word ("manganak", give
# birth, would be "anak", child; "nawala", lost, "wala", none).
_SHORTEST_ROOT = 5
_WORD = re.compile(r"[^\W\d_]+")


def root(word: str) -> str:
    """The word without its affixes, or the word itself when it is short."""
    if len(word) < _SHORTEST_ROOT + 1:
        return word
    for _ in range(2):  # magpa-pa-bakuna: a prefix, then the repeated pa of the future
        for prefix in _PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= _SHORTEST_ROOT:
                word = word[len(prefix):]
                break
    if _INFIX.match(word) and len(word) - 2 >= _SHORTEST_ROOT:
        word = _INFIX.sub(r"\1", word)  # lumipat -> lipat, tinapon -> tapon
    word = _without_repeat(word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _SHORTEST_ROOT:
            return word[: -len(suffix)]
    return word


def _without_repeat(word: str) -> str:
    """lilipat -> lipat, tatrabaho -> trabaho, aalis -> alis (the repeated first syllable: its
    first consonant and vowel)."""
    rest = word[2:]
    vowel = re.search("[aeiou]", rest)
    if (len(rest) >= _SHORTEST_ROOT and word[1] in "aeiou" and word[0] not in "aeiou"
            and rest.startswith(word[0]) and vowel and vowel.group() == word[1]
            and vowel.start() <= 2):
        return rest
    if len(word) > _SHORTEST_ROOT and word[0] == word[1] and word[0] in "aeiou":
        return word[1:]
    return word


def roots(text: str) -> str:
    """The text with each word replaced by its root (spaces and other characters kept)."""
    return _WORD.sub(lambda match: root(match.group()), text)
