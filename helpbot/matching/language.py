"""Which language a message is written in: the one detector of helpbot.

Scripts decide first, because they are unambiguous: kana -> Japanese, Hangul -> Korean,
Devanagari -> Nepali, Myanmar -> Burmese. Text in Chinese characters alone is Japanese
(住民票, 生活保護申請: the words people type to a Japanese NPO) unless it holds a character or
word only Chinese writes (simplified forms such as 们 这 么 钱 办, or particles such as 吗 呢); a
statistical model
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
from typing import Any

LANGUAGES = ("ja", "en", "zh", "ko", "vi", "pt", "es", "tl", "ne", "id", "my")
# Told by their script alone; the model is not asked about them (it has no Burmese).
_SCRIPT_ONLY = ("ja", "zh", "my")
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
# nhà, biết, xin, khi, nếu, đâu, ở đâu, điện thoại, khám bệnh): two of them, a quarter of the
# words, make it Vietnamese.
_UNACCENTED_VIETNAMESE = frozenset({
    "khong", "duoc", "muon", "nguoi", "nhung", "phai", "nhieu", "chua", "giup", "viec", "tien",
    "nuoc", "toi", "cua", "voi", "minh", "lam", "nhu", "giay", "thue", "nha", "biet", "xin",
    "khi", "neu", "dau", "dien", "thoai", "kham", "benh",
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
_WORD = re.compile(r"[a-z]+")
# Spanish and Portuguese share most letters and many words, and the model scores a short
# message near even: "mi esposo me pega" came out Portuguese (0.51), so the person got the
# crisis lines in Portuguese. Their small everyday words differ (mi/meu, y/e, con/com, un/um,
# el/o, necesito/preciso): each set holds words the other language does not write. When the
# model names one of the two and the message holds more of the other's words, it is the other.
# Words both write are in neither (mas: Spanish más typed without its accent; da: "me da
# miedo"; em: also Vietnamese).
_SPANISH_ONLY = frozenset({
    "mi", "mis", "yo", "y", "el", "los", "las", "del", "con", "pero", "muy", "un", "una", "hay",
    "estoy", "soy", "usted", "ustedes", "necesito", "tengo", "puedo", "quiero", "ayuda",
    "ayudar", "ayúdame", "hijo", "hija", "hijos", "niño", "niños", "dinero", "trabajo",
    "alquiler", "cómo", "dónde", "qué", "cuándo", "cuánto", "ahora", "también", "ella",
    "él", "nosotros", "le", "lo", "hablar", "mucho", "mucha", "muchas", "llamar", "puede",
    "tiene", "tienen", "tenemos", "estamos", "somos", "quién", "quien", "año", "años",
    "mañana", "hola", "señor", "señora", "novio", "novia", "golpea", "noche", "hoy", "donde",
    "nino", "ninos", "ayudame",
})
_PORTUGUESE_ONLY = frozenset({
    "meu", "minha", "meus", "minhas", "eu", "não", "nao", "com", "do", "dos", "das",
    "um", "uma", "você", "voce", "vocês", "é", "e", "ele", "ela", "preciso", "tenho",
    "posso", "quero", "ajuda", "ajudar", "filho", "filha", "filhos", "dinheiro", "trabalho",
    "aluguel", "obrigado", "obrigada", "também", "agora", "onde", "muito", "muita",
    "isso", "esse", "essa", "estou", "sou", "pelo", "pela", "nós", "ao", "aos", "seu", "sua",
    "lhe", "sim", "vai", "foi", "tem", "fazer", "olá", "oi", "mãe", "pai", "bom", "boa", "ano",
    "anos", "namorado", "namorada", "hoje", "noite",
})
# Japanese words typed in Latin letters inside another language ("nomor telepon inochi no
# denwa", "i cannot pay kokumin kenko hoken") are read by the model as letters of some
# language (these two: Spanish, Tagalog). A run of two or more words made only of Hepburn
# syllables, one of four letters or more with a sound only Japanese spells so (shi, chi, tsu,
# kyo, ryu, or n before k, b, m, w, h: kenko, denwa), is also read without that run, when
# enough letters are left; the model's likelier reading of the two wins.
# Possessive (++): "tsu" reads as ts+u or t+su, and backtracking over every split of a long
# word that fails at its end took seconds at 70 letters and days at 120 (same matches).
_ROMAJI_WORD = re.compile(
    r"(?:(?:[kgzdbpmhr]y|sh|ch|ts|[kgsztdnhbpmrjfwy])?[aeiou]|n(?![aeiouy])|[kstp](?=[kstpc]))++"
)
_NOT_HEPBURN = re.compile(r"s(?=i)|t(?=[iu])|h(?=u)|d(?=[iu])|z(?=i)|y(?=[ie])|w(?=[ieu])")
_JAPANESE_SOUND = re.compile(r"shi|chi|tsu|[kgbprh]y[aou]|[aeiou]n[kbmwh]")
_ROMAJI_LEFT = 6  # letters that must be left for the model to read
_IBERIAN_WORD = re.compile(r"[a-záéíóúâêôãõçñü]+")

_identifier: Any = None
_lock = threading.Lock()


def _model() -> Any:
    global _identifier  # noqa: PLW0603 - one lazily loaded model per process
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            identifier.set_languages([code for code in LANGUAGES if code not in _SCRIPT_ONLY])
            # The model keeps all 142 languages' table (28 MB) beside the ones we use, for a
            # later set_languages(None) that helpbot never makes.
            identifier._full_model = (
                identifier.nb_ptc, identifier.nb_pc, identifier.nb_classes
            )
            _identifier = identifier
        return _identifier


# Scripts that settle the language. Burmese (Zawgyi is converted to Unicode before this):
# faq/texts.yaml has it, the model does not. Thai: helpbot has no texts in it, and the model
# would name one of its languages by chance (Thai came out as Indonesian): English, as for any
# foreign text no model can place (its crisis replies ask is_thai).
_SCRIPTS = ((_KANA, "ja"), (_HANGUL, "ko"), (_DEVANAGARI, "ne"), (_MYANMAR, "my"), (_THAI, "en"))


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
    without = _without_romaji(text)
    if without != text:  # the likelier reading: with or without the Japanese words
        language, probability = max((language, probability), latin_language(without),
                                    key=lambda reading: reading[1])
    # letters no model can place (「zzqx vvvv」, a typo-ridden word): English
    return language if probability >= LATIN_DEFAULT_BELOW else "en"


def latin_language(text: str) -> tuple[str, float]:
    """The likeliest of ``LANGUAGES`` other than ja, zh and my for text in Latin letters, and its
    probability (1.0 for unaccented Vietnamese and romanized Nepali found by their words)."""
    language, probability = _model().classify(text)
    if language in ("es", "pt"):
        language = _spanish_or_portuguese(text, language)
    if language != "vi" and text.isascii() and _known_words(text, _UNACCENTED_VIETNAMESE):
        return "vi", 1.0
    if language != "ne" and text.isascii() and _known_words(text, _ROMANIZED_NEPALI):
        return "ne", 1.0
    if language != "en" and probability < ENGLISH_UNSURE and text.isascii() \
            and _known_words(text, _ENGLISH_ONLY, least=1, share=3):
        return "en", 1.0
    return str(language), float(probability)


def _is_romaji(word: str) -> bool:
    return _ROMAJI_WORD.fullmatch(word) is not None and not _NOT_HEPBURN.search(
        re.sub(r"sh|ch|ts", "", word))


def _without_romaji(text: str) -> str:
    """``text`` without its runs of Japanese words in Latin letters (see _ROMAJI_WORD)."""
    words = text.split()
    keep = [True] * len(words)
    start = 0
    while start < len(words):
        end = start
        while end < len(words) and _is_romaji(words[end].lower().strip(".,!?")):
            end += 1
        run = [w.lower() for w in words[start:end]]
        if len(run) >= 2 and any(len(w) > 3 and _JAPANESE_SOUND.search(w) for w in run):
            keep[start:end] = [False] * (end - start)
        start = end + 1 if end == start else end
    left = " ".join(w for w, k in zip(words, keep, strict=True) if k)
    return left if len(_LETTERS.findall(left)) >= _ROMAJI_LEFT else text


def _spanish_or_portuguese(text: str, language: str) -> str:
    """``language`` ("es" or "pt"), or the other one when more of its own words are written."""
    words = set(_IBERIAN_WORD.findall(text.lower()))
    spanish, portuguese = len(words & _SPANISH_ONLY), len(words & _PORTUGUESE_ONLY)
    if spanish > portuguese:
        return "es"
    return "pt" if portuguese > spanish else language


def _known_words(text: str, vocabulary: frozenset[str], least: int = 2, share: int = 4) -> bool:
    """``least`` different words of ``vocabulary``, 1/``share`` of the message's words or more
    (an apostrophe joins a word: "i'm" is im)."""
    words = _WORD.findall(text.lower().replace("'", "").replace("’", ""))
    known = [word for word in words if word in vocabulary]
    return len(set(known)) >= least and len(known) * share >= len(words)


def is_burmese(text: str) -> bool:
    """Myanmar script (``detect`` says "my"). The crisis layers ask this directly: the
    sentence encoder does not know Burmese."""
    return _MYANMAR.search(text) is not None


def is_thai(text: str) -> bool:
    """Thai script. Thai is not one of ``LANGUAGES`` either (``detect`` says English), but
    the sentence encoder knows it: the crisis detector answers it in `th` and lets the
    meaning and learned layers read it."""
    return _THAI.search(text) is not None


def is_foreign(language: str | None) -> bool:
    """True for a language other than Japanese (None: not known, treated as Japanese)."""
    return language is not None and language not in ("ja", "easy")
