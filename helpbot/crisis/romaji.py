"""Japanese typed in Latin letters (romaji), read as kana for the detector's Japanese path.

People write 「mou shinitai」 or 「otto ni nagurareru」 when the phone they hold has no Japanese
keyboard: foreign residents who speak Japanese, a borrowed or a foreign phone. Every Japanese
layer looks for kana and kanji, so such a message was read as an unknown Latin-script language
and missed. :func:`kana_view` spells it in hiragana (``jaconv.alphabet2kana``, MIT, the
conversion an IME makes: shi/si, tsu/tu, chi/ti, ji/zi, double consonants, ``n'``), and the
detector runs its Japanese path on that spelling (CrisisDetector.assess).

Only a message that plausibly is romaji is converted, so that English, Spanish, Tagalog or
Indonesian words that happen to be spelt in kana syllables (「saya mau mati」 is さやまうまち)
are not read as Japanese:

- every word is whole romaji syllables (``_WORD``): 「want」「help」「quiero」「mamatay」 are not
  (a word in capitals, DV or LINE, is kept as written); and
- the language model of :mod:`helpbot.matching.language`, which does not know romaji, is not
  sure of another language (``OTHER_LANGUAGE_FROM``): romaji crises score 0.40-0.89 there, a
  Tagalog or Indonesian sentence of three or four words 0.99 or more; and
- the kana are Japanese words (``JAPANESE_FROM``): at least half of them lie in words of two
  kana or more that Sudachi's dictionary knows. 「Meu marido me bate todo dia」 (めう まりど め
  ばて とど ぢあ) has a third, 「bonito」 none; the 499 LocalgovFAQ dev questions spelt in romaji
  have 0.55 or more in 99 of 100 (half of them 0.76 or more), 「mou shinitai」 all.

Hepburn's spellings are brought to what an IME reads: ``m`` before b/p/m is ん (shimbun),
``nn`` before a vowel is ん + な行 (konnichiwa, onna), and long-vowel marks are doubled vowels
(ō -> ou, ū -> uu, â -> aa).
"""

from __future__ import annotations

import re
import threading
import unicodedata

from helpbot.crisis.text import has_japanese, has_latin
from helpbot.matching.language import latin_language
from helpbot.matching.tokenize import sudachi_tokenizer

MAX_CHARS = 500
# At or above this probability of another language (ja is not among the model's languages)
# a message is left to that language's layers.
OTHER_LANGUAGE_FROM = 0.95
JAPANESE_FROM = 0.5  # of the kana, in dictionary words of two kana or more

_ONSET = r"(?:[kgsztdnhbpmr]y|sh|ch|ts|dh|th|[kgszjtdnhbpmrfvwy])"
_SYLLABLE = (
    rf"(?:{_ONSET}?[aiueo]"  # ka, shi, kyo, a
    r"|n'|n(?![aiueoy])"  # syllabic n: hon, kon'ya
    r"|([kgsztdhbpcfjr])(?=\1)"  # the first of a double consonant: kitte, issho
    r"|t(?=ch))"  # matcha
)
_WORD = re.compile(rf"(?:{_SYLLABLE})+")
_LETTERS = re.compile(r"[A-Za-z\u00c0-\u024f']+")
_ACRONYM = re.compile(r"[A-Z]{2,5}")
_LONG_VOWELS = str.maketrans({
    "ā": "aa", "ī": "ii", "ū": "uu", "ē": "ee", "ō": "ou",
    "â": "aa", "î": "ii", "û": "uu", "ê": "ee", "ô": "ou",
})
_HEPBURN = ((re.compile(r"m(?=[bpm])"), "n"), (re.compile(r"nn(?=[aiueoy])"), "n'n"))
_KANA = re.compile(r"[\u3041-\u3096]")


def kana_view(text: str) -> str | None:
    """The message spelt in hiragana when it is romaji (「mou shinitai」 -> 「もう しにたい」),
    else None. Marks, digits, spaces and words in capitals stay as written."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS])
    if has_japanese(text) or not has_latin(text):
        return None
    spelt: list[str] = []
    position = 0
    for found in _LETTERS.finditer(text):
        word = found.group()
        spelt.append(text[position:found.start()])
        position = found.end()
        if _ACRONYM.fullmatch(word):
            spelt.append(word)
            continue
        word = word.lower().translate(_LONG_VOWELS)
        for pattern, replacement in _HEPBURN:
            word = pattern.sub(replacement, word)
        if not _WORD.fullmatch(word):
            return None
        spelt.append(_to_hiragana(word))
    spelt.append(text[position:])
    kana = "".join(spelt)
    if len(_KANA.findall(kana)) < 2 or _other_language(text):
        return None
    return kana if _japanese_share(kana) >= JAPANESE_FROM else None


def _to_hiragana(word: str) -> str:
    import jaconv  # loaded with the first Latin message, not with helpbot

    return str(jaconv.alphabet2kana(word))


def _other_language(text: str) -> bool:
    return latin_language(text)[1] >= OTHER_LANGUAGE_FROM


_local = threading.local()


def _japanese_share(kana: str) -> float:
    """The share of the kana in words of two kana or more that the dictionary knows."""
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _local.tokenizer = sudachi_tokenizer("C")  # not thread-safe: one per thread
    known = total = 0
    for morpheme in tokenizer.tokenize(kana):
        length = len(_KANA.findall(morpheme.surface()))
        total += length
        known += length if length >= 2 and not morpheme.is_oov() else 0
    return known / total if total else 0.0
