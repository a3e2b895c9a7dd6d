"""Which language a message is written in: the one detector of helpbot.

Scripts decide first, because they are unambiguous: kana -> Japanese, Hangul -> Korean,
Devanagari -> Nepali. Text in Chinese characters alone is Japanese (住民票, 生活保護申請: the
words people type to a Japanese NPO) unless it holds a character or word only Chinese writes
(simplified forms such as 们 这 么 钱 办, or particles such as 吗 呢); a statistical model
calls almost every kanji-only Japanese message Chinese. Everything else goes to ``py3langid``
(BSD): a naive Bayes model over byte n-grams that ships inside the package, so nothing is
downloaded; about 0.05 ms per short message, loaded on first use (about a second). It is
restricted to the languages people write to Japanese NPOs in, which is what makes two- or
three-word messages reliable. Measured on the 1,200 messages of
``benchmarks/data/queries_dev_multilingual.jsonl``: see docs/benchmarks.md.

A message with too few letters to tell returns None (the person's earlier language stays).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import Any

LANGUAGES = ("ja", "en", "zh", "ko", "vi", "pt", "es", "tl", "ne", "id")
_KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_DEVANAGARI = re.compile(r"[\u0900-\u097f]")
_MYANMAR = re.compile(r"[\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
# Characters Japanese does not write: simplified forms and Chinese particles and pronouns.
_CHINESE_ONLY = frozenset(
    "们这么吗吧呢啊嘛说该还没请问办钱费补险证书疗儿样为对时过个后发现给让谁哪边车买卖东门"
    "见长开关头电话网络专业认识记题码离结护户续报销贷饭丢帮什怎你您我经济务员处应际动实运进"
    "远连选递适邮钟错间阳队阶陆难云亿从众优坏扔垃圾设场亲习产两钥读写诉讯访语贴领养"
)
# Words of characters Japanese also writes, that Japanese does not: 「不想活了」 (I do not want
# to live) has no character of the set above and was answered in Japanese.
_CHINESE_WORDS = ("不想", "不会", "活了", "死了")

# Below this probability a Latin-script message is answered in English, the Latin-script
# default (gibberish scores 0.18-0.23; the shortest real messages measured, 「toi can giup do」
# and 「hola」, 0.32-0.36).
LATIN_DEFAULT_BELOW = 0.3

# Vietnamese typed without its accents ("toi muon gia han visa") loses what the model knows it
# by, and is often called Tagalog, Indonesian or English. These everyday words, written
# without accents, are words of no other language above (không, được, muốn, người, những,
# phải, nhiều, chưa, giúp, việc, tiền, nước, tôi, của, với, mình, làm, như, thế, giấy, thuế,
# nhà, biết, xin, khi, nếu, đâu, ở đâu): two of them, a quarter of the words, make it Vietnamese.
_UNACCENTED_VIETNAMESE = frozenset({
    "khong", "duoc", "muon", "nguoi", "nhung", "phai", "nhieu", "chua", "giup", "viec", "tien",
    "nuoc", "toi", "cua", "voi", "minh", "lam", "nhu", "giay", "thue", "nha", "biet", "xin",
    "khi", "neu", "dau",
})
# Nepali is as often typed in Latin letters ("malai kaam chaina, paisa kasari paune?") as in
# Devanagari, and the model, which knows only Devanagari Nepali, calls it Tagalog, Indonesian or
# English. Everyday romanized Nepali words that are words of no other language above (pronouns,
# the verb endings cha/chha/chaina, question words, time words); words other languages write
# too (ko, ma, lai, din, yo, hola, dai) are left out. The same rule as for Vietnamese.
_ROMANIZED_NEPALI = frozenset({
    "malai", "mero", "meri", "hajur", "tapai", "tapain", "tapaiko", "timi", "timro", "hami",
    "hamro", "hamilai", "chha", "cha", "chaina", "chhaina", "chu", "chhu", "chau", "chhau",
    "garna", "garnu", "garne", "gareko", "garchu", "garchhu", "gardai", "garyo", "huncha",
    "hunchha", "hunna", "hudaina", "bhayo", "bhaeko", "bhaneko", "bhanera", "kasari", "kaha",
    "kahaa", "kahile", "kina", "kati", "kasto", "paincha", "painchha", "parcha", "parchha",
    "sakchu", "sakincha", "sakdina", "thiyo", "thiye", "ahile", "aaja", "bholi", "hijo",
    "raati", "ramro", "dherai", "sanga", "lagi", "chahiyo", "chahincha", "kehi", "tyo", "yaha",
    "tyaha", "khana", "khanu", "basna", "aama", "buwa", "shrimati", "shriman", "garnuparcha",
})
# Very short English, in chat spelling ("i wanna die", "im done"), has too few letters for the
# model, which called "i wanna die" Indonesian. Pronouns and contractions that are words of no
# other language above: when the model is unsure (below ENGLISH_UNSURE) and they are a third of
# the message's words, it is English.
_ENGLISH_ONLY = frozenset({
    "i", "im", "ive", "ill", "my", "myself", "you", "your", "youre", "wanna", "gonna", "gotta",
    "dont", "cant", "wont", "didnt", "doesnt", "isnt", "aint", "the", "and", "want", "anymore",
})
ENGLISH_UNSURE = 0.9
# Spanish and Portuguese share most short words, and the model called "mi esposo me pega" and
# "mi marido me pega" Portuguese (0.51): a Spanish speaker in danger got the Portuguese reply.
# When the model is unsure (below ENGLISH_UNSURE) which of the two it is, words that only the
# other one writes (mi, yo, tengo / meu, eu, tenho; accents taken off), a quarter of the
# message's words and none of the model's choice, make it the other.
_ONLY = {
    "es": frozenset({
        "mi", "mis", "yo", "el", "y", "tengo", "tiene", "estoy", "quiero", "puedo", "necesito",
        "muy", "pero", "hay", "donde", "novio", "hijo", "hija", "hijos", "nino", "ninos", "ayuda",
        "ayudame", "dinero", "trabajo", "soy", "golpea", "noche", "hoy", "ahora",
    }),
    "pt": frozenset({
        "meu", "minha", "meus", "minhas", "eu", "voce", "nao", "tenho", "tem", "estou", "quero",
        "posso", "preciso", "muito", "onde", "namorado", "filho", "filha", "filhos",
        "ajuda", "dinheiro", "trabalho", "sou", "bate", "hoje", "agora", "noite", "um", "ele",
    }),
}
_WORD = re.compile(r"[a-z]+")

_identifier: Any = None
_lock = threading.Lock()


def _model() -> Any:
    global _identifier  # noqa: PLW0603 - one lazily loaded model per process
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            identifier.set_languages([code for code in LANGUAGES if code not in ("ja", "zh")])
            # The model keeps all 142 languages' table (28 MB) beside the ones we use, for a
            # later set_languages(None) that helpbot never makes.
            identifier._full_model = (
                identifier.nb_ptc, identifier.nb_pc, identifier.nb_classes
            )
            _identifier = identifier
        return _identifier


# Scripts that settle the language. Thai and Burmese: helpbot has no texts in them, and the
# model would name one of its languages by chance (Thai came out as Indonesian): English, as for
# any foreign text no model can place (their crisis replies ask is_thai and is_burmese).
_SCRIPTS = ((_KANA, "ja"), (_HANGUL, "ko"), (_DEVANAGARI, "ne"), (_THAI, "en"), (_MYANMAR, "en"))


def detect(text: str) -> str | None:
    """One of ``LANGUAGES``, or None for a message with too few letters to tell."""
    script = next((code for pattern, code in _SCRIPTS if pattern.search(text)), None)
    if script is not None:
        return script
    han = _HAN.findall(text)
    if han:
        chinese = _CHINESE_ONLY.intersection(han) or any(w in text for w in _CHINESE_WORDS)
        return "zh" if chinese else "ja"
    if len(_LETTERS.findall(text)) < 2:
        return None
    language, probability = latin_language(text)
    # letters no model can place (「zzqx vvvv」, a typo-ridden word): English
    return language if probability >= LATIN_DEFAULT_BELOW else "en"


def latin_language(text: str) -> tuple[str, float]:
    """The likeliest of ``LANGUAGES`` other than ja and zh for text in Latin letters, and its
    probability (1.0 for unaccented Vietnamese and romanized Nepali found by their words)."""
    language, probability = _model().classify(text)
    if language != "vi" and text.isascii() and _known_words(text, _UNACCENTED_VIETNAMESE):
        return "vi", 1.0
    if language != "ne" and text.isascii() and _known_words(text, _ROMANIZED_NEPALI):
        return "ne", 1.0
    if language != "en" and probability < ENGLISH_UNSURE and text.isascii() \
            and _known_words(text, _ENGLISH_ONLY, least=1, share=3):
        return "en", 1.0
    if language in _ONLY and probability < ENGLISH_UNSURE:
        other = "pt" if language == "es" else "es"
        plain = _plain(text)
        if _known_words(plain, _ONLY[other], least=1) \
                and not _known_words(plain, _ONLY[str(language)], least=1, share=10**6):
            return other, 1.0
    return str(language), float(probability)


def _plain(text: str) -> str:
    """Without accents: "não" as nao."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _known_words(text: str, vocabulary: frozenset[str], least: int = 2, share: int = 4) -> bool:
    """``least`` different words of ``vocabulary``, 1/``share`` of the message's words or more
    (an apostrophe joins a word: "i'm" is im)."""
    words = _WORD.findall(text.lower().replace("'", "").replace("’", ""))
    known = [word for word in words if word in vocabulary]
    return len(set(known)) >= least and len(known) * share >= len(words)


def is_burmese(text: str) -> bool:
    """Myanmar script. Burmese is not one of ``LANGUAGES`` (no FAQ answers in it, and the
    model does not know it: ``detect`` says English); crisis replies and the crisis
    detector's layers ask this instead."""
    return _MYANMAR.search(text) is not None


def is_thai(text: str) -> bool:
    """Thai script. Thai is not one of ``LANGUAGES`` either (``detect`` says English), but
    the sentence encoder knows it: the crisis detector answers it in `th` and lets the
    meaning and learned layers read it."""
    return _THAI.search(text) is not None


def is_foreign(language: str | None) -> bool:
    """True for a language other than Japanese (None: not known, treated as Japanese)."""
    return language is not None and language not in ("ja", "easy")
