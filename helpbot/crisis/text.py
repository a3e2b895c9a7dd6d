"""The forms of a message that danger signs are looked for in.

- ``fold``: width (NFKC), case, katakana -> hiragana, small kana -> large, no spaces or
  marks, letters repeated three times or more kept twice (ｼﾆﾀｲ, しにたーーい -> しにたい);
  no zero-width characters, Devanagari's long ी ू as ि ु and no ँ ं (Nepali spelling varies).
- ``latin_words``: Latin-script words without accents or case, one space between them and at
  both ends (Tôi muốn CHẾT -> " toi muon chet "), so phrases match on word boundaries.
- ``Morphology``: Sudachi's words (surface, dictionary form, normalised form) and the kana
  reading of the whole message, so 氏にたい and 市にたい read しにたい like 死にたい does.
- ``devoiced``: a reading without ゛ and ゜ (なぐられ -> なくられ, れいぷ -> れいふ).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

from helpbot.core.recent import Recent
from helpbot.matching.kana import has_kanji
from helpbot.matching.normalize import fold_kana
from helpbot.matching.tokenize import sudachi_tokenizer

_SMALL_KANA = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")
_NOISE = re.compile(r"[\s、。,.!?！？…‥・「」『』()（）〜~\-_*#＃'\"]+")
_LONG_VOWELS = re.compile(r"ー+")
_REPEATS = re.compile(r"(.)\1{2,}")
_NOT_LATIN_WORD = re.compile(r"[^a-z0-9]+")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f々]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_LATIN_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ø": "o", "ł": "l", "ß": "ss"})
# Zero-width joiners and spaces (Nepali keyboards put them in र्‍ and क्‍; Burmese text carries
# U+200B between words) are not letters. Nepali writers use the short and long i/u for one
# another, and put or leave out the nasal marks ँ ं (बाँच्न = बांच्न = बाच्न, दिँदैन = दिदैन):
# one vowel each, no nasal mark.
_INVISIBLE_AND_DEVANAGARI = str.maketrans(
    {"\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None,
     "\u0940": "\u093f", "\u0942": "\u0941", "\u0901": None, "\u0902": None,
     "\u0908": "\u0907", "\u090a": "\u0909"}
)


def fold(text: str) -> str:
    """NFKC, lower case, katakana to hiragana, small kana to large, no spaces or marks, one
    long-vowel mark where several were typed (ストーカー keeps its ー: すとかー is not すとか)."""
    text = fold_kana(unicodedata.normalize("NFKC", text).lower()).translate(_SMALL_KANA)
    text = text.translate(_INVISIBLE_AND_DEVANAGARI)
    return _LONG_VOWELS.sub("ー", _REPEATS.sub(r"\1\1", _NOISE.sub("", text)))


_VOICED = "がぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽゔ"
_UNVOICED = "かきくけこさしすせそたちつてとはひふへほはひふへほう"
_DEVOICE = str.maketrans(_VOICED, _UNVOICED)


def devoiced(reading: str) -> str:
    """Without dakuten and handakuten, for the slips that drop or swap them (なくられた for
    なぐられた, レイブ for レイプ)."""
    return reading.translate(_DEVOICE)


_REPEATED = re.compile(r"(.{2,}?)\1+")


def one_phrase(text: str) -> str:
    """A message that repeats one phrase (しにたいしにたいしにたい, たすけてたすけて) as that
    phrase, folded, once: Sudachi reads a run of kana across the joins into other words."""
    found = _REPEATED.fullmatch(fold(text))
    return found.group(1) if found else text


def loose(folded: str) -> str:
    """Without long-vowel marks, for しにたーい = しにたい."""
    return folded.replace("ー", "")


def _strip_latin_marks(text: str) -> str:
    """Accents off Latin letters only (Devanagari and Hangul keep their combining marks)."""
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", text.translate(_LATIN_EXTRA)):
        if unicodedata.combining(char) and out and _LATIN.match(out[-1]):
            continue
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


def latin_words(text: str) -> str:
    """`` tôi muốn CHẾT!! `` -> ``" toi muon chet "``; other scripts split words
    (``DVされてます`` -> ``" dv "``)."""
    text = _strip_latin_marks(
        unicodedata.normalize("NFKC", text).lower().translate(_INVISIBLE_AND_DEVANAGARI)
    )
    text = _REPEATS.sub(r"\1\1", text)
    return " " + " ".join(_NOT_LATIN_WORD.sub(" ", text).split()) + " "


_NOT_MARKED_WORD = re.compile(r"[^a-z0-9\u00c0-\u024f\u1e00-\u1eff]+")
# Letters only Vietnamese writes (ơ ư ă đ and the tone-marked vowels): where a message and an
# expression both carry them, they must agree (từ từ "slowly" is not tự tử "suicide").
_VIETNAMESE_MARKED = re.compile(r"[ơưăđ\u1ea0-\u1ef9]")


def vietnamese_marked(word: str) -> bool:
    """Whether a word is written with Vietnamese marks (mẹ, bố; not me, bo)."""
    return _VIETNAMESE_MARKED.search(word) is not None


def marked_words(text: str) -> list[str]:
    """The words :func:`latin_words` finds, with their accents kept (lower case, NFC)."""
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text).lower())
    return _NOT_MARKED_WORD.sub(" ", _REPEATS.sub(r"\1\1", text)).split()


def found_with_marks(pattern: re.Pattern[str], expression: str, words: str,
                     marked: list[str]) -> bool:
    """Whether an expression's ``pattern`` is in the message's :func:`latin_words` with the
    Vietnamese marks of ``marked`` (:func:`marked_words`) agreeing (:func:`marks_agree`)."""
    aligned = len(marked) == words.count(" ") - 1  # else the marks are not compared
    return any(
        not aligned or marks_agree(marked_words(expression), marked,
                                   words.count(" ", 0, found.start()) - 1)
        for found in pattern.finditer(words)
    )


def marks_agree(expression: list[str], message: list[str], start: int) -> bool:
    """Whether the expression's words, found from word ``start`` of the message, carry the
    same Vietnamese marks as the message's words wherever both are written with them. A word
    typed without marks agrees with any: "tu tu" may be either, and is left to match."""
    for offset, written in enumerate(expression):
        typed = message[start + offset] if start + offset < len(message) else ""
        if (_VIETNAMESE_MARKED.search(written) and _VIETNAMESE_MARKED.search(typed)
                and _tones_apart(typed) != _tones_apart(written)):
            return False
    return True


# The five Vietnamese tone marks (grave, acute, tilde, hook above, dot below).
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _tones_apart(word: str) -> tuple[str, tuple[str, ...]]:
    """A word's letters with their vowel marks (ơ ư ă â ê ô), and its tone marks apart: the old
    and the new spelling put the tone on different vowels (doạ = dọa, huỷ = hủy, khoẻ = khỏe)."""
    letters = unicodedata.normalize("NFD", word)
    tones = tuple(sorted(c for c in letters if c in _TONES))
    return unicodedata.normalize("NFC", "".join(c for c in letters if c not in _TONES)), tones


def has_latin(text: str) -> bool:
    return _LATIN.search(text) is not None


def only_latin(text: str) -> bool:
    """Whether every letter is a Latin one (``แอบติดGPS`` is not: it is matched as Thai text,
    not as the word "gps" that any message about a phone would hold)."""
    return has_latin(text) and all(_LATIN.match(c) for c in text if c.isalpha())


def has_japanese(text: str) -> bool:
    return _JAPANESE.search(text) is not None


@dataclass(frozen=True, slots=True)
class Word:
    """One Sudachi word, folded: as written, as read, and the forms a pattern may name."""

    surface: str
    reading: str
    forms: frozenset[str]
    spaced: bool = False  # a space was typed before it (こども の しゅくだい)


@dataclass(frozen=True, slots=True)
class Analysis:
    words: tuple[Word, ...]

    @property
    def reading(self) -> str:
        """The folded kana reading of the whole message."""
        return "".join(word.reading for word in self.words)

# A message's analysis is reused within a turn and a burst of messages (a detector analyses
# a clause again, the next message rereads the last few): this many, for this long.
RECENT_MESSAGES = 128
RECENT_SECONDS = 600.0


class Morphology:
    """Sudachi, loaded on first use, one tokenizer per thread.

    A message's analysis is kept for a turn or a burst (``recent``: a few, for minutes), never
    for the process's life: keyed by the text, it is a copy of what a person wrote. The
    readings of the detector's own expressions (crisis.yaml, built-in phrases) are kept.
    """

    def __init__(self, *, cache_size: int = 4096, recent: Recent[str, Analysis] | None = None
                 ) -> None:
        self._local = threading.local()
        self._known: dict[str, Analysis] = {}  # the detector's own expressions
        self._cache_size = cache_size
        self._recent = recent if recent is not None else Recent(size=RECENT_MESSAGES,
                                                                seconds=RECENT_SECONDS)

    def _tokenizer(self) -> Any:
        tokenizer = getattr(self._local, "tokenizer", None)
        if tokenizer is None:
            tokenizer = self._local.tokenizer = sudachi_tokenizer("C")
        return tokenizer

    def analyse(self, text: str) -> Analysis:
        """The words of a message (or a clause of one): kept briefly (``recent``)."""
        cached = self._recent.get(text)
        if cached is None:
            cached = self._analyse(text)
            self._recent.put(text, cached)
        return cached

    def reading(self, text: str) -> str:
        """The kana reading of one of the detector's own expressions (kept: not a message)."""
        cached = self._known.get(text)
        if cached is None:
            cached = self._analyse(text)
            if len(self._known) >= self._cache_size:
                self._known.clear()
            self._known[text] = cached
        return cached.reading

    def _analyse(self, text: str) -> Analysis:
        clean = unicodedata.normalize("NFKC", text)[:2000]
        if not has_kanji(clean):
            # Kana alone (ﾅｸﾞﾗﾚﾀ, くすりいっぱいのんだ): Sudachi splits hiragana into words far
            # better than a run of katakana, which it takes for one unknown word.
            clean = fold_kana(clean)
        words: list[Word] = []
        spaced = False
        for morpheme in self._tokenizer().tokenize(clean) if clean.strip() else ():
            surface = morpheme.surface()
            reading = morpheme.reading_form()
            folded = fold(surface)
            if not folded:
                spaced = spaced or surface.isspace()
                continue  # spaces and marks: no word
            spoken = fold(reading) if reading and not surface.isascii() else folded
            forms = {surface, morpheme.dictionary_form(), morpheme.normalized_form(), spoken}
            words.append(Word(folded, spoken, frozenset(fold(f) for f in forms if f.strip()),
                              spaced=spaced and bool(words)))
            spaced = False
        return Analysis(words=tuple(words))


_shared: Morphology | None = None
_shared_lock = threading.Lock()


def shared_morphology() -> Morphology:
    """The process-wide analyser (one Sudachi dictionary for every detector)."""
    global _shared  # noqa: PLW0603 - one lazily created instance per process
    with _shared_lock:
        if _shared is None:
            _shared = Morphology()
        return _shared


def latin_regex(expression: str) -> str:
    """A staff expression in Latin letters as a regular expression (``suicid*``: any ending)."""
    words = latin_words(expression.rstrip("*")).strip()
    return re.escape(words) + (r"[a-z0-9]*" if expression.endswith("*") else "")


def alternation(keys: list[str]) -> re.Pattern[str] | None:
    """One regular expression for many phrases, the longest first."""
    ordered = sorted(set(keys), key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in ordered)) if ordered else None


def devoiced_loose(reading: str) -> str:
    return devoiced(loose(reading))


def bare(folded: str) -> str:
    """Only letters and digits: emoji and marks around a lone word do not count."""
    return re.sub(r"[^\w]", "", folded)
