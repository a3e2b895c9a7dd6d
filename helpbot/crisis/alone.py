"""Signs that count only as the whole message (``alone:`` in ``crisis.yaml``: しぬ, 限界, help).

People at night write them with what a plea carries around it: 「たすけてください」
「だれかたすけて」「ねえ たすけて」「もうむり」「もうだめかも」, "help me please". A message is
a lone sign when, without such words around it, it is one of the listed words: compared by
spelling (folded, without spaces, so "help me" and "cứu tôi với" as listed), by each of its
space-separated words (「つけられてる 今」), and, in Japanese, by reading (もうむり is もう無理).
A squared-letter emoji is read as its letters (🆘 is sos). Nothing else is added: 「無理なら
大丈夫です」 or 「助けてくれてありがとう」 are not the word alone.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from helpbot.crisis.text import bare, fold, has_japanese

# Words that may stand beside a lone sign without changing it: 「つけられてる 今」「もう 限界」,
# "someone help please", "socorro por favor"; the pronouns and particles of a plea in the
# languages written with spaces ("cuu em voi", "tulungan mo ko", "tolong aku dong").
FILLERS = frozenset({"今", "いま", "もう", "また", "ずっと", "ほんとに", "本当に", "まじ", "まぢ",
                     "please", "pls", "plz", "someone", "somebody", "anyone", "por", "favor",
                     "po", "mo", "ko", "ako", "niyo", "nyo", "ninyo", "naman",
                     "toi", "em", "voi", "minh", "aku", "saya", "dong", "deh", "ya",
                     # the fear and hurry a plea is said with: "help me please im scared",
                     # "help now", 「たすけて こわい」 (fear alone is no sign: nothing is left)
                     "im", "scared", "afraid", "terrified", "so", "now", "quick", "quickly",
                     "urgent", "asap", "こわい", "怖い", "はやく", "早く"})
# The same, written without a space before or after the sign: 「ねえたすけて」「たすけてください」,
# and the sentence-final particles of Japanese, Chinese and Korean (たすけてよ, 限界です,
# 救救我吧, 살려줘요).
_LEADING = ("だれか", "誰か", "ねえ", "ねー", "もう", "いま", "今", "ほんとに", "本当に", "まじ",
            "まぢ", "おねがい", "お願い", "こわい", "怖い", "はやく", "早く")
_TRAILING = ("おねがいします", "お願いします", "おねがい", "お願い", "ください", "下さい",
             "かもしれない", "かも", "です", "だよ", "よ", "ね", "吧", "啊", "呀", "요",
             "こわい", "怖い", "はやく", "早く")
_MIN_READING = 2
# A message this much longer than the longest listed word is no lone word with a plea around
# it: not read again (Sudachi) for each way of taking the words around it off.
_AROUND = 16
_MAX_RUN_WORDS = 8  # a plea of listed words is short: longer messages are left to the others


def _squared(text: str) -> str:
    """🆘 as " sos ": emoji that are letters in a square read as those letters."""
    out = []
    for char in text:
        name = unicodedata.name(char, "")
        out.append(f" {name[8:].lower()} " if name.startswith("SQUARED ") and
                   name[8:].isalpha() and name[8:].isascii() else char)
    return "".join(out)


def _stripped(word: str) -> list[str]:
    """The word, and the word with plea-words around it taken off, in every combination
    (もうだめかも: もうだめ, だめかも, だめ), longest first."""
    found, todo = {word}, [word]
    while todo:
        current = todo.pop()
        shorter = [current[len(p):] for p in _LEADING if current.startswith(p)]
        shorter += [current[: -len(s)] for s in _TRAILING if current.endswith(s)]
        for less in shorter:
            if less and less not in found:
                found.add(less)
                todo.append(less)
    return sorted(found, key=len, reverse=True)


class LoneWords:
    """The ``alone`` words of every category, by spelling and by reading."""

    def __init__(self, words: list[tuple[str, str]], reading: Callable[[str], str],
                 said: Callable[[str], str] | None = None) -> None:
        """``reading``: of a listed word; ``said``: of a message's word (kept only briefly,
        ``Morphology.analyse``), the same as ``reading`` unless told."""
        self._reading = said or reading
        self._spelt: dict[str, tuple[str, str]] = {}
        self._read: dict[str, tuple[str, str]] = {}
        self._longest = max((len(bare(fold(w))) for _, w in words), default=0)
        # a reading is only looked up for what is as short as a listed Japanese word
        self._longest_read = max((len(bare(fold(w))) for _, w in words if has_japanese(w)),
                                 default=0) + 2
        for category, word in words:
            if key := bare(fold(word)):
                self._spelt.setdefault(key, (category, word))
                if has_japanese(key) and len(listed := reading(key)) >= _MIN_READING:
                    self._read.setdefault(listed, (category, word))

    def _in_listed_runs(self, parts: list[str]) -> tuple[str, str] | None:
        """The first listed word when the words split into runs that are each a listed word
        ("socorro me ajuda", "help me please help"); None otherwise."""
        if len(parts) > _MAX_RUN_WORDS:
            return None
        first: list[tuple[str, str] | None] = [None] * (len(parts) + 1)
        reached = [True] + [False] * len(parts)
        for start in range(len(parts)):
            if not reached[start]:
                continue
            for end in range(start + 1, len(parts) + 1):
                found = self._spelt.get("".join(parts[start:end]))
                if found is not None and not reached[end]:
                    reached[end], first[end] = True, first[start] or found
        return first[-1] if reached[-1] else None

    def find(self, text: str) -> tuple[str, str] | None:
        """(category, word as staff wrote it) when the whole message is a lone sign."""
        parts = [p for part in _squared(text).split() if (p := bare(fold(part))) and
                 p not in FILLERS]
        if not parts:
            return None
        if (listed := self._in_listed_runs(parts)) is not None:
            return listed  # each part listed, or "socorro me ajuda": socorro, then "me ajuda"
        joined = "".join(parts)
        if len(joined) > self._longest + _AROUND:
            return None
        for word in _stripped(joined):
            if word in self._spelt:
                return self._spelt[word]
            if len(word) <= self._longest_read and has_japanese(word) \
                    and (found := self._read.get(self._reading(word))):
                return found
        return None
