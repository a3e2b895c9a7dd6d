"""Text normalisation shared by every matching signal.

``normalize`` folds the ways people type the same thing: full/half width (NFKC), case,
katakana vs hiragana, repeated long-vowel marks and punctuation noise.
"""

from __future__ import annotations

import re
import unicodedata

_KATAKANA_START = 0x30A1  # ァ
_KATAKANA_END = 0x30F6  # ヶ
_KANA_OFFSET = 0x60
_KANA_TABLE = {code: code - _KANA_OFFSET for code in range(_KATAKANA_START, _KATAKANA_END + 1)}
_KANA_TABLE[0x30F5] = 0x304B  # ヵ -> か
_KANA_TABLE[0x30F6] = 0x3051  # ヶ -> け

_SPACES = re.compile(r"\s+")
_REPEATS = re.compile(r"([ーｰ~〜!?！？。、.,・…w])\1+")
_NOISE = re.compile(r"[\"'`「」『』（）()\[\]【】＜＞<>〈〉《》■□◆◇●○★☆※♪♡♥!?。、,.:;・…〜~]")
_BREAK_MARKER = "＜改＞"
# spacing voiced-sound marks typed after a kana (か゛, は゜) become the combining ones, which
# NFKC then composes (が, ぱ); NFKC alone would turn them into a space and a lone mark
_MARKS = str.maketrans({"\u309b": "\u3099", "\u309c": "\u309a"})


def fold_marks(text: str) -> str:
    """NFKC with voiced-sound marks joined to their kana (か゛ -> が, ｶﾞ -> ガ)."""
    return unicodedata.normalize("NFKC", text.translate(_MARKS))


def nfkc(text: str) -> str:
    """NFKC (full-width ASCII and half-width kana folded, voiced marks joined), lower-cased,
    spaces collapsed."""
    text = fold_marks(text.replace(_BREAK_MARKER, "\n"))
    return _SPACES.sub(" ", text).strip().lower()


def fold_kana(text: str) -> str:
    """Katakana to hiragana, so ゴミ and ごみ read the same."""
    return text.translate(_KANA_TABLE)


def normalize(text: str) -> str:
    """The folded form used for character n-grams and fuzzy comparison."""
    text = _REPEATS.sub(r"\1", nfkc(text))
    text = _NOISE.sub(" ", fold_kana(text))
    return _SPACES.sub(" ", text).strip()


def is_ascii_word_text(text: str) -> bool:
    """True when the text is (mostly) written in Latin script, e.g. an English question."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    latin = sum(1 for ch in letters if ch.isascii())
    return latin / len(letters) >= 0.8
