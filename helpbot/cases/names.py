"""Person names in a message, as Sudachi tags them (名詞,固有名詞,人名: 姓, 名, 一般).

Used by ``cases/masking.py`` only where the process already has Sudachi's dictionary (the
worker, and the web process while the web chat is on); it never loads the dictionary itself,
so a web process without the web chat stays small and masks with the label rules alone.

Sudachi's tag alone is not enough: in informal text it calls fragments names (「みっか」's
みっ, 「りょう」 in きゅうりょう, 「ちょう」 in しゃちょう), Latin words (may, last, said) and
Chinese characters (了). A masked word a case worker needs is worse than a name left, so a
tagged word is masked only when something around it says it is a name:

- a surname and a given name together (佐藤健一, 田中はなこ);
- an honorific or a title after it (田中さん, ゆかりちゃん, 斎藤部長);
- naming itself (「山田です」「マリアといいます」 at the start of a sentence);
- a relative or a role before it (「夫の佐藤が」「娘のまりあが」).

Only names in Japanese script, in a message with kana (Chinese has none), of two characters
or more unless a relative or an honorific names them (林さん). Place names (地名) are not
person names and stay: a case worker needs the town to find its programs (a street address is
masked as [住所]).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from helpbot.cases.pii_rules import HIRAGANA, KANJI, KATAKANA
from helpbot.matching.tokenize import sudachi_loaded, sudachi_tokenizer

_KANA = re.compile(f"[{HIRAGANA}{KATAKANA}]")
_JAPANESE_WORD = re.compile(f"[{HIRAGANA}{KATAKANA}{KANJI}]+")
_HIRAGANA_WORD = re.compile(f"[{HIRAGANA}ー]+")
_KANA_WORD = re.compile(f"[{HIRAGANA}{KATAKANA}]+")
_KANA_TAIL = re.compile(f"[{HIRAGANA}]{{1,2}}(?=くん|ちゃん)")
_KANJI = re.compile(f"[{KANJI}]")

# Honorifics and titles after a name: 「田中さん」「斎藤部長」.
HONORIFICS = frozenset({
    "さん", "くん", "ちゃん", "君", "様", "さま", "氏", "先生", "せんせい", "殿", "たん", "っち",
    "社長", "部長", "課長", "店長", "先輩", "監督", "師長",
})
# Naming oneself: what may follow the name at the start of a sentence.
_SELF_NAMING = re.compile(r"\s?(?:です|でした|だよ|と申し|といい|と言い|って言い|っていい)")
# Who may be named before の: 「夫の佐藤」「娘のまりあ」「担当の田中」.
RELATIVES = frozenset({
    "夫", "妻", "旦那", "嫁", "主人", "彼氏", "彼女", "彼", "元夫", "元妻", "元彼", "元カレ",
    "元カノ", "前夫", "内縁", "婚約者", "娘", "息子", "子", "子ども", "子供", "こども", "長男",
    "長女", "次男", "次女", "三男", "三女", "末っ子", "赤ちゃん", "孫", "母", "父", "母親",
    "父親", "兄", "姉", "弟", "妹", "祖母", "祖父", "おばあちゃん", "おじいちゃん", "叔母",
    "叔父", "伯母", "伯父", "いとこ", "友達", "友人", "ともだち", "同僚", "上司", "先輩",
    "後輩", "同級生", "担任", "担当", "社長", "店長", "大家", "隣人", "恋人", "相手", "義母",
    "義父", "継父", "継母", "パートナー",
})
_SENTENCE_START = frozenset({"", "。", "、", "!", "?", " ", "\n", "…"})  # on NFKC-folded text

MAX_PIECE = 4_000
_local = threading.local()


def _tokenizer() -> Any:
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:  # Sudachi's tokenizers are not thread-safe: one per thread
        tokenizer = _local.tokenizer = sudachi_tokenizer("C")
    return tokenizer


def names_available() -> bool:
    """Whether this process has Sudachi's dictionary (loaded by the matcher or the crisis
    detector), so :func:`find_names` may run without loading anything."""
    return sudachi_loaded()


def find_names(text: str) -> list[tuple[int, int]]:
    """(start, end) of each person name in ``text`` (loads Sudachi if it is not loaded)."""
    if _KANA.search(text) is None:  # Latin, Chinese, Korean…: Sudachi's names are noise there
        return []
    return [
        (at + start, at + end)
        for at, piece in _pieces(text)
        for start, end in _names_in_line(piece)
    ]


def _pieces(text: str) -> Iterator[tuple[int, str]]:
    """Lines of ``text`` with their offsets, long ones cut after a sentence (Sudachi takes at
    most 49,149 bytes: ``MAX_PIECE`` characters of three bytes stay well below)."""
    at = 0
    for line in text.split("\n"):
        start = 0
        while start < len(line):
            end = min(len(line), start + MAX_PIECE)
            if end < len(line):
                cut = max(line.rfind(mark, start, end) for mark in "。！？!? 　、")
                end = cut + 1 if cut > start else end
            if line[start:end].strip():
                yield at + start, line[start:end]
            start = end
        at += len(line) + 1


def _names_in_line(line: str) -> Iterator[tuple[int, int]]:
    words = [
        (m.surface(), m.part_of_speech(), m.begin(), m.end())
        for m in _tokenizer().tokenize(line)
    ]
    index = 0
    while index < len(words):
        if not _is_name(words[index]):
            if _nickname(words, index):
                yield words[index][2], words[index][3]
            index += 1
            continue
        last = index
        while last + 1 < len(words) and _is_name(words[last + 1]):
            last += 1
        if _masks(words, index, last, line=line):
            end = words[last][3]
            tail = _KANA_TAIL.match(line, end)  # ゆう|と|くん: Sudachi cut the name short
            yield words[index][2], tail.end() if tail else end
        index = last + 1


def _is_name(word: tuple[str, Sequence[str], int, int]) -> bool:
    surface, pos = word[0], word[1]
    return (
        pos[1] == "固有名詞" and pos[2] == "人名"
        and _JAPANESE_WORD.fullmatch(surface) is not None
    )


def _nickname(words: Sequence[tuple[str, Sequence[str], int, int]], index: int) -> bool:
    """A kana word Sudachi does not know as a name, between a relative and くん/ちゃん:
    「息子のたろうくん」「娘のさくらちゃん」."""
    surface, pos = words[index][0], words[index][1]
    return (
        pos[0] == "名詞" and _KANA_WORD.fullmatch(surface) is not None
        and surface not in RELATIVES
        and 2 <= index < len(words) - 1
        and words[index - 1][0] == "の" and words[index - 2][0] in RELATIVES
        and words[index + 1][0] in ("くん", "ちゃん", "君")
    )


def _masks(
    words: Sequence[tuple[str, Sequence[str], int, int]], first: int, last: int, *, line: str
) -> bool:
    """Whether the name words ``first``..``last`` are a name by what surrounds them."""
    run = words[first:last + 1]
    surface = "".join(word[0] for word in run)
    kinds = [word[1][3] for word in run]
    before = words[first - 1][0] if first > 0 else ""
    after = words[last + 1][0] if last + 1 < len(words) else ""
    if before and _HIRAGANA_WORD.fullmatch(before) and _HIRAGANA_WORD.match(run[0][0]) \
            and before not in ("の", "は", "が", "と", "に", "も"):
        return False  # inside a kana run: きゅう|りょう, しゃ|ちょう
    relative = before == "の" and first >= 2 and words[first - 2][0] in RELATIVES
    if relative:
        return True
    if len(surface) < 2:  # 林さん, 森先生: one kanji only with an honorific after it
        return (_KANJI.fullmatch(surface) is not None and after in HONORIFICS
                and not (after == "さん" and _verb_stem(surface)))
    if "姓" in kinds and kinds[-1] != "姓" and _KANJI.match(run[0][0]):
        return True  # 佐藤健一, 田中はなこ: a written surname and a given name
    if after in HONORIFICS:
        return True
    return before in _SENTENCE_START and _SELF_NAMING.match(line, run[-1][3]) is not None


def _verb_stem(kanji: str) -> bool:
    """許さん, 渡さん in western Japan are 許さない, 渡さない: a verb, not 許 + さん."""
    words = _tokenizer().tokenize(kanji + "さない")
    return len(words) > 0 and words[0].part_of_speech()[0] == "動詞"
