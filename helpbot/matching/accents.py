"""Latin letters with or without their accents: many people type Vietnamese, Portuguese and
Spanish on phones without diacritics ("tro cap nuoi con", "pensao", "subsidio") and đ as d.

``plain`` drops the accents of Latin letters one character for one character, so a position
in the plain text is the same position in the text. ``optional_accents`` turns a glossary term
into a pattern where each accented letter may be typed as written, with fewer of its marks or
none (ệ: ệ, ê, ẹ or e; đ: đ or d), but not with other marks: a message that does write accents
must agree with the term, so Vietnamese "công" (public) is not read as "cống" (sewer).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from itertools import combinations

# The Latin letters with diacritics: Latin-1 Supplement, Latin Extended-A/B, Latin Extended
# Additional (Vietnamese ạ ả ấ … ỹ).
_LATIN_RANGES = ((0x00C0, 0x024F), (0x1E00, 0x1EFF))
_STROKES = {"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L"}


def _base(char: str) -> str:
    if char in _STROKES:
        return _STROKES[char]
    first = unicodedata.normalize("NFD", char)[0]
    return first if first.isascii() and first.isalpha() else char


@cache
def _plain_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for start, end in _LATIN_RANGES:
        for code in range(start, end + 1):
            char = chr(code)
            base = _base(char)
            if base != char:
                table[code] = base
    return table


def plain(text: str) -> str:
    """The text with the accents of its Latin letters dropped, one character for one."""
    return text.translate(_plain_table())


# Nepali is written with the long and short vowel signs (ी ि, ू ु), the nasal signs (ँ ं), व and
# ब, श and ष used for one another, and a final virama often left out (विपद् / विपद).
_NEPALI = str.maketrans({"\u0940": "\u093f", "\u0942": "\u0941", "\u0901": "\u0902",
                         "\u0935": "\u092c", "\u0937": "\u0936", "\u093c": None})
_FINAL_VIRAMA = re.compile("\u094d(?![\u0900-\u097f])")


def nepali_spelling(text: str) -> str:
    """Nepali with its common spelling variants folded to one form each."""
    return _FINAL_VIRAMA.sub("", text.translate(_NEPALI))


def _lighter_forms(char: str) -> list[str]:
    """The char, the same letter with only some of its marks (each a composed character),
    and the bare letter."""
    base = _base(char)
    if base == char:
        return [char]
    forms = {char, base}
    decomposed = unicodedata.normalize("NFD", char)
    if decomposed[0] == base:
        marks = decomposed[1:]
        for size in range(1, len(marks)):
            for kept in combinations(marks, size):
                form = unicodedata.normalize("NFC", base + "".join(kept))
                if len(form) == 1:
                    forms.add(form)
    return sorted(forms)


def optional_accents(term: str) -> str:
    """A regular-expression source matching the term with each accent optional."""
    out: list[str] = []
    for char in term:
        forms = _lighter_forms(char)
        out.append(re.escape(char) if len(forms) == 1 else f"[{''.join(forms)}]")
    return "".join(out)
