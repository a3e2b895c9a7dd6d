"""A name a person gives in their own language: 「Me llamo María」, 「Tên tôi là Nguyễn Văn An」.

Foreign residents write to the NPO in English, Spanish, Portuguese, Vietnamese, Tagalog,
Indonesian, Nepali, Chinese and Korean. Sudachi finds no names there, so the words that
introduce a name are the only sign: what follows them is masked. On a cheap phone people type
without capitals and without accents (「ten toi la nguyen van an」), so neither is needed; the
name runs until a punctuation mark, a word such as "and" or "tengo", or its longest usual form
(four words, as Vietnamese names; six with capitals, as María José García de la Cruz). After
words in English, a name in its own script is taken whole ("My name is 王芳"). Matching runs
on NFKC-folded text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from helpbot.cases.pii_rules import HIRAGANA, KATAKANA

# Latin letters with the accents of these languages (Vietnamese: Latin Extended Additional).
_LATIN = r"A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_WORD = rf"[{_LATIN}](?:[{_LATIN}'’-]{{0,24}}[{_LATIN}])?"

_LATIN_INTRO = re.compile(
    r"(?<![\w])(?i:"
    r"my\s+name\s+is|my\s+name'?s|my\s+names|"
    r"(?:full\s+)?name\s*:"  # en
    r"|me\s+llamo|mi\s+nombre\s+es"  # es
    r"|meu\s+nome\s+(?:é|e)|me\s+chamo|chamo-me"  # pt
    r"|t[êeế]n\s+(?:c[ủu]a\s+)?(?:t[ôo]i|em|m[ìi]nh|con|ch[áa]u)(?:\s+l[àa])?"  # vi
    r"|(?:t[ôo]i|em|m[ìi]nh|con|ch[áa]u)\s+t[êe]n(?:\s+l[àa])?"
    r"|ako\s+(?:po\s+)?si|(?:ang\s+)?pangalan\s+ko\s+(?:po\s+)?(?:ay|si)"  # tl
    r"|nama\s+saya(?:\s+adalah)?|saya\s+bernama"  # id
    r"|mero\s+na+m(?:\s+chha|\s+ho)?"  # ne, romanized
    r"|je\s+m'?appelle|mon\s+nom\s+est"  # fr
    r")(?:(?<=:)\s*|\s+)"
)
# Words that end a name (function words and the verbs people write right after one).
_STOP_WORDS = """
    and i im i'm am from age aged years year old have has need needs with the a my me live
    living lives in at but please help here who is was are it this we our you your not
    y e soy tengo vivo necesito estoy tenho sou moro preciso estou com
    và tôi toi em mình năm o ở can cần nay này đang là có
    ako ay at taga po ng sa kailangan nakatira
    saya dari umur tinggal butuh ini
    ra chha mero
    et je suis ai
"""
# Not in it: words that are also common names, in any spelling people type (Minh, Nam, Hồ
# typed "ho", May, Dan, Ma, Cha, Co): a name that ran one word too far costs less than a
# name cut short.
_STOP = frozenset(_STOP_WORDS.split())
# 「my name is not important」, "secret": no name was given.
_NOT_A_NAME_WORDS = """
    not no secret private unknown anonymous none nobody secreto privado nada segredo
    bí bi khong không wala lihim rahasia tidak
"""
_NOT_A_NAME = frozenset(_NOT_A_NAME_WORDS.split())
_MAX_WORDS = 6  # María José García de la Cruz
_MAX_LOWER_WORDS = 4  # past four, only words written with a capital, or particles
_PARTICLES = frozenset(("de", "da", "do", "dos", "das", "del", "la", "las", "los", "van", "von"))

# 我叫王芳，… / 我的名字是李明: one to four Han characters (欧阳娜娜) before a break or the next
# clause.
_HAN = re.compile(
    r"(?:我叫|我名叫|我的名字(?:是|叫)|我姓名是|我的姓名是)\s?"
    r"(?P<name>[\u4e00-\u9fff]{1,4}?)"
    r"(?=[\s，。、,.!！？?：:]|我|是|今年|在|来|有|的|住|需要|想|$)"
)
# 제 이름은 김민수입니다 / 이름은 김민수예요.
_HANGUL = re.compile(
    r"(?:제|내|저의|나의)?\s?이름은\s?(?P<name>[가-힣]{2,4}?)"
    r"(?=입니다|이에요|예요|이라고|라고|이야|야|이고|고\s|[\s,.!?]|$)"
)
# मेरो नाम राम बहादुर हो.
_DEVANAGARI = re.compile(
    r"मेरो\s+नाम\s+(?P<name>[\u0900-\u097f]+(?:\s+[\u0900-\u097f]+){0,2}?)\s+(?:हो|छ)"
)
_WORD_AT = re.compile(_WORD)
# "My name is 王芳" / "my name is 김민수": a name in its own script after words in English
_SCRIPT_NAME_AT = re.compile(rf"[\u4e00-\u9fff\uac00-\ud7a3{KATAKANA}{HIRAGANA}]{{1,8}}")
_GAP = re.compile(r"[ \t]+")


def find_foreign_names(folded: str) -> Iterator[tuple[int, int]]:
    """(start, end) in ``folded`` of each name introduced by the phrases above."""
    for intro in _LATIN_INTRO.finditer(folded):
        span = _latin_name(folded, intro.end())
        if span is not None:
            yield span
    for pattern in (_HAN, _HANGUL, _DEVANAGARI):
        for match in pattern.finditer(folded):
            yield match.start("name"), match.end("name")


def _latin_name(text: str, at: int) -> tuple[int, int] | None:
    """The name from ``at``: a run of Han, Hangul or kana, or up to six words (four unless
    written with capitals), until a stop word or anything but a space."""
    script = _SCRIPT_NAME_AT.match(text, at)
    if script is not None:
        return script.start(), script.end()
    start, end, words = at, at, 0
    while words < _MAX_WORDS:
        word = _WORD_AT.match(text, at)
        if word is None:
            break
        lower = word.group().lower()
        if lower in _STOP or (words == 0 and lower in _NOT_A_NAME):
            break
        if words >= _MAX_LOWER_WORDS and not (word.group()[0].isupper() or lower in _PARTICLES):
            break
        end, words = word.end(), words + 1
        gap = _GAP.match(text, end)
        if gap is None:
            break
        at = gap.end()
    return (start, end) if words else None
