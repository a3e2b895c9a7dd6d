"""Very short everyday messages do not page staff; very short crises still do.

「ok」 typed during an open case (the satisfaction question offers an OK button) raised the case
to urgent: the learned layer gave 「ok」「k」「fine」「im fine」「NPO」 0.94-0.98 of suicide. The
encoder-based layers no longer decide alone on so little text (``meaning.too_little``), a short
message needs both of them to agree (``meaning.agree``), and a slip is not assumed where the
message reads fine as written (``typos``). The crises below are written here, not taken from
the evaluation sets.
"""

from __future__ import annotations

import pytest

from helpbot.crisis.meaning import too_little
from helpbot.matching.language import detect

EVERYDAY_SHORT = [
    # English and chat spelling
    "ok", "oK", "OK", "okay", "k", "kk", "w", "fine", "im ok", "im fine", "i'm fine", "thx",
    "thanks", "thank you", "ty", "yes", "no", "yep", "nope", "sure", "got it", "NPO", "hi",
    "hello", "bye", "lol", "good", "cool", "noted",
    # Japanese
    "了解", "了解です", "はい", "うん", "ありがとう", "ありがとうございます", "大丈夫です",
    "こんばんは", "おはよう", "わかりました", "OKです", "どうしたらいい", "そうしたらいい",
    "夜中にすみません", "包丁の研ぎ方", "w", "www", "草",
    # Chinese, Korean, Vietnamese, Tagalog, Spanish, Portuguese, Indonesian, Nepali
    "好的", "谢谢", "네", "감사합니다", "vâng", "cảm ơn", "ok ạ", "sige", "oo", "salamat po",
    "hola", "gracias", "obrigado", "obrigada", "terima kasih", "baik", "dhanyabad", "हजुर",
    # emoji
    "👍", "🙏", "😊", "👌",
]

SHORT_CRISES = [
    ("死にたい", "suicide", "ja"),
    ("しにたい", "suicide", "ja"),
    ("i want to die", "suicide", "en"),
    ("i wanna die", "suicide", "en"),
    ("wanna kms", "suicide", "en"),
    ("kms", "suicide", "en"),
    ("muốn chết", "suicide", "vi"),
    ("gusto ko nang mamatay", "suicide", "tl"),
    ("quero morrer", "suicide", "pt"),
    ("quiero morir", "suicide", "es"),
    ("살고 싶지 않아", "suicide", "ko"),
    ("消えたい", "suicide", "ja"),
    ("殴られた", "violence", "ja"),
    ("帰る家がない", "no_shelter", "ja"),
]


@pytest.mark.parametrize("text", sorted(set(EVERYDAY_SHORT)))
def test_short_everyday_messages_do_not_fire(detector, text):
    assert detector.detect(text) is None, text


@pytest.mark.parametrize(("text", "category", "language"), SHORT_CRISES)
def test_short_crises_still_fire_in_their_language(detector, text, category, language):
    hit = detector.detect(text)
    assert hit is not None and hit.category == category, (text, hit)
    assert hit.language == language, (text, hit.language)


def test_a_slip_is_still_read_where_the_message_does_not_read_fine(words_only):
    hit = words_only.detect("いきていたくなり")  # 生きていたくない, one slip
    assert hit is not None and hit.layer == "typo", hit
    assert words_only.detect("どうしたらいいか教えて") is None  # したらいい: ordinary text


@pytest.mark.parametrize(
    ("text", "little"),
    [("ok", True), ("im fine", True), ("k", True), ("了解", True), ("👍", True),
     ("cant go on", False), ("夜中にすみません", False), ("ไม่อยากอยู่แล้ว", False)],
)
def test_too_little_counts_words_or_unspaced_letters(text, little):
    assert too_little(text) is little


@pytest.mark.parametrize(
    ("text", "language"),
    [("i wanna die", "en"), ("im done", "en"), ("i'm done", "en"), ("wanna kms", "en"),
     ("pagod na ako", "tl"), ("saya mau mati", "id"), ("quero morrer", "pt"),
     ("me quiero morir", "es"), ("toi muon chet", "vi")],
)
def test_short_english_in_chat_spelling_is_english(text, language):
    assert detect(text) == language
